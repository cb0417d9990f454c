use deadbolt_model::aws::rds::Database;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::{defaulted, owns_storage};
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An RDS DB instance or an RDS/Aurora cluster whose storage is not encrypted at rest. Storage
    /// encryption is off unless requested. Aurora cluster members are judged through their
    /// cluster; a read replica or a restore from a snapshot that does not state encryption
    /// inherits its source's and is not evaluated.
    ///
    /// ## Why it matters
    /// Unencrypted storage leaves the data, its automated backups, snapshots and read replicas
    /// readable by anyone who obtains a copy of the volume or a shared snapshot. Encryption can
    /// only be chosen when the database is created: fixing it later means a snapshot, an encrypted
    /// copy and a restore, with downtime.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   identifier        = "orders"
    ///   engine            = "postgres"
    ///   instance_class    = "db.t4g.medium"
    ///   allocated_storage = 50
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   identifier        = "orders"
    ///   engine            = "postgres"
    ///   instance_class    = "db.t4g.medium"
    ///   allocated_storage = 50
    ///   storage_encrypted = true
    ///   kms_key_id        = aws_kms_key.rds.arn
    /// }
    /// ```
    ///
    /// ## Fix
    /// Create the database with storage encryption on (ideally with a customer-managed KMS key).
    /// For an existing database, snapshot it, copy the snapshot with encryption, and restore from
    /// the encrypted copy.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 2.3.1
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1)
    /// - Amazon RDS User Guide, "Encrypting Amazon RDS resources"
    pub(crate) struct StorageNotEncrypted;
    id: "AWS-RDS-001",
    name: "rds-storage-not-encrypted",
    title: "RDS database storage is not encrypted at rest",
    severity: Severity::High,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "rds",
    fix: "Create the database with storage encryption enabled (a customer-managed KMS key is preferred); existing databases need an encrypted snapshot copy and a restore.",
    references: References {
        cis_aws_v3: &["2.3.1"],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)"],
    },
    equivalents: Equivalents {
        checkov: &["CKV_AWS_16", "CKV_AWS_96"],
        trivy: &["AVD-AWS-0080", "AVD-AWS-0079"],
    },
}

impl Rule for StorageNotEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for db in model.all::<Database>().filter(|db| owns_storage(db)) {
            let attr = &db.storage_encrypted;
            checks.require(
                &db.meta,
                attr,
                |on| *on,
                |_| format!("storage encryption is off{}", defaulted(attr.explicit)),
            );
        }
    }
}
