use deadbolt_model::aws::ecr::Repository;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An ECR repository encrypted with the default AES-256 (S3-managed) keys rather than a KMS
    /// key (`KMS` or `KMS_DSSE`).
    ///
    /// ## Why it matters
    /// Images are always encrypted at rest; with the default keys, though, access to the layers
    /// is governed by ECR permissions alone. A KMS key adds a second, separately administered
    /// policy, logs every decryption in CloudTrail and can be disabled to cut off access to the
    /// images at once. The encryption type can only be chosen when the repository is created.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name = "api"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name = "api"
    ///   encryption_configuration {
    ///     encryption_type = "KMS"
    ///     kms_key         = aws_kms_key.ecr.arn
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Create the repository with KMS encryption (preferably with a customer-managed key) and
    /// migrate the images to it.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1), SC-12
    /// - Amazon ECR User Guide, "Encryption at rest"
    pub(crate) struct NoKms;
    id: "AWS-ECR-003",
    name: "ecr-no-kms",
    title: "ECR repository is not encrypted with a KMS key",
    severity: Severity::Low,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "ecr",
    fix: "Create the repository with KMS encryption, preferably with a customer-managed key.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)", "SC-12"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_136"], trivy: &["AVD-AWS-0033"] },
}

impl Rule for NoKms {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for repo in model.all::<Repository>() {
            let attr = &repo.encryption_type;
            checks.require(
                &repo.meta,
                attr,
                |t| t.to_ascii_uppercase().starts_with("KMS"),
                |t| {
                    let default = if attr.explicit { "" } else { " (the default)" };
                    format!("encryption type is `{t}`{default}, not KMS")
                },
            );
        }
    }
}
