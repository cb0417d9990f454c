use deadbolt_model::aws::account::RootUser;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The account's root user has no MFA device: IAM `GetAccountSummary` reports
    /// `AccountMFAEnabled` 0. A live check: it judges account snapshots (`deadbolt collect --aws`),
    /// as no template describes the root user.
    ///
    /// ## Why it matters
    /// The root user can do everything in the account, including closing it and changing its
    /// contact details, and no policy can restrict it. Without MFA its password alone, phished or
    /// reused, hands over the account. Protecting the root credentials is the customer's side of
    /// the shared responsibility model.
    ///
    /// ## Failing example
    /// ```json
    /// {
    ///   "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
    ///   "collector": "deadbolt 0.1.0",
    ///   "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
    ///   "regions": ["eu-west-1"],
    ///   "calls": [
    ///     {"service": "iam", "operation": "GetAccountSummary", "region": "us-east-1", "response": {"GetAccountSummaryResult": {"SummaryMap": {"entry": [{"key": "AccountMFAEnabled", "value": "0"}, {"key": "AccountAccessKeysPresent", "value": "0"}]}}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```json
    /// {
    ///   "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
    ///   "collector": "deadbolt 0.1.0",
    ///   "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
    ///   "regions": ["eu-west-1"],
    ///   "calls": [
    ///     {"service": "iam", "operation": "GetAccountSummary", "region": "us-east-1", "response": {"GetAccountSummaryResult": {"SummaryMap": {"entry": [{"key": "AccountMFAEnabled", "value": "1"}, {"key": "AccountAccessKeysPresent", "value": "0"}]}}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Sign in as the root user, open Security credentials and assign an MFA device (a FIDO
    /// security key or hardware TOTP token for accounts that hold production data). Keep the
    /// device where the break-glass procedure can reach it.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 1.5
    /// - NIST CSF 2.0 PR.AA-03; NIST SP 800-53 IA-2(1)
    /// - AWS IAM User Guide, "Multi-factor authentication for AWS account root user"
    /// - Prowler `iam_root_mfa_enabled` (no Checkov or Trivy equivalent: they read code only)
    pub(crate) struct RootMfa;
    id: "AWS-IAM-010",
    name: "iam-root-user-without-mfa",
    title: "The root user has no MFA device",
    severity: Severity::Critical,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Assign an MFA device to the root user (Security credentials, signed in as root).",
    references: References {
        cis_aws_v3: &["1.5"],
        nist_csf_2: &["PR.AA-03"],
        nist_800_53: &["IA-2(1)"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for RootMfa {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for root in model.all::<RootUser>() {
            checks.require(
                &root.meta,
                &root.mfa_enabled,
                |enabled| *enabled,
                |_| "the root user has no MFA device (AccountMFAEnabled is 0)".to_string(),
            );
        }
    }
}
