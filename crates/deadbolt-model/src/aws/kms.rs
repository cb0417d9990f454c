//! AWS Key Management Service.

use serde::Serialize;

use crate::attr::Attr;
use crate::aws::iam::PolicyDocument;
use crate::resource::ResourceMeta;

/// A customer managed KMS key.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Key {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// Automatic yearly rotation (default `false`).
    pub rotation_enabled: Attr<bool>,
    /// `SYMMETRIC_DEFAULT` (default) or an asymmetric/HMAC spec; only symmetric keys rotate.
    pub key_spec: Attr<String>,
    /// The key policy; known `None` when the default key policy applies.
    pub policy: Attr<Option<PolicyDocument>>,
}
