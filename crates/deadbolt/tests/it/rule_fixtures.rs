//! Every rule has a fixture pair under `crates/deadbolt-rules/fixtures/<RULE-ID>/`: `fail.*` must
//! produce at least one finding of that rule (snapshotted), `pass.*` must produce none and at least
//! one pass. Every rule's documentation has the required sections.
//!
//! Rules that judge the model against the organisation's stack file (the residency rule) need its
//! policy, which `deadbolt scan` reads from `deadbolt.yaml`: a fixture folder may hold a
//! `deadbolt.yaml`, read as the scan reads it and set on the model of every fixture in the folder;
//! a rule's documentation may hold a ```yaml block whose first line is `# deadbolt.yaml`, set on the
//! models of its documented examples the same way. Fixture files may also sit beside the folders
//! their Terraform module calls use (`modules/...`): only `fail.*` and `pass.*` are loaded.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use deadbolt_model::{Model, ResidencyPolicy};
use deadbolt_rules::{Selection, evaluate, registry};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../deadbolt-rules/fixtures")
}

fn fixture_files(rule_id: &str, stem: &str) -> Vec<PathBuf> {
    let dir = fixtures_dir().join(rule_id);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{rule_id}: no fixture folder {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_stem().is_some_and(|s| s == stem))
        .collect();
    files.sort();
    files
}

/// The residency policy of a stack file, as `deadbolt scan` sets it on the model.
fn policy_of(stack: deadbolt_srm::Stack) -> Option<ResidencyPolicy> {
    stack.residency.map(|r| ResidencyPolicy {
        label: r.policy,
        allowed_regions: r.allowed_regions.into_iter().map(|p| p.value).collect(),
        file: stack.file,
    })
}

/// The policy of a fixture folder's `deadbolt.yaml`, if it has one (a stack file with problems
/// fails the test).
fn fixture_policy(rule_id: &str) -> Option<ResidencyPolicy> {
    let path = fixtures_dir().join(rule_id).join("deadbolt.yaml");
    if !path.is_file() {
        return None;
    }
    let catalog = deadbolt_srm::Catalog::builtin().expect("the built-in catalog loads");
    let stack = deadbolt_srm::read_stack(&path, catalog)
        .unwrap_or_else(|d| panic!("{}: {d:?}", path.display()));
    policy_of(stack)
}

/// The policy a rule's documentation gives in a ```yaml block starting `# deadbolt.yaml`.
fn doc_policy(doc: &str) -> Option<ResidencyPolicy> {
    let start = doc.find("```yaml\n# deadbolt.yaml\n")? + "```yaml\n".len();
    let end = start + doc[start..].find("```")?;
    let catalog = deadbolt_srm::Catalog::builtin().expect("the built-in catalog loads");
    let file: std::sync::Arc<str> = "deadbolt.yaml".into();
    let stack = deadbolt_srm::stack::parse(&file, &doc[start..end], catalog)
        .unwrap_or_else(|d| panic!("the documented deadbolt.yaml: {d:?}"));
    policy_of(stack)
}

fn with_policy(mut model: Model, policy: Option<ResidencyPolicy>) -> Model {
    model.set_residency(policy);
    model
}

fn run(rule_id: &str, path: &Path) -> deadbolt_rules::Evaluation {
    let mut loaded = deadbolt_sources::load(path, &deadbolt_sources::Options::default());
    loaded.model = with_policy(loaded.model, fixture_policy(rule_id));
    assert!(
        loaded.diagnostics.is_empty(),
        "{}: diagnostics {:?}",
        path.display(),
        loaded.diagnostics
    );
    let rule = registry::by_id(rule_id).expect("registered");
    let selection = Selection {
        select: vec![rule_id.to_string()],
        skip: Vec::new(),
    };
    evaluate(&loaded.model, &[rule], &selection, &registry::ids())
}

