//! The DuckDB dialect against the stream engine on every Stratus Red Team record, run by DuckDB's
//! Python package: `DEADBOLT_DUCKDB_PYTHON` names a Python that can `import duckdb`, else
//! `~/.cache/deadbolt/venv-duckdb/bin/python` is used. `scripts/test.sh` installs it there (PyPI
//! `duckdb`, pinned); without it the test fails and says how to install it.
//!
//! The table goes to DuckDB as NDJSON (`Table::to_ndjson`), loaded with the dialect's own
//! `CREATE TABLE`; each query's rows come back as JSON and are compared as the DataFusion test
//! compares them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use deadbolt_lake::load;
use deadbolt_logs::sql::{self, Dialect, Fidelity};
use deadbolt_logs::{Engine, Limits, Window, detection};
use serde_json::Value;

const RUNNER: &str = r#"
import json, sys, duckdb
work = sys.argv[1]
con = duckdb.connect()
con.execute(open(work + "/create.sql").read())
con.execute("INSERT INTO cloudtrail_events SELECT * FROM read_json(?, format = 'newline_delimited', columns = " + open(work + "/columns.txt").read() + ")", [work + "/rows.ndjson"])
out = {}
for q in json.load(open(work + "/queries.json")):
    try:
        cur = con.execute(q["sql"])
        names = [d[0] for d in cur.description]
        out[q["detection"]] = {"rows": [dict(zip(names, [v if not isinstance(v, (list, tuple)) else list(v) for v in row])) for row in cur.fetchall()]}
    except Exception as e:
        out[q["detection"]] = {"error": str(e)}
json.dump(out, open(work + "/out.json", "w"), default=str)
"#;

fn python() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("DEADBOLT_DUCKDB_PYTHON").map(PathBuf::from),
        std::env::var_os("HOME")
            .map(|h| Path::new(&h).join(".cache/deadbolt/venv-duckdb/bin/python")),
    ];
    candidates.into_iter().flatten().find(|p| {
        Command::new(p)
            .args(["-c", "import duckdb"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn duckdb_raises_what_the_stream_engine_raises_on_stratus() {
    let python = python().expect(
        "no Python with the duckdb package: run scripts/test.sh (it installs one into ~/.cache/deadbolt/venv-duckdb) or set DEADBOLT_DUCKDB_PYTHON",
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/cloudtrail-stratus-red-team");
    let mut files: Vec<(PathBuf, Arc<str>)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let d = Arc::from(p.display().to_string());
            (p, d)
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 35);
    let mut diags = Vec::new();
    let mut detections = detection::builtin(&mut diags);
    detections.extend(detection::from_path(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules"),
        &mut diags,
    ));
    let engine = Engine::new(detections, &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");

    // The stream engine's alerts.
    let mut session = engine.session(Window::default());
    let mut record_diags = Vec::new();
    for (path, display) in &files {
        deadbolt_logs::read_file(
            path,
            display,
            &Limits::default(),
            &mut |record| session.record(&record, &mut record_diags, &mut |_| {}),
            &mut diags,
        );
    }
    diags.append(&mut record_diags);
    let (streamed, _) = session.finish(&mut diags);
    let (table, _) = load(&files, Window::default(), &Limits::default(), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");

    // DuckDB's.
    let work = tempfile::tempdir().unwrap();
    let queries = sql::compile(&engine, Dialect::DuckDb);
    let columns: Vec<String> = sql::COLUMNS
        .iter()
        .map(|c| {
            let ty = if c.kind == sql::ColumnType::BigInt {
                "BIGINT"
            } else {
                "VARCHAR"
            };
            format!("'{}': '{ty}'", c.name)
        })
        .collect();
    std::fs::write(
        work.path().join("columns.txt"),
        format!("{{{}}}", columns.join(", ")),
    )
    .unwrap();
    std::fs::write(
        work.path().join("create.sql"),
        sql::create_table(Dialect::DuckDb),
    )
    .unwrap();
    std::fs::write(work.path().join("rows.ndjson"), table.to_ndjson()).unwrap();
    let list: Vec<Value> = queries
        .iter()
        .filter_map(|q| {
            q.sql
                .as_ref()
                .map(|s| serde_json::json!({"detection": q.detection, "sql": s}))
        })
        .collect();
    std::fs::write(
        work.path().join("queries.json"),
        Value::Array(list).to_string(),
    )
    .unwrap();
    let status = Command::new(&python)
        .args(["-c", RUNNER])
        .arg(work.path())
        .status()
        .unwrap();
    assert!(status.success(), "the DuckDB runner failed");
    let out: BTreeMap<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(work.path().join("out.json")).unwrap())
            .unwrap();

    let mut problems = Vec::new();
    let text = |v: &Value| v.as_str().map(str::to_string);
    println!("| detection | fidelity | stream | duckdb |");
    println!("|---|---|---|---|");
    for q in &queries {
        if let Fidelity::NotExpressible(why) = &q.fidelity {
            println!("| {} | not expressible: {why} | | |", q.detection);
            continue;
        }
        let result = &out[&q.detection];
        if let Some(error) = result.get("error") {
            problems.push(format!("{}: DuckDB error {error}", q.detection));
            continue;
        }
        let rows = result["rows"].as_array().unwrap();
        let ours: Vec<_> = streamed
            .iter()
            .filter(|a| a.detection == q.detection)
            .collect();
        let fidelity = match &q.fidelity {
            Fidelity::Exact => "exact".to_string(),
            Fidelity::Approximate(why) => format!("approximate: {}", why.join("; ")),
            Fidelity::NotExpressible(_) => unreachable!(),
        };
        if q.correlation {
            let a: BTreeSet<Option<String>> =
                ours.iter().map(|a| a.principal.arn.clone()).collect();
            let b: BTreeSet<Option<String>> =
                rows.iter().map(|r| text(&r["principal_arn"])).collect();
            if a != b {
                problems.push(format!(
                    "{}: principals: stream {a:?}, duckdb {b:?}",
                    q.detection
                ));
            }
            println!(
                "| {} | {fidelity} | {} | {} |",
                q.detection,
                ours.len(),
                rows.len()
            );
        } else {
            let records: u64 = ours.iter().map(|a| a.records).sum();
            let capped = ours.iter().any(|a| a.records as usize > a.event_ids.len());
            let a: BTreeSet<String> = ours.iter().flat_map(|a| a.event_ids.clone()).collect();
            let b: BTreeSet<String> = rows.iter().filter_map(|r| text(&r["event_id"])).collect();
            let same =
                records == rows.len() as u64 && if capped { a.is_subset(&b) } else { a == b };
            if !same {
                problems.push(format!(
                    "{}: stream {records} records, duckdb {} rows; only in stream {:?}, only in duckdb {:?}",
                    q.detection,
                    rows.len(),
                    a.difference(&b).collect::<Vec<_>>(),
                    b.difference(&a).collect::<Vec<_>>()
                ));
            }
            println!(
                "| {} | {fidelity} | {records} | {} |",
                q.detection,
                rows.len()
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
