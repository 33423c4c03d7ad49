//! The frame around every page after login: who is logged in, whether the
//! phone is online, language, and log out.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::components::lang_switch::LangSwitch;
use crate::i18n::{tr, use_lang};
use crate::state::{Session, check_session, use_online, use_session};

#[component]
pub fn AppFrame(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let online = use_online();
    let lang = use_lang();
    let navigate = use_navigate();

    // Not logged in: to the login page.
    Effect::new(move |_| {
        if session.get() == Session::LoggedOut {
            navigate("/login", Default::default());
        }
    });

    let logging_out = RwSignal::new(false);
    let log_out = move |_| {
        logging_out.set(true);
        leptos::task::spawn_local(async move {
            // Logged out on this phone even if the server cannot be told now;
            // the session then simply expires on the server.
            let _ = api::logout().await;
            logging_out.set(false);
            session.set(Session::LoggedOut);
        });
    };

    let user_name = move || match session.get() {
        Session::LoggedIn(me) => me.name.to_string(),
        _ => String::new(),
    };
    let roles = move || match session.get() {
        Session::LoggedIn(me) => me.roles.iter().map(|r| r.label(lang.get())).collect::<Vec<_>>().join(", "),
        _ => String::new(),
    };
    let status_text = tr("Online", "Online");
    let offline_text = tr("Offline", "Offline");
    let children = StoredValue::new(children);

    view! {
        <div class="app-frame">
            <header class="app-frame__bar">
                <a class="app-frame__brand" href="/">"Helhed"</a>
                <p
                    class="app-frame__network"
                    role="status"
                    data-state=move || if online.get() { "online" } else { "offline" }
                    data-testid="network-state"
                >
                    {move || if online.get() { status_text() } else { offline_text() }}
                </p>
            </header>
            <div class="app-frame__user">
                <div class="app-frame__who">
                    <span class="app-frame__name" data-testid="user-name">{user_name}</span>
                    <span class="app-frame__roles">{roles}</span>
                </div>
                <LangSwitch/>
                <button
                    type="button"
                    class="button button--quiet"
                    on:click=log_out
                    disabled=move || logging_out.get()
                    data-testid="log-out"
                >
                    {tr("Log ud", "Log out")}
                </button>
            </div>
            <main class="app-frame__main" id="main">
                {move || match session.get() {
                    Session::LoggedIn(_) => children.with_value(|c| c()).into_any(),
                    Session::Checking => view! {
                        <p class="app-frame__message" role="status">{tr("Henter…", "Loading…")}</p>
                    }.into_any(),
                    Session::Unreachable => view! {
                        <div class="app-frame__message" role="alert">
                            <p>{tr("Serveren kan ikke nås lige nu.", "The server cannot be reached right now.")}</p>
                            <button type="button" class="button" on:click=move |_| {
                                session.set(Session::Checking);
                                check_session(session);
                            }>{tr("Prøv igen", "Try again")}</button>
                        </div>
                    }.into_any(),
                    Session::LoggedOut => ().into_any(),
                }}
            </main>
        </div>
    }
}
