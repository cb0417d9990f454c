//! Diagnostics: what went wrong reading the input, with the file and line. Every source (Terraform,
//! CloudFormation, Kubernetes, live collectors) reports through this one type.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Something was read only partly or not at all (a remote module, a skipped file).
    Warning,
    /// A file could not be read or parsed; its resources are missing from the scan.
    Error,
}

/// One diagnostic about the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// The file (as the user named it).
    pub file: Arc<str>,
    /// 1-based line (0 when the whole file is concerned).
    pub line: u32,
    /// 1-based column (0 when the whole file is concerned).
    pub column: u32,
    /// What went wrong, in one line.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic about a whole file (unreadable, too large, not Terraform): line and column 0.
    pub fn whole_file(level: Level, file: impl Into<Arc<str>>, message: impl Into<String>) -> Self {
        Diagnostic {
            level,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
        }
    }

    /// A diagnostic at a 1-based line and column of a file.
    pub fn at(
        level: Level,
        file: impl Into<Arc<str>>,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level,
            file: file.into(),
            line,
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Warning => "warning",
            Level::Error => "error",
        };
        if self.line == 0 {
            write!(f, "{}: {level}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {level}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}
