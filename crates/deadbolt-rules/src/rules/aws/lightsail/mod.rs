//! Amazon Lightsail rules.

use deadbolt_model::Model;
use deadbolt_model::aws::ec2::FirewallRule;
use deadbolt_model::aws::lightsail::Instance;

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
        super::judge_world_rules(
            checks,
            &instance.meta,
            instance.ports.iter(),
            &matches,
            |port| {
                let default = if port.protocol.explicit {
                    ""
                } else {
                    " (Lightsail's default firewall: no public ports are declared)"
                };
                format!(
                    "port rule allows {} from {}{default}",
                    what(port),
                    port.world_cidrs().join(", ")
                )
            },
        );
    }
}
