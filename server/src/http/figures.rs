//! The resource picture (issue 14, seed 000): the case review's layer ×
//! age band table for a scope on a date, as JSON and as CSV.
//!
//! Authorisation ("who sees what"): an administrator sees the whole
//! municipality, every area and every team; an area head the areas they
//! head and those areas' teams; a lead their teams. Anyone else: 403; a
//! scope outside the asker's: 403. The table's figures are counts, not
//! personal data, so they are not access-logged; the lists name citizens
//! and are.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use shared::access::{AccessAction, AccessPurpose};
use shared::review::{DoubleGrantLine, FigureScope, LayerTable, LayerTableResponse, ListsResponse, ScopeChoice};
use shared::user::Role;
use shared::{AreaId, Date, Lang, Problem, TeamId, ValidationError};

use crate::access;
use crate::auth::CurrentUser;
use crate::db::{self, Conn};
use crate::error::{ApiError, ApiResult};
use crate::http::{Params, csv_attachment};
use crate::reports::csv_row;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/figures/layers", get(layers_get))
        .route("/figures/layers.csv", get(layers_csv_get))
        .route("/figures/lists", get(lists_get))
}

/// The scopes `user` may see, the widest first; empty for a user who sees
/// no figures.
pub async fn scopes_of(conn: &mut Conn, user: &CurrentUser) -> ApiResult<Vec<ScopeChoice>> {
    let areas = db::org::areas(conn).await?;
    let teams = db::org::all_teams(conn).await?;
    let mut scopes = Vec::new();
    if user.has_role(Role::Admin) {
        scopes.push(ScopeChoice { scope: FigureScope::Municipality, name: "Hele kommunen".to_owned() });
        scopes.extend(areas.iter().map(|a| ScopeChoice { scope: FigureScope::Area(a.id), name: a.name.to_string() }));
        scopes.extend(teams.iter().map(|t| ScopeChoice { scope: FigureScope::Team(t.id), name: t.name.to_string() }));
        return Ok(scopes);
    }
    if user.has_role(Role::AreaHead) {
        let headed = db::org::areas_headed(conn, user.id).await?;
        for area in areas.iter().filter(|a| headed.contains(&a.id)) {
            scopes.push(ScopeChoice { scope: FigureScope::Area(area.id), name: area.name.to_string() });
        }
        for team in teams.iter().filter(|t| headed.contains(&t.area.id)) {
            scopes.push(ScopeChoice { scope: FigureScope::Team(team.id), name: team.name.to_string() });
        }
    }
    if user.has_role(Role::Lead) {
        for team in db::org::teams_of(conn, user.id).await? {
            let choice = ScopeChoice { scope: FigureScope::Team(team.id), name: team.name.to_string() };
            if !scopes.contains(&choice) {
                scopes.push(choice);
            }
        }
    }
    Ok(scopes)
}

/// The scope the query names (`area=`, `team=`, or neither for the asker's
/// first), if the asker may see it: 403 otherwise.
async fn scope_asked(
    conn: &mut Conn,
    user: &CurrentUser,
    params: &Params,
) -> ApiResult<(ScopeChoice, Vec<ScopeChoice>)> {
    let scopes = scopes_of(conn, user).await?;
    let area: Option<AreaId> = params.optional("area")?;
    let team: Option<TeamId> = params.optional("team")?;
    let asked = match (area, team) {
        (Some(_), Some(_)) => return Err(ValidationError::new("team", Problem::InvalidFormat).into()),
        (Some(area), None) => Some(FigureScope::Area(area)),
        (None, Some(team)) => Some(FigureScope::Team(team)),
        (None, None) if params.optional::<String>("scope")?.as_deref() == Some("municipality") => {
            Some(FigureScope::Municipality)
        }
        (None, None) => None,
    };
    let chosen = match asked {
        Some(scope) => scopes.iter().find(|s| s.scope == scope),
        None => scopes.first(),
    };
    let chosen = chosen.cloned().ok_or(ApiError::Forbidden)?;
    Ok((chosen, scopes))
}

async fn load(state: &AppState, user: &CurrentUser, params: &Params) -> ApiResult<LayerTableResponse> {
    let on: Date = params.optional("on")?.unwrap_or_else(|| state.clock.now().local_date());
    let mut tx = state.db.begin_read().await?;
    let (chosen, scopes) = scope_asked(&mut tx, user, params).await?;
    let scheme = db::review::scheme(&mut tx).await?;
    let counts = db::review::layer_counts(&mut tx, chosen.scope, on).await?;
    tx.commit().await?;
    let table = LayerTable::from_counts(&counts, &scheme, on);
    Ok(LayerTableResponse { scope: chosen.scope, scope_name: chosen.name, scheme, table, scopes })
}

