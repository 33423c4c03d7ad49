//! The access log's rows: written in bulk by [`crate::access`], read per
//! citizen or per user, purged after the retention period. Nothing here
//! changes or deletes a single entry.

use anyhow::Context;
use shared::access::{AccessAction, AccessEntry, AccessPurpose, Retention};
use shared::text::PersonName;
use shared::{CitizenId, Timestamp, UserId};
use uuid::Uuid;

use super::{Backend, Conn, placeholders};

const RETENTION_KEY: &str = "access_log_retention";

/// One entry to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub user: UserId,
    pub citizen: Option<CitizenId>,
    pub action: AccessAction,
    pub purpose: AccessPurpose,
    pub detail: Option<String>,
}

/// Rows per INSERT: 7 values each stays well under SQLite's parameter limit.
const CHUNK: usize = 1000;

/// Writes entries, all stamped `at`.
pub async fn record(conn: &mut Conn, entries: &[NewEntry], at: Timestamp) -> sqlx::Result<()> {
    for chunk in entries.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO access_log (id, at, user_id, citizen_id, action, purpose, detail) VALUES {}",
            placeholders(Backend::of(conn), chunk.len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for e in chunk {
            query = query
                .bind(Uuid::now_v7().to_string())
                .bind(at.as_millis())
                .bind(e.user.to_string())
                .bind(e.citizen.map(|c| c.to_string()))
                .bind(e.action.code())
                .bind(e.purpose.code())
                .bind(e.detail.clone());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Entries about `citizen` or by `user` since `since`, newest first, with
/// names (a user or citizen deleted since shows as unknown).
pub async fn entries(
    conn: &mut Conn,
    citizen: Option<CitizenId>,
    user: Option<UserId>,
    since: Timestamp,
    limit: u32,
) -> anyhow::Result<Vec<AccessEntry>> {
    let backend = Backend::of(conn);
    let columns = "l.id, l.at, l.user_id, COALESCE(u.name, '?'), l.citizen_id, c.name, l.action, l.purpose, l.detail";
    let sql = format!(
        "SELECT {} FROM (SELECT * FROM access_log
                         WHERE ($1 = '' OR citizen_id = $1) AND ($2 = '' OR user_id = $2) AND at >= $3
                         ORDER BY at DESC, id DESC LIMIT $4) l
         LEFT JOIN users u ON u.id = l.user_id LEFT JOIN citizens c ON c.id = l.citizen_id",
        backend.json_rows(columns)
    );
    let json: String = sqlx::query_scalar(&sql)
        .bind(citizen.map(|c| c.to_string()).unwrap_or_default())
        .bind(user.map(|u| u.to_string()).unwrap_or_default())
        .bind(since.as_millis())
        .bind(i64::from(limit))
        .fetch_one(conn)
        .await?;
    #[derive(serde::Deserialize)]
    struct Wire(
        String,
        i64,
        UserId,
        PersonName,
        Option<CitizenId>,
        Option<PersonName>,
        AccessAction,
        AccessPurpose,
        Option<String>,
    );
    let mut rows: Vec<Wire> = serde_json::from_str(&json).context("reading access-log rows")?;
    // Newest first (ids are time-ordered, so they break ties in order).
    rows.sort_by(|a, b| (b.1, &b.0).cmp(&(a.1, &a.0)));
    Ok(rows
        .into_iter()
        .map(|Wire(_, at, user_id, user_name, citizen_id, citizen_name, action, purpose, detail)| AccessEntry {
            at: Timestamp::from_millis(at),
            user_id,
            user_name,
            citizen_id,
            citizen_name,
            action,
            purpose,
            detail,
        })
        .collect())
}

pub async fn retention(conn: &mut Conn) -> anyhow::Result<Retention> {
    super::settings::get(conn, RETENTION_KEY).await
}

pub async fn set_retention(conn: &mut Conn, retention: Retention) -> anyhow::Result<()> {
    super::settings::set(conn, RETENTION_KEY, &retention).await
}

/// Deletes the entries older than `before`; returns how many.
pub async fn purge_before(conn: &mut Conn, before: Timestamp) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM access_log WHERE at < $1")
        .bind(before.as_millis())
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}
