//! Amazon DynamoDB.

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// A DynamoDB table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// Point-in-time recovery (default `false`).
    pub point_in_time_recovery: Attr<bool>,
    /// Server-side encryption with a KMS key (customer or AWS managed) rather than the AWS owned
    /// key (default `false`).
    pub kms_encryption: Attr<bool>,
}
