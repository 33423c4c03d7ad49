//! The coordination and visitation committee (issue 16, seed 001):
//! proposals (`referrals`) with the lead's screening and the committee's
//! decision, and the committee's meetings. Written online only
//! (`http::committee`); not in the change stream (the committee's decision
//! changes the citizen's coordinator through `db::admin::upsert_citizen`,
//! which is).

use std::collections::BTreeMap;

use anyhow::Context;
use shared::assignment::Named;
use shared::committee::{
    CommitteeDecision, CommitteeDecisionInput, CommitteeMeeting, Referral, ReferralInput, Screening, ScreeningInput,
    ScreeningRecord, Stage,
};
use shared::text::{Note, ReferralReason};
use shared::{CitizenId, CommitteeMeetingId, Date, ReferralId, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Backend, Conn, id};

/// Which proposals to read.
pub enum Which {
    /// Every open one, and those closed since the given time.
    Committee { closed_since: Timestamp },
    /// One citizen's.
    Citizen(CitizenId),
    /// One proposer's.
    ProposedBy(UserId),
    /// One.
    One(ReferralId),
}

const SELECT: &str = "SELECT r.id, r.citizen_id, c.name AS citizen_name, r.proposed_by, p.name AS proposed_by_name,
        r.proposed_at, r.reason, r.screening, r.screening_reason, r.screened_by, s.name AS screened_by_name,
        r.screened_at, r.meeting_id, m.on_date AS meeting_on, r.plan_start, r.coordinator_id,
        co.name AS coordinator_name, r.decision_note, r.decided_by, d.name AS decided_by_name, r.decided_at,
        r.seen_stage
    FROM referrals r
    JOIN citizens c ON c.id = r.citizen_id
    JOIN users p ON p.id = r.proposed_by
    LEFT JOIN users s ON s.id = r.screened_by
    LEFT JOIN committee_meetings m ON m.id = r.meeting_id
    LEFT JOIN users co ON co.id = r.coordinator_id
    LEFT JOIN users d ON d.id = r.decided_by";

/// The proposals `which` names, newest first, whole.
pub async fn referrals(conn: &mut Conn, which: Which) -> anyhow::Result<Vec<Referral>> {
    let backend = Backend::of(conn);
    let sql = |filter: &str| format!("{SELECT} {filter} ORDER BY r.proposed_at DESC, r.id");
    let (filter, text) = match which {
        Which::Committee { closed_since } => {
            let filter = "WHERE (r.screening IS NULL OR (r.screening = 'refer' AND r.decided_at IS NULL)
                                 OR COALESCE(r.decided_at, r.screened_at) >= $1)";
            let rows = sqlx::query(&sql(filter)).bind(closed_since.as_millis()).fetch_all(&mut *conn).await?;
            return finish(conn, backend, &rows).await;
        }
        Which::Citizen(c) => ("WHERE r.citizen_id = $1", c.to_string()),
        Which::ProposedBy(u) => ("WHERE r.proposed_by = $1", u.to_string()),
        Which::One(r) => ("WHERE r.id = $1", r.to_string()),
    };
    let rows = sqlx::query(&sql(filter)).bind(text).fetch_all(&mut *conn).await?;
    finish(conn, backend, &rows).await
}

/// The proposals of `rows`, with their decisions' areas.
async fn finish(conn: &mut Conn, backend: Backend, rows: &[AnyRow]) -> anyhow::Result<Vec<Referral>> {
    let mut out = rows.iter().map(referral_from).collect::<anyhow::Result<Vec<_>>>()?;
    if out.is_empty() {
        return Ok(out);
    }
    let ids = serde_json::to_string(&out.iter().map(|r| r.id.to_string()).collect::<Vec<_>>())?;
    let areas = sqlx::query(&format!(
        "SELECT ra.referral_id, a.id, a.name FROM referral_areas ra JOIN areas a ON a.id = ra.area_id
         WHERE ra.referral_id IN {} ORDER BY ra.referral_id, ra.position",
        backend.json_strings("$1")
    ))
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_referral: BTreeMap<String, Vec<Named<shared::AreaId>>> = BTreeMap::new();
    for r in &areas {
        by_referral.entry(r.get("referral_id")).or_default().push(Named { id: id(r.get("id"))?, name: r.get("name") });
    }
    for referral in &mut out {
        if let Some(decision) = referral.decision.as_mut() {
            decision.areas = by_referral.remove(&referral.id.to_string()).unwrap_or_default();
        }
    }
    Ok(out)
}

