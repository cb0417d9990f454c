//! AWS Lambda.

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// An environment variable of a function.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EnvVar {
    /// The variable name.
    pub name: String,
    /// The value (may be unknown).
    pub value: Attr<String>,
}

/// A Lambda function.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Function {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// Environment variables; unknown as a whole when the map itself is unknown.
    pub environment: Attr<Vec<EnvVar>>,
    /// X-Ray tracing mode: `PassThrough` (default) or `Active`.
    pub tracing_mode: Attr<String>,
}

/// A function URL.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FunctionUrl {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// `AWS_IAM` or `NONE` (public, unauthenticated).
    pub auth_type: Attr<String>,
}

/// A resource-based permission on a function.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Permission {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// The principal allowed to invoke: a service, an account, or `*`.
    pub principal: Attr<String>,
    /// The source ARN condition, if any. A reference to another resource whose value is only known
    /// once deployed gives that resource (its address or logical ID).
    pub source_arn: Attr<Option<String>>,
    /// The source account condition, if any. A reference to another resource whose value is only known
    /// once deployed gives that resource (its address or logical ID).
    pub source_account: Attr<Option<String>>,
    /// The AWS Organizations ID condition, if any. A reference to another resource whose value is
    /// only known once deployed gives that resource (its address or logical ID).
    pub principal_org_id: Attr<Option<String>>,
    /// The function URL auth type condition, if any.
    pub function_url_auth_type: Attr<Option<String>>,
}
