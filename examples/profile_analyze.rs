//! Analyzes one file many times, for profilers:
//! `cargo run --release --example profile_analyze -- FILE [N]` (NO_KEYWORDS=1 to skip
//! the TF-IDF keywords). One warm-up analysis first loads what loads lazily (jieba-rs),
//! so that the timed loop — `run_loop`, e.g. for
//! `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*run_loop*'` —
//! measures the steady state.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: profile_analyze FILE [N]");
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let bytes = std::fs::read(&path).expect("readable file");
    let keywords = std::env::var_os("NO_KEYWORDS").is_none();
    let analyzer = jianghua::Analyzer::builder().keywords(keywords).build().expect("analyzer");
    let warm = analyzer.analyze_bytes(&bytes);
    let start = std::time::Instant::now();
    let total = run_loop(&analyzer, &bytes, n);
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{:.1} MB/s ({total} bytes out, {} speeches)",
        (bytes.len() * n) as f64 / secs / 1e6,
        warm.speeches.len()
    );
}

#[inline(never)]
fn run_loop(analyzer: &jianghua::Analyzer, bytes: &[u8], n: usize) -> usize {
    let mut total = 0;
    for _ in 0..n {
        total += analyzer.analyze_bytes(bytes).text.len();
    }
    total
}
