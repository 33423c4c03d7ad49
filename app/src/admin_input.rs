//! The administrator's forms as plain data: a drawing right and the
//! caseload norms, read with the server's rules, every refusal naming its
//! field. Pure, so it is tested natively.

use shared::Lang;
use shared::admin::{AreaInput, AssignmentInput, CitizenInput, NewPassword, TeamInput, UserInput};
use shared::api::{AreaSummary, TeamSummary};
use shared::area::AreaKind;
use shared::citizen::BenefitType;
use shared::drawing_right::{DrawingRight, Rollover};
use shared::review::Birth;
use shared::text::OrgName;
use shared::text::{ExternalId, PersonName, Username};
use shared::time::{DateRange, PeriodKind};
use shared::usage::CaseloadNorms;
use shared::user::Role;
use shared::{AreaId, CitizenId, Date, DrawingRightId, Minutes, Problem, TeamId, UserId, ValidationError};

/// The drawing-right form's fields as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawingRightInput {
    pub name: String,
    pub owner_area: String,
    pub provider_team: String,
    /// Hours per period: "500", "37,5" or "12:30".
    pub hours: String,
    pub period_kind: PeriodKind,
    pub rollover: Rollover,
    pub from: String,
    pub to: String,
}

impl DrawingRightInput {
    /// A fresh form: a monthly pool whose unused hours expire, from `today`.
    pub fn new(today: Date) -> DrawingRightInput {
        DrawingRightInput {
            name: String::new(),
            owner_area: String::new(),
            provider_team: String::new(),
            hours: String::new(),
            period_kind: PeriodKind::Month,
            rollover: Rollover::Expire,
            from: today.to_string(),
            to: String::new(),
        }
    }

    pub fn from_pool(p: &DrawingRight) -> DrawingRightInput {
        DrawingRightInput {
            name: p.name.to_string(),
            owner_area: p.owner_area_id.to_string(),
            provider_team: p.provider_team_id.to_string(),
            hours: p.minutes_per_period.hours_text(),
            period_kind: p.period_kind,
            rollover: p.rollover,
            from: p.valid.from().to_string(),
            to: p.valid.to().map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

/// A date field: required, or empty for "none" when `optional`.
fn date_field(
    text: &str,
    field: &'static str,
    optional: bool,
    errors: &mut Vec<ValidationError>,
) -> Option<Option<Date>> {
    Date::read_field(field, text, !optional).map_err(|e| errors.push(e)).ok()
}

/// Reads the drawing-right form: a name, an owning area, a providing team
/// of *another* area (seed 000), positive minutes and a valid period.
pub fn read_drawing_right(
    input: &DrawingRightInput,
    id: DrawingRightId,
    areas: &[AreaSummary],
    teams: &[TeamSummary],
) -> Result<DrawingRight, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let name = OrgName::try_from(input.name.trim()).map_err(|e| errors.push(e.at("name"))).ok();
    let owner = match areas.iter().find(|a| a.id.to_string() == input.owner_area) {
        Some(a) => Some(a),
        None => {
            let problem = if input.owner_area.is_empty() { Problem::Required } else { Problem::UnknownValue };
            errors.push(ValidationError::new("owner_area_id", problem));
            None
        }
    };
    let team = match teams.iter().find(|t| t.id.to_string() == input.provider_team) {
        Some(t) if owner.is_some_and(|o| o.id == t.area.id) => {
            errors.push(ValidationError::new("provider_team_id", Problem::OwnAreaTeam));
            None
        }
        Some(t) => Some(t),
        None => {
            let problem = if input.provider_team.is_empty() { Problem::Required } else { Problem::UnknownValue };
            errors.push(ValidationError::new("provider_team_id", problem));
            None
        }
    };
    // The field is in hours, so are its refusals (issue 12, kind 3).
    let minutes = Minutes::parse_required_hours(&input.hours, None)
        .map_err(|problem| errors.push(ValidationError::new("hours", problem)))
        .ok();
    let from = date_field(&input.from, "valid_from", false, &mut errors);
    let to = date_field(&input.to, "valid_to", true, &mut errors);
    let valid = match (from, to) {
        (Some(Some(from)), Some(to)) => DateRange::new(from, to).map_err(|e| errors.push(e)).ok(),
        _ => None,
    };
    match (name, owner, team, minutes, valid) {
        (Some(name), Some(owner), Some(team), Some(minutes), Some(valid)) if errors.is_empty() => Ok(DrawingRight {
            id,
            name,
            owner_area_id: owner.id,
            provider_team_id: team.id,
            minutes_per_period: minutes,
            period_kind: input.period_kind,
            rollover: input.rollover,
            valid,
        }),
        _ => Err(errors),
    }
}

/// Reads the caseload-norm form: cases per coordinator, per area kind.
pub fn read_norms(employment: &str, social: &str, children_youth: &str) -> Result<CaseloadNorms, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let mut number = |text: &str, field: &'static str| -> u32 {
        match text.trim().parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                let problem = if text.trim().is_empty() { Problem::Required } else { Problem::InvalidFormat };
                errors.push(ValidationError::new(field, problem));
                0
            }
        }
    };
    let (e, s, c) =
        (number(employment, "employment"), number(social, "social"), number(children_youth, "children_youth"));
    if !errors.is_empty() {
        return Err(errors);
    }
    // Range problems, every field at once.
    let range: Vec<_> = [("employment", e), ("social", s), ("children_youth", c)]
        .into_iter()
        .filter(|(_, n)| *n == 0 || *n > CaseloadNorms::MAX)
        .map(|(field, _)| ValidationError::new(field, Problem::OutOfRange { min: 1, max: CaseloadNorms::MAX.into() }))
        .collect();
    if !range.is_empty() {
        return Err(range);
    }
    CaseloadNorms::new(e, s, c).map_err(|e| vec![e])
}

