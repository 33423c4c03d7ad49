//! The coordination and visitation committee (issue 16, seed 001):
//!
//! - `PUT /api/referrals/{id}` ([`ReferralInput`]): a worker, mentor or
//!   coordinator proposes a citizen they work with (201; 200 for the same
//!   proposal again). 422 `citizen_id` `cannot_see_citizen` for a citizen
//!   they do not work with, `already_proposed` while another proposal is
//!   open; 403 for anyone without those roles.
//! - `PUT /api/referrals/{id}/screening` ([`ScreeningInput`]): a lead
//!   refers the case or not (200). 422 `decision` `already_decided` when a
//!   lead was first.
//! - `GET /api/committee` ([`CommitteeResponse`]): leads and
//!   administrators; the meetings, the proposals awaiting a lead, the
//!   agenda, the closed ones.
//! - `PUT /api/committee/meetings/{id}` ([`CommitteeMeetingInput`]): a
//!   lead plans a meeting (201 new, 200 moved). 422 `on` `in_past`,
//!   `too_far_ahead`, `taken`.
//! - `PUT /api/referrals/{id}/decision` ([`CommitteeDecisionInput`]): a
//!   lead records the committee's decision on a referred case (200): the
//!   coordinating case worker becomes the citizen's coordinator. 422
//!   `meeting_id` `not_found`, `coordinator_id` `unknown_value`, `areas`,
//!   `plan_start` (every problem at once), `decision` `already_decided`;
//!   409 `not_referred` for a case no lead has referred.
//! - `GET /api/referrals?citizen={id}` (who may see the citizen) or
//!   `?mine=1` ([`ReferralsResponse`]).
//! - `POST /api/referrals/{id}/seen`: the proposer has seen the latest
//!   outcome (204).
//!
//! Every read and write of a citizen's proposal is access-logged: a
//! proposal and a citizen's list for field work, the lead's and the
//! committee's decisions and their page as grant decisions (visitation).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use shared::access::{AccessAction, AccessPurpose, AccessSubject};
use shared::committee::{
    CommitteeDecisionInput, CommitteeMeeting, CommitteeMeetingInput, CommitteeResponse, Referral, ReferralInput,
    ReferralsResponse, ScreeningInput, Stage, next_meeting,
};
use shared::user::Role;
use shared::{CitizenId, CommitteeMeetingId, Localized, Problem, ReferralId, ValidationError};

use crate::access;
use crate::auth::CurrentUser;
use crate::db::{self, Conn};
use crate::error::{ApiError, ApiResult};
use crate::http::{ApiJson, Params, path_id};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/committee", get(committee_get))
        .route("/committee/meetings/{id}", put(meeting_put))
        .route("/referrals", get(referrals_get))
        .route("/referrals/{id}", put(referral_put))
        .route("/referrals/{id}/screening", put(screening_put))
        .route("/referrals/{id}/decision", put(decision_put))
        .route("/referrals/{id}/seen", post(seen_post))
}

/// Proposals closed this long ago still show on the committee's page.
const CLOSED_SHOWN_DAYS: i64 = 90;

/// Who proposes: those who work with citizens.
fn proposes(user: &CurrentUser) -> bool {
    [Role::Worker, Role::Mentor, Role::Coordinator].into_iter().any(|r| user.has_role(r))
}

/// Who screens and records the committee's decisions: leads (seed 001: "en
/// leder inden for et af de tre områder") and administrators.
fn committee_member(user: &CurrentUser) -> ApiResult<()> {
    if user.has_role(Role::Lead) || user.has_role(Role::Admin) { Ok(()) } else { Err(ApiError::Forbidden) }
}

async fn one(conn: &mut Conn, id: ReferralId) -> ApiResult<Referral> {
    db::committee::referrals(conn, db::committee::Which::One(id)).await?.pop().ok_or(ApiError::NotFound)
}

/// Logs `action` for `purpose` on `citizen`'s proposal in the write's transaction and
/// reads proposal `id` back as it now is.
async fn logged(
    conn: &mut Conn,
    state: &AppState,
    user: &CurrentUser,
    citizen: CitizenId,
    (action, purpose): (AccessAction, AccessPurpose),
    id: ReferralId,
) -> ApiResult<Referral> {
    access::log_in(conn, state.clock.now(), user.id, action, purpose, [citizen], AccessSubject::Committee).await?;
    one(conn, id).await
}

