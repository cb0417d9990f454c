use deadbolt_model::aws::account::{CredentialUser, Idle};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::credentials::report_unread;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

/// Whole days without use from which a credential counts as unused: CIS AWS Foundations
/// Benchmark v3.0.0, 1.12 ("unused for 45 days or greater").
pub(crate) const UNUSED_DAYS: i64 = 45;

declare_rule! {
    /// ## What it checks
    /// An IAM user's console password or active access key has not been used for 45 days or more
    /// before the account snapshot was collected (IAM credential report `password_last_used`,
    /// `access_key_N_last_used_date`). A credential that was never used counts from its creation:
    /// the password's last change (or the user's creation) and the key's last rotation. 44 days
    /// passes; 45 fails. When the credential report could not be read the account is reported as
    /// not evaluated.
    ///
    /// ## Why it matters
    /// A credential nobody uses is one nobody would miss, and nobody watches: it belongs to
    /// someone who left, a retired integration, a test. Left enabled, it is a way in that is
    /// noticed only after it is abused.
    ///
    /// ## Failing example
    /// ```json
    /// {
    ///   "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
    ///   "collector": "deadbolt 0.1.0",
    ///   "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
    ///   "regions": ["eu-west-1"],
    ///   "calls": [
    ///     {"service": "iam", "operation": "GetCredentialReport", "region": "us-east-1", "response": {"GetCredentialReportResult": {"Content": "dXNlcixhcm4sdXNlcl9jcmVhdGlvbl90aW1lLHBhc3N3b3JkX2VuYWJsZWQscGFzc3dvcmRfbGFzdF91c2VkLHBhc3N3b3JkX2xhc3RfY2hhbmdlZCxwYXNzd29yZF9uZXh0X3JvdGF0aW9uLG1mYV9hY3RpdmUsYWNjZXNzX2tleV8xX2FjdGl2ZSxhY2Nlc3Nfa2V5XzFfbGFzdF9yb3RhdGVkLGFjY2Vzc19rZXlfMV9sYXN0X3VzZWRfZGF0ZSxhY2Nlc3Nfa2V5XzFfbGFzdF91c2VkX3JlZ2lvbixhY2Nlc3Nfa2V5XzFfbGFzdF91c2VkX3NlcnZpY2UsYWNjZXNzX2tleV8yX2FjdGl2ZSxhY2Nlc3Nfa2V5XzJfbGFzdF9yb3RhdGVkLGFjY2Vzc19rZXlfMl9sYXN0X3VzZWRfZGF0ZSxhY2Nlc3Nfa2V5XzJfbGFzdF91c2VkX3JlZ2lvbixhY2Nlc3Nfa2V5XzJfbGFzdF91c2VkX3NlcnZpY2UsY2VydF8xX2FjdGl2ZSxjZXJ0XzFfbGFzdF9yb3RhdGVkLGNlcnRfMl9hY3RpdmUsY2VydF8yX2xhc3Rfcm90YXRlZAo8cm9vdF9hY2NvdW50Pixhcm46YXdzOmlhbTo6MTIzNDU2Nzg5MDEyOnJvb3QsMjAyNS0wMS0xMFQwOTowMDowMCswMDowMCxub3Rfc3VwcG9ydGVkLDIwMjYtMTEtMDFUMDg6MDA6MDArMDA6MDAsbm90X3N1cHBvcnRlZCxOL0EsdHJ1ZSxmYWxzZSxOL0EsTi9BLE4vQSxOL0EsZmFsc2UsTi9BLE4vQSxOL0EsTi9BLGZhbHNlLE4vQSxmYWxzZSxOL0EKY29udHJhY3Rvcixhcm46YXdzOmlhbTo6MTIzNDU2Nzg5MDEyOnVzZXIvY29udHJhY3RvciwyMDI1LTAxLTEwVDA5OjAwOjAwKzAwOjAwLHRydWUsMjAyNi0wOS0wMVQwODowMDowMCswMDowMCwyMDI2LTAxLTEwVDA5OjAwOjAwKzAwOjAwLE4vQSx0cnVlLGZhbHNlLE4vQSxOL0EsTi9BLE4vQSxmYWxzZSxOL0EsTi9BLE4vQSxOL0EsZmFsc2UsTi9BLGZhbHNlLE4vQQo=", "ReportFormat": "text/csv", "GeneratedTime": "2026-11-29T19:55:00Z"}}}
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
    ///     {"service": "iam", "operation": "GetCredentialReport", "region": "us-east-1", "response": {"GetCredentialReportResult": {"Content": "dXNlcixhcm4sdXNlcl9jcmVhdGlvbl90aW1lLHBhc3N3b3JkX2VuYWJsZWQscGFzc3dvcmRfbGFzdF91c2VkLHBhc3N3b3JkX2xhc3RfY2hhbmdlZCxwYXNzd29yZF9uZXh0X3JvdGF0aW9uLG1mYV9hY3RpdmUsYWNjZXNzX2tleV8xX2FjdGl2ZSxhY2Nlc3Nfa2V5XzFfbGFzdF9yb3RhdGVkLGFjY2Vzc19rZXlfMV9sYXN0X3VzZWRfZGF0ZSxhY2Nlc3Nfa2V5XzFfbGFzdF91c2VkX3JlZ2lvbixhY2Nlc3Nfa2V5XzFfbGFzdF91c2VkX3NlcnZpY2UsYWNjZXNzX2tleV8yX2FjdGl2ZSxhY2Nlc3Nfa2V5XzJfbGFzdF9yb3RhdGVkLGFjY2Vzc19rZXlfMl9sYXN0X3VzZWRfZGF0ZSxhY2Nlc3Nfa2V5XzJfbGFzdF91c2VkX3JlZ2lvbixhY2Nlc3Nfa2V5XzJfbGFzdF91c2VkX3NlcnZpY2UsY2VydF8xX2FjdGl2ZSxjZXJ0XzFfbGFzdF9yb3RhdGVkLGNlcnRfMl9hY3RpdmUsY2VydF8yX2xhc3Rfcm90YXRlZAo8cm9vdF9hY2NvdW50Pixhcm46YXdzOmlhbTo6MTIzNDU2Nzg5MDEyOnJvb3QsMjAyNS0wMS0xMFQwOTowMDowMCswMDowMCxub3Rfc3VwcG9ydGVkLDIwMjYtMTEtMDFUMDg6MDA6MDArMDA6MDAsbm90X3N1cHBvcnRlZCxOL0EsdHJ1ZSxmYWxzZSxOL0EsTi9BLE4vQSxOL0EsZmFsc2UsTi9BLE4vQSxOL0EsTi9BLGZhbHNlLE4vQSxmYWxzZSxOL0EKY29udHJhY3Rvcixhcm46YXdzOmlhbTo6MTIzNDU2Nzg5MDEyOnVzZXIvY29udHJhY3RvciwyMDI1LTAxLTEwVDA5OjAwOjAwKzAwOjAwLHRydWUsMjAyNi0xMS0yOFQwODowMDowMCswMDowMCwyMDI2LTAxLTEwVDA5OjAwOjAwKzAwOjAwLE4vQSx0cnVlLGZhbHNlLE4vQSxOL0EsTi9BLE4vQSxmYWxzZSxOL0EsTi9BLE4vQSxOL0EsZmFsc2UsTi9BLGZhbHNlLE4vQQo=", "ReportFormat": "text/csv", "GeneratedTime": "2026-11-29T19:55:00Z"}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Disable the user's console access (delete the login profile) and make unused access keys
    /// inactive; delete them, and the user, once nobody claims them.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 1.12
    /// - NIST CSF 2.0 PR.AA-01; NIST SP 800-53 AC-2(3)
    /// - AWS IAM User Guide, "Refine permissions in AWS using last accessed information" and
    ///   "Getting credential reports for your AWS account"
    /// - Prowler `iam_user_console_access_unused`, `iam_user_accesskey_unused` (no Checkov or
    ///   Trivy equivalent)
    pub(crate) struct UnusedCredentials;
    id: "AWS-IAM-015",
    name: "iam-credentials-unused-45-days",
    title: "IAM user credential unused for 45 days or more",
    severity: Severity::Medium,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Disable passwords and deactivate access keys that have not been used for 45 days.",
    references: References {
        cis_aws_v3: &["1.12"],
        nist_csf_2: &["PR.AA-01"],
        nist_800_53: &["AC-2(3)"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

fn unused(what: &str, user: &str, idle: &Idle) -> String {
    if idle.never_used {
        format!(
            "the {what} of IAM user `{user}` has never been used in the {} days since it was created",
            idle.days
        )
    } else {
        format!(
            "the {what} of IAM user `{user}` was last used {} days before collection",
            idle.days
        )
    }
}

impl Rule for UnusedCredentials {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        report_unread(model, checks);
        for user in model.all::<CredentialUser>() {
            match user.password_idle.known() {
                Some(Some(idle)) if idle.days >= UNUSED_DAYS => checks.fail(
                    &user.meta,
                    &user.password_idle.span,
                    unused("console password", &user.name, idle),
                ),
                Some(_) => {}
                None => checks.not_evaluated_attr(&user.meta, &user.password_idle),
            }
            for key in &user.access_keys {
                match (key.active.known(), key.idle.known()) {
                    (Some(false), _) => {}
                    (Some(true), Some(idle)) if idle.days >= UNUSED_DAYS => checks.fail(
                        &user.meta,
                        &key.idle.span,
                        unused(&format!("active access key {}", key.slot), &user.name, idle),
                    ),
                    (Some(true), Some(_)) => {}
                    (None, _) => checks.not_evaluated_attr(&user.meta, &key.active),
                    (Some(true), None) => checks.not_evaluated_attr(&user.meta, &key.idle),
                }
            }
            // Failures and unknowns recorded above outrank this pass.
            checks.pass(&user.meta);
        }
    }
}
