//! Reading response values whatever protocol they came from: XML-converted bodies hold every
//! leaf as a string and one-element S3 lists as an object, JSON bodies hold typed values.

use serde_json::Value;

/// The items of a list value: an array's items, a single object as one item (XML's one-entry
/// unwrapped list), nothing for absent, `null` or `""` (an empty XML element). A `{"member": [..]}`
/// or `{"item": [..]}` wrapper is looked through.
pub fn list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) if s.is_empty() => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Object(members)) => {
            for wrapper in ["member", "item"] {
                if members.len() == 1
                    && let Some(inner) = members.get(wrapper)
                {
                    return list(Some(inner));
                }
            }
            vec![value.expect("matched Some")]
        }
        Some(other) => vec![other],
    }
}

/// A text value: a JSON string, or a number or boolean as its text.
pub fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A boolean value: JSON `true`/`false` or the XML texts `"true"`/`"false"` (any case).
pub fn boolean(value: Option<&Value>) -> Option<bool> {
    match value? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// An integer value: a JSON integer or its decimal text.
pub fn integer(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The value at a path of member names (`path(v, &["ListUsersResult", "Users"])`).
pub fn path<'v>(value: &'v Value, names: &[&str]) -> Option<&'v Value> {
    names.iter().try_fold(value, |v, name| v.get(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_read_alike_from_every_protocol() {
        let one = json!({"Grant": {"Permission": "READ"}});
        assert_eq!(list(one.get("Grant")).len(), 1);
        let wrapped = json!({"Users": {"member": [{"a": 1}, {"a": 2}]}});
        assert_eq!(list(wrapped.get("Users")).len(), 2);
        assert!(list(Some(&json!(""))).is_empty());
        assert!(list(None).is_empty());
        assert_eq!(boolean(Some(&json!("TRUE"))), Some(true));
        assert_eq!(integer(Some(&json!("90"))), Some(90));
        assert_eq!(text(Some(&json!(3))), Some("3".into()));
    }
}
