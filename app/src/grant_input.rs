//! The grant form as plain data: what a lead typed, read into a [`Grant`]
//! with the rules the server applies (positive minutes, end after start,
//! the payer rule, no overlapping grant for the same service), every refusal
//! naming its field. Pure, so it is tested natively.
//!
//! Hours are typed as `3`, `2,5` or `1:40` and read by
//! `shared::Minutes::parse_hours` to exact minutes; the payer defaults to what
//! the payer rule says.

use shared::api::AreaSummary;
use shared::citizen::BenefitType;
use shared::grant::{Allowance, AllowanceUnit, Grant, Service};
use shared::text::LegalBasis;
use shared::time::DateRange;
use shared::{CitizenId, Date, GrantId, Minutes, Problem, ValidationError};

/// The form's fields as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantInput {
    pub service: Service,
    pub legal_basis: String,
    /// Hours per week or month, read by [`Minutes::parse_hours`]: "3", "2,5",
    /// "1,75" or "1:40".
    pub hours: String,
    pub per: AllowanceUnit,
    /// `YYYY-MM-DD` (an `<input type=date>`).
    pub from: String,
    /// `YYYY-MM-DD`, or empty for "until further notice".
    pub to: String,
    /// The payer area's id, as text.
    pub payer: String,
    /// The catalogue's offer the grant is for, its id as text; empty: none
    /// (issue 15: "grants … pick from it").
    pub offer: String,
}

impl GrantInput {
    /// A fresh form: housing support from `today`, the payer the payer rule
    /// names for the citizen's benefit.
    pub fn new(benefit: BenefitType, today: Date, areas: &[AreaSummary]) -> GrantInput {
        let service = Service::HousingSupport;
        GrantInput {
            service,
            legal_basis: service.default_legal_basis().to_owned(),
            hours: String::new(),
            per: AllowanceUnit::Week,
            from: today.to_string(),
            to: String::new(),
            payer: expected_payer(service, benefit, areas).map(|a| a.id.to_string()).unwrap_or_default(),
            offer: String::new(),
        }
    }

    /// The form filled from a stored grant (changing or ending it).
    pub fn from_grant(g: &Grant) -> GrantInput {
        GrantInput {
            service: g.service,
            legal_basis: g.legal_basis.to_string(),
            hours: g.allowance.minutes().hours_text(),
            per: g.allowance.per(),
            from: g.period.from().to_string(),
            to: g.period.to().map(|d| d.to_string()).unwrap_or_default(),
            payer: g.payer_area_id.to_string(),
            offer: g.offer_id.map(|o| o.to_string()).unwrap_or_default(),
        }
    }

    /// Another service chosen: its usual legal basis and the payer the rule
    /// names, unless the user had typed a basis of their own.
    pub fn with_service(mut self, service: Service, benefit: BenefitType, areas: &[AreaSummary]) -> GrantInput {
        if self.legal_basis.trim().is_empty() || self.legal_basis == self.service.default_legal_basis() {
            self.legal_basis = service.default_legal_basis().to_owned();
        }
        if let Some(area) = expected_payer(service, benefit, areas) {
            self.payer = area.id.to_string();
        }
        self.service = service;
        self
    }
}

/// The area the payer rule names for `service` to a citizen on `benefit`.
pub fn expected_payer(service: Service, benefit: BenefitType, areas: &[AreaSummary]) -> Option<&AreaSummary> {
    let kind = shared::charge::payer_kind(service, benefit);
    areas.iter().find(|a| a.kind == kind)
}

/// What the form is checked against.
pub struct Context<'a> {
    pub grant_id: GrantId,
    pub citizen_id: CitizenId,
    pub benefit: BenefitType,
    pub areas: &'a [AreaSummary],
    /// The citizen's other grants (the one being changed may be among them).
    pub others: &'a [Grant],
    /// The offers of the catalogue that may be chosen (the active ones);
    /// the offer the grant already names stays choosable when it is no
    /// longer offered.
    pub offers: &'a [shared::OfferId],
    /// Today (Copenhagen): a first day typed is at most two years back.
    pub today: Date,
    /// The citizen's year of birth: a contact person is for the young
    /// ([`Service::is_for_age`]).
    pub birth_year: shared::citizen::BirthYear,
}

