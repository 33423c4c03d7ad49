//! The dependency direction `app → shared ← server` is an invariant: the
//! contract crate does no IO and builds for the phone and the host alike.

use std::collections::{BTreeSet, HashMap};
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