/// Reads the resource settings form: a full-time post's hours a week as
/// typed ("37", "37,5"), and an hourly rate in whole kroner per kind
/// (empty: no rate). Every problem at once, each at its field
/// (`full_time_week`, `rate_<kind>`).
pub fn read_resource_settings(
    week: &str,
    rates: &[(shared::figures::RateKind, String)],
) -> Result<shared::figures::ResourceSettings, Vec<ValidationError>> {
    use shared::figures::{ResourceSettings, rate_field};
    let mut errors = Vec::new();
    let full_time_week = match Minutes::parse_required_hours(week, None) {
        Ok(m) => m,
        Err(problem) => {
            // What is no number at all is told how hours are written; a
            // number out of range, the range (as a week above it is).
            let (min, max) = ResourceSettings::WEEK_HOURS;
            let problem = match problem {
                Problem::InvalidFormat => Problem::HoursExpected,
                Problem::HoursOutOfRange { .. } => Problem::OutOfRange { min: min.into(), max: max.into() },
                other => other,
            };
            errors.push(ValidationError::new("full_time_week", problem));
            Minutes::ZERO
        }
    };
    let mut settings = ResourceSettings { full_time_week, rates: Default::default() };
    for (kind, text) in rates {
        let text = text.trim().trim_end_matches("kr.").trim();
        if text.is_empty() {
            continue;
        }
        // Whole kroner; a point only groups thousands ("1.200"), so
        // "12.5" is refused rather than read as 125.
        let grouped = text.split('.').skip(1).all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        let digits = if grouped { text.replace('.', "") } else { text.to_owned() };
        let unsigned = digits.strip_prefix(['-', '\u{2212}']).unwrap_or(&digits).trim_start();
        match digits.parse::<u32>() {
            Ok(rate) => {
                settings.rates.insert(*kind, rate);
            }
            // A whole number, only too small or too large ("-5",
            // "99999999999"): the range is what is wrong.
            Err(_) if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) => {
                errors.push(ValidationError::new(
                    rate_field(*kind),
                    Problem::OutOfRange { min: 1, max: ResourceSettings::MAX_RATE.into() },
                ))
            }
            Err(_) => errors.push(ValidationError::new(rate_field(*kind), Problem::WholeKronerExpected)),
        }
    }
    if let Err(more) = settings.check() {
        let more: Vec<ValidationError> =
            more.into_iter().filter(|e| !errors.iter().any(|x| x.field == e.field)).collect();
        errors.extend(more);
    }
    if errors.is_empty() { Ok(settings) } else { Err(errors) }
}

