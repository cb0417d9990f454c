use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::access_block::check_flag;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That the Block Public Access switch `block_public_policy` (BlockPublicPolicy) is on for each
    /// bucket, either in the bucket's own Block Public Access configuration or in the account-level
    /// one, and that an account-level configuration turns it on. With it on, S3 rejects any bucket
    /// policy (or access point policy) that grants access to everyone.
    ///
    /// A bucket with no Block Public Access configuration at all is reported once by AWS-S3-003
    /// rather than by each of the four switch rules.
    ///
    /// ## Why it matters
    /// Without it, a bucket policy with `"Principal": "*"` is accepted and the bucket is public the
    /// moment it is applied; it is the guardrail that catches a policy written in a hurry. Block
    /// Public Access is the account owner's last line against public data: it holds even when an
    /// ACL or a policy is wrong.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_s3_bucket" "reports" {
    ///   bucket = "reports-example"
    /// }
    ///
    /// resource "aws_s3_bucket_public_access_block" "reports" {
    ///   bucket                  = aws_s3_bucket.reports.id
    ///   block_public_acls       = true
    ///   block_public_policy     = false
    ///   ignore_public_acls      = true
    ///   restrict_public_buckets = true
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "reports" {
    ///   bucket = "reports-example"
    /// }
    ///
    /// resource "aws_s3_bucket_public_access_block" "reports" {
    ///   bucket                  = aws_s3_bucket.reports.id
    ///   block_public_acls       = true
    ///   block_public_policy     = true
    ///   ignore_public_acls      = true
    ///   restrict_public_buckets = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `block_public_policy = true` on the bucket's `aws_s3_bucket_public_access_block`, or
    /// turn all four switches on once for the whole account with
    /// `aws_s3_account_public_access_block`.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 2.1.4 (Block Public Access)
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-3, SC-7
    /// - AWS S3 User Guide, "Blocking public access to your Amazon S3 storage"
    pub(crate) struct PabBlockPublicPolicy;
    id: "AWS-S3-005",
    name: "s3-bucket-pab-block-public-policy-off",
    title: "S3 Block Public Access does not block public bucket policies",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "s3",
    fix: "Turn on `BlockPublicPolicy` in the bucket's Block Public Access configuration, or all four switches account-wide.",
    references: References {
        cis_aws_v3: &["2.1.4"],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-3", "SC-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_54"], trivy: &["AVD-AWS-0087"] },
}

impl Rule for PabBlockPublicPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        check_flag(model, checks, "BlockPublicPolicy", |pab| {
            &pab.block_public_policy
        });
    }
}
