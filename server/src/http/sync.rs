//! `POST /api/sync/push` and `POST /api/sync/pull`.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use shared::sync::{PullRequest, PullResponse, PushResponse};

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::http::JsonBytes;
use crate::state::AppState;
use crate::sync;

pub fn router() -> Router<AppState> {
    Router::new().route("/sync/push", post(sync_push)).route("/sync/pull", post(sync_pull))
}

async fn sync_push(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBytes(body): JsonBytes,
) -> ApiResult<Json<PushResponse>> {
    Ok(Json(sync::push::push(&state, &user, &body).await?))
}

async fn sync_pull(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBytes(body): JsonBytes,
) -> ApiResult<Json<PullResponse>> {
    let req: PullRequest = sync::read_body(&body)?;
    Ok(Json(sync::pull::pull(&state, &user, req).await?))
}
