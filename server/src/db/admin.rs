//! What the administration writes: areas, teams, users (roles, teams,
//! active, temporary passwords), citizens with their case ids, and
//! assignments. Citizens and assignments are synced rows, so their writes
//! are stamped; the organisation changes the scope of those who see them.

use anyhow::Context;
use shared::admin::{AdminCitizen, AdminUser, AreaInput, AssignmentInput, CitizenInput, TeamInput};
use shared::assignment::Assignment;
use shared::review::Birth;
use shared::sync::Entity;
use shared::text::{ExternalId, PersonName, Username};
use shared::user::Role;
use shared::{AreaId, AssignmentId, CitizenId, Date, TeamId, Timestamp, UserId};
use sqlx::Row;

use super::changes::{Scope, Stamper};
use super::citizens::assignment_from;
use super::{Backend, Conn, id, json_ids, wire_enum, wire_name};

/// Whether another area than `except` has this name.
pub async fn area_name_taken(conn: &mut Conn, name: &str, except: AreaId) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM areas WHERE name = $1 AND id <> $2")
        .bind(name)
        .bind(except.to_string())
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Creates or renames an area (its kind may change while nothing depends
/// on it; callers check). Returns whether it was created.
pub async fn upsert_area(conn: &mut Conn, area: AreaId, input: &AreaInput) -> sqlx::Result<bool> {
    let updated = sqlx::query("UPDATE areas SET name = $1, kind = $2 WHERE id = $3")
        .bind(input.name.as_str())
        .bind(wire_name(&input.kind))
        .bind(area.to_string())
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if updated == 0 {
        super::org::insert_area(conn, area, &input.name, input.kind).await?;
    }
    Ok(updated == 0)
}

/// Teams, grants and drawing rights that depend on an area's kind.
pub async fn area_in_use(conn: &mut Conn, area: AreaId) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM teams WHERE area_id = $1) + (SELECT COUNT(*) FROM grants WHERE payer_area_id = $1)
              + (SELECT COUNT(*) FROM drawing_rights WHERE owner_area_id = $1)",
    )
    .bind(area.to_string())
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// The area a team belongs to, if the team exists.
pub async fn team_area(conn: &mut Conn, team: TeamId) -> anyhow::Result<Option<AreaId>> {
    let area: Option<String> = sqlx::query_scalar("SELECT area_id FROM teams WHERE id = $1")
        .bind(team.to_string())
        .fetch_optional(conn)
        .await?;
    area.map(|a| id(&a)).transpose()
}

pub async fn team_name_taken(conn: &mut Conn, input: &TeamInput, except: TeamId) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM teams WHERE area_id = $1 AND name = $2 AND id <> $3")
        .bind(input.area_id.to_string())
        .bind(input.name.as_str())
        .bind(except.to_string())
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Creates or renames a team and sets whether it is a consultant team.
/// Returns whether it was created.
pub async fn upsert_team(conn: &mut Conn, team: TeamId, input: &TeamInput) -> sqlx::Result<bool> {
    let updated = sqlx::query("UPDATE teams SET name = $1 WHERE id = $2")
        .bind(input.name.as_str())
        .bind(team.to_string())
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if updated == 0 {
        super::org::insert_team(conn, team, input.area_id, &input.name).await?;
    }
    super::org::set_consultant_team(conn, team, input.consultant_team).await?;
    Ok(updated == 0)
}

