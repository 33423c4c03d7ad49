//! All SQL lives here; handlers call these functions and never write SQL.
//!
//! One code path serves both stores through sqlx's `Any` driver: SQLite (one
//! file, WAL; the default) and PostgreSQL (several server instances on one
//! database). The SQL is written once, in the dialect both understand:
//! `$1` placeholders, `ON CONFLICT`, `RETURNING`, integers for flags. The few
//! places where they differ ask [`Backend`] for their fragment. Each backend
//! has its own migrations (`migrations/sqlite`, `migrations/postgres`) that
//! build the same schema; a test compares them.

pub mod access;
pub mod admin;
pub mod changes;
pub mod citizens;
pub mod committee;
pub mod conflicts;
pub mod courses;
pub mod figures;
pub mod forum;
pub mod meetings;
pub mod notices;
pub mod offers;
pub mod org;
pub mod plans;
pub mod reports;
pub mod review;
pub mod scratch;
pub mod sessions;
pub mod settings;
pub mod sync;
pub mod users;
pub mod visits;

use std::path::Path;
use std::str::FromStr;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, AnyConnection, AnyPool, ConnectOptions, Connection, Executor, Transaction};

/// A connection of either backend; every `db` function takes one.
pub type Conn = AnyConnection;

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(conn: &Conn) -> Backend {
        if conn.backend_name().eq_ignore_ascii_case("postgresql") { Backend::Postgres } else { Backend::Sqlite }
    }

    fn of_url(url: &str) -> anyhow::Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!("unsupported database URL {url:?}: use sqlite://PATH or postgres://…")
        }
    }

    /// A subquery yielding the strings of the JSON array bound at `param`
    /// (`"$2"`), for `x IN (…)` over a list of any length.
    pub fn json_strings(self, param: &str) -> String {
        match self {
            Backend::Sqlite => format!("(SELECT value FROM json_each({param}))"),
            Backend::Postgres => format!("(SELECT json_array_elements_text(CAST({param} AS json)))"),
        }
    }

    /// An aggregate turning the selected rows into one JSON text: an array
    /// with one array of `columns` per row (`[]` for none). Reading
    /// thousands of rows as one value skips the driver's per-row cost, which
    /// dominates a report (about 10 µs a row against 1 µs).
    pub fn json_rows(self, columns: &str) -> String {
        match self {
            Backend::Sqlite => format!("json_group_array(json_array({columns}))"),
            Backend::Postgres => format!("CAST(COALESCE(json_agg(json_build_array({columns})), '[]') AS TEXT)"),
        }
    }

    /// The hidden column naming one physical row, for deleting one of
    /// several identical rows.
    pub fn row_key(self) -> &'static str {
        match self {
            Backend::Sqlite => "rowid",
            Backend::Postgres => "ctid",
        }
    }

    /// Locks the selected rows until commit where the database has row locks
    /// (PostgreSQL); SQLite's write transaction already excludes all others.
    pub fn for_update(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }
}

/// The pool and what it talks to.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

impl Db {
    /// A transaction that will write. SQLite takes its single writer lock
    /// up front (`BEGIN IMMEDIATE`), so a transaction that reads and then
    /// writes never fails on a snapshot another writer moved past. On
    /// PostgreSQL it is READ COMMITTED; writers that must not interleave
    /// lock rows (`FOR UPDATE`, the change-stream clock).
    pub async fn begin_write(&self) -> sqlx::Result<Transaction<'static, Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// A read-only transaction that sees one snapshot throughout.
    pub async fn begin_read(&self) -> sqlx::Result<Transaction<'static, Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin().await,
            Backend::Postgres => self.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await,
        }
    }

    pub async fn acquire(&self) -> sqlx::Result<PoolConnection<Any>> {
        self.pool.acquire().await
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Opens the database at `url`: `sqlite://PATH` (file and folder created on
/// first use) or `postgres://…` (the database must exist).
pub async fn connect(url: &str) -> anyhow::Result<Db> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url)?;
    let (url, shown) = match backend {
        Backend::Sqlite => {
            let options =
                SqliteConnectOptions::from_str(url).with_context(|| format!("reading database URL {url:?}"))?;
            let file = options.get_filename().to_path_buf();
            if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty())
                && file.as_path() != Path::new(":memory:")
            {
                std::fs::create_dir_all(dir).with_context(|| format!("creating data folder {}", dir.display()))?;
            }
            let url = if url.contains("mode=") {
                url.to_owned()
            } else {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            };
            (url, file.display().to_string())
        }
        // Never print a password.
        Backend::Postgres => (url.to_owned(), redact(url)),
    };
    let options = AnyConnectOptions::from_str(&url)
        .with_context(|| format!("reading database URL {shown:?}"))?
        .disable_statement_logging();
    AnyPoolOptions::new()
        .max_connections(match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        })
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // Reads map the file instead of copying pages through
                    // a small private cache: a report touches thousands of
                    // visit rows scattered over the table.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                         PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map(|pool| Db { pool, backend })
        .with_context(|| format!("opening database {shown}"))
}

