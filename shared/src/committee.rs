//! The coordination and visitation committee (issue 16; seed 001: "et
//! koordinations- og visitationsudvalg"; "en leder inden for et af de tre
//! områder vurderer, om sagen er tilstrækkeligt kompleks til at skulle
//! behandles i udvalget").
//!
//! The path of a case:
//!
//! 1. A worker, mentor or coordinator who works with the citizen proposes
//!    them, with a reason ([`ReferralInput`]). One open proposal per
//!    citizen.
//! 2. A lead decides: refer or not, with a reason ([`ScreeningInput`]).
//! 3. A referred citizen is on the agenda of the committee's next meeting
//!    ([`CommitteeMeeting`]; [`CommitteeResponse::agenda`]) until the
//!    committee decides.
//! 4. The committee's decision ([`CommitteeDecisionInput`]) records the
//!    start of the citizen's coherent plan, the coordinating case worker
//!    (who becomes the citizen's coordinator) and the areas involved.
//! 5. The proposer is told each step after their proposal (the lead's
//!    decision, the committee's) on their Today until they have seen it
//!    ([`Referral::news_for_proposer`]).

use serde::{Deserialize, Serialize};

use crate::assignment::Named;
use crate::codes::wire_codes;
use crate::error::{Problem, ValidationError};
use crate::id::{AreaId, CitizenId, CommitteeMeetingId, ReferralId, UserId};
use crate::lang::{Lang, Localized};
use crate::text::{Note, ReferralReason};
use crate::time::{Date, Timestamp};

/// How far ahead a committee meeting may be planned, and how far from the
/// meeting the plan's start may lie, in months.
pub const MAX_MONTHS_AHEAD: i32 = 12;

/// A lead's decision on a proposal. JSON and [`Screening::code`]:
/// `"refer"`, `"not_refer"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Screening {
    /// Complex enough: the committee takes it.
    Refer,
    /// Not for the committee (the reason says what instead).
    NotRefer,
}

wire_codes!(Screening {
    Refer => "refer",
    NotRefer => "not_refer",
});

impl Screening {
    /// "Henvist til udvalget" / "Referred to the committee", "Ikke
    /// henvist" / "Not referred".
    pub fn label(self) -> Localized {
        match self {
            Screening::Refer => Localized::new("Henvist til udvalget", "Referred to the committee"),
            Screening::NotRefer => Localized::new("Ikke henvist", "Not referred"),
        }
    }
}

/// Where a proposal is. JSON and [`Stage::code`]: `"awaiting_lead"`,
/// `"not_referred"`, `"awaiting_committee"`, `"decided"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Proposed; no lead has decided.
    AwaitingLead,
    /// A lead decided not to refer (closed).
    NotReferred,
    /// Referred; on the committee's next agenda.
    AwaitingCommittee,
    /// The committee decided (closed).
    Decided,
}

wire_codes!(Stage {
    AwaitingLead => "awaiting_lead",
    NotReferred => "not_referred",
    AwaitingCommittee => "awaiting_committee",
    Decided => "decided",
});

impl Stage {
    /// "Venter på en leder" / "Awaiting a lead", …
    pub fn label(self) -> Localized {
        match self {
            Stage::AwaitingLead => Localized::new("Venter på en leders vurdering", "Awaiting a lead's assessment"),
            Stage::NotReferred => Localized::new("Ikke henvist til udvalget", "Not referred to the committee"),
            Stage::AwaitingCommittee => {
                Localized::new("Henvist – på udvalgets dagsorden", "Referred – on the committee's agenda")
            }
            Stage::Decided => Localized::new("Udvalget har truffet afgørelse", "The committee has decided"),
        }
    }
}

/// A proposal as written (`PUT /api/referrals/{id}`). JSON:
/// `{"citizen_id": uuid, "reason": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralInput {
    pub citizen_id: CitizenId,
    /// Why the case is complex enough for the committee.
    pub reason: ReferralReason,
}

