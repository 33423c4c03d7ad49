//! The installed-app side of the PWA: "new version — reload" when a new
//! build is waiting (never swapped under the user's hands), and an install
//! button where the browser offers one. The boot script (public/boot.js)
//! owns the service worker and tells the app through window events.

use gloo_storage::Storage;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::tr;

fn flag(name: &str) -> bool {
    js_sys::Reflect::get(&window(), &JsValue::from_str(name)).is_ok_and(|v| v.is_truthy())
}

fn call(name: &str) {
    if let Ok(f) = js_sys::Reflect::get(&window(), &JsValue::from_str(name))
        && let Ok(f) = f.dyn_into::<js_sys::Function>()
    {
        let _ = f.call0(&window());
    }
}

/// The `localStorage` key remembering "not now" to the install offer.
const INSTALL_DISMISSED: &str = "helhed.install-dismissed";

/// Whether `key` is set in `localStorage` (false where storage is refused).
fn stored_flag(key: &str) -> bool {
    gloo_storage::LocalStorage::raw().get_item(key).ok().flatten().is_some()
}

/// Sets `key` in `localStorage`; where storage is refused the choice lasts
/// for this page only.
fn store_flag(key: &str) {
    let _ = gloo_storage::LocalStorage::raw().set_item(key, "1");
}

/// A signal that follows `window[flag]`, refreshed on `event`.
fn window_flag(name: &'static str, event: &'static str) -> RwSignal<bool> {
    let value = RwSignal::new(flag(name));
    let handle = window_event_listener_untyped(event, move |_| value.set(flag(name)));
    on_cleanup(move || handle.remove());
    value
}

/// Asks the service worker to keep the lead's and the administrator's
/// screens (their wasm chunks) in this version's cache, so they open
/// offline. Cheap when they are there already.
pub fn keep_office_screens() {
    call("helhedKeepOffice");
}

/// Reloads into the waiting version (or just reloads if none waits).
pub fn apply_update() {
    call("helhedApplyUpdate");
}

#[component]
pub fn PwaBanner() -> impl IntoView {
    let update = window_flag("helhedUpdateReady", "helhed-update");
    let installable = window_flag("helhedInstallable", "helhed-installable");
    // Whether something was typed on this screen: a reload would lose what
    // is not saved yet, so the banner asks first. Typing sets it; moving to
    // another screen (what a save does) clears it.
    let typed = RwSignal::new(false);
    let handle = window_event_listener(leptos::ev::input, move |_| typed.set(true));
    on_cleanup(move || handle.remove());
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        location.pathname.track();
        typed.set(false);
    });
    // "Not now" is remembered on the device: the offer takes room above
    // every page on a phone (issue 15's walk), and the browser's own menu
    // still installs.
    let install_dismissed = RwSignal::new(stored_flag(INSTALL_DISMISSED));
    let dismiss_install = move |_| {
        store_flag(INSTALL_DISMISSED);
        install_dismissed.set(true);
    };
    let confirming = RwSignal::new(false);
    let reload = move |_| if typed.get_untracked() { confirming.set(true) } else { apply_update() };
    view! {
        <Show when=move || update.get()>
            <div class="pwa-banner" role="status" data-testid="update-ready">
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <p class="pwa-banner__text">{tr("Ny version klar.", "New version ready.")}</p>
                        <button type="button" class="button button--primary" on:click=reload data-testid="apply-update">
                            {tr("Genindlæs", "Reload")}
                        </button>
                    }
                >
                    <p class="pwa-banner__text" data-testid="update-unsaved">{tr(
                        "Det, du har skrevet på denne side, er ikke gemt og går tabt ved genindlæsning. Gem først.",
                        "What you typed on this page is not saved and is lost on reload. Save first.",
                    )}</p>
                    <button type="button" class="button" on:click=move |_| confirming.set(false) data-testid="update-later">
                        {tr("Tilbage til siden", "Back to the page")}
                    </button>
                    <button type="button" class="button button--quiet" on:click=move |_| apply_update() data-testid="apply-update-anyway">
                        {tr("Genindlæs alligevel", "Reload anyway")}
                    </button>
                </Show>
            </div>
        </Show>
        <Show when=move || installable.get() && !update.get() && !install_dismissed.get()>
            <div class="pwa-banner pwa-banner--quiet" data-testid="install-banner">
                <p class="pwa-banner__text">{tr("Installér Helhed, så virker den uden netværk.", "Install Helhed to use it without a network.")}</p>
                <span class="pwa-banner__actions">
                    <button type="button" class="button button--quiet" on:click=dismiss_install data-testid="install-later">
                        {tr("Ikke nu", "Not now")}
                    </button>
                    <button type="button" class="button" on:click=move |_| call("helhedInstall") data-testid="install">
                        {tr("Installér", "Install")}
                    </button>
                </span>
            </div>
        </Show>
    }
}

/// A screen whose code could not be fetched (offline before it was ever
/// cached, or the server already has a newer build): the loader leaves it
/// unloaded and says so by the `helhed-chunk-failed` event. The app keeps
/// running; this says what happened and offers the way back. Shown until
/// the user moves to another screen.
#[component]
pub fn ScreenUnavailable() -> impl IntoView {
    let failed = RwSignal::new(false);
    let handle = window_event_listener_untyped("helhed-chunk-failed", move |_| failed.set(true));
    on_cleanup(move || handle.remove());
    let location = leptos_router::hooks::use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            failed.set(false);
        }
        path
    });
    view! {
        <Show when=move || failed.get()>
            <div class="pwa-banner pwa-banner--problem" role="alert" data-testid="screen-unavailable">
                <p class="pwa-banner__text">
                    {tr(
                        "Skærmen kunne ikke hentes. Gå online og genindlæs – alt på telefonen er gemt.",
                        "This screen could not be loaded. Go online and reload – everything on the phone is kept.",
                    )}
                </p>
                <a class="button" href="/">{tr("Til I dag", "To Today")}</a>
                <button type="button" class="button button--primary" on:click=move |_| apply_update()>
                    {tr("Genindlæs", "Reload")}
                </button>
            </div>
        </Show>
    }
}
