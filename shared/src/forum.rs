//! The monthly sparring forum (issue 16; seed 000: "et månedligt
//! sparringsforum for sagsbehandlere og koordinatorer på tværs af de to
//! områder, hvor konkrete sager drøftes"): a standing forum with dates;
//! staff put a concrete case on a coming session's agenda (the citizen and
//! the question); the session's minutes give each case an outcome and,
//! when something is to be done, who follows up and by when. The citizen's
//! page lists the discussions of their case for those who may see the
//! citizen; on the forum's own page a case of a citizen the reader may not
//! see shows its question without the name.

use serde::{Deserialize, Serialize};

use crate::assignment::Named;
use crate::error::{Problem, ValidationError};
use crate::id::{CitizenId, ForumCaseId, ForumSessionId, UserId};
use crate::text::{ForumOutcomeText, ForumQuestion};
use crate::time::{Date, Timestamp};

/// A session of the forum as planned (`PUT /api/forum/sessions/{id}`).
/// JSON: `{"on": "2026-12-15"}`; checked as
/// [`crate::committee::check_coming_day`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInput {
    pub on: Date,
}

/// A session. JSON: `{"id": uuid, "on": "2026-12-15"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForumSession {
    pub id: ForumSessionId,
    pub on: Date,
}

/// A case put on a session's agenda (`PUT /api/forum/cases/{id}`). JSON:
/// `{"session_id": uuid, "citizen_id": uuid, "question": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseInput {
    pub session_id: ForumSessionId,
    pub citizen_id: CitizenId,
    pub question: ForumQuestion,
}

impl CaseInput {
    /// Checks the case against its session (on `session_on`) and `today`.
    ///
    /// Errors: `session_id` `Problem::InPast` for a session already held.
    pub fn check(&self, session_on: Date, today: Date) -> Result<(), ValidationError> {
        if session_on < today {
            return Err(ValidationError::new("session_id", Problem::InPast));
        }
        Ok(())
    }
}

/// A case's minutes (`PUT /api/forum/cases/{id}/outcome`). JSON:
/// `{"outcome": "…", "follow_up_owner": uuid|null, "follow_up_due":
/// "2027-01-15"|null}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeInput {
    pub outcome: ForumOutcomeText,
    /// Who follows up, when something is to be done.
    #[serde(default)]
    pub follow_up_owner: Option<UserId>,
    /// By when.
    #[serde(default)]
    pub follow_up_due: Option<Date>,
}

impl OutcomeInput {
    /// Checks the minutes of a case discussed at a session on `session_on`,
    /// written on `today`; the server checks the owner may see the citizen.
    ///
    /// Errors: `outcome` `Problem::NotHeld` before the session's day;
    /// `follow_up_owner` `Problem::Required` for a due day without an
    /// owner; `follow_up_due` `Problem::Required` for an owner without a
    /// day, `Problem::EndBeforeStart` before the session. Every problem at
    /// once.
    pub fn check(&self, session_on: Date, today: Date) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        if session_on > today {
            errors.push(ValidationError::new("outcome", Problem::NotHeld));
        }
        match (self.follow_up_owner, self.follow_up_due) {
            (None, Some(_)) => errors.push(ValidationError::new("follow_up_owner", Problem::Required)),
            (Some(_), None) => errors.push(ValidationError::new("follow_up_due", Problem::Required)),
            _ => {}
        }
        if self.follow_up_due.is_some_and(|due| due < session_on) {
            errors.push(ValidationError::new("follow_up_due", Problem::EndBeforeStart));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// A case's minutes as kept. JSON: `{"outcome", "follow_up_owner": {"id",
/// "name"}|null, "follow_up_due", "by", "by_name", "at"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOutcome {
    pub outcome: ForumOutcomeText,
    pub follow_up_owner: Option<Named<UserId>>,
    pub follow_up_due: Option<Date>,
    pub by: UserId,
    pub by_name: String,
    pub at: Timestamp,
}

/// A case on the agenda. `citizen` is `None` for a reader who may not see
/// the citizen (the question is shown without the name). JSON: `{"id",
/// "session_id", "session_on", "citizen": {"id", "name"}|null, "question",
/// "added_by", "added_by_name", "outcome": {...}|null}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForumCase {
    pub id: ForumCaseId,
    pub session_id: ForumSessionId,
    pub session_on: Date,
    pub citizen: Option<Named<CitizenId>>,
    pub question: ForumQuestion,
    pub added_by: UserId,
    pub added_by_name: String,
    pub outcome: Option<CaseOutcome>,
}

/// `GET /api/forum` (staff): the sessions from three months back, their
/// cases, and the citizens the user may bring. JSON: `{"sessions": [...],
/// "cases": [...], "citizens": [{"id", "name"}], "staff": [{"id",
/// "name"}], "may_plan": bool}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForumResponse {
    pub sessions: Vec<ForumSession>,
    pub cases: Vec<ForumCase>,
    /// The citizens the user may see, by name: those they may bring.
    pub citizens: Vec<Named<CitizenId>>,
    /// Active staff who may own a follow-up, by name.
    pub staff: Vec<Named<UserId>>,
    /// Whether the user plans sessions (leads and administrators).
    pub may_plan: bool,
}

impl ForumResponse {
    /// The cases of session `id`, in the order they were added.
    pub fn cases_of(&self, id: ForumSessionId) -> Vec<&ForumCase> {
        self.cases.iter().filter(|c| c.session_id == id).collect()
    }
}

