//! The monthly sparring forum (issue 16, seed 000; the rules are in
//! `shared::forum`):
//!
//! - [`ForumPage`] (`/forum`, staff): the sessions with their cases and
//!   minutes; a case of a citizen the reader may not see shows its question
//!   without the name. Anyone who works with citizens puts a case on a
//!   coming session; the minutes of a case are written once its day has
//!   come; leads plan the sessions. Online only.
//! - [`CitizenForumCases`] on the citizen's page: the discussions of the
//!   citizen's case (the last copy offline).

use leptos::prelude::*;
use shared::forum::{CitizenForum, ForumCase, ForumResponse, ForumSession};
use shared::{CitizenId, ForumCaseId, ForumSessionId, Lang};
use uuid::Uuid;

use crate::api;
use crate::clock::now;
use crate::committee_input::{read_forum_case, read_forum_outcome};
use crate::components::form::{Form, FormFrame};
use crate::components::loaded::{Fetched, Loaded};
use crate::components::text_field::{SelectField, TextArea, TextField};
use crate::data::fetch_or_cached;
use crate::i18n::{tr, use_lang};
use crate::pages::committee::{ComingDayForm, FormUnder};

/// The outcome line of a case: "Udfald: …" and the follow-up, if any.
fn outcome_line(case: &ForumCase, l: Lang) -> Option<String> {
    let o = case.outcome.as_ref()?;
    let follow = match (&o.follow_up_owner, o.follow_up_due, l) {
        (Some(owner), Some(due), Lang::Da) => format!(" Opfølgning: {} senest {}.", owner.name, due.format(l)),
        (Some(owner), Some(due), Lang::En) => format!(" Follow-up: {} by {}.", owner.name, due.format(l)),
        _ => String::new(),
    };
    Some(format!("{} {}{follow}", l.pick("Udfald:", "Outcome:"), o.outcome))
}

/// One case as the lists show it.
#[component]
fn CaseItem(case: ForumCase, #[prop(optional)] with_session: bool) -> impl IntoView {
    let lang = use_lang();
    let has_outcome = case.outcome.is_some().to_string();
    view! {
        <li class="card referral" data-testid="forum-case" data-has-outcome=has_outcome>
            {move || {
                let l = lang.get();
                let who = match &case.citizen {
                    Some(c) => view! { <a href=format!("/citizens/{}", c.id)>{c.name.clone()}</a> }.into_any(),
                    None => view! { <span>{l.pick("En borger, du ikke arbejder med", "A citizen you do not work with")}</span> }.into_any(),
                };
                let by = match l {
                    Lang::Da => format!("Sat på af {}", case.added_by_name),
                    Lang::En => format!("Added by {}", case.added_by_name),
                };
                let session = with_session.then(|| match l {
                    Lang::Da => format!("Sparringsforum {}", case.session_on.format(l)),
                    Lang::En => format!("Sparring forum {}", case.session_on.format(l)),
                });
                view! {
                    {session.map(|s| view! { <p class="referral__stage"><span class="badge">{s}</span></p> })}
                    <p class="referral__citizen">{who}</p>
                    <p class="referral__meta">{by}</p>
                    <blockquote class="referral__reason">{case.question.to_string()}</blockquote>
                    {outcome_line(&case, l).map(|o| view! { <p class="referral__latest" data-testid="forum-outcome">{o}</p> })}
                }
            }}
        </li>
    }
}

/// The discussions of the citizen's case on their page.
#[component]
pub fn CitizenForumCases(citizen: CitizenId) -> impl IntoView {
    let resource: LocalResource<Fetched<CitizenForum>> = LocalResource::new(move || async move {
        fetch_or_cached(&format!("forum-{citizen}"), api::citizen_forum(citizen)).await
    });
    let show = move |f: CitizenForum| {
        if f.cases.is_empty() {
            view! {
                <p class="empty">{tr("Sagen er ikke drøftet i sparringsforum.", "The case has not been discussed at the sparring forum.")}</p>
                <a class="button button--quiet" href="/forum">{tr("Til sparringsforum", "To the sparring forum")}</a>
            }
            .into_any()
        } else {
            view! {
                <ul class="referral-list">
                    {f.cases.into_iter().map(|c| view! { <CaseItem case=c with_session=true/> }).collect_view()}
                </ul>
                <a class="button button--quiet" href="/forum">{tr("Til sparringsforum", "To the sparring forum")}</a>
            }
            .into_any()
        }
    };
    view! {
        <section aria-labelledby="forum-title">
            <h2 class="section-title" id="forum-title">{tr("Sparringsforum", "Sparring forum")}</h2>
            <Loaded resource=resource what=("drøftelserne", "the discussions") show=show/>
        </section>
    }
}

