//! The account's root user and its IAM users' credentials: IAM `GetAccountSummary`,
//! `ListVirtualMFADevices` and `GetCredentialReport`.
//!
//! The credential report is a base64 CSV (AWS IAM User Guide, "Getting credential reports for your
//! AWS account"): one row per user, the root user's named `<root_account>`; dates are ISO 8601;
//! `N/A` means "does not apply" (no password, no key, never used), `no_information` that IAM has no
//! record of use, `not_supported` a column that does not apply to the root user. Ages are counted
//! against the snapshot's `collected_at`, never the clock of the scan.

use std::collections::HashMap;

use base64::Engine as _;
use deadbolt_model::aws::account::{AccessKey, CredentialUser, Idle, RootUser};
use deadbolt_model::{Attr, Provider, ResourceMeta, Span, Unknown};
use jiff::Timestamp;
use serde_json::Value;

use super::pages::result_path;
use super::{Context, Lookup, live_span, lookup, span_of};
use crate::json;

/// The user name the credential report gives the root user.
const ROOT_ROW: &str = "<root_account>";

/// Seconds in a day: ages are whole days, rounded down.
const DAY: i64 = 86_400;

pub(crate) fn normalise(cx: &mut Context<'_>) {
    let account = &cx.snapshot.account;
    if account.id.is_empty() {
        return;
    }
    let partition = if account.partition.is_empty() {
        "aws"
    } else {
        account.partition.as_str()
    };
    let root_arn = format!("arn:{partition}:iam::{}:root", account.id);
    let home = cx
        .calls
        .all("iam", "GetAccountSummary")
        .first()
        .map(|c| c.region.clone())
        .or_else(|| cx.snapshot.regions.first().cloned())
        .unwrap_or_else(|| "us-east-1".to_string());
    let fallback = live_span(format!("aws://{home}/iam"));
    let collected = collected_at(&cx.snapshot.collected_at);

    let summary = lookup(cx.calls, "iam", "GetAccountSummary", &[], &[], &fallback);
    let mfa_enabled = summary_flag(cx, &summary, "AccountMFAEnabled");
    let summary_keys = summary_flag(cx, &summary, "AccountAccessKeysPresent");
    let mfa_virtual = root_virtual_mfa(cx, partition, &root_arn, &fallback);

    let report = lookup(cx.calls, "iam", "GetCredentialReport", &[], &[], &fallback);
    let (credential_report, rows) = read_report(cx, &report);
    let report_span = match &report {
        Lookup::Found(call, _) | Lookup::None(call) => span_of(call),
        Lookup::Unknown(_, span) => span.clone(),
    };

    let mut users = Vec::new();
    let mut root_row_keys: Option<bool> = None;
    for row in &rows {
        let name = row.get("user").map(String::as_str).unwrap_or_default();
        if name == ROOT_ROW {
            root_row_keys = Some((1..=2).any(|slot| key_exists(row, slot)));
            continue;
        }
        if name.is_empty() {
            continue;
        }
        users.push(user_of(
            row,
            partition,
            &account.id,
            &collected,
            &report_span,
        ));
    }

    let access_keys_present = combine_root_keys(summary_keys, root_row_keys, &report_span);
    cx.model.push(RootUser {
        meta: meta(root_arn, "AWS::IAM::RootUser", fallback),
        mfa_enabled,
        mfa_virtual,
        access_keys_present,
        credential_report,
    });
    for user in users {
        cx.model.push(user);
    }
}

fn meta(address: String, kind: &str, span: Span) -> ResourceMeta {
    ResourceMeta {
        address,
        kind: kind.to_string(),
        provider: Provider::Aws,
        span,
        suppressions: Vec::new(),
        locations: Vec::new(),
    }
}

/// The snapshot's collection time, or why ages cannot be counted.
fn collected_at(text: &str) -> Result<Timestamp, Unknown> {
    text.parse::<Timestamp>().map_err(|_| {
        Unknown::new(format!(
            "the snapshot's collected_at `{text}` is not an RFC 3339 time, so credential ages cannot be counted"
        ))
    })
}

