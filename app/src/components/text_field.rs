//! A labelled input with its error underneath, named by the field: the one
//! way forms show a field, so every one gets the same label, `aria-*` wiring
//! and error place.

use leptos::prelude::*;

#[component]
pub fn TextField(
    /// The input's id and name; the error's id is `<id>-error`.
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    /// `text`, `password`, `search`, `date`, `time`, `number`, …
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
                type=input_type
                autocomplete=autocomplete.unwrap_or("off")
                autocapitalize="none"
                spellcheck="false"
                inputmode=numeric.then_some("numeric")
                min=numeric.then_some("0")
                required=required
                aria-invalid=invalid
                aria-describedby=error_id.clone()
                bind:value=value
            />
            <p class="field__error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
