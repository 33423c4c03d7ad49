//! App-wide state the pages read: who is logged in, and whether the phone
//! is online.
//!
//! With no network at start, the last user on this phone carries on offline
//! (from the profile the store keeps). `finish_login` makes a successful login
//! the session and the database's user.

use leptos::prelude::*;
use shared::Localized;
use shared::api::MeResponse;

use crate::api;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    /// Asking the server who we are.
    Checking,
    LoggedOut,
    LoggedIn(MeResponse),
}

#[derive(Clone, Copy)]
pub struct SessionSignal(pub RwSignal<Session>);

/// Provides the session signal; call [`check_session`] once the local
/// database is open.
pub fn provide_session() -> RwSignal<Session> {
    let session = RwSignal::new(Session::Checking);
    provide_context(SessionSignal(session));
    session
}

/// Asks the server who is logged in and updates `session`. With no network,
/// the user last logged in on this phone carries on offline: their data is
/// on the phone, and the server checks the session at the next sync.
pub fn check_session(session: RwSignal<Session>) {
    leptos::task::spawn_local(async move {
        let answer = api::me().await;
        let stored = match crate::data::db() {
            Some(db) => db.profile().await.ok().flatten(),
            None => None,
        };
        session.set(match answer {
            Ok(me) if stored.as_ref() != Some(&me) => {
                finish_login(me, session).await;
                return;
            }
            Ok(me) => {
                crate::data::remember_me(&me);
                Session::LoggedIn(me)
            }
            Err(AppError::Offline) => match stored {
                Some(me) => {
                    crate::data::remember_me(&me);
                    Session::LoggedIn(me)
                }
                // Nobody's data on this phone: nothing to carry on with
                // offline. The login page (precached) says what is wrong
                // when the user tries.
                None => Session::LoggedOut,
            },
            Err(_) => Session::LoggedOut,
        });
    });
}

/// Makes the phone's data this user's, then shows the app. If the phone
/// cannot make its data this user's (its storage fails), the app is not
/// shown — it could hold the previous user's citizens — and the user is
/// told why, on the login page.
pub async fn finish_login(me: shared::api::MeResponse, session: RwSignal<Session>) {
    match crate::data::logged_in(&me).await {
        Ok(()) => {
            crate::notice::clear();
            session.set(Session::LoggedIn(me));
        }
        Err(e) => {
            let _ = api::logout().await;
            crate::notice::report(
                Localized::new(
                    "Telefonen kunne ikke gøres klar til dig, så du er ikke logget ind. Prøv igen; hjælper det ikke, så genindlæs appen.",
                    "The phone could not be made ready for you, so you are not logged in. Try again; if that does not help, reload the app.",
                ),
                e.message(),
            );
            session.set(Session::LoggedOut);
        }
    }
}

pub fn use_session() -> RwSignal<Session> {
    expect_context::<SessionSignal>().0
}

#[derive(Clone, Copy)]
pub struct Online(pub RwSignal<bool>);

/// Tracks `navigator.onLine` and its `online`/`offline` events, and what
/// requests find ([`crate::network::send`]): `navigator.onLine` says true on a
/// network that leads nowhere (a captive Wi-Fi, a cable with no uplink),
/// and a reloaded page may start with it true while the phone has no
/// network at all.
pub fn provide_network() {
    let online = RwSignal::new(window().navigator().on_line());
    // The app lives as long as the page, and so do these listeners: the
    // handles are dropped without removing them.
    crate::network::register(online);
    drop(window_event_listener(leptos::ev::online, move |_| crate::network::set(true)));
    drop(window_event_listener(leptos::ev::offline, move |_| crate::network::set(false)));
    provide_context(Online(online));
    // Found unreachable while the browser says online: ask the server now
    // and then, so the app comes back by itself when the network does
    // (no `online` event comes when the browser never said offline).
    leptos::task::spawn_local(async move {
        loop {
            gloo_timers::future::TimeoutFuture::new(REACH_PROBE_MS).await;
            if !online.get_untracked()
                && window().navigator().on_line()
                && let Ok(request) = gloo_net::http::Request::get("/api/me").build()
            {
                crate::network::send(request).await;
            }
        }
    });
}

/// How often (ms) an unreachable server is asked again while the browser
/// says online.
const REACH_PROBE_MS: u32 = 5_000;

pub fn use_online() -> RwSignal<bool> {
    expect_context::<Online>().0
}
