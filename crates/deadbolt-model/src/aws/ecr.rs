//! Amazon Elastic Container Registry.

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// An ECR repository.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Repository {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// The repository name.
    pub name: Attr<String>,
    /// `MUTABLE` (default) or `IMMUTABLE`.
    pub tag_mutability: Attr<String>,
    /// Images are scanned when pushed (default `false`): the repository's own setting, or a
    /// registry-level scanning rule whose filter matches the repository.
    pub scan_on_push: Attr<bool>,
    /// `AES256` (default) or `KMS`.
    pub encryption_type: Attr<String>,
}
