//! Stage `normalize`: clean Simplified text from decoded input.
//!
//! What it does, and how each change is accounted for (see the contract's
//! reconstruction rule):
//!
//! - repairs, each a `repairs` entry with byte offsets into the input: inline pinyin
//!   annotations removed (module `pinyin`), GBK mojibake undone (module `mojibake`);
//! - conversion of everything else, implied rather than listed: Traditional (standard,
//!   Taiwan, Hong Kong) → Simplified with OpenCC's tables ([`convert`]), ASCII
//!   punctuation between Chinese characters → full-width, full-width letters and digits
//!   → ASCII, whitespace collapsed (one space at most inside a line, none at line ends
//!   or next to Chinese punctuation, at most one blank line).
//!
//! `Normalizer::apply` (crate-internal) is the one function that turns input + edits
//! into text. The analyzer calls it to build `text`, and
//! [`crate::Analyzer::reconstruct`] calls it to audit a record, so the two cannot drift
//! apart.

pub mod convert;
pub(crate) mod mojibake;
pub(crate) mod pinyin;

use compact_str::CompactString;

use crate::edit::{self, Change, OffsetMap, Piece, Pieces};
use crate::record::{Repair, RepairKind, Rule, Script};
use convert::{Conversion, Converter};

const TS_CHARACTERS: &str = include_str!("../data/opencc/TSCharacters.txt");

/// The code point of the three-byte UTF-8 sequence (U+0800..U+FFFF) at `b[i]`, read
/// straight from the bytes; None for any other byte. The hot loops over Chinese text
/// use it to skip decoding whole characters.
#[inline]
pub(crate) fn three_byte_at(b: &[u8], i: usize) -> Option<u32> {
    let lead = *b.get(i)?;
    if lead & 0xF0 != 0xE0 || i + 2 >= b.len() {
        return None;
    }
    Some(
        (u32::from(lead & 0x0F) << 12)
            | (u32::from(b[i + 1] & 0x3F) << 6)
            | u32::from(b[i + 2] & 0x3F),
    )
}

// Per BMP code point flags (`Normalizer::flags`): the script class in the low two
// bits, then whether the hot loop must stop at the character.
const CLASS_NEUTRAL: u8 = 0;
const CLASS_TRADITIONAL: u8 = 1;
const CLASS_SIMPLIFIED: u8 = 2;
const CLASS_MASK: u8 = 3;
/// A key of two or more characters of the conversion table starts with the character.
const FLAG_PHRASE: u8 = 4;
/// The character is a key by itself and converts to another character.
const FLAG_CHANGES: u8 = 8;
/// The character is a space, a zero-width or line-break character, or a full-width
/// letter or digit: the writer handles it.
const FLAG_SPECIAL: u8 = 16;
/// The character converts alone, but not to a three-byte character (`single_to` has
/// no entry, or the target is shorter): it cannot be converted in place.
const FLAG_IRREGULAR: u8 = 32;

/// Which engine converts Traditional to Simplified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Backend {
    /// The built-in engine over OpenCC's tables (default): fast, offsets per token.
    #[default]
    Builtin,
    /// The C++ OpenCC (`tw2s`) through opencc-rust; needs libopencc. Conversion is done
    /// a stretch at a time, so offsets inside a converted stretch map to its start
    /// when OpenCC changes the number of characters.
    #[cfg(feature = "opencc")]
    OpenCC,
}

/// The normalize stage. Build once (it holds the conversion tables), share freely.
pub struct Normalizer {
    converter: Converter,
    /// Per BMP code point: its script class and `FLAG_*` bits. One 64 KB table, so
    /// the loop over the bulk of the text makes one load per character (its size in
    /// the type, so a three-byte character's code indexes it without a bounds check).
    flags: Box<Bmp<u8>>,
    /// Per BMP code point with `FLAG_CHANGES`: the BMP character it converts to
    /// alone (0 when that is outside the BMP: then the converter is asked).
    single_to: Box<Bmp<u16>>,
    /// The converter's bit set of phrase starts (`convert::phrase_may_start`).
    phrase_pairs: Box<convert::PairSet>,
    #[cfg(feature = "opencc")]
    opencc: Option<opencc_rust::OpenCC>,
}

/// A value per BMP code point.
type Bmp<T> = [T; 0x1_0000];

/// A table of [`Bmp`] filled with `value`.
fn bmp_table<T: Copy>(value: T) -> Box<Bmp<T>> {
    vec![value; 0x1_0000].into_boxed_slice().try_into().unwrap_or_else(|_| unreachable!())
}

impl std::fmt::Debug for Normalizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Normalizer").field("converter", &self.converter.kind()).finish()
    }
}

/// The result of [`Normalizer::normalize`].
#[derive(Debug, Clone)]
pub struct Normalized {
    /// Clean Simplified text.
    pub text: String,
    /// The input's script.
    pub script: Script,
    /// Pinyin and mojibake repairs, with byte offsets into the input.
    pub repairs: Vec<Repair>,
    /// Maps offsets of `text` back to the input.
    pub map: OffsetMap,
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer::new()
    }
}

impl Normalizer {
    /// Builds the stage with the embedded OpenCC tables.
    pub fn new() -> Normalizer {
        let mut flags = bmp_table(CLASS_NEUTRAL);
        let mut simplified = Vec::new();
        for line in TS_CHARACTERS.lines().filter(|l| !l.starts_with('#')) {
            let Some((key, values)) = line.split_once('\t') else { continue };
            let mut kc = key.chars();
            let (Some(k), None) = (kc.next(), kc.next()) else { continue };
            let first = values.split(' ').next().unwrap_or("");
            if first != key && (k as u32) < 0x1_0000 {
                flags[k as usize] = CLASS_TRADITIONAL;
            }
            for v in values.split(' ') {
                let mut vc = v.chars();
                if let (Some(c), None) = (vc.next(), vc.next()) {
                    if c != k {
                        simplified.push(c);
                    }
                }
            }
        }
        for c in simplified {
            if (c as u32) < 0x1_0000 && flags[c as usize] == CLASS_NEUTRAL {
                flags[c as usize] = CLASS_SIMPLIFIED;
            }
        }
        let converter = Converter::new(Conversion::Mainland);
        let mut single_to = bmp_table(0u16);
        for (cp, f) in flags.iter_mut().enumerate() {
            let Some(c) = char::from_u32(cp as u32) else { continue };
            if converter.starts_phrase(c) {
                *f |= FLAG_PHRASE;
            }
            if let Some(to) = converter.single_change(c) {
                *f |= FLAG_CHANGES;
                let mut chars = to.chars();
                if let (Some(t), None) = (chars.next(), chars.next()) {
                    single_to[cp] = u16::try_from(u32::from(t)).unwrap_or(0);
                }
                if single_to[cp] < 0x800 {
                    *f |= FLAG_IRREGULAR;
                }
            }
            if special(c).is_some() {
                *f |= FLAG_SPECIAL;
            }
        }
        Normalizer {
            phrase_pairs: converter.phrase_pairs(),
            converter,
            flags,
            single_to,
            #[cfg(feature = "opencc")]
            opencc: None,
        }
    }

