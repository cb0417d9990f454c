//! EKS: `aws_eks_cluster`.

use deadbolt_model::Attr;
use deadbolt_model::Settings as _;
use deadbolt_model::aws::eks::Cluster;

use crate::evaluated::EvaluatedResource;
use crate::mapping::{MapContext, meta};

/// Maps clusters.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    if res.resource_type != "aws_eks_cluster" {
        return false;
    }
    let body = &res.body;
    let (endpoint_public_access, public_access_cidrs) = match body.block("vpc_config") {
        Some(vpc) => {
            let cidrs = vpc.strings("public_access_cidrs");
            // An empty or absent list means the API default: open to the whole internet.
            let cidrs = match cidrs.known() {
                Some(list) if list.is_empty() => {
                    Attr::default(vec!["0.0.0.0/0".to_string()], cidrs.span.clone())
                }
                _ => cidrs,
            };
            (vpc.bool("endpoint_public_access", true), cidrs)
        }
        None => (
            Attr::default(true, body.span.clone()),
            Attr::default(vec!["0.0.0.0/0".to_string()], body.span.clone()),
        ),
    };
    let mut secrets_encryption = Attr::default(false, body.span.clone());
    for enc in body.blocks("encryption_config") {
        let resources = enc.strings("resources");
        match resources.known() {
            Some(list) if list.iter().any(|r| r == "secrets") => {
                secrets_encryption = Attr::set(true, resources.span.clone());
                break;
            }
            Some(_) => {}
            None => secrets_encryption = resources.map(|_| false),
        }
    }
    cx.model.push(Cluster {
        meta: meta(res),
        endpoint_public_access,
        public_access_cidrs,
        secrets_encryption,
        control_plane_logs: body.strings("enabled_cluster_log_types"),
    });
    true
}

/// EKS has no split resources deadbolt joins.
pub(super) fn map_split(_res: &EvaluatedResource, _cx: &mut MapContext) -> bool {
    false
}

/// Nothing to resolve after the joins.
pub(super) fn finish(_cx: &mut MapContext) {}
