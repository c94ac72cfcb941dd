//! The record: what [`crate::Analyzer::analyze`] returns, serialized exactly as
//! `CONTRACT.md` (and the README's "Record format") specifies.

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
    /// The rule that fired, e.g. `taowenge.page_marker`.
    pub rule: Rule,
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
    /// The rule that made it, e.g. `pinyin.inline`.
    pub rule: Rule,
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

// A pinyin-annotated text has a repair every few dozen bytes: each byte of one is
// paid for in memory touched (see [`Rule`]).
const _: () = assert!(std::mem::size_of::<Repair>() == 72);

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

/// The name of the rule that made a removal or a repair, e.g. `pinyin.inline`: what
/// [`Removal::rule`] and [`Repair::rule`] hold, serialized as the name.
///
/// A rule is a number standing for its name (interned): four bytes, copied and
/// compared as a number. A pinyin-annotated document has a repair every few dozen
/// bytes, millions in a long one, and a name held in each (a `Cow<'static, str>`,
/// 24 bytes) made a repair a quarter bigger: on the corpus repeated to 100 MB that was
/// 50 MB more memory to touch and page in for every run of the normalize stage.
///
/// The library's own names are known from the start; a name made with
/// [`Rule::new`] (or read from a record) is added to a process-wide table the first
/// time it is seen and kept for the life of the program: rule names are few (the
/// library has dozens).
///
/// ```
/// use jianghua::Rule;
/// let rule = Rule::new("pinyin.inline");
/// assert_eq!(rule, "pinyin.inline");
/// assert_eq!(rule.as_str(), "pinyin.inline");
/// assert_eq!(Rule::new("mysite.footer"), Rule::new("mysite.footer"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rule(u32);

/// The library's own rule names, numbered by their place here: their [`Rule`]s are
/// constants, made without the table. The first, empty, is no rule's.
const BUILT_IN: [&str; 10] = [
    "",
    "pinyin.inline",
    "pinyin.inline_toneless",
    "mojibake.gbk_shift",
    "mojibake.gbk_phantom_pinyin",
    "mojibake.unsolved",
    "decode.invalid_bytes",
    "typo.fixed_phrase",
    "despin.collocation",
    "audit",
];

/// The names interned beyond [`BUILT_IN`]: more than this many distinct names is
/// not a set of rules (reading records that hold so many is refused).
const MAX_INTERNED: usize = 1 << 16;

#[derive(Default)]
struct Interned {
    /// Name `k` is rule `BUILT_IN.len() + k`.
    names: Vec<&'static str>,
    numbers: std::collections::HashMap<&'static str, u32>,
}

fn interned() -> &'static std::sync::RwLock<Interned> {
    static TABLE: std::sync::OnceLock<std::sync::RwLock<Interned>> = std::sync::OnceLock::new();
    TABLE.get_or_init(Default::default)
}

impl Rule {
    /// No rule (the empty name): what a placeholder among the repairs holds.
    pub(crate) const NONE: Rule = Rule(0);
    pub(crate) const PINYIN_INLINE: Rule = Rule(1);
    pub(crate) const PINYIN_INLINE_TONELESS: Rule = Rule(2);
    pub(crate) const MOJIBAKE_GBK_SHIFT: Rule = Rule(3);
    pub(crate) const MOJIBAKE_GBK_PHANTOM_PINYIN: Rule = Rule(4);
    pub(crate) const MOJIBAKE_UNSOLVED: Rule = Rule(5);
    pub(crate) const DECODE_INVALID_BYTES: Rule = Rule(6);
    pub(crate) const TYPO_FIXED_PHRASE: Rule = Rule(7);
    pub(crate) const DESPIN_COLLOCATION: Rule = Rule(8);
    pub(crate) const AUDIT: Rule = Rule(9);

    /// The rule named `name`.
    ///
    /// # Panics
    /// If the program has already made 65,536 distinct names that are not the
    /// library's own ([`Rule::try_new`] says so instead).
    pub fn new(name: &str) -> Rule {
        Rule::try_new(name).unwrap_or_else(|| panic!("too many distinct rule names at {name:?}"))
    }

