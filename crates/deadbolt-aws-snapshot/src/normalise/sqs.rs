//! SQS queues, as [`DataStore`]s of kind [`StoreKind::SqsQueue`] (SQS answers in JSON; the
//! older XML shape, `{"GetQueueAttributesResult": {"Attribute": [{"Name", "Value"}]}}`, reads the
//! same).
//!
//! Reads every page of `sqs:ListQueues` of every region and, per queue (parameter `QueueUrl`),
//! `GetQueueAttributes` with `AttributeNames` `All`: `QueueArn` (the address), and
//! `KmsMasterKeyId` (SSE-KMS) or `SqsManagedSseEnabled` (SSE-SQS) for `encrypted_at_rest`. When
//! `GetQueueAttributes` failed, the encryption is unknown and the address is built from the URL.

use deadbolt_model::Attr;
use deadbolt_model::aws::datastore::{DataStore, StoreKind};
use serde_json::Value;

use super::pages::result_path;
use super::resource::regional;
use super::{Context, Lookup, attr, lookup_in, span_of};
use crate::json::{boolean, list, text};

/// Reads every region's queues.
pub(super) fn normalise(cx: &mut Context<'_>) {
    for call in cx.calls.all("sqs", "ListQueues") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        let urls = response
            .get("QueueUrls")
            .or_else(|| result_path(response, "ListQueuesResult", &["QueueUrl"]));
        for url in list(urls) {
            let Some(url) = text(Some(url)).filter(|u| !u.is_empty()) else {
                cx.malformed(call, "a queue URL is not text");
                continue;
            };
            let attributes = lookup_in(
                cx.calls,
                "sqs",
                "GetQueueAttributes",
                &call.region,
                &[("QueueUrl", &url)],
                &[],
                &span_of(call),
            );
            let read = |name: &str| match &attributes {
                Lookup::Found(_, response) => attribute(response, name),
                _ => None,
            };
            let arn = read("QueueArn").unwrap_or_else(|| {
                let mut segments = url.trim_end_matches('/').rsplit('/');
                let name = segments.next().unwrap_or_default().to_string();
                let account = segments
                    .next()
                    .filter(|a| a.len() == 12 && a.chars().all(|c| c.is_ascii_digit()))
                    .map(str::to_string)
                    .unwrap_or_else(|| cx.account().to_string());
                format!(
                    "arn:{}:sqs:{}:{account}:{name}",
                    cx.partition(),
                    call.region
                )
            });
            let encrypted_at_rest: Attr<bool> = attr(&attributes, false, false, |response| {
                if attribute(response, "KmsMasterKeyId").is_some_and(|k| !k.is_empty()) {
                    return Some(true);
                }
                attribute(response, "SqsManagedSseEnabled")
                    .and_then(|v| boolean(Some(&Value::String(v))))
            });
            cx.model.push(DataStore {
                meta: regional(arn, "AWS::SQS::Queue", call),
                kind: StoreKind::SqsQueue,
                encrypted_at_rest,
                encrypted_in_transit: None,
                https_enforced: None,
                publicly_accessible: None,
            });
        }
    }
}

/// The value of attribute `name`: JSON's `{"Attributes": {name: value}}` or XML's
/// `{"GetQueueAttributesResult": {"Attribute": [{"Name", "Value"}]}}`.
fn attribute(response: &Value, name: &str) -> Option<String> {
    if let Some(map) = response.get("Attributes") {
        return text(map.get(name));
    }
    list(result_path(
        response,
        "GetQueueAttributesResult",
        &["Attribute"],
    ))
    .into_iter()
    .find(|a| text(a.get("Name")).as_deref() == Some(name))
    .and_then(|a| text(a.get("Value")))
}
