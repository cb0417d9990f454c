use deadbolt_model::aws::regional::ServiceKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};
use crate::rules::aws::regional::judge_every_region;

declare_rule! {
    /// ## What it checks
    /// A collected region where the account is not subscribed to AWS Security Hub: `DescribeHub`
    /// answers `InvalidAccessException`. A live check on account snapshots, one outcome per region
    /// the snapshot collected; a region whose call was denied (or not collected) is not
    /// evaluated.
    ///
    /// ## Why it matters
    /// Security Hub gathers the findings of GuardDuty, Inspector, Macie, IAM Access Analyzer and
    /// partner tools in one place and runs the AWS security standards against the account. Without
    /// it in a region, that region's findings are scattered across consoles nobody opens.
    ///
    /// ## Failing example
    /// ```json
    /// {
    ///   "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
    ///   "collector": "deadbolt 0.1.0",
    ///   "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
    ///   "regions": ["eu-west-1"],
    ///   "calls": [
    ///     {"service": "securityhub", "operation": "DescribeHub", "region": "eu-west-1", "error": {"code": "InvalidAccessException", "message": "Account 123456789012 is not subscribed to AWS Security Hub", "http_status": 401}}
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
    ///     {"service": "securityhub", "operation": "DescribeHub", "region": "eu-west-1", "response": {"HubArn": "arn:aws:securityhub:eu-west-1:123456789012:hub/default", "SubscribedAt": "2026-01-05T10:00:00.000Z"}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Enable Security Hub in every region (`aws securityhub enable-security-hub`), ideally through
    /// central configuration from the organisation's delegated administrator, with cross-region
    /// aggregation into one home region.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 4.16
    /// - NIST CSF 2.0 DE.AE-02, DE.CM-09; NIST SP 800-53 SI-4, CA-7
    /// - AWS Security Hub User Guide, "Enabling Security Hub"
    /// - Prowler `securityhub_enabled` (no Checkov or Trivy equivalent)
    pub(crate) struct SecurityHubNotEnabled;
    id: "AWS-SECURITYHUB-001",
    name: "securityhub-not-enabled-in-region",
    title: "Security Hub is not enabled in a region",
    severity: Severity::Medium,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "securityhub",
    fix: "Enable Security Hub in every region (central configuration from a delegated administrator).",
    references: References {
        cis_aws_v3: &["4.16"],
        nist_csf_2: &["DE.AE-02", "DE.CM-09"],
        nist_800_53: &["SI-4", "CA-7"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for SecurityHubNotEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_every_region(model, checks, ServiceKind::SecurityHub);
    }
}
