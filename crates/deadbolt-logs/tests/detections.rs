//! Every built-in detection: it loads cleanly, carries its metadata, and its examples behave —
//! positives raise it, negatives do not. Every Stratus Red Team technique raises an alert.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use deadbolt_logs::{
    Alert, Detection, Engine, Example, Limits, Position, Record, Window, detection, read_file,
};

fn stratus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/cloudtrail-stratus-red-team")
}

fn engine() -> Engine {
    let mut diags = Vec::new();
    let detections = detection::builtin(&mut diags);
    assert!(
        diags.is_empty(),
        "built-in detections have problems:\n{diags:#?}"
    );
    let engine = Engine::new(detections, &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    engine
}

/// The alerts `engine` raises on one example.
fn alerts(engine: &Engine, example: &Example) -> Vec<Alert> {
    let mut session = engine.session(Window::default());
    let mut diags = Vec::new();
    let mut read_diags = Vec::new();
    match example {
        Example::Stratus(name) => {
            let path = stratus_dir().join(format!("{name}.json"));
            assert!(path.is_file(), "no Stratus file {}", path.display());
            let display: Arc<str> = Arc::from(path.display().to_string());
            read_file(
                &path,
                &display,
                &Limits::default(),
                &mut |record| session.record(&record, &mut diags, &mut |_| {}),
                &mut read_diags,
            );
        }
        Example::Events(events) => {
            let file: Arc<str> = Arc::from("example");
            for (index, event) in events.iter().enumerate() {
                let json = event.to_string();
                let record = Record {
                    file: &file,
                    position: Position {
                        line: 1,
                        index: index as u64,
                    },
                    json: &json,
                    header: None,
                };
                session.record(&record, &mut diags, &mut |_| {});
            }
        }
    }
    let (alerts, _) = session.finish(&mut diags);
    diags.extend(read_diags);
    // Most inline examples carry no eventTime; the review saying so is expected.
    diags.retain(|d| !d.message.contains("no valid eventTime"));
    assert!(diags.is_empty(), "{example:?}: {diags:#?}");
    alerts
}

#[test]
fn built_in_detections_carry_their_metadata() {
    let engine = engine();
    let detections = engine.detections();
    assert!(!detections.is_empty());
    let mut ids = BTreeSet::new();
    let mut problems = Vec::new();
    for d in detections {
        let id = &d.meta.id;
        if !ids.insert(id.clone()) {
            problems.push(format!("{id}: ID used twice"));
        }
        if !engine.alerting().any(|a| std::ptr::eq(a, d)) {
            // The base rule of a correlation raises nothing itself and needs no metadata.
            continue;
        }
        let file = d.rule.file.rsplit('/').next().unwrap_or_default();
        if !file.starts_with(id.as_str()) {
            problems.push(format!("{id}: file {file} should be named after the ID"));
        }
        if !(id.starts_with("CT-CIS-") || id.starts_with("CT-ATT-")) {
            problems.push(format!("{id}: IDs are CT-CIS-NN or CT-ATT-NNN"));
        }
        if d.meta.layer.is_none() {
            problems.push(format!("{id}: no duty from the catalog (so no layer)"));
        }
        if d.meta.next.as_deref().is_none_or(str::is_empty) {
            problems.push(format!("{id}: no next step"));
        }
        if d.rule.author.as_deref() != Some("deadbolt") {
            problems.push(format!("{id}: author should be deadbolt"));
        }
        if d.rule.techniques().is_empty() {
            problems.push(format!("{id}: no ATT&CK technique tag"));
        }
        if d.rule.description.is_none() || d.rule.references.is_empty() {
            problems.push(format!("{id}: needs a description and references"));
        }
        if d.meta.positive.is_empty() || d.meta.negative.is_empty() {
            problems.push(format!("{id}: needs positive and negative examples"));
        }
        if id.starts_with("CT-CIS-") && d.meta.cis.is_none() {
            problems.push(format!("{id}: a CIS detection names its CIS section"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_example_behaves() {
    let engine = engine();
    let mut problems = Vec::new();
    for d in engine.detections() {
        let raised = |example: &Example| {
            alerts(&engine, example)
                .iter()
                .any(|a| a.detection == d.meta.id)
        };
        for example in &d.meta.positive {
            if !raised(example) {
                problems.push(format!(
                    "{}: positive example does not raise it: {example:?}",
                    d.meta.id
                ));
            }
        }
        for example in &d.meta.negative {
            if raised(example) {
                problems.push(format!(
                    "{}: negative example raises it: {example:?}",
                    d.meta.id
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every technique in the shared Stratus Red Team records raises the detection written for it,
/// and the table of what fired is printed (`cargo test -- --nocapture` shows it).
#[test]
fn every_stratus_technique_raises_its_detection() {
    let engine = engine();
    let mut written_for: BTreeMap<String, Vec<&Detection>> = BTreeMap::new();
    for d in engine.detections() {
        for example in &d.meta.positive {
            if let Example::Stratus(name) = example {
                written_for.entry(name.clone()).or_default().push(d);
            }
        }
    }
    let mut files: Vec<String> = std::fs::read_dir(stratus_dir())
        .expect("../shared/data/cloudtrail-stratus-red-team is readable")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".json")
                .map(String::from)
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 35, "the shared data has 35 technique files");
    let mut missing = Vec::new();
    println!("| technique | detections written for it | all alerts raised |");
    println!("|---|---|---|");
    for name in &files {
        let raised = alerts(&engine, &Example::Stratus(name.clone()));
        let raised_ids: BTreeSet<&str> = raised.iter().map(|a| a.detection.as_str()).collect();
        let expected: Vec<&str> = written_for
            .get(name)
            .map(|ds| ds.iter().map(|d| d.meta.id.as_str()).collect())
            .unwrap_or_default();
        if expected.is_empty() || !expected.iter().any(|id| raised_ids.contains(id)) {
            missing.push(name.clone());
        }
        println!(
            "| {name} | {} | {} |",
            expected.join(", "),
            raised_ids.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    assert!(
        missing.is_empty(),
        "techniques without a firing detection: {missing:#?}"
    );
}

/// The header-level prefilter only skips what cannot match: on every Stratus record and every
/// example event, a detection that matches the full record also passes its prefilter.
#[test]
fn the_prefilter_never_hides_a_match() {
    let engine = engine();
    let mut records: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(stratus_dir()).expect("stratus") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read");
        let all: Vec<serde_json::Value> = serde_json::from_str(&text).expect("array");
        records.extend(all.iter().map(|r| r.to_string()));
    }
    for d in engine.detections() {
        for example in d.meta.positive.iter().chain(&d.meta.negative) {
            if let Example::Events(events) = example {
                records.extend(events.iter().map(|e| e.to_string()));
            }
        }
    }
    let mut checked = 0;
    for json in &records {
        let tree: serde_json::Value = serde_json::from_str(json).expect("json");
        let header: deadbolt_logs::event::Header = serde_json::from_str(json).expect("header");
        for d in engine.detections() {
            if d.rule.matches(&tree, json) {
                checked += 1;
                assert!(
                    d.rule.may_match(&header),
                    "{} matches but its prefilter says no: {json}",
                    d.meta.id
                );
            }
        }
    }
    assert!(checked > 100, "{checked} matches checked");
}

/// A user rule cannot take a built-in correlation's base rule by reusing its `name`.
#[test]
fn a_duplicate_rule_name_is_an_error_and_the_built_in_keeps_it() {
    let mut diags = Vec::new();
    let mut detections = detection::builtin(&mut diags);
    let file: Arc<str> = Arc::from("mine.yml");
    detections.extend(detection::from_text(
        &file,
        "title: mine\nname: secretsmanager_get_secret_value\nlogsource: {product: aws, service: cloudtrail}\ndetection: {s: {eventName: ListBuckets}, condition: s}\n",
        false,
        &mut diags,
    ));
    let engine = Engine::new(detections, &mut diags);
    assert!(
        diags
            .iter()
            .any(|d| &*d.file == "mine.yml" && d.message.contains("already names")),
        "{diags:#?}"
    );
    let raised = alerts(
        &engine,
        &Example::Stratus("aws.credential-access.secretsmanager-retrieve-secrets".into()),
    );
    assert!(raised.iter().any(|a| a.detection == "CT-ATT-005"));
}
