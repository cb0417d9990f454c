//! Copies the account owns and may share: EBS snapshots (`DescribeSnapshots` with owner self, and
//! each snapshot's `DescribeSnapshotAttribute` `createVolumePermission`), AMIs (`DescribeImages`
//! with owner self, `isPublic`), RDS DB snapshots and DB cluster snapshots (their
//! `Describe...Attributes`, attribute `restore`). AWS documents the group `all` (EBS) and the value
//! `all` of `restore` (RDS) as "public".
//!
//! EC2 and RDS answer in XML: EC2 lists are `item` arrays under lower-camel names (`snapshotSet`,
//! `imagesSet`); RDS lists are named after their entries (`DBSnapshots/DBSnapshot`) and hold an
//! object rather than an array when there is one entry.

use deadbolt_model::aws::sharing::{CopyKind, SharedCopy};
use deadbolt_model::{Attr, Location, LocationRole, Provider, ResourceMeta, Span, Unknown};
use serde_json::Value;

use super::pages::{Pages, field, pages, per_resource, result_path};
use super::{Context, span_of};
use crate::format::Call;
use crate::json;

pub(crate) fn normalise(cx: &mut Context<'_>) {
    let regions = cx.snapshot.regions.clone();
    for region in &regions {
        ebs_snapshots(cx, region);
        images(cx, region);
        rds_snapshots(cx, region, &RDS_DB);
        rds_snapshots(cx, region, &RDS_CLUSTER);
    }
}

fn partition(cx: &Context<'_>) -> String {
    if cx.snapshot.account.partition.is_empty() {
        "aws".to_string()
    } else {
        cx.snapshot.account.partition.clone()
    }
}

/// The metadata of a copy of `kind` at `address` in `region`, spanned at `span`.
fn meta(kind: CopyKind, address: String, region: &str, span: Span) -> ResourceMeta {
    ResourceMeta {
        address,
        kind: match kind {
            CopyKind::EbsSnapshot => "AWS::EC2::Snapshot",
            CopyKind::Ami => "AWS::EC2::Image",
            CopyKind::RdsSnapshot => "AWS::RDS::DBSnapshot",
            CopyKind::RdsClusterSnapshot => "AWS::RDS::DBClusterSnapshot",
        }
        .to_string(),
        provider: Provider::Aws,
        span: span.clone(),
        suppressions: Vec::new(),
        locations: vec![Location {
            region: Attr::set(region.to_string(), span),
            role: LocationRole::Primary,
        }],
    }
}

/// The entries of the list named by one of `keys` (the XML name first, the JSON one second) in
/// every page; a page without the list is malformed and skipped (the copies it would have listed
/// are not scanned).
fn entries<'a>(
    cx: &mut Context<'_>,
    found: &[(&'a Call, &'a Value)],
    wrapper: &str,
    keys: &[&str],
) -> Vec<(&'a Call, &'a Value)> {
    let mut out = Vec::new();
    for (call, response) in found {
        match keys
            .iter()
            .find_map(|k| result_path(response, wrapper, &[k]))
        {
            Some(list) => out.extend(json::list(Some(list)).into_iter().map(|v| (*call, v))),
            None => cx.malformed(call, &format!("no {}", keys.join(" or "))),
        }
    }
    out
}

/// Whether the copy belongs to the account: the collector asks for owner self, but a response
/// that names another owner is not the account's to fix.
fn owned(cx: &Context<'_>, owner: Option<&Value>) -> bool {
    json::text(owner).is_none_or(|o| o == cx.snapshot.account.id)
}

