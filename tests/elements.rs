//! The elements stage against hand-checked passages (`corpus/elements/`: original
//! texts with formulas and look-alike traps). Prints precision and recall of the
//! formulas found and the accuracy of their members; every difference is listed.

mod common;

use jianghua::Analyzer;
use serde::Deserialize;

#[derive(Deserialize)]
struct Expect {
    #[serde(default)]
    not: Vec<String>,
    #[serde(default)]
    borderline: Vec<String>,
    #[serde(default)]
    element: Vec<ExpectedElement>,
}

#[derive(Deserialize)]
struct ExpectedElement {
    name: String,
    #[serde(default)]
    members: Vec<String>,
    members_from: Option<String>,
}

#[test]
fn formulas_in_hand_checked_passages() {
    let mut builder = Analyzer::builder();
    builder.keywords(false);
    let analyzer = builder.build().unwrap();
    let (mut tp, mut fp, mut fn_, mut members_ok, mut members_total) = (0, 0, 0, 0, 0);
    let mut report = Vec::new();
    let files = common::all_txt("elements");
    assert!(files.len() >= 25, "at least 25 passages");
    for f in &files {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        let exp: Expect =
            toml::from_str(&std::fs::read_to_string(f.with_extension("toml")).unwrap())
                .unwrap_or_else(|e| panic!("{name}.toml: {e}"));
        let r = analyzer.analyze(&std::fs::read_to_string(f).unwrap());
        for e in &exp.element {
            match r.elements.iter().find(|g| g.name == e.name) {
                None => {
                    fn_ += 1;
                    report.push(format!("{name}: missed {}", e.name));
                }
                Some(g) => {
                    tp += 1;
                    members_total += 1;
                    if g.members == e.members && g.members_from == e.members_from {
                        members_ok += 1;
                    } else {
                        report.push(format!(
                            "{name}: {} members {:?} from {:?}, expected {:?} from {:?}",
                            e.name, g.members, g.members_from, e.members, e.members_from
                        ));
                    }
                }
            }
        }
        for g in &r.elements {
            if exp.element.iter().any(|e| e.name == g.name) || exp.borderline.contains(&g.name) {
                continue;
            }
            fp += 1;
            let trap = exp.not.iter().find(|n| n.contains(&g.name) || g.name.contains(n.as_str()));
            report.push(format!(
                "{name}: reported {} (not expected{})",
                g.name,
                trap.map_or(String::new(), |t| format!("; trap “{t}”"))
            ));
        }
    }
    for l in &report {
        println!("{l}");
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    println!(
        "{} passages: precision {precision:.3} ({tp}/{}), recall {recall:.3} ({tp}/{}), members exact {members_ok}/{members_total}",
        files.len(),
        tp + fp,
        tp + fn_
    );
    assert!(precision >= 0.95, "precision {precision:.3}");
    assert!(recall >= 0.95, "recall {recall:.3}");
    assert!(members_ok * 10 >= members_total * 9, "members exact {members_ok}/{members_total}");
}
