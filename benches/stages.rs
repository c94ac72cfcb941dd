//! Throughput of each stage and of the whole analysis, in bytes of input per second.
//!
//! Inputs: (a) each file of `corpus/raw`, and for normalize also the five together,
//! each a document (`normalize/corpus_all`); (b) a large corpus built by the generator
//! (`examples/gen_corpus.rs`, seed 1): one file of `JIANGHUA_BENCH_MB` megabytes
//! (default 100; 1 MB = 1,000,000 bytes) for the stages, and a directory of
//! `JIANGHUA_BENCH_ANALYZE_MB` megabytes (default 20) in files of ~100 KB for the whole
//! analysis, which works per document, and for normalize document by document
//! (`normalize/batch`). The generated files are cached under
//! `target/bench-corpus/`. Every iteration checks a count computed once outside the
//! loop, so a fast wrong answer cannot pass as speed.
//!
//! Run: `cargo bench` (all), `cargo bench -- normalize` (one stage).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use jianghua::{Analyzer, Normalizer};

fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/raw");
    let files = jianghua::sources::text_files(&dir);
    assert!(!files.is_empty(), "corpus/raw has the seeds");
    files
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).expect("corpus file is UTF-8");
            (name[..3.min(name.len())].to_string(), text)
        })
        .collect()
}

fn env_mb(var: &str, default: u64) -> u64 {
    std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Runs the generator (once; the output is cached) and returns the output path.
fn generated(name: &str, args: &[String]) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let out = target.join("bench-corpus").join(name);
    if !out.exists() {
        std::fs::create_dir_all(out.parent().expect("has a parent")).expect("bench-corpus dir");
        let tmp = out.with_extension("partial");
        let _ = std::fs::remove_dir_all(&tmp);
        let _ = std::fs::remove_file(&tmp);
        // `--dir` takes the output path; every other argument is passed as given.
        let is_dir = args.iter().any(|a| a == "--dir");
        let status = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
            .args(["run", "--release", "--quiet", "--example", "gen_corpus", "--"])
            .args(args.iter().filter(|a| *a != "--dir"))
            .arg(if is_dir { "--dir" } else { "--out" })
            .arg(&tmp)
            .status()
            .expect("cargo runs the generator");
        assert!(status.success(), "gen_corpus failed");
        std::fs::rename(&tmp, &out).expect("generated corpus in place");
        if !is_dir {
            let _ = std::fs::rename(
                tmp.with_extension("partial.manifest.json"),
                out.with_extension("txt.manifest.json"),
            );
        }
    }
    out
}

/// The large input: `JIANGHUA_BENCH_MB` MB of generated documents in one UTF-8 file.
fn large() -> String {
    let mb = env_mb("JIANGHUA_BENCH_MB", 100);
    let path = generated(
        &format!("generated_{mb}MB_seed1.txt"),
        &["--mb".into(), mb.to_string(), "--seed".into(), "1".into()],
    );
    std::fs::read_to_string(&path).expect("generated corpus is UTF-8")
}

/// The large batch: `JIANGHUA_BENCH_ANALYZE_MB` MB of generated documents in files of
/// ~100 KB (some GB18030 and Big5), as bytes.
fn large_files() -> Vec<Vec<u8>> {
    let mb = env_mb("JIANGHUA_BENCH_ANALYZE_MB", 20);
    let files = (mb * 10).max(1);
    let dir = generated(
        &format!("generated_{mb}MB_{files}files_seed1"),
        &[
            "--mb".into(),
            mb.to_string(),
            "--seed".into(),
            "1".into(),
            "--files".into(),
            files.to_string(),
            "--dir".into(),
        ],
    );
    let paths = jianghua::sources::text_files(&dir);
    paths.iter().map(|p| std::fs::read(p).expect("generated file")).collect()
}

