//! `GET /api/health`: up, and the database answers.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use shared::api::HealthResponse;

use crate::error::ApiResult;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health_get))
}

async fn health_get(State(state): State<AppState>) -> ApiResult<Json<HealthResponse>> {
    sqlx::query("SELECT 1").execute(&state.db.pool).await?;
    Ok(Json(HealthResponse { status: "ok".to_owned(), version: env!("CARGO_PKG_VERSION").to_owned() }))
}