/// `/forum` (see the module).
#[component]
pub fn ForumPage() -> impl IntoView {
    let resource: LocalResource<Fetched<ForumResponse>> =
        LocalResource::new(|| async { api::forum().await.map(|f| (f, false)) });
    let refresh = Callback::new(move |()| resource.refetch());
    let lang = use_lang();
    let show = move |f: ForumResponse| {
        let today = now().local_date();
        let data = StoredValue::new(f.clone());
        // One minutes form open at a time, under its case.
        let open = RwSignal::new(None::<ForumCaseId>);
        let mut sessions = f.sessions.clone();
        sessions.sort_by_key(|s| std::cmp::Reverse(s.on));
        let coming: Vec<ForumSession> = f.sessions.iter().filter(|s| s.on >= today).copied().collect();
        view! {
            {f.may_plan.then(|| view! { <SessionForm on_saved=refresh/> })}
            {if coming.is_empty() {
                view! { <p class="notice notice--warning" data-testid="no-forum-session">{tr("Intet kommende møde i sparringsforum.", "No coming session of the sparring forum.")}</p> }.into_any()
            } else {
                view! { <CaseForm data=data on_saved=refresh/> }.into_any()
            }}
            {sessions.into_iter().map(|s| {
                let cases: Vec<ForumCase> = data.with_value(|d| d.cases_of(s.id).into_iter().cloned().collect());
                let held = s.on <= today;
                view! {
                    <section class="forum-session" aria-label=move || format!("{} {}", lang.get().pick("Sparringsforum", "Sparring forum"), s.on.format(lang.get()))>
                        <h2 class="section-title">{move || match lang.get() {
                            Lang::Da => format!("Sparringsforum {}", s.on.format(Lang::Da)),
                            Lang::En => format!("Sparring forum {}", s.on.format(Lang::En)),
                        }}</h2>
                        {if cases.is_empty() {
                            view! { <p class="empty">{tr("Ingen sager på dagsordenen.", "No cases on the agenda.")}</p> }.into_any()
                        } else {
                            view! {
                                <ol class="referral-list" data-testid="forum-agenda">
                                    {cases.into_iter().map(|c| {
                                        let id = c.id;
                                        let may_write = held && c.citizen.is_some();
                                        let name = c.citizen.as_ref().map(|x| x.name.clone()).unwrap_or_default();
                                        let has_outcome = c.outcome.is_some();
                                        view! {
                                            <CaseItem case=c/>
                                            {may_write.then(|| view! {
                                                <FormUnder open=open key=id name=name.clone() testid="write-forum-outcome"
                                                    label=if has_outcome { tr("Ret referat", "Correct minutes") } else { tr("Skriv referat", "Write minutes") }>
                                                    <OutcomeForm id=id session_on=s.on data=data on_saved=refresh/>
                                                </FormUnder>
                                            })}
                                        }
                                    }).collect_view()}
                                </ol>
                            }.into_any()
                        }}
                    </section>
                }
            }).collect_view()}
        }
    };
    view! {
        <section class="lead-page forum-page" aria-labelledby="forum-page-title">
            <h1 class="page-title" id="forum-page-title">{tr("Sparringsforum", "Sparring forum")}</h1>
            <p class="field__hint">{tr(
                "Et månedligt forum for sagsbehandlere og koordinatorer på tværs af områderne. Sæt en konkret sag på dagsordenen med dit spørgsmål; referatet giver sagen et udfald og en ansvarlig for opfølgningen.",
                "A monthly forum for case workers and coordinators across the areas. Put a concrete case on the agenda with your question; the minutes give the case an outcome and someone to follow up.",
            )}</p>
            <Loaded resource=resource what=("sparringsforum", "the sparring forum") show=show/>
        </section>
    }
}

/// A new session (leads and administrators).
#[component]
fn SessionForm(on_saved: Callback<()>) -> impl IntoView {
    view! {
        <ComingDayForm id="forum-session-on" label=tr("Nyt møde i sparringsforum den", "New session on") testid="save-forum-session"
            put=|on| async move {
                let input = shared::forum::SessionInput { on };
                api::put_forum_session(ForumSessionId::from_uuid(Uuid::now_v7()), &input).await.map(drop)
            }
            on_saved=on_saved/>
    }
}