/// The users the administration lists: everyone, or the members of `teams`.
pub async fn users(conn: &mut Conn, teams: Option<&[TeamId]>) -> anyhow::Result<Vec<AdminUser>> {
    let backend = Backend::of(conn);
    let filter = match teams {
        Some(_) => {
            format!("WHERE u.id IN (SELECT user_id FROM team_members WHERE team_id IN {})", backend.json_strings("$1"))
        }
        None => String::new(),
    };
    let sql = format!(
        "SELECT u.id, u.username, u.name, u.active, u.must_change_password, u.course_post,
                (SELECT {} FROM user_roles r WHERE r.user_id = u.id) AS roles,
                (SELECT {} FROM team_members m WHERE m.user_id = u.id) AS teams,
                (SELECT {} FROM area_heads h WHERE h.user_id = u.id) AS areas
         FROM users u {filter} ORDER BY u.name, u.id",
        backend.json_rows("r.role"),
        backend.json_rows("m.team_id"),
        backend.json_rows("h.area_id"),
    );
    let rows = sqlx::query(&sql).bind(json_ids(teams.unwrap_or_default())).fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            // `json_rows` makes one array per row: [["worker"], ["lead"]].
            let roles: Vec<(Role,)> = serde_json::from_str(r.get("roles")).context("reading roles")?;
            let teams: Vec<(TeamId,)> = serde_json::from_str(r.get("teams")).context("reading teams")?;
            let mut roles: Vec<Role> = roles.into_iter().map(|(r,)| r).collect();
            roles.sort();
            let mut team_ids: Vec<TeamId> = teams.into_iter().map(|(t,)| t).collect();
            team_ids.sort();
            let areas: Vec<(AreaId,)> = serde_json::from_str(r.get("areas")).context("reading areas")?;
            let mut area_ids: Vec<AreaId> = areas.into_iter().map(|(a,)| a).collect();
            area_ids.sort();
            Ok(AdminUser {
                id: id(r.get("id"))?,
                username: Username::try_from(r.get::<String, _>("username"))?,
                name: PersonName::try_from(r.get::<String, _>("name"))?,
                roles,
                team_ids,
                area_ids,
                active: r.get::<i64, _>("active") == 1,
                must_change_password: r.get::<i64, _>("must_change_password") == 1,
                course_post: r.get::<Option<i64>, _>("course_post").map(u32::try_from).transpose()?,
            })
        })
        .collect()
}

/// Whether another user than `except` has this username.
pub async fn username_taken(conn: &mut Conn, username: &Username, except: UserId) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1 AND id <> $2")
        .bind(username.as_str())
        .bind(except.to_string())
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// A user as written by the administration. `password_hash` is a new
/// temporary password's hash, if one was given.
pub struct UserWrite<'a> {
    pub id: UserId,
    pub username: &'a Username,
    pub name: &'a PersonName,
    pub roles: &'a [Role],
    pub teams: &'a [TeamId],
    /// The areas the user heads (an area head).
    pub areas: &'a [AreaId],
    pub active: bool,
    /// The post as a citizen consultant, hundredths (none: half time).
    pub course_post: Option<u32>,
    pub password_hash: Option<&'a str>,
}

/// Creates or changes a user, replacing their roles, teams and headed areas. A new
/// temporary password must be changed at the next login, and ends the
/// user's sessions; so does deactivation. Returns whether it was created.
pub async fn upsert_user(conn: &mut Conn, user: UserWrite<'_>, now: Timestamp) -> anyhow::Result<bool> {
    let key = user.id.to_string();
    let was_active: bool = sqlx::query_scalar::<_, i64>("SELECT active FROM users WHERE id = $1")
        .bind(&key)
        .fetch_optional(&mut *conn)
        .await?
        .is_none_or(|a| a == 1);
    let updated = sqlx::query("UPDATE users SET username = $1, name = $2, active = $3 WHERE id = $4")
        .bind(user.username.as_str())
        .bind(user.name.as_str())
        .bind(i64::from(user.active))
        .bind(&key)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    let created = updated == 0;
    if created {
        let hash = user.password_hash.context("a new user needs a password")?;
        sqlx::query(
            "INSERT INTO users (id, username, name, password_hash, active, created_at, must_change_password)
             VALUES ($1, $2, $3, $4, $5, $6, 1)",
        )
        .bind(&key)
        .bind(user.username.as_str())
        .bind(user.name.as_str())
        .bind(hash)
        .bind(i64::from(user.active))
        .bind(now.as_millis())
        .execute(&mut *conn)
        .await?;
    } else if let Some(hash) = user.password_hash {
        sqlx::query("UPDATE users SET password_hash = $1, must_change_password = 1 WHERE id = $2")
            .bind(hash)
            .bind(&key)
            .execute(&mut *conn)
            .await?;
    }
    set_course_post(conn, user.id, user.course_post).await?;
    // A new temporary password, or coming back from deactivation, starts
    // from a fresh login. Deactivating keeps the sessions for one purpose:
    // the phone's last push (see `auth`), after which it is told to wipe.
    if !created && (user.password_hash.is_some() || (user.active && !was_active)) {
        end_sessions(conn, user.id).await?;
    }
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(&key).execute(&mut *conn).await?;
    for role in user.roles {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(&key)
            .bind(wire_name(role))
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("DELETE FROM team_members WHERE user_id = $1").bind(&key).execute(&mut *conn).await?;
    for team in user.teams {
        super::org::add_member(conn, *team, user.id).await?;
    }
    super::replace_links(conn, "area_heads", "user_id", &key, "area_id", user.areas.iter()).await?;
    Ok(created)
}

/// Ends every session of `user`.
pub async fn end_sessions(conn: &mut Conn, user: UserId) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.to_string())
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}

