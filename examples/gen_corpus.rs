//! Deterministic benchmark-corpus generator: scraped-looking Chinese political speeches with
//! the damage real scrapes carry, built from the repository's own clean texts.
//!
//! ```text
//! # 100 MB in one file (documents separated by a blank line); manifest: /tmp/big.txt.manifest.json
//! cargo run --release --example gen_corpus -- --mb 100 --seed 1 --out /tmp/big.txt
//! # 1000 MB in 10,000 files /tmp/big1g/00/00000.txt … /tmp/big1g/09/09999.txt (1,000 per
//! # subdirectory); manifest: /tmp/big1g/manifest.json
//! cargo run --release --example gen_corpus -- --mb 1000 --seed 1 --files 10000 --dir /tmp/big1g
//! ```
//!
//! Options: `--mb N` (size; 1 MB = 1,000,000 bytes), `--seed S` (default 1), and either
//! `--out FILE` or `--dir DIR` with `--files N` (default 1000; with 1,000 files or fewer they
//! sit directly in DIR). Write into a fresh directory: nothing is deleted, old files stay.
//!
//! **Deterministic.** The output is a pure function of the arguments and of the repository
//! files it reads: same arguments and same checkout → byte-identical output on any machine
//! (integer-only arithmetic, no hash-map iteration, no clock, sorted directory listings, CRLF
//! checkouts read as LF). The PRNG is splitmix64 (Steele, Lea & Flood 2014; the constants of
//! Vigna's public-domain reference code); every document gets its own stream, seeded from
//! `--seed` and the document's index. The manifest records an FNV-1a 64 hash of all inputs
//! (`inputs_fnv1a64`) and of the output bytes (`output_fnv1a64`, files in name order), so two
//! runs can be compared without the data (the manifest's `seconds` is the one field that
//! changes from run to run).
//!
//! **Inputs** (read at run time under `CARGO_MANIFEST_DIR`; a missing or non-UTF-8 file is
//! reported by name, exit code 2): the clean speeches `corpus/spin/*.orig.txt`,
//! `corpus/outline/*.txt` and `corpus/elements/*.txt`; the five raw seeds `corpus/raw/*.txt`;
//! `src/data/opencc/STCharacters.txt` and `TWVariants.txt`; `src/data/despin.tsv`. The pinyin
//! table is harvested from the `字(pīn)` annotations of `corpus/raw/001_af57640b325e6b46.txt` (Traditional
//! characters; their Simplified forms are found through `STCharacters.txt`).
//!
//! **Documents.** Documents are appended until less than 3 KB of the target is left; each
//! document's drawn size is capped by what is left (of the file's share in `--dir` mode),
//! and the very last one is cut at a line boundary if it would overshoot by more than 0.5 %.
//! So the total lands between −3 KB and +0.5 % of the target. A document is ~3 KB to ~60 KB
//! (smaller when capped). Rates below are per generated document, i.e. of the ~90 % that are
//! not seed copies, and are drawn independently:
//!
//! | damage | rate | what it is |
//! |---|---|---|
//! | seed copy | 10 % of all | one of `corpus/raw/*.txt` verbatim (mojibake, pinyin, Traditional, boilerplate); replaced by a generated document when it does not fit in what is left or the file is GB18030/Big5, so ~8 % in the 1 GB directory |
//! | base text | always | a clean speech (title kept, or one is made up), lengthened with runs of 1–4 paragraphs borrowed from other clean texts until it reaches a drawn size of 2.6–28 KB (the clean texts are only 0.4–3.6 KB) |
//! | glued | 10 % | two such speeches in one file, each with its title; a third of them as a compilation `…（共2篇）` with `第一篇：`/`第二篇：` |
//! | site wrapper | 70 % | a header of 2–6 furniture lines and a footer of 1–5 items (navigation, `.docx` names, 由会员分享 lines, metadata bars, 下载文档, 客服QQ, 本文由…上传, 关键词, 相关推荐 lists, 上一篇/下一篇, copyright, `第1页/共N页`) |
//! | truncation | ~1/3 of wrapped | when the footer opens with a preview wall (`预览结束，全文N字，当前显示N字，还剩N字`, `还剩N页未读`, …) the last speech is cut at 55–90 % of its characters, with the real counts in the wall |
//! | spun | 10 % | each occurrence of an original collocation of `src/data/despin.tsv` is replaced by its spun form with probability 1/2 |
//! | Traditional | 30 % | all text, wrapper included, converted character by character with the first candidate of `STCharacters.txt` |
//! | mixed script | 5 % | only the title and body paragraphs drawn with probability 1/2 converted |
//! | pinyin | 15 % | 5–20 % (drawn per document) of the title and body characters that have a harvested reading get an inline `字(pīn)` |
//! | page markers | 20 % | 1–5 sentences broken between two Han characters by a newline and `N、` (N = 2, 3, …), followed by the rest of the text directly (70 %) or by a newline |
//! | GB18030 / Big5 | 3 % / 2 % of files, `--dir` only | every document of the file encoded with `encoding_rs`; Big5 files hold Traditional documents in Taiwan forms (`TWVariants.txt` after `STCharacters.txt`: 為 群 眾 裡, which Big5 has) without pinyin, and no seed copies. Unencodable characters become HTML numeric references. A single `--out` file is always UTF-8. |
//!
//! In `--dir` mode every file holds one or more whole documents separated by a blank line: a
//! file gets documents until the running total is within 3 KB of its share of the target
//! (`--mb`/`--files`, ~100 KB for the 1 GB corpus). With more files than that fills (shares
//! well under 3 KB) every file still gets one short document and the total exceeds the target.
//! Order of operations in a document: build speeches → truncate (wall) → spin →
//! Traditional/mixed → pinyin → page markers → encode.
//!
//! A one-line summary goes to stderr; the counts go to the manifest (`<out>.manifest.json` or
//! `<dir>/manifest.json`). Counts of the last document are those before a final cut.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// 1 MB = 1,000,000 bytes.
const MB: u64 = 1_000_000;

