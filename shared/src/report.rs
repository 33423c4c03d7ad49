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
use crate::minutes::Minutes;
use crate::text::{Note, OrgName, PersonName};
use crate::time::{Month, Timestamp};
use crate::usage::{CaseloadNorms, GrantUsage, PoolUsage, WorkerLoad};
use crate::visit::{ChargeTo, VisitKind};

/// `GET /api/reports/team?team=…&month=YYYY-MM`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamReport {
    pub team: TeamSummary,
    pub month: Month,
    pub generated_at: Timestamp,
    pub approval: ApprovalState,
    /// Every grant of the team's citizens valid in the month, by citizen.
    pub grants: Vec<GrantLine>,
    /// The drawing rights the team delivers on, or its area holds.
    pub pools: Vec<PoolLine>,
    /// The team's members who logged or could log visits, by name.
    pub workers: Vec<WorkerLine>,
    /// The team's coordinating case workers.
    pub caseloads: Vec<CaseloadLine>,
    pub norms: CaseloadNorms,
    /// Visits by the team in the month charged to nothing: flagged for the
    /// lead, never dropped.
    pub unattributed: Vec<VisitLine>,
    /// Names of the citizens and workers the report mentions by id.
    pub names: BTreeMap<Uuid, PersonName>,
}

impl TeamReport {
    pub fn name_of(&self, id: &Uuid) -> &str {
        self.names.get(id).map_or("?", |n| n.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantLine {
    pub citizen_id: CitizenId,
    pub grant: Grant,
    /// What the team's visits under the grant are charged to (the grant, or
    /// the drawing right it is drawn on).
    pub charged_to: ChargeTo,
    pub usage: GrantUsage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolLine {
    pub pool: DrawingRight,
    pub owner_area: OrgName,
    pub provider_team: OrgName,
    pub usage: PoolUsage,
    /// Cumulative minutes used by the end of each day of the pool's period.
    pub daily: Vec<Minutes>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerLine {
    pub load: WorkerLoad,
    /// Citizens assigned to the worker on the month's last day (or today).
    pub citizens: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseloadLine {
    pub user_id: UserId,
    pub cases: u32,
    pub norm: u32,
}

impl CaseloadLine {
    pub fn over_norm(&self) -> bool {
        self.cases > self.norm
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitLine {
    pub id: VisitId,
    pub citizen_id: CitizenId,
    pub worker_id: UserId,
    pub kind: VisitKind,
    pub started_at: Timestamp,
    pub minutes: Minutes,
}

/// Where a team's month stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalState {
    /// Set while the month is approved (locked).
    pub approved: Option<ApprovalMark>,
    /// Submitted visits in the month, not yet approved.
    pub submitted: u32,
    pub approved_visits: u32,
    /// Approvals and reopenings, oldest first.
    pub history: Vec<ApprovalEvent>,
    pub can_approve: bool,
    pub can_reopen: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalMark {
    pub by: PersonName,
    pub at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalAction {
    Approve,
    Reopen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalEvent {
    pub action: ApprovalAction,
    pub by: PersonName,
    pub at: Timestamp,
    pub reason: Option<Note>,
    /// Visits approved, or returned to submitted.
    pub visits: u32,
}

/// `POST /api/approvals`: approve a team's month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApproveRequest {
    pub team_id: TeamId,
    pub month: Month,
}

/// `POST /api/approvals/reopen` (admin): reopen an approved month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReopenRequest {
    pub team_id: TeamId,
    pub month: Month,
    pub reason: Note,
}

/// `GET /api/teams`: the teams a user may report on (a lead's own, every
/// team for an admin) and the areas (for statements and grant forms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgResponse {
    pub teams: Vec<TeamSummary>,
    pub areas: Vec<AreaSummary>,
}

/// `GET /api/statements?area=…&month=YYYY-MM` (and `.csv`): what a payer
/// area owes for a month, per citizen and service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub area: AreaSummary,
    pub month: Month,
    pub generated_at: Timestamp,
    /// The teams whose deliveries are included (a lead sees their own).
    pub teams: Vec<TeamSummary>,
    /// Whether every included team's month is approved.
    pub approved: bool,
    pub lines: Vec<StatementLine>,
    pub total: Minutes,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub citizen_id: CitizenId,
    pub citizen_name: PersonName,
    pub birth_year: i32,
    pub service: Service,
    /// The grant's legal basis, or the drawing right's name.
    pub charged_to: String,
    pub via_drawing_right: bool,
    pub visits: u32,
    pub minutes: Minutes,
}

#[cfg(test)]
mod tests {
    use super::*;

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
