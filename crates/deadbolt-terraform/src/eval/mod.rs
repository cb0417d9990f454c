//! Evaluates a Terraform configuration the way `terraform plan` would, minus the provider calls.
//!
//! Variables, locals, resources, data sources and module outputs are evaluated lazily and memoised
//! per module instance, so declaration order does not matter and a reference cycle is detected
//! (and becomes unknown) instead of looping. `count`, `for_each` and `dynamic` blocks are expanded
//! over known values. Whatever depends on provider state (computed attributes such as `id` or
//! `arn`, most data sources, remote modules, unset variables) is [`Value::Unknown`] with a reason.

mod functions;
mod policy_document;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use deadbolt_model::{Attr, Suppression, Unknown, Value};
use hcl_edit::Span as _;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Attribute, Block, Body, Structure};
use hcl_edit::template::{Directive, Element, Template};

use crate::evaluated::{EvalAttr, EvalBlock, EvalBody, EvaluatedResource};
use crate::source::{self, SourceFile};
use crate::suppress;
use deadbolt_model::{Diagnostic, Level};

/// How deep references may chain (local → local → module output → ...) before evaluation gives
/// up with an unknown. Keeps hostile input from exhausting the stack.
const MAX_REFERENCE_DEPTH: usize = 200;
/// How deep module calls may nest.
const MAX_MODULE_DEPTH: usize = 24;
/// How many `for` iterations one root module's evaluation may take. Real configurations take
/// thousands; nested loops over `range()` can ask for billions and exhaust memory.
const MAX_ITERATIONS: usize = 1_000_000;
/// The most instances `count`/`for_each` may expand to per resource.
const MAX_INSTANCES: usize = 10_000;

/// An evaluation error (type mismatch, missing attribute, bad index). Inside `try`/`can` it selects
/// the fallback; elsewhere the attribute becomes unknown with this message.
#[derive(Debug, Clone)]
pub(crate) struct EvalError(pub String);

type Result<T> = std::result::Result<T, EvalError>;

fn err<T>(msg: impl Into<String>) -> Result<T> {
    Err(EvalError(msg.into()))
}

fn unknown(reason: impl Into<Arc<str>>) -> Value {
    Value::Unknown(Unknown::new(reason))
}

/// Where a declaration is: file index and structure index within the module's files.
#[derive(Clone, Copy, Debug)]
struct Decl {
    file: usize,
    idx: usize,
}

/// A module's declarations (one directory of `.tf` files).
pub(crate) struct ModuleDef {
    dir: PathBuf,
    files: Vec<Arc<SourceFile>>,
    variables: HashMap<String, Decl>,
    locals: HashMap<String, LocalDecl>,
    outputs: HashMap<String, Decl>,
    /// Resources in declaration order, each with the override blocks that merge into it.
    resources: Vec<ResourceDecl>,
    /// `(type, name)` → index into `resources`.
    resource_index: HashMap<(String, String), usize>,
    data: HashMap<(String, String), Decl>,
    modules: Vec<(String, Decl)>,
    /// `provider` blocks, in declaration order.
    providers: Vec<Decl>,
    /// Duplicate declarations and orphan overrides found while indexing.
    problems: Vec<Diagnostic>,
}

/// A `resource` block and the blocks of override files (`override.tf`, `*_override.tf`) that
/// Terraform merges into it: attributes replace, nested blocks replace all blocks of their type.
struct ResourceDecl {
    rtype: String,
    name: String,
    decl: Decl,
    overrides: Vec<Decl>,
}

/// Where a local value is: the `locals` block and the attribute inside it.
#[derive(Clone, Copy, Debug)]
struct LocalDecl {
    file: usize,
    block: usize,
    attr: usize,
}

/// `override.tf` and `*_override.tf` (Terraform: "Override Files").
fn is_override_file(display: &str) -> bool {
    let name = display.rsplit(['/', '\\']).next().unwrap_or(display);
    name == "override.tf" || name.ends_with("_override.tf")
}

