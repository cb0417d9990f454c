use deadbolt_model::aws::s3::Bucket;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An S3 bucket without MFA Delete: changing the bucket's versioning state or permanently
    /// deleting an object version does not require the root user's MFA code.
    ///
    /// ## Why it matters
    /// Versioning only protects data as long as nobody can delete the old versions. With stolen
    /// credentials that may delete versions, an attacker (or a destructive script) can still erase
    /// every copy. MFA Delete ties those operations to a physical factor held by the account owner.
    /// Only the root user can turn it on, with the CLI or API and an MFA device, so Terraform can
    /// declare it but the root user has to apply it; for buckets where that is impractical,
    /// S3 Object Lock is the alternative.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_s3_bucket" "audit" {
    ///   bucket = "audit-example"
    /// }
    ///
    /// resource "aws_s3_bucket_versioning" "audit" {
    ///   bucket = aws_s3_bucket.audit.id
    ///   versioning_configuration {
    ///     status = "Enabled"
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "audit" {
    ///   bucket = "audit-example"
    /// }
    ///
    /// resource "aws_s3_bucket_versioning" "audit" {
    ///   bucket = aws_s3_bucket.audit.id
    ///   mfa    = "arn:aws:iam::111122223333:mfa/root-account-mfa-device 123456"
    ///   versioning_configuration {
    ///     status     = "Enabled"
    ///     mfa_delete = "Enabled"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// As the root user with an MFA device, enable versioning with `mfa_delete = "Enabled"` (or run
    /// `aws s3api put-bucket-versioning` with `--mfa`), then declare it in Terraform so it stays.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 2.1.2 (MFA Delete)
    /// - NIST CSF 2.0 PR.DS-11; NIST SP 800-53 AC-3
    /// - AWS S3 User Guide, "Configuring MFA delete"
    pub(crate) struct BucketMfaDeleteDisabled;
    id: "AWS-S3-013",
    name: "s3-bucket-mfa-delete-disabled",
    title: "S3 bucket does not require MFA to delete object versions",
    severity: Severity::Low,
    layer: Layer::BackupRecovery,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "s3",
    fix: "As the root user with an MFA device, enable MFA Delete on the bucket's versioning, and declare it in the configuration.",
    references: References {
        cis_aws_v3: &["2.1.2"],
        nist_csf_2: &["PR.DS-11"],
        nist_800_53: &["AC-3"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &["AVD-AWS-0170"] },
}

impl Rule for BucketMfaDeleteDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for bucket in model.all::<Bucket>() {
            checks.require(
                &bucket.meta,
                &bucket.mfa_delete,
                |on| *on,
                |_| {
                    if bucket.mfa_delete.explicit {
                        "MFA Delete is configured but disabled".to_string()
                    } else {
                        "MFA Delete is not configured".to_string()
                    }
                },
            );
        }
    }
}
