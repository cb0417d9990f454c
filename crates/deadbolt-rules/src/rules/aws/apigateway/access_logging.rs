use deadbolt_model::aws::apigateway::Stage;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An API Gateway stage (REST, HTTP or WebSocket API) without access logging: no destination
    /// for the per-request access log is configured.
    ///
    /// ## Why it matters
    /// The access log is the record of who called the API, from where, with what result. Without
    /// it, abuse of a public endpoint (credential stuffing, scraping, an exploited backend) leaves
    /// no trace in the customer's logs: execution logs and metrics do not name the caller.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_api_gateway_stage" "prod" {
    ///   rest_api_id   = aws_api_gateway_rest_api.forms.id
    ///   deployment_id = aws_api_gateway_deployment.forms.id
    ///   stage_name    = "prod"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_api_gateway_stage" "prod" {
    ///   rest_api_id   = aws_api_gateway_rest_api.forms.id
    ///   deployment_id = aws_api_gateway_deployment.forms.id
    ///   stage_name    = "prod"
    ///   access_log_settings {
    ///     destination_arn = aws_cloudwatch_log_group.api.arn
    ///     format          = "$context.requestId $context.identity.sourceIp $context.status"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Configure the stage's access log settings (`AccessLogSetting` / `access_log_settings`) with a
    /// CloudWatch Logs group or Firehose stream and a format that records the caller, the request
    /// and the status.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-04, DE.CM-09; NIST SP 800-53 AU-2, AU-12
    /// - Amazon API Gateway Developer Guide, "Set up CloudWatch logging for REST APIs"
    pub(crate) struct AccessLoggingDisabled;
    id: "AWS-APIGATEWAY-001",
    name: "apigateway-stage-no-access-logging",
    title: "API Gateway stage has no access logging",
    severity: Severity::Medium,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "apigateway",
    fix: "Configure access logging for the stage, to a CloudWatch Logs group or Firehose stream.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-04", "DE.CM-09"],
        nist_800_53: &["AU-2", "AU-12"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_76"], trivy: &["AVD-AWS-0001"] },
}

impl Rule for AccessLoggingDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for stage in model.all::<Stage>() {
            checks.require(
                &stage.meta,
                &stage.access_logging,
                |on| *on,
                |_| "the stage has no access log destination".to_string(),
            );
        }
    }
}
