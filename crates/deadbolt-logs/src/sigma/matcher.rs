//! Field matchers: one Sigma `field|modifier|...: values` entry, compiled.

use std::net::IpAddr;

use ipnet::IpNet;
use regex::{Regex, RegexBuilder};
use serde_json::Value;

/// One compiled `field|modifiers: values` entry of a selection.
#[derive(Debug, Clone)]
pub(crate) struct FieldMatch {
    /// The dotted path, split (`userIdentity.type` → `["userIdentity", "type"]`).
    pub path: Vec<String>,
    /// The values; one must match, or every one with `|all`.
    pub values: Vec<ValueMatch>,
    /// `|all`: every value must match.
    pub all: bool,
}

/// One compiled value of a field entry.
#[derive(Debug, Clone)]
pub(crate) enum ValueMatch {
    /// `null`: the field is missing or null.
    Null,
    /// `|exists: true|false`.
    Exists(bool),
    /// Case-insensitive equality with an ASCII string (the common case, kept off the regex engine).
    EqAscii(String),
    /// Case-sensitive equality (`|cased`).
    EqCased(String),
    /// Any other string test (wildcards, contains, startswith, endswith, non-ASCII case folding,
    /// `|re`), as one anchored regex, with what it was compiled from (for the SQL compiler).
    Regex(Regex, Box<Pattern>),
    /// `|cidr`: the field is an IP address inside the network.
    Cidr(IpNet),
    /// `|fieldref`: equal to the value of another field of the same record.
    FieldRef(Vec<String>),
    /// `|gt`, `|gte`, `|lt`, `|lte`: a numeric comparison.
    Number(Compare, f64),
}

/// What a [`ValueMatch::Regex`] was compiled from: the Sigma text, before it became a regex.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Pattern {
    /// A Sigma string (with `*`/`?` wildcards and `\` escapes as written), its anchor, and whether
    /// it is case-sensitive (`|cased`).
    Sigma {
        value: String,
        anchor: Anchor,
        cased: bool,
    },
    /// A `|re` regular expression and its `i`/`m`/`s` flags.
    Re { pattern: String, flags: String },
}

/// A numeric comparison operator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Compare {
    Gt,
    Gte,
    Lt,
    Lte,
}

/// Where a string value is anchored once its modifiers are applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Anchor {
    Exact,
    Contains,
    StartsWith,
    EndsWith,
}

/// Compiles a plain Sigma string (with `*`/`?` wildcards and `\` escapes) into a matcher.
pub(crate) fn string_matcher(
    value: &str,
    anchor: Anchor,
    cased: bool,
) -> Result<ValueMatch, String> {
    let (literal, has_wildcards) = unescape(value);
    if anchor == Anchor::Exact && !has_wildcards {
        if cased {
            return Ok(ValueMatch::EqCased(literal));
        }
        if literal.is_ascii() {
            return Ok(ValueMatch::EqAscii(literal));
        }
    }
    let mut pattern = String::with_capacity(value.len() + 8);
    pattern.push_str(if matches!(anchor, Anchor::Exact | Anchor::StartsWith) {
        "\\A"
    } else {
        ""
    });
    // Sigma escaping: a backslash before `*`, `?` or another backslash makes it literal; any
    // other backslash is itself literal (`dom\user`).
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&next @ ('*' | '?' | '\\')) => {
                    push_literal(&mut pattern, next);
                    chars.next();
                }
                _ => push_literal(&mut pattern, '\\'),
            },
            '*' => pattern.push_str("(?s:.*)"),
            '?' => pattern.push_str("(?s:.)"),
            c => push_literal(&mut pattern, c),
        }
    }
    if matches!(anchor, Anchor::Exact | Anchor::EndsWith) {
        pattern.push_str("\\z");
    }
    RegexBuilder::new(&pattern)
        .case_insensitive(!cased)
        .size_limit(1 << 20)
        .build()
        .map(|re| {
            ValueMatch::Regex(
                re,
                Box::new(Pattern::Sigma {
                    value: value.to_string(),
                    anchor,
                    cased,
                }),
            )
        })
        .map_err(|e| format!("value {value:?} does not compile: {e}"))
}

