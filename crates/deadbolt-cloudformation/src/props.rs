//! Typed access to a resource's evaluated properties, with spans: the seam between the template
//! evaluator and the mappings into the model.

use deadbolt_model::aws::iam::PolicyDocument;
use deadbolt_model::{Attr, Span, Unknown, Value};
use deadbolt_yaml::Node;

use crate::template::Template;

/// A properties mapping (a resource's `Properties`, or a nested property such as
/// `BucketEncryption`) read through the template's evaluator.
#[derive(Clone)]
pub(crate) struct Props<'t> {
    pub template: &'t Template<'t>,
    /// The mapping, or `None` when it is absent (every property then reads as absent).
    pub node: Option<&'t Node>,
    /// Where an absent property is reported: the enclosing property (key to end of value), or
    /// the resource (from its logical ID).
    pub fallback: Span,
}

impl<'t> Props<'t> {
    /// The span of a property: from its key to the end of its value.
    pub fn span_of(key: &Node, value: &Node) -> Span {
        Span {
            file: key.span.file.clone(),
            start: key.span.start,
            end: value.span.end.max(key.span.end),
        }
    }

    /// The key and value nodes of `name`, if written (a property removed with `AWS::NoValue` or
    /// an `Fn::If` that picks it reads as written; its value is null).
    pub fn entry(&self, name: &str) -> Option<(&'t Node, &'t Node)> {
        self.node?.entry(name)
    }

    /// The evaluated value and span of `name`; `None` when absent.
    pub fn value(&self, name: &str) -> Option<(Value, Span)> {
        let (key, value) = self.entry(name)?;
        Some((self.template.eval(value), Self::span_of(key, value)))
    }

    /// A nested mapping property, as `Props` (absent: every property of it reads as absent and
    /// is reported at this mapping's span or the property's key).
    pub fn nested(&self, name: &str) -> Props<'t> {
        match self.entry(name) {
            Some((key, value)) => Props {
                template: self.template,
                node: Some(value).filter(|v| v.as_mapping().is_some()),
                fallback: Self::span_of(key, value),
            },
            None => Props {
                template: self.template,
                node: None,
                fallback: self.fallback.clone(),
            },
        }
    }

    /// Whether `name` is written (and not removed with `AWS::NoValue`).
    pub fn has(&self, name: &str) -> bool {
        self.value(name).is_some_and(|(v, _)| !v.is_null())
    }

    /// Each mapping in a list property, as `Props`.
    pub fn list(&self, name: &str) -> Vec<Props<'t>> {
        let Some((_, value)) = self.entry(name) else {
            return Vec::new();
        };
        value
            .as_sequence()
            .unwrap_or_default()
            .iter()
            .map(|item| Props {
                template: self.template,
                node: Some(item).filter(|i| i.as_mapping().is_some()),
                fallback: item.span.clone(),
            })
            .collect()
    }

    /// Where a property absent from this mapping is reported: the property holding the mapping,
    /// or the resource.
    pub fn span(&self) -> Span {
        self.fallback.clone()
    }

    /// The span where property `name` is, or would be written.
    pub fn span_for(&self, name: &str) -> Span {
        match self.entry(name) {
            Some((k, v)) => Self::span_of(k, v),
            None => self.span(),
        }
    }

    /// Any property as a typed [`Attr`], converting with `convert`. Absent or null gives
    /// `default`; an unknown value gives an unknown; a value of the wrong type gives an unknown
    /// that says so.
    pub fn typed<T>(
        &self,
        name: &str,
        default: T,
        convert: impl Fn(&Value) -> Option<T>,
        expected: &str,
    ) -> Attr<T> {
        let written = self.value(name);
        Attr::from_value(
            written.as_ref().map(|(v, span)| (v, span.clone())),
            self.span(),
            default,
            convert,
            name,
            expected,
        )
    }

    /// A boolean property (`true`, or the string `"true"`).
    pub fn bool(&self, name: &str, default: bool) -> Attr<bool> {
        self.typed(name, default, as_bool, "a boolean")
    }

    /// A string property.
    pub fn string(&self, name: &str, default: &str) -> Attr<String> {
        self.typed(name, default.to_string(), Value::scalar_string, "a string")
    }

    /// An integer property.
    pub fn int(&self, name: &str, default: i64) -> Attr<i64> {
        self.typed(name, default, Value::as_i64, "a whole number")
    }

    /// An optional string: known `None` when absent, null or empty.
    pub fn opt_string(&self, name: &str) -> Attr<Option<String>> {
        self.typed(
            name,
            None,
            |v| match v {
                Value::Unknown(_) => None,
                v => Value::scalar_string(v).map(|s| (!s.is_empty()).then_some(s)),
            },
            "a string",
        )
    }

    /// An optional identifier (a key ARN, a log group, a bucket): known `None` when absent. A value
    /// known only once the stack exists that comes from a resource of the template (`!GetAtt
    /// Key.Arn`, `!Ref Key`) is certainly set, so it is recorded as set, holding that resource's
    /// logical ID; any other unknown (a parameter without a value) stays unknown.
    pub fn reference(&self, name: &str) -> Attr<Option<String>> {
        let value = self.opt_string(name);
        if value.unknown_reason().is_some()
            && let Some((_, node)) = self.entry(name)
            && let Some(first) = self.template.references(node).into_iter().next()
        {
            return Attr::set(Some(first), value.span);
        }
        value
    }

    /// A list of strings (a single string counts as one); empty when absent.
    pub fn strings(&self, name: &str) -> Attr<Vec<String>> {
        self.typed(name, Vec::new(), string_list, "a list of strings")
    }

    /// The logical IDs of template resources that property `name` refers to.
    pub fn references_in(&self, name: &str) -> Vec<String> {
        self.entry(name)
            .map(|(_, v)| self.template.references(v))
            .unwrap_or_default()
    }

    /// A policy document property: a JSON object (possibly with intrinsics, whose unknown parts
    /// stay unknown), or a JSON string. Absent: known `None`.
    pub fn policy(&self, name: &str) -> Attr<Option<PolicyDocument>> {
        let Some((value, span)) = self.value(name) else {
            return Attr::default(None, self.span());
        };
        let parsed = match &value {
            Value::Null => return Attr::default(None, span),
            Value::String(s) => PolicyDocument::from_json_str(s),
            Value::Unknown(u) => return Attr::unknown(u.clone(), span),
            other => PolicyDocument::from_value(other),
        };
        match parsed {
            Ok(doc) => Attr::set(Some(doc), span),
            Err(e) => Attr::unknown(Unknown::new(e.to_string()), span),
        }
    }
}

fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A list of scalar strings, or one scalar as a one-element list; `None` when an element is
/// unknown or not a scalar.
pub(crate) fn string_list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::List(items) => items.iter().map(Value::scalar_string).collect(),
        other => Value::scalar_string(other).map(|s| vec![s]),
    }
}
