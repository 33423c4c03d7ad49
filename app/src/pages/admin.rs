//! Administration (admin role): drawing rights, caseload norms, and the
//! full-time week and hourly rates behind the figures.
//!
//! `/admin` lists the drawing rights and holds the norm form;
//! `/admin/drawing-rights/new` and `/admin/drawing-rights/<id>` create and
//! change a drawing right. Like grants, these are written straight to the
//! server and reach the phones by sync; with no network the forms keep what
//! was typed and say so.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::drawing_right::{DrawingRight, Rollover};
use shared::figures::{RateKind, ResourceSettings, rate_field};
use shared::report::OrgResponse;
use shared::time::PeriodKind;
use shared::usage::CaseloadNorms;
use shared::user::Role;
use shared::{DrawingRightId, Lang};
use uuid::Uuid;

use crate::admin_input::{self, DrawingRightInput};
use crate::api;
use crate::clock::now;
use crate::components::form::{Form, FormFrame};
use crate::components::loaded::Loaded;
use crate::components::text_field::{SelectField, TextField};
use crate::data::fetch_or_cached;
use crate::format;
use crate::i18n::{tr, use_lang};
use crate::state::{Session, use_session};

fn is_admin(session: &Session) -> bool {
    matches!(session, Session::LoggedIn(me) if me.has_role(Role::Admin))
}

fn admin_only() -> impl IntoView {
    view! {
        <p class="notice" role="status">
            {tr("Kun administratorer har adgang til administration.", "Only administrators have access to administration.")}
        </p>
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="admin-page" aria-labelledby="admin-title">
            <h1 class="page-title" id="admin-title">{tr("Administration", "Administration")}</h1>
            <Show when=move || is_admin(&session.get()) fallback=admin_only>
                <crate::pages::admin_people::DirectoryLists/>
                <DrawingRightList/>
                <NormsForm/>
                <section class="admin-page__section" aria-labelledby="scheme-link-title">
                    <h2 class="section-title" id="scheme-link-title">{tr("Lag i sagsgennemgangen", "Layers of the case review")}</h2>
                    <p class="field__hint">{tr("Hvilke lag borgerne klassificeres i, og i hvilken rækkefølge tabellerne viser dem.", "Which layers citizens are classified into, and the order the tables show them in.")}</p>
                    <a class="button" href="/admin/scheme" data-testid="to-scheme">{tr("Ret lagene", "Edit the layers")}</a>
                </section>
                <section class="admin-page__section" aria-labelledby="offers-link-title">
                    <h2 class="section-title" id="offers-link-title">{tr("Tilbudskataloget", "The catalogue of offers")}</h2>
                    <p class="field__hint">{tr("Kommunens tilbud på tværs af områderne, som medarbejderne kan slå op i – også uden forbindelse – og knytte til mål i borgerens plan.", "The municipality's offers across the areas, which staff can look up – offline too – and tie to goals in the citizen's plan.")}</p>
                    <a class="button" href="/offers" data-testid="to-offers">{tr("Ret kataloget", "Edit the catalogue")}</a>
                </section>
                <ResourceSettingsForm/>
                <crate::pages::access_log::RetentionForm/>
                <crate::pages::exchange::ExchangeSection/>
            </Show>
        </section>
    }
}

