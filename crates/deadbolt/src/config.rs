//! `deadbolt.toml`: rule selection, the failure threshold and paths to skip.
//!
//! ```toml
//! [scan]
//! select = ["AWS"]             # rule IDs or ID prefixes; empty = all
//! skip = ["AWS-EC2-009"]       # wins over select
//! fail-on = "high"             # info | low | medium | high | critical
//! skip-paths = ["legacy/", "modules/vendor/*"]
//! ```
//! Looked up as `--config FILE`, else `deadbolt.toml` in the first scanned directory. Command-line
//! flags override it.

use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

/// The parsed file.
#[derive(Debug, Default, Deserialize)]
pub struct Config {
    /// The `[scan]` table.
    #[serde(default)]
    pub scan: ScanConfig,
    /// The stack declaration `deadbolt srm` reads from the same file (`name`, `services`,
    /// `regions`, `data_classes`, `residency`, `attestations`); checked there, not here.
    #[serde(flatten)]
    pub stack: std::collections::BTreeMap<String, toml::Value>,
}

/// `[scan]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScanConfig {
    /// Rule IDs or prefixes to run.
    #[serde(default)]
    pub select: Vec<String>,
    /// Rule IDs or prefixes to skip.
    #[serde(default)]
    pub skip: Vec<String>,
    /// Failure threshold.
    pub fail_on: Option<String>,
    /// Paths to leave out.
    #[serde(default)]
    pub skip_paths: Vec<String>,
}

/// Reads a config file; a syntax error names the file, line and column.
pub fn read(path: &Path) -> Result<Config> {
    // A FIFO or device would block or never end; a config file is small.
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if !meta.is_file() {
        anyhow::bail!("{}: not a regular file", path.display());
    }
    if meta.len() > 1024 * 1024 {
        anyhow::bail!(
            "{}: larger than 1 MiB; not a deadbolt configuration",
            path.display()
        );
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let config: Config = toml::from_str(&text).map_err(|e| {
        let (line, col) = e
            .span()
            .map(|s| {
                let before = &text[..s.start.min(text.len())];
                (
                    before.matches('\n').count() + 1,
                    before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                )
            })
            .unwrap_or((0, 0));
        anyhow::anyhow!("{}:{line}:{col}: {}", path.display(), e.message())
    })?;
    const STACK_KEYS: [&str; 6] = [
        "name",
        "services",
        "regions",
        "data_classes",
        "residency",
        "attestations",
    ];
    if let Some(key) = config
        .stack
        .keys()
        .find(|k| !STACK_KEYS.contains(&k.as_str()))
    {
        let line = text
            .lines()
            .position(|l| {
                let l = l.trim_start().trim_start_matches('[');
                l.starts_with(key.as_str())
            })
            .map_or(0, |i| i + 1);
        anyhow::bail!(
            "{}:{line}: unknown key `{key}` (expected [scan] or a stack key: {})",
            path.display(),
            STACK_KEYS.join(", ")
        );
    }
    Ok(config)
}
