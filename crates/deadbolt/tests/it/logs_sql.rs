//! `deadbolt logs --emit-sql` and `--engine datafusion`.

use crate::{deadbolt, repo};

fn fixture_rules() -> String {
    repo()
        .join("crates/deadbolt-lake/tests/fixtures/rules")
        .display()
        .to_string()
}

#[cfg(feature = "lake")]
fn stratus() -> String {
    repo()
        .join("../shared/data/cloudtrail-stratus-red-team")
        .display()
        .to_string()
}

#[test]
fn emit_sql_prints_the_table_and_one_query_per_detection_without_logs() {
    let rules = fixture_rules();
    for dialect in ["spark", "duckdb", "datafusion"] {
        let out = deadbolt(&[
            "logs",
            "--no-builtin",
            "--rules",
            &rules,
            "--emit-sql",
            dialect,
        ]);
        assert_eq!(out.status.code(), Some(0), "{dialect}");
        let sql = String::from_utf8(out.stdout).unwrap();
        assert!(sql.contains("CREATE TABLE IF NOT EXISTS cloudtrail_events"));
        // 17 alerting fixture detections (a correlation's base rules raise nothing alone unless
        // the correlation generates them; one does).
        assert_eq!(sql.matches("AS detection_id").count(), 17, "{dialect}");
        let summary = String::from_utf8(out.stderr).unwrap();
        assert!(summary.contains("17 detections"), "{summary}");
    }
}

#[cfg(feature = "lake")]
#[test]
fn the_datafusion_engine_raises_the_stream_engines_alerts() {
    let rules = fixture_rules();
    let data = stratus();
    let run = |engine: &str| -> serde_json::Value {
        let out = deadbolt(&[
            "logs",
            &data,
            "--no-builtin",
            "--rules",
            &rules,
            "-f",
            "json",
            "--engine",
            engine,
        ]);
        assert_eq!(out.status.code(), Some(1), "{engine}: alerts exit 1");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let key = |report: &serde_json::Value| {
        let mut keys: Vec<(String, String, String, u64)> = report["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["explanation"].is_null())
            .map(|a| {
                (
                    a["detection"].as_str().unwrap().to_string(),
                    a["principal"]["arn"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    a["event_name"].as_str().unwrap_or_default().to_string(),
                    a["records"].as_u64().unwrap(),
                )
            })
            .collect();
        keys.sort();
        keys
    };
    let (stream, datafusion) = (run("stream"), run("datafusion"));
    assert_eq!(key(&stream), key(&datafusion));
    assert_eq!(
        stream["alerts"].as_array().unwrap().len(),
        datafusion["alerts"].as_array().unwrap().len()
    );
}