/// An offer of the catalogue as typed: its name, its area's id (empty:
/// across the areas), the law, whom to contact, what it is, and whether it
/// is offered. Every problem at once, each at its field (`name`,
/// `legal_basis`, `contact`, `description`).
pub fn read_offer(
    name: &str,
    area: &str,
    law: &str,
    contact: &str,
    description: &str,
    active: bool,
) -> Result<shared::offer::OfferInput, Vec<ValidationError>> {
    use shared::text::{OfferContact, OfferDescription, OfferLaw, OfferName};
    let mut errors = Vec::new();
    let mut take = |e: ValidationError| errors.push(e);
    let name = OfferName::try_from(name).map_err(&mut take).ok();
    let law = OfferLaw::try_from(law).map_err(&mut take).ok();
    let contact = OfferContact::try_from(contact).map_err(&mut take).ok();
    let description = OfferDescription::try_from(description).map_err(&mut take).ok();
    let area_id = match area.trim() {
        "" => Some(None),
        a => {
            a.parse::<AreaId>().map(Some).map_err(|_| take(ValidationError::new("area_id", Problem::UnknownValue))).ok()
        }
    };
    match (name, law, contact, description, area_id) {
        (Some(name), Some(legal_basis), Some(contact), Some(description), Some(area_id)) if errors.is_empty() => {
            Ok(shared::offer::OfferInput { name, area_id, legal_basis, contact, description, active })
        }
        _ => Err(errors),
    }
}

/// An area as typed: a name and a kind.
pub fn read_area(name: &str, kind: &str) -> Result<AreaInput, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let name = OrgName::try_from(name.trim()).map_err(|e| errors.push(e.at("name"))).ok();
    let kind = choice(kind, "kind", AreaKind::from_code, &mut errors);
    match (name, kind) {
        (Some(name), Some(kind)) => Ok(AreaInput { name, kind }),
        _ => Err(errors),
    }
}

/// A team as typed: a name and its area (one of `areas`).
pub fn read_team(
    name: &str,
    area: &str,
    consultant_team: bool,
    areas: &[AreaSummary],
) -> Result<TeamInput, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let name = OrgName::try_from(name.trim()).map_err(|e| errors.push(e.at("name"))).ok();
    let area = choice(area, "area_id", |t| areas.iter().find(|a| a.id.to_string() == t).map(|a| a.id), &mut errors);
    match (name, area) {
        (Some(name), Some(area_id)) => Ok(TeamInput { name, area_id, consultant_team }),
        _ => Err(errors),
    }
}

/// A required choice from a `<select>`: empty is `Required`, a value
/// `parse` does not know is `UnknownValue`.
fn choice<T>(
    text: &str,
    field: &'static str,
    parse: impl Fn(&str) -> Option<T>,
    errors: &mut Vec<ValidationError>,
) -> Option<T> {
    if text.is_empty() {
        errors.push(ValidationError::new(field, Problem::Required));
        return None;
    }
    let value = parse(text);
    if value.is_none() {
        errors.push(ValidationError::new(field, Problem::UnknownValue));
    }
    value
}

/// The user form's fields as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserForm {
    pub username: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub teams: Vec<TeamId>,
    /// The areas an area head heads (ignored for other roles).
    pub areas: Vec<AreaId>,
    pub active: bool,
    /// Empty: keep the password (required for a new user).
    pub temporary_password: String,
    /// The post as a citizen consultant in per cent of a full-time post, as
    /// typed; empty: half time (seed 002).
    pub course_post: String,
}

