//! GBK mojibake: runs of text garbled by a damaged GBK byte stream.
//!
//! # The damage
//!
//! A Traditional text with inline pinyin was stored as GBK. Somewhere a lead byte was
//! replaced by `?`; from there on the decoder paired each byte with the wrong neighbour
//! (`效果。回顧總結` → `效果?;仡櫩偨Y`) until a byte in the ASCII range that was really a
//! trail byte (`Y`) brought it back in step. Full-width punctuation in the shifted
//! stretch came out as its ASCII form (`A3 BB` `；` → `;`), and characters of GBK's
//! user-defined area were dropped. A pinyin annotator that ran on the misaligned view
//! annotated characters that never existed (`日?qǐng)?bào)` for `日報(bào)`: it saw
//! 請, formed by the trail byte of 日 and the lead byte of 報); a lead byte followed by
//! the `(` of an annotation came out as a single `?`.
//!
//! # The repair
//!
//! Each suspect run is re-encoded to GBK bytes with the unknown bytes as variables,
//! and the variables are chosen so that the bytes decode in step, every annotated
//! character has the reading its annotation gives (readings are learned from the
//! document's own intact annotations), and the characters are the ones the document
//! uses (a frequency tie-break over the document). A run is repaired only when a
//! solution exists in which every character is known to the document; phantom
//! annotations that cannot be solved are reported (`mojibake.unsolved`, text kept),
//! not guessed. A real question mark has no solution and is left alone.

use std::sync::OnceLock;

use encoding_rs::GBK;

use super::pinyin::{self, is_han};
use crate::edit;
use crate::record::{Repair, RepairKind, Rule};

