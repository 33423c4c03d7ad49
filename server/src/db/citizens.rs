//! Citizens, assignments, grants, drawing rights and visits: the rows a
//! worker's phone holds, and the rule for who may see them.

use anyhow::Context;
use shared::assignment::{Assignment, Handover};
use shared::citizen::{Citizen, LayerName};
use shared::drawing_right::DrawingRight;
use shared::grant::{Allowance, AllowanceUnit, Grant, Service};
use shared::text::{LegalBasis, Note, OrgName, PersonName};
use shared::time::DateRange;
use shared::user::Role;
use shared::{AreaId, CitizenId, GrantId, Localized, Minutes, OfferId, TeamId, ValidationError};
use shared::{Date, UserId};
use sqlx::Row;

use super::Conn;

use super::changes::{Scope, Stamper};
use super::{Backend, id, json_ids, wire_enum, wire_name};
use shared::sync::Entity;

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
    $3 = 1
    OR c.coordinator_id = $1
    OR EXISTS (SELECT 1 FROM assignments a
               WHERE a.citizen_id = c.id AND a.user_id = $1
                 AND a.valid_from <= $2 AND (a.valid_to IS NULL OR a.valid_to >= $2))
    OR ($4 = 1 AND EXISTS (SELECT 1 FROM assignments a
               JOIN team_members theirs ON theirs.user_id = a.user_id
               JOIN team_members mine ON mine.team_id = theirs.team_id AND mine.user_id = $1
               WHERE a.citizen_id = c.id
                 AND a.valid_from <= $2 AND (a.valid_to IS NULL OR a.valid_to >= $2)))
)";

const CITIZEN_COLUMNS: &str =
    "c.id, c.name, c.birth_year, c.benefit_type, c.coordinator_id, co.name AS coordinator_name, l.code AS layer,
     l.label_da, l.label_en, lp.label_da AS parent_da, lp.label_en AS parent_en,
     COALESCE(l.meetings_per_year, lp.meetings_per_year) AS meetings_per_year";

/// Citizens `c` with the layer of their latest classification `l` (none
/// while not assessed). Classifications are never dated after the day they
/// are made, so the latest is today's.
const CITIZEN_FROM: &str = "citizens c
    LEFT JOIN classifications k ON k.citizen_id = c.id
        AND k.valid_from = (SELECT MAX(k2.valid_from) FROM classifications k2 WHERE k2.citizen_id = c.id)
    LEFT JOIN layers l ON l.code = k.layer
    LEFT JOIN layers lp ON lp.code = l.parent
    LEFT JOIN users co ON co.id = c.coordinator_id";

fn citizen_from(r: &sqlx::any::AnyRow) -> anyhow::Result<Citizen> {
    // A sub-category is named with its parent: "Type 2 › Misbrug".
    let named = |own: &str, parent: &str| {
        let own: String = r.get(own);
        match r.get::<Option<String>, _>(parent) {
            Some(parent) => format!("{parent} › {own}"),
            None => own,
        }
    };
    let meetings_per_year = r.get::<Option<i64>, _>("meetings_per_year").map(u8::try_from).transpose()?;
    let layer = r.get::<Option<String>, _>("layer").map(|code| LayerName {
        code,
        label: Localized::new(named("label_da", "parent_da"), named("label_en", "parent_en")),
        meetings_per_year,
    });
    Ok(Citizen {
        id: id(r.get("id"))?,
        name: PersonName::try_from(r.get::<String, _>("name"))?,
        birth_year: i32::try_from(r.get::<i64, _>("birth_year"))?.try_into()?,
        layer,
        benefit_type: wire_enum(r.get("benefit_type"))?,
        coordinator_id: r.get::<Option<String>, _>("coordinator_id").map(|s| id(&s)).transpose()?,
        coordinator_name: r.get("coordinator_name"),
    })
}

pub async fn visible(conn: &mut Conn, viewer: &Viewer, today: Date) -> anyhow::Result<Vec<Citizen>> {
    let sql = format!("SELECT {CITIZEN_COLUMNS} FROM {CITIZEN_FROM} WHERE {VISIBLE} ORDER BY c.name, c.id");
    let rows = sqlx::query(&sql)
        .bind(viewer.user.to_string())
        .bind(today.to_string())
        .bind(i64::from(viewer.roles.contains(&Role::Admin)))
        .bind(i64::from(viewer.roles.contains(&Role::Lead)))
        .fetch_all(conn)
        .await?;
    rows.iter().map(citizen_from).collect()
}