/// Reads the user form. `is_new`: a temporary password is required.
/// Errors: `username`, `name`; `roles` `required`; `area_ids` `required`
/// for an area head heading no area; `temporary_password`.
pub fn read_user(form: &UserForm, is_new: bool) -> Result<UserInput, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let username = Username::try_from(form.username.trim()).map_err(|e| errors.push(e.at("username"))).ok();
    let name = PersonName::try_from(form.name.trim()).map_err(|e| errors.push(e.at("name"))).ok();
    if form.roles.is_empty() {
        errors.push(ValidationError::new("roles", Problem::Required));
    }
    let heads = form.roles.contains(&Role::AreaHead);
    if heads && form.areas.is_empty() {
        errors.push(ValidationError::new("area_ids", Problem::Required));
    }
    let password = if form.temporary_password.is_empty() && !is_new {
        Some(None)
    } else {
        NewPassword::try_from(form.temporary_password.clone())
            .map(Some)
            .map_err(|e| errors.push(e.at("temporary_password")))
            .ok()
    };
    let course_post = match form.course_post.trim() {
        "" => None,
        typed => match typed.trim_end_matches('%').trim().parse::<u32>() {
            Ok(p) if p <= 100 => Some(p),
            Ok(_) => {
                errors.push(ValidationError::new("course_post", Problem::OutOfRange { min: 0, max: 100 }));
                None
            }
            Err(_) => {
                errors.push(ValidationError::new("course_post", Problem::WholeNumberExpected { min: 0, max: 100 }));
                None
            }
        },
    };
    match (username, name, password) {
        (Some(username), Some(name), Some(temporary_password)) if errors.is_empty() => Ok(UserInput {
            username,
            name,
            roles: form.roles.clone(),
            team_ids: form.teams.clone(),
            area_ids: if heads { form.areas.clone() } else { Vec::new() },
            active: form.active,
            course_post,
            temporary_password,
        }),
        _ => Err(errors),
    }
}

/// The citizen form's fields as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CitizenForm {
    pub name: String,
    /// A birth date or only the year ([`Birth::parse`]).
    pub birth: String,
    pub benefit_type: String,
    /// A user id, or empty for none.
    pub coordinator: String,
    pub external_id: String,
}

impl CitizenForm {
    pub fn from_input(c: &CitizenInput) -> CitizenForm {
        CitizenForm {
            name: c.name.to_string(),
            birth: c.birth.format(Lang::Da),
            benefit_type: c.benefit_type.code().to_owned(),
            coordinator: c.coordinator_id.map(|u| u.to_string()).unwrap_or_default(),
            external_id: c.external_id.as_ref().map(|e| e.to_string()).unwrap_or_default(),
        }
    }
}

/// The citizen form as a [`CitizenInput`], the birth read for `today`
/// (Europe/Copenhagen). Errors: each field's, in the form's order.
pub fn read_citizen(form: &CitizenForm, today: Date) -> Result<CitizenInput, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let name = PersonName::try_from(form.name.trim()).map_err(|e| errors.push(e.at("name"))).ok();
    let birth = Birth::parse(&form.birth, today).map_err(|e| errors.push(e)).ok();
    let benefit_type = choice(&form.benefit_type, "benefit_type", BenefitType::from_code, &mut errors);
    let coordinator_id = if form.coordinator.is_empty() {
        Some(None)
    } else {
        form.coordinator
            .parse()
            .map(Some)
            .map_err(|_| errors.push(ValidationError::new("coordinator_id", Problem::UnknownValue)))
            .ok()
    };
    let external_id = if form.external_id.trim().is_empty() {
        Some(None)
    } else {
        ExternalId::try_from(form.external_id.trim()).map(Some).map_err(|e| errors.push(e.at("external_id"))).ok()
    };
    match (name, birth, benefit_type, coordinator_id, external_id) {
        (Some(name), Some(birth), Some(benefit_type), Some(coordinator_id), Some(external_id)) if errors.is_empty() => {
            Ok(CitizenInput { name, birth, benefit_type, coordinator_id, external_id })
        }
        _ => Err(errors),
    }
}