/// What the document itself says about characters.
struct Evidence<'a> {
    /// Readings seen in intact annotations, (character, reading), sorted and distinct.
    readings: Vec<(char, &'a str)>,
    /// The same pairs as (reading, character), sorted: characters annotated so.
    by_reading: Vec<(&'a str, char)>,
    /// How often each character of the BMP occurs in the document (dense: one
    /// lookup, no hashing, no bounds check; Han, curly quotes and full-width
    /// punctuation all fall here).
    counts: Box<[u32; 0x1_0000]>,
    /// The rest (supplementary-plane Han), hashed.
    other_counts: rustc_hash::FxHashMap<char, u32>,
}

/// The document's intact readings, (character, reading), gathered while its
/// annotations are scanned: tens of thousands in a long document, most of them
/// repeats (the scan passes a repeat of a recent annotation over), so the distinct
/// pairs are kept (hashed, no allocation per pair).
#[derive(Default)]
pub(crate) struct Readings<'a> {
    distinct: rustc_hash::FxHashSet<(char, &'a str)>,
}

impl<'a> Readings<'a> {
    /// Adds an annotation's reading, if it is tone-marked and intact.
    pub(crate) fn add(&mut self, input: &'a str, a: &pinyin::Annotation<'a>) {
        // (U+FFFD is the one non-Latin character a reading may hold: its lead byte is
        // looked for first, a byte test instead of a substring search per annotation.)
        let damaged = |r: &str| r.as_bytes().contains(&0xEF) && r.contains('\u{FFFD}');
        if !a.toned || damaged(a.reading) {
            return;
        }
        if let Some(c) = input[a.start..a.char_end].chars().next() {
            self.distinct.insert((c, a.reading));
        }
    }

    /// The pairs, sorted.
    #[cfg(test)]
    pub(crate) fn pairs(&self) -> Vec<(char, &'a str)> {
        let mut pairs: Vec<_> = self.distinct.iter().copied().collect();
        pairs.sort_unstable();
        pairs
    }
}

impl<'a> Evidence<'a> {
    fn new(input: &'a str, readings: Readings<'a>) -> Evidence<'a> {
        let mut readings: Vec<(char, &'a str)> = readings.distinct.into_iter().collect();
        readings.sort_unstable();
        let mut by_reading: Vec<(&'a str, char)> = readings.iter().map(|&(c, r)| (r, c)).collect();
        by_reading.sort_unstable();
        // Han characters and Chinese punctuation, counted: the frequency tie-break.
        let mut counts = super::bmp_table(0u32);
        let mut other_counts: rustc_hash::FxHashMap<char, u32> = Default::default();
        count_chars(input, &mut counts, &mut other_counts);
        Evidence { readings, by_reading, counts, other_counts }
    }

    fn count(&self, c: char) -> Option<u32> {
        match self.counts.get(c as usize) {
            Some(&n) => (n > 0).then_some(n),
            None => self.other_counts.get(&c).copied(),
        }
    }

    fn reads(&self, c: char, reading: &str) -> bool {
        self.readings.binary_search(&(c, reading)).is_ok()
    }

    /// The characters the document annotates with `reading`.
    fn read_as<'s>(&'s self, reading: &'s str) -> impl Iterator<Item = char> + 's {
        let from = self.by_reading.partition_point(|&(r, _)| r < reading);
        self.by_reading[from..].iter().take_while(move |&&(r, _)| r == reading).map(|&(_, c)| c)
    }

    /// Plausibility of a decoded stretch: None if a Han character is unknown to the
    /// document, else the sum of log frequencies (punctuation counts as common).
    fn score(&self, s: &str) -> Option<f64> {
        s.chars().try_fold(0.0, |total, c| Some(total + self.score_char(c)?))
    }

    /// One character's share of [`Evidence::score`].
    fn score_char(&self, c: char) -> Option<f64> {
        if is_han(c) || is_cjk_punct(c) {
            Some(f64::from(self.count(c)?).ln_1p())
        } else if c.is_ascii_graphic() {
            Some(0.0)
        } else {
            None
        }
    }
}

/// Adds the characters of `s` to the dense BMP counts and its supplementary-plane Han
/// characters to the hashed ones; the rest is skipped.
///
/// Three-byte sequences (U+0800–U+FFFF) are found by their lead byte, eight bytes at
/// a time, and the leads of each 64-byte block visited as a bit mask: in annotated
/// text the width of the characters changes every few bytes, and a loop that steps
/// by each character's width mispredicted its branch at every change (on seed 001
/// the count took a tenth of the stage; this takes two thirds as long, and reading
/// each block as a fixed-size array, without a bounds check per character, took a
/// third off that on the corpus repeated to 30 MB: 0.87 to 0.57 ns a byte).
fn count_chars(
    s: &str,
    counts: &mut [u32; 0x1_0000],
    other_counts: &mut rustc_hash::FxHashMap<char, u32>,
) {
    let b = s.as_bytes();
    // Each block is read with the two bytes after it, where the continuation bytes
    // of a lead among its last two bytes stand: every read is inside a fixed-size
    // array, without a bounds check per character (a third faster than with them).
    let blocks = b.len().saturating_sub(2) / 64;
    for k in 0..blocks {
        let Some(block) = b.get(k * 64..k * 64 + 66).and_then(|w| <&[u8; 66]>::try_from(w).ok())
        else {
            break;
        };
        let (mut leads, mut long) = (0u64, 0u64);
        for j in 0..8 {
            let w = u64::from_le_bytes([
                block[8 * j],
                block[8 * j + 1],
                block[8 * j + 2],
                block[8 * j + 3],
                block[8 * j + 4],
                block[8 * j + 5],
                block[8 * j + 6],
                block[8 * j + 7],
            ]);
            let (three, four) = super::utf8_leads(w);
            leads |= three << (8 * j);
            long |= four << (8 * j);
        }
        while leads != 0 {
            let r = leads.trailing_zeros() as usize;
            leads &= leads - 1;
            let cp = usize::from(block[r] & 0x0F) << 12
                | usize::from(block[r + 1] & 0x3F) << 6
                | usize::from(block[r + 2] & 0x3F);
            counts[cp] += 1;
        }
        while long != 0 {
            let i = k * 64 + long.trailing_zeros() as usize;
            long &= long - 1;
            count_other(s, i, other_counts);
        }
    }
    // The tail, a character at a time.
    let mut i = blocks * 64;
    while i < b.len() {
        if let Some(cp) = super::three_byte_at(b, i) {
            counts[cp as usize & 0xFFFF] += 1;
            i += 3;
        } else {
            if b[i] >= 0xF0 {
                count_other(s, i, other_counts);
            }
            i += 1;
        }
    }
}

/// Counts the four-byte (supplementary-plane) character at `i` if it is Han.
fn count_other(s: &str, i: usize, other_counts: &mut rustc_hash::FxHashMap<char, u32>) {
    if let Some(c) = s.get(i..).and_then(|r| r.chars().next()) {
        if is_han(c) {
            *other_counts.entry(c).or_default() += 1;
        }
    }
}

fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '。' | '，' | '、' | '；' | '：' | '？' | '！' | '“' | '”' | '《' | '》' | '（' | '）'
    )
}

