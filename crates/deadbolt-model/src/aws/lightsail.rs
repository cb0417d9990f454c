//! Amazon Lightsail: lightweight virtual servers whose firewall is the instance's public ports.

use serde::Serialize;

use crate::attr::Attr;
use crate::aws::ec2::FirewallRule;
use crate::resource::ResourceMeta;

/// A Lightsail instance with its public port rules.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Instance {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// The instance name, by which a separate public ports resource may refer to it.
    pub name: Attr<String>,
    /// The blueprint (`wordpress`, `ubuntu_22_04`, ...).
    pub blueprint: Attr<String>,
    /// Open ports. With no public ports declared, Lightsail opens TCP 22 (SSH;
    /// TCP 3389, RDP, for Windows blueprints) and TCP 80 (HTTP) to every IPv4 address
    /// (`0.0.0.0/0`) by default; sources record those two default rules with `explicit == false`
    /// on their attributes, at the instance's span. Declaring public ports replaces the whole
    /// default set.
    pub ports: Vec<FirewallRule>,
}
