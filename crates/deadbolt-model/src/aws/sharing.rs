//! Copies of data that an account can share with other accounts or with everyone: EBS snapshots,
//! AMIs, and RDS DB and cluster snapshots.
//!
//! Whether such a copy is shared is set on the copy after it is made, so only live state shows it:
//! these resources come from account snapshots only, one per copy the account owns.

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// What kind of copy a [`SharedCopy`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyKind {
    /// An EBS snapshot (`DescribeSnapshots` with owner self); public when
    /// `DescribeSnapshotAttribute` `createVolumePermission` grants the group `all`.
    EbsSnapshot,
    /// An AMI (`DescribeImages` with owner self); public when its `isPublic` is `true`.
    Ami,
    /// An RDS DB snapshot (`DescribeDBSnapshots`); public when `DescribeDBSnapshotAttributes`
    /// lists `all` among the values of the `restore` attribute.
    RdsSnapshot,
    /// An RDS/Aurora DB cluster snapshot (`DescribeDBClusterSnapshots`); public when
    /// `DescribeDBClusterSnapshotAttributes` lists `all` among the values of `restore`.
    RdsClusterSnapshot,
}

impl CopyKind {
    /// The kind's name for messages (`"EBS snapshot"`).
    pub fn name(self) -> &'static str {
        match self {
            CopyKind::EbsSnapshot => "EBS snapshot",
            CopyKind::Ami => "AMI",
            CopyKind::RdsSnapshot => "RDS DB snapshot",
            CopyKind::RdsClusterSnapshot => "RDS DB cluster snapshot",
        }
    }
}

/// A snapshot or image the account owns (address: its ARN).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SharedCopy {
    /// Common metadata; its one location is the region it is in.
    pub meta: ResourceMeta,
    /// What it is.
    pub kind: CopyKind,
    /// Its ID (`snap-0abc...`, `ami-0abc...`, the DB snapshot identifier).
    pub id: String,
    /// Anyone, in any AWS account, may copy or restore it. Unknown (with the reason naming the
    /// call) when the attribute call failed or was not collected.
    pub public: Attr<bool>,
    /// The AWS account IDs it is shared with besides its own (public sharing excluded), for
    /// messages and reports; empty when unknown or none.
    pub shared_with: Vec<String>,
}
