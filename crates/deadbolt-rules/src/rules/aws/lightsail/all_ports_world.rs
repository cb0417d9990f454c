use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A Lightsail instance whose public ports include a rule for all protocols (`all`) or for
    /// every port (0-65535) open to anywhere (`0.0.0.0/0` or `::/0`). Lightsail's default firewall
    /// (TCP 22 and 80 when no public ports are declared) does not trigger this rule.
    ///
    /// ## Why it matters
    /// Every service the instance listens on, including databases, admin panels and debug ports
    /// that the application installed for local use, becomes reachable from the internet.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_lightsail_instance" "app" {
    ///   name              = "app"
    ///   availability_zone = "eu-west-2a"
    ///   blueprint_id      = "ubuntu_22_04"
    ///   bundle_id         = "nano_3_0"
    /// }
    ///
    /// resource "aws_lightsail_instance_public_ports" "app" {
    ///   instance_name = aws_lightsail_instance.app.name
    ///   port_info {
    ///     protocol  = "all"
    ///     from_port = 0
    ///     to_port   = 65535
    ///     cidrs     = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_lightsail_instance" "app" {
    ///   name              = "app"
    ///   availability_zone = "eu-west-2a"
    ///   blueprint_id      = "ubuntu_22_04"
    ///   bundle_id         = "nano_3_0"
    /// }
    ///
    /// resource "aws_lightsail_instance_public_ports" "app" {
    ///   instance_name = aws_lightsail_instance.app.name
    ///   port_info {
    ///     protocol  = "tcp"
    ///     from_port = 443
    ///     to_port   = 443
    ///     cidrs     = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Open only the ports the application serves.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7, CM-7
    /// - Amazon Lightsail documentation, "Control instance traffic with firewalls in Lightsail"
    pub(crate) struct LightsailAllPortsWorld;
    id: "AWS-LIGHTSAIL-002",
    name: "lightsail-all-ports-open-to-world",
    title: "Lightsail instance allows all ports from anywhere",
    severity: Severity::Critical,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "lightsail",
    fix: "Replace the all-ports rule with rules for the ports the application serves.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7", "CM-7"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for LightsailAllPortsWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        super::judge_world_ports(model, checks, |p| p.covers_all_ports(), |p| p.traffic());
    }
}
