//! deadbolt's Terraform source.
//!
//! [`load`] walks a directory, parses every `.tf` file with a span-keeping HCL parser (hcl-edit),
//! evaluates each root module (variables from defaults, `terraform.tfvars`, `*.auto.tfvars`,
//! `--var-file` and `--var`; locals; `count`/`for_each`/`dynamic`; local modules; functions) and maps
//! the resulting resource instances into a [`deadbolt_model::Model`]. [`load_plan`] reads the JSON of
//! `terraform show -json plan.out` instead.
//!
//! Errors never stop the scan: each unreadable or malformed file becomes a [`Diagnostic`] with its
//! file, line and column, and the other files are still scanned.

mod eval;
pub mod evaluated;
mod mapping;
mod plan;
mod source;
mod suppress;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use deadbolt_model::{Model, Value};

pub use deadbolt_model::{Diagnostic, Level};
pub use eval::Variables;
pub use plan::load_plan;
pub use source::MAX_FILE_BYTES;

/// What [`load`] needs besides the path.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--var-file` paths, in order.
    pub var_files: Vec<PathBuf>,
    /// `--var NAME=VALUE` pairs, in order (applied after var files).
    pub vars: Vec<(String, String)>,
    /// Paths (files or directories) to leave out, as given; matched as path prefixes or `*` globs
    /// against the path relative to the root.
    pub skip_paths: Vec<String>,
}

/// The outcome of loading a Terraform tree.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The resources, normalised.
    pub model: Model,
    /// Every problem reading the input.
    pub diagnostics: Vec<Diagnostic>,
    /// `.tf` files read (parsed or not).
    pub files: usize,
    /// Bytes of `.tf` read.
    pub bytes: u64,
    /// Remote modules that were not scanned: (address, source).
    pub remote_modules: Vec<(String, String)>,
}

/// Loads every Terraform root module under `root` (a directory or a single `.tf` file).
///
/// A directory whose `.tf` files are only called as a local module by another scanned directory is
/// evaluated through its callers (with their inputs), not again on its own.
pub fn load(root: &Path, options: &Options) -> Loaded {
    let root = root.to_path_buf();
    let options = options.clone();
    on_big_stack(move || load_here(&root, &options))
}

/// Parses and evaluates one in-memory file as a root module named `name` (no variables files, no
/// local modules outside it). The entry point for fuzzing and for callers that hold text, not files.
pub fn load_str(name: &str, text: &str) -> Loaded {
    let name = name.to_string();
    let text = text.to_string();
    on_big_stack(move || {
        let mut loaded = Loaded { files: 1, bytes: text.len() as u64, ..Loaded::default() };
        let display: Arc<str> = name.into();
        let file = match source::parse(display, text) {
            Ok(f) => f,
            Err(d) => {
                loaded.diagnostics.push(d);
                return loaded;
            }
        };
        let dir = PathBuf::from("/nonexistent/deadbolt-in-memory");
        let mut defs = HashMap::new();
        defs.insert(dir.clone(), Rc::new(eval::ModuleDef::new(dir.clone(), vec![Rc::new(file)])));
        let evaluator = eval::Evaluator::new(dir.clone(), defs);
        let resources = evaluator.evaluate_root(&dir, HashMap::new());
        loaded.diagnostics.extend(evaluator.diagnostics.into_inner());
        loaded.remote_modules = evaluator.remote_modules.into_inner();
        loaded.model = mapping::map(&resources);
        loaded
    })
}

/// Runs `f` on a thread with a 256 MiB stack: evaluation recurses with the input's nesting, and a
/// hostile file must get a diagnostic, not a stack overflow.
fn on_big_stack(f: impl FnOnce() -> Loaded + Send + 'static) -> Loaded {
    std::thread::Builder::new()
        .name("terraform-eval".into())
        .stack_size(256 * 1024 * 1024)
        .spawn(f)
        .and_then(|h| h.join().map_err(|_| std::io::Error::other("evaluator thread panicked")))
        .unwrap_or_else(|e| Loaded {
            diagnostics: vec![Diagnostic {
                level: Level::Error,
                file: "<terraform>".into(),
                line: 0,
                column: 0,
                message: format!("internal error while evaluating: {e}"),
            }],
            ..Loaded::default()
        })
}

