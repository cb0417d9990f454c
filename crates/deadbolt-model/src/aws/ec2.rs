//! Amazon EC2 and VPC: security groups, network ACLs, instances, volumes, VPCs.

use serde::Serialize;

use crate::attr::{Attr, Unknown};
use crate::resource::ResourceMeta;

/// Traffic direction of a firewall rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Inbound.
    Ingress,
    /// Outbound.
    Egress,
}

/// One security group or NACL rule. For rules declared as their own resource
/// (`aws_security_group_rule`, `AWS::EC2::SecurityGroupIngress`), `origin` is that resource, so a
/// finding points at it and its suppressions apply.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FirewallRule {
    /// The resource that declared the rule (the group itself for inline rules).
    pub origin: ResourceMeta,
    /// Inbound or outbound.
    pub direction: Direction,
    /// `tcp`, `udp`, `icmp`, `icmpv6` or `-1` (all); protocol numbers are normalised to names.
    pub protocol: Attr<String>,
    /// First port (inclusive). For protocol `-1` the range is 0..=65535.
    pub from_port: Attr<i64>,
    /// Last port (inclusive).
    pub to_port: Attr<i64>,
    /// IPv4 CIDR sources/destinations.
    pub ipv4_cidrs: Attr<Vec<String>>,
    /// IPv6 CIDR sources/destinations.
    pub ipv6_cidrs: Attr<Vec<String>>,
    /// Set when some entries of the CIDR lists are unknown (`[var.office, "0.0.0.0/0"]`): the
    /// known entries are in `ipv4_cidrs`/`ipv6_cidrs`, so a world CIDR among them is certain, but
    /// its absence is not.
    pub cidrs_incomplete: Option<Unknown>,
    /// `true` when the rule also names security groups, prefix lists or itself as peers.
    pub has_other_peers: bool,
    /// The description (empty when none).
    pub description: Attr<String>,
    /// NACL only: `allow` or `deny` (security group rules always allow).
    pub action: Attr<String>,
    /// NACL only: evaluation order.
    pub rule_number: Option<Attr<i64>>,
    /// The span of the rule (the `ingress` block or the rule resource).
    pub span: crate::span::Span,
}

impl FirewallRule {
    /// A rule the provider creates without the source declaring it (Lightsail's default ports,
    /// the egress rule EC2 gives a security group declared without one): every attribute is a
    /// default (`explicit == false`) at the resource's span, allowing `ports` (inclusive) over
    /// `protocol` from or to `ipv4_cidr`.
    pub fn implicit(
        origin: &ResourceMeta,
        direction: Direction,
        protocol: &str,
        ports: (i64, i64),
        ipv4_cidr: &str,
        description: &str,
    ) -> FirewallRule {
        let span = origin.span.clone();
        FirewallRule {
            origin: origin.clone(),
            direction,
            protocol: Attr::default(protocol.to_string(), span.clone()),
            from_port: Attr::default(ports.0, span.clone()),
            to_port: Attr::default(ports.1, span.clone()),
            ipv4_cidrs: Attr::default(vec![ipv4_cidr.to_string()], span.clone()),
            ipv6_cidrs: Attr::default(Vec::new(), span.clone()),
            cidrs_incomplete: None,
            has_other_peers: false,
            description: Attr::default(description.to_string(), span.clone()),
            action: Attr::default("allow".to_string(), span.clone()),
            rule_number: None,
            span,
        }
    }

