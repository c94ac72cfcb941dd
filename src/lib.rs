//! # jianghua (讲话)
//!
//! Turns scraped Chinese political speeches into clean, structured data.
//!
//! What a corpus builder downloads from document-sharing and essay sites is dirty in
//! many ways at once: Traditional or mixed script, inline pinyin (`紀(jì)委`), GBK
//! mojibake, website boilerplate, page markers, several speeches glued into one file.
//! jianghua decodes the bytes, normalizes to clean Simplified text and records every
//! change it makes with byte offsets, so a user can audit what the cleaner did.
//!
//! The pipeline is a chain of stages, one module each: [`decode`], [`normalize`],
//! [`boilerplate`], [`speeches`], [`outline`], [`elements`]. [`Analyzer`] runs them all
//! and returns an [`Analysis`], whose serde form is the record documented in the README
//! ("Record format").
//!
//! # Example: clean a Traditional speech with pinyin annotations
//!
//! ```
//! let analyzer = jianghua::Analyzer::new();
//! let record = analyzer.analyze("紀(jì)委書記:同志們,要著力解決羣眾反映的問題。");
//! assert_eq!(record.text, "纪委书记：同志们，要着力解决群众反映的问题。");
//! assert_eq!(record.script, jianghua::Script::Traditional);
//! // The annotation removal is recorded with byte offsets into the input.
//! let repair = &record.repairs[0];
//! assert_eq!((repair.from.as_str(), repair.to.as_str()), ("紀(jì)", "纪"));
//! assert_eq!((repair.start, repair.end), (0, 8));
//! assert_eq!(repair.rule, "pinyin.inline");
//! ```
//!
//! # Example: audit a record
//!
//! Deleting every removed span, putting each repair's replacement in place and
//! normalizing the rest gives back exactly `text`:
//!
//! ```
//! let analyzer = jianghua::Analyzer::new();
//! let input = "xxx紀(jì)委書記在會(huì)議上的講話";
//! let record = analyzer.analyze(input);
//! let rebuilt = analyzer.reconstruct(input, &record.removed, &record.repairs).unwrap();
//! assert_eq!(rebuilt, record.text);
//! ```
//!
//! # Panics
//!
//! Processing text never panics, whatever the bytes; bad input yields a record with
//! `error` set. Only building an analyzer with bad options fails, with an [`Error`].
//!
//! # Crate features
//!
//! - `cli` (default): the `jianghua` command-line tool (clap, indicatif).
//! - `opencc`: the C++ OpenCC through `opencc-rust`, for differential tests against the
//!   built-in conversion engine. Needs libopencc.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
#![forbid(unsafe_code)]

pub mod boilerplate;
pub mod decode;
mod edit;
pub mod elements;
pub mod normalize;
mod numeral;
pub mod outline;
mod record;
pub mod sources;
pub mod speeches;
pub mod spin;

pub use crate::edit::OffsetMap;
pub use crate::normalize::convert::{Conversion, Converter};
pub use crate::normalize::{Backend, Normalized, Normalizer};
pub use crate::record::{
    Analysis, Element, Point, Removal, Repair, RepairKind, Rule, Script, Span, Speech, Spin,
};
pub use compact_str::CompactString;

use crate::edit::{Change, Edit};

// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// What can go wrong: building an analyzer with bad options, or auditing a record
/// whose spans do not fit its input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A span lies outside the input, off a character boundary, or overlaps another.
    #[error("bad span {start}..{end}: {why}")]
    BadSpan {
        /// Start of the span.
        start: usize,
        /// End of the span.
        end: usize,
        /// What is wrong with it.
        why: &'static str,
    },
    /// A lexicon or profile file is not valid.
    #[error("{0}")]
    Config(String),
    /// The conversion backend could not be set up.
    #[error("conversion backend: {0}")]
    Backend(String),
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Options for an [`Analyzer`]. Start from [`Analyzer::builder`].
#[derive(Debug, Clone, Default)]
pub struct AnalyzerBuilder {
    backend: Backend,
    repeated_lines: Vec<String>,
    lexicon_files: Vec<std::path::PathBuf>,
    profile: Option<elements::Profile>,
    no_keywords: bool,
    despin_detect_only: bool,
}

