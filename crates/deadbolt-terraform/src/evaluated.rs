//! The evaluator's output: resource instances with every attribute evaluated and spanned. This is
//! the seam between HCL evaluation and mapping into the model.

use std::collections::BTreeMap;
use std::sync::Arc;

use std::borrow::Cow;

use deadbolt_model::{Attr, Settings, Span, Suppression, Unknown, Value};

/// One evaluated attribute.
#[derive(Clone, Debug)]
pub struct EvalAttr {
    /// The value (possibly unknown, or containing unknown parts).
    pub value: Value,
    /// Where the attribute is written.
    pub span: Span,
    /// For a string template whose value is unknown only in parts (`"${aws_s3_bucket.b.arn}/*"` in
    /// a heredoc policy): the text with each unknown interpolation replaced by [`PLACEHOLDER`], so
    /// that a structured reader (policy JSON) can still judge the known parts.
    pub partial: Option<String>,
    /// Addresses of the resource instances the expression referred to
    /// (`module.m.aws_s3_bucket.b[0]`), so split resources can be joined to their parent by
    /// reference even when the referenced attribute (an `id`, an `arn`) is only known after apply.
    pub refs: Vec<Arc<str>>,
}

/// A nested block (after `dynamic` expansion).
#[derive(Clone, Debug)]
pub struct EvalBlock {
    /// The block type (`ingress`, `versioning`, ...).
    pub name: String,
    /// The block's body.
    pub body: EvalBody,
}

/// An evaluated block body.
#[derive(Clone, Debug)]
pub struct EvalBody {
    /// The whole block.
    pub span: Span,
    /// Attributes by name.
    pub attrs: BTreeMap<String, EvalAttr>,
    /// Nested blocks in source order.
    pub blocks: Vec<EvalBlock>,
}

/// One resource instance after `count`/`for_each` expansion.
#[derive(Clone, Debug)]
pub struct EvaluatedResource {
    /// The full address (`module.web.aws_instance.app["blue"]`).
    pub address: String,
    /// The resource type (`aws_instance`).
    pub resource_type: String,
    /// The body.
    pub body: EvalBody,
    /// Suppressions written on the resource and on the module calls that lead to it.
    pub suppressions: Vec<Suppression>,
    /// For an AWS resource evaluated from HCL: the region of the provider configuration it uses
    /// (unknown with the reason when the configuration does not set one). `None` for other
    /// providers and for plan JSON, whose resources get no location.
    pub provider_region: Option<Attr<String>>,
}

impl EvalBody {
    /// The attribute `name`, if written.
    pub fn attr(&self, name: &str) -> Option<&EvalAttr> {
        self.attrs.get(name)
    }

    /// The first nested block named `name`.
    pub fn block(&self, name: &str) -> Option<&EvalBody> {
        self.blocks.iter().find(|b| b.name == name).map(|b| &b.body)
    }

    /// Every nested block named `name`.
    pub fn blocks<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a EvalBody> + 'a {
        self.blocks
            .iter()
            .filter(move |b| b.name == name)
            .map(|b| &b.body)
    }

    /// An optional identifier (a key ARN, a log group, a target bucket): known `None` when absent,
    /// null or empty. A value known only after apply that comes from a resource in the scan
    /// (`kms_key_id = aws_kms_key.logs.arn`) is certainly set, so it is recorded as set, holding that
    /// resource's address; any other unknown (an unset variable) stays unknown.
    pub fn reference(&self, name: &str) -> Attr<Option<String>> {
        let value = self.opt_string(name);
        if let Some(reason) = value.unknown_reason()
            && is_computed(reason)
            && let Some(attr) = self.attrs.get(name)
            && let Some(first) = attr.refs.first()
        {
            return Attr::set(Some(first.to_string()), attr.span.clone());
        }
        value
    }

    /// A list of strings whose elements may be partly unknown: the known elements, and the reason
    /// when some are unknown (`[var.office, "0.0.0.0/0"]` yields `["0.0.0.0/0"]` and the reason).
    /// An unknown list as a whole is an unknown [`Attr`].
    pub fn strings_partial(&self, name: &str) -> (Attr<Vec<String>>, Option<Unknown>) {
        if let Some(attr) = self.attrs.get(name)
            && let Value::List(items) = &attr.value
            && let Some(reason) = items.iter().find_map(Value::unknown)
        {
            let known = items.iter().filter_map(Value::scalar_string).collect();
            return (Attr::set(known, attr.span.clone()), Some(reason.clone()));
        }
        (self.strings(name), None)
    }
}

impl Settings for EvalBody {
    fn setting(&self, name: &str) -> Option<(Cow<'_, Value>, Span)> {
        self.attrs
            .get(name)
            .map(|a| (Cow::Borrowed(&a.value), a.span.clone()))
    }

    fn absent_span(&self) -> Span {
        self.span.clone()
    }
}

/// Stands for an unknown interpolation in [`EvalAttr::partial`].
pub const PLACEHOLDER: &str = "__deadbolt_unknown__";

/// The end of the reason of every value the provider computes at apply time (`aws_kms_key.k.arn is
/// known only after apply`). Mappings use [`is_computed`] to tell "set from another resource" from
/// "unknown for another reason".
pub(crate) const AFTER_APPLY: &str = "is known only after apply";

/// An unknown for `<address>.<attribute>` computed by the provider.
pub(crate) fn computed(address: &str, attribute: &str) -> Unknown {
    Unknown::new(format!("{address}.{attribute} {AFTER_APPLY}"))
}

/// Whether `reason` is a provider-computed attribute (see [`computed`]).
pub(crate) fn is_computed(reason: &Unknown) -> bool {
    reason.0.ends_with(AFTER_APPLY)
}