    /// The rule named `name`; `None` if the program has already made 65,536 distinct
    /// names that are not the library's own.
    pub fn try_new(name: &str) -> Option<Rule> {
        if let Some(k) = BUILT_IN.iter().position(|&b| b == name) {
            return Some(Rule(k as u32));
        }
        let table = interned();
        let read = table.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(&n) = read.numbers.get(name) {
            return Some(Rule(n));
        }
        drop(read);
        let mut write = table.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        // (Another thread may have added it meanwhile.)
        if let Some(&n) = write.numbers.get(name) {
            return Some(Rule(n));
        }
        if write.names.len() >= MAX_INTERNED {
            return None;
        }
        let n = (BUILT_IN.len() + write.names.len()) as u32;
        let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
        write.names.push(name);
        write.numbers.insert(name, n);
        Some(Rule(n))
    }

    /// The rule's name.
    pub fn as_str(self) -> &'static str {
        let k = self.0 as usize;
        if let Some(name) = BUILT_IN.get(k) {
            return name;
        }
        let table = interned().read().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Every rule was made by `try_new`, which numbered it in the table.
        table.names.get(k - BUILT_IN.len()).copied().unwrap_or_default()
    }

    /// Is this no rule (the empty name)?
    pub(crate) fn is_empty(self) -> bool {
        self == Rule::NONE
    }
}

impl From<&str> for Rule {
    fn from(name: &str) -> Rule {
        Rule::new(name)
    }
}

impl AsRef<str> for Rule {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Rule {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Rule {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Rule, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Rule::try_new(&name).ok_or_else(|| {
            serde::de::Error::custom(format!("too many distinct rule names at {name:?}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_named_as_numbered() {
        let named = [
            (Rule::NONE, ""),
            (Rule::PINYIN_INLINE, "pinyin.inline"),
            (Rule::PINYIN_INLINE_TONELESS, "pinyin.inline_toneless"),
            (Rule::MOJIBAKE_GBK_SHIFT, "mojibake.gbk_shift"),
            (Rule::MOJIBAKE_GBK_PHANTOM_PINYIN, "mojibake.gbk_phantom_pinyin"),
            (Rule::MOJIBAKE_UNSOLVED, "mojibake.unsolved"),
            (Rule::DECODE_INVALID_BYTES, "decode.invalid_bytes"),
            (Rule::TYPO_FIXED_PHRASE, "typo.fixed_phrase"),
            (Rule::DESPIN_COLLOCATION, "despin.collocation"),
            (Rule::AUDIT, "audit"),
        ];
        for (rule, name) in named {
            assert_eq!(rule.as_str(), name);
            assert_eq!(Rule::new(name), rule, "{name}");
        }
        // A new name is numbered once, after the library's own.
        let site = Rule::new("test_site.footer_of_record_tests");
        assert_eq!(site.as_str(), "test_site.footer_of_record_tests");
        assert_eq!(Rule::new("test_site.footer_of_record_tests"), site);
        assert_ne!(site, Rule::new("test_site.header_of_record_tests"));
        assert!(site.0 as usize >= BUILT_IN.len());
    }

    #[test]
    fn rules_read_and_write_as_their_names() {
        let json = r#"{"kind":"typo","rule":"test_site.typo_of_record_tests","start":0,"end":3,"from":"甲","to":"乙"}"#;
        let repair: Repair = serde_json::from_str(json).unwrap();
        assert_eq!(repair.rule, "test_site.typo_of_record_tests");
        assert_eq!(serde_json::to_string(&repair).unwrap(), json);
        let json = r#"{"kind":"pinyin","rule":"pinyin.inline","start":0,"end":8,"from":"紀(jì)","to":"纪"}"#;
        let repair: Repair = serde_json::from_str(json).unwrap();
        assert_eq!(repair.rule, Rule::PINYIN_INLINE);
        assert_eq!(serde_json::to_string(&repair).unwrap(), json);
    }
}
