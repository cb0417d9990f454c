//! deadbolt's integration tests: one binary, one build, many modules.

#[cfg(feature = "aws")]
mod aws_live;
mod bad_input;
mod classify;
mod cli;
mod cloudformation;
mod data_inventory;
mod evaluation;
mod kubernetes_bad_input;
mod kubernetes_goat;
mod logs;
mod logs_sql;
mod residency;
mod rule_fixtures;
mod sarif;
mod srm;
mod terragoat;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `deadbolt` binary with `args`.
pub fn deadbolt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deadbolt"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run deadbolt")
}

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Loads a directory and runs every rule; returns the evaluation and the diagnostics.
pub fn scan_dir(dir: &Path) -> (deadbolt_rules::Evaluation, deadbolt_terraform::Loaded) {
    scan_with(dir, &deadbolt_terraform::Options::default())
}

/// Like [`scan_dir`] with options.
pub fn scan_with(
    dir: &Path,
    options: &deadbolt_terraform::Options,
) -> (deadbolt_rules::Evaluation, deadbolt_terraform::Loaded) {
    let loaded = deadbolt_terraform::load(dir, options);
    let rules = deadbolt_rules::registry::all();
    let eval = deadbolt_rules::evaluate(
        &loaded.model,
        rules,
        &deadbolt_rules::Selection::default(),
        &deadbolt_rules::registry::ids(),
    );
    (eval, loaded)
}

/// Writes `files` (name, content) into a fresh temporary directory.
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
    dir
}
