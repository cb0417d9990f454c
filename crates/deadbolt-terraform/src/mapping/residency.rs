//! Where each AWS resource's data lives (its [`Location`]s), for the residency rule.
//!
//! - **Primary**: every AWS resource of a regional service is created in the region of the
//!   provider configuration it uses (resolved by the evaluator: `provider = aws.alias`, module
//!   `providers` maps, implicit inheritance), unless AWS provider v6's per-resource `region`
//!   argument overrides it. Global services (IAM, CloudFront, Route 53, Organizations, ...) have no
//!   region and get no location. An `aws_dynamodb_table_replica` is a replica in its own region.
//! - **Replica**: an `aws_dynamodb_table`'s `replica { region_name }` blocks, and S3 replication
//!   (`aws_s3_bucket_replication_configuration`, or the legacy `replication_configuration` block)
//!   whose destination bucket's region is that bucket's region when it is in the scan. Replication
//!   locations are attached to the *source* bucket: its data is what ends up there.
//! - **Backup**: an `aws_backup_plan`'s `rule { copy_action { destination_vault_arn } }`, with the
//!   region read from the vault ARN (or from the vault resource it refers to), attached to the plan
//!   (the plan is what copies the data; the protected resources are chosen by selections that
//!   deadbolt does not resolve).

use deadbolt_model::Settings as _;
use std::collections::HashMap;

use deadbolt_model::aws::s3::Bucket;
use deadbolt_model::{Attr, Location, LocationRole, Model, Typed, Unknown};

use crate::evaluated::{EvalAttr, EvaluatedResource};

/// Type prefixes of AWS services that are global (no region holds their configuration).
const GLOBAL: &[&str] = &[
    "aws_iam_",
    "aws_cloudfront_",
    "aws_route53_",
    "aws_organizations_",
    "aws_shield_",
    "aws_globalaccelerator_",
    "aws_budgets_",
    "aws_waf_",
];

/// The resource's own location (see the module documentation), or none.
pub(crate) fn primary(res: &EvaluatedResource) -> Vec<Location> {
    let Some(provider_region) = &res.provider_region else {
        return Vec::new();
    };
    let rtype = res.resource_type.as_str();
    // `aws_route53_resolver_*` endpoints and rules are regional, unlike the rest of Route 53.
    if GLOBAL.iter().any(|g| rtype.starts_with(g)) && !rtype.starts_with("aws_route53_resolver_") {
        return Vec::new();
    }
    let region = match res.body.attr("region") {
        Some(attr) if !attr.value.is_null() => Attr::from_value(
            Some((&attr.value, attr.span.clone())),
            res.body.span.clone(),
            String::new(),
            deadbolt_model::Value::scalar_string,
            "region",
            "a string",
        ),
        _ => provider_region.clone(),
    };
    let role = if rtype == "aws_dynamodb_table_replica" {
        LocationRole::Replica
    } else {
        LocationRole::Primary
    };
    vec![Location { region, role }]
}

/// Positions of the model's resources by address (with and without instance key) and of its S3
/// buckets by name.
struct Index {
    by_address: HashMap<String, Vec<usize>>,
    bucket_by_name: HashMap<String, usize>,
}

impl Index {
    fn new(model: &Model) -> Self {
        let mut index = Index {
            by_address: HashMap::new(),
            bucket_by_name: HashMap::new(),
        };
        for (i, resource) in model.resources().iter().enumerate() {
            let address = &resource.meta().address;
            index.by_address.entry(address.clone()).or_default().push(i);
            if let Some(open) = address.rfind('[').filter(|_| address.ends_with(']')) {
                index
                    .by_address
                    .entry(address[..open].to_string())
                    .or_default()
                    .push(i);
            }
            if let Some(name) = Bucket::from_resource(resource).and_then(|b| b.name.known()) {
                index.bucket_by_name.insert(name.clone(), i);
            }
        }
        index
    }

    /// The resources an attribute designates: those its expression refers to, else the S3 bucket
    /// its value names (a bucket name or an `arn:aws:s3:::name` ARN).
    fn designated(&self, attr: &EvalAttr) -> Vec<usize> {
        let mut hits: Vec<usize> = attr
            .refs
            .iter()
            .flat_map(|r| self.by_address.get(&**r).into_iter().flatten().copied())
            .collect();
        if hits.is_empty()
            && let Some(value) = attr.value.as_str()
        {
            let name = value.strip_prefix("arn:aws:s3:::").unwrap_or(value);
            hits.extend(self.bucket_by_name.get(name));
        }
        hits.sort_unstable();
        hits.dedup();
        hits
    }
}

/// The region an ARN names (`arn:aws:backup:eu-west-1:123456789012:backup-vault:x`), if any.
fn arn_region(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    (parts.next()? == "arn").then_some(())?;
    let region = parts.nth(2)?;
    (!region.is_empty()).then_some(region)
}

