//! Amazon RDS and Aurora.

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// An RDS DB instance or an RDS/Aurora cluster.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Database {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// `true` for a cluster (Aurora or Multi-AZ DB cluster), `false` for a DB instance.
    pub is_cluster: bool,
    /// `true` for an instance that is a member of a cluster (storage, backups and deletion
    /// protection are the cluster's then).
    pub in_cluster: bool,
    /// The engine (`mysql`, `postgres`, `aurora-postgresql`, ...).
    pub engine: Attr<String>,
    /// Storage encrypted at rest (default `false`; Aurora Serverless v1 is always encrypted).
    pub storage_encrypted: Attr<bool>,
    /// Reachable from the internet (default `false`).
    pub publicly_accessible: Attr<bool>,
    /// Automated backup retention in days (default 7 for clusters and the console, 0/1 for APIs).
    pub backup_retention_days: Attr<i64>,
    /// Deletion protection (default `false`).
    pub deletion_protection: Attr<bool>,
    /// Automatic minor engine upgrades (default `true`).
    pub auto_minor_version_upgrade: Attr<bool>,
    /// IAM database authentication (default `false`).
    pub iam_authentication: Attr<bool>,
    /// Multi-AZ deployment (default `false`).
    pub multi_az: Attr<bool>,
}
