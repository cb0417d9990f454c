use deadbolt_model::aws::ec2::Direction;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A security group ingress rule that admits anywhere (`0.0.0.0/0` or `::/0`) on every port:
    /// protocol `-1` (all traffic) or a port range from 0 to 65535.
    ///
    /// ## Why it matters
    /// Every listening service on the instance, including administration ports, debug endpoints
    /// and services meant to stay internal, becomes reachable from the internet. The security group
    /// no longer filters anything.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_vpc_security_group_ingress_rule" "anything" {
    ///   security_group_id = aws_security_group.app.id
    ///   ip_protocol       = "-1"
    ///   cidr_ipv4         = "0.0.0.0/0"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_vpc_security_group_ingress_rule" "https" {
    ///   security_group_id = aws_security_group.app.id
    ///   ip_protocol       = "tcp"
    ///   from_port         = 443
    ///   to_port           = 443
    ///   cidr_ipv4         = "0.0.0.0/0"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Open only the ports the service needs (for a public web tier, 80 and 443) and admit
    /// everything else only from known security groups or CIDRs.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 5.2 and 5.3
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7, CM-7
    /// - Amazon VPC User Guide, "Security group rules"
    pub(crate) struct SgAllPortsWorld;
    id: "AWS-EC2-004",
    name: "ec2-sg-all-ports-open-to-world",
    title: "Security group allows all ports from anywhere",
    severity: Severity::Critical,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Replace the all-traffic rule with rules for the specific ports the service needs.",
    references: References {
        cis_aws_v3: &["5.2", "5.3"],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7", "CM-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_277"], trivy: &["AVD-AWS-0107"] },
}

impl Rule for SgAllPortsWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        super::judge_world_sg_rules(
            model,
            checks,
            Direction::Ingress,
            |r| r.covers_all_ports(),
            |r| r.traffic(),
        );
    }
}
