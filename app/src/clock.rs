//! The phone's clock, in one place so every page and the sync runner read
//! the same one (and nothing needs the data module for it).

use shared::Timestamp;
use shared::time::{Month, Period};

/// Now, from the phone's clock (ms since the epoch, UTC).
pub fn now() -> Timestamp {
    Timestamp::from_millis(js_sys::Date::now() as i64)
}

/// The month `n` months before `m`.
pub fn months_back(m: Month, n: u32) -> Month {
    let index = m.year() * 12 + i32::from(m.month()) - 1 - n as i32;
    Month::new(index.div_euclid(12), (index.rem_euclid(12) + 1) as u8).unwrap_or(m)
}

/// The current month and the twelve before it, newest first.
pub fn recent_months() -> Vec<Month> {
    let this = Month::containing(now().local_date());
    (0..13).map(|n| months_back(this, n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_go_back_across_years() {
        let m = |s: &str| Month::try_from(s.to_owned()).expect("valid");
        assert_eq!(months_back(m("2026-11"), 0), m("2026-11"));
        assert_eq!(months_back(m("2026-11"), 11), m("2025-12"));
        assert_eq!(months_back(m("2026-01"), 1), m("2025-12"));
        assert_eq!(months_back(m("2026-01"), 13), m("2024-12"));
    }
}