/// Seed 003's double grant the form would make, if it reads: the typed
/// grant beside the citizen's other grants (not the one it replaces), the
/// first mentor / § 85 pair that includes it. A warning, not a refusal:
/// the lead decides.
pub fn double_grant(input: &GrantInput, ctx: &Context<'_>) -> Option<shared::grant::DoubleGrant> {
    let grant = read(input, ctx).ok()?;
    let mut all: Vec<Grant> = ctx.others.iter().filter(|g| g.id != grant.id).cloned().collect();
    all.push(grant.clone());
    shared::grant::double_grants(&all).into_iter().find(|d| d.mentor == grant.id || d.housing_support == grant.id)
}

/// The offer field: empty is none; else an offer of `ctx.offers` or the
/// one the grant already names. Errors: `offer_id` `unknown_value`.
fn read_offer(text: &str, ctx: &Context<'_>) -> Result<Option<shared::OfferId>, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let kept = |o: &shared::OfferId| ctx.others.iter().any(|g| g.id == ctx.grant_id && g.offer_id == Some(*o));
    text.parse::<shared::OfferId>()
        .ok()
        .filter(|o| ctx.offers.contains(o) || kept(o))
        .map(Some)
        .ok_or_else(|| ValidationError::new("offer_id", Problem::UnknownValue))
}

