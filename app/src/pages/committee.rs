//! The coordination and visitation committee (issue 16, seed 001; the
//! path of a case is in `shared::committee`):
//!
//! - [`CitizenReferrals`] on the citizen's page: the citizen's proposals
//!   and where each is, and "Foreslå til udvalget" for a worker, mentor or
//!   coordinator who works with the citizen (online; the last copy of the
//!   list offline).
//! - [`CommitteePage`] (`/committee`, leads and administrators): the
//!   proposals awaiting a lead's decision, the committee's meetings, the
//!   next meeting's agenda with the committee's decision per case, and the
//!   cases closed lately. Online only.
//! - [`ReferralNews`] on Today: the proposer's outcomes not yet seen.

use leptos::prelude::*;
use shared::committee::{CommitteeMeeting, CommitteeResponse, Referral, ReferralsResponse, Screening, Stage};
use shared::{AreaId, CitizenId, CommitteeMeetingId, Lang, ReferralId};
use uuid::Uuid;

use crate::api;
use crate::clock::now;
use crate::committee_input::{read_decision, read_meeting, read_referral, read_screening};
use crate::components::form::{Form, FormFrame};
use crate::components::loaded::{Fetched, Loaded};
use crate::components::text_field::{CheckBox, SelectField, TextArea, TextField, member_of};
use crate::data::fetch_or_cached;
use crate::i18n::{tr, use_lang};

/// Where a proposal is, in one line for a list: the stage, then its latest
/// step ("Henvist til udvalget af … : …").
fn referral_lines(r: &Referral, l: Lang) -> (String, String) {
    (r.stage().label().get(l).to_owned(), r.latest(l))
}

/// One proposal as the lists show it.
#[component]
fn ReferralItem(referral: Referral, #[prop(optional)] with_citizen: bool) -> impl IntoView {
    let lang = use_lang();
    let stage = referral.stage();
    view! {
        <li class="card referral" data-testid="referral" data-stage=stage.code()>
            {with_citizen.then(|| view! {
                <p class="referral__citizen"><a href=format!("/citizens/{}", referral.citizen_id)>{referral.citizen_name.clone()}</a></p>
            })}
            {move || {
                let l = lang.get();
                let (stage_text, latest) = referral_lines(&referral, l);
                let proposed = match l {
                    Lang::Da => format!("Foreslået af {} {}", referral.proposed_by_name, referral.proposed_at.local_date().format(l)),
                    Lang::En => format!("Proposed by {} on {}", referral.proposed_by_name, referral.proposed_at.local_date().format(l)),
                };
                view! {
                    <p class="referral__stage"><span class="badge">{stage_text}</span></p>
                    <p class="referral__meta">{proposed}</p>
                    <blockquote class="referral__reason">{referral.reason.to_string()}</blockquote>
                    {(stage != Stage::AwaitingLead).then(|| view! { <p class="referral__latest" data-testid="referral-latest">{latest}</p> })}
                    {referral.decision.as_ref().filter(|d| !d.note.as_str().is_empty()).map(|d| view! {
                        <p class="referral__meta">{d.note.to_string()}</p>
                    })}
                }
            }}
        </li>
    }
}

