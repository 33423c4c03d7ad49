//! The installed-app side of the PWA: "new version — reload" when a new
//! build is waiting (never swapped under the user's hands), and an install
//! button where the browser offers one. The boot script (public/boot.js)
//! owns the service worker and tells the app through window events.

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
    view! {
        <Show when=move || update.get()>
            <div class="pwa-banner" role="status" data-testid="update-ready">
                <p class="pwa-banner__text">{tr("Ny version klar.", "New version ready.")}</p>
                <button type="button" class="button button--primary" on:click=move |_| apply_update() data-testid="apply-update">
                    {tr("Ny version — genindlæs", "New version — reload")}
                </button>
            </div>
        </Show>
        <Show when=move || installable.get() && !update.get()>
            <div class="pwa-banner pwa-banner--quiet">
                <p class="pwa-banner__text">{tr("Helhed kan installeres på telefonen og virker så uden netværk.", "Helhed can be installed on the phone and then works without a network.")}</p>
                <button type="button" class="button" on:click=move |_| call("helhedInstall") data-testid="install">
                    {tr("Installér", "Install")}
                </button>
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
