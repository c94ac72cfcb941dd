//! Stage `outline`: the tree of numbered points of a speech, as a careful reader
//! draws it.
//!
//! 1. **Markers** are read at boundaries only: a line start, or after `。！？；：`
//!    (and after `，` for inline lists: `一是…，二是…`), never inside quotation marks or
//!    book titles. Families: `一、` `（一）` `1.` `1、` `（1）` `①`, `第一，` `第一、`
//!    `第一条` `第一部分` `第一个方面` `第一件事` `第一个注意`, `一是` `一要`,
//!    `一方面…另一方面`, `首先` `其次` `再次` `再者` `最后`, numerals up to 二十.
//!    `第N` counts only with one of those endings, so 第一书记, 第一责任人, 第一时间 and
//!    the agenda's 第一项 are never points.
//! 2. **The tree** is built in document order with a stack of open lists. A marker
//!    that continues an open list in sequence is a sibling; a list that starts at 1 is
//!    a child of the open point; 其次/再次/再者/最后 continue a 第N list (sharing sites
//!    write 其次 for 第二). A marker that breaks the sequence inside a point is not a
//!    point (`一是一，二是二`, a stray `二要`); at the top level it is kept and warned
//!    about (a page that starts at 四、, a point hidden by an elision). Levels come
//!    from the order families appear in the speech; a family's usual rank (GB/T 9704:
//!    一、 > （一） > 1. > （1）, inline lists lowest) only decides whether a new list
//!    closes the lower lists still open.
//! 3. **An inline preview** right after the announcement (`讲三个问题：一是…二是…三是…`)
//!    is dropped when sections follow; so are markers inside the 提纲 block.
//! 4. **Headings**: the lead clause after the marker, cut at `。！？；：`, a line break,
//!    or where a flattened heading runs into its body.

use regex::Regex;

use crate::record::Point;

/// The outline of one speech.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline {
    /// The count the speaker announces for the top level (讲四点意见 → 4).
    pub announced_points: Option<u32>,
    /// The points, as a tree; offsets are into the text given to [`Outliner::outline`].
    pub points: Vec<Point>,
    /// What a reader should double-check.
    pub warnings: Vec<String>,
}

/// A marker family: what makes two markers siblings.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Family {
    CnDun,
    CnParen,
    ArDot,
    ArDun,
    ArParen,
    Circled,
    /// 第N with its ending (，、是 → "", 条, 部分, 个方面, 个注意 …).
    Di(String),
    Shi,
    Yao,
    Fangmian,
    /// 首先 其次 再次 再者 最后.
    Seq,
}

impl Family {
    /// Usual rank, lower is higher in the tree.
    fn rank(&self) -> u8 {
        match self {
            Family::Di(s) if s == "部分" => 0,
            Family::CnDun | Family::Di(_) => 1,
            Family::Seq => 2,
            Family::CnParen => 2,
            Family::ArDot | Family::ArDun => 3,
            Family::ArParen => 4,
            Family::Circled => 5,
            Family::Shi | Family::Yao | Family::Fangmian => 6,
        }
    }

    /// Can a marker of `other` continue a list of `self`?
    fn continues(&self, other: &Family) -> bool {
        self == other
            || matches!((self, other), (Family::Di(a), Family::Seq) | (Family::Seq, Family::Di(a)) if a.is_empty())
    }

    /// Inline list families, which may follow a comma.
    fn inline(&self) -> bool {
        matches!(self, Family::Shi | Family::Yao | Family::Seq | Family::Fangmian)
    }
}

/// A marker found in the text.
#[derive(Debug, Clone)]
struct Marker {
    /// Byte offset of the marker in the text.
    pos: usize,
    /// Byte length of the marker (with its `，` / `、` if any).
    len: usize,
    family: Family,
    /// The number it stands for; None for 最后 (resolved in the tree).
    ordinal: Option<u32>,
    /// At the start of a line.
    line_start: bool,
}

