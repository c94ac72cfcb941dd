//! Stage `boilerplate`: website furniture, ads, wrappers, page markers, truncation.
//!
//! The stage reads a normalized view of the document (Simplified, punctuation
//! normalized, see [`crate::normalize`]) so that its rules are written once, and reports
//! every finding as a span of that view; the analyzer maps the spans back to the input.
//!
//! Two layers, both data (`src/data/boilerplate.toml`, embedded):
//!
//! 1. **Site rule sets** for site families seen in the wild (淘文阁, 文鼎文库, 酷乐文行,
//!    原创力, 百度文库, 道客巴巴). A set is active in a document that carries its
//!    signature; each rule is named, and the name is the `rule` of the removal.
//! 2. **A generic classifier** for sites never seen. Each line is scored for
//!    furniture (vocabulary of downloads, sharing, navigation, metadata, contact,
//!    legal notices and related-article lists; separators; digits and Latin;
//!    shortness) against speech (sentence punctuation, Han characters, numbered
//!    headings). Where the line stands matters: before the title and after the last
//!    sentence of the speech furniture is removed on weak evidence; inside the speech
//!    only on strong evidence, because losing a sentence is worse than leaving a
//!    stray line.
//!
//! Inline findings: 淘文阁-style page markers (`…斗争的\n2、坚决决心`) are removed and
//! the cut sentence rejoined (`page_join`); page footers and running headers between
//! the halves of a sentence likewise; anti-copy jammer strings, HTML tags and
//! entities, Markdown markup and bracketed watermarks are cut out of their lines.
//! Holes a site left (`_`, `、、`, `***`) are kept and reported (`placeholder`).
//! Preview walls, elision notices and a text that ends mid-sentence make the document
//! `truncated`, with the counts the site states.

use std::cell::OnceCell;
use std::collections::HashMap;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::record::RepairKind;

const DATA: &str = include_str!("data/boilerplate.toml");

/// What the stage found, as spans of the view it was given.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Spans to delete: (start, end, rule).
    pub removals: Vec<(usize, usize, &'static str)>,
    /// Spans to delete inside kept lines (markup, jammers, bracketed watermarks):
    /// (start, end, rule).
    pub inline_removals: Vec<(usize, usize, &'static str)>,
    /// Spans to replace: (start, end, kind, rule, replacement). `page_join` repairs
    /// delete a cut and its line break; `placeholder` repairs keep the text.
    pub repairs: Vec<(usize, usize, RepairKind, &'static str, String)>,
    /// Evidence that the speech is cut, with the counts the site states.
    pub truncation: Option<Truncation>,
}

/// Why a document is considered cut, and what the site says is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truncation {
    /// Human-readable evidence, e.g. `preview wall: 预览结束，全文3829字…`.
    pub reasons: Vec<String>,
    /// Total length of the full text in characters, as the site states it.
    pub total_chars: Option<u64>,
    /// Characters shown, as the site states it.
    pub shown_chars: Option<u64>,
    /// Characters not shown after a preview wall (还剩1493字), as the site states it.
    pub missing_chars: Option<u64>,
    /// Characters cut out of the middle (此处省略752字), as the site states it.
    pub elided_chars: Option<u64>,
    /// Total pages of the full document, as the site states it.
    pub total_pages: Option<u64>,
    /// Pages not shown, as the site states it.
    pub missing_pages: Option<u64>,
}

#[derive(Deserialize)]
struct Data {
    site: Vec<SiteData>,
    generic: GenericData,
}

#[derive(Deserialize)]
struct SiteData {
    name: String,
    signature: Vec<String>,
    rules: Vec<RuleData>,
}

#[derive(Deserialize)]
struct RuleData {
    name: String,
    kind: String,
    pattern: String,
}

#[derive(Deserialize)]
struct GenericData {
    vocab: HashMap<String, Vec<(String, u32)>>,
    related_headers: String,
    walls: Vec<String>,
    elisions: Vec<String>,
    replies: String,
    salutation: String,
    title_words: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RuleKind {
    Line,
    ToEnd,
    Segment,
}

struct SiteRule {
    name: &'static str,
    kind: RuleKind,
    pattern: Regex,
}

struct Site {
    signature: Vec<Regex>,
    rules: Vec<SiteRule>,
}

/// The compiled rules. Build once; shared by all documents.
pub struct Boilerplate {
    /// Lines known to be furniture in this batch (they repeat across documents).
    repeated: std::collections::HashSet<String>,
    sites: Vec<Site>,
    /// (category, word, weight), the category's rule name interned once.
    vocab: Vec<(&'static str, String, u32)>,
    /// One automaton over every vocabulary word: all hits of a line in one pass.
    vocab_ac: aho_corasick::AhoCorasick,
    related_header: Regex,
    /// Every preview-wall pattern as one alternation: one search per line, not one
    /// per pattern.
    walls: Regex,
    /// Every elision-notice pattern, likewise.
    elisions: Regex,
    replies: Regex,
    salutation: Regex,
    closing: Regex,
    title_words: Regex,
    re: Patterns,
}

impl std::fmt::Debug for Boilerplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Boilerplate").field("sites", &self.sites.len()).finish()
    }
}

/// Fixed generic patterns.
struct Patterns {
    filename: Regex,
    page_counter: Regex,
    page_number_edge: Regex,
    html_tag: Regex,
    html_entity: Regex,
    css: Regex,
    script: Regex,
    md_heading: Regex,
    md_rule: Regex,
    md_quote: Regex,
    md_image: Regex,
    md_emphasis: Regex,
    url: Regex,
    datetime: Regex,
    phone: Regex,
    qq_number: Regex,
    bracketed: Regex,
    date_line: Regex,
    summary: Regex,
    page_marker: Regex,
    speaker: Regex,
    site_name: Regex,
    marker: Regex,
    placeholder: Regex,
    stated: Vec<(Regex, StatedField)>,
    ascii_run: Regex,
}

#[derive(Debug, Clone, Copy)]
enum StatedField {
    Total,
    Shown,
    Missing,
    Elided,
    TotalPages,
    MissingPages,
}

fn interned(s: &str) -> &'static str {
    // Rule names live as long as the program: a few dozen short strings, interned
    // (kept once however many analyzers are built).
    crate::Rule::new(s).as_str()
}

fn rx(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| panic!("embedded boilerplate pattern {p:?}: {e}"))
}

