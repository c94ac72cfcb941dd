//! Times, in one run and on the same documents, what `scripts/side_by_side.sh` compares:
//! jianghua's conversion alone, its normalize stage, its whole analysis (with and
//! without keywords) and jieba-rs cutting the same text. OpenCC's t2s is timed by the
//! script (PyPI `opencc`) on the text this program writes.
//!
//! `cargo run --release --example side_by_side -- DIR TEXT_OUT`
//!
//! DIR is a directory of generated documents (`examples/gen_corpus.rs --dir`). Each file
//! is decoded once (some are GB18030 or Big5); the decoded texts, joined by newlines,
//! are written to TEXT_OUT for OpenCC. Throughput is in MB (10^6 bytes) of decoded text
//! per second, best of three runs, one thread. Output lines: `name MB/s`.

use std::path::Path;
use std::time::Instant;

/// Best of three: seconds for one pass of `f`, which returns a count to check.
fn best_of_3(f: impl Fn() -> usize) -> f64 {
    let expected = f();
    (0..3)
        .map(|_| {
            let t = Instant::now();
            assert_eq!(f(), expected, "same answer every run");
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(text_out)) = (args.next(), args.next()) else {
        eprintln!("usage: side_by_side DIR TEXT_OUT");
        std::process::exit(2);
    };
    let raw: Vec<Vec<u8>> = jianghua::sources::text_files(Path::new(&dir))
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect();
    assert!(!raw.is_empty(), "{dir} holds no *.txt files");
    let plain = jianghua::Analyzer::builder().keywords(false).build().expect("analyzer");
    let full = jianghua::Analyzer::new();
    let normalizer = plain.normalizer();
    let texts: Vec<String> =
        raw.iter().filter_map(|b| plain.decode(b).ok().map(|d| d.text)).collect();
    let joined = texts.join("\n");
    std::fs::write(&text_out, &joined).unwrap_or_else(|e| panic!("{text_out}: {e}"));
    let mb = joined.len() as f64 / 1e6;
    eprintln!("{} files, {mb:.1} MB of text", texts.len());
    let jieba = jieba_rs::Jieba::new();
    let rate = |secs: f64| mb / secs;
    let report = |name: &str, secs: f64| println!("{name} {:.1}", rate(secs));
    report(
        "jianghua_convert",
        best_of_3(|| texts.iter().map(|t| normalizer.convert(t).len()).sum()),
    );
    report(
        "jianghua_normalize",
        best_of_3(|| texts.iter().map(|t| normalizer.normalize(t).text.len()).sum()),
    );
    report("jiebars_cut", best_of_3(|| texts.iter().map(|t| jieba.cut(t, true).len()).sum()));
    report(
        "jianghua_analyze_without_keywords",
        best_of_3(|| raw.iter().map(|b| plain.analyze_bytes(b).speeches.len()).sum()),
    );
    report(
        "jianghua_analyze_with_keywords",
        best_of_3(|| raw.iter().map(|b| full.analyze_bytes(b).speeches.len()).sum()),
    );
}
