#![no_main]
//! Fuzz target `analyze_idempotent`: see `tests/support/checks.rs` for what it checks.

#[path = "../../tests/support/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::run("analyze_idempotent", data));
