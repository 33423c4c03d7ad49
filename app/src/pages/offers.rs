//! The catalogue of offers across the areas (issue 15; seed 001: make "the
//! many offers across the areas" visible). `/offers`: a field page that
//! searches the catalogue the phone fetched last, so a worker browses it
//! offline; an administrator sees the inactive offers too and reaches the
//! form. `/admin/offers/new`, `/admin/offers/:id`: the administrator's
//! form, written straight to the server.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::offer::{Offer, OffersResponse};
use shared::{Lang, OfferId};
use uuid::Uuid;

use crate::admin_input::read_offer;
use crate::api;
use crate::components::form::{Form, FormFrame};
use crate::components::loaded::{Fetched, Loaded};
use crate::components::text_field::{CheckBox, SelectField, TextArea, TextField};
use crate::data::fetch_or_cached;
use crate::i18n::{tr, use_lang};
use crate::state::{Session, use_session};

/// The name under which the phone keeps the catalogue.
pub const CACHED: &str = "offers";

fn is_admin(session: &Session) -> bool {
    matches!(session, Session::LoggedIn(me) if me.has_role(shared::user::Role::Admin))
}

/// The catalogue as the phone has it: fetched when online (and kept), the
/// last copy offline.
pub fn catalogue() -> LocalResource<Fetched<OffersResponse>> {
    LocalResource::new(|| async { fetch_or_cached(CACHED, api::offers(false)).await })
}

/// The catalogue for a page that names its areas and offers beside
/// something else (a plan's goals): the phone's last copy at once, the
/// server's answer when it comes, so names do not pop in seconds after
/// the page (issue 15's walk).
#[derive(Clone, Copy)]
pub struct CatalogueNow {
    /// The newest catalogue the phone has; `None` before any.
    pub known: Signal<Option<OffersResponse>>,
    /// Whether the server's answer (or the offline fallback) is awaited.
    pub loading: Signal<bool>,
}

/// Starts [`CatalogueNow`] for the calling page.
pub fn catalogue_now() -> CatalogueNow {
    let copy = LocalResource::new(|| crate::data::read_cached::<OffersResponse>(CACHED));
    let fresh = catalogue();
    CatalogueNow {
        known: Signal::derive(move || {
            fresh.get().and_then(Result::ok).map(|(c, _)| c).or_else(|| copy.get().flatten())
        }),
        loading: Signal::derive(move || fresh.get().is_none()),
    }
}

