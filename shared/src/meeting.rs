//! Cross-disciplinary meetings (issue 16). Seed 002: "tre tværfaglige
//! samarbejdsmøder om året, hvor alle de tilknyttede sagsbehandlere er til
//! stede samtidig. Tovholderen sørger for indkaldelse, referat mm. […] Mål
//! og aftaleskema udfyldes på samarbejdsmøderne".
//!
//! A [`Meeting`] is planned for one citizen by its organiser (*tovholder*)
//! with the staff invited across areas, the citizen and people of their
//! network by name and role; it is held (who took part, whether the
//! citizen did, the next meeting's day) or cancelled. Its minutes are
//! [`Minutes`]: one entry per agenda item, never changed once written, so
//! the organiser's minutes written offline and a colleague's written online
//! for the same meeting both land. A decision becomes an agreed action of
//! the plan (`plan::ActionDraft::meeting`). Meetings and minutes are synced
//! rows of the citizen, on the phone of everyone who works with them.

use serde::{Deserialize, Serialize};

use crate::codes::wire_codes;
use crate::error::{Problem, ValidationError};
use crate::id::VisitId;
use crate::id::{CitizenId, GoalId, MeetingId, MinutesId, UserId};
use crate::lang::Localized;
use crate::minutes::Minutes as Duration;
use crate::text::{MinutesText, Note, OthersPresent};
use crate::time::{Date, Timestamp};
use crate::visit::{ChargeTo, MAX_VISIT_MINUTES, Visit, VisitDraft, VisitKind, VisitStatus};

/// Meetings a year by default (seed 002: three); a layer of the scheme may
/// set its own (`review::Layer::meetings_per_year`, issue 16: "the rhythm
/// set per target group"). A citizen whose last meeting is longer ago than
/// [`next_due`] allows with none planned is overdue.
pub const MEETINGS_PER_YEAR: u8 = 3;

/// The meetings a year for a citizen in `layer` (their layer today, `None`
/// while not assessed): the layer's rhythm, else [`MEETINGS_PER_YEAR`].
pub fn meetings_per_year(layer: Option<&crate::citizen::LayerName>) -> u8 {
    layer.and_then(|l| l.meetings_per_year).unwrap_or(MEETINGS_PER_YEAR)
}

/// The day the meeting after one held on `last` is due at `per_year`
/// meetings a year: whole months when they divide the year (3 a year: four
/// months on, 1 July → 1 November), else the year's days shared out (5 a
/// year: 73 days on). `None` at 0 a year: none is due.
pub fn next_due(last: Date, per_year: u8) -> Option<Date> {
    match per_year {
        0 => None,
        n if 12 % n == 0 => Some(last.add_months(12 / i32::from(n))),
        n => Some(last.add_days(365 / i64::from(n))),
    }
}

/// Where a meeting stands. JSON: `"planned"`, `"held"`, `"cancelled"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Planned,
    Held,
    Cancelled,
}

wire_codes!(MeetingStatus {
    Planned => "planned",
    Held => "held",
    Cancelled => "cancelled",
});

impl MeetingStatus {
    /// "Planlagt" / "Planned", "Holdt" / "Held", "Aflyst" / "Cancelled".
    pub fn label(self) -> Localized {
        match self {
            MeetingStatus::Planned => Localized::new("Planlagt", "Planned"),
            MeetingStatus::Held => Localized::new("Holdt", "Held"),
            MeetingStatus::Cancelled => Localized::new("Aflyst", "Cancelled"),
        }
    }
}