/// An assignment as typed: who (a user id) from when until when.
pub fn read_assignment(
    citizen: CitizenId,
    user: &str,
    from: &str,
    to: &str,
) -> Result<AssignmentInput, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let user_id = choice(user, "user_id", |t| t.parse::<UserId>().ok(), &mut errors);
    let from = date_field(from, "valid_from", false, &mut errors);
    let to = date_field(to, "valid_to", true, &mut errors);
    let period = match (from, to) {
        (Some(Some(from)), Some(to)) => DateRange::new(from, to).map_err(|e| errors.push(e)).ok(),
        _ => None,
    };
    match (user_id, period) {
        (Some(user_id), Some(period)) if errors.is_empty() => {
            Ok(AssignmentInput { citizen_id: citizen, user_id, period })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use shared::area::AreaKind;
    use shared::{AreaId, Minutes, TeamId};
    use uuid::Uuid;

    use super::*;

    fn area(n: u128, kind: AreaKind) -> AreaSummary {
        AreaSummary {
            id: AreaId::from_uuid(Uuid::from_u128(n)),
            name: OrgName::try_from(format!("Område {n}")).expect("name"),
            kind,
        }
    }

    fn team(n: u128, area: &AreaSummary) -> TeamSummary {
        TeamSummary {
            id: TeamId::from_uuid(Uuid::from_u128(n)),
            name: OrgName::try_from(format!("Team {n}")).expect("name"),
            area: area.clone(),
            consultant_team: false,
        }
    }

    fn fields(errors: &[ValidationError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field.as_ref(), e.code())).collect()
    }

    #[test]
    fn a_drawing_right_on_another_areas_team_reads_and_round_trips() {
        let areas = [area(1, AreaKind::Social), area(2, AreaKind::Employment)];
        let teams = [team(10, &areas[0]), team(20, &areas[1])];
        let id = DrawingRightId::from_uuid(Uuid::from_u128(5));
        let mut input = DrawingRightInput::new("2026-01-01".parse().expect("date"));
        input.name = "Trækningsret på bostøtte".into();
        input.owner_area = areas[1].id.to_string();
        input.provider_team = teams[0].id.to_string();
        input.hours = "37,5".into();
        input.rollover = Rollover::CarryOverruns;
        let pool = read_drawing_right(&input, id, &areas, &teams).expect("valid");
        assert_eq!(pool.minutes_per_period, Minutes::new(2250));
        assert_eq!((pool.owner_area_id, pool.provider_team_id), (areas[1].id, teams[0].id));
        assert_eq!(DrawingRightInput::from_pool(&pool), input);

        // Its own area's team is no drawing right.
        input.provider_team = teams[1].id.to_string();
        let errors = read_drawing_right(&input, id, &areas, &teams).expect_err("own team");
        assert_eq!(fields(&errors), [("provider_team_id", "own_area_team")]);
    }

    #[test]
    fn every_drawing_right_problem_names_its_field() {
        let areas = [area(1, AreaKind::Social)];
        let teams = [team(10, &areas[0])];
        let id = DrawingRightId::from_uuid(Uuid::from_u128(5));
        let mut input = DrawingRightInput::new("2026-01-01".parse().expect("date"));
        input.from = String::new();
        let errors = read_drawing_right(&input, id, &areas, &teams).expect_err("blank");
        assert_eq!(
            fields(&errors),
            [
                ("name", "required"),
                ("owner_area_id", "required"),
                ("provider_team_id", "required"),
                ("hours", "required"),
                ("valid_from", "required")
            ]
        );
        input.name = "x".repeat(101);
        input.owner_area = Uuid::from_u128(99).to_string();
        input.provider_team = Uuid::from_u128(98).to_string();
        input.hours = "0".into();
        input.from = "2026-02-01".into();
        input.to = "2026-01-31".into();
        let errors = read_drawing_right(&input, id, &areas, &teams).expect_err("bad");
        assert_eq!(
            fields(&errors),
            [
                ("name", "too_long"),
                ("owner_area_id", "unknown_value"),
                ("provider_team_id", "unknown_value"),
                ("hours", "hours_out_of_range"),
                ("valid_to", "before_start_day")
            ]
        );
    }

    /// Issue 12, kind 3: "1.200" hours for a drawing right is 1200 hours,
    /// not 72 minutes; what could be read two ways is refused.
    #[test]
    fn a_drawing_rights_hours_are_read_the_danish_way() {
        let areas = [area(1, AreaKind::Social), area(2, AreaKind::Employment)];
        let teams = [team(10, &areas[0])];
        let id = DrawingRightId::from_uuid(Uuid::from_u128(5));
        let cases: &[(&str, Result<u32, &str>)] = &[
            ("1.200", Ok(72_000)),
            ("1 200", Ok(72_000)),
            ("1200", Ok(72_000)),
            ("1.200,5", Ok(72_030)),
            ("12:30", Ok(750)),
            ("1.5", Err("ambiguous_hours")),
            ("1,200.5", Err("ambiguous_hours")),
            ("0,01", Err("not_whole_minutes")),
            ("0", Err("hours_out_of_range")),
            ("0,00", Err("hours_out_of_range")),
            ("-3", Err("hours_out_of_range")),
            ("500 timer", Err("invalid_format")),
            ("", Err("required")),
        ];
        for (hours, expected) in cases {
            let mut input = DrawingRightInput::new("2026-01-01".parse().expect("date"));
            input.name = "Trækningsret".into();
            input.owner_area = areas[1].id.to_string();
            input.provider_team = teams[0].id.to_string();
            input.hours = (*hours).into();
            let got = read_drawing_right(&input, id, &areas, &teams)
                .map(|p| p.minutes_per_period.get())
                .map_err(|e| e.iter().map(|e| (e.field.to_string(), e.code())).collect::<Vec<_>>());
            match expected {
                Ok(minutes) => assert_eq!(got, Ok(*minutes), "{hours:?}"),
                Err(code) => assert_eq!(got, Err(vec![("hours".to_owned(), *code)]), "{hours:?}"),
            }
        }
    }

    #[test]
    fn norms_are_whole_positive_numbers_per_area() {
        assert_eq!(read_norms("35", " 60 ", "30"), Ok(CaseloadNorms::default()));
        let errors = read_norms("", "x", "30").expect_err("blank and text");
        assert_eq!(fields(&errors), [("employment", "required"), ("social", "invalid_format")]);
        let errors = read_norms("0", "60", "100000").expect_err("range");
        assert_eq!(fields(&errors), [("employment", "out_of_range"), ("children_youth", "out_of_range")]);
    }

    #[test]
    fn areas_and_teams_name_their_fields() {
        assert!(read_area("Børn og Unge", "children_youth").is_ok());
        assert_eq!(fields(&read_area(" ", "").expect_err("blank")), [("name", "required"), ("kind", "required")]);
        assert_eq!(fields(&read_area("X", "school").expect_err("kind")), [("kind", "unknown_value")]);
        let areas = [area(1, AreaKind::Social)];
        let team = read_team("Ungeteamet", &areas[0].id.to_string(), true, &areas).expect("valid");
        assert_eq!((team.area_id, team.consultant_team), (areas[0].id, true));
        assert_eq!(
            fields(&read_team("Ungeteamet", "", false, &areas).expect_err("no area")),
            [("area_id", "required")]
        );
    }

    #[test]
    fn a_new_user_needs_a_temporary_password_a_changed_one_may_keep_theirs() {
        let form = UserForm {
            username: "anne".into(),
            name: "Anne Berg".into(),
            roles: vec![Role::Worker],
            teams: vec![],
            areas: vec![],
            active: true,
            temporary_password: String::new(),
            course_post: String::new(),
        };
        assert_eq!(fields(&read_user(&form, true).expect_err("new")), [("temporary_password", "required")]);
        // A consultant's post: per cent of a full-time post, 0–100; empty is
        // half time (none sent).
        assert_eq!(read_user(&form, false).expect("kept").course_post, None);
        let post = |typed: &str| read_user(&UserForm { course_post: typed.into(), ..form.clone() }, false);
        assert_eq!(post(" 50 % ").expect("half").course_post, Some(50));
        assert_eq!(fields(&post("101").expect_err("over")), [("course_post", "out_of_range")]);
        assert_eq!(fields(&post("0,5").expect_err("a fraction")), [("course_post", "whole_number_expected")]);
        assert_eq!(read_user(&form, false).expect("kept").temporary_password, None);
        let short = UserForm { temporary_password: "kort".into(), ..form.clone() };
        assert_eq!(fields(&read_user(&short, false).expect_err("short")), [("temporary_password", "too_short")]);
        let bad = UserForm { username: "Anne Berg!".into(), roles: vec![], ..form.clone() };
        assert_eq!(
            fields(&read_user(&bad, false).expect_err("bad")),
            [("username", "invalid_characters"), ("roles", "required")]
        );
        // An area head heads an area; anyone else's areas are dropped.
        let area = AreaId::from_uuid(Uuid::from_u128(2));
        let head = UserForm { roles: vec![Role::AreaHead], ..form.clone() };
        assert_eq!(fields(&read_user(&head, false).expect_err("no area")), [("area_ids", "required")]);
        let head = UserForm { areas: vec![area], ..head };
        assert_eq!(read_user(&head, false).expect("heads").area_ids, [area]);
        let worker = UserForm { areas: vec![area], ..form };
        assert_eq!(read_user(&worker, false).expect("worker").area_ids, []);
    }

    #[test]
    fn citizens_and_assignments_name_their_fields() {
        let form = CitizenForm {
            name: "Mette Holm".into(),
            birth: "12.03.1988".into(),
            benefit_type: "cash_benefit".into(),
            coordinator: String::new(),
            external_id: "SAG-1".into(),
        };
        let today: Date = "2026-11-30".parse().expect("date");
        let input = read_citizen(&form, today).expect("valid");
        assert_eq!(CitizenForm::from_input(&input), form);
        let year_only = CitizenForm { birth: "1988".into(), ..form.clone() };
        assert_eq!(CitizenForm::from_input(&read_citizen(&year_only, today).expect("valid")), year_only);
        let bad = CitizenForm { birth: "nitten".into(), benefit_type: String::new(), ..form.clone() };
        assert_eq!(
            fields(&read_citizen(&bad, today).expect_err("bad")),
            [("birth", "birth_expected"), ("benefit_type", "required")]
        );
        let old = CitizenForm { birth: "1850".into(), ..form.clone() };
        assert_eq!(fields(&read_citizen(&old, today).expect_err("old")), [("birth", "out_of_range")]);
        let unborn = CitizenForm { birth: "01.12.2026".into(), ..form };
        assert_eq!(fields(&read_citizen(&unborn, today).expect_err("unborn")), [("birth", "in_future")]);
        let citizen = CitizenId::from_uuid(Uuid::from_u128(4));
        let user = Uuid::from_u128(7).to_string();
        assert!(read_assignment(citizen, &user, "2026-11-01", "").is_ok());
        assert_eq!(
            fields(&read_assignment(citizen, "", "2026-11-01", "2026-10-01").expect_err("bad")),
            [("user_id", "required"), ("valid_to", "before_start_day")]
        );
    }

    #[test]
    fn resource_settings_are_read_as_typed_every_problem_at_once() {
        use shared::figures::RateKind;
        let rates = |m: &str, d: &str| {
            vec![
                (RateKind::Mentor, m.to_owned()),
                (RateKind::DrawingRight, d.to_owned()),
                (RateKind::HousingSupport, String::new()),
            ]
        };
        let s = read_resource_settings("37", &rates("550", "1.200 kr.")).expect("valid");
        assert_eq!(s.full_time_week, Minutes::hours(37));
        assert_eq!((s.rate(RateKind::Mentor), s.rate(RateKind::DrawingRight)), (Some(550), Some(1200)));
        assert_eq!(s.rate(RateKind::HousingSupport), None, "empty: no rate");
        // What the form shows when it loads reads back unchanged.
        let s = read_resource_settings(&Minutes::new(2230).hours_text(), &rates("", "")).expect("as shown");
        assert_eq!(s.full_time_week, Minutes::new(2230));
        let s = read_resource_settings("37,5", &rates("", "")).expect("half hours");
        assert_eq!(s.full_time_week, Minutes::new(2250));
        let fields = |r: Result<_, Vec<ValidationError>>| {
            r.expect_err("refused").into_iter().map(|e| (e.field.to_string(), e.problem.code())).collect::<Vec<_>>()
        };
        assert_eq!(
            fields(read_resource_settings("", &rates("5,5", "0"))),
            [
                ("full_time_week".to_owned(), "required"),
                ("rate_mentor".to_owned(), "whole_kroner_expected"),
                ("rate_drawing_right".to_owned(), "out_of_range"),
            ]
        );
        // A point only groups thousands: "12.5" is no rate of 125 kr.
        assert_eq!(
            fields(read_resource_settings("37", &rates("12.5", "1.20"))),
            [
                ("rate_mentor".to_owned(), "whole_kroner_expected"),
                ("rate_drawing_right".to_owned(), "whole_kroner_expected")
            ]
        );
        assert_eq!(
            fields(read_resource_settings("80", &rates("", ""))),
            [("full_time_week".to_owned(), "out_of_range")]
        );
        // A whole number out of the range is told the range, not how to
        // write kroner (issue 14's walk: "-5", "99999999999").
        for out in ["-5", "\u{2212}5", "- 5", "99999999999", "10001", "0", "1.000.000"] {
            assert_eq!(
                fields(read_resource_settings("37", &rates(out, ""))),
                [("rate_mentor".to_owned(), "out_of_range")],
                "{out}"
            );
        }
        for not_kroner in ["abc", "5 kr", "-", "5-", "12,5", "-12,5"] {
            assert_eq!(
                fields(read_resource_settings("37", &rates(not_kroner, ""))),
                [("rate_mentor".to_owned(), "whole_kroner_expected")],
                "{not_kroner}"
            );
        }
        let e = read_resource_settings("37", &rates("-5", "")).expect_err("refused");
        assert_eq!(e[0].message().da, "Timepris, mentorstøtte: skal være mellem 1 og 10.000");
        // "0" and "-3" hours a week are told the range, as "80" is.
        for out in ["0", "-3", "80"] {
            let e = read_resource_settings(out, &rates("", "")).expect_err("refused");
            assert_eq!(e[0].message().da, "Timer pr. fuldtidsstilling om ugen: skal være mellem 1 og 60", "{out}");
        }
        // A week that is no number of hours is told how hours are written.
        for bad in ["abc", "37 t", "uge"] {
            let e = read_resource_settings(bad, &rates("", "")).expect_err("refused");
            assert_eq!((e[0].field.as_ref(), e[0].problem.code()), ("full_time_week", "hours_expected"), "{bad}");
            assert!(e[0].message().da.contains("f.eks. 37, 37,5 eller 37:30"), "{}", e[0].message().da);
        }
    }

    #[test]
    fn an_offer_needs_a_name_and_keeps_within_its_lengths() {
        let ok =
            read_offer(" Værested ", "", "Serviceloven § 104", "", "Åbent hus\nhver tirsdag", true).expect("valid");
        assert_eq!(
            (ok.name.as_str(), ok.area_id, ok.description.as_str()),
            ("Værested", None, "Åbent hus\nhver tirsdag")
        );
        let fields = |r: Result<shared::offer::OfferInput, Vec<ValidationError>>| {
            r.expect_err("refused").into_iter().map(|e| (e.field.to_string(), e.problem.code())).collect::<Vec<_>>()
        };
        assert_eq!(
            fields(read_offer("", "x", &"§".repeat(121), &"a".repeat(301), &"b".repeat(2001), true)),
            [
                ("name".to_owned(), "required"),
                ("legal_basis".to_owned(), "too_long"),
                ("contact".to_owned(), "too_long"),
                ("description".to_owned(), "too_long"),
                ("area_id".to_owned(), "unknown_value"),
            ]
        );
    }
}
