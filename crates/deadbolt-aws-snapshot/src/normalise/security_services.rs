//! AWS Config, GuardDuty, Security Hub and IAM Access Analyzer, region by region: one
//! [`RegionalService`] per service and collected region.
//!
//! What "on" means per service (AWS documentation of each operation):
//! - Config: `DescribeConfigurationRecorders` lists a recorder whose recording group records all
//!   supported resource types (`allSupported`, or a `recordingStrategy.useOnly` of
//!   `ALL_SUPPORTED_RESOURCE_TYPES`; no recording group at all records everything) and
//!   `DescribeConfigurationRecorderStatus` shows that recorder `recording`;
//! - GuardDuty: `ListDetectors` lists a detector whose `GetDetector` status is `ENABLED`;
//! - Security Hub: `DescribeHub` answers; `InvalidAccessException` is "not subscribed";
//! - Access Analyzer: `ListAnalyzers` lists an analyzer whose status is `ACTIVE`.
//!
//! A call that failed (`AccessDenied`) or was not collected in a region leaves that region's
//! status unknown with the reason, never on or off.

use deadbolt_model::aws::regional::{RegionalService, ServiceKind, ServiceStatus};
use deadbolt_model::{Attr, Location, LocationRole, Provider, ResourceMeta, Span, Unknown};
use serde_json::Value;

use super::pages::{Pages, pages, per_resource};
use super::{Context, live_span, span_of};
use crate::format::Call;
use crate::json;

pub(crate) fn normalise(cx: &mut Context<'_>) {
    let regions = cx.snapshot.regions.clone();
    for (kind, service) in [
        (ServiceKind::Config, "config"),
        (ServiceKind::GuardDuty, "guardduty"),
        (ServiceKind::SecurityHub, "securityhub"),
        (ServiceKind::AccessAnalyzer, "accessanalyzer"),
    ] {
        for region in &regions {
            let status = match kind {
                ServiceKind::Config => config(cx, region),
                ServiceKind::GuardDuty => guardduty(cx, region),
                ServiceKind::SecurityHub => security_hub(cx, region),
                ServiceKind::AccessAnalyzer => access_analyzer(cx, region),
            };
            let span = live_span(format!("aws://{region}/{service}"));
            cx.model.push(RegionalService {
                meta: ResourceMeta {
                    address: format!("aws://{region}/{service}"),
                    kind: format!("{service}:region"),
                    provider: Provider::Aws,
                    span: span.clone(),
                    suppressions: Vec::new(),
                    locations: vec![Location {
                        region: Attr::set(region.clone(), span),
                        role: LocationRole::Primary,
                    }],
                },
                kind,
                region: region.clone(),
                status,
            });
        }
    }
}

fn on(detail: String, span: Span) -> Attr<ServiceStatus> {
    Attr::set(
        ServiceStatus {
            enabled: true,
            detail,
        },
        span,
    )
}

fn off(detail: String, span: Span) -> Attr<ServiceStatus> {
    Attr::set(
        ServiceStatus {
            enabled: false,
            detail,
        },
        span,
    )
}

/// The items of `key` across every page; a page without `key` is reported malformed and makes
/// the list unknown (a list with a page missing cannot show that something is absent).
fn items<'a>(
    cx: &mut Context<'_>,
    found: &[(&'a Call, &'a Value)],
    key: &str,
) -> Result<Vec<&'a Value>, (Unknown, Span)> {
    let mut out = Vec::new();
    for (call, response) in found {
        match response.get(key) {
            Some(list) => out.extend(json::list(Some(list))),
            None => {
                cx.malformed(call, &format!("no {key}"));
                return Err((
                    Unknown::new(format!(
                        "{}:{} in {} has no {key}",
                        call.service, call.operation, call.region
                    )),
                    span_of(call),
                ));
            }
        }
    }
    Ok(out)
}

