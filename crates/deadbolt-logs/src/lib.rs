//! deadbolt's log review over AWS CloudTrail.
//!
//! Sources → detections → alerts:
//! - [`read`] streams records out of CloudTrail files (S3 delivery files, gzipped or not; NDJSON;
//!   JSON arrays), bounded in memory, with diagnostics naming the file and line;
//! - [`event`] reads the fields every step needs without building the whole record;
//! - [`sigma`] is the rule language: Sigma detection and correlation rules for
//!   `logsource: {product: aws, service: cloudtrail}`;
//! - [`detection`] adds deadbolt's metadata (stable ID, duty, CIS section, next step, examples)
//!   and holds the built-in set (`detections/*.yml`);
//! - [`engine`] runs them over a stream and raises [`Alert`]s;
//! - [`baseline`] learns what each identity usually does from the same stream and raises one
//!   explained alert per identity and hour when it does something new;
//! - [`ocsf`] maps records to OCSF events (API Activity, Authentication, Account Change) for a
//!   security data lake;
//! - [`sql`] compiles the same detections into SQL over a table of events (Spark, DuckDB,
//!   DataFusion), for logs that already sit in a data lake.

pub mod alert;
pub mod baseline;
pub mod detection;
pub mod engine;
pub mod event;
pub mod ocsf;
pub mod read;
pub mod sigma;
pub mod sql;

pub use alert::{Alert, Principal};
pub use baseline::{Baseline, BaselineError, BaselineOptions, BaselineStats};
pub use detection::{Detection, Example, Meta};
pub use engine::{Engine, Event, Session, Stats, Window};
pub use read::{
    Buffers, FileSummary, Limits, Position, Record, read_bytes_with, read_file, read_file_with,
    read_str,
};
pub use sigma::{Rule, Severity};
