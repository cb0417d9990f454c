//! KMS, per region: every key's metadata; rotation status and key policy of customer managed
//! keys (AWS managed keys rotate on AWS's schedule and their policies are AWS's).

use std::sync::Arc;

use aws_sdk_kms::types::KeyManagerType;

use crate::record::params;
use crate::services::{for_each, pages};
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let kms = clients.kms(region);
    let keys: Vec<String> = pages(
        session,
        "kms",
        "ListKeys",
        region,
        params! {},
        "Marker",
        |token, c| {
            kms.list_keys()
                .set_marker(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_marker().map(str::to_string),
    )
    .await
    .iter()
    .flat_map(|page| page.keys())
    .filter_map(|k| k.key_id().map(str::to_string))
    .collect();
    let (s, c, r) = (session.clone(), clients.clone(), region.to_string());
    for_each(keys, move |key| {
        let (session, kms, region) = (s.clone(), c.kms(&r), r.clone());
        async move {
            let Ok(described) = session
                .call(
                    "kms",
                    "DescribeKey",
                    &region,
                    params! {"KeyId" => key.as_str()},
                    |c| {
                        kms.describe_key()
                            .key_id(&key)
                            .customize()
                            .interceptor(c)
                            .send()
                    },
                )
                .await
            else {
                return;
            };
            let customer = described
                .key_metadata()
                .is_some_and(|m| m.key_manager() == Some(&KeyManagerType::Customer));
            if !customer {
                return;
            }
            let _ = session
                .call(
                    "kms",
                    "GetKeyRotationStatus",
                    &region,
                    params! {"KeyId" => key.as_str()},
                    |c| {
                        kms.get_key_rotation_status()
                            .key_id(&key)
                            .customize()
                            .interceptor(c)
                            .send()
                    },
                )
                .await;
            let _ = session
                .call(
                    "kms",
                    "GetKeyPolicy",
                    &region,
                    params! {"KeyId" => key.as_str()},
                    |c| {
                        kms.get_key_policy()
                            .key_id(&key)
                            .policy_name("default")
                            .customize()
                            .interceptor(c)
                            .send()
                    },
                )
                .await;
        }
    })
    .await;
}
