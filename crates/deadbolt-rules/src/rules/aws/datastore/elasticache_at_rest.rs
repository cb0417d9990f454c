use deadbolt_model::aws::datastore::StoreKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::require_on;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An ElastiCache (Redis OSS or Valkey) replication group without encryption at rest.
    /// Unset, it is off for the `redis` engine (the default engine) and on for `valkey`.
    ///
    /// ## Why it matters
    /// Caches hold sessions, tokens and copies of database rows. Encryption at rest covers the data
    /// that reaches disk (swap, backups, snapshots exported to S3). It can only be chosen when the
    /// replication group is created.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "sessions" {
    ///   replication_group_id = "sessions"
    ///   description          = "user sessions"
    ///   node_type            = "cache.t4g.small"
    ///   engine               = "redis"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "sessions" {
    ///   replication_group_id       = "sessions"
    ///   description                = "user sessions"
    ///   node_type                  = "cache.t4g.small"
    ///   engine                     = "redis"
    ///   at_rest_encryption_enabled = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `at_rest_encryption_enabled = true` (optionally with `kms_key_id`), or use the `valkey`
    /// engine, where it is on by default. An existing group must be recreated from a backup.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1)
    /// - Amazon ElastiCache User Guide, "At-Rest Encryption in ElastiCache"
    pub(crate) struct ElastiCacheAtRest;
    id: "AWS-ELASTICACHE-001",
    name: "elasticache-no-encryption-at-rest",
    title: "ElastiCache replication group is not encrypted at rest",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "elasticache",
    fix: "Enable at-rest encryption on the replication group (`AtRestEncryptionEnabled`).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_29"], trivy: &["AVD-AWS-0045"] },
}

impl Rule for ElastiCacheAtRest {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        require_on(
            model,
            checks,
            StoreKind::ElastiCacheReplicationGroup,
            |s| Some(&s.encrypted_at_rest),
            "encryption at rest",
        );
    }
}
