//! Amazon EC2 and VPC rules (the VPC rules have `AWS-VPC-*` IDs and service `vpc`).

use deadbolt_model::aws::ec2::{
    Direction, EbsDefaultEncryption, FirewallRule, NetworkAcl, SecurityGroup,
};
use deadbolt_model::{Attr, Model, Unknown};

use crate::checks::Checks;
use crate::rule::Rule;

mod block_device_unencrypted;
mod default_sg_traffic;
mod detailed_monitoring;
mod ebs_default_encryption;
mod ebs_volume_unencrypted;
mod imdsv2_instance;
mod imdsv2_template;
mod nacl_admin_ports_world;
mod nacl_all_world;
mod public_ami;
mod public_ip;
mod public_snapshot;
mod sg_all_ports_world;
mod sg_db_ports_world;
mod sg_egress_all_world;
mod sg_rdp_world;
mod sg_rule_no_description;
mod sg_ssh_world;
mod user_data_secrets;
mod vpc_flow_logs;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &sg_ssh_world::SgSshWorld,
    &sg_rdp_world::SgRdpWorld,
    &sg_db_ports_world::SgDbPortsWorld,
    &sg_all_ports_world::SgAllPortsWorld,
    &default_sg_traffic::DefaultSgTraffic,
    &sg_egress_all_world::SgEgressAllWorld,
    &sg_rule_no_description::SgRuleNoDescription,
    &imdsv2_instance::InstanceImdsv2,
    &imdsv2_template::TemplateImdsv2,
    &block_device_unencrypted::BlockDeviceUnencrypted,
    &ebs_volume_unencrypted::EbsVolumeUnencrypted,
    &public_ip::InstancePublicIp,
    &user_data_secrets::UserDataSecrets,
    &ebs_default_encryption::EbsDefaultEncryptionOff,
    &detailed_monitoring::DetailedMonitoringOff,
    &nacl_admin_ports_world::NaclAdminPortsWorld,
    &nacl_all_world::NaclAllWorld,
    &vpc_flow_logs::VpcNoFlowLogs,
    &public_snapshot::PublicEbsSnapshot,
    &public_ami::PublicAmi,
];

/// Judges every security group rule in `direction` that is open to the world: it fails when
/// `matches` says the rule covers the traffic in question (evidence from `what`), at the rule, on the
/// resource that declared it. A group with no failing rule passes, or is not evaluated when a rule's
/// CIDRs or ports are unknown.
pub(super) fn judge_world_sg_rules<'m>(
    model: &'m Model,
    checks: &mut Checks<'m>,
    direction: Direction,
    matches: impl Fn(&FirewallRule) -> Option<bool>,
    what: impl Fn(&FirewallRule) -> String,
) {
    for sg in model.all::<SecurityGroup>() {
        let rules = sg.rules.iter().filter(|r| r.direction == direction);
        super::judge_world_rules(checks, &sg.meta, rules, &matches, |rule| {
            let via = if rule.origin.address == sg.meta.address {
                String::new()
            } else {
                format!(" (rule of `{}`)", sg.meta.address)
            };
            let way = match direction {
                Direction::Ingress => "from",
                Direction::Egress => "to",
            };
            format!(
                "{} rule allows {} {way} {}{via}",
                direction_word(direction),
                what(rule),
                rule.world_cidrs().join(", ")
            )
        });
    }
}

/// Judges every network ACL's allow rules in `direction` that admit the world and cover the traffic
/// `covers` describes, unless a lower-numbered deny for the whole internet covers it first.
/// `what` names the traffic a failing rule allows.
pub(super) fn judge_world_nacl_rules<'m>(
    model: &'m Model,
    checks: &mut Checks<'m>,
    covers: impl Fn(&FirewallRule) -> Option<bool>,
    what: impl Fn(&FirewallRule) -> String,
) {
    for acl in model.all::<NetworkAcl>() {
        let mut failed = false;
        let mut unknown: Option<Unknown> = None;
        let ingress = acl
            .rules
            .iter()
            .filter(|r| r.direction == Direction::Ingress);
        for rule in ingress.filter(|r| !r.is_deny()) {
            if rule.action.known().is_none() {
                unknown = unknown.or_else(|| rule.action.unknown_reason().cloned());
                continue;
            }
            let covered = covers(rule);
            let mut open_families = Vec::new();
            for (ipv6, cidrs, world) in [
                (false, &rule.ipv4_cidrs, "0.0.0.0/0"),
                (true, &rule.ipv6_cidrs, "::/0"),
            ] {
                match cidrs.known() {
                    Some(c) if c.iter().any(|c| c.trim() == world) => {
                        open_families.push((ipv6, world))
                    }
                    Some(_) => {
                        unknown = unknown.or_else(|| rule.cidrs_incomplete.clone());
                    }
                    None => unknown = unknown.or_else(|| cidrs.unknown_reason().cloned()),
                }
            }
            if open_families.is_empty() || covered == Some(false) {
                continue;
            }
            if covered.is_none() {
                unknown = unknown.or_else(|| rule.first_unknown().cloned());
                continue;
            }
            // The ACL's other rules are not all known: a deny among them could come first.
            if let Some(reason) = &acl.unresolved_rules {
                unknown = unknown.or_else(|| Some(reason.clone()));
                continue;
            }
            if acl.detached {
                unknown = unknown.or_else(|| {
                    Some(Unknown::new(
                        "the rule's network ACL is not in the scan, so a lower-numbered deny may apply",
                    ))
                });
                continue;
            }
            let mut effective = Vec::new();
            for (ipv6, world) in open_families {
                match acl.shadowed(rule, ipv6, &covers) {
                    Some(false) => effective.push(world),
                    Some(true) => {}
                    None => {
                        unknown = unknown.or_else(|| {
                            Some(Unknown::new(
                                "a lower-numbered deny rule has an unknown number, CIDR or port",
                            ))
                        })
                    }
                }
            }
            if !effective.is_empty() {
                let number = rule
                    .rule_number
                    .as_ref()
                    .and_then(|n| n.known())
                    .map_or(String::new(), |n| format!(" {n}"));
                checks.fail(
                    &rule.origin,
                    &rule.span,
                    format!(
                        "ingress rule{number} allows {} from {}",
                        what(rule),
                        effective.join(", ")
                    ),
                );
                failed = true;
            }
        }
        if failed {
            continue;
        }
        match unknown {
            Some(reason) => checks.not_evaluated(&acl.meta, &reason),
            None => checks.pass(&acl.meta),
        }
    }
}

/// Whether the scan turns on EBS encryption by default: `true` when an `EbsDefaultEncryption` is
/// known to be enabled. Volumes that do not set encryption are then
/// encrypted anyway.
pub(super) fn ebs_encrypted_by_default(model: &Model) -> bool {
    model
        .all::<EbsDefaultEncryption>()
        .any(|d| d.enabled.known() == Some(&true))
}

/// Judges one block device or volume's `encrypted` flag, crediting the account-level default when
/// the flag is not set.
pub(super) fn unencrypted(encrypted: &Attr<bool>, by_default: bool) -> Option<bool> {
    match encrypted.known() {
        Some(false) if !encrypted.explicit && by_default => Some(false),
        Some(e) => Some(!e),
        None => None,
    }
}

fn direction_word(direction: Direction) -> &'static str {
    match direction {
        Direction::Ingress => "ingress",
        Direction::Egress => "egress",
    }
}
