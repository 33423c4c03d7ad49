//! The visit form as plain data: what the user typed, read into a
//! [`VisitDraft`] with the same rules the server applies, every refusal
//! naming its field. Pure, so it is tested natively; the page only binds
//! inputs to a [`VisitInput`] and shows the errors.
//!
//! The input keeps the instants it was filled with (a stored visit, a stopped
//! timer), so a time the user did not edit reads back byte for byte. A time in
//! the hour the autumn change repeats carries which one it is, and the form
//! asks only then ("02.30 sommertid (CEST) / vintertid (CET)"); one the spring
//! change skips is refused (`skipped_time`). Besides the server's rules it
//! checks that the citizen is assigned on that date and the charge choice, and
//! reports every problem at once, named by field (issue 12, kind 4).

use shared::assignment::Assignment;
use shared::text::Note;
use shared::time::{LocalInstants, Occurrence};
use shared::visit::{ChargeTo, VisitDraft, VisitKind};
use shared::{CitizenId, Date, Lang, Minutes, Problem, Timestamp, UserId, ValidationError, VisitId};

/// The form's fields as typed (inputs give strings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitInput {
    pub citizen: String,
    pub kind: VisitKind,
    /// `YYYY-MM-DD` (an `<input type=date>`), Copenhagen calendar.
    pub date: String,
    /// `HH:MM` (an `<input type=time>`), Copenhagen wall clock.
    pub start: String,
    /// Which 02.30 when `start` is in the hour the autumn change repeats on
    /// `date`; `None` until the user chooses (then the default applies, see
    /// [`VisitInput::start_repeated`]). Ignored for any other time.
    pub start_occurrence: Option<Occurrence>,
    /// Either an end time or a duration in minutes.
    pub by_duration: bool,
    pub end: String,
    /// Which one when `end` is in a repeated hour, like `start_occurrence`
    /// (default: [`VisitInput::end_repeated`]).
    pub end_occurrence: Option<Occurrence>,
    pub duration: String,
    pub travel: String,
    pub note: String,
    /// The index of the chosen charge among the options, as text; empty
    /// when there is one option or none.
    pub charge: String,
    /// The plan's goals ticked as worked on, each with its typed score and
    /// one-line note (issue 15).
    pub goals: Vec<GoalTick>,
    /// The colleagues ticked as taking part too: a joint visit (issue 16).
    pub co_workers: Vec<shared::UserId>,
    /// The start and end the form was filled with (a stored visit, a
    /// stopped timer). A start or end that still names the same minute is
    /// read back as exactly that instant, seconds and milliseconds too, and
    /// an unchanged duration from an unchanged start as that end: a time
    /// the user did not edit comes back byte for byte.
    pub filled: Option<(Timestamp, Timestamp)>,
}

/// A goal ticked in the visit form, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalTick {
    pub goal_id: shared::GoalId,
    /// The citizen's score 0–10, or empty.
    pub score: String,
    /// A one-line progress note, or empty.
    pub note: String,
}

/// The ticked goals as the visit's goal links; every problem at its row
/// (`goals[i].citizen_score`, `goals[i].note`), both of a row at once
/// (issue 15's walk: a score out of range hid a note too long).
pub fn read_goals(ticks: &[GoalTick], errors: &mut Vec<ValidationError>) -> Vec<shared::visit::GoalLink> {
    let mut out = Vec::new();
    for (i, t) in ticks.iter().enumerate() {
        let citizen_score = shared::plan::CitizenScore::read_typed(&t.score)
            .map_err(|e| errors.push(e.at(format!("goals[{i}].citizen_score"))));
        let note = match t.note.trim() {
            "" => Ok(None),
            n => shared::text::ProgressNote::try_from(n)
                .map(Some)
                .map_err(|e| errors.push(e.at(format!("goals[{i}].note")))),
        };
        if let (Ok(citizen_score), Ok(note)) = (citizen_score, note) {
            out.push(shared::visit::GoalLink { goal_id: t.goal_id, note, citizen_score });
        }
    }
    out
}

impl VisitInput {
    /// A fresh form for `citizen` from `start` to `end` (the last hour, or
    /// a stopped timer's real start and stop).
    pub fn new(citizen: Option<CitizenId>, kind: VisitKind, start: Timestamp, end: Timestamp) -> VisitInput {
        let (from, to) = (start.to_local(), end.to_local());
        VisitInput {
            citizen: citizen.map(|c| c.to_string()).unwrap_or_default(),
            kind,
            date: from.date.to_string(),
            start: hh_mm(start),
            start_occurrence: from.occurrence,
            by_duration: false,
            end: hh_mm(end),
            end_occurrence: to.occurrence,
            duration: start.minutes_until(end).max(0).to_string(),
            travel: String::new(),
            note: String::new(),
            charge: String::new(),
            goals: Vec::new(),
            co_workers: Vec::new(),
            filled: Some((start, end)),
        }
    }

