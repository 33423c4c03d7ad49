//! Grants (bevillinger): a decision that a citizen gets so many minutes of a
//! service per week or month in a period, paid by an area.

use serde::{Deserialize, Serialize};

use crate::citizen::BirthYear;
use crate::codes::wire_codes;
use crate::error::{Lang, Problem, ValidationError};
use crate::id::{AreaId, CitizenId, GrantId};
use crate::minutes::Minutes;
use crate::text::LegalBasis;
use crate::time::{Date, DateRange};

/// A contact person is granted until the young person's 23rd birthday
/// (Barnets lov § 32 to 18, after-care § 114 from 18 to 22).
pub const CONTACT_PERSON_UNDER_AGE: u8 = 23;

/// The kind of support granted; with the citizen's benefit it decides the
/// paying area (seed 003: the payer rule, [`crate::charge::payer_kind`]).
/// JSON and [`Service::code`]: `"housing_support"`, `"mentor"`,
/// `"contact_person"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// Socialpædagogisk støtte (bostøtte), SEL § 85.
    HousingSupport,
    /// Mentorstøtte, LAB (LAB § 78 by default).
    Mentor,
    /// Kontaktperson for young citizens (Barnets lov § 32 by default).
    ContactPerson,
}

wire_codes!(Service {
    HousingSupport => "housing_support",
    Mentor => "mentor",
    ContactPerson => "contact_person",
});

impl Service {
    /// The service's name in `lang`, e.g. "Socialpædagogisk støtte (bostøtte)" /
    /// "Housing support".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Service::HousingSupport, Lang::Da) => "Socialpædagogisk støtte (bostøtte)",
            (Service::HousingSupport, Lang::En) => "Housing support",
            (Service::Mentor, Lang::Da) => "Mentorstøtte",
            (Service::Mentor, Lang::En) => "Mentor support",
            (Service::ContactPerson, Lang::Da) => "Kontaktperson",
            (Service::ContactPerson, Lang::En) => "Contact person",
        }
    }

    /// Whether the service may be granted from `from` to a citizen born in
    /// `birth_year`. A contact person is for a child or young person until
    /// the 23rd birthday ([`CONTACT_PERSON_UNDER_AGE`]: Barnets lov § 32,
    /// after-care § 114); with the year of birth alone, a citizen is too
    /// old only when surely 23 on `from` (24 reached in its year). Every
    /// other service is for any age.
    pub fn is_for_age(self, birth_year: BirthYear, from: Date) -> bool {
        match self {
            Service::ContactPerson => birth_year.age_in(from.year()) <= i32::from(CONTACT_PERSON_UNDER_AGE),
            Service::HousingSupport | Service::Mentor => true,
        }
    }

    /// The usual legal basis, offered as the default in forms: "SEL § 85",
    /// "LAB § 78" or "Barnets lov § 32".
    pub fn default_legal_basis(self) -> &'static str {
        match self {
            Service::HousingSupport => "SEL § 85",
            Service::Mentor => "LAB § 78",
            Service::ContactPerson => "Barnets lov § 32",
        }
    }
}

/// The unit a grant's minutes are counted per. JSON and
/// [`AllowanceUnit::code`]: `"week"` (an ISO week, Monday to Sunday, in
/// Copenhagen) or `"month"` (a calendar month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllowanceUnit {
    Week,
    Month,
}

wire_codes!(AllowanceUnit {
    Week => "week",
    Month => "month",
});

impl AllowanceUnit {
    /// "pr. uge" / "per week".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AllowanceUnit::Week, Lang::Da) => "pr. uge",
            (AllowanceUnit::Week, Lang::En) => "per week",
            (AllowanceUnit::Month, Lang::Da) => "pr. måned",
            (AllowanceUnit::Month, Lang::En) => "per month",
        }
    }
}

/// "3 timer/uge": minutes per week or per month, more than zero.
/// JSON: `{"minutes": 180, "per": "week"}`; deserialising checks it as
/// [`Allowance::new`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "AllowanceWire")]
pub struct Allowance {
    minutes: Minutes,
    per: AllowanceUnit,
}

#[derive(Deserialize)]
struct AllowanceWire {
    minutes: Minutes,
    per: AllowanceUnit,
}

impl TryFrom<AllowanceWire> for Allowance {
    type Error = ValidationError;

    fn try_from(w: AllowanceWire) -> Result<Self, ValidationError> {
        Allowance::new(w.minutes, w.per)
    }
}

impl Allowance {
    /// The most minutes a grant allows `per` week or month: every minute of
    /// the week (10 080) or of a 31-day month (44 640); more is a typo.
    pub fn max_minutes(per: AllowanceUnit) -> u32 {
        match per {
            AllowanceUnit::Week => 7 * 24 * 60,
            AllowanceUnit::Month => 31 * 24 * 60,
        }
    }

