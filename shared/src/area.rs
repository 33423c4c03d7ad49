//! Areas (who owns staff and who pays) and their teams.

use serde::{Deserialize, Serialize};

use crate::id::{AreaId, TeamId};
use crate::text::OrgName;

pub use crate::area_kind::AreaKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub id: AreaId,
    pub name: OrgName,
    pub kind: AreaKind,
}

/// A team belongs to one area, e.g. Bostøtteteam in the social area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub area_id: AreaId,
    pub name: OrgName,
}
