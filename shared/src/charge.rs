//! What a visit is charged to, and so who pays (DOMAIN.md, seeds 000 and
//! 003). The phone offers these choices when a visit is logged; the server
//! computes usage from the same rule.

use crate::drawing_right::DrawingRight;
use crate::grant::{Grant, Service};
use crate::id::{CitizenId, TeamId};
use crate::time::Date;
use crate::visit::ChargeTo;

/// The grants and drawing rights a visit to `citizen` on `date` by a worker
/// in `worker_teams` can be charged to, in a stable order.
///
/// Each grant valid on the date is one choice, except that housing support
/// (§ 85) paid by an area that holds a drawing right on the worker's team is
/// drawn on that pool instead: the employment area's trækningsret on the
/// social area's housing-support staff (seed 000). A citizen with exactly one
/// choice needs no question; with none, the visit is logged uncharged and
/// flagged for the lead, never refused.
pub fn charge_options(
    citizen: CitizenId,
    date: Date,
    worker_teams: &[TeamId],
    grants: &[Grant],
    pools: &[DrawingRight],
) -> Vec<ChargeTo> {
    let mut out = Vec::new();
    let mut valid: Vec<&Grant> = grants.iter().filter(|g| g.citizen_id == citizen && g.period.contains(date)).collect();
    valid.sort_by_key(|g| (g.service as u8, g.id));
    for grant in valid {
        let pool = (grant.service == Service::HousingSupport)
            .then(|| {
                pools.iter().find(|p| {
                    p.owner_area_id == grant.payer_area_id
                        && p.valid.contains(date)
                        && worker_teams.contains(&p.provider_team_id)
                })
            })
            .flatten();
        let choice = match pool {
            Some(p) => ChargeTo::DrawingRight(p.id),
            None => ChargeTo::Grant(grant.id),
        };
        if !out.contains(&choice) {
            out.push(choice);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drawing_right::Rollover;
    use crate::grant::{Allowance, AllowanceUnit};
    use crate::id::{AreaId, DrawingRightId, GrantId};
    use crate::minutes::Minutes;
    use crate::text::{LegalBasis, OrgName};
    use crate::time::{DateRange, PeriodKind};
    use uuid::Uuid;

    fn date(s: &str) -> Date {
        s.parse().expect("valid")
    }

    fn grant(n: u128, service: Service, payer: AreaId, from: &str, to: Option<&str>) -> Grant {
        Grant {
            id: GrantId::from_uuid(Uuid::from_u128(n)),
            citizen_id: CitizenId::from_uuid(Uuid::from_u128(1)),
            service,
            legal_basis: LegalBasis::try_from(service.default_legal_basis()).expect("valid"),
            allowance: Allowance::new(Minutes::new(120), AllowanceUnit::Week).expect("valid"),
            period: DateRange::new(date(from), to.map(date)).expect("valid"),
            payer_area_id: payer,
        }
    }

    #[test]
    fn housing_support_paid_by_the_pool_owner_is_drawn_on_the_pool() {
        let employment = AreaId::from_uuid(Uuid::from_u128(10));
        let social = AreaId::from_uuid(Uuid::from_u128(11));
        let housing_team = TeamId::from_uuid(Uuid::from_u128(20));
        let other_team = TeamId::from_uuid(Uuid::from_u128(21));
        let pool = DrawingRight {
            id: DrawingRightId::from_uuid(Uuid::from_u128(30)),
            name: OrgName::try_from("Trækningsret").expect("valid"),
            owner_area_id: employment,
            provider_team_id: housing_team,
            minutes_per_period: Minutes::new(6000),
            period_kind: PeriodKind::Month,
            rollover: Rollover::Expire,
            valid: DateRange::new(date("2026-01-01"), None).expect("valid"),
        };
        let citizen = CitizenId::from_uuid(Uuid::from_u128(1));
        let day = date("2026-11-23");
        let pools = [pool.clone()];
        let cases = [
            // Employment pays § 85: drawn on its pool when the worker is in the provider team.
            (
                vec![grant(2, Service::HousingSupport, employment, "2026-01-01", None)],
                vec![housing_team],
                vec![ChargeTo::DrawingRight(pool.id)],
            ),
            (
                vec![grant(2, Service::HousingSupport, employment, "2026-01-01", None)],
                vec![other_team],
                vec![ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(2)))],
            ),
            // Social area pays § 85 (early-retirement pension): its own grant.
            (
                vec![grant(3, Service::HousingSupport, social, "2026-01-01", None)],
                vec![housing_team],
                vec![ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(3)))],
            ),
            // A mentor grant is never drawn on a housing-support pool.
            (
                vec![grant(4, Service::Mentor, employment, "2026-01-01", None)],
                vec![housing_team],
                vec![ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(4)))],
            ),
            // Ended grants are not offered; two valid ones are both offered.
            (
                vec![
                    grant(5, Service::HousingSupport, social, "2025-01-01", Some("2025-12-31")),
                    grant(6, Service::HousingSupport, social, "2026-01-01", None),
                    grant(7, Service::Mentor, employment, "2026-06-01", None),
                ],
                vec![housing_team],
                vec![
                    ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(6))),
                    ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(7))),
                ],
            ),
            (vec![], vec![housing_team], vec![]),
        ];
        for (i, (grants, teams, expected)) in cases.into_iter().enumerate() {
            assert_eq!(charge_options(citizen, day, &teams, &grants, &pools), expected, "case {i}");
        }
    }
}
