//! Records the server refused: why, what they said (the note stays
//! readable), and what the worker can do — fix it or discard it. The
//! payload stays on the phone until the worker decides; nothing is dropped
//! silently.

use leptos::prelude::*;
use shared::Lang;
use shared::sync::MutationBody;

use crate::data::use_data;
use crate::format;
use crate::i18n::{tr, use_lang};
use crate::store::local::RejectedItem;

/// One line saying what the rejected record was.
fn what(item: &RejectedItem, names: &dyn Fn(shared::CitizenId) -> String, lang: Lang) -> (String, Option<String>) {
    match item.body() {
        Some(MutationBody::VisitSave { visit, .. }) => (
            format!(
                "{} · {} · {} {}",
                visit.kind.label(lang),
                names(visit.citizen_id),
                visit.started_at().local_date().format(lang),
                format::time_range(visit.started_at(), visit.ended_at(), lang),
            ),
            (!visit.note.as_str().is_empty()).then(|| visit.note.to_string()),
        ),
        Some(MutationBody::VisitDelete { .. }) => {
            ((if lang == Lang::Da { "Sletning af et besøg" } else { "Deleting a visit" }).into(), None)
        }
        Some(MutationBody::VisitCorrect { correction, .. }) => (
            (if lang == Lang::Da { "Rettelse af et besøg" } else { "Correcting a visit" }).into(),
            correction.as_ref().map(|c| c.reason.to_string()),
        ),
        Some(MutationBody::TimerStart { citizen_id, started_at, .. }) => (
            format!(
                "{} · {} · {}",
                if lang == Lang::Da { "Tidsur startet" } else { "Timer started" },
                names(*citizen_id),
                started_at.format_time(lang)
            ),
            None,
        ),
        Some(MutationBody::TimerStop { stopped_at, .. }) => (
            format!(
                "{} · {}",
                if lang == Lang::Da { "Tidsur stoppet" } else { "Timer stopped" },
                stopped_at.format_time(lang)
            ),
            None,
        ),
        None => ((if lang == Lang::Da { "En registrering" } else { "A record" }).into(), None),
    }
}

#[component]
pub fn RejectedPanel() -> impl IntoView {
    let data = use_data();
    let lang = use_lang();
    let confirm = RwSignal::new(None::<u64>);
    let items = move || data.view.get().map(|v| (v.rejected.clone(), v.citizens.clone())).unwrap_or_default();

    let discard = move |id: u64| {
        leptos::task::spawn_local(async move {
            if let Some(db) = crate::data::db() {
                if let Err(e) = db.discard_rejected(id).await {
                    crate::components::notice::report(
                        shared::Localized::new("Registreringen blev ikke kasseret.", "The record was not discarded."),
                        e.message(),
                    );
                }
                crate::data::refresh(data.view).await;
            }
            confirm.set(None);
        });
    };

    view! {
        <Show when=move || !items().0.is_empty()>
            <section class="rejected" aria-labelledby="rejected-title" data-testid="rejected">
                <h2 class="rejected__title" id="rejected-title">
                    {move || match (lang.get(), items().0.len()) {
                        (Lang::Da, 1) => "1 registrering blev afvist".to_owned(),
                        (Lang::Da, n) => format!("{n} registreringer blev afvist"),
                        (Lang::En, 1) => "1 record was rejected".to_owned(),
                        (Lang::En, n) => format!("{n} records were rejected"),
                    }}
                </h2>
                <ul class="rejected__items">
                    {move || {
                        let (rejected, citizens) = items();
                        let l = lang.get();
                        // A citizen no longer on the phone (unassigned) has no name here.
                        let gone = if l == Lang::Da { "en borger, der ikke længere er på telefonen" } else { "a citizen no longer on the phone" };
                        let names = move |id: shared::CitizenId| {
                            citizens.iter().find(|c| c.id == id).map_or_else(|| gone.to_owned(), |c| c.name.to_string())
                        };
                        rejected.into_iter().map(|item| {
                            let id = item.rejection.id;
                            let (line, note) = what(&item, &names, l);
                            let fixable = matches!(item.body(), Some(MutationBody::VisitSave { .. }));
                            let reason = item.rejection.message.get(l).to_owned();
                            view! {
                                <li class="rejected__item" data-testid="rejected-item" data-code=item.rejection.code.clone()>
                                    <p class="rejected__what">{line}</p>
                                    {note.map(|n| view! { <p class="rejected__note" data-testid="rejected-note">{n}</p> })}
                                    <p class="rejected__why">{reason}</p>
                                    <div class="rejected__actions">
                                        {fixable.then(|| view! {
                                            <a class="button button--primary" href=format!("/visits/new?fix={id}") data-testid="fix-rejected">
                                                {tr("Ret", "Fix")}
                                            </a>
                                        })}
                                        <Show
                                            when=move || confirm.get() == Some(id)
                                            fallback=move || view! {
                                                <button type="button" class="button" on:click=move |_| confirm.set(Some(id)) data-testid="discard-rejected">
                                                    {tr("Kassér", "Discard")}
                                                </button>
                                            }
                                        >
                                            <span class="rejected__confirm" role="alert">{tr("Kassér for altid?", "Discard for good?")}</span>
                                            <button type="button" class="button button--danger" on:click=move |_| discard(id) data-testid="confirm-discard">
                                                {tr("Ja, kassér", "Yes, discard")}
                                            </button>
                                            <button type="button" class="button" on:click=move |_| confirm.set(None)>{tr("Nej", "No")}</button>
                                        </Show>
                                    </div>
                                </li>
                            }
                        }).collect_view()
                    }}
                </ul>
            </section>
        </Show>
    }
}
