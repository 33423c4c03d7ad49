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

/// What happens to a period's balance when the period ends (replayed by
/// [`crate::usage::pool_usage`]). JSON and [`Rollover::code`]: `"expire"`,
/// `"roll_over"`, `"carry_overruns"`.
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
    /// The rule in words, in `lang`: "Ubrugte timer bortfalder" / "Unused
    /// minutes expire", "Saldo overføres" / "Balance rolls over", "Kun
    /// overforbrug overføres" / "Only overruns carry over".
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

/// A drawing right (trækningsret, seed 000): a pool of
/// `minutes_per_period` minutes per week, month, quarter or year, valid
/// over `valid` (Copenhagen dates, both ends included), owned and paid for
/// by one area and delivered by a team (usually another area's). JSON: `{"id": ...,
/// "name": "Trækningsret på bostøtte", "owner_area_id": ...,
/// "provider_team_id": ..., "minutes_per_period": 6000, "period_kind":
/// "month", "rollover": "carry_overruns", "valid": {"from": "2026-01-01",
/// "to": null}}`.
///
/// Deserialising refuses a `minutes_per_period` of 0 with
/// `minutes_per_period` `Problem::OutOfRange { min: 1, max: 4294967295 }`;
/// the other fields are checked by their types. (Built in code, the public
/// fields are not checked.)
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
    /// The pool's allowance per period, in minutes (more than zero on the
    /// wire).
    pub minutes_per_period: Minutes,
    /// The length of the pool's recurring period.
    pub period_kind: PeriodKind,
    /// What a period's balance does when the period ends.
    pub rollover: Rollover,
    /// The days the pool may be drawn on.
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
