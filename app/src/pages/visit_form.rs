//! Log a visit or session, edit or delete one, or fix one the server
//! rejected. Saved in one tap to the phone's database; the form never
//! waits for the network, and nothing typed is lost on an error.
//!
//! `/visits/new?citizen=…&kind=…&start=…&end=…&timer=…` (times in ms; from
//! a running timer, which stops when the visit is saved and runs on if the
//! form is left), `/visits/new?fix=<mutation id>` (a rejected one), and
//! `/visits/<id>` (edit).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shared::charge::charge_options;
use shared::sync::{MutationBody, VisitBase};
use shared::text::Note;
use shared::time::Occurrence;
use shared::visit::{ChargeTo, VisitDraft, VisitKind, VisitStatus};
use shared::{CitizenId, Lang, TimerId, Timestamp, UserId, VisitId};
use uuid::Uuid;

use crate::clock::now;
use crate::components::form::{Form, FormFailure};
use crate::components::text_field::{CharCounter, CheckBox, TextField, char_count, member_of};
use crate::data::use_data;
use crate::error::AppError;
use crate::format;
use crate::i18n::{tr, use_lang};
use crate::notice;
use crate::state::{Session, use_session};
use crate::visit_input::{self, Context, TimeField, VisitInput};

/// What the form was opened for.
#[derive(Debug, Clone, PartialEq)]
enum Opened {
    New,
    Edit(VisitId),
    /// Fixing rejected mutation `id` (its payload fills the form).
    Fix(u64),
}

/// One save of the form: the mutation, the timer it stops (opened from a
/// running one: its id and the stop instant) and the rejected record it
/// fixes (a mutation id).
#[derive(Clone)]
struct SaveJob {
    body: MutationBody,
    stop_timer: Option<(TimerId, Timestamp)>,
    fixing: Option<u64>,
}