    /// Builds the stage with the given conversion backend.
    ///
    /// # Errors
    ///
    /// With `Backend::OpenCC` (cargo feature `opencc`), when libopencc cannot load its
    /// `tw2s` configuration.
    pub fn with_backend(backend: Backend) -> Result<Normalizer, crate::Error> {
        #[allow(unused_mut)]
        let mut n = Normalizer::new();
        match backend {
            Backend::Builtin => {}
            #[cfg(feature = "opencc")]
            Backend::OpenCC => {
                let occ = opencc_rust::OpenCC::new(opencc_rust::DefaultConfig::TW2S)
                    .map_err(|e| crate::Error::Backend(format!("OpenCC tw2s: {e}")))?;
                n.opencc = Some(occ);
            }
        }
        Ok(n)
    }

    /// The script of `s`: Traditional-only and Simplified-only characters counted, and
    /// a mixture called mixed only when the minority is more than a fifth.
    pub fn detect_script(&self, s: &str) -> Script {
        let mut counts = [0usize; 4];
        self.count_classes(s, &mut counts);
        script_of(&counts)
    }

    /// [`Normalizer::count_classes`] of `input[at..at + len]`, the span an edit
    /// replaces. Most are short and mix widths (`紀(jì)`: three bytes, then one, then
    /// two), which the loop over characters mispredicts at each change (a sixth of the
    /// rebuild on seed 001): a span of up to 14 bytes is read as one 16-byte window,
    /// its three-byte leads found as a bit mask, and only those looked up.
    fn count_span_classes(&self, input: &str, at: usize, len: usize, counts: &mut [usize; 4]) {
        let window = input.as_bytes().get(at..at + 16).and_then(|w| <&[u8; 16]>::try_from(w).ok());
        let Some(w) = window.filter(|_| (3..=14).contains(&len)) else {
            return self.count_classes(input.get(at..at + len).unwrap_or_default(), counts);
        };
        let word = |k: usize| u64::from_le_bytes(std::array::from_fn(|j| w[8 * k + j]));
        let (lo, hi) = (utf8_leads(word(0)).0, utf8_leads(word(1)).0);
        // Leads whose character lies inside the span: at most at `len - 3`.
        let mut leads = (lo | hi << 8) & ((1 << (len - 2)) - 1);
        while leads != 0 {
            let r = leads.trailing_zeros() as usize;
            leads &= leads - 1;
            // r + 2 <= len - 1 <= 13: inside the window.
            let cp = usize::from(w[r] & 0x0F) << 12
                | usize::from(w[(r + 1) & 15] & 0x3F) << 6
                | usize::from(w[(r + 2) & 15] & 0x3F);
            counts[usize::from(self.flags[cp] & CLASS_MASK)] += 1;
        }
    }

