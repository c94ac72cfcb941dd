//! GBK mojibake: runs of text garbled by a lost byte in a GBK stream.

use crate::edit::Edit;

/// Repairs of garbled runs (filled in below).
pub(crate) fn repairs(_input: &str, _convert: impl Fn(&str) -> String) -> Vec<Edit> {
    Vec::new()
}
