//! `/lead/visits/:id`: the lead's correction of the minutes a visit counts
//! for ("Ret minutter"), with a reason, or its removal ("Fjern rettelse").
//! The correction is the lead's own field of the visit (the worker's edits
//! never touch it), sent as a synced `visit_correct` mutation through the
//! lead's outbox like field work: it is saved on the phone at once and
//! works offline. The base is the visit as the phone shows it, so a lead's
//! second correction builds on the first (issue 12, kinds 1 and 15).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::sync::MutationBody;
use shared::time::{Month, Period};
use shared::user::Role;
use shared::visit::{Correction, VisitStatus};
use shared::{Localized, UserId, VisitId};

use crate::components::form::{Form, FormFailure};
use crate::components::text_field::TextField;
use crate::conflict_input::read_correction;
use crate::data::use_data;
use crate::error::AppError;
use crate::format;
use crate::i18n::{tr, use_lang};
use crate::state::{Session, use_session};

/// Where a visit's correction is made.
pub fn correction_href(visit: VisitId) -> String {
    format!("/lead/visits/{visit}")
}

#[component]
pub fn CorrectionPage() -> impl IntoView {
    let lang = use_lang();
    let data = use_data();
    let session = use_session();
    let navigate = use_navigate();
    let params = use_params_map();
    let visit_id = move || params.read().get("id").and_then(|s| s.parse::<VisitId>().ok());
    // The visit as the phone shows it. A memo: a sync that leaves it as it
    // was does not draw the form again (a tap on a button drawn anew is
    // lost).
    let shown = Memo::new(move |_| {
        let view = data.view.get()?;
        Some(visit_id().and_then(|id| view.visits.iter().find(|v| v.visit.id == id).cloned()))
    });
    let shown = move || shown.get();
    let is_lead = move || matches!(session.get(), Session::LoggedIn(me) if me.has_role(Role::Lead));

    let minutes = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let filled = RwSignal::new(false);
    let form = Form::new();
    // Fill the form once with the correction as it stands.
    Effect::new(move |_| {
        if filled.get_untracked() {
            return;
        }
        if let Some(Some(v)) = shown() {
            if let Some(c) = &v.visit.correction {
                minutes.set(c.minutes.get().to_string());
                reason.set(c.reason.to_string());
            }
            filled.set(true);
        }
    });
    // The correction goes to the phone's outbox; done, back to the worker.
    let correct = form.action(
        |(body, worker, month): &(MutationBody, UserId, Month)| {
            let (body, worker, month) = (body.clone(), *worker, *month);
            async move {
                crate::data::act(body).await?;
                Ok::<_, AppError>((worker, month))
            }
        },
        move |(worker, month)| navigate(&format!("/lead/workers/{worker}?month={month}"), Default::default()),
    );
    // The mutation for `correction` (none: remove it), based on the visit
    // as the phone shows it; none if the phone does not have the visit.
    let job = move |correction: Option<Correction>| {
        let Some(Some(v)) = shown() else { return None };
        let base = v.base();
        let body = MutationBody::VisitCorrect {
            visit_id: v.visit.id,
            base_version: base.row_version,
            base: base.correction,
            correction,
        };
        Some((body, v.visit.worker_id, Month::containing(v.visit.started_at().local_date())))
    };
    let not_here = move || {
        form.show(AppError::Storage(Localized::new(
            "Besøget er ikke på din telefon lige nu – synkronisér, og prøv igen.",
            "The visit is not on your phone right now – sync and try again.",
        )))
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if job(None).is_none() {
            return not_here();
        }
        form.submit(correct, || {
            let c = read_correction(&minutes.get_untracked(), &reason.get_untracked())?;
            Ok(job(Some(c)).expect("the visit was there a moment ago"))
        });
    };
    let remove = move |_| match job(None) {
        None => not_here(),
        Some(job) if !correct.pending().get_untracked() => {
            form.clear();
            correct.dispatch_local(job);
        }
        Some(_) => {}
    };
    let saving = correct.pending();

    view! {
        <section class="visit-form correction-page" aria-labelledby="correction-title">
            <h1 class="page-title" id="correction-title">{tr("Ret minutter", "Correct the minutes")}</h1>
            {move || match shown() {
                None => view! { <p class="notice" role="status">{tr("Henter…", "Loading…")}</p> }.into_any(),
                Some(None) => view! {
                    <p class="notice" role="alert" data-testid="correction-missing">{tr(
                        "Besøget er ikke på din telefon. Du har besøg hos de borgere, dit teams medarbejdere er tilknyttet i dag – synkronisér, og prøv igen.",
                        "The visit is not on your phone. You have the visits of the citizens your team's workers are assigned to today – sync and try again.",
                    )}</p>
                }.into_any(),
                Some(Some(v)) => {
                    let l = lang.get();
                    let view_now = data.view.get_untracked().unwrap_or_default();
                    let citizen = view_now.citizens.iter().find(|c| c.id == v.visit.citizen_id).map_or_else(|| "—".to_owned(), |c| c.name.to_string());
                    let start = v.visit.started_at();
                    let when = format!("{} {}", format::weekday_date(start.local_date(), l), format::time_range(start, v.visit.ended_at(), l));
                    let logged = format::duration(v.visit.duration(), l);
                    let approved = v.visit.status == VisitStatus::Approved;
                    let corrected = v.visit.correction.is_some();
                    let removable = corrected && !approved;
                    view! {
                        <dl class="card correction-page__visit">
                            <div><dt>{tr("Borger", "Citizen")}</dt><dd>{citizen}</dd></div>
                            <div><dt>{tr("Tid", "Time")}</dt><dd>{when}</dd></div>
                            <div><dt>{tr("Type", "Kind")}</dt><dd>{v.visit.kind.label(l)}</dd></div>
                            <div><dt>{tr("Registreret", "Logged")}</dt><dd data-testid="logged-minutes">{logged}</dd></div>
                            <div><dt>{tr("Tæller", "Counts")}</dt><dd data-testid="counted-minutes">{format::duration(v.visit.counted_minutes(), l)}</dd></div>
                        </dl>
                        {approved.then(|| view! {
                            <p class="notice" role="status">{tr("Besøget er godkendt og kan ikke rettes.", "The visit is approved and cannot be corrected.")}</p>
                        })}
                        {(!approved && !is_lead()).then(|| view! {
                            <p class="notice" role="status">{tr("Kun lederen af medarbejderens team kan rette minutter.", "Only the lead of the worker's team can correct the minutes.")}</p>
                        })}
                        <Show when=move || !approved && is_lead()>
                            <form class="visit-form__form" node_ref=form.node() on:submit=save novalidate>
                                <TextField id="correction-minutes" label=tr("Minutter, der tæller", "Minutes that count") input_type="number"
                                    value=minutes error=form.error("minutes") required=true/>
                                <TextField id="correction-reason" label=tr("Begrundelse", "Reason") input_type="text"
                                    value=reason error=form.error("reason") required=true/>
                                <FormFailure form=form/>
                                <div class="visit-form__actions">
                                    <button type="submit" class="button button--primary" data-testid="save-correction" disabled=move || saving.get()>
                                        {tr("Gem rettelse", "Save the correction")}
                                    </button>
                                    {removable.then(|| view! {
                                        <button type="button" class="button" data-testid="remove-correction" disabled=move || saving.get() on:click=remove>
                                            {tr("Fjern rettelse", "Remove the correction")}
                                        </button>
                                    })}
                                </div>
                            </form>
                        </Show>
                        <p><a class="button" href=format!("/lead/workers/{}?month={}", v.visit.worker_id, Month::containing(v.visit.started_at().local_date()))>{tr("Tilbage", "Back")}</a></p>
                    }.into_any()
                }
            }}
        </section>
    }
}
