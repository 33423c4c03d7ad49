//! What a visit is charged to, and so who pays (DOMAIN.md, seeds 000 and
//! 003). The phone offers these choices when a visit is logged; the server
//! computes usage from the same rule.

use crate::area::AreaKind;
use crate::citizen::BenefitType;
use crate::drawing_right::DrawingRight;
use crate::error::{Problem, ValidationError};
use crate::grant::{Grant, Service};
use crate::id::{AreaId, CitizenId, TeamId};
use crate::time::Date;
use crate::visit::ChargeTo;

/// The kind of area that pays for `service` to a citizen on `benefit`.
///
/// Seed 003: § 85 housing support for citizens on early-retirement pension
/// is paid by the social area, for citizens on any other benefit by the
/// employment area. Mentor support (LAB) is an employment measure; a
/// contact person for a young citizen is paid by children and youth.
pub fn payer_kind(service: Service, benefit: BenefitType) -> AreaKind {
    match service {
        Service::HousingSupport if benefit == BenefitType::EarlyRetirementPension => AreaKind::Social,
        Service::HousingSupport | Service::Mentor => AreaKind::Employment,
        Service::ContactPerson => AreaKind::ChildrenYouth,
    }
}

/// Checks a new or changed `grant` before it is stored: its payer area
/// (of kind `payer_area_kind`) must follow the payer rule for a citizen on
/// `benefit`, and no other grant of the citizen for the same service may
/// cover any of its days (`others` may include the grant itself).
///
/// Errors: `payer_area_id` `Problem::WrongPayer { expected }` when the
/// payer area's kind is not [`payer_kind`]'s (seed 003: the payer rule);
/// `valid_from` `Problem::Overlaps` when another grant (another id) of the
/// same citizen and service shares a day with it.
pub fn check_grant(
    grant: &Grant,
    benefit: BenefitType,
    payer_area_kind: AreaKind,
    others: &[Grant],
) -> Result<(), ValidationError> {
    let expected = payer_kind(grant.service, benefit);
    if payer_area_kind != expected {
        return Err(ValidationError::new("payer_area_id", Problem::WrongPayer { expected }));
    }
    let clash = others.iter().any(|o| {
        o.id != grant.id
            && o.citizen_id == grant.citizen_id
            && o.service == grant.service
            && o.period.overlaps(&grant.period)
    });
    if clash {
        return Err(ValidationError::new("valid_from", Problem::Overlaps));
    }
    Ok(())
}

/// The area that pays for a visit charged to `charge`: the grant's payer,
/// or the pool's owner (the area that holds the drawing right). `None` when
/// the id is not among `grants` / `pools`.
pub fn payer_of(charge: ChargeTo, grants: &[Grant], pools: &[DrawingRight]) -> Option<AreaId> {
    match charge {
        ChargeTo::Grant(id) => grants.iter().find(|g| g.id == id).map(|g| g.payer_area_id),
        ChargeTo::DrawingRight(id) => pools.iter().find(|p| p.id == id).map(|p| p.owner_area_id),
    }
}

/// The grants and drawing rights a visit to `citizen` on `date` by a worker
/// in `worker_teams` can be charged to, in a stable order.
///
/// Each grant valid on the date is one choice, except that housing support
/// (§ 85) paid by an area that holds a drawing right on the worker's team is
/// drawn on that pool instead: the employment area's trækningsret on the
/// social area's housing-support staff (seed 000). A citizen with exactly one
/// choice needs no question; with none, the visit is logged uncharged and
/// flagged for the lead, never refused.
///
/// The order: the grants by service (housing support, mentor, contact
/// person) then id, each grant's choice once ([`charge_for`]).
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
        let choice = charge_for(grant, date, worker_teams, pools);
        if !out.contains(&choice) {
            out.push(choice);
        }
    }
    out
}

/// Checks that a visit to `citizen` on `date` by a worker in
/// `worker_teams` may be charged to `charge`: exactly the choices
/// [`charge_options`] offers the phone (issue 12, kind 10). Uncharged
/// (`None`) is always allowed: the lead sees the visit as unattributed.
///
/// `grants` and `pools` must hold at least the citizen's grants and the
/// drawing rights on the worker's teams; a charge naming a row not among
/// them is refused too.
///
/// Errors: `charged_to` `not_chargeable` when the grant belongs to another
/// citizen, does not cover `date`, is housing support that is drawn on a
/// pool of the worker's team instead, or the drawing right is not one the
/// worker's teams deliver on for one of the citizen's grants that day.
pub fn check_charge(
    charge: Option<ChargeTo>,
    citizen: CitizenId,
    date: Date,
    worker_teams: &[TeamId],
    grants: &[Grant],
    pools: &[DrawingRight],
) -> Result<(), ValidationError> {
    match charge {
        None => Ok(()),
        Some(c) if charge_options(citizen, date, worker_teams, grants, pools).contains(&c) => Ok(()),
        Some(_) => Err(ValidationError::new("charged_to", Problem::NotChargeable)),
    }
}

