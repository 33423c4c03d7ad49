//! Conflicts between two edits of a visit, seen and settled by a person
//! (issue 12, kind 15): `GET /api/conflicts?team=` lists a team's open
//! ones for its lead; `POST /api/conflicts/{id}/settle` keeps the standing
//! version or puts the other one on the visit.
//!
//! Authorisation: the lead of a team the visit's worker belongs to, or an
//! admin; anyone else 403. Settling the other version is a save of the
//! visit decided by the push's own rules ([`Batch`], as the visit's
//! worker: approved visit or month, assignment, charge), so a settle can
//! never write what a push could not. Both requests log the access
//! (oversight, one entry per citizen).

use std::collections::{BTreeSet, HashMap};

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use shared::access::{AccessAction, AccessPurpose, AccessSubject};
use shared::conflict::{
    ConflictVersions, Keep, ListConflictsResponse, SettleConflictRequest, SettleConflictResponse, VisitConflict,
    apply_fields,
};
use shared::sync::{MutationBody, VisitBase};
use shared::text::PersonName;
use shared::user::Role;
use shared::visit::Visit;
use shared::{CitizenId, ClientId, ConflictId, Localized, TeamId, UserId};

use crate::access;
use crate::auth::CurrentUser;
use crate::db::{self, Conn};
use crate::error::{ApiError, ApiResult};
use crate::http::reports::team_access;
use crate::http::{ApiJson, Params};
use crate::state::AppState;
use crate::sync::apply::{ApplyError, Batch, Rejection};

pub fn router() -> Router<AppState> {
    Router::new().route("/conflicts", get(conflicts_list)).route("/conflicts/{id}/settle", post(conflict_settle))
}

/// A device named by the last 8 characters of its client id (the random
/// end of a UUIDv7, so two phones set up the same minute differ).
fn device(client: ClientId) -> String {
    let text = client.to_string();
    text[text.len().saturating_sub(8)..].to_owned()
}

async fn conflicts_list(
    State(state): State<AppState>,
    user: CurrentUser,
    params: Params,
) -> ApiResult<Json<ListConflictsResponse>> {
    let team: TeamId = params.get("team")?;
    let mut tx = state.db.begin_read().await?;
    team_access(&mut tx, &user, team).await?;
    let stored = db::conflicts::open_of_team(&mut tx, team).await?;
    let visit_ids: Vec<_> = stored.iter().map(|c| c.visit_id).collect();
    let visits: HashMap<_, Visit> =
        db::visits::load(&mut tx, &db::json_ids(&visit_ids)).await?.into_iter().map(|v| (v.id, v)).collect();
    let citizens: Vec<_> = visits.values().map(|v| v.citizen_id).collect::<BTreeSet<_>>().into_iter().collect();
    let workers: Vec<_> = visits.values().map(|v| v.worker_id).collect::<BTreeSet<_>>().into_iter().collect();
    let names: HashMap<uuid::Uuid, PersonName> =
        db::reports::names(&mut tx, &citizens, &workers).await?.into_iter().collect();
    tx.commit().await?;
    let unnamed = || PersonName::try_from("?").map_err(|e| ApiError::Internal(e.into()));
    let mut conflicts = Vec::with_capacity(stored.len());
    for c in stored {
        // Listed only with their visit (the query joins it).
        let Some(visit) = visits.get(&c.visit_id).cloned() else { continue };
        conflicts.push(VisitConflict {
            id: c.id,
            citizen_name: names.get(visit.citizen_id.as_uuid()).cloned().map_or_else(unnamed, Ok)?,
            worker_name: names.get(visit.worker_id.as_uuid()).cloned().map_or_else(unnamed, Ok)?,
            visit,
            by_id: c.by,
            by_name: c.by_name,
            device: device(c.client),
            created_at: c.created_at,
            fields: c.fields,
            versions: c.versions,
        });
    }
    access::log_read(
        &state,
        user.id,
        AccessAction::Read,
        AccessPurpose::Oversight,
        citizens,
        Some(AccessSubject::Conflicts),
    )
    .await?;
    Ok(Json(ListConflictsResponse { conflicts }))
}

/// Whether `user` may settle a conflict of `worker`'s visit: an admin, or
/// a lead sharing a team with the worker.
async fn may_settle(conn: &mut Conn, user: &CurrentUser, worker: UserId) -> ApiResult<bool> {
    if user.has_role(Role::Admin) {
        return Ok(true);
    }
    Ok(user.has_role(Role::Lead) && db::org::team_mates(conn, user.id).await?.contains(&worker))
}

/// A push's refusal of the other version, worded for the lead.
fn refusal(r: Rejection) -> ApiError {
    let (code, message) = match r.code.as_str() {
        "approved" => (
            "approved",
            Localized::new(
                "Besøget er godkendt og kan ikke ændres længere, så den anden version kan ikke gemmes.",
                "The visit is approved and can no longer change, so the other version cannot be saved.",
            ),
        ),
        "period_approved" => (
            "period_approved",
            Localized::new(
                "Måneden er godkendt, så den anden version kan ikke gemmes. En administrator kan genåbne måneden.",
                "The month is approved, so the other version cannot be saved. An administrator can reopen the month.",
            ),
        ),
        "not_assigned" => (
            "not_assigned",
            Localized::new(
                "Medarbejderen er ikke tilknyttet borgeren på den dato, så den anden version kan ikke gemmes.",
                "The worker is not assigned to the citizen on that date, so the other version cannot be saved.",
            ),
        ),
        "not_chargeable" => ("not_chargeable", r.message),
        _ => ("not_settled", r.message),
    };
    ApiError::Conflict { code, message }
}