/// The lists a lead acts on (issue 14) for the scope's citizens today:
/// who turns 18 within 12 months, with their children-and-youth grants
/// (seed 004), the double grants (seed 003), and who waits for a worker or
/// a first visit (seed 000). Names citizens: logged.
async fn lists_get(State(state): State<AppState>, user: CurrentUser, params: Params) -> ApiResult<Json<ListsResponse>> {
    let on = state.clock.now().local_date();
    let mut tx = state.db.begin_read().await?;
    let (chosen, scopes) = scope_asked(&mut tx, &user, &params).await?;
    let ids = db::review::citizens_in_scope(&mut tx, chosen.scope, on).await?;
    let keys: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let citizens = db::admin::citizens(&mut tx, Some(&keys)).await?;
    let grants = db::citizens::grants_of(&mut tx, &ids).await?;
    let assignments = db::admin::assignments(&mut tx, Some(&keys)).await?;
    let next_day = on.add_days(1).start();
    let last_visits: Vec<(shared::CitizenId, Date)> = db::visits::last_visits(&mut tx, &ids, next_day)
        .await?
        .into_iter()
        .map(|(c, at)| (c, at.local_date()))
        .collect();
    let youth_areas: Vec<AreaId> = db::org::areas(&mut tx)
        .await?
        .into_iter()
        .filter(|a| a.kind == shared::area::AreaKind::ChildrenYouth)
        .map(|a| a.id)
        .collect();
    tx.commit().await?;
    let born: Vec<_> = citizens.iter().map(|c| (c.id, c.input.name.to_string(), c.input.birth)).collect();
    let turning_18 = shared::review::turning_18(&born, &grants, &youth_areas, on);
    let named_citizens: Vec<_> = born.iter().map(|c| (c.0, c.1.clone())).collect();
    let waiting = shared::review::waiting(&named_citizens, &grants, &assignments, &last_visits, on);
    let name_of = |id: shared::CitizenId| born.iter().find(|c| c.0 == id).map(|c| c.1.clone()).unwrap_or_default();
    let double_grants: Vec<DoubleGrantLine> = shared::grant::double_grants(&grants)
        .into_iter()
        .map(|grants| DoubleGrantLine { name: name_of(grants.citizen_id), grants })
        .collect();
    let named: Vec<shared::CitizenId> =
        turning_18.iter().map(|t| t.citizen_id).chain(double_grants.iter().map(|d| d.grants.citizen_id)).collect();
    access::log_read(&state, user.id, AccessAction::Read, AccessPurpose::Oversight, named, Some("lead's lists"))
        .await?;
    Ok(Json(ListsResponse {
        scope: chosen.scope,
        scope_name: chosen.name,
        on,
        turning_18,
        double_grants,
        waiting,
        scopes,
    }))
}

async fn layers_get(
    State(state): State<AppState>,
    user: CurrentUser,
    params: Params,
) -> ApiResult<Json<LayerTableResponse>> {
    Ok(Json(load(&state, &user, &params).await?))
}

async fn layers_csv_get(State(state): State<AppState>, user: CurrentUser, params: Params) -> ApiResult<Response> {
    let figures = load(&state, &user, &params).await?;
    let lang: Lang = params.optional("lang")?.unwrap_or(Lang::Da);
    csv_attachment(layers_csv(&figures, lang), &format!("malgrupper-{}.csv", figures.table.on))
}

/// The table as CSV for Danish Excel (as `reports::statement_csv`): a
/// title line (scope and date), the header (age band, each layer, "in the
/// target group", not assessed, early-retirement pensioners, total), one
/// line per band, the totals.
pub fn layers_csv(f: &LayerTableResponse, lang: Lang) -> Vec<u8> {
    let t = |da: &'static str, en: &'static str| if lang == Lang::Da { da } else { en };
    let mut out = String::from("\u{feff}");
    out.push_str(&csv_row(&[f.scope_name.as_str(), &f.table.on.format(lang)]));
    let mut header = vec![t("Alder", "Age").to_owned()];
    header.extend(f.scheme.layers.iter().map(|l| l.label.get(lang).to_owned()));
    header.extend(
        [
            t("Målgruppe i alt", "Target group in total"),
            t("Ikke vurderet", "Not assessed"),
            t("Førtidspensionister", "Early-retirement pensioners"),
            t("I alt", "Total"),
        ]
        .map(str::to_owned),
    );
    out.push_str(&csv_row(&header.iter().map(String::as_str).collect::<Vec<_>>()));
    for row in f.table.rows.iter().chain(std::iter::once(&f.table.total)) {
        let band = row.band.map_or(t("I alt", "Total"), |b| b.label(lang));
        let mut cells = vec![band.to_owned()];
        cells.extend(row.by_layer.iter().map(u32::to_string));
        let all = row.in_layers + row.not_assessed + row.early_retirement;
        cells.extend([row.in_layers, row.not_assessed, row.early_retirement, all].map(|n| n.to_string()));
        out.push_str(&csv_row(&cells.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    if f.table.estimated > 0 {
        let note = match lang {
            Lang::Da => format!("{} borgere er talt efter fødselsår alene (alderen er skønnet)", f.table.estimated),
            Lang::En => format!("{} citizens are counted by birth year only (the age is estimated)", f.table.estimated),
        };
        out.push_str(&csv_row(&[note.as_str()]));
    }
    out.into_bytes()
}