/// A case on a coming session's agenda.
#[component]
fn CaseForm(data: StoredValue<ForumResponse>, on_saved: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let today = now().local_date();
    let session = RwSignal::new(
        data.with_value(|d| d.sessions.iter().filter(|s| s.on >= today).min_by_key(|s| s.on).map(|s| s.id.to_string()))
            .unwrap_or_default(),
    );
    let citizen = RwSignal::new(String::new());
    let question = RwSignal::new(String::new());
    let id = RwSignal::new(ForumCaseId::from_uuid(Uuid::now_v7()));
    let form = Form::new();
    let save = form.action(
        move |input: &shared::forum::CaseInput| {
            let input = input.clone();
            let id = id.get_untracked();
            async move { api::put_forum_case(id, &input).await }
        },
        move |_: ForumCase| {
            question.set(String::new());
            id.set(ForumCaseId::from_uuid(Uuid::now_v7()));
            on_saved.run(());
        },
    );
    let submit = Callback::new(move |()| {
        form.submit(save, move || {
            data.with_value(|d| {
                read_forum_case(
                    &session.get_untracked(),
                    &citizen.get_untracked(),
                    &question.get_untracked(),
                    &d.sessions,
                    now().local_date(),
                )
            })
        })
    });
    let sessions = Signal::derive(move || {
        let l = lang.get();
        data.with_value(|d| {
            d.sessions.iter().filter(|s| s.on >= today).map(|s| (s.id.to_string(), s.on.format(l))).collect::<Vec<_>>()
        })
    });
    let citizens = Signal::derive(move || {
        data.with_value(|d| d.citizens.iter().map(|c| (c.id.to_string(), c.name.clone())).collect::<Vec<_>>())
    });
    view! {
        <section aria-labelledby="forum-case-title">
            <h2 class="section-title" id="forum-case-title">{tr("Sæt en sag på dagsordenen", "Put a case on the agenda")}</h2>
            <FormFrame form=form busy=save.pending() ready=true on_submit=submit testid="save-forum-case" save_label=tr("Sæt på dagsordenen", "Add to the agenda")>
                <SelectField id="forum-case-session" label=Signal::derive(tr("Møde", "Session")) value=session options=sessions
                    error=form.error("session_id") placeholder=tr("Vælg møde", "Choose a session")/>
                <SelectField id="forum-case-citizen" label=Signal::derive(tr("Borger", "Citizen")) value=citizen options=citizens
                    error=form.error("citizen_id") placeholder=tr("Vælg borger", "Choose a citizen")/>
                <TextArea id="forum-case-question" label=Signal::derive(tr("Dit spørgsmål til forummet", "Your question to the forum"))
                    value=question error=form.error("question") rows=3 max_chars=shared::text::ForumQuestion::MAX_CHARS/>
            </FormFrame>
        </section>
    }
}

/// A case's minutes: the outcome and who follows up by when.
#[component]
fn OutcomeForm(
    id: ForumCaseId,
    session_on: shared::Date,
    data: StoredValue<ForumResponse>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let kept = data.with_value(|d| d.cases.iter().find(|c| c.id == id).and_then(|c| c.outcome.clone()));
    let outcome = RwSignal::new(kept.as_ref().map(|o| o.outcome.to_string()).unwrap_or_default());
    let owner = RwSignal::new(
        kept.as_ref().and_then(|o| o.follow_up_owner.as_ref()).map(|o| o.id.to_string()).unwrap_or_default(),
    );
    let due = RwSignal::new(kept.as_ref().and_then(|o| o.follow_up_due).map(|d| d.to_string()).unwrap_or_default());
    let form = Form::new();
    let save = form.action(
        move |input: &shared::forum::OutcomeInput| {
            let input = input.clone();
            async move { api::put_forum_outcome(id, &input).await }
        },
        move |_: ForumCase| on_saved.run(()),
    );
    let submit = Callback::new(move |()| {
        form.submit(save, move || {
            read_forum_outcome(
                &outcome.get_untracked(),
                &owner.get_untracked(),
                &due.get_untracked(),
                session_on,
                now().local_date(),
            )
        })
    });
    let staff = Signal::derive(move || {
        data.with_value(|d| d.staff.iter().map(|u| (u.id.to_string(), u.name.clone())).collect::<Vec<_>>())
    });
    view! {
        <FormFrame form=form busy=save.pending() ready=true on_submit=submit testid="save-forum-outcome" save_label=tr("Gem referat", "Save minutes")>
            <TextArea id="forum-outcome" label=Signal::derive(tr("Udfald", "Outcome")) value=outcome error=form.error("outcome")
                rows=3 max_chars=shared::text::ForumOutcomeText::MAX_CHARS/>
            <SelectField id="forum-follow-up-owner" label=Signal::derive(tr("Ansvarlig for opfølgning (valgfri)", "Follow-up owner (optional)"))
                value=owner options=staff error=form.error("follow_up_owner") placeholder=tr("Ingen opfølgning", "No follow-up")/>
            <TextField id="forum-follow-up-due" label=Signal::derive(tr("Opfølgning senest (valgfri)", "Follow up by (optional)")) input_type="date"
                value=due error=form.error("follow_up_due")/>
        </FormFrame>
    }
}
