//! Reading typed fields out of manifest nodes. A field of the wrong shape is reported once, with its
//! line, and read as absent, so one bad field never hides the rest of the object.

use std::sync::Arc;

use deadbolt_model::{Attr, Diagnostic, Level, Span};
use deadbolt_yaml::Node;

/// The state one document's mapping shares: where diagnostics go.
pub(crate) struct Ctx<'d> {
    pub(crate) file: Arc<str>,
    pub(crate) diagnostics: &'d mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    /// Reports a malformed field at `node`.
    pub(crate) fn problem(&mut self, node: &Node, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::at(
            Level::Error,
            self.file.clone(),
            node.span.start.line,
            node.span.start.column,
            message.into(),
        ));
    }

    /// The mapping at `key` of `parent`; `None` when absent or null, reported when not a mapping.
    pub(crate) fn mapping<'n>(
        &mut self,
        parent: Option<&'n Node>,
        key: &str,
        path: &str,
    ) -> Option<&'n Node> {
        let value = parent?.get(key)?;
        if value.as_mapping().is_some() {
            Some(value)
        } else if value.is_null() {
            None
        } else {
            self.problem(value, format!("`{path}` should be a mapping; ignored"));
            None
        }
    }

    /// The items of the sequence at `key` of `parent`; empty when absent or null, reported when not
    /// a sequence.
    pub(crate) fn sequence<'n>(
        &mut self,
        parent: Option<&'n Node>,
        key: &str,
        path: &str,
    ) -> &'n [Node] {
        let Some(value) = parent.and_then(|p| p.get(key)) else {
            return &[];
        };
        match value.as_sequence() {
            Some(items) => items,
            None if value.is_null() => &[],
            None => {
                self.problem(value, format!("`{path}` should be a list; ignored"));
                &[]
            }
        }
    }

    /// A boolean at `key`: set at the key's span, or `default` at `fallback` when absent.
    pub(crate) fn bool(
        &mut self,
        parent: Option<&Node>,
        key: &str,
        path: &str,
        default: bool,
        fallback: &Span,
    ) -> Attr<bool> {
        let attr = self.opt_bool(parent, key, path, fallback);
        let span = attr.span.clone();
        match attr.known() {
            Some(Some(v)) => Attr::set(*v, span),
            _ => Attr::default(default, fallback.clone()),
        }
    }

    /// An optional boolean at `key`: `Some` at the key's span when written, `None` at `fallback`.
    pub(crate) fn opt_bool(
        &mut self,
        parent: Option<&Node>,
        key: &str,
        path: &str,
        fallback: &Span,
    ) -> Attr<Option<bool>> {
        self.scalar(parent, key, path, "a boolean", fallback, Node::as_bool)
    }

    /// An optional integer at `key`.
    pub(crate) fn opt_i64(
        &mut self,
        parent: Option<&Node>,
        key: &str,
        path: &str,
        fallback: &Span,
    ) -> Attr<Option<i64>> {
        self.scalar(parent, key, path, "an integer", fallback, Node::as_i64)
    }

    /// An optional scalar at `key`, as text (`cpu: 1` and `cpu: "1"` read the same).
    pub(crate) fn opt_text(
        &mut self,
        parent: Option<&Node>,
        key: &str,
        path: &str,
        fallback: &Span,
    ) -> Attr<Option<String>> {
        self.scalar(parent, key, path, "a string", fallback, |n| {
            n.scalar_text().map(|t| t.into_owned())
        })
    }

    fn scalar<T>(
        &mut self,
        parent: Option<&Node>,
        key: &str,
        path: &str,
        what: &str,
        fallback: &Span,
        read: impl Fn(&Node) -> Option<T>,
    ) -> Attr<Option<T>> {
        let Some((k, v)) = parent.and_then(|p| p.entry(key)) else {
            return Attr::default(None, fallback.clone());
        };
        if v.is_null() {
            return Attr::default(None, fallback.clone());
        }
        match read(v) {
            Some(value) => Attr::set(Some(value), k.span.clone()),
            None => {
                self.problem(v, format!("`{path}` should be {what}; ignored"));
                Attr::default(None, fallback.clone())
            }
        }
    }

    /// A list of strings at `key` (a scalar is read as a one-item list, as `kubectl` does not, but
    /// it is what the author meant); items that are not scalars are reported and skipped.
    pub(crate) fn strings(&mut self, parent: Option<&Node>, key: &str, path: &str) -> Vec<String> {
        let Some(value) = parent.and_then(|p| p.get(key)) else {
            return Vec::new();
        };
        if let Some(text) = value.scalar_text() {
            return vec![text.into_owned()];
        }
        let mut out = Vec::new();
        for item in self.sequence(parent, key, path) {
            match item.scalar_text() {
                Some(t) => out.push(t.into_owned()),
                None if item.is_null() => {}
                None => self.problem(item, format!("`{path}` entries should be strings; ignored")),
            }
        }
        out
    }
}

/// A scalar field's text.
pub(crate) fn text(node: Option<&Node>, key: &str) -> Option<String> {
    node?.get(key)?.scalar_text().map(|t| t.into_owned())
}
