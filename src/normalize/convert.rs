//! Traditional → Simplified conversion with OpenCC's tables.
//!
//! The engine is OpenCC's algorithm, not its code: a text is cut into segments by
//! maximum forward matching on `TSPhrases`, and each segment goes through a chain of
//! dictionary groups, each of which replaces the longest key that starts at the current
//! position. The tables are OpenCC's own (Apache-2.0, `src/data/opencc/`), embedded at
//! compile time.
//!
//! Lookups go through a dense per-character index (one array slot per BMP code point)
//! that says whether a character starts any key and, if so, which keys. Text that is
//! already Simplified therefore costs one array load per character and no allocation.
//!
//! Three OpenCC configurations are reproduced for testing against OpenCC's own
//! `testcases.json` ([`Conversion::T2s`], [`Conversion::Tw2s`], [`Conversion::Hk2s`]).
//! The analyzer uses [`Conversion::Mainland`]: one pass that accepts OpenCC standard,
//! Taiwan and Hong Kong variants together and writes mainland usage for 著/着.

use std::collections::HashMap;

const TS_PHRASES: &str = include_str!("../data/opencc/TSPhrases.txt");
const TS_CHARACTERS: &str = include_str!("../data/opencc/TSCharacters.txt");
const TW_VARIANTS: &str = include_str!("../data/opencc/TWVariants.txt");
const TW_VARIANTS_REV_PHRASES: &str = include_str!("../data/opencc/TWVariantsRevPhrases.txt");
const HK_VARIANTS: &str = include_str!("../data/opencc/HKVariants.txt");
const HK_VARIANTS_REV_PHRASES: &str = include_str!("../data/opencc/HKVariantsRevPhrases.txt");
const ST_CHARACTERS: &str = include_str!("../data/opencc/STCharacters.txt");
const CJK_COMPATIBILITY: &str = include_str!("../data/opencc/CJK_Compatibility_Ideographs.txt");

/// Words in which mainland Simplified keeps 著 (zhù: to write, notable). Everywhere else
/// mainland text writes 着 (着力, 着眼, 标志着, 摸着石头过河, 带着, 执着, 着落 …), where
/// OpenCC's plain t2s keeps 著. Both Traditional and Simplified spellings are listed
/// because the key is matched on the input as written.
pub(crate) const MAINLAND_ZHU_WORDS: &[&str] = &[
    "著名",
    "著作",
    "著称",
    "著稱",
    "著者",
    "著述",
    "著录",
    "著錄",
    "著书",
    "著書",
    "著有",
    "著文",
    "著说",
    "著說",
    "著译",
    "著譯",
    "著於",
    "著于",
    "显著",
    "顯著",
    "名著",
    "巨著",
    "鉅著",
    "钜著",
    "合著",
    "编著",
    "編著",
    "论著",
    "論著",
    "原著",
    "专著",
    "專著",
    "遗著",
    "遺著",
    "译著",
    "譯著",
    "拙著",
    "昭著",
    "卓著",
    "土著",
    "新著",
    "大著",
    "撰著",
    "遗著",
    "编著者",
    "編著者",
    "著作权",
    "著作權",
    "彰著",
    "鸿篇巨著",
    "鴻篇鉅著",
    "臭名昭著",
    "惡名昭著",
    "恶名昭著",
    "著稱於世",
    "著称于世",
];

/// Which conversion to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Conversion {
    /// OpenCC `t2s`: OpenCC standard Traditional → Simplified.
    T2s,
    /// OpenCC `tw2s`: Taiwan standard → Simplified.
    Tw2s,
    /// OpenCC `hk2s`: Hong Kong variant → Simplified.
    Hk2s,
    /// What the analyzer uses: standard, Taiwan and Hong Kong forms in one pass, with
    /// mainland usage of 著/着.
    Mainland,
}

/// A dictionary group: the longest key starting at a position wins.
#[derive(Debug, Default)]
struct Table {
    /// `index[c]` for BMP code points: 0 = no key starts with `c`, else 1 + slot.
    bmp: Vec<u32>,
    /// Keys starting with a supplementary-plane character.
    astral: HashMap<char, u32>,
    slots: Vec<Slot>,
    /// The first two characters of every key longer than one character, hashed into
    /// a bit set (`pair_bit`): a character that starts phrases (一, 不, 中 start
    /// some) but is not followed by one's second character is settled without a
    /// slot lookup. Most such characters in running text are.
    pairs: Vec<u64>,
}

