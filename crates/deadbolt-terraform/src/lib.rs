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
mod evaluated;
mod mapping;
mod plan;
mod source;
mod suppress;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use deadbolt_files::{display_path, parallel_map};
use deadbolt_model::{Model, Value};

pub use deadbolt_files::MAX_FILE_BYTES;
pub use deadbolt_model::{Diagnostic, Level};
pub use plan::load_plan;

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
    /// `.tf` files parsed successfully (the others have a diagnostic).
    pub parsed: usize,
    /// Resource instances read (after `count`/`for_each` expansion, modules included).
    pub resources: usize,
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
        let mut loaded = Loaded {
            files: 1,
            bytes: text.len() as u64,
            ..Loaded::default()
        };
        let display: Arc<str> = name.into();
        let file = match source::parse(display, text) {
            Ok(f) => f,
            Err(d) => {
                loaded.diagnostics.push(d);
                return loaded;
            }
        };
        loaded.parsed = 1;
        let dir = PathBuf::from("/nonexistent/deadbolt-in-memory");
        let def = Arc::new(eval::ModuleDef::new(dir.clone(), vec![Arc::new(file)]));
        loaded.diagnostics.extend(def.problems().iter().cloned());
        let mut defs = HashMap::new();
        defs.insert(dir.clone(), def);
        let evaluator = eval::Evaluator::new(dir.clone(), defs);
        let resources = evaluator.evaluate_root(&dir, HashMap::new());
        loaded
            .diagnostics
            .extend(evaluator.diagnostics.into_inner());
        loaded.remote_modules = evaluator.remote_modules.into_inner();
        loaded.resources = resources.len();
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
        .and_then(|h| {
            h.join()
                .map_err(|_| std::io::Error::other("evaluator thread panicked"))
        })
        .unwrap_or_else(|e| Loaded {
            diagnostics: vec![Diagnostic::whole_file(
                Level::Error,
                "<terraform>",
                format!("internal error while evaluating: {e}"),
            )],
            ..Loaded::default()
        })
}

fn load_here(root: &Path, options: &Options) -> Loaded {
    let mut loaded = Loaded::default();
    let files = discover(root, options, &mut loaded.diagnostics);
    let display_base = if root.is_file() {
        root.parent().unwrap_or(Path::new(""))
    } else {
        root
    };

    let sizes: Vec<u64> = files
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .collect();
    loaded.files = files.len();
    loaded.bytes = sizes.iter().sum();
    let parsed = parallel_map(&files, |path| {
        let display: Arc<str> = display_path(root, display_base, path).into();
        source::read(path, display).map(|f| (canonical_dir(path), f))
    });
    let mut by_dir: BTreeMap<PathBuf, Vec<Arc<source::SourceFile>>> = BTreeMap::new();
    for result in parsed {
        match result {
            Ok((dir, f)) => {
                loaded.parsed += 1;
                by_dir.entry(dir).or_default().push(Arc::new(f));
            }
            Err(d) => loaded.diagnostics.push(d),
        }
    }
    let defs: HashMap<PathBuf, Arc<eval::ModuleDef>> = by_dir
        .into_iter()
        .map(|(dir, files)| (dir.clone(), Arc::new(eval::ModuleDef::new(dir, files))))
        .collect();

    for def in defs.values() {
        loaded.diagnostics.extend(def.problems().iter().cloned());
    }

    // Directories called as local modules by another scanned directory are not roots.
    let mut called: HashSet<PathBuf> = HashSet::new();
    for (dir, def) in &defs {
        for source in def.local_module_sources() {
            let target =
                std::fs::canonicalize(dir.join(&source)).unwrap_or_else(|_| dir.join(&source));
            if &target != dir {
                called.insert(target);
            }
        }
    }
    let mut roots: Vec<&PathBuf> = defs.keys().filter(|d| !called.contains(*d)).collect();
    roots.sort();

    let eval_root = if root.is_file() {
        display_base.to_path_buf()
    } else {
        root.to_path_buf()
    };
    // Root modules are independent: evaluate them in parallel, each with its own evaluator (the
    // module definitions are shared and immutable).
    let evaluate_root = |dir: &PathBuf| {
        let mut diagnostics = Vec::new();
        let inputs = root_inputs(dir, options, &mut diagnostics);
        let evaluator = eval::Evaluator::new(eval_root.clone(), defs.clone());
        let resources = evaluator.evaluate_root(dir, inputs);
        diagnostics.extend(evaluator.diagnostics.into_inner());
        (
            resources,
            diagnostics,
            evaluator.remote_modules.into_inner(),
            evaluator.extra_files.into_inner(),
        )
    };
    let outcomes = parallel_map(&roots, |dir| {
        // A bug must cost one root module, not the scan.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| evaluate_root(dir)))
            .unwrap_or_else(|_| {
                let problem = Diagnostic::whole_file(Level::Error, dir.display().to_string(), "internal error while evaluating this root module; its resources are missing (please report it)");
                (Vec::new(), vec![problem], Vec::new(), Vec::new())
            })
    });
    let mut resources = Vec::new();
    let mut extra: BTreeMap<PathBuf, bool> = BTreeMap::new();
    for (res, diags, remote, files) in outcomes {
        resources.extend(res);
        loaded.diagnostics.extend(diags);
        loaded.remote_modules.extend(remote);
        extra.extend(files);
    }
    // Several roots may read the same module: count each file once.
    for (path, parsed) in extra {
        loaded.files += 1;
        loaded.bytes += std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        loaded.parsed += usize::from(parsed);
    }
    loaded.resources = resources.len();
    loaded.model = mapping::map(&resources);
    loaded.diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    // A module outside the tree that several roots call is read, and reported, by each of them.
    loaded.diagnostics.dedup();
    loaded
}

