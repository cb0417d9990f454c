//! Runs rules over a model, applies suppressions and rule selection, and tallies the outcomes.

use std::collections::{HashMap, HashSet};

use deadbolt_model::{Model, ResourceMeta, Span};

use crate::checks::{Checks, Outcome};
use crate::finding::{Finding, NotEvaluated, UnusedReason, UnusedSuppression};
use crate::rule::Rule;

/// Which rules run. An entry matches a rule whose ID equals it or starts with it followed by `-`
/// (`AWS-S3` selects `AWS-S3-001`...). An empty `select` means all rules.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Rule IDs or ID prefixes to run.
    pub select: Vec<String>,
    /// Rule IDs or ID prefixes to skip (wins over `select`).
    pub skip: Vec<String>,
}

impl Selection {
    /// Whether a selection entry (`AWS-S3-001`, or a prefix ending at a dash: `AWS-S3`) names the
    /// rule `id`. Case-insensitive.
    pub fn matches(pattern: &str, id: &str) -> bool {
        id.eq_ignore_ascii_case(pattern)
            || (id.len() > pattern.len()
                && id[..pattern.len()].eq_ignore_ascii_case(pattern)
                && id.as_bytes()[pattern.len()] == b'-')
    }

    /// Whether the rule with `id` runs.
    pub fn includes(&self, id: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|p| Self::matches(p, id)))
            && !self.skip.iter().any(|p| Self::matches(p, id))
    }
}

/// The tally of one evaluation.
#[derive(Clone, Debug, Default)]
pub struct Evaluation {
    /// Findings not suppressed, sorted by file, line, rule.
    pub findings: Vec<Finding>,
    /// Findings silenced by an inline suppression.
    pub suppressed: Vec<Finding>,
    /// (rule, resource) pairs that could not be judged.
    pub not_evaluated: Vec<NotEvaluated>,
    /// Number of (rule, resource) pairs that passed.
    pub passed: usize,
    /// Suppressions that silenced nothing.
    pub unused_suppressions: Vec<UnusedSuppression>,
    /// Number of rules that ran.
    pub rules_run: usize,
}

/// Runs `rules` (filtered by `selection`) over `model`.
///
/// Per rule and resource, failures win over unknowns, and unknowns over passes: a resource with one
/// failing security group rule and one unknown is reported as failing. `known_rule_ids` is every ID
/// that exists, so a suppression naming a rule that was not selected is not called a typo.
pub fn evaluate(
    model: &Model,
    rules: &[&'static dyn Rule],
    selection: &Selection,
    known_rule_ids: &HashSet<&'static str>,
) -> Evaluation {
    let mut eval = Evaluation::default();
    // A suppression is one comment naming one rule (span, upper-cased rule ID). One written on a
    // module call is attached to every resource inside; it is used if it silenced any of them.
    let mut used: HashSet<(Span, String)> = HashSet::new();
    let mut ran: HashSet<&'static str> = HashSet::new();

    for rule in rules.iter().filter(|r| selection.includes(r.meta().id)) {
        let meta = rule.meta();
        ran.insert(meta.id);
        eval.rules_run += 1;
        let mut checks = Checks::new();
        rule.check(model, &mut checks);

        // Group per resource, keeping first-seen order. Addresses repeat across root modules, so
        // the resource's identity is the metadata it lives in.
        let mut order: Vec<*const ResourceMeta> = Vec::new();
        let mut per_resource: HashMap<*const ResourceMeta, Vec<_>> = HashMap::new();
        for check in checks.entries {
            let key: *const ResourceMeta = check.resource;
            per_resource
                .entry(key)
                .or_insert_with(|| {
                    order.push(key);
                    Vec::new()
                })
                .push(check);
        }
        for key in order {
            let group = &per_resource[&key];
            let resource = group[0].resource;
            let fails: Vec<_> = group
                .iter()
                .filter_map(|c| match &c.outcome {
                    Outcome::Fail { span, message } => Some((c.resource, span, message)),
                    _ => None,
                })
                .collect();
            if !fails.is_empty() {
                for (res, span, message) in fails {
                    let suppression = res
                        .suppressions
                        .iter()
                        .find(|s| s.rule_id.eq_ignore_ascii_case(meta.id));
                    let finding = Finding {
                        rule: meta,
                        address: res.address.clone(),
                        resource_kind: res.kind.clone(),
                        span: span.clone(),
                        message: message.clone(),
                        suppressed_by: suppression.cloned(),
                        escalation: None,
                    };
                    match suppression {
                        Some(s) => {
                            used.insert((s.span.clone(), s.rule_id.to_ascii_uppercase()));
                            eval.suppressed.push(finding);
                        }
                        None => eval.findings.push(finding),
                    }
                }
            } else if let Some(reason) = group.iter().find_map(|c| match &c.outcome {
                Outcome::NotEvaluated(r) => Some(r),
                _ => None,
            }) {
                eval.not_evaluated.push(NotEvaluated {
                    rule: meta,
                    address: resource.address.clone(),
                    span: resource.span.clone(),
                    reason: reason.clone(),
                });
            } else {
                eval.passed += 1;
            }
        }
    }

    let mut seen: HashSet<(Span, String)> = HashSet::new();
    for resource in model.resources() {
        let meta = resource.meta();
        for s in &meta.suppressions {
            let key = (s.span.clone(), s.rule_id.to_ascii_uppercase());
            if used.contains(&key) || !seen.insert(key) {
                continue;
            }
            let id = known_rule_ids
                .iter()
                .find(|id| id.eq_ignore_ascii_case(&s.rule_id));
            let reason = match id {
                None => UnusedReason::UnknownRule,
                // A rule deliberately not run is not a stale suppression.
                Some(id) if !ran.contains(id) => continue,
                Some(_) => UnusedReason::NoFinding,
            };
            eval.unused_suppressions.push(UnusedSuppression {
                address: meta.address.clone(),
                suppression: s.clone(),
                reason,
            });
        }
    }

    let order = |f: &Finding| (f.span.clone(), f.rule.id, f.address.clone());
    eval.findings.sort_by_key(order);
    eval.suppressed.sort_by_key(order);
    eval.not_evaluated
        .sort_by(|a, b| (&a.span, a.rule.id).cmp(&(&b.span, b.rule.id)));
    eval.unused_suppressions
        .sort_by(|a, b| a.suppression.span.cmp(&b.suppression.span));
    eval
}
