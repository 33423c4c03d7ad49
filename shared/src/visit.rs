//! Visits and sessions: the core record a worker or mentor logs, usually on
//! a phone with no signal. The id is made on the phone, so a visit saved
//! twice is the same visit.

use serde::{Deserialize, Serialize};

use crate::codes::wire_codes;
use crate::error::{Lang, Problem, ValidationError};
use crate::id::{CitizenId, DrawingRightId, GrantId, MeetingId, UserId, VisitId};
use crate::minutes::Minutes;
use crate::text::Note;
use crate::time::Timestamp;

/// The longest a single visit may last: 960 minutes (16 hours) of real
/// elapsed time.
pub const MAX_VISIT_MINUTES: u32 = 16 * 60;
/// The most travel time one visit may carry: 600 minutes (10 hours).
pub const MAX_TRAVEL_MINUTES: u32 = 10 * 60;

/// What kind of contact a visit or session was. JSON and
/// [`VisitKind::code`]: `"home_visit"`, `"phone_video"`, `"escort"`,
/// `"meeting"`, `"no_show"`. Home visits, escorts and meetings are
/// face-to-face (ATA) time ([`VisitKind::is_face_to_face`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitKind {
    /// Hjemmebesøg.
    HomeVisit,
    /// Telefon / video.
    PhoneVideo,
    /// Ledsagelse (e.g. to the doctor).
    Escort,
    /// Møde.
    Meeting,
    /// Udeblivelse: the worker went, the citizen was not there. Costs time.
    NoShow,
}

wire_codes!(VisitKind {
    HomeVisit => "home_visit",
    PhoneVideo => "phone_video",
    Escort => "escort",
    Meeting => "meeting",
    NoShow => "no_show",
});

impl VisitKind {
    /// The kind's name in `lang`, e.g. "Hjemmebesøg" / "Home visit",
    /// "Udeblivelse" / "No-show".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (VisitKind::HomeVisit, Lang::Da) => "Hjemmebesøg",
            (VisitKind::HomeVisit, Lang::En) => "Home visit",
            (VisitKind::PhoneVideo, Lang::Da) => "Telefon/video",
            (VisitKind::PhoneVideo, Lang::En) => "Phone/video",
            (VisitKind::Escort, Lang::Da) => "Ledsagelse",
            (VisitKind::Escort, Lang::En) => "Escort",
            (VisitKind::Meeting, Lang::Da) => "Møde",
            (VisitKind::Meeting, Lang::En) => "Meeting",
            (VisitKind::NoShow, Lang::Da) => "Udeblivelse",
            (VisitKind::NoShow, Lang::En) => "No-show",
        }
    }

    /// Face-to-face time with the citizen (ATA-tid, seed 000): home visits,
    /// escorts and meetings; not phone/video, not no-shows.
    pub fn is_face_to_face(self) -> bool {
        matches!(self, VisitKind::HomeVisit | VisitKind::Escort | VisitKind::Meeting)
    }
}

/// Where a visit is in its life. JSON and [`VisitStatus::code`]:
/// `"draft"`, `"submitted"`, `"approved"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    /// Not yet submitted: does not count in usage ([`crate::usage`]).
    Draft,
    /// Logged (a saved [`VisitDraft`] becomes one); counts in usage.
    Submitted,
    /// Approved by a lead; immutable.
    Approved,
}

wire_codes!(VisitStatus {
    Draft => "draft",
    Submitted => "submitted",
    Approved => "approved",
});
/// What a visit's minutes are charged to, and so who pays for them
/// ([`crate::charge::payer_of`]). JSON: `{"type": "grant", "id": ...}` or
/// `{"type": "drawing_right", "id": ...}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum ChargeTo {
    /// A grant: its payer area pays.
    Grant(GrantId),
    /// A drawing right's pool: the area that holds it pays (seed 000).
    DrawingRight(DrawingRightId),
}

/// A lead's correction of the minutes a visit counts for, with the reason
/// (DESIGN.md §3: the lead owns it; the worker owns the rest of the visit).
/// JSON: `{"minutes": 45, "reason": "Borgeren gik efter 45 minutter"}`;
/// deserialising checks it as [`Correction::new`] does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CorrectionWire")]
pub struct Correction {
    /// The minutes the visit counts for instead of its duration.
    pub minutes: Minutes,
    /// Why the lead corrected it; never blank.
    pub reason: Note,
}

#[derive(Deserialize)]
struct CorrectionWire {
    minutes: Minutes,
    reason: Note,
}

impl TryFrom<CorrectionWire> for Correction {
    type Error = ValidationError;

    fn try_from(w: CorrectionWire) -> Result<Self, ValidationError> {
        Correction::new(w.minutes, w.reason)
    }
}

