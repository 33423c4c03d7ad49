//! Decision notices: how one area tells another about a decision on a
//! citizen they share (issue 16; seed 000: "en fast procedure for, hvordan
//! det andet område orienteres om afgørelser om bostøtte").
//!
//! When a housing-support grant (SEL § 85) is made, changed or ended for a
//! citizen who also has an open case in another area, the server writes one
//! notice per person who must hear of it there — the case's case worker and
//! the leads of that area's teams — never the one who decided. A notice is
//! a synced row scoped to its recipient: it waits in the phone's inbox,
//! offline too, until the recipient marks it read (`notice_read`, through
//! the outbox). Its text is a snapshot of the decision, so it reads the
//! same even if the grant changes again (that change sends a notice of its
//! own). A lead sees their areas' notices not read within
//! [`READ_WITHIN_WORKING_DAYS`] working days.

use serde::{Deserialize, Serialize};

use crate::calendar;
use crate::codes::wire_codes;
use crate::grant::{Allowance, Grant, Service};
use crate::id::{AreaId, CitizenId, GrantId, NoticeId, UserId};
use crate::lang::Lang;
use crate::time::{Date, DateRange, Timestamp};

/// Working days a notice may wait unread before its area's lead sees it
/// (issue 16).
pub const READ_WITHIN_WORKING_DAYS: u32 = 5;

/// What a decision did to a grant. JSON: `"made"`, `"changed"`, `"ended"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// A new grant.
    Made,
    /// Hours, period or payer changed (an end moved later is a change).
    Changed,
    /// An end set where there was none, or moved earlier.
    Ended,
}

wire_codes!(Decision {
    Made => "made",
    Changed => "changed",
    Ended => "ended",
});

impl Decision {
    /// What a write of `after` over `before` (the grant as stored, `None`
    /// when new) decided, or `None` when it changed nothing (a retry of the
    /// same write: no second notice).
    pub fn of(before: Option<&Grant>, after: &Grant) -> Option<Decision> {
        let Some(before) = before else { return Some(Decision::Made) };
        if before == after {
            return None;
        }
        let ends_sooner = match (before.period.to(), after.period.to()) {
            (None, Some(_)) => true,
            (Some(old), Some(new)) => new < old,
            _ => false,
        };
        Some(if ends_sooner { Decision::Ended } else { Decision::Changed })
    }

    /// "Bevilget" / "Granted", "Ændret" / "Changed", "Ophører" / "Ends".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Decision::Made, Lang::Da) => "Bevilget",
            (Decision::Made, Lang::En) => "Granted",
            (Decision::Changed, Lang::Da) => "Ændret",
            (Decision::Changed, Lang::En) => "Changed",
            (Decision::Ended, Lang::Da) => "Ophører",
            (Decision::Ended, Lang::En) => "Ends",
        }
    }
}

/// One notice to one recipient. JSON: `{"id", "recipient_id", "area_id",
/// "area_name", "citizen_id", "citizen_name", "grant_id", "decision",
/// "service", "allowance": {"minutes", "per"}, "period": {"from", "to"},
/// "payer_area_id", "payer_area_name", "decided_by", "decided_by_name", "decided_at",
/// "read_at"}` (`read_at` null until read). Names are as they were when
/// the decision was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionNotice {
    pub id: NoticeId,
    pub recipient_id: UserId,
    /// The area the recipient hears of it for: where the citizen has the
    /// open case that made them a recipient.
    pub area_id: AreaId,
    pub area_name: String,
    pub citizen_id: CitizenId,
    pub citizen_name: String,
    pub grant_id: GrantId,
    pub decision: Decision,
    pub service: Service,
    pub allowance: Allowance,
    /// The grant's period as decided (both ends included).
    pub period: DateRange,
    pub payer_area_id: AreaId,
    pub payer_area_name: String,
    pub decided_by: UserId,
    pub decided_by_name: String,
    pub decided_at: Timestamp,
    pub read_at: Option<Timestamp>,
}

impl DecisionNotice {
    /// From when the decision counts: the last day of an ended grant, else
    /// its first day.
    pub fn effective_on(&self) -> Date {
        match (self.decision, self.period.to()) {
            (Decision::Ended, Some(last)) => last,
            _ => self.period.from(),
        }
    }

    /// What was decided, in one line: "Bevilget: Socialpædagogisk støtte
    /// (bostøtte), 3 timer pr. uge fra 01.12.2026 til og med 31.05.2027" /
    /// "Ophører: …, sidste dag 31.12.2026".
    pub fn summary(&self, lang: Lang) -> String {
        let hours = self.allowance.minutes().format_hours(lang);
        let per = self.allowance.per().label(lang);
        let what = match lang {
            Lang::Da => format!("{}, {hours} timer {per}", self.service.label(lang)),
            Lang::En => format!("{}, {hours} hours {per}", self.service.label(lang)),
        };
        let when = match (self.decision, self.period.to(), lang) {
            (Decision::Ended, Some(last), Lang::Da) => format!("sidste dag {}", last.format(lang)),
            (Decision::Ended, Some(last), Lang::En) => format!("last day {}", last.format(lang)),
            (_, Some(last), Lang::Da) => {
                format!("fra {} til og med {}", self.period.from().format(lang), last.format(lang))
            }
            (_, Some(last), Lang::En) => {
                format!("from {} to {}", self.period.from().format(lang), last.format(lang))
            }
            (_, None, Lang::Da) => format!("fra {}", self.period.from().format(lang)),
            (_, None, Lang::En) => format!("from {}", self.period.from().format(lang)),
        };
        format!("{}: {what} {when}", self.decision.label(lang))
    }

