//! ECR, per region: every repository (`DescribeRepositories`) and the registry's scanning
//! configuration (`GetRegistryScanningConfiguration`), whose rules may scan repositories on push.

use std::sync::Arc;

use crate::record::params;
use crate::services::pages;
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let ecr = clients.ecr(region);
    let repositories = pages(
        session,
        "ecr",
        "DescribeRepositories",
        region,
        params! {},
        "nextToken",
        |token, c| {
            ecr.describe_repositories()
                .set_next_token(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_token().map(str::to_string),
    )
    .await;
    if repositories
        .iter()
        .all(|page| page.repositories().is_empty())
    {
        return;
    }
    let _ = session
        .call(
            "ecr",
            "GetRegistryScanningConfiguration",
            region,
            params! {},
            |c| {
                ecr.get_registry_scanning_configuration()
                    .customize()
                    .interceptor(c)
                    .send()
            },
        )
        .await;
}