/// One `SummaryMap` entry as a flag (`1` is true). A response without the entry is malformed:
/// IAM always sends both flags this module reads.
fn summary_flag(cx: &mut Context<'_>, summary: &Lookup<'_>, key: &str) -> Attr<bool> {
    match summary {
        Lookup::Found(call, response) => match summary_value(response, key) {
            Some(n) => Attr::set(n > 0, span_of(call)),
            None => {
                cx.malformed(call, &format!("no SummaryMap entry {key}"));
                Attr::unknown(
                    Unknown::new(format!("iam:GetAccountSummary has no {key}")),
                    span_of(call),
                )
            }
        },
        Lookup::None(call) => Attr::unknown(
            Unknown::new("iam:GetAccountSummary answered with no summary"),
            span_of(call),
        ),
        Lookup::Unknown(reason, span) => Attr::unknown(reason.clone(), span.clone()),
    }
}

/// A `SummaryMap` value: the XML shape (`entry` items of `key` and `value`) or a JSON map.
fn summary_value(response: &Value, key: &str) -> Option<i64> {
    let map = result_path(response, "GetAccountSummaryResult", &["SummaryMap"])?;
    for entry in json::list(map.get("entry")) {
        if json::text(entry.get("key")).as_deref() == Some(key) {
            return json::integer(entry.get("value"));
        }
    }
    json::integer(map.get(key))
}

/// Whether `ListVirtualMFADevices` (every page) lists the root user's device.
fn root_virtual_mfa(
    cx: &mut Context<'_>,
    partition: &str,
    root_arn: &str,
    fallback: &Span,
) -> Attr<bool> {
    let root_serial = format!(
        "arn:{partition}:iam::{}:mfa/root-account-mfa-device",
        cx.snapshot.account.id
    );
    let calls = cx.calls.all("iam", "ListVirtualMFADevices");
    let Some(first) = calls.first() else {
        return Attr::unknown(
            Unknown::new("iam:ListVirtualMFADevices was not collected"),
            fallback.clone(),
        );
    };
    for call in calls {
        if let Some(error) = &call.error {
            return Attr::unknown(
                Unknown::new(format!("iam:ListVirtualMFADevices failed ({})", error.code)),
                span_of(call),
            );
        }
        let Some(response) = &call.response else {
            return Attr::unknown(
                Unknown::new("iam:ListVirtualMFADevices returned nothing"),
                span_of(call),
            );
        };
        let Some(devices) = result_path(
            response,
            "ListVirtualMFADevicesResult",
            &["VirtualMFADevices"],
        ) else {
            cx.malformed(call, "no VirtualMFADevices");
            return Attr::unknown(
                Unknown::new("iam:ListVirtualMFADevices has no VirtualMFADevices"),
                span_of(call),
            );
        };
        let is_root = |device: &&Value| {
            json::text(device.get("SerialNumber")).as_deref() == Some(root_serial.as_str())
                || json::text(device.get("User").and_then(|u| u.get("Arn"))).as_deref()
                    == Some(root_arn)
        };
        if json::list(Some(devices)).iter().any(is_root) {
            return Attr::set(true, span_of(call));
        }
    }
    Attr::set(false, span_of(first))
}

/// The report's generation time (or why it is unknown) and its rows, each a map from column
/// name to cell text.
fn read_report(
    cx: &mut Context<'_>,
    report: &Lookup<'_>,
) -> (Attr<String>, Vec<HashMap<String, String>>) {
    let (call, response) = match report {
        Lookup::Found(call, response) => (*call, *response),
        Lookup::None(call) => {
            return (
                Attr::unknown(
                    Unknown::new("iam:GetCredentialReport answered with no report"),
                    span_of(call),
                ),
                Vec::new(),
            );
        }
        Lookup::Unknown(reason, span) => {
            return (Attr::unknown(reason.clone(), span.clone()), Vec::new());
        }
    };
    let content = result_path(response, "GetCredentialReportResult", &["Content"])
        .and_then(|c| json::text(Some(c)));
    let parsed = content
        .ok_or_else(|| "no Content".to_string())
        .and_then(|c| decode_report(&c));
    match parsed {
        Ok(rows) => {
            let generated = result_path(response, "GetCredentialReportResult", &["GeneratedTime"])
                .and_then(|g| json::text(Some(g)))
                .unwrap_or_default();
            (Attr::set(generated, span_of(call)), rows)
        }
        Err(why) => {
            cx.malformed(
                call,
                &format!("the credential report cannot be read: {why}"),
            );
            (
                Attr::unknown(
                    Unknown::new(format!(
                        "iam:GetCredentialReport's report cannot be read ({why})"
                    )),
                    span_of(call),
                ),
                Vec::new(),
            )
        }
    }
}

