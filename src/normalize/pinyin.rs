//! Inline pinyin annotations: `紀(jì)委`, `四(sì)個`, `會（huì）`.
//!
//! Some sites print the reading of a character in brackets right after it. An
//! annotation is one valid pinyin syllable in ASCII or full-width brackets, directly
//! after a Han character. A syllable with a tone mark is enough on its own; a bare
//! syllable (`(de)`) counts only in a document that has at least three tone-marked
//! annotations, so `U盘(a)` or `(一)` and `（党组）` are never touched.

use std::sync::OnceLock;

use crate::edit;
use crate::record::{Repair, RepairKind, Rule};

/// Valid Mandarin syllables without tones (from pypinyin's character table).
const SYLLABLES: &str = "a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao \
bie bin bing bo bong bu ca cai can cang cao ce cei cen ceng cha chai chan chang chao che chen \
cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo \
da dai dan dang dao de dei den deng di dia dian diao die din ding diu dong dou du duan dui dun \
duo e ei en eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng \
gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hm hng hong hou \
hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun \
ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang \
lao le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lü lüe \
m ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu n na nai nan nang \
nao ne nei nen neng ng ni nia nian niang niao nie nin ning niu nong nou nu nuan nun nuo nü nüe o \
ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao \
qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run \
ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu \
shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te tei \
teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wong wu \
xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo \
yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei \
zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun \
zuo";

/// A toneless syllable packed into an integer, one byte per letter (`ü` as `v`, a
/// letter pinyin does not otherwise use), so the lookup compares integers.
fn pack(letters: impl IntoIterator<Item = u8>) -> Option<u64> {
    let mut key = 0u64;
    for (k, b) in letters.into_iter().enumerate() {
        if k >= 8 {
            return None;
        }
        key = key << 8 | u64::from(b);
    }
    Some(key)
}

/// Is `key` a packed syllable? A hash set of the packed syllables: one lookup per
/// annotation, where a binary search over them branched either way at random.
fn is_syllable_key(key: u64) -> bool {
    static SET: OnceLock<rustc_hash::FxHashSet<u64>> = OnceLock::new();
    SET.get_or_init(|| {
        SYLLABLES.split(' ').filter_map(|s| pack(s.chars().map(packed_letter))).collect()
    })
    .contains(&key)
}

/// A toneless letter as keys pack it: `ü` as `v`, a letter pinyin does not otherwise
/// use.
fn packed_letter(base: char) -> u8 {
    if base == 'ü' {
        b'v'
    } else {
        base as u8
    }
}

/// A tone-marked vowel and its base letter.
fn untone(c: char) -> Option<(char, bool)> {
    Some(match c {
        'a'..='z' => (c, false),
        'ü' => ('ü', false),
        'ā' | 'á' | 'ǎ' | 'à' => ('a', true),
        'ē' | 'é' | 'ě' | 'è' => ('e', true),
        'ī' | 'í' | 'ǐ' | 'ì' => ('i', true),
        'ō' | 'ó' | 'ǒ' | 'ò' => ('o', true),
        'ū' | 'ú' | 'ǔ' | 'ù' => ('u', true),
        'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => ('ü', true),
        'ń' | 'ň' | 'ǹ' => ('n', true),
        'ḿ' => ('m', true),
        _ => return None,
    })
}

/// Is `s` one pinyin syllable? Returns whether it carries a tone mark.
pub(crate) fn syllable(s: &str) -> Option<bool> {
    if s.is_empty() || s.len() > 12 {
        return None;
    }
    // The toneless form, packed: `ü` and `v` both as `v`.
    let mut toned = false;
    let mut key = 0u64;
    for (k, c) in s.chars().enumerate() {
        let (b, t) = untone(c)?;
        if k >= 8 {
            return None;
        }
        toned |= t;
        key = key << 8 | u64::from(packed_letter(b));
    }
    is_syllable_key(key).then_some(toned)
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Characters the normalizer deletes between a Han character and a Chinese bracket:
/// U+FFFD (undecodable bytes) and what the writer drops or folds into a space.
fn transparent(c: char) -> bool {
    c == '\u{FFFD}' || super::skipped(c)
}

/// An annotation found in the text: the annotated character starts at `start`, the
/// closing bracket ends at `end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Annotation<'a> {
    pub start: usize,
    pub char_end: usize,
    pub end: usize,
    pub toned: bool,
    /// The syllable as written (with tone marks).
    pub reading: &'a str,
}

impl Annotation<'_> {
    /// The annotation's text (`紀(jì)`: the character, its brackets and reading) in
    /// one number when it has at most 16 bytes (with ASCII brackets, any syllable),
    /// read as one 16-byte load and zero-padded: equal numbers are equal texts, so the
    /// same character, reading and repair. Never 0 (the text is not empty).
    pub(crate) fn packed(&self, input: &str) -> Option<u128> {
        let len = self.end - self.start;
        let window = input.as_bytes().get(self.start..self.start + 16)?;
        (1..=16).contains(&len).then(|| first_bytes(window, len))
    }
}

