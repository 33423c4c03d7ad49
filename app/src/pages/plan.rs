//! `/citizens/:id/plan`: the citizen's plan (issue 15) — consent, the
//! coordinating case worker, the citizen's wishes, the goals in the
//! citizen's own words with their agreed actions and follow-ups. A field
//! page: it reads the phone's rows and writes through the outbox
//! (`plan_save`, `goal_save`, `action_save`, `follow_up_add`,
//! `plan_revision_add`), so it works offline; what others changed
//! meanwhile is merged by the server. Each revision of the plan gone
//! through with the citizen is kept, with who took part.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::plan::{
    Action as PlanAction, ActionStatus, Conclusion, Consent, FollowUp, Functioning, Goal, GoalStatus, Owner, Plan,
    PlanRevision, follow_up_due,
};
use shared::sync::MutationBody;
use shared::{ActionId, CitizenId, Date, FollowUpId, GoalId, Lang, PlanRevisionId, UserId};
use uuid::Uuid;

use crate::api;
use crate::components::form::{Form, FormFailure, Refusal};
use crate::components::live::follow;
use crate::components::text_field::{CheckBox, SelectField, TextArea, TextField, member_of, set_member};
use crate::data::use_data;
use crate::i18n::{tr, use_lang};
use crate::overlay::{RecordState, Shown};
use crate::plan_input::{
    ActionTyped, Against, FollowUpTyped, GoalTyped, RevisionTyped, plan_as_it_stands, read_action, read_follow_up,
    read_goal, read_plan, read_revision,
};
use crate::state::{Session, use_session};

/// Where a citizen's plan is.
pub fn plan_href(citizen: CitizenId) -> String {
    format!("/citizens/{citizen}/plan")
}

fn today() -> Date {
    crate::clock::now().local_date()
}

use crate::components::form::outbox_save;
use crate::overlay::staff_of;

/// What the plan's card shows: the citizen, the plan (none before it is
/// begun) and who works with the citizen.
#[derive(Clone, PartialEq)]
struct CardData {
    citizen: shared::citizen::Citizen,
    plan: Option<Shown<Plan>>,
    staff: Vec<(UserId, String)>,
}

/// What the page shows of one citizen.
#[derive(Clone, PartialEq, Eq)]
struct PlanData {
    citizen: shared::citizen::Citizen,
    plan: Option<Shown<Plan>>,
    goals: Vec<Shown<Goal>>,
    actions: Vec<Shown<PlanAction>>,
    follow_ups: Vec<FollowUp>,
    revisions: Vec<PlanRevision>,
    /// Who works with the citizen today, by name (the user first).
    staff: Vec<(UserId, String)>,
}

/// Who does an action, as the user reads it: "Dig", a colleague's name,
/// the team, the area or the citizen.
/// An owner as the action form's select codes it: `user:<id>`,
/// `team:<id>`, `area:<id>` or `citizen`.
fn owner_code(owner: Owner) -> String {
    match owner {
        Owner::User(u) => format!("user:{u}"),
        Owner::Team(t) => format!("team:{t}"),
        Owner::Area(a) => format!("area:{a}"),
        Owner::Citizen => "citizen".to_owned(),
    }
}

fn owner_name(owner: Owner, me: Option<UserId>, staff: &[(UserId, String)], l: Lang) -> String {
    match owner {
        Owner::User(u) if Some(u) == me => l.pick("Dig", "You").to_owned(),
        Owner::User(u) => name_of(staff, u).unwrap_or_else(|| l.pick("En kollega", "A colleague").to_owned()),
        Owner::Team(_) => l.pick("Teamet", "The team").to_owned(),
        Owner::Area(_) => l.pick("Området", "The area").to_owned(),
        Owner::Citizen => l.pick("Borgeren", "The citizen").to_owned(),
    }
}

/// The name of `user` among `staff`.
fn name_of(staff: &[(UserId, String)], user: UserId) -> Option<String> {
    staff.iter().find(|(id, _)| *id == user).map(|(_, name)| name.clone())
}

#[component]
pub fn PlanPage() -> impl IntoView {
    let data = use_data();
    let params = use_params_map();
    let session = use_session();
    let me = move || match session.get() {
        Session::LoggedIn(me) => Some(me.id),
        _ => None,
    };
    let id = move || params.read().get("id").and_then(|s| s.parse::<CitizenId>().ok());
    // A memo: a sync that leaves the plan as it was draws nothing anew (a
    // form being typed in stays as it is).
    let shown = Memo::new(move |_| {
        let view = data.view.get()?;
        let id = id()?;
        let citizen = view.citizens.iter().find(|c| c.id == id)?.clone();
        let me = match session.get() {
            Session::LoggedIn(me) => Some((me.id, me.name.to_string())),
            _ => None,
        };
        let staff = staff_of(&view, &citizen, me, Some(today()));
        Some(PlanData {
            staff,
            citizen,
            plan: view.plans.iter().find(|p| p.row.fields.citizen_id == id).cloned(),
            goals: view.goals.iter().filter(|g| g.row.fields.citizen_id == id).cloned().collect(),
            actions: view.actions.iter().filter(|a| a.row.fields.citizen_id == id).cloned().collect(),
            follow_ups: view.follow_ups.iter().filter(|f| f.fields.citizen_id == id).cloned().collect(),
            revisions: view.revisions.iter().filter(|r| r.fields.citizen_id == id).cloned().collect(),
        })
    });
    let adding_goal = RwSignal::new(false);
    // The catalogue of offers and the areas, as the phone has them, for the
    // goals' areas and efforts.
    let offers = crate::pages::offers::catalogue_now();
    provide_context(Catalogue(Memo::new(move |_| offers.known.get()), offers.loading));
    // The citizen's intensive courses (the last copy offline), for the
    // courses that work on each goal.
    let courses = LocalResource::new(move || {
        let citizen = id();
        async move {
            match citizen {
                Some(c) => crate::pages::courses::citizen_courses_now(c).await.ok().map(|(c, _)| c.courses),
                None => None,
            }
        }
    });
    provide_context(PlanCourses(Memo::new(move |_| courses.get().flatten().unwrap_or_default())));
    // Each part its own memo, drawn on its own: a sync or a save that
    // changes one goal draws that goal anew, and a form open elsewhere on
    // the page (with what is typed in it) stays as it is.
    let found = Memo::new(move |_| shown.get().map(|d| (d.citizen.id, d.citizen.name.to_string())));
    let plan_card =
        Memo::new(move |_| shown.get().map(|d| CardData { citizen: d.citizen, plan: d.plan, staff: d.staff }));
    let goals = Memo::new(move |_| shown.get().map(|d| d.goals).unwrap_or_default());
    let begun = Memo::new(move |_| shown.get().and_then(|d| d.plan.map(|p| p.row.began_on())));
    let staff = Memo::new(move |_| shown.get().map(|d| d.staff).unwrap_or_default());
    let next_position = move || goals.get_untracked().iter().map(|g| g.row.fields.position).max().unwrap_or(0) + 1;

    view! {
        <section class="plan-page" aria-labelledby="plan-title">
            <h1 class="page-title" id="plan-title">{tr("Borgerens plan", "The citizen's plan")}</h1>
            <Show when=move || found.get().is_some() fallback=|| view! {
                <p class="notice" role="status">{tr(
                    "Borgeren er ikke på telefonen – måske ikke tilknyttet dig længere.",
                    "The citizen is not on the phone – perhaps no longer assigned to you.",
                )}</p>
                <a class="button" href="/citizens">{tr("Til mine borgere", "To my citizens")}</a>
            }>
                <p class="plan-page__who" data-testid="plan-citizen">
                    {move || found.get().map(|(id, name)| view! {
                        <a href=format!("/citizens/{id}")>{name}</a>
                        " · "
                        <a href=plan_copy_href(id) data-testid="plan-copy">{tr("Borgerens kopi til udskrift", "The citizen's copy to print")}</a>
                    })}
                </p>
                // Drawn once: a sync redraws the card's text, not the
                // form open in it.
                <PlanCard card=plan_card me=me()/>
                {move || {
                    // The plan's coordinating case worker (else the
                    // citizen's) settles clashes, or an administrator.
                    let coordinator = plan_card.with(|p| p.as_ref().and_then(|card| {
                        shared::plan::coordinator(card.plan.as_ref().map(|p| &p.row.fields), card.citizen.coordinator_id)
                    }));
                    let admin = matches!(session.get(), Session::LoggedIn(me) if me.has_role(shared::user::Role::Admin));
                    let settles = admin || (coordinator.is_some() && coordinator == me());
                    found.get().filter(|_| settles).map(|(citizen, _)| view! { <PlanConflicts citizen=citizen/> })
                }}
                <section aria-labelledby="goals-title">
                    <div class="plan-section__head">
                        <h2 class="section-title" id="goals-title">{tr("Mål", "Goals")}</h2>
                        <a class="plan-section__aside" href="/offers" data-testid="plan-to-offers">{tr("Kommunens tilbud", "The municipality's offers")}</a>
                    </div>
                    <Show when=move || goals.with(Vec::is_empty)>
                        <p class="empty">{tr("Ingen mål endnu. Skriv det første med borgerens egne ord.", "No goals yet. Write the first in the citizen's own words.")}</p>
                    </Show>
                    <ol class="plan-goals">
                        // Keyed by the goal alone: a sync or an edit of
                        // the goal redraws its text, not a form open in it.
                        <For each=move || goals.get() key=|g| g.row.fields.id let(goal)>
                            {
                                let id = goal.row.fields.id;
                                let goal = follow(goals.into(), goal, |g| g.row.fields.id);
                                let actions = Signal::derive(move || {
                                    shown.with(|d| d.as_ref().map(|d| d.actions.iter().filter(|a| a.row.fields.goal_id == id).cloned().collect()).unwrap_or_default())
                                });
                                let follow_ups = Signal::derive(move || {
                                    shown.with(|d| d.as_ref().map(|d| d.follow_ups.iter().filter(|f| f.fields.goal_id == id).cloned().collect()).unwrap_or_default())
                                });
                                view! {
                                    <GoalCard goal=goal actions=actions follow_ups=follow_ups
                                        plan_begun=Signal::derive(move || begun.get().unwrap_or_else(today)) me=me() staff=staff/>
                                }
                            }
                        </For>
                    </ol>
                    <Show when=move || !adding_goal.get() fallback=move || {
                        found.get_untracked().map(|(citizen, _)| view! {
                            <GoalForm citizen=citizen goal=None position=next_position()
                                plan_begun=begun.get_untracked().unwrap_or_else(today) close=move || adding_goal.set(false)/>
                        })
                    }>
                        <button type="button" class="button button--primary" data-testid="add-goal"
                            on:click=move |_| adding_goal.set(true)>{tr("Nyt mål", "New goal")}</button>
                    </Show>
                </section>
                {move || found.get().map(|(citizen, _)| view! {
                    <crate::pages::meeting::MeetingsSection citizen=citizen staff=Signal::derive(move || staff.get())/>
                })}
                {move || found.get().map(|(citizen, _)| view! { <Revisions citizen=citizen shown=shown begun=begun me=me()/> })}
            </Show>
        </section>
    }
}

