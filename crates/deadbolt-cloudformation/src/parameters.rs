//! `--parameters` files: the values a stack is deployed with.

use std::path::Path;

use crate::template::ParameterValues;

/// Why a parameters file could not be read.
#[derive(Debug)]
pub struct ParameterError {
    /// The file, as given.
    pub file: String,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for ParameterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for ParameterError {}

/// Reads a parameters file in either of the forms AWS tools write:
/// - the CloudFormation CLI form (`aws cloudformation create-stack --parameters file://p.json`):
///   `[{"ParameterKey": "Env", "ParameterValue": "prod"}, ...]`;
/// - the CodePipeline template configuration form: `{"Parameters": {"Env": "prod"}}`.
///
/// Values from later files override earlier ones (the caller merges).
///
/// # Errors
/// A [`ParameterError`] naming the file when it cannot be read (over 1 MiB, not a regular file),
/// is not JSON, or is neither form.
pub fn read_parameters(path: &Path) -> Result<ParameterValues, ParameterError> {
    let error = |message: String| ParameterError {
        file: path.display().to_string(),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| error(format!("cannot read: {e}")))?;
    if !meta.is_file() || meta.len() > 1024 * 1024 {
        return Err(error("not a regular file of at most 1 MiB".into()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| error(format!("cannot read: {e}")))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| error(format!("invalid JSON: {e}")))?;
    let as_text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let mut out = ParameterValues::new();
    match &json {
        serde_json::Value::Array(items) => {
            for item in items {
                let key = item.get("ParameterKey").and_then(as_text);
                let value = item.get("ParameterValue").and_then(as_text);
                match (key, value) {
                    (Some(k), Some(v)) => {
                        out.insert(k, v);
                    }
                    (Some(_), None) if item.get("UsePreviousValue").is_some() => {}
                    _ => {
                        return Err(error(
                            "each item needs ParameterKey and ParameterValue".into(),
                        ));
                    }
                }
            }
        }
        serde_json::Value::Object(map) if map.get("Parameters").is_some_and(|p| p.is_object()) => {
            for (k, v) in map["Parameters"].as_object().into_iter().flatten() {
                let v =
                    as_text(v).ok_or_else(|| error(format!("parameter {k} is not a string")))?;
                out.insert(k.clone(), v);
            }
        }
        _ => {
            return Err(error(
                "expected the CloudFormation CLI form ([{\"ParameterKey\": ..., \"ParameterValue\": ...}]) \
                 or the CodePipeline form ({\"Parameters\": {...}})"
                    .into(),
            ));
        }
    }
    Ok(out)
}
