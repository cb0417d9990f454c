//! Findings: what the engine reports about the model.

use deadbolt_model::{Severity, Span, Suppression, Unknown};
use serde::Serialize;

use crate::rule::RuleMeta;

/// One misconfiguration of one resource, found by one rule.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// The rule that found it.
    #[serde(serialize_with = "rule_id")]
    pub rule: &'static RuleMeta,
    /// The resource's address (`module.web.aws_s3_bucket.logs[0]`).
    pub address: String,
    /// The resource's type in its source (`aws_s3_bucket`).
    pub resource_kind: String,
    /// The offending attribute, or the resource block when the attribute is missing.
    pub span: Span,
    /// What was found, with the evidence; secrets masked.
    pub message: String,
    /// The suppression that silenced it, for findings reported as suppressed.
    pub suppressed_by: Option<Suppression>,
    /// A raised severity because of what the resource holds (`--data-inventory`), if any.
    pub escalation: Option<Escalation>,
}

/// Why a finding's severity is above its rule's: the exposed resource holds sensitive data.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Escalation {
    /// The severity the finding now has.
    pub severity: Severity,
    /// The rule's own severity.
    pub from: Severity,
    /// The data that raised it, for messages (`restricted data: payment card number (12)`).
    pub reason: String,
}

impl Finding {
    /// The finding's severity: the rule's, or the raised one when an [`Escalation`] applies.
    pub fn severity(&self) -> Severity {
        self.escalation
            .as_ref()
            .map_or(self.rule.severity, |e| e.severity)
    }
}

fn rule_id<S: serde::Serializer>(rule: &&'static RuleMeta, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.id)
}

/// A rule that could not judge a resource because a value it needs is unknown.
#[derive(Clone, Debug, Serialize)]
pub struct NotEvaluated {
    /// The rule.
    #[serde(serialize_with = "rule_id")]
    pub rule: &'static RuleMeta,
    /// The resource's address.
    pub address: String,
    /// The resource block.
    pub span: Span,
    /// Why the value is unknown.
    pub reason: Unknown,
}

/// Why a suppression comment did nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnusedReason {
    /// The rule exists, ran, and found nothing on this resource to silence.
    NoFinding,
    /// No rule has that ID.
    UnknownRule,
}

/// A suppression that silenced nothing: stale, misspelled, or aimed at the wrong resource.
#[derive(Clone, Debug, Serialize)]
pub struct UnusedSuppression {
    /// The resource the suppression was attached to.
    pub address: String,
    /// The suppression.
    pub suppression: Suppression,
    /// Why it did nothing.
    pub reason: UnusedReason,
}