impl Correction {
    /// At most [`MAX_VISIT_MINUTES`], and a reason is required.
    ///
    /// Errors: `minutes` `Problem::OutOfRange { min: 0, max: 960 }`;
    /// `reason` `Problem::Required` when it is empty or only whitespace.
    pub fn new(minutes: Minutes, reason: Note) -> Result<Correction, ValidationError> {
        if minutes.get() > MAX_VISIT_MINUTES {
            return Err(ValidationError::new("minutes", Problem::OutOfRange { min: 0, max: MAX_VISIT_MINUTES.into() }));
        }
        if reason.as_str().trim().is_empty() {
            return Err(ValidationError::new("reason", Problem::Required));
        }
        Ok(Correction { minutes, reason })
    }
}

/// A visit. Built from a [`VisitDraft`] or by deserialisation, both of which
/// check the times.
///
/// JSON: the draft's fields plus `worker_id`, `status`, `row_version` and
/// (absent in old rows) `correction`, `corrected_by`: `{"id": ...,
/// "citizen_id": ..., "worker_id": ..., "kind": "no_show", "started_at":
/// "2026-11-23T09:00:00.000Z", "ended_at": ..., "travel_minutes": 25,
/// "note": "...", "charged_to": {"type": "grant", "id": ...}, "status":
/// "submitted", "row_version": 7, "correction": {"minutes": 10, "reason":
/// "..."}, "corrected_by": ...}`. Deserialising applies the clock-free
/// rules of [`VisitDraft::new`] (not `in_future`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "VisitWire")]
pub struct Visit {
    pub id: VisitId,
    pub citizen_id: CitizenId,
    /// The worker or mentor who logged it.
    pub worker_id: UserId,
    pub kind: VisitKind,
    started_at: Timestamp,
    ended_at: Timestamp,
    /// Travel time in minutes (0 to [`MAX_TRAVEL_MINUTES`]): the worker's
    /// time, not counted against a grant or pool.
    pub travel_minutes: Minutes,
    pub note: Note,
    /// What pays; `None`: unattributed, flagged for the lead.
    pub charged_to: Option<ChargeTo>,
    /// Draft, submitted or approved (approved visits are immutable).
    pub status: VisitStatus,
    /// The server's version of this row; 0 before the server has seen it.
    pub row_version: u64,
    /// The lead's correction, if any, and which lead made it.
    pub correction: Option<Correction>,
    pub corrected_by: Option<UserId>,
    /// The plan's goals the visit worked on (issue 15); the worker's field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<GoalLink>,
    /// Colleagues who took part in a joint visit (issue 16; seed 000's
    /// joint conversations), the worker's field: each gets a share of
    /// their own ([`Visit::share_for`]). Empty on a share.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_workers: Vec<UserId>,
    /// On a colleague's share of a joint visit: the visit it is a share of
    /// (its worker logged it; the share follows it and is not edited on
    /// its own). Set by the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joint_of: Option<VisitId>,
    /// On a meeting visit: the cross-disciplinary meeting it counts for
    /// its worker (`shared::meeting::MeetingDraft::visit_for`). Set by the
    /// server; the visit follows the meeting and is not edited on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_of: Option<MeetingId>,
}

#[derive(Deserialize)]
struct VisitWire {
    id: VisitId,
    citizen_id: CitizenId,
    worker_id: UserId,
    kind: VisitKind,
    started_at: Timestamp,
    ended_at: Timestamp,
    travel_minutes: Minutes,
    note: Note,
    charged_to: Option<ChargeTo>,
    status: VisitStatus,
    row_version: u64,
    // Absent in rows stored before corrections existed.
    #[serde(default)]
    correction: Option<Correction>,
    #[serde(default)]
    corrected_by: Option<UserId>,
    // Absent in rows stored before goal links existed, and when empty.
    #[serde(default)]
    goals: Vec<GoalLink>,
    // Absent in rows stored before joint visits existed, and when empty.
    #[serde(default)]
    co_workers: Vec<UserId>,
    #[serde(default)]
    joint_of: Option<VisitId>,
    // Absent in rows stored before meeting visits existed.
    #[serde(default)]
    meeting_of: Option<MeetingId>,
}

impl TryFrom<VisitWire> for Visit {
    type Error = ValidationError;

    fn try_from(w: VisitWire) -> Result<Self, ValidationError> {
        let draft = VisitDraft::new(
            w.id,
            w.citizen_id,
            w.kind,
            w.started_at,
            w.ended_at,
            w.travel_minutes,
            w.note,
            w.charged_to,
        )?
        .with_goals(w.goals)?
        .with_co_workers(w.co_workers)?;
        let mut visit = Visit::restore(draft, w.worker_id, w.status, w.row_version);
        visit.correction = w.correction;
        visit.corrected_by = w.corrected_by;
        visit.joint_of = w.joint_of;
        visit.meeting_of = w.meeting_of;
        Ok(visit)
    }
}

