//! AWS Config.

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// A configuration recorder.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Recorder {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// Records all supported resource types (default `true` when no recording group is given).
    pub all_supported: Attr<bool>,
    /// Includes global resource types such as IAM (default `false`).
    pub include_global_resource_types: Attr<bool>,
}