/// The ids of the citizens `viewer` may see, sorted.
pub async fn visible_ids(conn: &mut Conn, viewer: &Viewer, today: Date) -> sqlx::Result<Vec<String>> {
    let sql = format!("SELECT c.id FROM citizens c WHERE {VISIBLE} ORDER BY c.id");
    sqlx::query_scalar(&sql)
        .bind(viewer.user.to_string())
        .bind(today.to_string())
        .bind(i64::from(viewer.roles.contains(&Role::Admin)))
        .bind(i64::from(viewer.roles.contains(&Role::Lead)))
        .fetch_all(conn)
        .await
}

/// The periods `user` is assigned to each of `citizens` (the rule for
/// logging is that one of them covers the visit's date).
pub async fn assignment_periods(
    conn: &mut Conn,
    user: UserId,
    citizens: &[CitizenId],
) -> anyhow::Result<Vec<(CitizenId, DateRange)>> {
    if citizens.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT citizen_id, valid_from, valid_to FROM assignments WHERE user_id = $1 AND citizen_id IN {}",
        Backend::of(conn).json_strings("$2")
    );
    let rows = sqlx::query(&sql).bind(user.to_string()).bind(json_ids(citizens)).fetch_all(conn).await?;
    rows.iter().map(|r| Ok((id(r.get("citizen_id"))?, date_range(r.get("valid_from"), r.get("valid_to"))?))).collect()
}

/// Loads citizens by id (for pull pages).
pub async fn load(conn: &mut Conn, ids: &str) -> anyhow::Result<Vec<Citizen>> {
    let sql =
        format!("SELECT {CITIZEN_COLUMNS} FROM {CITIZEN_FROM} WHERE c.id IN {}", Backend::of(conn).json_strings("$1"));
    let rows = sqlx::query(&sql).bind(ids).fetch_all(conn).await?;
    rows.iter().map(citizen_from).collect()
}

/// Every column an [`Assignment`] is read from (`a`), with the name of
/// the worker a handover came from (`h`).
pub(crate) const ASSIGNMENT_SELECT: &str =
    "SELECT a.id, a.citizen_id, a.user_id, a.valid_from, a.valid_to, a.handover_from, a.handover_note,
            h.name AS handover_name, u.name AS user_name
     FROM assignments a LEFT JOIN users h ON h.id = a.handover_from LEFT JOIN users u ON u.id = a.user_id";

pub async fn load_assignments(conn: &mut Conn, ids: &str) -> anyhow::Result<Vec<Assignment>> {
    let sql = format!("{ASSIGNMENT_SELECT} WHERE a.id IN {}", Backend::of(conn).json_strings("$1"));
    let rows = sqlx::query(&sql).bind(ids).fetch_all(conn).await?;
    rows.iter().map(assignment_from).collect()
}

/// An assignment from a row of [`ASSIGNMENT_SELECT`].
pub(crate) fn assignment_from(r: &sqlx::any::AnyRow) -> anyhow::Result<Assignment> {
    let handover = match r.get::<Option<String>, _>("handover_from") {
        Some(from) => Some(Handover {
            from: id(&from)?,
            from_name: r.get::<Option<String>, _>("handover_name").unwrap_or_default(),
            note: Note::try_from(r.get::<Option<String>, _>("handover_note").unwrap_or_default())?,
        }),
        None => None,
    };
    Ok(Assignment {
        id: id(r.get("id"))?,
        citizen_id: id(r.get("citizen_id"))?,
        user_id: id(r.get("user_id"))?,
        period: date_range(r.get("valid_from"), r.get("valid_to"))?,
        handover,
        user_name: r.get("user_name"),
    })
}

fn date_range(from: String, to: Option<String>) -> anyhow::Result<DateRange> {
    let from: Date = from.parse()?;
    let to: Option<Date> = to.map(|t| t.parse()).transpose()?;
    Ok(DateRange::new(from, to)?)
}

const GRANT_COLUMNS: &str =
    "id, citizen_id, service, legal_basis, minutes, per, valid_from, valid_to, payer_area_id, offer_id";

/// One grant as [`GRANT_COLUMNS`] lists them, from [`Backend::json_rows`].
#[derive(serde::Deserialize)]
struct GrantWire(GrantId, CitizenId, Service, String, u32, AllowanceUnit, Date, Option<Date>, AreaId, Option<OfferId>);

impl TryFrom<GrantWire> for Grant {
    type Error = ValidationError;

    fn try_from(w: GrantWire) -> Result<Grant, ValidationError> {
        let GrantWire(id, citizen_id, service, legal_basis, minutes, per, from, to, payer_area_id, offer_id) = w;
        Ok(Grant {
            id,
            citizen_id,
            service,
            legal_basis: LegalBasis::try_from(legal_basis)?,
            allowance: Allowance::new(Minutes::new(minutes), per)?,
            period: DateRange::new(from, to)?,
            payer_area_id,
            offer_id,
        })
    }
}

