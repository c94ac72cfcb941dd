//! Golden tests over `corpus/raw`: each file's record is compared with the
//! hand-checked expectations in `corpus/expected/<name>.json`.
//!
//! An expectation file holds the record fields checked so far (any key of the record:
//! its value must be equal), plus `checks`, finer assertions for fields whose full
//! value is not fixed yet:
//! - `text_contains` / `text_excludes`: strings that must / must not be in `text`;
//! - `text_excludes_regex`: patterns that must not match `text`;
//! - `repair_counts`: number of repairs of each kind;
//! - `repairs`: for a kind, the exact list of `[from, to]` pairs, in order.
//!
//! Failures print what differs, readably, for every file before failing.

use std::fmt::Write as _;
use std::path::Path;

mod common;

use jianghua::Analyzer;
use serde_json::Value;

fn expected_for(path: &Path) -> Value {
    let name = path.file_stem().unwrap().to_string_lossy();
    let p =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/expected").join(format!("{name}.json"));
    let s = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 300 {
        format!("{}…", s.chars().take(300).collect::<String>())
    } else {
        s
    }
}

/// First differing line of two texts, with line numbers.
fn text_diff(expected: &str, got: &str) -> String {
    let (e, g): (Vec<_>, Vec<_>) = (expected.lines().collect(), got.lines().collect());
    for i in 0..e.len().max(g.len()) {
        let (a, b) = (e.get(i).copied(), g.get(i).copied());
        if a != b {
            return format!(
                "line {}:\n      expected: {}\n      got:      {}",
                i + 1,
                a.unwrap_or("<none>"),
                b.unwrap_or("<none>")
            );
        }
    }
    "texts differ only in line endings".to_string()
}

fn flatten(points: &[jianghua::Point], depth: usize, out: &mut Vec<String>) {
    for p in points {
        out.push(format!("{}{}|{}|{}", "  ".repeat(depth), p.marker, p.ordinal, p.heading));
        flatten(&p.children, depth + 1, out);
    }
}