/// Sets the user's own password (no longer temporary) and ends their
/// other sessions.
pub async fn set_own_password(conn: &mut Conn, user: UserId, hash: &str, keep_session: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = 0 WHERE id = $2")
        .bind(hash)
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user.to_string())
        .bind(keep_session)
        .execute(conn)
        .await
        .map(drop)
}

/// The password hash and the must-change flag of a user.
pub async fn password_of(conn: &mut Conn, user: UserId) -> sqlx::Result<Option<(String, bool)>> {
    let row = sqlx::query("SELECT password_hash, must_change_password FROM users WHERE id = $1")
        .bind(user.to_string())
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| (r.get("password_hash"), r.get::<i64, _>("must_change_password") == 1)))
}

/// Whether any active administrator exists (the first-run check).
pub async fn has_active_admin(conn: &mut Conn) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'admin' AND u.active = 1",
    )
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

const CITIZEN_COLUMNS: &str =
    "c.id, c.name, c.birth_year, c.birth_date, c.benefit_type, c.coordinator_id, c.external_id";

/// One citizen as [`CITIZEN_COLUMNS`] lists them, from [`Backend::json_rows`].
#[derive(serde::Deserialize)]
struct CitizenWire(
    CitizenId,
    PersonName,
    shared::citizen::BirthYear,
    Option<shared::Date>,
    shared::citizen::BenefitType,
    Option<UserId>,
    Option<ExternalId>,
);

/// Citizens with their case ids: all, or those with the given ids; by name.
pub async fn citizens(conn: &mut Conn, only: Option<&[String]>) -> anyhow::Result<Vec<AdminCitizen>> {
    let backend = Backend::of(conn);
    let filter = match only {
        Some(_) => format!("WHERE c.id IN {}", backend.json_strings("$1")),
        None => String::new(),
    };
    let sql = format!("SELECT {} FROM citizens c {filter}", backend.json_rows(CITIZEN_COLUMNS));
    let ids = serde_json::to_string(only.unwrap_or_default())?;
    let json: String = sqlx::query_scalar(&sql).bind(ids).fetch_one(conn).await?;
    let rows: Vec<CitizenWire> = serde_json::from_str(&json).context("reading citizen rows")?;
    let mut citizens: Vec<AdminCitizen> = rows
        .into_iter()
        .map(|CitizenWire(id, name, birth_year, birth_date, benefit_type, coordinator_id, external_id)| {
            let birth = Birth::of(birth_year, birth_date);
            AdminCitizen { id, input: CitizenInput { name, birth, benefit_type, coordinator_id, external_id } }
        })
        .collect();
    citizens.sort_by(|a, b| a.input.name.cmp(&b.input.name).then(a.id.cmp(&b.id)));
    Ok(citizens)
}

