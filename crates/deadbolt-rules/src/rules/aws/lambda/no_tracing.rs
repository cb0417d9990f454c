use deadbolt_model::aws::lambda::Function;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A Lambda function whose X-Ray tracing mode is not `Active` (`PassThrough`, the default,
    /// only traces requests that arrive already sampled upstream).
    ///
    /// ## Why it matters
    /// Active tracing records each invocation's path through downstream AWS calls and services.
    /// Without it, an investigation has little to show which resources a misbehaving or
    /// compromised function touched, and when.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_lambda_function" "report" {
    ///   function_name = "report"
    ///   role          = aws_iam_role.report.arn
    ///   runtime       = "python3.12"
    ///   handler       = "app.handler"
    ///   filename      = "report.zip"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_lambda_function" "report" {
    ///   function_name = "report"
    ///   role          = aws_iam_role.report.arn
    ///   runtime       = "python3.12"
    ///   handler       = "app.handler"
    ///   filename      = "report.zip"
    ///   tracing_config {
    ///     mode = "Active"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set the tracing mode to `Active` and allow the execution role to write traces
    /// (`AWSXRayDaemonWriteAccess`).
    ///
    /// ## References
    /// - NIST CSF 2.0 DE.CM-09; NIST SP 800-53 AU-12, SI-4
    /// - AWS Lambda Developer Guide, "Visualize Lambda function invocations using AWS X-Ray"
    pub(crate) struct NoTracing;
    id: "AWS-LAMBDA-003",
    name: "lambda-no-tracing",
    title: "Lambda function does not have active X-Ray tracing",
    severity: Severity::Low,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Faas],
    provider: Provider::Aws,
    service: "lambda",
    fix: "Set the function's tracing mode to `Active`.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["DE.CM-09"],
        nist_800_53: &["AU-12", "SI-4"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_50"], trivy: &["AVD-AWS-0066"] },
}

impl Rule for NoTracing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for function in model.all::<Function>() {
            let attr = &function.tracing_mode;
            checks.require(
                &function.meta,
                attr,
                |mode| mode == "Active",
                |mode| {
                    let default = if attr.explicit { "" } else { " (the default)" };
                    format!("X-Ray tracing mode is `{mode}`{default}")
                },
            );
        }
    }
}
