//! Intensive courses (issue 15; seed 002's citizen-consultant model,
//! *borgerkonsulentmodellen*): a period of intensive, integrated effort for
//! one citizen of up to one year, run by one or more citizen consultants
//! of a consultant team, serving goals of the citizen's plan, with a
//! half-yearly status ("½ årlig målprogression") and an outcome when it
//! ends ("fem unge er kommet i beskæftigelse og 19 er startet på en
//! uddannelse").
//!
//! Seed 002 sets the caseload: "typisk 5-10/halvtidssagsbehandler", so a
//! consultant's capacity is [`CITIZENS_PER_HALF_POST`] citizens per half
//! post and one more warns ([`ConsultantLoad::warning`]); and "myndigheds-
//! og udførerfunktion er samlet hos den enkelte borgerkonsulent": a
//! consultant may write grants for the citizens of their own running
//! courses (the server's grant rule).
//!
//! Courses are written online (they are decisions, made at a desk); the
//! plan's goals they serve are on the phone through sync.

use serde::{Deserialize, Serialize};

use crate::assignment::Named;
use crate::codes::wire_codes;
use crate::error::{Problem, ValidationError};
use crate::id::{CitizenId, CourseId, CourseStatusId, GoalId, OfferId, TeamId, UserId};
use crate::lang::Localized;
use crate::text::{CourseStatusNote, Note};
use crate::time::{Date, Timestamp};

/// The longest course, in months from its start (seed 002: "op til 1 år").
pub const MAX_MONTHS: i32 = 12;
/// Months between a course's statuses before one is due (seed 002:
/// "½ årlig målprogression").
pub const STATUS_MONTHS: i32 = 6;
/// Citizens a consultant on a half post carries at most (seed 002:
/// "typisk 5-10/halvtidssagsbehandler"); one more warns.
pub const CITIZENS_PER_HALF_POST: u32 = 10;
/// A consultant's post when none is set: half time (seed 002: "knyttet til
/// teamet ca. halv tid"), in hundredths of a full-time post.
pub const DEFAULT_POST: u32 = 50;
/// The most consultants on one course (seed 002's families had 1–3).
pub const MAX_CONSULTANTS: usize = 5;

/// How a course ended. JSON: `"in_work"`, `"in_education"`,
/// `"self_supporting"`, `"dropped_out"`, `"moved"`, `"paused"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// In work (ordinary or subsidised).
    InWork,
    /// Started an education.
    InEducation,
    /// Self-supporting without public benefit.
    SelfSupporting,
    /// Dropped out of the course.
    DroppedOut,
    /// Moved out of the municipality.
    Moved,
    /// Paused (seed 002's family team was paused).
    Paused,
}

wire_codes!(Outcome {
    InWork => "in_work",
    InEducation => "in_education",
    SelfSupporting => "self_supporting",
    DroppedOut => "dropped_out",
    Moved => "moved",
    Paused => "paused",
});

impl Outcome {
    pub fn label(self) -> Localized {
        match self {
            Outcome::InWork => Localized::new("I arbejde", "In work"),
            Outcome::InEducation => Localized::new("I uddannelse", "In education"),
            Outcome::SelfSupporting => Localized::new("Selvforsørgende", "Self-supporting"),
            Outcome::DroppedOut => Localized::new("Faldet fra", "Dropped out"),
            Outcome::Moved => Localized::new("Fraflyttet", "Moved away"),
            Outcome::Paused => Localized::new("Sat på pause", "Paused"),
        }
    }
}

/// How and when a course ended. JSON: `{"on": "2027-06-30", "outcome":
/// "in_education", "note": ""}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseEnd {
    pub on: Date,
    pub outcome: Outcome,
    #[serde(default = "Note::empty")]
    pub note: Note,
}

