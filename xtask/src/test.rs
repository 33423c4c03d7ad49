//! `cargo xtask test`: the whole suite, in the order that fails fastest.

use std::path::Path;
use std::process::Command;

use anyhow::Context;

use crate::{build, run, say, setup};

pub fn all(root: &Path) -> anyhow::Result<()> {
    say("Checking formatting (cargo fmt --check)");
    run(Command::new("cargo").args(["fmt", "--all", "--check"]))?;

    setup::wasm_target()?;
    say("Linting (cargo clippy, warnings are errors)");
    run(Command::new("cargo").args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    // The upgrade test's rehearsal is code too.
    run(Command::new("cargo").args([
        "clippy",
        "-p",
        "server",
        "-p",
        "app",
        "--features",
        "server/next-schema,app/next-schema",
        "--",
        "-D",
        "warnings",
    ]))?;

    say("Linting the app as the browser runs it (wasm32)");
    run(Command::new("cargo").args([
        "clippy",
        "--package",
        "app",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;

    say("Checking that `shared` builds for wasm32");
    run(Command::new("cargo").args(["build", "--package", "shared", "--target", "wasm32-unknown-unknown"]))?;

    say("Running the Rust tests (shared, server on real SQLite files, app logic, architecture)");
    run(Command::new("cargo").args(["test", "--workspace", "--exclude", "xtask"]))?;

    let postgres = setup::postgres()?;
    say("Running the server and sync tests again on PostgreSQL (a fresh database per test)");
    // One run over both test targets with the workspace-wide selection used
    // above, so cargo reuses that build instead of resolving features anew.
    // Every API test and every sync test of `tests` runs (a new test module
    // is included without being named here); only the architecture checks,
    // which need no database, are skipped.
    run(Command::new("cargo")
        .args(["test", "--workspace", "--exclude", "xtask", "--test", "api", "--test", "whole", "--"])
        .args(["--skip", "architecture::"])
        .env("HELHED_TEST_POSTGRES", &postgres))?;

    setup::chromium()?;
    setup::wasm_bindgen_cli(root)?;
    say("Running the IndexedDB store conformance suite in headless Chromium (wasm-bindgen-test)");
    run(Command::new("cargo")
        .args(["test", "--package", "app", "--target", "wasm32-unknown-unknown", "--test", "store_idb"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "180"))?;

    setup::npm_packages(root)?;
    // The upgrade test's next build first: its server binary is copied
    // aside before today's is built in its place.
    let (next, next_server) = next_build(root)?;
    let built = build::app(root, false)?;

    say("Building the server for the browser tests");
    run(Command::new("cargo").args(["build", "--package", "server", "--bin", "helhed-server"]))?;

    say("Running the browser end-to-end tests (playwright-core + Debian chromium, 390×844)");
    run(Command::new("node")
        .args(["--test", "--test-concurrency=1", "tests/e2e/"])
        .env("HELHED_SERVER_BIN", crate::target_dir(root).join("debug/helhed-server"))
        .env("HELHED_SITE_DIR", &built.dist)
        .env("HELHED_NEXT_SERVER_BIN", &next_server)
        .env("HELHED_NEXT_SITE_DIR", &next.dist)
        .env("HELHED_ARTIFACTS", root.join("test-artifacts")))?;

    say("All tests passed");
    Ok(())
}

/// The upgrade test's build N+1 (the `next-schema` feature): the site in
/// `target/dist-next` and the server as `target/debug/helhed-server-next`.
/// Returns both. The next server is built under the usual name, copied
/// aside, and today's is built again in its place, so
/// `target/debug/helhed-server` is never the rehearsal (its migration would
/// make a database today's server refuses).
pub fn next_build(root: &Path) -> anyhow::Result<(build::Built, std::path::PathBuf)> {
    say("Building the rehearsal of the next app update (the upgrade test's build N+1)");
    let next = build::next_app(root)?;
    run(Command::new("cargo").args([
        "build",
        "--package",
        "server",
        "--bin",
        "helhed-server",
        "--features",
        "next-schema",
    ]))?;
    let debug = crate::target_dir(root).join("debug");
    let server = debug.join("helhed-server-next");
    std::fs::copy(debug.join("helhed-server"), &server).context("keeping the next server")?;
    run(Command::new("cargo").args(["build", "--package", "server", "--bin", "helhed-server"]))?;
    Ok((next, server))
}
