//! Data stores judged on encryption and exposure: SNS topics, SQS queues, OpenSearch and
//! Elasticsearch domains, Neptune, Redshift, EFS, ElastiCache replication groups and DocumentDB.
//!
//! Defaults are the AWS API's, which CloudFormation applies when a property is omitted; where
//! they differ from what the Terraform provider sends, the mapping says so.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::datastore::{DataStore, StoreKind};
use deadbolt_model::{Attr, Model, Unknown};

use super::Res;
use super::rds::storage_encrypted;
use crate::props::Props;

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
        // SNS encrypts only with a KMS key; there is no service-owned default.
        "AWS::SNS::Topic" => store(StoreKind::SnsTopic, key_is_set(p, "KmsMasterKeyId")),
        "AWS::SQS::Queue" => store(StoreKind::SqsQueue, sqs_encryption(p)),
        "AWS::OpenSearchService::Domain" | "AWS::Elasticsearch::Domain" => DataStore {
            encrypted_in_transit: Some(block_flag(p, "NodeToNodeEncryptionOptions", "Enabled")),
            // Unlike the Terraform provider, which defaults `enforce_https` to true inside its
            // block, CloudFormation sends nothing and the API default (HTTP allowed) applies.
            https_enforced: Some(block_flag(p, "DomainEndpointOptions", "EnforceHTTPS")),
            ..store(
                StoreKind::OpenSearchDomain,
                block_flag(p, "EncryptionAtRestOptions", "Enabled"),
            )
        },
        "AWS::Neptune::DBCluster" => store(
            StoreKind::NeptuneCluster,
            storage_encrypted(
                p,
                false,
                &["SnapshotIdentifier", "SourceDBClusterIdentifier"],
            ),
        ),
        "AWS::Redshift::Cluster" => DataStore {
            // Since January 2025 the API creates provisioned clusters private and encrypted unless
            // told otherwise; CloudFormation sends neither flag when it is omitted. (The Terraform
            // mapping assumes public, because provider v5 sends `true`.)
            publicly_accessible: Some(p.bool("PubliclyAccessible", false)),
            ..store(StoreKind::RedshiftCluster, redshift_encrypted(p))
        },
        "AWS::EFS::FileSystem" => store(StoreKind::EfsFileSystem, p.bool("Encrypted", false)),
        "AWS::ElastiCache::ReplicationGroup" => DataStore {
            encrypted_in_transit: Some(p.bool("TransitEncryptionEnabled", false)),
            ..store(
                StoreKind::ElastiCacheReplicationGroup,
                elasticache_at_rest(p),
            )
        },
        "AWS::DocDB::DBCluster" => store(
            StoreKind::DocDbCluster,
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

/// `true` when a KMS key property names a key; a key of the template counts as named.
fn key_is_set(p: &Props<'_>, name: &str) -> Attr<bool> {
    p.reference(name).map(|key| key.is_some())
}

/// SSE-KMS when `KmsMasterKeyId` is set; otherwise SSE-SQS, which AWS turns on for new queues
/// unless `SqsManagedSseEnabled` is `false`.
fn sqs_encryption(p: &Props<'_>) -> Attr<bool> {
    let kms = key_is_set(p, "KmsMasterKeyId");
    if kms.known() != Some(&false) {
        return kms;
    }
    p.bool("SqsManagedSseEnabled", true)
}

/// A flag inside an optional options property; `false` when the flag or the property is absent.
fn block_flag(p: &Props<'_>, block: &str, name: &str) -> Attr<bool> {
    p.nested(block).bool(name, false)
}

/// `Encrypted`, true by default for new clusters; a restore from a snapshot without it inherits
/// the snapshot's encryption.
fn redshift_encrypted(p: &Props<'_>) -> Attr<bool> {
    if !p.has("Encrypted") && p.has("SnapshotIdentifier") {
        return Attr::unknown(
            Unknown::new("encryption is inherited from the `SnapshotIdentifier` source"),
            p.span_for("SnapshotIdentifier"),
        );
    }
    p.bool("Encrypted", true)
}

/// At-rest encryption defaults to off for the `redis` engine (the default) and on for `valkey`.
fn elasticache_at_rest(p: &Props<'_>) -> Attr<bool> {
    if p.has("AtRestEncryptionEnabled") {
        return p.bool("AtRestEncryptionEnabled", false);
    }
    let engine = p.string("Engine", "redis");
    match engine.known() {
        Some(e) => Attr::default(e.eq_ignore_ascii_case("valkey"), p.span()),
        None => Attr::unknown(
            engine
                .unknown_reason()
                .cloned()
                .unwrap_or_else(|| Unknown::new("the engine is unknown")),
            engine.span,
        ),
    }
}
