//! CloudTrail, per region: the trails whose home is this region (shadow copies of multi-region
//! trails are left to their home region), each trail's status and event selectors.

use std::sync::Arc;

use crate::record::params;
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let cloudtrail = clients.cloudtrail(region);
    let Ok(trails) = session
        .call(
            "cloudtrail",
            "DescribeTrails",
            region,
            params! {"includeShadowTrails" => false},
            |c| {
                cloudtrail
                    .describe_trails()
                    .include_shadow_trails(false)
                    .customize()
                    .interceptor(c)
                    .send()
            },
        )
        .await
    else {
        return;
    };
    for trail in trails.trail_list() {
        let Some(arn) = trail.trail_arn() else {
            continue;
        };
        let _ = session
            .call(
                "cloudtrail",
                "GetTrailStatus",
                region,
                params! {"Name" => arn},
                |c| {
                    cloudtrail
                        .get_trail_status()
                        .name(arn)
                        .customize()
                        .interceptor(c)
                        .send()
                },
            )
            .await;
        let _ = session
            .call(
                "cloudtrail",
                "GetEventSelectors",
                region,
                params! {"TrailName" => arn},
                |c| {
                    cloudtrail
                        .get_event_selectors()
                        .trail_name(arn)
                        .customize()
                        .interceptor(c)
                        .send()
                },
            )
            .await;
    }
}