/// A course as it is written (`PUT /api/courses/{id}`). JSON:
/// `{"citizen_id", "team_id", "offer_id": uuid|null, "started_on":
/// "2026-12-01", "planned_end_on": "2027-11-30", "consultants": [uuid],
/// "goals": [uuid], "ended": {...}|null}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseInput {
    pub citizen_id: CitizenId,
    /// The consultant team that runs it.
    pub team_id: TeamId,
    /// The offer of the catalogue it is, if one.
    #[serde(default)]
    pub offer_id: Option<OfferId>,
    pub started_on: Date,
    pub planned_end_on: Date,
    pub consultants: Vec<UserId>,
    /// The plan's goals it serves.
    #[serde(default)]
    pub goals: Vec<GoalId>,
    #[serde(default)]
    pub ended: Option<CourseEnd>,
}

impl CourseInput {
    /// The last day the course may run: a year after its start, less a
    /// day (a course started 1 December 2026 ends 30 November 2027 at the
    /// latest; one started on 29 February ends on 28 February).
    pub fn latest_end(&self) -> Date {
        let year_on = self.started_on.add_months(MAX_MONTHS);
        if year_on.day() == self.started_on.day() { year_on.add_days(-1) } else { year_on }
    }

    /// The course's last day: its end if it ended, else the planned end.
    pub fn last_day(&self) -> Date {
        self.ended.as_ref().map_or(self.planned_end_on, |e| e.on)
    }

    /// Whether it runs on `day` (started and not ended before).
    pub fn running_on(&self, day: Date) -> bool {
        self.started_on <= day && self.ended.as_ref().is_none_or(|e| e.on >= day)
    }

    /// Checks the course as course `id` of its citizen beside the
    /// citizen's `others` (the course itself among them is skipped), on
    /// `today` (Copenhagen).
    ///
    /// Errors, every one found: `planned_end_on` `before_start_day` or
    /// `course_too_long` (past [`CourseInput::latest_end`]); `consultants`
    /// `required` (none), `out_of_range` (over [`MAX_CONSULTANTS`]) or
    /// `taken` (one named twice); `goals` `taken`; `ended_on`
    /// `before_start_day`, `in_future` or `course_too_long`; `started_on`
    /// `course_overlaps` (days shared with another of the citizen's
    /// courses).
    pub fn check(&self, id: CourseId, others: &[Course], today: Date) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        let latest = self.latest_end();
        let too_long = || Problem::CourseTooLong { year: latest.year(), month: latest.month(), day: latest.day() };
        if self.planned_end_on < self.started_on {
            errors.push(ValidationError::new("planned_end_on", Problem::BeforeStartDay));
        } else if self.planned_end_on > latest {
            errors.push(ValidationError::new("planned_end_on", too_long()));
        }
        if self.consultants.is_empty() {
            errors.push(ValidationError::new("consultants", Problem::NoneChosen));
        } else if self.consultants.len() > MAX_CONSULTANTS {
            errors
                .push(ValidationError::new("consultants", Problem::OutOfRange { min: 1, max: MAX_CONSULTANTS as i64 }));
        } else if crate::plan::repeats(&self.consultants) {
            errors.push(ValidationError::new("consultants", Problem::Taken));
        }
        if crate::plan::repeats(&self.goals) {
            errors.push(ValidationError::new("goals", Problem::Taken));
        }
        if let Some(end) = &self.ended {
            if end.on < self.started_on {
                errors.push(ValidationError::new("ended_on", Problem::BeforeStartDay));
            } else if end.on > today {
                errors.push(ValidationError::new("ended_on", Problem::InFuture));
            } else if end.on > latest {
                errors.push(ValidationError::new("ended_on", too_long()));
            }
        }
        let overlapping = others.iter().find(|o| {
            o.id != id
                && o.input.citizen_id == self.citizen_id
                && o.input.started_on <= self.last_day()
                && self.started_on <= o.input.last_day()
        });
        if let Some(o) = overlapping {
            let parts = |d: Date| crate::error::DayParts { year: d.year(), month: d.month(), day: d.day() };
            let problem = Problem::CourseOverlaps { from: parts(o.input.started_on), to: parts(o.input.last_day()) };
            errors.push(ValidationError::new("started_on", problem));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// A half-yearly status as written (`POST /api/courses/{id}/statuses`).
/// JSON: `{"id": uuid, "on": "2027-06-01", "note": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseStatusInput {
    pub id: CourseStatusId,
    pub on: Date,
    pub note: CourseStatusNote,
}

impl CourseStatusInput {
    /// Checks the status's day against `course` on `today`.
    ///
    /// Errors: `on` `before_start_day` (before the
    /// course's start) or `in_future`.
    pub fn check(&self, course: &CourseInput, today: Date) -> Result<(), ValidationError> {
        if self.on < course.started_on {
            return Err(ValidationError::new("on", Problem::BeforeStartDay));
        }
        if self.on > today {
            return Err(ValidationError::new("on", Problem::InFuture));
        }
        Ok(())
    }
}

/// A status as kept: never changed once made. JSON: the input's fields and
/// `"by"`, `"by_name"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseStatus {
    #[serde(flatten)]
    pub input: CourseStatusInput,
    pub by: UserId,
    pub by_name: String,
}

