//! The lead's view: a team's month (usage, workload, approval) and the
//! monthly statement per payer area. The server computes these with the
//! arithmetic in [`crate::usage`]; the phone shows them and keeps the last
//! one for reading offline.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::{AreaSummary, TeamSummary};
use crate::drawing_right::DrawingRight;
use crate::grant::{Grant, Service};
use crate::id::{CitizenId, TeamId, UserId, VisitId};
use crate::minutes::{Minutes, ShownHours};
use crate::text::{Note, OrgName, PersonName};
use crate::time::{Month, Timestamp};
use crate::usage::{CaseloadNorms, GrantUsage, PoolUsage, WorkerLoad};
use crate::visit::{ChargeTo, VisitKind};

/// `GET /api/reports/team?team=…&month=YYYY-MM`: a team's month for its
/// lead. JSON: `{"team": {...}, "month": "2026-10", "generated_at": ...,
/// "approval": {...}, "grants": [...], "pools": [...], "workers": [...],
/// "caseloads": [...], "norms": {...}, "unattributed": [...], "names":
/// {"<uuid>": "Mette Holm", ...}}`. All figures are integer minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamReport {
    /// The team reported on.
    pub team: TeamSummary,
    /// The month reported on (Copenhagen calendar).
    pub month: Month,
    /// When the server computed it.
    pub generated_at: Timestamp,
    /// Whether the month is approved, and who may approve or reopen it.
    pub approval: ApprovalState,
    /// Every grant of the team's citizens valid in the month, by citizen.
    pub grants: Vec<GrantLine>,
    /// The drawing rights the team delivers on, or its area holds.
    pub pools: Vec<PoolLine>,
    /// The team's members who logged or could log visits, by name.
    pub workers: Vec<WorkerLine>,
    /// The team's coordinating case workers.
    pub caseloads: Vec<CaseloadLine>,
    /// The caseload norms (seed 002) the `caseloads` lines are measured
    /// against.
    pub norms: CaseloadNorms,
    /// Visits by the team in the month charged to nothing: flagged for the
    /// lead, never dropped.
    pub unattributed: Vec<VisitLine>,
    /// Decision notices sent to the team's area, or telling of decisions
    /// its members made, still unread after
    /// [`crate::notice::READ_WITHIN_WORKING_DAYS`] working days (issue 16),
    /// oldest first; their recipients are in `names`. Absent from older
    /// answers (a phone's cached copy).
    #[serde(default)]
    pub late_notices: Vec<crate::notice::DecisionNotice>,
    /// The team's citizens of the month with a plan whose next
    /// cross-disciplinary meeting is overdue, never planned or gone by
    /// unrecorded (issue 16), by name; absent from older answers.
    #[serde(default)]
    pub meetings_due: Vec<MeetingDueLine>,
    /// Names of the citizens and workers the report mentions by id.
    pub names: BTreeMap<Uuid, PersonName>,
}

/// A citizen whose next meeting asks for action. JSON: `{"citizen_id",
/// "next": {"state": "overdue", "last": ..., "due": ...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDueLine {
    pub citizen_id: CitizenId,
    pub next: crate::meeting::NextMeeting,
}

impl TeamReport {
    /// The name the report gives a citizen or worker id, or `"?"`.
    pub fn name_of(&self, id: &Uuid) -> &str {
        self.names.get(id).map_or("?", |n| n.as_str())
    }
}

/// One grant in a [`TeamReport`], with its usage over the report's month
/// (allowance prorated by day, [`crate::usage::grant_usage_between`]).
/// JSON: `{"citizen_id": ..., "grant": {...}, "charged_to": {"type":
/// "drawing_right", "id": ...}, "usage": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantLine {
    pub citizen_id: CitizenId,
    pub grant: Grant,
    /// What the team's visits under the grant are charged to (the grant, or
    /// the drawing right it is drawn on).
    pub charged_to: ChargeTo,
    /// Granted and delivered minutes over the month.
    pub usage: GrantUsage,
}

