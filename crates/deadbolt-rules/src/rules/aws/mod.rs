//! AWS rules, one folder per service.

use deadbolt_model::aws::ec2::FirewallRule;
use deadbolt_model::{ResourceMeta, Unknown};

use crate::checks::Checks;
use crate::rule::Rule;

mod accessanalyzer;
mod apigateway;
mod cloudfront;
mod cloudtrail;
mod config;
mod datastore;
mod dynamodb;
mod ec2;
mod ecr;
mod eks;
mod elb;
mod guardduty;
mod iam;
mod kms;
mod lambda;
mod lightsail;
mod rds;
mod regional;
mod residency;
mod s3;
mod securityhub;
mod shared_copies;

/// Every AWS rule.
pub(crate) fn all() -> Vec<&'static dyn Rule> {
    let mut rules = Vec::new();
    rules.extend_from_slice(apigateway::RULES);
    rules.extend_from_slice(iam::RULES);
    rules.extend_from_slice(s3::RULES);
    rules.extend_from_slice(ec2::RULES);
    rules.extend_from_slice(rds::RULES);
    rules.extend_from_slice(dynamodb::RULES);
    rules.extend_from_slice(kms::RULES);
    rules.extend_from_slice(cloudtrail::RULES);
    rules.extend_from_slice(elb::RULES);
    rules.extend_from_slice(cloudfront::RULES);
    rules.extend_from_slice(lambda::RULES);
    rules.extend_from_slice(eks::RULES);
    rules.extend_from_slice(ecr::RULES);
    rules.extend_from_slice(datastore::RULES);
    rules.extend_from_slice(config::RULES);
    rules.extend_from_slice(lightsail::RULES);
    rules.extend_from_slice(guardduty::RULES);
    rules.extend_from_slice(securityhub::RULES);
    rules.extend_from_slice(accessanalyzer::RULES);
    rules.extend_from_slice(residency::RULES);
    rules
}

/// Judges the firewall rules of one resource (a security group, a Lightsail instance): each rule
/// open to the world that `matches` fails at the rule, on the resource that declared it, with the
/// message `describe` gives; with no failure the owner passes, or is not evaluated when a rule's
/// CIDRs, protocol or ports are unknown.
pub(crate) fn judge_world_rules<'m>(
    checks: &mut Checks<'m>,
    owner: &'m ResourceMeta,
    rules: impl Iterator<Item = &'m FirewallRule>,
    matches: impl Fn(&FirewallRule) -> Option<bool>,
    describe: impl Fn(&FirewallRule) -> String,
) {
    let mut failed = false;
    let mut unknown: Option<&Unknown> = None;
    for rule in rules {
        match (rule.open_to_world(), matches(rule)) {
            (Some(true), Some(true)) => {
                checks.fail(&rule.origin, &rule.span, describe(rule));
                failed = true;
            }
            (Some(false), _) | (_, Some(false)) => {}
            _ => unknown = unknown.or_else(|| rule.first_unknown()),
        }
    }
    match (failed, unknown) {
        (true, _) => {}
        (false, Some(reason)) => checks.not_evaluated(owner, reason),
        (false, None) => checks.pass(owner),
    }
}
