//! deadbolt's detections as SQL over a table of CloudTrail events.
//!
//! [`table`] turns CloudTrail records into the rows of `cloudtrail_events` (the schema is
//! [`deadbolt_logs::sql::COLUMNS`]); with the `datafusion` feature, [`engine`] registers them in
//! an in-process DataFusion session and runs the DataFusion dialect of the detections
//! ([`deadbolt_logs::sql`]), giving alerts comparable to the stream engine's. With the `parquet`
//! feature, [`ocsf_parquet`] writes OCSF events as Parquet for a security data lake.

pub mod table;

#[cfg(feature = "datafusion")]
pub mod engine;

#[cfg(feature = "parquet")]
pub mod ocsf_parquet;

pub use table::{Loaded, Origins, Segment, Table, Texts, Values, load};
