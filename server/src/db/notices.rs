//! Decision notices (issue 16, `shared::notice`): written with the grant
//! decision they tell of, read by their recipients through sync, marked
//! read through the outbox, and listed for leads when they wait too long.

use shared::grant::{Allowance, Grant, Service};
use shared::notice::{Decision, DecisionNotice};
use shared::sync::Entity;
use shared::time::DateRange;
use shared::{AreaId, Date, NoticeId, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use super::changes::{Scope, Stamper};
use super::{Backend, Conn, id, json_ids, wire_enum, wire_name};

const COLUMNS: &str = "id, recipient_id, area_id, area_name, citizen_id, citizen_name, grant_id, decision, service,
    allowance_minutes, allowance_per, valid_from, valid_to, payer_area_id, payer_area_name, decided_by, decided_by_name,
    decided_at, read_at";

fn notice_from(r: &AnyRow) -> anyhow::Result<DecisionNotice> {
    let per = wire_enum(r.get("allowance_per"))?;
    let minutes = u32::try_from(r.get::<i64, _>("allowance_minutes"))?;
    let to: Option<String> = r.get("valid_to");
    Ok(DecisionNotice {
        id: id(r.get("id"))?,
        recipient_id: id(r.get("recipient_id"))?,
        area_id: id(r.get("area_id"))?,
        area_name: r.get("area_name"),
        citizen_id: id(r.get("citizen_id"))?,
        citizen_name: r.get("citizen_name"),
        grant_id: id(r.get("grant_id"))?,
        decision: wire_enum(r.get("decision"))?,
        service: wire_enum(r.get("service"))?,
        allowance: Allowance::new(shared::Minutes::new(minutes), per)?,
        period: DateRange::new(r.get::<String, _>("valid_from").parse()?, to.map(|t| t.parse()).transpose()?)?,
        payer_area_id: id(r.get("payer_area_id"))?,
        payer_area_name: r.get("payer_area_name"),
        decided_by: id(r.get("decided_by"))?,
        decided_by_name: r.get("decided_by_name"),
        decided_at: Timestamp::from_millis(r.get("decided_at")),
        read_at: r.get::<Option<i64>, _>("read_at").map(Timestamp::from_millis),
    })
}

/// Notices by a JSON array of ids (a pull page's, or a push's with
/// `lock`).
pub async fn load(conn: &mut Conn, ids: &str, lock: bool) -> anyhow::Result<Vec<DecisionNotice>> {
    let backend = Backend::of(conn);
    let sql = format!(
        "SELECT {COLUMNS} FROM decision_notices WHERE id IN {}{}",
        backend.json_strings("$1"),
        if lock { backend.for_update() } else { "" }
    );
    sqlx::query(&sql).bind(ids).fetch_all(conn).await?.iter().map(notice_from).collect()
}

/// Who must hear of a decision on housing support for `citizen` on `day`:
/// housing support (SEL § 85) is the social area's decision, whoever pays
/// for the hours (a drawing right: seed 000), so for every case open that
/// day in an area of another kind, its case worker and the leads of that
/// area's teams — each once (at the first such area by name), active users
/// only. Triples of recipient, area and the area's name.
pub async fn recipients(
    conn: &mut Conn,
    citizen: shared::CitizenId,
    day: Date,
) -> anyhow::Result<Vec<(UserId, AreaId, String)>> {
    let open = "k.citizen_id = $1 AND a.kind <> 'social' AND k.opened_on <= $2
        AND (k.closed_on IS NULL OR k.closed_on >= $2)";
    let sql = format!(
        "SELECT u.id AS user_id, a.id AS area_id, a.name AS area_name FROM cases k
             JOIN areas a ON a.id = k.area_id
             JOIN users u ON u.id = k.caseworker_id AND u.active = 1
         WHERE {open}
         UNION
         SELECT u.id, a.id, a.name FROM cases k
             JOIN areas a ON a.id = k.area_id
             JOIN teams t ON t.area_id = k.area_id
             JOIN team_members tm ON tm.team_id = t.id
             JOIN user_roles r ON r.user_id = tm.user_id AND r.role = 'lead'
             JOIN users u ON u.id = tm.user_id AND u.active = 1
         WHERE {open}
         ORDER BY 3, 1"
    );
    let rows = sqlx::query(&sql).bind(citizen.to_string()).bind(day.to_string()).fetch_all(conn).await?;
    let mut out: Vec<(UserId, AreaId, String)> = Vec::new();
    for r in &rows {
        let user: UserId = id(r.get("user_id"))?;
        if !out.iter().any(|(u, _, _)| *u == user) {
            out.push((user, id(r.get("area_id"))?, r.get("area_name")));
        }
    }
    Ok(out)
}

/// The decision `after` makes over `before` (the grant as stored; `None`
/// when new) and who made it, for [`notify`].
pub struct GrantDecision<'a> {
    pub before: Option<&'a Grant>,
    pub after: &'a Grant,
    pub citizen_name: &'a str,
    pub payer_area_name: &'a str,
    pub by: UserId,
    pub by_name: &'a str,
    pub at: Timestamp,
}

