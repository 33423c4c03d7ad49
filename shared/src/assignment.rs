//! Who works with which citizen, and when. An assignment is what lets a
//! worker or mentor see a citizen and log for them (and so the sync scope).

use serde::{Deserialize, Serialize};

use crate::error::{Problem, ValidationError};
use crate::id::{AssignmentId, CitizenId, UserId};
use crate::text::Note;
use crate::time::{Date, DateRange};

/// A user's assignment to a citizen for a span of days (Copenhagen dates,
/// both ends included; no end while it runs). JSON:
/// `{"id": ..., "citizen_id": ..., "user_id": ..., "period": {"from": "2026-01-01", "to": null}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub id: AssignmentId,
    pub citizen_id: CitizenId,
    pub user_id: UserId,
    pub period: DateRange,
    /// The handover that made it, if one did (absent from the JSON if not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handover: Option<Handover>,
    /// The assigned staff member's name (issue 15: the plan names who does
    /// an action and who coordinates; absent from older rows). A renamed
    /// user's rows carry the new name from their next change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
}

/// The handover that made an assignment (issue 14, seed 000:
/// "overdragelse af borgere"): from whom, and the note the new worker reads
/// on the citizen's page. JSON: `{"from": uuid, "from_name": "Anne Berg",
/// "note": "…"}`; absent on an assignment made otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    pub from: UserId,
    pub from_name: String,
    pub note: Note,
}

/// `POST /api/handovers`: moves citizens of worker `from` to others from
/// `on` (today or later; both are assigned on `on`, so nothing the worker
/// logs that day is refused): each line's citizen goes to its `user_id`,
/// with `note` for them all. JSON: `{"from", "on": "2026-12-01", "note",
/// "to": [{"citizen_id", "user_id"}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverInput {
    pub from: UserId,
    pub on: Date,
    pub note: Note,
    pub to: Vec<HandoverLine>,
}

/// One citizen of a handover and who takes them over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverLine {
    pub citizen_id: CitizenId,
    pub user_id: UserId,
}

impl HandoverInput {
    /// How far ahead a handover may be planned, in days.
    pub const MAX_DAYS_AHEAD: i64 = 366;

    /// The checks that need no database, every problem at once.
    ///
    /// Errors: `to` `Problem::Required` with no line; `on`
    /// `Problem::InPast` before `today`, `Problem::TooFarAhead` (naming the
    /// last day allowed) more than [`Self::MAX_DAYS_AHEAD`] days ahead; `to[i].user_id` `Problem::SamePerson` for the worker
    /// handing over; `to[i].citizen_id` `Problem::Taken` for a citizen
    /// listed twice.
    pub fn check(&self, today: Date) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        if self.on < today {
            errors.push(ValidationError::new("on", Problem::InPast));
        } else if self.on.to_days() - today.to_days() > Self::MAX_DAYS_AHEAD {
            let last = today.add_days(Self::MAX_DAYS_AHEAD);
            let problem = Problem::TooFarAhead { year: last.year(), month: last.month(), day: last.day() };
            errors.push(ValidationError::new("on", problem));
        }
        if self.to.is_empty() {
            errors.push(ValidationError::new("to", Problem::Required));
        }
        for (i, line) in self.to.iter().enumerate() {
            if line.user_id == self.from {
                errors.push(ValidationError::new(format!("to[{i}].user_id"), Problem::SamePerson));
            }
            if self.to[..i].iter().any(|earlier| earlier.citizen_id == line.citizen_id) {
                errors.push(ValidationError::new(format!("to[{i}].citizen_id"), Problem::Taken));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// `GET /api/handovers/{user}`: what a handover of `user`'s citizens may
/// choose from: the citizens assigned to them today or later and the active
/// colleagues who may take them over (the lead's team mates; for an
/// administrator, every active worker and mentor). JSON: `{"worker":
/// {"id", "name"}, "citizens": [{"id", "name"}], "candidates": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverOptions {
    pub worker: Named<UserId>,
    /// The worker's citizens with something left to hand over (assigned
    /// after today and not handed over already), by name.
    pub citizens: Vec<Named<CitizenId>>,
    pub candidates: Vec<Named<UserId>>,
    /// The worker's citizens handed over already, taking effect today or
    /// later: to whom and from which day (the form lists them apart, so a
    /// second handover is not tried).
    #[serde(default)]
    pub handed_over: Vec<HandedOver>,
}

/// A citizen handed over from a worker: `{"citizen": {"id", "name"},
/// "to": {"id", "name"}, "on": "2026-12-02"}` (`on`: the new worker's
/// first day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandedOver {
    pub citizen: Named<CitizenId>,
    pub to: Named<UserId>,
    pub on: Date,
}

/// An id with its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named<T> {
    pub id: T,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn a_handover_is_checked_at_its_fields_every_problem_at_once() {
        let anne = UserId::from_uuid(Uuid::from_u128(1));
        let bo = UserId::from_uuid(Uuid::from_u128(2));
        let c = |n| CitizenId::from_uuid(Uuid::from_u128(n));
        let ok = HandoverInput {
            from: anne,
            on: d("2026-12-01"),
            note: Note::try_from("Husk nøglen hos naboen").expect("note"),
            to: vec![HandoverLine { citizen_id: c(10), user_id: bo }],
        };
        assert!(ok.check(d("2026-12-01")).is_ok(), "from today");
        let bad = HandoverInput {
            on: d("2026-11-30"),
            to: vec![
                HandoverLine { citizen_id: c(10), user_id: bo },
                HandoverLine { citizen_id: c(11), user_id: anne },
                HandoverLine { citizen_id: c(10), user_id: bo },
            ],
            ..ok.clone()
        };
        let found: Vec<(String, &str)> = bad
            .check(d("2026-12-01"))
            .expect_err("refused")
            .iter()
            .map(|e| (e.field.to_string(), e.problem.code()))
            .collect();
        assert_eq!(
            found,
            [
                ("on".to_owned(), "in_past"),
                ("to[1].user_id".to_owned(), "same_person"),
                ("to[2].citizen_id".to_owned(), "taken"),
            ]
        );
        // A year ahead is the last day; the day after names that day
        // (issue 14's walk: "skal være mellem 0 og 366").
        let last = HandoverInput { on: d("2027-12-02"), ..ok.clone() };
        assert!(last.check(d("2026-12-01")).is_ok(), "366 days ahead");
        let far = HandoverInput { on: d("2027-12-03"), to: vec![], ..ok };
        let errors = far.check(d("2026-12-01")).expect_err("refused");
        let found: Vec<(String, &str)> = errors.iter().map(|e| (e.field.to_string(), e.problem.code())).collect();
        assert_eq!(found, [("on".to_owned(), "too_far_ahead"), ("to".to_owned(), "required")]);
        assert_eq!(errors[0].message().da, "Dato: kan højst ligge et år frem: senest 02.12.2027");
        assert_eq!(errors[0].message().en, "Date: can be at most a year ahead: 02/12/2027 at the latest");
    }
}