/// The rows of a credential report's `Content` (base64 of a CSV with a header row).
fn decode_report(content: &str) -> Result<Vec<HashMap<String, String>>, String> {
    // XML bodies may wrap long base64 text across lines.
    let compact: String = content.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| format!("not base64: {e}"))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| format!("not CSV: {e}"))?
        .clone();
    if !headers.iter().any(|h| h == "user") {
        return Err("no `user` column".to_string());
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("not CSV: {e}"))?;
        rows.push(
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_string(), v.trim().to_string()))
                .collect(),
        );
    }
    Ok(rows)
}

/// One credential report cell.
#[derive(Debug, PartialEq)]
enum Cell {
    /// An ISO 8601 time.
    Time(Timestamp),
    /// `true` or `false`.
    Flag(bool),
    /// `N/A`, `no_information`, `not_supported`, empty, or the column is missing: nothing to read.
    Absent,
    /// Anything else: the text.
    Bad(String),
}

fn cell(row: &HashMap<String, String>, column: &str) -> Cell {
    let Some(text) = row.get(column) else {
        return Cell::Absent;
    };
    match text.as_str() {
        "" | "N/A" | "no_information" | "not_supported" => Cell::Absent,
        t if t.eq_ignore_ascii_case("true") => Cell::Flag(true),
        t if t.eq_ignore_ascii_case("false") => Cell::Flag(false),
        t => match t.parse::<Timestamp>() {
            Ok(time) => Cell::Time(time),
            Err(_) => Cell::Bad(t.to_string()),
        },
    }
}

/// Whole days from `from` to `to`, rounded down; a `from` after `to` (clock skew) is 0 days.
fn days_between(from: Timestamp, to: Timestamp) -> i64 {
    ((to.as_second() - from.as_second()) / DAY).max(0)
}

fn flag(row: &HashMap<String, String>, column: &str, span: &Span) -> Attr<bool> {
    match cell(row, column) {
        Cell::Flag(b) => Attr::set(b, span.clone()),
        other => Attr::unknown(
            Unknown::new(format!(
                "the credential report's {column} is {}",
                describe(&other)
            )),
            span.clone(),
        ),
    }
}

fn describe(cell: &Cell) -> String {
    match cell {
        Cell::Time(t) => format!("the time {t}"),
        Cell::Flag(b) => format!("`{b}`"),
        Cell::Absent => "empty".to_string(),
        Cell::Bad(text) => format!("`{text}`"),
    }
}

/// Whether slot `slot` holds a key: it is active, or it has a rotation date (an inactive key).
fn key_exists(row: &HashMap<String, String>, slot: u8) -> bool {
    cell(row, &format!("access_key_{slot}_active")) == Cell::Flag(true)
        || matches!(
            cell(row, &format!("access_key_{slot}_last_rotated")),
            Cell::Time(_)
        )
}

/// How long a credential has gone unused: since `last_used`, or since the first time of `created`
/// when the report records no use.
fn idle(
    row: &HashMap<String, String>,
    last_used: &str,
    created: &[&str],
    collected: &Result<Timestamp, Unknown>,
    span: &Span,
) -> Attr<Idle> {
    let now = match collected {
        Ok(now) => *now,
        Err(reason) => return Attr::unknown(reason.clone(), span.clone()),
    };
    match cell(row, last_used) {
        Cell::Time(t) => Attr::set(
            Idle {
                days: days_between(t, now),
                never_used: false,
            },
            span.clone(),
        ),
        Cell::Absent => {
            for column in created {
                if let Cell::Time(t) = cell(row, column) {
                    return Attr::set(
                        Idle {
                            days: days_between(t, now),
                            never_used: true,
                        },
                        span.clone(),
                    );
                }
            }
            Attr::unknown(
                Unknown::new(format!(
                    "the credential report shows no {last_used} and no {}",
                    created.join(" or ")
                )),
                span.clone(),
            )
        }
        other => Attr::unknown(
            Unknown::new(format!(
                "the credential report's {last_used} is {}",
                describe(&other)
            )),
            span.clone(),
        ),
    }
}

