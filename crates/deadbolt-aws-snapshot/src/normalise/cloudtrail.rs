//! CloudTrail trails.
//!
//! Reads `cloudtrail:DescribeTrails` of every region (collected without shadow trails, so each
//! trail is listed in its home region only; a trail listed twice is read once) into [`Trail`]s:
//! `IsMultiRegionTrail`, `LogFileValidationEnabled`, `KmsKeyId`, `CloudWatchLogsLogGroupArn`; and
//! `GetTrailStatus` (parameter `Name` = the trail ARN) for `logging` (`IsLogging`).

use deadbolt_model::aws::cloudtrail::Trail;
use deadbolt_model::{Attr, Location, LocationRole, Span};
use serde_json::Value;

use super::resource::{meta, required};
use super::{Context, attr, lookup, span_of};
use crate::json::{boolean, list, text};

/// Reads every region's trails.
pub(super) fn normalise(cx: &mut Context<'_>) {
    let mut seen: Vec<String> = Vec::new();
    for call in cx.calls.all("cloudtrail", "DescribeTrails") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        for trail in list(response.get("trailList")) {
            let Some(arn) = required(cx, call, trail, "TrailARN") else {
                continue;
            };
            if seen.contains(&arn) {
                continue;
            }
            seen.push(arn.clone());
            let span = span_of(call);
            let home = text(trail.get("HomeRegion")).unwrap_or_else(|| call.region.clone());
            let status = lookup(
                cx.calls,
                "cloudtrail",
                "GetTrailStatus",
                &[("Name", &arn)],
                &[],
                &span,
            );
            let logging = attr(&status, false, true, |s| boolean(s.get("IsLogging")));
            cx.model.push(Trail {
                meta: meta(
                    arn,
                    "AWS::CloudTrail::Trail",
                    span.clone(),
                    vec![Location {
                        region: Attr::set(home, span.clone()),
                        role: LocationRole::Primary,
                    }],
                ),
                multi_region: flag(trail, "IsMultiRegionTrail", &span),
                log_file_validation: flag(trail, "LogFileValidationEnabled", &span),
                kms_key: optional(trail, "KmsKeyId", &span),
                cloudwatch_logs_group: optional(trail, "CloudWatchLogsLogGroupArn", &span),
                logging,
            });
        }
    }
}

fn flag(trail: &Value, name: &str, span: &Span) -> Attr<bool> {
    match boolean(trail.get(name)) {
        Some(value) => Attr::set(value, span.clone()),
        None => Attr::default(false, span.clone()),
    }
}

fn optional(trail: &Value, name: &str, span: &Span) -> Attr<Option<String>> {
    match text(trail.get(name)).filter(|s| !s.is_empty()) {
        Some(value) => Attr::set(Some(value), span.clone()),
        None => Attr::default(None, span.clone()),
    }
}