/// The grants matching `condition` (on parameter `$1`), by citizen, start
/// and id.
async fn grants_where(conn: &mut Conn, condition: &str, key: String) -> anyhow::Result<Vec<Grant>> {
    let sql = format!("SELECT {} FROM grants WHERE {condition}", Backend::of(conn).json_rows(GRANT_COLUMNS));
    let json: String = sqlx::query_scalar(&sql).bind(key).fetch_one(conn).await?;
    let mut grants = serde_json::from_str::<Vec<GrantWire>>(&json)
        .context("reading grant rows")?
        .into_iter()
        .map(Grant::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    grants.sort_by_key(|g| (g.citizen_id, g.period.from(), g.id));
    Ok(grants)
}

/// Loads grants by a JSON array of ids (for pull pages).
pub async fn load_grants(conn: &mut Conn, ids: &str) -> anyhow::Result<Vec<Grant>> {
    let condition = format!("id IN {}", Backend::of(conn).json_strings("$1"));
    grants_where(conn, &condition, ids.to_owned()).await
}

/// Every grant of the given citizens, by citizen and start.
pub async fn grants_of(conn: &mut Conn, citizens: &[CitizenId]) -> anyhow::Result<Vec<Grant>> {
    if citizens.is_empty() {
        return Ok(Vec::new());
    }
    let condition = format!("citizen_id IN {}", Backend::of(conn).json_strings("$1"));
    grants_where(conn, &condition, json_ids(citizens)).await
}

pub async fn grant(conn: &mut Conn, grant: GrantId) -> anyhow::Result<Option<Grant>> {
    Ok(grants_where(conn, "id = $1", grant.to_string()).await?.pop())
}

/// One citizen, whoever may see them (callers check that).
pub async fn citizen(conn: &mut Conn, citizen: CitizenId) -> anyhow::Result<Option<Citizen>> {
    let sql = format!("SELECT {CITIZEN_COLUMNS} FROM {CITIZEN_FROM} WHERE c.id = $1");
    let row = sqlx::query(&sql).bind(citizen.to_string()).fetch_optional(conn).await?;
    row.as_ref().map(citizen_from).transpose()
}

/// Locks `citizen`'s row until commit where the database has row locks
/// (PostgreSQL; SQLite's write transaction already excludes every other):
/// for writes that must take turns per citizen (its grants).
pub async fn lock(conn: &mut Conn, citizen: CitizenId) -> sqlx::Result<()> {
    let sql = format!("SELECT id FROM citizens WHERE id = $1{}", Backend::of(conn).for_update());
    sqlx::query(&sql).bind(citizen.to_string()).fetch_optional(conn).await?;
    Ok(())
}

/// Those of `citizens` that `viewer` may see today ([`VISIBLE`]), in one
/// query.
pub async fn visible_among(
    conn: &mut Conn,
    viewer: &Viewer,
    citizens: &[CitizenId],
    today: Date,
) -> anyhow::Result<Vec<CitizenId>> {
    if citizens.is_empty() {
        return Ok(Vec::new());
    }
    let sql =
        format!("SELECT c.id FROM citizens c WHERE c.id IN {} AND {VISIBLE}", Backend::of(conn).json_strings("$5"));
    let ids: Vec<String> = sqlx::query_scalar(&sql)
        .bind(viewer.user.to_string())
        .bind(today.to_string())
        .bind(i64::from(viewer.roles.contains(&Role::Admin)))
        .bind(i64::from(viewer.roles.contains(&Role::Lead)))
        .bind(json_ids(citizens))
        .fetch_all(conn)
        .await?;
    ids.iter().map(|s| id(s)).collect()
}

/// Whether `viewer` may see `citizen` today ([`VISIBLE`]).
pub async fn is_visible(conn: &mut Conn, viewer: &Viewer, citizen: CitizenId, today: Date) -> sqlx::Result<bool> {
    let sql = format!("SELECT COUNT(*) FROM citizens c WHERE c.id = $5 AND {VISIBLE}");
    let n: i64 = sqlx::query_scalar(&sql)
        .bind(viewer.user.to_string())
        .bind(today.to_string())
        .bind(i64::from(viewer.roles.contains(&Role::Admin)))
        .bind(i64::from(viewer.roles.contains(&Role::Lead)))
        .bind(citizen.to_string())
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

const POOL_SELECT: &str = "SELECT id, name, owner_area_id, provider_team_id, minutes_per_period, period_kind, rollover, \
                           valid_from, valid_to FROM drawing_rights";

fn pool_from(r: &sqlx::any::AnyRow) -> anyhow::Result<DrawingRight> {
    Ok(DrawingRight {
        id: id(r.get("id"))?,
        name: OrgName::try_from(r.get::<String, _>("name"))?,
        owner_area_id: id(r.get("owner_area_id"))?,
        provider_team_id: id(r.get("provider_team_id"))?,
        minutes_per_period: Minutes::new(r.get::<i64, _>("minutes_per_period") as u32),
        period_kind: wire_enum(r.get("period_kind"))?,
        rollover: wire_enum(r.get("rollover"))?,
        valid: date_range(r.get("valid_from"), r.get("valid_to"))?,
    })
}

/// Loads drawing rights by a JSON array of ids (for pull pages).
pub async fn load_drawing_rights(conn: &mut Conn, ids: &str) -> anyhow::Result<Vec<DrawingRight>> {
    let sql = format!("{POOL_SELECT} WHERE id IN {}", Backend::of(conn).json_strings("$1"));
    let rows = sqlx::query(&sql).bind(ids).fetch_all(conn).await?;
    rows.iter().map(pool_from).collect()
}

/// Every drawing right, by name.
pub async fn all_drawing_rights(conn: &mut Conn) -> anyhow::Result<Vec<DrawingRight>> {
    let rows = sqlx::query(&format!("{POOL_SELECT} ORDER BY name, id")).fetch_all(conn).await?;
    rows.iter().map(pool_from).collect()
}

/// The drawing rights any of `teams` delivers on (what a visit by a member
/// may be drawn on), by name.
pub async fn drawing_rights_delivered_by(conn: &mut Conn, teams: &[TeamId]) -> anyhow::Result<Vec<DrawingRight>> {
    if teams.is_empty() {
        return Ok(Vec::new());
    }
    let sql =
        format!("{POOL_SELECT} WHERE provider_team_id IN {} ORDER BY name, id", Backend::of(conn).json_strings("$1"));
    let rows = sqlx::query(&sql).bind(json_ids(teams)).fetch_all(conn).await?;
    rows.iter().map(pool_from).collect()
}

/// The drawing rights `team` delivers on or its `area` holds, by name.
pub async fn drawing_rights_for(conn: &mut Conn, team: TeamId, area: AreaId) -> anyhow::Result<Vec<DrawingRight>> {
    let sql = format!("{POOL_SELECT} WHERE provider_team_id = $1 OR owner_area_id = $2 ORDER BY name, id");
    let rows = sqlx::query(&sql).bind(team.to_string()).bind(area.to_string()).fetch_all(conn).await?;
    rows.iter().map(pool_from).collect()
}

pub async fn insert_assignment(conn: &mut Conn, stamper: &mut Stamper, a: &Assignment) -> sqlx::Result<()> {
    stamper.record(Entity::Assignment, a.id.to_string(), Scope::citizen(a.citizen_id), false);
    sqlx::query(
        "INSERT INTO assignments (id, citizen_id, user_id, valid_from, valid_to, handover_from, handover_note)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(a.id.to_string())
    .bind(a.citizen_id.to_string())
    .bind(a.user_id.to_string())
    .bind(a.period.from().to_string())
    .bind(a.period.to().map(|d| d.to_string()))
    .bind(a.handover.as_ref().map(|h| h.from.to_string()))
    .bind(a.handover.as_ref().map(|h| h.note.to_string()))
    .execute(conn)
    .await
    .map(drop)
}

/// Inserts or changes a grant (its citizen never changes) and stamps it.
pub async fn upsert_grant(conn: &mut Conn, stamper: &mut Stamper, g: &Grant) -> sqlx::Result<()> {
    stamper.record(Entity::Grant, g.id.to_string(), Scope::citizen(g.citizen_id), false);
    sqlx::query(
        "INSERT INTO grants (id, citizen_id, service, legal_basis, minutes, per, valid_from, valid_to, payer_area_id,
                             offer_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO UPDATE SET service = excluded.service, legal_basis = excluded.legal_basis,
           minutes = excluded.minutes, per = excluded.per, valid_from = excluded.valid_from,
           valid_to = excluded.valid_to, payer_area_id = excluded.payer_area_id, offer_id = excluded.offer_id",
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
    .bind(g.offer_id.map(|o| o.to_string()))
    .execute(conn)
    .await
    .map(drop)
}

/// Inserts or changes a drawing right and stamps it.
pub async fn upsert_drawing_right(conn: &mut Conn, stamper: &mut Stamper, d: &DrawingRight) -> sqlx::Result<()> {
    let scope = Scope { team: Some(d.provider_team_id), area: Some(d.owner_area_id), ..Scope::default() };
    stamper.record(Entity::DrawingRight, d.id.to_string(), scope, false);
    sqlx::query(
        "INSERT INTO drawing_rights (id, name, owner_area_id, provider_team_id, minutes_per_period, period_kind, rollover, valid_from, valid_to)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, owner_area_id = excluded.owner_area_id,
           provider_team_id = excluded.provider_team_id, minutes_per_period = excluded.minutes_per_period,
           period_kind = excluded.period_kind, rollover = excluded.rollover,
           valid_from = excluded.valid_from, valid_to = excluded.valid_to",
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