/// The citizen that has `external`, if another than `except`.
pub async fn external_id_taken(conn: &mut Conn, external: &ExternalId, except: CitizenId) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM citizens WHERE external_id = $1 AND id <> $2")
        .bind(external.as_str())
        .bind(except.to_string())
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Creates or changes a citizen and stamps it for the phones that see
/// them. Returns whether it was created.
pub async fn upsert_citizen(
    conn: &mut Conn,
    stamper: &mut Stamper,
    citizen: CitizenId,
    c: &CitizenInput,
) -> sqlx::Result<bool> {
    stamper.record(Entity::Citizen, citizen.to_string(), Scope::citizen(citizen), false);
    let updated = sqlx::query(
        "UPDATE citizens SET name = $1, birth_year = $2, birth_date = $3, benefit_type = $4, coordinator_id = $5,
                external_id = $6 WHERE id = $7",
    )
    .bind(c.name.as_str())
    .bind(i64::from(c.birth.year().get()))
    .bind(c.birth.date().map(|d| d.to_string()))
    .bind(wire_name(&c.benefit_type))
    .bind(c.coordinator_id.map(|u| u.to_string()))
    .bind(c.external_id.as_ref().map(|e| e.as_str().to_owned()))
    .bind(citizen.to_string())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        sqlx::query(
            "INSERT INTO citizens (id, name, birth_year, birth_date, benefit_type, coordinator_id, external_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(citizen.to_string())
        .bind(c.name.as_str())
        .bind(i64::from(c.birth.year().get()))
        .bind(c.birth.date().map(|d| d.to_string()))
        .bind(wire_name(&c.benefit_type))
        .bind(c.coordinator_id.map(|u| u.to_string()))
        .bind(c.external_id.as_ref().map(|e| e.as_str().to_owned()))
        .execute(&mut *conn)
        .await?;
    }
    super::review::refresh_layer_spans(conn, citizen).await?;
    Ok(updated == 0)
}

/// Assignments of the given citizens (all when `None`), by citizen and start.
pub async fn assignments(conn: &mut Conn, citizens: Option<&[String]>) -> anyhow::Result<Vec<Assignment>> {
    let backend = Backend::of(conn);
    let filter = match citizens {
        Some(_) => format!("WHERE a.citizen_id IN {}", backend.json_strings("$1")),
        None => String::new(),
    };
    let sql = format!("{} {filter}", super::citizens::ASSIGNMENT_SELECT);
    let ids = serde_json::to_string(citizens.unwrap_or_default())?;
    let rows = sqlx::query(&sql).bind(ids).fetch_all(conn).await?;
    let mut list = rows.iter().map(assignment_from).collect::<anyhow::Result<Vec<_>>>()?;
    list.sort_by_key(|a| (a.citizen_id, a.period.from(), a.id));
    Ok(list)
}

/// `user`'s assignments that run on `on` or begin later.
pub async fn assignments_from(conn: &mut Conn, user: UserId, on: Date) -> anyhow::Result<Vec<Assignment>> {
    let sql = format!(
        "{} WHERE a.user_id = $1 AND (a.valid_to IS NULL OR a.valid_to >= $2) ORDER BY a.valid_from",
        super::citizens::ASSIGNMENT_SELECT
    );
    let rows = sqlx::query(&sql).bind(user.to_string()).bind(on.to_string()).fetch_all(conn).await?;
    rows.iter().map(assignment_from).collect()
}

/// The assignments handed over from `user` that begin on or after `on`
/// (a handover still to take effect, or taking effect that day), with the
/// new worker's name, by their first day.
pub async fn handed_over_from(conn: &mut Conn, user: UserId, on: Date) -> anyhow::Result<Vec<Assignment>> {
    let sql = format!(
        "{} WHERE a.handover_from = $1 AND a.valid_from >= $2 ORDER BY a.valid_from",
        super::citizens::ASSIGNMENT_SELECT
    );
    let rows = sqlx::query(&sql).bind(user.to_string()).bind(on.to_string()).fetch_all(conn).await?;
    rows.iter().map(assignment_from).collect()
}

/// Whether `user` handed `citizen` over with effect on or before `on`.
pub async fn handed_over_by(conn: &mut Conn, user: UserId, citizen: CitizenId, on: Date) -> anyhow::Result<bool> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT id FROM assignments WHERE handover_from = $1 AND citizen_id = $2 AND valid_from <= $3 LIMIT 1",
    )
    .bind(user.to_string())
    .bind(citizen.to_string())
    .bind(on.to_string())
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

