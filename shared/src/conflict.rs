//! Conflicts: two edits of one visit that changed the same field to
//! different values (issue 12, kind 15). The server keeps its value (the
//! *standing* version) and records the phone's (the *other* one) in
//! `visit_conflicts`; the lead of the worker's team sees each conflict and
//! settles it, and the worker's phone is told that an edit was not kept.
//!
//! Wire types of `GET /api/conflicts` and `POST /api/conflicts/{id}/settle`,
//! and the pure rules both sides use: which fields clashed, and a visit
//! with the other version's values of those fields put back on it.

use serde::{Deserialize, Serialize};

use crate::codes::wire_codes;
use crate::error::{Lang, Localized, ValidationError};
use crate::id::{ConflictId, UserId};
use crate::text::PersonName;
use crate::time::Timestamp;
use crate::visit::{Correction, Visit, VisitDraft};

/// The code of the rejection a phone is told of when an edit of its was
/// applied but a field of it was not kept (`RejectedMutation::code`).
pub const EDIT_NOT_KEPT: &str = "edit_not_kept";

/// A field of a visit that two edits both changed. The start and end are
/// one field, `times` (a merge never pairs one side's start with the
/// other's end); `correction` is the lead's (minutes and reason).
/// JSON and [`ConflictField::code`]: `"citizen_id"`, `"kind"`, `"times"`,
/// `"travel_minutes"`, `"note"`, `"charged_to"`, `"goals"`, `"correction"`; the
/// worker fields' codes are the names [`crate::sync::VisitMerge::clashes`]
/// holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictField {
    CitizenId,
    Kind,
    Times,
    TravelMinutes,
    Note,
    ChargedTo,
    /// The plan's goals the visit worked on (issue 15).
    Goals,
    /// The colleagues who took part in a joint visit (issue 16).
    CoWorkers,
    Correction,
}

wire_codes!(ConflictField {
    CitizenId => "citizen_id",
    Kind => "kind",
    Times => "times",
    TravelMinutes => "travel_minutes",
    Note => "note",
    ChargedTo => "charged_to",
    Goals => "goals",
    CoWorkers => "co_workers",
    Correction => "correction",
});

impl ConflictField {
    /// The field's name in a sentence ("noten", "the note").
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ConflictField::CitizenId, Lang::Da) => "borgeren",
            (ConflictField::CitizenId, Lang::En) => "the citizen",
            (ConflictField::Kind, Lang::Da) => "typen",
            (ConflictField::Kind, Lang::En) => "the kind",
            (ConflictField::Times, Lang::Da) => "tidspunktet",
            (ConflictField::Times, Lang::En) => "the time",
            (ConflictField::TravelMinutes, Lang::Da) => "transporttiden",
            (ConflictField::TravelMinutes, Lang::En) => "the travel time",
            (ConflictField::Note, Lang::Da) => "noten",
            (ConflictField::Note, Lang::En) => "the note",
            (ConflictField::ChargedTo, Lang::Da) => "hvad besøget betales af",
            (ConflictField::ChargedTo, Lang::En) => "what the visit is charged to",
            (ConflictField::Goals, Lang::Da) => "målene, besøget arbejdede på",
            (ConflictField::Goals, Lang::En) => "the goals the visit worked on",
            (ConflictField::CoWorkers, Lang::Da) => "kollegerne, der også deltog",
            (ConflictField::CoWorkers, Lang::En) => "the colleagues who took part too",
            (ConflictField::Correction, Lang::Da) => "rettelsen af minutterne",
            (ConflictField::Correction, Lang::En) => "the correction of the minutes",
        }
    }

    /// The Danish pronoun for [`ConflictField::label`], by its gender:
    /// "noten … den", "tidspunktet … det".
    fn pronoun_da(self) -> &'static str {
        match self {
            ConflictField::Times | ConflictField::ChargedTo => "det",
            ConflictField::Goals | ConflictField::CoWorkers => "de",
            ConflictField::CitizenId
            | ConflictField::Kind
            | ConflictField::TravelMinutes
            | ConflictField::Note
            | ConflictField::Correction => "den",
        }
    }

    /// The field's name as a heading ("Note", "Tidspunkt").
    pub fn heading(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ConflictField::CitizenId, Lang::Da) => "Borger",
            (ConflictField::CitizenId, Lang::En) => "Citizen",
            (ConflictField::Kind, Lang::Da) => "Type",
            (ConflictField::Kind, Lang::En) => "Kind",
            (ConflictField::Times, Lang::Da) => "Tidspunkt",
            (ConflictField::Times, Lang::En) => "Time",
            (ConflictField::TravelMinutes, Lang::Da) => "Transport",
            (ConflictField::TravelMinutes, Lang::En) => "Travel",
            (ConflictField::Note, Lang::Da) => "Note",
            (ConflictField::Note, Lang::En) => "Note",
            (ConflictField::ChargedTo, Lang::Da) => "Betales af",
            (ConflictField::ChargedTo, Lang::En) => "Charged to",
            (ConflictField::Goals, Lang::Da) => "Mål",
            (ConflictField::Goals, Lang::En) => "Goals",
            (ConflictField::Correction, Lang::Da) => "Rettelse",
            (ConflictField::Correction, Lang::En) => "Correction",
            (ConflictField::CoWorkers, Lang::Da) => "Kolleger, der også deltog",
            (ConflictField::CoWorkers, Lang::En) => "Colleagues who took part too",
        }
    }
}