    /// Adds the characters of `s` to `counts`, indexed by script class.
    fn count_classes(&self, s: &str, counts: &mut [usize; 4]) {
        // Only three-byte sequences (U+0800..U+FFFF) hold classed characters: read
        // those from the bytes, skip the rest without decoding. Counted by class
        // without a branch on the class (a branch per character that the predictor
        // cannot learn cost more than the rest of the loop).
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if let Some(c) = three_byte_at(b, i) {
                counts[usize::from(self.flags[c as usize] & CLASS_MASK)] += 1;
                i += 3;
            } else {
                i += 1;
            }
        }
    }

    /// One character in Simplified, as the conversion tables give it alone (without
    /// allocating: decoding calls it for every character it judges).
    pub fn simplify_char(&self, c: char) -> char {
        let mut buf = [0u8; 4];
        let s = c.encode_utf8(&mut buf);
        match self.converter.match_at(s) {
            Some((len, rep)) if len == s.len() => rep.chars().next().unwrap_or(c),
            _ => c,
        }
    }

    /// Converts a string to Simplified, with no other normalization.
    ///
    /// The same conversion as the converter's (the longest key at each position),
    /// settled like the rebuild does it: most characters by their flags, characters
    /// that start some phrase by the phrase-pair set, single conversions from the dense
    /// table; only the rest are looked up.
    pub fn convert(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let b = s.as_bytes();
        let mut copied = 0;
        // Whether the pending copy holds a character that converts alone.
        let mut changed = 0u8;
        let mut i = 0;
        while i < b.len() {
            if b[i] < 0x80 {
                // ASCII never starts a key.
                i += 1;
                continue;
            }
            let start = i;
            let mut cur = three_byte_at(b, i);
            while let Some(cp) = cur {
                let flags = self.flags[cp as usize];
                // The next character, read once: for this test and the next step.
                let next = three_byte_at(b, i + 3);
                if self.settles_alone_given_next(b, i, cp, flags, next) {
                    break;
                }
                changed |= flags;
                i += 3;
                cur = next;
            }
            if cur.is_none() && i != start {
                continue;
            }
            let rest = &s[i..];
            match self.converter.match_at(rest) {
                Some((len, rep)) => {
                    push_run(&mut out, &s[copied..i], self.run_table(changed));
                    changed = 0;
                    out.push_str(rep);
                    i += len;
                    copied = i;
                }
                None => i += rest.chars().next().map_or(1, char::len_utf8),
            }
        }
        push_run(&mut out, &s[copied..], self.run_table(changed));
        out
    }

    /// Must the three-byte character `cp` (with `flags`) at `b[i..]` be settled on its
    /// own, apart from the run of text around it: may a phrase start here, or does it
    /// convert into something other than one three-byte character? The rest are
    /// copied with the run and converted through the dense table as it is copied.
    ///
    /// `next` is the next character if it is a three-byte one, as [`three_byte_at`]
    /// reads it at `i + 3` (the callers carry it to their next step: reading it twice
    /// cost the rebuild up to a sixth of its time on Simplified text); an ASCII byte
    /// is its own code point; at the end no phrase starts; a two- or four-byte
    /// character (rare) is left to the lookup.
    ///
    /// The phrase-pair test is made for every character, without a branch on the
    /// phrase flag: the flag is set on about a third of the characters of any text,
    /// at random, and a branch on it mispredicted. (Over 190 generated documents,
    /// normalize went from 273 to 348 MB/s with this; a single small file normalized
    /// over and over favours the branch, whose predictor learns the file.)
    #[inline(always)]
    fn settles_alone_given_next(
        &self,
        b: &[u8],
        i: usize,
        cp: u32,
        flags: u8,
        next: Option<u32>,
    ) -> bool {
        let may_start = match next {
            Some(n) => convert::phrase_may_start(&self.phrase_pairs, cp, n),
            None => match b.get(i + 3) {
                None => false,
                Some(&x) if x < 0x80 => convert::phrase_may_start(&self.phrase_pairs, cp, x.into()),
                Some(_) => true,
            },
        };
        (flags & FLAG_PHRASE != 0) & may_start | (flags & FLAG_IRREGULAR != 0)
    }

    /// The table a run of text is written through ([`push_run`]): the single
    /// conversions, if the run's characters' flags, or-ed into `changed`, say one
    /// of them converts.
    fn run_table(&self, changed: u8) -> Option<&Bmp<u16>> {
        (changed & FLAG_CHANGES != 0).then_some(&self.single_to)
    }

    /// [`Normalizer::convert`] for a short string such as one annotated character:
    /// a character that converts alone is read from the dense table, and the result
    /// is held inline (no allocation, where a pinyin-annotated speech has a repair
    /// every few characters).
    fn convert_short(&self, s: &str) -> CompactString {
        // One three-byte character: no phrase can match, so it converts alone.
        if let Some(cp) = three_byte_at(s.as_bytes(), 0).filter(|_| s.len() == 3) {
            if self.flags[cp as usize] & FLAG_IRREGULAR == 0 {
                let c = converted_alone(&self.single_to, cp);
                return CompactString::from(c.encode_utf8(&mut [0; 4]) as &str);
            }
        }
        CompactString::from(self.convert(s))
    }

    /// The repairs this stage finds in `input`: pinyin annotations and mojibake,
    /// valid, in order and apart (settled: [`edit::is_settled`]), each with its input
    /// text filled in, so that they are the record's `repairs` as they are made.
    ///
    /// Annotations become repairs as the scan finds them (a pinyin-dense text has one
    /// every few dozen bytes: no list of them besides the repairs), their readings kept
    /// for the mojibake stage if the text looks damaged
    /// ([`Normalizer::annotation_repairs`]).
    pub(crate) fn find_repairs(&self, input: &str) -> Vec<Repair> {
        // Where the mojibake runs will likely start: room is kept for them among the
        // annotations' repairs as they are made (placeholders, `room`), so that in the
        // usual case the runs drop into place instead of every repair after the first
        // run moving to make room (a twentieth of the stage on a pinyin-dense text).
        // A text with none does not look damaged.
        let likely = mojibake::likely_starts(input);
        let suspect = !likely.is_empty();
        let (mut repairs, readings, toned, room) = self.annotation_repairs(input, suspect, &likely);
        let bare_too = pinyin::counts_bare_syllables(toned);
        if !bare_too {
            // Bare syllables in brackets are taken for annotations only in a text
            // with enough tone-marked ones.
            repairs.retain(|r| r.rule != Rule::PINYIN_INLINE_TONELESS);
        }
        if !suspect {
            return repairs;
        }
        let taken = mojibake::repairs(input, readings, |s| self.convert(s));
        // (Dropping bare syllables moved the room kept.)
        place_runs(repairs, if bare_too { &room } else { &[] }, &likely, taken)
    }

    /// The repairs of every annotation of `input`, toned or not, in order; the
    /// readings of their distinct kinds if `readings_too` (for the mojibake stage);
    /// and how many are toned.
    ///
    /// An annotated text repeats its annotations (seed 001: 1,601 of 107 kinds): the
    /// repair each kind was given last is kept by its text ([`pinyin::Annotation::packed`])
    /// in a small table, and a repeat's record texts are copied from it instead of
    /// converted and copied from the input again, its reading not looked up again.
    ///
    /// Before the first annotation at or after each of `room_at` (sorted) goes a
    /// placeholder ([`room_for_a_run`]); their indexes come last.
    fn annotation_repairs<'a>(
        &self,
        input: &'a str,
        readings_too: bool,
        room_at: &[usize],
    ) -> (Vec<Repair>, mojibake::Readings<'a>, usize, Vec<usize>) {
        let mut readings = mojibake::Readings::default();
        let mut repairs = Vec::new();
        let mut toned = 0;
        let mut made: Vec<(u128, Repair)> = Vec::new();
        let mut room = Vec::with_capacity(room_at.len());
        let mut next_room = room_at.iter().peekable();
        for a in pinyin::Scan::new(input) {
            while let Some(&q) = next_room.next_if(|&&q| q <= a.start) {
                room.push(repairs.len());
                repairs.push(room_for_a_run(q));
            }
            toned += usize::from(a.toned);
            let Some(key) = a.packed(input) else {
                if readings_too {
                    readings.add(input, &a);
                }
                repairs.push(pinyin::repair(input, &a, |s| self.convert_short(s)));
                continue;
            };
            if made.is_empty() {
                // Key 0 is no annotation's: these never match.
                made.resize_with(MADE_SLOTS, || (0, room_for_a_run(0)));
            }
            let slot = &mut made[pinyin::slot_of(key, MADE_SLOTS)];
            if slot.0 != key {
                if readings_too {
                    readings.add(input, &a);
                }
                *slot = (key, pinyin::repair(input, &a, |s| self.convert_short(s)));
            }
            let last = &slot.1;
            repairs.push(Repair {
                kind: last.kind,
                rule: last.rule,
                start: a.start,
                end: a.end,
                from: last.from.clone(),
                to: last.to.clone(),
            });
        }
        for &q in next_room {
            room.push(repairs.len());
            repairs.push(room_for_a_run(q));
        }
        (repairs, readings, toned, room)
    }

    /// Pinyin annotations in `text` as the stage would remove them: (start of the
    /// character, end of the character, end of the annotation, rule).
    pub(crate) fn annotations(&self, text: &str) -> Vec<(usize, usize, usize, Rule)> {
        let found = pinyin::scan(text);
        pinyin::removable(&found).map(|a| (a.start, a.char_end, a.end, pinyin::rule(a))).collect()
    }

    /// Runs the stage alone: repairs found and applied, the rest converted.
    pub fn normalize(&self, input: &str) -> Normalized {
        // The repairs come settled and filled in: they are rebuilt from and returned
        // as they are (on a pinyin-dense text, a settling pass and a pass making the
        // record's entries were a tenth of the time).
        let repairs = self.find_repairs(input);
        debug_assert!(edit::is_settled(input, &repairs));
        let (text, map, script) = self.apply_with_script(input, &repairs);
        Normalized { text, script, repairs, map }
    }

    /// Builds the text from the input and settled edits: removed spans dropped, each
    /// repair's replacement put in as it is, every untouched stretch normalized.
    pub(crate) fn apply<E: Change>(&self, input: &str, edits: &[E]) -> (String, OffsetMap) {
        let (text, map, _) = self.apply_with_script(input, edits);
        (text, map)
    }

    /// [`Normalizer::apply`], and the input's script: its characters are counted by
    /// class on the way (what [`Normalizer::detect_script`] counts, without a pass of
    /// its own).
    pub(crate) fn apply_with_script<E: Change>(
        &self,
        input: &str,
        edits: &[E],
    ) -> (String, OffsetMap, Script) {
        let pieces = Pieces::new(input, edits);
        let mut w = Writer {
            out: String::with_capacity(input.len() + input.len() / 8),
            // Each edit starts a segment of the map (with the copy after it); the
            // rest grows with the text's punctuation and spaces.
            map: OffsetMap::with_capacity(edits.len() + input.len() / 256 + 16),
            pending_space: None,
            open_parens: 0,
            newlines: 0,
            classes: [0; 4],
        };
        // The untouched stretches are counted as they are normalized, the spans the
        // edits replace or remove as their replacements are written.
        for idx in 0..pieces.len() {
            match pieces.get(idx) {
                Piece::Fixed { text, at, len } => {
                    self.count_span_classes(input, at, len, &mut w.classes);
                    w.emit_token(text, at, at + len);
                }
                Piece::Free { text, at } => self.normalize_free(&mut w, text, at, &pieces, idx),
            }
        }
        while w.out.ends_with('\n') {
            w.out.pop();
        }
        w.map.truncate(w.out.len());
        w.map.set_input_len(input.len());
        (w.out, w.map, script_of(&w.classes))
    }

    fn normalize_free<E: Change>(
        &self,
        w: &mut Writer,
        text: &str,
        at: usize,
        pieces: &Pieces<'_, E>,
        idx: usize,
    ) {
        // With the OpenCC backend: its conversion of the stretch, character by
        // character when it keeps the count (it almost always does).
        #[cfg(feature = "opencc")]
        let external: Option<Vec<char>> = self.opencc.as_ref().and_then(|occ| {
            let converted: Vec<char> = occ.convert(text).chars().collect();
            if converted.len() == text.chars().count() {
                Some(converted)
            } else {
                self.count_classes(text, &mut w.classes);
                w.emit_token(&occ.convert(text), at, at + text.len());
                None
            }
        });
        #[cfg(feature = "opencc")]
        if self.opencc.is_some() && external.is_none() {
            return;
        }
        #[cfg(not(feature = "opencc"))]
        let external: Option<Vec<char>> = None;
        let mut char_idx = 0usize;
        let bytes = text.as_bytes();
        // The pending copy run starts at `run`; `changed` says whether it holds a
        // character that converts alone.
        let mut run = 0;
        let mut changed = 0u8;
        let mut i = 0;
        'text: while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                char_idx += 1;
                if !ASCII_SPECIAL[b as usize] {
                    i += 1;
                    continue;
                }
                self.flush_run(w, text, run, i, at, &mut changed);
                match b {
                    b'\r' => {
                        if bytes.get(i + 1) != Some(&b'\n') {
                            w.newline(at + i, 1);
                        }
                    }
                    b'\n' => w.newline(at + i, 1),
                    b' ' | b'\t' | 0x0B | 0x0C => w.space(at + i, 1),
                    b'(' => {
                        let full = self.paren_is_chinese(w, text, i, pieces, idx);
                        if full {
                            w.open_parens += 1;
                        }
                        let rep = if full { "（" } else { "(" };
                        w.emit_token(rep, at + i, at + i + 1);
                    }
                    b')' => {
                        // Closes a bracket opened as Chinese (maybe in an earlier piece).
                        let full = if w.open_parens > 0 {
                            w.open_parens -= 1;
                            true
                        } else {
                            // A stray `)` after Chinese text is a Chinese bracket.
                            w.last_char().is_some_and(is_cjk_text)
                        };
                        let rep = if full { "）" } else { ")" };
                        w.emit_token(rep, at + i, at + i + 1);
                    }
                    _ => {
                        // , : ; ? ! between Chinese text.
                        // After Chinese text, after a site's `_` hole in it, or at a
                        // line start before Chinese text (a fragment after a cut).
                        let prev_ok = match w.last_char() {
                            Some('_') => w
                                .out
                                .trim_end_matches('_')
                                .chars()
                                .next_back()
                                .is_some_and(is_cjk_text),
                            Some('\n') | None => {
                                next_sig(text, i + 1, pieces, idx).is_some_and(pinyin::is_han)
                            }
                            Some(c) => is_cjk_text_or_close(c),
                        };
                        let next = next_sig(text, i + 1, pieces, idx);
                        // An ASCII `(` next is fine: after Chinese text it opens a
                        // Chinese bracket (`感到: (一)` → `感到：（一）`).
                        let next_ok = match next {
                            None | Some('\n') | Some('(') => true,
                            // A `)` that closes a bracket opened as Chinese.
                            Some(')') => w.open_parens > 0,
                            // `，xxxx我们`, `，2023年`: an ASCII word glued to Chinese.
                            Some(c) if c.is_ascii_alphanumeric() => {
                                ascii_word_then_han(upcoming(text, i + 1, pieces, idx))
                            }
                            Some(c) => is_cjk_text(c) || is_cjk_punct(c),
                        };
                        let rep = if prev_ok && next_ok {
                            match b {
                                b',' => "，",
                                b':' => "：",
                                b';' => "；",
                                b'?' => "？",
                                _ => "！",
                            }
                        } else {
                            &text[i..i + 1]
                        };
                        w.emit_token(rep, at + i, at + i + 1);
                    }
                }
                i += 1;
                run = i;
                continue;
            }
            // The bulk of Chinese text is three-byte characters, read from the bytes
            // and settled by their flags: copied as they are unless special, a
            // phrase may start here, or they convert alone.
            let (c, clen, flags) = match three_byte_at(bytes, i) {
                Some(mut cp) => loop {
                    let flags = self.flags[cp as usize];
                    w.classes[usize::from(flags & CLASS_MASK)] += 1;
                    char_idx += 1;
                    // The next character, read once: for the phrase test and as the
                    // next step of this loop.
                    let next = three_byte_at(bytes, i + 3);
                    if flags & FLAG_SPECIAL != 0
                        || external.is_some()
                        || self.settles_alone_given_next(bytes, i, cp, flags, next)
                    {
                        // Three-byte sequences are U+0800..U+FFFF, never a surrogate
                        // in a `str`.
                        break (char::from_u32(cp).unwrap_or('\u{FFFD}'), 3, flags);
                    }
                    // Copied with the run, converted as it is copied.
                    changed |= flags;
                    i += 3;
                    match next {
                        Some(n) => cp = n,
                        None => continue 'text,
                    }
                },
                None => {
                    let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
                    char_idx += 1;
                    // Two- and four-byte characters: U+0085 and U+00A0 are special;
                    // supplementary-plane keys are looked up.
                    (c, c.len_utf8(), FLAG_PHRASE | FLAG_CHANGES | FLAG_SPECIAL)
                }
            };
            if let Some(sp) = special(c).filter(|_| flags & FLAG_SPECIAL != 0) {
                self.flush_run(w, text, run, i, at, &mut changed);
                match sp {
                    Special::Space => w.space(at + i, clen),
                    Special::Drop => {}
                    Special::Newline => w.newline(at + i, clen),
                    Special::Narrow => {
                        let narrow = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
                        let mut buf = [0u8; 4];
                        let s = narrow.encode_utf8(&mut buf);
                        w.emit_token(s, at + i, at + i + clen);
                    }
                }
                i += clen;
                run = i;
                continue;
            }
            if let Some(conv) = &external {
                let d = conv.get(char_idx - 1).copied().unwrap_or(c);
                if d != c {
                    self.flush_run(w, text, run, i, at, &mut changed);
                    let mut buf = [0u8; 4];
                    w.emit_token(d.encode_utf8(&mut buf), at + i, at + i + clen);
                    run = i + clen;
                }
                i += clen;
                continue;
            }
            if flags & (FLAG_PHRASE | FLAG_CHANGES) == 0 {
                i += clen;
                continue;
            }
            if let Some((len, rep)) = self.converter.match_char_at(c, &text[i..]) {
                if rep != &text[i..i + len] {
                    self.flush_run(w, text, run, i, at, &mut changed);
                    w.emit_token(rep, at + i, at + i + len);
                    i += len;
                    run = i;
                    continue;
                }
                if len > clen {
                    // A phrase that stays as it is (`原著`, where `著` alone would
                    // become `着`): copied as it is, not with the run, which would
                    // convert its characters one by one.
                    self.flush_run(w, text, run, i, at, &mut changed);
                    w.flush(text, i, i + len, at, None);
                    run = i + len;
                }
                i += len;
                continue;
            }
            i += clen;
        }
        self.flush_run(w, text, run, bytes.len(), at, &mut changed);
    }

    /// Writes the pending run `text[run..to]`, converting its characters that convert
    /// alone when `changed` says it has some.
    #[inline]
    fn flush_run(
        &self,
        w: &mut Writer,
        text: &str,
        run: usize,
        to: usize,
        at: usize,
        changed: &mut u8,
    ) {
        let table = self.run_table(*changed);
        *changed = 0;
        w.flush(text, run, to, at, table);
    }

    /// Does an ASCII `(` at `i` belong to Chinese text? It does after Chinese text,
    /// before Chinese text, or when its bracket (within 60 bytes on the same line,
    /// looking across pieces) holds Chinese or is followed by it.
    fn paren_is_chinese<E: Change>(
        &self,
        w: &Writer,
        text: &str,
        i: usize,
        pieces: &Pieces<'_, E>,
        idx: usize,
    ) -> bool {
        let prev_cjk = w.last_char().is_some_and(is_cjk_text_or_close);
        if prev_cjk || next_sig(text, i + 1, pieces, idx).is_some_and(pinyin::is_han) {
            return true;
        }
        // The rest of this piece, then the following pieces.
        let rest = std::iter::once(&text[i + 1..]).chain(pieces.texts_after(idx));
        let mut has_han = false;
        let mut seen = 0;
        let mut chars = rest.flat_map(str::chars);
        while let Some(c) = chars.next() {
            seen += c.len_utf8();
            match c {
                ')' | '）' => {
                    // Followed by Chinese: a Han character, not punctuation (which
                    // may itself be a bracket still to convert).
                    let after = chars.find(|&c| !skipped(c));
                    return has_han || after.is_some_and(pinyin::is_han);
                }
                '(' | '（' | '\n' | '\r' => return false,
                _ if seen > 60 => return false,
                c => has_han |= pinyin::is_han(c),
            }
        }
        false
    }
}

