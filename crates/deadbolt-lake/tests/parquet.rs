//! OCSF events written as Parquet read back as the same events: every Stratus Red Team record one
//! row, with its class, time, actor and API where the JSON export has them.
#![cfg(feature = "parquet")]

use std::path::Path;
use std::sync::Arc;

use arrow_array::{Array, Int64Array, StringArray, StructArray};
use deadbolt_lake::ocsf_parquet::OcsfParquet;
use deadbolt_logs::{Engine, Limits, Window, read_file};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

#[test]
fn stratus_events_round_trip_through_parquet() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/cloudtrail-stratus-red-team");
    let mut diags = Vec::new();
    let engine = Engine::new(Vec::new(), &mut diags);
    let mut session = engine.session(Window::default());
    let mut expected = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("stratus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    for path in paths {
        let display: Arc<str> = Arc::from(path.display().to_string());
        let mut record_diags = Vec::new();
        read_file(
            &path,
            &display,
            &Limits::default(),
            &mut |record| {
                session.record(&record, &mut record_diags, &mut |event| {
                    let tree: serde_json::Value =
                        serde_json::from_str(event.record.json).expect("json");
                    expected.push(deadbolt_logs::ocsf::event(event.header, Some(&tree)));
                })
            },
            &mut diags,
        );
    }
    assert_eq!(expected.len(), 310);

    let out = tempfile::tempdir().expect("tempdir");
    let file = out.path().join("events.parquet");
    let mut writer = OcsfParquet::create(&file).expect("create");
    for e in &expected {
        writer.push(e.clone()).expect("push");
    }
    assert_eq!(writer.finish().expect("finish"), 310);

    let reader =
        ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&file).expect("open"))
            .expect("a Parquet file")
            .build()
            .expect("reader");
    let mut row = 0;
    for batch in reader {
        let batch = batch.expect("batch");
        let class = batch.column_by_name("class_uid").expect("class_uid");
        let class = class.as_any().downcast_ref::<Int64Array>().expect("int64");
        let time = batch.column_by_name("time").expect("time");
        let time = time.as_any().downcast_ref::<Int64Array>().expect("int64");
        let api = batch.column_by_name("api").expect("api");
        let api = api.as_any().downcast_ref::<StructArray>().expect("struct");
        let operation = api.column_by_name("operation").expect("operation");
        let operation = operation
            .as_any()
            .downcast_ref::<StringArray>()
            .expect("utf8");
        let actor = batch.column_by_name("actor").expect("actor");
        let actor = actor
            .as_any()
            .downcast_ref::<StructArray>()
            .expect("struct");
        let user = actor.column_by_name("user").expect("user");
        let user = user.as_any().downcast_ref::<StructArray>().expect("struct");
        let uid = user.column_by_name("uid").expect("uid");
        let uid = uid.as_any().downcast_ref::<StringArray>().expect("utf8");
        let unmapped = batch.column_by_name("unmapped").expect("unmapped");
        let unmapped = unmapped
            .as_any()
            .downcast_ref::<StringArray>()
            .expect("utf8");
        for i in 0..batch.num_rows() {
            let want = &expected[row];
            assert_eq!(class.value(i), want["class_uid"].as_i64().expect("class"));
            assert_eq!(time.value(i), want["time"].as_i64().expect("time"));
            assert_eq!(
                operation.value(i),
                want["api"]["operation"].as_str().expect("operation")
            );
            assert_eq!(uid.is_null(i), want["actor"]["user"]["uid"].is_null());
            if !uid.is_null(i) {
                assert_eq!(
                    uid.value(i),
                    want["actor"]["user"]["uid"].as_str().expect("uid")
                );
            }
            let back: serde_json::Value =
                serde_json::from_str(unmapped.value(i)).expect("unmapped is JSON text");
            assert_eq!(back, want["unmapped"]);
            row += 1;
        }
    }
    assert_eq!(row, 310);
}
