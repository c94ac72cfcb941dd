//! Invariants of every record, over generated inputs (proptest) and the corpus:
//! - no panic and a complete record for any bytes;
//! - every span (removed, repairs, speeches, points, element occurrences, spin
//!   evidence) lies within its text and on character boundaries; removed and repairs
//!   are sorted and do not overlap;
//! - the decoded input, `removed` and `repairs` rebuild `text` exactly
//!   (`Analyzer::reconstruct`);
//! - analyzing `text` again changes nothing: no removal, no repair that changes text.

use std::sync::OnceLock;

use jianghua::{Analysis, Analyzer, Point};
use proptest::prelude::*;

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| {
        let mut b = Analyzer::builder();
        b.keywords(false);
        b.build().unwrap()
    })
}

fn check_points(text: &str, points: &[Point], lo: usize, hi: usize) -> Result<(), String> {
    for p in points {
        if !(lo <= p.start && p.start <= p.end && p.end <= hi) {
            return Err(format!("point {}..{} outside {lo}..{hi}", p.start, p.end));
        }
        if !text.is_char_boundary(p.start) || !text.is_char_boundary(p.end) {
            return Err(format!("point {}..{} off a char boundary", p.start, p.end));
        }
        check_points(text, &p.children, p.start, p.end)?;
    }
    Ok(())
}

/// All invariants of one record made from `input`.
fn invariants(input: &str, r: &Analysis) -> Result<(), String> {
    let in_input = |s: usize, e: usize| {
        s <= e && e <= input.len() && input.is_char_boundary(s) && input.is_char_boundary(e)
    };
    let mut last = 0;
    let mut spans: Vec<(usize, usize)> = r.removed.iter().map(|x| (x.start, x.end)).collect();
    spans.extend(r.repairs.iter().map(|x| (x.start, x.end)));
    spans.sort();
    for &(s, e) in &spans {
        if !in_input(s, e) {
            return Err(format!("edit {s}..{e} outside the input or off a boundary"));
        }
        if s < last {
            return Err(format!("edit {s}..{e} overlaps the previous one (ends {last})"));
        }
        last = e;
    }
    for w in r.removed.windows(2) {
        if w[1].start < w[0].end {
            return Err("removed spans not sorted".into());
        }
    }
    for x in &r.removed {
        if input[x.start..x.end] != x.text {
            return Err(format!("removed text at {}..{} is not the input", x.start, x.end));
        }
    }
    for x in &r.repairs {
        if input[x.start..x.end] != x.from {
            return Err(format!("repair from at {}..{} is not the input", x.start, x.end));
        }
    }
    let t = &r.text;
    let in_text = |s: usize, e: usize| {
        s <= e && e <= t.len() && t.is_char_boundary(s) && t.is_char_boundary(e)
    };
    for s in &r.speeches {
        if !in_text(s.start, s.end) {
            return Err(format!("speech {}..{} outside the text", s.start, s.end));
        }
        check_points(t, &s.points, s.start, s.end)?;
    }
    for e in &r.elements {
        for o in &e.occurrences {
            if !in_text(o.start, o.end) {
                return Err(format!("occurrence {}..{} outside the text", o.start, o.end));
            }
        }
    }
    for ev in &r.spin.evidence {
        if !in_input(ev.start, ev.end) {
            return Err(format!("spin evidence {}..{} outside the input", ev.start, ev.end));
        }
    }
    let rebuilt =
        analyzer().reconstruct(input, &r.removed, &r.repairs).map_err(|e| e.to_string())?;
    if &rebuilt != t {
        return Err(format!("reconstruction differs:\n  text:    {t:?}\n  rebuilt: {rebuilt:?}"));
    }
    Ok(())
}

/// Analyzing clean text again changes nothing.
fn idempotent(r: &Analysis) -> Result<(), String> {
    let again = analyzer().analyze(&r.text);
    if again.text != r.text {
        return Err(format!(
            "text changes on a second pass:\n  first:  {:?}\n  second: {:?}",
            r.text, again.text
        ));
    }
    if let Some(x) = again.removed.first() {
        return Err(format!("second pass removes {:?} ({})", x.text, x.rule));
    }
    if let Some(x) = again.repairs.iter().find(|x| x.from != x.to) {
        return Err(format!("second pass repairs {:?} → {:?} ({})", x.from, x.to, x.rule));
    }
    Ok(())
}

/// Pieces of text that exercise every stage.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("同志们：".to_string()),
        Just("一、".to_string()),
        Just("（一）".to_string()),
        Just("第一，".to_string()),
        Just("一是".to_string()),
        Just("其次，".to_string()),
        Just("1.".to_string()),
        Just("1、".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("。".to_string()),
        Just("，".to_string()),
        Just("：".to_string()),
        Just("“四个意识”".to_string()),
        Just("问题清单、任务清单、责任清单".to_string()),
        Just("做到“三准”：".to_string()),
        Just("讲四点意见".to_string()),
        Just("?".to_string()),
        Just("??h".to_string()),
        Just("紀(jì)".to_string()),
        Just("?qǐng)".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just(" ".to_string()),
        Just("\u{3000}".to_string()),
        Just("_".to_string()),
        Just("、、".to_string()),
        Just("……".to_string()),
        Just("下载全文".to_string()),
        Just("客服QQ：123456".to_string()),
        Just("<p>".to_string()),
        Just("&nbsp;".to_string()),
        Just("- 2 -".to_string()),
        Just("预览结束，全文3829字".to_string()),
        Just("党中心".to_string()),
        Just("坚决不移".to_string()),
        Just("全掩盖".to_string()),
        Just("謝謝大家！".to_string()),
        Just("在全县工作会议上的讲话".to_string()),
        Just("9 Y8 f3 E5 k. p.".to_string()),
        "[\\u{4e00}-\\u{4e80}]{1,8}",
        "[a-zA-Z0-9 ]{1,6}",
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn doc() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn any_bytes_give_a_complete_record(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let r = analyzer().analyze_bytes(&bytes);
        // Either an error record, or a record whose invariants hold on the decoded text.
        if r.error.is_none() {
            prop_assert!(!r.encoding.is_empty());
        }
        let json = serde_json::to_string(&r).unwrap();
        prop_assert!(json.contains("\"missing_elements\""));
    }

    #[test]
    fn generated_documents_keep_the_invariants(input in doc()) {
        let r = analyzer().analyze(&input);
        if let Err(e) = invariants(&input, &r) {
            prop_assert!(false, "{}\ninput: {:?}", e, input);
        }
    }

    #[test]
    fn generated_documents_are_idempotent(input in doc()) {
        let r = analyzer().analyze(&input);
        if let Err(e) = idempotent(&r) {
            prop_assert!(false, "{}\ninput: {:?}", e, input);
        }
    }
}

#[test]
fn corpus_documents_keep_the_invariants_and_are_idempotent() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut n = 0;
    for sub in ["raw", "sites", "outline", "elements", "spin"] {
        for e in std::fs::read_dir(root.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let input = std::fs::read_to_string(&p).unwrap();
            let r = analyzer().analyze(&input);
            invariants(&input, &r).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            idempotent(&r).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            n += 1;
        }
    }
    assert!(n >= 100, "{n} documents");
}