/// The first `len` (1 to 16) bytes of a 16-byte `window` as one number, zero-padded:
/// the key of a short text in the tables of texts read last.
fn first_bytes(window: &[u8], len: usize) -> u128 {
    let x = u128::from_le_bytes(std::array::from_fn(|j| window.get(j).copied().unwrap_or(0)));
    if len >= 16 {
        x
    } else {
        x & ((1u128 << (8 * len)) - 1)
    }
}

/// The slot of a text's key ([`first_bytes`]) in a table of `slots` slots.
pub(crate) fn slot_of(key: u128, slots: usize) -> usize {
    let folded = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (folded >> 56) as usize % slots
}

/// All syllable-in-brackets after a Han character, toned or not.
pub(crate) fn scan(input: &str) -> Vec<Annotation<'_>> {
    Scan::new(input).collect()
}

/// The annotations of a text in order, as [`scan`] lists them, one at a time: a
/// pinyin-dense document has millions, which the normalizer turns into edits as they
/// come rather than holding a list of them too.
pub(crate) struct Scan<'a> {
    input: &'a str,
    // Every bracket, ASCII or full-width (EF BC 88), found with memchr's vectorized
    // search for `(` and the full-width lead byte together: one pass, in order.
    brackets: memchr::Memchr2<'a>,
    /// Where the next annotation may begin (after the last one's end).
    i: usize,
    /// The last annotation found, held back until the next bracket shows whether a
    /// second annotation continues it.
    pending: Option<Annotation<'a>>,
    /// The common forms read last, by their text ([`plain_remembered`]).
    known: Vec<Known>,
}

/// A common form's text up to its closing bracket ([`bracketed`]), and what
/// [`plain_annotation`] said of it.
#[derive(Clone, Copy)]
struct Known {
    text: u128,
    close_rel: u8,
    toned: bool,
}

/// Slots of [`Scan::known`].
const KNOWN_SLOTS: usize = 256;

impl<'a> Scan<'a> {
    pub(crate) fn new(input: &'a str) -> Scan<'a> {
        let brackets = memchr::memchr2_iter(b'(', 0xEF, input.as_bytes());
        Scan { input, brackets, i: 0, pending: None, known: Vec::new() }
    }
}

impl<'a> Iterator for Scan<'a> {
    type Item = Annotation<'a>;

    fn next(&mut self) -> Option<Annotation<'a>> {
        let input = self.input;
        let bytes = input.as_bytes();
        for open in self.brackets.by_ref() {
            if open < self.i
                || bytes[open] == 0xEF && bytes.get(open + 1..open + 3) != Some(&[0xBC, 0x88])
            {
                continue;
            }
            let open_len = if bytes[open] == b'(' { 1 } else { 3 };
            self.i = open + open_len;
            // What the normalizer deletes next to a Chinese bracket (undecodable bytes,
            // spaces, zero-width characters) hides nothing: not the character before
            // the bracket, not letters of the syllable. Skipping it here makes the
            // annotation read the same as it will once deleted, so a second pass finds
            // nothing new.
            let inner_start = open + open_len;
            let rest = &input[inner_start..];
            // What comes before the bracket, and where the annotated character starts
            // if already known.
            let plain = plain_remembered(&mut self.known, bytes, open, open_len);
            let (before, start, close_rel, toned) = match plain {
                // The common form, read from the bytes: a three-byte Han character
                // right before the bracket.
                Some((close_rel, toned)) => (&input[..open], Some(open - 3), close_rel, toned),
                None => {
                    let before = input[..open].trim_end_matches(transparent);
                    let Some(close_rel) = rest
                        .char_indices()
                        .filter(|&(_, c)| !transparent(c))
                        .take(8)
                        .find_map(|(j, c)| matches!(c, ')' | '）').then_some(j))
                    else {
                        continue;
                    };
                    let inner = &rest[..close_rel];
                    let toned = if inner.contains(transparent) {
                        syllable(&inner.replace(transparent, ""))
                    } else {
                        syllable(inner)
                    };
                    (before, None, close_rel, toned)
                }
            };
            let inner = &rest[..close_rel];
            let Some(toned) = toned else { continue };
            let close_len = rest[close_rel..].chars().next().map_or(1, char::len_utf8);
            let end = inner_start + close_rel + close_len;
            // A second annotation right after one (`實(shí)(xì)`) annotates the same
            // character: once the first is removed it would follow the character, so
            // it goes with the first.
            if let Some(last) = self.pending.as_mut().filter(|a| a.end == before.len()) {
                last.end = end;
                last.toned |= toned;
                self.i = end;
                continue;
            }
            // The character before the bracket must be Han.
            let start = match start {
                Some(start) => start,
                None => match before.chars().next_back() {
                    Some(prev) if is_han(prev) => before.len() - prev.len_utf8(),
                    _ => continue,
                },
            };
            self.i = end;
            let found = Annotation { start, char_end: before.len(), end, toned, reading: inner };
            if let Some(done) = self.pending.replace(found) {
                return Some(done);
            }
        }
        self.pending.take()
    }
}

