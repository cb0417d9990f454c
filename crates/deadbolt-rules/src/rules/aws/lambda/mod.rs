//! AWS Lambda rules.

use crate::rule::Rule;

mod env_secrets;
mod no_tracing;
mod permission_any_principal;
mod url_auth_none;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &url_auth_none::UrlAuthNone,
    &env_secrets::EnvSecrets,
    &no_tracing::NoTracing,
    &permission_any_principal::PermissionAnyPrincipal,
];
