//! `/inbox`: the decision notices sent to the user (issue 16; seed 000's
//! fixed procedure for telling the other area about decisions on housing
//! support). Read from the phone's own database, so they are there offline;
//! marking one read is a mutation in the outbox like any other, shown as
//! read at once and sent when the network allows.

use leptos::prelude::*;
use shared::Lang;
use shared::notice::DecisionNotice;
use shared::sync::MutationBody;

use crate::clock::now;
use crate::data::use_data;
use crate::i18n::{tr, use_lang};
use crate::overlay::View;
use crate::state::{Session, use_session};

/// The user's notices in `view`, newest first (an administrator's phone
/// holds everyone's: only their own are theirs to read).
pub fn mine(view: &View, session: &Session) -> Vec<DecisionNotice> {
    let Session::LoggedIn(me) = session else { return Vec::new() };
    let mut out: Vec<DecisionNotice> = view.notices.iter().filter(|n| n.recipient_id == me.id).cloned().collect();
    out.sort_by(|a, b| b.decided_at.cmp(&a.decided_at).then(b.id.cmp(&a.id)));
    out
}

/// How many of the user's notices are unread.
pub fn unread_count(view: &View, session: &Session) -> usize {
    let Session::LoggedIn(me) = session else { return 0 };
    view.notices.iter().filter(|n| n.recipient_id == me.id && n.read_at.is_none()).count()
}

/// "1 ulæst besked" / "3 ulæste beskeder".
pub fn unread_text(n: usize, lang: Lang) -> String {
    match (n, lang) {
        (1, Lang::Da) => "1 ulæst besked".to_owned(),
        (n, Lang::Da) => format!("{n} ulæste beskeder"),
        (1, Lang::En) => "1 unread notice".to_owned(),
        (n, Lang::En) => format!("{n} unread notices"),
    }
}

/// "Besluttet af Lise Leder 27.11.2026 kl. 09.12".
fn decided_line(n: &DecisionNotice, lang: Lang) -> String {
    let (on, at) = (n.decided_at.local_date().format(lang), n.decided_at.format_time(lang));
    match lang {
        Lang::Da => format!("Besluttet af {} {on} kl. {at} · betales af {}", n.decided_by_name, n.payer_area_name),
        Lang::En => format!("Decided by {} on {on} at {at} · paid by {}", n.decided_by_name, n.payer_area_name),
    }
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let lang = use_lang();
    let data = use_data();
    let session = use_session();
    let failed = RwSignal::new(None::<String>);
    let mark_read = move |id| {
        leptos::task::spawn_local(async move {
            match crate::data::act(MutationBody::NoticeRead { notice_id: id, read_at: now() }).await {
                Ok(_) => failed.set(None),
                Err(e) => failed.set(Some(e.to_string())),
            }
        });
    };
    let list = move || {
        let view = data.view.get()?;
        let l = lang.get();
        let notices = mine(&view, &session.get());
        if notices.is_empty() {
            return Some(
                view! {
                    <p class="empty" data-testid="inbox-empty">
                        {l.pick(
                            "Ingen beskeder. Når et andet område træffer afgørelse om bostøtte for en borger, du har sag på, kommer beskeden her – også uden net.",
                            "No notices. When another area decides on housing support for a citizen you have a case on, the notice comes here – offline too.",
                        )}
                    </p>
                }
                .into_any(),
            );
        }
        let today = now().local_date();
        let sees = |n: &DecisionNotice| view.citizens.iter().any(|c| c.id == n.citizen_id);
        let waiting: Vec<shared::NoticeId> = view.waiting_notice_reads.clone();
        Some(
            view! {
                <ul class="notice-list" data-testid="notice-list">
                    {notices.into_iter().map(|n| {
                        let id = n.id;
                        let unread = n.read_at.is_none();
                        let late = n.is_overdue(today);
                        let link = sees(&n).then(|| format!("/citizens/{}", n.citizen_id));
                        let read_line = n.read_at.map(|at| {
                            let sent = !waiting.contains(&id);
                            match (l, sent) {
                                (Lang::Da, true) => format!("Læst {} kl. {}", at.local_date().format(l), at.format_time(l)),
                                (Lang::En, true) => format!("Read on {} at {}", at.local_date().format(l), at.format_time(l)),
                                (Lang::Da, false) => "Læst – sendes, når der er net".to_owned(),
                                (Lang::En, false) => "Read – sent when online".to_owned(),
                            }
                        });
                        let heading = n.citizen_name.clone();
                        view! {
                            <li class="card decision-notice" class:decision-notice--unread=unread data-testid="decision-notice"
                                data-read=(!unread).to_string()>
                                <h2 class="decision-notice__citizen">
                                    {match link {
                                        Some(href) => view! { <a href=href>{heading}</a> }.into_any(),
                                        None => view! { <span>{heading}</span> }.into_any(),
                                    }}
                                    {unread.then(|| view! { <span class="decision-notice__new">{l.pick("Ny", "New")}</span> })}
                                </h2>
                                <p class="decision-notice__what" data-testid="notice-summary">{n.summary(l)}</p>
                                <p class="decision-notice__meta">{decided_line(&n, l)}</p>
                                <p class="decision-notice__meta">
                                    {match l {
                                        Lang::Da => format!("Til dig som {} · borgeren har sag i dit område", n.area_name),
                                        Lang::En => format!("To you in {} · the citizen has a case in your area", n.area_name),
                                    }}
                                </p>
                                {(unread && late).then(|| view! {
                                    <p class="notice notice--warning" data-testid="notice-late">
                                        {match l {
                                            Lang::Da => format!("Ulæst i {} arbejdsdage – din leder kan se det.", n.waiting_working_days(today)),
                                            Lang::En => format!("Unread for {} working days – your lead can see this.", n.waiting_working_days(today)),
                                        }}
                                    </p>
                                })}
                                {match read_line {
                                    Some(line) => view! { <p class="decision-notice__read" data-testid="notice-read">{line}</p> }.into_any(),
                                    None => view! {
                                        <button type="button" class="button button--primary" data-testid="mark-read"
                                            on:click=move |_| mark_read(id)>
                                            {l.pick("Markér som læst", "Mark as read")}
                                        </button>
                                    }.into_any(),
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any(),
        )
    };
    view! {
        <section class="inbox-page" aria-labelledby="inbox-title">
            <h1 id="inbox-title">{tr("Beskeder", "Notices")}</h1>
            <p class="lead-page__as-of" role="status" data-testid="inbox-count">
                {move || {
                    let view = data.view.get()?;
                    Some(unread_text(unread_count(&view, &session.get()), lang.get()))
                }}
            </p>
            {move || failed.get().map(|e| view! { <p class="notice notice--error" role="alert">{e}</p> })}
            {list}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unread_count_reads_as_a_sentence() {
        assert_eq!(unread_text(0, Lang::Da), "0 ulæste beskeder");
        assert_eq!(unread_text(1, Lang::Da), "1 ulæst besked");
        assert_eq!(unread_text(3, Lang::En), "3 unread notices");
    }
}