fn load_here(root: &Path, options: &Options) -> Loaded {
    let mut loaded = Loaded::default();
    let files = discover(root, options, &mut loaded.diagnostics);
    let display_base = if root.is_file() { root.parent().unwrap_or(Path::new("")) } else { root };

    let mut by_dir: BTreeMap<PathBuf, Vec<Rc<source::SourceFile>>> = BTreeMap::new();
    for path in &files {
        loaded.files += 1;
        loaded.bytes += std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let display: Arc<str> = display_path(root, display_base, path).into();
        match source::read(path, display) {
            Ok(f) => {
                let dir = canonical_dir(path);
                by_dir.entry(dir).or_default().push(Rc::new(f));
            }
            Err(d) => loaded.diagnostics.push(d),
        }
    }
    let defs: HashMap<PathBuf, Rc<eval::ModuleDef>> = by_dir
        .into_iter()
        .map(|(dir, files)| (dir.clone(), Rc::new(eval::ModuleDef::new(dir, files))))
        .collect();

    // Directories called as local modules by another scanned directory are not roots.
    let mut called: HashSet<PathBuf> = HashSet::new();
    for (dir, def) in &defs {
        for source in def.local_module_sources() {
            let target = std::fs::canonicalize(dir.join(&source)).unwrap_or_else(|_| dir.join(&source));
            if &target != dir {
                called.insert(target);
            }
        }
    }
    let mut roots: Vec<&PathBuf> = defs.keys().filter(|d| !called.contains(*d)).collect();
    roots.sort();

    let evaluator = eval::Evaluator::new(if root.is_file() { display_base.to_path_buf() } else { root.to_path_buf() }, defs.clone());
    let mut resources = Vec::new();
    for dir in roots {
        let inputs = root_inputs(dir, options, &mut loaded.diagnostics);
        resources.extend(evaluator.evaluate_root(dir, inputs));
    }
    loaded.diagnostics.extend(evaluator.diagnostics.into_inner());
    loaded.remote_modules = evaluator.remote_modules.into_inner();
    loaded.model = mapping::map(&resources);
    loaded.diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    loaded
}

fn canonical_dir(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

fn display_path(root: &Path, base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    if root.is_file() || rel.as_os_str().is_empty() {
        return path.display().to_string();
    }
    root.join(rel).display().to_string()
}

/// Finds `.tf` files under `root`, following no symlinked directories (so loops cannot trap the
/// walk) and skipping `.terraform/` and `skip_paths`.
fn discover(root: &Path, options: &Options, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if root.is_file() {
        out.push(root.to_path_buf());
        return out;
    }
    let walker = walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name().into_iter();
    let skip = |p: &Path| {
        let rel = p.strip_prefix(root).unwrap_or(p);
        let rel_s = rel.to_string_lossy();
        p.file_name().is_some_and(|n| n == ".terraform" || n == ".git")
            || options.skip_paths.iter().any(|s| {
                let s = s.trim_end_matches('/');
                rel_s == s || rel_s.starts_with(&format!("{s}/")) || glob_match(s, &rel_s) || p == Path::new(s)
            })
    };
    for entry in walker.filter_entry(|e| !skip(e.path())) {
        match entry {
            Ok(e) => {
                let p = e.path();
                if e.path_is_symlink() {
                    // Follow symlinked files (not directories) once, if they resolve.
                    match std::fs::metadata(p) {
                        Ok(m) if m.is_file() && p.extension().is_some_and(|x| x == "tf") => out.push(p.to_path_buf()),
                        Ok(_) => {}
                        Err(err) => diagnostics.push(Diagnostic {
                            level: Level::Error,
                            file: p.display().to_string().into(),
                            line: 0,
                            column: 0,
                            message: format!("broken or looping symlink: {err}"),
                        }),
                    }
                } else if e.file_type().is_file() && p.extension().is_some_and(|x| x == "tf") {
                    out.push(p.to_path_buf());
                }
            }
            Err(err) => diagnostics.push(Diagnostic {
                level: Level::Error,
                file: err.path().map(|p| p.display().to_string()).unwrap_or_else(|| root.display().to_string()).into(),
                line: 0,
                column: 0,
                message: format!("cannot read: {}", err.io_error().map(|e| e.to_string()).unwrap_or_else(|| err.to_string())),
            }),
        }
    }
    out
}

/// `*` matches any run of characters within the whole relative path.
fn glob_match(pattern: &str, text: &str) -> bool {
    pattern.contains('*') && deadbolt_model::aws::iam::wildcard_match(pattern, text)
}

/// The root module's variables: `terraform.tfvars`, then `*.auto.tfvars` (lexical order), then
/// `--var-file`s, then `--var`s.
fn root_inputs(dir: &Path, options: &Options, diagnostics: &mut Vec<Diagnostic>) -> HashMap<String, Value> {
    let mut inputs = HashMap::new();
    let mut files = Vec::new();
    let tfvars = dir.join("terraform.tfvars");
    if tfvars.is_file() {
        files.push(tfvars);
    }
    let mut autos: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.to_string_lossy().ends_with(".auto.tfvars")).collect())
        .unwrap_or_default();
    autos.sort();
    files.extend(autos);
    files.extend(options.var_files.iter().cloned());
    for path in files {
        let display: Arc<str> = path.display().to_string().into();
        match source::read(&path, display) {
            Ok(file) => {
                for attr in file.body.attributes() {
                    inputs.insert(attr.key.to_string(), eval::constant(&attr.value));
                }
            }
            Err(d) => diagnostics.push(d),
        }
    }
    for (name, raw) in &options.vars {
        inputs.insert(name.clone(), eval::cli_var(raw));
    }
    inputs
}
