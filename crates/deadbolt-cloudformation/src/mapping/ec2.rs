//! EC2 and VPC: security groups (inline rules and `SecurityGroupIngress`/`Egress` resources),
//! network ACLs and their entries, instances, launch templates, launch configurations, volumes,
//! VPCs and flow logs.

use base64::Engine as _;
use deadbolt_model::Settings as _;
use deadbolt_model::aws::ec2::{
    BlockDevice, Direction, FirewallRule, Instance, InstanceKind, NetworkAcl, SecurityGroup,
    Volume, Vpc,
};
use deadbolt_model::{Attr, Model, OtherResource, ResourceMeta, State, Unknown};

use super::{Res, join};
use crate::props::Props;
use crate::template::intrinsic;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    let p = &r.props;
    match r.kind {
        "AWS::EC2::SecurityGroup" => {
            let mut rules: Vec<FirewallRule> = p
                .list("SecurityGroupIngress")
                .iter()
                .map(|rule| sg_rule(rule, r.meta, Direction::Ingress))
                .collect();
            let egress = p.list("SecurityGroupEgress");
            if egress.is_empty() {
                rules.push(default_egress(r.meta));
            }
            rules.extend(
                egress
                    .iter()
                    .map(|rule| sg_rule(rule, r.meta, Direction::Egress)),
            );
            model.push(SecurityGroup {
                meta: r.meta.clone(),
                is_default: false,
                description: p.string("GroupDescription", ""),
                rules,
                detached: false,
                unresolved_rules: None,
            });
        }
        "AWS::EC2::NetworkAcl" => model.push(NetworkAcl {
            meta: r.meta.clone(),
            rules: Vec::new(),
            detached: false,
            unresolved_rules: None,
        }),
        "AWS::EC2::Instance" => {
            // IMDS options cannot be set on AWS::EC2::Instance itself, only through a launch
            // template: the template's when it is in this stack, unknown when it is not.
            let (metadata_http_tokens, metadata_endpoint) = if p.has("LaunchTemplate") {
                match launch_template_imds(p) {
                    Some(imds) => (
                        imds.string("HttpTokens", "optional"),
                        imds.string("HttpEndpoint", "enabled"),
                    ),
                    None => {
                        let unknown = Attr::unknown(
                            Unknown::new("set by a launch template outside this template"),
                            p.span_for("LaunchTemplate"),
                        );
                        (unknown.clone(), unknown)
                    }
                }
            } else {
                (
                    Attr::default("optional".to_string(), p.span()),
                    Attr::default("enabled".to_string(), p.span()),
                )
            };
            model.push(Instance {
                meta: r.meta.clone(),
                kind: InstanceKind::Instance,
                metadata_http_tokens,
                metadata_endpoint,
                public_ip: public_ip(p),
                block_devices: block_devices(p, true),
                user_data: user_data(p),
                detailed_monitoring: p.bool("Monitoring", false),
            });
        }
        "AWS::EC2::LaunchTemplate" => {
            let data = p.nested("LaunchTemplateData");
            let imds = data.nested("MetadataOptions");
            model.push(Instance {
                meta: r.meta.clone(),
                kind: InstanceKind::LaunchTemplate,
                metadata_http_tokens: imds.string("HttpTokens", "optional"),
                metadata_endpoint: imds.string("HttpEndpoint", "enabled"),
                public_ip: public_ip(&data),
                // Without mappings the AMI's own apply, which the template does not describe.
                block_devices: block_devices(&data, false),
                user_data: user_data(&data),
                detailed_monitoring: data.nested("Monitoring").bool("Enabled", false),
            });
        }
        "AWS::AutoScaling::LaunchConfiguration" => {
            let imds = p.nested("MetadataOptions");
            model.push(Instance {
                meta: r.meta.clone(),
                kind: InstanceKind::LaunchConfiguration,
                metadata_http_tokens: imds.string("HttpTokens", "optional"),
                metadata_endpoint: imds.string("HttpEndpoint", "enabled"),
                public_ip: p.typed(
                    "AssociatePublicIpAddress",
                    None,
                    |v| v.as_bool().map(Some),
                    "a boolean",
                ),
                block_devices: block_devices(p, true),
                user_data: user_data(p),
                // Launch configurations turn detailed monitoring on unless told otherwise.
                detailed_monitoring: p.bool("InstanceMonitoring", true),
            });
        }
        "AWS::EC2::Volume" => model.push(Volume {
            meta: r.meta.clone(),
            encrypted: p.bool("Encrypted", false),
            kms_key: p.has("KmsKeyId").then(|| p.string("KmsKeyId", "")),
        }),
        "AWS::EC2::VPC" => model.push(Vpc {
            meta: r.meta.clone(),
            flow_logs: Attr::default(false, p.span()),
            is_default: false,
            // CloudFormation cannot manage a VPC's default security group.
            default_security_group_managed: Attr::default(false, p.span()),
        }),
        _ => return false,
    }
    true
}

