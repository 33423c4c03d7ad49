//! Visits, timers and visit conflicts. Every write stamps the change stream.

use shared::sync::Entity;
use shared::text::Note;
use shared::timer::Timer;
use shared::visit::{ChargeTo, Correction, Visit, VisitDraft, VisitStatus};
use shared::{CitizenId, ClientId, Minutes, TimerId, Timestamp, UserId, VisitId};
use sqlx::Row;

use super::Conn;

use super::changes::{Scope, Stamper};
use super::{Backend, id, json_ids, placeholders, wire_enum, wire_name};

const VISIT_COLUMNS: &str = "id, citizen_id, worker_id, kind, started_at, ended_at, travel_minutes, note, \
                             charged_grant_id, charged_pool_id, status, row_version, \
                             corrected_minutes, correction_reason, corrected_by, goals, co_workers, joint_of, \
                             meeting_of";

fn visit_from(r: &sqlx::any::AnyRow) -> anyhow::Result<Visit> {
    let charged_to =
        match (r.get::<Option<String>, _>("charged_grant_id"), r.get::<Option<String>, _>("charged_pool_id")) {
            (Some(g), _) => Some(ChargeTo::Grant(id(&g)?)),
            (None, Some(p)) => Some(ChargeTo::DrawingRight(id(&p)?)),
            (None, None) => None,
        };
    let draft = VisitDraft::new(
        id(r.get("id"))?,
        id(r.get("citizen_id"))?,
        wire_enum(r.get("kind"))?,
        Timestamp::from_millis(r.get("started_at")),
        Timestamp::from_millis(r.get("ended_at")),
        Minutes::new(r.get::<i64, _>("travel_minutes") as u32),
        Note::try_from(r.get::<String, _>("note"))?,
        charged_to,
    )?
    .with_goals(serde_json::from_str(r.get("goals"))?)?
    .with_co_workers(serde_json::from_str(r.get("co_workers"))?)?;
    let mut visit = Visit::restore(
        draft,
        id(r.get("worker_id"))?,
        wire_enum(r.get("status"))?,
        r.get::<i64, _>("row_version") as u64,
    );
    if let (Some(minutes), Some(reason)) =
        (r.get::<Option<i64>, _>("corrected_minutes"), r.get::<Option<String>, _>("correction_reason"))
    {
        visit.correction = Some(Correction::new(Minutes::new(minutes as u32), Note::try_from(reason)?)?);
        visit.corrected_by = r.get::<Option<String>, _>("corrected_by").map(|s| id(&s)).transpose()?;
    }
    visit.joint_of = r.get::<Option<String>, _>("joint_of").map(|s| id(&s)).transpose()?;
    visit.meeting_of = r.get::<Option<String>, _>("meeting_of").map(|s| id(&s)).transpose()?;
    Ok(visit)
}

/// Loads visits by a JSON array of ids (for pull pages).
pub async fn load(conn: &mut Conn, ids: &str) -> anyhow::Result<Vec<Visit>> {
    let sql = format!("SELECT {VISIT_COLUMNS} FROM visits WHERE id IN {}", Backend::of(conn).json_strings("$1"));
    let rows = sqlx::query(&sql).bind(ids).fetch_all(conn).await?;
    rows.iter().map(visit_from).collect()
}

/// Loads the visits that exist among `ids` and, on PostgreSQL, locks them
/// until commit, so two pushes editing one visit take turns.
pub async fn load_for_update(conn: &mut Conn, ids: &[VisitId]) -> anyhow::Result<Vec<Visit>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = Backend::of(conn);
    let sql = format!(
        "SELECT {VISIT_COLUMNS} FROM visits WHERE id IN {}{}",
        backend.json_strings("$1"),
        backend.for_update()
    );
    let rows = sqlx::query(&sql).bind(json_ids(ids)).fetch_all(conn).await?;
    rows.iter().map(visit_from).collect()
}

/// The colleagues stored on the joint visits among `ids` (a plain read,
/// for the push's locks).
pub async fn co_workers_of(conn: &mut Conn, ids: &[VisitId]) -> anyhow::Result<Vec<UserId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT co_workers FROM visits WHERE co_workers <> '[]' AND id IN {}",
        Backend::of(conn).json_strings("$1")
    );
    let lists: Vec<String> = sqlx::query_scalar(&sql).bind(json_ids(ids)).fetch_all(conn).await?;
    let mut out = Vec::new();
    for list in lists {
        out.extend(serde_json::from_str::<Vec<UserId>>(&list)?);
    }
    Ok(out)
}

