//! The outline stage against hand-drawn trees: every speech of `corpus/outline/`
//! (original texts covering every marker family and trap) with its `.tree`:
//!
//! ```text
//! announced: 4            (or null)
//! warnings: gap, announced_mismatch, summary_mismatch, restart   (or none)
//! ---
//! 一、|1|heading
//!   （一）|1|heading       (two spaces per level)
//! ```
//!
//! Structure (markers, levels, ordinals), announced counts and warning kinds must match
//! exactly; headings are compared exactly too, and every difference is printed.

mod common;

use jianghua::{Analyzer, Point};

struct Tree {
    announced: Option<u32>,
    warnings: Vec<String>,
    lines: Vec<String>,
}

fn parse_tree(s: &str) -> Tree {
    let mut announced = None;
    let mut warnings = Vec::new();
    let mut lines = Vec::new();
    let mut body = false;
    for l in s.lines() {
        if l.starts_with('#') || l.trim().is_empty() {
            continue;
        }
        if body {
            lines.push(l.trim_end().to_string());
        } else if l.trim() == "---" {
            body = true;
        } else if let Some(a) = l.strip_prefix("announced:") {
            announced = a.trim().parse().ok();
        } else if let Some(w) = l.strip_prefix("warnings:") {
            warnings = w
                .split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty() && x != "none")
                .collect();
        }
    }
    warnings.sort();
    Tree { announced, warnings, lines }
}

fn flatten(points: &[Point], depth: usize, out: &mut Vec<String>) {
    for p in points {
        out.push(format!("{}{}|{}|{}", "  ".repeat(depth), p.marker, p.ordinal, p.heading));
        flatten(&p.children, depth + 1, out);
    }
}

fn structure(line: &str) -> String {
    line.rsplit_once('|').map_or(line.to_string(), |(a, _)| a.to_string())
}

/// The kinds of warning the trees name.
fn kinds(warnings: &[String]) -> Vec<String> {
    let mut k: Vec<String> = warnings
        .iter()
        .filter_map(|w| {
            if w.contains("restarts") {
                Some("restart")
            } else if w.contains("skips") || w.contains("starts at") {
                Some("gap")
            } else if w.starts_with("announced") {
                Some("announced_mismatch")
            } else if w.contains("summary") {
                Some("summary_mismatch")
            } else {
                None
            }
        })
        .map(String::from)
        .collect();
    k.sort();
    k.dedup();
    k
}

#[test]
fn outlines_match_hand_drawn_trees() {
    let analyzer = Analyzer::new();
    let files = common::all_txt("outline");
    assert!(files.len() >= 20, "at least 20 test speeches");
    let mut structure_fail = 0;
    let mut heading_fail = 0;
    let mut headings = 0;
    let mut report = String::new();
    for f in &files {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        let tree = parse_tree(&std::fs::read_to_string(f.with_extension("tree")).unwrap());
        let r = analyzer.analyze(&std::fs::read_to_string(f).unwrap());
        let mut got = Vec::new();
        let (announced, warnings) = match r.speeches.first() {
            Some(s) => {
                flatten(&s.points, 0, &mut got);
                (s.announced_points, kinds(&s.warnings))
            }
            None => (None, Vec::new()),
        };
        let mut problems = Vec::new();
        if r.speeches.len() != 1 {
            problems.push(format!("{} speeches", r.speeches.len()));
        }
        if announced != tree.announced {
            problems.push(format!("announced {:?}, expected {:?}", announced, tree.announced));
        }
        if warnings != tree.warnings {
            problems.push(format!("warnings {warnings:?}, expected {:?}", tree.warnings));
        }
        let same_structure = got.len() == tree.lines.len()
            && got.iter().zip(&tree.lines).all(|(a, b)| structure(a) == structure(b));
        if !same_structure {
            problems.push(format!(
                "tree differs:\n      expected:\n        {}\n      got:\n        {}",
                tree.lines.join("\n        "),
                got.join("\n        ")
            ));
        } else {
            for (a, b) in got.iter().zip(&tree.lines) {
                headings += 1;
                if a != b {
                    heading_fail += 1;
                    problems.push(format!("heading: got {a:?}, expected {b:?}"));
                }
            }
        }
        if !problems.is_empty() {
            if !same_structure || announced != tree.announced || warnings != tree.warnings {
                structure_fail += 1;
            }
            report.push_str(&format!("{name}:\n    {}\n", problems.join("\n    ")));
        }
    }
    print!("{report}");
    println!(
        "{} speeches: {} with structure/announcement/warning differences; headings {}/{} exact",
        files.len(),
        structure_fail,
        headings - heading_fail,
        headings
    );
    assert_eq!(structure_fail, 0, "outline structure differs from the hand-drawn trees");
    assert_eq!(heading_fail, 0, "headings differ from the hand-drawn trees");
}