// Rates, per mille of generated documents (files for the encodings).
const SEED_RATE: u64 = 100;
const GLUED_RATE: u64 = 100;
const COMPILATION_RATE: u64 = 333;
const WRAPPER_RATE: u64 = 700;
const SPIN_RATE: u64 = 100;
const SPIN_SWAP: u64 = 500;
const TRADITIONAL_RATE: u64 = 300;
const MIXED_RATE: u64 = 50;
const MIXED_LINE: u64 = 500;
const PINYIN_RATE: u64 = 150;
const PAGE_MARKER_RATE: u64 = 200;
const PAGE_MARKER_NEWLINE: u64 = 300;
const GB18030_FILE_RATE: u64 = 30;
const BIG5_FILE_RATE: u64 = 20;

/// No new document is started in a file when less than this is left of its share.
const MIN_DOC: u64 = 3000;

/// Body sizes in bytes: a bucket is drawn uniformly, then a size uniformly inside it.
const SIZE_BUCKETS: &[(u64, u64)] =
    &[(2600, 4000), (4000, 6000), (6000, 9000), (9000, 13000), (13000, 19000), (19000, 28000)];

const PINYIN_SOURCE: &str = "corpus/raw/001_af57640b325e6b46.txt";
const ST_TABLE: &str = "src/data/opencc/STCharacters.txt";
const TW_TABLE: &str = "src/data/opencc/TWVariants.txt";
const DESPIN_TABLE: &str = "src/data/despin.tsv";

const USAGE: &str = "usage: gen_corpus --mb N [--seed S] (--out FILE | --dir DIR [--files N])
  --mb N       target size in MB (1 MB = 1,000,000 bytes), N >= 1
  --seed S     PRNG seed (default 1); same arguments -> same bytes
  --out FILE   one UTF-8 file, documents separated by a blank line
  --dir DIR    a directory of N files (00000.txt ...), subdirectories of 1,000 above 1,000 files
  --files N    number of files in --dir mode (default 1000)";

// ---------------------------------------------------------------- PRNG

/// splitmix64: a 64-bit counter stepped by the golden-ratio constant, then mixed.
/// Small, fast, full period 2^64, and identical on every platform.
struct Rng(u64);

