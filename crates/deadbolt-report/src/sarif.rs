//! SARIF 2.1.0 output (OASIS Static Analysis Results Interchange Format), as GitHub code scanning
//! reads it: rule metadata with help text and `security-severity`, results with locations, inline
//! suppressions as `suppressions[kind=inSource]`, and unreadable files as tool execution
//! notifications.

use deadbolt_model::{Level, Severity};
use deadbolt_rules::{Finding, RuleMeta};
use serde_json::{Value, json};

use crate::ScanReport;

/// SARIF `level` for a severity: critical/high → error, medium → warning, low/info → note.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` score (0.0–10.0) for a severity, on the CVSS bands GitHub uses
/// (over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low).
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// Renders the report as a SARIF 2.1.0 log.
pub fn render(report: &ScanReport<'_>) -> String {
    let rules: Vec<&RuleMeta> = report.rules.iter().map(|r| r.meta()).collect();
    let index_of = |id: &str| rules.iter().position(|m| m.id == id);
    let mut results: Vec<Value> = report.evaluation.findings.iter().map(|f| result(f, index_of(f.rule.id))).collect();
    for f in &report.evaluation.suppressed {
        let mut r = result(f, index_of(f.rule.id));
        let justification = f.suppressed_by.as_ref().and_then(|s| s.reason.clone()).unwrap_or_default();
        r["suppressions"] = json!([{"kind": "inSource", "justification": justification}]);
        results.push(r);
    }
    let notifications: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut location = json!({"physicalLocation": {"artifactLocation": {"uri": uri(&d.file)}}});
            if d.line > 0 {
                location["physicalLocation"]["region"] = json!({"startLine": d.line, "startColumn": d.column.max(1)});
            }
            json!({
                "level": if d.level == Level::Error { "error" } else { "warning" },
                "message": {"text": d.message},
                "locations": [location],
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "deadbolt",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|m| rule(m)).collect::<Vec<_>>(),
            }},
            "invocations": [{
                "executionSuccessful": report.errors().next().is_none(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

fn rule(m: &RuleMeta) -> Value {
    let mut tags = vec!["security".to_string(), m.layer.id().to_string(), m.service.to_string()];
    tags.extend(m.service_models.iter().map(|s| s.as_str().to_string()));
    tags.extend(m.references.cis_aws_v3.iter().map(|c| format!("CIS-AWS-3.0.0/{c}")));
    json!({
        "id": m.id,
        "name": m.name,
        "shortDescription": {"text": m.title},
        "fullDescription": {"text": m.title},
        "help": {"text": format!("{}\n\nFix: {}", m.title, m.fix), "markdown": m.documentation()},
        "defaultConfiguration": {"level": level(m.severity)},
        "properties": {
            "tags": tags,
            "security-severity": security_severity(m.severity),
            "precision": "high",
        },
    })
}

fn result(f: &Finding, rule_index: Option<usize>) -> Value {
    let mut r = json!({
        "ruleId": f.rule.id,
        "level": level(f.rule.severity),
        "message": {"text": format!("{}: {} ({})", f.address, f.message, f.rule.title)},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(&f.span.file)},
                "region": {
                    "startLine": f.span.start.line.max(1),
                    "startColumn": f.span.start.column.max(1),
                    "endLine": f.span.end.line.max(f.span.start.line).max(1),
                    "endColumn": f.span.end.column.max(1),
                },
            },
            "logicalLocations": [{"fullyQualifiedName": f.address, "kind": "resource"}],
        }],
        "partialFingerprints": {"deadbolt/v1": format!("{}|{}|{}", f.rule.id, f.span.file, f.address)},
    });
    if let Some(i) = rule_index {
        r["ruleIndex"] = json!(i);
    }
    r
}

/// A relative URI reference for a path: forward slashes, no leading `./`, spaces and `%` escaped.
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    p.replace('%', "%25").replace(' ', "%20")
}
