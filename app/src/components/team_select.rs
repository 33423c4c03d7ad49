//! The lead's choice of team among those they report on (the overview and
//! the conflicts page).

use leptos::prelude::*;
use shared::TeamId;
use shared::report::OrgResponse;

use crate::error::AppError;
use crate::i18n::tr;

/// The teams to choose from, loaded for a page with a team choice
/// (`data::load_org`); while nothing is chosen, the first team is.
/// Returns the org once it is there, and why it is not if it failed.
pub fn org_for_team(team: RwSignal<Option<TeamId>>) -> (Signal<Option<OrgResponse>>, Signal<Option<AppError>>) {
    let load = crate::data::load_org();
    let org = Signal::derive(move || load.get().and_then(Result::ok));
    let failure = Signal::derive(move || load.get().and_then(Result::err));
    Effect::new(move |_| {
        if let Some(o) = org.get()
            && team.get_untracked().is_none()
        {
            team.set(o.teams.first().map(|t| t.id));
        }
    });
    (org, failure)
}

/// The lead's choice of team among those they report on (the overview and
/// the conflicts page).
#[component]
pub fn TeamSelect(org: Signal<Option<OrgResponse>>, team: RwSignal<Option<TeamId>>) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field__label">{tr("Team", "Team")}</span>
            <select class="field__input" data-testid="team-select"
                on:change=move |ev| team.set(event_target_value(&ev).parse().ok())>
                {move || org.get().map(|o| o.teams.into_iter().map(|t| {
                    let selected = team.get() == Some(t.id);
                    view! { <option value=t.id.to_string() selected=selected>{format!("{} · {}", t.name, t.area.name)}</option> }
                }).collect_view())}
            </select>
        </label>
    }
}
