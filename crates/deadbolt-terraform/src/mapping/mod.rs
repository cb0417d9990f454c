//! Maps evaluated Terraform resources into the model.
//!
//! Two passes: first every primary resource (`aws_s3_bucket`, `aws_security_group`) becomes a
//! typed model resource; then split resources (`aws_s3_bucket_acl`, `aws_security_group_rule`) are
//! joined into their parent, by reference (`bucket = aws_s3_bucket.b.id`) or by name
//! (`bucket = "my-bucket"`). A split resource whose parent cannot be resolved makes the parent's
//! joined attribute unknown rather than guessing it absent. Each service's mapping lives in
//! `aws/<service>.rs`.

mod aws;

use deadbolt_model::{Model, OtherResource, Provider, ResourceMeta, Typed, Unknown};

use crate::evaluated::{EvalAttr, EvaluatedResource};

/// State shared by the mapping passes.
pub(crate) struct MapContext {
    /// The model being built.
    pub model: Model,
    /// Split resources whose parent could not be resolved, by join kind (`"aws_s3_bucket_acl"`),
    /// with the reason; a service's `finish` turns these into unknowns on the parents.
    pub unresolved: Vec<(&'static str, Unknown)>,
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
    pub fn join<T: Typed + 'static>(
        &mut self,
        link: Option<&EvalAttr>,
        name_of: impl Fn(&T) -> Option<&str>,
        meta_of: impl Fn(&T) -> &ResourceMeta,
        mut apply: impl FnMut(&mut T),
    ) -> Joined {
        let Some(link) = link else {
            return Joined::Unresolved(Unknown::new("the parent reference is not set"));
        };
        let wanted = link.value.as_str();
        let mut count = 0;
        for parent in self.model.all_mut::<T>() {
            let address = meta_of(parent).address.as_str();
            let by_ref = link.refs.iter().any(|r| {
                address == &**r
                    || (address.len() > r.len()
                        && address.starts_with(&**r)
                        && address.as_bytes()[r.len()] == b'[')
            });
            let by_name = wanted.is_some() && name_of(parent) == wanted;
            if by_ref || by_name {
                apply(parent);
                count += 1;
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
    let mut cx = MapContext {
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
    cx.model
}
