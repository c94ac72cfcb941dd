//! Stage `elements`: numeric formulas (数字化概括) such as “四个意识”, 两个维护,
//! 三张清单, 三严三实, with their members; required elements; keywords.
//!
//! # What counts
//!
//! - A formula of the lexicon (`src/data/formulas.toml`, 180+ entries, extensible),
//!   by name or alias, standing as a word of its own (jieba-rs, with the lexicon's names
//!   added to its dictionary, must not cut through it; a numeral or 第 right before it
//!   makes it part of something else: 十四个坚持 is not 四个坚持).
//! - A quoted numeral phrase (“三个紧盯”, “五个聚焦”): quotation marks are strong
//!   evidence, unless it is a count, a congress number (十八大), a date (七一), an
//!   ordinal or an idiom.
//! - An unquoted numeral phrase followed by `：` or `——` and exactly as many listed
//!   items as its numeral says, unless its noun is a counting word (三点意见, 两个月,
//!   四个方面存在问题, 两项议程).
//! - An unnamed enumeration of a lexicon formula's members (建立整改问题清单、任务清单、
//!   责任清单 is 三张清单).
//!
//! # Members
//!
//! From the text when the speech spells them out (`members_from: "text"`): after `——`,
//! `：` or `即`, before the name (`产业振兴、人才振兴…“五个振兴”`), or as the points that
//! follow (`做到“三准”：一要瞄准方向…二要盯准重点…三要找准问题`); otherwise from the
//! lexicon (`"lexicon"`); null when unknown. A count that disagrees with the members
//! found is reported.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use jieba_rs::{Jieba, KeywordExtract, TfIdf};
use regex::Regex;
use serde::Deserialize;

use crate::normalize::pinyin::is_han;
use crate::record::{Element, Span};

const BUILTIN_LEXICON: &str = include_str!("data/formulas.toml");

/// A formula of the lexicon.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Formula {
    /// The formula as normally written, e.g. `四个意识`.
    pub name: String,
    /// Its canonical members (empty when it is a slogan or unsure).
    #[serde(default)]
    pub members: Vec<String>,
    /// Other written forms (`4个意识`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Field of work.
    #[serde(default)]
    pub category: String,
    /// Free notes; a note `计N项` / `计数为N` fixes the count.
    #[serde(default)]
    pub note: String,
}

#[derive(Deserialize)]
struct LexiconFile {
    formula: Vec<Formula>,
}

/// The formula lexicon: the built-in one, optionally extended by the user's.
#[derive(Debug, Clone)]
pub struct Lexicon {
    formulas: Vec<Formula>,
}

impl Lexicon {
    /// The built-in lexicon.
    pub fn builtin() -> Lexicon {
        Lexicon::parse(BUILTIN_LEXICON).expect("built-in formulas.toml parses")
    }

    /// Parses a lexicon file (`[[formula]]` tables: `name`, `members`, `aliases`,
    /// `category`, `note`).
    ///
    /// # Errors
    ///
    /// When the text is not such a TOML file.
    pub fn parse(toml_text: &str) -> Result<Lexicon, String> {
        let f: LexiconFile = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        Ok(Lexicon { formulas: f.formula })
    }

    /// Adds (or replaces, by name) the formulas of another lexicon.
    pub fn extend(&mut self, other: Lexicon) {
        for f in other.formulas {
            match self.formulas.iter_mut().find(|g| g.name == f.name) {
                Some(g) => *g = f,
                None => self.formulas.push(f),
            }
        }
    }

    /// Number of formulas.
    pub fn len(&self) -> usize {
        self.formulas.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.formulas.is_empty()
    }

    /// The formulas.
    pub fn formulas(&self) -> &[Formula] {
        &self.formulas
    }
}

/// The value of a Chinese or Arabic numeral at the start of `s`: (value, byte length).
fn numeral(s: &str) -> Option<(u32, usize)> {
    crate::numeral::arabic(s).or_else(|| crate::numeral::chinese(s))
}

