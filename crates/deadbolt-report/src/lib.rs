//! deadbolt's report writers.
//!
//! A [`ScanReport`] gathers what one scan produced (the evaluation, the input diagnostics and the
//! counts); [`human`], [`json`] and [`sarif`] render it. Writers never re-read sources: everything
//! they print comes from the findings and their spans.

pub mod human;
pub mod json;
pub mod logs;
pub mod sarif;
pub mod srm;

use std::collections::BTreeMap;

use deadbolt_model::{Diagnostic, Layer, Level, Severity};
use deadbolt_rules::{Evaluation, Rule};

/// Everything a report shows about one scan.
pub struct ScanReport<'a> {
    /// The rule outcomes.
    pub evaluation: &'a Evaluation,
    /// The rules that ran (for SARIF rule metadata).
    pub rules: &'a [&'static dyn Rule],
    /// Problems reading the input.
    pub diagnostics: &'a [Diagnostic],
    /// Source files read.
    pub files: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Resources in the model.
    pub resources: usize,
    /// Remote modules listed as not scanned: (address, source).
    pub remote_modules: &'a [(String, String)],
    /// The `--fail-on` threshold.
    pub fail_on: Severity,
    /// The directory report paths are made relative to where they lie below it (the working
    /// directory for the CLI; code scanning expects paths relative to the repository root).
    pub base_dir: Option<std::path::PathBuf>,
    /// The responsibility catalog, to say which customer duties the findings break (`None`: not
    /// reported).
    pub catalog: Option<&'a deadbolt_srm::Catalog>,
}

impl ScanReport<'_> {
    /// Diagnostics at error level (files that could not be read or parsed).
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.level == Level::Error)
    }

    /// The customer duties the findings break, with how many findings each, most first.
    pub fn broken_duties(&self) -> Vec<(&deadbolt_srm::Duty, usize)> {
        let Some(catalog) = self.catalog else {
            return Vec::new();
        };
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &self.evaluation.findings {
            for duty in catalog.duties_of_rule(f.rule.id) {
                *counts.entry(&duty.id).or_default() += 1;
            }
        }
        let mut out: Vec<(&deadbolt_srm::Duty, usize)> = counts
            .into_iter()
            .filter_map(|(id, n)| Some((catalog.duty(id)?, n)))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        out
    }

    /// Finding counts by layer and severity.
    pub fn by_layer(&self) -> BTreeMap<Layer, BTreeMap<Severity, usize>> {
        let mut table: BTreeMap<Layer, BTreeMap<Severity, usize>> = BTreeMap::new();
        for f in &self.evaluation.findings {
            *table
                .entry(f.rule.layer)
                .or_default()
                .entry(f.severity())
                .or_default() += 1;
        }
        table
    }

    /// Findings at or above the `--fail-on` threshold.
    pub fn failing(&self) -> usize {
        self.evaluation
            .findings
            .iter()
            .filter(|f| f.severity() >= self.fail_on)
            .count()
    }
}