/// One drawing right in a [`TeamReport`] (seed 000), with its names and
/// its usage in the period containing the report's "as of" day (the
/// month's last day, or today while the month runs). JSON: `{"pool": {...},
/// "owner_area": "Beskæftigelsesområdet", "provider_team":
/// "Bostøtteteamet", "usage": {...}, "daily": [60, 540]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolLine {
    pub pool: DrawingRight,
    /// The name of the area that holds (and pays for) the pool.
    pub owner_area: OrgName,
    /// The name of the team whose staff deliver the hours.
    pub provider_team: OrgName,
    /// The pool's figures for that period.
    pub usage: PoolUsage,
    /// Cumulative minutes used by the end of each day of the pool's period.
    pub daily: Vec<Minutes>,
}

/// One worker or mentor in a [`TeamReport`]: their month's load and how
/// many citizens they have. JSON: `{"load": {...}, "citizens": 9}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerLine {
    /// Visits, no-shows and minutes logged in the month.
    pub load: WorkerLoad,
    /// Citizens assigned to the worker on the month's last day (or today).
    pub citizens: u32,
}

/// One coordinating case worker's caseload against the norm of the team's
/// area (DOMAIN.md, seed 002). JSON: `{"user_id": ..., "cases": 64,
/// "norm": 60}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseloadLine {
    pub user_id: UserId,
    /// Citizens the user is the coordinating case worker of.
    pub cases: u32,
    /// The norm for the area ([`CaseloadNorms::for_area`]).
    pub norm: u32,
}

impl CaseloadLine {
    /// Whether the caseload is above the norm (equal is not over).
    pub fn over_norm(&self) -> bool {
        self.cases > self.norm
    }
}

/// A visit as a report lists it. JSON: `{"id": ..., "citizen_id": ...,
/// "worker_id": ..., "kind": "escort", "started_at": ..., "minutes": 45}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitLine {
    pub id: VisitId,
    pub citizen_id: CitizenId,
    pub worker_id: UserId,
    pub kind: VisitKind,
    pub started_at: Timestamp,
    /// The minutes the visit counts for (correction, else duration).
    pub minutes: Minutes,
}

/// Where a team's month stands. JSON: `{"approved": {"by": ..., "at":
/// ...}, "submitted": 0, "approved_visits": 12, "history": [...],
/// "can_approve": false, "can_reopen": true}` (`approved` may be `null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalState {
    /// Set while the month is approved (locked).
    pub approved: Option<ApprovalMark>,
    /// Submitted visits in the month, not yet approved.
    pub submitted: u32,
    /// Approved visits in the month.
    pub approved_visits: u32,
    /// Approvals and reopenings, oldest first.
    pub history: Vec<ApprovalEvent>,
    /// Whether the asker (the team's lead or an admin) may approve now: the
    /// month has ended and is not approved, or has visits submitted since.
    pub can_approve: bool,
    /// Whether the asker may reopen it: an admin, when it is approved.
    pub can_reopen: bool,
}

/// Who approved a month, and when. JSON: `{"by": "Henrik Dahl", "at":
/// "2026-11-01T11:30:00.000Z"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalMark {
    pub by: PersonName,
    pub at: Timestamp,
}

/// What an [`ApprovalEvent`] did. JSON: `"approve"` or `"reopen"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalAction {
    /// The month was approved: its submitted visits became approved.
    Approve,
    /// The month was reopened: its approved visits became submitted again.
    Reopen,
}

/// One approval or reopening of a month. JSON: `{"action": "approve",
/// "by": "Henrik Dahl", "at": ..., "reason": null, "visits": 12}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalEvent {
    pub action: ApprovalAction,
    pub by: PersonName,
    pub at: Timestamp,
    /// The reason given for a reopening; `None` for an approval.
    pub reason: Option<Note>,
    /// Visits approved, or returned to submitted.
    pub visits: u32,
}

/// `POST /api/approvals`: approve a team's month. JSON:
/// `{"team_id": ..., "month": "2026-10"}`. The server refuses a month that
/// has not ended (`month` `in_future`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApproveRequest {
    pub team_id: TeamId,
    pub month: Month,
}

/// `POST /api/approvals/reopen` (admin): reopen an approved month. JSON:
/// `{"team_id": ..., "month": "2026-10", "reason": "Forkert team"}`; the
/// server refuses a blank reason (`reason` `required`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReopenRequest {
    pub team_id: TeamId,
    pub month: Month,
    /// Why the month is reopened; the server requires one.
    pub reason: Note,
}

