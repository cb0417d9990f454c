//! EC2 and VPC: security groups and their standalone rules, network ACLs, instances, launch
//! templates and configurations, EBS volumes and the EBS encryption default, VPCs and flow logs.

use base64::Engine;
use deadbolt_model::Settings as _;
use deadbolt_model::aws::ec2::{
    BlockDevice, Direction, EbsDefaultEncryption, FirewallRule, Instance, InstanceKind, NetworkAcl,
    SecurityGroup, Volume, Vpc,
};
use deadbolt_model::{Attr, OtherResource, ResourceMeta, Unknown};

use crate::evaluated::{EvalBody, EvaluatedResource};
use crate::mapping::{Joined, MapContext, meta};

const SG_RULE: &str = "aws_security_group_rule";
const NACL_RULE: &str = "aws_network_acl_rule";
const FLOW_LOG: &str = "aws_flow_log";
const DEFAULT_SG: &str = "aws_default_security_group";

/// Maps security groups, network ACLs, instances and their templates, volumes, the EBS encryption
/// default and VPCs.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    let body = &res.body;
    match res.resource_type.as_str() {
        kind @ ("aws_security_group" | "aws_default_security_group") => {
            let m = meta(res);
            let rules = inline_sg_rules(body, &m);
            let is_default = kind == "aws_default_security_group";
            // The default group's description is fixed by AWS; Terraform cannot set it.
            let description = if is_default {
                Attr::default("default VPC security group".to_string(), body.span.clone())
            } else {
                body.string("description", "Managed by Terraform")
            };
            cx.model.push(SecurityGroup {
                meta: m,
                is_default,
                description,
                rules,
                detached: false,
                unresolved_rules: None,
            });
            // A default group is also joined to its VPC, which needs every VPC mapped first: left
            // unclaimed here, it comes back through `map_split`.
            !is_default
        }
        "aws_network_acl" | "aws_default_network_acl" => {
            let m = meta(res);
            let mut rules = Vec::new();
            for (name, direction) in [
                ("ingress", Direction::Ingress),
                ("egress", Direction::Egress),
            ] {
                for block in body.blocks(name) {
                    rules.push(nacl_rule(block, &m, direction, "rule_no", "action"));
                }
            }
            cx.model.push(NetworkAcl {
                meta: m,
                rules,
                detached: false,
                unresolved_rules: None,
            });
            true
        }
        "aws_instance" => {
            let mut block_devices = vec![root_device(body)];
            block_devices.extend(body.blocks("ebs_block_device").map(named_device));
            cx.model.push(Instance {
                meta: meta(res),
                kind: InstanceKind::Instance,
                metadata_http_tokens: metadata(body, "http_tokens", "optional"),
                metadata_endpoint: metadata(body, "http_endpoint", "enabled"),
                public_ip: body.opt_bool("associate_public_ip_address"),
                block_devices,
                user_data: user_data(body, false),
                detailed_monitoring: body.bool("monitoring", false),
            });
            true
        }
        "aws_launch_configuration" => {
            let mut block_devices = vec![root_device(body)];
            block_devices.extend(body.blocks("ebs_block_device").map(named_device));
            cx.model.push(Instance {
                meta: meta(res),
                kind: InstanceKind::LaunchConfiguration,
                metadata_http_tokens: metadata(body, "http_tokens", "optional"),
                metadata_endpoint: metadata(body, "http_endpoint", "enabled"),
                public_ip: body.opt_bool("associate_public_ip_address"),
                block_devices,
                user_data: user_data(body, false),
                // Launch configurations turn detailed monitoring on unless told otherwise.
                detailed_monitoring: body.bool("enable_monitoring", true),
            });
            true
        }
        "aws_launch_template" => {
            // Without block_device_mappings the AMI's own mappings apply, which the template does
            // not describe: only declared EBS mappings are recorded.
            let block_devices = body
                .blocks("block_device_mappings")
                .filter_map(|mapping| {
                    let ebs = mapping.block("ebs")?;
                    let name = mapping
                        .string("device_name", "")
                        .known()
                        .cloned()
                        .unwrap_or_default();
                    Some(BlockDevice {
                        name,
                        encrypted: ebs.bool("encrypted", false),
                    })
                })
                .collect();
            let public_ip = body
                .blocks("network_interfaces")
                .map(|n| n.opt_bool("associate_public_ip_address"))
                .reduce(|a, b| if a.known() == Some(&Some(true)) { a } else { b })
                .unwrap_or_else(|| Attr::default(None, body.span.clone()));
            let detailed_monitoring = match body.block("monitoring") {
                Some(m) => m.bool("enabled", false),
                None => Attr::default(false, body.span.clone()),
            };
            cx.model.push(Instance {
                meta: meta(res),
                kind: InstanceKind::LaunchTemplate,
                metadata_http_tokens: metadata(body, "http_tokens", "optional"),
                metadata_endpoint: metadata(body, "http_endpoint", "enabled"),
                public_ip,
                block_devices,
                // The launch template API takes user data base64-encoded only.
                user_data: user_data(body, true),
                detailed_monitoring,
            });
            true
        }
        "aws_ebs_volume" => {
            cx.model.push(Volume {
                meta: meta(res),
                encrypted: body.bool("encrypted", false),
                kms_key: body
                    .attr("kms_key_id")
                    .map(|_| body.string("kms_key_id", "")),
            });
            true
        }
        "aws_ebs_encryption_by_default" => {
            cx.model.push(EbsDefaultEncryption {
                meta: meta(res),
                enabled: body.bool("enabled", true),
            });
            true
        }
        kind @ ("aws_vpc" | "aws_default_vpc") => {
            cx.model.push(Vpc {
                meta: meta(res),
                flow_logs: Attr::default(false, body.span.clone()),
                is_default: kind == "aws_default_vpc",
                default_security_group_managed: Attr::default(false, body.span.clone()),
            });
            true
        }
        _ => false,
    }
}

