//! Edits of the decoded input and the offset map between output and input.
//!
//! Every stage that changes text says so as an [`Edit`] on the decoded input: a span
//! removed, or a span replaced. The normalizer then rebuilds the text from the input and
//! the edits ([`crate::normalize::Normalizer::apply`]), so that the record's `text` is by
//! construction what the contract's reconstruction rule yields from `removed` and
//! `repairs`.

use compact_str::CompactString;

use crate::record::{Removal, Repair, RepairKind, Rule};

/// One change to the decoded input: the record entry it will become.
///
/// An edit is held as its [`Removal`] or [`Repair`] from the start, with the input
/// text (`text`, `from`) left empty until [`to_record`] fills it in: the spans may
/// still grow or give way while edits are settled. (The normalize stage's repairs,
/// whose spans never change, come filled in: they are its record as they are made.)
/// The two are the same size, so the record's list is made in place of the edits'
/// ([`to_record`]): a pinyin-annotated document has millions of edits, and a second
/// list of them was a third of the memory the normalize stage touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Edit {
    /// Delete the span.
    Remove(Removal),
    /// Put `to` (final text, not normalized again) in place of the span.
    Replace(Repair),
}

// What lets `to_record` make the repairs in place of the edits.
const _: () = assert!(std::mem::size_of::<Edit>() == std::mem::size_of::<Repair>());

impl Edit {
    pub fn remove(start: usize, end: usize, rule: impl Into<Rule>) -> Edit {
        Edit::Remove(Removal { rule: rule.into(), start, end, text: String::new() })
    }

    pub fn replace(
        start: usize,
        end: usize,
        kind: RepairKind,
        rule: impl Into<Rule>,
        to: impl Into<CompactString>,
    ) -> Edit {
        Edit::Replace(Repair {
            kind,
            rule: rule.into(),
            start,
            end,
            from: CompactString::const_new(""),
            to: to.into(),
        })
    }

    fn set_end(&mut self, end: usize) {
        match self {
            Edit::Remove(r) => r.end = end,
            Edit::Replace(r) => r.end = end,
        }
    }

    /// The repair's kind; `None` for a removal.
    pub fn kind(&self) -> Option<RepairKind> {
        match self {
            Edit::Remove(_) => None,
            Edit::Replace(r) => Some(r.kind),
        }
    }

    fn is_removal(&self) -> bool {
        matches!(self, Edit::Remove(_))
    }
}

/// A change to the decoded input as the rebuild reads it: the span it covers and
/// the text that stands in its place. Both [`Edit`]s (the analyzer's mix of removals
/// and repairs) and bare [`Repair`]s (the normalize stage's, which are its record as
/// they are made) are rebuilt from.
pub(crate) trait Change {
    fn start(&self) -> usize;
    fn end(&self) -> usize;
    /// What stands in place of the span: the replacement, or nothing.
    fn replacement(&self) -> &str;
}

impl Change for Edit {
    fn start(&self) -> usize {
        match self {
            Edit::Remove(r) => r.start,
            Edit::Replace(r) => r.start,
        }
    }

    fn end(&self) -> usize {
        match self {
            Edit::Remove(r) => r.end,
            Edit::Replace(r) => r.end,
        }
    }

    fn replacement(&self) -> &str {
        match self {
            Edit::Remove(_) => "",
            Edit::Replace(r) => &r.to,
        }
    }
}

impl Change for Repair {
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
    fn replacement(&self) -> &str {
        &self.to
    }
}

/// A repair made with its input text filled in (`input[start..end]`), so that it is
/// its record entry as it is made.
pub(crate) fn repair(
    input: &str,
    start: usize,
    end: usize,
    kind: RepairKind,
    rule: Rule,
    to: impl Into<CompactString>,
) -> Repair {
    Repair { kind, rule, start, end, from: input[start..end].into(), to: to.into() }
}

