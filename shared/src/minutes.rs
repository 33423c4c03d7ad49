//! Durations in whole minutes. Hours are never floats: 1,5 timer is 90
//! minutes everywhere but on the screen.

use std::fmt;
use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};

use crate::error::Lang;

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

    /// Hours as a person types them: a whole or decimal number of hours
    /// (comma or point, exact to the minute) or `h:mm`: "3", "2,5", "1:40".
    /// `None` if it is none of those, or not a whole number of minutes.
    pub fn parse_hours(text: &str) -> Option<Minutes> {
        let text = text.trim();
        if let Some((h, m)) = text.split_once(':') {
            let (h, m): (u32, u32) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
            if m >= 60 {
                return None;
            }
            return Some(Minutes(h.checked_mul(60)?.checked_add(m)?));
        }
        let (whole, frac) = text.split_once([',', '.']).unwrap_or((text, ""));
        if whole.is_empty() && frac.is_empty() || !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 4 {
            return None;
        }
        let whole: u32 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
        // Minutes from the fraction, exactly: 0,25 h is 15 min, 0,1 h is
        // 6 min, 0,33 h is 19,8 min (refused: not a whole minute).
        let scale = 10u64.pow(frac.len() as u32);
        let frac_value: u64 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
        let frac_minutes = frac_value * 60;
        if !frac_minutes.is_multiple_of(scale) {
            return None;
        }
        let minutes = u64::from(whole) * 60 + frac_minutes / scale;
        u32::try_from(minutes).ok().map(Minutes)
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

    #[test]
    fn hours_parse_exactly_to_the_minute() {
        let parse_hours = Minutes::parse_hours;
        let hours_text = |m: Minutes| m.hours_text();
        // As typed into a grant or drawing-right form, and back.
        for (text, minutes) in
            [("3", 180), ("2,5", 150), ("2.5", 150), ("0,25", 15), ("0,1", 6), ("1:40", 100), (" 12 ", 720), (",5", 30)]
        {
            assert_eq!(parse_hours(text), Some(Minutes::new(minutes)), "{text}");
        }
        for text in ["", "x", "1,333", "1:60", "1:5x", "-1", "2,5,5", "1:123", "1e3"] {
            assert_eq!(parse_hours(text), None, "{text}");
        }
        for minutes in [180, 150, 15, 6, 100, 1, 59, 10_080] {
            assert_eq!(parse_hours(&hours_text(Minutes::new(minutes))), Some(Minutes::new(minutes)), "{minutes}");
        }
        assert_eq!(hours_text(Minutes::new(150)), "2,5");
        assert_eq!(hours_text(Minutes::new(100)), "1:40");
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
