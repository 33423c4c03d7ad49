//! Log in with username and password.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::ValidationError;
use shared::api::{CreateSessionRequest, Password};
use shared::text::Username;

use crate::api;
use crate::components::form::Form;
use crate::components::lang_switch::LangSwitch;
use crate::components::pwa::PwaBanner;
use crate::components::text_field::TextField;
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::state::{Session, finish_login, use_session};

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
    let form = Form::new();
    // A login that would wipe another user's unsent work waits for a yes:
    // (who logged in, whose work, how many records).
    let takeover = RwSignal::new(None::<(shared::api::MeResponse, String, usize)>);

    // Already logged in: straight to the app.
    let to_app = navigate.clone();
    Effect::new(move |_| {
        if matches!(session.get(), Session::LoggedIn(_)) {
            to_app("/", Default::default());
        }
    });

    // The login, then either the app or the question about another
    // user's unsent work.
    let log_in = form.action(
        move |request: &CreateSessionRequest| {
            let request = request.clone();
            async move {
                let me = api::login(&request).await?;
                Ok::<_, AppError>(match crate::data::unsent_of_other_user(me.id).await {
                    Some((name, count)) => Some((me, name, count)),
                    None => {
                        finish_login(me, session).await;
                        None
                    }
                })
            }
        },
        move |waiting| {
            password.set(String::new());
            takeover.set(waiting);
        },
    );
    // The answer to the question: log in anyway (the phone is wiped for
    // the new user), or end the new session unused (a failure to tell the
    // server only leaves it to expire there).
    let take_over = Action::new_local(move |me: &shared::api::MeResponse| finish_login(me.clone(), session));
    let end_session = Action::new_local(|(): &()| async {
        let _ = api::logout().await;
    });
    let busy = Signal::derive(move || log_in.pending().get() || take_over.pending().get());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.submit(log_in, || validate(&username.get_untracked(), &password.get_untracked()));
    };

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
                <crate::components::notice::NoticeLine/>
                <Show when=move || crate::data::use_data().status.get().problem == Some(crate::sync::runner::SyncProblem::Deactivated)>
                    <p class="notice" role="alert" data-testid="deactivated">
                        {tr("Din konto er deaktiveret. Det, der ventede på telefonen, er sendt til serveren, og data på telefonen er slettet.",
                            "Your account is deactivated. What was waiting on the phone was sent to the server, and the data on the phone is deleted.")}
                    </p>
                </Show>
                <form class="login-page__form" node_ref=form.node() on:submit=submit novalidate=true>
                    <TextField
                        id="username"
                        label=Signal::derive(tr("Brugernavn", "Username"))
                        input_type="text"
                        autocomplete="username"
                        required=true
                        value=username
                        error=form.error("username")
                    />
                    <TextField
                        id="password"
                        label=Signal::derive(tr("Adgangskode", "Password"))
                        input_type="password"
                        autocomplete="current-password"
                        required=true
                        value=password
                        error=form.error("password")
                    />
                    <Show when=move || takeover.get().is_some()>
                        <div class="login-page__takeover" role="alertdialog" aria-labelledby="takeover-text" data-testid="takeover">
                            <p id="takeover-text">
                                {move || takeover.get().map(|(_, name, count)| match (lang.get(), count) {
                                    (shared::Lang::Da, 1) => format!("Telefonen har 1 usendt registrering fra {name}. Logger du ind, slettes den. Lad {name} logge ind og synkronisere først."),
                                    (shared::Lang::Da, n) => format!("Telefonen har {n} usendte registreringer fra {name}. Logger du ind, slettes de. Lad {name} logge ind og synkronisere først."),
                                    (shared::Lang::En, 1) => format!("This phone has 1 unsent record from {name}. Logging in deletes it. Let {name} log in and sync first."),
                                    (shared::Lang::En, n) => format!("This phone has {n} unsent records from {name}. Logging in deletes them. Let {name} log in and sync first."),
                                })}
                            </p>
                            <button type="button" class="button" data-testid="takeover-cancel" on:click=move |_| {
                                takeover.set(None);
                                // The new session is not used: end it.
                                end_session.dispatch_local(());
                            }>{tr("Annullér", "Cancel")}</button>
                            <button type="button" class="button button--danger" data-testid="takeover-confirm" on:click=move |_| {
                                if let Some((me, _, _)) = takeover.get_untracked() {
                                    takeover.set(None);
                                    take_over.dispatch_local(me);
                                }
                            }>{tr("Log ind og slet dem", "Log in and delete them")}</button>
                        </div>
                    </Show>
                    <p class="login-page__failure" role="alert" data-testid="login-error">
                        {move || form.failure().get().map(|f| f.text(lang.get()))}
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
