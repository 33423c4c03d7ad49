//! The resource picture (issue 14, seed 000): citizens by layer × age band
//! on a date, for the scopes the user may see (an administrator: the
//! municipality, every area and team; an area head: their areas and those
//! areas' teams; a lead: their teams). A page that prints well, and CSV for
//! Danish spreadsheets.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::Lang;
use shared::review::{FigureScope, LayerTableResponse, ListsResponse, ScopeChoice, WaitingFor, figures_date};

use crate::api;
use crate::components::form::{Form, FormFailure};
use crate::components::loaded::{Fetched, LoadFailure, Loaded, Loading, RefreshWhenOnline};
use crate::components::print::PrintButton;
use crate::components::text_field::TextField;
use crate::data::fetch_or_cached;
use crate::error::AppError;
use crate::i18n::{tr, use_lang};

#[derive(Debug, Clone, PartialEq)]
enum Load {
    Ready { figures: Box<LayerTableResponse>, cached: bool },
    Failed(AppError),
}

/// The scope as the query names it: `?area=<id>`, `?team=<id>`,
/// `?scope=municipality`; none: the server's first for the user.
pub(crate) fn scope_from_query(
    area: Option<String>,
    team: Option<String>,
    scope: Option<String>,
) -> Option<FigureScope> {
    match (area.and_then(|a| a.parse().ok()), team.and_then(|t| t.parse().ok()), scope.as_deref()) {
        (Some(area), _, _) => Some(FigureScope::Area(area)),
        (None, Some(team), _) => Some(FigureScope::Team(team)),
        (None, None, Some("municipality")) => Some(FigureScope::Municipality),
        _ => None,
    }
}

