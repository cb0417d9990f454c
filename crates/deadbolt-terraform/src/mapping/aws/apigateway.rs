//! API Gateway: REST stages (`aws_api_gateway_stage`), HTTP/WebSocket stages
//! (`aws_apigatewayv2_stage`) and REST methods (`aws_api_gateway_method`).

use deadbolt_model::Attr;
use deadbolt_model::Settings as _;
use deadbolt_model::aws::apigateway::{ApiKind, Method, Stage};

use crate::evaluated::{EvalBody, EvaluatedResource};
use crate::mapping::{MapContext, meta};

/// Maps stages and methods; none is joined into another.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    let body = &res.body;
    match res.resource_type.as_str() {
        kind @ ("aws_api_gateway_stage" | "aws_apigatewayv2_stage") => {
            let rest = kind == "aws_api_gateway_stage";
            cx.model.push(Stage {
                meta: meta(res),
                api_kind: if rest { ApiKind::Rest } else { ApiKind::Http },
                access_logging: access_logging(body),
                tracing: if rest {
                    body.bool("xray_tracing_enabled", false)
                } else {
                    Attr::default(false, body.span.clone())
                },
            });
        }
        "aws_api_gateway_method" => cx.model.push(Method {
            meta: meta(res),
            http_method: body.string("http_method", ""),
            authorization: body.string("authorization", ""),
            api_key_required: body.bool("api_key_required", false),
        }),
        _ => return false,
    }
    true
}

/// API Gateway has no split resources deadbolt joins.
pub(super) fn map_split(_res: &EvaluatedResource, _cx: &mut MapContext) -> bool {
    false
}

/// Nothing to resolve.
pub(super) fn finish(_cx: &mut MapContext) {}

/// An `access_log_settings` block with a destination.
fn access_logging(body: &EvalBody) -> Attr<bool> {
    match body.block("access_log_settings") {
        Some(settings) => settings
            .reference("destination_arn")
            .map(|destination| destination.is_some()),
        None => Attr::default(false, body.span.clone()),
    }
}
