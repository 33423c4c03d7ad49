//! `--demo`: a believable municipality on an empty database, so a newcomer
//! can log in and look around. Everything is made up; the passwords are
//! public (`demo1234`), so demo mode must never hold real data.
//!
//! The data is generated from a fixed seed relative to "now": the same
//! people every time, with the last eight weeks of visits.

use shared::admin::CitizenInput;
use shared::area::AreaKind;
use shared::assignment::{Assignment, Handover};
use shared::citizen::{BenefitType, BirthYear};
use shared::drawing_right::{DrawingRight, Rollover};
use shared::grant::{Allowance, AllowanceUnit, Grant, Service};
use shared::review::{Birth, Case, Classification};
use shared::text::{LegalBasis, Note, PersonName, Username};
use shared::time::{DateRange, PeriodKind};
use shared::user::Role;
use shared::visit::{ChargeTo, VisitDraft, VisitKind};
use shared::{
    AreaId, AssignmentId, CitizenId, Date, DrawingRightId, GrantId, Minutes, TeamId, Timestamp, UserId, VisitId,
};
use uuid::Uuid;

use crate::db;
use crate::password;

pub const DEMO_PASSWORD: &str = "demo1234";

/// The demo logins, as printed at start: (username, name, roles).
pub const DEMO_USERS: [(&str, &str, &[Role]); 8] = [
    ("worker", "Anne Kjær", &[Role::Worker]),
    ("worker2", "Jonas Bech", &[Role::Worker]),
    ("mentor", "Sofie Lund", &[Role::Mentor]),
    ("coordinator", "Karina Mikkelsen", &[Role::Coordinator]),
    ("lead", "Henrik Dahl", &[Role::Lead]),
    ("admin", "Birgitte Holm", &[Role::Admin]),
    ("areahead", "Lise Vang", &[Role::AreaHead]),
    ("ungeleder", "Pia Holt", &[Role::Lead]),
];

/// The demo's catalogue: name, area (`Some(true)`: employment, `Some(false)`:
/// social, `None`: across the areas), law, contact, description.
const OFFERS: [(&str, Option<AreaKind>, &str, &str, &str); 10] = [
    (
        "Socialpædagogisk støtte (bostøtte)",
        Some(AreaKind::Social),
        "Serviceloven § 85",
        "Bostøtteteamet, tlf. 7012 3400",
        "Støtte i eget hjem til at klare hverdagen: økonomi, indkøb, kontakt til læge og myndigheder.",
    ),
    (
        "Bostøtte til unge 18–30 år",
        Some(AreaKind::Social),
        "Serviceloven § 85",
        "Bostøtteteamet, tlf. 7012 3400",
        "Tættere støtte i det første år i egen bolig, også i overgangen fra børne- og ungeområdet.",
    ),
    (
        "Værestedet Fælleshuset",
        Some(AreaKind::Social),
        "Serviceloven § 104",
        "Fælleshuset, Torvegade 4, åbent man–fre 10–16",
        "Uformelt samvær, fællesspisning og aktiviteter. Ingen visitation – borgeren kan bare komme.",
    ),
    (
        "Mentorstøtte",
        Some(AreaKind::Employment),
        "Lov om en aktiv beskæftigelsesindsats § 31 b",
        "Mentorteamet, tlf. 7012 3500",
        "En fast person, der støtter borgeren i praktik, job eller uddannelse og i at holde aftaler.",
    ),
    (
        "Virksomhedspraktik",
        Some(AreaKind::Employment),
        "Lov om en aktiv beskæftigelsesindsats kap. 11",
        "Jobcentrets virksomhedskonsulenter, tlf. 7012 3600",
        "Praktik i en virksomhed med få timer om ugen til at begynde med.",
    ),
    (
        "Helhedsorienteret indsats for unge",
        Some(AreaKind::Employment),
        "Lov om en aktiv beskæftigelsesindsats § 30 b",
        "Den koordinerende sagsbehandler",
        "Én plan og én indgang for unge, der får hjælp fra flere områder.",
    ),
    (
        "Gældsrådgivning",
        None,
        "",
        "Borgerservice, tlf. 7012 3000",
        "Gratis rådgivning om gæld, budget og aftaler med kreditorer.",
    ),
    (
        "Ambulant misbrugsbehandling",
        None,
        "Serviceloven § 101",
        "Rusmiddelcentret, tlf. 7012 3700",
        "Samtaler og behandling uden ventetid ud over 14 dage.",
    ),
    (
        "Alkoholbehandling",
        Some(AreaKind::Health),
        "Sundhedsloven § 141",
        "Rusmiddelcentret, tlf. 7012 3700",
        "Ambulant behandling for alkohol, også anonymt; de pårørende kan få samtaler.",
    ),
    (
        "Genoptræning og rehabilitering",
        Some(AreaKind::Health),
        "Sundhedsloven § 140",
        "Sundhedscentret, tlf. 7012 3800",
        "Genoptræning efter sygehusophold og forløb for borgere med kronisk sygdom.",
    ),
];

