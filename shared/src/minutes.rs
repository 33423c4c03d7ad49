//! Durations in whole minutes. Hours are never floats: 1,5 timer is 90
//! minutes everywhere but on the screen.

use std::fmt;
use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};

use crate::error::{Lang, Problem};

/// A non-negative number of minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Minutes(u32);

impl Minutes {
    pub const ZERO: Minutes = Minutes(0);

    pub const fn new(minutes: u32) -> Self {
        Minutes(minutes)
    }

    pub const fn hours(hours: u32) -> Self {
        Minutes(hours * 60)
    }

    pub const fn get(self) -> u32 {
        self.0
    }

    pub fn saturating_sub(self, other: Minutes) -> Minutes {
        Minutes(self.0.saturating_sub(other.0))
    }

    /// Hours as a person types them, read the Danish way: the one reader of
    /// typed hours (grant and drawing-right forms, the CSV import).
    ///
    /// The rules (`,` is the decimal comma, `.` the thousands separator):
    ///
    /// * whole hours: `3`, `1200`; thousands may be grouped by `.` or a
    ///   space (also no-break and narrow no-break), groups of exactly three
    ///   digits after a first group of one to three that does not start
    ///   with 0: `1.200` and `1 200` are 1200 hours, `12.000` is 12 000;
    /// * a decimal comma, exact to the minute: `2,5` is 150 minutes, `0,25`
    ///   is 15, `,5` is 30, `1.200,5` is 1200½ hours; trailing zeros are
    ///   ignored (`2,50`);
    /// * hours and minutes: `1:40` is 100 minutes (minutes as two digits,
    ///   00–59; hours plain digits);
    /// * whitespace around the text is ignored; nothing else is allowed
    ///   (no sign, no exponent, no unit).
    ///
    /// Errors (the field is the caller's):
    /// * [`Problem::AmbiguousHours`] — a point that cannot be a thousands
    ///   separator (`1.5`, `12.00`, `0.500`, `1,200.5`), or one-digit
    ///   minutes (`1:5`): an English decimal point or a typo; the message
    ///   says how to write it;
    /// * [`Problem::NotWholeMinutes`] — a fraction that is no whole number
    ///   of minutes (`0,01` is 36 seconds, `1,333`);
    /// * [`Problem::OutOfRange`] — more hours than a [`Minutes`] holds;
    /// * [`Problem::InvalidFormat`] — anything else (`x`, `-3`, `+3`, `1e3`,
    ///   `2,5,5`, `1:60`, empty).
    ///
    /// Issue 12, kind 3: "1.200" was once read as 1,2 hours (72 minutes).
    pub fn parse_hours(text: &str) -> Result<Minutes, Problem> {
        let text = text.trim();
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let too_many = || Problem::OutOfRange { min: 0, max: i64::from(u32::MAX / 60) };
        if let Some((h, m)) = text.split_once(':') {
            if !all_digits(h) || !all_digits(m) {
                return Err(Problem::InvalidFormat);
            }
            if m.len() == 1 {
                return Err(Problem::AmbiguousHours);
            }
            let m: u32 = m.parse().map_err(|_| Problem::InvalidFormat)?;
            if m >= 60 {
                return Err(Problem::InvalidFormat);
            }
            let h: u32 = h.parse().map_err(|_| too_many())?;
            return h.checked_mul(60).and_then(|h| h.checked_add(m)).map(Minutes).ok_or_else(too_many);
        }
        let (whole, frac) = match text.split_once(',') {
            Some((whole, frac)) => (whole, Some(frac)),
            None => (text, None),
        };
        if let Some(frac) = frac {
            if frac.contains('.') {
                // "1,200.5": English grouping.
                return Err(Problem::AmbiguousHours);
            }
            if !all_digits(frac) {
                return Err(Problem::InvalidFormat);
            }
        }
        let hours = if whole.is_empty() && frac.is_some() { 0 } else { grouped_hours(whole)? };
        // Minutes from the fraction, exactly: a whole minute is a multiple
        // of 1/60 hour, and the decimal ones are multiples of 0,05 — so at
        // most two digits once trailing zeros go.
        let digits = frac.unwrap_or("").trim_end_matches('0');
        if digits.len() > 2 {
            return Err(Problem::NotWholeMinutes);
        }
        let hundredths: u64 = format!("{digits:0<2}").parse().map_err(|_| Problem::InvalidFormat)?;
        if !(hundredths * 60).is_multiple_of(100) {
            return Err(Problem::NotWholeMinutes);
        }
        let minutes = hours * 60 + hundredths * 60 / 100;
        u32::try_from(minutes).map(Minutes).map_err(|_| too_many())
    }

