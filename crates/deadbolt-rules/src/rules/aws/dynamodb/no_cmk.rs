use deadbolt_model::aws::dynamodb::Table;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity, State};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A DynamoDB table that is not encrypted with a customer managed KMS key: server-side
    /// encryption left at the AWS owned key (the default), or KMS encryption with no key named or
    /// with the AWS managed key `aws/dynamodb`.
    ///
    /// ## Why it matters
    /// DynamoDB always encrypts at rest, but with the AWS owned or AWS managed key the key adds no
    /// control of its own: whoever may read the table may read the data, and key use is invisible
    /// (AWS owned) or cannot be restricted (AWS managed). A customer managed key has a key policy
    /// you write, logs every use in CloudTrail, and can be disabled to cut off access to the data
    /// and its backups at once.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_dynamodb_table" "patients" {
    ///   name         = "patients"
    ///   billing_mode = "PAY_PER_REQUEST"
    ///   hash_key     = "patient_id"
    ///   attribute {
    ///     name = "patient_id"
    ///     type = "S"
    ///   }
    ///   server_side_encryption {
    ///     enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_dynamodb_table" "patients" {
    ///   name         = "patients"
    ///   billing_mode = "PAY_PER_REQUEST"
    ///   hash_key     = "patient_id"
    ///   attribute {
    ///     name = "patient_id"
    ///     type = "S"
    ///   }
    ///   server_side_encryption {
    ///     enabled     = true
    ///     kms_key_arn = aws_kms_key.patients.arn
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Create an `aws_kms_key` for the table and set `server_side_encryption { enabled = true,
    /// kms_key_arn = <its ARN> }`.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-01; NIST SP 800-53 SC-12, SC-28(1)
    /// - Amazon DynamoDB Developer Guide, "DynamoDB encryption at rest"
    pub(crate) struct TableNoCmk;
    id: "AWS-DYNAMODB-002",
    name: "dynamodb-not-encrypted-with-cmk",
    title: "DynamoDB table is not encrypted with a customer managed KMS key",
    severity: Severity::Low,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "dynamodb",
    fix: "Enable server-side encryption with a customer managed KMS key (`SSESpecification.KMSMasterKeyId`).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01"],
        nist_800_53: &["SC-12", "SC-28(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_119"], trivy: &["AVD-AWS-0025"] },
}

/// `true` for the AWS managed key of DynamoDB, by alias name or alias ARN.
fn is_aws_managed(key: &str) -> bool {
    key == "alias/aws/dynamodb" || key.ends_with(":alias/aws/dynamodb")
}

impl Rule for TableNoCmk {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for table in model.all::<Table>() {
            match &table.kms_encryption.state {
                State::Unknown(reason) => checks.not_evaluated(&table.meta, reason),
                State::Known(false) => checks.fail(
                    &table.meta,
                    &table.kms_encryption.span,
                    "encrypted with the AWS owned key, not a customer managed KMS key",
                ),
                State::Known(true) => match &table.kms_key.state {
                    State::Unknown(reason) => checks.not_evaluated(&table.meta, reason),
                    State::Known(None) => checks.fail(
                        &table.meta,
                        &table.kms_key.span,
                        "KMS encryption names no key, so the AWS managed key `aws/dynamodb` is used",
                    ),
                    State::Known(Some(key)) if is_aws_managed(key) => checks.fail(
                        &table.meta,
                        &table.kms_key.span,
                        format!("KMS encryption uses the AWS managed key `{key}`"),
                    ),
                    State::Known(Some(_)) => checks.pass(&table.meta),
                },
            }
        }
    }
}
