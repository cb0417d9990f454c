use deadbolt_model::aws::iam::PasswordPolicy;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

/// CIS AWS Foundations Benchmark v3.0.0, 1.8.
const MINIMUM: i64 = 14;

declare_rule! {
    /// ## What it checks
    /// The account password policy requires fewer than 14 characters. A password policy that does
    /// not set the minimum length gets 6.
    ///
    /// ## Why it matters
    /// IAM user passwords guard console access to the account. Short passwords fall to guessing and
    /// credential stuffing; length is what makes a password hard to guess. The password policy is
    /// configured by the customer and applies to every IAM user in the account.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_iam_account_password_policy" "strict" {
    ///   minimum_password_length = 8
    ///   require_symbols         = true
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_iam_account_password_policy" "strict" {
    ///   minimum_password_length   = 14
    ///   password_reuse_prevention = 24
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `minimum_password_length` to 14 or more. Better still, give people federated access
    /// through IAM Identity Center and keep IAM users for break-glass use.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 1.8
    /// - NIST CSF 2.0 PR.AA-01; NIST SP 800-53 IA-5(1)
    /// - AWS IAM User Guide, "Set an account password policy for IAM users"
    pub(crate) struct PasswordMinLength;
    id: "AWS-IAM-007",
    name: "iam-password-policy-short-length",
    title: "IAM password policy allows passwords shorter than 14 characters",
    severity: Severity::Medium,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Set the minimum password length to 14 or more.",
    references: References {
        cis_aws_v3: &["1.8"],
        nist_csf_2: &["PR.AA-01"],
        nist_800_53: &["IA-5(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_10"], trivy: &["AVD-AWS-0063"] },
}

impl Rule for PasswordMinLength {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for policy in model.all::<PasswordPolicy>() {
            let length = &policy.minimum_length;
            checks.require(
                &policy.meta,
                length,
                |n| *n >= MINIMUM,
                |n| {
                    if length.explicit {
                        format!("minimum password length is {n}")
                    } else {
                        format!("minimum password length is not set, so it is {n}")
                    }
                },
            );
        }
    }
}
