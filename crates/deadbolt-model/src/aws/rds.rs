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
    /// Storage encrypted at rest (default `false`; Aurora Serverless v1 is always encrypted; a read
    /// replica or a restore from a snapshot inherits its source's setting, which is unknown here).
    pub storage_encrypted: Attr<bool>,
    /// Reachable from the internet. Unset, the RDS API decides from whether the VPC has an
    /// internet gateway: the Terraform provider sends `false`, a CloudFormation template leaves it
    /// unknown.
    pub publicly_accessible: Attr<bool>,
    /// Automated backup retention in days; 0 disables automated backups. When unset, the RDS API
    /// default applies: 1 day for DB instances and clusters (the console proposes 7).
    pub backup_retention_days: Attr<i64>,
    /// Deletion protection (default `false`).
    pub deletion_protection: Attr<bool>,
    /// Automatic minor engine upgrades (default `true`).
    pub auto_minor_version_upgrade: Attr<bool>,
    /// IAM database authentication (default `false`).
    pub iam_authentication: Attr<bool>,
    /// Multi-AZ deployment of a standalone DB instance (default `false`). Not meaningful for
    /// clusters and their members, whose availability comes from the cluster's topology.
    pub multi_az: Attr<bool>,
}
