//! Rules for data stores judged on encryption and exposure: SNS, SQS, OpenSearch, Neptune,
//! Redshift, EFS, ElastiCache and DocumentDB.

use deadbolt_model::aws::datastore::{DataStore, StoreKind};
use deadbolt_model::{Attr, Model};

use crate::checks::Checks;
use crate::rule::Rule;

mod docdb_unencrypted;
mod efs_unencrypted;
mod elasticache_at_rest;
mod elasticache_in_transit;
mod neptune_unencrypted;
mod opensearch_at_rest;
mod opensearch_https;
mod opensearch_node_to_node;
mod redshift_public;
mod redshift_unencrypted;
mod sns_unencrypted;
mod sqs_unencrypted;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &sns_unencrypted::SnsUnencrypted,
    &sqs_unencrypted::SqsUnencrypted,
    &opensearch_at_rest::OpenSearchAtRest,
    &opensearch_node_to_node::OpenSearchNodeToNode,
    &opensearch_https::OpenSearchHttps,
    &neptune_unencrypted::NeptuneUnencrypted,
    &redshift_unencrypted::RedshiftUnencrypted,
    &redshift_public::RedshiftPublic,
    &efs_unencrypted::EfsUnencrypted,
    &elasticache_at_rest::ElastiCacheAtRest,
    &elasticache_in_transit::ElastiCacheInTransit,
    &docdb_unencrypted::DocDbUnencrypted,
];

/// Judges a protective setting of every data store of `kind`: passes when it is on, fails at the
/// setting (or at the resource, when the default applies) when it is off, and is not evaluated when
/// unknown. `what` names the setting in messages ("encryption at rest").
fn require_on<'m>(
    model: &'m Model,
    checks: &mut Checks<'m>,
    kind: StoreKind,
    setting: impl Fn(&DataStore) -> Option<&Attr<bool>>,
    what: &str,
) {
    for store in model.all::<DataStore>().filter(|s| s.kind == kind) {
        let Some(attr) = setting(store) else { continue };
        checks.require(
            &store.meta,
            attr,
            |on| *on,
            |_| {
                if attr.explicit {
                    format!("{what} is turned off")
                } else {
                    format!(
                        "{what} is not enabled, and the {} default is off",
                        kind.title()
                    )
                }
            },
        );
    }
}
