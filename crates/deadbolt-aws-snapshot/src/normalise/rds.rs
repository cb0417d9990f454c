//! RDS DB instances and clusters.
//!
//! Reads every page of `rds:DescribeDBInstances` and `rds:DescribeDBClusters` in every region
//! into [`Database`]s: engine, `StorageEncrypted`, `PubliclyAccessible`, `BackupRetentionPeriod`,
//! `DeletionProtection`, `AutoMinorVersionUpgrade`, `IAMDatabaseAuthenticationEnabled` and
//! `MultiAZ`. An instance naming a `DBClusterIdentifier` is `in_cluster`.

use deadbolt_model::aws::rds::Database;
use deadbolt_model::{Attr, Span};
use serde_json::Value;

use super::resource::{regional, required};
use super::{Context, span_of};
use crate::json::{boolean, integer, list, path, text};

/// Reads both listings, instances first.
pub(super) fn normalise(cx: &mut Context<'_>) {
    for (operation, result, items, item, id_key, arn_key, kind, is_cluster) in [
        (
            "DescribeDBInstances",
            "DescribeDBInstancesResult",
            "DBInstances",
            "DBInstance",
            "DBInstanceIdentifier",
            "DBInstanceArn",
            "AWS::RDS::DBInstance",
            false,
        ),
        (
            "DescribeDBClusters",
            "DescribeDBClustersResult",
            "DBClusters",
            "DBCluster",
            "DBClusterIdentifier",
            "DBClusterArn",
            "AWS::RDS::DBCluster",
            true,
        ),
    ] {
        for call in cx.calls.all("rds", operation) {
            let Some(response) = cx.listing(call) else {
                continue;
            };
            let body = response.get(result).unwrap_or(response);
            for db in list(path(body, &[items, item]).or_else(|| body.get(items))) {
                let Some(id) = required(cx, call, db, id_key) else {
                    continue;
                };
                let resource = if is_cluster { "cluster" } else { "db" };
                let arn = text(db.get(arn_key))
                    .unwrap_or_else(|| cx.arn("rds", &call.region, &format!("{resource}:{id}")));
                let span = span_of(call);
                cx.model.push(Database {
                    meta: regional(arn, kind, call),
                    is_cluster,
                    in_cluster: !is_cluster
                        && text(db.get("DBClusterIdentifier")).is_some_and(|c| !c.is_empty()),
                    engine: string(db, "Engine", &span),
                    storage_encrypted: flag(db, "StorageEncrypted", false, &span),
                    // Aurora clusters leave it to their instances, which are judged themselves.
                    publicly_accessible: flag(db, "PubliclyAccessible", false, &span),
                    backup_retention_days: match integer(db.get("BackupRetentionPeriod")) {
                        Some(days) => Attr::set(days, span.clone()),
                        None => Attr::default(1, span.clone()),
                    },
                    deletion_protection: flag(db, "DeletionProtection", false, &span),
                    auto_minor_version_upgrade: flag(db, "AutoMinorVersionUpgrade", true, &span),
                    iam_authentication: flag(db, "IAMDatabaseAuthenticationEnabled", false, &span),
                    multi_az: flag(db, "MultiAZ", false, &span),
                });
            }
        }
    }
}

fn flag(db: &Value, name: &str, default: bool, span: &Span) -> Attr<bool> {
    match boolean(db.get(name)) {
        Some(value) => Attr::set(value, span.clone()),
        None => Attr::default(default, span.clone()),
    }
}

fn string(db: &Value, name: &str, span: &Span) -> Attr<String> {
    match text(db.get(name)) {
        Some(value) => Attr::set(value, span.clone()),
        None => Attr::default(String::new(), span.clone()),
    }
}
