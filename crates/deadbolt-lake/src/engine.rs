//! The DataFusion dialect of the detections, run in process over a [`Table`].

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array, RecordBatch, StringArray};
use datafusion::arrow::buffer::{Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::datasource::MemTable;
use datafusion::error::{DataFusionError, Result};
use datafusion::prelude::{SessionConfig, SessionContext};
use deadbolt_logs::engine::MERGE_WINDOW_MS;
use deadbolt_logs::event::{Header, parse_time};
use deadbolt_logs::sql::{self, COLUMNS, ColumnType, Dialect, Fidelity, Query, TABLE};
use deadbolt_logs::{Alert, Detection, Engine};

use crate::table::{Origins, Table, Texts, Values, column_index};

/// One row a detection query returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `detection_id`.
    pub detection: String,
    /// `event_id`: the event (single-record) or the event that completed the first firing window
    /// (correlation).
    pub event_id: Option<String>,
    /// `event_ids` of a correlation: the distinct events of its firing windows, sorted; for a
    /// single-record detection, `event_id` alone.
    pub event_ids: Vec<String>,
    /// `principal_arn`.
    pub principal_arn: Option<String>,
    /// `event_time`.
    pub event_time: Option<String>,
    /// `last_time` (correlations).
    pub last_time: Option<String>,
    /// `matched` (correlations): the largest count a window reached.
    pub matched: Option<i64>,
}

/// The events table registered in a DataFusion session with the JSON functions and the parser
/// dialect the queries need.
pub struct Lake {
    ctx: SessionContext,
    runtime: tokio::runtime::Runtime,
    /// The table's batches (shared with the registered table) and the first row of each.
    batches: Vec<RecordBatch>,
    starts: Vec<usize>,
    /// Per row, the file and position of its record.
    origins: Origins,
}

impl std::fmt::Debug for Lake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lake").finish_non_exhaustive()
    }
}

/// The Arrow schema of [`TABLE`]: `Utf8` for text and JSON, `Int64` for `BIGINT`.
pub fn schema() -> Schema {
    Schema::new(
        COLUMNS
            .iter()
            .map(|c| {
                let ty = match c.kind {
                    ColumnType::BigInt => DataType::Int64,
                    ColumnType::Text | ColumnType::Json => DataType::Utf8,
                };
                Field::new(c.name, ty, true)
            })
            .collect::<Vec<_>>(),
    )
}

fn text_array(t: Texts) -> Result<ArrayRef> {
    Ok(Arc::new(StringArray::try_new(
        OffsetBuffer::new(ScalarBuffer::from(t.offsets)),
        Buffer::from_vec(t.data.into_bytes()),
        Some(NullBuffer::from(t.valid)),
    )?))
}

/// The table as record batches, one per segment, its buffers moved into Arrow (not copied), and
/// the origins of the rows.
pub fn into_batches(table: Table) -> Result<(Vec<RecordBatch>, Origins)> {
    let schema = Arc::new(schema());
    let mut batches = Vec::with_capacity(table.segments.len());
    for segment in table.segments {
        let arrays = segment
            .columns
            .into_iter()
            .map(|values| match values {
                Values::Text(t) => text_array(t),
                Values::BigInt(v) => Ok(Arc::new(Int64Array::from(v)) as ArrayRef),
            })
            .collect::<Result<Vec<_>>>()?;
        batches.push(RecordBatch::try_new(schema.clone(), arrays)?);
    }
    Ok((batches, table.origins))
}

impl Lake {
    /// Registers a copy of `table` as [`TABLE`] in a new session using `partitions` threads'
    /// worth of partitions (at least one).
    pub fn new(table: &Table, partitions: usize) -> Result<Lake> {
        Lake::from_table(table.clone(), partitions)
    }

