//! Areas (who owns staff and who pays) and their teams.

use serde::{Deserialize, Serialize};

use crate::error::Lang;
use crate::id::{AreaId, TeamId};
use crate::text::OrgName;

/// The three administrative areas the seeds move citizens and budgets between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    /// Beskæftigelsesområdet (jobcenter).
    Employment,
    /// Socialområdet (disability, psychiatry, housing support).
    Social,
    /// Børn og unge.
    ChildrenYouth,
}

crate::codes::wire_codes!(AreaKind {
    Employment => "employment",
    Social => "social",
    ChildrenYouth => "children_youth",
});

impl AreaKind {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AreaKind::Employment, Lang::Da) => "Beskæftigelse",
            (AreaKind::Employment, Lang::En) => "Employment",
            (AreaKind::Social, Lang::Da) => "Social",
            (AreaKind::Social, Lang::En) => "Social",
            (AreaKind::ChildrenYouth, Lang::Da) => "Børn og unge",
            (AreaKind::ChildrenYouth, Lang::En) => "Children and youth",
        }
    }
}

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
