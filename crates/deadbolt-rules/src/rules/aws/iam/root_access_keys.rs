use deadbolt_model::aws::account::RootUser;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The root user has an access key, active or not: IAM `GetAccountSummary` reports
    /// `AccountAccessKeysPresent` 1, or the credential report's `<root_account>` row shows a key
    /// (active, or with a rotation date). A live check on account snapshots.
    ///
    /// ## Why it matters
    /// A root access key signs API calls with the root user's unrestricted power, and unlike the
    /// console password it needs no MFA. Keys leak through code, CI logs and laptops; a leaked root
    /// key is the whole account. Nothing needs one: every task a key could do is better done by an
    /// IAM role.
    ///
    /// ## Failing example
    /// ```json
    /// {
    ///   "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
    ///   "collector": "deadbolt 0.1.0",
    ///   "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
    ///   "regions": ["eu-west-1"],
    ///   "calls": [
    ///     {"service": "iam", "operation": "GetAccountSummary", "region": "us-east-1", "response": {"GetAccountSummaryResult": {"SummaryMap": {"entry": [{"key": "AccountMFAEnabled", "value": "1"}, {"key": "AccountAccessKeysPresent", "value": "1"}]}}}}
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
    /// Signed in as the root user, open Security credentials and delete every access key (make it
    /// inactive first if something might still use it, and watch CloudTrail for failures).
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 1.4
    /// - NIST CSF 2.0 PR.AA-01, PR.AA-05; NIST SP 800-53 AC-6(2), IA-2
    /// - AWS IAM User Guide, "Root user best practices for your AWS account"
    /// - Prowler `iam_no_root_access_key` (no Checkov or Trivy equivalent)
    pub(crate) struct RootAccessKeys;
    id: "AWS-IAM-012",
    name: "iam-root-user-access-key",
    title: "The root user has an access key",
    severity: Severity::Critical,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Delete the root user's access keys; use IAM roles for programmatic access.",
    references: References {
        cis_aws_v3: &["1.4"],
        nist_csf_2: &["PR.AA-01", "PR.AA-05"],
        nist_800_53: &["AC-6(2)", "IA-2"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for RootAccessKeys {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for root in model.all::<RootUser>() {
            checks.require(
                &root.meta,
                &root.access_keys_present,
                |present| !*present,
                |_| "the root user has an access key".to_string(),
            );
        }
    }
}