/// Joins standalone security group rules, network ACL rules, flow logs and default security groups
/// (already mapped as groups) into their parents.
pub(super) fn map_split(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    let body = &res.body;
    match res.resource_type.as_str() {
        "aws_security_group_rule" => {
            let m = meta(res);
            let direction = body.string("type", "ingress");
            let mut rule = sg_rule(body, &m, Direction::Ingress);
            match direction.known().map(String::as_str) {
                Some("egress") => rule.direction = Direction::Egress,
                Some(_) => {}
                // Which way the rule points decides every verdict about it.
                None => {
                    let reason = direction
                        .unknown_reason()
                        .cloned()
                        .unwrap_or_else(|| Unknown::new("the rule's `type` is unknown"));
                    rule.ipv4_cidrs = Attr::unknown(reason.clone(), direction.span.clone());
                    rule.ipv6_cidrs = Attr::unknown(reason, direction.span.clone());
                }
            }
            if body.attr("source_security_group_id").is_some() {
                rule.has_other_peers = true;
            }
            join_sg_rule(cx, body, m, rule);
            true
        }
        kind @ ("aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule") => {
            let m = meta(res);
            let direction = if kind.ends_with("ingress_rule") {
                Direction::Ingress
            } else {
                Direction::Egress
            };
            let protocol = protocol(body, "ip_protocol");
            let (ipv4_cidrs, v4_gap) = body.strings_partial("cidr_ipv4");
            let (ipv6_cidrs, v6_gap) = body.strings_partial("cidr_ipv6");
            let rule = FirewallRule {
                origin: m.clone(),
                direction,
                protocol,
                from_port: body.int("from_port", 0),
                to_port: body.int("to_port", 65535),
                ipv4_cidrs,
                ipv6_cidrs,
                cidrs_incomplete: v4_gap.or(v6_gap),
                has_other_peers: body.attr("referenced_security_group_id").is_some()
                    || body.attr("prefix_list_id").is_some(),
                description: body.string("description", ""),
                action: Attr::default("allow".to_string(), body.span.clone()),
                rule_number: None,
                span: body.span.clone(),
            };
            join_sg_rule(cx, body, m, rule);
            true
        }
        "aws_network_acl_rule" => {
            let m = meta(res);
            let egress = body.bool("egress", false);
            let direction = if egress.known() == Some(&true) {
                Direction::Egress
            } else {
                Direction::Ingress
            };
            let mut rule = nacl_rule(body, &m, direction, "rule_number", "rule_action");
            if let Some(reason) = egress.unknown_reason() {
                rule.ipv4_cidrs = Attr::unknown(reason.clone(), egress.span.clone());
                rule.ipv6_cidrs = Attr::unknown(reason.clone(), egress.span.clone());
            }
            let joined = cx.join::<NetworkAcl, _>(
                body.attr("network_acl_id"),
                |_| None,
                |a| &a.meta,
                |a| a.rules.push(rule.clone()),
            );
            match joined {
                Joined::Parents => cx.model.push(OtherResource { meta: m }),
                Joined::Unresolved(reason) => {
                    cx.unresolved.push((NACL_RULE, reason));
                    cx.model.push(NetworkAcl {
                        meta: m,
                        rules: vec![rule],
                        detached: true,
                        unresolved_rules: None,
                    });
                }
            }
            true
        }
        "aws_default_security_group" => {
            let span = body.span.clone();
            let joined = cx.join::<Vpc, _>(
                body.attr("vpc_id"),
                |_| None,
                |v| &v.meta,
                |v| v.default_security_group_managed = Attr::set(true, span.clone()),
            );
            if let Joined::Unresolved(reason) = joined {
                cx.unresolved.push((DEFAULT_SG, reason));
            }
            true
        }
        "aws_flow_log" => {
            // Flow logs on a subnet, interface or transit gateway say nothing about a whole VPC.
            if body.attr("vpc_id").is_some() {
                let span = body.span.clone();
                let joined = cx.join::<Vpc, _>(
                    body.attr("vpc_id"),
                    |_| None,
                    |v| &v.meta,
                    |v| v.flow_logs = Attr::set(true, span.clone()),
                );
                if let Joined::Unresolved(reason) = joined {
                    cx.unresolved.push((FLOW_LOG, reason));
                }
            }
            cx.model.push(OtherResource { meta: meta(res) });
            true
        }
        _ => false,
    }
}

