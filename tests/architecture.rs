//! The dependency direction `app → shared ← server` is an invariant: the
//! contract crate does no IO and builds for the phone and the host alike.
//! Inside each crate, the module rules ARCHITECTURE.md states hold
//! (`crate::modules`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

const FORBIDDEN_IN_SHARED: [&str; 8] =
    ["axum", "sqlx", "tokio", "leptos", "web-sys", "gloo-net", "gloo-storage", "indexed_db_futures"];

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root")
}

/// Every package a workspace crate depends on at run time (not dev or build
/// dependencies), transitively, for the given target.
fn runtime_closure(krate: &str, target: Option<&str>) -> BTreeSet<String> {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["metadata", "--format-version", "1", "--locked"]).current_dir(workspace_root());
    if let Some(target) = target {
        cmd.args(["--filter-platform", target]);
    }
    let out = cmd.output().expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let meta: Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let names: HashMap<&str, &str> = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| (p["id"].as_str().expect("id"), p["name"].as_str().expect("name")))
        .collect();
    let nodes: HashMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| (n["id"].as_str().expect("id"), n))
        .collect();
    let start = names.iter().find(|(_, name)| **name == krate).map(|(id, _)| *id).expect("crate in workspace");
    let mut seen = BTreeSet::new();
    let mut stack = vec![start];
    while let Some(id) = stack.pop() {
        for dep in nodes[id]["deps"].as_array().expect("deps") {
            let normal = dep["dep_kinds"].as_array().expect("kinds").iter().any(|k| k["kind"].is_null());
            let dep_id = dep["pkg"].as_str().expect("pkg");
            if normal && seen.insert(names[dep_id].to_owned()) {
                stack.push(dep_id);
            }
        }
    }
    seen
}

