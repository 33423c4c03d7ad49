//! The resource picture over time (issue 14, seed 000), for the scopes
//! the user may see (as `/figures`):
//!
//! - `/figures/trend`: month by month, the citizens by layer (an SVG
//!   chart and a table), inflow and outflow, the shared group's size, the
//!   hours delivered and the full-time posts they make;
//! - `/figures/resources`: one month's hours by layer × age band for the
//!   scope's staff, per team and per worker, with full-time posts; the
//!   cost per payer area; open cases per case worker.
//!
//! Both fetch and keep their last copy for offline reading, print well,
//! and download as CSV for Danish spreadsheets (the chart as SVG).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::figures::{MonthSpan, ResourcesResponse, StaffHours, TrendChart, TrendResponse, format_kroner, trend_svg};
use shared::review::{AgeBand, FigureScope, Scheme};
use shared::time::{Month, Period};
use shared::{Lang, ShownHours};

use crate::api;
use crate::components::loaded::{Fetched, Loaded};
use crate::components::print::PrintButton;
use crate::data::fetch_or_cached;
use crate::format;
use crate::i18n::{tr, use_lang};
use crate::pages::figures::{FiguresNav, ScopeSelect, kept_scopes, scope_from_query};

/// The spans the trend offers: (key, Danish, English, months back from
/// this one; `None` for the calendar years).
const SPANS: [(&str, &str, &str); 5] = [
    ("12", "Seneste 12 måneder", "Last 12 months"),
    ("24", "Seneste 24 måneder", "Last 24 months"),
    ("36", "Seneste 36 måneder", "Last 36 months"),
    ("this-year", "I år", "This year"),
    ("last-year", "Sidste år", "Last year"),
];

/// The span a [`SPANS`] key names, as of `this` month.
fn span_of(key: &str, this: Month) -> MonthSpan {
    let back = |n: i32| MonthSpan { from: Month::containing(this.first_day().add_months(1 - n)), to: this };
    match key {
        "24" => back(24),
        "36" => back(36),
        "this-year" => {
            MonthSpan { from: Month::containing(this.first_day().add_months(1 - i32::from(this.month()))), to: this }
        }
        "last-year" => {
            let january = this.first_day().add_months(1 - i32::from(this.month()));
            MonthSpan { from: Month::containing(january.add_months(-12)), to: Month::containing(january.add_days(-1)) }
        }
        _ => back(12),
    }
}

fn scope_in_query() -> Option<FigureScope> {
    use_query_map().with_untracked(|q| scope_from_query(q.get("area"), q.get("team"), q.get("scope")))
}

/// A whole number the language's way.
fn n(lang: Lang, v: u32) -> String {
    lang.group_thousands(i64::from(v))
}

