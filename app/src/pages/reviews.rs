//! The case review (issue 14, seed 000): the list of reviews with their
//! progress and a form to start one; a review's page lists its citizens,
//! each classified into a layer as of the review date, prioritised and
//! noted, one small form per citizen. For leads, area heads and
//! administrators, online (a review is the office's work).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::review::{FigureScope, Priority, ReviewDetail, ReviewItem, ReviewSummary, Scheme, ScopeChoice};
use shared::{Lang, ReviewId};

use crate::api;
use crate::components::form::{Form, FormFrame};
use crate::components::loaded::{Fetched, Loaded};
use crate::components::text_field::{SelectField, TextArea, TextField};
use crate::i18n::{tr, use_lang};
use crate::review_input::{self, ReviewForm, ReviewItemForm};

/// "312 af 1.000 gennemgået" / "312 of 1,000 reviewed".
fn progress(review: &ReviewSummary, lang: Lang) -> String {
    let (done, all) = (lang.group_thousands(review.reviewed.into()), lang.group_thousands(review.total.into()));
    match lang {
        Lang::Da => format!("{done} af {all} gennemgået"),
        Lang::En => format!("{done} of {all} reviewed"),
    }
}

#[component]
pub fn ReviewsPage() -> impl IntoView {
    let lang = use_lang();
    let list: LocalResource<Fetched<Vec<ReviewSummary>>> =
        LocalResource::new(|| async { api::reviews().await.map(|r| (r, false)) });
    let show = move |reviews: Vec<ReviewSummary>| {
        if reviews.is_empty() {
            return view! { <p class="empty">{tr("Ingen sagsgennemgange endnu.", "No case reviews yet.")}</p> }
                .into_any();
        }
        view! {
            <ul class="review-list" data-testid="reviews">
                {reviews.into_iter().map(|r| {
                    let href = format!("/reviews/{}", r.id);
                    let meta = r.clone();
                    view! {
                        <li>
                            <a class="review-card" href=href data-testid="review">
                                <span class="review-card__name">{r.name.to_string()}</span>
                                <span class="review-card__meta">{move || format!("{} · {} · {}", meta.scope_name, meta.review_date.format(lang.get()), meta.created_by)}</span>
                                <span class="review-card__progress">{move || progress(&r, lang.get())}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any()
    };
    view! {
        <section class="lead-page reviews-page" aria-labelledby="reviews-title">
            <h1 class="page-title" id="reviews-title">{tr("Sagsgennemgange", "Case reviews")}</h1>
            <Loaded resource=list what=("gennemgangene", "the reviews") show=show/>
            // A review is the office's work, online: the form shows once the
            // list has come from the server (offline, the list's failure
            // says so once, and both come back by themselves online).
            <Show when=move || matches!(list.get(), Some(Ok(_)))>
                <NewReview/>
            </Show>
        </section>
    }
}

/// Starting a review: its name, date and scope (the scopes the user sees,
/// as the figures offer them), and optionally the case ids it lists.
#[component]
fn NewReview() -> impl IntoView {
    let lang = use_lang();
    let today = crate::clock::now().local_date();
    let name = RwSignal::new(String::new());
    let review_date = RwSignal::new(today.to_string());
    let scope = RwSignal::new(String::new());
    let case_ids = RwSignal::new(String::new());
    let scopes = RwSignal::new(Vec::<ScopeChoice>::new());
    let ready = RwSignal::new(false);
    let form = Form::new();
    form.load(
        move || api::layer_table(None, today),
        move |figures| {
            if scope.get_untracked().is_empty() {
                scope.set(figures.scope.key());
            }
            scopes.set(figures.scopes);
            ready.set(true);
        },
    );
    let navigate = use_navigate();
    let save = form.action(
        |input: &shared::review::ReviewInput| {
            let input = input.clone();
            async move {
                api::create_review(&input).await.map_err(|e| review_input::name_refused_case_ids(e, &input.case_ids))
            }
        },
        move |review: ReviewSummary| navigate(&format!("/reviews/{}", review.id), Default::default()),
    );
    let submit = Callback::new(move |()| {
        let typed = ReviewForm {
            name: name.get_untracked(),
            review_date: review_date.get_untracked(),
            scope: FigureScope::from_key(&scope.get_untracked()),
            case_ids: case_ids.get_untracked(),
        };
        form.submit(save, || review_input::read_review(&typed, today));
    });
    let options = Signal::derive(move || {
        scopes
            .get()
            .into_iter()
            .map(|s| {
                let name = if s.scope == FigureScope::Municipality && lang.get() == Lang::En {
                    "The whole municipality".to_owned()
                } else {
                    s.name
                };
                (s.scope.key(), name)
            })
            .collect::<Vec<_>>()
    });
    view! {
        <h2 class="section-title" id="new-review-title">{tr("Ny sagsgennemgang", "New case review")}</h2>
        <FormFrame form=form busy=save.pending() ready=ready on_submit=submit testid="start-review" save_label=Signal::derive(tr("Start gennemgangen", "Start the review"))>
            <TextField id="review-name" label=Signal::derive(tr("Navn", "Name")) input_type="text" value=name error=form.error("name")
                hint=Signal::derive(tr("Fx Sagsgennemgang 30.9.2026", "E.g. Case review 30.9.2026"))/>
            <TextField id="review-date" label=Signal::derive(tr("Gennemgangens dato", "The review's date")) input_type="date" value=review_date error=form.error("review_date")
                hint=Signal::derive(tr("Lagene gælder fra denne dato.", "The layers hold from this date."))/>
            <SelectField id="review-scope" label=Signal::derive(tr("Hvem gennemgås", "Who is reviewed")) value=scope options=options error=form.error("scope")/>
            <TextArea id="review-case-ids" label=Signal::derive(tr("Kun disse sagsnumre (ét pr. linje; tomt: alle med en åben sag)", "Only these case ids (one per line; empty: everyone with an open case)")) value=case_ids error=form.error_under("case_ids") rows=3/>
        </FormFrame>
    }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<ReviewId>().ok());
    let detail: LocalResource<Fetched<Option<ReviewDetail>>> = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => api::review(id).await.map(|d| (Some(d), false)),
                None => Ok((None, false)),
            }
        }
    });
    let show = move |detail: Option<ReviewDetail>| {
        match detail {
        None => view! { <h1 class="page-title" id="review-title">{tr("Gennemgangen findes ikke", "The review does not exist")}</h1> }.into_any(),
        Some(detail) => view! { <Review detail=detail/> }.into_any(),
    }
    };
    view! {
        <section class="lead-page review-page" aria-labelledby="review-title">
            <p class="no-print"><a class="button button--quiet" href="/reviews" data-testid="back-to-reviews">{tr("Tilbage til sagsgennemgangene", "Back to the case reviews")}</a></p>
            <Loaded resource=detail what=("gennemgangen", "the review") show=show/>
        </section>
    }
}

