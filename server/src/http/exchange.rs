//! Data exchange for administrators: importing citizens and grants from
//! CSV (a dry run first; all or nothing; re-runnable), and exporting a
//! citizen's complete data (portability) and a period's visits.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use shared::access::{AccessAction, AccessPurpose, AccessSubject};
use shared::admin::{AdminCitizen, ImportKind, ImportReport};
use shared::assignment::Assignment;
use shared::grant::Grant;
use shared::user::Role;
use shared::visit::Visit;
use shared::{CitizenId, Date, Lang, Problem, Timestamp, ValidationError};

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::http::{Params, csv_attachment};
use crate::state::AppState;
use crate::{access, db, import};

/// The largest import file (20 000 lines of citizens fit several times).
pub const IMPORT_LIMIT: usize = 8 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/import", post(import_post).layer(DefaultBodyLimit::max(IMPORT_LIMIT)))
        .route("/admin/citizens/{id}/export", get(citizen_export))
        .route("/admin/visits.csv", get(visits_csv))
}

fn admin_only(user: &CurrentUser) -> ApiResult<()> {
    if user.has_role(Role::Admin) { Ok(()) } else { Err(ApiError::Forbidden) }
}

/// `?kind=citizens|grants&dry_run=true|false`, the CSV as the body.
async fn import_post(
    State(state): State<AppState>,
    user: CurrentUser,
    params: Params,
    body: Bytes,
) -> ApiResult<Json<ImportReport>> {
    admin_only(&user)?;
    let kind: ImportKind = params.get("kind")?;
    // A dry run unless asked otherwise: importing is the deliberate step.
    let dry_run = match params.optional::<String>("dry_run")?.as_deref() {
        None | Some("true" | "1") => true,
        Some("false" | "0") => false,
        Some(_) => return Err(ValidationError::new("dry_run", Problem::InvalidFormat).into()),
    };
    let text = import::decode(&body);
    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    let report = match import::read_table(&text) {
        Err(p) => ImportReport {
            changes: Vec::new(),
            kind,
            dry_run,
            applied: false,
            lines: 0,
            created: 0,
            updated: 0,
            unchanged: 0,
            problems: vec![p],
        },
        Ok(table) => match kind {
            ImportKind::Citizens => {
                let existing = db::admin::citizens(&mut tx, None).await?;
                let users = db::admin::users(&mut tx, None).await?;
                let scheme = db::review::scheme(&mut tx).await?;
                let areas = db::org::areas(&mut tx).await?;
                let classifications = db::review::classifications(&mut tx).await?;
                let cases = db::review::cases(&mut tx).await?;
                let cx = import::CitizenContext {
                    existing: &existing,
                    users: &users,
                    scheme: &scheme,
                    areas: &areas,
                    classifications: &classifications,
                    cases: &cases,
                    today: now.local_date(),
                    importer: user.id,
                };
                let plan = import::plan_citizens(&table, &cx);
                let apply = !dry_run && plan.problems.is_empty();
                if apply {
                    let mut stamper = db::changes::Stamper::new();
                    for line in plan.created.iter().chain(&plan.updated) {
                        let c = &line.citizen;
                        db::admin::upsert_citizen(&mut tx, &mut stamper, c.id, &c.input).await?;
                        if let Some(classification) = &line.classification {
                            db::review::classify(&mut tx, &mut stamper, classification, None, now).await?;
                        }
                        if let Some(case) = &line.case {
                            db::review::upsert_case(&mut tx, case).await?;
                        }
                    }
                    let new = plan.created.iter().map(|l| l.citizen.id);
                    let changed = plan.updated.iter().map(|l| l.citizen.id);
                    let purpose = AccessPurpose::DataExchange;
                    let subject = AccessSubject::Citizen;
                    access::log_in(&mut tx, now, user.id, AccessAction::Create, purpose, new, subject).await?;
                    access::log_in(&mut tx, now, user.id, AccessAction::Change, purpose, changed, subject).await?;
                    stamper.finish(&mut tx).await?;
                }
                plan.report(kind, dry_run, apply)
            }
            ImportKind::Grants => {
                let citizens = db::admin::citizens(&mut tx, None).await?;
                let existing = db::admin::all_grants(&mut tx).await?;
                let ids = db::admin::grant_external_ids(&mut tx).await?;
                let areas = db::org::areas(&mut tx).await?;
                let plan = import::plan_grants(&table, &citizens, &existing, &ids, &areas);
                let apply = !dry_run && plan.problems.is_empty();
                if apply {
                    let mut stamper = db::changes::Stamper::new();
                    for (grant, external) in plan.created.iter().chain(&plan.updated) {
                        db::citizens::upsert_grant(&mut tx, &mut stamper, grant).await?;
                        db::admin::set_grant_external_id(&mut tx, grant.id, external).await?;
                    }
                    let new = plan.created.iter().map(|(g, _)| g.citizen_id);
                    let changed = plan.updated.iter().map(|(g, _)| g.citizen_id);
                    let purpose = AccessPurpose::DataExchange;
                    let subject = AccessSubject::Grant;
                    access::log_in(&mut tx, now, user.id, AccessAction::Create, purpose, new, subject).await?;
                    access::log_in(&mut tx, now, user.id, AccessAction::Change, purpose, changed, subject).await?;
                    stamper.finish(&mut tx).await?;
                }
                plan.report(kind, dry_run, apply)
            }
        },
    };
    if report.applied {
        tx.commit().await?;
        tracing::info!(admin = %user.id, kind = kind.code(), created = report.created, updated = report.updated, "imported");
    } else {
        // A dry run, or a file with problems: nothing is written.
        tx.rollback().await?;
    }
    Ok(Json(report))
}

