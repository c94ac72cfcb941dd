//! The checks that the fuzz targets run on every input, shared with the tests:
//! `tests/properties.rs` (proptest) and `tests/fuzz_replay.rs` (replays the inputs the
//! fuzzers found, `tests/fuzz/<target>/`) include this file, so a crash found by
//! fuzzing stays a failing test until it is fixed.
//!
//! Each check panics when an invariant is broken; the stages themselves must never
//! panic, whatever the input.
#![allow(dead_code)]

use std::sync::OnceLock;

use jianghua::{Analysis, Analyzer, Point};

/// The fuzz targets, by name (one file each in `fuzz/fuzz_targets/`).
pub const TARGETS: [&str; 9] = [
    "analyze_bytes",
    "analyze_idempotent",
    "decode",
    "normalize",
    "boilerplate",
    "speeches",
    "outline",
    "elements",
    "despin",
];

/// One analyzer for all checks (keywords off: they are a jieba-rs call, fuzzed by the
/// `elements` target).
pub fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| {
        let mut b = Analyzer::builder();
        b.keywords(false);
        b.build().expect("default options build")
    })
}

/// Runs the check of target `name` on `data`.
pub fn run(name: &str, data: &[u8]) {
    match name {
        "analyze_bytes" => analyze_bytes(data),
        "analyze_idempotent" => analyze_idempotent(data),
        "decode" => decode(data),
        "normalize" => normalize(data),
        "boilerplate" => boilerplate(data),
        "speeches" => speeches(data),
        "outline" => outline(data),
        "elements" => elements(data),
        "despin" => despin(data),
        _ => panic!("no fuzz target {name}"),
    }
}

fn in_str(s: &str, a: usize, b: usize) -> bool {
    a <= b && b <= s.len() && s.is_char_boundary(a) && s.is_char_boundary(b)
}

/// The decoded text `analyze_bytes` works on, as the analyzer decodes it.
fn decoded(data: &[u8]) -> Option<String> {
    analyzer().decode(data).ok().map(|d| d.text)
}

/// Any bytes: a complete record; on text, every record invariant.
pub fn analyze_bytes(data: &[u8]) {
    let r = analyzer().analyze_bytes(data);
    let json = serde_json::to_string(&r).expect("a record serializes");
    assert!(json.contains("\"missing_elements\""));
    match decoded(data) {
        Some(input) => {
            assert!(r.error.is_none(), "text gave an error record: {:?}", r.error);
            if let Err(e) = invariants(&input, &r) {
                panic!("{e}");
            }
        }
        None => assert!(r.error.is_some(), "not text, yet no error"),
    }
}

/// Text: analyzing the clean text again changes nothing.
pub fn analyze_idempotent(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let r = analyzer().analyze(&input);
    if let Err(e) = idempotent(&r) {
        panic!("{e}");
    }
}

/// Decoding: no panic; an error only for binary data.
pub fn decode(data: &[u8]) {
    if let Some(text) = decoded(data) {
        if std::str::from_utf8(data).is_ok() && !data.starts_with(&[0xEF, 0xBB, 0xBF]) {
            assert_eq!(text.as_bytes(), data, "valid UTF-8 must decode to itself");
        }
    }
}

/// Normalization: repairs are sorted spans of the input; the map stays in bounds and
/// keeps the order of the text (a character maps to a span of the input that starts
/// no later than it ends, and no earlier than the character before starts).
pub fn normalize(data: &[u8]) {
    let input = String::from_utf8_lossy(data);
    let n = analyzer().normalizer().normalize(&input);
    let mut last = 0;
    for r in &n.repairs {
        assert!(in_str(&input, r.start, r.end), "repair {}..{} off the input", r.start, r.end);
        assert!(r.start >= last, "repairs overlap at {}", r.start);
        assert_eq!(&input[r.start..r.end], r.from);
        last = r.end;
    }
    let (mut last_start, mut last_end) = (0, 0);
    for i in 0..=n.text.len() {
        if n.text.is_char_boundary(i) {
            let (a, b) = (n.map.start_of(i), n.map.end_of(i));
            assert!(a <= input.len() && b <= input.len(), "map of {i} outside the input");
            assert!(a >= last_start && b >= last_end, "map goes back at {i}");
            (last_start, last_end) = (a, b);
        }
    }
    for (i, c) in n.text.char_indices() {
        let (a, b) = (n.map.start_of(i), n.map.end_of(i + c.len_utf8()));
        assert!(a <= b, "{c:?} at {i} maps to {a}..{b}");
    }
}

