//! The lead overview's way to the conflicts page, with the number of open
//! conflicts when the phone is online to ask.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::TeamId;

use crate::api;
use crate::i18n::tr;
use crate::state::use_online;

/// The lead overview's way here: "Konflikter", with the number of open
/// ones when the phone is online to ask.
#[component]
pub fn ConflictsLink(#[prop(into)] team: Signal<Option<TeamId>>) -> impl IntoView {
    let online = use_online();
    let count = RwSignal::new(None::<usize>);
    Effect::new(move |_| {
        let (Some(t), true) = (team.get(), online.get()) else { return };
        spawn_local(async move {
            if let Ok(list) = api::conflicts(t).await
                && team.get_untracked() == Some(t)
            {
                count.set(Some(list.conflicts.len()));
            }
        });
    });
    let href = move || team.get().map_or_else(|| "/lead/conflicts".to_owned(), |t| format!("/lead/conflicts?team={t}"));
    view! {
        <a class="button" href=href data-testid="conflicts-link">
            {tr("Konflikter", "Conflicts")}
            {move || count.get().filter(|n| *n > 0).map(|n| view! { " " <span class="badge" data-state="waiting">{n}</span> })}
        </a>
    }
}