    /// The working days the notice has waited unread by `today`
    /// (Copenhagen), 0 once read.
    pub fn waiting_working_days(&self, today: Date) -> u32 {
        if self.read_at.is_some() {
            return 0;
        }
        calendar::working_days_between(self.decided_at.local_date(), today)
    }

    /// Whether the notice is unread after [`READ_WITHIN_WORKING_DAYS`].
    pub fn is_overdue(&self, today: Date) -> bool {
        self.waiting_working_days(today) >= READ_WITHIN_WORKING_DAYS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grant::AllowanceUnit;
    use crate::minutes::Minutes;

    use crate::test_util::{date, id};

    fn grant(to: Option<&str>, minutes: u32) -> Grant {
        Grant {
            id: id(1),
            citizen_id: id(2),
            service: Service::HousingSupport,
            legal_basis: crate::text::LegalBasis::try_from(Service::HousingSupport.default_legal_basis())
                .expect("basis"),
            allowance: Allowance::new(Minutes::new(minutes), AllowanceUnit::Week).expect("allowance"),
            period: DateRange::new(date("2026-12-01"), to.map(date)).expect("range"),
            payer_area_id: id(3),
            offer_id: None,
        }
    }

    fn notice(g: &Grant, decision: Decision, decided_at: &str) -> DecisionNotice {
        DecisionNotice {
            id: id(10),
            recipient_id: id(11),
            area_id: id(12),
            area_name: "Beskæftigelse".into(),
            citizen_id: g.citizen_id,
            citizen_name: "Aksel Bruun".into(),
            grant_id: g.id,
            decision,
            service: g.service,
            allowance: g.allowance,
            period: g.period,
            payer_area_id: g.payer_area_id,
            payer_area_name: "Social".into(),
            decided_by: id(13),
            decided_by_name: "Lise Leder".into(),
            decided_at: decided_at.parse().expect("instant"),
            read_at: None,
        }
    }

    #[test]
    fn a_write_decides_made_changed_ended_or_nothing() {
        let g = grant(None, 180);
        assert_eq!(Decision::of(None, &g), Some(Decision::Made));
        assert_eq!(Decision::of(Some(&g), &g), None, "the same write twice is one decision");
        let more = Grant { allowance: grant(None, 240).allowance, ..g.clone() };
        assert_eq!(Decision::of(Some(&g), &more), Some(Decision::Changed));
        let ended = Grant { period: grant(Some("2026-12-31"), 180).period, ..g.clone() };
        assert_eq!(Decision::of(Some(&g), &ended), Some(Decision::Ended));
        let sooner = Grant { period: grant(Some("2026-12-15"), 180).period, ..g.clone() };
        assert_eq!(Decision::of(Some(&ended), &sooner), Some(Decision::Ended));
        assert_eq!(Decision::of(Some(&sooner), &ended), Some(Decision::Changed), "an end moved later");
        let open_again = g.clone();
        assert_eq!(Decision::of(Some(&ended), &open_again), Some(Decision::Changed));
    }

    #[test]
    fn the_summary_says_what_from_when() {
        let g = grant(None, 180);
        let n = notice(&g, Decision::Made, "2026-11-27T09:00:00Z");
        assert_eq!(n.summary(Lang::Da), "Bevilget: Socialpædagogisk støtte (bostøtte), 3 timer pr. uge fra 01.12.2026");
        assert_eq!(n.summary(Lang::En), "Granted: Housing support, 3 hours per week from 01/12/2026");
        assert_eq!(n.effective_on(), "2026-12-01".parse().expect("date"));
        let e = grant(Some("2027-01-31"), 90);
        let n = notice(&e, Decision::Ended, "2026-11-27T09:00:00Z");
        assert_eq!(
            n.summary(Lang::Da),
            "Ophører: Socialpædagogisk støtte (bostøtte), 1,5 timer pr. uge sidste dag 31.01.2027"
        );
        assert_eq!(n.effective_on(), "2027-01-31".parse().expect("date"));
        let n = notice(&e, Decision::Changed, "2026-11-27T09:00:00Z");
        assert!(n.summary(Lang::Da).ends_with("fra 01.12.2026 til og med 31.01.2027"), "{}", n.summary(Lang::Da));
    }

    #[test]
    fn unread_for_five_working_days_is_overdue() {
        let g = grant(None, 180);
        // Friday 27 November 2026, 23:30 in Copenhagen is still that Friday.
        let mut n = notice(&g, Decision::Made, "2026-11-27T22:30:00Z");
        assert_eq!(n.waiting_working_days("2026-12-03".parse().expect("date")), 4);
        assert!(!n.is_overdue("2026-12-03".parse().expect("date")));
        assert!(n.is_overdue("2026-12-04".parse().expect("date")));
        n.read_at = Some("2026-12-04T08:00:00Z".parse().expect("instant"));
        assert!(!n.is_overdue("2026-12-10".parse().expect("date")), "read is never overdue");
    }
}