// Each check builds its stage once for all inputs (building one compiles its
// patterns: per input, the fuzzers would mostly test construction).

/// Boilerplate: every finding is a span of the view on character boundaries.
pub fn boilerplate(data: &[u8]) {
    let view = String::from_utf8_lossy(data);
    static B: OnceLock<jianghua::boilerplate::Boilerplate> = OnceLock::new();
    let b = B.get_or_init(jianghua::boilerplate::Boilerplate::new);
    let f = b.find(&view);
    for &(s, e, _) in f.removals.iter().chain(&f.inline_removals) {
        assert!(in_str(&view, s, e), "removal {s}..{e} off the view");
    }
    for (s, e, _, _, _) in &f.repairs {
        assert!(in_str(&view, *s, *e), "repair {s}..{e} off the view");
    }
    let _ = b.candidate_lines(&view);
}

/// Speeches: spans in order, within the text.
pub fn speeches(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut last = 0;
    static S: OnceLock<jianghua::speeches::Splitter> = OnceLock::new();
    for s in S.get_or_init(jianghua::speeches::Splitter::new).split(&text) {
        assert!(in_str(&text, s.start, s.end), "speech {}..{} off the text", s.start, s.end);
        assert!(s.start >= last, "speeches overlap at {}", s.start);
        last = s.end;
        if let Some((a, b)) = s.summary_span {
            assert!(in_str(&text, a, b), "summary {a}..{b} off the text");
        }
    }
}

/// Outline: every point within its parent, on character boundaries.
pub fn outline(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    static O: OnceLock<jianghua::outline::Outliner> = OnceLock::new();
    let o = O.get_or_init(jianghua::outline::Outliner::new);
    let out = o.outline(&text, 0, text.len(), None, false);
    if let Err(e) = check_points(&text, &out.points, 0, text.len()) {
        panic!("{e}");
    }
    // A speech in the middle of the text, with a summary block inside it.
    let mid = (0..=text.len() / 2).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let out = o.outline(&text, mid, text.len(), Some((mid, mid)), true);
    if let Err(e) = check_points(&text, &out.points, mid, text.len()) {
        panic!("{e}");
    }
    let _ = o.compare_summary(&text[..mid], &out.points);
}

/// Elements: occurrences on character boundaries; keywords from jieba-rs.
pub fn elements(data: &[u8]) {
    static F: OnceLock<jianghua::elements::ElementFinder> = OnceLock::new();
    let f = F.get_or_init(jianghua::elements::ElementFinder::default);
    let text = String::from_utf8_lossy(data);
    for e in f.find(&text).elements {
        for o in &e.occurrences {
            assert!(in_str(&text, o.start, o.end), "occurrence {}..{} off", o.start, o.end);
        }
    }
    if text.len() < 4096 {
        let _ = f.keywords(&text, 10);
    }
}

/// Spinning: evidence and repairs on character boundaries.
pub fn despin(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    static D: OnceLock<jianghua::spin::Despinner> = OnceLock::new();
    let d = D.get_or_init(jianghua::spin::Despinner::new);
    let v = d.check(&text, true, &|_, _| true);
    for ev in &v.evidence {
        assert!(in_str(&text, ev.start, ev.end), "evidence {}..{} off", ev.start, ev.end);
    }
    for (s, e, _, _) in &v.repairs {
        assert!(in_str(&text, *s, *e), "repair {s}..{e} off the text");
    }
    for (s, e, _) in d.typos(&text) {
        assert!(in_str(&text, s, e), "typo {s}..{e} off the text");
    }
}

/// The points of a tree lie within `lo..hi` and on character boundaries.
pub fn check_points(text: &str, points: &[Point], lo: usize, hi: usize) -> Result<(), String> {
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
pub fn invariants(input: &str, r: &Analysis) -> Result<(), String> {
    let in_input = |s: usize, e: usize| in_str(input, s, e);
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
    let in_text = |s: usize, e: usize| in_str(t, s, e);
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
pub fn idempotent(r: &Analysis) -> Result<(), String> {
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
