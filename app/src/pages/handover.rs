//! Handing a worker's citizens over to colleagues in one step (issue 14,
//! seed 000: "overdragelse af borgere"), `/lead/workers/:id/handover`: a
//! lead (or an administrator) chooses who takes each citizen — one choice
//! for all, changed per citizen where needed — from which day, and a note
//! that reaches the new worker's phone with the citizen. Written straight
//! to the server; without the network, what was typed stays.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::UserId;
use shared::assignment::{Assignment, HandoverOptions, Named};

use crate::api;
use crate::clock::now;
use crate::components::form::{Form, FormFrame};
use crate::components::text_field::{SelectField, TextArea, TextField};
use crate::handover_input::read_handover;
use crate::i18n::{tr, use_lang};

#[component]
pub fn HandoverPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let worker = params.with_untracked(|p| p.get("id").and_then(|s| s.parse::<UserId>().ok()));
    let today = now().local_date();
    let options = RwSignal::new(None::<HandoverOptions>);
    let all = RwSignal::new(String::new());
    let on = RwSignal::new(today.to_string());
    let note = RwSignal::new(String::new());
    // One choice per citizen, in the order the server lists them.
    let chosen: RwSignal<Vec<RwSignal<String>>> = RwSignal::new(Vec::new());
    let done = RwSignal::new(None::<Vec<Assignment>>);
    let form = Form::new();
    let ready = RwSignal::new(false);
    if let Some(worker) = worker {
        form.load(
            move || api::handover_options(worker),
            move |o: HandoverOptions| {
                chosen.set(o.citizens.iter().map(|_| RwSignal::new(String::new())).collect());
                options.set(Some(o));
                ready.set(true);
            },
        );
    }
    // Choosing for all sets every citizen's choice (each may be changed after).
    Effect::new(move |_| {
        let everyone = all.get();
        if !everyone.is_empty() {
            chosen.with_untracked(|c| c.iter().for_each(|s| s.set(everyone.clone())));
        }
    });
    let save = form.action(
        move |input: &shared::assignment::HandoverInput| {
            let input = input.clone();
            async move { api::hand_over(&input).await }
        },
        move |made: Vec<Assignment>| done.set(Some(made)),
    );
    let submit = Callback::new(move |()| {
        let Some(o) = options.get_untracked() else { return };
        let to: Vec<_> =
            o.citizens.iter().zip(chosen.get_untracked()).map(|(c, s)| (c.id, s.get_untracked())).collect();
        form.submit(save, || read_handover(o.worker.id, &on.get_untracked(), &note.get_untracked(), &to, today));
    });
    let candidates = Signal::derive(move || {
        options.with(|o| {
            o.as_ref()
                .map(|o| o.candidates.iter().map(|c: &Named<UserId>| (c.id.to_string(), c.name.clone())).collect())
                .unwrap_or_default()
        })
    });
    let heading = move || match (options.get(), lang.get()) {
        (Some(o), shared::Lang::Da) => format!("Overdrag {}s borgere", o.worker.name),
        (Some(o), shared::Lang::En) => format!("Hand over {}'s citizens", o.worker.name),
        (None, l) => l.pick("Overdrag borgere", "Hand over citizens").to_owned(),
    };
    let back = worker.map(|w| format!("/lead/workers/{w}")).unwrap_or_else(|| "/lead".to_owned());
    let back_done = back.clone();
    view! {
        <section class="lead-page handover-page" aria-labelledby="handover-title">
            <h1 class="page-title" id="handover-title" data-testid="handover-title">{heading}</h1>
            {move || match done.get() {
                Some(made) => {
                    let l = lang.get();
                    view! {
                        <p class="notice" role="status" data-testid="handover-done">{match l {
                            shared::Lang::Da => format!("{} borgere er overdraget. Den nye medarbejder ser noten hos borgeren efter næste synkronisering.", made.len()),
                            shared::Lang::En => format!("{} citizens are handed over. The new worker sees the note with the citizen after the next sync.", made.len()),
                        }}</p>
                        <a class="button" href=back_done.clone()>{tr("Tilbage", "Back")}</a>
                    }.into_any()
                }
                None => view! {
                    <p class="lead-page__as-of">{tr(
                        "På datoen er begge tilknyttet borgeren, så intet af det, medarbejderen registrerer den dag, går tabt. Derefter er borgeren den nye medarbejders, og noten følger med.",
                        "On the date both are assigned to the citizen, so nothing the worker logs that day is lost. From then on the citizen is the new worker's, and the note goes with them.",
                    )}</p>
                    <FormFrame form=form busy=save.pending() ready=ready on_submit=submit testid="hand-over" save_label=tr("Overdrag", "Hand over")>
                        <TextField id="handover-on" label=Signal::derive(tr("Dato", "Date")) input_type="date" value=on error=form.error("on")
                            hint=Signal::derive(tr("Den første dag, den nye medarbejder har borgeren", "The first day the new worker has the citizen"))/>
                        <SelectField id="handover-all" label=Signal::derive(tr("Giv alle til", "Give all to")) value=all options=candidates error=form.error("to")
                            placeholder=Signal::derive(tr("Vælg medarbejder", "Choose a worker"))/>
                        <TextArea id="handover-note" label=Signal::derive(tr("Note til den nye medarbejder", "Note for the new worker")) value=note error=form.error("note") rows=4/>
                        <fieldset class="handover-page__citizens">
                            <legend class="field__label">{tr("Borgerne", "The citizens")}</legend>
                            {move || options.get().map(|o| {
                                let rows = chosen.get();
                                if o.citizens.is_empty() {
                                    return view! { <p class="empty">{tr("Medarbejderen har ingen borgere i dag.", "The worker has no citizens today.")}</p> }.into_any();
                                }
                                o.citizens.into_iter().zip(rows).enumerate().map(|(i, (c, value))| {
                                    view! {
                                        <div class="handover-page__row" data-testid="handover-row">
                                            <SelectField id=format!("handover-to-{i}") label=Signal::derive(tr("overdrages til", "goes to")) context=c.name value=value options=candidates
                                                error=form.error(format!("to[{i}].user_id"))
                                                placeholder=Signal::derive(tr("Vælg medarbejder", "Choose a worker"))/>
                                            {
                                                let citizen_error = form.error(format!("to[{i}].citizen_id"));
                                                view! { <p class="field__error" role="alert">{move || citizen_error.get()}</p> }
                                            }
                                        </div>
                                    }
                                }).collect_view().into_any()
                            })}
                        </fieldset>
                    </FormFrame>
                    <a class="button" href=back.clone()>{tr("Annullér", "Cancel")}</a>
                }.into_any(),
            }}
        </section>
    }
}
