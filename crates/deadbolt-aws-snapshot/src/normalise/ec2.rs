//! EC2 and VPC: security groups, network ACLs, instances, volumes, EBS default encryption, VPCs.
//!
//! Reads, per region (every page): `ec2:DescribeSecurityGroups` ([`SecurityGroup`]: one
//! [`FirewallRule`] per CIDR or peer of each permission, since each carries its own description),
//! `DescribeNetworkAcls` ([`NetworkAcl`] entries, the default deny included),
//! `DescribeInstances` ([`Instance`]: IMDS options, public IP, monitoring; block device encryption
//! joined from `DescribeVolumes`), `DescribeVolumes` ([`Volume`]), `GetEbsEncryptionByDefault`
//! ([`EbsDefaultEncryption`]) and `DescribeVpcs` ([`Vpc`]: flow logs from `DescribeFlowLogs`, and
//! whether the VPC's default security group is in the scan).
//!
//! Not collected, so unknown with the reason: an instance's user data (only
//! `DescribeInstanceAttribute` returns it).

use std::collections::HashMap;

use deadbolt_model::aws::ec2::{
    BlockDevice, Direction, EbsDefaultEncryption, FirewallRule, Instance, InstanceKind, NetworkAcl,
    SecurityGroup, Volume, Vpc,
};
use deadbolt_model::{Attr, ResourceMeta, Span, Unknown};
use serde_json::Value;

use super::resource::{regional, required};
use super::{Context, span_of};
use crate::format::Call;
use crate::json::{boolean, integer, list, path, text};

/// Reads every region's EC2 and VPC listings.
pub(super) fn normalise(cx: &mut Context<'_>) {
    security_groups(cx);
    network_acls(cx);
    let volumes = volumes(cx);
    instances(cx, &volumes);
    default_encryption(cx);
    vpcs(cx);
}

/// The protocol names the model uses for the IP protocol numbers AWS may return.
fn protocol_name(protocol: &str) -> String {
    match protocol {
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        "58" => "icmpv6",
        "all" => "-1",
        other => other,
    }
    .to_string()
}

fn security_groups(cx: &mut Context<'_>) {
    for call in cx.calls.all("ec2", "DescribeSecurityGroups") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        for group in list(response.get("securityGroupInfo")) {
            let Some(id) = required(cx, call, group, "groupId") else {
                continue;
            };
            let owner = text(group.get("ownerId")).unwrap_or_else(|| cx.account().to_string());
            let arn = format!(
                "arn:{}:ec2:{}:{owner}:security-group/{id}",
                cx.partition(),
                call.region
            );
            let meta = regional(arn, "AWS::EC2::SecurityGroup", call);
            let span = span_of(call);
            let mut rules = Vec::new();
            for (key, direction) in [
                ("ipPermissions", Direction::Ingress),
                ("ipPermissionsEgress", Direction::Egress),
            ] {
                for permission in list(group.get(key)) {
                    rules.extend(permission_rules(&meta, direction, permission, &span));
                }
            }
            cx.model.push(SecurityGroup {
                is_default: text(group.get("groupName")).as_deref() == Some("default"),
                description: Attr::set(
                    text(group.get("groupDescription")).unwrap_or_default(),
                    span,
                ),
                meta,
                rules,
                detached: false,
                unresolved_rules: None,
            });
        }
    }
}