fn referral_from(r: &AnyRow) -> anyhow::Result<Referral> {
    let screening = match r.get::<Option<String>, _>("screening") {
        Some(code) => Some(ScreeningRecord {
            decision: Screening::from_code(&code).with_context(|| format!("an unknown screening {code:?}"))?,
            reason: ReferralReason::try_from(r.get::<Option<String>, _>("screening_reason").unwrap_or_default())?,
            by: id(&r.get::<String, _>("screened_by"))?,
            by_name: r.get("screened_by_name"),
            at: Timestamp::from_millis(r.get("screened_at")),
        }),
        None => None,
    };
    let decision = match r.get::<Option<String>, _>("meeting_id") {
        Some(meeting) => Some(CommitteeDecision {
            meeting_id: id(&meeting)?,
            meeting_on: r.get::<String, _>("meeting_on").parse()?,
            plan_start: r.get::<String, _>("plan_start").parse()?,
            coordinator: Named { id: id(&r.get::<String, _>("coordinator_id"))?, name: r.get("coordinator_name") },
            areas: Vec::new(),
            note: Note::try_from(r.get::<Option<String>, _>("decision_note").unwrap_or_default())?,
            by: id(&r.get::<String, _>("decided_by"))?,
            by_name: r.get("decided_by_name"),
            at: Timestamp::from_millis(r.get("decided_at")),
        }),
        None => None,
    };
    let seen: String = r.get("seen_stage");
    Ok(Referral {
        id: id(r.get("id"))?,
        citizen_id: id(r.get("citizen_id"))?,
        citizen_name: r.get("citizen_name"),
        proposed_by: id(r.get("proposed_by"))?,
        proposed_by_name: r.get("proposed_by_name"),
        proposed_at: Timestamp::from_millis(r.get("proposed_at")),
        reason: ReferralReason::try_from(r.get::<String, _>("reason"))?,
        screening,
        decision,
        seen_stage: Stage::from_code(&seen).with_context(|| format!("an unknown stage {seen:?}"))?,
    })
}

/// Keeps a new proposal by `by` at `now`.
pub async fn insert(
    conn: &mut Conn,
    referral: ReferralId,
    input: &ReferralInput,
    by: UserId,
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO referrals (id, citizen_id, proposed_by, proposed_at, reason, seen_stage)
         VALUES ($1, $2, $3, $4, $5, 'awaiting_lead')",
    )
    .bind(referral.to_string())
    .bind(input.citizen_id.to_string())
    .bind(by.to_string())
    .bind(now.as_millis())
    .bind(input.reason.as_str())
    .execute(conn)
    .await
    .map(drop)
}

/// Keeps a lead's decision on a proposal that has none. Returns false when
/// it had one already (another lead was first).
pub async fn screen(
    conn: &mut Conn,
    referral: ReferralId,
    input: &ScreeningInput,
    by: UserId,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "UPDATE referrals SET screening = $1, screening_reason = $2, screened_by = $3, screened_at = $4
         WHERE id = $5 AND screening IS NULL",
    )
    .bind(input.decision.code())
    .bind(input.reason.as_str())
    .bind(by.to_string())
    .bind(now.as_millis())
    .bind(referral.to_string())
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Keeps the committee's decision on a referred proposal without one.
/// Returns false when it had one already.
pub async fn decide(
    conn: &mut Conn,
    referral: ReferralId,
    input: &CommitteeDecisionInput,
    by: UserId,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "UPDATE referrals SET meeting_id = $1, plan_start = $2, coordinator_id = $3, decision_note = $4,
                decided_by = $5, decided_at = $6
         WHERE id = $7 AND screening = 'refer' AND decided_at IS NULL",
    )
    .bind(input.meeting_id.to_string())
    .bind(input.plan_start.to_string())
    .bind(input.coordinator_id.to_string())
    .bind(input.note.as_str())
    .bind(by.to_string())
    .bind(now.as_millis())
    .bind(referral.to_string())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n != 1 {
        return Ok(false);
    }
    for (position, area) in input.areas.iter().enumerate() {
        sqlx::query("INSERT INTO referral_areas (referral_id, area_id, position) VALUES ($1, $2, $3)")
            .bind(referral.to_string())
            .bind(area.to_string())
            .bind(position as i64)
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}

