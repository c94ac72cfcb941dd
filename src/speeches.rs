//! Stage `speeches`: one file, several speeches.
//!
//! Sharing sites glue speeches together, sometimes without a line break. A new speech
//! starts at
//! - a title line followed by a salutation (`同志们：`) after speech text;
//! - a bare `……` followed by an opening (`按照…安排`, `今天我们召开…会`): an elision that
//!   joined the cut end of one speech to the start of the next (the first is then
//!   truncated);
//! - an opening sentence (`今天，我们召开…会，主要任务是…`) right after a closing
//!   exhortation (`同志们，…！`) of a speech that is already long.
//!
//! Each speech gets its title (the title line before its salutation, if any) and its
//! 提纲 / 内容提要 summary block.

use regex::Regex;

/// A speech found in the text: byte offsets into the text it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeechSpan {
    /// Inclusive start.
    pub start: usize,
    /// Exclusive end.
    pub end: usize,
    /// Title line, if the speech has one.
    pub title: Option<String>,
    /// The 提纲 / 内容提要 block before the body, if any.
    pub summary: Option<String>,
    /// Byte span of the summary block in the text, if any.
    pub summary_span: Option<(usize, usize)>,
    /// True when the speech was cut by an elision that joined it to the next.
    pub cut_by_elision: bool,
}

/// The splitter. Build once.
#[derive(Debug)]
pub struct Splitter {
    salutation: Regex,
    title_words: Regex,
    opening_after_elision: Regex,
    opening_sentence: Regex,
    summary: Regex,
    closing_paragraph: Regex,
    closing: Regex,
    compilation_prefix: Regex,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter::new()
    }
}

/// A 提纲 / 内容提要 block's first line (also read by the boilerplate stage).
pub(crate) const SUMMARY: &str =
    r"^(【(提纲|内容提要|提要|摘要|导读|编者按)】|(提纲|内容提要|摘要|编者按)[：:])";

/// A speech's closing formula at a line end (also read by the boilerplate stage).
pub(crate) const CLOSING: &str =
    r"(谢谢大家|谢谢|批评指正|发言完毕|讲话完毕|我就讲这些|就讲到这里)[。！!]?[”」]?$";

fn rx(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| panic!("speeches pattern {p:?}: {e}"))
}

impl Splitter {
    /// Compiles the patterns.
    pub fn new() -> Splitter {
        Splitter {
            // A salutation opens a speech with a colon; `同志们，…` closes one.
            salutation: rx(r"^(同志们|各位(领导|代表|委员|同志|同事)|尊敬的)[^。，]{0,30}[：:]"),
            title_words: rx(
                r"(讲话|发言|致辞|讲稿|党课|报告|提纲|主持词|表态|演讲|动员|会议上|会上|座谈|述职)",
            ),
            opening_after_elision: rx(
                r"^\s*(按照[^。]{0,40}安排|根据[^。]{0,40}(安排|部署)|今天[，,]?(我们)?(在这里)?召开|今天召开|受[^。]{0,20}委托|同志们[：:，,])",
            ),
            opening_sentence: rx(r"今天[，,]?我们(在这里)?召开[^。！]{2,60}会[^。！]{0,10}[，,]"),
            summary: rx(SUMMARY),
            closing_paragraph: rx(r"(^|\n)同志们[，,][^\n]{10,400}$"),
            closing: rx(CLOSING),
            compilation_prefix: rx(r"^第[一二三四五六七八九十\d]+篇[：:]\s*"),
        }
    }

    fn is_title(&self, line: &str) -> bool {
        let t = line.trim();
        let n = t.chars().count();
        (4..=80).contains(&n)
            && self.title_words.is_match(t)
            && !t.ends_with(['。', '；', '，', '：', '！', '？'])
            && !self.salutation.is_match(t)
            && !self.summary.is_match(t)
    }

