//! SNS topics, as [`DataStore`]s of kind [`StoreKind::SnsTopic`] (XML bodies, so every leaf is
//! text and the attribute map is a list of `{"key", "value"}` entries).
//!
//! Reads every page of `sns:ListTopics` of every region and, per topic (parameter `TopicArn`),
//! `GetTopicAttributes`: `KmsMasterKeyId` set gives `encrypted_at_rest` (SNS encrypts only with
//! a KMS key). When `GetTopicAttributes` failed, the encryption is unknown.

use deadbolt_model::Attr;
use deadbolt_model::aws::datastore::{DataStore, StoreKind};
use serde_json::Value;

use super::pages::result_path;
use super::resource::{regional, required};
use super::{Context, attr, lookup_in, span_of};
use crate::json::{list, text};

/// Reads every region's topics.
pub(super) fn normalise(cx: &mut Context<'_>) {
    for call in cx.calls.all("sns", "ListTopics") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        for topic in list(result_path(response, "ListTopicsResult", &["Topics"])) {
            let Some(arn) = required(cx, call, topic, "TopicArn") else {
                continue;
            };
            let attributes = lookup_in(
                cx.calls,
                "sns",
                "GetTopicAttributes",
                &call.region,
                &[("TopicArn", &arn)],
                &[],
                &span_of(call),
            );
            let encrypted_at_rest: Attr<bool> = attr(&attributes, false, false, |response| {
                attribute(
                    result_path(response, "GetTopicAttributesResult", &["Attributes"]),
                    "KmsMasterKeyId",
                )
                .filter(|key| !key.is_empty())
                .map(|_| true)
            });
            cx.model.push(DataStore {
                meta: regional(arn, "AWS::SNS::Topic", call),
                kind: StoreKind::SnsTopic,
                encrypted_at_rest,
                encrypted_in_transit: None,
                https_enforced: None,
                publicly_accessible: None,
            });
        }
    }
}

/// The value of `name` in an attribute map: XML's `{"entry": [{"key", "value"}]}` or a JSON
/// object.
fn attribute(map: Option<&Value>, name: &str) -> Option<String> {
    let map = map?;
    if let Some(entries) = map.get("entry") {
        return list(Some(entries))
            .into_iter()
            .find(|e| text(e.get("key")).as_deref() == Some(name))
            .and_then(|e| text(e.get("value")));
    }
    text(map.get(name))
}
