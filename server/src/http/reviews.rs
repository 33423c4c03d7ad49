//! The case review (issue 14, seed 000): a named review of the citizens of
//! an area or team (or those a case-system list names), each classified
//! into a layer as of the review date, prioritised and noted.
//!
//! Authorisation: whoever sees a scope's figures (`figures::scopes_of`: an
//! administrator every scope, an area head their areas and those areas'
//! teams, a lead their teams) may start a review of it, list it and review
//! its citizens; anyone else: 403. A citizen outside the reviewer's scopes
//! on the review date is refused at `citizen_id` (`outside_scope`). A
//! review's page names citizens: access-logged as oversight.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use shared::access::{AccessAction, AccessPurpose, AccessSubject};
use shared::review::{Classification, ReviewDetail, ReviewInput, ReviewItemInput, ReviewSummary, ScopeChoice};
use shared::{CitizenId, Problem, ReviewId, ValidationError};

use crate::access;
use crate::auth::CurrentUser;
use crate::db::{self, Conn};
use crate::error::{ApiError, ApiResult};
use crate::http::figures::scopes_of;
use crate::http::{ApiJson, path_id};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reviews", get(reviews_get).post(review_post))
        .route("/reviews/{id}", get(review_get))
        .route("/reviews/{id}/items/{citizen}", put(item_put))
}

/// The reviews whose scope the asker sees; 403 for one who sees none.
async fn visible_scopes(conn: &mut Conn, user: &CurrentUser) -> ApiResult<Vec<ScopeChoice>> {
    let scopes = scopes_of(conn, user).await?;
    if scopes.is_empty() {
        return Err(ApiError::Forbidden);
    }
    Ok(scopes)
}

async fn reviews_get(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<Vec<ReviewSummary>>> {
    let mut tx = state.db.begin_read().await?;
    let scopes = visible_scopes(&mut tx, &user).await?;
    let reviews = db::review::reviews(&mut tx).await?;
    tx.commit().await?;
    Ok(Json(reviews.into_iter().filter(|r| scopes.iter().any(|s| s.scope == r.scope)).collect()))
}

async fn review_post(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<ReviewInput>,
) -> ApiResult<(StatusCode, Json<ReviewSummary>)> {
    let now = state.clock.now();
    if input.review_date > now.local_date() {
        return Err(ValidationError::new("review_date", Problem::InFuture).into());
    }
    let mut tx = state.db.begin_write().await?;
    let scopes = visible_scopes(&mut tx, &user).await?;
    if !scopes.iter().any(|s| s.scope == input.scope) {
        return Err(ValidationError::new("scope", Problem::OutsideScope).into());
    }
    let in_scope = db::review::citizens_in_scope(&mut tx, input.scope, input.review_date).await?;
    let citizens = if input.case_ids.is_empty() {
        in_scope
    } else {
        let by_case = db::review::citizens_by_case_id(&mut tx).await?;
        let mut errors = Vec::new();
        let mut listed = Vec::new();
        for (i, case) in input.case_ids.iter().enumerate() {
            match by_case.iter().find(|(e, _)| e == case.as_str()).map(|(_, c)| *c) {
                Some(c) if in_scope.contains(&c) => {
                    if !listed.contains(&c) {
                        listed.push(c);
                    }
                }
                _ => errors.push(ValidationError::new(format!("case_ids[{i}]"), Problem::NotFound)),
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        listed
    };
    if citizens.is_empty() {
        return Err(ValidationError::new("citizens", Problem::Required).into());
    }
    let id = ReviewId::from_uuid(uuid::Uuid::now_v7());
    db::review::create_review(&mut tx, id, &input, &citizens, user.id, now).await?;
    let summary = db::review::review(&mut tx, id).await?.ok_or_else(|| anyhow::anyhow!("review {id} vanished"))?;
    tx.commit().await?;
    tracing::info!(user = %user.id, review = %id, citizens = citizens.len(), "review started");
    Ok((StatusCode::CREATED, Json(summary)))
}

/// The review, if the asker sees its scope: 404 for none, 403 outside.
async fn review_access(
    conn: &mut Conn,
    user: &CurrentUser,
    id: ReviewId,
) -> ApiResult<(ReviewSummary, Vec<ScopeChoice>)> {
    let scopes = visible_scopes(conn, user).await?;
    let review = db::review::review(conn, id).await?.ok_or(ApiError::NotFound)?;
    if !scopes.iter().any(|s| s.scope == review.scope) {
        return Err(ApiError::Forbidden);
    }
    Ok((review, scopes))
}

async fn review_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
) -> ApiResult<Json<ReviewDetail>> {
    let id: ReviewId = path_id(&raw, "id")?;
    let mut tx = state.db.begin_read().await?;
    let (review, _) = review_access(&mut tx, &user, id).await?;
    let scheme = db::review::scheme(&mut tx).await?;
    let items = db::review::review_items(&mut tx, id, review.review_date).await?;
    tx.commit().await?;
    let citizens: Vec<CitizenId> = items.iter().map(|i| i.citizen_id).collect();
    access::log_read(
        &state,
        user.id,
        AccessAction::Read,
        AccessPurpose::Oversight,
        citizens,
        Some(AccessSubject::CaseReview),
    )
    .await?;
    Ok(Json(ReviewDetail { review, scheme, items }))
}

async fn item_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((raw, raw_citizen)): Path<(String, String)>,
    ApiJson(input): ApiJson<ReviewItemInput>,
) -> ApiResult<Json<ReviewSummary>> {
    let id: ReviewId = path_id(&raw, "id")?;
    let citizen: CitizenId = path_id(&raw_citizen, "citizen_id")?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let (review, scopes) = review_access(&mut tx, &user, id).await?;
    let birth = db::review::review_citizen(&mut tx, id, citizen)
        .await?
        .ok_or_else(|| ValidationError::new("citizen_id", Problem::NotFound))?;
    let mut inside = false;
    for scope in scopes.iter().map(|s| s.scope) {
        inside = inside || db::review::in_scope_on(&mut tx, scope, citizen, review.review_date).await?;
    }
    if !inside {
        return Err(ValidationError::new("citizen_id", Problem::OutsideScope).into());
    }
    let scheme = db::review::scheme(&mut tx).await?;
    let classification =
        Classification { citizen_id: citizen, layer: input.layer.clone(), valid_from: review.review_date, by: user.id };
    classification.check(Some(birth), now.local_date(), &scheme).map_err(ApiError::Validation)?;
    let mut stamper = db::changes::Stamper::new();
    db::review::classify(&mut tx, &mut stamper, &classification, Some(&id.to_string()), now).await?;
    db::review::set_review_item(&mut tx, id, citizen, &input, user.id, now).await?;
    access::log_in(
        &mut tx,
        now,
        user.id,
        AccessAction::Change,
        AccessPurpose::Oversight,
        [citizen],
        AccessSubject::CaseReview,
    )
    .await?;
    stamper.finish(&mut tx).await?;
    let progress = db::review::review(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(Json(progress))
}
