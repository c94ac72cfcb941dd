#![no_main]
//! Fuzz target `normalize`: see `fuzz/checks.rs` for what it checks.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::run("normalize", data));
