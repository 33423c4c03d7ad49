//! What the lead's reports read: light visit rows for usage, team members,
//! approvals (period locks and their history) and settings.

use std::collections::HashMap;

use anyhow::Context;
use shared::report::{ApprovalAction, ApprovalEvent, ApprovalMark};
use shared::sync::Entity;
use shared::text::{Note, PersonName};
use shared::time::{Month, Period};
use shared::usage::{CaseloadNorms, UsageRow};
use shared::user::Role;
use shared::visit::{ChargeTo, VisitKind, VisitStatus};
use shared::{CitizenId, Date, DrawingRightId, GrantId, Minutes, TeamId, Timestamp, UserId, VisitId};
use sqlx::Row;
use uuid::Uuid;

use super::Conn;
use super::changes::{Scope, Stamper};
use super::{Backend, id, json_ids, wire_enum, wire_name};

const USAGE_COLUMNS: &str = "v.id, v.citizen_id, v.worker_id, v.kind, v.started_at, v.ended_at, v.travel_minutes, \
                             v.charged_grant_id, v.charged_pool_id, v.status, v.corrected_minutes";

/// One visit as [`USAGE_COLUMNS`] lists it, from the JSON of
/// [`Backend::json_rows`].
#[derive(serde::Deserialize)]
struct UsageWire(
    VisitId,
    CitizenId,
    UserId,
    VisitKind,
    i64,
    i64,
    i64,
    Option<GrantId>,
    Option<DrawingRightId>,
    VisitStatus,
    Option<i64>,
);

impl From<UsageWire> for UsageRow {
    fn from(w: UsageWire) -> UsageRow {
        let UsageWire(id, citizen_id, worker_id, kind, started, ended, travel, grant, pool, status, corrected) = w;
        let charged_to = match (grant, pool) {
            (Some(g), _) => Some(ChargeTo::Grant(g)),
            (None, Some(p)) => Some(ChargeTo::DrawingRight(p)),
            (None, None) => None,
        };
        // The stored times passed `check_times`: 0 ≤ duration ≤ 16 hours.
        let duration = ((ended - started) / 60_000).clamp(0, i64::from(u32::MAX)) as u32;
        let counted = corrected.map_or(duration, |m| m.clamp(0, i64::from(u32::MAX)) as u32);
        UsageRow {
            id,
            citizen_id,
            worker_id,
            kind,
            started_at: Timestamp::from_millis(started),
            charged_to,
            counted: Minutes::new(counted),
            travel: Minutes::new(travel.clamp(0, i64::from(u32::MAX)) as u32),
            status,
        }
    }
}

async fn usage_where(
    conn: &mut Conn,
    condition: &str,
    key: String,
    start: Timestamp,
    end: Timestamp,
) -> anyhow::Result<Vec<UsageRow>> {
    let sql = format!(
        "SELECT {} FROM visits v WHERE {condition} AND v.started_at >= $2 AND v.started_at < $3",
        Backend::of(conn).json_rows(USAGE_COLUMNS)
    );
    let json: String =
        sqlx::query_scalar(&sql).bind(key).bind(start.as_millis()).bind(end.as_millis()).fetch_one(conn).await?;
    usage_rows(&json)
}

/// Visits started in `[start, end)` by any of `workers`, to any of
/// `citizens` or charged to any of `pools`: a team report's month, each
/// visit once.
pub async fn usage_for_report(
    conn: &mut Conn,
    workers: &[UserId],
    citizens: &[CitizenId],
    pools: &[DrawingRightId],
    start: Timestamp,
    end: Timestamp,
) -> anyhow::Result<Vec<UsageRow>> {
    let backend = Backend::of(conn);
    let range = "started_at >= $4 AND started_at < $5";
    let (w, c, p) = (backend.json_strings("$1"), backend.json_strings("$2"), backend.json_strings("$3"));
    let condition = match backend {
        // SQLite would answer an OR of three IN lists with one index and a
        // filter; a union of the rows each index finds is what we mean.
        Backend::Sqlite => format!(
            "v.rowid IN (SELECT rowid FROM visits WHERE worker_id IN {w} AND {range}
                         UNION SELECT rowid FROM visits WHERE citizen_id IN {c} AND {range}
                         UNION SELECT rowid FROM visits WHERE charged_pool_id IN {p} AND {range})"
        ),
        // PostgreSQL ORs the three indexes' bitmaps.
        Backend::Postgres => {
            format!("(v.worker_id IN {w} OR v.citizen_id IN {c} OR v.charged_pool_id IN {p}) AND v.{range}")
        }
    };
    let sql = format!("SELECT {} FROM visits v WHERE {condition}", backend.json_rows(USAGE_COLUMNS));
    let json: String = sqlx::query_scalar(&sql)
        .bind(json_ids(workers))
        .bind(json_ids(citizens))
        .bind(json_ids(pools))
        .bind(start.as_millis())
        .bind(end.as_millis())
        .fetch_one(conn)
        .await?;
    usage_rows(&json)
}

