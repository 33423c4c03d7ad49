//! Administration: areas, teams, users, citizens and assignments. Admins
//! write everything; a lead reads their own teams' people and the citizens
//! they see, and assigns their team's members to those citizens. Every write
//! is a `PUT` of the whole record to an id the client chose, so a retry
//! after a lost answer is harmless: 201 when created, 200 when changed.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use shared::admin::{AdminDirectory, AdminUser, AreaInput, AssignmentInput, CitizenInput, TeamInput, UserInput};
use shared::api::TeamSummary;
use shared::assignment::{Assignment, HandedOver, Handover, HandoverInput, HandoverOptions, Named};
use shared::time::DateRange;
use shared::user::Role;
use shared::{AreaId, AssignmentId, CitizenId, Localized, Problem, TeamId, UserId, ValidationError};

use shared::access::{AccessAction, AccessPurpose, AccessSubject};

use crate::access;
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::http::{ApiJson, path_id};
use crate::password;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(directory_get))
        .route("/admin/areas/{id}", put(area_put))
        .route("/admin/teams/{id}", put(team_put))
        .route("/admin/users/{id}", put(user_put))
        .route("/admin/citizens/{id}", put(citizen_put))
        .route("/admin/assignments/{id}", put(assignment_put).delete(assignment_delete))
        .route("/admin/scheme", get(scheme_get).put(scheme_put))
        .route("/handovers", axum::routing::post(handover_post))
        .route("/handovers/{user}", get(handover_options_get))
}

fn created(created: bool) -> StatusCode {
    if created { StatusCode::CREATED } else { StatusCode::OK }
}

fn admin_only(user: &CurrentUser) -> ApiResult<()> {
    if user.has_role(Role::Admin) { Ok(()) } else { Err(ApiError::Forbidden) }
}

/// The municipality's classification scheme (issue 14): its layers in order.
/// Anyone who sees figures or reviews reads it with them; here for the
/// administrator's editor.
async fn scheme_get(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<shared::review::Scheme>> {
    admin_only(&user)?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(db::review::scheme(&mut conn).await?))
}

/// Replaces the scheme (issue 14: "an administrator can define another
/// without a code change"): checked whole (`Scheme::check`), refused at
/// its fields, and refused at `layers` (`layer_in_use`) when it would drop
/// a layer classified citizens hold; nothing is saved half. The phones get
/// the layers' new names by sync.
async fn scheme_put(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(scheme): ApiJson<shared::review::Scheme>,
) -> ApiResult<Json<shared::review::Scheme>> {
    admin_only(&user)?;
    let mut tx = state.db.begin_write().await?;
    let in_use = db::review::layers_in_use(&mut tx).await?;
    let was = db::review::scheme(&mut tx).await?;
    let held: Vec<_> = was.layers.iter().filter(|l| in_use.contains(&l.code)).collect();
    scheme.check(&held).map_err(ApiError::Validation)?;
    let mut stamper = db::changes::Stamper::new();
    db::review::set_scheme(&mut tx, &mut stamper, &scheme).await?;
    stamper.finish(&mut tx).await?;
    let written = db::review::scheme(&mut tx).await?;
    tx.commit().await?;
    tracing::info!(admin = %user.id, layers = written.layers.len(), "classification scheme written");
    Ok(Json(written))
}

