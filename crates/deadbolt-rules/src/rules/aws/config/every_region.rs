use deadbolt_model::aws::regional::ServiceKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};
use crate::rules::aws::regional::judge_every_region;

declare_rule! {
    /// ## What it checks
    /// A collected region where AWS Config is not recording all supported resource types: it has
    /// no configuration recorder (`DescribeConfigurationRecorders`), its recorder is not recording
    /// (`DescribeConfigurationRecorderStatus` `recording` false), or the recorder records only
    /// some resource types. A live check on account snapshots, one outcome per region the snapshot
    /// collected; a region whose calls were denied is not evaluated.
    ///
    /// Templates can declare a recorder (judged by AWS-CONFIG-001) but not show which regions of
    /// the account have one, or whether it was ever started.
    ///
    /// ## Why it matters
    /// AWS Config is the account's inventory and configuration history. A region without it is a
    /// region where a resource can be created, reconfigured and deleted with no record of what it
    /// looked like: attackers favour the regions nobody uses, precisely because nobody records
    /// them.
    ///
    /// ## Failing example
    /// ```json
    /// {
    ///   "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
    ///   "collector": "deadbolt 0.1.0",
    ///   "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
    ///   "regions": ["eu-west-1"],
    ///   "calls": [
    ///     {"service": "config", "operation": "DescribeConfigurationRecorders", "region": "eu-west-1", "response": {"ConfigurationRecorders": [{"name": "default", "roleARN": "arn:aws:iam::123456789012:role/config", "recordingGroup": {"allSupported": true, "includeGlobalResourceTypes": true}}]}},
    ///     {"service": "config", "operation": "DescribeConfigurationRecorderStatus", "region": "eu-west-1", "response": {"ConfigurationRecordersStatus": [{"name": "default", "recording": false, "lastStatus": "PENDING"}]}}
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
    ///     {"service": "config", "operation": "DescribeConfigurationRecorders", "region": "eu-west-1", "response": {"ConfigurationRecorders": [{"name": "default", "roleARN": "arn:aws:iam::123456789012:role/config", "recordingGroup": {"allSupported": true, "includeGlobalResourceTypes": true}}]}},
    ///     {"service": "config", "operation": "DescribeConfigurationRecorderStatus", "region": "eu-west-1", "response": {"ConfigurationRecordersStatus": [{"name": "default", "recording": true, "lastStatus": "SUCCESS"}]}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## Fix
    /// In every region, create a configuration recorder that records all supported resource types
    /// (global ones in one region), give it a delivery channel, and start it
    /// (`aws configservice start-configuration-recorder`); or enable AWS Config across the
    /// organisation with CloudFormation StackSets or AWS Control Tower.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 3.3
    /// - NIST CSF 2.0 ID.AM-02, DE.CM-09; NIST SP 800-53 CM-8, CA-7
    /// - AWS Config Developer Guide, "Managing the configuration recorder"
    /// - Prowler `config_recorder_all_regions_enabled` (no Checkov or Trivy equivalent for live
    ///   state)
    pub(crate) struct ConfigNotInEveryRegion;
    id: "AWS-CONFIG-002",
    name: "config-not-recording-in-region",
    title: "AWS Config is not recording all resource types in a region",
    severity: Severity::Medium,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "config",
    fix: "Create and start a configuration recorder that records all supported resource types in every region.",
    references: References {
        cis_aws_v3: &["3.3"],
        nist_csf_2: &["ID.AM-02", "DE.CM-09"],
        nist_800_53: &["CM-8", "CA-7"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for ConfigNotInEveryRegion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_every_region(model, checks, ServiceKind::Config);
    }
}
