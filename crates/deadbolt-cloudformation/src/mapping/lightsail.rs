//! Lightsail: `AWS::Lightsail::Instance`, whose firewall is its `Networking.Ports`.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::ec2::{Direction, FirewallRule};
use deadbolt_model::aws::lightsail::Instance;
use deadbolt_model::{Attr, Model, ResourceMeta};

use super::Res;
use crate::props::Props;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    if r.kind != "AWS::Lightsail::Instance" {
        return false;
    }
    let p = &r.props;
    let blueprint = p.string("BlueprintId", "");
    let networking = p.nested("Networking");
    // Declared ports replace Lightsail's default firewall: SSH (RDP on Windows blueprints) and
    // HTTP from every IPv4 address.
    let ports = if networking.has("Ports") {
        networking
            .list("Ports")
            .iter()
            .map(|port| port_rule(port, r.meta))
            .collect()
    } else {
        let admin = if blueprint.known().is_some_and(|b| b.starts_with("windows")) {
            3389
        } else {
            22
        };
        [admin, 80]
            .into_iter()
            .map(|port| default_port(r.meta, port))
            .collect()
    };
    model.push(Instance {
        meta: r.meta.clone(),
        name: p.string("InstanceName", ""),
        blueprint,
        ports,
    });
    true
}

/// One of Lightsail's default rules: `port` over TCP from `0.0.0.0/0`, not written in the source.
fn default_port(m: &ResourceMeta, port: i64) -> FirewallRule {
    FirewallRule::implicit(m, Direction::Ingress, "tcp", (port, port), "0.0.0.0/0", "")
}

fn port_rule(p: &Props<'_>, origin: &ResourceMeta) -> FirewallRule {
    let span = p.span();
    FirewallRule {
        origin: origin.clone(),
        direction: Direction::Ingress,
        protocol: p.string("Protocol", "").map(|s| {
            let s = s.trim().to_ascii_lowercase();
            if s == "all" { "-1".to_string() } else { s }
        }),
        from_port: p.int("FromPort", 0),
        to_port: p.int("ToPort", 0),
        ipv4_cidrs: if ["Cidrs", "Ipv6Cidrs", "CidrListAliases"]
            .iter()
            .all(|a| !p.has(a))
        {
            // A port opened with no source at all is open to every IPv4 address, as the console's
            // "Any IPv4 address" default.
            Attr::default(vec!["0.0.0.0/0".to_string()], span.clone())
        } else {
            p.strings("Cidrs")
        },
        ipv6_cidrs: p.strings("Ipv6Cidrs"),
        cidrs_incomplete: None,
        has_other_peers: p.has("CidrListAliases"),
        description: Attr::default(String::new(), span.clone()),
        action: Attr::default("allow".to_string(), span.clone()),
        rule_number: None,
        span,
    }
}