async fn referral_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<ReferralInput>,
) -> ApiResult<(StatusCode, Json<Referral>)> {
    let id: ReferralId = path_id(&raw, "id")?;
    if !proposes(&user) {
        return Err(ApiError::Forbidden);
    }
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    if let Some(kept) = db::committee::referrals(&mut tx, db::committee::Which::One(id)).await?.pop() {
        // The same proposal sent again (a retry): as it is.
        if kept.proposed_by == user.id && kept.citizen_id == input.citizen_id && kept.reason == input.reason {
            tx.commit().await?;
            return Ok((StatusCode::OK, Json(kept)));
        }
        return Err(ApiError::Conflict {
            code: "id_taken",
            message: Localized::new("Forslaget findes allerede.", "The proposal exists already."),
        });
    }
    if !db::citizens::is_visible(&mut tx, &user.viewer(), input.citizen_id, now.local_date()).await? {
        return Err(ValidationError::new("citizen_id", Problem::CannotSeeCitizen).into());
    }
    let earlier = db::committee::referrals(&mut tx, db::committee::Which::Citizen(input.citizen_id)).await?;
    if earlier.iter().any(Referral::is_open) {
        return Err(ValidationError::new("citizen_id", Problem::AlreadyProposed).into());
    }
    db::committee::insert(&mut tx, id, &input, user.id, now).await?;
    let kept =
        logged(&mut tx, &state, &user, input.citizen_id, (AccessAction::Create, AccessPurpose::FieldWork), id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(kept)))
}

async fn screening_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<ScreeningInput>,
) -> ApiResult<Json<Referral>> {
    let id: ReferralId = path_id(&raw, "id")?;
    committee_member(&user)?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let kept = one(&mut tx, id).await?;
    if !db::committee::screen(&mut tx, id, &input, user.id, now).await? {
        return Err(ValidationError::new("decision", Problem::AlreadyDecided).into());
    }
    let kept =
        logged(&mut tx, &state, &user, kept.citizen_id, (AccessAction::Change, AccessPurpose::GrantDecision), id)
            .await?;
    tx.commit().await?;
    Ok(Json(kept))
}

async fn committee_get(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<CommitteeResponse>> {
    committee_member(&user)?;
    let now = state.clock.now();
    let mut tx = state.db.begin_read().await?;
    let since = now.local_date().add_days(-CLOSED_SHOWN_DAYS);
    let referrals = db::committee::referrals(
        &mut tx,
        db::committee::Which::Committee { closed_since: shared::Timestamp::from_local(since, 0) },
    )
    .await?;
    let meetings = db::committee::meetings(&mut tx, now.local_date().add_days(-31)).await?;
    let coordinators = db::committee::users_with(&mut tx, &[Role::Coordinator]).await?;
    let areas = db::org::areas(&mut tx)
        .await?
        .into_iter()
        .map(|a| shared::assignment::Named { id: a.id, name: a.name.to_string() })
        .collect();
    tx.commit().await?;
    let citizens: Vec<CitizenId> = referrals.iter().map(|r| r.citizen_id).collect();
    access::log_read(
        &state,
        user.id,
        AccessAction::Read,
        AccessPurpose::GrantDecision,
        citizens,
        Some(AccessSubject::Committee),
    )
    .await?;
    Ok(Json(CommitteeResponse { meetings, referrals, coordinators, areas, generated_at: now }))
}

async fn meeting_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<CommitteeMeetingInput>,
) -> ApiResult<(StatusCode, Json<CommitteeMeeting>)> {
    let id: CommitteeMeetingId = path_id(&raw, "id")?;
    committee_member(&user)?;
    let status = put_coming_day(&state, &user, db::committee::Days::Committee, &id.to_string(), input.on).await?;
    Ok((status, Json(CommitteeMeeting { id, on: input.on })))
}

/// Plans or moves a standing meeting (the committee's, the sparring
/// forum's) on `on`: 201 new, 200 moved. 422 `on` as
/// `shared::committee::check_coming_day`, `taken` for a day another
/// meeting has.
pub(crate) async fn put_coming_day(
    state: &AppState,
    user: &CurrentUser,
    days: db::committee::Days,
    id: &str,
    on: shared::Date,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    shared::committee::check_coming_day(on, now.local_date())?;
    let mut tx = state.db.begin_write().await?;
    let status = match db::committee::put_day(&mut tx, days, id, on, user.id, now).await? {
        db::committee::DayWrite::Taken => return Err(ValidationError::new("on", Problem::Taken).into()),
        db::committee::DayWrite::Created => StatusCode::CREATED,
        db::committee::DayWrite::Moved => StatusCode::OK,
    };
    tx.commit().await?;
    Ok(status)
}

