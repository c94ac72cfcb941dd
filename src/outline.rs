//! Stage `outline`: the tree of numbered points of a speech.
//!
//! Not implemented yet (issue "Segment each speech into a tree of numbered points").