/// The count a formula stands for.
fn count_of(f: &Formula) -> u32 {
    let re = count_note();
    if let Some(c) = re.captures(&f.note) {
        if let Ok(n) = c[1].parse() {
            return n;
        }
    }
    if f.note.starts_with("复合形式") {
        // 三严三实: 3 + 3; 两学一做: 2 + 1.
        let mut sum = 0;
        let mut i = 0;
        let s = f.name.as_str();
        while i < s.len() {
            if let Some((v, l)) = numeral(&s[i..]) {
                sum += v;
                i += l;
            } else {
                i += s[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
        if sum > 0 {
            return sum;
        }
    }
    numeral(&f.name).map_or(0, |(v, _)| v)
}

fn count_note() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"计(?:数为)?(\d+)(?:项)?").expect("count pattern"))
}

/// Phrases shaped like formulas that are not: idioms, counts, dates, congresses.
const NOT_FORMULAS: &[&str] = &[
    "一针见血",
    "三令五申",
    "一心一意",
    "三番五次",
    "四面八方",
    "三心二意",
    "一知半解",
    "七上八下",
    "一清二楚",
    "一失足成千古恨",
    "一以贯之",
    "一丝不苟",
    "一如既往",
    "一刀切",
    "一把手",
    "一张蓝图",
    "一竿子插到底",
    "一锤定音",
    "一团和气",
    "一劳永逸",
    "五湖四海",
    "千方百计",
    "一举两得",
    "一视同仁",
    "九牛一毛",
    "十全十美",
    "一分为二",
    "一成不变",
    "一事一议",
    "一门心思",
    "三天打鱼两天晒网",
];

/// Nouns after a numeral that make a count, not a formula.
const COUNT_NOUNS: &[&str] = &[
    "点意见",
    "点要求",
    "点体会",
    "点建议",
    "点看法",
    "点",
    "个问题",
    "个方面",
    "方面",
    "项议程",
    "项",
    "个月",
    "个组",
    "个巡察组",
    "家",
    "人",
    "次",
    "名",
    "年",
    "天",
    "篇",
    "条意见",
    "个单位",
    "个村",
    "个部门",
    "个乡镇",
    "批",
    "轮",
    "届",
    "周",
    "小时",
    "分钟",
    "个百分点",
    "倍",
    "元",
    "万元",
    "亿元",
    "户",
    "所",
    "座",
    "场",
    "期",
    "份",
    "件",
    "起",
    "处",
    "台",
    "辆",
    "部分",
    "个部分",
    "层",
    "级",
];

/// The stage. Build once; shared by all documents.
pub struct ElementFinder {
    lexicon: Lexicon,
    counts: Vec<u32>,
    /// Names and aliases → formula index.
    names: AhoCorasick,
    name_of: Vec<usize>,
    /// First members → formula index (for unnamed enumerations).
    first_members: AhoCorasick,
    first_member_of: Vec<usize>,
    quoted: Regex,
    shape: Regex,
    jieba: OnceLock<Jieba>,
    tfidf: OnceLock<TfIdf>,
}

impl std::fmt::Debug for ElementFinder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ElementFinder").field("formulas", &self.lexicon.len()).finish()
    }
}

impl Default for ElementFinder {
    fn default() -> Self {
        ElementFinder::new(Lexicon::builtin())
    }
}

/// What was found in one text.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// One entry per distinct formula, in order of first occurrence.
    pub elements: Vec<Element>,
    /// Count / member disagreements: (byte offset of the occurrence, warning).
    pub warnings: Vec<(usize, String)>,
}