impl ModuleDef {
    /// Indexes the declarations of `files` (all from `dir`). Override files are applied after the
    /// others, as Terraform does; a resource declared twice outside override files is reported
    /// (Terraform refuses such a configuration) and the first declaration is kept.
    pub(crate) fn new(dir: PathBuf, mut files: Vec<Arc<SourceFile>>) -> Self {
        files.sort_by_key(|f| is_override_file(&f.display));
        let mut def = ModuleDef {
            dir,
            files,
            variables: HashMap::new(),
            locals: HashMap::new(),
            outputs: HashMap::new(),
            resources: Vec::new(),
            resource_index: HashMap::new(),
            data: HashMap::new(),
            modules: Vec::new(),
            providers: Vec::new(),
            problems: Vec::new(),
        };
        for fi in 0..def.files.len() {
            let file = def.files[fi].clone();
            let overriding = is_override_file(&file.display);
            for (idx, structure) in file.body.iter().enumerate() {
                let Structure::Block(block) = structure else {
                    continue;
                };
                let decl = Decl { file: fi, idx };
                let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
                match (block.ident.as_str(), labels.as_slice()) {
                    ("variable", [name]) => {
                        def.variables.insert(name.to_string(), decl);
                    }
                    ("output", [name]) => {
                        def.outputs.insert(name.to_string(), decl);
                    }
                    ("resource", [t, n]) => {
                        let key = (t.to_string(), n.to_string());
                        match (def.resource_index.get(&key), overriding) {
                            (Some(&i), true) => def.resources[i].overrides.push(decl),
                            (Some(_), false) => def.problem(&file, block, Level::Error, format!("duplicate resource \"{t}\" \"{n}\": it is already declared in this module; this declaration is ignored")),
                            (None, true) => def.problem(&file, block, Level::Error, format!("override for resource \"{t}\" \"{n}\", which no other file declares; ignored")),
                            (None, false) => {
                                def.resource_index.insert(key, def.resources.len());
                                def.resources.push(ResourceDecl { rtype: t.to_string(), name: n.to_string(), decl, overrides: Vec::new() });
                            }
                        }
                    }
                    ("data", [t, n]) => {
                        def.data.insert((t.to_string(), n.to_string()), decl);
                    }
                    ("module", [name]) => def.modules.push((name.to_string(), decl)),
                    ("provider", [_]) => def.providers.push(decl),
                    ("locals", []) => {
                        for (ai, s) in block.body.iter().enumerate() {
                            if let Structure::Attribute(a) = s {
                                def.locals.insert(
                                    a.key.to_string(),
                                    LocalDecl {
                                        file: fi,
                                        block: idx,
                                        attr: ai,
                                    },
                                );
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        def.report_unattached_suppressions();
        def
    }

    /// A suppression comment that is neither inside nor right above a resource or module block
    /// silences nothing: say so, rather than let the user believe it works.
    fn report_unattached_suppressions(&mut self) {
        let mut found = Vec::new();
        for file in &self.files {
            if file.comments.is_empty() {
                continue;
            }
            let mut attached: Vec<std::ops::RangeInclusive<u32>> = Vec::new();
            for structure in file.body.iter() {
                if let Structure::Block(block) = structure
                    && matches!(block.ident.as_str(), "resource" | "module")
                    && let Some(r) = block.span()
                {
                    let (start, end) = (
                        file.index.position(&file.text, r.start).line,
                        file.index.position(&file.text, r.end).line,
                    );
                    attached.push(suppress::block_lines(&file.text, &file.index, start, end));
                }
            }
            for c in file.comments.iter().filter(|c| c.malformed) {
                found.push(Diagnostic {
                    level: Level::Warning,
                    file: file.display.clone(),
                    line: c.line,
                    column: c.suppression.span.start.column,
                    message: "malformed suppression (write `deadbolt:ignore[RULE-ID] reason`); it silences nothing".into(),
                });
            }
            for c in file
                .comments
                .iter()
                .filter(|c| !c.malformed && !attached.iter().any(|r| r.contains(&c.line)))
            {
                found.push(Diagnostic {
                    level: Level::Warning,
                    file: file.display.clone(),
                    line: c.line,
                    column: c.suppression.span.start.column,
                    message: format!(
                        "suppression of {} is not attached to a resource or module block (write it inside the block or on the comment lines right above it); it silences nothing",
                        c.suppression.rule_id
                    ),
                });
            }
        }
        self.problems.extend(found);
    }

    fn problem(&mut self, file: &SourceFile, block: &Block, level: Level, message: String) {
        let span = file.span(block.span());
        self.problems.push(Diagnostic {
            level,
            file: file.display.clone(),
            line: span.start.line,
            column: span.start.column,
            message,
        });
    }

    /// Problems found while indexing (duplicates, orphan overrides).
    pub(crate) fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }

    fn resource(&self, rtype: &str, name: &str) -> Option<&ResourceDecl> {
        self.resource_index
            .get(&(rtype.to_string(), name.to_string()))
            .map(|&i| &self.resources[i])
    }

    fn file(&self, decl: Decl) -> &SourceFile {
        &self.files[decl.file]
    }

    fn block(&self, decl: Decl) -> &Block {
        match self.files[decl.file].body.get(decl.idx) {
            Some(Structure::Block(b)) => b,
            _ => unreachable!("declarations index blocks"),
        }
    }

    fn local(&self, decl: LocalDecl) -> &Attribute {
        match self.files[decl.file].body.get(decl.block) {
            Some(Structure::Block(b)) => match b.body.get(decl.attr) {
                Some(Structure::Attribute(a)) => a,
                _ => unreachable!("local declarations index attributes"),
            },
            _ => unreachable!("local declarations index blocks"),
        }
    }
}

/// A value with the resource addresses its expression referred to.
type Referenced = (Value, Vec<Arc<str>>);

enum Slot<T> {
    InProgress,
    Done(T),
}

/// One expanded instance of a resource or module: its key and (for resources) its evaluated body.
#[derive(Clone)]
enum InstanceKey {
    None,
    Index(usize),
    Key(String),
}

impl InstanceKey {
    fn suffix(&self) -> String {
        match self {
            InstanceKey::None => String::new(),
            InstanceKey::Index(i) => format!("[{i}]"),
            InstanceKey::Key(k) => format!("[{}]", serde_json::Value::String(k.clone())),
        }
    }
}

#[derive(Clone)]
struct ResourceSet {
    /// `None` for a single resource; `Some(false)` for count (list), `Some(true)` for for_each (map).
    keyed: Option<bool>,
    instances: Vec<(InstanceKey, Rc<EvalBody>)>,
    /// Set when `count`/`for_each` itself is unknown.
    unknown_expansion: Option<Unknown>,
}

/// A module instance: a definition plus its inputs.
struct ModuleInstance {
    def: Arc<ModuleDef>,
    /// Address prefix: `""` for the root, `"module.a."`, `"module.a[0].module.b."`.
    prefix: String,
    inputs: HashMap<String, Value>,
    /// The resources each input's expression referred to in the caller, so a split resource inside
    /// the module that gets its parent through a variable still joins to it.
    input_refs: HashMap<String, Vec<Arc<str>>>,
    /// Suppressions written on the module calls leading here.
    suppressions: Vec<Suppression>,
    depth: usize,
    /// Directories of the module calls leading here, to catch a module that calls itself.
    call_chain: Vec<PathBuf>,
    /// The names of the module calls leading here (`["vpc", "subnets"]`), as `terraform init`
    /// keys installed modules.
    module_path: Vec<String>,
    /// Provider configurations the caller gave this instance, by the name used inside it (`aws`,
    /// `aws.eu`): the caller's default configurations, or those its `providers` argument maps.
    passed_providers: HashMap<String, ProviderRegion>,
    /// Why a configuration this instance asks for was not passed, when the call's `providers`
    /// argument lists others (Terraform then passes only those).
    providers_listed: Option<String>,
    /// This instance's own `provider` blocks, evaluated on first use.
    own_providers: RefCell<Option<Rc<HashMap<String, ProviderRegion>>>>,
    locals: RefCell<HashMap<String, Slot<Referenced>>>,
    resources: RefCell<HashMap<(String, String), Slot<ResourceSet>>>,
    data: RefCell<HashMap<(String, String), Slot<Referenced>>>,
    children: RefCell<HashMap<String, Slot<Rc<ChildModules>>>>,
}

/// The region of one provider configuration (`provider "aws" { region = ... }`), spanned at its
/// `region` argument, or unknown with the reason.
type ProviderRegion = Attr<String>;

/// Why a resource's region is unknown when no provider configuration sets it.
pub(crate) const REGION_NOT_SET: &str =
    "the aws provider's region is not set in the configuration (AWS_REGION at plan time)";

/// The instances of one module call.
struct ChildModules {
    keyed: Option<bool>,
    instances: Vec<(InstanceKey, Rc<ModuleInstance>)>,
    /// Set for a remote or unreadable module: every output is unknown with this reason.
    unavailable: Option<Unknown>,
}

/// Local variables in scope: `count`, `each`, dynamic-block iterators, `for` variables.
#[derive(Clone, Default)]
struct Scope {
    vars: Vec<(String, Value)>,
    /// For `for_each = aws_vpc.this`: the instance `each.value` stands for, so that
    /// `vpc_id = each.value.id` still joins to it.
    each_refs: Vec<Arc<str>>,
}

impl Scope {
    fn with(&self, name: &str, value: Value) -> Scope {
        let mut s = self.clone();
        s.vars.push((name.to_string(), value));
        s
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// Evaluates module trees.
pub(crate) struct Evaluator {
    /// The scan root: `file()` and `templatefile()` read only below it (and below module dirs).
    root: PathBuf,
    defs: RefCell<HashMap<PathBuf, Arc<ModuleDef>>>,
    pub diagnostics: RefCell<Vec<Diagnostic>>,
    pub remote_modules: RefCell<Vec<(String, String)>>,
    depth: Cell<usize>,
    /// Set while [`Evaluator::render_partial`] renders; `partial_failed` records that a directive's
    /// condition was unknown, so no partial text is produced.
    partial_mode: Cell<bool>,
    partial_failed: Cell<bool>,
    /// Files read on demand for modules outside the scanned tree (or installed by `terraform
    /// init`), and whether each parsed, so the summary counts them.
    pub extra_files: RefCell<Vec<(PathBuf, bool)>>,
    /// Set after a `~` strip marker: the next literal's leading whitespace is dropped.
    trim_next: Cell<bool>,
    /// `for` iterations so far (see [`MAX_ITERATIONS`]).
    iterations: Cell<usize>,
    /// Remote modules installed by `terraform init` for the root being evaluated: module path
    /// (`vpc.subnets`) → directory.
    installed: RefCell<HashMap<String, PathBuf>>,
    /// Resource addresses referenced while evaluating the current attribute.
    refs: RefCell<Vec<Arc<str>>>,
}

impl Evaluator {
    pub(crate) fn new(root: PathBuf, defs: HashMap<PathBuf, Arc<ModuleDef>>) -> Self {
        Evaluator {
            root,
            defs: RefCell::new(defs),
            diagnostics: RefCell::new(Vec::new()),
            remote_modules: RefCell::new(Vec::new()),
            depth: Cell::new(0),
            partial_mode: Cell::new(false),
            iterations: Cell::new(0),
            trim_next: Cell::new(false),
            extra_files: RefCell::new(Vec::new()),
            installed: RefCell::new(HashMap::new()),
            partial_failed: Cell::new(false),
            refs: RefCell::new(Vec::new()),
        }
    }

    /// Evaluates the module in `dir` as a root module and returns every resource instance in it and
    /// in the modules it calls.
    pub(crate) fn evaluate_root(
        &self,
        dir: &Path,
        inputs: HashMap<String, Value>,
    ) -> Vec<EvaluatedResource> {
        let Some(def) = self.defs.borrow().get(dir).cloned() else {
            return Vec::new();
        };
        *self.installed.borrow_mut() = installed_modules(dir, &mut self.diagnostics.borrow_mut());
        let root = Rc::new(ModuleInstance::new(
            def,
            String::new(),
            inputs,
            Vec::new(),
            0,
            vec![dir.to_path_buf()],
        ));
        let mut out = Vec::new();
        self.collect(&root, &mut out);
        out
    }

    fn collect(&self, inst: &Rc<ModuleInstance>, out: &mut Vec<EvaluatedResource>) {
        let def = inst.def.clone();
        for rd in &def.resources {
            let (rtype, name) = (&rd.rtype, &rd.name);
            let set = self.resource_set(inst, rtype, name);
            let mut suppressions = inst.suppressions.clone();
            for decl in std::iter::once(&rd.decl).chain(&rd.overrides) {
                suppressions.extend(block_suppressions(def.file(*decl), def.block(*decl)));
            }
            let Some(set) = set else { continue };
            let provider_region = self.resource_provider_region(inst, rd);
            for (key, body) in &set.instances {
                out.push(EvaluatedResource {
                    address: format!("{}{rtype}.{name}{}", inst.prefix, key.suffix()),
                    resource_type: rtype.clone(),
                    body: (**body).clone(),
                    suppressions: suppressions.clone(),
                    provider_region: provider_region.clone(),
                });
            }
        }
        for (name, _) in &def.modules {
            if let Some(children) = self.child_modules(inst, name) {
                for (_, child) in &children.instances {
                    self.collect(child, out);
                }
            }
        }
    }

    // ---- provider configurations -----------------------------------------------------------

    /// The region of the provider configuration a resource uses, for AWS resources (`None` for
    /// other providers, whose placement deadbolt does not model). The `provider` meta-argument
    /// (`provider = aws.us`) selects a configuration; otherwise the default one of the provider the
    /// type's prefix names. The last override file that sets `provider` wins, as for attributes.
    fn resource_provider_region(
        &self,
        inst: &ModuleInstance,
        rd: &ResourceDecl,
    ) -> Option<ProviderRegion> {
        let local_name = rd.rtype.split('_').next().unwrap_or_default();
        if local_name != "aws" {
            return None;
        }
        let def = inst.def.clone();
        let mut key = local_name.to_string();
        let mut span = def.file(rd.decl).span(def.block(rd.decl).span());
        for decl in std::iter::once(&rd.decl).chain(&rd.overrides) {
            if let Some(attr) = def.block(*decl).body.get_attribute("provider") {
                key = provider_ref(&attr.value);
                span = def.file(*decl).span(attr.span());
            }
        }
        Some(self.provider_region(inst, &key, span))
    }

    /// The region of the configuration `key` (`aws`, `aws.eu`) as seen from `inst`: its own
    /// `provider` block, else the configuration its caller passed; unknown when neither sets it
    /// (`span` is where an unknown is reported: the resource's `provider` argument or block).
    fn provider_region(
        &self,
        inst: &ModuleInstance,
        key: &str,
        span: deadbolt_model::Span,
    ) -> ProviderRegion {
        if let Some(region) = self.own_providers(inst).get(key) {
            return region.clone();
        }
        if let Some(region) = inst.passed_providers.get(key) {
            return region.clone();
        }
        let reason = match (&inst.providers_listed, key.contains('.')) {
            (Some(call), _) => format!(
                "{call}'s providers argument does not pass a configuration for {key}, so its region is unknown"
            ),
            (None, true) => {
                format!("provider configuration {key} is not declared, so its region is unknown")
            }
            (None, false) => REGION_NOT_SET.to_string(),
        };
        Attr::unknown(Unknown::new(reason), span)
    }

    /// The instance's own `provider` blocks, by configuration name (`aws`, `aws.eu`), evaluated
    /// once in the instance's scope (they may use its variables and locals).
    fn own_providers(&self, inst: &ModuleInstance) -> Rc<HashMap<String, ProviderRegion>> {
        if let Some(done) = inst.own_providers.borrow().as_ref() {
            return done.clone();
        }
        // Marked as evaluated (empty) first, so a provider block that refers back to a resource
        // using it cannot recurse.
        *inst.own_providers.borrow_mut() = Some(Rc::new(HashMap::new()));
        let def = inst.def.clone();
        let mut map = HashMap::new();
        for decl in &def.providers {
            let (file, block) = (def.file(*decl), def.block(*decl));
            let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
                continue;
            };
            let key = match block.body.get_attribute("alias") {
                Some(alias) => {
                    match self.eval_attr_value(inst, file, &Scope::default(), &alias.value) {
                        Value::String(a) => format!("{name}.{a}"),
                        _ => continue,
                    }
                }
                None => name,
            };
            let region = match block.body.get_attribute("region") {
                Some(attr) => {
                    let value = self.eval_attr_value(inst, file, &Scope::default(), &attr.value);
                    let span = file.span(attr.span());
                    match value {
                        Value::Null => Attr::unknown(Unknown::new(REGION_NOT_SET), span),
                        Value::String(s) if s.is_empty() => {
                            Attr::unknown(Unknown::new(REGION_NOT_SET), span)
                        }
                        v => Attr::from_value(
                            Some((&v, span.clone())),
                            span,
                            String::new(),
                            Value::scalar_string,
                            "region",
                            "a string",
                        ),
                    }
                }
                None => Attr::unknown(Unknown::new(REGION_NOT_SET), file.span(block.span())),
            };
            map.insert(key, region);
        }
        let map = Rc::new(map);
        *inst.own_providers.borrow_mut() = Some(map.clone());
        map
    }

    /// The provider configurations a module call passes to its child: with a `providers`
    /// argument, exactly the ones it maps (`{ aws = aws.us }`: the child's `aws` is the caller's
    /// `aws.us`); without, the caller's default (unaliased) configurations, as Terraform's implicit
    /// inheritance does. The second value names the call when `providers` was given.
    fn passed_providers(
        &self,
        inst: &ModuleInstance,
        file: &SourceFile,
        block: &Block,
        address: &str,
    ) -> (HashMap<String, ProviderRegion>, Option<String>) {
        let mut passed = HashMap::new();
        if let Some(attr) = block.body.get_attribute("providers") {
            if let Expression::Object(object) = &attr.value {
                for (key, value) in object.iter() {
                    let child_name = match key {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(e) => provider_ref(e),
                    };
                    let caller_name = provider_ref(value.expr());
                    let span = file.span(value.expr().span());
                    passed.insert(child_name, self.provider_region(inst, &caller_name, span));
                }
            }
            return (passed, Some(address.to_string()));
        }
        for (key, region) in inst.passed_providers.iter() {
            if !key.contains('.') {
                passed.insert(key.clone(), region.clone());
            }
        }
        for (key, region) in self.own_providers(inst).iter() {
            if !key.contains('.') {
                passed.insert(key.clone(), region.clone());
            }
        }
        (passed, None)
    }

    fn diag(
        &self,
        file: &SourceFile,
        range: Option<std::ops::Range<usize>>,
        level: Level,
        message: String,
    ) {
        let span = file.span(range);
        self.diagnostics.borrow_mut().push(Diagnostic {
            level,
            file: file.display.clone(),
            line: span.start.line,
            column: span.start.column,
            message,
        });
    }

    // ---- declarations --------------------------------------------------------------------

    fn variable(&self, inst: &ModuleInstance, name: &str) -> Value {
        if let Some(v) = inst.inputs.get(name) {
            if let Some(refs) = inst.input_refs.get(name) {
                self.refs.borrow_mut().extend(refs.iter().cloned());
            }
            return v.clone();
        }
        let Some(decl) = inst.def.variables.get(name).copied() else {
            return unknown(format!("var.{name} is not declared"));
        };
        let def = inst.def.clone();
        match def.block(decl).body.get_attribute("default") {
            Some(default) => {
                self.eval_attr_value(inst, def.file(decl), &Scope::default(), &default.value)
            }
            None => unknown(format!("var.{name} has no default and no value was given")),
        }
    }

    fn local(&self, inst: &ModuleInstance, name: &str) -> Value {
        if let Some(slot) = inst.locals.borrow().get(name) {
            return match slot {
                Slot::Done((v, refs)) => {
                    self.refs.borrow_mut().extend(refs.iter().cloned());
                    v.clone()
                }
                Slot::InProgress => unknown(format!("local.{name} refers to itself")),
            };
        }
        let Some(decl) = inst.def.locals.get(name).copied() else {
            return unknown(format!("local.{name} is not declared"));
        };
        inst.locals
            .borrow_mut()
            .insert(name.to_string(), Slot::InProgress);
        let def = inst.def.clone();
        let (value, refs) = self.with_refs(|| {
            self.eval_attr_value(
                inst,
                &def.files[decl.file],
                &Scope::default(),
                &def.local(decl).value,
            )
        });
        self.refs.borrow_mut().extend(refs.iter().cloned());
        inst.locals
            .borrow_mut()
            .insert(name.to_string(), Slot::Done((value.clone(), refs)));
        value
    }

    /// Evaluates an expression for use as a value; evaluation errors become unknowns.
    fn eval_attr_value(
        &self,
        inst: &ModuleInstance,
        file: &SourceFile,
        scope: &Scope,
        expr: &Expression,
    ) -> Value {
        match self.eval(inst, file, scope, expr) {
            Ok(v) => v,
            Err(EvalError(msg)) => unknown(format!("{}: {msg}", file.span(expr.span()))),
        }
    }

    fn resource_set(&self, inst: &ModuleInstance, rtype: &str, name: &str) -> Option<ResourceSet> {
        let key = (rtype.to_string(), name.to_string());
        if let Some(slot) = inst.resources.borrow().get(&key) {
            return match slot {
                Slot::Done(set) => Some(set.clone()),
                Slot::InProgress => None,
            };
        }
        let def = inst.def.clone();
        let rd = def.resource(rtype, name)?;
        inst.resources
            .borrow_mut()
            .insert(key.clone(), Slot::InProgress);
        let file = def.file(rd.decl);
        let block = def.block(rd.decl);
        let (keyed, expansions, unknown_expansion) = self.expand(inst, file, &block.body);
        let mut instances = Vec::new();
        for (k, scope) in expansions {
            let mut body = self.eval_body(inst, file, &scope, &block.body, block.span());
            for over in &rd.overrides {
                let (ofile, oblock) = (def.file(*over), def.block(*over));
                let patch = self.eval_body(inst, ofile, &scope, &oblock.body, oblock.span());
                merge_override(&mut body, patch);
            }
            instances.push((k, Rc::new(body)));
        }
        let set = ResourceSet {
            keyed,
            instances,
            unknown_expansion,
        };
        inst.resources
            .borrow_mut()
            .insert(key, Slot::Done(set.clone()));
        Some(set)
    }

    /// Expands `count`/`for_each` of a resource or module body into instance keys and scopes.
    fn expand(
        &self,
        inst: &ModuleInstance,
        file: &SourceFile,
        body: &Body,
    ) -> (Option<bool>, Vec<(InstanceKey, Scope)>, Option<Unknown>) {
        if let Some(count) = body.get_attribute("count") {
            let v = self.eval_attr_value(inst, file, &Scope::default(), &count.value);
            return match v.as_i64() {
                Some(n) => {
                    if n as usize > MAX_INSTANCES {
                        self.diag(file, count.span(), Level::Warning, format!("count = {n} is over the limit of {MAX_INSTANCES}; only the first {MAX_INSTANCES} instances are scanned"));
                    }
                    let n = (n.max(0) as usize).min(MAX_INSTANCES);
                    let insts = (0..n)
                        .map(|i| {
                            (
                                InstanceKey::Index(i),
                                Scope::default()
                                    .with("count", obj([("index", Value::Number(i as f64))])),
                            )
                        })
                        .collect();
                    (Some(false), insts, None)
                }
                None => {
                    let reason = v
                        .first_unknown()
                        .cloned()
                        .unwrap_or_else(|| Unknown::new("count is not a number"));
                    let scope = Scope::default()
                        .with("count", obj([("index", Value::Unknown(reason.clone()))]));
                    (
                        Some(false),
                        vec![(InstanceKey::Index(0), scope)],
                        Some(reason),
                    )
                }
            };
        }
        if let Some(for_each) = body.get_attribute("for_each") {
            let (v, collection_refs) = self
                .with_refs(|| self.eval_attr_value(inst, file, &Scope::default(), &for_each.value));
            let pairs: Option<Vec<(String, Value)>> = match &v {
                Value::Object(map) => {
                    Some(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                }
                Value::List(items) => items
                    .iter()
                    .map(|i| Value::scalar_string(i).map(|s| (s.clone(), Value::String(s))))
                    .collect(),
                _ => None,
            };
            return match pairs {
                Some(pairs) => {
                    let insts = pairs
                        .into_iter()
                        .take(MAX_INSTANCES)
                        .map(|(k, val)| {
                            let each = obj([("key", Value::String(k.clone())), ("value", val)]);
                            let key = InstanceKey::Key(k);
                            let suffix = key.suffix();
                            let mut scope = Scope::default().with("each", each);
                            scope.each_refs = collection_refs
                                .iter()
                                .filter(|r| r.ends_with(&suffix))
                                .cloned()
                                .collect();
                            (key, scope)
                        })
                        .collect();
                    (Some(true), insts, None)
                }
                None => {
                    let reason = v
                        .first_unknown()
                        .cloned()
                        .unwrap_or_else(|| Unknown::new("for_each is not a map or set"));
                    let each = obj([
                        ("key", Value::Unknown(reason.clone())),
                        ("value", Value::Unknown(reason.clone())),
                    ]);
                    (
                        Some(true),
                        vec![(
                            InstanceKey::Key("?".into()),
                            Scope::default().with("each", each),
                        )],
                        Some(reason),
                    )
                }
            };
        }
        (None, vec![(InstanceKey::None, Scope::default())], None)
    }

    /// Evaluates a block body: attributes (except meta-arguments) and nested blocks, with `dynamic`
    /// blocks expanded.
    fn eval_body(
        &self,
        inst: &ModuleInstance,
        file: &SourceFile,
        scope: &Scope,
        body: &Body,
        range: Option<std::ops::Range<usize>>,
    ) -> EvalBody {
        let mut out = EvalBody {
            span: file.span(range),
            attrs: BTreeMap::new(),
            blocks: Vec::new(),
        };
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => {
                    let key = attr.key.as_str();
                    if matches!(key, "count" | "for_each" | "depends_on" | "provider") {
                        continue;
                    }
                    let ((value, partial), refs) = self.with_refs(|| {
                        let value = self.eval_attr_value(inst, file, scope, &attr.value);
                        let partial = match (&value, &attr.value) {
                            (Value::Unknown(_), Expression::StringTemplate(t)) => {
                                self.render_partial(inst, file, scope, t)
                            }
                            (Value::Unknown(_), Expression::HeredocTemplate(h)) => {
                                self.render_partial(inst, file, scope, &h.template)
                            }
                            _ => None,
                        };
                        (value, partial)
                    });
                    out.attrs.insert(
                        key.to_string(),
                        EvalAttr {
                            value,
                            span: file.span(attr.span()),
                            partial,
                            refs,
                        },
                    );
                }
                Structure::Block(block) => {
                    let ident = block.ident.as_str();
                    if matches!(ident, "lifecycle" | "provisioner" | "connection") {
                        continue;
                    }
                    if ident == "dynamic" {
                        self.expand_dynamic(inst, file, scope, block, &mut out.blocks);
                        continue;
                    }
                    out.blocks.push(EvalBlock {
                        name: ident.to_string(),
                        body: self.eval_body(inst, file, scope, &block.body, block.span()),
                    });
                }
            }
        }
        out
    }

    fn expand_dynamic(
        &self,
        inst: &ModuleInstance,
        file: &SourceFile,
        scope: &Scope,
        block: &Block,
        out: &mut Vec<EvalBlock>,
    ) {
        let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
            return;
        };
        let iterator = match block.body.get_attribute("iterator") {
            Some(a) => match &a.value {
                Expression::Variable(v) => v.as_str().to_string(),
                _ => name.clone(),
            },
            None => name.clone(),
        };
        let Some(content) = block.body.get_blocks("content").next() else {
            return;
        };
        let collection = match block.body.get_attribute("for_each") {
            Some(a) => self.eval_attr_value(inst, file, scope, &a.value),
            None => return,
        };
        let items: Vec<(Value, Value)> = match &collection {
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v.clone()))
                .collect(),
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| (Value::String(k.clone()), v.clone()))
                .collect(),
            Value::Null => Vec::new(),
            other => {
                // Unknown collection: one block whose values are unknown, so rules report
                // "not evaluated" rather than assuming no blocks.
                let reason = other
                    .first_unknown()
                    .cloned()
                    .unwrap_or_else(|| Unknown::new("dynamic for_each is not a collection"));
                vec![(Value::Unknown(reason.clone()), Value::Unknown(reason))]
            }
        };
        for (key, value) in items.into_iter().take(MAX_INSTANCES) {
            let it = obj([("key", key), ("value", value)]);
            let inner = scope.with(&iterator, it);
            out.push(EvalBlock {
                name: name.clone(),
                body: self.eval_body(inst, file, &inner, &content.body, content.span()),
            });
        }
    }

    fn data_source(&self, inst: &ModuleInstance, dtype: &str, name: &str) -> Value {
        let key = (dtype.to_string(), name.to_string());
        if let Some(slot) = inst.data.borrow().get(&key) {
            return match slot {
                Slot::Done((v, refs)) => {
                    self.refs.borrow_mut().extend(refs.iter().cloned());
                    v.clone()
                }
                Slot::InProgress => unknown(format!("data.{dtype}.{name} refers to itself")),
            };
        }
        let Some(decl) = inst.def.data.get(&key).copied() else {
            return unknown(format!("data.{dtype}.{name} is not declared"));
        };
        inst.data.borrow_mut().insert(key.clone(), Slot::InProgress);
        let def = inst.def.clone();
        let file = def.file(decl);
        let block = def.block(decl);
        let (keyed, expansions, unknown_expansion) = self.expand(inst, file, &block.body);
        let mut values = Vec::new();
        let mut refs = Vec::new();
        for (k, scope) in expansions {
            let body = self.eval_body(inst, file, &scope, &block.body, block.span());
            collect_refs(&body, &mut refs);
            let mut value = body_value(&body);
            if dtype == "aws_iam_policy_document"
                && let Value::Object(map) = &mut value
            {
                map.insert("json".into(), policy_document::render(&body));
            }
            values.push((k, value));
        }
        let value = match (keyed, unknown_expansion) {
            (_, Some(reason)) => Value::Unknown(reason),
            (None, _) => values.pop().map(|(_, v)| v).unwrap_or(Value::Null),
            (Some(false), _) => Value::List(values.into_iter().map(|(_, v)| v).collect()),
            (Some(true), _) => Value::Object(
                values
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            if let InstanceKey::Key(k) = k {
                                k
                            } else {
                                String::new()
                            },
                            v,
                        )
                    })
                    .collect(),
            ),
        };
        self.refs.borrow_mut().extend(refs.iter().cloned());
        inst.data
            .borrow_mut()
            .insert(key, Slot::Done((value.clone(), refs)));
        value
    }

    /// Counts one `for` iteration against [`MAX_ITERATIONS`]; past it, evaluation stops with an
    /// error (the value becomes unknown) and one diagnostic says why.
    fn spend(&self, file: &SourceFile) -> Result<()> {
        let n = self.iterations.get() + 1;
        self.iterations.set(n);
        if n == MAX_ITERATIONS + 1 {
            self.diagnostics.borrow_mut().push(Diagnostic::whole_file(Level::Warning, file.display.clone(), format!("for-expressions in this module ran over {MAX_ITERATIONS} iterations; the rest is not evaluated")));
        }
        if n > MAX_ITERATIONS {
            return err("for-expression iteration budget exhausted");
        }
        Ok(())
    }

    /// Runs `f` with a fresh reference collector; returns its result and the references it made.
    fn with_refs<T>(&self, f: impl FnOnce() -> T) -> (T, Vec<Arc<str>>) {
        let saved = std::mem::take(&mut *self.refs.borrow_mut());
        let result = f();
        let refs = std::mem::replace(&mut *self.refs.borrow_mut(), saved);
        (result, refs)
    }

    fn child_modules(&self, inst: &ModuleInstance, name: &str) -> Option<Rc<ChildModules>> {
        if let Some(slot) = inst.children.borrow().get(name) {
            return match slot {
                Slot::Done(c) => Some(c.clone()),
                Slot::InProgress => None,
            };
        }
        let decl = inst
            .def
            .modules
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| *d)?;
        inst.children
            .borrow_mut()
            .insert(name.to_string(), Slot::InProgress);
        let def = inst.def.clone();
        let file = def.file(decl);
        let block = def.block(decl);
        let result = Rc::new(self.call_module(inst, file, block, name));
        inst.children
            .borrow_mut()
            .insert(name.to_string(), Slot::Done(result.clone()));
        Some(result)
    }

    fn call_module(
        &self,
        inst: &ModuleInstance,
        file: &SourceFile,
        block: &Block,
        name: &str,
    ) -> ChildModules {
        let unavailable = |reason: String| ChildModules {
            keyed: None,
            instances: Vec::new(),
            unavailable: Some(Unknown::new(reason)),
        };
        let source = match block
            .body
            .get_attribute("source")
            .map(|a| self.eval_attr_value(inst, file, &Scope::default(), &a.value))
        {
            Some(Value::String(s)) => s,
            _ => {
                self.diag(
                    file,
                    block.span(),
                    Level::Warning,
                    format!("module \"{name}\" has no literal source; not scanned"),
                );
                return unavailable(format!("module.{name} has no readable source"));
            }
        };
        let address = format!("{}module.{name}", inst.prefix);
        let mut module_path = inst.module_path.clone();
        module_path.push(name.to_string());
        let local = source.starts_with("./") || source.starts_with("../");
        // A remote module that `terraform init` installed is read from `.terraform/modules`.
        let installed = (!local)
            .then(|| self.installed.borrow().get(&module_path.join(".")).cloned())
            .flatten();
        if !local && installed.is_none() {
            self.remote_modules
                .borrow_mut()
                .push((address.clone(), source.clone()));
            return unavailable(format!(
                "{address} is a remote module ({source}) that is not installed (run `terraform init`); not scanned"
            ));
        }
        if inst.depth >= MAX_MODULE_DEPTH {
            self.diag(
                file,
                block.span(),
                Level::Error,
                format!(
                    "module \"{name}\": modules nest deeper than {MAX_MODULE_DEPTH}; not scanned"
                ),
            );
            return unavailable(format!("{address} nests too deep"));
        }
        let dir = installed.unwrap_or_else(|| inst.def.dir.join(&source));
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        if inst.call_chain.contains(&dir) {
            self.diag(
                file,
                block.span(),
                Level::Error,
                format!("module \"{name}\" calls itself (through {source}); not expanded"),
            );
            return unavailable(format!("{address} calls itself"));
        }
        let Some(def) = self.module_def(&dir) else {
            self.diag(
                file,
                block.span(),
                Level::Error,
                format!("module \"{name}\": no .tf files in {source}"),
            );
            return unavailable(format!("{address} source {source} has no .tf files"));
        };
        let mut suppressions = inst.suppressions.clone();
        suppressions.extend(block_suppressions(file, block));

        let (keyed, expansions, _) = self.expand(inst, file, &block.body);
        let (passed_providers, providers_listed) =
            self.passed_providers(inst, file, block, &address);
        let mut instances = Vec::new();
        for (key, scope) in expansions {
            let mut inputs = HashMap::new();
            let mut input_refs = HashMap::new();
            for attr in block.body.attributes() {
                let k = attr.key.as_str();
                if matches!(
                    k,
                    "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
                ) {
                    continue;
                }
                let (value, refs) =
                    self.with_refs(|| self.eval_attr_value(inst, file, &scope, &attr.value));
                inputs.insert(k.to_string(), value);
                input_refs.insert(k.to_string(), refs);
            }
            let mut chain = inst.call_chain.clone();
            chain.push(dir.clone());
            let prefix = format!("{}module.{name}{}.", inst.prefix, key.suffix());
            let mut child = ModuleInstance::new(
                def.clone(),
                prefix,
                inputs,
                suppressions.clone(),
                inst.depth + 1,
                chain,
            );
            child.module_path = module_path.clone();
            child.input_refs = input_refs;
            child.passed_providers = passed_providers.clone();
            child.providers_listed = providers_listed.clone();
            instances.push((key, Rc::new(child)));
        }
        ChildModules {
            keyed,
            instances,
            unavailable: None,
        }
    }

    fn module_def(&self, dir: &Path) -> Option<Arc<ModuleDef>> {
        if let Some(d) = self.defs.borrow().get(dir) {
            return Some(d.clone());
        }
        // A local module outside the scanned tree: read it now.
        let mut files = Vec::new();
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "tf"))
            .collect();
        entries.sort();
        for path in entries {
            // Shown relative to the scanned directory, as the user named it, where it lies below.
            let display: Arc<str> = std::fs::canonicalize(&self.root)
                .ok()
                .and_then(|root| path.strip_prefix(root).ok().map(|rel| self.root.join(rel)))
                .unwrap_or_else(|| path.clone())
                .display()
                .to_string()
                .into();
            let parsed = source::read(&path, display);
            self.extra_files.borrow_mut().push((path, parsed.is_ok()));
            match parsed {
                Ok(f) => files.push(Arc::new(f)),
                Err(d) => self.diagnostics.borrow_mut().push(d),
            }
        }
        if files.is_empty() {
            return None;
        }
        let def = Arc::new(ModuleDef::new(dir.to_path_buf(), files));
        self.diagnostics
            .borrow_mut()
            .extend(def.problems().iter().cloned());
        self.defs
            .borrow_mut()
            .insert(dir.to_path_buf(), def.clone());
        Some(def)
    }

    fn module_output(&self, inst: &ModuleInstance, name: &str) -> Value {
        let Some(children) = self.child_modules(inst, name) else {
            return unknown(format!("module.{name} is not declared or refers to itself"));
        };
        if let Some(reason) = &children.unavailable {
            return Value::Unknown(reason.clone());
        }
        let outputs = |child: &ModuleInstance| -> Value {
            let def = child.def.clone();
            let mut map = BTreeMap::new();
            for (out_name, decl) in &def.outputs {
                let file = def.file(*decl);
                let value = match def.block(*decl).body.get_attribute("value") {
                    Some(a) => self.eval_attr_value(child, file, &Scope::default(), &a.value),
                    None => Value::Null,
                };
                map.insert(out_name.clone(), value);
            }
            Value::Object(map)
        };
        match children.keyed {
            None => children
                .instances
                .first()
                .map(|(_, c)| outputs(c))
                .unwrap_or(Value::Null),
            Some(false) => {
                Value::List(children.instances.iter().map(|(_, c)| outputs(c)).collect())
            }
            Some(true) => Value::Object(
                children
                    .instances
                    .iter()
                    .map(|(k, c)| {
                        (
                            if let InstanceKey::Key(k) = k {
                                k.clone()
                            } else {
                                String::new()
                            },
                            outputs(c),
                        )
                    })
                    .collect(),
            ),
        }
    }

    // ---- expressions ---------------------------------------------------------------------

    fn eval(
        &self,
        inst: &ModuleInstance,
        file: &SourceFile,
        scope: &Scope,
        expr: &Expression,
    ) -> Result<Value> {
        let depth = self.depth.get();
        if depth >= MAX_REFERENCE_DEPTH {
            return Ok(unknown(
                "expression or reference chain nests too deep to evaluate",
            ));
        }
        self.depth.set(depth + 1);
        let result = self.eval_inner(inst, file, scope, expr);
        self.depth.set(depth);
        result
    }

    fn eval_inner(
        &self,
        inst: &ModuleInstance,
        file: &SourceFile,
        scope: &Scope,
        expr: &Expression,
    ) -> Result<Value> {
        Ok(match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => Value::Number(n.value().as_f64().unwrap_or(f64::NAN)),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(items) => Value::List(
                items
                    .iter()
                    .map(|e| self.eval(inst, file, scope, e))
                    .collect::<Result<_>>()?,
            ),
            Expression::Object(object) => {
                let mut map = BTreeMap::new();
                for (key, value) in object.iter() {
                    let k = match key {
                        ObjectKey::Ident(id) => id.as_str().to_string(),
                        ObjectKey::Expression(e) => match self.eval(inst, file, scope, e)? {
                            Value::Unknown(u) => return Ok(Value::Unknown(u)),
                            v => Value::scalar_string(&v).ok_or_else(|| {
                                EvalError(format!("object key is a {}", v.type_name()))
                            })?,
                        },
                    };
                    map.insert(k, self.eval(inst, file, scope, value.expr())?);
                }
                Value::Object(map)
            }
            Expression::StringTemplate(t) => self.eval_template(inst, file, scope, t)?,
            Expression::HeredocTemplate(h) => {
                let mut v = self.eval_template(inst, file, scope, &h.template)?;
                if let (Some(indent), Value::String(s)) = (h.indent(), &mut v) {
                    let _ = indent; // hcl-edit has already removed the indent of `<<-` heredocs
                    let _ = s;
                }
                v
            }
            Expression::Parenthesis(p) => self.eval(inst, file, scope, p.inner())?,
            Expression::Variable(v) => self.resolve_root(inst, scope, v.as_str(), &[])?.0,
            Expression::Conditional(c) => {
                let cond = self.eval(inst, file, scope, &c.cond_expr)?;
                match cond.as_bool() {
                    Some(true) => self.eval(inst, file, scope, &c.true_expr)?,
                    Some(false) => self.eval(inst, file, scope, &c.false_expr)?,
                    None => {
                        let (t, f) = (
                            self.eval(inst, file, scope, &c.true_expr)?,
                            self.eval(inst, file, scope, &c.false_expr)?,
                        );
                        if t == f {
                            t
                        } else {
                            match cond {
                                Value::Unknown(u) => Value::Unknown(u),
                                other => {
                                    return err(format!(
                                        "condition is a {}, not a bool",
                                        other.type_name()
                                    ));
                                }
                            }
                        }
                    }
                }
            }
            Expression::FuncCall(call) => functions::call(self, inst, file, scope, call)?,
            Expression::Traversal(t) => {
                self.eval_traversal(inst, file, scope, &t.expr, &t.operators)?
            }
            Expression::UnaryOp(op) => {
                let v = self.eval(inst, file, scope, &op.expr)?;
                if let Value::Unknown(u) = v {
                    return Ok(Value::Unknown(u));
                }
                match op.operator.value() {
                    UnaryOperator::Neg => Value::Number(
                        -v.as_f64()
                            .ok_or_else(|| EvalError("`-` needs a number".into()))?,
                    ),
                    UnaryOperator::Not => Value::Bool(
                        !v.as_bool()
                            .ok_or_else(|| EvalError("`!` needs a bool".into()))?,
                    ),
                }
            }
            Expression::BinaryOp(op) => {
                let lhs = self.eval(inst, file, scope, &op.lhs_expr)?;
                let operator = *op.operator.value();
                // Short-circuit on a known operand, as far as the answer is decided.
                match (operator, lhs.as_bool()) {
                    (BinaryOperator::And, Some(false)) => return Ok(Value::Bool(false)),
                    (BinaryOperator::Or, Some(true)) => return Ok(Value::Bool(true)),
                    _ => {}
                }
                let rhs = self.eval(inst, file, scope, &op.rhs_expr)?;
                binary(operator, lhs, rhs)?
            }
            Expression::ForExpr(f) => self.eval_for(inst, file, scope, f)?,
        })
    }

    fn eval_template(
        &self,
        inst: &ModuleInstance,
        file: &SourceFile,
        scope: &Scope,
        template: &Template,
    ) -> Result<Value> {
        // A template that is exactly one interpolation keeps the value's type (`"${var.list}"`).
        let elements: Vec<&Element> = template.iter().collect();
        if let [Element::Interpolation(i)] = elements.as_slice() {
            return self.eval(inst, file, scope, &i.expr);
        }
        let mut out = String::new();
        let mut pending_unknown = None;
        self.trim_next.set(false);
        self.render_elements(inst, file, scope, template, &mut out, &mut pending_unknown)?;
        Ok(match pending_unknown {
            Some(u) => Value::Unknown(u),
            None => Value::String(out),
        })
    }

    /// Renders a template with every unknown interpolation replaced by
    /// [`crate::evaluated::PLACEHOLDER`]; `None` when the template's structure itself (an `%{if}`
    /// condition) is unknown.
    fn render_partial(
        &self,
        inst: &ModuleInstance,
        file: &SourceFile,
        scope: &Scope,
        template: &Template,
    ) -> Option<String> {
        self.partial_mode.set(true);
        self.trim_next.set(false);
        let mut out = String::new();
        let mut unknown_part = None;
        let rendered =
            self.render_elements(inst, file, scope, template, &mut out, &mut unknown_part);
        self.partial_mode.set(false);
        rendered
            .ok()
            .filter(|_| !self.partial_failed.replace(false))
            .map(|_| out)
    }

    fn render_elements(
        &self,
        inst: &ModuleInstance,
        file: &SourceFile,
        scope: &Scope,
        template: &Template,
        out: &mut String,
        unknown_part: &mut Option<Unknown>,
    ) -> Result<()> {
        for element in template.iter() {
            match element {
                Element::Literal(s) => {
                    if self.trim_next.replace(false) {
                        out.push_str(s.value().trim_start());
                    } else {
                        out.push_str(s.value());
                    }
                }
                Element::Interpolation(i) => {
                    if i.strip.strip_start() {
                        trim_end(out);
                    }
                    self.trim_next.set(false);
                    match self.eval(inst, file, scope, &i.expr)? {
                        Value::Unknown(u) => {
                            if self.partial_mode.get() {
                                out.push_str(crate::evaluated::PLACEHOLDER);
                            }
                            unknown_part.get_or_insert(u);
                        }
                        v => out.push_str(&Value::scalar_string(&v).ok_or_else(|| {
                            EvalError(format!(
                                "cannot interpolate a {} into a string",
                                v.type_name()
                            ))
                        })?),
                    }
                    self.trim_next.set(i.strip.strip_end());
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        if d.if_expr.strip.strip_start() {
                            trim_end(out);
                        }
                        let cond = self.eval(inst, file, scope, &d.if_expr.cond_expr)?;
                        match cond.as_bool() {
                            Some(true) => {
                                self.trim_next.set(d.if_expr.strip.strip_end());
                                self.render_elements(
                                    inst,
                                    file,
                                    scope,
                                    &d.if_expr.template,
                                    out,
                                    unknown_part,
                                )?;
                                if d.else_expr.as_ref().is_some_and(|e| e.strip.strip_start()) {
                                    trim_end(out);
                                }
                            }
                            Some(false) => {
                                if let Some(e) = &d.else_expr {
                                    self.trim_next.set(e.strip.strip_end());
                                    self.render_elements(
                                        inst,
                                        file,
                                        scope,
                                        &e.template,
                                        out,
                                        unknown_part,
                                    )?;
                                }
                            }
                            None => {
                                self.partial_failed.set(true);
                                unknown_part.get_or_insert(
                                    cond.first_unknown().cloned().unwrap_or_else(|| {
                                        Unknown::new("template condition is not a bool")
                                    }),
                                );
                            }
                        }
                        if d.endif_expr.strip.strip_start() {
                            trim_end(out);
                        }
                        self.trim_next.set(d.endif_expr.strip.strip_end());
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        if f.strip.strip_start() {
                            trim_end(out);
                        }
                        let coll = self.eval(inst, file, scope, &f.collection_expr)?;
                        for (k, v) in iterate(&coll)? {
                            self.spend(file)?;
                            self.trim_next.set(f.strip.strip_end());
                            let mut inner = scope.clone();
                            if let Some(kv) = &f.key_var {
                                inner = inner.with(kv.as_str(), k);
                            }
                            inner = inner.with(f.value_var.as_str(), v);
                            self.render_elements(
                                inst,
                                file,
                                &inner,
                                &f.template,
                                out,
                                unknown_part,
                            )?;
                            if d.endfor_expr.strip.strip_start() {
                                trim_end(out);
                            }
                        }
                        self.trim_next.set(d.endfor_expr.strip.strip_end());
                    }
                },
            }
        }
        Ok(())
    }

    fn eval_for(
        &self,
        inst: &ModuleInstance,
        file: &SourceFile,
        scope: &Scope,
        f: &hcl_edit::expr::ForExpr,
    ) -> Result<Value> {
        let coll = self.eval(inst, file, scope, &f.intro.collection_expr)?;
        if let Value::Unknown(u) = coll {
            return Ok(Value::Unknown(u));
        }
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Value> = BTreeMap::new();
        let mut grouped: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (k, v) in iterate(&coll)? {
            self.spend(file)?;
            let mut inner = scope.clone();
            if let Some(kv) = &f.intro.key_var {
                inner = inner.with(kv.as_str(), k);
            }
            inner = inner.with(f.intro.value_var.as_str(), v);
            if let Some(cond) = &f.cond {
                match self.eval(inst, file, &inner, &cond.expr)?.as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return Ok(unknown("a for-expression condition is unknown")),
                }
            }
            let value = self.eval(inst, file, &inner, &f.value_expr)?;
            match &f.key_expr {
                None => list.push(value),
                Some(kexpr) => {
                    let key = match self.eval(inst, file, &inner, kexpr)? {
                        Value::Unknown(u) => return Ok(Value::Unknown(u)),
                        k => Value::scalar_string(&k).ok_or_else(|| {
                            EvalError("for-expression key is not a string".into())
                        })?,
                    };
                    if f.grouping {
                        grouped.entry(key).or_default().push(value);
                    } else {
                        map.insert(key, value);
                    }
                }
            }
        }
        Ok(match &f.key_expr {
            None => Value::List(list),
            Some(_) if f.grouping => Value::Object(
                grouped
                    .into_iter()
                    .map(|(k, v)| (k, Value::List(v)))
                    .collect(),
            ),
            Some(_) => Value::Object(map),
        })
    }

    fn eval_traversal(
        &self,
        inst: &ModuleInstance,
        file: &SourceFile,
        scope: &Scope,
        root: &Expression,
        ops: &[hcl_edit::repr::Decorated<TraversalOperator>],
    ) -> Result<Value> {
        let (mut value, consumed) = match root {
            Expression::Variable(v) => {
                let names: Vec<&str> = ops
                    .iter()
                    .map_while(|op| match op.value() {
                        TraversalOperator::GetAttr(id) => Some(id.as_str()),
                        _ => None,
                    })
                    .collect();
                let refs_before = self.refs.borrow().len();
                let resolved = self.resolve_root(inst, scope, v.as_str(), &names)?;
                self.narrow_instance_ref(
                    inst,
                    file,
                    scope,
                    v.as_str(),
                    &names,
                    &ops[resolved.1..],
                    refs_before,
                )?;
                resolved
            }
            other => (self.eval(inst, file, scope, other)?, 0),
        };
        // Below a resource or data source, an attribute the configuration does not set is computed
        // by the provider: unknown, not an error.
        let computed_root = match root {
            Expression::Variable(v) if scope.get(v.as_str()).is_none() => match v.as_str() {
                "var" | "local" | "module" | "path" | "terraform" | "count" | "each" | "self" => {
                    None
                }
                "data" => Some(format!(
                    "data.{}",
                    ops.iter()
                        .take(2)
                        .filter_map(|o| match o.value() {
                            TraversalOperator::GetAttr(id) => Some(id.as_str()),
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                        .join(".")
                )),
                other => ops.first().and_then(|o| match o.value() {
                    TraversalOperator::GetAttr(id) => Some(format!("{other}.{}", id.as_str())),
                    _ => None,
                }),
            },
            _ => None,
        };
        let attr = |v: &Value, name: &str| -> Result<Value> {
            match (get_attr(v, name), &computed_root) {
                (Err(_), Some(base)) if matches!(v, Value::Object(_)) => {
                    Ok(Value::Unknown(crate::evaluated::computed(base, name)))
                }
                (result, _) => result,
            }
        };
        let mut splat = false;
        for op in &ops[consumed..] {
            if let Value::Unknown(_) = value {
                return Ok(value);
            }
            match op.value() {
                TraversalOperator::GetAttr(id) => {
                    value = if splat {
                        map_list(&value, |v| attr(v, id.as_str()))?
                    } else {
                        attr(&value, id.as_str())?
                    };
                }
                TraversalOperator::Index(e) => {
                    let index = self.eval(inst, file, scope, e)?;
                    value = if splat {
                        map_list(&value, |v| get_index(v, &index))?
                    } else {
                        get_index(&value, &index)?
                    };
                }
                TraversalOperator::LegacyIndex(i) => {
                    let index = Value::Number(*i.value() as f64);
                    value = if splat {
                        map_list(&value, |v| get_index(v, &index))?
                    } else {
                        get_index(&value, &index)?
                    };
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    value = match value {
                        Value::List(_) => value,
                        Value::Null => Value::List(Vec::new()),
                        Value::Object(map) => Value::List(map.into_values().collect()),
                        other => Value::List(vec![other]),
                    };
                    splat = true;
                }
            }
        }
        Ok(value)
    }

    /// `aws_s3_bucket.b[count.index].id` refers to one instance, not all of them: when a resource
    /// reference is indexed by a known key, keep only that instance's address for joins.
    #[allow(clippy::too_many_arguments)]
    fn narrow_instance_ref(
        &self,
        inst: &ModuleInstance,
        file: &SourceFile,
        scope: &Scope,
        root: &str,
        names: &[&str],
        rest: &[hcl_edit::repr::Decorated<TraversalOperator>],
        refs_before: usize,
    ) -> Result<()> {
        let is_resource = scope.get(root).is_none()
            && !matches!(
                root,
                "var"
                    | "local"
                    | "module"
                    | "data"
                    | "path"
                    | "terraform"
                    | "count"
                    | "each"
                    | "self"
            );
        let (Some(name), Some(first)) = (names.first(), rest.first()) else {
            return Ok(());
        };
        if !is_resource || self.refs.borrow().len() <= refs_before {
            return Ok(());
        }
        let key = match first.value() {
            TraversalOperator::Index(e) => self.eval(inst, file, scope, e)?,
            TraversalOperator::LegacyIndex(i) => Value::Number(*i.value() as f64),
            _ => return Ok(()),
        };
        let suffix = match &key {
            Value::Number(n) => InstanceKey::Index(*n as usize).suffix(),
            Value::String(s) => InstanceKey::Key(s.clone()).suffix(),
            _ => return Ok(()),
        };
        let mut refs = self.refs.borrow_mut();
        refs.truncate(refs_before);
        refs.push(format!("{}{root}.{name}{suffix}", inst.prefix).into());
        Ok(())
    }

    /// Resolves a root name and as many of the following attribute names as it needs
    /// (`aws_s3_bucket.b`, `module.m.out`, `data.t.n`). Returns the value and how many names it
    /// consumed.
    fn resolve_root(
        &self,
        inst: &ModuleInstance,
        scope: &Scope,
        root: &str,
        names: &[&str],
    ) -> Result<(Value, usize)> {
        if let Some(v) = scope.get(root) {
            if root == "each" && names.first() == Some(&"value") {
                self.refs
                    .borrow_mut()
                    .extend(scope.each_refs.iter().cloned());
            }
            return Ok((v.clone(), 0));
        }
        let need = |n: usize| -> Result<()> {
            if names.len() < n {
                err(format!("`{root}` must be followed by an attribute name"))
            } else {
                Ok(())
            }
        };
        Ok(match root {
            "var" => {
                need(1)?;
                (self.variable(inst, names[0]), 1)
            }
            "local" => {
                need(1)?;
                (self.local(inst, names[0]), 1)
            }
            "module" => {
                need(1)?;
                (self.module_output(inst, names[0]), 1)
            }
            "data" => {
                need(2)?;
                (self.data_source(inst, names[0], names[1]), 2)
            }
            "path" => {
                need(1)?;
                let dir = match names[0] {
                    "root" | "cwd" => self.root.display().to_string(),
                    _ => inst.def.dir.display().to_string(),
                };
                (Value::String(dir), 1)
            }
            "terraform" => {
                need(1)?;
                (
                    if names[0] == "workspace" {
                        Value::String("default".into())
                    } else {
                        unknown(format!("terraform.{}", names[0]))
                    },
                    1,
                )
            }
            "count" | "each" | "self" => (
                unknown(format!("`{root}` is used outside a counted resource")),
                names.len().min(1),
            ),
            resource_type => {
                need(1)?;
                let name = names[0];
                match self.resource_set(inst, resource_type, name) {
                    Some(set) => (self.resource_value(inst, resource_type, name, &set), 1),
                    None if inst.def.resource(resource_type, name).is_some() => (
                        unknown(format!("{resource_type}.{name} refers to itself")),
                        1,
                    ),
                    None => {
                        return err(format!(
                            "reference to undeclared resource {resource_type}.{name}"
                        ));
                    }
                }
            }
        })
    }

    /// The value a reference to a resource sees: an object of its configured attributes in which
    /// every other attribute is unknown (computed by the provider), as a list for `count` and a map
    /// for `for_each`. Records the referenced addresses for joins.
    fn resource_value(
        &self,
        inst: &ModuleInstance,
        rtype: &str,
        name: &str,
        set: &ResourceSet,
    ) -> Value {
        let base = format!("{}{rtype}.{name}", inst.prefix);
        if let Some(reason) = &set.unknown_expansion {
            self.refs.borrow_mut().push(base.clone().into());
            return Value::Unknown(reason.clone());
        }
        let mut refs = self.refs.borrow_mut();
        let mut one = |key: &InstanceKey, body: &EvalBody| {
            let address = format!("{base}{}", key.suffix());
            refs.push(address.clone().into());
            body_value(body)
        };
        match set.keyed {
            None => set
                .instances
                .first()
                .map(|(k, b)| one(k, b))
                .unwrap_or(Value::Null),
            Some(false) => Value::List(set.instances.iter().map(|(k, b)| one(k, b)).collect()),
            Some(true) => Value::Object(
                set.instances
                    .iter()
                    .map(|(k, b)| {
                        (
                            if let InstanceKey::Key(s) = k {
                                s.clone()
                            } else {
                                String::new()
                            },
                            one(k, b),
                        )
                    })
                    .collect(),
            ),
        }
    }

    /// Reads a file for `file()`/`templatefile()`, only below the scan root or the module's
    /// directory, and at most [`deadbolt_files::MAX_FILE_BYTES`].
    fn read_file(&self, inst: &ModuleInstance, path: &str) -> Result<String> {
        let p = Path::new(path);
        let full = if p.is_absolute() {
            p.to_path_buf()
        } else {
            inst.def.dir.join(p)
        };
        let canon =
            std::fs::canonicalize(&full).map_err(|e| EvalError(format!("file({path}): {e}")))?;
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        let module_dir =
            std::fs::canonicalize(&inst.def.dir).unwrap_or_else(|_| inst.def.dir.clone());
        if !canon.starts_with(&root) && !canon.starts_with(&module_dir) {
            return err(format!(
                "file({path}) is outside the scanned directory; not read"
            ));
        }
        let meta =
            std::fs::metadata(&canon).map_err(|e| EvalError(format!("file({path}): {e}")))?;
        if !meta.is_file() {
            return err(format!("file({path}) is not a regular file; not read"));
        }
        if meta.len() > deadbolt_files::MAX_FILE_BYTES {
            return err(format!("file({path}) is larger than the read limit"));
        }
        std::fs::read_to_string(&canon).map_err(|e| EvalError(format!("file({path}): {e}")))
    }
}

impl ModuleInstance {
    fn new(
        def: Arc<ModuleDef>,
        prefix: String,
        inputs: HashMap<String, Value>,
        suppressions: Vec<Suppression>,
        depth: usize,
        call_chain: Vec<PathBuf>,
    ) -> Self {
        ModuleInstance {
            def,
            prefix,
            inputs,
            suppressions,
            depth,
            call_chain,
            module_path: Vec::new(),
            input_refs: HashMap::new(),
            passed_providers: HashMap::new(),
            providers_listed: None,
            own_providers: RefCell::new(None),
            locals: RefCell::new(HashMap::new()),
            resources: RefCell::new(HashMap::new()),
            data: RefCell::new(HashMap::new()),
            children: RefCell::new(HashMap::new()),
        }
    }
}

/// The provider configuration an expression names (`aws.us`, `aws`), as written, without spaces
/// or comments.
fn provider_ref(expr: &Expression) -> String {
    match expr {
        Expression::Traversal(t) => {
            let mut name = match &t.expr {
                Expression::Variable(v) => v.as_str().to_string(),
                other => return provider_ref(other),
            };
            for op in t.operators.iter() {
                if let TraversalOperator::GetAttr(a) = op.value() {
                    name.push('.');
                    name.push_str(a.as_str());
                }
            }
            name
        }
        Expression::Variable(v) => v.as_str().to_string(),
        Expression::String(s) => s.as_str().to_string(),
        other => other.to_string().split_whitespace().collect(),
    }
}

fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// The value of an evaluated body: attributes plus nested blocks as lists of objects.
pub(crate) fn body_value(body: &EvalBody) -> Value {
    let mut map: BTreeMap<String, Value> = body
        .attrs
        .iter()
        .map(|(k, a)| (k.clone(), a.value.clone()))
        .collect();
    for block in &body.blocks {
        let entry = map
            .entry(block.name.clone())
            .or_insert_with(|| Value::List(Vec::new()));
        if let Value::List(items) = entry {
            items.push(body_value(&block.body));
        }
    }
    Value::Object(map)
}

fn get_attr(value: &Value, name: &str) -> Result<Value> {
    match value {
        Value::Object(map) => match map.get(name) {
            Some(v) => Ok(v.clone()),
            None => err(format!("object has no attribute `{name}`")),
        },
        Value::Unknown(u) => Ok(Value::Unknown(u.clone())),
        Value::Null => err(format!("attribute `{name}` of null")),
        // Blocks are lists: `aws_instance.x.root_block_device.encrypted` style access of a single
        // nested block is an error in Terraform too, but `.0.` legacy indexes are handled above.
        other => err(format!(
            "cannot read attribute `{name}` of a {}",
            other.type_name()
        )),
    }
}

fn get_index(value: &Value, index: &Value) -> Result<Value> {
    if let Value::Unknown(u) = index {
        return Ok(Value::Unknown(u.clone()));
    }
    match value {
        Value::List(items) => {
            let i = index
                .as_i64()
                .ok_or_else(|| EvalError("list index is not a whole number".into()))?;
            items
                .get(usize::try_from(i).map_err(|_| EvalError("negative list index".into()))?)
                .cloned()
                .ok_or_else(|| {
                    EvalError(format!(
                        "index {i} out of range for a list of {}",
                        items.len()
                    ))
                })
        }
        Value::Object(_) => {
            let key = Value::scalar_string(index)
                .ok_or_else(|| EvalError("map key is not a string".into()))?;
            get_attr(value, &key)
        }
        Value::Unknown(u) => Ok(Value::Unknown(u.clone())),
        other => err(format!("cannot index a {}", other.type_name())),
    }
}

fn map_list(value: &Value, f: impl Fn(&Value) -> Result<Value>) -> Result<Value> {
    match value {
        Value::List(items) => Ok(Value::List(items.iter().map(f).collect::<Result<_>>()?)),
        other => f(other),
    }
}

/// Pairs `(key, value)` of a list (index keys) or object (string keys).
fn iterate(coll: &Value) -> Result<Vec<(Value, Value)>> {
    match coll {
        Value::List(items) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, v)| (Value::Number(i as f64), v.clone()))
            .collect()),
        Value::Object(map) => Ok(map
            .iter()
            .map(|(k, v)| (Value::String(k.clone()), v.clone()))
            .collect()),
        Value::Null => Ok(Vec::new()),
        other => err(format!("cannot iterate over a {}", other.type_name())),
    }
}

