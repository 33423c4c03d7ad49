//! What the app knows of the network: the page's "online" signal, set by
//! the browser's `online`/`offline` events (`state::provide_network`) and
//! by what requests find ([`send`]). `navigator.onLine` says true on a
//! network that leads nowhere, and a reloaded page may start with it true
//! while the phone has no network at all (Chromium 148).

use gloo_net::http::{Request, Response};
use leptos::prelude::*;

thread_local! {
    /// The page's network signal, set once at start.
    static NETWORK: std::cell::Cell<Option<RwSignal<bool>>> = const { std::cell::Cell::new(None) };
    /// What runs when the network comes back (the sync's leader).
    static WHEN_BACK: std::cell::RefCell<Vec<Box<dyn Fn()>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Makes `online` the signal [`set`] sets.
pub fn register(online: RwSignal<bool>) {
    NETWORK.with(|n| n.set(Some(online)));
}

/// Runs `f` each time the network comes back (offline → online).
pub fn when_back(f: impl Fn() + 'static) {
    WHEN_BACK.with(|w| w.borrow_mut().push(Box::new(f)));
}

/// Sets the network state: `true` when the browser says online or the
/// server answered, `false` when the browser says offline or no answer
/// came. Where it changes to online, what waits for that runs
/// ([`when_back`]); a no-op before [`register`].
pub fn set(online: bool) {
    let Some(signal) = NETWORK.with(std::cell::Cell::get) else { return };
    if signal.get_untracked() == online {
        return;
    }
    signal.set(online);
    if online {
        WHEN_BACK.with(|w| w.borrow().iter().for_each(|f| f()));
    }
}

/// Sends `request` and notes what it found: an answer (any status) is
/// online, none is offline. `None`: no answer.
pub async fn send(request: Request) -> Option<Response> {
    let response = request.send().await.ok();
    set(response.is_some());
    response
}
