//! Login sessions, keyed by the SHA-256 of the cookie's token.

use shared::{Timestamp, UserId};
use sqlx::Row;

use super::Conn;

use super::id;

pub async fn create(
    conn: &mut Conn,
    token_hash: &str,
    user: UserId,
    now: Timestamp,
    expires: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user.to_string())
        .bind(now.as_millis())
        .bind(expires.as_millis())
        .execute(conn)
        .await
        .map(drop)
}

/// A live session.
pub struct Found {
    pub user: UserId,
    pub expires: Timestamp,
    pub must_change_password: bool,
    /// The user is deactivated: the session serves only the phone's last push.
    pub active: bool,
}

/// The live session with this token hash.
pub async fn find(conn: &mut Conn, token_hash: &str, now: Timestamp) -> anyhow::Result<Option<Found>> {
    let row = sqlx::query(
        "SELECT s.user_id, s.expires_at, u.must_change_password, u.active FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now.as_millis())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(Found {
            user: id(r.get("user_id"))?,
            expires: Timestamp::from_millis(r.get("expires_at")),
            must_change_password: r.get::<i64, _>("must_change_password") == 1,
            active: r.get::<i64, _>("active") == 1,
        })
    })
    .transpose()
}

pub async fn extend(conn: &mut Conn, token_hash: &str, expires: Timestamp) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
        .bind(expires.as_millis())
        .bind(token_hash)
        .execute(conn)
        .await
        .map(drop)
}

pub async fn delete(conn: &mut Conn, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(conn).await.map(drop)
}

/// Removes expired sessions (run now and then; expired ones are never used).
pub async fn purge_expired(conn: &mut Conn, now: Timestamp) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now.as_millis())
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}
