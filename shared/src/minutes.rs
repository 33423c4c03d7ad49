//! Durations in whole minutes. Hours are never floats: 1,5 timer is 90
//! minutes everywhere but on the screen.

use std::fmt;
use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};

use crate::error::{Lang, Problem};

/// A non-negative number of minutes.
///
/// Integer minutes, never fractional hours; JSON: a plain number (`90`).
/// A `u32`, so at most 4 294 967 295 minutes ([`Minutes::MAX_HOURS`] whole
/// hours); `+` saturates. `Display` is "90 min"; for hours as people read
/// them see [`Minutes::format_hours`] and [`ShownHours`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Minutes(u32);

impl Minutes {
    /// No minutes.
    pub const ZERO: Minutes = Minutes(0);

    /// `minutes` minutes. Never fails.
    pub const fn new(minutes: u32) -> Self {
        Minutes(minutes)
    }

    /// `hours` whole hours (`Minutes::hours(3)` is 180 minutes). `hours` must
    /// be at most [`Minutes::MAX_HOURS`]: more overflows (a panic in a debug
    /// build).
    pub const fn hours(hours: u32) -> Self {
        Minutes(hours * 60)
    }

    /// The most whole hours a [`Minutes`] holds: 71 582 788.
    pub const MAX_HOURS: u32 = u32::MAX / 60;

    /// The refusal of more hours than [`Minutes::MAX_HOURS`]:
    /// `Problem::HoursOutOfRange { max_minutes: Some(MAX_HOURS * 60) }`.
    pub fn too_many_hours() -> Problem {
        Problem::HoursOutOfRange { max_minutes: Some(Minutes::MAX_HOURS * 60) }
    }

    /// The number of minutes.
    pub const fn get(self) -> u32 {
        self.0
    }

