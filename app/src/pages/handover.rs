//! Handing a worker's citizens over to colleagues in one step (issue 14,
//! seed 000: "overdragelse af borgere"), `/lead/workers/:id/handover`: a
//! lead (or an administrator) chooses who takes each citizen — one choice
//! for all, changed per citizen where needed, or "stays" for a citizen who
//! is not handed over — from which day, and a note that reaches the new
//! worker's phone with the citizen. Citizens handed over already are
//! listed apart, with to whom and from when. Written straight to the
//! server; without the network, what was typed stays.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::UserId;
use shared::assignment::{Assignment, HandoverOptions, Named};

use crate::api;
use crate::clock::now;
use crate::components::form::{Form, FormFrame, Refusal};
use crate::components::text_field::{SelectField, TextArea, TextField};
use crate::handover_input::{read_handover, refusal_at_rows};
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
            let rows: Vec<shared::CitizenId> =
                options.with_untracked(|o| o.iter().flat_map(|o| o.citizens.iter().map(|c| c.id)).collect());
            async move { api::hand_over(&input).await.map_err(|e| refusal_at_rows(e, &input, &rows)) }
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
    // Nobody chosen for any citizen: said at "Give all to", in the words
    // of this form.
    let none_chosen = form.error("to");
    let none_chosen = Signal::derive(move || {
        none_chosen
            .get()
            .map(|_| {
                lang.get()
                    .pick(
                        "vælg, hvem der overtager mindst én af borgerne",
                        "choose who takes over at least one of the citizens",
                    )
                    .to_owned()
            })
            .map(Refusal::in_words)
    });
    let back = worker.map(|w| format!("/lead/workers/{w}")).unwrap_or_else(|| "/lead".to_owned());
    let back_done = back.clone();
    view! {
        <section class="lead-page handover-page" aria-labelledby="handover-title">
            <h1 class="page-title" id="handover-title" data-testid="handover-title">{heading}</h1>
            {move || match done.get() {
                Some(made) => {
                    let l = lang.get();
                    view! {
                        <p class="notice" role="status" data-testid="handover-done">{handover_done(made.len(), made.iter().map(|a| a.period.from()).min(), today, !note.get_untracked().trim().is_empty(), l)}</p>
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
                        <SelectField id="handover-all" label=Signal::derive(tr("Giv alle til", "Give all to")) value=all options=candidates error=none_chosen
                            placeholder=Signal::derive(tr("Vælg medarbejder", "Choose a worker"))/>
                        <TextArea id="handover-note" label=Signal::derive(tr("Note til den nye medarbejder", "Note for the new worker")) value=note error=form.error("note") rows=4 max_chars=shared::text::Note::MAX_CHARS/>
                        <fieldset class="handover-page__citizens">
                            <legend class="field__label">{tr("Borgerne", "The citizens")}</legend>
                            {move || options.get().map(|o| {
                                let rows = chosen.get();
                                if o.citizens.is_empty() {
                                    return view! { <p class="empty">{tr("Medarbejderen har ingen borgere at overdrage.", "The worker has no citizens to hand over.")}</p> }.into_any();
                                }
                                o.citizens.into_iter().zip(rows).enumerate().map(|(i, (c, value))| {
                                    view! {
                                        <div class="handover-page__row" data-testid="handover-row">
                                            <SelectField id=format!("handover-to-{i}") label=Signal::derive(tr("overdrages til", "goes to")) context=c.name value=value options=candidates
                                                error=form.error(format!("to[{i}].user_id"))
                                                placeholder=Signal::derive(tr("Bliver hos medarbejderen", "Stays with the worker"))/>
                                            {
                                                let citizen_error = form.error_at(format!("to[{i}].citizen_id"), tr("Borger", "Citizen"));
                                                view! { <p class="field__error" role="alert">{move || citizen_error.get()}</p> }
                                            }
                                        </div>
                                    }
                                }).collect_view().into_any()
                            })}
                        </fieldset>
                        <HandedOverList options=options/>
                    </FormFrame>
                    <a class="button" href=back.clone()>{tr("Annullér", "Cancel")}</a>
                }.into_any(),
            }}
        </section>
    }
}

