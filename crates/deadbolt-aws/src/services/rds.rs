//! RDS, per region: DB instances and clusters, and the account's manual DB and cluster
//! snapshots with who may restore them.

use std::sync::Arc;

use crate::record::params;
use crate::services::{for_each, pages};
use crate::{Clients, Session};

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let rds = clients.rds(region);
    macro_rules! listing {
        ($operation:literal, $method:ident) => {
            pages(
                session,
                "rds",
                $operation,
                region,
                params! {},
                "Marker",
                |token, c| {
                    rds.$method()
                        .set_marker(token)
                        .customize()
                        .interceptor(c)
                        .send()
                },
                |page| page.marker().map(str::to_string),
            )
            .await
        };
    }
    listing!("DescribeDBInstances", describe_db_instances);
    listing!("DescribeDBClusters", describe_db_clusters);
    let snapshots: Vec<String> = listing!("DescribeDBSnapshots", describe_db_snapshots)
        .iter()
        .flat_map(|page| page.db_snapshots())
        .filter(|s| s.snapshot_type() == Some("manual"))
        .filter_map(|s| s.db_snapshot_identifier().map(str::to_string))
        .collect();
    let cluster_snapshots: Vec<String> =
        listing!("DescribeDBClusterSnapshots", describe_db_cluster_snapshots)
            .iter()
            .flat_map(|page| page.db_cluster_snapshots())
            .filter(|s| s.snapshot_type() == Some("manual"))
            .filter_map(|s| s.db_cluster_snapshot_identifier().map(str::to_string))
            .collect();
    let (s, c, r) = (session.clone(), clients.clone(), region.to_string());
    for_each(snapshots, move |id| {
        let (session, rds, region) = (s.clone(), c.rds(&r), r.clone());
        async move {
            let _ = session
                .call(
                    "rds",
                    "DescribeDBSnapshotAttributes",
                    &region,
                    params! {"DBSnapshotIdentifier" => id.as_str()},
                    |c| {
                        rds.describe_db_snapshot_attributes()
                            .db_snapshot_identifier(&id)
                            .customize()
                            .interceptor(c)
                            .send()
                    },
                )
                .await;
        }
    })
    .await;
    let (s, c, r) = (session.clone(), clients.clone(), region.to_string());
    for_each(cluster_snapshots, move |id| {
        let (session, rds, region) = (s.clone(), c.rds(&r), r.clone());
        async move {
            let _ = session
                .call(
                    "rds",
                    "DescribeDBClusterSnapshotAttributes",
                    &region,
                    params! {"DBClusterSnapshotIdentifier" => id.as_str()},
                    |c| {
                        rds.describe_db_cluster_snapshot_attributes()
                            .db_cluster_snapshot_identifier(&id)
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