pub async fn assignment(conn: &mut Conn, assignment: AssignmentId) -> anyhow::Result<Option<Assignment>> {
    let row = sqlx::query(&format!("{} WHERE a.id = $1", super::citizens::ASSIGNMENT_SELECT))
        .bind(assignment.to_string())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(assignment_from).transpose()
}

/// Creates an assignment or changes its period (who and whom never change;
/// callers check) and stamps it.
pub async fn upsert_assignment(
    conn: &mut Conn,
    stamper: &mut Stamper,
    assignment: AssignmentId,
    a: &AssignmentInput,
) -> anyhow::Result<bool> {
    let updated = sqlx::query("UPDATE assignments SET valid_from = $1, valid_to = $2 WHERE id = $3")
        .bind(a.period.from().to_string())
        .bind(a.period.to().map(|d| d.to_string()))
        .bind(assignment.to_string())
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if updated == 0 {
        let row = Assignment {
            id: assignment,
            citizen_id: a.citizen_id,
            user_id: a.user_id,
            period: a.period,
            handover: None,
            user_name: None,
        };
        super::citizens::insert_assignment(conn, stamper, &row).await?;
    } else {
        stamper.record(Entity::Assignment, assignment.to_string(), Scope::citizen(a.citizen_id), false);
    }
    Ok(updated == 0)
}

/// Removes an assignment (one that should never have been) and stamps the
/// removal.
pub async fn delete_assignment(conn: &mut Conn, stamper: &mut Stamper, a: &Assignment) -> sqlx::Result<()> {
    stamper.record(Entity::Assignment, a.id.to_string(), Scope::citizen(a.citizen_id), true);
    sqlx::query("DELETE FROM assignments WHERE id = $1").bind(a.id.to_string()).execute(conn).await.map(drop)
}

/// A user's roles and whether they are active, if they exist.
pub async fn user_state(conn: &mut Conn, user: UserId) -> anyhow::Result<Option<(Vec<Role>, bool)>> {
    let Some(active) = sqlx::query_scalar::<_, i64>("SELECT active FROM users WHERE id = $1")
        .bind(user.to_string())
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let roles = sqlx::query("SELECT role FROM user_roles WHERE user_id = $1")
        .bind(user.to_string())
        .fetch_all(conn)
        .await?
        .iter()
        .map(|r| wire_enum(r.get("role")))
        .collect::<anyhow::Result<Vec<Role>>>()?;
    Ok(Some((roles, active == 1)))
}

/// The case-system ids of grants that have one.
pub async fn grant_external_ids(
    conn: &mut Conn,
) -> anyhow::Result<std::collections::BTreeMap<String, shared::GrantId>> {
    let rows = sqlx::query("SELECT id, external_id FROM grants WHERE external_id IS NOT NULL").fetch_all(conn).await?;
    rows.iter().map(|r| Ok((r.get::<String, _>("external_id"), id(r.get("id"))?))).collect()
}

/// Every grant, by citizen and start.
pub async fn all_grants(conn: &mut Conn) -> anyhow::Result<Vec<shared::grant::Grant>> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT DISTINCT citizen_id FROM grants").fetch_all(&mut *conn).await?;
    let citizens = ids.iter().map(|s| id(s)).collect::<anyhow::Result<Vec<CitizenId>>>()?;
    super::citizens::grants_of(conn, &citizens).await
}

pub async fn set_grant_external_id(conn: &mut Conn, grant: shared::GrantId, external: &ExternalId) -> sqlx::Result<()> {
    sqlx::query("UPDATE grants SET external_id = $1 WHERE id = $2")
        .bind(external.as_str())
        .bind(grant.to_string())
        .execute(conn)
        .await
        .map(drop)
}

/// Sets a user's post as a citizen consultant (hundredths; `None`: half
/// time, seed 002).
pub async fn set_course_post(conn: &mut Conn, user: UserId, post: Option<u32>) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET course_post = $1 WHERE id = $2")
        .bind(post.map(i64::from))
        .bind(user.to_string())
        .execute(conn)
        .await
        .map(drop)
}