/// A lead's decision (`PUT /api/referrals/{id}/screening`). JSON:
/// `{"decision": "refer", "reason": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningInput {
    pub decision: Screening,
    pub reason: ReferralReason,
}

/// A meeting of the committee as planned (`PUT
/// /api/committee/meetings/{id}`). JSON: `{"on": "2026-12-10"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeMeetingInput {
    pub on: Date,
}

impl CommitteeMeetingInput {
    /// Checks the day against `today` (Europe/Copenhagen), as
    /// [`check_coming_day`] does.
    pub fn check(&self, today: Date) -> Result<(), ValidationError> {
        check_coming_day(self.on, today)
    }
}

/// Checks the day of a standing meeting being planned (the committee's, the
/// sparring forum's) against `today` (Europe/Copenhagen).
///
/// Errors (field `on`): `Problem::InPast` before today;
/// `Problem::TooFarAhead` more than [`MAX_MONTHS_AHEAD`] months on.
pub fn check_coming_day(on: Date, today: Date) -> Result<(), ValidationError> {
    if on < today {
        return Err(ValidationError::new("on", Problem::InPast));
    }
    let last = today.add_months(MAX_MONTHS_AHEAD);
    if on > last {
        return Err(ValidationError::new("on", too_far_ahead(last)));
    }
    Ok(())
}

fn too_far_ahead(last: Date) -> Problem {
    Problem::TooFarAhead { year: last.year(), month: last.month(), day: last.day() }
}

/// The committee's decision on a referred citizen (`PUT
/// /api/referrals/{id}/decision`). JSON: `{"meeting_id": uuid,
/// "plan_start": "2027-01-04", "coordinator_id": uuid, "areas": [uuid],
/// "note": ""}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeDecisionInput {
    /// The committee meeting that decided.
    pub meeting_id: CommitteeMeetingId,
    /// When the citizen's coherent plan starts.
    pub plan_start: Date,
    /// The coordinating case worker: the citizen's one entrance.
    pub coordinator_id: UserId,
    /// The areas whose efforts the plan holds (at least one).
    pub areas: Vec<AreaId>,
    /// What else the committee said. May be empty.
    #[serde(default = "Note::empty")]
    pub note: Note,
}

impl CommitteeDecisionInput {
    /// Checks the decision as taken at a meeting on `meeting_on`; the
    /// server checks the meeting, the coordinator and the areas exist.
    ///
    /// Errors: `areas` `Problem::NoneChosen` when none, `Problem::UnknownValue`
    /// for one named twice; `plan_start` `Problem::TooFarAhead` /
    /// `Problem::TooFarBack` more than [`MAX_MONTHS_AHEAD`] months from the
    /// meeting. Every problem at once.
    pub fn check(&self, meeting_on: Date) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        if self.areas.is_empty() {
            errors.push(ValidationError::new("areas", Problem::NoneChosen));
        } else if self.areas.iter().enumerate().any(|(i, a)| self.areas[..i].contains(a)) {
            errors.push(ValidationError::new("areas", Problem::UnknownValue));
        }
        let (first, last) = (meeting_on.add_months(-MAX_MONTHS_AHEAD), meeting_on.add_months(MAX_MONTHS_AHEAD));
        if self.plan_start > last {
            errors.push(ValidationError::new("plan_start", too_far_ahead(last)));
        } else if self.plan_start < first {
            errors.push(ValidationError::new(
                "plan_start",
                Problem::TooFarBack { year: first.year(), month: first.month(), day: first.day() },
            ));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// A committee meeting. JSON: `{"id": uuid, "on": "2026-12-10"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeMeeting {
    pub id: CommitteeMeetingId,
    pub on: Date,
}

/// The first of `meetings` on or after `today`.
pub fn next_meeting(meetings: &[CommitteeMeeting], today: Date) -> Option<&CommitteeMeeting> {
    meetings.iter().filter(|m| m.on >= today).min_by_key(|m| m.on)
}

/// A lead's decision as kept. JSON: `{"decision", "reason", "by", "by_name",
/// "at"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningRecord {
    pub decision: Screening,
    pub reason: ReferralReason,
    pub by: UserId,
    pub by_name: String,
    pub at: Timestamp,
}

