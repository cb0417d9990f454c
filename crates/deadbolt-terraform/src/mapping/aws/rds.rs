//! RDS and Aurora: `aws_db_instance`, `aws_rds_cluster` and `aws_rds_cluster_instance`.
//!
//! Defaults follow the Terraform AWS provider documentation; see [`Database`] for each field.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::rds::Database;
use deadbolt_model::{Attr, Unknown};

use crate::evaluated::{EvalBody, EvaluatedResource};
use crate::mapping::{MapContext, meta};

/// Maps DB instances, clusters and cluster member instances.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    let body = &res.body;
    let db = match res.resource_type.as_str() {
        "aws_db_instance" => Database {
            meta: meta(res),
            is_cluster: false,
            // A legacy instance naming a cluster is a member whose storage is the cluster's.
            in_cluster: body
                .attr("cluster_identifier")
                .is_some_and(|a| !a.value.is_null()),
            engine: body.string("engine", ""),
            storage_encrypted: storage_encrypted(body, false),
            publicly_accessible: body.bool("publicly_accessible", false),
            backup_retention_days: body.int("backup_retention_period", 1),
            deletion_protection: body.bool("deletion_protection", false),
            auto_minor_version_upgrade: body.bool("auto_minor_version_upgrade", true),
            iam_authentication: body.bool("iam_database_authentication_enabled", false),
            multi_az: body.bool("multi_az", false),
        },
        "aws_rds_cluster" => {
            // Aurora Serverless v1 clusters are always encrypted and cannot be otherwise.
            let serverless_v1 = body
                .string("engine_mode", "provisioned")
                .is(&"serverless".to_string());
            Database {
                meta: meta(res),
                is_cluster: true,
                in_cluster: false,
                engine: body.string("engine", "aurora"),
                storage_encrypted: storage_encrypted(body, serverless_v1 == Some(true)),
                publicly_accessible: body.bool("publicly_accessible", false),
                backup_retention_days: body.int("backup_retention_period", 1),
                deletion_protection: body.bool("deletion_protection", false),
                auto_minor_version_upgrade: body.bool("auto_minor_version_upgrade", true),
                iam_authentication: body.bool("iam_database_authentication_enabled", false),
                multi_az: Attr::default(false, body.span.clone()),
            }
        }
        "aws_rds_cluster_instance" => {
            // Storage, backups, deletion protection and IAM authentication belong to the cluster;
            // the member only carries the provider defaults so the fields stay well-typed.
            let span = body.span.clone();
            Database {
                meta: meta(res),
                is_cluster: false,
                in_cluster: true,
                engine: body.string("engine", ""),
                storage_encrypted: Attr::default(false, span.clone()),
                publicly_accessible: body.bool("publicly_accessible", false),
                backup_retention_days: Attr::default(1, span.clone()),
                deletion_protection: Attr::default(false, span.clone()),
                auto_minor_version_upgrade: body.bool("auto_minor_version_upgrade", true),
                iam_authentication: Attr::default(false, span.clone()),
                multi_az: Attr::default(false, span),
            }
        }
        _ => return false,
    };
    cx.model.push(db);
    true
}

/// `storage_encrypted`, except that a replica or a snapshot restore that does not set it inherits
/// its source's encryption, which deadbolt cannot see.
fn storage_encrypted(body: &EvalBody, default: bool) -> Attr<bool> {
    if body
        .attr("storage_encrypted")
        .is_none_or(|a| a.value.is_null())
    {
        for source in [
            "replicate_source_db",
            "snapshot_identifier",
            "replication_source_identifier",
        ] {
            if body.attr(source).is_some_and(|a| !a.value.is_null()) {
                return Attr::unknown(
                    Unknown::new(format!(
                        "storage encryption is inherited from the `{source}` source"
                    )),
                    body.span.clone(),
                );
            }
        }
    }
    body.bool("storage_encrypted", default)
}

/// RDS has no split resources deadbolt joins.
pub(super) fn map_split(_res: &EvaluatedResource, _cx: &mut MapContext) -> bool {
    false
}

/// Nothing to resolve after the joins.
pub(super) fn finish(_cx: &mut MapContext) {}