/// Unresolved standalone rules may belong to any group or ACL in the scan; unresolved flow logs and
/// default security groups to any VPC that has none.
pub(super) fn finish(cx: &mut MapContext) {
    let reason_for = |kind: &str, what: &str| cx.unresolved_reason(kind, what);
    let sg = reason_for(SG_RULE, "security group");
    let nacl = reason_for(NACL_RULE, "network ACL");
    let flow = reason_for(FLOW_LOG, "VPC");
    let default_sg = reason_for(DEFAULT_SG, "VPC");
    if let Some(r) = sg {
        for g in cx.model.all_mut::<SecurityGroup>().filter(|g| !g.detached) {
            g.unresolved_rules = Some(r.clone());
        }
    }
    if let Some(r) = nacl {
        for a in cx.model.all_mut::<NetworkAcl>().filter(|a| !a.detached) {
            a.unresolved_rules = Some(r.clone());
        }
    }
    if let Some(r) = default_sg {
        for v in cx
            .model
            .all_mut::<Vpc>()
            .filter(|v| !v.default_security_group_managed.explicit)
        {
            v.default_security_group_managed = Attr::unknown(r.clone(), v.meta.span.clone());
        }
    }
    if let Some(r) = flow {
        for v in cx.model.all_mut::<Vpc>().filter(|v| !v.flow_logs.explicit) {
            v.flow_logs = Attr::unknown(r.clone(), v.meta.span.clone());
        }
    }
}

/// Joins a standalone security group rule by `security_group_id`; when the group is not in the
/// scan, the rule becomes a detached entry so it is still judged on its own.
fn join_sg_rule(cx: &mut MapContext, body: &EvalBody, m: ResourceMeta, rule: FirewallRule) {
    let joined = cx.join::<SecurityGroup, _>(
        body.attr("security_group_id"),
        |_| None,
        |g| &g.meta,
        |g| g.rules.push(rule.clone()),
    );
    match joined {
        // The rule resource is also kept as a resource of its own, so it counts as scanned and
        // its suppressions are seen.
        Joined::Parents => cx.model.push(OtherResource { meta: m }),
        Joined::Unresolved(reason) => {
            cx.unresolved.push((SG_RULE, reason));
            cx.model.push(SecurityGroup {
                description: Attr::default(String::new(), m.span.clone()),
                meta: m,
                is_default: false,
                rules: vec![rule],
                detached: true,
                unresolved_rules: None,
            });
        }
    }
}

