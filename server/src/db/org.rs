//! Areas, teams and team membership.

use shared::api::{AreaSummary, TeamSummary};
use shared::area::AreaKind;
use shared::text::OrgName;
use shared::{AreaId, TeamId, UserId};
use sqlx::Row;

use super::Conn;

use super::{id, wire_enum, wire_name};

pub async fn insert_area(conn: &mut Conn, area: AreaId, name: &OrgName, kind: AreaKind) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO areas (id, name, kind) VALUES ($1, $2, $3)")
        .bind(area.to_string())
        .bind(name.as_str())
        .bind(wire_name(&kind))
        .execute(conn)
        .await
        .map(drop)
}

pub async fn insert_team(conn: &mut Conn, team: TeamId, area: AreaId, name: &OrgName) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO teams (id, area_id, name) VALUES ($1, $2, $3)")
        .bind(team.to_string())
        .bind(area.to_string())
        .bind(name.as_str())
        .execute(conn)
        .await
        .map(drop)
}

/// Makes `team` a consultant team (seed 002) or not.
pub async fn set_consultant_team(conn: &mut Conn, team: TeamId, consultant_team: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE teams SET consultant_team = $1 WHERE id = $2")
        .bind(i64::from(consultant_team))
        .bind(team.to_string())
        .execute(conn)
        .await
        .map(drop)
}

pub async fn add_member(conn: &mut Conn, team: TeamId, user: UserId) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)")
        .bind(team.to_string())
        .bind(user.to_string())
        .execute(conn)
        .await
        .map(drop)
}

/// The teams a user belongs to, with their areas, by name.
pub async fn teams_of(conn: &mut Conn, user: UserId) -> anyhow::Result<Vec<TeamSummary>> {
    let rows = sqlx::query(&format!(
        "{TEAM_SELECT} JOIN team_members m ON m.team_id = t.id WHERE m.user_id = $1 ORDER BY t.name"
    ))
    .bind(user.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(team_from).collect()
}

/// Makes `user` head `area` (an area head).
pub async fn add_area_head(conn: &mut Conn, area: AreaId, user: UserId) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO area_heads (user_id, area_id) VALUES ($1, $2)")
        .bind(user.to_string())
        .bind(area.to_string())
        .execute(conn)
        .await
        .map(drop)
}

/// The areas `user` heads (an area head), sorted.
pub async fn areas_headed(conn: &mut Conn, user: UserId) -> anyhow::Result<Vec<AreaId>> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT area_id FROM area_heads WHERE user_id = $1 ORDER BY area_id")
        .bind(user.to_string())
        .fetch_all(conn)
        .await?;
    ids.iter().map(|s| super::id(s)).collect()
}

/// The ids of the teams a user belongs to (what a push's charge rule needs:
/// ids only, no names or areas).
pub async fn team_ids(conn: &mut Conn, user: UserId) -> anyhow::Result<Vec<TeamId>> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT team_id FROM team_members WHERE user_id = $1 ORDER BY team_id")
        .bind(user.to_string())
        .fetch_all(conn)
        .await?;
    ids.iter().map(|s| super::id(s)).collect()
}

/// The ids of the teams a user belongs to and of those teams' areas, sorted.
pub async fn team_and_area_ids(conn: &mut Conn, user: UserId) -> sqlx::Result<(Vec<String>, Vec<String>)> {
    let teams: Vec<String> = sqlx::query_scalar("SELECT team_id FROM team_members WHERE user_id = $1 ORDER BY team_id")
        .bind(user.to_string())
        .fetch_all(&mut *conn)
        .await?;
    let areas: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT t.area_id FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.user_id = $1 ORDER BY t.area_id",
    )
    .bind(user.to_string())
    .fetch_all(conn)
    .await?;
    Ok((teams, areas))
}

/// Everyone who shares a team with `user` (the user included).
pub async fn team_mates(conn: &mut Conn, user: UserId) -> anyhow::Result<Vec<UserId>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT theirs.user_id FROM team_members mine
         JOIN team_members theirs ON theirs.team_id = mine.team_id
         WHERE mine.user_id = $1",
    )
    .bind(user.to_string())
    .fetch_all(conn)
    .await?;
    ids.iter().map(|s| super::id(s)).collect()
}

fn team_from(r: &sqlx::any::AnyRow) -> anyhow::Result<TeamSummary> {
    Ok(TeamSummary {
        id: id(r.get("id"))?,
        name: OrgName::try_from(r.get::<String, _>("name"))?,
        area: AreaSummary {
            id: id(r.get("area_id"))?,
            name: OrgName::try_from(r.get::<String, _>("area_name"))?,
            kind: wire_enum(r.get("kind"))?,
        },
        consultant_team: r.get::<i64, _>("consultant_team") == 1,
    })
}

const TEAM_SELECT: &str = "SELECT t.id, t.name, t.consultant_team, a.id AS area_id, a.name AS area_name, a.kind
                           FROM teams t JOIN areas a ON a.id = t.area_id";

/// Every team, by area and name.
pub async fn all_teams(conn: &mut Conn) -> anyhow::Result<Vec<TeamSummary>> {
    let rows = sqlx::query(&format!("{TEAM_SELECT} ORDER BY a.name, t.name")).fetch_all(conn).await?;
    rows.iter().map(team_from).collect()
}

pub async fn team(conn: &mut Conn, team: TeamId) -> anyhow::Result<Option<TeamSummary>> {
    let row =
        sqlx::query(&format!("{TEAM_SELECT} WHERE t.id = $1")).bind(team.to_string()).fetch_optional(conn).await?;
    row.as_ref().map(team_from).transpose()
}

/// Every area, by name.
pub async fn areas(conn: &mut Conn) -> anyhow::Result<Vec<AreaSummary>> {
    let rows = sqlx::query("SELECT id, name, kind FROM areas ORDER BY name").fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            Ok(AreaSummary {
                id: id(r.get("id"))?,
                name: OrgName::try_from(r.get::<String, _>("name"))?,
                kind: wire_enum(r.get("kind"))?,
            })
        })
        .collect()
}

/// The ids among `ids` that name an area.
pub async fn existing_areas(conn: &mut Conn, ids: &[AreaId]) -> anyhow::Result<Vec<AreaId>> {
    existing(conn, "areas", ids).await
}

/// The ids among `ids` that name a team.
pub async fn existing_teams(conn: &mut Conn, ids: &[TeamId]) -> anyhow::Result<Vec<TeamId>> {
    existing(conn, "teams", ids).await
}

async fn existing<T: std::fmt::Display + std::str::FromStr<Err = shared::ValidationError>>(
    conn: &mut Conn,
    table: &str,
    ids: &[T],
) -> anyhow::Result<Vec<T>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT id FROM {table} WHERE id IN {}", super::Backend::of(conn).json_strings("$1"));
    let found: Vec<String> = sqlx::query_scalar(&sql).bind(super::json_ids(ids)).fetch_all(conn).await?;
    found.iter().map(|s| Ok(s.parse::<T>()?)).collect()
}