/// `GET /api/teams`: the teams a user may report on (a lead's own, every
/// team for an admin) and the areas (for statements and grant forms).
/// JSON: `{"teams": [...], "areas": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgResponse {
    pub teams: Vec<TeamSummary>,
    pub areas: Vec<AreaSummary>,
}

/// `GET /api/statements?area=…&month=YYYY-MM` (and `.csv`): what a payer
/// area owes for a month, per citizen and service. Minutes throughout;
/// JSON: `{"area": {...}, "month": "2026-10", "generated_at": ..., "teams":
/// [...], "approved": true, "lines": [...], "total": 540}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// The paying area.
    pub area: AreaSummary,
    pub month: Month,
    pub generated_at: Timestamp,
    /// The teams whose deliveries are included (a lead sees their own).
    pub teams: Vec<TeamSummary>,
    /// Whether every included team's month is approved (as the server
    /// computes it: every counted visit on the statement is approved, and
    /// there is at least one).
    pub approved: bool,
    /// One line per citizen, service and what the minutes were charged to.
    pub lines: Vec<StatementLine>,
    /// The lines' minutes, summed exactly.
    pub total: Minutes,
}

impl Statement {
    /// The total in hours as shown under the lines: the sum of the lines'
    /// shown hours (see [`ShownHours`]), so the hour column adds up on the
    /// page, in print and in the CSV. It can differ from `total` in hours by
    /// the lines' rounding (issue 12, kind 8).
    pub fn hours_total(&self) -> ShownHours {
        ShownHours::total(self.lines.iter().map(|l| l.minutes))
    }
}

