//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The fields of a record that `CONTRACT.md` fixes.
pub const CONTRACT_KEYS: [&str; 12] = [
    "source",
    "encoding",
    "script",
    "truncated",
    "text",
    "removed",
    "repairs",
    "spin",
    "speeches",
    "elements",
    "missing_elements",
    "error",
];

/// The crate's root directory.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `*.txt` files of `corpus/<sub>` whose file name `pick` accepts, sorted.
pub fn corpus_txt(sub: &str, pick: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(sub);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter(|p| p.file_name().is_some_and(|n| pick(&n.to_string_lossy())))
        .collect();
    v.sort();
    v
}

/// Every `*.txt` file of `corpus/<sub>`, sorted.
pub fn all_txt(sub: &str) -> Vec<PathBuf> {
    corpus_txt(sub, |_| true)
}
