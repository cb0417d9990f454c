//! Lambda: `aws_lambda_function`, `aws_lambda_function_url` and `aws_lambda_permission`.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::lambda::{EnvVar, Function, FunctionUrl, Permission};
use deadbolt_model::{Attr, Unknown, Value};

use crate::evaluated::{EvalBody, EvaluatedResource};
use crate::mapping::{MapContext, meta};

/// Maps functions, function URLs and permissions.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    let body = &res.body;
    match res.resource_type.as_str() {
        "aws_lambda_function" => {
            let tracing_mode = match body.block("tracing_config") {
                Some(t) => t.string("mode", "PassThrough"),
                None => Attr::default("PassThrough".to_string(), body.span.clone()),
            };
            cx.model.push(Function {
                meta: meta(res),
                environment: environment_of(body),
                tracing_mode,
            });
            true
        }
        "aws_lambda_function_url" => {
            cx.model.push(FunctionUrl {
                meta: meta(res),
                // Required by the provider; an absent value cannot be judged either way.
                auth_type: match body.attr("authorization_type") {
                    Some(_) => body.string("authorization_type", ""),
                    None => Attr::unknown(
                        Unknown::new("`authorization_type` is not set"),
                        body.span.clone(),
                    ),
                },
            });
            true
        }
        "aws_lambda_permission" => {
            cx.model.push(Permission {
                meta: meta(res),
                principal: body.string("principal", ""),
                source_arn: body.reference("source_arn"),
                source_account: body.reference("source_account"),
                principal_org_id: body.reference("principal_org_id"),
                function_url_auth_type: body.opt_string("function_url_auth_type"),
            });
            true
        }
        _ => false,
    }
}

/// The `environment { variables = {...} }` map; every value keeps the span of the map, since
/// map entries carry no spans of their own.
fn environment_of(body: &EvalBody) -> Attr<Vec<EnvVar>> {
    let Some(env) = body.block("environment") else {
        return Attr::default(Vec::new(), body.span.clone());
    };
    let Some(vars) = env.attr("variables") else {
        return Attr::default(Vec::new(), env.span.clone());
    };
    let span = vars.span.clone();
    match &vars.value {
        Value::Null => Attr::default(Vec::new(), span),
        Value::Object(map) => {
            let list = map
                .iter()
                .map(|(name, value)| EnvVar {
                    name: name.clone(),
                    value: match value {
                        Value::Unknown(u) => Attr::unknown(u.clone(), span.clone()),
                        Value::Null => Attr::set(String::new(), span.clone()),
                        other => match Value::scalar_string(other) {
                            Some(s) => Attr::set(s, span.clone()),
                            None => Attr::unknown(
                                other.first_unknown().cloned().unwrap_or_else(|| {
                                    Unknown::new(format!("`{name}` is {}", other.type_name()))
                                }),
                                span.clone(),
                            ),
                        },
                    },
                })
                .collect();
            Attr::set(list, span)
        }
        Value::Unknown(u) => Attr::unknown(u.clone(), span),
        other => Attr::unknown(
            Unknown::new(format!(
                "`variables` is {} where a map was expected",
                other.type_name()
            )),
            span,
        ),
    }
}

/// Lambda has no split resources deadbolt joins.
pub(super) fn map_split(_res: &EvaluatedResource, _cx: &mut MapContext) -> bool {
    false
}

/// Nothing to resolve after the joins.
pub(super) fn finish(_cx: &mut MapContext) {}
