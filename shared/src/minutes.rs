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