fn config(cx: &mut Context<'_>, region: &str) -> Attr<ServiceStatus> {
    let recorders = match pages(
        cx.calls,
        "config",
        "DescribeConfigurationRecorders",
        region,
        &[],
    ) {
        Pages::Found(found) => found,
        Pages::None(call) => return off("no configuration recorder".into(), span_of(call)),
        Pages::Unknown(reason, span) => return Attr::unknown(reason, span),
    };
    let first = span_of(recorders[0].0);
    let recorders = match items(cx, &recorders, "ConfigurationRecorders") {
        Ok(list) => list,
        Err((reason, span)) => return Attr::unknown(reason, span),
    };
    if recorders.is_empty() {
        return off("no configuration recorder".into(), first);
    }
    let statuses = match pages(
        cx.calls,
        "config",
        "DescribeConfigurationRecorderStatus",
        region,
        &[],
    ) {
        Pages::Found(found) => found,
        Pages::None(call) => return off("no recorder status".into(), span_of(call)),
        Pages::Unknown(reason, span) => return Attr::unknown(reason, span),
    };
    let status_span = span_of(statuses[0].0);
    let statuses = match items(cx, &statuses, "ConfigurationRecordersStatus") {
        Ok(list) => list,
        Err((reason, span)) => return Attr::unknown(reason, span),
    };
    let mut problem: Option<(String, Span)> = None;
    for recorder in recorders {
        let name = json::text(recorder.get("name")).unwrap_or_default();
        let recording = statuses
            .iter()
            .find(|s| json::text(s.get("name")).as_deref() == Some(name.as_str()))
            .and_then(|s| json::boolean(s.get("recording")))
            .unwrap_or(false);
        let all = records_all_types(recorder);
        if recording && all {
            return on(
                format!("recorder `{name}` records all supported resource types"),
                status_span,
            );
        }
        problem.get_or_insert_with(|| {
            if recording {
                (
                    format!("recorder `{name}` does not record all supported resource types"),
                    first.clone(),
                )
            } else {
                (
                    format!("recorder `{name}` is not recording"),
                    status_span.clone(),
                )
            }
        });
    }
    let (detail, span) = problem.unwrap_or_else(|| ("no configuration recorder".into(), first));
    off(detail, span)
}

/// Whether a recorder's recording group records every supported resource type. Without a
/// recording group AWS Config records all supported types.
fn records_all_types(recorder: &Value) -> bool {
    let Some(group) = recorder.get("recordingGroup") else {
        return true;
    };
    json::boolean(group.get("allSupported")).unwrap_or(false)
        || json::text(
            group
                .get("recordingStrategy")
                .and_then(|s| s.get("useOnly")),
        )
        .as_deref()
            == Some("ALL_SUPPORTED_RESOURCE_TYPES")
}

fn guardduty(cx: &mut Context<'_>, region: &str) -> Attr<ServiceStatus> {
    let found = match pages(cx.calls, "guardduty", "ListDetectors", region, &[]) {
        Pages::Found(found) => found,
        Pages::None(call) => return off("no detector".into(), span_of(call)),
        Pages::Unknown(reason, span) => return Attr::unknown(reason, span),
    };
    let first = span_of(found[0].0);
    let ids = match items(cx, &found, "detectorIds") {
        Ok(list) => list,
        Err((reason, span)) => return Attr::unknown(reason, span),
    };
    if ids.is_empty() {
        return off("no detector".into(), first);
    }
    let mut unknown: Option<(Unknown, Span)> = None;
    let mut disabled: Option<(String, Span)> = None;
    for id in ids.iter().filter_map(|v| json::text(Some(v))) {
        let Some(call) = per_resource(
            cx.calls,
            "guardduty",
            "GetDetector",
            region,
            "DetectorId",
            &id,
        ) else {
            unknown.get_or_insert_with(|| {
                (
                    Unknown::new(format!(
                        "guardduty:GetDetector was not collected for detector {id} in {region}"
                    )),
                    first.clone(),
                )
            });
            continue;
        };
        let status = match (&call.error, &call.response) {
            (Some(error), _) => {
                unknown.get_or_insert_with(|| {
                    (
                        Unknown::new(format!(
                            "guardduty:GetDetector failed in {region} ({})",
                            error.code
                        )),
                        span_of(call),
                    )
                });
                continue;
            }
            (None, Some(response)) => json::text(response.get("status").or(response.get("Status"))),
            (None, None) => None,
        };
        match status {
            Some(s) if s.eq_ignore_ascii_case("ENABLED") => {
                return on(format!("detector {id} is ENABLED"), span_of(call));
            }
            Some(s) => {
                disabled.get_or_insert_with(|| (format!("detector {id} is {s}"), span_of(call)));
            }
            None => {
                cx.malformed(call, "no detector status");
                unknown.get_or_insert_with(|| {
                    (
                        Unknown::new(format!(
                            "guardduty:GetDetector in {region} has no status for detector {id}"
                        )),
                        span_of(call),
                    )
                });
            }
        }
    }
    match (unknown, disabled) {
        (Some((reason, span)), _) => Attr::unknown(reason, span),
        (None, Some((detail, span))) => off(detail, span),
        (None, None) => off("no detector".into(), first),
    }
}

