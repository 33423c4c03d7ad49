//! A labelled input with its error underneath, named by the field: the one
//! way forms show a field, so every one gets the same label, `aria-*` wiring
//! and error place.

use leptos::prelude::*;

use crate::components::refusal::Refusal;

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
    /// The refusal to show, if the value was refused (said after the label).
    #[prop(into)]
    error: Signal<Option<Refusal>>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// How to write the value, under the label (read out with the field).
    #[prop(optional, into)]
    hint: Option<Signal<&'static str>>,
    /// The most characters the text may hold (its `shared` type's
    /// `MAX_CHARS`): a counter shows from three quarters full
    /// ([`CharCounter`]), so the limit is known before a save.
    #[prop(optional)]
    max_chars: Option<u32>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let count_id = format!("{id}-count");
    let mut described_by = if hint.is_some() { format!("{hint_id} {error_id}") } else { error_id.clone() };
    if max_chars.is_some() {
        described_by = format!("{described_by} {count_id}");
    }
    let lang = crate::i18n::use_lang();
    // What the browser could not read (a date that does not exist,
    // "31.02.2026"): its value is then "", which a form would take for
    // nothing typed, or for "until further notice". The field says so
    // itself, and `Form::submit` sends nothing while one is on the page.
    // Not checked on leaving the field: a message appearing then moves the
    // page under the finger that is tapping "Gem".
    let unreadable = RwSignal::new(false);
    // Said on a change (and when a form is sent), taken back as soon as
    // the field reads again: never while a date is typed segment by segment.
    let check = move |target: Option<web_sys::EventTarget>, may_say: bool| {
        if let Some(input) = target.and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok()) {
            let bad = input.validity().bad_input();
            if may_say || !bad {
                unreadable.set(bad);
            }
        }
    };
    let error = Signal::derive(move || match unreadable.get() {
        true => Some(unreadable_message(label.get(), input_type, lang.get())),
        false => error.get().map(|r| r.at(label.get())),
    });
    let invalid = move || error.get().is_some().to_string();
    let numeric = input_type == "number";
    view! {
        <div class="field" data-invalid=invalid>
            <label class="field__label" for=id>{label}</label>
            {hint.map(|h| view! { <p class="field__hint" id=hint_id>{h}</p> })}
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
                data-unreadable=move || unreadable.get().then_some("true")
                on:input=move |ev| check(ev.target(), false)
                on:change=move |ev| check(ev.target(), true)
                aria-describedby=described_by
                bind:value=value
            />
            <p class="field__error" id=error_id>{move || error.get()}</p>
            {max_chars.map(|max| view! { <CharCounter id=count_id value=value max=max/> })}
        </div>
    }
}

/// A labelled `<select>` with its error underneath, wired like [`TextField`].
/// `options` are `(value, label)`; `placeholder`, if given, is a first,
/// empty choice.
#[component]
pub fn SelectField(
    /// The select's id and name (a list's rows make theirs at run time).
    #[prop(into)]
    id: String,
    #[prop(into)] label: Signal<&'static str>,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    /// The refusal to show (said after the label, and the context if any).
    #[prop(into)]
    error: Signal<Option<Refusal>>,
    #[prop(optional, into)] placeholder: Option<Signal<&'static str>>,
    /// Whose choice it is, before the label, in a list of rows ("Mette
    /// Hansen · Overdrages til"), so each row's label names its row.
    #[prop(optional, into)]
    context: Option<String>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let invalid = move || error.get().is_some().to_string();
    let named = context.clone();
    let said = move || {
        error.get().map(|r| match &named {
            Some(c) => r.at(&format!("{c} · {}", label.get())),
            None => r.at(label.get()),
        })
    };
    view! {
        <div class="field" data-invalid=invalid>
            <label class="field__label" for=id.clone()>
                {context.map(|c| view! { <span class="field__context">{c}</span>" · " })}
                {label}
            </label>
            <select
                class="field__input"
                id=id.clone()
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
            <p class="field__error" id=error_id>{said}</p>
        </div>
    }
}

/// What a field the browser could not read says: "Dato: kan ikke læses –
/// skriv en dato, der findes, f.eks. 28.02.2026" (the example in this
/// year, written the language's way).
fn unreadable_message(label: &str, input_type: &str, lang: shared::Lang) -> String {
    let year = crate::clock::now().local_date().year();
    let example = match (input_type, lang) {
        ("time", shared::Lang::Da) => "skriv et klokkeslæt, f.eks. 14.30".to_owned(),
        ("time", shared::Lang::En) => "write a time, e.g. 14:30".to_owned(),
        (_, shared::Lang::Da) => format!("skriv en dato, der findes, f.eks. 28.02.{year}"),
        (_, shared::Lang::En) => format!("write a date that exists, e.g. 28/02/{year}"),
    };
    match lang {
        shared::Lang::Da => format!("{label}: kan ikke læses – {example}"),
        shared::Lang::En => format!("{label}: cannot be read – {example}"),
    }
}

