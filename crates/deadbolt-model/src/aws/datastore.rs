//! Data stores whose customer-side checks are encryption and exposure: SNS topics, SQS queues,
//! OpenSearch/Elasticsearch domains, Neptune, Redshift, EFS, ElastiCache, DocumentDB.

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// Which service a [`DataStore`] belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    /// SNS topic.
    SnsTopic,
    /// SQS queue.
    SqsQueue,
    /// OpenSearch or Elasticsearch domain.
    OpenSearchDomain,
    /// Neptune cluster.
    NeptuneCluster,
    /// Redshift cluster.
    RedshiftCluster,
    /// EFS file system.
    EfsFileSystem,
    /// ElastiCache replication group.
    ElastiCacheReplicationGroup,
    /// DocumentDB cluster.
    DocDbCluster,
}

impl StoreKind {
    /// The service's name as AWS writes it (`"Amazon SQS queue"`).
    pub fn title(self) -> &'static str {
        match self {
            StoreKind::SnsTopic => "SNS topic",
            StoreKind::SqsQueue => "SQS queue",
            StoreKind::OpenSearchDomain => "OpenSearch domain",
            StoreKind::NeptuneCluster => "Neptune cluster",
            StoreKind::RedshiftCluster => "Redshift cluster",
            StoreKind::EfsFileSystem => "EFS file system",
            StoreKind::ElastiCacheReplicationGroup => "ElastiCache replication group",
            StoreKind::DocDbCluster => "DocumentDB cluster",
        }
    }
}

/// A data store and its encryption/exposure settings. Fields that do not apply to a kind are
/// `None`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataStore {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// The service.
    pub kind: StoreKind,
    /// Encrypted at rest. SQS counts SSE-SQS, which AWS applies to new queues by default since
    /// October 2022 unless it is turned off; SNS needs a KMS key.
    pub encrypted_at_rest: Attr<bool>,
    /// Encrypted in transit between nodes or clients (OpenSearch node-to-node, ElastiCache
    /// transit encryption).
    pub encrypted_in_transit: Option<Attr<bool>>,
    /// HTTPS enforced on the endpoint (OpenSearch).
    pub https_enforced: Option<Attr<bool>>,
    /// Given a public endpoint (Redshift `PubliclyAccessible`). Whether it is reachable still
    /// depends on the subnet's route and the security groups.
    pub publicly_accessible: Option<Attr<bool>>,
}