/// [`plain_annotation`], remembered: an annotated text repeats its annotations
/// (seed 001: 1,601 of 107 kinds), and the answer for an ASCII bracket depends only
/// on the bytes from the character before it to the first `)` after it. Those
/// bytes, when they fit 16 ([`bracketed`]), key a small table of the annotations
/// read last: a repeat is known by one comparison, without reading its syllable
/// again (a branch per letter on its width, and a hash lookup).
fn plain_remembered(
    known: &mut Vec<Known>,
    bytes: &[u8],
    open: usize,
    open_len: usize,
) -> Option<(usize, Option<bool>)> {
    let Some(text) = bracketed(bytes, open).filter(|_| open_len == 1) else {
        return plain_annotation(bytes, open, open_len);
    };
    if known.is_empty() {
        // Text 0 is no bracket's: these never match.
        known.resize(KNOWN_SLOTS, Known { text: 0, close_rel: 0, toned: false });
    }
    let slot = &mut known[slot_of(text, KNOWN_SLOTS)];
    if slot.text == text {
        return Some((usize::from(slot.close_rel), Some(slot.toned)));
    }
    let found = plain_annotation(bytes, open, open_len);
    if let Some((close_rel, Some(toned))) = found {
        // (Inside 16 bytes: it fits.)
        *slot = Known { text, close_rel: close_rel as u8, toned };
    }
    found
}

/// The bytes from the three-byte character before the ASCII bracket at `open` to
/// the first `)` after it, in one number, zero-padded, if that `)` is among the 16
/// bytes from the character. Never 0.
fn bracketed(bytes: &[u8], open: usize) -> Option<u128> {
    const ONES: u128 = u128::MAX / 0xFF;
    let window = bytes.get(open.checked_sub(3)?..open + 13)?;
    if window[0] & 0xF0 != 0xE0 {
        return None;
    }
    let x = first_bytes(window, 16);
    // The bytes equal to `)` (0x29) found as zero bytes of `x ^ 0x2929…`: the lowest
    // flagged is the first, as a borrow only flags bytes above a zero one, and the
    // first four (a character's three bytes, then `(`) have none.
    let y = x ^ (ONES * 0x29);
    let zeros = (y.wrapping_sub(ONES) & !y & (ONES * 0x80)) >> 32 << 32;
    if zeros == 0 {
        return None;
    }
    Some(first_bytes(window, zeros.trailing_zeros() as usize / 8 + 1))
}

/// The common form of an annotation, checked on the bytes: a Han character right
/// before the bracket at `open`, then lower-case ASCII or two-byte Latin letters
/// (toned vowels, ü), then a closing bracket within eight characters, and nothing
/// the normalizer deletes anywhere. Returns where the closing bracket starts,
/// relative to the bracket's inside, and what [`syllable`] says of the inside (read
/// on the same walk over the bytes); None sends the bracket to the general reading,
/// which gives the same answer for this form and also handles every other.
fn plain_annotation(bytes: &[u8], open: usize, open_len: usize) -> Option<(usize, Option<bool>)> {
    let han = open.checked_sub(3).and_then(|i| super::three_byte_at(bytes, i))?;
    if !is_han(char::from_u32(han)?) {
        return None;
    }
    let start = open + open_len;
    let mut i = start;
    // The inside as `syllable` packs it (at most seven characters here, so the key
    // cannot overflow; a real syllable has at most six).
    let mut key = 0u64;
    let mut toned = false;
    let read = |key: u64, toned: bool| is_syllable_key(key).then_some(toned);
    for _ in 0..8 {
        match *bytes.get(i)? {
            b')' => return Some((i - start, read(key, toned))),
            b @ b'a'..=b'z' => {
                key = key << 8 | u64::from(b);
                i += 1;
            }
            0xEF if bytes.get(i + 1..i + 3) == Some(&[0xBC, 0x89]) => {
                return Some((i - start, read(key, toned)))
            }
            lead @ 0xC2..=0xDF => {
                let trail = *bytes.get(i + 1)?;
                let c = char::from_u32(u32::from(lead & 0x1F) << 6 | u32::from(trail & 0x3F))?;
                if transparent(c) {
                    return None;
                }
                // Not a pinyin letter: the general reading decides (it finds no
                // syllable either).
                let (base, t) = untone(c)?;
                key = key << 8 | u64::from(packed_letter(base));
                toned |= t;
                i += 2;
            }
            _ => return None,
        }
    }
    None
}

