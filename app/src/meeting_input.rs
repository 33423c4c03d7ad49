//! Reading the meeting forms (issue 16): planning a meeting, recording
//! that it was held, an entry of its minutes. Every problem at once, each
//! at its field, checked as the server checks it (`shared::meeting`).

use shared::meeting::{AgendaItem, MeetingDraft, MeetingStatus, MinutesDraft};
use shared::text::{MinutesText, OthersPresent};
use shared::{CitizenId, Date, MeetingId, MinutesId, Problem, UserId, ValidationError};

use crate::plan_input::Reader;

/// A meeting as typed in the planning form.
pub struct MeetingTyped<'a> {
    pub on: &'a str,
    pub organiser: Option<UserId>,
    pub participants: &'a [UserId],
    pub others: &'a str,
    pub citizen_invited: bool,
}

/// Reads a planned meeting; `stored`: the meeting being changed (its
/// status, who took part and the next day stay as they are). Errors: `on`
/// `required` or `date_expected`, `in_past` for a new meeting planned
/// before `today`; `organiser_id` `required`; `others` too long; the
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
    if typed.organiser.is_none() {
        r.refuse(ValidationError::new("organiser_id", Problem::Required));
    }
    let others = r.take(OthersPresent::try_from(typed.others));
    let draft = match (on, typed.organiser, others) {
        (Some(on), Some(organiser_id), Some(others)) => {
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

/// The meeting as held: who of the staff took part, whether the citizen
/// did, the next meeting's day (optional). Errors: `present`
/// `none_chosen`, `on` `in_future` (a meeting not yet come), `next_on`
/// `date_expected` or `not_after_meeting`.
pub fn read_held(
    meeting: &MeetingDraft,
    present: &[UserId],
    citizen_took_part: bool,
    next_on: &str,
    today: Date,
) -> Result<MeetingDraft, Vec<ValidationError>> {
    let mut r = Reader::default();
    let next_on = r.date("next_on", next_on, false);
    let draft = next_on.map(|next_on| MeetingDraft {
        status: MeetingStatus::Held,
        present: present.to_vec(),
        citizen_took_part,
        next_on,
        ..meeting.clone()
    });
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

/// The next meeting's day to offer when a meeting is recorded as held:
/// four months on (three meetings a year, seed 002).
pub fn suggested_next(on: Date) -> Date {
    on.add_months(shared::meeting::MEETING_INTERVAL_MONTHS)
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
        let typed =
            MeetingTyped { on: "2026-12-01", organiser: None, participants: &[], others: &long, citizen_invited: true };
        let errors = read_meeting(id(1), id(2), &typed, None, today).expect_err("three problems");
        assert_eq!(
            codes(&errors),
            [("on".to_owned(), "in_past"), ("organiser_id".to_owned(), "required"), ("others".to_owned(), "too_long")]
        );
        let me: UserId = id(3);
        let colleague: UserId = id(4);
        let typed = MeetingTyped {
            on: "10.12.2026",
            organiser: Some(me),
            participants: &[me, colleague],
            others: "Mor (Lone)",
            citizen_invited: true,
        };
        let m = read_meeting(id(1), id(2), &typed, None, today).expect("valid");
        assert_eq!(
            (m.on, m.participants.clone(), m.status),
            (date("2026-12-10"), vec![colleague], MeetingStatus::Planned)
        );
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
            organiser: Some(me),
            participants: &[],
            others: "",
            citizen_invited: true,
        };
        let m = read_meeting(id(1), id(2), &typed, None, today).expect("valid");
        let errors = read_held(&m, &[], true, "2026-12-01", today).expect_err("nobody, next before");
        assert_eq!(
            codes(&errors),
            [("present".to_owned(), "none_chosen"), ("next_on".to_owned(), "not_after_meeting")]
        );
        let held = read_held(&m, &[me], true, "2027-04-03", today).expect("held");
        assert_eq!((held.status, held.citizen_took_part), (MeetingStatus::Held, true));
        assert_eq!(suggested_next(m.on), date("2027-04-03"));
        // Minutes during it; none once cancelled.
        assert!(read_minutes(id(9), &m, AgendaItem::Other, "Aftalt praktik", today).is_ok());
        let errors = read_minutes(id(9), &m, AgendaItem::Other, " ", today).expect_err("empty");
        assert_eq!(codes(&errors), [("text".to_owned(), "required")]);
        let cancelled = MeetingDraft { status: MeetingStatus::Cancelled, ..m };
        let errors = read_minutes(id(9), &cancelled, AgendaItem::Other, "Noget", today).expect_err("cancelled");
        assert_eq!(codes(&errors), [("meeting_id".to_owned(), "not_held")]);
    }
}
