//! Records the server refused: why, what they said (the note stays
//! readable), and what the worker can do — fix it or discard it. The
//! payload stays on the phone until the worker decides; nothing is dropped
//! silently. An edit that was applied but lost a field to another edit
//! (`edit_not_kept`) is shown here too, as "not kept" rather than
//! "rejected"; its fix opens the visit as it is now with the worker's values
//! on top (`conflict_input::fix_start`).

use leptos::prelude::*;
use shared::Lang;
use shared::conflict::EDIT_NOT_KEPT;
use shared::sync::MutationBody;

use crate::components::notice::Tap;
use crate::data::use_data;
use crate::error::AppError;
use crate::format;
use crate::i18n::{tr, use_lang};
use crate::overlay::RejectedItem;

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
        Some(MutationBody::PlanSave { plan, .. }) => (
            format!(
                "{} · {}",
                if lang == Lang::Da { "Borgerens plan" } else { "The citizen's plan" },
                names(plan.citizen_id)
            ),
            (!plan.wishes.as_str().is_empty()).then(|| plan.wishes.to_string()),
        ),
        Some(MutationBody::GoalSave { goal, .. }) => (
            format!(
                "{} · {}",
                if lang == Lang::Da { "Mål i planen" } else { "A goal of the plan" },
                names(goal.citizen_id)
            ),
            Some(goal.citizen_wording.to_string()),
        ),
        Some(MutationBody::ActionSave { action, .. }) => (
            format!(
                "{} · {}",
                if lang == Lang::Da { "Aftalt handling" } else { "An agreed action" },
                names(action.citizen_id)
            ),
            Some(action.what.to_string()),
        ),
        Some(MutationBody::FollowUpAdd { follow_up }) => (
            format!(
                "{} · {} · {}",
                if lang == Lang::Da { "Opfølgning på et mål" } else { "A follow-up on a goal" },
                names(follow_up.citizen_id),
                follow_up.on.format(lang)
            ),
            (!follow_up.note.as_str().is_empty()).then(|| follow_up.note.to_string()),
        ),
        Some(MutationBody::PlanRevisionAdd { revision }) => (
            format!(
                "{} · {} · {}",
                if lang == Lang::Da { "En revision af planen" } else { "A revision of the plan" },
                names(revision.citizen_id),
                revision.on.format(lang)
            ),
            (!revision.note.as_str().is_empty()).then(|| revision.note.to_string()),
        ),
        Some(MutationBody::MeetingSave { meeting, .. }) => (
            format!(
                "{} · {} · {}",
                if lang == Lang::Da { "Tværfagligt møde" } else { "Cross-disciplinary meeting" },
                names(meeting.citizen_id),
                meeting.on.format(lang)
            ),
            None,
        ),
        Some(MutationBody::MinutesAdd { minutes }) => (
            format!(
                "{} · {}",
                if lang == Lang::Da { "Referat fra et møde" } else { "Minutes of a meeting" },
                names(minutes.citizen_id)
            ),
            Some(minutes.text.to_string()),
        ),
        Some(MutationBody::NoticeRead { .. }) => {
            ((if lang == Lang::Da { "En besked markeret som læst" } else { "A notice marked read" }).into(), None)
        }
        None => ((if lang == Lang::Da { "En registrering" } else { "A record" }).into(), None),
    }
}

/// The panel's heading: refusals are "afvist"; an edit that was applied
/// but not kept (`edit_not_kept`, issue 12 kind 15) was "ikke gemt".
fn title(items: &[RejectedItem], lang: Lang) -> String {
    let not_kept = items.iter().filter(|i| i.rejection.code == EDIT_NOT_KEPT).count();
    match (lang, items.len(), not_kept) {
        (Lang::Da, 1, 1) => "Din ændring blev ikke gemt".to_owned(),
        (Lang::Da, n, k) if n == k => format!("{n} ændringer blev ikke gemt"),
        (Lang::Da, 1, _) => "1 registrering blev afvist".to_owned(),
        (Lang::Da, n, 0) => format!("{n} registreringer blev afvist"),
        (Lang::Da, n, _) => format!("{n} registreringer blev afvist eller ikke gemt"),
        (Lang::En, 1, 1) => "Your change was not kept".to_owned(),
        (Lang::En, n, k) if n == k => format!("{n} changes were not kept"),
        (Lang::En, 1, _) => "1 record was rejected".to_owned(),
        (Lang::En, n, 0) => format!("{n} records were rejected"),
        (Lang::En, n, _) => format!("{n} records were rejected or not kept"),
    }
}