/// `postgres://user:secret@host/db` → `postgres://user:…@host/db`.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:…{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Applies the embedded migrations of the backend that have not run yet,
/// each in its own transaction.
///
/// SQLite's migrations run on a connection of their own with foreign keys
/// off: changing a table's constraints there means building it anew and
/// dropping the old one, which others refer to (SQLite's documented
/// procedure; `0009_lookup_tables.sql`). A migration that does so checks
/// the references itself before it commits. The connection is closed
/// afterwards, so no connection with foreign keys off is ever pooled.
///
/// Errors: a migration that fails (nothing of it is kept), or a database
/// whose applied migrations differ from the embedded ones.
pub async fn migrate(db: &Db) -> anyhow::Result<()> {
    match db.backend {
        Backend::Sqlite => {
            let mut conn = db.pool.acquire().await.context("a connection for the migrations")?.detach();
            conn.execute("PRAGMA foreign_keys = OFF").await.context("foreign keys off for the migrations")?;
            #[cfg(not(feature = "next-schema"))]
            let migrator = sqlx::migrate!("./migrations/sqlite");
            // The rehearsal of the next update: today's migrations and its own.
            #[cfg(feature = "next-schema")]
            let migrator = {
                let mut migrator = sqlx::migrate!("./migrations/sqlite");
                let next = sqlx::migrate!("./migrations/next-sqlite");
                migrator.migrations.to_mut().extend(next.migrations.iter().cloned());
                migrator
            };
            // How many have run, to tell whether this start ran any.
            let before: i64 =
                match sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = '_sqlx_migrations'")
                    .fetch_one(&mut conn)
                    .await
                {
                    Ok(0) => 0,
                    _ => sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
                        .fetch_one(&mut conn)
                        .await
                        .unwrap_or(-1),
                };
            let applied = migrator.run_direct(&mut conn).await;
            let after: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&mut conn).await.unwrap_or(-1);
            // Whatever a migration did with the foreign keys off, they hold.
            // Checked only when one ran: the check reads every table, which
            // an ordinary start has no reason to.
            let broken: Result<i64, sqlx::Error> = if before == after && before >= 0 {
                Ok(0)
            } else {
                sqlx::query_scalar("SELECT COUNT(*) FROM pragma_foreign_key_check").fetch_one(&mut conn).await
            };
            let closed = conn.close().await;
            applied.context("applying migrations")?;
            let broken = broken.context("checking the foreign keys after the migrations")?;
            anyhow::ensure!(broken == 0, "{broken} rows refer to rows that do not exist after the migrations");
            closed.context("closing the migrations' connection")
        }
        Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&db.pool).await.context("applying migrations"),
    }
}

