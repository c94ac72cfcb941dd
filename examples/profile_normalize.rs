//! Normalizes one file many times, for profilers:
//! `cargo run --release --example profile_normalize -- FILE [N]` (CONVERT_ONLY=1 for the
//! script conversion alone). The timed loop is `run_loop`, e.g. for
//! `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*run_loop*'`.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: profile_normalize FILE [N]");
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let normalizer = jianghua::Normalizer::new();
    // CONVERT_ONLY=1: the Traditional→Simplified conversion alone (what OpenCC does).
    let convert_only = std::env::var_os("CONVERT_ONLY").is_some();
    let _warm = normalizer.normalize(&text);
    let start = std::time::Instant::now();
    let total = run_loop(&normalizer, &text, n, convert_only);
    let secs = start.elapsed().as_secs_f64();
    eprintln!("{:.1} MB/s ({total} bytes out)", (text.len() * n) as f64 / secs / 1e6);
}

#[inline(never)]
fn run_loop(normalizer: &jianghua::Normalizer, text: &str, n: usize, convert_only: bool) -> usize {
    let mut total = 0;
    for _ in 0..n {
        total += if convert_only {
            normalizer.convert(text).len()
        } else {
            normalizer.normalize(text).text.len()
        };
    }
    total
}