fn check_file(analyzer: &Analyzer, path: &Path, report: &mut String) -> bool {
    let bytes = std::fs::read(path).unwrap();
    let mut record = analyzer.analyze_bytes(&bytes);
    record.source = format!("corpus/raw/{}", path.file_name().unwrap().to_string_lossy());
    let got = serde_json::to_value(&record).unwrap();
    let expected = expected_for(path);
    let mut ok = true;
    let name = path.file_name().unwrap().to_string_lossy();
    let mut fail = |msg: String| {
        ok = false;
        let _ = writeln!(report, "{name}: {msg}");
    };
    for (key, want) in expected.as_object().expect("expectation is an object") {
        if key == "checks" || key.starts_with('_') {
            continue;
        }
        let have = &got[key];
        if have != want {
            match (want, have) {
                (Value::String(w), Value::String(h)) => {
                    fail(format!("field `{key}` differs at {}", text_diff(w, h)))
                }
                _ => fail(format!(
                    "field `{key}`:\n    expected {}\n    got      {}",
                    short(want),
                    short(have)
                )),
            }
        }
    }
    let checks = &expected["checks"];
    let text = &record.text;
    for s in checks["text_contains"].as_array().into_iter().flatten() {
        let s = s.as_str().unwrap();
        if !text.contains(s) {
            fail(format!("text should contain {s:?}"));
        }
    }
    for s in checks["text_excludes"].as_array().into_iter().flatten() {
        let s = s.as_str().unwrap();
        if let Some(i) = text.find(s) {
            let ctx: String = text[i..].chars().take(30).collect();
            fail(format!("text should not contain {s:?}, found at byte {i}: {ctx:?}"));
        }
    }
    for s in checks["text_excludes_regex"].as_array().into_iter().flatten() {
        let re = regex::Regex::new(s.as_str().unwrap()).unwrap();
        let found: Vec<&str> = re.find_iter(text).map(|m| m.as_str()).take(10).collect();
        if !found.is_empty() {
            fail(format!("text should not match /{re}/, found {found:?}"));
        }
    }
    if let Some(counts) = checks["text_count"].as_object() {
        for (s, n) in counts {
            let have = text.matches(s.as_str()).count() as u64;
            if Some(have) != n.as_u64() {
                fail(format!("text should contain {s:?} {n} time(s), found {have}"));
            }
        }
    }
    if let Some(titles) = checks["speech_titles"].as_array() {
        let have: Vec<Value> = got["speeches"]
            .as_array()
            .map(|a| a.iter().map(|s| s["title"].clone()).collect())
            .unwrap_or_default();
        if &have != titles {
            fail(format!("speech titles: expected {titles:?}, got {have:?}"));
        }
    }
    if let Some(starts) = checks["speech_starts"].as_array() {
        for (k, want) in starts.iter().enumerate() {
            let s = &record.speeches.get(k);
            let ok =
                s.is_some_and(|s| text[s.start..s.end].starts_with(want.as_str().unwrap_or("")));
            if !ok {
                fail(format!("speech {k} should start with {want}"));
            }
        }
    }
    if let Some(sums) = checks["summaries"].as_array() {
        for (k, want) in sums.iter().enumerate() {
            let have = record.speeches.get(k).and_then(|s| s.summary.clone());
            let ok = match (want.as_str(), &have) {
                (None, None) => true,
                (Some(w), Some(h)) => h.starts_with(w),
                _ => false,
            };
            if !ok {
                fail(format!("speech {k} summary: expected {want}, got {have:?}"));
            }
        }
    }
    if let Some(want) = checks["announced"].as_array() {
        let have: Vec<Value> = record
            .speeches
            .iter()
            .map(|s| s.announced_points.map_or(Value::Null, Value::from))
            .collect();
        if &have != want {
            fail(format!("announced points: expected {want:?}, got {have:?}"));
        }
    }
    if let Some(trees) = checks["outlines"].as_array() {
        for (k, want) in trees.iter().enumerate() {
            let mut have = Vec::new();
            if let Some(s) = record.speeches.get(k) {
                flatten(&s.points, 0, &mut have);
            }
            let want: Vec<&str> =
                want.as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
            if have != want {
                fail(format!(
                    "speech {k} outline:\n      expected:\n        {}\n      got:\n        {}",
                    want.join("\n        "),
                    have.join("\n        ")
                ));
            }
        }
    }
    if let Some(ws) = checks["warnings"].as_array() {
        for (k, want) in ws.iter().enumerate() {
            let have: Vec<Value> = record
                .speeches
                .get(k)
                .map(|s| s.warnings.iter().map(|w| Value::from(w.as_str())).collect())
                .unwrap_or_default();
            if &Value::Array(have.clone()) != want {
                fail(format!("speech {k} warnings: expected {want}, got {have:?}"));
            }
        }
    }
    if let Some(want) = checks["elements"].as_array() {
        let names: Vec<&str> = record.elements.iter().map(|e| e.name.as_str()).collect();
        let want_names: Vec<&str> = want.iter().map(|w| w[0].as_str().unwrap()).collect();
        if names != want_names {
            fail(format!("elements: expected {want_names:?}, got {names:?}"));
        }
        for w in want {
            let Some(e) = record.elements.iter().find(|e| e.name == w[0].as_str().unwrap()) else {
                continue;
            };
            if e.members_from.as_deref() != w[1].as_str() {
                fail(format!("{}: members_from {:?}, expected {}", e.name, e.members_from, w[1]));
            }
            if let Some(members) = w[2].as_array() {
                let m: Vec<&str> = members.iter().map(|x| x.as_str().unwrap()).collect();
                if e.members != m {
                    fail(format!("{}: members {:?}, expected {m:?}", e.name, e.members));
                }
            }
        }
    }
    if let Some(spun) = checks["spin"]["spun"].as_bool() {
        if record.spin.spun != spun {
            fail(format!(
                "spin.spun: expected {spun}, got {} (score {})",
                record.spin.spun, record.spin.score
            ));
        }
    }
    if let Some(t) = checks["truncation"].as_object() {
        for (k, want) in t {
            let have = &got["truncation"][k];
            if have != want {
                fail(format!("truncation.{k}: expected {want}, got {have}"));
            }
        }
    }
    if let Some(counts) = checks["repair_counts"].as_object() {
        for (kind, n) in counts {
            let have = record
                .repairs
                .iter()
                .filter(|r| serde_json::to_value(r.kind).unwrap() == kind.as_str())
                .count();
            if Some(have as u64) != n.as_u64() {
                fail(format!("{kind} repairs: expected {n}, got {have}"));
            }
        }
    }
    if let Some(lists) = checks["repairs"].as_object() {
        for (kind, pairs) in lists {
            let want: Vec<(String, String)> = pairs
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_str().unwrap().to_string()))
                .collect();
            let have: Vec<(String, String)> = record
                .repairs
                .iter()
                .filter(|r| serde_json::to_value(r.kind).unwrap() == kind.as_str())
                .map(|r| (r.from.to_string(), r.to.to_string()))
                .collect();
            for w in &want {
                if !have.contains(w) {
                    fail(format!("missing {kind} repair {:?} → {:?}", w.0, w.1));
                }
            }
            for h in &have {
                if !want.contains(h) {
                    fail(format!("unexpected {kind} repair {:?} → {:?}", h.0, h.1));
                }
            }
        }
    }
    ok
}

