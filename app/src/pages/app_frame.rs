//! The frame around every page after login: who is logged in, whether the
//! phone is online, and behind the name, language and log out.
//!
//! Logging out warns about unsent work, then wipes the phone, and does not say
//! "logged out" if the wipe failed. Until a temporary password is replaced, the
//! frame sends every route to `/password` (`pages::password`), and from there
//! back to Today once it is.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api;
use crate::components::lang_switch::LangSwitch;
use crate::components::notice::{NoticeLine, Tap};
use crate::components::pwa::PwaBanner;
use crate::components::sync_status::SyncStatusLine;
use crate::data::use_data;
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::state::{Session, use_online, use_session};

#[component]
pub fn AppFrame(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let online = use_online();
    let lang = use_lang();
    let navigate = use_navigate();
    let location = use_location();
    let path = move || location.pathname.get();

    // Not logged in: to the login page. A temporary password: to choosing
    // one's own (the server answers nothing else until then), and back to
    // Today once it is chosen.
    Effect::new(move |_| match session.get() {
        Session::LoggedOut => navigate("/login", Default::default()),
        Session::LoggedIn(me) if me.must_change_password && path() != "/password" => {
            navigate("/password", Default::default())
        }
        Session::LoggedIn(me) if !me.must_change_password && path() == "/password" => navigate("/", Default::default()),
        _ => {}
    });

    let data = use_data();
    // The server no longer knows this session: log in again (nothing on the
    // phone is lost; the same user gets their outbox back).
    Effect::new(move |_| {
        if data.status.get().problem == Some(crate::sync::runner::SyncProblem::LoginNeeded) {
            session.set(Session::LoggedOut);
        }
    });
    // Deactivated: what was waiting went to the server, then the phone
    // wiped itself; the login page says why.
    Effect::new(move |_| {
        if data.status.get().problem == Some(crate::sync::runner::SyncProblem::Deactivated) {
            data.view.set(None);
            session.set(Session::LoggedOut);
        }
    });
    // Logged out on this phone even if the server cannot be told now (the
    // session then simply expires there). Nothing about citizens stays on
    // the phone; if the phone could not delete it, the user must know: not
    // "logged out".
    let log_out_tap = Tap::new(
        shared::Localized::new(
            "Du er ikke logget helt ud: borgerdata kunne ikke slettes fra telefonen. Prøv at logge ud igen.",
            "You are not fully logged out: citizen data could not be deleted from the phone. Try logging out again.",
        ),
        |()| async {
            let _ = api::logout().await;
            crate::data::wipe().await.map_err(AppError::from)
        },
        move |()| session.set(Session::LoggedOut),
    );
    let logging_out = log_out_tap.busy();
    // Unsent work on the phone: logging out would lose it, so ask first.
    let confirm_loss = RwSignal::new(false);
    let pending = move || data.view.get().map_or(0, |v| v.pending);
    let do_log_out = move || {
        confirm_loss.set(false);
        log_out_tap.run(());
    };
    let log_out = move |_| {
        if pending() > 0 {
            crate::sync::runner::request_sync(false);
            confirm_loss.set(true);
        } else {
            do_log_out();
        }
    };

    let user_name = move || match session.get() {
        Session::LoggedIn(me) => me.name.to_string(),
        _ => String::new(),
    };
    let roles = move || match session.get() {
        Session::LoggedIn(me) => me.roles.iter().map(|r| r.label(lang.get())).collect::<Vec<_>>().join(", "),
        _ => String::new(),
    };
    let is_lead = move || match session.get() {
        Session::LoggedIn(me) => me.has_role(shared::user::Role::Lead) || me.has_role(shared::user::Role::Admin),
        _ => false,
    };
    // The resource picture: leads, area heads and administrators (issue 14).
    let sees_figures = move || match session.get() {
        Session::LoggedIn(me) => [shared::user::Role::Lead, shared::user::Role::AreaHead, shared::user::Role::Admin]
            .into_iter()
            .any(|r| me.has_role(r)),
        _ => false,
    };
    let is_admin = move || match session.get() {
        Session::LoggedIn(me) => me.has_role(shared::user::Role::Admin),
        _ => false,
    };
    // The inbox of decision notices (issue 16): for those who receive them
    // (coordinating case workers and leads), and for anyone who has one.
    let unread = move || {
        let session = session.get();
        data.view.with(|v| v.as_ref().map_or(0, |v| crate::pages::inbox::unread_count(v, &session)))
    };
    let has_inbox = move || match session.get() {
        Session::LoggedIn(me) => {
            [shared::user::Role::Coordinator, shared::user::Role::Lead].into_iter().any(|r| me.has_role(r))
                || data.view.with(|v| v.as_ref().is_some_and(|v| v.notices.iter().any(|n| n.recipient_id == me.id)))
        }
        _ => false,
    };
    let status_text = tr("Online", "Online");
    let offline_text = tr("Offline", "Offline");
    let children = StoredValue::new(children);
    // Who is logged in, language and log out sit behind the
    // name in the bar: on a phone the page's own title then starts under
    // the tabs, not 400 px down (issue 15's walk). Closed by the button
    // and by Escape; every screen has a frame of its own, so moving to
    // another starts closed.
    let account_open = RwSignal::new(false);
    let escape = window_event_listener(leptos::ev::keydown, move |e| {
        if e.key() == "Escape" {
            account_open.set(false);
        }
    });
    on_cleanup(move || escape.remove());

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
                <button
                    type="button"
                    class="app-frame__account"
                    aria-expanded=move || account_open.get().to_string()
                    aria-controls="account-panel"
                    on:click=move |_| account_open.update(|o| *o = !*o)
                    data-testid="account"
                >
                    <span class="app-frame__account-name" data-testid="user-name">{user_name}</span>
                </button>
            </header>
            <Show when=move || account_open.get()>
                <div class="app-frame__user" id="account-panel" data-testid="account-panel">
                    <div class="app-frame__who">
                        <span class="app-frame__name">{user_name}</span>
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
            </Show>
            <PwaBanner/>
            <nav class="app-frame__nav" aria-label=move || if lang.get() == shared::Lang::Da { "Hovedmenu" } else { "Main menu" }>
                <a class="app-frame__nav-link" href="/" aria-current=move || (path() == "/").then_some("page")>{tr("I dag", "Today")}</a>
                <a class="app-frame__nav-link" href="/citizens" aria-current=move || path().starts_with("/citizens").then_some("page")>{tr("Borgere", "Citizens")}</a>
                <a class="app-frame__nav-link" href="/visits/new" aria-current=move || (path() == "/visits/new").then_some("page")>{tr("Registrér", "Log")}</a>
                <Show when=has_inbox>
                    <a class="app-frame__nav-link" href="/inbox" data-testid="nav-inbox" aria-current=move || path().starts_with("/inbox").then_some("page")>
                        {tr("Beskeder", "Notices")}
                        <Show when=move || unread() != 0>
                            " "<span class="app-frame__count" data-testid="nav-inbox-count">{unread}</span>
                            <span class="visually-hidden">{move || if lang.get() == shared::Lang::Da { " ulæste" } else { " unread" }}</span>
                        </Show>
                    </a>
                </Show>
                <Show when=is_lead>
                    <a class="app-frame__nav-link" href="/lead" data-testid="nav-lead" aria-current=move || path().starts_with("/lead").then_some("page")>{tr("Overblik", "Overview")}</a>
                </Show>
                <Show when=move || crate::pages::courses::follows_courses(&session.get()) && !is_admin()>
                    <a class="app-frame__nav-link" href="/courses" data-testid="nav-courses" aria-current=move || path().starts_with("/courses").then_some("page")>{tr("Forløb", "Courses")}</a>
                </Show>
                <Show when=sees_figures>
                    <a class="app-frame__nav-link" href="/figures" data-testid="nav-figures" aria-current=move || path().starts_with("/figures").then_some("page")>{tr("Tal", "Figures")}</a>
                </Show>
                <Show when=is_admin>
                    <a class="app-frame__nav-link" href="/admin" data-testid="nav-admin" aria-current=move || path().starts_with("/admin").then_some("page")>{tr("Admin", "Admin")}</a>
                </Show>
            </nav>
            <SyncStatusLine/>
            <NoticeLine/>
            <Show when=move || confirm_loss.get()>
                <div class="app-frame__confirm" role="alertdialog" aria-labelledby="confirm-title">
                    <p id="confirm-title">
                        {move || match lang.get() {
                            l @ shared::Lang::Da => match pending() {
                                1 => "1 registrering er ikke sendt endnu. Gå online og synkronisér, før du logger ud – ellers går den tabt.".to_owned(),
                                n => format!("{} er ikke sendt endnu. Gå online og synkronisér, før du logger ud – ellers går de tabt.", crate::format::count(n as i64, "registrering", "registreringer", l)),
                            },
                            l @ shared::Lang::En => match pending() {
                                1 => "1 record has not been sent yet. Go online and sync before logging out, or it is lost.".to_owned(),
                                n => format!("{} have not been sent yet. Go online and sync before logging out, or they are lost.", crate::format::count(n as i64, "record", "records", l)),
                            },
                        }}
                    </p>
                    <div class="app-frame__confirm-actions">
                        <button type="button" class="button" on:click=move |_| confirm_loss.set(false)>
                            {tr("Bliv logget ind", "Stay logged in")}
                        </button>
                        <button type="button" class="button button--danger" on:click=move |_| do_log_out()>
                            {tr("Log ud og slet", "Log out and delete")}
                        </button>
                    </div>
                </div>
            </Show>
            <main class="app-frame__main" id="main">
                {move || match session.get() {
                    // Until a temporary password is replaced, the server
                    // answers nothing else.
                    Session::LoggedIn(me) if me.must_change_password && path() != "/password" => view! {
                        <p class="app-frame__message" role="status">{tr("Henter…", "Loading…")}</p>
                    }.into_any(),
                    Session::LoggedIn(_) => children.with_value(|c| c()).into_any(),
                    Session::Checking => view! {
                        <p class="app-frame__message" role="status">{tr("Henter…", "Loading…")}</p>
                    }.into_any(),
                    Session::LoggedOut => ().into_any(),
                }}
            </main>
        </div>
    }
}
