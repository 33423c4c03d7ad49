//! The citizens a user may see.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use shared::api::ListCitizensResponse;

use shared::access::{AccessAction, AccessPurpose};

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::{access, db};

pub fn router() -> Router<AppState> {
    Router::new().route("/citizens", get(citizens_list))
}

async fn citizens_list(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<ListCitizensResponse>> {
    let today = state.clock.now().local_date();
    let mut conn = state.db.acquire().await?;
    let citizens = db::citizens::visible(&mut conn, &user.viewer(), today).await?;
    drop(conn);
    let ids: Vec<_> = citizens.iter().map(|c| c.id).collect();
    access::log_read(&state, user.id, AccessAction::Read, AccessPurpose::CitizenList, ids, None).await?;
    Ok(Json(ListCitizensResponse { citizens }))
}