/// A `|re` value, with Sigma's `i`, `m` and `s` sub-modifiers. Unanchored, as Sigma specifies.
pub(crate) fn regex_matcher(pattern: &str, flags: &str) -> Result<ValueMatch, String> {
    RegexBuilder::new(pattern)
        .case_insensitive(flags.contains('i'))
        .multi_line(flags.contains('m'))
        .dot_matches_new_line(flags.contains('s'))
        .size_limit(1 << 20)
        .build()
        .map(|re| {
            ValueMatch::Regex(
                re,
                Box::new(Pattern::Re {
                    pattern: pattern.to_string(),
                    flags: flags.to_string(),
                }),
            )
        })
        .map_err(|e| format!("regular expression {pattern:?} does not compile: {e}"))
}

fn push_literal(pattern: &mut String, c: char) {
    let mut buf = [0; 4];
    pattern.push_str(&regex::escape(c.encode_utf8(&mut buf)));
}

/// The literal text of a Sigma string and whether it has unescaped wildcards. In Sigma a backslash
/// escapes `*`, `?` and itself; any other backslash is literal.
fn unescape(value: &str) -> (String, bool) {
    let mut out = String::with_capacity(value.len());
    let mut wildcard = false;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&next @ ('*' | '?' | '\\')) => {
                    out.push(next);
                    chars.next();
                }
                _ => out.push('\\'),
            },
            '*' | '?' => {
                wildcard = true;
                out.push(c);
            }
            c => out.push(c),
        }
    }
    (out, wildcard)
}

impl FieldMatch {
    /// Whether this entry may hold for a record whose field is `text` (`None`: missing or null),
    /// judged from a top-level string field alone. Never false when [`FieldMatch::matches`] could
    /// be true: what a string cannot decide (`exists` on a null, `fieldref`) counts as maybe.
    pub(crate) fn may_match_text(&self, text: Option<&str>) -> bool {
        let holds = |v: &ValueMatch| match (v, text) {
            (ValueMatch::Exists(_) | ValueMatch::FieldRef(_), _) => true,
            (ValueMatch::Null, t) => t.is_none(),
            (_, None) => false,
            (v, Some(t)) => text_holds(v, t),
        };
        if self.all {
            self.values.iter().all(holds)
        } else {
            self.values.iter().any(holds)
        }
    }

    /// Whether this entry holds for `record`.
    pub(crate) fn matches(&self, record: &Value) -> bool {
        if self.all {
            self.values
                .iter()
                .all(|v| value_holds(v, &self.path, record))
        } else {
            self.values
                .iter()
                .any(|v| value_holds(v, &self.path, record))
        }
    }
}

fn value_holds(matcher: &ValueMatch, path: &[String], record: &Value) -> bool {
    match matcher {
        ValueMatch::Null => {
            let mut seen_non_null = false;
            for_each_leaf(record, path, &mut |leaf| {
                if !leaf.is_null() {
                    seen_non_null = true;
                }
                seen_non_null
            });
            !seen_non_null
        }
        // Presence, whatever the value: an empty list or a null is there (Sigma's `exists`).
        ValueMatch::Exists(expected) => is_present(record, path) == *expected,
        ValueMatch::FieldRef(other) => {
            let mut hit = false;
            for_each_leaf(record, path, &mut |leaf| {
                let Some(text) = scalar_text(leaf) else {
                    return false;
                };
                // Sigma compares strings ignoring case, and so does fieldref: IAM user names,
                // for one, are unique regardless of case, so `Alice` and `alice` are one user.
                for_each_leaf(record, other, &mut |o| {
                    hit = scalar_text(o).is_some_and(|o| o.eq_ignore_ascii_case(&text));
                    hit
                });
                hit
            });
            hit
        }
        _ => {
            let mut hit = false;
            for_each_leaf(record, path, &mut |leaf| {
                hit = leaf_holds(matcher, leaf);
                hit
            });
            hit
        }
    }
}

fn leaf_holds(matcher: &ValueMatch, leaf: &Value) -> bool {
    match leaf {
        Value::Null => false,
        Value::String(s) => text_holds(matcher, s),
        Value::Object(_) => match matcher {
            ValueMatch::Regex(re, _) => re.is_match(&leaf.to_string()),
            _ => false,
        },
        other => scalar_text(other).is_some_and(|t| text_holds(matcher, &t)),
    }
}

