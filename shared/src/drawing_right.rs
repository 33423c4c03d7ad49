//! Drawing rights (trækningsret, seed 000): a pool of minutes per period,
//! owned by one area and spent by another area's team. When adult citizens
//! moved to the employment area, it got a drawing right on the social area's
//! housing-support hours instead of staff of its own.

use serde::{Deserialize, Serialize};

use crate::codes::wire_codes;
use crate::error::{Lang, Problem, ValidationError};
use crate::id::{AreaId, DrawingRightId, TeamId};
use crate::minutes::Minutes;
use crate::text::OrgName;
use crate::time::{DateRange, PeriodKind};

/// What happens to a period's balance when the period ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rollover {
    /// Unused minutes expire; overruns are forgiven.
    Expire,
    /// The balance, positive or negative, carries into the next period.
    RollOver,
    /// Unused minutes expire, but an overrun is taken from the next period.
    CarryOverruns,
}

wire_codes!(Rollover {
    Expire => "expire",
    RollOver => "roll_over",
    CarryOverruns => "carry_overruns",
});

impl Rollover {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Rollover::Expire, Lang::Da) => "Ubrugte timer bortfalder",
            (Rollover::Expire, Lang::En) => "Unused minutes expire",
            (Rollover::RollOver, Lang::Da) => "Saldo overføres",
            (Rollover::RollOver, Lang::En) => "Balance rolls over",
            (Rollover::CarryOverruns, Lang::Da) => "Kun overforbrug overføres",
            (Rollover::CarryOverruns, Lang::En) => "Only overruns carry over",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "DrawingRightWire")]
pub struct DrawingRight {
    pub id: DrawingRightId,
    pub name: OrgName,
    /// The area that draws (and pays), e.g. the employment area.
    pub owner_area_id: AreaId,
    /// The team whose staff deliver the hours, e.g. the social area's
    /// housing-support team.
    pub provider_team_id: TeamId,
    pub minutes_per_period: Minutes,
    pub period_kind: PeriodKind,
    pub rollover: Rollover,
    pub valid: DateRange,
}

#[derive(Deserialize)]
struct DrawingRightWire {
    id: DrawingRightId,
    name: OrgName,
    owner_area_id: AreaId,
    provider_team_id: TeamId,
    minutes_per_period: Minutes,
    period_kind: PeriodKind,
    rollover: Rollover,
    valid: DateRange,
}

impl TryFrom<DrawingRightWire> for DrawingRight {
    type Error = ValidationError;

    fn try_from(w: DrawingRightWire) -> Result<Self, ValidationError> {
        if w.minutes_per_period.get() == 0 {
            return Err(ValidationError::new(
                "minutes_per_period",
                Problem::OutOfRange { min: 1, max: u32::MAX.into() },
            ));
        }
        Ok(DrawingRight {
            id: w.id,
            name: w.name,
            owner_area_id: w.owner_area_id,
            provider_team_id: w.provider_team_id,
            minutes_per_period: w.minutes_per_period,
            period_kind: w.period_kind,
            rollover: w.rollover,
            valid: w.valid,
        })
    }
}