fn security_hub(cx: &mut Context<'_>, region: &str) -> Attr<ServiceStatus> {
    match pages(
        cx.calls,
        "securityhub",
        "DescribeHub",
        region,
        &["InvalidAccessException"],
    ) {
        Pages::Found(found) => {
            let (call, response) = found[0];
            let hub = json::text(response.get("HubArn")).unwrap_or_else(|| "the hub".into());
            on(format!("{hub} is subscribed"), span_of(call))
        }
        Pages::None(call) => off(
            "the account is not subscribed to Security Hub".into(),
            span_of(call),
        ),
        Pages::Unknown(reason, span) => Attr::unknown(reason, span),
    }
}

fn access_analyzer(cx: &mut Context<'_>, region: &str) -> Attr<ServiceStatus> {
    let found = match pages(cx.calls, "accessanalyzer", "ListAnalyzers", region, &[]) {
        Pages::Found(found) => found,
        Pages::None(call) => return off("no analyzer".into(), span_of(call)),
        Pages::Unknown(reason, span) => return Attr::unknown(reason, span),
    };
    let first = span_of(found[0].0);
    let analyzers = match items(cx, &found, "analyzers") {
        Ok(list) => list,
        Err((reason, span)) => return Attr::unknown(reason, span),
    };
    let mut inactive = None;
    for analyzer in analyzers {
        let name = json::text(analyzer.get("name")).unwrap_or_default();
        let status = json::text(analyzer.get("status")).unwrap_or_default();
        if status == "ACTIVE" {
            return on(format!("analyzer `{name}` is ACTIVE"), first);
        }
        inactive.get_or_insert(format!("analyzer `{name}` is {status}"));
    }
    off(inactive.unwrap_or_else(|| "no analyzer".into()), first)
}

#[cfg(test)]
mod tests {
    use deadbolt_model::aws::regional::{RegionalService, ServiceKind};
    use serde_json::json;

    use crate::format::Snapshot;

    fn snapshot(calls: serde_json::Value) -> Snapshot {
        serde_json::from_value(json!({
            "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
            "collector": "test",
            "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
            "regions": ["eu-west-1", "us-east-1"],
            "calls": calls
        }))
        .expect("a snapshot")
    }