/// What may stand right before a lost lead byte: Chinese text or the punctuation
/// that ends a clause.
fn before_lost_lead(c: char) -> bool {
    is_han(c) || matches!(c, '。' | '，' | '、' | '；' | '：' | '”' | '）' | ')')
}

/// The two GBK bytes of a character of the two-byte area (the inverse of
/// [`gbk_pairs`], built with it).
fn gbk_pair_bytes(c: char) -> Option<[u8; 2]> {
    let code = *gbk_inverse().get(c as usize)?;
    (code != 0).then(|| code.to_be_bytes())
}

/// Per BMP code point, its GBK pair as a big-endian u16 (0: none). The first pair
/// wins where GBK maps two pairs to one character, as an encoder would choose.
fn gbk_inverse() -> &'static [u16] {
    static TABLE: OnceLock<Vec<u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = vec![0u16; 0x1_0000];
        for (i, &c) in gbk_pairs().iter().enumerate() {
            let (lead, trail) = (0x81 + i / 191, 0x40 + i % 191);
            if c != '\0' && (c as usize) < t.len() && t[c as usize] == 0 {
                t[c as usize] = (lead << 8 | trail) as u16;
            }
        }
        t
    })
}

/// Every two-byte GBK character, by (lead - 0x81) * 191 + (trail - 0x40); '\0' where
/// the pair is not a character. Built once from encoding_rs, so candidate decodings
/// are table lookups.
fn gbk_pairs() -> &'static [char] {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = vec!['\0'; 126 * 191];
        for lead in 0x81..=0xFEu8 {
            for trail in 0x40..=0xFEu8 {
                if trail == 0x7F {
                    continue;
                }
                if let Some(s) =
                    GBK.decode_without_bom_handling_and_without_replacement(&[lead, trail])
                {
                    let mut cs = s.chars();
                    if let (Some(c), None) = (cs.next(), cs.next()) {
                        t[(lead as usize - 0x81) * 191 + (trail as usize - 0x40)] = c;
                    }
                }
            }
        }
        t
    })
}

/// Decodes bytes that must be exact GBK (ASCII and two-byte characters), in step to
/// the end.
fn gbk_decode(bytes: &[u8]) -> Option<String> {
    let table = gbk_pairs();
    let mut out = String::with_capacity(bytes.len() * 2);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            out.push(b as char);
            i += 1;
            continue;
        }
        let t = *bytes.get(i + 1)?;
        if !(0x81..=0xFE).contains(&b) || !(0x40..=0xFE).contains(&t) || t == 0x7F {
            return None;
        }
        let c = table[(b as usize - 0x81) * 191 + (t as usize - 0x40)];
        if c == '\0' {
            return None;
        }
        out.push(c);
        i += 2;
    }
    Some(out)
}

