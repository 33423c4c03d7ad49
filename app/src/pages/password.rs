//! Choosing one's own password after logging in with a temporary one an
//! administrator gave. Until then the server answers nothing else, so the
//! app frame shows only this.

use leptos::prelude::*;
use shared::admin::{ChangePasswordRequest, NewPassword};
use shared::api::Password;
use shared::{Problem, ValidationError};

use crate::api;
use crate::components::form::{Form, FormFrame};
use crate::components::text_field::TextField;
use crate::i18n::tr;
use crate::state::use_session;

/// Reads the form: the temporary password, a new one of at least 10
/// characters, typed twice alike.
pub fn read(current: &str, new: &str, repeat: &str) -> Result<ChangePasswordRequest, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let current = Password::try_from(current.to_owned()).map_err(|e| errors.push(e.at("current_password"))).ok();
    let new = NewPassword::try_from(new.to_owned()).map_err(|e| errors.push(e.at("new_password"))).ok();
    if new.is_some() && new.as_ref().map(|n| n.expose()) != Some(repeat) {
        errors.push(ValidationError::new("repeat_password", Problem::Mismatch));
    }
    match (current, new) {
        (Some(current_password), Some(new_password)) if errors.is_empty() => {
            Ok(ChangePasswordRequest { current_password, new_password })
        }
        _ => Err(errors),
    }
}

#[component]
pub fn ChoosePasswordPage() -> impl IntoView {
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let form = Form::new();
    let save = form.action(
        move |request: &ChangePasswordRequest| {
            let request = request.clone();
            async move {
                let me = api::change_password(&request).await?;
                crate::state::finish_login(me, session).await;
                Ok(())
            }
        },
        |()| {},
    );
    let submit = Callback::new(move |()| {
        form.submit(save, || read(&current.get_untracked(), &new.get_untracked(), &repeat.get_untracked()))
    });
    let e = move |field| form.error(field);
    view! {
        <section class="admin-page" aria-labelledby="password-title">
            <h1 class="page-title" id="password-title">{tr("Vælg din adgangskode", "Choose your password")}</h1>
            <p>{tr("Du er logget ind med en midlertidig adgangskode. Vælg din egen, før du fortsætter – mindst 10 tegn.",
                   "You logged in with a temporary password. Choose your own before you continue – at least 10 characters.")}</p>
            <FormFrame form=form busy=save.pending() ready=true on_submit=submit testid="save-password"
                save_label=tr("Gem adgangskode", "Save password")>
                <TextField id="current-password" label=Signal::derive(tr("Midlertidig adgangskode", "Temporary password")) input_type="password"
                    value=current error=e("current_password") autocomplete="current-password"/>
                <TextField id="new-password" label=Signal::derive(tr("Ny adgangskode", "New password")) input_type="password"
                    value=new error=e("new_password") autocomplete="new-password"/>
                <TextField id="repeat-password" label=Signal::derive(tr("Gentag ny adgangskode", "Repeat new password")) input_type="password"
                    value=repeat error=e("repeat_password") autocomplete="new-password"/>
            </FormFrame>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(r: Result<ChangePasswordRequest, Vec<ValidationError>>) -> Vec<(String, &'static str)> {
        r.expect_err("refused").iter().map(|e| (e.field.to_string(), e.code())).collect()
    }

    #[test]
    fn the_new_password_is_long_enough_and_typed_twice_alike() {
        assert!(read("skift-mig-nu-1", "annes-egen-kode", "annes-egen-kode").is_ok());
        assert_eq!(
            fields(read("", "kort", "kort")),
            [("current_password".to_owned(), "required"), ("new_password".to_owned(), "too_short")]
        );
        assert_eq!(
            fields(read("skift-mig-nu-1", "annes-egen-kode", "annes-egen-kod")),
            [("repeat_password".to_owned(), "mismatch")]
        );
    }
}
