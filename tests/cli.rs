//! The command-line tool, run as a user would: records, order, errors, exit codes.

use std::path::{Path, PathBuf};

mod common;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_jianghua"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).current_dir(root()).output().expect("jianghua runs")
}

fn records(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON record"))
        .collect()
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jianghua-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn analyze_corpus_prints_five_contract_records_in_order() {
    let out = run(&["analyze", "corpus/raw"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let recs = records(&out);
    assert_eq!(recs.len(), 5);
    let sources: Vec<&str> = recs.iter().map(|r| r["source"].as_str().unwrap()).collect();
    let mut sorted = sources.clone();
    sorted.sort();
    assert_eq!(sources, sorted, "directory files in sorted path order");
    for r in &recs {
        for k in common::CONTRACT_KEYS {
            assert!(r.get(k).is_some(), "record lacks `{k}`");
        }
        assert!(r["error"].is_null());
        assert!(r["spin"]["score"].is_number() && r["spin"]["spun"].is_boolean());
    }
}

#[test]
fn jobs_do_not_change_output() {
    let one = run(&["analyze", "-j", "1", "corpus/raw"]);
    let two = run(&["analyze", "--jobs", "2", "corpus/raw"]);
    assert!(one.status.success() && two.status.success());
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn json_format_is_one_array() {
    let out = run(&["analyze", "--format", "json", "corpus/raw/004_f38ebfc32fe57fac.txt"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(v.as_array().map(|a| a.len()), Some(1));
}

#[test]
fn unreadable_inputs_give_error_records_and_exit_1() {
    let dir = tempdir("errors");
    let png = dir.join("image.txt");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let missing = dir.join("missing.txt");
    let good = root().join("corpus/raw/004_f38ebfc32fe57fac.txt");
    let out = bin().args(["analyze"]).arg(&missing).arg(&png).arg(&good).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&out);
    assert_eq!(recs.len(), 3, "nothing dropped");
    let err0 = recs[0]["error"].as_str().unwrap();
    assert!(err0.contains("missing.txt"), "{err0}");
    let err1 = recs[1]["error"].as_str().unwrap();
    assert!(err1.contains("image.txt") && err1.contains("PNG"), "{err1}");
    assert!(recs[2]["error"].is_null());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.lines().any(|l| l.contains("missing.txt")), "{stderr}");
}

/// A regular file whose read fails, even for root (the test machines run as root, so
/// permission bits cannot make one): `/proc/self/mem` answers a plain read with EIO.
#[cfg(target_os = "linux")]
#[test]
fn a_file_that_fails_to_read_gets_an_error_record() {
    let good = root().join("corpus/raw/004_f38ebfc32fe57fac.txt");
    let out = bin().args(["analyze", "/proc/self/mem"]).arg(&good).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&out);
    assert_eq!(recs.len(), 2, "nothing dropped");
    let err = recs[0]["error"].as_str().unwrap();
    assert!(err.starts_with("/proc/self/mem: "), "{err}");
    assert!(recs[1]["error"].is_null());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().filter(|l| l.contains("/proc/self/mem")).count(), 1, "{stderr}");
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(run(&["analyze"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&["analyze", "--format", "xml", "corpus/raw"]).status.code(), Some(2));
    assert_eq!(run(&["analyze", "-j", "0", "corpus/raw"]).status.code(), Some(2));
}

#[test]
fn stdin_is_an_input() {
    use std::io::Write;
    let mut child = bin()
        .args(["analyze", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all("紀(jì)委書記:同志們好".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let recs = records(&out);
    assert_eq!(recs[0]["source"], "-");
    assert_eq!(recs[0]["text"], "纪委书记：同志们好");
}

#[test]
fn clean_writes_one_text_per_input() {
    let dir = tempdir("clean");
    let out =
        bin().args(["clean", "-o"]).arg(&dir).arg(root().join("corpus/raw")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 5);
    let t = std::fs::read_to_string(Path::new(&dir).join("003_a3b9d7c39b3435a2.txt")).unwrap();
    assert!(t.contains("贯彻群众路线"));
    assert!(!t.contains('羣'));
}

#[test]
fn clean_to_stdout_marks_where_each_text_starts() {
    let dir = tempdir("clean_stdout");
    std::fs::write(dir.join("a.txt"), "紀(jì)委書記").unwrap();
    std::fs::write(dir.join("b.txt"), "同志們:").unwrap();
    let out = bin().arg("clean").arg(dir.join("a.txt")).arg(dir.join("b.txt")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let a = dir.join("a.txt").display().to_string();
    let b = dir.join("b.txt").display().to_string();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("==> {a} <==\n纪委书记\n==> {b} <==\n同志们：\n")
    );
    // One input: the text alone.
    let out = bin().arg("clean").arg(dir.join("a.txt")).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "纪委书记\n");
}

#[test]
fn directory_symlink_loop_is_cut() {
    let dir = tempdir("loop");
    std::fs::write(dir.join("a.txt"), "同志们：").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&dir, dir.join("again")).unwrap();
    let out = bin().arg("analyze").arg(&dir).output().unwrap();
    assert!(out.status.success());
    assert_eq!(records(&out).len(), 1);
}

#[test]
fn repeated_lines_across_a_batch_are_furniture() {
    let dir = tempdir("batch");
    for (i, topic) in ["防汛", "安全生产", "招商引资"].iter().enumerate() {
        let doc = format!(
            "在全县{topic}工作会议上的讲话\n同志们：\n今天召开全县{topic}工作会议，主要任务是总结工作、部署任务。\n\
             笔耕文苑出品 每日精选\n\
             一、提高认识，压实责任。各单位要把{topic}工作摆上重要位置，主要负责同志要亲自抓。\n\
             二、突出重点，狠抓落实。要聚焦关键环节，细化工作措施，确保各项任务落到实处。\n谢谢大家！\n"
        );
        std::fs::write(dir.join(format!("{i}.txt")), doc).unwrap();
    }
    let plain = bin().arg("analyze").arg(&dir).output().unwrap();
    for r in records(&plain) {
        assert!(
            r["text"].as_str().unwrap().contains("笔耕文苑出品"),
            "one document alone keeps it"
        );
    }
    let batch = bin().args(["analyze", "--repeated-lines", "3"]).arg(&dir).output().unwrap();
    assert!(batch.status.success());
    for r in records(&batch) {
        let text = r["text"].as_str().unwrap();
        assert!(!text.contains("笔耕文苑出品"), "{text}");
        assert!(text.contains("一、提高认识，压实责任。"));
        let rules: Vec<&str> =
            r["removed"].as_array().unwrap().iter().map(|x| x["rule"].as_str().unwrap()).collect();
        assert!(rules.contains(&"batch.repeated_line"), "{rules:?}");
    }
}

#[test]
fn profiles_report_missing_elements() {
    let out = run(&[
        "analyze",
        "--no-keywords",
        "--profile",
        "xuncha_dongyuan",
        "corpus/raw/004_f38ebfc32fe57fac.txt",
    ]);
    assert!(out.status.success());
    let recs = records(&out);
    assert_eq!(
        recs[0]["missing_elements"],
        serde_json::json!([]),
        "004 has 两个维护, 四个意识, 六个围绕"
    );
    let out = run(&[
        "analyze",
        "--no-keywords",
        "--profile",
        "xuncha_zhenggai",
        "corpus/raw/003_a3b9d7c39b3435a2.txt",
    ]);
    let recs = records(&out);
    assert_eq!(
        recs[0]["missing_elements"],
        serde_json::json!(["三张清单", "两个维护", "一岗双责"])
    );
    // A profile file of one's own.
    let dir = tempdir("profile");
    let file = dir.join("mine.toml");
    std::fs::write(
        &file,
        "name = \"mine\"\n[[require]]\nname = \"三张清单\"\n[[require]]\nname = \"四风\"\nalternatives = [\"八项规定\"]\n",
    )
    .unwrap();
    let out = bin()
        .args(["analyze", "--no-keywords", "--profile"])
        .arg(&file)
        .arg(root().join("corpus/raw/002_36fcfd2bf84b17bc.txt"))
        .output()
        .unwrap();
    let recs = records(&out);
    assert_eq!(recs[0]["missing_elements"], serde_json::json!(["四风"]));
    // An unknown profile is a usage error.
    assert_eq!(
        run(&["analyze", "--profile", "no_such_profile", "corpus/raw"]).status.code(),
        Some(2)
    );
}

#[test]
fn user_lexicon_extends_the_builtin_one() {
    let dir = tempdir("lexicon");
    let lex = dir.join("local.toml");
    std::fs::write(
        &lex,
        "[[formula]]\nname = \"三个柞水\"\nmembers = [\"生态柞水\", \"文化柞水\", \"幸福柞水\"]\n",
    )
    .unwrap();
    let out = bin()
        .args(["analyze", "--no-keywords", "--lexicon"])
        .arg(&lex)
        .arg(root().join("corpus/raw/001_af57640b325e6b46.txt"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let recs = records(&out);
    let e = recs[0]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "三个柞水")
        .cloned()
        .unwrap();
    assert_eq!(e["members_from"], "lexicon");
    assert_eq!(e["members"], serde_json::json!(["生态柞水", "文化柞水", "幸福柞水"]));
    std::fs::write(&lex, "not toml [").unwrap();
    let out = bin()
        .args(["analyze", "--lexicon"])
        .arg(&lex)
        .arg(root().join("corpus/raw"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("local.toml"));
}

fn sources_of(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("whole JSON lines")["source"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn resume_after_a_torn_record() {
    let dir = tempdir("resume");
    let out = dir.join("out.jsonl");
    let corpus = root().join("corpus/raw");
    assert!(bin()
        .args(["analyze", "--no-keywords", "-o"])
        .arg(&out)
        .arg(&corpus)
        .status()
        .unwrap()
        .success());
    let full = std::fs::read_to_string(&out).unwrap();
    // Keep two whole records and half of the third, as a killed run would.
    let cut: usize = full.lines().take(2).map(|l| l.len() + 1).sum::<usize>() + 40;
    std::fs::write(&out, &full.as_bytes()[..cut]).unwrap();
    let status = bin()
        .args(["analyze", "--no-keywords", "--resume", "-o"])
        .arg(&out)
        .arg(&corpus)
        .status()
        .unwrap();
    assert!(status.success());
    let mut got = sources_of(&out);
    assert_eq!(got.len(), 5, "each source once");
    got.sort();
    got.dedup();
    assert_eq!(got.len(), 5);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        full,
        "the same records as an uninterrupted run"
    );
}

#[test]
fn resume_after_a_killed_run() {
    let dir = tempdir("killed");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let seed = std::fs::read_to_string(root().join("corpus/raw/003_a3b9d7c39b3435a2.txt")).unwrap();
    for i in 0..400 {
        std::fs::write(input.join(format!("{i:04}.txt")), &seed).unwrap();
    }
    let out = dir.join("out.jsonl");
    let mut child = bin()
        .args(["analyze", "--no-keywords", "-j", "1", "-o"])
        .arg(&out)
        .arg(&input)
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let _ = child.kill();
    let _ = child.wait();
    let status = bin()
        .args(["analyze", "--no-keywords", "--resume", "-o"])
        .arg(&out)
        .arg(&input)
        .status()
        .unwrap();
    assert!(status.success());
    let got = sources_of(&out);
    assert_eq!(got.len(), 400, "every source recorded once");
    let mut uniq = got.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), 400);
}

#[cfg(unix)]
#[test]
fn fifos_and_unwritable_outputs() {
    let dir = tempdir("fifo");
    let fifo = dir.join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
    if made {
        // A FIFO named on the command line or met in a directory: an error record, no hang.
        let out = bin().args(["analyze"]).arg(&fifo).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let recs = records(&out);
        assert!(recs[0]["error"].as_str().unwrap().contains("not a regular file"));
        let out = bin().args(["analyze"]).arg(&dir).output().unwrap();
        assert_eq!(records(&out).len(), 1);
    }
    // An output that cannot be created: a one-line usage error naming it, exit 2.
    let blocker = dir.join("file");
    std::fs::write(&blocker, "x").unwrap();
    let out = bin()
        .args(["analyze", "-o"])
        .arg(blocker.join("out.jsonl"))
        .arg(root().join("corpus/raw"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("out.jsonl"));
    let out = bin()
        .args(["clean", "-o"])
        .arg(blocker.join("dir"))
        .arg(root().join("corpus/raw"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn records_keep_input_order_across_batches_and_workers() {
    // More files than one batch holds (16 per worker), big and small mixed so that
    // they finish out of order; each batch is written while the next is analyzed.
    let dir = tempdir("order");
    let big = std::fs::read_to_string(root().join("corpus/raw/001_af57640b325e6b46.txt")).unwrap();
    for i in 0..90 {
        let text = if i % 3 == 0 { big.clone() } else { format!("同志们：第{i}份。") };
        std::fs::write(dir.join(format!("{i:03}.txt")), text).unwrap();
    }
    for format in ["jsonl", "json"] {
        let out = bin()
            .args(["analyze", "--no-keywords", "-j", "2", "--format", format])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success());
        let records: Vec<serde_json::Value> = if format == "json" {
            serde_json::from_slice(&out.stdout).expect("one JSON array")
        } else {
            records(&out)
        };
        let names: Vec<String> = records
            .iter()
            .map(|r| {
                let s = r["source"].as_str().unwrap();
                Path::new(s).file_name().unwrap().to_string_lossy().into_owned()
            })
            .collect();
        let want: Vec<String> = (0..90).map(|i| format!("{i:03}.txt")).collect();
        assert_eq!(names, want, "{format}");
    }
    let clean = bin().args(["clean", "-j", "2"]).arg(&dir).output().unwrap();
    let headers: Vec<&str> = std::str::from_utf8(&clean.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("==> "))
        .collect();
    assert_eq!(headers.len(), 90);
    assert!(headers.windows(2).all(|w| w[0] < w[1]), "clean keeps the order too");
}
