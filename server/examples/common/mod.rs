//! What the benchmarks share (`mod common;` in each): a server on
//! loopback over a fresh SQLite file seeded with the demo, a login, and
//! the median of timings.

// Each benchmark uses the part it needs.
#![allow(dead_code)]

use std::time::Duration;

use clap::Parser;
use serde_json::json;

/// A running server: its database (to grow it straight in SQL) and base URL.
pub struct Bench {
    pub db: sqlx::AnyPool,
    pub base: String,
    /// Removed when the bench ends, unless `HELHED_BENCH_DIR` keeps the file.
    _dir: tempfile::TempDir,
}

/// Starts the server over `file` (in a temporary folder, or in
/// `HELHED_BENCH_DIR` to look at it afterwards) with the demo seeded.
pub async fn start(file: &str) -> anyhow::Result<Bench> {
    let dir = tempfile::tempdir()?;
    let path = match std::env::var_os("HELHED_BENCH_DIR") {
        Some(kept) => std::path::PathBuf::from(kept).join(file),
        None => dir.path().join(file),
    };
    let url = format!("sqlite://{}", path.display());
    let config = server::Config::parse_from(["bench", "--demo", "--database-url", &url, "--site-dir", "/nonexistent"]);
    let state = server::prepare(&config, server::Clock::system()).await?;
    let db = state.db.pool.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(server::serve(listener, state, std::future::pending()));
    Ok(Bench { db, base, _dir: dir })
}

/// Logs `username` in with the demo password; the session cookie.
pub async fn login(http: &reqwest::Client, base: &str, username: &str) -> anyhow::Result<String> {
    let res = http
        .post(format!("{base}/api/session"))
        .header("x-requested-with", "helhed")
        .json(&json!({ "username": username, "password": "demo1234" }))
        .send()
        .await?;
    Ok(res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or_else(|| anyhow::anyhow!("no session cookie"))?
        .to_owned())
}

/// The median of `v` (the upper one of an even count).
pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// `n` more teams in `area`, ids `0000000i-0000-4000-b000-…` and names
/// "Team i".
pub async fn add_teams(tx: &mut sqlx::AnyConnection, area: &str, n: i64) -> anyhow::Result<()> {
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $2 - 1)
         INSERT INTO teams (id, area_id, name) SELECT printf('%08x-0000-4000-b000-%012x', i, i), $1, 'Team ' || i FROM n",
    )
    .bind(area)
    .bind(n)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// `n` more users who cannot log in (`bench0`, …), ids
/// `0000000i-0000-4000-9000-…`; no roles, no teams yet.
pub async fn add_users(tx: &mut sqlx::AnyConnection, n: i64) -> anyhow::Result<()> {
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
         INSERT INTO users (id, username, name, password_hash, active, created_at)
         SELECT printf('%08x-0000-4000-9000-%012x', i, i), 'bench' || i, 'Medarbejder ' || i, 'x', 1, 0 FROM n",
    )
    .bind(n)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
