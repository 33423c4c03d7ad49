//! Clashes of two edits of a citizen's plan, settled by its coordinating
//! case worker (issue 15: "two editing the same text: both versions are
//! kept and the coordinator settles it"): `GET /api/plans/{citizen}/
//! conflicts` lists the open ones with what stands and the other version
//! per field; `POST /api/plan-conflicts/{id}/settle` keeps what stands or
//! puts the other version on the row as it is now.
//!
//! Authorisation: the plan's coordinating case worker (else the
//! citizen's), or an administrator; anyone else 403. Putting the other
//! version on is a save decided by the push's own rules ([`Batch`], as
//! the settler), so a settle never writes what a push could not. Both
//! requests log the access; a settle that changes the row logs a change.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;
use shared::access::{AccessAction, AccessPurpose, AccessSubject};
use shared::conflict::{Keep, SettleConflictRequest};
use shared::plan::{Base, ClashedField, PlanConflict, PlanConflictsResponse};
use shared::sync::{Entity, MutationBody};
use shared::user::Role;
use shared::{CitizenId, ClientId, ConflictId, Localized};

use crate::access;
use crate::auth::CurrentUser;
use crate::db::{self, Conn};
use crate::error::{ApiError, ApiResult};
use crate::http::ApiJson;
use crate::state::AppState;
use crate::sync::apply::Batch;
use crate::sync::rejection::ApplyError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans/{citizen}/conflicts", get(conflicts_list))
        .route("/plan-conflicts/{id}/settle", post(conflict_settle))
}

/// Whether `user` settles `citizen`'s clashes: an administrator, or the
/// plan's coordinating case worker (the citizen's when the plan names none).
async fn may_settle(conn: &mut Conn, user: &CurrentUser, citizen: CitizenId) -> ApiResult<()> {
    if user.has_role(Role::Admin) {
        return Ok(());
    }
    let plan = db::plans::load_plans(conn, &db::json_ids(&[citizen]), false).await?.pop();
    let key = [citizen.to_string()];
    let of_citizen = db::admin::citizens(conn, Some(&key)).await?.pop().and_then(|c| c.input.coordinator_id);
    let coordinator = shared::plan::coordinator(plan.as_ref().map(|p| &p.fields), of_citizen);
    if coordinator == Some(user.id) { Ok(()) } else { Err(ApiError::Forbidden) }
}

/// A field's value as text to show: text as it is, nothing as "—", other
/// values (a date, a status, a list) as their JSON.
fn shown(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "—".to_owned(),
        Some(Value::String(s)) if s.is_empty() => "—".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The fields of the row `row_id` of `entity` as they are now (JSON) and
/// its own words (a goal's, an action's; empty for the plan); `None` when
/// the row is gone. `lock`: held until commit (a settle's write
/// transaction; a listing's read-only one may not lock on PostgreSQL).
async fn current(conn: &mut Conn, entity: Entity, row_id: &str, lock: bool) -> ApiResult<Option<(Value, u64, String)>> {
    let ids = serde_json::to_string(&[row_id]).map_err(|e| ApiError::Internal(e.into()))?;
    let found = match entity {
        Entity::Plan => db::plans::load_plans(conn, &ids, lock)
            .await?
            .pop()
            .map(|p| (serde_json::to_value(&p.fields), p.row_version, String::new())),
        Entity::Goal => db::plans::load_goals(conn, &ids, lock)
            .await?
            .pop()
            .map(|g| (serde_json::to_value(&g.fields), g.row_version, g.fields.citizen_wording.to_string())),
        Entity::Action => db::plans::load_actions(conn, &ids, lock)
            .await?
            .pop()
            .map(|a| (serde_json::to_value(&a.fields), a.row_version, a.fields.what.to_string())),
        Entity::Meeting => db::meetings::load_meetings(conn, &ids, lock).await?.pop().map(|m| {
            let about = format!("Møde {}", m.fields.on.format(shared::Lang::Da));
            (serde_json::to_value(&m.fields), m.row_version, about)
        }),
        _ => None,
    };
    match found {
        None => Ok(None),
        Some((fields, version, about)) => Ok(Some((fields.map_err(|e| ApiError::Internal(e.into()))?, version, about))),
    }
}

/// `citizen`'s open clashes as the coordinator reads them: per field what
/// stands on the row now and the other version (a clash of a row gone
/// since is left out).
async fn open_clashes(conn: &mut Conn, citizen: CitizenId) -> ApiResult<Vec<PlanConflict>> {
    let mut conflicts = Vec::new();
    for c in db::plans::open_conflicts_of(conn, citizen).await? {
        let Some((now, _, about)) = current(conn, c.entity, &c.row_id, false).await? else { continue };
        let fields = c
            .fields
            .iter()
            .map(|f| ClashedField { field: f.clone(), standing: shown(now.get(f)), other: shown(c.mine.get(f)) })
            .collect();
        conflicts.push(PlanConflict {
            id: c.id,
            entity: c.entity.code().to_owned(),
            about,
            by: c.user_name,
            at: c.created_at,
            fields,
        });
    }
    Ok(conflicts)
}

async fn conflicts_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
) -> ApiResult<Json<PlanConflictsResponse>> {
    let citizen: CitizenId = crate::http::path_id(&raw, "citizen")?;
    let mut tx = state.db.begin_read().await?;
    may_settle(&mut tx, &user, citizen).await?;
    let conflicts = open_clashes(&mut tx, citizen).await?;
    tx.commit().await?;
    if !conflicts.is_empty() {
        access::log_read(
            &state,
            user.id,
            AccessAction::Read,
            AccessPurpose::Oversight,
            [citizen],
            Some(AccessSubject::Plan),
        )
        .await?;
    }
    Ok(Json(PlanConflictsResponse { conflicts }))
}

