//! The modules of a crate and which of them use which, read from its sources: the check that
//! keeps the layers of `porta-wire` and `porta` free of cycles. Included by path by each
//! crate's `module_layers` test.
//!
//! A module is a file under `src/` (`folder/person.rs` is `folder::person`, `folder/mod.rs`
//! is `folder`), seen at a depth: at depth 1 every file under `store/` is the module `store`,
//! whose parts may use each other freely. A module uses another when its code (tests excluded: everything from its
//! first `#[cfg(test)]` on, and comments) names `crate::that::module` or `super::…`. A module may use its
//! ancestors (shared helpers) and its descendants (the types they define): those edges are
//! not counted. Every other edge must leave the graph without a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every module of the crate whose sources are in `src`, at `depth`, with the modules it uses.
pub fn module_graph(src: &Path, depth: usize) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    collect(src, &mut files);
    let modules: BTreeMap<String, PathBuf> = files.into_iter().map(|file| (module_of(src, &file), file)).collect();
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    let at_depth = |module: &str| module.split("::").take(depth).collect::<Vec<_>>().join("::");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file) in &modules {
        let text = std::fs::read_to_string(file).expect("a readable source file");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        // Comments name modules too (`crate::clock::today_in_rome` in a doc): only code counts.
        let code: String =
            code.lines().map(|line| line.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n");
        let code = code.as_str();
        let node = at_depth(module);
        let used: BTreeSet<String> = references(module, code)
            .into_iter()
            .filter_map(|path| longest_module(&names, &path))
            .map(|used| at_depth(&used))
            .filter(|used| !related(&node, used))
            .collect();
        graph.entry(node).or_default().extend(used);
    }
    graph
}

/// A cycle in `graph`, if there is one, as the modules along it.
pub fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|on_path| on_path == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable source folder") {
        let path = entry.expect("a readable entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("under src").with_extension("");
    let parts: Vec<String> = relative.iter().map(|part| part.to_string_lossy().into_owned()).collect();
    let parts: Vec<&str> = match parts.last().map(String::as_str) {
        Some("mod" | "lib") => parts[..parts.len() - 1].iter().map(String::as_str).collect(),
        _ => parts.iter().map(String::as_str).collect(),
    };
    if parts.is_empty() { "crate".to_owned() } else { parts.join("::") }
}

/// The module paths `code` names: `crate::a::b…` as `a::b…`, and `super::x` resolved.
fn references(module: &str, code: &str) -> Vec<String> {
    let words = |rest: &str| -> Vec<String> {
        rest.split("::")
            .map(|part| part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>())
            .take_while(|part| part.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .collect()
    };
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let path = words(&code[at + "crate::".len()..]);
        if !path.is_empty() {
            found.push(path.join("::"));
        }
        // `use crate::{a, b::c}`: each item of the list.
        if code[at + "crate::".len()..].starts_with('{') {
            let list = &code[at + "crate::{".len()..];
            let list = &list[..list.find('}').unwrap_or(list.len())];
            found.extend(list.split(',').map(|item| words(item.trim()).join("::")).filter(|path| !path.is_empty()));
        }
    }
    let parent: Vec<&str> = module.split("::").collect();
    for (at, _) in code.match_indices("super::") {
        let path = words(&code[at + "super::".len()..]);
        if parent.len() > 1 && !path.is_empty() {
            found.push(format!("{}::{}", parent[..parent.len() - 1].join("::"), path.join("::")));
        }
    }
    found
}

/// The longest module that `path` names or is inside.
fn longest_module(modules: &BTreeSet<String>, path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len()).rev().map(|n| parts[..n].join("::")).find(|candidate| modules.contains(candidate))
}

/// Whether one module contains the other (or they are the same).
fn related(a: &str, b: &str) -> bool {
    a == b || b.starts_with(&format!("{a}::")) || a.starts_with(&format!("{b}::"))
}
