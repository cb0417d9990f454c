//! Fuzzes the HCL loader, the evaluator and the mapping into the model, then runs every rule over
//! the result: nothing may panic, overflow the stack, or loop.
//!
//! Run on stable: `cargo fuzz run terraform_load fuzz/corpus/terraform_load fuzz/seeds/terraform_load --sanitizer none -- -max_total_time=60`
//! (committed seeds in `fuzz/seeds/terraform_load/`; the working corpus is not committed).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let loaded = deadbolt_terraform::load_str("fuzz.tf", &text);
    let rules = deadbolt_rules::registry::all();
    let _ = deadbolt_rules::evaluate(&loaded.model, rules, &deadbolt_rules::Selection::default(), &deadbolt_rules::registry::ids());
});
