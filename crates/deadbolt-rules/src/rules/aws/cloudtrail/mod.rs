//! AWS CloudTrail rules.

use crate::rule::Rule;

mod log_validation_disabled;
mod logging_disabled;
mod no_cloudwatch_logs;
mod not_kms_encrypted;
mod not_multi_region;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &not_multi_region::TrailNotMultiRegion,
    &log_validation_disabled::TrailLogValidationDisabled,
    &not_kms_encrypted::TrailNotKmsEncrypted,
    &no_cloudwatch_logs::TrailNoCloudWatchLogs,
    &logging_disabled::TrailLoggingDisabled,
];