#[test]
fn every_rule_fails_its_fail_fixture_and_passes_its_pass_fixture() {
    let mut problems = Vec::new();
    for rule in registry::all() {
        let id = rule.meta().id;
        let fails = fixture_files(id, "fail");
        let passes = fixture_files(id, "pass");
        if fails.is_empty() || passes.is_empty() {
            problems.push(format!("{id}: needs both fail.* and pass.* fixtures"));
            continue;
        }
        for path in &fails {
            let eval = run(id, path);
            if eval.findings.is_empty() {
                problems.push(format!("{id}: {} produced no finding", path.display()));
                continue;
            }
            let fixtures = fixtures_dir();
            let text: String = eval
                .findings
                .iter()
                .map(|f| {
                    let file = Path::new(&*f.span.file);
                    let rel = file
                        .strip_prefix(&fixtures)
                        .unwrap_or(file)
                        .display()
                        .to_string();
                    format!(
                        "{} {} {}:{}:{} {}\n",
                        f.rule.id,
                        f.address,
                        rel,
                        f.span.start.line,
                        f.span.start.column,
                        f.message
                    )
                })
                .collect();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            insta::assert_snapshot!(format!("{id}-fail-{ext}"), text);
        }
        for path in &passes {
            let eval = run(id, path);
            if !eval.findings.is_empty() {
                problems.push(format!(
                    "{id}: {} produced findings: {:?}",
                    path.display(),
                    eval.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
                ));
            }
            if eval.passed == 0 {
                problems.push(format!(
                    "{id}: {} produced no pass (not evaluated: {:?})",
                    path.display(),
                    eval.not_evaluated
                        .iter()
                        .map(|n| n.reason.to_string())
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_documents_what_why_examples_fix_and_references() {
    let mut problems = Vec::new();
    for rule in registry::all() {
        let m = rule.meta();
        let doc = m.documentation();
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Failing example",
            "## Passing example",
            "## Fix",
            "## References",
        ] {
            if !doc.contains(section) {
                problems.push(format!("{}: documentation lacks `{section}`", m.id));
            }
        }
        if m.service_models.is_empty() {
            problems.push(format!("{}: no service model", m.id));
        }
        if m.references.nist_csf_2.is_empty() || m.references.nist_800_53.is_empty() {
            problems.push(format!(
                "{}: needs NIST CSF 2.0 and SP 800-53 references",
                m.id
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rule_ids_and_names_are_unique_and_well_formed() {
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    for rule in registry::all() {
        let m = rule.meta();
        assert!(ids.insert(m.id), "duplicate id {}", m.id);
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        let parts: Vec<&str> = m.id.split('-').collect();
        assert!(
            parts.len() == 3 && parts[2].len() == 3 && parts[2].chars().all(|c| c.is_ascii_digit()),
            "malformed id {}",
            m.id
        );
        assert!(
            m.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "name {} is not kebab-case",
            m.name
        );
    }
}

/// The first fenced `hcl`, `yaml` or `json` (account snapshot) block after `heading` in a rule's documentation, with the file
/// name it is loaded as.
fn doc_example(doc: &str, heading: &str) -> Option<(&'static str, String)> {
    let section = &doc[doc.find(heading)? + heading.len()..];
    let fence = section.find("```")?;
    let (name, lang) = if section[fence..].starts_with("```hcl") {
        ("example.tf", "```hcl")
    } else if section[fence..].starts_with("```yaml") {
        ("example.yaml", "```yaml")
    } else if section[fence..].starts_with("```json") {
        // Live-state rules document an account snapshot.
        ("example.json", "```json")
    } else {
        return None;
    };
    let start = fence + lang.len();
    let end = section[start..].find("```")?;
    Some((name, section[start..start + end].to_string()))
}

#[test]
fn every_rules_documented_examples_behave_as_documented() {
    let mut problems = Vec::new();
    for rule in registry::all() {
        let m = rule.meta();
        let doc = m.documentation();
        let selection = Selection {
            select: vec![m.id.to_string()],
            skip: Vec::new(),
        };
        for (heading, should_fail) in [("## Failing example", true), ("## Passing example", false)]
        {
            let Some((name, example)) = doc_example(&doc, heading) else {
                problems.push(format!(
                    "{}: no hcl, yaml or json block under {heading}",
                    m.id
                ));
                continue;
            };
            let mut loaded = deadbolt_sources::load_str(name, &example);
            loaded.model = with_policy(loaded.model, doc_policy(&doc));
            if !loaded.diagnostics.is_empty() {
                problems.push(format!(
                    "{}: {heading} does not parse: {:?}",
                    m.id, loaded.diagnostics
                ));
                continue;
            }
            let eval = evaluate(&loaded.model, &[*rule], &selection, &registry::ids());
            if should_fail && eval.findings.is_empty() {
                problems.push(format!("{}: the failing example produces no finding", m.id));
            }
            if !should_fail && !eval.findings.is_empty() {
                problems.push(format!(
                    "{}: the passing example fails: {:?}",
                    m.id,
                    eval.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