fn inline_sg_rules(body: &EvalBody, m: &ResourceMeta) -> Vec<FirewallRule> {
    let mut rules = Vec::new();
    for (name, direction) in [
        ("ingress", Direction::Ingress),
        ("egress", Direction::Egress),
    ] {
        for block in body.blocks(name) {
            rules.push(sg_rule(block, m, direction));
        }
    }
    rules
}

/// A security group rule from an inline block or an `aws_security_group_rule` body (they share
/// their attribute names).
fn sg_rule(body: &EvalBody, origin: &ResourceMeta, direction: Direction) -> FirewallRule {
    let self_peer = body.bool("self", false).known() != Some(&false);
    let listed = |name: &str| body.strings(name).known().is_none_or(|l| !l.is_empty());
    let (ipv4_cidrs, v4_gap) = body.strings_partial("cidr_blocks");
    let (ipv6_cidrs, v6_gap) = body.strings_partial("ipv6_cidr_blocks");
    FirewallRule {
        origin: origin.clone(),
        direction,
        protocol: protocol(body, "protocol"),
        from_port: body.int("from_port", 0),
        to_port: body.int("to_port", 0),
        ipv4_cidrs,
        ipv6_cidrs,
        cidrs_incomplete: v4_gap.or(v6_gap),
        has_other_peers: self_peer || listed("security_groups") || listed("prefix_list_ids"),
        description: body.string("description", ""),
        action: Attr::default("allow".to_string(), body.span.clone()),
        rule_number: None,
        span: body.span.clone(),
    }
}

fn nacl_rule(
    body: &EvalBody,
    origin: &ResourceMeta,
    direction: Direction,
    number: &str,
    action: &str,
) -> FirewallRule {
    FirewallRule {
        origin: origin.clone(),
        direction,
        protocol: protocol(body, "protocol"),
        from_port: body.int("from_port", 0),
        to_port: body.int("to_port", 0),
        ipv4_cidrs: body.strings("cidr_block"),
        ipv6_cidrs: body.strings("ipv6_cidr_block"),
        cidrs_incomplete: None,
        has_other_peers: false,
        description: body.string("description", ""),
        action: body.string(action, "").map(|a| a.to_ascii_lowercase()),
        rule_number: Some(body.int(number, 0)),
        span: body.span.clone(),
    }
}

/// The protocol with numbers and aliases normalised to the names the model uses.
fn protocol(body: &EvalBody, name: &str) -> Attr<String> {
    body.string(name, "-1").map(|p| {
        let p = p.trim().to_ascii_lowercase();
        match p.as_str() {
            "-1" | "all" => "-1".to_string(),
            "6" => "tcp".to_string(),
            "17" => "udp".to_string(),
            "1" => "icmp".to_string(),
            "58" => "icmpv6".to_string(),
            _ => p,
        }
    })
}

fn metadata(body: &EvalBody, name: &str, default: &str) -> Attr<String> {
    match body.block("metadata_options") {
        Some(m) => m.string(name, default),
        None => Attr::default(default.to_string(), body.span.clone()),
    }
}

/// The root volume always exists; without a `root_block_device` block it is unencrypted unless the
/// AMI's snapshot or the account's EBS default says otherwise.
fn root_device(body: &EvalBody) -> BlockDevice {
    let encrypted = match body.block("root_block_device") {
        Some(root) => root.bool("encrypted", false),
        None => Attr::default(false, body.span.clone()),
    };
    BlockDevice {
        name: "root".to_string(),
        encrypted,
    }
}

fn named_device(block: &EvalBody) -> BlockDevice {
    let name = block
        .string("device_name", "")
        .known()
        .cloned()
        .unwrap_or_default();
    BlockDevice {
        name,
        encrypted: block.bool("encrypted", false),
    }
}