/// Notes that the proposer has seen the proposal at `stage`.
pub async fn seen(conn: &mut Conn, referral: ReferralId, stage: Stage) -> sqlx::Result<()> {
    sqlx::query("UPDATE referrals SET seen_stage = $1 WHERE id = $2")
        .bind(stage.code())
        .bind(referral.to_string())
        .execute(conn)
        .await
        .map(drop)
}

/// The committee's meetings on or after `from`, by day.
pub async fn meetings(conn: &mut Conn, from: Date) -> anyhow::Result<Vec<CommitteeMeeting>> {
    let rows = sqlx::query("SELECT id, on_date FROM committee_meetings WHERE on_date >= $1 ORDER BY on_date")
        .bind(from.to_string())
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| Ok(CommitteeMeeting { id: id(r.get("id"))?, on: r.get::<String, _>("on_date").parse()? }))
        .collect()
}

/// One meeting, if kept.
pub async fn meeting(conn: &mut Conn, meeting: CommitteeMeetingId) -> anyhow::Result<Option<CommitteeMeeting>> {
    let row = sqlx::query("SELECT id, on_date FROM committee_meetings WHERE id = $1")
        .bind(meeting.to_string())
        .fetch_optional(conn)
        .await?;
    row.map(|r| Ok(CommitteeMeeting { id: id(r.get("id"))?, on: r.get::<String, _>("on_date").parse()? })).transpose()
}

/// What keeping a standing meeting's day did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayWrite {
    /// A new meeting.
    Created,
    /// The meeting was there; its day is as given now.
    Moved,
    /// Another meeting is on that day: nothing written.
    Taken,
}

/// The tables of standing meetings' days (`id`, `on_date` unique,
/// `created_by`, `created_at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Days {
    /// The committee's meetings.
    Committee,
    /// The sparring forum's sessions.
    Forum,
}

/// Keeps meeting `id` of `days` on `on` (new, or moved).
pub async fn put_day(
    conn: &mut Conn,
    days: Days,
    id: &str,
    on: Date,
    by: UserId,
    now: Timestamp,
) -> sqlx::Result<DayWrite> {
    let table = match days {
        Days::Committee => "committee_meetings",
        Days::Forum => "forum_sessions",
    };
    let taken: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE on_date = $1 AND id <> $2"))
        .bind(on.to_string())
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    if taken > 0 {
        return Ok(DayWrite::Taken);
    }
    let updated = sqlx::query(&format!("UPDATE {table} SET on_date = $1 WHERE id = $2"))
        .bind(on.to_string())
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if updated > 0 {
        return Ok(DayWrite::Moved);
    }
    sqlx::query(&format!("INSERT INTO {table} (id, on_date, created_by, created_at) VALUES ($1, $2, $3, $4)"))
        .bind(id)
        .bind(on.to_string())
        .bind(by.to_string())
        .bind(now.as_millis())
        .execute(conn)
        .await?;
    Ok(DayWrite::Created)
}

/// Active users with any of `roles`, by name, each once.
pub async fn users_with(conn: &mut Conn, roles: &[shared::user::Role]) -> anyhow::Result<Vec<Named<UserId>>> {
    // The codes are the enum's own, never typed input.
    let codes = roles.iter().map(|r| format!("'{}'", r.code())).collect::<Vec<_>>().join(", ");
    let rows = sqlx::query(&format!(
        "SELECT u.id, u.name FROM users u
         WHERE u.active = 1 AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ({codes}))
         ORDER BY u.name, u.id"
    ))
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| Ok(Named { id: id(r.get("id"))?, name: r.get("name") })).collect()
}
