//! S3: the bucket list, each bucket's settings (asked in the bucket's own region), and the
//! account's Block Public Access (S3 Control).

use std::sync::Arc;

use crate::record::params;
use crate::services::for_each;
use crate::{Clients, Session};

/// `ListBuckets`, then per bucket `GetBucketLocation` and, in its region, the ACL, policy,
/// policy status, Block Public Access, encryption, versioning, logging and replication.
pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, home: &str) {
    let s3 = clients.s3(home);
    let Ok(listed) = session
        .call("s3", "ListBuckets", home, params! {}, |c| {
            s3.list_buckets().customize().interceptor(c).send()
        })
        .await
    else {
        return;
    };
    let names: Vec<String> = listed
        .buckets()
        .iter()
        .filter_map(|b| b.name().map(str::to_string))
        .collect();
    let (session, clients, home) = (session.clone(), clients.clone(), home.to_string());
    for_each(names, move |bucket| {
        let (session, clients, home) = (session.clone(), clients.clone(), home.clone());
        async move { collect_bucket(&session, &clients, &home, &bucket).await }
    })
    .await;
}

async fn collect_bucket(session: &Session, clients: &Clients, home: &str, bucket: &str) {
    let s3 = clients.s3(home);
    let Ok(location) = session
        .call(
            "s3",
            "GetBucketLocation",
            home,
            params! {"Bucket" => bucket},
            |c| {
                s3.get_bucket_location()
                    .bucket(bucket)
                    .customize()
                    .interceptor(c)
                    .send()
            },
        )
        .await
    else {
        return;
    };
    let region =
        deadbolt_aws_snapshot::bucket_region(location.location_constraint().map(|l| l.as_str()));
    let s3 = clients.s3(&region);
    let r = region.as_str();
    macro_rules! get {
        ($operation:literal, $method:ident) => {
            let _ = session
                .call("s3", $operation, r, params! {"Bucket" => bucket}, |c| {
                    s3.$method()
                        .bucket(bucket)
                        .customize()
                        .interceptor(c)
                        .send()
                })
                .await;
        };
    }
    get!("GetBucketAcl", get_bucket_acl);
    get!("GetBucketPolicy", get_bucket_policy);
    get!("GetBucketPolicyStatus", get_bucket_policy_status);
    get!("GetPublicAccessBlock", get_public_access_block);
    get!("GetBucketEncryption", get_bucket_encryption);
    get!("GetBucketVersioning", get_bucket_versioning);
    get!("GetBucketLogging", get_bucket_logging);
    get!("GetBucketReplication", get_bucket_replication);
}

/// S3 Control `GetPublicAccessBlock` for the account.
pub(crate) async fn account_public_access_block(
    session: &Session,
    clients: &Clients,
    home: &str,
    account_id: &str,
) {
    let control = clients.s3control(home);
    let custom_endpoint = clients.custom_endpoint();
    let prefix = format!("{account_id}.");
    let _ = session
        .call(
            "s3control",
            "GetPublicAccessBlock",
            home,
            params! {"AccountId" => account_id},
            |c| {
                control
                    .get_public_access_block()
                    .account_id(account_id)
                    .customize()
                    .interceptor(c)
                    // S3 Control puts the account ID in front of the host; a local endpoint
                    // (`ACCOUNT.127.0.0.1`) does not resolve, so it is taken off again there.
                    .mutate_request(move |request| {
                        if custom_endpoint {
                            let uri = request.uri().replacen(&format!("://{prefix}"), "://", 1);
                            let _ = request.set_uri(uri);
                        }
                    })
                    .send()
            },
        )
        .await;
}