/// A reading in brackets-less form `reading)` at the start of `s`: the reading and
/// the byte length including `)`.
fn bare_annotation(s: &str) -> Option<(&str, usize)> {
    let close = s.char_indices().take(8).find(|&(_, c)| c == ')').map(|(i, _)| i)?;
    let inner = &s[..close];
    pinyin::syllable(inner).filter(|&toned| toned).map(|_| (inner, close + 1))
}

/// An annotation `(reading)` at the start of `s`.
fn full_annotation(s: &str) -> Option<(&str, usize)> {
    let rest = s.strip_prefix('(')?;
    bare_annotation(rest).map(|(r, len)| (r, len + 1))
}

/// The shifted tail after a lost byte, re-encoded: the bytes, the constraint on the
/// last character (a reading), the unknown byte slot (for `?` + annotation), and the
/// byte length of the garbled text consumed.
struct Tail {
    bytes: Vec<u8>,
    /// Index in `bytes` of an unknown byte, if any.
    unknown: Option<usize>,
    /// Reading the last decoded character must have.
    reading: Option<String>,
    /// Garbled text consumed, in bytes.
    len: usize,
    /// Whether it ended on a byte that realigned the decoder.
    realigned: bool,
}

/// Reads the garbled text after a lost byte until the decoder is back in step.
fn read_tail(s: &str) -> Option<Tail> {
    let mut t = Tail { bytes: Vec::new(), unknown: None, reading: None, len: 0, realigned: false };
    let mut chars = 0;
    while t.len < s.len() && chars < 24 {
        let rest = &s[t.len..];
        let c = rest.chars().next()?;
        chars += 1;
        if c == '?' {
            if let Some((reading, alen)) = bare_annotation(&rest[1..]) {
                // A lead byte swallowed the `(` of an annotation.
                t.unknown = Some(t.bytes.len());
                t.bytes.push(0);
                t.reading = Some(reading.to_string());
                t.len += 1 + alen;
                t.realigned = true;
                return Some(t);
            }
            // A full-width question mark folded to ASCII.
            t.bytes.extend_from_slice(&[0xA3, 0xBF]);
            t.len += 1;
            continue;
        }
        if c.is_ascii() {
            let b = c as u8;
            if (0x40..=0x7E).contains(&b) && c != '\\' {
                // A trail byte in the ASCII range: the decoder is back in step.
                t.bytes.push(b);
                t.len += 1;
                t.realigned = true;
                if let Some((reading, alen)) = full_annotation(&s[t.len..]) {
                    t.reading = Some(reading.to_string());
                    t.len += alen;
                }
                return Some(t);
            }
            if b.is_ascii_punctuation() {
                // Full-width punctuation (A3 xx) folded to ASCII.
                t.bytes.extend_from_slice(&[0xA3, b | 0x80]);
                t.len += 1;
                continue;
            }
            return None;
        }
        if !is_han(c) {
            return None;
        }
        let b = gbk_pair_bytes(c)?;
        t.bytes.extend_from_slice(&b);
        t.len += c.len_utf8();
        // A Han character whose second byte is in the ASCII range realigns too
        // (`眡` = B1 78: `x` was a real ASCII letter after the shifted pair).
        if (0x40..=0x7E).contains(&b[1]) {
            t.realigned = true;
            return Some(t);
        }
    }
    None
}

