//! Differential test: the built-in engine against the C++ OpenCC (`tw2s`, through
//! opencc-rust) on every corpus file. Runs with `cargo test --features opencc` (needs
//! libopencc; CI installs Debian's). Every character where the two disagree must be
//! explained in `EXPLAINED` below; the test prints all of them.
#![cfg(feature = "opencc")]

use std::path::Path;

use jianghua::{Analyzer, Backend, Conversion, Converter};

/// (OpenCC's output, ours, why ours is right or why the difference is accepted).
const EXPLAINED: &[(&str, &str, &str)] = &[
    (
        "幺",
        "么",
        "OpenCC 1.1.6's tw2s turns Simplified 么 into 幺 (什幺, 怎幺); fixed upstream \
         (OpenCC issue 1469, `BYVoid_OpenCC_Issue_1469` in testcases.json); 什么 is right",
    ),
    (
        "着",
        "著",
        "原著 (original work, zhù) keeps 著 in mainland usage, like 著作/名著; OpenCC's \
         tw2s writes 着 for every 著 outside its phrase list",
    ),
];

fn han_diff(a: &str, b: &str) -> Vec<(String, String, String)> {
    let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut out = Vec::new();
    if ac.len() != bc.len() {
        out.push(("<length>".into(), format!("{} vs {}", ac.len(), bc.len()), String::new()));
        return out;
    }
    for i in 0..ac.len() {
        if ac[i] != bc[i] {
            let lo = i.saturating_sub(4);
            let hi = (i + 5).min(ac.len());
            out.push((
                ac[i].to_string(),
                bc[i].to_string(),
                format!(
                    "{} | {}",
                    ac[lo..hi].iter().collect::<String>(),
                    bc[lo..hi].iter().collect::<String>()
                ),
            ));
        }
    }
    out
}

#[test]
fn builtin_engine_agrees_with_opencc_on_the_corpus() {
    let occ = opencc_rust::OpenCC::new(opencc_rust::DefaultConfig::TW2S).expect("libopencc tw2s");
    let ours = Converter::new(Conversion::Mainland);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files = Vec::new();
    for sub in ["raw", "sites", "outline", "elements", "spin"] {
        if let Ok(rd) = std::fs::read_dir(dir.join(sub)) {
            files.extend(
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "txt")),
            );
        }
    }
    files.sort();
    let mut unexplained = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (theirs, mine, ctx) in han_diff(&occ.convert(&text), &ours.convert(&text)) {
            let why = EXPLAINED.iter().find(|(t, m, _)| *t == theirs && *m == mine).map(|e| e.2);
            match why {
                Some(w) => println!("{}: OpenCC {theirs} / ours {mine} ({ctx}): {w}", f.display()),
                None => {
                    unexplained += 1;
                    println!("{}: UNEXPLAINED OpenCC {theirs} / ours {mine} ({ctx})", f.display());
                }
            }
        }
    }
    assert_eq!(unexplained, 0, "unexplained differences with OpenCC");
}

#[test]
fn opencc_backend_runs_the_pipeline() {
    let analyzer = Analyzer::builder().backend(Backend::OpenCC).build().expect("OpenCC backend");
    let r = analyzer.analyze("紀(jì)委書記:同志們,要貫徹羣眾路線。");
    assert_eq!(r.text, "纪委书记：同志们，要贯彻群众路线。");
    let input = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/raw/003_a3b9d7c39b3435a2.txt"),
    )
    .unwrap();
    let rec = analyzer.analyze(&input);
    let rebuilt = analyzer.reconstruct(&input, &rec.removed, &rec.repairs).unwrap();
    assert_eq!(rebuilt, rec.text);
}
