//! Cross-disciplinary meetings (issue 16; seed 002: three a year, an
//! organiser who calls them and writes the minutes, the goals and the
//! agreements filled in at the meeting). Field pages: read from the
//! phone's view and written through the outbox, so a meeting is planned
//! and its minutes written offline as well as online.
//!
//! [`MeetingsSection`] sits on the plan page: where the citizen stands
//! (next meeting planned, overdue, never planned), the meetings, and the
//! form that plans one. `/citizens/:id/meetings/:meeting` is the meeting:
//! its agenda built from the plan (each goal with its latest follow-up,
//! the agreed actions with those overdue, the minutes delivered per service
//! since the last meeting, anything else), an entry of the minutes per
//! item, decisions as actions of the plan, and recording it as held.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::meeting::{AgendaItem, Meeting, MeetingDraft, MeetingStatus, Minutes, NextMeeting};
use shared::plan::{ActionDraft, ActionStatus, Base, FollowUp, Goal, GoalStatus, Owner};
use shared::sync::MutationBody;
use shared::{CitizenId, Date, Lang, MeetingId, Minutes as Mins, MinutesId, UserId};
use uuid::Uuid;

use crate::components::form::outbox_save;
use crate::components::form::{Form, FormFailure};
use crate::components::text_field::{CheckBox, SelectField, TextArea, TextField, member_of};
use crate::data::use_data;
use crate::i18n::{tr, use_lang};
use crate::meeting_input::{HeldTyped, MeetingTyped, read_held, read_meeting, read_minutes, suggested_next};
use crate::overlay::{RecordState, Shown, View};
use crate::state::{Session, use_session};
use crate::visit_input::hh_mm;

fn today() -> Date {
    crate::clock::now().local_date()
}

/// The meetings of `citizen` in `view`, by day.
pub fn meetings_of(view: &View, citizen: CitizenId) -> Vec<Shown<Meeting>> {
    view.meetings.iter().filter(|m| m.row.fields.citizen_id == citizen).cloned().collect()
}

/// The meetings a year `citizen`'s target group (their layer) asks for.
fn rhythm_of(view: &View, citizen: CitizenId) -> u8 {
    shared::meeting::meetings_per_year(view.citizens.iter().find(|c| c.id == citizen).and_then(|c| c.layer.as_ref()))
}

/// Where `citizen` stands with their meetings on `today`, at their target
/// group's rhythm.
pub fn next_meeting(view: &View, citizen: CitizenId, today: Date) -> NextMeeting {
    let meetings: Vec<&MeetingDraft> =
        view.meetings.iter().filter(|m| m.row.fields.citizen_id == citizen).map(|m| &m.row.fields).collect();
    NextMeeting::of(&meetings, today, rhythm_of(view, citizen))
}

/// The citizens with a plan, among those `keep` accepts, whose next
/// meeting asks for action ([`NextMeeting::needs_action`]: overdue, never
/// planned, gone by unrecorded), by name: the coordinator's and the lead's
/// lists (issue 16).
pub fn meetings_due(
    view: &View,
    today: Date,
    keep: impl Fn(&shared::citizen::Citizen, &shared::plan::PlanDraft) -> bool,
) -> Vec<(CitizenId, String, NextMeeting)> {
    view.citizens
        .iter()
        .filter_map(|c| {
            let plan = view.plans.iter().find(|p| p.row.fields.citizen_id == c.id)?;
            if !keep(c, &plan.row.fields) {
                return None;
            }
            let state = next_meeting(view, c.id, today);
            state.needs_action().then(|| (c.id, c.name.to_string(), state))
        })
        .collect()
}

