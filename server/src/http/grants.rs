//! Grants (lead or admin), drawing rights and caseload norms (admin).
//! Phones read grants and drawing rights through sync; these endpoints are
//! where they are written, and every write is stamped so phones get it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use shared::drawing_right::DrawingRight;
use shared::grant::Grant;
use shared::usage::CaseloadNorms;
use shared::user::Role;
use shared::{DrawingRightId, GrantId, Problem, ValidationError};

use shared::access::{AccessAction, AccessPurpose, AccessSubject};

use crate::access;
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::http::{ApiJson, path_id};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/grants/{id}", put(grant_put))
        .route("/drawing-rights", get(drawing_rights_get))
        .route("/drawing-rights/{id}", put(drawing_right_put))
        .route("/settings/caseload-norms", get(norms_get).put(norms_put))
}

/// Creates or changes a grant. A lead may do so for the citizens their
/// teams work with, an admin for anyone, and a citizen consultant for the
/// citizens of their own running courses (issue 15, seed 002: "myndigheds-
/// og udførerfunktion er samlet hos den enkelte borgerkonsulent"). The payer must follow the payer
/// rule and the citizen may have no other grant for the same service on
/// the same days; a grant never moves to another citizen; the offer it
/// names, if one, is in the catalogue (`offer_id` `not_found`); a contact
/// person is for a citizen under 23 (`service` `age_limit`).
///
/// A decision on housing support (SEL § 85) tells the citizen's other
/// areas in the same transaction: a decision notice to the case worker of
/// each case open there and to the leads of those areas' teams (issue 16,
/// seed 000; `db::notices::notify`). Grant writes for one citizen take
/// turns (the citizen's row is locked), so the same PUT sent twice — a
/// retry, or two tabs — makes one decision and one set of notices.
async fn grant_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(grant): ApiJson<Grant>,
) -> ApiResult<(StatusCode, Json<Grant>)> {
    let id: GrantId = path_id(&raw, "id")?;
    if grant.id != id {
        return Err(ValidationError::new("id", Problem::InvalidFormat).into());
    }
    let today = state.clock.now().local_date();
    let mut tx = state.db.begin_write().await?;
    if !user.has_role(Role::Admin)
        && !user.has_role(Role::Lead)
        && !db::courses::consults(&mut tx, user.id, grant.citizen_id, today).await?
    {
        return Err(ApiError::Forbidden);
    }
    let citizen = db::citizens::citizen(&mut tx, grant.citizen_id).await?;
    let visible = match &citizen {
        Some(c) => db::citizens::is_visible(&mut tx, &user.viewer(), c.id, today).await?,
        None => false,
    };
    let Some(citizen) = citizen.filter(|_| visible) else {
        // Unknown and not visible answer alike: no probing for citizens.
        return Err(if user.has_role(Role::Admin) {
            ValidationError::new("citizen_id", Problem::NotFound).into()
        } else {
            ApiError::Forbidden
        });
    };
    // Writes of one citizen's grants take turns from here (PostgreSQL; the
    // SQLite writer lock already does): the second of two identical PUTs
    // reads the first's grant and decides nothing.
    db::citizens::lock(&mut tx, citizen.id).await?;
    let existing = db::citizens::grant(&mut tx, id).await?;
    if let Some(old) = &existing
        && old.citizen_id != grant.citizen_id
    {
        return Err(ValidationError::new("citizen_id", Problem::InvalidFormat).into());
    }
    let payer = db::org::areas(&mut tx)
        .await?
        .into_iter()
        .find(|a| a.id == grant.payer_area_id)
        .ok_or_else(|| ValidationError::new("payer_area_id", Problem::NotFound))?;
    // The catalogue's offer it is for must exist (an offer no longer
    // offered still does: an old decision keeps its offer).
    if let Some(offer) = grant.offer_id
        && db::offers::one(&mut tx, offer).await?.is_none()
    {
        return Err(ValidationError::new("offer_id", Problem::NotFound).into());
    }
    grant.check_from(existing.as_ref(), today)?;
    grant.check_age(citizen.birth_year, existing.as_ref())?;
    let others = db::citizens::grants_of(&mut tx, &[grant.citizen_id]).await?;
    shared::charge::check_grant(&grant, citizen.benefit_type, payer.kind, &others)?;
    let mut stamper = db::changes::Stamper::new();
    db::citizens::upsert_grant(&mut tx, &mut stamper, &grant).await?;
    let decider = db::users::profile(&mut tx, user.id).await?.map(|(name, ..)| name.to_string()).unwrap_or_default();
    let decision = db::notices::GrantDecision {
        before: existing.as_ref(),
        after: &grant,
        citizen_name: citizen.name.as_str(),
        payer_area_name: payer.name.as_str(),
        by: user.id,
        by_name: &decider,
        at: state.clock.now(),
    };
    db::notices::notify(&mut tx, &mut stamper, &decision).await?;
    let action = if existing.is_some() { AccessAction::Change } else { AccessAction::Create };
    access::log_in(
        &mut tx,
        state.clock.now(),
        user.id,
        action,
        AccessPurpose::GrantDecision,
        [grant.citizen_id],
        AccessSubject::Grant,
    )
    .await?;
    stamper.finish(&mut tx).await?;
    tx.commit().await?;
    let status = if existing.is_some() { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(grant)))
}

