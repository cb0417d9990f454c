//! The rules, by provider.

pub(crate) mod aws;
pub(crate) mod secrets;
