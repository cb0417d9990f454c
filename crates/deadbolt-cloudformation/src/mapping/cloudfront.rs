//! CloudFront: `AWS::CloudFront::Distribution`, whose settings are all under
//! `DistributionConfig`.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::cloudfront::Distribution;
use deadbolt_model::{Attr, Model};

use super::Res;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    if r.kind != "AWS::CloudFront::Distribution" {
        return false;
    }
    let config = r.props.nested("DistributionConfig");
    let default_behavior = config.nested("DefaultCacheBehavior");
    let viewer_protocol_policies = std::iter::once(default_behavior)
        .filter(|b| b.node.is_some())
        .chain(config.list("CacheBehaviors"))
        .map(|b| b.string("ViewerProtocolPolicy", ""))
        .collect();
    let (default_certificate, minimum_protocol_version) = if config.has("ViewerCertificate") {
        let cert = config.nested("ViewerCertificate");
        let default_cert = cert.bool("CloudFrontDefaultCertificate", false);
        // With the default certificate CloudFront ignores the minimum version and accepts TLSv1.
        let minimum = match default_cert.known() {
            Some(true) => Attr::default("TLSv1".to_string(), default_cert.span.clone()),
            _ => cert.string("MinimumProtocolVersion", "TLSv1"),
        };
        (default_cert, minimum)
    } else {
        (
            Attr::default(true, config.span()),
            Attr::default("TLSv1".to_string(), config.span()),
        )
    };
    let logging = if config.has("Logging") {
        Attr::set(true, config.span_for("Logging"))
    } else {
        Attr::default(false, config.span())
    };
    model.push(Distribution {
        meta: r.meta.clone(),
        viewer_protocol_policies,
        minimum_protocol_version,
        default_certificate,
        web_acl: config.reference("WebACLId"),
        logging,
    });
    true
}
