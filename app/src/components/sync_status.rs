//! The sync state in words: all synced / N waiting / when last synced /
//! what is wrong and what to do. And a "sync now" button.
//!
//! What is announced to screen readers is `announcement`, said through an
//! `Announcer` (`components::announcer`) when the state changes; the time of
//! the last sync is ordinary text.

use leptos::prelude::*;
use shared::{Lang, Timestamp};

use crate::components::announcer::Announcer;
use crate::data::use_data;
use crate::i18n::{tr, use_lang};
use crate::state::use_online;
use crate::sync::runner::{self, SyncProblem, SyncStatus};

/// How the line looks: calm, busy, waiting or a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Busy,
    Waiting,
    Problem,
}

impl Tone {
    fn code(self) -> &'static str {
        match self {
            Tone::Ok => "ok",
            Tone::Busy => "busy",
            Tone::Waiting => "waiting",
            Tone::Problem => "problem",
        }
    }
}

fn waiting(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::Da, 1) => "1 registrering venter på at blive sendt".into(),
        (Lang::Da, n) => format!("{n} registreringer venter på at blive sendt"),
        (Lang::En, 1) => "1 record waiting to be sent".into(),
        (Lang::En, n) => format!("{n} records waiting to be sent"),
    }
}

/// The status line, from everything that decides it.
pub fn describe(
    status: &SyncStatus,
    pending: usize,
    synced_at: Option<Timestamp>,
    online: bool,
    today: shared::Date,
    lang: Lang,
) -> (Tone, String) {
    let da = lang == Lang::Da;
    if status.syncing {
        let text = match status.progress {
            Some((got, all)) if da => {
                format!("Henter data … {} af {}", lang.group_thousands(got as i64), lang.group_thousands(all as i64))
            }
            Some((got, all)) => {
                format!("Downloading … {} of {}", lang.group_thousands(got as i64), lang.group_thousands(all as i64))
            }
            None if da => "Synkroniserer …".into(),
            None => "Syncing …".into(),
        };
        return (Tone::Busy, text);
    }
    let problem = match &status.problem {
        _ if !online => Some(if da {
            "Offline – besøg, timer og planer gemmes på telefonen og sendes, når du er online igen".to_owned()
        } else {
            "Offline – visits, hours and plans are saved on the phone and sent when you are back online".to_owned()
        }),
        Some(SyncProblem::Offline) => Some(if da {
            "Serveren kan ikke nås – prøver igen om lidt".to_owned()
        } else {
            "The server cannot be reached – trying again shortly".to_owned()
        }),
        Some(SyncProblem::LoginNeeded) => Some(if da {
            "Log ind igen for at sende – intet går tabt".to_owned()
        } else {
            "Log in again to send – nothing is lost".to_owned()
        }),
        Some(SyncProblem::Deactivated) => Some(if da {
            "Din konto er deaktiveret – data på telefonen er slettet".to_owned()
        } else {
            "Your account is deactivated – the data on the phone is deleted".to_owned()
        }),
        Some(SyncProblem::Outdated) => Some(if da {
            "Ny version – genindlæs siden for at fortsætte".to_owned()
        } else {
            "New version – reload the page to continue".to_owned()
        }),
        Some(SyncProblem::Refused(why)) => {
            Some(format!("{}: {}", if da { "Serveren afviste" } else { "The server refused" }, why.get(lang)))
        }
        Some(SyncProblem::Storage(why)) => Some(format!(
            "{}: {}",
            if da { "Telefonens lager fejlede" } else { "The phone's storage failed" },
            why.get(lang)
        )),
        None => None,
    };
    if let Some(text) = problem {
        let text = if pending > 0 { format!("{text} · {}", waiting(lang, pending)) } else { text };
        // Offline is a normal state for a field app, not an error.
        let tone = if online { Tone::Problem } else { Tone::Waiting };
        return (tone, text);
    }
    if pending > 0 {
        return (Tone::Waiting, waiting(lang, pending));
    }
    match synced_at {
        Some(at) => {
            let when = if at.local_date() == today {
                at.format_time(lang)
            } else {
                format!("{} {}", at.local_date().format(lang), at.format_time(lang))
            };
            (Tone::Ok, if da { format!("Alt er synkroniseret · {when}") } else { format!("All synced · {when}") })
        }
        None => (Tone::Waiting, if da { "Ikke synkroniseret endnu".into() } else { "Not synced yet".into() }),
    }
}

