//! Create, change or end a citizen's grant (lead or admin):
//! `/citizens/<id>/grants/new` and `/citizens/<id>/grants/<grant id>`.
//!
//! Grants are decisions, not field work: they are written straight to the
//! server (which checks them again and stamps them for every phone that may
//! see them) and reach this phone by sync. Offline, the form keeps what was
//! typed and says to try again online.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::api::AreaSummary;
use shared::grant::{AllowanceUnit, Grant, Service};
use shared::user::Role;
use shared::{CitizenId, GrantId, Lang};
use uuid::Uuid;

use crate::api;
use crate::clock::now;
use crate::components::form::{Form, FormFrame};
use crate::components::text_field::{SelectField, TextField};
use crate::data::{fetch_or_cached, use_data};
use crate::grant_input::{self, Context, GrantInput};
use crate::i18n::{tr, use_lang};
use crate::state::{Session, use_session};

/// Whether the logged-in user may write grants.
pub fn may_write_grants(session: &Session) -> bool {
    match session {
        // A citizen consultant decides too (seed 002), for the citizens of
        // their own running courses: the server holds that rule.
        Session::LoggedIn(me) => me.has_role(Role::Lead) || me.has_role(Role::Admin) || me.in_consultant_team(),
        _ => false,
    }
}

#[component]
pub fn GrantFormPage() -> impl IntoView {
    let lang = use_lang();
    let data = use_data();
    let session = use_session();
    let navigate = use_navigate();
    let params = use_params_map();
    let citizen_id = move || params.read().get("id").and_then(|s| s.parse::<CitizenId>().ok());
    // `None`: a new grant.
    let editing = move || params.read().get("grant").and_then(|s| s.parse::<GrantId>().ok());

    let areas = RwSignal::new(None::<Vec<AreaSummary>>);
    let form = Form::new();
    form.load(
        || async { fetch_or_cached("org", api::org()).await.map(|(org, _)| org.areas) },
        move |list: Vec<AreaSummary>| areas.set(Some(list)),
    );

    let service = RwSignal::new(Service::HousingSupport.code().to_owned());
    let legal_basis = RwSignal::new(String::new());
    let hours = RwSignal::new(String::new());
    let per = RwSignal::new(AllowanceUnit::Week.code().to_owned());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let payer = RwSignal::new(String::new());
    let offer = RwSignal::new(String::new());
    // The catalogue as the phone has it (offline too, once fetched).
    let catalogue = crate::pages::offers::catalogue();
    let catalogue = Memo::new(move |_| catalogue.get().and_then(Result::ok).map(|(c, _)| c));
    let grant_id = RwSignal::new(GrantId::from_uuid(Uuid::now_v7()));
    let filled = RwSignal::new(false);
    let missing = RwSignal::new(false);

    // A memo: a sync that leaves the citizen as they were does not draw the
    // form again (a tap on a button drawn anew is lost).
    let citizen = Memo::new(move |_| {
        let id = citizen_id()?;
        data.view.with(|v| v.as_ref().and_then(|v| v.citizens.iter().find(|c| c.id == id).cloned()))
    });
    let citizen = move || citizen.get();
    let set_input = move |i: GrantInput| {
        service.set(i.service.code().to_owned());
        legal_basis.set(i.legal_basis);
        hours.set(i.hours);
        per.set(i.per.code().to_owned());
        from.set(i.from);
        to.set(i.to);
        payer.set(i.payer);
        offer.set(i.offer);
    };
    let parse_service = Service::from_code;
    let input = move || GrantInput {
        service: parse_service(&service.get_untracked()).unwrap_or(Service::HousingSupport),
        legal_basis: legal_basis.get_untracked(),
        hours: hours.get_untracked(),
        per: AllowanceUnit::from_code(&per.get_untracked()).unwrap_or(AllowanceUnit::Week),
        from: from.get_untracked(),
        to: to.get_untracked(),
        payer: payer.get_untracked(),
        offer: offer.get_untracked(),
    };

    // Fill the form once the phone's data and the areas are there.
    Effect::new(move |_| {
        if filled.get_untracked() {
            return;
        }
        let (Some(view), Some(areas)) = (data.view.get(), areas.get()) else { return };
        let Some(c) = citizen() else { return };
        match editing() {
            Some(id) => match view.grants.iter().find(|g| g.id == id && g.citizen_id == c.id) {
                Some(g) => {
                    grant_id.set(g.id);
                    set_input(GrantInput::from_grant(g));
                }
                None => missing.set(true),
            },
            None => set_input(GrantInput::new(c.benefit_type, now().local_date(), &areas)),
        }
        filled.set(true);
    });

    // A new grant follows the service: its usual legal basis and the payer
    // the rule names (a basis the user typed stays).
    Effect::new(move |prev: Option<String>| {
        let code = service.get();
        if let Some(prev) = prev.filter(|p| *p != code)
            && filled.get_untracked()
            && editing().is_none()
            && let (Some(old), Some(new), Some(c), Some(areas)) =
                (parse_service(&prev), parse_service(&code), citizen(), areas.get_untracked())
        {
            let before = GrantInput { service: old, ..input() };
            set_input(before.with_service(new, c.benefit_type, &areas));
        }
        code
    });

    // The grant comes back to this phone by sync.
    let save = form.action(
        move |grant: &Grant| {
            let grant = grant.clone();
            async move { api::put_grant(&grant).await }
        },
        move |grant: Grant| {
            crate::sync::runner::request_sync(false);
            navigate(&format!("/citizens/{}", grant.citizen_id), Default::default());
        },
    );
    // What the form is read against: the citizen's benefit, the areas and
    // the citizen's other grants (tracked, for the live double-grant line).
    let with_context = move |f: &mut dyn FnMut(&Context<'_>)| {
        let (Some(c), Some(view)) = (citizen(), data.view.get()) else { return };
        let areas = areas.get().unwrap_or_default();
        let others: Vec<_> = view.grants.iter().filter(|g| g.citizen_id == c.id).cloned().collect();
        let offers: Vec<_> = catalogue
            .get()
            .map(|c| c.offers.iter().filter(|o| o.input.active).map(|o| o.id).collect())
            .unwrap_or_default();
        f(&Context {
            grant_id: grant_id.get(),
            citizen_id: c.id,
            benefit: c.benefit_type,
            areas: &areas,
            others: &others,
            offers: &offers,
            today: now().local_date(),
            birth_year: c.birth_year,
        });
    };
    let submit = Callback::new(move |()| {
        untrack(|| with_context(&mut |ctx| form.submit(save, || grant_input::read(&input(), ctx))));
    });

    // Ending a grant: its last day is today (the user can still change it).
    let end_today = move |_| {
        to.set(now().local_date().to_string());
        if let Some(el) = document().get_element_by_id("grant-to")
            && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
        {
            let _ = el.focus();
        }
    };

    // The services for the citizen's age on the first day typed (today
    // while it does not read): a contact person only for the young (issue
    // 15's walk offered one for a citizen of 38, whose payer then had no
    // area to be). The one chosen stays listed, so an old grant shows it.
    let service_options = Signal::derive(move || {
        let first_day = from.get().parse::<shared::Date>().unwrap_or_else(|_| now().local_date());
        let born = citizen().map(|c| c.birth_year);
        let chosen = service.get();
        Service::ALL
            .iter()
            .filter(|s| born.is_none_or(|b| s.is_for_age(b, first_day)) || s.code() == chosen)
            .map(|s| (s.code().to_owned(), s.label(lang.get()).to_owned()))
            .collect::<Vec<_>>()
    });
    let unit_options = Signal::derive(move || {
        AllowanceUnit::ALL.iter().map(|u| (u.code().to_owned(), u.label(lang.get()).to_owned())).collect::<Vec<_>>()
    });
    let payer_options = Signal::derive(move || {
        areas.get().unwrap_or_default().into_iter().map(|a| (a.id.to_string(), a.name.to_string())).collect::<Vec<_>>()
    });
    // The active offers, and the one the grant names if it is no longer
    // offered (or the catalogue is not on the phone yet).
    let offer_options = Signal::derive(move || {
        let l = lang.get();
        let listed = catalogue.get().map(|c| c.offers).unwrap_or_default();
        let chosen = offer.get();
        let mut options: Vec<_> = listed
            .iter()
            .filter(|o| o.input.active || o.id.to_string() == chosen)
            .map(|o| (o.id.to_string(), o.input.name.to_string()))
            .collect();
        if !chosen.is_empty() && !options.iter().any(|(id, _)| *id == chosen) {
            options.push((chosen, l.pick("Det tilbud, bevillingen nævner", "The offer the grant names").to_owned()));
        }
        options
    });
    // The payer rule in words, under the payer field.
    let payer_hint = move || {
        let (c, areas) = (citizen()?, areas.get()?);
        let s = parse_service(&service.get())?;
        let area = grant_input::expected_payer(s, c.benefit_type, &areas)?;
        Some(match lang.get() {
            Lang::Da => format!(
                "Efter betalerreglen betaler {} for {} til en borger på {}.",
                area.name,
                s.label(Lang::Da).to_lowercase(),
                c.benefit_type.label(Lang::Da).to_lowercase()
            ),
            Lang::En => format!(
                "By the payer rule, {} pays for {} to a citizen on {}.",
                area.name,
                s.label(Lang::En).to_lowercase(),
                c.benefit_type.label(Lang::En).to_lowercase()
            ),
        })
    };
    let e = move |field| form.error(field);
    // Seed 003: a mentor grant and a § 85 grant over the same days.
    // It follows every field as typed (the form's reader reads untracked).
    let double = move || {
        for field in [service, legal_basis, hours, per, from, to, payer, offer] {
            field.track();
        }
        let mut found = None;
        with_context(&mut |ctx| found = grant_input::double_grant(&input(), ctx));
        let found = found?;
        let l = lang.get();
        let until = found.to.map_or_else(
            || if l == Lang::Da { "indtil videre".to_owned() } else { "until further notice".to_owned() },
            |t| t.format(l),
        );
        Some(match l {
            Lang::Da => format!(
                "Dobbeltbevilling: borgeren har både mentorstøtte og socialpædagogisk støtte (§ 85) fra {} til {}. Overvej, om ét område bør give støtten.",
                found.from.format(l),
                until
            ),
            Lang::En => format!(
                "Double grant: the citizen has both mentor support and housing support (§ 85) from {} to {}. Consider whether one area should give the support.",
                found.from.format(l),
                until
            ),
        })
    };

    view! {
        <section class="grant-form" aria-labelledby="grant-form-title">
            <h1 class="page-title" id="grant-form-title">
                {move || match (editing().is_some(), lang.get()) {
                    (true, Lang::Da) => "Ret bevilling",
                    (true, Lang::En) => "Change grant",
                    (false, Lang::Da) => "Ny bevilling",
                    (false, Lang::En) => "New grant",
                }}
            </h1>
            {move || match (may_write_grants(&session.get()), citizen()) {
                (false, _) => view! {
                    <p class="notice" role="status">
                        {tr("Kun ledere og administratorer kan oprette og ændre bevillinger.", "Only leads and administrators can create and change grants.")}
                    </p>
                }.into_any(),
                (true, None) => view! {
                    <p class="notice" role="status">
                        {tr("Borgeren er ikke på telefonen.", "The citizen is not on the phone.")}
                    </p>
                    <a class="button" href="/citizens">{tr("Til borgere", "To citizens")}</a>
                }.into_any(),
                (true, Some(c)) => {
                    let id = c.id;
                    view! {
                        <p class="grant-form__who" data-testid="grant-citizen">{c.name.to_string()}" · "{c.benefit_type.label(lang.get())}</p>
                        <Show when=move || missing.get()>
                            <p class="notice" role="alert">{tr("Bevillingen findes ikke på telefonen.", "The grant is not on the phone.")}</p>
                        </Show>
                        <FormFrame form=form busy=save.pending() ready=Signal::derive(move || filled.get() && !missing.get())
                            on_submit=submit testid="save-grant" save_label=tr("Gem bevilling", "Save grant") cancel=format!("/citizens/{id}")>
                            <SelectField id="grant-service" label=Signal::derive(tr("Ydelse", "Service")) value=service options=service_options error=e("service")/>
                            <TextField id="grant-legal-basis" label=Signal::derive(tr("Lovgrundlag", "Legal basis")) input_type="text" value=legal_basis error=e("legal_basis")/>
                            <div class="grant-form__allowance">
                                <TextField id="grant-hours" label=Signal::derive(tr("Timer", "Hours")) input_type="text" value=hours error=e("hours")/>
                                <SelectField id="grant-per" label=Signal::derive(tr("Pr.", "Per")) value=per options=unit_options error=e("per")/>
                            </div>
                            <p class="field__hint">{tr("F.eks. 3, 2,5 eller 1:40 (timer:minutter).", "E.g. 3, 2,5 (a decimal comma) or 1:40 (hours:minutes).")}</p>
                            <TextField id="grant-from" label=Signal::derive(tr("Gælder fra", "Valid from")) input_type="date" value=from error=e("valid_from")/>
                            <TextField id="grant-to" label=Signal::derive(tr("Gælder til (tom: indtil videre)", "Valid to (empty: until further notice)")) input_type="date" value=to error=e("valid_to")/>
                            <Show when=move || editing().is_some()>
                                <button type="button" class="button button--quiet" on:click=end_today data-testid="end-grant">
                                    {tr("Afslut bevillingen i dag", "End the grant today")}
                                </button>
                            </Show>
                            <SelectField id="grant-payer" label=Signal::derive(tr("Betalende område", "Paying area")) value=payer options=payer_options error=e("payer_area_id")
                                placeholder=Signal::derive(tr("Vælg område", "Choose an area"))/>
                            <p class="field__hint" data-testid="payer-hint">{payer_hint}</p>
                            <SelectField id="grant-offer" label=Signal::derive(tr("Tilbud fra kataloget (valgfrit)", "Offer from the catalogue (optional)")) value=offer
                                options=offer_options error=e("offer_id") placeholder=Signal::derive(tr("Intet tilbud", "No offer"))/>
                            {move || double().map(|text| view! { <p class="notice" role="status" data-testid="double-grant">{text}</p> })}
                        </FormFrame>
                    }.into_any()
                }
            }}
        </section>
    }
}