/// The fields' [`ConflictField::label`]s as a list in `lang`: "noten",
/// "noten og tidspunktet", "a, b og c" ("a, b and c"); empty for none.
pub fn field_list(fields: &[ConflictField], lang: Lang) -> String {
    let names: Vec<&str> = fields.iter().map(|f| f.label(lang)).collect();
    let and = if lang == Lang::Da { " og " } else { " and " };
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{}{and}{last}", rest.join(", ")),
    }
}

/// What the worker's phone is told of an edit that was applied with a
/// clash: which fields were not kept, that the other version stands, and
/// that their lead can settle it (the text of an [`EDIT_NOT_KEPT`]).
pub fn not_kept_message(fields: &[ConflictField]) -> Localized {
    let many = fields.len() > 1;
    let pronoun = match fields {
        [one] => one.pronoun_da(),
        _ => "de",
    };
    Localized::new(
        format!(
            "Din ændring af {} blev ikke gemt: {pronoun} blev også ændret et andet sted, og den version står nu. \
             Din leder kan vælge din version, eller du kan rette og gemme igen.",
            field_list(fields, Lang::Da),
        ),
        format!(
            "Your change to {} was not kept: {} also changed elsewhere, and that version stands. \
             Your lead can choose yours, or you can fix it and save again.",
            field_list(fields, Lang::En),
            if many { "they were" } else { "it was" },
        ),
    )
}

/// The worker's fields that `mine` changed from `base` (the visit as the
/// phone showed it). Of an edit applied with a clash, these are the fields
/// not kept plus fields that were merged in (equal on the server now), so
/// putting them on the visit as it is now restores exactly the edit.
/// In the visit's field order; never `correction` (not a worker field).
pub fn changed_fields(base: &VisitDraft, mine: &VisitDraft) -> Vec<ConflictField> {
    let mut out = Vec::new();
    if base.citizen_id != mine.citizen_id {
        out.push(ConflictField::CitizenId);
    }
    if base.kind != mine.kind {
        out.push(ConflictField::Kind);
    }
    if (base.started_at(), base.ended_at()) != (mine.started_at(), mine.ended_at()) {
        out.push(ConflictField::Times);
    }
    if base.travel_minutes != mine.travel_minutes {
        out.push(ConflictField::TravelMinutes);
    }
    if base.note != mine.note {
        out.push(ConflictField::Note);
    }
    if base.charged_to != mine.charged_to {
        out.push(ConflictField::ChargedTo);
    }
    if base.goals() != mine.goals() {
        out.push(ConflictField::Goals);
    }
    if base.co_workers() != mine.co_workers() {
        out.push(ConflictField::CoWorkers);
    }
    out
}

