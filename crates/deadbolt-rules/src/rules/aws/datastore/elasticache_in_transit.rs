use deadbolt_model::aws::datastore::StoreKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::require_on;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An ElastiCache replication group without in-transit encryption
    /// (`transit_encryption_enabled` unset or `false`).
    ///
    /// ## Why it matters
    /// Without TLS, every command and value between clients and the cache, and between primary and
    /// replicas, crosses the network in clear text. That includes the `AUTH` token, which can only
    /// be set when transit encryption is on, so an unencrypted group has no password either.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "sessions" {
    ///   replication_group_id = "sessions"
    ///   description          = "user sessions"
    ///   node_type            = "cache.t4g.small"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "sessions" {
    ///   replication_group_id       = "sessions"
    ///   description                = "user sessions"
    ///   node_type                  = "cache.t4g.small"
    ///   transit_encryption_enabled = true
    ///   auth_token                 = var.redis_auth_token
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `transit_encryption_enabled = true` and an `auth_token`. From engine version 7.0.5 it
    /// can be turned on in place, first with `transit_encryption_mode = "preferred"` and then
    /// `"required"`.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-02; NIST SP 800-53 SC-8(1)
    /// - Amazon ElastiCache User Guide, "ElastiCache in-transit encryption (TLS)"
    pub(crate) struct ElastiCacheInTransit;
    id: "AWS-ELASTICACHE-002",
    name: "elasticache-no-encryption-in-transit",
    title: "ElastiCache replication group does not encrypt traffic",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "elasticache",
    fix: "Enable in-transit encryption on the replication group (`TransitEncryptionEnabled`).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-02"],
        nist_800_53: &["SC-8(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_30"], trivy: &["AVD-AWS-0051"] },
}

impl Rule for ElastiCacheInTransit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        require_on(
            model,
            checks,
            StoreKind::ElastiCacheReplicationGroup,
            |s| s.encrypted_in_transit.as_ref(),
            "in-transit encryption",
        );
    }
}