/// A list a visit names (goals, colleagues): at most `max`, none twice.
///
/// Errors: `field` `Problem::OutOfRange { min: 0, max }` for more than
/// `max`, `Problem::Taken` for one named twice.
fn check_list<T: Ord>(field: &'static str, items: &[T], max: usize) -> Result<(), ValidationError> {
    if items.len() > max {
        return Err(ValidationError::new(field, Problem::OutOfRange { min: 0, max: max as i64 }));
    }
    if crate::plan::repeats(items) {
        return Err(ValidationError::new(field, Problem::Taken));
    }
    Ok(())
}

/// The checks that need no clock: end after start (a no-show may take no
/// time at the door), at most [`MAX_VISIT_MINUTES`], travel within bounds.
fn check_times(kind: VisitKind, start: Timestamp, end: Timestamp, travel: Minutes) -> Result<(), ValidationError> {
    let minutes = start.minutes_until(end);
    if minutes < 0 || (minutes == 0 && kind != VisitKind::NoShow) {
        return Err(ValidationError::new("ended_at", Problem::EndBeforeStart));
    }
    if minutes > i64::from(MAX_VISIT_MINUTES) {
        return Err(ValidationError::new("ended_at", Problem::DurationTooLong { max_minutes: MAX_VISIT_MINUTES }));
    }
    if travel.get() > MAX_TRAVEL_MINUTES {
        return Err(ValidationError::new(
            "travel_minutes",
            Problem::OutOfRange { min: 0, max: MAX_TRAVEL_MINUTES.into() },
        ));
    }
    Ok(())
}

/// A visit as a worker's phone sends it: the fields the worker owns. The
/// worker is whoever is logged in; status and version are the server's.
///
/// JSON: `{"id": ..., "citizen_id": ..., "kind": "home_visit",
/// "started_at": "2026-11-23T09:00:00.000Z", "ended_at": ...,
/// "travel_minutes": 15, "note": "...", "charged_to": null}`; deserialising
/// checks it as [`VisitDraft::new`] does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "VisitDraftWire")]
pub struct VisitDraft {
    pub id: VisitId,
    pub citizen_id: CitizenId,
    pub kind: VisitKind,
    started_at: Timestamp,
    ended_at: Timestamp,
    /// Travel time in minutes (0 to [`MAX_TRAVEL_MINUTES`]).
    pub travel_minutes: Minutes,
    pub note: Note,
    /// What pays; `None`: unattributed.
    pub charged_to: Option<ChargeTo>,
    /// The plan's goals the visit worked on, each at most once, with an
    /// optional one-line progress note and the citizen's score (issue 15).
    /// Absent from the JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    goals: Vec<GoalLink>,
    /// Colleagues who took part too (a joint visit, issue 16), each at
    /// most once, never the worker; absent from the JSON when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    co_workers: Vec<UserId>,
}

/// The most colleagues one joint visit names besides its worker.
pub const MAX_CO_WORKERS: usize = 8;

/// A goal of the citizen's plan a visit worked on. JSON: `{"goal_id": uuid,
/// "note": "Ringede selv til butikken", "citizen_score": 5}` (`note` and
/// `citizen_score` absent when not given).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GoalLink {
    pub goal_id: crate::id::GoalId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<crate::text::ProgressNote>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizen_score: Option<crate::plan::CitizenScore>,
}

/// The most goals one visit names.
pub const MAX_GOAL_LINKS: usize = 30;

#[derive(Deserialize)]
struct VisitDraftWire {
    id: VisitId,
    citizen_id: CitizenId,
    kind: VisitKind,
    started_at: Timestamp,
    ended_at: Timestamp,
    travel_minutes: Minutes,
    note: Note,
    charged_to: Option<ChargeTo>,
    #[serde(default)]
    goals: Vec<GoalLink>,
    #[serde(default)]
    co_workers: Vec<UserId>,
}

impl TryFrom<VisitDraftWire> for VisitDraft {
    type Error = ValidationError;

    fn try_from(w: VisitDraftWire) -> Result<Self, ValidationError> {
        VisitDraft::new(w.id, w.citizen_id, w.kind, w.started_at, w.ended_at, w.travel_minutes, w.note, w.charged_to)?
            .with_goals(w.goals)?
            .with_co_workers(w.co_workers)
    }
}

