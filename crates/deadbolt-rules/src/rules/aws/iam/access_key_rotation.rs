use deadbolt_model::aws::account::CredentialUser;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use super::credentials::report_unread;
use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

/// The oldest an active access key may be, in whole days since its creation or last rotation:
/// CIS AWS Foundations Benchmark v3.0.0, 1.14 ("rotated every 90 days or less").
pub(crate) const MAX_AGE_DAYS: i64 = 90;

declare_rule! {
    /// ## What it checks
    /// An IAM user's active access key was created or last rotated more than 90 days before the
    /// account snapshot was collected (`access_key_N_last_rotated` in the IAM credential report).
    /// A key exactly 90 days old passes; 91 fails. Ages are counted against the snapshot's
    /// collection time, so a snapshot always gives the same findings. When the credential report
    /// could not be read the account is reported as not evaluated.
    ///
    /// ## Why it matters
    /// Access keys are long-lived secrets that end up in scripts, CI variables and laptops. The
    /// longer one lives, the more places it has been copied to and the longer a leaked copy keeps
    /// working. Rotating (or, better, replacing keys with roles) bounds that window.
    ///
    /// ## Failing example
    /// ```json
    /// {
    ///   "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
    ///   "collector": "deadbolt 0.1.0",
    ///   "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
    ///   "regions": ["eu-west-1"],
    ///   "calls": [
    ///     {"service": "iam", "operation": "GetCredentialReport", "region": "us-east-1", "response": {"GetCredentialReportResult": {"Content": "dXNlcixhcm4sdXNlcl9jcmVhdGlvbl90aW1lLHBhc3N3b3JkX2VuYWJsZWQscGFzc3dvcmRfbGFzdF91c2VkLHBhc3N3b3JkX2xhc3RfY2hhbmdlZCxwYXNzd29yZF9uZXh0X3JvdGF0aW9uLG1mYV9hY3RpdmUsYWNjZXNzX2tleV8xX2FjdGl2ZSxhY2Nlc3Nfa2V5XzFfbGFzdF9yb3RhdGVkLGFjY2Vzc19rZXlfMV9sYXN0X3VzZWRfZGF0ZSxhY2Nlc3Nfa2V5XzFfbGFzdF91c2VkX3JlZ2lvbixhY2Nlc3Nfa2V5XzFfbGFzdF91c2VkX3NlcnZpY2UsYWNjZXNzX2tleV8yX2FjdGl2ZSxhY2Nlc3Nfa2V5XzJfbGFzdF9yb3RhdGVkLGFjY2Vzc19rZXlfMl9sYXN0X3VzZWRfZGF0ZSxhY2Nlc3Nfa2V5XzJfbGFzdF91c2VkX3JlZ2lvbixhY2Nlc3Nfa2V5XzJfbGFzdF91c2VkX3NlcnZpY2UsY2VydF8xX2FjdGl2ZSxjZXJ0XzFfbGFzdF9yb3RhdGVkLGNlcnRfMl9hY3RpdmUsY2VydF8yX2xhc3Rfcm90YXRlZAo8cm9vdF9hY2NvdW50Pixhcm46YXdzOmlhbTo6MTIzNDU2Nzg5MDEyOnJvb3QsMjAyNS0wMS0xMFQwOTowMDowMCswMDowMCxub3Rfc3VwcG9ydGVkLDIwMjYtMTEtMDFUMDg6MDA6MDArMDA6MDAsbm90X3N1cHBvcnRlZCxOL0EsdHJ1ZSxmYWxzZSxOL0EsTi9BLE4vQSxOL0EsZmFsc2UsTi9BLE4vQSxOL0EsTi9BLGZhbHNlLE4vQSxmYWxzZSxOL0EKY2ksYXJuOmF3czppYW06OjEyMzQ1Njc4OTAxMjp1c2VyL2NpLDIwMjUtMDEtMTBUMDk6MDA6MDArMDA6MDAsZmFsc2UsTi9BLE4vQSxOL0EsZmFsc2UsdHJ1ZSwyMDI2LTA1LTAxVDAwOjAwOjAwKzAwOjAwLDIwMjYtMTEtMjlUMTA6MDA6MDArMDA6MDAsZXUtd2VzdC0xLHMzLGZhbHNlLE4vQSxOL0EsTi9BLE4vQSxmYWxzZSxOL0EsZmFsc2UsTi9BCg==", "ReportFormat": "text/csv", "GeneratedTime": "2026-11-29T19:55:00Z"}}}
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
    ///     {"service": "iam", "operation": "GetCredentialReport", "region": "us-east-1", "response": {"GetCredentialReportResult": {"Content": "dXNlcixhcm4sdXNlcl9jcmVhdGlvbl90aW1lLHBhc3N3b3JkX2VuYWJsZWQscGFzc3dvcmRfbGFzdF91c2VkLHBhc3N3b3JkX2xhc3RfY2hhbmdlZCxwYXNzd29yZF9uZXh0X3JvdGF0aW9uLG1mYV9hY3RpdmUsYWNjZXNzX2tleV8xX2FjdGl2ZSxhY2Nlc3Nfa2V5XzFfbGFzdF9yb3RhdGVkLGFjY2Vzc19rZXlfMV9sYXN0X3VzZWRfZGF0ZSxhY2Nlc3Nfa2V5XzFfbGFzdF91c2VkX3JlZ2lvbixhY2Nlc3Nfa2V5XzFfbGFzdF91c2VkX3NlcnZpY2UsYWNjZXNzX2tleV8yX2FjdGl2ZSxhY2Nlc3Nfa2V5XzJfbGFzdF9yb3RhdGVkLGFjY2Vzc19rZXlfMl9sYXN0X3VzZWRfZGF0ZSxhY2Nlc3Nfa2V5XzJfbGFzdF91c2VkX3JlZ2lvbixhY2Nlc3Nfa2V5XzJfbGFzdF91c2VkX3NlcnZpY2UsY2VydF8xX2FjdGl2ZSxjZXJ0XzFfbGFzdF9yb3RhdGVkLGNlcnRfMl9hY3RpdmUsY2VydF8yX2xhc3Rfcm90YXRlZAo8cm9vdF9hY2NvdW50Pixhcm46YXdzOmlhbTo6MTIzNDU2Nzg5MDEyOnJvb3QsMjAyNS0wMS0xMFQwOTowMDowMCswMDowMCxub3Rfc3VwcG9ydGVkLDIwMjYtMTEtMDFUMDg6MDA6MDArMDA6MDAsbm90X3N1cHBvcnRlZCxOL0EsdHJ1ZSxmYWxzZSxOL0EsTi9BLE4vQSxOL0EsZmFsc2UsTi9BLE4vQSxOL0EsTi9BLGZhbHNlLE4vQSxmYWxzZSxOL0EKY2ksYXJuOmF3czppYW06OjEyMzQ1Njc4OTAxMjp1c2VyL2NpLDIwMjUtMDEtMTBUMDk6MDA6MDArMDA6MDAsZmFsc2UsTi9BLE4vQSxOL0EsZmFsc2UsdHJ1ZSwyMDI2LTExLTAxVDAwOjAwOjAwKzAwOjAwLDIwMjYtMTEtMjlUMTA6MDA6MDArMDA6MDAsZXUtd2VzdC0xLHMzLGZhbHNlLE4vQSxOL0EsTi9BLE4vQSxmYWxzZSxOL0EsZmFsc2UsTi9BCg==", "ReportFormat": "text/csv", "GeneratedTime": "2026-11-29T19:55:00Z"}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Create a second key, move every user of the old one to it, make the old key inactive, and
    /// delete it once nothing fails. Prefer IAM roles (instance profiles, IAM Roles Anywhere, OIDC
    /// federation for CI) so there is no key to rotate.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 1.14
    /// - NIST CSF 2.0 PR.AA-01; NIST SP 800-53 IA-5(1)
    /// - AWS IAM User Guide, "Manage access keys for IAM users" (rotating access keys)
    /// - Prowler `iam_rotate_access_key_90_days` (no Checkov or Trivy equivalent)
    pub(crate) struct AccessKeyNotRotated;
    id: "AWS-IAM-014",
    name: "iam-access-key-not-rotated",
    title: "Active IAM access key older than 90 days",
    severity: Severity::Medium,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Rotate access keys at least every 90 days, or replace them with IAM roles.",
    references: References {
        cis_aws_v3: &["1.14"],
        nist_csf_2: &["PR.AA-01"],
        nist_800_53: &["IA-5(1)"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for AccessKeyNotRotated {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        report_unread(model, checks);
        for user in model.all::<CredentialUser>() {
            for key in &user.access_keys {
                match (key.active.known(), key.age_days.known()) {
                    (Some(false), _) => {}
                    (Some(true), Some(days)) if *days > MAX_AGE_DAYS => checks.fail(
                        &user.meta,
                        &key.age_days.span,
                        format!(
                            "access key {} of IAM user `{}` is active and was last rotated {days} days before collection (more than {MAX_AGE_DAYS})",
                            key.slot, user.name
                        ),
                    ),
                    (Some(true), Some(_)) => {}
                    (None, _) => checks.not_evaluated_attr(&user.meta, &key.active),
                    (Some(true), None) => checks.not_evaluated_attr(&user.meta, &key.age_days),
                }
            }
            // Failures and unknowns recorded above outrank this pass.
            checks.pass(&user.meta);
        }
    }
}
