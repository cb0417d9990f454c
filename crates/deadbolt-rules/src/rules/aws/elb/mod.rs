//! Elastic Load Balancing (v2) rules.

use crate::rule::Rule;

mod drop_invalid_headers;
mod http_no_redirect;
mod outdated_tls_policy;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &http_no_redirect::HttpListenerNoRedirect,
    &outdated_tls_policy::OutdatedTlsPolicy,
    &drop_invalid_headers::NoDropInvalidHeaders,
];
