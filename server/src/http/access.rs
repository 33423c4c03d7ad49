//! The access log for administrators: per citizen (what a citizen may ask
//! to see: dates and purposes) and per user, and how long it is kept. There
//! is no way to write, change or delete an entry through the API.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use shared::access::{AccessAction, AccessPurpose, AccessReport, Retention};
use shared::user::Role;
use shared::{CitizenId, Date, Problem, Timestamp, UserId, ValidationError};

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::http::{ApiJson, Params};
use crate::state::AppState;
use crate::{access, db};

/// The most entries one answer carries (newest first).
pub const MAX_ENTRIES: u32 = 5000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/access-log", get(log_get))
        .route("/settings/access-log-retention", get(retention_get).put(retention_put))
}

/// `?citizen=<id>` or `?user=<id>`, optionally `&since=YYYY-MM-DD`.
async fn log_get(State(state): State<AppState>, user: CurrentUser, params: Params) -> ApiResult<Json<AccessReport>> {
    if !user.has_role(Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    let citizen: Option<CitizenId> = params.optional("citizen")?;
    let about: Option<UserId> = params.optional("user")?;
    if citizen.is_some() == about.is_some() {
        return Err(ValidationError::new("citizen", Problem::Required).into());
    }
    let since: Option<Date> = params.optional("since")?;
    let now = state.clock.now();
    let mut conn = state.db.acquire().await?;
    let retention = db::access::retention(&mut conn).await?;
    let since = since.map_or(Timestamp::from_millis(0), |d| d.start());
    let entries = db::access::entries(&mut conn, citizen, about, since, MAX_ENTRIES).await?;
    drop(conn);
    // Reading a citizen's log is itself an access to their data.
    access::log_read(&state, user.id, AccessAction::Read, AccessPurpose::AccessReport, citizen, None).await?;
    Ok(Json(AccessReport { entries, retention_months: retention.months, generated_at: now }))
}

async fn retention_get(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<Retention>> {
    if !user.has_role(Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    let mut conn = state.db.acquire().await?;
    Ok(Json(db::access::retention(&mut conn).await?))
}

async fn retention_put(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(retention): ApiJson<Retention>,
) -> ApiResult<Json<Retention>> {
    if !user.has_role(Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    let mut conn = state.db.acquire().await?;
    db::access::set_retention(&mut conn, retention).await?;
    tracing::info!(admin = %user.id, months = retention.months, "access-log retention set");
    Ok(Json(retention))
}