impl VisitDraft {
    /// A draft, if its times make sense (see [`Visit`]'s rules). Needs no
    /// clock; [`VisitDraft::into_visit`] checks the date against today.
    ///
    /// Errors: `ended_at` `Problem::EndBeforeStart` when the end is before
    /// the start, or less than a whole minute after it for any kind but a
    /// no-show;
    /// `ended_at` `Problem::DurationTooLong { max_minutes: 960 }` for more
    /// than [`MAX_VISIT_MINUTES`] of real elapsed time; `travel_minutes`
    /// `Problem::OutOfRange { min: 0, max: 600 }` for more than
    /// [`MAX_TRAVEL_MINUTES`].
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: VisitId,
        citizen_id: CitizenId,
        kind: VisitKind,
        started_at: Timestamp,
        ended_at: Timestamp,
        travel_minutes: Minutes,
        note: Note,
        charged_to: Option<ChargeTo>,
    ) -> Result<VisitDraft, ValidationError> {
        check_times(kind, started_at, ended_at, travel_minutes)?;
        Ok(VisitDraft {
            id,
            citizen_id,
            kind,
            started_at,
            ended_at,
            travel_minutes,
            note,
            charged_to,
            goals: Vec::new(),
            co_workers: Vec::new(),
        })
    }

    /// The draft with the goals it worked on (issue 15).
    ///
    /// Errors: `goals` `Problem::Taken` for a goal named twice,
    /// `Problem::OutOfRange { min: 0, max: 30 }` for more than
    /// [`MAX_GOAL_LINKS`].
    pub fn with_goals(mut self, goals: Vec<GoalLink>) -> Result<VisitDraft, ValidationError> {
        let ids: Vec<_> = goals.iter().map(|g| g.goal_id).collect();
        check_list("goals", &ids, MAX_GOAL_LINKS)?;
        self.goals = goals;
        Ok(self)
    }

    /// The goals it worked on.
    pub fn goals(&self) -> &[GoalLink] {
        &self.goals
    }

    /// The draft with the colleagues who took part too: a joint visit
    /// (issue 16: "one visit with several staff … logged by one of them").
    /// Whether each may see the citizen, and is not the worker, is the
    /// server's check (`co_workers[i]`).
    ///
    /// Errors: `co_workers` `Problem::Taken` for a colleague named twice,
    /// `Problem::OutOfRange { min: 0, max: 8 }` for more than
    /// [`MAX_CO_WORKERS`].
    pub fn with_co_workers(mut self, co_workers: Vec<UserId>) -> Result<VisitDraft, ValidationError> {
        check_list("co_workers", &co_workers, MAX_CO_WORKERS)?;
        self.co_workers = co_workers;
        Ok(self)
    }

    /// The colleagues who took part too.
    pub fn co_workers(&self) -> &[UserId] {
        &self.co_workers
    }

    /// When the visit began (a UTC instant).
    pub fn started_at(&self) -> Timestamp {
        self.started_at
    }

    /// When the visit ended (a UTC instant).
    pub fn ended_at(&self) -> Timestamp {
        self.ended_at
    }

    /// The draft as a new, submitted visit by `worker`. `now` is the
    /// device's clock: a visit may not lie on a later day than today
    /// (Copenhagen time). The visit is `Submitted`, `row_version` 0.
    ///
    /// Errors: `started_at` `Problem::InFuture`, or `ended_at`
    /// `Problem::InFuture`, for a Copenhagen date after `now`'s.
    pub fn into_visit(self, worker_id: UserId, now: Timestamp) -> Result<Visit, ValidationError> {
        let today = now.local_date();
        if self.started_at.local_date() > today {
            return Err(ValidationError::new("started_at", Problem::InFuture));
        }
        if self.ended_at.local_date() > today {
            return Err(ValidationError::new("ended_at", Problem::InFuture));
        }
        Ok(Visit::restore(self, worker_id, VisitStatus::Submitted, 0))
    }
}

impl Visit {
    /// A visit as stored: a (valid) draft plus what the server keeps. With
    /// no correction; never fails.
    pub fn restore(draft: VisitDraft, worker_id: UserId, status: VisitStatus, row_version: u64) -> Visit {
        Visit {
            id: draft.id,
            citizen_id: draft.citizen_id,
            worker_id,
            kind: draft.kind,
            started_at: draft.started_at,
            ended_at: draft.ended_at,
            travel_minutes: draft.travel_minutes,
            note: draft.note,
            charged_to: draft.charged_to,
            status,
            row_version,
            correction: None,
            corrected_by: None,
            goals: draft.goals,
            co_workers: draft.co_workers,
            joint_of: None,
            meeting_of: None,
        }
    }

    /// The worker-owned fields of this visit.
    pub fn draft(&self) -> VisitDraft {
        VisitDraft {
            id: self.id,
            citizen_id: self.citizen_id,
            kind: self.kind,
            started_at: self.started_at,
            ended_at: self.ended_at,
            travel_minutes: self.travel_minutes,
            note: self.note.clone(),
            charged_to: self.charged_to,
            goals: self.goals.clone(),
            co_workers: self.co_workers.clone(),
        }
    }

    /// The id of `co_worker`'s share of joint visit `visit`: the same for
    /// the same two on every server and every retry, so a share is written
    /// once however often the visit is (a UUID v5 named by the colleague in
    /// the visit's namespace).
    pub fn share_id(visit: VisitId, co_worker: UserId) -> VisitId {
        VisitId::from_uuid(uuid::Uuid::new_v5(visit.as_uuid(), co_worker.as_uuid().as_bytes()))
    }