/// The committee's decision as kept. JSON: `{"meeting_id", "meeting_on",
/// "plan_start", "coordinator": {"id", "name"}, "areas": [{"id", "name"}],
/// "note", "by", "by_name", "at"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeDecision {
    pub meeting_id: CommitteeMeetingId,
    pub meeting_on: Date,
    pub plan_start: Date,
    pub coordinator: Named<UserId>,
    pub areas: Vec<Named<AreaId>>,
    pub note: Note,
    /// Who recorded it.
    pub by: UserId,
    pub by_name: String,
    pub at: Timestamp,
}

/// A proposal with what became of it. JSON: `{"id", "citizen_id",
/// "citizen_name", "proposed_by", "proposed_by_name", "proposed_at",
/// "reason", "screening": {...}|null, "decision": {...}|null,
/// "seen_stage": "awaiting_lead"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub id: ReferralId,
    pub citizen_id: CitizenId,
    pub citizen_name: String,
    pub proposed_by: UserId,
    pub proposed_by_name: String,
    pub proposed_at: Timestamp,
    pub reason: ReferralReason,
    pub screening: Option<ScreeningRecord>,
    pub decision: Option<CommitteeDecision>,
    /// The last stage the proposer has seen.
    pub seen_stage: Stage,
}

impl Referral {
    /// Where the proposal is.
    pub fn stage(&self) -> Stage {
        match (&self.screening, &self.decision) {
            (_, Some(_)) => Stage::Decided,
            (None, None) => Stage::AwaitingLead,
            (Some(s), None) if s.decision == Screening::NotRefer => Stage::NotReferred,
            (Some(_), None) => Stage::AwaitingCommittee,
        }
    }

    /// Whether it still waits for a lead or the committee (a citizen has
    /// at most one such).
    pub fn is_open(&self) -> bool {
        matches!(self.stage(), Stage::AwaitingLead | Stage::AwaitingCommittee)
    }

    /// Whether the proposer has an outcome they have not seen: a lead's
    /// decision or the committee's (issue 16: "the proposer is told the
    /// outcome").
    pub fn news_for_proposer(&self) -> bool {
        self.stage() != Stage::AwaitingLead && self.stage() != self.seen_stage
    }

    /// The latest step in one line: "Henvist til udvalget af Henrik Dahl
    /// 03.12.2026: <reason>", "Udvalget 10.12.2026: planen starter
    /// 04.01.2027; koordinerende sagsbehandler Karina Mikkelsen; områder:
    /// …", or "Foreslået af Anne Kjær 03.12.2026".
    pub fn latest(&self, lang: Lang) -> String {
        if let Some(d) = &self.decision {
            let areas = d.areas.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ");
            return match lang {
                Lang::Da => format!(
                    "Udvalget {}: planen starter {}; koordinerende sagsbehandler {}; områder: {}",
                    d.meeting_on.format(lang),
                    d.plan_start.format(lang),
                    d.coordinator.name,
                    areas
                ),
                Lang::En => format!(
                    "The committee {}: the plan starts {}; coordinating case worker {}; areas: {}",
                    d.meeting_on.format(lang),
                    d.plan_start.format(lang),
                    d.coordinator.name,
                    areas
                ),
            };
        }
        if let Some(s) = &self.screening {
            let by = match lang {
                Lang::Da => format!("af {} {}", s.by_name, s.at.local_date().format(lang)),
                Lang::En => format!("by {} on {}", s.by_name, s.at.local_date().format(lang)),
            };
            return format!("{} {by}: {}", s.decision.label().get(lang), s.reason);
        }
        match lang {
            Lang::Da => {
                format!("Foreslået af {} {}", self.proposed_by_name, self.proposed_at.local_date().format(lang))
            }
            Lang::En => {
                format!("Proposed by {} on {}", self.proposed_by_name, self.proposed_at.local_date().format(lang))
            }
        }
    }
}

