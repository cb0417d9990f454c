//! The JSON report. Field names are stable: additions are allowed, renames and removals are not.
//!
//! Shape (`schema_version` 1):
//! ```text
//! {
//!   "schema_version": 1,
//!   "tool": {"name": "deadbolt", "version": "0.1.0"},
//!   "summary": {"files", "bytes", "resources", "rules_run", "findings", "suppressed",
//!               "not_evaluated", "passed", "errors", "failing", "fail_on",
//!               "by_layer": {"<layer id>": {"<severity>": count}}},
//!   "findings": [Finding],          // sorted by file, line, rule
//!   "suppressed": [Finding + "suppression": {"rule_id", "reason", "file", "line"}],
//!   "not_evaluated": [{"rule_id", "address", "file", "line", "reason"}],
//!   "unused_suppressions": [{"address", "rule_id", "reason", "file", "line", "why"}],
//!   "diagnostics": [{"level", "file", "line", "column", "message"}],
//!   "remote_modules": [{"address", "source"}]
//! }
//! Finding = {"rule_id", "rule_name", "title", "severity", "layer", "service_models",
//!            "resource": {"address", "type"},
//!            "location": {"file", "start_line", "start_column", "end_line", "end_column"},
//!            "message", "fix", "references": {"cis_aws_v3", "nist_csf_2", "nist_800_53"},
//!            "equivalents": {"checkov", "trivy"}}
//! ```
//! Lines and columns are 1-based.

use std::collections::BTreeMap;

use deadbolt_rules::Finding;
use serde_json::{Value, json};

use crate::ScanReport;

/// Renders the report as pretty-printed JSON.
pub fn render(report: &ScanReport<'_>) -> String {
    let eval = report.evaluation;
    let mut by_layer: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for f in &eval.findings {
        *by_layer.entry(f.rule.layer.id()).or_default().entry(f.rule.severity.as_str()).or_default() += 1;
    }
    let doc = json!({
        "schema_version": 1,
        "tool": {"name": "deadbolt", "version": env!("CARGO_PKG_VERSION")},
        "summary": {
            "files": report.files,
            "bytes": report.bytes,
            "resources": report.resources,
            "rules_run": eval.rules_run,
            "findings": eval.findings.len(),
            "suppressed": eval.suppressed.len(),
            "not_evaluated": eval.not_evaluated.len(),
            "passed": eval.passed,
            "errors": report.errors().count(),
            "failing": report.failing(),
            "fail_on": report.fail_on.as_str(),
            "by_layer": by_layer,
        },
        "findings": eval.findings.iter().map(finding).collect::<Vec<_>>(),
        "suppressed": eval.suppressed.iter().map(|f| {
            let mut v = finding(f);
            if let (Value::Object(map), Some(s)) = (&mut v, &f.suppressed_by) {
                map.insert("suppression".into(), json!({
                    "rule_id": s.rule_id, "reason": s.reason, "file": &*s.span.file, "line": s.span.start.line,
                }));
            }
            v
        }).collect::<Vec<_>>(),
        "not_evaluated": eval.not_evaluated.iter().map(|n| json!({
            "rule_id": n.rule.id, "address": n.address, "file": &*n.span.file, "line": n.span.start.line,
            "reason": n.reason.0,
        })).collect::<Vec<_>>(),
        "unused_suppressions": eval.unused_suppressions.iter().map(|u| json!({
            "address": u.address, "rule_id": u.suppression.rule_id, "reason": u.suppression.reason,
            "file": &*u.suppression.span.file, "line": u.suppression.span.start.line, "why": u.reason,
        })).collect::<Vec<_>>(),
        "diagnostics": report.diagnostics,
        "remote_modules": report.remote_modules.iter().map(|(a, s)| json!({"address": a, "source": s})).collect::<Vec<_>>(),
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

fn finding(f: &Finding) -> Value {
    let m = f.rule;
    json!({
        "rule_id": m.id,
        "rule_name": m.name,
        "title": m.title,
        "severity": m.severity,
        "layer": m.layer.id(),
        "service_models": m.service_models,
        "resource": {"address": f.address, "type": f.resource_kind},
        "location": {
            "file": &*f.span.file,
            "start_line": f.span.start.line,
            "start_column": f.span.start.column,
            "end_line": f.span.end.line,
            "end_column": f.span.end.column,
        },
        "message": f.message,
        "fix": m.fix,
        "references": m.references,
        "equivalents": m.equivalents,
    })
}
