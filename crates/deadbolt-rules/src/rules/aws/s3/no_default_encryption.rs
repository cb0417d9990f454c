use deadbolt_model::aws::s3::Bucket;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity, State};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An S3 bucket with no default encryption configuration, or one that names no valid algorithm
    /// (`AES256`, `aws:kms` or `aws:kms:dsse`).
    ///
    /// deadbolt fails a bucket with no configuration at all, unlike Checkov's CKV_AWS_19, which
    /// passes it because S3 has applied SSE-S3 to new objects by default since January 2023. The
    /// data is then encrypted, but with a key and a setting nobody chose: the configuration does not
    /// say how the bucket's data is protected, an auditor cannot tell from the code, and the bucket
    /// cannot be moved to a KMS key without a change nobody reviews. The severity is low for that
    /// reason; use AWS-S3-009 to require a customer managed key.
    ///
    /// ## Why it matters
    /// Encryption at rest is a baseline control in every framework, and the evidence for it should
    /// be in the configuration. Declaring it also guards against older regions, accounts or tools
    /// where the service default differs, and makes the next step (SSE-KMS) a one-line change.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_s3_bucket" "invoices" {
    ///   bucket = "agency-invoices"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "invoices" {
    ///   bucket = "agency-invoices"
    /// }
    ///
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "invoices" {
    ///   bucket = aws_s3_bucket.invoices.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm = "AES256"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add an `aws_s3_bucket_server_side_encryption_configuration` (or, with AWS provider v3, a
    /// `server_side_encryption_configuration` block) naming `aws:kms` with a customer managed key,
    /// or at least `AES256`.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1)
    /// - AWS S3 User Guide, "Setting default server-side encryption behavior for Amazon S3 buckets"
    pub(crate) struct BucketNoDefaultEncryption;
    id: "AWS-S3-008",
    name: "s3-bucket-no-default-encryption",
    title: "S3 bucket declares no default encryption",
    severity: Severity::Low,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "s3",
    fix: "Declare default encryption for the bucket: `aws:kms` with a customer managed key, or at least `AES256`.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_19"], trivy: &["AVD-AWS-0088"] },
}

/// The algorithms S3 default encryption accepts.
const ALGORITHMS: [&str; 3] = ["AES256", "aws:kms", "aws:kms:dsse"];

impl Rule for BucketNoDefaultEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for bucket in model.all::<Bucket>() {
            match &bucket.encryption.state {
                State::Unknown(reason) => checks.not_evaluated(&bucket.meta, reason),
                State::Known(None) => checks.fail(
                    &bucket.meta,
                    &bucket.encryption.span,
                    "no default encryption configuration (S3 applies SSE-S3 implicitly; the configuration does not declare it)",
                ),
                State::Known(Some(enc)) => checks.require(
                    &bucket.meta,
                    &enc.algorithm,
                    |a| ALGORITHMS.contains(&a.as_str()),
                    |a| {
                        if a.is_empty() {
                            "default encryption configuration names no algorithm".to_string()
                        } else {
                            format!("default encryption algorithm `{a}` is not one S3 accepts")
                        }
                    },
                ),
            }
        }
    }
}
