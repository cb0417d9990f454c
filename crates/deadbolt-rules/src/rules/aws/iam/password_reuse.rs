use deadbolt_model::aws::iam::PasswordPolicy;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

/// CIS AWS Foundations Benchmark v3.0.0, 1.9: remember 24 passwords.
const REMEMBERED: i64 = 24;

declare_rule! {
    /// ## What it checks
    /// The account password policy remembers fewer than 24 previous passwords, or does not prevent
    /// reuse at all (the default).
    ///
    /// ## Why it matters
    /// When a password must change (after a leak, or on expiry), users who may reuse an old one
    /// often go back to the password that leaked. Remembering 24 passwords makes the change real.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_iam_account_password_policy" "strict" {
    ///   minimum_password_length   = 14
    ///   password_reuse_prevention = 5
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
    /// Set `password_reuse_prevention` to 24 (the most IAM allows).
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 1.9
    /// - NIST CSF 2.0 PR.AA-01; NIST SP 800-53 IA-5(1)
    /// - AWS IAM User Guide, "Set an account password policy for IAM users"
    pub(crate) struct PasswordReuse;
    id: "AWS-IAM-008",
    name: "iam-password-policy-reuse",
    title: "IAM password policy remembers fewer than 24 previous passwords",
    severity: Severity::Medium,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Set password reuse prevention to 24.",
    references: References {
        cis_aws_v3: &["1.9"],
        nist_csf_2: &["PR.AA-01"],
        nist_800_53: &["IA-5(1)"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_13"], trivy: &["AVD-AWS-0056"] },
}

impl Rule for PasswordReuse {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for policy in model.all::<PasswordPolicy>() {
            let reuse = &policy.reuse_prevention;
            checks.require(
                &policy.meta,
                reuse,
                |n| *n >= REMEMBERED,
                |n| match (n, reuse.explicit) {
                    (0, false) => "password reuse prevention is not set".to_string(),
                    (0, true) => "password reuse prevention is 0 (off)".to_string(),
                    (n, _) => format!("only the last {n} passwords are remembered"),
                },
            );
        }
    }
}