impl ElementFinder {
    /// Builds the stage over a lexicon.
    pub fn new(lexicon: Lexicon) -> ElementFinder {
        let counts = lexicon.formulas.iter().map(count_of).collect();
        let mut patterns = Vec::new();
        let mut name_of = Vec::new();
        for (i, f) in lexicon.formulas.iter().enumerate() {
            for n in std::iter::once(&f.name).chain(&f.aliases) {
                if !n.is_empty() {
                    patterns.push(n.clone());
                    name_of.push(i);
                }
            }
        }
        let names = crate::dictionary_automaton(&patterns, MatchKind::LeftmostLongest);
        let mut firsts = Vec::new();
        let mut first_member_of = Vec::new();
        for (i, f) in lexicon.formulas.iter().enumerate() {
            if f.members.len() >= 2 && f.members.iter().all(|m| m.chars().count() <= 8) {
                firsts.push(f.members[0].clone());
                first_member_of.push(i);
            }
        }
        let first_members = crate::dictionary_automaton(&firsts, MatchKind::Standard);
        ElementFinder {
            lexicon,
            counts,
            names,
            name_of,
            first_members,
            first_member_of,
            quoted: Regex::new(r"“([^“”\n]{2,14})”").expect("quoted pattern"),
            shape: Regex::new(r"^(?:[一二两三四五六七八九十]{1,3}|[0-9]{1,2})(?:个|张|种|大|项|条|类|支|道|本|化|型|线|心|不|是|为)?\p{Han}{1,8}$")
                .expect("shape pattern"),
            jieba: OnceLock::new(),
            tfidf: OnceLock::new(),
        }
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// jieba-rs with the lexicon's names added, built on first use.
    pub fn jieba(&self) -> &Jieba {
        self.jieba.get_or_init(|| {
            let mut j = Jieba::new();
            for f in &self.lexicon.formulas {
                for n in std::iter::once(&f.name).chain(&f.aliases) {
                    j.add_word(n, Some(50_000), Some("nz"));
                }
            }
            j
        })
    }

    /// The top `k` terms of a text by TF-IDF over jieba-rs tokens.
    pub fn keywords(&self, text: &str, k: usize) -> Vec<String> {
        let tfidf = self.tfidf.get_or_init(TfIdf::default);
        tfidf
            .extract_keywords(self.jieba(), text, k, Vec::new())
            .into_iter()
            .map(|kw| kw.keyword)
            .filter(|w| w.chars().any(is_han))
            .collect()
    }

    /// Does jieba keep `text[s..e]` whole (no token crosses its edges)?
    pub fn is_word(&self, text: &str, s: usize, e: usize) -> bool {
        let lo = text[..s].char_indices().rev().nth(6).map_or(0, |(i, _)| i);
        let hi = text[e..].char_indices().nth(6).map_or(text.len(), |(i, _)| e + i);
        let window = &text[lo..hi];
        let tokens = self.jieba().cut(window, false);
        let (s, e) = (s - lo, e - lo);
        tokens
            .iter()
            .all(|t| !(t.byte_start < s && t.byte_end > s || t.byte_start < e && t.byte_end > e))
    }

    /// Finds the formulas in `text`.
    pub fn find(&self, text: &str) -> Found {
        let mut found: Vec<Building> = Vec::new();
        // 1. Lexicon names and aliases.
        for m in self.names.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let fi = self.name_of[m.pattern().as_usize()];
            if part_of_number(text, s) {
                continue;
            }
            let quoted = text[..s].ends_with('“') && text[e..].starts_with('”');
            let short = text[s..e].chars().count() <= 2;
            if !quoted && short && !self.is_word(text, s, e) {
                continue;
            }
            let name = self.lexicon.formulas[fi].name.clone();
            add(&mut found, &name, Some(fi), s, e);
        }
        // 2. Quoted numeral phrases not in the lexicon.
        for c in self.quoted.captures_iter(text) {
            let Some(inner) = c.get(1) else { continue };
            let t = inner.as_str();
            if !self.shape.is_match(t) || NOT_FORMULAS.contains(&t) || is_count(t) {
                continue;
            }
            // One of something (一体化, 一站式) names no set; the lexicon knows the
            // few formulas that count one (一岗双责, 一个加强).
            if numeral(t).is_none_or(|(n, _)| n < 2) {
                continue;
            }
            if found.iter().any(|b| b.spans.iter().any(|&(s, _)| s == inner.start())) {
                continue;
            }
            add(&mut found, t, None, inner.start(), inner.end());
        }
        // 3. Unquoted numeral phrases introducing exactly as many listed items.
        self.introduced_lists(text, &mut found);
        // 4. Unnamed enumerations of a formula's members.
        self.unnamed(text, &mut found);

        // Members and the record.
        let mut out = Found::default();
        found.sort_by_key(|b| b.spans.first().map_or(0, |s| s.0));
        for b in found {
            let count = match b.formula {
                Some(fi) => self.counts[fi],
                None => numeral(&b.name).map_or(0, |(v, _)| v),
            };
            let lexicon_members =
                b.formula.map(|fi| self.lexicon.formulas[fi].members.clone()).unwrap_or_default();
            let noun =
                numeral(&b.name).map(|(_, l)| b.name[l..].trim_start_matches('个').to_string());
            let from_text = b
                .text_members
                .clone()
                .or_else(|| spelled_out(text, &b.spans, &lexicon_members))
                .or_else(|| b.spans.iter().find_map(|&(s, e)| members_in_text(text, s, e, count)))
                .map(|m| cut_after_noun(m, noun.as_deref()));
            let (members, members_from) = match from_text {
                Some(m) => (m, Some("text".to_string())),
                None if !lexicon_members.is_empty() => {
                    (lexicon_members, Some("lexicon".to_string()))
                }
                None => (Vec::new(), None),
            };
            if members_from.as_deref() == Some("text") && count > 0 && members.len() as u32 != count
            {
                let at = b.spans.first().map_or(0, |s| s.0);
                out.warnings.push((
                    at,
                    format!(
                        "“{}” counts {count} but the text lists {}: {}",
                        b.name,
                        members.len(),
                        members.join("、")
                    ),
                ));
            }
            out.elements.push(Element {
                name: b.name,
                count,
                members,
                members_from,
                occurrences: b.spans.into_iter().map(|(start, end)| Span { start, end }).collect(),
                // Every element found today is a formula by lexicon, quotes or a
                // counted list; borderline phrases (一盘棋) are not reported.
                confidence: 1.0,
            });
        }
        out
    }

