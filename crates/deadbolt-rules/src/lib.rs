//! deadbolt's rules and the engine that runs them.
//!
//! One rule per file under `rules/<provider>/<service>/`; each rule's doc comment is its
//! documentation (what it checks, why it matters, a failing and a passing example, the fix,
//! references). [`registry`] lists every rule by stable ID; [`engine::evaluate`] runs a selection of
//! them over a [`deadbolt_model::Model`] and produces [`finding::Finding`]s.

pub mod checks;
pub mod engine;
pub mod exposure;
pub mod finding;
pub mod registry;
pub mod rule;
mod rules;

pub use checks::{Checks, Outcome, mask};
pub use engine::{Evaluation, Selection, evaluate};
pub use exposure::{DataInventory, HeldData, escalate_exposure};
pub use finding::{Escalation, Finding, NotEvaluated, UnusedReason, UnusedSuppression};
pub use rule::{Equivalents, References, Rule, RuleMeta};