/// One pattern that matches where any of `patterns` does (none: matches nothing).
fn any_of(patterns: &[String]) -> Regex {
    if patterns.is_empty() {
        return rx(r"[^\s\S]");
    }
    for p in patterns {
        rx(p);
    }
    rx(&patterns.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|"))
}

impl Default for Boilerplate {
    fn default() -> Self {
        Boilerplate::new()
    }
}

impl Boilerplate {
    /// Compiles the embedded rules.
    ///
    /// # Panics
    ///
    /// Never on user input: only if the embedded data file is malformed, which the
    /// tests rule out.
    pub fn new() -> Boilerplate {
        let data: Data = toml::from_str(DATA).expect("embedded boilerplate.toml parses");
        let sites = data
            .site
            .iter()
            .map(|s| {
                let _ = &s.name;
                Site {
                    signature: s.signature.iter().map(|p| rx(p)).collect(),
                    rules: s
                        .rules
                        .iter()
                        .map(|r| SiteRule {
                            name: interned(&r.name),
                            kind: match r.kind.as_str() {
                                "to_end" => RuleKind::ToEnd,
                                "segment" => RuleKind::Segment,
                                _ => RuleKind::Line,
                            },
                            pattern: rx(&r.pattern),
                        })
                        .collect(),
                }
            })
            .collect();
        let mut vocab = Vec::new();
        let g = data.generic;
        let mut cats: Vec<_> = g.vocab.into_iter().collect();
        cats.sort_by(|a, b| a.0.cmp(&b.0));
        for (cat, words) in cats {
            let rule = interned(&format!("generic.{cat}"));
            for (w, weight) in words {
                vocab.push((rule, w, weight));
            }
        }
        // Every match counts (overlapping search): the standard match kind.
        let vocab_ac = crate::dictionary_automaton(
            vocab.iter().map(|v| v.1.as_str()),
            aho_corasick::MatchKind::Standard,
        );
        Boilerplate {
            vocab_ac,
            repeated: Default::default(),
            sites,
            vocab,
            related_header: rx(&g.related_headers),
            walls: any_of(&g.walls),
            elisions: any_of(&g.elisions),
            replies: rx(&g.replies),
            salutation: rx(&g.salutation),
            closing: rx(crate::speeches::CLOSING),
            title_words: rx(&g.title_words),
            re: Patterns::new(),
        }
    }
}

impl Patterns {
    fn new() -> Patterns {
        Patterns {
            filename: rx(
                r"(?i)^\S.{0,80}\.(docx?|pdf|pptx?|wps|txt|xlsx?)(\s*[（(]?\s*[\d.]+\s*[KM]B[）)]?)?$",
            ),
            page_counter: rx(
                r"^(\d{1,4}\s*/\s*\d{1,4}|第\s*\d{1,4}\s*页\s*[，,]?\s*(共|/)\s*\d{1,4}\s*页|[-－—]\s*\d{1,4}\s*[-－—]|[·•]\s*\d{1,4}\s*[·•]|已阅读\s*\d+\s*页\s*/\s*共\s*\d+\s*页|\d{1,4})$",
            ),
            page_number_edge: rx(
                r"^([·•]\s*\d{1,4}\s*[·•]|[-－—]\s*\d{1,4}\s*[-－—])\s*|\s*([·•]\s*\d{1,4}\s*[·•]|[-－—]\s*\d{1,4}\s*[-－—]|第\s*\d{1,4}\s*页\s*[/，,]?\s*共\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4})$",
            ),
            html_tag: rx(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]{0,400})?/?>|<!--.{0,400}?-->"),
            html_entity: rx(
                r"&(nbsp|amp|lt|gt|quot|apos|ldquo|rdquo|hellip|mdash|middot|#\d{1,6}|#x[0-9a-fA-F]{1,6});",
            ),
            css: rx(r"^[.#@]?[a-zA-Z][\w\-.#: ,>*\[\]=]*\{[^{}]*\}"),
            script: rx(
                r"(?i)^(var |function\s*\(|\(function|document\.|window\.|<script|\$\(|_hmt)",
            ),
            md_heading: rx(r"^#{1,6}\s*"),
            md_rule: rx(r"^(-{3,}|\*{3,}|_{3,}|={3,})$"),
            md_quote: rx(r"^>\s+"),
            md_image: rx(r"!\[[^\]]{0,100}\]\([^)]{0,300}\)"),
            md_emphasis: rx(r"\*\*|__"),
            url: rx(
                r"(?i)(https?://|www\.)[a-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+|(?-u:\b)[a-z0-9\-]+\.(com|cn|net|org)(?-u:\b)",
            ),
            datetime: rx(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|(?-u:\b)\d{1,2}:\d{2}(:\d{2})?(?-u:\b)"),
            phone: rx(
                r"(?-u:\b)(400|800)[-\s]?\d{3}[-\s]?\d{4}(?-u:\b)|(?-u:\b)1[3-9]\d{9}(?-u:\b)",
            ),
            qq_number: rx(r"(?i)(QQ|微信|VX|WX)\s*[：:号群]?\s*\d{5,12}"),
            bracketed: rx(r"[（(【\[][^（()）【】\[\]\n]{2,80}[）)】\]]"),
            date_line: rx(
                r"^[（(]?\s*([\d*xX×○〇零一二三四五六七八九十]{2,4}|\*)\s*年\s*[\d*xX×一二三四五六七八九十]{0,3}\s*月\s*[\d*xX×一二三四五六七八九十]{0,3}\s*日?\s*[）)]?$",
            ),
            summary: rx(crate::speeches::SUMMARY),
            page_marker: rx(r"^(\d{1,3})、\s*"),
            speaker: rx(
                r"^[\p{Han}、·（）()\s]{2,30}(书记|局长|主任|县长|市长|区长|镇长|乡长|部长|处长|科长|厅长|主席|委员|代表|院长|校长|经理|董事长|同志|组长|队长|站长|所长|理事长|秘书长)$",
            ),
            site_name: rx(
                r"^\S{2,12}(网|文库|文档|图书馆|博客|论坛|平台|社区|家园|之家|资料站|范文站|百科)$",
            ),
            marker: rx(
                r"^(第[一二三四五六七八九十]+[，、是条部]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}[、]|\d{1,2}[.．][^\d]|（\d{1,2}）|[①②③④⑤⑥⑦⑧⑨⑩]|[一二三四五六七八九十]是|首先|其次|再次|最后)",
            ),
            placeholder: rx(r"_{1,}|、、+|\*{3,}"),
            stated: vec![
                (rx(r"全文\s*(\d+)\s*字"), StatedField::Total),
                (rx(r"字数[：:]\s*(\d+)"), StatedField::Total),
                (rx(r"(当前)?显示\s*(\d+)\s*字"), StatedField::Shown),
                (rx(r"(还剩|剩余)\s*(\d+)\s*字"), StatedField::Missing),
                (rx(r"(省略|隐藏)\s*(\d+)\s*字"), StatedField::Elided),
                (rx(r"(本文档)?共\s*(\d+)\s*页"), StatedField::TotalPages),
                (rx(r"(还剩|剩余)\s*(\d+)\s*页"), StatedField::MissingPages),
            ],
            ascii_run: rx(r"[\x21-\x7E](?:[\x21-\x7E ]*[\x21-\x7E])?"),
        }
    }
}

/// A line of the view.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    start: usize,
    /// End of the line's text (the newline, or the end of the view).
    end: usize,
    text: &'a str,
}

