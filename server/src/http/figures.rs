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
use shared::access::{AccessAction, AccessPurpose, AccessSubject};
use shared::figures::{
    CaseGroup, HoursGroup, HoursRow, HoursTable, MonthSpan, Posts, ResourceSettings, ResourcesResponse, StaffHours,
    TrendChart, TrendMonth, TrendResponse, picture_day, trend_svg,
};
use shared::review::{
    Continuity, ContinuityLine, DoubleGrantLine, FigureScope, LayerTable, LayerTableResponse, ListsResponse,
    ScopeChoice, SharedGroupLine,
};
use shared::time::{Month, Period};
use shared::user::Role;
use shared::{AreaId, Date, Lang, Minutes, Problem, ShownHours, TeamId, UserId, ValidationError};

use crate::access;
use crate::auth::CurrentUser;
use crate::db::{self, Conn};
use crate::error::{ApiError, ApiResult};
use crate::http::{ApiJson, Params, attachment, csv_attachment};
use crate::reports::csv_row;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/figures/layers", get(layers_get))
        .route("/figures/layers.csv", get(layers_csv_get))
        .route("/figures/lists", get(lists_get))
        .route("/figures/lists.csv", get(lists_csv_get))
        .route("/figures/trend", get(trend_get))
        .route("/figures/trend.csv", get(trend_csv_get))
        .route("/figures/trend.svg", get(trend_svg_get))
        .route("/figures/resources", get(resources_get))
        .route("/figures/resources.csv", get(resources_csv_get))
        .route("/settings/resources", get(settings_get).put(settings_put))
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
    let today = state.clock.now().local_date();
    let on = match params.optional::<String>("on")? {
        Some(text) => shared::review::figures_date(&text, today)?,
        None => today,
    };
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
/// (seed 004), the double grants (seed 003), who waits for a worker or a
/// first visit (seed 000), the shared group and continuity. Names
/// citizens: every one named is logged once, as `action` (a read, or an
/// export for the CSV).
async fn lists(
    state: &AppState,
    user: &CurrentUser,
    params: &Params,
    action: AccessAction,
) -> ApiResult<ListsResponse> {
    let on = state.clock.now().local_date();
    let mut tx = state.db.begin_read().await?;
    let (chosen, scopes) = scope_asked(&mut tx, user, params).await?;
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
    let areas = db::org::areas(&mut tx).await?;
    let youth_areas: Vec<AreaId> =
        areas.iter().filter(|a| a.kind == shared::area::AreaKind::ChildrenYouth).map(|a| a.id).collect();
    let involved = db::figures::areas_involved(&mut tx, &ids, on).await?;
    let year_ago = on.add_months(-12).add_days(1);
    let persons = db::figures::support_persons(&mut tx, &ids, year_ago, on).await?;
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
    let shared_group: Vec<SharedGroupLine> = ids
        .iter()
        .filter_map(|id| {
            let mine: Vec<String> = involved
                .iter()
                .filter(|(c, _)| c == id)
                .filter_map(|(_, a)| areas.iter().find(|x| x.id == *a).map(|x| x.name.to_string()))
                .collect();
            (mine.len() >= 2).then(|| SharedGroupLine { citizen_id: *id, name: name_of(*id), areas: mine })
        })
        .collect();
    let continuity = Continuity::of(
        persons.into_iter().map(|(id, n)| ContinuityLine { citizen_id: id, name: name_of(id), persons: n }).collect(),
        year_ago,
    );
    let mut named: Vec<shared::CitizenId> = turning_18
        .iter()
        .map(|t| t.citizen_id)
        .chain(double_grants.iter().map(|d| d.grants.citizen_id))
        .chain(waiting.iter().map(|w| w.citizen_id))
        .chain(shared_group.iter().map(|s| s.citizen_id))
        .chain(continuity.many.iter().map(|c| c.citizen_id))
        .collect();
    named.sort();
    named.dedup();
    access::log_read(state, user.id, action, AccessPurpose::Oversight, named, Some(AccessSubject::LeadLists)).await?;
    Ok(ListsResponse {
        scope: chosen.scope,
        scope_name: chosen.name,
        on,
        turning_18,
        double_grants,
        waiting,
        shared_group,
        continuity,
        scopes,
    })
}

