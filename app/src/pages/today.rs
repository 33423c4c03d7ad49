//! Today: the landing page. The running timer, anything the server
//! rejected, today's and this week's visits, and per citizen a big "start
//! visit", "log" and a two-tap no-show.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::charge::charge_options;
use shared::sync::MutationBody;
use shared::text::Note;
use shared::time::{IsoWeek, Period};
use shared::visit::{VisitDraft, VisitKind};
use shared::{CitizenId, Lang, Localized, Minutes, TimerId, Timestamp, VisitId};
use uuid::Uuid;

use crate::clock::now;
use crate::components::announcer::{Announcer, timer_announcement};
use crate::components::notice::Tap;
use crate::components::rejected::RejectedPanel;
use crate::components::visit_list::VisitList;
use crate::data::use_data;
use crate::error::AppError;
use crate::format;
use crate::i18n::{tr, use_lang};
use crate::notice;
use crate::state::{Session, use_session};

/// The minutes a no-show can be logged with in one tap.
const NO_SHOW_MINUTES: [u32; 4] = [15, 30, 45, 60];

/// A clock for the page that moves every 20 seconds (the elapsed time of a
/// running timer; the timer itself is a stored start, not this).
fn ticking_now() -> RwSignal<Timestamp> {
    let t = RwSignal::new(now());
    if let Ok(handle) = set_interval_with_handle(move || t.set(now()), std::time::Duration::from_secs(20)) {
        on_cleanup(move || handle.clear());
    }
    t
}