/// `GET /api/citizens/{id}/forum`: the discussions of one citizen's case,
/// newest session first. JSON: `{"cases": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenForum {
    pub cases: Vec<ForumCase>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{date, id};

    fn outcome(owner: Option<u128>, due: Option<&str>) -> OutcomeInput {
        OutcomeInput {
            outcome: ForumOutcomeText::try_from("Ring til jobcentret").expect("outcome"),
            follow_up_owner: owner.map(id),
            follow_up_due: due.map(date),
        }
    }

    #[test]
    fn a_case_goes_on_a_coming_session_and_its_minutes_after_it() {
        let case = CaseInput {
            session_id: id(1),
            citizen_id: id(2),
            question: ForumQuestion::try_from("Hvordan får vi borgeren med?").expect("question"),
        };
        assert!(case.check(date("2026-12-15"), date("2026-12-15")).is_ok());
        assert_eq!(case.check(date("2026-12-14"), date("2026-12-15")).expect_err("held").problem, Problem::InPast);

        let held = date("2026-12-15");
        type Row = (OutcomeInput, Date, &'static [(&'static str, &'static str)]);
        let table: [Row; 5] = [
            (outcome(None, None), held, &[]),
            (outcome(Some(3), Some("2027-01-15")), held, &[]),
            (outcome(Some(3), None), held, &[("follow_up_due", "required")]),
            (outcome(None, Some("2027-01-15")), held, &[("follow_up_owner", "required")]),
            (
                outcome(Some(3), Some("2026-12-01")),
                date("2026-12-16"),
                &[("outcome", "not_held"), ("follow_up_due", "end_before_start")],
            ),
        ];
        for (input, session_on, wanted) in table {
            let found: Vec<(String, &str)> = match input.check(session_on, held) {
                Ok(()) => Vec::new(),
                Err(errors) => errors.iter().map(|e| (e.field.to_string(), e.problem.code())).collect(),
            };
            let wanted: Vec<(String, &str)> = wanted.iter().map(|(f, c)| ((*f).to_owned(), *c)).collect();
            assert_eq!(found, wanted, "{input:?} at a session on {session_on}");
        }
    }

    #[test]
    fn forum_golden() {
        let at = Timestamp::from_local(date("2026-12-15"), 600);
        let response = ForumResponse {
            sessions: vec![ForumSession { id: id(1), on: date("2026-12-15") }],
            cases: vec![ForumCase {
                id: id(4),
                session_id: id(1),
                session_on: date("2026-12-15"),
                citizen: Some(Named { id: id(2), name: "Birthe Christensen".into() }),
                question: ForumQuestion::try_from("Hvordan får vi borgeren med?").expect("question"),
                added_by: id(3),
                added_by_name: "Anne Kjær".into(),
                outcome: Some(CaseOutcome {
                    outcome: ForumOutcomeText::try_from("Fælles samtale med jobcentret").expect("outcome"),
                    follow_up_owner: Some(Named { id: id(3), name: "Anne Kjær".into() }),
                    follow_up_due: Some(date("2027-01-15")),
                    by: id(5),
                    by_name: "Karina Mikkelsen".into(),
                    at,
                }),
            }],
            citizens: vec![Named { id: id(2), name: "Birthe Christensen".into() }],
            staff: vec![Named { id: id(3), name: "Anne Kjær".into() }],
            may_plan: false,
        };
        expect_test::expect![[r#"
            {
              "sessions": [
                {
                  "id": "00000000-0000-0000-0000-000000000001",
                  "on": "2026-12-15"
                }
              ],
              "cases": [
                {
                  "id": "00000000-0000-0000-0000-000000000004",
                  "session_id": "00000000-0000-0000-0000-000000000001",
                  "session_on": "2026-12-15",
                  "citizen": {
                    "id": "00000000-0000-0000-0000-000000000002",
                    "name": "Birthe Christensen"
                  },
                  "question": "Hvordan får vi borgeren med?",
                  "added_by": "00000000-0000-0000-0000-000000000003",
                  "added_by_name": "Anne Kjær",
                  "outcome": {
                    "outcome": "Fælles samtale med jobcentret",
                    "follow_up_owner": {
                      "id": "00000000-0000-0000-0000-000000000003",
                      "name": "Anne Kjær"
                    },
                    "follow_up_due": "2027-01-15",
                    "by": "00000000-0000-0000-0000-000000000005",
                    "by_name": "Karina Mikkelsen",
                    "at": "2026-12-15T09:00:00.000Z"
                  }
                }
              ],
              "citizens": [
                {
                  "id": "00000000-0000-0000-0000-000000000002",
                  "name": "Birthe Christensen"
                }
              ],
              "staff": [
                {
                  "id": "00000000-0000-0000-0000-000000000003",
                  "name": "Anne Kjær"
                }
              ],
              "may_plan": false
            }"#]]
        .assert_eq(&serde_json::to_string_pretty(&response).expect("json"));
        let inputs = serde_json::json!({
            "session": SessionInput { on: date("2026-12-15") },
            "case": CaseInput { session_id: id(1), citizen_id: id(2), question: ForumQuestion::try_from("Hvad nu?").expect("q") },
            "outcome": outcome(Some(3), Some("2027-01-15")),
        });
        expect_test::expect![[r#"
            {
              "case": {
                "citizen_id": "00000000-0000-0000-0000-000000000002",
                "question": "Hvad nu?",
                "session_id": "00000000-0000-0000-0000-000000000001"
              },
              "outcome": {
                "follow_up_due": "2027-01-15",
                "follow_up_owner": "00000000-0000-0000-0000-000000000003",
                "outcome": "Ring til jobcentret"
              },
              "session": {
                "on": "2026-12-15"
              }
            }"#]]
        .assert_eq(&serde_json::to_string_pretty(&inputs).expect("json"));
    }
}
