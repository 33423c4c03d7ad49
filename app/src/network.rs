//! What the app's requests find of the network: the page's "online"
//! signal is set by them as well as by the browser's `online`/`offline`
//! events (`state::provide_network`). `navigator.onLine` says true on a
//! network that leads nowhere, and a reloaded page may start with it true
//! while the phone has no network at all (Chromium 148).

use leptos::prelude::*;

thread_local! {
    /// The page's network signal, set once at start.
    static NETWORK: std::cell::Cell<Option<RwSignal<bool>>> = const { std::cell::Cell::new(None) };
}

/// Makes `online` the signal [`note_reached`] sets.
pub fn register(online: RwSignal<bool>) {
    NETWORK.with(|n| n.set(Some(online)));
}

/// What a request found: `true` when the server answered (any status),
/// `false` when no answer came (the network failed). Sets the network
/// signal where it changes; a no-op before [`register`].
pub fn note_reached(reached: bool) {
    if let Some(online) = NETWORK.with(std::cell::Cell::get)
        && online.get_untracked() != reached
    {
        online.set(reached);
    }
}