pub(super) fn secondary(r: &Res<'_>, model: &mut Model) -> bool {
    let p = &r.props;
    match r.kind {
        "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress" => {
            let direction = if r.kind.ends_with("Ingress") {
                Direction::Ingress
            } else {
                Direction::Egress
            };
            let rule = sg_rule(p, r.meta, direction);
            let targets = p.references_in("GroupId");
            let name = p.string("GroupName", "");
            let joined = join::<SecurityGroup>(
                model,
                &targets,
                name.known().map(String::as_str).filter(|n| !n.is_empty()),
                |g| &g.meta,
                |_| None,
                |g| {
                    // An explicit egress rule replaces EC2's default one.
                    if direction == Direction::Egress {
                        g.rules.retain(|rule| !is_default_egress(rule));
                    }
                    g.rules.push(rule.clone());
                },
            );
            if joined {
                model.push(OtherResource {
                    meta: r.meta.clone(),
                });
            } else {
                model.push(SecurityGroup {
                    meta: r.meta.clone(),
                    is_default: false,
                    description: Attr::default(String::new(), p.span()),
                    rules: vec![rule],
                    detached: true,
                    unresolved_rules: None,
                });
            }
        }
        "AWS::EC2::NetworkAclEntry" => {
            let direction = if p.bool("Egress", false).known() == Some(&true) {
                Direction::Egress
            } else {
                Direction::Ingress
            };
            let range = p.nested("PortRange");
            let rule = FirewallRule {
                origin: r.meta.clone(),
                direction,
                protocol: protocol(p, "Protocol"),
                from_port: range.int("From", 0),
                to_port: range.int("To", 65535),
                ipv4_cidrs: p.strings("CidrBlock"),
                ipv6_cidrs: p.strings("Ipv6CidrBlock"),
                cidrs_incomplete: None,
                has_other_peers: false,
                description: Attr::default(String::new(), p.span()),
                action: p.string("RuleAction", "").map(|a| a.to_ascii_lowercase()),
                rule_number: Some(p.int("RuleNumber", 0)),
                span: r.meta.span.clone(),
            };
            let targets = p.references_in("NetworkAclId");
            let joined = join::<NetworkAcl>(
                model,
                &targets,
                None,
                |a| &a.meta,
                |_| None,
                |a| a.rules.push(rule.clone()),
            );
            if joined {
                model.push(OtherResource {
                    meta: r.meta.clone(),
                });
            } else {
                model.push(NetworkAcl {
                    meta: r.meta.clone(),
                    rules: vec![rule],
                    detached: true,
                    unresolved_rules: None,
                });
            }
        }
        "AWS::EC2::FlowLog" => {
            let targets = p.references_in("ResourceId");
            let is_vpc = p.string("ResourceType", "VPC").known().map(String::as_str) == Some("VPC");
            let span = r.meta.span.clone();
            if is_vpc {
                join::<Vpc>(
                    model,
                    &targets,
                    None,
                    |v| &v.meta,
                    |_| None,
                    |v| v.flow_logs = Attr::set(true, span),
                );
            }
            model.push(OtherResource {
                meta: r.meta.clone(),
            });
        }
        _ => return false,
    }
    true
}

/// The `MetadataOptions` of the launch template an instance names, when that template is a
/// resource of this template.
fn launch_template_imds<'t>(p: &Props<'t>) -> Option<Props<'t>> {
    let spec = p.nested("LaunchTemplate");
    let id = ["LaunchTemplateId", "LaunchTemplateName"]
        .iter()
        .find_map(|name| spec.references_in(name).into_iter().next())?;
    let template = p.template;
    let resource = template
        .resources
        .iter()
        .find(|r| r.id == id && r.kind == "AWS::EC2::LaunchTemplate")?;
    let key_span = resource.key.span.clone();
    let data = Props {
        template,
        node: resource.node.get("Properties"),
        fallback: key_span,
    }
    .nested("LaunchTemplateData");
    Some(data.nested("MetadataOptions"))
}

