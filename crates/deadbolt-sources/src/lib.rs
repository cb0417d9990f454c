//! deadbolt's source dispatch: everything `deadbolt scan` can read under one path, in one model.
//!
//! [`load`] reads a directory (or one file) with every source:
//! - `.tf` files go to the Terraform source (a directory is evaluated as root modules);
//! - `.yaml`, `.yml`, `.json` and `.template` files are parsed once and each document is
//!   recognised by its content: a CloudFormation template (`AWSTemplateFormatVersion`, or
//!   `Resources` with `AWS::` types) or a Kubernetes object (`apiVersion` and `kind`). Other YAML
//!   and JSON (CI workflows, `package.json`) is not ours and is passed over silently; a file that
//!   names itself a template or a manifest but does not parse is an error;
//! - an unrendered Helm chart template is reported as skipped (a warning), since it is not YAML
//!   until `helm template` renders it;
//! - a file named directly that is `terraform show -json` output is read as a Terraform plan;
//! - a JSON file that names `deadbolt_snapshot` near its start is an AWS account snapshot
//!   (`deadbolt collect --aws`), normalised by `deadbolt-aws-snapshot`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use deadbolt_files::{display_path, parallel_map};
use deadbolt_model::{Diagnostic, Level, Model};
use deadbolt_yaml::Node;

/// What [`load`] needs besides the path.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Terraform variables and the paths every source skips.
    pub terraform: deadbolt_terraform::Options,
    /// Values for CloudFormation template parameters (`--parameters` files), by name; they
    /// override each parameter's `Default` in every template that declares it.
    pub parameters: deadbolt_cloudformation::ParameterValues,
    /// The region CloudFormation templates are deployed to (`--region`), when known: a template
    /// does not name its region, so without it their resources' regions are unknown.
    pub region: Option<String>,
}

/// The outcome of [`load`]: one model from every source, and every problem reading the input.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The resources, normalised.
    pub model: Model,
    /// Every problem reading the input, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// Files of a recognised kind that were read (parsed or not).
    pub files: usize,
    /// Bytes of those files.
    pub bytes: u64,
    /// Files parsed successfully (the others have a diagnostic).
    pub parsed: usize,
    /// Resources read (Terraform instances after `count`/`for_each`, template resources,
    /// Kubernetes objects).
    pub resources: usize,
    /// Terraform remote modules that were not scanned: (address, source).
    pub remote_modules: Vec<(String, String)>,
}

impl Loaded {
    fn absorb_terraform(&mut self, loaded: deadbolt_terraform::Loaded) {
        self.model.extend(loaded.model);
        self.diagnostics.extend(loaded.diagnostics);
        self.files += loaded.files;
        self.bytes += loaded.bytes;
        self.parsed += loaded.parsed;
        self.resources += loaded.resources;
        self.remote_modules.extend(loaded.remote_modules);
    }
}

/// Loads everything deadbolt can read under `root` (a directory or one file).
pub fn load(root: &Path, options: &Options) -> Loaded {
    let mut loaded = Loaded::default();
    if root.is_dir() {
        loaded.absorb_terraform(deadbolt_terraform::load(root, &options.terraform));
        let candidates = deadbolt_files::walk(
            root,
            &options.terraform.skip_paths,
            is_yaml_or_json,
            &mut loaded.diagnostics,
        );
        load_documents(root, root, &candidates, false, options, &mut loaded);
    } else if root.extension().is_some_and(|e| e == "tf") {
        loaded.absorb_terraform(deadbolt_terraform::load(root, &options.terraform));
    } else if is_plan_json(root) {
        loaded.absorb_terraform(deadbolt_terraform::load_plan(root));
    } else {
        let base = root.parent().unwrap_or(Path::new(""));
        load_documents(
            root,
            base,
            &[root.to_path_buf()],
            true,
            options,
            &mut loaded,
        );
    }
    loaded.diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    loaded.diagnostics.dedup();
    loaded
}

fn is_yaml_or_json(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "yaml" | "yml" | "json" | "template"))
}

/// What one YAML or JSON file turned out to be.
enum Outcome {
    /// Not a template or manifest: not counted.
    NotOurs,
    /// Recognised; its model and diagnostics.
    Read {
        bytes: u64,
        parsed: bool,
        resources: usize,
        model: Model,
        diagnostics: Vec<Diagnostic>,
    },
}

/// Reads each YAML or JSON file and offers its documents to the CloudFormation and Kubernetes
/// sources. `named` is set when the user named the file: then a file that is neither is an error.
fn load_documents(
    root: &Path,
    base: &Path,
    paths: &[PathBuf],
    named: bool,
    options: &Options,
    loaded: &mut Loaded,
) {
    let outcomes = parallel_map(paths, |path| {
        let display: Arc<str> = display_path(root, base, path).into();
        // A bug must cost one file, not the scan.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read_one(path, &display, named, options)
        }))
        .unwrap_or_else(|_| Outcome::Read {
            bytes: 0,
            parsed: false,
            resources: 0,
            model: Model::new(),
            diagnostics: vec![Diagnostic::whole_file(
                Level::Error,
                display.clone(),
                "internal error while reading this file; its resources are missing (please report it)",
            )],
        })
    });
    for outcome in outcomes {
        if let Outcome::Read {
            bytes,
            parsed,
            resources,
            model,
            diagnostics,
        } = outcome
        {
            loaded.files += 1;
            loaded.bytes += bytes;
            loaded.parsed += usize::from(parsed);
            loaded.resources += resources;
            loaded.model.extend(model);
            loaded.diagnostics.extend(diagnostics);
        }
    }
}

