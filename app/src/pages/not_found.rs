//! An address the app does not know.

use leptos::prelude::*;

use crate::i18n::tr;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <main class="not-found" id="main">
            <h1>{tr("Siden findes ikke", "Page not found")}</h1>
            <p><a class="button" href="/">{tr("Til forsiden", "Go to the start page")}</a></p>
        </main>
    }
}