fn ebs_snapshots(cx: &mut Context<'_>, region: &str) {
    let Pages::Found(found) = pages(cx.calls, "ec2", "DescribeSnapshots", region, &[]) else {
        // Without the list there is nothing to name; the missing call is the snapshot's problem
        // (or its error is visible in the snapshot), not a resource's.
        return;
    };
    let partition = partition(cx);
    let snapshots = entries(
        cx,
        &found,
        "DescribeSnapshotsResult",
        &["snapshotSet", "Snapshots"],
    );
    for (call, snapshot) in snapshots {
        if !owned(cx, field(snapshot, &["ownerId", "OwnerId"])) {
            continue;
        }
        let Some(id) = json::text(field(snapshot, &["snapshotId", "SnapshotId"])) else {
            cx.malformed(call, "a snapshot without snapshotId");
            continue;
        };
        let (public, shared_with, span) = match per_resource(
            cx.calls,
            "ec2",
            "DescribeSnapshotAttribute",
            region,
            "SnapshotId",
            &id,
        ) {
            None => (
                Attr::unknown(
                    Unknown::new(format!(
                        "ec2:DescribeSnapshotAttribute was not collected for {id} in {region}"
                    )),
                    span_of(call),
                ),
                Vec::new(),
                span_of(call),
            ),
            Some(attr_call) => {
                let span = span_of(attr_call);
                match (&attr_call.error, &attr_call.response) {
                    (Some(error), _) => (
                        Attr::unknown(
                            Unknown::new(format!(
                                "ec2:DescribeSnapshotAttribute failed for {id} in {region} ({})",
                                error.code
                            )),
                            span.clone(),
                        ),
                        Vec::new(),
                        span,
                    ),
                    (None, response) => {
                        let permissions = response.as_ref().and_then(|r| {
                            field(r, &["createVolumePermission", "CreateVolumePermissions"])
                        });
                        let grants = json::list(permissions);
                        let public = grants.iter().any(|g| {
                            json::text(field(g, &["group", "Group"])).as_deref() == Some("all")
                        });
                        let accounts = grants
                            .iter()
                            .filter_map(|g| json::text(field(g, &["userId", "UserId"])))
                            .collect();
                        (Attr::set(public, span.clone()), accounts, span)
                    }
                }
            }
        };
        let address = format!("arn:{partition}:ec2:{region}::snapshot/{id}");
        cx.model.push(SharedCopy {
            meta: meta(CopyKind::EbsSnapshot, address, region, span),
            kind: CopyKind::EbsSnapshot,
            id,
            public,
            shared_with,
        });
    }
}

fn images(cx: &mut Context<'_>, region: &str) {
    let Pages::Found(found) = pages(cx.calls, "ec2", "DescribeImages", region, &[]) else {
        return;
    };
    let partition = partition(cx);
    let list = entries(cx, &found, "DescribeImagesResult", &["imagesSet", "Images"]);
    for (call, image) in list {
        if !owned(cx, field(image, &["imageOwnerId", "OwnerId"])) {
            continue;
        }
        let Some(id) = json::text(field(image, &["imageId", "ImageId"])) else {
            cx.malformed(call, "an image without imageId");
            continue;
        };
        let span = span_of(call);
        let public = match json::boolean(field(image, &["isPublic", "Public"])) {
            Some(public) => Attr::set(public, span.clone()),
            None => {
                cx.malformed(call, &format!("image {id} without isPublic"));
                Attr::unknown(
                    Unknown::new(format!(
                        "ec2:DescribeImages in {region} does not say whether {id} is public"
                    )),
                    span.clone(),
                )
            }
        };
        let address = format!("arn:{partition}:ec2:{region}::image/{id}");
        cx.model.push(SharedCopy {
            meta: meta(CopyKind::Ami, address, region, span),
            kind: CopyKind::Ami,
            id,
            public,
            shared_with: Vec::new(),
        });
    }
}