/// The ids among `ids` that the change stream records as deleted: visits
/// that existed and are gone (an edit must not bring them back).
pub async fn deleted_ids(conn: &mut Conn, ids: &[VisitId]) -> anyhow::Result<Vec<VisitId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT row_id FROM sync_changes WHERE entity = 'visit' AND deleted = 1 AND row_id IN {}",
        Backend::of(conn).json_strings("$1")
    );
    let found: Vec<String> = sqlx::query_scalar(&sql).bind(json_ids(ids)).fetch_all(conn).await?;
    found.iter().map(|s| id(s)).collect()
}

/// Rows per INSERT: 18 values each stays under SQLite's 32 766 parameters.
const VISIT_CHUNK: usize = 1000;

/// Inserts or replaces visits (each with its `row_version` as given) in a
/// few statements and stamps them.
pub async fn upsert_many(conn: &mut Conn, stamper: &mut Stamper, visits: &[&Visit]) -> sqlx::Result<()> {
    for chunk in visits.chunks(VISIT_CHUNK) {
        let sql = format!(
            "INSERT INTO visits (id, citizen_id, worker_id, kind, started_at, ended_at, travel_minutes, note,
                                 charged_grant_id, charged_pool_id, status, row_version,
                                 corrected_minutes, correction_reason, corrected_by, goals, co_workers, joint_of,
                                 meeting_of)
             VALUES {}
             ON CONFLICT (id) DO UPDATE SET
               citizen_id = excluded.citizen_id, worker_id = excluded.worker_id, kind = excluded.kind,
               started_at = excluded.started_at, ended_at = excluded.ended_at, travel_minutes = excluded.travel_minutes,
               note = excluded.note, charged_grant_id = excluded.charged_grant_id, charged_pool_id = excluded.charged_pool_id,
               status = excluded.status, row_version = excluded.row_version,
               corrected_minutes = excluded.corrected_minutes, correction_reason = excluded.correction_reason,
               corrected_by = excluded.corrected_by, goals = excluded.goals,
               co_workers = excluded.co_workers, joint_of = excluded.joint_of,
               meeting_of = excluded.meeting_of",
            placeholders(Backend::of(conn), chunk.len(), 19)
        );
        let mut query = sqlx::query(&sql);
        for v in chunk {
            let (grant, pool) = match v.charged_to {
                Some(ChargeTo::Grant(g)) => (Some(g.to_string()), None),
                Some(ChargeTo::DrawingRight(d)) => (None, Some(d.to_string())),
                None => (None, None),
            };
            stamper.record(Entity::Visit, v.id.to_string(), Scope::citizen(v.citizen_id), false);
            query = query
                .bind(v.id.to_string())
                .bind(v.citizen_id.to_string())
                .bind(v.worker_id.to_string())
                .bind(wire_name(&v.kind))
                .bind(v.started_at().as_millis())
                .bind(v.ended_at().as_millis())
                .bind(i64::from(v.travel_minutes.get()))
                .bind(v.note.as_str().to_owned())
                .bind(grant)
                .bind(pool)
                .bind(wire_name(&v.status))
                .bind(v.row_version.max(1) as i64)
                .bind(v.correction.as_ref().map(|c| i64::from(c.minutes.get())))
                .bind(v.correction.as_ref().map(|c| c.reason.as_str().to_owned()))
                .bind(v.correction.as_ref().and(v.corrected_by).map(|u| u.to_string()))
                .bind(serde_json::to_string(&v.goals).unwrap_or_else(|_| "[]".to_owned()))
                .bind(serde_json::to_string(&v.co_workers).unwrap_or_else(|_| "[]".to_owned()))
                .bind(v.joint_of.map(|j| j.to_string()))
                .bind(v.meeting_of.map(|m| m.to_string()));
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Deletes visits, each leaving a tombstone in the change stream scoped to
/// the citizen it was about.
pub async fn delete_many(conn: &mut Conn, stamper: &mut Stamper, visits: &[(VisitId, CitizenId)]) -> sqlx::Result<()> {
    if visits.is_empty() {
        return Ok(());
    }
    for (visit, citizen) in visits {
        stamper.record(Entity::Visit, visit.to_string(), Scope::citizen(*citizen), true);
    }
    let ids: Vec<VisitId> = visits.iter().map(|(v, _)| *v).collect();
    let sql = format!("DELETE FROM visits WHERE id IN {}", Backend::of(conn).json_strings("$1"));
    sqlx::query(&sql).bind(json_ids(&ids)).execute(conn).await.map(drop)
}

/// The phone's side of a same-field clash, kept for the lead to see:
/// the clashing fields as the server has them and as the phone sent them.
pub struct NewConflict {
    pub visit: VisitId,
    /// Who sent the losing edit (a worker, or a lead for a correction).
    pub worker: UserId,
    pub client: ClientId,
    pub mutation_id: u64,
    pub fields: Vec<&'static str>,
    pub theirs: serde_json::Value,
    pub mine: serde_json::Value,
}

pub async fn insert_conflict(conn: &mut Conn, c: &NewConflict, now: Timestamp) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO visit_conflicts (id, visit_id, worker_id, client_id, mutation_id, fields, theirs, mine, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(c.visit.to_string())
    .bind(c.worker.to_string())
    .bind(c.client.to_string())
    .bind(c.mutation_id as i64)
    .bind(serde_json::to_string(&c.fields)?)
    .bind(serde_json::to_string(&c.theirs)?)
    .bind(serde_json::to_string(&c.mine)?)
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- timers

fn timer_from(r: &sqlx::any::AnyRow) -> anyhow::Result<Timer> {
    Ok(Timer {
        id: id(r.get("id"))?,
        worker_id: id(r.get("worker_id"))?,
        citizen_id: id(r.get("citizen_id"))?,
        started_at: Timestamp::from_millis(r.get("started_at")),
        stopped_at: r.get::<Option<i64>, _>("stopped_at").map(Timestamp::from_millis),
        // The rehearsal's new field, as the next server would send it.
        #[cfg(feature = "next-schema")]
        label: Some("rehearsal".to_owned()),
    })
}

pub async fn running_timer(conn: &mut Conn, worker: UserId) -> anyhow::Result<Option<Timer>> {
    let row = sqlx::query(
        "SELECT id, worker_id, citizen_id, started_at, stopped_at FROM timers WHERE worker_id = $1 AND stopped_at IS NULL",
    )
    .bind(worker.to_string())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(timer_from).transpose()
}

/// Loads timers by a JSON array of ids (for pull pages).
pub async fn load_timers(conn: &mut Conn, ids: &str) -> anyhow::Result<Vec<Timer>> {
    let sql = format!(
        "SELECT id, worker_id, citizen_id, started_at, stopped_at FROM timers WHERE id IN {}",
        Backend::of(conn).json_strings("$1")
    );
    let rows = sqlx::query(&sql).bind(ids).fetch_all(conn).await?;
    rows.iter().map(timer_from).collect()
}

/// The timers that exist among `ids`, locked like [`load_for_update`].
pub async fn load_timers_by_id(conn: &mut Conn, ids: &[TimerId]) -> anyhow::Result<Vec<Timer>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = Backend::of(conn);
    let sql = format!(
        "SELECT id, worker_id, citizen_id, started_at, stopped_at FROM timers WHERE id IN {}{}",
        backend.json_strings("$1"),
        backend.for_update()
    );
    let rows = sqlx::query(&sql).bind(json_ids(ids)).fetch_all(conn).await?;
    rows.iter().map(timer_from).collect()
}

/// Inserts or updates a timer and stamps it (visible to its worker only).
pub async fn upsert_timer(conn: &mut Conn, stamper: &mut Stamper, t: &Timer) -> sqlx::Result<()> {
    let scope = Scope { user: Some(t.worker_id), ..Scope::default() };
    stamper.record(Entity::Timer, t.id.to_string(), scope, false);
    sqlx::query(
        "INSERT INTO timers (id, worker_id, citizen_id, started_at, stopped_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET stopped_at = excluded.stopped_at",
    )
    .bind(t.id.to_string())
    .bind(t.worker_id.to_string())
    .bind(t.citizen_id.to_string())
    .bind(t.started_at.as_millis())
    .bind(t.stopped_at.map(Timestamp::as_millis))
    .execute(conn)
    .await
    .map(drop)
}

/// Visit ids are made on phones; the status of a fresh one is `submitted`.
pub fn is_locked(v: &Visit) -> bool {
    v.status == VisitStatus::Approved
}

/// Every visit to `citizen`, oldest first (for a portability export).
pub async fn of_citizen(conn: &mut Conn, citizen: CitizenId) -> anyhow::Result<Vec<Visit>> {
    let sql = format!("SELECT {VISIT_COLUMNS} FROM visits WHERE citizen_id = $1 ORDER BY started_at, id");
    let rows = sqlx::query(&sql).bind(citizen.to_string()).fetch_all(conn).await?;
    rows.iter().map(visit_from).collect()
}

/// One visit as the period export lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportLine {
    pub citizen_id: CitizenId,
    pub citizen_name: String,
    pub external_id: Option<String>,
    pub worker_name: String,
    pub kind: shared::visit::VisitKind,
    pub started_at: Timestamp,
    pub ended_at: Timestamp,
    /// As counted (a lead's correction wins).
    pub minutes: Minutes,
    pub travel: Minutes,
    /// The grant's service or the drawing right's name; empty for none.
    pub charged_to: String,
    pub status: VisitStatus,
    pub note: String,
}

/// Visits started in `[start, end)`, by start, with names.
pub async fn export_lines(conn: &mut Conn, start: Timestamp, end: Timestamp) -> anyhow::Result<Vec<ExportLine>> {
    let rows = sqlx::query(
        "SELECT v.citizen_id, c.name AS citizen_name, c.external_id, u.name AS worker_name, v.kind, v.started_at,
                v.ended_at, v.travel_minutes, v.corrected_minutes, g.service, d.name AS pool_name, v.status, v.note
         FROM visits v JOIN citizens c ON c.id = v.citizen_id JOIN users u ON u.id = v.worker_id
         LEFT JOIN grants g ON g.id = v.charged_grant_id LEFT JOIN drawing_rights d ON d.id = v.charged_pool_id
         WHERE v.started_at >= $1 AND v.started_at < $2 ORDER BY v.started_at, v.id",
    )
    .bind(start.as_millis())
    .bind(end.as_millis())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let (started, ended) = (r.get::<i64, _>("started_at"), r.get::<i64, _>("ended_at"));
            let duration = ((ended - started) / 60_000).clamp(0, i64::from(u32::MAX)) as u32;
            let counted = r.get::<Option<i64>, _>("corrected_minutes").map_or(duration, |m| m as u32);
            let charged_to = match (r.get::<Option<String>, _>("service"), r.get::<Option<String>, _>("pool_name")) {
                (Some(service), _) => wire_enum::<shared::grant::Service>(&service)?.label(shared::Lang::Da).to_owned(),
                (None, Some(pool)) => pool,
                (None, None) => String::new(),
            };
            Ok(ExportLine {
                citizen_id: id(r.get("citizen_id"))?,
                citizen_name: r.get("citizen_name"),
                external_id: r.get("external_id"),
                worker_name: r.get("worker_name"),
                kind: wire_enum(r.get("kind"))?,
                started_at: Timestamp::from_millis(started),
                ended_at: Timestamp::from_millis(ended),
                minutes: Minutes::new(counted),
                travel: Minutes::new(r.get::<i64, _>("travel_minutes") as u32),
                charged_to,
                status: wire_enum(r.get("status"))?,
                note: r.get("note"),
            })
        })
        .collect()
}

/// Each of `citizens`' latest visit before `before` (an instant), as the
/// instant it started: (citizen, started at).
pub async fn last_visits(
    conn: &mut Conn,
    citizens: &[shared::CitizenId],
    before: shared::Timestamp,
) -> anyhow::Result<Vec<(shared::CitizenId, shared::Timestamp)>> {
    if citizens.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT citizen_id, MAX(started_at) AS at FROM visits WHERE started_at < $2 AND citizen_id IN {} GROUP BY citizen_id",
        super::Backend::of(conn).json_strings("$1")
    );
    let rows: Vec<(String, i64)> =
        sqlx::query_as(&sql).bind(super::json_ids(citizens)).bind(before.as_millis()).fetch_all(conn).await?;
    rows.into_iter().map(|(c, at)| Ok((super::id(&c)?, shared::Timestamp::from_millis(at)))).collect()
}