/// Decodes `lead + tail` for every choice of the unknown bytes and returns the best
/// decoding: (text, score).
///
/// Only the end of the byte string varies (the unknown byte is always the last one,
/// and a dropped user-defined character stands just before the last byte), so the
/// fixed part is decoded and scored once per lead byte, and each choice only decodes
/// its last two or three bytes: no allocation per candidate.
fn solve(ev: &Evidence, leads: &[u8], tail: &Tail) -> Option<(String, f64)> {
    let table = gbk_pairs();
    // The lost lead byte pairs with the first garbled byte into a character the
    // document uses: that leaves a handful of candidates out of 126.
    let first = *tail.bytes.first()?;
    let pair_known = |l: u8| pair(table, l, first).is_some_and(|c| ev.score_char(c).is_some());
    let leads: Vec<u8> =
        leads.iter().copied().filter(|&l| tail.unknown == Some(0) || pair_known(l)).collect();
    let mut best: Option<(String, f64)> = None;
    let mut bytes = Vec::with_capacity(tail.bytes.len() + 1);
    let mut prefix = String::new();
    let reading = tail.reading.as_deref();
    match tail.unknown {
        Some(i) if i + 1 == tail.bytes.len() => {
            // The unknown byte is the trail byte of the last character, which must
            // have the annotated reading: try the characters the document reads so.
            let candidates: Vec<(u8, u8, char)> = reading
                .into_iter()
                .flat_map(|r| ev.read_as(r))
                .filter_map(|c| gbk_pair_bytes(c).map(|[a, b]| (a, b, c)))
                .collect();
            // In trail-byte order, so that ties break as a byte-by-byte search would.
            let mut candidates = candidates;
            candidates.sort_by_key(|&(a, b, _)| (a, b));
            for &lead in &leads {
                bytes.clear();
                bytes.push(lead);
                bytes.extend_from_slice(&tail.bytes[..i]);
                let Some((pscore, dangling)) = decode_scored(ev, table, &bytes, &mut prefix) else {
                    continue;
                };
                let Some(d) = dangling else { continue };
                for &(a, _, c) in candidates.iter() {
                    if a != d {
                        continue;
                    }
                    let Some(cs) = ev.score_char(c) else { continue };
                    offer(&mut best, &prefix, &[c], pscore + cs);
                }
            }
        }
        Some(_) => return None,
        None => {
            for &lead in &leads {
                bytes.clear();
                bytes.push(lead);
                bytes.extend_from_slice(&tail.bytes);
                let Some((score, None)) = decode_scored(ev, table, &bytes, &mut prefix) else {
                    continue;
                };
                if reading
                    .is_some_and(|r| !prefix.chars().next_back().is_some_and(|c| ev.reads(c, r)))
                {
                    continue;
                }
                offer(&mut best, &prefix, &[], score);
            }
        }
    }
    // No solution: perhaps a character of GBK's user-defined area (which decoders
    // drop) stood just before the realigning byte. Only with an annotation to pin the
    // last character, so the two unknown bytes are not a free guess.
    if let (None, Some(r), None) = (&best, reading, tail.unknown) {
        let n = tail.bytes.len();
        let last = tail.bytes[n - 1];
        // The last character is read `r`: with a dangling lead byte it is a pair
        // (g2, last), so only the document's characters read `r` whose trail byte is
        // `last` can be it (in g2 order, the order of a byte-by-byte search); without
        // one it is `last` itself, an ASCII byte.
        let mut last_pairs: Vec<(u8, char)> = ev
            .read_as(r)
            .filter_map(|c| gbk_pair_bytes(c).filter(|&[_, t]| t == last).map(|[g2, _]| (g2, c)))
            .filter(|&(g2, _)| g2 >= 0xA1)
            .collect();
        last_pairs.sort_unstable();
        let ascii_last = last < 0x80 && ev.reads(last as char, r);
        for &lead in &leads {
            bytes.clear();
            bytes.push(lead);
            bytes.extend_from_slice(&tail.bytes[..n - 1]);
            let Some((pscore, dangling)) = decode_scored(ev, table, &bytes, &mut prefix) else {
                continue;
            };
            if dangling.is_none() && !ascii_last {
                continue;
            }
            for g1 in (0xAA..=0xAFu8).chain(0xF8..=0xFE) {
                // The bytes after the fixed part: [dangling] g1 g2 last.
                let mut try_pair = |c1: char, c2: char| {
                    let Some(s) = ev.score_char(c1).zip(ev.score_char(c2)).map(|(a, b)| a + b)
                    else {
                        return;
                    };
                    offer(&mut best, &prefix, &[c1, c2], pscore + s);
                };
                match dangling {
                    Some(d) => {
                        let Some(c1) = pair(table, d, g1) else { continue };
                        for &(_, c2) in &last_pairs {
                            try_pair(c1, c2);
                        }
                    }
                    None => {
                        for g2 in 0xA1..=0xFEu8 {
                            if let Some(c1) = pair(table, g1, g2) {
                                try_pair(c1, last as char);
                            }
                        }
                    }
                }
            }
        }
    }
    best
}