fn binary(op: BinaryOperator, lhs: Value, rhs: Value) -> Result<Value> {
    use BinaryOperator::*;
    if matches!(op, Eq | NotEq) {
        if let Some(u) = lhs.unknown().or(rhs.unknown()) {
            return Ok(Value::Unknown(u.clone()));
        }
        let equal = match (&lhs, &rhs) {
            (Value::Number(a), Value::Number(b)) => a == b,
            _ => lhs == rhs,
        };
        return Ok(Value::Bool(if op == Eq { equal } else { !equal }));
    }
    if let Some(u) = lhs.unknown().or(rhs.unknown()) {
        return Ok(Value::Unknown(u.clone()));
    }
    if matches!(op, And | Or) {
        let (a, b) = (lhs.as_bool(), rhs.as_bool());
        let (Some(a), Some(b)) = (a, b) else {
            return err("`&&`/`||` need bools");
        };
        return Ok(Value::Bool(if op == And { a && b } else { a || b }));
    }
    let (Some(a), Some(b)) = (lhs.as_f64(), rhs.as_f64()) else {
        return err(format!(
            "arithmetic or comparison on a {} and a {}",
            lhs.type_name(),
            rhs.type_name()
        ));
    };
    Ok(match op {
        Plus => Value::Number(a + b),
        Minus => Value::Number(a - b),
        Mul => Value::Number(a * b),
        Div => {
            if b == 0.0 {
                return err("division by zero");
            }
            Value::Number(a / b)
        }
        Mod => {
            if b == 0.0 {
                return err("modulo by zero");
            }
            Value::Number(a % b)
        }
        Less => Value::Bool(a < b),
        LessEq => Value::Bool(a <= b),
        Greater => Value::Bool(a > b),
        GreaterEq => Value::Bool(a >= b),
        Eq | NotEq | And | Or => unreachable!("handled above"),
    })
}