/// Slots of the table of annotations' last repairs in [`Normalizer::find_repairs`].
const MADE_SLOTS: usize = 256;

/// Puts the mojibake runs `taken` among the annotations' `repairs` (both sorted and
/// apart), where runs take precedence over the annotations they overlap. `repairs`
/// holds placeholders ([`room_for_a_run`]) at the indexes `room`, made for runs
/// starting at `likely`: when the runs start there and overlap no annotation, each
/// takes its placeholder's place and nothing moves; otherwise the placeholders go
/// and the runs are merged in.
fn place_runs(
    mut repairs: Vec<Repair>,
    room: &[usize],
    likely: &[usize],
    taken: Vec<Repair>,
) -> Vec<Repair> {
    let fits = taken.len() == likely.len()
        && room.len() == likely.len()
        && taken.iter().zip(likely).all(|(t, &q)| t.start == q)
        && !overlaps_any(&repairs, &taken);
    if fits {
        for (t, &k) in taken.into_iter().zip(room) {
            repairs[k] = t;
        }
        return repairs;
    }
    repairs.retain(|r| !r.rule.is_empty());
    drop_overlapped(&mut repairs, &taken);
    edit::merge_sorted(&mut repairs, taken, || room_for_a_run(0));
    repairs
}

/// A placeholder holding room for a mojibake run among the repairs, at `at`: empty,
/// with an empty rule, which no repair has, and no allocation.
fn room_for_a_run(at: usize) -> Repair {
    Repair {
        kind: RepairKind::Mojibake,
        rule: Rule::NONE,
        start: at,
        end: at,
        from: CompactString::const_new(""),
        to: CompactString::const_new(""),
    }
}