/// A marker's Chinese numeral: 一 to 二十 (两 is never a marker).
fn cn_numeral(s: &str) -> Option<(u32, usize)> {
    if s.starts_with('两') {
        return None;
    }
    crate::numeral::chinese(s).filter(|&(v, _)| v <= 20)
}

/// A marker's Arabic numeral: one or two digits.
fn ar_numeral(s: &str) -> Option<(u32, usize)> {
    crate::numeral::arabic(s).filter(|&(_, len)| len <= 2)
}

/// Endings of 第N that make it a point marker, longest first; the rest (书记, 责任人,
/// 时间, 项, 次, 轮 …) are not.
const DI_ENDINGS: &[&str] = &["个方面", "个问题", "个注意", "部分", "方面", "件事", "条", "点"];

/// The marker at the start of `s`, if any: (byte length, family, ordinal).
fn parse_marker(s: &str) -> Option<(usize, Family, Option<u32>)> {
    let tail_punct = |rest: &str| -> usize {
        match rest.chars().next() {
            Some('，') | Some('、') => 3,
            _ => 0,
        }
    };
    if let Some(rest) = s.strip_prefix('第') {
        let (n, nl) = cn_numeral(rest)?;
        let after = &rest[nl..];
        let base = '第'.len_utf8() + nl;
        if after.starts_with('，') || after.starts_with('、') {
            return Some((base + 3, Family::Di(String::new()), Some(n)));
        }
        // 第二要…, 第三是…: the ordinal alone is the marker, 要/是 opens the heading.
        if after.starts_with('要') || after.starts_with('是') {
            return Some((base, Family::Di(String::new()), Some(n)));
        }
        if let Some(e) = DI_ENDINGS.iter().find(|e| after.starts_with(**e)) {
            let len = base + e.len();
            return Some((
                len + tail_punct(&after[e.len()..]),
                Family::Di((*e).to_string()),
                Some(n),
            ));
        }
        // 第一个X： / 第一个X， — a named ordinal (第一个注意) of one to three characters.
        if let Some(x) = after.strip_prefix('个') {
            let word: String =
                x.chars().take_while(|c| crate::normalize::pinyin::is_han(*c)).take(4).collect();
            let wl = word.len();
            if (3..=9).contains(&wl) && x[wl..].starts_with(['：', '，']) {
                let len = base + '个'.len_utf8() + wl;
                return Some((
                    len + tail_punct(&x[wl..]),
                    Family::Di(format!("个{word}")),
                    Some(n),
                ));
            }
        }
        return None;
    }
    if let Some(rest) = s.strip_prefix('（') {
        if let Some((n, nl)) = cn_numeral(rest) {
            if rest[nl..].starts_with('）') {
                return Some((3 + nl + 3, Family::CnParen, Some(n)));
            }
        }
        if let Some((n, nl)) = ar_numeral(rest) {
            if rest[nl..].starts_with('）') {
                return Some((3 + nl + 3, Family::ArParen, Some(n)));
            }
        }
        return None;
    }
    if let Some(c) = s.chars().next() {
        if ('①'..='⑳').contains(&c) {
            return Some((
                c.len_utf8() + tail_punct(&s[c.len_utf8()..]),
                Family::Circled,
                Some(c as u32 - '①' as u32 + 1),
            ));
        }
    }
    for (word, n, fam) in [
        ("另一方面", Some(2), Family::Fangmian),
        ("一方面", Some(1), Family::Fangmian),
        ("首先", Some(1), Family::Seq),
        ("其次", Some(2), Family::Seq),
        ("再次", Some(3), Family::Seq),
        ("再者", Some(3), Family::Seq),
        ("最后", None, Family::Seq),
    ] {
        if let Some(rest) = s.strip_prefix(word) {
            // 首先， 首先要 首先是; not 首先进 (a verb phrase would follow directly).
            if rest.starts_with(['，', '、', '要', '是', '：']) {
                return Some((word.len() + tail_punct(rest), fam, n));
            }
            return None;
        }
    }
    if let Some((n, nl)) = cn_numeral(s) {
        let rest = &s[nl..];
        if rest.starts_with('、') {
            return Some((nl + 3, Family::CnDun, Some(n)));
        }
        if let Some(after) = rest.strip_prefix('是') {
            // 一是一，二是二: the numeral again is not a list.
            if cn_numeral(after).is_some_and(|(m, _)| m == n) {
                return None;
            }
            return Some((nl + 3 + tail_punct(after), Family::Shi, Some(n)));
        }
        if let Some(after) = rest.strip_prefix('要') {
            // 一要再要: not a list.
            if after.starts_with('再') {
                return None;
            }
            return Some((nl + 3 + tail_punct(after), Family::Yao, Some(n)));
        }
        return None;
    }
    if let Some((n, nl)) = ar_numeral(s) {
        let rest = &s[nl..];
        if rest.starts_with('、') {
            return Some((nl + 3, Family::ArDun, Some(n)));
        }
        for dot in ['.', '．'] {
            if let Some(after) = rest.strip_prefix(dot) {
                // 1.5, 2023.6 are numbers.
                if !after.starts_with(|c: char| c.is_ascii_digit()) {
                    return Some((nl + dot.len_utf8(), Family::ArDot, Some(n)));
                }
            }
        }
    }
    None
}