    /// Whether the rule admits traffic from/to anywhere (`0.0.0.0/0` or `::/0`). `None` when the
    /// CIDRs are unknown.
    pub fn open_to_world(&self) -> Option<bool> {
        let v4 = self
            .ipv4_cidrs
            .known()
            .map(|c| c.iter().any(|c| c.trim() == "0.0.0.0/0"));
        let v6 = self
            .ipv6_cidrs
            .known()
            .map(|c| c.iter().any(|c| c.trim() == "::/0"));
        match (v4, v6) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) if self.cidrs_incomplete.is_none() => Some(false),
            _ => None,
        }
    }

    /// Whether the rule covers `port` over TCP (or all protocols). `None` when unknown.
    pub fn covers_tcp_port(&self, port: i64) -> Option<bool> {
        let protocol = self.protocol.known()?;
        if protocol == "-1" || protocol == "all" {
            return Some(true);
        }
        if protocol != "tcp" && protocol != "6" {
            return Some(false);
        }
        let (from, to) = (*self.from_port.known()?, *self.to_port.known()?);
        Some(from <= port && port <= to)
    }

    /// Whether the rule covers every port of every protocol. `None` when unknown.
    pub fn covers_all_ports(&self) -> Option<bool> {
        let protocol = self.protocol.known()?;
        if protocol == "-1" || protocol == "all" {
            return Some(true);
        }
        let (from, to) = (*self.from_port.known()?, *self.to_port.known()?);
        Some(from <= 0 && to >= 65535 || (from == -1 && to == -1 && protocol != "icmp"))
    }

    /// The "everyone" CIDRs among the rule's sources or destinations (`0.0.0.0/0`, `::/0`), for
    /// evidence in messages.
    pub fn world_cidrs(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self
            .ipv4_cidrs
            .known()
            .is_some_and(|c| c.iter().any(|c| c.trim() == "0.0.0.0/0"))
        {
            out.push("0.0.0.0/0");
        }
        if self
            .ipv6_cidrs
            .known()
            .is_some_and(|c| c.iter().any(|c| c.trim() == "::/0"))
        {
            out.push("::/0");
        }
        out
    }

    /// The traffic the rule matches, in words: `all traffic`, `tcp 22`, `udp 1000-2000`.
    pub fn traffic(&self) -> String {
        let protocol = self.protocol.known().map_or("?", String::as_str);
        if protocol == "-1" || protocol == "all" {
            return "all traffic".to_string();
        }
        match (self.from_port.known(), self.to_port.known()) {
            (Some(from), Some(to)) if from == to => format!("{protocol} {from}"),
            (Some(from), Some(to)) => format!("{protocol} {from}-{to}"),
            _ => format!("{protocol} (ports unknown)"),
        }
    }

    /// The first unknown among the values that decide what the rule admits (CIDRs, protocol,
    /// ports, NACL order), for a not-evaluated outcome.
    pub fn first_unknown(&self) -> Option<&Unknown> {
        self.ipv4_cidrs
            .unknown_reason()
            .or_else(|| self.ipv6_cidrs.unknown_reason())
            .or(self.cidrs_incomplete.as_ref())
            .or_else(|| self.protocol.unknown_reason())
            .or_else(|| self.from_port.unknown_reason())
            .or_else(|| self.to_port.unknown_reason())
            .or_else(|| self.rule_number.as_ref().and_then(|n| n.unknown_reason()))
    }

    /// `true` for NACL deny rules.
    pub fn is_deny(&self) -> bool {
        self.action
            .known()
            .is_some_and(|a| a.eq_ignore_ascii_case("deny"))
    }
}

/// A security group with its inline and joined rules.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SecurityGroup {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// `true` for a VPC's default security group (`aws_default_security_group`).
    pub is_default: bool,
    /// The group's description.
    pub description: Attr<String>,
    /// Ingress and egress rules.
    pub rules: Vec<FirewallRule>,
    /// `true` when this entry is not a group at all but one standalone rule resource whose group is
    /// not in the scan (`security_group_id = var.sg_id`). `meta` is then the rule resource, so the
    /// rule is still judged on its own; checks about the group itself (its description, whether it
    /// is a default group) skip such entries.
    pub detached: bool,
    /// Set when the scan has standalone rule resources whose group could not be resolved: any of
    /// them may belong to this group, so a verdict that needs the complete rule set (such as "the
    /// group has no rules") is unknown for this reason.
    pub unresolved_rules: Option<Unknown>,
}

/// A network ACL with its rules.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkAcl {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// The rules, inline and joined.
    pub rules: Vec<FirewallRule>,
    /// `true` when this entry is one standalone rule resource whose ACL is not in the scan; `meta`
    /// is then the rule resource. The ACL's other rules (and so any lower-numbered deny) are unknown.
    pub detached: bool,
    /// Set when the scan has standalone rule resources whose ACL could not be resolved and which may
    /// belong to this ACL (a lower-numbered deny among them could shadow an allow).
    pub unresolved_rules: Option<Unknown>,
}

