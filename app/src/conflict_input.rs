//! The phone's side of conflicts and corrections as plain data (issue 12,
//! kind 15), tested natively:
//!
//! - fixing an edit that was not kept (`edit_not_kept`): the form opens
//!   with the visit **as it is now** and the worker's values of the fields
//!   the edit changed put back on top, based on the visit as shown — so
//!   saving it again wins, unless someone changes those fields again;
//! - the lead's correction form: minutes and a reason, read with
//!   `shared::visit::Correction`'s rules, every refusal naming its field.

use shared::conflict::{EDIT_NOT_KEPT, apply_fields};
use shared::sync::{MutationBody, VisitBase};
use shared::text::Note;
use shared::visit::{Correction, VisitDraft};
use shared::{Minutes, Problem, ValidationError};

use crate::overlay::{RejectedItem, View, not_kept_fields};

/// What the visit form opens with to fix a rejected save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixStart {
    pub draft: VisitDraft,
    /// The visit as the phone shows it now (`None`: the phone no longer
    /// shows it — deleted elsewhere, or never created — so it is saved as
    /// a new visit; an edit never brings a deleted visit back).
    pub base: Option<VisitBase>,
}

/// The form's start for fixing `item`, a rejected visit save; `None` for
/// anything else. A rejection proper refills the form with the payload; an
/// edit not kept starts from the visit as it is now with the fields the
/// worker's edit changed (from its own base; from `field` for a payload
/// without one) taken from the payload.
pub fn fix_start(item: &RejectedItem, view: &View) -> Option<FixStart> {
    let Some(MutationBody::VisitSave { visit: mine, .. }) = item.body() else { return None };
    let shown = view.visits.iter().find(|v| v.visit.id == mine.id);
    let draft = match shown {
        Some(now) if item.rejection.code == EDIT_NOT_KEPT => {
            let fields = not_kept_fields(item);
            // A combination the rules refuse (the visit changed kind since)
            // falls back to the worker's whole version, to be fixed by hand.
            apply_fields(&now.visit.draft(), mine, &fields).unwrap_or_else(|_| mine.clone())
        }
        _ => mine.clone(),
    };
    Some(FixStart { draft, base: shown.map(|v| v.base()) })
}