#[component]
pub fn OffersPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let admin = is_admin(&session.get_untracked());
    let query = RwSignal::new(String::new());
    // An administrator's list holds the inactive offers too (online).
    let list: LocalResource<Fetched<OffersResponse>> =
        if admin { LocalResource::new(|| async { api::offers(true).await.map(|o| (o, false)) }) } else { catalogue() };
    let show = move |catalogue: OffersResponse| {
        move || {
            let l = lang.get();
            let found: Vec<Offer> = catalogue.matching(&query.get()).into_iter().cloned().collect();
            if found.is_empty() {
                return view! { <p class="empty" data-testid="no-offers">{tr("Ingen tilbud passer til søgningen.", "No offer matches the search.")}</p> }.into_any();
            }
            let count = match (found.len(), l) {
                (1, Lang::Da) => "1 tilbud".to_owned(),
                (n, Lang::Da) => format!("{n} tilbud"),
                (1, Lang::En) => "1 offer".to_owned(),
                (n, Lang::En) => format!("{n} offers"),
            };
            view! {
                <p class="lead-page__as-of" role="status" data-testid="offer-count">{count}</p>
                <ul class="offer-list">
                    {found.into_iter().map(|o| {
                        let area = o.area_name.clone().unwrap_or_else(|| l.pick("På tværs af områderne", "Across the areas").to_owned());
                        let id = o.id;
                        view! {
                            <li class="card offer" data-testid="offer" data-active=o.input.active.to_string()>
                                <h2 class="offer__name">{o.input.name.to_string()}</h2>
                                <p class="offer__meta">
                                    {area}
                                    {(!o.input.legal_basis.as_str().is_empty()).then(|| format!(" · {}", o.input.legal_basis))}
                                    {(!o.input.active).then(|| format!(" · {}", l.pick("ikke længere tilbudt", "no longer offered")))}
                                </p>
                                {(!o.input.description.as_str().is_empty()).then(|| view! { <p class="offer__description">{o.input.description.to_string()}</p> })}
                                {(!o.input.contact.as_str().is_empty()).then(|| view! {
                                    <p class="offer__contact"><strong>{l.pick("Kontakt", "Contact")}": "</strong>{o.input.contact.to_string()}</p>
                                })}
                                {admin.then(|| view! { <a class="button" href=format!("/admin/offers/{id}") data-testid="edit-offer">{l.pick("Ret", "Edit")}</a> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }
    };
    view! {
        <section class="lead-page offers-page" aria-labelledby="offers-title">
            <h1 class="page-title" id="offers-title">{tr("Tilbud på tværs af områderne", "Offers across the areas")}</h1>
            <p class="lead-page__as-of">{tr(
                "Kommunens tilbud fra beskæftigelses-, social- og sundhedsområdet: hvad de er, hvem de er for, og hvem man kontakter.",
                "The municipality's offers from the employment, social and health areas: what they are, whom they are for, and whom to contact.",
            )}</p>
            <div class="field">
                <label class="field__label" for="offer-search">{tr("Søg", "Search")}</label>
                <input class="field__input" id="offer-search" type="search" autocomplete="off"
                    prop:value=move || query.get() on:input:target=move |ev| query.set(ev.target().value())/>
            </div>
            {admin.then(|| view! { <p><a class="button button--primary" href="/admin/offers/new" data-testid="new-offer">{tr("Nyt tilbud", "New offer")}</a></p> })}
            <Loaded resource=list what=("tilbuddene", "the offers") show=show/>
        </section>
    }
}

#[component]
pub fn OfferFormPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let editing = params.with_untracked(|p| p.get("id").and_then(|s| s.parse::<OfferId>().ok()));
    let id = editing.unwrap_or_else(|| OfferId::from_uuid(Uuid::now_v7()));
    let (name, area, law, contact, description) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let active = RwSignal::new(true);
    let areas = RwSignal::new(Vec::<(String, String)>::new());
    let ready = RwSignal::new(false);
    let form = Form::new();
    form.load(
        || api::offers(true),
        move |c: OffersResponse| {
            areas.set(c.areas.iter().map(|a| (a.id.to_string(), a.name.clone())).collect());
            if let Some(o) = editing.and_then(|id| c.offer(id)) {
                name.set(o.input.name.to_string());
                area.set(o.input.area_id.map(|a| a.to_string()).unwrap_or_default());
                law.set(o.input.legal_basis.to_string());
                contact.set(o.input.contact.to_string());
                description.set(o.input.description.to_string());
                active.set(o.input.active);
            }
            ready.set(true);
        },
    );
    let navigate = use_navigate();
    let save = form.action(
        move |input: &shared::offer::OfferInput| {
            let input = input.clone();
            async move { api::put_admin("offers", id, &input).await }
        },
        move |()| navigate("/offers", Default::default()),
    );
    let submit = Callback::new(move |()| {
        form.submit(save, || {
            read_offer(
                &name.get_untracked(),
                &area.get_untracked(),
                &law.get_untracked(),
                &contact.get_untracked(),
                &description.get_untracked(),
                active.get_untracked(),
            )
        })
    });
    let title = move || match (editing.is_some(), lang.get()) {
        (true, l) => l.pick("Ret tilbud", "Change offer"),
        (false, l) => l.pick("Nyt tilbud", "New offer"),
    };
    view! {
        <section class="admin-page" aria-labelledby="offer-form-title">
            <h1 class="page-title" id="offer-form-title">{title}</h1>
            <FormFrame form=form busy=save.pending() ready=ready on_submit=submit testid="save-offer"
                save_label=tr("Gem", "Save") cancel="/offers">
                <TextField id="offer-name" label=Signal::derive(tr("Navn", "Name")) input_type="text" value=name error=form.error("name")/>
                <SelectField id="offer-area" label=Signal::derive(tr("Område", "Area")) value=area options=areas error=form.error("area_id")
                    placeholder=Signal::derive(tr("På tværs af områderne", "Across the areas"))/>
                <TextField id="offer-law" label=Signal::derive(tr("Lovgrundlag (valgfrit)", "Legal basis (optional)")) input_type="text" value=law error=form.error("legal_basis")
                    hint=Signal::derive(tr("Fx Serviceloven § 85", "E.g. Serviceloven § 85"))/>
                <TextField id="offer-contact" label=Signal::derive(tr("Kontakt (valgfri)", "Contact (optional)")) input_type="text" value=contact error=form.error("contact")/>
                <TextArea id="offer-description" label=Signal::derive(tr("Beskrivelse (valgfri)", "Description (optional)")) value=description error=form.error("description") rows=4 max_chars=shared::text::OfferDescription::MAX_CHARS/>
                <CheckBox id="offer-active" single=true checked=active toggle=Callback::new(move |on| active.set(on))>
                    {tr("Tilbydes nu", "Offered now")}
                </CheckBox>
            </FormFrame>
        </section>
    }
}
