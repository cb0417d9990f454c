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
    /// The blueprint (`wordpress`, `ubuntu_22_04`, ...).
    pub blueprint: Attr<String>,
    /// Open ports. With no `aws_lightsail_instance_public_ports`, Lightsail opens 22 and 80 to
    /// everyone by default; the source records that default with `explicit == false`.
    pub ports: Vec<FirewallRule>,
}