const FIRST_NAMES: [&str; 30] = [
    "Mette", "Lars", "Camilla", "Jesper", "Louise", "Rasmus", "Signe", "Mikkel", "Line", "Kasper", "Nanna", "Frederik",
    "Maja", "Emil", "Ida", "Mathias", "Freja", "Oliver", "Sara", "Tobias", "Hanne", "Bent", "Kirsten", "Poul", "Lone",
    "Ole", "Birthe", "Jørgen", "Susanne", "Allan",
];
const LAST_NAMES: [&str; 15] = [
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
];

const NOTES: [&str; 8] = [
    "Gennemgik post fra kommunen sammen med borgeren.",
    "Handlede ind og talte om madplan for ugen.",
    "Fulgtes til lægen; borgeren var nervøs, men det gik godt.",
    "Oprydning i lejligheden; aftalte næste skridt.",
    "Talte om praktikpladsen og mødetider.",
    "Øvede busruten til skolen.",
    "Telefonopfølgning efter mødet på jobcentret.",
    "Hjalp med at svare på brev fra boligselskabet.",
];

/// A small deterministic generator (64-bit LCG), so demo data is the same
/// on every machine.
struct Seed(u64);

impl Seed {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

fn id(seed: &mut Seed) -> Uuid {
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(4) {
        chunk.copy_from_slice(&(seed.next(u64::from(u32::MAX)) as u32).to_le_bytes());
    }
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

fn text<T: TryFrom<&'static str, Error = shared::ValidationError>>(s: &'static str) -> anyhow::Result<T> {
    Ok(T::try_from(s)?)
}

/// Seeds the demo municipality if the database has no users. Returns
/// whether it seeded.
pub async fn seed_if_empty(db: &db::Db, now: Timestamp) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await?;
    if db::users::count(&mut tx).await? > 0 {
        return Ok(false);
    }
    let mut stamper = db::changes::Stamper::new();
    let mut seed = Seed(0x4845_4c48_4544); // "HELHED"
    let today = now.local_date();

    // Areas and teams.
    let employment = AreaId::from_uuid(id(&mut seed));
    let social = AreaId::from_uuid(id(&mut seed));
    db::org::insert_area(&mut tx, employment, &text("Beskæftigelsesområdet")?, AreaKind::Employment).await?;
    db::org::insert_area(&mut tx, social, &text("Socialområdet")?, AreaKind::Social).await?;
    let housing_team = TeamId::from_uuid(id(&mut seed));
    let mentor_team = TeamId::from_uuid(id(&mut seed));
    let case_team = TeamId::from_uuid(id(&mut seed));
    db::org::insert_team(&mut tx, housing_team, social, &text("Bostøtteteamet")?).await?;
    db::org::insert_team(&mut tx, mentor_team, employment, &text("Mentorteamet")?).await?;
    db::org::insert_team(&mut tx, case_team, employment, &text("Sagsbehandlerteamet")?).await?;

