//! The rules, by provider.

pub(crate) mod aws;
pub(crate) mod k8s;
pub(crate) mod secrets;