/// A cross-disciplinary meeting about one citizen. JSON: `{"id",
/// "citizen_id", "on": "2026-12-10", "organiser_id", "participants":
/// [uuid], "others": "Mor (Lone Hansen)", "citizen_invited": true,
/// "status": "planned", "citizen_took_part": false, "present": [uuid],
/// "next_on": "2027-04-08"|null, "starts_at": "2026-12-10T12:00:00.000Z",
/// "duration": 90}` (`starts_at` and `duration` absent when not given).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MeetingDraft {
    pub id: MeetingId,
    pub citizen_id: CitizenId,
    /// The day of the meeting (Copenhagen).
    pub on: Date,
    /// The organiser (*tovholder*): calls the meeting, writes the minutes.
    pub organiser_id: UserId,
    /// The staff invited, across areas (the organiser need not be listed).
    pub participants: Vec<UserId>,
    /// People of the citizen's network invited, by name and role.
    #[serde(default)]
    pub others: OthersPresent,
    pub citizen_invited: bool,
    pub status: MeetingStatus,
    /// Whether the citizen took part (once held).
    pub citizen_took_part: bool,
    /// The staff who took part (once held).
    #[serde(default)]
    pub present: Vec<UserId>,
    /// The next meeting's day, agreed at this one.
    pub next_on: Option<Date>,
    /// When the meeting begins (an instant on `on`, Copenhagen): optional
    /// while planned, required once held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<Timestamp>,
    /// How long it lasted in minutes (1 to [`MAX_VISIT_MINUTES`]): required
    /// once held. Each staff member present gets it counted once, for them,
    /// as a meeting visit ([`MeetingDraft::visit_for`]; issue 16: "no
    /// double entry by the organiser and the participant").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Duration>,
}

impl MeetingDraft {
    /// The most staff one meeting invites.
    pub const MAX_PARTICIPANTS: usize = 30;

    /// Checks the meeting against `today` (Copenhagen).
    ///
    /// Errors: `participants` `out_of_range` over [`Self::MAX_PARTICIPANTS`],
    /// `participants[i]` / `present[i]` `taken` for a person named twice;
    /// `on` `in_future` for a meeting held after today; `present`
    /// `none_chosen` for a held meeting nobody of the staff took part in;
    /// `citizen_took_part` `invalid_format` for a citizen who took part in
    /// a meeting not held; `next_on` `not_after_meeting` on or before the
    /// meeting's day; `starts_at` `mismatch` on another day than `on`;
    /// `duration` `out_of_range` outside 1 to [`MAX_VISIT_MINUTES`]; once
    /// held, `starts_at` and `duration` `required`.
    pub fn check(&self, today: Date) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        if self.participants.len() > Self::MAX_PARTICIPANTS {
            let max = Self::MAX_PARTICIPANTS as i64;
            errors.push(ValidationError::new("participants", Problem::OutOfRange { min: 0, max }));
        }
        for (field, people) in [("participants", &self.participants), ("present", &self.present)] {
            if let Some(i) = (0..people.len()).find(|&i| people[..i].contains(&people[i])) {
                errors.push(ValidationError::new(format!("{field}[{i}]"), Problem::Taken));
            }
        }
        if self.status == MeetingStatus::Held {
            if self.on > today {
                errors.push(ValidationError::new("on", Problem::InFuture));
            }
            if self.present.is_empty() {
                errors.push(ValidationError::new("present", Problem::NoneChosen));
            }
            if self.starts_at.is_none() {
                errors.push(ValidationError::new("starts_at", Problem::Required));
            }
            if self.duration.is_none() {
                errors.push(ValidationError::new("duration", Problem::Required));
            }
        } else if self.citizen_took_part {
            errors.push(ValidationError::new("citizen_took_part", Problem::InvalidFormat));
        }
        if self.starts_at.is_some_and(|at| at.local_date() != self.on) {
            errors.push(ValidationError::new("starts_at", Problem::Mismatch));
        }
        if self.duration.is_some_and(|d| d.get() == 0 || d.get() > MAX_VISIT_MINUTES) {
            let max = MAX_VISIT_MINUTES.into();
            errors.push(ValidationError::new("duration", Problem::OutOfRange { min: 1, max }));
        }
        if self.next_on.is_some_and(|next| next <= self.on) {
            errors.push(ValidationError::new("next_on", Problem::NotAfterMeeting));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// Everyone of the staff the meeting names: organiser, invited, present
    /// (each once, in that order).
    pub fn staff(&self) -> Vec<UserId> {
        let mut out = vec![self.organiser_id];
        for u in self.participants.iter().chain(&self.present) {
            if !out.contains(u) {
                out.push(*u);
            }
        }
        out
    }

    /// The id of `worker`'s meeting visit for meeting `meeting`: the same
    /// for the same two on every server and every retry, so the visit is
    /// written once however often the meeting is (a UUID v5 named by the
    /// worker in the meeting's namespace, as `Visit::share_id`).
    pub fn visit_id(meeting: MeetingId, worker: UserId) -> VisitId {
        VisitId::from_uuid(uuid::Uuid::new_v5(meeting.as_uuid(), worker.as_uuid().as_bytes()))
    }

    /// The meeting visit of `worker` (one of the staff present): kind
    /// `meeting`, the citizen's, from `starts_at` for `duration`, no travel
    /// (their own), no note (the minutes are the meeting's), charged to
    /// `charged_to` (what the charge rule leaves the worker; `None`:
    /// unattributed, flagged for their lead), `meeting_of` this meeting.
    /// `None` unless the meeting is held with a start and a duration and
    /// `worker` was present. Status and version are the caller's.
    pub fn visit_for(&self, worker: UserId, charged_to: Option<ChargeTo>) -> Option<Visit> {
        let (MeetingStatus::Held, Some(start), Some(duration)) = (self.status, self.starts_at, self.duration) else {
            return None;
        };
        if !self.present.contains(&worker) {
            return None;
        }
        let end = start.add_minutes(duration.get().into());
        let id = MeetingDraft::visit_id(self.id, worker);
        let draft = VisitDraft::new(
            id,
            self.citizen_id,
            VisitKind::Meeting,
            start,
            end,
            Duration::ZERO,
            Note::empty(),
            charged_to,
        )
        .ok()?;
        let mut visit = Visit::restore(draft, worker, VisitStatus::Submitted, 0);
        visit.meeting_of = Some(self.id);
        Some(visit)
    }
}

/// A meeting as the server holds it. JSON: the draft's fields and
/// `"row_version"`, `"updated_at"`, `"updated_by"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    #[serde(flatten)]
    pub fields: MeetingDraft,
    pub row_version: u64,
    pub updated_at: Timestamp,
    pub updated_by: UserId,
}

