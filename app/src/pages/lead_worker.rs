//! A lead's drill-down to one worker's month: totals (hours, face-to-face
//! share, no-shows) and the visits, computed on the phone with `shared`'s
//! arithmetic from the visits synced to it, so it reads offline. A visit
//! opens the lead's correction of its minutes (`pages::correction`).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::UserId;
use shared::time::{Month, Period};
use shared::usage::worker_loads;

use crate::components::visit_list::VisitList;
use crate::data::{self, use_data};
use crate::format;
use crate::i18n::{tr, use_lang};

#[component]
pub fn LeadWorkerPage() -> impl IntoView {
    let data = use_data();
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let worker = move || params.read().get("id").and_then(|s| s.parse::<UserId>().ok());
    let month = move || {
        query
            .read()
            .get("month")
            .and_then(|m| Month::try_from(m).ok())
            .unwrap_or_else(|| Month::containing(crate::clock::now().local_date()))
    };
    // The names the lead's reports brought to the phone (none yet: "Medarbejder").
    // Read again once the phone's database is open (a page opened straight
    // from its address, or reloaded, asks before it is).
    let names = LocalResource::new(move || {
        data.view.track();
        data::remembered_names()
    });

    let page = move || {
        let view = data.view.get()?;
        let worker = worker()?;
        let month = month();
        let (start, end) = (month.start(), month.end());
        let visits: Vec<_> = view
            .visits
            .iter()
            .filter(|v| v.visit.worker_id == worker && start <= v.visit.started_at() && v.visit.started_at() < end)
            .cloned()
            .collect();
        let rows: Vec<_> = visits.iter().map(|v| v.visit.clone()).collect();
        let load = worker_loads(&rows, start, end).into_iter().next();
        Some((worker, month, load, visits, view.citizens.clone()))
    };

    view! {
        <section class="lead-page" aria-labelledby="worker-title">
            {move || match page() {
                None => view! {
                    <h1 class="page-title" id="worker-title">{tr("Medarbejder", "Worker")}</h1>
                    <p class="notice" role="status">{tr("Henter…", "Loading…")}</p>
                }.into_any(),
                Some((worker, month, load, visits, citizens)) => {
                    let l = lang.get();
                    let name = names.get().and_then(|names| names.get(worker.as_uuid()).cloned()).map_or_else(|| tr("Medarbejder", "Worker")().to_owned(), |n| n.to_string());
                    let empty = visits.is_empty();
                    view! {
                        <h1 class="page-title" id="worker-title" data-testid="worker-name">{name}</h1>
                        <p class="lead-page__as-of">{format::month_label(month, l)}</p>
                        {load.map(|w| view! {
                            <dl class="grant-card__figures card">
                                <div><dt>{tr("Besøg", "Visits")}</dt><dd>{w.visits}</dd></div>
                                // The total is the sum of the three parts as shown (issue 12, kind 8).
                                <div><dt>{tr("Tid i alt", "Total time")}</dt><dd>{format::shown_hours(w.shown_total(), l)}</dd></div>
                                <div><dt>{tr("Ansigt til ansigt", "Face to face")}</dt><dd>{format::hours(w.face_to_face, l)}</dd></div>
                                <div><dt>{tr("Telefon, video og udeblivelser", "Phone, video and no-shows")}</dt><dd>{format::hours(w.other, l)}</dd></div>
                                <div><dt>{tr("Transport", "Travel")}</dt><dd>{format::hours(w.travel, l)}</dd></div>
                                <div><dt>{tr("Udeblivelser", "No-shows")}</dt><dd>{w.no_shows}</dd></div>
                            </dl>
                        })}
                        {if empty {
                            view! { <p class="empty">{tr("Ingen besøg denne måned på telefonen.", "No visits this month on the phone.")}</p> }.into_any()
                        } else {
                            view! { <VisitList visits=visits citizens=citizens with_date=true open=crate::pages::correction::correction_href/> }.into_any()
                        }}
                        <p class="lead-page__filters">
                            <a class="button" href=format!("/lead?month={month}")>{tr("Tilbage til overblikket", "Back to the overview")}</a>
                            <a class="button" data-testid="to-handover" href=format!("/lead/workers/{worker}/handover")>{tr("Overdrag borgere", "Hand over citizens")}</a>
                        </p>
                    }.into_any()
                }
            }}
        </section>
    }
}
