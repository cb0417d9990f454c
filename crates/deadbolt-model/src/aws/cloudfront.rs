//! Amazon CloudFront.

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// A distribution.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Distribution {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// `viewer_protocol_policy` of the default and every ordered cache behaviour: `allow-all`,
    /// `redirect-to-https` or `https-only`.
    pub viewer_protocol_policies: Vec<Attr<String>>,
    /// The viewer certificate's minimum protocol version (`TLSv1.2_2021`, ...); default `TLSv1`,
    /// and always `TLSv1` when the default CloudFront certificate is used.
    pub minimum_protocol_version: Attr<String>,
    /// `true` when the distribution uses the default `*.cloudfront.net` certificate, whose TLS floor
    /// the customer cannot raise (default `false`).
    pub default_certificate: Attr<bool>,
    /// The associated WAF web ACL, if any; a reference to a web ACL resource whose ARN is only
    /// known once deployed gives that resource (its address or logical ID).
    pub web_acl: Attr<Option<String>>,
    /// Standard access logging configured.
    pub logging: Attr<bool>,
}