/// Everything the administration screens list, as the asker may see it.
async fn directory_get(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<AdminDirectory>> {
    let now = state.clock.now();
    let mut tx = state.db.begin_read().await?;
    let directory = if user.has_role(Role::Admin) {
        AdminDirectory {
            areas: db::org::areas(&mut tx).await?,
            teams: db::org::all_teams(&mut tx).await?,
            users: db::admin::users(&mut tx, None).await?,
            citizens: db::admin::citizens(&mut tx, None).await?,
            assignments: db::admin::assignments(&mut tx, None).await?,
            generated_at: now,
        }
    } else if user.has_role(Role::Lead) {
        let teams = db::org::teams_of(&mut tx, user.id).await?;
        let team_ids: Vec<TeamId> = teams.iter().map(|t| t.id).collect();
        let visible = db::citizens::visible_ids(&mut tx, &user.viewer(), now.local_date()).await?;
        AdminDirectory {
            areas: db::org::areas(&mut tx).await?,
            users: db::admin::users(&mut tx, Some(&team_ids)).await?,
            teams,
            citizens: db::admin::citizens(&mut tx, Some(&visible)).await?,
            assignments: db::admin::assignments(&mut tx, Some(&visible)).await?,
            generated_at: now,
        }
    } else {
        return Err(ApiError::Forbidden);
    };
    tx.commit().await?;
    let citizens: Vec<_> = directory.citizens.iter().map(|c| c.id).collect();
    access::log_read(&state, user.id, AccessAction::Read, AccessPurpose::Administration, citizens, None).await?;
    Ok(Json(directory))
}

async fn area_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<AreaInput>,
) -> ApiResult<(StatusCode, Json<AreaInput>)> {
    let id: AreaId = path_id(&raw, "id")?;
    admin_only(&user)?;
    let mut tx = state.db.begin_write().await?;
    if db::admin::area_name_taken(&mut tx, input.name.as_str(), id).await? {
        return Err(ValidationError::new("name", Problem::Taken).into());
    }
    let existing = db::org::areas(&mut tx).await?.into_iter().find(|a| a.id == id);
    if let Some(area) = &existing
        && area.kind != input.kind
        && db::admin::area_in_use(&mut tx, id).await?
    {
        // The payer rule and drawing rights read an area's kind.
        return Err(ApiError::Conflict {
            code: "area_in_use",
            message: Localized::new(
                "Områdets type kan ikke ændres, når det har teams, bevillinger eller trækningsretter.",
                "The area's kind cannot change while it has teams, grants or drawing rights.",
            ),
        });
    }
    let was_created = db::admin::upsert_area(&mut tx, id, &input).await?;
    tx.commit().await?;
    tracing::info!(admin = %user.id, area = %id, created = was_created, "area written");
    Ok((created(was_created), Json(input)))
}

async fn team_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<TeamInput>,
) -> ApiResult<(StatusCode, Json<TeamSummary>)> {
    let id: TeamId = path_id(&raw, "id")?;
    admin_only(&user)?;
    let mut tx = state.db.begin_write().await?;
    if !db::org::areas(&mut tx).await?.iter().any(|a| a.id == input.area_id) {
        return Err(ValidationError::new("area_id", Problem::NotFound).into());
    }
    if let Some(area) = db::admin::team_area(&mut tx, id).await?
        && area != input.area_id
    {
        // Reports, pools and approvals hang on a team's area.
        return Err(ApiError::Conflict {
            code: "team_area_fixed",
            message: Localized::new(
                "Et team kan ikke flytte til et andet område. Opret et nyt team.",
                "A team cannot move to another area. Create a new team.",
            ),
        });
    }
    if db::admin::team_name_taken(&mut tx, &input, id).await? {
        return Err(ValidationError::new("name", Problem::Taken).into());
    }
    let was_created = db::admin::upsert_team(&mut tx, id, &input).await?;
    let team = db::org::team(&mut tx, id).await?.ok_or_else(|| anyhow::anyhow!("team {id} vanished"))?;
    tx.commit().await?;
    tracing::info!(admin = %user.id, team = %id, created = was_created, "team written");
    Ok((created(was_created), Json(team)))
}