#[test]
fn corpus_records_match_hand_checked_expectations() {
    let analyzer = Analyzer::new();
    let mut report = String::new();
    let mut failed = 0;
    let files = common::all_txt("raw");
    assert_eq!(files.len(), 5, "corpus/raw holds the five seeds");
    for f in &files {
        if !check_file(&analyzer, f, &mut report) {
            failed += 1;
        }
    }
    print!("{report}");
    assert_eq!(failed, 0, "{failed} corpus file(s) differ from corpus/expected:\n{report}");
}

/// The contract's reconstruction rule holds on every corpus file: the decoded input,
/// `removed` and `repairs` rebuild `text` exactly (also after a JSON round trip).
#[test]
fn corpus_records_reconstruct_their_text() {
    let analyzer = Analyzer::new();
    for f in common::all_txt("raw") {
        let input = std::fs::read_to_string(&f).unwrap();
        let record = analyzer.analyze(&input);
        let json = serde_json::to_string(&record).unwrap();
        let back: jianghua::Analysis = serde_json::from_str(&json).unwrap();
        let rebuilt = analyzer.reconstruct(&input, &back.removed, &back.repairs).unwrap();
        assert!(rebuilt == record.text, "{}: {}", f.display(), text_diff(&record.text, &rebuilt));
    }
}

/// The seeds re-encoded to GB18030 (all five) and Big5 (the Traditional seed without
/// pinyin, 003: Big5 has no tone-marked letters) decode to the same records.
#[test]
fn corpus_in_legacy_encodings() {
    let analyzer = Analyzer::new();
    for f in common::all_txt("raw") {
        let input = std::fs::read_to_string(&f).unwrap();
        let utf8 = analyzer.analyze(&input);
        let (gb, _, lossy) = encoding_rs::GB18030.encode(&input);
        assert!(!lossy);
        let r = analyzer.analyze_bytes(&gb);
        assert_eq!(r.encoding, "gb18030", "{}", f.display());
        assert!(
            r.text == utf8.text,
            "{} (gb18030): {}",
            f.display(),
            text_diff(&utf8.text, &r.text)
        );
        assert_eq!(r.repairs, utf8.repairs);
    }
    let f =
        common::all_txt("raw").into_iter().find(|p| p.to_string_lossy().contains("003_")).unwrap();
    // Seed 003 uses three Hong Kong/Taiwan variants that Big5 proper cannot encode;
    // a Big5 site would have written the standard forms.
    let input = std::fs::read_to_string(&f)
        .unwrap()
        .replace('羣', "群")
        .replace('着', "著")
        .replace('藴', "蘊");
    let (big5, _, lossy) = encoding_rs::BIG5.encode(&input);
    assert!(!lossy, "seed 003 with standard forms is representable in Big5");
    let r = analyzer.analyze_bytes(&big5);
    assert_eq!(r.encoding, "big5");
    let utf8 = analyzer.analyze(&input);
    assert!(r.text == utf8.text, "003 (big5): {}", text_diff(&utf8.text, &r.text));
    // UTF-16 with BOM, both byte orders.
    for (bom, le) in [([0xFF, 0xFE], true), ([0xFE, 0xFF], false)] {
        let mut bytes = bom.to_vec();
        for u in input.encode_utf16() {
            bytes.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let r = analyzer.analyze_bytes(&bytes);
        assert_eq!(r.encoding, if le { "utf-16le" } else { "utf-16be" });
        assert!(r.text == utf8.text);
    }
}
