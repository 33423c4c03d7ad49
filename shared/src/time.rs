//! Instants, calendar dates and periods (day, ISO week, month, quarter, year)
//! in Europe/Copenhagen.
//!
//! Instants are stored in UTC (milliseconds since the Unix epoch); every
//! "which day / week / month is this" question is answered on the wall clock
//! in Copenhagen. Denmark has followed the EU summer-time rule since 1996:
//! CEST (UTC+2) from the last Sunday of March at 01:00 UTC to the last Sunday
//! of October at 01:00 UTC, CET (UTC+1) otherwise. The rule is coded here
//! rather than pulled from a time-zone database so the phone's wasm stays
//! small; a property test checks it against the IANA database.
//!
//! A duration is always real elapsed time: a visit from 01:30 to 03:30 on the
//! night summer time ends lasts three hours, whatever the clock said.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Lang, Problem, ValidationError};

const MS_PER_MINUTE: i64 = 60_000;
const MINUTES_PER_DAY: i64 = 24 * 60;

/// Years a date may have. Wide enough for birth years and grant periods,
/// narrow enough that arithmetic never overflows. The earliest, inclusive.
pub const MIN_YEAR: i32 = 1900;
/// The latest year a date may have, inclusive (see [`MIN_YEAR`]).
pub const MAX_YEAR: i32 = 2199;