/// [`crate::plan::merge_plan`] for a meeting: field by field, the lists
/// one field each.
pub fn merge_meeting(
    base: &MeetingDraft,
    theirs: &MeetingDraft,
    mine: &MeetingDraft,
) -> crate::plan::Merge<MeetingDraft> {
    use crate::merge::pick;
    let mut c = Vec::new();
    let merged = MeetingDraft {
        id: theirs.id,
        citizen_id: theirs.citizen_id,
        on: pick("on", base.on, theirs.on, mine.on, &mut c),
        organiser_id: pick("organiser_id", base.organiser_id, theirs.organiser_id, mine.organiser_id, &mut c),
        participants: pick("participants", &base.participants, &theirs.participants, &mine.participants, &mut c)
            .clone(),
        others: pick("others", &base.others, &theirs.others, &mine.others, &mut c).clone(),
        citizen_invited: pick(
            "citizen_invited",
            base.citizen_invited,
            theirs.citizen_invited,
            mine.citizen_invited,
            &mut c,
        ),
        status: pick("status", base.status, theirs.status, mine.status, &mut c),
        citizen_took_part: pick(
            "citizen_took_part",
            base.citizen_took_part,
            theirs.citizen_took_part,
            mine.citizen_took_part,
            &mut c,
        ),
        present: pick("present", &base.present, &theirs.present, &mine.present, &mut c).clone(),
        next_on: pick("next_on", base.next_on, theirs.next_on, mine.next_on, &mut c),
        starts_at: pick("starts_at", base.starts_at, theirs.starts_at, mine.starts_at, &mut c),
        duration: pick("duration", base.duration, theirs.duration, mine.duration, &mut c),
    };
    crate::plan::Merge { merged, clashes: c }
}

