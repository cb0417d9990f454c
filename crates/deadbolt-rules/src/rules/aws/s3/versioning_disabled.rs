use deadbolt_model::aws::s3::Bucket;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An S3 bucket whose versioning is not enabled: never configured, `Disabled`, or
    /// `Suspended`.
    ///
    /// ## Why it matters
    /// Without versioning, an overwrite or a delete is final. A faulty deployment, a script with the
    /// wrong prefix or ransomware that rewrites objects destroys the data for good; with
    /// versioning, the previous versions stay and can be restored (and lifecycle rules can expire
    /// them after a retention period to control cost).
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_s3_bucket" "ledger" {
    ///   bucket = "ledger-example"
    /// }
    ///
    /// resource "aws_s3_bucket_versioning" "ledger" {
    ///   bucket = aws_s3_bucket.ledger.id
    ///   versioning_configuration {
    ///     status = "Suspended"
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "ledger" {
    ///   bucket = "ledger-example"
    /// }
    ///
    /// resource "aws_s3_bucket_versioning" "ledger" {
    ///   bucket = aws_s3_bucket.ledger.id
    ///   versioning_configuration {
    ///     status = "Enabled"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add an `aws_s3_bucket_versioning` with `status = "Enabled"` (AWS provider v3: a `versioning`
    /// block with `enabled = true`), plus a lifecycle rule that expires noncurrent versions.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-11; NIST SP 800-53 CP-9
    /// - AWS S3 User Guide, "Retaining multiple versions of objects with S3 Versioning"
    pub(crate) struct BucketVersioningDisabled;
    id: "AWS-S3-010",
    name: "s3-bucket-versioning-disabled",
    title: "S3 bucket versioning is not enabled",
    severity: Severity::Medium,
    layer: Layer::BackupRecovery,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "s3",
    fix: "Enable versioning on the bucket and expire noncurrent versions with a lifecycle rule.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-11"],
        nist_800_53: &["CP-9"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_21"], trivy: &["AVD-AWS-0090"] },
}

impl Rule for BucketVersioningDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for bucket in model.all::<Bucket>() {
            checks.require(
                &bucket.meta,
                &bucket.versioning,
                |on| *on,
                |_| {
                    if bucket.versioning.explicit {
                        "versioning is configured but not enabled".to_string()
                    } else {
                        "versioning is not configured (never enabled)".to_string()
                    }
                },
            );
        }
    }
}
