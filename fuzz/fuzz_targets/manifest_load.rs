//! Fuzzes the YAML and JSON reader, CloudFormation's intrinsic evaluator and mapping, and the
//! Kubernetes mapping, then runs every rule over the result: nothing may panic, overflow the stack,
//! loop, or allocate without bound (alias bombs, deep nesting).
//!
//! The first byte picks the file name, so one corpus exercises both the YAML and the strict JSON
//! path. Run on stable, from the repository root:
//! `bash fuzz/seed.sh && cargo fuzz run manifest_load --sanitizer none -- -max_total_time=300`
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let name = if first % 2 == 0 { "fuzz.yaml" } else { "fuzz.json" };
    let text = String::from_utf8_lossy(rest);
    let loaded = deadbolt_sources::load_str(name, &text);
    let rules = deadbolt_rules::registry::all();
    let _ = deadbolt_rules::evaluate(&loaded.model, rules, &deadbolt_rules::Selection::default(), &deadbolt_rules::registry::ids());
});