async fn user_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<UserInput>,
) -> ApiResult<(StatusCode, Json<AdminUser>)> {
    let id: UserId = path_id(&raw, "id")?;
    admin_only(&user)?;
    let mut roles = input.roles.clone();
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Err(ValidationError::new("roles", Problem::Required).into());
    }
    if id == user.id && (!input.active || !roles.contains(&Role::Admin)) {
        // Someone must be left to administer.
        return Err(ApiError::Conflict {
            code: "own_admin",
            message: Localized::new(
                "Du kan ikke deaktivere dig selv eller fjerne din egen administratorrolle.",
                "You cannot deactivate yourself or remove your own administrator role.",
            ),
        });
    }
    // Hash before the write transaction: argon2 takes a while.
    let hash = match &input.temporary_password {
        Some(p) => Some(password::hash(p.expose().to_owned()).await?),
        None => None,
    };
    let mut teams = input.team_ids.clone();
    teams.sort();
    teams.dedup();
    // Only an area head heads areas (at least one): the list of anyone
    // else is dropped.
    let mut areas = if roles.contains(&Role::AreaHead) { input.area_ids.clone() } else { Vec::new() };
    areas.sort();
    areas.dedup();
    if roles.contains(&Role::AreaHead) && areas.is_empty() {
        return Err(ValidationError::new("area_ids", Problem::Required).into());
    }
    if input.course_post.is_some_and(|p| p > 100) {
        return Err(ValidationError::new("course_post", Problem::OutOfRange { min: 0, max: 100 }).into());
    }
    let mut tx = state.db.begin_write().await?;
    let existing = db::admin::user_state(&mut tx, id).await?;
    if existing.is_none() && hash.is_none() {
        return Err(ValidationError::new("temporary_password", Problem::Required).into());
    }
    if db::admin::username_taken(&mut tx, &input.username, id).await? {
        return Err(ValidationError::new("username", Problem::Taken).into());
    }
    let known: Vec<TeamId> = db::org::all_teams(&mut tx).await?.iter().map(|t| t.id).collect();
    if let Some(i) = teams.iter().position(|t| !known.contains(t)) {
        return Err(ValidationError::new(format!("team_ids[{i}]"), Problem::NotFound).into());
    }
    let known: Vec<AreaId> = db::org::areas(&mut tx).await?.iter().map(|a| a.id).collect();
    if let Some(i) = areas.iter().position(|a| !known.contains(a)) {
        return Err(ValidationError::new(format!("area_ids[{i}]"), Problem::NotFound).into());
    }
    let write = db::admin::UserWrite {
        id,
        username: &input.username,
        name: &input.name,
        roles: &roles,
        teams: &teams,
        areas: &areas,
        active: input.active,
        course_post: input.course_post,
        password_hash: hash.as_deref(),
    };
    let was_created = db::admin::upsert_user(&mut tx, write, state.clock.now()).await?;
    let written = db::admin::users(&mut tx, None)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or_else(|| anyhow::anyhow!("user {id} vanished"))?;
    tx.commit().await?;
    tracing::info!(admin = %user.id, user = %id, created = was_created, active = input.active, "user written");
    Ok((created(was_created), Json(written)))
}

async fn citizen_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<CitizenInput>,
) -> ApiResult<(StatusCode, Json<shared::admin::AdminCitizen>)> {
    let id: CitizenId = path_id(&raw, "id")?;
    admin_only(&user)?;
    if input.birth.first_day() > state.clock.now().local_date() {
        return Err(ValidationError::new("birth", Problem::InFuture).into());
    }
    let mut tx = state.db.begin_write().await?;
    if let Some(coordinator) = input.coordinator_id
        && !db::admin::user_state(&mut tx, coordinator).await?.is_some_and(|(_, active)| active)
    {
        return Err(ValidationError::new("coordinator_id", Problem::NotFound).into());
    }
    if let Some(external) = &input.external_id
        && db::admin::external_id_taken(&mut tx, external, id).await?
    {
        return Err(ValidationError::new("external_id", Problem::Taken).into());
    }
    let mut stamper = db::changes::Stamper::new();
    let was_created = db::admin::upsert_citizen(&mut tx, &mut stamper, id, &input).await?;
    let action = if was_created { AccessAction::Create } else { AccessAction::Change };
    access::log_in(
        &mut tx,
        state.clock.now(),
        user.id,
        action,
        AccessPurpose::Administration,
        [id],
        AccessSubject::Citizen,
    )
    .await?;
    stamper.finish(&mut tx).await?;
    tx.commit().await?;
    tracing::info!(admin = %user.id, citizen = %id, created = was_created, "citizen written");
    Ok((created(was_created), Json(shared::admin::AdminCitizen { id, input })))
}

/// Whether `user` may assign `worker` to `citizen`: an admin anyone; a lead
/// members of their teams to citizens they see.
async fn may_assign(
    tx: &mut db::Conn,
    user: &CurrentUser,
    worker: UserId,
    citizen: CitizenId,
    today: shared::Date,
) -> ApiResult<()> {
    if user.has_role(Role::Admin) {
        return Ok(());
    }
    if !user.has_role(Role::Lead) {
        return Err(ApiError::Forbidden);
    }
    let mates = db::org::team_mates(tx, user.id).await?;
    let sees = db::citizens::is_visible(tx, &user.viewer(), citizen, today).await?;
    if mates.contains(&worker) && sees { Ok(()) } else { Err(ApiError::Forbidden) }
}