/// A course as the server shows it. JSON: the input's fields and `"id"`,
/// `"citizen_name"`, `"team_name"`, `"consultant_names": [{"id", "name"}]`,
/// `"offer_name"` (null without one), `"statuses"` (oldest first),
/// `"updated_at"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    pub id: CourseId,
    #[serde(flatten)]
    pub input: CourseInput,
    pub citizen_name: String,
    pub team_name: String,
    pub consultant_names: Vec<Named<UserId>>,
    pub offer_name: Option<String>,
    pub statuses: Vec<CourseStatus>,
    pub updated_at: Timestamp,
}

impl Course {
    /// The day the next half-yearly status is due: [`STATUS_MONTHS`] after
    /// the latest status, or after the start; `None` once it has ended,
    /// and when that day falls after the planned end (the course's outcome
    /// is due then, not another status; issue 15's walk).
    pub fn status_due(&self) -> Option<Date> {
        if self.input.ended.is_some() {
            return None;
        }
        let last = self.statuses.iter().map(|s| s.input.on).max().unwrap_or(self.input.started_on);
        Some(last.add_months(STATUS_MONTHS)).filter(|due| *due <= self.input.planned_end_on)
    }

    /// The consultant names, joined with ", " in the course's order.
    pub fn consultants_said(&self) -> String {
        self.consultant_names.iter().map(|n| n.name.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// A consultant's caseload in a consultant team: their post and the
/// citizens of their running courses. JSON: `{"user_id", "name", "post":
/// 50, "citizens": 9}` (`post`: hundredths of a full-time post).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultantLoad {
    pub user_id: UserId,
    pub name: String,
    pub post: u32,
    pub citizens: u32,
}

impl ConsultantLoad {
    /// The citizens the post carries: [`CITIZENS_PER_HALF_POST`] per half
    /// post, rounded down (0.5 → 10, 0.8 → 16, 1.0 → 20).
    pub fn capacity(&self) -> u32 {
        self.post * CITIZENS_PER_HALF_POST / 50
    }

    /// The warning when the consultant would carry `citizens + extra`
    /// citizens, more than [`ConsultantLoad::capacity`]; `None` within it.
    /// E.g. "Karina Mikkelsen får 11 borgere i forløb på 50 % stilling;
    /// anbefalet højst 10 pr. halv stilling" (seed 002); the post in
    /// percent, as the caseload lists say it.
    pub fn warning(&self, extra: u32) -> Option<Localized> {
        let would = self.citizens + extra;
        if would <= self.capacity() {
            return None;
        }
        let post = self.post;
        Some(Localized::new(
            format!(
                "{} får {would} borgere i forløb på {post} % stilling; anbefalet højst {} pr. halv stilling",
                self.name, CITIZENS_PER_HALF_POST
            ),
            format!(
                "{} would have {would} citizens in courses on a {post} % post; at most {} per half post is advised",
                self.name, CITIZENS_PER_HALF_POST
            ),
        ))
    }
}

/// A consultant team and its consultants' caseloads. JSON: `{"id", "name",
/// "consultants": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseTeam {
    pub id: TeamId,
    pub name: String,
    pub consultants: Vec<ConsultantLoad>,
}

/// `GET /api/citizens/{id}/courses`: the citizen's courses (newest first),
/// the consultant teams that may run one with their caseloads, the plan's
/// goals a course may serve, and whether the user may start or change
/// one. JSON: `{"courses", "teams", "goals": [{"id", "name"}],
/// "may_write": true}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenCourses {
    pub courses: Vec<Course>,
    pub teams: Vec<CourseTeam>,
    pub goals: Vec<Named<GoalId>>,
    pub may_write: bool,
}

