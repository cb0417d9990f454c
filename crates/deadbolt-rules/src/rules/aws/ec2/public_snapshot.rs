use deadbolt_model::aws::sharing::CopyKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};
use crate::rules::aws::shared_copies::judge_public;

declare_rule! {
    /// ## What it checks
    /// An EBS snapshot the account owns whose `createVolumePermission` grants the group `all`
    /// (`DescribeSnapshots` with owner self, then `DescribeSnapshotAttribute`): anyone can create a
    /// volume from it. A live check on account snapshots; a snapshot whose attribute call was
    /// denied is not evaluated.
    ///
    /// The CIS AWS Foundations Benchmark v3.0.0 has no recommendation on shared snapshots; this
    /// rule maps to NIST CSF 2.0 data protection and AWS's own guidance.
    ///
    /// ## Why it matters
    /// A snapshot is a full copy of a disk: databases, keys, configuration files, whatever was on
    /// it. Shared publicly it can be copied into any AWS account and mounted, and researchers find
    /// thousands of such snapshots, many holding secrets. Who a snapshot is shared with is entirely
    /// the customer's setting.
    ///
    /// ## Failing example
    /// ```json
    /// {
    ///   "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
    ///   "collector": "deadbolt 0.1.0",
    ///   "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
    ///   "regions": ["eu-west-1"],
    ///   "calls": [
    ///     {"service": "ec2", "operation": "DescribeSnapshots", "region": "eu-west-1", "params": {"OwnerIds": "self"}, "response": {"snapshotSet": {"item": [{"snapshotId": "snap-0a1b2c3d", "ownerId": "123456789012", "volumeId": "vol-0a1b2c3d", "encrypted": "false"}]}}},
    ///     {"service": "ec2", "operation": "DescribeSnapshotAttribute", "region": "eu-west-1", "params": {"SnapshotId": "snap-0a1b2c3d"}, "response": {"snapshotId": "snap-0a1b2c3d", "createVolumePermission": {"item": [{"group": "all"}]}}}
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
    ///     {"service": "ec2", "operation": "DescribeSnapshots", "region": "eu-west-1", "params": {"OwnerIds": "self"}, "response": {"snapshotSet": {"item": [{"snapshotId": "snap-0a1b2c3d", "ownerId": "123456789012", "volumeId": "vol-0a1b2c3d", "encrypted": "false"}]}}},
    ///     {"service": "ec2", "operation": "DescribeSnapshotAttribute", "region": "eu-west-1", "params": {"SnapshotId": "snap-0a1b2c3d"}, "response": {"snapshotId": "snap-0a1b2c3d", "createVolumePermission": {"item": [{"userId": "111122223333"}]}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Remove the public permission (`aws ec2 modify-snapshot-attribute --snapshot-id ID
    /// --attribute createVolumePermission --operation-type remove --group-names all`), share with
    /// named accounts instead, and turn on block public access for EBS snapshots in every region.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0: no corresponding recommendation
    /// - NIST CSF 2.0 PR.DS-01, PR.AA-05; NIST SP 800-53 AC-3, AC-21
    /// - Amazon EBS User Guide, "Share an Amazon EBS snapshot" and "Block public access for Amazon
    ///   EBS snapshots"
    /// - Prowler `ec2_ebs_public_snapshot` (no Checkov or Trivy equivalent)
    pub(crate) struct PublicEbsSnapshot;
    id: "AWS-EC2-016",
    name: "ec2-ebs-snapshot-public",
    title: "EBS snapshot is shared publicly",
    severity: Severity::Critical,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Remove the `all` group from the snapshot's createVolumePermission; share with named accounts only.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01", "PR.AA-05"],
        nist_800_53: &["AC-3", "AC-21"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for PublicEbsSnapshot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_public(model, checks, &[CopyKind::EbsSnapshot]);
    }
}