/// Are the spans valid (non-empty, on character boundaries of `input`), in order and
/// apart? Then [`settle`] has nothing to do, and they can be rebuilt from.
pub(crate) fn is_settled<E: Change>(input: &str, spans: &[E]) -> bool {
    spans
        .iter()
        .try_fold(0, |prev_end, e| (is_valid(input, e) && e.start() >= prev_end).then(|| e.end()))
        .is_some()
}

/// Is the span non-empty and on character boundaries of `input`?
fn is_valid<E: Change>(input: &str, e: &E) -> bool {
    let (start, end) = (e.start(), e.end());
    start < end
        && end <= input.len()
        && input.is_char_boundary(start)
        && input.is_char_boundary(end)
}

/// What the normalizer walks over: stretches of input to normalize, and fixed
/// replacement text that is final.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Piece<'a> {
    /// Untouched input starting at this byte offset of the input.
    Free { text: &'a str, at: usize },
    /// A repair's replacement, standing for the input span `at..at+len`.
    Fixed { text: &'a str, at: usize, len: usize },
}

/// Sorts edits and drops any that overlap an earlier-starting or removal edit, so the
/// result is a valid, non-overlapping sequence. Removals win over repairs they cover.
pub(crate) fn settle(input: &str, mut edits: Vec<Edit>) -> Vec<Edit> {
    // The normalizer's edits come valid, in order and apart: then they are settled
    // already, found in one pass over them where the passes below make four (on a
    // pinyin-dense text they are hundreds of megabytes).
    if is_settled(input, &edits) {
        return edits;
    }
    edits.retain(|e| is_valid(input, e));
    // Removals first at equal starts, then longer spans first.
    let order = |a: &Edit, b: &Edit| {
        a.start()
            .cmp(&b.start())
            .then_with(|| b.is_removal().cmp(&a.is_removal()).then(b.end().cmp(&a.end())))
    };
    // Edits usually arrive in order (the normalizer's do): a stable sort would still
    // allocate scratch space as large as the edits.
    if !edits.is_sorted_by(|a, b| order(a, b).is_le()) {
        edits.sort_by(order);
    }
    // Both passes compact in place: a document with a million annotations has a
    // million edits, and copies of them cost more than the work.
    let mut kept = 0;
    for r in 0..edits.len() {
        if kept > 0 && edits[r].start() < edits[kept - 1].end() {
            // Overlap: a removal swallows what it overlaps; otherwise the first wins.
            let (head, tail) = edits.split_at_mut(r);
            let (last, e) = (&mut head[kept - 1], &tail[0]);
            if let Edit::Remove(removal) = e {
                let end = last.end().max(removal.end);
                if last.is_removal() {
                    last.set_end(end);
                } else {
                    let rule = removal.rule;
                    *last = Edit::Remove(Removal {
                        rule,
                        start: last.start(),
                        end,
                        text: String::new(),
                    });
                }
            }
            continue;
        }
        // (Most edits stay where they are: no copy of them onto themselves.)
        if kept != r {
            edits.swap(kept, r);
        }
        kept += 1;
    }
    edits.truncate(kept);
    // A removal may have grown over later repairs: drop anything it now overlaps.
    let mut kept = 0;
    for r in 0..edits.len() {
        if kept > 0 && edits[r].start() < edits[kept - 1].end() {
            continue;
        }
        if kept != r {
            edits.swap(kept, r);
        }
        kept += 1;
    }
    edits.truncate(kept);
    edits
}

/// Merges `more` into `edits`, both sorted by start and apart from each other, in
/// place: each edit moves back once, straight to where it belongs, where a sort
/// would allocate scratch space as large as the edits. `placeholder` makes the
/// empty values that hold the room at the end until the edits move into it (it must
/// not allocate).
pub(crate) fn merge_sorted<E: Change>(
    edits: &mut Vec<E>,
    mut more: Vec<E>,
    placeholder: fn() -> E,
) {
    let n = edits.len();
    edits.resize_with(n + more.len(), placeholder);
    // From the back: the edits not yet placed are `edits[..i]` and `more`, and
    // `edits[k..]` is final; `k - i` is always `more.len()`.
    let (mut i, mut k) = (n, n + more.len());
    while let Some(last) = more.pop() {
        while i > 0 && edits[i - 1].start() > last.start() {
            i -= 1;
            k -= 1;
            edits.swap(i, k);
        }
        k -= 1;
        edits[k] = last;
    }
}

/// The input cut into pieces around settled edits, computed from the edits when asked
/// (a document with a million annotations would otherwise store two million pieces).
/// Piece `2j` is the untouched input before edit `j` (`2n`: after the last edit);
/// piece `2j + 1` is edit `j`'s replacement, empty for a removal. Pieces may be empty.
pub(crate) struct Pieces<'a, E = Edit> {
    input: &'a str,
    edits: &'a [E],
}

