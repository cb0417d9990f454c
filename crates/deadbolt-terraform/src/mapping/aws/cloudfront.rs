//! CloudFront: `aws_cloudfront_distribution`.

use deadbolt_model::Attr;
use deadbolt_model::Settings as _;
use deadbolt_model::aws::cloudfront::Distribution;

use crate::evaluated::EvaluatedResource;
use crate::mapping::{MapContext, meta};

/// Maps distributions.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    if res.resource_type != "aws_cloudfront_distribution" {
        return false;
    }
    let body = &res.body;
    let viewer_protocol_policies = body
        .blocks("default_cache_behavior")
        .chain(body.blocks("ordered_cache_behavior"))
        .map(|b| b.string("viewer_protocol_policy", ""))
        .collect();
    let (default_certificate, minimum_protocol_version) = match body.block("viewer_certificate") {
        Some(cert) => {
            let default_cert = cert.bool("cloudfront_default_certificate", false);
            // With the default certificate CloudFront ignores the minimum version and accepts TLSv1.
            let minimum = match default_cert.known() {
                Some(true) => Attr::default("TLSv1".to_string(), default_cert.span.clone()),
                _ => cert.string("minimum_protocol_version", "TLSv1"),
            };
            (default_cert, minimum)
        }
        None => (
            Attr::default(true, body.span.clone()),
            Attr::default("TLSv1".to_string(), body.span.clone()),
        ),
    };
    let logging = match body.block("logging_config") {
        Some(l) => Attr::set(true, l.span.clone()),
        None => Attr::default(false, body.span.clone()),
    };
    cx.model.push(Distribution {
        meta: meta(res),
        viewer_protocol_policies,
        minimum_protocol_version,
        default_certificate,
        web_acl: body.reference("web_acl_id"),
        logging,
    });
    true
}

/// CloudFront has no split resources deadbolt joins.
pub(super) fn map_split(_res: &EvaluatedResource, _cx: &mut MapContext) -> bool {
    false
}

/// Nothing to resolve after the joins.
pub(super) fn finish(_cx: &mut MapContext) {}
