//! [`Attr`]: a resource attribute that is either known or unknown, and where it came from.

use std::sync::Arc;

use serde::Serialize;

use crate::span::Span;
use crate::value::Value;

/// Why a value could not be known without deploying: an unset variable, a data source, a remote
/// module output, a computed attribute, or a function deadbolt does not evaluate.
///
/// The text is shown to users in the "not evaluated" part of a report, e.g.
/// `var.bucket_name has no default and no value was given`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Unknown(pub Arc<str>);

impl Unknown {
    /// An unknown with the given reason.
    pub fn new(reason: impl Into<Arc<str>>) -> Self {
        Unknown(reason.into())
    }
}

impl std::fmt::Display for Unknown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The state of an attribute's value.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "state", content = "value", rename_all = "snake_case")]
pub enum State<T> {
    /// The value is known.
    Known(T),
    /// The value cannot be known before deployment.
    Unknown(Unknown),
}

/// A resource attribute: its value (known or not), the span it came from, and whether the source set
/// it explicitly or the provider's default applies.
///
/// When the attribute is absent from the source, the span is the resource block's span, so a finding
/// about a missing setting points at the resource.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attr<T> {
    /// The value or the reason it is unknown.
    pub state: State<T>,
    /// Where the value was written (or the resource block, for defaults).
    pub span: Span,
    /// `true` when the source wrote the attribute; `false` when the provider default applies.
    pub explicit: bool,
}

impl<T> Attr<T> {
    /// Converts a source's evaluated value into an attribute, the same way for every source.
    ///
    /// `written` is the value and its span when the source sets `name`; `absent_span` is where an
    /// absent setting is reported (the enclosing block or resource). Absent or null gives `default`
    /// (not explicit); a value `convert` accepts is set; an unknown value (or one whose unknown
    /// parts `convert` cannot see past) is unknown with its reason; a value of another type is
    /// unknown with a reason naming `expected`.
    pub fn from_value(
        written: Option<(&Value, Span)>,
        absent_span: Span,
        default: T,
        convert: impl Fn(&Value) -> Option<T>,
        name: &str,
        expected: &str,
    ) -> Attr<T> {
        let Some((value, span)) = written else {
            return Attr::default(default, absent_span);
        };
        if value.is_null() {
            return Attr::default(default, span);
        }
        match convert(value) {
            Some(v) => Attr::set(v, span),
            None => {
                let reason = match value.first_unknown() {
                    Some(u) => u.clone(),
                    None => Unknown::new(format!(
                        "`{name}` is {} where {expected} was expected",
                        value.type_name()
                    )),
                };
                Attr::unknown(reason, span)
            }
        }
    }

    /// A value the source wrote at `span`.
    pub fn set(value: T, span: Span) -> Self {
        Attr {
            state: State::Known(value),
            span,
            explicit: true,
        }
    }

    /// A provider default that applies because the source did not write the attribute; `span` is the
    /// resource block.
    pub fn default(value: T, span: Span) -> Self {
        Attr {
            state: State::Known(value),
            span,
            explicit: false,
        }
    }

    /// A value that cannot be known before deployment.
    pub fn unknown(reason: Unknown, span: Span) -> Self {
        Attr {
            state: State::Unknown(reason),
            span,
            explicit: true,
        }
    }

    /// The value, if known.
    pub fn known(&self) -> Option<&T> {
        match &self.state {
            State::Known(v) => Some(v),
            State::Unknown(_) => None,
        }
    }

    /// Why the value is unknown, if it is.
    pub fn unknown_reason(&self) -> Option<&Unknown> {
        match &self.state {
            State::Known(_) => None,
            State::Unknown(u) => Some(u),
        }
    }

    /// Applies `f` to a known value, keeping the span and explicitness.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Attr<U> {
        let state = match self.state {
            State::Known(v) => State::Known(f(v)),
            State::Unknown(u) => State::Unknown(u),
        };
        Attr {
            state,
            span: self.span,
            explicit: self.explicit,
        }
    }
}

impl<T: PartialEq> Attr<T> {
    /// `Some(true)` when the value is known and equals `other`, `Some(false)` when known and
    /// different, `None` when unknown.
    pub fn is(&self, other: &T) -> Option<bool> {
        self.known().map(|v| v == other)
    }
}
