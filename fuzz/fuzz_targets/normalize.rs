#![no_main]
//! Fuzz target `normalize`: see `tests/support/checks.rs` for what it checks.

#[path = "../../tests/support/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::run("normalize", data));