fn canonical_dir(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// Finds `.tf` files under `root` (see [`deadbolt_files::walk`]); `.tf.json` files are reported as
/// not scanned.
fn discover(root: &Path, options: &Options, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    if !root.is_dir() {
        let name = root.to_string_lossy();
        if name.ends_with(".tf") {
            return vec![root.to_path_buf()];
        }
        diagnostics.push(Diagnostic::whole_file(
            Level::Error,
            name.into_owned(),
            "not a Terraform file (.tf) or a plan (`terraform show -json` output); not scanned",
        ));
        return Vec::new();
    }
    let is_tf_json = |p: &Path| p.to_string_lossy().ends_with(".tf.json");
    let mut files = deadbolt_files::walk(
        root,
        &options.skip_paths,
        |p| p.extension().is_some_and(|x| x == "tf") || is_tf_json(p),
        diagnostics,
    );
    files.retain(|p| {
        if !is_tf_json(p) {
            return true;
        }
        diagnostics.push(Diagnostic::whole_file(
            Level::Error,
            p.display().to_string(),
            "Terraform JSON syntax (.tf.json) is not supported yet; not scanned",
        ));
        false
    });
    files
}

/// The root module's variables: `terraform.tfvars`, then `*.auto.tfvars` (lexical order), then
/// `--var-file`s, then `--var`s.
fn root_inputs(
    dir: &Path,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) -> HashMap<String, Value> {
    let mut inputs = HashMap::new();
    let mut files = Vec::new();
    for name in ["terraform.tfvars", "terraform.tfvars.json"] {
        let path = dir.join(name);
        if path.exists() {
            files.push(path);
        }
    }
    let mut autos: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    let name = p.to_string_lossy();
                    name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json")
                })
                .collect()
        })
        .unwrap_or_default();
    autos.sort();
    files.extend(autos);
    files.extend(options.var_files.iter().cloned());
    for path in files {
        match read_variables(&path) {
            Ok(values) => inputs.extend(values),
            Err(d) => diagnostics.push(d),
        }
    }
    for (name, raw) in &options.vars {
        inputs.insert(name.clone(), eval::cli_var(raw));
    }
    inputs
}

/// Reads a variables file: HCL (`.tfvars`) or JSON (`.tfvars.json`, a top-level object).
fn read_variables(path: &Path) -> Result<Vec<(String, Value)>, Diagnostic> {
    let display: Arc<str> = path.display().to_string().into();
    if !path.to_string_lossy().ends_with(".json") {
        let file = source::read(path, display)?;
        return Ok(file
            .body
            .attributes()
            .map(|a| (a.key.to_string(), eval::constant(&a.value)))
            .collect());
    }
    let fail = |line: u32, column: u32, message: String| Diagnostic {
        level: Level::Error,
        file: display.clone(),
        line,
        column,
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(0, 0, format!("cannot read: {e}")))?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return Err(fail(
            0,
            0,
            "not a regular file under the size limit; skipped".into(),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(0, 0, format!("cannot read: {e}")))?;
    let text = deadbolt_files::decode_text(bytes, &display)?;
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(map)) => {
            Ok(map.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
        }
        Ok(_) => Err(fail(
            1,
            1,
            "a variables file in JSON must be an object".into(),
        )),
        Err(e) => Err(fail(
            e.line() as u32,
            e.column() as u32,
            format!("invalid JSON: {e}"),
        )),
    }
}
