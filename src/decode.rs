//! Stage `decode`: bytes → text, with the encoding detected.
//!
//! Order of evidence: a byte-order mark (UTF-8, UTF-16 LE/BE); valid UTF-8; UTF-8 with
//! a few bad bytes (still UTF-8: the bad bytes become U+FFFD); otherwise GB18030 (a
//! superset of GBK) or Big5, whichever decodes with fewer errors and reads more like
//! Chinese. Reading like Chinese is measured by the share of Han characters that are
//! among the 3,755 most frequent ones (GB2312 level 1) once converted to Simplified:
//! real text scores above 0.8 in either script, text decoded with the wrong table
//! far lower. All decoding is done by `encoding_rs`.

use std::sync::OnceLock;

use encoding_rs::{Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

/// The decoded input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text. Undecodable bytes are U+FFFD.
    pub text: String,
    /// The contract's name of the encoding: `utf-8`, `gb18030`, `big5`, `utf-16le`,
    /// `utf-16be`, or `utf-8+gb18030` for a UTF-8 file with some GB18030 lines.
    pub encoding: &'static str,
    /// True when some bytes could not be decoded.
    pub had_errors: bool,
}

/// Why bytes are not text at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotText {
    /// Binary data (NUL bytes, many control characters, or a known file signature).
    Binary(&'static str),
}

impl std::fmt::Display for NotText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotText::Binary(what) => write!(f, "not text: {what}"),
        }
    }
}

/// Decodes `bytes`, detecting the encoding. `simplify` converts one character to
/// Simplified (used to judge which legacy decoding reads like Chinese).
pub fn decode(bytes: &[u8], simplify: &dyn Fn(char) -> char) -> Result<Decoded, NotText> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(Decoded { text: text.into_owned(), encoding: name(enc), had_errors });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        if let Some(why) = binary_signature(bytes) {
            return Err(NotText::Binary(why));
        }
        return Ok(Decoded { text: s.to_string(), encoding: "utf-8", had_errors: false });
    }
    if let Some(why) = binary_signature(bytes) {
        return Err(NotText::Binary(why));
    }
    // Judge on a prefix: enough to decide, cheap on a 50 MB file.
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let utf8_share = utf8_valid_share(sample);
    if utf8_share >= 0.7 {
        return Ok(utf8_with_legacy_lines(bytes, simplify));
    }
    let mut best: Option<(f64, &'static Encoding)> = None;
    for enc in [GB18030, BIG5] {
        let (text, _, had_errors) = enc.decode(sample);
        let errors = if had_errors { text.matches('\u{FFFD}').count() } else { 0 };
        let chars = text.chars().count().max(1);
        let score = chinese_share(&text, simplify) - 4.0 * errors as f64 / chars as f64;
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, enc));
        }
    }
    let enc = best.map_or(GB18030, |(_, e)| e);
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    Ok(Decoded { text: text.into_owned(), encoding: name(enc), had_errors })
}

/// Mostly UTF-8: lines that are not UTF-8 but decode cleanly as GB18030 and read like
/// Chinese are taken as GB18030 (a file stitched from sources in two encodings); the
/// rest of the bad bytes become U+FFFD.
fn utf8_with_legacy_lines(bytes: &[u8], simplify: &dyn Fn(char) -> char) -> Decoded {
    let mut text = String::with_capacity(bytes.len());
    let mut mixed = false;
    let mut had_errors = false;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if let Ok(s) = std::str::from_utf8(line) {
            text.push_str(s);
            continue;
        }
        // A UTF-8 line with a stray byte still reads as Chinese in UTF-8; a GBK line
        // reads as Chinese only in GB18030.
        let as_utf8 = UTF_8.decode_without_bom_handling(line).0;
        let legacy = GB18030.decode_without_bom_handling_and_without_replacement(line);
        match legacy.map(|s| (chinese_share(&s, simplify), s)) {
            Some((share, s)) if share >= 0.6 && share > chinese_share(&as_utf8, simplify) => {
                mixed = true;
                text.push_str(&s);
            }
            _ => {
                had_errors = true;
                text.push_str(&as_utf8);
            }
        }
    }
    Decoded { text, encoding: if mixed { "utf-8+gb18030" } else { "utf-8" }, had_errors }
}

