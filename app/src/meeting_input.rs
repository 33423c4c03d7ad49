//! Reading the meeting forms (issue 16): planning a meeting, recording
//! that it was held, an entry of its minutes. Every problem at once, each
//! at its field, checked as the server checks it (`shared::meeting`).

use shared::meeting::{AgendaItem, MeetingDraft, MeetingStatus, MinutesDraft};
use shared::text::{MinutesText, OthersPresent};
use shared::time::Occurrence;
use shared::visit::MAX_VISIT_MINUTES;
use shared::{CitizenId, Date, MeetingId, MinutesId, Problem, Timestamp, UserId, ValidationError};

use crate::plan_input::Reader;
use crate::visit_input::{minute_of_day, whole_minutes};

/// A meeting as typed in the planning form.
pub struct MeetingTyped<'a> {
    pub on: &'a str,
    /// `HH:MM` (Copenhagen), or empty: not set yet.
    pub start: &'a str,
    pub organiser: Option<UserId>,
    pub participants: &'a [UserId],
    pub others: &'a str,
    pub citizen_invited: bool,
}

/// Reads a planned meeting; `stored`: the meeting being changed (its
/// status, who took part, its duration and the next day stay as they
/// are). Errors: `on` `required` or `date_expected`, `in_past` for a new
/// meeting planned before `today`; `starts_at` `invalid_format` or
/// `skipped_time`; `organiser_id` `required`; `others` too long; the
/// meeting's own rules ([`MeetingDraft::check`]).
pub fn read_meeting(
    id: MeetingId,
    citizen: CitizenId,
    typed: &MeetingTyped<'_>,
    stored: Option<&MeetingDraft>,
    today: Date,
) -> Result<MeetingDraft, Vec<ValidationError>> {
    let mut r = Reader::default();
    let on = r.date("on", typed.on, true).flatten();
    if let Some(on) = on
        && stored.is_none()
        && on < today
    {
        r.refuse(ValidationError::new("on", Problem::InPast));
    }
    let starts_at = on.map(|on| read_start(&mut r, on, typed.start, false));
    if typed.organiser.is_none() {
        r.refuse(ValidationError::new("organiser_id", Problem::Required));
    }
    let others = r.take(OthersPresent::try_from(typed.others));
    let draft = match (on, starts_at, typed.organiser, others) {
        (Some(on), Some(Ok(starts_at)), Some(organiser_id), Some(others)) => {
            let draft = MeetingDraft {
                id,
                citizen_id: citizen,
                on,
                organiser_id,
                participants: typed.participants.iter().copied().filter(|u| *u != organiser_id).collect(),
                others,
                citizen_invited: typed.citizen_invited,
                status: stored.map_or(MeetingStatus::Planned, |s| s.status),
                citizen_took_part: stored.is_some_and(|s| s.citizen_took_part),
                present: stored.map(|s| s.present.clone()).unwrap_or_default(),
                next_on: stored.and_then(|s| s.next_on),
                starts_at,
                duration: stored.and_then(|s| s.duration),
            };
            if let Err(errors) = draft.check(today) {
                errors.into_iter().for_each(|e| r.refuse(e));
            }
            Some(draft)
        }
        _ => None,
    };
    r.done(draft)
}

/// The start typed for a meeting on `on` (`HH:MM`, Copenhagen; the first
/// of a repeated hour): `Ok(None)` when empty and not `required`; `Err`
/// (refused in `r`: `starts_at` `required`, `invalid_format` or
/// `skipped_time`) when it cannot be read.
fn read_start(r: &mut Reader, on: Date, text: &str, required: bool) -> Result<Option<Timestamp>, ()> {
    let refuse = |r: &mut Reader, problem| {
        r.refuse(ValidationError::new("starts_at", problem));
        Err(())
    };
    if text.trim().is_empty() {
        return if required { refuse(r, Problem::Required) } else { Ok(None) };
    }
    let Some(minute) = minute_of_day(text) else { return refuse(r, Problem::InvalidFormat) };
    match Timestamp::local_instants(on, minute).pick(Occurrence::First) {
        Some(at) => Ok(Some(at)),
        None => refuse(r, Problem::SkippedTime),
    }
}

