//! One citizen: who they are, this period's granted, delivered and remaining
//! minutes per grant (as of the last sync, with that time shown), and the
//! recent visits.
//!
//! For leads and admins, every grant of the citizen with a way to change it,
//! and a new one.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::charge::charge_options;
use shared::grant::{AllowanceUnit, Grant};
use shared::usage::grant_usage;
use shared::{CitizenId, Lang, ShownHours, Timestamp};

use crate::components::visit_list::VisitList;
use crate::data::use_data;
use crate::format;
use crate::i18n::{tr, use_lang};
use crate::pages::grant_form::may_write_grants;
use crate::state::{Session, use_session};

/// How many visits the page lists.
const RECENT: usize = 10;

#[component]
pub fn CitizenPage() -> impl IntoView {
    let data = use_data();
    let lang = use_lang();
    let session = use_session();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<CitizenId>().ok());
    // The catalogue, for the name of the offer a grant is for.
    let catalogue = crate::pages::offers::catalogue();
    let offer_name = move |offer: Option<shared::OfferId>| {
        let offer = offer?;
        catalogue.with(|c| {
            c.as_ref().and_then(|c| c.as_ref().ok()).and_then(|(c, _)| c.offer(offer)).map(|o| o.input.name.to_string())
        })
    };

    let page = move || {
        let view = data.view.get()?;
        let id = id()?;
        let citizen = view.citizens.iter().find(|c| c.id == id)?.clone();
        let teams: Vec<_> = match session.get() {
            Session::LoggedIn(me) => me.team_ids(),
            _ => Vec::new(),
        };
        let today = Timestamp::from_millis(js_sys::Date::now() as i64).local_date();
        let visits: Vec<_> = view.visits.iter().filter(|v| v.visit.citizen_id == id).cloned().collect();
        let all_visits: Vec<_> = visits.iter().map(|v| v.visit.clone()).collect();
        let mut grants: Vec<_> =
            view.grants.iter().filter(|g| g.citizen_id == id && g.period.contains(today)).cloned().collect();
        grants.sort_by_key(|g| g.service as u8);
        let usages: Vec<_> = grants
            .into_iter()
            .map(|g| {
                // The grant is charged to itself, or drawn on a pool.
                let charge = charge_options(id, today, &teams, std::slice::from_ref(&g), &view.drawing_rights)
                    .first()
                    .copied()
                    .unwrap_or(shared::visit::ChargeTo::Grant(g.id));
                let usage = grant_usage(&g, charge, &all_visits, today);
                let pool = match charge {
                    shared::visit::ChargeTo::DrawingRight(p) => {
                        view.drawing_rights.iter().find(|d| d.id == p).map(|d| d.name.to_string())
                    }
                    shared::visit::ChargeTo::Grant(_) => None,
                };
                (g, usage, pool)
            })
            .collect();
        let recent: Vec<_> = visits.into_iter().take(RECENT).collect();
        let mut all_grants: Vec<_> = view.grants.iter().filter(|g| g.citizen_id == id).cloned().collect();
        all_grants.sort_by(|a, b| b.period.from().cmp(&a.period.from()).then(a.id.cmp(&b.id)));
        // A handover that brought the citizen to this worker (issue 14):
        // from whom, from when, and the note.
        let me = match session.get() {
            Session::LoggedIn(me) => Some(me.id),
            _ => None,
        };
        let handovers: Vec<(String, shared::Date, String)> = view
            .assignments
            .iter()
            .filter(|a| a.citizen_id == id && Some(a.user_id) == me && a.period.to().is_none_or(|to| to >= today))
            .filter_map(|a| a.handover.as_ref().map(|h| (h.from_name.clone(), a.period.from(), h.note.to_string())))
            .collect();
        // A handover away from this worker: the citizen stays theirs to the
        // day it takes effect (what they log then still syncs); to whom, by
        // name (the assignment carries it).
        let handed_away: Option<(shared::Date, Option<String>)> = view
            .assignments
            .iter()
            .filter(|a| a.citizen_id == id && a.handover.as_ref().is_some_and(|h| Some(h.from) == me))
            .filter(|a| a.period.from() >= today)
            .min_by_key(|a| a.period.from())
            .map(|a| (a.period.from(), a.user_name.clone()));
        let handovers = (handovers, handed_away);
        // Who made the visits listed: the staff the phone knows by name.
        let staff = crate::overlay::staff_of(&view, &citizen, None, None);
        Some((citizen, usages, recent, view.synced_at, view.citizens.clone(), all_grants, today, handovers, staff))
    };

    view! {
        {move || match page() {
            None => view! {
                <section class="citizen-page">
                    <h1 class="page-title">{tr("Borger", "Citizen")}</h1>
                    <p class="notice" role="status">
                        {tr("Borgeren er ikke på telefonen – måske ikke tilknyttet dig længere.", "The citizen is not on the phone – perhaps no longer assigned to you.")}
                    </p>
                    <a class="button" href="/citizens">{tr("Til mine borgere", "To my citizens")}</a>
                </section>
            }.into_any(),
            Some((citizen, usages, recent, synced_at, citizens, all_grants, today, handovers, staff)) => {
                let l = lang.get();
                let year = js_sys::Date::new_0().get_full_year() as i32;
                let age = citizen.birth_year.age_in(year);
                let id = citizen.id;
                let as_of = synced_at.map(|t| format!("{} {}", t.local_date().format(l), t.format_time(l)));
                let no_grants = usages.is_empty();
                let no_visits = recent.is_empty();
                view! {
                    <section class="citizen-page" aria-labelledby="citizen-title">
                        <h1 class="page-title" id="citizen-title" data-testid="citizen-name">{citizen.name.to_string()}</h1>
                        <p class="citizen-page__facts">
                            {if l == Lang::Da { format!("{age} år") } else { format!("age {age}") }}
                            " · "{citizen.layer_label(l).to_owned()}" · "{citizen.benefit_type.label(l)}
                        </p>
                        {handovers.1.map(|(on, to)| view! {
                            <div class="card handover-note" data-testid="handed-away">
                                <p class="handover-note__title">{
                                    let to = to.unwrap_or_else(|| l.pick("en kollega", "a colleague").to_owned());
                                    match l {
                                        Lang::Da => format!("Borgeren er overdraget til {to} pr. {}. Du har borgeren til og med den dag.", on.format(l)),
                                        Lang::En => format!("The citizen is handed over to {to} as of {}. The citizen is yours until and including that day.", on.format(l)),
                                    }
                                }</p>
                            </div>
                        })}
                        {handovers.0.into_iter().map(|(from, on, note)| view! {
                            <div class="card handover-note" data-testid="handover-note">
                                <p class="handover-note__title">{match l {
                                    Lang::Da => format!("Overdraget til dig fra {from} pr. {}", on.format(l)),
                                    Lang::En => format!("Handed over to you by {from} as of {}", on.format(l)),
                                }}</p>
                                {(!note.is_empty()).then(|| view! { <p class="handover-note__text">{note}</p> })}
                            </div>
                        }).collect_view()}
                        <div class="citizen-page__actions">
                            <a class="button button--primary" href=format!("/visits/new?citizen={id}")>{tr("Registrér besøg", "Log a visit")}</a>
                            <a class="button" href=crate::pages::plan::plan_href(id) data-testid="open-plan">{tr("Borgerens plan", "The citizen's plan")}</a>
                        </div>
                        <section aria-labelledby="grants-title">
                            <h2 class="section-title" id="grants-title">{tr("Bevillinger i denne periode", "Grants this period")}</h2>
                            <p class="citizen-page__as-of" data-testid="as-of">
                                {match (as_of, l) {
                                    (Some(t), Lang::Da) => format!("Efter seneste synkronisering {t}"),
                                    (Some(t), Lang::En) => format!("As of the last sync {t}"),
                                    (None, Lang::Da) => "Ikke synkroniseret endnu".to_owned(),
                                    (None, Lang::En) => "Not synced yet".to_owned(),
                                }}
                            </p>
                            {if no_grants {
                                view! { <p class="empty">{tr("Ingen gældende bevillinger.", "No grants in force.")}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="grant-list">
                                        {usages.into_iter().map(|(g, u, pool)| {
                                            let period = match (g.allowance.per(), l) {
                                                (AllowanceUnit::Week, _) => format::week(u.first_day, l),
                                                (AllowanceUnit::Month, _) => format!("{}–{}", u.first_day.format(l), u.last_day.format(l)),
                                            };
                                            let pct = u.percent_used();
                                            let over = u.over().get() > 0;
                                            // What is left is the difference of the figures shown
                                            // beside it (issue 12, kind 8).
                                            let (granted, delivered) = (ShownHours::of(u.granted), ShownHours::of(u.delivered));
                                            let left = if over { delivered - granted } else { granted - delivered };
                                            view! {
                                                <li class="grant-card" data-testid="grant" data-over=over.to_string()>
                                                    <p class="grant-card__what">{g.service.label(l)}" · "{g.legal_basis.to_string()}</p>
                                                    <p class="grant-card__period">{period}{pool.map(|p| format!(" · {p}"))}</p>
                                                    {offer_name(g.offer_id).map(|o| view! {
                                                        <p class="grant-card__period" data-testid="grant-offer">{format!("{}: {o}", l.pick("Tilbud", "Offer"))}</p>
                                                    })}
                                                    <dl class="grant-card__figures">
                                                        <div><dt>{tr("Bevilget", "Granted")}</dt><dd data-testid="granted">{format::hours(u.granted, l)}</dd></div>
                                                        <div><dt>{tr("Leveret", "Delivered")}</dt><dd data-testid="delivered">{format::hours(u.delivered, l)}</dd></div>
                                                        <div><dt>{if over { tr("Overskredet", "Over")() } else { tr("Tilbage", "Remaining")() }}</dt>
                                                            <dd data-testid="remaining">{format::shown_hours(left, l)}</dd></div>
                                                    </dl>
                                                    <meter class="meter" min="0" max=u.granted.get().to_string() value=u.delivered.get().to_string()
                                                        aria-label=if l == Lang::Da { format!("{pct} % brugt") } else { format!("{pct}% used") }>
                                                        {format!("{pct} %")}
                                                    </meter>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <Show when=move || may_write_grants(&session.get())>
                            <GrantAdmin citizen=id grants=all_grants.clone() today=today/>
                        </Show>
                        <crate::pages::committee::CitizenReferrals citizen=id/>
                        <crate::pages::forum::CitizenForumCases citizen=id/>
                        <Show when=move || crate::pages::courses::follows_courses(&session.get())>
                            <crate::pages::courses::CitizenCourses citizen=id/>
                        </Show>
                        <section aria-labelledby="recent-title">
                            <h2 class="section-title" id="recent-title">{tr("Seneste besøg", "Recent visits")}</h2>
                            {if no_visits {
                                view! { <p class="empty">{tr("Ingen besøg endnu.", "No visits yet.")}</p> }.into_any()
                            } else {
                                view! { <VisitList visits=recent citizens=citizens with_date=true workers=staff.clone()/> }.into_any()
                            }}
                        </section>
                    </section>
                }.into_any()
            }
        }}
    }
}

/// Every grant of the citizen, past, current and coming, to change or end,
/// and a new one (leads and admins).
#[component]
fn GrantAdmin(citizen: CitizenId, grants: Vec<Grant>, today: shared::Date) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-labelledby="all-grants-title" class="grant-admin">
            <h2 class="section-title" id="all-grants-title">{tr("Alle bevillinger", "All grants")}</h2>
            {if grants.is_empty() {
                view! { <p class="empty">{tr("Ingen bevillinger.", "No grants.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="grant-admin__list">
                        {grants.into_iter().map(|g| {
                            let l = lang.get();
                            let state = if g.period.to().is_some_and(|to| to < today) {
                                tr("Afsluttet", "Ended")()
                            } else if g.period.from() > today {
                                tr("Kommende", "Coming")()
                            } else {
                                tr("Gældende", "In force")()
                            };
                            let per = match (g.allowance.per(), l) {
                                (AllowanceUnit::Week, Lang::Da) => "uge",
                                (AllowanceUnit::Week, Lang::En) => "week",
                                (AllowanceUnit::Month, Lang::Da) => "måned",
                                (AllowanceUnit::Month, Lang::En) => "month",
                            };
                            let period = match (g.period.to(), l) {
                                (Some(to), _) => format!("{}–{}", g.period.from().format(l), to.format(l)),
                                (None, Lang::Da) => format!("fra {}", g.period.from().format(l)),
                                (None, Lang::En) => format!("from {}", g.period.from().format(l)),
                            };
                            view! {
                                <li class="grant-admin__item" data-testid="grant-admin-item">
                                    <div>
                                        <p class="grant-admin__what">{g.service.label(l)}" · "{format::hours(g.allowance.minutes(), l)}" / "{per}</p>
                                        <p class="grant-admin__period">{period}" · "{g.legal_basis.to_string()}" · "<span class="badge">{state}</span></p>
                                    </div>
                                    <a class="button button--quiet" href=format!("/citizens/{citizen}/grants/{}", g.id)
                                        aria-label=format!("{} {}", tr("Ret", "Change")(), g.service.label(l))>{tr("Ret", "Change")}</a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <a class="button" href=format!("/citizens/{citizen}/grants/new") data-testid="new-grant">{tr("Ny bevilling", "New grant")}</a>
        </section>
    }
}
