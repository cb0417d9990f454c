use deadbolt_model::aws::cloudtrail::Trail;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A CloudTrail trail whose logging is switched off (`enable_logging = false`). The trail exists
    /// but records nothing.
    ///
    /// ## Why it matters
    /// A stopped trail gives false comfort: dashboards and reviews see a trail, yet no API call is
    /// recorded, so a compromise leaves no trace. Stopping logging is also a classic first move of
    /// an intruder, so a configuration that ships it stopped should never pass review.
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
    ///   enable_logging = false
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
    ///   enable_logging = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Remove `enable_logging = false` (logging is on by default) or set it to `true`.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-04; NIST SP 800-53 AU-12
    /// - AWS CloudTrail API Reference, "StartLogging"
    pub(crate) struct TrailLoggingDisabled;
    id: "AWS-CLOUDTRAIL-005",
    name: "cloudtrail-logging-disabled",
    title: "CloudTrail trail has logging switched off",
    severity: Severity::High,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "cloudtrail",
    fix: "Turn logging on for the trail (`IsLogging`; Terraform `enable_logging`, on by default).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-04"],
        nist_800_53: &["AU-12"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_251"], trivy: &[] },
}

impl Rule for TrailLoggingDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for trail in model.all::<Trail>() {
            checks.require(
                &trail.meta,
                &trail.logging,
                |on| *on,
                |_| "logging is switched off, so the trail records nothing".to_string(),
            );
        }
    }
}