#[component]
pub fn FiguresPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let navigate = leptos_router::hooks::use_navigate();
    let today = crate::clock::now().local_date();
    let form = Form::new();
    let (scope, asked) =
        query.with_untracked(|q| (scope_from_query(q.get("area"), q.get("team"), q.get("scope")), q.get("on")));
    // The date the address asks about is read as a typed one: a date that
    // cannot be read, or lies after today, is refused at the field and
    // nothing is fetched (never today's table under another date).
    let (on, refused) = match asked.as_deref().map(|text| figures_date(text, today)) {
        None => (Some(today), None),
        Some(Ok(on)) => (Some(on), None),
        Some(Err(e)) => (None, Some(e)),
    };
    let scope = RwSignal::new(scope);
    // The date whose figures are shown; `None` until one is chosen.
    let on = RwSignal::new(on);
    // What the date field holds as typed.
    let on_text =
        RwSignal::new(on.get_untracked().map_or_else(|| asked.clone().unwrap_or_default(), |d| d.to_string()));
    // Registered before a refusal from the address is shown, so it shows
    // at the field.
    let on_error = form.error("on");
    if let Some(e) = refused {
        form.show(AppError::Invalid(vec![e]));
    }
    // The newest choice wins; an answer shows only under its own choice.
    let figures = LocalResource::new(move || {
        let chosen = (scope.get(), on.get());
        async move {
            let Some(date) = chosen.1 else { return (chosen, None) };
            let name = format!("figures:{}:{date}", chosen.0.map(FigureScope::key).unwrap_or_default());
            let load = match fetch_or_cached(&name, api::layer_table(chosen.0, date)).await {
                Ok((f, cached)) => Load::Ready { figures: Box::new(f), cached },
                Err(e) => Load::Failed(e),
            };
            (chosen, Some(load))
        }
    });
    let load = move || {
        let chosen = (scope.get(), on.get());
        figures.get().filter(|(key, _)| *key == chosen || key.0.is_none()).map(|(_, load)| load)
    };
    let answer = kept_scopes(move || match figures.get() {
        Some((_, Some(Load::Ready { figures, .. }))) => Some((figures.scope, figures.scopes)),
        _ => None,
    });
    // Shows the typed date: fetched only once it reads whole, is real and
    // not after today; the address keeps it for a reload.
    let show_date = move || {
        let Some(date) = form.read(|| figures_date(&on_text.get_untracked(), today).map_err(|e| vec![e])) else {
            return;
        };
        on.set(Some(date));
        let scope = match api::scope_query(scope.get_untracked()) {
            part if part.is_empty() => part,
            part => format!("{part}&"),
        };
        navigate(
            &format!("/figures?{scope}on={date}"),
            leptos_router::NavigateOptions { replace: true, scroll: false, ..Default::default() },
        );
    };
    view! {
        <section class="lead-page figures-page" aria-labelledby="figures-title">
            <h1 class="page-title" id="figures-title">{tr("Målgrupper og aldersgrupper", "Target groups and age bands")}</h1>
            <p class="lead-page__as-of">{tr(
                "Borgere med en åben sag på datoen, fordelt på lag og aldersgruppe som i sagsgennemgangen. Førtidspensionister tælles for sig.",
                "Citizens with an open case on the date, by layer and age band as in the case review. Early-retirement pensioners are counted apart.",
            )}</p>
            <FiguresNav current="layers" scope=scope/>
            <div class="lead-page__filters no-print">
                <ScopeSelect scope=scope answer=answer/>
                <form class="figures-date" novalidate=true node_ref=form.node()
                    on:submit=move |ev| { ev.prevent_default(); show_date(); }>
                    <TextField id="figures-date" label=tr("Dato", "Date") input_type="date" value=on_text error=on_error required=true/>
                    <button class="button" type="submit" data-testid="figures-date-show">{tr("Vis", "Show")}</button>
                </form>
            </div>
            <FormFailure form=form/>
            {move || match load() {
                // No date to show (the address's was refused): the field says why.
                Some(None) => ().into_any(),
                None if on.get().is_none() => ().into_any(),
                None => view! { <Loading what=("tallene", "the figures")/> }.into_any(),
                Some(Some(Load::Failed(e))) => view! {
                    <LoadFailure error=e retry=Callback::new(move |()| figures.refetch())/>
                }.into_any(),
                Some(Some(Load::Ready { figures: table, cached })) => view! {
                    {cached.then(|| view! { <RefreshWhenOnline retry=Callback::new(move |()| figures.refetch())/> })}
                    <LayerTableView figures=*table cached=cached/>
                }.into_any(),
            }}
            // What there is a table of can be downloaded and printed.
            <div class="lead-page__filters no-print" hidden=move || !matches!(load(), Some(Some(Load::Ready { .. })))>
                <a class="button button--primary" data-testid="download-figures-csv" download=""
                    href=move || on.get().map(|on| api::layer_table_csv_url(scope.get(), on, lang.get()))>{tr("Hent CSV", "Download CSV")}</a>
                <PrintButton/>
            </div>
            <FigureLists scope=scope/>
        </section>
    }
}

/// The scope the server's latest answer is for and the scopes it offers
/// (`latest`: from the page's answer, `None` while it loads or failed),
/// kept while a later choice fails (offline, a date not fetched before),
/// so the select keeps its choices.
pub(crate) fn kept_scopes(
    latest: impl Fn() -> Option<(FigureScope, Vec<ScopeChoice>)> + 'static,
) -> Signal<Option<(FigureScope, Vec<ScopeChoice>)>> {
    let kept = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(answer) = latest() {
            kept.set(Some(answer));
        }
    });
    kept.into()
}