/// The character of a two-byte GBK pair, if it is one.
fn pair(table: &[char], lead: u8, trail: u8) -> Option<char> {
    if !(0x81..=0xFE).contains(&lead) || !(0x40..=0xFE).contains(&trail) || trail == 0x7F {
        return None;
    }
    let c = table[(lead as usize - 0x81) * 191 + (trail as usize - 0x40)];
    (c != '\0').then_some(c)
}

/// Decodes `bytes` in step into `out` (cleared first) and scores it; a lead byte left
/// over at the end is returned as dangling. None when a pair is not a character or a
/// character is unknown to the document.
fn decode_scored(
    ev: &Evidence,
    table: &[char],
    bytes: &[u8],
    out: &mut String,
) -> Option<(f64, Option<u8>)> {
    out.clear();
    let mut score = 0.0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let c = if b < 0x80 {
            i += 1;
            b as char
        } else if i + 1 == bytes.len() {
            return Some((score, Some(b)));
        } else {
            i += 2;
            pair(table, b, bytes[i - 1])?
        };
        score += ev.score_char(c)?;
        out.push(c);
    }
    Some((score, None))
}

/// Keeps `prefix + extra` if it scores better than the best so far.
fn offer(best: &mut Option<(String, f64)>, prefix: &str, extra: &[char], score: f64) {
    if best.as_ref().is_none_or(|(_, s)| score > *s) {
        let mut text = String::with_capacity(prefix.len() + 3 * extra.len());
        text.push_str(prefix);
        text.extend(extra);
        *best = Some((text, score));
    }
}

fn consider(ev: &Evidence, bytes: &[u8], reading: Option<&str>, best: &mut Option<(String, f64)>) {
    let Some(text) = gbk_decode(bytes) else { return };
    if let Some(r) = reading {
        match text.chars().next_back() {
            Some(last) if ev.reads(last, r) => {}
            _ => return,
        }
    }
    let Some(score) = ev.score(&text) else { return };
    if best.as_ref().is_none_or(|(_, s)| score > *s) {
        *best = Some((text, score));
    }
}

/// All lead bytes.
const ALL_LEADS: [u8; 126] = {
    let mut leads = [0u8; 126];
    let mut k = 0;
    while k < 126 {
        leads[k] = 0x81 + k as u8;
        k += 1;
    }
    leads
};

/// What a `?` of the input looks like, read once for [`likely_starts`] and [`repairs`].
enum Damage<'a> {
    /// A phantom annotation: the annotator saw a character made of the previous
    /// character's trail byte and the lost lead byte (`?reading)` after a Han
    /// character `prev`).
    Phantom { prev: char, reading: &'a str, len: usize },
    /// A lost lead byte: the shifted text follows.
    Shift(Tail),
}

/// The damage the `?` at `q` looks like, if any.
fn damage_at(input: &str, q: usize) -> Option<Damage<'_>> {
    let prev = input[..q].chars().next_back()?;
    let after = &input[q + 1..];
    if is_han(prev) {
        if let Some((reading, len)) = bare_annotation(after) {
            return Some(Damage::Phantom { prev, reading, len });
        }
    }
    if !before_lost_lead(prev) {
        return None;
    }
    read_tail(after).filter(|t| t.realigned && t.bytes.len() >= 2).map(Damage::Shift)
}

