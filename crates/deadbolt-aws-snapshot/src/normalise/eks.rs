//! EKS clusters.
//!
//! Reads `eks:ListClusters` of every region and, per cluster (parameter `name`, in its region),
//! `DescribeCluster` into [`Cluster`]s: `resourcesVpcConfig.endpointPublicAccess`
//! (`endpoint_public_access`) and `publicAccessCidrs` (`public_access_cidrs`, `0.0.0.0/0` when
//! empty), `encryptionConfig` naming `secrets` (`secrets_encryption`), and the `types` of every
//! enabled `logging.clusterLogging` entry (`control_plane_logs`). When `DescribeCluster` failed,
//! every setting is unknown.

use deadbolt_model::aws::eks::Cluster;
use deadbolt_model::{Attr, Span, Unknown};
use serde_json::Value;

use super::resource::regional;
use super::{Context, Lookup, lookup_in, span_of};
use crate::json::{boolean, list, path, text};

/// Reads every region's clusters.
pub(super) fn normalise(cx: &mut Context<'_>) {
    for call in cx.calls.all("eks", "ListClusters") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        for entry in list(response.get("clusters")) {
            let Some(name) = text(Some(entry)).filter(|n| !n.is_empty()) else {
                cx.malformed(call, "a cluster name is not text");
                continue;
            };
            let listed = span_of(call);
            let described = lookup_in(
                cx.calls,
                "eks",
                "DescribeCluster",
                &call.region,
                &[("name", &name)],
                &[],
                &listed,
            );
            let cluster = match &described {
                Lookup::Found(by, response) => {
                    let found = response.get("cluster");
                    if found.is_none() {
                        cx.malformed(by, "no cluster");
                    }
                    found.map(|c| (c, span_of(by)))
                }
                _ => None,
            };
            let arn = cluster
                .as_ref()
                .and_then(|(c, _)| text(c.get("arn")))
                .unwrap_or_else(|| cx.arn("eks", &call.region, &format!("cluster/{name}")));
            let meta = regional(arn, "AWS::EKS::Cluster", call);
            let pushed = match (cluster, &described) {
                (Some((cluster, at)), _) => settings(meta, cluster, &at),
                (None, Lookup::Unknown(reason, at)) => unknown(meta, reason, at),
                (None, Lookup::Found(by, _) | Lookup::None(by)) => unknown(
                    meta,
                    &Unknown::new("eks:DescribeCluster gave no cluster"),
                    &span_of(by),
                ),
            };
            cx.model.push(pushed);
        }
    }
}

fn settings(meta: deadbolt_model::ResourceMeta, cluster: &Value, at: &Span) -> Cluster {
    let vpc = cluster.get("resourcesVpcConfig");
    let endpoint_public_access = match boolean(vpc.and_then(|v| v.get("endpointPublicAccess"))) {
        Some(public) => Attr::set(public, at.clone()),
        None => Attr::default(true, at.clone()),
    };
    let cidrs: Vec<String> = list(vpc.and_then(|v| v.get("publicAccessCidrs")))
        .into_iter()
        .filter_map(|c| text(Some(c)))
        .collect();
    let public_access_cidrs = if cidrs.is_empty() {
        Attr::default(vec!["0.0.0.0/0".to_string()], at.clone())
    } else {
        Attr::set(cidrs, at.clone())
    };
    let secrets = list(cluster.get("encryptionConfig"))
        .into_iter()
        .any(|config| {
            list(config.get("resources"))
                .into_iter()
                .any(|r| text(Some(r)).as_deref() == Some("secrets"))
        });
    let secrets_encryption = if secrets {
        Attr::set(true, at.clone())
    } else {
        Attr::default(false, at.clone())
    };
    let logs: Vec<String> = list(path(cluster, &["logging", "clusterLogging"]))
        .into_iter()
        .filter(|entry| boolean(entry.get("enabled")) == Some(true))
        .flat_map(|entry| list(entry.get("types")))
        .filter_map(|t| text(Some(t)))
        .collect();
    let control_plane_logs = if logs.is_empty() {
        Attr::default(Vec::new(), at.clone())
    } else {
        Attr::set(logs, at.clone())
    };
    Cluster {
        meta,
        endpoint_public_access,
        public_access_cidrs,
        secrets_encryption,
        control_plane_logs,
    }
}

fn unknown(meta: deadbolt_model::ResourceMeta, reason: &Unknown, at: &Span) -> Cluster {
    Cluster {
        meta,
        endpoint_public_access: Attr::unknown(reason.clone(), at.clone()),
        public_access_cidrs: Attr::unknown(reason.clone(), at.clone()),
        secrets_encryption: Attr::unknown(reason.clone(), at.clone()),
        control_plane_logs: Attr::unknown(reason.clone(), at.clone()),
    }
}
