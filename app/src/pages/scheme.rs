//! The municipality's classification scheme (issue 14), `/admin/scheme`:
//! an administrator names the layers citizens are classified into (seed
//! 000's three by default; seed 003 uses six citizen types), each with a
//! stable code, a name in Danish and English and the area that handles
//! its citizens, and for a sub-category (seed 003: economy, children,
//! substance abuse under a citizen type) the layer it belongs under;
//! orders them (the tables' columns), adds and removes them — without a
//! code change. A layer that classified citizens hold cannot
//! be removed: the server refuses it at the list, naming the layer, and
//! nothing is saved half. Written straight to the server; the phones get
//! the new names by sync.

use leptos::prelude::*;
use shared::area::AreaKind;
use shared::review::{Layer, Scheme};
use shared::{Lang, Localized};

use crate::api;
use crate::components::form::{Form, FormFrame};
use crate::components::text_field::SelectField;
use crate::data::fetch_or_cached;
use crate::i18n::{tr, use_lang};

/// One layer as typed.
#[derive(Clone, Copy)]
struct Row {
    code: RwSignal<String>,
    da: RwSignal<String>,
    en: RwSignal<String>,
    area: RwSignal<String>,
    /// The top-level layer's code for a sub-category; empty for a layer.
    parent: RwSignal<String>,
    /// Meetings a year (`"0"`–`"12"`); empty: the default.
    meetings: RwSignal<String>,
}

impl Row {
    fn of(layer: &Layer) -> Row {
        Row {
            code: RwSignal::new(layer.code.clone()),
            da: RwSignal::new(layer.label.da.clone()),
            en: RwSignal::new(layer.label.en.clone()),
            area: RwSignal::new(layer.area.map(|a| a.code().to_owned()).unwrap_or_default()),
            parent: RwSignal::new(layer.parent.clone().unwrap_or_default()),
            meetings: RwSignal::new(layer.meetings_per_year.map(|n| n.to_string()).unwrap_or_default()),
        }
    }

    fn empty() -> Row {
        Row {
            code: RwSignal::new(String::new()),
            da: RwSignal::new(String::new()),
            en: RwSignal::new(String::new()),
            area: RwSignal::new(String::new()),
            parent: RwSignal::new(String::new()),
            meetings: RwSignal::new(String::new()),
        }
    }

    fn layer(self) -> Layer {
        Layer {
            code: self.code.get_untracked().trim().to_owned(),
            label: Localized::new(self.da.get_untracked().trim(), self.en.get_untracked().trim()),
            area: AreaKind::from_code(&self.area.get_untracked()),
            parent: Some(self.parent.get_untracked()).filter(|p| !p.is_empty()),
            meetings_per_year: self.meetings.get_untracked().parse().ok(),
        }
    }
}

