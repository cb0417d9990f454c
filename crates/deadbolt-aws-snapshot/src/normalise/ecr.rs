//! ECR repositories.
//!
//! Reads every page of `ecr:DescribeRepositories` of every region into [`Repository`]s
//! (`repositoryName`, `imageTagMutability`, `imageScanningConfiguration.scanOnPush`,
//! `encryptionConfiguration.encryptionType`), then the region's
//! `GetRegistryScanningConfiguration`: every rule that is not `MANUAL` turns scanning on for the
//! repositories its `repositoryFilters` match ([`Repository::apply_registry_scanning`]). When that
//! call failed, a repository that does not scan on push by itself may still be covered, so its
//! `scan_on_push` is unknown.

use deadbolt_model::aws::ecr::Repository;
use deadbolt_model::{Attr, Unknown};

use super::pages::{Pages, pages};
use super::resource::{regional, required};
use super::{Context, span_of};
use crate::json::{boolean, list, path, text};

/// Reads every region's repositories.
pub(super) fn normalise(cx: &mut Context<'_>) {
    let mut regions: Vec<String> = Vec::new();
    for call in cx.calls.all("ecr", "DescribeRepositories") {
        if !regions.contains(&call.region) {
            regions.push(call.region.clone());
        }
    }
    for region in &regions {
        let mut repositories = Vec::new();
        for call in cx.calls.in_region("ecr", "DescribeRepositories", region) {
            let Some(response) = cx.listing(call) else {
                continue;
            };
            let span = span_of(call);
            for repo in list(response.get("repositories")) {
                let Some(arn) = required(cx, call, repo, "repositoryArn") else {
                    continue;
                };
                let name = match text(repo.get("repositoryName")) {
                    Some(name) => Attr::set(name, span.clone()),
                    None => Attr::unknown(
                        Unknown::new("ecr:DescribeRepositories gave no repositoryName"),
                        span.clone(),
                    ),
                };
                let tag_mutability = match text(repo.get("imageTagMutability")) {
                    Some(m) => Attr::set(m, span.clone()),
                    None => Attr::default("MUTABLE".to_string(), span.clone()),
                };
                let scan_on_push =
                    match boolean(path(repo, &["imageScanningConfiguration", "scanOnPush"])) {
                        Some(on) => Attr::set(on, span.clone()),
                        None => Attr::default(false, span.clone()),
                    };
                let encryption_type =
                    match text(path(repo, &["encryptionConfiguration", "encryptionType"])) {
                        Some(t) => Attr::set(t, span.clone()),
                        None => Attr::default("AES256".to_string(), span.clone()),
                    };
                repositories.push(Repository {
                    meta: regional(arn, "AWS::ECR::Repository", call),
                    name,
                    tag_mutability,
                    scan_on_push,
                    encryption_type,
                });
            }
        }
        if repositories.is_empty() {
            continue;
        }
        match pages(
            cx.calls,
            "ecr",
            "GetRegistryScanningConfiguration",
            region,
            &[],
        ) {
            Pages::Found(found) => {
                for (call, response) in found {
                    let span = span_of(call);
                    for rule in list(path(response, &["scanningConfiguration", "rules"])) {
                        let Some(frequency) = text(rule.get("scanFrequency")) else {
                            cx.malformed(call, "a scanning rule has no scanFrequency");
                            continue;
                        };
                        if frequency == "MANUAL" {
                            continue;
                        }
                        let frequency = Attr::set(frequency, span.clone());
                        for filter in list(rule.get("repositoryFilters")) {
                            let Some(filter) = text(filter.get("filter")) else {
                                continue;
                            };
                            let filter = Attr::set(filter, span.clone());
                            for repo in &mut repositories {
                                repo.apply_registry_scanning(&frequency, &filter);
                            }
                        }
                    }
                }
            }
            // No code of this call means "none".
            Pages::None(_) => {}
            Pages::Unknown(reason, at) => {
                let unknown = Attr::<String>::unknown(reason, at);
                for repo in &mut repositories {
                    repo.apply_registry_scanning(&unknown, &unknown);
                }
            }
        }
        for repo in repositories {
            cx.model.push(repo);
        }
    }
}
