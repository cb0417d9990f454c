//! SQS, per region: every queue (`ListQueues`) and each one's attributes
//! (`GetQueueAttributes` with `AttributeNames` `All`: ARN and server-side encryption; recorded
//! with the `QueueUrl` parameter only).

use std::sync::Arc;

use aws_sdk_sqs::types::QueueAttributeName;

use crate::record::params;
use crate::services::{for_each, pages};
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let sqs = clients.sqs(region);
    let queues: Vec<String> = pages(
        session,
        "sqs",
        "ListQueues",
        region,
        params! {},
        "NextToken",
        |token, c| {
            sqs.list_queues()
                .set_next_token(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_token().map(str::to_string),
    )
    .await
    .iter()
    .flat_map(|page| page.queue_urls())
    .cloned()
    .collect();
    let (s, c, r) = (session.clone(), clients.clone(), region.to_string());
    for_each(queues, move |url| {
        let (session, sqs, region) = (s.clone(), c.sqs(&r), r.clone());
        async move {
            let _ = session
                .call(
                    "sqs",
                    "GetQueueAttributes",
                    &region,
                    params! {"QueueUrl" => url.as_str()},
                    |c| {
                        sqs.get_queue_attributes()
                            .queue_url(&url)
                            .attribute_names(QueueAttributeName::All)
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
