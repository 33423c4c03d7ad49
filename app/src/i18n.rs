//! The UI language: Danish by default, English selectable, remembered on
//! the device. Texts sit at their call site in both languages, so none can
//! go missing: `tr("Log ind", "Log in")`.

use gloo_storage::Storage;
use leptos::prelude::*;
use shared::Lang;

const STORAGE_KEY: &str = "helhed.lang";

#[derive(Clone, Copy)]
pub struct LangSignal(pub RwSignal<Lang>);

pub fn provide_lang() {
    let stored = gloo_storage::LocalStorage::raw()
        .get_item(STORAGE_KEY)
        .ok()
        .flatten()
        .and_then(|code| Lang::from_code(&code))
        .unwrap_or_default();
    let lang = RwSignal::new(stored);
    Effect::new(move |_| {
        let lang = lang.get();
        let _ = gloo_storage::LocalStorage::raw().set_item(STORAGE_KEY, lang.code());
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.code());
        }
    });
    provide_context(LangSignal(lang));
}

pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<LangSignal>().0
}

/// A text that follows the chosen language.
pub fn tr(da: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || match lang.get() {
        Lang::Da => da,
        Lang::En => en,
    }
}
