//! Security Hub, per region: whether the account is subscribed (`DescribeHub` answers
//! `InvalidAccessException` when it is not).

use std::sync::Arc;

use crate::record::params;
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let securityhub = clients.securityhub(region);
    let _ = session
        .call("securityhub", "DescribeHub", region, params! {}, |c| {
            securityhub.describe_hub().customize().interceptor(c).send()
        })
        .await;
}
