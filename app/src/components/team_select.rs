//! The lead's choice of team among those they report on (the overview and
//! the conflicts page).

use leptos::prelude::*;
use shared::TeamId;
use shared::report::OrgResponse;

use crate::error::AppError;
use crate::i18n::tr;

/// The teams to choose from, loaded for a page with a team choice
/// (`data::org_for_choice`, which says what it returns); while nothing is
/// chosen, the first team is.
#[allow(clippy::type_complexity)]
pub fn org_for_team(
    team: RwSignal<Option<TeamId>>,
) -> (LocalResource<Result<OrgResponse, AppError>>, Signal<Option<OrgResponse>>, Signal<Option<AppError>>) {
    crate::data::org_for_choice(team, |o| o.teams.first().map(|t| t.id))
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
