use deadbolt_model::aws::regional::ServiceKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};
use crate::rules::aws::regional::judge_every_region;

declare_rule! {
    /// ## What it checks
    /// A collected region where Amazon GuardDuty is not on: `ListDetectors` lists no detector, or
    /// no detector's `GetDetector` status is `ENABLED` (a suspended detector analyses nothing). A
    /// live check on account snapshots, one outcome per region the snapshot collected; a region
    /// whose calls were denied is not evaluated.
    ///
    /// The CIS AWS Foundations Benchmark v3.0.0 has no GuardDuty recommendation; this rule maps to
    /// NIST CSF 2.0 continuous monitoring and follows AWS's guidance to enable GuardDuty in every
    /// supported region.
    ///
    /// ## Why it matters
    /// GuardDuty reads CloudTrail, VPC flow and DNS logs for signs of compromise: credentials used
    /// from unusual places, instances talking to known command-and-control hosts, crypto mining.
    /// Threats arrive in the regions nobody watches, and a region without a detector raises no
    /// alarm at all. Turning detection on is the customer's job.
    ///
    /// ## Failing example
    /// ```json
    /// {
    ///   "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
    ///   "collector": "deadbolt 0.1.0",
    ///   "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
    ///   "regions": ["eu-west-1"],
    ///   "calls": [
    ///     {"service": "guardduty", "operation": "ListDetectors", "region": "eu-west-1", "response": {"detectorIds": []}}
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
    ///     {"service": "guardduty", "operation": "ListDetectors", "region": "eu-west-1", "response": {"detectorIds": ["12abc34d567e8fa901bc2d34e56789f0"]}},
    ///     {"service": "guardduty", "operation": "GetDetector", "region": "eu-west-1", "params": {"DetectorId": "12abc34d567e8fa901bc2d34e56789f0"}, "response": {"status": "ENABLED"}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Enable GuardDuty in every region (`aws guardduty create-detector --enable`, or resume a
    /// suspended detector with `update-detector --enable`); in an organisation, use a delegated
    /// administrator with auto-enable for every member account and region.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0: no corresponding recommendation
    /// - NIST CSF 2.0 DE.CM-01, DE.CM-09; NIST SP 800-53 SI-4
    /// - Amazon GuardDuty User Guide, "Getting started with GuardDuty" (enable it in all supported
    ///   regions)
    /// - Prowler `guardduty_is_enabled` (no Checkov or Trivy equivalent)
    pub(crate) struct GuardDutyNotEnabled;
    id: "AWS-GUARDDUTY-001",
    name: "guardduty-not-enabled-in-region",
    title: "GuardDuty is not enabled in a region",
    severity: Severity::Medium,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "guardduty",
    fix: "Enable a GuardDuty detector in every region (organisation-wide through a delegated administrator).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["DE.CM-01", "DE.CM-09"],
        nist_800_53: &["SI-4"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for GuardDutyNotEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_every_region(model, checks, ServiceKind::GuardDuty);
    }
}
