//! Directory walking.

use std::path::{Path, PathBuf};

use deadbolt_model::{Diagnostic, Level};

/// The files under `root` for which `wanted(path)` holds, in file-name order.
///
/// `.git/` and `.terraform/` are not entered (`.terraform/modules` is read through Terraform's own
/// manifest), nor is any path matched by `skip_paths`: each is a path prefix or a `*` glob
/// (globset syntax), relative to `root`. Symlinked files are listed if they resolve to a regular
/// file; symlinked directories are not followed, which is what keeps a link loop from trapping the
/// walk. Problems with wanted entries (a broken or looping link, a FIFO, an unreadable directory)
/// are pushed to `diagnostics` and the walk goes on.
pub fn walk(
    root: &Path,
    skip_paths: &[String],
    wanted: impl Fn(&Path) -> bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    let mut globs = globset::GlobSetBuilder::new();
    for pattern in skip_paths.iter().filter(|s| s.contains(['*', '?', '['])) {
        match globset::Glob::new(pattern.trim_end_matches('/')) {
            Ok(glob) => {
                globs.add(glob);
            }
            Err(e) => diagnostics.push(Diagnostic::whole_file(
                Level::Warning,
                pattern.as_str(),
                format!("skip path is not a valid glob: {e}"),
            )),
        }
    }
    let globs = globs.build().unwrap_or_else(|_| globset::GlobSet::empty());
    let skip = |p: &Path| {
        let rel = p.strip_prefix(root).unwrap_or(p);
        p.file_name()
            .is_some_and(|n| n == ".terraform" || n == ".git")
            || globs.is_match(rel)
            || skip_paths.iter().any(|s| {
                let s = Path::new(s.trim_end_matches('/'));
                rel.starts_with(s) || p == s
            })
    };
    let note = |diagnostics: &mut Vec<Diagnostic>, p: &Path, level: Level, message: String| {
        diagnostics.push(Diagnostic::whole_file(
            level,
            p.display().to_string(),
            message,
        ));
    };
    for entry in walker.filter_entry(|e| !skip(e.path())) {
        let e = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                let why = err
                    .io_error()
                    .map(|e| e.to_string())
                    .unwrap_or_else(|| err.to_string());
                note(
                    diagnostics,
                    &path,
                    Level::Error,
                    format!("cannot read: {why}"),
                );
                continue;
            }
        };
        let p = e.path();
        if e.file_type().is_dir() {
            continue;
        }
        if e.path_is_symlink() {
            match std::fs::metadata(p) {
                Ok(m) if m.is_file() && wanted(p) => out.push(p.to_path_buf()),
                Ok(m) if m.is_dir() => note(
                    diagnostics,
                    p,
                    Level::Warning,
                    "symlinked directory not followed".into(),
                ),
                Ok(_) => {}
                Err(_) if !wanted(p) => {}
                Err(err) => note(
                    diagnostics,
                    p,
                    Level::Error,
                    format!("broken or looping symlink: {err}"),
                ),
            }
        } else if !wanted(p) {
        } else if e.file_type().is_file() {
            out.push(p.to_path_buf());
        } else {
            note(
                diagnostics,
                p,
                Level::Error,
                "not a regular file (a FIFO or device); skipped".into(),
            );
        }
    }
    out
}

/// How a file under `root` is named in reports: `root` as the user wrote it joined with the path
/// below `base` (the directory walked, or a single file's directory), so `deadbolt scan ./infra`
/// reports `./infra/main.tf`. A file named directly keeps its name.
pub fn display_path(root: &Path, base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    if root.is_file() || rel.as_os_str().is_empty() {
        return path.display().to_string();
    }
    root.join(rel).display().to_string()
}
