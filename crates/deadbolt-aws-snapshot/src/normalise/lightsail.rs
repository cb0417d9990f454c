//! Lightsail instances and their public ports.
//!
//! Reads every page of `lightsail:GetInstances` of every region into [`Instance`]s (`name`,
//! `blueprintId`) and, per instance (parameter `instanceName`, in its region),
//! `GetInstancePortStates`: one ingress [`FirewallRule`] per port range whose `state` is `open`
//! (`protocol`, `all` being `-1`; `fromPort`, `toPort`, `cidrs`, `ipv6Cidrs`; `cidrListAliases`
//! as other peers). When that call failed, the instance's `networking.ports` from the listing
//! give the rules instead; when neither is there, one rule with unknown sources keeps the
//! instance not evaluated rather than passed.

use deadbolt_model::aws::ec2::{Direction, FirewallRule};
use deadbolt_model::aws::lightsail::Instance;
use deadbolt_model::{Attr, ResourceMeta, Span, Unknown};
use serde_json::Value;

use super::resource::{regional, required};
use super::{Context, Lookup, lookup_in, span_of};
use crate::json::{integer, list, path, text};

/// Reads every region's instances.
pub(super) fn normalise(cx: &mut Context<'_>) {
    for call in cx.calls.all("lightsail", "GetInstances") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        for instance in list(response.get("instances")) {
            let Some(name) = required(cx, call, instance, "name") else {
                continue;
            };
            let span = span_of(call);
            let arn = text(instance.get("arn"))
                .unwrap_or_else(|| cx.arn("lightsail", &call.region, &format!("Instance/{name}")));
            let meta = regional(arn, "AWS::Lightsail::Instance", call);
            let blueprint = match text(instance.get("blueprintId")) {
                Some(b) => Attr::set(b, span.clone()),
                None => Attr::default(String::new(), span.clone()),
            };
            let states = lookup_in(
                cx.calls,
                "lightsail",
                "GetInstancePortStates",
                &call.region,
                &[("instanceName", &name)],
                &[],
                &span,
            );
            let listed_ports = path(instance, &["networking", "ports"]);
            let ports = match (&states, listed_ports) {
                (Lookup::Found(by, response), _) => {
                    let at = span_of(by);
                    list(response.get("portStates"))
                        .into_iter()
                        .filter(|p| {
                            text(p.get("state")).is_none_or(|s| s.eq_ignore_ascii_case("open"))
                        })
                        .map(|p| rule(&meta, p, &at))
                        .collect()
                }
                (_, Some(ports)) => list(Some(ports))
                    .into_iter()
                    .filter(|p| {
                        text(p.get("accessDirection"))
                            .is_none_or(|d| d.eq_ignore_ascii_case("inbound"))
                    })
                    .map(|p| rule(&meta, p, &span))
                    .collect(),
                (Lookup::Unknown(reason, at), None) => vec![unknown_rule(&meta, reason, at)],
                (Lookup::None(by), None) => vec![unknown_rule(
                    &meta,
                    &Unknown::new("lightsail:GetInstancePortStates gave no port states"),
                    &span_of(by),
                )],
            };
            cx.model.push(Instance {
                meta: meta.clone(),
                name: Attr::set(name, span.clone()),
                blueprint,
                ports,
            });
        }
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    list(value)
        .into_iter()
        .filter_map(|v| text(Some(v)))
        .collect()
}

/// One open port range (`portStates` entry or `networking.ports` entry) as an ingress rule.
fn rule(origin: &ResourceMeta, port: &Value, at: &Span) -> FirewallRule {
    let protocol = match text(port.get("protocol")) {
        Some(p) if p.eq_ignore_ascii_case("all") => Attr::set("-1".to_string(), at.clone()),
        Some(p) => Attr::set(p.to_ascii_lowercase(), at.clone()),
        None => Attr::unknown(Unknown::new("a Lightsail port has no protocol"), at.clone()),
    };
    let port_of = |name: &str| match integer(port.get(name)) {
        Some(p) => Attr::set(p, at.clone()),
        None => Attr::unknown(
            Unknown::new(format!("a Lightsail port has no {name}")),
            at.clone(),
        ),
    };
    FirewallRule {
        origin: origin.clone(),
        direction: Direction::Ingress,
        protocol,
        from_port: port_of("fromPort"),
        to_port: port_of("toPort"),
        ipv4_cidrs: Attr::set(strings(port.get("cidrs")), at.clone()),
        ipv6_cidrs: Attr::set(strings(port.get("ipv6Cidrs")), at.clone()),
        cidrs_incomplete: None,
        has_other_peers: !list(port.get("cidrListAliases")).is_empty(),
        description: Attr::default(String::new(), at.clone()),
        action: Attr::default("allow".to_string(), at.clone()),
        rule_number: None,
        span: at.clone(),
    }
}

/// A rule standing for ports that could not be read.
fn unknown_rule(origin: &ResourceMeta, reason: &Unknown, at: &Span) -> FirewallRule {
    let unknown = || Attr::unknown(reason.clone(), at.clone());
    FirewallRule {
        origin: origin.clone(),
        direction: Direction::Ingress,
        protocol: unknown(),
        from_port: Attr::unknown(reason.clone(), at.clone()),
        to_port: Attr::unknown(reason.clone(), at.clone()),
        ipv4_cidrs: Attr::unknown(reason.clone(), at.clone()),
        ipv6_cidrs: Attr::unknown(reason.clone(), at.clone()),
        cidrs_incomplete: None,
        has_other_peers: false,
        description: Attr::default(String::new(), at.clone()),
        action: Attr::default("allow".to_string(), at.clone()),
        rule_number: None,
        span: at.clone(),
    }
}
