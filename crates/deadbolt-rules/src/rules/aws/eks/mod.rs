//! Amazon EKS rules.

use crate::rule::Rule;

mod control_plane_logs;
mod open_to_world;
mod public_endpoint;
mod secrets_encryption;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &public_endpoint::PublicEndpoint,
    &open_to_world::PublicEndpointOpenToWorld,
    &secrets_encryption::NoSecretsEncryption,
    &control_plane_logs::NoControlPlaneLogs,
];