    fn introduced_lists(&self, text: &str, found: &mut Vec<Building>) {
        static RE: OnceLock<Regex> = OnceLock::new();
        let re = RE.get_or_init(|| {
            Regex::new(r"(?:[一二两三四五六七八九十]{1,3}|[0-9]{1,2})(?:个|张|种|大|项|条|类)?\p{Han}{1,4}(?:——|：)")
                .expect("introduced pattern")
        });
        for m in re.find_iter(text) {
            let (s, mut e) = (m.start(), m.end());
            if part_of_number(text, s) || text[..s].ends_with('第') {
                continue;
            }
            let intro = m.as_str();
            let name = intro.trim_end_matches(['：', '—']);
            e -= intro.len() - name.len();
            if NOT_FORMULAS.contains(&name) || is_count(name) {
                continue;
            }
            if found.iter().any(|b| b.spans.iter().any(|&(a, z)| a < e && s < z)) {
                continue;
            }
            let Some((count, _)) = numeral(name) else { continue };
            if !self.is_word(text, s, e) {
                continue;
            }
            if let Some(members) = members_in_text(text, s, e, count) {
                if members.len() as u32 == count {
                    let mut b = Building::new(name, None, s, e);
                    b.text_members = Some(members);
                    found.push(b);
                }
            }
        }
    }

