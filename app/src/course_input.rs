//! Reading the course forms (issue 15, seed 002): what was typed becomes a
//! [`CourseInput`] or a [`CourseStatusInput`] by `shared::course`'s rules,
//! every problem at once, each at its field (the server's field names).
//! Pure, so it is table-tested natively.

use shared::course::{Course, CourseEnd, CourseInput, CourseStatusInput, Outcome};
use shared::text::{CourseStatusNote, Note};
use shared::{CitizenId, CourseId, CourseStatusId, Date, GoalId, OfferId, Problem, TeamId, UserId, ValidationError};

use crate::plan_input::Reader;

/// The course form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CourseForm {
    /// The team's id as the select holds it.
    pub team: String,
    pub consultants: Vec<UserId>,
    pub started_on: String,
    pub planned_end_on: String,
    /// The offer's id, or empty for none.
    pub offer: String,
    pub goals: Vec<GoalId>,
    /// Whether the course is marked ended.
    pub ended: bool,
    pub ended_on: String,
    /// The outcome's code, or empty.
    pub outcome: String,
    pub end_note: String,
}

/// Reads course `id` of `citizen` as typed, beside the citizen's `others`
/// on `today`.
///
/// Errors: `team_id` `required`/`unknown_value`; `started_on`,
/// `planned_end_on`, `ended_on` `required` or `date_expected`; `outcome`
/// `required`; `note` (the end's) as [`Note`]; and every refusal of
/// [`CourseInput::check`].
pub fn read_course(
    form: &CourseForm,
    id: CourseId,
    citizen: CitizenId,
    others: &[Course],
    today: Date,
) -> Result<CourseInput, Vec<ValidationError>> {
    let mut r = Reader::default();
    let team = match form.team.trim() {
        "" => {
            r.refuse(ValidationError::new("team_id", Problem::Required));
            None
        }
        t => r.take(t.parse::<TeamId>().map_err(|_| ValidationError::new("team_id", Problem::UnknownValue))),
    };
    let started_on = r.date("started_on", &form.started_on, true).flatten();
    let planned_end_on = r.date("planned_end_on", &form.planned_end_on, true).flatten();
    let offer_id = match form.offer.trim() {
        "" => Some(None),
        o => {
            r.take(o.parse::<OfferId>().map(Some).map_err(|_| ValidationError::new("offer_id", Problem::UnknownValue)))
        }
    };
    // The end as typed; its day alone is enough to check the day.
    let (mut end_on, mut end_outcome, mut end_note) = (None, None, None);
    if form.ended {
        end_on = r.date("ended_on", &form.ended_on, true).flatten();
        end_outcome = Outcome::from_code(form.outcome.trim());
        if end_outcome.is_none() {
            r.refuse(ValidationError::new("outcome", Problem::Required));
        }
        end_note = r.take(Note::try_from(form.end_note.as_str()).map_err(|e| e.at("end_note")));
    }
    let ended = match (form.ended, end_on, end_outcome, end_note.clone()) {
        (false, ..) => Some(None),
        (true, Some(on), Some(outcome), Some(note)) => Some(Some(CourseEnd { on, outcome, note })),
        _ => None,
    };
    let input = match (team, started_on, planned_end_on, offer_id, ended) {
        (Some(team_id), Some(started_on), Some(planned_end_on), Some(offer_id), Some(ended)) => Some(CourseInput {
            citizen_id: citizen,
            team_id,
            offer_id,
            started_on,
            planned_end_on,
            consultants: form.consultants.clone(),
            goals: form.goals.clone(),
            ended,
        }),
        _ => None,
    };
    // The rules are checked on what was read even when a field failed to
    // read (issue 15's walk: a future end day was refused only once a
    // result was chosen): the fields that failed stand in, and the rules
    // never look at those (team, offer, the end's result and note).
    match (started_on, planned_end_on) {
        (Some(started_on), Some(planned_end_on)) => {
            let checked = input.clone().unwrap_or_else(|| CourseInput {
                citizen_id: citizen,
                team_id: team.unwrap_or(TeamId::from_uuid(uuid::Uuid::nil())),
                offer_id: None,
                started_on,
                planned_end_on,
                consultants: form.consultants.clone(),
                goals: form.goals.clone(),
                ended: end_on.map(|on| CourseEnd {
                    on,
                    outcome: end_outcome.unwrap_or(Outcome::Paused),
                    note: end_note.clone().unwrap_or_else(Note::empty),
                }),
            });
            if let Err(found) = checked.check(id, others, today) {
                for e in found {
                    r.refuse(e);
                }
            }
        }
        // Said with the other refusals even when a date is missing.
        _ if form.consultants.is_empty() => r.refuse(ValidationError::new("consultants", Problem::NoneChosen)),
        _ => {}
    }
    r.done(input)
}

