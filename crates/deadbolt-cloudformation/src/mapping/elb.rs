//! Elastic Load Balancing v2: `AWS::ElasticLoadBalancingV2::LoadBalancer` and
//! `AWS::ElasticLoadBalancingV2::Listener`.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::elb::{Listener, ListenerAction, LoadBalancer};
use deadbolt_model::{Attr, Model};

use super::Res;
use crate::props::Props;

/// The policy the ELB API applies to an HTTPS or TLS listener created without one.
const API_DEFAULT_SSL_POLICY: &str = "ELBSecurityPolicy-2016-08";

/// The load balancer attribute that makes an ALB drop headers with invalid names.
const DROP_INVALID_HEADERS: &str = "routing.http.drop_invalid_header_fields.enabled";

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    let p = &r.props;
    match r.kind {
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
            let drop_invalid_headers = p
                .list("LoadBalancerAttributes")
                .into_iter()
                .find(|a| a.string("Key", "").is(&DROP_INVALID_HEADERS.to_string()) == Some(true))
                .map(|a| a.bool("Value", false))
                .unwrap_or_else(|| Attr::default(false, p.span()));
            model.push(LoadBalancer {
                meta: r.meta.clone(),
                lb_type: p.string("Type", "application"),
                internal: p
                    .string("Scheme", "internet-facing")
                    .map(|s| s == "internal"),
                drop_invalid_headers,
            });
        }
        "AWS::ElasticLoadBalancingV2::Listener" => {
            let protocol = p.string("Protocol", "HTTP").map(|s| s.to_ascii_uppercase());
            let ssl_policy = match p.opt_string("SslPolicy") {
                written if written.explicit && !matches!(written.known(), Some(None)) => written,
                absent => match protocol.known().map(String::as_str) {
                    Some("HTTPS" | "TLS") | None => {
                        Attr::default(Some(API_DEFAULT_SSL_POLICY.to_string()), absent.span)
                    }
                    Some(_) => absent,
                },
            };
            model.push(Listener {
                meta: r.meta.clone(),
                protocol,
                port: p.int("Port", 0),
                ssl_policy,
                default_actions: p.list("DefaultActions").iter().map(action_of).collect(),
            });
        }
        _ => return false,
    }
    true
}

fn action_of(action: &Props<'_>) -> ListenerAction {
    ListenerAction {
        // CloudFormation spells the types as the API does (`redirect`), case aside.
        action_type: action.string("Type", "").map(|t| t.to_ascii_lowercase()),
        redirect_protocol: action.has("RedirectConfig").then(|| {
            action
                .nested("RedirectConfig")
                .string("Protocol", "#{protocol}")
        }),
    }
}