/// Writes the notices of a grant decision and stamps them, in the
/// decision's transaction (so a notice exists exactly when its decision
/// does). Only housing support (SEL § 85, before or after) is told; a write
/// that changes nothing ([`Decision::of`] `None`: the same PUT retried)
/// tells no one; the decider is never told of their own decision. Returns
/// the notices written.
pub async fn notify(
    conn: &mut Conn,
    stamper: &mut Stamper,
    d: &GrantDecision<'_>,
) -> anyhow::Result<Vec<DecisionNotice>> {
    let housing = |g: &Grant| g.service == Service::HousingSupport;
    if !housing(d.after) && !d.before.is_some_and(housing) {
        return Ok(Vec::new());
    }
    let Some(decision) = Decision::of(d.before, d.after) else {
        return Ok(Vec::new());
    };
    let today = d.at.local_date();
    let mut written = Vec::new();
    for (recipient, area_id, area_name) in recipients(conn, d.after.citizen_id, today).await? {
        if recipient == d.by {
            continue;
        }
        let notice = DecisionNotice {
            id: NoticeId::from_uuid(Uuid::now_v7()),
            recipient_id: recipient,
            area_id,
            area_name,
            citizen_id: d.after.citizen_id,
            citizen_name: d.citizen_name.to_owned(),
            grant_id: d.after.id,
            decision,
            service: d.after.service,
            allowance: d.after.allowance,
            period: d.after.period,
            payer_area_id: d.after.payer_area_id,
            payer_area_name: d.payer_area_name.to_owned(),
            decided_by: d.by,
            decided_by_name: d.by_name.to_owned(),
            decided_at: d.at,
            read_at: None,
        };
        insert(conn, stamper, &notice).await?;
        written.push(notice);
    }
    Ok(written)
}

/// Inserts a notice and stamps it for its recipient (not for everyone who
/// sees the citizen).
pub async fn insert(conn: &mut Conn, stamper: &mut Stamper, n: &DecisionNotice) -> anyhow::Result<()> {
    stamper.record(Entity::DecisionNotice, n.id.to_string(), scope(n), false);
    sqlx::query(
        "INSERT INTO decision_notices (id, recipient_id, area_id, area_name, citizen_id, citizen_name, grant_id,
             decision, service, allowance_minutes, allowance_per, valid_from, valid_to, payer_area_id, payer_area_name,
             decided_by, decided_by_name, decided_at, read_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
    )
    .bind(n.id.to_string())
    .bind(n.recipient_id.to_string())
    .bind(n.area_id.to_string())
    .bind(n.area_name.as_str())
    .bind(n.citizen_id.to_string())
    .bind(n.citizen_name.as_str())
    .bind(n.grant_id.to_string())
    .bind(wire_name(&n.decision))
    .bind(wire_name(&n.service))
    .bind(i64::from(n.allowance.minutes().get()))
    .bind(wire_name(&n.allowance.per()))
    .bind(n.period.from().to_string())
    .bind(n.period.to().map(|t| t.to_string()))
    .bind(n.payer_area_id.to_string())
    .bind(n.payer_area_name.as_str())
    .bind(n.decided_by.to_string())
    .bind(n.decided_by_name.as_str())
    .bind(n.decided_at.as_millis())
    .bind(n.read_at.map(Timestamp::as_millis))
    .execute(conn)
    .await?;
    Ok(())
}

fn scope(n: &DecisionNotice) -> Scope {
    Scope { user: Some(n.recipient_id), ..Scope::default() }
}

/// Records that the notices were read (each at its `read_at`) and stamps
/// them.
pub async fn mark_read(conn: &mut Conn, stamper: &mut Stamper, read: &[&DecisionNotice]) -> anyhow::Result<()> {
    for n in read {
        stamper.record(Entity::DecisionNotice, n.id.to_string(), scope(n), false);
        sqlx::query("UPDATE decision_notices SET read_at = $2 WHERE id = $1 AND read_at IS NULL")
            .bind(n.id.to_string())
            .bind(n.read_at.map(Timestamp::as_millis))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The unread notices sent to `area` or telling of decisions made by
/// `deciders` (a team's area and members: both sides of the procedure),
/// oldest first; the caller keeps those waiting too long.
pub async fn unread_for(conn: &mut Conn, area: AreaId, deciders: &[UserId]) -> anyhow::Result<Vec<DecisionNotice>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM decision_notices WHERE read_at IS NULL AND (area_id = $1 OR decided_by IN {})
         ORDER BY decided_at, id",
        Backend::of(conn).json_strings("$2")
    );
    let rows = sqlx::query(&sql).bind(area.to_string()).bind(json_ids(deciders)).fetch_all(conn).await?;
    rows.iter().map(notice_from).collect()
}

/// The notices of one grant, oldest first (tests and the grant's history).
pub async fn of_grant(conn: &mut Conn, grant: shared::GrantId) -> anyhow::Result<Vec<DecisionNotice>> {
    let sql = format!("SELECT {COLUMNS} FROM decision_notices WHERE grant_id = $1 ORDER BY decided_at, id");
    sqlx::query(&sql).bind(grant.to_string()).fetch_all(conn).await?.iter().map(notice_from).collect()
}
