//! Import and export on `/admin`: citizens and grants from the case
//! system's CSV (a dry run first, then the import, which the server does
//! all or nothing), and a period's visits as CSV.
//!
//! The dry run lists, for each line, the fields it would change.

use leptos::prelude::*;
use shared::admin::{ImportChange, ImportKind, ImportReport};
use shared::error::field_label;
use shared::{ErrorBody, Lang, Localized, Problem, ValidationError};

use crate::api;
use crate::clock::now;
use crate::components::form::{Form, FormFailure, Refusal};
use crate::components::text_field::TextField;
use crate::error::AppError;
use crate::format;
use crate::i18n::{tr, use_lang};

fn kind_label(kind: ImportKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (ImportKind::Citizens, Lang::Da) => "Borgere",
        (ImportKind::Citizens, Lang::En) => "Citizens",
        (ImportKind::Grants, Lang::Da) => "Bevillinger",
        (ImportKind::Grants, Lang::En) => "Grants",
    }
}

/// What one line of an import does, in words: "Ny: Navn, Fødselsår" /
/// "Ændres: Koordinerende sagsbehandler" (issue 12, kind 6: an update
/// changes only the columns in the file, and the dry run says which).
pub fn change_text(c: &ImportChange, lang: Lang) -> String {
    let fields: Vec<String> = c.fields.iter().map(|f| field_label(f).get(lang).to_owned()).collect();
    let what = match (c.created, lang) {
        (true, Lang::Da) => "Ny",
        (true, Lang::En) => "New",
        (false, Lang::Da) => "Ændres",
        (false, Lang::En) => "Changes",
    };
    format!("{what}: {}", fields.join(", "))
}

fn columns(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Citizens => {
            "sagsnummer;navn;fødselsdato (eller fødselsår);ydelse;koordinator;lag;lag fra;sagsområde;sag åbnet;sag lukket"
        }
        ImportKind::Grants => "bevillingsnummer;sagsnummer;ydelse;lovgrundlag;timer;pr;fra;til;betaler",
    }
}

