//! Replays the inputs that fuzzing found (crashes, broken invariants, slow inputs),
//! kept in `tests/fuzz/<target>/`, through the same checks the fuzz targets run
//! (`tests/support/checks.rs`). Every target also replays the corpus seeds, so the
//! replay itself is exercised even while the regression folders are empty.

#[path = "support/checks.rs"]
mod checks;

use std::path::Path;

#[test]
fn fuzz_regressions_replay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs: Vec<(String, std::path::PathBuf)> = Vec::new();
    // JIANGHUA_FUZZ_REPLAY=TARGET:DIR replays a directory of fresh fuzzer findings.
    if let Some((target, dir)) =
        std::env::var("JIANGHUA_FUZZ_REPLAY").ok().as_deref().and_then(|v| v.split_once(':'))
    {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            inputs.push((target.to_string(), e.path()));
        }
    }
    for target in checks::TARGETS {
        let dir = root.join("tests/fuzz").join(target);
        if let Ok(rd) = std::fs::read_dir(&dir) {
            for e in rd.flatten() {
                inputs.push((target.to_string(), e.path()));
            }
        }
        for e in std::fs::read_dir(root.join("corpus/raw")).unwrap().flatten() {
            inputs.push((target.to_string(), e.path()));
        }
    }
    inputs.sort();
    let mut failures = Vec::new();
    for (target, path) in &inputs {
        let data = std::fs::read(path).unwrap();
        let outcome = std::panic::catch_unwind(|| checks::run(target, &data));
        if outcome.is_err() {
            failures.push(format!("{target}: {}", path.display()));
        }
    }
    assert!(failures.is_empty(), "fuzz inputs that fail:\n{}", failures.join("\n"));
    assert!(inputs.len() >= checks::TARGETS.len() * 5);
}

#[test]
fn every_fuzz_target_has_a_file_and_a_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for target in checks::TARGETS {
        let file = root.join("fuzz/fuzz_targets").join(format!("{target}.rs"));
        let src = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{target}: {e}"));
        assert!(src.contains(&format!("checks::run(\"{target}\"")), "{target}");
    }
}