/// EC2 gives a VPC security group declared without egress rules one that allows all traffic out.
fn default_egress(meta: &ResourceMeta) -> FirewallRule {
    FirewallRule::implicit(
        meta,
        Direction::Egress,
        "-1",
        (0, 65535),
        "0.0.0.0/0",
        DEFAULT_EGRESS,
    )
}

const DEFAULT_EGRESS: &str = "the egress rule EC2 adds to a group declared without one";

fn is_default_egress(rule: &FirewallRule) -> bool {
    rule.description.known().map(String::as_str) == Some(DEFAULT_EGRESS)
        && !rule.description.explicit
}

/// A rule from an inline `SecurityGroupIngress`/`Egress` entry or a standalone rule resource
/// (they share their property names).
fn sg_rule(p: &Props<'_>, origin: &ResourceMeta, direction: Direction) -> FirewallRule {
    let peers = [
        "SourceSecurityGroupId",
        "SourceSecurityGroupName",
        "SourcePrefixListId",
        "DestinationSecurityGroupId",
        "DestinationPrefixListId",
    ];
    let all_protocols = p
        .string("IpProtocol", "-1")
        .known()
        .is_some_and(|p| p == "-1" || p.eq_ignore_ascii_case("all"));
    let (from, to) = if all_protocols {
        (Attr::default(0, p.span()), Attr::default(65535, p.span()))
    } else {
        (p.int("FromPort", 0), p.int("ToPort", 0))
    };
    FirewallRule {
        origin: origin.clone(),
        direction,
        protocol: protocol(p, "IpProtocol"),
        from_port: from,
        to_port: to,
        ipv4_cidrs: p.strings("CidrIp"),
        ipv6_cidrs: p.strings("CidrIpv6"),
        cidrs_incomplete: None,
        has_other_peers: peers.iter().any(|n| p.has(n)),
        description: p.string("Description", ""),
        action: Attr::default("allow".to_string(), p.span()),
        rule_number: None,
        span: p
            .node
            .map_or_else(|| origin.span.clone(), |n| n.span.clone()),
    }
}

/// The protocol with numbers and aliases normalised to the names the model uses.
fn protocol(p: &Props<'_>, name: &str) -> Attr<String> {
    p.string(name, "-1").map(|proto| {
        let proto = proto.trim().to_ascii_lowercase();
        match proto.as_str() {
            "-1" | "all" => "-1".to_string(),
            "6" => "tcp".to_string(),
            "17" => "udp".to_string(),
            "1" => "icmp".to_string(),
            "58" => "icmpv6".to_string(),
            _ => proto,
        }
    })
}

/// Whether a network interface asks for a public IPv4 address (the first that does wins).
fn public_ip(p: &Props<'_>) -> Attr<Option<bool>> {
    p.list("NetworkInterfaces")
        .iter()
        .map(|n| {
            n.typed(
                "AssociatePublicIpAddress",
                None,
                |v| v.as_bool().map(Some),
                "a boolean",
            )
        })
        .reduce(|a, b| if a.known() == Some(&Some(true)) { a } else { b })
        .unwrap_or_else(|| Attr::default(None, p.span()))
}

/// The EBS block devices declared in `BlockDeviceMappings`. An instance or launch configuration
/// without any still has a root volume, unencrypted unless the AMI's snapshot or the account's EBS
/// default says otherwise (`with_root`).
fn block_devices(p: &Props<'_>, with_root: bool) -> Vec<BlockDevice> {
    let declared: Vec<BlockDevice> = p
        .list("BlockDeviceMappings")
        .iter()
        .filter(|m| m.has("Ebs"))
        .map(|m| BlockDevice {
            name: m
                .string("DeviceName", "")
                .known()
                .cloned()
                .unwrap_or_default(),
            encrypted: m.nested("Ebs").bool("Encrypted", false),
        })
        .collect();
    if declared.is_empty() && with_root {
        return vec![BlockDevice {
            name: "root".into(),
            encrypted: Attr::default(false, p.span()),
        }];
    }
    declared
}

/// The user data as the instance receives it. `Fn::Base64` is kept as its plain input by the
/// evaluator; a literal is base64 already and is decoded.
fn user_data(p: &Props<'_>) -> Attr<Option<String>> {
    let attr = p.opt_string("UserData");
    let encoded_literal = p
        .entry("UserData")
        .is_some_and(|(_, v)| intrinsic(v).is_none_or(|(name, _)| name != "Fn::Base64"));
    let Some(Some(text)) = attr.known() else {
        return attr;
    };
    if !encoded_literal {
        return attr;
    }
    let compact: String = text.split_whitespace().collect();
    match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(decoded) => Attr {
                state: State::Known(Some(decoded)),
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
