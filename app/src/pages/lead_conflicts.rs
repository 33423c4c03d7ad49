//! `/lead/conflicts`: the lead sees each conflict of the team's visits —
//! two edits that changed the same field to different values — with both
//! versions side by side ("Står nu" / "Ikke gemt"), who and when, and
//! settles it: keep what stands, or put the other version on the visit
//! (issue 12, kind 15).
//!
//! A decision, like approving a month: it needs the network. Offline the
//! page says so and sends nothing, so nothing is ever half done; the
//! settled visit reaches the phones by sync.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::conflict::{ConflictField, ConflictVersions, Keep, VisitConflict};
use shared::drawing_right::DrawingRight;
use shared::grant::Grant;
use shared::visit::{Correction, VisitDraft};
use shared::{Lang, TeamId};

use crate::api;
use crate::components::form::{Form, FormFailure};
use crate::components::loaded::{LoadFailure, Loading};
use crate::components::team_select::{TeamSelect, org_for_team};
use crate::data::use_data;
use crate::error::AppError;
use crate::format;
use crate::i18n::{tr, use_lang};
use crate::state::use_online;

/// What the phone knows to name a charge.
pub struct Charges<'a> {
    pub grants: &'a [Grant],
    pub pools: &'a [DrawingRight],
}

/// One field of a worker's version, as the lead reads it.
pub fn draft_text(
    field: ConflictField,
    draft: &VisitDraft,
    c: &VisitConflict,
    charges: &Charges,
    lang: Lang,
) -> String {
    match field {
        ConflictField::CitizenId if draft.citizen_id == c.visit.citizen_id => c.citizen_name.to_string(),
        ConflictField::CitizenId => (if lang == Lang::Da { "En anden borger" } else { "Another citizen" }).to_owned(),
        ConflictField::Kind => draft.kind.label(lang).to_owned(),
        ConflictField::Times => format!(
            "{} {}",
            draft.started_at().local_date().format(lang),
            format::time_range(draft.started_at(), draft.ended_at(), lang)
        ),
        ConflictField::TravelMinutes => format::duration(draft.travel_minutes, lang),
        ConflictField::Note if draft.note.as_str().is_empty() => {
            (if lang == Lang::Da { "(ingen note)" } else { "(no note)" }).to_owned()
        }
        ConflictField::Note => draft.note.to_string(),
        ConflictField::ChargedTo => match draft.charged_to {
            Some(charge) => format::charge(charge, charges.grants, charges.pools, lang),
            None => (if lang == Lang::Da { "Intet" } else { "Nothing" }).to_owned(),
        },
        ConflictField::Goals => match draft.goals().len() {
            0 => (if lang == Lang::Da { "Ingen mål" } else { "No goals" }).to_owned(),
            n => match lang {
                Lang::Da => format!("{n} mål"),
                Lang::En => format!("{n} goal{}", if n == 1 { "" } else { "s" }),
            },
        },
        ConflictField::CoWorkers => match draft.co_workers().len() {
            0 => (if lang == Lang::Da { "Ingen kolleger" } else { "No colleagues" }).to_owned(),
            n => match lang {
                Lang::Da => format!("{n} {}", if n == 1 { "kollega" } else { "kolleger" }),
                Lang::En => format!("{n} colleague{}", if n == 1 { "" } else { "s" }),
            },
        },
        ConflictField::Correction => String::new(),
    }
}

/// A lead's correction, as the lead reads it.
pub fn correction_text(c: Option<&Correction>, lang: Lang) -> String {
    match c {
        Some(c) => format!("{} – {}", format::duration(c.minutes, lang), c.reason),
        None => (if lang == Lang::Da { "Ingen rettelse" } else { "No correction" }).to_owned(),
    }
}

