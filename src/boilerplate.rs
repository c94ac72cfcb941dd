//! Stage `boilerplate`: website furniture, ads, wrappers and page markers.
//!
//! Not implemented yet (issue "Strip website boilerplate…"): the analyzer removes
//! nothing, so `removed` is empty and `truncated` false.