fn visit_deleted() -> ApiError {
    ApiError::Conflict {
        code: "visit_deleted",
        message: Localized::new(
            "Besøget er slettet siden, så den anden version kan ikke gemmes. Luk konflikten i stedet.",
            "The visit was deleted since, so the other version cannot be saved. Close the conflict instead.",
        ),
    }
}

fn already_settled() -> ApiError {
    ApiError::Conflict {
        code: "conflict_settled",
        message: Localized::new("Konflikten er allerede afgjort.", "The conflict is already settled."),
    }
}

async fn conflict_settle(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<SettleConflictRequest>,
) -> ApiResult<Json<SettleConflictResponse>> {
    let id: ConflictId = id.parse().map_err(|_| ApiError::NotFound)?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let conflict = db::conflicts::get(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    // Whose visit it is (the sender's, if the visit is gone: a worker's
    // own edit, or a lead of the same team).
    let seen = db::visits::load(&mut tx, &db::json_ids(&[conflict.visit_id])).await?.into_iter().next();
    let worker = seen.as_ref().map_or(conflict.by, |v| v.worker_id);
    if !may_settle(&mut tx, &user, worker).await? {
        return Err(ApiError::Forbidden);
    }
    if conflict.settled.is_some() {
        return Err(already_settled());
    }
    // Take turns with the worker's pushes and approvals (as they do), and
    // with those of the colleagues whose shares the settling may write.
    let mut workers = vec![worker];
    workers.extend(seen.iter().flat_map(|v| v.co_workers.iter().copied()));
    if let ConflictVersions::Edit { other, .. } = &conflict.versions {
        workers.extend(other.co_workers().iter().copied());
    }
    db::sync::lock_workers(&mut tx, &workers).await?;
    let current = db::visits::load_for_update(&mut tx, &[conflict.visit_id]).await?.into_iter().next();
    if !db::conflicts::settle(&mut tx, id, user.id, now, req.keep).await? {
        return Err(already_settled());
    }
    let mut citizens: Vec<_> = current.iter().chain(seen.iter()).map(|v| v.citizen_id).collect();
    let settled = match (req.keep, &conflict.versions) {
        (Keep::Standing, _) => {
            log_settled(&mut tx, now, &user, citizens).await?;
            tx.commit().await?;
            current
        }
        (Keep::Other, _) if current.is_none() => return Err(visit_deleted()),
        (Keep::Other, ConflictVersions::Edit { other, .. }) => {
            let current = current.ok_or_else(visit_deleted)?;
            let draft = apply_fields(&current.draft(), other, &conflict.fields)?;
            citizens.push(draft.citizen_id);
            // A save of the visit as the phone would send it from the
            // visit as it is now: decided by the push's rules, as the
            // visit's worker, so it never conflicts and never skips a check.
            let body = MutationBody::VisitSave { visit: draft, base: Some(VisitBase::of(&current)) };
            let mut batch = Batch::load(&mut tx, current.worker_id, conflict.client, now, &[&body]).await?;
            match batch.apply(0, &body) {
                Ok(()) => {}
                Err(ApplyError::Rejected(r)) => return Err(refusal(r)),
                Err(ApplyError::Internal(e)) => return Err(ApiError::Internal(e)),
            }
            log_settled(&mut tx, now, &user, citizens).await?;
            // Last: it stamps the change stream and holds the clock until commit.
            batch.write(&mut tx).await?;
            let after = db::visits::load(&mut tx, &db::json_ids(&[conflict.visit_id])).await?.into_iter().next();
            tx.commit().await?;
            after
        }
        (Keep::Other, ConflictVersions::Correction { other, .. }) => {
            let mut visit = current.ok_or_else(visit_deleted)?;
            if db::visits::is_locked(&visit) {
                return Err(refusal(Rejection {
                    code: "approved".into(),
                    message: Localized::new("", ""),
                    field: None,
                }));
            }
            // The correction the other lead made, as they made it.
            visit.correction = other.clone();
            visit.corrected_by = other.as_ref().map(|_| conflict.by);
            visit.row_version += 1;
            log_settled(&mut tx, now, &user, citizens).await?;
            let mut stamper = db::changes::Stamper::new();
            db::visits::upsert_many(&mut tx, &mut stamper, &[&visit]).await?;
            stamper.finish(&mut tx).await?;
            tx.commit().await?;
            Some(visit)
        }
    };
    tracing::info!(conflict = %id, kept = req.keep.code(), "conflict settled");
    Ok(Json(SettleConflictResponse { id, kept: req.keep, settled_at: now, visit: settled }))
}

/// The access-log entry of a settled clash: a change of the visits'
/// citizens, for oversight.
async fn log_settled(
    tx: &mut Conn,
    now: shared::Timestamp,
    user: &CurrentUser,
    citizens: Vec<CitizenId>,
) -> ApiResult<()> {
    access::log_in(tx, now, user.id, AccessAction::Change, AccessPurpose::Oversight, citizens, AccessSubject::Visit)
        .await
}
