//! The module rules inside each crate, as ARCHITECTURE.md states them
//! ("Module rules"): no cycle between a crate's files or between its
//! top-level modules (its rooms), and in `app` and `server` each room uses
//! only the rooms below it in the stated order.
//!
//! A use is any `crate::…` or `super::…` path in a file's code (a `use`
//! item, a tree of them, or a path in an expression), outside comments,
//! string literals and `#[cfg(test)]` items. It is resolved to the deepest
//! module it names; a name the crate root re-exports goes to the module it
//! comes from. A module using its own ancestors (`super::`, its room's
//! shared definitions) is containment, not a dependency.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module path inside a crate: `["sync", "runner"]`; the root is `[]`.
pub type ModPath = Vec<String>;

/// Every module of the crate whose `src` is at `dir`, with its source.
pub fn read_crate(dir: &Path) -> BTreeMap<ModPath, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable src dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(dir).expect("inside src").with_extension("");
            let mut module: ModPath = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                module.pop();
            }
            // A binary's main.rs beside lib.rs is its own root: skip it.
            if module.is_empty() && path.file_name().is_some_and(|f| f == "main.rs") && dir.join("lib.rs").exists() {
                continue;
            }
            out.insert(module, std::fs::read_to_string(&path).expect("readable source"));
        }
    }
    out
}

/// The code of a file with comments, string and char literals blanked and
/// `#[cfg(test)]` items removed.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                out.push(' ');
            }
            b'r' if matches!(b.get(i + 1), Some(b'#' | b'"')) && (i == 0 || !is_ident(b[i - 1])) => {
                // A raw string: r"…", r#"…"#.
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    out.push('r');
                    i += 1;
                    continue;
                }
                j += 1;
                let end: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
                while j < b.len() && !b[j..].starts_with(&end) {
                    j += 1;
                }
                i = j + end.len();
                out.push_str("\"\"");
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            }
            b'\'' if b.get(i + 2) == Some(&b'\'') || (b.get(i + 1) == Some(&b'\\')) => {
                // A char literal ('x', '\n', '\u{…}'); a lifetime has no closing quote.
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("' '");
            }
            c => {
                // Multi-byte UTF-8 passes through whole.
                let len = utf8_len(c);
                out.push_str(&src[i..i + len]);
                i += len;
            }
        }
    }
    drop_test_items(&out)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Removes each `#[cfg(test)]` item: up to its `;` or its balanced `{…}`.
fn drop_test_items(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The paths a file's code names from `crate::` or `super::`, each as the
/// segments after the crate root (`super` resolved against `module`).
fn used_paths(module: &[String], code: &str) -> Vec<ModPath> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = (i == 0 || !is_ident(b[i - 1]) && !matches!(b[i - 1], b':' | b'$'))
            && (b[i..].starts_with(b"crate::") || b[i..].starts_with(b"super::"));
        if !starts {
            i += 1;
            continue;
        }
        let mut base: ModPath = Vec::new();
        let mut j = i;
        if b[i..].starts_with(b"crate::") {
            j += "crate::".len();
        } else {
            base = module.to_vec();
            while b[j..].starts_with(b"super::") {
                base.pop();
                j += "super::".len();
            }
        }
        let (trees, end) = use_tree(code, j);
        for t in trees {
            let mut full = base.clone();
            full.extend(t);
            out.push(full);
        }
        i = end.max(i + 1);
    }
    out
}

/// Parses a path or use tree at `at` (`a::b`, `a::{b, c::d}`, `{a, b}`):
/// every leaf path, and where the tree ends.
fn use_tree(code: &str, mut at: usize) -> (Vec<ModPath>, usize) {
    let b = code.as_bytes();
    let skip_ws = |mut k: usize| {
        while k < b.len() && b[k].is_ascii_whitespace() {
            k += 1;
        }
        k
    };
    let mut prefix: ModPath = Vec::new();
    loop {
        at = skip_ws(at);
        if b.get(at) == Some(&b'{') {
            let mut leaves = Vec::new();
            at += 1;
            loop {
                at = skip_ws(at);
                match b.get(at) {
                    Some(b'}') => {
                        at += 1;
                        break;
                    }
                    Some(b',') => at += 1,
                    None => break,
                    _ => {
                        let (sub, end) = use_tree(code, at);
                        leaves.extend(sub.into_iter().map(|s| prefix.iter().cloned().chain(s).collect()));
                        // An `as` rename or anything else up to the next , or }.
                        at = end;
                        while at < b.len() && b[at] != b',' && b[at] != b'}' {
                            at += 1;
                        }
                    }
                }
            }
            return (leaves, at);
        }
        let start = at;
        while at < b.len() && is_ident(b[at]) {
            at += 1;
        }
        if at == start {
            return (vec![prefix], at);
        }
        prefix.push(code[start..at].to_owned());
        if b[at..].starts_with(b"::") && !b[at + 2..].starts_with(b"<") {
            at += 2;
        } else {
            return (vec![prefix], at);
        }
    }
}