/// What a part of the minutes is about: a goal of the plan, the agreed
/// actions, what the areas delivered, or anything else. JSON: `{"kind":
/// "goal", "goal_id": uuid}`, `{"kind": "actions"}`, `{"kind":
/// "deliveries"}`, `{"kind": "other"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AgendaItem {
    Goal { goal_id: GoalId },
    Actions,
    Deliveries,
    Other,
}

/// One entry of a meeting's minutes, on one agenda item. Never changed once
/// written; a second entry on the same item adds to it. JSON: `{"id",
/// "meeting_id", "citizen_id", "item": {...}, "text": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesDraft {
    pub id: MinutesId,
    pub meeting_id: MeetingId,
    pub citizen_id: CitizenId,
    pub item: AgendaItem,
    pub text: MinutesText,
}

impl MinutesDraft {
    /// Checks the entry against its meeting as it stands and `today`:
    /// minutes are written at a meeting that takes place — held, or
    /// planned for today or a day gone by (written during it, before it is
    /// marked held).
    ///
    /// Errors: `citizen_id` `mismatch` when the meeting is another
    /// citizen's; `meeting_id` `not_held` for a cancelled meeting or one
    /// still ahead.
    pub fn check(&self, meeting: &MeetingDraft, today: Date) -> Result<(), ValidationError> {
        if meeting.citizen_id != self.citizen_id {
            return Err(ValidationError::new("citizen_id", Problem::Mismatch));
        }
        let takes_place = match meeting.status {
            MeetingStatus::Held => true,
            MeetingStatus::Planned => meeting.on <= today,
            MeetingStatus::Cancelled => false,
        };
        if !takes_place {
            return Err(ValidationError::new("meeting_id", Problem::NotHeld));
        }
        Ok(())
    }
}

/// An entry of the minutes as the server holds it. JSON: the draft's
/// fields and `"by"`, `"recorded_at"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Minutes {
    #[serde(flatten)]
    pub fields: MinutesDraft,
    pub by: UserId,
    pub recorded_at: Timestamp,
}

/// Where a citizen stands with their meetings, for the coordinator's and
/// the lead's lists. JSON: `{"state": "planned", "on": "2026-12-10"}`,
/// `{"state": "unrecorded", "on": ...}`, `{"state": "overdue", "last": ...,
/// "due": ...}`, `{"state": "not_yet_due", "last": ..., "due": ...}`,
/// `{"state": "never_planned"}`, `{"state": "not_expected"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum NextMeeting {
    /// A meeting is planned on this day (today or later).
    Planned { on: Date },
    /// A meeting planned for a day gone by, not yet marked held or
    /// cancelled.
    Unrecorded { on: Date },
    /// The last meeting was held on this day, the next was due on `due`
    /// and none is planned.
    Overdue { last: Date, due: Date },
    /// Held on `last`, the next not due before `due`, none planned yet.
    NotYetDue { last: Date, due: Date },
    /// No meeting ever, none planned.
    NeverPlanned,
    /// None planned and the citizen's layer asks for none (0 a year).
    NotExpected,
}

impl NextMeeting {
    /// Whether the coordinator and the lead should act: overdue, never
    /// planned, or a meeting gone by with nothing recorded.
    pub fn needs_action(self) -> bool {
        matches!(self, NextMeeting::Overdue { .. } | NextMeeting::NeverPlanned | NextMeeting::Unrecorded { .. })
    }

    /// Where `meetings` (one citizen's) leave the citizen on `today` at
    /// `per_year` meetings a year ([`meetings_per_year`]): a planned
    /// meeting first (the earliest from today on), then one gone by
    /// unrecorded, else — if the rhythm asks for meetings at all — measured
    /// from the latest held meeting: its agreed next day, or [`next_due`].
    pub fn of(meetings: &[&MeetingDraft], today: Date, per_year: u8) -> NextMeeting {
        let planned = |keep: &dyn Fn(Date) -> bool| {
            meetings.iter().filter(|m| m.status == MeetingStatus::Planned && keep(m.on)).map(|m| m.on).min()
        };
        if let Some(on) = planned(&|on| on >= today) {
            return NextMeeting::Planned { on };
        }
        if let Some(on) = planned(&|on| on < today) {
            return NextMeeting::Unrecorded { on };
        }
        if per_year == 0 {
            return NextMeeting::NotExpected;
        }
        let Some(last) = meetings.iter().filter(|m| m.status == MeetingStatus::Held).max_by_key(|m| m.on) else {
            return NextMeeting::NeverPlanned;
        };
        let due = last.next_on.or_else(|| next_due(last.on, per_year)).unwrap_or(last.on);
        if due < today {
            NextMeeting::Overdue { last: last.on, due }
        } else {
            NextMeeting::NotYetDue { last: last.on, due }
        }
    }