impl Rng {
    /// An independent stream for (`seed`, `stream`, `index`).
    fn derive(seed: u64, stream: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        let a = r.next_u64();
        let mut r = Rng(a ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        Rng(r.next_u64())
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (multiply-shift; the bias is below 2^-40 for the `n` used here).
    fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// `k` distinct indices of `0..n`, in increasing order.
    fn subset(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for i in 0..k {
            let j = i + self.index(n - i);
            all.swap(i, j);
        }
        all.truncate(k);
        all.sort_unstable();
        all
    }
}

// Stream identifiers for `Rng::derive`.
const DOC_STREAM: u64 = 1;
const FILE_STREAM: u64 = 2;

/// FNV-1a, 64 bits: fingerprints of the inputs and the output.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

// ---------------------------------------------------------------- inputs

/// A clean speech: its title line (if it has one) and its other lines.
struct Speech {
    title: Option<String>,
    body: Vec<String>,
}

struct Data {
    speeches: Vec<Speech>,
    /// Per speech, the paragraphs that may be borrowed into another speech.
    paragraphs: Vec<Vec<String>>,
    seeds: Vec<String>,
    /// Simplified → Traditional, first candidate.
    st: HashMap<char, char>,
    /// OpenCC standard Traditional → Taiwan form (爲→為, 羣→群), for the Big5 files.
    tw: HashMap<char, char>,
    /// Han character (Traditional or Simplified) → pinyin with tone marks.
    pinyin: HashMap<char, String>,
    /// First character of an original collocation → (original, spun forms), longest first.
    spin: HashMap<char, Vec<(String, Vec<String>)>>,
    inputs_hash: u64,
}

struct Loader {
    root: PathBuf,
    hash: Fnv,
}

impl Loader {
    fn read(&mut self, rel: &str) -> Result<String, String> {
        let path = self.root.join(rel);
        let bytes = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("{} is not valid UTF-8", path.display()))?;
        // A checkout with CRLF line ends (git autocrlf) must give the same corpus.
        let text = if text.contains('\r') { text.replace("\r\n", "\n") } else { text };
        self.hash.update(rel.as_bytes());
        self.hash.update(&[0]);
        self.hash.update(text.as_bytes());
        self.hash.update(&[0]);
        Ok(text)
    }

    /// Relative paths of the files of `rel_dir` whose name ends with `suffix`, sorted.
    fn list(&self, rel_dir: &str, suffix: &str) -> Result<Vec<String>, String> {
        let dir = self.root.join(rel_dir);
        let entries = fs::read_dir(&dir)
            .map_err(|e| format!("cannot read directory {}: {e}", dir.display()))?;
        let mut names = Vec::new();
        for entry in entries {
            let entry =
                entry.map_err(|e| format!("cannot read directory {}: {e}", dir.display()))?;
            if let Some(name) = entry.file_name().to_str() {
                if name.ends_with(suffix) {
                    names.push(name.to_string());
                }
            }
        }
        if names.is_empty() {
            return Err(format!("no *{suffix} files in {}", dir.display()));
        }
        names.sort();
        Ok(names.into_iter().map(|n| format!("{rel_dir}/{n}")).collect())
    }
}

const SALUTATIONS: &[&str] = &["同志们", "尊敬的", "各位"];
const TITLE_WORDS: &[&str] =
    &["讲话", "发言", "党课", "报告", "材料", "讲稿", "致辞", "主持词", "讲话稿"];

fn looks_like_title(line: &str) -> bool {
    line.chars().count() <= 40
        && !line.contains('。')
        && !SALUTATIONS.iter().any(|s| line.starts_with(s))
        && TITLE_WORDS.iter().any(|w| line.contains(w))
}

fn parse_speech(text: &str) -> Speech {
    let mut lines: Vec<String> =
        text.lines().map(|l| l.trim_end().to_string()).filter(|l| !l.trim().is_empty()).collect();
    let title =
        if lines.len() > 1 && looks_like_title(&lines[0]) { Some(lines.remove(0)) } else { None };
    Speech { title, body: lines }
}

/// Body lines that read well inside another speech: no salutation, not a whole flattened speech.
fn borrowable(speech: &Speech) -> Vec<String> {
    speech
        .body
        .iter()
        .map(|l| l.strip_prefix("同志们：").unwrap_or(l))
        .filter(|l| {
            l.chars().count() >= 20
                && l.len() <= 1500
                && !SALUTATIONS.iter().any(|s| l.starts_with(s))
        })
        .map(str::to_string)
        .collect()
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ".contains(c)
}

/// `字(pīn)` annotations of `text`: the most frequent reading of each character wins, ties
/// go to the reading that sorts first.
fn harvest_pinyin(text: &str) -> BTreeMap<char, String> {
    let mut seen: BTreeMap<char, BTreeMap<String, u32>> = BTreeMap::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i + 2 < chars.len() {
        if is_han(chars[i]) && chars[i + 1] == '(' {
            let mut j = i + 2;
            while j < chars.len() && is_pinyin_letter(chars[j]) {
                j += 1;
            }
            if j > i + 2 && j < chars.len() && chars[j] == ')' {
                let reading: String = chars[i + 2..j].iter().collect();
                *seen.entry(chars[i]).or_default().entry(reading).or_default() += 1;
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    seen.into_iter()
        .filter_map(|(c, readings)| {
            let mut best: Option<(&String, u32)> = None;
            for (r, &n) in &readings {
                if best.is_none_or(|(_, m)| n > m) {
                    best = Some((r, n));
                }
            }
            best.map(|(r, _)| (c, r.clone()))
        })
        .collect()
}

/// The one-character pairs of an OpenCC table (`key<TAB>value [value …]`), first value, in
/// file order, first occurrence of a key only.
fn char_pairs(table: &str) -> Vec<(char, char)> {
    let mut seen = std::collections::HashSet::new();
    let mut pairs = Vec::new();
    for line in table.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(key), Some(values)) = (cols.next(), cols.next()) else { continue };
        let mut key_chars = key.chars();
        let (Some(k), None) = (key_chars.next(), key_chars.next()) else { continue };
        let Some(first) = values.split_whitespace().next() else { continue };
        let mut value_chars = first.chars();
        let (Some(v), None) = (value_chars.next(), value_chars.next()) else { continue };
        if seen.insert(k) {
            pairs.push((k, v));
        }
    }
    pairs
}

fn load(root: &Path) -> Result<Data, String> {
    let mut loader = Loader { root: root.to_path_buf(), hash: Fnv::new() };

    let mut speech_files = loader.list("corpus/spin", ".orig.txt")?;
    speech_files.extend(loader.list("corpus/outline", ".txt")?);
    speech_files.extend(loader.list("corpus/elements", ".txt")?);
    let mut speeches = Vec::new();
    for rel in &speech_files {
        let speech = parse_speech(&loader.read(rel)?);
        if !speech.body.is_empty() {
            speeches.push(speech);
        }
    }
    if speeches.is_empty() {
        return Err("no clean speech text found under corpus/".into());
    }
    let paragraphs = speeches.iter().map(borrowable).collect();

    let seed_files = loader.list("corpus/raw", ".txt")?;
    let mut seeds = Vec::new();
    let mut pinyin_source = None;
    for rel in &seed_files {
        let mut text = loader.read(rel)?;
        if !text.ends_with('\n') {
            text.push('\n');
        }
        if rel == PINYIN_SOURCE {
            pinyin_source = Some(text.clone());
        }
        seeds.push(text);
    }
    let pinyin_source = pinyin_source
        .ok_or_else(|| format!("cannot read {}: missing", root.join(PINYIN_SOURCE).display()))?;

    let st_order = char_pairs(&loader.read(ST_TABLE)?);
    let tw_order = char_pairs(&loader.read(TW_TABLE)?);
    for (pairs, rel) in [(&st_order, ST_TABLE), (&tw_order, TW_TABLE)] {
        if pairs.is_empty() {
            return Err(format!("{} holds no conversion pairs", root.join(rel).display()));
        }
    }
    let st: HashMap<char, char> = st_order.iter().copied().collect();
    let tw: HashMap<char, char> = tw_order.iter().copied().collect();

    let harvested = harvest_pinyin(&pinyin_source);
    if harvested.is_empty() {
        return Err(format!(
            "no 字(pīn) annotations found in {}",
            root.join(PINYIN_SOURCE).display()
        ));
    }
    let mut pinyin: HashMap<char, String> =
        harvested.iter().map(|(&c, r)| (c, r.clone())).collect();
    for &(simplified, traditional) in &st_order {
        if let Some(reading) = harvested.get(&traditional) {
            pinyin.entry(simplified).or_insert_with(|| reading.clone());
        }
    }

    let mut by_original: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in loader.read(DESPIN_TABLE)?.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        if let (Some(spun), Some(original)) = (cols.next(), cols.next()) {
            if !spun.is_empty() && !original.is_empty() && spun != original {
                by_original.entry(original.to_string()).or_default().push(spun.to_string());
            }
        }
    }
    if by_original.is_empty() {
        return Err(format!("{} holds no collocations", root.join(DESPIN_TABLE).display()));
    }
    let mut spin: HashMap<char, Vec<(String, Vec<String>)>> = HashMap::new();
    for (original, spuns) in by_original {
        if let Some(first) = original.chars().next() {
            spin.entry(first).or_default().push((original, spuns));
        }
    }
    for list in spin.values_mut() {
        // Longest original first; the BTreeMap order breaks ties, so this is deterministic.
        list.sort_by_key(|(o, _)| std::cmp::Reverse(o.len()));
    }

    Ok(Data { speeches, paragraphs, seeds, st, tw, pinyin, spin, inputs_hash: loader.hash.0 })
}

// ---------------------------------------------------------------- vocabulary of the wrappers

const SITES: &[&str] = &[
    "淘文阁",
    "文鼎文库",
    "道客巴巴",
    "原创力文档",
    "百度文库",
    "人人文库",
    "文海文库",
    "公文派",
    "范文先生网",
    "笔杆子文库",
    "第一范文站",
    "好文网",
    "写文帮文库",
    "材料之家",
];
const USERS: &[&str] = &[
    "wenku_88",
    "春风化雨",
    "公文小助手",
    "zhangsan2019",
    "hy_1024",
    "笔杆子",
    "材料王",
    "一叶知秋",
    "lilei_76",
    "xxx",
];
const PROVINCES: &[&str] = &["京", "沪", "粤", "浙", "苏", "鲁", "豫", "川", "鄂", "湘"];
const KEYWORDS: &[&str] = &[
    "巡察",
    "整改",
    "讲话",
    "动员",
    "部署",
    "会议",
    "党建",
    "乡村振兴",
    "安全生产",
    "营商环境",
    "主题教育",
    "党风廉政",
    "防汛",
    "干部",
    "监督",
    "落实",
    "发言",
    "工作",
];
const RELATED_HEADS: &[&str] = &["相关推荐", "相关文章", "猜你喜欢", "相关文档", "推荐阅读"];

const SCOPES: &[&str] =
    &["全市", "全县", "全区", "市委", "县委", "区委", "全省", "全局", "全系统", "市政府", "县政府"];
const TOPICS: &[&str] = &[
    "巡察工作",
    "巡视整改",
    "党风廉政建设",
    "安全生产",
    "乡村振兴",
    "优化营商环境",
    "干部队伍建设",
    "生态环境保护",
    "防汛抗旱",
    "主题教育",
    "政务服务",
    "经济运行分析",
    "基层党建",
    "教育工作",
    "信访工作",
    "民生实事",
    "机关作风建设",
];
const MEETINGS: &[&str] = &[
    "动员部署会",
    "推进会",
    "会议",
    "专题会议",
    "座谈会",
    "总结表彰大会",
    "调度会",
    "专题研讨会",
    "警示教育大会",
];
const TITLE_ENDS: &[&str] = &[
    "上的讲话",
    "上的讲话",
    "上的讲话",
    "上的讲话稿",
    "上的表态发言",
    "上的主持讲话",
    "上的交流发言",
];
const SPEAKERS: &[&str] = &["xxx同志", "市委书记", "县委书记", "xx书记", "局长", "区长"];

/// Header lines, in page order; each slot lists alternatives.
const HEADER: &[&[&str]] = &[
    &["{site}", "{site} - 分享文档赚钱的网站", "{site}——免费范文大全"],
    &[
        "到{site}首页",
        "首页 | 工作总结 | 工作计划 | 讲话稿 | 心得体会 | 述职报告 | 调研报告 | 致辞",
        "网站首页 个人文档 工作总结 述职报告 心得体会 演讲稿 讲话致辞 实用文 公文",
    ],
    &[
        "首页 > 范文 > 讲话稿",
        "您当前的位置：首页 > 范文大全 > 领导讲话",
        "当前位置：首页 » 公文写作 » 讲话致辞",
        "首页 > 办公文档 > 讲话致辞 > {title}.docx",
    ],
    &["{title}.docx", "{title}.doc", "{title}（{pages}页）.pdf"],
    &["《{title}.docx》由会员分享，可在线阅读，更多相关《{title}.docx({pages}页珍藏版)》请在{site}上搜索。"],
    &[
        "文档编号：{id} | 上传时间：{date} | 格式：DOCX | 页数：{pages} | 大小：{kb}KB | 积分：{small}",
        "上传人：{user}　上传时间：{date}　浏览次数：{n}　格式：DOC　页数：{pages}",
    ],
    &[
        "发布时间：{date} {time} 字数：{n}",
        "时间：{date}　来源：网友投稿　作者：佚名　点击：{n}",
        "栏目: 讲话致辞 / 发布于: {date} / 人气:{n}",
    ],
    &["本文由{user}上传，仅供学习交流使用", "本文由{user}上传于{date}，版权归原作者所有"],
    &["下载文档", "点击下载本文档", "VIP免费下载　下载券：{small}", "立即下载　收藏　举报"],
    &["客服QQ：{qq}", "客服QQ：{qq}　客服热线：{phone}", "咨询QQ{qq}"],
    &["字体：【大 中 小】　打印本页　关闭窗口", "分享到：微信 QQ空间 新浪微博", "分享 收藏 举报 版权申诉"],
    &[
        "下面是小编为大家整理的{title}，供大家参考借鉴，希望可以帮助到有需要的朋友。",
        "以下是{site}为大家整理的{title}，欢迎阅读参考。",
    ],
];

/// Preview walls; a footer that opens with one truncates the last speech.
const WALLS: &[&str] = &[
    "预览结束，全文{total}字，当前显示{shown}字，还剩{rest}字",
    "还剩{restpages}页未读，继续阅读",
    "试读结束，如需阅读全文请点击下载",
    "阅读已结束，下载本文需要{small}下载券",
    "剩余{rest}字未读，开通VIP免费下载全文",
];

/// Footer items, in page order (slot 0 is the wall); an item may span several lines.
const FOOTER: &[&[&str]] = &[
    WALLS,
    &["第1页/共{pages}页", "第 1 页 共 {pages} 页"],
    &["下载文档", "下载全文", "下载此文档(WORD版)", "  下载全文  "],
    &["关键词：{kw}", "- 关 键 词：\n- {kw}", "标签：{kw}"],
    &[
        "本文由{user}上传，仅供学习交流，如有侵权请联系删除。",
        "本站部分内容来自网络，如有侵权请联系删除。",
        "声明：本文为网友投稿，不代表本站观点。",
    ],
    &["客服QQ：{qq}", "客服电话：{phone}　客服QQ：{qq}"],
    &["上一篇：{rtitle}\n下一篇：{rtitle}"],
    &["{related}\n{rlist}"],
    &[
        "Copyright © {year}-2025 {site} 版权所有　{prov}ICP备{id}号",
        "{site} © 2008-2025 版权所有 | 客服中心 | 侵权投诉",
    ],
];

fn gen_title(rng: &mut Rng) -> String {
    let mut t = String::new();
    if rng.chance(200) {
        t.push_str(rng.pick(SPEAKERS));
    }
    t.push('在');
    if rng.chance(300) {
        t.push_str(&format!("{}年", rng.range(2016, 2025)));
    }
    t.push_str(rng.pick(SCOPES));
    t.push_str(rng.pick(TOPICS));
    t.push_str(rng.pick(MEETINGS));
    t.push_str(rng.pick(TITLE_ENDS));
    t
}

/// What the placeholders of one document's wrapper refer to.
struct Ctx {
    site: &'static str,
    title: String,
    pages: u64,
    total: usize,
    shown: usize,
}

fn fill(template: &str, ctx: &Ctx, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else { break };
        let name = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        match name {
            "site" => out.push_str(ctx.site),
            "title" => out.push_str(&ctx.title),
            "pages" => out.push_str(&ctx.pages.to_string()),
            "total" => out.push_str(&ctx.total.to_string()),
            "shown" => out.push_str(&ctx.shown.to_string()),
            "rest" => out.push_str(&(ctx.total - ctx.shown).to_string()),
            "restpages" => out.push_str(&((ctx.total - ctx.shown) / 600 + 1).to_string()),
            "date" => out.push_str(&format!(
                "{}-{:02}-{:02}",
                rng.range(2015, 2025),
                rng.range(1, 12),
                rng.range(1, 28)
            )),
            "time" => out.push_str(&format!(
                "{:02}:{:02}:{:02}",
                rng.range(0, 23),
                rng.range(0, 59),
                rng.range(0, 59)
            )),
            "year" => out.push_str(&rng.range(2008, 2018).to_string()),
            "n" => out.push_str(&rng.range(100, 99_999).to_string()),
            "small" => out.push_str(&rng.range(1, 50).to_string()),
            "id" => out.push_str(&rng.range(10_000_000, 99_999_999).to_string()),
            "kb" => out.push_str(&format!("{}.{:02}", rng.range(12, 98), rng.range(0, 99))),
            "qq" => out.push_str(&rng.range(10_000_000, 3_999_999_999).to_string()),
            "phone" => {
                out.push_str(&format!("400-{:03}-{:04}", rng.range(100, 999), rng.range(0, 9999)))
            }
            "user" => out.push_str(rng.pick(USERS)),
            "prov" => out.push_str(rng.pick(PROVINCES)),
            "kw" => {
                let k = rng.range(3, 6) as usize;
                let words: Vec<&str> =
                    rng.subset(KEYWORDS.len(), k).into_iter().map(|i| KEYWORDS[i]).collect();
                out.push_str(&words.join(" "));
            }
            "related" => out.push_str(rng.pick(RELATED_HEADS)),
            "rtitle" => out.push_str(&gen_title(rng)),
            "rlist" => {
                let k = rng.range(2, 4);
                for i in 0..k {
                    if i > 0 {
                        out.push('\n');
                    }
                    out.push_str(&gen_title(rng));
                    out.push_str(rng.pick(&["", ".docx", ".doc"]));
                }
            }
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------- documents

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Wrapper,
    Title,
    Body,
}

struct Line {
    kind: Kind,
    text: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Enc {
    Utf8,
    Gb18030,
    Big5,
}

#[derive(Default)]
struct Counts {
    files: u64,
    documents: u64,
    bytes: u64,
    generated_docs: u64,
    seeds_copied: u64,
    glued_docs: u64,
    wrapped_docs: u64,
    truncated_docs: u64,
    traditional_docs: u64,
    mixed_docs: u64,
    pinyin_docs: u64,
    pinyin_annotations: u64,
    page_marker_docs: u64,
    page_markers: u64,
    spun_docs: u64,
    spun_collocations: u64,
    gb18030_files: u64,
    gb18030_docs: u64,
    big5_files: u64,
    big5_docs: u64,
}

fn draw_size(rng: &mut Rng) -> u64 {
    let (lo, hi) = rng.pick(SIZE_BUCKETS);
    rng.range(lo, hi)
}

/// A speech of at least `target` bytes (unless no paragraph can be borrowed).
fn build_speech(data: &Data, rng: &mut Rng, target: usize) -> (String, Vec<String>) {
    let base = rng.index(data.speeches.len());
    let speech = &data.speeches[base];
    let title = match &speech.title {
        Some(t) => t.clone(),
        None => gen_title(rng),
    };
    let mut body = speech.body.clone();
    let mut size = title.len() + body.iter().map(|l| l.len() + 1).sum::<usize>();
    let mut attempts = 0;
    while size < target && attempts < 1000 {
        attempts += 1;
        let source = rng.index(data.paragraphs.len());
        let paras = &data.paragraphs[source];
        if source == base || paras.is_empty() {
            continue;
        }
        let start = rng.index(paras.len());
        let take = (rng.range(1, 4) as usize).min(paras.len() - start);
        // Before the closing line, so the speech still ends the way it ended.
        let at = if body.len() >= 2 { body.len() - 1 } else { body.len() };
        let chunk = &paras[start..start + take];
        size += chunk.iter().map(|l| l.len() + 1).sum::<usize>();
        body.splice(at..at, chunk.iter().cloned());
    }
    (title, body)
}

/// Cuts `body` after `keep` characters (mid-sentence), optionally with a trailing ` ……`.
fn truncate_body(body: &mut Vec<String>, keep: usize, ellipsis: bool) {
    let mut left = keep;
    for i in 0..body.len() {
        let n = body[i].chars().count();
        if left < n {
            let cut = body[i].char_indices().nth(left).map_or(body[i].len(), |(b, _)| b);
            body[i].truncate(cut);
            body.truncate(i + 1);
            if body[i].is_empty() {
                body.pop();
            }
            break;
        }
        left -= n;
    }
    if ellipsis {
        if let Some(last) = body.last_mut() {
            last.push_str(" ……");
        }
    }
}

fn spin_line(
    line: &str,
    table: &HashMap<char, Vec<(String, Vec<String>)>>,
    rng: &mut Rng,
    count: &mut u64,
) -> String {
    let mut out = String::with_capacity(line.len() + 16);
    let mut i = 0;
    while let Some(c) = line[i..].chars().next() {
        if let Some(found) = table.get(&c).and_then(|cands| {
            cands.iter().find(|(original, _)| line[i..].starts_with(original.as_str()))
        }) {
            let (original, spuns) = found;
            if rng.chance(SPIN_SWAP) {
                out.push_str(&spuns[rng.index(spuns.len())]);
                *count += 1;
            } else {
                out.push_str(original);
            }
            i += original.len();
            continue;
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn to_traditional(text: &str, st: &HashMap<char, char>) -> String {
    text.chars().map(|c| st.get(&c).copied().unwrap_or(c)).collect()
}

fn annotate(
    text: &str,
    pinyin: &HashMap<char, String>,
    rate: u64,
    rng: &mut Rng,
    count: &mut u64,
) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        out.push(c);
        if let Some(reading) = pinyin.get(&c) {
            if rng.chance(rate) {
                out.push('(');
                out.push_str(reading);
                out.push(')');
                *count += 1;
            }
        }
    }
    out
}

/// Breaks `k` sentences of the body lines between two Han characters with `\nN、`
/// (N = 2, 3, …), at evenly spread places. Returns the number of markers inserted.
fn insert_page_markers(lines: &mut [Line], k: u64, rng: &mut Rng) -> u64 {
    let body: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].kind == Kind::Body).collect();
    let total: usize = body.iter().map(|&i| lines[i].text.len()).sum();
    if total == 0 {
        return 0;
    }
    // First Han|Han boundary at or after (line `bi`, byte `from`), in this or a later line.
    let find = |bi: usize, from: usize| -> Option<(usize, usize)> {
        for (n, &li) in body.iter().enumerate().skip(bi) {
            let text = &lines[li].text;
            let start = if n == bi { from } else { 0 };
            let mut prev: Option<char> = None;
            for (pos, c) in text.char_indices() {
                if pos >= start && pos > 0 && prev.is_some_and(is_han) && is_han(c) {
                    return Some((n, pos));
                }
                prev = Some(c);
            }
        }
        None
    };
    let mut places: Vec<(usize, usize)> = Vec::new();
    for j in 1..=k as usize {
        let mut offset = total * j / (k as usize + 1);
        let mut bi = 0;
        while bi < body.len() && offset >= lines[body[bi]].text.len() {
            offset -= lines[body[bi]].text.len();
            bi += 1;
        }
        if bi == body.len() {
            break;
        }
        if let Some(place) = find(bi, offset) {
            if places.last().is_none_or(|&last| place > last) {
                places.push(place);
            }
        }
    }
    let markers: Vec<String> = (0..places.len())
        .map(|n| {
            let newline = if rng.chance(PAGE_MARKER_NEWLINE) { "\n" } else { "" };
            format!("\n{}、{newline}", n + 2)
        })
        .collect();
    for (&(bi, pos), marker) in places.iter().zip(&markers).rev() {
        lines[body[bi]].text.insert_str(pos, marker);
    }
    places.len() as u64
}

/// One generated document (or seed copy), as text; `budget` caps its drawn size.
fn gen_document(data: &Data, rng: &mut Rng, budget: u64, enc: Enc, counts: &mut Counts) -> String {
    // Seed copy.
    let seed_roll = rng.chance(SEED_RATE);
    let seed_pick = rng.index(data.seeds.len());
    if seed_roll && enc == Enc::Utf8 && (data.seeds[seed_pick].len() as u64) < budget {
        counts.seeds_copied += 1;
        return data.seeds[seed_pick].clone();
    }
    counts.generated_docs += 1;

    // Every decision is drawn, in a fixed order, whether or not it applies.
    let glued = rng.chance(GLUED_RATE);
    let compilation = rng.chance(COMPILATION_RATE);
    let wrapped = rng.chance(WRAPPER_RATE);
    let spun = rng.chance(SPIN_RATE);
    let script_roll = rng.below(1000);
    let pinyin_on = rng.chance(PINYIN_RATE);
    let pinyin_rate = rng.range(50, 200);
    let markers_on = rng.chance(PAGE_MARKER_RATE);
    let marker_count = rng.range(1, 5);
    let (traditional, mixed) = match enc {
        Enc::Big5 => (true, false),
        _ if script_roll < TRADITIONAL_RATE => (true, false),
        _ if script_roll < TRADITIONAL_RATE + MIXED_RATE => (false, true),
        _ => (false, false),
    };
    let pinyin_on = pinyin_on && enc != Enc::Big5;

    // Speeches.
    let n_speeches = if glued { 2 } else { 1 };
    let mut sizes: Vec<u64> = (0..n_speeches).map(|_| draw_size(rng)).collect();
    let drawn: u64 = sizes.iter().sum();
    if drawn > budget {
        for s in &mut sizes {
            *s = *s * budget / drawn;
        }
    }
    let mut speeches: Vec<(String, Vec<String>)> =
        sizes.iter().map(|&s| build_speech(data, rng, s as usize)).collect();

    // Wrapper (and truncation by a preview wall).
    let mut header = Vec::new();
    let mut footer = Vec::new();
    if wrapped {
        counts.wrapped_docs += 1;
        let n_header = rng.range(2, 6) as usize;
        let header_slots = rng.subset(HEADER.len(), n_header);
        let n_footer = rng.range(1, 5) as usize;
        let footer_slots = rng.subset(FOOTER.len(), n_footer);
        let mut ctx = Ctx {
            site: rng.pick(SITES),
            title: speeches[0].0.clone(),
            pages: rng.range(2, 12),
            total: 0,
            shown: 0,
        };
        if footer_slots.first() == Some(&0) {
            counts.truncated_docs += 1;
            let keep_per_cent = rng.range(55, 90) as usize;
            let ellipsis = rng.chance(500);
            if let Some((_, body)) = speeches.last_mut() {
                ctx.total = body.iter().map(|l| l.chars().count()).sum();
                ctx.shown = ctx.total * keep_per_cent / 100;
                truncate_body(body, ctx.shown, ellipsis);
            }
        }
        for slot in header_slots {
            let template = rng.pick(HEADER[slot]);
            header.push(fill(template, &ctx, rng));
        }
        for slot in footer_slots {
            let template = rng.pick(FOOTER[slot]);
            footer.push(fill(template, &ctx, rng));
        }
    }

    // Spinning.
    if spun {
        let mut n = 0;
        for (_, body) in &mut speeches {
            for line in body.iter_mut() {
                *line = spin_line(line, &data.spin, rng, &mut n);
            }
        }
        if n > 0 {
            counts.spun_docs += 1;
            counts.spun_collocations += n;
        }
    }

    // Assemble the lines.
    let mut lines: Vec<Line> = Vec::new();
    lines.extend(header.into_iter().map(|text| Line { kind: Kind::Wrapper, text }));
    let compilation = glued && compilation;
    if compilation {
        let text = format!("{}（共2篇）", speeches[0].0);
        lines.push(Line { kind: Kind::Wrapper, text });
    }
    for (i, (title, body)) in speeches.into_iter().enumerate() {
        let title = if compilation {
            format!("{}{title}", if i == 0 { "第一篇：" } else { "第二篇：" })
        } else {
            title
        };
        lines.push(Line { kind: Kind::Title, text: title });
        lines.extend(body.into_iter().map(|text| Line { kind: Kind::Body, text }));
    }
    lines.extend(footer.into_iter().map(|text| Line { kind: Kind::Wrapper, text }));
    if glued {
        counts.glued_docs += 1;
    }

    // Script.
    if traditional {
        counts.traditional_docs += 1;
        for line in &mut lines {
            line.text = to_traditional(&line.text, &data.st);
            if enc == Enc::Big5 {
                line.text = to_traditional(&line.text, &data.tw);
            }
        }
    } else if mixed {
        counts.mixed_docs += 1;
        for line in &mut lines {
            if line.kind != Kind::Wrapper && rng.chance(MIXED_LINE) {
                line.text = to_traditional(&line.text, &data.st);
            }
        }
    }

    // Pinyin.
    if pinyin_on {
        let mut n = 0;
        for line in &mut lines {
            if line.kind != Kind::Wrapper {
                line.text = annotate(&line.text, &data.pinyin, pinyin_rate, rng, &mut n);
            }
        }
        if n > 0 {
            counts.pinyin_docs += 1;
            counts.pinyin_annotations += n;
        }
    }

    // Page markers.
    if markers_on {
        let n = insert_page_markers(&mut lines, marker_count, rng);
        if n > 0 {
            counts.page_marker_docs += 1;
            counts.page_markers += n;
        }
    }

    let mut text = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
    for line in &lines {
        text.push_str(&line.text);
        text.push('\n');
    }
    text
}

fn encode(text: &str, enc: Enc) -> Cow<'_, [u8]> {
    match enc {
        Enc::Utf8 => Cow::Borrowed(text.as_bytes()),
        Enc::Gb18030 => encoding_rs::GB18030.encode(text).0,
        Enc::Big5 => encoding_rs::BIG5.encode(text).0,
    }
}

/// The longest prefix of whole lines of `text` whose encoding fits in `room` bytes (a
/// character prefix of the first line when not even that fits).
fn cut_to_fit(text: &str, enc: Enc, room: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in text.split_inclusive('\n') {
        let bytes = encode(chunk, enc);
        if out.len() + bytes.len() > room {
            if out.is_empty() {
                let mut buf = [0u8; 4];
                for c in chunk.chars() {
                    let b = encode(c.encode_utf8(&mut buf), enc);
                    if out.len() + b.len() > room {
                        break;
                    }
                    out.extend_from_slice(&b);
                }
            }
            break;
        }
        out.extend_from_slice(&bytes);
    }
    out
}

// ---------------------------------------------------------------- output

struct Args {
    mb: u64,
    seed: u64,
    out: Option<PathBuf>,
    dir: Option<PathBuf>,
    files: u64,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut mb = None;
    let mut seed = 1;
    let mut out = None;
    let mut dir = None;
    let mut files = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if name == "-h" || name == "--help" {
            return Ok(None);
        }
        let mut value = || {
            inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value"))
        };
        let number = |v: String| -> Result<u64, String> {
            v.parse::<u64>().map_err(|_| format!("{name}: not a whole number: {v}"))
        };
        match name.as_str() {
            "--mb" => mb = Some(number(value()?)?),
            "--seed" => seed = number(value()?)?,
            "--files" => files = Some(number(value()?)?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--dir" => dir = Some(PathBuf::from(value()?)),
            _ => return Err(format!("unknown argument: {arg}")),
        }
    }
    let mb = mb.ok_or("--mb is required")?;
    if mb == 0 {
        return Err("--mb must be at least 1".into());
    }
    match (&out, &dir) {
        (Some(_), Some(_)) => return Err("give --out or --dir, not both".into()),
        (None, None) => return Err("give --out FILE or --dir DIR".into()),
        _ => {}
    }
    if files.is_some() && dir.is_none() {
        return Err("--files needs --dir".into());
    }
    let files = files.unwrap_or(1000);
    if files == 0 {
        return Err("--files must be at least 1".into());
    }
    Ok(Some(Args { mb, seed, out, dir, files }))
}

fn file_path(dir: &Path, index: u64, files: u64) -> PathBuf {
    let digits = |n: u64| n.to_string().len();
    let width = digits(files - 1).max(5);
    let name = format!("{index:0width$}.txt");
    if files > 1000 {
        let sub_width = digits((files - 1) / 1000).max(2);
        dir.join(format!("{:0sub_width$}", index / 1000)).join(name)
    } else {
        dir.join(name)
    }
}

fn manifest(args: &Args, counts: &Counts, inputs: u64, output: u64, secs: f64) -> String {
    let c = counts;
    let mode = if args.dir.is_some() { "dir" } else { "file" };
    let fields: [(&str, u64); 23] = [
        ("seed", args.seed),
        ("mb", args.mb),
        ("target_bytes", args.mb * MB),
        ("files", c.files),
        ("documents", c.documents),
        ("bytes", c.bytes),
        ("generated_docs", c.generated_docs),
        ("seeds_copied", c.seeds_copied),
        ("glued_docs", c.glued_docs),
        ("wrapped_docs", c.wrapped_docs),
        ("truncated_docs", c.truncated_docs),
        ("traditional_docs", c.traditional_docs),
        ("mixed_docs", c.mixed_docs),
        ("pinyin_docs", c.pinyin_docs),
        ("pinyin_annotations", c.pinyin_annotations),
        ("page_marker_docs", c.page_marker_docs),
        ("page_markers", c.page_markers),
        ("spun_docs", c.spun_docs),
        ("spun_collocations", c.spun_collocations),
        ("gb18030_files", c.gb18030_files),
        ("gb18030_docs", c.gb18030_docs),
        ("big5_files", c.big5_files),
        ("big5_docs", c.big5_docs),
    ];
    let mut s = String::from("{\n  \"generator\": \"examples/gen_corpus.rs\",\n");
    s.push_str(&format!("  \"mode\": \"{mode}\",\n"));
    for (k, v) in fields {
        s.push_str(&format!("  \"{k}\": {v},\n"));
    }
    s.push_str(&format!("  \"inputs_fnv1a64\": \"{inputs:016x}\",\n"));
    s.push_str(&format!("  \"output_fnv1a64\": \"{output:016x}\",\n"));
    // Not part of the determinism promise: wall-clock time of this run.
    s.push_str(&format!("  \"seconds\": {secs:.2}\n}}\n"));
    s
}

fn write_all(path: &Path, w: &mut impl Write, bytes: &[u8]) -> Result<(), String> {
    w.write_all(bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn create(path: &Path) -> Result<BufWriter<fs::File>, String> {
    let file =
        fs::File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

fn run(args: &Args) -> Result<(), String> {
    let start = Instant::now();
    let data = load(Path::new(env!("CARGO_MANIFEST_DIR")))?;
    let target = args.mb * MB;
    let tolerance = target / 200;
    let (nfiles, single) = match &args.dir {
        Some(dir) => {
            fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create directory {}: {e}", dir.display()))?;
            (args.files, false)
        }
        None => (1, true),
    };

    let mut counts = Counts::default();
    let mut hash = Fnv::new();
    let mut total: u64 = 0;
    let mut doc_index: u64 = 0;
    for f in 0..nfiles {
        let path = match (&args.out, &args.dir) {
            (Some(out), _) => out.clone(),
            (None, Some(dir)) => file_path(dir, f, nfiles),
            (None, None) => unreachable!("checked by parse_args"),
        };
        if let Some(parent) = path.parent().filter(|p| !single && !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create directory {}: {e}", parent.display()))?;
        }
        let mut w = create(&path)?;
        let enc = if single {
            Enc::Utf8
        } else {
            let mut rng = Rng::derive(args.seed, FILE_STREAM, f);
            let roll = rng.below(1000);
            if roll < GB18030_FILE_RATE {
                counts.gb18030_files += 1;
                Enc::Gb18030
            } else if roll < GB18030_FILE_RATE + BIG5_FILE_RATE {
                counts.big5_files += 1;
                Enc::Big5
            } else {
                Enc::Utf8
            }
        };
        // The file gets documents until the running total reaches its share of the target;
        // a document's drawn size is capped by what is left of that share.
        let boundary = target * (f + 1) / nfiles;
        let last_file = f + 1 == nfiles;
        let mut first = true;
        loop {
            let separator: &[u8] = if first { b"" } else { b"\n" };
            let share = boundary.saturating_sub(total + separator.len() as u64);
            if !first && share < MIN_DOC {
                break;
            }
            let mut rng = Rng::derive(args.seed, DOC_STREAM, doc_index);
            doc_index += 1;
            let text = gen_document(&data, &mut rng, share, enc, &mut counts);
            let encoded = encode(&text, enc);
            // Only the very last document is cut, to keep the total within the tolerance.
            let room = (target + tolerance).saturating_sub(total + separator.len() as u64);
            let bytes: Cow<'_, [u8]> = if last_file && encoded.len() as u64 > room {
                Cow::Owned(cut_to_fit(&text, enc, room as usize))
            } else {
                encoded
            };
            let bytes = if bytes.is_empty() && first {
                // Degenerate case (shares under 3 KB): no file stays empty.
                encode(&text, enc)
            } else if bytes.is_empty() {
                break;
            } else {
                bytes
            };
            write_all(&path, &mut w, separator)?;
            write_all(&path, &mut w, &bytes)?;
            hash.update(separator);
            hash.update(&bytes);
            total += (separator.len() + bytes.len()) as u64;
            counts.documents += 1;
            match enc {
                Enc::Gb18030 => counts.gb18030_docs += 1,
                Enc::Big5 => counts.big5_docs += 1,
                Enc::Utf8 => {}
            }
            first = false;
        }
        w.flush().map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        counts.files += 1;
    }
    counts.bytes = total;

    let secs = start.elapsed().as_secs_f64();
    let (manifest_path, shown) = match (&args.out, &args.dir) {
        (Some(out), _) => {
            let mut p = out.as_os_str().to_owned();
            p.push(".manifest.json");
            (PathBuf::from(p), out.display().to_string())
        }
        (None, Some(dir)) => (dir.join("manifest.json"), dir.display().to_string()),
        (None, None) => unreachable!("checked by parse_args"),
    };
    let json = manifest(args, &counts, data.inputs_hash, hash.0, secs);
    fs::write(&manifest_path, json)
        .map_err(|e| format!("cannot write {}: {e}", manifest_path.display()))?;
    eprintln!(
        "gen_corpus: {} bytes, {} documents ({} seeds, {} traditional, {} mixed, {} pinyin, {} \
         page-marked, {} spun, {} wrapped, {} glued, {} gb18030, {} big5) in {} file(s) at {} \
         in {secs:.1} s; manifest {}",
        counts.bytes,
        counts.documents,
        counts.seeds_copied,
        counts.traditional_docs,
        counts.mixed_docs,
        counts.pinyin_docs,
        counts.page_marker_docs,
        counts.spun_docs,
        counts.wrapped_docs,
        counts.glued_docs,
        counts.gb18030_docs,
        counts.big5_docs,
        counts.files,
        shown,
        manifest_path.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("gen_corpus: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: error: {e}");
            ExitCode::from(2)
        }
    }
}
