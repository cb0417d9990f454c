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
    /// The KMS key named for server-side encryption: its ARN, ID or alias, or, when the value is
    /// only known once deployed, the resource it comes from (its Terraform address or
    /// CloudFormation logical ID). `None` inside when no key is named, so the AWS managed key
    /// `aws/dynamodb` is used if KMS encryption is on.
    pub kms_key: Attr<Option<String>>,
}