    /// The form filled from a draft (editing, or fixing a rejected one).
    pub fn from_draft(d: &VisitDraft, options: &[ChargeTo]) -> VisitInput {
        let mut input = VisitInput::new(Some(d.citizen_id), d.kind, d.started_at(), d.ended_at());
        input.travel = d.travel_minutes.get().to_string();
        input.note = d.note.to_string();
        input.charge =
            d.charged_to.and_then(|c| options.iter().position(|o| *o == c)).map(|i| i.to_string()).unwrap_or_default();
        input.goals = d
            .goals()
            .iter()
            .map(|g| GoalTick {
                goal_id: g.goal_id,
                score: g.citizen_score.map(|s| u8::from(s).to_string()).unwrap_or_default(),
                note: g.note.as_ref().map(ToString::to_string).unwrap_or_default(),
            })
            .collect();
        input.co_workers = d.co_workers().to_vec();
        input
    }

    /// Whether the form asks which start is meant, and what it says: `Some`
    /// (the user's choice, else the first pass, summer time) only when the
    /// typed date and start name two instants (02.00–02.59 on the last
    /// Sunday of October); `None` for any other time, or one not read yet.
    pub fn start_repeated(&self) -> Option<Occurrence> {
        let (date, start) = (self.date.parse::<Date>().ok()?, minute_of_day(&self.start)?);
        match Timestamp::local_instants(date, start) {
            LocalInstants::Two { .. } => Some(self.start_occurrence.unwrap_or(Occurrence::First)),
            LocalInstants::One(_) | LocalInstants::Skipped => None,
        }
    }

    /// Like [`VisitInput::start_repeated`] for the end time (never in
    /// duration mode). The default is the earliest pass not before the
    /// start: 02.50 (summer time) to 02.10 is 20 minutes, not a mistake.
    pub fn end_repeated(&self) -> Option<Occurrence> {
        if self.by_duration {
            return None;
        }
        let (date, start, end) =
            (self.date.parse::<Date>().ok()?, minute_of_day(&self.start)?, minute_of_day(&self.end)?);
        let started_at = start_instant(self, date, start).ok();
        match end_instants(date, start, end) {
            LocalInstants::Two { first, .. } => {
                Some(self.end_occurrence.unwrap_or_else(|| default_end(first, started_at)))
            }
            LocalInstants::One(_) | LocalInstants::Skipped => None,
        }
    }
}

/// Which time field a question about a repeated hour is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeField {
    Start,
    End,
}

/// What the form asks when a typed time (`HH:MM`) occurs twice that day:
/// the question, naming the field and the time, and each answer's label
/// ("02.30 sommertid (CEST)"), in `lang`.
pub fn which_one_text(field: TimeField, typed: &str, lang: Lang) -> (String, [(Occurrence, String); 2]) {
    let time = match lang {
        Lang::Da => typed.trim().replace(':', "."),
        Lang::En => typed.trim().to_owned(),
    };
    let question = match (field, lang) {
        (TimeField::Start, Lang::Da) => format!(
            "Start kl. {time} findes to gange denne dag, fordi uret stilles tilbage fra 03.00 til 02.00. Hvilken?"
        ),
        (TimeField::End, Lang::Da) => format!(
            "Slut kl. {time} findes to gange denne dag, fordi uret stilles tilbage fra 03.00 til 02.00. Hvilken?"
        ),
        (TimeField::Start, Lang::En) => format!(
            "The start at {time} occurs twice on this day, as the clocks go back from 03:00 to 02:00. Which one?"
        ),
        (TimeField::End, Lang::En) => {
            format!("The end at {time} occurs twice on this day, as the clocks go back from 03:00 to 02:00. Which one?")
        }
    };
    (question, Occurrence::ALL.map(|o| (o, format!("{time} {}", o.label(lang)))))
}

/// `HH:MM` of an instant on the Copenhagen clock.
/// The end a new visit's form starts with: `end`, or for a visit that must
/// last (all but a no-show) at least one minute after `start` — a timer
/// stopped within the minute it started would otherwise fill the form with
/// a visit the rules refuse, and the timer would run on.
pub fn prefill_end(kind: VisitKind, start: Timestamp, end: Timestamp) -> Timestamp {
    if kind == VisitKind::NoShow { end } else { end.max(start.add_minutes(1)) }
}

pub fn hh_mm(t: Timestamp) -> String {
    let m = t.local_minute_of_day();
    format!("{:02}:{:02}", m / 60, m % 60)
}

