//! The team lead's overview: for a team and a month, the drawing rights and
//! grants at risk, the workers' load, caseloads, visits charged to nothing,
//! and the month's approval. Fetched online and kept on the phone, so it
//! reads offline as of its time.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::report::{ApprovalAction, ApproveRequest, GrantLine, PoolLine, ReopenRequest, TeamReport};
use shared::text::{Note, PersonName};
use shared::time::{Month, Period};
use shared::usage::Level;
use shared::{Lang, Problem, ShownHours, TeamId, ValidationError};

use crate::api;
use crate::components::charts::{BurnDown, UsageBar, level_code};
use crate::components::conflicts_link::ConflictsLink;
use crate::components::form::{Form, FormFailure};
use crate::components::loaded::{LoadFailure, Loading, RefreshWhenOnline};
use crate::components::team_select::{TeamSelect, org_for_team};
use crate::data::{self, fetch_or_cached};
use crate::error::AppError;
use crate::format;
use crate::i18n::{tr, use_lang};
use crate::state::use_online;

/// "12,5 t" / "12.5 h": hours for dense figures.
fn h(m: i64, lang: Lang) -> String {
    hs(ShownHours::of_signed(m), lang)
}

/// Hours as shown, for a figure computed from other shown figures (a
/// balance beside what it is the difference of: issue 12, kind 8).
fn hs(x: ShownHours, lang: Lang) -> String {
    let text = x.format(lang);
    if lang == Lang::Da { format!("{text} t") } else { format!("{text} h") }
}

fn permille(p: Option<u32>, lang: Lang) -> String {
    match p {
        None => "–".to_owned(),
        Some(p) => {
            let sep = if lang == Lang::Da { ',' } else { '.' };
            format!("{}{sep}{} %", p / 10, p % 10)
        }
    }
}

