//! Intensive courses (issue 15, seed 002's citizen-consultant model):
//!
//! - `GET /api/citizens/{id}/courses`: the citizen's courses, the
//!   consultant teams the user may run one in with their caseloads, the
//!   plan's goals ([`CitizenCourses`]); anyone who may see the citizen.
//! - `PUT /api/courses/{id}` ([`CourseInput`]): starts, changes or ends a
//!   course (201 new, 200 changed); 422 with every refused field.
//! - `POST /api/courses/{id}/statuses` ([`CourseStatusInput`]): a
//!   half-yearly status (201; 200 for a status id already kept).
//! - `GET /api/courses?from=&to=` ([`CoursesResponse`]): the courses a
//!   user follows in a period (default: this year to today) with each
//!   team's outcomes.
//!
//! Who writes: an administrator; a lead who is a member of the consultant
//! team; a member of the consultant team who is among the course's
//! consultants (seed 002: "myndigheds- og udførerfunktion er samlet hos
//! den enkelte borgerkonsulent"). Anyone else 403. Every read and write is
//! access-logged.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use shared::access::{AccessAction, AccessPurpose, AccessSubject};
use shared::api::TeamSummary;
use shared::assignment::Named;
use shared::course::{
    CitizenCourses, Course, CourseInput, CourseStatusInput, CourseTeam, CoursesResponse, TeamOutcomes,
};
use shared::user::Role;
use shared::{CitizenId, CourseId, Date, Problem, ValidationError};

use crate::access;
use crate::auth::CurrentUser;
use crate::db::{self, Conn};
use crate::error::{ApiError, ApiResult};
use crate::http::{ApiJson, Params, path_id};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/citizens/{id}/courses", get(citizen_courses_get))
        .route("/courses", get(courses_get))
        .route("/courses/{id}", put(course_put))
        .route("/courses/{id}/statuses", post(status_post))
}

/// The consultant teams `user` may run courses in: every one for an
/// administrator, else those they are a member of.
async fn writable_teams(conn: &mut Conn, user: &CurrentUser) -> anyhow::Result<Vec<TeamSummary>> {
    let teams = if user.has_role(Role::Admin) {
        db::org::all_teams(conn).await?
    } else {
        db::org::teams_of(conn, user.id).await?
    };
    Ok(teams.into_iter().filter(|t| t.consultant_team).collect())
}

/// Whether `user` may write `course` (as it is, `None` for a new one, and
/// as it will be): an administrator; a lead in the team; a consultant in
/// the team who is among its consultants before and after.
fn may_write(user: &CurrentUser, teams: &[TeamSummary], before: Option<&CourseInput>, after: &CourseInput) -> bool {
    if user.has_role(Role::Admin) {
        return true;
    }
    let in_team = |c: &CourseInput| teams.iter().any(|t| t.id == c.team_id);
    if !in_team(after) || before.is_some_and(|b| !in_team(b)) {
        return false;
    }
    user.has_role(Role::Lead)
        || (after.consultants.contains(&user.id) && before.is_none_or(|b| b.consultants.contains(&user.id)))
}

/// The teams with their consultants' caseloads on `today`.
async fn with_loads(conn: &mut Conn, teams: &[TeamSummary], today: Date) -> anyhow::Result<Vec<CourseTeam>> {
    let mut out = Vec::with_capacity(teams.len());
    for t in teams {
        out.push(CourseTeam {
            id: t.id,
            name: t.name.to_string(),
            consultants: db::courses::loads(conn, t.id, today).await?,
        });
    }
    Ok(out)
}

