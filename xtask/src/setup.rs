//! Installs missing tools, from the package registries only.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

use crate::{run, say};

fn succeeds(cmd: &mut Command) -> bool {
    cmd.output().map(|o| o.status.success()).unwrap_or(false)
}

fn stdout(cmd: &mut Command) -> Option<String> {
    cmd.output().ok().filter(|o| o.status.success()).map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
}

pub fn wasm_target() -> anyhow::Result<()> {
    let installed = stdout(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    say("Installing the Rust target wasm32-unknown-unknown");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The wasm-bindgen version Cargo.lock pins: the CLI must match it exactly.
pub fn locked_wasm_bindgen(root: &Path) -> anyhow::Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    bail!("wasm-bindgen is not in Cargo.lock")
}

pub fn wasm_bindgen_cli(root: &Path) -> anyhow::Result<()> {
    let version = locked_wasm_bindgen(root)?;
    let have = stdout(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(version.as_str()) {
        return Ok(());
    }
    say(&format!("Installing wasm-bindgen-cli {version} (the version in Cargo.lock; takes a few minutes)"));
    run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))
}

/// Debian's chromium and chromedriver, for wasm tests and browser tests, and
/// the sqlite3 shell the browser tests use to change the server's data.
pub fn chromium() -> anyhow::Result<()> {
    let have = |bin: &str| Path::new(bin).exists();
    // chromium-l10n: the browser tests run Chromium in Danish, so date and
    // time fields show 24.11.2026 and 15.28 as on a Danish phone.
    if have("/usr/bin/chromium")
        && have("/usr/bin/chromedriver")
        && have("/usr/lib/chromium/locales/da.pak")
        && have("/usr/bin/sqlite3")
    {
        return Ok(());
    }
    say("Installing Debian's chromium, chromium-driver, chromium-l10n and sqlite3 (apt-get)");
    let root_user = stdout(Command::new("id").arg("-u")).is_some_and(|id| id.trim() == "0");
    let apt = |args: &[&str]| {
        let mut cmd = if root_user { Command::new("apt-get") } else { Command::new("sudo") };
        if !root_user {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut cmd)
    };
    apt(&["update", "-q"])?;
    apt(&["install", "-y", "-q", "chromium", "chromium-driver", "chromium-l10n", "sqlite3"])
}

/// npm packages for the browser tests (playwright-core, axe-core), from the
/// lock file; playwright-core never downloads a browser.
pub fn npm_packages(root: &Path) -> anyhow::Result<()> {
    let dir = root.join("tests/e2e");
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&stamp)) {
        (Ok(l), Ok(s)) => s.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    if !succeeds(Command::new("npm").arg("--version")) {
        bail!("npm is missing: install Node.js 20 or newer (Debian: apt-get install nodejs npm)");
    }
    say("Installing npm packages for the browser tests (tests/e2e)");
    let mut cmd = Command::new("npm");
    cmd.current_dir(&dir).env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    if lock.exists() {
        cmd.args(["ci", "--no-audit", "--no-fund"]);
    } else {
        cmd.args(["install", "--no-audit", "--no-fund"]);
    }
    run(&mut cmd)
}

/// A PostgreSQL server for the tests, as a URL of a role that may create
/// databases: `HELHED_TEST_POSTGRES` if set, else Debian's `postgresql`
/// (installed, its cluster started and a `helhed` role made as needed).
pub fn postgres() -> anyhow::Result<String> {
    if let Ok(url) = std::env::var("HELHED_TEST_POSTGRES")
        && !url.is_empty()
    {
        return Ok(url);
    }
    let root_user = stdout(Command::new("id").arg("-u")).is_some_and(|id| id.trim() == "0");
    let as_root = |program: &str| {
        if root_user {
            Command::new(program)
        } else {
            let mut cmd = Command::new("sudo");
            cmd.arg(program);
            cmd
        }
    };
    if !succeeds(Command::new("pg_lsclusters").arg("--help")) {
        say("Installing Debian's postgresql (apt-get)");
        run(as_root("apt-get").args(["update", "-q"]).env("DEBIAN_FRONTEND", "noninteractive"))?;
        run(as_root("apt-get").args(["install", "-y", "-q", "postgresql"]).env("DEBIAN_FRONTEND", "noninteractive"))?;
    }
    let clusters = stdout(Command::new("pg_lsclusters").arg("--no-header")).unwrap_or_default();
    let Some(cluster) = clusters.lines().map(|l| l.split_whitespace().collect::<Vec<_>>()).find(|f| f.len() >= 4)
    else {
        bail!("postgresql is installed but has no cluster (pg_createcluster makes one)");
    };
    let (version, name, port, status) = (cluster[0], cluster[1], cluster[2], cluster[3]);
    if status != "online" {
        say(&format!("Starting PostgreSQL {version} (cluster {name}, port {port})"));
        run(as_root("pg_ctlcluster").args([version, name, "start"]))?;
    }
    let sql = "DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'helhed') THEN
          CREATE ROLE helhed LOGIN CREATEDB PASSWORD 'helhed';
        END IF;
      END $$;";
    let mut psql = if root_user {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]);
        cmd
    } else {
        let mut cmd = Command::new("sudo");
        cmd.args(["-u", "postgres"]);
        cmd
    };
    psql.args(["psql", "--quiet", "--port", port, "--command", sql]);
    let made = psql.output().context("running psql")?;
    if !made.status.success() {
        bail!("could not make the test role: {}", String::from_utf8_lossy(&made.stderr));
    }
    Ok(format!("postgres://helhed:helhed@127.0.0.1:{port}/postgres"))
}