/// Does one of `taken`'s repairs overlap one of `repairs` that is not empty (both
/// sorted and apart; empty placeholders overlap nothing)?
fn overlaps_any(repairs: &[Repair], taken: &[Repair]) -> bool {
    taken.iter().any(|t| {
        let k = repairs.partition_point(|a| a.end <= t.start);
        repairs[k..].iter().take_while(|a| a.start < t.end).any(|a| a.end > a.start)
    })
}

/// Drops the repairs of `repairs` that overlap one of `taken`'s (both sorted and
/// apart). A mojibake run seldom swallows an annotation (its garbled text ends where
/// an annotated character starts): a binary search per run finds whether any does
/// ([`overlaps_any`]), where a pass over the annotations that drops none read them
/// all, a few percent of the stage on a pinyin-dense text.
fn drop_overlapped(repairs: &mut Vec<Repair>, taken: &[Repair]) {
    if !overlaps_any(repairs, taken) {
        return;
    }
    let mut next = taken.iter().peekable();
    repairs.retain(|a| {
        while next.next_if(|t| t.end <= a.start).is_some() {}
        next.peek().is_none_or(|t| t.start >= a.end)
    });
}

/// The lead bytes of three-byte (1110xxxx) and of four-byte (11110xxx) UTF-8
/// characters among the eight bytes of `w` (little-endian), each as the low eight
/// bits of a mask: for walks that visit only the characters that matter.
#[inline(always)]
pub(crate) fn utf8_leads(w: u64) -> (u64, u64) {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    /// Bits 7 of the bytes of `x`, gathered into bits 0..8.
    fn gather(x: u64) -> u64 {
        (x >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
    }
    // Bit 7 of each byte of `w << n` is bit 7 - n of the same byte: `top3` marks the
    // bytes 111xxxxx, split by bit 4 (no byte of UTF-8 is higher than 11110xxx).
    let top3 = w & w << 1 & w << 2 & HIGH;
    (gather(top3 & !(w << 3)), gather(top3 & w << 3))
}

/// Appends `run` to `out`, with each three-byte character converted by `table` when
/// given (the dense table of single conversions, three bytes to three bytes).
///
/// A character that may start a phrase here, or converts into something other than
/// one three-byte character, ends a run and is settled on its own; every character
/// of a run is written through the table: Traditional text converts about every
/// other character, and a branch per character on whether it does mispredicted half
/// the time.
fn push_run(out: &mut String, run: &str, table: Option<&Bmp<u16>>) {
    let Some(table) = table else {
        out.push_str(run);
        return;
    };
    let b = run.as_bytes();
    let mut j = 0;
    while j < b.len() {
        if let Some(cp) = three_byte_at(b, j) {
            out.push(converted_alone(table, cp));
            j += 3;
        } else {
            let len = run[j..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&run[j..j + len]);
            j += len;
        }
    }
}

/// The three-byte character `cp` as the dense table of single conversions gives it
/// (0 there: it stays).
#[inline]
fn converted_alone(table: &Bmp<u16>, cp: u32) -> char {
    let to = u32::from(table[cp as usize]);
    char::from_u32(if to == 0 { cp } else { to }).unwrap_or('\u{FFFD}')
}

enum Special {
    Space,
    Drop,
    Newline,
    Narrow,
}

/// What the writer does with a character other than copying or converting it.
fn special(c: char) -> Option<Special> {
    match c {
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => {
            Some(Special::Space)
        }
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => Some(Special::Drop),
        '\u{2028}' | '\u{2029}' | '\u{0085}' => Some(Special::Newline),
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            Some(Special::Narrow)
        }
        _ => None,
    }
}

