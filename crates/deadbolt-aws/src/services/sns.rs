//! SNS, per region: every topic (`ListTopics`) and each one's attributes
//! (`GetTopicAttributes`: the KMS key of server-side encryption).

use std::sync::Arc;

use crate::record::params;
use crate::services::{for_each, pages};
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let sns = clients.sns(region);
    let topics: Vec<String> = pages(
        session,
        "sns",
        "ListTopics",
        region,
        params! {},
        "NextToken",
        |token, c| {
            sns.list_topics()
                .set_next_token(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_token().map(str::to_string),
    )
    .await
    .iter()
    .flat_map(|page| page.topics())
    .filter_map(|t| t.topic_arn().map(str::to_string))
    .collect();
    let (s, c, r) = (session.clone(), clients.clone(), region.to_string());
    for_each(topics, move |arn| {
        let (session, sns, region) = (s.clone(), c.sns(&r), r.clone());
        async move {
            let _ = session
                .call(
                    "sns",
                    "GetTopicAttributes",
                    &region,
                    params! {"TopicArn" => arn.as_str()},
                    |c| {
                        sns.get_topic_attributes()
                            .topic_arn(&arn)
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
