//! Amazon API Gateway rules.

use crate::rule::Rule;

mod access_logging;
mod method_no_auth;
mod no_tracing;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &access_logging::AccessLoggingDisabled,
    &no_tracing::NoTracing,
    &method_no_auth::MethodNoAuth,
];