/// Line features already computed, by line text (see [`Boilerplate::find_cached`]).
#[derive(Debug, Default)]
pub(crate) struct LineCache {
    index: rustc_hash::FxHashMap<String, usize>,
    features: Vec<LineFeatures>,
}

/// Everything the stage decides about a line from its text alone.
#[derive(Debug, Clone)]
struct LineFeatures {
    /// What the line says once its inline furniture is gone.
    clean: String,
    info: LineInfo,
    /// The verdict of the generic whole-line patterns, if one matches.
    generic: Option<Fate>,
    /// Inline removals in the line, relative to its start: (start, end, rule).
    inline: Vec<(usize, usize, &'static str)>,
    /// Placeholder holes in the line, relative to its start: (start, end).
    placeholders: Vec<(usize, usize)>,
    /// Whole-line tests of `clean` that finding where the speech is asks in every
    /// round, for every line until one answers: each answered once, when first asked.
    salutation: OnceCell<bool>,
    closing: OnceCell<bool>,
    replies: OnceCell<bool>,
    /// What the trimmed line says of truncation, when removed (asked in every call).
    truncation: OnceCell<TruncationNote>,
}

/// What a removed line says of truncation: a preview wall, an elision notice, and
/// the counts it states, in the order of the stated-count patterns.
#[derive(Debug, Clone, Default)]
struct TruncationNote {
    wall: bool,
    elision: bool,
    counts: Vec<(StatedField, u64)>,
}

/// Features of a line, computed once.
#[derive(Debug, Clone, Copy)]
struct LineInfo {
    furn: u32,
    cat: &'static str,
    sp: u32,
    prose: bool,
    title: bool,
}

/// What is decided about each line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Keep,
    Remove(&'static str),
    /// A page counter, footer or running header: removed, and the sentence around
    /// it rejoined when it cut one.
    Page(&'static str),
}

fn is_han(c: char) -> bool {
    crate::normalize::pinyin::is_han(c)
}

/// Does `s` hold a printable ASCII character (not a space)?
fn has_ascii_graphic(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_graphic())
}

/// What one pass over a line counts, for the tests that weigh it (furniture, speech,
/// prose shape): each used to read the line again.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    han: usize,
    /// `，` and `、`.
    commas: usize,
    /// `，` alone.
    full_commas: usize,
    /// `。` `！` `？` `；`.
    stops: usize,
    /// Navigation separators `|` `»` `┊` `>`.
    seps: usize,
    ascii_letters: usize,
    ascii_graphic: bool,
    /// A digit of another script (what `\d` matches beyond ASCII).
    other_digit: bool,
    slash: bool,
}

impl Tally {
    fn of(s: &str) -> Tally {
        let mut t = Tally::default();
        for c in s.chars() {
            if c.is_ascii() {
                let b = c as u8;
                t.ascii_graphic |= b.is_ascii_graphic();
                t.ascii_letters += usize::from(b.is_ascii_alphabetic());
                t.seps += usize::from(b == b'|' || b == b'>');
                t.slash |= b == b'/';
                continue;
            }
            match c {
                '，' => {
                    t.commas += 1;
                    t.full_commas += 1;
                }
                '、' => t.commas += 1,
                '。' | '！' | '？' | '；' => t.stops += 1,
                '»' | '┊' => t.seps += 1,
                c if is_han(c) => t.han += 1,
                // Blocks without decimal digits are passed over: a Unicode table
                // lookup per character would cost more than the patterns it saves.
                c if matches!(c as u32, 0x2000..=0x206F | 0x3000..=0x303F | 0xFF00..=0xFF0F | 0xFF1A..=0xFFEF) =>
                    {}
                c => t.other_digit |= c.is_numeric(),
            }
        }
        t
    }

    /// Does the line hold a printable ASCII character or a digit of any script?
    /// Lines without are plain Chinese, which no ASCII pattern can match.
    fn ascii_or_digits(&self) -> bool {
        self.ascii_graphic || self.other_digit
    }
}

/// Does `t` match the file-name pattern? Only a line with a `.` can: the pattern
/// starts with up to 80 of any characters, which no search can skip over, so lines
/// without one are answered before it runs.
fn is_file_name(filename: &Regex, t: &str) -> bool {
    memchr::memchr(b'.', t.as_bytes()).is_some() && filename.is_match(t)
}

fn han_count(s: &str) -> usize {
    s.chars().filter(|&c| is_han(c)).count()
}

/// `s` without the `cuts` (sorted or not, possibly overlapping), and for each byte
/// of the result (plus one past the end) its offset in the original, composed with
/// `base` when `s` itself was cut from something.
fn cut_out(s: &str, cuts: &[(usize, usize)], base: Option<&[usize]>) -> (String, Vec<usize>) {
    let mut cuts = cuts.to_vec();
    cuts.sort();
    let mut out = String::with_capacity(s.len());
    let mut pos = Vec::with_capacity(s.len() + 1);
    let map = |i: usize| base.map_or(i, |b| b[i]);
    let mut at = 0;
    for (cs, ce) in cuts.into_iter().chain(std::iter::once((s.len(), s.len()))) {
        if cs > at {
            out.push_str(&s[at..cs]);
            pos.extend((at..cs).map(map));
        }
        at = at.max(ce);
    }
    pos.push(map(s.len()));
    (out, pos)
}

/// A line of decoration only (`※  ※  ※`): an agenda separator of a chairing speech.
fn is_separator(t: &str) -> bool {
    let symbols = t.chars().filter(|c| "※★☆○●◆◇■□▲△＊*·•—－-=~～".contains(*c)).count();
    symbols >= 3 && t.chars().all(|c| c.is_whitespace() || "※★☆○●◆◇■□▲△＊*·•—－-=~～".contains(c))
}

