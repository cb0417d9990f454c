use deadbolt_model::aws::datastore::StoreKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::require_on;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An SNS topic without server-side encryption: no KMS key (`KmsMasterKeyId`) is set. SNS
    /// has no encryption by default and no service-owned key option; encryption needs a KMS key,
    /// either the AWS managed `alias/aws/sns` or a customer managed key.
    ///
    /// ## Why it matters
    /// Messages wait in SNS until every subscriber has them, and they often carry order details,
    /// alerts with hostnames, or personal data. Server-side encryption keeps them encrypted on disk
    /// and puts reading them under a KMS key policy as well as the topic policy. Turning it on is
    /// the customer's choice.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_sns_topic" "alerts" {
    ///   name = "ops-alerts"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_sns_topic" "alerts" {
    ///   name              = "ops-alerts"
    ///   kms_master_key_id = "alias/aws/sns"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `kms_master_key_id` to a customer managed key (or `alias/aws/sns`). With a customer
    /// managed key, publishing services such as CloudWatch need `kms:GenerateDataKey*` and
    /// `kms:Decrypt` in its key policy.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1)
    /// - AWS SNS Developer Guide, "Encryption at rest"
    pub(crate) struct SnsUnencrypted;
    id: "AWS-SNS-001",
    name: "sns-topic-unencrypted",
    title: "SNS topic is not encrypted at rest",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "sns",
    fix: "Set a KMS key (`KmsMasterKeyId`) on the topic.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_26"], trivy: &["AVD-AWS-0095"] },
}

impl Rule for SnsUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        require_on(
            model,
            checks,
            StoreKind::SnsTopic,
            |s| Some(&s.encrypted_at_rest),
            "encryption at rest",
        );
    }
}