/// One line about a pool: "500 timer pr. måned · Beskæftigelse → Bostøtteteamet · fra 01.01.2026".
fn pool_summary(p: &DrawingRight, org: Option<&OrgResponse>, lang: Lang) -> String {
    let area = org.and_then(|o| o.areas.iter().find(|a| a.id == p.owner_area_id)).map(|a| a.name.to_string());
    let team = org.and_then(|o| o.teams.iter().find(|t| t.id == p.provider_team_id)).map(|t| t.name.to_string());
    let period = match (p.valid.to(), lang) {
        (Some(to), _) => format!("{}–{}", p.valid.from().format(lang), to.format(lang)),
        (None, Lang::Da) => format!("fra {}", p.valid.from().format(lang)),
        (None, Lang::En) => format!("from {}", p.valid.from().format(lang)),
    };
    let per = match (p.period_kind, lang) {
        (PeriodKind::Week, Lang::Da) => "pr. uge",
        (PeriodKind::Month, Lang::Da) => "pr. måned",
        (PeriodKind::Quarter, Lang::Da) => "pr. kvartal",
        (PeriodKind::Year, Lang::Da) => "pr. år",
        (PeriodKind::Week, Lang::En) => "per week",
        (PeriodKind::Month, Lang::En) => "per month",
        (PeriodKind::Quarter, Lang::En) => "per quarter",
        (PeriodKind::Year, Lang::En) => "per year",
    };
    format!(
        "{} {per} · {} → {} · {period} · {}",
        format::hours(p.minutes_per_period, lang),
        area.unwrap_or_default(),
        team.unwrap_or_default(),
        p.rollover.label(lang)
    )
}