impl ModuleDef {
    /// The `source` strings of module calls that point at local directories.
    pub(crate) fn local_module_sources(&self) -> Vec<String> {
        self.modules
            .iter()
            .filter_map(|(_, decl)| {
                match self
                    .block(*decl)
                    .body
                    .get_attribute("source")
                    .map(|a| &a.value)
                {
                    Some(Expression::String(s)) if s.starts_with("./") || s.starts_with("../") => {
                        Some(s.value().clone())
                    }
                    _ => None,
                }
            })
            .collect()
    }
}

/// Evaluates an expression that may refer to nothing (a `.tfvars` value).
pub(crate) fn constant(expr: &Expression) -> Value {
    let def = Arc::new(ModuleDef::new(PathBuf::new(), Vec::new()));
    let inst = ModuleInstance::new(
        def,
        String::new(),
        HashMap::new(),
        Vec::new(),
        0,
        Vec::new(),
    );
    let ev = Evaluator::new(PathBuf::new(), HashMap::new());
    let file = SourceFile::empty();
    ev.eval_attr_value(&inst, &file, &Scope::default(), expr)
}

/// The value of `--var NAME=VALUE`: an HCL literal when `VALUE` parses as a list, map, number or
/// bool; otherwise the raw string, as Terraform does for string variables.
pub(crate) fn cli_var(raw: &str) -> Value {
    match hcl_edit::parser::parse_expr(raw) {
        Ok(
            expr @ (Expression::Array(_)
            | Expression::Object(_)
            | Expression::Number(_)
            | Expression::Bool(_)),
        ) => constant(&expr),
        _ => Value::String(raw.to_string()),
    }
}