/// Chooses whose figures: the scopes the server says the user may see
/// (none until it has answered). `answer`: the scope the server's latest
/// answer is for and the choices it offers; while nothing is chosen, the
/// scope it answered for (the user's first) becomes the chosen one, so the
/// select shows it.
#[component]
pub(crate) fn ScopeSelect(
    scope: RwSignal<Option<FigureScope>>,
    answer: Signal<Option<(FigureScope, Vec<ScopeChoice>)>>,
) -> impl IntoView {
    let lang = use_lang();
    Effect::new(move |_| {
        if let (None, Some((answered, _))) = (scope.get_untracked(), answer.get()) {
            scope.set(Some(answered));
        }
    });
    let scopes = move || answer.get().map(|(_, choices)| choices).unwrap_or_default();
    view! {
        // Nothing to choose from until the server has answered once.
        <label class="field" hidden=move || answer.with(Option::is_none)>
            <span class="field__label">{tr("Hvem", "Whose")}</span>
            <select class="field__input" data-testid="scope-select"
                on:change=move |ev| scope.set(FigureScope::from_key(&event_target_value(&ev)))>
                {move || scopes().into_iter().map(|s| {
                    let selected = scope.get() == Some(s.scope);
                    let name = if s.scope == FigureScope::Municipality && lang.get() == Lang::En { "The whole municipality".to_owned() } else { s.name };
                    view! { <option value=s.scope.key() selected=selected>{name}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// The figures' pages, one link each, the chosen scope kept: the layer
/// table and lists, the trend, the month's resources, the case reviews.
#[component]
pub(crate) fn FiguresNav(current: &'static str, scope: RwSignal<Option<FigureScope>>) -> impl IntoView {
    let query = move || match api::scope_query(scope.get()) {
        part if part.is_empty() => part,
        part => format!("?{part}"),
    };
    let pages: [(&'static str, &'static str, (&'static str, &'static str)); 4] = [
        ("layers", "/figures", ("Målgrupper", "Target groups")),
        ("trend", "/figures/trend", ("Udvikling", "Trend")),
        ("resources", "/figures/resources", ("Timer og udgifter", "Hours and costs")),
        ("reviews", "/reviews", ("Sagsgennemgange", "Case reviews")),
    ];
    let lang = use_lang();
    view! {
        <nav class="figures-nav no-print" aria-label=move || lang.get().pick("Tal", "Figures")>
            {pages.into_iter().map(|(key, path, (da, en))| {
                let href = move || if key == "reviews" { path.to_owned() } else { format!("{path}{}", query()) };
                let testid = format!("figures-nav-{key}");
                view! {
                    <a class="figures-nav__link" href=href data-testid=testid
                        aria-current=(key == current).then_some("page")>{tr(da, en)}</a>
                }
            }).collect_view()}
        </nav>
    }
}

/// The lists a lead acts on, for the chosen scope today: who turns 18
/// within a year with the children-and-youth grants that end then (seed
/// 004), who waits for a worker or a first visit (seed 000), and the
/// double grants (seed 003).
#[component]
fn FigureLists(scope: RwSignal<Option<FigureScope>>) -> impl IntoView {
    let lang = use_lang();
    let lists: LocalResource<Fetched<ListsResponse>> = LocalResource::new(move || {
        let chosen = scope.get();
        async move {
            let name = format!("figure-lists:{}", chosen.map(FigureScope::key).unwrap_or_default());
            fetch_or_cached(&name, api::figure_lists(chosen)).await
        }
    });
    let show = move |lists: ListsResponse| {
        let l = lang.get();
        let young = lists.turning_18;
        let doubles = lists.double_grants;
        let waiting = lists.waiting;
        let shared_group = lists.shared_group;
        let continuity = lists.continuity;
        view! {
            <h2 class="section-title" id="turning-18-title">{tr("Fylder 18 inden for et år", "Turning 18 within a year")}</h2>
            {if young.is_empty() {
                view! { <p class="empty">{tr("Ingen unge fylder 18 det næste år.", "No young citizen turns 18 in the next year.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="review-list" data-testid="turning-18" aria-labelledby="turning-18-title">
                        {young.into_iter().map(|t| {
                            let month = crate::format::month_label(t.turns_18, l);
                            let grants = if t.grants.is_empty() {
                                if l == Lang::Da { "Ingen bevillinger fra børne- og ungeområdet.".to_owned() } else { "No children-and-youth grants.".to_owned() }
                            } else {
                                t.grants.iter().map(|g| {
                                    let end = g.valid_to.map_or_else(|| if l == Lang::Da { "uden slutdato".to_owned() } else { "no end date".to_owned() }, |d| d.format(l));
                                    format!("{} ({end})", g.service.label(l))
                                }).collect::<Vec<_>>().join(", ")
                            };
                            let estimated = if t.estimated { if l == Lang::Da { " (skønnet)" } else { " (estimated)" } } else { "" };
                            view! {
                                <li class="review-card" data-testid="turning-18-row">
                                    <span class="review-card__name">{t.name}</span>
                                    <span class="review-card__meta">{match l {
                                        Lang::Da => format!("{} år · fylder 18 i {month}{estimated}", t.age),
                                        Lang::En => format!("age {} · turns 18 in {month}{estimated}", t.age),
                                    }}</span>
                                    <span class="review-card__meta">{grants}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h2 class="section-title" id="waiting-title">{tr("Venter", "Waiting")}</h2>
            {if waiting.is_empty() {
                view! { <p class="empty">{tr("Ingen borgere venter på en medarbejder eller et første besøg.", "No citizen is waiting for a worker or a first visit.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="review-list" data-testid="waiting" aria-labelledby="waiting-title">
                        {waiting.into_iter().map(|w| {
                            let what = match (w.waiting_for, l) {
                                (WaitingFor::Worker, Lang::Da) => "på en medarbejder",
                                (WaitingFor::Worker, Lang::En) => "for a worker",
                                (WaitingFor::FirstVisit, Lang::Da) => "på det første besøg",
                                (WaitingFor::FirstVisit, Lang::En) => "for the first visit",
                            };
                            view! {
                                <li class="review-card" data-testid="waiting-row">
                                    <span class="review-card__name">{w.name}</span>
                                    <span class="review-card__meta">{match l {
                                        Lang::Da => format!("Venter {what} · {} dage (siden {})", l.group_thousands(w.days.into()), w.since.format(l)),
                                        Lang::En => format!("Waiting {what} · {} days (since {})", l.group_thousands(w.days.into()), w.since.format(l)),
                                    }}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h2 class="section-title" id="shared-title">{tr("Fælles målgruppe", "Shared group")}</h2>
            <p class="lead-page__as-of">{tr("Borgere, som to eller flere områder hjælper eller betaler for i dag.", "Citizens whom two areas or more serve or pay for today.")}</p>
            {if shared_group.is_empty() {
                view! { <p class="empty">{tr("Ingen borgere hjælpes eller betales af to områder.", "No citizen is served or paid for by two areas.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="review-list" data-testid="shared-group" aria-labelledby="shared-title">
                        {shared_group.into_iter().map(|c| view! {
                            <li class="review-card" data-testid="shared-group-row">
                                <span class="review-card__name">{c.name}</span>
                                <span class="review-card__meta">{c.areas.join(" · ")}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h2 class="section-title" id="continuity-title">{tr("Kontinuitet", "Continuity")}</h2>
            <p class="lead-page__as-of" data-testid="continuity-summary">{
                let [one, two, three, more] = continuity.by_persons;
                let since = continuity.from.map(|d| d.format(l)).unwrap_or_default();
                match l {
                    Lang::Da => format!("Støttepersoner pr. borger siden {since}: én for {one}, to for {two}, tre for {three}, fire eller flere for {more}."),
                    Lang::En => format!("Support persons per citizen since {since}: one for {one}, two for {two}, three for {three}, four or more for {more}."),
                }
            }</p>
            {(!continuity.many.is_empty()).then(|| view! {
                <ul class="review-list" data-testid="continuity" aria-labelledby="continuity-title">
                    {continuity.many.into_iter().map(|c| view! {
                        <li class="review-card" data-testid="continuity-row">
                            <span class="review-card__name">{c.name}</span>
                            <span class="review-card__meta">{match l {
                                Lang::Da => format!("{} forskellige støttepersoner det seneste år", c.persons),
                                Lang::En => format!("{} different support persons in the last year", c.persons),
                            }}</span>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <h2 class="section-title" id="double-title">{tr("Dobbeltbevillinger", "Double grants")}</h2>
            {if doubles.is_empty() {
                view! { <p class="empty">{tr("Ingen borgere har mentorstøtte og § 85-støtte i samme periode.", "No citizen has mentor support and § 85 support over the same period.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="review-list" data-testid="double-grants" aria-labelledby="double-title">
                        {doubles.into_iter().map(|d| {
                            let until = d.grants.to.map_or_else(|| if l == Lang::Da { "indtil videre".to_owned() } else { "until further notice".to_owned() }, |t| t.format(l));
                            view! {
                                <li class="review-card" data-testid="double-grant-row">
                                    <span class="review-card__name">{d.name}</span>
                                    <span class="review-card__meta">{match l {
                                        Lang::Da => format!("Mentor og § 85 fra {} til {until}", d.grants.from.format(l)),
                                        Lang::En => format!("Mentor and § 85 from {} to {until}", d.grants.from.format(l)),
                                    }}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        }
    };
    view! {
        <Loaded resource=lists what=("listerne", "the lists") show=show cached_said=true/>
        <div class="lead-page__filters no-print">
            <a class="button" data-testid="download-lists-csv" download=""
                href=move || api::figure_lists_csv_url(scope.get(), lang.get())>{tr("Hent listerne som CSV", "Download the lists as CSV")}</a>
        </div>
    }
}

/// Seed 000's table: a row per age band (oldest first) and the totals; a
/// column per layer, "in the target group", not assessed, early-retirement
/// pensioners and all.
#[component]
fn LayerTableView(figures: LayerTableResponse, cached: bool) -> impl IntoView {
    let lang = use_lang();
    move || {
        let l = lang.get();
        let f = figures.clone();
        let t = f.table;
        let heading = format!("{} · {}", f.scope_name, t.on.format(l));
        let count = move |n: u32| l.group_thousands(i64::from(n));
        let rows = t.rows.iter().chain(std::iter::once(&t.total)).cloned().collect::<Vec<_>>();
        let estimated = t.estimated;
        view! {
            <h2 class="section-title" data-testid="figures-heading">{heading}</h2>
            {cached.then(|| view! {
                <p class="notice" role="status" data-testid="cached">
                    {tr("Uden forbindelse – viser de senest hentede tal.", "Offline – showing the figures fetched last.")}
                </p>
            })}
            <div class="table-wrap" role="region" tabindex="0" aria-labelledby="figures-title">
                <table class="lead-table figures-table" data-testid="layer-table">
                    <thead><tr>
                        <th scope="col">{tr("Alder", "Age")}</th>
                        {f.scheme.layers.iter().map(|layer| view! { <th scope="col">{f.scheme.full_label(layer, l)}</th> }).collect_view()}
                        <th scope="col">{tr("Målgruppe i alt", "Target group in total")}</th>
                        <th scope="col">{tr("Ikke vurderet", "Not assessed")}</th>
                        <th scope="col">{tr("Førtidspensionister", "Early-retirement pensioners")}</th>
                        <th scope="col">{tr("I alt", "Total")}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|row| {
                            let total = row.band.is_none();
                            let label = row.band.map_or_else(|| if l == Lang::Da { "I alt" } else { "Total" }.to_owned(), |b| b.label(l).to_owned());
                            let all = row.in_layers + row.not_assessed + row.early_retirement;
                            view! {
                                <tr class:lead-table__total=total data-testid="layer-row">
                                    <th scope="row">{label}</th>
                                    {row.by_layer.iter().map(|n| view! { <td>{count(*n)}</td> }).collect_view()}
                                    <td>{count(row.in_layers)}</td>
                                    <td>{count(row.not_assessed)}</td>
                                    <td>{count(row.early_retirement)}</td>
                                    <td>{count(all)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(estimated > 0).then(|| view! {
                <p class="lead-page__as-of" data-testid="figures-estimated">{match l {
                    Lang::Da => format!("{} af borgerne kendes kun med fødselsår: deres alder er skønnet (fødselsdag 1. juli).", count(estimated)),
                    Lang::En => format!("{} of the citizens are known by birth year only: their age is estimated (birthday 1 July).", count(estimated)),
                }}</p>
            })}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scope_is_read_from_the_query() {
        let area = shared::AreaId::from_uuid(uuid::Uuid::from_u128(2));
        assert_eq!(scope_from_query(Some(area.to_string()), None, None), Some(FigureScope::Area(area)));
        assert_eq!(scope_from_query(None, None, Some("municipality".into())), Some(FigureScope::Municipality));
        assert_eq!(scope_from_query(Some("x".into()), None, None), None);
    }
}
