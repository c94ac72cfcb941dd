//! The record: what [`crate::Analyzer::analyze`] returns, serialized exactly as
//! `CONTRACT.md` (and the README's "Record format") specifies.

use std::borrow::Cow;

use compact_str::CompactString;

use serde::{Deserialize, Serialize};

/// The analysis of one input: the record of the contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Where the input came from (a path, `-` for stdin); empty for library calls
    /// that did not name one.
    pub source: String,
    /// What the input bytes were decoded from: `utf-8`, `gb18030`, `big5`,
    /// `utf-16le`, `utf-16be`.
    pub encoding: String,
    /// The input's script before conversion.
    pub script: Script,
    /// True when the speech text is cut (preview wall, elision, ends mid-sentence).
    pub truncated: bool,
    /// Why `truncated` is true, and the counts the site states (全文3829字,
    /// 当前显示2336字 …); null when the text is whole.
    pub truncation: Option<crate::boilerplate::Truncation>,
    /// Clean Simplified text, all removals and repairs applied.
    pub text: String,
    /// Spans deleted from the decoded input, sorted, not overlapping.
    pub removed: Vec<Removal>,
    /// Spans of the decoded input replaced by other text, sorted, not overlapping.
    pub repairs: Vec<Repair>,
    /// Sharing-site synonym spinning.
    pub spin: Spin,
    /// The speeches in the text, in file order.
    pub speeches: Vec<Speech>,
    /// Numeric formulas used in the text.
    pub elements: Vec<Element>,
    /// Formulas the chosen profile requires that the text does not contain.
    pub missing_elements: Vec<String>,
    /// Set when the input could not be read or decoded; the other fields are then
    /// empty.
    pub error: Option<String>,
}

/// The script of the input text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Simplified characters only (or no Chinese at all).
    Simplified,
    /// Traditional characters only.
    Traditional,
    /// Both, in significant numbers.
    Mixed,
}

impl Script {
    /// The contract's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Simplified => "simplified",
            Script::Traditional => "traditional",
            Script::Mixed => "mixed",
        }
    }
}

/// A span removed from the decoded input, with the rule that removed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    /// The rule that fired, e.g. `taowenge.page_marker` (borrowed from the library's
    /// own rule names: a document with thousands of repairs allocates none for them).
    pub rule: Cow<'static, str>,
    /// Byte offset into the decoded input (UTF-8), inclusive.
    pub start: usize,
    /// Byte offset into the decoded input, exclusive.
    pub end: usize,
    /// The removed text: `input[start..end]`.
    pub text: String,
}

/// A span of the decoded input replaced by other text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repair {
    /// `mojibake`, `pinyin`, `page_join`, `despin`, `placeholder` or `typo`.
    pub kind: RepairKind,
    /// The rule that made it, e.g. `pinyin.inline` (borrowed, as [`Removal::rule`]).
    pub rule: Cow<'static, str>,
    /// Byte offset into the decoded input, inclusive.
    pub start: usize,
    /// Byte offset into the decoded input, exclusive.
    pub end: usize,
    /// The input text at `start..end`.
    ///
    /// Both texts are [`CompactString`]s (re-exported by this crate): a repair is
    /// mostly one character and its annotation, which a `CompactString` holds inline
    /// (up to 24 bytes), where a `String` would cost an allocation each; in a
    /// pinyin-annotated speech that was a sixth of the normalize stage's time. It
    /// derefs to `str` and serializes as a plain JSON string.
    pub from: CompactString,
    /// Its replacement as it stands in `text`.
    pub to: CompactString,
}

/// The kinds of repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RepairKind {
    /// GBK/encoding damage undone (or undecodable bytes marked).
    Mojibake,
    /// An inline pinyin annotation removed.
    Pinyin,
    /// A page marker removed and the cut sentence rejoined.
    PageJoin,
    /// Sharing-site synonym spinning undone.
    Despin,
    /// A hole left by a site (`_`, `__`, `、、`, `***`) marked; text unchanged.
    Placeholder,
    /// A typo of a fixed phrase corrected.
    Typo,
}

/// Synonym-spinning verdict.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Spin {
    /// Fingerprint weight per 1,000 characters (0 when none).
    pub score: f64,
    /// The verdict.
    pub spun: bool,
    /// The fingerprints found (an addition to the contract): which collocation, the
    /// original it stands for, its strength, and byte offsets into the decoded input.
    #[serde(default)]
    pub evidence: Vec<crate::spin::Evidence>,
}

/// One speech of the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Speech {
    /// The title, if the speech has one.
    pub title: Option<String>,
    /// Byte offset into `text`, inclusive.
    pub start: usize,
    /// Byte offset into `text`, exclusive.
    pub end: usize,
    /// The count the speaker announces for the top level (讲四点意见 → 4).
    pub announced_points: Option<u32>,
    /// A 提纲 / 内容提要 block before the body.
    pub summary: Option<String>,
    /// The speech's top terms.
    pub keywords: Vec<String>,
    /// The tree of numbered points.
    pub points: Vec<Point>,
    /// Anything a reader should double-check.
    pub warnings: Vec<String>,
}

/// A numbered point, with its sub-points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The numbering as written (`一、`, `（一）`, `第一，`, `一是` …), Simplified.
    pub marker: String,
    /// 1 for the top level of the speech.
    pub level: u32,
    /// The number the marker stands for.
    pub ordinal: u32,
    /// The point's lead sentence without its marker.
    pub heading: String,
    /// Byte offset into `text`, inclusive.
    pub start: usize,
    /// Byte offset into `text`, exclusive.
    pub end: usize,
    /// Sub-points.
    pub children: Vec<Point>,
}

/// A numeric formula (“四个意识”) used in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Element {
    /// The formula as named, e.g. `四个意识`.
    pub name: String,
    /// The count its numeral gives.
    pub count: u32,
    /// Its members.
    pub members: Vec<String>,
    /// `text`, `lexicon`, or null when unknown.
    pub members_from: Option<String>,
    /// Every occurrence, as byte spans of `text`.
    pub occurrences: Vec<Span>,
    /// How sure the stage is that this is a formula: 1.0 for everything it reports
    /// today (lexicon, quotes or a counted list); borderline phrases such as 一盘棋 are
    /// not reported.
    pub confidence: f32,
}

/// A byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Inclusive start.
    pub start: usize,
    /// Exclusive end.
    pub end: usize,
}

impl Analysis {
    /// An error record: nothing could be analyzed, and `error` says why.
    pub fn error(source: impl Into<String>, error: impl Into<String>) -> Analysis {
        Analysis {
            source: source.into(),
            encoding: String::new(),
            script: Script::Simplified,
            truncated: false,
            truncation: None,
            text: String::new(),
            removed: Vec::new(),
            repairs: Vec::new(),
            spin: Spin::default(),
            speeches: Vec::new(),
            elements: Vec::new(),
            missing_elements: Vec::new(),
            error: Some(error.into()),
        }
    }
}