/// The trend page.
#[component]
pub fn TrendPage() -> impl IntoView {
    let lang = use_lang();
    let this = Month::containing(crate::clock::now().local_date());
    let scope = RwSignal::new(scope_in_query());
    let span_key = RwSignal::new("12".to_owned());
    let trend: LocalResource<Fetched<TrendResponse>> = LocalResource::new(move || {
        let (chosen, key) = (scope.get(), span_key.get());
        async move {
            let span = span_of(&key, this);
            let name =
                format!("figures-trend:{}:{}:{}", chosen.map(FigureScope::key).unwrap_or_default(), span.from, span.to);
            fetch_or_cached(&name, api::trend(chosen, span)).await
        }
    });
    let answer = kept_scopes(move || match trend.get() {
        Some(Ok((t, _))) => Some((t.scope, t.scopes)),
        _ => None,
    });
    let span = move || span_of(&span_key.get(), this);
    let show = move |t: TrendResponse| view! { <TrendView trend=t/> };
    view! {
        <section class="lead-page figures-page" aria-labelledby="trend-title">
            <h1 class="page-title" id="trend-title">{tr("Udvikling måned for måned", "Month by month")}</h1>
            <FiguresNav current="trend" scope=scope/>
            <p class="lead-page__as-of">{tr(
                "Borgere pr. lag den sidste dag i hver måned (i dag for denne måned), tilgang og afgang, den fælles målgruppe og de leverede timer.",
                "Citizens by layer on the last day of each month (today for this month), inflow and outflow, the shared group and the hours delivered.",
            )}</p>
            <div class="lead-page__filters no-print">
                <ScopeSelect scope=scope answer=answer/>
                <label class="field">
                    <span class="field__label">{tr("Periode", "Period")}</span>
                    <select class="field__input" data-testid="span-select"
                        on:change=move |ev| span_key.set(event_target_value(&ev))>
                        {SPANS.iter().map(|(key, da, en)| {
                            let selected = move || span_key.get() == *key;
                            view! { <option value=*key selected=selected>{move || lang.get().pick(*da, *en)}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <Loaded resource=trend what=("udviklingen", "the trend") show=show/>
            <div class="lead-page__filters no-print">
                <a class="button button--primary" data-testid="download-trend-csv" download=""
                    href=move || api::trend_csv_url(scope.get(), span(), lang.get())>{tr("Hent CSV", "Download CSV")}</a>
                <a class="button" data-testid="download-trend-svg" download=""
                    href=move || api::trend_svg_url(scope.get(), span(), TrendChart::Citizens, lang.get())>{tr("Hent graf over borgere (SVG)", "Download the citizens chart (SVG)")}</a>
                <a class="button" download=""
                    href=move || api::trend_svg_url(scope.get(), span(), TrendChart::Hours, lang.get())>{tr("Hent graf over timer (SVG)", "Download the hours chart (SVG)")}</a>
                <PrintButton/>
            </div>
        </section>
    }
}

#[component]
fn TrendView(trend: TrendResponse) -> impl IntoView {
    let lang = use_lang();
    move || {
        let l = lang.get();
        let t = trend.clone();
        let heading = match (t.months.first(), t.months.last()) {
            (Some(a), Some(b)) => {
                format!("{} · {} – {}", t.scope_name, format::month_label(a.month, l), format::month_label(b.month, l))
            }
            _ => t.scope_name.clone(),
        };
        let citizens = trend_svg(&t, TrendChart::Citizens, l, false);
        let hours = trend_svg(&t, TrendChart::Hours, l, false);
        let week = ShownHours::of(t.full_time_week).format(l);
        view! {
            <h2 class="section-title" data-testid="trend-heading">{heading}</h2>
            {if t.months.is_empty() {
                view! { <p class="empty">{tr("Perioden er ikke begyndt endnu.", "The period has not begun yet.")}</p> }.into_any()
            } else {
                view! {
                    <div class="figures-charts">
                        <figure class="chart" data-testid="trend-chart-citizens">
                            <figcaption class="chart__caption">{tr("Borgere pr. lag", "Citizens by layer")}</figcaption>
                            <div class="chart__svg" inner_html=citizens></div>
                        </figure>
                        <figure class="chart" data-testid="trend-chart-hours">
                            <figcaption class="chart__caption">{tr("Leverede timer pr. lag", "Hours delivered by layer")}</figcaption>
                            <div class="chart__svg" inner_html=hours></div>
                        </figure>
                    </div>
                    <div class="table-wrap" role="region" tabindex="0" aria-labelledby="trend-title">
                        <table class="lead-table figures-table" data-testid="trend-table">
                            <thead><tr>
                                <th scope="col">{tr("Måned", "Month")}</th>
                                {t.scheme.layers.iter().map(|layer| view! { <th scope="col">{t.scheme.full_label(layer, l)}</th> }).collect_view()}
                                <th scope="col">{tr("Ikke vurderet", "Not assessed")}</th>
                                <th scope="col">{tr("Førtidspensionister", "Early-retirement pensioners")}</th>
                                <th scope="col">{tr("I alt", "Total")}</th>
                                <th scope="col">{tr("Sager åbnet", "Cases opened")}</th>
                                <th scope="col">{tr("Sager lukket", "Cases closed")}</th>
                                <th scope="col">{tr("Første bevilling", "First grant")}</th>
                                <th scope="col">{tr("Første tilknytning", "First assignment")}</th>
                                <th scope="col">{tr("Fælles målgruppe", "Shared group")}</th>
                                <th scope="col">{tr("Leverede timer", "Hours delivered")}</th>
                                <th scope="col">{tr("Fuldtidsstillinger", "Full-time posts")}</th>
                            </tr></thead>
                            <tbody>
                                {t.months.iter().map(|m| {
                                    let c = &m.counts;
                                    let all = c.in_layers + c.not_assessed + c.early_retirement;
                                    let hours = m.hours.shown(&t.scheme).last().copied().unwrap_or(ShownHours::ZERO).format_column(l);
                                    view! {
                                        <tr data-testid="trend-row">
                                            <th scope="row">{format::month_label(m.month, l)}{partial_month(m.month, m.on, l)}</th>
                                            {c.by_layer.iter().map(|v| view! { <td>{n(l, *v)}</td> }).collect_view()}
                                            <td>{n(l, c.not_assessed)}</td>
                                            <td>{n(l, c.early_retirement)}</td>
                                            <td>{n(l, all)}</td>
                                            <td>{n(l, m.opened)}</td>
                                            <td>{n(l, m.closed)}</td>
                                            <td>{n(l, m.first_grants)}</td>
                                            <td>{n(l, m.first_assignments)}</td>
                                            <td>{n(l, m.shared_group)}</td>
                                            <td>{hours}</td>
                                            <td>{m.posts.format(l)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <p class="lead-page__as-of">{match l {
                        Lang::Da => format!("Timerne er leveret af medarbejderne i det valgte område eller team. En fuldtidsstilling er {week} timer om ugen. Den fælles målgruppe: borgere, som to eller flere områder hjælper eller betaler for."),
                        Lang::En => format!("The hours are those delivered by the staff of the chosen area or team. A full-time post is {week} hours a week. The shared group: citizens whom two areas or more serve or pay for."),
                    }}</p>
                }.into_any()
            }}
        }
    }
}

/// The resources page.
#[component]
pub fn ResourcesPage() -> impl IntoView {
    let lang = use_lang();
    let this = Month::containing(crate::clock::now().local_date());
    let scope = RwSignal::new(scope_in_query());
    let month = RwSignal::new(this);
    let resources: LocalResource<Fetched<ResourcesResponse>> = LocalResource::new(move || {
        let (chosen, m) = (scope.get(), month.get());
        async move {
            let name = format!("figures-resources:{}:{m}", chosen.map(FigureScope::key).unwrap_or_default());
            fetch_or_cached(&name, api::resources(chosen, m)).await
        }
    });
    let answer = kept_scopes(move || match resources.get() {
        Some(Ok((r, _))) => Some((r.scope, r.scopes)),
        _ => None,
    });
    let months: Vec<Month> = {
        let mut out = vec![this];
        for _ in 0..23 {
            let last = *out.last().unwrap_or(&this);
            out.push(Month::containing(last.first_day().add_days(-1)));
        }
        out
    };
    let show = move |r: ResourcesResponse| view! { <ResourcesView resources=r/> };
    view! {
        <section class="lead-page figures-page" aria-labelledby="resources-title">
            <h1 class="page-title" id="resources-title">{tr("Timer, stillinger og udgifter", "Hours, posts and costs")}</h1>
            <FiguresNav current="resources" scope=scope/>
            <div class="lead-page__filters no-print">
                <ScopeSelect scope=scope answer=answer/>
                <label class="field">
                    <span class="field__label">{tr("Måned", "Month")}</span>
                    <select class="field__input" data-testid="month-select"
                        on:change=move |ev| {
                            if let Ok(m) = Month::try_from(event_target_value(&ev)) { month.set(m) }
                        }>
                        {months.into_iter().map(|m| {
                            let selected = move || month.get() == m;
                            view! { <option value=m.to_string() selected=selected>{move || format::month_label(m, lang.get())}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <Loaded resource=resources what=("tallene", "the figures") show=show/>
            <div class="lead-page__filters no-print">
                <a class="button button--primary" data-testid="download-resources-csv" download=""
                    href=move || api::resources_csv_url(scope.get(), month.get(), lang.get())>{tr("Hent CSV", "Download CSV")}</a>
                <PrintButton/>
            </div>
        </section>
    }
}

/// After a month's name, for the month running now (its picture day
/// before its last day): " (til og med 01.12.2026)", so a first day's few
/// hours are not read as a whole month's.
fn partial_month(month: shared::time::Month, on: shared::Date, l: Lang) -> Option<String> {
    (on < month.last_day()).then(|| match l {
        Lang::Da => format!(" (til og med {})", on.format(l)),
        Lang::En => format!(" (up to and including {})", on.format(l)),
    })
}

/// The header cells of an hours table: the layers, not assessed, the
/// early-retirement pensioners, the total.
fn hours_header(scheme: &Scheme, l: Lang) -> impl IntoView + use<> {
    let layers: Vec<String> = scheme.layers.iter().map(|layer| scheme.full_label(layer, l)).collect();
    view! {
        {layers.into_iter().map(|label| view! { <th scope="col">{label}</th> }).collect_view()}
        <th scope="col">{l.pick("Ikke vurderet", "Not assessed")}</th>
        <th scope="col">{l.pick("Førtidspensionister", "Early-retirement pensioners")}</th>
        <th scope="col">{l.pick("Timer i alt", "Hours in total")}</th>
    }
}

/// One line per team or worker: their total row's shown hours and posts.
fn staff_rows(staff: Vec<StaffHours>, scheme: &Scheme, with_team: bool, l: Lang) -> impl IntoView + use<> {
    staff
        .into_iter()
        .map(|s| {
            let cells = s.table.shown(scheme).last().map(|(_, c)| c.clone()).unwrap_or_default();
            let team = s.team.unwrap_or_default();
            let name = if s.name.is_empty() { l.pick("Uden team", "No team").to_owned() } else { s.name };
            view! {
                <tr data-testid="staff-row">
                    <th scope="row">{name}</th>
                    {with_team.then(|| view! { <td>{team}</td> })}
                    {cells.into_iter().map(|h| view! { <td>{h.format_column(l)}</td> }).collect_view()}
                    <td>{s.posts.format(l)}</td>
                </tr>
            }
        })
        .collect_view()
}

#[component]
fn ResourcesView(resources: ResourcesResponse) -> impl IntoView {
    let lang = use_lang();
    move || {
        let l = lang.get();
        let r = resources.clone();
        let heading = format!("{} · {}", r.scope_name, format::month_label(r.month, l));
        let week = ShownHours::of(r.full_time_week).format(l);
        let posts = r.all.posts.format(l);
        let shown = r.all.table.shown(&r.scheme);
        let kroner_missing = r.costs.iter().any(|p| !p.complete && p.payer.is_some());
        view! {
            <h2 class="section-title" data-testid="resources-heading">{heading}</h2>
            {(r.on < r.month.last_day()).then(|| view! {
                <p class="notice" role="status" data-testid="month-partial">{match l {
                    Lang::Da => format!("Måneden er ikke slut: tallene gælder til og med {}.", r.on.format(l)),
                    Lang::En => format!("The month is not over: the figures run up to and including {}.", r.on.format(l)),
                }}</p>
            })}
            <h3 class="section-title" id="hours-title">{tr("Leverede timer pr. lag og aldersgruppe", "Hours delivered by layer and age band")}</h3>
            {if shown.len() <= 1 {
                view! { <p class="empty">{tr("Ingen timer leveret i måneden.", "No hours delivered in the month.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" role="region" tabindex="0" aria-labelledby="hours-title">
                        <table class="lead-table figures-table" data-testid="hours-table">
                            <thead><tr><th scope="col">{tr("Alder", "Age")}</th>{hours_header(&r.scheme, l)}</tr></thead>
                            <tbody>
                                {shown.into_iter().map(|(band, cells)| {
                                    let label = band.map_or_else(|| l.pick("I alt", "Total").to_owned(), |b: AgeBand| b.label(l).to_owned());
                                    view! {
                                        <tr class:lead-table__total=band.is_none() data-testid="hours-row">
                                            <th scope="row">{label}</th>
                                            {cells.into_iter().map(|h| view! { <td>{h.format_column(l)}</td> }).collect_view()}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <p class="lead-page__as-of" data-testid="posts">{match l {
                Lang::Da => format!("Svarer til {posts} fuldtidsstillinger à {week} timer om ugen (alder og lag pr. {})", r.on.format(l)),
                Lang::En => format!("The same as {posts} full-time posts of {week} hours a week (age and layer as of {})", r.on.format(l)),
            }}</p>
            // No hours in the month: the per-team and per-worker tables
            // would be headers only; the line above says so already.
            {(!r.workers.is_empty()).then(|| view! {
                <h3 class="section-title" id="teams-title">{tr("Pr. team", "By team")}</h3>
                <div class="table-wrap" role="region" tabindex="0" aria-labelledby="teams-title">
                    <table class="lead-table figures-table" data-testid="teams-table">
                        <thead><tr><th scope="col">{tr("Team", "Team")}</th>{hours_header(&r.scheme, l)}<th scope="col">{tr("Stillinger", "Posts")}</th></tr></thead>
                        <tbody>{staff_rows(r.teams, &r.scheme, false, l)}</tbody>
                    </table>
                </div>
                <h3 class="section-title" id="workers-title">{tr("Pr. medarbejder", "By worker")}</h3>
                <div class="table-wrap" role="region" tabindex="0" aria-labelledby="workers-title">
                    <table class="lead-table figures-table" data-testid="workers-table">
                        <thead><tr><th scope="col">{tr("Medarbejder", "Worker")}</th><th scope="col">{tr("Team", "Team")}</th>{hours_header(&r.scheme, l)}<th scope="col">{tr("Stillinger", "Posts")}</th></tr></thead>
                        <tbody>{staff_rows(r.workers, &r.scheme, true, l)}</tbody>
                    </table>
                </div>
            })}
            <h3 class="section-title" id="costs-title">{tr("Udgift pr. betaler", "Cost by payer")}</h3>
            {if r.costs.is_empty() {
                view! { <p class="empty">{tr("Ingen timer at betale for i måneden.", "No hours to pay for in the month.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" role="region" tabindex="0" aria-labelledby="costs-title">
                        <table class="lead-table figures-table" data-testid="costs-table">
                            <thead><tr>
                                <th scope="col">{tr("Betaler", "Payer")}</th>
                                <th scope="col">{tr("Ydelse", "Service")}</th>
                                <th scope="col">{tr("Timer", "Hours")}</th>
                                <th scope="col">{tr("Timepris", "Hourly rate")}</th>
                                <th scope="col">{tr("Udgift", "Cost")}</th>
                            </tr></thead>
                            <tbody>
                                {r.costs.into_iter().map(|p| {
                                    let payer = p.payer.clone().unwrap_or_else(|| l.pick("Ikke henført", "Not charged").to_owned());
                                    // No line with a rate: no sum to show (issue 14's walk:
                                    // "0 kr." for hours nobody has priced).
                                    let priced = p.lines.iter().any(|line| line.kroner.is_some());
                                    let lines = p.lines.into_iter().map(|line| {
                                        let kind = line.kind.map_or_else(|| "–".to_owned(), |k| k.label(l).to_owned());
                                        let rate = line.rate.map_or_else(|| l.pick("ikke sat", "not set").to_owned(), |r| format_kroner(r.into(), l));
                                        let cost = line.kroner.map_or_else(|| "–".to_owned(), |k| format_kroner(k, l));
                                        view! {
                                            <tr data-testid="cost-row">
                                                <th scope="row">{payer.clone()}</th>
                                                <td>{kind}</td>
                                                <td>{ShownHours::of(line.minutes).format_column(l)}</td>
                                                <td>{rate}</td>
                                                <td>{cost}</td>
                                            </tr>
                                        }
                                    }).collect_view();
                                    let total = if p.payer.is_some() {
                                        let sum = format_kroner(p.kroner, l);
                                        Some(view! {
                                            <tr class="lead-table__total">
                                                <th scope="row">{format!("{payer} {}", l.pick("i alt", "in total"))}</th>
                                                <td></td><td></td><td></td>
                                                <td data-testid="cost-total">{match (priced, p.complete) {
                                                    (false, _) => l.pick("ingen timepris sat", "no hourly rate set").to_owned(),
                                                    (true, true) => sum,
                                                    (true, false) => format!("{sum} {}", l.pick("+ timer uden timepris", "+ hours without a rate")),
                                                }}</td>
                                            </tr>
                                        })
                                    } else { None };
                                    view! { {lines}{total} }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {kroner_missing.then(|| view! {
                        <p class="lead-page__as-of" data-testid="rate-missing">{tr(
                            "Nogle ydelser har ingen timepris endnu: en administrator sætter den under Admin › Stillinger og timepriser.",
                            "Some services have no hourly rate yet: an administrator sets it under Admin › Posts and hourly rates.",
                        )}</p>
                    })}
                }.into_any()
            }}
            <h3 class="section-title" id="caseloads-title">{tr("Åbne sager pr. sagsbehandler", "Open cases per case worker")}</h3>
            {if r.caseloads.is_empty() {
                view! { <p class="empty">{tr("Ingen åbne sager med en sagsbehandler på datoen.", "No open cases with a case worker on the date.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" role="region" tabindex="0" aria-labelledby="caseloads-title">
                        <table class="lead-table figures-table" data-testid="caseloads-table">
                            <thead><tr>
                                <th scope="col">{tr("Sagsbehandler", "Case worker")}</th>
                                {AgeBand::ALL.iter().map(|b| view! { <th scope="col">{b.label(l)}</th> }).collect_view()}
                                <th scope="col">{tr("I alt", "Total")}</th>
                                <th scope="col">{tr("Norm", "Norm")}</th>
                            </tr></thead>
                            <tbody>
                                {r.caseloads.into_iter().map(|c| {
                                    let over = c.norm > 0 && c.total > c.norm;
                                    view! {
                                        <tr data-testid="caseload-row" class:lead-table__over=over>
                                            <th scope="row">{c.name}</th>
                                            {c.by_band.iter().map(|v| view! { <td>{n(l, *v)}</td> }).collect_view()}
                                            <td>{if over { format!("{} ({})", n(l, c.total), l.pick("over normen", "over the norm")) } else { n(l, c.total) }}</td>
                                            <td>{n(l, c.norm)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::try_from(s.to_owned()).expect("month")
    }

    #[test]
    fn the_spans_end_this_month_or_last_year() {
        let this = m("2026-11");
        let span = |k| {
            let s = span_of(k, this);
            (s.from.to_string(), s.to.to_string())
        };
        assert_eq!(span("12"), ("2025-12".to_owned(), "2026-11".to_owned()));
        assert_eq!(span("24"), ("2024-12".to_owned(), "2026-11".to_owned()));
        assert_eq!(span("36").0, "2023-12");
        assert_eq!(span("this-year"), ("2026-01".to_owned(), "2026-11".to_owned()));
        assert_eq!(span("last-year"), ("2025-01".to_owned(), "2025-12".to_owned()));
        assert_eq!(span("nonsense"), span("12"));
        for (key, _, _) in SPANS {
            assert!(span_of(key, this).check().is_ok(), "{key}");
        }
    }
}