impl<E> Clone for Pieces<'_, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for Pieces<'_, E> {}

impl<'a, E: Change> Pieces<'a, E> {
    pub(crate) fn new(input: &'a str, edits: &'a [E]) -> Pieces<'a, E> {
        Pieces { input, edits }
    }

    pub(crate) fn len(&self) -> usize {
        2 * self.edits.len() + 1
    }

    /// Piece `k` (`k < len()`).
    pub(crate) fn get(&self, k: usize) -> Piece<'a> {
        let j = k / 2;
        if k % 2 == 0 {
            let from = j.checked_sub(1).map_or(0, |p| self.edits[p].end());
            let to = self.edits.get(j).map_or(self.input.len(), Change::start);
            // Settled edits leave a valid stretch between them (the normalize stage's
            // repairs are settled by construction, checked in debug builds and by the
            // fuzz targets): should that ever fail, the stretch is left out rather than
            // a panic taking the document down.
            Piece::Free { text: self.input.get(from..to).unwrap_or_default(), at: from }
        } else {
            let e = &self.edits[j];
            Piece::Fixed { text: e.replacement(), at: e.start(), len: e.end() - e.start() }
        }
    }

    /// The texts of the pieces after piece `k`, in order.
    pub(crate) fn texts_after(&self, k: usize) -> impl Iterator<Item = &'a str> + 'a
    where
        E: 'a,
    {
        let this = *self;
        (k + 1..self.len()).map(move |k| match this.get(k) {
            Piece::Free { text, .. } | Piece::Fixed { text, .. } => text,
        })
    }
}

/// Splits settled edits into the record's `removed` and `repairs`, filling in the
/// input text of each. The repairs take the edits' place in memory (the two types
/// are the same size; removals are few and moved out).
pub(crate) fn to_record(input: &str, edits: Vec<Edit>) -> (Vec<Removal>, Vec<Repair>) {
    let mut removed = Vec::new();
    let repairs = edits
        .into_iter()
        .filter_map(|e| match e {
            Edit::Remove(mut r) => {
                r.text = input[r.start..r.end].to_string();
                removed.push(r);
                None
            }
            Edit::Replace(mut r) => {
                // The normalize stage's repairs come filled in ([`repair`]).
                if r.from.is_empty() {
                    r.from = input[r.start..r.end].into();
                }
                Some(r)
            }
        })
        .collect();
    (removed, repairs)
}

/// Maps byte offsets of a produced text back to the input it was produced from.
///
/// The produced text is a sequence of segments, each made from one stretch of the
/// input: copied stretches correspond byte for byte; a replaced token (a converted
/// phrase, a full-width comma, a repair's text, a kept line break or space) corresponds
/// as a whole. Input that produced nothing (dropped spaces, removed spans) lies between
/// segments. [`OffsetMap::start_of`] maps where something starts, [`OffsetMap::end_of`]
/// where it ends, so a span maps to exactly the input it came from.
#[derive(Debug, Clone)]
pub struct OffsetMap {
    /// Offsets held in 32 bits while they fit (16 bytes a segment, and a
    /// pinyin-dense text has one per annotation), in 64 from the first that does
    /// not.
    segments: Segments,
}

