//! Amazon Elastic Container Registry.

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// An ECR repository.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Repository {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// `MUTABLE` (default) or `IMMUTABLE`.
    pub tag_mutability: Attr<String>,
    /// Basic scanning on push (default `false`).
    pub scan_on_push: Attr<bool>,
    /// `AES256` (default) or `KMS`.
    pub encryption_type: Attr<String>,
}
