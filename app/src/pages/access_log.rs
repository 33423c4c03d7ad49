//! The access log for administrators: `/admin/access?citizen=<id>` (what a
//! citizen may be told: dates and purposes; the staff names can be hidden
//! for that answer) and `/admin/access?user=<id>` (what a user looked at).
//! `/admin/access` alone asks whose log to read. Read online only; the
//! server logs this look-up too.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::Lang;
use shared::access::{AccessReport, Retention};

use crate::api;
use crate::components::form::{Form, FormFrame};
use crate::components::loaded::Loaded;
use crate::components::text_field::{SelectField, TextField};
use crate::i18n::{tr, use_lang};

#[component]
pub fn AccessLogPage() -> impl IntoView {
    let query = use_query_map();
    // Whose log: the page follows the address, so choosing one below moves
    // to it without a reload.
    let about = Memo::new(move |_| query.with(|q| (q.get("citizen"), q.get("user"))));
    view! {
        <section class="admin-page access-log" aria-labelledby="access-title">
            <h1 class="page-title" id="access-title">{tr("Adgangslog", "Access log")}</h1>
            {move || match about.get() {
                (None, None) => view! { <AccessLogChoice/> }.into_any(),
                (citizen, user) => view! { <AccessLogReport citizen=citizen user=user/> }.into_any(),
            }}
            <a class="button button--quiet" href="/admin">{tr("Til administration", "To administration")}</a>
        </section>
    }
}

/// No citizen or user named (the address typed, or a bookmark): choose
/// whose log to read, from the administrator's directory.
#[component]
fn AccessLogChoice() -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let directory = LocalResource::new(|| async { api::admin_directory().await.map(|d| (d, false)) });
    let citizen = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let missing = RwSignal::new(None::<&'static str>);
    let show = move |d: shared::admin::AdminDirectory| {
        let mut citizens: Vec<(String, String)> =
            d.citizens.iter().map(|c| (c.id.to_string(), c.input.name.to_string())).collect();
        citizens.sort_by(|a, b| a.1.cmp(&b.1));
        let mut users: Vec<(String, String)> = d.users.iter().map(|u| (u.id.to_string(), u.name.to_string())).collect();
        users.sort_by(|a, b| a.1.cmp(&b.1));
        let navigate = navigate.clone();
        let open = move |key: &'static str, value: RwSignal<String>| {
            let navigate = navigate.clone();
            move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let chosen = value.get_untracked();
                if chosen.is_empty() {
                    missing.set(Some(key));
                } else {
                    navigate(&format!("/admin/access?{key}={chosen}"), Default::default());
                }
            }
        };
        let error = move |key: &'static str| {
            Signal::derive(move || {
                (missing.get() == Some(key)).then(|| {
                    let l = lang.get();
                    crate::components::refusal::Refusal::in_words(match key {
                        "citizen" => l.pick("vælg en borger", "choose a citizen"),
                        _ => l.pick("vælg en medarbejder", "choose a staff member"),
                    })
                })
            })
        };
        view! {
            <p class="field__hint">{tr(
                "Vælg en borger (hvem har set eller ændret borgerens data) eller en medarbejder (hvad har vedkommende set).",
                "Choose a citizen (who saw or changed the citizen's data) or a staff member (what they looked at).",
            )}</p>
            <form class="form access-log__choice" on:submit=open("citizen", citizen) novalidate>
                <SelectField id="access-citizen" label=Signal::derive(tr("Borger", "Citizen")) value=citizen
                    options=citizens error=error("citizen") placeholder=tr("Vælg borger", "Choose a citizen")/>
                <button type="submit" class="button button--primary" data-testid="access-show-citizen">{tr("Vis borgerens log", "Show the citizen's log")}</button>
            </form>
            <form class="form access-log__choice" on:submit=open("user", user) novalidate>
                <SelectField id="access-user" label=Signal::derive(tr("Medarbejder", "Staff member")) value=user
                    options=users error=error("user") placeholder=tr("Vælg medarbejder", "Choose a staff member")/>
                <button type="submit" class="button button--primary" data-testid="access-show-user">{tr("Vis medarbejderens log", "Show the staff member's log")}</button>
            </form>
        }
        .into_any()
    };
    view! { <Loaded resource=directory what=("borgere og medarbejdere", "citizens and staff") show=show/> }
}