impl AnalyzerBuilder {
    /// The engine that converts Traditional to Simplified (default: built in).
    pub fn backend(&mut self, backend: Backend) -> &mut AnalyzerBuilder {
        self.backend = backend;
        self
    }

    /// Lines known to be website furniture in this batch, typically lines that repeat
    /// across many documents of one corpus (count them with
    /// [`Analyzer::candidate_lines`]). They are removed wherever they stand unless
    /// they read as speech (rule `batch.repeated_line`).
    pub fn repeated_lines<I: IntoIterator<Item = String>>(
        &mut self,
        lines: I,
    ) -> &mut AnalyzerBuilder {
        self.repeated_lines = lines.into_iter().collect();
        self
    }

    /// Adds the formulas of a lexicon file (same TOML format as the built-in
    /// `formulas.toml`) to the built-in lexicon; a formula of the same name replaces
    /// the built-in one.
    pub fn lexicon_file(&mut self, path: impl Into<std::path::PathBuf>) -> &mut AnalyzerBuilder {
        self.lexicon_files.push(path.into());
        self
    }

    /// A required-elements profile: `missing_elements` lists what a speech lacks.
    pub fn profile(&mut self, profile: elements::Profile) -> &mut AnalyzerBuilder {
        self.profile = Some(profile);
        self
    }

    /// Compute each speech's `keywords` (default: yes). TF-IDF over jieba-rs is the
    /// most expensive part of an analysis; turn it off when throughput matters more.
    pub fn keywords(&mut self, yes: bool) -> &mut AnalyzerBuilder {
        self.no_keywords = !yes;
        self
    }

    /// Synonym spinning: detect and repair (default), or detect only (`false`):
    /// `spin` is still scored, but no `despin` repair is made.
    pub fn despin_repair(&mut self, yes: bool) -> &mut AnalyzerBuilder {
        self.despin_detect_only = !yes;
        self
    }

    /// Builds the analyzer: loads the embedded dictionaries once.
    ///
    /// # Errors
    ///
    /// When a user-supplied file cannot be read or parsed.
    pub fn build(&self) -> Result<Analyzer, Error> {
        let mut lexicon = elements::Lexicon::builtin();
        for path in &self.lexicon_files {
            let text = std::fs::read_to_string(path)
                .map_err(|source| Error::Io { path: path.display().to_string(), source })?;
            let extra = elements::Lexicon::parse(&text)
                .map_err(|why| Error::Config(format!("{}: {why}", path.display())))?;
            lexicon.extend(extra);
        }
        Ok(Analyzer {
            elements: elements::ElementFinder::new(lexicon),
            profile: self.profile.clone(),
            keywords: !self.no_keywords,
            despinner: spin::Despinner::new(),
            despin_repair: !self.despin_detect_only,
            normalizer: Normalizer::with_backend(self.backend)?,
            boilerplate: boilerplate::Boilerplate::new()
                .with_repeated_lines(self.repeated_lines.iter().cloned()),
            splitter: speeches::Splitter::new(),
            outliner: outline::Outliner::new(),
        })
    }
}

/// Runs the whole pipeline. Build once; it is `Send + Sync`, so one instance serves
/// all threads.
#[derive(Debug)]
pub struct Analyzer {
    normalizer: Normalizer,
    boilerplate: boilerplate::Boilerplate,
    splitter: speeches::Splitter,
    outliner: outline::Outliner,
    elements: elements::ElementFinder,
    profile: Option<elements::Profile>,
    keywords: bool,
    despinner: spin::Despinner,
    despin_repair: bool,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new()
    }
}

impl Analyzer {
    /// An analyzer with default options.
    pub fn new() -> Analyzer {
        Analyzer {
            normalizer: Normalizer::new(),
            boilerplate: boilerplate::Boilerplate::new(),
            splitter: speeches::Splitter::new(),
            outliner: outline::Outliner::new(),
            elements: elements::ElementFinder::default(),
            profile: None,
            keywords: true,
            despinner: spin::Despinner::new(),
            despin_repair: true,
        }
    }

    /// Options, then [`AnalyzerBuilder::build`].
    pub fn builder() -> AnalyzerBuilder {
        AnalyzerBuilder::default()
    }

