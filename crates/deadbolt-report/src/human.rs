//! The human report: a summary (what was scanned, findings by layer × severity, what could not be
//! evaluated and why, files that could not be read), then the findings grouped by responsibility
//! layer with `file:line:col`. Colour only when asked (the binary asks on a terminal).

use std::collections::BTreeMap;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use deadbolt_model::{Layer, Severity};

use crate::ScanReport;

/// Display options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Emit ANSI colours.
    pub color: bool,
    /// Only the findings and the one-line totals.
    pub quiet: bool,
}

fn paint(color: bool, style: Style, text: &str) -> String {
    if color {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}

fn severity_style(s: Severity) -> Style {
    let c = match s {
        Severity::Critical => AnsiColor::BrightRed,
        Severity::High => AnsiColor::Red,
        Severity::Medium => AnsiColor::Yellow,
        Severity::Low => AnsiColor::Cyan,
        Severity::Info => AnsiColor::White,
    };
    Style::new().fg_color(Some(c.into())).bold()
}

/// Writes the report as text to `out`.
///
/// # Errors
/// Any error writing to `out`.
pub fn write(report: &ScanReport<'_>, options: Options, out: &mut dyn Write) -> io::Result<()> {
    let color = options.color;
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let eval = report.evaluation;

    // Input problems show even in quiet mode: they say the scan is incomplete.
    let input_problems = |out: &mut dyn Write| -> io::Result<()> {
        if !report.diagnostics.is_empty() {
            writeln!(out, "{}", paint(color, bold, "Input problems"))?;
            for d in report.diagnostics {
                writeln!(out, "  {d}")?;
            }
            writeln!(out)?;
        }
        Ok(())
    };
    if options.quiet {
        input_problems(out)?;
    }
    if !options.quiet {
        writeln!(out, "{}", paint(color, bold, "deadbolt scan"))?;
        writeln!(
            out,
            "  {} ({:.1} KiB), {}, {} run",
            plural(report.files, "file"),
            report.bytes as f64 / 1024.0,
            plural(report.resources, "resource"),
            plural(eval.rules_run, "rule")
        )?;
        writeln!(
            out,
            "  {} ({} at or above {}), {} suppressed, {} passed, not evaluated: {} (unknown values)",
            plural(eval.findings.len(), "finding"),
            report.failing(),
            report.fail_on,
            eval.suppressed.len(),
            eval.passed,
            eval.not_evaluated.len()
        )?;
        let errors: Vec<_> = report.errors().collect();
        writeln!(
            out,
            "  input errors: {} (files or settings that could not be read)",
            errors.len()
        )?;
        writeln!(out)?;

        if !eval.findings.is_empty() {
            let table = report.by_layer();
            writeln!(
                out,
                "{}",
                paint(color, bold, "Findings by responsibility layer")
            )?;
            writeln!(
                out,
                "  {:<26} {:>8} {:>5} {:>7} {:>4} {:>5}",
                "layer", "critical", "high", "medium", "low", "info"
            )?;
            for (layer, counts) in &table {
                let n = |s| counts.get(&s).copied().unwrap_or(0);
                writeln!(
                    out,
                    "  {:<26} {:>8} {:>5} {:>7} {:>4} {:>5}",
                    layer.title(),
                    n(Severity::Critical),
                    n(Severity::High),
                    n(Severity::Medium),
                    n(Severity::Low),
                    n(Severity::Info)
                )?;
            }
            writeln!(out)?;
            let broken = report.broken_duties();
            if !broken.is_empty() {
                writeln!(
                    out,
                    "{}",
                    paint(color, bold, "Customer duties these findings break")
                )?;
                const SHOWN: usize = 10;
                for (duty, n) in broken.iter().take(SHOWN) {
                    writeln!(out, "  {:<40} {:>4}  {}", duty.id, n, duty.title)?;
                }
                if broken.len() > SHOWN {
                    writeln!(
                        out,
                        "  ... and {} more (JSON: summary.duties_broken; deadbolt srm --findings)",
                        broken.len() - SHOWN
                    )?;
                }
                writeln!(out)?;
            }
        }

        input_problems(out)?;
        if !report.remote_modules.is_empty() {
            writeln!(
                out,
                "{}",
                paint(color, bold, "Remote modules (not scanned)")
            )?;
            for (address, source) in report.remote_modules {
                writeln!(out, "  {address}  {source}")?;
            }
            writeln!(out)?;
        }
        if !eval.not_evaluated.is_empty() {
            let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
            for n in &eval.not_evaluated {
                *reasons.entry(&n.reason.0).or_default() += 1;
            }
            let mut reasons: Vec<_> = reasons.into_iter().collect();
            reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            writeln!(
                out,
                "{}",
                paint(color, bold, "Not evaluated (unknown values)")
            )?;
            for (reason, count) in reasons.iter().take(10) {
                writeln!(out, "  {count:>4} × {reason}")?;
            }
            if reasons.len() > 10 {
                writeln!(
                    out,
                    "  ... and {} more reasons (see --format json)",
                    reasons.len() - 10
                )?;
            }
            writeln!(out)?;
        }
    }

    for layer in Layer::ALL {
        let mut in_layer: Vec<_> = eval
            .findings
            .iter()
            .filter(|f| f.rule.layer == layer)
            .collect();
        if in_layer.is_empty() {
            continue;
        }
        in_layer.sort_by(|a, b| b.severity().cmp(&a.severity()).then(a.span.cmp(&b.span)));
        writeln!(
            out,
            "{}",
            paint(
                color,
                bold,
                &format!("── {} ({}) ──", layer.title(), in_layer.len())
            )
        )?;
        for f in in_layer {
            let sev = format!("{:<8}", f.severity().as_str().to_uppercase());
            writeln!(
                out,
                "{} {} {}",
                paint(color, severity_style(f.severity()), &sev),
                paint(color, bold, f.rule.id),
                f.rule.title
            )?;
            writeln!(out, "         {}  {}", f.span, f.address)?;
            writeln!(out, "         {}", f.message)?;
            writeln!(
                out,
                "         {}",
                paint(color, dim, &format!("fix: {}", f.rule.fix))
            )?;
        }
        writeln!(out)?;
    }

    if !eval.unused_suppressions.is_empty() {
        writeln!(out, "{}", paint(color, bold, "Unused suppressions"))?;
        for u in &eval.unused_suppressions {
            let why = match u.reason {
                deadbolt_rules::UnusedReason::UnknownRule => "no rule has this ID",
                deadbolt_rules::UnusedReason::NoFinding => {
                    "the rule found nothing to suppress here"
                }
            };
            writeln!(
                out,
                "  {}  {} on {}: {why}",
                u.suppression.span, u.suppression.rule_id, u.address
            )?;
        }
        writeln!(out)?;
    }
    let verdict = if report.failing() > 0 {
        paint(
            color,
            severity_style(Severity::High),
            &format!(
                "{} at or above {}",
                plural(report.failing(), "finding"),
                report.fail_on
            ),
        )
    } else {
        paint(
            color,
            Style::new().fg_color(Some(AnsiColor::Green.into())).bold(),
            &format!("no findings at or above {}", report.fail_on),
        )
    };
    writeln!(out, "{verdict}")
}

/// `1 finding`, `2 findings`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
