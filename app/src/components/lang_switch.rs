//! Dansk / English. The choice is remembered on the device.

use leptos::prelude::*;
use shared::Lang;

use crate::i18n::{tr, use_lang};

#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let label = tr("Sprog", "Language");
    let option = move |value: Lang, text: &'static str| {
        view! {
            <button
                type="button"
                class="lang-switch__option"
                lang=value.code()
                aria-pressed=move || (lang.get() == value).to_string()
                on:click=move |_| lang.set(value)
            >
                {text}
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=label>
            {option(Lang::Da, "Dansk")}
            {option(Lang::En, "English")}
        </div>
    }
}