    /// The normalize stage this analyzer uses.
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// Decodes bytes as [`Analyzer::analyze_bytes`] does: the decoded input that a
    /// record's spans point into, for [`Analyzer::reconstruct`].
    ///
    /// # Errors
    ///
    /// When the bytes are not text (the record's `error`).
    pub fn decode(&self, bytes: &[u8]) -> Result<decode::Decoded, decode::NotText> {
        decode::decode(bytes, &|c| self.normalizer.simplify_char(c))
    }

    /// Analyzes raw bytes: detects the encoding, decodes, then [`Analyzer::analyze`].
    /// Bytes that are not text give a record with `error` set.
    pub fn analyze_bytes(&self, bytes: &[u8]) -> Analysis {
        match self.decode(bytes) {
            Ok(d) => {
                let mut record = self.analyze(&d.text);
                record.encoding = d.encoding.to_string();
                record
            }
            Err(e) => Analysis::error("", e.to_string()),
        }
    }

    /// The lines of a document that could be batch furniture (short, not speech),
    /// distinct, as the boilerplate stage sees them. A batch tool counts in how many
    /// documents each occurs and passes the frequent ones to
    /// [`AnalyzerBuilder::repeated_lines`].
    pub fn candidate_lines(&self, bytes: &[u8]) -> Vec<String> {
        let Ok(d) = self.decode(bytes) else { return Vec::new() };
        // The normalize stage's repairs come settled.
        let repairs = self.normalizer.find_repairs(&d.text);
        let (view, _) = self.normalizer.apply(&d.text, &repairs);
        self.boilerplate.candidate_lines(&view)
    }