    /// Registers `table` as [`TABLE`], its buffers moved into Arrow.
    pub fn from_table(table: Table, partitions: usize) -> Result<Lake> {
        let partitions = partitions.max(1);
        let config = SessionConfig::new()
            .with_target_partitions(partitions)
            .set_str("datafusion.sql_parser.dialect", "duckdb")
            // DataFusion 55 moves `json_get_json(column, 'key')` below a filter without
            // renumbering the lambda variables of the filter, which then read the wrong column.
            .set_bool(
                "datafusion.optimizer.enable_leaf_expression_pushdown",
                false,
            );
        let mut ctx = SessionContext::new_with_config(config);
        datafusion_functions_json::register_all(&mut ctx)?;
        let (batches, origins) = into_batches(table)?;
        let mut starts = Vec::with_capacity(batches.len());
        let mut rows = 0;
        for b in &batches {
            starts.push(rows);
            rows += b.num_rows();
        }
        let mut parts: Vec<Vec<RecordBatch>> = vec![Vec::new(); partitions];
        for (i, batch) in batches.iter().enumerate() {
            parts[i % partitions].push(batch.clone());
        }
        parts.retain(|p| !p.is_empty());
        if parts.is_empty() {
            parts.push(vec![RecordBatch::new_empty(Arc::new(schema()))]);
        }
        let provider = MemTable::try_new(Arc::new(schema()), parts)?;
        ctx.register_table(TABLE, Arc::new(provider))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| DataFusionError::External(Box::new(e)))?;
        Ok(Lake {
            ctx,
            runtime,
            batches,
            starts,
            origins,
        })
    }

    /// How many rows the table has.
    pub fn len(&self) -> usize {
        self.origins.len()
    }

    /// Whether the table has no row.
    pub fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }

    /// The value of the text column named `name` at `row`.
    pub fn text(&self, name: &str, row: usize) -> Option<&str> {
        if row >= self.len() {
            return None;
        }
        let b = self.starts.partition_point(|s| *s <= row) - 1;
        let array = self.batches[b]
            .column(column_index(name)?)
            .as_string_opt::<i32>()?;
        let i = row - self.starts[b];
        array.is_valid(i).then(|| array.value(i))
    }

    /// Runs one statement and collects its result.
    pub fn batches(&self, sql: &str) -> Result<Vec<RecordBatch>> {
        self.runtime
            .block_on(async { self.ctx.sql(sql).await?.collect().await })
    }

    /// Runs one detection query and reads its rows.
    pub fn rows(&self, sql: &str) -> Result<Vec<Row>> {
        let mut out = Vec::new();
        for batch in self.batches(sql)? {
            let text = |name: &str| -> Result<Option<StringArray>> {
                match batch.column_by_name(name) {
                    None => Ok(None),
                    Some(a) => Ok(Some(cast(a, &DataType::Utf8)?.as_string::<i32>().clone())),
                }
            };
            let detection = text("detection_id")?;
            let event_id = text("event_id")?;
            let principal = text("principal_arn")?;
            let event_time = text("event_time")?;
            let last_time = text("last_time")?;
            let matched = match batch.column_by_name("matched") {
                None => None,
                Some(a) => Some(cast(a, &DataType::Int64)?),
            };
            let ids = match batch.column_by_name("event_ids") {
                None => None,
                Some(a) => Some(cast(
                    a,
                    &DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))),
                )?),
            };
            let get = |a: &Option<StringArray>, i: usize| {
                a.as_ref()
                    .filter(|a| a.is_valid(i))
                    .map(|a| a.value(i).to_string())
            };
            for i in 0..batch.num_rows() {
                let event_id = get(&event_id, i);
                let event_ids = match &ids {
                    Some(list) if list.is_valid(i) => {
                        let values = list.as_list::<i32>().value(i);
                        let values = values.as_string::<i32>();
                        (0..values.len())
                            .filter(|j| values.is_valid(*j))
                            .map(|j| values.value(j).to_string())
                            .collect()
                    }
                    _ => event_id.iter().cloned().collect(),
                };
                out.push(Row {
                    detection: get(&detection, i).unwrap_or_default(),
                    event_id,
                    event_ids,
                    principal_arn: get(&principal, i),
                    event_time: get(&event_time, i),
                    last_time: get(&last_time, i),
                    matched: matched.as_ref().and_then(|m| {
                        let m = m.as_any().downcast_ref::<Int64Array>()?;
                        m.is_valid(i).then(|| m.value(i))
                    }),
                });
            }
        }
        Ok(out)
    }
}

/// What a DataFusion run gave.
#[derive(Debug)]
pub struct Outcome {
    /// Alerts, merged as the stream engine merges them, oldest first.
    pub alerts: Vec<Alert>,
    /// The rows every query returned, per detection ID.
    pub rows: Vec<Row>,
    /// The queries (with their fidelity).
    pub queries: Vec<Query>,
}

