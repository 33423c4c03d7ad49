//! A failed user action with no form to show it in (a tap on Today, a
//! logout, the switch of user after a login): one notice, in the user's
//! language, until dismissed or replaced. No failure on a user's path is
//! dropped (issue 12, kind 13). Shown by `components::notice::NoticeLine`.

use std::cell::RefCell;

use leptos::prelude::*;
use shared::Localized;

thread_local! {
    // Reachable from async tasks, which run outside the component tree.
    static NOTICE: RefCell<Option<RwSignal<Option<Notice>>>> = const { RefCell::new(None) };
}

/// What went wrong, and why: "Kunne ikke gemme udeblivelsen: …".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub what: Localized,
    pub why: Localized,
}

impl Notice {
    /// The whole message in one language.
    pub fn text(&self, lang: shared::Lang) -> String {
        format!("{} {}", self.what.get(lang), self.why.get(lang))
    }
}

/// Makes the notice signal (once, in `App`).
pub fn provide_notice() {
    NOTICE.with(|n| *n.borrow_mut() = Some(RwSignal::new(None)));
}

/// The notice on screen now, if any (reactive).
pub fn current() -> Option<Notice> {
    signal().and_then(|s| s.get())
}

fn signal() -> Option<RwSignal<Option<Notice>>> {
    NOTICE.with(|n| *n.borrow())
}

/// Shows that `what` failed because of `why` (both languages).
pub fn report(what: Localized, why: Localized) {
    if let Some(s) = signal() {
        s.set(Some(Notice { what, why }));
    }
}

/// Takes the notice away (the user dismissed it, or a retry worked).
pub fn clear() {
    if let Some(s) = signal() {
        s.set(None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_says_what_failed_and_why_in_one_language() {
        let n = Notice {
            what: Localized::new("Kunne ikke gemme udeblivelsen:", "Could not save the no-show:"),
            why: Localized::new("Telefonens lager svarer ikke.", "The phone's storage does not answer."),
        };
        assert_eq!(n.text(shared::Lang::Da), "Kunne ikke gemme udeblivelsen: Telefonens lager svarer ikke.");
        assert_eq!(n.text(shared::Lang::En), "Could not save the no-show: The phone's storage does not answer.");
    }
}
