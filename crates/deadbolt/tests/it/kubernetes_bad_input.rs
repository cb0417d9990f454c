//! Hostile and malformed Kubernetes manifests: every problem is a diagnostic with the file and line,
//! nothing panics, and the well-formed objects of the same file are still judged.

use deadbolt_model::Level;
use deadbolt_rules::{Selection, evaluate, registry};

/// Loads `text` as `bad.yaml`, runs every rule, and returns the diagnostics (line, message) and
/// the IDs of the findings.
fn scan(text: &str) -> (Vec<(u32, String)>, Vec<&'static str>) {
    let loaded = deadbolt_sources::load_str("bad.yaml", text);
    let eval = evaluate(
        &loaded.model,
        registry::all(),
        &Selection::default(),
        &registry::ids(),
    );
    for d in &loaded.diagnostics {
        assert_eq!(&*d.file, "bad.yaml", "{d}");
    }
    let diagnostics = loaded
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.clone()))
        .collect();
    (
        diagnostics,
        eval.findings.iter().map(|f| f.rule.id).collect(),
    )
}

const PRIVILEGED_POD: &str = "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\n  namespace: apps\nspec:\n  containers:\n  - name: ok\n    image: busybox:1.36\n    securityContext:\n      privileged: true\n";

#[test]
fn containers_that_are_not_a_list_are_reported_at_their_line() {
    let text = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: five\nspec:\n  containers: 5\n{PRIVILEGED_POD}"
    );
    let (diagnostics, findings) = scan(&text);
    assert!(
        diagnostics
            .iter()
            .any(|(line, m)| *line == 6 && m.contains("spec.containers")),
        "{diagnostics:?}"
    );
    assert!(
        findings.contains(&"K8S-POD-001"),
        "the good Pod is still judged"
    );
}

#[test]
fn a_pod_without_spec_is_reported() {
    let (diagnostics, _) = scan("apiVersion: v1\nkind: Pod\nmetadata:\n  name: empty\n");
    assert!(
        diagnostics
            .iter()
            .any(|(line, m)| *line == 1 && m.contains("no `spec`")),
        "{diagnostics:?}"
    );
}

#[test]
fn junk_list_items_are_reported_and_good_items_kept() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- 42\n- just text\n- {kind: Pod}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: ok, namespace: apps}\n  spec:\n    containers:\n    - name: ok\n      image: busybox:1.36\n      securityContext: {privileged: true}\n";
    let (diagnostics, findings) = scan(text);
    let lines: Vec<u32> = diagnostics.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [4, 5, 6], "{diagnostics:?}");
    assert!(findings.contains(&"K8S-POD-001"));
    let (diagnostics, _) = scan("apiVersion: v1\nkind: List\nitems: {a: 1}\n");
    assert!(
        diagnostics
            .iter()
            .any(|(line, m)| *line == 3 && m.contains("`items` should be a list")),
        "{diagnostics:?}"
    );
}

#[test]
fn every_field_of_the_wrong_shape_is_reported_without_a_panic() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: odd, namespace: apps, annotations: [1]}\nspec:\n  template:\n    spec:\n      hostNetwork: maybe\n      securityContext: text\n      volumes: {a: 1}\n      containers:\n      - 7\n      - name: c\n        image: [a, b]\n        securityContext:\n          privileged: [true]\n          capabilities: {add: NET_ADMIN, drop: {x: 1}}\n        resources: {limits: 3}\n        env: 4\n        ports: [{hostPort: high}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: [x]\nsubjects: 1\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules: [1, {verbs: {a: b}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: apps}\nspec: {type: [LoadBalancer], ports: 80}\n";
    let (diagnostics, _) = scan(text);
    let lines: Vec<u32> = diagnostics.iter().map(|(l, _)| *l).collect();
    for line in [3, 7, 8, 9, 11, 13, 15, 16, 17, 18, 19, 24, 25, 30, 35] {
        assert!(
            lines.contains(&line),
            "no diagnostic at line {line}: {diagnostics:?}"
        );
    }
}

#[test]
fn deep_nesting_is_an_error_or_ignored_never_a_crash() {
    // Deep but legal nesting in a field deadbolt does not read.
    let deep = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: deep}}\ndata:\n  x: {}1{}\n",
        "[".repeat(100),
        "]".repeat(100)
    );
    let (diagnostics, _) = scan(&deep);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    // Deeper than the parser allows: one error, with its line.
    let deeper = format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: deeper}}\nspec: {}1{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let loaded = deadbolt_sources::load_str("bad.yaml", &deeper);
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.level == Level::Error && d.line == 4),
        "{:?}",
        loaded.diagnostics
    );
    // Lists nested in Lists.
    let mut nested = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {containers: [{name: c, image: i}]}\n",
    );
    for _ in 0..8 {
        let indented: String = nested
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    format!("- {l}\n")
                } else {
                    format!("  {l}\n")
                }
            })
            .collect();
        nested = format!("apiVersion: v1\nkind: List\nitems:\n{indented}");
    }
    let (diagnostics, _) = scan(&nested);
    assert!(
        diagnostics
            .iter()
            .any(|(_, m)| m.contains("nested too deeply")),
        "{diagnostics:?}"
    );
}

#[test]
fn annotation_and_comment_suppressions_silence_findings_and_stale_ones_are_reported() {
    let text = "# deadbolt:ignore[K8S-POD-003] node exporter needs the host network\napiVersion: v1\nkind: Pod\nmetadata:\n  name: exporter\n  namespace: monitoring\n  annotations:\n    deadbolt.dev/ignore: \"K8S-POD-001, K8S-POD-019 reviewed in SEC-42\"\nspec:\n  hostNetwork: true\n  containers:\n  - name: exporter\n    image: exporter:1.0\n    securityContext:\n      privileged: true\n";
    let loaded = deadbolt_sources::load_str("s.yaml", text);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let eval = evaluate(
        &loaded.model,
        registry::all(),
        &Selection::default(),
        &registry::ids(),
    );
    let suppressed: Vec<_> = eval.suppressed.iter().map(|f| f.rule.id).collect();
    assert!(suppressed.contains(&"K8S-POD-001") && suppressed.contains(&"K8S-POD-003"));
    assert!(!eval.findings.iter().any(|f| f.rule.id == "K8S-POD-001"));
    let unused: Vec<_> = eval
        .unused_suppressions
        .iter()
        .map(|u| u.suppression.rule_id.as_str())
        .collect();
    assert_eq!(unused, ["K8S-POD-019"], "no hostPort in the pod");
}