/// How many of a team's courses ended with `outcome`. JSON: `{"outcome":
/// "in_work", "count": 5}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeCount {
    pub outcome: Outcome,
    pub count: u32,
}

/// A team's courses over a period (the lead's "5 in work, 19 in
/// education"). JSON: `{"team_id", "running": 26, "started": 8, "ended":
/// [{...}]}` (`ended`: outcomes with at least one course, in
/// [`Outcome::ALL`]'s order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamOutcomes {
    pub team_id: TeamId,
    /// Courses running on some day of the period.
    pub running: u32,
    /// Courses started in the period.
    pub started: u32,
    /// Courses ended in the period, by outcome.
    pub ended: Vec<OutcomeCount>,
}

impl TeamOutcomes {
    /// The figures of team `team_id`'s `courses` for the days `from..=to`.
    pub fn of(team_id: TeamId, courses: &[Course], from: Date, to: Date) -> TeamOutcomes {
        let mine: Vec<&CourseInput> = courses.iter().map(|c| &c.input).filter(|c| c.team_id == team_id).collect();
        let count = |f: &dyn Fn(&CourseInput) -> bool| mine.iter().filter(|c| f(c)).count() as u32;
        let running = count(&|c| c.started_on <= to && c.ended.as_ref().is_none_or(|e| e.on >= from));
        let started = count(&|c| (from..=to).contains(&c.started_on));
        let ended = Outcome::ALL
            .into_iter()
            .map(|outcome| OutcomeCount {
                outcome,
                count: count(&|c| {
                    c.ended.as_ref().is_some_and(|e| e.outcome == outcome && (from..=to).contains(&e.on))
                }),
            })
            .filter(|o| o.count > 0)
            .collect();
        TeamOutcomes { team_id, running, started, ended }
    }

