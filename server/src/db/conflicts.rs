//! Visit conflicts as the lead reads and settles them, and as a worker's
//! pull reports them (`edit_not_kept`). They are written by a push
//! (`db::visits::insert_conflict`); a settled one stays, with who settled
//! it, when and how.

use shared::conflict::{ConflictField, ConflictVersions, EDIT_NOT_KEPT, Keep, not_kept_message};
use shared::sync::RejectedMutation;
use shared::text::PersonName;
use shared::visit::{Correction, VisitDraft};
use shared::{ClientId, ConflictId, Timestamp, UserId, VisitId};
use sqlx::Row;

use super::{Conn, id, wire_enum, wire_name};

/// A conflict as stored.
#[derive(Debug, Clone)]
pub struct StoredConflict {
    pub id: ConflictId,
    pub visit_id: VisitId,
    /// Who sent the edit not kept (the worker, or a lead for a correction).
    pub by: UserId,
    pub by_name: PersonName,
    pub client: ClientId,
    pub created_at: Timestamp,
    pub fields: Vec<ConflictField>,
    pub versions: ConflictVersions,
    /// When and how it was settled; `None` while open.
    pub settled: Option<(Timestamp, Keep)>,
}

const SELECT: &str = "SELECT c.id, c.visit_id, c.worker_id, u.name AS by_name, c.client_id, c.fields, c.theirs,
                             c.mine, c.created_at, c.settled_at, c.kept
                      FROM visit_conflicts c JOIN users u ON u.id = c.worker_id";

/// The stored clashed fields: the names `shared::sync::merge_visit` gives.
fn fields_from(text: &str) -> anyhow::Result<Vec<ConflictField>> {
    let names: Vec<String> = serde_json::from_str(text)?;
    names
        .iter()
        .map(|n| ConflictField::from_code(n).ok_or_else(|| anyhow::anyhow!("unknown conflict field {n:?}")))
        .collect()
}

fn conflict_from(r: &sqlx::any::AnyRow) -> anyhow::Result<StoredConflict> {
    let fields = fields_from(r.get("fields"))?;
    let (theirs, mine): (String, String) = (r.get("theirs"), r.get("mine"));
    // A lead's correction clashes only on `correction`; a worker's edit
    // records the worker's fields whole.
    let versions = if fields == [ConflictField::Correction] {
        ConflictVersions::Correction {
            standing: serde_json::from_str::<Option<Correction>>(&theirs)?,
            other: serde_json::from_str::<Option<Correction>>(&mine)?,
        }
    } else {
        ConflictVersions::Edit {
            standing: Box::new(serde_json::from_str::<VisitDraft>(&theirs)?),
            other: Box::new(serde_json::from_str::<VisitDraft>(&mine)?),
        }
    };
    let settled = match (r.get::<Option<i64>, _>("settled_at"), r.get::<Option<String>, _>("kept")) {
        (Some(at), Some(kept)) => Some((Timestamp::from_millis(at), wire_enum(&kept)?)),
        _ => None,
    };
    Ok(StoredConflict {
        id: id(r.get("id"))?,
        visit_id: id(r.get("visit_id"))?,
        by: id(r.get("worker_id"))?,
        by_name: PersonName::try_from(r.get::<String, _>("by_name"))?,
        client: id(r.get("client_id"))?,
        created_at: Timestamp::from_millis(r.get("created_at")),
        fields,
        versions,
        settled,
    })
}

/// One conflict, settled or not.
pub async fn get(conn: &mut Conn, conflict: ConflictId) -> anyhow::Result<Option<StoredConflict>> {
    let row = sqlx::query(&format!("{SELECT} WHERE c.id = $1")).bind(conflict.to_string()).fetch_optional(conn).await?;
    row.as_ref().map(conflict_from).transpose()
}

