//! The citizens a user may see.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use shared::api::ListCitizensResponse;

use crate::auth::CurrentUser;
use crate::db;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/citizens", get(citizens_list))
}

async fn citizens_list(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<ListCitizensResponse>> {
    let today = state.clock.now().local_date();
    let mut conn = state.db.acquire().await?;
    let citizens = db::citizens::visible(&mut conn, &user.viewer(), today).await?;
    Ok(Json(ListCitizensResponse { citizens }))
}