    // Users. Hash outside the transaction's hot path is not possible here
    // without a second pass; six hashes take well under a second.
    let mut users = Vec::new();
    let mut visits = Vec::new();
    // Users added after the first demo take ids of their own seed, so the
    // rest of the demo (ages, names, visits) stays as it was.
    let mut later_seed = Seed(0x554e_4745); // "UNGE"
    for (username, name, roles) in DEMO_USERS {
        let user = UserId::from_uuid(id(if username == "ungeleder" { &mut later_seed } else { &mut seed }));
        let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
        db::users::insert(
            &mut tx,
            db::users::NewUser {
                id: user,
                username: &Username::try_from(username)?,
                name: &PersonName::try_from(name)?,
                password_hash: &hash,
                roles,
            },
            now,
        )
        .await?;
        let team = match username {
            "worker" | "worker2" | "lead" => Some(housing_team),
            "mentor" => Some(mentor_team),
            "coordinator" => Some(case_team),
            _ => None,
        };
        if let Some(team) = team {
            db::org::add_member(&mut tx, team, user).await?;
        }
        if username == "areahead" {
            db::org::add_area_head(&mut tx, social, user).await?;
        }
        users.push(user);
    }
    let [worker, worker2, mentor, coordinator, lead, _admin, _area_head, youth_lead] = users[..] else {
        anyhow::bail!("BUG: demo user list changed shape");
    };

    // The employment area's drawing right on the social area's housing support.
    let pool_id = DrawingRightId::from_uuid(id(&mut seed));
    let year_start = Date::new(today.year(), 1, 1)?;
    db::citizens::upsert_drawing_right(
        &mut tx,
        &mut stamper,
        &DrawingRight {
            id: pool_id,
            name: text("Trækningsret på bostøtte")?,
            owner_area_id: employment,
            provider_team_id: housing_team,
            minutes_per_period: Minutes::hours(100),
            period_kind: PeriodKind::Month,
            rollover: Rollover::Expire,
            valid: DateRange::new(year_start, Some(Date::new(today.year(), 12, 31)?))?,
        },
    )
    .await?;