    /// `co_worker`'s share of this joint visit (issue 16: "each
    /// participant's minutes counted for them"): the same citizen, kind,
    /// times, note and goals, under the colleague's name, charged to
    /// `charged_to` (what the charge rule leaves the colleague; `None`:
    /// unattributed, flagged for their lead), no travel (theirs is their
    /// own), no colleagues of its own, `joint_of` this visit. Status and
    /// version are the caller's.
    pub fn share_for(&self, co_worker: UserId, charged_to: Option<ChargeTo>) -> Visit {
        Visit {
            id: Visit::share_id(self.id, co_worker),
            citizen_id: self.citizen_id,
            worker_id: co_worker,
            kind: self.kind,
            started_at: self.started_at,
            ended_at: self.ended_at,
            travel_minutes: Minutes::ZERO,
            note: self.note.clone(),
            charged_to,
            status: VisitStatus::Submitted,
            row_version: 0,
            correction: None,
            corrected_by: None,
            goals: self.goals.clone(),
            co_workers: Vec::new(),
            joint_of: Some(self.id),
            meeting_of: None,
        }
    }
}

impl Visit {
    /// When the visit began (a UTC instant).
    pub fn started_at(&self) -> Timestamp {
        self.started_at
    }

    /// When the visit ended (a UTC instant).
    pub fn ended_at(&self) -> Timestamp {
        self.ended_at
    }

    /// Real elapsed minutes of the visit itself (travel not included).
    pub fn duration(&self) -> Minutes {
        // check_times guarantees 0 ≤ minutes ≤ MAX_VISIT_MINUTES.
        Minutes::new(self.started_at.minutes_until(self.ended_at) as u32)
    }

    /// The minutes the visit counts for: the lead's correction if there is
    /// one, else its duration.
    pub fn counted_minutes(&self) -> Minutes {
        self.correction.as_ref().map_or_else(|| self.duration(), |c| c.minutes)
    }
}

/// How long after a no-show the worker is asked to call the citizen (seed
/// 003: "ringe til borgerne ved udeblivelse"): two weeks, after which the
/// next planned contact takes over.
pub const CALL_AFTER_NO_SHOW_DAYS: i64 = 14;