/// Text that could be a template or manifest. Cheaper than parsing every YAML and JSON file of a
/// repository, and it decides whether a parse error is worth reporting.
fn looks_like_ours(text: &str) -> bool {
    deadbolt_aws_snapshot::is_snapshot(text)
        || text.contains("AWSTemplateFormatVersion")
        || (text.contains("Resources") && text.contains("AWS::"))
        || (text.contains("apiVersion") && text.contains("kind"))
}

fn read_one(path: &Path, display: &Arc<str>, named: bool, options: &Options) -> Outcome {
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let failed = |d: Diagnostic| Outcome::Read {
        bytes,
        parsed: false,
        resources: 0,
        model: Model::new(),
        diagnostics: vec![d],
    };
    let text = match deadbolt_files::read_text(path, display, "YAML or JSON") {
        Ok(text) => text,
        // Unreadable files are reported only where they could have been ours.
        Err(d) if named || is_yaml_or_json(path) && bytes > 0 => return failed(d),
        Err(_) => return Outcome::NotOurs,
    };
    if !looks_like_ours(&text) {
        return if named {
            failed(not_recognised(display))
        } else {
            Outcome::NotOurs
        };
    }
    if deadbolt_kubernetes::is_helm_template(path, &text) {
        return failed(Diagnostic::whole_file(
            Level::Warning,
            display.clone(),
            "unrendered Helm chart template; skipped (scan the output of `helm template` instead)",
        ));
    }
    read_text_of(path, display, &text, bytes, named, options)
}

/// Parses one YAML or JSON text and offers its documents to the CloudFormation and Kubernetes
/// sources.
fn read_text_of(
    path: &Path,
    display: &Arc<str>,
    text: &str,
    bytes: u64,
    named: bool,
    options: &Options,
) -> Outcome {
    let failed = |d: Diagnostic| Outcome::Read {
        bytes,
        parsed: false,
        resources: 0,
        model: Model::new(),
        diagnostics: vec![d],
    };
    if deadbolt_aws_snapshot::is_snapshot(text) {
        return match deadbolt_aws_snapshot::parse(display, text) {
            Ok(snapshot) => {
                let normalised = deadbolt_aws_snapshot::normalise(&snapshot, display);
                Outcome::Read {
                    bytes,
                    parsed: true,
                    resources: normalised.model.len(),
                    model: normalised.model,
                    diagnostics: normalised.diagnostics,
                }
            }
            Err(d) => failed(d),
        };
    }
    let is_json =
        path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with('{');
    let docs = if is_json {
        deadbolt_yaml::parse_json(display, text)
    } else {
        deadbolt_yaml::parse(display, text)
    };
    let docs = match docs {
        Ok(docs) => docs,
        Err(d) => return failed(d),
    };
    let mut diagnostics = Vec::new();
    let mut model = Model::new();
    let mut recognised = false;
    let manifests: Vec<&Node> = docs
        .iter()
        .filter(|d| deadbolt_kubernetes::is_manifest(d))
        .collect();
    if !manifests.is_empty() {
        recognised = true;
        model.extend(deadbolt_kubernetes::load_documents(
            display,
            text,
            &manifests,
            &mut diagnostics,
        ));
    }
    for doc in docs
        .iter()
        .filter(|d| deadbolt_cloudformation::is_template(d))
    {
        recognised = true;
        model.extend(deadbolt_cloudformation::load_template(
            display,
            text,
            doc,
            &options.parameters,
            options.region.as_deref(),
            &mut diagnostics,
        ));
    }
    if !recognised {
        return if named {
            failed(not_recognised(display))
        } else {
            Outcome::NotOurs
        };
    }
    Outcome::Read {
        bytes,
        parsed: true,
        resources: model.len(),
        model,
        diagnostics,
    }
}

/// Loads one in-memory file, recognised by its name (`.tf`) or content (a template or manifest):
/// the entry point for fuzzing, rule documentation examples and callers that hold text.
pub fn load_str(name: &str, text: &str) -> Loaded {
    let mut loaded = Loaded::default();
    if name.ends_with(".tf") {
        loaded.absorb_terraform(deadbolt_terraform::load_str(name, text));
        return loaded;
    }
    let display: Arc<str> = name.into();
    let outcome = read_text_of(
        Path::new(name),
        &display,
        text,
        text.len() as u64,
        true,
        &Options::default(),
    );
    if let Outcome::Read {
        bytes,
        parsed,
        resources,
        model,
        diagnostics,
    } = outcome
    {
        loaded.files = 1;
        loaded.bytes = bytes;
        loaded.parsed = usize::from(parsed);
        loaded.resources = resources;
        loaded.model = model;
        loaded.diagnostics = diagnostics;
    }
    loaded
}

fn not_recognised(display: &Arc<str>) -> Diagnostic {
    Diagnostic::whole_file(
        Level::Error,
        display.clone(),
        "not a Terraform file, Terraform plan, CloudFormation template or Kubernetes manifest; \
         not scanned",
    )
}

/// A file is plan JSON when it is `.json` and has `planned_values` in its first MiB.
fn is_plan_json(path: &Path) -> bool {
    use std::io::Read;
    if !path.is_file() || path.extension().is_none_or(|e| e != "json") {
        return false;
    }
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(1 << 20).read_to_end(&mut head))
        .is_ok_and(|_| String::from_utf8_lossy(&head).contains("\"planned_values\""))
}
