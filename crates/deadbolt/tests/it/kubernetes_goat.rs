//! Real input: madhuakula/kubernetes-goat (../shared/corpus/kubernetes-goat) scans with no error;
//! the only warnings are its unrendered Helm chart templates, and the Kubernetes findings match a
//! reviewed snapshot.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use deadbolt_model::{Level, Provider};
use deadbolt_rules::{Selection, evaluate, registry};

use crate::repo;

fn goat() -> PathBuf {
    repo().join("../shared/corpus/kubernetes-goat")
}

fn load() -> deadbolt_sources::Loaded {
    deadbolt_sources::load(&goat(), &deadbolt_sources::Options::default())
}

#[test]
fn kubernetes_goat_scans_with_only_helm_templates_skipped() {
    let loaded = load();
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let warned: BTreeSet<&str> = loaded.diagnostics.iter().map(|d| &*d.file).collect();
    // Every file under a chart's `templates/` with Go template actions, and nothing else.
    let mut templates = BTreeSet::new();
    let root = goat();
    for entry in walk(&root) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        let in_chart_templates = entry.ancestors().any(|d| {
            d.file_name().is_some_and(|n| n == "templates")
                && d.parent().is_some_and(|c| c.join("Chart.yaml").is_file())
        });
        if in_chart_templates && text.contains("{{") {
            templates.insert(entry);
        }
    }
    assert!(!templates.is_empty(), "the goat has Helm charts");
    let templates: BTreeSet<String> = templates
        .iter()
        .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
        .collect();
    let warned: BTreeSet<String> = warned
        .iter()
        .map(|f| {
            let p = Path::new(f);
            p.strip_prefix(&root).unwrap_or(p).display().to_string()
        })
        .collect();
    assert_eq!(warned, templates);
    for d in &loaded.diagnostics {
        assert!(d.message.contains("Helm"), "{d}");
    }
    let k8s = loaded
        .model
        .resources()
        .iter()
        .filter(|r| r.meta().provider == Provider::Kubernetes)
        .count();
    assert!(k8s >= 30, "only {k8s} Kubernetes objects");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn kubernetes_goat_findings_match_the_reviewed_snapshot() {
    let loaded = load();
    let eval = evaluate(
        &loaded.model,
        registry::all(),
        &Selection::default(),
        &registry::ids(),
    );
    let root = goat();
    let text: String = eval
        .findings
        .iter()
        .filter(|f| f.rule.provider == Provider::Kubernetes)
        .map(|f| {
            let file = Path::new(&*f.span.file);
            let rel = file
                .strip_prefix(&root)
                .unwrap_or(file)
                .display()
                .to_string();
            format!(
                "{} {} {}:{} {}\n",
                f.rule.id, f.address, rel, f.span.start.line, f.message
            )
        })
        .collect();
    insta::assert_snapshot!("kubernetes-goat-findings", text);
}