/// Bits in [`Table::pairs`]: 2^16 (8 KB, beside the normalizer's 64 KB flags in a
/// first-level cache), about 2.5% false positives for OpenCC's ~1,700 phrase starts.
const PAIR_BITS: u32 = 16;

/// Can a key of two or more characters start with `first`, `second`, by the bit set
/// of [`Converter::phrase_pairs`]? False positives are rare and harmless (the caller
/// then looks the key up); a false answer is certain.
#[inline]
pub(crate) fn phrase_may_start(pairs: &PairSet, first: u32, second: u32) -> bool {
    let bit = pair_bit(first, second);
    pairs[bit / 64] >> (bit % 64) & 1 == 1
}

/// The bit set of [`phrase_may_start`], its size in the type: the hashed bit indexes
/// it without a bounds check.
pub(crate) type PairSet = [u64; 1 << (PAIR_BITS - 6)];

/// The bit of the character pair (`first`, `second`) in [`Table::pairs`].
#[inline]
fn pair_bit(first: u32, second: u32) -> usize {
    (first.wrapping_mul(0x9E37_79B1) ^ second.wrapping_mul(0x85EB_CA6B)).rotate_left(7) as usize
        & ((1 << PAIR_BITS) - 1)
}

#[derive(Debug, Default)]
struct Slot {
    /// Replacement of the single character, if it is a key by itself.
    single: Option<Box<str>>,
    /// Longer keys starting with this character: (rest of key after the first
    /// character, replacement), grouped by the rest's first character and longest
    /// rest first within a group.
    longer: Vec<(Box<str>, Box<str>)>,
    /// The first character of each entry of `longer`'s rest, in the same order: the
    /// group that can match is found by binary search, so a character that starts a
    /// hundred phrases (著, 乾) costs a few comparisons, not a hundred.
    seconds: Vec<char>,
    /// The same characters as bits of a 64-bit filter (code point mod 64): most
    /// characters that follow rule out every longer key without a search.
    second: u64,
}

/// One parsed dictionary: key → preferred value, in file order.
type Entries = Vec<(String, String)>;

fn parse_dict(text: &str) -> Entries {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (key, values) = l.split_once('\t')?;
            let first = values.split(' ').next()?.trim();
            (!key.is_empty() && !first.is_empty()).then(|| (key.to_string(), first.to_string()))
        })
        .collect()
}

/// OpenCC's `*VariantsRev` tables are the variant tables read backwards.
fn reverse_dict(text: &str) -> Entries {
    let mut out = Vec::new();
    for l in text.lines() {
        if l.starts_with('#') {
            continue;
        }
        if let Some((key, values)) = l.split_once('\t') {
            for v in values.split(' ').filter(|v| !v.is_empty()) {
                out.push((v.trim().to_string(), key.to_string()));
            }
        }
    }
    out
}

impl Table {
    /// Builds a group; on duplicate keys the earlier dictionary wins (OpenCC's
    /// short-circuit group policy for keys of equal length).
    fn build(dicts: &[&Entries]) -> Table {
        let mut merged: HashMap<&str, &str> = HashMap::new();
        let mut order: Vec<&str> = Vec::new();
        for d in dicts {
            for (k, v) in d.iter() {
                if !merged.contains_key(k.as_str()) {
                    merged.insert(k, v);
                    order.push(k);
                }
            }
        }
        let mut t = Table {
            bmp: vec![0; 0x1_0000],
            pairs: vec![0; 1 << (PAIR_BITS - 6)],
            ..Table::default()
        };
        for k in order {
            let v = merged[k];
            let mut chars = k.chars();
            let Some(first) = chars.next() else { continue };
            let rest = chars.as_str();
            let slot = t.slot_mut(first);
            match rest.chars().next() {
                None => slot.single = Some(v.into()),
                Some(second) => {
                    slot.longer.push((rest.into(), v.into()));
                    let bit = pair_bit(first as u32, second as u32);
                    t.pairs[bit / 64] |= 1 << (bit % 64);
                }
            }
        }
        let first_char = |rest: &str| rest.chars().next().unwrap_or('\0');
        for s in &mut t.slots {
            s.longer.sort_by(|a, b| {
                first_char(&a.0)
                    .cmp(&first_char(&b.0))
                    .then(b.0.len().cmp(&a.0.len()))
                    .then(a.0.cmp(&b.0))
            });
            s.seconds = s.longer.iter().map(|(rest, _)| first_char(rest)).collect();
            s.second = s.seconds.iter().fold(0, |bits, &c| bits | 1 << (c as u32 % 64));
        }
        t
    }