impl NetworkAcl {
    /// Whether `rule` (one of this ACL's allow rules) is shadowed for traffic from anywhere on the
    /// matching address family: an earlier (lower-numbered) deny rule in the same direction that
    /// also covers the whole internet and everything `covers` says the allow rule admits.
    ///
    /// `covers(deny)` answers whether the deny rule covers the traffic in question. `None` when a
    /// rule number, CIDR or port involved is unknown. Partial denies (a deny of `0.0.0.0/1` plus
    /// `128.0.0.0/1`) are not combined: the allow is then reported as effective.
    pub fn shadowed(
        &self,
        rule: &FirewallRule,
        ipv6: bool,
        covers: impl Fn(&FirewallRule) -> Option<bool>,
    ) -> Option<bool> {
        let number = *rule.rule_number.as_ref()?.known()?;
        let mut unknown = false;
        for deny in self
            .rules
            .iter()
            .filter(|r| r.direction == rule.direction && r.is_deny())
        {
            let before = match deny.rule_number.as_ref().and_then(|n| n.known()) {
                Some(n) => *n < number,
                None => {
                    unknown = true;
                    continue;
                }
            };
            if !before {
                continue;
            }
            let world = if ipv6 {
                deny.ipv6_cidrs
                    .known()
                    .map(|c| c.iter().any(|c| c.trim() == "::/0"))
            } else {
                deny.ipv4_cidrs
                    .known()
                    .map(|c| c.iter().any(|c| c.trim() == "0.0.0.0/0"))
            };
            match (world, covers(deny)) {
                (Some(true), Some(true)) => return Some(true),
                (Some(false), _) | (_, Some(false)) => {}
                _ => unknown = true,
            }
        }
        if unknown { None } else { Some(false) }
    }
}

/// What kind of compute declaration an [`Instance`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InstanceKind {
    /// A running instance.
    Instance,
    /// A launch template (used by Auto Scaling, EKS node groups, ...).
    LaunchTemplate,
    /// A legacy launch configuration.
    LaunchConfiguration,
}

/// A block device attached at launch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BlockDevice {
    /// `root` or the device name.
    pub name: String,
    /// Encrypted (default `false` unless account default encryption is on).
    pub encrypted: Attr<bool>,
}

/// An EC2 instance, launch template or launch configuration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Instance {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// Which declaration this is.
    pub kind: InstanceKind,
    /// Instance Metadata Service `http_tokens`: `required` (IMDSv2 only) or `optional` (default).
    pub metadata_http_tokens: Attr<String>,
    /// Instance Metadata Service `http_endpoint`: `enabled` (default) or `disabled`.
    pub metadata_endpoint: Attr<String>,
    /// Whether a public IPv4 address is associated; `None` inside means the subnet decides.
    pub public_ip: Attr<Option<bool>>,
    /// Root and EBS block devices.
    pub block_devices: Vec<BlockDevice>,
    /// The user data as text (decoded from base64 where the source gave base64).
    pub user_data: Attr<Option<String>>,
    /// Detailed (1-minute) CloudWatch monitoring.
    pub detailed_monitoring: Attr<bool>,
}

/// An EBS volume.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Volume {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// Encrypted (default `false` unless account default encryption is on).
    pub encrypted: Attr<bool>,
    /// The KMS key, when named.
    pub kms_key: Option<Attr<String>>,
}

/// The per-region EBS encryption-by-default switch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EbsDefaultEncryption {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// Enabled.
    pub enabled: Attr<bool>,
}

/// A VPC with whether any flow log captures its traffic.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Vpc {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// `true` when a flow log is attached to this VPC.
    pub flow_logs: Attr<bool>,
    /// `true` for the default VPC (`aws_default_vpc`).
    pub is_default: bool,
    /// `true` when the scan manages this VPC's default security group (its rules are then those of
    /// that [`SecurityGroup`]); known `false` when it does not, in which case AWS's default rules
    /// apply: all traffic from members of the group, all traffic out.
    pub default_security_group_managed: Attr<bool>,
}
