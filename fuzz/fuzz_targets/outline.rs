#![no_main]
//! Fuzz target `outline`: see `tests/support/checks.rs` for what it checks.

#[path = "../../tests/support/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::run("outline", data));