/// Removes an assignment that has not begun (or begins today): a mistake
/// to undo, not a history to end. One that has run is ended with a
/// `valid_to` instead, so the record of who worked with whom stays.
async fn assignment_delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
) -> ApiResult<StatusCode> {
    let id: AssignmentId = path_id(&raw, "id")?;
    let today = state.clock.now().local_date();
    let mut tx = state.db.begin_write().await?;
    let Some(old) = db::admin::assignment(&mut tx, id).await? else {
        return Err(ApiError::NotFound);
    };
    may_assign(&mut tx, &user, old.user_id, old.citizen_id, today).await?;
    if old.period.from() < today {
        return Err(ApiError::Conflict {
            code: "assignment_has_run",
            message: Localized::new(
                "Tilknytningen har været i brug; afslut den med en slutdato i stedet.",
                "The assignment has been in use; end it with an end date instead.",
            ),
        });
    }
    let mut stamper = db::changes::Stamper::new();
    db::admin::delete_assignment(&mut tx, &mut stamper, &old).await?;
    let now = state.clock.now();
    access::log_in(
        &mut tx,
        now,
        user.id,
        AccessAction::Delete,
        AccessPurpose::Administration,
        [old.citizen_id],
        AccessSubject::Assignment,
    )
    .await?;
    stamper.finish(&mut tx).await?;
    tx.commit().await?;
    tracing::info!(by = %user.id, assignment = %id, "assignment removed");
    Ok(StatusCode::NO_CONTENT)
}

/// An admin assigns anyone; a lead assigns members of their teams to
/// citizens they see.
async fn assignment_put(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<AssignmentInput>,
) -> ApiResult<(StatusCode, Json<AssignmentInput>)> {
    let id: AssignmentId = path_id(&raw, "id")?;
    let today = state.clock.now().local_date();
    let mut tx = state.db.begin_write().await?;
    may_assign(&mut tx, &user, input.user_id, input.citizen_id, today).await?;
    if db::citizens::citizen(&mut tx, input.citizen_id).await?.is_none() {
        return Err(ValidationError::new("citizen_id", Problem::NotFound).into());
    }
    if !db::admin::user_state(&mut tx, input.user_id).await?.is_some_and(|(_, active)| active) {
        return Err(ValidationError::new("user_id", Problem::NotFound).into());
    }
    if let Some(old) = db::admin::assignment(&mut tx, id).await? {
        // Who works with whom is the assignment itself; only its period
        // changes (end it and make a new one to move a citizen).
        if old.citizen_id != input.citizen_id {
            return Err(ValidationError::new("citizen_id", Problem::InvalidFormat).into());
        }
        if old.user_id != input.user_id {
            return Err(ValidationError::new("user_id", Problem::InvalidFormat).into());
        }
    }
    let mut stamper = db::changes::Stamper::new();
    let was_created = db::admin::upsert_assignment(&mut tx, &mut stamper, id, &input).await?;
    let action = if was_created { AccessAction::Create } else { AccessAction::Change };
    let now = state.clock.now();
    access::log_in(
        &mut tx,
        now,
        user.id,
        action,
        AccessPurpose::Administration,
        [input.citizen_id],
        AccessSubject::Assignment,
    )
    .await?;
    stamper.finish(&mut tx).await?;
    tx.commit().await?;
    tracing::info!(by = %user.id, assignment = %id, created = was_created, "assignment written");
    Ok((created(was_created), Json(input)))
}

/// Who may hand `worker`'s citizens over: an administrator, or a lead of
/// a team `worker` is in. Anyone else: 403.
async fn may_hand_over(tx: &mut db::Conn, user: &CurrentUser, worker: UserId) -> ApiResult<()> {
    if user.has_role(Role::Admin) {
        return Ok(());
    }
    if user.has_role(Role::Lead) && db::org::team_mates(tx, user.id).await?.contains(&worker) {
        return Ok(());
    }
    Err(ApiError::Forbidden)
}

