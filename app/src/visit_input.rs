//! The visit form as plain data: what the user typed, read into a
//! [`VisitDraft`] with the same rules the server applies, every refusal
//! naming its field. Pure, so it is tested natively; the page only binds
//! inputs to a [`VisitInput`] and shows the errors.

use shared::assignment::Assignment;
use shared::text::Note;
use shared::visit::{ChargeTo, VisitDraft, VisitKind};
use shared::{CitizenId, Date, Minutes, Problem, Timestamp, UserId, ValidationError, VisitId};

/// The form's fields as typed (inputs give strings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitInput {
    pub citizen: String,
    pub kind: VisitKind,
    /// `YYYY-MM-DD` (an `<input type=date>`), Copenhagen calendar.
    pub date: String,
    /// `HH:MM` (an `<input type=time>`), Copenhagen wall clock.
    pub start: String,
    /// Either an end time or a duration in minutes.
    pub by_duration: bool,
    pub end: String,
    pub duration: String,
    pub travel: String,
    pub note: String,
    /// The index of the chosen charge among the options, as text; empty
    /// when there is one option or none.
    pub charge: String,
}

impl VisitInput {
    /// A fresh form for `citizen`, starting `minutes` ago and ending now.
    pub fn new(citizen: Option<CitizenId>, kind: VisitKind, start: Timestamp, end: Timestamp) -> VisitInput {
        VisitInput {
            citizen: citizen.map(|c| c.to_string()).unwrap_or_default(),
            kind,
            date: start.local_date().to_string(),
            start: hh_mm(start),
            by_duration: false,
            end: hh_mm(end),
            duration: start.minutes_until(end).max(0).to_string(),
            travel: String::new(),
            note: String::new(),
            charge: String::new(),
        }
    }

    /// The form filled from a draft (editing, or fixing a rejected one).
    pub fn from_draft(d: &VisitDraft, options: &[ChargeTo]) -> VisitInput {
        let mut input = VisitInput::new(Some(d.citizen_id), d.kind, d.started_at(), d.ended_at());
        input.travel = d.travel_minutes.get().to_string();
        input.note = d.note.to_string();
        input.charge =
            d.charged_to.and_then(|c| options.iter().position(|o| *o == c)).map(|i| i.to_string()).unwrap_or_default();
        input
    }
}

/// `HH:MM` of an instant on the Copenhagen clock.
pub fn hh_mm(t: Timestamp) -> String {
    let m = t.local_minute_of_day();
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn minute_of_day(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn whole_minutes(text: &str, field: &'static str, max: u32) -> Result<Minutes, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Minutes::ZERO);
    }
    match text.parse::<u32>() {
        Ok(n) if n <= max => Ok(Minutes::new(n)),
        _ => Err(ValidationError::new(field, Problem::OutOfRange { min: 0, max: max.into() })),
    }
}

/// A required field read with `parse`: empty is `Required`, unreadable is
/// `bad`; either goes to `errors` under `field`.
fn required<T>(
    text: &str,
    field: &'static str,
    bad: Problem,
    parse: impl Fn(&str) -> Option<T>,
    errors: &mut Vec<ValidationError>,
) -> Option<T> {
    let value = if text.trim().is_empty() { Err(Problem::Required) } else { parse(text).ok_or(bad) };
    value.map_err(|problem| errors.push(ValidationError::new(field, problem))).ok()
}

/// What the form is checked against.
pub struct Context<'a> {
    pub visit_id: VisitId,
    pub user: UserId,
    pub now: Timestamp,
    /// The user's assignments (a visit needs one covering its date).
    pub assignments: &'a [Assignment],
    /// The charge choices for the chosen citizen and date.
    pub options: &'a [ChargeTo],
}

