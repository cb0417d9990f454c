//! Lambda functions, their URLs and resource policies.
//!
//! Reads `lambda:ListFunctions` of every region into [`Function`]s (environment variables, whose
//! values the collector masked, and `TracingConfig.Mode`); per function (parameter
//! `FunctionName`), `GetFunctionUrlConfig` into a [`FunctionUrl`] (`AuthType`) and `GetPolicy`
//! into one [`Permission`] per policy statement (principal, `AWS:SourceArn`, `AWS:SourceAccount`,
//! `aws:PrincipalOrgID` and `lambda:FunctionUrlAuthType` conditions). `ResourceNotFoundException`
//! means the function has no URL or no policy; any other failure keeps one URL or permission
//! whose deciding attribute is unknown, so the rules report it as not evaluated.

use deadbolt_model::aws::lambda::{EnvVar, Function, FunctionUrl, Permission};
use deadbolt_model::{Attr, Span, Unknown};
use serde_json::Value;

use super::resource::{regional, required};
use super::{Context, Lookup, lookup_in, span_of};
use crate::format::Call;
use crate::json::{list, path, text};

const NOT_FOUND: &[&str] = &["ResourceNotFoundException"];

/// Reads every region's functions.
pub(super) fn normalise(cx: &mut Context<'_>) {
    for call in cx.calls.all("lambda", "ListFunctions") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        for function in list(response.get("Functions")) {
            let Some(name) = required(cx, call, function, "FunctionName") else {
                continue;
            };
            let arn = text(function.get("FunctionArn"))
                .unwrap_or_else(|| cx.arn("lambda", &call.region, &format!("function:{name}")));
            let span = span_of(call);
            let environment = match path(function, &["Environment", "Variables"]) {
                Some(Value::Object(vars)) => Attr::set(
                    vars.iter()
                        .map(|(k, v)| EnvVar {
                            name: k.clone(),
                            value: Attr::set(text(Some(v)).unwrap_or_default(), span.clone()),
                        })
                        .collect(),
                    span.clone(),
                ),
                _ => Attr::default(Vec::new(), span.clone()),
            };
            let tracing_mode = match text(path(function, &["TracingConfig", "Mode"])) {
                Some(mode) => Attr::set(mode, span.clone()),
                None => Attr::default("PassThrough".to_string(), span.clone()),
            };
            cx.model.push(Function {
                meta: regional(arn.clone(), "AWS::Lambda::Function", call),
                environment,
                tracing_mode,
            });
            url(cx, call, &name, &arn);
            permissions(cx, call, &name, &arn);
        }
    }
}

fn url(cx: &mut Context<'_>, listed_by: &Call, name: &str, arn: &str) {
    let span = span_of(listed_by);
    // Function names repeat across regions: the call must be the one made where the function
    // was listed.
    let found = lookup_in(
        cx.calls,
        "lambda",
        "GetFunctionUrlConfig",
        &listed_by.region,
        &[("FunctionName", name)],
        NOT_FOUND,
        &span,
    );
    let auth_type = match &found {
        Lookup::None(_) => return,
        Lookup::Found(call, response) => match text(response.get("AuthType")) {
            Some(auth) => Attr::set(auth, span_of(call)),
            None => {
                cx.malformed(call, "no AuthType");
                Attr::unknown(
                    Unknown::new("lambda:GetFunctionUrlConfig gave no AuthType"),
                    span_of(call),
                )
            }
        },
        Lookup::Unknown(reason, at) => Attr::unknown(reason.clone(), at.clone()),
    };
    cx.model.push(FunctionUrl {
        meta: regional(format!("{arn}/url"), "AWS::Lambda::Url", listed_by),
        auth_type,
    });
}

fn permissions(cx: &mut Context<'_>, listed_by: &Call, name: &str, arn: &str) {
    let span = span_of(listed_by);
    // Function names repeat across regions: the call must be the one made where the function
    // was listed.
    let found = lookup_in(
        cx.calls,
        "lambda",
        "GetPolicy",
        &listed_by.region,
        &[("FunctionName", name)],
        NOT_FOUND,
        &span,
    );
    let (call, response) = match found {
        Lookup::None(_) => return,
        Lookup::Found(call, response) => (call, response),
        Lookup::Unknown(reason, at) => {
            let unknown = || Attr::<Option<String>>::unknown(reason.clone(), at.clone());
            cx.model.push(Permission {
                meta: regional(
                    format!("{arn}/policy"),
                    "AWS::Lambda::Permission",
                    listed_by,
                ),
                principal: Attr::unknown(reason.clone(), at.clone()),
                source_arn: unknown(),
                source_account: unknown(),
                principal_org_id: unknown(),
                function_url_auth_type: unknown(),
            });
            return;
        }
    };
    let policy: Option<Value> = match response.get("Policy") {
        Some(Value::String(s)) => serde_json::from_str(s).ok(),
        Some(document @ Value::Object(_)) => Some(document.clone()),
        _ => None,
    };
    let Some(policy) = policy else {
        cx.malformed(call, "no readable Policy");
        return;
    };
    let at = span_of(call);
    for (index, statement) in list(policy.get("Statement")).into_iter().enumerate() {
        let sid = text(statement.get("Sid")).unwrap_or_else(|| index.to_string());
        let principal = match statement.get("Principal") {
            Some(Value::String(p)) => Some(p.clone()),
            Some(Value::Object(kinds)) => kinds.values().find_map(|v| {
                text(Some(v)).or_else(|| list(Some(v)).first().and_then(|f| text(Some(f))))
            }),
            _ => None,
        };
        let principal = match principal {
            Some(p) => Attr::set(p, at.clone()),
            None => {
                cx.malformed(call, &format!("statement {sid} has no Principal"));
                Attr::unknown(
                    Unknown::new(format!(
                        "lambda:GetPolicy statement {sid} has no readable Principal"
                    )),
                    at.clone(),
                )
            }
        };
        cx.model.push(Permission {
            meta: regional(
                format!("{arn}/policy/{sid}"),
                "AWS::Lambda::Permission",
                listed_by,
            ),
            principal,
            source_arn: condition(statement, "aws:SourceArn", &at),
            source_account: condition(statement, "aws:SourceAccount", &at),
            principal_org_id: condition(statement, "aws:PrincipalOrgID", &at),
            function_url_auth_type: condition(statement, "lambda:FunctionUrlAuthType", &at),
        });
    }
}

/// The value of condition key `key` under any operator (Lambda writes `AWS:SourceArn` with either
/// case of the prefix; condition keys are case-insensitive).
fn condition(statement: &Value, key: &str, span: &Span) -> Attr<Option<String>> {
    let found = statement
        .get("Condition")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|operators| operators.values())
        .filter_map(Value::as_object)
        .flat_map(|keys| keys.iter())
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .and_then(|(_, v)| {
            text(Some(v)).or_else(|| list(Some(v)).first().and_then(|f| text(Some(f))))
        });
    match found {
        Some(value) => Attr::set(Some(value), span.clone()),
        None => Attr::default(None, span.clone()),
    }
}