/// What the hold form asks of a meeting held: when it began (`HH:MM`) and
/// how long it lasted (whole minutes), who of the staff took part,
/// whether the citizen did, the next meeting's day (optional).
pub struct HeldTyped<'a> {
    pub start: &'a str,
    pub duration: &'a str,
    pub present: &'a [UserId],
    pub citizen_took_part: bool,
    pub next_on: &'a str,
}

/// The meeting as held (issue 16: each staff member present gets its
/// duration counted once, for them, as a meeting visit). Errors:
/// `starts_at` `required`, `invalid_format` or `skipped_time`; `duration`
/// `required`, `minutes_expected`, `out_of_range` (1 to 960) or
/// `duration_too_long`; `present` `none_chosen`; `on` `in_future` (a
/// meeting not yet come); `next_on` `date_expected` or `not_after_meeting`.
pub fn read_held(
    meeting: &MeetingDraft,
    typed: &HeldTyped<'_>,
    today: Date,
) -> Result<MeetingDraft, Vec<ValidationError>> {
    let mut r = Reader::default();
    let starts_at = read_start(&mut r, meeting.on, typed.start, true);
    let duration = if typed.duration.trim().is_empty() {
        r.refuse(ValidationError::new("duration", Problem::Required));
        None
    } else {
        let too_long = Problem::DurationTooLong { max_minutes: MAX_VISIT_MINUTES };
        r.take(whole_minutes(typed.duration, "duration", (1, MAX_VISIT_MINUTES), too_long))
    };
    let next_on = r.date("next_on", typed.next_on, false);
    let draft = match (starts_at, duration, next_on) {
        (Ok(starts_at), Some(duration), Some(next_on)) => Some(MeetingDraft {
            status: MeetingStatus::Held,
            present: typed.present.to_vec(),
            citizen_took_part: typed.citizen_took_part,
            next_on,
            starts_at,
            duration: Some(duration),
            ..meeting.clone()
        }),
        _ => None,
    };
    if let Some(Err(errors)) = draft.as_ref().map(|d| d.check(today)) {
        errors.into_iter().for_each(|e| r.refuse(e));
    }
    r.done(draft)
}

/// Reads an entry of the minutes on `item` of `meeting`. Errors: `text`
/// `required` or too long; `meeting_id` `not_held` for a meeting cancelled
/// or still ahead.
pub fn read_minutes(
    id: MinutesId,
    meeting: &MeetingDraft,
    item: AgendaItem,
    text: &str,
    today: Date,
) -> Result<MinutesDraft, Vec<ValidationError>> {
    let mut r = Reader::default();
    let text = r.take(MinutesText::try_from(text));
    let draft =
        text.map(|text| MinutesDraft { id, meeting_id: meeting.id, citizen_id: meeting.citizen_id, item, text });
    if let Some(Err(e)) = draft.as_ref().map(|d| d.check(meeting, today)) {
        r.refuse(e);
    }
    r.done(draft)
}

