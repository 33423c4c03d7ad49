//! All SQL lives here; handlers call these functions and never write SQL.
//!
//! Today the store is SQLite (one file, WAL). The schema follows conventions
//! that carry over to PostgreSQL (see `migrations/`).

pub mod changes;
pub mod citizens;
pub mod org;
pub mod sessions;
pub mod sync;
pub mod users;
pub mod visits;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// Opens (and creates, with its folder) the database at `url`.
pub async fn connect(url: &str) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("reading database URL {url:?}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let file = options.get_filename().to_path_buf();
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty())
        && file.as_path() != Path::new(":memory:")
    {
        std::fs::create_dir_all(dir).with_context(|| format!("creating data folder {}", dir.display()))?;
    }
    SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .with_context(|| format!("opening database {}", file.display()))
}

/// Applies the embedded migrations that have not run yet.
pub async fn migrate(pool: &SqlitePool) -> anyhow::Result<()> {
    sqlx::migrate!("./migrations").run(pool).await.context("applying migrations")
}

/// Reads a UUID column into one of `shared`'s id types.
pub(crate) fn id<T: FromStr>(text: &str) -> anyhow::Result<T> {
    text.parse().map_err(|_| anyhow::anyhow!("corrupt id in database: {text:?}"))
}

/// Reads an enum column stored as its snake_case wire name.
pub(crate) fn wire_enum<T: serde::de::DeserializeOwned>(text: &str) -> anyhow::Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| anyhow::anyhow!("unknown value in database: {text:?}"))
}

/// The snake_case wire name of an enum, for storing it.
pub(crate) fn wire_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => panic!("BUG: enum did not serialise to a string: {other:?}"),
    }
}
