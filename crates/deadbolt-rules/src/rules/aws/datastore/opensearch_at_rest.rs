use deadbolt_model::aws::datastore::StoreKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::require_on;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An OpenSearch or Elasticsearch domain (`aws_opensearch_domain`, `aws_elasticsearch_domain`)
    /// without encryption at rest: no `encrypt_at_rest` block, or one with `enabled = false`.
    ///
    /// ## Why it matters
    /// A search domain holds copies of the documents it indexes (logs, customer records) on its
    /// data volumes, in automated snapshots and in swap files. Encryption at rest covers all of
    /// them with a KMS key whose use is logged and can be revoked.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_opensearch_domain" "logs" {
    ///   domain_name    = "app-logs"
    ///   engine_version = "OpenSearch_2.11"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_opensearch_domain" "logs" {
    ///   domain_name    = "app-logs"
    ///   engine_version = "OpenSearch_2.11"
    ///   encrypt_at_rest {
    ///     enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `encrypt_at_rest { enabled = true }` (optionally with `kms_key_id`). Elasticsearch
    /// versions before 5.1 do not support it and need an upgrade first.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1)
    /// - Amazon OpenSearch Service Developer Guide, "Encryption of data at rest for Amazon
    ///   OpenSearch Service"
    pub(crate) struct OpenSearchAtRest;
    id: "AWS-OPENSEARCH-001",
    name: "opensearch-no-encryption-at-rest",
    title: "OpenSearch domain is not encrypted at rest",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "opensearch",
    fix: "Enable encryption at rest on the domain (`EncryptionAtRestOptions`; Terraform `encrypt_at_rest`).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_5"], trivy: &["AVD-AWS-0048"] },
}

impl Rule for OpenSearchAtRest {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        require_on(
            model,
            checks,
            StoreKind::OpenSearchDomain,
            |s| Some(&s.encrypted_at_rest),
            "encryption at rest",
        );
    }
}
