//! Reading the forms of the standing meetings across areas (issue 16): the
//! committee's (seed 001: a proposal, a lead's decision, a meeting day, the
//! committee's decision) and the sparring forum's (seed 000: a session, a
//! case, its minutes), by `shared::committee`'s and `shared::forum`'s
//! rules, every problem at once, each at its field (the server's field
//! names). Pure, so it is table-tested natively.

use shared::committee::{
    CommitteeDecisionInput, CommitteeMeeting, CommitteeMeetingInput, ReferralInput, Screening, ScreeningInput,
};
use shared::forum::{CaseInput, ForumSession, OutcomeInput};
use shared::text::{ForumOutcomeText, ForumQuestion, Note, ReferralReason};
use shared::{AreaId, CitizenId, Date, Problem, UserId, ValidationError};

use crate::plan_input::Reader;

/// A proposal of `citizen` with the reason typed.
///
/// Errors: `reason` as [`ReferralReason`].
pub fn read_referral(citizen: CitizenId, reason: &str) -> Result<ReferralInput, Vec<ValidationError>> {
    let mut r = Reader::default();
    let reason = r.take(ReferralReason::try_from(reason));
    r.done(reason.map(|reason| ReferralInput { citizen_id: citizen, reason }))
}

/// A lead's decision: `decision` `"refer"` or `"not_refer"` (as the radio
/// buttons hold it) and the reason.
///
/// Errors: `decision` `required`; `reason` as [`ReferralReason`].
pub fn read_screening(decision: &str, reason: &str) -> Result<ScreeningInput, Vec<ValidationError>> {
    let mut r = Reader::default();
    let decision = Screening::from_code(decision);
    if decision.is_none() {
        r.refuse(ValidationError::new("decision", Problem::Required));
    }
    let reason = r.take(ReferralReason::try_from(reason));
    r.done(decision.zip(reason).map(|(decision, reason)| ScreeningInput { decision, reason }))
}

/// A committee meeting on the day typed, from `today`.
///
/// Errors (field `on`): `required`, `date_expected`, and
/// [`CommitteeMeetingInput::check`]'s.
pub fn read_meeting(on: &str, today: Date) -> Result<CommitteeMeetingInput, Vec<ValidationError>> {
    let mut r = Reader::default();
    let on = r.date("on", on, true).flatten().map(|on| CommitteeMeetingInput { on });
    if let Some(input) = on {
        r.take(input.check(today));
    }
    r.done(on)
}

/// The committee's decision as typed, at one of `meetings`.
///
/// Errors: `meeting_id` and `coordinator_id` `required` or
/// `unknown_value`; `plan_start` `required`/`date_expected`; `note` as
/// [`Note`]; and [`CommitteeDecisionInput::check`]'s.
pub fn read_decision(
    meeting: &str,
    plan_start: &str,
    coordinator: &str,
    areas: &[AreaId],
    note: &str,
    meetings: &[CommitteeMeeting],
) -> Result<CommitteeDecisionInput, Vec<ValidationError>> {
    let mut r = Reader::default();
    let meeting = match meeting.trim() {
        "" => {
            r.refuse(ValidationError::new("meeting_id", Problem::Required));
            None
        }
        m => r.take(
            meetings
                .iter()
                .find(|x| x.id.to_string() == m)
                .copied()
                .ok_or_else(|| ValidationError::new("meeting_id", Problem::UnknownValue)),
        ),
    };
    let plan_start = r.date("plan_start", plan_start, true).flatten();
    let coordinator_id = match coordinator.trim() {
        "" => {
            r.refuse(ValidationError::new("coordinator_id", Problem::Required));
            None
        }
        c => r.take(c.parse::<UserId>().map_err(|_| ValidationError::new("coordinator_id", Problem::UnknownValue))),
    };
    let note = r.take(Note::try_from(note));
    let input = match (meeting, plan_start, coordinator_id, note) {
        (Some(meeting), Some(plan_start), Some(coordinator_id), Some(note)) => {
            let input = CommitteeDecisionInput {
                meeting_id: meeting.id,
                plan_start,
                coordinator_id,
                areas: areas.to_vec(),
                note,
            };
            if let Err(errors) = input.check(meeting.on) {
                errors.into_iter().for_each(|e| r.refuse(e));
            }
            Some(input)
        }
        _ => {
            // Said with the rest: no area chosen.
            if areas.is_empty() {
                r.refuse(ValidationError::new("areas", Problem::NoneChosen));
            }
            None
        }
    };
    r.done(input)
}