    /// The ended courses said as a line, e.g. "5 i arbejde, 19 i
    /// uddannelse"; `None` when none ended.
    pub fn ended_said(&self) -> Option<Localized> {
        if self.ended.is_empty() {
            return None;
        }
        let say = |lang: crate::Lang| {
            self.ended
                .iter()
                .map(|o| format!("{} {}", o.count, o.outcome.label().get(lang).to_lowercase()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Some(Localized::new(say(crate::Lang::Da), say(crate::Lang::En)))
    }
}

/// `GET /api/courses?from=&to=`: the courses a user follows (a lead: their
/// consultant teams'; a consultant: their own; an administrator: all) that
/// run on some day of `from..=to`, newest first, with each team's figures.
/// JSON: `{"from", "to", "teams", "courses", "outcomes"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoursesResponse {
    pub from: Date,
    pub to: Date,
    pub teams: Vec<CourseTeam>,
    pub courses: Vec<Course>,
    pub outcomes: Vec<TeamOutcomes>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn id<T: From<Uuid>>(n: u128) -> T {
        T::from(Uuid::from_u128(n))
    }

    fn input(start: &str, end: &str) -> CourseInput {
        CourseInput {
            citizen_id: id(1),
            team_id: id(2),
            offer_id: None,
            started_on: d(start),
            planned_end_on: d(end),
            consultants: vec![id(3)],
            goals: vec![],
            ended: None,
        }
    }

    fn course(n: u128, input: CourseInput) -> Course {
        Course {
            id: id(n),
            input,
            citizen_name: "Ib".into(),
            team_name: "Ungeteamet".into(),
            consultant_names: vec![],
            offer_name: None,
            statuses: vec![],
            updated_at: "2026-12-01T10:00:00Z".parse().expect("instant"),
        }
    }

    fn codes(r: Result<(), Vec<ValidationError>>) -> Vec<String> {
        r.err().unwrap_or_default().iter().map(|e| format!("{}:{}", e.field, e.problem.code())).collect()
    }

    #[test]
    fn course_rules_table() {
        let today = d("2026-12-01");
        let ended = |on: &str| CourseEnd { on: d(on), outcome: Outcome::InWork, note: Note::empty() };
        let two = |mut i: CourseInput| {
            i.consultants = vec![id(3), id(3)];
            i
        };
        let cases: Vec<(&str, CourseInput, Vec<&str>)> = vec![
            ("a year less a day", input("2026-12-01", "2027-11-30"), vec![]),
            ("a day past a year", input("2026-12-01", "2027-12-01"), vec!["planned_end_on:course_too_long"]),
            ("end before start", input("2026-12-01", "2026-11-30"), vec!["planned_end_on:before_start_day"]),
            ("one day", input("2026-12-01", "2026-12-01"), vec![]),
            ("leap day start", input("2028-02-29", "2029-02-28"), vec![]),
            ("consultant twice", two(input("2026-12-01", "2027-06-01")), vec!["consultants:taken"]),
            (
                "no consultant",
                CourseInput { consultants: vec![], ..input("2026-12-01", "2027-06-01") },
                vec!["consultants:none_chosen"],
            ),
            (
                "six consultants",
                CourseInput { consultants: (10..16).map(id).collect(), ..input("2026-12-01", "2027-06-01") },
                vec!["consultants:out_of_range"],
            ),
            (
                "ended today",
                CourseInput { ended: Some(ended("2026-12-01")), ..input("2026-01-01", "2026-12-31") },
                vec![],
            ),
            (
                "ended tomorrow",
                CourseInput { ended: Some(ended("2026-12-02")), ..input("2026-01-01", "2026-12-31") },
                vec!["ended_on:in_future"],
            ),
            (
                "ended before start",
                CourseInput { ended: Some(ended("2025-12-31")), ..input("2026-01-01", "2026-12-31") },
                vec!["ended_on:before_start_day"],
            ),
            (
                "every fault at once",
                CourseInput { consultants: vec![], goals: vec![id(7), id(7)], ..input("2026-12-01", "2028-01-01") },
                vec!["planned_end_on:course_too_long", "consultants:none_chosen", "goals:taken"],
            ),
        ];
        for (name, course, want) in cases {
            assert_eq!(codes(course.check(id(100), &[], today)), want, "{name}");
        }
    }

    #[test]
    fn courses_of_one_citizen_do_not_overlap() {
        let today = d("2026-12-01");
        let mut done = input("2026-01-01", "2026-12-31");
        done.ended = Some(CourseEnd { on: d("2026-06-30"), outcome: Outcome::Paused, note: Note::empty() });
        let others = [course(1, done), course(2, input("2027-03-01", "2027-12-31"))];
        let check = |start: &str, end: &str| codes(input(start, end).check(id(100), &others, today));
        assert_eq!(
            check("2026-07-01", "2027-02-28"),
            Vec::<String>::new(),
            "between the two: the ended one ends early"
        );
        assert_eq!(check("2026-06-30", "2027-01-31"), ["started_on:course_overlaps"], "the ended course's last day");
        assert_eq!(check("2026-08-01", "2027-03-01"), ["started_on:course_overlaps"], "the next course's first day");
        // The refusal names the other course's days, and for one not begun
        // yet does not only say "end it first" (issue 15's walk).
        let refused = input("2026-08-01", "2027-03-01").check(id(100), &others, today).expect_err("overlaps");
        assert_eq!(
            refused[0].message().da,
            "Forløbets start: deler dage med borgerens forløb 01.03.2027–31.12.2027; ret datoerne, så de ikke overlapper, eller afslut det andet forløb, hvis det er i gang"
        );
        assert!(
            refused[0]
                .message()
                .en
                .starts_with("The course's start: shares days with the citizen's course 01/03/2027–31/12/2027; ")
        );
        assert_eq!(
            codes(input("2027-03-01", "2027-12-31").check(id(2), &others, today)),
            Vec::<String>::new(),
            "itself"
        );
        let mut other_citizen = input("2027-03-01", "2027-12-31");
        other_citizen.citizen_id = id(9);
        assert_eq!(codes(other_citizen.check(id(100), &others, today)), Vec::<String>::new(), "another citizen");
    }

    #[test]
    fn a_status_lies_within_the_course_and_the_next_is_due_half_a_year_on() {
        let today = d("2026-12-01");
        let course_in = input("2026-06-01", "2027-05-31");
        let status = |on: &str| CourseStatusInput {
            id: id(50),
            on: d(on),
            note: CourseStatusNote::try_from("Går godt").expect("note"),
        };
        assert_eq!(
            status("2026-05-31").check(&course_in, today).map_err(|e| e.problem.code()),
            Err("before_start_day")
        );
        assert_eq!(status("2026-12-02").check(&course_in, today).map_err(|e| e.problem.code()), Err("in_future"));
        assert!(status("2026-12-01").check(&course_in, today).is_ok());
        let mut c = course(1, course_in);
        assert_eq!(c.status_due(), Some(d("2026-12-01")), "six months after the start");
        c.statuses.push(CourseStatus { input: status("2026-11-15"), by: id(3), by_name: "Karina".into() });
        assert_eq!(c.status_due(), Some(d("2027-05-15")));
        // The walk's course: a status half a year on would fall after the
        // planned end; the outcome is due then instead.
        c.statuses.push(CourseStatus { input: status("2026-12-01"), by: id(3), by_name: "Karina".into() });
        assert_eq!(c.status_due(), None, "01.06.2027 is after the planned end 31.05.2027");
        c.input.ended = Some(CourseEnd { on: d("2026-12-01"), outcome: Outcome::InEducation, note: Note::empty() });
        assert_eq!(c.status_due(), None, "an ended course is due nothing");
    }

    #[test]
    fn the_eleventh_citizen_on_a_half_post_warns() {
        let load = |post, citizens| ConsultantLoad { user_id: id(3), name: "Karina Mikkelsen".into(), post, citizens };
        assert_eq!(load(50, 9).warning(1), None, "the tenth");
        let w = load(50, 10).warning(1).expect("the eleventh warns");
        assert_eq!(
            w.da,
            "Karina Mikkelsen får 11 borgere i forløb på 50 % stilling; anbefalet højst 10 pr. halv stilling"
        );
        assert!(w.en.contains("11 citizens") && w.en.contains("50 % post"), "{}", w.en);
        assert_eq!(load(100, 20).warning(1).map(|w| w.da.contains("21 borgere")), Some(true));
        assert_eq!(load(100, 19).warning(1), None, "a full post carries 20");
        assert_eq!(load(80, 16).capacity(), 16);
        assert!(load(0, 0).warning(1).is_some(), "no post carries none");
        assert!(load(50, 11).warning(0).is_some(), "already over");
    }

    #[test]
    fn a_teams_outcomes_over_a_period() {
        let ended = |start: &str, on: &str, outcome| {
            let mut i = input(start, "2026-12-31");
            i.started_on = d(start);
            i.ended = Some(CourseEnd { on: d(on), outcome, note: Note::empty() });
            i
        };
        let courses = vec![
            course(1, ended("2026-01-05", "2026-06-30", Outcome::InWork)),
            course(2, ended("2026-02-01", "2026-09-30", Outcome::InEducation)),
            course(3, ended("2026-02-01", "2026-10-31", Outcome::InEducation)),
            course(4, ended("2025-03-01", "2025-12-31", Outcome::InWork)),
            course(5, input("2026-11-01", "2027-10-31")),
            course(6, CourseInput { team_id: id(99), ..input("2026-11-01", "2027-10-31") }),
        ];
        let year = TeamOutcomes::of(id(2), &courses, d("2026-01-01"), d("2026-12-31"));
        assert_eq!((year.running, year.started), (4, 4));
        assert_eq!(year.ended_said().map(|s| s.da), Some("1 i arbejde, 2 i uddannelse".into()));
        let autumn = TeamOutcomes::of(id(2), &courses, d("2026-10-01"), d("2026-12-31"));
        assert_eq!((autumn.running, autumn.started), (2, 1));
        assert_eq!(autumn.ended_said().map(|s| s.en), Some("1 in education".into()));
        let before = TeamOutcomes::of(id(2), &courses, d("2024-01-01"), d("2024-12-31"));
        assert_eq!((before.running, before.started, before.ended_said()), (0, 0, None));
    }

    #[test]
    fn course_json_golden() {
        let mut c = course(1, input("2026-12-01", "2027-11-30"));
        c.input.ended = Some(CourseEnd { on: d("2027-06-30"), outcome: Outcome::InEducation, note: Note::empty() });
        c.consultant_names = vec![Named { id: id(3), name: "Karina Mikkelsen".into() }];
        let json = serde_json::to_string(&c).expect("json");
        expect_test::expect![[r#"{"id":"00000000-0000-0000-0000-000000000001","citizen_id":"00000000-0000-0000-0000-000000000001","team_id":"00000000-0000-0000-0000-000000000002","offer_id":null,"started_on":"2026-12-01","planned_end_on":"2027-11-30","consultants":["00000000-0000-0000-0000-000000000003"],"goals":[],"ended":{"on":"2027-06-30","outcome":"in_education","note":""},"citizen_name":"Ib","team_name":"Ungeteamet","consultant_names":[{"id":"00000000-0000-0000-0000-000000000003","name":"Karina Mikkelsen"}],"offer_name":null,"statuses":[],"updated_at":"2026-12-01T10:00:00.000Z"}"#]].assert_eq(&json);
        let back: Course = serde_json::from_str(&json).expect("back");
        assert_eq!(back, c);
        let status = CourseStatus {
            input: CourseStatusInput {
                id: id(5),
                on: d("2027-06-01"),
                note: CourseStatusNote::try_from("Går i skole").expect("note"),
            },
            by: id(3),
            by_name: "Karina Mikkelsen".into(),
        };
        expect_test::expect![[r#"{"id":"00000000-0000-0000-0000-000000000005","on":"2027-06-01","note":"Går i skole","by":"00000000-0000-0000-0000-000000000003","by_name":"Karina Mikkelsen"}"#]]
            .assert_eq(&serde_json::to_string(&status).expect("json"));
        let load = ConsultantLoad { user_id: id(3), name: "Karina".into(), post: 50, citizens: 9 };
        expect_test::expect![[
            r#"{"user_id":"00000000-0000-0000-0000-000000000003","name":"Karina","post":50,"citizens":9}"#
        ]]
        .assert_eq(&serde_json::to_string(&load).expect("json"));
        let outcomes = TeamOutcomes {
            team_id: id(2),
            running: 26,
            started: 8,
            ended: vec![OutcomeCount { outcome: Outcome::InWork, count: 5 }],
        };
        expect_test::expect![[r#"{"team_id":"00000000-0000-0000-0000-000000000002","running":26,"started":8,"ended":[{"outcome":"in_work","count":5}]}"#]]
            .assert_eq(&serde_json::to_string(&outcomes).expect("json"));
        let refused = serde_json::from_str::<CourseStatusInput>(
            r#"{"id":"00000000-0000-0000-0000-000000000005","on":"2027-06-01","note":"  "}"#,
        );
        assert!(refused.is_err(), "a status says something");
    }
}
