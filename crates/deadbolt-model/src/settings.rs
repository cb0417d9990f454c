//! [`Settings`]: typed reading of what a source evaluated for one block or property map, the same
//! way for every source (a Terraform block body, a CloudFormation `Properties` mapping).

use std::borrow::Cow;

use crate::attr::Attr;
use crate::span::Span;
use crate::value::Value;

/// A block of evaluated settings that mappings read into the model's [`Attr`]s.
///
/// Implementors say where each setting is and what it evaluated to; the provided methods turn that
/// into attributes with the shared rules of [`Attr::from_value`]: absent or null is the default
/// (not explicit), unknown stays unknown with its reason, a value of another type is unknown saying
/// so.
pub trait Settings {
    /// The evaluated value of `name` and where it is written; `None` when it is not written.
    fn setting(&self, name: &str) -> Option<(Cow<'_, Value>, Span)>;

    /// Where a setting that is not written is reported (the block, or the resource).
    fn absent_span(&self) -> Span;

    /// Any setting as a typed [`Attr`], converting with `convert`; `expected` names the type in
    /// the reason when the value has another (`a boolean`).
    fn typed<T>(
        &self,
        name: &str,
        default: T,
        convert: impl Fn(&Value) -> Option<T>,
        expected: &str,
    ) -> Attr<T> {
        let written = self.setting(name);
        Attr::from_value(
            written.as_ref().map(|(v, span)| (v.as_ref(), span.clone())),
            self.absent_span(),
            default,
            convert,
            name,
            expected,
        )
    }

    /// A boolean (`true`, or the string `"true"`).
    fn bool(&self, name: &str, default: bool) -> Attr<bool> {
        self.typed(name, default, Value::as_bool, "a boolean")
    }

    /// A string (a number or boolean is converted, as both Terraform and CloudFormation do).
    fn string(&self, name: &str, default: &str) -> Attr<String> {
        self.typed(name, default.to_string(), Value::scalar_string, "a string")
    }

    /// A whole number.
    fn int(&self, name: &str, default: i64) -> Attr<i64> {
        self.typed(name, default, Value::as_i64, "a whole number")
    }

    /// An optional string: known `None` when absent, null or empty.
    fn opt_string(&self, name: &str) -> Attr<Option<String>> {
        self.typed(
            name,
            None,
            |v| match v {
                // Unknown stays unknown: converting it to "absent" would be a guess.
                Value::Unknown(_) => None,
                v => v.scalar_string().map(|s| (!s.is_empty()).then_some(s)),
            },
            "a string",
        )
    }

    /// An optional boolean: known `None` when absent or null.
    fn opt_bool(&self, name: &str) -> Attr<Option<bool>> {
        self.typed(name, None, |v| v.as_bool().map(Some), "a boolean")
    }

    /// A list of strings (a single string counts as a one-element list); empty when absent.
    fn strings(&self, name: &str) -> Attr<Vec<String>> {
        self.typed(name, Vec::new(), Value::string_list, "a list of strings")
    }
}
