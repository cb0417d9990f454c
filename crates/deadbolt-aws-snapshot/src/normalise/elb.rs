//! Elastic Load Balancing v2: Application, Network and Gateway Load Balancers and their
//! listeners (service `elbv2` in a snapshot; XML bodies, so every leaf is text).
//!
//! Reads `elbv2:DescribeLoadBalancers` of every region into [`LoadBalancer`]s (`Type`:
//! `lb_type`; `Scheme`: `internal`) and, per load balancer (parameter `LoadBalancerArn`, in its
//! region), `DescribeLoadBalancerAttributes` (`routing.http.drop_invalid_header_fields.enabled`:
//! `drop_invalid_headers`) and every page of `DescribeListeners` into [`Listener`]s (`Protocol`,
//! `Port`, `SslPolicy`, `DefaultActions` with their `Type` and `RedirectConfig.Protocol`). When
//! `DescribeListeners` failed, the load balancer's listeners are missing from the scan, which
//! the error diagnostic says.

use deadbolt_model::aws::elb::{Listener, ListenerAction, LoadBalancer};
use deadbolt_model::{Attr, Span, Unknown};
use serde_json::Value;

use super::pages::result_path;
use super::resource::{regional, required};
use super::{Context, Lookup, attr, lookup_in, span_of};
use crate::format::Call;
use crate::json::{boolean, integer, list, text};

/// The load balancer attribute that makes an ALB drop headers with invalid names.
const DROP_INVALID_HEADERS: &str = "routing.http.drop_invalid_header_fields.enabled";

/// Reads every region's load balancers and listeners.
pub(super) fn normalise(cx: &mut Context<'_>) {
    for call in cx.calls.all("elbv2", "DescribeLoadBalancers") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        let balancers = list(result_path(
            response,
            "DescribeLoadBalancersResult",
            &["LoadBalancers"],
        ));
        for balancer in balancers {
            let Some(arn) = required(cx, call, balancer, "LoadBalancerArn") else {
                continue;
            };
            load_balancer(cx, call, balancer, &arn);
            listeners(cx, &call.region, &arn);
        }
    }
}

fn load_balancer(cx: &mut Context<'_>, listed_by: &Call, balancer: &Value, arn: &str) {
    let span = span_of(listed_by);
    let lb_type = match text(balancer.get("Type")) {
        Some(t) => Attr::set(t.to_ascii_lowercase(), span.clone()),
        None => Attr::default("application".to_string(), span.clone()),
    };
    let internal = match text(balancer.get("Scheme")) {
        Some(scheme) => Attr::set(scheme == "internal", span.clone()),
        None => Attr::default(false, span.clone()),
    };
    let attributes = lookup_in(
        cx.calls,
        "elbv2",
        "DescribeLoadBalancerAttributes",
        &listed_by.region,
        &[("LoadBalancerArn", arn)],
        &[],
        &span,
    );
    let drop_invalid_headers = attr(&attributes, false, false, |response| {
        list(result_path(
            response,
            "DescribeLoadBalancerAttributesResult",
            &["Attributes"],
        ))
        .into_iter()
        .find(|a| text(a.get("Key")).as_deref() == Some(DROP_INVALID_HEADERS))
        .and_then(|a| boolean(a.get("Value")))
    });
    if let Lookup::Found(call, response) = &attributes
        && result_path(
            response,
            "DescribeLoadBalancerAttributesResult",
            &["Attributes"],
        )
        .is_none()
    {
        cx.malformed(call, "no Attributes");
    }
    cx.model.push(LoadBalancer {
        meta: regional(
            arn.to_string(),
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            listed_by,
        ),
        lb_type,
        internal,
        drop_invalid_headers,
    });
}

fn listeners(cx: &mut Context<'_>, region: &str, balancer: &str) {
    let pages: Vec<&Call> = cx
        .calls
        .in_region("elbv2", "DescribeListeners", region)
        .filter(|c| c.param("LoadBalancerArn") == Some(balancer))
        .collect();
    for call in pages {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        let span = span_of(call);
        for listener in list(result_path(
            response,
            "DescribeListenersResult",
            &["Listeners"],
        )) {
            let Some(arn) = required(cx, call, listener, "ListenerArn") else {
                continue;
            };
            let protocol = match text(listener.get("Protocol")) {
                Some(p) => Attr::set(p.to_ascii_uppercase(), span.clone()),
                None => {
                    cx.malformed(call, "a listener has no Protocol");
                    Attr::unknown(
                        Unknown::new("elbv2:DescribeListeners gave no Protocol"),
                        span.clone(),
                    )
                }
            };
            let port = match integer(listener.get("Port")) {
                Some(port) => Attr::set(port, span.clone()),
                None => Attr::default(0, span.clone()),
            };
            let ssl_policy = match text(listener.get("SslPolicy")).filter(|p| !p.is_empty()) {
                Some(policy) => Attr::set(Some(policy), span.clone()),
                None => Attr::default(None, span.clone()),
            };
            let default_actions = list(listener.get("DefaultActions"))
                .into_iter()
                .map(|action| action_of(action, &span))
                .collect();
            cx.model.push(Listener {
                meta: regional(arn, "AWS::ElasticLoadBalancingV2::Listener", call),
                protocol,
                port,
                ssl_policy,
                default_actions,
            });
        }
    }
}

fn action_of(action: &Value, span: &Span) -> ListenerAction {
    let action_type = match text(action.get("Type")) {
        Some(t) => Attr::set(t.to_ascii_lowercase(), span.clone()),
        None => Attr::unknown(
            Unknown::new("elbv2:DescribeListeners gave an action without Type"),
            span.clone(),
        ),
    };
    let redirect_protocol = action.get("RedirectConfig").map(|redirect| {
        match text(redirect.get("Protocol")).filter(|p| !p.is_empty()) {
            Some(p) => Attr::set(p, span.clone()),
            None => Attr::default("#{protocol}".to_string(), span.clone()),
        }
    });
    ListenerAction {
        action_type,
        redirect_protocol,
    }
}
