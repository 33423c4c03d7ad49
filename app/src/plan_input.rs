//! Reading the plan's forms (issue 15): what was typed becomes a draft by
//! `shared::plan`'s rules, every problem at once, each at its field (the
//! field names the server uses too). Pure, so it is table-tested natively.

use shared::plan::{
    ActionDraft, ActionStatus, CitizenScore, Conclusion, Consent, FollowUpDraft, Functioning, GoalDraft, GoalStatus,
    Owner, PlanDraft,
};
use shared::text::{ActionText, ContactText, GoalWording, Note, ProfessionalWording, Wishes};
use shared::{ActionId, CitizenId, Date, FollowUpId, GoalId, Problem, UserId, ValidationError};

/// Collects refusals while a form is read.
#[derive(Default)]
struct Reader {
    errors: Vec<ValidationError>,
}

impl Reader {
    fn take<T>(&mut self, r: Result<T, ValidationError>) -> Option<T> {
        r.map_err(|e| self.errors.push(e)).ok()
    }

    /// A typed date (`YYYY-MM-DD` from a date input, or Danish `d.m.yyyy`:
    /// [`Date::parse_typed`]); empty is `None` unless `required`.
    fn date(&mut self, field: &'static str, text: &str, required: bool) -> Option<Option<Date>> {
        match text.trim() {
            "" if required => {
                self.errors.push(ValidationError::new(field, Problem::Required));
                None
            }
            "" => Some(None),
            t => self.take(Date::parse_typed(t).map(Some).map_err(|problem| ValidationError::new(field, problem))),
        }
    }

    /// The consent as chosen: `state` `"not_asked"`, `"given"` or
    /// `"refused"` and the day typed (required for the latter two).
    fn consent(&mut self, state: &str, on: &str) -> Option<Consent> {
        match state {
            "given" | "refused" => self
                .date("consent", on, true)
                .flatten()
                .map(|on| if state == "given" { Consent::Given { on } } else { Consent::Refused { on } }),
            _ => Some(Consent::NotAsked),
        }
    }

    fn done<T>(self, value: Option<T>) -> Result<T, Vec<ValidationError>> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }
}

/// The plan's own fields as typed; `today` (Copenhagen) for the consent's
/// day.
pub fn read_plan(
    citizen: CitizenId,
    consent: (&str, &str),
    coordinator: Option<UserId>,
    contact: &str,
    wishes: &str,
    today: Date,
) -> Result<PlanDraft, Vec<ValidationError>> {
    let mut r = Reader::default();
    let consent = r.consent(consent.0, consent.1);
    let contact = r.take(ContactText::try_from(contact));
    let wishes = r.take(Wishes::try_from(wishes));
    let draft = match (consent, contact, wishes) {
        (Some(consent), Some(coordinator_contact), Some(wishes)) => {
            let draft =
                PlanDraft { citizen_id: citizen, consent, coordinator_id: coordinator, coordinator_contact, wishes };
            r.take(draft.check(today).map(|()| draft.clone()))
        }
        _ => None,
    };
    r.done(draft)
}

/// A goal as typed. `status` is a [`GoalStatus`] code.
pub struct GoalTyped<'a> {
    pub citizen_wording: &'a str,
    pub professional_wording: &'a str,
    pub target_date: &'a str,
    pub status: &'a str,
}

pub fn read_goal(
    id: GoalId,
    citizen: CitizenId,
    typed: &GoalTyped<'_>,
    areas: Vec<shared::AreaId>,
    efforts: Vec<shared::plan::Effort>,
    position: u32,
) -> Result<GoalDraft, Vec<ValidationError>> {
    let mut r = Reader::default();
    let citizen_wording = r.take(GoalWording::try_from(typed.citizen_wording));
    let professional_wording = r.take(ProfessionalWording::try_from(typed.professional_wording));
    let target_date = r.date("target_date", typed.target_date, false);
    let status = GoalStatus::from_code(typed.status);
    if status.is_none() {
        r.errors.push(ValidationError::new("status", Problem::UnknownValue));
    }
    let draft = match (citizen_wording, professional_wording, target_date, status) {
        (Some(citizen_wording), Some(professional_wording), Some(target_date), Some(status)) => {
            let draft = GoalDraft {
                id,
                citizen_id: citizen,
                citizen_wording,
                professional_wording,
                areas,
                efforts,
                target_date,
                status,
                position,
            };
            r.take(draft.check().map(|()| draft.clone()))
        }
        _ => None,
    };
    r.done(draft)
}

/// A follow-up as typed; `plan_begun` and `today` for its day.
pub struct FollowUpTyped<'a> {
    pub on: &'a str,
    pub citizen_score: &'a str,
    pub functioning: &'a str,
    pub note: &'a str,
    pub conclusion: &'a str,
}

pub fn read_follow_up(
    id: FollowUpId,
    goal: GoalId,
    citizen: CitizenId,
    typed: &FollowUpTyped<'_>,
    plan_begun: Date,
    today: Date,
) -> Result<FollowUpDraft, Vec<ValidationError>> {
    let mut r = Reader::default();
    let on = r.date("on", typed.on, true).flatten();
    let citizen_score = r.take(CitizenScore::read_typed(typed.citizen_score));
    let functioning = r.take(Functioning::read_typed(typed.functioning));
    let note = r.take(Note::try_from(typed.note));
    let conclusion = Conclusion::from_code(typed.conclusion);
    if conclusion.is_none() {
        r.errors.push(ValidationError::new("conclusion", Problem::Required));
    }
    let draft = match (on, citizen_score, functioning, note, conclusion) {
        (Some(on), Some(citizen_score), Some(functioning), Some(note), Some(conclusion)) => {
            let draft = FollowUpDraft {
                id,
                goal_id: goal,
                citizen_id: citizen,
                on,
                citizen_score,
                functioning,
                note,
                conclusion,
            };
            r.take(draft.check(plan_begun, today).map(|()| draft.clone()))
        }
        _ => None,
    };
    r.done(draft)
}