/// The open conflicts of visits (that still exist) whose worker is in
/// `team`, oldest first.
pub async fn open_of_team(conn: &mut Conn, team: shared::TeamId) -> anyhow::Result<Vec<StoredConflict>> {
    let rows = sqlx::query(&format!(
        "{SELECT} JOIN visits v ON v.id = c.visit_id
         WHERE c.settled_at IS NULL
           AND v.worker_id IN (SELECT user_id FROM team_members WHERE team_id = $1)
         ORDER BY c.created_at, c.id"
    ))
    .bind(team.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(conflict_from).collect()
}

/// Closes an open conflict: who, when, which version. Returns whether it
/// was open (a concurrent settle may have closed it first).
pub async fn settle(
    conn: &mut Conn,
    conflict: ConflictId,
    by: UserId,
    at: Timestamp,
    kept: Keep,
) -> anyhow::Result<bool> {
    settle_in(conn, "visit_conflicts", conflict, by, at, kept).await
}

/// Closes the clash `conflict` of `table` (`visit_conflicts`,
/// `plan_conflicts`) as settled by `by` at `at`, keeping `kept`; `false`
/// when it was settled already (someone else was first).
pub(crate) async fn settle_in(
    conn: &mut Conn,
    table: &'static str,
    conflict: ConflictId,
    by: UserId,
    at: Timestamp,
    kept: Keep,
) -> anyhow::Result<bool> {
    let sql =
        format!("UPDATE {table} SET settled_at = $1, settled_by = $2, kept = $3 WHERE id = $4 AND settled_at IS NULL");
    let done = sqlx::query(&sql)
        .bind(at.as_millis())
        .bind(by.to_string())
        .bind(wire_name(&kept))
        .bind(conflict.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// This client's mutations with ids in `(after, up_to]` that were applied
/// with a clash, as [`EDIT_NOT_KEPT`] rejections with their payload as
/// stored: `field` is the first clashed field, the message names them
/// all. One a lead has since settled by taking it is no news and is left
/// out.
pub async fn not_kept(
    conn: &mut Conn,
    client: ClientId,
    after: u64,
    up_to: u64,
) -> anyhow::Result<Vec<RejectedMutation>> {
    not_kept_in(conn, "visit_conflicts", client, after, up_to, |fields| {
        let fields = fields_from(fields)?;
        Ok((not_kept_message(&fields), fields.first().map(|f| f.code().to_owned())))
    })
    .await
}

/// The clashes of `table` (`visit_conflicts`, `plan_conflicts`: the same
/// columns) of this client's mutations with ids in `(after, up_to]`, not
/// settled by taking the phone's version, as [`EDIT_NOT_KEPT`] rejections;
/// `say` turns the stored `fields` (JSON text) into the message and the
/// first field.
pub(crate) async fn not_kept_in(
    conn: &mut Conn,
    table: &'static str,
    client: ClientId,
    after: u64,
    up_to: u64,
    say: impl Fn(&str) -> anyhow::Result<(shared::Localized, Option<String>)>,
) -> anyhow::Result<Vec<RejectedMutation>> {
    let sql = format!(
        "SELECT c.mutation_id, c.fields, m.payload FROM {table} c
         JOIN sync_mutations m ON m.client_id = c.client_id AND m.mutation_id = c.mutation_id
         WHERE c.client_id = $1 AND c.mutation_id > $2 AND c.mutation_id <= $3
           AND (c.kept IS NULL OR c.kept <> 'other')
         ORDER BY c.mutation_id"
    );
    let rows = sqlx::query(&sql)
        .bind(client.to_string())
        .bind(i64::try_from(after)?)
        .bind(i64::try_from(up_to)?)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            let (message, field) = say(r.get("fields"))?;
            let payload: serde_json::Value = serde_json::from_str(r.get("payload"))?;
            Ok(RejectedMutation {
                id: u64::try_from(r.get::<i64, _>("mutation_id"))?,
                mutation: serde_json::from_value(payload).ok(),
                code: EDIT_NOT_KEPT.to_owned(),
                message,
                field,
            })
        })
        .collect()
}
