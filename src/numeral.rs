//! Numerals at the start of a string, shared by the outline and elements stages.

/// Arabic digits at the start of `s`: (value, byte length). None when there are none
/// or the number does not fit.
pub(crate) fn arabic(s: &str) -> Option<(u32, usize)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    s[..digits].parse().ok().map(|v| (v, digits))
}

/// A Chinese numeral from 一 to 九十九 (两 counts as 2) at the start of `s`:
/// (value, byte length).
pub(crate) fn chinese(s: &str) -> Option<(u32, usize)> {
    let val = |c: char| match c {
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    };
    let mut it = s.char_indices();
    let (_, c0) = it.next()?;
    if c0 == '十' {
        if let Some((i, c1)) = it.next() {
            if let Some(d) = val(c1) {
                return Some((10 + d, i + c1.len_utf8()));
            }
        }
        return Some((10, 3));
    }
    let d = val(c0)?;
    if let Some((i, '十')) = it.next() {
        let rest = &s[i + 3..];
        if let Some(d2) = rest.chars().next().and_then(val) {
            return Some((d * 10 + d2, i + 6));
        }
        return Some((d * 10, i + 3));
    }
    Some((d, c0.len_utf8()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        assert_eq!(chinese("四个"), Some((4, 3)));
        assert_eq!(chinese("十四个"), Some((14, 6)));
        assert_eq!(chinese("二十大"), Some((20, 6)));
        assert_eq!(chinese("两个"), Some((2, 3)));
        assert_eq!(arabic("2023年"), Some((2023, 4)));
        assert_eq!(arabic("年"), None);
    }
}