/// Reads the form. All problems at once, each naming its field.
pub fn read(input: &GrantInput, ctx: &Context<'_>) -> Result<Grant, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let legal_basis = LegalBasis::try_from(input.legal_basis.trim()).map_err(|e| errors.push(e.at("legal_basis"))).ok();
    // The field is in hours, so are its refusals (issue 12, kind 3).
    let allowance = Minutes::parse_required_hours(&input.hours, Some(Allowance::max_minutes(input.per)))
        .map_err(|problem| errors.push(ValidationError::new("hours", problem)))
        .ok()
        .and_then(|m| Allowance::new(m, input.per).map_err(|e| errors.push(e.at("hours"))).ok());
    let from: Option<Date> =
        Date::read_field("valid_from", &input.from, true).map_err(|e| errors.push(e)).ok().flatten();
    let to: Option<Option<Date>> = Date::read_field("valid_to", &input.to, false).map_err(|e| errors.push(e)).ok();
    let period = match (from, to) {
        (Some(from), Some(to)) => DateRange::new(from, to).map_err(|e| errors.push(e)).ok(),
        _ => None,
    };
    let payer = if input.payer.is_empty() {
        errors.push(ValidationError::new("payer_area_id", Problem::Required));
        None
    } else {
        let area = ctx.areas.iter().find(|a| a.id.to_string() == input.payer);
        if area.is_none() {
            errors.push(ValidationError::new("payer_area_id", Problem::UnknownValue));
        }
        area
    };
    let offer = read_offer(&input.offer, ctx).map_err(|e| errors.push(e)).ok();
    let (Some(legal_basis), Some(allowance), Some(period), Some(payer), Some(offer_id)) =
        (legal_basis, allowance, period, payer, offer)
    else {
        return Err(errors);
    };
    let grant = Grant {
        id: ctx.grant_id,
        citizen_id: ctx.citizen_id,
        service: input.service,
        legal_basis,
        allowance,
        period,
        payer_area_id: payer.id,
        offer_id,
    };
    let stored = ctx.others.iter().find(|g| g.id == grant.id);
    if let Err(e) = grant.check_from(stored, ctx.today) {
        errors.push(e);
    }
    if let Err(e) = grant.check_age(ctx.birth_year, stored) {
        errors.push(e);
    }
    match shared::charge::check_grant(&grant, ctx.benefit, payer.kind, ctx.others) {
        Ok(()) if errors.is_empty() => Ok(grant),
        Ok(()) => Err(errors),
        Err(e) => {
            errors.push(e);
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use shared::area::AreaKind;
    use shared::text::OrgName;
    use uuid::Uuid;

    use super::*;

    fn area(n: u128, kind: AreaKind) -> AreaSummary {
        AreaSummary {
            id: shared::AreaId::from_uuid(Uuid::from_u128(n)),
            name: OrgName::try_from(format!("Område {n}")).expect("name"),
            kind,
        }
    }

    fn areas() -> Vec<AreaSummary> {
        vec![area(1, AreaKind::Social), area(2, AreaKind::Employment), area(3, AreaKind::ChildrenYouth)]
    }

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn ctx<'a>(areas: &'a [AreaSummary], others: &'a [Grant], benefit: BenefitType) -> Context<'a> {
        Context {
            grant_id: GrantId::from_uuid(Uuid::from_u128(77)),
            citizen_id: CitizenId::from_uuid(Uuid::from_u128(9)),
            benefit,
            areas,
            others,
            offers: &OFFERS,
            today: d("2026-11-24"),
            // Young enough for every service (a contact person too).
            birth_year: shared::citizen::BirthYear::try_from(2008).expect("year"),
        }
    }

    const OFFERS: [shared::OfferId; 2] =
        [shared::OfferId::from_uuid(Uuid::from_u128(501)), shared::OfferId::from_uuid(Uuid::from_u128(502))];

    fn fields(errors: &[ValidationError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field.as_ref(), e.code())).collect()
    }

    /// Issue 15's walk: a contact person for a citizen of 38 is refused
    /// at the service, beside whatever else is wrong.
    #[test]
    fn a_contact_person_for_an_adult_is_refused_at_the_service() {
        let areas = areas();
        let mut context = ctx(&areas, &[], BenefitType::CashBenefit);
        context.birth_year = shared::citizen::BirthYear::try_from(1988).expect("year");
        let input = GrantInput::new(BenefitType::CashBenefit, d("2026-11-24"), &areas).with_service(
            Service::ContactPerson,
            BenefitType::CashBenefit,
            &areas,
        );
        let input = GrantInput { hours: "2".into(), ..input };
        let errors = read(&input, &context).expect_err("too old");
        assert_eq!(fields(&errors), [("service", "age_limit")]);
        let young = ctx(&areas, &[], BenefitType::CashBenefit);
        assert!(read(&input, &young).is_ok(), "born 2008: a contact person");
    }

    #[test]
    fn a_new_form_names_the_payer_by_the_rule() {
        let areas = areas();
        let input = GrantInput::new(BenefitType::CashBenefit, d("2026-11-24"), &areas);
        assert_eq!(input.payer, areas[1].id.to_string(), "housing support on cash benefit: employment");
        assert_eq!(input.legal_basis, "SEL § 85");
        let pension = GrantInput::new(BenefitType::EarlyRetirementPension, d("2026-11-24"), &areas);
        assert_eq!(pension.payer, areas[0].id.to_string(), "on early-retirement pension: social");
        let mentor = pension.with_service(Service::Mentor, BenefitType::EarlyRetirementPension, &areas);
        assert_eq!((mentor.legal_basis.as_str(), mentor.payer.clone()), ("LAB § 78", areas[1].id.to_string()));
        let mut own = GrantInput::new(BenefitType::CashBenefit, d("2026-11-24"), &areas);
        own.legal_basis = "SEL § 85, stk. 2".into();
        assert_eq!(own.with_service(Service::Mentor, BenefitType::CashBenefit, &areas).legal_basis, "SEL § 85, stk. 2");
    }

    #[test]
    fn a_valid_form_reads_into_the_grant_and_back() {
        let areas = areas();
        let mut input = GrantInput::new(BenefitType::CashBenefit, d("2026-11-24"), &areas);
        input.hours = "2,5".into();
        input.to = "2027-05-31".into();
        let grant = read(&input, &ctx(&areas, &[], BenefitType::CashBenefit)).expect("valid");
        assert_eq!(grant.allowance.minutes(), Minutes::new(150));
        assert_eq!(grant.period.to(), Some(d("2027-05-31")));
        assert_eq!(grant.payer_area_id, areas[1].id);
        assert_eq!(GrantInput::from_grant(&grant), input);
        // Changing it is not an overlap with itself.
        assert!(read(&input, &ctx(&areas, std::slice::from_ref(&grant), BenefitType::CashBenefit)).is_ok());
    }

    /// Seed 003: a § 85 grant typed for a citizen who has a mentor grant
    /// over some of the same days warns; the same days another year, or
    /// the mentor grant itself being changed, do not.
    #[test]
    fn a_double_grant_is_warned_about_before_it_is_saved() {
        let areas = areas();
        let mut mentor_form = GrantInput::new(BenefitType::CashBenefit, d("2026-01-01"), &areas).with_service(
            Service::Mentor,
            BenefitType::CashBenefit,
            &areas,
        );
        mentor_form.hours = "2".into();
        mentor_form.to = "2026-06-30".into();
        let mentor = Grant {
            id: GrantId::from_uuid(Uuid::from_u128(5)),
            ..read(&mentor_form, &ctx(&areas, &[], BenefitType::CashBenefit)).expect("mentor")
        };
        let others = [mentor.clone()];
        let mut housing = GrantInput::new(BenefitType::CashBenefit, d("2026-06-01"), &areas);
        housing.hours = "3".into();
        let warned = double_grant(&housing, &ctx(&areas, &others, BenefitType::CashBenefit)).expect("a double grant");
        assert_eq!((warned.mentor, warned.from, warned.to), (mentor.id, d("2026-06-01"), Some(d("2026-06-30"))));
        housing.from = "2026-07-01".into();
        assert_eq!(double_grant(&housing, &ctx(&areas, &others, BenefitType::CashBenefit)), None, "after it ends");
        housing.hours = "abc".into();
        assert_eq!(double_grant(&housing, &ctx(&areas, &others, BenefitType::CashBenefit)), None, "unread: no warning");
    }

    #[test]
    fn every_problem_names_its_field() {
        let areas = areas();
        let blank = GrantInput {
            service: Service::HousingSupport,
            legal_basis: " ".into(),
            hours: String::new(),
            per: AllowanceUnit::Week,
            from: String::new(),
            to: "igår".into(),
            payer: String::new(),
            offer: String::new(),
        };
        let errors = read(&blank, &ctx(&areas, &[], BenefitType::CashBenefit)).expect_err("blank");
        assert_eq!(
            fields(&errors),
            [
                ("legal_basis", "required"),
                ("hours", "required"),
                ("valid_from", "required"),
                ("valid_to", "date_expected"),
                ("payer_area_id", "required")
            ]
        );

        let mut input = GrantInput::new(BenefitType::CashBenefit, d("2026-11-24"), &areas);
        input.hours = "0".into();
        input.to = "2026-11-01".into();
        let errors = read(&input, &ctx(&areas, &[], BenefitType::CashBenefit)).expect_err("zero, backwards");
        assert_eq!(fields(&errors), [("hours", "hours_out_of_range"), ("valid_to", "before_start_day")]);

        input.hours = "1,333".into();
        input.to = String::new();
        let errors = read(&input, &ctx(&areas, &[], BenefitType::CashBenefit)).expect_err("not whole minutes");
        assert_eq!(fields(&errors), [("hours", "not_whole_minutes")]);

        input.hours = "3".into();
        input.payer = areas[0].id.to_string();
        let errors = read(&input, &ctx(&areas, &[], BenefitType::CashBenefit)).expect_err("wrong payer");
        assert_eq!(fields(&errors), [("payer_area_id", "wrong_payer")]);
        input.payer = Uuid::from_u128(99).to_string();
        let errors = read(&input, &ctx(&areas, &[], BenefitType::CashBenefit)).expect_err("unknown payer");
        assert_eq!(fields(&errors), [("payer_area_id", "unknown_value")]);
    }

    #[test]
    fn an_overlapping_grant_for_the_same_service_is_refused() {
        let areas = areas();
        let mut input = GrantInput::new(BenefitType::CashBenefit, d("2026-01-01"), &areas);
        input.hours = "3".into();
        let existing = Grant {
            id: GrantId::from_uuid(Uuid::from_u128(5)),
            ..read(&input, &ctx(&areas, &[], BenefitType::CashBenefit)).expect("valid")
        };
        input.from = "2026-06-01".into();
        let errors = read(&input, &ctx(&areas, std::slice::from_ref(&existing), BenefitType::CashBenefit))
            .expect_err("overlaps");
        assert_eq!(fields(&errors), [("valid_from", "overlaps")]);
        // Another service on the same days is fine.
        let mentor = input.with_service(Service::Mentor, BenefitType::CashBenefit, &areas);
        assert!(read(&mentor, &ctx(&areas, std::slice::from_ref(&existing), BenefitType::CashBenefit)).is_ok());
    }

    /// Issue 12, kind 3: the grant form reads hours through the one parser,
    /// the Danish way, and says how to write an ambiguous number.
    #[test]
    fn the_grant_form_reads_hours_the_danish_way() {
        let areas = areas();
        let cases: &[(&str, Result<u32, &str>)] = &[
            ("2,5", Ok(150)),
            ("1:40", Ok(100)),
            ("37,5", Ok(2250)),
            ("1.5", Err("ambiguous_hours")),
            ("2.50", Err("ambiguous_hours")),
            ("0,01", Err("not_whole_minutes")),
            ("-3", Err("hours_out_of_range")),
            // Read as 1200 hours a week: more than a week has.
            ("1.200", Err("hours_out_of_range")),
            ("168", Ok(10_080)),
            ("168,5", Err("hours_out_of_range")),
            ("0", Err("hours_out_of_range")),
            ("0:00", Err("hours_out_of_range")),
            ("", Err("required")),
        ];
        for (hours, expected) in cases {
            let mut input = GrantInput::new(BenefitType::CashBenefit, d("2026-11-24"), &areas);
            input.hours = (*hours).into();
            let got = read(&input, &ctx(&areas, &[], BenefitType::CashBenefit))
                .map(|g| g.allowance.minutes().get())
                .map_err(|e| e.iter().map(|e| (e.field.to_string(), e.code())).collect::<Vec<_>>());
            match expected {
                Ok(minutes) => assert_eq!(got, Ok(*minutes), "{hours:?}"),
                Err(code) => assert_eq!(got, Err(vec![("hours".to_owned(), *code)]), "{hours:?}"),
            }
        }
        // The messages name the hours field and speak of hours; a month
        // allows 744 of them.
        let mut input = GrantInput::new(BenefitType::CashBenefit, d("2026-11-24"), &areas);
        input.hours = "1.200".into();
        let errors = read(&input, &ctx(&areas, &[], BenefitType::CashBenefit)).expect_err("too many");
        assert_eq!(errors[0].message().da, "Timer: skal være mere end 0 og højst 168 timer");
        assert_eq!(errors[0].message().en, "Hours: must be more than 0 and at most 168 hours");
        input.per = AllowanceUnit::Month;
        let errors = read(&input, &ctx(&areas, &[], BenefitType::CashBenefit)).expect_err("too many");
        assert_eq!(errors[0].message().da, "Timer: skal være mere end 0 og højst 744 timer");
        input.hours = "1.5".into();
        let errors = read(&input, &ctx(&areas, &[], BenefitType::CashBenefit)).expect_err("ambiguous");
        assert!(errors[0].message().da.starts_with("Timer: kan læses på flere måder"), "{}", errors[0].message().da);
    }

    /// Issue 15: a grant may name an offer of the catalogue. An active
    /// offer reads; an unknown id, text that is no id, or an offer no
    /// longer offered refuse at `offer_id`, unless the grant being changed
    /// names it already (an old decision keeps its offer).
    #[test]
    fn a_grant_names_an_offer_of_the_catalogue() {
        let areas = areas();
        let mut input = GrantInput::new(BenefitType::CashBenefit, d("2026-11-24"), &areas);
        input.hours = "2".into();
        let plain = read(&input, &ctx(&areas, &[], BenefitType::CashBenefit)).expect("no offer");
        assert_eq!(plain.offer_id, None);
        input.offer = format!(" {} ", OFFERS[1]);
        let chosen = read(&input, &ctx(&areas, &[], BenefitType::CashBenefit)).expect("an active offer");
        assert_eq!(chosen.offer_id, Some(OFFERS[1]));
        assert_eq!(GrantInput::from_grant(&chosen).offer, OFFERS[1].to_string());

        let retired = shared::OfferId::from_uuid(Uuid::from_u128(599));
        for bad in ["abc".to_owned(), retired.to_string(), shared::OfferId::from_uuid(Uuid::from_u128(1)).to_string()] {
            input.offer = bad.clone();
            let errors = read(&input, &ctx(&areas, &[], BenefitType::CashBenefit)).expect_err(&bad);
            assert_eq!(fields(&errors), [("offer_id", "unknown_value")], "{bad}");
            assert_eq!(errors[0].message().da, "Tilbud: er ikke en kendt værdi");
        }

        // The grant being changed names the retired offer: it stays.
        let mut kept = chosen.clone();
        kept.id = GrantId::from_uuid(Uuid::from_u128(77));
        kept.offer_id = Some(retired);
        input.offer = retired.to_string();
        let again = read(&input, &ctx(&areas, std::slice::from_ref(&kept), BenefitType::CashBenefit)).expect("kept");
        assert_eq!(again.offer_id, Some(retired));
        // Another grant's retired offer is not choosable.
        kept.id = GrantId::from_uuid(Uuid::from_u128(78));
        kept.period = DateRange::new(d("2020-01-01"), Some(d("2020-12-31"))).expect("range");
        let errors =
            read(&input, &ctx(&areas, std::slice::from_ref(&kept), BenefitType::CashBenefit)).expect_err("theirs");
        assert_eq!(fields(&errors), [("offer_id", "unknown_value")]);
    }
}