/// The citizens `worker` should call after a no-show, each with the day
/// they did not show: those whose latest visit by `worker` (any kind, a
/// meeting's and a colleague's joint visit included) is a no-show at most
/// [`CALL_AFTER_NO_SHOW_DAYS`] before `today` (Copenhagen). A call, or any
/// other visit logged after it, takes the citizen off. Ordered by day, the
/// oldest first.
pub fn calls_due(visits: &[&Visit], worker: UserId, today: crate::Date) -> Vec<(CitizenId, crate::Date)> {
    let mut latest: Vec<&Visit> = Vec::new();
    for v in visits.iter().filter(|v| v.worker_id == worker) {
        match latest.iter_mut().find(|l| l.citizen_id == v.citizen_id) {
            Some(l) if (v.started_at, v.id) > (l.started_at, l.id) => *l = v,
            Some(_) => {}
            None => latest.push(v),
        }
    }
    let earliest = today.add_days(-CALL_AFTER_NO_SHOW_DAYS);
    let mut due: Vec<(CitizenId, crate::Date)> = latest
        .into_iter()
        .filter(|v| v.kind == VisitKind::NoShow)
        .map(|v| (v.citizen_id, v.started_at.local_date()))
        .filter(|(_, day)| *day >= earliest && *day <= today)
        .collect();
    due.sort_by_key(|(c, day)| (*day, *c));
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("valid timestamp")
    }

    /// Logs a visit as worker 3 at [`NOW`], with `travel` minutes of travel.
    fn log(kind: VisitKind, start: &str, end: &str, travel: u32) -> Result<Visit, ValidationError> {
        VisitDraft::new(
            VisitId::from_uuid(Uuid::from_u128(1)),
            CitizenId::from_uuid(Uuid::from_u128(2)),
            kind,
            ts(start),
            ts(end),
            Minutes::new(travel),
            Note::try_from("Hjalp med post fra kommunen").expect("valid"),
            None,
        )?
        .into_visit(UserId::from_uuid(Uuid::from_u128(3)), ts(NOW))
    }

    const NOW: &str = "2026-11-23T15:00:00Z";

    #[test]
    fn a_correction_needs_a_reason_and_sane_minutes() {
        let reason = |s: &str| Note::try_from(s).expect("note");
        assert!(Correction::new(Minutes::new(45), reason("Borgeren gik efter 45 minutter")).is_ok());
        let err = Correction::new(Minutes::new(45), reason("  ")).expect_err("no reason");
        assert_eq!((err.field.as_ref(), err.code()), ("reason", "required"));
        let err = Correction::new(Minutes::new(MAX_VISIT_MINUTES + 1), reason("for mange")).expect_err("too long");
        assert_eq!((err.field.as_ref(), err.code()), ("minutes", "out_of_range"));
        let mut v = log(VisitKind::HomeVisit, "2026-11-23T09:00:00Z", "2026-11-23T10:30:00Z", 15).expect("valid");
        assert_eq!(v.counted_minutes(), Minutes::new(90));
        v.correction = Some(Correction::new(Minutes::new(45), reason("gik tidligt")).expect("valid"));
        assert_eq!(v.counted_minutes(), Minutes::new(45));
    }

    #[test]
    fn a_plain_visit() {
        let v = log(VisitKind::HomeVisit, "2026-11-23T09:00:00Z", "2026-11-23T10:30:00Z", 15).expect("valid");
        assert_eq!(v.duration(), Minutes::new(90));
        assert_eq!(v.status, VisitStatus::Submitted);
    }

    #[test]
    fn bad_times_name_the_field() {
        let cases = [
            (VisitKind::HomeVisit, "2026-11-23T10:00:00Z", "2026-11-23T09:00:00Z", "ended_at", "end_before_start"),
            (VisitKind::HomeVisit, "2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z", "ended_at", "end_before_start"),
            (VisitKind::HomeVisit, "2026-11-22T06:00:00Z", "2026-11-22T22:01:00Z", "ended_at", "duration_too_long"),
            (VisitKind::HomeVisit, "2026-11-24T09:00:00Z", "2026-11-24T10:00:00Z", "started_at", "in_future"),
            (VisitKind::HomeVisit, "2026-11-23T22:00:00Z", "2026-11-23T23:30:00Z", "ended_at", "in_future"),
        ];
        for (kind, start, end, field, code) in cases {
            let err = log(kind, start, end, 15).expect_err(start);
            assert_eq!((err.field.as_ref(), err.code()), (field, code), "{start}–{end}");
        }
    }

    #[test]
    fn later_today_is_allowed_and_a_no_show_may_take_no_time() {
        // 22:30 UTC is 23:30 in Copenhagen: still today.
        assert!(log(VisitKind::HomeVisit, "2026-11-23T21:00:00Z", "2026-11-23T22:30:00Z", 15).is_ok());
        assert!(log(VisitKind::NoShow, "2026-11-23T09:00:00Z", "2026-11-23T09:00:00Z", 15).is_ok());
    }

    #[test]
    fn too_much_travel_is_refused() {
        let err = log(VisitKind::HomeVisit, "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z", 601).expect_err("travel");
        assert_eq!(err.field, "travel_minutes");
    }

    #[test]
    fn a_visit_across_the_october_change_lasts_real_time() {
        // 02:00 CEST → 02:00 CET is one hour on a clock that shows 0 minutes.
        let v = log(VisitKind::Escort, "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", 15).expect("valid");
        assert_eq!(v.started_at().format_time(Lang::Da), v.ended_at().format_time(Lang::Da));
        assert_eq!(v.duration(), Minutes::new(60));
    }

    #[test]
    fn invalid_json_is_refused() {
        let v = log(VisitKind::HomeVisit, "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z", 15).expect("valid");
        let mut json = serde_json::to_value(&v).expect("serialise");
        json["ended_at"] = "2026-11-23T08:00:00Z".into();
        let err = serde_json::from_value::<Visit>(json).expect_err("backwards");
        assert!(err.to_string().contains("End: must be after the start"), "{err}");
    }
}