/// ASCII bytes the normalizer looks at; all others are copied.
static ASCII_SPECIAL: [bool; 128] = {
    let mut t = [false; 128];
    let specials = b"\r\n \t\x0B\x0C(),:;?!";
    let mut k = 0;
    while k < specials.len() {
        t[specials[k] as usize] = true;
        k += 1;
    }
    t
};

/// Do the upcoming characters start with (spaces and) an ASCII word or number
/// directly followed by a Han character?
fn ascii_word_then_han(mut chars: impl Iterator<Item = char>) -> bool {
    let mut word = 0;
    for c in chars.by_ref() {
        match as_written(c) {
            // Zero-width characters are deleted: they separate nothing (a second pass
            // would not see them).
            c if matches!(special(c), Some(Special::Drop)) => continue,
            c if word == 0 && skipped(c) => continue,
            c if c.is_ascii_alphanumeric() || c == '.' || c == '%' => {
                word += 1;
                if word > 12 {
                    return false;
                }
            }
            c => return word > 0 && pinyin::is_han(c),
        }
    }
    false
}

/// The characters after byte `from` of this piece, then those of the pieces that
/// follow: what the reader of the finished text will see next.
fn upcoming<'a, E: Change>(
    text: &'a str,
    from: usize,
    pieces: &'a Pieces<'a, E>,
    idx: usize,
) -> impl Iterator<Item = char> + 'a {
    std::iter::once(text.get(from..).unwrap_or(""))
        .chain(pieces.texts_after(idx))
        .flat_map(str::chars)
}

/// Characters the writer drops or folds into a space: not what a reader sees next.
pub(crate) fn skipped(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{3000}' | '\u{00A0}' | '\u{2002}'
            ..='\u{200D}' | '\u{202F}' | '\u{205F}' | '\u{2060}' | '\u{FEFF}' | '\u{0B}' | '\u{0C}'
    )
}

/// The next character after `from` that is not horizontal space, looking into
/// following pieces; `'\n'` for a line end, None at the end of the text.
fn next_sig<E: Change>(
    text: &str,
    from: usize,
    pieces: &Pieces<'_, E>,
    idx: usize,
) -> Option<char> {
    let sig = |s: &str| s.chars().find(|&c| !skipped(c));
    if let Some(c) = text.get(from..).and_then(sig) {
        return Some(if c == '\r' { '\n' } else { as_written(c) });
    }
    for t in pieces.texts_after(idx) {
        if let Some(c) = sig(t) {
            return Some(if c == '\r' { '\n' } else { as_written(c) });
        }
    }
    None
}

/// `c` as the writer writes it when it is a full-width letter or digit (the ASCII
/// one): what follows a bracket or comma is judged as the finished text will have
/// it, so that a second pass judges the same.
fn as_written(c: char) -> char {
    match special(c) {
        Some(Special::Narrow) => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The script of a text whose characters were counted by class: Traditional-only and
/// Simplified-only characters weighed, and a mixture called mixed only when the
/// minority is more than a fifth.
fn script_of(counts: &[usize; 4]) -> Script {
    let (trad, simp) = (counts[CLASS_TRADITIONAL as usize], counts[CLASS_SIMPLIFIED as usize]);
    let total = trad + simp;
    if trad < 3 || trad * 5 <= total {
        Script::Simplified
    } else if simp < 3 || simp * 5 <= total {
        Script::Traditional
    } else {
        Script::Mixed
    }
}

/// Chinese characters, and the full-width forms that live among them.
fn is_cjk_text(c: char) -> bool {
    pinyin::is_han(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF0F | 0x2E80..=0x2FDF)
}

fn is_cjk_text_or_close(c: char) -> bool {
    is_cjk_text(c) || matches!(c, '”' | '’' | '》' | '）' | '】' | '」' | '』' | '…' | '—')
}

/// Chinese punctuation (opening, closing or mid-sentence).
fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '《'
            | '》'
            | '（'
            | '）'
            | '【'
            | '】'
            | '「'
            | '」'
            | '『'
            | '』'
            | '…'
            | '—'
            | '·'
    )
}

/// The output side of [`Normalizer::apply`].
struct Writer {
    out: String,
    map: OffsetMap,
    /// Spaces seen since the last character (their input span); written as one space
    /// only between two words.
    pending_space: Option<(usize, usize)>,
    /// Newlines at the end of `out`.
    newlines: usize,
    /// ASCII `(` written as `（` and not closed yet.
    open_parens: usize,
    /// The characters read, by script class.
    classes: [usize; 4],
}

impl Writer {
    fn last_char(&self) -> Option<char> {
        self.out.chars().next_back()
    }

    fn space(&mut self, at: usize, len: usize) {
        self.pending_space = Some(match self.pending_space {
            Some((s, _)) => (s, at + len),
            None => (at, at + len),
        });
    }

    fn newline(&mut self, at: usize, len: usize) {
        self.pending_space = None;
        if self.out.is_empty() || self.newlines >= 2 {
            return;
        }
        self.map.push(1, at, at + len);
        self.out.push('\n');
        self.newlines += 1;
    }

    /// Writes a pending space if it separates two words (not at a line start, not next
    /// to Chinese punctuation).
    fn settle_space(&mut self, next: char) {
        let Some((s, e)) = self.pending_space.take() else { return };
        let Some(prev) = self.last_char() else { return };
        if prev == '\n' || is_cjk_punct(prev) || is_cjk_punct(next) {
            return;
        }
        self.map.push(1, s, e);
        self.out.push(' ');
    }

    /// Copies `text[from..to]` (input offsets `at + …`), through the table `convert`
    /// when given ([`push_run`]): its conversions are three bytes to three bytes, so
    /// the run maps byte for byte.
    fn flush(&mut self, text: &str, from: usize, to: usize, at: usize, convert: Option<&Bmp<u16>>) {
        if from >= to {
            return;
        }
        let s = &text[from..to];
        if self.pending_space.is_some() {
            if let Some(c) = s.chars().next() {
                self.settle_space(c);
            }
        }
        self.map.push(s.len(), at + from, at + to);
        self.newlines = 0;
        push_run(&mut self.out, s, convert);
    }

    /// Writes a replacement token for the input span `start..end`.
    fn emit_token(&mut self, s: &str, start: usize, end: usize) {
        if s.is_empty() {
            return;
        }
        if self.pending_space.is_some() {
            if let Some(c) = s.chars().next() {
                self.settle_space(c);
            }
        }
        self.map.push(s.len(), start, end);
        self.out.push_str(s);
        self.newlines = s.bytes().rev().take_while(|&b| b == b'\n').count();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        Normalizer::new().normalize(s).text
    }