/// `GET /api/committee` (leads and administrators): the meetings (from a
/// month back), every open proposal and those closed in the last 90 days,
/// and the choices a decision needs. JSON: `{"meetings": [...],
/// "referrals": [...], "coordinators": [{"id", "name"}], "areas": [{"id",
/// "name"}], "generated_at"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeResponse {
    pub meetings: Vec<CommitteeMeeting>,
    pub referrals: Vec<Referral>,
    /// Active users with the coordinator role, by name.
    pub coordinators: Vec<Named<UserId>>,
    pub areas: Vec<Named<AreaId>>,
    pub generated_at: Timestamp,
}

impl CommitteeResponse {
    /// Proposals waiting for a lead, oldest first.
    pub fn awaiting_lead(&self) -> Vec<&Referral> {
        let mut found: Vec<_> = self.referrals.iter().filter(|r| r.stage() == Stage::AwaitingLead).collect();
        found.sort_by_key(|r| r.proposed_at);
        found
    }

    /// The next meeting's agenda: every referred citizen the committee has
    /// not decided on, in the order they were referred (a case not reached
    /// at one meeting stays on the next).
    pub fn agenda(&self) -> Vec<&Referral> {
        let mut found: Vec<_> = self.referrals.iter().filter(|r| r.stage() == Stage::AwaitingCommittee).collect();
        found.sort_by_key(|r| r.screening.as_ref().map(|s| s.at));
        found
    }

    /// Proposals closed (not referred, or decided), newest first.
    pub fn closed(&self) -> Vec<&Referral> {
        let mut found: Vec<_> = self.referrals.iter().filter(|r| !r.is_open()).collect();
        found.sort_by_key(|r| std::cmp::Reverse(closed_at(r)));
        found
    }
}

fn closed_at(r: &Referral) -> Option<Timestamp> {
    r.decision.as_ref().map(|d| d.at).or_else(|| r.screening.as_ref().map(|s| s.at))
}