/// The host's target triple, from `rustc -vV`.
fn host() -> String {
    let out = Command::new("rustc").arg("-vV").output().expect("rustc runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines().find_map(|l| l.strip_prefix("host: ")).expect("rustc names its host").to_owned()
}

#[test]
fn shared_depends_on_nothing_that_does_io() {
    let host = host();
    for target in [Some(host.as_str()), Some("wasm32-unknown-unknown")] {
        let deps = runtime_closure("shared", target);
        let bad: Vec<_> = FORBIDDEN_IN_SHARED.iter().filter(|f| deps.contains(**f)).collect();
        assert!(bad.is_empty(), "shared pulls in {bad:?} (target {target:?}); all deps: {deps:?}");
    }
}

#[test]
fn the_app_and_the_server_meet_only_in_shared() {
    let app = runtime_closure("app", Some("wasm32-unknown-unknown"));
    let server = runtime_closure("server", Some(&host()));
    assert!(app.contains("shared") && server.contains("shared"));
    // (tokio may appear: indexed_db_futures uses its `sync` primitives,
    // which need no runtime; the server's stack may not.)
    for forbidden in ["server", "axum", "sqlx", "hyper", "argon2"] {
        assert!(!app.contains(forbidden), "the app must not depend on {forbidden}");
    }
    for forbidden in ["app", "leptos", "web-sys", "wasm-bindgen"] {
        assert!(!server.contains(forbidden), "the server must not depend on {forbidden}");
    }
}

#[test]
fn shared_builds_for_wasm32() {
    // A separate target folder: the outer `cargo test` holds the main one.
    let target_dir = workspace_root().join("target/architecture-check");
    let out = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--locked", "--package", "shared", "--target", "wasm32-unknown-unknown"])
        .env("CARGO_TARGET_DIR", target_dir)
        .current_dir(workspace_root())
        .output()
        .expect("cargo build runs");
    assert!(out.status.success(), "shared must build for wasm32:\n{}", String::from_utf8_lossy(&out.stderr));
}

/// The module rules ARCHITECTURE.md states, checked on the real crates:
/// no cycle between files or top-level modules, and in `app` and `server`
/// each top-level module uses only those below it.
#[test]
fn each_crate_keeps_the_module_rules_architecture_md_states() {
    let root = workspace_root();
    let doc = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut problems = Vec::new();
    for krate in ["app", "server", "shared"] {
        let layers = crate::modules::stated_layers(&doc, krate);
        assert!(krate == "shared" || layers.is_some(), "ARCHITECTURE.md states no layers for {krate}");
        let modules = crate::modules::read_crate(&root.join(krate).join("src"));
        assert!(modules.len() > 10, "{krate}: read {} modules", modules.len());
        problems
            .extend(crate::modules::check(&modules, layers.as_deref()).into_iter().map(|p| format!("{krate}: {p}")));
    }
    assert!(problems.is_empty(), "module rules broken:\n{}", problems.join("\n"));
}

/// The check finds what it is for (issue 13: "try it"): a cycle between
/// files, one between rooms through files that form none, a use upwards
/// across the layers, a room in no layer; and it reads `super::`, use
/// trees, root re-exports and ignores comments, strings and tests.
#[test]
fn the_module_check_catches_cycles_and_uses_against_the_layers() {
    use crate::modules::{check, module_graph};
    let krate = |files: &[(&str, &str)]| -> BTreeMap<Vec<String>, String> {
        files
            .iter()
            .map(|(path, src)| {
                let module = if path.is_empty() { vec![] } else { path.split("::").map(str::to_owned).collect() };
                (module, (*src).to_owned())
            })
            .collect()
    };
    let layers = |text: &str| -> Vec<Vec<String>> {
        text.split('>').map(|l| l.split_whitespace().map(str::to_owned).collect()).collect()
    };
    let clean = krate(&[
        ("", "pub mod a; pub mod b; pub use b::Thing;"),
        ("a", "use crate::{b::Thing, b::deep::{One, Two}};\n// crate::c::Never\nfn f() -> &str { \"crate::c\" }"),
        ("b", "pub mod deep; pub struct Thing;"),
        ("b::deep", "use super::Thing; pub struct One; pub struct Two;\n#[cfg(test)]\nmod tests { use crate::a::X; }"),
        ("c", "fn g() { let _ = crate::Thing; }"),
    ]);
    let graph = module_graph(&clean);
    let edges = |m: &str| -> Vec<String> {
        graph[&m.split("::").map(str::to_owned).collect::<Vec<_>>()].iter().map(|t| t.join("::")).collect()
    };
    assert_eq!(edges("a"), ["b", "b::deep"], "use trees, not comments or strings");
    assert_eq!(edges("b::deep"), Vec::<String>::new(), "super:: is containment; tests do not count");
    assert_eq!(edges("c"), ["b"], "a root re-export goes to its module");
    assert_eq!(check(&clean, Some(&layers("a c > b"))), Vec::<String>::new());

    let file_cycle = krate(&[("", ""), ("x", "use crate::y::A;"), ("y", "fn f() { crate::x::g() }")]);
    assert_eq!(
        check(&file_cycle, None),
        ["a cycle between files: x → y → x", "a cycle between top-level modules: x → y → x"]
    );

    let room_cycle = krate(&[
        ("", ""),
        ("p", "pub mod one; pub mod two;"),
        ("p::one", "use crate::q::Q;"),
        ("q", "use crate::p::two::T;"),
        ("p::two", ""),
    ]);
    assert_eq!(check(&room_cycle, None), ["a cycle between top-level modules: p → q → p"]);

    let upwards = krate(&[("", ""), ("high", "use crate::low::L;"), ("low", "use crate::mid::M;"), ("mid", "")]);
    assert_eq!(check(&upwards, Some(&layers("high > mid > low"))), ["`low` uses `mid`, which is not below it"]);
    let unplaced = check(&upwards, Some(&layers("high > low > gone")));
    assert!(unplaced.contains(&"`mid` is in no layer of ARCHITECTURE.md's module rules".to_owned()), "{unplaced:?}");
    assert!(
        unplaced.contains(&"ARCHITECTURE.md's module rules name `gone`, which does not exist".to_owned()),
        "{unplaced:?}"
    );
}
