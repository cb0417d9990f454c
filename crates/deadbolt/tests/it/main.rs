//! deadbolt's integration tests: one binary, one build, many modules.

mod rule_fixtures;