/// `GET /api/referrals?citizen={id}` (who may see the citizen) or `GET
/// /api/referrals?mine=1` (the proposer's own): the proposals, newest
/// first, and the committee's next meeting. JSON: `{"referrals": [...],
/// "next_meeting": {...}|null, "may_propose": true}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralsResponse {
    pub referrals: Vec<Referral>,
    pub next_meeting: Option<CommitteeMeeting>,
    /// Whether the user may propose the citizen (a citizen's list only).
    pub may_propose: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{date, id};

    fn referral(screening: Option<Screening>, decided: bool, seen: Stage) -> Referral {
        let at = Timestamp::from_local(date("2026-12-01"), 600);
        Referral {
            id: id(1),
            citizen_id: id(2),
            citizen_name: "Birthe Christensen".into(),
            proposed_by: id(3),
            proposed_by_name: "Anne Kjær".into(),
            proposed_at: at,
            reason: ReferralReason::try_from("Hjælp fra tre områder").expect("reason"),
            screening: screening.map(|decision| ScreeningRecord {
                decision,
                reason: ReferralReason::try_from("Kompleks").expect("reason"),
                by: id(4),
                by_name: "Henrik Dahl".into(),
                at,
            }),
            decision: decided.then(|| CommitteeDecision {
                meeting_id: id(5),
                meeting_on: date("2026-12-10"),
                plan_start: date("2027-01-04"),
                coordinator: Named { id: id(6), name: "Karina Mikkelsen".into() },
                areas: vec![Named { id: id(7), name: "Socialområdet".into() }],
                note: Note::empty(),
                by: id(4),
                by_name: "Henrik Dahl".into(),
                at,
            }),
            seen_stage: seen,
        }
    }

    #[test]
    fn a_proposal_moves_through_its_stages_and_the_proposer_hears_each_outcome() {
        use Stage::*;
        let table = [
            (None, false, AwaitingLead, AwaitingLead, true, false),
            (Some(Screening::NotRefer), false, AwaitingLead, NotReferred, false, true),
            (Some(Screening::NotRefer), false, NotReferred, NotReferred, false, false),
            (Some(Screening::Refer), false, AwaitingLead, AwaitingCommittee, true, true),
            (Some(Screening::Refer), false, AwaitingCommittee, AwaitingCommittee, true, false),
            (Some(Screening::Refer), true, AwaitingCommittee, Decided, false, true),
            (Some(Screening::Refer), true, Decided, Decided, false, false),
        ];
        for (screening, decided, seen, stage, open, news) in table {
            let r = referral(screening, decided, seen);
            assert_eq!(
                (r.stage(), r.is_open(), r.news_for_proposer()),
                (stage, open, news),
                "{screening:?} {decided} {seen:?}"
            );
        }
        let decided = referral(Some(Screening::Refer), true, Stage::Decided);
        assert_eq!(
            decided.latest(Lang::Da),
            "Udvalget 10.12.2026: planen starter 04.01.2027; koordinerende sagsbehandler Karina Mikkelsen; områder: Socialområdet"
        );
        assert_eq!(
            referral(Some(Screening::NotRefer), false, Stage::AwaitingLead).latest(Lang::Da),
            "Ikke henvist af Henrik Dahl 01.12.2026: Kompleks"
        );
    }

    #[test]
    fn meeting_days_and_decisions_are_checked() {
        let today = date("2026-12-03");
        assert!(CommitteeMeetingInput { on: today }.check(today).is_ok());
        assert_eq!(
            CommitteeMeetingInput { on: date("2026-12-02") }.check(today).expect_err("past").problem,
            Problem::InPast
        );
        assert_eq!(
            CommitteeMeetingInput { on: date("2027-12-04") }.check(today).expect_err("far").problem,
            Problem::TooFarAhead { year: 2027, month: 12, day: 3 }
        );
        let good = CommitteeDecisionInput {
            meeting_id: id(1),
            plan_start: date("2027-01-04"),
            coordinator_id: id(2),
            areas: vec![id(3), id(4)],
            note: Note::empty(),
        };
        assert!(good.check(date("2026-12-10")).is_ok());
        let none = CommitteeDecisionInput { areas: vec![], plan_start: date("2028-01-01"), ..good.clone() };
        let errors = none.check(date("2026-12-10")).expect_err("two problems");
        let found: Vec<_> = errors.iter().map(|e| (e.field.as_ref(), e.problem.code())).collect();
        assert_eq!(found, [("areas", "none_chosen"), ("plan_start", "too_far_ahead")]);
        let twice = CommitteeDecisionInput { areas: vec![id(3), id(3)], plan_start: date("2025-12-09"), ..good };
        let errors = twice.check(date("2026-12-10")).expect_err("two problems");
        let found: Vec<_> = errors.iter().map(|e| (e.field.as_ref(), e.problem.code())).collect();
        assert_eq!(found, [("areas", "unknown_value"), ("plan_start", "too_far_back")]);
    }

    #[test]
    fn committee_golden() {
        let decided = referral(Some(Screening::Refer), true, Stage::AwaitingCommittee);
        let response = CommitteeResponse {
            meetings: vec![CommitteeMeeting { id: id(5), on: date("2026-12-10") }],
            referrals: vec![decided.clone()],
            coordinators: vec![Named { id: id(6), name: "Karina Mikkelsen".into() }],
            areas: vec![Named { id: id(7), name: "Socialområdet".into() }],
            generated_at: Timestamp::from_local(date("2026-12-03"), 600),
        };
        expect_test::expect![[r#"
            {
              "meetings": [
                {
                  "id": "00000000-0000-0000-0000-000000000005",
                  "on": "2026-12-10"
                }
              ],
              "referrals": [
                {
                  "id": "00000000-0000-0000-0000-000000000001",
                  "citizen_id": "00000000-0000-0000-0000-000000000002",
                  "citizen_name": "Birthe Christensen",
                  "proposed_by": "00000000-0000-0000-0000-000000000003",
                  "proposed_by_name": "Anne Kjær",
                  "proposed_at": "2026-12-01T09:00:00.000Z",
                  "reason": "Hjælp fra tre områder",
                  "screening": {
                    "decision": "refer",
                    "reason": "Kompleks",
                    "by": "00000000-0000-0000-0000-000000000004",
                    "by_name": "Henrik Dahl",
                    "at": "2026-12-01T09:00:00.000Z"
                  },
                  "decision": {
                    "meeting_id": "00000000-0000-0000-0000-000000000005",
                    "meeting_on": "2026-12-10",
                    "plan_start": "2027-01-04",
                    "coordinator": {
                      "id": "00000000-0000-0000-0000-000000000006",
                      "name": "Karina Mikkelsen"
                    },
                    "areas": [
                      {
                        "id": "00000000-0000-0000-0000-000000000007",
                        "name": "Socialområdet"
                      }
                    ],
                    "note": "",
                    "by": "00000000-0000-0000-0000-000000000004",
                    "by_name": "Henrik Dahl",
                    "at": "2026-12-01T09:00:00.000Z"
                  },
                  "seen_stage": "awaiting_committee"
                }
              ],
              "coordinators": [
                {
                  "id": "00000000-0000-0000-0000-000000000006",
                  "name": "Karina Mikkelsen"
                }
              ],
              "areas": [
                {
                  "id": "00000000-0000-0000-0000-000000000007",
                  "name": "Socialområdet"
                }
              ],
              "generated_at": "2026-12-03T09:00:00.000Z"
            }"#]]
        .assert_eq(&serde_json::to_string_pretty(&response).expect("json"));
        let inputs = serde_json::json!({
            "proposal": ReferralInput { citizen_id: id(2), reason: ReferralReason::try_from("Tre områder").expect("reason") },
            "screening": ScreeningInput { decision: Screening::NotRefer, reason: ReferralReason::try_from("Ét område").expect("reason") },
            "meeting": CommitteeMeetingInput { on: date("2026-12-10") },
            "decision": CommitteeDecisionInput {
                meeting_id: id(5),
                plan_start: date("2027-01-04"),
                coordinator_id: id(6),
                areas: vec![id(7)],
                note: Note::empty(),
            },
            "list": ReferralsResponse { referrals: vec![], next_meeting: None, may_propose: true },
        });
        expect_test::expect![[r#"
            {
              "decision": {
                "areas": [
                  "00000000-0000-0000-0000-000000000007"
                ],
                "coordinator_id": "00000000-0000-0000-0000-000000000006",
                "meeting_id": "00000000-0000-0000-0000-000000000005",
                "note": "",
                "plan_start": "2027-01-04"
              },
              "list": {
                "may_propose": true,
                "next_meeting": null,
                "referrals": []
              },
              "meeting": {
                "on": "2026-12-10"
              },
              "proposal": {
                "citizen_id": "00000000-0000-0000-0000-000000000002",
                "reason": "Tre områder"
              },
              "screening": {
                "decision": "not_refer",
                "reason": "Ét område"
              }
            }"#]]
        .assert_eq(&serde_json::to_string_pretty(&inputs).expect("json"));
    }

    #[test]
    fn the_next_meeting_is_the_first_from_today() {
        let m = |n, on| CommitteeMeeting { id: id(n), on: date(on) };
        let meetings = [m(1, "2026-12-17"), m(2, "2026-11-26"), m(3, "2026-12-03"), m(4, "2027-01-14")];
        assert_eq!(next_meeting(&meetings, date("2026-12-03")).map(|m| m.on), Some(date("2026-12-03")));
        assert_eq!(next_meeting(&meetings, date("2026-12-04")).map(|m| m.on), Some(date("2026-12-17")));
        assert_eq!(next_meeting(&meetings, date("2027-01-15")), None);
    }
}
