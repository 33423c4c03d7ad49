//! Citizens, assignments, grants, drawing rights and visits: the rows a
//! worker's phone holds, and the rule for who may see them.

use shared::assignment::Assignment;
use shared::citizen::Citizen;
use shared::drawing_right::DrawingRight;
use shared::grant::Grant;
use shared::text::PersonName;
use shared::user::Role;
use shared::visit::{ChargeTo, Visit};
use shared::{Date, UserId};
use sqlx::{Row, SqliteConnection};

use super::{id, wire_enum, wire_name};

/// Who is looking, as far as visibility is concerned.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: UserId,
    pub roles: Vec<Role>,
}

/// **The** visibility rule, as SQL over a citizen id `c.id`: admins see
/// everyone; a user sees the citizens assigned to them today and those they
/// coordinate; a lead also sees the citizens assigned today to anyone in a
/// team the lead belongs to. Parameters: ?1 user, ?2 today, ?3 is admin,
/// ?4 is lead.
const VISIBLE: &str = "(
    ?3 = 1
    OR c.coordinator_id = ?1
    OR EXISTS (SELECT 1 FROM assignments a
               WHERE a.citizen_id = c.id AND a.user_id = ?1
                 AND a.valid_from <= ?2 AND (a.valid_to IS NULL OR a.valid_to >= ?2))
    OR (?4 = 1 AND EXISTS (SELECT 1 FROM assignments a
               JOIN team_members theirs ON theirs.user_id = a.user_id
               JOIN team_members mine ON mine.team_id = theirs.team_id AND mine.user_id = ?1
               WHERE a.citizen_id = c.id
                 AND a.valid_from <= ?2 AND (a.valid_to IS NULL OR a.valid_to >= ?2)))
)";

pub async fn visible(conn: &mut SqliteConnection, viewer: &Viewer, today: Date) -> anyhow::Result<Vec<Citizen>> {
    let sql = format!(
        "SELECT c.id, c.name, c.birth_year, c.target_group, c.benefit_type, c.coordinator_id
         FROM citizens c WHERE {VISIBLE} ORDER BY c.name, c.id"
    );
    let rows = sqlx::query(&sql)
        .bind(viewer.user.to_string())
        .bind(today.to_string())
        .bind(viewer.roles.contains(&Role::Admin))
        .bind(viewer.roles.contains(&Role::Lead))
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Citizen {
                id: id(r.get("id"))?,
                name: PersonName::try_from(r.get::<String, _>("name"))?,
                birth_year: r.get::<i32, _>("birth_year").try_into()?,
                target_group: wire_enum(r.get("target_group"))?,
                benefit_type: wire_enum(r.get("benefit_type"))?,
                coordinator_id: r.get::<Option<String>, _>("coordinator_id").map(|s| id(&s)).transpose()?,
            })
        })
        .collect()
}

pub async fn insert(conn: &mut SqliteConnection, c: &Citizen) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO citizens (id, name, birth_year, target_group, benefit_type, coordinator_id) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(c.id.to_string())
    .bind(c.name.as_str())
    .bind(c.birth_year.get())
    .bind(wire_name(&c.target_group))
    .bind(wire_name(&c.benefit_type))
    .bind(c.coordinator_id.map(|u| u.to_string()))
    .execute(conn)
    .await
    .map(drop)
}

pub async fn insert_assignment(conn: &mut SqliteConnection, a: &Assignment) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO assignments (id, citizen_id, user_id, valid_from, valid_to) VALUES (?, ?, ?, ?, ?)")
        .bind(a.id.to_string())
        .bind(a.citizen_id.to_string())
        .bind(a.user_id.to_string())
        .bind(a.period.from().to_string())
        .bind(a.period.to().map(|d| d.to_string()))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn insert_grant(conn: &mut SqliteConnection, g: &Grant) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO grants (id, citizen_id, service, legal_basis, minutes, per, valid_from, valid_to, payer_area_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(g.id.to_string())
    .bind(g.citizen_id.to_string())
    .bind(wire_name(&g.service))
    .bind(g.legal_basis.as_str())
    .bind(i64::from(g.allowance.minutes().get()))
    .bind(wire_name(&g.allowance.per()))
    .bind(g.period.from().to_string())
    .bind(g.period.to().map(|d| d.to_string()))
    .bind(g.payer_area_id.to_string())
    .execute(conn)
    .await
    .map(drop)
}

pub async fn insert_drawing_right(conn: &mut SqliteConnection, d: &DrawingRight) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO drawing_rights (id, name, owner_area_id, provider_team_id, minutes_per_period, period_kind, rollover, valid_from, valid_to)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(d.id.to_string())
    .bind(d.name.as_str())
    .bind(d.owner_area_id.to_string())
    .bind(d.provider_team_id.to_string())
    .bind(i64::from(d.minutes_per_period.get()))
    .bind(wire_name(&d.period_kind))
    .bind(wire_name(&d.rollover))
    .bind(d.valid.from().to_string())
    .bind(d.valid.to().map(|d| d.to_string()))
    .execute(conn)
    .await
    .map(drop)
}

pub async fn insert_visit(conn: &mut SqliteConnection, v: &Visit) -> sqlx::Result<()> {
    let (grant, pool) = match v.charged_to {
        Some(ChargeTo::Grant(g)) => (Some(g.to_string()), None),
        Some(ChargeTo::DrawingRight(d)) => (None, Some(d.to_string())),
        None => (None, None),
    };
    sqlx::query(
        "INSERT INTO visits (id, citizen_id, worker_id, kind, started_at, ended_at, travel_minutes, note,
                             charged_grant_id, charged_pool_id, status, row_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(v.id.to_string())
    .bind(v.citizen_id.to_string())
    .bind(v.worker_id.to_string())
    .bind(wire_name(&v.kind))
    .bind(v.started_at().as_millis())
    .bind(v.ended_at().as_millis())
    .bind(i64::from(v.travel_minutes.get()))
    .bind(v.note.as_str())
    .bind(grant)
    .bind(pool)
    .bind(wire_name(&v.status))
    .bind(v.row_version.max(1) as i64)
    .execute(conn)
    .await
    .map(drop)
}