    fn unnamed(&self, text: &str, found: &mut Vec<Building>) {
        for m in self.first_members.find_overlapping_iter(text) {
            let fi = self.first_member_of[m.pattern().as_usize()];
            let f = &self.lexicon.formulas[fi];
            // The other members follow, separated by 、 / ， / 和.
            let mut pos = m.end();
            let mut ok = true;
            for member in &f.members[1..] {
                let rest = &text[pos..];
                let sep = rest
                    .chars()
                    .take_while(|c| "、，和及与 ".contains(*c))
                    .map(char::len_utf8)
                    .sum::<usize>();
                // A shared head word may be left out (整改问题清单、任务清单).
                if rest[sep..].starts_with(member.as_str()) {
                    pos += sep + member.len();
                } else {
                    ok = false;
                    break;
                }
            }
            // The list must be complete: 道路自信、理论自信、制度自信 followed by
            // 、文化自信 is four, not 三个自信.
            let continues = text[pos..].starts_with(['、', '和', '及']);
            if !ok || continues || f.members.len() < 3 {
                continue;
            }
            let (s, e) = (m.start(), pos);
            if found.iter().any(|b| {
                b.spans.iter().any(|&(a, z)| a < e && s < z)
                    || b.formula == Some(fi) && b.text_members.is_some()
            }) {
                continue;
            }
            match found.iter_mut().find(|b| b.formula == Some(fi)) {
                Some(b) => {
                    b.text_members.get_or_insert_with(|| f.members.clone());
                }
                None => {
                    let mut b = Building::new(&f.name, Some(fi), s, e);
                    b.text_members = Some(f.members.clone());
                    found.push(b);
                }
            }
        }
    }
}

/// A formula being collected.
struct Building {
    name: String,
    formula: Option<usize>,
    spans: Vec<(usize, usize)>,
    text_members: Option<Vec<String>>,
}

impl Building {
    fn new(name: &str, formula: Option<usize>, s: usize, e: usize) -> Building {
        Building { name: name.to_string(), formula, spans: vec![(s, e)], text_members: None }
    }
}

fn add(found: &mut Vec<Building>, name: &str, formula: Option<usize>, s: usize, e: usize) {
    match found.iter_mut().find(|b| b.name == name) {
        Some(b) => {
            if !b.spans.contains(&(s, e)) {
                b.spans.push((s, e));
            }
        }
        None => found.push(Building::new(name, formula, s, e)),
    }
}

/// A numeral or 第 right before `s`: the match is part of a larger number.
fn part_of_number(text: &str, s: usize) -> bool {
    text[..s]
        .chars()
        .next_back()
        .is_some_and(|c| "一二两三四五六七八九十百千万零〇第".contains(c) || c.is_ascii_digit())
}

/// A numeral with a counting noun (三点意见, 两个月, 7个巡察组), or a congress/plenum
/// number or a date (十八大, 七一).
fn is_count(t: &str) -> bool {
    let Some((_, l)) = numeral(t) else { return true };
    let noun = &t[l..];
    if noun.is_empty() || noun == "大" || noun.starts_with("届") || numeral(noun).is_some() {
        return true;
    }
    COUNT_NOUNS.iter().any(|c| {
        noun == *c
            || noun.starts_with(c)
                && noun[c.len()..].chars().count() <= 2
                && *c != "点"
                && *c != "项"
    }) || noun.starts_with("中全会")
}

/// The lexicon's members, when every one of them appears verbatim within 300 bytes
/// of an occurrence: the speech spells them out.
fn spelled_out(text: &str, spans: &[(usize, usize)], members: &[String]) -> Option<Vec<String>> {
    if members.len() < 2 {
        return None;
    }
    spans.iter().find_map(|&(s, e)| {
        let lo = (0..=s.saturating_sub(300)).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let hi = (e + 300..=text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len())
            .min(text.len());
        let window = &text[lo..hi];
        members.iter().all(|m| window.contains(m.as_str())).then(|| members.to_vec())
    })
}

/// `查处一批顶风违纪的典型案件` → `查处一批` when every member contains the formula's
/// own noun (三个一批): the noun closes the member.
fn cut_after_noun(members: Vec<String>, noun: Option<&str>) -> Vec<String> {
    let Some(noun) = noun.filter(|n| !n.is_empty()) else { return members };
    // Only where a long object follows the noun in every item (查处一批顶风违纪的典型案件),
    // not where it is part of a short member (摘帽不摘责任).
    let long_object = |m: &String| {
        m.find(noun).is_some_and(|i| i > 0 && m[i + noun.len()..].chars().count() >= 4)
    };
    if members.len() < 2 || !members.iter().all(long_object) {
        return members;
    }
    members.into_iter().map(|m| m[..m.find(noun).unwrap_or(0) + noun.len()].to_string()).collect()
}

