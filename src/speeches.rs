//! Stage `speeches`: splitting a file into its speeches.
//!
//! Not implemented yet (issue "Strip website boilerplate, … split glued speeches"):
//! `speeches` is empty.
