use deadbolt_model::aws::s3::Bucket;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An S3 bucket without server access logging. A bucket that receives access logs is exempt
    /// (logging it would need yet another log bucket, or loop into itself): one whose canned ACL is
    /// `log-delivery-write`, or whose policy allows the `logging.s3.amazonaws.com` service.
    ///
    /// ## Why it matters
    /// Access logs record every request to the bucket: who read which object, from where, and
    /// whether it was allowed. Without them (or CloudTrail data events), a leak or a tampering can
    /// be neither confirmed nor scoped, and notification duties cannot be met with facts.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_s3_bucket" "uploads" {
    ///   bucket = "agency-uploads"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "access_logs" {
    ///   bucket = "agency-access-logs"
    ///   acl    = "log-delivery-write"
    /// }
    ///
    /// resource "aws_s3_bucket" "uploads" {
    ///   bucket = "agency-uploads"
    /// }
    ///
    /// resource "aws_s3_bucket_logging" "uploads" {
    ///   bucket        = aws_s3_bucket.uploads.id
    ///   target_bucket = aws_s3_bucket.access_logs.id
    ///   target_prefix = "uploads/"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add an `aws_s3_bucket_logging` that sends the bucket's access logs to a dedicated log bucket
    /// (AWS provider v3: a `logging` block), or record S3 data events with CloudTrail.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-04; NIST SP 800-53 AU-2, AU-12
    /// - AWS S3 User Guide, "Logging requests with server access logging"
    pub(crate) struct BucketAccessLoggingDisabled;
    id: "AWS-S3-011",
    name: "s3-bucket-access-logging-disabled",
    title: "S3 bucket has no server access logging",
    severity: Severity::Medium,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "s3",
    fix: "Send the bucket's server access logs to a dedicated log bucket.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-04"],
        nist_800_53: &["AU-2", "AU-12"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_18"], trivy: &["AVD-AWS-0089"] },
}

/// The service principal S3 server access logging writes as.
const LOGGING_SERVICE: &str = "logging.s3.amazonaws.com";

/// Whether the bucket is set up to receive access logs.
fn is_log_target(bucket: &Bucket) -> bool {
    if bucket
        .acl
        .known()
        .is_some_and(|acl| acl == "log-delivery-write")
    {
        return true;
    }
    let Some(Some(policy)) = bucket.policy.known() else {
        return false;
    };
    policy.allows().any(|statement| {
        statement.principal.as_ref().is_some_and(|p| {
            p.entries.iter().any(|(kind, value)| {
                kind.eq_ignore_ascii_case("Service") && value.known() == Some(LOGGING_SERVICE)
            })
        })
    })
}

impl Rule for BucketAccessLoggingDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for bucket in model.all::<Bucket>() {
            if bucket.logging.is(&true) != Some(true) && is_log_target(bucket) {
                checks.pass(&bucket.meta);
                continue;
            }
            checks.require(
                &bucket.meta,
                &bucket.logging,
                |on| *on,
                |_| "server access logging is not configured".to_string(),
            );
        }
    }
}
