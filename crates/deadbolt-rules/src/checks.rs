//! [`Checks`]: where a rule records its verdict on each resource.

use deadbolt_model::{Attr, ResourceMeta, Span, Unknown};

/// The verdict of one rule on one resource (or one part of it).
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The resource is misconfigured.
    Fail {
        /// The offending attribute (or the resource block when the attribute is missing).
        span: Span,
        /// What was found, with the evidence; secrets already masked.
        message: String,
    },
    /// The resource satisfies the control.
    Pass,
    /// The verdict depends on a value that cannot be known before deployment.
    NotEvaluated(Unknown),
}

/// One recorded outcome.
#[derive(Clone, Debug)]
pub struct Check<'m> {
    /// The resource judged.
    pub resource: &'m ResourceMeta,
    /// The verdict.
    pub outcome: Outcome,
}

/// Collects the outcomes of one rule.
#[derive(Debug, Default)]
pub struct Checks<'m> {
    pub(crate) entries: Vec<Check<'m>>,
}

impl<'m> Checks<'m> {
    /// An empty collector.
    pub fn new() -> Self {
        Checks::default()
    }

    /// Records a failure at `span`.
    pub fn fail(&mut self, resource: &'m ResourceMeta, span: &Span, message: impl Into<String>) {
        self.entries.push(Check {
            resource,
            outcome: Outcome::Fail {
                span: span.clone(),
                message: message.into(),
            },
        });
    }

    /// Records a pass.
    pub fn pass(&mut self, resource: &'m ResourceMeta) {
        self.entries.push(Check {
            resource,
            outcome: Outcome::Pass,
        });
    }

    /// Records that the verdict depends on an unknown value.
    pub fn not_evaluated(&mut self, resource: &'m ResourceMeta, reason: &Unknown) {
        self.entries.push(Check {
            resource,
            outcome: Outcome::NotEvaluated(reason.clone()),
        });
    }

    /// Records that the verdict depends on `attr`, which is unknown. (Called with a known
    /// attribute it records a not-evaluated outcome with a generic reason rather than panicking.)
    pub fn not_evaluated_attr<T>(&mut self, resource: &'m ResourceMeta, attr: &Attr<T>) {
        let fallback = Unknown::new("a value this rule needs is unknown");
        self.not_evaluated(resource, attr.unknown_reason().unwrap_or(&fallback));
    }

    /// Records a three-way verdict: `Some(true)` fails at `span` with `message()`, `Some(false)`
    /// passes, `None` is not evaluated with `reason`.
    pub fn verdict(
        &mut self,
        resource: &'m ResourceMeta,
        failing: Option<bool>,
        span: &Span,
        reason: Option<&Unknown>,
        message: impl FnOnce() -> String,
    ) {
        match failing {
            Some(true) => self.fail(resource, span, message()),
            Some(false) => self.pass(resource),
            None => {
                let fallback = Unknown::new("a value this rule needs is unknown");
                self.not_evaluated(resource, reason.unwrap_or(&fallback));
            }
        }
    }

    /// Judges one attribute: passes when `ok(value)` holds, fails at the attribute's span with
    /// `message(value)` when it does not, and is not evaluated when the value is unknown.
    pub fn require<T>(
        &mut self,
        resource: &'m ResourceMeta,
        attr: &Attr<T>,
        ok: impl FnOnce(&T) -> bool,
        message: impl FnOnce(&T) -> String,
    ) {
        match attr.known() {
            Some(v) if ok(v) => self.pass(resource),
            Some(v) => self.fail(resource, &attr.span, message(v)),
            None => self.not_evaluated_attr(resource, attr),
        }
    }
}

/// Masks a secret for display: the first four characters, then `*` for the rest (at least four).
/// Values of eight characters or fewer are masked entirely.
pub fn mask(secret: &str) -> String {
    let count = secret.chars().count();
    if count <= 8 {
        return "*".repeat(count.max(4));
    }
    let head: String = secret.chars().take(4).collect();
    format!("{head}{}", "*".repeat(count - 4))
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn mask_never_shows_more_than_four_characters() {
        assert_eq!(mask("AKIAIOSFODNN7EXAMPLE"), "AKIA****************");
        assert_eq!(mask("hunter2"), "*******");
        assert_eq!(mask(""), "****");
    }
}
