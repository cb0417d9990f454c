//! Data classification for `deadbolt classify`: find personal, payment and health data and
//! credentials in files, and report them masked.
//!
//! - A **data identifier** is described by a **detector** ([`Detector`]): a pattern, an optional
//!   validator (check digits), context keywords with a window, exclusions, a base confidence and a
//!   mask style. The built-in detectors are data, `detectors/*.toml`, each with positive and
//!   negative examples that the tests run.
//! - The [`Engine`] runs every detector over a chunk of text with one prefilter pass, or over a
//!   block of many lines with one pass that says which detectors match on which lines, and returns
//!   **findings** ([`Match`]), one per span, each carrying a masked sample only.
//! - The readers ([`scan_file`]) stream plain text, CSV/TSV, JSON/NDJSON and gzip with bounded
//!   memory; CSV headers and JSON key paths act as context for the values under them. Zip
//!   archives, xlsx workbooks and docx documents are opened member by member within the caps of
//!   [`Limits`], so a decompression bomb is reported, not expanded. Parquet files (feature
//!   `parquet`) are read a row group at a time, each value with its column path as context.

mod archive;
mod detector;
mod engine;
mod mask;
#[cfg(feature = "parquet")]
mod parquet;
mod read;
mod validate;

pub use detector::{
    Category, Confidence, ContextRequired, Detector, DetectorError, Examples, Label, parse,
};
pub use engine::{Engine, LineMatch, Match};
pub use mask::{MAX_STARS, MaskStyle, mask};
pub use read::{FileReport, Format, Limits, Options, Sample, TypeSummary, scan_bytes, scan_file};
