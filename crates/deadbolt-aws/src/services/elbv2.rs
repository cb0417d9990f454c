//! Elastic Load Balancing v2, per region: every load balancer (`DescribeLoadBalancers`), and
//! per load balancer its attributes (`DescribeLoadBalancerAttributes`) and every page of its
//! listeners (`DescribeListeners`).

use std::sync::Arc;

use crate::record::params;
use crate::services::{for_each, pages};
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let elbv2 = clients.elbv2(region);
    let balancers: Vec<String> = pages(
        session,
        "elbv2",
        "DescribeLoadBalancers",
        region,
        params! {},
        "Marker",
        |token, c| {
            elbv2
                .describe_load_balancers()
                .set_marker(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_marker().map(str::to_string),
    )
    .await
    .iter()
    .flat_map(|page| page.load_balancers())
    .filter_map(|lb| lb.load_balancer_arn().map(str::to_string))
    .collect();
    let (s, c, r) = (session.clone(), clients.clone(), region.to_string());
    for_each(balancers, move |arn| {
        let (session, elbv2, region) = (s.clone(), c.elbv2(&r), r.clone());
        async move {
            let p = params! {"LoadBalancerArn" => arn.as_str()};
            let _ = session
                .call(
                    "elbv2",
                    "DescribeLoadBalancerAttributes",
                    &region,
                    p.clone(),
                    |c| {
                        elbv2
                            .describe_load_balancer_attributes()
                            .load_balancer_arn(&arn)
                            .customize()
                            .interceptor(c)
                            .send()
                    },
                )
                .await;
            pages(
                &session,
                "elbv2",
                "DescribeListeners",
                &region,
                p,
                "Marker",
                |token, c| {
                    elbv2
                        .describe_listeners()
                        .load_balancer_arn(&arn)
                        .set_marker(token)
                        .customize()
                        .interceptor(c)
                        .send()
                },
                |page| page.next_marker().map(str::to_string),
            )
            .await;
        }
    })
    .await;
}
