use deadbolt_model::aws::cloudtrail::Trail;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A CloudTrail trail without log file integrity validation (`enable_log_file_validation`
    /// unset or `false`).
    ///
    /// ## Why it matters
    /// An intruder who can write to the log bucket can delete or edit the entries that show what
    /// they did. With validation on, CloudTrail delivers a signed digest file every hour, and
    /// `aws cloudtrail validate-logs` proves whether any log file was changed or removed, which
    /// is what makes the trail usable as evidence.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_s3_bucket" "trail" {
    ///   bucket = "trail-example"
    /// }
    ///
    /// resource "aws_cloudtrail" "audit" {
    ///   name                       = "audit"
    ///   s3_bucket_name             = aws_s3_bucket.trail.id
    ///   enable_log_file_validation = false
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
    ///   enable_log_file_validation = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `enable_log_file_validation = true` on the trail.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 3.2 (log file validation)
    /// - NIST CSF 2.0 PR.DS-01, PR.PS-04; NIST SP 800-53 AU-9, SI-7
    /// - AWS CloudTrail User Guide, "Validating CloudTrail log file integrity"
    pub(crate) struct TrailLogValidationDisabled;
    id: "AWS-CLOUDTRAIL-002",
    name: "cloudtrail-log-validation-disabled",
    title: "CloudTrail log file validation is not enabled",
    severity: Severity::Medium,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "cloudtrail",
    fix: "Enable log file validation on the trail (`EnableLogFileValidation`).",
    references: References {
        cis_aws_v3: &["3.2"],
        nist_csf_2: &["PR.DS-01", "PR.PS-04"],
        nist_800_53: &["AU-9", "SI-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_36"], trivy: &["AVD-AWS-0016"] },
}

impl Rule for TrailLogValidationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for trail in model.all::<Trail>() {
            checks.require(
                &trail.meta,
                &trail.log_file_validation,
                |on| *on,
                |_| {
                    if trail.log_file_validation.explicit {
                        "log file validation is switched off".to_string()
                    } else {
                        "log file validation is not enabled (off by default)".to_string()
                    }
                },
            );
        }
    }
}
