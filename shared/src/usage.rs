//! Delivered against granted: the arithmetic the phone and the server share,
//! so both show the same numbers from the same rows.
//!
//! A visit counts against what it is charged to with its counted minutes
//! (the lead's correction, or its duration); travel is the worker's time,
//! not the citizen's support, and is not counted here. Drafts do not count.

use crate::grant::{AllowanceUnit, Grant};
use crate::minutes::Minutes;
use crate::time::{Date, IsoWeek, Month, Period, Timestamp};
use crate::visit::{ChargeTo, Visit, VisitStatus};

/// One grant's figures for the period that contains a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantUsage {
    /// First and last day of the period (a week or a month, Copenhagen time).
    pub first_day: Date,
    pub last_day: Date,
    pub granted: Minutes,
    pub delivered: Minutes,
}

impl GrantUsage {
    pub fn remaining(&self) -> Minutes {
        self.granted.saturating_sub(self.delivered)
    }

    /// Delivered beyond the grant.
    pub fn over(&self) -> Minutes {
        self.delivered.saturating_sub(self.granted)
    }

    /// Whole percent of the grant used (rounded down; can pass 100).
    pub fn percent_used(&self) -> u32 {
        let granted = u64::from(self.granted.get()).max(1);
        (u64::from(self.delivered.get()) * 100 / granted) as u32
    }
}

/// `grant`'s usage in its period (week or month) containing `day`, from the
/// visits charged to `charge` — the grant itself, or the pool it is drawn
/// on (see [`crate::charge::charge_options`]).
pub fn grant_usage<'a>(
    grant: &Grant,
    charge: ChargeTo,
    visits: impl IntoIterator<Item = &'a Visit>,
    day: Date,
) -> GrantUsage {
    let (start, end, first_day, last_day) = match grant.allowance.per() {
        AllowanceUnit::Week => bounds(IsoWeek::containing(day)),
        AllowanceUnit::Month => bounds(Month::containing(day)),
    };
    let delivered = visits
        .into_iter()
        .filter(|v| {
            v.citizen_id == grant.citizen_id
                && v.charged_to == Some(charge)
                && v.status != VisitStatus::Draft
                && start <= v.started_at()
                && v.started_at() < end
        })
        .fold(Minutes::ZERO, |sum, v| sum + v.counted_minutes());
    GrantUsage { first_day, last_day, granted: grant.allowance.minutes(), delivered }
}

fn bounds<P: Period>(p: P) -> (Timestamp, Timestamp, Date, Date) {
    (p.start(), p.end(), p.first_day(), p.last_day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grant::{Allowance, Service};
    use crate::id::{AreaId, CitizenId, GrantId, UserId, VisitId};
    use crate::text::{LegalBasis, Note};
    use crate::time::DateRange;
    use crate::visit::{Correction, VisitDraft, VisitKind};
    use uuid::Uuid;

    fn grant(per: AllowanceUnit, minutes: u32) -> Grant {
        Grant {
            id: GrantId::from_uuid(Uuid::from_u128(1)),
            citizen_id: CitizenId::from_uuid(Uuid::from_u128(2)),
            service: Service::HousingSupport,
            legal_basis: LegalBasis::try_from("SEL § 85").expect("valid"),
            allowance: Allowance::new(Minutes::new(minutes), per).expect("valid"),
            period: DateRange::new("2026-01-01".parse().expect("valid"), None).expect("valid"),
            payer_area_id: AreaId::from_uuid(Uuid::from_u128(3)),
        }
    }

    fn visit(n: u128, start: &str, minutes: i64, charge: ChargeTo) -> Visit {
        let start: Timestamp = start.parse().expect("valid");
        VisitDraft::new(
            VisitId::from_uuid(Uuid::from_u128(n)),
            CitizenId::from_uuid(Uuid::from_u128(2)),
            VisitKind::HomeVisit,
            start,
            start.add_minutes(minutes),
            Minutes::new(20),
            Note::try_from("").expect("valid"),
            Some(charge),
        )
        .expect("valid")
        .into_visit(UserId::from_uuid(Uuid::from_u128(4)), "2027-01-01T00:00:00Z".parse().expect("valid"))
        .expect("valid")
    }

    #[test]
    fn a_week_counts_from_monday_midnight_copenhagen_time() {
        let g = grant(AllowanceUnit::Week, 180);
        let charge = ChargeTo::Grant(g.id);
        let other = ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(9)));
        let mut corrected = visit(5, "2026-11-25T09:00:00Z", 90, charge);
        corrected.correction =
            Some(Correction::new(Minutes::new(30), Note::try_from("kort").expect("valid")).expect("valid"));
        let visits = [
            // Sunday 23:30 Copenhagen (22:30 UTC): the week before.
            visit(1, "2026-11-22T22:30:00Z", 60, charge),
            // Monday 00:30 Copenhagen (23:30 UTC Sunday): this week.
            visit(2, "2026-11-22T23:30:00Z", 60, charge),
            visit(3, "2026-11-24T09:00:00Z", 90, charge),
            // Charged elsewhere: not this grant's.
            visit(4, "2026-11-24T12:00:00Z", 45, other),
            corrected,
        ];
        let u = grant_usage(&g, charge, &visits, "2026-11-26".parse().expect("valid"));
        assert_eq!((u.first_day.to_string(), u.last_day.to_string()), ("2026-11-23".into(), "2026-11-29".into()));
        assert_eq!(u.delivered, Minutes::new(60 + 90 + 30));
        assert_eq!((u.remaining(), u.over(), u.percent_used()), (Minutes::new(0), Minutes::new(0), 100));
    }

    #[test]
    fn a_month_spans_the_summer_time_change_and_overdraw_shows() {
        let g = grant(AllowanceUnit::Month, 120);
        let charge = ChargeTo::Grant(g.id);
        let visits = [
            // 1 March 00:15 Copenhagen is 28 February 23:15 UTC.
            visit(1, "2026-02-28T23:15:00Z", 60, charge),
            // After the spring change (29 March).
            visit(2, "2026-03-30T08:00:00Z", 90, charge),
            // 1 April 00:30 summer time is 31 March 22:30 UTC: April.
            visit(3, "2026-03-31T22:30:00Z", 60, charge),
        ];
        let u = grant_usage(&g, charge, &visits, "2026-03-15".parse().expect("valid"));
        assert_eq!(u.delivered, Minutes::new(150));
        assert_eq!((u.remaining(), u.over(), u.percent_used()), (Minutes::new(0), Minutes::new(30), 125));
    }
}