    /// Analyzes decoded text.
    pub fn analyze(&self, input: &str) -> Analysis {
        // 1. Repairs of the input itself: undecodable bytes, mojibake, pinyin.
        let mut edits = invalid_bytes(input);
        edits.extend(self.normalizer.find_repairs(input).into_iter().map(Edit::Replace));
        let edits = edit::settle(input, edits);
        // 2. Boilerplate, found on the normalized view and mapped back to the input.
        //    Removing lines, joining cut pages and cutting inline furniture change how
        //    the rest reads (which line is the last sentence, a comma before a tag), so
        //    the stage runs again on the view without what it found, until it finds
        //    nothing new: a second analysis of the clean text then removes nothing.
        let mut repairs = edits;
        let mut found: Vec<Edit> = Vec::new();
        let mut truncation_found = None;
        // The input's script is counted as the first view is built.
        let (mut view, mut map, script) = self.normalizer.apply_with_script(input, &repairs);
        // The edits `view` was built from: when the final edits are the same, the
        // view is the text, and the last `apply` is saved.
        let mut view_edits = repairs.clone();
        let mut lines_seen = boilerplate::LineCache::default();
        // Spans already found, so a later round adds only what is new (a set: a file
        // can have thousands of findings).
        let mut found_spans: std::collections::HashSet<(usize, usize)> = Default::default();
        for round in 0..3 {
            let f = self.boilerplate.find_cached(&view, &mut lines_seen);
            if round == 0 {
                truncation_found = f.truncation.clone();
            }
            let new: Vec<Edit> = map_findings(input, &map, &f)
                .into_iter()
                .filter(|e| e.kind() != Some(RepairKind::Placeholder) || round == 0)
                .filter(|e| found_spans.insert((e.start(), e.end())))
                .collect();
            let effective = new.iter().any(|e| e.kind() != Some(RepairKind::Placeholder));
            found.extend(new);
            if !effective {
                break;
            }
            let mut next = repairs.clone();
            next.extend(found.iter().cloned());
            view_edits = edit::settle(input, next);
            (view, map) = self.normalizer.apply(input, &view_edits);
        }
        // Annotations that only the removals brought next to their character (`報(<p>
        // bào)`, `認(rèn)&nbsp;(shí)`): found on the view, as a second analysis would
        // find them, and repaired over the whole input span, which takes in the edits
        // inside it.
        for _ in 0..2 {
            let late = self.normalizer.annotations(&view);
            if late.is_empty() {
                break;
            }
            let late: Vec<Edit> = late
                .into_iter()
                .map(|(s, char_end, e, rule)| {
                    let to = view[s..char_end].to_string();
                    Edit::replace(map.start_of(s), map.end_of(e), RepairKind::Pinyin, rule, to)
                })
                .collect();
            // The late spans are sorted and disjoint: one binary search per edit finds
            // the span that may take it in.
            let inside_late = |x: &Edit| {
                let k = late.partition_point(|l| l.end() < x.end());
                late.get(k).is_some_and(|l| l.start() <= x.start() && x.end() <= l.end())
            };
            repairs.retain(|x| !inside_late(x));
            found.retain(|x| !inside_late(x));
            found.extend(late);
            let mut next = repairs.clone();
            next.extend(found.iter().cloned());
            view_edits = edit::settle(input, next);
            (view, map) = self.normalizer.apply(input, &view_edits);
        }
        let mut all = repairs;
        all.extend(found);
        // Spinning and fixed-phrase typos, read on the same view.
        let is_word = |s: usize, e: usize| self.elements.is_word(&view, s, e);
        let verdict = self.despinner.check(&view, self.despin_repair, &is_word);
        for (s, e, to, rule) in &verdict.repairs {
            all.push(Edit::replace(
                map.start_of(*s),
                map.end_of(*e),
                RepairKind::Despin,
                *rule,
                to.clone(),
            ));
        }
        for (s, e, to) in self.despinner.typos(&view) {
            all.push(Edit::replace(
                map.start_of(s),
                map.end_of(e),
                RepairKind::Typo,
                Rule::TYPO_FIXED_PHRASE,
                to,
            ));
        }
        let spin = Spin {
            score: verdict.score,
            spun: verdict.spun,
            evidence: verdict
                .evidence
                .into_iter()
                .map(|mut ev| {
                    ev.start = map.start_of(ev.start);
                    ev.end = map.end_of(ev.end);
                    ev
                })
                .collect(),
        };
        let edits = edit::settle(input, all);
        // 3. The text, and the speeches in it.
        let text = if edits == view_edits { view } else { self.normalizer.apply(input, &edits).0 };
        let (removed, repairs) = edit::to_record(input, edits);
        let spans = self.splitter.split(&text);
        let mut truncation = truncation_found;
        if spans.iter().any(|s| s.cut_by_elision) {
            truncation
                .get_or_insert_with(Default::default)
                .reasons
                .push("an elision (……) joins the cut end of a speech to the next".to_string());
        }
        let n = spans.len();
        let found = self.elements.find(&text);
        let mut speeches: Vec<Speech> = spans
            .into_iter()
            .enumerate()
            .map(|(k, s)| {
                // This speech is cut if an elision cut it, or if it is the last one of
                // a truncated text.
                let cut = s.cut_by_elision || (k + 1 == n && truncation.is_some());
                let o = self.outliner.outline(&text, s.start, s.end, s.summary_span, cut);
                let mut warnings = o.warnings;
                if let Some(sum) = &s.summary {
                    warnings.extend(self.outliner.compare_summary(sum, &o.points));
                }
                let keywords = if self.keywords {
                    self.elements.keywords(&text[s.start..s.end], 10)
                } else {
                    Vec::new()
                };
                Speech {
                    title: s.title,
                    start: s.start,
                    end: s.end,
                    announced_points: o.announced_points,
                    summary: s.summary,
                    keywords,
                    points: o.points,
                    warnings,
                }
            })
            .collect();
        // Element warnings go to the speech where the formula first occurs.
        for (at, w) in found.warnings {
            if let Some(s) =
                speeches.iter_mut().find(|s| s.start <= at && at < s.end.max(s.start + 1))
            {
                s.warnings.push(w);
            }
        }
        let missing_elements =
            self.profile.as_ref().map(|p| p.missing(&found.elements)).unwrap_or_default();
        Analysis {
            source: String::new(),
            encoding: "utf-8".to_string(),
            script,
            truncated: truncation.is_some(),
            truncation,
            text,
            removed,
            repairs,
            spin,
            speeches,
            elements: found.elements,
            missing_elements,
            error: None,
        }
    }

