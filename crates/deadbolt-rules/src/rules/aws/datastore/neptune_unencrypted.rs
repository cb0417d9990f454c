use deadbolt_model::aws::datastore::StoreKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::require_on;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A Neptune cluster without storage encryption (`storage_encrypted` unset or `false`).
    ///
    /// ## Why it matters
    /// Graph databases tend to hold the relationships a business cares most about: identities,
    /// fraud rings, supply chains. Storage encryption covers the cluster volume, its automated
    /// backups, snapshots and replicas. It can only be chosen when the cluster is created; an
    /// unencrypted cluster has to be restored from a snapshot copy to become encrypted.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_neptune_cluster" "graph" {
    ///   cluster_identifier = "identity-graph"
    ///   engine             = "neptune"
    ///   storage_encrypted  = false
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_neptune_cluster" "graph" {
    ///   cluster_identifier = "identity-graph"
    ///   engine             = "neptune"
    ///   storage_encrypted  = true
    ///   kms_key_arn        = aws_kms_key.graph.arn
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `storage_encrypted = true` (optionally with `kms_key_arn`). For an existing cluster,
    /// restore an encrypted copy of a snapshot and switch over.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1)
    /// - Amazon Neptune User Guide, "Encrypting Neptune resources at rest"
    pub(crate) struct NeptuneUnencrypted;
    id: "AWS-NEPTUNE-001",
    name: "neptune-cluster-unencrypted",
    title: "Neptune cluster storage is not encrypted",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "neptune",
    fix: "Encrypt the cluster's storage (`StorageEncrypted`).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_44"], trivy: &["AVD-AWS-0076"] },
}

impl Rule for NeptuneUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        require_on(
            model,
            checks,
            StoreKind::NeptuneCluster,
            |s| Some(&s.encrypted_at_rest),
            "storage encryption",
        );
    }
}
