use deadbolt_model::aws::cloudtrail::Trail;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A CloudTrail trail that does not encrypt its log files with a KMS key (`kms_key_id` unset).
    ///
    /// ## Why it matters
    /// Without a KMS key, log files get only the bucket's default encryption, so anyone who can
    /// read the log bucket can read the whole account's API history: resource names, IP addresses,
    /// request parameters. With SSE-KMS, reading logs also needs `kms:Decrypt` on a key whose
    /// policy the security team controls, and every decryption is itself logged.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_s3_bucket" "trail" {
    ///   bucket = "trail-example"
    /// }
    ///
    /// resource "aws_cloudtrail" "audit" {
    ///   name           = "audit"
    ///   s3_bucket_name = aws_s3_bucket.trail.id
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "trail" {
    ///   bucket = "trail-example"
    /// }
    ///
    /// resource "aws_cloudtrail" "audit" {
    ///   name           = "audit"
    ///   s3_bucket_name = aws_s3_bucket.trail.id
    ///   kms_key_id     = aws_kms_key.trail.arn
    /// }
    /// ```
    ///
    /// ## Fix
    /// Create a customer managed KMS key whose policy lets `cloudtrail.amazonaws.com` encrypt and
    /// your auditors decrypt, and set `kms_key_id` to its ARN.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 3.5 (CloudTrail logs encrypted with KMS CMKs)
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 AU-9(3), SC-28(1)
    /// - AWS CloudTrail User Guide, "Encrypting CloudTrail log files with AWS KMS keys (SSE-KMS)"
    pub(crate) struct TrailNotKmsEncrypted;
    id: "AWS-CLOUDTRAIL-003",
    name: "cloudtrail-not-kms-encrypted",
    title: "CloudTrail log files are not encrypted with a KMS key",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "cloudtrail",
    fix: "Encrypt the trail's log files with a customer managed KMS key (`KmsKeyId`).",
    references: References {
        cis_aws_v3: &["3.5"],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["AU-9(3)", "SC-28(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_35"], trivy: &["AVD-AWS-0015"] },
}

impl Rule for TrailNotKmsEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for trail in model.all::<Trail>() {
            checks.require(&trail.meta, &trail.kms_key, Option::is_some, |_| {
                "no KMS key is set, so log files get only the bucket's default encryption"
                    .to_string()
            });
        }
    }
}