/// What a screen reader is told about sync: the state only (synced,
/// waiting to send, not synced yet, offline or the problem), so it is said
/// once when the state changes. `None` while a run is under way: its
/// progress is a clock, and the state it ends in is said when it ends.
/// No time of day and no counts: those change without the state changing.
/// A problem's words are [`describe`]'s, so the line and this agree.
pub fn announcement(status: &SyncStatus, pending: usize, synced: bool, online: bool, lang: Lang) -> Option<String> {
    if status.syncing {
        return None;
    }
    let waiting = pending > 0;
    let da = lang == Lang::Da;
    let text = if status.problem.is_some() || !online {
        // With nothing pending and no sync time, the line is the problem alone.
        let problem = describe(status, 0, None, online, Timestamp::from_millis(0).local_date(), lang).1;
        match (waiting, da) {
            (false, _) => problem,
            (true, true) => format!("{problem} · registreringer venter på at blive sendt"),
            (true, false) => format!("{problem} · records are waiting to be sent"),
        }
    } else {
        match (waiting, synced, da) {
            (true, _, true) => "Registreringer venter på at blive sendt".to_owned(),
            (true, _, false) => "Records are waiting to be sent".to_owned(),
            (false, true, true) => "Alt er synkroniseret".to_owned(),
            (false, true, false) => "All synced".to_owned(),
            (false, false, true) => "Ikke synkroniseret endnu".to_owned(),
            (false, false, false) => "Not synced yet".to_owned(),
        }
    };
    Some(text)
}

