//! How every page shows what it fetches (issue 13): one look for loading,
//! failure (with "Prøv igen") and the answer, over a Leptos
//! [`LocalResource`], so the newest request wins and no error is dropped.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{tr, use_lang};

/// What a fetch for a page answers: the value and whether it is the last
/// copy kept on the phone (`data::fetch_or_cached`, offline).
pub type Fetched<T> = Result<(T, bool), AppError>;

/// Shows `resource`: "Henter …" while it loads, its failure with a way to
/// try again, else `show` with the value and whether it is the phone's
/// last copy (then a line says so).
#[component]
pub fn Loaded<T, V, F>(
    resource: LocalResource<Fetched<T>>,
    /// What is being fetched, as the loading line says it: "Henter {what} …".
    what: (&'static str, &'static str),
    show: F,
    /// The page already says it shows the phone's last copy or that it
    /// is offline (one line for the page, not one per part): this part
    /// says neither again.
    #[prop(optional)]
    cached_said: bool,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + 'static,
{
    let show = StoredValue::new_local(show);
    move || match resource.get() {
        None => view! { <Loading what=what/> }.into_any(),
        Some(Err(AppError::Offline)) if cached_said => {
            view! { <RefreshWhenOnline retry=Callback::new(move |()| resource.refetch())/> }.into_any()
        }
        Some(Err(e)) => view! { <LoadFailure error=e retry=Callback::new(move |()| resource.refetch())/> }.into_any(),
        Some(Ok((value, cached))) => view! {
            {cached.then(|| view! {
                <p class="notice" role="status" data-testid="cached" hidden=cached_said>
                    {tr("Uden forbindelse – viser det senest hentede.", "Offline – showing what was fetched last.")}
                </p>
                <RefreshWhenOnline retry=Callback::new(move |()| resource.refetch())/>
            })}
            {show.with_value(|show| show(value))}
        }
        .into_any(),
    }
}

/// The line while something loads: "Henter {what} …".
#[component]
pub fn Loading(
    /// What is being fetched, in both languages.
    what: (&'static str, &'static str),
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="notice" role="status" data-testid="loading">
            {move || match lang.get() {
                shared::Lang::Da => format!("Henter {} …", what.0),
                shared::Lang::En => format!("Loading {} …", what.1),
            }}
        </p>
    }
}

/// Why something could not be loaded, in the user's language, with a way
/// to try again; failed for want of a connection, it tries again by itself
/// when the phone is back online.
#[component]
pub fn LoadFailure(error: AppError, retry: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    if error == AppError::Offline {
        retry_when_back_online(retry);
    }
    view! {
        <div class="notice notice--error" role="alert" data-testid="load-failure">
            <p>{move || error.text(lang.get())}</p>
            <button type="button" class="button" on:click=move |_| retry.run(())>{tr("Prøv igen", "Try again")}</button>
        </div>
    }
}

/// Runs `retry` each time the phone comes back online, for as long as the
/// calling view is shown (a failure for want of a connection, or the
/// phone's last copy of what a page fetches).
fn retry_when_back_online(retry: Callback<()>) {
    let online = crate::state::use_online();
    Effect::new(move |was: Option<bool>| {
        let now = online.get();
        if was == Some(false) && now {
            retry.run(());
        }
        now
    });
}

/// Put beside a page's "offline – showing the last copy" line: fetches
/// anew as soon as the phone is back online, so the copy gives way to the
/// server's answer by itself.
#[component]
pub fn RefreshWhenOnline(retry: Callback<()>) -> impl IntoView {
    retry_when_back_online(retry);
}
