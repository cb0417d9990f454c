//! Amazon CloudFront rules.

use crate::rule::Rule;

mod allows_http;
mod no_logging;
mod no_waf;
mod old_tls;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &allows_http::AllowsHttp,
    &old_tls::OldTls,
    &no_waf::NoWaf,
    &no_logging::NoLogging,
];
