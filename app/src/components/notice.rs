//! The notice line: the one alert under the bar that shows `crate::notice`.

use leptos::prelude::*;

use crate::i18n::{tr, use_lang};
use crate::notice::{clear, current};

/// The alert line. Shown by the frame and the login page.
#[component]
pub fn NoticeLine() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="notice-line" role="alert" data-testid="notice" hidden=move || current().is_none()>
            {move || current().map(|n| view! {
                <p class="notice-line__text">{n.text(lang.get())}</p>
                <button type="button" class="button button--quiet" on:click=|_| clear()>
                    {tr("Luk", "Close")}
                </button>
            })}
        </div>
    }
}
