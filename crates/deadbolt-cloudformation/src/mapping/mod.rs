//! Mapping template resources into the model, one file per AWS service.
//!
//! Two passes, as in the Terraform source: primary resources first (`AWS::S3::Bucket`), then the
//! resources that configure a primary from outside (`AWS::S3::BucketPolicy`,
//! `AWS::EC2::SecurityGroupIngress`, `AWS::IAM::Policy`), which are joined to it by the logical ID
//! they reference or, failing that, by name.

use deadbolt_model::{Model, OtherResource, ResourceMeta, Typed};

use crate::props::Props;
use crate::template::{Template, TemplateResource};

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
mod iam;
mod kms;
mod lambda;
mod lightsail;
mod rds;
mod s3;
#[cfg(test)]
mod tests;

/// One resource being mapped.
pub(crate) struct Res<'t> {
    /// `AWS::S3::Bucket`.
    pub kind: &'t str,
    /// The resource's `Properties`.
    pub props: Props<'t>,
    /// Metadata (logical ID, span, suppressions).
    pub meta: &'t ResourceMeta,
}

/// Maps every resource; resources no service claims are kept as [`OtherResource`] so they count
/// as scanned.
pub(crate) fn map(
    template: &Template<'_>,
    resources: &[(&TemplateResource<'_>, ResourceMeta)],
    sam: bool,
    model: &mut Model,
) {
    let res: Vec<Res<'_>> = resources
        .iter()
        .map(|(r, meta)| Res {
            kind: &r.kind,
            props: Props {
                template,
                node: r
                    .node
                    .get("Properties")
                    .filter(|p| p.as_mapping().is_some()),
                fallback: meta.span.clone(),
            },
            meta,
        })
        .collect();
    let mut split = Vec::new();
    for r in &res {
        if !primary(r, model) {
            split.push(r);
        }
    }
    for r in split {
        if !secondary(r, model) {
            model.push(OtherResource {
                meta: r.meta.clone(),
            });
        }
    }
    if sam {
        apigateway::sam_events(&res, model);
    }
}

fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    s3::primary(r, model)
        || iam::primary(r, model)
        || ec2::primary(r, model)
        || apigateway::primary(r, model)
        || rds::primary(r, model)
        || datastore::primary(r, model)
        || dynamodb::primary(r, model)
        || kms::primary(r, model)
        || lambda::primary(r, model)
        || cloudtrail::primary(r, model)
        || config::primary(r, model)
        || cloudfront::primary(r, model)
        || elb::primary(r, model)
        || ecr::primary(r, model)
        || eks::primary(r, model)
        || lightsail::primary(r, model)
}

fn secondary(r: &Res<'_>, model: &mut Model) -> bool {
    s3::secondary(r, model) || ec2::secondary(r, model) || ecr::secondary(r, model)
}

/// Applies `apply` to the resource of type `T` that `targets` (logical IDs, in order of preference)
/// or `name` designates. Returns whether one was found: a target outside the template (a bucket
/// created elsewhere) is not an error, the configuring resource is simply kept on its own.
pub(crate) fn join<T: Typed + 'static>(
    model: &mut Model,
    targets: &[String],
    name: Option<&str>,
    meta_of: impl Fn(&T) -> &ResourceMeta,
    name_of: impl Fn(&T) -> Option<&str>,
    apply: impl FnOnce(&mut T),
) -> bool {
    for target in targets {
        if let Some(found) = model.all_mut::<T>().find(|t| meta_of(t).address == *target) {
            apply(found);
            return true;
        }
    }
    if let Some(name) = name
        && let Some(found) = model.all_mut::<T>().find(|t| name_of(t) == Some(name))
    {
        apply(found);
        return true;
    }
    false
}

/// A CloudFormation enumeration in PascalCase as the API's kebab-case (`PublicReadWrite` →
/// `public-read-write`), the form the model keeps canned ACLs in.
pub(crate) fn kebab(pascal: &str) -> String {
    let mut out = String::with_capacity(pascal.len() + 4);
    for (i, c) in pascal.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