fn bench_normalize(c: &mut Criterion) {
    let normalizer = Normalizer::new();
    let corpus = corpus();
    let mut g = c.benchmark_group("normalize");
    for (name, text) in &corpus {
        let expected = normalizer.normalize(text).text.len();
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("corpus", name), text, |b, t| {
            b.iter(|| {
                let n = normalizer.normalize(black_box(t));
                assert_eq!(n.text.len(), expected);
            })
        });
    }
    // The whole corpus, each seed a document of its own as the CLI takes them: the
    // stage's figure on the corpus.
    let total: usize = corpus.iter().map(|(_, t)| t.len()).sum();
    let expected: usize = corpus.iter().map(|(_, t)| normalizer.normalize(t).text.len()).sum();
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("corpus_all", |b| {
        b.iter(|| {
            let n: usize =
                corpus.iter().map(|(_, t)| normalizer.normalize(black_box(t)).text.len()).sum();
            assert_eq!(n, expected);
        })
    });
    // Many different documents, each normalized once per iteration: the generated
    // batch of ~100 KB files (decoded outside the loop). A small file normalized over
    // and over lets the branch predictor learn it; these do not repeat.
    let analyzer = Analyzer::new();
    let batch: Vec<String> = large_files()
        .iter()
        .map(|f| analyzer.decode(f).expect("generated files are text").text)
        .collect();
    let total: usize = batch.iter().map(String::len).sum();
    let expected: usize = batch.iter().map(|t| normalizer.normalize(t).text.len()).sum();
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function(
        BenchmarkId::new("batch", format!("{}MB", (total + 500_000) / 1_000_000)),
        |b| {
            b.iter(|| {
                let n: usize =
                    batch.iter().map(|t| normalizer.normalize(black_box(t)).text.len()).sum();
                assert_eq!(n, expected);
            })
        },
    );
    let big = large();
    // The corpus itself repeated to the same size, as one text: 60 % of its bytes
    // are seed 001, with a pinyin annotation every 28 bytes.
    let unit: String = corpus.iter().map(|(_, t)| format!("{t}\n")).collect();
    let repeated = unit.repeat(big.len() / unit.len().max(1) + 1);
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    for (name, text) in [("large", &big), ("corpus_repeated", &repeated)] {
        let expected = normalizer.normalize(text).text.len();
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(
            BenchmarkId::new(name, format!("{}MB", (text.len() + 500_000) / 1_000_000)),
            |b| {
                b.iter(|| {
                    let n = normalizer.normalize(black_box(text));
                    assert_eq!(n.text.len(), expected);
                })
            },
        );
    }
    g.finish();
}

/// Traditional text of the size `large` makes: seeds 001 (annotations stripped) and 003.
fn large_traditional(corpus: &[(String, String)]) -> String {
    let strip = regex::Regex::new(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)").expect("pattern");
    let unit: String = corpus
        .iter()
        .filter(|(n, _)| n == "001" || n == "003")
        .map(|(_, t)| format!("{}\n", strip.replace_all(t, "")))
        .collect();
    let target = env_mb("JIANGHUA_BENCH_MB", 100) as usize * 1_000_000;
    unit.repeat(target / unit.len().max(1) + 1)
}

/// The script conversion alone (what OpenCC's t2s does), on the large inputs.
fn bench_convert(c: &mut Criterion) {
    let normalizer = Normalizer::new();
    let corpus = corpus();
    let mut g = c.benchmark_group("convert");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    for (name, text) in
        [("large_generated", large()), ("large_traditional", large_traditional(&corpus))]
    {
        let expected = normalizer.convert(&text).len();
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(
            BenchmarkId::new(name, format!("{}MB", (text.len() + 500_000) / 1_000_000)),
            |b| b.iter(|| assert_eq!(normalizer.convert(black_box(&text)).len(), expected)),
        );
    }
    g.finish();
}

fn bench_boilerplate(c: &mut Criterion) {
    let normalizer = Normalizer::new();
    let stage = jianghua::boilerplate::Boilerplate::new();
    let corpus = corpus();
    let mut g = c.benchmark_group("boilerplate");
    for (name, text) in &corpus {
        // The stage reads the normalized view; its throughput is counted on the input.
        let view = normalizer.normalize(text).text;
        let expected = stage.find(&view).removals.len();
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("corpus", name), &view, |b, v| {
            b.iter(|| assert_eq!(stage.find(black_box(v)).removals.len(), expected))
        });
    }
    let big = large();
    let view = normalizer.normalize(&big).text;
    let expected = stage.find(&view).removals.len();
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function(
        BenchmarkId::new("large", format!("{}MB", (big.len() + 500_000) / 1_000_000)),
        |b| b.iter(|| assert_eq!(stage.find(black_box(&view)).removals.len(), expected)),
    );
    g.finish();
}

fn bench_speeches(c: &mut Criterion) {
    let analyzer = Analyzer::new();
    let splitter = jianghua::speeches::Splitter::new();
    let mut g = c.benchmark_group("speeches");
    for (name, text) in &corpus() {
        let clean = analyzer.analyze(text).text;
        let expected = splitter.split(&clean).len();
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("corpus", name), &clean, |b, t| {
            b.iter(|| assert_eq!(splitter.split(black_box(t)).len(), expected))
        });
    }
    g.finish();
}