/// The rows of a [`Backend::json_rows`] over [`USAGE_COLUMNS`].
fn usage_rows(json: &str) -> anyhow::Result<Vec<UsageRow>> {
    let rows: Vec<UsageWire> = serde_json::from_str(json).context("reading visit rows")?;
    Ok(rows.into_iter().map(UsageRow::from).collect())
}

/// Visits charged to `pool` started in `[start, end)`.
pub async fn usage_by_pool(
    conn: &mut Conn,
    pool: DrawingRightId,
    start: Timestamp,
    end: Timestamp,
) -> anyhow::Result<Vec<UsageRow>> {
    usage_where(conn, "v.charged_pool_id = $1", pool.to_string(), start, end).await
}

/// Visits started in `[start, end)` charged to a grant or drawing right
/// that `area` pays for.
pub async fn usage_paid_by(
    conn: &mut Conn,
    area: shared::AreaId,
    start: Timestamp,
    end: Timestamp,
) -> anyhow::Result<Vec<UsageRow>> {
    let condition = "(v.charged_grant_id IN (SELECT id FROM grants WHERE payer_area_id = $1)
                      OR v.charged_pool_id IN (SELECT id FROM drawing_rights WHERE owner_area_id = $1))";
    usage_where(conn, condition, area.to_string(), start, end).await
}

/// A team member, with the roles that matter for reports.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: UserId,
    pub name: PersonName,
    pub roles: Vec<Role>,
}

/// The team's members, by name.
pub async fn members(conn: &mut Conn, team: TeamId) -> anyhow::Result<Vec<Member>> {
    let rows = sqlx::query(
        "SELECT u.id, u.name, r.role FROM team_members m JOIN users u ON u.id = m.user_id
         LEFT JOIN user_roles r ON r.user_id = u.id
         WHERE m.team_id = $1 ORDER BY u.name, u.id, r.role",
    )
    .bind(team.to_string())
    .fetch_all(conn)
    .await?;
    let mut out: Vec<Member> = Vec::new();
    for r in &rows {
        let user: UserId = id(r.get("id"))?;
        if out.last().is_none_or(|m| m.id != user) {
            out.push(Member { id: user, name: PersonName::try_from(r.get::<String, _>("name"))?, roles: Vec::new() });
        }
        if let (Some(role), Some(member)) = (r.get::<Option<String>, _>("role"), out.last_mut()) {
            member.roles.push(wire_enum(&role)?);
        }
    }
    Ok(out)
}

/// The citizens assigned to any of `users` on some day of `first..=last`.
pub async fn citizens_assigned(
    conn: &mut Conn,
    users: &[UserId],
    first: Date,
    last: Date,
) -> anyhow::Result<Vec<CitizenId>> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT DISTINCT citizen_id FROM assignments
         WHERE user_id IN {} AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $3) ORDER BY citizen_id",
        Backend::of(conn).json_strings("$1")
    );
    let ids: Vec<String> = sqlx::query_scalar(&sql)
        .bind(json_ids(users))
        .bind(last.to_string())
        .bind(first.to_string())
        .fetch_all(conn)
        .await?;
    ids.iter().map(|s| id(s)).collect()
}

/// How many citizens each of `users` is assigned to on `day`.
pub async fn assigned_counts(conn: &mut Conn, users: &[UserId], day: Date) -> anyhow::Result<HashMap<UserId, u32>> {
    if users.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT user_id, COUNT(DISTINCT citizen_id) AS n FROM assignments
         WHERE user_id IN {} AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2) GROUP BY user_id",
        Backend::of(conn).json_strings("$1")
    );
    let rows = sqlx::query(&sql).bind(json_ids(users)).bind(day.to_string()).fetch_all(conn).await?;
    rows.iter().map(|r| Ok((id(r.get("user_id"))?, r.get::<i64, _>("n") as u32))).collect()
}

