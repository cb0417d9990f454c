//! DynamoDB tables.
//!
//! Reads `dynamodb:ListTables` of every region and, per table (parameter `TableName`, in the
//! table's region), `DescribeTable` (`SSEDescription`: `kms_encryption` when its `SSEType` is
//! `KMS`, `kms_key` from `KMSMasterKeyArn`; `Replicas`: a replica [`Location`] per global table
//! replica region) and `DescribeContinuousBackups`
//! (`PointInTimeRecoveryDescription.PointInTimeRecoveryStatus`: `point_in_time_recovery`).
//!
//! `DescribeTable` names the KMS key by its key ARN even when it is the AWS managed key
//! `aws/dynamodb`; when the region's `kms:DescribeKey` of that key says `KeyManager` `AWS`,
//! `kms_key` is the alias ARN `arn:...:alias/aws/dynamodb`, so the rules tell it from a customer
//! managed key. A table without `SSEDescription` is encrypted with the AWS owned key.

use deadbolt_model::aws::dynamodb::Table;
use deadbolt_model::{Attr, Location, LocationRole, Unknown};

use super::resource::regional;
use super::{Context, Lookup, lookup_in, span_of};
use crate::format::Call;
use crate::json::{list, path, text};

/// Reads every region's tables.
pub(super) fn normalise(cx: &mut Context<'_>) {
    for call in cx.calls.all("dynamodb", "ListTables") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        for entry in list(response.get("TableNames")) {
            let Some(name) = text(Some(entry)).filter(|n| !n.is_empty()) else {
                cx.malformed(call, "a table name is not text");
                continue;
            };
            table(cx, call, &name);
        }
    }
}

fn table(cx: &mut Context<'_>, listed_by: &Call, name: &str) {
    let span = span_of(listed_by);
    let region = listed_by.region.as_str();
    let get = |operation: &str| {
        lookup_in(
            cx.calls,
            "dynamodb",
            operation,
            region,
            &[("TableName", name)],
            &[],
            &span,
        )
    };
    let described = get("DescribeTable");
    let backups = get("DescribeContinuousBackups");

    let mut description = None;
    if let Lookup::Found(by, response) = &described {
        description = response.get("Table");
        if description.is_none() {
            cx.malformed(by, "no Table");
        }
    }
    let arn = description
        .and_then(|t| text(t.get("TableArn")))
        .unwrap_or_else(|| cx.arn("dynamodb", region, &format!("table/{name}")));
    let mut meta = regional(arn, "AWS::DynamoDB::Table", listed_by);

    let (kms_encryption, kms_key) = match (&described, description) {
        (Lookup::Found(by, _), Some(table)) => {
            let at = span_of(by);
            let sse = table.get("SSEDescription");
            let kms = sse
                .and_then(|s| text(s.get("SSEType")))
                .is_some_and(|t| t.eq_ignore_ascii_case("KMS"));
            let key = sse
                .and_then(|s| text(s.get("KMSMasterKeyArn")))
                .filter(|k| !k.is_empty());
            let kms_encryption = if sse.is_some() {
                Attr::set(kms, at.clone())
            } else {
                Attr::default(false, at.clone())
            };
            let kms_key = match key {
                Some(key) => match aws_managed(cx, region, &key) {
                    Ok(true) => Attr::set(
                        Some(cx.arn("kms", region, "alias/aws/dynamodb")),
                        at.clone(),
                    ),
                    Ok(false) => Attr::set(Some(key), at.clone()),
                    Err(reason) => Attr::unknown(reason, at.clone()),
                },
                None => Attr::default(None, at.clone()),
            };
            for replica in list(table.get("Replicas")) {
                if let Some(replica_region) = text(replica.get("RegionName"))
                    && replica_region != region
                {
                    meta.locations.push(Location {
                        region: Attr::set(replica_region, at.clone()),
                        role: LocationRole::Replica,
                    });
                }
            }
            (kms_encryption, kms_key)
        }
        (Lookup::Unknown(reason, at), _) => (
            Attr::unknown(reason.clone(), at.clone()),
            Attr::unknown(reason.clone(), at.clone()),
        ),
        (Lookup::Found(by, _) | Lookup::None(by), _) => {
            let reason = Unknown::new("dynamodb:DescribeTable gave no Table");
            (
                Attr::unknown(reason.clone(), span_of(by)),
                Attr::unknown(reason, span_of(by)),
            )
        }
    };

    let point_in_time_recovery = match &backups {
        Lookup::Found(by, response) => {
            let status = text(path(
                response,
                &[
                    "ContinuousBackupsDescription",
                    "PointInTimeRecoveryDescription",
                    "PointInTimeRecoveryStatus",
                ],
            ));
            match status {
                Some(status) => Attr::set(status.eq_ignore_ascii_case("ENABLED"), span_of(by)),
                None if response.get("ContinuousBackupsDescription").is_some() => {
                    Attr::default(false, span_of(by))
                }
                None => {
                    cx.malformed(by, "no ContinuousBackupsDescription");
                    Attr::unknown(
                        Unknown::new(
                            "dynamodb:DescribeContinuousBackups gave no ContinuousBackupsDescription",
                        ),
                        span_of(by),
                    )
                }
            }
        }
        Lookup::None(by) => Attr::default(false, span_of(by)),
        Lookup::Unknown(reason, at) => Attr::unknown(reason.clone(), at.clone()),
    };

    cx.model.push(Table {
        meta,
        point_in_time_recovery,
        kms_encryption,
        kms_key,
    });
}

/// Whether the KMS key `key_arn` of `region` is AWS managed, by the key's `kms:DescribeKey`.
/// A key KMS was not asked about (another account's) is taken as customer managed: AWS managed
/// keys belong to the table's own account, whose keys were all listed.
fn aws_managed(cx: &Context<'_>, region: &str, key_arn: &str) -> Result<bool, Unknown> {
    let id = key_arn.rsplit('/').next().unwrap_or(key_arn);
    let Some(call) = cx
        .calls
        .in_region("kms", "DescribeKey", region)
        .find(|c| c.param("KeyId") == Some(id))
    else {
        return Ok(false);
    };
    if let Some(error) = &call.error {
        return Err(Unknown::new(format!(
            "whether the table's KMS key is AWS managed: kms:DescribeKey failed in {region} ({})",
            error.code
        )));
    }
    let manager = call
        .response
        .as_ref()
        .and_then(|r| text(path(r, &["KeyMetadata", "KeyManager"])));
    Ok(manager.as_deref() == Some("AWS"))
}
