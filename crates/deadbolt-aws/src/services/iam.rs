//! IAM (global): principals and policies, the password policy, the account summary, the
//! credential report, virtual MFA devices, and every user's access keys with their last use.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_iam::types::{EntityType, ReportStateType};

use crate::record::params;
use crate::services::for_each;
use crate::{Clients, Session};

/// How often, and how long apart, `GenerateCredentialReport` is asked while IAM builds it.
const REPORT_POLLS: u32 = 10;
const REPORT_POLL_INTERVAL: Duration = Duration::from_secs(2);

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, home: &str) {
    let iam = clients.iam(home);
    let mut users = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let mut p = params! {"Filter" => "User,Role,Group,LocalManagedPolicy"};
        if let Some(m) = &marker {
            p.insert("Marker".into(), m.clone().into());
        }
        let page = session
            .call("iam", "GetAccountAuthorizationDetails", home, p, |c| {
                iam.get_account_authorization_details()
                    .filter(EntityType::User)
                    .filter(EntityType::Role)
                    .filter(EntityType::Group)
                    .filter(EntityType::LocalManagedPolicy)
                    .set_marker(marker.clone())
                    .customize()
                    .interceptor(c)
                    .send()
            })
            .await;
        let Ok(page) = page else { break };
        users.extend(
            page.user_detail_list()
                .iter()
                .filter_map(|u| u.user_name().map(str::to_string)),
        );
        match (page.is_truncated(), page.marker()) {
            (true, Some(next)) => marker = Some(next.to_string()),
            _ => break,
        }
    }
    let _ = session
        .call("iam", "GetAccountPasswordPolicy", home, params! {}, |c| {
            iam.get_account_password_policy()
                .customize()
                .interceptor(c)
                .send()
        })
        .await;
    let _ = session
        .call("iam", "GetAccountSummary", home, params! {}, |c| {
            iam.get_account_summary().customize().interceptor(c).send()
        })
        .await;
    let mut marker: Option<String> = None;
    loop {
        let mut p = params! {};
        if let Some(m) = &marker {
            p.insert("Marker".into(), m.clone().into());
        }
        let Ok(page) = session
            .call("iam", "ListVirtualMFADevices", home, p, |c| {
                iam.list_virtual_mfa_devices()
                    .set_marker(marker.clone())
                    .customize()
                    .interceptor(c)
                    .send()
            })
            .await
        else {
            break;
        };
        match (page.is_truncated(), page.marker()) {
            (true, Some(next)) => marker = Some(next.to_string()),
            _ => break,
        }
    }
    credential_report(session, clients, home).await;
    let (session, clients, home) = (session.clone(), clients.clone(), home.to_string());
    for_each(users, move |user| {
        let (session, clients, home) = (session.clone(), clients.clone(), home.clone());
        async move { access_keys(&session, &clients, &home, &user).await }
    })
    .await;
}

/// `GenerateCredentialReport` until IAM says the report is complete, then `GetCredentialReport`.
async fn credential_report(session: &Session, clients: &Clients, home: &str) {
    let iam = clients.iam(home);
    for attempt in 0..REPORT_POLLS {
        let Ok(generated) = session
            .call("iam", "GenerateCredentialReport", home, params! {}, |c| {
                iam.generate_credential_report()
                    .customize()
                    .interceptor(c)
                    .send()
            })
            .await
        else {
            return;
        };
        if generated.state() == Some(&ReportStateType::Complete) {
            break;
        }
        if attempt + 1 < REPORT_POLLS {
            tokio::time::sleep(REPORT_POLL_INTERVAL).await;
        }
    }
    let _ = session
        .call("iam", "GetCredentialReport", home, params! {}, |c| {
            iam.get_credential_report()
                .customize()
                .interceptor(c)
                .send()
        })
        .await;
}

/// `ListAccessKeys` for one user, then `GetAccessKeyLastUsed` per key.
async fn access_keys(session: &Session, clients: &Clients, home: &str, user: &str) {
    let iam = clients.iam(home);
    let mut keys = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let mut p = params! {"UserName" => user};
        if let Some(m) = &marker {
            p.insert("Marker".into(), m.clone().into());
        }
        let Ok(page) = session
            .call("iam", "ListAccessKeys", home, p, |c| {
                iam.list_access_keys()
                    .user_name(user)
                    .set_marker(marker.clone())
                    .customize()
                    .interceptor(c)
                    .send()
            })
            .await
        else {
            break;
        };
        keys.extend(
            page.access_key_metadata()
                .iter()
                .filter_map(|k| k.access_key_id().map(str::to_string)),
        );
        match (page.is_truncated(), page.marker()) {
            (true, Some(next)) => marker = Some(next.to_string()),
            _ => break,
        }
    }
    for key in keys {
        let _ = session
            .call(
                "iam",
                "GetAccessKeyLastUsed",
                home,
                params! {"AccessKeyId" => key.as_str()},
                |c| {
                    iam.get_access_key_last_used()
                        .access_key_id(&key)
                        .customize()
                        .interceptor(c)
                        .send()
                },
            )
            .await;
    }
}