#[component]
pub fn SchemePage() -> impl IntoView {
    let lang = use_lang();
    let rows: RwSignal<Vec<Row>> = RwSignal::new(Vec::new());
    let saved = RwSignal::new(false);
    let ready = RwSignal::new(false);
    let form = Form::new();
    form.load(
        || async { fetch_or_cached("scheme", api::scheme()).await.map(|(s, _)| s) },
        move |s: Scheme| {
            rows.set(s.layers.iter().map(Row::of).collect());
            ready.set(true);
        },
    );
    let save = form.action(
        move |scheme: &Scheme| {
            let scheme = scheme.clone();
            async move { api::put_scheme(&scheme).await }
        },
        move |s: Scheme| {
            rows.set(s.layers.iter().map(Row::of).collect());
            saved.set(true);
        },
    );
    let submit = Callback::new(move |()| {
        saved.set(false);
        form.submit(save, || {
            let scheme = Scheme { layers: rows.get_untracked().into_iter().map(Row::layer).collect() };
            // `shared`'s checks first; the layers in use only the server knows.
            scheme.check(&[]).map(|()| scheme)
        });
    });
    let areas = Signal::derive(move || {
        AreaKind::ALL.iter().map(|k| (k.code().to_owned(), k.label(lang.get()).to_owned())).collect::<Vec<_>>()
    });
    // The rhythms a layer may ask for: the year's twelve months shared
    // evenly, or none.
    let rhythms = Signal::derive(move || {
        let l = lang.get();
        [0u8, 1, 2, 3, 4, 6, 12]
            .iter()
            .map(|n| {
                let label = match (n, l) {
                    (0, Lang::Da) => "Ingen faste møder".to_owned(),
                    (0, Lang::En) => "No regular meetings".to_owned(),
                    (1, Lang::Da) => "1 om året".to_owned(),
                    (1, Lang::En) => "1 a year".to_owned(),
                    (n, Lang::Da) => format!("{n} om året"),
                    (n, Lang::En) => format!("{n} a year"),
                };
                (n.to_string(), label)
            })
            .collect::<Vec<_>>()
    });
    let list_error = form.error_at("layers", tr("Lagene", "The layers"));
    // A refusal of the list as a whole shows above the layers, out of sight
    // of the save button: focus moves to it (and brings it into view).
    Effect::new(move |_| {
        if list_error.get().is_some()
            && let Some(el) = document().get_element_by_id("layers-error")
            && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
        {
            let _ = el.focus();
        }
    });
    // What `row` may belong under: the other rows that are layers (not
    // sub-categories), by code and name in the user's language; and the
    // one it is under now even when that has become a sub-category itself
    // (so the select shows what its refusal is about, never "Nothing").
    let parents_of = move |row: Row| {
        Signal::derive(move || {
            let l = lang.get();
            let own = row.code.get().trim().to_owned();
            let chosen = row.parent.get();
            rows.get()
                .iter()
                .filter_map(|r| {
                    let code = r.code.get().trim().to_owned();
                    let top_level = r.parent.get().is_empty();
                    let offered = !code.is_empty() && (code == chosen || (code != own && top_level));
                    offered.then(|| {
                        let name = l.pick(r.da.get(), r.en.get());
                        let name = if name.trim().is_empty() { code.clone() } else { name };
                        let name = if top_level {
                            name
                        } else {
                            format!("{name} ({})", l.pick("selv en underkategori", "itself a sub-category"))
                        };
                        (code, name)
                    })
                })
                .collect::<Vec<_>>()
        })
    };
    let move_row = move |i: usize, up: bool| {
        rows.update(|r| {
            let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < r.len()) };
            if let Some(j) = j {
                r.swap(i, j);
            }
        })
    };
    view! {
        <section class="admin-page" aria-labelledby="scheme-title">
            <h1 class="page-title" id="scheme-title">{tr("Lag i sagsgennemgangen", "Layers of the case review")}</h1>
            <p class="field__hint">{tr(
                "Lagene, borgerne klassificeres i, i tabellernes rækkefølge. Koden bruges i importfiler og må kun indeholde a–z, 0–9 og _. Et lag med klassificerede borgere kan ikke fjernes.",
                "The layers citizens are classified into, in the tables' order. The code is used in import files and may hold only a–z, 0–9 and _. A layer with classified citizens cannot be removed.",
            )}</p>
            <FormFrame form=form busy=save.pending() ready=ready on_submit=submit testid="save-scheme" save_label=tr("Gem lagene", "Save the layers")>
                <p class="field__error" id="layers-error" role="alert" tabindex="-1" data-testid="layers-error">{move || list_error.get()}</p>
                <ol class="scheme-list">
                    {move || {
                        let count = rows.with(Vec::len);
                        rows.get().into_iter().enumerate().map(|(i, row)| {
                            let code_error = form.error_at(format!("layers[{i}].code"), tr("Kode", "Code"));
                            // Said once, under the second of the two names,
                            // and about both.
                            let label_error = form.error_at(format!("layers[{i}].label"), tr("Navnene", "The names"));
                            view! {
                                <li class="card scheme-list__layer" data-testid="scheme-layer">
                                    <div class="field" data-invalid=move || code_error.get().is_some().to_string()>
                                        <label class="field__label" for=format!("layer-code-{i}")>{tr("Kode", "Code")}</label>
                                        <input class="field__input" id=format!("layer-code-{i}") type="text" autocomplete="off"
                                            aria-invalid=move || code_error.get().is_some().to_string()
                                            aria-describedby=format!("layer-code-{i}-error")
                                            prop:value=move || row.code.get() on:input:target=move |ev| row.code.set(ev.target().value())/>
                                        <p class="field__error" id=format!("layer-code-{i}-error")>{move || code_error.get()}</p>
                                    </div>
                                    <div class="field" data-invalid=move || label_error.get().is_some().to_string()>
                                        <label class="field__label" for=format!("layer-da-{i}")>{tr("Navn på dansk", "Name in Danish")}</label>
                                        <input class="field__input" id=format!("layer-da-{i}") type="text"
                                            aria-invalid=move || label_error.get().is_some().to_string()
                                            aria-describedby=format!("layer-label-{i}-error")
                                            prop:value=move || row.da.get() on:input:target=move |ev| row.da.set(ev.target().value())/>
                                    </div>
                                    <div class="field" data-invalid=move || label_error.get().is_some().to_string()>
                                        <label class="field__label" for=format!("layer-en-{i}")>{tr("Navn på engelsk", "Name in English")}</label>
                                        <input class="field__input" id=format!("layer-en-{i}") type="text"
                                            aria-invalid=move || label_error.get().is_some().to_string()
                                            aria-describedby=format!("layer-label-{i}-error")
                                            prop:value=move || row.en.get() on:input:target=move |ev| row.en.set(ev.target().value())/>
                                        <p class="field__error" id=format!("layer-label-{i}-error")>{move || label_error.get()}</p>
                                    </div>
                                    <SelectField id=format!("layer-area-{i}") label=Signal::derive(tr("Område", "Area")) value=row.area options=areas
                                        error=form.error(format!("layers[{i}].area")) placeholder=Signal::derive(tr("Intet område", "No area"))/>
                                    <SelectField id=format!("layer-parent-{i}") label=Signal::derive(tr("Hører under (underkategori af)", "Belongs under (a sub-category of)")) value=row.parent options=parents_of(row)
                                        error=form.error(format!("layers[{i}].parent")) placeholder=Signal::derive(tr("Intet – et lag for sig", "Nothing – a layer of its own"))/>
                                    <SelectField id=format!("layer-meetings-{i}") label=Signal::derive(tr("Tværfaglige møder", "Cross-disciplinary meetings")) value=row.meetings options=rhythms
                                        error=form.error(format!("layers[{i}].meetings_per_year")) placeholder=Signal::derive(tr("Som standard (3 om året; en underkategori som sit lag)", "The default (3 a year; a sub-category as its layer)"))/>
                                    <div class="scheme-list__actions">
                                        <button type="button" class="button" disabled=i == 0 on:click=move |_| move_row(i, true)>{tr("Flyt op", "Move up")}</button>
                                        <button type="button" class="button" disabled=i + 1 == count on:click=move |_| move_row(i, false)>{tr("Flyt ned", "Move down")}</button>
                                        <button type="button" class="button" data-testid="remove-layer"
                                            on:click=move |_| rows.update(|r| { r.remove(i); })>{tr("Fjern", "Remove")}</button>
                                    </div>
                                </li>
                            }
                        }).collect_view()
                    }}
                </ol>
                <button type="button" class="button" data-testid="add-layer" on:click=move |_| rows.update(|r| r.push(Row::empty()))>{tr("Tilføj lag", "Add a layer")}</button>
                <p class="notice" role="status" data-testid="scheme-saved" hidden=move || !saved.get()>{tr("Lagene er gemt.", "The layers are saved.")}</p>
            </FormFrame>
            <p><a class="button" href="/admin">{tr("Tilbage til administration", "Back to administration")}</a></p>
        </section>
    }
}
