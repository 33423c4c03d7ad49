//! The lead's view: a team's month, approving and reopening it, and the
//! monthly statement per payer area (JSON and CSV).
//!
//! Authorisation: a lead reads and approves only the teams they belong to;
//! an admin reads every team and alone reopens a month. Anyone else: 403.
//!
//! `team_access` is that rule, shared with `http::conflicts`.

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use shared::api::TeamSummary;
use shared::report::{ApproveRequest, OrgResponse, ReopenRequest, Statement, TeamReport};
use shared::time::{Month, Period};
use shared::user::Role;
use shared::{AreaId, Localized, Problem, TeamId, ValidationError};

use shared::access::{AccessAction, AccessPurpose, AccessSubject};

use crate::access;
use crate::auth::CurrentUser;
use crate::db::{self, Conn};
use crate::error::{ApiError, ApiResult};
use crate::http::{ApiJson, Params, csv_attachment};
use crate::reports::{self, Asker};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/org", get(org_get))
        .route("/reports/team", get(team_report_get))
        .route("/approvals", post(approve_post))
        .route("/approvals/reopen", post(reopen_post))
        .route("/statements", get(statement_get))
        .route("/statements.csv", get(statement_csv_get))
}

/// The team, if `user` may report on it: 403 for a lead outside it and
/// for anyone neither lead nor admin; 404 for an admin naming no team.
pub async fn team_access(conn: &mut Conn, user: &CurrentUser, team: TeamId) -> ApiResult<(TeamSummary, Asker)> {
    let is_admin = user.has_role(Role::Admin);
    let is_lead_of_team =
        user.has_role(Role::Lead) && db::org::teams_of(conn, user.id).await?.iter().any(|t| t.id == team);
    if !is_admin && !is_lead_of_team {
        return Err(ApiError::Forbidden);
    }
    let summary = db::org::team(conn, team).await?.ok_or(ApiError::NotFound)?;
    Ok((summary, Asker { is_admin, is_lead_of_team }))
}