// ---------------------------------------------------------------- civil days

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` days after 1970-01-01.
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// ---------------------------------------------------------------- Date

/// A calendar date (no time, no zone). JSON: `"2026-03-29"`.
///
/// Proleptic Gregorian, year [`MIN_YEAR`]`..=`[`MAX_YEAR`]; ordered by the
/// calendar. Which day an instant falls on is a Copenhagen question
/// ([`Timestamp::local_date`]). Parsing (`FromStr`, serde) reads exactly
/// `yyyy-mm-dd`; errors as [`Date::new`], plus `date` `invalid_format`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// How far back (months) a day typed for today's work may lie:
/// [`Date::check_recent`].
pub const MAX_MONTHS_BACK: i32 = 24;

impl Date {
    /// The date `year`-`month`-`day`.
    ///
    /// Errors (field `date`): `Problem::OutOfRange { min: 1900, max: 2199 }`
    /// for a year outside [`MIN_YEAR`]`..=`[`MAX_YEAR`]; `Problem::InvalidFormat`
    /// for a month outside 1–12 or a day the month does not have (30 February).
    pub fn new(year: i32, month: u8, day: u8) -> Result<Date, ValidationError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(ValidationError::new(
                "date",
                Problem::OutOfRange { min: MIN_YEAR.into(), max: MAX_YEAR.into() },
            ));
        }
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(ValidationError::new("date", Problem::InvalidFormat));
        }
        Ok(Date { year, month, day })
    }

    /// A date as people type it in Denmark: `dd.mm.yyyy`, `dd-mm-yyyy`,
    /// `dd/mm/yyyy` (day and month may be one digit) or `yyyy-mm-dd`,
    /// trimmed.
    ///
    /// Errors: `Problem::DateExpected` for anything else or a day the
    /// calendar does not have (`31.04.2026`, `2026-02-30`, `29.02.2027`),
    /// so every date field says the same thing about it;
    /// `Problem::OutOfRange` for a year outside
    /// [`MIN_YEAR`]`..=`[`MAX_YEAR`] (as [`Date::new`]).
    pub fn parse_typed(text: &str) -> Result<Date, Problem> {
        let text = text.trim();
        let parts: Vec<&str> = text.split(['.', '-', '/']).collect();
        let [a, b, c] = parts[..] else { return Err(Problem::DateExpected) };
        let (year, month, day) = match (a.len(), c.len()) {
            (4, 1..=2) => (a, b, c),
            (1..=2, 4) => (c, b, a),
            _ => return Err(Problem::DateExpected),
        };
        let digits =
            |t: &str, max_len: usize| !t.is_empty() && t.len() <= max_len && t.bytes().all(|b| b.is_ascii_digit());
        if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
            return Err(Problem::DateExpected);
        }
        let number = |t: &str| t.parse::<u8>().map_err(|_| Problem::DateExpected);
        let year = year.parse::<i32>().map_err(|_| Problem::DateExpected)?;
        Date::new(year, number(month)?, number(day)?).map_err(|e| match e.problem {
            out @ Problem::OutOfRange { .. } => out,
            _ => Problem::DateExpected,
        })
    }

    /// A date field of a form as typed ([`Date::parse_typed`]): `Ok(None)`
    /// when empty and not `required`.
    ///
    /// Errors at `field`: `required` (empty and required), `date_expected`,
    /// `out_of_range` (a year outside [`MIN_YEAR`]`..=`[`MAX_YEAR`]).
    pub fn read_field(field: &'static str, text: &str, required: bool) -> Result<Option<Date>, ValidationError> {
        match text.trim() {
            "" if required => Err(ValidationError::new(field, Problem::Required)),
            "" => Ok(None),
            t => Date::parse_typed(t).map(Some).map_err(|problem| ValidationError::new(field, problem)),
        }
    }

    /// Checks a day typed for a record of today's work (a plan's start, a
    /// consent, a grant's first day) against [`MAX_MONTHS_BACK`]: from
    /// `today` less two years. Issue 15's walk: a plan begun in 1990 or a
    /// grant from 2010 is a slip of the keyboard, not history.
    ///
    /// Errors at `field`: `too_far_back`, naming the earliest day.
    pub fn check_recent(self, field: &'static str, today: Date) -> Result<(), ValidationError> {
        let earliest = today.add_months(-MAX_MONTHS_BACK);
        if self < earliest {
            let (year, month, day) = (earliest.year, earliest.month, earliest.day);
            return Err(ValidationError::new(field, Problem::TooFarBack { year, month, day }));
        }
        Ok(())
    }

    /// The year, e.g. 2026.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 (January) to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn to_days(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    fn from_days(days: i64) -> Date {
        let (year, month, day) = civil_from_days(days);
        Date { year, month, day }
    }

    /// The date `n` days later (earlier when negative). Not checked against
    /// [`MIN_YEAR`]/[`MAX_YEAR`].
    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.to_days() + n)
    }

    /// The same day `n` months later (earlier when negative), or the
    /// month's last day where it is shorter: 31 March less one month is
    /// 28 (or 29) February. Not checked against [`MIN_YEAR`]/[`MAX_YEAR`].
    pub fn add_months(self, n: i32) -> Date {
        let index = self.year * 12 + i32::from(self.month) - 1 + n;
        let (year, month) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u8);
        Date { year, month, day: self.day.min(days_in_month(year, month)) }
    }

    /// ISO weekday: Monday = 1 … Sunday = 7.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (4).
        ((self.to_days() + 3).rem_euclid(7) + 1) as u8
    }

    /// The ISO 8601 week this date lies in. Its year is the year of the
    /// week's Thursday, so it may differ from the date's: 1 January 2021 is
    /// in `2020-W53`, 29 December 2025 in `2026-W01`.
    pub fn iso_week(self) -> IsoWeek {
        // The ISO week belongs to the year of its Thursday.
        let thursday = self.add_days(4 - i64::from(self.weekday()));
        let jan1 = Date { year: thursday.year, month: 1, day: 1 };
        let week = ((thursday.to_days() - jan1.to_days()) / 7 + 1) as u8;
        IsoWeek { year: thursday.year, week }
    }

    /// The first instant of this day in Copenhagen (local midnight, as a UTC
    /// instant). Summer time changes at 02:00/03:00, so midnight always
    /// exists exactly once.
    pub fn start(self) -> Timestamp {
        copenhagen::from_local(self, 0)
    }

    /// Danish `dd.mm.yyyy`; English `dd/mm/yyyy`.
    pub fn format(self, lang: Lang) -> String {
        let sep = match lang {
            Lang::Da => '.',
            Lang::En => '/',
        };
        format!("{:02}{sep}{:02}{sep}{:04}", self.day, self.month, self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn parse_digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl FromStr for Date {
    type Err = ValidationError;

    /// `yyyy-mm-dd`, as on the wire and in `<input type="date">`.
    fn from_str(s: &str) -> Result<Date, ValidationError> {
        let bad = || ValidationError::new("date", Problem::InvalidFormat);
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year = parse_digits(y).ok_or_else(bad)? as i32;
        let month = parse_digits(m).ok_or_else(bad)? as u8;
        let day = parse_digits(d).ok_or_else(bad)? as u8;
        Date::new(year, month, day)
    }
}

impl TryFrom<String> for Date {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Date, ValidationError> {
        s.parse()
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

// ---------------------------------------------------------------- Timestamp

/// An instant, in UTC with millisecond precision. JSON: RFC 3339,
/// `"2026-11-23T16:54:12.000Z"`; on input any offset is accepted.
///
/// Held as UTC milliseconds since the Unix epoch ([`Timestamp::as_millis`]),
/// within the years [`MIN_YEAR`]`..=`[`MAX_YEAR`]. Output is always `Z` with
/// three decimals. Input (`FromStr`, serde) is
/// `yyyy-mm-ddThh:mm:ss[.fraction](Z|±hh:mm)`: seconds are required, a
/// fraction of up to nine digits is cut to milliseconds, a leap second (60)
/// reads as 59. Errors: `timestamp` `Problem::InvalidFormat`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp(i64);

impl Timestamp {
    /// Milliseconds since the Unix epoch. Out-of-range values are clamped to
    /// the supported years: to 1900-01-01T00:00Z at the earliest and
    /// 2199-12-31T00:00Z at the latest. Never fails.
    pub fn from_millis(ms: i64) -> Timestamp {
        let min = Date { year: MIN_YEAR, month: 1, day: 1 }.to_days() * MINUTES_PER_DAY * MS_PER_MINUTE;
        let max = Date { year: MAX_YEAR, month: 12, day: 31 }.to_days() * MINUTES_PER_DAY * MS_PER_MINUTE;
        Timestamp(ms.clamp(min, max))
    }

    /// UTC milliseconds since the Unix epoch (negative before 1970).
    pub fn as_millis(self) -> i64 {
        self.0
    }

    /// `minutes` of real elapsed time later (earlier when negative), clamped
    /// like [`Timestamp::from_millis`].
    pub fn add_minutes(self, minutes: i64) -> Timestamp {
        Timestamp::from_millis(self.0 + minutes * MS_PER_MINUTE)
    }

    /// Whole minutes from `self` to `later` (negative if `later` is earlier),
    /// rounded down: 59 seconds is 0, minus 1 second is −1. Real elapsed
    /// time, so summer-time changes count as they happened.
    pub fn minutes_until(self, later: Timestamp) -> i64 {
        (later.0 - self.0).div_euclid(MS_PER_MINUTE)
    }

    /// The Copenhagen calendar date of this instant.
    pub fn local_date(self) -> Date {
        copenhagen::to_local(self).0
    }

    /// Copenhagen wall-clock minutes since local midnight (0..1440).
    pub fn local_minute_of_day(self) -> u16 {
        copenhagen::to_local(self).1
    }

    /// Copenhagen wall-clock time: Danish `HH.MM`, English `HH:MM`.
    pub fn format_time(self, lang: Lang) -> String {
        let m = self.local_minute_of_day();
        let sep = match lang {
            Lang::Da => '.',
            Lang::En => ':',
        };
        format!("{:02}{sep}{:02}", m / 60, m % 60)
    }

    /// The instant at a Copenhagen wall-clock time (`minute_of_day` since
    /// local midnight). A time skipped by the spring change is read as the
    /// same time in winter time (02:30 → 03:30 CEST); a time the autumn change
    /// repeats is read as its first occurrence. Where that guess is not good
    /// enough (a form), use [`Timestamp::local_instants`], which says so.
    pub fn from_local(date: Date, minute_of_day: u16) -> Timestamp {
        copenhagen::from_local(date, minute_of_day)
    }

    /// Every instant a Copenhagen wall-clock time names on `date`:
    /// `minute_of_day` is minutes since local midnight (0..1440; larger
    /// values are read as 23.59, like [`Timestamp::from_local`]). None for a
    /// time in the hour the spring change skips, two for one in the hour the
    /// autumn change repeats, one otherwise (the EU summer-time rule: the
    /// clocks change at 01:00 UTC on the last Sundays of March and October).
    /// Never fails.
    pub fn local_instants(date: Date, minute_of_day: u16) -> LocalInstants {
        copenhagen::local_instants(date, minute_of_day)
    }

    /// This instant on the Copenhagen wall clock: its date, minute of the
    /// day (seconds dropped) and, when that wall-clock time occurs twice
    /// that day (the hour the autumn change repeats), which pass it is.
    /// So `Timestamp::local_instants(l.date, l.minute_of_day)` picked by
    /// `l.occurrence` gives this instant back, to the minute.
    pub fn to_local(self) -> LocalTime {
        let (date, minute_of_day) = copenhagen::to_local(self);
        let occurrence = match copenhagen::local_instants(date, minute_of_day) {
            LocalInstants::Two { .. } if copenhagen::offset_minutes(self) == Occurrence::First.offset_minutes() => {
                Some(Occurrence::First)
            }
            LocalInstants::Two { .. } => Some(Occurrence::Second),
            LocalInstants::One(_) | LocalInstants::Skipped => None,
        };
        LocalTime { date, minute_of_day, occurrence }
    }

    /// The start of this instant's UTC minute (seconds and milliseconds
    /// dropped): what a time typed to the minute names.
    pub fn floor_minute(self) -> Timestamp {
        Timestamp(self.0.div_euclid(MS_PER_MINUTE) * MS_PER_MINUTE)
    }

    /// UTC offset in Copenhagen at this instant, in minutes (60 or 120).
    pub fn copenhagen_offset_minutes(self) -> i64 {
        copenhagen::offset_minutes(self)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(MINUTES_PER_DAY * MS_PER_MINUTE);
        let ms_of_day = self.0.rem_euclid(MINUTES_PER_DAY * MS_PER_MINUTE);
        let (y, mo, d) = civil_from_days(days);
        let secs = ms_of_day / 1000;
        write!(
            f,
            "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            ms_of_day % 1000
        )
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Timestamp {
    type Err = ValidationError;

    /// RFC 3339: `yyyy-mm-ddThh:mm:ss[.fraction](Z|±hh:mm)`.
    fn from_str(s: &str) -> Result<Timestamp, ValidationError> {
        let bad = || ValidationError::new("timestamp", Problem::InvalidFormat);
        if !s.is_ascii() || s.len() < 20 {
            return Err(bad());
        }
        let (date, rest) = s.split_at(10);
        let date: Date = date.parse().map_err(|_| bad())?;
        let rest = rest.strip_prefix(['T', 't']).ok_or_else(bad)?;
        let (time, zone) = match rest.find(['Z', 'z', '+', '-']) {
            Some(i) => rest.split_at(i),
            None => return Err(bad()),
        };
        let (hms, fraction) = match time.split_once('.') {
            Some((hms, f)) if !f.is_empty() && f.len() <= 9 => (hms, Some(f)),
            Some(_) => return Err(bad()),
            None => (time, None),
        };
        let mut parts = hms.split(':');
        let (Some(h), Some(mi), Some(sec), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if h.len() != 2 || mi.len() != 2 || sec.len() != 2 {
            return Err(bad());
        }
        let (h, mi, sec) = (
            i64::from(parse_digits(h).ok_or_else(bad)?),
            i64::from(parse_digits(mi).ok_or_else(bad)?),
            i64::from(parse_digits(sec).ok_or_else(bad)?),
        );
        // A leap second (60) is read as the last second of its minute.
        if h > 23 || mi > 59 || sec > 60 {
            return Err(bad());
        }
        let ms = match fraction {
            Some(f) => {
                let digits = parse_digits(f).ok_or_else(bad)?;
                i64::from(digits) * 1000 / 10_i64.pow(f.len() as u32)
            }
            None => 0,
        };
        let offset_minutes = match zone {
            "Z" | "z" => 0,
            z if z.len() == 6 && z.as_bytes()[3] == b':' => {
                let sign = if z.starts_with('-') { -1 } else { 1 };
                let oh = i64::from(parse_digits(&z[1..3]).ok_or_else(bad)?);
                let om = i64::from(parse_digits(&z[4..6]).ok_or_else(bad)?);
                if oh > 23 || om > 59 {
                    return Err(bad());
                }
                sign * (oh * 60 + om)
            }
            _ => return Err(bad()),
        };
        let minutes = date.to_days() * MINUTES_PER_DAY + h * 60 + mi - offset_minutes;
        Ok(Timestamp::from_millis(minutes * MS_PER_MINUTE + sec.min(59) * 1000 + ms))
    }
}

impl TryFrom<String> for Timestamp {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Timestamp, ValidationError> {
        s.parse()
    }
}

impl From<Timestamp> for String {
    fn from(t: Timestamp) -> String {
        t.to_string()
    }
}

// ---------------------------------------------------------------- wall clock

/// Which pass of the hour the autumn change repeats: on the last Sunday of
/// October Copenhagen's clocks go from 03.00 summer time (CEST, UTC+2) back
/// to 02.00 winter time (CET, UTC+1), so 02.00–02.59 happens twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Occurrence {
    /// The first pass, still in summer time (CEST, UTC+2).
    First,
    /// The second pass, after the clocks went back (CET, UTC+1).
    Second,
}

impl Occurrence {
    /// Both passes, first first.
    pub const ALL: [Occurrence; 2] = [Occurrence::First, Occurrence::Second];

    /// The UTC offset of this pass, in minutes: 120 (CEST) or 60 (CET).
    pub fn offset_minutes(self) -> i64 {
        match self {
            Occurrence::First => 120,
            Occurrence::Second => 60,
        }
    }

    /// What the pass is called: "sommertid (CEST)" / "vintertid (CET)".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Occurrence::First, Lang::Da) => "sommertid (CEST)",
            (Occurrence::First, Lang::En) => "summer time (CEST)",
            (Occurrence::Second, Lang::Da) => "vintertid (CET)",
            (Occurrence::Second, Lang::En) => "winter time (CET)",
        }
    }
}

/// The instants a Copenhagen wall-clock time names on one date
/// ([`Timestamp::local_instants`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalInstants {
    /// None: the time is in the hour the spring change skips (02.00–02.59 on
    /// the last Sunday of March, when 02.00 CET becomes 03.00 CEST).
    Skipped,
    /// Exactly one: every ordinary time.
    One(Timestamp),
    /// Two, 60 minutes apart: the time is in the hour the autumn change
    /// repeats. `first` is in summer time (CEST), `second` in winter time (CET).
    Two { first: Timestamp, second: Timestamp },
}

impl LocalInstants {
    /// The instant `occurrence` names: the only one whatever it says, the
    /// chosen one of two, or `None` for a skipped time.
    pub fn pick(self, occurrence: Occurrence) -> Option<Timestamp> {
        match (self, occurrence) {
            (LocalInstants::Skipped, _) => None,
            (LocalInstants::One(t), _) => Some(t),
            (LocalInstants::Two { first, .. }, Occurrence::First) => Some(first),
            (LocalInstants::Two { second, .. }, Occurrence::Second) => Some(second),
        }
    }
}

/// An instant read on the Copenhagen wall clock ([`Timestamp::to_local`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    /// The Copenhagen calendar date.
    pub date: Date,
    /// Minutes since local midnight, 0..1440.
    pub minute_of_day: u16,
    /// `Some` only when this wall-clock time occurs twice on `date`: which
    /// pass the instant is in.
    pub occurrence: Option<Occurrence>,
}

// ---------------------------------------------------------------- Copenhagen

mod copenhagen {
    use super::*;

    const CET: i64 = 60;
    const CEST: i64 = 120;

    pub(super) fn last_sunday(year: i32, month: u8) -> Date {
        let last = Date { year, month, day: days_in_month(year, month) };
        last.add_days(-(i64::from(last.weekday()) % 7))
    }

    /// Summer time of `year` as UTC minutes since the epoch, [start, end).
    fn summer(year: i32) -> (i64, i64) {
        let start = last_sunday(year, 3).to_days() * MINUTES_PER_DAY + 60;
        let end = last_sunday(year, 10).to_days() * MINUTES_PER_DAY + 60;
        (start, end)
    }

    pub(super) fn offset_minutes(t: Timestamp) -> i64 {
        let utc_minutes = t.0.div_euclid(MS_PER_MINUTE);
        let (year, _, _) = civil_from_days(utc_minutes.div_euclid(MINUTES_PER_DAY));
        let (start, end) = summer(year);
        if (start..end).contains(&utc_minutes) { CEST } else { CET }
    }

    pub(super) fn to_local(t: Timestamp) -> (Date, u16) {
        let local = t.0.div_euclid(MS_PER_MINUTE) + offset_minutes(t);
        let date = Date::from_days(local.div_euclid(MINUTES_PER_DAY));
        (date, local.rem_euclid(MINUTES_PER_DAY) as u16)
    }

    pub(super) fn from_local(date: Date, minute_of_day: u16) -> Timestamp {
        match local_instants(date, minute_of_day) {
            LocalInstants::One(t) | LocalInstants::Two { first: t, .. } => t,
            // Skipped: the winter-time reading, which lands an hour later
            // on the summer-time clock.
            LocalInstants::Skipped => {
                let local = date.to_days() * MINUTES_PER_DAY + i64::from(minute_of_day.min(1439));
                Timestamp((local - CET) * MS_PER_MINUTE)
            }
        }
    }

    pub(super) fn local_instants(date: Date, minute_of_day: u16) -> LocalInstants {
        let local = date.to_days() * MINUTES_PER_DAY + i64::from(minute_of_day.min(1439));
        // Read the wall-clock time with each offset; a reading counts if the
        // zone really has that offset at the instant it gives.
        let as_summer = Timestamp((local - CEST) * MS_PER_MINUTE);
        let as_winter = Timestamp((local - CET) * MS_PER_MINUTE);
        match (offset_minutes(as_summer) == CEST, offset_minutes(as_winter) == CET) {
            (true, true) => LocalInstants::Two { first: as_summer, second: as_winter },
            (true, false) => LocalInstants::One(as_summer),
            (false, true) => LocalInstants::One(as_winter),
            (false, false) => LocalInstants::Skipped,
        }
    }
}

// ---------------------------------------------------------------- periods

/// A calendar period in Copenhagen time: a half-open range of instants
/// `[start, end)` that begins at local midnight.
///
/// Implemented by [`Date`] (a day), [`IsoWeek`], [`Month`], [`Quarter`] and
/// [`Year`]. Days are Copenhagen dates; instants are UTC, so a period's
/// length in minutes follows the summer-time changes.
pub trait Period: Copy {
    /// The period that contains `date`.
    fn containing(date: Date) -> Self;
    /// The period's first day.
    fn first_day(self) -> Date;
    /// The period right after this one.
    fn next(self) -> Self;

    /// The instant the period begins: local midnight of its first day.
    fn start(self) -> Timestamp {
        self.first_day().start()
    }

    /// The instant the next period begins (not itself in the period).
    fn end(self) -> Timestamp {
        self.next().start()
    }

    /// The period's last day (inclusive).
    fn last_day(self) -> Date {
        self.next().first_day().add_days(-1)
    }

    /// Whether `t` lies in `[start, end)`.
    fn contains(self, t: Timestamp) -> bool {
        self.start() <= t && t < self.end()
    }

    /// The period containing the instant `t`, by its Copenhagen date.
    fn of(t: Timestamp) -> Self {
        Self::containing(t.local_date())
    }

    /// Real elapsed minutes in the period (1380 on the spring-change day,
    /// 1500 on the autumn-change day).
    fn length_minutes(self) -> i64 {
        self.start().minutes_until(self.end())
    }
}

impl Period for Date {
    fn containing(date: Date) -> Self {
        date
    }
    fn first_day(self) -> Date {
        self
    }
    fn next(self) -> Self {
        self.add_days(1)
    }
}

/// An ISO 8601 week ("uge 43"), Monday to Sunday. JSON: `"2026-W43"`
/// (four-digit year, two-digit week). Parsing errors: `week`
/// `Problem::InvalidFormat` for another shape, else as [`IsoWeek::new`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IsoWeek {
    year: i32,
    week: u8,
}

impl IsoWeek {
    /// Week `week` of the ISO year `year`.
    ///
    /// Errors: `date` `Problem::OutOfRange { min: 1900, max: 2199 }` for a year
    /// outside [`MIN_YEAR`]`..=`[`MAX_YEAR`]; `week`
    /// `Problem::OutOfRange { min: 1, max }` where `max` is
    /// [`weeks_in_year`] (52 or 53).
    pub fn new(year: i32, week: u8) -> Result<IsoWeek, ValidationError> {
        Date::new(year, 1, 4)?;
        let max = weeks_in_year(year);
        if week == 0 || week > max {
            return Err(ValidationError::new("week", Problem::OutOfRange { min: 1, max: max.into() }));
        }
        Ok(IsoWeek { year, week })
    }

    /// The ISO year (the year of the week's Thursday).
    pub fn year(self) -> i32 {
        self.year
    }

    /// The week number, 1 to 52 or 53.
    pub fn week(self) -> u8 {
        self.week
    }

    /// The week's Monday, its first day.
    pub fn monday(self) -> Date {
        // 4 January is always in week 1.
        let jan4 = Date { year: self.year, month: 1, day: 4 };
        let week1_monday = jan4.add_days(1 - i64::from(jan4.weekday()));
        week1_monday.add_days(7 * (i64::from(self.week) - 1))
    }
}

/// How many ISO weeks `year` has: 53 when 1 January is a Thursday, or a
/// Wednesday in a leap year; otherwise 52.
pub fn weeks_in_year(year: i32) -> u8 {
    let jan1 = Date { year, month: 1, day: 1 }.weekday();
    if jan1 == 4 || (jan1 == 3 && is_leap(year)) { 53 } else { 52 }
}

impl Period for IsoWeek {
    fn containing(date: Date) -> Self {
        date.iso_week()
    }
    fn first_day(self) -> Date {
        self.monday()
    }
    fn next(self) -> Self {
        self.monday().add_days(7).iso_week()
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

impl fmt::Debug for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl TryFrom<String> for IsoWeek {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<IsoWeek, ValidationError> {
        let bad = || ValidationError::new("week", Problem::InvalidFormat);
        let (y, w) = s.split_once("-W").ok_or_else(bad)?;
        if y.len() != 4 || w.len() != 2 {
            return Err(bad());
        }
        IsoWeek::new(parse_digits(y).ok_or_else(bad)? as i32, parse_digits(w).ok_or_else(bad)? as u8)
    }
}

impl From<IsoWeek> for String {
    fn from(w: IsoWeek) -> String {
        w.to_string()
    }
}

/// A calendar month. JSON: `"2026-11"` (four-digit year, two-digit month).
/// Parsing errors: `month` `Problem::InvalidFormat` for another shape, else
/// as [`Month::new`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: i32,
    month: u8,
}

impl Month {
    /// Month `month` (1–12) of `year`.
    ///
    /// Errors (field `month`): `Problem::OutOfRange { min: 1900, max: 2199 }`
    /// for a year outside [`MIN_YEAR`]`..=`[`MAX_YEAR`]; `Problem::InvalidFormat`
    /// for a month outside 1–12.
    pub fn new(year: i32, month: u8) -> Result<Month, ValidationError> {
        Date::new(year, month, 1).map_err(|e| e.at("month"))?;
        Ok(Month { year, month })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 (January) to 12.
    pub fn month(self) -> u8 {
        self.month
    }
}

impl Period for Month {
    fn containing(date: Date) -> Self {
        Month { year: date.year, month: date.month }
    }
    fn first_day(self) -> Date {
        Date { year: self.year, month: self.month, day: 1 }
    }
    fn next(self) -> Self {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl fmt::Debug for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl TryFrom<String> for Month {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Month, ValidationError> {
        let bad = || ValidationError::new("month", Problem::InvalidFormat);
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        Month::new(parse_digits(y).ok_or_else(bad)? as i32, parse_digits(m).ok_or_else(bad)? as u8)
    }
}

impl From<Month> for String {
    fn from(m: Month) -> String {
        m.to_string()
    }
}

/// A calendar quarter (Q1 = January–March). Not serialised; made with
/// [`Period::containing`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    quarter: u8,
}

impl Quarter {
    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// 1..=4.
    pub fn quarter(self) -> u8 {
        self.quarter
    }
}

impl Period for Quarter {
    fn containing(date: Date) -> Self {
        Quarter { year: date.year, quarter: (date.month - 1) / 3 + 1 }
    }
    fn first_day(self) -> Date {
        Date { year: self.year, month: (self.quarter - 1) * 3 + 1, day: 1 }
    }
    fn next(self) -> Self {
        if self.quarter == 4 {
            Quarter { year: self.year + 1, quarter: 1 }
        } else {
            Quarter { year: self.year, quarter: self.quarter + 1 }
        }
    }
}

/// A calendar year, `Year(2026)`. Not range-checked; not serialised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Year(pub i32);

impl Period for Year {
    fn containing(date: Date) -> Self {
        Year(date.year)
    }
    fn first_day(self) -> Date {
        Date { year: self.0, month: 1, day: 1 }
    }
    fn next(self) -> Self {
        Year(self.0 + 1)
    }
}

/// How long a recurring period is: the unit of a grant's or a drawing
/// right's allowance. JSON and [`PeriodKind::code`]: `"week"` (ISO week,
/// Monday to Sunday), `"month"`, `"quarter"`, `"year"` (calendar ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Week,
    Month,
    Quarter,
    Year,
}

crate::codes::wire_codes!(PeriodKind {
    Week => "week",
    Month => "month",
    Quarter => "quarter",
    Year => "year",
});

impl PeriodKind {
    /// The first day of the period of this kind containing `date`, and the
    /// first day of the period after it (an exclusive end).
    pub fn span(self, date: Date) -> (Date, Date) {
        fn s<P: Period>(date: Date) -> (Date, Date) {
            let p = P::containing(date);
            (p.first_day(), p.next().first_day())
        }
        match self {
            PeriodKind::Week => s::<IsoWeek>(date),
            PeriodKind::Month => s::<Month>(date),
            PeriodKind::Quarter => s::<Quarter>(date),
            PeriodKind::Year => s::<Year>(date),
        }
    }

    /// The unit's name in lower case: "uge" / "week",
    /// "måned" / "month", "kvartal" / "quarter", "år" / "year".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PeriodKind::Week, Lang::Da) => "uge",
            (PeriodKind::Week, Lang::En) => "week",
            (PeriodKind::Month, Lang::Da) => "måned",
            (PeriodKind::Month, Lang::En) => "month",
            (PeriodKind::Quarter, Lang::Da) => "kvartal",
            (PeriodKind::Quarter, Lang::En) => "quarter",
            (PeriodKind::Year, Lang::Da) => "år",
            (PeriodKind::Year, Lang::En) => "year",
        }
    }

    /// The `[start, end)` instants of the period of this kind containing
    /// `date`: the Copenhagen midnights that begin it and the next one.
    pub fn bounds(self, date: Date) -> (Timestamp, Timestamp) {
        fn b<P: Period>(date: Date) -> (Timestamp, Timestamp) {
            let p = P::containing(date);
            (p.start(), p.end())
        }
        match self {
            PeriodKind::Week => b::<IsoWeek>(date),
            PeriodKind::Month => b::<Month>(date),
            PeriodKind::Quarter => b::<Quarter>(date),
            PeriodKind::Year => b::<Year>(date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(s: &str) -> Date {
        s.parse().expect("valid date")
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("valid timestamp")
    }

    #[test]
    fn dates_parse_and_print() {
        assert_eq!(date("2024-02-29").to_string(), "2024-02-29");
        for bad in ["2023-02-29", "2024-13-01", "2024-1-01", "24-01-01", "2024-01-00", "", "2024-01-01x", "+024-01-01"]
        {
            assert!(bad.parse::<Date>().is_err(), "{bad:?} must be refused");
        }
        assert_eq!(date("2026-11-23").format(Lang::Da), "23.11.2026");
        assert_eq!(date("2026-11-23").format(Lang::En), "23/11/2026");
    }

    /// A typed date the calendar does not have is one kind of fault
    /// (session 15's note: the plan's readers said `invalid_format`, the
    /// figures `date_expected`): every written form and every impossible
    /// day answer `date_expected`; a year outside the range keeps its own
    /// words; what exists reads in every written form.
    #[test]
    fn a_typed_date_that_does_not_exist_is_date_expected_in_every_form() {
        for (typed, read) in [
            ("2026-02-28", "2026-02-28"),
            (" 28.02.2026 ", "2026-02-28"),
            ("1.2.2026", "2026-02-01"),
            ("01-02-2026", "2026-02-01"),
            ("1/2/2026", "2026-02-01"),
            ("29.02.2028", "2028-02-29"),
            ("2026.02.28", "2026-02-28"),
            ("2026-2-3", "2026-02-03"),
        ] {
            assert_eq!(Date::parse_typed(typed), Ok(date(read)), "{typed:?}");
        }
        for typed in [
            "2026-02-30",
            "2026-02-29",
            "29.02.2027",
            "31.04.2026",
            "31/04/2026",
            "31-04-2026",
            "00.01.2026",
            "01.00.2026",
            "32.01.2026",
            "01.13.2026",
            "2026-13-01",
            "2026-00-10",
            "30.11.26",
            "abc",
            "",
            "1.1",
            "1.1.2026.1",
            "+1.01.2026",
            "1.1.20x6",
            "12026-01-01",
            "001.01.2026",
            "٣.١.٢٠٢٦",
        ] {
            assert_eq!(Date::parse_typed(typed), Err(Problem::DateExpected), "{typed:?}");
        }
        for typed in ["1899-12-31", "01.01.2200", "0000-01-01"] {
            assert!(matches!(Date::parse_typed(typed), Err(Problem::OutOfRange { .. })), "{typed:?}");
        }
        assert_eq!(Date::read_field("on", " ", false), Ok(None));
        assert_eq!(Date::read_field("on", "", true), Err(ValidationError::new("on", Problem::Required)));
        assert_eq!(Date::read_field("on", "30.02.2026", true), Err(ValidationError::new("on", Problem::DateExpected)));
        assert_eq!(Date::read_field("on", "2026-02-27", false), Ok(Some(date("2026-02-27"))));
    }

    #[test]
    fn timestamps_parse_any_offset_and_print_utc() {
        assert_eq!(ts("2026-11-23T17:54:12+01:00").to_string(), "2026-11-23T16:54:12.000Z");
        assert_eq!(ts("2026-11-23T16:54:12.5Z").to_string(), "2026-11-23T16:54:12.500Z");
        assert_eq!(ts("2026-11-23T16:54:12.123456789Z").to_string(), "2026-11-23T16:54:12.123Z");
        for bad in [
            "2026-11-23",
            "2026-11-23T16:54Z",
            "2026-11-23T24:00:00Z",
            "2026-11-23T16:54:12",
            "2026-11-23T16:54:12+1:00",
            "2026-11-23T16:54:12.Z",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn summer_time_2026() {
        // Summer time starts 29 March 2026 at 01:00 UTC, ends 25 October 01:00 UTC.
        assert_eq!(ts("2026-03-29T00:59:00Z").copenhagen_offset_minutes(), 60);
        assert_eq!(ts("2026-03-29T01:00:00Z").copenhagen_offset_minutes(), 120);
        assert_eq!(ts("2026-10-25T00:59:00Z").copenhagen_offset_minutes(), 120);
        assert_eq!(ts("2026-10-25T01:00:00Z").copenhagen_offset_minutes(), 60);
    }

    #[test]
    fn change_days_are_23_and_25_hours_long() {
        assert_eq!(date("2026-03-29").length_minutes(), 23 * 60);
        assert_eq!(date("2026-10-25").length_minutes(), 25 * 60);
        assert_eq!(date("2026-10-26").length_minutes(), 24 * 60);
    }

    #[test]
    fn a_visit_across_the_autumn_change_lasts_real_time() {
        // 01:30 to 02:30 on the wall clock, but the clock went back at 03:00
        // CEST → 02:00 CET in between: first 02:30 is CEST.
        let start = Timestamp::from_local(date("2026-10-25"), 90);
        let end = ts("2026-10-25T01:30:00Z"); // 02:30 CET, the second one
        assert_eq!(start.minutes_until(end), 120);
        assert_eq!(end.format_time(Lang::Da), "02.30");
    }

    #[test]
    fn skipped_and_repeated_local_times() {
        // 02:30 does not exist on 29 March 2026: read as 03:30 CEST.
        let t = Timestamp::from_local(date("2026-03-29"), 150);
        assert_eq!(t.to_string(), "2026-03-29T01:30:00.000Z");
        // 02:30 happens twice on 25 October 2026: the first (CEST) one.
        let t = Timestamp::from_local(date("2026-10-25"), 150);
        assert_eq!(t.to_string(), "2026-10-25T00:30:00.000Z");
    }

    /// "HH:MM" as minutes since midnight.
    fn hm(s: &str) -> u16 {
        let (h, m) = s.split_once(':').expect("HH:MM");
        h.parse::<u16>().expect("hours") * 60 + m.parse::<u16>().expect("minutes")
    }

    #[test]
    fn a_wall_clock_time_names_zero_one_or_two_instants() {
        use LocalInstants::{One, Skipped, Two};
        let one = |s: &str| One(ts(s));
        let two = |a: &str, b: &str| Two { first: ts(a), second: ts(b) };
        let cases = [
            // Spring 2026 (29 March): 02.00 CET becomes 03.00 CEST.
            ("2026-03-29", "01:59", one("2026-03-29T00:59:00Z")),
            ("2026-03-29", "02:00", Skipped),
            ("2026-03-29", "02:30", Skipped),
            ("2026-03-29", "02:59", Skipped),
            ("2026-03-29", "03:00", one("2026-03-29T01:00:00Z")),
            // Autumn 2026 (25 October): 03.00 CEST becomes 02.00 CET.
            ("2026-10-25", "00:00", one("2026-10-24T22:00:00Z")),
            ("2026-10-25", "01:59", one("2026-10-24T23:59:00Z")),
            ("2026-10-25", "02:00", two("2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z")),
            ("2026-10-25", "02:30", two("2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z")),
            ("2026-10-25", "02:59", two("2026-10-25T00:59:00Z", "2026-10-25T01:59:00Z")),
            ("2026-10-25", "03:00", one("2026-10-25T02:00:00Z")),
            ("2026-10-25", "23:59", one("2026-10-25T22:59:00Z")),
            // Spring 2027 (28 March) and autumn 2027 (31 October).
            ("2027-03-28", "01:59", one("2027-03-28T00:59:00Z")),
            ("2027-03-28", "02:00", Skipped),
            ("2027-03-28", "02:59", Skipped),
            ("2027-03-28", "03:00", one("2027-03-28T01:00:00Z")),
            ("2027-10-31", "01:59", one("2027-10-30T23:59:00Z")),
            ("2027-10-31", "02:00", two("2027-10-31T00:00:00Z", "2027-10-31T01:00:00Z")),
            ("2027-10-31", "02:30", two("2027-10-31T00:30:00Z", "2027-10-31T01:30:00Z")),
            ("2027-10-31", "02:59", two("2027-10-31T00:59:00Z", "2027-10-31T01:59:00Z")),
            ("2027-10-31", "03:00", one("2027-10-31T02:00:00Z")),
            // Ordinary days, the changes' neighbours among them: 02.30 is
            // one instant, in whichever time the day is in.
            ("2026-03-28", "02:30", one("2026-03-28T01:30:00Z")),
            ("2026-03-30", "02:30", one("2026-03-30T00:30:00Z")),
            ("2026-10-24", "02:30", one("2026-10-24T00:30:00Z")),
            ("2026-10-26", "02:30", one("2026-10-26T01:30:00Z")),
            ("2027-10-24", "02:30", one("2027-10-24T00:30:00Z")),
            ("2026-07-01", "00:00", one("2026-06-30T22:00:00Z")),
            ("2026-11-23", "15:00", one("2026-11-23T14:00:00Z")),
            ("2026-12-31", "23:59", one("2026-12-31T22:59:00Z")),
        ];
        for (day, time, want) in cases {
            assert_eq!(Timestamp::local_instants(date(day), hm(time)), want, "{day} {time}");
        }
        // Past the day's end reads as 23.59, as `from_local` does.
        assert_eq!(Timestamp::local_instants(date("2026-11-23"), 1440), one("2026-11-23T22:59:00Z"));
    }

    #[test]
    fn an_instant_says_which_pass_of_a_repeated_hour_it_is() {
        use Occurrence::{First, Second};
        let cases = [
            // Autumn 2026: the two passes of 02.00–02.59, and their edges.
            ("2026-10-24T23:59:00Z", "2026-10-25", "01:59", None),
            ("2026-10-25T00:00:00Z", "2026-10-25", "02:00", Some(First)),
            ("2026-10-25T00:30:00Z", "2026-10-25", "02:30", Some(First)),
            ("2026-10-25T00:59:59.999Z", "2026-10-25", "02:59", Some(First)),
            ("2026-10-25T01:00:00Z", "2026-10-25", "02:00", Some(Second)),
            ("2026-10-25T01:30:00Z", "2026-10-25", "02:30", Some(Second)),
            ("2026-10-25T01:59:00Z", "2026-10-25", "02:59", Some(Second)),
            ("2026-10-25T02:00:00Z", "2026-10-25", "03:00", None),
            // Autumn 2027.
            ("2027-10-31T00:30:00Z", "2027-10-31", "02:30", Some(First)),
            ("2027-10-31T01:30:00Z", "2027-10-31", "02:30", Some(Second)),
            // Spring: nothing repeats; 01.59 is followed by 03.00.
            ("2026-03-29T00:59:00Z", "2026-03-29", "01:59", None),
            ("2026-03-29T01:00:00Z", "2026-03-29", "03:00", None),
            ("2027-03-28T01:00:00Z", "2027-03-28", "03:00", None),
            // Ordinary days.
            ("2026-10-24T00:30:00Z", "2026-10-24", "02:30", None),
            ("2026-10-26T01:30:00Z", "2026-10-26", "02:30", None),
            ("2026-11-23T14:00:12.345Z", "2026-11-23", "15:00", None),
        ];
        for (instant, day, time, occurrence) in cases {
            let t = ts(instant);
            let want = LocalTime { date: date(day), minute_of_day: hm(time), occurrence };
            assert_eq!(t.to_local(), want, "{instant}");
            // And back, to the minute.
            let back = Timestamp::local_instants(want.date, want.minute_of_day).pick(occurrence.unwrap_or(First));
            assert_eq!(back, Some(t.floor_minute()), "{instant} back");
        }
    }

    #[test]
    fn from_local_keeps_its_guesses() {
        // Unchanged by `local_instants`: a repeated time is its first pass,
        // a skipped one an hour later in summer time.
        assert_eq!(Timestamp::from_local(date("2027-10-31"), hm("02:30")), ts("2027-10-31T00:30:00Z"));
        assert_eq!(Timestamp::from_local(date("2027-03-28"), hm("02:30")), ts("2027-03-28T01:30:00Z"));
        assert_eq!(ts("2026-11-23T14:00:12.345Z").floor_minute(), ts("2026-11-23T14:00:00Z"));
        assert_eq!(ts("1969-12-31T23:59:30Z").floor_minute(), ts("1969-12-31T23:59:00Z"));
    }

    #[test]
    fn iso_weeks_at_year_boundaries() {
        // 2020 had 53 weeks; 1 January 2021 was in week 53 of 2020.
        assert_eq!(date("2021-01-01").iso_week().to_string(), "2020-W53");
        assert_eq!(date("2020-12-31").iso_week().to_string(), "2020-W53");
        assert_eq!(date("2021-01-04").iso_week().to_string(), "2021-W01");
        // 1 January 2023 (a Sunday) was in week 52 of 2022.
        assert_eq!(date("2023-01-01").iso_week().to_string(), "2022-W52");
        // 29 December 2025 (Monday) is in week 1 of 2026.
        assert_eq!(date("2025-12-29").iso_week().to_string(), "2026-W01");
        assert_eq!(weeks_in_year(2026), 53);
        assert_eq!(weeks_in_year(2025), 52);
        assert!(IsoWeek::new(2025, 53).is_err());
        assert_eq!(IsoWeek::new(2026, 53).expect("valid").monday(), date("2026-12-28"));
    }

    #[test]
    fn months_quarters_and_years() {
        let nov = Month::containing(date("2026-11-23"));
        assert_eq!(nov.to_string(), "2026-11");
        assert_eq!(nov.start().to_string(), "2026-10-31T23:00:00.000Z");
        assert_eq!(nov.next().to_string(), "2026-12");
        assert_eq!(Month::containing(date("2026-12-01")).next().to_string(), "2027-01");
        // October 2026 has 31 days and one extra hour.
        assert_eq!(Month::new(2026, 10).expect("valid").length_minutes(), 31 * 1440 + 60);
        let q = Quarter::containing(date("2026-11-23"));
        assert_eq!(q.quarter(), 4);
        assert_eq!(q.next().first_day(), date("2027-01-01"));
        assert_eq!(Year(2026).last_day(), date("2026-12-31"));
        let (s, e) = PeriodKind::Week.bounds(date("2026-11-23"));
        assert_eq!(
            (s.to_string(), e.to_string()),
            ("2026-11-22T23:00:00.000Z".into(), "2026-11-29T23:00:00.000Z".into())
        );
    }

    #[test]
    fn period_json() {
        let w: IsoWeek = serde_json::from_str(r#""2026-W43""#).expect("parse");
        assert_eq!(w.week(), 43);
        assert!(serde_json::from_str::<IsoWeek>(r#""2025-W53""#).is_err());
        let m: Month = serde_json::from_str(r#""2026-02""#).expect("parse");
        assert_eq!(serde_json::to_string(&m).expect("serialise"), r#""2026-02""#);
        assert!(serde_json::from_str::<Month>(r#""2026-13""#).is_err());
    }

    fn jiff_cph() -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get("Europe/Copenhagen").expect("bundled tzdb has Copenhagen")
    }

    /// What the IANA database says a Copenhagen wall-clock time names.
    fn iana_local_instants(d: Date, minute: u16) -> LocalInstants {
        let dt = jiff::civil::date(d.year() as i16, d.month() as i8, d.day() as i8).at(
            (minute / 60) as i8,
            (minute % 60) as i8,
            0,
            0,
        );
        let local_ms = (d.to_days() * MINUTES_PER_DAY + i64::from(minute)) * MS_PER_MINUTE;
        let at = |offset: jiff::tz::Offset| Timestamp(local_ms - i64::from(offset.seconds()) * 1000);
        match jiff_cph().to_ambiguous_timestamp(dt).offset() {
            jiff::tz::AmbiguousOffset::Unambiguous { offset } => LocalInstants::One(at(offset)),
            jiff::tz::AmbiguousOffset::Gap { .. } => LocalInstants::Skipped,
            jiff::tz::AmbiguousOffset::Fold { before, after } => {
                LocalInstants::Two { first: at(before), second: at(after) }
            }
        }
    }

    // 1996-01-01 .. 2099-12-31 in milliseconds.
    const FROM: i64 = 820_454_400_000;
    const TO: i64 = 4_102_444_800_000;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn copenhagen_matches_the_iana_database(ms in FROM..TO) {
            let t = Timestamp::from_millis(ms);
            let jt = jiff::Timestamp::from_millisecond(ms).expect("in range");
            let zoned = jt.to_zoned(jiff_cph());
            prop_assert_eq!(t.copenhagen_offset_minutes() * 60, i64::from(zoned.offset().seconds()));
            let d = t.local_date();
            prop_assert_eq!((d.year(), d.month(), d.day()), (i32::from(zoned.year()), zoned.month() as u8, zoned.day() as u8));
            prop_assert_eq!(t.local_minute_of_day(), zoned.hour() as u16 * 60 + zoned.minute() as u16);
            let iso = zoned.date().iso_week_date();
            prop_assert_eq!((d.iso_week().year(), d.iso_week().week()), (i32::from(iso.year()), iso.week() as u8));
        }

        #[test]
        fn day_start_matches_the_iana_database(days in 9_500i64..47_000) {
            let d = Date::from_days(days);
            let jd = jiff::civil::date(d.year() as i16, d.month() as i8, d.day() as i8);
            let start = jd.to_zoned(jiff_cph()).expect("midnight exists").timestamp().as_millisecond();
            prop_assert_eq!(d.start().as_millis(), start);
        }

        #[test]
        fn local_times_round_trip_outside_the_changes(days in 9_500i64..47_000, minute in 0u16..1440) {
            let d = Date::from_days(days);
            let t = Timestamp::from_local(d, minute);
            // Only the skipped hour (spring) moves; everything else round-trips.
            if t.local_date() == d && t.local_minute_of_day() != minute {
                prop_assert_eq!(d.month(), 3);
                prop_assert_eq!(t.local_minute_of_day(), minute + 60);
            } else {
                prop_assert_eq!((t.local_date(), t.local_minute_of_day()), (d, minute));
            }
        }

        #[test]
        fn local_instants_match_the_iana_database(days in 9_500i64..47_000, minute in 0u16..1440) {
            let d = Date::from_days(days);
            prop_assert_eq!(Timestamp::local_instants(d, minute), iana_local_instants(d, minute));
        }

        #[test]
        fn local_instants_on_change_days_match_the_iana_database(
            year in 1996i32..2100,
            autumn in any::<bool>(),
            minute in 0u16..300,
        ) {
            let d = copenhagen::last_sunday(year, if autumn { 10 } else { 3 });
            prop_assert_eq!(Timestamp::local_instants(d, minute), iana_local_instants(d, minute));
        }

        #[test]
        fn to_local_names_the_instant_back(ms in FROM..TO) {
            let t = Timestamp::from_millis(ms);
            let l = t.to_local();
            prop_assert_eq!((l.date, l.minute_of_day), (t.local_date(), t.local_minute_of_day()));
            let instants = Timestamp::local_instants(l.date, l.minute_of_day);
            prop_assert_eq!(matches!(instants, LocalInstants::Two { .. }), l.occurrence.is_some());
            prop_assert_eq!(instants.pick(l.occurrence.unwrap_or(Occurrence::First)), Some(t.floor_minute()));
        }

        #[test]
        fn civil_days_round_trip(days in -25_000i64..84_000) {
            let d = Date::from_days(days);
            prop_assert_eq!(d.to_days(), days);
            prop_assert_eq!(Date::new(d.year(), d.month(), d.day()), Ok(d));
            prop_assert_eq!(d.to_string().parse::<Date>(), Ok(d));
        }

        #[test]
        fn timestamps_round_trip_through_text(ms in FROM..TO) {
            let t = Timestamp::from_millis(ms);
            prop_assert_eq!(t.to_string().parse::<Timestamp>(), Ok(t));
        }

        #[test]
        fn periods_tile_time(days in 9_500i64..47_000) {
            let d = Date::from_days(days);
            fn check<P: Period + PartialEq + std::fmt::Debug>(d: Date) -> Result<(), TestCaseError> {
                let p = P::containing(d);
                prop_assert!(p.first_day() <= d && d <= p.last_day());
                prop_assert_eq!(P::containing(p.last_day().add_days(1)), p.next());
                prop_assert!(p.contains(d.start()));
                prop_assert_eq!(P::of(p.end()), p.next());
                prop_assert!(!p.contains(p.end()));
                Ok(())
            }
            check::<Date>(d)?;
            check::<IsoWeek>(d)?;
            check::<Month>(d)?;
            check::<Quarter>(d)?;
            check::<Year>(d)?;
            let w = d.iso_week();
            prop_assert_eq!(w.monday().weekday(), 1);
            prop_assert_eq!(IsoWeek::new(w.year(), w.week()), Ok(w));
        }
    }
}

/// An inclusive range of calendar days, open-ended when `to` is `None`.
/// JSON: `{"from": "2026-01-01", "to": null}` (`to` may be absent on input).
/// Deserialising checks it as [`DateRange::new`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "DateRangeWire")]
pub struct DateRange {
    from: Date,
    to: Option<Date>,
}

#[derive(Deserialize)]
struct DateRangeWire {
    from: Date,
    to: Option<Date>,
}

impl TryFrom<DateRangeWire> for DateRange {
    type Error = ValidationError;

    fn try_from(w: DateRangeWire) -> Result<Self, ValidationError> {
        DateRange::new(w.from, w.to)
    }
}

impl DateRange {
    /// The days `from..=to` (`to` `None`: with no end). One day, `from == to`,
    /// is fine.
    ///
    /// Errors: `valid_to` `Problem::BeforeStartDay` when `to` is before `from`.
    pub fn new(from: Date, to: Option<Date>) -> Result<DateRange, ValidationError> {
        match to {
            Some(to) if to < from => Err(ValidationError::new("valid_to", Problem::BeforeStartDay)),
            _ => Ok(DateRange { from, to }),
        }
    }

    /// The first day.
    pub fn from(&self) -> Date {
        self.from
    }

    /// The last day (inclusive), or `None` for no end.
    pub fn to(&self) -> Option<Date> {
        self.to
    }

    /// Whether `date` is one of the range's days (both ends included).
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && self.to.is_none_or(|to| date <= to)
    }

    /// Whether the two ranges share at least one day (ranges that only touch,
    /// one ending the day before the other starts, do not).
    pub fn overlaps(&self, other: &DateRange) -> bool {
        let starts_before_other_ends = other.to.is_none_or(|to| self.from <= to);
        let other_starts_before_self_ends = self.to.is_none_or(|to| other.from <= to);
        starts_before_other_ends && other_starts_before_self_ends
    }
}

#[cfg(test)]
mod range_tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("valid date")
    }

    #[test]
    fn months_are_added_by_the_calendar() {
        assert_eq!(d("2026-03-31").add_months(-1), d("2026-02-28"));
        assert_eq!(d("2028-03-31").add_months(-1), d("2028-02-29"));
        assert_eq!(d("2026-11-24").add_months(-6), d("2026-05-24"));
        assert_eq!(d("2026-01-15").add_months(-13), d("2024-12-15"));
        assert_eq!(d("2026-12-31").add_months(2), d("2027-02-28"));
    }

    #[test]
    fn ranges() {
        let r = DateRange::new(d("2026-01-01"), Some(d("2026-12-31"))).expect("valid");
        assert!(r.contains(d("2026-12-31")) && !r.contains(d("2027-01-01")));
        let open = DateRange::new(d("2026-12-31"), None).expect("valid");
        assert!(r.overlaps(&open) && open.overlaps(&r));
        let later = DateRange::new(d("2027-01-01"), None).expect("valid");
        assert!(!r.overlaps(&later));
        let err = DateRange::new(d("2026-02-01"), Some(d("2026-01-31"))).expect_err("backwards");
        assert_eq!((err.field.as_ref(), err.code()), ("valid_to", "before_start_day"));
        let err =
            serde_json::from_str::<DateRange>(r#"{"from":"2026-02-01","to":"2026-01-01"}"#).expect_err("backwards");
        assert!(err.to_string().contains("Valid to: must not be before the start date"), "{err}");
    }
}
