//! The DataFusion dialect against the stream engine on every Stratus Red Team record: the built-in
//! detections and the fixture rules (`tests/fixtures/rules`, which use every construct) must give
//! the same alerts.
//!
//! - Single-record detections: the same set of triggering event IDs per detection, and as many
//!   rows as the stream engine counted records (its alerts keep at most 20 IDs each).
//! - Correlations: the same (detection, principal) pairs. Their event IDs are printed, not
//!   compared: the stream engine keeps every match since the group started (at most 20), the SQL
//!   the events of the firing windows.
//! - Detections that are not expressible in DataFusion are listed; the list may not grow beyond
//!   [`NOT_EXPRESSIBLE_ALLOWED`].
#![cfg(feature = "datafusion")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use deadbolt_lake::engine::{self, Lake};
use deadbolt_lake::{Table, load};
use deadbolt_logs::sql::{self, Dialect, Fidelity};
use deadbolt_logs::{Alert, Detection, Engine, Limits, Position, Record, Window, detection};

/// Detections allowed to have no DataFusion query, with why. Empty: every built-in detection and
/// fixture rule compiles.
const NOT_EXPRESSIBLE_ALLOWED: &[&str] = &[];

fn stratus_files() -> Vec<(PathBuf, Arc<str>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/cloudtrail-stratus-red-team");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("../shared/data/cloudtrail-stratus-red-team is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let display = Arc::from(p.display().to_string());
            (p, display)
        })
        .collect()
}

fn detections() -> Vec<Detection> {
    let mut diags = Vec::new();
    let mut all = detection::builtin(&mut diags);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let before = all.len();
    all.extend(detection::from_path(&fixtures, &mut diags));
    assert!(all.len() > before + 10, "the fixture rules load");
    assert!(diags.is_empty(), "{diags:#?}");
    all
}

fn stream(engine: &Engine, files: &[(PathBuf, Arc<str>)]) -> Vec<Alert> {
    let mut session = engine.session(Window::default());
    let mut diags = Vec::new();
    let mut record_diags = Vec::new();
    for (path, display) in files {
        deadbolt_logs::read_file(
            path,
            display,
            &Limits::default(),
            &mut |record| session.record(&record, &mut record_diags, &mut |_| {}),
            &mut diags,
        );
    }
    let (alerts, _) = session.finish(&mut diags);
    diags.extend(record_diags);
    assert!(diags.is_empty(), "{diags:#?}");
    alerts
}

