use deadbolt_model::aws::s3::Bucket;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity, State};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An S3 bucket whose default encryption does not use a customer managed KMS key: no default
    /// encryption configuration (S3 then uses SSE-S3), `AES256` (SSE-S3), or `aws:kms` /
    /// `aws:kms:dsse` without a key or with the AWS managed key `aws/s3`.
    ///
    /// ## Why it matters
    /// With SSE-S3 or the AWS managed key, anyone allowed to read an object can decrypt it: the key
    /// adds no separate access control, and its use is not logged per request. A customer managed
    /// key has its own key policy, so reading the data needs both S3 and KMS permissions, every
    /// decryption is recorded in CloudTrail, and the key can be disabled to cut off all access at
    /// once.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_s3_bucket" "records" {
    ///   bucket = "records-example"
    /// }
    ///
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "records" {
    ///   bucket = aws_s3_bucket.records.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm = "AES256"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "records" {
    ///   bucket = "records-example"
    /// }
    ///
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "records" {
    ///   bucket = aws_s3_bucket.records.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm     = "aws:kms"
    ///       kms_master_key_id = aws_kms_key.records.arn
    ///     }
    ///     bucket_key_enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Create an `aws_kms_key` for the data, set `sse_algorithm = "aws:kms"` and
    /// `kms_master_key_id` to it, and turn on `bucket_key_enabled` to keep KMS request costs low.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1), SC-12
    /// - AWS S3 User Guide, "Using server-side encryption with AWS KMS keys (SSE-KMS)"
    pub(crate) struct BucketNoKmsCmk;
    id: "AWS-S3-009",
    name: "s3-bucket-not-encrypted-with-cmk",
    title: "S3 bucket default encryption does not use a customer managed KMS key",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "s3",
    fix: "Set the bucket's default encryption to `aws:kms` with a customer managed KMS key (`KMSMasterKeyID`).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)", "SC-12"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_145"], trivy: &["AVD-AWS-0132"] },
}

/// `true` for the AWS managed key of S3, by alias name or alias ARN.
fn is_aws_managed(key: &str) -> bool {
    key == "alias/aws/s3" || key.ends_with(":alias/aws/s3")
}

impl Rule for BucketNoKmsCmk {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for bucket in model.all::<Bucket>() {
            let enc = match &bucket.encryption.state {
                State::Unknown(reason) => {
                    checks.not_evaluated(&bucket.meta, reason);
                    continue;
                }
                State::Known(None) => {
                    checks.fail(
                        &bucket.meta,
                        &bucket.encryption.span,
                        "no default encryption configuration, so objects get SSE-S3 rather than a customer managed KMS key",
                    );
                    continue;
                }
                State::Known(Some(enc)) => enc,
            };
            let algorithm = match &enc.algorithm.state {
                State::Unknown(reason) => {
                    checks.not_evaluated(&bucket.meta, reason);
                    continue;
                }
                State::Known(a) => a.as_str(),
            };
            if !algorithm.starts_with("aws:kms") {
                checks.fail(
                    &bucket.meta,
                    &enc.algorithm.span,
                    if algorithm.is_empty() {
                        "default encryption names no algorithm, so objects get SSE-S3".to_string()
                    } else {
                        format!("default encryption is `{algorithm}`, not SSE-KMS with a customer managed key")
                    },
                );
                continue;
            }
            match &enc.kms_key {
                None => checks.fail(
                    &bucket.meta,
                    &enc.algorithm.span,
                    format!("`{algorithm}` names no key, so the AWS managed key `aws/s3` is used"),
                ),
                Some(key) => checks.require(
                    &bucket.meta,
                    key,
                    |k| !is_aws_managed(k),
                    |k| format!("default encryption uses the AWS managed key `{k}`"),
                ),
            }
        }
    }
}