/// The citizens assigned to `worker` after today (what a handover from
/// today can move) and the colleagues who may take them over (issue 14: "overdragelse af borgere"). Names citizens: logged.
async fn handover_options_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
) -> ApiResult<Json<HandoverOptions>> {
    let worker: UserId = path_id(&raw, "user")?;
    let today = state.clock.now().local_date();
    let mut tx = state.db.begin_read().await?;
    may_hand_over(&mut tx, &user, worker).await?;
    let users = db::admin::users(&mut tx, None).await?;
    let Some(who) = users.iter().find(|u| u.id == worker) else {
        return Err(ApiError::NotFound);
    };
    let handed = db::admin::handed_over_from(&mut tx, worker, today).await?;
    let assigned: Vec<Assignment> = db::admin::assignments_from(&mut tx, worker, today)
        .await?
        .into_iter()
        .filter(|a| a.period.to().is_none_or(|to| to > today))
        .filter(|a| !handed.iter().any(|h| h.citizen_id == a.citizen_id))
        .collect();
    let mut keys: Vec<String> = assigned.iter().chain(&handed).map(|a| a.citizen_id.to_string()).collect();
    keys.sort();
    keys.dedup();
    let citizens = db::admin::citizens(&mut tx, Some(&keys)).await?;
    let mates = if user.has_role(Role::Admin) { None } else { Some(db::org::team_mates(&mut tx, user.id).await?) };
    tx.commit().await?;
    let mut candidates: Vec<Named<UserId>> = users
        .iter()
        .filter(|u| u.active && u.id != worker)
        .filter(|u| u.roles.iter().any(|r| matches!(r, Role::Worker | Role::Mentor | Role::Lead)))
        .filter(|u| mates.as_ref().is_none_or(|m| m.contains(&u.id)))
        .map(|u| Named { id: u.id, name: u.name.to_string() })
        .collect();
    candidates.sort_by(|a, b| a.name.cmp(&b.name));
    let name_of =
        |id: CitizenId| citizens.iter().find(|c| c.id == id).map(|c| Named { id, name: c.input.name.to_string() });
    let mut named: Vec<Named<CitizenId>> = citizens
        .iter()
        .filter(|c| assigned.iter().any(|a| a.citizen_id == c.id))
        .map(|c| Named { id: c.id, name: c.input.name.to_string() })
        .collect();
    named.sort_by(|a, b| a.name.cmp(&b.name));
    let handed_over: Vec<HandedOver> = handed
        .iter()
        .filter_map(|a| {
            Some(HandedOver {
                citizen: name_of(a.citizen_id)?,
                to: Named { id: a.user_id, name: a.user_name.clone().unwrap_or_default() },
                on: a.period.from(),
            })
        })
        .collect();
    access::log_read(
        &state,
        user.id,
        AccessAction::Read,
        AccessPurpose::Administration,
        citizens.iter().map(|c| c.id).collect::<Vec<_>>(),
        Some(AccessSubject::Handover),
    )
    .await?;
    Ok(Json(HandoverOptions {
        worker: Named { id: who.id, name: who.name.to_string() },
        citizens: named,
        candidates,
        handed_over,
    }))
}