    /// Rebuilds `text` from a decoded input and a record's `removed` and `repairs`, as
    /// the contract's reconstruction rule says: removed spans deleted, each repair's
    /// `to` put in place of its span, the untouched stretches normalized.
    ///
    /// # Errors
    ///
    /// When a span is outside the input, not on a character boundary, overlaps
    /// another, or a repair's `from` / removal's `text` is not the input at its span.
    pub fn reconstruct(
        &self,
        input: &str,
        removed: &[Removal],
        repairs: &[Repair],
    ) -> Result<String, Error> {
        let mut edits: Vec<Edit> = Vec::with_capacity(removed.len() + repairs.len());
        for r in removed {
            check_span(input, r.start, r.end, &r.text)?;
            edits.push(Edit::remove(r.start, r.end, Rule::AUDIT));
        }
        for r in repairs {
            check_span(input, r.start, r.end, &r.from)?;
            // The rule plays no part in rebuilding the text.
            edits.push(Edit::replace(r.start, r.end, r.kind, Rule::AUDIT, r.to.clone()));
        }
        edits.sort_by_key(|e| (e.start(), e.end()));
        for w in edits.windows(2) {
            if w[1].start() < w[0].end() {
                let (start, end) = (w[1].start(), w[1].end());
                return Err(Error::BadSpan { start, end, why: "overlaps" });
            }
        }
        Ok(self.normalizer.apply(input, &edits).0)
    }
}

fn check_span(input: &str, start: usize, end: usize, text: &str) -> Result<(), Error> {
    let bad = |why| Err(Error::BadSpan { start, end, why });
    if start > end || end > input.len() {
        return bad("outside the input");
    }
    if !input.is_char_boundary(start) || !input.is_char_boundary(end) {
        return bad("not on a character boundary");
    }
    if &input[start..end] != text {
        return bad("its text is not the input at that span");
    }
    Ok(())
}

/// An Aho-Corasick automaton over a dictionary of the crate, built as a DFA: these
/// dictionaries are small and searched over every document, where a DFA is fastest.
pub(crate) fn dictionary_automaton<I, P>(
    patterns: I,
    match_kind: aho_corasick::MatchKind,
) -> aho_corasick::AhoCorasick
where
    I: IntoIterator<Item = P>,
    P: AsRef<[u8]>,
{
    aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .match_kind(match_kind)
        .build(patterns)
        .expect("an embedded dictionary builds an automaton")
}

/// Maps the boilerplate stage's findings (spans of the normalized view) to edits of
/// the input.
fn map_findings(input: &str, map: &OffsetMap, f: &boilerplate::Findings) -> Vec<Edit> {
    let mut out = Vec::new();
    for &(s, e, rule) in f.removals.iter().chain(&f.inline_removals) {
        out.push(Edit::remove(map.start_of(s), map.end_of(e), rule));
    }
    for (s, e, kind, rule, to) in &f.repairs {
        let (a, b) = (map.start_of(*s), map.end_of(*e));
        if *kind == RepairKind::Placeholder {
            // Keep the text: only where the input reads exactly as the view.
            if input.get(a..b) == Some(to.as_str()) {
                out.push(Edit::replace(a, b, *kind, *rule, to.clone()));
            }
        } else {
            out.push(Edit::replace(a, b, *kind, *rule, to.clone()));
        }
    }
    out
}

/// Runs of U+FFFD (bytes the decoder could not read) are deleted, each run recorded.
fn invalid_bytes(input: &str) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::new();
    for (i, _) in input.match_indices('\u{FFFD}') {
        match out.last_mut() {
            Some(Edit::Replace(last)) if last.end == i => last.end = i + 3,
            _ => out.push(Edit::replace(
                i,
                i + 3,
                RepairKind::Mojibake,
                Rule::DECODE_INVALID_BYTES,
                "",
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}

    #[test]
    fn public_types_are_thread_safe() {
        assert_send_sync::<Analyzer>();
        assert_send_sync::<Analysis>();
        assert_send_sync::<Normalizer>();
        assert_send_sync::<Converter>();
    }

    #[test]
    fn invalid_bytes_are_recorded() {
        let a = Analyzer::new();
        let r = a.analyze_bytes(b"\xE5\xB7\xA1\xFF\xFF\xE5\xAF\x9F");
        assert_eq!(r.text, "巡察");
        assert_eq!(r.repairs.len(), 1);
        assert_eq!(r.repairs[0].rule, "decode.invalid_bytes");
        assert!(matches!(r.repairs[0].kind, RepairKind::Mojibake));
    }
}
