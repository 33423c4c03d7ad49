//! The monthly sparring forum (issue 16, seed 000):
//!
//! - `GET /api/forum` ([`ForumResponse`]): staff; the sessions from three
//!   months back with their cases (a citizen the reader may not see is
//!   left unnamed), the citizens the reader may bring, the staff who may
//!   own a follow-up.
//! - `PUT /api/forum/sessions/{id}` ([`SessionInput`]): a lead or an
//!   administrator plans a session (201 new, 200 moved); 422 `on`
//!   `in_past`, `too_far_ahead`, `taken`.
//! - `PUT /api/forum/cases/{id}` ([`CaseInput`]): a worker, mentor,
//!   coordinator or lead puts a citizen they may see on a coming session
//!   (201; 200 for the same case again); 422 `session_id` `not_found` /
//!   `in_past`, `citizen_id` `cannot_see_citizen`, `question`.
//! - `PUT /api/forum/cases/{id}/outcome` ([`OutcomeInput`]): the minutes
//!   of a case, by anyone who may see its citizen, once the session's day
//!   has come (200; a later write corrects); 422 `outcome` `not_held`,
//!   `follow_up_owner` `required` / `cannot_see_citizen`, `follow_up_due`
//!   `required` / `end_before_start`.
//! - `GET /api/citizens/{id}/forum` ([`CitizenForum`]): who may see the
//!   citizen (else 403); the discussions of their case.
//!
//! Every read and write of a named case is access-logged, for field work.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use shared::access::{AccessAction, AccessPurpose, AccessSubject};
use shared::forum::{CaseInput, CitizenForum, ForumCase, ForumResponse, ForumSession, OutcomeInput, SessionInput};
use shared::user::Role;
use shared::{CitizenId, ForumCaseId, ForumSessionId, Localized, Problem, ValidationError};

use crate::access;
use crate::auth::CurrentUser;
use crate::db::{self, Conn};
use crate::error::{ApiError, ApiResult};
use crate::http::{ApiJson, path_id};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/forum", get(forum_get))
        .route("/forum/sessions/{id}", put(session_put))
        .route("/forum/cases/{id}", put(case_put))
        .route("/forum/cases/{id}/outcome", put(outcome_put))
        .route("/citizens/{id}/forum", get(citizen_forum_get))
}

/// Sessions this long ago still show on the forum's page.
const SHOWN_DAYS_BACK: i64 = 92;

/// Who takes part: case workers, coordinators, support staff and leads.
const STAFF: [Role; 4] = [Role::Worker, Role::Mentor, Role::Coordinator, Role::Lead];