/// The worker's citizens handed over already (taking effect today or
/// later): to whom and from when, so nobody tries a second handover.
#[component]
fn HandedOverList(options: RwSignal<Option<HandoverOptions>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let handed = options.with(|o| o.as_ref().map(|o| o.handed_over.clone()).unwrap_or_default());
        (!handed.is_empty()).then(|| {
            let l = lang.get();
            view! {
                <h2 class="section-title" id="handed-over-title">{tr("Allerede overdraget", "Handed over already")}</h2>
                <ul class="review-list" aria-labelledby="handed-over-title" data-testid="handed-over">
                    {handed.into_iter().map(|h| view! {
                        <li class="review-card" data-testid="handed-over-row">
                            <span class="review-card__name">{h.citizen.name}</span>
                            <span class="review-card__meta">{match l {
                                shared::Lang::Da => format!("Til {} pr. {}", h.to.name, h.on.format(l)),
                                shared::Lang::En => format!("To {} as of {}", h.to.name, h.on.format(l)),
                            }}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }
        })
    }
}

/// What the lead is told when the handover is saved: how many citizens
/// (counted in words that agree), from which day the new worker has them
/// (`from`: the first day of the new assignments; after `today` the phone
/// shows them only from that day), and the note only when one was written
/// (issue 14's walk: "1 borgere", a note promised that was never typed, and
/// "after the next sync" for a handover that begins next month).
fn handover_done(
    citizens: usize,
    from: Option<shared::Date>,
    today: shared::Date,
    with_note: bool,
    l: shared::Lang,
) -> String {
    use shared::Lang;
    let count = crate::format::count(citizens as i64, l.pick("borger", "citizen"), l.pick("borgere", "citizens"), l);
    let one = citizens == 1;
    let done = match (l, one) {
        (Lang::Da, _) => format!("{count} er overdraget."),
        (Lang::En, true) => format!("{count} is handed over."),
        (Lang::En, false) => format!("{count} are handed over."),
    };
    let whom = match (l, one, with_note) {
        (Lang::Da, true, false) => "borgeren",
        (Lang::Da, false, false) => "borgerne",
        (Lang::Da, true, true) => "borgeren og noten",
        (Lang::Da, false, true) => "borgerne og noten",
        (Lang::En, true, false) => "the citizen",
        (Lang::En, false, false) => "the citizens",
        (Lang::En, true, true) => "the citizen and the note",
        (Lang::En, false, true) => "the citizens and the note",
    };
    let when = match from.filter(|f| *f > today) {
        Some(f) => match l {
            Lang::Da => format!("fra {} efter en synkronisering", f.format(l)),
            Lang::En => format!("from {} after a sync", f.format(l)),
        },
        None => l.pick("efter næste synkronisering", "after the next sync").to_owned(),
    };
    match l {
        Lang::Da => format!("{done} Den nye medarbejder ser {whom} {when}."),
        Lang::En => format!("{done} The new worker sees {whom} {when}."),
    }
}

#[cfg(test)]
mod tests {
    use super::handover_done;
    use shared::{Date, Lang};

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn the_saved_handover_counts_in_words_that_agree_and_says_when_and_a_note_only_when_written() {
        let today = d("2026-12-02");
        assert_eq!(
            handover_done(1, Some(today), today, false, Lang::Da),
            "1 borger er overdraget. Den nye medarbejder ser borgeren efter næste synkronisering."
        );
        assert_eq!(
            handover_done(3, Some(d("2027-01-01")), today, true, Lang::Da),
            "3 borgere er overdraget. Den nye medarbejder ser borgerne og noten fra 01.01.2027 efter en synkronisering."
        );
        assert_eq!(
            handover_done(1, None, today, true, Lang::En),
            "1 citizen is handed over. The new worker sees the citizen and the note after the next sync."
        );
        assert_eq!(
            handover_done(2, Some(d("2026-12-03")), today, false, Lang::En),
            "2 citizens are handed over. The new worker sees the citizens from 03/12/2026 after a sync."
        );
    }
}
