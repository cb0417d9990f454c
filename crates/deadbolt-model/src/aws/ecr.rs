//! Amazon Elastic Container Registry.

use serde::Serialize;

use crate::attr::{Attr, Unknown};
use crate::aws::iam::wildcard_match;
use crate::resource::ResourceMeta;

/// An ECR repository.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Repository {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// The repository name.
    pub name: Attr<String>,
    /// `MUTABLE` (default) or `IMMUTABLE`.
    pub tag_mutability: Attr<String>,
    /// Images are scanned when pushed (default `false`): the repository's own setting, or a
    /// registry-level scanning rule whose filter matches the repository.
    pub scan_on_push: Attr<bool>,
    /// `AES256` (default) or `KMS`.
    pub encryption_type: Attr<String>,
}

impl Repository {
    /// Applies one repository filter of a registry-level scanning rule (continuous or on push;
    /// `MANUAL` rules scan nothing by themselves and are not passed here). A filter is a name with
    /// `*` wildcards; a repository it matches scans on push. When the frequency, the filter or the
    /// repository's name is unknown, so is whether the rule covers the repository.
    pub fn apply_registry_scanning(&mut self, frequency: &Attr<String>, filter: &Attr<String>) {
        if self.scan_on_push.known() == Some(&true) {
            return;
        }
        let reason = frequency
            .unknown_reason()
            .or(filter.unknown_reason())
            .or(self.name.unknown_reason());
        match (filter.known(), self.name.known(), reason) {
            (Some(f), _, _) if f == "*" && frequency.known().is_some() => {
                self.scan_on_push = Attr::set(true, filter.span.clone());
            }
            (Some(f), Some(name), None) if wildcard_match(f, name) => {
                self.scan_on_push = Attr::set(true, filter.span.clone());
            }
            (_, _, Some(r)) => {
                self.scan_on_push = Attr::unknown(
                    Unknown::new(format!("a registry scanning rule may cover it ({r})")),
                    filter.span.clone(),
                );
            }
            _ => {}
        }
    }
}
