//! Data stores judged on encryption and exposure: SNS topics, SQS queues, OpenSearch and
//! Elasticsearch domains, Neptune, Redshift, EFS, ElastiCache replication groups and DocumentDB.
//!
//! Defaults are those of the AWS API as the Terraform AWS provider calls it; where they changed
//! over time the field documents which one applies.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::datastore::{DataStore, StoreKind};
use deadbolt_model::{Attr, Unknown};

use crate::evaluated::{EvalBody, EvaluatedResource};
use crate::mapping::{MapContext, meta};

/// Maps each data store type.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    let body = &res.body;
    let store = |kind, encrypted_at_rest| DataStore {
        meta: meta(res),
        kind,
        encrypted_at_rest,
        encrypted_in_transit: None,
        https_enforced: None,
        publicly_accessible: None,
    };
    let mapped = match res.resource_type.as_str() {
        // SNS encrypts only with a KMS key; there is no service-owned default.
        "aws_sns_topic" => store(StoreKind::SnsTopic, key_is_set(body, "kms_master_key_id")),
        "aws_sqs_queue" => store(StoreKind::SqsQueue, sqs_encryption(body)),
        "aws_elasticsearch_domain" | "aws_opensearch_domain" => DataStore {
            encrypted_in_transit: Some(block_flag(
                body,
                "node_to_node_encryption",
                "enabled",
                false,
            )),
            // Inside `domain_endpoint_options` the provider defaults `enforce_https` to true; without
            // the block the API default (HTTP allowed) applies.
            https_enforced: Some(block_flag(
                body,
                "domain_endpoint_options",
                "enforce_https",
                true,
            )),
            ..store(
                StoreKind::OpenSearchDomain,
                block_flag(body, "encrypt_at_rest", "enabled", false),
            )
        },
        "aws_neptune_cluster" => store(
            StoreKind::NeptuneCluster,
            body.bool("storage_encrypted", false),
        ),
        "aws_redshift_cluster" => DataStore {
            // Provider v5 and earlier send `PubliclyAccessible = true` when the argument is unset;
            // v6 defaults it to false. The older default is assumed so an unset value is reported.
            publicly_accessible: Some(body.bool("publicly_accessible", true)),
            // Unset, the argument is not sent (v5) or defaults to true (v6), and AWS has encrypted
            // new provisioned clusters by default since January 2025.
            ..store(StoreKind::RedshiftCluster, body.bool("encrypted", true))
        },
        "aws_efs_file_system" => store(StoreKind::EfsFileSystem, body.bool("encrypted", false)),
        "aws_elasticache_replication_group" => DataStore {
            encrypted_in_transit: Some(body.bool("transit_encryption_enabled", false)),
            ..store(
                StoreKind::ElastiCacheReplicationGroup,
                elasticache_at_rest(body),
            )
        },
        "aws_docdb_cluster" => store(
            StoreKind::DocDbCluster,
            body.bool("storage_encrypted", false),
        ),
        _ => return false,
    };
    cx.model.push(mapped);
    true
}

/// No data store here has a split resource that changes its encryption or exposure.
pub(super) fn map_split(_res: &EvaluatedResource, _cx: &mut MapContext) -> bool {
    false
}

/// Nothing to resolve.
pub(super) fn finish(_cx: &mut MapContext) {}

/// `true` when a KMS key attribute is set to a non-empty value. A value known only after apply
/// counts as set when it comes from another resource (a key's `arn` or `id` is never empty).
fn key_is_set(body: &EvalBody, name: &str) -> Attr<bool> {
    if let Some(attr) = body.attr(name)
        && let Some(reason) = attr.value.unknown()
    {
        return if attr.refs.is_empty() {
            Attr::unknown(reason.clone(), attr.span.clone())
        } else {
            Attr::set(true, attr.span.clone())
        };
    }
    body.opt_string(name).map(|key| key.is_some())
}

/// SSE-KMS when `kms_master_key_id` is set; otherwise SSE-SQS, which AWS turns on for new queues
/// unless `sqs_managed_sse_enabled = false`.
fn sqs_encryption(body: &EvalBody) -> Attr<bool> {
    let kms = key_is_set(body, "kms_master_key_id");
    if kms.known() != Some(&false) {
        return kms;
    }
    let managed = body.opt_bool("sqs_managed_sse_enabled");
    match managed.known() {
        Some(Some(enabled)) => Attr::set(*enabled, managed.span.clone()),
        Some(None) => Attr::default(true, managed.span.clone()),
        None => managed.map(|_| false),
    }
}

/// A flag inside an optional nested block: `default_in_block` when the block is written without
/// the flag, `false` (not explicit) when the block is absent.
fn block_flag(body: &EvalBody, block: &str, name: &str, default_in_block: bool) -> Attr<bool> {
    match body.block(block) {
        Some(b) => b.bool(name, default_in_block),
        None => Attr::default(false, body.span.clone()),
    }
}

/// At-rest encryption defaults to off for the `redis` engine (the default) and on for `valkey`.
fn elasticache_at_rest(body: &EvalBody) -> Attr<bool> {
    let flag = body.opt_bool("at_rest_encryption_enabled");
    match flag.known() {
        Some(Some(enabled)) => return Attr::set(*enabled, flag.span.clone()),
        Some(None) => {}
        None => return flag.map(|_| false),
    }
    let engine = body.string("engine", "redis");
    match engine.known() {
        Some(e) => Attr::default(e.eq_ignore_ascii_case("valkey"), body.span.clone()),
        None => Attr::unknown(
            engine
                .unknown_reason()
                .cloned()
                .unwrap_or_else(|| Unknown::new("the engine is unknown")),
            engine.span,
        ),
    }
}
