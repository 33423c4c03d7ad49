//! Areas (who owns staff and who pays) and their teams.

use serde::{Deserialize, Serialize};

use crate::id::{AreaId, TeamId};
use crate::text::OrgName;

pub use crate::area_kind::AreaKind;

/// An administrative area: owns staff (through its teams) and pays for
/// hours (a grant's payer, a drawing right's owner). JSON:
/// `{"id": ..., "name": "Socialområdet", "kind": "social"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub id: AreaId,
    pub name: OrgName,
    pub kind: AreaKind,
}

/// A team belongs to one area, e.g. Bostøtteteam in the social area.
/// JSON: `{"id": ..., "area_id": ..., "name": "Bostøtteteamet"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub area_id: AreaId,
    pub name: OrgName,
}