/// Every drawing right (admin), or those a lead's teams deliver on or
/// their areas hold.
async fn drawing_rights_get(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<Vec<DrawingRight>>> {
    let mut conn = state.db.acquire().await?;
    let all = db::citizens::all_drawing_rights(&mut conn).await?;
    if user.has_role(Role::Admin) {
        return Ok(Json(all));
    }
    if !user.has_role(Role::Lead) {
        return Err(ApiError::Forbidden);
    }
    let teams = db::org::teams_of(&mut conn, user.id).await?;
    let mine = all
        .into_iter()
        .filter(|p| teams.iter().any(|t| t.id == p.provider_team_id || t.area.id == p.owner_area_id))
        .collect();
    Ok(Json(mine))
}

/// Creates or changes a drawing right (admin): an area's pool on another
/// area's team.
async fn drawing_right_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(pool): ApiJson<DrawingRight>,
) -> ApiResult<(StatusCode, Json<DrawingRight>)> {
    let id: DrawingRightId = path_id(&raw, "id")?;
    if pool.id != id {
        return Err(ValidationError::new("id", Problem::InvalidFormat).into());
    }
    if !user.has_role(Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    let mut tx = state.db.begin_write().await?;
    if !db::org::areas(&mut tx).await?.iter().any(|a| a.id == pool.owner_area_id) {
        return Err(ValidationError::new("owner_area_id", Problem::NotFound).into());
    }
    let team = db::org::team(&mut tx, pool.provider_team_id)
        .await?
        .ok_or_else(|| ValidationError::new("provider_team_id", Problem::NotFound))?;
    if team.area.id == pool.owner_area_id {
        // A drawing right is on *another* area's staff (seed 000).
        return Err(ValidationError::new("provider_team_id", Problem::OwnAreaTeam).into());
    }
    let existed = db::citizens::all_drawing_rights(&mut tx).await?.iter().any(|p| p.id == id);
    let mut stamper = db::changes::Stamper::new();
    db::citizens::upsert_drawing_right(&mut tx, &mut stamper, &pool).await?;
    stamper.finish(&mut tx).await?;
    tx.commit().await?;
    let status = if existed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(pool)))
}

async fn norms_get(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<CaseloadNorms>> {
    if !user.has_role(Role::Admin) && !user.has_role(Role::Lead) {
        return Err(ApiError::Forbidden);
    }
    let mut conn = state.db.acquire().await?;
    Ok(Json(db::reports::caseload_norms(&mut conn).await?))
}

async fn norms_put(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(norms): ApiJson<CaseloadNorms>,
) -> ApiResult<Json<CaseloadNorms>> {
    if !user.has_role(Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    let mut conn = state.db.acquire().await?;
    db::reports::set_caseload_norms(&mut conn, &norms).await?;
    Ok(Json(norms))
}
