//! Typed access to a resource's evaluated properties, with spans: the seam between the template
//! evaluator and the mappings into the model.

use deadbolt_model::aws::iam::PolicyDocument;
use std::borrow::Cow;

use deadbolt_model::{Attr, Settings, Span, Unknown, Value};
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

impl Settings for Props<'_> {
    fn setting(&self, name: &str) -> Option<(Cow<'_, Value>, Span)> {
        self.value(name).map(|(v, span)| (Cow::Owned(v), span))
    }

    fn absent_span(&self) -> Span {
        self.span()
    }

    /// Also `"True"`/`"FALSE"`: CloudFormation compares boolean strings without regard to case.
    fn bool(&self, name: &str, default: bool) -> Attr<bool> {
        self.typed(name, default, as_bool, "a boolean")
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
