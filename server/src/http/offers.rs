//! The catalogue of offers (issue 15): `GET /api/offers` for every
//! logged-in user (the active offers and the areas; `?all=1` for an
//! administrator: the inactive too), `PUT /api/admin/offers/{id}` for an
//! administrator (201 new, 200 changed; 422 `taken` for a name in use,
//! `not_found` for an unknown area). No citizen data: not access-logged.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use shared::assignment::Named;
use shared::offer::{Offer, OfferInput, OffersResponse};
use shared::user::Role;
use shared::{OfferId, Problem, ValidationError};

use crate::auth::CurrentUser;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::http::{ApiJson, Params, path_id};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/offers", get(offers_get)).route("/admin/offers/{id}", put(offer_put))
}

async fn offers_get(
    State(state): State<AppState>,
    user: CurrentUser,
    params: Params,
) -> ApiResult<Json<OffersResponse>> {
    let all = params.optional::<String>("all")?.as_deref() == Some("1");
    if all && !user.has_role(Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    let mut tx = state.db.begin_read().await?;
    let offers = db::offers::list(&mut tx, all).await?;
    let areas =
        db::org::areas(&mut tx).await?.into_iter().map(|a| Named { id: a.id, name: a.name.to_string() }).collect();
    tx.commit().await?;
    Ok(Json(OffersResponse { offers, areas }))
}

async fn offer_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<OfferInput>,
) -> ApiResult<(StatusCode, Json<Offer>)> {
    if !user.has_role(Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    let id: OfferId = path_id(&raw, "id")?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let mut errors = Vec::new();
    if db::offers::name_taken(&mut tx, &input.name, id).await? {
        errors.push(ValidationError::new("name", Problem::Taken));
    }
    if let Some(area) = input.area_id
        && !db::org::existing_areas(&mut tx, &[area]).await?.contains(&area)
    {
        errors.push(ValidationError::new("area_id", Problem::NotFound));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let created = db::offers::upsert(&mut tx, id, &input, user.id, now).await?;
    let written = db::offers::one(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    tracing::info!(by = %user.id, offer = %id, created, "an offer of the catalogue written");
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(written)))
}