/// Runs every alerting detection of `engine` as DataFusion SQL over `table`. Detections that are
/// not expressible raise nothing (see [`Outcome::queries`]); a query that fails is an error.
pub fn run(engine: &Engine, table: Table, partitions: usize) -> Result<Outcome> {
    let lake = Lake::from_table(table, partitions)?;
    let queries = sql::compile(engine, Dialect::DataFusion);
    let mut rows = Vec::new();
    for q in &queries {
        if let Some(text) = &q.sql {
            rows.extend(
                lake.rows(text)
                    .map_err(|e| e.context(q.detection.clone()))?,
            );
        }
    }
    let alerts = alerts(engine, &lake, &rows);
    Ok(Outcome {
        alerts,
        rows,
        queries,
    })
}

/// Turns query rows into alerts: single-record rows of one detection, principal, source address
/// and API within [`MERGE_WINDOW_MS`] of each other are one alert (as the stream engine merges
/// them); each correlation row is one alert.
pub fn alerts(engine: &Engine, lake: &Lake, rows: &[Row]) -> Vec<Alert> {
    let detections: HashMap<&str, &Detection> =
        engine.alerting().map(|d| (d.meta.id.as_str(), d)).collect();
    let mut by_event: HashMap<&str, usize> = HashMap::new();
    for i in 0..lake.len() {
        if let Some(id) = lake.text("eventid", i) {
            by_event.entry(id).or_insert(i);
        }
    }
    let mut single: Vec<(i64, &Row, &Detection, Header<'_>, usize)> = Vec::new();
    let mut alerts = Vec::new();
    for row in rows {
        let Some(detection) = detections.get(row.detection.as_str()) else {
            continue;
        };
        let Some(&at) = row.event_id.as_deref().and_then(|id| by_event.get(id)) else {
            continue;
        };
        let Some(header) = lake
            .text("raw", at)
            .and_then(|r| serde_json::from_str::<Header<'_>>(r).ok())
        else {
            continue;
        };
        match detection.rule.correlation() {
            None => {
                let t = header
                    .event_time
                    .as_deref()
                    .and_then(parse_time)
                    .unwrap_or(i64::MIN);
                single.push((t, row, detection, header, at));
            }
            Some(correlation) => {
                let mut alert = alert(detection, &header, lake, at);
                let count = u64::try_from(row.matched.unwrap_or_default()).unwrap_or_default();
                alert.explanation = Some(correlation.explain(count));
                alert.records = row.event_ids.len() as u64;
                alert.event_ids = row.event_ids.iter().take(20).cloned().collect();
                alert.time = row.event_time.clone();
                alert.last_time = row.last_time.clone();
                alerts.push(alert);
            }
        }
    }
    single.sort_by_key(|s| s.0);
    let mut open: HashMap<(String, String, String), (usize, i64)> = HashMap::new();
    for (t, row, detection, header, at) in single {
        // As the stream engine merges: per detection, principal and source address, and API.
        let key = (
            row.detection.clone(),
            format!(
                "{}\u{1f}{}",
                header.principal().unwrap_or_default(),
                header.source_ip_address.as_deref().unwrap_or_default()
            ),
            header.event_name.as_deref().unwrap_or_default().to_string(),
        );
        let event_id = row.event_id.clone().unwrap_or_default();
        if t != i64::MIN
            && let Some((index, last)) = open.get_mut(&key)
            && t - *last <= MERGE_WINDOW_MS
        {
            let alert: &mut Alert = &mut alerts[*index];
            alert.records += 1;
            if alert.event_ids.len() < 20 {
                alert.event_ids.push(event_id);
            }
            *last = t;
            alert.last_time = header.event_time.as_deref().map(str::to_string);
            continue;
        }
        let mut alert = alert(detection, &header, lake, at);
        alert.event_ids = vec![event_id];
        alert.records = 1;
        if t != i64::MIN {
            open.insert(key, (alerts.len(), t));
        }
        alerts.push(alert);
    }
    alerts.sort_by(|a, b| a.time.cmp(&b.time));
    alerts
}

fn alert(detection: &Detection, header: &Header<'_>, lake: &Lake, at: usize) -> Alert {
    let (file, position) = lake.origins[at].clone();
    Alert::new(detection, header, file, position)
}

/// The detections that have no query in `queries`, with why.
pub fn not_expressible(queries: &[Query]) -> Vec<(&str, &str)> {
    queries
        .iter()
        .filter_map(|q| match &q.fidelity {
            Fidelity::NotExpressible(why) => Some((q.detection.as_str(), why.as_str())),
            _ => None,
        })
        .collect()
}