/// The citizen's proposals to the committee on their page (see the
/// module).
#[component]
pub fn CitizenReferrals(citizen: CitizenId) -> impl IntoView {
    let resource: LocalResource<Fetched<ReferralsResponse>> = LocalResource::new(move || async move {
        fetch_or_cached(&format!("referrals-{citizen}"), api::referrals_of(citizen)).await
    });
    let proposing = RwSignal::new(false);
    let lang = use_lang();
    let show = move |r: ReferralsResponse| {
        let may_propose = r.may_propose;
        let next = r.next_meeting;
        view! {
            {if r.referrals.is_empty() {
                view! { <p class="empty">{tr("Borgeren har ikke været foreslået til udvalget.", "The citizen has not been proposed to the committee.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="referral-list">
                        {r.referrals.into_iter().map(|r| view! { <ReferralItem referral=r/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {next.map(|m| view! {
                <p class="field__hint" data-testid="committee-next">{move || match lang.get() {
                    Lang::Da => format!("Udvalgets næste møde: {}.", m.on.format(Lang::Da)),
                    Lang::En => format!("The committee's next meeting: {}.", m.on.format(Lang::En)),
                }}</p>
            })}
            {may_propose.then(|| view! {
                <Show
                    when=move || proposing.get()
                    fallback=move || view! {
                        <button type="button" class="button" on:click=move |_| proposing.set(true) data-testid="propose">
                            {tr("Foreslå til udvalget", "Propose to the committee")}
                        </button>
                    }
                >
                    <ProposeForm citizen=citizen on_saved=Callback::new(move |()| {
                        proposing.set(false);
                        resource.refetch();
                    })/>
                </Show>
            })}
        }
    };
    view! {
        <section aria-labelledby="referrals-title">
            <h2 class="section-title" id="referrals-title">{tr("Koordinations- og visitationsudvalget", "Coordination and visitation committee")}</h2>
            <Loaded resource=resource what=("forslagene til udvalget", "the proposals to the committee") show=show/>
        </section>
    }
}

/// A proposal of the citizen, with its reason.
#[component]
fn ProposeForm(citizen: CitizenId, on_saved: Callback<()>) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    // One id per proposal typed: a retry after a lost answer is the same.
    let id = ReferralId::from_uuid(Uuid::now_v7());
    let form = Form::new();
    let save = form.action(
        move |input: &shared::committee::ReferralInput| {
            let input = input.clone();
            async move { api::put_referral(id, &input).await }
        },
        move |_: Referral| on_saved.run(()),
    );
    let submit = Callback::new(move |()| form.submit(save, move || read_referral(citizen, &reason.get_untracked())));
    view! {
        <p class="field__hint">{tr(
            "En leder vurderer, om sagen er kompleks nok til udvalget. Du får besked på I dag, når der er taget stilling.",
            "A lead assesses whether the case is complex enough for the committee. You are told on Today when it is decided.",
        )}</p>
        <FormFrame form=form busy=save.pending() ready=true on_submit=submit testid="save-proposal" save_label=tr("Send forslag", "Send proposal")>
            <TextArea id="proposal-reason" label=Signal::derive(tr("Hvorfor skal udvalget se sagen?", "Why should the committee see the case?"))
                value=reason error=form.error("reason") rows=4 max_chars=shared::text::ReferralReason::MAX_CHARS/>
        </FormFrame>
    }
}

/// The proposer's outcomes not yet seen, on Today (see the module). Shows
/// nothing when there are none (or none could be fetched).
#[component]
pub fn ReferralNews() -> impl IntoView {
    let lang = use_lang();
    let resource: LocalResource<Fetched<ReferralsResponse>> =
        LocalResource::new(|| async { fetch_or_cached("referrals-mine", api::my_referrals()).await });
    let seen = RwSignal::new(Vec::<ReferralId>::new());
    let news = move || {
        let seen = seen.get();
        resource
            .get()
            .and_then(Result::ok)
            .map(|(r, _)| {
                r.referrals.into_iter().filter(|r| r.news_for_proposer() && !seen.contains(&r.id)).collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let mark_seen = move |id: ReferralId| {
        seen.update(|s| s.push(id));
        leptos::task::spawn_local(async move {
            // Offline, it shows again next time: nothing is lost.
            let _ = api::referral_seen(id).await;
        });
    };
    view! {
        <Show when=move || !news().is_empty()>
            <section class="referral-news" aria-labelledby="referral-news-title" data-testid="referral-news">
                <h2 class="section-title" id="referral-news-title">{tr("Svar om dine forslag til udvalget", "Answers on your proposals to the committee")}</h2>
                <ul class="referral-list">
                    {move || news().into_iter().map(|r| {
                        let id = r.id;
                        let l = lang.get();
                        let citizen = r.citizen_name.clone();
                        let (stage, latest) = referral_lines(&r, l);
                        view! {
                            <li class="card referral" data-testid="referral-news-item">
                                <p class="referral__citizen"><a href=format!("/citizens/{}", r.citizen_id)>{citizen.clone()}</a></p>
                                <p class="referral__stage"><span class="badge">{stage}</span></p>
                                <p class="referral__latest">{latest}</p>
                                <button type="button" class="button button--quiet" on:click=move |_| mark_seen(id) data-testid="referral-seen"
                                    aria-label=format!("{} – {citizen}", l.pick("Markér som set", "Mark as seen"))>
                                    {tr("Markér som set", "Mark as seen")}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

/// `/committee` (see the module).
#[component]
pub fn CommitteePage() -> impl IntoView {
    let resource: LocalResource<Fetched<CommitteeResponse>> =
        LocalResource::new(|| async { api::committee().await.map(|c| (c, false)) });
    let refresh = Callback::new(move |()| resource.refetch());
    let lang = use_lang();
    let show = move |c: CommitteeResponse| {
        let today = now().local_date();
        let next = shared::committee::next_meeting(&c.meetings, today).copied();
        let awaiting: Vec<Referral> = c.awaiting_lead().into_iter().cloned().collect();
        let agenda: Vec<Referral> = c.agenda().into_iter().cloned().collect();
        let closed: Vec<Referral> = c.closed().into_iter().cloned().collect();
        let upcoming: Vec<CommitteeMeeting> = c.meetings.iter().filter(|m| m.on >= today).copied().collect();
        let choices = StoredValue::new(c.clone());
        // One form open at a time (a lead's assessment or the committee's
        // decision), under its case.
        let open = RwSignal::new(None::<ReferralId>);
        view! {
            <section aria-labelledby="awaiting-title">
                <h2 class="section-title" id="awaiting-title">{tr("Forslag, der venter på en leders vurdering", "Proposals awaiting a lead's assessment")}</h2>
                {if awaiting.is_empty() {
                    view! { <p class="empty">{tr("Ingen forslag venter.", "No proposals are waiting.")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="referral-list">
                            {awaiting.into_iter().map(|r| {
                                let id = r.id;
                                let name = r.citizen_name.clone();
                                view! {
                                    <ReferralItem referral=r with_citizen=true/>
                                    <FormUnder open=open key=id name=name testid="assess" label=tr("Vurdér", "Assess")>
                                        <ScreeningForm id=id on_saved=refresh/>
                                    </FormUnder>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section aria-labelledby="meetings-title">
                <h2 class="section-title" id="meetings-title">{tr("Udvalgets møder", "The committee's meetings")}</h2>
                {if upcoming.is_empty() {
                    view! { <p class="notice notice--warning" data-testid="no-committee-meeting">{tr("Intet møde planlagt. Henviste sager venter, til der er et.", "No meeting planned. Referred cases wait until there is one.")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list" data-testid="committee-meetings">
                            {upcoming.into_iter().map(|m| view! { <li>{move || m.on.format(lang.get())}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <MeetingForm on_saved=refresh/>
            </section>
            <section aria-labelledby="agenda-title">
                <h2 class="section-title" id="agenda-title">{move || match (next, lang.get()) {
                    (Some(m), Lang::Da) => format!("Dagsorden for mødet {}", m.on.format(Lang::Da)),
                    (Some(m), Lang::En) => format!("Agenda of the meeting on {}", m.on.format(Lang::En)),
                    (None, l) => l.pick("Henviste sager", "Referred cases").to_owned(),
                }}</h2>
                {if agenda.is_empty() {
                    view! { <p class="empty">{tr("Ingen henviste sager venter på udvalget.", "No referred cases await the committee.")}</p> }.into_any()
                } else {
                    view! {
                        <ol class="referral-list" data-testid="committee-agenda">
                            {agenda.into_iter().map(|r| {
                                let id = r.id;
                                let name = r.citizen_name.clone();
                                view! {
                                    <ReferralItem referral=r with_citizen=true/>
                                    <FormUnder open=open key=id name=name testid="record-decision" label=tr("Registrér afgørelse", "Record decision")>
                                        <DecisionForm id=id next=next.map(|m| m.id) choices=choices on_saved=refresh/>
                                    </FormUnder>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
            <section aria-labelledby="closed-title">
                <h2 class="section-title" id="closed-title">{tr("Afsluttet de seneste 90 dage", "Closed in the last 90 days")}</h2>
                {if closed.is_empty() {
                    view! { <p class="empty">{tr("Ingen.", "None.")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="referral-list" data-testid="committee-closed">
                            {closed.into_iter().map(|r| view! { <ReferralItem referral=r with_citizen=true/> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        }
    };
    view! {
        <section class="lead-page committee-page" aria-labelledby="committee-title">
            <h1 class="page-title" id="committee-title">{tr("Koordinations- og visitationsudvalget", "Coordination and visitation committee")}</h1>
            <p class="field__hint">{tr(
                "Medarbejdere foreslår borgere med komplekse sager. En leder vurderer, om sagen skal til udvalget; udvalget fastlægger planens start, den koordinerende sagsbehandler og de involverede områder.",
                "Staff propose citizens with complex cases. A lead assesses whether the case goes to the committee; the committee sets the plan's start, the coordinating case worker and the areas involved.",
            )}</p>
            <Loaded resource=resource what=("udvalgets sager", "the committee's cases") show=show/>
        </section>
    }
}

/// A lead's decision on one proposal: refer or not, and why.
#[component]
fn ScreeningForm(id: ReferralId, on_saved: Callback<()>) -> impl IntoView {
    let decision = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let form = Form::new();
    let save = form.action(
        move |input: &shared::committee::ScreeningInput| {
            let input = input.clone();
            async move { api::put_screening(id, &input).await }
        },
        move |_: Referral| on_saved.run(()),
    );
    let submit = Callback::new(move |()| {
        form.submit(save, move || read_screening(&decision.get_untracked(), &reason.get_untracked()))
    });
    let lang = use_lang();
    let option = move |value: Screening| {
        let input_id = format!("screening-{}", value.code());
        view! {
            <label class="checks__option" for=input_id.clone()>
                <input type="radio" id=input_id.clone() name="screening" value=value.code() prop:checked=move || decision.get() == value.code()
                    on:change=move |_| decision.set(value.code().to_owned())/>
                <span>{move || value.label().get(lang.get()).to_owned()}</span>
            </label>
        }
    };
    view! {
        <FormFrame form=form busy=save.pending() ready=true on_submit=submit testid="save-screening" save_label=tr("Gem vurdering", "Save assessment")>
            <fieldset class="field checks" aria-describedby="screening-error">
                <legend class="field__label">{tr("Vurdering", "Assessment")}</legend>
                {option(Screening::Refer)}
                {option(Screening::NotRefer)}
                <p class="field__error" id="screening-error">{form.error_at("decision", tr("Vurdering", "Assessment"))}</p>
            </fieldset>
            <TextArea id="screening-reason" label=Signal::derive(tr("Begrundelse", "Reason"))
                value=reason error=form.error("reason") rows=2 max_chars=shared::text::ReferralReason::MAX_CHARS/>
        </FormFrame>
    }
}

/// A new meeting of the committee.
#[component]
fn MeetingForm(on_saved: Callback<()>) -> impl IntoView {
    view! {
        <ComingDayForm id="committee-meeting-on" label=tr("Nyt møde den", "New meeting on") testid="save-committee-meeting"
            put=|on| async move {
                let input = shared::committee::CommitteeMeetingInput { on };
                api::put_committee_meeting(CommitteeMeetingId::from_uuid(Uuid::now_v7()), &input).await.map(drop)
            }
            on_saved=on_saved/>
    }
}

/// A new day of a standing meeting (the committee's, the sparring
/// forum's): read by `shared::committee::check_coming_day`'s rule, saved by
/// `put`, emptied and `on_saved` once saved.
#[component]
pub(crate) fn ComingDayForm<P, Fut>(
    id: &'static str,
    label: impl Fn() -> &'static str + Copy + Send + Sync + 'static,
    testid: &'static str,
    put: P,
    on_saved: Callback<()>,
) -> impl IntoView
where
    P: Fn(shared::Date) -> Fut + Copy + 'static,
    Fut: std::future::Future<Output = Result<(), crate::error::AppError>> + 'static,
{
    let on = RwSignal::new(String::new());
    let form = Form::new();
    let save = form.action(
        move |input: &shared::committee::CommitteeMeetingInput| put(input.on),
        move |()| {
            on.set(String::new());
            on_saved.run(());
        },
    );
    let submit =
        Callback::new(move |()| form.submit(save, move || read_meeting(&on.get_untracked(), now().local_date())));
    view! {
        <FormFrame form=form busy=save.pending() ready=true on_submit=submit testid=testid save_label=tr("Planlæg møde", "Plan meeting")>
            <TextField id=id label=Signal::derive(label) input_type="date" value=on error=form.error("on")/>
        </FormFrame>
    }
}

/// A form under one item of a list, one open at a time: closed, a button
/// `label` ("Vurdér"), named for screen readers with the item ("Vurdér –
/// Birthe Christensen"); open, `children`.
#[component]
pub(crate) fn FormUnder<K: PartialEq + Copy + Send + Sync + 'static>(
    open: RwSignal<Option<K>>,
    key: K,
    name: String,
    testid: &'static str,
    label: impl Fn() -> &'static str + Copy + Send + Sync + 'static,
    children: ChildrenFn,
) -> impl IntoView {
    let children = StoredValue::new(children);
    view! {
        <li class="referral-form">
            <Show
                when=move || open.get() == Some(key)
                fallback=move || {
                    let name = name.clone();
                    view! {
                        <button type="button" class="button" on:click=move |_| open.set(Some(key)) data-testid=testid
                            aria-label=move || format!("{} – {name}", label())>
                            {label}
                        </button>
                    }
                }
            >
                {children.with_value(|c| c())}
            </Show>
        </li>
    }
}

/// The committee's decision on one referred case.
#[component]
fn DecisionForm(
    id: ReferralId,
    next: Option<CommitteeMeetingId>,
    choices: StoredValue<CommitteeResponse>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let meeting = RwSignal::new(next.map(|m| m.to_string()).unwrap_or_default());
    let plan_start = RwSignal::new(String::new());
    let coordinator = RwSignal::new(String::new());
    let areas = RwSignal::new(Vec::<AreaId>::new());
    let note = RwSignal::new(String::new());
    let form = Form::new();
    let save = form.action(
        move |input: &shared::committee::CommitteeDecisionInput| {
            let input = input.clone();
            async move { api::put_committee_decision(id, &input).await }
        },
        move |_: Referral| on_saved.run(()),
    );
    let submit = Callback::new(move |()| {
        form.submit(save, move || {
            choices.with_value(|c| {
                read_decision(
                    &meeting.get_untracked(),
                    &plan_start.get_untracked(),
                    &coordinator.get_untracked(),
                    &areas.get_untracked(),
                    &note.get_untracked(),
                    &c.meetings,
                )
            })
        })
    });
    let lang = use_lang();
    let meetings = Signal::derive(move || {
        let l = lang.get();
        choices.with_value(|c| c.meetings.iter().map(|m| (m.id.to_string(), m.on.format(l))).collect::<Vec<_>>())
    });
    let coordinators = Signal::derive(move || {
        choices.with_value(|c| c.coordinators.iter().map(|u| (u.id.to_string(), u.name.clone())).collect::<Vec<_>>())
    });
    view! {
        <FormFrame form=form busy=save.pending() ready=true on_submit=submit testid="save-committee-decision" save_label=tr("Gem udvalgets afgørelse", "Save the committee's decision")>
            <SelectField id="decision-meeting" label=Signal::derive(tr("Møde", "Meeting")) value=meeting
                options=meetings error=form.error("meeting_id") placeholder=tr("Vælg møde", "Choose a meeting")/>
            <TextField id="decision-start" label=Signal::derive(tr("Planens start", "The plan's start")) input_type="date"
                value=plan_start error=form.error("plan_start")/>
            <SelectField id="decision-coordinator" label=Signal::derive(tr("Koordinerende sagsbehandler", "Coordinating case worker"))
                value=coordinator options=coordinators error=form.error("coordinator_id") placeholder=tr("Vælg", "Choose")/>
            <fieldset class="field checks" aria-describedby="decision-areas-error">
                <legend class="field__label">{tr("Involverede områder", "Areas involved")}</legend>
                {choices.with_value(|c| c.areas.clone()).into_iter().map(|a| {
                    let (checked, toggle) = member_of(areas, a.id);
                    view! { <CheckBox id=format!("decision-area-{}", a.id) checked=checked toggle=toggle>{a.name}</CheckBox> }
                }).collect_view()}
                <p class="field__error" id="decision-areas-error">{form.error_at("areas", tr("Involverede områder", "Areas involved"))}</p>
            </fieldset>
            <TextArea id="decision-note" label=Signal::derive(tr("Bemærkning (valgfri)", "Note (optional)"))
                value=note error=form.error("note") rows=2 max_chars=shared::text::Note::MAX_CHARS/>
        </FormFrame>
    }
}
