//! Visits as a list of rows: when, who (the citizen; on one citizen's page,
//! the worker), what, how long, and where each stands with the server
//! (sent / waiting). A row opens the visit.

use leptos::prelude::*;
use shared::Lang;
use shared::citizen::Citizen;

use crate::format;
use crate::i18n::use_lang;
use crate::overlay::{RecordState, VisitView};

pub fn state_label(state: RecordState, lang: Lang) -> &'static str {
    match (state, lang) {
        (RecordState::Synced, Lang::Da) => "Sendt",
        (RecordState::Synced, Lang::En) => "Sent",
        (RecordState::Waiting, Lang::Da) => "Venter",
        (RecordState::Waiting, Lang::En) => "Waiting",
    }
}

fn state_code(state: RecordState) -> &'static str {
    match state {
        RecordState::Synced => "synced",
        RecordState::Waiting => "waiting",
    }
}

#[component]
pub fn VisitList(
    visits: Vec<VisitView>,
    citizens: Vec<Citizen>,
    /// Show the date on each row (lists that span days).
    #[prop(optional)]
    with_date: bool,
    /// Where a row leads (default: the visit form), e.g. the lead's
    /// correction of it.
    #[prop(optional)]
    open: Option<fn(shared::VisitId) -> String>,
    /// One citizen's visits: each row names the worker who made it (from
    /// these names; the user is "Dig") instead of the citizen.
    #[prop(optional)]
    workers: Option<Vec<(shared::UserId, String)>>,
) -> impl IntoView {
    let lang = use_lang();
    let me = match crate::state::use_session().get_untracked() {
        crate::state::Session::LoggedIn(me) => Some(me.id),
        _ => None,
    };
    let rows = visits
        .into_iter()
        .map(|v| {
            let l = lang.get_untracked();
            let name = match &workers {
                Some(_) if Some(v.visit.worker_id) == me => l.pick("Dig", "You").to_owned(),
                Some(workers) => workers
                    .iter()
                    .find(|(id, _)| *id == v.visit.worker_id)
                    .map_or_else(|| l.pick("En kollega", "A colleague").to_owned(), |(_, name)| name.clone()),
                None => citizens
                    .iter()
                    .find(|c| c.id == v.visit.citizen_id)
                    .map_or_else(|| "—".to_owned(), |c| c.name.to_string()),
            };
            let when = format::time_range(v.visit.started_at(), v.visit.ended_at(), l);
            let day = with_date.then(|| format::weekday_date(v.visit.started_at().local_date(), l));
            let length = format::duration(v.visit.counted_minutes(), l);
            let kind = v.visit.kind.label(l);
            let href = open.map_or_else(|| format!("/visits/{}", v.visit.id), |open| open(v.visit.id));
            let state = v.state;
            // A visit the lead approved, and the phone has nothing pending for.
            let approved = state == RecordState::Synced && v.visit.status == shared::visit::VisitStatus::Approved;
            let corrected = v.visit.correction.is_some();
            // A joint visit (issue 16): logged with colleagues, or a
            // colleague's record this is the user's share of.
            let joint = !v.visit.co_workers.is_empty() || v.visit.joint_of.is_some();
            let note = v.visit.note.as_str().lines().next().unwrap_or("").to_owned();
            view! {
                <li class="visit-row" data-testid="visit" data-state=state_code(state)>
                    <a class="visit-row__link" href=href>
                        <span class="visit-row__when">
                            {day.map(|d| view! { <span class="visit-row__day">{d}</span> })}
                            {when}
                        </span>
                        <span class="visit-row__who">{name}</span>
                        <span class="visit-row__what">
                            {kind}" · "{length}
                            {joint.then_some(move || if lang.get() == Lang::Da { " · fælles besøg" } else { " · joint visit" })}
                            {corrected.then_some(move || if lang.get() == Lang::Da { " (rettet af leder)" } else { " (corrected by lead)" })}
                        </span>
                        {(!note.is_empty()).then(|| view! { <span class="visit-row__note">{note}</span> })}
                        <span class="badge" data-state=if approved { "approved" } else { state_code(state) }>
                            {move || match (approved, lang.get()) {
                                (true, Lang::Da) => "Godkendt",
                                (true, Lang::En) => "Approved",
                                (false, l) => state_label(state, l),
                            }}
                        </span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="visit-list">{rows}</ul> }
}