#[component]
pub fn RejectedPanel() -> impl IntoView {
    let data = use_data();
    let lang = use_lang();
    let confirm = RwSignal::new(None::<u64>);
    let items = move || data.view.get().map(|v| (v.rejected.clone(), v.citizens.clone())).unwrap_or_default();

    let discard = Tap::new(
        shared::Localized::new("Registreringen blev ikke kasseret.", "The record was not discarded."),
        move |id: &u64| {
            let id = *id;
            async move {
                let db = crate::data::db().ok_or(AppError::Storage(shared::Localized::new(
                    "Telefonens lager er ikke åbent.",
                    "The phone's storage is not open.",
                )))?;
                let discarded = db.discard_rejected(id).await;
                crate::data::refresh(data.view).await;
                discarded.map_err(AppError::from)
            }
        },
        move |()| confirm.set(None),
    );
    let discard = move |id: u64| discard.run(id);

    view! {
        <Show when=move || !items().0.is_empty()>
            <section class="rejected" aria-labelledby="rejected-title" data-testid="rejected">
                <h2 class="rejected__title" id="rejected-title">
                    {move || title(&items().0, lang.get())}
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
                        // Each item says "not kept" only when the heading cannot.
                        let mixed = rejected.iter().any(|i| i.rejection.code != EDIT_NOT_KEPT);
                        rejected.into_iter().map(|item| {
                            let id = item.rejection.id;
                            let (line, note) = what(&item, &names, l);
                            let fixable = matches!(item.body(), Some(MutationBody::VisitSave { .. }));
                            let reason = item.rejection.message.get(l).to_owned();
                            // Applied, but a field of it was not kept: no refusal.
                            let not_kept = mixed && item.rejection.code == EDIT_NOT_KEPT;
                            view! {
                                <li class="rejected__item" data-testid="rejected-item" data-code=item.rejection.code.clone()>
                                    {not_kept.then(|| view! {
                                        <p class="rejected__kind">{tr("Din ændring blev ikke gemt", "Your change was not kept")}</p>
                                    })}
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

#[cfg(test)]
mod tests {
    use super::*;
    use shared::Localized;
    use shared::sync::RejectedMutation;

    fn item(code: &str) -> RejectedItem {
        RejectedItem {
            rejection: RejectedMutation {
                id: 1,
                mutation: None,
                code: code.into(),
                message: Localized::new("", ""),
                field: None,
            },
            mine: None,
        }
    }

    #[test]
    fn the_heading_says_not_kept_for_an_edit_that_lost_a_field() {
        let cases = [
            (vec!["edit_not_kept"], "Din ændring blev ikke gemt", "Your change was not kept"),
            (vec!["edit_not_kept"; 2], "2 ændringer blev ikke gemt", "2 changes were not kept"),
            (vec!["not_assigned"], "1 registrering blev afvist", "1 record was rejected"),
            (vec!["approved", "not_assigned"], "2 registreringer blev afvist", "2 records were rejected"),
            (
                vec!["approved", "edit_not_kept"],
                "2 registreringer blev afvist eller ikke gemt",
                "2 records were rejected or not kept",
            ),
        ];
        for (codes, da, en) in cases {
            let items: Vec<_> = codes.iter().map(|c| item(c)).collect();
            assert_eq!((title(&items, Lang::Da).as_str(), title(&items, Lang::En).as_str()), (da, en));
        }
    }
}