    /// An allowance of 1 to [`Allowance::max_minutes`] minutes `per` week or
    /// month. Error: `minutes` `OutOfRange` (in minutes: the wire's unit;
    /// a form that reads hours says it in hours), i.e.
    /// `Problem::OutOfRange { min: 1, max: 10080 }` per week and
    /// `{ min: 1, max: 44640 }` per month.
    pub fn new(minutes: Minutes, per: AllowanceUnit) -> Result<Allowance, ValidationError> {
        let max = Allowance::max_minutes(per);
        if minutes.get() == 0 || minutes.get() > max {
            return Err(ValidationError::new("minutes", Problem::OutOfRange { min: 1, max: max.into() }));
        }
        Ok(Allowance { minutes, per })
    }

    /// The minutes allowed per week or month (1 to [`Allowance::max_minutes`]).
    pub fn minutes(&self) -> Minutes {
        self.minutes
    }

    /// Whether the minutes are per week or per month.
    pub fn per(&self) -> AllowanceUnit {
        self.per
    }
}

/// A grant (bevilling): `allowance` of `service` to one citizen over
/// `period` (Copenhagen dates, both ends included), under `legal_basis`,
/// paid by `payer_area_id`. JSON: `{"id": ..., "citizen_id": ...,
/// "service": "housing_support", "legal_basis": "SEL § 85", "allowance":
/// {"minutes": 150, "per": "week"}, "period": {"from": "2026-01-01", "to":
/// "2026-12-31"}, "payer_area_id": ...}`. The payer rule (seed 003) and
/// the no-overlap rule are checked by [`crate::charge::check_grant`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub id: GrantId,
    pub citizen_id: CitizenId,
    pub service: Service,
    pub legal_basis: LegalBasis,
    pub allowance: Allowance,
    pub period: DateRange,
    /// The area that pays for the hours.
    pub payer_area_id: AreaId,
    /// The offer of the municipality's catalogue the grant is for, if one
    /// (issue 15: "plan actions, grants and courses pick from it");
    /// absent from the JSON when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_id: Option<crate::OfferId>,
}

impl Grant {
    /// Checks the first day as typed against `today` (Copenhagen): a grant
    /// may be decided back in time, at most two years
    /// ([`crate::Date::check_recent`]; issue 15's walk: a grant from 2010).
    /// A first day as `stored` (the grant before this change) stays.
    ///
    /// Errors: `valid_from` `too_far_back`, naming the earliest day.
    pub fn check_from(&self, stored: Option<&Grant>, today: crate::Date) -> Result<(), ValidationError> {
        let from = self.period.from();
        if stored.is_some_and(|s| s.period.from() == from) {
            return Ok(());
        }
        from.check_recent("valid_from", today)
    }

    /// Checks that the service is for the citizen's age
    /// ([`Service::is_for_age`]), for a citizen born in `birth_year`. A
    /// grant as `stored` (same service, same first day) stays: a contact
    /// person granted at 17 is not refused at a later change of hours.
    ///
    /// Errors: `service` `age_limit` with [`CONTACT_PERSON_UNDER_AGE`].
    pub fn check_age(&self, birth_year: BirthYear, stored: Option<&Grant>) -> Result<(), ValidationError> {
        let from = self.period.from();
        let unchanged = stored.is_some_and(|s| s.service == self.service && s.period.from() == from);
        if unchanged || self.service.is_for_age(birth_year, from) {
            return Ok(());
        }
        Err(ValidationError::new("service", Problem::AgeLimit { under: CONTACT_PERSON_UNDER_AGE }))
    }
}

/// A mentor grant and a § 85 housing-support grant for the same citizen
/// over the same days: seed 003's "no double grants" (both give practical
/// support in the citizen's everyday life; one area should hold it).
/// `from`/`to`: the days they share (`to` `None`: with no end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoubleGrant {
    pub citizen_id: CitizenId,
    pub mentor: GrantId,
    pub housing_support: GrantId,
    pub from: crate::Date,
    pub to: Option<crate::Date>,
}

