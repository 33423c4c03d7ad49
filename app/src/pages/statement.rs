//! The monthly statement per payer area: minutes per citizen and service,
//! as a page that prints well and as CSV for Danish spreadsheets.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::report::Statement;
use shared::time::Month;
use shared::{AreaId, Lang};

use crate::api;
use crate::clock::recent_months;
use crate::components::loaded::{LoadFailure, Loading, RefreshWhenOnline};
use crate::components::print::PrintButton;
use crate::data::fetch_or_cached;
use crate::error::AppError;
use crate::format;
use crate::format::month_label;
use crate::i18n::{tr, use_lang};

#[derive(Debug, Clone, PartialEq)]
enum Load {
    Ready { statement: Box<Statement>, cached: bool },
    Failed(AppError),
}

#[component]
pub fn StatementPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let months = recent_months();
    let month = RwSignal::new(
        query
            .read_untracked()
            .get("month")
            .and_then(|m| Month::try_from(m).ok())
            .unwrap_or(months[1.min(months.len() - 1)]),
    );
    let area = RwSignal::new(query.read_untracked().get("area").and_then(|a| a.parse::<AreaId>().ok()));
    // The areas to choose from; while none is chosen, the first is.
    let (org_load, org, org_error) = crate::data::org_for_choice(area, |o| o.areas.first().map(|a| a.id));
    // The newest choice wins, and an answer shows only under its own
    // choice (issue 12, kind 14; see `lead::LeadPage`).
    let resource = LocalResource::new(move || {
        let chosen = area.get().map(|a| (a, month.get()));
        async move {
            let (area, month) = chosen?;
            let name = format!("statement:{area}:{month}");
            let load = match fetch_or_cached(&name, api::statement(area, month)).await {
                Ok((s, cached)) => Load::Ready { statement: Box::new(s), cached },
                Err(e) => Load::Failed(e),
            };
            Some(((area, month), load))
        }
    });
    let load = move || {
        let chosen = area.get().map(|a| (a, month.get()));
        match (org_error.get(), resource.get().flatten()) {
            (Some(e), _) => Some(Load::Failed(e)),
            (None, loaded) => loaded.filter(|(key, _)| Some(*key) == chosen).map(|(_, load)| load),
        }
    };

    view! {
        <section class="lead-page statement-page" aria-labelledby="statement-title">
            <h1 class="page-title" id="statement-title">{tr("Opgørelse pr. betaler", "Statement per payer")}</h1>
            <div class="lead-page__filters no-print">
                <label class="field">
                    <span class="field__label">{tr("Betalende område", "Paying area")}</span>
                    <select class="field__input" data-testid="area-select"
                        on:change=move |ev| area.set(event_target_value(&ev).parse().ok())>
                        {move || org.get().map(|o| o.areas.into_iter().map(|a| {
                            let selected = area.get() == Some(a.id);
                            view! { <option value=a.id.to_string() selected=selected>{a.name.to_string()}</option> }
                        }).collect_view())}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{tr("Måned", "Month")}</span>
                    <select class="field__input" data-testid="statement-month"
                        on:change=move |ev| if let Ok(m) = Month::try_from(event_target_value(&ev)) { month.set(m) }>
                        {months.iter().map(|m| {
                            let m = *m;
                            view! { <option value=m.to_string() selected=move || month.get() == m>{move || month_label(m, lang.get())}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </div>
            {move || match load() {
                None if area.get().is_none() && org.get().is_some() => ().into_any(),
                None => view! { <Loading what=("opgørelsen", "the statement")/> }.into_any(),
                Some(Load::Failed(e)) => view! {
                    <LoadFailure error=e retry=Callback::new(move |()| { org_load.refetch(); resource.refetch(); })/>
                }.into_any(),
                Some(Load::Ready { statement, cached }) => {
                    let s = *statement;
                    let l = lang.get();
                    let csv = api::statement_csv_url(s.area.id, s.month);
                    let teams = s.teams.iter().map(|t| t.name.to_string()).collect::<Vec<_>>().join(", ");
                    let generated = format!("{} {}", s.generated_at.local_date().format(l), s.generated_at.format_time(l));
                    let empty = s.lines.is_empty();
                    let visits: u32 = s.lines.iter().map(|x| x.visits).sum();
                    // The sum of the hours shown on the lines (issue 12, kind 8).
                    let hours_total = s.hours_total();
                    view! {
                        <h2 class="section-title">{format!("{} · {}", s.area.name, month_label(s.month, l))}</h2>
                        {cached.then(|| view! { <RefreshWhenOnline retry=Callback::new(move |()| resource.refetch())/> })}
                        <p class="lead-page__as-of" data-testid="statement-state">
                            {match (s.approved, l) {
                                (true, Lang::Da) => "Alle besøg er godkendt.".to_owned(),
                                (true, Lang::En) => "Every visit is approved.".to_owned(),
                                (false, Lang::Da) => "Foreløbig: ikke alle besøg er godkendt.".to_owned(),
                                (false, Lang::En) => "Provisional: not every visit is approved.".to_owned(),
                            }}
                            " "
                            {match (cached, l) {
                                (true, Lang::Da) => format!("Uden forbindelse – opgørelsen fra {generated}."),
                                (true, Lang::En) => format!("Offline – the statement from {generated}."),
                                (false, Lang::Da) => format!("Dannet {generated}."),
                                (false, Lang::En) => format!("Made {generated}."),
                            }}
                        </p>
                        <p class="lead-page__as-of">{match l { Lang::Da => format!("Leveret af: {teams}"), Lang::En => format!("Delivered by: {teams}") }}</p>
                        <div class="lead-page__filters no-print">
                            <a class="button button--primary" href=csv download="" data-testid="download-csv">{tr("Hent CSV", "Download CSV")}</a>
                            <PrintButton/>
                        </div>
                        {if empty {
                            view! { <p class="empty">{tr("Ingen leverede timer i måneden.", "No hours delivered in the month.")}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap" role="region" tabindex="0" aria-label=tr("Opgørelse", "Statement")>
                                    <table class="lead-table" data-testid="statement">
                                        <thead><tr>
                                            <th scope="col">{tr("Borger", "Citizen")}</th>
                                            <th scope="col">{tr("Ydelse", "Service")}</th>
                                            <th scope="col">{tr("Betales via", "Charged to")}</th>
                                            <th scope="col">{tr("Besøg", "Visits")}</th>
                                            <th scope="col">{tr("Timer", "Hours")}</th>
                                        </tr></thead>
                                        <tbody>
                                            {s.lines.into_iter().map(|x| view! {
                                                <tr data-testid="statement-line">
                                                    <th scope="row">{format!("{} ({})", x.citizen_name, x.birth_year)}</th>
                                                    <td>{x.service.label(l)}</td>
                                                    <td>{if x.via_drawing_right { format!("{}: {}", if l == Lang::Da { "Trækningsret" } else { "Drawing right" }, x.charged_to) } else { x.charged_to.clone() }}</td>
                                                    <td>{x.visits}</td>
                                                    <td>{format::hours(x.minutes, l)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                        <tfoot><tr>
                                            <th scope="row" colspan="3">{tr("I alt", "Total")}</th>
                                            <td>{visits}</td>
                                            <td data-testid="statement-total">{format::shown_hours(hours_total, l)}</td>
                                        </tr></tfoot>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </section>
    }
}
