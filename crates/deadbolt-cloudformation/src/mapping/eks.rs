//! EKS: `AWS::EKS::Cluster`.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::eks::Cluster;
use deadbolt_model::{Attr, Model, Unknown};

use super::Res;
use crate::props::Props;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    if r.kind != "AWS::EKS::Cluster" {
        return false;
    }
    let p = &r.props;
    let vpc = p.nested("ResourcesVpcConfig");
    let cidrs = vpc.strings("PublicAccessCidrs");
    // An empty or absent list means the API default: open to the whole internet.
    let public_access_cidrs = match cidrs.known() {
        Some(list) if list.is_empty() => {
            Attr::default(vec!["0.0.0.0/0".to_string()], cidrs.span.clone())
        }
        _ => cidrs,
    };
    let mut secrets_encryption = Attr::default(false, p.span());
    for enc in p.list("EncryptionConfig") {
        let resources = enc.strings("Resources");
        match resources.known() {
            Some(list) if list.iter().any(|r| r == "secrets") => {
                secrets_encryption = Attr::set(true, resources.span.clone());
                break;
            }
            Some(_) => {}
            None => secrets_encryption = resources.map(|_| false),
        }
    }
    model.push(Cluster {
        meta: r.meta.clone(),
        endpoint_public_access: vpc.bool("EndpointPublicAccess", true),
        public_access_cidrs,
        secrets_encryption,
        control_plane_logs: log_types(&p.nested("Logging").nested("ClusterLogging")),
    });
    true
}

/// `EnabledTypes`: a list of `{Type: api}` entries.
fn log_types(logging: &Props<'_>) -> Attr<Vec<String>> {
    if !logging.has("EnabledTypes") {
        return Attr::default(Vec::new(), logging.span());
    }
    let span = logging.span_for("EnabledTypes");
    let mut types = Vec::new();
    for entry in logging.list("EnabledTypes") {
        let kind = entry.string("Type", "");
        match kind.known() {
            Some(t) => types.push(t.clone()),
            None => {
                let reason = kind
                    .unknown_reason()
                    .cloned()
                    .unwrap_or_else(|| Unknown::new("a log type is unknown"));
                return Attr::unknown(reason, span);
            }
        }
    }
    Attr::set(types, span)
}