#[derive(Debug, Clone)]
enum Segments {
    Narrow(SegmentList<u32>),
    Wide(SegmentList<usize>),
}

impl Default for OffsetMap {
    fn default() -> Self {
        OffsetMap::with_capacity(0)
    }
}

/// Calls `$f` with the map's segment list, whichever width it has.
macro_rules! with_list {
    ($map:expr, |$list:ident| $f:expr) => {
        match $map {
            Segments::Narrow($list) => $f,
            Segments::Wide($list) => $f,
        }
    };
}

impl OffsetMap {
    /// An empty map with room for `segments` segments.
    pub(crate) fn with_capacity(segments: usize) -> OffsetMap {
        let list = SegmentList { segs: Vec::with_capacity(segments), out_len: 0, input_len: 0 };
        OffsetMap { segments: Segments::Narrow(list) }
    }

    /// Records that the next `len` bytes of output (the output grows at its end) came
    /// from input `inp..in_end`.
    pub(crate) fn push(&mut self, len: usize, inp: usize, in_end: usize) {
        let pushed = with_list!(&mut self.segments, |list| list.push(len, inp, in_end));
        if !pushed {
            // An offset past 4 GiB: every segment from here on is held in 64 bits.
            if let Segments::Narrow(list) = &self.segments {
                self.segments = Segments::Wide(list.widen());
            }
            with_list!(&mut self.segments, |list| list.push(len, inp, in_end));
        }
    }

    /// Drops what lies at or after output offset `len` (the output was cut there).
    pub(crate) fn truncate(&mut self, len: usize) {
        with_list!(&mut self.segments, |list| list.truncate(len))
    }

    /// The input's length: where the end of the output maps.
    pub(crate) fn set_input_len(&mut self, len: usize) {
        with_list!(&mut self.segments, |list| list.input_len = len)
    }

    /// The input offset where output that starts at `out` comes from.
    pub fn start_of(&self, out: usize) -> usize {
        with_list!(&self.segments, |list| list.start_of(out))
    }

    /// The input offset where output that ends at `out` (exclusive) comes from.
    pub fn end_of(&self, out: usize) -> usize {
        with_list!(&self.segments, |list| list.end_of(out))
    }
}

/// A byte offset as a segment holds it.
trait Offset: Copy + std::fmt::Debug {
    /// The largest offset it holds.
    const MAX: usize;
    /// `v`, which is at most [`Offset::MAX`].
    fn of(v: usize) -> Self;
    fn get(self) -> usize;
}

impl Offset for u32 {
    const MAX: usize = u32::MAX as usize;
    fn of(v: usize) -> u32 {
        debug_assert!(v <= <u32 as Offset>::MAX);
        v as u32
    }
    fn get(self) -> usize {
        self as usize
    }
}

impl Offset for usize {
    const MAX: usize = usize::MAX;
    fn of(v: usize) -> usize {
        v
    }
    fn get(self) -> usize {
        self
    }
}

#[derive(Debug, Clone)]
struct SegmentList<T> {
    /// In output order. Every byte written is pushed with its segment at the end of
    /// the output, so a segment ends where the next starts and the last at
    /// `out_len`.
    segs: Vec<Seg<T>>,
    out_len: usize,
    input_len: usize,
}

/// Output from `out` (to where the next segment starts) made from input
/// `inp..in_end`: a token, its first `head` bytes of output, made from the start of
/// that input as a whole, then a copy of the rest byte for byte. A copy has no token
/// (`head` 0); a token alone has no copy.
///
/// The copy that follows a token joins its segment: in a pinyin-dense text every
/// repaired annotation is followed by a copy, and one segment for the two (16 bytes,
/// where two were 24) is a third less memory and half the segments written.
#[derive(Debug, Clone, Copy)]
struct Seg<T> {
    out: T,
    inp: T,
    in_end: T,
    head: T,
}

// What a pinyin-dense text's segment per annotation costs, as the docs say.
const _: () = assert!(std::mem::size_of::<Seg<u32>>() == 16);

