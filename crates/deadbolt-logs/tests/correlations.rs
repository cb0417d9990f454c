//! Sigma 2.0 correlations beyond counting, through the engine: `aliases`, `temporal` and
//! `temporal_ordered`, with rules written for these tests; and how `--emit-sql` treats them.

use std::sync::Arc;

use deadbolt_logs::sql::{self, Dialect, Fidelity};
use deadbolt_logs::{Alert, Engine, Window, detection};
use serde_json::{Value, json};

mod common;

const HEAD: &str = "logsource: {product: aws, service: cloudtrail}\n";

/// A key made for another user, then that user calling AWS within the hour: `aliases` line up the
/// created key's user (`requestParameters.userName`) with the caller (`userIdentity.userName`).
fn key_then_use(kind: &str) -> String {
    format!(
        "title: access key created\nname: key_created\n{HEAD}detection: {{s: {{eventName: CreateAccessKey}}, condition: s}}\n---\n\
title: user calls AWS\nname: user_call\n{HEAD}detection: {{s: {{userIdentity.type: IAMUser}}, condition: s}}\n---\n\
title: a new key used at once\nid: KEY-USED\ncorrelation:\n  type: {kind}\n  rules: [key_created, user_call]\n  group-by: [target_user]\n  timespan: 1h\n  aliases:\n    target_user:\n      key_created: requestParameters.userName\n      user_call: userIdentity.userName\nlevel: high\n"
    )
}