pub(crate) fn minute_of_day(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// The typed start as an instant: the chosen (or first) of two in a
/// repeated hour, refused in the skipped one; the instant the form was
/// filled with if it is still the same minute.
fn start_instant(input: &VisitInput, date: Date, start: u16) -> Result<Timestamp, ValidationError> {
    let occurrence = input.start_occurrence.unwrap_or(Occurrence::First);
    let typed = Timestamp::local_instants(date, start)
        .pick(occurrence)
        .ok_or_else(|| ValidationError::new("started_at", Problem::SkippedTime))?;
    Ok(match input.filled {
        Some((filled, _)) if filled.floor_minute() == typed => filled,
        _ => typed,
    })
}

/// The instants a typed end names: on the start's date, or on the next day
/// when it is more than 8 hours earlier on the clock than the start (a
/// visit across midnight).
fn end_instants(date: Date, start: u16, end: u16) -> LocalInstants {
    let day = if end < start && start - end > 8 * 60 { date.add_days(1) } else { date };
    Timestamp::local_instants(day, end)
}

/// The pass of a repeated end hour meant when none is chosen: the first if
/// it is not before the start, else the second.
fn default_end(first: Timestamp, started_at: Option<Timestamp>) -> Occurrence {
    match started_at {
        Some(s) if first < s.floor_minute() => Occurrence::Second,
        _ => Occurrence::First,
    }
}

/// A minutes field (duration, travel time): empty is 0; else a whole number
/// from `min` to `max`. Errors under `field`: `MinutesExpected` for
/// anything but a whole number ("1.5", "1,5", "1:30", "x"), `too_many`
/// above `max`, `OutOfRange` below `min` (issue 12, kind 3: every refusal
/// says what the field wants).
pub(crate) fn whole_minutes(
    text: &str,
    field: &'static str,
    (min, max): (u32, u32),
    too_many: Problem,
) -> Result<Minutes, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Minutes::ZERO);
    }
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValidationError::new(field, Problem::MinutesExpected));
    }
    match text.parse::<i64>() {
        Ok(n) if n < i64::from(min) => {
            Err(ValidationError::new(field, Problem::OutOfRange { min: min.into(), max: max.into() }))
        }
        Ok(n) if n <= i64::from(max) => Ok(Minutes::new(n as u32)),
        _ => Err(ValidationError::new(field, too_many)),
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

/// The visit's day, start and end as typed (each `None` when it does not
/// read, with the problem pushed to `errors`): a date and start time, and
/// an end time (on the same day, or the next if earlier than the start: a
/// visit across midnight) or a duration.
fn read_times(
    input: &VisitInput,
    errors: &mut Vec<ValidationError>,
) -> (Option<Date>, Option<Timestamp>, Option<Timestamp>) {
    let date: Option<Date> = Date::read_field("date", &input.date, true).map_err(|e| errors.push(e)).ok().flatten();
    let start = required(&input.start, "started_at", Problem::InvalidFormat, minute_of_day, errors);
    let started_at = match (date, start) {
        (Some(date), Some(start)) => start_instant(input, date, start).map_err(|e| errors.push(e)).ok(),
        _ => None,
    };
    // The end: a time (on the same day, or the next if it is earlier than
    // the start: a visit across midnight), or a duration.
    let ended_at = if input.by_duration {
        if input.duration.trim().is_empty() && input.kind != VisitKind::NoShow {
            errors.push(ValidationError::new("duration", Problem::Required));
            None
        } else {
            // A visit lasts at least a minute; a no-show may be of none.
            let max = shared::visit::MAX_VISIT_MINUTES;
            let min = u32::from(input.kind != VisitKind::NoShow);
            match whole_minutes(&input.duration, "duration", (min, max), Problem::DurationTooLong { max_minutes: max })
            {
                // Real elapsed minutes: 60 from 02.30 summer time ends at
                // 02.30 winter time. An unchanged duration from an
                // unchanged start ends where the form's end was.
                Ok(m) => started_at.map(|s| match input.filled {
                    Some((from, to)) if from == s && from.minutes_until(to) == i64::from(m.get()) => to,
                    _ => s.add_minutes(i64::from(m.get())),
                }),
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        }
    } else if input.end.trim().is_empty() {
        errors.push(ValidationError::new("ended_at", Problem::Required));
        None
    } else {
        match (minute_of_day(&input.end), date.zip(start)) {
            (Some(end), Some((date, start))) => {
                let instants = end_instants(date, start, end);
                let occurrence = match instants {
                    LocalInstants::Two { first, .. } => {
                        input.end_occurrence.unwrap_or_else(|| default_end(first, started_at))
                    }
                    LocalInstants::One(_) | LocalInstants::Skipped => Occurrence::First,
                };
                match instants.pick(occurrence) {
                    Some(typed) => Some(match input.filled {
                        Some((_, filled)) if filled.floor_minute() == typed => filled,
                        _ => typed,
                    }),
                    None => {
                        errors.push(ValidationError::new("ended_at", Problem::SkippedTime));
                        None
                    }
                }
            }
            (Some(_), None) => None,
            (None, _) => {
                errors.push(ValidationError::new("ended_at", Problem::InvalidFormat));
                None
            }
        }
    };
    (date, started_at, ended_at)
}

/// Minutes a visit may end after the phone's clock before the form says
/// so: the time it takes to write it up at the door.
pub const AHEAD_GRACE_MINUTES: i64 = 5;

/// How many minutes the visit as typed ends ahead of `now` (the phone's
/// clock), when more than [`AHEAD_GRACE_MINUTES`]; `None` when it has
/// ended, or its times do not read yet. A warning under the times, not a
/// refusal: a visit later today is hours not yet delivered (issue 15's
/// walk saved one as done), but the phone's clock may be wrong, and the
/// server refuses only a later day (`in_future`).
pub fn minutes_ahead(input: &VisitInput, now: Timestamp) -> Option<i64> {
    let (_, _, ended_at) = read_times(input, &mut Vec::new());
    let ahead = now.minutes_until(ended_at?);
    (ahead > AHEAD_GRACE_MINUTES).then_some(ahead)
}

/// Reads the form. All problems at once, each naming its field, so the user
/// sees everything to fix; nothing typed is changed.
pub fn read(input: &VisitInput, ctx: &Context<'_>) -> Result<VisitDraft, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let citizen: Option<CitizenId> =
        required(&input.citizen, "citizen_id", Problem::UnknownValue, |t| t.parse().ok(), &mut errors);
    let (date, started_at, ended_at) = read_times(input, &mut errors);
    let max = shared::visit::MAX_TRAVEL_MINUTES;
    let travel =
        whole_minutes(&input.travel, "travel_minutes", (0, max), Problem::OutOfRange { min: 0, max: max.into() })
            .map_err(|e| errors.push(e))
            .ok();
    let note = Note::try_from(input.note.as_str()).map_err(|e| errors.push(e.at("note"))).ok();
    let goals = read_goals(&input.goals, &mut errors);
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
    let (Some(citizen), Some(date), Some(started_at), Some(ended_at), Some(travel), Some(note)) =
        (citizen, date, started_at, ended_at, travel, note)
    else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let assigned_on =
        |user| ctx.assignments.iter().any(|a| a.user_id == user && a.citizen_id == citizen && a.period.contains(date));
    if !assigned_on(ctx.user) {
        errors.push(ValidationError::new("citizen_id", Problem::NotAssigned));
    }
    // A colleague of a joint visit works with the citizen that day (the
    // server's check too, at `co_workers[i]`).
    if input.co_workers.iter().any(|c| !assigned_on(*c)) {
        errors.push(ValidationError::new("co_workers", Problem::ColleagueNotAssigned));
    }
    let draft = VisitDraft::new(ctx.visit_id, citizen, input.kind, started_at, ended_at, travel, note, charged_to)
        .and_then(|d| d.with_goals(goals))
        .and_then(|d| d.with_co_workers(input.co_workers.clone()));
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
            handover: None,
            user_name: None,
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
            start_occurrence: None,
            by_duration: false,
            end: "10:30".into(),
            end_occurrence: None,
            duration: String::new(),
            travel: "15".into(),
            note: "Hjalp med post".into(),
            charge: String::new(),
            goals: Vec::new(),
            co_workers: Vec::new(),
            filled: None,
        }
    }

    fn read_with(input: &VisitInput, options: &[ChargeTo]) -> Result<VisitDraft, Vec<(String, &'static str)>> {
        read_at(input, options, now())
    }

    fn read_at(
        input: &VisitInput,
        options: &[ChargeTo],
        now: Timestamp,
    ) -> Result<VisitDraft, Vec<(String, &'static str)>> {
        let assignments = [assignment("2026-01-01")];
        let ctx = Context {
            visit_id: VisitId::from_uuid(Uuid::from_u128(1)),
            user: user(),
            now,
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
    fn a_goal_row_says_both_its_problems_at_once() {
        let goal = shared::GoalId::from_uuid(Uuid::from_u128(20));
        let tick = |score: &str, note: &str| GoalTick { goal_id: goal, score: score.into(), note: note.into() };
        let both = VisitInput { goals: vec![tick("12", &"x".repeat(337))], ..input() };
        assert_eq!(
            read_with(&both, &[]),
            Err(vec![("goals[0].citizen_score".into(), "out_of_range"), ("goals[0].note".into(), "too_long")])
        );
        let fine = VisitInput { goals: vec![tick("7", "Ringede selv til lægen")], ..input() };
        let d = read_with(&fine, &[]).expect("valid");
        assert_eq!(d.goals().len(), 1);
        assert_eq!(d.goals()[0].citizen_score.map(u8::from), Some(7));
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
            // Issue 12, kind 3: a minutes field says it wants whole minutes,
            // not that a visit may last at most 16 hours.
            (
                VisitInput { by_duration: true, duration: "1.5".into(), ..input() },
                vec![("duration", "minutes_expected")],
            ),
            (
                VisitInput { by_duration: true, duration: "1,5".into(), ..input() },
                vec![("duration", "minutes_expected")],
            ),
            (
                VisitInput { by_duration: true, duration: "1:30".into(), ..input() },
                vec![("duration", "minutes_expected")],
            ),
            (VisitInput { by_duration: true, duration: "-5".into(), ..input() }, vec![("duration", "out_of_range")]),
            (VisitInput { by_duration: true, duration: "0".into(), ..input() }, vec![("duration", "out_of_range")]),
            (
                VisitInput { by_duration: true, duration: "99999999999".into(), ..input() },
                vec![("duration", "duration_too_long")],
            ),
            (VisitInput { travel: "1.5".into(), ..input() }, vec![("travel_minutes", "minutes_expected")]),
            (VisitInput { travel: "½".into(), ..input() }, vec![("travel_minutes", "minutes_expected")]),
            (VisitInput { travel: "-".into(), ..input() }, vec![("travel_minutes", "minutes_expected")]),
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
        let filled = Some((d.started_at(), d.ended_at()));
        assert_eq!(VisitInput::from_draft(&d, &[a, b]), VisitInput { duration: "90".into(), filled, ..chosen });
    }

    // ---------------------------------------------------------- clock changes
    // Issue 12, kind 4: exact times survive the autumn clock change.

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("valid timestamp")
    }

    /// Issue 15's walk: a visit later today was saved as delivered. The
    /// form says how far ahead it ends (beyond five minutes' grace), by an
    /// end time, a duration, or a visit across midnight; not once it has
    /// ended, nor while its times do not read.
    #[test]
    fn a_visit_that_ends_ahead_of_the_clock_is_said() {
        // 10.00 in Copenhagen (winter time) on 23.11.2026.
        let now = ts("2026-11-23T09:00:00Z");
        let at = |start: &str, end: &str| VisitInput { start: start.into(), end: end.into(), ..input() };
        assert_eq!(minutes_ahead(&at("14:00", "18:00"), now), Some(480));
        assert_eq!(minutes_ahead(&at("09:00", "10:06"), now), Some(6));
        assert_eq!(minutes_ahead(&at("09:00", "10:05"), now), None, "within the grace");
        assert_eq!(minutes_ahead(&at("08:00", "09:30"), now), None, "ended");
        assert_eq!(minutes_ahead(&at("23:00", "01:00"), now), Some(15 * 60), "across midnight");
        let by_duration = VisitInput { start: "09:30".into(), by_duration: true, duration: "90".into(), ..input() };
        assert_eq!(minutes_ahead(&by_duration, now), Some(60));
        assert_eq!(minutes_ahead(&at("9", "18:00"), now), None, "a start that does not read");
        let yesterday = VisitInput { date: "2026-11-22".into(), ..at("14:00", "18:00") };
        assert_eq!(minutes_ahead(&yesterday, now), None);
    }

    /// After every date the tests below use.
    fn late() -> Timestamp {
        ts("2027-12-31T12:00:00Z")
    }

    fn draft(kind: VisitKind, start: &str, end: &str) -> VisitDraft {
        let note = Note::try_from("Ingen åbnede").expect("valid");
        let id = VisitId::from_uuid(Uuid::from_u128(1));
        VisitDraft::new(id, citizen(), kind, ts(start), ts(end), Minutes::new(10), note, None).expect("valid draft")
    }

    /// The form as a user types it: a date and wall-clock times, nothing
    /// filled from a stored visit.
    fn typed(date: &str, start: &str, end: &str) -> VisitInput {
        VisitInput { date: date.into(), start: start.into(), end: end.into(), ..input() }
    }

    #[test]
    fn an_unedited_form_gives_back_the_draft_it_was_filled_with() {
        // (start, end) in UTC; the comment says the Copenhagen wall clock.
        let cases = [
            // 25.10.2026, the autumn change: 02.00–02.59 happens twice.
            ("2026-10-24T23:59:00Z", "2026-10-25T00:59:00Z"), // 01.59 → 02.59 CEST
            ("2026-10-24T23:59:00Z", "2026-10-25T01:59:00Z"), // 01.59 → 02.59 CET
            ("2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z"), // 02.00 CEST → 02.00 CET
            ("2026-10-25T01:00:00Z", "2026-10-25T01:45:00Z"), // 02.00 CET → 02.45 CET
            ("2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"), // 02.30 CEST → 02.30 CET
            ("2026-10-25T00:30:00Z", "2026-10-25T00:30:00Z"), // 02.30 CEST, no time
            ("2026-10-25T01:30:00Z", "2026-10-25T01:30:00Z"), // 02.30 CET, no time
            ("2026-10-25T01:30:00Z", "2026-10-25T02:30:00Z"), // 02.30 CET → 03.30
            ("2026-10-25T00:50:00Z", "2026-10-25T01:10:00Z"), // 02.50 CEST → 02.10 CET
            ("2026-10-25T00:59:00Z", "2026-10-25T01:59:00Z"), // 02.59 CEST → 02.59 CET
            ("2026-10-25T01:59:00Z", "2026-10-25T02:00:00Z"), // 02.59 CET → 03.00
            ("2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z"), // 03.00 → 04.00
            ("2026-10-24T22:00:00Z", "2026-10-25T02:00:00Z"), // 00.00 → 03.00: 4 hours
            ("2026-10-24T20:00:00Z", "2026-10-25T01:30:00Z"), // 22.00 on the 24th → 02.30 CET
            // 29.03.2026, the spring change: 02.00–02.59 does not exist.
            ("2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z"), // 01.30 CET → 03.30 CEST
            ("2026-03-29T00:59:00Z", "2026-03-29T01:00:00Z"), // 01.59 → 03.00: 1 minute
            ("2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"), // 03.00 → 04.00
            ("2026-03-28T23:00:00Z", "2026-03-29T01:00:00Z"), // 00.00 → 03.00: 2 hours
            // 31.10.2027 and 28.03.2027.
            ("2027-10-31T00:30:00Z", "2027-10-31T01:30:00Z"),
            ("2027-03-28T00:59:00Z", "2027-03-28T01:00:00Z"),
            // Seconds and milliseconds (a timer) on an ordinary day.
            ("2026-11-23T08:00:12.345Z", "2026-11-23T09:30:05.678Z"),
            ("2026-11-20T22:30:59.999Z", "2026-11-20T23:15:00.001Z"), // across midnight
        ];
        for (start, end) in cases {
            let d = draft(VisitKind::NoShow, start, end);
            let form = VisitInput::from_draft(&d, &[]);
            assert_eq!(read_at(&form, &[], late()), Ok(d.clone()), "{start} → {end}, by end time");
            let by_duration = VisitInput { by_duration: true, ..form };
            assert_eq!(read_at(&by_duration, &[], late()), Ok(d), "{start} → {end}, by duration");
        }
    }

    #[test]
    fn issue_12_a_no_show_in_the_repeated_hour_keeps_its_minutes_when_its_note_is_edited() {
        // On 25.10.2026 a 60-minute no-show starting 02.30, either one; only
        // its note is edited.
        for (start, end) in [
            ("2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"), // 02.30 CEST → 02.30 CET
            ("2026-10-25T01:30:00Z", "2026-10-25T02:30:00Z"), // 02.30 CET → 03.30 CET
        ] {
            let d = draft(VisitKind::NoShow, start, end);
            let form = VisitInput { note: "Ringede på to gange".into(), ..VisitInput::from_draft(&d, &[]) };
            let saved = read_at(&form, &[], late()).expect("valid");
            assert_eq!((saved.started_at(), saved.ended_at()), (d.started_at(), d.ended_at()), "{start}");
            assert_eq!(saved.started_at().minutes_until(saved.ended_at()), 60, "{start}");
            assert_eq!(saved.note.as_str(), "Ringede på to gange");
        }
    }

    #[test]
    fn a_time_typed_in_the_repeated_hour_is_the_one_chosen() {
        use Occurrence::{First, Second};
        // (start, its choice, end, its choice) on 25.10.2026 → (start UTC, minutes).
        let cases = [
            ("02:30", None, "03:30", None, "2026-10-25T00:30:00Z", 120),
            ("02:30", Some(First), "03:30", None, "2026-10-25T00:30:00Z", 120),
            ("02:30", Some(Second), "03:30", None, "2026-10-25T01:30:00Z", 60),
            ("02:00", Some(Second), "02:59", None, "2026-10-25T01:00:00Z", 59),
            // The end's default is the first pass not before the start.
            ("01:30", None, "02:30", None, "2026-10-24T23:30:00Z", 60),
            ("01:30", None, "02:30", Some(Second), "2026-10-24T23:30:00Z", 120),
            ("02:50", None, "02:10", None, "2026-10-25T00:50:00Z", 20),
            ("02:30", Some(Second), "02:45", None, "2026-10-25T01:30:00Z", 15),
            ("02:30", None, "02:30", None, "2026-10-25T00:30:00Z", 0),
            ("02:30", None, "02:30", Some(Second), "2026-10-25T00:30:00Z", 60),
            ("02:59", Some(First), "02:00", None, "2026-10-25T00:59:00Z", 1),
        ];
        for (start, start_occurrence, end, end_occurrence, at, minutes) in cases {
            let form = VisitInput {
                kind: VisitKind::NoShow,
                start_occurrence,
                end_occurrence,
                ..typed("2026-10-25", start, end)
            };
            let d = read_at(&form, &[], late()).expect(start);
            assert_eq!(d.started_at(), ts(at), "{start}–{end}");
            assert_eq!(d.started_at().minutes_until(d.ended_at()), minutes, "{start}–{end}");
        }
        // A choice the other way round is the user's mistake, said so.
        let backwards = VisitInput {
            start_occurrence: Some(Second),
            end_occurrence: Some(First),
            ..typed("2026-10-25", "02:30", "02:45")
        };
        assert_eq!(read_at(&backwards, &[], late()), Err(vec![("ended_at".into(), "end_before_start")]));
    }

    #[test]
    fn the_form_asks_which_one_only_when_the_time_is_repeated() {
        use Occurrence::{First, Second};
        // (date, start, end, by duration) → what the form asks for start and end.
        let cases = [
            ("2026-10-25", "02:30", "03:30", false, Some(First), None),
            ("2026-10-25", "02:00", "02:59", false, Some(First), Some(First)),
            ("2026-10-25", "02:50", "02:10", false, Some(First), Some(Second)),
            ("2026-10-25", "01:59", "03:00", false, None, None),
            ("2026-10-25", "01:00", "02:30", false, None, Some(First)),
            ("2026-10-25", "02:30", "02:45", true, Some(First), None),
            ("2027-10-31", "02:30", "02:45", false, Some(First), Some(First)),
            ("2026-10-24", "22:00", "02:30", false, None, Some(First)), // ends on the 25th
            ("2026-10-24", "02:30", "02:45", false, None, None),
            ("2026-10-26", "02:30", "02:45", false, None, None),
            ("2026-03-29", "02:30", "02:45", false, None, None),
            ("2026-11-23", "09:00", "10:30", false, None, None),
            ("", "02:30", "02:45", false, None, None),
            // The end's day follows from the start: asked once it is typed.
            ("2026-10-25", "", "02:45", false, None, None),
        ];
        for (date, start, end, by_duration, asks_start, asks_end) in cases {
            let form = VisitInput { by_duration, ..typed(date, start, end) };
            assert_eq!((form.start_repeated(), form.end_repeated()), (asks_start, asks_end), "{date} {start}–{end}");
        }
        // A choice made shows as made.
        let chosen = VisitInput {
            start_occurrence: Some(Second),
            end_occurrence: Some(Second),
            ..typed("2026-10-25", "02:00", "02:30")
        };
        assert_eq!((chosen.start_repeated(), chosen.end_repeated()), (Some(Second), Some(Second)));
        // Filled from a stored visit: the form shows which one it was.
        let d = draft(VisitKind::NoShow, "2026-10-25T01:30:00Z", "2026-10-25T01:45:00Z");
        let form = VisitInput::from_draft(&d, &[]);
        assert_eq!((form.start_repeated(), form.end_repeated()), (Some(Second), Some(Second)));
    }

    #[test]
    fn the_question_names_the_field_the_time_and_the_clocks() {
        let (question, answers) = which_one_text(TimeField::Start, "02:30", Lang::Da);
        assert!(question.starts_with("Start kl. 02.30 findes to gange"), "{question}");
        assert_eq!(
            answers,
            [
                (Occurrence::First, "02.30 sommertid (CEST)".to_owned()),
                (Occurrence::Second, "02.30 vintertid (CET)".to_owned())
            ]
        );
        let (question, answers) = which_one_text(TimeField::End, "02:10", Lang::En);
        assert!(question.starts_with("The end at 02:10 occurs twice"), "{question}");
        assert_eq!(answers[1].1, "02:10 winter time (CET)");
    }

    /// The minutes a form reads to, or its errors as (field, code).
    type Outcome = Result<i64, Vec<(&'static str, &'static str)>>;

    #[test]
    fn a_time_the_spring_change_skips_is_refused_naming_the_field() {
        // 29.03.2026 and 28.03.2027: from 01.59 CET the clock shows 03.00 CEST.
        let cases: [(VisitInput, Outcome); 9] = [
            (typed("2026-03-29", "02:30", "03:30"), Err(vec![("started_at", "skipped_time")])),
            (typed("2026-03-29", "02:00", "04:00"), Err(vec![("started_at", "skipped_time")])),
            (typed("2026-03-29", "01:30", "02:59"), Err(vec![("ended_at", "skipped_time")])),
            (typed("2027-03-28", "01:30", "02:00"), Err(vec![("ended_at", "skipped_time")])),
            (
                VisitInput { by_duration: true, duration: "30".into(), ..typed("2026-03-29", "02:15", "") },
                Err(vec![("started_at", "skipped_time")]),
            ),
            // Either side of the gap is fine, and lasts what really passed.
            (typed("2026-03-29", "01:59", "03:00"), Ok(1)),
            (typed("2026-03-29", "01:30", "03:30"), Ok(60)),
            (VisitInput { by_duration: true, duration: "60".into(), ..typed("2026-03-29", "01:30", "") }, Ok(60)),
            (typed("2026-03-28", "02:30", "03:30"), Ok(60)),
        ];
        for (i, (form, want)) in cases.into_iter().enumerate() {
            let got = read_at(&form, &[], late()).map(|d| d.started_at().minutes_until(d.ended_at()));
            let want = want.map_err(|es| es.into_iter().map(|(f, c)| (f.to_owned(), c)).collect::<Vec<_>>());
            assert_eq!(got, want, "case {i}");
        }
        // The message names the field, in both languages.
        let e = ValidationError::new("started_at", Problem::SkippedTime).message();
        assert!(e.da.starts_with("Start: findes ikke den dag") && e.da.contains("02.00 til 03.00"), "{}", e.da);
        assert!(e.en.starts_with("Start: does not exist on that day"), "{}", e.en);
        let e = ValidationError::new("ended_at", Problem::SkippedTime).message();
        assert!(e.da.starts_with("Slut: ") && e.en.starts_with("End: "), "{e:?}");
    }

    #[test]
    fn duration_by_end_time_and_by_minutes_is_real_time_across_the_changes() {
        // (date, start, end or minutes, by duration) → (end UTC, minutes).
        let cases = [
            // Autumn 2026: the wall clock shows an hour less than passed.
            ("2026-10-25", "01:30", "03:30", false, "2026-10-25T02:30:00Z", 180),
            ("2026-10-25", "01:30", "180", true, "2026-10-25T02:30:00Z", 180),
            ("2026-10-25", "00:00", "04:00", false, "2026-10-25T03:00:00Z", 300),
            ("2026-10-25", "02:30", "60", true, "2026-10-25T01:30:00Z", 60), // to 02.30 CET
            ("2026-10-25", "01:45", "30", true, "2026-10-25T00:15:00Z", 30), // to 02.15 CEST
            // Spring 2026: an hour more than passed.
            ("2026-03-29", "01:30", "03:30", false, "2026-03-29T01:30:00Z", 60),
            ("2026-03-29", "01:30", "60", true, "2026-03-29T01:30:00Z", 60),
            ("2026-03-29", "00:00", "04:00", false, "2026-03-29T02:00:00Z", 180),
            // An ordinary day.
            ("2026-10-26", "01:30", "03:30", false, "2026-10-26T02:30:00Z", 120),
        ];
        for (date, start, end, by_duration, at, minutes) in cases {
            let form = if by_duration {
                VisitInput { by_duration, duration: end.into(), ..typed(date, start, "") }
            } else {
                typed(date, start, end)
            };
            let d = read_at(&form, &[], late()).expect(start);
            assert_eq!(d.ended_at(), ts(at), "{date} {start} {end}");
            assert_eq!(d.started_at().minutes_until(d.ended_at()), minutes, "{date} {start} {end}");
        }
    }

    #[test]
    fn a_timer_across_the_change_saves_the_minutes_that_passed() {
        // The timer's stop opens the form with its start and stop (ms).
        let cases = [
            // 01.30 CEST → 02.15 CET: 105 minutes, though the clock says 45.
            ("2026-10-24T23:30:00.250Z", "2026-10-25T01:15:40.500Z", 105),
            // 02.50 CEST → 02.10 CET: 20 minutes, though the clock goes back.
            ("2026-10-25T00:50:00Z", "2026-10-25T01:10:00Z", 20),
            // 02.30 CET → 03.10: 40 minutes.
            ("2026-10-25T01:30:00Z", "2026-10-25T02:10:00Z", 40),
            // 01.30 CET → 03.15 CEST in spring: 45 minutes, not 105.
            ("2026-03-29T00:30:00Z", "2026-03-29T01:15:00Z", 45),
        ];
        for (start, end, minutes) in cases {
            let form = VisitInput::new(Some(citizen()), VisitKind::HomeVisit, ts(start), ts(end));
            assert_eq!(form.duration, minutes.to_string(), "{start}");
            for by_duration in [false, true] {
                let d = read_at(&VisitInput { by_duration, ..form.clone() }, &[], late()).expect(start);
                assert_eq!((d.started_at(), d.ended_at()), (ts(start), ts(end)), "{start}, by duration: {by_duration}");
                assert_eq!(d.started_at().minutes_until(d.ended_at()), minutes, "{start}");
            }
        }
    }

    #[test]
    fn an_edited_time_is_read_as_typed() {
        // Filled from a timer with seconds; the user moves the end: the end
        // is the typed minute, the untouched start keeps its seconds.
        let mut form = VisitInput::new(
            Some(citizen()),
            VisitKind::HomeVisit,
            ts("2026-11-23T08:00:12Z"),
            ts("2026-11-23T09:30:40Z"),
        );
        form.end = "10:00".into();
        let d = read_at(&form, &[], late()).expect("valid");
        assert_eq!((d.started_at(), d.ended_at()), (ts("2026-11-23T08:00:12Z"), ts("2026-11-23T09:00:00Z")));
        // A changed duration counts from the start.
        let form = VisitInput { by_duration: true, duration: "45".into(), ..form };
        assert_eq!(read_at(&form, &[], late()).expect("valid").ended_at(), ts("2026-11-23T08:45:12Z"));
        // A changed date drops the filled instants.
        let form = VisitInput { date: "2026-11-20".into(), by_duration: false, ..form };
        let d = read_at(&form, &[], late()).expect("valid");
        assert_eq!((d.started_at(), d.ended_at()), (ts("2026-11-20T08:00:00Z"), ts("2026-11-20T09:00:00Z")));
    }

    /// The walk of issue 12: a timer stopped two seconds after it started
    /// filled the form with a visit of no time, which could not be saved.
    #[test]
    fn a_timer_stopped_within_its_minute_fills_a_visit_that_can_be_saved() {
        let start = Timestamp::from_millis(1_795_000_000_000);
        // (kind, seconds the timer ran, minutes the form starts with)
        let cases = [
            (VisitKind::HomeVisit, 2, 1),
            (VisitKind::HomeVisit, 59, 1),
            (VisitKind::HomeVisit, 600, 10),
            (VisitKind::NoShow, 0, 0),
        ];
        for (kind, seconds, minutes) in cases {
            let end = prefill_end(kind, start, Timestamp::from_millis(start.as_millis() + seconds * 1000));
            assert_eq!(start.minutes_until(end), minutes, "{kind:?} after {seconds} s");
        }
    }
}
