//! Data stores judged on encryption and exposure: DocumentDB and Neptune clusters.
//!
//! Defaults are the AWS API's, which CloudFormation applies when a property is omitted.

use deadbolt_model::Model;
use deadbolt_model::aws::datastore::{DataStore, StoreKind};

use super::Res;
use super::rds::storage_encrypted;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    let p = &r.props;
    let store = |kind, encrypted_at_rest| DataStore {
        meta: r.meta.clone(),
        kind,
        encrypted_at_rest,
        encrypted_in_transit: None,
        https_enforced: None,
        publicly_accessible: None,
    };
    let mapped = match r.kind {
        "AWS::DocDB::DBCluster" => store(
            StoreKind::DocDbCluster,
            storage_encrypted(
                p,
                false,
                &["SnapshotIdentifier", "SourceDBClusterIdentifier"],
            ),
        ),
        "AWS::Neptune::DBCluster" => store(
            StoreKind::NeptuneCluster,
            storage_encrypted(
                p,
                false,
                &["SnapshotIdentifier", "SourceDBClusterIdentifier"],
            ),
        ),
        _ => return false,
    };
    model.push(mapped);
    true
}