#[component]
fn Review(detail: ReviewDetail) -> impl IntoView {
    let lang = use_lang();
    let summary = RwSignal::new(detail.review.clone());
    let only_open = RwSignal::new(false);
    let scheme = StoredValue::new(detail.scheme.clone());
    let review_id = detail.review.id;
    let items = detail.items;
    view! {
        <h1 class="page-title" id="review-title">{detail.review.name.to_string()}</h1>
        <p class="lead-page__as-of">{move || format!("{} · {}", summary.get().scope_name, summary.get().review_date.format(lang.get()))}</p>
        <p class="review-page__progress" role="status" data-testid="review-progress">
            <progress max=move || summary.get().total value=move || summary.get().reviewed></progress>
            " "{move || progress(&summary.get(), lang.get())}
        </p>
        <label class="checks__option checks__option--single no-print">
            <input type="checkbox" prop:checked=move || only_open.get() on:change:target=move |ev| only_open.set(ev.target().checked()) data-testid="only-open"/>
            <span>{tr("Vis kun dem, der ikke er gennemgået", "Show only those not reviewed")}</span>
        </label>
        <ul class="review-items">
            {items.into_iter().map(|item| {
                let done = RwSignal::new(item.layer.is_some());
                view! {
                    <li hidden=move || only_open.get() && done.get()>
                        <ReviewItemCard review=review_id item=item scheme=scheme summary=summary done=done/>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// One citizen of a review: who (name, age and band on the review date,
/// the layer before) and a small form for the layer, priority and note.
#[component]
fn ReviewItemCard(
    review: ReviewId,
    item: ReviewItem,
    scheme: StoredValue<Scheme>,
    summary: RwSignal<ReviewSummary>,
    done: RwSignal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let citizen = item.citizen_id;
    let layer = RwSignal::new(item.layer.clone().unwrap_or_default());
    let priority = RwSignal::new(item.priority.map(|p| p.code().to_owned()).unwrap_or_default());
    let note = RwSignal::new(item.note.to_string());
    let reviewed_by = RwSignal::new(item.reviewed_by.clone());
    let form = Form::new();
    let save = form.action(
        move |input: &shared::review::ReviewItemInput| {
            let input = input.clone();
            async move { api::put_review_item(review, citizen, &input).await }
        },
        move |progress: ReviewSummary| {
            summary.set(progress);
            done.set(true);
            reviewed_by.set(Some(crate::i18n::tr("dig", "you")().to_owned()));
        },
    );
    let submit = Callback::new(move |()| {
        let typed = ReviewItemForm {
            layer: layer.get_untracked(),
            priority: priority.get_untracked(),
            note: note.get_untracked(),
        };
        scheme.with_value(|scheme| form.submit(save, || review_input::read_review_item(&typed, scheme)));
    });
    let layers = Signal::derive(move || {
        scheme
            .with_value(|s| s.layers.iter().map(|l| (l.code.clone(), s.full_label(l, lang.get()))).collect::<Vec<_>>())
    });
    let priorities = Signal::derive(move || {
        [Priority::High, Priority::Normal, Priority::Low]
            .iter()
            .map(|p| (p.code().to_owned(), p.label(lang.get()).to_owned()))
            .collect::<Vec<_>>()
    });
    let label_of = move |code: &str| {
        scheme.with_value(|s| {
            s.layer(code).map(|l| l.label.get(lang.get()).to_owned()).unwrap_or_else(|| code.to_owned())
        })
    };
    let facts = {
        let item = item.clone();
        move || {
            let l = lang.get();
            let age = match (item.age, l) {
                (Some(a), Lang::Da) => format!("{a} år{}", if item.estimated { " (skønnet)" } else { "" }),
                (Some(a), Lang::En) => format!("age {a}{}", if item.estimated { " (estimated)" } else { "" }),
                (None, _) => String::new(),
            };
            let before = match (&item.layer_before, l) {
                (Some(code), Lang::Da) => format!("Før: {}", label_of(code)),
                (Some(code), Lang::En) => format!("Before: {}", label_of(code)),
                (None, Lang::Da) => "Før: ikke vurderet".to_owned(),
                (None, Lang::En) => "Before: not assessed".to_owned(),
            };
            let pension = if item.early_retirement {
                if l == Lang::Da { " · Førtidspension" } else { " · Early retirement pension" }
            } else {
                ""
            };
            format!("{age} · {before}{pension}")
        }
    };
    let heading_id = format!("review-item-{citizen}");
    let labelled_by = heading_id.clone();
    view! {
        <article class="review-item" aria-labelledby=labelled_by data-testid="review-item" data-reviewed=move || done.get().to_string()>
            <h2 class="review-item__name" id=heading_id>{item.name.clone()}</h2>
            <p class="review-item__facts">{facts}</p>
            <p class="review-item__state" data-testid="review-item-state">{move || match (done.get(), reviewed_by.get(), lang.get()) {
                (true, Some(by), Lang::Da) => format!("Gennemgået af {by}"),
                (true, Some(by), Lang::En) => format!("Reviewed by {by}"),
                (_, _, Lang::Da) => "Ikke gennemgået".to_owned(),
                (_, _, Lang::En) => "Not reviewed".to_owned(),
            }}</p>
            <FormFrame form=form busy=save.pending() ready=true on_submit=submit testid="save-review-item" save_label=Signal::derive(tr("Gem", "Save"))>
                <ItemFields citizen=citizen layer=layer priority=priority note=note layers=layers priorities=priorities form=form/>
            </FormFrame>
        </article>
    }
}

/// The fields of one citizen's review (ids made unique by the citizen).
#[component]
fn ItemFields(
    citizen: shared::CitizenId,
    layer: RwSignal<String>,
    priority: RwSignal<String>,
    note: RwSignal<String>,
    layers: Signal<Vec<(String, String)>>,
    priorities: Signal<Vec<(String, String)>>,
    form: Form,
) -> impl IntoView {
    let id = |part: &str| format!("review-{part}-{citizen}");
    view! {
        <div class="review-item__fields">
            <SelectField id=id("layer") label=Signal::derive(tr("Lag", "Layer")) value=layer options=layers error=form.error("layer")
                placeholder=Signal::derive(tr("Vælg lag", "Choose a layer"))/>
            <SelectField id=id("priority") label=Signal::derive(tr("Prioritet", "Priority")) value=priority options=priorities error=form.error("priority")
                placeholder=Signal::derive(tr("Vælg prioritet", "Choose a priority"))/>
            <TextArea id=id("note") label=Signal::derive(tr("Note (valgfri)", "Note (optional)")) value=note error=form.error("note") rows=2/>
        </div>
    }
}