/// The names that differ between RDS DB snapshots and DB cluster snapshots.
struct RdsNames {
    kind: CopyKind,
    list_op: &'static str,
    list_result: &'static str,
    list: [&'static str; 2],
    id: &'static str,
    arn: &'static str,
    arn_kind: &'static str,
    attr_op: &'static str,
    attr_result: &'static str,
    attrs: [&'static str; 3],
}

const RDS_DB: RdsNames = RdsNames {
    kind: CopyKind::RdsSnapshot,
    list_op: "DescribeDBSnapshots",
    list_result: "DescribeDBSnapshotsResult",
    list: ["DBSnapshots", "DBSnapshot"],
    id: "DBSnapshotIdentifier",
    arn: "DBSnapshotArn",
    arn_kind: "snapshot",
    attr_op: "DescribeDBSnapshotAttributes",
    attr_result: "DescribeDBSnapshotAttributesResult",
    attrs: [
        "DBSnapshotAttributesResult",
        "DBSnapshotAttributes",
        "DBSnapshotAttribute",
    ],
};

const RDS_CLUSTER: RdsNames = RdsNames {
    kind: CopyKind::RdsClusterSnapshot,
    list_op: "DescribeDBClusterSnapshots",
    list_result: "DescribeDBClusterSnapshotsResult",
    list: ["DBClusterSnapshots", "DBClusterSnapshot"],
    id: "DBClusterSnapshotIdentifier",
    arn: "DBClusterSnapshotArn",
    arn_kind: "cluster-snapshot",
    attr_op: "DescribeDBClusterSnapshotAttributes",
    attr_result: "DescribeDBClusterSnapshotAttributesResult",
    attrs: [
        "DBClusterSnapshotAttributesResult",
        "DBClusterSnapshotAttributes",
        "DBClusterSnapshotAttribute",
    ],
};

fn rds_snapshots(cx: &mut Context<'_>, region: &str, names: &RdsNames) {
    let Pages::Found(found) = pages(cx.calls, "rds", names.list_op, region, &[]) else {
        return;
    };
    let account = cx.snapshot.account.id.clone();
    let partition = partition(cx);
    let mut list = Vec::new();
    for (call, response) in &found {
        match result_path(response, names.list_result, &[names.list[0]]) {
            // An empty XML list is `""`; otherwise the entries sit under the entry name (one
            // entry as an object), or the list is a JSON array.
            Some(container) => {
                let inner = match container {
                    Value::Object(members) => members.get(names.list[1]),
                    other => Some(other),
                };
                list.extend(json::list(inner).into_iter().map(|v| (*call, v)));
            }
            None => cx.malformed(call, &format!("no {}", names.list[0])),
        }
    }
    for (call, snapshot) in list {
        let Some(id) = json::text(snapshot.get(names.id)) else {
            cx.malformed(call, &format!("a snapshot without {}", names.id));
            continue;
        };
        // Automated snapshots cannot be shared (AWS RDS User Guide, "Sharing a DB snapshot"):
        // only a manual copy of one can.
        if json::text(snapshot.get("SnapshotType")).as_deref() == Some("automated") {
            continue;
        }
        let address = json::text(snapshot.get(names.arn)).unwrap_or_else(|| {
            format!(
                "arn:{partition}:rds:{region}:{account}:{}:{id}",
                names.arn_kind
            )
        });
        let (public, shared_with, span) =
            match per_resource(cx.calls, "rds", names.attr_op, region, names.id, &id) {
                None => (
                    Attr::unknown(
                        Unknown::new(format!(
                            "rds:{} was not collected for {id} in {region}",
                            names.attr_op
                        )),
                        span_of(call),
                    ),
                    Vec::new(),
                    span_of(call),
                ),
                Some(attr_call) => read_restore(cx, attr_call, names, &id, region),
            };
        cx.model.push(SharedCopy {
            meta: meta(names.kind, address, region, span),
            kind: names.kind,
            id,
            public,
            shared_with,
        });
    }
}

/// The `restore` attribute of one snapshot: public when it lists `all`, and the accounts listed.
fn read_restore(
    cx: &mut Context<'_>,
    call: &Call,
    names: &RdsNames,
    id: &str,
    region: &str,
) -> (Attr<bool>, Vec<String>, Span) {
    let span = span_of(call);
    if let Some(error) = &call.error {
        return (
            Attr::unknown(
                Unknown::new(format!(
                    "rds:{} failed for {id} in {region} ({})",
                    names.attr_op, error.code
                )),
                span.clone(),
            ),
            Vec::new(),
            span,
        );
    }
    let attributes = call
        .response
        .as_ref()
        .and_then(|r| result_path(r, names.attr_result, &names.attrs[..2]));
    let Some(attributes) = attributes else {
        cx.malformed(call, &format!("no {}", names.attrs[1]));
        return (
            Attr::unknown(
                Unknown::new(format!(
                    "rds:{} for {id} in {region} lists no attributes",
                    names.attr_op
                )),
                span.clone(),
            ),
            Vec::new(),
            span,
        );
    };
    let entries = match attributes.get(names.attrs[2]) {
        Some(inner) => json::list(Some(inner)),
        None => json::list(Some(attributes)),
    };
    let mut values = Vec::new();
    for entry in entries {
        if json::text(entry.get("AttributeName")).as_deref() != Some("restore") {
            continue;
        }
        let listed = entry.get("AttributeValues");
        let inner = listed.and_then(|l| l.get("AttributeValue")).or(listed);
        values.extend(
            json::list(inner)
                .into_iter()
                .filter_map(|v| json::text(Some(v))),
        );
    }
    let public = values.iter().any(|v| v == "all");
    let accounts = values.into_iter().filter(|v| v != "all").collect();
    (Attr::set(public, span.clone()), accounts, span)
}

#[cfg(test)]
mod tests {
    use deadbolt_model::aws::sharing::{CopyKind, SharedCopy};
    use serde_json::json;

    use crate::format::Snapshot;

    fn copies(calls: serde_json::Value) -> Vec<(CopyKind, String, Option<bool>, Vec<String>)> {
        let s: Snapshot = serde_json::from_value(json!({
            "deadbolt_snapshot": 1, "provider": "aws", "collected_at": "2026-11-29T20:00:00Z",
            "collector": "test",
            "account": {"id": "123456789012", "partition": "aws", "caller_arn": "arn:aws:iam::123456789012:user/audit"},
            "regions": ["eu-west-1"],
            "calls": calls
        }))
        .expect("a snapshot");
        let out = crate::normalise(&s, "test.json");
        out.model
            .all::<SharedCopy>()
            .map(|c| {
                (
                    c.kind,
                    c.id.clone(),
                    c.public.known().copied(),
                    c.shared_with.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn ebs_snapshots_shared_with_group_all_are_public() {
        let got = copies(json!([
            {"service": "ec2", "operation": "DescribeSnapshots", "region": "eu-west-1",
             "response": {"snapshotSet": {"item": [
                {"snapshotId": "snap-1", "ownerId": "123456789012"},
                {"snapshotId": "snap-2", "ownerId": "123456789012"},
                {"snapshotId": "snap-3", "ownerId": "123456789012"}]}}},
            {"service": "ec2", "operation": "DescribeSnapshotAttribute", "region": "eu-west-1",
             "params": {"SnapshotId": "snap-1"},
             "response": {"snapshotId": "snap-1", "createVolumePermission": {"item": [{"group": "all"}]}}},
            {"service": "ec2", "operation": "DescribeSnapshotAttribute", "region": "eu-west-1",
             "params": {"SnapshotId": "snap-2"},
             "response": {"snapshotId": "snap-2", "createVolumePermission": {"item": [{"userId": "111122223333"}]}}},
            {"service": "ec2", "operation": "DescribeSnapshotAttribute", "region": "eu-west-1",
             "params": {"SnapshotId": "snap-3"},
             "error": {"code": "UnauthorizedOperation", "message": "", "http_status": 403}}
        ]));
        assert_eq!(got[0].2, Some(true));
        assert_eq!(got[1].2, Some(false));
        assert_eq!(got[1].3, vec!["111122223333".to_string()]);
        assert_eq!(got[2].2, None);
    }

    #[test]
    fn amis_and_rds_snapshots_read_their_xml_shapes() {
        let got = copies(json!([
            {"service": "ec2", "operation": "DescribeImages", "region": "eu-west-1",
             "response": {"imagesSet": {"item": [{"imageId": "ami-1", "imageOwnerId": "123456789012", "isPublic": "true"}]}}},
            {"service": "rds", "operation": "DescribeDBSnapshots", "region": "eu-west-1",
             "response": {"DescribeDBSnapshotsResult": {"DBSnapshots": {"DBSnapshot":
                {"DBSnapshotIdentifier": "db-1", "SnapshotType": "manual"}}}}},
            {"service": "rds", "operation": "DescribeDBSnapshotAttributes", "region": "eu-west-1",
             "params": {"DBSnapshotIdentifier": "db-1"},
             "response": {"DescribeDBSnapshotAttributesResult": {"DBSnapshotAttributesResult": {
                "DBSnapshotIdentifier": "db-1",
                "DBSnapshotAttributes": {"DBSnapshotAttribute": {"AttributeName": "restore",
                    "AttributeValues": {"AttributeValue": "all"}}}}}}},
            {"service": "rds", "operation": "DescribeDBClusterSnapshots", "region": "eu-west-1",
             "response": {"DescribeDBClusterSnapshotsResult": {"DBClusterSnapshots": ""}}}
        ]));
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].0, got[0].2), (CopyKind::Ami, Some(true)));
        assert_eq!((got[1].0, got[1].2), (CopyKind::RdsSnapshot, Some(true)));
    }
}
