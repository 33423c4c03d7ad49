//! Working days in a Danish municipality: Monday to Friday, except the
//! public holidays (*helligdage*) and the three days municipal staff have
//! off by agreement (Constitution Day, Christmas Eve, New Year's Eve).
//!
//! Deadlines counted in working days use it, e.g. "a decision notice not
//! read after five working days" (issue 16, seed 000's fixed procedure for
//! telling the other area). The calendar is a rule, not data: Easter by the
//! Gregorian computus, the holidays from it; Great Prayer Day
//! (*store bededag*) is a holiday up to 2023 and not from 2024 (lov nr. 184
//! af 28/02/2023). Coded here rather than pulled in as a crate: no
//! maintained crate knows the Danish calendar with that change, and the
//! phone's wasm stays small.

use crate::time::Date;

/// Easter Sunday of `year` (Gregorian calendar; Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // Easter lies in March or April of every year in the calendar's range.
    Date::new(year, month as u8, day as u8).expect("Easter is a valid date")
}

/// Why `date` is no working day, in Danish (the name the calendar gives
/// it), or `None` on a working day.
pub fn day_off(date: Date) -> Option<&'static str> {
    match date.weekday() {
        6 => return Some("lørdag"),
        7 => return Some("søndag"),
        _ => {}
    }
    match (date.month(), date.day()) {
        (1, 1) => return Some("nytårsdag"),
        (6, 5) => return Some("grundlovsdag"),
        (12, 24) => return Some("juleaftensdag"),
        (12, 25) => return Some("juledag"),
        (12, 26) => return Some("2. juledag"),
        (12, 31) => return Some("nytårsaftensdag"),
        _ => {}
    }
    let from_easter = date.to_days() - easter_sunday(date.year()).to_days();
    match from_easter {
        -3 => Some("skærtorsdag"),
        -2 => Some("langfredag"),
        1 => Some("2. påskedag"),
        26 if date.year() <= 2023 => Some("store bededag"),
        39 => Some("Kristi himmelfartsdag"),
        50 => Some("2. pinsedag"),
        _ => None,
    }
}

/// Whether `date` is a working day (see the module).
pub fn is_working_day(date: Date) -> bool {
    day_off(date).is_none()
}

/// The working days after `from` up to and including `to`: 0 when `to` is
/// not after `from`. A notice sent on a Friday and still unread on the
/// next Friday has waited 5.
pub fn working_days_between(from: Date, to: Date) -> u32 {
    let mut n = 0;
    let mut day = from.add_days(1);
    while day <= to {
        if is_working_day(day) {
            n += 1;
        }
        day = day.add_days(1);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn easter_falls_on_the_known_sundays() {
        for (year, easter) in [
            (1961, "1961-04-02"),
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
        ] {
            assert_eq!(easter_sunday(year), d(easter), "{year}");
            assert_eq!(easter_sunday(year).weekday(), 7, "{year}");
        }
    }

    #[test]
    fn the_danish_days_off_of_2026() {
        let off = [
            ("2026-01-01", "nytårsdag"),
            ("2026-04-02", "skærtorsdag"),
            ("2026-04-03", "langfredag"),
            ("2026-04-06", "2. påskedag"),
            ("2026-05-14", "Kristi himmelfartsdag"),
            ("2026-05-25", "2. pinsedag"),
            ("2026-06-05", "grundlovsdag"),
            ("2026-12-24", "juleaftensdag"),
            ("2026-12-25", "juledag"),
            ("2026-12-31", "nytårsaftensdag"),
        ];
        for (day, name) in off {
            assert_eq!(day_off(d(day)), Some(name), "{day}");
        }
        // 26 December 2026 is a Saturday: the weekend names it.
        assert_eq!(day_off(d("2026-12-26")), Some("lørdag"));
        // Great Prayer Day was abolished from 2024 (1 May 2026 is a Friday).
        assert_eq!(day_off(d("2026-05-01")), None);
        assert_eq!(day_off(d("2023-05-05")), Some("store bededag"));
        let holidays = (0..365).map(|i| d("2026-01-01").add_days(i)).filter(|&day| !is_working_day(day)).count();
        // 104 weekend days and the 10 days off of the list above on weekdays
        // (Easter and Whit Sunday are Sundays already).
        assert_eq!(holidays, 104 + 10);
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        // Friday to the next Friday: five.
        assert_eq!(working_days_between(d("2026-11-27"), d("2026-12-04")), 5);
        // Thursday to the next Wednesday: four.
        assert_eq!(working_days_between(d("2026-11-26"), d("2026-12-02")), 4);
        // Over Easter 2026 (Thursday 2 April to Monday 6 April are off).
        assert_eq!(working_days_between(d("2026-04-01"), d("2026-04-08")), 2);
        // Over Christmas: 23 December to 4 January 2027 has 28, 29, 30 and 4.
        assert_eq!(working_days_between(d("2026-12-23"), d("2027-01-04")), 4);
        // Not after: none.
        assert_eq!(working_days_between(d("2026-12-04"), d("2026-12-04")), 0);
        assert_eq!(working_days_between(d("2026-12-04"), d("2026-12-01")), 0);
    }
}