/// One rule per source or destination of an `IpPermission`: its CIDR ranges, IPv6 ranges,
/// security group peers and prefix lists each carry their own description.
fn permission_rules(
    origin: &ResourceMeta,
    direction: Direction,
    permission: &Value,
    span: &Span,
) -> Vec<FirewallRule> {
    let protocol = protocol_name(&text(permission.get("ipProtocol")).unwrap_or_default());
    // AWS omits the ports for all-protocol rules; the model's range for them is 0..=65535.
    let (from, to) = match (
        integer(permission.get("fromPort")),
        integer(permission.get("toPort")),
    ) {
        (Some(from), Some(to)) => (from, to),
        _ => (0, 65535),
    };
    let rule =
        |v4: Vec<String>, v6: Vec<String>, other: bool, description: Option<String>| FirewallRule {
            origin: origin.clone(),
            direction,
            protocol: Attr::set(protocol.clone(), span.clone()),
            from_port: Attr::set(from, span.clone()),
            to_port: Attr::set(to, span.clone()),
            ipv4_cidrs: Attr::set(v4, span.clone()),
            ipv6_cidrs: Attr::set(v6, span.clone()),
            cidrs_incomplete: None,
            has_other_peers: other,
            description: Attr::set(description.unwrap_or_default(), span.clone()),
            action: Attr::default("allow".to_string(), span.clone()),
            rule_number: None,
            span: span.clone(),
        };
    let mut out = Vec::new();
    for range in list(permission.get("ipRanges")) {
        if let Some(cidr) = text(range.get("cidrIp")) {
            out.push(rule(
                vec![cidr],
                Vec::new(),
                false,
                text(range.get("description")),
            ));
        }
    }
    for range in list(permission.get("ipv6Ranges")) {
        if let Some(cidr) = text(range.get("cidrIpv6")) {
            out.push(rule(
                Vec::new(),
                vec![cidr],
                false,
                text(range.get("description")),
            ));
        }
    }
    for peer in list(permission.get("groups"))
        .into_iter()
        .chain(list(permission.get("prefixListIds")))
    {
        out.push(rule(
            Vec::new(),
            Vec::new(),
            true,
            text(peer.get("description")),
        ));
    }
    out
}

fn network_acls(cx: &mut Context<'_>) {
    for call in cx.calls.all("ec2", "DescribeNetworkAcls") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        for acl in list(response.get("networkAclSet")) {
            let Some(id) = required(cx, call, acl, "networkAclId") else {
                continue;
            };
            let owner = text(acl.get("ownerId")).unwrap_or_else(|| cx.account().to_string());
            let arn = format!(
                "arn:{}:ec2:{}:{owner}:network-acl/{id}",
                cx.partition(),
                call.region
            );
            let meta = regional(arn, "AWS::EC2::NetworkAcl", call);
            let span = span_of(call);
            let rules = list(acl.get("entrySet"))
                .into_iter()
                .map(|entry| nacl_rule(&meta, entry, &span))
                .collect();
            cx.model.push(NetworkAcl {
                meta,
                rules,
                detached: false,
                unresolved_rules: None,
            });
        }
    }
}

fn nacl_rule(origin: &ResourceMeta, entry: &Value, span: &Span) -> FirewallRule {
    let direction = if boolean(entry.get("egress")) == Some(true) {
        Direction::Egress
    } else {
        Direction::Ingress
    };
    let protocol = protocol_name(&text(entry.get("protocol")).unwrap_or_default());
    let (from, to) = match (
        integer(path(entry, &["portRange", "from"])),
        integer(path(entry, &["portRange", "to"])),
    ) {
        (Some(from), Some(to)) => (from, to),
        _ => (0, 65535),
    };
    let cidrs = |key: &str| text(entry.get(key)).into_iter().collect::<Vec<_>>();
    let number = integer(entry.get("ruleNumber"));
    FirewallRule {
        origin: origin.clone(),
        direction,
        protocol: Attr::set(protocol, span.clone()),
        from_port: Attr::set(from, span.clone()),
        to_port: Attr::set(to, span.clone()),
        ipv4_cidrs: Attr::set(cidrs("cidrBlock"), span.clone()),
        ipv6_cidrs: Attr::set(cidrs("ipv6CidrBlock"), span.clone()),
        cidrs_incomplete: None,
        has_other_peers: false,
        description: Attr::default(String::new(), span.clone()),
        action: Attr::set(
            text(entry.get("ruleAction")).unwrap_or_default(),
            span.clone(),
        ),
        rule_number: Some(match number {
            Some(n) => Attr::set(n, span.clone()),
            None => Attr::unknown(
                Unknown::new("ec2:DescribeNetworkAcls gave an entry no ruleNumber"),
                span.clone(),
            ),
        }),
        span: span.clone(),
    }
}