/// The correction form as typed: whole minutes, and a reason.
///
/// Errors: `minutes` `required` / `invalid_format` (not whole minutes) /
/// `out_of_range` (over 16 hours), `reason` `required` or too long — all
/// at once.
pub fn read_correction(minutes: &str, reason: &str) -> Result<Correction, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let minutes = match minutes.trim() {
        "" => {
            errors.push(ValidationError::new("minutes", Problem::Required));
            None
        }
        text => match text.parse::<u32>() {
            Ok(m) => Some(Minutes::new(m)),
            Err(_) => {
                errors.push(ValidationError::new("minutes", Problem::InvalidFormat));
                None
            }
        },
    };
    let reason = match Note::try_from(reason) {
        Ok(r) if !r.as_str().trim().is_empty() => Some(r),
        Ok(_) => {
            errors.push(ValidationError::new("reason", Problem::Required));
            None
        }
        Err(e) => {
            errors.push(e.at("reason"));
            None
        }
    };
    match (minutes, reason) {
        (Some(m), Some(r)) if errors.is_empty() => Correction::new(m, r).map_err(|e| vec![e]),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::sync::{Mutation, RejectedMutation};
    use shared::visit::{Visit, VisitKind, VisitStatus};
    use shared::{CitizenId, Localized, Timestamp, UserId, VisitId};
    use uuid::Uuid;

    use crate::overlay::{RecordState, VisitView};

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("valid")
    }

    fn draft(kind: VisitKind, end: &str, travel: u32, note: &str) -> VisitDraft {
        VisitDraft::new(
            VisitId::from_uuid(Uuid::from_u128(1)),
            CitizenId::from_uuid(Uuid::from_u128(2)),
            kind,
            ts("2026-11-23T08:00:00Z"),
            ts(end),
            Minutes::new(travel),
            Note::try_from(note).expect("valid"),
            None,
        )
        .expect("valid")
    }

    const E: &str = "2026-11-23T09:00:00Z";

    fn view_with(now: Option<VisitDraft>, version: u64) -> View {
        let visits = now
            .map(|d| {
                let visit = Visit::restore(d, UserId::from_uuid(Uuid::from_u128(3)), VisitStatus::Submitted, version);
                VisitView { visit, state: RecordState::Synced }
            })
            .into_iter()
            .collect();
        View { visits, ..View::default() }
    }

    fn item(code: &str, mine: VisitDraft, base: Option<VisitDraft>, field: Option<&str>) -> RejectedItem {
        let body = MutationBody::VisitSave {
            visit: mine,
            base: base.map(|fields| VisitBase { row_version: 1, fields, correction: None }),
        };
        RejectedItem {
            rejection: RejectedMutation {
                id: 4,
                mutation: None,
                code: code.to_owned(),
                message: Localized::new("", ""),
                field: field.map(str::to_owned),
            },
            mine: Some(Mutation { id: 4, created_at: ts(E), body }),
        }
    }

    #[test]
    fn fix_start_table() {
        use VisitKind::*;
        let base = draft(HomeVisit, E, 10, "base");
        // The worker changed the note; elsewhere the note and the travel
        // changed since, and the visit now stands at version 3.
        let now = draft(HomeVisit, E, 25, "theirs");
        let mine = draft(HomeVisit, E, 10, "mine");
        // (case, rejected item, the phone's view, the form's draft and base version)
        type Expected = Option<(VisitDraft, Option<u64>)>;
        let cases: Vec<(&str, RejectedItem, View, Expected)> = vec![
            (
                "not kept: the visit as it is now, with the worker's note on top",
                item(EDIT_NOT_KEPT, mine.clone(), Some(base.clone()), Some("note")),
                view_with(Some(now.clone()), 3),
                Some((draft(HomeVisit, E, 25, "mine"), Some(3))),
            ),
            (
                "not kept, a payload without a base: the field named",
                item(EDIT_NOT_KEPT, draft(Escort, "2026-11-23T10:00:00Z", 10, "mine"), None, Some("note")),
                view_with(Some(now.clone()), 3),
                Some((draft(HomeVisit, E, 25, "mine"), Some(3))),
            ),
            (
                "not kept, several fields changed: all of them",
                item(EDIT_NOT_KEPT, draft(Escort, "2026-11-23T10:00:00Z", 10, "mine"), Some(base.clone()), None),
                view_with(Some(now.clone()), 3),
                Some((draft(Escort, "2026-11-23T10:00:00Z", 25, "mine"), Some(3))),
            ),
            (
                "not kept, but the visit is gone: the worker's version as new",
                item(EDIT_NOT_KEPT, mine.clone(), Some(base.clone()), Some("note")),
                view_with(None, 0),
                Some((mine.clone(), None)),
            ),
            (
                "a rejection proper: the payload as sent, on the visit as shown",
                item("not_assigned", mine.clone(), Some(base.clone()), Some("citizen_id")),
                view_with(Some(now.clone()), 3),
                Some((mine.clone(), Some(3))),
            ),
            (
                "a combination the rules refuse: the worker's whole version",
                // The worker shortened a no-show to nothing; elsewhere it
                // became a home visit, which must last some time.
                item(
                    EDIT_NOT_KEPT,
                    draft(NoShow, "2026-11-23T08:00:00Z", 10, "base"),
                    Some(draft(NoShow, "2026-11-23T08:30:00Z", 10, "base")),
                    None,
                ),
                view_with(Some(now.clone()), 3),
                Some((draft(NoShow, "2026-11-23T08:00:00Z", 10, "base"), Some(3))),
            ),
        ];
        for (name, item, view, expected) in cases {
            let got = fix_start(&item, &view).map(|s| (s.draft, s.base.map(|b| b.row_version)));
            assert_eq!(got, expected, "{name}");
        }
        // Not a visit save: nothing to fix in the form.
        let mut delete = item(EDIT_NOT_KEPT, mine, None, None);
        delete.mine = Some(Mutation {
            id: 4,
            created_at: ts(E),
            body: MutationBody::VisitCorrect {
                visit_id: VisitId::from_uuid(Uuid::from_u128(1)),
                base_version: 1,
                base: None,
                correction: None,
            },
        });
        assert_eq!(fix_start(&delete, &view_with(Some(now), 3)), None);
    }

    #[test]
    fn correction_table() {
        let ok = |m: u32, r: &str| Ok(Correction::new(Minutes::new(m), Note::try_from(r).expect("valid")).expect("ok"));
        let err = |pairs: &[(&str, &str)]| -> Result<Correction, Vec<(String, String)>> {
            Err(pairs.iter().map(|(f, c)| ((*f).to_owned(), (*c).to_owned())).collect())
        };
        let cases = [
            ("45", "Borgeren gik efter 45 minutter", ok(45, "Borgeren gik efter 45 minutter")),
            (" 0 ", "Aflyst ved døren", ok(0, "Aflyst ved døren")),
            ("", "Grund", err(&[("minutes", "required")])),
            ("45", "   ", err(&[("reason", "required")])),
            ("1,5", "", err(&[("minutes", "invalid_format"), ("reason", "required")])),
            ("-5", "Grund", err(&[("minutes", "invalid_format")])),
            ("961", "Grund", err(&[("minutes", "out_of_range")])),
        ];
        for (minutes, reason, expected) in cases {
            let got = read_correction(minutes, reason)
                .map_err(|es| es.iter().map(|e| (e.field.to_string(), e.code().to_owned())).collect::<Vec<_>>());
            match (&got, &expected) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{minutes:?} {reason:?}"),
                (Err(a), Err(b)) => assert_eq!(a, b, "{minutes:?} {reason:?}"),
                _ => panic!("{minutes:?} {reason:?}: got {got:?}, expected {expected:?}"),
            }
        }
        // Every refusal names its field in both languages.
        let errors = read_correction("", "").expect_err("both missing");
        for e in errors {
            let m = e.message();
            assert!(!m.da.is_empty() && !m.en.is_empty() && m.da != m.en, "{m:?}");
        }
    }
}
