//! The monthly sparring forum (issue 16, seed 000): sessions and the cases
//! on their agendas with their minutes. Written online only
//! (`http::forum`); not in the change stream.

use shared::assignment::Named;
use shared::forum::{CaseInput, CaseOutcome, ForumCase, ForumSession, OutcomeInput};
use shared::text::{ForumOutcomeText, ForumQuestion};
use shared::{CitizenId, Date, ForumCaseId, ForumSessionId, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Conn, id};

/// Which cases to read.
pub enum Which {
    /// Those of sessions on or after the day.
    From(Date),
    /// One citizen's.
    Citizen(CitizenId),
    /// One.
    One(ForumCaseId),
}

const SELECT: &str = "SELECT f.id, f.session_id, s.on_date, f.citizen_id, c.name AS citizen_name, f.question,
        f.added_by, a.name AS added_by_name, f.outcome, f.follow_up_owner, o.name AS owner_name, f.follow_up_due,
        f.outcome_by, b.name AS outcome_by_name, f.outcome_at
    FROM forum_cases f
    JOIN forum_sessions s ON s.id = f.session_id
    JOIN citizens c ON c.id = f.citizen_id
    JOIN users a ON a.id = f.added_by
    LEFT JOIN users o ON o.id = f.follow_up_owner
    LEFT JOIN users b ON b.id = f.outcome_by";

/// The cases `which` names, by session day (newest first for a citizen,
/// else oldest first) and then as added. Every case names its citizen; the
/// caller leaves out the names a reader may not see.
pub async fn cases(conn: &mut Conn, which: Which) -> anyhow::Result<Vec<ForumCase>> {
    let (filter, order, bind) = match which {
        Which::From(day) => ("WHERE s.on_date >= $1", "s.on_date, f.added_at, f.id", day.to_string()),
        Which::Citizen(c) => ("WHERE f.citizen_id = $1", "s.on_date DESC, f.added_at, f.id", c.to_string()),
        Which::One(f) => ("WHERE f.id = $1", "f.id", f.to_string()),
    };
    let rows = sqlx::query(&format!("{SELECT} {filter} ORDER BY {order}")).bind(bind).fetch_all(conn).await?;
    rows.iter().map(case_from).collect()
}

fn case_from(r: &AnyRow) -> anyhow::Result<ForumCase> {
    let outcome = match r.get::<Option<String>, _>("outcome") {
        Some(text) => Some(CaseOutcome {
            outcome: ForumOutcomeText::try_from(text)?,
            follow_up_owner: match r.get::<Option<String>, _>("follow_up_owner") {
                Some(owner) => Some(Named { id: id(&owner)?, name: r.get("owner_name") }),
                None => None,
            },
            follow_up_due: r.get::<Option<String>, _>("follow_up_due").map(|d| d.parse()).transpose()?,
            by: id(&r.get::<String, _>("outcome_by"))?,
            by_name: r.get("outcome_by_name"),
            at: Timestamp::from_millis(r.get("outcome_at")),
        }),
        None => None,
    };
    Ok(ForumCase {
        id: id(r.get("id"))?,
        session_id: id(r.get("session_id"))?,
        session_on: r.get::<String, _>("on_date").parse()?,
        citizen: Some(Named { id: id(r.get("citizen_id"))?, name: r.get("citizen_name") }),
        question: ForumQuestion::try_from(r.get::<String, _>("question"))?,
        added_by: id(r.get("added_by"))?,
        added_by_name: r.get("added_by_name"),
        outcome,
    })
}

/// Keeps a new case.
pub async fn insert_case(
    conn: &mut Conn,
    case: ForumCaseId,
    input: &CaseInput,
    by: UserId,
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO forum_cases (id, session_id, citizen_id, question, added_by, added_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(case.to_string())
    .bind(input.session_id.to_string())
    .bind(input.citizen_id.to_string())
    .bind(input.question.as_str())
    .bind(by.to_string())
    .bind(now.as_millis())
    .execute(conn)
    .await
    .map(drop)
}

/// Writes a case's minutes (a later write corrects them).
pub async fn set_outcome(
    conn: &mut Conn,
    case: ForumCaseId,
    input: &OutcomeInput,
    by: UserId,
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE forum_cases SET outcome = $1, follow_up_owner = $2, follow_up_due = $3, outcome_by = $4,
                outcome_at = $5 WHERE id = $6",
    )
    .bind(input.outcome.as_str())
    .bind(input.follow_up_owner.map(|u| u.to_string()))
    .bind(input.follow_up_due.map(|d| d.to_string()))
    .bind(by.to_string())
    .bind(now.as_millis())
    .bind(case.to_string())
    .execute(conn)
    .await
    .map(drop)
}

fn session_from(r: &AnyRow) -> anyhow::Result<ForumSession> {
    Ok(ForumSession { id: id(r.get("id"))?, on: r.get::<String, _>("on_date").parse()? })
}

/// The sessions on or after `from`, by day.
pub async fn sessions(conn: &mut Conn, from: Date) -> anyhow::Result<Vec<ForumSession>> {
    let rows = sqlx::query("SELECT id, on_date FROM forum_sessions WHERE on_date >= $1 ORDER BY on_date")
        .bind(from.to_string())
        .fetch_all(conn)
        .await?;
    rows.iter().map(session_from).collect()
}

/// One session, if kept.
pub async fn session(conn: &mut Conn, session: ForumSessionId) -> anyhow::Result<Option<ForumSession>> {
    let row = sqlx::query("SELECT id, on_date FROM forum_sessions WHERE id = $1")
        .bind(session.to_string())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(session_from).transpose()
}
