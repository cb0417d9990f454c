//! CloudFront, once per account (global, from the home region): every distribution
//! (`ListDistributions`) and each one's configuration (`GetDistributionConfig`; origin custom
//! header values are masked before they are recorded).

use std::sync::Arc;

use crate::record::params;
use crate::services::{for_each, pages};
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, home: &str) {
    let cloudfront = clients.cloudfront(home);
    let ids: Vec<String> = pages(
        session,
        "cloudfront",
        "ListDistributions",
        home,
        params! {},
        "Marker",
        |token, c| {
            cloudfront
                .list_distributions()
                .set_marker(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| {
            page.distribution_list()
                .and_then(|l| l.next_marker())
                .map(str::to_string)
        },
    )
    .await
    .iter()
    .filter_map(|page| page.distribution_list())
    .flat_map(|list| list.items())
    .map(|d| d.id().to_string())
    .collect();
    let (s, c, h) = (session.clone(), clients.clone(), home.to_string());
    for_each(ids, move |id| {
        let (session, cloudfront, home) = (s.clone(), c.cloudfront(&h), h.clone());
        async move {
            let _ = session
                .call(
                    "cloudfront",
                    "GetDistributionConfig",
                    &home,
                    params! {"Id" => id.as_str()},
                    |c| {
                        cloudfront
                            .get_distribution_config()
                            .id(&id)
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
