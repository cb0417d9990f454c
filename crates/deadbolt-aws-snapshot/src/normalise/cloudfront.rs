//! CloudFront distributions (global; REST-XML bodies, so every leaf is text and lists are
//! `{"Items": {"CacheBehavior": ...}}` wrappers holding one object or an array).
//!
//! Reads every page of `cloudfront:ListDistributions` and, per distribution (parameter `Id`),
//! `GetDistributionConfig` into [`Distribution`]s: `DefaultCacheBehavior` and
//! `CacheBehaviors` (`viewer_protocol_policies`), `ViewerCertificate`
//! (`CloudFrontDefaultCertificate`: `default_certificate`; `MinimumProtocolVersion`, `TLSv1`
//! with the default certificate), `WebACLId` (`web_acl`, empty meaning none) and
//! `Logging.Enabled` (`logging`). When `GetDistributionConfig` failed, every setting but logging
//! is read from the distribution's summary in the listing, and logging is unknown. A
//! distribution has no region, so no location.

use deadbolt_model::aws::cloudfront::Distribution;
use deadbolt_model::{Attr, Span, Unknown};
use serde_json::Value;

use super::pages::result_path;
use super::resource::{meta, required};
use super::{Context, Lookup, lookup, span_of};
use crate::json::{boolean, list, path, text};

/// Reads every distribution.
pub(super) fn normalise(cx: &mut Context<'_>) {
    for call in cx.calls.all("cloudfront", "ListDistributions") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        let summaries = result_path(response, "DistributionList", &["Items"])
            .map(|items| list(items.get("DistributionSummary")))
            .unwrap_or_default();
        for summary in summaries {
            let Some(id) = required(cx, call, summary, "Id") else {
                continue;
            };
            let arn = text(summary.get("ARN"))
                .unwrap_or_else(|| cx.arn("cloudfront", "", &format!("distribution/{id}")));
            let listed = span_of(call);
            let config = lookup(
                cx.calls,
                "cloudfront",
                "GetDistributionConfig",
                &[("Id", &id)],
                &[],
                &listed,
            );
            // The settings' source: the configuration, or the summary when it failed.
            let (source, at, logging) = match &config {
                Lookup::Found(by, response) => {
                    // The root element `DistributionConfig` is dropped by the conversion.
                    let config = response.get("DistributionConfig").unwrap_or(response);
                    let at = span_of(by);
                    let logging = match boolean(path(config, &["Logging", "Enabled"])) {
                        Some(on) => Attr::set(on, at.clone()),
                        None => Attr::default(false, at.clone()),
                    };
                    (config, at, logging)
                }
                Lookup::Unknown(reason, at) => (
                    summary,
                    listed.clone(),
                    Attr::unknown(reason.clone(), at.clone()),
                ),
                Lookup::None(by) => (
                    summary,
                    listed.clone(),
                    Attr::unknown(
                        Unknown::new("cloudfront:GetDistributionConfig gave no configuration"),
                        span_of(by),
                    ),
                ),
            };
            let (default_certificate, minimum_protocol_version) = certificate(source, &at);
            let web_acl = match text(source.get("WebACLId")).filter(|w| !w.is_empty()) {
                Some(acl) => Attr::set(Some(acl), at.clone()),
                None => Attr::default(None, at.clone()),
            };
            cx.model.push(Distribution {
                meta: meta(arn, "AWS::CloudFront::Distribution", listed, Vec::new()),
                viewer_protocol_policies: viewer_protocol_policies(source, &at),
                minimum_protocol_version,
                default_certificate,
                web_acl,
                logging,
            });
        }
    }
}

/// The viewer protocol policy of the default and of every ordered cache behaviour.
fn viewer_protocol_policies(source: &Value, at: &Span) -> Vec<Attr<String>> {
    let ordered = source
        .get("CacheBehaviors")
        .and_then(|b| b.get("Items"))
        .map(|items| list(items.get("CacheBehavior")))
        .unwrap_or_default();
    source
        .get("DefaultCacheBehavior")
        .into_iter()
        .chain(ordered)
        .map(
            |behaviour| match text(behaviour.get("ViewerProtocolPolicy")) {
                Some(policy) => Attr::set(policy, at.clone()),
                None => Attr::unknown(
                    Unknown::new("a cache behaviour has no ViewerProtocolPolicy"),
                    at.clone(),
                ),
            },
        )
        .collect()
}

/// Whether the default certificate is used, and the minimum viewer protocol version (`TLSv1`,
/// whatever is written, with the default certificate).
fn certificate(source: &Value, at: &Span) -> (Attr<bool>, Attr<String>) {
    let Some(cert) = source.get("ViewerCertificate") else {
        return (
            Attr::default(true, at.clone()),
            Attr::default("TLSv1".to_string(), at.clone()),
        );
    };
    let default_cert = match boolean(cert.get("CloudFrontDefaultCertificate")) {
        Some(d) => Attr::set(d, at.clone()),
        None => Attr::default(false, at.clone()),
    };
    let minimum = match (
        default_cert.known(),
        text(cert.get("MinimumProtocolVersion")),
    ) {
        (Some(true), _) => Attr::default("TLSv1".to_string(), at.clone()),
        (_, Some(version)) => Attr::set(version, at.clone()),
        (_, None) => Attr::default("TLSv1".to_string(), at.clone()),
    };
    (default_cert, minimum)
}