/// Whether a scalar's text satisfies a matcher that tests values (not presence).
fn text_holds(matcher: &ValueMatch, text: &str) -> bool {
    match matcher {
        ValueMatch::EqAscii(want) => text.eq_ignore_ascii_case(want),
        ValueMatch::EqCased(want) => text == want,
        ValueMatch::Regex(re, _) => re.is_match(text),
        ValueMatch::Cidr(net) => text.parse::<IpAddr>().is_ok_and(|ip| net.contains(&ip)),
        ValueMatch::Number(op, want) => text.trim().parse::<f64>().is_ok_and(|got| match op {
            Compare::Gt => got > *want,
            Compare::Gte => got >= *want,
            Compare::Lt => got < *want,
            Compare::Lte => got <= *want,
        }),
        ValueMatch::Null | ValueMatch::Exists(_) | ValueMatch::FieldRef(_) => false,
    }
}

/// A scalar's text as Sigma compares it: strings as they are, numbers and booleans as JSON writes
/// them. Objects and arrays have no scalar text.
fn scalar_text(value: &Value) -> Option<std::borrow::Cow<'_, str>> {
    match value {
        Value::String(s) => Some(std::borrow::Cow::Borrowed(s)),
        Value::Number(n) => Some(std::borrow::Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(std::borrow::Cow::Borrowed(if *b {
            "true"
        } else {
            "false"
        })),
        _ => None,
    }
}

/// Calls `f` on every value at `path` (a list on the way, or at the end, fans out to each element)
/// until `f` returns true. Returns whether it did.
pub(crate) fn for_each_leaf(
    value: &Value,
    path: &[String],
    f: &mut dyn FnMut(&Value) -> bool,
) -> bool {
    match path.split_first() {
        None => match value {
            Value::Array(items) => items.iter().any(&mut *f),
            other => f(other),
        },
        Some((key, rest)) => match value {
            Value::Object(map) => match map.get(key.as_str()) {
                Some(child) => for_each_leaf(child, rest, f),
                // Sigma field names may themselves hold dots (`eventName.keyword`): try the
                // longest literal key that prefixes the remaining path.
                None => dotted_key(map, key, rest, f),
            },
            Value::Array(items) => items.iter().any(|item| for_each_leaf(item, path, f)),
            _ => false,
        },
    }
}

fn dotted_key(
    map: &serde_json::Map<String, Value>,
    key: &str,
    rest: &[String],
    f: &mut dyn FnMut(&Value) -> bool,
) -> bool {
    let mut joined = key.to_string();
    for (i, part) in rest.iter().enumerate() {
        joined.push('.');
        joined.push_str(part);
        if let Some(child) = map.get(joined.as_str()) {
            return for_each_leaf(child, &rest[i + 1..], f);
        }
    }
    false
}

/// Whether the path leads to a key, whatever its value; lists on the way fan out.
fn is_present(value: &Value, path: &[String]) -> bool {
    match path.split_first() {
        None => true,
        Some((key, rest)) => match value {
            Value::Object(map) => map
                .get(key.as_str())
                .is_some_and(|child| is_present(child, rest)),
            Value::Array(items) => items.iter().any(|item| is_present(item, path)),
            _ => false,
        },
    }
}

