use deadbolt_model::aws::apigateway::{ApiKind, Stage};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A REST API stage without X-Ray active tracing. HTTP and WebSocket APIs do not support
    /// tracing and are not judged.
    ///
    /// ## Why it matters
    /// Tracing follows each request from the API into the functions and services behind it. When
    /// an endpoint is abused or a backend misbehaves, the trace shows which downstream calls a
    /// request caused; without it, the path has to be reconstructed from separate logs.
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
    ///   rest_api_id          = aws_api_gateway_rest_api.forms.id
    ///   deployment_id        = aws_api_gateway_deployment.forms.id
    ///   stage_name           = "prod"
    ///   xray_tracing_enabled = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Turn on X-Ray tracing for the stage (`TracingEnabled` / `xray_tracing_enabled`).
    ///
    /// ## References
    /// - NIST CSF 2.0 DE.CM-09; NIST SP 800-53 AU-12, SI-4
    /// - Amazon API Gateway Developer Guide, "Tracing user requests to REST APIs using X-Ray"
    pub(crate) struct NoTracing;
    id: "AWS-APIGATEWAY-002",
    name: "apigateway-stage-no-tracing",
    title: "API Gateway REST stage does not have X-Ray tracing",
    severity: Severity::Low,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "apigateway",
    fix: "Turn on X-Ray tracing for the stage.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["DE.CM-09"],
        nist_800_53: &["AU-12", "SI-4"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_73"], trivy: &["AVD-AWS-0003"] },
}

impl Rule for NoTracing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for stage in model.all::<Stage>().filter(|s| s.api_kind == ApiKind::Rest) {
            checks.require(
                &stage.meta,
                &stage.tracing,
                |on| *on,
                |_| "X-Ray tracing is off".to_string(),
            );
        }
    }
}