impl<T: Offset> Seg<T> {
    fn out(&self) -> usize {
        self.out.get()
    }
    fn inp(&self) -> usize {
        self.inp.get()
    }
    fn in_end(&self) -> usize {
        self.in_end.get()
    }
    fn head(&self) -> usize {
        self.head.get()
    }
    /// Where the token's input ends and the copy's starts, given where the segment
    /// ends in the output: the copy is as long in the input as in the output.
    fn head_in_end(&self, out_end: usize) -> usize {
        let copy = out_end - self.out() - self.head();
        self.in_end().saturating_sub(copy).max(self.inp())
    }
}

impl SegmentList<u32> {
    fn widen(&self) -> SegmentList<usize> {
        let segs = self
            .segs
            .iter()
            .map(|s| Seg { out: s.out(), inp: s.inp(), in_end: s.in_end(), head: s.head() })
            .collect();
        SegmentList { segs, out_len: self.out_len, input_len: self.input_len }
    }
}

impl<T: Offset> SegmentList<T> {
    /// Where segment `k` ends in the output.
    fn out_end(&self, k: usize) -> usize {
        self.segs.get(k + 1).map_or(self.out_len, Seg::out)
    }

    /// [`OffsetMap::push`]; false (and nothing changed) if an offset does not fit `T`.
    fn push(&mut self, len: usize, inp: usize, in_end: usize) -> bool {
        if len == 0 {
            return true;
        }
        let out = self.out_len;
        // The output's new end and the input's end bound every offset pushed.
        if (out + len).max(in_end) > T::MAX {
            return false;
        }
        self.out_len += len;
        let copy = len == in_end - inp;
        if let Some(last) = self.segs.last_mut() {
            // A copy of the input that follows the last segment's joins it.
            if copy && last.in_end() == inp {
                last.in_end = T::of(in_end);
                return true;
            }
        }
        let head = if copy { 0 } else { len };
        self.segs.push(Seg {
            out: T::of(out),
            inp: T::of(inp),
            in_end: T::of(in_end),
            head: T::of(head),
        });
        true
    }

    fn truncate(&mut self, len: usize) {
        let keep = self.segs.partition_point(|s| s.out() < len);
        // Where the last segment kept ended before the cut.
        let old_end = keep.checked_sub(1).map_or(self.out_len, |k| self.out_end(k));
        self.segs.truncate(keep);
        if old_end > len {
            if let Some(last) = self.segs.last_mut() {
                if len - last.out() > last.head() {
                    // Cut in the copy: it loses what was cut (smaller than the offset
                    // it was: fits).
                    last.in_end = T::of(last.in_end() - (old_end - len));
                } else {
                    // Cut in the token (which still maps as a whole): no copy is left.
                    last.in_end = T::of(last.head_in_end(old_end));
                    last.head = T::of(len - last.out());
                }
            }
        }
        self.out_len = self.out_len.min(len);
    }

    fn start_of(&self, out: usize) -> usize {
        if out >= self.out_len {
            return self.input_len;
        }
        // The segment holding `out`: the last that starts at or before it.
        let k = self.segs.partition_point(|s| s.out() <= out);
        let Some(k) = k.checked_sub(1) else {
            return self.segs.first().map_or(self.input_len, Seg::inp);
        };
        let seg = &self.segs[k];
        let into = out - seg.out();
        if into < seg.head() {
            // In the token: where it starts.
            seg.inp()
        } else {
            seg.head_in_end(self.out_end(k)) + (into - seg.head())
        }
    }

