//! Amazon Lightsail rules.

use deadbolt_model::aws::ec2::FirewallRule;
use deadbolt_model::aws::lightsail::Instance;
use deadbolt_model::{Model, Unknown};

use crate::checks::Checks;
use crate::rule::Rule;

mod admin_ports_world;
mod all_ports_world;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &admin_ports_world::LightsailAdminPortsWorld,
    &all_ports_world::LightsailAllPortsWorld,
];

/// Judges every Lightsail instance's open ports: a port rule open to the world that `matches`
/// fails (evidence from `what`); Lightsail's implicit default rules say so in the message.
fn judge_world_ports<'m>(
    model: &'m Model,
    checks: &mut Checks<'m>,
    matches: impl Fn(&FirewallRule) -> Option<bool>,
    what: impl Fn(&FirewallRule) -> String,
) {
    for instance in model.all::<Instance>() {
        let mut failed = false;
        let mut unknown: Option<&Unknown> = None;
        for port in &instance.ports {
            match (port.open_to_world(), matches(port)) {
                (Some(true), Some(true)) => {
                    let default = if port.protocol.explicit {
                        ""
                    } else {
                        " (Lightsail's default firewall: no public ports are declared)"
                    };
                    checks.fail(
                        &port.origin,
                        &port.span,
                        format!(
                            "port rule allows {} from {}{default}",
                            what(port),
                            port.world_cidrs().join(", ")
                        ),
                    );
                    failed = true;
                }
                (Some(false), _) | (_, Some(false)) => {}
                _ => {
                    unknown = unknown.or_else(|| {
                        port.ipv4_cidrs
                            .unknown_reason()
                            .or(port.ipv6_cidrs.unknown_reason())
                            .or(port.protocol.unknown_reason())
                            .or(port.from_port.unknown_reason())
                            .or(port.to_port.unknown_reason())
                    });
                }
            }
        }
        if failed {
            continue;
        }
        match unknown {
            Some(reason) => checks.not_evaluated(&instance.meta, reason),
            None => checks.pass(&instance.meta),
        }
    }
}
