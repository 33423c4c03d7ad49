//! The lead overview's way to the conflicts page, with the number of open
//! conflicts when the phone is online to ask.

use leptos::prelude::*;
use shared::TeamId;

use crate::api;
use crate::i18n::tr;
use crate::state::use_online;

/// The lead overview's way here: "Konflikter", with the number of open
/// ones when the phone is online to ask.
#[component]
pub fn ConflictsLink(#[prop(into)] team: Signal<Option<TeamId>>) -> impl IntoView {
    let online = use_online();
    // The number of open ones for the newest team; none offline.
    let count = LocalResource::new(move || {
        let (team, online) = (team.get(), online.get());
        async move {
            match (team, online) {
                (Some(t), true) => api::conflicts(t).await.ok().map(|list| list.conflicts.len()),
                _ => None,
            }
        }
    });
    let href = move || team.get().map_or_else(|| "/lead/conflicts".to_owned(), |t| format!("/lead/conflicts?team={t}"));
    view! {
        <a class="button" href=href data-testid="conflicts-link">
            {tr("Konflikter", "Conflicts")}
            {move || count.get().flatten().filter(|n| *n > 0).map(|n| view! { " " <span class="badge" data-state="waiting">{n}</span> })}
        </a>
    }
}