/// A line that reads as speech: enough Han characters, sentence punctuation, and more
/// speech than furniture.
fn prose_shape(tally: &Tally, furniture: u32, speechlike: u32) -> bool {
    tally.han >= 8 && (tally.stops > 0 || tally.full_commas >= 2) && speechlike > furniture
}

/// Characters that end a sentence (or a heading that introduces what follows).
fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end();
    t.ends_with([
        '。', '！', '？', '；', '：', '…', '”', '’', '」', '』', '）', '!', '?', '》', '】', '—',
    ])
}

impl Boilerplate {
    /// Furniture weight of a line and the category that explains it best.
    fn furniture(&self, s: &str) -> (u32, &'static str) {
        self.furniture_tallied(s, &Tally::of(s))
    }

    /// [`Boilerplate::furniture`] of a line already tallied.
    fn furniture_tallied(&self, s: &str, tally: &Tally) -> (u32, &'static str) {
        let mut by_cat: Vec<(&'static str, u32)> = Vec::new();
        let mut seen: Vec<usize> = Vec::new();
        for m in self.vocab_ac.find_overlapping_iter(s) {
            let id = m.pattern().as_usize();
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            let (cat, _, weight) = &self.vocab[id];
            match by_cat.iter_mut().find(|(c, _)| c == cat) {
                Some(e) => e.1 += weight,
                None => by_cat.push((cat, *weight)),
            }
        }
        let mut total: u32 = by_cat.iter().map(|e| e.1).sum();
        let mut best = by_cat.iter().max_by_key(|e| e.1).map_or("generic.furniture", |e| e.0);
        let seps = tally.seps + if tally.slash { s.matches(" / ").count() } else { 0 };
        if seps >= 2 {
            total += 2 + seps as u32;
            if best == "generic.furniture" {
                best = "generic.nav";
            }
        } else if seps == 1 {
            total += 1;
        }
        // URLs, dates, phone and QQ numbers, Latin letters: all need ASCII (the view
        // has full-width letters and digits folded to ASCII).
        let ascii = tally.ascii_or_digits();
        if ascii && self.re.url.is_match(s) {
            total += 3;
            if best == "generic.furniture" {
                best = "generic.contact";
            }
        }
        if self.re.site_name.is_match(s.trim()) {
            total += 3;
            if best == "generic.furniture" {
                best = "generic.nav";
            }
        }
        if ascii && self.re.datetime.is_match(s) {
            total += 2;
            if best == "generic.furniture" {
                best = "generic.meta";
            }
        }
        if ascii && tally.ascii_letters >= 6 {
            total += 2;
        }
        if ascii && (self.re.phone.is_match(s) || self.re.qq_number.is_match(s)) {
            total += 3;
            best = "generic.contact";
        }
        (total, best)
    }

    /// How much a line reads like speech (its tally taken).
    fn speechlike_tallied(&self, s: &str, tally: &Tally) -> u32 {
        let (han, commas, stops) = (tally.han as u32, tally.commas as u32, tally.stops as u32);
        han / 12 + commas + 2 * stops + if self.re.marker.is_match(s) { 2 } else { 0 }
    }

    fn is_prose(&self, s: &str) -> bool {
        let tally = Tally::of(s);
        prose_shape(&tally, self.furniture_tallied(s, &tally).0, self.speechlike_tallied(s, &tally))
    }

    fn is_title(&self, s: &str) -> bool {
        let t = s.trim();
        let n = t.chars().count();
        (4..=80).contains(&n)
            && self.title_words.is_match(t)
            && !t.ends_with(['。', '；', '，', '：', '！'])
            && han_count(t) * 2 >= n
            && !self.salutation.is_match(t)
    }

    /// The first line at or after `from` that opens another document: a salutation,
    /// or a title right before one. `lines.len()` if none.
    fn next_opening(&self, lines: &[Line<'_>], from: usize) -> usize {
        for i in from..lines.len() {
            let t = lines[i].text.trim();
            if self.salutation.is_match(t) && t.chars().count() <= 40 {
                // Include the title (and blank lines) just above the salutation.
                let mut start = i;
                for j in (from..i).rev().take(4) {
                    let tj = lines[j].text.trim();
                    if tj.is_empty() {
                        continue;
                    }
                    if self.is_title(tj) {
                        start = j;
                    }
                    break;
                }
                return start;
            }
        }
        lines.len()
    }

    /// Lines the generic layer never removes on shape alone: numbered headings,
    /// salutations, closings, date lines, summary blocks.
    fn protected(&self, t: &str) -> bool {
        self.re.marker.is_match(t)
            || self.salutation.is_match(t)
            || self.closing.is_match(t)
            || self.re.date_line.is_match(t)
            || self.re.summary.is_match(t)
            || self.re.speaker.is_match(t)
            || is_separator(t)
    }

    /// A page line: a page number, a footer or header around one, nothing else.
    fn page_line(&self, t: &str) -> bool {
        if self.re.page_counter.is_match(t) {
            return true;
        }
        let rest = self.re.page_number_edge.replace_all(t, "");
        if rest.len() == t.len() {
            return false;
        }
        let rest = rest.trim();
        rest.is_empty() || (!self.is_prose(rest) && self.furniture(rest).0 >= 2)
    }

    /// The same rules, plus lines known to be furniture in a batch: lines that repeat
    /// across many documents of one run (see [`Boilerplate::candidate_lines`]). Such a
    /// line is removed (`batch.repeated_line`) wherever it stands, unless it reads as
    /// speech or is a heading, salutation or closing.
    pub fn with_repeated_lines(mut self, lines: impl IntoIterator<Item = String>) -> Boilerplate {
        self.repeated = lines.into_iter().collect();
        self
    }

    /// The lines of a view that could be batch furniture: short, distinct, not speech.
    /// A batch counts in how many documents each occurs.
    pub fn candidate_lines(&self, view: &str) -> Vec<String> {
        let mut out: Vec<String> = view
            .lines()
            .map(|l| self.strip_markup(l.trim()).trim().to_string())
            .filter(|t| {
                !t.is_empty() && t.chars().count() <= 80 && !self.is_prose(t) && !self.protected(t)
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Finds the boilerplate in a normalized view of a document.
    pub fn find(&self, view: &str) -> Findings {
        self.find_cached(view, &mut LineCache::default())
    }

    /// What a line reads as and its features, computed once per distinct line.
    fn line_features(&self, text: &str) -> LineFeatures {
        // What the line says once its inline furniture (markup, jammers, bracketed
        // watermarks) is gone: what every decision reads, so that a second pass over
        // the cleaned text decides the same.
        let t = self.reading(text);
        let tally = Tally::of(&t);
        let (furn, cat) = self.furniture_tallied(&t, &tally);
        let sp = self.speechlike_tallied(&t, &tally);
        let prose = prose_shape(&tally, furn, sp);
        let title = self.is_title(&t);
        let generic = self.generic_line(text.trim(), &t, &tally);
        let mut inline = Vec::new();
        if !text.is_empty() {
            self.inline(text, &mut inline);
        }
        let placeholders = if text.contains(['_', '、', '*']) {
            self.re
                .placeholder
                .find_iter(text)
                .filter(|m| {
                    let before = text[..m.start()].chars().next_back();
                    let after = text[m.end()..].chars().next();
                    let chinese =
                        |c: Option<char>| c.is_some_and(|c| is_han(c) || "，。、“”".contains(c));
                    chinese(before) || chinese(after)
                })
                .map(|m| (m.start(), m.end()))
                .collect()
        } else {
            Vec::new()
        };
        LineFeatures {
            clean: t,
            info: LineInfo { furn, cat, sp, prose, title },
            generic,
            inline,
            placeholders,
            salutation: OnceCell::new(),
            closing: OnceCell::new(),
            replies: OnceCell::new(),
            truncation: OnceCell::new(),
        }
    }

    /// The generic whole-line patterns: markup-only lines, CSS and scripts, file
    /// names, page counters, elision notices and preview walls. `raw` is the trimmed
    /// line, `t` what it reads as.
    fn generic_line(&self, raw: &str, t: &str, tally: &Tally) -> Option<Fate> {
        if raw.is_empty() {
            return None;
        }
        // Every pattern but the notices and walls needs ASCII.
        let ascii = has_ascii_graphic(raw);
        Some(if t.is_empty() {
            let t = raw;
            Fate::Remove(if self.re.md_rule.is_match(t) || t.starts_with('#') {
                "generic.markdown"
            } else {
                "generic.html"
            })
        } else if ascii && (self.re.css.is_match(raw) || self.re.script.is_match(raw)) {
            Fate::Remove("generic.html")
        } else if ascii && is_file_name(&self.re.filename, t) && !self.is_prose(t) {
            Fate::Remove("generic.filename")
        } else if tally.ascii_or_digits() && self.page_line(t) {
            Fate::Page("generic.page_counter")
        } else if self.elisions.is_match(t) && !self.is_long_prose(t) {
            Fate::Remove("generic.elision")
        } else if self.walls.is_match(t) && !self.is_long_prose(t) {
            Fate::Remove("generic.preview_wall")
        } else {
            return None;
        })
    }

    /// [`Boilerplate::find`], with the line features of earlier calls: the analyzer
    /// runs the stage again on the view without what it found, whose lines are
    /// mostly the same.
    pub(crate) fn find_cached(&self, view: &str, cache: &mut LineCache) -> Findings {
        let mut lines: Vec<Line<'_>> = Vec::new();
        let mut pos = 0;
        for text in view.split('\n') {
            lines.push(Line { start: pos, end: pos + text.len(), text });
            pos += text.len() + 1;
        }
        let n = lines.len();
        let mut feature_of: Vec<usize> = Vec::with_capacity(n);
        for l in &lines {
            let k = match cache.index.get(l.text) {
                Some(&k) => k,
                None => {
                    cache.features.push(self.line_features(l.text));
                    cache.index.insert(l.text.to_string(), cache.features.len() - 1);
                    cache.features.len() - 1
                }
            };
            feature_of.push(k);
        }
        let features: Vec<&LineFeatures> = feature_of.iter().map(|&k| &cache.features[k]).collect();
        let clean: Vec<&str> = features.iter().map(|f| f.clean.as_str()).collect();
        let mut fate = vec![Fate::Keep; n];
        let mut findings = Findings::default();
        let mut trunc = Truncation::default();

        // 1. Site rule sets whose signature the document carries.
        for site in &self.sites {
            if !site.signature.iter().any(|s| s.is_match(view)) {
                continue;
            }
            for rule in &site.rules {
                for (i, l) in lines.iter().enumerate() {
                    if fate[i] != Fate::Keep {
                        continue;
                    }
                    let Some(m) = rule.pattern.find(l.text) else { continue };
                    match rule.kind {
                        RuleKind::Line => fate[i] = Fate::Remove(rule.name),
                        RuleKind::ToEnd => {
                            // To the end of this speech's page: a file may hold
                            // several documents, and the next one starts at its title
                            // or salutation.
                            let stop = self.next_opening(&lines, i + 1);
                            for f in fate.iter_mut().take(stop).skip(i) {
                                if *f == Fate::Keep {
                                    *f = Fate::Remove(rule.name);
                                }
                            }
                        }
                        RuleKind::Segment => findings.removals.push((
                            l.start + m.start(),
                            l.start + m.end(),
                            rule.name,
                        )),
                    }
                }
            }
        }

        // 2. Generic whole-line patterns.
        for i in 0..n {
            if fate[i] == Fate::Keep {
                if let Some(f) = features[i].generic {
                    fate[i] = f;
                }
            }
        }

        // Lines this batch has seen in many documents.
        if !self.repeated.is_empty() {
            for i in 0..n {
                if fate[i] == Fate::Keep
                    && self.repeated.contains(clean[i])
                    && !features[i].info.prose
                    && !self.protected(clean[i])
                {
                    fate[i] = Fate::Remove("batch.repeated_line");
                }
            }
        }

        // 3. Repeated short lines that are not speech: running headers and footers.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, l) in lines.iter().enumerate() {
            let t = l.text.trim();
            if fate[i] == Fate::Keep && !t.is_empty() && t.chars().count() <= 40 {
                *seen.entry(t).or_default() += 1;
            }
        }

        // 4. Where the speech is (title, first sentence or salutation, last sentence
        //    or closing), and what each line is given where it stands. Removing a line
        //    can move those landmarks, so this repeats until nothing changes.
        let kept = |fate: &[Fate], i: usize| fate[i] == Fate::Keep && !clean[i].is_empty();
        let is_salutation =
            |i: usize| *features[i].salutation.get_or_init(|| self.salutation.is_match(clean[i]));
        let is_closing =
            |i: usize| *features[i].closing.get_or_init(|| self.closing.is_match(clean[i]));
        let is_reply =
            |i: usize| *features[i].replies.get_or_init(|| self.replies.is_match(clean[i]));
        for _round in 0..6 {
            let before: Vec<Fate> = fate.clone();
            // 4. Where the speech is: title, first sentence (or salutation), last sentence
            //    (or closing formula).
            let salutation = (0..n).find(|&i| kept(&fate, i) && is_salutation(i));
            let first_prose = (0..n).find(|&i| kept(&fate, i) && features[i].info.prose);
            let anchor = match (salutation, first_prose) {
                (Some(s), Some(p)) => s.min(p),
                (s, p) => s.or(p).unwrap_or(0),
            };
            let mut title = (0..anchor)
                .rev()
                .take(12)
                .find(|&i| kept(&fate, i) && features[i].info.title && features[i].info.furn < 4);
            // A subtitle (——在…上的讲稿) follows the real title.
            if let Some(t) = title {
                if clean[t].starts_with("——") {
                    if let Some(p) = (0..t).rev().find(|&i| kept(&fate, i)) {
                        let pt = clean[p];
                        if !ends_sentence(pt)
                            && pt.chars().count() <= 60
                            && self.furniture(pt).0 < 3
                        {
                            title = Some(p);
                        }
                    }
                }
            }
            let subtitle = title.and_then(|t| {
                (t + 1..anchor).find(|&i| kept(&fate, i)).filter(|&i| clean[i].starts_with("——"))
            });
            let closing = (anchor..n).rev().find(|&i| kept(&fate, i) && is_closing(i));
            let last_prose = (anchor..n)
                .rev()
                .find(|&i| kept(&fate, i) && features[i].info.prose && features[i].info.furn < 4);
            let body_end = closing.or(last_prose).unwrap_or(n.saturating_sub(1));
            let title_text = title.map(|i| clean[i]);

            // Forum replies after the speech: the speech ends before the first.
            let replies_at = (anchor + 1..n).find(|&i| kept(&fate, i) && is_reply(i));
            let body_end = match replies_at {
                Some(r) => (anchor..r)
                    .rev()
                    .find(|&i| {
                        kept(&fate, i)
                            && (is_closing(i)
                                || (features[i].info.prose && features[i].info.furn < 4))
                    })
                    .unwrap_or(body_end),
                None => body_end,
            };
            let mut replies_from = replies_at.map(|r| (r, "generic.replies"));
            for i in 0..n {
                if !kept(&fate, i) || Some(i) == title || Some(i) == subtitle {
                    continue;
                }
                if replies_at.is_some_and(|r| i >= r) {
                    break;
                }
                let t = clean[i];
                let LineInfo { furn: f, cat, sp, prose, title: titlelike } = features[i].info;
                let head = i < anchor;
                let tail = i > body_end;
                if let Some(tt) = title_text {
                    // Another copy of the title, or a page title / file name around it.
                    // (Only searched where it can matter: a line search per line and
                    // round would cost more than the rest of the loop.)
                    let near_copy =
                        || t != tt && (t.contains(tt) || tt.contains(t)) && han_count(t) >= 4;
                    if t == tt || ((head || tail) && !prose && near_copy()) {
                        fate[i] = Fate::Remove("generic.duplicate_title");
                        continue;
                    }
                }
                if head {
                    if self.protected(t) {
                        continue;
                    }
                    if f > sp || !prose {
                        fate[i] = Fate::Remove(cat);
                    }
                } else if tail {
                    if self.related_header.is_match(t) {
                        replies_from = Some((i, "generic.related"));
                        break;
                    }
                    // A title in the tail is another speech's only if a speech follows it;
                    // otherwise it is a link to another document.
                    let starts_speech = titlelike
                        && (i + 1..n)
                            .find(|&k| kept(&fate, k))
                            .is_some_and(|k| is_salutation(k) || self.is_prose(clean[k]));
                    if f > sp || (!prose && !self.protected(t) && !starts_speech) {
                        fate[i] = Fate::Remove(cat);
                    }
                } else if seen.get(clean[i]).copied().unwrap_or(0) >= 2
                    && !prose
                    && !self.protected(t)
                {
                    fate[i] = Fate::Page("generic.running_header");
                } else if f >= 5 && f > 2 * sp {
                    fate[i] = Fate::Remove(cat);
                }
            }
            if let Some((from, rule)) = replies_from {
                let stop = self.next_opening(&lines, from + 1);
                for f in fate.iter_mut().take(stop).skip(from) {
                    if *f == Fate::Keep {
                        *f = Fate::Remove(rule);
                    }
                }
            }
            if fate == before {
                break;
            }
        }

        // 5. Truncation evidence and the counts the site states, from removed lines.
        for (i, l) in lines.iter().enumerate() {
            let t = l.text.trim();
            if fate[i] == Fate::Keep || t.is_empty() {
                continue;
            }
            let note = features[i].truncation.get_or_init(|| TruncationNote {
                wall: self.walls.is_match(t),
                elision: self.elisions.is_match(t),
                counts: self.stated_counts(t),
            });
            if note.elision || note.wall {
                trunc.reasons.push(format!(
                    "{}: {}",
                    if note.elision { "elision" } else { "preview wall" },
                    t.chars().take(60).collect::<String>()
                ));
            }
            for &(field, n) in &note.counts {
                let slot = match field {
                    StatedField::Total => &mut trunc.total_chars,
                    StatedField::Shown => &mut trunc.shown_chars,
                    StatedField::Missing => &mut trunc.missing_chars,
                    StatedField::Elided => &mut trunc.elided_chars,
                    StatedField::TotalPages => &mut trunc.total_pages,
                    StatedField::MissingPages => &mut trunc.missing_pages,
                };
                if slot.is_none() {
                    *slot = Some(n);
                }
            }
        }

        // 6. Page markers that cut the body into chunks (淘文阁: `2、坚决决心`), and a
        //    flattened first chunk that repeats a removed title.
        let mut markers = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            if fate[i] != Fate::Keep {
                continue;
            }
            if let Some(c) = self.re.page_marker.captures(l.text) {
                let num: u32 = c[1].parse().unwrap_or(0);
                markers.push((i, num, c.get(0).map_or(0, |m| m.end())));
            }
        }
        let removed_titles: Vec<String> = lines
            .iter()
            .zip(&fate)
            .filter(|(_, f)| **f != Fate::Keep)
            .filter_map(|(l, _)| {
                let t = l.text.trim();
                is_file_name(&self.re.filename, t)
                    .then(|| t.rsplit_once('.').map_or(t, |(a, _)| a).trim().to_string())
            })
            .filter(|t| han_count(t) >= 4)
            .collect();
        if self.page_markers_cut(&lines, &markers, &fate) {
            for &(i, _, len) in &markers {
                let prev = (0..i).rev().find(|&j| fate[j] == Fate::Keep && !clean[j].is_empty());
                match prev {
                    Some(j) if !ends_sentence(lines[j].text) => findings.repairs.push((
                        lines[j].end,
                        lines[i].start + len,
                        RepairKind::PageJoin,
                        "generic.page_marker_join",
                        String::new(),
                    )),
                    _ => findings.removals.push((
                        lines[i].start,
                        lines[i].start + len,
                        "generic.page_marker",
                    )),
                }
                // `1、 2023年…讲话 巡察工作…讲话 同志们：` — the file name's title again.
                let rest = &lines[i].text[len..];
                for rt in &removed_titles {
                    if rest.starts_with(rt.as_str()) && rest[rt.len()..].starts_with(' ') {
                        let s = lines[i].start + len;
                        findings.removals.push((s, s + rt.len() + 1, "generic.duplicate_title"));
                    }
                }
            }
        }

        // 7. Lines removed whole; page lines that cut a sentence rejoin it.
        let mut i = 0;
        while i < n {
            match fate[i] {
                Fate::Keep => i += 1,
                Fate::Remove(rule) => {
                    findings.removals.push((
                        lines[i].start,
                        (lines[i].end + 1).min(view.len()),
                        rule,
                    ));
                    i += 1;
                }
                Fate::Page(_) => {
                    // The run of page, removed and blank lines starting here.
                    let mut j = i;
                    while j < n && (fate[j] != Fate::Keep || clean[j].is_empty()) {
                        j += 1;
                    }
                    let prev = (0..i).rev().find(|&k| kept(&fate, k));
                    let next_text = lines.get(j).map(|l| l.text.trim_start()).unwrap_or("");
                    let cut = prev
                        .is_some_and(|k| !ends_sentence(&self.strip_markup(lines[k].text)))
                        && next_text
                            .chars()
                            .next()
                            .is_some_and(|c| is_han(c) || "，、“”".contains(c))
                        && j < n;
                    if let (true, Some(k)) = (cut, prev) {
                        let rule = match fate[i] {
                            Fate::Page(r) => r,
                            _ => "generic.page_counter",
                        };
                        findings.repairs.push((
                            lines[k].end,
                            lines[j].start,
                            RepairKind::PageJoin,
                            rule,
                            String::new(),
                        ));
                    } else {
                        for (k, f) in fate.iter().enumerate().take(j).skip(i) {
                            if let Fate::Page(r) | Fate::Remove(r) = f {
                                findings.removals.push((
                                    lines[k].start,
                                    (lines[k].end + 1).min(view.len()),
                                    r,
                                ));
                            }
                        }
                    }
                    i = j;
                }
            }
        }

        // 8. Inline: markup, jammers, watermarks in kept lines.
        for (i, l) in lines.iter().enumerate() {
            if fate[i] == Fate::Keep {
                findings.inline_removals.extend(
                    features[i].inline.iter().map(|&(s, e, rule)| (l.start + s, l.start + e, rule)),
                );
            }
        }

        // 9. Truncation: a body that ends mid-sentence or on an ellipsis.
        if let Some(i) = (0..n).rev().find(|&i| kept(&fate, i)) {
            let t = self.strip_markup(clean[i]);
            let t = t.trim();
            if t.ends_with("……") || t.ends_with("...") {
                trunc.reasons.push("ends with an ellipsis".to_string());
            } else if !ends_sentence(t) && !self.closing.is_match(t) && self.is_prose_or_long(t) {
                trunc.reasons.push(format!(
                    "ends mid-sentence: …{}",
                    t.chars()
                        .rev()
                        .take(12)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect::<String>()
                ));
            }
        }
        if !trunc.reasons.is_empty() {
            findings.truncation = Some(trunc);
        }

        // 10. Placeholders a site left where it deleted words.
        for (i, l) in lines.iter().enumerate() {
            if fate[i] != Fate::Keep {
                continue;
            }
            for &(s, e) in &features[i].placeholders {
                let (s, e) = (l.start + s, l.start + e);
                findings.repairs.push((
                    s,
                    e,
                    RepairKind::Placeholder,
                    "generic.placeholder",
                    view[s..e].to_string(),
                ));
            }
        }
        findings
    }

    fn is_long_prose(&self, t: &str) -> bool {
        han_count(t) >= 40 && self.is_prose(t)
    }

    fn is_prose_or_long(&self, t: &str) -> bool {
        han_count(t) >= 10 || self.is_prose(t)
    }

    /// Do the `N、` line starts form a sequence that cuts sentences (page chunks)
    /// rather than a list?
    fn page_markers_cut(
        &self,
        lines: &[Line<'_>],
        markers: &[(usize, u32, usize)],
        fate: &[Fate],
    ) -> bool {
        if markers.len() < 2 {
            return false;
        }
        let in_sequence = markers.windows(2).all(|w| w[1].1 == w[0].1 + 1);
        if !in_sequence {
            return false;
        }
        let cuts = markers
            .iter()
            .filter(|&&(i, _, _)| {
                (0..i)
                    .rev()
                    .find(|&j| fate[j] == Fate::Keep && !lines[j].text.trim().is_empty())
                    .is_some_and(|j| !ends_sentence(lines[j].text))
            })
            .count();
        // Most chunk boundaries fall inside a sentence; list items follow one.
        cuts * 2 > markers.len()
    }

    fn strip_markup(&self, s: &str) -> String {
        let s = self.re.html_tag.replace_all(s, "");
        let s = self.re.html_entity.replace_all(&s, "");
        let s = self.re.md_image.replace_all(&s, "");
        let s = if self.re.md_rule.is_match(s.trim()) { std::borrow::Cow::Borrowed("") } else { s };
        let s = self.re.md_heading.replace(&s, "");
        let s = self.re.md_emphasis.replace_all(&s, "");
        s.into_owned()
    }

    /// Inline findings in a kept line, found in the order a reader would meet them
    /// gone: tags and entities, then jammers in the line without tags, then bracketed
    /// watermarks in the line without either. Each finder reads the line as it will
    /// read after the earlier removals, so a second pass over the clean text finds
    /// nothing new; a position map carries each finding back to the raw line.
    fn inline(&self, t: &str, out: &mut Vec<(usize, usize, &'static str)>) {
        let mut push = |s: usize, e: usize, rule: &'static str| {
            if s < e {
                out.push((s, e, rule));
            }
        };
        if !has_ascii_graphic(t) && !t.contains(['（', '【']) {
            // Markup, jammers and watermarks all need ASCII or brackets.
            return;
        }
        // 1. Markup on the raw line.
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        for m in self.re.html_tag.find_iter(t).chain(self.re.html_entity.find_iter(t)) {
            push(m.start(), m.end(), "generic.html");
            cuts.push((m.start(), m.end()));
        }
        if t.starts_with('#') {
            if let Some(m) = self.re.md_heading.find(t) {
                push(m.start(), m.end(), "generic.markdown");
                cuts.push((m.start(), m.end()));
            }
        }
        if let Some(m) = self.re.md_quote.find(t) {
            push(m.start(), m.end(), "generic.markdown");
            cuts.push((m.start(), m.end()));
        }
        for m in self.re.md_emphasis.find_iter(t).chain(self.re.md_image.find_iter(t)) {
            push(m.start(), m.end(), "generic.markdown");
            cuts.push((m.start(), m.end()));
        }
        let (plain, pos) = cut_out(t, &cuts, None);
        // 2. Jammers in the line without markup (a run continues across a removed tag).
        let pb = plain.as_bytes();
        let mut jam = Vec::new();
        for m in self.re.ascii_run.find_iter(&plain) {
            if self.is_jammer(m.as_str()) {
                let (mut s, mut e) = (m.start(), m.end());
                while s > 0 && pb[s - 1] == b' ' {
                    s -= 1;
                }
                while e < pb.len() && pb[e] == b' ' {
                    e += 1;
                }
                push(pos[s], pos[e - 1] + 1, "generic.jammer");
                jam.push((s, e));
            }
        }
        let (clean, pos2) = cut_out(&plain, &jam, Some(&pos));
        // 3. Bracketed watermarks: (本文来源：… www…), 【…原创首发，转载请保留…】.
        for m in self.re.bracketed.find_iter(&clean) {
            let inner = m.as_str();
            let (f, cat) = self.furniture(inner);
            if f >= 4 && !self.re.marker.is_match(inner) {
                push(pos2[m.start()], pos2[m.end() - 1] + 1, cat);
            }
        }
    }

    /// A line as it reads once its inline furniture is removed: the same findings as
    /// [`Boilerplate::inline`], applied.
    fn reading(&self, line: &str) -> String {
        let line = line.trim();
        if !has_ascii_graphic(line) && !line.contains(['（', '【']) {
            // Markup, jammers and bracketed watermarks all need ASCII or brackets.
            return line.to_string();
        }
        let t = self.strip_jammers(&self.strip_markup(line));
        let t = self.re.bracketed.replace_all(&t, |c: &regex::Captures<'_>| {
            let inner = &c[0];
            if self.furniture(inner).0 >= 4 && !self.re.marker.is_match(inner) {
                String::new()
            } else {
                inner.to_string()
            }
        });
        t.trim().to_string()
    }

    /// The line without anti-copy jammer runs (as it reads once they are removed).
    fn strip_jammers(&self, t: &str) -> String {
        let mut out = String::with_capacity(t.len());
        let mut at = 0;
        for m in self.re.ascii_run.find_iter(t) {
            if self.is_jammer(m.as_str()) {
                out.push_str(t[at..m.start()].trim_end_matches(' '));
                at = m.end();
                while t[at..].starts_with(' ') {
                    at += 1;
                }
            }
        }
        out.push_str(&t[at..]);
        out
    }

    /// Random ASCII: several short tokens mixing letters, digits and symbols, or one
    /// long token mixing three classes, that is no URL, number, code or word.
    fn is_jammer(&self, run: &str) -> bool {
        if self.re.url.is_match(run) || run.contains('@') && run.contains('.') && !run.contains(' ')
        {
            return false;
        }
        let tokens: Vec<&str> = run.split(' ').filter(|s| !s.is_empty()).collect();
        let classes = |s: &str| {
            let mut c = [false; 4];
            for ch in s.chars() {
                if ch.is_ascii_uppercase() {
                    c[0] = true
                } else if ch.is_ascii_lowercase() {
                    c[1] = true
                } else if ch.is_ascii_digit() {
                    c[2] = true
                } else {
                    c[3] = true
                }
            }
            c.iter().filter(|&&x| x).count()
        };
        let short = tokens.iter().filter(|t| t.len() <= 3).count();
        if tokens.len() >= 3 && short == tokens.len() && classes(&tokens.concat()) >= 3 {
            return true;
        }
        tokens.len() == 1
            && run.len() >= 6
            && classes(run) >= 3
            && !run.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            || tokens.len() == 1 && run.len() >= 8 && classes(run) >= 4
    }

    fn stated_counts(&self, t: &str) -> Vec<(StatedField, u64)> {
        let mut out = Vec::new();
        for (re, field) in &self.re.stated {
            let Some(c) = re.captures(t) else { continue };
            let Some(n) =
                c.iter().skip(1).flatten().filter_map(|m| m.as_str().parse::<u64>().ok()).last()
            else {
                continue;
            };
            out.push((*field, n));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_tally_counts_what_the_separate_scans_counted() {
        for s in [
            "",
            "同志们，今天我们召开会议。主要任务是：一、统一思想；二、落实责任！",
            "首页 | 文库 » 讲话稿 ┊ 下载 > 更多 / 联系我们",
            "www.example.com 2023-05-06 12:30 QQ：12345678 abcdefg",
            "第٣页，共５页、、",
            "（一）提高站位，强化担当？",
        ] {
            let t = Tally::of(s);
            assert_eq!(t.han, s.chars().filter(|&c| is_han(c)).count(), "{s}");
            assert_eq!(t.commas, s.matches(['，', '、']).count(), "{s}");
            assert_eq!(t.full_commas, s.matches('，').count(), "{s}");
            assert_eq!(t.stops, s.matches(['。', '！', '？', '；']).count(), "{s}");
            assert_eq!(t.seps, s.matches(['|', '»', '┊', '>']).count(), "{s}");
            assert_eq!(t.ascii_letters, s.chars().filter(char::is_ascii_alphabetic).count());
            assert_eq!(t.ascii_graphic, s.bytes().any(|b| b.is_ascii_graphic()), "{s}");
            let other_digit = s.chars().any(|c| {
                !c.is_ascii()
                    && !is_han(c)
                    && !matches!(c as u32, 0x2000..=0x206F | 0x3000..=0x303F | 0xFF00..=0xFF0F | 0xFF1A..=0xFFEF)
                    && c.is_numeric()
            });
            assert_eq!(t.other_digit, other_digit, "{s}");
        }
        // A digit of another script makes a line one the digit patterns must read.
        assert!(Tally::of("第٣页").ascii_or_digits());
        assert!(!Tally::of("全面从严治党，向纵深发展。").ascii_or_digits());
    }
}
