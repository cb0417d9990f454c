//! Amazon RDS and Aurora rules.
//!
//! Settings that belong to an Aurora cluster (storage, backups, deletion protection, IAM
//! authentication) are judged on the cluster, never on its member instances.

use deadbolt_model::aws::rds::Database;

use crate::rule::Rule;

mod auto_minor_upgrade;
mod backup_retention;
mod deletion_protection;
mod iam_auth;
mod multi_az;
mod public;
mod public_snapshot;
mod unencrypted;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &unencrypted::StorageNotEncrypted,
    &public::PubliclyAccessible,
    &backup_retention::BackupRetentionShort,
    &deletion_protection::NoDeletionProtection,
    &auto_minor_upgrade::AutoMinorUpgradeOff,
    &iam_auth::IamAuthOff,
    &multi_az::NoMultiAz,
    &public_snapshot::PublicRdsSnapshot,
];

/// `true` for a standalone instance or a cluster: the resources that own storage, backups and
/// deletion protection.
fn owns_storage(db: &Database) -> bool {
    !db.in_cluster
}

/// " (the default)" when the provider default applies, so a message says whether the source wrote
/// the setting.
fn defaulted(explicit: bool) -> &'static str {
    if explicit { "" } else { " (the default)" }
}
