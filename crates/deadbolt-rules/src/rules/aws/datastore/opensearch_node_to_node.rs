use deadbolt_model::aws::datastore::StoreKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::require_on;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An OpenSearch or Elasticsearch domain without node-to-node encryption: no
    /// `node_to_node_encryption` block, or one with `enabled = false`.
    ///
    /// ## Why it matters
    /// Without it, the nodes of the domain send indexed documents and query results to each other
    /// in clear text inside the VPC, where anyone able to capture traffic can read them.
    /// Node-to-node encryption wraps that traffic in TLS, and it is required for fine-grained
    /// access control. Single-node domains are reported too: a domain gains nodes when it scales,
    /// and on older engine versions the setting can only be chosen when the domain is created.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   domain_name    = "catalog"
    ///   engine_version = "OpenSearch_2.11"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   domain_name    = "catalog"
    ///   engine_version = "OpenSearch_2.11"
    ///   node_to_node_encryption {
    ///     enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `node_to_node_encryption { enabled = true }` (Elasticsearch 6.0 or later, or any
    /// OpenSearch version).
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-02; NIST SP 800-53 SC-8(1)
    /// - Amazon OpenSearch Service Developer Guide, "Node-to-node encryption for Amazon OpenSearch
    ///   Service"
    pub(crate) struct OpenSearchNodeToNode;
    id: "AWS-OPENSEARCH-002",
    name: "opensearch-no-node-to-node-encryption",
    title: "OpenSearch domain does not encrypt traffic between nodes",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "opensearch",
    fix: "Enable node-to-node encryption on the domain (`NodeToNodeEncryptionOptions`; Terraform `node_to_node_encryption`).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-02"],
        nist_800_53: &["SC-8(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_6"], trivy: &["AVD-AWS-0043"] },
}

impl Rule for OpenSearchNodeToNode {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        require_on(
            model,
            checks,
            StoreKind::OpenSearchDomain,
            |s| s.encrypted_in_transit.as_ref(),
            "node-to-node encryption",
        );
    }
}