    #[test]
    fn punctuation_between_chinese() {
        assert_eq!(norm("同志们:\n(一)中心对巡察工作"), "同志们：\n（一）中心对巡察工作");
        assert_eq!(norm("我们认为,这是好事!对吗?"), "我们认为，这是好事！对吗？");
        assert_eq!(norm("Hello, world: 3.5, 1,000"), "Hello, world: 3.5, 1,000");
        assert_eq!(norm("会议,xxxx我们完成,2023年启动"), "会议，xxxx我们完成，2023年启动");
        assert_eq!(norm("学习了Rust, Go and C"), "学习了Rust, Go and C");
        assert_eq!(norm("见 http://example.com/a?b=1 网站"), "见 http://example.com/a?b=1 网站");
        assert_eq!(norm("(1)提高站位"), "（1）提高站位");
        assert_eq!(norm("感到: (一)中心"), "感到：（一）中心");
        assert_eq!(norm("时代的_,也是\n,本质上"), "时代的_，也是\n，本质上");
        assert_eq!(norm("规划(2018-2022年)"), "规划（2018-2022年）");
        // A zero-width character after the ASCII word is deleted, so it hides nothing
        // (found by the idempotence property test).
        assert_eq!(norm("、、?1.\u{feff}紀(jì)"), "、、？1.纪");
        // A full-width letter or digit after it is read as the ASCII one it becomes
        // (found by the analysis idempotence fuzz target).
        assert_eq!(norm("同意。下,Ｂ我讲"), "同意。下，B我讲");
        assert_eq!(norm("下,ＡＢ１２"), "下,AB12");
        assert_eq!(norm(&norm("同意。下,Ｂ我讲")), "同意。下，B我讲");
    }

    #[test]
    fn repairs_come_settled_with_their_input_text() {
        // Seed 001: annotations everywhere, shifted GBK runs swallowing annotations,
        // phantom annotations. The repairs `normalize` returns are rebuilt from and
        // returned as they are made: settled, and each with its input text.
        let input = include_str!("../../corpus/raw/001_af57640b325e6b46.txt");
        let n = Normalizer::new().normalize(input);
        let mojibake = n.repairs.iter().filter(|r| r.kind == RepairKind::Mojibake).count();
        assert!(mojibake >= 12 && n.repairs.len() > 1000, "{mojibake} of {}", n.repairs.len());
        assert!(edit::is_settled(input, &n.repairs));
        for r in &n.repairs {
            assert_eq!(r.from, input[r.start..r.end]);
        }
    }

    #[test]
    fn runs_drop_the_annotations_they_overlap() {
        let at = |start: usize, end: usize| Repair {
            kind: RepairKind::Pinyin,
            rule: Rule::PINYIN_INLINE,
            start,
            end,
            from: CompactString::default(),
            to: CompactString::default(),
        };
        let spans = |v: &[Repair]| v.iter().map(|r| (r.start, r.end)).collect::<Vec<_>>();
        let annotations = [at(0, 8), at(10, 18), at(20, 28), at(30, 38)];
        // Runs that touch annotations without overlapping them drop none.
        let mut kept = annotations.to_vec();
        drop_overlapped(&mut kept, &[at(8, 10), at(38, 50)]);
        assert_eq!(spans(&kept), spans(&annotations));
        // A run ending inside the second, one covering the third and fourth.
        let mut kept = annotations.to_vec();
        drop_overlapped(&mut kept, &[at(9, 11), at(19, 40)]);
        assert_eq!(spans(&kept), [(0, 8)]);
        // One starting inside the last.
        let mut kept = annotations.to_vec();
        drop_overlapped(&mut kept, &[at(37, 40)]);
        assert_eq!(spans(&kept), [(0, 8), (10, 18), (20, 28)]);
    }

    #[test]
    fn repeated_annotations_repair_and_read_as_each_alone() {
        // Seed 001 (1,601 annotations of 107 kinds), then 600 kinds over and over, so
        // that kinds meet in the table's slots, and some it does not take (longer
        // than 16 bytes, damaged, toneless, at the very end).
        let mut input = include_str!("../../corpus/raw/001_af57640b325e6b46.txt").to_string();
        for round in 0..3 {
            for k in 0..600u32 {
                let c = char::from_u32(0x4E00 + k * 7 + round).unwrap();
                input.push(c);
                input.push_str(["(yī)", "（èr）", "(sān)"][(k % 3) as usize]);
            }
        }
        input.push_str("爲（wèi）爲（wèi）的(de)會(hu\u{FFFD}ì)會(huì)    (yì)議(yì)");
        let n = Normalizer::new();
        let (repairs, readings, toned, room) = n.annotation_repairs(&input, true, &[]);
        assert!(room.is_empty());
        let scan: Vec<pinyin::Annotation> = pinyin::Scan::new(&input).collect();
        let want: Vec<Repair> =
            scan.iter().map(|a| pinyin::repair(&input, a, |s| n.convert_short(s))).collect();
        assert!(want.len() > 3_000, "{}", want.len());
        assert_eq!(repairs, want);
        assert_eq!(toned, scan.iter().filter(|a| a.toned).count());
        // Every distinct intact toned pair, repeats or not.
        let mut all = mojibake::Readings::default();
        scan.iter().for_each(|a| all.add(&input, a));
        assert_eq!(readings.pairs(), all.pairs());
        assert!(all.pairs().len() > 1_000 && all.pairs().contains(&('爲', "wèi")));
    }

    #[test]
    fn room_kept_for_runs_or_not_the_repairs_are_the_same() {
        // The repairs made the plain way: annotations, then the runs merged in.
        let n = Normalizer::new();
        let plain = |input: &str| {
            let (mut repairs, readings, _, _) = n.annotation_repairs(input, true, &[]);
            let taken = mojibake::repairs(input, readings, |s| n.convert(s));
            drop_overlapped(&mut repairs, &taken);
            edit::merge_sorted(&mut repairs, taken, || room_for_a_run(0));
            repairs
        };
        let seed = include_str!("../../corpus/raw/001_af57640b325e6b46.txt");
        // On seed 001 the room kept is the room the runs take.
        let runs: Vec<usize> = plain(seed)
            .iter()
            .filter(|r| r.kind == RepairKind::Mojibake)
            .map(|r| r.start)
            .collect();
        assert_eq!(mojibake::likely_starts(seed), runs);
        assert_eq!(n.find_repairs(seed), plain(seed));
        // Where it is not: each `?` of the seed in turn made a real question mark
        // (a space before it), so that a run fails or moves; and cut short.
        let mut tried = 0;
        for q in seed.match_indices('?').map(|(q, _)| q) {
            let input = format!("{} {}", &seed[..q], &seed[q..]);
            let found = n.find_repairs(&input);
            assert_eq!(found, plain(&input), "? at {q}");
            assert!(found.iter().all(|r| !r.rule.is_empty()));
            tried += usize::from(mojibake::likely_starts(&input).len() != runs.len());
        }
        for cut in [4_400, 10_960, 22_705, 30_000] {
            let cut = (0..=cut).rev().find(|&i| seed.is_char_boundary(i)).unwrap_or(0);
            let input = &seed[..cut];
            assert_eq!(n.find_repairs(input), plain(input), "cut at {cut}");
        }
        assert!(tried > 5, "{tried}");
    }

