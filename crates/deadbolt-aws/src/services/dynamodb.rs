//! DynamoDB, per region: every table (`ListTables`), and per table its description
//! (`DescribeTable`: encryption, replicas) and point-in-time recovery status
//! (`DescribeContinuousBackups`).

use std::sync::Arc;

use crate::record::params;
use crate::services::{for_each, pages};
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let dynamodb = clients.dynamodb(region);
    let tables: Vec<String> = pages(
        session,
        "dynamodb",
        "ListTables",
        region,
        params! {},
        "ExclusiveStartTableName",
        |token, c| {
            dynamodb
                .list_tables()
                .set_exclusive_start_table_name(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.last_evaluated_table_name().map(str::to_string),
    )
    .await
    .iter()
    .flat_map(|page| page.table_names())
    .cloned()
    .collect();
    let (s, c, r) = (session.clone(), clients.clone(), region.to_string());
    for_each(tables, move |table| {
        let (session, dynamodb, region) = (s.clone(), c.dynamodb(&r), r.clone());
        async move {
            let p = params! {"TableName" => table.as_str()};
            let _ = session
                .call("dynamodb", "DescribeTable", &region, p.clone(), |c| {
                    dynamodb
                        .describe_table()
                        .table_name(&table)
                        .customize()
                        .interceptor(c)
                        .send()
                })
                .await;
            let _ = session
                .call("dynamodb", "DescribeContinuousBackups", &region, p, |c| {
                    dynamodb
                        .describe_continuous_backups()
                        .table_name(&table)
                        .customize()
                        .interceptor(c)
                        .send()
                })
                .await;
        }
    })
    .await;
}