/// Items of an enumeration, with the separator that gives `count` of them: 、 inside
/// a member and ， between members (两个确立), or 和 between two (主体责任和监督责任).
fn enumerate(s: &str, count: u32) -> Vec<String> {
    let all = split_items(s);
    if count < 2 || all.len() as u32 == count {
        return all;
    }
    for seps in [&['，', '；'][..], &['；'][..], &['和', '与'][..]] {
        let items: Vec<String> = s
            .split(seps)
            .map(|i| i.trim().trim_matches(['“', '”']).to_string())
            .filter(|i| !i.is_empty())
            .collect();
        if items.len() as u32 == count {
            return items;
        }
    }
    // More than counted: a following clause joined by a comma. Keep the parallel
    // items at the front.
    if all.len() as u32 > count {
        let mut whole = all.clone();
        if parallel(&mut whole) {
            return whole; // a real count mismatch: the text lists more
        }
        let mut head = all[..count as usize].to_vec();
        if parallel(&mut head) {
            return head;
        }
    }
    all
}

/// Members spelled out in the text around an occurrence `text[s..e]` of a formula
/// counting `count`: after ——, ：, 即; before the name; or as the points that follow.
fn members_in_text(text: &str, s: usize, e: usize, count: u32) -> Option<Vec<String>> {
    let after = text[e..].trim_start_matches('”');
    let after_off = text.len() - after.len();
    // Points that follow the sentence: 做到“三个坚持”。第一，坚持人民至上…
    if let Some(rest) = after.strip_prefix('。') {
        if let Some(points) = members_from_points(rest, count) {
            return Some(points);
        }
    }
    for lead in ["——", "：", "，即", "，就是", "即", "就是"] {
        if let Some(rest) = after.strip_prefix(lead) {
            // Points that follow: 一要…二要…
            if let Some(points) = members_from_points(rest, count) {
                return Some(points);
            }
            let end = rest.find(['。', '\n']).unwrap_or(rest.len());
            let items = enumerate(&rest[..end], count);
            if items.len() >= 2 && (count == 0 || items.len() as u32 >= count.min(2)) {
                let _ = after_off;
                return Some(items);
            }
        }
    }
    // Before the name: 产业振兴、人才振兴…组织振兴“五个振兴”, 严以修身…做人要实的“三严三实”:
    // a list right before the name (or its 的/等), whose items are parallel. Not when
    // the name is itself an item of a list (…、“两代表一委员”、…).
    let before = text[..s].trim_end_matches('“');
    if before.ends_with(['、', '，']) {
        return None;
    }
    let before = before.trim_end_matches(['的', '这', '等']);
    const SEPS: [char; 5] = ['。', '；', '：', '\n', '，'];
    // Start of the clause that ends at `end`: just after the last separator.
    let clause_start = |end: usize| -> usize {
        before[..end]
            .rfind(SEPS)
            .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8))
    };
    let mut start = clause_start(before.len());
    // 三严三实 spans a comma: 严以修身、严以用权、严以律己，谋事要实、创业要实、做人要实.
    if count >= 4 && start > 0 {
        // Step back over the separator (a whole character) and take one more clause,
        // at most 60 bytes further.
        let sep_at = before[..start].char_indices().next_back().map_or(0, |(i, _)| i);
        let floor =
            (0..=start.saturating_sub(60)).rev().find(|&i| before.is_char_boundary(i)).unwrap_or(0);
        start = clause_start(sep_at).max(floor);
    }
    let items = split_items(&before[start..]);
    if count >= 2 && items.len() as u32 >= count {
        let mut tail: Vec<String> = items[items.len() - count as usize..].to_vec();
        if !parallel(&mut tail) {
            return None;
        }
        return Some(tail);
    }
    None
}

