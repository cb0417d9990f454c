use deadbolt_model::aws::sharing::CopyKind;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};
use crate::rules::aws::shared_copies::judge_public;

declare_rule! {
    /// ## What it checks
    /// A manual RDS DB snapshot or DB cluster snapshot whose `restore` attribute lists `all`
    /// (`DescribeDBSnapshotAttributes`, `DescribeDBClusterSnapshotAttributes`): any AWS account can
    /// restore a database from it. Automated snapshots cannot be shared and are not judged. A live
    /// check on account snapshots; a snapshot whose attribute call was denied is not evaluated.
    ///
    /// The CIS AWS Foundations Benchmark v3.0.0 has no recommendation on shared snapshots (its
    /// 2.3.3 is about instances, not snapshots); this rule maps to NIST CSF 2.0 data protection
    /// and AWS's own guidance.
    ///
    /// ## Why it matters
    /// A database snapshot is the whole database: every table, every customer record, every
    /// password hash. A public one can be restored by anyone into their own account, where none of
    /// the customer's network controls or credentials apply.
    ///
    /// ## Failing example
    /// ```json
    /// {
    ///   "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
    ///   "collector": "deadbolt 0.1.0",
    ///   "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
    ///   "regions": ["eu-west-1"],
    ///   "calls": [
    ///     {"service": "rds", "operation": "DescribeDBSnapshots", "region": "eu-west-1", "response": {"DescribeDBSnapshotsResult": {"DBSnapshots": {"DBSnapshot": {"DBSnapshotIdentifier": "orders-before-migration", "DBSnapshotArn": "arn:aws:rds:eu-west-1:123456789012:snapshot:orders-before-migration", "SnapshotType": "manual"}}}}},
    ///     {"service": "rds", "operation": "DescribeDBSnapshotAttributes", "region": "eu-west-1", "params": {"DBSnapshotIdentifier": "orders-before-migration"}, "response": {"DescribeDBSnapshotAttributesResult": {"DBSnapshotAttributesResult": {"DBSnapshotIdentifier": "orders-before-migration", "DBSnapshotAttributes": {"DBSnapshotAttribute": {"AttributeName": "restore", "AttributeValues": {"AttributeValue": "all"}}}}}}}
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
    ///     {"service": "rds", "operation": "DescribeDBSnapshots", "region": "eu-west-1", "response": {"DescribeDBSnapshotsResult": {"DBSnapshots": {"DBSnapshot": {"DBSnapshotIdentifier": "orders-before-migration", "DBSnapshotArn": "arn:aws:rds:eu-west-1:123456789012:snapshot:orders-before-migration", "SnapshotType": "manual"}}}}},
    ///     {"service": "rds", "operation": "DescribeDBSnapshotAttributes", "region": "eu-west-1", "params": {"DBSnapshotIdentifier": "orders-before-migration"}, "response": {"DescribeDBSnapshotAttributesResult": {"DBSnapshotAttributesResult": {"DBSnapshotIdentifier": "orders-before-migration", "DBSnapshotAttributes": {"DBSnapshotAttribute": {"AttributeName": "restore", "AttributeValues": {"AttributeValue": "111122223333"}}}}}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Remove `all` from the snapshot's `restore` attribute (`aws rds
    /// modify-db-snapshot-attribute --db-snapshot-identifier ID --attribute-name restore
    /// --values-to-remove all`, or `modify-db-cluster-snapshot-attribute`) and share with named
    /// accounts only; encrypted snapshots cannot be made public at all.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0: no corresponding recommendation
    /// - NIST CSF 2.0 PR.DS-01, PR.AA-05; NIST SP 800-53 AC-3, AC-21
    /// - Amazon RDS User Guide, "Sharing a DB snapshot for Amazon RDS"
    /// - Prowler `rds_snapshots_public_access` (no Checkov or Trivy equivalent)
    pub(crate) struct PublicRdsSnapshot;
    id: "AWS-RDS-008",
    name: "rds-snapshot-public",
    title: "RDS snapshot is shared publicly",
    severity: Severity::Critical,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "rds",
    fix: "Remove `all` from the snapshot's `restore` attribute; share with named accounts only.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-01", "PR.AA-05"],
        nist_800_53: &["AC-3", "AC-21"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for PublicRdsSnapshot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_public(
            model,
            checks,
            &[CopyKind::RdsSnapshot, CopyKind::RdsClusterSnapshot],
        );
    }
}