    #[test]
    fn runs_take_their_room_only_where_they_fit() {
        let at = |start: usize, end: usize, rule: &'static str| Repair {
            kind: RepairKind::Pinyin,
            rule: Rule::new(rule),
            start,
            end,
            from: CompactString::default(),
            to: CompactString::default(),
        };
        let annotations = [at(0, 8, "a"), at(10, 18, "a"), at(20, 28, "a"), at(30, 38, "a")];
        // Room kept for runs at 9 and 19: before the second and third annotations.
        let likely = [9, 19];
        let mut with_room = annotations.to_vec();
        with_room.insert(2, room_for_a_run(19));
        with_room.insert(1, room_for_a_run(9));
        let room = [1, 3];
        let merged = |taken: &[Repair]| {
            let mut repairs = annotations.to_vec();
            drop_overlapped(&mut repairs, taken);
            edit::merge_sorted(&mut repairs, taken.to_vec(), || room_for_a_run(0));
            repairs
        };
        let spans = |v: &[Repair]| v.iter().map(|r| (r.start, r.end)).collect::<Vec<_>>();
        for taken in [
            // Where the room is.
            vec![at(9, 10, "m"), at(19, 20, "m")],
            // As many, one elsewhere.
            vec![at(9, 10, "m"), at(29, 30, "m")],
            // Where the room is, one overlapping an annotation.
            vec![at(9, 12, "m"), at(19, 20, "m")],
            // Fewer, more.
            vec![at(9, 10, "m")],
            vec![at(8, 9, "m"), at(9, 10, "m"), at(19, 20, "m")],
            vec![],
        ] {
            let placed = place_runs(with_room.clone(), &room, &likely, taken.clone());
            assert_eq!(spans(&placed), spans(&merged(&taken)), "{:?}", spans(&taken));
            assert!(placed.iter().all(|r| !r.rule.is_empty()));
        }
        // Room that moved (bare syllables dropped): merged.
        let taken = vec![at(9, 10, "m"), at(19, 20, "m")];
        assert_eq!(
            spans(&place_runs(with_room, &[], &likely, taken.clone())),
            spans(&merged(&taken))
        );
    }

    #[test]
    fn span_classes_are_the_classes_of_the_span() {
        // Every span on character boundaries of a text mixing widths and scripts
        // (annotations, full-width brackets, ASCII, a four-byte character), near its
        // end too, where the 16-byte window does not fit.
        let n = Normalizer::new();
        let text = "紀(jì)委書记x（一）𠀀；會(huì)議ab說(shuō)纪律 着(zhuó)力。";
        let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let mut spans = 0;
        for (k, &at) in bounds.iter().enumerate() {
            for &end in &bounds[k..] {
                let (mut want, mut got) = ([0; 4], [0; 4]);
                n.count_classes(&text[at..end], &mut want);
                n.count_span_classes(text, at, end - at, &mut got);
                assert_eq!(got[1..3], want[1..3], "{:?}", &text[at..end]);
                spans += usize::from(want[1] + want[2] > 0);
            }
        }
        assert!(spans > 500, "{spans}");
    }

    #[test]
    fn whitespace_and_width() {
        assert_eq!(norm("  同志们：  \r\n\r\n\r\n\r\n　　今天开会"), "同志们：\n\n今天开会");
        assert_eq!(norm("第１轮ＡＢ"), "第1轮AB");
        assert_eq!(norm("讲话 同志们： 以今日"), "讲话 同志们：以今日");
    }

    #[test]
    fn traditional_to_simplified() {
        assert_eq!(norm("紀(jì)委書記"), "纪委书记");
        assert_eq!(norm("貫徹羣眾路線,著力解決"), "贯彻群众路线，着力解决");
        // A phrase that stays as it is keeps characters that alone would convert
        // (found when the rebuild began converting runs of text through a table).
        assert_eq!(norm("要讀原著、學原文"), "要读原著、学原文");
        assert_eq!(Normalizer::new().convert("要讀原著、學原文"), "要读原著、学原文");
    }

    #[test]
    fn conversion_alone_across_characters_of_other_widths() {
        // Two- and four-byte characters end a run of three-byte ones, and may come first.
        let n = Normalizer::new();
        for (text, want) in [
            ("·羣眾·", "·群众·"),
            ("é羣", "é群"),
            ("𠀀羣眾𠀀國", "𠀀群众𠀀国"),
            ("羣a眾", "群a众"),
            ("羣", "群"),
            ("", ""),
        ] {
            assert_eq!(n.convert(text), want, "{text}");
            assert_eq!(n.convert(text), n.converter.convert(text), "{text}");
        }
    }

    #[test]
    fn rebuild_converts_as_the_converter_does() {
        // The rebuild and `Normalizer::convert` settle most characters by the flags,
        // the phrase-pair set and the table of single conversions; the converter looks
        // every key up. Every key of OpenCC's phrase and character tables, run
        // together so that phrases also meet across key boundaries, must come out the
        // same all three ways.
        let n = Normalizer::new();
        let keys = |table: &'static str| -> Vec<&'static str> {
            table
                .lines()
                .filter_map(|l| l.split('\t').next())
                .filter(|k| !k.starts_with('#') && k.chars().all(pinyin::is_han))
                .collect()
        };
        for table in [
            TS_CHARACTERS,
            include_str!("../data/opencc/TSPhrases.txt"),
            include_str!("../data/opencc/TWVariantsRevPhrases.txt"),
            include_str!("../data/opencc/HKVariantsRevPhrases.txt"),
        ] {
            let list = keys(table);
            let text = list.concat();
            assert!(text.len() > 100);
            let converted = n.converter.convert(&text);
            let normalized = n.normalize(&text);
            assert_eq!(normalized.text, converted);
            assert_eq!(n.convert(&text), converted);
            assert_eq!(normalized.script, n.detect_script(&text));
            // And each key's conversion, which may be a phrase that stays as it is
            // though its characters alone would convert, joined by a character that
            // converts (so the text around it is converted too).
            let outputs: Vec<String> = list.iter().map(|k| n.converter.convert(k)).collect();
            let joined = outputs.join("讀");
            let again = n.converter.convert(&joined);
            assert_eq!(n.normalize(&joined).text, again);
            assert_eq!(n.convert(&joined), again);
        }
        // The words that keep 著, which alone becomes 着 (`原著`), run together and
        // apart, also by a character that converts (so a run around them converts).
        for sep in ["", "的", "讀"] {
            let text = convert::MAINLAND_ZHU_WORDS.join(sep);
            let converted = n.converter.convert(&text);
            assert_eq!(n.normalize(&text).text, converted);
            assert_eq!(n.convert(&text), converted);
        }
    }

    #[test]
    fn script_detection() {
        let n = Normalizer::new();
        assert_eq!(n.detect_script("全面从严治党向纵深发展"), Script::Simplified);
        assert_eq!(n.detect_script("全面從嚴治黨向縱深發展"), Script::Traditional);
        assert_eq!(
            n.detect_script("全面從嚴治黨向縱深發展，全面从严治党向纵深发展"),
            Script::Mixed
        );
        assert_eq!(n.detect_script("abc"), Script::Simplified);
    }
}
