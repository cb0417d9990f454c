use deadbolt_model::aws::datastore::StoreKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::require_on;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A Redshift provisioned cluster with `encrypted = false`.
    ///
    /// A cluster that does not set `encrypted` passes: AWS has encrypted new provisioned clusters
    /// by default since January 2025, and AWS provider v6 defaults the argument to `true`. A
    /// cluster created earlier without the argument may still be unencrypted; the configuration
    /// alone cannot show that.
    ///
    /// ## Why it matters
    /// A data warehouse concentrates the organization's data. Encryption at rest covers the
    /// cluster's data blocks, system metadata and snapshots, under a KMS key whose use is logged
    /// and can be revoked.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_redshift_cluster" "warehouse" {
    ///   cluster_identifier = "warehouse"
    ///   node_type          = "ra3.xlplus"
    ///   encrypted          = false
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_redshift_cluster" "warehouse" {
    ///   cluster_identifier = "warehouse"
    ///   node_type          = "ra3.xlplus"
    ///   encrypted          = true
    ///   kms_key_id         = aws_kms_key.warehouse.arn
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `encrypted = true` (optionally with `kms_key_id`); Redshift can encrypt an existing
    /// cluster by modifying it (it migrates the data).
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1)
    /// - Amazon Redshift Management Guide, "Amazon Redshift database encryption"
    pub(crate) struct RedshiftUnencrypted;
    id: "AWS-REDSHIFT-001",
    name: "redshift-cluster-unencrypted",
    title: "Redshift cluster is not encrypted at rest",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "redshift",
    fix: "Encrypt the cluster (`Encrypted`).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_64"], trivy: &["AVD-AWS-0084"] },
}

impl Rule for RedshiftUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        require_on(
            model,
            checks,
            StoreKind::RedshiftCluster,
            |s| Some(&s.encrypted_at_rest),
            "encryption at rest",
        );
    }
}