/// The stage. Build once.
#[derive(Debug)]
pub struct Outliner {
    announcement: Regex,
}

impl Default for Outliner {
    fn default() -> Self {
        Outliner::new()
    }
}

/// A point under construction.
#[derive(Debug, Clone)]
struct Node {
    marker: Marker,
    ordinal: u32,
    children: Vec<usize>,
    level: u32,
}

impl Outliner {
    /// Compiles the patterns.
    pub fn new() -> Outliner {
        Outliner {
            announcement: Regex::new(
                r"((讲|谈|提|强调|汇报|交流)(一下)?[^，。；：]{0,8}?|作)([一二两三四五六七八九十]{1,3}|[0-9]{1,2}|几)(点|个方面|方面|个问题|个部分|部分|条|个字)",
            )
            .expect("announcement pattern"),
        }
    }

    /// All markers of `text[body]`, at boundaries, outside quotations.
    fn markers(&self, text: &str, from: usize, to: usize) -> Vec<Marker> {
        let mut out = Vec::new();
        let mut depth = 0i32; // quotation / book-title depth
        let mut boundary = true; // at a line start
        let mut line_start = true;
        let mut after_comma = false;
        let mut i = from;
        while i < to {
            let s = &text[i..to];
            let Some(c) = s.chars().next() else { break };
            if (boundary || after_comma) && depth == 0 && c != ' ' && c != '\u{3000}' {
                if let Some((len, family, ordinal)) = parse_marker(s) {
                    if boundary || family.inline() {
                        out.push(Marker { pos: i, len, family, ordinal, line_start });
                        i += len;
                        boundary = false;
                        after_comma = false;
                        line_start = false;
                        continue;
                    }
                }
            }
            match c {
                '“' | '「' | '《' | '『' => depth += 1,
                '”' | '」' | '》' | '』' => depth = (depth - 1).max(0),
                '\n' => depth = 0,
                _ => {}
            }
            if c == ' ' || c == '\u{3000}' {
                i += c.len_utf8();
                continue;
            }
            line_start = c == '\n';
            boundary = matches!(c, '\n' | '。' | '！' | '？' | '；' | '：' | '】');
            after_comma = c == '，';
            i += c.len_utf8();
        }
        out
    }