#[test]
fn datafusion_raises_what_the_stream_engine_raises_on_stratus() {
    let files = stratus_files();
    assert_eq!(files.len(), 35, "the shared data has 35 technique files");
    let mut diags = Vec::new();
    let engine = Engine::new(detections(), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");

    let streamed = stream(&engine, &files);
    let (table, loaded) = load(&files, Window::default(), &Limits::default(), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(table.len() as u64, loaded.stats.events);

    let outcome = engine::run(&engine, table, 2).expect("every DataFusion query runs");
    let not_expressible = engine::not_expressible(&outcome.queries);
    for (id, why) in &not_expressible {
        println!("not expressible: {id}: {why}");
    }
    let unexpected: Vec<_> = not_expressible
        .iter()
        .filter(|(id, _)| !NOT_EXPRESSIBLE_ALLOWED.contains(id))
        .collect();
    assert!(
        unexpected.is_empty(),
        "detections newly not expressible in DataFusion: {unexpected:#?}"
    );

    let mut problems = Vec::new();
    println!("| detection | kind | fidelity | stream | datafusion |");
    println!("|---|---|---|---|---|");
    for q in &outcome.queries {
        let fidelity = match &q.fidelity {
            Fidelity::Exact => "exact".to_string(),
            Fidelity::Approximate(why) => format!("approximate ({})", why.join("; ")),
            Fidelity::NotExpressible(_) => continue,
        };
        let ours: Vec<&Alert> = streamed
            .iter()
            .filter(|a| a.detection == q.detection)
            .collect();
        let rows: Vec<&engine::Row> = outcome
            .rows
            .iter()
            .filter(|r| r.detection == q.detection)
            .collect();
        if q.correlation {
            let stream_keys: BTreeSet<Option<&str>> =
                ours.iter().map(|a| a.principal.arn.as_deref()).collect();
            let sql_keys: BTreeSet<Option<&str>> =
                rows.iter().map(|r| r.principal_arn.as_deref()).collect();
            if stream_keys != sql_keys {
                problems.push(format!(
                    "{}: principals differ: stream {stream_keys:?}, datafusion {sql_keys:?}",
                    q.detection
                ));
            }
            println!(
                "| {} | correlation | {fidelity} | {} alert(s) {:?} | {} row(s) {:?} |",
                q.detection,
                ours.len(),
                ours.iter().map(|a| a.event_ids.len()).collect::<Vec<_>>(),
                rows.len(),
                rows.iter().map(|r| r.event_ids.len()).collect::<Vec<_>>()
            );
        } else {
            let stream_ids: BTreeSet<&str> = ours
                .iter()
                .flat_map(|a| a.event_ids.iter().map(String::as_str))
                .collect();
            let stream_records: u64 = ours.iter().map(|a| a.records).sum();
            let capped = ours.iter().any(|a| a.records as usize > a.event_ids.len());
            let sql_ids: BTreeSet<&str> =
                rows.iter().filter_map(|r| r.event_id.as_deref()).collect();
            let same = if capped {
                stream_ids.is_subset(&sql_ids) && stream_records == rows.len() as u64
            } else {
                stream_ids == sql_ids && stream_records == rows.len() as u64
            };
            if !same {
                problems.push(format!(
                    "{}: stream {stream_records} records {:?}, datafusion {} rows; only in stream {:?}, only in datafusion {:?}",
                    q.detection,
                    stream_ids.len(),
                    rows.len(),
                    stream_ids.difference(&sql_ids).collect::<Vec<_>>(),
                    sql_ids.difference(&stream_ids).collect::<Vec<_>>()
                ));
            }
            println!(
                "| {} | single | {fidelity} | {stream_records} | {} |",
                q.detection,
                rows.len()
            );
        }
    }
    // No alert of the stream engine may come from a detection without a query.
    let queried: BTreeSet<&str> = outcome
        .queries
        .iter()
        .filter(|q| q.sql.is_some())
        .map(|q| q.detection.as_str())
        .collect();
    for a in &streamed {
        if !queried.contains(a.detection.as_str())
            && !not_expressible.iter().any(|(id, _)| *id == a.detection)
        {
            problems.push(format!("{}: alert with no query", a.detection));
        }
    }
    // The merged alerts agree too, in number per detection.
    let count = |alerts: &[Alert]| -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for a in alerts {
            *m.entry(a.detection.clone()).or_default() += 1;
        }
        m
    };
    let (stream_counts, sql_counts) = (count(&streamed), count(&outcome.alerts));
    if stream_counts != sql_counts {
        problems.push(format!(
            "alerts per detection differ: stream {stream_counts:?}, datafusion {sql_counts:?}"
        ));
    }
    let fired: usize = stream_counts.len();
    assert!(fired >= 10, "only {fired} detections fired on Stratus");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every example record of every detection: its DataFusion query returns rows exactly when the
/// stream engine raises it.
#[test]
fn examples_agree() {
    let mut diags = Vec::new();
    let engine = Engine::new(detections(), &mut diags);
    let queries = sql::compile(&engine, Dialect::DataFusion);
    let mut problems = Vec::new();
    let mut checked = 0;
    for d in engine.alerting() {
        let Some(query) = queries
            .iter()
            .find(|q| q.detection == d.meta.id)
            .and_then(|q| q.sql.as_ref())
        else {
            continue;
        };
        for (positive, example) in d
            .meta
            .positive
            .iter()
            .map(|e| (true, e))
            .chain(d.meta.negative.iter().map(|e| (false, e)))
        {
            let deadbolt_logs::Example::Events(events) = example else {
                continue;
            };
            let file: Arc<str> = Arc::from("example");
            let mut session = engine.session(Window::default());
            let mut table = Table::new();
            let mut d2 = Vec::new();
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
                session.record(&record, &mut d2, &mut |e| table.push(e));
            }
            let (alerts, _) = session.finish(&mut d2);
            let stream = alerts.iter().any(|a| a.detection == d.meta.id);
            let lake = Lake::new(&table, 1).expect("session");
            let rows = lake
                .rows(query)
                .unwrap_or_else(|e| panic!("{}: {e}", d.meta.id));
            let datafusion = !rows.is_empty();
            if stream != datafusion || stream != positive {
                problems.push(format!(
                    "{}: {} example {events:?}: stream {stream}, datafusion {} row(s)",
                    d.meta.id,
                    if positive { "positive" } else { "negative" },
                    rows.len()
                ));
            }
            checked += 1;
        }
    }
    println!("{checked} examples checked");
    assert!(checked > 100, "only {checked} examples");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every query of every dialect is printed by the compiler and parses (Spark with sqlparser's
/// Databricks dialect, DuckDB with its DuckDB dialect: a syntax check, not a run), and the DataFusion
/// ones plan and run on an empty table.
#[test]
fn every_dialect_compiles_and_parses_and_datafusion_plans() {
    use datafusion::sql::sqlparser::dialect::{DatabricksDialect, DuckDbDialect};
    use datafusion::sql::sqlparser::parser::Parser;

    let mut diags = Vec::new();
    let engine = Engine::new(detections(), &mut diags);
    let lake = Lake::new(&Table::new(), 1).unwrap();
    for dialect in Dialect::ALL {
        let queries = sql::compile(&engine, dialect);
        let script = sql::script(&queries, dialect);
        assert!(script.contains("CREATE TABLE IF NOT EXISTS cloudtrail_events"));
        let parser: Option<&dyn datafusion::sql::sqlparser::dialect::Dialect> = match dialect {
            Dialect::Spark => Some(&DatabricksDialect {}),
            Dialect::DuckDb => Some(&DuckDbDialect {}),
            Dialect::DataFusion => None,
        };
        if let Some(parser) = parser {
            // sqlparser does not know Spark's `USING <format>` table clause.
            let ddl = sql::create_table(dialect).replace(" USING parquet", "");
            Parser::parse_sql(parser, &ddl)
                .unwrap_or_else(|e| panic!("{dialect:?} CREATE TABLE: {e}"));
        }
        for q in &queries {
            let Some(text) = &q.sql else { continue };
            match parser {
                Some(parser) => {
                    Parser::parse_sql(parser, text)
                        .unwrap_or_else(|e| panic!("{dialect:?} {}: {e}\n{text}", q.detection));
                }
                None => {
                    lake.batches(text)
                        .unwrap_or_else(|e| panic!("{}: {e}\n{text}", q.detection));
                }
            }
        }
    }
}
