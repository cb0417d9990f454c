use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A Lightsail instance whose firewall admits SSH (TCP 22) or RDP (TCP 3389) from anywhere
    /// (`0.0.0.0/0` or `::/0`).
    ///
    /// Lightsail opens TCP 22 and TCP 80 to every IPv4 address on a new instance. When the code
    /// declares no `aws_lightsail_instance_public_ports` for the instance, deadbolt records those
    /// two default rules (marked as defaults, at the instance) and this rule fails on the SSH one.
    /// Declaring public ports replaces the whole default set. A `port_info` with no `cidrs`,
    /// `ipv6_cidrs` or `cidr_list_aliases` is open to every IPv4 address.
    ///
    /// ## Why it matters
    /// Lightsail instances are typically small, single-purpose servers run by teams without a
    /// dedicated operations function; an SSH or RDP port open to the internet is brute-forced
    /// around the clock. The browser-based SSH/RDP client works with the `lightsail-connect` alias
    /// instead.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_lightsail_instance" "blog" {
    ///   name              = "blog"
    ///   availability_zone = "eu-west-1a"
    ///   blueprint_id      = "wordpress"
    ///   bundle_id         = "nano_3_0"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_lightsail_instance" "blog" {
    ///   name              = "blog"
    ///   availability_zone = "eu-west-2a"
    ///   blueprint_id      = "ubuntu_22_04"
    ///   bundle_id         = "nano_3_0"
    /// }
    ///
    /// resource "aws_lightsail_instance_public_ports" "blog" {
    ///   instance_name = aws_lightsail_instance.blog.name
    ///   port_info {
    ///     protocol  = "tcp"
    ///     from_port = 443
    ///     to_port   = 443
    ///   }
    ///   port_info {
    ///     protocol          = "tcp"
    ///     from_port         = 22
    ///     to_port           = 22
    ///     cidr_list_aliases = ["lightsail-connect"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Declare `aws_lightsail_instance_public_ports` for the instance, opening SSH/RDP only to
    /// known CIDRs or the `lightsail-connect` alias.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7, AC-17
    /// - Amazon Lightsail documentation, "Control instance traffic with firewalls in Lightsail"
    pub(crate) struct LightsailAdminPortsWorld;
    id: "AWS-LIGHTSAIL-001",
    name: "lightsail-admin-ports-open-to-world",
    title: "Lightsail instance allows SSH or RDP from anywhere",
    severity: Severity::High,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "lightsail",
    fix: "Declare the instance's public ports and open SSH/RDP only to known CIDRs or `lightsail-connect`.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7", "AC-17"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for LightsailAdminPortsWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        super::judge_world_ports(
            model,
            checks,
            |p| Some(p.covers_tcp_port(22)? || p.covers_tcp_port(3389)?),
            |p| {
                let name = match p.covers_tcp_port(22) {
                    Some(true) => "SSH",
                    _ => "RDP",
                };
                format!("{name} ({})", p.traffic())
            },
        );
    }
}
