//! IAM Access Analyzer, per region: the analyzers and their status.

use std::sync::Arc;

use crate::record::params;
use crate::services::pages;
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let analyzer = clients.accessanalyzer(region);
    pages(
        session,
        "accessanalyzer",
        "ListAnalyzers",
        region,
        params! {},
        "nextToken",
        |token, c| {
            analyzer
                .list_analyzers()
                .set_next_token(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_token().map(str::to_string),
    )
    .await;
}
