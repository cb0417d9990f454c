use deadbolt_model::aws::kms::Key;
use deadbolt_model::{Attr, Layer, Model, Provider, ServiceModel, Severity, State};

use super::super::iam::{judge_anyone, judge_document};
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A KMS key policy with an `Allow` statement for any principal (`"Principal": "*"`,
    /// `{"AWS": "*"}` or a `NotPrincipal`) and no condition that narrows the caller to known
    /// accounts, an organization, principal ARNs or network locations (`kms:CallerAccount`,
    /// `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceVpce`...). Keys that use the
    /// default key policy pass.
    ///
    /// ## Why it matters
    /// A key policy is the root of access to a KMS key: without it nobody, not even the account
    /// administrator, can use the key. A wildcard principal lets any AWS account call the granted
    /// operations. With `kms:Decrypt` that unlocks every object, snapshot and secret encrypted
    /// under the key, and with `kms:PutKeyPolicy` the key can be taken over.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_kms_key" "shared" {
    ///   description = "shared data key"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "*" }
    ///       Action    = ["kms:Decrypt", "kms:DescribeKey"]
    ///       Resource  = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_kms_key" "shared" {
    ///   description = "shared data key"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "*" }
    ///       Action    = ["kms:Decrypt", "kms:DescribeKey"]
    ///       Resource  = "*"
    ///       Condition = { StringEquals = { "kms:CallerAccount" = "111122223333" } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Name the accounts or roles in `Principal`, or keep the wildcard and add a
    /// `kms:CallerAccount` or `aws:PrincipalOrgID` condition.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-3, AC-6
    /// - AWS KMS Developer Guide, "Key policies in AWS KMS"
    pub(crate) struct KeyPolicyAnyPrincipal;
    id: "AWS-KMS-002",
    name: "kms-key-policy-any-principal",
    title: "KMS key policy allows any AWS principal",
    severity: Severity::High,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "kms",
    fix: "Name the trusted principals in the key policy, or add a `kms:CallerAccount`/`aws:PrincipalOrgID` condition to the wildcard statement.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-3", "AC-6"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_33"], trivy: &[] },
}

impl Rule for KeyPolicyAnyPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for key in model.all::<Key>() {
            match &key.policy.state {
                State::Known(None) => checks.pass(&key.meta),
                State::Known(Some(document)) => {
                    let document = Attr::set(document.clone(), key.policy.span.clone());
                    judge_document(checks, &key.meta, &document, judge_anyone);
                }
                State::Unknown(reason) => checks.not_evaluated(&key.meta, reason),
            }
        }
    }
}
