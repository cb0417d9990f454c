//! AWS Config, per region: configuration recorders and whether they are recording.

use std::sync::Arc;

use crate::record::params;
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let config = clients.config(region);
    let _ = session
        .call(
            "config",
            "DescribeConfigurationRecorders",
            region,
            params! {},
            |c| {
                config
                    .describe_configuration_recorders()
                    .customize()
                    .interceptor(c)
                    .send()
            },
        )
        .await;
    let _ = session
        .call(
            "config",
            "DescribeConfigurationRecorderStatus",
            region,
            params! {},
            |c| {
                config
                    .describe_configuration_recorder_status()
                    .customize()
                    .interceptor(c)
                    .send()
            },
        )
        .await;
}
