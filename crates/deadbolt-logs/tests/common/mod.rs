//! What the test binaries of deadbolt-logs share: the Stratus Red Team records in `../shared`,
//! and replaying records through an engine.
#![allow(dead_code)] // each test binary uses a part

use std::path::{Path, PathBuf};
use std::sync::Arc;

use deadbolt_logs::{Alert, Engine, Position, Record, Window};
use deadbolt_model::Diagnostic;

/// `../shared/data/cloudtrail-stratus-red-team`: one JSON array of records per technique.
pub fn stratus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/cloudtrail-stratus-red-team")
}

/// The technique names (file stems) in `stratus_dir()`, sorted.
pub fn stratus_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(stratus_dir())
        .expect("../shared/data/cloudtrail-stratus-red-team is readable")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".json")
                .map(String::from)
        })
        .collect();
    names.sort();
    names
}

/// Runs `engine` over `records` (one JSON text each) in the order given, as a file named `file`:
/// the alerts and every diagnostic.
pub fn replay<S: AsRef<str>>(
    engine: &Engine,
    records: &[S],
    window: Window,
    file: &str,
) -> (Vec<Alert>, Vec<Diagnostic>) {
    let mut session = engine.session(window);
    let mut diags = Vec::new();
    let file: Arc<str> = Arc::from(file);
    for (index, json) in records.iter().enumerate() {
        let record = Record {
            file: &file,
            position: Position {
                line: 1,
                index: index as u64,
            },
            json: json.as_ref(),
            header: None,
        };
        session.record(&record, &mut diags, &mut |_| {});
    }
    let (alerts, _) = session.finish(&mut diags);
    (alerts, diags)
}