/// Parses the value of a `|cidr` entry.
pub(crate) fn cidr(value: &str) -> Result<ValueMatch, String> {
    value
        .parse::<IpNet>()
        .or_else(|_| value.parse::<IpAddr>().map(IpNet::from))
        .map(ValueMatch::Cidr)
        .map_err(|_| format!("{value:?} is not a CIDR network"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(p: &str) -> Vec<String> {
        p.split('.').map(String::from).collect()
    }

    fn holds(m: &ValueMatch, p: &str, record: &Value) -> bool {
        value_holds(m, &path(p), record)
    }

    #[test]
    fn wildcards_escapes_and_case() {
        let r = json!({"a": "AccessDenied", "b": "x*y", "c": "Straße"});
        assert!(holds(
            &string_matcher("accessdenied", Anchor::Exact, false).unwrap(),
            "a",
            &r
        ));
        assert!(!holds(
            &string_matcher("accessdenied", Anchor::Exact, true).unwrap(),
            "a",
            &r
        ));
        assert!(holds(
            &string_matcher("Access*", Anchor::Exact, false).unwrap(),
            "a",
            &r
        ));
        assert!(!holds(
            &string_matcher("Access?", Anchor::Exact, false).unwrap(),
            "a",
            &r
        ));
        assert!(holds(
            &string_matcher("x\\*y", Anchor::Exact, false).unwrap(),
            "b",
            &r
        ));
        assert!(!holds(
            &string_matcher("x\\*y", Anchor::Exact, false).unwrap(),
            "a",
            &r
        ));
        assert!(!holds(
            &string_matcher("STRASSE", Anchor::Exact, false).unwrap(),
            "c",
            &r
        ));
        assert!(holds(
            &string_matcher("STRAßE", Anchor::Exact, false).unwrap(),
            "c",
            &r
        ));
        assert!(holds(
            &string_matcher("denied", Anchor::EndsWith, false).unwrap(),
            "a",
            &r
        ));
        assert!(!holds(
            &string_matcher("access", Anchor::EndsWith, false).unwrap(),
            "a",
            &r
        ));
        let r2 = json!({"p": "dom\\user", "q": "domuser"});
        let backslash = string_matcher("dom\\user", Anchor::Contains, false).unwrap();
        assert!(holds(&backslash, "p", &r2));
        assert!(!holds(&backslash, "q", &r2));
        assert!(holds(
            &string_matcher("SSDEN", Anchor::Contains, false).unwrap(),
            "a",
            &r
        ));
    }

    #[test]
    fn lists_on_the_path_fan_out() {
        let r = json!({"p": {"items": [{"ipRanges": {"items": [{"cidrIp": "10.0.0.0/8"}, {"cidrIp": "0.0.0.0/0"}]}}]}});
        let m = string_matcher("0.0.0.0/0", Anchor::Exact, false).unwrap();
        assert!(holds(&m, "p.items.ipRanges.items.cidrIp", &r));
        assert!(!holds(&m, "p.items.ipRanges.items.other", &r));
    }

    #[test]
    fn null_exists_fieldref_cidr_numbers() {
        let r = json!({"a": null, "b": "x", "n": 5, "s": "5", "user": "bob", "target": "carol", "ip": "203.0.113.9"});
        assert!(holds(&ValueMatch::Null, "a", &r));
        assert!(holds(&ValueMatch::Null, "missing", &r));
        assert!(!holds(&ValueMatch::Null, "b", &r));
        assert!(holds(&ValueMatch::Exists(true), "b", &r));
        assert!(holds(&ValueMatch::Exists(false), "missing", &r));
        let lists = json!({"empty": [], "n": null});
        assert!(holds(&ValueMatch::Exists(true), "empty", &lists));
        assert!(holds(&ValueMatch::Exists(true), "n", &lists));
        assert!(!holds(&ValueMatch::FieldRef(path("target")), "user", &r));
        assert!(holds(&ValueMatch::FieldRef(path("user")), "user", &r));
        let cased = json!({"a": "Alice", "b": "alice"});
        assert!(holds(&ValueMatch::FieldRef(path("b")), "a", &cased));
        assert!(holds(&cidr("203.0.113.0/24").unwrap(), "ip", &r));
        assert!(!holds(&cidr("10.0.0.0/8").unwrap(), "ip", &r));
        assert!(holds(&ValueMatch::Number(Compare::Gte, 5.0), "n", &r));
        assert!(holds(&ValueMatch::Number(Compare::Lt, 6.0), "s", &r));
        assert!(!holds(&ValueMatch::Number(Compare::Gt, 5.0), "n", &r));
        assert!(holds(
            &string_matcher("5", Anchor::Exact, false).unwrap(),
            "n",
            &r
        ));
    }

    #[test]
    fn dotted_keys_are_found() {
        let r = json!({"a.b": {"c": "yes"}});
        assert!(holds(
            &string_matcher("yes", Anchor::Exact, false).unwrap(),
            "a.b.c",
            &r
        ));
    }
}
