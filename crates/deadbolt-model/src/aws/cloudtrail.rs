//! AWS CloudTrail.

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// A CloudTrail trail.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trail {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// Records events from every region (default `false`).
    pub multi_region: Attr<bool>,
    /// Log file integrity validation (default `false`).
    pub log_file_validation: Attr<bool>,
    /// The KMS key encrypting log files; `None` inside when SSE-S3 only. When the ARN is only known
    /// once deployed, the resource it comes from (its Terraform address or CloudFormation logical
    /// ID).
    pub kms_key: Attr<Option<String>>,
    /// The CloudWatch Logs log group ARN delivery goes to; `None` inside when none. When the ARN is
    /// only known once deployed, the resource it comes from.
    pub cloudwatch_logs_group: Attr<Option<String>>,
    /// Logging switched on (default `true`).
    pub logging: Attr<bool>,
}
