//! STS: whose account this is.

use deadbolt_aws_snapshot::Account;

use crate::record::params;
use crate::{Clients, Session, partition_of};

/// The account and caller (`GetCallerIdentity`); the error text when it fails.
pub(crate) async fn caller_identity(
    session: &Session,
    clients: &Clients,
    home: &str,
) -> Result<Account, String> {
    let sts = clients.sts(home);
    let identity = session
        .call("sts", "GetCallerIdentity", home, params! {}, |c| {
            sts.get_caller_identity().customize().interceptor(c).send()
        })
        .await?;
    let arn = identity.arn().unwrap_or_default().to_string();
    Ok(Account {
        id: identity.account().unwrap_or_default().to_string(),
        partition: partition_of(&arn),
        caller_arn: arn,
    })
}