/// Reads the form. All problems at once, each naming its field, so the user
/// sees everything to fix; nothing typed is changed.
pub fn read(input: &VisitInput, ctx: &Context<'_>) -> Result<VisitDraft, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let citizen: Option<CitizenId> =
        required(&input.citizen, "citizen_id", Problem::UnknownValue, |t| t.parse().ok(), &mut errors);
    let date: Option<Date> = required(&input.date, "date", Problem::InvalidFormat, |t| t.parse().ok(), &mut errors);
    let start = required(&input.start, "started_at", Problem::InvalidFormat, minute_of_day, &mut errors);
    // The end: a time (on the same day, or the next if it is earlier than
    // the start: a visit across midnight), or a duration.
    let length = if input.by_duration {
        if input.duration.trim().is_empty() && input.kind != VisitKind::NoShow {
            errors.push(ValidationError::new("duration", Problem::Required));
            None
        } else {
            match whole_minutes(&input.duration, "duration", shared::visit::MAX_VISIT_MINUTES) {
                Ok(m) => Some(Ok(m)),
                Err(_) => {
                    errors.push(ValidationError::new(
                        "duration",
                        Problem::DurationTooLong { max_minutes: shared::visit::MAX_VISIT_MINUTES },
                    ));
                    None
                }
            }
        }
    } else if input.end.trim().is_empty() {
        errors.push(ValidationError::new("ended_at", Problem::Required));
        None
    } else {
        match minute_of_day(&input.end) {
            Some(end) => Some(Err(end)),
            None => {
                errors.push(ValidationError::new("ended_at", Problem::InvalidFormat));
                None
            }
        }
    };
    let travel = whole_minutes(&input.travel, "travel_minutes", shared::visit::MAX_TRAVEL_MINUTES)
        .map_err(|e| errors.push(e))
        .ok();
    let note = Note::try_from(input.note.as_str()).map_err(|e| errors.push(e.at("note"))).ok();
    let charged_to = match ctx.options {
        [] => None,
        [only] => Some(*only),
        many => match input.charge.parse::<usize>().ok().and_then(|i| many.get(i)) {
            Some(c) => Some(*c),
            None => {
                errors.push(ValidationError::new("charged_to", Problem::Required));
                None
            }
        },
    };
    let (Some(citizen), Some(date), Some(start), Some(length), Some(travel), Some(note)) =
        (citizen, date, start, length, travel, note)
    else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let started_at = Timestamp::from_local(date, start);
    let ended_at = match length {
        Ok(minutes) => started_at.add_minutes(i64::from(minutes.get())),
        Err(end) if end >= start => Timestamp::from_local(date, end),
        // An end before the start: across midnight if that makes a sane
        // visit, else the user's mistake (checked below).
        Err(end) if start - end > 8 * 60 => Timestamp::from_local(date.add_days(1), end),
        Err(end) => Timestamp::from_local(date, end),
    };
    let assigned =
        ctx.assignments.iter().any(|a| a.user_id == ctx.user && a.citizen_id == citizen && a.period.contains(date));
    if !assigned {
        errors.push(ValidationError::new("citizen_id", Problem::NotAssigned));
    }
    let draft = VisitDraft::new(ctx.visit_id, citizen, input.kind, started_at, ended_at, travel, note, charged_to);
    match draft.and_then(|d| d.clone().into_visit(ctx.user, ctx.now).map(|_| d)) {
        Ok(d) if errors.is_empty() => Ok(d),
        Ok(_) => Err(errors),
        Err(e) => {
            // The form's names for the draft's fields.
            let e = match (e.field.as_ref(), e.code()) {
                (_, "in_future") => e.at("date"),
                ("ended_at", _) if input.by_duration => e.at("duration"),
                _ => e,
            };
            errors.push(e);
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::time::DateRange;
    use shared::{AssignmentId, GrantId};
    use uuid::Uuid;

    fn citizen() -> CitizenId {
        CitizenId::from_uuid(Uuid::from_u128(2))
    }

    fn user() -> UserId {
        UserId::from_uuid(Uuid::from_u128(3))
    }

    fn assignment(from: &str) -> Assignment {
        Assignment {
            id: AssignmentId::from_uuid(Uuid::from_u128(4)),
            citizen_id: citizen(),
            user_id: user(),
            period: DateRange::new(from.parse().expect("valid"), None).expect("valid"),
        }
    }

    /// Monday 23 November 2026, 15:00 in Copenhagen.
    fn now() -> Timestamp {
        "2026-11-23T14:00:00Z".parse().expect("valid")
    }

    fn input() -> VisitInput {
        VisitInput {
            citizen: citizen().to_string(),
            kind: VisitKind::HomeVisit,
            date: "2026-11-23".into(),
            start: "09:00".into(),
            by_duration: false,
            end: "10:30".into(),
            duration: String::new(),
            travel: "15".into(),
            note: "Hjalp med post".into(),
            charge: String::new(),
        }
    }

    fn read_with(input: &VisitInput, options: &[ChargeTo]) -> Result<VisitDraft, Vec<(String, &'static str)>> {
        let assignments = [assignment("2026-01-01")];
        let ctx = Context {
            visit_id: VisitId::from_uuid(Uuid::from_u128(1)),
            user: user(),
            now: now(),
            assignments: &assignments,
            options,
        };
        read(input, &ctx).map_err(|es| es.into_iter().map(|e| (e.field.to_string(), e.code())).collect())
    }

    #[test]
    fn a_good_form_reads_in_copenhagen_time() {
        let d = read_with(&input(), &[]).expect("valid");
        assert_eq!(d.started_at(), "2026-11-23T08:00:00Z".parse().expect("valid"));
        assert_eq!(d.ended_at(), "2026-11-23T09:30:00Z".parse().expect("valid"));
        assert_eq!((d.travel_minutes.get(), d.charged_to), (15, None));
        // By duration, in summer time.
        let summer = VisitInput { date: "2026-07-01".into(), by_duration: true, duration: "45".into(), ..input() };
        let d = read_with(&summer, &[]).expect("valid");
        assert_eq!(d.started_at(), "2026-07-01T07:00:00Z".parse().expect("valid"));
        assert_eq!(d.ended_at(), "2026-07-01T07:45:00Z".parse().expect("valid"));
    }

    #[test]
    fn one_charge_is_chosen_and_several_are_asked() {
        let a = ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(8)));
        let b = ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(9)));
        assert_eq!(read_with(&input(), &[a]).expect("valid").charged_to, Some(a));
        assert_eq!(read_with(&input(), &[a, b]), Err(vec![("charged_to".into(), "required")]));
        let chosen = VisitInput { charge: "1".into(), ..input() };
        assert_eq!(read_with(&chosen, &[a, b]).expect("valid").charged_to, Some(b));
    }

    #[test]
    fn every_bad_input_names_its_field() {
        let cases: Vec<(VisitInput, Vec<(&str, &str)>)> = vec![
            (VisitInput { end: "08:30".into(), ..input() }, vec![("ended_at", "end_before_start")]),
            (
                VisitInput { start: "06:00".into(), end: "22:30".into(), ..input() },
                vec![("ended_at", "duration_too_long")],
            ),
            (
                VisitInput { by_duration: true, duration: "961".into(), ..input() },
                vec![("duration", "duration_too_long")],
            ),
            (VisitInput { date: "2026-11-24".into(), ..input() }, vec![("date", "in_future")]),
            (VisitInput { date: "2025-12-31".into(), ..input() }, vec![("citizen_id", "not_assigned")]),
            (VisitInput { citizen: String::new(), ..input() }, vec![("citizen_id", "required")]),
            (
                VisitInput { date: String::new(), start: "9".into(), travel: "-3".into(), ..input() },
                vec![("date", "required"), ("started_at", "invalid_format"), ("travel_minutes", "out_of_range")],
            ),
            (VisitInput { travel: "601".into(), ..input() }, vec![("travel_minutes", "out_of_range")]),
        ];
        for (i, (form, expected)) in cases.into_iter().enumerate() {
            let got = read_with(&form, &[]).expect_err(&format!("case {i}"));
            let expected: Vec<(String, &str)> = expected.into_iter().map(|(f, c)| (f.to_owned(), c)).collect();
            assert_eq!(got, expected, "case {i}");
        }
    }

    #[test]
    fn a_visit_across_midnight_ends_the_next_day() {
        let late = VisitInput { date: "2026-11-20".into(), start: "23:30".into(), end: "00:15".into(), ..input() };
        let d = read_with(&late, &[]).expect("valid");
        assert_eq!(d.started_at().minutes_until(d.ended_at()), 45);
    }

    #[test]
    fn a_no_show_may_cost_no_time() {
        let no_show = VisitInput { kind: VisitKind::NoShow, end: "09:00".into(), ..input() };
        assert!(read_with(&no_show, &[]).is_ok());
    }

    #[test]
    fn a_draft_fills_the_form_back() {
        let a = ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(8)));
        let b = ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(9)));
        let chosen = VisitInput { charge: "1".into(), ..input() };
        let d = read_with(&chosen, &[a, b]).expect("valid");
        assert_eq!(VisitInput::from_draft(&d, &[a, b]), VisitInput { duration: "90".into(), ..chosen });
    }
}
