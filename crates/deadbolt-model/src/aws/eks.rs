//! Amazon Elastic Kubernetes Service (the customer's half of the control plane settings).

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// An EKS cluster.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cluster {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// The API server endpoint is reachable from the internet (default `true`).
    pub endpoint_public_access: Attr<bool>,
    /// CIDRs allowed to reach the public endpoint (default `["0.0.0.0/0"]`).
    pub public_access_cidrs: Attr<Vec<String>>,
    /// Kubernetes secrets envelope-encrypted with a KMS key (default `false`).
    pub secrets_encryption: Attr<bool>,
    /// Enabled control-plane log types (`api`, `audit`, `authenticator`, `controllerManager`,
    /// `scheduler`); empty by default.
    pub control_plane_logs: Attr<Vec<String>>,
}
