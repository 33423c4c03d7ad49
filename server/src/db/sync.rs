//! Sync bookkeeping: which phone belongs to whom, how far its mutations
//! have been processed, and the result of each.

use shared::sync::{MutationResult, Outcome, RejectedMutation};
use shared::{ClientId, Localized, Timestamp, UserId};
use sqlx::Row;

use super::Conn;

use super::{Backend, id, placeholders};

pub struct ClientRow {
    pub user: UserId,
    pub last_mutation_id: u64,
}

pub async fn client(conn: &mut Conn, client: ClientId) -> anyhow::Result<Option<ClientRow>> {
    let row = sqlx::query("SELECT user_id, last_mutation_id FROM sync_clients WHERE client_id = $1")
        .bind(client.to_string())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(client_from).transpose()
}

fn client_from(r: &sqlx::any::AnyRow) -> anyhow::Result<ClientRow> {
    Ok(ClientRow { user: id(r.get("user_id"))?, last_mutation_id: r.get::<i64, _>("last_mutation_id") as u64 })
}

/// The client's row, created for `user` if it is new, and locked until
/// commit (PostgreSQL's row lock; SQLite's writer lock), so two pushes of
/// one client are processed one after the other.
/// Makes writers that touch these workers' visits and timers take turns:
/// a push (one worker, from any of their devices) and an approval or
/// reopening (every member of a team). On PostgreSQL, where two such
/// transactions could otherwise both read "no running timer" or "month not
/// locked" and both write, it locks the workers' user rows in id order (no
/// deadlock between transactions locking overlapping sets). SQLite has one
/// writer at a time already.
pub async fn lock_workers(conn: &mut Conn, workers: &[UserId]) -> anyhow::Result<()> {
    let backend = Backend::of(conn);
    if backend == Backend::Sqlite || workers.is_empty() {
        return Ok(());
    }
    // NO KEY UPDATE: it excludes the other lockers here, but not the key
    // share that any write referring to a worker (a visit's worker_id)
    // takes, so ordinary writes never wait for it.
    let sql = format!("SELECT id FROM users WHERE id IN {} ORDER BY id FOR NO KEY UPDATE", backend.json_strings("$1"));
    sqlx::query(&sql).bind(super::json_ids(workers)).fetch_all(conn).await?;
    Ok(())
}

pub async fn lock_client(conn: &mut Conn, client: ClientId, user: UserId, now: Timestamp) -> anyhow::Result<ClientRow> {
    sqlx::query(
        "INSERT INTO sync_clients (client_id, user_id, last_mutation_id, created_at, last_seen_at)
         VALUES ($1, $2, 0, $3, $3) ON CONFLICT (client_id) DO NOTHING",
    )
    .bind(client.to_string())
    .bind(user.to_string())
    .bind(now.as_millis())
    .execute(&mut *conn)
    .await?;
    let sql = format!(
        "SELECT user_id, last_mutation_id FROM sync_clients WHERE client_id = $1{}",
        Backend::of(conn).for_update()
    );
    let row = sqlx::query(&sql).bind(client.to_string()).fetch_one(conn).await?;
    client_from(&row)
}

pub async fn advance(conn: &mut Conn, client: ClientId, last: u64, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query("UPDATE sync_clients SET last_mutation_id = $1, last_seen_at = $2 WHERE client_id = $3")
        .bind(last as i64)
        .bind(now.as_millis())
        .bind(client.to_string())
        .execute(conn)
        .await
        .map(drop)
}

/// A processed mutation as it is recorded: its payload exactly as sent.
pub struct Processed<'a> {
    pub id: u64,
    pub kind: &'a str,
    pub payload: &'a str,
    pub outcome: Outcome,
}

/// Stores processed mutations, each with its payload and outcome.
pub async fn record(
    conn: &mut Conn,
    client: ClientId,
    user: UserId,
    processed: &[Processed<'_>],
    now: Timestamp,
) -> anyhow::Result<()> {
    // SQLite allows 32 766 bound values: 11 per row, in chunks of 500.
    for chunk in processed.chunks(500) {
        let sql = format!(
            "INSERT INTO sync_mutations (client_id, mutation_id, user_id, kind, payload, status, code, message_da, message_en, field, processed_at)
             VALUES {}",
            placeholders(Backend::of(conn), chunk.len(), 11)
        );
        let mut query = sqlx::query(&sql);
        for p in chunk {
            let (status, code, da, en, field) = match &p.outcome {
                Outcome::Applied => ("applied", None, None, None, None),
                Outcome::Rejected { code, message, field } => {
                    ("rejected", Some(code.clone()), Some(message.da.clone()), Some(message.en.clone()), field.clone())
                }
            };
            query = query
                .bind(client.to_string())
                .bind(p.id as i64)
                .bind(user.to_string())
                .bind(p.kind.to_owned())
                .bind(p.payload.to_owned())
                .bind(status)
                .bind(code)
                .bind(da)
                .bind(en)
                .bind(field)
                .bind(now.as_millis());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

fn outcome_from(r: &sqlx::any::AnyRow) -> Outcome {
    if r.get::<String, _>("status") == "applied" {
        return Outcome::Applied;
    }
    Outcome::Rejected {
        code: r.get::<Option<String>, _>("code").unwrap_or_default(),
        message: Localized::new(
            r.get::<Option<String>, _>("message_da").unwrap_or_default(),
            r.get::<Option<String>, _>("message_en").unwrap_or_default(),
        ),
        field: r.get("field"),
    }
}

/// The stored results of mutations `from..=to` of a client (for replays).
pub async fn results(conn: &mut Conn, client: ClientId, from: u64, to: u64) -> sqlx::Result<Vec<MutationResult>> {
    let rows = sqlx::query(
        "SELECT mutation_id, status, code, message_da, message_en, field FROM sync_mutations
         WHERE client_id = $1 AND mutation_id BETWEEN $2 AND $3 ORDER BY mutation_id",
    )
    .bind(client.to_string())
    .bind(from as i64)
    .bind(to as i64)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| MutationResult { id: r.get::<i64, _>("mutation_id") as u64, outcome: outcome_from(r) })
        .collect())
}

/// Rejected mutations of a client with ids in `(after, up_to]`, payload included.
pub async fn rejected(
    conn: &mut Conn,
    client: ClientId,
    after: u64,
    up_to: u64,
) -> anyhow::Result<Vec<RejectedMutation>> {
    let rows = sqlx::query(
        "SELECT mutation_id, payload, status, code, message_da, message_en, field FROM sync_mutations
         WHERE status = 'rejected' AND client_id = $1 AND mutation_id > $2 AND mutation_id <= $3 ORDER BY mutation_id",
    )
    .bind(client.to_string())
    .bind(after as i64)
    .bind(up_to as i64)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let payload: serde_json::Value = serde_json::from_str(r.get("payload"))?;
            let Outcome::Rejected { code, message, field } = outcome_from(r) else {
                anyhow::bail!("BUG: a rejected row read as applied");
            };
            Ok(RejectedMutation {
                id: r.get::<i64, _>("mutation_id") as u64,
                // A payload that never parsed is still the phone's to show.
                mutation: serde_json::from_value(payload).ok(),
                code,
                message,
                field,
            })
        })
        .collect()
}
