//! Bounded reads.

use std::path::Path;
use std::sync::Arc;

use deadbolt_model::{Diagnostic, Level};

/// Files larger than this are reported and skipped (bytes): 20 MiB, far above any real template,
/// manifest or module file, and low enough that a scan's memory stays bounded.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// Reads `path` as UTF-8 text. `display` is the name diagnostics carry; `kind` names what the file
/// was expected to be ("HCL", "YAML") in the binary-file message.
///
/// # Errors
/// One whole-file [`Diagnostic`] (or one at the line of the first invalid byte) when the path is
/// not a regular file (a FIFO or device would block), is over [`MAX_FILE_BYTES`], cannot be read,
/// contains NUL bytes, or is not UTF-8.
pub fn read_text(path: &Path, display: &Arc<str>, kind: &str) -> Result<String, Diagnostic> {
    let whole_file =
        |message: String| Diagnostic::whole_file(Level::Error, display.clone(), message);
    let meta = std::fs::metadata(path).map_err(|e| whole_file(format!("cannot read: {e}")))?;
    if !meta.is_file() {
        return Err(whole_file(
            "not a regular file (a directory, FIFO or device); skipped".into(),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(whole_file(format!(
            "file is {} MB, over the {} MB limit; skipped",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| whole_file(format!("cannot read: {e}")))?;
    if bytes.contains(&0) {
        return Err(whole_file(format!(
            "binary file (contains NUL bytes), not {kind}; skipped"
        )));
    }
    decode_text(bytes, display)
}

/// Decodes bytes as UTF-8; a UTF-8 byte order mark is dropped (Terraform and YAML parsers both
/// accept one).
///
/// # Errors
/// A [`Diagnostic`] at the line and column of the first invalid byte.
pub fn decode_text(mut bytes: Vec<u8>, display: &Arc<str>) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let prefix = &e.as_bytes()[..offset];
        let line = prefix.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let column = prefix.iter().rev().take_while(|&&b| b != b'\n').count() as u32 + 1;
        Diagnostic::at(
            Level::Error,
            display.clone(),
            line,
            column,
            "invalid UTF-8; skipped",
        )
    })
}