/// The names the crate root re-exports (`pub use m::{A, B}`, `pub use
/// m::*`) and the module each comes from.
fn root_reexports(modules: &BTreeMap<ModPath, String>) -> BTreeMap<String, ModPath> {
    let mut out = BTreeMap::new();
    let Some(root) = modules.get(&Vec::new()) else { return out };
    let code = code_only(root);
    for (at, _) in code.match_indices("pub use ") {
        let (trees, _) = use_tree(&code, at + "pub use ".len());
        for t in trees {
            let Some(module) = deepest_module(modules, &t) else { continue };
            match t.last().map(String::as_str) {
                Some("*") | None => {}
                Some(name) if t.len() > module.len() => {
                    out.insert(name.to_owned(), module);
                }
                _ => {}
            }
        }
        // Glob re-exports: `pub use m::*` — every word the module defines.
        let rest = &code[at + "pub use ".len()..];
        if let Some(stmt) = rest.split(';').next()
            && let Some(path) = stmt.trim().strip_suffix("::*")
        {
            let module: ModPath = path.split("::").map(|s| s.trim().to_owned()).collect();
            if let Some(src) = modules.get(&module) {
                for word in code_only(src).split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                    if word.starts_with(char::is_uppercase) {
                        out.entry(word.to_owned()).or_insert_with(|| module.clone());
                    }
                }
            }
        }
    }
    out
}

fn deepest_module(modules: &BTreeMap<ModPath, String>, path: &[String]) -> Option<ModPath> {
    (1..=path.len()).rev().map(|n| path[..n].to_vec()).find(|p| modules.contains_key(p))
}

/// Every dependency between two of the crate's modules: `from → to`, with
/// containment (a module using an ancestor) left out.
pub fn module_graph(modules: &BTreeMap<ModPath, String>) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let reexports = root_reexports(modules);
    let mut graph: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for (module, src) in modules {
        let code = code_only(src);
        let edges = graph.entry(module.clone()).or_default();
        for path in used_paths(module, &code) {
            let target = deepest_module(modules, &path)
                .or_else(|| path.first().and_then(|name| reexports.get(name)).cloned())
                .unwrap_or_default();
            let ancestor_or_self = module.starts_with(&target);
            if !ancestor_or_self {
                edges.insert(target);
            }
        }
    }
    graph
}

/// A cycle in `graph`, as the path that closes it, if there is one.
pub fn find_cycle<N: Ord + Clone>(graph: &BTreeMap<N, BTreeSet<N>>) -> Option<Vec<N>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<N: Ord + Clone>(
        n: &N,
        graph: &BTreeMap<N, BTreeSet<N>>,
        marks: &mut BTreeMap<N, Mark>,
        path: &mut Vec<N>,
    ) -> Option<Vec<N>> {
        match marks.get(n) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = path.iter().position(|p| p == n).expect("open nodes are on the path");
                let mut cycle = path[from..].to_vec();
                cycle.push(n.clone());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(n.clone(), Mark::Open);
        path.push(n.clone());
        for next in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(next, graph, marks, path) {
                return Some(c);
            }
        }
        path.pop();
        marks.insert(n.clone(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph.keys().find_map(|n| visit(n, graph, &mut marks, &mut Vec::new()))
}

/// The rooms' graph: top-level modules, the root left out.
pub fn room_graph(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> BTreeMap<String, BTreeSet<String>> {
    let mut rooms: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in graph {
        let Some(a) = from.first() else { continue };
        let edges = rooms.entry(a.clone()).or_default();
        for b in tos.iter().filter_map(|t| t.first()).filter(|b| *b != a) {
            edges.insert(b.clone());
        }
    }
    rooms
}

/// The module rules of one crate: no cycle between files or rooms, and,
/// given `layers` (top first; rooms in one layer may not use each other),
/// each room uses only rooms in lower layers. Every problem, in words.
pub fn check(modules: &BTreeMap<ModPath, String>, layers: Option<&[Vec<String>]>) -> Vec<String> {
    let show = |p: &ModPath| if p.is_empty() { "crate".to_owned() } else { p.join("::") };
    let mut problems = Vec::new();
    let graph = module_graph(modules);
    if let Some(cycle) = find_cycle(&graph) {
        problems.push(format!("a cycle between files: {}", cycle.iter().map(show).collect::<Vec<_>>().join(" → ")));
    }
    let rooms = room_graph(&graph);
    if let Some(cycle) = find_cycle(&rooms) {
        problems.push(format!("a cycle between top-level modules: {}", cycle.join(" → ")));
    }
    if let Some(layers) = layers {
        let level: BTreeMap<&str, usize> =
            layers.iter().enumerate().flat_map(|(i, l)| l.iter().map(move |r| (r.as_str(), i))).collect();
        for (room, uses) in &rooms {
            let Some(&from) = level.get(room.as_str()) else {
                problems.push(format!("`{room}` is in no layer of ARCHITECTURE.md's module rules"));
                continue;
            };
            for used in uses {
                match level.get(used.as_str()) {
                    Some(&to) if to > from => {}
                    Some(_) => problems.push(format!("`{room}` uses `{used}`, which is not below it")),
                    None => problems.push(format!("`{used}` is in no layer of ARCHITECTURE.md's module rules")),
                }
            }
        }
        for room in level.keys() {
            if !modules.contains_key(&vec![(*room).to_owned()]) {
                problems.push(format!("ARCHITECTURE.md's module rules name `{room}`, which does not exist"));
            }
        }
    }
    problems
}

/// The layers ARCHITECTURE.md states for `krate`: the line `krate: a > b c > d`
/// inside its "module rules" block.
pub fn stated_layers(architecture: &str, krate: &str) -> Option<Vec<Vec<String>>> {
    let block = architecture.split("<!-- module rules -->").nth(1)?;
    let line = block.lines().find_map(|l| l.trim().strip_prefix(&format!("{krate}:")))?;
    Some(line.split('>').map(|layer| layer.split_whitespace().map(str::to_owned).collect()).collect())
}
