//! Reports of `deadbolt logs`: alerts for a terminal, JSON, SARIF 2.1.0 and OCSF Detection
//! Finding records.

use std::collections::BTreeMap;
use std::io::{self, Write};

use deadbolt_logs::{Alert, Detection, Severity, Stats};
use deadbolt_model::Diagnostic;
use serde::Serialize;
use serde_json::{Value, json};

/// Everything one `deadbolt logs` run produced.
#[derive(Serialize)]
pub struct LogReport<'a> {
    /// The alerts, oldest first.
    pub alerts: &'a [Alert],
    /// Record counts.
    pub stats: Stats,
    /// Files read.
    pub files: u64,
    /// Digest files recognised and skipped.
    pub digest_files: u64,
    /// Bytes read after decompression.
    pub bytes: u64,
    /// Problems with the input; `partial` is true when any is an error.
    pub diagnostics: &'a [Diagnostic],
    /// The detections that ran (for SARIF rule metadata and the detection count).
    #[serde(skip)]
    pub detections: &'a [Detection],
}

impl LogReport<'_> {
    fn partial(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.level == deadbolt_model::Level::Error)
    }
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Informational => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

/// The terminal report: alerts grouped by detection (most severe first), each with who, where,
/// when, the evidence and what to do next; then input problems and the totals.
pub fn human(report: &LogReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut by_detection: BTreeMap<(std::cmp::Reverse<u8>, &str), Vec<&Alert>> = BTreeMap::new();
    for a in report.alerts {
        by_detection
            .entry((
                std::cmp::Reverse(severity_rank(a.severity)),
                a.detection.as_str(),
            ))
            .or_default()
            .push(a);
    }
    for ((_, id), alerts) in &by_detection {
        let first = alerts[0];
        let attack = if first.techniques.is_empty() {
            String::new()
        } else {
            format!("  ATT&CK {}", first.techniques.join(", "))
        };
        let cis = first
            .cis
            .as_deref()
            .map(|c| format!("  CIS AWS v3.0.0 {c}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{} [{}] {} ({} alert{}){attack}{cis}",
            id,
            first.severity.as_str(),
            first.title,
            alerts.len(),
            if alerts.len() == 1 { "" } else { "s" }
        )?;
        const SHOWN: usize = 10;
        for a in alerts.iter().take(SHOWN) {
            let who = a.principal.arn.as_deref().unwrap_or("unknown principal");
            let mfa = match a.principal.mfa {
                Some(true) => ", MFA",
                Some(false) => ", no MFA",
                None => "",
            };
            writeln!(
                out,
                "  {}  {} {}  {who} ({}{mfa})",
                a.time.as_deref().unwrap_or("?"),
                a.account.as_deref().unwrap_or("?"),
                a.region.as_deref().unwrap_or("?"),
                a.principal.kind.as_deref().unwrap_or("?"),
            )?;
            writeln!(
                out,
                "      {} from {} ({}); {} record{}; {}:{}",
                a.event_name.as_deref().unwrap_or("?"),
                a.source_ip.as_deref().unwrap_or("?"),
                a.user_agent
                    .as_deref()
                    .map(|u| truncate(u, 60))
                    .unwrap_or("?".into()),
                a.records,
                if a.records == 1 { "" } else { "s" },
                a.file,
                a.position.line
            )?;
            if let Some(why) = &a.explanation {
                writeln!(out, "      why: {why}")?;
            }
        }
        if alerts.len() > SHOWN {
            writeln!(out, "  ... and {} more", alerts.len() - SHOWN)?;
        }
        if let Some(next) = &first.next {
            writeln!(out, "  next: {next}")?;
        }
        if let Some(duty) = &first.duty {
            writeln!(
                out,
                "  duty: {duty} ({})",
                first.layer.as_deref().unwrap_or("?")
            )?;
        }
        if first.author.as_deref().is_some_and(|a| a != "deadbolt") {
            writeln!(
                out,
                "  rule by {} ({})",
                first.author.as_deref().unwrap_or_default(),
                first.rule_file
            )?;
        }
        writeln!(out)?;
    }
    if !report.diagnostics.is_empty() {
        writeln!(out, "Input problems")?;
        for d in report.diagnostics {
            writeln!(out, "  {d}")?;
        }
        writeln!(out)?;
    }
    let s = &report.stats;
    writeln!(
        out,
        "{} file(s), {} bytes: {} records, {} events analysed by {} detections; {} Insights records, {} outside the time window, {} not events{}",
        report.files,
        report.bytes,
        s.records,
        s.events,
        report.detections.len(),
        s.insights,
        s.outside_window,
        s.not_events,
        if report.digest_files > 0 {
            format!(", {} digest files skipped", report.digest_files)
        } else {
            String::new()
        }
    )?;
    writeln!(
        out,
        "{} alert(s){}",
        report.alerts.len(),
        if report.partial() {
            "; the review is PARTIAL: see the input problems above"
        } else {
            ""
        }
    )
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// The JSON report (`schema_version: 1`): `alerts`, `summary` and `diagnostics`.
pub fn json(report: &LogReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    // Written straight from the alerts, not through a `Value` tree, which would hold every alert
    // twice at the end of a long review.
    #[derive(Serialize)]
    struct Summary {
        files: u64,
        digest_files: u64,
        bytes: u64,
        detections: usize,
        alerts: usize,
        records: Stats,
    }
    #[derive(Serialize)]
    struct Document<'a> {
        schema_version: u32,
        partial: bool,
        summary: Summary,
        alerts: &'a [Alert],
        diagnostics: &'a [Diagnostic],
    }
    let doc = Document {
        schema_version: 1,
        partial: report.partial(),
        summary: Summary {
            files: report.files,
            digest_files: report.digest_files,
            bytes: report.bytes,
            detections: report.detections.len(),
            alerts: report.alerts.len(),
            records: report.stats,
        },
        alerts: report.alerts,
        diagnostics: report.diagnostics,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Informational => "note",
    }
}

/// SARIF 2.1.0 (OASIS): each detection is a rule; each alert a result at the log file and line of
/// the record that raised it, with the event IDs, principal and ATT&CK techniques as properties.
pub fn sarif(report: &LogReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules = Vec::new();
    for d in report.detections {
        if rule_index.contains_key(d.meta.id.as_str()) {
            continue;
        }
        rule_index.insert(&d.meta.id, rules.len());
        rules.push(json!({
            "id": d.meta.id,
            "name": d.rule.title,
            "shortDescription": { "text": d.rule.title },
            "fullDescription": { "text": d.rule.description.clone().unwrap_or_else(|| d.rule.title.clone()) },
            "help": { "text": d.meta.next.clone().unwrap_or_default() },
            "defaultConfiguration": { "level": sarif_level(d.rule.level) },
            "properties": {
                "tags": d.rule.tags,
                "duty": d.meta.duty,
                "layer": d.meta.layer,
                "cis": d.meta.cis,
                "author": d.rule.author,
            },
        }));
    }
    // Alerts that come from outside the rule files (the per-identity baseline) get a rule too.
    for a in report.alerts {
        if rule_index.contains_key(a.detection.as_str()) {
            continue;
        }
        rule_index.insert(&a.detection, rules.len());
        rules.push(json!({
            "id": a.detection,
            "name": a.title,
            "shortDescription": { "text": a.title },
            "help": { "text": a.next.clone().unwrap_or_default() },
            "defaultConfiguration": { "level": sarif_level(a.severity) },
            "properties": { "duty": a.duty, "layer": a.layer },
        }));
    }
    let results: Vec<Value> = report
        .alerts
        .iter()
        .map(|a| {
            let mut result = json!({
                "ruleId": a.detection,
                "level": sarif_level(a.severity),
                "message": { "text": alert_message(a) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": a.file.replace('\\', "/") },
                        "region": { "startLine": a.position.line.max(1) }
                    }
                }],
                "properties": {
                    "eventIds": a.event_ids,
                    "principal": a.principal.arn,
                    "account": a.account,
                    "region": a.region,
                    "techniques": a.techniques,
                    "time": a.time,
                },
            });
            if let Some(&i) = rule_index.get(a.detection.as_str()) {
                result["ruleIndex"] = json!(i);
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "deadbolt-logs",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn alert_message(a: &Alert) -> String {
    let mut text = format!(
        "{}: {} by {} from {}",
        a.title,
        a.event_name.as_deref().unwrap_or("?"),
        a.principal.arn.as_deref().unwrap_or("unknown principal"),
        a.source_ip.as_deref().unwrap_or("?")
    );
    if let Some(why) = &a.explanation {
        text.push_str(&format!(" ({why})"));
    }
    text
}

/// OCSF schema version the Detection Finding records follow.
pub const OCSF_VERSION: &str = "1.4.0";

fn ocsf_severity(s: Severity) -> u8 {
    // OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical.
    severity_rank(s) + 1
}

fn epoch_ms(time: Option<&str>) -> Option<i64> {
    time.and_then(deadbolt_logs::event::parse_time)
}

/// OCSF Detection Finding records (class_uid 2004, category Findings, activity Create), one JSON
/// object per line, for a SIEM or a security data lake. ATT&CK techniques go to
/// `finding_info.attacks`, the triggering events to `finding_info.related_events`, the principal
/// to `actor.user`, the API call to `evidences[].api`.
pub fn ocsf(report: &LogReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    for a in report.alerts {
        let first = epoch_ms(a.time.as_deref());
        let last = epoch_ms(a.last_time.as_deref()).or(first);
        let record = json!({
            "class_uid": 2004,
            "class_name": "Detection Finding",
            "category_uid": 2,
            "category_name": "Findings",
            "activity_id": 1,
            "activity_name": "Create",
            "type_uid": 200401,
            "severity_id": ocsf_severity(a.severity),
            "severity": capitalised(a.severity.as_str()),
            "status_id": 1,
            "status": "New",
            "is_alert": true,
            "time": last,
            "message": alert_message(a),
            "metadata": {
                "version": OCSF_VERSION,
                "product": { "name": "deadbolt", "vendor_name": "deadbolt", "version": env!("CARGO_PKG_VERSION") },
            },
            "finding_info": {
                "uid": format!("{}:{}", a.detection, a.event_ids.first().map(String::as_str).unwrap_or_default()),
                "title": a.title,
                "desc": a.explanation,
                "analytic": { "uid": a.detection, "name": a.title, "type_id": 1, "type": "Rule" },
                "attacks": a.techniques.iter().map(|t| json!({ "technique": { "uid": t }, "version": "v15" })).collect::<Vec<_>>(),
                "first_seen_time": first,
                "last_seen_time": last,
                "related_events": a.event_ids.iter().map(|id| json!({ "uid": id })).collect::<Vec<_>>(),
            },
            "cloud": { "provider": "AWS", "account": { "uid": a.account }, "region": a.region },
            "actor": {
                "user": {
                    "uid": a.principal.arn,
                    "type": a.principal.kind,
                    "credential_uid": a.principal.access_key_id,
                },
            },
            "src_endpoint": { "ip": a.source_ip },
            "evidences": [{
                "api": { "operation": a.event_name, "service": { "name": a.event_source } },
                "http_request": { "user_agent": a.user_agent },
            }],
            "remediation": { "desc": a.next },
            "unmapped": {
                "duty": a.duty,
                "layer": a.layer,
                "cis": a.cis,
                "author": a.author,
                "log_file": a.file,
                "log_line": a.position.line,
            },
        });
        serde_json::to_writer(&mut *out, &deadbolt_logs::ocsf::strip_nulls(record))?;
        writeln!(out)?;
    }
    Ok(())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