/// A case for one of `sessions`, about the citizen chosen, with the
/// question typed, on `today`.
///
/// Errors: `session_id` and `citizen_id` `required`/`unknown_value`;
/// `question` as [`ForumQuestion`]; [`CaseInput::check`]'s.
pub fn read_forum_case(
    session: &str,
    citizen: &str,
    question: &str,
    sessions: &[ForumSession],
    today: Date,
) -> Result<CaseInput, Vec<ValidationError>> {
    let mut r = Reader::default();
    let session = match session.trim() {
        "" => {
            r.refuse(ValidationError::new("session_id", Problem::Required));
            None
        }
        s => r.take(
            sessions
                .iter()
                .find(|x| x.id.to_string() == s)
                .copied()
                .ok_or_else(|| ValidationError::new("session_id", Problem::UnknownValue)),
        ),
    };
    let citizen_id = match citizen.trim() {
        "" => {
            r.refuse(ValidationError::new("citizen_id", Problem::Required));
            None
        }
        c => r.take(c.parse::<CitizenId>().map_err(|_| ValidationError::new("citizen_id", Problem::UnknownValue))),
    };
    let question = r.take(ForumQuestion::try_from(question));
    let input = match (session, citizen_id, question) {
        (Some(session), Some(citizen_id), Some(question)) => {
            let input = CaseInput { session_id: session.id, citizen_id, question };
            r.take(input.check(session.on, today));
            Some(input)
        }
        _ => None,
    };
    r.done(input)
}