/// Volumes by (region, volume ID): encryption and the call that listed them, for instances'
/// block devices.
type Volumes = HashMap<(String, String), (bool, Span)>;

fn volumes(cx: &mut Context<'_>) -> Volumes {
    let mut seen = Volumes::new();
    for call in cx.calls.all("ec2", "DescribeVolumes") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        for volume in list(response.get("volumeSet")) {
            let Some(id) = required(cx, call, volume, "volumeId") else {
                continue;
            };
            let span = span_of(call);
            let encrypted = match boolean(volume.get("encrypted")) {
                Some(e) => Attr::set(e, span.clone()),
                None => {
                    cx.malformed(call, &format!("volume {id} has no `encrypted`"));
                    Attr::unknown(
                        Unknown::new(format!("ec2:DescribeVolumes gave {id} no `encrypted`")),
                        span.clone(),
                    )
                }
            };
            if let Some(e) = encrypted.known() {
                seen.insert((call.region.clone(), id.clone()), (*e, span.clone()));
            }
            let kms_key = text(volume.get("kmsKeyId"))
                .filter(|k| !k.is_empty())
                .map(|k| Attr::set(k, span.clone()));
            let arn = cx.arn("ec2", &call.region, &format!("volume/{id}"));
            cx.model.push(Volume {
                meta: regional(arn, "AWS::EC2::Volume", call),
                encrypted,
                kms_key,
            });
        }
    }
    seen
}

fn instances(cx: &mut Context<'_>, volumes: &Volumes) {
    for call in cx.calls.all("ec2", "DescribeInstances") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        for reservation in list(response.get("reservationSet")) {
            for instance in list(reservation.get("instancesSet")) {
                let Some(id) = required(cx, call, instance, "instanceId") else {
                    continue;
                };
                if text(path(instance, &["instanceState", "name"])).as_deref() == Some("terminated")
                {
                    continue;
                }
                let pushed = instance_of(cx, call, instance, &id, volumes);
                cx.model.push(pushed);
            }
        }
    }
}

fn instance_of(
    cx: &Context<'_>,
    call: &Call,
    instance: &Value,
    id: &str,
    volumes: &Volumes,
) -> Instance {
    let span = span_of(call);
    let option = |name: &str, default: &str| match text(path(instance, &["metadataOptions", name]))
    {
        Some(value) => Attr::set(value, span.clone()),
        None => Attr::default(default.to_string(), span.clone()),
    };
    let public_ip = text(instance.get("ipAddress")).is_some_and(|ip| !ip.is_empty());
    let block_devices = list(instance.get("blockDeviceMapping"))
        .into_iter()
        .filter_map(|mapping| {
            let name = text(mapping.get("deviceName")).unwrap_or_default();
            let volume = text(path(mapping, &["ebs", "volumeId"]))?;
            let encrypted = match volumes.get(&(call.region.clone(), volume.clone())) {
                Some((e, volume_span)) => Attr::set(*e, volume_span.clone()),
                None => Attr::unknown(
                    Unknown::new(format!(
                        "volume {volume} is not in ec2:DescribeVolumes of {}",
                        call.region
                    )),
                    span.clone(),
                ),
            };
            Some(BlockDevice { name, encrypted })
        })
        .collect();
    let monitoring = text(path(instance, &["monitoring", "state"]));
    let owner = cx.account();
    Instance {
        meta: regional(
            format!(
                "arn:{}:ec2:{}:{owner}:instance/{id}",
                cx.partition(),
                call.region
            ),
            "AWS::EC2::Instance",
            call,
        ),
        kind: InstanceKind::Instance,
        metadata_http_tokens: option("httpTokens", "optional"),
        metadata_endpoint: option("httpEndpoint", "enabled"),
        public_ip: Attr::set(Some(public_ip), span.clone()),
        block_devices,
        user_data: Attr::unknown(
            Unknown::new(
                "user data is returned only by ec2:DescribeInstanceAttribute, which is not collected",
            ),
            span.clone(),
        ),
        detailed_monitoring: match monitoring {
            Some(state) => Attr::set(state == "enabled" || state == "pending", span),
            None => Attr::default(false, span),
        },
    }
}

