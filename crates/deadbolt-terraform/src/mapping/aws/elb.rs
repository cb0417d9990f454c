//! Elastic Load Balancing v2: `aws_lb`/`aws_alb` and `aws_lb_listener`/`aws_alb_listener`.

use deadbolt_model::Attr;
use deadbolt_model::Settings as _;
use deadbolt_model::aws::elb::{Listener, ListenerAction, LoadBalancer};

use crate::evaluated::{EvalBody, EvaluatedResource};
use crate::mapping::{MapContext, meta};

/// The policy the ELB API applies to an HTTPS or TLS listener created without one (every client
/// but the console).
const API_DEFAULT_SSL_POLICY: &str = "ELBSecurityPolicy-2016-08";

/// Maps load balancers and listeners.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    let body = &res.body;
    match res.resource_type.as_str() {
        "aws_lb" | "aws_alb" => {
            cx.model.push(LoadBalancer {
                meta: meta(res),
                lb_type: body.string("load_balancer_type", "application"),
                internal: body.bool("internal", false),
                drop_invalid_headers: body.bool("drop_invalid_header_fields", false),
            });
            true
        }
        "aws_lb_listener" | "aws_alb_listener" => {
            let protocol = body
                .string("protocol", "HTTP")
                .map(|p| p.to_ascii_uppercase());
            let ssl_policy = match body.opt_string("ssl_policy") {
                written if written.explicit && !matches!(written.known(), Some(None)) => written,
                absent => match protocol.known().map(String::as_str) {
                    Some("HTTPS" | "TLS") | None => {
                        Attr::default(Some(API_DEFAULT_SSL_POLICY.to_string()), absent.span)
                    }
                    Some(_) => absent,
                },
            };
            cx.model.push(Listener {
                meta: meta(res),
                protocol,
                port: body.int("port", 0),
                ssl_policy,
                default_actions: body.blocks("default_action").map(action_of).collect(),
            });
            true
        }
        _ => false,
    }
}

fn action_of(action: &EvalBody) -> ListenerAction {
    ListenerAction {
        action_type: action.string("type", ""),
        redirect_protocol: action
            .block("redirect")
            .map(|r| r.string("protocol", "#{protocol}")),
    }
}

/// ELB has no split resources deadbolt joins.
pub(super) fn map_split(_res: &EvaluatedResource, _cx: &mut MapContext) -> bool {
    false
}

/// Nothing to resolve after the joins.
pub(super) fn finish(_cx: &mut MapContext) {}
