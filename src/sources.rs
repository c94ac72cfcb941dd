//! The inputs of a batch run: command-line paths expanded, directories walked.
//!
//! What the CLI reads, for programs that run their own batches: every `*.txt` under
//! a directory in sorted order, and anything that cannot be listed or read kept as an
//! input of its own, so that it gets an error record rather than vanishing.
//!
//! ```
//! use jianghua::sources::{list_sources, text_files, Source};
//! let inputs = list_sources(&["corpus/raw", "no/such/file.txt"]);
//! assert_eq!(inputs.iter().filter(|s| matches!(s, Source::File(_))).count(), 5);
//! assert!(matches!(&inputs[5], Source::Unlisted(name, _) if name == "no/such/file.txt"));
//! // The files alone, as a bench or a script wants them.
//! let seeds = text_files(std::path::Path::new("corpus/raw"));
//! assert!(seeds.len() == 5 && seeds.is_sorted());
//! ```

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

/// One input: a path, or stdin, or a path that could not be listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file to read.
    File(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
    /// A path that could not be listed, and why.
    Unlisted(String, String),
}

impl Source {
    /// The name a record gives as its `source`.
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Stdin => "-".to_string(),
            Source::Unlisted(p, _) => p.clone(),
        }
    }
}

/// The `*.txt` files under `dir`, recursively, in sorted order (what a directory on
/// the command line stands for; entries that cannot be listed are left out here).
pub fn text_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, &mut HashSet::new(), &mut out, &mut |_| {});
    out.into_iter()
        .filter_map(|s| match s {
            Source::File(p) => Some(p),
            _ => None,
        })
        .collect()
}

/// Expands the command line into inputs: directories walked recursively for `*.txt`
/// in sorted order, symlinked directories followed once (loops are cut), anything
/// that cannot be listed kept as an input that will get an error record.
pub fn list_sources(paths: &[impl AsRef<str>]) -> Vec<Source> {
    list_sources_noting_loops(paths, |_| {})
}

/// [`list_sources`], telling `loop_cut` of each directory not entered again because
/// it was entered already (a symlink loop), as the CLI warns of it.
pub fn list_sources_noting_loops(
    paths: &[impl AsRef<str>],
    mut loop_cut: impl FnMut(&str),
) -> Vec<Source> {
    let mut out = Vec::new();
    for p in paths {
        let p = p.as_ref();
        if p == "-" {
            out.push(Source::Stdin);
            continue;
        }
        let path = PathBuf::from(p);
        match fs::metadata(&path) {
            Ok(m) if m.is_dir() => {
                let mut seen = HashSet::new();
                walk(&path, &mut seen, &mut out, &mut loop_cut);
            }
            Ok(_) => out.push(Source::File(path)),
            Err(e) => out.push(Source::Unlisted(p.to_string(), e.to_string())),
        }
    }
    out
}

fn walk(
    dir: &Path,
    seen: &mut HashSet<PathBuf>,
    out: &mut Vec<Source>,
    loop_cut: &mut dyn FnMut(&str),
) {
    let name = dir.display().to_string();
    match fs::canonicalize(dir) {
        Ok(real) => {
            if !seen.insert(real) {
                loop_cut(&name);
                return;
            }
        }
        Err(e) => {
            out.push(Source::Unlisted(name, e.to_string()));
            return;
        }
    }
    let entries = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            out.push(Source::Unlisted(name, format!("cannot list directory: {e}")));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let is_txt = p.extension().is_some_and(|x| x == "txt");
        match fs::metadata(&p) {
            Ok(m) if m.is_dir() => walk(&p, seen, out, loop_cut),
            Ok(m) if m.is_file() && is_txt => out.push(Source::File(p)),
            Ok(m) if !m.is_file() && is_txt => {
                out.push(Source::Unlisted(p.display().to_string(), "not a regular file".into()))
            }
            Err(e) if is_txt => out.push(Source::Unlisted(p.display().to_string(), e.to_string())),
            _ => {}
        }
    }
}
