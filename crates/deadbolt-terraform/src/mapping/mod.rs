//! Maps evaluated Terraform resources into the model.
//!
//! Two passes: first every primary resource (`aws_s3_bucket`, `aws_security_group`) becomes a
//! typed model resource; then split resources (`aws_s3_bucket_acl`, `aws_security_group_rule`) are
//! joined into their parent, by reference (`bucket = aws_s3_bucket.b.id`) or by name
//! (`bucket = "my-bucket"`). A split resource whose parent cannot be resolved makes the parent's
//! joined attribute unknown rather than guessing it absent. Each service's mapping lives in
//! `aws/<service>.rs`.

mod aws;
mod residency;

use std::any::TypeId;
use std::collections::HashMap;

use deadbolt_model::{Model, OtherResource, Provider, ResourceMeta, Typed, Unknown};

use crate::evaluated::{EvalAttr, EvaluatedResource};

/// State shared by the mapping passes.
pub(crate) struct MapContext {
    /// The model being built.
    pub model: Model,
    /// Split resources whose parent could not be resolved, by join kind (`"aws_s3_bucket_acl"`),
    /// with the reason; a service's `finish` turns these into unknowns on the parents.
    pub unresolved: Vec<(&'static str, Unknown)>,
    /// Join indexes by (parent type, name function): a join looks parents up instead of scanning
    /// every resource, so joining is linear in the number of resources.
    index: HashMap<(TypeId, TypeId), JoinIndex>,
    /// Resources whose ID is their parent's name (`aws_s3_bucket_policy.p.id` is the bucket name,
    /// as for every S3 split resource): a link through one of them follows its own link.
    forwards: HashMap<String, EvalAttr>,
}

/// Positions in the model of the parents of one type, by address, by address without its
/// instance key, and by name. Covers the first `len` resources; extended on use.
#[derive(Default)]
struct JoinIndex {
    len: usize,
    by_address: HashMap<String, Vec<usize>>,
    by_base: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
}

/// How a split resource was joined.
#[derive(Debug)]
pub(crate) enum Joined {
    /// Applied to at least one parent.
    Parents,
    /// The parent reference is unknown and matches nothing in the scan.
    Unresolved(Unknown),
}

impl MapContext {
    /// Why parents of split resources of `kind` may be incomplete: `Some` when a `kind` resource
    /// could not be joined to its parent (`what`: "bucket", "security group", ...).
    pub fn unresolved_reason(&self, kind: &str, what: &str) -> Option<Unknown> {
        self.unresolved
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, reason)| {
                Unknown::new(format!(
                    "an {kind} whose {what} is unknown may apply ({reason})"
                ))
            })
    }

    /// Applies `apply` to every parent of type `T` that `link` designates: a parent whose address the
    /// expression referenced, or whose name (`name_of`) equals the attribute's known value.
    pub fn join<T: Typed + 'static, N: Fn(&T) -> Option<&str> + 'static>(
        &mut self,
        link: Option<&EvalAttr>,
        name_of: N,
        meta_of: impl Fn(&T) -> &ResourceMeta,
        mut apply: impl FnMut(&mut T),
    ) -> Joined {
        let Some(link) = link else {
            return Joined::Unresolved(Unknown::new("the parent reference is not set"));
        };
        let index = self
            .index
            .entry((TypeId::of::<T>(), TypeId::of::<N>()))
            .or_default();
        let resources = self.model.resources();
        for (i, resource) in resources.iter().enumerate().skip(index.len) {
            let Some(parent) = T::from_resource(resource) else {
                continue;
            };
            let address = meta_of(parent).address.clone();
            if let Some(open) = address.rfind('[').filter(|_| address.ends_with(']')) {
                index
                    .by_base
                    .entry(address[..open].to_string())
                    .or_default()
                    .push(i);
            }
            if let Some(name) = name_of(parent) {
                index.by_name.entry(name.to_string()).or_default().push(i);
            }
            index.by_address.entry(address).or_default().push(i);
        }
        index.len = resources.len();
        let lookup = |refs: &[std::sync::Arc<str>], value: &deadbolt_model::Value| -> Vec<usize> {
            let mut hits: Vec<usize> = Vec::new();
            for r in refs {
                hits.extend(index.by_address.get(&**r).into_iter().flatten());
                hits.extend(index.by_base.get(&**r).into_iter().flatten());
            }
            if let Some(wanted) = value.as_str() {
                hits.extend(index.by_name.get(wanted).into_iter().flatten());
            }
            hits
        };
        let mut hits = lookup(&link.refs, &link.value);
        if hits.is_empty() {
            for r in &link.refs {
                if let Some(forward) = self.forwards.get(&**r) {
                    hits.extend(lookup(&forward.refs, &forward.value));
                }
            }
        }
        hits.sort_unstable();
        hits.dedup();
        let count = hits.len();
        let resources = self.model.resources_mut();
        for i in hits {
            if let Some(parent) = T::from_resource_mut(&mut resources[i]) {
                apply(parent);
            }
        }
        if count > 0 {
            return Joined::Parents;
        }
        let reason = match link.value.first_unknown() {
            Some(u) => u.clone(),
            None => Unknown::new(format!(
                "{} refers to a parent that is not in the scanned files",
                link.span
            )),
        };
        Joined::Unresolved(reason)
    }
}

/// The [`ResourceMeta`] for an evaluated resource.
pub(crate) fn meta(res: &EvaluatedResource) -> ResourceMeta {
    ResourceMeta {
        address: res.address.clone(),
        kind: res.resource_type.clone(),
        provider: provider_of(&res.resource_type),
        span: res.body.span.clone(),
        suppressions: res.suppressions.clone(),
        locations: residency::primary(res),
    }
}

fn provider_of(resource_type: &str) -> Provider {
    match resource_type.split('_').next().unwrap_or("") {
        "aws" => Provider::Aws,
        "azurerm" | "azuread" | "azapi" => Provider::Azure,
        "google" => Provider::Gcp,
        "kubernetes" | "helm" => Provider::Kubernetes,
        _ => Provider::Other,
    }
}

/// Maps all evaluated resources into a model.
pub(crate) fn map(resources: &[EvaluatedResource]) -> Model {
    let forwards = resources
        .iter()
        .filter(|r| r.resource_type.starts_with("aws_s3_bucket_"))
        .filter_map(|r| Some((r.address.clone(), r.body.attr("bucket")?.clone())))
        .collect();
    let mut cx = MapContext {
        index: HashMap::new(),
        forwards,
        model: Model::new(),
        unresolved: Vec::new(),
    };
    let mut split = Vec::new();
    for res in resources {
        if !aws::map_primary(res, &mut cx) {
            split.push(res);
        }
    }
    for res in split {
        if !aws::map_split(res, &mut cx) {
            cx.model.push(OtherResource { meta: meta(res) });
        }
    }
    aws::finish(&mut cx);
    residency::locate(resources, &mut cx.model);
    cx.model
}
