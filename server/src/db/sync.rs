//! Sync bookkeeping: which phone belongs to whom, how far its mutations
//! have been processed, and the result of each.

use shared::sync::{MutationResult, Outcome, RejectedMutation};
use shared::{ClientId, Localized, Timestamp, UserId};
use sqlx::{Row, SqliteConnection};

use super::id;

pub struct ClientRow {
    pub user: UserId,
    pub last_mutation_id: u64,
}

pub async fn client(conn: &mut SqliteConnection, client: ClientId) -> anyhow::Result<Option<ClientRow>> {
    let row = sqlx::query("SELECT user_id, last_mutation_id FROM sync_clients WHERE client_id = ?")
        .bind(client.to_string())
        .fetch_optional(conn)
        .await?;
    row.map(|r| {
        Ok(ClientRow { user: id(r.get("user_id"))?, last_mutation_id: r.get::<i64, _>("last_mutation_id") as u64 })
    })
    .transpose()
}

pub async fn create_client(
    conn: &mut SqliteConnection,
    client: ClientId,
    user: UserId,
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sync_clients (client_id, user_id, last_mutation_id, created_at, last_seen_at) VALUES (?, ?, 0, ?, ?)",
    )
    .bind(client.to_string())
    .bind(user.to_string())
    .bind(now.as_millis())
    .bind(now.as_millis())
    .execute(conn)
    .await
    .map(drop)
}

pub async fn advance(conn: &mut SqliteConnection, client: ClientId, last: u64, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query("UPDATE sync_clients SET last_mutation_id = ?, last_seen_at = ? WHERE client_id = ?")
        .bind(last as i64)
        .bind(now.as_millis())
        .bind(client.to_string())
        .execute(conn)
        .await
        .map(drop)
}

/// Stores processed mutations, each with its payload as sent and outcome.
pub async fn record(
    conn: &mut SqliteConnection,
    client: ClientId,
    user: UserId,
    processed: &[(u64, serde_json::Value, Outcome)],
    now: Timestamp,
) -> anyhow::Result<()> {
    // SQLite allows 32 766 bound values: 11 per row, in chunks of 500.
    for chunk in processed.chunks(500) {
        let mut rows = Vec::with_capacity(chunk.len());
        for (id, payload, outcome) in chunk {
            let kind =
                payload.pointer("/body/type").and_then(serde_json::Value::as_str).unwrap_or("unknown").to_owned();
            rows.push((*id, kind, serde_json::to_string(payload)?, outcome));
        }
        let mut query = sqlx::QueryBuilder::new(
            "INSERT INTO sync_mutations (client_id, mutation_id, user_id, kind, payload, status, code, message_da, message_en, field, processed_at) ",
        );
        query.push_values(rows, |mut b, (id, kind, payload, outcome)| {
            let (status, code, da, en, field) = match outcome {
                Outcome::Applied => ("applied", None, None, None, None),
                Outcome::Rejected { code, message, field } => {
                    ("rejected", Some(code.clone()), Some(message.da.clone()), Some(message.en.clone()), field.clone())
                }
            };
            b.push_bind(client.to_string())
                .push_bind(id as i64)
                .push_bind(user.to_string())
                .push_bind(kind)
                .push_bind(payload)
                .push_bind(status)
                .push_bind(code)
                .push_bind(da)
                .push_bind(en)
                .push_bind(field)
                .push_bind(now.as_millis());
        });
        query.build().execute(&mut *conn).await?;
    }
    Ok(())
}

fn outcome_from(r: &sqlx::sqlite::SqliteRow) -> Outcome {
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
pub async fn results(
    conn: &mut SqliteConnection,
    client: ClientId,
    from: u64,
    to: u64,
) -> sqlx::Result<Vec<MutationResult>> {
    let rows = sqlx::query(
        "SELECT mutation_id, status, code, message_da, message_en, field FROM sync_mutations
         WHERE client_id = ? AND mutation_id BETWEEN ? AND ? ORDER BY mutation_id",
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
    conn: &mut SqliteConnection,
    client: ClientId,
    after: u64,
    up_to: u64,
) -> anyhow::Result<Vec<RejectedMutation>> {
    let rows = sqlx::query(
        "SELECT mutation_id, payload, status, code, message_da, message_en, field FROM sync_mutations
         WHERE status = 'rejected' AND client_id = ? AND mutation_id > ? AND mutation_id <= ? ORDER BY mutation_id",
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
