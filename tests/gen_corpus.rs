//! The benchmark-corpus generator `examples/gen_corpus.rs`, run through `cargo run` on 1 MB
//! (1 MB = 1,000,000 bytes, as in the generator): same seed → same bytes, another seed →
//! other bytes, the size, the manifest's counts, and the directory mode.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TARGET: u64 = 1_000_000;

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jianghua-gen-corpus-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn gen(args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["run", "--quiet", "--manifest-path"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"));
    if !cfg!(debug_assertions) {
        // Reuse the artifacts of a `cargo test --release`.
        cmd.arg("--release");
    }
    cmd.args(["--example", "gen_corpus", "--"]).args(args).output().expect("cargo runs")
}

fn gen_ok(args: &[&str]) {
    let out = gen(args);
    assert!(
        out.status.success(),
        "gen_corpus {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn manifest(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("manifest {} is missing: {e}", path.display()));
    serde_json::from_str(&text).expect("the manifest is JSON")
}

fn count(m: &serde_json::Value, key: &str) -> u64 {
    m[key].as_u64().unwrap_or_else(|| panic!("manifest has no count {key}: {m}"))
}

fn within_one_per_cent(bytes: u64) -> bool {
    bytes.abs_diff(TARGET) <= TARGET / 100
}

#[test]
fn single_file_is_deterministic_sized_and_damaged() {
    let dir = tempdir("file");
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    gen_ok(&["--mb", "1", "--seed", "7", "--out", &path("a.txt")]);
    gen_ok(&["--mb", "1", "--seed", "7", "--out", &path("b.txt")]);
    gen_ok(&["--mb", "1", "--seed", "8", "--out", &path("c.txt")]);
    let a = std::fs::read(dir.join("a.txt")).unwrap();
    let b = std::fs::read(dir.join("b.txt")).unwrap();
    let c = std::fs::read(dir.join("c.txt")).unwrap();
    assert!(a == b, "same seed, different bytes");
    assert!(a != c, "seeds 7 and 8 gave the same bytes");
    assert!(within_one_per_cent(a.len() as u64), "{} bytes for 1 MB", a.len());
    assert!(within_one_per_cent(c.len() as u64), "{} bytes for 1 MB", c.len());

    let m = manifest(&dir.join("a.txt.manifest.json"));
    assert_eq!(count(&m, "bytes"), a.len() as u64);
    for key in [
        "documents",
        "traditional_docs",
        "pinyin_annotations",
        "page_markers",
        "spun_collocations",
        "wrapped_docs",
    ] {
        assert!(count(&m, key) > 0, "{key} is 0 in {m}");
    }
    // A single file never holds legacy-encoded documents, so it is UTF-8 throughout.
    assert_eq!(count(&m, "gb18030_docs") + count(&m, "big5_docs"), 0);
    let text = String::from_utf8(a).expect("the single file is UTF-8");
    assert!(text.contains("(") && text.contains("、"));
    let mb = manifest(&dir.join("b.txt.manifest.json"));
    assert_eq!(m["output_fnv1a64"], mb["output_fnv1a64"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn directory_mode_writes_the_files_asked_for() {
    let dir = tempdir("dir");
    let out = dir.join("corpus");
    gen_ok(&["--mb", "1", "--seed", "7", "--files", "20", "--dir", out.to_str().unwrap()]);
    let mut files = Vec::new();
    let mut stack = vec![out.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "txt") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert_eq!(files.len(), 20, "{files:?}");
    assert!(files[0].ends_with("00000.txt") && files[19].ends_with("00019.txt"), "{files:?}");
    let total: u64 = files.iter().map(|f| std::fs::metadata(f).unwrap().len()).sum();
    assert!(files.iter().all(|f| std::fs::metadata(f).unwrap().len() > 0), "an empty file");
    assert!(within_one_per_cent(total), "{total} bytes for 1 MB");
    let m = manifest(&out.join("manifest.json"));
    assert_eq!(count(&m, "files"), 20);
    assert_eq!(count(&m, "bytes"), total);
    assert!(count(&m, "documents") >= 20);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_arguments_exit_with_2() {
    for args in [&["--mb", "0", "--out", "x"][..], &["--mb", "1"], &["--mb", "1", "--bogus"]] {
        let out = gen(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