/// What a visit under `grant` on `date` by a worker in `worker_teams` is
/// charged to: the drawing right the grant's payer holds on one of the
/// worker's teams for housing support (seed 000), else the grant itself.
pub fn charge_for(grant: &Grant, date: Date, worker_teams: &[TeamId], pools: &[DrawingRight]) -> ChargeTo {
    // Of several matching pools (a worker in two provider teams), the one
    // with the smallest id: phone and server hold the pools in different
    // orders, and must pick the same.
    let pool = (grant.service == Service::HousingSupport)
        .then(|| {
            pools
                .iter()
                .filter(|p| {
                    p.owner_area_id == grant.payer_area_id
                        && p.valid.contains(date)
                        && worker_teams.contains(&p.provider_team_id)
                })
                .min_by_key(|p| p.id)
        })
        .flatten();
    match pool {
        Some(p) => ChargeTo::DrawingRight(p.id),
        None => ChargeTo::Grant(grant.id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::citizen::BenefitType as B;
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
            offer_id: None,
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

    /// Issue 12, kind 10: a charge is accepted exactly when the phone would
    /// have offered it (the failing input: citizen A's visit charged to
    /// citizen B's grant).
    #[test]
    fn a_charge_is_accepted_exactly_when_it_is_offered() {
        let employment = AreaId::from_uuid(Uuid::from_u128(10));
        let social = AreaId::from_uuid(Uuid::from_u128(11));
        let housing_team = TeamId::from_uuid(Uuid::from_u128(20));
        let mentor_team = TeamId::from_uuid(Uuid::from_u128(21));
        let pool = |n: u128, owner: AreaId, team: TeamId, from: &str, to: Option<&str>| DrawingRight {
            id: DrawingRightId::from_uuid(Uuid::from_u128(n)),
            name: OrgName::try_from("Trækningsret").expect("valid"),
            owner_area_id: owner,
            provider_team_id: team,
            minutes_per_period: Minutes::new(6000),
            period_kind: PeriodKind::Month,
            rollover: Rollover::Expire,
            valid: DateRange::new(date(from), to.map(date)).expect("valid"),
        };
        let a = CitizenId::from_uuid(Uuid::from_u128(1));
        let b = CitizenId::from_uuid(Uuid::from_u128(2));
        let mut of_b = grant(40, Service::Mentor, employment, "2026-01-01", None);
        of_b.citizen_id = b;
        let grants = [
            grant(41, Service::Mentor, employment, "2026-01-01", Some("2026-06-30")),
            grant(42, Service::HousingSupport, employment, "2026-01-01", None),
            grant(43, Service::ContactPerson, social, "2026-01-01", None),
            of_b.clone(),
        ];
        let pools = [
            pool(50, employment, housing_team, "2026-01-01", None),
            pool(51, social, mentor_team, "2026-01-01", None),
            pool(52, social, housing_team, "2026-01-01", None),
            pool(53, employment, housing_team, "2025-01-01", Some("2025-12-31")),
        ];
        let g = |n: u128| Some(ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(n))));
        let p = |n: u128| Some(ChargeTo::DrawingRight(DrawingRightId::from_uuid(Uuid::from_u128(n))));
        let day = date("2026-11-23");
        let june = date("2026-06-15");
        // (charge, citizen, date, worker's teams, accepted)
        let cases = [
            (None, a, day, vec![housing_team], true),
            // The failing input: citizen A's visit on citizen B's grant.
            (Some(ChargeTo::Grant(of_b.id)), a, day, vec![housing_team], false),
            (Some(ChargeTo::Grant(of_b.id)), b, day, vec![housing_team], true),
            // A grant that has ended by the visit's date, and one in force then.
            (g(41), a, day, vec![mentor_team], false),
            (g(41), a, june, vec![mentor_team], true),
            // Housing support paid by a pool owner is drawn on the pool, not the grant…
            (g(42), a, day, vec![housing_team], false),
            (p(50), a, day, vec![housing_team], true),
            // …unless the worker's team is not the pool's provider.
            (g(42), a, day, vec![mentor_team], true),
            (p(50), a, day, vec![mentor_team], false),
            // A pool of an area that pays none of the citizen's housing support.
            (p(52), a, day, vec![housing_team], false),
            // A pool that has ended, and a pool for the wrong team.
            (p(53), a, day, vec![housing_team], false),
            (p(51), a, day, vec![housing_team], false),
            // A grant or pool that does not exist at all.
            (g(99), a, day, vec![housing_team], false),
            (p(99), a, day, vec![housing_team], false),
            // The contact person's grant needs no team.
            (g(43), a, day, vec![], true),
        ];
        for (i, (charge, citizen, date, teams, accepted)) in cases.into_iter().enumerate() {
            let got = check_charge(charge, citizen, date, &teams, &grants, &pools);
            assert_eq!(got.is_ok(), accepted, "case {i}: {got:?}");
            if let Err(e) = got {
                assert_eq!((e.field.as_ref(), e.code()), ("charged_to", "not_chargeable"), "case {i}");
                assert!(e.message().da.starts_with("Betales af:"), "{}", e.message().da);
            }
        }
    }

    /// A worker in two provider teams, each holding a drawing right of the
    /// same paying area: the phone and the server hold the pools in
    /// different orders and must offer and accept the same one.
    #[test]
    fn of_two_matching_pools_the_choice_does_not_depend_on_their_order() {
        let employment = AreaId::from_uuid(Uuid::from_u128(10));
        let (a, b) = (TeamId::from_uuid(Uuid::from_u128(20)), TeamId::from_uuid(Uuid::from_u128(21)));
        let pool = |n: u128, team: TeamId| DrawingRight {
            id: DrawingRightId::from_uuid(Uuid::from_u128(n)),
            name: OrgName::try_from(format!("Pulje {n}")).expect("valid"),
            owner_area_id: employment,
            provider_team_id: team,
            minutes_per_period: Minutes::new(6000),
            period_kind: PeriodKind::Month,
            rollover: Rollover::Expire,
            valid: DateRange::new(date("2026-01-01"), None).expect("valid"),
        };
        let g = grant(2, Service::HousingSupport, employment, "2026-01-01", None);
        let day = date("2026-11-23");
        let (p1, p2) = (pool(31, a), pool(30, b));
        let forward = charge_for(&g, day, &[a, b], &[p1.clone(), p2.clone()]);
        let backward = charge_for(&g, day, &[b, a], &[p2.clone(), p1]);
        assert_eq!(forward, ChargeTo::DrawingRight(p2.id));
        assert_eq!(backward, forward);
        assert!(check_charge(Some(forward), g.citizen_id, day, &[a, b], std::slice::from_ref(&g), &[p2]).is_ok());
    }

    #[test]
    fn the_payer_rule_for_every_benefit_and_service() {
        let all = [
            B::EarlyRetirementPension,
            B::CashBenefit,
            B::EducationBenefit,
            B::ResourceCourseBenefit,
            B::SicknessBenefit,
            B::FlexJobBenefit,
            B::Other,
        ];
        for benefit in all {
            let housing = if benefit == B::EarlyRetirementPension { AreaKind::Social } else { AreaKind::Employment };
            assert_eq!(payer_kind(Service::HousingSupport, benefit), housing, "{benefit:?}");
            assert_eq!(payer_kind(Service::Mentor, benefit), AreaKind::Employment, "{benefit:?}");
            assert_eq!(payer_kind(Service::ContactPerson, benefit), AreaKind::ChildrenYouth, "{benefit:?}");
        }
    }

    #[test]
    fn a_grant_is_checked_for_its_payer_and_overlaps() {
        let employment = AreaId::from_uuid(Uuid::from_u128(10));
        let g = grant(2, Service::HousingSupport, employment, "2026-01-01", Some("2026-12-31"));
        assert!(check_grant(&g, B::CashBenefit, AreaKind::Employment, std::slice::from_ref(&g)).is_ok());
        let err = check_grant(&g, B::EarlyRetirementPension, AreaKind::Employment, &[]).expect_err("wrong payer");
        assert_eq!((err.field.as_ref(), err.code()), ("payer_area_id", "wrong_payer"));
        assert!(err.message().da.contains("social"), "{}", err.message().da);
        let earlier = grant(3, Service::HousingSupport, employment, "2025-01-01", Some("2026-01-01"));
        let err =
            check_grant(&g, B::CashBenefit, AreaKind::Employment, std::slice::from_ref(&earlier)).expect_err("overlap");
        assert_eq!((err.field.as_ref(), err.code()), ("valid_from", "overlaps"));
        // Ending the day before is no overlap; another service may overlap.
        let ended = grant(3, Service::HousingSupport, employment, "2025-01-01", Some("2025-12-31"));
        let mentor = grant(4, Service::Mentor, employment, "2026-01-01", None);
        assert!(check_grant(&g, B::CashBenefit, AreaKind::Employment, &[ended.clone(), mentor.clone()]).is_ok());
        let pools = [];
        assert_eq!(payer_of(ChargeTo::Grant(mentor.id), &[ended, mentor], &pools), Some(employment));
    }
}