fn level_text(level: Level, lang: Lang) -> &'static str {
    match (level, lang) {
        (Level::Ok, Lang::Da) => "I orden",
        (Level::Ok, Lang::En) => "On track",
        (Level::Warning, Lang::Da) => "Over 80 % brugt",
        (Level::Warning, Lang::En) => "Over 80% used",
        (Level::Exhausted, Lang::Da) => "Opbrugt",
        (Level::Exhausted, Lang::En) => "Used up",
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Load {
    Ready { report: Box<TeamReport>, cached: bool },
    Failed(AppError),
}

#[component]
pub fn LeadPage() -> impl IntoView {
    let lang = use_lang();
    let online = use_online();
    let query = use_query_map();
    let months = crate::clock::recent_months();
    let team = RwSignal::new(query.read_untracked().get("team").and_then(|t| t.parse::<TeamId>().ok()));
    let month =
        RwSignal::new(query.read_untracked().get("month").and_then(|m| Month::try_from(m).ok()).unwrap_or(months[0]));
    let reload = RwSignal::new(0u32);
    let (org_load, org, org_error) = org_for_team(team);

    // The newest choice wins: a resource applies only the answer to the
    // latest (team, month), however the answers arrive (issue 12, kind 14);
    // each answer carries the choice it is for, so an older one is never
    // shown under a newer heading while the newer one loads.
    let report = LocalResource::new(move || {
        reload.track();
        let chosen = team.get().map(|t| (t, month.get()));
        async move {
            let (team, month) = chosen?;
            let name = format!("report:{team}:{month}");
            let load = match fetch_or_cached(&name, api::team_report(team, month)).await {
                Ok((report, cached)) => {
                    data::remember_names(&report.names).await;
                    Load::Ready { report: Box::new(report), cached }
                }
                Err(e) => Load::Failed(e),
            };
            Some(((team, month), load))
        }
    });
    let load = move || {
        let chosen = team.get().map(|t| (t, month.get()));
        report.get().flatten().filter(|(key, _)| Some(*key) == chosen).map(|(_, load)| load)
    };

    let months_for_select = months.clone();
    view! {
        <section class="lead-page" aria-labelledby="lead-title">
            <h1 class="page-title" id="lead-title">{tr("Overblik", "Overview")}</h1>
            <div class="lead-page__filters">
                <TeamSelect org=org team=team/>
                <label class="field">
                    <span class="field__label">{tr("Måned", "Month")}</span>
                    <select class="field__input" data-testid="month-select"
                        on:change=move |ev| if let Ok(m) = Month::try_from(event_target_value(&ev)) { month.set(m) }>
                        {move || months_for_select.iter().map(|m| {
                            let m = *m;
                            view! { <option value=m.to_string() selected=move || month.get() == m>{move || format::month_label(m, lang.get())}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <a class="button" href=move || format!("/lead/statement?month={}", month.get())>{tr("Opgørelser", "Statements")}</a>
                <a class="button" href="/committee" data-testid="to-committee">{tr("Udvalget", "The committee")}</a>
                <a class="button" href="/forum" data-testid="to-forum">{tr("Sparringsforum", "Sparring forum")}</a>
                <ConflictsLink team=team/>
            </div>
            {move || org_error.get().map(|e| view! { <LoadFailure error=e retry=Callback::new(move |()| org_load.refetch())/> })}

            // The report writes its words once: a change of language draws it again.
            {move || match (lang.track(), load()).1 {
                None if team.get().is_none() => ().into_any(),
                None => view! { <Loading what=("overblikket", "the overview")/> }.into_any(),
                Some(Load::Failed(e)) => view! {
                    <LoadFailure error=e retry=Callback::new(move |()| reload.update(|n| *n += 1))/>
                }.into_any(),
                Some(Load::Ready { report, cached }) => view! {
                    <Report report=*report cached=cached online=online reload=reload/>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Report(report: TeamReport, cached: bool, online: RwSignal<bool>, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let l = lang.get_untracked();
    let generated = format!("{} {}", report.generated_at.local_date().format(l), report.generated_at.format_time(l));
    let team = report.team.id;
    let month = report.month;
    let names = report.names.clone();
    let name = move |id: &uuid::Uuid| names.get(id).map_or_else(|| "?".to_owned(), |n| n.to_string());
    let at_risk: Vec<GrantLine> = report.grants.iter().filter(|g| g.usage.level() != Level::Ok).cloned().collect();
    let other_grants: Vec<GrantLine> = report.grants.iter().filter(|g| g.usage.level() == Level::Ok).cloned().collect();
    let name_for_grants = name.clone();
    let names_for_pools = report.names.clone();
    let name_for_workers = name.clone();
    let name_for_loose = name.clone();
    let grant_row = move |g: GrantLine| {
        let l = lang.get_untracked();
        let u = g.usage;
        let label = format!(
            "{}: {} / {}",
            g.grant.service.label(l),
            h(u.delivered.get().into(), l),
            h(u.granted.get().into(), l)
        );
        view! {
            <li class="lead-grant" data-testid="lead-grant" data-level=level_code(u.level())>
                <a class="lead-grant__who" href=format!("/citizens/{}", g.citizen_id)>{name_for_grants(g.citizen_id.as_uuid())}</a>
                <span class="lead-grant__what">{g.grant.service.label(l)}" · "{g.grant.legal_basis.to_string()}</span>
                <span class="lead-grant__figures">{format!("{} / {} ({} %)", h(u.delivered.get().into(), l), h(u.granted.get().into(), l), u.percent_used())}</span>
                <UsageBar used=u.delivered.get().into() available=u.granted.get().into() level=u.level() label=label/>
            </li>
        }
    };
    let grant_row2 = grant_row.clone();
    let no_risk = at_risk.is_empty();
    let no_grants = other_grants.is_empty();
    let pools = report.pools.clone();
    let workers = report.workers.clone();
    let caseloads = report.caseloads.clone();
    let unattributed = report.unattributed.clone();
    let approval = report.approval.clone();
    let late_notices = report.late_notices.clone();
    // The team's citizens whose next meeting asks for action (issue 16).
    let meetings_due: Vec<_> = report
        .meetings_due
        .iter()
        .map(|m| (m.citizen_id, report.name_of(m.citizen_id.as_uuid()).to_owned(), m.next))
        .collect();
    let name_for_notices = name.clone();
    let as_of = report.generated_at.local_date();

    view! {
        {cached.then(|| view! { <RefreshWhenOnline retry=Callback::new(move |()| reload.update(|n| *n += 1))/> })}
        <p class="lead-page__as-of" data-testid="report-as-of" data-cached=cached.to_string()>
            {move || match (cached, lang.get()) {
                (true, Lang::Da) => format!("Uden forbindelse – viser overblikket fra {generated}"),
                (true, Lang::En) => format!("Offline – showing the overview from {generated}"),
                (false, Lang::Da) => format!("Opdateret {generated}"),
                (false, Lang::En) => format!("Updated {generated}"),
            }}
        </p>
        <ApprovalCard approval=approval team=team month=month online=online reload=reload/>
        <crate::pages::meeting::MeetingsDue due=meetings_due/>
        {(!late_notices.is_empty()).then(|| view! {
            <section aria-labelledby="late-notices-title" class="lead-section">
                <h2 class="section-title" id="late-notices-title">{tr("Afgørelsesbeskeder, der ikke er læst", "Decision notices not read")}</h2>
                <p class="notice">{tr(
                    "Beskeder om afgørelser om bostøtte – jeres egne eller sendt til jeres område – som modtageren ikke har læst efter 5 arbejdsdage.",
                    "Notices of decisions on housing support – your team's, or sent to your area – that their recipient has not read after 5 working days.",
                )}</p>
                <ul class="lead-grants" data-testid="late-notices">
                    {late_notices.into_iter().map(|n| {
                        let l = lang.get_untracked();
                        let days = n.waiting_working_days(as_of);
                        let who = name_for_notices(n.recipient_id.as_uuid());
                        let waiting = match l {
                            Lang::Da => format!("Til {who} ({}) · ulæst i {days} arbejdsdage", n.area_name),
                            Lang::En => format!("To {who} ({}) · unread for {days} working days", n.area_name),
                        };
                        view! {
                            <li class="lead-grant" data-testid="late-notice">
                                <a class="lead-grant__who" href=format!("/citizens/{}", n.citizen_id)>{n.citizen_name.clone()}</a>
                                <span class="lead-grant__what">{n.summary(l)}</span>
                                <span class="lead-grant__figures">{waiting}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="pools-title" class="lead-section">
            <h2 class="section-title" id="pools-title">{tr("Trækningsretter", "Drawing rights")}</h2>
            {if pools.is_empty() {
                view! { <p class="empty">{tr("Teamet har ingen trækningsretter.", "The team has no drawing rights.")}</p> }.into_any()
            } else {
                view! { <div class="lead-cards">{pools.into_iter().map(|p| pool_card(p, lang.get_untracked(), &names_for_pools)).collect_view()}</div> }.into_any()
            }}
        </section>
        <section aria-labelledby="risk-title" class="lead-section">
            <h2 class="section-title" id="risk-title">{tr("Bevillinger i risiko", "Grants at risk")}</h2>
            {if no_risk {
                view! { <p class="empty">{tr("Ingen bevillinger er over 80 % brugt.", "No grant is over 80% used.")}</p> }.into_any()
            } else {
                view! { <ul class="lead-grants">{at_risk.into_iter().map(grant_row).collect_view()}</ul> }.into_any()
            }}
            <details class="lead-more disclosure">
                <summary>{tr("Øvrige bevillinger", "Other grants")}</summary>
                {if no_grants {
                    view! { <p class="empty">{tr("Ingen.", "None.")}</p> }.into_any()
                } else {
                    view! { <ul class="lead-grants">{other_grants.into_iter().map(grant_row2).collect_view()}</ul> }.into_any()
                }}
            </details>
        </section>
        <section aria-labelledby="workers-title" class="lead-section">
            <h2 class="section-title" id="workers-title">{tr("Medarbejdere", "Workers")}</h2>
            <div class="table-wrap" role="region" tabindex="0" aria-labelledby="workers-title">
                <table class="lead-table" data-testid="workers">
                    <thead><tr>
                        <th scope="col">{tr("Navn", "Name")}</th>
                        <th scope="col">{tr("Besøg", "Visits")}</th>
                        <th scope="col">{tr("Timer", "Hours")}</th>
                        <th scope="col"><abbr title=move || if lang.get() == Lang::Da { "Ansigt-til-ansigt-tid" } else { "Face-to-face time" }>"ATA"</abbr></th>
                        <th scope="col">{tr("Udeblivelser", "No-shows")}</th>
                        <th scope="col">{tr("Borgere", "Citizens")}</th>
                    </tr></thead>
                    <tbody>
                        {workers.into_iter().map(|w| {
                            let l = lang.get_untracked();
                            let id = w.load.worker_id;
                            view! {
                                <tr data-testid="worker-row">
                                    <th scope="row"><a href=format!("/lead/workers/{id}?month={month}")>{name_for_workers(id.as_uuid())}</a></th>
                                    <td>{w.load.visits}</td>
                                    <td>{hs(w.load.shown_total(), l)}</td>
                                    <td>{permille(w.load.ata_permille(), l)}</td>
                                    <td>{format!("{} ({})", w.load.no_shows, permille(w.load.no_show_permille(), l))}</td>
                                    <td>{w.citizens}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        {(!caseloads.is_empty()).then(|| view! {
            <section aria-labelledby="caseload-title" class="lead-section">
                <h2 class="section-title" id="caseload-title">{tr("Sagsstammer", "Caseloads")}</h2>
                <ul class="lead-grants">
                    {caseloads.into_iter().map(|c| {
                        let l = lang.get_untracked();
                        let level = if c.over_norm() { Level::Exhausted } else { Level::of(c.cases.into(), c.norm.into()) };
                        let text = if l == Lang::Da { format!("{} sager (norm {})", c.cases, c.norm) } else { format!("{} cases (norm {})", c.cases, c.norm) };
                        view! {
                            <li class="lead-grant" data-level=level_code(level)>
                                <span class="lead-grant__who">{name(c.user_id.as_uuid())}</span>
                                <span class="lead-grant__figures">{text.clone()}</span>
                                <UsageBar used=c.cases.into() available=c.norm.into() level=level label=text/>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!unattributed.is_empty()).then(|| view! {
            <section aria-labelledby="loose-title" class="lead-section">
                <h2 class="section-title" id="loose-title">{tr("Besøg uden bevilling", "Visits charged to nothing")}</h2>
                <p class="notice">{tr("Disse besøg er ikke knyttet til en bevilling eller trækningsret. De er gemt; ret dem, så nogen betaler.", "These visits are not charged to a grant or drawing right. They are kept; fix them so someone pays.")}</p>
                <ul class="lead-grants" data-testid="unattributed">
                    {unattributed.into_iter().map(|v| {
                        let l = lang.get_untracked();
                        view! {
                            <li class="lead-grant">
                                <a class="lead-grant__who" href=format!("/visits/{}", v.id)>{name_for_loose(v.citizen_id.as_uuid())}</a>
                                <span class="lead-grant__what">{format!("{} · {} · {}", v.started_at.local_date().format(l), v.kind.label(l), format::duration(v.minutes, l))}</span>
                                <span class="lead-grant__figures">{name_for_loose(v.worker_id.as_uuid())}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

fn pool_card(p: PoolLine, l: Lang, names: &BTreeMap<uuid::Uuid, PersonName>) -> impl IntoView + use<> {
    let name = |id: &uuid::Uuid| names.get(id).map_or_else(|| "?".to_owned(), |n| n.to_string());
    let u = &p.usage;
    let available = u.available();
    let used = i64::from(u.used.get());
    // Shown beside available and used: their shown difference.
    let left = ShownHours::of_signed(available) - ShownHours::of(u.used);
    let forecast_left = ShownHours::of_signed(available) - ShownHours::of(u.forecast);
    let today = crate::clock::now().local_date();
    let elapsed = if today > u.last_day {
        p.daily.len()
    } else if today < u.first_day {
        0
    } else {
        (today.to_days() - u.first_day.to_days() + 1) as usize
    };
    let pct = u.percent_used().map_or_else(|| "–".to_owned(), |p| format!("{p} %"));
    let bar_label = match l {
        Lang::Da => format!("Brugt {} af {} ({pct})", h(used, l), h(available, l)),
        Lang::En => format!("Used {} of {} ({pct})", h(used, l), h(available, l)),
    };
    let burn_label = match l {
        Lang::Da => format!("Restsaldo dag for dag; prognose ved periodens slutning: {} tilbage", hs(forecast_left, l)),
        Lang::En => format!("Balance day by day; forecast at the period's end: {} left", hs(forecast_left, l)),
    };
    let carried = (u.carried_in != 0).then(|| match l {
        Lang::Da => format!("Overført fra sidste periode: {}", h(u.carried_in, l)),
        Lang::En => format!("Carried from the last period: {}", h(u.carried_in, l)),
    });
    let overdrawn = (!u.overdrawn_by.is_empty()).then(|| match l {
        Lang::Da => format!(
            "{} besøg er registreret, efter puljen var brugt op (accepteret, til opfølgning).",
            u.overdrawn_by.len()
        ),
        Lang::En => {
            format!("{} visits were logged after the pool was used up (accepted, to follow up).", u.overdrawn_by.len())
        }
    });
    let forecast_warning = (u.level() == Level::Ok && u.forecast_level() != Level::Ok).then_some(match l {
        Lang::Da => "Med det nuværende forbrug når puljen over 80 % inden periodens slutning.",
        Lang::En => "At the current rate the pool passes 80% before the period ends.",
    });
    let top_citizens: Vec<String> = u
        .by_citizen
        .iter()
        .take(5)
        .map(|s| format!("{} · {}", name(s.id.as_uuid()), h(s.minutes.get().into(), l)))
        .collect();
    let top_workers: Vec<String> = u
        .by_worker
        .iter()
        .take(5)
        .map(|s| format!("{} · {}", name(s.id.as_uuid()), h(s.minutes.get().into(), l)))
        .collect();
    let period = format!("{}–{}", u.first_day.format(l), u.last_day.format(l));
    view! {
        <article class="card lead-pool" data-testid="pool" data-level=level_code(u.level()) data-used=used.to_string() data-available=available.to_string()>
            <h3 class="lead-pool__name">{p.pool.name.to_string()}</h3>
            <p class="lead-pool__who">{format!("{} → {} · {} · {}", p.owner_area, p.provider_team, p.pool.period_kind.label(l), period)}</p>
            <p class="lead-pool__level" data-level=level_code(u.level())>{level_text(u.level(), l)}</p>
            <dl class="grant-card__figures">
                <div><dt>{if l == Lang::Da { "Til rådighed" } else { "Available" }}</dt><dd data-testid="pool-available">{h(available, l)}</dd></div>
                <div><dt>{if l == Lang::Da { "Brugt" } else { "Used" }}</dt><dd data-testid="pool-used">{h(used, l)}</dd></div>
                <div><dt>{if l == Lang::Da { "Tilbage" } else { "Left" }}</dt><dd data-testid="pool-remaining">{hs(left, l)}</dd></div>
            </dl>
            <UsageBar used=used available=available level=u.level() label=bar_label/>
            <BurnDown available=available daily=p.daily.clone() forecast=u.forecast elapsed=elapsed label=burn_label/>
            <p class="lead-pool__forecast">{match l {
                Lang::Da => format!("Prognose for perioden: {} brugt", h(u.forecast.get().into(), l)),
                Lang::En => format!("Forecast for the period: {} used", h(u.forecast.get().into(), l)),
            }}</p>
            {carried.map(|c| view! { <p class="lead-pool__note">{c}</p> })}
            {forecast_warning.map(|w| view! { <p class="notice">{w}</p> })}
            {overdrawn.map(|o| view! { <p class="notice notice--error" data-testid="pool-overdrawn">{o}</p> })}
            <div class="lead-pool__shares">
                <div>
                    <h4>{if l == Lang::Da { "Borgere" } else { "Citizens" }}</h4>
                    <ul>{top_citizens.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                </div>
                <div>
                    <h4>{if l == Lang::Da { "Medarbejdere" } else { "Workers" }}</h4>
                    <ul>{top_workers.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                </div>
            </div>
        </article>
    }
}

#[component]
fn ApprovalCard(
    approval: shared::report::ApprovalState,
    team: TeamId,
    month: Month,
    online: RwSignal<bool>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let reason = RwSignal::new(String::new());
    let state_text = {
        let a = approval.clone();
        move || {
            let l = lang.get();
            match (&a.approved, l) {
                (Some(m), Lang::Da) => format!("Godkendt af {} {}", m.by, m.at.local_date().format(l)),
                (Some(m), Lang::En) => format!("Approved by {} on {}", m.by, m.at.local_date().format(l)),
                (None, Lang::Da) => "Ikke godkendt".to_owned(),
                (None, Lang::En) => "Not approved".to_owned(),
            }
        }
    };
    let counts = {
        let a = approval.clone();
        move || match lang.get() {
            Lang::Da => format!("{} besøg venter på godkendelse · {} godkendt", a.submitted, a.approved_visits),
            Lang::En => format!("{} visits awaiting approval · {} approved", a.submitted, a.approved_visits),
        }
    };
    let month_running = crate::clock::now() < month.end();
    // Approving and reopening write to the server; done, the report is
    // fetched anew and the phones get the changed visits by sync.
    let form = Form::new();
    let decide = form.action(
        move |reason: &Option<Note>| {
            let reason = reason.clone();
            async move {
                match reason {
                    None => api::approve(&ApproveRequest { team_id: team, month }).await,
                    Some(reason) => api::reopen(&ReopenRequest { team_id: team, month, reason }).await,
                }
            }
        },
        move |()| {
            crate::sync::runner::request_sync(false);
            reload.update(|n| *n += 1);
        },
    );
    let busy = decide.pending();
    let approve = move |_| form.submit(decide, || Ok(None));
    let reopen = move |_| {
        form.submit(decide, || {
            let note = Note::try_from(reason.get_untracked()).map_err(|e| vec![e.at("reason")])?;
            if note.as_str().trim().is_empty() {
                return Err(vec![ValidationError::new("reason", Problem::Required)]);
            }
            Ok(Some(note))
        })
    };
    let reason_error = form.error_at("reason", tr("Begrundelse for genåbning", "Reason for reopening"));
    let history = approval.history.clone();
    let approved = approval.approved.is_some();
    view! {
        <section class="card lead-approval" aria-labelledby="approval-title" data-testid="approval" data-approved=approved.to_string()>
            <h2 class="section-title" id="approval-title">{tr("Godkendelse af måneden", "The month's approval")}</h2>
            <p class="lead-approval__state" data-testid="approval-state">{state_text}</p>
            <p class="lead-approval__counts">{counts}</p>
            {month_running.then(|| view! { <p class="lead-approval__hint">{tr("Måneden kan godkendes, når den er slut.", "The month can be approved once it has ended.")}</p> })}
            {approval.can_approve.then(|| view! {
                <button type="button" class="button button--primary" data-testid="approve"
                    disabled=move || busy.get() || !online.get() on:click=approve>
                    {tr("Godkend måneden", "Approve the month")}
                </button>
            })}
            {approval.can_reopen.then(|| view! {
                <div class="lead-approval__reopen">
                    <label class="field">
                        <span class="field__label">{tr("Begrundelse for genåbning", "Reason for reopening")}</span>
                        <input class="field__input" type="text" id="reopen-reason" data-testid="reopen-reason"
                            aria-invalid=move || reason_error.get().is_some().to_string() aria-describedby="reopen-reason-error"
                            prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                        <span class="field__error" id="reopen-reason-error">{move || reason_error.get()}</span>
                    </label>
                    <button type="button" class="button" data-testid="reopen"
                        disabled=move || busy.get() || !online.get() on:click=reopen>
                        {tr("Genåbn måneden", "Reopen the month")}
                    </button>
                </div>
            })}
            {move || (!online.get()).then(|| view! { <p class="lead-approval__hint">{tr("Godkendelse kræver forbindelse.", "Approving needs a connection.")}</p> })}
            <FormFailure form=form/>
            {(!history.is_empty()).then(|| view! {
                <ul class="lead-approval__history">
                    {history.into_iter().map(|e| {
                        let l = lang.get_untracked();
                        let what = match (e.action, l) {
                            (ApprovalAction::Approve, Lang::Da) => format!("Godkendt af {} ({} besøg)", e.by, e.visits),
                            (ApprovalAction::Approve, Lang::En) => format!("Approved by {} ({} visits)", e.by, e.visits),
                            (ApprovalAction::Reopen, Lang::Da) => format!("Genåbnet af {} ({} besøg)", e.by, e.visits),
                            (ApprovalAction::Reopen, Lang::En) => format!("Reopened by {} ({} visits)", e.by, e.visits),
                        };
                        let reason = e.reason.map(|r| format!(": {r}")).unwrap_or_default();
                        view! { <li>{format!("{} {} · {what}{reason}", e.at.local_date().format(l), e.at.format_time(l))}</li> }
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_the_danish_way() {
        let m = |s: &str| Month::try_from(s.to_owned()).expect("valid");
        assert_eq!(format::month_label(m("2026-03"), Lang::Da), "marts 2026");
        assert_eq!(h(-90, Lang::Da), "−1,5 t");
        assert_eq!(permille(Some(725), Lang::Da), "72,5 %");
    }
}