/// Suppressions written inside `block` or in the comment lines right above it.
fn block_suppressions(file: &SourceFile, block: &Block) -> Vec<Suppression> {
    let (start, end) = match block.span() {
        Some(r) => (
            file.index.position(&file.text, r.start).line,
            file.index.position(&file.text, r.end).line,
        ),
        None => (1, 1),
    };
    suppress::for_block(&file.comments, &file.text, &file.index, start, end)
}

/// Merges an override block into the body it overrides (Terraform, "Merging resource and data
/// blocks"): each attribute replaces the original's; nested blocks of a type replace all the
/// original's blocks of that type.
fn merge_override(body: &mut EvalBody, patch: EvalBody) {
    body.attrs.extend(patch.attrs);
    let replaced: std::collections::HashSet<String> =
        patch.blocks.iter().map(|b| b.name.clone()).collect();
    body.blocks.retain(|b| !replaced.contains(&b.name));
    body.blocks.extend(patch.blocks);
}

/// The modules `terraform init` installed for the root module in `root`:
/// `.terraform/modules/modules.json` maps each module path (`vpc`, `vpc.subnets`) to its directory.
/// A manifest that cannot be read, and entries whose directory lies outside `root`, are reported
/// and ignored.
fn installed_modules(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> HashMap<String, PathBuf> {
    let manifest = root.join(".terraform/modules/modules.json");
    let Ok(meta) = std::fs::metadata(&manifest) else {
        return HashMap::new();
    };
    let mut warn = |message: String| {
        diagnostics.push(Diagnostic::whole_file(
            Level::Warning,
            manifest.display().to_string(),
            message,
        ))
    };
    if !meta.is_file() || meta.len() > deadbolt_files::MAX_FILE_BYTES {
        warn("not a regular file under the size limit; installed modules are not scanned".into());
        return HashMap::new();
    }
    let json = std::fs::read_to_string(&manifest)
        .map_err(|e| e.to_string())
        .and_then(|text| {
            serde_json::from_str::<serde_json::Value>(&text).map_err(|e| e.to_string())
        });
    let modules = match &json {
        Ok(json) => json.get("Modules").and_then(|m| m.as_array()),
        Err(e) => {
            warn(format!(
                "unreadable module manifest ({e}); installed modules are not scanned"
            ));
            return HashMap::new();
        }
    };
    let Some(modules) = modules else {
        warn("no `Modules` list; installed modules are not scanned".into());
        return HashMap::new();
    };
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut out = HashMap::new();
    for m in modules {
        let (Some(key), Some(dir)) = (
            m.get("Key").and_then(|k| k.as_str()),
            m.get("Dir").and_then(|d| d.as_str()),
        ) else {
            continue;
        };
        if key.is_empty() {
            continue;
        }
        let path = root.join(dir);
        let inside = std::fs::canonicalize(&path).is_ok_and(|p| p.starts_with(&canonical_root));
        if inside {
            out.insert(key.to_string(), path);
        } else {
            warn(format!(
                "module `{key}` is installed outside the root module ({dir}); not scanned"
            ));
        }
    }
    out
}

/// Every reference recorded in a body's attributes, nested blocks included.
fn collect_refs(body: &EvalBody, out: &mut Vec<Arc<str>>) {
    for attr in body.attrs.values() {
        out.extend(attr.refs.iter().cloned());
    }
    for block in &body.blocks {
        collect_refs(&block.body, out);
    }
}

/// Drops trailing whitespace (a `~` strip marker after it).
fn trim_end(out: &mut String) {
    let len = out.trim_end().len();
    out.truncate(len);
}
