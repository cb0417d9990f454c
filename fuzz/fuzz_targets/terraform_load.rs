//! Fuzzes the HCL loader, the evaluator and the mapping into the model, then runs every rule over
//! the result: nothing may panic, overflow the stack, or loop.
//!
//! Run on stable, from the repository root:
//! `bash fuzz/seed.sh && cargo fuzz run terraform_load --sanitizer none -- -max_total_time=300`
//! (the seeds are the bundled example and every rule fixture).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let loaded = deadbolt_terraform::load_str("fuzz.tf", &text);
    let rules = deadbolt_rules::registry::all();
    let _ = deadbolt_rules::evaluate(&loaded.model, rules, &deadbolt_rules::Selection::default(), &deadbolt_rules::registry::ids());
});