/// The next meeting's day to offer when a meeting is recorded as held, at
/// the citizen's `per_year` meetings a year (three by default, seed 002:
/// four months on); none at 0 a year.
pub fn suggested_next(on: Date, per_year: u8) -> Option<Date> {
    shared::meeting::next_due(on, per_year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id<T: From<uuid::Uuid>>(n: u128) -> T {
        T::from(uuid::Uuid::from_u128(n))
    }

    fn date(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn codes(errors: &[ValidationError]) -> Vec<(String, &'static str)> {
        errors.iter().map(|e| (e.field.to_string(), e.code())).collect()
    }

    #[test]
    fn a_planned_meeting_says_every_problem_at_once() {
        let today = date("2026-12-03");
        let long = "x".repeat(301);
        let typed = MeetingTyped {
            on: "2026-12-01",
            start: "25:00",
            organiser: None,
            participants: &[],
            others: &long,
            citizen_invited: true,
        };
        let errors = read_meeting(id(1), id(2), &typed, None, today).expect_err("four problems");
        assert_eq!(
            codes(&errors),
            [
                ("on".to_owned(), "in_past"),
                ("starts_at".to_owned(), "invalid_format"),
                ("organiser_id".to_owned(), "required"),
                ("others".to_owned(), "too_long")
            ]
        );
        let me: UserId = id(3);
        let colleague: UserId = id(4);
        let typed = MeetingTyped {
            on: "10.12.2026",
            start: "",
            organiser: Some(me),
            participants: &[me, colleague],
            others: "Mor (Lone)",
            citizen_invited: true,
        };
        let m = read_meeting(id(1), id(2), &typed, None, today).expect("valid");
        assert_eq!(
            (m.on, m.participants.clone(), m.status, m.starts_at),
            (date("2026-12-10"), vec![colleague], MeetingStatus::Planned, None)
        );
        // A time, Copenhagen's: 13.00 on 10 December is 12.00 UTC.
        let timed = read_meeting(id(1), id(2), &MeetingTyped { start: "13:00", ..typed }, None, today).expect("valid");
        assert_eq!(timed.starts_at.map(|t| t.to_string()), Some("2026-12-10T12:00:00.000Z".to_owned()));
        // The hour skipped when the clocks go forward is no time.
        let typed_spring = MeetingTyped { on: "2027-03-28", start: "02:30", ..typed };
        let errors = read_meeting(id(1), id(2), &typed_spring, None, today).expect_err("skipped");
        assert_eq!(codes(&errors), [("starts_at".to_owned(), "skipped_time")]);
        // A meeting already planned may keep its day gone by.
        let typed = MeetingTyped { on: "2026-12-01", ..typed };
        assert!(read_meeting(id(1), id(2), &typed, Some(&m), today).is_ok());
    }

    #[test]
    fn a_meeting_is_held_with_someone_present_and_the_next_day_after_it() {
        let today = date("2026-12-03");
        let me: UserId = id(3);
        let typed = MeetingTyped {
            on: "2026-12-03",
            start: "",
            organiser: Some(me),
            participants: &[],
            others: "",
            citizen_invited: true,
        };
        let m = read_meeting(id(1), id(2), &typed, None, today).expect("valid");
        let nobody =
            HeldTyped { start: "", duration: "", present: &[], citizen_took_part: true, next_on: "2026-12-01" };
        let errors = read_held(&m, &nobody, today).expect_err("no time, nobody, next before");
        assert_eq!(codes(&errors), [("starts_at".to_owned(), "required"), ("duration".to_owned(), "required")]);
        let errors = read_held(&m, &HeldTyped { start: "9:00", duration: "90", ..nobody }, today).expect_err("nobody");
        assert_eq!(
            codes(&errors),
            [("present".to_owned(), "none_chosen"), ("next_on".to_owned(), "not_after_meeting")]
        );
        for (duration, code) in [("1,5", "minutes_expected"), ("0", "out_of_range"), ("961", "duration_too_long")] {
            let typed = HeldTyped { start: "09:00", duration, present: &[me], next_on: "", ..nobody };
            let errors = read_held(&m, &typed, today).expect_err(duration);
            assert_eq!(codes(&errors), [("duration".to_owned(), code)], "{duration}");
        }
        let typed = HeldTyped { start: "09:00", duration: "90", present: &[me], next_on: "2027-04-03", ..nobody };
        let held = read_held(&m, &typed, today).expect("held");
        assert_eq!((held.status, held.citizen_took_part), (MeetingStatus::Held, true));
        assert_eq!(held.duration.map(|d| d.get()), Some(90));
        assert!(held.visit_for(me, None).is_some(), "counted for the staff present");
        assert_eq!(suggested_next(m.on, 3), Some(date("2027-04-03")));
        assert_eq!(suggested_next(m.on, 0), None);
        // Minutes during it; none once cancelled.
        assert!(read_minutes(id(9), &m, AgendaItem::Other, "Aftalt praktik", today).is_ok());
        let errors = read_minutes(id(9), &m, AgendaItem::Other, " ", today).expect_err("empty");
        assert_eq!(codes(&errors), [("text".to_owned(), "required")]);
        let cancelled = MeetingDraft { status: MeetingStatus::Cancelled, ..m };
        let errors = read_minutes(id(9), &cancelled, AgendaItem::Other, "Noget", today).expect_err("cancelled");
        assert_eq!(codes(&errors), [("meeting_id".to_owned(), "not_held")]);
    }
}