fn user_of(
    row: &HashMap<String, String>,
    partition: &str,
    account: &str,
    collected: &Result<Timestamp, Unknown>,
    span: &Span,
) -> CredentialUser {
    let name = row.get("user").cloned().unwrap_or_default();
    let address = row
        .get("arn")
        .filter(|a| a.starts_with("arn:"))
        .cloned()
        .unwrap_or_else(|| format!("arn:{partition}:iam::{account}:user/{name}"));
    let console_access = flag(row, "password_enabled", span);
    let password_idle = match console_access.known() {
        Some(false) => Attr::set(None, span.clone()),
        Some(true) => idle(
            row,
            "password_last_used",
            &["password_last_changed", "user_creation_time"],
            collected,
            span,
        )
        .map(Some),
        None => console_access.clone().map(|_| None),
    };
    let mut access_keys = Vec::new();
    for slot in 1..=2u8 {
        if !key_exists(row, slot) {
            continue;
        }
        let rotated = format!("access_key_{slot}_last_rotated");
        let age_days = match (collected, cell(row, &rotated)) {
            (Err(reason), _) => Attr::unknown(reason.clone(), span.clone()),
            (Ok(now), Cell::Time(t)) => Attr::set(days_between(t, *now), span.clone()),
            (Ok(_), other) => Attr::unknown(
                Unknown::new(format!(
                    "the credential report's {rotated} is {}",
                    describe(&other)
                )),
                span.clone(),
            ),
        };
        access_keys.push(AccessKey {
            slot,
            active: flag(row, &format!("access_key_{slot}_active"), span),
            age_days,
            idle: idle(
                row,
                &format!("access_key_{slot}_last_used_date"),
                &[rotated.as_str()],
                collected,
                span,
            ),
        });
    }
    CredentialUser {
        meta: meta(address, "AWS::IAM::User", span.clone()),
        name,
        mfa_active: flag(row, "mfa_active", span),
        console_access,
        password_idle,
        access_keys,
    }
}