/// A citizen's complete data, as handed over on request (portability).
#[derive(Debug, Serialize)]
struct CitizenExport {
    exported_at: Timestamp,
    citizen: AdminCitizen,
    assignments: Vec<Assignment>,
    grants: Vec<Grant>,
    visits: Vec<Visit>,
    /// The citizen's plan (issue 15), its goals, actions, follow-ups and
    /// revisions.
    plan: Option<shared::plan::Plan>,
    goals: Vec<shared::plan::Goal>,
    actions: Vec<shared::plan::Action>,
    follow_ups: Vec<shared::plan::FollowUp>,
    revisions: Vec<shared::plan::PlanRevision>,
}

async fn citizen_export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    admin_only(&user)?;
    let id: CitizenId = raw.parse().map_err(|_| ValidationError::new("id", Problem::InvalidFormat))?;
    let now = state.clock.now();
    let mut tx = state.db.begin_read().await?;
    let key = [id.to_string()];
    let citizen = db::admin::citizens(&mut tx, Some(&key)).await?.pop().ok_or(ApiError::NotFound)?;
    let assignments = db::admin::assignments(&mut tx, Some(&key)).await?;
    let grants = db::citizens::grants_of(&mut tx, &[id]).await?;
    let visits = db::visits::of_citizen(&mut tx, id).await?;
    let plan = db::plans::load_plans(&mut tx, &db::json_ids(&[id]), false).await?.pop();
    let goals = db::plans::goals_of(&mut tx, &[id]).await?;
    let actions = db::plans::actions_of(&mut tx, &[id]).await?;
    let follow_ups = db::plans::follow_ups_of(&mut tx, &[id]).await?;
    let revisions = db::plans::revisions_of(&mut tx, &[id]).await?;
    tx.commit().await?;
    access::log_read(
        &state,
        user.id,
        AccessAction::Export,
        AccessPurpose::DataExchange,
        [id],
        Some(AccessSubject::Portability),
    )
    .await?;
    let name = citizen.input.external_id.as_ref().map_or_else(|| id.to_string(), |e| e.to_string());
    let export = CitizenExport {
        exported_at: now,
        citizen,
        assignments,
        grants,
        visits,
        plan,
        goals,
        actions,
        follow_ups,
        revisions,
    };
    let mut response = Json(export).into_response();
    let disposition = format!("attachment; filename=\"borger-{}.json\"", ascii_file_part(&name));
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(|e| ApiError::Internal(e.into()))?,
    );
    Ok(response)
}

/// Letters, digits and `-` only.
fn ascii_file_part(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect()
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD` (both days included): every visit that
/// started in the period, as Danish CSV.
async fn visits_csv(State(state): State<AppState>, user: CurrentUser, params: Params) -> ApiResult<Response> {
    admin_only(&user)?;
    let from: Date = params.get("from")?;
    let to: Date = params.get("to")?;
    if to < from {
        return Err(ValidationError::new("to", Problem::BeforeStartDay).into());
    }
    if to.to_days() - from.to_days() > 366 {
        return Err(ValidationError::new("to", Problem::OutOfRange { min: 0, max: 366 }).into());
    }
    let mut tx = state.db.begin_read().await?;
    let lines = db::visits::export_lines(&mut tx, from.start(), to.add_days(1).start()).await?;
    tx.commit().await?;
    let citizens: Vec<CitizenId> = lines.iter().map(|l| l.citizen_id).collect();
    access::log_read(
        &state,
        user.id,
        AccessAction::Export,
        AccessPurpose::DataExchange,
        citizens,
        Some(AccessSubject::VisitsCsv),
    )
    .await?;
    csv_attachment(crate::reports::visits_csv(&lines, Lang::Da), &format!("besoeg-{from}-{to}.csv"))
}
