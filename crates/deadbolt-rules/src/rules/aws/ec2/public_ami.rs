use deadbolt_model::aws::sharing::CopyKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};
use crate::rules::aws::shared_copies::judge_public;

declare_rule! {
    /// ## What it checks
    /// An AMI the account owns whose `isPublic` is `true` (`DescribeImages` with owner self):
    /// anyone can launch it. A live check on account snapshots.
    ///
    /// The CIS AWS Foundations Benchmark v3.0.0 has no recommendation on shared images; this rule
    /// maps to NIST CSF 2.0 data protection and AWS's own guidance.
    ///
    /// ## Why it matters
    /// An image carries everything baked into it: application code, configuration, credentials
    /// left in a home directory or an environment file. A public AMI hands all of it to anyone who
    /// launches an instance from it. Publishing an image is a deliberate act only for vendors who
    /// mean to.
    ///
    /// ## Failing example
    /// ```json
    /// {
    ///   "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
    ///   "collector": "deadbolt 0.1.0",
    ///   "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
    ///   "regions": ["eu-west-1"],
    ///   "calls": [
    ///     {"service": "ec2", "operation": "DescribeImages", "region": "eu-west-1", "params": {"Owners": "self"}, "response": {"imagesSet": {"item": [{"imageId": "ami-0a1b2c3d", "imageOwnerId": "123456789012", "name": "web-base", "isPublic": "true"}]}}}
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
    ///     {"service": "ec2", "operation": "DescribeImages", "region": "eu-west-1", "params": {"Owners": "self"}, "response": {"imagesSet": {"item": [{"imageId": "ami-0a1b2c3d", "imageOwnerId": "123456789012", "name": "web-base", "isPublic": "false"}]}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Make the image private (`aws ec2 modify-image-attribute --image-id ID --launch-permission
    /// "Remove=[{Group=all}]"`), share it with named accounts or organisational units instead, and
    /// turn on block public access for AMIs in every region.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0: no corresponding recommendation
    /// - NIST CSF 2.0 PR.DS-01, PR.AA-05; NIST SP 800-53 AC-3, AC-21
    /// - Amazon EC2 User Guide, "Understand shared AMI usage" and "Block public access to your
    ///   AMIs"
    /// - Prowler `ec2_ami_public` (no Checkov or Trivy equivalent)
    pub(crate) struct PublicAmi;
    id: "AWS-EC2-017",
    name: "ec2-ami-public",
    title: "AMI is shared publicly",
    severity: Severity::High,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Make the AMI private and share it with named accounts only; block public access for AMIs.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01", "PR.AA-05"],
        nist_800_53: &["AC-3", "AC-21"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for PublicAmi {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_public(model, checks, &[CopyKind::Ami]);
    }
}
