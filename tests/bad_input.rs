//! Bad input: every case gives a complete record and no panic. The large cases (a
//! 50 MB single line, time linear in the input) are `#[ignore]`d: run them with
//! `cargo test --release --test bad_input -- --ignored`.

use std::time::Instant;

use jianghua::{Analysis, Analyzer};

mod common;

fn analyzer() -> Analyzer {
    let mut b = Analyzer::builder();
    b.keywords(false);
    b.build().unwrap()
}

fn complete(r: &Analysis) {
    let v = serde_json::to_value(r).unwrap();
    for k in common::CONTRACT_KEYS {
        assert!(v.get(k).is_some(), "record lacks {k}");
    }
}

#[test]
fn empty_and_blank_inputs() {
    let a = analyzer();
    for input in [&b""[..], b" ", b"\n\n\n", b"\t \r\n \xE3\x80\x80"] {
        let r = a.analyze_bytes(input);
        complete(&r);
        assert!(r.error.is_none());
        assert_eq!(r.text, "");
        assert!(r.speeches.is_empty());
    }
}

#[test]
fn binary_files_are_error_records() {
    let a = analyzer();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    let r = a.analyze_bytes(png);
    complete(&r);
    assert!(r.error.as_deref().is_some_and(|e| e.contains("PNG")));
    let r = a.analyze_bytes(&[0u8; 1000]);
    assert!(r.error.is_some());
}

#[test]
fn invalid_utf8_and_mixed_encodings() {
    let a = analyzer();
    let mut bytes = "同志们：今天召开会议。\n".as_bytes().to_vec();
    bytes.extend_from_slice(b"\xFF\xFE\xC3");
    bytes.extend_from_slice("要坚持问题导向。\n".as_bytes());
    let (gbk, _, _) = encoding_rs::GBK.encode("一、提高政治站位。\n");
    bytes.extend_from_slice(&gbk);
    let r = a.analyze_bytes(&bytes);
    complete(&r);
    assert!(r.error.is_none());
    assert!(r.text.contains("同志们：今天召开会议。"));
    // The GBK line is decoded as GB18030, not lost to replacement characters.
    assert_eq!(r.encoding, "utf-8+gb18030");
    assert!(r.text.contains("一、提高政治站位。"), "{}", r.text);
}

#[test]
fn utf16_with_lone_surrogates() {
    let a = analyzer();
    let mut bytes = vec![0xFF, 0xFE];
    for u in "同志们".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    bytes.extend_from_slice(&0xD800u16.to_le_bytes()); // lone high surrogate
    for u in "好".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    bytes.push(0x41); // odd byte count
    let r = a.analyze_bytes(&bytes);
    complete(&r);
    assert_eq!(r.encoding, "utf-16le");
    assert!(r.text.starts_with("同志们"));
    assert!(r.repairs.iter().any(|x| x.rule == "decode.invalid_bytes"));
}

#[test]
fn control_characters() {
    let a = analyzer();
    let s: String = (0u8..32)
        .map(|b| b as char)
        .chain("同志们：\u{7f}\u{85}\u{2028}巡察\u{200b}工作".chars())
        .collect();
    let r = a.analyze(&s);
    complete(&r);
    let rebuilt = a.reconstruct(&s, &r.removed, &r.repairs).unwrap();
    assert_eq!(rebuilt, r.text);
}

#[test]
fn many_markers_question_marks_and_deep_nesting() {
    let a = analyzer();
    for input in [
        "一、".repeat(100_000),
        "?".repeat(100_000),
        "县委?".repeat(20_000),
        "（一）一是1.（1）①巡察\n".repeat(5_000),
        "第一，第一，第二，".repeat(10_000),
        "“".repeat(50_000),
        "(".repeat(50_000),
    ] {
        let r = a.analyze(&input);
        complete(&r);
        let rebuilt = a.reconstruct(&input, &r.removed, &r.repairs).unwrap();
        assert_eq!(rebuilt, r.text);
    }
}

#[test]
#[ignore = "50 MB: run with --release -- --ignored"]
fn a_50_mb_single_line() {
    let a = analyzer();
    let line = "巡察工作要坚持问题导向，发现问题、形成震慑，".repeat(50 * 1024 * 1024 / 66);
    let r = a.analyze(&line);
    complete(&r);
    assert!(r.text.len() > 40 * 1024 * 1024);
}

#[test]
#[ignore = "timing: run with --release -- --ignored"]
fn time_is_linear_in_the_input() {
    let a = analyzer();
    for unit in
        ["县委?", "一、巡察工作要坚持问题导向。\n", "紀(jì)委書記", "同志们：下载全文QQ123456\n"]
    {
        let small = unit.repeat(20_000);
        let big = unit.repeat(200_000);
        let t0 = Instant::now();
        a.analyze(&small);
        let t_small = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();
        a.analyze(&big);
        let t_big = t1.elapsed().as_secs_f64();
        let ratio = t_big / t_small.max(1e-6);
        println!("{unit:?}: 10x input took {ratio:.1}x the time");
        assert!(ratio < 30.0, "{unit:?}: 10x the input took {ratio:.1}x the time");
    }
}
