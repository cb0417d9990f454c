use deadbolt_model::aws::ec2::{Direction, SecurityGroup};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity, Unknown};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A security group without a description of its own (Terraform fills in
    /// `Managed by Terraform` when none is given) or with a rule that has no description. Inline
    /// rules, `aws_security_group_rule` and `aws_vpc_security_group_*_rule` resources are all
    /// judged. Default security groups are judged on their rules only, since their own description
    /// is fixed by AWS.
    ///
    /// ## Why it matters
    /// Firewall rules outlive the people who wrote them. A rule that says why it exists ("office VPN
    /// to bastion") can be reviewed and removed when its reason is gone; an anonymous one stays
    /// forever because nobody dares to delete it. Descriptions are also what auditors and incident
    /// responders read first.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_security_group" "web" {
    ///   description = "Public web tier"
    ///   ingress {
    ///     from_port   = 443
    ///     to_port     = 443
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_security_group" "web" {
    ///   description = "Public web tier"
    ///   ingress {
    ///     description = "HTTPS from the internet"
    ///     from_port   = 443
    ///     to_port     = 443
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Give every security group and every rule a `description` that says what it is for.
    ///
    /// ## References
    /// - NIST CSF 2.0 ID.AM-03; NIST SP 800-53 CM-6
    /// - Amazon VPC User Guide, "Security group rules" (rule descriptions)
    pub(crate) struct SgRuleNoDescription;
    id: "AWS-EC2-007",
    name: "ec2-sg-missing-description",
    title: "Security group or security group rule has no description",
    severity: Severity::Low,
    layer: Layer::ConfigurationManagement,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Add a `description` to the security group and to each of its rules.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["ID.AM-03"],
        nist_800_53: &["CM-6"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_23"], trivy: &["AVD-AWS-0099", "AVD-AWS-0124"] },
}

impl Rule for SgRuleNoDescription {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for sg in model.all::<SecurityGroup>() {
            let mut failed = false;
            let mut unknown: Option<&Unknown> = None;
            if !sg.is_default && !sg.detached {
                match sg.description.known() {
                    Some(d) if !sg.description.explicit || d.trim().is_empty() => {
                        checks.fail(
                            &sg.meta,
                            &sg.description.span,
                            "security group has no description",
                        );
                        failed = true;
                    }
                    Some(_) => {}
                    None => unknown = sg.description.unknown_reason(),
                }
            }
            for rule in &sg.rules {
                match rule.description.known() {
                    Some(d) if d.trim().is_empty() => {
                        let direction = match rule.direction {
                            Direction::Ingress => "ingress",
                            Direction::Egress => "egress",
                        };
                        checks.fail(
                            &rule.origin,
                            &rule.span,
                            format!("{direction} rule ({}) has no description", rule.traffic()),
                        );
                        failed = true;
                    }
                    Some(_) => {}
                    None => unknown = unknown.or(rule.description.unknown_reason()),
                }
            }
            if failed {
                continue;
            }
            match unknown {
                Some(reason) => checks.not_evaluated(&sg.meta, reason),
                None => checks.pass(&sg.meta),
            }
        }
    }
}