/// Each clashed field: (heading, what stands now, the version not kept).
pub fn rows(c: &VisitConflict, charges: &Charges, lang: Lang) -> Vec<(&'static str, String, String)> {
    let now = c.visit.draft();
    c.fields
        .iter()
        .map(|f| {
            let (standing, other) = match &c.versions {
                ConflictVersions::Edit { other, .. } => {
                    (draft_text(*f, &now, c, charges, lang), draft_text(*f, other, c, charges, lang))
                }
                ConflictVersions::Correction { other, .. } => {
                    (correction_text(c.visit.correction.as_ref(), lang), correction_text(other.as_ref(), lang))
                }
            };
            (f.heading(lang), standing, other)
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
enum Load {
    Idle,
    Loading,
    Ready(Vec<VisitConflict>),
    Failed(AppError),
}

#[component]
pub fn LeadConflictsPage() -> impl IntoView {
    let lang = use_lang();
    let online = use_online();
    let query = use_query_map();
    let team = RwSignal::new(query.read_untracked().get("team").and_then(|t| t.parse::<TeamId>().ok()));
    let (_, org, _) = org_for_team(team);
    let reload = RwSignal::new(0u32);
    // The last settle, said once (a live region that does not tick).
    let done = RwSignal::new(None::<Keep>);

    // Keyed by the team (and a reload after a settle): only the answer to
    // the newest key is shown, and while it loads the last one stays —
    // offline too, with the buttons waiting.
    let conflicts = LocalResource::new(move || {
        reload.track();
        let team = team.get();
        async move {
            match team {
                Some(t) => Some(api::conflicts(t).await.map(|list| list.conflicts)),
                None => None,
            }
        }
    });
    // Back online after an answer that never came: ask again.
    Effect::new(move |was: Option<bool>| {
        let now = online.get();
        if was == Some(false) && now && matches!(conflicts.get_untracked(), Some(Some(Err(AppError::Offline)))) {
            reload.update(|n| *n += 1);
        }
        now
    });
    let load = move || match conflicts.get() {
        None => Load::Loading,
        // Offline: the page says so above.
        Some(None) | Some(Some(Err(AppError::Offline))) => Load::Idle,
        Some(Some(Ok(list))) => Load::Ready(list),
        Some(Some(Err(e))) => Load::Failed(e),
    };

    view! {
        <section class="lead-page conflicts-page" aria-labelledby="conflicts-title">
            <h1 class="page-title" id="conflicts-title">{tr("Konflikter", "Conflicts")}</h1>
            <p class="conflicts-page__intro">{tr(
                "To ændringer af det samme felt på et besøg. Det, der står nu, gælder, indtil du vælger.",
                "Two changes of the same field of a visit. What stands now counts until you choose.",
            )}</p>
            <div class="lead-page__filters">
                <TeamSelect org=org team=team/>
                <a class="button" href="/lead">{tr("Tilbage til overblikket", "Back to the overview")}</a>
            </div>
            <p class="visually-hidden" role="status">{move || done.get().map(|k| match (k, lang.get()) {
                (Keep::Standing, Lang::Da) => "Konflikten er lukket; det, der stod, står.",
                (Keep::Standing, Lang::En) => "The conflict is closed; what stood stands.",
                (Keep::Other, Lang::Da) => "Den anden version er gemt på besøget.",
                (Keep::Other, Lang::En) => "The other version is saved on the visit.",
            })}</p>
            {move || (!online.get()).then(|| view! {
                <p class="notice" data-testid="conflicts-offline">{tr(
                    "Konflikter afgøres med forbindelse. Du er offline, så intet er sendt – prøv igen, når du er online.",
                    "Conflicts are settled with a connection. You are offline, so nothing was sent – try again once online.",
                )}</p>
            })}
            {move || match load() {
                Load::Idle => ().into_any(),
                Load::Loading => view! { <Loading what=("konflikterne", "the conflicts")/> }.into_any(),
                Load::Failed(e) => view! {
                    <LoadFailure error=e retry=Callback::new(move |()| reload.update(|n| *n += 1))/>
                }.into_any(),
                Load::Ready(list) if list.is_empty() => view! {
                    <p class="empty" data-testid="no-conflicts">{tr("Ingen åbne konflikter.", "No open conflicts.")}</p>
                }.into_any(),
                Load::Ready(list) => view! {
                    <ul class="conflicts">
                        {list.into_iter().map(|c| view! { <ConflictCard conflict=c reload=reload done=done/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ConflictCard(conflict: VisitConflict, reload: RwSignal<u32>, done: RwSignal<Option<Keep>>) -> impl IntoView {
    let lang = use_lang();
    let online = use_online();
    let data = use_data();
    let id = conflict.id;
    // A decision needs the network: offline the buttons wait.
    let form = Form::new();
    let settle = form.action(
        move |keep: &Keep| {
            let keep = *keep;
            async move { api::settle_conflict(id, keep).await.map(|_| keep) }
        },
        move |keep| {
            done.set(Some(keep));
            reload.update(|n| *n += 1);
            // The settled visit comes to this phone by sync.
            crate::sync::runner::request_sync(false);
        },
    );
    let busy = settle.pending();
    let decide = move |keep: Keep| {
        if online.get_untracked() {
            form.submit(settle, || Ok(keep));
        }
    };
    let title_id = format!("conflict-{id}");
    let labelled_by = title_id.clone();
    let c = conflict.clone();
    let body = move || {
        let l = lang.get();
        let view = data.view.get().unwrap_or_default();
        let charges = Charges { grants: &view.grants, pools: &view.drawing_rights };
        rows(&c, &charges, l)
            .into_iter()
            .map(|(heading, standing, other)| {
                view! {
                    <tr>
                        <th scope="row">{heading}</th>
                        <td data-testid="standing">{standing}</td>
                        <td data-testid="other">{other}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let c = conflict.clone();
    let heading = move || {
        let l = lang.get();
        let start = c.visit.started_at();
        format!(
            "{} · {} {}",
            c.citizen_name,
            start.local_date().format(l),
            format::time_range(start, c.visit.ended_at(), l)
        )
    };
    let c = conflict;
    let who = move || {
        let l = lang.get();
        let when = format!("{} {}", c.created_at.local_date().format(l), c.created_at.format_time(l));
        match l {
            // Which phone sent it means nothing to a lead; who and when do.
            Lang::Da => format!(
                "Medarbejder: {}. Ikke gemt: en ændring fra {}, modtaget {}. Den byggede på en ældre version \
                 end den, der står nu.",
                c.worker_name, c.by_name, when
            ),
            Lang::En => format!(
                "Worker: {}. Not kept: a change by {}, received {}. It was based on an older version than the one \
                 that stands now.",
                c.worker_name, c.by_name, when
            ),
        }
    };
    view! {
        <li class="card conflict" data-testid="conflict" aria-labelledby=labelled_by>
            <h2 class="conflict__title" id=title_id>{heading}</h2>
            <p class="conflict__who">{who}</p>
            <table class="conflict__versions">
                <thead>
                    <tr>
                        <th scope="col">{tr("Felt", "Field")}</th>
                        <th scope="col">{tr("Står nu", "Stands now")}</th>
                        <th scope="col">{tr("Ikke gemt", "Not kept")}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
            <FormFailure form=form/>
            <div class="conflict__actions">
                <button type="button" class="button" data-testid="settle-standing"
                    disabled=move || busy.get() || !online.get() on:click=move |_| decide(Keep::Standing)>
                    {tr("Behold det, der står", "Keep what stands")}
                </button>
                <button type="button" class="button button--primary" data-testid="settle-other"
                    disabled=move || busy.get() || !online.get() on:click=move |_| decide(Keep::Other)>
                    {tr("Brug den anden version", "Use the other version")}
                </button>
            </div>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::text::{Note, PersonName};
    use shared::visit::{Visit, VisitKind, VisitStatus};
    use shared::{CitizenId, ConflictId, Minutes, UserId, VisitId};
    use uuid::Uuid;

    fn draft(note: &str, travel: u32) -> VisitDraft {
        VisitDraft::new(
            VisitId::from_uuid(Uuid::from_u128(1)),
            CitizenId::from_uuid(Uuid::from_u128(2)),
            VisitKind::HomeVisit,
            "2026-11-23T08:00:00Z".parse().expect("valid"),
            "2026-11-23T09:00:00Z".parse().expect("valid"),
            Minutes::new(travel),
            Note::try_from(note).expect("valid"),
            None,
        )
        .expect("valid")
    }

    #[test]
    fn both_versions_read_side_by_side_in_danish() {
        let visit = Visit::restore(draft("Står", 10), UserId::from_uuid(Uuid::from_u128(3)), VisitStatus::Submitted, 3);
        let name = PersonName::try_from("Mette Holm").expect("valid");
        let mut c = VisitConflict {
            id: ConflictId::from_uuid(Uuid::from_u128(9)),
            visit,
            citizen_name: name.clone(),
            worker_name: name.clone(),
            by_id: UserId::from_uuid(Uuid::from_u128(3)),
            by_name: name,
            device: "abcd1234".into(),
            created_at: "2026-11-23T10:00:00Z".parse().expect("valid"),
            fields: vec![ConflictField::Note, ConflictField::TravelMinutes],
            versions: ConflictVersions::Edit { standing: Box::new(draft("Stod", 10)), other: Box::new(draft("", 25)) },
        };
        let charges = Charges { grants: &[], pools: &[] };
        assert_eq!(
            rows(&c, &charges, Lang::Da),
            vec![
                ("Note", "Står".to_owned(), "(ingen note)".to_owned()),
                ("Transport", "10 min".to_owned(), "25 min".to_owned()),
            ]
        );
        c.fields = vec![ConflictField::Correction];
        c.versions = ConflictVersions::Correction {
            standing: None,
            other: Some(Correction::new(Minutes::new(45), Note::try_from("Gik før tid").expect("valid")).expect("ok")),
        };
        assert_eq!(
            rows(&c, &charges, Lang::Da),
            vec![("Rettelse", "Ingen rettelse".to_owned(), "45 min – Gik før tid".to_owned())]
        );
    }
}