    fn slot_mut(&mut self, c: char) -> &mut Slot {
        let existing = if (c as u32) < 0x1_0000 {
            self.bmp[c as usize]
        } else {
            self.astral.get(&c).copied().unwrap_or(0)
        };
        let idx = if existing == 0 {
            self.slots.push(Slot::default());
            let n = self.slots.len() as u32;
            if (c as u32) < 0x1_0000 {
                self.bmp[c as usize] = n;
            } else {
                self.astral.insert(c, n);
            }
            n
        } else {
            existing
        };
        &mut self.slots[idx as usize - 1]
    }

    #[inline]
    fn slot(&self, c: char) -> Option<&Slot> {
        let i = if (c as u32) < 0x1_0000 {
            self.bmp[c as usize]
        } else if self.astral.is_empty() {
            0
        } else {
            self.astral.get(&c).copied().unwrap_or(0)
        };
        if i == 0 {
            None
        } else {
            Some(&self.slots[i as usize - 1])
        }
    }

    /// The longest key at the start of `s`: (byte length of the key, replacement).
    #[inline]
    fn match_at<'t>(&'t self, s: &str) -> Option<(usize, &'t str)> {
        self.match_char_at(s.chars().next()?, s)
    }

    /// [`Table::match_at`] when the caller has decoded `s`'s first character, `c`.
    #[inline]
    fn match_char_at<'t>(&'t self, c: char, s: &str) -> Option<(usize, &'t str)> {
        let slot = self.slot(c)?;
        let after = &s[c.len_utf8()..];
        if let Some(n) = after.chars().next().filter(|&n| slot.second >> (n as u32 % 64) & 1 == 1) {
            let from = slot.seconds.partition_point(|&x| x < n);
            let to = from + slot.seconds[from..].partition_point(|&x| x == n);
            for (rest, out) in &slot.longer[from..to] {
                if after.starts_with(&**rest) {
                    return Some((c.len_utf8() + rest.len(), out));
                }
            }
        }
        slot.single.as_deref().map(|out| (c.len_utf8(), out))
    }

    /// Replaces, left to right, the longest key at each position.
    fn convert_into(&self, s: &str, out: &mut String) {
        let mut copied = 0;
        let mut i = 0;
        let bytes = s.as_bytes();
        while i < s.len() {
            // ASCII never starts a key: skip it in bulk.
            if bytes[i] < 0x80 {
                i += 1;
                continue;
            }
            let rest = &s[i..];
            match self.match_at(rest) {
                Some((len, rep)) => {
                    out.push_str(&s[copied..i]);
                    out.push_str(rep);
                    i += len;
                    copied = i;
                }
                None => {
                    i += rest.chars().next().map_or(1, char::len_utf8);
                }
            }
        }
        out.push_str(&s[copied..]);
    }

    fn convert(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        self.convert_into(s, &mut out);
        out
    }
}

/// A Traditional → Simplified converter. Build once, share freely (`Send + Sync`).
#[derive(Debug)]
pub struct Converter {
    kind: Conversion,
    /// Compatibility ideographs → unified (OpenCC's normalization step).
    normalization: Table,
    /// Segmentation dictionary (None: the whole text is one segment).
    segmentation: Option<Table>,
    /// The conversion chain, applied in order to every segment.
    chain: Vec<Table>,
}