fn bench_outline(c: &mut Criterion) {
    let analyzer = Analyzer::new();
    let outliner = jianghua::outline::Outliner::new();
    let mut g = c.benchmark_group("outline");
    for (name, text) in &corpus() {
        let clean = analyzer.analyze(text).text;
        let count = |o: &jianghua::outline::Outline| o.points.len();
        let expected = count(&outliner.outline(&clean, 0, clean.len(), None, false));
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("corpus", name), &clean, |b, t| {
            b.iter(|| {
                assert_eq!(
                    count(&outliner.outline(black_box(t), 0, t.len(), None, false)),
                    expected
                )
            })
        });
    }
    g.finish();
}

fn bench_elements(c: &mut Criterion) {
    let analyzer = Analyzer::new();
    let finder = jianghua::elements::ElementFinder::default();
    let mut g = c.benchmark_group("elements");
    for (name, text) in &corpus() {
        let clean = analyzer.analyze(text).text;
        let expected = finder.find(&clean).elements.len();
        let keywords = finder.keywords(&clean, 10).len();
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("formulas", name), &clean, |b, t| {
            b.iter(|| assert_eq!(finder.find(black_box(t)).elements.len(), expected))
        });
        g.bench_with_input(BenchmarkId::new("formulas_and_keywords", name), &clean, |b, t| {
            b.iter(|| {
                assert_eq!(finder.find(black_box(t)).elements.len(), expected);
                assert_eq!(finder.keywords(black_box(t), 10).len(), keywords);
            })
        });
    }
    g.finish();
}

fn bench_despin(c: &mut Criterion) {
    let normalizer = Normalizer::new();
    let stage = jianghua::spin::Despinner::new();
    let finder = jianghua::elements::ElementFinder::default();
    let mut g = c.benchmark_group("despin");
    for (name, text) in &corpus() {
        let view = normalizer.normalize(text).text;
        let is_word = |s: usize, e: usize| finder.is_word(&view, s, e);
        let expected = stage.check(&view, true, &is_word).repairs.len();
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("corpus", name), &view, |b, v| {
            b.iter(|| assert_eq!(stage.check(black_box(v), true, &is_word).repairs.len(), expected))
        });
    }
    g.finish();
}

fn bench_decode(c: &mut Criterion) {
    let analyzer = Analyzer::new();
    let corpus = corpus();
    let all: String = corpus.iter().map(|(_, t)| t.as_str()).collect();
    let (gbk, _, _) = encoding_rs::GB18030.encode(&all);
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(gbk.len() as u64));
    let chars = all.chars().count();
    g.bench_function("corpus_gb18030", |b| {
        b.iter(|| {
            let d = analyzer.decode(black_box(&gbk)).expect("text");
            assert_eq!(d.text.chars().count(), chars);
        })
    });
    g.finish();
}

fn bench_analyze(c: &mut Criterion) {
    let corpus = corpus();
    let files = large_files();
    let total: usize = files.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group("analyze");
    for keywords in [true, false] {
        let analyzer = Analyzer::builder().keywords(keywords).build().expect("analyzer");
        let kind = if keywords { "with_keywords" } else { "without_keywords" };
        for (name, text) in &corpus {
            let expected = analyzer.analyze(text).text.len();
            g.sample_size(100).measurement_time(Duration::from_secs(5));
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(format!("corpus_{kind}"), name), text, |b, t| {
                b.iter(|| {
                    let r = analyzer.analyze_bytes(black_box(t.as_bytes()));
                    assert_eq!(r.text.len(), expected);
                })
            });
        }
        // The batch: every generated file analyzed in turn on one core, as the CLI's
        // workers do.
        let expected: usize = files.iter().map(|f| analyzer.analyze_bytes(f).speeches.len()).sum();
        g.sample_size(10).measurement_time(Duration::from_secs(30));
        g.throughput(Throughput::Bytes(total as u64));
        let id = BenchmarkId::new(
            format!("large_{kind}"),
            format!("{}MB", (total + 500_000) / 1_000_000),
        );
        g.bench_function(id, |b| {
            b.iter(|| {
                let n: usize =
                    files.iter().map(|f| analyzer.analyze_bytes(black_box(f)).speeches.len()).sum();
                assert_eq!(n, expected);
            })
        });
    }
    g.finish();
}

fn bench_startup(c: &mut Criterion) {
    let mut g = c.benchmark_group("startup");
    g.sample_size(10);
    g.bench_function("analyzer_new", |b| b.iter(|| black_box(Analyzer::new())));
    g.finish();
}

criterion_group!(
    benches,
    bench_decode,
    bench_convert,
    bench_normalize,
    bench_boilerplate,
    bench_speeches,
    bench_outline,
    bench_elements,
    bench_despin,
    bench_analyze,
    bench_startup
);
criterion_main!(benches);