    fn end_of(&self, out: usize) -> usize {
        if out == 0 {
            return self.segs.first().map_or(0, Seg::inp);
        }
        if out > self.out_len {
            return self.input_len;
        }
        // The segment holding the byte before `out`: the last that starts before it.
        let k = self.segs.partition_point(|s| s.out() < out);
        let Some(k) = k.checked_sub(1) else {
            return self.segs.first().map_or(self.input_len, Seg::inp);
        };
        let seg = &self.segs[k];
        let into = out - seg.out();
        // In the token, where it ends; in the copy, byte for byte.
        seg.head_in_end(self.out_end(k)) + into.saturating_sub(seg.head())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_fills_in_the_input_text_and_reuses_the_edits_memory() {
        let input = "紀(jì)委的頁腳";
        let edits = settle(
            input,
            vec![
                Edit::replace(0, 8, RepairKind::Pinyin, "pinyin.inline", "紀"),
                Edit::remove(14, 20, "footer"),
                // Swallowed by the removal that overlaps it.
                Edit::replace(17, 20, RepairKind::Despin, "despin", "脚"),
            ],
        );
        assert_eq!(edits.len(), 2);
        let (ptr, cap) = (edits.as_ptr() as usize, edits.capacity());
        let (removed, repairs) = to_record(input, edits);
        assert_eq!(removed.len(), 1);
        assert_eq!((removed[0].start, removed[0].end, removed[0].text.as_str()), (14, 20, "頁腳"));
        assert_eq!(repairs.len(), 1);
        assert_eq!((repairs[0].from.as_str(), repairs[0].to.as_str()), ("紀(jì)", "紀"));
        // The standard library collects a mapped vector of a same-sized type in place.
        assert_eq!((repairs.as_ptr() as usize, repairs.capacity()), (ptr, cap));
    }

    /// The map of output made of `pieces` (len, inp, in_end, copied) pushed in order,
    /// read piece by piece: a copy maps byte for byte, a token as a whole. What the
    /// map must answer however it stores them.
    fn map_by_pieces(
        pieces: &[(usize, usize, usize, bool)],
        input_len: usize,
        out: usize,
    ) -> (usize, usize) {
        let out_len: usize = pieces.iter().map(|p| p.0).sum();
        let mut at = 0;
        let mut holding = |o: usize| {
            at = 0;
            pieces
                .iter()
                .find(|p| {
                    at += p.0;
                    o < at
                })
                .map(|p| (p, at - p.0))
        };
        let start = match holding(out) {
            _ if out >= out_len => input_len,
            Some((p, from)) if p.3 => p.1 + (out - from),
            Some((p, _)) => p.1,
            None => input_len,
        };
        let end = match out.checked_sub(1).and_then(|o| holding(o).filter(|_| out <= out_len)) {
            _ if out == 0 => pieces.first().map_or(0, |p| p.1),
            Some((p, from)) if p.3 => p.1 + (out - from),
            Some((p, _)) => p.2,
            None => input_len,
        };
        (start, end)
    }

    /// A piece from its drawn numbers: (gap before it, shape, size, size) →
    /// (len, inp, in_end, copied). Copies (joined to the last piece or not), tokens
    /// (converted punctuation, repairs, an insertion from nothing, a replacement as
    /// long as its input).
    fn piece_at(
        inp: usize,
        (gap, shape, a, b): (usize, usize, usize, usize),
    ) -> (usize, usize, usize) {
        let inp = inp + [0, 0, 0, 1, 5][gap];
        match shape {
            0 | 1 => (1 + a % 9, inp, inp + 1 + a % 9),
            2 => (3, inp, inp + 1 + a),
            3 => (1 + b, inp, inp),
            4 => (3, inp, inp + 3),
            _ => (3 + b, inp, inp + 1 + b % 2),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Then the output cut, as trailing newlines are.
        #[test]
        fn the_map_answers_as_its_pieces_read_one_by_one(
            first in 0usize..3,
            drawn in proptest::collection::vec((0usize..5, 0usize..6, 0usize..12, 0usize..3), 0..12),
            tail in 0usize..4,
            cut_share in 0.0f64..=1.0,
        ) {
            let mut pieces = Vec::new();
            let mut inp = first;
            for d in drawn {
                let (len, a, b) = piece_at(inp, d);
                inp = b;
                // (A piece as long as its input maps byte for byte: it is a copy.)
                pieces.push((len, a, b, len == b - a));
            }
            let input_len = inp + tail;
            let mut map = OffsetMap::with_capacity(pieces.len() / 2);
            for &(len, a, b, _) in &pieces {
                map.push(len, a, b);
            }
            map.set_input_len(input_len);
            let out_len: usize = pieces.iter().map(|p| p.0).sum();
            for o in 0..=out_len + 1 {
                let want = map_by_pieces(&pieces, input_len, o);
                proptest::prop_assert_eq!((map.start_of(o), map.end_of(o)), want, "at {}", o);
            }
            // Cut, as the pieces would be.
            let cut = (out_len as f64 * cut_share) as usize;
            map.truncate(cut);
            let mut left = cut;
            let mut cut_pieces = Vec::new();
            for &(len, a, b, copied) in &pieces {
                if left == 0 {
                    break;
                }
                let keep = len.min(left);
                cut_pieces.push((keep, a, if copied { a + keep } else { b }, copied));
                left -= keep;
            }
            for o in 0..=cut + 1 {
                let want = map_by_pieces(&cut_pieces, input_len, o);
                proptest::prop_assert_eq!((map.start_of(o), map.end_of(o)), want, "at {} cut at {}", o, cut);
            }
        }
    }

    #[test]
    fn offsets_past_four_gib_widen_the_map() {
        // Input offsets past 4 GiB, after a narrow start.
        let g = 5_000_000_000usize;
        let mut map = OffsetMap::with_capacity(4);
        map.push(10, 0, 10);
        assert!(matches!(map.segments, Segments::Narrow(_)));
        map.push(3, g, g + 6); // a token
        map.push(4, g + 6, g + 10); // a copy
        map.set_input_len(g + 20);
        assert!(matches!(map.segments, Segments::Wide(_)));
        assert_eq!(map.start_of(5), 5);
        assert_eq!(map.end_of(10), 10);
        assert_eq!((map.start_of(11), map.end_of(12)), (g, g + 6));
        assert_eq!((map.start_of(14), map.end_of(17)), (g + 7, g + 10));
        assert_eq!(map.start_of(17), g + 20);
        map.truncate(15);
        assert_eq!(map.end_of(15), g + 8);
        // Output offsets past 4 GiB (a copy that long, and one that joins it).
        let mut map = OffsetMap::with_capacity(1);
        map.push(g, 0, g);
        map.push(2, g, g + 2);
        map.set_input_len(g + 2);
        assert_eq!(
            (map.start_of(g - 1), map.start_of(g + 1), map.end_of(g + 2)),
            (g - 1, g + 1, g + 2)
        );
    }

    #[test]
    fn merging_sorted_edits_in_place() {
        let at = |s: usize| Edit::remove(s, s + 1, "t");
        for (a, b) in [
            (vec![], vec![]),
            (vec![1, 3, 5], vec![]),
            (vec![], vec![0, 2]),
            (vec![1, 3, 5], vec![0, 2, 4, 6]),
            (vec![0, 1, 2], vec![7, 8]),
            (vec![7, 8], vec![0, 1, 2]),
            (vec![2, 9], vec![4, 5, 6]),
        ] {
            let mut edits: Vec<Edit> = a.iter().map(|&s| at(s)).collect();
            merge_sorted(&mut edits, b.iter().map(|&s| at(s)).collect(), || Edit::remove(0, 0, ""));
            let mut want: Vec<usize> = a.iter().chain(&b).copied().collect();
            want.sort();
            assert_eq!(edits.iter().map(Change::start).collect::<Vec<_>>(), want, "{a:?} {b:?}");
        }
    }

    #[test]
    fn a_removal_takes_over_a_repair_it_overlaps() {
        let input = "一二三四五";
        let edits = settle(
            input,
            vec![Edit::replace(0, 6, RepairKind::Typo, "typo", "甲乙"), Edit::remove(3, 12, "cut")],
        );
        assert_eq!(edits, vec![Edit::remove(0, 12, "cut")]);
    }
}
