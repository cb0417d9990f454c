use deadbolt_model::aws::ec2::Vpc;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A VPC (`aws_vpc` or `aws_default_vpc`) that no flow log in the scanned code captures
    /// (`aws_flow_log` with `vpc_id` pointing at it). Flow logs on single subnets or network
    /// interfaces do not count. When a flow log's VPC cannot be resolved, VPCs without one of their
    /// own are not evaluated.
    ///
    /// ## Why it matters
    /// Flow logs are the only record of which addresses talked to which over the network. Without
    /// them, an investigation cannot tell whether a compromised instance reached a database or
    /// exfiltrated data, and anomaly detection (GuardDuty aside) has nothing to work on.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_vpc" "main" {
    ///   cidr_block = "10.0.0.0/16"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "flow_logs" {
    ///   bucket = "flow-logs-example"
    /// }
    ///
    /// resource "aws_vpc" "main" {
    ///   cidr_block = "10.0.0.0/16"
    /// }
    ///
    /// resource "aws_flow_log" "main" {
    ///   vpc_id          = aws_vpc.main.id
    ///   traffic_type    = "ALL"
    ///   log_destination = aws_s3_bucket.flow_logs.arn
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add an `aws_flow_log` for the VPC capturing at least rejected traffic (`ALL` is better), sent
    /// to CloudWatch Logs or S3.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 3.7
    /// - NIST CSF 2.0 DE.CM-01, PR.PS-04; NIST SP 800-53 AU-12, SI-4
    /// - Amazon VPC User Guide, "Logging IP traffic using VPC Flow Logs"
    pub(crate) struct VpcNoFlowLogs;
    id: "AWS-VPC-003",
    name: "vpc-flow-logs-disabled",
    title: "VPC has no flow logs",
    severity: Severity::Medium,
    layer: Layer::LoggingMonitoring,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "vpc",
    fix: "Create a flow log for the VPC (`CreateFlowLogs` with the VPC as resource), delivering to CloudWatch Logs or S3.",
    references: References {
        cis_aws_v3: &["3.7"],
        nist_csf_2: &["DE.CM-01", "PR.PS-04"],
        nist_800_53: &["AU-12", "SI-4"],
    },
    equivalents: Equivalents { checkov: &["CKV2_AWS_11"], trivy: &["AVD-AWS-0178"] },
}

impl Rule for VpcNoFlowLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for vpc in model.all::<Vpc>() {
            checks.require(
                &vpc.meta,
                &vpc.flow_logs,
                |f| *f,
                |_| "no flow log captures this VPC's traffic".to_string(),
            );
        }
    }
}
