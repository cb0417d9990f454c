//! RDS and Aurora: `AWS::RDS::DBInstance` (standalone, or a member of a cluster when it names
//! `DBClusterIdentifier`) and `AWS::RDS::DBCluster`.
//!
//! Defaults are the RDS API's, which CloudFormation applies when a property is omitted. One
//! differs from the Terraform source: the provider sends `publicly_accessible = false` when it is
//! unset, whereas CloudFormation leaves `PubliclyAccessible` to the API, whose default depends on
//! whether the subnet group's VPC (or the default VPC) has an internet gateway. An instance, or a
//! Multi-AZ DB cluster, without `PubliclyAccessible` is therefore unknown, not private.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::rds::Database;
use deadbolt_model::{Attr, Model, Unknown};

use super::Res;
use crate::props::Props;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    let p = &r.props;
    let db = match r.kind {
        "AWS::RDS::DBInstance" if p.has("DBClusterIdentifier") => {
            // Storage, backups, deletion protection and IAM authentication belong to the cluster;
            // the member carries the API defaults so the fields stay well-typed.
            let span = p.span();
            Database {
                meta: r.meta.clone(),
                is_cluster: false,
                in_cluster: true,
                engine: p.string("Engine", ""),
                storage_encrypted: Attr::default(false, span.clone()),
                publicly_accessible: publicly_accessible(p),
                backup_retention_days: Attr::default(1, span.clone()),
                deletion_protection: Attr::default(false, span.clone()),
                auto_minor_version_upgrade: p.bool("AutoMinorVersionUpgrade", true),
                iam_authentication: Attr::default(false, span.clone()),
                multi_az: Attr::default(false, span),
            }
        }
        "AWS::RDS::DBInstance" => Database {
            meta: r.meta.clone(),
            is_cluster: false,
            in_cluster: false,
            engine: p.string("Engine", ""),
            storage_encrypted: storage_encrypted(
                p,
                false,
                &[
                    "SourceDBInstanceIdentifier",
                    "DBSnapshotIdentifier",
                    "SourceDBClusterIdentifier",
                    "SourceDBInstanceAutomatedBackupsArn",
                ],
            ),
            publicly_accessible: publicly_accessible(p),
            backup_retention_days: p.int("BackupRetentionPeriod", 1),
            deletion_protection: p.bool("DeletionProtection", false),
            auto_minor_version_upgrade: p.bool("AutoMinorVersionUpgrade", true),
            iam_authentication: p.bool("EnableIAMDatabaseAuthentication", false),
            multi_az: p.bool("MultiAZ", false),
        },
        "AWS::RDS::DBCluster" => {
            // Aurora Serverless v1 clusters are always encrypted and cannot be otherwise.
            let serverless_v1 = p
                .string("EngineMode", "provisioned")
                .is(&"serverless".to_string());
            // Only a Multi-AZ DB cluster (one with its own instance class) has a public endpoint
            // of its own; an Aurora cluster's exposure is its instances'.
            let publicly_accessible = if p.has("DBClusterInstanceClass") {
                publicly_accessible(p)
            } else {
                p.bool("PubliclyAccessible", false)
            };
            Database {
                meta: r.meta.clone(),
                is_cluster: true,
                in_cluster: false,
                engine: p.string("Engine", ""),
                storage_encrypted: storage_encrypted(
                    p,
                    serverless_v1 == Some(true),
                    &[
                        "SnapshotIdentifier",
                        "SourceDBClusterIdentifier",
                        "ReplicationSourceIdentifier",
                    ],
                ),
                publicly_accessible,
                backup_retention_days: p.int("BackupRetentionPeriod", 1),
                deletion_protection: p.bool("DeletionProtection", false),
                auto_minor_version_upgrade: p.bool("AutoMinorVersionUpgrade", true),
                iam_authentication: p.bool("EnableIAMDatabaseAuthentication", false),
                multi_az: Attr::default(false, p.span()),
            }
        }
        _ => return false,
    };
    model.push(db);
    true
}

/// `PubliclyAccessible`; unset, the API decides from the VPC's internet gateway, which the
/// template does not show.
fn publicly_accessible(p: &Props<'_>) -> Attr<bool> {
    if p.has("PubliclyAccessible") {
        return p.bool("PubliclyAccessible", false);
    }
    Attr::unknown(
        Unknown::new(
            "`PubliclyAccessible` is not set: RDS then makes the database public when its subnet \
             group's VPC (or the default VPC) has an internet gateway",
        ),
        p.span(),
    )
}

/// `StorageEncrypted`, except that a replica or a restore that does not set it inherits its
/// source's encryption, which deadbolt cannot see.
pub(super) fn storage_encrypted(p: &Props<'_>, default: bool, sources: &[&str]) -> Attr<bool> {
    if !p.has("StorageEncrypted")
        && let Some(source) = sources.iter().find(|s| p.has(s))
    {
        return Attr::unknown(
            Unknown::new(format!(
                "storage encryption is inherited from the `{source}` source"
            )),
            p.span_for(source),
        );
    }
    p.bool("StorageEncrypted", default)
}
