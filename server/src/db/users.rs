//! Users, roles and failed-login bookkeeping.

use shared::text::{PersonName, Username};
use shared::user::Role;
use shared::{Timestamp, UserId};
use sqlx::Row;

use super::Conn;

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

/// Failed logins for `username` after `since`, newest first.
pub async fn failures_since(conn: &mut Conn, username: &Username, since: Timestamp) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT at FROM login_failures WHERE username = $1 AND at > $2 ORDER BY at DESC")
        .bind(username.as_str())
        .bind(since.as_millis())
        .fetch_all(conn)
        .await
}

/// Records a failed login and forgets failures older than `forget_before`.
pub async fn record_failure(
    conn: &mut Conn,
    username: &Username,
    now: Timestamp,
    forget_before: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(forget_before.as_millis()).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO login_failures (username, at) VALUES ($1, $2)")
        .bind(username.as_str())
        .bind(now.as_millis())
        .execute(conn)
        .await
        .map(drop)
}

pub async fn clear_failures(conn: &mut Conn, username: &Username) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE username = $1").bind(username.as_str()).execute(conn).await.map(drop)
}
