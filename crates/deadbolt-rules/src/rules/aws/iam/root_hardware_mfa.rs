use deadbolt_model::aws::account::RootUser;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The root user's MFA is not a hardware device: it has no MFA at all (`GetAccountSummary`
    /// `AccountMFAEnabled` 0), or IAM `ListVirtualMFADevices` lists a virtual device for it (serial
    /// `arn:aws:iam::ACCOUNT:mfa/root-account-mfa-device`, or assigned to
    /// `arn:aws:iam::ACCOUNT:root`). A live check on account snapshots.
    ///
    /// ## Why it matters
    /// A virtual MFA device is an app on a phone or laptop: its secret lives on a general-purpose
    /// device that is backed up, synced, lost and replaced with the rest of someone's life. The
    /// root user cannot be restricted by any policy, so CIS asks (at Level 2) for a dedicated
    /// hardware token or security key kept under the organisation's control.
    ///
    /// ## Failing example
    /// ```json
    /// {
    ///   "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
    ///   "collector": "deadbolt 0.1.0",
    ///   "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
    ///   "regions": ["eu-west-1"],
    ///   "calls": [
    ///     {"service": "iam", "operation": "GetAccountSummary", "region": "us-east-1", "response": {"GetAccountSummaryResult": {"SummaryMap": {"entry": [{"key": "AccountMFAEnabled", "value": "1"}, {"key": "AccountAccessKeysPresent", "value": "0"}]}}}},
    ///     {"service": "iam", "operation": "ListVirtualMFADevices", "region": "us-east-1", "response": {"ListVirtualMFADevicesResult": {"VirtualMFADevices": {"member": [{"SerialNumber": "arn:aws:iam::123456789012:mfa/root-account-mfa-device", "User": {"Arn": "arn:aws:iam::123456789012:root"}}]}, "IsTruncated": "false"}}}
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
    ///     {"service": "iam", "operation": "GetAccountSummary", "region": "us-east-1", "response": {"GetAccountSummaryResult": {"SummaryMap": {"entry": [{"key": "AccountMFAEnabled", "value": "1"}, {"key": "AccountAccessKeysPresent", "value": "0"}]}}}},
    ///     {"service": "iam", "operation": "ListVirtualMFADevices", "region": "us-east-1", "response": {"ListVirtualMFADevicesResult": {"VirtualMFADevices": "", "IsTruncated": "false"}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Signed in as the root user, assign a FIDO security key or hardware TOTP token, then remove
    /// the virtual device. Store the token where the break-glass procedure says.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 1.6
    /// - NIST CSF 2.0 PR.AA-03; NIST SP 800-53 IA-2(1), IA-2(6)
    /// - AWS IAM User Guide, "Multi-factor authentication for AWS account root user"
    /// - Prowler `iam_root_hardware_mfa_enabled` (no Checkov or Trivy equivalent)
    pub(crate) struct RootHardwareMfa;
    id: "AWS-IAM-011",
    name: "iam-root-user-without-hardware-mfa",
    title: "The root user's MFA is not a hardware device",
    severity: Severity::Medium,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "iam",
    fix: "Give the root user a hardware MFA device (security key or hardware TOTP token) instead of a virtual one.",
    references: References {
        cis_aws_v3: &["1.6"],
        nist_csf_2: &["PR.AA-03"],
        nist_800_53: &["IA-2(1)", "IA-2(6)"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for RootHardwareMfa {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for root in model.all::<RootUser>() {
            match (root.mfa_enabled.known(), root.mfa_virtual.known()) {
                (Some(false), _) => checks.fail(
                    &root.meta,
                    &root.mfa_enabled.span,
                    "the root user has no MFA device at all, hardware or virtual",
                ),
                (_, Some(true)) => checks.fail(
                    &root.meta,
                    &root.mfa_virtual.span,
                    "the root user's MFA device is a virtual one (root-account-mfa-device)",
                ),
                (Some(true), Some(false)) => checks.pass(&root.meta),
                (None, _) => checks.not_evaluated_attr(&root.meta, &root.mfa_enabled),
                (_, None) => checks.not_evaluated_attr(&root.meta, &root.mfa_virtual),
            }
        }
    }
}