#[component]
pub fn TodayPage() -> impl IntoView {
    let data = use_data();
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let clock = ticking_now();
    let me = move || match session.get() {
        Session::LoggedIn(me) => Some(me),
        _ => None,
    };
    // Which citizen's no-show choices are open.
    let no_show_for = RwSignal::new(None::<CitizenId>);

    let today = move || clock.get().local_date();
    let heading = move || {
        let l = lang.get();
        format!("{} · {}", format::weekday_date(today(), l), format::week(today(), l))
    };

    let running = move || {
        let view = data.view.get()?;
        let me = me()?;
        let timer = view.running_timer(me.id)?.clone();
        let name = view.citizens.iter().find(|c| c.id == timer.citizen_id).map(|c| c.name.to_string());
        Some((timer, name.unwrap_or_else(|| "—".into())))
    };

    // The card is drawn again only when the timer changes, not on every
    // sync or tick (its button keeps focus).
    let timer_card = Memo::new(move |_| running());

    // "Stop and log" opens the form with the timer's times; the timer stops
    // when the visit is saved, so leaving the form loses nothing.
    let stop = {
        let navigate = navigate.clone();
        Callback::new(move |_: ()| {
            let Some((timer, _)) = running() else { return };
            navigate(
                &format!(
                    "/visits/new?citizen={}&start={}&end={}&timer={}",
                    timer.citizen_id,
                    timer.started_at.as_millis(),
                    now().as_millis(),
                    timer.id
                ),
                Default::default(),
            );
        })
    };

    let start_timer = Tap::new(
        Localized::new("Tidsuret kunne ikke startes på telefonen.", "The timer could not be started on the phone."),
        |citizen: &CitizenId| {
            let body = MutationBody::TimerStart {
                timer_id: TimerId::from_uuid(Uuid::now_v7()),
                citizen_id: *citizen,
                started_at: now(),
            };
            async move { crate::data::act(body).await.map(drop).map_err(AppError::from) }
        },
        |()| {},
    );
    // Closed only once it is saved: after a failure the two taps are still
    // there to try again.
    let save_no_show = Tap::new(
        Localized::new("Udeblivelsen blev ikke gemt på telefonen.", "The no-show was not saved on the phone."),
        |visit: &VisitDraft| {
            let body = MutationBody::VisitSave { visit: visit.clone(), base: None };
            async move { crate::data::act(body).await.map(drop).map_err(AppError::from) }
        },
        move |()| no_show_for.set(None),
    );

    // A no-show in two taps: the second says what it cost. With several
    // grants to choose from, the form asks instead.
    let log_no_show = {
        let navigate = navigate.clone();
        Callback::new(move |(citizen, minutes): (CitizenId, u32)| {
            let (Some(view), Some(me)) = (data.view.get_untracked(), me()) else { return };
            let end = now();
            let start = end.add_minutes(-i64::from(minutes));
            let options =
                charge_options(citizen, start.local_date(), &me.team_ids(), &view.grants, &view.drawing_rights);
            if options.len() > 1 {
                navigate(
                    &format!(
                        "/visits/new?citizen={citizen}&kind=no_show&start={}&end={}",
                        start.as_millis(),
                        end.as_millis()
                    ),
                    Default::default(),
                );
                return;
            }
            let note = Note::try_from("").expect("BUG: an empty note is valid");
            let draft = VisitDraft::new(
                VisitId::from_uuid(Uuid::now_v7()),
                citizen,
                VisitKind::NoShow,
                start,
                end,
                Minutes::ZERO,
                note,
                options.first().copied(),
            );
            match draft {
                Ok(visit) => save_no_show.run(visit),
                Err(e) => notice::report(
                    Localized::new("Udeblivelsen blev ikke gemt.", "The no-show was not saved."),
                    e.message(),
                ),
            }
        })
    };

    let lists = move || {
        let view = data.view.get()?;
        let me = me()?.id;
        let day = today();
        let week = IsoWeek::containing(day);
        // The user's own day: a lead's phone also holds their team's visits
        // (they show on the lead's pages, by worker).
        let own = view.visits.iter().filter(|v| v.visit.worker_id == me);
        let todays: Vec<_> = own.clone().filter(|v| v.visit.started_at().local_date() == day).cloned().collect();
        let rest_of_week: Vec<_> = own
            .filter(|v| week.contains(v.visit.started_at()) && v.visit.started_at().local_date() != day)
            .cloned()
            .collect();
        Some((todays, rest_of_week, view.citizens.clone()))
    };

    let my_citizens = move || {
        let view = data.view.get()?;
        let me = me()?;
        let day = today();
        let mine: Vec<_> = view
            .citizens
            .iter()
            .filter(|c| {
                view.assignments.iter().any(|a| a.user_id == me.id && a.citizen_id == c.id && a.period.contains(day))
            })
            .cloned()
            .collect();
        Some(mine)
    };

    // Memos: a sync that changes nothing here draws nothing again (a tap on
    // a redrawn button is lost, and focus with it).
    let lists = Memo::new(move |_| lists());
    let my_citizens = Memo::new(move |_| my_citizens());
    // The citizens the user coordinates (their own, or by a plan): a
    // coordinator visits none, and Today says where they are (issue 15's
    // walk: "no citizens" beside 19 in Borgere).
    // The citizens the user coordinates with a plan whose next
    // cross-disciplinary meeting is overdue, never planned or gone by
    // unrecorded (issue 16): name, plan page, what is wrong.
    let meetings_due = Memo::new(move |_| {
        let (Some(view), Some(me)) = (data.view.get(), me()) else { return Vec::new() };
        crate::pages::meeting::meetings_due(&view, crate::clock::now().local_date(), |c, plan| {
            shared::plan::coordinator(Some(plan), c.coordinator_id) == Some(me.id)
        })
    });
    // The citizens to call after a no-show (seed 003: "ringe til borgerne
    // ved udeblivelse"), until a call or another visit is logged.
    let calls_due = Memo::new(move |_| {
        let (Some(view), Some(me)) = (data.view.get(), me()) else { return Vec::new() };
        let visits: Vec<&shared::visit::Visit> = view.visits.iter().map(|v| &v.visit).collect();
        shared::visit::calls_due(&visits, me.id, crate::clock::now().local_date())
            .into_iter()
            .map(|(id, day)| {
                let name = view.citizens.iter().find(|c| c.id == id).map(|c| c.name.to_string());
                (id, name.unwrap_or_else(|| tr("(ukendt borger)", "(unknown citizen)")().to_owned()), day)
            })
            .collect::<Vec<_>>()
    });
    let coordinating = Memo::new(move |_| {
        let (Some(view), Some(me)) = (data.view.get(), me()) else { return 0 };
        view.citizens
            .iter()
            .filter(|c| {
                let plan = view.plans.iter().find(|p| p.row.fields.citizen_id == c.id).map(|p| &p.row.fields);
                shared::plan::coordinator(plan, c.coordinator_id) == Some(me.id)
            })
            .count()
    });

    view! {
        <section class="today" aria-labelledby="today-title">
            <h1 class="page-title" id="today-title">{tr("I dag", "Today")}<span class="page-title__sub">{heading}</span></h1>
            {move || view! { <crate::pages::meeting::MeetingsDue due=meetings_due.get()/> }}
            {move || {
                let due = calls_due.get();
                (!due.is_empty()).then(|| view! {
                    <section class="card today-meetings" aria-labelledby="calls-due-title" data-testid="calls-due">
                        <h2 class="section-title" id="calls-due-title">{tr("Ring op efter udeblivelse", "Call after a no-show")}</h2>
                        <ul class="citizen-actions">
                            {due.into_iter().map(|(id, name, day)| view! {
                                <li class="calls-due__item" data-testid="call-due">
                                    <p class="calls-due__who">
                                        <strong>{name}</strong>
                                        <span class="calls-due__when">{move || {
                                            let l = lang.get();
                                            format!("{} {}", l.pick("Udeblev", "Did not show"), day.format(l))
                                        }}</span>
                                    </p>
                                    <a class="button" href=format!("/visits/new?citizen={id}&kind=phone_video") data-testid="log-call">
                                        {tr("Registrér opkald", "Log the call")}
                                    </a>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            }}
            // Outcomes of the user's proposals to the committee (issue 16).
            <Show when=move || proposes(&session.get())>
                <crate::pages::committee::ReferralNews/>
            </Show>
            // Decision notices waiting to be read (issue 16).
            {move || {
                let session = session.get();
                let unread = data.view.with(|v| v.as_ref().map_or(0, |v| crate::pages::inbox::unread_count(v, &session)));
                (unread > 0).then(|| view! {
                    <p class="notice" data-testid="today-notices">
                        <a href="/inbox">{crate::pages::inbox::unread_text(unread, lang.get())}</a>
                        {move || if lang.get() == shared::Lang::Da { " om afgørelser i et andet område." } else { " about decisions in another area." }}
                    </p>
                })
            }}

            // The card is no live region (its elapsed time ticks); the
            // announcer says once that a timer started or stopped.
            <Announcer
                text=Signal::derive(move || {
                    let running = timer_card.get();
                    Some(timer_announcement(running.as_ref().map(|(t, name)| (name.as_str(), t.started_at)), lang.get()))
                })
                testid="timer-announcement"
            />
            {move || timer_card.get().map(|(timer, name)| {
                let since = timer.started_at.format_time(lang.get());
                let started_at = timer.started_at;
                let elapsed =
                    move || format::duration(Minutes::new(started_at.minutes_until(clock.get()).max(0) as u32), lang.get());
                view! {
                    <div class="timer-card" data-testid="running-timer">
                        <p class="timer-card__what">
                            {move || if lang.get() == Lang::Da { "Besøg i gang hos " } else { "Visit in progress with " }}
                            <strong>{name.clone()}</strong>
                        </p>
                        <p class="timer-card__since">
                            {move || if lang.get() == Lang::Da { "Startet " } else { "Started " }}{since.clone()}
                            " · "<span data-testid="timer-elapsed">{elapsed}</span>
                        </p>
                        <button type="button" class="button button--primary button--wide" on:click=move |_| stop.run(()) disabled=move || start_timer.busy().get() data-testid="stop-timer">
                            {tr("Stop og registrér", "Stop and log")}
                        </button>
                    </div>
                }
            })}

            <RejectedPanel/>

            {move || lists.get().map(|(todays, rest, citizens)| {
                let l = lang.get();
                let week_name = format::week(today(), l);
                let empty_today = todays.is_empty();
                let empty_rest = rest.is_empty();
                view! {
                    <section class="today__section" aria-labelledby="today-visits">
                        <h2 class="section-title" id="today-visits">{tr("Dagens besøg", "Today's visits")}</h2>
                        {if empty_today {
                            view! { <p class="empty">{tr("Ingen besøg registreret i dag.", "No visits logged today.")}</p> }.into_any()
                        } else {
                            view! { <VisitList visits=todays citizens=citizens.clone()/> }.into_any()
                        }}
                    </section>
                    <section class="today__section" aria-labelledby="week-visits">
                        <h2 class="section-title" id="week-visits">
                            {move || if lang.get() == Lang::Da { "Resten af " } else { "Rest of " }}{week_name}
                        </h2>
                        {if empty_rest {
                            view! { <p class="empty">{tr("Ingen andre besøg i ugen.", "No other visits this week.")}</p> }.into_any()
                        } else {
                            view! { <VisitList visits=rest citizens=citizens with_date=true/> }.into_any()
                        }}
                    </section>
                }
            })}

            <section class="today__section" aria-labelledby="today-citizens">
                <h2 class="section-title" id="today-citizens">{tr("Mine borgere", "My citizens")}</h2>
                {move || match my_citizens.get() {
                    None => view! { <p class="empty" role="status">{tr("Henter dine borgere …", "Fetching your citizens …")}</p> }.into_any(),
                    // A coordinator's Today leads with the citizens they
                    // coordinate, not with what they do not have (issue
                    // 15's walk: it opened on "ingen borgere").
                    Some(list) if list.is_empty() => (move || match coordinating.get() {
                        0 => view! {
                            <p class="empty">{tr("Du har ingen borgere tilknyttet til besøg i dag.", "No citizens are assigned to you for visits today.")}</p>
                        }.into_any(),
                        n => view! {
                            <p data-testid="today-coordinating">
                                <a href="/citizens">{match lang.get() {
                                    Lang::Da => format!("Du er koordinerende sagsbehandler for {n} borger{}", if n == 1 { "" } else { "e" }),
                                    Lang::En => format!("You are the coordinating case worker of {n} citizen{}", if n == 1 { "" } else { "s" }),
                                }}</a>
                            </p>
                            <p class="field__hint">{tr("Du har ingen borgere tilknyttet til besøg.", "No citizens are assigned to you for visits.")}</p>
                        }.into_any(),
                    }).into_any(),
                    Some(list) => {
                        let timer_running = running().is_some();
                        view! {
                            <ul class="citizen-actions" data-testid="today-citizens">
                                {list.into_iter().map(|c| {
                                    let id = c.id;
                                    let name = c.name.to_string();
                                    let label_name = StoredValue::new(name.clone());
                                    view! {
                                        <li class="citizen-actions__item" data-testid="today-citizen">
                                            <a class="citizen-actions__name" href=format!("/citizens/{id}")>{name.clone()}</a>
                                            <div class="citizen-actions__buttons">
                                                <button
                                                    type="button"
                                                    class="button button--primary"
                                                    disabled=move || timer_running || start_timer.busy().get()
                                                    title=move || timer_running.then(|| tr("Stop det igangværende besøg først", "Stop the visit in progress first")())
                                                    on:click=move |_| start_timer.run(id)
                                                    data-testid="start-visit"
                                                >
                                                    {tr("Start besøg", "Start visit")}
                                                </button>
                                                <a class="button" href=format!("/visits/new?citizen={id}") data-testid="log-visit">
                                                    {tr("Registrér", "Log")}
                                                </a>
                                                <button
                                                    type="button"
                                                    class="button"
                                                    aria-expanded=move || (no_show_for.get() == Some(id)).to_string()
                                                    on:click=move |_| no_show_for.update(|o| *o = if *o == Some(id) { None } else { Some(id) })
                                                    data-testid="no-show"
                                                >
                                                    {tr("Udeblevet", "No-show")}
                                                </button>
                                            </div>
                                            <Show when=move || no_show_for.get() == Some(id)>
                                                <div class="no-show" role="group" aria-label=move || {
                                                    let name = label_name.get_value();
                                                    if lang.get() == Lang::Da { format!("Udeblivelse hos {name}: hvor lang tid kostede det?") } else { format!("No-show with {name}: how long did it take?") }
                                                }>
                                                    <p class="no-show__question">{tr("Hvor lang tid kostede det?", "How long did it take?")}</p>
                                                    {NO_SHOW_MINUTES.into_iter().map(|m| view! {
                                                        <button type="button" class="button" on:click=move |_| log_no_show.run((id, m)) data-testid="no-show-minutes">
                                                            {format!("{m} min")}
                                                        </button>
                                                    }).collect_view()}
                                                </div>
                                            </Show>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
            </section>
        </section>
    }
}

/// Whether the user proposes citizens to the committee (and so hears of
/// the outcomes): a worker, mentor or coordinator.
fn proposes(session: &crate::state::Session) -> bool {
    use shared::user::Role;
    matches!(session, crate::state::Session::LoggedIn(me)
        if [Role::Worker, Role::Mentor, Role::Coordinator].into_iter().any(|r| me.has_role(r)))
}