/// How many citizens each of `users` coordinates.
pub async fn coordinated_counts(conn: &mut Conn, users: &[UserId]) -> anyhow::Result<HashMap<UserId, u32>> {
    if users.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT coordinator_id, COUNT(*) AS n FROM citizens WHERE coordinator_id IN {} GROUP BY coordinator_id",
        Backend::of(conn).json_strings("$1")
    );
    let rows = sqlx::query(&sql).bind(json_ids(users)).fetch_all(conn).await?;
    rows.iter().map(|r| Ok((id(r.get("coordinator_id"))?, r.get::<i64, _>("n") as u32))).collect()
}

/// Names of citizens and users by id (ids in neither are left out).
pub async fn names(
    conn: &mut Conn,
    citizens: &[CitizenId],
    users: &[UserId],
) -> anyhow::Result<Vec<(Uuid, PersonName)>> {
    let backend = Backend::of(conn);
    let sql = format!(
        "SELECT {} FROM (SELECT id, name FROM citizens WHERE id IN {} UNION ALL SELECT id, name FROM users WHERE id IN {}) n",
        backend.json_rows("n.id, n.name"),
        backend.json_strings("$1"),
        backend.json_strings("$2")
    );
    let json: String = sqlx::query_scalar(&sql).bind(json_ids(citizens)).bind(json_ids(users)).fetch_one(conn).await?;
    serde_json::from_str(&json).context("reading names")
}

// ------------------------------------------------------------- approvals

/// Who approved the team's month and when, while it is approved.
pub async fn lock_of(conn: &mut Conn, team: TeamId, month: Month) -> anyhow::Result<Option<ApprovalMark>> {
    let row = sqlx::query(
        "SELECT u.name, l.locked_at FROM period_locks l JOIN users u ON u.id = l.locked_by
         WHERE l.team_id = $1 AND l.month = $2",
    )
    .bind(team.to_string())
    .bind(month.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(ApprovalMark {
            by: PersonName::try_from(r.get::<String, _>("name"))?,
            at: Timestamp::from_millis(r.get("locked_at")),
        })
    })
    .transpose()
}

pub async fn history(conn: &mut Conn, team: TeamId, month: Month) -> anyhow::Result<Vec<ApprovalEvent>> {
    let rows = sqlx::query(
        "SELECT e.action, u.name, e.at, e.reason, e.visits FROM period_lock_events e JOIN users u ON u.id = e.user_id
         WHERE e.team_id = $1 AND e.month = $2 ORDER BY e.at, e.id",
    )
    .bind(team.to_string())
    .bind(month.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ApprovalEvent {
                action: wire_enum(r.get("action"))?,
                by: PersonName::try_from(r.get::<String, _>("name"))?,
                at: Timestamp::from_millis(r.get("at")),
                reason: r.get::<Option<String>, _>("reason").map(Note::try_from).transpose()?,
                visits: r.get::<i64, _>("visits") as u32,
            })
        })
        .collect()
}

/// The months locked for any team `user` belongs to.
pub async fn locked_months_of(conn: &mut Conn, user: UserId) -> anyhow::Result<Vec<Month>> {
    let months: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT l.month FROM period_locks l JOIN team_members m ON m.team_id = l.team_id WHERE m.user_id = $1",
    )
    .bind(user.to_string())
    .fetch_all(conn)
    .await?;
    months.into_iter().map(|m| Month::try_from(m).map_err(anyhow::Error::from)).collect()
}

/// Those of `workers` whose `month` is locked through any of their teams.
async fn locked_members(conn: &mut Conn, workers: &[UserId], month: Month) -> anyhow::Result<Vec<UserId>> {
    if workers.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT DISTINCT m.user_id FROM team_members m JOIN period_locks l ON l.team_id = m.team_id
         WHERE l.month = $2 AND m.user_id IN {}",
        Backend::of(conn).json_strings("$1")
    );
    let ids: Vec<String> =
        sqlx::query_scalar(&sql).bind(json_ids(workers)).bind(month.to_string()).fetch_all(conn).await?;
    ids.iter().map(|i| id(i)).collect()
}

