use deadbolt_model::aws::datastore::StoreKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::require_on;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An SQS queue with server-side encryption turned off: no KMS key (`kms_master_key_id`) and
    /// `sqs_managed_sse_enabled = false`.
    ///
    /// Since October 2022 AWS encrypts new queues with SQS-owned keys (SSE-SQS) unless told not to,
    /// so a queue that sets neither argument passes. A queue created before then and never changed
    /// may still be unencrypted; the configuration alone cannot show that.
    ///
    /// ## Why it matters
    /// Queued messages can sit for up to 14 days and often carry the payloads that systems pass
    /// to each other, personal data included. Encryption at rest keeps them encrypted on disk; with
    /// SSE-KMS, reading them also requires permission on the key.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_sqs_queue" "orders" {
    ///   name                    = "orders"
    ///   sqs_managed_sse_enabled = false
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_sqs_queue" "orders" {
    ///   name              = "orders"
    ///   kms_master_key_id = aws_kms_key.queues.arn
    /// }
    /// ```
    ///
    /// ## Fix
    /// Remove `sqs_managed_sse_enabled = false` (SSE-SQS is then on), or set
    /// `kms_master_key_id` to use a KMS key.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-28(1)
    /// - Amazon SQS Developer Guide, "Encryption at rest in Amazon SQS"
    pub(crate) struct SqsUnencrypted;
    id: "AWS-SQS-001",
    name: "sqs-queue-unencrypted",
    title: "SQS queue is not encrypted at rest",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "sqs",
    fix: "Turn SSE-SQS back on (`SqsManagedSseEnabled`) or set a KMS key (`KmsMasterKeyId`).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-28(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_27"], trivy: &["AVD-AWS-0096"] },
}

impl Rule for SqsUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        require_on(
            model,
            checks,
            StoreKind::SqsQueue,
            |s| Some(&s.encrypted_at_rest),
            "encryption at rest",
        );
    }
}
