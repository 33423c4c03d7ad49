//! How numbers, times and labels read on screen, in both languages: dates
//! `dd.mm.yyyy`, times `hh.mm`, decimal comma in Danish.

use shared::drawing_right::DrawingRight;
use shared::grant::{AllowanceUnit, Grant};
use shared::time::Month;
use shared::visit::{ChargeTo, VisitKind};
use shared::{Date, Lang, Minutes, ShownHours, Timestamp};

/// "november 2026" / "November 2026".
pub fn month_label(m: Month, lang: Lang) -> String {
    const DA: [&str; 12] = [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let i = usize::from(m.month() - 1);
    format!("{} {}", if lang == Lang::Da { DA[i] } else { EN[i] }, m.year())
}

/// A count with its word in the singular or the plural, the number
/// grouped the language's way: `count(1, "linje", "linjer", Lang::Da)` →
/// "1 linje", `count(1200, …)` → "1.200 linjer".
pub fn count(n: impl Into<i64>, one: &str, many: &str, lang: Lang) -> String {
    let n = n.into();
    format!("{} {}", lang.group_thousands(n), if n == 1 { one } else { many })
}

/// "45 min", "1 t 30 min" / "1 h 30 min".
pub fn duration(m: Minutes, lang: Lang) -> String {
    let (h, min) = (m.get() / 60, m.get() % 60);
    let hour = if lang == Lang::Da { "t" } else { "h" };
    match (h, min) {
        (0, min) => format!("{min} min"),
        (h, 0) => format!("{h} {hour}"),
        (h, min) => format!("{h} {hour} {min} min"),
    }
}

/// "3 timer" / "3 hours", with a decimal comma in Danish: "1,5 timer".
pub fn hours(m: Minutes, lang: Lang) -> String {
    shown_hours(ShownHours::of(m), lang)
}

/// Hours as shown ([`ShownHours`]): a total shown under shown lines is
/// their sum as `ShownHours`, and reads with this.
pub fn shown_hours(h: ShownHours, lang: Lang) -> String {
    let n = h.format(lang);
    let one = h.hundredths() == 100;
    match (lang, one) {
        (Lang::Da, true) => "1 time".into(),
        (Lang::Da, false) => format!("{n} timer"),
        (Lang::En, true) => "1 hour".into(),
        (Lang::En, false) => format!("{n} hours"),
    }
}

/// "mandag 23.11.2026" / "Monday 23/11/2026".
pub fn weekday_date(d: Date, lang: Lang) -> String {
    const DA: [&str; 7] = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"];
    const EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let i = usize::from(d.weekday().clamp(1, 7) - 1);
    let name = if lang == Lang::Da { DA[i] } else { EN[i] };
    format!("{name} {}", d.format(lang))
}

/// "uge 48" / "week 48".
pub fn week(d: Date, lang: Lang) -> String {
    let w = d.iso_week().week();
    if lang == Lang::Da { format!("uge {w}") } else { format!("week {w}") }
}

/// "09.00–10.30" (Danish) / "09:00–10:30".
/// "08.00–09.30". A time in the hour the autumn change repeats says which
/// of the two it is, as the form asks: "02.30 CEST–02.30 CET".
pub fn time_range(start: Timestamp, end: Timestamp, lang: Lang) -> String {
    format!("{}–{}", time_of(start, lang), time_of(end, lang))
}

/// A wall-clock time, with CEST / CET when it occurs twice that day.
fn time_of(t: Timestamp, lang: Lang) -> String {
    use shared::time::Occurrence;
    match t.to_local().occurrence {
        Some(Occurrence::First) => format!("{} CEST", t.format_time(lang)),
        Some(Occurrence::Second) => format!("{} CET", t.format_time(lang)),
        None => t.format_time(lang),
    }
}

pub fn kind(k: VisitKind, lang: Lang) -> &'static str {
    k.label(lang)
}

/// What a charge choice is called: the grant's service and allowance, or
/// the drawing right's name.
pub fn charge(c: ChargeTo, grants: &[Grant], pools: &[DrawingRight], lang: Lang) -> String {
    match c {
        ChargeTo::Grant(id) => match grants.iter().find(|g| g.id == id) {
            Some(g) => {
                let per = match (g.allowance.per(), lang) {
                    (AllowanceUnit::Week, Lang::Da) => "uge",
                    (AllowanceUnit::Week, Lang::En) => "week",
                    (AllowanceUnit::Month, Lang::Da) => "måned",
                    (AllowanceUnit::Month, Lang::En) => "month",
                };
                format!(
                    "{} ({}) · {} / {per}",
                    g.service.label(lang),
                    g.legal_basis,
                    hours(g.allowance.minutes(), lang)
                )
            }
            None => {
                if lang == Lang::Da {
                    "Ukendt bevilling".into()
                } else {
                    "Unknown grant".into()
                }
            }
        },
        ChargeTo::DrawingRight(id) => match pools.iter().find(|p| p.id == id) {
            Some(p) => p.name.to_string(),
            None => {
                if lang == Lang::Da {
                    "Ukendt trækningsret".into()
                } else {
                    "Unknown drawing right".into()
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_in_the_repeated_hour_says_which_one() {
        let at = |s: &str| s.parse::<Timestamp>().expect("valid");
        // 25.10.2026: 02.30 CEST is 00.30 UTC, 02.30 CET is 01.30 UTC.
        assert_eq!(
            time_range(at("2026-10-25T00:30:00Z"), at("2026-10-25T01:30:00Z"), Lang::Da),
            "02.30 CEST–02.30 CET"
        );
        assert_eq!(time_range(at("2026-10-25T04:00:00Z"), at("2026-10-25T05:00:00Z"), Lang::Da), "05.00–06.00");
        assert_eq!(time_range(at("2026-11-30T07:00:00Z"), at("2026-11-30T08:30:00Z"), Lang::En), "08:00–09:30");
    }

    #[test]
    fn a_count_takes_the_singular_only_for_one() {
        assert_eq!(count(1, "linje", "linjer", Lang::Da), "1 linje");
        assert_eq!(count(0, "linje", "linjer", Lang::Da), "0 linjer");
        assert_eq!(count(2, "ny", "nye", Lang::Da), "2 nye");
        assert_eq!(count(1200, "linje", "linjer", Lang::Da), "1.200 linjer");
        assert_eq!(count(1200, "line", "lines", Lang::En), "1,200 lines");
    }

    #[test]
    fn numbers_read_as_danes_write_them() {
        assert_eq!(duration(Minutes::new(45), Lang::Da), "45 min");
        assert_eq!(duration(Minutes::new(90), Lang::Da), "1 t 30 min");
        assert_eq!(duration(Minutes::new(120), Lang::En), "2 h");
        assert_eq!(hours(Minutes::new(90), Lang::Da), "1,5 timer");
        assert_eq!(hours(Minutes::new(90), Lang::En), "1.5 hours");
        assert_eq!(hours(Minutes::new(60), Lang::Da), "1 time");
        let d: Date = "2026-11-23".parse().expect("valid");
        assert_eq!(weekday_date(d, Lang::Da), "mandag 23.11.2026");
        assert_eq!(week(d, Lang::Da), "uge 48");
        let (a, b): (Timestamp, Timestamp) =
            ("2026-11-23T08:00:00Z".parse().expect("valid"), "2026-11-23T09:30:00Z".parse().expect("valid"));
        assert_eq!(time_range(a, b, Lang::Da), "09.00–10.30");
    }
}