    // Thirty citizens: 5 aged 15–17, 10 aged 18–29, 15 aged 30+ of whom 6
    // are on early-retirement pension. Each has a case in the social area
    // and is classified in seed 000's review of three months ago, but for
    // two young ones not yet assessed; every fifth is known by birth year
    // only.
    let mut youth = Vec::new();
    // The first adult with housing support and an employment case: the
    // demo's decision notice is about them.
    let mut told: Option<(GrantId, String)> = None;
    let grant_from = today.add_days(-120);
    let reviewed_on = today.add_days(-90);
    let assigned_from = today.add_days(-90);
    for i in 0..30usize {
        let (age, layer, benefit_type, worker_for) = match i {
            0..5 => {
                (15 + seed.next(3) as i32, ["employment", "joint_plan", "social"].get(i), BenefitType::Other, mentor)
            }
            5..15 => {
                let benefit = [BenefitType::EducationBenefit, BenefitType::CashBenefit][i % 2];
                let layer = ["employment", "joint_plan"].get(i % 2);
                (18 + seed.next(12) as i32, layer, benefit, mentor)
            }
            15..21 => (
                35 + seed.next(30) as i32,
                Some(&"social"),
                BenefitType::EarlyRetirementPension,
                if i % 2 == 0 { worker } else { worker2 },
            ),
            _ => {
                let benefit =
                    [BenefitType::CashBenefit, BenefitType::ResourceCourseBenefit, BenefitType::SicknessBenefit][i % 3];
                (30 + seed.next(30) as i32, Some(&"joint_plan"), benefit, if i % 2 == 0 { worker } else { worker2 })
            }
        };
        let citizen = CitizenId::from_uuid(id(&mut seed));
        let name = format!("{} {}", FIRST_NAMES[i], LAST_NAMES[(i * 7 + 3) % LAST_NAMES.len()]);
        let employment_citizen = benefit_type != BenefitType::EarlyRetirementPension;
        // Born `age` years before a day of this year (the birthday may be
        // still to come, as in life).
        let birth_date = Date::new(today.year() - age, 1 + seed.next(12) as u8, 1 + seed.next(28) as u8)?;
        let birth =
            if i % 5 == 4 { Birth::Year(BirthYear::try_from(birth_date.year())?) } else { Birth::Date(birth_date) };
        db::admin::upsert_citizen(
            &mut tx,
            &mut stamper,
            citizen,
            &CitizenInput {
                name: PersonName::try_from(name.clone())?,
                birth,
                benefit_type,
                coordinator_id: (employment_citizen && age >= 18).then_some(coordinator),
                external_id: None,
            },
        )
        .await?;
        db::review::upsert_case(
            &mut tx,
            &Case {
                citizen_id: citizen,
                area_id: social,
                opened_on: grant_from.add_days(-30 - seed.next(300) as i64),
                closed_on: None,
                caseworker_id: None,
            },
        )
        .await?;
        // Adults on an employment benefit also have a case in the
        // employment area, with the coordinator as its case worker (the
        // caseload figures); one closed ten days ago (the outflow).
        if employment_citizen && age >= 18 {
            db::review::upsert_case(
                &mut tx,
                &Case {
                    citizen_id: citizen,
                    area_id: employment,
                    opened_on: grant_from.add_days(-(i as i64) * 7),
                    closed_on: (i == 13).then(|| today.add_days(-10)),
                    caseworker_id: Some(coordinator),
                },
            )
            .await?;
        }
        if let Some(layer) = layer {
            let classification =
                Classification { citizen_id: citizen, layer: (*layer).to_owned(), valid_from: reviewed_on, by: lead };
            db::review::classify(&mut tx, &mut stamper, &classification, None, now).await?;
        }
        // Two citizens are waiting for an assignment (nobody logs for them yet).
        if i == 14 || i == 29 {
            continue;
        }
        if worker_for == mentor {
            youth.push(citizen);
        }
        db::citizens::insert_assignment(
            &mut tx,
            &mut stamper,
            &Assignment {
                id: AssignmentId::from_uuid(id(&mut seed)),
                citizen_id: citizen,
                user_id: worker_for,
                period: DateRange::new(assigned_from, None)?,
                // One citizen came to the worker by a handover, with a note.
                handover: (i == 16)
                    .then(|| -> anyhow::Result<Handover> {
                        Ok(Handover {
                            from: worker2,
                            from_name: String::new(),
                            note: Note::try_from(
                                "Borgeren foretrækker besøg om formiddagen. Nøglen ligger hos underboen.",
                            )?,
                        })
                    })
                    .transpose()?,
                user_name: None,
            },
        )
        .await?;

        // The grant, and who pays (seed 003): housing support for
        // early-retirement pensioners is paid by the social area, for others
        // by the employment area, drawn on its trækningsret (seed 000).
        let (service, weekly_hours) = if worker_for == mentor {
            (Service::Mentor, 1 + seed.next(3) as u32)
        } else {
            (Service::HousingSupport, 2 + seed.next(4) as u32)
        };
        let payer = if service == Service::HousingSupport && !employment_citizen { social } else { employment };
        let grant = GrantId::from_uuid(id(&mut seed));
        db::citizens::upsert_grant(
            &mut tx,
            &mut stamper,
            &Grant {
                id: grant,
                citizen_id: citizen,
                service,
                legal_basis: LegalBasis::try_from(service.default_legal_basis())?,
                allowance: Allowance::new(Minutes::hours(weekly_hours), AllowanceUnit::Week)?,
                period: DateRange::new(grant_from, Some(grant_from.add_days(364)))?,
                payer_area_id: payer,
                offer_id: None,
            },
        )
        .await?;
        if told.is_none() && service == Service::HousingSupport && employment_citizen && age >= 18 && i != 13 {
            told = Some((grant, name.clone()));
        }
        let charged_to = if service == Service::HousingSupport && employment_citizen {
            ChargeTo::DrawingRight(pool_id)
        } else {
            ChargeTo::Grant(grant)
        };

        // Eight weeks of visits: one to three a week on weekdays, in office
        // hours, about one in ten a no-show.
        for week in 1..=8i64 {
            for _ in 0..(1 + seed.next(3)) {
                let day = today.add_days(-7 * week + seed.next(7) as i64);
                if day.weekday() > 5 || day >= today {
                    continue;
                }
                let no_show = seed.next(10) == 0;
                let kind = if no_show {
                    VisitKind::NoShow
                } else if service == Service::Mentor {
                    [VisitKind::Meeting, VisitKind::HomeVisit, VisitKind::PhoneVideo][seed.next(3) as usize]
                } else {
                    [VisitKind::HomeVisit, VisitKind::HomeVisit, VisitKind::Escort, VisitKind::PhoneVideo]
                        [seed.next(4) as usize]
                };
                let start = Timestamp::from_local(day, (8 * 60 + seed.next(14) * 30) as u16);
                let minutes = if no_show { 15 } else { 45 + seed.next(6) as i64 * 15 };
                let note = if no_show {
                    "Borgeren åbnede ikke; ringede uden svar."
                } else {
                    NOTES[seed.next(NOTES.len() as u64) as usize]
                };
                let visit = VisitDraft::new(
                    VisitId::from_uuid(id(&mut seed)),
                    citizen,
                    kind,
                    start,
                    start.add_minutes(minutes),
                    Minutes::new(10 + seed.next(5) as u32 * 5),
                    Note::try_from(note)?,
                    Some(charged_to),
                )?
                .into_visit(worker_for, now)?;
                visits.push(visit);
            }
        }
    }
    db::visits::upsert_many(&mut tx, &mut stamper, &visits.iter().collect::<Vec<_>>()).await?;