/// Sets the status of the visits by `workers` in `month` that have status
/// `from` to `to`, bumping their version and stamping each. Returns how many.
async fn set_status(
    conn: &mut Conn,
    stamper: &mut Stamper,
    workers: &[UserId],
    month: Month,
    from: VisitStatus,
    to: VisitStatus,
) -> anyhow::Result<u32> {
    if workers.is_empty() {
        return Ok(0);
    }
    let backend = Backend::of(conn);
    let condition =
        format!("worker_id IN {} AND started_at >= $2 AND started_at < $3 AND status = $4", backend.json_strings("$1"));
    let select = format!("SELECT id, citizen_id FROM visits WHERE {condition}{}", backend.for_update());
    let (start, end) = (month.start().as_millis(), month.end().as_millis());
    let rows = sqlx::query(&select)
        .bind(json_ids(workers))
        .bind(start)
        .bind(end)
        .bind(wire_name(&from))
        .fetch_all(&mut *conn)
        .await?;
    for r in &rows {
        let citizen: CitizenId = id(r.get("citizen_id"))?;
        stamper.record(Entity::Visit, r.get::<String, _>("id"), Scope::citizen(citizen), false);
    }
    let update = format!("UPDATE visits SET status = $5, row_version = row_version + 1 WHERE {condition}");
    sqlx::query(&update)
        .bind(json_ids(workers))
        .bind(start)
        .bind(end)
        .bind(wire_name(&from))
        .bind(wire_name(&to))
        .execute(conn)
        .await?;
    Ok(rows.len() as u32)
}

/// One approval or reopening, for the history.
struct Event<'a> {
    team: TeamId,
    month: Month,
    action: ApprovalAction,
    user: UserId,
    at: Timestamp,
    reason: Option<&'a Note>,
    visits: u32,
}

async fn record_event(conn: &mut Conn, e: Event<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO period_lock_events (id, team_id, month, action, user_id, at, reason, visits)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(e.team.to_string())
    .bind(e.month.to_string())
    .bind(wire_name(&e.action))
    .bind(e.user.to_string())
    .bind(e.at.as_millis())
    .bind(e.reason.map(|r| r.as_str().to_owned()))
    .bind(i64::from(e.visits))
    .execute(conn)
    .await
    .map(drop)
}

/// Approves the team's month: locks it (again, if already locked, to take
/// in late arrivals) and approves its members' submitted visits.
pub async fn approve(
    conn: &mut Conn,
    stamper: &mut Stamper,
    team: TeamId,
    month: Month,
    workers: &[UserId],
    user: UserId,
    now: Timestamp,
) -> anyhow::Result<u32> {
    sqlx::query(
        "INSERT INTO period_locks (team_id, month, locked_by, locked_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (team_id, month) DO NOTHING",
    )
    .bind(team.to_string())
    .bind(month.to_string())
    .bind(user.to_string())
    .bind(now.as_millis())
    .execute(&mut *conn)
    .await?;
    let n = set_status(conn, stamper, workers, month, VisitStatus::Submitted, VisitStatus::Approved).await?;
    let action = ApprovalAction::Approve;
    record_event(conn, Event { team, month, action, user, at: now, reason: None, visits: n }).await?;
    Ok(n)
}

/// Reopens an approved month: removes its lock and returns its members'
/// approved visits to submitted — except those of a member whose month is
/// still locked through another team (their visits stay approved: that
/// team's approval stands). `None` when the month was not approved.
#[allow(clippy::too_many_arguments)]
pub async fn reopen(
    conn: &mut Conn,
    stamper: &mut Stamper,
    team: TeamId,
    month: Month,
    workers: &[UserId],
    user: UserId,
    now: Timestamp,
    reason: &Note,
) -> anyhow::Result<Option<u32>> {
    let removed = sqlx::query("DELETE FROM period_locks WHERE team_id = $1 AND month = $2")
        .bind(team.to_string())
        .bind(month.to_string())
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if removed == 0 {
        return Ok(None);
    }
    let still_locked = locked_members(conn, workers, month).await?;
    let freed: Vec<UserId> = workers.iter().copied().filter(|w| !still_locked.contains(w)).collect();
    let n = set_status(conn, stamper, &freed, month, VisitStatus::Approved, VisitStatus::Submitted).await?;
    let action = ApprovalAction::Reopen;
    record_event(conn, Event { team, month, action, user, at: now, reason: Some(reason), visits: n }).await?;
    Ok(Some(n))
}

// -------------------------------------------------------------- settings

const NORMS_KEY: &str = "caseload_norms";

pub async fn caseload_norms(conn: &mut Conn) -> anyhow::Result<CaseloadNorms> {
    super::settings::get(conn, NORMS_KEY).await
}

pub async fn set_caseload_norms(conn: &mut Conn, norms: &CaseloadNorms) -> anyhow::Result<()> {
    super::settings::set(conn, NORMS_KEY, norms).await
}
