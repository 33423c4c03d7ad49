//! Log in with username and password.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::api::{CreateSessionRequest, Password};
use shared::text::Username;
use shared::{Localized, ValidationError};

use crate::api::{self, ApiFailure};
use crate::components::lang_switch::LangSwitch;
use crate::components::pwa::PwaBanner;
use crate::components::text_field::TextField;
use crate::i18n::{tr, use_lang};
use crate::state::{Session, use_session};

/// Checks the form with the same rules the server uses.
fn validate(username: &str, password: &str) -> Result<CreateSessionRequest, Vec<ValidationError>> {
    let username = Username::try_from(username);
    let password = Password::try_from(password.to_owned());
    match (username, password) {
        (Ok(username), Ok(password)) => Ok(CreateSessionRequest { username, password }),
        (u, p) => Err(u.err().into_iter().chain(p.err()).collect()),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let navigate = use_navigate();

    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let field_errors = RwSignal::new(Vec::<ValidationError>::new());
    let failure = RwSignal::new(None::<Localized>);
    let busy = RwSignal::new(false);

    // Already logged in: straight to the app.
    let to_app = navigate.clone();
    Effect::new(move |_| {
        if matches!(session.get(), Session::LoggedIn(_)) {
            to_app("/", Default::default());
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        failure.set(None);
        let request = match validate(&username.get_untracked(), &password.get_untracked()) {
            Ok(request) => request,
            Err(errors) => {
                field_errors.set(errors);
                return;
            }
        };
        field_errors.set(Vec::new());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::login(&request).await;
            busy.set(false);
            match result {
                Ok(me) => {
                    password.set(String::new());
                    // Make the phone's data this user's before showing it.
                    let _ = crate::data::logged_in(&me).await;
                    session.set(Session::LoggedIn(me));
                }
                Err(ApiFailure::Refused { body, .. }) if !body.fields.is_empty() => {
                    failure.set(Some(body.message));
                }
                Err(ApiFailure::Unauthenticated) => failure
                    .set(Some(Localized::new("Forkert brugernavn eller adgangskode.", "Wrong username or password."))),
                Err(other) => {
                    failure.set(Some(Localized::new(other.message(shared::Lang::Da), other.message(shared::Lang::En))))
                }
            }
        });
    };

    let error_for = move |field: &'static str| {
        move || field_errors.get().iter().find(|e| e.field == field).map(|e| e.message().get(lang.get()).to_owned())
    };
    let username_error = error_for("username");
    let password_error = error_for("password");

    view! {
        <PwaBanner/>
        <main class="login-page" id="main">
            <div class="login-page__top">
                <LangSwitch/>
            </div>
            <div class="login-page__card">
                <h1 class="login-page__title">"Helhed"</h1>
                <p class="login-page__lead">
                    {tr("Log ind for at se dine borgere og registrere besøg.", "Log in to see your citizens and log visits.")}
                </p>
                <form class="login-page__form" on:submit=submit novalidate=true>
                    <TextField
                        id="username"
                        label=Signal::derive(tr("Brugernavn", "Username"))
                        input_type="text"
                        autocomplete="username"
                        required=true
                        value=username
                        error=Signal::derive(username_error)
                    />
                    <TextField
                        id="password"
                        label=Signal::derive(tr("Adgangskode", "Password"))
                        input_type="password"
                        autocomplete="current-password"
                        required=true
                        value=password
                        error=Signal::derive(password_error)
                    />
                    <p class="login-page__failure" role="alert" data-testid="login-error">
                        {move || failure.get().map(|m| m.get(lang.get()).to_owned())}
                    </p>
                    <button class="button button--primary button--wide" type="submit" disabled=move || busy.get()>
                        {move || if busy.get() { tr("Logger ind…", "Logging in…")() } else { tr("Log ind", "Log in")() }}
                    </button>
                </form>
            </div>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_checked_with_the_shared_rules() {
        assert!(validate("worker", "demo1234").is_ok());
        let errors = validate("", "").expect_err("empty");
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_ref(), e.code())).collect();
        assert_eq!(fields, [("username", "required"), ("password", "required")]);
        let errors = validate("a b", "x").expect_err("bad username");
        assert_eq!(errors[0].code(), "invalid_characters");
    }
}