/// 403 unless `user` may see `citizen` on `today` (unknown citizens alike:
/// no probing).
async fn must_see(conn: &mut Conn, user: &CurrentUser, citizen: CitizenId, today: Date) -> ApiResult<()> {
    if db::citizens::is_visible(conn, &user.viewer(), citizen, today).await? {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

async fn citizen_courses_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
) -> ApiResult<Json<CitizenCourses>> {
    let citizen: CitizenId = path_id(&raw, "id")?;
    let today = state.clock.now().local_date();
    let mut tx = state.db.begin_read().await?;
    must_see(&mut tx, &user, citizen, today).await?;
    let courses = db::courses::courses(&mut tx, db::courses::Which::Citizen(citizen)).await?;
    let teams = writable_teams(&mut tx, &user).await?;
    let teams = with_loads(&mut tx, &teams, today).await?;
    let goals = db::plans::goals_of(&mut tx, &[citizen])
        .await?
        .into_iter()
        .map(|g| Named { id: g.fields.id, name: format!("{}. {}", g.fields.position, g.fields.citizen_wording) })
        .collect();
    tx.commit().await?;
    if !courses.is_empty() {
        access::log_read(
            &state,
            user.id,
            AccessAction::Read,
            AccessPurpose::Oversight,
            [citizen],
            Some(AccessSubject::Course),
        )
        .await?;
    }
    let may_write = !teams.is_empty();
    Ok(Json(CitizenCourses { courses, teams, goals, may_write }))
}

async fn course_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<CourseInput>,
) -> ApiResult<(StatusCode, Json<Course>)> {
    let id: CourseId = path_id(&raw, "id")?;
    let now = state.clock.now();
    let today = now.local_date();
    let mut tx = state.db.begin_write().await?;
    must_see(&mut tx, &user, input.citizen_id, today).await?;
    let existing = db::courses::courses(&mut tx, db::courses::Which::One(id)).await?.pop();
    if let Some(old) = &existing
        && (old.input.citizen_id != input.citizen_id || old.input.team_id != input.team_id)
    {
        // A course stays with its citizen and its team.
        let field = if old.input.citizen_id != input.citizen_id { "citizen_id" } else { "team_id" };
        return Err(ValidationError::new(field, Problem::Mismatch).into());
    }
    let teams = writable_teams(&mut tx, &user).await?;
    if !may_write(&user, &teams, existing.as_ref().map(|c| &c.input), &input) {
        return Err(if teams.iter().any(|t| t.id == input.team_id) || user.has_role(Role::Admin) {
            ApiError::Forbidden
        } else {
            ValidationError::new("team_id", Problem::UnknownValue).into()
        });
    }
    let team = db::org::team(&mut tx, input.team_id).await?.filter(|t| t.consultant_team);
    let mut errors = Vec::new();
    if team.is_none() {
        errors.push(ValidationError::new("team_id", Problem::UnknownValue));
    }
    let members = db::courses::loads(&mut tx, input.team_id, today).await?;
    if input.consultants.iter().any(|c| !members.iter().any(|m| m.user_id == *c)) {
        errors.push(ValidationError::new("consultants", Problem::UnknownValue));
    } else {
        for consultant in &input.consultants {
            let roles = db::users::roles_of(&mut tx, *consultant).await?;
            let viewer = db::citizens::Viewer { user: *consultant, roles };
            if !db::citizens::is_visible(&mut tx, &viewer, input.citizen_id, today).await? {
                errors.push(ValidationError::new("consultants", Problem::CannotSeeCitizen));
                break;
            }
        }
    }
    let goals: Vec<_> =
        db::plans::goals_of(&mut tx, &[input.citizen_id]).await?.into_iter().map(|g| g.fields.id).collect();
    if input.goals.iter().any(|g| !goals.contains(g)) {
        errors.push(ValidationError::new("goals", Problem::NotFound));
    }
    if let Some(offer) = input.offer_id
        && db::offers::one(&mut tx, offer).await?.is_none()
    {
        errors.push(ValidationError::new("offer_id", Problem::NotFound));
    }
    let others = db::courses::courses(&mut tx, db::courses::Which::Citizen(input.citizen_id)).await?;
    if let Err(found) = input.check(id, &others, today) {
        errors.extend(found);
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let created = db::courses::upsert(&mut tx, id, &input, user.id, now).await?;
    let action = if created { AccessAction::Create } else { AccessAction::Change };
    access::log_in(
        &mut tx,
        now,
        user.id,
        action,
        AccessPurpose::GrantDecision,
        [input.citizen_id],
        AccessSubject::Course,
    )
    .await?;
    let written = db::courses::courses(&mut tx, db::courses::Which::One(id)).await?.pop().ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    tracing::info!(by = %user.id, course = %id, created, ended = input.ended.is_some(), "a course written");
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(written)))
}

async fn status_post(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(status): ApiJson<CourseStatusInput>,
) -> ApiResult<(StatusCode, Json<Course>)> {
    let id: CourseId = path_id(&raw, "id")?;
    let now = state.clock.now();
    let today = now.local_date();
    let mut tx = state.db.begin_write().await?;
    let course = db::courses::courses(&mut tx, db::courses::Which::One(id)).await?.pop().ok_or(ApiError::NotFound)?;
    must_see(&mut tx, &user, course.input.citizen_id, today).await?;
    let teams = writable_teams(&mut tx, &user).await?;
    if !may_write(&user, &teams, Some(&course.input), &course.input) {
        return Err(ApiError::Forbidden);
    }
    if let Some(kept) = db::courses::status_course(&mut tx, status.id).await? {
        if kept != id {
            return Err(ValidationError::new("id", Problem::Taken).into());
        }
        tx.commit().await?;
        return Ok((StatusCode::OK, Json(course)));
    }
    status.check(&course.input, today)?;
    db::courses::add_status(&mut tx, id, &status, user.id, now).await?;
    access::log_in(
        &mut tx,
        now,
        user.id,
        AccessAction::Change,
        AccessPurpose::Oversight,
        [course.input.citizen_id],
        AccessSubject::Course,
    )
    .await?;
    let written = db::courses::courses(&mut tx, db::courses::Which::One(id)).await?.pop().ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(written)))
}

async fn courses_get(
    State(state): State<AppState>,
    user: CurrentUser,
    params: Params,
) -> ApiResult<Json<CoursesResponse>> {
    let today = state.clock.now().local_date();
    let to: Date = params.optional("to")?.unwrap_or(today);
    let from: Date = params.optional("from")?.unwrap_or_else(|| Date::new(to.year(), 1, 1).unwrap_or(to));
    if to < from {
        return Err(ValidationError::new("to", Problem::BeforeStartDay).into());
    }
    let mut tx = state.db.begin_read().await?;
    let teams = writable_teams(&mut tx, &user).await?;
    let courses = if user.has_role(Role::Admin) || user.has_role(Role::Lead) {
        let ids: Vec<_> = teams.iter().map(|t| t.id).collect();
        db::courses::courses(&mut tx, db::courses::Which::Teams { teams: &ids, from, to }).await?
    } else {
        db::courses::courses(&mut tx, db::courses::Which::Consultant { user: user.id, from, to }).await?
    };
    if teams.is_empty() && courses.is_empty() {
        return Err(ApiError::Forbidden);
    }
    let outcomes = teams.iter().map(|t| TeamOutcomes::of(t.id, &courses, from, to)).collect();
    let teams = with_loads(&mut tx, &teams, today).await?;
    tx.commit().await?;
    let citizens: Vec<CitizenId> = courses.iter().map(|c| c.input.citizen_id).collect();
    access::log_read(
        &state,
        user.id,
        AccessAction::Read,
        AccessPurpose::Oversight,
        citizens,
        Some(AccessSubject::Course),
    )
    .await?;
    Ok(Json(CoursesResponse { from, to, teams, courses, outcomes }))
}
