//! The residency policy a scan judges locations against: the `residency` section of the
//! organisation's stack file (`deadbolt.yaml`), found beside the scanned directory or named with
//! `--stack`.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use deadbolt_model::ResidencyPolicy;

/// The stack file to read: `--stack`, else the one in the first scanned path when it is a
/// directory.
pub(crate) fn stack_path(explicit: Option<&Path>, paths: &[PathBuf]) -> Option<PathBuf> {
    explicit.map(Path::to_path_buf).or_else(|| {
        let dir = paths.first().filter(|p| p.is_dir())?;
        deadbolt_srm::find_stack(dir)
    })
}

/// The residency policy of the stack file at `path`, if it has one.
///
/// # Errors
/// The stack file's problems (printed to standard error, each with its file and line): a stack
/// file that does not read is a usage error, since its policy would silently not apply.
pub(crate) fn policy(path: &Path) -> Result<Option<ResidencyPolicy>> {
    let catalog = deadbolt_srm::Catalog::builtin()
        .map_err(|e| anyhow!("the built-in responsibility catalog is invalid: {e}"))?;
    let stack = deadbolt_srm::read_stack(path, catalog).map_err(|problems| {
        for d in &problems {
            eprintln!("{d}");
        }
        anyhow!(
            "{}: {} problem(s) in the stack file",
            path.display(),
            problems.len()
        )
    })?;
    Ok(stack.residency.map(|r| ResidencyPolicy {
        label: r.policy,
        allowed_regions: r.allowed_regions.into_iter().map(|p| p.value).collect(),
        file: stack.file,
    }))
}