fn name(enc: &'static Encoding) -> &'static str {
    if enc == UTF_8 {
        "utf-8"
    } else if enc == UTF_16LE {
        "utf-16le"
    } else if enc == UTF_16BE {
        "utf-16be"
    } else if enc == GB18030 || enc == GBK {
        "gb18030"
    } else if enc == BIG5 {
        "big5"
    } else {
        "unknown"
    }
}

/// A file that is clearly not text: a known binary signature, NUL bytes, or more
/// than one byte in ten a control character.
fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive (docx/xlsx?)"),
        (b"\xD0\xCF\x11\xE0", "OLE document (doc/xls?)"),
        (b"\x1F\x8B", "gzip data"),
        (b"\x7FELF", "ELF executable"),
    ];
    for (sig, what) in SIGNATURES {
        if bytes.starts_with(sig) {
            return Some(what);
        }
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    if sample.is_empty() {
        return None;
    }
    if sample.contains(&0) {
        return Some("binary data (NUL bytes)");
    }
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x0B))
        .count();
    (controls * 10 > sample.len()).then_some("binary data (control bytes)")
}

/// Share of non-ASCII bytes that belong to valid UTF-8 sequences.
fn utf8_valid_share(bytes: &[u8]) -> f64 {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().bytes().filter(|b| !b.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    if valid + invalid == 0 {
        return 1.0;
    }
    valid as f64 / (valid + invalid) as f64
}

/// The 3,755 most frequent Simplified characters (GB2312 level 1: GBK B0A1–D7F9), as a
/// bitset over the BMP, built once.
fn level1() -> &'static [u64] {
    static SET: OnceLock<Vec<u64>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set = vec![0u64; 0x1_0000 / 64];
        for lead in 0xB0..=0xD7u8 {
            for trail in 0xA1..=0xFEu8 {
                if let Some(s) =
                    GBK.decode_without_bom_handling_and_without_replacement(&[lead, trail])
                {
                    for c in s.chars().filter(|&c| (c as u32) < 0x1_0000) {
                        set[c as usize / 64] |= 1 << (c as usize % 64);
                    }
                }
            }
        }
        set
    })
}

/// Share of Han characters that are frequent (GB2312 level 1) once Simplified.
fn chinese_share(text: &str, simplify: &dyn Fn(char) -> char) -> f64 {
    let set = level1();
    let (mut han, mut frequent) = (0usize, 0usize);
    for c in text.chars() {
        if !crate::normalize::pinyin::is_han(c) {
            continue;
        }
        han += 1;
        let s = simplify(c) as usize;
        if s < 0x1_0000 && set[s / 64] & (1 << (s % 64)) != 0 {
            frequent += 1;
        }
    }
    if han == 0 {
        0.0
    } else {
        frequent as f64 / han as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(c: char) -> char {
        c
    }

    #[test]
    fn boms_and_utf8() {
        let d = decode("\u{FEFF}同志们".as_bytes(), &same).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("同志们", "utf-8"));
        let mut le = vec![0xFF, 0xFE];
        for u in "同志们".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&le, &same).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("同志们", "utf-16le"));
    }

    #[test]
    fn gbk_and_big5() {
        let (gbk, _, _) = GB18030
            .encode("同志们：今天召开巡察工作动员部署会议，主要任务是贯彻落实全面从严治党要求。");
        let d = decode(&gbk, &same).unwrap();
        assert_eq!(d.encoding, "gb18030");
        assert!(d.text.starts_with("同志们"));
    }

    #[test]
    fn mixed_utf8_and_gbk_lines() {
        let mut b = "同志们：今天召开巡察工作动员部署会议。\n".as_bytes().to_vec();
        let (gbk, _, _) = GB18030.encode("一、提高政治站位，切实扛起巡察工作的政治责任。\n");
        b.extend_from_slice(&gbk);
        b.extend_from_slice("二、坚持问题导向，推动整改落实。\n".as_bytes());
        let d = decode(&b, &same).unwrap();
        assert_eq!(d.encoding, "utf-8+gb18030");
        assert!(!d.had_errors);
        assert!(d.text.contains("一、提高政治站位，切实扛起巡察工作的政治责任。"));
        assert!(d.text.contains("二、坚持问题导向"));
    }

    #[test]
    fn a_stray_byte_in_a_utf8_line_stays_utf8() {
        let mut b = "巡察工作要坚持问题导向，发现问题、形成震慑。\n".repeat(3).into_bytes();
        b.insert(9, 0xFF);
        let d = decode(&b, &same).unwrap();
        assert_eq!(d.encoding, "utf-8");
        assert!(d.had_errors);
        assert!(d.text.contains('\u{FFFD}'));
    }

    #[test]
    fn binary_is_not_text() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", &same).is_err());
        assert!(decode(b"", &same).is_ok());
    }

    #[test]
    fn bad_bytes_in_utf8() {
        let mut b = "巡察工作要坚持问题导向".as_bytes().to_vec();
        b.insert(6, 0xFF);
        let d = decode(&b, &same).unwrap();
        assert_eq!(d.encoding, "utf-8");
        assert!(d.had_errors);
        assert!(d.text.contains('\u{FFFD}'));
    }
}