impl Converter {
    /// Builds the converter for `kind` from the embedded tables.
    pub fn new(kind: Conversion) -> Converter {
        let ts_phrases = parse_dict(TS_PHRASES);
        let ts_chars = parse_dict(TS_CHARACTERS);
        let compat = parse_dict(CJK_COMPATIBILITY);
        let normalization = Table::build(&[&compat]);
        let ts_group = || Table::build(&[&ts_phrases, &ts_chars]);
        match kind {
            Conversion::T2s => {
                Converter { kind, normalization, segmentation: None, chain: vec![ts_group()] }
            }
            Conversion::Tw2s | Conversion::Hk2s => {
                let (phrases, variants) = if kind == Conversion::Tw2s {
                    (parse_dict(TW_VARIANTS_REV_PHRASES), reverse_dict(TW_VARIANTS))
                } else {
                    (parse_dict(HK_VARIANTS_REV_PHRASES), reverse_dict(HK_VARIANTS))
                };
                Converter {
                    kind,
                    normalization,
                    // Segment on every phrase table of the chain, so that a variant phrase
                    // (著作) is not cut apart before its table sees it.
                    segmentation: Some(Table::build(&[&ts_phrases, &phrases])),
                    chain: vec![Table::build(&[&phrases, &variants]), ts_group()],
                }
            }
            Conversion::Mainland => Converter {
                kind,
                normalization: Table::default_empty(),
                segmentation: None,
                chain: vec![mainland_table(&ts_phrases, &ts_chars, &compat)],
            },
        }
    }

    /// Which conversion this converter runs.
    pub fn kind(&self) -> Conversion {
        self.kind
    }

    /// Converts `s` to Simplified, appending to `out`.
    pub fn convert_into(&self, s: &str, out: &mut String) {
        if self.kind == Conversion::Mainland {
            // One table, no segmentation: the single pass the analyzer relies on.
            self.chain[0].convert_into(s, out);
            return;
        }
        let normalized = self.normalization.convert(s);
        match &self.segmentation {
            None => {
                let mut cur = normalized;
                for t in &self.chain {
                    cur = t.convert(&cur);
                }
                out.push_str(&cur);
            }
            Some(seg) => {
                let mut i = 0;
                while i < normalized.len() {
                    let rest = &normalized[i..];
                    let len = match seg.match_at(rest) {
                        Some((len, _)) => len,
                        None => rest.chars().next().map_or(1, char::len_utf8),
                    };
                    let mut cur = normalized[i..i + len].to_string();
                    for t in &self.chain {
                        cur = t.convert(&cur);
                    }
                    out.push_str(&cur);
                    i += len;
                }
            }
        }
    }

    /// Converts `s` to Simplified.
    pub fn convert(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        self.convert_into(s, &mut out);
        out
    }

    /// Does a key of two or more characters start with `c`?
    pub(crate) fn starts_phrase(&self, c: char) -> bool {
        self.chain.first().and_then(|t| t.slot(c)).is_some_and(|s| !s.longer.is_empty())
    }

    /// What `c` becomes when it is a key by itself and converts to something else.
    pub(crate) fn single_change(&self, c: char) -> Option<&str> {
        let single = self.single(c)?;
        let mut buf = [0u8; 4];
        (single != c.encode_utf8(&mut buf)).then_some(single)
    }

    /// What `c` becomes as a key by itself, if it is one.
    #[inline]
    pub(crate) fn single(&self, c: char) -> Option<&str> {
        self.chain.first()?.slot(c)?.single.as_deref()
    }

    /// A copy of the bit set of phrase starts, for [`phrase_may_start`].
    pub(crate) fn phrase_pairs(&self) -> Box<PairSet> {
        let mut set = Box::new([0; 1 << (PAIR_BITS - 6)]);
        if let Some(t) = self.chain.first() {
            set.iter_mut().zip(&t.pairs).for_each(|(to, &from)| *to = from);
        }
        set
    }

    /// The longest key of the analyzer's table at the start of `s`: its byte length
    /// and replacement. Only meaningful for [`Conversion::Mainland`], which is a single
    /// table without segmentation.
    #[inline]
    pub(crate) fn match_at(&self, s: &str) -> Option<(usize, &str)> {
        self.chain.first()?.match_at(s)
    }