#[cfg(test)]
mod golden {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn a_visit_names_each_goal_once_and_keeps_its_links_on_the_wire() {
        let goal = crate::id::GoalId::from_uuid(Uuid::from_u128(8));
        let link = |note: Option<&str>, score: Option<u8>| GoalLink {
            goal_id: goal,
            note: note.map(|n| crate::text::ProgressNote::try_from(n).expect("note")),
            citizen_score: score.map(|s| crate::plan::CitizenScore::try_from(s).expect("score")),
        };
        let draft = VisitDraft::new(
            VisitId::from_uuid(Uuid::from_u128(1)),
            CitizenId::from_uuid(Uuid::from_u128(2)),
            VisitKind::HomeVisit,
            "2026-11-23T09:00:00Z".parse().expect("valid"),
            "2026-11-23T10:00:00Z".parse().expect("valid"),
            Minutes::new(0),
            Note::empty(),
            None,
        )
        .expect("valid");
        let twice = draft.clone().with_goals(vec![link(None, None), link(Some("Igen"), None)]).expect_err("twice");
        assert_eq!((twice.field.as_ref(), twice.code()), ("goals", "taken"));
        let linked = draft.with_goals(vec![link(Some("Ringede selv til butikken"), Some(5))]).expect("valid");
        let json = serde_json::to_string(&linked).expect("json");
        expect_test::expect![[r#"{"id":"00000000-0000-0000-0000-000000000001","citizen_id":"00000000-0000-0000-0000-000000000002","kind":"home_visit","started_at":"2026-11-23T09:00:00.000Z","ended_at":"2026-11-23T10:00:00.000Z","travel_minutes":0,"note":"","charged_to":null,"goals":[{"goal_id":"00000000-0000-0000-0000-000000000008","note":"Ringede selv til butikken","citizen_score":5}]}"#]]
        .assert_eq(&json);
        assert_eq!(serde_json::from_str::<VisitDraft>(&json).expect("back"), linked);
        // A score off the scale does not even parse.
        assert!(serde_json::from_str::<VisitDraft>(&json.replace(":5}", ":11}")).is_err());
    }

    #[test]
    fn a_joint_visit_names_its_colleagues_and_each_gets_a_share_of_their_own() {
        let colleague = UserId::from_uuid(Uuid::from_u128(9));
        let other = UserId::from_uuid(Uuid::from_u128(10));
        let joint =
            test_draft(VisitKind::HomeVisit, "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z", 15, "Fælles samtale")
                .with_co_workers(vec![colleague, other])
                .expect("two colleagues");
        let json = serde_json::to_string(&joint).expect("json");
        expect_test::expect![[r#"{"id":"00000000-0000-0000-0000-000000000001","citizen_id":"00000000-0000-0000-0000-000000000002","kind":"home_visit","started_at":"2026-11-23T09:00:00.000Z","ended_at":"2026-11-23T10:00:00.000Z","travel_minutes":15,"note":"Fælles samtale","charged_to":null,"co_workers":["00000000-0000-0000-0000-000000000009","00000000-0000-0000-0000-00000000000a"]}"#]]
        .assert_eq(&json);
        assert_eq!(serde_json::from_str::<VisitDraft>(&json).expect("back"), joint);
        // Named twice, or more than eight: refused at the field.
        let twice = joint.clone().with_co_workers(vec![colleague, colleague]).expect_err("twice");
        assert_eq!((twice.field.as_ref(), twice.code()), ("co_workers", "taken"));
        let many = (0..9u128).map(|i| UserId::from_uuid(Uuid::from_u128(100 + i))).collect();
        let many = joint.clone().with_co_workers(many).expect_err("nine");
        assert_eq!((many.field.as_ref(), many.code()), ("co_workers", "out_of_range"));

        // The share: the colleague's, the same hour, no travel of theirs,
        // pointing at the visit; its id the same every time, and another
        // colleague's another.
        let visit = joint
            .into_visit(UserId::from_uuid(Uuid::from_u128(3)), "2026-11-23T15:00:00Z".parse().expect("now"))
            .expect("visit");
        let share = visit.share_for(colleague, None);
        assert_eq!(share.id, Visit::share_id(visit.id, colleague));
        assert_ne!(share.id, Visit::share_id(visit.id, other));
        assert_ne!(share.id, visit.id);
        assert_eq!(
            (share.worker_id, share.joint_of, share.duration(), share.travel_minutes),
            (colleague, Some(visit.id), Minutes::new(60), Minutes::ZERO)
        );
        assert!(share.co_workers.is_empty());
        let json = serde_json::to_string(&share).expect("json");
        expect_test::expect![[r#"{"id":"0e54dd6b-c875-529c-b84e-523bcf7e514c","citizen_id":"00000000-0000-0000-0000-000000000002","worker_id":"00000000-0000-0000-0000-000000000009","kind":"home_visit","started_at":"2026-11-23T09:00:00.000Z","ended_at":"2026-11-23T10:00:00.000Z","travel_minutes":0,"note":"Fælles samtale","charged_to":null,"status":"submitted","row_version":0,"correction":null,"corrected_by":null,"joint_of":"00000000-0000-0000-0000-000000000001"}"#]].assert_eq(&json);
        assert_eq!(serde_json::from_str::<Visit>(&json).expect("back"), share);
    }

    #[test]
    fn a_no_show_asks_for_a_call_until_the_next_contact() {
        let worker = UserId::from_uuid(Uuid::from_u128(3));
        let colleague = UserId::from_uuid(Uuid::from_u128(4));
        let (a, b) = (CitizenId::from_uuid(Uuid::from_u128(10)), CitizenId::from_uuid(Uuid::from_u128(11)));
        let visit = |n: u128, citizen, by, kind, day: &str| {
            let start: Timestamp = format!("{day}T09:00:00Z").parse().expect("valid");
            let draft = VisitDraft::new(
                VisitId::from_uuid(Uuid::from_u128(n)),
                citizen,
                kind,
                start,
                start.add_minutes(if kind == VisitKind::NoShow { 0 } else { 30 }),
                Minutes::ZERO,
                Note::empty(),
                None,
            )
            .expect("valid");
            Visit::restore(draft, by, VisitStatus::Submitted, 1)
        };
        let today: crate::Date = "2026-12-03".parse().expect("date");
        let shown = visit(1, a, worker, VisitKind::HomeVisit, "2026-11-20");
        let missed = visit(2, a, worker, VisitKind::NoShow, "2026-11-27");
        let missed_b = visit(3, b, worker, VisitKind::NoShow, "2026-11-30");
        let theirs = visit(4, a, colleague, VisitKind::HomeVisit, "2026-12-01");
        let due = calls_due(&[&shown, &missed, &missed_b, &theirs], worker, today);
        assert_eq!(due, [(a, "2026-11-27".parse().expect("d")), (b, "2026-11-30".parse().expect("d"))]);
        // A call after it (by the worker) takes the citizen off.
        let call = visit(5, a, worker, VisitKind::PhoneVideo, "2026-11-28");
        assert_eq!(calls_due(&[&missed, &call, &missed_b], worker, today).len(), 1);
        // A no-show more than two weeks ago is no longer asked about.
        let old = visit(6, a, worker, VisitKind::NoShow, "2026-11-18");
        assert!(calls_due(&[&old], worker, today).is_empty());
        assert_eq!(calls_due(&[&visit(7, a, worker, VisitKind::NoShow, "2026-11-19")], worker, today).len(), 1);
        // Another worker's no-show is theirs to follow up.
        assert!(calls_due(&[&missed], colleague, today).is_empty());
    }

    #[test]
    fn visit_json() {
        let v = Visit {
            id: VisitId::from_uuid(Uuid::from_u128(1)),
            citizen_id: CitizenId::from_uuid(Uuid::from_u128(2)),
            worker_id: UserId::from_uuid(Uuid::from_u128(3)),
            kind: VisitKind::NoShow,
            started_at: "2026-11-23T09:00:00Z".parse().expect("valid"),
            ended_at: "2026-11-23T09:20:00Z".parse().expect("valid"),
            travel_minutes: Minutes::new(25),
            note: Note::try_from("Ingen åbnede").expect("valid"),
            charged_to: Some(ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(4)))),
            status: VisitStatus::Submitted,
            row_version: 7,
            correction: Some(Correction {
                minutes: Minutes::new(10),
                reason: Note::try_from("Kun ved døren").expect("valid"),
            }),
            corrected_by: Some(UserId::from_uuid(Uuid::from_u128(5))),
            goals: Vec::new(),
            co_workers: Vec::new(),
            joint_of: None,
            meeting_of: None,
        };
        let text = serde_json::to_string_pretty(&v).expect("serialise");
        expect_test::expect![[r#"
            {
              "id": "00000000-0000-0000-0000-000000000001",
              "citizen_id": "00000000-0000-0000-0000-000000000002",
              "worker_id": "00000000-0000-0000-0000-000000000003",
              "kind": "no_show",
              "started_at": "2026-11-23T09:00:00.000Z",
              "ended_at": "2026-11-23T09:20:00.000Z",
              "travel_minutes": 25,
              "note": "Ingen åbnede",
              "charged_to": {
                "type": "grant",
                "id": "00000000-0000-0000-0000-000000000004"
              },
              "status": "submitted",
              "row_version": 7,
              "correction": {
                "minutes": 10,
                "reason": "Kun ved døren"
              },
              "corrected_by": "00000000-0000-0000-0000-000000000005"
            }"#]]
        .assert_eq(&text);
        assert_eq!(serde_json::from_str::<Visit>(&text).expect("parse"), v);
        // A row stored before corrections existed still reads.
        let old = text.replace(",\n  \"correction\": {\n    \"minutes\": 10,\n    \"reason\": \"Kun ved døren\"\n  },\n  \"corrected_by\": \"00000000-0000-0000-0000-000000000005\"", "");
        assert!(!old.contains("correction"), "{old}");
        let read = serde_json::from_str::<Visit>(&old).expect("an old row parses");
        assert_eq!((read.correction, read.corrected_by), (None, None));
    }
}

/// A draft of visit 1 to citizen 2 with no charge, for the tests of the
/// modules that merge and compare visits. `start`, `end`: RFC 3339.
#[cfg(test)]
pub(crate) fn test_draft(kind: VisitKind, start: &str, end: &str, travel: u32, note: &str) -> VisitDraft {
    use uuid::Uuid;
    let ts = |s: &str| s.parse::<Timestamp>().expect("valid timestamp");
    VisitDraft::new(
        VisitId::from_uuid(Uuid::from_u128(1)),
        CitizenId::from_uuid(Uuid::from_u128(2)),
        kind,
        ts(start),
        ts(end),
        Minutes::new(travel),
        Note::try_from(note).expect("valid"),
        None,
    )
    .expect("valid draft")
}
