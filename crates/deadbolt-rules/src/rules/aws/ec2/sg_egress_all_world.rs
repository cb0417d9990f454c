use deadbolt_model::aws::ec2::Direction;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A security group egress rule that allows all ports (protocol `-1` or 0-65535) to anywhere
    /// (`0.0.0.0/0` or `::/0`). This is what AWS creates by default for a new group; Terraform
    /// removes that default unless an `egress` block puts it back.
    ///
    /// ## Why it matters
    /// Unrestricted egress lets compromised code download tooling, reach command-and-control
    /// servers and exfiltrate data over any port. Limiting egress to the destinations a workload
    /// needs (package mirrors, AWS endpoints, partners) turns many intrusions into dead ends. It is
    /// rated Low because it is common and often accepted for general-purpose hosts.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_security_group" "app" {
    ///   egress {
    ///     from_port   = 0
    ///     to_port     = 0
    ///     protocol    = "-1"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_security_group" "app" {
    ///   egress {
    ///     from_port   = 443
    ///     to_port     = 443
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Allow only the ports and destinations the workload needs (HTTPS to the internet, database
    /// ports to the data tier's security group), and use VPC endpoints for AWS services.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7(5), AC-4
    /// - Amazon VPC User Guide, "Security group rules"
    pub(crate) struct SgEgressAllWorld;
    id: "AWS-EC2-006",
    name: "ec2-sg-egress-all-to-world",
    title: "Security group allows all outbound traffic to anywhere",
    severity: Severity::Low,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Restrict egress to the ports and destinations the workload needs.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7(5)", "AC-4"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_382"], trivy: &["AVD-AWS-0104"] },
}

impl Rule for SgEgressAllWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        super::judge_world_sg_rules(
            model,
            checks,
            Direction::Egress,
            |r| r.covers_all_ports(),
            |r| r.traffic(),
        );
    }
}
