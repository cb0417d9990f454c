use deadbolt_model::aws::ec2::Direction;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A security group ingress rule that admits SSH (TCP 22) from anywhere: `0.0.0.0/0` or
    /// `::/0`, whether the port is named exactly, falls inside a port range, or the rule allows all
    /// protocols. Inline `ingress` blocks (including `dynamic` ones), `aws_security_group_rule` and
    /// `aws_vpc_security_group_ingress_rule` are all judged; every rule of the group is read, so an
    /// earlier rule that only admits the group itself (`self = true`) does not hide a later open
    /// one.
    ///
    /// ## Why it matters
    /// SSH reachable from the whole internet is scanned and brute-forced within minutes of launch.
    /// One weak password, leaked key or unpatched daemon then gives a shell on the host. Which
    /// addresses may reach the instance is the customer's decision, not AWS's.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_security_group" "bastion" {
    ///   ingress {
    ///     from_port   = 22
    ///     to_port     = 22
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_security_group" "bastion" {
    ///   ingress {
    ///     from_port   = 22
    ///     to_port     = 22
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["203.0.113.0/24"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Restrict the source to known administration networks, or drop the rule and reach the hosts
    /// through AWS Systems Manager Session Manager or EC2 Instance Connect Endpoint.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 5.2 (IPv4) and 5.3 (IPv6)
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7, AC-17
    /// - Amazon EC2 User Guide, "Security group rules for different use cases"
    pub(crate) struct SgSshWorld;
    id: "AWS-EC2-001",
    name: "ec2-sg-ssh-open-to-world",
    title: "Security group allows SSH from anywhere",
    severity: Severity::High,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Limit SSH (TCP 22) to known administration CIDRs, or use Session Manager instead of inbound SSH.",
    references: References {
        cis_aws_v3: &["5.2", "5.3"],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7", "AC-17"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_24"], trivy: &["AVD-AWS-0107"] },
}

impl Rule for SgSshWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        super::judge_world_sg_rules(
            model,
            checks,
            Direction::Ingress,
            |r| r.covers_tcp_port(22),
            |r| format!("SSH ({})", r.traffic()),
        );
    }
}
