//! "Udskriv": the browser's print of the page, whose print styles leave out
//! the navigation and the controls (`.no-print`).

use leptos::prelude::*;

use crate::i18n::tr;

/// A button that prints the page.
#[component]
pub fn PrintButton() -> impl IntoView {
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! { <button type="button" class="button" on:click=print>{tr("Udskriv", "Print")}</button> }
}