/// Hands citizens of one worker over to others from a date, in one step
/// (issue 14, seed 000). Each of the worker's assignments to the citizen
/// that runs on or after the date ends on the date itself — both are
/// assigned that day, so what the worker logs that day (offline, or a
/// running timer) still syncs — or goes, if it would only begin later; the
/// new one runs from the date to the latest of their ends (open if any
/// is) and carries the note, which reaches the new worker's phone by sync.
/// All or nothing: every problem is answered at its field (`on`, `to`,
/// `to[i].user_id`: `same_person`, `not_found` for someone who is not an
/// active worker, mentor or lead, `taken` when already assigned in that
/// span; `to[i].citizen_id`: `handed_over` when the worker handed the
/// citizen over on or before the date already, `worker_not_assigned` when
/// the worker has no
/// assignment to the citizen from that day), nothing saved half.
async fn handover_post(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<HandoverInput>,
) -> ApiResult<(StatusCode, Json<Vec<Assignment>>)> {
    let today = state.clock.now().local_date();
    input.check(today).map_err(ApiError::Validation)?;
    let mut tx = state.db.begin_write().await?;
    may_hand_over(&mut tx, &user, input.from).await?;
    // What runs after `on` is what there is to hand over: an assignment
    // that ends on `on` (one handed over today already) has nothing left.
    let running: Vec<Assignment> = db::admin::assignments_from(&mut tx, input.from, input.on)
        .await?
        .into_iter()
        .filter(|a| a.period.to().is_none_or(|to| to > input.on))
        .collect();
    let mut errors = Vec::new();
    let mut moves = Vec::new();
    // Each colleague taking citizens over is read once, however many
    // citizens they take: whether they may (active, a worker, mentor or
    // lead) and what they are assigned from the date.
    let mut colleagues: std::collections::HashMap<UserId, (bool, Vec<Assignment>)> = Default::default();
    for (i, line) in input.to.iter().enumerate() {
        may_assign(&mut tx, &user, line.user_id, line.citizen_id, today).await?;
        let olds: Vec<Assignment> = running.iter().filter(|a| a.citizen_id == line.citizen_id).cloned().collect();
        if olds.is_empty() {
            // Handed over already by then: said so, not that nobody is assigned.
            let handed = db::admin::handed_over_by(&mut tx, input.from, line.citizen_id, input.on).await?;
            let problem = if handed { Problem::HandedOver } else { Problem::WorkerNotAssigned };
            errors.push(ValidationError::new(format!("to[{i}].citizen_id"), problem));
            continue;
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = colleagues.entry(line.user_id) {
            let takes_over = match db::admin::user_state(&mut tx, line.user_id).await? {
                Some((roles, true)) => roles.iter().any(|r| matches!(r, Role::Worker | Role::Mentor | Role::Lead)),
                _ => false,
            };
            let theirs = db::admin::assignments_from(&mut tx, line.user_id, input.on).await?;
            slot.insert((takes_over, theirs));
        }
        let (takes_over, theirs) = &colleagues[&line.user_id];
        if !takes_over {
            errors.push(ValidationError::new(format!("to[{i}].user_id"), Problem::NotFound));
            continue;
        }
        let end = if olds.iter().any(|a| a.period.to().is_none()) {
            None
        } else {
            olds.iter().filter_map(|a| a.period.to()).max()
        };
        let span = DateRange::new(input.on, end)?;
        if theirs.iter().any(|a| a.citizen_id == line.citizen_id && a.period.overlaps(&span)) {
            errors.push(ValidationError::new(format!("to[{i}].user_id"), Problem::AlreadyAssigned));
            continue;
        }
        moves.push((olds, line.user_id, span));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut stamper = db::changes::Stamper::new();
    let mut made = Vec::new();
    for (olds, to, span) in moves {
        for old in &olds {
            if old.period.from() <= input.on {
                let ended = AssignmentInput {
                    citizen_id: old.citizen_id,
                    user_id: old.user_id,
                    period: DateRange::new(old.period.from(), Some(input.on))?,
                };
                db::admin::upsert_assignment(&mut tx, &mut stamper, old.id, &ended).await?;
            } else {
                db::admin::delete_assignment(&mut tx, &mut stamper, old).await?;
            }
        }
        let new = Assignment {
            id: AssignmentId::from_uuid(uuid::Uuid::now_v7()),
            citizen_id: olds[0].citizen_id,
            user_id: to,
            period: span,
            handover: Some(Handover { from: input.from, from_name: String::new(), note: input.note.clone() }),
            user_name: None,
        };
        db::citizens::insert_assignment(&mut tx, &mut stamper, &new).await?;
        made.push(new.id);
    }
    let now = state.clock.now();
    let citizens: Vec<CitizenId> = input.to.iter().map(|l| l.citizen_id).collect();
    access::log_in(
        &mut tx,
        now,
        user.id,
        AccessAction::Change,
        AccessPurpose::Administration,
        citizens,
        AccessSubject::Handover,
    )
    .await?;
    stamper.finish(&mut tx).await?;
    let mut written = Vec::new();
    for id in made {
        written.extend(db::admin::assignment(&mut tx, id).await?);
    }
    tx.commit().await?;
    tracing::info!(by = %user.id, from = %input.from, citizens = written.len(), "citizens handed over");
    Ok((StatusCode::CREATED, Json(written)))
}
