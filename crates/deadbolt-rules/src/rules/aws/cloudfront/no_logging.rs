use deadbolt_model::aws::cloudfront::Distribution;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A CloudFront distribution without standard (legacy) access logging to S3. Logs delivered
    /// through the newer CloudWatch log delivery resources are configured outside the
    /// distribution and are not seen by this rule; suppress the finding with that reason if they
    /// are in place.
    ///
    /// ## Why it matters
    /// Access logs are the record of who requested what from the edge: without them, a content
    /// scrape, a credential-stuffing run against a login path or the exploitation of an origin
    /// bug cannot be investigated after the fact.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "site" {
    ///   enabled = true
    ///   # ... no logging_config
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "cdn_logs" {
    ///   bucket = "cdn-logs-example"
    /// }
    ///
    /// resource "aws_cloudfront_distribution" "site" {
    ///   enabled = true
    ///   logging_config {
    ///     bucket = aws_s3_bucket.cdn_logs.bucket_domain_name
    ///     prefix = "site/"
    ///   }
    ///   # ...
    /// }
    /// ```
    ///
    /// ## Fix
    /// Enable standard logging to an S3 bucket (or configure CloudFront log delivery to
    /// CloudWatch Logs, Firehose or S3) and keep the logs for your retention period.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-04; NIST SP 800-53 AU-2, AU-12
    /// - Amazon CloudFront Developer Guide, "Standard logging (access logs)"
    pub(crate) struct NoLogging;
    id: "AWS-CLOUDFRONT-004",
    name: "cloudfront-no-logging",
    title: "CloudFront distribution has no access logging",
    severity: Severity::Low,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "cloudfront",
    fix: "Enable access logging for the distribution.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-04"],
        nist_800_53: &["AU-2", "AU-12"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_86"], trivy: &["AVD-AWS-0010"] },
}

impl Rule for NoLogging {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for dist in model.all::<Distribution>() {
            checks.require(
                &dist.meta,
                &dist.logging,
                |on| *on,
                |_| "access logging is not configured".to_string(),
            );
        }
    }
}
