//! One module per service: which calls it makes, in which order, with which parameters (the
//! operations and their parameter names are those of `deadbolt_aws_snapshot::calls`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::{Clients, Session};

pub(crate) mod accessanalyzer;
pub(crate) mod backup;
pub(crate) mod cloudfront;
pub(crate) mod cloudtrail;
pub(crate) mod config;
pub(crate) mod dynamodb;
pub(crate) mod ec2;
pub(crate) mod ecr;
pub(crate) mod eks;
pub(crate) mod elbv2;
pub(crate) mod guardduty;
pub(crate) mod iam;
pub(crate) mod kms;
pub(crate) mod lambda;
pub(crate) mod lightsail;
pub(crate) mod logs;
pub(crate) mod rds;
pub(crate) mod s3;
pub(crate) mod secretsmanager;
pub(crate) mod securityhub;
pub(crate) mod sns;
pub(crate) mod sqs;
pub(crate) mod sts;

/// A regional collection task.
pub(crate) type RegionalTask =
    fn(Session, Arc<Clients>, String) -> Pin<Box<dyn Future<Output = ()> + Send>>;

/// Every service collected once per region.
pub(crate) const REGIONAL: &[RegionalTask] = &[
    |s, c, r| Box::pin(async move { ec2::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { rds::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { cloudtrail::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { kms::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { lambda::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { config::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { guardduty::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { securityhub::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { accessanalyzer::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { dynamodb::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { elbv2::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { eks::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { ecr::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { sns::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { sqs::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { lightsail::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { secretsmanager::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { backup::collect(&s, &c, &r).await }),
    |s, c, r| Box::pin(async move { logs::collect(&s, &c, &r).await }),
];

/// Runs `task` for every item at once (bounded by the session's limit on calls in flight) and
/// waits for all of them.
pub(crate) async fn for_each<T, F, Fut>(items: Vec<T>, task: F)
where
    T: Send + 'static,
    F: Fn(T) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    for item in items {
        set.spawn(task(item));
    }
    while set.join_next().await.is_some() {}
}

/// Every page of a paginated operation: `send` gets the token of the page to ask for (`None`
/// for the first) and the capture interceptor; `next` reads the next token from a page (`None`
/// when it was the last). The token is recorded under `token_param`, AWS's name for it. Stops at
/// the first page that fails (the failure is recorded).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn pages<O, E, Fut>(
    session: &Session,
    service: &str,
    operation: &str,
    region: &str,
    params: crate::record::Params,
    token_param: &str,
    send: impl Fn(Option<String>, crate::record::Capture) -> Fut,
    next: impl Fn(&O) -> Option<String>,
) -> Vec<O>
where
    Fut: Future<
        Output = Result<
            O,
            aws_smithy_runtime_api::client::result::SdkError<
                E,
                aws_smithy_runtime_api::client::orchestrator::HttpResponse,
            >,
        >,
    >,
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata
        + std::error::Error
        + Send
        + Sync
        + 'static,
{
    let mut outputs = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut p = params.clone();
        if let Some(t) = &token {
            p.insert(token_param.to_string(), t.clone().into());
        }
        let asked = token.clone();
        let Ok(page) = session
            .call(service, operation, region, p, |c| send(asked, c))
            .await
        else {
            break;
        };
        let following = next(&page).filter(|t| !t.is_empty());
        outputs.push(page);
        match following {
            // A token that repeats would loop forever.
            Some(t) if Some(&t) != token.as_ref() => token = Some(t),
            _ => break,
        }
    }
    outputs
}
