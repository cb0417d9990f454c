//! CloudWatch Logs (`logs` in a snapshot), per region: every log group (`DescribeLogGroups`:
//! retention, KMS key). Collected for the snapshot; no model reads it yet.

use std::sync::Arc;

use crate::record::params;
use crate::services::pages;
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let logs = clients.logs(region);
    pages(
        session,
        "logs",
        "DescribeLogGroups",
        region,
        params! {},
        "nextToken",
        |token, c| {
            logs.describe_log_groups()
                .set_next_token(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_token().map(str::to_string),
    )
    .await;
}