    /// Outlines the speech `text[start..end]`; `summary` is the span of its 提纲 block
    /// (markers there are not points); `truncated` when the text is known to be cut.
    pub fn outline(
        &self,
        text: &str,
        start: usize,
        end: usize,
        summary: Option<(usize, usize)>,
        truncated: bool,
    ) -> Outline {
        let mut out = Outline::default();
        let mut markers = self.markers(text, start, end);
        if let Some((s, e)) = summary {
            markers.retain(|m| m.pos < s || m.pos >= e);
        }
        // The first line-start marker of a high family opens the sections; an inline
        // run before it, in the same paragraph as an announcement, is a preview.
        let first_section = markers.iter().position(|m| m.line_start && m.family.rank() <= 3);
        let announcement_zone_end = first_section.map_or(end, |k| markers[k].pos);
        let body_from = summary.map_or(start, |(_, e)| e.max(start));
        // The announcement is the last count before the sections (`下面，我讲两点意见`).
        let announcement = self
            .announcement
            .captures_iter(&text[body_from..announcement_zone_end.max(body_from)])
            .last();
        if let Some(c) = &announcement {
            let n = &c[4];
            out.announced_points = match n {
                "几" => None,
                _ => cn_numeral(if n == "两" { "二" } else { n })
                    .filter(|(_, l)| *l == n.len() || n == "两")
                    .map(|(v, _)| v)
                    .or_else(|| n.parse().ok()),
            };
        }
        if let (Some(k), Some(c)) = (first_section, &announcement) {
            let ann_end = body_from + c.get(0).map_or(0, |m| m.end());
            let preview: Vec<usize> = (0..k)
                .filter(|&j| {
                    let m = &markers[j];
                    m.pos >= ann_end && !m.line_start && !text[ann_end..m.pos].contains('\n')
                })
                .collect();
            if preview.len() >= 2 {
                for j in preview.into_iter().rev() {
                    markers.remove(j);
                }
            }
        }

        // Build the tree.
        let mut nodes: Vec<Node> = Vec::new();
        let mut roots: Vec<usize> = Vec::new();
        // Open lists: (family, last ordinal, node index).
        let mut stack: Vec<(Family, u32, usize)> = Vec::new();
        let mut warnings = Vec::new();
        for m in markers {
            let found = stack.iter().rposition(|(f, _, _)| f.continues(&m.family));
            let mut accepted: Option<(usize, u32)> = None; // (depth to attach at, ordinal)
            if let Some(d) = found {
                let last = stack[d].1;
                let k = m.ordinal.unwrap_or(last + 1);
                if k == last + 1 {
                    accepted = Some((d, k));
                } else if d == 0 && k > last + 1 {
                    warnings.push(format!(
                        "top-level numbering skips from {last} to {k} at “{}”",
                        &text[m.pos..m.pos + m.len]
                    ));
                    accepted = Some((0, k));
                } else if k == 1 && d == 0 && m.line_start {
                    warnings.push(format!(
                        "top-level numbering restarts at “{}”",
                        &text[m.pos..m.pos + m.len]
                    ));
                    accepted = Some((0, 1));
                }
                if let Some((d, k)) = accepted {
                    stack.truncate(d);
                    let parent = stack.last().map(|s| s.2);
                    let level = d as u32 + 1;
                    let idx = push_node(&mut nodes, &mut roots, parent, m.clone(), k, level);
                    stack.push((m.family.clone(), k, idx));
                }
                continue;
            }
            let k = match m.ordinal {
                Some(k) => k,
                None => continue, // 最后 with no list to end
            };
            // A new list: close open lists of a lower or equal usual rank first.
            while stack.last().is_some_and(|(f, _, _)| f.rank() > m.family.rank()) {
                stack.pop();
            }
            if k != 1 {
                if !stack.is_empty() {
                    continue; // out of sequence inside a point: not a point
                }
                if roots.is_empty() {
                    warnings.push(format!(
                        "top level starts at “{}” (ordinal {k}): earlier points are missing",
                        &text[m.pos..m.pos + m.len]
                    ));
                } else {
                    continue;
                }
            } else if stack.is_empty() && !roots.is_empty() {
                // A second top-level family starting at 1 after the first: a restart.
                warnings.push(format!(
                    "top-level numbering restarts at “{}”",
                    &text[m.pos..m.pos + m.len]
                ));
            }
            let parent = stack.last().map(|s| s.2);
            let level = stack.len() as u32 + 1;
            let idx = push_node(&mut nodes, &mut roots, parent, m.clone(), k, level);
            stack.push((m.family.clone(), k, idx));
        }

        // Points, spans and headings.
        let points = build_points(text, end, &nodes, &roots);
        let top = points.len() as u32;
        if let Some(a) = out.announced_points {
            if a != top {
                warnings.push(format!("announced {a} points, found {top}"));
            }
        }
        if truncated {
            warnings.push("the text is cut: points may be missing".to_string());
        }
        out.points = points;
        out.warnings = warnings;
        out
    }

