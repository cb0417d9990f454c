use deadbolt_model::aws::datastore::StoreKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::require_on;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A DocumentDB cluster without storage encryption (`storage_encrypted` unset or `false`).
    /// The console encrypts new clusters by default; the API, and therefore Terraform, does not.
    ///
    /// ## Why it matters
    /// Document stores hold application records whole, personal data included. Storage encryption
    /// covers the cluster volume, backups, snapshots and replicas. It can only be chosen when the
    /// cluster is created; an unencrypted cluster has to be restored from an encrypted snapshot
    /// copy.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_docdb_cluster" "profiles" {
    ///   cluster_identifier = "profiles"
    ///   master_username    = "app"
    ///   master_password    = var.docdb_password
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_docdb_cluster" "profiles" {
    ///   cluster_identifier = "profiles"
    ///   master_username    = "app"
    ///   master_password    = var.docdb_password
    ///   storage_encrypted  = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `storage_encrypted = true` (optionally with `kms_key_id`); migrate an existing cluster
    /// through an encrypted snapshot copy.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1)
    /// - Amazon DocumentDB Developer Guide, "Encrypting Amazon DocumentDB data at rest"
    pub(crate) struct DocDbUnencrypted;
    id: "AWS-DOCDB-001",
    name: "docdb-cluster-unencrypted",
    title: "DocumentDB cluster storage is not encrypted",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "docdb",
    fix: "Encrypt the cluster's storage (`StorageEncrypted`).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_74"], trivy: &["AVD-AWS-0021"] },
}

impl Rule for DocDbUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        require_on(
            model,
            checks,
            StoreKind::DocDbCluster,
            |s| Some(&s.encrypted_at_rest),
            "storage encryption",
        );
    }
}