fn takes_part(user: &CurrentUser) -> ApiResult<()> {
    if STAFF.into_iter().any(|r| user.has_role(r)) || user.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

async fn one(conn: &mut Conn, id: ForumCaseId) -> ApiResult<ForumCase> {
    db::forum::cases(conn, db::forum::Which::One(id)).await?.pop().ok_or(ApiError::NotFound)
}

/// The citizen of a case as the database reads it (always named there;
/// only an answer leaves a name out).
fn citizen_of(case: &ForumCase) -> ApiResult<CitizenId> {
    case.citizen.as_ref().map(|c| c.id).ok_or(ApiError::NotFound)
}

async fn forum_get(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<ForumResponse>> {
    takes_part(&user)?;
    let today = state.clock.now().local_date();
    let mut tx = state.db.begin_read().await?;
    let from = today.add_days(-SHOWN_DAYS_BACK);
    let sessions = db::forum::sessions(&mut tx, from).await?;
    let mut cases = db::forum::cases(&mut tx, db::forum::Which::From(from)).await?;
    let visible = db::citizens::visible(&mut tx, &user.viewer(), today).await?;
    let staff = db::committee::users_with(&mut tx, &STAFF).await?;
    tx.commit().await?;
    // A case of a citizen the reader may not see: the question, no name.
    for case in &mut cases {
        if !case.citizen.as_ref().is_some_and(|c| visible.iter().any(|v| v.id == c.id)) {
            case.citizen = None;
        }
    }
    let named: Vec<CitizenId> = cases.iter().filter_map(|c| c.citizen.as_ref().map(|c| c.id)).collect();
    access::log_read(&state, user.id, AccessAction::Read, AccessPurpose::FieldWork, named, Some(AccessSubject::Forum))
        .await?;
    let citizens =
        visible.into_iter().map(|c| shared::assignment::Named { id: c.id, name: c.name.to_string() }).collect();
    let may_plan = user.has_role(Role::Lead) || user.has_role(Role::Admin);
    Ok(Json(ForumResponse { sessions, cases, citizens, staff, may_plan }))
}

async fn session_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<SessionInput>,
) -> ApiResult<(StatusCode, Json<ForumSession>)> {
    let id: ForumSessionId = path_id(&raw, "id")?;
    if !(user.has_role(Role::Lead) || user.has_role(Role::Admin)) {
        return Err(ApiError::Forbidden);
    }
    let status =
        super::committee::put_coming_day(&state, &user, db::committee::Days::Forum, &id.to_string(), input.on).await?;
    Ok((status, Json(ForumSession { id, on: input.on })))
}

async fn case_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<CaseInput>,
) -> ApiResult<(StatusCode, Json<ForumCase>)> {
    let id: ForumCaseId = path_id(&raw, "id")?;
    if !STAFF.into_iter().any(|r| user.has_role(r)) {
        return Err(ApiError::Forbidden);
    }
    let now = state.clock.now();
    let today = now.local_date();
    let mut tx = state.db.begin_write().await?;
    if let Some(kept) = db::forum::cases(&mut tx, db::forum::Which::One(id)).await?.pop() {
        // The same case sent again (a retry): as it is.
        if kept.added_by == user.id && citizen_of(&kept)? == input.citizen_id && kept.question == input.question {
            tx.commit().await?;
            return Ok((StatusCode::OK, Json(kept)));
        }
        return Err(ApiError::Conflict {
            code: "id_taken",
            message: Localized::new("Sagen findes allerede.", "The case exists already."),
        });
    }
    let mut errors = Vec::new();
    match db::forum::session(&mut tx, input.session_id).await? {
        None => errors.push(ValidationError::new("session_id", Problem::NotFound)),
        Some(session) => {
            if let Err(e) = input.check(session.on, today) {
                errors.push(e);
            }
        }
    }
    if !db::citizens::is_visible(&mut tx, &user.viewer(), input.citizen_id, today).await? {
        errors.push(ValidationError::new("citizen_id", Problem::CannotSeeCitizen));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    db::forum::insert_case(&mut tx, id, &input, user.id, now).await?;
    access::log_in(
        &mut tx,
        now,
        user.id,
        AccessAction::Create,
        AccessPurpose::FieldWork,
        [input.citizen_id],
        AccessSubject::Forum,
    )
    .await?;
    let kept = one(&mut tx, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(kept)))
}

async fn outcome_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<OutcomeInput>,
) -> ApiResult<Json<ForumCase>> {
    let id: ForumCaseId = path_id(&raw, "id")?;
    takes_part(&user)?;
    let now = state.clock.now();
    let today = now.local_date();
    let mut tx = state.db.begin_write().await?;
    let kept = one(&mut tx, id).await?;
    let citizen = citizen_of(&kept)?;
    if !db::citizens::is_visible(&mut tx, &user.viewer(), citizen, today).await? {
        return Err(ApiError::Forbidden);
    }
    let mut errors = input.check(kept.session_on, today).err().unwrap_or_default();
    if let Some(owner) = input.follow_up_owner
        && !errors.iter().any(|e| e.field == "follow_up_owner")
    {
        let roles = db::users::roles_of(&mut tx, owner).await?;
        if !db::citizens::is_visible(&mut tx, &db::citizens::Viewer { user: owner, roles }, citizen, today).await? {
            errors.push(ValidationError::new("follow_up_owner", Problem::CannotSeeCitizen));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    db::forum::set_outcome(&mut tx, id, &input, user.id, now).await?;
    access::log_in(
        &mut tx,
        now,
        user.id,
        AccessAction::Change,
        AccessPurpose::FieldWork,
        [citizen],
        AccessSubject::Forum,
    )
    .await?;
    let kept = one(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(kept))
}

async fn citizen_forum_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
) -> ApiResult<Json<CitizenForum>> {
    let citizen: CitizenId = path_id(&raw, "id")?;
    let today = state.clock.now().local_date();
    let mut tx = state.db.begin_read().await?;
    if !db::citizens::is_visible(&mut tx, &user.viewer(), citizen, today).await? {
        return Err(ApiError::Forbidden);
    }
    let cases = db::forum::cases(&mut tx, db::forum::Which::Citizen(citizen)).await?;
    tx.commit().await?;
    if !cases.is_empty() {
        access::log_read(
            &state,
            user.id,
            AccessAction::Read,
            AccessPurpose::FieldWork,
            [citizen],
            Some(AccessSubject::Forum),
        )
        .await?;
    }
    Ok(Json(CitizenForum { cases }))
}
