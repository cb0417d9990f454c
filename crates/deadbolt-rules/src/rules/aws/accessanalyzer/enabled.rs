use deadbolt_model::aws::regional::ServiceKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};
use crate::rules::aws::regional::judge_every_region;

declare_rule! {
    /// ## What it checks
    /// A collected region with no active IAM Access Analyzer: `ListAnalyzers` lists no analyzer
    /// whose status is `ACTIVE`. A live check on account snapshots, one outcome per region the
    /// snapshot collected; a region whose call was denied is not evaluated.
    ///
    /// ## Why it matters
    /// Access Analyzer reads resource policies (S3 buckets, KMS keys, IAM role trust policies,
    /// Lambda functions, queues, secrets, snapshots) and reports those that let in another account
    /// or the public. It analyses only the region it runs in, so a region without one is a region
    /// where an accidental public share goes unreported.
    ///
    /// ## Failing example
    /// ```json
    /// {
    ///   "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
    ///   "collector": "deadbolt 0.1.0",
    ///   "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
    ///   "regions": ["eu-west-1"],
    ///   "calls": [
    ///     {"service": "accessanalyzer", "operation": "ListAnalyzers", "region": "eu-west-1", "response": {"analyzers": []}}
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
    ///     {"service": "accessanalyzer", "operation": "ListAnalyzers", "region": "eu-west-1", "response": {"analyzers": [{"arn": "arn:aws:access-analyzer:eu-west-1:123456789012:analyzer/account", "name": "account", "type": "ACCOUNT", "status": "ACTIVE"}]}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Create an analyzer in every region (`aws accessanalyzer create-analyzer --type ACCOUNT`, or
    /// `ORGANIZATION` from the delegated administrator) and review its findings.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 1.20
    /// - NIST CSF 2.0 PR.AA-05, ID.RA-01; NIST SP 800-53 AC-6, CA-7
    /// - AWS IAM User Guide, "Getting started with IAM Access Analyzer"
    /// - Prowler `accessanalyzer_enabled` (no Checkov or Trivy equivalent)
    pub(crate) struct AccessAnalyzerNotEnabled;
    id: "AWS-ACCESSANALYZER-001",
    name: "access-analyzer-not-enabled-in-region",
    title: "IAM Access Analyzer is not enabled in a region",
    severity: Severity::Low,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "accessanalyzer",
    fix: "Create an IAM Access Analyzer (account or organisation zone of trust) in every region.",
    references: References {
        cis_aws_v3: &["1.20"],
        nist_csf_2: &["PR.AA-05", "ID.RA-01"],
        nist_800_53: &["AC-6", "CA-7"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for AccessAnalyzerNotEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_every_region(model, checks, ServiceKind::AccessAnalyzer);
    }
}
