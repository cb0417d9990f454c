//! KMS customer managed keys.
//!
//! Reads `kms:ListKeys` of every region and, per key (parameter `KeyId`), `DescribeKey` (which
//! keys are customer managed: AWS managed keys are not [`Key`]s; `KeySpec`), and for customer
//! managed keys `GetKeyRotationStatus` (`KeyRotationEnabled`) and `GetKeyPolicy` (the key
//! policy). A key whose `DescribeKey` failed may be customer managed, so it is kept with unknown
//! attributes; keys pending deletion are skipped.

use deadbolt_model::aws::kms::Key;
use deadbolt_model::{Attr, Unknown};
use serde_json::Value;

use super::resource::{regional, required};
use super::{Context, Lookup, attr, lookup, span_of};
use crate::json::{boolean, list, path, text};

/// Reads every region's keys.
pub(super) fn normalise(cx: &mut Context<'_>) {
    for call in cx.calls.all("kms", "ListKeys") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        for key in list(response.get("Keys")) {
            let Some(id) = required(cx, call, key, "KeyId") else {
                continue;
            };
            let span = span_of(call);
            let get =
                |operation: &str| lookup(cx.calls, "kms", operation, &[("KeyId", &id)], &[], &span);
            let described = get("DescribeKey");
            let metadata = match &described {
                Lookup::Found(_, response) => response.get("KeyMetadata"),
                _ => None,
            };
            if let (Lookup::Found(described_by, _), None) = (&described, metadata) {
                cx.malformed(described_by, "no KeyMetadata");
            }
            if let Some(metadata) = metadata {
                let manager = text(metadata.get("KeyManager"));
                let state = text(metadata.get("KeyState"));
                if manager.as_deref() != Some("CUSTOMER")
                    || state.as_deref() == Some("PendingDeletion")
                {
                    continue;
                }
            }
            let arn = text(key.get("KeyArn"))
                .or_else(|| metadata.and_then(|m| text(m.get("Arn"))))
                .unwrap_or_else(|| cx.arn("kms", &call.region, &format!("key/{id}")));
            let key_spec = match (&described, metadata) {
                (Lookup::Found(by, _), Some(metadata)) => {
                    let spec = text(metadata.get("KeySpec"))
                        .or_else(|| text(metadata.get("CustomerMasterKeySpec")));
                    match spec {
                        Some(spec) => Attr::set(spec, span_of(by)),
                        None => Attr::default("SYMMETRIC_DEFAULT".to_string(), span_of(by)),
                    }
                }
                (Lookup::Unknown(reason, at), _) => Attr::unknown(reason.clone(), at.clone()),
                (other, _) => Attr::unknown(
                    Unknown::new("kms:DescribeKey gave no KeyMetadata"),
                    match other {
                        Lookup::Found(by, _) | Lookup::None(by) => span_of(by),
                        Lookup::Unknown(_, at) => at.clone(),
                    },
                ),
            };
            let rotation = get("GetKeyRotationStatus");
            let rotation_enabled = attr(&rotation, false, false, |r| {
                boolean(r.get("KeyRotationEnabled"))
            });
            let policy = match get("GetKeyPolicy") {
                Lookup::Found(by, response) => match policy_text(response)
                    .map(|t| deadbolt_model::aws::iam::PolicyDocument::from_json_str(&t))
                {
                    Some(Ok(document)) => Attr::set(Some(document), span_of(by)),
                    Some(Err(error)) => {
                        cx.malformed(by, &format!("the key policy does not parse: {error}"));
                        Attr::unknown(
                            Unknown::new(format!(
                                "the key policy kms:GetKeyPolicy returned does not parse: {error}"
                            )),
                            span_of(by),
                        )
                    }
                    None => {
                        cx.malformed(by, "no Policy");
                        Attr::unknown(Unknown::new("kms:GetKeyPolicy gave no Policy"), span_of(by))
                    }
                },
                other => attr(&other, None, None, |_| None),
            };
            cx.model.push(Key {
                meta: regional(arn, "AWS::KMS::Key", call),
                rotation_enabled,
                key_spec,
                policy,
            });
        }
    }
}

/// The `Policy` member: JSON text (as KMS sends it) or, leniently, the document itself.
fn policy_text(response: &Value) -> Option<String> {
    match path(response, &["Policy"])? {
        Value::String(s) => Some(s.clone()),
        document @ Value::Object(_) => Some(document.to_string()),
        _ => None,
    }
}