/// The annotations the stage removes: tone-marked ones, and bare syllables in a
/// document with enough tone-marked annotations ([`counts_bare_syllables`]).
pub(crate) fn removable<'s, 'a>(
    found: &'s [Annotation<'a>],
) -> impl Iterator<Item = &'s Annotation<'a>> {
    let bare_too = counts_bare_syllables(found.iter().filter(|a| a.toned).count());
    found.iter().filter(move |a| a.toned || bare_too)
}

/// Are bare syllables in brackets annotations too, in a document with `toned`
/// tone-marked annotations? Only with at least three of those.
pub(crate) fn counts_bare_syllables(toned: usize) -> bool {
    toned >= 3
}

/// The rule of a removed annotation.
pub(crate) fn rule(a: &Annotation<'_>) -> Rule {
    if a.toned {
        Rule::PINYIN_INLINE
    } else {
        Rule::PINYIN_INLINE_TONELESS
    }
}

/// The repair of an annotation found by [`scan`]: the character and its annotation
/// replaced by the character converted with `convert`.
pub(crate) fn repair(
    input: &str,
    a: &Annotation<'_>,
    convert: impl Fn(&str) -> compact_str::CompactString,
) -> Repair {
    let to = convert(&input[a.start..a.char_end]);
    edit::repair(input, a.start, a.end, RepairKind::Pinyin, rule(a), to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables() {
        assert_eq!(syllable("jì"), Some(true));
        assert_eq!(syllable("diǎn"), Some(true));
        assert_eq!(syllable("lüè"), Some(true));
        assert_eq!(syllable("de"), Some(false));
        assert_eq!(syllable("usb"), None);
        assert_eq!(syllable("2018"), None);
    }

    #[test]
    fn remembered_plain_forms_read_as_read_afresh() {
        // Every ASCII bracket of seed 001 and of kinds made to meet in the table's
        // slots, or to look alike up to a `)`: the table's answer is the reading's.
        let mut text = include_str!("../../corpus/raw/001_af57640b325e6b46.txt").to_string();
        for k in 0..4_000u32 {
            // Each character in every form, one after another, each twice in a row.
            text.push(char::from_u32(0x4E00 + k / 12).unwrap());
            let forms = ["(yī)", "(yī))", "(yīx)", "(y)(ī)", "(zhuàng)", "(a)b"];
            text.push_str(forms[(k / 2) as usize % 6]);
        }
        text.push_str("測(cè)");
        let bytes = text.as_bytes();
        let mut known = Vec::new();
        let mut found = 0;
        for round in 0..2 {
            for open in memchr::memchr_iter(b'(', bytes) {
                let want = plain_annotation(bytes, open, 1);
                assert_eq!(plain_remembered(&mut known, bytes, open, 1), want, "{round} {open}");
                found += usize::from(want.is_some_and(|(_, t)| t.is_some()));
            }
        }
        assert!(found > 2_000, "{found}");
    }

    #[test]
    fn only_annotations() {
        let s = "紀(jì)委（一）(党组)(2018-2022年)四點(diǎn)意見U盘(a)會（huì）";
        let found: Vec<_> = scan(s).into_iter().map(|a| s[a.start..a.end].to_string()).collect();
        assert_eq!(found, ["紀(jì)", "點(diǎn)", "盘(a)", "會（huì）"]);
        // A bare syllable counts only in a document with three toned annotations.
        let few = "盘(a)和(de)";
        // Undecodable bytes between a character and its annotation are deleted anyway
        // (found by fuzzing: the annotation appeared only on a second pass).
        let s = "大\u{FFFD}(guān)系";
        let found: Vec<_> = scan(s).into_iter().map(|a| s[a.start..a.end].to_string()).collect();
        assert_eq!(found, ["大\u{FFFD}(guān)"]);
        // Inside the brackets too, and a second annotation goes with the first.
        let s = "落實(shí)\u{FFFD}(\u{FFFD}xì)自領(lǐn\u{FFFD})導";
        let found: Vec<_> = scan(s).into_iter().map(|a| s[a.start..a.end].to_string()).collect();
        assert_eq!(found, ["實(shí)\u{FFFD}(\u{FFFD}xì)", "領(lǐn\u{FFFD})"]);
        // Spaces and zero-width characters the normalizer deletes hide nothing either.
        let s = "动员 (yōu)素質\u{FEFF}(zhì)防止\u{2008}( jì )";
        let found: Vec<_> = scan(s).into_iter().map(|a| s[a.start..a.end].to_string()).collect();
        assert_eq!(found, ["员 (yōu)", "質\u{FEFF}(zhì)", "止\u{2008}( jì )"]);
        assert_eq!(removable(&scan(few)).count(), 0);
    }
}
