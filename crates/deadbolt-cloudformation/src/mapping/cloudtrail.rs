//! CloudTrail: `AWS::CloudTrail::Trail`.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::cloudtrail::Trail;
use deadbolt_model::{Attr, Model, Unknown};

use super::Res;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    if r.kind != "AWS::CloudTrail::Trail" {
        return false;
    }
    let p = &r.props;
    // CloudFormation requires `IsLogging` (there is no default to assume).
    let logging = if p.has("IsLogging") {
        p.bool("IsLogging", true)
    } else {
        Attr::unknown(
            Unknown::new("`IsLogging` is required and not set"),
            p.span(),
        )
    };
    model.push(Trail {
        meta: r.meta.clone(),
        multi_region: p.bool("IsMultiRegionTrail", false),
        log_file_validation: p.bool("EnableLogFileValidation", false),
        kms_key: p.reference("KMSKeyId"),
        cloudwatch_logs_group: p.reference("CloudWatchLogsLogGroupArn"),
        logging,
    });
    true
}
