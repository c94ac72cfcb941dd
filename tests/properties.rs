//! Invariants of every record, over generated inputs (proptest) and the corpus:
//! - no panic and a complete record for any bytes;
//! - every span (removed, repairs, speeches, points, element occurrences, spin
//!   evidence) lies within its text and on character boundaries; removed and repairs
//!   are sorted and do not overlap;
//! - the decoded input, `removed` and `repairs` rebuild `text` exactly
//!   (`Analyzer::reconstruct`);
//! - analyzing `text` again changes nothing: no removal, no repair that changes text.

use jianghua::Analyzer;
use proptest::prelude::*;

// The invariants are those the fuzz targets check, defined once.
#[path = "support/checks.rs"]
mod checks;
use checks::{idempotent, invariants};

fn analyzer() -> &'static Analyzer {
    checks::analyzer()
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