/// An action as typed; `owner` already chosen from the form's list.
pub fn read_action(
    id: ActionId,
    goal: GoalId,
    citizen: CitizenId,
    what: &str,
    owner: Option<Owner>,
    due: &str,
    status: ActionStatus,
) -> Result<ActionDraft, Vec<ValidationError>> {
    let mut r = Reader::default();
    let what = r.take(ActionText::try_from(what));
    if owner.is_none() {
        r.errors.push(ValidationError::new("owner", Problem::Required));
    }
    let due = r.date("due", due, false);
    let draft = match (what, owner, due) {
        (Some(what), Some(owner), Some(due)) => {
            Some(ActionDraft { id, goal_id: goal, citizen_id: citizen, what, owner, due, status })
        }
        _ => None,
    };
    r.done(draft)
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    fn date(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn fields(e: Vec<ValidationError>) -> Vec<(String, &'static str)> {
        e.iter().map(|e| (e.field.to_string(), e.code())).collect()
    }

    const CITIZEN: CitizenId = CitizenId::from_uuid(Uuid::from_u128(2));

    #[test]
    fn a_follow_up_reads_every_problem_at_once() {
        let typed = |on, score, functioning, conclusion| FollowUpTyped {
            on,
            citizen_score: score,
            functioning,
            note: "",
            conclusion,
        };
        let read = |t: FollowUpTyped<'_>| {
            read_follow_up(
                FollowUpId::from_uuid(Uuid::from_u128(9)),
                GoalId::from_uuid(Uuid::from_u128(1)),
                CITIZEN,
                &t,
                date("2026-09-01"),
                date("2026-11-23"),
            )
        };
        let ok = read(typed("2026-11-20", "6", "", "continue")).expect("valid");
        assert_eq!((u8::from(ok.citizen_score.expect("score")), ok.functioning), (6, None));
        assert_eq!(read(typed("20.11.2026", "", "2", "end")).expect("Danish date").on, date("2026-11-20"));
        let cases = [
            (
                typed("", "11", "5", ""),
                vec![
                    ("on".to_owned(), "required"),
                    ("citizen_score".to_owned(), "out_of_range"),
                    ("functioning".to_owned(), "out_of_range"),
                    ("conclusion".to_owned(), "required"),
                ],
            ),
            (typed("2026-08-31", "", "", "change"), vec![("on".to_owned(), "before_plan")]),
            (typed("2026-11-24", "", "", "change"), vec![("on".to_owned(), "in_future")]),
            (
                typed("i går", "seks", "", "change"),
                vec![("on".to_owned(), "invalid_format"), ("citizen_score".to_owned(), "out_of_range")],
            ),
        ];
        for (t, expected) in cases {
            assert_eq!(fields(read(t).expect_err("refused")), expected);
        }
    }

    #[test]
    fn a_goal_needs_the_citizens_words() {
        let typed =
            GoalTyped { citizen_wording: " ", professional_wording: "", target_date: "30.02.2027", status: "active" };
        let e = read_goal(GoalId::from_uuid(Uuid::from_u128(1)), CITIZEN, &typed, vec![], vec![], 1)
            .expect_err("no words, no such day");
        assert_eq!(
            fields(e),
            [("citizen_wording".to_owned(), "required"), ("target_date".to_owned(), "invalid_format")]
        );
        let typed = GoalTyped {
            citizen_wording: "Jeg vil have et job",
            professional_wording: "",
            target_date: "",
            status: "active",
        };
        let g = read_goal(GoalId::from_uuid(Uuid::from_u128(1)), CITIZEN, &typed, vec![], vec![], 2).expect("valid");
        assert_eq!((g.citizen_wording.as_str(), g.position, g.target_date), ("Jeg vil have et job", 2, None));
    }

    #[test]
    fn consent_given_needs_its_day_and_not_a_later_one() {
        let read = |state, on| read_plan(CITIZEN, (state, on), None, "", "At bo selv", date("2026-11-23"));
        assert_eq!(read("not_asked", "").expect("valid").consent, Consent::NotAsked);
        assert_eq!(read("given", "2026-11-20").expect("valid").consent, Consent::Given { on: date("2026-11-20") });
        assert_eq!(fields(read("given", "").expect_err("no day")), [("consent".to_owned(), "required")]);
        assert_eq!(fields(read("refused", "2026-12-01").expect_err("ahead")), [("consent".to_owned(), "in_future")]);
    }

    #[test]
    fn an_action_needs_what_and_who() {
        let read = |what, owner| {
            read_action(
                ActionId::from_uuid(Uuid::from_u128(6)),
                GoalId::from_uuid(Uuid::from_u128(1)),
                CITIZEN,
                what,
                owner,
                "",
                ActionStatus::Open,
            )
        };
        assert_eq!(
            fields(read("", None).expect_err("nothing")),
            [("what".to_owned(), "required"), ("owner".to_owned(), "required")]
        );
        assert_eq!(read("Ringe til jobcentret", Some(Owner::Citizen)).expect("valid").owner, Owner::Citizen);
    }
}
