//! Reading the plan's forms (issue 15): what was typed becomes a draft by
//! `shared::plan`'s rules, every problem at once, each at its field (the
//! field names the server uses too). Pure, so it is table-tested natively.

use shared::plan::{
    Action, ActionDraft, ActionStatus, CitizenScore, Conclusion, Consent, FollowUpDraft, Functioning, Goal, GoalDraft,
    GoalStatus, Owner, Plan, PlanDraft, PlanRevisionDraft, RevisedAction, RevisedGoal, check_day, check_plan_day,
};
use shared::text::{ActionText, ContactText, GoalWording, Note, OthersPresent, ProfessionalWording, Wishes};
use shared::{ActionId, CitizenId, Date, FollowUpId, GoalId, PlanRevisionId, Problem, UserId, ValidationError};

/// Collects refusals while a form is read.
#[derive(Default)]
pub(crate) struct Reader {
    errors: Vec<ValidationError>,
}

impl Reader {
    pub(crate) fn take<T>(&mut self, r: Result<T, ValidationError>) -> Option<T> {
        r.map_err(|e| self.errors.push(e)).ok()
    }

    /// A typed date (`YYYY-MM-DD` from a date input, or Danish `d.m.yyyy`:
    /// [`Date::parse_typed`]); empty is `None` unless `required`.
    pub(crate) fn date(&mut self, field: &'static str, text: &str, required: bool) -> Option<Option<Date>> {
        self.take(Date::read_field(field, text, required))
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

    /// Records a refusal found otherwise.
    pub(crate) fn refuse(&mut self, error: ValidationError) {
        self.errors.push(error);
    }

    pub(crate) fn done<T>(self, value: Option<T>) -> Result<T, Vec<ValidationError>> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }
}

/// What a typed day is held to: the record as stored (`None`: a new one;
/// a day unchanged from it is not checked again) and the day that bounds
/// it (today for the plan's own days, the plan's start for a goal's target
/// and an action's due day).
#[derive(Debug, Clone, Copy)]
pub struct Against<'a, T> {
    pub stored: Option<&'a T>,
    pub day: Date,
}

