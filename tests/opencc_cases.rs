//! OpenCC's own conversion test cases (`tests/opencc_testcases.json`, from OpenCC's
//! repository, Apache-2.0) run through the built-in engine.
//!
//! The bar is what OpenCC 1.4.1 itself passes on these cases: t2s 50/55, tw2s 29/32,
//! hk2s 19/21. Every failure is printed, so a regression shows what changed.

use jianghua::{Conversion, Converter};

struct Case {
    id: String,
    input: String,
    expected: Vec<(String, String)>,
}

fn cases() -> Vec<Case> {
    let raw = include_str!("opencc_testcases.json");
    // OpenCC's file has trailing commas; strip them so serde_json accepts it.
    let re = regex::Regex::new(r",(\s*[}\]])").unwrap();
    let json = re.replace_all(raw, "$1");
    let v: serde_json::Value = serde_json::from_str(&json).expect("testcases.json parses");
    v["cases"]
        .as_array()
        .expect("cases array")
        .iter()
        .map(|c| Case {
            id: c["id"].as_str().unwrap_or("").to_string(),
            input: c["input"].as_str().unwrap_or("").to_string(),
            expected: c["expected"]
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

fn run(config: &str, kind: Conversion, at_least: usize, of: usize) {
    let converter = Converter::new(kind);
    let mut total = 0;
    let mut passed = 0;
    for case in cases() {
        for (cfg, expected) in &case.expected {
            if cfg != config {
                continue;
            }
            total += 1;
            let got = converter.convert(&case.input);
            if &got == expected {
                passed += 1;
            } else {
                println!(
                    "{config} {}: FAIL\n  input:    {}\n  expected: {}\n  got:      {}",
                    case.id, case.input, expected, got
                );
            }
        }
    }
    println!("{config}: {passed}/{total} passed (OpenCC 1.4.1: {at_least}/{of})");
    assert_eq!(total, of, "number of {config} cases changed");
    assert!(passed >= at_least, "{config}: {passed}/{total}, below OpenCC 1.4.1's {at_least}");
}

#[test]
fn t2s() {
    run("t2s", Conversion::T2s, 50, 55);
}

#[test]
fn tw2s() {
    run("tw2s", Conversion::Tw2s, 29, 32);
}

#[test]
fn hk2s() {
    run("hk2s", Conversion::Hk2s, 19, 21);
}

/// The analyzer's single-pass mainland table agrees with the OpenCC configurations on
/// every case where they agree among themselves, except for 著, which mainland usage
/// writes 着 where t2s keeps 著.
#[test]
fn mainland_agrees_with_opencc() {
    let mainland = Converter::new(Conversion::Mainland);
    let mut disagreements = Vec::new();
    for case in cases() {
        for (cfg, expected) in &case.expected {
            if !matches!(cfg.as_str(), "t2s" | "tw2s" | "hk2s") {
                continue;
            }
            let got = mainland.convert(&case.input);
            if &got != expected && got != expected.replace('著', "着") {
                disagreements.push(format!(
                    "{cfg} {}: expected {expected}\n        mainland {got}",
                    case.id
                ));
            }
        }
    }
    for d in &disagreements {
        println!("{d}");
    }
    println!("mainland disagrees with OpenCC on {} cases", disagreements.len());
    assert!(disagreements.len() <= 10, "{} disagreements", disagreements.len());
}

/// Simplified text passes through the analyzer's conversion unchanged: every
/// Simplified character (a key of OpenCC's STCharacters) is a fixed point, except six
/// that STCharacters lists although they are old variant forms with a standard
/// Simplified form of their own.
#[test]
fn simplified_characters_are_fixed_points() {
    let mainland = Converter::new(Conversion::Mainland);
    let st = include_str!("../src/data/opencc/STCharacters.txt");
    let mut changed = Vec::new();
    for line in st.lines().filter(|l| !l.starts_with('#')) {
        let Some((key, _)) = line.split_once('\t') else { continue };
        if key.chars().count() == 1 && mainland.convert(key) != key {
            changed.push(format!("{key}→{}", mainland.convert(key)));
        }
    }
    assert_eq!(changed, ["緼→缊", "苧→苎", "藴→蕴", "輼→辒", "醖→酝", "麽→么"]);
}