/// The clashes of two edits of the plan, for its coordinating case worker
/// to settle (issue 15): per field what stands and the other version, and
/// which to keep. Online only (the server holds both versions); shown when
/// there is something to settle.
#[component]
fn PlanConflicts(citizen: CitizenId) -> impl IntoView {
    let lang = use_lang();
    let online = crate::state::use_online();
    let list: RwSignal<Vec<shared::plan::PlanConflict>> = RwSignal::new(Vec::new());
    let form = Form::new();
    // Fetched when online (the server holds both versions); offline there
    // is nothing to settle.
    form.load(
        move || {
            let online = online.get();
            async move {
                if online {
                    api::plan_conflicts(citizen).await
                } else {
                    Ok(shared::plan::PlanConflictsResponse { conflicts: Vec::new() })
                }
            }
        },
        move |r: shared::plan::PlanConflictsResponse| list.set(r.conflicts),
    );
    let settling = form.action(
        |(id, keep): &(shared::ConflictId, shared::conflict::Keep)| api::settle_plan_conflict(*id, *keep),
        move |r: shared::plan::PlanConflictsResponse| {
            list.set(r.conflicts);
            crate::sync::runner::request_sync(false);
        },
    );
    let busy = settling.pending();
    let settle = move |id: shared::ConflictId, keep: shared::conflict::Keep| {
        settling.dispatch_local((id, keep));
    };
    let failing = form.failing();
    view! {
        <Show when=move || !list.with(Vec::is_empty) || failing.get()>
            <section class="card plan-conflicts" aria-labelledby="plan-conflicts-title" data-testid="plan-conflicts">
                <h2 class="section-title" id="plan-conflicts-title">{tr("Uenigheder at afgøre", "Disagreements to settle")}</h2>
                <p class="field__hint">{tr(
                    "To personer ændrede det samme i planen. Den første ændring står; vælg, hvilken version der skal gælde.",
                    "Two people changed the same thing in the plan. The first change stands; choose which version is to hold.",
                )}</p>
                <FormFailure form=form/>
                <ul class="plan-conflicts__list">
                    {move || {
                        let l = lang.get();
                        list.get().into_iter().map(|c| {
                            let what = match (c.entity.as_str(), c.about.is_empty()) {
                                ("goal", false) => format!("“{}”", c.about),
                                ("action", false) => c.about.clone(),
                                _ => l.pick("Planen", "The plan").to_owned(),
                            };
                            let id = c.id;
                            view! {
                                <li class="plan-conflict" data-testid="plan-conflict">
                                    <p class="plan-conflict__title">{match l {
                                        Lang::Da => format!("{what} · {} ændrede det samme {}", c.by, c.at.local_date().format(l)),
                                        Lang::En => format!("{what} · {} changed the same on {}", c.by, c.at.local_date().format(l)),
                                    }}</p>
                                    <dl class="plan-conflict__fields">
                                        {c.fields.into_iter().map(|f| view! {
                                            <div>
                                                <dt>{shared::error::field_label(&f.field).get(l).to_owned()}</dt>
                                                <dd data-testid="conflict-standing">{format!("{}: {}", l.pick("Står nu", "Stands now"), f.standing)}</dd>
                                                <dd data-testid="conflict-other">{format!("{}: {}", l.pick("Den anden version", "The other version"), f.other)}</dd>
                                            </div>
                                        }).collect_view()}
                                    </dl>
                                    <div class="plan-goal__buttons">
                                        <button type="button" class="button" data-testid="keep-standing" disabled=move || busy.get()
                                            on:click=move |_| settle(id, shared::conflict::Keep::Standing)>{tr("Behold det, der står", "Keep what stands")}</button>
                                        <button type="button" class="button button--primary" data-testid="keep-other" disabled=move || busy.get()
                                            on:click=move |_| settle(id, shared::conflict::Keep::Other)>{tr("Brug den anden version", "Use the other version")}</button>
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

/// The plan's revisions (issue 15: each kept with its day, who took part,
/// whether the citizen was present and agreed), newest first, each with
/// the plan as it stood to open; and recording one, offline too.
#[component]
fn Revisions(
    citizen: CitizenId,
    shown: Memo<Option<PlanData>>,
    begun: Memo<Option<Date>>,
    me: Option<UserId>,
) -> impl IntoView {
    let lang = use_lang();
    let data = use_data();
    let recording = RwSignal::new(false);
    let revisions = Memo::new(move |_| shown.with(|d| d.as_ref().map(|d| d.revisions.clone()).unwrap_or_default()));
    let staff = Memo::new(move |_| shown.with(|d| d.as_ref().map(|d| d.staff.clone()).unwrap_or_default()));
    view! {
        <section aria-labelledby="revisions-title" data-testid="revisions">
            <h2 class="section-title" id="revisions-title">{tr("Gennemgange af planen med borgeren", "Reviews of the plan with the citizen")}</h2>
            <Show when=move || revisions.with(Vec::is_empty)>
                <p class="empty">{tr("Planen er ikke gennemgået med borgeren endnu.", "The plan has not been gone through with the citizen yet.")}</p>
            </Show>
            <ol class="plan-revisions">
                {move || {
                    let l = lang.get();
                    let staff = staff.get();
                    revisions.get().into_iter().rev().map(|r| {
                        let f = r.fields;
                        let waiting_now = data.view.with(|v| v.as_ref().is_some_and(|v| v.waiting_revisions.contains(&f.id)));
                        let who: Vec<String> = f.participants.iter()
                            .map(|u| if Some(*u) == me { l.pick("Dig", "You").to_owned() } else { name_of(&staff, *u).unwrap_or_else(|| l.pick("En kollega", "A colleague").to_owned()) })
                            .collect();
                        // Others by name and role, apart: "Bent Hansen, jobkonsulent" is one person.
                        let others = (!f.others.as_str().is_empty()).then(|| format!("{}: {}", l.pick("Andre", "Others"), f.others));
                        let citizen_line = match (f.citizen_present, f.citizen_agreed, l) {
                            (true, true, Lang::Da) => "Borgeren deltog og er enig i planen",
                            (true, true, Lang::En) => "The citizen took part and agrees with the plan",
                            (true, false, Lang::Da) => "Borgeren deltog, men er ikke enig i planen",
                            (true, false, Lang::En) => "The citizen took part but does not agree with the plan",
                            (false, true, Lang::Da) => "Borgeren deltog ikke, men har sagt ja til planen",
                            (false, true, Lang::En) => "The citizen did not take part but has agreed to the plan",
                            (false, false, Lang::Da) => "Borgeren deltog ikke",
                            (false, false, Lang::En) => "The citizen did not take part",
                        };
                        view! {
                            <li class="card plan-revision" data-testid="revision">
                                <p class="plan-revision__title">{format!("{} · {citizen_line}", f.on.format(l))}</p>
                                <p class="plan-revision__meta">{format!("{}: {}", l.pick("Deltog", "Took part"), who.join(", "))}</p>
                                {others.map(|o| view! { <p class="plan-revision__meta">{o}</p> })}
                                {(!f.note.as_str().is_empty()).then(|| view! { <p class="plan-revision__note">{f.note.to_string()}</p> })}
                                {waiting(if waiting_now { RecordState::Waiting } else { RecordState::Synced })}
                                <details class="plan-revision__kept disclosure">
                                    <summary>{l.pick("Planen, som den blev gennemgået", "The plan as reviewed")}</summary>
                                    {(!f.wishes.as_str().is_empty()).then(|| view! { <blockquote class="plan-card__wishes">{f.wishes.to_string()}</blockquote> })}
                                    <ol class="plan-revision__goals">
                                        {f.goals.into_iter().map(|g| {
                                            let mut line = format!("“{}” · {}", g.citizen_wording, g.status.label().get(l));
                                            if let Some(t) = g.target_date {
                                                line.push_str(&match l { Lang::Da => format!(" · mål senest {}", t.format(l)), Lang::En => format!(" · target {}", t.format(l)) });
                                            }
                                            view! {
                                                <li>{line}
                                                    <ul>{g.actions.into_iter().map(|a| view! {
                                                        <li>{
                                                            let due = a.due.map(|d| match l { Lang::Da => format!(" · senest {}", d.format(l)), Lang::En => format!(" · by {}", d.format(l)) }).unwrap_or_default();
                                                            let owner = owner_name(a.owner, me, &staff, l);
                                                            format!("{} – {owner} · {}{due}", a.what, a.status.label().get(l))
                                                        }</li>
                                                    }).collect_view()}</ul>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                </details>
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
            <Show when=move || !recording.get() fallback=move || view! {
                <RevisionForm citizen=citizen shown=shown begun=begun me=me close=move || recording.set(false)/>
            }>
                <button type="button" class="button" data-testid="add-revision" on:click=move |_| recording.set(true)>
                    {tr("Registrér en gennemgang med borgeren", "Record a review with the citizen")}
                </button>
            </Show>
        </section>
    }
}

#[component]
fn RevisionForm(
    citizen: CitizenId,
    shown: Memo<Option<PlanData>>,
    begun: Memo<Option<Date>>,
    me: Option<UserId>,
    close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let on = RwSignal::new(today().to_string());
    let staff = shown.with_untracked(|d| d.as_ref().map(|d| d.staff.clone()).unwrap_or_default());
    let ticked: RwSignal<Vec<UserId>> = RwSignal::new(me.into_iter().collect());
    let others = RwSignal::new(String::new());
    let present = RwSignal::new(true);
    // Asked outright, no default (issue 15's walk: an unticked box was
    // recorded as a disagreement).
    let agreed = RwSignal::new(None::<bool>);
    let note = RwSignal::new(String::new());
    let id = PlanRevisionId::from_uuid(Uuid::now_v7());
    let form = Form::new();
    let save = outbox_save(form, close);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.submit(save, || {
            // The plan as the phone shows it now is what was gone through.
            let kept = shown.with_untracked(|d| {
                let d = d.as_ref();
                let goals: Vec<Goal> = d.map(|d| d.goals.iter().map(|g| g.row.clone()).collect()).unwrap_or_default();
                let actions: Vec<PlanAction> =
                    d.map(|d| d.actions.iter().map(|a| a.row.clone()).collect()).unwrap_or_default();
                plan_as_it_stands(d.and_then(|d| d.plan.as_ref()).map(|p| &p.row), &goals, &actions)
            });
            let participants = ticked.get_untracked();
            let typed = RevisionTyped {
                on: &on.get_untracked(),
                participants: &participants,
                others: &others.get_untracked(),
                citizen_present: present.get_untracked(),
                citizen_agreed: agreed.get_untracked(),
                note: &note.get_untracked(),
            };
            let began = begun.get_untracked().unwrap_or_else(today);
            let revision = read_revision(id, citizen, &typed, kept, began, today())?;
            Ok(MutationBody::PlanRevisionAdd { revision })
        });
    };
    let participants_error = form.error_under("participants");
    let participants_label = tr("Medarbejdere, der deltog", "Staff who took part");
    let agreed_error = form.error_under("citizen_agreed");
    let agreed_label = tr("Er borgeren enig i planen?", "Does the citizen agree with the plan?");
    let answer = move |id: &'static str, value: bool, da: &'static str, en: &'static str| {
        view! {
            <label class="checks__option checks__option--single" for=id>
                <input type="radio" name="revision-agreed" id=id prop:checked=move || agreed.get() == Some(value)
                    on:change=move |_| agreed.set(Some(value))/>
                <span>{tr(da, en)}</span>
            </label>
        }
    };
    view! {
        <form class="plan-form" node_ref=form.node() on:submit=submit novalidate data-testid="revision-form">
            <TextField id="revision-on" label=tr("Dato", "Date") input_type="date" value=on error=form.error("on") required=true/>
            <fieldset class="field" aria-describedby="revision-participants-error">
                <legend class="field__label">{tr("Medarbejdere, der deltog", "Staff who took part")}</legend>
                {staff.into_iter().map(|(user, name)| {
                    let (checked, toggle) = member_of(ticked, user);
                    view! { <CheckBox id=format!("revision-participant-{user}") checked=checked toggle=toggle>{name}</CheckBox> }
                }).collect_view()}
                <p class="field__error" id="revision-participants-error">{move || participants_error.get().map(|r| r.at(participants_label()))}</p>
            </fieldset>
            <TextField id="revision-others" label=tr("Andre, der deltog (navn og rolle, valgfri)", "Others who took part (name and role, optional)")
                input_type="text" value=others error=form.error("others") max_chars=shared::text::OthersPresent::MAX_CHARS/>
            <CheckBox id="revision-present" single=true checked=present toggle=Callback::new(move |on| present.set(on))>
                {tr("Borgeren deltog", "The citizen took part")}
            </CheckBox>
            <fieldset class="field" data-testid="revision-agreed" aria-describedby="revision-agreed-error"
                data-invalid=move || agreed_error.get().is_some().to_string()>
                <legend class="field__label">{agreed_label}</legend>
                {answer("revision-agreed-yes", true, "Ja, borgeren er enig i planen", "Yes, the citizen agrees with the plan")}
                {answer("revision-agreed-no", false, "Nej, borgeren er ikke enig i planen", "No, the citizen does not agree with the plan")}
                <p class="field__error" id="revision-agreed-error">{move || agreed_error.get().map(|r| r.at(agreed_label()))}</p>
            </fieldset>
            <TextArea id="revision-note" label=tr("Note (valgfri)", "Note (optional)") value=note error=form.error("note") rows=2 max_chars=shared::text::Note::MAX_CHARS/>
            <p class="field__hint">{tr(
                "Planen gemmes, som den står nu: ønskerne, målene og de aftalte handlinger.",
                "The plan is kept as it stands now: the wishes, the goals and the agreed actions.",
            )}</p>
            <FormFailure form=form/>
            <div class="visit-form__actions">
                <button type="submit" class="button button--primary" data-testid="save-revision">{tr("Gem gennemgangen", "Save the review")}</button>
                <button type="button" class="button" on:click=move |_| close()>{tr("Fortryd", "Cancel")}</button>
            </div>
        </form>
    }
}

/// Whether `state` is waiting to be sent, said beside the record.
fn waiting(state: RecordState) -> impl IntoView {
    (state == RecordState::Waiting).then(|| {
        view! {
            <span class="badge" data-testid="waiting">{tr("Venter på at blive sendt", "Waiting to be sent")}</span>
        }
    })
}

#[component]
fn PlanCard(
    /// What the card shows, as it changes; `None` while the citizen is
    /// not on the phone.
    card: Memo<Option<CardData>>,
    me: Option<UserId>,
) -> impl IntoView {
    let lang = use_lang();
    let editing = RwSignal::new(false);
    view! {
        <section class="card plan-card" aria-labelledby="plan-card-title" data-testid="plan-card">
            <h2 class="section-title" id="plan-card-title">{tr("Samtykke og kontakt", "Consent and contact")}</h2>
            <Show when=move || !editing.get() fallback=move || {
                // What the edit is based on: the plan as it stood when the
                // form was opened.
                card.get_untracked().map(|CardData { citizen, plan, staff }| view! {
                    <PlanForm citizen=citizen plan=plan me=me staff=staff close=move || editing.set(false)/>
                })
            }>
                {
                    move || {
                        let l = lang.get();
                        let Some(CardData { citizen, plan: shown, staff }) = card.get() else { return ().into_any() };
                        let coordinator_of_citizen = citizen.coordinator_id;
                        match &shown {
                            None => view! {
                                <p class="empty">{tr("Planen er ikke begyndt.", "The plan has not been begun.")}</p>
                            }.into_any(),
                            Some(p) => {
                                let f = &p.row.fields;
                                let consent = match f.consent.on() {
                                    Some(on) => format!("{} {}", f.consent.label().get(l), on.format(l)),
                                    None => f.consent.label().get(l).to_owned(),
                                };
                                // The plan's, else the citizen's: the one the
                                // citizen's copy names (issue 15's walk).
                                let coordinator = match (shared::plan::coordinator(Some(f), coordinator_of_citizen), me) {
                                    (Some(c), Some(m)) if c == m => tr("Dig", "You")().to_owned(),
                                    (Some(c), _) => name_of(&staff, c).unwrap_or_else(|| tr("Valgt", "Chosen")().to_owned()),
                                    (None, _) => tr("Ikke valgt", "Not chosen")().to_owned(),
                                };
                                let began = p.row.began_on().format(l);
                                view! {
                                    <dl class="plan-card__facts">
                                        <div><dt>{tr("Planens start", "The plan's start")}</dt><dd data-testid="plan-began">{began}</dd></div>
                                        <div><dt>{tr("Samtykke til én plan", "Consent to one plan")}</dt><dd data-testid="plan-consent">{consent}</dd></div>
                                        <div><dt>{tr("Koordinerende sagsbehandler", "Coordinating case worker")}</dt><dd data-testid="plan-coordinator">{coordinator}</dd></div>
                                        {(!f.coordinator_contact.as_str().is_empty()).then(|| view! {
                                            <div><dt>{tr("Kontakt", "Contact")}</dt><dd>{f.coordinator_contact.to_string()}</dd></div>
                                        })}
                                    </dl>
                                    // What a refusal means (LAB § 30 b: only with the
                                    // citizen's consent does one plan replace the others).
                                    {matches!(f.consent, Consent::Refused { .. }).then(|| view! {
                                        <p class="notice" data-testid="consent-refused">{tr(
                                            "Borgeren har sagt nej til én samlet plan. Planen her er et fælles arbejdsredskab for jer, der arbejder med borgeren: den erstatter ikke Min Plan eller andre planer, og borgeren kan sige ja senere.",
                                            "The citizen has said no to one coordinated plan. The plan here is a shared working tool for those who work with the citizen: it does not replace Min Plan or other plans, and the citizen may say yes later.",
                                        )}</p>
                                    })}
                                    <h3 class="plan-card__wishes-title">{tr("Borgerens ønsker for fremtiden", "The citizen's wishes for the future")}</h3>
                                    {if f.wishes.as_str().is_empty() {
                                        view! { <p class="empty">{tr("Ikke skrevet endnu.", "Not written yet.")}</p> }.into_any()
                                    } else {
                                        view! { <blockquote class="plan-card__wishes" data-testid="plan-wishes">{f.wishes.to_string()}</blockquote> }.into_any()
                                    }}
                                    {waiting(p.state)}
                                }.into_any()
                            }
                        }
                    }
                }
                <button type="button" class="button" data-testid="edit-plan" on:click=move |_| editing.set(true)>
                    {tr("Redigér", "Edit")}
                </button>
            </Show>
        </section>
    }
}

#[component]
fn PlanForm(
    citizen: shared::citizen::Citizen,
    plan: Option<Shown<Plan>>,
    me: Option<UserId>,
    staff: Vec<(UserId, String)>,
    close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let fields = plan.as_ref().map(|p| p.row.fields.clone());
    let state = RwSignal::new(
        match fields.as_ref().map(|f| f.consent) {
            Some(Consent::Given { .. }) => "given",
            Some(Consent::Refused { .. }) => "refused",
            _ => "not_asked",
        }
        .to_owned(),
    );
    let on = RwSignal::new(fields.as_ref().and_then(|f| f.consent.on()).map(|d| d.to_string()).unwrap_or_default());
    let contact = RwSignal::new(fields.as_ref().map(|f| f.coordinator_contact.to_string()).unwrap_or_default());
    let wishes = RwSignal::new(fields.as_ref().map(|f| f.wishes.to_string()).unwrap_or_default());
    let began = RwSignal::new(fields.as_ref().and_then(|f| f.began_on).map(|d| d.to_string()).unwrap_or_default());
    let current = shared::plan::coordinator(fields.as_ref(), citizen.coordinator_id);
    let coordinator = RwSignal::new(current.map_or_else(|| "none".to_owned(), |c| c.to_string()));
    let form = Form::new();
    let save = outbox_save(form, close);
    let base = plan.as_ref().map(Shown::<Plan>::base);
    let stored = fields.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (base, before) = (base.clone(), stored.clone());
        form.submit(save, || {
            let chosen = coordinator.get_untracked().parse::<UserId>().ok();
            let plan = read_plan(
                citizen.id,
                (&state.get_untracked(), &on.get_untracked()),
                chosen,
                &contact.get_untracked(),
                &wishes.get_untracked(),
                &began.get_untracked(),
                Against { stored: before.as_ref(), day: today() },
            )?;
            Ok(MutationBody::PlanSave { plan, base })
        });
    };
    let consents = Signal::derive(move || {
        let l = lang.get();
        vec![
            ("not_asked".to_owned(), Consent::NotAsked.label().get(l).to_owned()),
            ("given".to_owned(), tr("Givet", "Given")().to_owned()),
            ("refused".to_owned(), tr("Afvist", "Refused")().to_owned()),
        ]
    });
    let coordinators = Signal::derive(move || {
        let mut options: Vec<(String, String)> = staff
            .iter()
            .map(|(id, name)| {
                let label = if Some(*id) == me { format!("{} ({name})", tr("Mig", "Me")()) } else { name.clone() };
                (id.to_string(), label)
            })
            .collect();
        if let Some(c) = current.filter(|c| !staff.iter().any(|(id, _)| id == c)) {
            options.push((c.to_string(), tr("Den valgte (uændret)", "The one chosen (unchanged)")().to_owned()));
        }
        options.push(("none".to_owned(), tr("Ikke valgt endnu", "Not chosen yet")().to_owned()));
        options
    });
    view! {
        <form class="plan-form" node_ref=form.node() on:submit=submit novalidate>
            // The consent's refusals (no day, a later day) are about its
            // day: said once, at the day's field.
            <SelectField id="plan-consent" label=tr("Samtykke til én plan", "Consent to one plan") value=state
                options=consents error=Signal::derive(|| None::<Refusal>)/>
            <Show when=move || state.get() != "not_asked">
                <TextField id="plan-consent-on" input_type="date" value=on error=form.error("consent")
                    label=Signal::derive(move || if state.get() == "refused" {
                        tr("Dato for afslaget", "Date of the refusal")()
                    } else {
                        tr("Dato for samtykket", "Date of the consent")()
                    })/>
            </Show>
            <SelectField id="plan-coordinator" label=tr("Koordinerende sagsbehandler", "Coordinating case worker")
                value=coordinator options=coordinators error=form.error("coordinator_id")/>
            <TextField id="plan-contact" label=tr("Sådan kontaktes den koordinerende", "How to reach the coordinator")
                input_type="text" value=contact error=form.error("coordinator_contact") max_chars=shared::text::ContactText::MAX_CHARS/>
            <TextArea id="plan-wishes" label=tr("Borgerens ønsker for fremtiden, med borgerens egne ord", "The citizen's wishes for the future, in their own words")
                value=wishes error=form.error("wishes") rows=4 max_chars=shared::text::Wishes::MAX_CHARS/>
            <TextField id="plan-began-on" label=tr("Planens start", "The plan's start") input_type="date" value=began error=form.error("began_on")
                hint=tr("Den dag, planen blev aftalt med borgeren, hvis det var før i dag. Tom: den dag, planen blev begyndt her.", "The day the plan was agreed with the citizen, if before today. Empty: the day the plan was begun here.")/>
            <FormFailure form=form/>
            <div class="visit-form__actions">
                <button type="submit" class="button button--primary" data-testid="save-plan">{tr("Gem", "Save")}</button>
                <button type="button" class="button" on:click=move |_| close()>{tr("Fortryd", "Cancel")}</button>
            </div>
        </form>
    }
}

#[component]
fn GoalCard(
    /// The goal as it changes (drawn once per goal: a form open in the
    /// card stays open, with what is typed in it, while the goal syncs).
    goal: Memo<Shown<Goal>>,
    #[prop(into)] actions: Signal<Vec<Shown<PlanAction>>>,
    #[prop(into)] follow_ups: Signal<Vec<FollowUp>>,
    plan_begun: Signal<Date>,
    me: Option<UserId>,
    staff: Memo<Vec<(UserId, String)>>,
) -> impl IntoView {
    let lang = use_lang();
    let (editing, following_up, adding_action) = (RwSignal::new(false), RwSignal::new(false), RwSignal::new(false));
    let (id, citizen) = goal.with_untracked(|g| (g.row.fields.id, g.row.fields.citizen_id));
    let today = today();
    let due = Signal::derive(move || goal.with(|g| follow_ups.with(|f| follow_up_due(&g.row, f))));
    // The visits that worked on the goal (issue 15): how many, their
    // counted minutes, and the newest notes and scores they left.
    let data = use_data();
    let worked = Memo::new(move |_| {
        data.view.with(|v| {
            let Some(v) = v else { return (0, shared::Minutes::ZERO, Vec::new()) };
            // A joint visit once: its colleagues' shares carry its goals too.
            let visits: Vec<_> = v
                .visits
                .iter()
                .filter(|x| x.visit.joint_of.is_none() && x.visit.goals.iter().any(|g| g.goal_id == id))
                .map(|x| &x.visit)
                .collect();
            let minutes = visits.iter().fold(shared::Minutes::ZERO, |sum, x| sum + x.counted_minutes());
            let notes: Vec<(Date, Option<u8>, String)> = visits
                .iter()
                .filter_map(|x| {
                    let link = x.goals.iter().find(|g| g.goal_id == id)?;
                    (link.note.is_some() || link.citizen_score.is_some()).then(|| {
                        (
                            x.started_at().local_date(),
                            link.citizen_score.map(u8::from),
                            link.note.as_ref().map(ToString::to_string).unwrap_or_default(),
                        )
                    })
                })
                .take(3)
                .collect();
            (visits.len(), minutes, notes)
        })
    });
    // The scores the citizen gave at those visits, oldest first, for the
    // chart.
    let visit_scores = Memo::new(move |_| {
        data.view.with(|v| {
            let mut scores: Vec<(Date, u8)> = v
                .iter()
                .flat_map(|v| v.visits.iter())
                .filter(|x| x.visit.joint_of.is_none())
                .filter_map(|x| {
                    let score = x.visit.goals.iter().find(|g| g.goal_id == id)?.citizen_score?;
                    Some((x.visit.started_at().local_date(), u8::from(score)))
                })
                .collect();
            scores.sort();
            scores
        })
    });
    let belongs = {
        let catalogue = use_context::<Catalogue>();
        let courses = use_context::<PlanCourses>();
        move || {
            let l = lang.get();
            let grants = data.view.with(|v| v.as_ref().map(|v| v.grants.clone()).unwrap_or_default());
            let known = catalogue.and_then(|c| c.0.get());
            let courses = courses.map(|c| c.0.get()).unwrap_or_default();
            let (names, names_any) = goal.with(|g| {
                let f = &g.row.fields;
                let names = belongs_to(id, &f.areas, &f.efforts, known.as_ref(), &grants, &courses, l);
                (names, !f.areas.is_empty() || !f.efforts.is_empty())
            });
            // Areas and offers the phone cannot name yet: say they are on
            // their way rather than show the goal as belonging to nothing.
            let fetching = known.is_none() && names_any && catalogue.is_some_and(|c| c.1.get());
            if fetching {
                return Some(view! {
                    <p class="plan-goal__meta plan-goal__meta--fetching" role="status" data-testid="goal-belongs-fetching">
                        {l.pick("Henter områder og tilbud…", "Fetching areas and offers…")}
                    </p>
                }.into_any());
            }
            (!names.is_empty()).then(|| {
                view! { <p class="plan-goal__meta" data-testid="goal-belongs">{names.join(" · ")}</p> }.into_any()
            })
        }
    };
    view! {
        <li class="card plan-goal" data-testid="goal">
            <p class="plan-goal__words" data-testid="goal-words">{move || goal.with(|g| format!("“{}”", g.row.fields.citizen_wording))}</p>
            {move || goal.with(|g| {
                let professional = g.row.fields.professional_wording.to_string();
                (!professional.is_empty()).then(|| view! { <p class="plan-goal__professional">{professional}</p> })
            })}
            <p class="plan-goal__meta">
                {move || {
                    let l = lang.get();
                    let f = goal.with(|g| g.row.fields.clone());
                    let mut parts = vec![f.status.label().get(l).to_owned()];
                    if let Some(t) = f.target_date {
                        parts.push(match l { Lang::Da => format!("mål senest {}", t.format(l)), Lang::En => format!("target {}", t.format(l)) });
                    }
                    parts.join(" · ")
                }}
            </p>
            {belongs}
            {move || due.get().map(|due| {
                let overdue = due < today;
                view! {
                    <p class=if overdue { "plan-goal__due plan-goal__due--overdue" } else { "plan-goal__due" } data-testid="follow-up-due"
                        data-overdue=overdue.to_string()>
                        {move || {
                            let l = lang.get();
                            match (overdue, l) {
                                (true, Lang::Da) => format!("Halvårlig opfølgning forfalden siden {}", due.format(l)),
                                (true, Lang::En) => format!("Half-yearly follow-up overdue since {}", due.format(l)),
                                (false, Lang::Da) => format!("Næste opfølgning senest {}", due.format(l)),
                                (false, Lang::En) => format!("Next follow-up by {}", due.format(l)),
                            }
                        }}
                    </p>
                }
            })}
            {move || waiting(goal.with(|g| g.state))}
            {move || view! { <Progress follow_ups=follow_ups.get() visit_scores=visit_scores.get()/> }}
            {move || {
                let (n, minutes, notes) = worked.get();
                let l = lang.get();
                (n > 0).then(|| view! {
                    <p class="plan-goal__worked" data-testid="goal-worked">{match l {
                        Lang::Da => format!("Arbejdet på i {n} besøg · {}", crate::format::duration(minutes, l)),
                        Lang::En => format!("Worked on in {n} visit{} · {}", if n == 1 { "" } else { "s" }, crate::format::duration(minutes, l)),
                    }}</p>
                    <ul class="plan-follow-ups">
                        {notes.into_iter().map(|(on, score, note)| {
                            let mut line = on.format(l);
                            if let Some(s) = score {
                                line.push_str(&format!(" · score {s}/10"));
                            }
                            if !note.is_empty() {
                                line.push_str(&format!(" · {note}"));
                            }
                            view! { <li class="plan-follow-up" data-testid="goal-visit-note">{line}</li> }
                        }).collect_view()}
                    </ul>
                })
            }}
            <h3 class="plan-goal__subtitle">{tr("Aftalte handlinger", "Agreed actions")}</h3>
            <Show when=move || actions.with(Vec::is_empty)>
                <p class="empty">{tr("Ingen endnu.", "None yet.")}</p>
            </Show>
            <ul class="plan-actions">
                // Keyed by the action alone, like the goals.
                <For each=move || actions.get() key=|a| a.row.fields.id let(a)>
                    <ActionLine action=follow(actions, a, |a| a.row.fields.id) plan_begun=plan_begun me=me staff=staff/>
                </For>
            </ul>
            <div class="plan-goal__buttons">
                <button type="button" class="button" data-testid="add-follow-up" on:click=move |_| following_up.set(true)>
                    {tr("Ny opfølgning", "New follow-up")}</button>
                <button type="button" class="button" data-testid="add-action" on:click=move |_| adding_action.set(true)>
                    {tr("Ny handling", "New action")}</button>
                <button type="button" class="button" data-testid="edit-goal" on:click=move |_| editing.set(true)>
                    {tr("Redigér mål", "Edit goal")}</button>
            </div>
            <Show when=move || following_up.get()>
                <FollowUpForm goal=id citizen=citizen plan_begun=plan_begun.get_untracked() close=move || following_up.set(false)/>
            </Show>
            <Show when=move || adding_action.get()>
                <ActionForm goal=id citizen=citizen action=None plan_begun=plan_begun.get_untracked() me=me staff=staff.get_untracked()
                    close=move || adding_action.set(false)/>
            </Show>
            <Show when=move || editing.get()>
                {
                    // What the edit is based on: the goal as it stood when
                    // the form was opened.
                    let base = goal.get_untracked();
                    let position = base.row.fields.position;
                    view! { <GoalForm citizen=citizen goal=Some(base) position=position plan_begun=plan_begun.get_untracked() close=move || editing.set(false)/> }
                }
            </Show>
        </li>
    }
}

/// The fewest days the progress chart's time axis spans: days close
/// together sit close together (issue 15's walk: two follow-ups a day
/// apart were drawn at opposite ends).
const CHART_MIN_DAYS: i64 = 28;

/// The progress chart's plot area in its box (`viewBox="0 0 100 44"`):
/// left and right edges, and the heights of the top (the scale's most)
/// and the bottom (0).
const CHART_LEFT: f64 = 11.0;
const CHART_RIGHT: f64 = 89.0;
const CHART_TOP: f64 = 4.0;
const CHART_BOTTOM: f64 = 32.0;

/// Where a day sits across the progress chart's plot area: by date, the
/// first and the last of `days` (days since the epoch) at the edges, so
/// the follow-ups and the scores left on visits share one time axis; days
/// spanning less than [`CHART_MIN_DAYS`] sit around the middle, as far
/// apart as their days are (one day alone in the middle).
fn chart_x(days: &[i64]) -> impl Fn(i64) -> f64 + Copy + use<> {
    let first = days.iter().copied().min().unwrap_or(0);
    let span = days.iter().copied().max().unwrap_or(0) - first;
    let shown = span.max(CHART_MIN_DAYS);
    let start = first as f64 - (shown - span) as f64 / 2.0;
    move |day| CHART_LEFT + (CHART_RIGHT - CHART_LEFT) * (day as f64 - start) / shown as f64
}

/// The height in the chart's box of `share` (0 to 1) of a scale.
fn chart_y(share: f64) -> f64 {
    CHART_BOTTOM - (CHART_BOTTOM - CHART_TOP) * share
}

/// The goal's follow-ups, newest first, with a small chart of the
/// citizen's score (0–10) and the functioning level (0–4) over time, and
/// the scores the citizen gave at visits that worked on the goal
/// (`visit_scores`: the visit's day and the score 0–10) as rings beside
/// them (issue 15: "a one-line progress note or score" from the field).
#[component]
fn Progress(follow_ups: Vec<FollowUp>, visit_scores: Vec<(Date, u8)>) -> impl IntoView {
    let lang = use_lang();
    if follow_ups.is_empty() && visit_scores.is_empty() {
        return view! { <p class="empty">{tr("Ingen opfølgninger endnu.", "No follow-ups yet.")}</p> }.into_any();
    }
    let days: Vec<i64> =
        follow_ups.iter().map(|f| f.fields.on.to_days()).chain(visit_scores.iter().map(|(d, _)| d.to_days())).collect();
    let x = chart_x(&days);
    // (x, y) in the chart's box per follow-up that has the value (0–1).
    let points = |value: fn(&FollowUp) -> Option<f64>| -> Vec<(f64, f64)> {
        follow_ups.iter().filter_map(|f| value(f).map(|v| (x(f.fields.on.to_days()), chart_y(v)))).collect()
    };
    let visit_points: Vec<(f64, f64)> =
        visit_scores.iter().map(|(d, s)| (x(d.to_days()), chart_y(f64::from(*s) / 10.0))).collect();
    // The first and the last day under the time axis (one, centred, when
    // they are the same).
    let all_days: Vec<Date> =
        follow_ups.iter().map(|f| f.fields.on).chain(visit_scores.iter().map(|(d, _)| *d)).collect();
    let (first_day, last_day) = (all_days.iter().min().copied(), all_days.iter().max().copied());
    let day_labels = move || {
        let l = lang.get();
        let (Some(first), Some(last)) = (first_day, last_day) else { return Vec::new() };
        if first == last {
            return vec![(x(first.to_days()), "middle", first.format(l))];
        }
        let (from, to) = (x(first.to_days()), x(last.to_days()));
        // Days close together (around the middle): each label runs away
        // from the other, so they never overlap.
        if to - from < 44.0 {
            return vec![(from, "end", first.format(l)), (to, "start", last.format(l))];
        }
        vec![(from, "start", first.format(l)), (to, "end", last.format(l))]
    };
    let scale = |values: [&'static str; 3], at: f64, anchor: &'static str, class: &'static str| {
        values
            .into_iter()
            .zip([1.0, 0.5, 0.0])
            .map(|(v, share)| view! {
                <text class=class x=format!("{at:.1}") y=format!("{:.1}", chart_y(share) + 1.3) text-anchor=anchor>{v}</text>
            })
            .collect_view()
    };
    let line =
        |points: &[(f64, f64)]| points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    let score_points = points(|f| f.fields.citizen_score.map(|s| f64::from(u8::from(s)) / 10.0));
    let functioning_points = points(|f| f.fields.functioning.map(|s| f64::from(u8::from(s)) / 4.0));
    let (score, functioning) = (line(&score_points), line(&functioning_points));
    let described = {
        let follow_ups = follow_ups.clone();
        move || {
            let l = lang.get();
            follow_ups
                .iter()
                .map(|f| {
                    let mut parts = vec![f.fields.on.format(l)];
                    if let Some(s) = f.fields.citizen_score {
                        parts.push(match l {
                            Lang::Da => format!("borgerens score {}", u8::from(s)),
                            Lang::En => format!("citizen's score {}", u8::from(s)),
                        });
                    }
                    if let Some(x) = f.fields.functioning {
                        parts.push(match l {
                            Lang::Da => format!("funktionsniveau {}", u8::from(x)),
                            Lang::En => format!("functioning {}", u8::from(x)),
                        });
                    }
                    parts.join(", ")
                })
                .chain(visit_scores.iter().map(|(d, s)| match l {
                    Lang::Da => format!("besøg {}, borgerens score {s}", d.format(l)),
                    Lang::En => format!("visit {}, citizen's score {s}", d.format(l)),
                }))
                .collect::<Vec<_>>()
                .join("; ")
        }
    };
    let newest_first: Vec<FollowUp> = follow_ups.iter().rev().cloned().collect();
    let data = use_data();
    view! {
        <figure class="plan-progress">
            <svg class="plan-progress__chart" viewBox="0 0 100 44" role="img" aria-label=described>
                // The score's scale at the left (0–10), functioning's at the
                // right (0–4), each in its line's colour; a faint line at
                // the top and the middle.
                <line class="plan-progress__grid" x1=CHART_LEFT x2=CHART_RIGHT y1=CHART_TOP y2=CHART_TOP/>
                <line class="plan-progress__grid" x1=CHART_LEFT x2=CHART_RIGHT y1=chart_y(0.5) y2=chart_y(0.5)/>
                <line class="plan-progress__axis" x1=CHART_LEFT x2=CHART_RIGHT y1=CHART_BOTTOM y2=CHART_BOTTOM/>
                {scale(["10", "5", "0"], CHART_LEFT - 1.5, "end", "plan-progress__label plan-progress__label--score")}
                // Functioning's scale only when a level was recorded (the
                // walk: a scale for nothing).
                {(!functioning_points.is_empty()).then(|| scale(["4", "2", "0"], CHART_RIGHT + 1.5, "start", "plan-progress__label plan-progress__label--functioning"))}
                {move || day_labels().into_iter().map(|(x, anchor, day)| view! {
                    <text class="plan-progress__label" x=format!("{x:.1}") y="41" text-anchor=anchor>{day}</text>
                }).collect_view()}
                <polyline class="plan-progress__score" points=score fill="none"/>
                <polyline class="plan-progress__functioning" points=functioning fill="none" stroke-dasharray="3 2"/>
                {score_points.into_iter().map(|(x, y)| view! {
                    <circle class="plan-progress__dot plan-progress__dot--score" cx=format!("{x:.1}") cy=format!("{y:.1}") r="1.6"/>
                }).collect_view()}
                {functioning_points.into_iter().map(|(x, y)| view! {
                    <rect class="plan-progress__dot plan-progress__dot--functioning" x=format!("{:.1}", x - 1.4) y=format!("{:.1}", y - 1.4)
                        width="2.8" height="2.8"/>
                }).collect_view()}
                {visit_points.into_iter().map(|(x, y)| view! {
                    <circle class="plan-progress__dot plan-progress__dot--visit" data-testid="visit-score-dot"
                        cx=format!("{x:.1}") cy=format!("{y:.1}") r="1.4"/>
                }).collect_view()}
            </svg>
            <figcaption class="plan-progress__legend">
                {tr("Punkter og hel linje: borgerens egen score ved opfølgning (0–10, skalaen til venstre); ringe: ved besøg. Firkanter og stiplet linje: funktionsniveau (0–4, til højre; højere er flere begrænsninger).",
                    "Dots and a solid line: the citizen's own score at follow-ups (0–10, the scale on the left); rings: at visits. Squares and a dashed line: functioning (0–4, on the right; higher is more limitation).")}
            </figcaption>
        </figure>
        <ul class="plan-follow-ups">
            {newest_first.into_iter().map(|f| {
                let d = f.fields;
                let id = d.id;
                view! {
                    <li class="plan-follow-up" data-testid="follow-up">
                        {move || {
                            let l = lang.get();
                            let mut parts = vec![d.on.format(l), d.conclusion.label().get(l).to_owned()];
                            if let Some(s) = d.citizen_score {
                                parts.push(match l { Lang::Da => format!("score {}/10", u8::from(s)), Lang::En => format!("score {}/10", u8::from(s)) });
                            }
                            if let Some(x) = d.functioning {
                                parts.push(format!("{} ({})", x.label().get(l), u8::from(x)));
                            }
                            parts.join(" · ")
                        }}
                        {(!d.note.as_str().is_empty()).then(|| view! { <span class="plan-follow-up__note">{d.note.to_string()}</span> })}
                        {move || {
                            let sent = data.view.with(|v| v.as_ref().is_none_or(|v| !v.waiting_follow_ups.contains(&id)));
                            waiting(if sent { RecordState::Synced } else { RecordState::Waiting })
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn ActionLine(
    /// The action as it changes (drawn once per action, like a goal).
    action: Memo<Shown<PlanAction>>,
    plan_begun: Signal<Date>,
    me: Option<UserId>,
    staff: Memo<Vec<(UserId, String)>>,
) -> impl IntoView {
    let lang = use_lang();
    let editing = RwSignal::new(false);
    let form = Form::new();
    let save = outbox_save(form, || {});
    let done = move |_| {
        let base = action.get_untracked().base();
        let mut fields = base.fields.clone();
        fields.status = ActionStatus::Done;
        form.submit(save, move || Ok(MutationBody::ActionSave { action: fields, base: Some(base) }));
    };
    let fields = move || action.with(|a| a.row.fields.clone());
    let overdue = move || action.with(|a| a.row.is_overdue(today()));
    let catalogue = use_context::<Catalogue>().map(|c| c.0);
    view! {
        <li class="plan-action" data-testid="action" data-status=move || fields().status.code() data-overdue=move || overdue().to_string()>
            <span class="plan-action__what">{move || fields().what.to_string()}</span>
            <span class="plan-action__meta">
                {move || {
                    let l = lang.get();
                    let (f, overdue) = (fields(), overdue());
                    let who = staff.with(|staff| owner_name(f.owner, me, staff, l));
                    let mut parts = vec![who, f.status.label().get(l).to_owned()];
                    if let Some(due) = f.due {
                        parts.push(match (overdue, l) {
                            (false, Lang::Da) => format!("senest {}", due.format(l)),
                            (false, Lang::En) => format!("by {}", due.format(l)),
                            (true, Lang::Da) => format!("forfalden siden {}", due.format(l)),
                            (true, Lang::En) => format!("overdue since {}", due.format(l)),
                        });
                    }
                    parts.join(" · ")
                }}
            </span>
            {move || {
                let l = lang.get();
                let o = fields().offer?;
                let known = catalogue.and_then(|c| c.get());
                known.as_ref().and_then(|c| c.offer(o)).map(|x| {
                    let contact = if x.input.contact.as_str().is_empty() { String::new() } else { format!(" · {}", x.input.contact) };
                    view! { <span class="plan-action__meta" data-testid="action-offer">{format!("{}: {}{contact}", l.pick("Tilbud", "Offer"), x.input.name)}</span> }
                })
            }}
            {move || waiting(action.with(|a| a.state))}
            <div class="plan-action__buttons">
                <Show when=move || fields().status == ActionStatus::Open>
                    <button type="button" class="button" data-testid="action-done" on:click=done
                        disabled=move || save.pending().get()>{tr("Markér som udført", "Mark as done")}</button>
                </Show>
                <Show when=move || !editing.get()>
                    <button type="button" class="button button--quiet" data-testid="edit-action"
                        on:click=move |_| editing.set(true)>{tr("Ret handling", "Edit action")}</button>
                </Show>
            </div>
            <FormFailure form=form/>
            <Show when=move || editing.get()>
                {
                    // What the edit is based on: the action as it stood
                    // when the form was opened.
                    let base = action.get_untracked();
                    let (goal, citizen) = (base.row.fields.goal_id, base.row.fields.citizen_id);
                    view! {
                        <ActionForm goal=goal citizen=citizen action=Some(base) plan_begun=plan_begun.get_untracked() me=me
                            staff=staff.get_untracked() close=move || editing.set(false)/>
                    }
                }
            </Show>
        </li>
    }
}

#[component]
fn GoalForm(
    citizen: CitizenId,
    goal: Option<Shown<Goal>>,
    position: u32,
    /// The plan's start: a typed target date is not before it.
    plan_begun: Date,
    close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let f = goal.as_ref().map(|g| g.row.fields.clone());
    let wording = RwSignal::new(f.as_ref().map(|f| f.citizen_wording.to_string()).unwrap_or_default());
    let professional = RwSignal::new(f.as_ref().map(|f| f.professional_wording.to_string()).unwrap_or_default());
    let target = RwSignal::new(f.as_ref().and_then(|f| f.target_date).map(|d| d.to_string()).unwrap_or_default());
    let status = RwSignal::new(f.as_ref().map_or(GoalStatus::Active, |f| f.status).code().to_owned());
    let (areas, efforts) = f.as_ref().map(|f| (f.areas.clone(), f.efforts.clone())).unwrap_or_default();
    let (areas, efforts) = (RwSignal::new(areas), RwSignal::new(efforts));
    let id = f.as_ref().map_or_else(|| GoalId::from_uuid(Uuid::now_v7()), |f| f.id);
    let base = goal.as_ref().map(Shown::<Goal>::base);
    let stored = f.clone();
    let form = Form::new();
    let save = outbox_save(form, close);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (base, areas, efforts) = (base.clone(), areas.get_untracked(), efforts.get_untracked());
        let before = stored.clone();
        form.submit(save, || {
            let typed = GoalTyped {
                citizen_wording: &wording.get_untracked(),
                professional_wording: &professional.get_untracked(),
                target_date: &target.get_untracked(),
                status: &status.get_untracked(),
            };
            let goal = read_goal(
                id,
                citizen,
                &typed,
                areas,
                efforts,
                position,
                Against { stored: before.as_ref(), day: plan_begun },
            )?;
            Ok(MutationBody::GoalSave { goal, base })
        });
    };
    let statuses = Signal::derive(move || {
        let l = lang.get();
        GoalStatus::ALL.iter().map(|s| (s.code().to_owned(), s.label().get(l).to_owned())).collect::<Vec<_>>()
    });
    view! {
        <form class="plan-form" node_ref=form.node() on:submit=submit novalidate data-testid="goal-form">
            <TextArea id="goal-words" label=tr("Målet med borgerens egne ord", "The goal in the citizen's own words")
                value=wording error=form.error("citizen_wording") rows=2 max_chars=shared::text::GoalWording::MAX_CHARS/>
            <TextArea id="goal-professional" label=tr("Målet med fagpersonernes ord (valgfrit)", "The goal in the professionals' words (optional)")
                value=professional error=form.error("professional_wording") rows=2 max_chars=shared::text::ProfessionalWording::MAX_CHARS/>
            <TextField id="goal-target" label=tr("Måldato (valgfri)", "Target date (optional)") input_type="date"
                value=target error=form.error("target_date")/>
            <SelectField id="goal-status" label=tr("Status", "Status") value=status options=statuses error=form.error("status")/>
            <BelongsFields citizen=citizen goal=id areas=areas efforts=efforts form=form/>
            <FormFailure form=form/>
            <div class="visit-form__actions">
                <button type="submit" class="button button--primary" data-testid="save-goal">{tr("Gem mål", "Save goal")}</button>
                <button type="button" class="button" on:click=move |_| close()>{tr("Fortryd", "Cancel")}</button>
            </div>
        </form>
    }
}

/// The catalogue of offers and the areas as the plan page has them
/// (`None` until fetched, or never fetched on this phone).
#[derive(Clone, Copy)]
struct Catalogue(Memo<Option<shared::offer::OffersResponse>>, Signal<bool>);

/// The citizen's intensive courses as the plan page has them (none until
/// fetched, or never fetched on this phone).
#[derive(Clone, Copy)]
struct PlanCourses(Memo<Vec<shared::course::Course>>);

/// The courses that work on `goal`: those its efforts name and those that
/// name it (a course's goals are chosen on the course), each once.
fn courses_of<'a>(
    goal: GoalId,
    efforts: &[shared::plan::Effort],
    courses: &'a [shared::course::Course],
) -> Vec<&'a shared::course::Course> {
    courses
        .iter()
        .filter(|c| efforts.contains(&shared::plan::Effort::Course(c.id)) || c.input.goals.contains(&goal))
        .collect()
}

/// A course by its team and period, as a goal lists it.
fn course_label(c: &shared::course::Course, l: Lang) -> String {
    format!("{}: {}, {}", l.pick("Forløb", "Course"), c.team_name, crate::pages::courses::course_line(c, today(), l))
}

/// What a goal belongs to, by name: its areas, then its efforts (a grant
/// by its service, an offer by its name), then the intensive courses that
/// work on it; what the phone cannot name (a catalogue never fetched) is
/// left out.
fn belongs_to(
    goal: GoalId,
    areas: &[shared::AreaId],
    efforts: &[shared::plan::Effort],
    catalogue: Option<&shared::offer::OffersResponse>,
    grants: &[shared::grant::Grant],
    courses: &[shared::course::Course],
    l: Lang,
) -> Vec<String> {
    use shared::plan::Effort;
    let all_efforts = efforts;
    let areas = areas.iter().filter_map(|a| catalogue?.areas.iter().find(|x| x.id == *a).map(|x| x.name.clone()));
    let efforts = efforts.iter().filter_map(|e| match e {
        Effort::Grant(g) => grants.iter().find(|x| x.id == *g).map(|x| match l {
            Lang::Da => format!("Bevilling: {}", x.service.label(l)),
            Lang::En => format!("Grant: {}", x.service.label(l)),
        }),
        Effort::Offer(o) => catalogue?.offer(*o).map(|x| match l {
            Lang::Da => format!("Tilbud: {}", x.input.name),
            Lang::En => format!("Offer: {}", x.input.name),
        }),
        // Listed below with the courses that name the goal.
        Effort::Course(_) => None,
    });
    let courses = courses_of(goal, all_efforts, courses).into_iter().map(|c| course_label(c, l));
    areas.chain(efforts).chain(courses).collect()
}

/// Which areas a goal belongs to and which efforts serve it (issue 15): the
/// municipality's areas, the citizen's grants and the catalogue's offers,
/// as the phone has them (offline too, once fetched).
#[component]
fn BelongsFields(
    citizen: CitizenId,
    goal: GoalId,
    areas: RwSignal<Vec<shared::AreaId>>,
    efforts: RwSignal<Vec<shared::plan::Effort>>,
    form: Form,
) -> impl IntoView {
    use shared::plan::Effort;
    let lang = use_lang();
    let data = use_data();
    let catalogue = use_context::<Catalogue>().map(|c| c.0);
    let known = move || catalogue.and_then(|c| c.get());
    let grants = Memo::new(move |_| {
        data.view.with(|v| {
            v.as_ref()
                .map(|v| v.grants.iter().filter(|g| g.citizen_id == citizen).cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let courses = use_context::<PlanCourses>().map(|c| c.0);
    let toggle = move |effort: Effort, on: bool| set_member(efforts, effort, on);
    let chosen_offer = RwSignal::new(String::new());
    let offer_options = Signal::derive(move || {
        known()
            .map(|c| {
                c.offers
                    .iter()
                    .filter(|o| o.input.active && !efforts.with(|e| e.contains(&Effort::Offer(o.id))))
                    .map(|o| (o.id.to_string(), o.input.name.to_string()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    // Choosing an offer adds it to the efforts.
    Effect::new(move |_| {
        if let Ok(id) = chosen_offer.get().parse::<shared::OfferId>() {
            toggle(Effort::Offer(id), true);
            chosen_offer.set(String::new());
        }
    });
    let areas_error = form.error_at("areas", tr("Områder, målet hører under", "Areas the goal belongs to"));
    let efforts_error = form.error_at("efforts", tr("Indsatser, der arbejder på målet", "Efforts working on the goal"));
    view! {
        <fieldset class="field" data-testid="goal-areas" aria-describedby="goal-areas-error">
            <legend class="field__label">{tr("Områder, målet hører under (valgfrit)", "Areas the goal belongs to (optional)")}</legend>
            {move || match known() {
                None => view! { <p class="field__hint">{tr("Områderne hentes, når telefonen er online.", "The areas are fetched when the phone is online.")}</p> }.into_any(),
                Some(c) => c.areas.into_iter().map(|a| {
                    let (checked, toggle) = member_of(areas, a.id);
                    view! { <CheckBox id=format!("goal-area-{}", a.id) checked=checked toggle=toggle>{a.name}</CheckBox> }
                }).collect_view().into_any(),
            }}
            <p class="field__error" id="goal-areas-error">{move || areas_error.get()}</p>
        </fieldset>
        <fieldset class="field" data-testid="goal-efforts" aria-describedby="goal-efforts-error">
            <legend class="field__label">{tr("Indsatser, der arbejder på målet (valgfrit)", "Efforts working on the goal (optional)")}</legend>
            {move || {
                let l = lang.get();
                grants.get().into_iter().map(|g| {
                    let (checked, toggle) = member_of(efforts, Effort::Grant(g.id));
                    let label = match l {
                        Lang::Da => format!("Bevilling: {} fra {}", g.service.label(l), g.period.from().format(l)),
                        Lang::En => format!("Grant: {} from {}", g.service.label(l), g.period.from().format(l)),
                    };
                    view! { <CheckBox id=format!("goal-grant-{}", g.id) checked=checked toggle=toggle>{label}</CheckBox> }
                }).collect_view()
            }}
            // The citizen's intensive courses: a course that names the goal
            // itself (its goals are chosen on the course) is said so.
            {move || {
                let l = lang.get();
                courses.map(|c| c.get()).unwrap_or_default().into_iter().map(|c| {
                    let label = course_label(&c, l);
                    if c.input.goals.contains(&goal) {
                        view! { <p class="field__hint" data-testid="goal-course-named">{format!("{label} ({})", l.pick("forløbet arbejder på målet", "the course works on the goal"))}</p> }.into_any()
                    } else {
                        let (checked, toggle) = member_of(efforts, Effort::Course(c.id));
                        view! { <CheckBox id=format!("goal-course-{}", c.id) checked=checked toggle=toggle>{label}</CheckBox> }.into_any()
                    }
                }).collect_view()
            }}
            <ul class="plan-goal__offers" data-testid="goal-offers">
                {move || {
                    let l = lang.get();
                    let catalogue = known();
                    efforts.get().into_iter().filter_map(|e| match e {
                        Effort::Offer(o) => Some(o),
                        _ => None,
                    }).map(|o| {
                        let name = catalogue.as_ref().and_then(|c| c.offer(o)).map_or_else(
                            || l.pick("Et tilbud", "An offer").to_owned(),
                            |x| x.input.name.to_string(),
                        );
                        view! {
                            <li>{format!("{}: {name} ", l.pick("Tilbud", "Offer"))}
                                <button type="button" class="button button--quiet" on:click=move |_| toggle(Effort::Offer(o), false)>
                                    {l.pick("Fjern", "Remove")}
                                </button>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
            <SelectField id="goal-offer" label=tr("Tilføj et tilbud fra kataloget", "Add an offer from the catalogue") value=chosen_offer
                options=offer_options error=Signal::derive(|| None::<Refusal>) placeholder=tr("Vælg tilbud", "Choose an offer")/>
            <p class="field__error" id="goal-efforts-error">{move || efforts_error.get()}</p>
        </fieldset>
    }
}

#[component]
fn FollowUpForm(
    goal: GoalId,
    citizen: CitizenId,
    plan_begun: Date,
    close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let on = RwSignal::new(today().to_string());
    let score = RwSignal::new(String::new());
    let functioning = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let conclusion = RwSignal::new(Conclusion::Continue.code().to_owned());
    let id = FollowUpId::from_uuid(Uuid::now_v7());
    let form = Form::new();
    let save = outbox_save(form, close);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.submit(save, || {
            let typed = FollowUpTyped {
                on: &on.get_untracked(),
                citizen_score: &score.get_untracked(),
                functioning: &functioning.get_untracked(),
                note: &note.get_untracked(),
                conclusion: &conclusion.get_untracked(),
            };
            let follow_up = read_follow_up(id, goal, citizen, &typed, plan_begun, today())?;
            Ok(MutationBody::FollowUpAdd { follow_up })
        });
    };
    let levels = Signal::derive(move || {
        let l = lang.get();
        std::iter::once((String::new(), tr("Ikke vurderet", "Not assessed")().to_owned()))
            .chain(
                (0..=4u8)
                    .filter_map(|n| Functioning::try_from(n).ok())
                    .map(|f| (u8::from(f).to_string(), format!("{} – {}", u8::from(f), f.label().get(l)))),
            )
            .collect::<Vec<_>>()
    });
    let conclusions = Signal::derive(move || {
        let l = lang.get();
        Conclusion::ALL.iter().map(|c| (c.code().to_owned(), c.label().get(l).to_owned())).collect::<Vec<_>>()
    });
    view! {
        <form class="plan-form" node_ref=form.node() on:submit=submit novalidate data-testid="follow-up-form">
            <TextField id="follow-up-on" label=tr("Dato", "Date") input_type="date" value=on error=form.error("on") required=true/>
            <TextField id="follow-up-score" label=tr("Borgerens egen score, 0–10 (valgfri)", "The citizen's own score, 0–10 (optional)")
                input_type="number" value=score error=form.error("citizen_score")/>
            <SelectField id="follow-up-functioning" label=tr("Funktionsniveau (VUM)", "Functioning level (VUM)")
                value=functioning options=levels error=form.error("functioning")/>
            <TextArea id="follow-up-note" label=tr("Kort note", "Short note") value=note error=form.error("note") rows=2 max_chars=shared::text::Note::MAX_CHARS/>
            <SelectField id="follow-up-conclusion" label=tr("Konklusion", "Conclusion") value=conclusion
                options=conclusions error=form.error("conclusion")/>
            <FormFailure form=form/>
            <div class="visit-form__actions">
                <button type="submit" class="button button--primary" data-testid="save-follow-up">{tr("Gem opfølgning", "Save follow-up")}</button>
                <button type="button" class="button" on:click=move |_| close()>{tr("Fortryd", "Cancel")}</button>
            </div>
        </form>
    }
}

#[component]
fn ActionForm(
    goal: GoalId,
    citizen: CitizenId,
    /// The action being changed (what, who, by when, its status: an action
    /// done by mistake is reopened here); `None`: a new one.
    action: Option<Shown<PlanAction>>,
    /// The plan's start: a typed due day is not before it.
    plan_begun: Date,
    me: Option<UserId>,
    staff: Vec<(UserId, String)>,
    close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let stored = action.as_ref().map(|a| a.row.fields.clone());
    let base = action.as_ref().map(Shown::<PlanAction>::base);
    let editing = stored.is_some();
    let what = RwSignal::new(stored.as_ref().map(|a| a.what.to_string()).unwrap_or_default());
    let owner = RwSignal::new(match stored.as_ref().map(|a| a.owner) {
        Some(o) => owner_code(o),
        None => me.map_or_else(|| "citizen".to_owned(), |m| format!("user:{m}")),
    });
    let due = RwSignal::new(stored.as_ref().and_then(|a| a.due).map(|d| d.to_string()).unwrap_or_default());
    let offer = RwSignal::new(stored.as_ref().and_then(|a| a.offer).map(|o| o.to_string()).unwrap_or_default());
    let status = RwSignal::new(stored.as_ref().map_or(ActionStatus::Open, |a| a.status).code().to_owned());
    let statuses = Signal::derive(move || {
        let l = lang.get();
        [ActionStatus::Open, ActionStatus::Done, ActionStatus::Cancelled]
            .iter()
            .map(|s| (s.code().to_owned(), s.label().get(l).to_owned()))
            .collect::<Vec<_>>()
    });
    let catalogue = use_context::<Catalogue>().map(|c| c.0);
    let offers = Signal::derive(move || {
        catalogue
            .and_then(|c| c.get())
            .map(|c| {
                c.offers
                    .iter()
                    .filter(|o| o.input.active)
                    .map(|o| (o.id.to_string(), o.input.name.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    });
    let id = stored.as_ref().map_or_else(|| ActionId::from_uuid(Uuid::now_v7()), |a| a.id);
    let team = move || match session.get_untracked() {
        Session::LoggedIn(me) => me.teams.first().map(|t| (t.id, t.name.to_string())),
        _ => None,
    };
    let stored_owner = stored.clone();
    let form = Form::new();
    let save = outbox_save(form, close);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (stored, base) = (stored.clone(), base.clone());
        form.submit(save, move || {
            let chosen = match owner.get_untracked().split_once(':') {
                Some(("user", id)) => id.parse().ok().map(Owner::User),
                Some(("team", id)) => id.parse().ok().map(Owner::Team),
                Some(("area", id)) => id.parse().ok().map(Owner::Area),
                _ if owner.get_untracked() == "citizen" => Some(Owner::Citizen),
                _ => None,
            };
            let typed = ActionTyped {
                what: &what.get_untracked(),
                owner: chosen,
                due: &due.get_untracked(),
                status: ActionStatus::from_code(&status.get_untracked()).unwrap_or(ActionStatus::Open),
            };
            let mut action =
                read_action(id, goal, citizen, &typed, Against { stored: stored.as_ref(), day: plan_begun })?;
            action.offer = offer.get_untracked().parse().ok();
            Ok(MutationBody::ActionSave { action, base })
        });
    };
    let staff_names = staff.clone();
    let owners = Signal::derive(move || {
        let mut options: Vec<(String, String)> = staff
            .iter()
            .map(|(id, name)| {
                let label = if Some(*id) == me { format!("{} ({name})", tr("Mig", "Me")()) } else { name.clone() };
                (format!("user:{id}"), label)
            })
            .collect();
        if let Some((id, name)) = team() {
            options.push((format!("team:{id}"), name));
        }
        options.push(("citizen".to_owned(), tr("Borgeren", "The citizen")().to_owned()));
        // The owner the action names stays choosable (a colleague who left
        // the citizen, an area).
        if let Some(a) = &stored_owner
            && !options.iter().any(|(code, _)| *code == owner_code(a.owner))
        {
            options.push((owner_code(a.owner), owner_name(a.owner, me, &staff_names, lang.get())));
        }
        options
    });
    // The edit form has ids of its own: the new-action form may be open too.
    let ids = if editing {
        ["action-edit-what", "action-edit-owner", "action-edit-due", "action-edit-offer"]
    } else {
        ["action-what", "action-owner", "action-due", "action-offer"]
    };
    view! {
        <form class="plan-form" node_ref=form.node() on:submit=submit novalidate
            data-testid=if editing { "action-edit-form" } else { "action-form" }>
            <TextField id=ids[0] label=tr("Hvad er aftalt", "What is agreed") input_type="text" value=what
                error=form.error("what") required=true max_chars=shared::text::ActionText::MAX_CHARS/>
            <SelectField id=ids[1] label=tr("Hvem gør det", "Who does it") value=owner options=owners error=form.error("owner")/>
            <TextField id=ids[2] label=tr("Senest (valgfri)", "By (optional)") input_type="date" value=due error=form.error("due")/>
            <SelectField id=ids[3] label=tr("Tilbud fra kataloget (valgfrit)", "Offer from the catalogue (optional)") value=offer
                options=offers error=form.error("offer") placeholder=tr("Intet tilbud", "No offer")/>
            {editing.then(|| view! {
                <SelectField id="action-edit-status" label=tr("Status", "Status") value=status options=statuses error=form.error("status")/>
            })}
            <FormFailure form=form/>
            <div class="visit-form__actions">
                <button type="submit" class="button button--primary" data-testid="save-action">{tr("Gem handling", "Save action")}</button>
                <button type="button" class="button" on:click=move |_| close()>{tr("Fortryd", "Cancel")}</button>
            </div>
        </form>
    }
}

/// Where the citizen's printable copy of their plan is.
pub fn plan_copy_href(citizen: CitizenId) -> String {
    format!("/citizens/{citizen}/plan/copy")
}

/// `/citizens/:id/plan/copy`: the citizen's own copy of their plan, in
/// plain language, to print and hand over (as they get a copy of the
/// access log): their wishes, the consent, who coordinates and how to reach
/// them, each goal in their own words with what is agreed and how it is
/// going by their own score. Left out: the professionals' wording, the
/// notes of follow-ups, the functioning levels, staff phone numbers other
/// than the contact written for the citizen.
#[component]
pub fn PlanCopyPage() -> impl IntoView {
    let data = use_data();
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<CitizenId>().ok());
    let copy = move || {
        let view = data.view.get()?;
        let id = id()?;
        let citizen = view.citizens.iter().find(|c| c.id == id)?.clone();
        let names = staff_of(&view, &citizen, None, None);
        let plan = view.plans.iter().find(|p| p.row.fields.citizen_id == id).map(|p| p.row.clone());
        let goals: Vec<Goal> = view
            .goals
            .iter()
            .filter(|g| g.row.fields.citizen_id == id && g.row.fields.status != GoalStatus::Ended)
            .map(|g| g.row.clone())
            .collect();
        let actions: Vec<PlanAction> = view
            .actions
            .iter()
            .filter(|a| a.row.fields.citizen_id == id && a.row.fields.status != ActionStatus::Cancelled)
            .map(|a| a.row.clone())
            .collect();
        let follow_ups: Vec<FollowUp> = view.follow_ups.iter().filter(|f| f.fields.citizen_id == id).cloned().collect();
        // The last time the plan was gone through with the citizen there.
        let last_review = view
            .revisions
            .iter()
            .filter(|r| r.fields.citizen_id == id && r.fields.citizen_present)
            .map(|r| r.fields.on)
            .max();
        let plan = plan.map(|p| (p, last_review));
        Some((citizen, names, plan, goals, actions, follow_ups))
    };
    view! {
        <section class="plan-copy" aria-labelledby="plan-copy-title">
            {move || match copy() {
                None => view! {
                    <h1 class="page-title" id="plan-copy-title">{tr("Min plan", "My plan")}</h1>
                    <p class="notice" role="status">{tr("Borgeren er ikke på telefonen.", "The citizen is not on the phone.")}</p>
                }.into_any(),
                Some((citizen, names, plan, goals, actions, follow_ups)) => {
                    let l = lang.get();
                    let name_of = |u: UserId| names.iter().find(|(id, _)| *id == u).map(|(_, n)| n.clone());
                    let last_review = plan.as_ref().and_then(|(_, on)| *on);
                    let fields = plan.as_ref().map(|(p, _)| p.fields.clone());
                    let coordinator = shared::plan::coordinator(fields.as_ref(), citizen.coordinator_id).and_then(name_of);
                    let contact = fields.as_ref().map(|f| f.coordinator_contact.to_string()).filter(|c| !c.is_empty());
                    let wishes = fields.as_ref().map(|f| f.wishes.to_string()).filter(|w| !w.is_empty());
                    let consent = fields.as_ref().map(|f| f.consent).unwrap_or(Consent::NotAsked);
                    view! {
                        <h1 class="page-title" id="plan-copy-title">
                            {match l { Lang::Da => format!("Min plan · {}", citizen.name), Lang::En => format!("My plan · {}", citizen.name) }}
                        </h1>
                        <p class="plan-copy__date">{match l {
                            Lang::Da => format!("Udskrevet {}", today().format(l)),
                            Lang::En => format!("Printed {}", today().format(l)),
                        }}</p>
                        {last_review.map(|on| view! {
                            <p class="plan-copy__date" data-testid="copy-last-review">{match l {
                                Lang::Da => format!("Vi gennemgik planen sammen {}", on.format(l)),
                                Lang::En => format!("We went through the plan together on {}", on.format(l)),
                            }}</p>
                        })}
                        <div class="no-print plan-copy__tools">
                            <crate::components::print::PrintButton/>
                            <a class="button" href=plan_href(citizen.id)>{tr("Tilbage til planen", "Back to the plan")}</a>
                        </div>
                        <h2 class="section-title">{tr("Mine ønsker for fremtiden", "My wishes for the future")}</h2>
                        <p data-testid="copy-wishes">{wishes.unwrap_or_else(|| tr("Ikke skrevet endnu.", "Not written yet.")().to_owned())}</p>
                        <h2 class="section-title">{tr("Én samlet plan", "One plan")}</h2>
                        <p>{match (consent, l) {
                            (Consent::Given { on }, Lang::Da) => format!("Du sagde ja til én samlet plan den {}.", on.format(l)),
                            (Consent::Given { on }, Lang::En) => format!("You agreed to one plan on {}.", on.format(l)),
                            (Consent::Refused { on }, Lang::Da) => format!("Du sagde nej til én samlet plan den {}.", on.format(l)),
                            (Consent::Refused { on }, Lang::En) => format!("You declined one plan on {}.", on.format(l)),
                            (Consent::NotAsked, Lang::Da) => "Du er ikke spurgt om én samlet plan endnu.".to_owned(),
                            (Consent::NotAsked, Lang::En) => "You have not been asked about one plan yet.".to_owned(),
                        }}</p>
                        <h2 class="section-title">{tr("Din indgang til kommunen", "Your way in to the municipality")}</h2>
                        <p data-testid="copy-coordinator">{match (coordinator, l) {
                            (Some(n), Lang::Da) => format!("Din koordinerende sagsbehandler er {n}."),
                            (Some(n), Lang::En) => format!("Your coordinating case worker is {n}."),
                            (None, Lang::Da) => "Du har ikke fået en koordinerende sagsbehandler endnu.".to_owned(),
                            (None, Lang::En) => "You do not have a coordinating case worker yet.".to_owned(),
                        }}{contact.map(|c| format!(" {c}"))}</p>
                        <h2 class="section-title">{tr("Mine mål", "My goals")}</h2>
                        {goals.is_empty().then(|| view! { <p>{tr("Ingen mål endnu.", "No goals yet.")}</p> })}
                        <ol class="plan-copy__goals">
                            {goals.into_iter().map(|g| {
                                let f = g.fields;
                                let mine: Vec<PlanAction> = actions.iter().filter(|a| a.fields.goal_id == f.id).cloned().collect();
                                let going: Vec<FollowUp> = follow_ups.iter().filter(|x| x.fields.goal_id == f.id).cloned().collect();
                                view! {
                                    <li class="plan-copy__goal" data-testid="copy-goal">
                                        <p class="plan-goal__words">{format!("“{}”", f.citizen_wording)}</p>
                                        {f.target_date.map(|t| view! { <p>{match l {
                                            Lang::Da => format!("Jeg vil gerne nå det senest {}.", t.format(l)),
                                            Lang::En => format!("I would like to reach it by {}.", t.format(l)),
                                        }}</p> })}
                                        {(f.status == GoalStatus::Achieved).then(|| view! { <p><strong>{tr("Målet er nået.", "The goal is reached.")}</strong></p> })}
                                        {(!mine.is_empty()).then(|| view! {
                                            <p class="plan-copy__sub">{tr("Det har vi aftalt:", "What we agreed:")}</p>
                                            <ul>
                                                {mine.into_iter().map(|a| {
                                                    let who = match a.fields.owner {
                                                        Owner::Citizen => tr("Dig", "You")().to_owned(),
                                                        Owner::User(u) => name_of(u).unwrap_or_else(|| tr("Kommunen", "The municipality")().to_owned()),
                                                        Owner::Team(_) | Owner::Area(_) => tr("Kommunen", "The municipality")().to_owned(),
                                                    };
                                                    let mut line = format!("{} – {who}", a.fields.what);
                                                    if let Some(d) = a.fields.due {
                                                        line.push_str(&match l { Lang::Da => format!(", senest {}", d.format(l)), Lang::En => format!(", by {}", d.format(l)) });
                                                    }
                                                    if a.fields.status == ActionStatus::Done {
                                                        line.push_str(match l { Lang::Da => " (gjort)", Lang::En => " (done)" });
                                                    }
                                                    view! { <li>{line}</li> }
                                                }).collect_view()}
                                            </ul>
                                        })}
                                        {(!going.is_empty()).then(|| view! {
                                            <p class="plan-copy__sub">{tr("Sådan går det:", "How it is going:")}</p>
                                            <ul>
                                                {going.into_iter().map(|x| {
                                                    let mut line = x.fields.on.format(l);
                                                    if let Some(s) = x.fields.citizen_score {
                                                        line.push_str(&match l {
                                                            Lang::Da => format!(": du gav dig selv {} ud af 10 for, hvordan det går", u8::from(s)),
                                                            Lang::En => format!(": you gave yourself {} out of 10 for how it is going", u8::from(s)),
                                                        });
                                                    }
                                                    line.push_str(&format!(" · {}", x.fields.conclusion.plain().get(l)));
                                                    view! { <li data-testid="copy-follow-up">{line}</li> }
                                                }).collect_view()}
                                            </ul>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                        <p class="plan-copy__footer">{tr(
                            "Planen er din. Sig til din koordinerende sagsbehandler, hvis noget skal ændres.",
                            "The plan is yours. Tell your coordinating case worker if anything should change.",
                        )}</p>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_places_days_by_date_on_one_axis() {
        let d = |s: &str| s.parse::<Date>().expect("date").to_days();
        // A follow-up, a visit ten days on, a follow-up ninety days on:
        // the visit sits a ninth of the way, not half way.
        let days = [d("2026-09-01"), d("2026-09-11"), d("2026-11-30")];
        let x = chart_x(&days);
        assert_eq!(x(days[0]), CHART_LEFT);
        assert_eq!(x(days[2]), CHART_RIGHT);
        assert!((x(days[1]) - (CHART_LEFT + (CHART_RIGHT - CHART_LEFT) * 10.0 / 90.0)).abs() < 1e-9);
        // One day alone sits in the middle.
        let one = [d("2026-11-30")];
        assert_eq!(chart_x(&one)(one[0]), 50.0);
        // Two days a day apart sit close together around the middle, not
        // at the two ends (issue 15's walk).
        let near = [d("2026-11-29"), d("2026-11-30")];
        let x = chart_x(&near);
        let gap = x(near[1]) - x(near[0]);
        assert!((gap - (CHART_RIGHT - CHART_LEFT) / CHART_MIN_DAYS as f64).abs() < 1e-9, "{gap}");
        assert!(((x(near[0]) + x(near[1])) / 2.0 - 50.0).abs() < 1e-9);
    }
}
