//! Synonym spinning against hand-made answer keys (`corpus/spin/`):
//! - seed 000 is spun, and every despin repair is checked against
//!   `seed000_places.tsv` (spun places with their originals, genuine look-alikes,
//!   undecided places): at least 40 right, none wrong;
//! - seeds 001–004 and every unspun test document are not spun and get no repair;
//! - the spun passages `s*.spun.txt` (substitutions applied by hand, listed in
//!   `s*.tsv`): precision and recall of the repairs are printed; precision must be 1.0.

use std::path::{Path, PathBuf};

mod common;

use jianghua::{Analyzer, Repair, RepairKind};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn analyzer() -> Analyzer {
    let mut b = Analyzer::builder();
    b.keywords(false);
    b.build().unwrap()
}

/// A hand-listed place: the spun word at a byte offset of the input, and its original.
#[derive(Debug, Clone)]
struct Place {
    start: usize,
    end: usize,
    spun: String,
    original: String,
    section: &'static str,
}

/// Places of a TSV whose rows are `… spun original left right …` with contexts that
/// locate the spun word in `input`.
fn places(input: &str, tsv: &str, cols: (usize, usize, usize, usize)) -> Vec<Place> {
    let mut out = Vec::new();
    let mut section = "spun";
    for line in tsv.lines() {
        if line.starts_with("# NOT SPUN") {
            section = "not_spun";
            continue;
        }
        if line.starts_with("# UNDECIDED") {
            section = "undecided";
            continue;
        }
        if line.starts_with("# OUT OF SCOPE") {
            section = "out_of_scope";
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let (spun, original, left, right) = (f[cols.0], f[cols.1], f[cols.2], f[cols.3]);
        let needle = format!("{left}{spun}{right}");
        for (i, _) in input.match_indices(&needle) {
            let start = i + left.len();
            out.push(Place {
                start,
                end: start + spun.len(),
                spun: spun.to_string(),
                original: original.to_string(),
                section,
            });
        }
    }
    out
}

/// Is a despin repair right (the spun places it covers restored, everything else in
/// its span unchanged), wrong, or neutral (it differs from that only at undecided or
/// out-of-scope places)?
fn judge(r: &Repair, places: &[Place]) -> &'static str {
    let mut inside: Vec<&Place> =
        places.iter().filter(|p| p.start >= r.start && p.end <= r.end && p.start < p.end).collect();
    inside.sort_by_key(|p| p.start);
    inside.dedup_by_key(|p| p.start);
    // What the repair should give: spun places restored, the rest as it was.
    let rebuild = |restore: &dyn Fn(&Place) -> bool| {
        let mut out = String::new();
        let mut pos = r.start;
        for p in &inside {
            if p.start < pos {
                continue;
            }
            out.push_str(&r.from[pos - r.start..p.start - r.start]);
            out.push_str(if restore(p) { &p.original } else { &p.spun });
            pos = p.end;
        }
        out.push_str(&r.from[pos - r.start..]);
        out
    };
    let has_spun = inside.iter().any(|p| p.section == "spun");
    if has_spun && rebuild(&|p| p.section == "spun") == r.to {
        return "right";
    }
    // Right but for undecided / out-of-scope places it also changed.
    if has_spun && rebuild(&|p| p.section != "not_spun") == r.to {
        return "neutral";
    }
    if !has_spun
        && !inside.is_empty()
        && inside.iter().all(|p| p.section == "undecided" || p.section == "out_of_scope")
    {
        return "neutral";
    }
    "wrong"
}

#[test]
fn seed_000_is_spun_and_repaired_without_a_wrong_repair() {
    let input =
        std::fs::read_to_string(root().join("corpus/raw/000_d9484b715fa007eb.txt")).unwrap();
    let tsv = std::fs::read_to_string(root().join("corpus/spin/seed000_places.tsv")).unwrap();
    let places = places(&input, &tsv, (1, 2, 3, 4));
    let r = analyzer().analyze(&input);
    assert!(r.spin.spun, "seed 000 is spun (score {})", r.spin.score);
    let (mut right, mut wrong, mut neutral) = (0, 0, 0);
    for rep in r.repairs.iter().filter(|x| x.kind == RepairKind::Despin) {
        match judge(rep, &places) {
            "right" => right += 1,
            "neutral" => neutral += 1,
            _ => {
                wrong += 1;
                println!("WRONG {:?} → {:?} at {}", rep.from, rep.to, rep.start);
            }
        }
    }
    let spun_places = places.iter().filter(|p| p.section == "spun").count();
    println!("seed 000: score {}, {right} right, {wrong} wrong, {neutral} neutral repairs; {spun_places} spun places listed", r.spin.score);
    assert!(right >= 40, "{right} right repairs");
    assert_eq!(wrong, 0);
}

#[test]
fn unspun_documents_are_left_alone() {
    let a = analyzer();
    let mut docs = common::corpus_txt("raw", |n| n.ends_with(".txt") && !n.starts_with("000_"));
    for d in ["sites", "outline", "elements"] {
        docs.extend(common::all_txt(d));
    }
    docs.extend(common::corpus_txt("spin", |n| n.ends_with(".orig.txt")));
    let mut flagged = Vec::new();
    for d in &docs {
        let r = a.analyze(&std::fs::read_to_string(d).unwrap());
        let despins = r.repairs.iter().filter(|x| x.kind == RepairKind::Despin).count();
        if r.spin.spun || despins > 0 {
            flagged.push(format!("{} (score {}, {despins} repairs)", d.display(), r.spin.score));
        }
    }
    println!("{} unspun documents checked", docs.len());
    assert!(flagged.is_empty(), "flagged as spun: {flagged:#?}");
}

#[test]
fn spun_passages_precision_and_recall() {
    let a = analyzer();
    let passages = common::corpus_txt("spin", |n| n.ends_with(".spun.txt"));
    assert!(passages.len() >= 10, "at least 10 spun passages");
    let (mut right, mut wrong, mut total_subs, mut spun_docs) = (0usize, 0usize, 0usize, 0usize);
    for p in &passages {
        let input = std::fs::read_to_string(p).unwrap();
        let tsv_path = Path::new(&p.to_string_lossy().replace(".spun.txt", ".tsv")).to_path_buf();
        let tsv = std::fs::read_to_string(&tsv_path).unwrap();
        // Passage keys: spun, orig, left context, right context.
        let places = places(&input, &tsv, (0, 1, 2, 3));
        total_subs += tsv.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).count();
        let r = a.analyze(&input);
        spun_docs += usize::from(r.spin.spun);
        for rep in r.repairs.iter().filter(|x| x.kind == RepairKind::Despin) {
            if judge(rep, &places) == "right" {
                // A collocation repair may restore several substitutions at once.
                right += places
                    .iter()
                    .filter(|pl| pl.start >= rep.start && pl.end <= rep.end)
                    .count()
                    .max(1);
            } else {
                wrong += 1;
                println!("{}: WRONG {:?} → {:?}", p.display(), rep.from, rep.to);
            }
        }
    }
    let precision = right as f64 / (right + wrong).max(1) as f64;
    let recall = right as f64 / total_subs.max(1) as f64;
    println!(
        "{} spun passages ({spun_docs} judged spun): repairs precision {precision:.3}, recall {recall:.3} ({right} of {total_subs} substitutions restored, {wrong} wrong)",
        passages.len()
    );
    assert_eq!(wrong, 0, "precision must be 1.0");
}
