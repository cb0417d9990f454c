//! AWS Backup, per region: every backup plan (`ListBackupPlans`), each plan's rules
//! (`GetBackupPlan`: copy actions to other regions) and the protected resources
//! (`ListProtectedResources`, collected for the snapshot; no model reads it yet).

use std::sync::Arc;

use crate::record::params;
use crate::services::{for_each, pages};
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let backup = clients.backup(region);
    let plans: Vec<String> = pages(
        session,
        "backup",
        "ListBackupPlans",
        region,
        params! {},
        "NextToken",
        |token, c| {
            backup
                .list_backup_plans()
                .set_next_token(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_token().map(str::to_string),
    )
    .await
    .iter()
    .flat_map(|page| page.backup_plans_list())
    .filter_map(|p| p.backup_plan_id().map(str::to_string))
    .collect();
    pages(
        session,
        "backup",
        "ListProtectedResources",
        region,
        params! {},
        "NextToken",
        |token, c| {
            backup
                .list_protected_resources()
                .set_next_token(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_token().map(str::to_string),
    )
    .await;
    let (s, c, r) = (session.clone(), clients.clone(), region.to_string());
    for_each(plans, move |id| {
        let (session, backup, region) = (s.clone(), c.backup(&r), r.clone());
        async move {
            let _ = session
                .call(
                    "backup",
                    "GetBackupPlan",
                    &region,
                    params! {"BackupPlanId" => id.as_str()},
                    |c| {
                        backup
                            .get_backup_plan()
                            .backup_plan_id(&id)
                            .customize()
                            .interceptor(c)
                            .send()
                    },
                )
                .await;
        }
    })
    .await;
}
