//! Stage `elements`: numeric formulas such as “四个意识” with their members.
//!
//! Not implemented yet (issue "Pull out the formula elements"): `elements` and
//! `missing_elements` are empty.
