//! Amazon API Gateway: stages (REST, HTTP and WebSocket APIs) and REST methods.

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// Which API Gateway flavour a stage belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiKind {
    /// A REST API (API Gateway v1).
    Rest,
    /// An HTTP or WebSocket API (API Gateway v2).
    Http,
}

/// A deployed stage of an API.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stage {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// REST or HTTP/WebSocket.
    pub api_kind: ApiKind,
    /// Access logging to a destination (a CloudWatch Logs group or Firehose stream) is configured.
    /// Off by default.
    pub access_logging: Attr<bool>,
    /// X-Ray active tracing (REST APIs only; HTTP APIs do not support it). Off by default.
    pub tracing: Attr<bool>,
}

/// A REST API method: one HTTP verb on one resource path.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Method {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// The HTTP verb (`GET`, `POST`, `ANY`, `OPTIONS`, ...).
    pub http_method: Attr<String>,
    /// The authorization type: `NONE`, `AWS_IAM`, `CUSTOM` (a Lambda authorizer) or
    /// `COGNITO_USER_POOLS`.
    pub authorization: Attr<String>,
    /// Callers must present an API key (a usage-plan key identifies, it does not authenticate).
    pub api_key_required: Attr<bool>,
}