#[component]
pub fn SyncStatusLine() -> impl IntoView {
    let data = use_data();
    let lang = use_lang();
    let online = use_online();
    let line = move || {
        let view = data.view.get();
        let pending = view.as_ref().map_or(0, |v| v.pending);
        let synced_at = view.as_ref().and_then(|v| v.synced_at);
        let today = Timestamp::from_millis(js_sys::Date::now() as i64).local_date();
        describe(&data.status.get(), pending, synced_at, online.get(), today, lang.get())
    };
    // The line shows times and counts and is no live region; the announcer
    // says the state once when it changes.
    let said = move || {
        let view = data.view.get();
        let pending = view.as_ref().map_or(0, |v| v.pending);
        let synced = view.as_ref().is_some_and(|v| v.synced_at.is_some());
        announcement(&data.status.get(), pending, synced, online.get(), lang.get())
    };
    view! {
        <Announcer text=Signal::derive(said) testid="sync-announcement"/>
        // `data-synced-at` (ms since the epoch) changes when a sync has
        // ended and the phone's view holds what it brought.
        <div
            class="sync-status"
            data-tone=move || line().0.code()
            data-synced-at=move || data.view.get().and_then(|v| v.synced_at).map(|t| t.as_millis().to_string())
            data-testid="sync-status"
        >
            <p class="sync-status__text">{move || line().1}</p>
            <button
                type="button"
                class="button button--quiet sync-status__now"
                on:click=move |_| runner::request_sync(false)
                disabled=move || data.status.get().syncing || !online.get()
            >
                {tr("Synkronisér nu", "Sync now")}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().expect("valid")
    }

    #[test]
    fn the_line_says_what_matters_most() {
        let today: shared::Date = "2026-11-23".parse().expect("valid");
        let idle = SyncStatus::default();
        let synced = Some(t("2026-11-23T13:05:00Z"));
        let cases = [
            (idle.clone(), 0, synced, true, Tone::Ok, "Alt er synkroniseret · 14.05"),
            (idle.clone(), 2, synced, true, Tone::Waiting, "2 registreringer venter på at blive sendt"),
            (
                idle.clone(),
                1,
                synced,
                false,
                Tone::Waiting,
                "Offline – besøg, timer og planer gemmes på telefonen og sendes, når du er online igen · 1 registrering venter på at blive sendt",
            ),
            (
                SyncStatus { syncing: true, progress: Some((1000, 12500)), ..idle.clone() },
                0,
                None,
                true,
                Tone::Busy,
                "Henter data … 1.000 af 12.500",
            ),
            (
                SyncStatus { problem: Some(SyncProblem::LoginNeeded), ..idle.clone() },
                0,
                synced,
                true,
                Tone::Problem,
                "Log ind igen for at sende – intet går tabt",
            ),
            (
                idle.clone(),
                0,
                Some(t("2026-11-20T08:00:00Z")),
                true,
                Tone::Ok,
                "Alt er synkroniseret · 20.11.2026 09.00",
            ),
            (idle, 0, None, true, Tone::Waiting, "Ikke synkroniseret endnu"),
        ];
        for (status, pending, at, online, tone, text) in cases {
            assert_eq!(describe(&status, pending, at, online, today, Lang::Da), (tone, text.to_owned()));
        }
        assert_eq!(describe(&SyncStatus::default(), 1, None, true, today, Lang::En).1, "1 record waiting to be sent");
    }

    #[test]
    fn the_announcement_changes_with_the_state_not_the_clock() {
        // Issue 12, kind 5: the line's time of last sync moves every run;
        // what is announced does not.
        let idle = SyncStatus::default();
        let refused = SyncStatus { problem: Some(SyncProblem::LoginNeeded), ..idle.clone() };
        let say =
            |status: &SyncStatus, pending, synced, online| announcement(status, pending, synced, online, Lang::Da);
        // (status, pending, synced, online) → what is said; None: nothing new.
        let cases: [(&SyncStatus, usize, bool, bool, Option<&str>); 8] = [
            (&idle, 0, true, true, Some("Alt er synkroniseret")),
            (&idle, 3, true, true, Some("Registreringer venter på at blive sendt")),
            (&idle, 0, false, true, Some("Ikke synkroniseret endnu")),
            (
                &idle,
                0,
                true,
                false,
                Some("Offline – besøg, timer og planer gemmes på telefonen og sendes, når du er online igen"),
            ),
            (
                &idle,
                2,
                true,
                false,
                Some(
                    "Offline – besøg, timer og planer gemmes på telefonen og sendes, når du er online igen · registreringer venter på at blive sendt",
                ),
            ),
            (&refused, 0, true, true, Some("Log ind igen for at sende – intet går tabt")),
            (&SyncStatus { syncing: true, ..idle.clone() }, 0, true, true, None),
            (&SyncStatus { syncing: true, progress: Some((1000, 12_500)), ..idle.clone() }, 0, false, true, None),
        ];
        for (i, (status, pending, synced, online, want)) in cases.into_iter().enumerate() {
            assert_eq!(say(status, pending, synced, online).as_deref(), want, "case {i}");
        }

        // Minute after minute of syncs: the line says a new time each run,
        // the announcement stays the same words.
        let today: shared::Date = "2026-11-23".parse().expect("valid");
        let mut lines = Vec::new();
        let mut said = Vec::new();
        for minute in 0..5 {
            let at = t("2026-11-23T13:05:00Z").add_minutes(minute);
            lines.push(describe(&idle, 0, Some(at), true, today, Lang::Da).1);
            said.push(say(&idle, 0, true, true));
        }
        assert!(lines.windows(2).all(|w| w[0] != w[1]), "the line moves: {lines:?}");
        assert!(said.windows(2).all(|w| w[0] == w[1]), "the announcement does not: {said:?}");
        // A growing count of waiting records is one state, said once.
        assert_eq!(say(&idle, 1, true, true), say(&idle, 7, true, true));
        // Each state sounds different from the others.
        let states = [
            say(&idle, 0, true, true),
            say(&idle, 1, true, true),
            say(&idle, 0, false, true),
            say(&idle, 0, true, false),
            say(&refused, 0, true, true),
        ];
        for (i, a) in states.iter().enumerate() {
            for b in &states[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(announcement(&idle, 0, true, true, Lang::En).as_deref(), Some("All synced"));
    }
}