    /// Minutes as a form shows them for editing: "3", "2,5" when exact in
    /// hundredths of an hour, else "1:40". [`Minutes::parse_hours`] reads it back.
    pub fn hours_text(self) -> String {
        if (u64::from(self.0) * 100).is_multiple_of(60) {
            self.format_hours(Lang::Da)
        } else {
            format!("{}:{:02}", self.0 / 60, self.0 % 60)
        }
    }

    /// Hours with a decimal comma (Danish) or point (English), at most two
    /// decimals and no trailing zeros: 90 → "1,5", 100 → "1,67", 120 → "2".
    pub fn format_hours(self, lang: Lang) -> String {
        let hundredths = (u64::from(self.0) * 100 + 30) / 60;
        let whole = hundredths / 100;
        let frac = hundredths % 100;
        let sep = match lang {
            Lang::Da => ',',
            Lang::En => '.',
        };
        match frac {
            0 => whole.to_string(),
            f if f % 10 == 0 => format!("{whole}{sep}{}", f / 10),
            f => format!("{whole}{sep}{f:02}"),
        }
    }
}

/// Whole hours with optional thousands groups (`1.200`, `1 200`): see
/// [`Minutes::parse_hours`].
fn grouped_hours(text: &str) -> Result<u64, Problem> {
    let is_group_mark = |c: char| matches!(c, '.' | ' ' | '\u{a0}' | '\u{202f}');
    let marks: Vec<char> = text.chars().filter(|c| is_group_mark(*c)).collect();
    let groups: Vec<&str> = text.split(is_group_mark).collect();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit())) {
        return Err(Problem::InvalidFormat);
    }
    if let Some(&first_mark) = marks.first() {
        let well_grouped = marks.iter().all(|m| *m == first_mark)
            && (1..=3).contains(&groups[0].len())
            && !groups[0].starts_with('0')
            && groups[1..].iter().all(|g| g.len() == 3);
        if !well_grouped {
            // A point where no thousands separator can be is an English
            // decimal point or a slip: say how to write it. A badly placed
            // space is just not a number.
            return Err(if marks.contains(&'.') { Problem::AmbiguousHours } else { Problem::InvalidFormat });
        }
    }
    let plain: String = groups.concat();
    if !digits(&plain) {
        return Err(Problem::InvalidFormat);
    }
    // More digits than any number of hours a Minutes can hold.
    if plain.trim_start_matches('0').len() > 12 {
        return Err(Problem::OutOfRange { min: 0, max: i64::from(u32::MAX / 60) });
    }
    plain.parse().map_err(|_| Problem::InvalidFormat)
}

impl Add for Minutes {
    type Output = Minutes;

