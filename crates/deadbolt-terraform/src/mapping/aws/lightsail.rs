//! Lightsail: `aws_lightsail_instance` and its firewall, `aws_lightsail_instance_public_ports`.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::ec2::{Direction, FirewallRule};
use deadbolt_model::aws::lightsail::Instance;
use deadbolt_model::{Attr, OtherResource, ResourceMeta, Span};

use crate::evaluated::{EvalBody, EvaluatedResource};
use crate::mapping::{Joined, MapContext, meta};

const PUBLIC_PORTS: &str = "aws_lightsail_instance_public_ports";

/// Maps `aws_lightsail_instance` with Lightsail's default firewall (SSH, or RDP on Windows, and HTTP
/// from anywhere).
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    if res.resource_type != "aws_lightsail_instance" {
        return false;
    }
    let body = &res.body;
    let m = meta(res);
    let blueprint = body.string("blueprint_id", "");
    // Windows blueprints start with RDP instead of SSH open.
    let admin = if blueprint.known().is_some_and(|b| b.starts_with("windows")) {
        3389
    } else {
        22
    };
    let ports = [admin, 80]
        .into_iter()
        .map(|port| default_port(&m, port))
        .collect();
    cx.model.push(Instance {
        name: body.string("name", ""),
        blueprint,
        ports,
        meta: m,
    });
    true
}

/// Joins `aws_lightsail_instance_public_ports`, which replaces the instance's whole firewall.
pub(super) fn map_split(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    if res.resource_type != PUBLIC_PORTS {
        return false;
    }
    let body = &res.body;
    let m = meta(res);
    let ports: Vec<FirewallRule> = body.blocks("port_info").map(|p| port_rule(p, &m)).collect();
    let joined = cx.join::<Instance, _>(
        body.attr("instance_name"),
        |i| i.name.known().map(String::as_str),
        |i| &i.meta,
        |i| {
            if i.ports.iter().all(|p| !p.protocol.explicit) {
                i.ports.clear();
            }
            i.ports.extend(ports.iter().cloned());
        },
    );
    if let Joined::Unresolved(reason) = joined {
        cx.unresolved.push((PUBLIC_PORTS, reason));
    }
    cx.model.push(OtherResource { meta: m });
    true
}

/// An instance still on its default firewall may have it replaced by public ports deadbolt could
/// not attach: its default rules' sources become unknown.
pub(super) fn finish(cx: &mut MapContext) {
    let Some(reason) = cx.unresolved_reason(PUBLIC_PORTS, "instance") else {
        return;
    };
    for instance in cx.model.all_mut::<Instance>() {
        for port in instance.ports.iter_mut().filter(|p| !p.protocol.explicit) {
            port.ipv4_cidrs = Attr::unknown(reason.clone(), port.span.clone());
            port.ipv6_cidrs = Attr::unknown(reason.clone(), port.span.clone());
        }
    }
}

/// One of Lightsail's default rules: `port` over TCP from `0.0.0.0/0`, not written in the source.
fn default_port(m: &ResourceMeta, port: i64) -> FirewallRule {
    FirewallRule::implicit(m, Direction::Ingress, "tcp", (port, port), "0.0.0.0/0", "")
}

fn port_rule(p: &EvalBody, origin: &ResourceMeta) -> FirewallRule {
    let span: Span = p.span.clone();
    FirewallRule {
        origin: origin.clone(),
        direction: Direction::Ingress,
        protocol: p.string("protocol", "").map(|s| {
            let s = s.trim().to_ascii_lowercase();
            if s == "all" { "-1".to_string() } else { s }
        }),
        from_port: p.int("from_port", 0),
        to_port: p.int("to_port", 0),
        ipv4_cidrs: if ["cidrs", "ipv6_cidrs", "cidr_list_aliases"]
            .iter()
            .all(|a| p.attr(a).is_none())
        {
            // A port opened with no source at all is open to every IPv4 address, as the console's
            // "Any IPv4 address" default.
            Attr::default(vec!["0.0.0.0/0".to_string()], span.clone())
        } else {
            p.strings("cidrs")
        },
        ipv6_cidrs: p.strings("ipv6_cidrs"),
        cidrs_incomplete: None,
        has_other_peers: p.attr("cidr_list_aliases").is_some(),
        description: Attr::default(String::new(), span.clone()),
        action: Attr::default("allow".to_string(), span.clone()),
        rule_number: None,
        span,
    }
}

#[cfg(test)]
mod tests {
    use deadbolt_model::Model;
    use deadbolt_model::aws::lightsail::Instance;

    fn load(text: &str) -> Model {
        let loaded = crate::load_str("main.tf", text);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        loaded.model
    }

    #[test]
    fn declared_public_ports_replace_the_defaults() {
        let model = load(
            r#"
resource "aws_lightsail_instance" "a" {
  name         = "a"
  blueprint_id = "ubuntu_22_04"
}
resource "aws_lightsail_instance" "b" {
  name         = "b"
  blueprint_id = "windows_server_2022"
}
resource "aws_lightsail_instance_public_ports" "a" {
  instance_name = aws_lightsail_instance.a.name
  port_info {
    protocol  = "tcp"
    from_port = 443
    to_port   = 443
  }
}
"#,
        );
        let instances: Vec<&Instance> = model.all::<Instance>().collect();
        let a = &instances[0].ports;
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].covers_tcp_port(443), Some(true));
        assert_eq!(a[0].open_to_world(), Some(true));
        let b = &instances[1].ports;
        assert_eq!(b.len(), 2);
        assert!(b.iter().all(|p| !p.protocol.explicit));
        assert_eq!(b[0].covers_tcp_port(3389), Some(true));
    }

    #[test]
    fn unattachable_public_ports_make_default_rules_unknown() {
        let model = load(
            r#"
variable "instance" { type = string }
resource "aws_lightsail_instance" "a" {
  name         = "a"
  blueprint_id = "ubuntu_22_04"
}
resource "aws_lightsail_instance_public_ports" "p" {
  instance_name = var.instance
  port_info {
    protocol  = "tcp"
    from_port = 443
    to_port   = 443
  }
}
"#,
        );
        let instance = model.all::<Instance>().next().expect("instance");
        assert!(instance.ports.iter().all(|p| p.open_to_world().is_none()));
    }
}