    /// In words: "Næste møde 10.12.2026", "Mødet 01.12.2026 er ikke
    /// registreret", "Møde skulle have været holdt senest 08.04.2027",
    /// "Næste møde senest 08.04.2027", "Intet møde planlagt".
    pub fn describe(self, lang: crate::Lang) -> String {
        use crate::Lang::{Da, En};
        match (self, lang) {
            (NextMeeting::Planned { on }, Da) => format!("Næste møde {}", on.format(lang)),
            (NextMeeting::Planned { on }, En) => format!("Next meeting {}", on.format(lang)),
            (NextMeeting::Unrecorded { on }, Da) => format!("Mødet {} er ikke registreret som holdt", on.format(lang)),
            (NextMeeting::Unrecorded { on }, En) => {
                format!("The meeting of {} is not recorded as held", on.format(lang))
            }
            (NextMeeting::Overdue { due, .. }, Da) => format!("Møde forfaldent siden {}", due.format(lang)),
            (NextMeeting::Overdue { due, .. }, En) => format!("Meeting overdue since {}", due.format(lang)),
            (NextMeeting::NotYetDue { due, .. }, Da) => format!("Næste møde senest {}", due.format(lang)),
            (NextMeeting::NotYetDue { due, .. }, En) => format!("Next meeting by {}", due.format(lang)),
            (NextMeeting::NeverPlanned, Da) => "Intet møde planlagt".to_owned(),
            (NextMeeting::NeverPlanned, En) => "No meeting planned".to_owned(),
            (NextMeeting::NotExpected, Da) => "Ingen faste møder for borgerens målgruppe".to_owned(),
            (NextMeeting::NotExpected, En) => "No regular meetings for the citizen's target group".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_util::{date, id};

    fn meeting(on: &str, status: MeetingStatus) -> MeetingDraft {
        MeetingDraft {
            id: id(1),
            citizen_id: id(2),
            on: date(on),
            organiser_id: id(3),
            participants: vec![id(3), id(4)],
            others: OthersPresent::default(),
            citizen_invited: true,
            status,
            citizen_took_part: false,
            present: Vec::new(),
            next_on: None,
            starts_at: None,
            duration: None,
        }
    }

    /// `m` held with `present`, from 13.00 Copenhagen for `minutes`.
    fn held(mut m: MeetingDraft, present: Vec<UserId>, minutes: u32) -> MeetingDraft {
        m.status = MeetingStatus::Held;
        m.present = present;
        m.starts_at = Some(Timestamp::from_local(m.on, 13 * 60));
        m.duration = Some(Duration::new(minutes));
        m
    }

    fn codes(r: Result<(), Vec<ValidationError>>) -> Vec<(String, &'static str)> {
        r.err().unwrap_or_default().iter().map(|e| (e.field.to_string(), e.code())).collect()
    }

    #[test]
    fn a_meeting_is_checked_as_planned_and_as_held() {
        let today = date("2026-12-03");
        assert_eq!(codes(meeting("2026-12-10", MeetingStatus::Planned).check(today)), []);
        let held_ahead = held(meeting("2026-12-10", MeetingStatus::Planned), vec![id(3)], 60);
        assert_eq!(codes(held_ahead.check(today)), [("on".to_owned(), "in_future")]);
        let mut held = meeting("2026-12-03", MeetingStatus::Held);
        assert_eq!(
            codes(held.check(today)),
            [
                ("present".to_owned(), "none_chosen"),
                ("starts_at".to_owned(), "required"),
                ("duration".to_owned(), "required")
            ]
        );
        held.starts_at = Some(Timestamp::from_local(date("2026-12-03"), 9 * 60));
        held.duration = Some(Duration::new(90));
        held.present = vec![id(3), id(4), id(3)];
        held.next_on = Some(date("2026-12-03"));
        assert_eq!(
            codes(held.check(today)),
            [("present[2]".to_owned(), "taken"), ("next_on".to_owned(), "not_after_meeting")]
        );
        let mut planned = meeting("2026-12-10", MeetingStatus::Planned);
        planned.citizen_took_part = true;
        assert_eq!(codes(planned.check(today)), [("citizen_took_part".to_owned(), "invalid_format")]);
        // A planned meeting may have its time; it is on the meeting's day,
        // and a duration is at least a minute and at most a visit's.
        let mut planned = meeting("2026-12-10", MeetingStatus::Planned);
        planned.starts_at = Some(Timestamp::from_local(date("2026-12-10"), 13 * 60));
        assert_eq!(codes(planned.check(today)), []);
        planned.starts_at = Some(Timestamp::from_local(date("2026-12-11"), 13 * 60));
        assert_eq!(codes(planned.check(today)), [("starts_at".to_owned(), "mismatch")]);
        // 00.30 on the 10th in Copenhagen is the 9th in UTC: still the 10th.
        planned.starts_at = Some(Timestamp::from_local(date("2026-12-10"), 30));
        assert_eq!(codes(planned.check(today)), []);
        for (minutes, ok) in [(0, false), (1, true), (MAX_VISIT_MINUTES, true), (MAX_VISIT_MINUTES + 1, false)] {
            planned.duration = Some(Duration::new(minutes));
            let expected: Vec<(String, &str)> = if ok { vec![] } else { vec![("duration".to_owned(), "out_of_range")] };
            assert_eq!(codes(planned.check(today)), expected, "{minutes} minutes");
        }
        assert_eq!(meeting("2026-12-10", MeetingStatus::Planned).staff(), vec![id(3), id(4)]);
    }

    #[test]
    fn minutes_are_written_at_a_meeting_that_takes_place() {
        let today = date("2026-12-03");
        let minutes = |meeting: MeetingId| MinutesDraft {
            id: id(9),
            meeting_id: meeting,
            citizen_id: id(2),
            item: AgendaItem::Other,
            text: MinutesText::try_from("Aftalt at søge fleksjob.").expect("text"),
        };
        let m = minutes(id(1));
        assert!(m.check(&meeting("2026-12-03", MeetingStatus::Planned), today).is_ok(), "during the meeting");
        assert!(m.check(&meeting("2026-11-30", MeetingStatus::Held), today).is_ok());
        for not in [meeting("2026-12-10", MeetingStatus::Planned), meeting("2026-12-01", MeetingStatus::Cancelled)] {
            let e = m.check(&not, today).expect_err("not held");
            assert_eq!((e.field.to_string(), e.code()), ("meeting_id".to_owned(), "not_held"));
        }
        let mut other = meeting("2026-12-03", MeetingStatus::Held);
        other.citizen_id = id(7);
        assert_eq!(m.check(&other, today).expect_err("another citizen's").code(), "mismatch");
    }

    #[test]
    fn the_next_meeting_is_planned_overdue_or_never_planned() {
        let today = date("2026-12-03");
        assert_eq!(NextMeeting::of(&[], today, 3), NextMeeting::NeverPlanned);
        let mut held = held(meeting("2026-07-01", MeetingStatus::Planned), vec![id(3)], 60);
        assert_eq!(next_due(held.on, 3), Some(date("2026-11-01")));
        // Three a year: four months after 1 July is 1 November, gone by.
        let overdue = NextMeeting::of(&[&held], today, 3);
        assert_eq!(overdue, NextMeeting::Overdue { last: date("2026-07-01"), due: date("2026-11-01") });
        assert!(overdue.needs_action());
        assert_eq!(overdue.describe(crate::Lang::Da), "Møde forfaldent siden 01.11.2026");
        // The next day agreed at the meeting counts instead.
        held.next_on = Some(date("2027-01-15"));
        assert!(!NextMeeting::of(&[&held], today, 3).needs_action());
        let planned = meeting("2027-01-10", MeetingStatus::Planned);
        assert_eq!(NextMeeting::of(&[&held, &planned], today, 3), NextMeeting::Planned { on: date("2027-01-10") });
        // A meeting gone by that nobody recorded asks for action.
        let gone = meeting("2026-12-01", MeetingStatus::Planned);
        assert_eq!(NextMeeting::of(&[&held, &gone], today, 3), NextMeeting::Unrecorded { on: date("2026-12-01") });
        let cancelled = meeting("2027-01-10", MeetingStatus::Cancelled);
        assert_eq!(NextMeeting::of(&[&cancelled], today, 3), NextMeeting::NeverPlanned);
    }

    #[test]
    fn the_rhythm_is_the_citizens_target_groups() {
        let today = date("2026-12-03");
        let last = held(meeting("2026-09-01", MeetingStatus::Planned), vec![id(3)], 60);
        // Three a year (the default): due 1 January, not yet.
        assert_eq!(meetings_per_year(None), 3);
        assert!(!NextMeeting::of(&[&last], today, 3).needs_action());
        // Six a year (every second month): due 1 November, overdue.
        let six = NextMeeting::of(&[&last], today, 6);
        assert_eq!(six, NextMeeting::Overdue { last: date("2026-09-01"), due: date("2026-11-01") });
        // Five a year: the year's days shared out, 73 days on.
        assert_eq!(next_due(date("2026-09-01"), 5), Some(date("2026-11-13")));
        assert_eq!(next_due(date("2026-09-01"), 12), Some(date("2026-10-01")));
        // None a year: nothing is asked, unless a meeting is planned or
        // one gone by was never recorded.
        assert_eq!(next_due(date("2026-09-01"), 0), None);
        assert_eq!(NextMeeting::of(&[], today, 0), NextMeeting::NotExpected);
        assert!(!NextMeeting::NotExpected.needs_action());
        let planned = meeting("2027-01-10", MeetingStatus::Planned);
        assert_eq!(NextMeeting::of(&[&planned], today, 0), NextMeeting::Planned { on: date("2027-01-10") });
        let gone = meeting("2026-12-01", MeetingStatus::Planned);
        assert!(NextMeeting::of(&[&gone], today, 0).needs_action());
        // The citizen's layer carries its rhythm.
        let layer = crate::citizen::LayerName {
            code: "joint_plan".into(),
            label: Localized::new("Fælles plan", "Joint plan"),
            meetings_per_year: Some(6),
        };
        assert_eq!(meetings_per_year(Some(&layer)), 6);
    }

    #[test]
    fn two_edits_of_a_meeting_merge_field_by_field() {
        let base = meeting("2026-12-10", MeetingStatus::Planned);
        let mut theirs = base.clone();
        theirs.participants.push(id(5));
        theirs.duration = Some(Duration::new(60));
        let mut mine = base.clone();
        mine.on = date("2026-12-11");
        mine.starts_at = Some(Timestamp::from_local(date("2026-12-11"), 600));
        let m = merge_meeting(&base, &theirs, &mine);
        assert_eq!((m.merged.on, m.merged.participants.len(), m.clashes.len()), (date("2026-12-11"), 3, 0));
        assert_eq!((m.merged.starts_at, m.merged.duration), (mine.starts_at, theirs.duration));
        mine.participants = vec![id(3)];
        assert_eq!(merge_meeting(&base, &theirs, &mine).clashes, ["participants"]);
    }

    #[test]
    fn each_staff_member_present_gets_the_meeting_once_as_a_meeting_visit() {
        let planned = meeting("2026-12-03", MeetingStatus::Planned);
        assert_eq!(planned.visit_for(id(3), None), None, "not held");
        let m = held(planned.clone(), vec![id(3), id(4)], 90);
        let v = m.visit_for(id(4), None).expect("present");
        assert_eq!((v.worker_id, v.citizen_id, v.kind), (id(4), id(2), crate::visit::VisitKind::Meeting));
        assert_eq!((v.duration().get(), v.travel_minutes.get(), v.meeting_of), (90, 0, Some(m.id)));
        assert_eq!(v.started_at(), Timestamp::from_local(date("2026-12-03"), 13 * 60));
        assert_eq!(v.id, MeetingDraft::visit_id(m.id, id(4)));
        assert_ne!(v.id, MeetingDraft::visit_id(m.id, id(3)), "one each");
        assert_ne!(v.id, MeetingDraft::visit_id(id(99), id(4)), "one per meeting");
        assert_eq!(m.visit_for(id(5), None), None, "invited, not present");
        let mut no_time = m.clone();
        no_time.duration = None;
        assert_eq!(no_time.visit_for(id(3), None), None);
        let mut cancelled = m;
        cancelled.status = MeetingStatus::Cancelled;
        assert_eq!(cancelled.visit_for(id(3), None), None);
    }

    #[test]
    fn where_a_citizen_stands_reads_as_json() {
        let overdue = NextMeeting::Overdue { last: date("2026-07-01"), due: date("2026-11-01") };
        assert_eq!(
            serde_json::to_value(overdue).expect("json"),
            serde_json::json!({ "state": "overdue", "last": "2026-07-01", "due": "2026-11-01" })
        );
        assert_eq!(
            serde_json::to_value(NextMeeting::NeverPlanned).expect("json"),
            serde_json::json!({ "state": "never_planned" })
        );
    }

    #[test]
    fn a_held_meeting_and_its_minutes_read_as_json() {
        let m = held(meeting("2026-11-23", MeetingStatus::Planned), vec![id(3)], 90);
        let json = serde_json::to_string(&m).expect("json");
        expect_test::expect![[r#"{"id":"00000000-0000-0000-0000-000000000001","citizen_id":"00000000-0000-0000-0000-000000000002","on":"2026-11-23","organiser_id":"00000000-0000-0000-0000-000000000003","participants":["00000000-0000-0000-0000-000000000003","00000000-0000-0000-0000-000000000004"],"others":"","citizen_invited":true,"status":"held","citizen_took_part":false,"present":["00000000-0000-0000-0000-000000000003"],"next_on":null,"starts_at":"2026-11-23T12:00:00.000Z","duration":90}"#]].assert_eq(&json);
        assert_eq!(serde_json::from_str::<MeetingDraft>(&json).expect("back"), m);
        // A meeting stored before meetings had a time reads as having none.
        let mut old: serde_json::Value = serde_json::from_str(&json).expect("value");
        old.as_object_mut().map(|o| (o.remove("starts_at"), o.remove("duration")));
        let read: MeetingDraft = serde_json::from_value(old).expect("old shape");
        assert_eq!((read.starts_at, read.duration), (None, None));
        let entry = MinutesDraft {
            id: id(9),
            meeting_id: id(1),
            citizen_id: id(2),
            item: AgendaItem::Goal { goal_id: id(8) },
            text: MinutesText::try_from("Aftalt praktik i Netto.").expect("text"),
        };
        expect_test::expect![[r#"{"id":"00000000-0000-0000-0000-000000000009","meeting_id":"00000000-0000-0000-0000-000000000001","citizen_id":"00000000-0000-0000-0000-000000000002","item":{"kind":"goal","goal_id":"00000000-0000-0000-0000-000000000008"},"text":"Aftalt praktik i Netto."}"#]].assert_eq(&serde_json::to_string(&entry).expect("json"));
    }

    #[test]
    fn agenda_items_read_as_json() {
        let goal: GoalId = id(8);
        assert_eq!(
            serde_json::to_value(AgendaItem::Goal { goal_id: goal }).expect("json"),
            serde_json::json!({ "kind": "goal", "goal_id": goal })
        );
        assert_eq!(
            serde_json::to_value(AgendaItem::Deliveries).expect("json"),
            serde_json::json!({ "kind": "deliveries" })
        );
    }
}