    /// Compares a 提纲 block with the top level found and says where they disagree.
    pub fn compare_summary(&self, summary: &str, points: &[Point]) -> Option<String> {
        let marks = self.markers(summary, 0, summary.len());
        let top_family = marks.iter().map(|m| &m.family).min_by_key(|f| f.rank())?;
        let listed: Vec<u32> =
            marks.iter().filter(|m| &m.family == top_family).filter_map(|m| m.ordinal).collect();
        let found: Vec<u32> = points.iter().map(|p| p.ordinal).collect();
        (listed != found).then(|| {
            format!(
                "the summary lists {} top-level points, the body has {}",
                listed.len(),
                found.len()
            )
        })
    }
}

fn push_node(
    nodes: &mut Vec<Node>,
    roots: &mut Vec<usize>,
    parent: Option<usize>,
    marker: Marker,
    ordinal: u32,
    level: u32,
) -> usize {
    let idx = nodes.len();
    nodes.push(Node { marker, ordinal, children: Vec::new(), level });
    match parent {
        Some(p) => nodes[p].children.push(idx),
        None => roots.push(idx),
    }
    idx
}

/// Turns the nodes into points: a point runs to the next point at its level or above.
fn build_points(text: &str, end: usize, nodes: &[Node], roots: &[usize]) -> Vec<Point> {
    fn build(text: &str, nodes: &[Node], ids: &[usize], end: usize) -> Vec<Point> {
        let mut out = Vec::with_capacity(ids.len());
        for (k, &id) in ids.iter().enumerate() {
            let n = &nodes[id];
            let stop = ids.get(k + 1).map_or(end, |&next| nodes[next].marker.pos);
            let m = &n.marker;
            let mut p_end = stop;
            while p_end > m.pos && text.as_bytes()[p_end - 1].is_ascii_whitespace() {
                p_end -= 1;
            }
            out.push(Point {
                marker: text[m.pos..m.pos + m.len].to_string(),
                level: n.level,
                ordinal: n.ordinal,
                heading: heading(&text[m.pos + m.len..p_end]),
                start: m.pos,
                end: p_end,
                children: build(text, nodes, &n.children, stop),
            });
        }
        out
    }
    build(text, nodes, roots, end)
}

/// Words that open a body sentence: where a flattened heading runs into its body.
const BODY_OPENERS: &[&str] = &[
    "各乡镇",
    "各部门",
    "各单位",
    "各地",
    "各级",
    "各县",
    "各区",
    "各村",
    "今年",
    "去年",
    "当前",
    "目前",
    "近年来",
    "近期",
    "我们",
    "全县",
    "全市",
    "全区",
    "全镇",
    "全省",
    "这次",
    "这是",
    "实践证明",
    "大家",
];

/// Words that end a heading: where a flattened heading without an opener stops.
const HEADING_ENDERS: &[&str] = &[
    "到位",
    "见效",
    "实效",
    "落地",
    "落实",
    "安全",
    "质量",
    "水平",
    "能力",
    "作用",
    "底线",
    "红线",
    "责任感",
    "使命感",
    "紧迫感",
    "积极性",
    "主动权",
    "新局面",
    "新成效",
    "高质量发展",
    "生态",
    "环境",
];