/// `onto` (the visit's worker fields as they are now) with `from`'s values
/// of `fields`; the other fields as they are. `correction` is not a worker
/// field and is ignored here.
///
/// Errors: the visit rules of [`VisitDraft::new`] (e.g. `end_before_start`
/// when the other version's kind needs time the visit's times do not give).
pub fn apply_fields(
    onto: &VisitDraft,
    from: &VisitDraft,
    fields: &[ConflictField],
) -> Result<VisitDraft, ValidationError> {
    let take = |f: ConflictField| fields.contains(&f);
    let pick = |f: ConflictField| if take(f) { from } else { onto };
    VisitDraft::new(
        onto.id,
        pick(ConflictField::CitizenId).citizen_id,
        pick(ConflictField::Kind).kind,
        pick(ConflictField::Times).started_at(),
        pick(ConflictField::Times).ended_at(),
        pick(ConflictField::TravelMinutes).travel_minutes,
        pick(ConflictField::Note).note.clone(),
        pick(ConflictField::ChargedTo).charged_to,
    )?
    .with_goals(pick(ConflictField::Goals).goals().to_vec())?
    .with_co_workers(pick(ConflictField::CoWorkers).co_workers().to_vec())
}

/// The two versions of a conflict, as recorded when it arose. JSON:
/// `{"type": "edit", "standing": {...}, "other": {...}}` (two
/// [`VisitDraft`]s) or `{"type": "correction", "standing": null, "other":
/// {"minutes": 30, "reason": "Gik tidligt"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ConflictVersions {
    /// A worker's edit: the worker's fields of the visit as the server had
    /// them (standing) and as the phone sent them (other).
    Edit { standing: Box<VisitDraft>, other: Box<VisitDraft> },
    /// Two leads' corrections of the minutes (`None`: no correction).
    Correction { standing: Option<Correction>, other: Option<Correction> },
}

/// One open conflict, as the lead sees it: `GET /api/conflicts?team=`.
/// JSON: `{"id": ..., "visit": {...}, "citizen_name": ..., "worker_name":
/// ..., "by_id": ..., "by_name": ..., "device": "0190a1b2", "created_at":
/// ..., "fields": ["note"], "versions": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitConflict {
    pub id: ConflictId,
    /// The visit as it is now (what stands now may have moved on since).
    pub visit: Visit,
    /// The visit's citizen.
    pub citizen_name: PersonName,
    /// The visit's worker.
    pub worker_name: PersonName,
    /// Who made the edit that was not kept (the worker, or a lead for a
    /// correction), from which device (the first 8 characters of the
    /// phone's client id), and when the server met the clash.
    pub by_id: UserId,
    /// The name of `by_id`.
    pub by_name: PersonName,
    /// The first 8 characters of the phone's client id.
    pub device: String,
    /// When the server met the clash.
    pub created_at: Timestamp,
    /// The fields both edits changed, in the visit's field order.
    pub fields: Vec<ConflictField>,
    /// The standing and the other version, as recorded.
    pub versions: ConflictVersions,
}

/// `GET /api/conflicts?team=<id>`: the team members' visits' open
/// conflicts, oldest first. JSON: `{"conflicts": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListConflictsResponse {
    pub conflicts: Vec<VisitConflict>,
}

/// Which version a lead keeps. JSON and [`Keep::code`]: `"standing"` or
/// `"other"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// What stands stays; the conflict closes.
    Standing,
    /// The version not kept goes onto the visit (its values of the clashed
    /// fields, on the visit as it is now).
    Other,
}

wire_codes!(Keep {
    Standing => "standing",
    Other => "other",
});

/// `POST /api/conflicts/{id}/settle`. JSON: `{"keep": "other"}`; any other
/// `keep` does not parse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettleConflictRequest {
    pub keep: Keep,
}

/// The answer to a settle: the visit as it is afterwards (`None`: it was
/// deleted since, and the conflict was closed as it stands). JSON:
/// `{"id": ..., "kept": "standing", "settled_at": ..., "visit": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettleConflictResponse {
    /// The conflict settled.
    pub id: ConflictId,
    /// The version kept.
    pub kept: Keep,
    /// When it was settled.
    pub settled_at: Timestamp,
    pub visit: Option<Visit>,
}