    /// Splits `text` into speeches. An empty text has none.
    pub fn split(&self, text: &str) -> Vec<SpeechSpan> {
        if text.trim().is_empty() {
            return Vec::new();
        }
        // (start, cut_by_elision of the previous speech)
        let mut starts: Vec<(usize, bool)> = vec![(0, false)];
        let lines: Vec<(usize, &str)> = {
            let mut v = Vec::new();
            let mut pos = 0;
            for l in text.split('\n') {
                v.push((pos, l));
                pos += l.len() + 1;
            }
            v
        };
        let mut seen_body = false;
        for (idx, &(pos, line)) in lines.iter().enumerate() {
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            // A salutation after speech text, with a title line before it or right
            // after the closing formula of the speech before.
            if seen_body && self.salutation.is_match(t) {
                let prev = lines[..idx].iter().rev().take(3).find(|(_, l)| !l.trim().is_empty());
                let last = starts.last().map_or(0, |s| s.0);
                match prev {
                    Some(&(tpos, l)) if self.is_title(l) && tpos > last => {
                        starts.push((tpos, false))
                    }
                    Some(&(_, l)) if self.closing.is_match(l.trim()) && pos > last => {
                        starts.push((pos, false))
                    }
                    _ => {}
                }
            }
            if t.chars().count() > 30 || t.contains('。') {
                seen_body = true;
            }
            // An elision that joins two speeches.
            let mut search = 0;
            while let Some(off) = line[search..].find("……") {
                let at = search + off;
                let after = &line[at + "……".len()..];
                search = at + "……".len();
                if at == 0 || after.trim().is_empty() {
                    continue;
                }
                if self.opening_after_elision.is_match(after) {
                    let start = pos + at + "……".len();
                    starts.push((start, true));
                }
            }
            // An opening sentence right after a closing exhortation.
            for m in self.opening_sentence.find_iter(line) {
                let abs = pos + m.start();
                let last = starts.last().map_or(0, |s| s.0);
                if abs <= last || abs - last < 1500 {
                    continue;
                }
                let before = &text[last..abs];
                let preceded_by_sentence_end =
                    before.trim_end().ends_with(['。', '！', '？']) || before.ends_with('\n');
                if preceded_by_sentence_end && self.closing_paragraph.is_match(before.trim_end()) {
                    starts.push((abs, false));
                }
            }
        }
        starts.sort_by_key(|s| s.0);
        starts.dedup_by_key(|s| s.0);
        let mut out = Vec::with_capacity(starts.len());
        for (k, &(start, _)) in starts.iter().enumerate() {
            let (end, cut) = match starts.get(k + 1) {
                Some(&(next, cut)) => (next, cut),
                None => (text.len(), false),
            };
            // Trim whitespace at the end of the span.
            let mut e = end;
            while e > start && text.as_bytes()[e - 1].is_ascii_whitespace() {
                e -= 1;
            }
            let mut span = SpeechSpan {
                start,
                end: e,
                title: None,
                summary: None,
                summary_span: None,
                cut_by_elision: cut,
            };
            self.describe(text, &mut span);
            out.push(span);
        }
        out
    }

    /// Title and summary of a speech: the head lines before its salutation or body.
    fn describe(&self, text: &str, span: &mut SpeechSpan) {
        let body = &text[span.start..span.end];
        let mut lines: Vec<(usize, &str)> = Vec::new();
        let mut pos = span.start;
        for line in body.split('\n') {
            lines.push((pos, line));
            pos += line.len() + 1;
        }
        let mut k = 0;
        let mut prev: Option<&str> = None;
        while k < lines.len() && k <= 8 {
            let (line_start, line) = lines[k];
            let t = line.trim();
            k += 1;
            if t.is_empty() {
                continue;
            }
            if self.salutation.is_match(t) {
                break;
            }
            if span.summary.is_none() && self.summary.is_match(t) {
                // A 提纲 block: its line, and the outline lines under a bare heading.
                let off = line.len() - line.trim_start().len();
                let first = line_start + off;
                let mut last = first + t.len();
                let mut parts = vec![t.to_string()];
                while k < lines.len() {
                    let (ls, l) = lines[k];
                    let lt = l.trim();
                    if lt.is_empty()
                        || self.salutation.is_match(lt)
                        || lt.chars().count() > 80
                        || lt.contains('。')
                            && !lt.starts_with([
                                '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '（',
                            ])
                    {
                        break;
                    }
                    parts.push(lt.to_string());
                    last = ls + (l.len() - l.trim_start().len()) + lt.len();
                    k += 1;
                }
                span.summary = Some(parts.join("\n"));
                span.summary_span = Some((first, last));
                prev = Some(t);
                continue;
            }
            // A subtitle (——在…上的讲话) after a title that has no title words.
            if t.starts_with("——") && span.title.is_none() {
                if let Some(p) = prev {
                    if p.chars().count() <= 60 && !p.ends_with(['。', '；', '：']) {
                        span.title = Some(p.to_string());
                    }
                }
                prev = Some(t);
                continue;
            }
            if span.title.is_none() && span.summary.is_none() && self.is_title(t) {
                span.title = Some(self.compilation_prefix.replace(t, "").into_owned());
                prev = Some(t);
                continue;
            }
            // A flattened page: `标题 日期 同志们：…` on one line.
            if span.title.is_none() {
                if let Some(at) = t.find(" 同志们") {
                    let head = &t[..at];
                    if let Some(seg) = head.split(' ').rfind(|s| self.is_title(s)) {
                        span.title = Some(seg.to_string());
                    }
                    break;
                }
            }
            // A title line that repeats after the summary (seed 002) is not body.
            if span.title.as_deref() == Some(t) {
                prev = Some(t);
                continue;
            }
            if t.chars().count() > 80 || t.contains('。') {
                break;
            }
            prev = Some(t);
        }
    }
}
