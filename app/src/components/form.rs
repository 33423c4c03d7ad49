//! The form kit: every form that writes to the server has its state, its
//! frame and its save this one way (issue 13).
//!
//! - [`Form`] holds the refusals on the fields and the failure of the form
//!   as a whole. What was typed lives in the page's own signals and is
//!   never touched by a failure.
//! - [`Form::action`] is the save: a Leptos [`Action`] (only the newest
//!   dispatch's answer is applied; `pending` is the form's busy state)
//!   whose success runs the page's `done`, and whose failure goes to its
//!   fields (focus on the first) or, without fields, under the form.
//! - [`Form::submit`] reads the form with `shared`'s rules first: a value
//!   refused on the phone is never sent.
//! - [`FormFrame`] is the markup around the fields: the title, a closed
//!   fieldset until the form's data is there (so nothing typed is
//!   overwritten by a late load), the offline line, the failure, save and
//!   cancel.

use std::borrow::Cow;
use std::future::Future;

use leptos::prelude::*;
use shared::{FieldError, ValidationError};

use crate::components::loaded::{LoadFailure, Loading};
pub use crate::components::refusal::Refusal;
use crate::components::text_field::focus_first_error;
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::state::use_online;

/// One form's refusals: per field, and for the whole form.
#[derive(Clone, Copy)]
pub struct Form {
    errors: RwSignal<Vec<FieldError>>,
    /// Why the last save failed (for the form as a whole).
    failure: RwSignal<Option<AppError>>,
    /// Why the form's data could not be loaded.
    load_failure: RwSignal<Option<AppError>>,
    /// The fields the form shows refusals at (`error`: the name;
    /// `error_under`: a prefix, `true`): a refusal of any other field is
    /// shown under the form, never lost.
    shown: StoredValue<Vec<(Cow<'static, str>, bool)>>,
    /// The `<form>` element, once drawn ([`FormFrame`], or a page's own):
    /// what [`Form::submit`] checks for fields the browser cannot read.
    node: NodeRef<leptos::html::Form>,
    /// The loads ([`Form::load`]) to run again when loading failed.
    reloads: StoredValue<Vec<Callback<()>>>,
    /// The failure line under the form ([`FormFailure`]): focused when a
    /// refusal names no field here, so the user is taken to the reason.
    failure_node: NodeRef<leptos::html::P>,
}

impl Default for Form {
    fn default() -> Self {
        Form::new()
    }
}

impl Form {
    pub fn new() -> Form {
        Form {
            errors: RwSignal::new(Vec::new()),
            failure: RwSignal::new(None),
            load_failure: RwSignal::new(None),
            shown: StoredValue::new(Vec::new()),
            node: NodeRef::new(),
            reloads: StoredValue::new(Vec::new()),
            failure_node: NodeRef::new(),
        }
    }

    /// The reference a page's own `<form node_ref=…>` takes (the
    /// [`FormFrame`] sets it itself).
    pub fn node(self) -> NodeRef<leptos::html::Form> {
        self.node
    }

    /// Whether the form shows refusals of `field` at the field.
    fn shows(self, field: &str) -> bool {
        self.shown.with_value(|shown| {
            shown.iter().any(|(name, prefix)| if *prefix { field.starts_with(name.as_ref()) } else { field == name })
        })
    }

    /// The refusal of `field` (the wire name the refusals use, e.g. `"on"`,
    /// or a list's `"to[2].user_id"`), in the user's language, for the field
    /// to say after its own label ([`Refusal::at`]); `None` while the field
    /// is fine.
    pub fn error(self, field: impl Into<Cow<'static, str>>) -> Signal<Option<Refusal>> {
        let field = field.into();
        self.shown.update_value(|shown| shown.push((field.clone(), false)));
        let lang = use_lang();
        let errors = self.errors;
        Signal::derive(move || errors.with(|e| Refusal::of(e.iter().filter(|e| e.field == field), lang.get())))
    }

    /// What a place of the page's own (not a [`TextField`](crate::components::text_field::TextField)
    /// or its kin) says under `label` about `field`: "Fil: skal udfyldes".
    pub fn error_at(
        self,
        field: impl Into<Cow<'static, str>>,
        label: impl Fn() -> &'static str + Send + Sync + 'static,
    ) -> Signal<Option<String>> {
        let refusal = self.error(field);
        Signal::derive(move || refusal.get().map(|r| r.at(label())))
    }

    /// The refusals of every field whose name starts with `prefix` (a
    /// list's items: `team_ids[1]` under `team_ids`), one after the other,
    /// so no refused item goes unnamed.
    pub fn error_under(self, prefix: &'static str) -> Signal<Option<Refusal>> {
        self.shown_at_rows(prefix);
        let lang = use_lang();
        let errors = self.errors;
        Signal::derive(move || {
            errors.with(|e| Refusal::of(e.iter().filter(|e| e.field.starts_with(prefix)), lang.get()))
        })
    }

