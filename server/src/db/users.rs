//! Users, roles and login-attempt bookkeeping (throttling).

use shared::text::{PersonName, Username};
use shared::user::Role;
use shared::{Timestamp, UserId};
use sqlx::Row;

use sha2::{Digest, Sha256};

use super::{Backend, Conn, Db};

use super::{id, wire_enum, wire_name};

/// What login needs to know about a username.
pub struct LoginRow {
    pub id: UserId,
    pub password_hash: String,
    pub active: bool,
}

pub async fn find_for_login(conn: &mut Conn, username: &Username) -> anyhow::Result<Option<LoginRow>> {
    let row = sqlx::query("SELECT id, password_hash, active FROM users WHERE username = $1")
        .bind(username.as_str())
        .fetch_optional(conn)
        .await?;
    row.map(|r| {
        Ok(LoginRow {
            id: id(r.get("id"))?,
            password_hash: r.get("password_hash"),
            active: r.get::<i64, _>("active") == 1,
        })
    })
    .transpose()
}

pub struct NewUser<'a> {
    pub id: UserId,
    pub username: &'a Username,
    pub name: &'a PersonName,
    pub password_hash: &'a str,
    pub roles: &'a [Role],
}

pub async fn insert(conn: &mut Conn, user: NewUser<'_>, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO users (id, username, name, password_hash, active, created_at) VALUES ($1, $2, $3, $4, 1, $5)",
    )
    .bind(user.id.to_string())
    .bind(user.username.as_str())
    .bind(user.name.as_str())
    .bind(user.password_hash)
    .bind(now.as_millis())
    .execute(&mut *conn)
    .await?;
    for role in user.roles {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(user.id.to_string())
            .bind(wire_name(role))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Name, username and roles of an active user; `None` if unknown or inactive.
pub async fn profile(conn: &mut Conn, user: UserId) -> anyhow::Result<Option<(PersonName, Username, Vec<Role>)>> {
    let Some(row) = sqlx::query("SELECT name, username FROM users WHERE id = $1 AND active = 1")
        .bind(user.to_string())
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let roles = roles_of(conn, user).await?;
    Ok(Some((
        PersonName::try_from(row.get::<String, _>("name"))?,
        Username::try_from(row.get::<String, _>("username"))?,
        roles,
    )))
}

pub async fn roles_of(conn: &mut Conn, user: UserId) -> anyhow::Result<Vec<Role>> {
    let rows =
        sqlx::query("SELECT role FROM user_roles WHERE user_id = $1").bind(user.to_string()).fetch_all(conn).await?;
    let mut roles = rows.iter().map(|r| wire_enum(r.get("role"))).collect::<anyhow::Result<Vec<Role>>>()?;
    roles.sort();
    Ok(roles)
}

pub async fn count(conn: &mut Conn) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(conn).await
}

/// Whether a login attempt may go on to the password check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Recorded as a failure until it proves otherwise ([`clear_failures`]).
    Admitted,
    /// `limit` attempts already in the window; the oldest of them (ms), which
    /// leaves the window first.
    Throttled { oldest: i64 },
}

/// Decides and records a login attempt for `username` before its password
/// is checked (issue 12, kind 9): counts the attempts since `since` —
/// failures and attempts still being checked — and with fewer than `limit`
/// records this one as a failure (at `now`) until a success clears it.
/// Decided and recorded in one write transaction of its own, serialised per
/// username (SQLite's one writer; on PostgreSQL an advisory lock on the
/// username) and committed before the slow hash, so guesses sent in
/// parallel each see the others: at most `limit` are ever checked. Also
/// forgets every attempt older than `since`.
pub async fn admit_login(
    db: &Db,
    username: &Username,
    now: Timestamp,
    since: Timestamp,
    limit: usize,
) -> anyhow::Result<Admission> {
    let mut tx = db.begin_write().await?;
    lock_username(&mut tx, db.backend, username).await?;
    sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(since.as_millis()).execute(&mut *tx).await?;
    let recent: Vec<i64> =
        sqlx::query_scalar("SELECT at FROM login_failures WHERE username = $1 AND at > $2 ORDER BY at DESC LIMIT $3")
            .bind(username.as_str())
            .bind(since.as_millis())
            .bind(limit as i64)
            .fetch_all(&mut *tx)
            .await?;
    if recent.len() >= limit {
        tx.rollback().await?;
        let oldest = recent.last().copied().expect("BUG: limit is at least one");
        return Ok(Admission::Throttled { oldest });
    }
    sqlx::query("INSERT INTO login_failures (username, at) VALUES ($1, $2)")
        .bind(username.as_str())
        .bind(now.as_millis())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Admission::Admitted)
}

/// Serialises the login bookkeeping of one username until the transaction
/// ends: SQLite has one writer anyway; PostgreSQL takes an advisory lock on
/// a hash of the username.
async fn lock_username(tx: &mut Conn, backend: Backend, username: &Username) -> sqlx::Result<()> {
    if backend == Backend::Postgres {
        let digest = Sha256::digest(username.as_str().as_bytes());
        let key = i64::from_be_bytes(digest[..8].try_into().expect("BUG: a SHA-256 has 8 bytes"));
        sqlx::query("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock($1)) AS locked").bind(key).execute(tx).await?;
    }
    Ok(())
}

/// Takes back one attempt [`admit_login`] recorded at `at`: its password
/// was never checked (the server was too busy), so it is no failure.
/// Serialised per username like the admission, so attempts withdrawn in
/// parallel (same username, same millisecond) each take a row of their own.
pub async fn withdraw_attempt(db: &Db, username: &Username, at: Timestamp) -> sqlx::Result<()> {
    let key = db.backend.row_key();
    let sql = format!(
        "DELETE FROM login_failures WHERE {key} IN \
         (SELECT {key} FROM login_failures WHERE username = $1 AND at = $2 LIMIT 1)"
    );
    let mut tx = db.begin_write().await?;
    lock_username(&mut tx, db.backend, username).await?;
    sqlx::query(&sql).bind(username.as_str()).bind(at.as_millis()).execute(&mut *tx).await?;
    tx.commit().await
}

pub async fn clear_failures(conn: &mut Conn, username: &Username) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE username = $1").bind(username.as_str()).execute(conn).await.map(drop)
}
