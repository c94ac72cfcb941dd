//! Boilerplate on sites the rules were not written for: the documents of
//! `corpus/sites/` (original texts wrapped in imitations of other sites' pages), each
//! with hand-written expectations in its `.toml`:
//! - `keep`: Simplified strings that must survive in `text` (never lose the speech);
//! - `remove`: strings of the raw file that must be removed (their input span covered
//!   by `removed` spans or `page_join` repairs);
//! - `joined`: strings cut by a page break that must read continuously;
//! - `truncated`, `speeches`, `titles`.
//!
//! Every failure is printed; the test fails on any.

mod common;

use jianghua::{Analyzer, RepairKind};
use serde::Deserialize;

#[derive(Deserialize)]
struct Expect {
    truncated: bool,
    speeches: usize,
    titles: Vec<String>,
    keep: Vec<String>,
    remove: Vec<String>,
    #[serde(default)]
    joined: Vec<String>,
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn site_documents_are_cleaned_as_expected() {
    let analyzer = Analyzer::new();
    let mut failures = Vec::new();
    let mut removed_ok = 0;
    let mut removed_total = 0;
    let files = common::all_txt("sites");
    assert!(files.len() >= 15, "at least 15 site documents");
    for path in &files {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let input = std::fs::read_to_string(path).unwrap();
        let exp: Expect =
            toml::from_str(&std::fs::read_to_string(path.with_extension("toml")).unwrap())
                .unwrap_or_else(|e| panic!("{name}.toml: {e}"));
        let r = analyzer.analyze(&input);
        let mut fail = |m: String| failures.push(format!("{name}: {m}"));
        for k in &exp.keep {
            if !r.text.contains(k.as_str()) {
                fail(format!("lost speech text {k:?}"));
            }
        }
        let covered = |start: usize, end: usize| {
            r.removed
                .iter()
                .map(|x| (x.start, x.end))
                .chain(
                    r.repairs
                        .iter()
                        .filter(|x| x.kind == RepairKind::PageJoin)
                        .map(|x| (x.start, x.end)),
                )
                .filter(|&(s, e)| s < end && start < e)
                .map(|(s, e)| e.min(end) - s.max(start))
                .sum::<usize>()
                >= input[start..end].trim().len()
        };
        for rm in &exp.remove {
            removed_total += 1;
            let all_covered = input.match_indices(rm.as_str()).all(|(i, m)| {
                covered(i + (m.len() - m.trim_start().len()), i + m.trim_end().len())
            });
            if input.contains(rm.as_str()) && all_covered {
                removed_ok += 1;
            } else {
                fail(format!("boilerplate left: {rm:?}"));
            }
        }
        let text = squeeze(&r.text);
        for j in &exp.joined {
            if !text.contains(&squeeze(j)) {
                fail(format!("not rejoined: {j:?}"));
            }
        }
        if r.truncated != exp.truncated {
            fail(format!(
                "truncated: expected {}, got {} ({:?})",
                exp.truncated, r.truncated, r.truncation
            ));
        }
        if r.speeches.len() != exp.speeches {
            fail(format!("speeches: expected {}, got {}", exp.speeches, r.speeches.len()));
        }
        let titles: Vec<String> =
            r.speeches.iter().map(|s| s.title.clone().unwrap_or_default()).collect();
        if titles != exp.titles && r.speeches.len() == exp.speeches {
            fail(format!("titles: expected {:?}, got {titles:?}", exp.titles));
        }
    }
    for f in &failures {
        println!("{f}");
    }
    println!(
        "{} documents; boilerplate strings removed: {removed_ok}/{removed_total}; {} failures",
        files.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{} failures", failures.len());
}