    /// Says that the page shows the refusals of the fields under `prefix`
    /// itself, at rows whose field names change as rows come and go (each
    /// row reads its own with [`Form::message_for`]); they are not also
    /// said under the form.
    pub fn shown_at_rows(self, prefix: &'static str) {
        self.shown.update_value(|shown| shown.push((Cow::Borrowed(prefix), true)));
    }

    /// What the row field `label` says about the refusal of exactly
    /// `field`, read reactively, in the user's language; for rows whose
    /// field names change as rows come and go (see [`Form::shown_at_rows`]).
    pub fn message_for(self, field: &str, label: &str) -> Option<String> {
        let lang = use_lang().get();
        self.errors.with(|e| Refusal::of(e.iter().filter(|e| e.field == field), lang)).map(|r| r.at(label))
    }

    /// Whether the form has something to say under it: its data could not
    /// be loaded, or its last save failed.
    pub fn failing(self) -> Signal<bool> {
        let (load, save) = (self.load_failure, self.failure);
        Signal::derive(move || load.with(Option::is_some) || save.with(Option::is_some))
    }

    /// The failure of the form as a whole, if any.
    pub fn failure(self) -> Signal<Option<AppError>> {
        self.failure.into()
    }

    /// Shows `e`: refusals that name fields go to them (and focus moves to
    /// the first), anything else under the form. What was typed stays.
    pub fn show(self, e: AppError) {
        let (at_fields, elsewhere): (Vec<FieldError>, Vec<FieldError>) =
            e.field_errors().into_iter().partition(|f| self.shows(&f.field));
        let focus = !at_fields.is_empty();
        self.errors.set(at_fields);
        self.failure.set(match (focus, elsewhere.as_slice()) {
            (true, []) => None,
            // No field here shows it (a store's refusal of the whole
            // record, a server's of a value the form does not hold):
            // under the form, in the refusal's own words.
            (_, [_, ..]) => Some(AppError::Refused {
                status: 422,
                body: shared::ErrorBody::new(
                    "validation",
                    shared::Localized::new(
                        elsewhere.iter().map(|f| f.message.da.as_str()).collect::<Vec<_>>().join(" "),
                        elsewhere.iter().map(|f| f.message.en.as_str()).collect::<Vec<_>>().join(" "),
                    ),
                ),
            }),
            (false, []) => Some(e),
        });
        if focus {
            focus_first_error();
        } else {
            // After the line has its text: focus moves to the reason.
            let node = self.failure_node;
            leptos::task::spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(0).await;
                if let Some(p) = node.get_untracked() {
                    let _ = p.focus();
                }
            });
        }
    }

    /// Shows that the form's data could not be loaded (what to choose
    /// from, the record to change).
    pub fn fail(self, e: AppError) {
        self.load_failure.set(Some(e));
    }

    /// Loads what the form needs (the record to change, what to choose
    /// from) through a [`LocalResource`]: `fetch` runs again when a signal
    /// it reads changes, and only its newest answer counts; the answer
    /// goes to `fill` (which sets the fields and opens the form), a
    /// failure is shown under the form ([`Form::fail`]).
    pub fn load<T, Fut>(self, fetch: impl Fn() -> Fut + 'static, fill: impl Fn(T) + 'static)
    where
        T: Clone + 'static,
        Fut: Future<Output = Result<T, AppError>> + 'static,
    {
        let resource = LocalResource::new(fetch);
        self.reloads.update_value(|r| r.push(Callback::new(move |()| resource.refetch())));
        Effect::new(move |_| match resource.get() {
            Some(Ok(value)) => {
                self.load_failure.set(None);
                fill(value);
            }
            Some(Err(e)) => self.fail(e),
            None => {}
        });
    }

    /// Takes every refusal away.
    pub fn clear(self) {
        self.errors.set(Vec::new());
        self.failure.set(None);
    }

    /// The save: `send` runs with what [`Form::submit`] read; its success
    /// runs `done`, its failure is shown ([`Form::show`]). Only the newest
    /// dispatch's answer is applied.
    pub fn action<I, T, Fut>(
        self,
        send: impl Fn(&I) -> Fut + 'static,
        done: impl Fn(T) + 'static,
    ) -> Action<I, Result<T, AppError>>
    where
        I: 'static,
        T: Clone + 'static,
        Fut: Future<Output = Result<T, AppError>> + 'static,
    {
        let action = Action::new_local(send);
        let value = action.value();
        Effect::new(move |_| {
            // Each answer once: the value is taken as it arrives.
            let Some(answer) = value.get() else { return };
            match answer {
                Ok(v) => {
                    self.clear();
                    done(v);
                }
                Err(e) => self.show(e),
            }
        });
        action
    }

    /// Reads the form: a field the browser could not read says so itself
    /// and nothing is read (read now, the unreadable one would also be
    /// called empty); else `read` checks what was typed with `shared`'s
    /// rules, and its refusals are shown at their fields. `Some` when the
    /// form reads whole.
    pub fn read<I>(self, read: impl FnOnce() -> Result<I, Vec<ValidationError>>) -> Option<I> {
        let scope = self.node.get_untracked().map(|form| -> web_sys::Element { form.into() });
        if crate::components::text_field::unreadable_in(scope) {
            self.show(AppError::Invalid(Vec::new()));
            focus_first_error();
            return None;
        }
        match read() {
            Err(e) => {
                self.show(AppError::Invalid(e));
                None
            }
            Ok(input) => {
                self.clear();
                Some(input)
            }
        }
    }

    /// Submits: the form is read ([`Form::read`]); a refusal is shown at
    /// its fields and nothing is sent, else `action` runs with what was
    /// read. A submit while one is under way is ignored.
    pub fn submit<I, T>(
        self,
        action: Action<I, Result<T, AppError>>,
        read: impl FnOnce() -> Result<I, Vec<ValidationError>>,
    ) where
        I: 'static,
        T: 'static,
    {
        if action.pending().get_untracked() {
            return;
        }
        if let Some(input) = self.read(read) {
            action.dispatch_local(input);
        }
    }
}