/// Every mentor / housing-support pair of `grants` that share a day, by
/// citizen ([`DoubleGrant`]). Grants of other services never pair.
pub fn double_grants(grants: &[Grant]) -> Vec<DoubleGrant> {
    let mut found = Vec::new();
    for mentor in grants.iter().filter(|g| g.service == Service::Mentor) {
        for housing in grants.iter().filter(|g| {
            g.service == Service::HousingSupport
                && g.citizen_id == mentor.citizen_id
                && g.period.overlaps(&mentor.period)
        }) {
            let from = mentor.period.from().max(housing.period.from());
            let to = match (mentor.period.to(), housing.period.to()) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            found.push(DoubleGrant {
                citizen_id: mentor.citizen_id,
                mentor: mentor.id,
                housing_support: housing.id,
                from,
                to,
            });
        }
    }
    found.sort_by_key(|d| (d.citizen_id, d.from, d.mentor, d.housing_support));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(n: u128, citizen: u128, service: Service, from: &str, to: Option<&str>) -> Grant {
        Grant {
            id: GrantId::from_uuid(uuid::Uuid::from_u128(n)),
            citizen_id: CitizenId::from_uuid(uuid::Uuid::from_u128(citizen)),
            service,
            legal_basis: LegalBasis::try_from(service.default_legal_basis()).expect("basis"),
            allowance: Allowance::new(crate::Minutes::hours(2), AllowanceUnit::Week).expect("allowance"),
            period: DateRange::new(from.parse().expect("date"), to.map(|t| t.parse().expect("date"))).expect("range"),
            payer_area_id: crate::AreaId::from_uuid(uuid::Uuid::from_u128(50)),
            offer_id: None,
        }
    }

    /// Seed 003: a mentor grant and a § 85 grant for the same period are a
    /// double grant; the same citizen in turn, another citizen, or another
    /// service are not.
    #[test]
    fn a_first_day_far_back_is_refused_unless_stored() {
        let today: crate::Date = "2026-11-23".parse().expect("date");
        let g = grant(1, 2, Service::Mentor, "2010-01-01", None);
        let e = g.check_from(None, today).expect_err("the walk's grant from 2010");
        assert_eq!((e.field.as_ref(), e.code()), ("valid_from", "too_far_back"));
        assert_eq!(e.message().da, "Gælder fra: ligger for langt tilbage: tidligst 23.11.2024");
        assert!(g.check_from(Some(&g), today).is_ok(), "an old grant changed otherwise");
        assert!(grant(1, 2, Service::Mentor, "2024-11-23", None).check_from(None, today).is_ok());
    }

    /// Issue 15's walk: a contact person (Barnets lov § 32) was offered
    /// for a citizen of 38. It is for the young until the 23rd birthday.
    #[test]
    fn a_contact_person_is_for_the_young_only() {
        let born = |y: i32| BirthYear::try_from(y).expect("year");
        let contact = |from: &str| grant(1, 2, Service::ContactPerson, from, None);
        let refused = contact("2026-12-01").check_age(born(1988), None).expect_err("a citizen of 38");
        assert_eq!((refused.field.as_ref(), refused.code()), ("service", "age_limit"));
        assert_eq!(refused.message().da, "Ydelse: gives kun til børn og unge under 23 år");
        // 16, 22 and perhaps still 22 (23 reached during the year) may have one.
        for year in [2010, 2004, 2003] {
            assert!(contact("2026-12-01").check_age(born(year), None).is_ok(), "born {year}");
        }
        // Surely 23 on the first day: 24 reached in its year.
        assert!(contact("2026-12-01").check_age(born(2002), None).is_err());
        assert!(contact("2026-01-01").check_age(born(2002), None).is_err());
        // Every other service is for any age.
        for service in [Service::HousingSupport, Service::Mentor] {
            assert!(grant(1, 2, service, "2026-12-01", None).check_age(born(1940), None).is_ok());
        }
        // Granted at 17 and changed at 24: the stored first day stays.
        let stored = contact("2019-06-01");
        let mut changed = stored.clone();
        changed.allowance = Allowance::new(crate::Minutes::hours(3), AllowanceUnit::Week).expect("allowance");
        assert!(changed.check_age(born(2002), Some(&stored)).is_ok());
        // Another service for the same grant is checked.
        let mut moved = stored.clone();
        moved.period = DateRange::new("2026-12-01".parse().expect("date"), None).expect("range");
        assert!(moved.check_age(born(2002), Some(&stored)).is_err());
    }

    #[test]
    fn a_mentor_and_a_housing_support_grant_over_the_same_days_are_a_double_grant() {
        let grants = [
            grant(1, 7, Service::Mentor, "2026-01-01", Some("2026-06-30")),
            grant(2, 7, Service::HousingSupport, "2026-06-01", None),
            grant(3, 7, Service::HousingSupport, "2025-01-01", Some("2025-12-31")),
            grant(4, 8, Service::HousingSupport, "2026-01-01", None),
            grant(5, 7, Service::ContactPerson, "2026-01-01", None),
            grant(6, 9, Service::Mentor, "2026-01-01", Some("2026-03-31")),
            grant(7, 9, Service::HousingSupport, "2026-04-01", None),
        ];
        let found = double_grants(&grants);
        assert_eq!(found.len(), 1, "{found:?}");
        let d = &found[0];
        assert_eq!((d.mentor, d.housing_support), (grants[0].id, grants[1].id));
        assert_eq!(
            (d.from.to_string(), d.to.map(|t| t.to_string())),
            ("2026-06-01".to_owned(), Some("2026-06-30".to_owned()))
        );
    }

    #[test]
    fn allowance_must_be_positive_and_plausible() {
        assert!(Allowance::new(Minutes::hours(3), AllowanceUnit::Week).is_ok());
        let err = Allowance::new(Minutes::ZERO, AllowanceUnit::Week).expect_err("zero");
        assert_eq!((err.field.as_ref(), err.code()), ("minutes", "out_of_range"));
        assert!(Allowance::new(Minutes::new(10_081), AllowanceUnit::Week).is_err());
        assert!(Allowance::new(Minutes::new(10_081), AllowanceUnit::Month).is_ok());
        assert!(serde_json::from_str::<Allowance>(r#"{"minutes":0,"per":"week"}"#).is_err());
        assert!(serde_json::from_str::<Allowance>(r#"{"minutes":-5,"per":"week"}"#).is_err());
    }
}