/// Reads a half-yearly status of `course` as typed on `today`.
///
/// Errors: `on` `required`, `date_expected`, `before_start_day` or
/// `in_future`; `note` `required` or too long.
pub fn read_status(
    id: CourseStatusId,
    on: &str,
    note: &str,
    course: &CourseInput,
    today: Date,
) -> Result<CourseStatusInput, Vec<ValidationError>> {
    let mut r = Reader::default();
    let on = r.date("on", on, true).flatten();
    let note = r.take(CourseStatusNote::try_from(note));
    // The day is checked even when the note failed (it stands in: the
    // rule reads the day alone).
    let stand_in = note.clone().or_else(|| CourseStatusNote::try_from("…").ok());
    if let (Some(on), Some(note)) = (on, stand_in)
        && let Err(e) = (CourseStatusInput { id, on, note }).check(course, today)
    {
        r.refuse(e);
    }
    let status = match (on, note) {
        (Some(on), Some(note)) => Some(CourseStatusInput { id, on, note }),
        _ => None,
    };
    r.done(status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn uuid(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn form() -> CourseForm {
        CourseForm {
            team: uuid(2).to_string(),
            consultants: vec![UserId::from_uuid(uuid(3))],
            started_on: "1.12.2026".into(),
            planned_end_on: "2027-11-30".into(),
            ..CourseForm::default()
        }
    }

    fn read(f: &CourseForm) -> Result<CourseInput, Vec<(String, &'static str)>> {
        let today: Date = "2026-12-01".parse().expect("date");
        read_course(f, CourseId::from_uuid(uuid(9)), CitizenId::from_uuid(uuid(1)), &[], today)
            .map_err(|es| es.iter().map(|e| (e.field.to_string(), e.code())).collect())
    }

    fn refused(f: CourseForm) -> Vec<(String, &'static str)> {
        read(&f).expect_err("refused")
    }

    #[test]
    fn a_course_form_reads_or_names_every_refused_field() {
        let ok = read(&form()).expect("a course");
        assert_eq!(ok.started_on.to_string(), "2026-12-01", "Danish or ISO dates");
        assert_eq!(ok.ended, None);
        let f = |field: &str, code: &'static str| vec![(field.to_owned(), code)];
        assert_eq!(refused(CourseForm { team: String::new(), ..form() }), f("team_id", "required"));
        assert_eq!(
            refused(CourseForm { planned_end_on: "1.12.2027".into(), ..form() }),
            f("planned_end_on", "course_too_long")
        );
        assert_eq!(
            refused(CourseForm { planned_end_on: "31.02.2027".into(), ..form() }),
            f("planned_end_on", "date_expected")
        );
        assert_eq!(refused(CourseForm { started_on: String::new(), ..form() }), f("started_on", "required"));
        assert_eq!(
            refused(CourseForm { started_on: String::new(), consultants: vec![], ..form() }),
            vec![("started_on".to_owned(), "required"), ("consultants".to_owned(), "none_chosen")],
            "every refusal at once"
        );
        let ended = CourseForm { ended: true, ..form() };
        assert_eq!(
            refused(ended.clone()),
            vec![("ended_on".to_owned(), "required"), ("outcome".to_owned(), "required")]
        );
        let done = read(&CourseForm { ended_on: "1.12.2026".into(), outcome: "in_education".into(), ..ended.clone() })
            .expect("ended");
        assert_eq!(done.ended.map(|e| e.outcome), Some(Outcome::InEducation));
        assert_eq!(
            refused(CourseForm { ended_on: "2.12.2026".into(), outcome: "moved".into(), ..ended.clone() }),
            f("ended_on", "in_future")
        );
        // No result and a day ahead: both said at once (issue 15's walk
        // said the day only once a result was chosen).
        assert_eq!(
            refused(CourseForm { ended_on: "2.01.2027".into(), ..ended.clone() }),
            vec![("outcome".to_owned(), "required"), ("ended_on".to_owned(), "in_future")]
        );
        // No team either: the day's rule is still checked.
        assert_eq!(
            refused(CourseForm { team: String::new(), ended_on: "30.11.2025".into(), ..ended }),
            vec![
                ("team_id".to_owned(), "required"),
                ("outcome".to_owned(), "required"),
                ("ended_on".to_owned(), "before_start_day")
            ]
        );
    }

    #[test]
    fn a_status_reads_or_names_its_fields() {
        let today: Date = "2026-12-01".parse().expect("date");
        let course = read(&form()).expect("course");
        let status = |on: &str, note: &str| {
            read_status(CourseStatusId::from_uuid(uuid(5)), on, note, &course, today)
                .map_err(|es| es.iter().map(|e| (e.field.to_string(), e.code())).collect::<Vec<_>>())
        };
        assert!(status("1.12.2026", "Går i skole").is_ok());
        assert_eq!(status("30.11.2026", "x"), Err(vec![("on".into(), "before_start_day")]));
        assert_eq!(status("", " "), Err(vec![("on".into(), "required"), ("note".into(), "required")]));
        // An empty note and a day ahead: both at once (issue 15's walk).
        assert_eq!(status("2.12.2026", " "), Err(vec![("note".into(), "required"), ("on".into(), "in_future")]));
    }
}
