//! deadbolt's AWS account snapshot: what live collection (`deadbolt collect --aws`, the
//! `deadbolt-aws` crate) writes, and how it becomes the deadbolt model.
//!
//! A snapshot holds the raw API responses of one account, per region and service
//! ([`format`] documents the JSON), so newer rules can re-judge an old snapshot, and scanning a
//! snapshot gives exactly the findings of the live scan it was collected by: `deadbolt scan --aws`
//! collects a snapshot in memory and normalises it with the same [`normalise`] this crate gives
//! `deadbolt scan account.json`. This crate has no AWS SDK dependency: a snapshot can be scanned
//! on a machine without credentials or the `aws` build.

pub mod calls;
pub mod format;
pub mod json;
pub mod mask;
pub mod normalise;
pub mod xml;

pub use format::{Account, Call, CallError, FORMAT_VERSION, Problem, Snapshot};
pub use normalise::{Normalised, normalise};

use deadbolt_model::{Diagnostic, Level};

/// The region of an S3 bucket from its `GetBucketLocation` `LocationConstraint`: none or empty
/// means us-east-1 and the legacy `EU` means eu-west-1 (Amazon S3 API Reference,
/// GetBucketLocation); any other value is the region itself.
pub fn bucket_region(location_constraint: Option<&str>) -> String {
    match location_constraint {
        None | Some("") => "us-east-1".to_string(),
        Some("EU") => "eu-west-1".to_string(),
        Some(region) => region.to_string(),
    }
}

/// Whether `text` is (meant to be) a snapshot: JSON naming `deadbolt_snapshot` in its first KiB.
pub fn is_snapshot(text: &str) -> bool {
    let head = &text[..text.floor_char_boundary(1024)];
    head.trim_start().starts_with('{') && head.contains("\"deadbolt_snapshot\"")
}

/// Reads a snapshot's text. A file that does not parse, or that is of a format version this
/// crate does not read, is an error diagnostic naming the file (and the line, for parse errors).
pub fn parse(file: &str, text: &str) -> Result<Snapshot, Diagnostic> {
    let snapshot: Snapshot = serde_json::from_str(text).map_err(|e| {
        Diagnostic::at(
            Level::Error,
            file,
            e.line() as u32,
            e.column() as u32,
            format!("not a readable deadbolt snapshot: {e}"),
        )
    })?;
    if snapshot.deadbolt_snapshot != FORMAT_VERSION {
        return Err(Diagnostic::whole_file(
            Level::Error,
            file,
            format!(
                "snapshot format version {} is not one this deadbolt reads (it reads {FORMAT_VERSION})",
                snapshot.deadbolt_snapshot
            ),
        ));
    }
    if snapshot.provider != "aws" {
        return Err(Diagnostic::whole_file(
            Level::Error,
            file,
            format!(
                "snapshot of provider `{}`; this deadbolt reads `aws` snapshots",
                snapshot.provider
            ),
        ));
    }
    Ok(snapshot)
}