/// The region of the place `attr` designates (`what`: "destination bucket", "destination vault"):
/// the region in its ARN, else the region of the resource in the scan it refers to, else unknown.
/// Spanned at `attr`, where the copy is configured.
fn destination_region(attr: &EvalAttr, index: &Index, model: &Model, what: &str) -> Attr<String> {
    if let Some(region) = attr.value.as_str().and_then(arn_region) {
        return Attr::set(region.to_string(), attr.span.clone());
    }
    let primary = index.designated(attr).into_iter().find_map(|i| {
        model.resources()[i]
            .meta()
            .locations
            .iter()
            .find(|l| l.role == LocationRole::Primary)
            .map(|l| l.region.clone())
    });
    if let Some(region) = primary {
        return Attr {
            span: attr.span.clone(),
            explicit: true,
            ..region
        };
    }
    let reason = match attr.value.first_unknown() {
        Some(u) if attr.refs.is_empty() => format!("the {what}'s region is unknown ({u})"),
        _ => format!(
            "the {what} ({}) is not a resource in the scanned files, so its region is unknown",
            attr.value
                .as_str()
                .map(str::to_string)
                .or_else(|| attr.refs.first().map(|r| r.to_string()))
                .unwrap_or_else(|| "an expression".into())
        ),
    };
    Attr::unknown(Unknown::new(reason), attr.span.clone())
}

/// Adds replica and backup locations (see the module documentation) to the resources they
/// concern, once every resource is in the model with its primary location.
pub(crate) fn locate(resources: &[EvaluatedResource], model: &mut Model) {
    let index = Index::new(model);
    let mut additions: Vec<(Vec<usize>, Location)> = Vec::new();
    for res in resources {
        let own = || {
            index
                .by_address
                .get(&res.address)
                .cloned()
                .unwrap_or_default()
        };
        let body = &res.body;
        match res.resource_type.as_str() {
            "aws_dynamodb_table" => {
                for replica in body.blocks("replica") {
                    if let Some(attr) = replica.attr("region_name") {
                        let region = replica.string("region_name", "");
                        let region = if attr.value.is_null() {
                            continue;
                        } else {
                            region
                        };
                        additions.push((
                            own(),
                            Location {
                                region,
                                role: LocationRole::Replica,
                            },
                        ));
                    }
                }
            }
            "aws_backup_plan" => {
                for rule in body.blocks("rule") {
                    for copy in rule.blocks("copy_action") {
                        if let Some(attr) = copy.attr("destination_vault_arn") {
                            additions.push((
                                own(),
                                Location {
                                    region: destination_region(
                                        attr,
                                        &index,
                                        model,
                                        "destination vault",
                                    ),
                                    role: LocationRole::Backup,
                                },
                            ));
                        }
                    }
                }
            }
            // Provider v3's inline `replication_configuration { rules { destination { bucket } } }`.
            "aws_s3_bucket" => {
                for config in body.blocks("replication_configuration") {
                    for rule in config.blocks("rules") {
                        for dest in rule.blocks("destination") {
                            if let Some(attr) = dest.attr("bucket") {
                                additions.push((
                                    own(),
                                    Location {
                                        region: destination_region(
                                            attr,
                                            &index,
                                            model,
                                            "destination bucket",
                                        ),
                                        role: LocationRole::Replica,
                                    },
                                ));
                            }
                        }
                    }
                }
            }
            "aws_s3_bucket_replication_configuration" => {
                // The source bucket; when it is not in the scan the configuration itself carries
                // the replica, so the finding is still reported (on the configuration).
                let mut sources: Vec<usize> = body
                    .attr("bucket")
                    .map(|b| index.designated(b))
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|&i| Bucket::from_resource(&model.resources()[i]).is_some())
                    .collect();
                if sources.is_empty() {
                    sources = own();
                }
                for rule in body.blocks("rule") {
                    for dest in rule.blocks("destination") {
                        if let Some(attr) = dest.attr("bucket") {
                            additions.push((
                                sources.clone(),
                                Location {
                                    region: destination_region(
                                        attr,
                                        &index,
                                        model,
                                        "destination bucket",
                                    ),
                                    role: LocationRole::Replica,
                                },
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let resources = model.resources_mut();
    for (targets, location) in additions {
        for i in targets {
            resources[i].meta_mut().locations.push(location.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::arn_region;

    #[test]
    fn reads_the_region_of_an_arn() {
        assert_eq!(
            arn_region("arn:aws:backup:eu-west-1:123456789012:backup-vault:dr"),
            Some("eu-west-1")
        );
        assert_eq!(arn_region("arn:aws:s3:::bucket"), None);
        assert_eq!(arn_region("eu-west-1"), None);
        assert_eq!(arn_region("arn:aws"), None);
    }
}
