//! Every built-in detection: it loads cleanly, carries its metadata, and its examples behave —
//! positives raise it, negatives do not. Every Stratus Red Team technique raises an alert.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use deadbolt_logs::{Alert, Detection, Engine, Example, Limits, Window, detection, read_file};

mod common;

use common::{stratus_dir, stratus_names};

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
    let (alerts, mut diags) = match example {
        Example::Stratus(name) => {
            let mut session = engine.session(Window::default());
            let mut diags = Vec::new();
            let mut read_diags = Vec::new();
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
            let (alerts, _) = session.finish(&mut diags);
            diags.extend(read_diags);
            (alerts, diags)
        }
        Example::Events(events) => {
            let texts: Vec<String> = events.iter().map(|e| e.to_string()).collect();
            common::replay(engine, &texts, Window::default(), "example")
        }
    };
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
    let files = stratus_names();
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

/// The records of one Stratus file, in the file's order.
fn stratus_records(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(stratus_dir().join(format!("{name}.json"))).expect("read");
    let all: Vec<serde_json::Value> = serde_json::from_str(&text).expect("array");
    all.iter().map(|r| r.to_string()).collect()
}

fn time_of(json: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(json).expect("json");
    v["eventTime"].as_str().unwrap_or_default().to_string()
}

/// Runs `engine` over `records` in the order given; the alerts and the diagnostics' messages.
fn run(engine: &Engine, records: &[String], window: Window) -> (Vec<Alert>, Vec<String>) {
    let (alerts, diags) = common::replay(engine, records, window, "ordered");
    (alerts, diags.into_iter().map(|d| d.message).collect())
}

/// What must not depend on the order of the records: which detection fired, for a single-record
/// detection for whom, how many records it merged and (when it lists them all) which. A
/// correlation's evidence is the latest records by arrival, and a list cut at 20 the first, so
/// those may differ.
fn outcome(alerts: &[Alert]) -> Vec<(String, String, u64, Vec<String>)> {
    let mut out: Vec<_> = alerts
        .iter()
        .map(|a| {
            let single = a.explanation.is_none();
            let mut ids = if single && a.records as usize == a.event_ids.len() {
                a.event_ids.clone()
            } else {
                Vec::new()
            };
            ids.sort();
            // A correlation's alert shows the record that completed its window, which may be
            // another principal of the same group (CT-ATT-002 groups by address and agent).
            let principal = if single {
                a.principal.arn.clone().unwrap_or_default()
            } else {
                String::new()
            };
            (
                a.detection.clone(),
                principal,
                if single { a.records } else { 0 },
                ids,
            )
        })
        .collect();
    out.sort();
    out
}

/// A deterministic shuffle (xorshift), so a failure can be replayed.
fn shuffled(records: &[String], seed: u64) -> Vec<String> {
    let mut out = records.to_vec();
    let mut state = seed.max(1);
    for i in (1..out.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.swap(i, (state % (i as u64 + 1)) as usize);
    }
    out
}

/// Each Stratus technique's records give the same alerts in time order, reversed (a newest-first
/// export) and shuffled; the correlations among them (CT-ATT-005 and the rest) are in that.
#[test]
fn stratus_alerts_do_not_depend_on_record_order() {
    let engine = engine();
    let mut correlations_seen = BTreeSet::new();
    for name in stratus_names() {
        let mut records = stratus_records(&name);
        records.sort_by_cached_key(|r| time_of(r));
        let (in_order, diags) = run(&engine, &records, Window::default());
        assert!(diags.is_empty(), "{name}: {diags:#?}");
        let expected = outcome(&in_order);
        correlations_seen.extend(
            in_order
                .iter()
                .filter(|a| a.explanation.is_some())
                .map(|a| a.detection.clone()),
        );
        let mut reversed = records.clone();
        reversed.reverse();
        let mut orders = vec![("reversed".to_string(), reversed)];
        for seed in 1..=5 {
            orders.push((format!("shuffle {seed}"), shuffled(&records, seed)));
        }
        for (how, order) in orders {
            let (alerts, diags) = run(&engine, &order, Window::default());
            assert!(diags.is_empty(), "{name} {how}: {diags:#?}");
            assert_eq!(outcome(&alerts), expected, "{name} {how}");
        }
    }
    // The correlations written for Stratus techniques are all in the comparison.
    for id in [
        "CT-ATT-001",
        "CT-ATT-002",
        "CT-ATT-005",
        "CT-ATT-006",
        "CT-ATT-012",
        "CT-ATT-016",
        "CT-ATT-022",
    ] {
        assert!(
            correlations_seen.contains(id),
            "{id} fired on no Stratus file: {correlations_seen:?}"
        );
    }
}