/// The teams a lead or admin reports on, and every area; a citizen
/// consultant (a member of a consultant team) gets their own teams and
/// every area, for the grants they write. Anyone else: 403.
async fn org_get(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<OrgResponse>> {
    let mut conn = state.db.acquire().await?;
    let teams = if user.has_role(Role::Admin) {
        db::org::all_teams(&mut conn).await?
    } else {
        let teams = db::org::teams_of(&mut conn, user.id).await?;
        // A citizen consultant writes grants (seed 002), whose payer is an
        // area: they read the areas and their own teams too.
        if !user.has_role(Role::Lead) && !teams.iter().any(|t| t.consultant_team) {
            return Err(ApiError::Forbidden);
        }
        teams
    };
    Ok(Json(OrgResponse { teams, areas: db::org::areas(&mut conn).await? }))
}

async fn team_report_get(
    State(state): State<AppState>,
    user: CurrentUser,
    params: Params,
) -> ApiResult<Json<TeamReport>> {
    let team: TeamId = params.get("team")?;
    let month: Month = params.get("month")?;
    let now = state.clock.now();
    // One snapshot: the figures agree with each other.
    let mut tx = state.db.begin_read().await?;
    let (summary, asker) = team_access(&mut tx, &user, team).await?;
    let report = reports::team_report(&mut tx, summary, month, now, asker).await?;
    tx.commit().await?;
    let citizens = report
        .grants
        .iter()
        .map(|g| g.citizen_id)
        .chain(report.pools.iter().flat_map(|p| p.usage.by_citizen.iter().map(|s| s.id)))
        .chain(report.unattributed.iter().map(|v| v.citizen_id))
        .collect::<Vec<_>>();
    access::log_read(
        &state,
        user.id,
        AccessAction::Read,
        AccessPurpose::Oversight,
        citizens,
        Some(AccessSubject::TeamReport),
    )
    .await?;
    Ok(Json(report))
}

#[derive(Debug, Serialize)]
struct ApprovalResult {
    /// Visits whose status changed.
    visits: u32,
}

async fn approve_post(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<ApproveRequest>,
) -> ApiResult<Json<ApprovalResult>> {
    let now = state.clock.now();
    if now < req.month.end() {
        // Visits can still arrive for a month that has not ended.
        return Err(ValidationError::new("month", Problem::InFuture).into());
    }
    let mut tx = state.db.begin_write().await?;
    let (_, asker) = team_access(&mut tx, &user, req.team_id).await?;
    if !asker.is_lead_of_team && !asker.is_admin {
        return Err(ApiError::Forbidden);
    }
    let workers: Vec<_> = db::reports::members(&mut tx, req.team_id).await?.into_iter().map(|m| m.id).collect();
    db::sync::lock_workers(&mut tx, &workers).await?;
    let mut stamper = db::changes::Stamper::new();
    let visits = db::reports::approve(&mut tx, &mut stamper, req.team_id, req.month, &workers, user.id, now).await?;
    stamper.finish(&mut tx).await?;
    tx.commit().await?;
    tracing::info!(team = %req.team_id, month = %req.month, visits, "month approved");
    Ok(Json(ApprovalResult { visits }))
}

async fn reopen_post(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<ReopenRequest>,
) -> ApiResult<Json<ApprovalResult>> {
    if !user.has_role(Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    if req.reason.as_str().trim().is_empty() {
        return Err(ValidationError::new("reason", Problem::Required).into());
    }
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    team_access(&mut tx, &user, req.team_id).await?;
    let workers: Vec<_> = db::reports::members(&mut tx, req.team_id).await?.into_iter().map(|m| m.id).collect();
    db::sync::lock_workers(&mut tx, &workers).await?;
    let mut stamper = db::changes::Stamper::new();
    let reopened =
        db::reports::reopen(&mut tx, &mut stamper, req.team_id, req.month, &workers, user.id, now, &req.reason).await?;
    let Some(visits) = reopened else {
        return Err(ApiError::Conflict {
            code: "not_approved",
            message: Localized::new("Måneden er ikke godkendt.", "The month is not approved."),
        });
    };
    stamper.finish(&mut tx).await?;
    tx.commit().await?;
    tracing::info!(team = %req.team_id, month = %req.month, visits, "month reopened");
    Ok(Json(ApprovalResult { visits }))
}

async fn load_statement(state: &AppState, user: &CurrentUser, params: &Params) -> ApiResult<Statement> {
    let area: AreaId = params.get("area")?;
    let month: Month = params.get("month")?;
    let now = state.clock.now();
    let mut tx = state.db.begin_read().await?;
    let (teams, only_teams) = if user.has_role(Role::Admin) {
        (db::org::all_teams(&mut tx).await?, false)
    } else if user.has_role(Role::Lead) {
        (db::org::teams_of(&mut tx, user.id).await?, true)
    } else {
        return Err(ApiError::Forbidden);
    };
    let area = db::org::areas(&mut tx)
        .await?
        .into_iter()
        .find(|a| a.id == area)
        .ok_or_else(|| ValidationError::new("area", Problem::NotFound))?;
    let statement = reports::statement(&mut tx, area, month, teams, only_teams, now).await?;
    tx.commit().await?;
    Ok(statement)
}

async fn statement_get(State(state): State<AppState>, user: CurrentUser, params: Params) -> ApiResult<Json<Statement>> {
    let statement = load_statement(&state, &user, &params).await?;
    let citizens: Vec<_> = statement.lines.iter().map(|l| l.citizen_id).collect();
    access::log_read(
        &state,
        user.id,
        AccessAction::Read,
        AccessPurpose::Billing,
        citizens,
        Some(AccessSubject::Statement),
    )
    .await?;
    Ok(Json(statement))
}

async fn statement_csv_get(State(state): State<AppState>, user: CurrentUser, params: Params) -> ApiResult<Response> {
    let statement = load_statement(&state, &user, &params).await?;
    let citizens: Vec<_> = statement.lines.iter().map(|l| l.citizen_id).collect();
    access::log_read(
        &state,
        user.id,
        AccessAction::Export,
        AccessPurpose::Billing,
        citizens,
        Some(AccessSubject::StatementCsv),
    )
    .await?;
    csv_attachment(reports::statement_csv(&statement), &reports::statement_file_name(&statement))
}
