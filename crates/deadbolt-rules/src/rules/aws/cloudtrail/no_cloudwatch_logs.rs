use deadbolt_model::aws::cloudtrail::Trail;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A CloudTrail trail that does not deliver events to CloudWatch Logs
    /// (`cloud_watch_logs_group_arn` unset).
    ///
    /// ## Why it matters
    /// Log files in S3 are for investigation after the fact. Metric filters and alarms, such as
    /// root account use, console sign-in without MFA, changes to IAM policies, security groups or
    /// CloudTrail itself, need the events in CloudWatch Logs. Without that delivery, nothing
    /// alerts while an attack is under way. (CIS v1.4 to v2.0 listed this as 3.4; v3.0.0 dropped
    /// the recommendation but its monitoring section still relies on it.)
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
    ///   name                       = "audit"
    ///   s3_bucket_name             = aws_s3_bucket.trail.id
    ///   cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
    ///   cloud_watch_logs_role_arn  = aws_iam_role.trail_to_cloudwatch.arn
    /// }
    /// ```
    ///
    /// ## Fix
    /// Create a log group and a role CloudTrail can assume to write to it, and set
    /// `cloud_watch_logs_group_arn` and `cloud_watch_logs_role_arn` on the trail; then add metric
    /// filters and alarms for the events that matter.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-04, DE.CM-03; NIST SP 800-53 AU-6, SI-4
    /// - AWS CloudTrail User Guide, "Sending events to CloudWatch Logs"
    pub(crate) struct TrailNoCloudWatchLogs;
    id: "AWS-CLOUDTRAIL-004",
    name: "cloudtrail-no-cloudwatch-logs",
    title: "CloudTrail trail does not send events to CloudWatch Logs",
    severity: Severity::Low,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "cloudtrail",
    fix: "Deliver the trail to a CloudWatch Logs log group and alarm on the events that matter.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-04", "DE.CM-03"],
        nist_800_53: &["AU-6", "SI-4"],
    },
    equivalents: Equivalents { checkov: &["CKV2_AWS_10"], trivy: &["AVD-AWS-0162"] },
}

impl Rule for TrailNoCloudWatchLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for trail in model.all::<Trail>() {
            checks.require(
                &trail.meta,
                &trail.cloudwatch_logs_group,
                Option::is_some,
                |_| "no CloudWatch Logs log group receives the trail's events".to_string(),
            );
        }
    }
}