fn engine(text: &str) -> Engine {
    let mut diags = Vec::new();
    let detections = detection::from_text(&Arc::from("rules.yml"), text, false, &mut diags);
    let engine = Engine::new(detections, &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    engine
}

fn errors(text: &str) -> Vec<(u32, String)> {
    let mut diags = Vec::new();
    let detections = detection::from_text(&Arc::from("rules.yml"), text, false, &mut diags);
    let _ = Engine::new(detections, &mut diags);
    diags.into_iter().map(|d| (d.line, d.message)).collect()
}

fn run(engine: &Engine, events: &[Value]) -> Vec<Alert> {
    let texts: Vec<String> = events.iter().map(Value::to_string).collect();
    let (alerts, diags) = common::replay(engine, &texts, Window::default(), "events");
    assert!(diags.is_empty(), "{diags:#?}");
    alerts
}

fn create_key(time: &str, admin: &str, user: &str) -> Value {
    json!({"eventTime": time, "eventSource": "iam.amazonaws.com", "eventName": "CreateAccessKey",
        "eventID": format!("create-{user}-{time}"),
        "userIdentity": {"type": "IAMUser", "userName": admin},
        "requestParameters": {"userName": user}})
}

fn call(time: &str, user: &str) -> Value {
    json!({"eventTime": time, "eventSource": "s3.amazonaws.com", "eventName": "ListBuckets",
        "eventID": format!("call-{user}-{time}"),
        "userIdentity": {"type": "IAMUser", "userName": user}})
}

fn fired(alerts: &[Alert], id: &str) -> usize {
    alerts.iter().filter(|a| a.detection == id).count()
}

#[test]
fn aliases_group_different_fields_of_different_rules() {
    let engine = engine(&key_then_use("temporal"));
    // The admin's own calls are IAMUser calls too, but grouped under the admin's name: only the
    // key's user calling makes the group of "mallory" complete.
    let alerts = run(
        &engine,
        &[
            create_key("2026-11-29T10:00:00Z", "admin", "mallory"),
            call("2026-11-29T10:20:00Z", "mallory"),
        ],
    );
    assert_eq!(fired(&alerts, "KEY-USED"), 1, "{alerts:#?}");
    assert!(
        alerts[0]
            .explanation
            .as_deref()
            .is_some_and(|e| e.contains("by the same target_user")),
        "{alerts:#?}"
    );
    // Another user calling is another group.
    let alerts = run(
        &engine,
        &[
            create_key("2026-11-29T10:00:00Z", "admin", "mallory"),
            call("2026-11-29T10:20:00Z", "alice"),
        ],
    );
    assert_eq!(fired(&alerts, "KEY-USED"), 0, "{alerts:#?}");
}

#[test]
fn temporal_is_any_order_and_temporal_ordered_is_the_listed_order() {
    let before = [
        call("2026-11-29T09:50:00Z", "mallory"),
        create_key("2026-11-29T10:00:00Z", "admin", "mallory"),
    ];
    let after = [
        create_key("2026-11-29T10:00:00Z", "admin", "mallory"),
        call("2026-11-29T10:50:00Z", "mallory"),
    ];
    let any = engine(&key_then_use("temporal"));
    let ordered = engine(&key_then_use("temporal_ordered"));
    assert_eq!(fired(&run(&any, &before), "KEY-USED"), 1);
    assert_eq!(fired(&run(&any, &after), "KEY-USED"), 1);
    assert_eq!(fired(&run(&ordered, &before), "KEY-USED"), 0);
    assert_eq!(fired(&run(&ordered, &after), "KEY-USED"), 1);
    // Order in time, not in the file: the same records read newest first still fire.
    let reversed: Vec<Value> = after.iter().rev().cloned().collect();
    assert_eq!(fired(&run(&ordered, &reversed), "KEY-USED"), 1);
    // More than the timespan apart: neither.
    let late = [
        create_key("2026-11-29T10:00:00Z", "admin", "mallory"),
        call("2026-11-29T11:00:01Z", "mallory"),
    ];
    assert_eq!(fired(&run(&any, &late), "KEY-USED"), 0);
    assert_eq!(fired(&run(&ordered, &late), "KEY-USED"), 0);
}

#[test]
fn temporal_with_a_count_of_rules() {
    // Two of three ways of blinding the logs, by one principal within ten minutes.
    let text = format!(
        "title: stop\nname: stop\n{HEAD}detection: {{s: {{eventName: StopLogging}}, condition: s}}\n---\n\
title: flow\nname: flow\n{HEAD}detection: {{s: {{eventName: DeleteFlowLogs}}, condition: s}}\n---\n\
title: selectors\nname: selectors\n{HEAD}detection: {{s: {{eventName: PutEventSelectors}}, condition: s}}\n---\n\
title: blinding\nid: BLIND\ncorrelation:\n  type: temporal\n  rules: [stop, flow, selectors]\n  group-by: [userIdentity.arn]\n  timespan: 10m\n  condition: {{gte: 2}}\n"
    );
    let engine = engine(&text);
    let ev = |name: &str, time: &str, who: &str| {
        json!({"eventTime": time, "eventSource": "x.amazonaws.com", "eventName": name,
            "eventID": format!("{name}-{time}"), "userIdentity": {"arn": who}})
    };
    let two = [
        ev("DeleteFlowLogs", "2026-11-29T10:05:00Z", "m"),
        ev("StopLogging", "2026-11-29T10:00:00Z", "m"),
    ];
    let alerts = run(&engine, &two);
    assert_eq!(fired(&alerts, "BLIND"), 1);
    assert_eq!(
        alerts[0].explanation.as_deref(),
        Some("2 of stop, flow, selectors within 10m by the same userIdentity.arn")
    );
    // The same rule twice, or two principals, is not two of the three.
    let same = [
        ev("StopLogging", "2026-11-29T10:00:00Z", "m"),
        ev("StopLogging", "2026-11-29T10:01:00Z", "m"),
        ev("DeleteFlowLogs", "2026-11-29T10:02:00Z", "n"),
    ];
    assert_eq!(fired(&run(&engine, &same), "BLIND"), 0);
}

#[test]
fn malformed_temporal_rules_and_aliases_name_their_line() {
    let base = format!(
        "title: a\nname: a\n{HEAD}detection: {{s: {{eventName: A}}, condition: s}}\n---\n\
title: b\nname: b\n{HEAD}detection: {{s: {{eventName: B}}, condition: s}}\n---\n"
    );
    let cases = [
        (
            "correlation:\n  type: temporal_ordered\n  rules: [a, b]\n  timespan: 5m\n  condition: {gte: 1}\n",
            "every rule, in order",
        ),
        (
            "correlation:\n  type: temporal\n  rules: [a, b]\n  timespan: 5m\n  condition: {gte: 3}\n",
            "names 2",
        ),
        (
            "correlation:\n  type: temporal\n  rules: [a, b]\n  group-by: [u]\n  timespan: 5m\n  aliases:\n    u:\n      a: x.y\n      c: x.z\n",
            "not in the correlation's `rules`",
        ),
        (
            "correlation:\n  type: temporal\n  rules: [a, b]\n  group-by: [u]\n  timespan: 5m\n  aliases:\n    u:\n      a: x.y\n",
            "gives no field for rule \"b\"",
        ),
        (
            "correlation:\n  type: temporal\n  rules: [a, b]\n  group-by: [u]\n  timespan: 5m\n  aliases:\n    v: {a: x, b: y}\n",
            "not used in `group-by`",
        ),
        (
            "correlation:\n  type: temporal\n  rules: [a, b]\n  group-by: [u]\n  timespan: 5m\n  aliases: [u]\n",
            "must be a mapping",
        ),
        (
            "correlation:\n  type: event_count\n  rules: [a, b]\n  timespan: 5m\n",
            "no `condition`",
        ),
    ];
    let many: String = (0..10_000).map(|i| format!("r{i}, ")).collect();
    let too_many_rules = format!(
        "correlation:\n  type: temporal\n  rules: [{many}a]\n  group-by: [{many}u]\n  timespan: 5m\n"
    );
    let cases: Vec<(&str, &str)> = cases
        .into_iter()
        .chain([(too_many_rules.as_str(), "at most 100 rules")])
        .collect();
    for (correlation, says) in cases {
        let text = format!("{base}title: c\n{correlation}");
        let errors = errors(&text);
        assert_eq!(errors.len(), 1, "{says}: {errors:?}");
        assert!(errors[0].1.contains(says), "{says}: {:?}", errors[0]);
        // The line is inside the correlation document (it starts at line 9).
        assert!(errors[0].0 >= 9, "{says}: {errors:?}");
    }
}

#[test]
fn sql_translates_aliases_and_temporal_and_says_temporal_ordered_is_not_expressible() {
    for dialect in [Dialect::Spark, Dialect::DuckDb, Dialect::DataFusion] {
        let queries = sql::compile(&engine(&key_then_use("temporal_ordered")), dialect);
        let q = queries
            .iter()
            .find(|q| q.detection == "KEY-USED")
            .expect("the correlation has a query entry");
        assert!(q.sql.is_none());
        match &q.fidelity {
            Fidelity::NotExpressible(why) => {
                assert!(why.contains("temporal"), "{why}");
                assert!(why.contains("rules.yml"), "{why}");
            }
            other => panic!("{other:?}"),
        }
        let script = sql::script(&queries, dialect);
        assert!(
            script.contains("-- KEY-USED: a new key used at once\n-- not expressible:"),
            "{script}"
        );
    }
    // temporal counts the distinct rules of a window (the DataFusion and DuckDB comparisons in
    // deadbolt-lake run it on Stratus).
    let queries = sql::compile(&engine(&key_then_use("temporal")), Dialect::DuckDb);
    let sql = queries
        .iter()
        .find(|q| q.detection == "KEY-USED")
        .and_then(|q| q.sql.clone())
        .expect("a temporal correlation compiles");
    assert!(
        sql.contains("HAVING COUNT(DISTINCT member_rule) >= 2"),
        "{sql}"
    );
    // An alias in an event_count reads each rule's own field into one group column.
    let text = key_then_use("event_count")
        .replace("level: high\n", "  condition: {gte: 2}\nlevel: high\n");
    let queries = sql::compile(&engine(&text), Dialect::DuckDb);
    let sql = queries
        .iter()
        .find(|q| q.detection == "KEY-USED")
        .and_then(|q| q.sql.clone())
        .expect("an event_count with aliases compiles");
    assert_eq!(sql.matches("AS group_target_user").count(), 2, "{sql}");
    assert!(
        sql.contains("COALESCE(useridentity_username, '') AS group_target_user"),
        "{sql}"
    );
    assert!(
        sql.contains(r#"json_extract(requestparameters, '$."userName"')"#),
        "{sql}"
    );
}
