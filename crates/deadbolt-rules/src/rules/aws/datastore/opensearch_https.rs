use deadbolt_model::aws::datastore::StoreKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::require_on;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An OpenSearch or Elasticsearch domain whose endpoint accepts plain HTTP: no
    /// `domain_endpoint_options` block (the API then leaves HTTP allowed), or one with
    /// `enforce_https = false`. Inside the block the provider defaults `enforce_https` to `true`.
    ///
    /// ## Why it matters
    /// Over HTTP, queries, indexed documents and the credentials or signed requests of clients
    /// cross the network in clear text. Requiring HTTPS makes the domain refuse unencrypted
    /// requests, so a misconfigured client fails instead of leaking.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_elasticsearch_domain" "monitoring" {
    ///   domain_name           = "monitoring"
    ///   elasticsearch_version = "7.10"
    ///   domain_endpoint_options {
    ///     enforce_https = false
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_elasticsearch_domain" "monitoring" {
    ///   domain_name           = "monitoring"
    ///   elasticsearch_version = "7.10"
    ///   domain_endpoint_options {
    ///     enforce_https       = true
    ///     tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add `domain_endpoint_options { enforce_https = true }`, and set `tls_security_policy` to a
    /// TLS 1.2 (or later) policy.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-02; NIST SP 800-53 SC-8(1)
    /// - Amazon OpenSearch Service Developer Guide, "Creating and managing Amazon OpenSearch
    ///   Service domains" (require HTTPS)
    pub(crate) struct OpenSearchHttps;
    id: "AWS-OPENSEARCH-003",
    name: "opensearch-https-not-enforced",
    title: "OpenSearch domain accepts plain HTTP",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "opensearch",
    fix: "Enforce HTTPS on the domain endpoint (`EnforceHTTPS` in the domain endpoint options).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-02"],
        nist_800_53: &["SC-8(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_83"], trivy: &["AVD-AWS-0046"] },
}

impl Rule for OpenSearchHttps {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        require_on(
            model,
            checks,
            StoreKind::OpenSearchDomain,
            |s| s.https_enforced.as_ref(),
            "HTTPS enforcement",
        );
    }
}