/// The log of one citizen or one user, newest first.
#[component]
fn AccessLogReport(citizen: Option<String>, user: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let about_citizen = citizen.is_some();
    // For the citizen's own copy: dates and purposes, no staff names.
    let as_citizen = RwSignal::new(false);
    let params = match (&citizen, &user) {
        (Some(c), _) => format!("citizen={c}"),
        (None, Some(u)) => format!("user={u}"),
        (None, None) => String::new(),
    };
    let load = LocalResource::new(move || {
        let params = params.clone();
        async move { api::access_log(&params).await.map(|report| (report, false)) }
    });

    view! {
            <Loaded resource=load what=("adgangsloggen", "the access log") show=move |report: AccessReport| {
                    let l = lang.get();
                    let who = if about_citizen {
                        report.entries.iter().find_map(|e| e.citizen_name.as_ref()).map(|n| n.to_string())
                    } else {
                        report.entries.first().map(|e| e.user_name.to_string())
                    };
                    let kept = match l {
                        Lang::Da => format!("Loggen gemmes i {} måneder; ældre opslag er slettet.", report.retention_months),
                        Lang::En => format!("The log is kept for {} months; older entries are deleted.", report.retention_months),
                    };
                    let empty = report.entries.is_empty();
                    view! {
                        <p class="access-log__who" data-testid="access-who">{who}</p>
                        <p class="field__hint">{kept}</p>
                        <div class="access-log__tools">
                            <Show when=move || about_citizen>
                                <label class="checks__option">
                                    <input type="checkbox" prop:checked=move || as_citizen.get()
                                        on:change:target=move |ev| as_citizen.set(ev.target().checked()) data-testid="as-citizen"/>
                                    <span>{tr("Som svar til borgeren (uden medarbejdernavne)", "As the answer to the citizen (no staff names)")}</span>
                                </label>
                            </Show>
                            <button type="button" class="button" on:click=move |_| { let _ = window().print(); }>{tr("Udskriv", "Print")}</button>
                        </div>
                        {if empty {
                            view! { <p class="empty">{tr("Ingen opslag i perioden.", "No entries in the period.")}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap" role="region" tabindex="0" aria-label=tr("Opslag", "Entries")>
                                    <table class="lead-table" data-testid="access-table">
                                        <thead><tr>
                                            <th scope="col">{tr("Tidspunkt", "When")}</th>
                                            <Show when=move || !as_citizen.get()><th scope="col">{tr("Medarbejder", "Staff member")}</th></Show>
                                            <Show when=move || !about_citizen><th scope="col">{tr("Borger", "Citizen")}</th></Show>
                                            <th scope="col">{tr("Handling", "Action")}</th>
                                            <th scope="col">{tr("Formål", "Purpose")}</th>
                                        </tr></thead>
                                        <tbody>
                                            {report.entries.into_iter().map(|e| {
                                                let when = format!("{} {}", e.at.local_date().format(l), e.at.format_time(l));
                                                let staff = e.user_name.to_string();
                                                let citizen = e.citizen_name.map(|n| n.to_string()).unwrap_or_default();
                                                view! {
                                                    <tr data-testid="access-entry">
                                                        <td>{when}</td>
                                                        <Show when=move || !as_citizen.get()><td>{staff.clone()}</td></Show>
                                                        <Show when=move || !about_citizen><td>{citizen.clone()}</td></Show>
                                                        <td>
                                                            {e.action.label(l)}
                                                            {shared::access::detail_label(e.detail.as_deref(), l).map(|what| view! {
                                                                <span class="access-log__subject" data-testid="access-subject">{what}</span>
                                                            })}
                                                        </td>
                                                        <td>{e.purpose.label(l)}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    }
                }/>
    }
}

/// How long the access log is kept (on `/admin`).
#[component]
pub fn RetentionForm() -> impl IntoView {
    let months = RwSignal::new(String::new());
    let form = Form::new();
    let saved = RwSignal::new(false);
    let ready = RwSignal::new(false);
    form.load(api::access_retention, move |r: Retention| {
        months.set(r.months.to_string());
        ready.set(true);
    });
    let save = form.action(
        |retention: &Retention| {
            let retention = *retention;
            async move { api::put_access_retention(&retention).await }
        },
        move |()| saved.set(true),
    );
    let submit = Callback::new(move |()| {
        saved.set(false);
        form.submit(save, || {
            let typed = months.get_untracked();
            typed
                .trim()
                .parse::<u32>()
                .map_err(|_| shared::ValidationError::new("months", shared::Problem::InvalidFormat))
                .and_then(Retention::new)
                .map_err(|e| vec![e])
        });
    });
    view! {
        <section class="admin-page__section" aria-labelledby="retention-title">
            <h2 class="section-title" id="retention-title">{tr("Adgangslog", "Access log")}</h2>
            <p class="field__hint">{tr("Hvert opslag i, og hver ændring af, borgeres data logges. Ældre opslag slettes automatisk.", "Every look-up and change of citizens' data is logged. Older entries are deleted automatically.")}</p>
            <FormFrame form=form busy=save.pending() ready=ready on_submit=submit testid="save-retention" save_label=tr("Gem", "Save")>
                <TextField id="retention-months" label=Signal::derive(tr("Gem loggen i (måneder)", "Keep the log for (months)")) input_type="number" value=months error=form.error("months")/>
                <p class="notice" role="status" hidden=move || !saved.get()>{tr("Gemt.", "Saved.")}</p>
            </FormFrame>
        </section>
    }
}