/// Where the runs of `input` start if every one is solved: each `?` that looks like
/// damage and lies past the end of the run before (as [`repairs`] reads them). A
/// guess that lets the caller keep room for the runs: [`repairs`] decides. Only a
/// text with some (one that looks damaged) has its readings gathered and [`repairs`]
/// run.
pub(crate) fn likely_starts(input: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut sites = Sites::new(input);
    while let Some((q, damage)) = sites.next_damage() {
        starts.push(q);
        match damage {
            Damage::Phantom { len, .. } => {
                // What a solved phantom annotation takes after it (as solve_phantom).
                let end_phantom = q + 1 + len;
                let rest = &input[end_phantom..];
                let second = rest.strip_prefix('?').and_then(bare_annotation);
                let tail = match second {
                    Some((_, alen)) => Some(1 + alen),
                    None => read_tail(rest).filter(|t| t.realigned).map(|t| t.len),
                };
                sites.ran_to(end_phantom + tail.unwrap_or(0));
            }
            Damage::Shift(tail) => sites.ran_to(q + 1 + tail.len),
        }
    }
    starts
}

/// The `?`s of an input that look like damage, in order, each past the end of the
/// run before: where [`likely_starts`] and [`repairs`] look, the end of each run
/// told by the caller ([`Sites::ran_to`]).
struct Sites<'a> {
    input: &'a str,
    marks: memchr::Memchr<'a>,
    /// Where the next damage may start.
    from: usize,
}

impl<'a> Sites<'a> {
    fn new(input: &'a str) -> Sites<'a> {
        Sites { input, marks: memchr::memchr_iter(b'?', input.as_bytes()), from: 0 }
    }

    /// The next `?` at or after the end of the last run that looks like damage.
    fn next_damage(&mut self) -> Option<(usize, Damage<'a>)> {
        for q in self.marks.by_ref() {
            if q < self.from {
                continue;
            }
            self.from = q + 1;
            if let Some(damage) = damage_at(self.input, q) {
                return Some((q, damage));
            }
        }
        None
    }

    /// A run was repaired up to `end`: the next damage starts there or later.
    fn ran_to(&mut self, end: usize) {
        self.from = end;
    }
}

/// Repairs for the garbled runs of a suspect input ([`likely_starts`]), given the
/// readings of its annotations ([`Readings`]); `convert` makes a repaired stretch
/// Simplified.
pub(crate) fn repairs<'a>(
    input: &'a str,
    readings: Readings<'a>,
    convert: impl Fn(&str) -> String,
) -> Vec<Repair> {
    let ev = Evidence::new(input, readings);
    let mut out = Vec::new();
    let mut sites = Sites::new(input);
    while let Some((q, damage)) = sites.next_damage() {
        match damage {
            Damage::Phantom { prev, reading, len } => {
                let end_phantom = q + 1 + len;
                match solve_phantom(&ev, prev, reading, &input[end_phantom..]) {
                    Some((text, tail_len)) => {
                        let end = end_phantom + tail_len;
                        out.push(edit::repair(
                            input,
                            q,
                            end,
                            RepairKind::Mojibake,
                            Rule::MOJIBAKE_GBK_PHANTOM_PINYIN,
                            convert(&text),
                        ));
                        sites.ran_to(end);
                    }
                    None => {
                        out.push(edit::repair(
                            input,
                            q,
                            end_phantom,
                            RepairKind::Mojibake,
                            Rule::MOJIBAKE_UNSOLVED,
                            input[q..end_phantom].to_string(),
                        ));
                        sites.ran_to(end_phantom);
                    }
                }
            }
            Damage::Shift(tail) => {
                let Some((text, score)) = solve(&ev, &ALL_LEADS, &tail) else { continue };
                // The garbled stretch must read worse than its repair.
                let end = q + 1 + tail.len;
                let garbled_score = ev.score(&input[q..end].replace('?', "")).unwrap_or(0.0);
                if score <= garbled_score {
                    continue;
                }
                out.push(edit::repair(
                    input,
                    q,
                    end,
                    RepairKind::Mojibake,
                    Rule::MOJIBAKE_GBK_SHIFT,
                    convert(&text),
                ));
                sites.ran_to(end);
            }
        }
    }
    out
}