/// Are the items parallel (a shared last or first character in each half of the list)?
/// The first item may carry the verb that introduces the list (统筹抓好产业振兴): it is
/// trimmed to the others' length.
fn parallel(items: &mut [String]) -> bool {
    if items.len() < 2 || !items.iter().all(|i| (2..=12).contains(&i.chars().count())) {
        return false;
    }
    let shares = |xs: &[String]| {
        let last: Vec<Option<char>> = xs.iter().map(|x| x.chars().last()).collect();
        let first: Vec<Option<char>> = xs.iter().map(|x| x.chars().next()).collect();
        last.windows(2).all(|w| w[0] == w[1]) || first.windows(2).all(|w| w[0] == w[1])
    };
    let n = items.len();
    // The first item may be longer (a lead verb), so it joins the others' shared end
    // only from three items on; two items must share an end themselves.
    let ok = if n == 2 {
        shares(&items[..])
    } else {
        shares(&items[1..]) || n % 2 == 0 && shares(&items[..n / 2]) && shares(&items[n / 2..])
    };
    if !ok {
        return false;
    }
    // Trim a long first item to the length of the second, keeping its end.
    let target = items[1].chars().count();
    let first_len = items[0].chars().count();
    if first_len > target + 1 && items[0].chars().last() == items[1].chars().last() {
        items[0] = items[0].chars().skip(first_len - target).collect();
    }
    true
}

/// Items of an enumeration: split on 、 and ，, quotes and 和/及/以及/等 dropped.
fn split_items(s: &str) -> Vec<String> {
    s.split(['、', '，', ',', '；'])
        .map(|i| {
            let i = i.trim().trim_matches(['“', '”', '"', ' ']);
            let i = i
                .strip_prefix("以及")
                .or_else(|| i.strip_prefix("和"))
                .or_else(|| i.strip_prefix("及"))
                .unwrap_or(i);
            let i = i.strip_suffix("等方面").or_else(|| i.strip_suffix("等")).unwrap_or(i);
            i.trim_matches(['“', '”']).to_string()
        })
        .filter(|i| !i.is_empty())
        .collect()
}

/// Members given as the points that follow: `一要瞄准方向。…二要盯准重点。…`.
fn members_from_points(s: &str, count: u32) -> Option<Vec<String>> {
    if count < 2 {
        return None;
    }
    let window: String = s.chars().take(400 * count as usize).collect();
    let families: [(&str, &str); 6] =
        [("", "要"), ("", "是"), ("第", "，"), ("（", "）"), ("", "、"), ("第", "个")];
    let cn = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    'family: for (pre, post) in families {
        let mut items = Vec::new();
        let mut from = 0;
        for (k, numeral) in cn.iter().enumerate().take(count.min(10) as usize) {
            let marker = format!("{pre}{numeral}{post}");
            let Some(i) = window[from..].find(&marker) else {
                // A cut text may show fewer points than counted: keep a run of two or
                // more that starts at the first marker right after the colon.
                if k >= 2 {
                    break;
                }
                continue 'family;
            };
            if k == 0 && window[..i].trim().chars().count() > 0 {
                continue 'family;
            }
            let at = from + i;
            // The marker must start a clause.
            let prev = window[..at].chars().next_back();
            if !(at == 0 || prev.is_some_and(|c| "。；：\n ，".contains(c))) {
                continue 'family;
            }
            let body = &window[at + marker.len()..];
            // 第一个注意：注意发现问题 — the item is after the named ordinal.
            let body = strip_named_ordinal(body);
            let end = body
                .find(['。', '，', '；', '：', '\n', ' '])
                .unwrap_or_else(|| body.char_indices().nth(20).map_or(body.len(), |(i, _)| i));
            items.push(body[..end].trim().to_string());
            from = at + marker.len();
        }
        if items.len() >= 2 && items.iter().all(|i| !i.is_empty()) {
            return Some(items);
        }
    }
    // Fewer points than counted (a cut page): take the run that starts at 一.
    None
}

