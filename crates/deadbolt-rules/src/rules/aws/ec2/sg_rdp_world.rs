use deadbolt_model::aws::ec2::Direction;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A security group ingress rule that admits Remote Desktop (TCP 3389) from anywhere:
    /// `0.0.0.0/0` or `::/0`, whether the port is named exactly, falls inside a port range, or the
    /// rule allows all protocols. Inline `ingress` blocks (including `dynamic` ones), `aws_security_group_rule` and
    /// `aws_vpc_security_group_ingress_rule` are all judged; every rule of the group is read, so an
    /// earlier rule that only admits the group itself (`self = true`) does not hide a later open
    /// one.
    ///
    /// ## Why it matters
    /// RDP reachable from the whole internet is password-sprayed constantly, and RDP has a long
    /// record of pre-authentication flaws (BlueKeep). One weak password or unpatched service then
    /// gives a desktop session on the host. Which addresses may reach the instance is the
    /// customer's decision, not AWS's.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_security_group" "windows" {
    ///   ingress {
    ///     from_port   = 3389
    ///     to_port     = 3389
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_security_group" "windows" {
    ///   ingress {
    ///     from_port   = 3389
    ///     to_port     = 3389
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["203.0.113.0/24"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Restrict the source to known administration networks, or drop the rule and reach the hosts
    /// through AWS Systems Manager Session Manager port forwarding or Fleet Manager Remote Desktop.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 5.2 (IPv4) and 5.3 (IPv6)
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7, AC-17
    /// - Amazon EC2 User Guide, "Security group rules for different use cases"
    pub(crate) struct SgRdpWorld;
    id: "AWS-EC2-002",
    name: "ec2-sg-rdp-open-to-world",
    title: "Security group allows RDP from anywhere",
    severity: Severity::High,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Limit RDP (TCP 3389) to known administration CIDRs, or use Session Manager Fleet Manager instead of inbound RDP.",
    references: References {
        cis_aws_v3: &["5.2", "5.3"],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7", "AC-17"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_25"], trivy: &["AVD-AWS-0107"] },
}

impl Rule for SgRdpWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        super::judge_world_sg_rules(
            model,
            checks,
            Direction::Ingress,
            |r| r.covers_tcp_port(3389),
            |r| format!("RDP ({})", r.traffic()),
        );
    }
}