/// Whether a field inside `scope` (the submitting `<form>`; `None`: the
/// page) holds what the browser could not read (see [`TextField`]); a form
/// sends nothing then. Each such field is told to say so.
pub fn unreadable_in(scope: Option<web_sys::Element>) -> bool {
    let inputs = match scope {
        Some(form) => form.query_selector_all("input"),
        None => document().query_selector_all("input"),
    };
    let Ok(inputs) = inputs else { return false };
    let mut any = false;
    for i in 0..inputs.length() {
        if let Some(input) =
            inputs.item(i).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(n).ok())
            && input.validity().bad_input()
        {
            any = true;
            if let Ok(change) = web_sys::Event::new("change") {
                let _ = input.dispatch_event(&change);
            }
        }
    }
    any
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

/// What a text's counter says, and whether the text is too long: nothing
/// until three quarters of `max` characters are used, then the characters
/// left, then how many too many. Counts as `shared`'s texts do
/// (characters, not bytes; the ends trimmed).
pub fn char_count(text: &str, max: u32, lang: shared::Lang) -> (String, bool) {
    let max = i64::from(max);
    let used = text.trim().chars().count() as i64;
    if used * 4 < max * 3 {
        return (String::new(), false);
    }
    let n = |v| lang.group_thousands(v);
    match (used <= max, lang) {
        (true, shared::Lang::Da) => (format!("{} af {} tegn – {} tilbage", n(used), n(max), n(max - used)), false),
        (true, shared::Lang::En) => (format!("{} of {} characters – {} left", n(used), n(max), n(max - used)), false),
        (false, shared::Lang::Da) => (format!("{} tegn for meget – højst {}", n(used - max), n(max)), true),
        (false, shared::Lang::En) => (format!("{} characters too many – at most {}", n(used - max), n(max)), true),
    }
}

/// A labelled `<textarea>` with its error underneath, wired like
/// [`TextField`] (rows: how tall it opens); with `max_chars`, a counter
/// under it ([`char_count`]) as the text nears the most it may hold.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<&'static str>,
    value: RwSignal<String>,
    /// The refusal to show (said after the label).
    #[prop(into)]
    error: Signal<Option<Refusal>>,
    #[prop(optional)] rows: Option<u32>,
    /// The most characters the text may hold (its `shared` type's
    /// `MAX_CHARS`): a counter shows from three quarters full.
    #[prop(optional)]
    max_chars: Option<u32>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let count_id = format!("{id}-count");
    let described_by = if max_chars.is_some() { format!("{error_id} {count_id}") } else { error_id.clone() };
    let invalid = move || error.get().is_some().to_string();
    view! {
        <div class="field" data-invalid=invalid>
            <label class="field__label" for=id.clone()>{label}</label>
            <textarea
                class="field__input field__input--area"
                id=id.clone()
                name=id
                rows=rows.unwrap_or(3)
                aria-invalid=invalid
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())
            ></textarea>
            <p class="field__error" id=error_id>{move || error.get().map(|r| r.at(label.get()))}</p>
            {max_chars.map(|max| view! { <CharCounter id=count_id value=value max=max/> })}
        </div>
    }
}

/// The counter under a text field or area ([`char_count`]): empty until
/// the text nears `max` characters. Not a live region: it changes with
/// every key; the field names it in `aria-describedby` (`id`).
#[component]
pub fn CharCounter(id: String, #[prop(into)] value: Signal<String>, max: u32) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let count = move || char_count(&value.get(), max, lang.get());
    view! {
        <p class="field__hint" id=id data-testid="char-count" data-over=move || count().1.to_string()>
            {move || count().0}
        </p>
    }
}

/// A labelled checkbox (the label is its children): `checked` shows it,
/// `toggle` gets the new state. `single`: on a line of its own.
#[component]
pub fn CheckBox(
    #[prop(into)] id: String,
    #[prop(into)] checked: Signal<bool>,
    toggle: Callback<bool>,
    #[prop(optional)] single: bool,
    children: Children,
) -> impl IntoView {
    let class = if single { "checks__option checks__option--single" } else { "checks__option" };
    let label_for = id.clone();
    view! {
        <label class=class for=label_for>
            <input type="checkbox" id=id prop:checked=move || checked.get()
                on:change=move |ev| toggle.run(event_target_checked(&ev))/>
            <span>{children()}</span>
        </label>
    }
}

/// A checkbox per member of a set kept in `set`: ticked while `item` is in
/// it; ticking adds it (once), unticking takes it out.
pub fn member_of<T: PartialEq + Copy + Send + Sync + 'static>(
    set: RwSignal<Vec<T>>,
    item: T,
) -> (Signal<bool>, Callback<bool>) {
    let checked = Signal::derive(move || set.with(|s| s.contains(&item)));
    (checked, Callback::new(move |on: bool| set_member(set, item, on)))
}

/// Puts `item` in `set` (once) or takes it out.
pub fn set_member<T: PartialEq + Send + Sync + 'static>(set: RwSignal<Vec<T>>, item: T, on: bool) {
    set.update(|s| {
        s.retain(|x| *x != item);
        if on {
            s.push(item);
        }
    })
}
