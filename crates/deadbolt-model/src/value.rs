//! [`Value`]: a JSON-shaped value in which any part may be unknown.
//!
//! Sources produce it for structured attributes (policy documents, tags, environment maps) so that a
//! policy whose `Resource` is only known after deployment still parses, with that one field unknown.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::attr::Unknown;

/// A JSON value plus `Unknown`. Objects keep their keys sorted, as Terraform and `jsonencode` do.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// `null`, or an attribute set to null.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (IEEE 754 double; ports, counts and sizes fit exactly).
    Number(f64),
    /// A string.
    String(String),
    /// A list, tuple or set.
    List(Vec<Value>),
    /// A map or object.
    Object(BTreeMap<String, Value>),
    /// A value that cannot be known before deployment.
    Unknown(Unknown),
}

impl Value {
    /// The string, if this is a known string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A scalar as its string form, the way Terraform and CloudFormation convert one where a
    /// string is expected: `22`, `1.5`, `true`. `None` for null, lists, objects and unknowns.
    pub fn scalar_string(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                Some(format!("{}", *n as i64))
            }
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A list of scalar strings, or a single scalar as a one-element list. `None` when an element
    /// is unknown or not a scalar.
    pub fn string_list(&self) -> Option<Vec<String>> {
        match self {
            Value::List(items) => items.iter().map(Value::scalar_string).collect(),
            other => other.scalar_string().map(|s| vec![s]),
        }
    }

    /// The boolean, if this is a known bool (or the strings `"true"`/`"false"`, which Terraform
    /// converts implicitly).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    /// The number, if this is a known number or a string holding one (implicit conversion).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The number as an integer, if it is a known whole number.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_f64()
            .filter(|n| n.fract() == 0.0 && n.abs() < 9.0e15)
            .map(|n| n as i64)
    }

    /// The elements, if this is a list.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// The entries, if this is an object.
    pub fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The member `key` of an object (`None` for a missing key or a non-object).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    /// Why this value is unknown, if it is.
    pub fn unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Unknown(u) => Some(u),
            _ => None,
        }
    }

    /// The first unknown anywhere inside this value (depth-first), if any.
    pub fn first_unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Unknown(u) => Some(u),
            Value::List(items) => items.iter().find_map(Value::first_unknown),
            Value::Object(map) => map.values().find_map(Value::first_unknown),
            _ => None,
        }
    }

    /// `true` for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// A short name of the value's type, for error messages (`"string"`, `"list"`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) => "object",
            Value::Unknown(_) => "unknown",
        }
    }

    /// Converts to JSON. Unknown parts become the error.
    pub fn to_json(&self) -> Result<serde_json::Value, Unknown> {
        Ok(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_to_json(*n),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => serde_json::Value::Array(
                items.iter().map(Value::to_json).collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), v.to_json()?)))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Unknown(u) => return Err(u.clone()),
        })
    }
}

fn number_to_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null)
    }
}

impl From<serde_json::Value> for Value {
    fn from(json: serde_json::Value) -> Self {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(items) => {
                Value::List(items.into_iter().map(Value::from).collect())
            }
            serde_json::Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            }
        }
    }
}