async fn decision_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<CommitteeDecisionInput>,
) -> ApiResult<Json<Referral>> {
    let id: ReferralId = path_id(&raw, "id")?;
    committee_member(&user)?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let kept = one(&mut tx, id).await?;
    match kept.stage() {
        Stage::AwaitingCommittee => {}
        Stage::Decided => return Err(ValidationError::new("decision", Problem::AlreadyDecided).into()),
        Stage::AwaitingLead | Stage::NotReferred => {
            return Err(ApiError::Conflict {
                code: "not_referred",
                message: Localized::new(
                    "Ingen leder har henvist borgeren til udvalget.",
                    "No lead has referred the citizen to the committee.",
                ),
            });
        }
    }
    let mut errors = Vec::new();
    let meeting = db::committee::meeting(&mut tx, input.meeting_id).await?;
    if meeting.is_none() {
        errors.push(ValidationError::new("meeting_id", Problem::NotFound));
    }
    let coordinators = db::committee::users_with(&mut tx, &[Role::Coordinator]).await?;
    if !coordinators.iter().any(|c| c.id == input.coordinator_id) {
        errors.push(ValidationError::new("coordinator_id", Problem::UnknownValue));
    }
    let areas = db::org::areas(&mut tx).await?;
    if input.areas.iter().any(|a| !areas.iter().any(|x| x.id == *a)) {
        errors.push(ValidationError::new("areas", Problem::UnknownValue));
    }
    if let Some(meeting) = &meeting
        && let Err(more) = input.check(meeting.on)
    {
        let more: Vec<_> = more.into_iter().filter(|e| !errors.iter().any(|x| x.field == e.field)).collect();
        errors.extend(more);
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if !db::committee::decide(&mut tx, id, &input, user.id, now).await? {
        return Err(ValidationError::new("decision", Problem::AlreadyDecided).into());
    }
    // The coordinating case worker the committee appointed becomes the
    // citizen's coordinator (the one entrance), through the same write as
    // the administrator's: the phones that see the citizen hear of it.
    let mut citizen =
        db::admin::citizens(&mut tx, Some(&[kept.citizen_id.to_string()])).await?.pop().ok_or(ApiError::NotFound)?;
    if citizen.input.coordinator_id != Some(input.coordinator_id) {
        citizen.input.coordinator_id = Some(input.coordinator_id);
        let mut stamper = db::changes::Stamper::new();
        db::admin::upsert_citizen(&mut tx, &mut stamper, kept.citizen_id, &citizen.input).await?;
        stamper.finish(&mut tx).await?;
    }
    let kept =
        logged(&mut tx, &state, &user, kept.citizen_id, (AccessAction::Change, AccessPurpose::GrantDecision), id)
            .await?;
    tx.commit().await?;
    Ok(Json(kept))
}

async fn referrals_get(
    State(state): State<AppState>,
    user: CurrentUser,
    params: Params,
) -> ApiResult<Json<ReferralsResponse>> {
    let now = state.clock.now();
    let today = now.local_date();
    let mut tx = state.db.begin_read().await?;
    let citizen: Option<CitizenId> = params.optional("citizen")?;
    let (referrals, may_propose) = match citizen {
        Some(citizen) => {
            if !db::citizens::is_visible(&mut tx, &user.viewer(), citizen, today).await? {
                return Err(ApiError::Forbidden);
            }
            let referrals = db::committee::referrals(&mut tx, db::committee::Which::Citizen(citizen)).await?;
            let may = proposes(&user) && !referrals.iter().any(Referral::is_open);
            (referrals, may)
        }
        None if params.optional::<String>("mine")?.is_some() => {
            (db::committee::referrals(&mut tx, db::committee::Which::ProposedBy(user.id)).await?, false)
        }
        None => return Err(ValidationError::new("citizen", Problem::Required).into()),
    };
    let meetings = db::committee::meetings(&mut tx, today).await?;
    tx.commit().await?;
    let citizens: Vec<CitizenId> = referrals.iter().map(|r| r.citizen_id).collect();
    access::log_read(
        &state,
        user.id,
        AccessAction::Read,
        AccessPurpose::FieldWork,
        citizens,
        Some(AccessSubject::Committee),
    )
    .await?;
    Ok(Json(ReferralsResponse { referrals, next_meeting: next_meeting(&meetings, today).copied(), may_propose }))
}

async fn seen_post(State(state): State<AppState>, user: CurrentUser, Path(raw): Path<String>) -> ApiResult<StatusCode> {
    let id: ReferralId = path_id(&raw, "id")?;
    let mut tx = state.db.begin_write().await?;
    let kept = one(&mut tx, id).await?;
    if kept.proposed_by != user.id {
        return Err(ApiError::Forbidden);
    }
    db::committee::seen(&mut tx, id, kept.stage()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