/// The lead clause of a point: up to `。！？；：`, a line break, or where a long
/// comma-less run shows a flattened heading running into its body.
fn heading(s: &str) -> String {
    let s = s.trim_start_matches([' ', '\u{3000}', '：', '，']);
    let mut cut = s.find(['。', '！', '？', '；', '：', '\n']).unwrap_or(s.len());
    // A space between Chinese characters is a line break the page lost.
    if let Some(sp) = s[..cut].find(' ') {
        if s[..sp].chars().count() >= 4
            && s[sp + 1..].chars().next().is_some_and(crate::normalize::pinyin::is_han)
        {
            cut = sp;
        }
    }
    let h = &s[..cut];
    let h = h.trim_end_matches(['，', '、', ' ']);
    if h.chars().count() <= 20 {
        return h.to_string();
    }
    // Flattened: keep clauses while they are heading-sized; in the first long clause,
    // cut where a body sentence opens.
    let mut out = String::new();
    for (k, clause) in h.split('，').enumerate() {
        let n = clause.chars().count();
        if n <= 20 && k < 3 {
            if !out.is_empty() {
                out.push('，');
            }
            out.push_str(clause);
            continue;
        }
        let skip = clause.char_indices().nth(4).map_or(clause.len(), |(i, _)| i);
        let opener =
            BODY_OPENERS.iter().filter_map(|w| clause[skip..].find(w).map(|i| i + skip)).min();
        // Or after the last heading-final word within the first 18 characters.
        let limit = clause.char_indices().nth(18).map_or(clause.len(), |(i, _)| i);
        let ender = HEADING_ENDERS
            .iter()
            .filter_map(|w| clause[..limit].rfind(w).map(|i| i + w.len()))
            .filter(|&e| e >= skip && e < clause.len())
            .max();
        // A heading-final word only cuts a run that is clearly too long for a
        // heading; a 26-character heading is still a heading.
        let total = h.chars().count();
        let keep = match (opener, ender) {
            (Some(o), _) => Some(o),
            (None, Some(e)) if total > 30 => Some(e),
            (None, _) if n <= 30 => Some(clause.len()),
            _ => None,
        };
        if let Some(i) = keep {
            if !out.is_empty() {
                out.push('，');
            }
            out.push_str(&clause[..i]);
        } else if out.is_empty() {
            out.push_str(clause);
        }
        break;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_parse() {
        assert!(matches!(parse_marker("一、提高"), Some((_, Family::CnDun, Some(1)))));
        assert!(matches!(parse_marker("十二、加强"), Some((_, Family::CnDun, Some(12)))));
        assert!(matches!(parse_marker("（三）强化"), Some((_, Family::CnParen, Some(3)))));
        assert!(matches!(parse_marker("第一，要"), Some((_, Family::Di(_), Some(1)))));
        assert!(matches!(parse_marker("其次，坚持"), Some((_, Family::Seq, Some(2)))));
        assert!(parse_marker("第一书记要").is_none());
        assert!(parse_marker("第一责任人").is_none());
        assert!(parse_marker("第一项：请").is_none());
        assert!(parse_marker("一是一，二是二").is_none());
        assert!(parse_marker("2023.6").is_none());
        assert!(matches!(parse_marker("1.加强"), Some((_, Family::ArDot, Some(1)))));
        assert!(matches!(parse_marker("第一个注意：注意"), Some((_, Family::Di(_), Some(1)))));
    }

    #[test]
    fn headings() {
        assert_eq!(heading("提高政治站位，旗帜鲜明讲政治\n巡察"), "提高政治站位，旗帜鲜明讲政治");
        assert_eq!(heading("瞄准方向。就是"), "瞄准方向");
    }
}
