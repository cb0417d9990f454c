use deadbolt_model::aws::ec2::InstanceKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A launch template or launch configuration whose instances will accept IMDSv1:
    /// `metadata_options.http_tokens` is `optional` or not set. Templates with the metadata endpoint
    /// disabled pass.
    ///
    /// ## Why it matters
    /// Every instance an Auto Scaling group, EKS node group or Spot fleet launches inherits the
    /// template's metadata settings, so one permissive template exposes the role credentials of a
    /// whole fleet to SSRF (see AWS-EC2-008). Fixing the template fixes every future instance.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_launch_template" "workers" {
    ///   image_id      = "ami-0abcdef1234567890"
    ///   instance_type = "m6i.large"
    ///   metadata_options {
    ///     http_tokens = "optional"
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_launch_template" "workers" {
    ///   image_id      = "ami-0abcdef1234567890"
    ///   instance_type = "m6i.large"
    ///   metadata_options {
    ///     http_tokens = "required"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `metadata_options { http_tokens = "required" }` in the launch template (or move from
    /// launch configurations, which are deprecated, to launch templates with that setting).
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 5.6 is worded for instances; this rule applies it to
    ///   what launches them
    /// - NIST CSF 2.0 PR.PS-01; NIST SP 800-53 CM-6, AC-3
    /// - Amazon EC2 User Guide, "Configure the instance metadata options for new instances"
    pub(crate) struct TemplateImdsv2;
    id: "AWS-EC2-009",
    name: "ec2-launch-template-imdsv2-not-required",
    title: "Launch template or configuration does not require IMDSv2",
    severity: Severity::Medium,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Set metadata option `HttpTokens` to `required` in the launch template or configuration (Terraform `metadata_options { http_tokens = \"required\" }`).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01"],
        nist_800_53: &["CM-6", "AC-3"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_79"], trivy: &["AVD-AWS-0130"] },
}

impl Rule for TemplateImdsv2 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        super::imdsv2_instance::judge_imds(
            model,
            checks,
            &[
                InstanceKind::LaunchTemplate,
                InstanceKind::LaunchConfiguration,
            ],
        );
    }
}
