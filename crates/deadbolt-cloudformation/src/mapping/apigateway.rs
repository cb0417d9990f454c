//! API Gateway: `AWS::ApiGateway::Stage` and `::Method`, `AWS::ApiGatewayV2::Stage`, and SAM's
//! `AWS::Serverless::Api` / `::HttpApi` with the methods SAM creates from functions' `Api` events.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::apigateway::{ApiKind, Method, Stage};
use deadbolt_model::{Attr, Model, ResourceMeta};

use super::Res;
use crate::props::Props;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    let p = &r.props;
    match r.kind {
        "AWS::ApiGateway::Stage" | "AWS::Serverless::Api" => model.push(Stage {
            meta: r.meta.clone(),
            api_kind: ApiKind::Rest,
            access_logging: access_logging(p, "AccessLogSetting"),
            tracing: p.bool("TracingEnabled", false),
        }),
        "AWS::ApiGatewayV2::Stage" | "AWS::Serverless::HttpApi" => model.push(Stage {
            meta: r.meta.clone(),
            api_kind: ApiKind::Http,
            access_logging: access_logging(p, "AccessLogSettings"),
            tracing: Attr::default(false, p.span()),
        }),
        "AWS::ApiGateway::Method" => model.push(Method {
            meta: r.meta.clone(),
            http_method: p.string("HttpMethod", ""),
            // The API's default when the property is absent.
            authorization: p.string("AuthorizationType", "NONE"),
            api_key_required: p.bool("ApiKeyRequired", false),
        }),
        _ => return false,
    }
    true
}

/// The methods SAM creates for `Api` events of `AWS::Serverless::Function`s, each judged where
/// the event is written. An event without `RestApiId` goes to the implicit API SAM creates
/// (`ServerlessRestApi`: no authorizer, no access logging), which becomes a stage of its own.
pub(super) fn sam_events(resources: &[Res<'_>], model: &mut Model) {
    let mut implicit_api: Option<ResourceMeta> = None;
    for r in resources
        .iter()
        .filter(|r| r.kind == "AWS::Serverless::Function")
    {
        let events = r.props.nested("Events");
        let Some(entries) = events.node.and_then(|n| n.as_mapping()) else {
            continue;
        };
        for (key, _) in entries {
            let Some(name) = key.scalar_text() else {
                continue;
            };
            let event = events.nested(&name);
            if event.string("Type", "").known().map(String::as_str) != Some("Api") {
                continue;
            }
            let props = event.nested("Properties");
            let api = props
                .references_in("RestApiId")
                .into_iter()
                .next()
                .and_then(|id| resources.iter().find(|a| a.meta.address == id));
            let api_auth = api.map(|a| a.props.nested("Auth"));
            let event_auth = props.nested("Auth");
            let authorizer = if event_auth.has("Authorizer") {
                event_auth.string("Authorizer", "NONE")
            } else {
                match &api_auth {
                    Some(auth) if auth.has("DefaultAuthorizer") => {
                        auth.string("DefaultAuthorizer", "NONE")
                    }
                    _ => Attr::default("NONE".to_string(), event.span()),
                }
            };
            let api_key_required = if event_auth.has("ApiKeyRequired") {
                event_auth.bool("ApiKeyRequired", false)
            } else {
                match &api_auth {
                    Some(auth) => auth.bool("ApiKeyRequired", false),
                    None => Attr::default(false, event.span()),
                }
            };
            let mut meta = r.meta.clone();
            meta.address = format!("{}.Events.{name}", r.meta.address);
            meta.span = event.span();
            model.push(Method {
                meta,
                http_method: props.string("Method", "").map(|m| m.to_ascii_uppercase()),
                // SAM names authorizers; `AWS_IAM` and `NONE` keep their meaning, any other name
                // is an authorizer of the API.
                authorization: authorizer,
                api_key_required,
            });
            if api.is_none() && !props.has("RestApiId") && implicit_api.is_none() {
                implicit_api = Some(ResourceMeta {
                    address: "ServerlessRestApi".into(),
                    kind: "AWS::Serverless::Api".into(),
                    ..r.meta.clone()
                });
            }
        }
    }
    if let Some(meta) = implicit_api {
        let span = meta.span.clone();
        model.push(Stage {
            meta,
            api_kind: ApiKind::Rest,
            access_logging: Attr::default(false, span.clone()),
            tracing: Attr::default(false, span),
        });
    }
}

/// An access log setting with a destination.
fn access_logging(p: &Props<'_>, name: &str) -> Attr<bool> {
    if p.has(name) {
        p.nested(name)
            .reference("DestinationArn")
            .map(|destination| destination.is_some())
    } else {
        Attr::default(false, p.span())
    }
}