fn default_encryption(cx: &mut Context<'_>) {
    for call in cx.calls.all("ec2", "GetEbsEncryptionByDefault") {
        let span = span_of(call);
        let enabled = match (&call.error, &call.response) {
            (Some(error), _) => Attr::unknown(
                Unknown::new(format!(
                    "ec2:GetEbsEncryptionByDefault failed in {} ({})",
                    call.region, error.code
                )),
                span,
            ),
            (None, Some(response)) => match boolean(response.get("ebsEncryptionByDefault")) {
                Some(on) => Attr::set(on, span),
                None => {
                    cx.malformed(call, "no ebsEncryptionByDefault");
                    Attr::unknown(
                        Unknown::new(
                            "ec2:GetEbsEncryptionByDefault gave no ebsEncryptionByDefault",
                        ),
                        span,
                    )
                }
            },
            (None, None) => Attr::unknown(
                Unknown::new("ec2:GetEbsEncryptionByDefault returned nothing"),
                span,
            ),
        };
        let arn = cx.arn("ec2", &call.region, "ebs-encryption-by-default");
        cx.model.push(EbsDefaultEncryption {
            meta: regional(arn, "AWS::EC2::EBSEncryptionByDefault", call),
            enabled,
        });
    }
}

/// Whether every page of `operation` in `region` answered: a listing with a failed page is
/// incomplete, so "not found in it" is not known.
fn complete<'a>(cx: &Context<'a>, operation: &str, region: &str) -> Result<Vec<&'a Call>, Unknown> {
    let calls: Vec<&Call> = cx.calls.in_region("ec2", operation, region).collect();
    if calls.is_empty() {
        return Err(Unknown::new(format!(
            "ec2:{operation} was not collected in {region}"
        )));
    }
    if let Some(failed) = calls.iter().find_map(|c| c.error.as_ref()) {
        return Err(Unknown::new(format!(
            "ec2:{operation} failed in {region} ({})",
            failed.code
        )));
    }
    Ok(calls)
}

fn vpcs(cx: &mut Context<'_>) {
    for call in cx.calls.all("ec2", "DescribeVpcs") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        let region = call.region.as_str();
        let flow_logs = complete(cx, "DescribeFlowLogs", region);
        let groups = complete(cx, "DescribeSecurityGroups", region);
        for vpc in list(response.get("vpcSet")) {
            let Some(id) = required(cx, call, vpc, "vpcId") else {
                continue;
            };
            let span = span_of(call);
            let flow_logs = match &flow_logs {
                Ok(calls) => {
                    let hit = calls.iter().find(|c| {
                        list(c.response.as_ref().and_then(|r| r.get("flowLogSet")))
                            .iter()
                            .any(|f| text(f.get("resourceId")).as_deref() == Some(id.as_str()))
                    });
                    match hit {
                        Some(c) => Attr::set(true, span_of(c)),
                        None => {
                            Attr::set(false, calls.first().map_or(span.clone(), |c| span_of(c)))
                        }
                    }
                }
                Err(reason) => Attr::unknown(reason.clone(), span.clone()),
            };
            let default_group = match &groups {
                Ok(calls) => {
                    let managed = calls.iter().any(|c| {
                        list(c.response.as_ref().and_then(|r| r.get("securityGroupInfo")))
                            .iter()
                            .any(|g| {
                                text(g.get("groupName")).as_deref() == Some("default")
                                    && text(g.get("vpcId")).as_deref() == Some(id.as_str())
                            })
                    });
                    Attr::set(managed, span.clone())
                }
                Err(reason) => Attr::unknown(reason.clone(), span.clone()),
            };
            let owner = text(vpc.get("ownerId")).unwrap_or_else(|| cx.account().to_string());
            let arn = format!("arn:{}:ec2:{region}:{owner}:vpc/{id}", cx.partition());
            cx.model.push(Vpc {
                meta: regional(arn, "AWS::EC2::VPC", call),
                flow_logs,
                is_default: boolean(vpc.get("isDefault")) == Some(true),
                default_security_group_managed: default_group,
            });
        }
    }
}
