//! KMS: `aws_kms_key`, with the key policy that `aws_kms_key_policy` may set separately.

use deadbolt_model::Attr;
use deadbolt_model::Settings as _;
use deadbolt_model::aws::kms::Key;

use crate::evaluated::EvaluatedResource;
use crate::mapping::{Joined, MapContext, meta};

/// Maps `aws_kms_key`.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    if res.resource_type != "aws_kms_key" {
        return false;
    }
    let body = &res.body;
    cx.model.push(Key {
        meta: meta(res),
        rotation_enabled: body.bool("enable_key_rotation", false),
        key_spec: body.string("customer_master_key_spec", "SYMMETRIC_DEFAULT"),
        policy: super::policy::policy_attr(body, "policy"),
    });
    true
}

/// Joins `aws_kms_key_policy` into its key. Key IDs are generated, so only a reference joins.
pub(super) fn map_split(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    if res.resource_type != "aws_kms_key_policy" {
        return false;
    }
    let body = &res.body;
    let policy = super::policy::policy_attr(body, "policy");
    let joined = cx.join::<Key, _>(
        body.attr("key_id"),
        |_| None,
        |k| &k.meta,
        |k| {
            k.policy = policy.clone();
        },
    );
    if let Joined::Unresolved(reason) = joined {
        cx.unresolved.push(("aws_kms_key_policy", reason));
    }
    cx.model
        .push(deadbolt_model::OtherResource { meta: meta(res) });
    true
}

/// A key policy resource whose key could not be found may belong to any key without an inline
/// policy: those keys' policies become unknown.
pub(super) fn finish(cx: &mut MapContext) {
    let Some(reason) = cx.unresolved_reason("aws_kms_key_policy", "key") else {
        return;
    };
    for key in cx.model.all_mut::<Key>() {
        if !key.policy.explicit {
            key.policy = Attr::unknown(reason.clone(), key.meta.span.clone());
        }
    }
}