/// The root user has an access key when either source shows one. The account summary counts
/// every root key, so its "none" decides when the report is missing; the report's "none" decides
/// only when the summary is unknown.
fn combine_root_keys(summary: Attr<bool>, report: Option<bool>, report_span: &Span) -> Attr<bool> {
    match (summary.known().copied(), report) {
        (Some(true), _) => summary,
        (_, Some(true)) => Attr::set(true, report_span.clone()),
        (Some(false), _) => summary,
        (None, Some(false)) => Attr::set(false, report_span.clone()),
        (None, None) => summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    fn encode(rows: &[&str]) -> String {
        let csv = std::iter::once(HEADER)
            .chain(rows.iter().copied())
            .collect::<Vec<_>>()
            .join("\n");
        base64::engine::general_purpose::STANDARD.encode(csv)
    }

    fn now() -> Result<Timestamp, Unknown> {
        collected_at("2026-11-29T20:00:00Z")
    }

    fn span() -> Span {
        live_span("aws://us-east-1/iam/GetCredentialReport".into())
    }

    fn user(row: &str) -> CredentialUser {
        let rows = decode_report(&encode(&[row])).expect("the test report decodes");
        user_of(&rows[0], "aws", "123456789012", &now(), &span())
    }

    #[test]
    fn the_root_row_and_user_rows_are_read() {
        let rows = decode_report(&encode(&[
            "<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-01T00:00:00+00:00,not_supported,not_supported,true,true,2021-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
            "alice,arn:aws:iam::123456789012:user/alice,2020-01-01T00:00:00+00:00,true,no_information,2026-01-01T00:00:00+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
        ]))
        .expect("decodes");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["user"], ROOT_ROW);
        assert!(key_exists(&rows[0], 1));
        assert!(!key_exists(&rows[0], 2));
        let alice = user_of(&rows[1], "aws", "123456789012", &now(), &span());
        assert_eq!(alice.meta.address, "arn:aws:iam::123456789012:user/alice");
        assert_eq!(alice.console_access.known(), Some(&true));
        assert_eq!(alice.mfa_active.known(), Some(&false));
        assert!(alice.access_keys.is_empty());
        // no_information: never used, so counted from the last password change.
        let idle = alice
            .password_idle
            .known()
            .cloned()
            .flatten()
            .expect("known");
        assert!(idle.never_used);
        assert_eq!(idle.days, 332);
    }

    #[test]
    fn not_applicable_cells_are_absent_and_garbage_is_unknown() {
        let bob = user(
            "bob,arn:aws:iam::123456789012:user/bob,2020-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,yesterday,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
        );
        assert_eq!(bob.password_idle.known(), Some(&None));
        assert_eq!(bob.access_keys.len(), 1);
        let key = &bob.access_keys[0];
        assert_eq!(key.active.known(), Some(&true));
        assert!(
            key.age_days
                .unknown_reason()
                .is_some_and(|r| r.0.contains("`yesterday`"))
        );
        assert!(decode_report("%%%").is_err());
        assert!(
            decode_report(&base64::engine::general_purpose::STANDARD.encode("a,b\n1,2")).is_err()
        );
    }

    #[test]
    fn ages_are_whole_days_before_collection() {
        let t = |s: &str| s.parse::<Timestamp>().expect("a time");
        let now = t("2026-11-29T20:00:00Z");
        assert_eq!(days_between(t("2026-08-31T20:00:01Z"), now), 89);
        assert_eq!(days_between(t("2026-08-31T20:00:00Z"), now), 90);
        assert_eq!(days_between(t("2026-08-30T20:00:00Z"), now), 91);
        assert_eq!(days_between(t("2026-10-16T20:00:00Z"), now), 44);
        assert_eq!(days_between(t("2026-10-15T20:00:00Z"), now), 45);
        assert_eq!(days_between(t("2026-12-01T00:00:00Z"), now), 0);
    }

    #[test]
    fn a_never_used_key_counts_from_its_rotation() {
        let carol = user(
            "carol,arn:aws:iam::123456789012:user/carol,2020-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2026-10-15T20:00:00+00:00,N/A,N/A,N/A,true,2026-08-30T20:00:00+00:00,2026-11-28T20:00:00+00:00,eu-west-1,s3,false,N/A,false,N/A",
        );
        assert_eq!(carol.access_keys.len(), 2);
        let first = &carol.access_keys[0];
        assert_eq!(first.age_days.known(), Some(&45));
        assert_eq!(
            first.idle.known(),
            Some(&Idle {
                days: 45,
                never_used: true
            })
        );
        let second = &carol.access_keys[1];
        assert_eq!(second.age_days.known(), Some(&91));
        assert_eq!(
            second.idle.known(),
            Some(&Idle {
                days: 1,
                never_used: false
            })
        );
    }

    #[test]
    fn a_bad_collection_time_makes_ages_unknown() {
        let rows = decode_report(&encode(&[
            "dan,arn:aws:iam::123456789012:user/dan,2020-01-01T00:00:00+00:00,true,2026-11-01T00:00:00+00:00,N/A,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
        ]))
        .expect("decodes");
        let dan = user_of(&rows[0], "aws", "1", &collected_at("yesterday"), &span());
        assert!(dan.password_idle.unknown_reason().is_some());
    }

    #[test]
    fn root_keys_combine_summary_and_report() {
        let s = span();
        let known = |b: bool| Attr::set(b, s.clone());
        let unknown = || Attr::unknown(Unknown::new("denied"), s.clone());
        assert_eq!(
            combine_root_keys(known(false), Some(true), &s).known(),
            Some(&true)
        );
        assert_eq!(
            combine_root_keys(known(true), Some(false), &s).known(),
            Some(&true)
        );
        assert_eq!(
            combine_root_keys(known(false), None, &s).known(),
            Some(&false)
        );
        assert_eq!(
            combine_root_keys(unknown(), Some(false), &s).known(),
            Some(&false)
        );
        assert!(combine_root_keys(unknown(), None, &s).known().is_none());
    }
}