async fn lists_get(State(state): State<AppState>, user: CurrentUser, params: Params) -> ApiResult<Json<ListsResponse>> {
    Ok(Json(lists(&state, &user, &params, AccessAction::Read).await?))
}

async fn lists_csv_get(State(state): State<AppState>, user: CurrentUser, params: Params) -> ApiResult<Response> {
    let lists = lists(&state, &user, &params, AccessAction::Export).await?;
    let lang: Lang = params.optional("lang")?.unwrap_or(Lang::Da);
    csv_attachment(lists_csv(&lists, lang), &format!("lister-{}.csv", lists.on))
}

/// The lists as CSV for Danish Excel: the scope and the date, then one
/// section a list (its title, its header, its lines), a blank line between.
pub fn lists_csv(f: &ListsResponse, lang: Lang) -> Vec<u8> {
    let t = |da: &'static str, en: &'static str| lang.pick(da, en).to_owned();
    let mut out = String::from("\u{feff}");
    let mut line = |cells: Vec<String>| out.push_str(&csv_row(&cells.iter().map(String::as_str).collect::<Vec<_>>()));
    line(vec![f.scope_name.clone(), f.on.format(lang)]);
    line(vec![]);
    line(vec![t("Fylder 18 inden for et år", "Turning 18 within a year")]);
    line(vec![
        t("Navn", "Name"),
        t("Alder", "Age"),
        t("Fylder 18", "Turns 18"),
        t("Skønnet", "Estimated"),
        t("Bevillinger fra børn og unge", "Children-and-youth grants"),
    ]);
    for y in &f.turning_18 {
        let grants = y
            .grants
            .iter()
            .map(|g| match g.valid_to {
                Some(to) => format!("{} ({})", g.service.label(lang), to.format(lang)),
                None => format!("{} ({})", g.service.label(lang), t("uden slutdato", "no end date")),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let estimated = if y.estimated { t("ja", "yes") } else { String::new() };
        line(vec![y.name.clone(), y.age.to_string(), y.turns_18.to_string(), estimated, grants]);
    }
    line(vec![]);
    line(vec![t("Venter", "Waiting")]);
    line(vec![t("Navn", "Name"), t("Venter på", "Waiting for"), t("Siden", "Since"), t("Dage", "Days")]);
    for w in &f.waiting {
        let what = match w.waiting_for {
            shared::review::WaitingFor::Worker => t("en medarbejder", "a worker"),
            shared::review::WaitingFor::FirstVisit => t("det første besøg", "the first visit"),
        };
        line(vec![w.name.clone(), what, w.since.format(lang), w.days.to_string()]);
    }
    line(vec![]);
    line(vec![t("Dobbeltbevillinger", "Double grants")]);
    line(vec![t("Navn", "Name"), t("Fra", "From"), t("Til", "To")]);
    for d in &f.double_grants {
        line(vec![
            d.name.clone(),
            d.grants.from.format(lang),
            d.grants.to.map(|to| to.format(lang)).unwrap_or_default(),
        ]);
    }
    line(vec![]);
    line(vec![t("Fælles målgruppe", "Shared group")]);
    line(vec![t("Navn", "Name"), t("Områder", "Areas")]);
    for g in &f.shared_group {
        line(vec![g.name.clone(), g.areas.join(", ")]);
    }
    line(vec![]);
    line(vec![t(
        "Kontinuitet: tre støttepersoner eller flere det seneste år",
        "Continuity: three support persons or more in the last year",
    )]);
    line(vec![t("Navn", "Name"), t("Støttepersoner", "Support persons")]);
    for c in &f.continuity.many {
        line(vec![c.name.clone(), c.persons.to_string()]);
    }
    out.into_bytes()
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
    header.extend(f.scheme.layers.iter().map(|l| f.scheme.full_label(l, lang)));
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

/// The trend over `from`..=`to` (default: the twelve months up to this
/// one): per month, the picture on its last day (today for this month;
/// months after it are left out), its inflow and outflow, the shared
/// group, and the hours the scope's staff delivered by layer with the
/// posts they make (over the days up to the picture day). Counts only.
async fn trend(state: &AppState, user: &CurrentUser, params: &Params) -> ApiResult<TrendResponse> {
    let today = state.clock.now().local_date();
    let to: Month = params.optional("to")?.unwrap_or_else(|| Month::containing(today));
    let from: Month = params.optional("from")?.unwrap_or_else(|| MonthSpan::year_to(to).from);
    let span = MonthSpan { from, to };
    span.check()?;
    let months: Vec<(Month, Date)> =
        span.months().into_iter().filter_map(|m| picture_day(m, today).map(|day| (m, day))).collect();
    let mut tx = state.db.begin_read().await?;
    let (chosen, scopes) = scope_asked(&mut tx, user, params).await?;
    let scope = chosen.scope;
    let scheme = db::review::scheme(&mut tx).await?;
    let settings = db::figures::resource_settings(&mut tx).await?;
    // Stored months first; the rest from the rows, in the same snapshot
    // as the sums that will say whether they are still current.
    let seen = db::figures::changes_seen(&mut tx, &months.iter().map(|(m, _)| *m).collect::<Vec<_>>()).await?;
    let stored = db::figures::stored_months(&mut tx, scope, &months, &seen).await?;
    let (facts, computed) = complete_months(&mut tx, scope, &months, stored).await?;
    tx.commit().await?;
    if !computed.is_empty() {
        // Storing is a saving, not the answer: a busy database only means
        // the next request computes them again.
        if let Err(e) = store_months(state, scope, &months, &seen, &facts, &computed).await {
            tracing::warn!("the trend's months were computed but not stored: {e:#}");
        }
    }
    let out = months
        .iter()
        .zip(facts)
        .map(|((month, on), f)| {
            let row = HoursRow::by_layer(
                f.hours.by_layer.iter().map(|(layer, minutes)| (layer.as_deref(), *minutes)),
                f.hours.early_retirement,
                &scheme,
            );
            TrendMonth {
                month: *month,
                on: *on,
                counts: LayerTable::from_counts(&f.counts, &scheme, *on).total,
                opened: f.opened,
                closed: f.closed,
                first_grants: f.first_grants,
                first_assignments: f.first_assignments,
                shared_group: f.shared_group,
                posts: Posts::of(row.total, u32::from(on.day()), settings.full_time_week),
                hours: row,
            }
        })
        .collect();
    Ok(TrendResponse {
        scope,
        scope_name: chosen.name,
        scheme,
        span,
        months: out,
        full_time_week: settings.full_time_week,
        scopes,
    })
}

/// Every month's facts, from `stored` where current, computed where not:
/// the missing months (from the first to the last), and the hours alone
/// of months whose counts are current. Returns the facts and which months
/// were computed (in whole or in part) to be stored.
async fn complete_months(
    conn: &mut db::Conn,
    scope: FigureScope,
    months: &[(Month, Date)],
    stored: Vec<db::figures::Stored>,
) -> anyhow::Result<(Vec<db::figures::MonthFacts>, Vec<usize>)> {
    use db::figures::Stored;
    let span = |wanted: fn(&Stored) -> bool| {
        let at: Vec<usize> = stored.iter().enumerate().filter(|(_, s)| wanted(s)).map(|(i, _)| i).collect();
        at.first().zip(at.last()).map(|(&first, &last)| first..=last)
    };
    let missing = span(|s| matches!(s, Stored::Missing));
    let stale_hours = span(|s| matches!(s, Stored::HoursStale(_)));
    let mut fresh = match &missing {
        Some(range) => db::figures::month_facts(conn, scope, &months[range.clone()]).await?,
        None => Vec::new(),
    }
    .into_iter();
    let mut hours = match &stale_hours {
        Some(range) => db::figures::hours_per_month(conn, scope, &months[range.clone()]).await?,
        None => Vec::new(),
    }
    .into_iter();
    let mut facts = Vec::with_capacity(months.len());
    let mut computed = Vec::new();
    for (i, stored) in stored.into_iter().enumerate() {
        // One of each per month of its span, taken in order.
        let newly = missing.as_ref().filter(|r| r.contains(&i)).and_then(|_| fresh.next());
        let new_hours = stale_hours.as_ref().filter(|r| r.contains(&i)).and_then(|_| hours.next());
        let f = match (newly, stored) {
            (Some(f), _) => f,
            (None, Stored::Current(f)) => {
                facts.push(f);
                continue;
            }
            (None, Stored::HoursStale(mut f)) => {
                f.hours = new_hours.ok_or_else(|| anyhow::anyhow!("a month's hours left out"))?;
                f
            }
            (None, Stored::Missing) => anyhow::bail!("a month of the trend left out"),
        };
        facts.push(f);
        computed.push(i);
    }
    Ok((facts, computed))
}

/// Stores the months at `computed` of `facts` (each under its `seen`).
async fn store_months(
    state: &AppState,
    scope: FigureScope,
    months: &[(Month, Date)],
    seen: &[db::figures::Seen],
    facts: &[db::figures::MonthFacts],
    computed: &[usize],
) -> anyhow::Result<()> {
    let mut tx = state.db.begin_write().await?;
    for &i in computed {
        db::figures::store_month(&mut tx, scope, months[i].0, seen[i], &facts[i]).await?;
    }
    db::figures::fold_changes(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

async fn trend_get(State(state): State<AppState>, user: CurrentUser, params: Params) -> ApiResult<Json<TrendResponse>> {
    Ok(Json(trend(&state, &user, &params).await?))
}

async fn trend_csv_get(State(state): State<AppState>, user: CurrentUser, params: Params) -> ApiResult<Response> {
    let figures = trend(&state, &user, &params).await?;
    let lang: Lang = params.optional("lang")?.unwrap_or(Lang::Da);
    csv_attachment(trend_csv(&figures, lang), &format!("udvikling-{}-{}.csv", figures.span.from, figures.span.to))
}

/// A chart of the trend as SVG (`chart=citizens`, the default, or `hours`).
async fn trend_svg_get(State(state): State<AppState>, user: CurrentUser, params: Params) -> ApiResult<Response> {
    let figures = trend(&state, &user, &params).await?;
    let lang: Lang = params.optional("lang")?.unwrap_or(Lang::Da);
    let chart: TrendChart = params.optional("chart")?.unwrap_or(TrendChart::Citizens);
    let what = match (chart, lang) {
        (TrendChart::Citizens, Lang::Da) => "borgere",
        (TrendChart::Hours, Lang::Da) => "timer",
        (TrendChart::Citizens, Lang::En) => "citizens",
        (TrendChart::Hours, Lang::En) => "hours",
    };
    let name = format!("{}-{what}-{}-{}.svg", lang.pick("udvikling", "trend"), figures.span.from, figures.span.to);
    attachment(trend_svg(&figures, chart, lang, true).into_bytes(), "image/svg+xml", &name)
}

/// The trend as CSV: one line per month with the counts by layer, not
/// assessed, early-retirement pensioners, the total; inflow and outflow;
/// the shared group; hours by layer (hours with two decimals) and posts.
pub fn trend_csv(f: &TrendResponse, lang: Lang) -> Vec<u8> {
    let t = |da: &'static str, en: &'static str| lang.pick(da, en).to_owned();
    let mut out = String::from("\u{feff}");
    out.push_str(&csv_row(&[f.scope_name.as_str()]));
    let mut header = vec![t("Måned", "Month")];
    header.extend(f.scheme.layers.iter().map(|l| f.scheme.full_label(l, lang)));
    header.extend([
        t("Ikke vurderet", "Not assessed"),
        t("Førtidspensionister", "Early-retirement pensioners"),
        t("I alt", "Total"),
        t("Sager åbnet", "Cases opened"),
        t("Sager lukket", "Cases closed"),
        t("Første bevilling", "First grant"),
        t("Første tilknytning", "First assignment"),
        t("Fælles målgruppe", "Shared group"),
    ]);
    header
        .extend(f.scheme.layers.iter().map(|l| format!("{} ({})", t("Timer", "Hours"), f.scheme.full_label(l, lang))));
    header.extend([
        t("Timer, ikke vurderet", "Hours, not assessed"),
        t("Timer, førtidspensionister", "Hours, early-retirement pensioners"),
        t("Timer i alt", "Hours in total"),
    ]);
    header.push(t("Fuldtidsstillinger", "Full-time posts"));
    out.push_str(&csv_row(&header.iter().map(String::as_str).collect::<Vec<_>>()));
    for m in &f.months {
        let c = &m.counts;
        let mut cells = vec![m.month.to_string()];
        cells.extend(c.by_layer.iter().map(u32::to_string));
        let all = c.in_layers + c.not_assessed + c.early_retirement;
        cells.extend(
            [c.not_assessed, c.early_retirement, all, m.opened, m.closed, m.first_grants, m.first_assignments]
                .map(|n| n.to_string()),
        );
        cells.push(m.shared_group.to_string());
        cells.extend(m.hours.shown(&f.scheme).iter().map(|h| h.format_fixed(lang)));
        cells.push(m.posts.format(lang));
        out.push_str(&csv_row(&cells.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    out.into_bytes()
}

/// The month's resources for the scope: hours by layer × band for all its
/// staff, per team and per worker, with posts; cost per payer; caseloads
/// on the picture day. Names staff only: not access-logged.
async fn resources(state: &AppState, user: &CurrentUser, params: &Params) -> ApiResult<ResourcesResponse> {
    let today = state.clock.now().local_date();
    let month: Month = params.optional("month")?.unwrap_or_else(|| Month::containing(today));
    let on = picture_day(month, today).ok_or_else(|| ValidationError::new("month", Problem::InFuture))?;
    let mut tx = state.db.begin_read().await?;
    let (chosen, scopes) = scope_asked(&mut tx, user, params).await?;
    let scope = chosen.scope;
    let scheme = db::review::scheme(&mut tx).await?;
    let settings = db::figures::resource_settings(&mut tx).await?;
    let groups = db::figures::hours(&mut tx, scope, month, on).await?;
    let areas = db::org::areas(&mut tx).await?;
    let teams: Vec<_> = db::org::all_teams(&mut tx)
        .await?
        .into_iter()
        .filter(|t| match scope {
            FigureScope::Municipality => true,
            FigureScope::Area(a) => t.area.id == a,
            FigureScope::Team(id) => t.id == id,
        })
        .collect();
    let team_ids: Vec<TeamId> = teams.iter().map(|t| t.id).collect();
    let members = db::figures::members_of(&mut tx, &team_ids).await?;
    let mut workers: Vec<UserId> = groups.iter().map(|g| g.worker).collect();
    workers.sort();
    workers.dedup();
    let charged = db::figures::charged(&mut tx, scope, month).await?;
    let cases = db::figures::caseloads(&mut tx, scope, on).await?;
    let norms = db::reports::caseload_norms(&mut tx).await?;
    let mut people: Vec<UserId> = workers.clone();
    people.extend(cases.iter().map(|(g, _)| g.caseworker));
    people.sort();
    people.dedup();
    let names = db::figures::staff_names(&mut tx, &people).await?;
    tx.commit().await?;

    let days = u32::from(on.day());
    let week = settings.full_time_week;
    let staff = |name: String, team: Option<String>, filter: &dyn Fn(&HoursGroup) -> bool| {
        let table = HoursTable::of(groups.iter().filter(|g| filter(g)), &scheme, on);
        let posts = Posts::of(table.total.total, days, week);
        StaffHours { name, team, table, posts }
    };
    let name_of = |id: UserId| names.iter().find(|n| n.0 == id).map(|n| n.1.clone()).unwrap_or_default();
    // A worker's team: the first (by area and name) of their teams in the scope.
    let team_of = |id: UserId| teams.iter().find(|t| members.iter().any(|(u, team)| *u == id && *team == t.id));
    let all = staff(chosen.name.clone(), None, &|_| true);
    let mut by_team: Vec<StaffHours> = teams
        .iter()
        .map(|t| {
            let mine: Vec<UserId> =
                workers.iter().copied().filter(|w| team_of(*w).map(|x| x.id) == Some(t.id)).collect();
            staff(t.name.to_string(), None, &|g| mine.contains(&g.worker))
        })
        .filter(|s| s.table.total.total > Minutes::ZERO)
        .collect();
    // Staff in none of the scope's teams (the municipality's, or an
    // administrator who logged a visit): a line with no name, which the
    // page and the CSV call "Uden team" / "No team".
    let outside: Vec<UserId> = workers.iter().copied().filter(|w| team_of(*w).is_none()).collect();
    if !outside.is_empty() {
        by_team.push(staff(String::new(), None, &|g| outside.contains(&g.worker)));
    }
    let mut by_worker: Vec<StaffHours> = workers
        .iter()
        .map(|w| staff(name_of(*w), team_of(*w).map(|t| t.name.to_string()), &|g| g.worker == *w))
        .collect();
    by_worker.sort_by(|a, b| a.name.cmp(&b.name));
    let area_name = |id: AreaId| areas.iter().find(|a| a.id == id).map(|a| a.name.to_string());
    let charged: Vec<_> = charged.into_iter().map(|(payer, kind, m)| (payer.and_then(area_name), kind, m)).collect();
    let norm_names: Vec<(UserId, String, u32)> = people
        .iter()
        .map(|p| {
            let norm = cases.iter().filter(|(g, _)| g.caseworker == *p).map(|(_, k)| norms.for_area(*k)).max();
            (*p, name_of(*p), norm.unwrap_or(0))
        })
        .collect();
    let case_groups: Vec<CaseGroup> = cases.into_iter().map(|(g, _)| g).collect();
    Ok(ResourcesResponse {
        scope,
        scope_name: chosen.name,
        scheme,
        month,
        on,
        full_time_week: week,
        all,
        teams: by_team,
        workers: by_worker,
        costs: shared::figures::costs(&charged, &settings),
        caseloads: shared::figures::caseloads(&case_groups, &norm_names, on),
        scopes,
    })
}

async fn resources_get(
    State(state): State<AppState>,
    user: CurrentUser,
    params: Params,
) -> ApiResult<Json<ResourcesResponse>> {
    Ok(Json(resources(&state, &user, &params).await?))
}

async fn resources_csv_get(State(state): State<AppState>, user: CurrentUser, params: Params) -> ApiResult<Response> {
    let figures = resources(&state, &user, &params).await?;
    let lang: Lang = params.optional("lang")?.unwrap_or(Lang::Da);
    csv_attachment(resources_csv(&figures, lang), &format!("ressourcer-{}.csv", figures.month))
}

/// The month's resources as CSV, three sections: hours (one line per team
/// or worker and band: hours per layer, not assessed, early-retirement
/// pensioners, total, posts), cost
/// per payer and kind, caseloads per case worker by band.
pub fn resources_csv(f: &ResourcesResponse, lang: Lang) -> Vec<u8> {
    let t = |da: &'static str, en: &'static str| lang.pick(da, en).to_owned();
    let hours = |m: Minutes| ShownHours::of(m).format_fixed(lang);
    let mut out = String::from("\u{feff}");
    let mut line = |cells: Vec<String>| out.push_str(&csv_row(&cells.iter().map(String::as_str).collect::<Vec<_>>()));
    line(vec![f.scope_name.clone(), f.month.to_string()]);
    let mut header = vec![t("Hvem", "Who"), t("Team", "Team"), t("Alder", "Age")];
    header.extend(f.scheme.layers.iter().map(|l| f.scheme.full_label(l, lang)));
    header.extend([
        t("Ikke vurderet", "Not assessed"),
        t("Førtidspensionister", "Early-retirement pensioners"),
        t("Timer i alt", "Hours in total"),
        t("Fuldtidsstillinger", "Full-time posts"),
    ]);
    line(header);
    for s in std::iter::once(&f.all).chain(&f.teams).chain(&f.workers) {
        for (band, shown) in s.table.shown(&f.scheme) {
            let label = band.map_or(t("I alt", "Total"), |b| b.label(lang).to_owned());
            let name = if s.name.is_empty() { t("Uden team", "No team") } else { s.name.clone() };
            let mut cells = vec![name, s.team.clone().unwrap_or_default(), label];
            cells.extend(shown.iter().map(|h| h.format_fixed(lang)));
            cells.push(if band.is_none() { s.posts.format(lang) } else { String::new() });
            line(cells);
        }
    }
    line(vec![]);
    line(vec![
        t("Betaler", "Payer"),
        t("Ydelse", "Service"),
        t("Timer", "Hours"),
        t("Timepris", "Hourly rate"),
        t("Kroner", "Kroner"),
    ]);
    for payer in &f.costs {
        for l in &payer.lines {
            line(vec![
                l.payer.clone().unwrap_or_else(|| t("Ikke henført", "Not charged")),
                l.kind.map_or_else(String::new, |k| k.label(lang).to_owned()),
                hours(l.minutes),
                l.rate.map_or_else(String::new, |r| r.to_string()),
                l.kroner.map_or_else(String::new, |k| k.to_string()),
            ]);
        }
    }
    line(vec![]);
    let mut header = vec![t("Sagsbehandler", "Case worker")];
    header.extend(shared::review::AgeBand::ALL.iter().map(|b| b.label(lang).to_owned()));
    header.extend([t("Sager i alt", "Cases in total"), t("Norm", "Norm")]);
    line(header);
    for c in &f.caseloads {
        let mut cells = vec![c.name.clone()];
        cells.extend(c.by_band.iter().map(u32::to_string));
        cells.extend([c.total.to_string(), c.norm.to_string()]);
        line(cells);
    }
    out.into_bytes()
}

/// The full-time week and the hourly rates: anyone who sees figures may
/// read them (the posts and kroner rest on them); an administrator sets
/// them.
async fn settings_get(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<ResourceSettings>> {
    let mut tx = state.db.begin_read().await?;
    if !user.has_role(Role::Admin) && scopes_of(&mut tx, &user).await?.is_empty() {
        return Err(ApiError::Forbidden);
    }
    let settings = db::figures::resource_settings(&mut tx).await?;
    tx.commit().await?;
    Ok(Json(settings))
}

async fn settings_put(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(settings): ApiJson<ResourceSettings>,
) -> ApiResult<Json<ResourceSettings>> {
    if !user.has_role(Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    let mut conn = state.db.acquire().await?;
    db::figures::set_resource_settings(&mut conn, &settings).await?;
    tracing::info!(admin = %user.id, "resource settings written");
    Ok(Json(settings))
}
