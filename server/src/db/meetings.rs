//! Cross-disciplinary meetings and their minutes (issue 16,
//! `shared::meeting`): synced rows of their citizen, written by pushes
//! (`sync::plan`) and read by pulls and the overdue lists.

use shared::meeting::{AgendaItem, Meeting, MeetingDraft, Minutes, MinutesDraft};
use shared::minutes::Minutes as Duration;
use shared::sync::Entity;
use shared::text::{MinutesText, OthersPresent};
use shared::{CitizenId, MeetingId, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::changes::{Scope, Stamper};
use super::plans::rows_in;
use super::{Conn, id, json_ids, wire_enum};

const MEETING_COLUMNS: &str = "id, citizen_id, on_date, organiser_id, participants, others, citizen_invited, status, \
                               citizen_took_part, present, next_on, starts_at, duration, row_version, updated_at, \
                               updated_by";

fn meeting_from(r: &AnyRow) -> anyhow::Result<Meeting> {
    let next: Option<String> = r.get("next_on");
    Ok(Meeting {
        fields: MeetingDraft {
            id: id(r.get("id"))?,
            citizen_id: id(r.get("citizen_id"))?,
            on: r.get::<String, _>("on_date").parse()?,
            organiser_id: id(r.get("organiser_id"))?,
            participants: serde_json::from_str(&r.get::<String, _>("participants"))?,
            others: OthersPresent::try_from(r.get::<String, _>("others"))?,
            citizen_invited: r.get::<i64, _>("citizen_invited") == 1,
            status: wire_enum(r.get("status"))?,
            citizen_took_part: r.get::<i64, _>("citizen_took_part") == 1,
            present: serde_json::from_str(&r.get::<String, _>("present"))?,
            next_on: next.map(|d| d.parse()).transpose()?,
            starts_at: r.get::<Option<i64>, _>("starts_at").map(Timestamp::from_millis),
            duration: r.get::<Option<i64>, _>("duration").map(|m| u32::try_from(m).map(Duration::new)).transpose()?,
        },
        row_version: u64::try_from(r.get::<i64, _>("row_version"))?,
        updated_at: Timestamp::from_millis(r.get("updated_at")),
        updated_by: id(r.get("updated_by"))?,
    })
}

const MINUTES_COLUMNS: &str = "id, meeting_id, citizen_id, item, text, by_user, recorded_at";

fn minutes_from(r: &AnyRow) -> anyhow::Result<Minutes> {
    let item: AgendaItem = serde_json::from_str(&r.get::<String, _>("item"))?;
    Ok(Minutes {
        fields: MinutesDraft {
            id: id(r.get("id"))?,
            meeting_id: id(r.get("meeting_id"))?,
            citizen_id: id(r.get("citizen_id"))?,
            item,
            text: MinutesText::try_from(r.get::<String, _>("text"))?,
        },
        by: id(r.get("by_user"))?,
        recorded_at: Timestamp::from_millis(r.get("recorded_at")),
    })
}

/// Meetings by a JSON array of ids (a pull page's, or a push's with
/// `lock`).
pub async fn load_meetings(conn: &mut Conn, ids: &str, lock: bool) -> anyhow::Result<Vec<Meeting>> {
    rows_in(conn, MEETING_COLUMNS, "meetings", "id", ids, lock).await?.iter().map(meeting_from).collect()
}

/// The staff recorded as present at `meetings` (whose meeting visits a
/// save of them may change), each once.
pub async fn present_of(conn: &mut Conn, meetings: &[MeetingId]) -> anyhow::Result<Vec<UserId>> {
    if meetings.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<UserId> = Vec::new();
    for m in load_meetings(conn, &json_ids(meetings), false).await? {
        for u in m.fields.present {
            if !out.contains(&u) {
                out.push(u);
            }
        }
    }
    Ok(out)
}

/// The meetings of `citizens`, by day.
pub async fn meetings_of(conn: &mut Conn, citizens: &[CitizenId]) -> anyhow::Result<Vec<Meeting>> {
    let mut out: Vec<Meeting> = rows_in(conn, MEETING_COLUMNS, "meetings", "citizen_id", &json_ids(citizens), false)
        .await?
        .iter()
        .map(meeting_from)
        .collect::<anyhow::Result<_>>()?;
    out.sort_by_key(|m| (m.fields.on, m.fields.id));
    Ok(out)
}

/// Entries of minutes by a JSON array of ids.
pub async fn load_minutes(conn: &mut Conn, ids: &str) -> anyhow::Result<Vec<Minutes>> {
    rows_in(conn, MINUTES_COLUMNS, "meeting_minutes", "id", ids, false).await?.iter().map(minutes_from).collect()
}

/// Inserts or changes a meeting (its citizen never changes) and stamps it.
pub async fn upsert_meeting(conn: &mut Conn, stamper: &mut Stamper, m: &Meeting) -> anyhow::Result<()> {
    let f = &m.fields;
    stamper.record(Entity::Meeting, f.id.to_string(), Scope::citizen(f.citizen_id), false);
    sqlx::query(
        "INSERT INTO meetings (id, citizen_id, on_date, organiser_id, participants, others, citizen_invited, status,
                               citizen_took_part, present, next_on, starts_at, duration, row_version, updated_at,
                               updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (id) DO UPDATE SET on_date = excluded.on_date, organiser_id = excluded.organiser_id,
             participants = excluded.participants, others = excluded.others,
             citizen_invited = excluded.citizen_invited, status = excluded.status,
             citizen_took_part = excluded.citizen_took_part, present = excluded.present, next_on = excluded.next_on,
             starts_at = excluded.starts_at, duration = excluded.duration,
             row_version = excluded.row_version, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(f.id.to_string())
    .bind(f.citizen_id.to_string())
    .bind(f.on.to_string())
    .bind(f.organiser_id.to_string())
    .bind(serde_json::to_string(&f.participants)?)
    .bind(f.others.as_str())
    .bind(i64::from(f.citizen_invited))
    .bind(f.status.code())
    .bind(i64::from(f.citizen_took_part))
    .bind(serde_json::to_string(&f.present)?)
    .bind(f.next_on.map(|d| d.to_string()))
    .bind(f.starts_at.map(Timestamp::as_millis))
    .bind(f.duration.map(|d| i64::from(d.get())))
    .bind(i64::try_from(m.row_version)?)
    .bind(m.updated_at.as_millis())
    .bind(m.updated_by.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Inserts an entry of minutes (never changed once made) and stamps it.
pub async fn insert_minutes(conn: &mut Conn, stamper: &mut Stamper, m: &Minutes) -> anyhow::Result<()> {
    let f = &m.fields;
    stamper.record(Entity::Minutes, f.id.to_string(), Scope::citizen(f.citizen_id), false);
    let goal = match f.item {
        AgendaItem::Goal { goal_id } => Some(goal_id.to_string()),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO meeting_minutes (id, meeting_id, citizen_id, item, goal_id, text, by_user, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(f.id.to_string())
    .bind(f.meeting_id.to_string())
    .bind(f.citizen_id.to_string())
    .bind(serde_json::to_string(&f.item)?)
    .bind(goal)
    .bind(f.text.as_str())
    .bind(m.by.to_string())
    .bind(m.recorded_at.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}
