//! SARIF 2.1.0 output (OASIS Static Analysis Results Interchange Format), as GitHub code scanning
//! reads it: rule metadata with help text and `security-severity`, results with locations, inline
//! suppressions as `suppressions[kind=inSource]`, and unreadable files as tool execution
//! notifications.

use std::io::{self, Write};

use deadbolt_model::{Level, Severity};
use deadbolt_rules::{Finding, RuleMeta};
use serde::Serialize;
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

/// Writes the report as a SARIF 2.1.0 log to `out`, serialised straight from borrowed views of the
/// findings (only the rule metadata goes through a JSON tree).
///
/// # Errors
/// Any error writing to `out`.
pub fn write(report: &ScanReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<&RuleMeta> = report.rules.iter().map(|r| r.meta()).collect();
    let base_dir = report.base_dir.as_deref().map(normalize);
    let base = base_dir.as_deref();
    let index_of = |id: &str| rules.iter().position(|m| m.id == id);
    let mut results: Vec<ResultOut<'_>> = report
        .evaluation
        .findings
        .iter()
        .map(|f| result(f, index_of(f.rule.id), None, base))
        .collect();
    for f in &report.evaluation.suppressed {
        let justification = f
            .suppressed_by
            .as_ref()
            .and_then(|s| s.reason.as_deref())
            .unwrap_or("");
        results.push(result(f, index_of(f.rule.id), Some(justification), base));
    }
    // Several results may share rule, file, resource and message (three secrets with the same
    // masked prefix): number the repeats so every fingerprint is unique, as code scanning needs.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for r in &mut results {
        let n = seen.entry(r.partial_fingerprints.v1.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            r.partial_fingerprints.v1 = format!("{}#{}", r.partial_fingerprints.v1, n);
        }
    }
    let notifications: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut location =
                json!({"physicalLocation": {"artifactLocation": {"uri": uri(&d.file, base)}}});
            if d.line > 0 {
                location["physicalLocation"]["region"] =
                    json!({"startLine": d.line, "startColumn": d.column.max(1)});
            }
            json!({
                "level": if d.level == Level::Error { "error" } else { "warning" },
                "message": {"text": d.message},
                "locations": [location],
            })
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: ToolOut {
                driver: Driver {
                    name: "deadbolt",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: rules.iter().map(|m| rule(m)).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: report.errors().next().is_none(),
                tool_execution_notifications: notifications,
            }],
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: ToolOut,
    invocations: [Invocation; 1],
    results: Vec<ResultOut<'a>>,
}

#[derive(Serialize)]
struct ToolOut {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultOut<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [LocationOut<'a>; 1],
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[SuppressionOut<'a>; 1]>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LocationOut<'a> {
    physical_location: Physical,
    logical_locations: [Logical<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    region: Region,
}

#[derive(Serialize)]
struct Artifact {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Logical<'a> {
    fully_qualified_name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "deadbolt/v1")]
    v1: String,
}

#[derive(Serialize)]
struct SuppressionOut<'a> {
    kind: &'static str,
    justification: &'a str,
}

fn rule(m: &RuleMeta) -> Value {
    let mut tags = vec![
        "security".to_string(),
        m.layer.id().to_string(),
        m.service.to_string(),
    ];
    tags.extend(m.service_models.iter().map(|s| s.as_str().to_string()));
    tags.extend(
        m.references
            .cis_aws_v3
            .iter()
            .map(|c| format!("CIS-AWS-3.0.0/{c}")),
    );
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

fn result<'a>(
    f: &'a Finding,
    rule_index: Option<usize>,
    suppressed: Option<&'a str>,
    base: Option<&std::path::Path>,
) -> ResultOut<'a> {
    ResultOut {
        rule_id: f.rule.id,
        rule_index,
        level: level(f.severity()),
        message: Text {
            text: format!("{}: {} ({})", f.address, f.message, f.rule.title),
        },
        locations: [LocationOut {
            physical_location: Physical {
                artifact_location: Artifact {
                    uri: uri(&f.span.file, base),
                },
                region: Region {
                    start_line: f.span.start.line.max(1),
                    start_column: f.span.start.column.max(1),
                    end_line: f.span.end.line.max(f.span.start.line).max(1),
                    end_column: f.span.end.column.max(1),
                },
            },
            logical_locations: [Logical {
                fully_qualified_name: &f.address,
                kind: "resource",
            }],
        }],
        partial_fingerprints: Fingerprints {
            v1: format!(
                "{}|{}|{}|{}",
                f.rule.id,
                uri(&f.span.file, base),
                f.address,
                f.message
            ),
        },
        suppressions: suppressed.map(|justification| {
            [SuppressionOut {
                kind: "inSource",
                justification,
            }]
        }),
    }
}

/// A URI reference for a path, relative to `base` (the report's [`ScanReport::base_dir`],
/// normalised) when the path lies below it, since code scanning resolves URIs against the
/// repository root: forward slashes, no leading `./`, spaces and `%` escaped.
fn uri(path: &str, base: Option<&std::path::Path>) -> String {
    let p = normalize(std::path::Path::new(path));
    let relative = base
        .and_then(|base| p.strip_prefix(base).ok().map(|r| r.display().to_string()))
        .unwrap_or_else(|| p.display().to_string());
    let p = relative.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    p.replace('%', "%25").replace(' ', "%20")
}

/// Removes `.` and `name/..` pairs lexically (symlinks are not resolved: the path stays the one the
/// user's repository has).
fn normalize(path: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.iter().collect()
}
