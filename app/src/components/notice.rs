//! The notice line (the one alert under the bar that shows
//! `crate::notice`), and [`Tap`]: a user action with no form of its own
//! whose failure becomes that notice.

use std::future::Future;

use leptos::prelude::*;
use shared::Localized;

use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::notice::{clear, current};

/// The alert line. Shown by the frame and the login page.
#[component]
pub fn NoticeLine() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="notice-line" role="alert" data-testid="notice" hidden=move || current().is_none()>
            {move || current().map(|n| view! {
                <p class="notice-line__text">{n.text(lang.get())}</p>
                <button type="button" class="button button--quiet" on:click=|_| clear()>
                    {tr("Luk", "Close")}
                </button>
            })}
        </div>
    }
}

/// A user action with no form of its own (a tap on Today, a discard, a
/// logout) over a Leptos [`Action`]: one runs at a time (a tap while it
/// runs is ignored; [`Tap::busy`] says so), its success goes to `done`,
/// and its failure is never dropped: it becomes the notice, "`what`" and
/// the cause, in the user's language (issue 12, kind 13).
pub struct Tap<I: 'static, T: 'static> {
    action: Action<I, Result<T, AppError>>,
}

impl<I: 'static, T: 'static> Clone for Tap<I, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static, T: 'static> Copy for Tap<I, T> {}

impl<I: 'static, T: Clone + 'static> Tap<I, T> {
    /// `what` names what did not happen ("Udeblivelsen blev ikke gemt på
    /// telefonen."); `run` does it; `done` follows a success.
    pub fn new<Fut>(what: Localized, run: impl Fn(&I) -> Fut + 'static, done: impl Fn(T) + 'static) -> Tap<I, T>
    where
        Fut: Future<Output = Result<T, AppError>> + 'static,
    {
        let action = Action::new_local(run);
        let value = action.value();
        Effect::new(move |_| match value.get() {
            Some(Ok(v)) => done(v),
            Some(Err(e)) => crate::notice::report(what.clone(), e.message()),
            None => {}
        });
        Tap { action }
    }

    /// Does it, unless it is under way already.
    pub fn run(self, input: I) {
        if !self.action.pending().get_untracked() {
            self.action.dispatch_local(input);
        }
    }

    /// Whether it is under way (for a busy button).
    pub fn busy(self) -> Signal<bool> {
        self.action.pending().into()
    }
}
