//! Lightsail, per region: every instance (`GetInstances`) and each one's public port states
//! (`GetInstancePortStates`). Lightsail is not offered in every region; where it is not, the
//! error is recorded like any other.

use std::sync::Arc;

use crate::record::params;
use crate::services::{for_each, pages};
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let lightsail = clients.lightsail(region);
    let instances: Vec<String> = pages(
        session,
        "lightsail",
        "GetInstances",
        region,
        params! {},
        "pageToken",
        |token, c| {
            lightsail
                .get_instances()
                .set_page_token(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_page_token().map(str::to_string),
    )
    .await
    .iter()
    .flat_map(|page| page.instances())
    .filter_map(|i| i.name().map(str::to_string))
    .collect();
    let (s, c, r) = (session.clone(), clients.clone(), region.to_string());
    for_each(instances, move |name| {
        let (session, lightsail, region) = (s.clone(), c.lightsail(&r), r.clone());
        async move {
            let _ = session
                .call(
                    "lightsail",
                    "GetInstancePortStates",
                    &region,
                    params! {"instanceName" => name.as_str()},
                    |c| {
                        lightsail
                            .get_instance_port_states()
                            .instance_name(&name)
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