fn already_settled() -> ApiError {
    ApiError::Conflict {
        code: "settled",
        message: Localized::new(
            "Uenigheden er allerede afgjort af en anden.",
            "The disagreement has already been settled by someone else.",
        ),
    }
}

/// The save that puts `mine`'s values of `fields` onto the row as it is
/// (`now`, at `version`): a plan, goal or action mutation based on the row
/// itself, so it applies without a clash.
fn putting_back(entity: Entity, now: &Value, version: u64, mine: &Value, fields: &[String]) -> ApiResult<MutationBody> {
    let mut merged = now.clone();
    if let Some(row) = merged.as_object_mut() {
        for f in fields {
            // A field left out when empty (an action's offer) is taken out too.
            match mine.get(f) {
                Some(value) => row.insert(f.clone(), value.clone()),
                None => row.remove(f),
            };
        }
    }
    let internal = |e: serde_json::Error| ApiError::Internal(e.into());
    Ok(match entity {
        Entity::Plan => MutationBody::PlanSave {
            plan: serde_json::from_value(merged).map_err(internal)?,
            base: Some(Base { row_version: version, fields: serde_json::from_value(now.clone()).map_err(internal)? }),
        },
        Entity::Goal => MutationBody::GoalSave {
            goal: serde_json::from_value(merged).map_err(internal)?,
            base: Some(Base { row_version: version, fields: serde_json::from_value(now.clone()).map_err(internal)? }),
        },
        Entity::Action => MutationBody::ActionSave {
            action: serde_json::from_value(merged).map_err(internal)?,
            base: Some(Base { row_version: version, fields: serde_json::from_value(now.clone()).map_err(internal)? }),
        },
        Entity::Meeting => MutationBody::MeetingSave {
            meeting: serde_json::from_value(merged).map_err(internal)?,
            base: Some(Base { row_version: version, fields: serde_json::from_value(now.clone()).map_err(internal)? }),
        },
        _ => return Err(ApiError::NotFound),
    })
}

async fn conflict_settle(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    ApiJson(req): ApiJson<SettleConflictRequest>,
) -> ApiResult<Json<PlanConflictsResponse>> {
    let id: ConflictId = crate::http::path_id(&raw, "id")?;
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let stored = db::plans::conflict(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    may_settle(&mut tx, &user, stored.citizen).await?;
    if stored.settled {
        return Err(already_settled());
    }
    let mut batch = None;
    if req.keep == Keep::Other
        && let Some((current_fields, version, _)) = current(&mut tx, stored.entity, &stored.row_id, true).await?
    {
        let body = putting_back(stored.entity, &current_fields, version, &stored.mine, &stored.fields)?;
        // Decided as a push of the settler's would be (a meeting's visits
        // follow it); no phone made it.
        let client = ClientId::from_uuid(uuid::Uuid::nil());
        let mut settling = Batch::load(&mut tx, user.id, client, now, &[&body]).await?;
        match settling.apply(0, &body) {
            Ok(()) => {}
            Err(ApplyError::Rejected(r)) => {
                return Err(ApiError::Conflict { code: "refused", message: r.message });
            }
            Err(ApplyError::Internal(e)) => return Err(ApiError::Internal(e)),
        }
        access::log_in(
            &mut tx,
            now,
            user.id,
            AccessAction::Change,
            AccessPurpose::Oversight,
            [stored.citizen],
            body.subject().unwrap_or(AccessSubject::Plan),
        )
        .await?;
        batch = Some(settling);
    }
    if !db::plans::settle_conflict(&mut tx, id, user.id, req.keep, now).await? {
        return Err(already_settled());
    }
    // Last write: it stamps the change stream and holds the clock until commit.
    if let Some(batch) = batch {
        batch.write(&mut tx).await?;
    }
    // What is left to settle for the citizen, as this transaction leaves it.
    let conflicts = open_clashes(&mut tx, stored.citizen).await?;
    tx.commit().await?;
    tracing::info!(by = %user.id, conflict = %id, kept = req.keep.code(), "a clash of a plan settled");
    if !conflicts.is_empty() {
        access::log_read(
            &state,
            user.id,
            AccessAction::Read,
            AccessPurpose::Oversight,
            [stored.citizen],
            Some(AccessSubject::Plan),
        )
        .await?;
    }
    Ok(Json(PlanConflictsResponse { conflicts }))
}
