//! The rules, by provider.

pub(crate) mod aws;
