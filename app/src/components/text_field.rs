//! A labelled input with its error underneath, named by the field: the one
//! way forms show a field, so every one gets the same label, `aria-*` wiring
//! and error place.

use leptos::prelude::*;

#[component]
pub fn TextField(
    /// The input's id and name; the error's id is `<id>-error`.
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    /// `text`, `password`, `search`, `date`, `time`, `number`, … A `number`
    /// field is a text field with the numeric keyboard: a browser's number
    /// input hands "1,5" to the page as "" (and "1.5" by its own locale),
    /// so the form could not say what was wrong with what was typed.
    input_type: &'static str,
    value: RwSignal<String>,
    /// The message to show, if the value was refused.
    #[prop(into)]
    error: Signal<Option<String>>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let invalid = move || error.get().is_some().to_string();
    let numeric = input_type == "number";
    view! {
        <div class="field" data-invalid=invalid>
            <label class="field__label" for=id>{label}</label>
            <input
                class="field__input"
                id=id
                name=id
                type=if numeric { "text" } else { input_type }
                autocomplete=autocomplete.unwrap_or("off")
                autocapitalize="none"
                spellcheck="false"
                inputmode=numeric.then_some("numeric")
                required=required
                aria-invalid=invalid
                aria-describedby=error_id.clone()
                bind:value=value
            />
            <p class="field__error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// A labelled `<select>` with its error underneath, wired like [`TextField`].
/// `options` are `(value, label)`; `placeholder`, if given, is a first,
/// empty choice.
#[component]
pub fn SelectField(
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] placeholder: Option<Signal<&'static str>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let invalid = move || error.get().is_some().to_string();
    view! {
        <div class="field" data-invalid=invalid>
            <label class="field__label" for=id>{label}</label>
            <select
                class="field__input"
                id=id
                name=id
                aria-invalid=invalid
                aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:change:target=move |ev| value.set(ev.target().value())
            >
                {placeholder.map(|p| view! { <option value="">{p}</option> })}
                {move || options.get().into_iter().map(|(v, text)| {
                    let selected = value.get_untracked() == v;
                    view! { <option value=v selected=selected>{text}</option> }
                }).collect_view()}
            </select>
            <p class="field__error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// Moves focus to the first refused field once the errors are on screen.
pub fn focus_first_error() {
    leptos::task::spawn_local(async {
        gloo_timers::future::TimeoutFuture::new(0).await;
        if let Some(el) = document().query_selector("[aria-invalid=true]").ok().flatten()
            && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
        {
            let _ = el.focus();
        }
    });
}
