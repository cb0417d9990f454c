//! KMS: `AWS::KMS::Key`, whose key policy is a property (CloudFormation has no separate key
//! policy resource).

use deadbolt_model::Model;
use deadbolt_model::Settings as _;
use deadbolt_model::aws::kms::Key;

use super::Res;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    if r.kind != "AWS::KMS::Key" {
        return false;
    }
    let p = &r.props;
    model.push(Key {
        meta: r.meta.clone(),
        rotation_enabled: p.bool("EnableKeyRotation", false),
        key_spec: p.string("KeySpec", "SYMMETRIC_DEFAULT"),
        // Absent, KMS attaches the default key policy (the account's root principal only).
        policy: p.policy("KeyPolicy"),
    });
    true
}