/// Solves `PREV ? reading) …`: the lost lead byte is the one that makes
/// (trail byte of PREV, lead) a character read `reading`; what follows is either
/// `?reading2)` (the lost character's trail byte swallowed an annotation's `(`) or
/// a shifted tail. Returns the repaired text and the garbled length after the phantom
/// annotation.
fn solve_phantom(ev: &Evidence, prev: char, reading: &str, rest: &str) -> Option<(String, usize)> {
    let [_, trail] = gbk_pair_bytes(prev)?;
    let mut leads: Vec<u8> = ev
        .read_as(reading)
        .filter_map(gbk_pair_bytes)
        .filter(|b| b[0] == trail)
        .map(|b| b[1])
        .collect();
    if leads.is_empty() {
        // The phantom character was never annotated elsewhere: any lead byte that
        // pairs with PREV's trail byte into a character, left for what follows to pin.
        leads = (0x81..=0xFE).filter(|&l| gbk_decode(&[trail, l]).is_some()).collect();
    }
    if let Some(r2) = rest.strip_prefix('?') {
        if let Some((reading2, alen)) = bare_annotation(r2) {
            let mut best: Option<(String, f64)> = None;
            // The characters read `reading2`, looked up once rather than per lead.
            let second: Vec<[u8; 2]> = ev.read_as(reading2).filter_map(gbk_pair_bytes).collect();
            for &lead in &leads {
                for b in second.iter().filter(|b| b[0] == lead) {
                    consider(ev, b, Some(reading2), &mut best);
                }
            }
            return best.map(|(t, _)| (t, 1 + alen));
        }
    }
    let tail = read_tail(rest)?;
    if !tail.realigned {
        return None;
    }
    solve(ev, &leads, &tail).map(|(t, _)| (t, tail.len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_count_counts_every_character() {
        // The 64-byte block walk against a character-at-a-time count, on text where
        // characters of every width fall across block boundaries and into the tail.
        let pieces = ["紀(jì)委", "a", "é", "𠀀", "；", "\u{10000}", "ü", "。", "x(y)"];
        for len in [0, 1, 2, 63, 64, 65, 66, 67, 128, 129, 130, 200, 1000] {
            for shift in 0..pieces.len() {
                let text: String =
                    (0..len).map(|k| pieces[(k * 7 + shift) % pieces.len()]).collect();
                let mut counts = super::super::bmp_table(0u32);
                let mut other = Default::default();
                count_chars(&text, &mut counts, &mut other);
                let mut want = vec![0u32; 0x1_0000];
                let mut want_other: rustc_hash::FxHashMap<char, u32> = Default::default();
                for c in text.chars() {
                    match c as u32 {
                        0x800..=0xFFFF => want[c as usize] += 1,
                        0x10000.. if is_han(c) => *want_other.entry(c).or_default() += 1,
                        _ => {}
                    }
                }
                assert!(counts[..] == want[..], "{len} {shift}");
                assert_eq!(other, want_other, "{len} {shift}");
            }
        }
    }

    #[test]
    fn real_question_marks_stay() {
        let s = "这些问题为什么会发生?是个别现象还是普遍存在?是人的问题?";
        assert!(likely_starts(s).is_empty());
        assert!(repairs(s, Readings::default(), |x| x.to_string()).is_empty());
    }
}
