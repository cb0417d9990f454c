use deadbolt_model::aws::ec2::{Direction, SecurityGroup, Vpc};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A VPC's default security group (`aws_default_security_group`) that has any ingress or egress
    /// rule. Managing the default group in Terraform removes AWS's default rules (all traffic from
    /// members of the group, all traffic out), so a compliant default group has no rule at all.
    ///
    /// A VPC whose default security group is not managed in the scanned code also fails: AWS gives
    /// that group rules allowing all traffic between its members and all traffic out.
    ///
    /// When the scan has standalone rules whose group cannot be resolved, a default group with no
    /// rule of its own is not evaluated: one of them may target it.
    ///
    /// ## Why it matters
    /// Resources launched without an explicit security group land in the default one. If it allows
    /// traffic, those resources can talk to each other and to the internet without anyone having
    /// decided so. Keeping it empty forces every workload to use a purpose-built group.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_default_security_group" "main" {
    ///   vpc_id = aws_vpc.main.id
    ///   ingress {
    ///     protocol  = "-1"
    ///     self      = true
    ///     from_port = 0
    ///     to_port   = 0
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_default_security_group" "main" {
    ///   vpc_id = aws_vpc.main.id
    /// }
    /// ```
    ///
    /// ## Fix
    /// Declare `aws_default_security_group` for every VPC with no `ingress` or `egress` blocks, and
    /// give each workload its own security group.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 5.4
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7(5)
    /// - Amazon VPC User Guide, "Default security groups for your VPCs"
    pub(crate) struct DefaultSgTraffic;
    id: "AWS-EC2-005",
    name: "ec2-default-sg-allows-traffic",
    title: "Default security group allows traffic",
    severity: Severity::Medium,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Remove every ingress and egress rule from the VPC's default security group.",
    references: References {
        cis_aws_v3: &["5.4"],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7(5)"],
    },
    equivalents: Equivalents { checkov: &["CKV2_AWS_12"], trivy: &["AVD-AWS-0173"] },
}

impl Rule for DefaultSgTraffic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for sg in model
            .all::<SecurityGroup>()
            .filter(|g| g.is_default && !g.detached)
        {
            for rule in &sg.rules {
                let direction = match rule.direction {
                    Direction::Ingress => "ingress",
                    Direction::Egress => "egress",
                };
                checks.fail(
                    &rule.origin,
                    &rule.span,
                    format!(
                        "default security group has an {direction} rule allowing {}",
                        rule.traffic()
                    ),
                );
            }
            if !sg.rules.is_empty() {
                continue;
            }
            match &sg.unresolved_rules {
                Some(reason) => checks.not_evaluated(&sg.meta, reason),
                None => checks.pass(&sg.meta),
            }
        }
        for vpc in model.all::<Vpc>() {
            checks.require(
                &vpc.meta,
                &vpc.default_security_group_managed,
                |m| *m,
                |_| {
                    "the VPC's default security group is not managed and keeps AWS's default rules \
                 (all traffic between members, all traffic out)"
                        .to_string()
                },
            );
        }
    }
}
