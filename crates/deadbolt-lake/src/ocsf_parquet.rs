//! OCSF events (from [`deadbolt_logs::ocsf`]) written as Parquet, for a security data lake.
//!
//! The columns follow the OCSF attributes [`deadbolt_logs::ocsf::event`] fills, nested as OCSF
//! nests them (`actor.user.uid` is a field of the `actor` struct column), so the file reads like
//! the JSON export in Spark, Athena, DuckDB or DataFusion. `time` is OCSF's epoch milliseconds.
//! `unmapped` (the CloudTrail fields OCSF has no place for) is one JSON text column: its shape
//! differs from one API to the next. Rows go out in row groups of [`ROWS_PER_GROUP`], compressed
//! with Snappy, so memory stays bounded however many events are exported.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_json::reader::{Decoder, ReaderBuilder};
use arrow_schema::{DataType, Field, Fields, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde_json::Value;

/// Rows buffered before they are written as one row group.
pub const ROWS_PER_GROUP: usize = 65_536;

/// Why an export failed.
#[derive(Debug)]
pub enum ParquetError {
    /// The file could not be created or written.
    Io(std::io::Error),
    /// An event did not fit the schema, or Arrow or Parquet refused the data.
    Encode(String),
}

impl std::fmt::Display for ParquetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParquetError::Io(e) => write!(f, "{e}"),
            ParquetError::Encode(e) => write!(f, "cannot encode the events as Parquet: {e}"),
        }
    }
}

impl std::error::Error for ParquetError {}

fn encode(e: impl std::fmt::Display) -> ParquetError {
    ParquetError::Encode(e.to_string())
}

fn text(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}

fn int(name: &str) -> Field {
    Field::new(name, DataType::Int64, true)
}

fn object(name: &str, fields: Vec<Field>) -> Field {
    Field::new(name, DataType::Struct(Fields::from(fields)), true)
}

fn user(name: &str) -> Field {
    object(
        name,
        vec![
            text("uid"),
            text("name"),
            text("type"),
            text("credential_uid"),
            object("account", vec![text("uid")]),
        ],
    )
}

/// The Arrow schema of the exported OCSF events.
pub fn schema() -> Schema {
    Schema::new(vec![
        int("class_uid"),
        text("class_name"),
        int("category_uid"),
        text("category_name"),
        int("activity_id"),
        text("activity_name"),
        int("type_uid"),
        int("severity_id"),
        text("severity"),
        int("status_id"),
        text("status"),
        text("status_code"),
        int("time"),
        object(
            "metadata",
            vec![
                text("version"),
                text("uid"),
                object("product", vec![text("name"), text("vendor_name")]),
                text("log_provider"),
            ],
        ),
        object(
            "cloud",
            vec![
                text("provider"),
                text("region"),
                object("account", vec![text("uid")]),
            ],
        ),
        object(
            "actor",
            vec![
                user("user"),
                object(
                    "session",
                    vec![
                        Field::new("is_mfa", DataType::Boolean, true),
                        text("issuer"),
                    ],
                ),
                text("invoked_by"),
            ],
        ),
        user("user"),
        Field::new("is_mfa", DataType::Boolean, true),
        object("src_endpoint", vec![text("ip"), text("domain")]),
        object("http_request", vec![text("user_agent")]),
        object(
            "api",
            vec![
                text("operation"),
                object("service", vec![text("name")]),
                object("request", vec![text("uid")]),
            ],
        ),
        text("unmapped"),
    ])
}

/// Writes OCSF events to a Parquet file, a row group at a time.
pub struct OcsfParquet {
    writer: ArrowWriter<File>,
    decoder: Decoder,
    pending: Vec<Value>,
    rows: u64,
}

impl OcsfParquet {
    /// Creates (or truncates) `path`.
    ///
    /// # Errors
    /// [`ParquetError::Io`] when the file cannot be created.
    pub fn create(path: &Path) -> Result<OcsfParquet, ParquetError> {
        let schema = Arc::new(schema());
        let file = File::create(path).map_err(ParquetError::Io)?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(encode)?;
        let decoder = ReaderBuilder::new(schema)
            .with_batch_size(ROWS_PER_GROUP)
            .build_decoder()
            .map_err(encode)?;
        Ok(OcsfParquet {
            writer,
            decoder,
            pending: Vec::new(),
            rows: 0,
        })
    }

    /// Adds one OCSF event (as [`deadbolt_logs::ocsf::event`] makes it).
    ///
    /// # Errors
    /// [`ParquetError`] when a full row group cannot be encoded or written.
    pub fn push(&mut self, mut event: Value) -> Result<(), ParquetError> {
        if let Some(unmapped) = event.get_mut("unmapped") {
            *unmapped = Value::String(unmapped.to_string());
        }
        self.pending.push(event);
        if self.pending.len() >= ROWS_PER_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ParquetError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.decoder.serialize(&self.pending).map_err(encode)?;
        self.rows += self.pending.len() as u64;
        self.pending.clear();
        while let Some(batch) = self.decoder.flush().map_err(encode)? {
            self.writer.write(&batch).map_err(encode)?;
        }
        Ok(())
    }

    /// Writes what is buffered and closes the file; returns the number of rows.
    ///
    /// # Errors
    /// [`ParquetError`] when the last row group or the footer cannot be written.
    pub fn finish(mut self) -> Result<u64, ParquetError> {
        self.flush()?;
        self.writer.close().map_err(encode)?;
        Ok(self.rows)
    }
}