/// A case's minutes as typed: the outcome, and the follow-up's owner (a
/// user id, or empty) and due day, for a session on `session_on`.
///
/// Errors: `outcome` as [`ForumOutcomeText`]; `follow_up_owner`
/// `unknown_value`; `follow_up_due` `date_expected`; [`OutcomeInput::check`]'s.
pub fn read_forum_outcome(
    outcome: &str,
    owner: &str,
    due: &str,
    session_on: Date,
    today: Date,
) -> Result<OutcomeInput, Vec<ValidationError>> {
    let mut r = Reader::default();
    let outcome = r.take(ForumOutcomeText::try_from(outcome));
    let follow_up_owner = match owner.trim() {
        "" => Some(None),
        o => r.take(
            o.parse::<UserId>().map(Some).map_err(|_| ValidationError::new("follow_up_owner", Problem::UnknownValue)),
        ),
    };
    let follow_up_due = r.date("follow_up_due", due, false);
    let input = match (outcome, follow_up_owner, follow_up_due) {
        (Some(outcome), Some(follow_up_owner), Some(follow_up_due)) => {
            let input = OutcomeInput { outcome, follow_up_owner, follow_up_due };
            if let Err(errors) = input.check(session_on, today) {
                errors.into_iter().for_each(|e| r.refuse(e));
            }
            Some(input)
        }
        _ => None,
    };
    r.done(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id<T: From<uuid::Uuid>>(n: u128) -> T {
        T::from(uuid::Uuid::from_u128(n))
    }

    fn refused<T: std::fmt::Debug>(r: Result<T, Vec<ValidationError>>) -> Vec<(String, &'static str)> {
        r.expect_err("refused").into_iter().map(|e| (e.field.to_string(), e.problem.code())).collect()
    }

    fn pairs(list: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
        list.iter().map(|(f, c)| ((*f).to_owned(), *c)).collect()
    }

    #[test]
    fn a_proposal_and_a_leads_decision_name_their_fields() {
        assert!(read_referral(id(1), "Tre områder").is_ok());
        assert_eq!(refused(read_referral(id(1), "   ")), pairs(&[("reason", "required")]));
        assert_eq!(refused(read_referral(id(1), &"x".repeat(1001))), pairs(&[("reason", "too_long")]));
        assert_eq!(read_screening("refer", "Kompleks").expect("read").decision, Screening::Refer);
        assert_eq!(refused(read_screening("", "")), pairs(&[("decision", "required"), ("reason", "required")]));
    }

    #[test]
    fn meeting_days_are_read_and_checked() {
        let today: Date = "2026-12-03".parse().expect("date");
        assert_eq!(read_meeting("10.12.2026", today).expect("read").on.to_string(), "2026-12-10");
        assert_eq!(refused(read_meeting("", today)), pairs(&[("on", "required")]));
        assert_eq!(refused(read_meeting("igår", today)), pairs(&[("on", "date_expected")]));
        assert_eq!(refused(read_meeting("2026-12-01", today)), pairs(&[("on", "in_past")]));
    }

    #[test]
    fn the_committees_decision_says_every_problem_at_once() {
        let meeting = CommitteeMeeting { id: id(9), on: "2026-12-10".parse().expect("date") };
        let meetings = [meeting];
        let coordinator = id::<UserId>(5).to_string();
        let ok = read_decision(&meeting.id.to_string(), "2027-01-04", &coordinator, &[id(7)], "", &meetings);
        assert_eq!(ok.expect("read").plan_start.to_string(), "2027-01-04");
        assert_eq!(
            refused(read_decision("", "", "", &[], "", &meetings)),
            pairs(&[
                ("meeting_id", "required"),
                ("plan_start", "required"),
                ("coordinator_id", "required"),
                ("areas", "none_chosen")
            ])
        );
        assert_eq!(
            refused(read_decision(&meeting.id.to_string(), "2028-06-01", &coordinator, &[], "", &meetings)),
            pairs(&[("areas", "none_chosen"), ("plan_start", "too_far_ahead")])
        );
    }

    #[test]
    fn a_forum_case_and_its_minutes_name_their_fields() {
        let today: Date = "2026-12-03".parse().expect("date");
        let session = ForumSession { id: id(9), on: "2026-12-15".parse().expect("date") };
        let sessions = [session];
        let citizen = id::<CitizenId>(2).to_string();
        assert!(read_forum_case(&session.id.to_string(), &citizen, "Hvad nu?", &sessions, today).is_ok());
        assert_eq!(
            refused(read_forum_case("", "", "", &sessions, today)),
            pairs(&[("session_id", "required"), ("citizen_id", "required"), ("question", "required")])
        );
        let later: Date = "2026-12-16".parse().expect("date");
        assert_eq!(
            refused(read_forum_case(&session.id.to_string(), &citizen, "Hvad nu?", &sessions, later)),
            pairs(&[("session_id", "in_past")])
        );
        let owner = id::<UserId>(5).to_string();
        assert!(read_forum_outcome("Fælles samtale", &owner, "2027-01-15", session.on, session.on).is_ok());
        assert!(read_forum_outcome("Ingen opfølgning", "", "", session.on, session.on).is_ok());
        assert_eq!(
            refused(read_forum_outcome("", &owner, "", session.on, today)),
            pairs(&[("outcome", "required")]),
            "the text first"
        );
        assert_eq!(
            refused(read_forum_outcome("For tidligt", "", "15.01.2027", session.on, today)),
            pairs(&[("outcome", "not_held"), ("follow_up_owner", "required")])
        );
        assert_eq!(
            refused(read_forum_outcome("Ok", &owner, "i morgen", session.on, session.on)),
            pairs(&[("follow_up_due", "date_expected")])
        );
    }
}
