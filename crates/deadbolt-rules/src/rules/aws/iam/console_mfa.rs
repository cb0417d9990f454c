use deadbolt_model::aws::account::CredentialUser;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::credentials::report_unread;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An IAM user who can sign in to the console (`password_enabled` in the IAM credential
    /// report) has no MFA device (`mfa_active` false). A live check on account snapshots; when the
    /// credential report could not be read the account is reported as not evaluated.
    ///
    /// ## Why it matters
    /// A console password alone falls to phishing, reuse and guessing, and the console grants
    /// everything the user's policies allow. MFA makes a stolen password useless on its own. Who
    /// gets a password and whether they enrol MFA is the customer's decision.
    ///
    /// ## Failing example
    /// ```json
    /// {
    ///   "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
    ///   "collector": "deadbolt 0.1.0",
    ///   "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
    ///   "regions": ["eu-west-1"],
    ///   "calls": [
    ///     {"service": "iam", "operation": "GetCredentialReport", "region": "us-east-1", "response": {"GetCredentialReportResult": {"Content": "dXNlcixhcm4sdXNlcl9jcmVhdGlvbl90aW1lLHBhc3N3b3JkX2VuYWJsZWQscGFzc3dvcmRfbGFzdF91c2VkLHBhc3N3b3JkX2xhc3RfY2hhbmdlZCxwYXNzd29yZF9uZXh0X3JvdGF0aW9uLG1mYV9hY3RpdmUsYWNjZXNzX2tleV8xX2FjdGl2ZSxhY2Nlc3Nfa2V5XzFfbGFzdF9yb3RhdGVkLGFjY2Vzc19rZXlfMV9sYXN0X3VzZWRfZGF0ZSxhY2Nlc3Nfa2V5XzFfbGFzdF91c2VkX3JlZ2lvbixhY2Nlc3Nfa2V5XzFfbGFzdF91c2VkX3NlcnZpY2UsYWNjZXNzX2tleV8yX2FjdGl2ZSxhY2Nlc3Nfa2V5XzJfbGFzdF9yb3RhdGVkLGFjY2Vzc19rZXlfMl9sYXN0X3VzZWRfZGF0ZSxhY2Nlc3Nfa2V5XzJfbGFzdF91c2VkX3JlZ2lvbixhY2Nlc3Nfa2V5XzJfbGFzdF91c2VkX3NlcnZpY2UsY2VydF8xX2FjdGl2ZSxjZXJ0XzFfbGFzdF9yb3RhdGVkLGNlcnRfMl9hY3RpdmUsY2VydF8yX2xhc3Rfcm90YXRlZAo8cm9vdF9hY2NvdW50Pixhcm46YXdzOmlhbTo6MTIzNDU2Nzg5MDEyOnJvb3QsMjAyNS0wMS0xMFQwOTowMDowMCswMDowMCxub3Rfc3VwcG9ydGVkLDIwMjYtMTEtMDFUMDg6MDA6MDArMDA6MDAsbm90X3N1cHBvcnRlZCxOL0EsdHJ1ZSxmYWxzZSxOL0EsTi9BLE4vQSxOL0EsZmFsc2UsTi9BLE4vQSxOL0EsTi9BLGZhbHNlLE4vQSxmYWxzZSxOL0EKZGVwbG95LGFybjphd3M6aWFtOjoxMjM0NTY3ODkwMTI6dXNlci9kZXBsb3ksMjAyNS0wMS0xMFQwOTowMDowMCswMDowMCx0cnVlLDIwMjYtMTEtMjhUMDg6MDA6MDArMDA6MDAsMjAyNi0xMC0wMVQwODowMDowMCswMDowMCxOL0EsZmFsc2UsZmFsc2UsTi9BLE4vQSxOL0EsTi9BLGZhbHNlLE4vQSxOL0EsTi9BLE4vQSxmYWxzZSxOL0EsZmFsc2UsTi9BCg==", "ReportFormat": "text/csv", "GeneratedTime": "2026-11-29T19:55:00Z"}}}
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
    ///     {"service": "iam", "operation": "GetCredentialReport", "region": "us-east-1", "response": {"GetCredentialReportResult": {"Content": "dXNlcixhcm4sdXNlcl9jcmVhdGlvbl90aW1lLHBhc3N3b3JkX2VuYWJsZWQscGFzc3dvcmRfbGFzdF91c2VkLHBhc3N3b3JkX2xhc3RfY2hhbmdlZCxwYXNzd29yZF9uZXh0X3JvdGF0aW9uLG1mYV9hY3RpdmUsYWNjZXNzX2tleV8xX2FjdGl2ZSxhY2Nlc3Nfa2V5XzFfbGFzdF9yb3RhdGVkLGFjY2Vzc19rZXlfMV9sYXN0X3VzZWRfZGF0ZSxhY2Nlc3Nfa2V5XzFfbGFzdF91c2VkX3JlZ2lvbixhY2Nlc3Nfa2V5XzFfbGFzdF91c2VkX3NlcnZpY2UsYWNjZXNzX2tleV8yX2FjdGl2ZSxhY2Nlc3Nfa2V5XzJfbGFzdF9yb3RhdGVkLGFjY2Vzc19rZXlfMl9sYXN0X3VzZWRfZGF0ZSxhY2Nlc3Nfa2V5XzJfbGFzdF91c2VkX3JlZ2lvbixhY2Nlc3Nfa2V5XzJfbGFzdF91c2VkX3NlcnZpY2UsY2VydF8xX2FjdGl2ZSxjZXJ0XzFfbGFzdF9yb3RhdGVkLGNlcnRfMl9hY3RpdmUsY2VydF8yX2xhc3Rfcm90YXRlZAo8cm9vdF9hY2NvdW50Pixhcm46YXdzOmlhbTo6MTIzNDU2Nzg5MDEyOnJvb3QsMjAyNS0wMS0xMFQwOTowMDowMCswMDowMCxub3Rfc3VwcG9ydGVkLDIwMjYtMTEtMDFUMDg6MDA6MDArMDA6MDAsbm90X3N1cHBvcnRlZCxOL0EsdHJ1ZSxmYWxzZSxOL0EsTi9BLE4vQSxOL0EsZmFsc2UsTi9BLE4vQSxOL0EsTi9BLGZhbHNlLE4vQSxmYWxzZSxOL0EKZGVwbG95LGFybjphd3M6aWFtOjoxMjM0NTY3ODkwMTI6dXNlci9kZXBsb3ksMjAyNS0wMS0xMFQwOTowMDowMCswMDowMCx0cnVlLDIwMjYtMTEtMjhUMDg6MDA6MDArMDA6MDAsMjAyNi0xMC0wMVQwODowMDowMCswMDowMCxOL0EsdHJ1ZSxmYWxzZSxOL0EsTi9BLE4vQSxOL0EsZmFsc2UsTi9BLE4vQSxOL0EsTi9BLGZhbHNlLE4vQSxmYWxzZSxOL0EK", "ReportFormat": "text/csv", "GeneratedTime": "2026-11-29T19:55:00Z"}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Have the user enrol an MFA device (IAM console, Users, Security credentials, Assign MFA
    /// device), and deny their actions until they have (the `aws:MultiFactorAuthPresent`
    /// condition). Better still, move people to IAM Identity Center and remove their passwords.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 1.10
    /// - NIST CSF 2.0 PR.AA-03; NIST SP 800-53 IA-2(1), IA-2(2)
    /// - AWS IAM User Guide, "AWS Multi-factor authentication in IAM"
    /// - Prowler `iam_user_mfa_enabled_console_access` (no Checkov or Trivy equivalent)
    pub(crate) struct ConsoleUserWithoutMfa;
    id: "AWS-IAM-013",
    name: "iam-console-user-without-mfa",
    title: "IAM user with console access has no MFA device",
    severity: Severity::High,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Enrol an MFA device for every IAM user with a console password, or remove the password.",
    references: References {
        cis_aws_v3: &["1.10"],
        nist_csf_2: &["PR.AA-03"],
        nist_800_53: &["IA-2(1)", "IA-2(2)"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for ConsoleUserWithoutMfa {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        report_unread(model, checks);
        for user in model.all::<CredentialUser>() {
            match (user.console_access.known(), user.mfa_active.known()) {
                (Some(false), _) | (Some(true), Some(true)) => checks.pass(&user.meta),
                (Some(true), Some(false)) => checks.fail(
                    &user.meta,
                    &user.mfa_active.span,
                    format!(
                        "IAM user `{}` has a console password and no MFA device",
                        user.name
                    ),
                ),
                (None, _) => checks.not_evaluated_attr(&user.meta, &user.console_access),
                (Some(true), None) => checks.not_evaluated_attr(&user.meta, &user.mfa_active),
            }
        }
    }
}
