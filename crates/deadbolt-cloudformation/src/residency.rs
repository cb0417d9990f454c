//! Where each resource of a template keeps its data (its [`Location`]s), for the residency rule.
//!
//! A template does not name its region: the stack's region is chosen when it is deployed. So the
//! primary location of every resource of a regional service is the region the caller says the
//! stack is deployed to (`--region`), or unknown with that reason. Copies whose region the template
//! writes are known regardless:
//! - `AWS::DynamoDB::GlobalTable`: each `Replicas[].Region` is a replica; the table has no separate
//!   primary, since the stack's own region must be one of the replicas;
//! - `AWS::Backup::BackupPlan`: each `BackupPlanRule[].CopyActions[].DestinationBackupVaultArn` is a
//!   backup, in the region its ARN names (a vault of the same template is in the stack's region);
//! - `AWS::RDS::DBInstance` with `SourceRegion` is a cross-region read replica: the data also lives
//!   in its source's region, recorded as a replica location there.
//!
//! Global services (IAM, CloudFront, Route 53, Organizations, WAF Classic) get no location.

use deadbolt_model::Settings as _;
use deadbolt_model::{Attr, Location, LocationRole, Span, Unknown, Value};

use crate::props::Props;

/// `AWS::` service prefixes whose resources are global.
const GLOBAL: &[&str] = &[
    "AWS::IAM::",
    "AWS::CloudFront::",
    "AWS::Route53::",
    "AWS::Organizations::",
    "AWS::WAF::",
    "AWS::GlobalAccelerator::",
    "AWS::Budgets::",
];

/// Why a template's region is unknown.
pub(crate) const REGION_UNKNOWN: &str = "a CloudFormation template does not name its region (the stack's region is chosen at deployment; give it with --region)";

/// The locations of one resource of `kind` (properties `props`, declared at `span`), given the
/// region the stack is deployed to, if known.
pub(crate) fn locations(
    kind: &str,
    props: &Props<'_>,
    span: &Span,
    region: Option<&str>,
) -> Vec<Location> {
    if !kind.starts_with("AWS::") || GLOBAL.iter().any(|g| kind.starts_with(g)) {
        return Vec::new();
    }
    let stack_region = || match region {
        Some(r) => Attr::default(r.to_string(), span.clone()),
        None => Attr::unknown(Unknown::new(REGION_UNKNOWN), span.clone()),
    };
    let mut out = Vec::new();
    match kind {
        "AWS::DynamoDB::GlobalTable" => {
            for replica in props.list("Replicas") {
                if replica.has("Region") {
                    out.push(Location {
                        region: replica.string("Region", ""),
                        role: LocationRole::Replica,
                    });
                }
            }
            if !out.is_empty() {
                return out;
            }
        }
        "AWS::Backup::BackupPlan" => {
            for rule in props.nested("BackupPlan").list("BackupPlanRule") {
                for copy in rule.list("CopyActions") {
                    let Some((key, node)) = copy.entry("DestinationBackupVaultArn") else {
                        continue;
                    };
                    let at = Props::span_of(key, node);
                    let value = props.template.eval(node);
                    let region = match value.as_str().and_then(arn_region) {
                        Some(r) => Attr::set(r.to_string(), at),
                        // A vault of this template is created in the stack's region.
                        None if !props.template.references(node).is_empty() => Attr {
                            span: at,
                            ..stack_region()
                        },
                        None => {
                            let reason = match value.first_unknown() {
                                Some(u) => {
                                    format!("the destination vault's region is unknown ({u})")
                                }
                                None => "the destination vault ARN names no region".to_string(),
                            };
                            Attr::unknown(Unknown::new(reason), at)
                        }
                    };
                    out.push(Location {
                        region,
                        role: LocationRole::Backup,
                    });
                }
            }
        }
        "AWS::RDS::DBInstance" if props.has("SourceRegion") => out.push(Location {
            region: props.typed(
                "SourceRegion",
                String::new(),
                Value::scalar_string,
                "a string",
            ),
            role: LocationRole::Replica,
        }),
        _ => {}
    }
    out.insert(
        0,
        Location {
            region: stack_region(),
            role: LocationRole::Primary,
        },
    );
    out
}

/// The region an ARN names (`arn:aws:backup:eu-west-1:123456789012:backup-vault:x`), if any.
fn arn_region(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    (parts.next()? == "arn").then_some(())?;
    let region = parts.nth(2)?;
    (!region.is_empty()).then_some(region)
}