fn strip_named_ordinal(s: &str) -> &str {
    // `第一个注意：` / `其次个注意：` / `个注意：` left after a 第N marker.
    let t = s.trim_start();
    let t = t
        .strip_prefix("第")
        .map(|r| r.trim_start_matches(|c| "一二三四五六七八九十".contains(c)))
        .unwrap_or(t);
    let t = t.strip_prefix("其次").unwrap_or(t);
    if let Some(r) = t.strip_prefix('个') {
        if let Some(i) = r.find('：') {
            if r[..i].chars().count() <= 4 {
                return &r[i + '：'.len_utf8()..];
            }
        }
    }
    s
}

/// Where a profile's requirement is checked: (name, alternatives).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Requirement {
    /// The formula required.
    pub name: String,
    /// Formulas that satisfy the requirement as well.
    #[serde(default)]
    pub alternatives: Vec<String>,
    /// Why the genre requires it.
    #[serde(default)]
    pub why: String,
}

/// A required-elements profile: what a speech of a genre must contain.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Profile {
    /// Profile name.
    pub name: String,
    /// What genre it is for and why.
    #[serde(default)]
    pub about: String,
    /// The requirements.
    #[serde(default, rename = "require")]
    pub requirements: Vec<Requirement>,
}

/// Built-in profiles: (file stem, TOML).
const BUILTIN_PROFILES: &[(&str, &str)] = &[
    ("xuncha_dongyuan", include_str!("data/profiles/xuncha_dongyuan.toml")),
    ("xuncha_zhenggai", include_str!("data/profiles/xuncha_zhenggai.toml")),
    ("zhuanti_yantao", include_str!("data/profiles/zhuanti_yantao.toml")),
];

impl Profile {
    /// Parses a profile file.
    ///
    /// # Errors
    ///
    /// When the text is not a profile TOML file.
    pub fn parse(toml_text: &str) -> Result<Profile, String> {
        toml::from_str(toml_text).map_err(|e| e.to_string())
    }

    /// A built-in profile by name (`xuncha_dongyuan`, `xuncha_zhenggai`,
    /// `zhuanti_yantao`, or the profile's Chinese name).
    pub fn builtin(name: &str) -> Option<Profile> {
        BUILTIN_PROFILES
            .iter()
            .filter_map(|(stem, text)| Profile::parse(text).ok().map(|p| (stem, p)))
            .find(|(stem, p)| **stem == name || p.name == name)
            .map(|(_, p)| p)
    }

    /// Names of the built-in profiles.
    pub fn builtin_names() -> Vec<&'static str> {
        BUILTIN_PROFILES.iter().map(|(n, _)| *n).collect()
    }

    /// The requirements not met by `elements`.
    pub fn missing(&self, elements: &[Element]) -> Vec<String> {
        let have: HashMap<&str, ()> = elements.iter().map(|e| (e.name.as_str(), ())).collect();
        self.requirements
            .iter()
            .filter(|r| {
                !have.contains_key(r.name.as_str())
                    && !r.alternatives.iter().any(|a| have.contains_key(a.as_str()))
            })
            .map(|r| r.name.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_and_counts() {
        assert_eq!(numeral("四个意识"), Some((4, 3)));
        assert_eq!(numeral("十四个坚持"), Some((14, 6)));
        assert_eq!(numeral("二十大"), Some((20, 6)));
        let lex = Lexicon::builtin();
        let get = |n: &str| lex.formulas.iter().find(|f| f.name == n).map(count_of);
        assert_eq!(get("三严三实"), Some(6));
        assert_eq!(get("两学一做"), Some(3));
        assert_eq!(get("四个意识"), Some(4));
        assert_eq!(get("两个一百年"), Some(2));
        assert_eq!(get("三管三必须"), Some(3));
        assert!(lex.len() >= 150);
    }

    #[test]
    fn counts_are_not_formulas() {
        for t in ["三点意见", "两个月", "7个巡察组", "66家", "十八大", "七一", "四个方面"]
        {
            assert!(is_count(t), "{t}");
        }
        for t in ["四个意识", "三张清单", "三准", "四个注意", "五大攻坚战"] {
            assert!(!is_count(t), "{t}");
        }
    }
}