    fn add(self, rhs: Minutes) -> Minutes {
        Minutes(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Minutes {
    fn add_assign(&mut self, rhs: Minutes) {
        *self = *self + rhs;
    }
}

impl fmt::Display for Minutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} min", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12, kind 3: every rule of [`Minutes::parse_hours`], one line each.
    #[test]
    fn hours_are_read_the_danish_way() {
        use Problem::{AmbiguousHours as Ambiguous, InvalidFormat as Invalid, NotWholeMinutes as NotWhole};
        let max_hours = i64::from(u32::MAX / 60);
        let ok = |m: u32| Ok(Minutes::new(m));
        let cases: &[(&str, Result<Minutes, Problem>)] = &[
            // The failing input: a drawing right of 1.200 hours.
            ("1.200", ok(1200 * 60)),
            // Whole hours, thousands grouped by a point or a space.
            ("3", ok(180)),
            ("0", ok(0)),
            ("1200", ok(72_000)),
            ("12.000", ok(720_000)),
            ("1.200.000", ok(72_000_000)),
            ("1 200", ok(72_000)),
            ("1\u{a0}200", ok(72_000)),
            ("1\u{202f}200", ok(72_000)),
            ("007", ok(420)),
            // The decimal comma, exact to the minute.
            ("2,5", ok(150)),
            ("2,50", ok(150)),
            ("0,25", ok(15)),
            ("0,1", ok(6)),
            ("0,05", ok(3)),
            (",5", ok(30)),
            ("37,5", ok(2250)),
            ("1.200,5", ok(72_030)),
            ("1 200,25", ok(72_015)),
            ("2,5000", ok(150)),
            // Hours and minutes.
            ("1:40", ok(100)),
            ("0:05", ok(5)),
            ("12:30", ok(750)),
            ("1200:00", ok(72_000)),
            // Whitespace around is ignored.
            (" 12 ", ok(720)),
            ("\t2,5\n", ok(150)),
            // A point that cannot group thousands: an English decimal point?
            ("1.5", Err(Ambiguous)),
            ("2.5", Err(Ambiguous)),
            ("1.25", Err(Ambiguous)),
            ("12.00", Err(Ambiguous)),
            ("1.2345", Err(Ambiguous)),
            ("0.500", Err(Ambiguous)),
            (".5", Err(Ambiguous)),
            ("1.20.000", Err(Ambiguous)),
            ("1,200.5", Err(Ambiguous)),
            ("12.000.0", Err(Ambiguous)),
            ("1.200 000", Err(Ambiguous)),
            ("1:5", Err(Ambiguous)),
            // Not a whole number of minutes.
            ("0,01", Err(NotWhole)),
            ("1,333", Err(NotWhole)),
            ("0,33", Err(NotWhole)),
            ("2,555", Err(NotWhole)),
            // Too many hours for a Minutes.
            ("71582789", Err(Problem::OutOfRange { min: 0, max: max_hours })),
            ("99999999999999999999", Err(Problem::OutOfRange { min: 0, max: max_hours })),
            ("71582788", ok(71_582_788 * 60)),
            // Not hours at all.
            ("", Err(Invalid)),
            ("x", Err(Invalid)),
            ("-3", Err(Invalid)),
            ("-1", Err(Invalid)),
            ("+3", Err(Invalid)),
            ("1e3", Err(Invalid)),
            ("2,5,5", Err(Invalid)),
            ("5,", Err(Invalid)),
            (",", Err(Invalid)),
            ("1:60", Err(Invalid)),
            ("1:123", Err(Invalid)),
            ("1:5x", Err(Invalid)),
            (":30", Err(Invalid)),
            ("1: 30", Err(Invalid)),
            ("1 2", Err(Invalid)),
            ("12 00", Err(Invalid)),
            ("3 timer", Err(Invalid)),
            ("3t", Err(Invalid)),
            ("٣", Err(Invalid)),
        ];
        for (text, expected) in cases {
            assert_eq!(&Minutes::parse_hours(text), expected, "{text:?}");
        }
    }

    #[test]
    fn what_a_form_shows_reads_back() {
        for minutes in [0, 180, 150, 15, 6, 3, 100, 1, 59, 10_080, 72_000, 72_030, u32::MAX / 60 * 60] {
            let m = Minutes::new(minutes);
            assert_eq!(Minutes::parse_hours(&m.hours_text()), Ok(m), "{minutes}");
        }
        assert_eq!(Minutes::new(150).hours_text(), "2,5");
        assert_eq!(Minutes::new(100).hours_text(), "1:40");
    }

    #[test]
    fn an_ambiguous_number_is_refused_with_how_to_write_it() {
        let e = crate::ValidationError::new("minutes_per_period", Minutes::parse_hours("1.5").expect_err("ambiguous"));
        assert_eq!(e.code(), "ambiguous_hours");
        assert!(e.message().da.starts_with("Minutter pr. periode: kan læses på flere måder"), "{}", e.message().da);
        for hint in ["2,5", "1200", "1.200", "1:30"] {
            assert!(e.message().da.contains(hint) && e.message().en.contains(hint), "{hint}");
        }
        let e = crate::ValidationError::new("minutes", Minutes::parse_hours("0,01").expect_err("not whole"));
        assert_eq!(e.message().en, "Minutes: must come to whole minutes; write hours and minutes, e.g. 1:20");
    }

    proptest::proptest! {
        /// Whatever is typed, the reader answers without panicking, and
        /// whatever it accepts is what a form would show for it.
        #[test]
        fn any_text_reads_or_is_refused(text in "[0-9 .,:]{0,12}") {
            if let Ok(m) = Minutes::parse_hours(&text) {
                proptest::prop_assert_eq!(Minutes::parse_hours(&m.hours_text()), Ok(m));
            }
        }
    }

    #[test]
    fn hours_are_shown_with_a_decimal_comma_in_danish() {
        let cases = [
            (0, "0", "0"),
            (90, "1,5", "1.5"),
            (100, "1,67", "1.67"),
            (120, "2", "2"),
            (45, "0,75", "0.75"),
            (1, "0,02", "0.02"),
        ];
        for (minutes, da, en) in cases {
            assert_eq!(Minutes::new(minutes).format_hours(Lang::Da), da, "{minutes} min");
            assert_eq!(Minutes::new(minutes).format_hours(Lang::En), en, "{minutes} min");
        }
    }
}