#[component]
pub fn ExchangeSection() -> impl IntoView {
    let lang = use_lang();
    let kind = RwSignal::new(ImportKind::Citizens);
    let file = RwSignal::new_local(None::<web_sys::File>);
    let report = RwSignal::new(None::<ImportReport>);
    let form = Form::new();
    // A dry run or the import itself; the newest answer is the one shown.
    let import = form.action(
        |(kind, dry_run, file): &(ImportKind, bool, web_sys::File)| {
            let (kind, dry_run, file) = (*kind, *dry_run, file.clone());
            async move {
                api::import(kind, dry_run, &file).await.map_err(|e| match e {
                    // A proxy or the body limit answered, not the import.
                    AppError::Refused { status: 413, .. } => AppError::Refused {
                        status: 413,
                        body: ErrorBody::new(
                            "too_large",
                            Localized::new("Filen er for stor (højst 8 MB).", "The file is too large (at most 8 MB)."),
                        ),
                    },
                    other => other,
                })
            }
        },
        move |r| report.set(Some(r)),
    );
    let busy = import.pending();
    let run = move |dry_run: bool| {
        form.submit(import, || match file.get_untracked() {
            Some(f) => Ok((kind.get_untracked(), dry_run, f)),
            None => Err(vec![ValidationError::new("file", Problem::Required)]),
        });
    };
    // The import is offered after a clean dry run of the chosen file.
    let can_import =
        move || report.with(|r| r.as_ref().is_some_and(|r| r.dry_run && r.problems.is_empty() && r.lines > 0));

    let today = now().local_date();
    let from = RwSignal::new(today.add_months(-1).to_string());
    let to = RwSignal::new(today.to_string());

    view! {
        <section class="admin-page__section" aria-labelledby="import-title">
            <h2 class="section-title" id="import-title">{tr("Import fra fagsystem", "Import from the case system")}</h2>
            <p class="field__hint">{tr("CSV i UTF-8 eller Windows-1252 med ; eller , – datoer som 24.11.2026. Importen matcher på sagsnummer/bevillingsnummer, så den kan køres igen uden dubletter. Først et tørløb; intet gemmes, hvis én linje har fejl.",
                "CSV in UTF-8 or Windows-1252 with ; or , – dates as 24.11.2026. The import matches on case and grant ids, so it can run again without duplicates. A dry run first; nothing is saved if any line has an error.")}</p>
            <div class="segmented" role="radiogroup" aria-label=move || tr("Hvad importeres", "What to import")()>
                {[ImportKind::Citizens, ImportKind::Grants].into_iter().map(|k| view! {
                    <label class="segmented__option">
                        <input type="radio" name="import-kind" prop:checked=move || kind.get() == k
                            on:change=move |_| { kind.set(k); report.set(None); }/>
                        <span>{move || kind_label(k, lang.get())}</span>
                    </label>
                }).collect_view()}
            </div>
            <p class="field__hint">{tr("Kolonner: ", "Columns: ")}<code>{move || columns(kind.get())}</code></p>
            <p class="field__hint">{tr(
                "Til at rette eksisterende kan filen nøjes med sagsnummeret (bevillingsnummeret for bevillinger) og de kolonner, der skal ændres: en kolonne, der ikke er med, ændrer intet; en tom celle sletter værdien.",
                "To update existing records the file needs only the case id (the grant number for grants) and the columns to change: a column left out changes nothing; an empty cell clears the value.",
            )}</p>
            <div class="field">
                <label class="field__label" for="import-file">{tr("Fil", "File")}</label>
                <input class="field__input" type="file" id="import-file" accept=".csv,text/csv"
                    aria-invalid=move || form.error("file").get().is_some().to_string() aria-describedby="import-file-error"
                    on:change:target=move |ev| {
                        file.set(ev.target().files().and_then(|f| f.get(0)));
                        report.set(None);
                        form.clear();
                    }/>
                <p class="field__error" id="import-file-error">{form.error_at("file", tr("Fil", "File"))}</p>
            </div>
            <div class="admin-page__buttons">
                <button type="button" class="button" disabled=move || busy.get() on:click=move |_| run(true) data-testid="import-dry-run">
                    {tr("Tørløb", "Dry run")}
                </button>
                <button type="button" class="button button--primary" disabled=move || busy.get() || !can_import() on:click=move |_| run(false) data-testid="import-run">
                    {tr("Importér", "Import")}
                </button>
            </div>
            <FormFailure form=form/>
            {move || report.get().map(|r| {
                let l = lang.get();
                // "3 nye, 1 ændret, 0 uændrede af 4 linjer": each count with
                // its word in the singular or the plural.
                let counts = match l {
                    Lang::Da => format!(
                        "{}, {}, {} af {}",
                        format::count(r.created, "ny", "nye", l),
                        format::count(r.updated, "ændret", "ændrede", l),
                        format::count(r.unchanged, "uændret", "uændrede", l),
                        format::count(r.lines, "linje", "linjer", l)
                    ),
                    Lang::En => format!(
                        "{} new, {} changed, {} unchanged of {}",
                        l.group_thousands(r.created.into()),
                        l.group_thousands(r.updated.into()),
                        l.group_thousands(r.unchanged.into()),
                        format::count(r.lines, "line", "lines", l)
                    ),
                };
                let summary = match (r.applied, r.dry_run, l) {
                    (true, _, Lang::Da) => format!("Importeret: {counts}."),
                    (true, _, Lang::En) => format!("Imported: {counts}."),
                    (false, true, Lang::Da) if r.problems.is_empty() => format!("Tørløb uden fejl: {counts}. Intet er gemt endnu."),
                    (false, true, Lang::En) if r.problems.is_empty() => format!("Dry run without errors: {counts}. Nothing is saved yet."),
                    (false, _, Lang::Da) => format!("{} fejl – intet er gemt. Ret filen og prøv igen.", l.group_thousands(r.problems.len() as i64)),
                    (false, _, Lang::En) => format!("{} – nothing is saved. Fix the file and try again.", format::count(r.problems.len() as i64, "error", "errors", l)),
                };
                view! {
                    <p class="notice" role="status" data-testid="import-summary">{summary}</p>
                    {(!r.changes.is_empty()).then(|| view! {
                        <div class="table-wrap" role="region" tabindex="0" aria-label=tr("Ændringer", "Changes")>
                            <table class="lead-table" data-testid="import-changes">
                                <caption>{if r.applied { tr("Hvad importen ændrede", "What the import changed")() } else { tr("Hvad importen vil ændre", "What the import will change")() }}</caption>
                                <thead><tr>
                                    <th scope="col">{tr("Linje", "Line")}</th>
                                    <th scope="col">{tr("Sagsnummer", "Case id")}</th>
                                    <th scope="col">{tr("Felter", "Fields")}</th>
                                </tr></thead>
                                <tbody>
                                    {r.changes.iter().take(200).map(|c| view! {
                                        <tr data-testid="import-change">
                                            <td>{c.line}</td>
                                            <td>{c.external_id.clone()}</td>
                                            <td>{change_text(c, l)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {(r.changes.len() > 200).then(|| view! {
                                <p class="field__hint">{match l {
                                    Lang::Da => format!("… og {} linjer mere.", r.changes.len() - 200),
                                    Lang::En => format!("… and {} more lines.", r.changes.len() - 200),
                                }}</p>
                            })}
                        </div>
                    })}
                    {(!r.problems.is_empty()).then(|| view! {
                        <div class="table-wrap" role="region" tabindex="0" aria-label=tr("Fejl i filen", "Errors in the file")>
                            <table class="lead-table" data-testid="import-problems">
                                <thead><tr>
                                    <th scope="col">{tr("Linje", "Line")}</th>
                                    <th scope="col">{tr("Felt", "Field")}</th>
                                    <th scope="col">{tr("Fejl", "Error")}</th>
                                </tr></thead>
                                <tbody>
                                    {r.problems.iter().take(200).map(|p| view! {
                                        <tr>
                                            <td>{p.line}</td>
                                            <td>{field_label(&p.field).get(l).to_owned()}</td>
                                            <td>{p.message.get(l).to_owned()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })}
                }
            })}
        </section>
        <section class="admin-page__section" aria-labelledby="export-title">
            <h2 class="section-title" id="export-title">{tr("Udtræk af besøg", "Visits export")}</h2>
            <p class="field__hint">{tr("Alle besøg i perioden som CSV til regneark (højst et år ad gangen). En borgers samlede data hentes fra borgerens side.", "Every visit in the period as CSV for spreadsheets (at most a year at a time). A citizen's complete data is downloaded from the citizen's page.")}</p>
            <div class="grant-form__allowance">
                <TextField id="export-from" label=Signal::derive(tr("Fra", "From")) input_type="date" value=from error=Signal::derive(|| None::<Refusal>)/>
                <TextField id="export-to" label=Signal::derive(tr("Til og med", "To")) input_type="date" value=to error=Signal::derive(|| None::<Refusal>)/>
            </div>
            <a class="button" data-testid="export-visits" download=""
                href=move || format!("/api/admin/visits.csv?from={}&to={}", from.get(), to.get())>{tr("Hent CSV", "Download CSV")}</a>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_says_which_fields_it_sets() {
        let change = |created: bool, fields: &[&str]| ImportChange {
            line: 2,
            external_id: "SAG-1".to_owned(),
            created,
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        };
        let cases = [
            (change(false, &["coordinator_id"]), Lang::Da, "Ændres: Koordinerende sagsbehandler"),
            (change(false, &["name", "birth_year"]), Lang::En, "Changes: Name, Birth year"),
            (change(true, &["minutes", "valid_to"]), Lang::Da, "Ny: Minutter, Gælder til"),
        ];
        for (c, lang, text) in cases {
            assert_eq!(change_text(&c, lang), text);
        }
    }
}
