//! What the benchmarks share (`mod common;` in each): a server on
//! loopback over a fresh SQLite file seeded with the demo, a login, a
//! phone's sync client, and the median of timings.

// Each benchmark uses the part it needs.
#![allow(dead_code)]

use std::time::Duration;

use clap::Parser;
use serde_json::{Value, json};
use shared::sync::{PROTOCOL_VERSION, PullResponse, PushResponse, SCHEMA_VERSION};
use uuid::Uuid;

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

/// A phone as the sync protocol sees it: a logged-in user, a client id and
/// its mutation counter.
pub struct SyncClient {
    pub http: reqwest::Client,
    pub base: String,
    pub cookie: String,
    pub id: Uuid,
    pub next: u64,
}

/// What pulling every page brought: rows, bytes of JSON, the last cursor.
pub struct Pulled {
    pub rows: usize,
    pub bytes: usize,
    pub cursor: Value,
}

impl SyncClient {
    pub async fn login(base: &str, username: &str) -> anyhow::Result<SyncClient> {
        let http = reqwest::Client::new();
        let cookie = login(&http, base, username).await?;
        Ok(SyncClient { http, base: base.to_owned(), cookie, id: Uuid::now_v7(), next: 1 })
    }

    /// Posts `body` as JSON; the answer's bytes.
    pub async fn post_bytes(&self, path: &str, body: &Value) -> anyhow::Result<Vec<u8>> {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header("x-requested-with", "helhed")
            .header("cookie", &self.cookie)
            .json(body)
            .send()
            .await?;
        anyhow::ensure!(res.status() == 200, "{path}: {}", res.status());
        Ok(res.bytes().await?.to_vec())
    }

    pub async fn post<T: serde::de::DeserializeOwned>(&self, path: &str, body: &Value) -> anyhow::Result<T> {
        Ok(serde_json::from_slice(&self.post_bytes(path, body).await?)?)
    }

    /// Pushes `bodies` as the next mutations, in one request.
    pub async fn push(&mut self, bodies: Vec<Value>) -> anyhow::Result<PushResponse> {
        let mutations: Vec<Value> = bodies
            .into_iter()
            .map(|body| {
                let m = json!({ "id": self.next, "created_at": "2026-11-23T10:00:00Z", "body": body });
                self.next += 1;
                m
            })
            .collect();
        let req = json!({ "protocol_version": PROTOCOL_VERSION, "schema_version": SCHEMA_VERSION, "client_id": self.id, "mutations": mutations });
        self.post("/api/sync/push", &req).await
    }

    /// Pulls every page from `cursor` (none: from the start).
    pub async fn pull_all(&self, cursor: Option<Value>) -> anyhow::Result<Pulled> {
        let mut cursor = cursor.unwrap_or(Value::Null);
        let (mut rows, mut bytes) = (0, 0);
        loop {
            let req = json!({ "protocol_version": PROTOCOL_VERSION, "schema_version": SCHEMA_VERSION, "client_id": self.id, "cursor": cursor });
            let body = self.post_bytes("/api/sync/pull", &req).await?;
            bytes += body.len();
            let page: PullResponse = serde_json::from_slice(&body)?;
            rows += page.changes.len();
            cursor = serde_json::to_value(&page.cursor)?;
            if !page.has_more {
                return Ok(Pulled { rows, bytes, cursor });
            }
        }
    }
}