/// The list of [`meetings_due`], each citizen linking to their plan's
/// meetings; nothing when none is due.
#[component]
pub fn MeetingsDue(due: Vec<(CitizenId, String, NextMeeting)>) -> impl IntoView {
    let lang = use_lang();
    (!due.is_empty()).then(|| {
        view! {
            <section class="card today-meetings" aria-labelledby="meetings-due-title" data-testid="meetings-due">
                <h2 class="section-title" id="meetings-due-title">{tr("Tværfaglige møder at planlægge", "Cross-disciplinary meetings to plan")}</h2>
                <ul class="citizen-actions">
                    {due.into_iter().map(|(id, name, state)| view! {
                        <li data-testid="meeting-due">
                            <a href=format!("/citizens/{id}/plan#meetings-title")>{name}</a>
                            " · "{move || state.describe(lang.get())}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The name of `user` among `staff`, else "a colleague".
fn name_in(staff: &[(UserId, String)], user: UserId, l: Lang) -> String {
    staff
        .iter()
        .find(|(u, _)| *u == user)
        .map_or_else(|| l.pick("En kollega", "A colleague").to_owned(), |(_, n)| n.clone())
}

/// "Holdt · kl. 10.00 · 90 min · borgeren deltog", "Planlagt · kl.
/// 13.00", "Aflyst": the status, then what is known of the time, then
/// (once held) whether the citizen took part.
fn status_line(m: &MeetingDraft, l: Lang) -> String {
    let mut parts = vec![m.status.label().get(l).to_owned()];
    if let Some(at) = m.starts_at {
        parts.push(format!("{} {}", l.pick("kl.", "at"), at.format_time(l)));
    }
    if let (MeetingStatus::Held, Some(d)) = (m.status, m.duration) {
        parts.push(format!("{} min", d.get()));
    }
    if m.status == MeetingStatus::Held {
        parts.push(
            if m.citizen_took_part {
                l.pick("borgeren deltog", "the citizen took part")
            } else {
                l.pick("borgeren deltog ikke", "the citizen did not take part")
            }
            .to_owned(),
        );
    }
    parts.join(" · ")
}

/// The plan page's part on meetings.
#[component]
pub fn MeetingsSection(citizen: CitizenId, staff: Signal<Vec<(UserId, String)>>) -> impl IntoView {
    let data = use_data();
    let lang = use_lang();
    let planning = RwSignal::new(false);
    let meetings =
        Memo::new(move |_| data.view.with(|v| v.as_ref().map(|v| meetings_of(v, citizen)).unwrap_or_default()));
    let state = Memo::new(move |_| data.view.with(|v| v.as_ref().map(|v| next_meeting(v, citizen, today()))));
    view! {
        <section aria-labelledby="meetings-title" data-testid="meetings">
            <h2 class="section-title" id="meetings-title">{tr("Tværfaglige møder", "Cross-disciplinary meetings")}</h2>
            {move || state.get().map(|s| {
                let class = if s.needs_action() { "notice notice--warning" } else { "plan-page__as-of" };
                view! { <p class=class data-testid="next-meeting" data-overdue=s.needs_action().to_string()>{s.describe(lang.get())}</p> }
            })}
            <ul class="plan-meetings">
                <For each=move || meetings.get() key=|m| (m.row.fields.clone(), m.state) let(m)>
                    {
                        let f = m.row.fields.clone();
                        let href = format!("/citizens/{}/meetings/{}", f.citizen_id, f.id);
                        view! {
                            <li class="card plan-meeting" data-testid="meeting" data-status=f.status.code()>
                                <a class="plan-meeting__day" href=href>{move || {
                                    let l = lang.get();
                                    format!("{} {}", l.pick("Møde", "Meeting"), f.on.format(l))
                                }}</a>
                                <span class="plan-meeting__status">{move || status_line(&m.row.fields, lang.get())}</span>
                                {(m.state == RecordState::Waiting).then(|| view! {
                                    <span class="badge" data-testid="waiting">{tr("Venter på at blive sendt", "Waiting to be sent")}</span>
                                })}
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || planning.get() fallback=move || view! {
                <button type="button" class="button button--primary" data-testid="plan-meeting"
                    on:click=move |_| planning.set(true)>{tr("Planlæg møde", "Plan a meeting")}</button>
            }>
                <MeetingForm citizen=citizen meeting=None staff=staff close=move || planning.set(false)/>
            </Show>
        </section>
    }
}

/// Plans a meeting, or changes a planned one.
#[component]
fn MeetingForm(
    citizen: CitizenId,
    meeting: Option<Shown<Meeting>>,
    staff: Signal<Vec<(UserId, String)>>,
    close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let me = match session.get_untracked() {
        Session::LoggedIn(me) => Some(me.id),
        _ => None,
    };
    let stored = meeting.as_ref().map(|m| m.row.fields.clone());
    let base = meeting.as_ref().map(|m| Base { row_version: m.row.row_version, fields: m.row.fields.clone() });
    let id = stored.as_ref().map_or_else(|| MeetingId::from_uuid(Uuid::now_v7()), |m| m.id);
    let on = RwSignal::new(stored.as_ref().map(|m| m.on.to_string()).unwrap_or_default());
    let start = RwSignal::new(stored.as_ref().and_then(|m| m.starts_at).map(hh_mm).unwrap_or_default());
    let organiser =
        RwSignal::new(stored.as_ref().map(|m| m.organiser_id).or(me).map(|u| u.to_string()).unwrap_or_default());
    let invited: RwSignal<Vec<UserId>> =
        RwSignal::new(stored.as_ref().map(|m| m.participants.clone()).unwrap_or_default());
    let others = RwSignal::new(stored.as_ref().map(|m| m.others.to_string()).unwrap_or_default());
    let citizen_invited = RwSignal::new(stored.as_ref().is_none_or(|m| m.citizen_invited));
    let form = Form::new();
    let save = outbox_save(form, close);
    let stored_for_save = stored.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (stored, base) = (stored_for_save.clone(), base.clone());
        form.submit(save, move || {
            let participants = invited.get_untracked();
            let typed = MeetingTyped {
                on: &on.get_untracked(),
                start: &start.get_untracked(),
                organiser: organiser.get_untracked().parse().ok(),
                participants: &participants,
                others: &others.get_untracked(),
                citizen_invited: citizen_invited.get_untracked(),
            };
            let meeting = read_meeting(id, citizen, &typed, stored.as_ref(), today())?;
            Ok(MutationBody::MeetingSave { meeting, base })
        });
    };
    let organisers =
        Signal::derive(move || staff.get().into_iter().map(|(u, n)| (u.to_string(), n)).collect::<Vec<_>>());
    let invited_error = form.error_under("participants");
    let invited_label = tr("Inviterede medarbejdere", "Staff invited");
    view! {
        <form class="plan-form" node_ref=form.node() on:submit=submit novalidate data-testid="meeting-form">
            <TextField id="meeting-on" label=tr("Dato", "Date") input_type="date" value=on error=form.error("on") required=true/>
            <TextField id="meeting-start" label=tr("Klokkeslæt (valgfri)", "Time (optional)") input_type="time" value=start error=form.error("starts_at")/>
            <SelectField id="meeting-organiser" label=tr("Tovholder (indkalder og skriver referat)", "Organiser (calls and writes the minutes)")
                value=organiser options=organisers error=form.error("organiser_id")/>
            <fieldset class="field" aria-describedby="meeting-participants-error">
                <legend class="field__label">{invited_label}</legend>
                // The organiser calls the meeting: not among those invited.
                {move || {
                    let chosen = organiser.get();
                    staff.get().into_iter().filter(|(user, _)| user.to_string() != chosen).map(|(user, name)| {
                        let (checked, toggle) = member_of(invited, user);
                        view! { <CheckBox id=format!("meeting-participant-{user}") checked=checked toggle=toggle>{name}</CheckBox> }
                    }).collect_view()
                }}
                <p class="field__error" id="meeting-participants-error">{move || invited_error.get().map(|r| r.at(invited_label()))}</p>
            </fieldset>
            <TextField id="meeting-others" label=tr("Netværk, der inviteres (navn og rolle, valgfri)", "Network invited (name and role, optional)")
                input_type="text" value=others error=form.error("others") max_chars=shared::text::OthersPresent::MAX_CHARS/>
            <CheckBox id="meeting-citizen-invited" single=true checked=citizen_invited toggle=Callback::new(move |v| citizen_invited.set(v))>
                {tr("Borgeren inviteres", "The citizen is invited")}
            </CheckBox>
            <FormFailure form=form/>
            <div class="visit-form__actions">
                <button type="submit" class="button button--primary" data-testid="save-meeting">{tr("Gem mødet", "Save the meeting")}</button>
                <button type="button" class="button" on:click=move |_| close()>{tr("Fortryd", "Cancel")}</button>
            </div>
        </form>
    }
}

/// What the meeting page shows.
#[derive(Clone, PartialEq, Eq)]
struct MeetingData {
    citizen: shared::citizen::Citizen,
    meeting: Shown<Meeting>,
    goals: Vec<Goal>,
    follow_ups: Vec<FollowUp>,
    actions: Vec<shared::plan::Action>,
    minutes: Vec<Minutes>,
    waiting_minutes: Vec<MinutesId>,
    /// Minutes delivered per service since the last meeting held before
    /// this one (or four months back): (service or "none", minutes).
    delivered: Vec<(String, Mins)>,
    staff: Vec<(UserId, String)>,
}

fn delivered_since(view: &View, citizen: CitizenId, meeting: &MeetingDraft, l: Lang) -> Vec<(String, Mins)> {
    let last_held = view
        .meetings
        .iter()
        .map(|m| &m.row.fields)
        .filter(|m| m.citizen_id == citizen && m.status == MeetingStatus::Held && m.on < meeting.on)
        .map(|m| m.on)
        .max()
        .unwrap_or_else(|| meeting.on.add_months(-4));
    let mut out: Vec<(String, Mins)> = Vec::new();
    for v in view.visits.iter().map(|v| &v.visit) {
        let day = v.started_at().local_date();
        // This meeting's own time is not what was delivered before it.
        if v.citizen_id != citizen || day <= last_held || day > meeting.on || v.meeting_of == Some(meeting.id) {
            continue;
        }
        let service = match v.charged_to {
            Some(shared::visit::ChargeTo::Grant(g)) => {
                view.grants.iter().find(|x| x.id == g).map(|g| g.service.label(l).to_owned())
            }
            Some(shared::visit::ChargeTo::DrawingRight(p)) => {
                view.drawing_rights.iter().find(|x| x.id == p).map(|p| p.name.to_string())
            }
            None => None,
        }
        .unwrap_or_else(|| l.pick("Uden bevilling", "Charged to nothing").to_owned());
        match out.iter_mut().find(|(s, _)| *s == service) {
            Some((_, m)) => *m += v.counted_minutes(),
            None => out.push((service, v.counted_minutes())),
        }
    }
    out
}

#[component]
pub fn MeetingPage() -> impl IntoView {
    let data = use_data();
    let lang = use_lang();
    let params = use_params_map();
    let session = use_session();
    let ids = move || {
        let p = params.read();
        Some((p.get("id")?.parse::<CitizenId>().ok()?, p.get("meeting")?.parse::<MeetingId>().ok()?))
    };
    let shown = Memo::new(move |_| {
        let view = data.view.get()?;
        let (citizen_id, meeting_id) = ids()?;
        let citizen = view.citizens.iter().find(|c| c.id == citizen_id)?.clone();
        let meeting = view.meetings.iter().find(|m| m.row.fields.id == meeting_id)?.clone();
        let me = match session.get() {
            Session::LoggedIn(me) => Some((me.id, me.name.to_string())),
            _ => None,
        };
        let staff = crate::overlay::staff_of(&view, &citizen, me, None);
        let l = lang.get();
        Some(MeetingData {
            delivered: delivered_since(&view, citizen_id, &meeting.row.fields, l),
            goals: view
                .goals
                .iter()
                .filter(|g| g.row.fields.citizen_id == citizen_id && g.row.fields.status == GoalStatus::Active)
                .map(|g| g.row.clone())
                .collect(),
            follow_ups: view.follow_ups.iter().filter(|f| f.fields.citizen_id == citizen_id).cloned().collect(),
            actions: view
                .actions
                .iter()
                .filter(|a| a.row.fields.citizen_id == citizen_id)
                .map(|a| a.row.clone())
                .collect(),
            minutes: view.minutes.iter().filter(|m| m.fields.meeting_id == meeting_id).cloned().collect(),
            waiting_minutes: view.waiting_minutes.clone(),
            citizen,
            meeting,
            staff,
        })
    });
    // Each part its own memo, drawn on its own: an entry of the minutes or
    // a decision arriving by sync (or saved here) draws that part anew, and
    // what is being typed in another part's form stays (issue 16's e2e).
    let found = Memo::new(move |_| {
        shown.with(|d| d.as_ref().map(|d| (d.citizen.name.to_string(), d.meeting.row.fields.citizen_id)))
    });
    let meeting = Memo::new(move |_| shown.with(|d| d.as_ref().map(|d| d.meeting.clone())));
    let staff = Memo::new(move |_| shown.with(|d| d.as_ref().map(|d| d.staff.clone()).unwrap_or_default()));
    let goals = Memo::new(move |_| shown.with(|d| d.as_ref().map(|d| d.goals.clone()).unwrap_or_default()));
    let goal_ids = Memo::new(move |_| goals.with(|g| g.iter().map(|g| g.fields.id).collect::<Vec<_>>()));
    view! {
        <section class="plan-page meeting-page" aria-labelledby="meeting-title">
            <Show when=move || found.with(Option::is_some) fallback=|| view! {
                <h1 class="page-title" id="meeting-title">{tr("Møde", "Meeting")}</h1>
                <p class="notice" role="status">{tr(
                    "Mødet er ikke på telefonen – måske er borgeren ikke tilknyttet dig længere.",
                    "The meeting is not on the phone – perhaps the citizen is no longer assigned to you.",
                )}</p>
            }>
                // Drawn once: a sync redraws the header's text, not a form
                // open under it.
                <MeetingHeader meeting=meeting name=Signal::derive(move || found.get().map(|f| f.0).unwrap_or_default()) staff=staff/>
                <h2 class="section-title">{tr("Dagsorden", "Agenda")}</h2>
                <ol class="meeting-agenda" data-testid="agenda">
                    <For each=move || goal_ids.get() key=|id| *id let(goal_id)>
                        {
                            let item = AgendaItem::Goal { goal_id };
                            let title = Signal::derive(move || goals.with(|g| g.iter().find(|g| g.fields.id == goal_id).map(|g| g.fields.citizen_wording.to_string()).unwrap_or_default()));
                            let follow = Signal::derive(move || {
                                let l = lang.get();
                                shown.with(|d| d.as_ref().and_then(|d| {
                                    d.follow_ups.iter().filter(|f| f.fields.goal_id == goal_id).max_by_key(|f| (f.fields.on, f.recorded_at)).cloned()
                                })).map(|f| {
                                    let mut parts = vec![f.fields.on.format(l)];
                                    if let Some(s) = f.fields.citizen_score { parts.push(format!("{} {}/10", l.pick("borgerens score", "the citizen's score"), u8::from(s))); }
                                    if let Some(v) = f.fields.functioning { parts.push(format!("{} {}", l.pick("funktionsniveau", "functioning"), u8::from(v))); }
                                    parts.push(f.fields.conclusion.label().get(l).to_owned());
                                    format!("{} {}", l.pick("Seneste opfølgning:", "Latest follow-up:"), parts.join(" · "))
                                }).unwrap_or_else(|| l.pick("Ingen opfølgning endnu.", "No follow-up yet.").to_owned())
                            });
                            view! {
                                <li class="card meeting-item" data-testid="agenda-item" data-item="goal">
                                    <h3 class="meeting-item__title">{title}</h3>
                                    <p class="meeting-item__meta">{follow}</p>
                                    <MinutesPart shown=shown item=item/>
                                </li>
                            }
                        }
                    </For>
                    <li class="card meeting-item" data-testid="agenda-item" data-item="actions">
                        <h3 class="meeting-item__title">{tr("Aftalte handlinger", "Agreed actions")}</h3>
                        {move || {
                            let l = lang.get();
                            let today = today();
                            let open: Vec<shared::plan::Action> = shown.with(|d| d.as_ref().map(|d| {
                                d.actions.iter().filter(|a| a.fields.status == ActionStatus::Open).cloned().collect()
                            }).unwrap_or_default());
                            if open.is_empty() {
                                return view! { <p class="empty">{tr("Ingen åbne handlinger.", "No open actions.")}</p> }.into_any();
                            }
                            view! { <ul class="meeting-actions" data-testid="open-actions">{open.iter().map(|a| {
                                let late = a.is_overdue(today);
                                let due = a.fields.due.map(|d| format!(" · {} {}", l.pick("senest", "by"), d.format(l))).unwrap_or_default();
                                view! { <li data-overdue=late.to_string()>{format!("{}{due}", a.fields.what)}
                                    {late.then(|| view! { " " <span class="badge badge--warning">{tr("Overskredet", "Overdue")}</span> })}</li> }
                            }).collect_view()}</ul> }.into_any()
                        }}
                        <MinutesPart shown=shown item=AgendaItem::Actions/>
                        <DecisionForm meeting=meeting goals=goals staff=staff/>
                    </li>
                    <li class="card meeting-item" data-testid="agenda-item" data-item="deliveries">
                        <h3 class="meeting-item__title">{tr("Leveret siden sidste møde", "Delivered since the last meeting")}</h3>
                        {move || {
                            let l = lang.get();
                            let delivered = shown.with(|d| d.as_ref().map(|d| d.delivered.clone()).unwrap_or_default());
                            if delivered.is_empty() {
                                return view! { <p class="empty">{tr("Ingen besøg registreret.", "No visits logged.")}</p> }.into_any();
                            }
                            view! { <ul class="meeting-actions" data-testid="delivered">{delivered.into_iter().map(|(service, minutes)| view! {
                                <li>{format!("{service}: {} {}", minutes.format_hours(l), l.pick("timer", "hours"))}</li>
                            }).collect_view()}</ul> }.into_any()
                        }}
                        <MinutesPart shown=shown item=AgendaItem::Deliveries/>
                    </li>
                    <li class="card meeting-item" data-testid="agenda-item" data-item="other">
                        <h3 class="meeting-item__title">{tr("Eventuelt", "Any other business")}</h3>
                        <MinutesPart shown=shown item=AgendaItem::Other/>
                    </li>
                </ol>
            </Show>
        </section>
    }
}

/// Whether minutes are written at `m` now: held, or planned for today or
/// a day gone by.
fn takes_place(m: &MeetingDraft) -> bool {
    m.status == MeetingStatus::Held || (m.status == MeetingStatus::Planned && m.on <= today())
}

/// The meeting itself: day, status, who, and what can be done with it.
/// `meeting` as it changes (`None` while it is not on the phone); the
/// forms to change it or record it as held take it as it stood when they
/// were opened.
#[component]
fn MeetingHeader(
    meeting: Memo<Option<Shown<Meeting>>>,
    name: Signal<String>,
    staff: Memo<Vec<(UserId, String)>>,
) -> impl IntoView {
    let lang = use_lang();
    let editing = RwSignal::new(false);
    let holding = RwSignal::new(false);
    let staff_signal = Signal::derive(move || staff.get());
    // Cancelling is one tap, kept in the outbox like any other change.
    let cancel = move || {
        let Some(shown) = meeting.get_untracked() else { return };
        let fields = shown.row.fields;
        let meeting = MeetingDraft { status: MeetingStatus::Cancelled, ..fields.clone() };
        let base = Some(Base { row_version: shown.row.row_version, fields });
        leptos::task::spawn_local(async move {
            let _ = crate::data::act(MutationBody::MeetingSave { meeting, base }).await;
        });
    };
    let header = move || {
        let l = lang.get();
        let shown = meeting.get()?;
        let m = shown.row.fields.clone();
        let staff_now = staff.get();
        let invited: Vec<String> = m.participants.iter().map(|u| name_in(&staff_now, *u, l)).collect();
        let plan_href = format!("/citizens/{}/plan", m.citizen_id);
        Some(view! {
            <h1 class="page-title" id="meeting-title">
                {format!("{} {}", l.pick("Tværfagligt møde", "Cross-disciplinary meeting"), m.on.format(l))}
                <span class="page-title__sub">{name.get()}</span>
            </h1>
            <p class="plan-page__who"><a href=plan_href>{tr("Til borgerens plan", "To the citizen's plan")}</a></p>
            <div class="card plan-card" data-testid="meeting-card">
                <p data-testid="meeting-status">{status_line(&m, l)}
                    {(shown.state == RecordState::Waiting).then(|| view! { " " <span class="badge" data-testid="waiting">{tr("Venter på at blive sendt", "Waiting to be sent")}</span> })}
                </p>
                <p>{format!("{}: {}", l.pick("Tovholder", "Organiser"), name_in(&staff_now, m.organiser_id, l))}</p>
                <p>{format!("{}: {}", l.pick("Inviterede", "Invited"), if invited.is_empty() { "—".to_owned() } else { invited.join(", ") })}</p>
                {(m.status == MeetingStatus::Held).then(|| {
                    let present: Vec<String> = m.present.iter().map(|u| name_in(&staff_now, *u, l)).collect();
                    view! { <p data-testid="meeting-present">{format!("{}: {}", l.pick("Til stede", "Present"), present.join(", "))}</p> }
                })}
                {(!m.others.as_str().is_empty()).then(|| view! { <p>{format!("{}: {}", l.pick("Netværk", "Network"), m.others)}</p> })}
                <p>{if m.citizen_invited { l.pick("Borgeren er inviteret", "The citizen is invited") } else { l.pick("Borgeren er ikke inviteret", "The citizen is not invited") }}</p>
                {m.next_on.map(|n| view! { <p data-testid="meeting-next">{format!("{} {}", l.pick("Næste møde:", "Next meeting:"), n.format(l))}</p> })}
                {(m.status == MeetingStatus::Planned).then(|| view! {
                    <div class="visit-form__actions">
                        <button type="button" class="button" data-testid="edit-meeting" on:click=move |_| editing.set(true)>{tr("Ret mødet", "Change the meeting")}</button>
                        {(m.on <= today()).then(|| view! {
                            <button type="button" class="button button--primary" data-testid="hold-meeting" on:click=move |_| holding.set(true)>{tr("Registrér mødet som holdt", "Record the meeting as held")}</button>
                        })}
                        <button type="button" class="button button--quiet" data-testid="cancel-meeting" on:click=move |_| cancel()>{tr("Aflys mødet", "Cancel the meeting")}</button>
                    </div>
                })}
                {(m.status == MeetingStatus::Held).then(|| view! {
                    <div class="visit-form__actions">
                        <button type="button" class="button" data-testid="edit-held" on:click=move |_| holding.set(true)>{tr("Ret hvem der deltog og hvor længe", "Change who took part and for how long")}</button>
                    </div>
                })}
                {(!takes_place(&m)).then(|| view! {
                    <p class="field__hint" data-testid="minutes-later">{tr(
                        "Referatet skrives på mødedagen – under eller efter mødet.",
                        "The minutes are written on the day of the meeting – during or after it.",
                    )}</p>
                })}
            </div>
        })
    };
    view! {
        {header}
        <Show when=move || editing.get()>
            {meeting.get_untracked().map(|m| view! {
                <MeetingForm citizen=m.row.fields.citizen_id meeting=Some(m) staff=staff_signal close=move || editing.set(false)/>
            })}
        </Show>
        <Show when=move || holding.get()>
            {meeting.get_untracked().map(|m| view! { <HoldForm meeting=m staff=staff_signal close=move || holding.set(false)/> })}
        </Show>
    }
}

/// One agenda item's minutes: the entries written, and a field to add one
/// while the meeting takes place.
#[component]
fn MinutesPart(shown: Memo<Option<MeetingData>>, item: AgendaItem) -> impl IntoView {
    let lang = use_lang();
    let entries = Memo::new(move |_| {
        shown.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.minutes
                        .iter()
                        .filter(|x| x.fields.item == item)
                        .map(|e| {
                            (e.clone(), d.waiting_minutes.contains(&e.fields.id), name_in(&d.staff, e.by, lang.get()))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let open = Memo::new(move |_| shown.with(|d| d.as_ref().is_some_and(|d| takes_place(&d.meeting.row.fields))));
    let text = RwSignal::new(String::new());
    let form = Form::new();
    let save = outbox_save(form, move || text.set(String::new()));
    let key = match item {
        AgendaItem::Goal { goal_id } => format!("goal-{goal_id}"),
        AgendaItem::Actions => "actions".to_owned(),
        AgendaItem::Deliveries => "deliveries".to_owned(),
        AgendaItem::Other => "other".to_owned(),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(meeting) = shown.with_untracked(|d| d.as_ref().map(|d| d.meeting.row.fields.clone())) else { return };
        form.submit(save, move || {
            let minutes =
                read_minutes(MinutesId::from_uuid(Uuid::now_v7()), &meeting, item, &text.get_untracked(), today())?;
            Ok(MutationBody::MinutesAdd { minutes })
        });
    };
    view! {
        <Show when=move || entries.with(|e| !e.is_empty())>
            <ul class="meeting-minutes" data-testid="minutes">
                {move || entries.get().into_iter().map(|(e, waiting, who)| {
                    let l = lang.get();
                    let when = format!("{} {}", e.recorded_at.local_date().format(l), e.recorded_at.format_time(l));
                    view! {
                        <li class="meeting-minutes__entry" data-testid="minutes-entry">
                            <p class="meeting-minutes__text">{e.fields.text.to_string()}</p>
                            <p class="meeting-minutes__meta">{format!("{who} · {when}")}
                                {waiting.then(|| view! { " " <span class="badge" data-testid="waiting">{tr("Venter på at blive sendt", "Waiting to be sent")}</span> })}
                            </p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Show>
        <Show when=move || open.get()>
            <form class="plan-form" node_ref=form.node() on:submit=submit novalidate data-testid="minutes-form">
                <TextArea id=format!("minutes-{key}") label=tr("Referat", "Minutes") value=text error=form.error("text") rows=3
                    max_chars=shared::text::MinutesText::MAX_CHARS/>
                <FormFailure form=form/>
                <button type="submit" class="button" data-testid="save-minutes">{tr("Føj til referatet", "Add to the minutes")}</button>
            </form>
        </Show>
    }
}

/// A decision of the meeting: an action of the plan under one of its
/// goals, with its owner and due day, naming the meeting.
#[component]
fn DecisionForm(
    meeting: Memo<Option<Shown<Meeting>>>,
    goals: Memo<Vec<Goal>>,
    staff: Memo<Vec<(UserId, String)>>,
) -> impl IntoView {
    let lang = use_lang();
    let what = RwSignal::new(String::new());
    let goal = RwSignal::new(goals.with_untracked(|g| g.first().map(|g| g.fields.id.to_string()).unwrap_or_default()));
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let form = Form::new();
    let save = outbox_save(form, move || {
        what.set(String::new());
        owner.set(String::new());
        due.set(String::new());
        saved.set(true);
    });
    let goal_options = Signal::derive(move || {
        goals.with(|g| {
            g.iter().map(|g| (g.fields.id.to_string(), g.fields.citizen_wording.to_string())).collect::<Vec<_>>()
        })
    });
    let owner_options = Signal::derive(move || {
        let l = lang.get();
        std::iter::once((String::new(), l.pick("Vælg, hvem der gør det", "Choose who does it").to_owned()))
            .chain(staff.get().into_iter().map(|(u, n)| (format!("user:{u}"), n)))
            .chain(std::iter::once(("citizen".to_owned(), l.pick("Borgeren", "The citizen").to_owned())))
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(meeting) = meeting.with_untracked(|m| m.as_ref().map(|m| m.row.fields.clone())) else { return };
        saved.set(false);
        form.submit(save, move || {
            let chosen = match owner.get_untracked().as_str() {
                "citizen" => Some(Owner::Citizen),
                code => code.strip_prefix("user:").and_then(|u| u.parse().ok()).map(Owner::User),
            };
            let typed = crate::plan_input::ActionTyped {
                what: &what.get_untracked(),
                owner: chosen,
                due: &due.get_untracked(),
                status: ActionStatus::Open,
            };
            let Ok(goal_id) = goal.get_untracked().parse() else {
                return Err(vec![shared::ValidationError::new("goal_id", shared::Problem::Required)]);
            };
            // The due day is held to the meeting's day, not before it.
            let against = crate::plan_input::Against { stored: None, day: meeting.on };
            let mut action: ActionDraft = crate::plan_input::read_action(
                shared::ActionId::from_uuid(Uuid::now_v7()),
                goal_id,
                meeting.citizen_id,
                &typed,
                against,
            )?;
            action.meeting = Some(meeting.id);
            Ok(MutationBody::ActionSave { action, base: None })
        });
    };
    let shown = Memo::new(move |_| {
        meeting.with(|m| m.as_ref().is_some_and(|m| takes_place(&m.row.fields))) && goals.with(|g| !g.is_empty())
    });
    view! {
        <Show when=move || shown.get()>
            <form class="plan-form" node_ref=form.node() on:submit=submit novalidate data-testid="decision-form">
                <h4 class="meeting-item__title">{tr("Ny beslutning", "New decision")}</h4>
                <TextField id="decision-what" label=tr("Hvad er besluttet", "What was decided") input_type="text" value=what error=form.error("what") required=true max_chars=shared::text::ActionText::MAX_CHARS/>
                <SelectField id="decision-goal" label=tr("Under målet", "Under the goal") value=goal options=goal_options error=form.error("goal_id")/>
                <SelectField id="decision-owner" label=tr("Hvem gør det", "Who does it") value=owner options=owner_options error=form.error("owner")/>
                <TextField id="decision-due" label=tr("Senest (valgfri)", "By (optional)") input_type="date" value=due error=form.error("due")/>
                <FormFailure form=form/>
                <button type="submit" class="button button--primary" data-testid="save-decision">{tr("Gem som handling i planen", "Save as an action of the plan")}</button>
                <Show when=move || saved.get()>
                    <p class="plan-page__as-of" role="status" data-testid="decision-saved">{tr("Gemt som handling i planen.", "Saved as an action of the plan.")}</p>
                </Show>
            </form>
        </Show>
    }
}

/// Records the meeting as held, or changes that record: when it began and
/// how long it lasted, who took part (each gets the meeting counted once
/// as a meeting visit, issue 16), whether the citizen did, the next
/// meeting's day.
#[component]
fn HoldForm(
    meeting: Shown<Meeting>,
    staff: Signal<Vec<(UserId, String)>>,
    close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let m = meeting.row.fields.clone();
    let base = Base { row_version: meeting.row.row_version, fields: m.clone() };
    let held = m.status == MeetingStatus::Held;
    let present: RwSignal<Vec<UserId>> = RwSignal::new(if held { m.present.clone() } else { m.staff() });
    let took_part = RwSignal::new(if held { m.citizen_took_part } else { m.citizen_invited });
    let per_year = use_data()
        .view
        .with_untracked(|v| v.as_ref().map_or(shared::meeting::MEETINGS_PER_YEAR, |v| rhythm_of(v, m.citizen_id)));
    let next = RwSignal::new(
        if held { m.next_on } else { suggested_next(m.on, per_year) }.map(|d| d.to_string()).unwrap_or_default(),
    );
    let start = RwSignal::new(m.starts_at.map(hh_mm).unwrap_or_default());
    let duration = RwSignal::new(m.duration.map(|d| d.get().to_string()).unwrap_or_default());
    let form = Form::new();
    let save = outbox_save(form, close);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (m, base) = (m.clone(), base.clone());
        form.submit(save, move || {
            let present = present.get_untracked();
            let typed = HeldTyped {
                start: &start.get_untracked(),
                duration: &duration.get_untracked(),
                present: &present,
                citizen_took_part: took_part.get_untracked(),
                next_on: &next.get_untracked(),
            };
            let held = read_held(&m, &typed, today())?;
            Ok(MutationBody::MeetingSave { meeting: held, base: Some(base) })
        });
    };
    let present_error = form.error_under("present");
    let present_label = tr("Medarbejdere, der deltog", "Staff who took part");
    view! {
        <form class="plan-form" node_ref=form.node() on:submit=submit novalidate data-testid="hold-form">
            <TextField id="hold-start" label=tr("Klokkeslæt", "Time") input_type="time" value=start error=form.error("starts_at") required=true/>
            <TextField id="hold-duration" label=tr("Varighed (minutter)", "Duration (minutes)") input_type="number" value=duration error=form.error("duration") required=true/>
            <p class="field__hint" data-testid="hold-counted">{tr(
                "Mødet tælles som mødetid for hver medarbejder, der deltog – ingen skal registrere det selv.",
                "The meeting counts as meeting time for each staff member who took part – nobody logs it themselves.",
            )}</p>
            <fieldset class="field" aria-describedby="hold-present-error">
                <legend class="field__label">{present_label}</legend>
                {move || staff.get().into_iter().map(|(user, name)| {
                    let (checked, toggle) = member_of(present, user);
                    view! { <CheckBox id=format!("hold-present-{user}") checked=checked toggle=toggle>{name}</CheckBox> }
                }).collect_view()}
                <p class="field__error" id="hold-present-error">{move || present_error.get().map(|r| r.at(present_label()))}</p>
            </fieldset>
            <CheckBox id="hold-citizen" single=true checked=took_part toggle=Callback::new(move |v| took_part.set(v))>
                {tr("Borgeren deltog", "The citizen took part")}
            </CheckBox>
            <TextField id="hold-next" label=tr("Næste møde (valgfri)", "Next meeting (optional)") input_type="date" value=next error=form.error("next_on")/>
            <FormFailure form=form/>
            <div class="visit-form__actions">
                <button type="submit" class="button button--primary" data-testid="save-held">{tr("Gem som holdt", "Save as held")}</button>
                <button type="button" class="button" on:click=move |_| close()>{tr("Fortryd", "Cancel")}</button>
            </div>
        </form>
    }
}