/// The plan's own fields as typed; `today` (Copenhagen) for the consent's
/// day.
pub fn read_plan(
    citizen: CitizenId,
    consent: (&str, &str),
    coordinator: Option<UserId>,
    contact: &str,
    wishes: &str,
    began_on: &str,
    against: Against<'_, PlanDraft>,
) -> Result<PlanDraft, Vec<ValidationError>> {
    let mut r = Reader::default();
    let consent = r.consent(consent.0, consent.1);
    let contact = r.take(ContactText::try_from(contact));
    let wishes = r.take(Wishes::try_from(wishes));
    let began_on = r.date("began_on", began_on, false);
    // The days are checked whatever else is wrong, so every problem shows
    // at once (issue 15's walk: a too-long wish hid a consent in 1900).
    if let (Some(consent), Some(began_on)) = (consent, began_on)
        && let Err(errors) =
            (PlanDraft { consent, began_on, ..PlanDraft::blank(citizen) }).check(against.stored, against.day)
    {
        r.errors.extend(errors);
    }
    let draft = match (consent, contact, wishes, began_on) {
        _ if !r.errors.is_empty() => None,
        (Some(consent), Some(coordinator_contact), Some(wishes), Some(began_on)) => Some(PlanDraft {
            citizen_id: citizen,
            consent,
            coordinator_id: coordinator,
            coordinator_contact,
            wishes,
            began_on,
        }),
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
    against: Against<'_, GoalDraft>,
) -> Result<GoalDraft, Vec<ValidationError>> {
    let mut r = Reader::default();
    let citizen_wording = r.take(GoalWording::try_from(typed.citizen_wording));
    let professional_wording = r.take(ProfessionalWording::try_from(typed.professional_wording));
    let was = against.stored.and_then(|b| b.target_date);
    let target_date = r
        .date("target_date", typed.target_date, false)
        .and_then(|t| r.take(check_plan_day("target_date", t, was, against.day)).map(|()| t));
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
    // The day is checked against the plan whatever else is wrong, so every
    // problem shows at once.
    let on =
        r.date("on", typed.on, true).flatten().and_then(|on| r.take(check_day(on, plan_begun, today)).map(|()| on));
    let citizen_score = r.take(CitizenScore::read_typed(typed.citizen_score));
    let functioning = r.take(Functioning::read_typed(typed.functioning));
    let note = r.take(Note::try_from(typed.note));
    // Nothing found is said with the other problems, not after them.
    if [typed.citizen_score, typed.functioning, typed.note].iter().all(|t| t.trim().is_empty()) {
        r.errors.push(ValidationError::new("note", Problem::NoFinding));
    }
    let conclusion = Conclusion::from_code(typed.conclusion);
    if conclusion.is_none() {
        r.errors.push(ValidationError::new("conclusion", Problem::Required));
    }
    let draft = match (on, citizen_score, functioning, note, conclusion) {
        _ if !r.errors.is_empty() => None,
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
pub struct ActionTyped<'a> {
    pub what: &'a str,
    pub owner: Option<Owner>,
    pub due: &'a str,
    pub status: ActionStatus,
}

/// Reads an action; its due day is held to the plan's start
/// (`against.day`). Errors: `what`, `owner` `required`; `due`
/// `date_expected` or `before_plan`.
pub fn read_action(
    id: ActionId,
    goal: GoalId,
    citizen: CitizenId,
    typed: &ActionTyped<'_>,
    against: Against<'_, ActionDraft>,
) -> Result<ActionDraft, Vec<ValidationError>> {
    let ActionTyped { what, owner, due, status } = *typed;
    let mut r = Reader::default();
    let what = r.take(ActionText::try_from(what));
    if owner.is_none() {
        r.errors.push(ValidationError::new("owner", Problem::Required));
    }
    let was = against.stored.and_then(|b| b.due);
    let due = r.date("due", due, false).and_then(|d| r.take(check_plan_day("due", d, was, against.day)).map(|()| d));
    let draft = match (what, owner, due) {
        (Some(what), Some(owner), Some(due)) => {
            // The meeting that decided it stays with it (issue 16).
            let meeting = against.stored.and_then(|s| s.meeting);
            Some(ActionDraft { id, goal_id: goal, citizen_id: citizen, what, owner, due, status, offer: None, meeting })
        }
        _ => None,
    };
    r.done(draft)
}

/// A revision as typed: the day, the staff ticked, the others by name,
/// whether the citizen was present and agreed, a note.
pub struct RevisionTyped<'a> {
    pub on: &'a str,
    pub participants: &'a [UserId],
    pub others: &'a str,
    pub citizen_present: bool,
    /// Yes or no, said outright: `None` (not answered) is refused, so a
    /// box left unticked never records a disagreement (issue 15's walk).
    pub citizen_agreed: Option<bool>,
    pub note: &'a str,
}

/// The plan as it stands for a revision to keep: the wishes and the goals
/// (in the plan's order) with the actions under each.
pub fn plan_as_it_stands(plan: Option<&Plan>, goals: &[Goal], actions: &[Action]) -> (Wishes, Vec<RevisedGoal>) {
    let wishes = plan.map(|p| p.fields.wishes.clone()).unwrap_or_default();
    let goals = goals
        .iter()
        .map(|g| RevisedGoal {
            goal_id: g.fields.id,
            citizen_wording: g.fields.citizen_wording.clone(),
            status: g.fields.status,
            target_date: g.fields.target_date,
            actions: actions
                .iter()
                .filter(|a| a.fields.goal_id == g.fields.id)
                .map(|a| RevisedAction {
                    what: a.fields.what.clone(),
                    owner: a.fields.owner,
                    due: a.fields.due,
                    status: a.fields.status,
                })
                .collect(),
        })
        .collect();
    (wishes, goals)
}

/// Reads a revision of `citizen`'s plan; `kept`: the plan as it stands
/// ([`plan_as_it_stands`]). Every problem at once, each at its field (`on`,
/// `participants`, `others`, `note`).
pub fn read_revision(
    id: PlanRevisionId,
    citizen: CitizenId,
    typed: &RevisionTyped<'_>,
    kept: (Wishes, Vec<RevisedGoal>),
    plan_begun: Date,
    today: Date,
) -> Result<PlanRevisionDraft, Vec<ValidationError>> {
    let mut r = Reader::default();
    let on = r.date("on", typed.on, true).flatten();
    let others = r.take(OthersPresent::try_from(typed.others));
    let note = r.take(Note::try_from(typed.note));
    if typed.citizen_agreed.is_none() {
        r.refuse(ValidationError::new("citizen_agreed", Problem::Required));
    }
    let draft = match (on, others, note, typed.citizen_agreed) {
        (Some(on), Some(others), Some(note), Some(citizen_agreed)) => {
            let (wishes, goals) = kept;
            let draft = PlanRevisionDraft {
                id,
                citizen_id: citizen,
                on,
                participants: typed.participants.to_vec(),
                others,
                citizen_present: typed.citizen_present,
                citizen_agreed,
                note,
                wishes,
                goals,
            };
            match draft.check(plan_begun, today) {
                Ok(()) => Some(draft),
                Err(errors) => {
                    r.errors.extend(errors);
                    None
                }
            }
        }
        _ => {
            if typed.participants.is_empty() {
                r.errors.push(ValidationError::new("participants", Problem::NoneChosen));
            }
            None
        }
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

    /// A new record, held to `day`.
    fn new<'a, T>(day: Date) -> Against<'a, T> {
        Against { stored: None, day }
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
            (typed("2026-08-31", "6", "", "change"), vec![("on".to_owned(), "before_plan")]),
            (typed("2026-11-24", "6", "", "change"), vec![("on".to_owned(), "in_future")]),
            // Issue 15's walk: an empty follow-up saved with one tap.
            (typed("2026-11-20", "", "", "continue"), vec![("note".to_owned(), "no_finding")]),
            (
                typed("2026-11-20", "", "", ""),
                vec![("note".to_owned(), "no_finding"), ("conclusion".to_owned(), "required")],
            ),
            (
                typed("i går", "seks", "", "change"),
                vec![("on".to_owned(), "date_expected"), ("citizen_score".to_owned(), "whole_number_expected")],
            ),
            // Issue 15's walk: "4,5" was told the range, not that it must be whole.
            (
                typed("2026-11-20", "4,5", "1.5", "change"),
                vec![
                    ("citizen_score".to_owned(), "whole_number_expected"),
                    ("functioning".to_owned(), "whole_number_expected"),
                ],
            ),
            (
                typed("2026-11-20", "-1", "5", "change"),
                vec![("citizen_score".to_owned(), "out_of_range"), ("functioning".to_owned(), "out_of_range")],
            ),
        ];
        for (t, expected) in cases {
            assert_eq!(fields(read(t).expect_err("refused")), expected);
        }
        let e = read(typed("2026-11-20", "4,5", "", "change")).expect_err("not whole");
        assert_eq!(e[0].message().da, "Borgerens egen score: skal være et helt tal fra 0 til 10");
        // Before the plan's start: the message names the start.
        let e = read(FollowUpTyped { note: "  ", ..typed("2026-11-20", "", "", "continue") }).expect_err("nothing");
        assert_eq!(e[0].message().da, "Note: udfyld mindst én af borgerens score, funktionsniveauet og noten");
        let noted = read(FollowUpTyped { note: "Har ringet selv", ..typed("2026-11-20", "", "", "continue") });
        assert!(noted.is_ok(), "a note alone is a finding");
        let e = read(typed("2026-08-31", "", "2", "change")).expect_err("before");
        assert_eq!(e[0].message().da, "Dato: må ikke ligge før planens start, 01.09.2026");
    }

    #[test]
    fn a_goal_needs_the_citizens_words() {
        let typed =
            GoalTyped { citizen_wording: " ", professional_wording: "", target_date: "30.02.2027", status: "active" };
        let began = date("2026-11-01");
        let e = read_goal(GoalId::from_uuid(Uuid::from_u128(1)), CITIZEN, &typed, vec![], vec![], 1, new(began))
            .expect_err("no words, no such day");
        assert_eq!(
            fields(e),
            [("citizen_wording".to_owned(), "required"), ("target_date".to_owned(), "date_expected")]
        );
        let typed = GoalTyped {
            citizen_wording: "Jeg vil have et job",
            professional_wording: "",
            target_date: "",
            status: "active",
        };
        let g = read_goal(GoalId::from_uuid(Uuid::from_u128(1)), CITIZEN, &typed, vec![], vec![], 2, new(began))
            .expect("valid");
        assert_eq!((g.citizen_wording.as_str(), g.position, g.target_date), ("Jeg vil have et job", 2, None));
        // The walk's target in 2020, before the plan began: refused with
        // the other problems at once; kept when it was stored so.
        let old = GoalTyped { citizen_wording: "", target_date: "01.06.2020", ..typed };
        let e = read_goal(g.id, CITIZEN, &old, vec![], vec![], 2, new(began)).expect_err("before the plan");
        assert_eq!(fields(e), [("citizen_wording".to_owned(), "required"), ("target_date".to_owned(), "before_plan")]);
        let stored = GoalDraft { target_date: Some(date("2020-06-01")), ..g.clone() };
        let kept = GoalTyped { target_date: "01.06.2020", ..typed };
        assert!(
            read_goal(g.id, CITIZEN, &kept, vec![], vec![], 2, Against { stored: Some(&stored), day: began }).is_ok()
        );
    }

    #[test]
    fn consent_given_needs_its_day_and_not_a_later_one() {
        let read = |state, on| read_plan(CITIZEN, (state, on), None, "", "At bo selv", "", new(date("2026-11-23")));
        assert_eq!(read("not_asked", "").expect("valid").consent, Consent::NotAsked);
        assert_eq!(read("given", "2026-11-20").expect("valid").consent, Consent::Given { on: date("2026-11-20") });
        assert_eq!(fields(read("given", "").expect_err("no day")), [("consent".to_owned(), "required")]);
        assert_eq!(fields(read("refused", "2026-12-01").expect_err("ahead")), [("consent".to_owned(), "in_future")]);
        // The plan's start, back-dated to the meeting where it was agreed;
        // not after today, and a day that exists.
        let began = |text| read_plan(CITIZEN, ("not_asked", ""), None, "", "", text, new(date("2026-11-23")));
        assert_eq!(began("").expect("none").began_on, None);
        assert_eq!(began("20.11.2026").expect("set").began_on, Some(date("2026-11-20")));
        assert_eq!(fields(began("2026-11-24").expect_err("ahead")), [("began_on".to_owned(), "in_future")]);
        assert_eq!(fields(began("31.02.2026").expect_err("no such day")), [("began_on".to_owned(), "date_expected")]);
        assert_eq!(fields(began("01.01.1990").expect_err("far back")), [("began_on".to_owned(), "too_far_back")]);
        assert_eq!(
            fields(read("given", "01.01.1900").expect_err("far back")),
            [("consent".to_owned(), "too_far_back")]
        );
        // A wish too long does not hide the days (the walk saw one, then the others).
        let long = "x".repeat(6_000);
        let all = read_plan(CITIZEN, ("given", "01.01.1900"), None, "", &long, "01.01.1990", new(date("2026-11-23")));
        assert_eq!(
            fields(all.expect_err("three problems")),
            [
                ("wishes".to_owned(), "too_long"),
                ("consent".to_owned(), "too_far_back"),
                ("began_on".to_owned(), "too_far_back")
            ]
        );
    }

    #[test]
    fn an_action_needs_what_and_who() {
        let read_due = |what, owner, due| {
            read_action(
                ActionId::from_uuid(Uuid::from_u128(6)),
                GoalId::from_uuid(Uuid::from_u128(1)),
                CITIZEN,
                &ActionTyped { what, owner, due, status: ActionStatus::Open },
                new(date("2026-11-01")),
            )
        };
        let read = |what, owner| read_due(what, owner, "");
        // The walk's due day in 2019, before the plan began.
        assert_eq!(
            fields(read_due("", Some(Owner::Citizen), "01.01.2019").expect_err("before the plan")),
            [("what".to_owned(), "required"), ("due".to_owned(), "before_plan")]
        );
        assert_eq!(
            fields(read("", None).expect_err("nothing")),
            [("what".to_owned(), "required"), ("owner".to_owned(), "required")]
        );
        assert_eq!(read("Ringe til jobcentret", Some(Owner::Citizen)).expect("valid").owner, Owner::Citizen);
    }

    #[test]
    fn a_revision_names_who_took_part_and_keeps_the_plan() {
        let me = UserId::from_uuid(Uuid::from_u128(7));
        let typed = |on, participants: &'static [UserId], note| RevisionTyped {
            on,
            participants,
            others: "Hanne, mor",
            citizen_present: true,
            citizen_agreed: Some(true),
            note,
        };
        let read = |t: RevisionTyped<'_>| {
            read_revision(
                PlanRevisionId::from_uuid(Uuid::from_u128(8)),
                CITIZEN,
                &t,
                (Wishes::try_from("At bo selv").expect("wishes"), Vec::new()),
                date("2026-09-01"),
                date("2026-11-23"),
            )
        };
        static ME: [UserId; 1] = [UserId::from_uuid(Uuid::from_u128(7))];
        static TWICE: [UserId; 2] = [UserId::from_uuid(Uuid::from_u128(7)), UserId::from_uuid(Uuid::from_u128(7))];
        let ok = read(typed("20.11.2026", &ME, "")).expect("valid");
        assert_eq!((ok.on, ok.participants.clone(), ok.others.as_str()), (date("2026-11-20"), vec![me], "Hanne, mor"));
        assert_eq!(ok.wishes.as_str(), "At bo selv");
        let cases: Vec<(RevisionTyped<'_>, Vec<(String, &str)>)> = vec![
            (typed("", &[], ""), vec![("on".to_owned(), "required"), ("participants".to_owned(), "none_chosen")]),
            (typed("2026-08-31", &ME, ""), vec![("on".to_owned(), "before_plan")]),
            (typed("2026-11-24", &ME, ""), vec![("on".to_owned(), "in_future")]),
            (typed("2026-11-20", &[], ""), vec![("participants".to_owned(), "none_chosen")]),
            (typed("2026-11-20", &TWICE, ""), vec![("participants[1]".to_owned(), "taken")]),
        ];
        for (t, expected) in cases {
            assert_eq!(fields(read(t).expect_err("refused")), expected);
        }
    }
}
