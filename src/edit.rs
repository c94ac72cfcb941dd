//! Edits of the decoded input and the offset map between output and input.
//!
//! Every stage that changes text says so as an [`Edit`] on the decoded input: a span
//! removed, or a span replaced. The normalizer then rebuilds the text from the input and
//! the edits ([`crate::normalize::Normalizer::apply`]), so that the record's `text` is by
//! construction what the contract's reconstruction rule yields from `removed` and
//! `repairs`.

use compact_str::CompactString;

use crate::record::{Removal, Repair, RepairKind};

/// One change to the decoded input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    pub start: usize,
    pub end: usize,
    pub op: EditOp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EditOp {
    /// Delete the span.
    Remove { rule: &'static str },
    /// Put `to` (final text, not normalized again) in place of the span. Mostly a
    /// character or two: held inline, no allocation per repair.
    Replace { kind: RepairKind, rule: &'static str, to: CompactString },
}

impl Edit {
    pub fn remove(start: usize, end: usize, rule: &'static str) -> Edit {
        Edit { start, end, op: EditOp::Remove { rule } }
    }

    pub fn replace(
        start: usize,
        end: usize,
        kind: RepairKind,
        rule: &'static str,
        to: impl Into<CompactString>,
    ) -> Edit {
        Edit { start, end, op: EditOp::Replace { kind, rule, to: to.into() } }
    }
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
    edits.retain(|e| {
        e.start < e.end
            && e.end <= input.len()
            && input.is_char_boundary(e.start)
            && input.is_char_boundary(e.end)
    });
    // Removals first at equal starts, then longer spans first.
    let order = |a: &Edit, b: &Edit| {
        a.start.cmp(&b.start).then_with(|| {
            let ra = matches!(a.op, EditOp::Remove { .. });
            let rb = matches!(b.op, EditOp::Remove { .. });
            rb.cmp(&ra).then(b.end.cmp(&a.end))
        })
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
        if kept > 0 && edits[r].start < edits[kept - 1].end {
            // Overlap: a removal swallows what it overlaps; otherwise the first wins.
            let (head, tail) = edits.split_at_mut(r);
            let (last, e) = (&mut head[kept - 1], &tail[0]);
            if let EditOp::Remove { rule } = e.op {
                match last.op {
                    EditOp::Remove { .. } => last.end = last.end.max(e.end),
                    EditOp::Replace { .. } => {
                        last.end = last.end.max(e.end);
                        last.op = EditOp::Remove { rule };
                    }
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
        if kept > 0 && edits[r].start < edits[kept - 1].end {
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

/// The input cut into pieces around settled edits, computed from the edits when asked
/// (a document with a million annotations would otherwise store two million pieces).
/// Piece `2j` is the untouched input before edit `j` (`2n`: after the last edit);
/// piece `2j + 1` is edit `j`'s replacement, empty for a removal. Pieces may be empty.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pieces<'a> {
    input: &'a str,
    edits: &'a [Edit],
}

impl<'a> Pieces<'a> {
    pub(crate) fn new(input: &'a str, edits: &'a [Edit]) -> Pieces<'a> {
        Pieces { input, edits }
    }

    pub(crate) fn len(&self) -> usize {
        2 * self.edits.len() + 1
    }

    /// Piece `k` (`k < len()`).
    pub(crate) fn get(&self, k: usize) -> Piece<'a> {
        let j = k / 2;
        if k % 2 == 0 {
            let from = j.checked_sub(1).map_or(0, |p| self.edits[p].end);
            let to = self.edits.get(j).map_or(self.input.len(), |e| e.start);
            Piece::Free { text: &self.input[from..to], at: from }
        } else {
            let e = &self.edits[j];
            let text = match &e.op {
                EditOp::Replace { to, .. } => to.as_str(),
                EditOp::Remove { .. } => "",
            };
            Piece::Fixed { text, at: e.start, len: e.end - e.start }
        }
    }

    /// The texts of the pieces after piece `k`, in order.
    pub(crate) fn texts_after(&self, k: usize) -> impl Iterator<Item = &'a str> + 'a {
        let this = *self;
        (k + 1..self.len()).map(move |k| match this.get(k) {
            Piece::Free { text, .. } | Piece::Fixed { text, .. } => text,
        })
    }
}

/// Splits settled edits into the record's `removed` and `repairs` (taking the
/// replacement texts over rather than copying them).
pub(crate) fn to_record(input: &str, edits: Vec<Edit>) -> (Vec<Removal>, Vec<Repair>) {
    let removals = edits.iter().filter(|e| matches!(e.op, EditOp::Remove { .. })).count();
    let mut removed = Vec::with_capacity(removals);
    let mut repairs = Vec::with_capacity(edits.len() - removals);
    for e in edits {
        let from = &input[e.start..e.end];
        match e.op {
            EditOp::Remove { rule } => removed.push(Removal {
                rule: rule.into(),
                start: e.start,
                end: e.end,
                text: from.to_string(),
            }),
            EditOp::Replace { kind, rule, to } => repairs.push(Repair {
                kind,
                rule: rule.into(),
                start: e.start,
                end: e.end,
                from: from.into(),
                to,
            }),
        }
    }
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
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    /// In output order. Every byte written is pushed with its segment at the end of
    /// the output, so a segment ends where the next starts and the last at
    /// `out_len`: 24 bytes a segment instead of 32, and a pinyin-dense text has two
    /// per annotation.
    segs: Vec<Seg>,
    out_len: usize,
    input_len: usize,
}

#[derive(Debug, Clone, Copy)]
struct Seg {
    out: usize,
    inp: usize,
    in_end: usize,
}

impl OffsetMap {
    /// An empty map with room for `segments` segments.
    pub(crate) fn with_capacity(segments: usize) -> OffsetMap {
        OffsetMap { segs: Vec::with_capacity(segments), out_len: 0, input_len: 0 }
    }

    /// Where segment `k` ends in the output.
    fn out_end(&self, k: usize) -> usize {
        self.segs.get(k + 1).map_or(self.out_len, |s| s.out)
    }

    /// Does segment `k`, ending at `out_end`, correspond byte for byte (a copy, or a
    /// token of the same length)?
    fn exact(seg: &Seg, out_end: usize) -> bool {
        out_end - seg.out == seg.in_end - seg.inp
    }

    /// Records that the next `len` bytes of output (the output grows at its end) came
    /// from input `inp..in_end`.
    pub(crate) fn push(&mut self, len: usize, inp: usize, in_end: usize) {
        if len == 0 {
            return;
        }
        let out = self.out_len;
        self.out_len += len;
        if let Some(last) = self.segs.last_mut() {
            // Merge consecutive copies.
            if Self::exact(last, out) && last.in_end == inp && len == in_end - inp {
                last.in_end = in_end;
                return;
            }
        }
        self.segs.push(Seg { out, inp, in_end });
    }

    /// Drops what lies at or after output offset `len` (the output was cut there).
    pub(crate) fn truncate(&mut self, len: usize) {
        let keep = self.segs.partition_point(|s| s.out < len);
        // Where the last segment kept ended before the cut.
        let old_end = keep.checked_sub(1).map_or(self.out_len, |k| self.out_end(k));
        self.segs.truncate(keep);
        if old_end > len {
            if let Some(last) = self.segs.last_mut() {
                if Self::exact(last, old_end) {
                    last.in_end -= old_end - len;
                }
            }
        }
        self.out_len = self.out_len.min(len);
    }

    /// The input's length: where the end of the output maps.
    pub(crate) fn set_input_len(&mut self, len: usize) {
        self.input_len = len;
    }

    /// The input offset where output that starts at `out` comes from.
    pub fn start_of(&self, out: usize) -> usize {
        if out >= self.out_len {
            return self.input_len;
        }
        // The segment holding `out`: the last that starts at or before it.
        let k = self.segs.partition_point(|s| s.out <= out);
        let Some(k) = k.checked_sub(1) else {
            return self.segs.first().map_or(self.input_len, |s| s.inp);
        };
        let seg = &self.segs[k];
        if out == seg.out || !Self::exact(seg, self.out_end(k)) {
            seg.inp
        } else {
            seg.inp + (out - seg.out)
        }
    }

    /// The input offset where output that ends at `out` (exclusive) comes from.
    pub fn end_of(&self, out: usize) -> usize {
        if out == 0 {
            return self.segs.first().map_or(0, |s| s.inp);
        }
        if out > self.out_len {
            return self.input_len;
        }
        // The segment holding the byte before `out`: the last that starts before it.
        let k = self.segs.partition_point(|s| s.out < out);
        let Some(k) = k.checked_sub(1) else {
            return self.segs.first().map_or(self.input_len, |s| s.inp);
        };
        let seg = &self.segs[k];
        if Self::exact(seg, self.out_end(k)) {
            seg.inp + (out - seg.out)
        } else {
            seg.in_end
        }
    }
}
