//! AWS Config: `AWS::Config::ConfigurationRecorder`.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::config::Recorder;
use deadbolt_model::{Attr, Model};

use super::Res;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    if r.kind != "AWS::Config::ConfigurationRecorder" {
        return false;
    }
    let p = &r.props;
    // Without a recording group AWS Config records every supported regional resource type and no
    // global ones. Within one, an omitted `AllSupported` is not sent, which the API reads as
    // `false` (the Terraform provider sends `true` instead).
    let (all_supported, include_global_resource_types) = if p.has("RecordingGroup") {
        let group = p.nested("RecordingGroup");
        (
            group.bool("AllSupported", false),
            group.bool("IncludeGlobalResourceTypes", false),
        )
    } else {
        (
            Attr::default(true, p.span()),
            Attr::default(false, p.span()),
        )
    };
    model.push(Recorder {
        meta: r.meta.clone(),
        all_supported,
        include_global_resource_types,
    });
    true
}
