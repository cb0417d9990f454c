//! EKS, per region: every cluster (`ListClusters`) and each one's description
//! (`DescribeCluster`: endpoint access, secrets encryption, control-plane logging).

use std::sync::Arc;

use crate::record::params;
use crate::services::{for_each, pages};
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let eks = clients.eks(region);
    let clusters: Vec<String> = pages(
        session,
        "eks",
        "ListClusters",
        region,
        params! {},
        "nextToken",
        |token, c| {
            eks.list_clusters()
                .set_next_token(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_token().map(str::to_string),
    )
    .await
    .iter()
    .flat_map(|page| page.clusters())
    .cloned()
    .collect();
    let (s, c, r) = (session.clone(), clients.clone(), region.to_string());
    for_each(clusters, move |name| {
        let (session, eks, region) = (s.clone(), c.eks(&r), r.clone());
        async move {
            let _ = session
                .call(
                    "eks",
                    "DescribeCluster",
                    &region,
                    params! {"name" => name.as_str()},
                    |c| {
                        eks.describe_cluster()
                            .name(&name)
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