    fn statuses(s: &Snapshot, kind: ServiceKind) -> Vec<(String, Option<bool>, String)> {
        let out = crate::normalise(s, "test.json");
        out.model
            .all::<RegionalService>()
            .filter(|r| r.kind == kind)
            .map(|r| {
                (
                    r.region.clone(),
                    r.status.known().map(|s| s.enabled),
                    r.status
                        .known()
                        .map(|s| s.detail.clone())
                        .or_else(|| r.status.unknown_reason().map(|u| u.to_string()))
                        .unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn an_access_denied_region_is_not_evaluated() {
        let s = snapshot(json!([
            {"service": "guardduty", "operation": "ListDetectors", "region": "eu-west-1",
             "response": {"detectorIds": ["d1"]}},
            {"service": "guardduty", "operation": "GetDetector", "region": "eu-west-1",
             "params": {"DetectorId": "d1"}, "response": {"status": "ENABLED"}},
            {"service": "guardduty", "operation": "ListDetectors", "region": "us-east-1",
             "error": {"code": "AccessDeniedException", "message": "no", "http_status": 403}}
        ]));
        let got = statuses(&s, ServiceKind::GuardDuty);
        assert_eq!(got[0].1, Some(true));
        assert_eq!(got[1].1, None);
        assert!(
            got[1]
                .2
                .contains("guardduty:ListDetectors failed in us-east-1")
        );
    }

    #[test]
    fn a_suspended_detector_or_none_is_off_and_uncollected_is_unknown() {
        let s = snapshot(json!([
            {"service": "guardduty", "operation": "ListDetectors", "region": "eu-west-1",
             "response": {"detectorIds": ["d1"]}},
            {"service": "guardduty", "operation": "GetDetector", "region": "eu-west-1",
             "params": {"DetectorId": "d1"}, "response": {"status": "SUSPENDED"}},
            {"service": "guardduty", "operation": "ListDetectors", "region": "us-east-1",
             "response": {"detectorIds": []}}
        ]));
        let got = statuses(&s, ServiceKind::GuardDuty);
        assert_eq!(
            got[0],
            (
                "eu-west-1".into(),
                Some(false),
                "detector d1 is SUSPENDED".into()
            )
        );
        assert_eq!(
            got[1],
            ("us-east-1".into(), Some(false), "no detector".into())
        );
        let hub = statuses(&s, ServiceKind::SecurityHub);
        assert!(
            hub.iter()
                .all(|(_, on, why)| on.is_none() && why.contains("not collected"))
        );
    }

    #[test]
    fn security_hub_not_subscribed_is_off() {
        let s = snapshot(json!([
            {"service": "securityhub", "operation": "DescribeHub", "region": "eu-west-1",
             "response": {"HubArn": "arn:aws:securityhub:eu-west-1:123456789012:hub/default"}},
            {"service": "securityhub", "operation": "DescribeHub", "region": "us-east-1",
             "error": {"code": "InvalidAccessException", "message": "not subscribed", "http_status": 401}}
        ]));
        let got = statuses(&s, ServiceKind::SecurityHub);
        assert_eq!(got[0].1, Some(true));
        assert_eq!(got[1].1, Some(false));
    }

    #[test]
    fn config_needs_a_recording_recorder_of_all_types() {
        let s = snapshot(json!([
            {"service": "config", "operation": "DescribeConfigurationRecorders", "region": "eu-west-1",
             "response": {"ConfigurationRecorders": [{"name": "default", "recordingGroup": {"allSupported": true}}]}},
            {"service": "config", "operation": "DescribeConfigurationRecorderStatus", "region": "eu-west-1",
             "response": {"ConfigurationRecordersStatus": [{"name": "default", "recording": true}]}},
            {"service": "config", "operation": "DescribeConfigurationRecorders", "region": "us-east-1",
             "response": {"ConfigurationRecorders": [{"name": "default", "recordingGroup": {"allSupported": false}}]}},
            {"service": "config", "operation": "DescribeConfigurationRecorderStatus", "region": "us-east-1",
             "response": {"ConfigurationRecordersStatus": [{"name": "default", "recording": true}]}}
        ]));
        let got = statuses(&s, ServiceKind::Config);
        assert_eq!(got[0].1, Some(true));
        assert_eq!(
            got[1],
            (
                "us-east-1".into(),
                Some(false),
                "recorder `default` does not record all supported resource types".into()
            )
        );
    }

    #[test]
    fn an_analyzer_must_be_active() {
        let s = snapshot(json!([
            {"service": "accessanalyzer", "operation": "ListAnalyzers", "region": "eu-west-1",
             "response": {"analyzers": [{"name": "a", "status": "ACTIVE"}]}},
            {"service": "accessanalyzer", "operation": "ListAnalyzers", "region": "us-east-1",
             "response": {"analyzers": [{"name": "b", "status": "FAILED"}]}}
        ]));
        let got = statuses(&s, ServiceKind::AccessAnalyzer);
        assert_eq!(got[0].1, Some(true));
        assert_eq!(got[1].2, "analyzer `b` is FAILED");
    }
}
