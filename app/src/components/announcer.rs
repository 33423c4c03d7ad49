//! What screen readers are told, and how: a state is said once, when it
//! changes, never a clock (issue 12, kind 5). Text that moves by itself
//! (the elapsed minutes of a timer, when the phone last synced, a download's
//! progress) stays in ordinary, non-live elements a user can read at will;
//! an [`Announcer`] beside it holds words that change only with the state.
//!
//! An `Announcer` is a visually hidden live region. A live region stays in
//! place while the content around it is drawn again (the citizens' count). The
//! timer's words are `timer_announcement`.

use leptos::prelude::*;
use shared::{Lang, Timestamp};

/// A visually hidden live region (`role="status"`, polite, atomic) that
/// says its text when the text changes. `text` gives `None` for "nothing
/// new": the last words stay, so nothing is said.
#[component]
pub fn Announcer(
    /// The words for the current state, or `None` to keep the last ones.
    #[prop(into)]
    text: Signal<Option<String>>,
    /// The region's `data-testid`.
    testid: &'static str,
) -> impl IntoView {
    // A memo notifies only when the words differ, so the region's text
    // node changes only with the state.
    let said = Memo::new(move |last: Option<&String>| text.get().or_else(|| last.cloned()).unwrap_or_default());
    view! {
        <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid=testid>
            {move || said.get()}
        </p>
    }
}

/// What is said about the visit timer: `running` is the citizen's name and
/// the timer's start while one runs. Holds the start time (fixed), never
/// the elapsed minutes, so it changes only when a timer starts or stops.
pub fn timer_announcement(running: Option<(&str, Timestamp)>, lang: Lang) -> String {
    match (running, lang) {
        (Some((name, started_at)), Lang::Da) => {
            format!("Tidtagning i gang: besøg hos {name}, startet {}", started_at.format_time(lang))
        }
        (Some((name, started_at)), Lang::En) => {
            format!("Timer running: visit with {name}, started {}", started_at.format_time(lang))
        }
        (None, Lang::Da) => "Ingen tidtagning i gang".to_owned(),
        (None, Lang::En) => "No timer running".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().expect("valid")
    }

    #[test]
    fn the_timer_is_announced_when_it_starts_and_stops_not_as_it_runs() {
        let started = t("2026-11-23T08:00:12Z");
        let running = timer_announcement(Some(("Anna Jensen", started)), Lang::Da);
        assert_eq!(running, "Tidtagning i gang: besøg hos Anna Jensen, startet 09.00");
        // Nothing in it depends on the time now: minutes later the words
        // are the same, so nothing is said again.
        for _minutes_later in [1, 2, 25, 61] {
            assert_eq!(timer_announcement(Some(("Anna Jensen", started)), Lang::Da), running);
        }
        // Stopped, or another citizen's timer: new words, said once.
        let stopped = timer_announcement(None, Lang::Da);
        assert_eq!(stopped, "Ingen tidtagning i gang");
        assert_ne!(timer_announcement(Some(("Bo Hansen", started)), Lang::Da), running);
        assert_eq!(
            timer_announcement(Some(("Anna Jensen", started)), Lang::En),
            "Timer running: visit with Anna Jensen, started 09:00"
        );
    }
}