/// One line of a [`Statement`]: a citizen's minutes of one service, by
/// what they were charged to. JSON: `{"citizen_id": ..., "citizen_name":
/// "Mette Holm", "birth_year": 1988, "service": "housing_support",
/// "charged_to": "Trækningsret på bostøtte", "via_drawing_right": true,
/// "visits": 12, "minutes": 540}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub citizen_id: CitizenId,
    pub citizen_name: PersonName,
    /// The citizen's year of birth.
    pub birth_year: i32,
    pub service: Service,
    /// The grant's legal basis, or the drawing right's name.
    pub charged_to: String,
    /// Whether the minutes were drawn on a drawing right (seed 000) rather
    /// than charged to a grant.
    pub via_drawing_right: bool,
    /// Visits counted.
    pub visits: u32,
    /// Their counted minutes (corrections applied; travel excluded).
    pub minutes: Minutes,
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::area::AreaKind;
    use crate::drawing_right::Rollover;
    use crate::grant::{Allowance, AllowanceUnit};
    use crate::id::{AreaId, DrawingRightId, GrantId};
    use crate::text::LegalBasis;
    use crate::time::{DateRange, PeriodKind};
    use crate::usage::Share;

    fn uuid(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn date(s: &str) -> crate::Date {
        s.parse().expect("date")
    }

    fn team() -> TeamSummary {
        TeamSummary {
            id: TeamId::from_uuid(uuid(3)),
            name: OrgName::try_from("Bostøtteteamet").expect("valid"),
            area: AreaSummary {
                id: AreaId::from_uuid(uuid(1)),
                name: OrgName::try_from("Socialområdet").expect("valid"),
                kind: AreaKind::Social,
            },
            consultant_team: false,
        }
    }

    fn grant() -> Grant {
        Grant {
            id: GrantId::from_uuid(uuid(5)),
            citizen_id: CitizenId::from_uuid(uuid(4)),
            service: Service::HousingSupport,
            legal_basis: LegalBasis::try_from("SEL § 85").expect("valid"),
            allowance: Allowance::new(Minutes::new(150), AllowanceUnit::Week).expect("valid"),
            period: DateRange::new(date("2026-01-01"), Some(date("2026-12-31"))).expect("valid"),
            payer_area_id: AreaId::from_uuid(uuid(2)),
            offer_id: None,
        }
    }

    fn pool() -> DrawingRight {
        DrawingRight {
            id: DrawingRightId::from_uuid(uuid(6)),
            name: OrgName::try_from("Trækningsret på bostøtte").expect("valid"),
            owner_area_id: AreaId::from_uuid(uuid(2)),
            provider_team_id: TeamId::from_uuid(uuid(3)),
            minutes_per_period: Minutes::new(6000),
            period_kind: PeriodKind::Month,
            rollover: Rollover::CarryOverruns,
            valid: DateRange::new(date("2026-01-01"), None).expect("valid"),
        }
    }

    fn json<T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) -> String {
        let text = serde_json::to_string_pretty(value).expect("json");
        assert_eq!(&serde_json::from_str::<T>(&text).expect("reads back"), value, "round trip");
        text
    }

    #[test]
    fn grant_and_drawing_right_golden() {
        expect![[r#"
            {
              "id": "00000000-0000-0000-0000-000000000005",
              "citizen_id": "00000000-0000-0000-0000-000000000004",
              "service": "housing_support",
              "legal_basis": "SEL § 85",
              "allowance": {
                "minutes": 150,
                "per": "week"
              },
              "period": {
                "from": "2026-01-01",
                "to": "2026-12-31"
              },
              "payer_area_id": "00000000-0000-0000-0000-000000000002"
            }"#]]
        .assert_eq(&json(&grant()));
        expect![[r#"
            {
              "id": "00000000-0000-0000-0000-000000000006",
              "name": "Trækningsret på bostøtte",
              "owner_area_id": "00000000-0000-0000-0000-000000000002",
              "provider_team_id": "00000000-0000-0000-0000-000000000003",
              "minutes_per_period": 6000,
              "period_kind": "month",
              "rollover": "carry_overruns",
              "valid": {
                "from": "2026-01-01",
                "to": null
              }
            }"#]]
        .assert_eq(&json(&pool()));
        expect![[r#"
            {
              "employment": 35,
              "social": 60,
              "children_youth": 30
            }"#]]
        .assert_eq(&json(&CaseloadNorms::default()));
    }

    #[test]
    fn approval_requests_golden() {
        let month = Month::new(2026, 10).expect("valid");
        expect![[r#"
            {
              "team_id": "00000000-0000-0000-0000-000000000003",
              "month": "2026-10"
            }"#]]
        .assert_eq(&json(&ApproveRequest { team_id: team().id, month }));
        let reopen =
            ReopenRequest { team_id: team().id, month, reason: Note::try_from("Forkert team").expect("valid") };
        expect![[r#"
            {
              "team_id": "00000000-0000-0000-0000-000000000003",
              "month": "2026-10",
              "reason": "Forkert team"
            }"#]]
        .assert_eq(&json(&reopen));
    }

    #[test]
    fn team_report_golden() {
        let worker = UserId::from_uuid(uuid(7));
        let citizen = CitizenId::from_uuid(uuid(4));
        let report = TeamReport {
            team: team(),
            month: Month::new(2026, 10).expect("valid"),
            generated_at: Timestamp::from_millis(1_793_610_000_000),
            approval: ApprovalState {
                approved: Some(ApprovalMark {
                    by: PersonName::try_from("Henrik Dahl").expect("valid"),
                    at: Timestamp::from_millis(1_793_532_600_000),
                }),
                submitted: 0,
                approved_visits: 12,
                history: vec![ApprovalEvent {
                    action: ApprovalAction::Approve,
                    by: PersonName::try_from("Henrik Dahl").expect("valid"),
                    at: Timestamp::from_millis(1_793_532_600_000),
                    reason: None,
                    visits: 12,
                }],
                can_approve: false,
                can_reopen: true,
            },
            grants: vec![GrantLine {
                citizen_id: citizen,
                grant: grant(),
                charged_to: ChargeTo::DrawingRight(pool().id),
                usage: GrantUsage {
                    first_day: date("2026-10-01"),
                    last_day: date("2026-10-31"),
                    granted: Minutes::new(664),
                    delivered: Minutes::new(540),
                },
            }],
            pools: vec![PoolLine {
                pool: pool(),
                owner_area: OrgName::try_from("Beskæftigelsesområdet").expect("valid"),
                provider_team: team().name,
                usage: PoolUsage {
                    first_day: date("2026-10-01"),
                    last_day: date("2026-10-31"),
                    allowance: Minutes::new(6000),
                    carried_in: -90,
                    used: Minutes::new(540),
                    by_citizen: vec![Share { id: citizen, minutes: Minutes::new(540) }],
                    by_worker: vec![Share { id: worker, minutes: Minutes::new(540) }],
                    forecast: Minutes::new(540),
                    overdrawn_by: vec![],
                },
                daily: vec![Minutes::new(60), Minutes::new(540)],
            }],
            workers: vec![WorkerLine {
                load: WorkerLoad {
                    worker_id: worker,
                    visits: 12,
                    no_shows: 1,
                    face_to_face: Minutes::new(480),
                    other: Minutes::new(60),
                    travel: Minutes::new(120),
                },
                citizens: 9,
            }],
            caseloads: vec![CaseloadLine { user_id: UserId::from_uuid(uuid(8)), cases: 64, norm: 60 }],
            norms: CaseloadNorms::default(),
            unattributed: vec![VisitLine {
                id: VisitId::from_uuid(uuid(9)),
                citizen_id: citizen,
                worker_id: worker,
                kind: VisitKind::Escort,
                started_at: Timestamp::from_millis(1_791_962_100_000),
                minutes: Minutes::new(45),
            }],
            late_notices: Vec::new(),
            meetings_due: Vec::new(),
            names: BTreeMap::from([
                (*citizen.as_uuid(), PersonName::try_from("Mette Holm").expect("valid")),
                (*worker.as_uuid(), PersonName::try_from("Anne Worker").expect("valid")),
            ]),
        };
        expect![[r#"
            {
              "team": {
                "id": "00000000-0000-0000-0000-000000000003",
                "name": "Bostøtteteamet",
                "area": {
                  "id": "00000000-0000-0000-0000-000000000001",
                  "name": "Socialområdet",
                  "kind": "social"
                }
              },
              "month": "2026-10",
              "generated_at": "2026-11-02T09:00:00.000Z",
              "approval": {
                "approved": {
                  "by": "Henrik Dahl",
                  "at": "2026-11-01T11:30:00.000Z"
                },
                "submitted": 0,
                "approved_visits": 12,
                "history": [
                  {
                    "action": "approve",
                    "by": "Henrik Dahl",
                    "at": "2026-11-01T11:30:00.000Z",
                    "reason": null,
                    "visits": 12
                  }
                ],
                "can_approve": false,
                "can_reopen": true
              },
              "grants": [
                {
                  "citizen_id": "00000000-0000-0000-0000-000000000004",
                  "grant": {
                    "id": "00000000-0000-0000-0000-000000000005",
                    "citizen_id": "00000000-0000-0000-0000-000000000004",
                    "service": "housing_support",
                    "legal_basis": "SEL § 85",
                    "allowance": {
                      "minutes": 150,
                      "per": "week"
                    },
                    "period": {
                      "from": "2026-01-01",
                      "to": "2026-12-31"
                    },
                    "payer_area_id": "00000000-0000-0000-0000-000000000002"
                  },
                  "charged_to": {
                    "type": "drawing_right",
                    "id": "00000000-0000-0000-0000-000000000006"
                  },
                  "usage": {
                    "first_day": "2026-10-01",
                    "last_day": "2026-10-31",
                    "granted": 664,
                    "delivered": 540
                  }
                }
              ],
              "pools": [
                {
                  "pool": {
                    "id": "00000000-0000-0000-0000-000000000006",
                    "name": "Trækningsret på bostøtte",
                    "owner_area_id": "00000000-0000-0000-0000-000000000002",
                    "provider_team_id": "00000000-0000-0000-0000-000000000003",
                    "minutes_per_period": 6000,
                    "period_kind": "month",
                    "rollover": "carry_overruns",
                    "valid": {
                      "from": "2026-01-01",
                      "to": null
                    }
                  },
                  "owner_area": "Beskæftigelsesområdet",
                  "provider_team": "Bostøtteteamet",
                  "usage": {
                    "first_day": "2026-10-01",
                    "last_day": "2026-10-31",
                    "allowance": 6000,
                    "carried_in": -90,
                    "used": 540,
                    "by_citizen": [
                      {
                        "id": "00000000-0000-0000-0000-000000000004",
                        "minutes": 540
                      }
                    ],
                    "by_worker": [
                      {
                        "id": "00000000-0000-0000-0000-000000000007",
                        "minutes": 540
                      }
                    ],
                    "forecast": 540,
                    "overdrawn_by": []
                  },
                  "daily": [
                    60,
                    540
                  ]
                }
              ],
              "workers": [
                {
                  "load": {
                    "worker_id": "00000000-0000-0000-0000-000000000007",
                    "visits": 12,
                    "no_shows": 1,
                    "face_to_face": 480,
                    "other": 60,
                    "travel": 120
                  },
                  "citizens": 9
                }
              ],
              "caseloads": [
                {
                  "user_id": "00000000-0000-0000-0000-000000000008",
                  "cases": 64,
                  "norm": 60
                }
              ],
              "norms": {
                "employment": 35,
                "social": 60,
                "children_youth": 30
              },
              "unattributed": [
                {
                  "id": "00000000-0000-0000-0000-000000000009",
                  "citizen_id": "00000000-0000-0000-0000-000000000004",
                  "worker_id": "00000000-0000-0000-0000-000000000007",
                  "kind": "escort",
                  "started_at": "2026-10-14T07:15:00.000Z",
                  "minutes": 45
                }
              ],
              "late_notices": [],
              "meetings_due": [],
              "names": {
                "00000000-0000-0000-0000-000000000004": "Mette Holm",
                "00000000-0000-0000-0000-000000000007": "Anne Worker"
              }
            }"#]]
        .assert_eq(&json(&report));
    }

    #[test]
    fn statement_golden() {
        let statement = Statement {
            area: AreaSummary {
                id: AreaId::from_uuid(uuid(2)),
                name: OrgName::try_from("Beskæftigelsesområdet").expect("valid"),
                kind: AreaKind::Employment,
            },
            month: Month::new(2026, 10).expect("valid"),
            generated_at: Timestamp::from_millis(1_793_610_000_000),
            teams: vec![team()],
            approved: true,
            lines: vec![StatementLine {
                citizen_id: CitizenId::from_uuid(uuid(4)),
                citizen_name: PersonName::try_from("Mette Holm").expect("valid"),
                birth_year: 1988,
                service: Service::HousingSupport,
                charged_to: "Trækningsret på bostøtte".into(),
                via_drawing_right: true,
                visits: 12,
                minutes: Minutes::new(540),
            }],
            total: Minutes::new(540),
        };
        expect![[r#"
            {
              "area": {
                "id": "00000000-0000-0000-0000-000000000002",
                "name": "Beskæftigelsesområdet",
                "kind": "employment"
              },
              "month": "2026-10",
              "generated_at": "2026-11-02T09:00:00.000Z",
              "teams": [
                {
                  "id": "00000000-0000-0000-0000-000000000003",
                  "name": "Bostøtteteamet",
                  "area": {
                    "id": "00000000-0000-0000-0000-000000000001",
                    "name": "Socialområdet",
                    "kind": "social"
                  }
                }
              ],
              "approved": true,
              "lines": [
                {
                  "citizen_id": "00000000-0000-0000-0000-000000000004",
                  "citizen_name": "Mette Holm",
                  "birth_year": 1988,
                  "service": "housing_support",
                  "charged_to": "Trækningsret på bostøtte",
                  "via_drawing_right": true,
                  "visits": 12,
                  "minutes": 540
                }
              ],
              "total": 540
            }"#]]
        .assert_eq(&json(&statement));
    }

    #[test]
    fn requests_name_the_bad_field() {
        let err = serde_json::from_str::<ApproveRequest>(
            r#"{"team_id":"0192f0c1-0000-7000-8000-000000000001","month":"2026-13"}"#,
        )
        .expect_err("bad month");
        assert!(err.to_string().contains("Month"), "{err}");
        let ok: ReopenRequest = serde_json::from_str(
            r#"{"team_id":"0192f0c1-0000-7000-8000-000000000001","month":"2026-11","reason":"Fejl i timer"}"#,
        )
        .expect("valid");
        assert_eq!(ok.month.to_string(), "2026-11");
    }
}