#[cfg(test)]
mod tests {
    use expect_test::expect;
    use uuid::Uuid;

    use super::*;
    use crate::minutes::Minutes;
    use crate::text::Note;
    use crate::visit::{VisitKind, VisitStatus};

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("valid")
    }

    use crate::visit::test_draft as draft;

    const S: &str = "2026-11-23T09:00:00Z";
    const E: &str = "2026-11-23T10:00:00Z";
    const E2: &str = "2026-11-23T10:30:00Z";

    #[test]
    fn codes_are_serdes() {
        for f in ConflictField::ALL {
            assert_eq!(serde_json::to_value(f).expect("json"), f.code());
        }
        for k in Keep::ALL {
            assert_eq!(serde_json::to_value(k).expect("json"), k.code());
        }
    }

    #[test]
    fn apply_fields_table() {
        use VisitKind::*;
        let now = draft(HomeVisit, S, E, 20, "now");
        let other = draft(Escort, S, E2, 5, "mine");
        // (fields taken from the other version, expected)
        let cases = [
            (vec![], now.clone()),
            (vec![ConflictField::Note], draft(HomeVisit, S, E, 20, "mine")),
            (vec![ConflictField::Times, ConflictField::Kind], draft(Escort, S, E2, 20, "now")),
            (vec![ConflictField::TravelMinutes, ConflictField::Correction], draft(HomeVisit, S, E, 5, "now")),
        ];
        for (i, (fields, expected)) in cases.into_iter().enumerate() {
            assert_eq!(apply_fields(&now, &other, &fields).expect("valid"), expected, "case {i}");
        }
        // A combination that breaks a rule is refused, naming the field.
        let zero = draft(NoShow, S, S, 0, "");
        let err = apply_fields(&now, &zero, &[ConflictField::Times]).expect_err("a home visit of no time");
        assert_eq!((err.field.as_ref(), err.code()), ("ended_at", "end_before_start"));
    }

    #[test]
    fn changed_fields_are_what_the_edit_changed() {
        use VisitKind::*;
        let base = draft(HomeVisit, S, E, 20, "base");
        assert_eq!(changed_fields(&base, &base), vec![]);
        assert_eq!(changed_fields(&base, &draft(HomeVisit, S, E, 20, "mine")), vec![ConflictField::Note]);
        assert_eq!(
            changed_fields(&base, &draft(Escort, S, E2, 20, "base")),
            vec![ConflictField::Kind, ConflictField::Times]
        );
    }

    #[test]
    fn the_message_names_the_fields_in_both_languages() {
        let one = not_kept_message(&[ConflictField::Note]);
        assert_eq!(
            one.da,
            "Din ændring af noten blev ikke gemt: den blev også ændret et andet sted, og den version står nu. \
             Din leder kan vælge din version, eller du kan rette og gemme igen."
        );
        // The pronoun follows the field's gender.
        let time = not_kept_message(&[ConflictField::Times]);
        assert!(time.da.starts_with("Din ændring af tidspunktet blev ikke gemt: det blev også"), "{}", time.da);
        let charge = not_kept_message(&[ConflictField::ChargedTo]);
        assert!(charge.da.contains("betales af blev ikke gemt: det blev også"), "{}", charge.da);
        for field in
            [ConflictField::CitizenId, ConflictField::Kind, ConflictField::TravelMinutes, ConflictField::Correction]
        {
            assert!(not_kept_message(&[field]).da.contains("ikke gemt: den blev også"), "{field:?}");
        }
        assert!(one.en.starts_with("Your change to the note was not kept: it was also changed elsewhere"));
        let three = not_kept_message(&[ConflictField::Kind, ConflictField::Times, ConflictField::Note]);
        assert!(three.da.starts_with("Din ændring af typen, tidspunktet og noten blev ikke gemt: de blev"));
        assert!(three.en.starts_with("Your change to the kind, the time and the note was not kept: they were"));
    }

    #[test]
    fn list_and_settle_golden() {
        let mut visit = Visit::restore(
            draft(VisitKind::HomeVisit, S, E, 10, "Stående note"),
            UserId::from_uuid(Uuid::from_u128(3)),
            VisitStatus::Submitted,
            4,
        );
        visit.correction = None;
        let list = ListConflictsResponse {
            conflicts: vec![VisitConflict {
                id: ConflictId::from_uuid(Uuid::from_u128(9)),
                visit: visit.clone(),
                citizen_name: PersonName::try_from("Mette Holm").expect("valid"),
                worker_name: PersonName::try_from("Anne Worker").expect("valid"),
                by_id: UserId::from_uuid(Uuid::from_u128(3)),
                by_name: PersonName::try_from("Anne Worker").expect("valid"),
                device: "0190a1b2".into(),
                created_at: ts("2026-11-23T10:05:00Z"),
                fields: vec![ConflictField::Note],
                versions: ConflictVersions::Correction {
                    standing: None,
                    other: Some(
                        Correction::new(Minutes::new(30), Note::try_from("Gik tidligt").expect("valid"))
                            .expect("valid"),
                    ),
                },
            }],
        };
        let json = serde_json::to_string_pretty(&list).expect("json");
        expect![[r#"
            {
              "conflicts": [
                {
                  "id": "00000000-0000-0000-0000-000000000009",
                  "visit": {
                    "id": "00000000-0000-0000-0000-000000000001",
                    "citizen_id": "00000000-0000-0000-0000-000000000002",
                    "worker_id": "00000000-0000-0000-0000-000000000003",
                    "kind": "home_visit",
                    "started_at": "2026-11-23T09:00:00.000Z",
                    "ended_at": "2026-11-23T10:00:00.000Z",
                    "travel_minutes": 10,
                    "note": "Stående note",
                    "charged_to": null,
                    "status": "submitted",
                    "row_version": 4,
                    "correction": null,
                    "corrected_by": null
                  },
                  "citizen_name": "Mette Holm",
                  "worker_name": "Anne Worker",
                  "by_id": "00000000-0000-0000-0000-000000000003",
                  "by_name": "Anne Worker",
                  "device": "0190a1b2",
                  "created_at": "2026-11-23T10:05:00.000Z",
                  "fields": [
                    "note"
                  ],
                  "versions": {
                    "type": "correction",
                    "standing": null,
                    "other": {
                      "minutes": 30,
                      "reason": "Gik tidligt"
                    }
                  }
                }
              ]
            }"#]]
        .assert_eq(&json);
        assert_eq!(serde_json::from_str::<ListConflictsResponse>(&json).expect("parse"), list);

        let edit = ConflictVersions::Edit {
            standing: Box::new(draft(VisitKind::HomeVisit, S, E, 10, "A")),
            other: Box::new(draft(VisitKind::HomeVisit, S, E, 10, "B")),
        };
        let json = serde_json::to_value(&edit).expect("json");
        assert_eq!((json["type"].as_str(), json["other"]["note"].as_str()), (Some("edit"), Some("B")));
        assert_eq!(serde_json::from_value::<ConflictVersions>(json).expect("parse"), edit);

        let request = SettleConflictRequest { keep: Keep::Other };
        expect![[r#"{"keep":"other"}"#]].assert_eq(&serde_json::to_string(&request).expect("json"));
        assert!(serde_json::from_str::<SettleConflictRequest>(r#"{"keep":"mine"}"#).is_err());
        let response = SettleConflictResponse {
            id: ConflictId::from_uuid(Uuid::from_u128(9)),
            kept: Keep::Standing,
            settled_at: ts("2026-11-24T08:00:00Z"),
            visit: Some(visit),
        };
        let json = serde_json::to_value(&response).expect("json");
        assert_eq!(json["kept"], "standing");
        assert_eq!(json["settled_at"], "2026-11-24T08:00:00.000Z");
        assert_eq!(serde_json::from_value::<SettleConflictResponse>(json).expect("parse"), response);
    }
}