/// All the Stratus records at once (four months of them): reversed, or shuffled as a whole, they
/// give the in-order alerts. The horizon is per group, and a correlation's groups here are each a
/// few minutes long, so months between files do not make anything late.
#[test]
fn all_stratus_records_at_once_in_any_order() {
    let engine = engine();
    let mut records: Vec<String> = stratus_names()
        .iter()
        .flat_map(|n| stratus_records(n))
        .collect();
    records.sort_by_cached_key(|r| time_of(r));
    let (in_order, diags) = run(&engine, &records, Window::default());
    assert!(diags.is_empty(), "{diags:#?}");
    let expected = outcome(&in_order);
    let mut reversed = records.clone();
    reversed.reverse();
    let mut orders = vec![("reversed".to_string(), reversed)];
    for seed in [7, 11, 13] {
        orders.push((format!("shuffle {seed}"), shuffled(&records, seed)));
    }
    for (how, order) in orders {
        let (alerts, diags) = run(&engine, &order, Window::default());
        assert!(diags.is_empty(), "{how}: {diags:#?}");
        assert_eq!(outcome(&alerts), expected, "{how}");
    }
}

/// A newest-first principal: one GetSecretValue half an hour after the Stratus burst is read
/// first, then the burst. Every record of the burst is older than the first by more than
/// CT-ATT-005's ten-minute window, well within the lateness: the burst still fires.
#[test]
fn a_burst_read_after_a_newer_record_of_its_group_still_fires() {
    let engine = engine();
    let mut records = stratus_records("aws.credential-access.secretsmanager-retrieve-secrets");
    records.sort_by_cached_key(|r| time_of(r));
    let burst: Vec<serde_json::Value> = records
        .iter()
        .map(|r| serde_json::from_str(r).expect("json"))
        .collect();
    let principal = burst
        .iter()
        .find(|r| r["eventName"] == "GetSecretValue")
        .map(|r| r["userIdentity"].clone())
        .expect("a GetSecretValue");
    let newer = serde_json::json!({
        "eventTime": "2024-07-31T13:06:52Z",
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": "GetSecretValue",
        "eventID": "newer",
        "userIdentity": principal,
        "requestParameters": {"secretId": "another"},
    });
    let (in_order, _) = run(&engine, &records, Window::default());
    assert!(in_order.iter().any(|a| a.detection == "CT-ATT-005"));
    let mut newest_first = vec![newer.to_string()];
    newest_first.extend(records.iter().rev().cloned());
    let (alerts, diags) = run(&engine, &newest_first, Window::default());
    assert!(diags.is_empty(), "{diags:#?}");
    assert!(
        alerts.iter().any(|a| a.detection == "CT-ATT-005"),
        "{alerts:#?}"
    );
    // With a lateness shorter than the gap, the burst is late and the review says so (naming
    // the horizon applied: the ten-minute timespan, longer than the one-minute lateness).
    let short = Window {
        lateness_ms: Some(60_000),
        ..Window::default()
    };
    let (alerts, diags) = run(&engine, &newest_first, short);
    assert!(!alerts.iter().any(|a| a.detection == "CT-ATT-005"));
    assert!(
        diags
            .iter()
            .any(|d| d.starts_with("CT-ATT-005: ") && d.contains("more than 10m older")),
        "{diags:#?}"
    );
}