    /// `self` less `other`, or zero when `other` is more.
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
    /// * [`Problem::HoursOutOfRange`] — more hours than a [`Minutes`] holds
    ///   ([`Minutes::MAX_HOURS`]); zero is read (`0` is `Ok`): a field that
    ///   needs some hours refuses it with `HoursOutOfRange` itself;
    /// * [`Problem::InvalidFormat`] — anything else (`x`, `-3`, `+3`, `1e3`,
    ///   `2,5,5`, `1:60`, empty).
    ///
    /// Issue 12, kind 3: "1.200" was once read as 1,2 hours (72 minutes).
    pub fn parse_hours(text: &str) -> Result<Minutes, Problem> {
        let text = text.trim();
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let too_many = Minutes::too_many_hours;
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

    /// Reads a required hours field (a grant's hours per week, a drawing
    /// right's hours per period, an import's `timer` column) with
    /// [`Minutes::parse_hours`] and checks it is more than 0 and at most
    /// `max_minutes` (`None`: only what a [`Minutes`] holds).
    ///
    /// Errors: [`Problem::Required`] for an empty text, the parser's
    /// errors, and [`Problem::HoursOutOfRange`] (said in hours) for 0,
    /// a negative number ("-3") or too many.
    pub fn parse_required_hours(text: &str, max_minutes: Option<u32>) -> Result<Minutes, Problem> {
        if text.trim().is_empty() {
            return Err(Problem::Required);
        }
        // "-3" is hours below the range, not a misspelling.
        if let Some(rest) = text.trim().strip_prefix(['-', '\u{2212}'])
            && Minutes::parse_hours(rest.trim_start()).is_ok()
        {
            return Err(Problem::HoursOutOfRange { max_minutes });
        }
        let minutes = Minutes::parse_hours(text)?;
        if minutes.0 == 0 || max_minutes.is_some_and(|max| minutes.0 > max) {
            return Err(Problem::HoursOutOfRange { max_minutes });
        }
        Ok(minutes)
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
    /// The figure is [`ShownHours::of`] this: add shown figures with
    /// [`ShownHours`], never by formatting a sum of minutes.
    pub fn format_hours(self, lang: Lang) -> String {
        ShownHours::of(self).format(lang)
    }
}

/// Hours as they are shown: hundredths of an hour, rounded once per shown
/// figure (half up: 1 minute is 0,02, 100 minutes 1,67).
///
/// Holds a signed count of hundredths (1,5 timer is 150); not serialised.
/// `+`, `-` and `Sum` saturate.
///
/// The rule behind it (issue 12, kind 8): a total or difference shown
/// beside shown hour figures is computed from those figures — the sum of
/// the lines' `ShownHours`, never the rounding of the minutes' sum — so a
/// column adds up on the page, in print and in the CSV, the way an
/// accountant checks a bill: each line is billed as shown, the total is
/// their sum. (Minutes, where shown, add up exactly anyway.) So the total
/// of three 10-minute lines is 0,51 (3 × 0,17), not 0,50.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ShownHours(i64);

impl ShownHours {
    /// Zero hours.
    pub const ZERO: ShownHours = ShownHours(0);

    /// `minutes` as shown: rounded half up to hundredths of an hour.
    pub fn of(minutes: Minutes) -> ShownHours {
        ShownHours::of_signed(i64::from(minutes.get()))
    }

    /// A signed number of minutes (a balance) as shown; rounded half away
    /// from zero, so −m shows as the negative of m.
    pub fn of_signed(minutes: i64) -> ShownHours {
        let rounded = (minutes.unsigned_abs().saturating_mul(100).saturating_add(30) / 60) as i64;
        ShownHours(if minutes < 0 { -rounded } else { rounded })
    }

    /// The total of lines as they are shown: the sum of each line's figure.
    pub fn total(lines: impl IntoIterator<Item = Minutes>) -> ShownHours {
        lines.into_iter().map(ShownHours::of).sum()
    }

    /// The figure in hundredths of an hour: 1,67 hours is 167; negative for
    /// a negative balance.
    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// At most two decimals and no trailing zeros: "1,5", "1,67", "2";
    /// negative with a minus sign (U+2212): "−0,5".
    pub fn format(self, lang: Lang) -> String {
        let (sign, whole, frac) = self.parts();
        let sep = Self::separator(lang);
        // Thousands grouped as the language writes them: "1.200" in Danish
        // (which `Minutes::parse_hours` reads back as 1 200 hours).
        let whole = lang.group_thousands(whole as i64);
        match frac {
            0 => format!("{sign}{whole}"),
            f if f % 10 == 0 => format!("{sign}{whole}{sep}{}", f / 10),
            f => format!("{sign}{whole}{sep}{f:02}"),
        }
    }

    /// Two decimals always and thousands grouped: "1.200,00", "108,00",
    /// "0,17" — for a table's column of hours on screen, where the figures
    /// line up and read as the CSV's ("108,00", issue 14's walk).
    pub fn format_column(self, lang: Lang) -> String {
        let (sign, whole, frac) = self.parts();
        format!("{sign}{}{}{frac:02}", lang.group_thousands(whole as i64), Self::separator(lang))
    }

    /// Always two decimals, a plain `-` for negatives: "1,50", "0,00" — for
    /// spreadsheets (the statement CSV).
    pub fn format_fixed(self, lang: Lang) -> String {
        let (sign, whole, frac) = self.parts();
        let sign = if sign.is_empty() { "" } else { "-" };
        format!("{sign}{whole}{}{frac:02}", Self::separator(lang))
    }

    fn parts(self) -> (&'static str, u64, u64) {
        let sign = if self.0 < 0 { "\u{2212}" } else { "" };
        let abs = self.0.unsigned_abs();
        (sign, abs / 100, abs % 100)
    }

    fn separator(lang: Lang) -> char {
        match lang {
            Lang::Da => ',',
            Lang::En => '.',
        }
    }
}

impl Add for ShownHours {
    type Output = ShownHours;

    fn add(self, rhs: ShownHours) -> ShownHours {
        ShownHours(self.0.saturating_add(rhs.0))
    }
}

impl std::ops::Sub for ShownHours {
    type Output = ShownHours;

    fn sub(self, rhs: ShownHours) -> ShownHours {
        ShownHours(self.0.saturating_sub(rhs.0))
    }
}

impl std::iter::Sum for ShownHours {
    fn sum<I: Iterator<Item = ShownHours>>(iter: I) -> ShownHours {
        iter.fold(ShownHours::ZERO, Add::add)
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
        return Err(Minutes::too_many_hours());
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
            ("71582789", Err(Minutes::too_many_hours())),
            ("99999999999999999999", Err(Minutes::too_many_hours())),
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

    /// Issue 12, kind 8: the statement's failing input — lines shown as
    /// 31,23 + 3,28 + 0,98 = 35,49 under a total of 2130 minutes (35,50).
    #[test]
    fn a_total_of_shown_hours_is_the_sum_of_the_shown_lines() {
        let cases: &[(&[u32], &str)] = &[
            (&[1874, 197, 59], "35,49"),
            (&[10, 10, 10], "0,51"),
            (&[1, 1, 1, 1, 1, 1], "0,12"),
            (&[20, 20, 20], "0,99"),
            (&[], "0,00"),
            (&[90, 45], "2,25"),
        ];
        for (lines, total) in cases {
            let minutes = lines.iter().map(|m| Minutes::new(*m));
            assert_eq!(ShownHours::total(minutes).format_fixed(Lang::Da), *total, "{lines:?}");
        }
        let signed =
            [(-30, "\u{2212}0,5", "-0,50"), (-1, "\u{2212}0,02", "-0,02"), (0, "0", "0,00"), (61, "1,02", "1,02")];
        for (minutes, shown, fixed) in signed {
            assert_eq!(ShownHours::of_signed(minutes).format(Lang::Da), shown, "{minutes}");
            assert_eq!(ShownHours::of_signed(minutes).format_fixed(Lang::Da), fixed, "{minutes}");
        }
        // A balance shown beside two shown figures is their difference.
        let (granted, used) = (ShownHours::of(Minutes::new(100)), ShownHours::of(Minutes::new(50)));
        assert_eq!((granted - used).format(Lang::Da), "0,84");
        // A required hours field: 0 and negative numbers are out of range
        // (not "invalid format"), a misspelling is not.
        let out = Problem::HoursOutOfRange { max_minutes: Some(600) };
        for text in ["0", "-3", "\u{2212}3", " - 2,5", "11"] {
            assert_eq!(Minutes::parse_required_hours(text, Some(600)), Err(out.clone()), "{text}");
        }
        assert_eq!(Minutes::parse_required_hours("-abc", Some(600)), Err(Problem::InvalidFormat));
        assert_eq!(Minutes::parse_required_hours(" ", Some(600)), Err(Problem::Required));
        assert_eq!(Minutes::parse_required_hours("2,5", Some(600)), Ok(Minutes::new(150)));
        // Thousands grouped the language's way, read back by `parse_hours`.
        let many = ShownHours::of(Minutes::new(1200 * 60 + 30));
        assert_eq!(many.format(Lang::Da), "1.200,5");
        assert_eq!(many.format(Lang::En), "1,200.5");
        assert_eq!(many.format_fixed(Lang::Da), "1200,50", "plain for spreadsheets");
        assert_eq!(many.format_column(Lang::Da), "1.200,50", "a column of hours on screen");
        assert_eq!(many.format_column(Lang::En), "1,200.50");
        assert_eq!(ShownHours::of(Minutes::new(108 * 60)).format_column(Lang::Da), "108,00", "as the CSV writes it");
        assert_eq!(ShownHours::of(Minutes::new(10)).format_column(Lang::Da), "0,17");
        assert_eq!(Minutes::new(1200 * 60).hours_text(), "1.200");
        assert_eq!(Minutes::parse_hours("1.200"), Ok(Minutes::new(1200 * 60)));
    }

    /// Reads a shown figure back into hundredths ("1,5" → 150, "−0,02" → −2).
    fn hundredths_of(text: &str, lang: Lang) -> i64 {
        let sep = if lang == Lang::Da { ',' } else { '.' };
        let (negative, text) = match text.strip_prefix(['\u{2212}', '-']) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, frac) = text.split_once(sep).unwrap_or((text, ""));
        let whole = whole.replace(if lang == Lang::Da { '.' } else { ',' }, "");
        let value = whole.parse::<i64>().expect("whole") * 100 + format!("{frac:0<2}").parse::<i64>().expect("frac");
        if negative { -value } else { value }
    }

    proptest::proptest! {
        /// Issue 12, kind 8: for any lines, the total as shown equals the sum
        /// of the lines as shown, in both formats and both languages.
        #[test]
        fn shown_totals_add_up(lines in proptest::collection::vec(0u32..20_000, 0..60)) {
            for lang in Lang::ALL {
                let minutes: Vec<Minutes> = lines.iter().map(|m| Minutes::new(*m)).collect();
                let total = ShownHours::total(minutes.iter().copied());
                let fixed: i64 = minutes.iter().map(|m| hundredths_of(&ShownHours::of(*m).format_fixed(lang), lang)).sum();
                proptest::prop_assert_eq!(hundredths_of(&total.format_fixed(lang), lang), fixed);
                let short: i64 = minutes.iter().map(|m| hundredths_of(&m.format_hours(lang), lang)).sum();
                proptest::prop_assert_eq!(hundredths_of(&total.format(lang), lang), short);
                // And each line is its minutes to the nearest hundredth.
                for m in &minutes {
                    let off = ShownHours::of(*m).hundredths() * 60 - i64::from(m.get()) * 100;
                    proptest::prop_assert!(off.abs() <= 30, "{m}: {off}");
                }
            }
        }
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