/// User data as text: `user_data` is plain text except on launch templates (base64 only), and
/// `user_data_base64` is always base64. Binary user data (gzip) cannot be read and is unknown.
fn user_data(body: &EvalBody, always_base64: bool) -> Attr<Option<String>> {
    let (name, encoded) = if body.attr("user_data_base64").is_some() {
        ("user_data_base64", true)
    } else {
        ("user_data", always_base64)
    };
    // `opt_string` reads a non-string value as absent; an interpolated heredoc whose parts are
    // only known after apply must stay unknown instead.
    if let Some(raw) = body.attr(name)
        && let Some(reason) = raw.value.first_unknown()
    {
        return Attr::unknown(reason.clone(), raw.span.clone());
    }
    let attr = body.opt_string(name);
    if !encoded {
        return attr;
    }
    let Some(Some(text)) = attr.known() else {
        return attr;
    };
    let compact: String = text.split_whitespace().collect();
    match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(decoded) => Attr {
                state: deadbolt_model::State::Known(Some(decoded)),
                ..attr
            },
            Err(_) => Attr::unknown(
                Unknown::new("the user data is binary (compressed?) and cannot be read"),
                attr.span,
            ),
        },
        // Written as plain text where base64 was expected: read it as it is.
        Err(_) => attr,
    }
}

#[cfg(test)]
mod tests {
    use deadbolt_model::Model;
    use deadbolt_model::aws::ec2::{Instance, SecurityGroup, Vpc};

    fn load(text: &str) -> Model {
        let loaded = crate::load_str("main.tf", text);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        loaded.model
    }

    #[test]
    fn a_rule_whose_group_is_unknown_is_detached_and_leaves_other_groups_incomplete() {
        let model = load(
            r#"
variable "sg_id" { type = string }
resource "aws_default_security_group" "d" {}
resource "aws_security_group_rule" "r" {
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = var.sg_id
}
"#,
        );
        let groups: Vec<&SecurityGroup> = model.all::<SecurityGroup>().collect();
        assert_eq!(groups.len(), 2);
        let detached = groups.iter().find(|g| g.detached).expect("detached entry");
        assert_eq!(detached.meta.address, "aws_security_group_rule.r");
        assert_eq!(detached.rules[0].covers_tcp_port(22), Some(true));
        let default = groups.iter().find(|g| g.is_default).expect("default group");
        assert!(default.unresolved_rules.is_some());
    }

    #[test]
    fn an_unresolved_flow_log_makes_vpcs_without_one_unknown() {
        let model = load(
            r#"
variable "vpc_id" { type = string }
resource "aws_vpc" "a" { cidr_block = "10.0.0.0/16" }
resource "aws_vpc" "b" { cidr_block = "10.1.0.0/16" }
resource "aws_flow_log" "a" {
  vpc_id       = aws_vpc.a.id
  traffic_type = "ALL"
}
resource "aws_flow_log" "elsewhere" {
  vpc_id       = var.vpc_id
  traffic_type = "ALL"
}
"#,
        );
        let vpcs: Vec<&Vpc> = model.all::<Vpc>().collect();
        assert_eq!(vpcs[0].flow_logs.known(), Some(&true));
        assert!(vpcs[1].flow_logs.known().is_none());
    }

    #[test]
    fn launch_template_user_data_is_decoded_and_interpolated_user_data_stays_unknown() {
        let model = load(
            r#"
variable "token" { type = string }
resource "aws_launch_template" "t" {
  user_data = base64encode("password=hunter22")
}
resource "aws_instance" "i" {
  user_data = "TOKEN=${var.token}"
}
"#,
        );
        let instances: Vec<&Instance> = model.all::<Instance>().collect();
        assert_eq!(
            instances[0].user_data.known(),
            Some(&Some("password=hunter22".to_string()))
        );
        assert!(instances[1].user_data.known().is_none());
        // The instance's root volume exists even when no block is written.
        assert_eq!(
            instances[1].block_devices[0].encrypted.known(),
            Some(&false)
        );
        assert!(!instances[1].block_devices[0].encrypted.explicit);
    }
}