    // The catalogue of offers across the areas (seed 001), with the health
    // area's (its own seed: the ids drawn before stay as they were).
    let mut health_seed = Seed(0x5355_4e44); // "SUND"
    let health = AreaId::from_uuid(id(&mut health_seed));
    db::org::insert_area(&mut tx, health, &text("Sundhedsområdet")?, AreaKind::Health).await?;
    let admin = users[DEMO_USERS.iter().position(|(u, _, _)| *u == "admin").unwrap_or(0)];
    for (name, area, law, contact, description) in OFFERS {
        let input = shared::offer::OfferInput {
            name: shared::text::OfferName::try_from(name)?,
            area_id: area.map(|kind| match kind {
                AreaKind::Employment => employment,
                AreaKind::Social | AreaKind::ChildrenYouth => social,
                AreaKind::Health => health,
            }),
            legal_basis: shared::text::OfferLaw::try_from(law)?,
            contact: shared::text::OfferContact::try_from(contact)?,
            description: shared::text::OfferDescription::try_from(description)?,
            active: true,
        };
        db::offers::upsert(&mut tx, shared::OfferId::from_uuid(id(&mut seed)), &input, admin, now).await?;
    }
    youth_courses(&mut tx, &mut later_seed, employment, &[mentor, youth_lead], &youth, now).await?;
    if let Some((grant, name)) = told {
        unread_notices(&mut tx, &mut stamper, grant, &name, lead, today).await?;
    }
    stamper.finish(&mut tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// Decision notices of a change of `grant` (housing support) that `lead`
/// made eight working days ago, unread by the employment area: the lead's
/// overview lists them, the coordinator's inbox has one (issue 16).
async fn unread_notices(
    tx: &mut db::Conn,
    stamper: &mut db::changes::Stamper,
    grant: GrantId,
    citizen_name: &str,
    lead: UserId,
    today: Date,
) -> anyhow::Result<()> {
    use shared::notice::{Decision, DecisionNotice};
    let mut seed = Seed(0x4e4f_5449_4345); // "NOTICE"
    let g = db::citizens::grant(tx, grant).await?.ok_or_else(|| anyhow::anyhow!("the demo grant is gone"))?;
    let mut day = today;
    while shared::calendar::working_days_between(day, today) < 8 {
        day = day.add_days(-1);
    }
    let payer = db::org::areas(tx).await?.into_iter().find(|a| a.id == g.payer_area_id);
    for (recipient, area_id, area_name) in db::notices::recipients(tx, g.citizen_id, day).await? {
        if recipient == lead {
            continue;
        }
        let notice = DecisionNotice {
            id: shared::NoticeId::from_uuid(id(&mut seed)),
            recipient_id: recipient,
            area_id,
            area_name,
            citizen_id: g.citizen_id,
            citizen_name: citizen_name.to_owned(),
            grant_id: g.id,
            decision: Decision::Changed,
            service: g.service,
            allowance: g.allowance,
            period: g.period,
            payer_area_id: g.payer_area_id,
            payer_area_name: payer.as_ref().map(|a| a.name.to_string()).unwrap_or_default(),
            decided_by: lead,
            decided_by_name: "Henrik Dahl".to_owned(),
            decided_at: Timestamp::from_local(day, 10 * 60),
            read_at: None,
        };
        db::notices::insert(tx, stamper, &notice).await?;
    }
    Ok(())
}

/// Seed 002's youth team (*Ungeteamet*): a consultant team whose lead is
/// `members[1]` and whose consultant `members[0]` (the mentor, half time)
/// runs ten courses for the first ten of `youth` (the eleventh course
/// warns), with a half-yearly status where one is due but the newest, and
/// three courses ended this year: one in work, two in education.
async fn youth_courses(
    tx: &mut db::Conn,
    seed: &mut Seed,
    area: AreaId,
    members: &[UserId; 2],
    youth: &[CitizenId],
    now: Timestamp,
) -> anyhow::Result<()> {
    use shared::course::{CourseEnd, CourseInput, CourseStatusInput, Outcome};
    let today = now.local_date();
    let team = TeamId::from_uuid(id(seed));
    db::org::insert_team(tx, team, area, &text("Ungeteamet")?).await?;
    db::org::set_consultant_team(tx, team, true).await?;
    for member in members {
        db::org::add_member(tx, team, *member).await?;
    }
    let [consultant, _lead] = *members;
    let ended = [(Outcome::InWork, 40), (Outcome::InEducation, 25), (Outcome::InEducation, 10)];
    for (k, citizen) in youth.iter().enumerate().take(13) {
        let course = shared::CourseId::from_uuid(id(seed));
        let (started_on, ended) = match k {
            0..10 => (today.add_days(-20 - 30 * k as i64), None),
            _ => {
                let (outcome, days_ago) = ended[k - 10];
                let on = today.add_days(-days_ago);
                (on.add_days(-300), Some(CourseEnd { on, outcome, note: Note::empty() }))
            }
        };
        let mut input = CourseInput {
            citizen_id: *citizen,
            team_id: team,
            offer_id: None,
            started_on,
            planned_end_on: started_on,
            consultants: vec![consultant],
            goals: Vec::new(),
            ended,
        };
        input.planned_end_on = input.latest_end();
        db::courses::upsert(tx, course, &input, consultant, now).await?;
        if started_on.add_months(shared::course::STATUS_MONTHS) <= today && k != 9 {
            let status = CourseStatusInput {
                id: shared::CourseStatusId::from_uuid(id(seed)),
                on: started_on.add_months(shared::course::STATUS_MONTHS),
                note: shared::text::CourseStatusNote::try_from(
                    "Møder stabilt op; vi arbejder videre med målet om uddannelse.",
                )?,
            };
            db::courses::add_status(tx, course, &status, consultant, now).await?;
        }
    }
    Ok(())
}
