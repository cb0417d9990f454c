use deadbolt_model::aws::ec2::{Instance, InstanceKind};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An EC2 instance whose metadata service still accepts IMDSv1: `http_tokens` is `optional`,
    /// which is also the default when `metadata_options` is absent. An instance with the metadata
    /// endpoint disabled passes. Launch templates and launch configurations are judged by
    /// AWS-EC2-009.
    ///
    /// An unset `http_tokens` is judged as `optional`, the EC2 API default. Two settings outside
    /// the configuration can make it `required` instead: an AMI registered with
    /// `ImdsSupport = v2.0`, and the account's per-region instance metadata defaults. Set the
    /// value explicitly so the code says what runs.
    ///
    /// ## Why it matters
    /// IMDSv1 answers any plain GET from the instance, so a server-side request forgery or an open
    /// proxy in the application is enough to read the instance role's temporary credentials (the
    /// 2019 Capital One breach). IMDSv2 requires a session token obtained with a PUT and a hop limit,
    /// which these attacks cannot forge.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0abcdef1234567890"
    ///   instance_type = "t3.micro"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0abcdef1234567890"
    ///   instance_type = "t3.micro"
    ///   metadata_options {
    ///     http_tokens = "required"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `metadata_options { http_tokens = "required" }` (and keep `http_put_response_hop_limit`
    /// at 1 unless containers on the host need 2).
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 5.6
    /// - NIST CSF 2.0 PR.PS-01; NIST SP 800-53 CM-6, AC-3
    /// - Amazon EC2 User Guide, "Use the Instance Metadata Service to access instance metadata"
    pub(crate) struct InstanceImdsv2;
    id: "AWS-EC2-008",
    name: "ec2-instance-imdsv2-not-required",
    title: "EC2 instance does not require IMDSv2",
    severity: Severity::Medium,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Require IMDSv2: metadata option `HttpTokens` = `required` (Terraform `metadata_options { http_tokens = \"required\" }`; in CloudFormation, through the instance's launch template).",
    references: References {
        cis_aws_v3: &["5.6"],
        nist_csf_2: &["PR.PS-01"],
        nist_800_53: &["CM-6", "AC-3"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_79"], trivy: &["AVD-AWS-0028"] },
}

/// Judges IMDSv2 enforcement on the instances of the given kinds.
pub(super) fn judge_imds<'m>(model: &'m Model, checks: &mut Checks<'m>, kinds: &[InstanceKind]) {
    for instance in model.all::<Instance>().filter(|i| kinds.contains(&i.kind)) {
        if instance
            .metadata_endpoint
            .known()
            .is_some_and(|e| e == "disabled")
        {
            checks.pass(&instance.meta);
            continue;
        }
        let tokens = &instance.metadata_http_tokens;
        checks.require(&instance.meta, tokens, |t| t == "required", |t| {
            if tokens.explicit {
                format!("metadata option `HttpTokens` is `{t}`, so IMDSv1 is accepted")
            } else {
                format!("metadata option `HttpTokens` is not set and defaults to `{t}`, so IMDSv1 is accepted")
            }
        });
    }
}

impl Rule for InstanceImdsv2 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_imds(model, checks, &[InstanceKind::Instance]);
    }
}