/// Creates an empty database named `name` on the PostgreSQL server that
/// `admin_url` reaches (a role that may create databases) and returns its
/// URL. For tests and benchmarks, which each want a fresh one.
pub async fn create_postgres_database(admin_url: &str, name: &str) -> anyhow::Result<String> {
    anyhow::ensure!(
        name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
        "bad name {name:?}"
    );
    sqlx::any::install_default_drivers();
    let mut conn =
        AnyConnection::connect(admin_url).await.with_context(|| format!("connecting to {}", redact(admin_url)))?;
    conn.execute(format!("CREATE DATABASE {name}").as_str()).await.with_context(|| format!("creating {name}"))?;
    conn.close().await?;
    let (base, _) = admin_url.rsplit_once('/').context("a PostgreSQL URL ends in /DATABASE")?;
    Ok(format!("{base}/{name}"))
}

/// Drops a database made by [`create_postgres_database`], ending its sessions.
pub async fn drop_postgres_database(admin_url: &str, name: &str) -> anyhow::Result<()> {
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(admin_url).await?;
    conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await?;
    conn.close().await?;
    Ok(())
}

/// Makes the rows of the link table `table` whose `owner_column` is
/// `owner` exactly one per item of `items` in `item_column` (a user's
/// headed areas, a course's goals). Table and column names are the
/// caller's constants, never input.
pub(crate) async fn replace_links<T: std::fmt::Display>(
    conn: &mut Conn,
    table: &str,
    owner_column: &str,
    owner: &str,
    item_column: &str,
    items: impl IntoIterator<Item = T>,
) -> sqlx::Result<()> {
    sqlx::query(&format!("DELETE FROM {table} WHERE {owner_column} = $1")).bind(owner).execute(&mut *conn).await?;
    let insert = format!("INSERT INTO {table} ({owner_column}, {item_column}) VALUES ($1, $2)");
    for item in items {
        sqlx::query(&insert).bind(owner).bind(item.to_string()).execute(&mut *conn).await?;
    }
    Ok(())
}

/// The citizen of each row of `table` (a table with `id` and `citizen_id`
/// columns: `grants`, `courses`; the caller's constant, never input) among
/// `ids`; ids with no row are left out.
pub(crate) async fn citizens_of<T: std::fmt::Display + FromStr>(
    conn: &mut Conn,
    table: &str,
    ids: &[T],
) -> anyhow::Result<Vec<(T, shared::CitizenId)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT id, citizen_id FROM {table} WHERE id IN {}", Backend::of(conn).json_strings("$1"));
    let rows: Vec<(String, String)> = sqlx::query_as(&sql).bind(json_ids(ids)).fetch_all(conn).await?;
    rows.iter().map(|(row, citizen)| Ok((id(row)?, id(citizen)?))).collect()
}

/// The VALUES of a multi-row INSERT: `rows` rows of `cols` values each,
/// numbered `($1, $2), ($3, $4)` on PostgreSQL and anonymous `(?, ?)` on
/// SQLite, where looking up a numbered parameter's name is a linear scan
/// per parameter (quadratic for a thousand rows). sqlx's `QueryBuilder`
/// writes `?` for `Any`, which PostgreSQL does not read, hence this.
pub(crate) fn placeholders(backend: Backend, rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        out.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            match backend {
                Backend::Sqlite => out.push('?'),
                Backend::Postgres => {
                    out.push('$');
                    out.push_str(&(r * cols + c + 1).to_string());
                }
            }
        }
        out.push(')');
    }
    out
}

/// A JSON array of ids (or any displayable values), the form every list
/// parameter takes (see [`Backend::json_strings`]).
pub(crate) fn json_ids<T: std::fmt::Display>(ids: &[T]) -> String {
    let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
    serde_json::to_string(&ids).expect("BUG: a list of strings always serialises")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_rows_then_columns() {
        assert_eq!(placeholders(Backend::Postgres, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(placeholders(Backend::Postgres, 1, 1), "($1)");
        assert_eq!(placeholders(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
    }

    #[test]
    fn passwords_never_reach_the_log() {
        assert_eq!(redact("postgres://helhed:s3cret@db:5432/helhed"), "postgres://helhed:…@db:5432/helhed");
        assert_eq!(redact("postgres://helhed@db/helhed"), "postgres://helhed@db/helhed");
        assert_eq!(redact("sqlite://data/helhed.db"), "sqlite://data/helhed.db");
    }
}
