//! EC2 and VPC, per region: security groups, network ACLs, instances, volumes, EBS encryption by
//! default, the account's own snapshots (and who may create volumes from them) and images, VPCs
//! and flow logs. Also the account's enabled regions, for `--all-regions`.

use std::sync::Arc;

use crate::record::params;
use crate::services::{for_each, pages};
use crate::{Clients, Session};

/// The regions enabled for the account (`DescribeRegions`), sorted.
pub(crate) async fn enabled_regions(
    session: &Session,
    clients: &Clients,
    home: &str,
) -> Result<Vec<String>, String> {
    let ec2 = clients.ec2(home);
    let out = session
        .call("ec2", "DescribeRegions", home, params! {}, |c| {
            ec2.describe_regions().customize().interceptor(c).send()
        })
        .await?;
    let mut regions: Vec<String> = out
        .regions()
        .iter()
        .filter_map(|r| r.region_name().map(str::to_string))
        .collect();
    regions.sort();
    Ok(regions)
}

macro_rules! listing {
    ($session:expr, $ec2:expr, $region:expr, $operation:literal, $method:ident) => {
        pages(
            $session,
            "ec2",
            $operation,
            $region,
            params! {},
            "NextToken",
            |token, c| {
                $ec2.$method()
                    .set_next_token(token)
                    .customize()
                    .interceptor(c)
                    .send()
            },
            |page| page.next_token().map(str::to_string),
        )
        .await
    };
}

pub(crate) async fn collect(session: &Session, clients: &Arc<Clients>, region: &str) {
    let ec2 = clients.ec2(region);
    listing!(
        session,
        ec2,
        region,
        "DescribeSecurityGroups",
        describe_security_groups
    );
    listing!(
        session,
        ec2,
        region,
        "DescribeNetworkAcls",
        describe_network_acls
    );
    listing!(
        session,
        ec2,
        region,
        "DescribeInstances",
        describe_instances
    );
    listing!(session, ec2, region, "DescribeVolumes", describe_volumes);
    listing!(session, ec2, region, "DescribeVpcs", describe_vpcs);
    listing!(session, ec2, region, "DescribeFlowLogs", describe_flow_logs);
    let _ = session
        .call(
            "ec2",
            "GetEbsEncryptionByDefault",
            region,
            params! {},
            |c| {
                ec2.get_ebs_encryption_by_default()
                    .customize()
                    .interceptor(c)
                    .send()
            },
        )
        .await;
    let _ = session
        .call(
            "ec2",
            "DescribeImages",
            region,
            params! {"Owners" => "self"},
            |c| {
                ec2.describe_images()
                    .owners("self")
                    .customize()
                    .interceptor(c)
                    .send()
            },
        )
        .await;
    let snapshots = pages(
        session,
        "ec2",
        "DescribeSnapshots",
        region,
        params! {"OwnerIds" => "self"},
        "NextToken",
        |token, c| {
            ec2.describe_snapshots()
                .owner_ids("self")
                .set_next_token(token)
                .customize()
                .interceptor(c)
                .send()
        },
        |page| page.next_token().map(str::to_string),
    )
    .await;
    let ids: Vec<String> = snapshots
        .iter()
        .flat_map(|page| page.snapshots())
        .filter_map(|s| s.snapshot_id().map(str::to_string))
        .collect();
    let (session, clients, region) = (session.clone(), clients.clone(), region.to_string());
    for_each(ids, move |id| {
        let (session, ec2, region) = (session.clone(), clients.ec2(&region), region.clone());
        async move {
            let _ = session
                .call(
                    "ec2",
                    "DescribeSnapshotAttribute",
                    &region,
                    params! {"SnapshotId" => id.as_str(), "Attribute" => "createVolumePermission"},
                    |c| {
                        ec2.describe_snapshot_attribute()
                            .snapshot_id(&id)
                            .attribute(
                                aws_sdk_ec2::types::SnapshotAttributeName::CreateVolumePermission,
                            )
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