/// The save of a form that writes to the phone: the mutation goes to the outbox (sent
/// when there is a network); `done` runs once it is saved on the phone.
pub fn outbox_save(form: Form, done: impl Fn() + 'static) -> Action<shared::sync::MutationBody, Result<(), AppError>> {
    form.action(
        |body: &shared::sync::MutationBody| {
            let body = body.clone();
            async move {
                crate::data::act(body).await?;
                Ok::<_, AppError>(())
            }
        },
        move |()| done(),
    )
}

/// What a form says when it could not save: offline, that it saves on the
/// server and what was typed is kept; the phone's storage, that the phone
/// could not save it; else the error's own words.
pub fn failure_text(failure: &AppError) -> shared::Localized {
    match failure {
        AppError::Offline => shared::Localized::new(
            "Det gemmes på serveren, og der er ingen forbindelse lige nu. Det indtastede er bevaret – prøv igen, når du er online.",
            "This is saved on the server, and there is no connection right now. What you typed is kept – try again when online.",
        ),
        AppError::Storage(words) => shared::Localized::new(
            format!("Kunne ikke gemme på telefonen: {}", words.da),
            format!("Could not save on the phone: {}", words.en),
        ),
        other => other.message(),
    }
}

/// What a form says under it, in the user's language: why its data could
/// not be loaded, and why the last save failed.
#[component]
pub fn FormFailure(form: Form) -> impl IntoView {
    let lang = use_lang();
    let retry = Callback::new(move |()| {
        form.load_failure.set(None);
        form.reloads.with_value(|reloads| reloads.iter().for_each(|r| r.run(())));
    });
    view! {
        <div data-testid="form-load-failure">
            {move || form.load_failure.get().map(|error| view! { <LoadFailure error=error retry=retry/> })}
        </div>
        <p class="form__failure" role="alert" tabindex="-1" node_ref=form.failure_node data-testid="form-failure">
            {move || form.failure.get().map(|f| failure_text(&f).get(lang.get()).to_owned())}
        </p>
    }
}

/// The frame of a form that writes to the server: the fields (closed
/// until `ready`), the offline line, the failure, save and cancel.
#[component]
pub fn FormFrame(
    form: Form,
    /// Whether a save is under way (the action's `pending`).
    #[prop(into)]
    busy: Signal<bool>,
    /// Whether the fields hold what they should (editing: the record has
    /// loaded); until then they are closed, so nothing typed is overwritten.
    #[prop(into)]
    ready: Signal<bool>,
    on_submit: Callback<()>,
    /// The save button's test id.
    testid: &'static str,
    #[prop(into)] save_label: Signal<&'static str>,
    /// Where "Annullér" goes; none for a form inside a page.
    #[prop(optional, into)]
    cancel: Option<String>,
    children: ChildrenFn,
) -> impl IntoView {
    let online = use_online();
    let children = StoredValue::new(children);
    view! {
        <form class="form" novalidate=true node_ref=form.node on:submit=move |ev| { ev.prevent_default(); on_submit.run(()); }>
            <fieldset class="form__fields" disabled=move || !ready.get()>
                {children.with_value(|c| c())}
            </fieldset>
            // Closed until its data is there: say so, unless loading failed
            // (then the failure says why, with "Prøv igen").
            <Show when=move || !ready.get() && form.load_failure.get().is_none()>
                <Loading what=("formularens data", "the form's data")/>
            </Show>
            // Offline: said once — by this line, or, after a save was
            // tried, by the failure under the form, which says more.
            <p class="notice" role="status" data-testid="form-offline"
                hidden=move || online.get() || form.failure.with(|f| *f == Some(AppError::Offline))>
                {tr("Du er offline. Det du skriver, bliver stående; gem, når du er online igen.", "You are offline. What you type stays; save when you are online again.")}
            </p>
            <FormFailure form=form/>
            <div class="form__actions">
                <button class="button button--primary button--wide" type="submit" disabled=move || busy.get() || !ready.get() data-testid=testid>
                    {move || if busy.get() { tr("Gemmer …", "Saving …")() } else { save_label.get() }}
                </button>
                {cancel.map(|href| view! { <a class="button button--quiet" href=href>{tr("Annullér", "Cancel")}</a> })}
            </div>
        </form>
    }
}