#[component]
pub fn VisitFormPage() -> impl IntoView {
    let lang = use_lang();
    let data = use_data();
    let session = use_session();
    let navigate = use_navigate();
    let params = use_params_map();
    let query = use_query_map();

    let opened = move || match params.read().get("id") {
        Some(id) => id.parse().map(Opened::Edit).unwrap_or(Opened::New),
        None => match query.read().get("fix").and_then(|f| f.parse().ok()) {
            Some(fix) => Opened::Fix(fix),
            None => Opened::New,
        },
    };
    let me = move || match session.get() {
        Session::LoggedIn(me) => Some(me),
        _ => None,
    };
    let teams = move || me().map(|m| m.team_ids()).unwrap_or_default();

    // The form's fields.
    let citizen = RwSignal::new(String::new());
    let kind = RwSignal::new(VisitKind::HomeVisit);
    let date = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let start_occurrence = RwSignal::new(None::<Occurrence>);
    let by_duration = RwSignal::new(false);
    let end = RwSignal::new(String::new());
    let end_occurrence = RwSignal::new(None::<Occurrence>);
    // The instants the form was filled with: unedited, they come back exactly.
    let filled_times = RwSignal::new(None::<(Timestamp, Timestamp)>);
    let duration = RwSignal::new(String::new());
    let travel = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let charge = RwSignal::new(String::new());
    let goals = RwSignal::new(Vec::<crate::visit_input::GoalTick>::new());
    let co_workers = RwSignal::new(Vec::<UserId>::new());
    // A colleague's joint visit, on the phone as this user's share: who
    // logged it (the share follows their record; issue 16).
    let share_of = RwSignal::new(None::<String>);
    // A staff member's time at a cross-disciplinary meeting: the meeting's
    // page, where the time is changed (issue 16).
    let meeting_of = RwSignal::new(None::<String>);
    let visit_id = RwSignal::new(VisitId::from_uuid(Uuid::now_v7()));
    let base = RwSignal::new(None::<VisitBase>);
    let locked = RwSignal::new(false);
    let missing = RwSignal::new(false);
    // Another worker's visit (a lead's phone holds the team's): shown, not
    // changed here; the server would refuse the edit or the delete.
    let others = RwSignal::new(false);
    let filled = RwSignal::new(false);
    let confirm_delete = RwSignal::new(false);
    // Refusals on the fields, and the phone's storage refusing the save
    // (everything typed stays).
    let form = Form::new();

    let set_input = move |i: VisitInput| {
        citizen.set(i.citizen);
        kind.set(i.kind);
        date.set(i.date);
        start.set(i.start);
        start_occurrence.set(i.start_occurrence);
        by_duration.set(i.by_duration);
        end.set(i.end);
        end_occurrence.set(i.end_occurrence);
        filled_times.set(i.filled);
        duration.set(i.duration);
        travel.set(i.travel);
        note.set(i.note);
        charge.set(i.charge);
        goals.set(i.goals);
        co_workers.set(i.co_workers);
    };
    let input = move || VisitInput {
        citizen: citizen.get(),
        kind: kind.get(),
        date: date.get(),
        start: start.get(),
        start_occurrence: start_occurrence.get(),
        by_duration: by_duration.get(),
        end: end.get(),
        end_occurrence: end_occurrence.get(),
        duration: duration.get(),
        travel: travel.get(),
        note: note.get(),
        charge: charge.get(),
        goals: goals.get(),
        co_workers: co_workers.get(),
        filled: filled_times.get(),
    };

    // The charge choices for the chosen citizen and date.
    let options = move || -> Vec<ChargeTo> {
        let Some(view) = data.view.get() else { return Vec::new() };
        let (Some(c), Some(d)) = (citizen.get().parse::<CitizenId>().ok(), date.get().parse().ok()) else {
            return Vec::new();
        };
        charge_options(c, d, &teams(), &view.grants, &view.drawing_rights)
    };

    // Fill the form once the phone's data is there.
    Effect::new(move |_| {
        if filled.get_untracked() {
            return;
        }
        let Some(view) = data.view.get() else { return };
        let grants_for = |d: &VisitDraft| {
            charge_options(d.citizen_id, d.started_at().local_date(), &teams(), &view.grants, &view.drawing_rights)
        };
        match opened() {
            Opened::Edit(id) => match view.visits.iter().find(|v| v.visit.id == id) {
                Some(v) => {
                    let draft = v.visit.draft();
                    set_input(VisitInput::from_draft(&draft, &grants_for(&draft)));
                    visit_id.set(id);
                    base.set(Some(v.base()));
                    locked.set(v.visit.status == VisitStatus::Approved);
                    others.set(
                        me().is_some_and(|m| m.id != v.visit.worker_id)
                            || v.visit.joint_of.is_some()
                            || v.visit.meeting_of.is_some(),
                    );
                    meeting_of
                        .set(v.visit.meeting_of.map(|m| format!("/citizens/{}/meetings/{m}", v.visit.citizen_id)));
                    if let Some(of) = v.visit.joint_of {
                        let logger = view.visits.iter().find(|x| x.visit.id == of).map(|x| x.visit.worker_id);
                        let name = view.citizens.iter().find(|c| c.id == v.visit.citizen_id).and_then(|c| {
                            let staff = crate::overlay::staff_of(&view, c, None, None);
                            logger.and_then(|l| staff.into_iter().find(|(u, _)| *u == l)).map(|(_, n)| n)
                        });
                        share_of.set(Some(name.unwrap_or_else(|| tr("en kollega", "a colleague")().to_owned())));
                    }
                }
                None => missing.set(true),
            },
            Opened::Fix(mutation) => {
                // A rejection refills the form with what was sent; an edit
                // not kept starts from the visit as it is now with the
                // worker's values on top (`conflict_input::fix_start`).
                // Based on the visit as the phone shows it now. One it no
                // longer shows (deleted elsewhere, or never created) is
                // saved as a new visit: an edit never brings a deleted
                // visit back.
                let start = view
                    .rejected
                    .iter()
                    .find(|r| r.rejection.id == mutation)
                    .and_then(|r| crate::conflict_input::fix_start(r, &view));
                match start {
                    Some(start) => {
                        set_input(VisitInput::from_draft(&start.draft, &grants_for(&start.draft)));
                        if start.base.is_some() {
                            visit_id.set(start.draft.id);
                        }
                        base.set(start.base);
                    }
                    None => missing.set(true),
                }
            }
            Opened::New => {
                let q = query.read();
                let ms = |key: &str| q.get(key).and_then(|v| v.parse::<i64>().ok()).map(Timestamp::from_millis);
                let end_at = ms("end").unwrap_or_else(now);
                let start_at = ms("start").unwrap_or_else(|| end_at.add_minutes(-60));
                let k = q.get("kind").and_then(|k| VisitKind::from_code(&k)).unwrap_or(VisitKind::HomeVisit);
                let c = q.get("citizen").and_then(|c| c.parse().ok());
                set_input(VisitInput::new(c, k, start_at, visit_input::prefill_end(k, start_at, end_at)));
            }
        }
        filled.set(true);
    });

    let citizen_error = form.error_at("citizen_id", tr("Borger", "Citizen"));
    let note_error = form.error_at("note", tr("Note", "Note"));
    let charge_error = form.error_at("charged_to", tr("Betales af", "Charged to"));

    let back = {
        let navigate = navigate.clone();
        move || navigate("/", Default::default())
    };

    // The save: the visit to the phone's database, then (opened from a
    // running timer) the timer's stop, after it, so a failure leaves the
    // timer running, never the visit unlogged; a fixed rejected record
    // takes the rejected one's place.
    let save_action = form.action(
        move |job: &SaveJob| {
            let job = job.clone();
            async move {
                crate::data::act(job.body).await?;
                if let Some((timer_id, stopped_at)) = job.stop_timer
                    && let Err(e) = crate::data::act(MutationBody::TimerStop { timer_id, stopped_at }).await
                {
                    // The visit is saved; the timer still runs.
                    notice::report(
                        shared::Localized::new(
                            "Besøget er gemt, men tidsuret kunne ikke stoppes – stop det på forsiden.",
                            "The visit is saved, but the timer could not be stopped – stop it on the front page.",
                        ),
                        e.message(),
                    );
                }
                if let (Some(id), Some(db)) = (job.fixing, crate::data::db()) {
                    // The fixed copy is on its way; the rejected one goes.
                    if let Err(e) = db.discard_rejected(id).await {
                        notice::report(
                            shared::Localized::new(
                                "Den rettede registrering er gemt, men den afviste blev ikke fjernet – kassér den selv.",
                                "The fixed record is saved, but the rejected one was not removed – discard it yourself.",
                            ),
                            e.message(),
                        );
                    }
                    crate::data::refresh(data.view).await;
                }
                Ok::<_, AppError>(())
            }
        },
        {
            let back = back.clone();
            move |()| back()
        },
    );
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // An approved visit, or one no longer on the phone (deleted
        // elsewhere): nothing to save — a save would make a new visit.
        if locked.get_untracked() || missing.get_untracked() || others.get_untracked() {
            return;
        }
        let Some(me) = me() else { return };
        let Some(view) = data.view.get_untracked() else { return };
        form.submit(save_action, || {
            let opts = options();
            let ctx = Context {
                visit_id: visit_id.get_untracked(),
                user: me.id,
                now: now(),
                assignments: &view.assignments,
                options: &opts,
            };
            let draft = visit_input::read(&input(), &ctx)?;
            let stop_timer = {
                let q = query.read_untracked();
                let timer = q.get("timer").and_then(|t| t.parse::<TimerId>().ok());
                let stopped_at = q.get("end").and_then(|v| v.parse::<i64>().ok()).map(Timestamp::from_millis);
                timer.zip(stopped_at).filter(|(t, _)| view.timers.iter().any(|x| x.id == *t && x.is_running()))
            };
            let fixing = match opened() {
                Opened::Fix(id) => Some(id),
                _ => None,
            };
            Ok(SaveJob {
                body: MutationBody::VisitSave { visit: draft, base: base.get_untracked() },
                stop_timer,
                fixing,
            })
        });
    };

    // The delete: the visit stays, and the form says why, if it fails.
    let delete_action = form.action(
        |body: &MutationBody| {
            let body = body.clone();
            async move { crate::data::act(body).await.map_err(AppError::from) }
        },
        move |_| back(),
    );
    let delete = move || {
        let base = base.get_untracked();
        delete_action.dispatch_local(MutationBody::VisitDelete {
            visit_id: visit_id.get_untracked(),
            base_version: base.as_ref().map_or(0, |b| b.row_version),
            base,
        });
    };
    let saving = move || save_action.pending().get() || delete_action.pending().get();

    let citizens = move || {
        let Some(view) = data.view.get() else { return Vec::new() };
        let Some(me) = me() else { return Vec::new() };
        let day = date.get().parse().ok();
        let mut mine: Vec<_> = view
            .citizens
            .iter()
            .filter(|c| {
                view.assignments
                    .iter()
                    .any(|a| a.user_id == me.id && a.citizen_id == c.id && day.is_none_or(|d| a.period.contains(d)))
            })
            .map(|c| (c.id.to_string(), c.name.to_string()))
            .collect();
        // The chosen citizen stays choosable (e.g. a rejected visit for a
        // citizen no longer assigned), so the field shows what was sent.
        let chosen = citizen.get();
        if !chosen.is_empty() && !mine.iter().any(|(id, _)| *id == chosen) {
            let name = view.citizens.iter().find(|c| c.id.to_string() == chosen).map(|c| c.name.to_string());
            mine.push((chosen, name.unwrap_or_else(|| tr("(ukendt borger)", "(unknown citizen)")().to_owned())));
        }
        mine
    };

    let title = move || match (opened(), lang.get()) {
        // A colleague's joint visit is only looked at here.
        (Opened::Edit(_), Lang::Da) if share_of.with(Option::is_some) => "Fælles besøg",
        (Opened::Edit(_), Lang::En) if share_of.with(Option::is_some) => "Joint visit",
        (Opened::Edit(_), Lang::Da) if meeting_of.with(Option::is_some) => "Tid på tværfagligt møde",
        (Opened::Edit(_), Lang::En) if meeting_of.with(Option::is_some) => "Time at a cross-disciplinary meeting",
        (Opened::Edit(_), Lang::Da) => "Ret besøg",
        (Opened::Edit(_), Lang::En) => "Edit visit",
        (Opened::Fix(_), Lang::Da) => "Ret afvist registrering",
        (Opened::Fix(_), Lang::En) => "Fix rejected record",
        (Opened::New, Lang::Da) => "Registrér besøg",
        (Opened::New, Lang::En) => "Log a visit",
    };
    let is_edit = move || matches!(opened(), Opened::Edit(_));

    view! {
        <section class="visit-form" aria-labelledby="visit-form-title">
            <h1 class="page-title" id="visit-form-title">{title}</h1>
            <Show when=move || missing.get()>
                <p class="notice" role="alert">
                    {tr("Registreringen findes ikke længere på telefonen.", "The record is no longer on the phone.")}
                </p>
            </Show>
            // Fixing a rejected record: why it was refused, as on Today.
            {move || match opened() {
                Opened::Fix(id) => data.view.with(|v| {
                    v.as_ref().and_then(|v| v.rejected.iter().find(|r| r.rejection.id == id)).map(|r| {
                        let reason = r.rejection.message.clone();
                        view! {
                            <p class="notice notice--error" data-testid="fix-reason">
                                {move || reason.get(lang.get()).to_owned()}
                            </p>
                        }
                    })
                }),
                _ => None,
            }}
            <Show when=move || locked.get() && !others.get()>
                <p class="notice" role="status">
                    {tr("Besøget er godkendt af lederen og kan ikke ændres.", "The visit is approved by the lead and can no longer be changed.")}
                </p>
            </Show>
            {move || share_of.get().map(|by| view! {
                <p class="notice" role="status" data-testid="joint-share">{move || match lang.get() {
                    Lang::Da => format!("Et fælles besøg, som {by} har registreret. Din andel følger registreringen: bed {by} rette eller slette det."),
                    Lang::En => format!("A joint visit {by} logged. Your share follows the record: ask {by} to change or delete it."),
                }}</p>
            })}
            {move || meeting_of.get().map(|href| view! {
                <p class="notice" role="status" data-testid="meeting-visit">
                    {tr(
                        "Tiden er talt fra et tværfagligt møde, én gang for hver medarbejder, der deltog. Den følger mødet: ret mødet (hvem der deltog, og hvor længe), så følger tiden med.",
                        "The time is counted from a cross-disciplinary meeting, once for each staff member who took part. It follows the meeting: change the meeting (who took part, and for how long) and the time follows.",
                    )}
                    " "<a href=href>{tr("Til mødet", "To the meeting")}</a>
                </p>
            })}
            <Show when=move || others.get() && share_of.with(Option::is_none) && meeting_of.with(Option::is_none)>
                <p class="notice" role="status" data-testid="others-visit">
                    {tr("Besøget er registreret af en anden medarbejder og kan kun ses her.", "Another staff member logged this visit; it can only be viewed here.")}
                    {move || me().filter(|m| m.has_role(shared::user::Role::Lead) || m.has_role(shared::user::Role::Admin)).map(|_| view! {
                        " "<a href=crate::pages::correction::correction_href(visit_id.get())>{tr("Ret minutterne som leder", "Correct the minutes as lead")}</a>
                    })}
                </p>
            </Show>
            <form class="visit-form__form" node_ref=form.node() on:submit=save novalidate=true>
                <fieldset class="visit-form__fields" disabled=move || locked.get() || missing.get() || others.get()>
                    <div class="field" data-invalid=move || citizen_error.get().is_some().to_string()>
                        <label class="field__label" for="visit-citizen">{tr("Borger", "Citizen")}</label>
                        <select
                            class="field__input"
                            id="visit-citizen"
                            aria-describedby="visit-citizen-error"
                            aria-invalid=move || citizen_error.get().is_some().to_string()
                            prop:value=move || citizen.get()
                            on:change:target=move |ev| citizen.set(ev.target().value())
                        >
                            <option value="">{tr("Vælg borger", "Choose a citizen")}</option>
                            {move || citizens().into_iter().map(|(id, name)| {
                                let selected = citizen.get_untracked() == id;
                                view! { <option value=id selected=selected>{name}</option> }
                            }).collect_view()}
                        </select>
                        <p class="field__error" id="visit-citizen-error">{move || citizen_error.get()}</p>
                    </div>
                    <div class="field">
                        <label class="field__label" for="visit-kind">{tr("Type", "Kind")}</label>
                        <select
                            class="field__input"
                            id="visit-kind"
                            prop:value=move || kind.get().code()
                            on:change:target=move |ev| {
                                if let Some(k) = VisitKind::from_code(&ev.target().value()) {
                                    kind.set(k);
                                }
                            }
                        >
                            {move || VisitKind::ALL.into_iter().map(|k| {
                                let selected = kind.get_untracked() == k;
                                view! { <option value=k.code() selected=selected>{k.label(lang.get())}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <TextField id="visit-date" label=Signal::derive(tr("Dato", "Date")) input_type="date" value=date error=form.error("date")/>
                    <TextField id="visit-start" label=Signal::derive(tr("Start", "Start")) input_type="time" value=start error=form.error("started_at")/>
                    <WhichOne
                        id="visit-start-occurrence"
                        field=TimeField::Start
                        time=start.into()
                        shown=Signal::derive(move || input().start_repeated())
                        choice=start_occurrence
                    />
                    <fieldset class="visit-form__end">
                        <legend class="field__label">{tr("Slut eller varighed", "End or duration")}</legend>
                        <div class="segmented" role="radiogroup">
                            <label class="segmented__option">
                                <input type="radio" name="end-mode" prop:checked=move || !by_duration.get() on:change=move |_| by_duration.set(false)/>
                                <span>{tr("Sluttid", "End time")}</span>
                            </label>
                            <label class="segmented__option">
                                <input type="radio" name="end-mode" prop:checked=move || by_duration.get() on:change=move |_| by_duration.set(true)/>
                                <span>{tr("Varighed", "Duration")}</span>
                            </label>
                        </div>
                        <Show
                            when=move || by_duration.get()
                            fallback=move || view! {
                                <TextField id="visit-end" label=Signal::derive(tr("Slut", "End")) input_type="time" value=end error=form.error("ended_at")/>
                                <WhichOne
                                    id="visit-end-occurrence"
                                    field=TimeField::End
                                    time=end.into()
                                    shown=Signal::derive(move || input().end_repeated())
                                    choice=end_occurrence
                                />
                            }
                        >
                            <TextField id="visit-duration" label=Signal::derive(tr("Varighed i minutter", "Duration in minutes")) input_type="number" value=duration error=form.error("duration")/>
                        </Show>
                    </fieldset>
                    // A visit that ends ahead of the clock: said, not refused
                    // (see `visit_input::minutes_ahead`).
                    {move || visit_input::minutes_ahead(&input(), now()).map(|m| {
                        let left = format::duration(shared::Minutes::new(u32::try_from(m).unwrap_or(u32::MAX)), lang.get());
                        view! {
                            <p class="notice" role="status" data-testid="visit-ahead">{match lang.get() {
                                Lang::Da => format!("Besøget slutter først om {left}. Gem det, når det har fundet sted – eller ret tiden."),
                                Lang::En => format!("The visit ends only in {left}. Save it once it has taken place – or correct the time."),
                            }}</p>
                        }
                    })}
                    <TextField id="visit-travel" label=Signal::derive(tr("Transporttid i minutter", "Travel time in minutes")) input_type="number" value=travel error=form.error("travel_minutes")/>
                    <div class="field" data-invalid=move || note_error.get().is_some().to_string()>
                        <label class="field__label" for="visit-note">{tr("Note", "Note")}</label>
                        <textarea
                            class="field__input field__input--area"
                            id="visit-note"
                            rows="4"
                            aria-invalid=move || note_error.get().is_some().to_string()
                            aria-describedby="visit-note-error visit-note-count"
                            prop:value=move || note.get()
                            on:input:target=move |ev| note.set(ev.target().value())
                        ></textarea>
                        <p class="field__error" id="visit-note-error">{move || note_error.get()}</p>
                        // Not a live region: it changes with every key.
                        <p class="field__hint" id="visit-note-count" data-testid="note-count"
                            data-over=move || char_count(&note.get(), Note::MAX_CHARS, lang.get()).1.to_string()>
                            {move || char_count(&note.get(), Note::MAX_CHARS, lang.get()).0}
                        </p>
                    </div>
                    <GoalTicks citizen=Signal::derive(move || citizen.get().parse::<CitizenId>().ok()) ticks=goals form=form/>
                    // A share names no colleagues of its own (the notice
                    // above says whose record it follows).
                    <Show when=move || share_of.with(Option::is_none)>
                        <CoWorkerTicks citizen=Signal::derive(move || citizen.get().parse::<CitizenId>().ok())
                            day=Signal::derive(move || date.get().parse::<shared::Date>().ok()) chosen=co_workers form=form/>
                    </Show>
                    {move || {
                        let opts = options();
                        let view = data.view.get().unwrap_or_default();
                        let l = lang.get();
                        if citizen.get().parse::<CitizenId>().is_err() {
                            return view! {
                                <p class="visit-form__charge" data-testid="charge">
                                    {tr("Betales af: vises, når du har valgt borger.", "Charged to: shown once you have chosen the citizen.")}
                                </p>
                            }.into_any();
                        }
                        match opts.len() {
                            0 => view! {
                                <p class="visit-form__charge" data-testid="charge">
                                    {tr("Ingen bevilling fundet på datoen – besøget registreres og markeres til lederen.", "No grant found on that date – the visit is logged and flagged for the lead.")}
                                </p>
                            }.into_any(),
                            1 => view! {
                                <p class="visit-form__charge" data-testid="charge">
                                    {tr("Betales af: ", "Charged to: ")}{format::charge(opts[0], &view.grants, &view.drawing_rights, l)}
                                </p>
                            }.into_any(),
                            _ => view! {
                                <div class="field" data-invalid=move || charge_error.get().is_some().to_string()>
                                    <label class="field__label" for="visit-charge">{tr("Betales af", "Charged to")}</label>
                                    <select
                                        class="field__input"
                                        id="visit-charge"
                                        aria-describedby="visit-charge-error"
                                        prop:value=move || charge.get()
                                        on:change:target=move |ev| charge.set(ev.target().value())
                                    >
                                        <option value="">{tr("Vælg bevilling", "Choose a grant")}</option>
                                        {opts.iter().enumerate().map(|(i, c)| {
                                            let selected = charge.get_untracked() == i.to_string();
                                            view! { <option value=i.to_string() selected=selected>{format::charge(*c, &view.grants, &view.drawing_rights, l)}</option> }
                                        }).collect_view()}
                                    </select>
                                    <p class="field__error" id="visit-charge-error">{move || charge_error.get()}</p>
                                </div>
                            }.into_any(),
                        }
                    }}
                </fieldset>
                <FormFailure form=form/>
                <div class="visit-form__actions">
                    <button class="button button--primary button--wide" type="submit" disabled=move || saving() || locked.get() || missing.get() || others.get() data-testid="save-visit">
                        {tr("Gem", "Save")}
                    </button>
                    <a class="button button--quiet" href="/">{tr("Annullér", "Cancel")}</a>
                </div>
            </form>
            <Show when=move || is_edit() && !locked.get() && !missing.get() && !others.get()>
                <div class="visit-form__danger">
                    <Show
                        when=move || confirm_delete.get()
                        fallback=move || view! {
                            <button type="button" class="button button--quiet button--danger-text" on:click=move |_| confirm_delete.set(true)>
                                {tr("Slet besøget", "Delete the visit")}
                            </button>
                        }
                    >
                        <div role="alertdialog" aria-labelledby="delete-title" class="confirm">
                            <p id="delete-title">{tr("Slet besøget? Det kan ikke fortrydes.", "Delete the visit? This cannot be undone.")}</p>
                            <button type="button" class="button" on:click=move |_| confirm_delete.set(false)>{tr("Behold", "Keep")}</button>
                            <button type="button" class="button button--danger" on:click=move |_| delete() data-testid="confirm-delete">{tr("Slet", "Delete")}</button>
                        </div>
                    </Show>
                </div>
            </Show>
        </section>
    }
}

/// Which of the two a typed time means on the night the clocks go back
/// (02.00–02.59 happens twice): two radio buttons under a legend naming the
/// field and the time, shown only while `shown` is `Some` (the answer
/// checked), so any other day's form is unchanged.
#[component]
fn WhichOne(
    /// The group's id; the radios are named after it.
    id: &'static str,
    field: TimeField,
    /// The typed time, `HH:MM`.
    time: Signal<String>,
    shown: Signal<Option<Occurrence>>,
    choice: RwSignal<Option<Occurrence>>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Show when=move || shown.get().is_some()>
            {move || {
                let (question, answers) = visit_input::which_one_text(field, &time.get(), lang.get());
                view! {
                    <fieldset class="visit-form__which" id=id data-testid=id>
                        <legend class="field__label">{question}</legend>
                        <div class="segmented">
                            {answers.into_iter().map(|(occurrence, label)| view! {
                                <label class="segmented__option">
                                    <input
                                        type="radio"
                                        name=id
                                        value=occurrence.offset_minutes().to_string()
                                        prop:checked=move || shown.get() == Some(occurrence)
                                        on:change=move |_| choice.set(Some(occurrence))
                                    />
                                    <span>{label}</span>
                                </label>
                            }).collect_view()}
                        </div>
                    </fieldset>
                }
            }}
        </Show>
    }
}

/// The colleagues who work with the citizen on the visit's day, as boxes
/// to tick when they took part too: a joint visit, logged once, counted
/// for each of them (issue 16). A colleague ticked who no longer works
/// with the citizen that day stays listed, so the refusal has its box.
#[component]
fn CoWorkerTicks(
    citizen: Signal<Option<CitizenId>>,
    day: Signal<Option<shared::Date>>,
    chosen: RwSignal<Vec<UserId>>,
    form: Form,
) -> impl IntoView {
    let data = use_data();
    let session = use_session();
    let colleagues = Memo::new(move |_| {
        let me = match session.get() {
            Session::LoggedIn(me) => Some(me.id),
            _ => None,
        };
        let picked = chosen.get();
        let Some(view) = data.view.get() else { return Vec::new() };
        let day = day.get();
        let citizen = citizen.get();
        let works_that_day = |user: UserId| {
            view.assignments
                .iter()
                .any(|a| a.user_id == user && Some(a.citizen_id) == citizen && day.is_none_or(|d| a.period.contains(d)))
        };
        let mut listed: Vec<(UserId, String)> = citizen
            .and_then(|id| view.citizens.iter().find(|c| c.id == id))
            .map(|c| crate::overlay::staff_of(&view, c, None, None))
            .unwrap_or_default()
            .into_iter()
            .filter(|(u, _)| Some(*u) != me && (picked.contains(u) || works_that_day(*u)))
            .collect();
        // Every one ticked keeps a box to untick, also when the citizen
        // changed to one they do not work with (their refusal shows here).
        for user in picked {
            if !listed.iter().any(|(u, _)| *u == user) {
                let name = view.assignments.iter().find(|a| a.user_id == user).and_then(|a| a.user_name.clone());
                listed.push((user, name.unwrap_or_else(|| tr("En kollega", "A colleague")().to_owned())));
            }
        }
        listed
    });
    let label = tr("Kolleger, der også deltog (fælles besøg)", "Colleagues who took part too (a joint visit)");
    let error = form.error_under("co_workers");
    view! {
        <Show when=move || !colleagues.with(Vec::is_empty)>
            <fieldset class="field" data-testid="visit-co-workers" aria-describedby="visit-co-workers-error">
                <legend class="field__label">{label}</legend>
                <p class="field__hint">{tr(
                    "Hver kollega får besøget talt med hos sig selv, betalt efter bevillingen. Du registrerer det én gang.",
                    "Each colleague gets the visit counted for them, charged under the grant. You log it once.",
                )}</p>
                {move || colleagues.get().into_iter().map(|(user, name)| {
                    let (checked, toggle) = member_of(chosen, user);
                    view! { <CheckBox id=format!("visit-co-worker-{user}") checked=checked toggle=toggle>{name}</CheckBox> }
                }).collect_view()}
                <p class="field__error" id="visit-co-workers-error">{move || error.get().map(|r| r.at(label()))}</p>
            </fieldset>
        </Show>
    }
}

/// The citizen's active goals as boxes to tick (issue 15): the visit
/// worked on them; a ticked goal takes the citizen's score (0–10) and a
/// one-line note, both optional. Shown only when the citizen has goals.
#[component]
fn GoalTicks(
    citizen: Signal<Option<CitizenId>>,
    ticks: RwSignal<Vec<crate::visit_input::GoalTick>>,
    form: Form,
) -> impl IntoView {
    let data = use_data();
    let goals = Memo::new(move |_| {
        let (Some(view), Some(c)) = (data.view.get(), citizen.get()) else { return Vec::new() };
        view.goals
            .iter()
            .filter(|g| g.row.fields.citizen_id == c)
            .filter(|g| {
                g.row.fields.status == shared::plan::GoalStatus::Active
                    || ticks.with(|t| t.iter().any(|t| t.goal_id == g.row.fields.id))
            })
            .map(|g| (g.row.fields.id, g.row.fields.citizen_wording.to_string()))
            .collect::<Vec<_>>()
    });
    // Every refusal of a ticked goal is shown at its row; the list's own
    // (too many, one twice) under the list.
    form.shown_at_rows("goals[");
    let errors = form.error_at("goals", tr("Mål i borgerens plan", "Goals of the citizen's plan"));
    let (score_label, note_label) = (
        tr("Borgerens score 0–10 (valgfri)", "The citizen's score 0–10 (optional)"),
        tr("Kort note om målet (valgfri)", "A short note on the goal (optional)"),
    );
    view! {
        <Show when=move || !goals.with(Vec::is_empty)>
            <fieldset class="field visit-form__goals" data-testid="visit-goals">
                <legend class="field__label">{tr("Mål i borgerens plan, som besøget arbejdede på", "Goals of the citizen's plan the visit worked on")}</legend>
                <For each=move || goals.get() key=|(id, words)| (*id, words.clone()) let((id, words))>
                    {
                        let checked = move || ticks.with(|t| t.iter().any(|t| t.goal_id == id));
                        let toggle = move |ev: leptos::ev::Event| {
                            let on = event_target_checked(&ev);
                            ticks.update(|t| {
                                t.retain(|t| t.goal_id != id);
                                if on {
                                    t.push(crate::visit_input::GoalTick { goal_id: id, score: String::new(), note: String::new() });
                                }
                            });
                        };
                        let set = move |f: fn(&mut crate::visit_input::GoalTick, String), v: String| {
                            ticks.update(|t| if let Some(t) = t.iter_mut().find(|t| t.goal_id == id) { f(t, v) });
                        };
                        let (box_for, box_id) = (format!("visit-goal-{id}"), format!("visit-goal-{id}"));
                        let (score_id, note_id) = (format!("visit-goal-{id}-score"), format!("visit-goal-{id}-note"));
                        // The refusals name the row by its place among the ticked goals.
                        let row_error = move |part: &'static str| {
                            let at = ticks.with(|t| t.iter().position(|t| t.goal_id == id))?;
                            let label = if part == "note" { note_label() } else { score_label() };
                            form.message_for(&format!("goals[{at}].{part}"), label)
                        };
                        let (score_error_id, note_error_id) = (format!("{score_id}-error"), format!("{note_id}-error"));
                        let note_of = move || ticks.with(|t| t.iter().find(|t| t.goal_id == id).map(|t| t.note.clone()).unwrap_or_default());
                        view! {
                            <div class="visit-form__goal" data-testid="visit-goal">
                                <label class="visit-form__goal-box" for=box_for>
                                    <input type="checkbox" id=box_id prop:checked=checked on:change=toggle/>
                                    <span>{format!("“{words}”")}</span>
                                </label>
                                <Show when=checked>
                                    <div class="visit-form__goal-more">
                                        <label class="field__label" for=score_id.clone()>{score_label}</label>
                                        <input class="field__input" type="text" inputmode="numeric" id=score_id.clone()
                                            aria-invalid=move || row_error("citizen_score").is_some().to_string() aria-describedby=score_error_id.clone()
                                            prop:value=move || ticks.with(|t| t.iter().find(|t| t.goal_id == id).map(|t| t.score.clone()).unwrap_or_default())
                                            on:input:target=move |ev| set(|t, v| t.score = v, ev.target().value())/>
                                        <p class="field__error" id=score_error_id.clone()>{move || row_error("citizen_score")}</p>
                                        <label class="field__label" for=note_id.clone()>{note_label}</label>
                                        <input class="field__input" type="text" id=note_id.clone()
                                            aria-invalid=move || row_error("note").is_some().to_string()
                                            aria-describedby=format!("{note_error_id} {note_id}-count")
                                            prop:value=note_of
                                            on:input:target=move |ev| set(|t, v| t.note = v, ev.target().value())/>
                                        <p class="field__error" id=note_error_id.clone()>{move || row_error("note")}</p>
                                        <CharCounter id=format!("{note_id}-count") value=Signal::derive(note_of)
                                            max=shared::text::ProgressNote::MAX_CHARS/>
                                    </div>
                                </Show>
                            </div>
                        }
                    }
                </For>
                <p class="field__error" id="visit-goals-error">{move || errors.get()}</p>
            </fieldset>
        </Show>
    }
}