#[component]
fn DrawingRightList() -> impl IntoView {
    let lang = use_lang();
    // The pools, with the areas and teams their lines name.
    let pools = LocalResource::new(|| async {
        let org = fetch_or_cached("org", api::org()).await.ok().map(|(o, _)| o);
        fetch_or_cached("drawing-rights", api::drawing_rights()).await.map(|(list, cached)| ((list, org), cached))
    });
    let show = move |(list, org): (Vec<DrawingRight>, Option<OrgResponse>)| {
        if list.is_empty() {
            return view! { <p class="empty">{tr("Ingen trækningsretter.", "No drawing rights.")}</p> }.into_any();
        }
        view! {
            <ul class="admin-list">
                {list.into_iter().map(|p| {
                    let (name, href) = (p.name.to_string(), format!("/admin/drawing-rights/{}", p.id));
                    let org = org.clone();
                    let summary = move || pool_summary(&p, org.as_ref(), lang.get());
                    view! {
                        <li class="admin-list__item" data-testid="pool-admin-item">
                            <div>
                                <p class="admin-list__what">{name.clone()}</p>
                                <p class="admin-list__detail">{summary}</p>
                            </div>
                            <a class="button button--quiet" href=href
                                aria-label=format!("{} {name}", tr("Ret", "Change")())>{tr("Ret", "Change")}</a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="admin-page__section" aria-labelledby="pools-title">
            <h2 class="section-title" id="pools-title">{tr("Trækningsretter", "Drawing rights")}</h2>
            <p class="field__hint">
                {tr("Et områdes pulje af timer hos et andet områdes team. Besøg, som teamet aflægger hos borgere, som området betaler for, trækkes på puljen.",
                    "One area's pool of hours with another area's team. Visits the team makes to citizens the area pays for are drawn on the pool.")}
            </p>
            <Loaded resource=pools what=("trækningsretterne", "the drawing rights") show=show/>
            <a class="button" href="/admin/drawing-rights/new" data-testid="new-pool">{tr("Ny trækningsret", "New drawing right")}</a>
        </section>
    }
}

#[component]
fn NormsForm() -> impl IntoView {
    let employment = RwSignal::new(String::new());
    let social = RwSignal::new(String::new());
    let children = RwSignal::new(String::new());
    let form = Form::new();
    let saved = RwSignal::new(false);
    let ready = RwSignal::new(false);
    form.load(
        || async { fetch_or_cached("caseload-norms", api::caseload_norms()).await.map(|(n, _)| n) },
        move |n: CaseloadNorms| {
            employment.set(n.employment.to_string());
            social.set(n.social.to_string());
            children.set(n.children_youth.to_string());
            ready.set(true);
        },
    );
    let save = form.action(
        move |norms: &CaseloadNorms| {
            let norms = *norms;
            async move { api::put_caseload_norms(&norms).await }
        },
        move |_| saved.set(true),
    );
    let submit = Callback::new(move |()| {
        saved.set(false);
        form.submit(save, || {
            admin_input::read_norms(&employment.get_untracked(), &social.get_untracked(), &children.get_untracked())
        });
    });
    let e = move |field| form.error(field);
    view! {
        <section class="admin-page__section" aria-labelledby="norms-title">
            <h2 class="section-title" id="norms-title">{tr("Normer for sagsstammer", "Caseload norms")}</h2>
            <p class="field__hint">{tr("Sager pr. koordinerende sagsbehandler, før overblikket markerer sagsstammen som for stor.", "Cases per coordinating case worker before the overview flags the caseload as too large.")}</p>
            <FormFrame form=form busy=save.pending() ready=ready on_submit=submit testid="save-norms" save_label=tr("Gem normer", "Save norms")>
                <TextField id="norm-employment" label=Signal::derive(tr("Beskæftigelse", "Employment")) input_type="number" value=employment error=e("employment")/>
                <TextField id="norm-social" label=Signal::derive(tr("Social og sundhed", "Social and health")) input_type="number" value=social error=e("social")/>
                <TextField id="norm-children" label=Signal::derive(tr("Børn og unge", "Children and youth")) input_type="number" value=children error=e("children_youth")/>
                <p class="notice" role="status" data-testid="norms-saved" hidden=move || !saved.get()>{tr("Normerne er gemt.", "The norms are saved.")}</p>
            </FormFrame>
        </section>
    }
}

/// The full-time week and the hourly rates behind the figures' posts and
/// kroner (issue 14).
#[component]
fn ResourceSettingsForm() -> impl IntoView {
    let week = RwSignal::new(String::new());
    let rates: Vec<(RateKind, RwSignal<String>)> =
        RateKind::ALL.into_iter().map(|k| (k, RwSignal::new(String::new()))).collect();
    let rates = StoredValue::new(rates);
    let form = Form::new();
    let saved = RwSignal::new(false);
    let ready = RwSignal::new(false);
    form.load(
        || async { fetch_or_cached("resource-settings", api::resource_settings()).await.map(|(s, _)| s) },
        move |s: ResourceSettings| {
            // As typed, so that saving unchanged reads it back (hours and
            // minutes: "37", "37:30").
            week.set(s.full_time_week.hours_text());
            rates.with_value(|rates| {
                for (kind, text) in rates {
                    text.set(s.rate(*kind).map(|r| r.to_string()).unwrap_or_default());
                }
            });
            ready.set(true);
        },
    );
    let save = form.action(
        move |s: &ResourceSettings| {
            let s = s.clone();
            async move { api::put_resource_settings(&s).await }
        },
        move |_| saved.set(true),
    );
    let submit = Callback::new(move |()| {
        saved.set(false);
        form.submit(save, || {
            let typed: Vec<(RateKind, String)> =
                rates.with_value(|rates| rates.iter().map(|(k, t)| (*k, t.get_untracked())).collect());
            admin_input::read_resource_settings(&week.get_untracked(), &typed)
        });
    });
    let e = move |field| form.error(field);
    view! {
        <section class="admin-page__section" aria-labelledby="resources-settings-title">
            <h2 class="section-title" id="resources-settings-title">{tr("Stillinger og timepriser", "Posts and hourly rates")}</h2>
            <p class="field__hint">{tr(
                "Tallene omregner leverede timer til fuldtidsstillinger og kroner. En tom timepris betyder, at udgiften ikke beregnes.",
                "The figures turn hours delivered into full-time posts and kroner. An empty hourly rate means the cost is not computed.",
            )}</p>
            <FormFrame form=form busy=save.pending() ready=ready on_submit=submit testid="save-resource-settings" save_label=tr("Gem", "Save")>
                <TextField id="full-time-week" label=Signal::derive(tr("Timer pr. fuldtidsstilling om ugen", "Hours of a full-time post a week")) input_type="text" value=week error=e("full_time_week")/>
                {rates.with_value(|rates| rates.iter().map(|(kind, text)| {
                    let kind = *kind;
                    let (id, da, en) = match kind {
                        RateKind::HousingSupport => ("rate-housing-support", "Timepris, bostøtte (kr.)", "Hourly rate, housing support (DKK)"),
                        RateKind::Mentor => ("rate-mentor", "Timepris, mentorstøtte (kr.)", "Hourly rate, mentor support (DKK)"),
                        RateKind::ContactPerson => ("rate-contact-person", "Timepris, kontaktperson (kr.)", "Hourly rate, contact person (DKK)"),
                        RateKind::DrawingRight => ("rate-drawing-right", "Timepris, trækningsret (kr.)", "Hourly rate, drawing right (DKK)"),
                    };
                    view! { <TextField id=id label=Signal::derive(tr(da, en)) input_type="text" value=*text error=e(rate_field(kind))/> }
                }).collect_view())}
                <p class="notice" role="status" data-testid="resource-settings-saved" hidden=move || !saved.get()>{tr("Indstillingerne er gemt.", "The settings are saved.")}</p>
            </FormFrame>
        </section>
    }
}

#[component]
pub fn DrawingRightFormPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let params = use_params_map();
    let editing = move || params.read().get("id").and_then(|s| s.parse::<DrawingRightId>().ok());

    let org = RwSignal::new(None::<OrgResponse>);
    let name = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let team = RwSignal::new(String::new());
    let hours = RwSignal::new(String::new());
    let period_kind = RwSignal::new(PeriodKind::Month.code().to_owned());
    let rollover = RwSignal::new(Rollover::Expire.code().to_owned());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let id = RwSignal::new(DrawingRightId::from_uuid(Uuid::now_v7()));
    let missing = RwSignal::new(false);
    let form = Form::new();
    // A new one is filled at once; one being changed opens when it has loaded.
    let ready = RwSignal::new(editing().is_none());

    let set_input = move |i: DrawingRightInput| {
        name.set(i.name);
        owner.set(i.owner_area);
        team.set(i.provider_team);
        hours.set(i.hours);
        period_kind.set(i.period_kind.code().to_owned());
        rollover.set(i.rollover.code().to_owned());
        from.set(i.from);
        to.set(i.to);
    };
    let input = move || DrawingRightInput {
        name: name.get_untracked(),
        owner_area: owner.get_untracked(),
        provider_team: team.get_untracked(),
        hours: hours.get_untracked(),
        period_kind: PeriodKind::from_code(&period_kind.get_untracked()).unwrap_or(PeriodKind::Month),
        rollover: Rollover::from_code(&rollover.get_untracked()).unwrap_or(Rollover::Expire),
        from: from.get_untracked(),
        to: to.get_untracked(),
    };

    if editing().is_none() {
        set_input(DrawingRightInput::new(now().local_date()));
    }
    // What to choose from, and (editing) the drawing right: one load, so
    // one failure says why the form stays closed.
    form.load(
        move || async move {
            let org = fetch_or_cached("org", api::org()).await?.0;
            let pools = match editing() {
                Some(_) => Some(fetch_or_cached("drawing-rights", api::drawing_rights()).await?.0),
                None => None,
            };
            Ok((org, pools))
        },
        move |(o, pools): (OrgResponse, Option<Vec<DrawingRight>>)| {
            org.set(Some(o));
            // A new one was filled at once (above): typing is never overwritten.
            if let (Some(wanted), Some(list)) = (editing(), pools) {
                match list.iter().find(|p| p.id == wanted) {
                    Some(p) => {
                        id.set(p.id);
                        set_input(DrawingRightInput::from_pool(p));
                        ready.set(true);
                    }
                    None => missing.set(true),
                }
            }
        },
    );

    let save = form.action(
        move |pool: &DrawingRight| {
            let pool = pool.clone();
            async move { api::put_drawing_right(&pool).await }
        },
        move |_| {
            crate::sync::runner::request_sync(false);
            navigate("/admin", Default::default());
        },
    );
    let submit = Callback::new(move |()| {
        let org = org.get_untracked().unwrap_or(OrgResponse { teams: Vec::new(), areas: Vec::new() });
        form.submit(save, || admin_input::read_drawing_right(&input(), id.get_untracked(), &org.areas, &org.teams));
    });

    let area_options = Signal::derive(move || {
        org.get()
            .map(|o| o.areas.into_iter().map(|a| (a.id.to_string(), a.name.to_string())).collect())
            .unwrap_or_default()
    });
    let team_options = Signal::derive(move || {
        org.get()
            .map(|o| o.teams.into_iter().map(|t| (t.id.to_string(), format!("{} · {}", t.name, t.area.name))).collect())
            .unwrap_or_default()
    });
    let period_options = Signal::derive(move || {
        PeriodKind::ALL.iter().map(|k| (k.code().to_owned(), k.label(lang.get()).to_owned())).collect::<Vec<_>>()
    });
    let rollover_options = Signal::derive(move || {
        Rollover::ALL.iter().map(|r| (r.code().to_owned(), r.label(lang.get()).to_owned())).collect::<Vec<_>>()
    });
    let e = move |field| form.error(field);

    view! {
        <section class="admin-page" aria-labelledby="pool-form-title">
            <h1 class="page-title" id="pool-form-title">
                {move || match (editing().is_some(), lang.get()) {
                    (true, Lang::Da) => "Ret trækningsret",
                    (true, Lang::En) => "Change drawing right",
                    (false, Lang::Da) => "Ny trækningsret",
                    (false, Lang::En) => "New drawing right",
                }}
            </h1>
            <Show when=move || is_admin(&session.get()) fallback=admin_only>
                <Show when=move || missing.get()>
                    <p class="notice" role="alert">{tr("Trækningsretten findes ikke.", "The drawing right does not exist.")}</p>
                </Show>
                <FormFrame form=form busy=save.pending() ready=Signal::derive(move || ready.get() && !missing.get()) on_submit=submit
                    testid="save-pool" save_label=tr("Gem trækningsret", "Save drawing right") cancel="/admin">
                    <TextField id="pool-name" label=Signal::derive(tr("Navn", "Name")) input_type="text" value=name error=e("name")/>
                    <SelectField id="pool-owner" label=Signal::derive(tr("Ejer (området, der trækker og betaler)", "Owner (the area that draws and pays)"))
                        value=owner options=area_options error=e("owner_area_id") placeholder=Signal::derive(tr("Vælg område", "Choose an area"))/>
                    <SelectField id="pool-team" label=Signal::derive(tr("Leveres af (et andet områdes team)", "Delivered by (another area's team)"))
                        value=team options=team_options error=e("provider_team_id") placeholder=Signal::derive(tr("Vælg team", "Choose a team"))/>
                    <div class="grant-form__allowance">
                        <TextField id="pool-hours" label=Signal::derive(tr("Timer", "Hours")) input_type="text" value=hours error=e("hours")/>
                        <SelectField id="pool-period" label=Signal::derive(tr("Pr. periode", "Per period")) value=period_kind options=period_options error=e("period_kind")/>
                    </div>
                    <p class="field__hint">{tr("F.eks. 1.200, 37,5 eller 12:30 (timer:minutter).", "E.g. 1.200 (twelve hundred), 37,5 (a decimal comma) or 12:30 (hours:minutes).")}</p>
                    <SelectField id="pool-rollover" label=Signal::derive(tr("Ved periodens slutning", "At the end of a period")) value=rollover options=rollover_options error=e("rollover")/>
                    <TextField id="pool-from" label=Signal::derive(tr("Gælder fra", "Valid from")) input_type="date" value=from error=e("valid_from")/>
                    <TextField id="pool-to" label=Signal::derive(tr("Gælder til og med (tom: indtil videre)", "Valid until (empty: until further notice)")) input_type="date" value=to error=e("valid_to")/>
                </FormFrame>
            </Show>
        </section>
    }
}
