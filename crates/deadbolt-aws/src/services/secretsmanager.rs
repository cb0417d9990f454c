//! Secrets Manager, per region: every secret's metadata (`ListSecrets`: rotation, KMS key,
//! replication; never a secret value). Collected for the snapshot; no model reads it yet.

use std::sync::Arc;

use crate::record::params;
use crate::services::pages;
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let secretsmanager = clients.secretsmanager(region);
    pages(
        session,
        "secretsmanager",
        "ListSecrets",
        region,
        params! {},
        "NextToken",
        |token, c| {
            secretsmanager
                .list_secrets()
                .set_next_token(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_token().map(str::to_string),
    )
    .await;
}
