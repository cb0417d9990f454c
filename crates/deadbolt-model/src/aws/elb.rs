//! Elastic Load Balancing v2 (Application and Network Load Balancers).

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// A load balancer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoadBalancer {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// `application` (default), `network` or `gateway`.
    pub lb_type: Attr<String>,
    /// Internal (not internet-facing); default `false`.
    pub internal: Attr<bool>,
    /// Drops HTTP headers with invalid names (ALB; default `false`).
    pub drop_invalid_headers: Attr<bool>,
}

/// A listener's default action.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListenerAction {
    /// `forward`, `redirect`, `fixed-response`, `authenticate-oidc`, ...
    pub action_type: Attr<String>,
    /// For redirects: the target protocol (`HTTPS`, `HTTP` or `#{protocol}`, the default).
    pub redirect_protocol: Option<Attr<String>>,
}

/// A load balancer listener.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Listener {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `GENEVE`.
    pub protocol: Attr<String>,
    /// The port.
    pub port: Attr<i64>,
    /// The TLS security policy name (`ELBSecurityPolicy-TLS13-1-2-2021-06`, ...); `None` for
    /// listeners without TLS. When an HTTPS or TLS listener names none, the API (CLI,
    /// CloudFormation, Terraform) applies `ELBSecurityPolicy-2016-08`.
    pub ssl_policy: Attr<Option<String>>,
    /// Default actions.
    pub default_actions: Vec<ListenerAction>,
}
