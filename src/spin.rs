//! Stage `spin`: sharing-site synonym spinning (伪原创), detected and undone.
//!
//! Sharing sites rewrite speeches with a synonym table so that plagiarism checks miss
//! them: 中央→中心, 认识→熟悉, 监督→监视, 建设→建立, 坚定→坚决, 覆盖→掩盖, 发展→进展 …
//! The result has collocations no writer of the genre produces: 党中心, 坚决不移,
//! 全掩盖, 根底上, 顺当开展, 发觉问题, 党内监视, 党风廉政建立.
//!
//! **Detection**: the fingerprint collocations of `src/data/despin.tsv` (strong: never
//! written by hand; medium: rarely) are counted; the score is their weight per 1,000
//! characters, and a document with at least three strong fingerprints and a score of
//! at least 0.5 is spun. The evidence (which fingerprints, where) is reported.
//!
//! **Repair**, only in documents judged spun: each fingerprint collocation is replaced
//! by its original (`despin.collocation`), whole, never a bare character swap, and only
//! where jieba-rs does not cut through the collocation's edges. Medium fingerprints are
//! repaired only in strongly spun documents (score ≥ 2). Not attempted: a spun word
//! outside a known collocation (熟悉 alone is also a genuine word), chains that stay
//! ambiguous in context (进展 for both 发展 and 进行: only 向纵深进展, 进展环境 … are
//! repaired), a bare 其次 standing for 第二 (首先…其次 is genuine; the outline stage
//! reads it as ordinal 2 instead).
//!
//! **Typos** of fixed phrases (`src/data/typos.tsv`: 全面从演治党 → 全面从严治党) are
//! corrected in every document (`typo.fixed_phrase`).

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

const FINGERPRINTS: &str = include_str!("data/despin.tsv");
const TYPOS: &str = include_str!("data/typos.tsv");

/// One fingerprint found: where, and what it stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The spun collocation as found.
    pub fingerprint: String,
    /// The original it replaced.
    pub original: String,
    /// `strong` or `medium`.
    pub strength: String,
    /// Byte offset of the fingerprint in the text the stage read.
    pub start: usize,
    /// Exclusive end.
    pub end: usize,
}

/// The verdict on a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Verdict {
    /// Fingerprint weight per 1,000 characters.
    pub score: f64,
    /// True when the text is judged spun.
    pub spun: bool,
    /// The fingerprints found.
    pub evidence: Vec<Evidence>,
    /// Repairs: (start, end, original, rule) over the text the stage read.
    pub repairs: Vec<(usize, usize, String, crate::Rule)>,
}

struct Entry {
    original: String,
    strong: bool,
}

/// The stage. Build once.
pub struct Despinner {
    entries: Vec<Entry>,
    fingerprints: AhoCorasick,
    typos: Vec<String>,
    typo_ac: AhoCorasick,
}

impl std::fmt::Debug for Despinner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Despinner").field("fingerprints", &self.entries.len()).finish()
    }
}

impl Default for Despinner {
    fn default() -> Self {
        Despinner::new()
    }
}

fn rows(tsv: &str) -> impl Iterator<Item = Vec<&str>> {
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

impl Despinner {
    /// Builds the stage from the embedded tables.
    pub fn new() -> Despinner {
        let mut patterns = Vec::new();
        let mut entries = Vec::new();
        for r in rows(FINGERPRINTS) {
            if r.len() < 3 || r[0] == r[1] {
                continue;
            }
            patterns.push(r[0].to_string());
            entries.push(Entry { original: r[1].to_string(), strong: r[2].trim() == "strong" });
        }
        let fingerprints = crate::dictionary_automaton(&patterns, MatchKind::LeftmostLongest);
        let (mut typo_pats, mut typos) = (Vec::new(), Vec::new());
        for r in rows(TYPOS) {
            if r.len() >= 2 {
                typo_pats.push(r[0].to_string());
                typos.push(r[1].to_string());
            }
        }
        let typo_ac = crate::dictionary_automaton(&typo_pats, MatchKind::LeftmostLongest);
        Despinner { entries, fingerprints, typos, typo_ac }
    }

    /// Fixed-phrase typos in `text`: (start, end, correction).
    pub fn typos(&self, text: &str) -> Vec<(usize, usize, String)> {
        self.typo_ac
            .find_iter(text)
            .map(|m| (m.start(), m.end(), self.typos[m.pattern().as_usize()].clone()))
            .collect()
    }

    /// Scores `text` and, when `repair` and the text is spun, lists the repairs.
    /// `is_word(start, end)` says whether a span stands as whole words (jieba-rs).
    pub fn check(
        &self,
        text: &str,
        repair: bool,
        is_word: &dyn Fn(usize, usize) -> bool,
    ) -> Verdict {
        let mut v = Verdict::default();
        let mut weight = 0.0;
        let mut strong = 0;
        for m in self.fingerprints.find_iter(text) {
            let e = &self.entries[m.pattern().as_usize()];
            weight += if e.strong { 1.0 } else { 0.5 };
            strong += usize::from(e.strong);
            v.evidence.push(Evidence {
                fingerprint: text[m.start()..m.end()].to_string(),
                original: e.original.clone(),
                strength: if e.strong { "strong" } else { "medium" }.to_string(),
                start: m.start(),
                end: m.end(),
            });
        }
        let chars = text.chars().count().max(1);
        v.score = (weight * 1000.0 / chars as f64 * 100.0).round() / 100.0;
        v.spun = strong >= 3 && v.score >= 0.5;
        if v.spun && repair {
            for ev in &v.evidence {
                if ev.strength == "medium" && v.score < 2.0 {
                    continue;
                }
                if !is_word(ev.start, ev.end) {
                    continue;
                }
                v.repairs.push((
                    ev.start,
                    ev.end,
                    ev.original.clone(),
                    crate::Rule::DESPIN_COLLOCATION,
                ));
            }
        }
        v
    }
}
