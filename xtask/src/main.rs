//! Helhed's build and test driver. Run through the cargo alias:
//!
//! * `cargo xtask demo`  — build the app and start the server with demo data;
//! * `cargo xtask test`  — every test: Rust, wasm in Chromium, browser end-to-end;
//! * `cargo xtask build` — build the PWA into `dist/`; `--next` builds the
//!   upgrade test's rehearsal of the next update instead (`test::next_build`);
//! * `cargo xtask bench` — print sync throughput and latency, the team
//!   report's latency, logins at once (server memory, share refused), app
//!   size, offline start and save times;
//! * `cargo xtask icons` — redraw the app icons in `public/icons/`.
//!
//! Each command installs what it needs when it is missing (the wasm32
//! target, wasm-bindgen CLI at the version in Cargo.lock, Debian's chromium
//! and chromedriver, npm packages) and says what it is doing. Nothing here
//! downloads a binary from anywhere but the package registries.

mod build;
mod icons;
mod setup;
mod test;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = root();
    std::env::set_current_dir(&root).context("entering the workspace root")?;
    match args.first().map(String::as_str) {
        Some("build") if args.iter().any(|a| a == "--next") => test::next_build(&root).map(drop),
        Some("build") => build::app(&root, args.iter().any(|a| a == "--dev")).map(drop),
        Some("demo") => demo(&root, &args[1..]),
        Some("test") => test::all(&root),
        Some("icons") => icons::draw(&root.join("public/icons")),
        Some("bench") => bench(&root),
        _ => {
            eprintln!("usage: cargo xtask <demo | test | build [--dev | --next] | bench | icons>");
            std::process::exit(2);
        }
    }
}

/// The workspace root (the parent of this crate).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("BUG: xtask lives in the workspace").to_path_buf()
}

/// Cargo's output folder: `CARGO_TARGET_DIR` when set (relative to the
/// workspace root), else `target/`.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// Prints what is about to happen, like a person narrating their work.
pub fn say(what: &str) {
    println!("\n==> {what}");
}

/// Runs a command, failing with its name if it fails.
pub fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().with_context(|| format!("starting {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}

/// Builds the app and runs the server with demo data on the embedded SQLite.
fn demo(root: &Path, extra: &[String]) -> anyhow::Result<()> {
    build::app(root, false)?;
    // Built first, with cargo's progress showing: on a fresh machine this
    // takes minutes, and a silent terminal looks like a hang (issue 15's
    // walk from a clean clone).
    say("Building the server (release; the first time takes several minutes, cargo lists each crate)");
    run(Command::new("cargo").args(["build", "--release", "-p", "server"]))?;
    say("Starting the server with demo data (SQLite in data/helhed.db)");
    let mut cmd = Command::new("cargo");
    cmd.args(["run", "--quiet", "--release", "-p", "server", "--", "--demo"]).args(extra);
    run(&mut cmd)
}

/// Benchmarks print figures; they never fail on a slow machine.
fn bench(root: &Path) -> anyhow::Result<()> {
    say("Sync benchmark: a release server on loopback with SQLite (takes about a minute)");
    run(Command::new("cargo").args(["run", "--quiet", "--release", "-p", "server", "--example", "sync_bench"]))?;
    say("Plan benchmark: a worker's 40 citizens' plans (8 goals, three years of follow-ups) onto an empty phone");
    run(Command::new("cargo").args(["run", "--quiet", "--release", "-p", "server", "--example", "plan_bench"]))?;
    say("Report benchmark: the lead's team report with 1 000 000 visits stored (takes about a minute)");
    run(Command::new("cargo").args(["run", "--quiet", "--release", "-p", "server", "--example", "report_bench"]))?;
    say(
        "Figures benchmark: the case review's table and the 12-month trend with 100 000 citizens and 1 000 000 visits (takes a few minutes)",
    );
    run(Command::new("cargo").args(["run", "--quiet", "--release", "-p", "server", "--example", "figures_bench"]))?;
    say("The same at a tenth: 10 000 citizens and 100 000 visits (a large municipality)");
    run(Command::new("cargo")
        .args(["run", "--quiet", "--release", "-p", "server", "--example", "figures_bench"])
        .env("HELHED_BENCH_SCALE", "10"))?;
    say("Login benchmark: 200 logins at once against a release server; its peak memory and the share refused");
    run(Command::new("cargo").args(["run", "--quiet", "--release", "-p", "server", "--example", "login_bench"]))?;

    setup::chromium()?;
    setup::npm_packages(root)?;
    let built = build::app(root, false)?;
    run(Command::new("cargo").args(["build", "--release", "--package", "server", "--bin", "helhed-server"]))?;
    say("Field-app benchmark: shell size, offline cold start and saving a visit in headless Chromium");
    run(Command::new("node")
        .arg("tests/e2e/bench.mjs")
        .env("HELHED_SERVER_BIN", target_dir(root).join("release/helhed-server"))
        .env("HELHED_SITE_DIR", &built.dist))
}
