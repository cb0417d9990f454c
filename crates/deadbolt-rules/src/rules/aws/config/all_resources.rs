use deadbolt_model::aws::config::Recorder;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An AWS Config configuration recorder whose recording group does not record all supported
    /// resource types: `all_supported = false`, whether it lists resource types to include or
    /// to exclude. A recorder with no recording group records everything and passes.
    ///
    /// Global resource types (IAM users, roles, policies) need to be recorded in one region only,
    /// and a single recorder cannot show whether another region records them, so
    /// `include_global_resource_types` is not judged here.
    ///
    /// ## Why it matters
    /// AWS Config is the account's inventory and change history: what existed, how it was
    /// configured, and when that changed. Resource types that are not recorded leave gaps that
    /// incident responders and auditors find only when they need the history. Which resources are
    /// recorded is the customer's setting.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_config_configuration_recorder" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.config.arn
    ///   recording_group {
    ///     all_supported  = false
    ///     resource_types = ["AWS::EC2::Instance", "AWS::S3::Bucket"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_config_configuration_recorder" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.config.arn
    ///   recording_group {
    ///     all_supported                 = true
    ///     include_global_resource_types = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set `all_supported = true` in the recording group (and include global resource types in one
    /// region), and make sure the recorder is turned on with a recorder status.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 3.3
    /// - NIST CSF 2.0 ID.AM-02; NIST SP 800-53 CM-8, CA-7
    /// - AWS Config Developer Guide, "Recording AWS resources"
    pub(crate) struct RecorderNotAllResources;
    id: "AWS-CONFIG-001",
    name: "config-recorder-not-all-resources",
    title: "AWS Config recorder does not record all resource types",
    severity: Severity::Medium,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas, ServiceModel::Faas],
    provider: Provider::Aws,
    service: "config",
    fix: "Record all supported resource types (`AllSupported` in the recorder's recording group).",
    references: References {
        cis_aws_v3: &["3.3"],
        nist_csf_2: &["ID.AM-02"],
        nist_800_53: &["CM-8", "CA-7"],
    },
    equivalents: Equivalents { checkov: &["CKV2_AWS_45", "CKV2_AWS_48"], trivy: &[] },
}

impl Rule for RecorderNotAllResources {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for recorder in model.all::<Recorder>() {
            checks.require(
                &recorder.meta,
                &recorder.all_supported,
                |all| *all,
                |_| "the recording group does not record all supported resource types".to_string(),
            );
        }
    }
}