    /// [`Converter::match_at`] when the caller has decoded `s`'s first character, `c`.
    #[inline]
    pub(crate) fn match_char_at(&self, c: char, s: &str) -> Option<(usize, &str)> {
        self.chain.first()?.match_char_at(c, s)
    }
}

impl Table {
    fn default_empty() -> Table {
        Table { bmp: vec![0; 0x1_0000], pairs: vec![0; 1 << (PAIR_BITS - 6)], ..Table::default() }
    }
}

/// The analyzer's single-pass table: OpenCC's standard, Taiwan and Hong Kong
/// variant tables composed with `TSPhrases`/`TSCharacters`, compatibility ideographs
/// folded in, and mainland 著/着 usage. Priority on equal keys: mainland words,
/// variant phrases, TS phrases, variant characters, TS characters.
fn mainland_table(ts_phrases: &Entries, ts_chars: &Entries, compat: &Entries) -> Table {
    let ts = Table::build(&[ts_phrases, ts_chars]);
    // A variant key's output is the standard form, then converted to Simplified.
    let compose = |entries: Entries| -> Entries {
        entries.into_iter().map(|(k, v)| (k, ts.convert(&v))).collect()
    };
    let tw_phrases = compose(parse_dict(TW_VARIANTS_REV_PHRASES));
    let hk_phrases = compose(parse_dict(HK_VARIANTS_REV_PHRASES));
    // Variant characters, except where the variant is itself a Simplified character:
    // reversing TWVariants would otherwise turn every Simplified 么 into 幺.
    let simplified: std::collections::HashSet<String> =
        parse_dict(ST_CHARACTERS).into_iter().map(|(k, _)| k).collect();
    let single_variants = |entries: Entries| -> Entries {
        entries
            .into_iter()
            .filter(|(k, _)| k.chars().count() == 1 && !simplified.contains(k))
            .map(|(k, v)| (k, ts.convert(&v)))
            .collect()
    };
    let tw_chars = single_variants(reverse_dict(TW_VARIANTS));
    let hk_chars = single_variants(reverse_dict(HK_VARIANTS));
    let compat_chars: Entries = compat.iter().map(|(k, v)| (k.clone(), ts.convert(v))).collect();
    let zhu: Entries = MAINLAND_ZHU_WORDS
        .iter()
        .map(|w| (w.to_string(), ts.convert(w).replace('着', "著")))
        .chain(std::iter::once(("著".to_string(), "着".to_string())))
        .collect();
    // Variant phrases that only exist to keep 著 in t2s-style output must not undo
    // the mainland rule: drop their 著→著 identity mappings unless listed above.
    let keep_mainland = |entries: Entries| -> Entries {
        entries
            .into_iter()
            .map(|(k, v)| {
                if k.contains('著') && !MAINLAND_ZHU_WORDS.iter().any(|w| k.contains(w)) {
                    let v = v.replace('著', "着");
                    (k, v)
                } else {
                    (k, v)
                }
            })
            .collect()
    };
    let tw_phrases = keep_mainland(tw_phrases);
    let hk_phrases = keep_mainland(hk_phrases);
    let dicts: [&Entries; 8] =
        [&zhu, &tw_phrases, &hk_phrases, ts_phrases, &tw_chars, &hk_chars, &compat_chars, ts_chars];
    // Converting converted text must change nothing (the analysis of its own output
    // finds nothing to repair). Two things in OpenCC's tables would: a phrase whose
    // output holds a character that converts alone (乾安縣 → 乾安县, and 乾 → 干), and a
    // character whose output converts again (薴 → 苧, and 苧 → 苎 in mainland usage).
    // Phrase outputs become keys of their own that keep them; chains are followed to
    // their end.
    let first = Table::build(&dicts);
    let keep: Entries = dicts
        .iter()
        .flat_map(|d| d.iter())
        .filter(|(k, v)| k.chars().nth(1).is_some() && first.convert(v) != *v)
        .map(|(_, v)| (v.clone(), v.clone()))
        .collect();
    let mut table = Table::build(&[
        &zhu,
        &tw_phrases,
        &hk_phrases,
        ts_phrases,
        &keep,
        &tw_chars,
        &hk_chars,
        &compat_chars,
        ts_chars,
    ]);
    for _ in 0..4 {
        let ends: Vec<Option<Box<str>>> = table
            .slots
            .iter()
            .map(|slot| {
                let v = slot.single.as_deref()?;
                let mut vc = v.chars();
                let (Some(c), None) = (vc.next(), vc.next()) else { return None };
                let w = table.slot(c)?.single.as_deref()?;
                (w != v).then(|| w.into())
            })
            .collect();
        if ends.iter().all(Option::is_none) {
            break;
        }
        for (slot, end) in table.slots.iter_mut().zip(ends) {
            if end.is_some() {
                slot.single = end;
            }
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mainland_zhu_usage() {
        let c = Converter::new(Conversion::Mainland);
        assert_eq!(c.convert("著力解決"), "着力解决");
        assert_eq!(c.convert("著眼全局"), "着眼全局");
        assert_eq!(c.convert("標志著"), "标志着");
        assert_eq!(c.convert("摸著石頭過河"), "摸着石头过河");
        assert_eq!(c.convert("帶著問題"), "带着问题");
        assert_eq!(c.convert("效果顯著"), "效果显著");
        assert_eq!(c.convert("著名作家的著作"), "著名作家的著作");
        assert_eq!(c.convert("件件有著落"), "件件有着落");
    }

    #[test]
    fn taiwan_and_hong_kong_variants() {
        let c = Converter::new(Conversion::Mainland);
        assert_eq!(c.convert("貫徹羣眾路線"), "贯彻群众路线");
        assert_eq!(c.convert("爲人民服務"), "为人民服务");
        assert_eq!(c.convert("裡面"), "里面");
        assert_eq!(c.convert("意味着"), "意味着");
        assert_eq!(c.convert("要么这么做"), "要么这么做");
    }

    #[test]
    fn phrase_pair_set_has_every_phrase_start() {
        // The set may say yes wrongly, never no: a missed pair would skip a phrase.
        let c = Converter::new(Conversion::Mainland);
        let pairs = c.phrase_pairs();
        let table = &c.chain[0];
        let mut phrases = 0;
        for (cp, &slot) in table.bmp.iter().enumerate() {
            if slot == 0 {
                continue;
            }
            for (rest, _) in &table.slots[slot as usize - 1].longer {
                let second = rest.chars().next().expect("a phrase has a second character");
                assert!(phrase_may_start(&pairs, cp as u32, second as u32), "{cp:X} {rest}");
                phrases += 1;
            }
        }
        assert!(phrases > 1000, "{phrases} phrases");
    }

    #[test]
    fn converted_text_converts_to_itself() {
        // Every key of every table the analyzer's conversion is made of, converted
        // once, is a fixed point: the analysis of its own output repairs nothing.
        let c = Converter::new(Conversion::Mainland);
        let mut keys: Vec<String> = Vec::new();
        for table in [
            TS_PHRASES,
            TS_CHARACTERS,
            TW_VARIANTS_REV_PHRASES,
            HK_VARIANTS_REV_PHRASES,
            CJK_COMPATIBILITY,
        ] {
            keys.extend(parse_dict(table).into_iter().map(|(k, _)| k));
        }
        for table in [TW_VARIANTS, HK_VARIANTS] {
            keys.extend(reverse_dict(table).into_iter().map(|(k, _)| k));
        }
        assert!(keys.len() > 5000);
        let moving: Vec<String> = keys
            .iter()
            .filter_map(|k| {
                let once = c.convert(k);
                let twice = c.convert(&once);
                (twice != once).then(|| format!("{k} → {once} → {twice}"))
            })
            .collect();
        assert!(moving.is_empty(), "{} keys convert again: {:?}", moving.len(), moving);
        assert_eq!(c.convert("薴"), "苎");
    }

    #[test]
    fn simplified_and_ascii_pass_through() {
        let c = Converter::new(Conversion::Mainland);
        let s = "巡察工作 2023年 abc 全面从严治党";
        assert_eq!(c.convert(s), s);
    }
}
