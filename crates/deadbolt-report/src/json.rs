//! The JSON report. Field names are stable: additions are allowed, renames and removals are not.
//!
//! Shape (`schema_version` 1):
//! ```text
//! {
//!   "schema_version": 1,
//!   "tool": {"name": "deadbolt", "version": "0.1.0"},
//!   "summary": {"files", "bytes", "resources", "rules_run", "findings", "suppressed",
//!               "not_evaluated", "passed", "errors", "failing", "fail_on",
//!               "by_layer": {"<layer id>": {"<severity>": count}},
//!               "duties_broken": [{"id", "title", "findings"}]},   // customer duties (deadbolt srm)
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
//! Lines and columns are 1-based; a diagnostic about a whole file (unreadable, too large) has
//! line and column 0.

use std::collections::BTreeMap;
use std::io::{self, Write};

use deadbolt_model::{Diagnostic, ServiceModel, Severity};
use deadbolt_rules::{Equivalents, Finding, References, UnusedReason};
use serde::Serialize;

use crate::ScanReport;

#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    tool: Tool,
    summary: Summary<'a>,
    findings: Vec<FindingOut<'a>>,
    suppressed: Vec<FindingOut<'a>>,
    not_evaluated: Vec<NotEvaluatedOut<'a>>,
    unused_suppressions: Vec<UnusedOut<'a>>,
    diagnostics: &'a [Diagnostic],
    remote_modules: Vec<RemoteOut<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary<'a> {
    files: usize,
    bytes: u64,
    resources: usize,
    rules_run: usize,
    findings: usize,
    suppressed: usize,
    not_evaluated: usize,
    passed: usize,
    errors: usize,
    failing: usize,
    fail_on: &'a str,
    by_layer: BTreeMap<&'static str, BTreeMap<&'static str, usize>>,
    duties_broken: Vec<DutyOut<'a>>,
}

#[derive(Serialize)]
struct DutyOut<'a> {
    id: &'a str,
    title: &'a str,
    findings: usize,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule_id: &'static str,
    rule_name: &'static str,
    title: &'static str,
    severity: Severity,
    layer: &'static str,
    service_models: &'static [ServiceModel],
    resource: ResourceOut<'a>,
    location: Location<'a>,
    message: &'a str,
    fix: &'static str,
    references: References,
    equivalents: Equivalents,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<SuppressionOut<'a>>,
}

#[derive(Serialize)]
struct ResourceOut<'a> {
    address: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Serialize)]
struct Location<'a> {
    file: &'a str,
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct SuppressionOut<'a> {
    rule_id: &'a str,
    reason: Option<&'a str>,
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct NotEvaluatedOut<'a> {
    rule_id: &'static str,
    address: &'a str,
    file: &'a str,
    line: u32,
    reason: &'a str,
}

#[derive(Serialize)]
struct UnusedOut<'a> {
    address: &'a str,
    rule_id: &'a str,
    reason: Option<&'a str>,
    file: &'a str,
    line: u32,
    why: UnusedReason,
}

#[derive(Serialize)]
struct RemoteOut<'a> {
    address: &'a str,
    source: &'a str,
}

fn finding(f: &Finding) -> FindingOut<'_> {
    let m = f.rule;
    FindingOut {
        rule_id: m.id,
        rule_name: m.name,
        title: m.title,
        severity: f.severity(),
        layer: m.layer.id(),
        service_models: m.service_models,
        resource: ResourceOut {
            address: &f.address,
            kind: &f.resource_kind,
        },
        location: Location {
            file: &f.span.file,
            start_line: f.span.start.line,
            start_column: f.span.start.column,
            end_line: f.span.end.line,
            end_column: f.span.end.column,
        },
        message: &f.message,
        fix: m.fix,
        references: m.references,
        equivalents: m.equivalents,
        suppression: f.suppressed_by.as_ref().map(|s| SuppressionOut {
            rule_id: &s.rule_id,
            reason: s.reason.as_deref(),
            file: &s.span.file,
            line: s.span.start.line,
        }),
    }
}

/// Writes the report as pretty-printed JSON to `out`. The document is serialised straight from
/// borrowed views of the findings: no JSON tree and no output string are built.
///
/// # Errors
/// Any error writing to `out`.
pub fn write(report: &ScanReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    let eval = report.evaluation;
    let by_layer = report
        .by_layer()
        .into_iter()
        .map(|(layer, counts)| {
            (
                layer.id(),
                counts
                    .into_iter()
                    .map(|(sev, n)| (sev.as_str(), n))
                    .collect(),
            )
        })
        .collect();
    let doc = Doc {
        schema_version: 1,
        tool: Tool {
            name: "deadbolt",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            files: report.files,
            bytes: report.bytes,
            resources: report.resources,
            rules_run: eval.rules_run,
            findings: eval.findings.len(),
            suppressed: eval.suppressed.len(),
            not_evaluated: eval.not_evaluated.len(),
            passed: eval.passed,
            errors: report.errors().count(),
            failing: report.failing(),
            fail_on: report.fail_on.as_str(),
            by_layer,
            duties_broken: report
                .broken_duties()
                .into_iter()
                .map(|(d, findings)| DutyOut {
                    id: &d.id,
                    title: &d.title,
                    findings,
                })
                .collect(),
        },
        findings: eval.findings.iter().map(finding).collect(),
        suppressed: eval.suppressed.iter().map(finding).collect(),
        not_evaluated: eval
            .not_evaluated
            .iter()
            .map(|n| NotEvaluatedOut {
                rule_id: n.rule.id,
                address: &n.address,
                file: &n.span.file,
                line: n.span.start.line,
                reason: &n.reason.0,
            })
            .collect(),
        unused_suppressions: eval
            .unused_suppressions
            .iter()
            .map(|u| UnusedOut {
                address: &u.address,
                rule_id: &u.suppression.rule_id,
                reason: u.suppression.reason.as_deref(),
                file: &u.suppression.span.file,
                line: u.suppression.span.start.line,
                why: u.reason,
            })
            .collect(),
        diagnostics: report.diagnostics,
        remote_modules: report
            .remote_modules
            .iter()
            .map(|(a, s)| RemoteOut {
                address: a,
                source: s,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}
