//! Lambda: `AWS::Lambda::Function`, `AWS::Lambda::Url` and `AWS::Lambda::Permission`, and SAM's
//! `AWS::Serverless::Function`, which gets its function URL from `FunctionUrlConfig` and shares
//! `Environment`, `Tracing` and `FunctionUrlConfig` with every function through
//! `Globals.Function`.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::lambda::{EnvVar, Function, FunctionUrl, Permission};
use deadbolt_model::{Attr, Model, ResourceMeta, Span, Unknown, Value};

use super::Res;
use crate::props::Props;
use crate::template::intrinsic;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    let p = &r.props;
    match r.kind {
        "AWS::Lambda::Function" => {
            model.push(Function {
                meta: r.meta.clone(),
                environment: environment_of(std::slice::from_ref(p), p.span()),
                tracing_mode: p.nested("TracingConfig").string("Mode", "PassThrough"),
            });
        }
        "AWS::Serverless::Function" => sam_function(r, model),
        "AWS::Lambda::Url" => {
            model.push(FunctionUrl {
                meta: r.meta.clone(),
                auth_type: auth_type(p),
            });
        }
        "AWS::Lambda::Permission" => {
            model.push(Permission {
                meta: r.meta.clone(),
                principal: p.string("Principal", ""),
                source_arn: p.reference("SourceArn"),
                source_account: p.reference("SourceAccount"),
                principal_org_id: p.reference("PrincipalOrgID"),
                function_url_auth_type: p.opt_string("FunctionUrlAuthType"),
            });
        }
        _ => return false,
    }
    true
}

/// A SAM function: its own properties override `Globals.Function`'s, variable by variable for the
/// environment.
fn sam_function(r: &Res<'_>, model: &mut Model) {
    let p = &r.props;
    let globals = Props {
        template: p.template,
        node: p
            .template
            .globals
            .and_then(|g| g.get("Function"))
            .filter(|f| f.as_mapping().is_some()),
        fallback: p.span(),
    };
    // SAM sets `TracingConfig.Mode` from `Tracing`; unset, the function has no tracing
    // configuration, which is `PassThrough`.
    let own = |name: &str| if p.has(name) { p } else { &globals };
    let tracing_mode = own("Tracing").string("Tracing", "PassThrough");
    model.push(Function {
        meta: r.meta.clone(),
        environment: environment_of(&[globals.clone(), p.clone()], p.span()),
        tracing_mode,
    });
    let url_config = own("FunctionUrlConfig");
    if url_config.has("FunctionUrlConfig") {
        // SAM names the URL it creates after the function.
        model.push(FunctionUrl {
            meta: ResourceMeta {
                address: format!("{}Url", r.meta.address),
                kind: "AWS::Lambda::Url".to_string(),
                ..r.meta.clone()
            },
            auth_type: auth_type(&url_config.nested("FunctionUrlConfig")),
        });
    }
}

/// `AuthType`, which CloudFormation requires: absent, it cannot be judged either way.
fn auth_type(p: &Props<'_>) -> Attr<String> {
    if p.has("AuthType") {
        p.string("AuthType", "")
    } else {
        Attr::unknown(Unknown::new("`AuthType` is not set"), p.span())
    }
}

/// The variables of `Environment.Variables` over `layers` (later layers override earlier ones by
/// name), each with the span of its own entry when written as a plain mapping.
fn environment_of(layers: &[Props<'_>], fallback: Span) -> Attr<Vec<EnvVar>> {
    let mut vars: Vec<EnvVar> = Vec::new();
    let mut span = None;
    for layer in layers {
        let env = layer.nested("Environment");
        let Some((key, node)) = env.entry("Variables") else {
            continue;
        };
        let at = Props::span_of(key, node);
        let written: Vec<EnvVar> = match node.as_mapping() {
            Some(entries) if intrinsic(node).is_none() => entries
                .iter()
                .filter_map(|(k, v)| {
                    let name = k.scalar_text()?.into_owned();
                    let value = layer.template.eval(v);
                    env_var(name, value, Props::span_of(k, v))
                })
                .collect(),
            _ => match layer.template.eval(node) {
                Value::Null => Vec::new(),
                Value::Object(map) => map
                    .into_iter()
                    .filter_map(|(name, value)| env_var(name, value, at.clone()))
                    .collect(),
                Value::Unknown(u) => return Attr::unknown(u, at),
                other => {
                    return Attr::unknown(
                        Unknown::new(format!(
                            "`Variables` is {} where a map was expected",
                            other.type_name()
                        )),
                        at,
                    );
                }
            },
        };
        for var in written {
            vars.retain(|v| v.name != var.name);
            vars.push(var);
        }
        span = Some(at);
    }
    match span {
        Some(span) => Attr::set(vars, span),
        None => Attr::default(Vec::new(), fallback),
    }
}

/// One variable; `None` when `AWS::NoValue` removes it.
fn env_var(name: String, value: Value, span: Span) -> Option<EnvVar> {
    let value = match value {
        Value::Null => return None,
        Value::Unknown(u) => Attr::unknown(u, span),
        other => match Value::scalar_string(&other) {
            Some(s) => Attr::set(s, span),
            None => Attr::unknown(
                other
                    .first_unknown()
                    .cloned()
                    .unwrap_or_else(|| Unknown::new(format!("`{name}` is {}", other.type_name()))),
                span,
            ),
        },
    };
    Some(EnvVar { name, value })
}
