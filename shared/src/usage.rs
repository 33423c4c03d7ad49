//! Delivered against granted: the arithmetic the phone and the server share,
//! so both show the same numbers from the same rows.
//!
//! A visit counts against what it is charged to with its counted minutes
//! (the lead's correction, or its duration); travel is the worker's time,
//! not the citizen's support, and is not counted against a grant or a pool.
//! Drafts do not count. Every figure is whole minutes; balances that can go
//! below zero (a pool overdrawn by visits logged offline) are `i64` minutes.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::area::AreaKind;
use crate::drawing_right::{DrawingRight, Rollover};
use crate::error::{Problem, ValidationError};
use crate::grant::{AllowanceUnit, Grant};
use crate::id::{CitizenId, UserId, VisitId};
use crate::minutes::Minutes;
use crate::time::{Date, IsoWeek, Month, Period, Timestamp};
use crate::visit::{ChargeTo, Visit, VisitKind, VisitStatus};

/// What the usage arithmetic reads of a visit: a whole [`Visit`] on the
/// phone, a [`UsageRow`] (no note) on the server.
pub trait Delivered {
    /// The visit's id.
    fn visit_id(&self) -> VisitId;
    /// The citizen the visit was for.
    fn citizen_id(&self) -> CitizenId;
    /// The worker or mentor who logged it.
    fn worker_id(&self) -> UserId;
    /// What kind of visit it was.
    fn kind(&self) -> VisitKind;
    /// When it began: the instant that places it in a day and a period.
    fn started_at(&self) -> Timestamp;
    /// What it is charged to (`None`: unattributed).
    fn charged_to(&self) -> Option<ChargeTo>;
    /// The lead's corrected minutes, else the visit's duration.
    fn counted_minutes(&self) -> Minutes;
    /// Travel minutes (the worker's load only, never a grant's or pool's).
    fn travel_minutes(&self) -> Minutes;
    /// Submitted or approved (drafts do not count).
    fn counts(&self) -> bool;
}

impl Delivered for Visit {
    fn visit_id(&self) -> VisitId {
        self.id
    }
    fn citizen_id(&self) -> CitizenId {
        self.citizen_id
    }
    fn worker_id(&self) -> UserId {
        self.worker_id
    }
    fn kind(&self) -> VisitKind {
        self.kind
    }
    fn started_at(&self) -> Timestamp {
        Visit::started_at(self)
    }
    fn charged_to(&self) -> Option<ChargeTo> {
        self.charged_to
    }
    fn counted_minutes(&self) -> Minutes {
        Visit::counted_minutes(self)
    }
    fn travel_minutes(&self) -> Minutes {
        self.travel_minutes
    }
    fn counts(&self) -> bool {
        self.status != VisitStatus::Draft
    }
}

/// The columns of a visit that usage needs, as the server reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageRow {
    pub id: VisitId,
    pub citizen_id: CitizenId,
    pub worker_id: UserId,
    pub kind: VisitKind,
    pub started_at: Timestamp,
    pub charged_to: Option<ChargeTo>,
    /// The minutes the visit counts for: the lead's correction, else its
    /// duration.
    pub counted: Minutes,
    /// Travel minutes.
    pub travel: Minutes,
    pub status: VisitStatus,
}

impl Delivered for UsageRow {
    fn visit_id(&self) -> VisitId {
        self.id
    }
    fn citizen_id(&self) -> CitizenId {
        self.citizen_id
    }
    fn worker_id(&self) -> UserId {
        self.worker_id
    }
    fn kind(&self) -> VisitKind {
        self.kind
    }
    fn started_at(&self) -> Timestamp {
        self.started_at
    }
    fn charged_to(&self) -> Option<ChargeTo> {
        self.charged_to
    }
    fn counted_minutes(&self) -> Minutes {
        self.counted
    }
    fn travel_minutes(&self) -> Minutes {
        self.travel
    }
    fn counts(&self) -> bool {
        self.status != VisitStatus::Draft
    }
}

/// How close a grant or a pool is to its limit: alerts at 80 % and 100 %.
/// JSON: `"ok"`, `"warning"`, `"exhausted"`; ordered by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Under 80 % used.
    Ok,
    /// 80 % or more used.
    Warning,
    /// All used, or more.
    Exhausted,
}

impl Level {
    /// The level of `used` out of `available` minutes: `Exhausted` when
    /// `used >= available` or nothing is available (`available <= 0`),
    /// `Warning` from 80 %, else `Ok`.
    pub fn of(used: i64, available: i64) -> Level {
        if available <= 0 || used >= available {
            Level::Exhausted
        } else if used * 100 >= available * 80 {
            Level::Warning
        } else {
            Level::Ok
        }
    }
}

/// One grant's figures for a span of days. JSON: `{"first_day":
/// "2026-10-01", "last_day": "2026-10-31", "granted": 664, "delivered":
/// 540}` (minutes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantUsage {
    /// First and last day counted (Copenhagen time).
    pub first_day: Date,
    /// The span's last day (inclusive).
    pub last_day: Date,
    /// Minutes the grant allows over the span.
    pub granted: Minutes,
    /// Counted minutes of the visits charged to it in the span (travel
    /// excluded; drafts do not count).
    pub delivered: Minutes,
}

impl GrantUsage {
    /// Granted minutes not yet delivered (zero when over).
    pub fn remaining(&self) -> Minutes {
        self.granted.saturating_sub(self.delivered)
    }

    /// Delivered beyond the grant.
    pub fn over(&self) -> Minutes {
        self.delivered.saturating_sub(self.granted)
    }

    /// Whole percent of the grant used (rounded down; can pass 100). With
    /// nothing granted, the delivered minutes times 100.
    pub fn percent_used(&self) -> u32 {
        let granted = u64::from(self.granted.get()).max(1);
        (u64::from(self.delivered.get()) * 100 / granted) as u32
    }

    /// [`Level::of`] delivered out of granted (`Exhausted` when nothing is
    /// granted).
    pub fn level(&self) -> Level {
        Level::of(self.delivered.get().into(), self.granted.get().into())
    }
}

/// `grant`'s usage in its period (week or month) containing `day`, from the
/// visits charged to `charge` — the grant itself, or the pool it is drawn
/// on (see [`crate::charge::charge_options`]).
///
/// `granted` is the whole allowance, whether or not the grant is valid on
/// every day of that period (compare [`grant_usage_between`]); `delivered`
/// counts the citizen's visits started in the period (Copenhagen days).
pub fn grant_usage<'a, V: Delivered + 'a>(
    grant: &Grant,
    charge: ChargeTo,
    visits: impl IntoIterator<Item = &'a V>,
    day: Date,
) -> GrantUsage {
    let (first, last) = match grant.allowance.per() {
        AllowanceUnit::Week => days(IsoWeek::containing(day)),
        AllowanceUnit::Month => days(Month::containing(day)),
    };
    GrantUsage {
        first_day: first,
        last_day: last,
        granted: grant.allowance.minutes(),
        delivered: delivered_between(grant, charge, visits, first, last),
    }
}

/// `grant`'s usage over the days `first..=last` (a report's month): the
/// allowance is prorated by day over the weeks or months the span touches
/// and limited to the days the grant is valid.
pub fn grant_usage_between<'a, V: Delivered + 'a>(
    grant: &Grant,
    charge: ChargeTo,
    visits: impl IntoIterator<Item = &'a V>,
    first: Date,
    last: Date,
) -> GrantUsage {
    GrantUsage {
        first_day: first,
        last_day: last,
        granted: granted_between(grant, first, last),
        delivered: delivered_between(grant, charge, visits, first, last),
    }
}

fn delivered_between<'a, V: Delivered + 'a>(
    grant: &Grant,
    charge: ChargeTo,
    visits: impl IntoIterator<Item = &'a V>,
    first: Date,
    last: Date,
) -> Minutes {
    let (start, end) = (first.start(), last.add_days(1).start());
    visits
        .into_iter()
        .filter(|v| {
            v.citizen_id() == grant.citizen_id
                && v.charged_to() == Some(charge)
                && v.counts()
                && start <= v.started_at()
                && v.started_at() < end
        })
        .fold(Minutes::ZERO, |sum, v| sum + v.counted_minutes())
}

/// The minutes `grant` allows over the days `first..=last`: for each week
/// (or month) the span touches, the allowance times the share of that
/// period's days that are both in the span and in the grant's validity,
/// rounded down to whole minutes. A whole period gives the whole allowance.
pub fn granted_between(grant: &Grant, first: Date, last: Date) -> Minutes {
    let from = first.max(grant.period.from());
    let to = grant.period.to().map_or(last, |t| t.min(last));
    if to < from {
        return Minutes::ZERO;
    }
    let per = u64::from(grant.allowance.minutes().get());
    let mut total = 0u64;
    let mut day = from;
    while day <= to {
        let (p_first, p_last) = match grant.allowance.per() {
            AllowanceUnit::Week => days(IsoWeek::containing(day)),
            AllowanceUnit::Month => days(Month::containing(day)),
        };
        let span_last = p_last.min(to);
        let covered = (span_last.to_days() - day.to_days() + 1) as u64;
        let length = (p_last.to_days() - p_first.to_days() + 1) as u64;
        total += per * covered / length;
        day = p_last.add_days(1);
    }
    Minutes::new(total.min(u64::from(u32::MAX)) as u32)
}

fn days<P: Period>(p: P) -> (Date, Date) {
    (p.first_day(), p.last_day())
}

/// Minutes spent on one citizen, or by one worker. JSON:
/// `{"id": ..., "minutes": 540}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share<Id> {
    pub id: Id,
    pub minutes: Minutes,
}

/// A drawing right's figures for the period containing a day, with the
/// balance carried in from earlier periods by its rollover rule. Minutes
/// throughout; JSON: `{"first_day": ..., "last_day": ..., "allowance": 6000,
/// "carried_in": -90, "used": 540, "by_citizen": [{"id": ..., "minutes":
/// 540}], "by_worker": [...], "forecast": 540, "overdrawn_by": [...]}`
/// (`overdrawn_by` holds visit ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolUsage {
    /// The period's first day (Copenhagen date).
    pub first_day: Date,
    /// The period's last day (inclusive).
    pub last_day: Date,
    /// This period's allowance (zero outside the pool's validity).
    pub allowance: Minutes,
    /// Minutes carried in from the period before (negative: an overrun
    /// taken from this period).
    pub carried_in: i64,
    /// Counted minutes of the period's visits charged to the pool.
    pub used: Minutes,
    /// Most used first.
    pub by_citizen: Vec<Share<CitizenId>>,
    /// Most used first.
    pub by_worker: Vec<Share<UserId>>,
    /// The minutes used by the period's end if the burn rate so far holds.
    pub forecast: Minutes,
    /// Visits logged after the pool was used up (accepted, and flagged).
    pub overdrawn_by: Vec<VisitId>,
}

impl PoolUsage {
    /// The allowance plus what was carried in.
    pub fn available(&self) -> i64 {
        i64::from(self.allowance.get()) + self.carried_in
    }

    /// What is left (negative when overdrawn).
    pub fn remaining(&self) -> i64 {
        self.available() - i64::from(self.used.get())
    }

    /// Whole percent used, or `None` when nothing is available.
    pub fn percent_used(&self) -> Option<u32> {
        let available = self.available();
        (available > 0).then(|| (i64::from(self.used.get()) * 100 / available) as u32)
    }

    /// [`Level::of`] used out of available.
    pub fn level(&self) -> Level {
        Level::of(self.used.get().into(), self.available())
    }

    /// The level the forecast reaches at the period's end.
    pub fn forecast_level(&self) -> Level {
        Level::of(self.forecast.get().into(), self.available())
    }
}

/// `pool`'s usage in its period (week, month, quarter or year) containing
/// `day`, as of `now`. Earlier periods since the pool began are replayed
/// with its rollover rule: `Expire` carries nothing, `RollOver` carries the
/// balance either way, `CarryOverruns` carries only an overrun.
///
/// Counts only submitted or approved visits charged to the pool, by their
/// start's Copenhagen date; visits before the pool's first period are
/// ignored. `now` only feeds the forecast.
pub fn pool_usage<'a, V: Delivered + 'a>(
    pool: &DrawingRight,
    visits: impl IntoIterator<Item = &'a V>,
    day: Date,
    now: Timestamp,
) -> PoolUsage {
    let kind = pool.period_kind;
    let (first, next) = kind.span(day);
    let (origin, _) = kind.span(pool.valid.from());
    let charge = ChargeTo::DrawingRight(pool.id);
    let allowance_of = |p_first: Date, p_next: Date| {
        let valid = p_next > pool.valid.from() && pool.valid.to().is_none_or(|to| p_first <= to);
        if valid { pool.minutes_per_period } else { Minutes::ZERO }
    };

    // Sum earlier periods by their first day; keep this period's visits.
    let (origin_start, start, end) = (origin.start(), first.start(), next.start());
    let mut earlier: BTreeMap<Date, i64> = BTreeMap::new();
    let mut current: Vec<&V> = Vec::new();
    for v in visits {
        if !v.counts() || v.charged_to() != Some(charge) {
            continue;
        }
        let t = v.started_at();
        if start <= t && t < end {
            current.push(v);
        } else if origin_start <= t && t < start {
            *earlier.entry(kind.span(t.local_date()).0).or_default() += i64::from(v.counted_minutes().get());
        }
    }
    let mut carried_in = 0i64;
    let mut p = origin;
    while p < first {
        let (p_first, p_next) = kind.span(p);
        let balance =
            i64::from(allowance_of(p_first, p_next).get()) + carried_in - earlier.get(&p_first).copied().unwrap_or(0);
        carried_in = match pool.rollover {
            Rollover::Expire => 0,
            Rollover::RollOver => balance,
            Rollover::CarryOverruns => balance.min(0),
        };
        p = p_next;
    }

    current.sort_by_key(|v| (v.started_at(), v.visit_id()));
    let allowance = allowance_of(first, next);
    let available = i64::from(allowance.get()) + carried_in;
    let mut used = 0i64;
    let mut overdrawn_by = Vec::new();
    let mut by_citizen: HashMap<CitizenId, Minutes> = HashMap::new();
    let mut by_worker: HashMap<UserId, Minutes> = HashMap::new();
    for v in &current {
        let m = v.counted_minutes();
        used += i64::from(m.get());
        if used > available && m.get() > 0 {
            overdrawn_by.push(v.visit_id());
        }
        *by_citizen.entry(v.citizen_id()).or_default() += m;
        *by_worker.entry(v.worker_id()).or_default() += m;
    }
    let used = Minutes::new(used.clamp(0, i64::from(u32::MAX)) as u32);
    PoolUsage {
        first_day: first,
        last_day: next.add_days(-1),
        allowance,
        carried_in,
        used,
        by_citizen: ranked(by_citizen),
        by_worker: ranked(by_worker),
        forecast: forecast(used, start, end, now),
        overdrawn_by,
    }
}

/// The minutes used by `end` if the rate of `used` since `start` holds.
fn forecast(used: Minutes, start: Timestamp, end: Timestamp, now: Timestamp) -> Minutes {
    if now <= start || now >= end {
        return used;
    }
    let elapsed = i128::from(now.as_millis() - start.as_millis());
    let whole = i128::from(end.as_millis() - start.as_millis());
    let projected = i128::from(used.get()) * whole / elapsed;
    Minutes::new(projected.min(i128::from(u32::MAX)) as u32)
}

fn ranked<Id: Ord + Copy>(map: HashMap<Id, Minutes>) -> Vec<Share<Id>> {
    let mut out: Vec<Share<Id>> = map.into_iter().map(|(id, minutes)| Share { id, minutes }).collect();
    out.sort_by(|a, b| b.minutes.cmp(&a.minutes).then(a.id.cmp(&b.id)));
    out
}

/// Cumulative minutes used by the end of each day from `first` to `last`
/// (the pool burn-down's line): one entry per Copenhagen day, counted
/// minutes of the submitted or approved visits charged to `charge`; empty
/// when `last` is before `first`.
pub fn daily_cumulative<'a, V: Delivered + 'a>(
    charge: ChargeTo,
    visits: impl IntoIterator<Item = &'a V>,
    first: Date,
    last: Date,
) -> Vec<Minutes> {
    let n = (last.to_days() - first.to_days() + 1).max(0) as usize;
    let mut per_day = vec![0u32; n];
    for v in visits {
        if !v.counts() || v.charged_to() != Some(charge) {
            continue;
        }
        let i = v.started_at().local_date().to_days() - first.to_days();
        if (0..n as i64).contains(&i) {
            per_day[i as usize] = per_day[i as usize].saturating_add(v.counted_minutes().get());
        }
    }
    let mut sum = 0u32;
    per_day
        .into_iter()
        .map(|m| {
            sum = sum.saturating_add(m);
            Minutes::new(sum)
        })
        .collect()
}

/// One worker's month: hours, face-to-face share (ATA, seed 000) and
/// no-shows. Minutes throughout; JSON: `{"worker_id": ..., "visits": 12,
/// "no_shows": 1, "face_to_face": 480, "other": 60, "travel": 120}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerLoad {
    pub worker_id: UserId,
    /// Visits counted (submitted or approved), no-shows included.
    pub visits: u32,
    /// Of those, no-shows.
    pub no_shows: u32,
    /// Home visits, escorts and meetings: time with the citizen.
    pub face_to_face: Minutes,
    /// Phone/video and no-shows.
    pub other: Minutes,
    /// Travel minutes of those visits.
    pub travel: Minutes,
}

impl WorkerLoad {
    /// All the time the worker logged: visits and travel.
    pub fn total(&self) -> Minutes {
        self.face_to_face + self.other + self.travel
    }

    /// The total in hours as shown beside its parts: the sum of the three
    /// parts' shown hours (issue 12, kind 8), wherever the total is shown.
    pub fn shown_total(&self) -> crate::minutes::ShownHours {
        crate::minutes::ShownHours::total([self.face_to_face, self.other, self.travel])
    }

    /// Face-to-face minutes per thousand logged minutes (visit + travel),
    /// rounded down; `None` when nothing is logged.
    pub fn ata_permille(&self) -> Option<u32> {
        let total = u64::from(self.total().get());
        (total > 0).then(|| (u64::from(self.face_to_face.get()) * 1000 / total) as u32)
    }

    /// No-shows per thousand visits, rounded down; `None` with no visits.
    pub fn no_show_permille(&self) -> Option<u32> {
        (self.visits > 0).then(|| (u64::from(self.no_shows) * 1000 / u64::from(self.visits)) as u32)
    }
}

/// Each worker's load from the visits started in `[start, end)`, by worker id.
/// Drafts do not count; a worker with no counted visit has no entry.
pub fn worker_loads<'a, V: Delivered + 'a>(
    visits: impl IntoIterator<Item = &'a V>,
    start: Timestamp,
    end: Timestamp,
) -> Vec<WorkerLoad> {
    let mut map: BTreeMap<UserId, WorkerLoad> = BTreeMap::new();
    for v in visits {
        if !v.counts() || v.started_at() < start || v.started_at() >= end {
            continue;
        }
        let w = map.entry(v.worker_id()).or_insert(WorkerLoad {
            worker_id: v.worker_id(),
            visits: 0,
            no_shows: 0,
            face_to_face: Minutes::ZERO,
            other: Minutes::ZERO,
            travel: Minutes::ZERO,
        });
        w.visits += 1;
        w.travel += v.travel_minutes();
        if v.kind() == VisitKind::NoShow {
            w.no_shows += 1;
        }
        if v.kind().is_face_to_face() {
            w.face_to_face += v.counted_minutes();
        } else {
            w.other += v.counted_minutes();
        }
    }
    map.into_values().collect()
}

/// Cases per coordinating case worker, by the area they work in (DOMAIN.md,
/// seed 002: STAR recommends 35 in employment, the social workers' union
/// about 60 in the social and health area, 20–30 in the family department).
/// JSON: `{"employment": 35, "social": 60, "children_youth": 30}` (the
/// default); deserialising checks it as [`CaseloadNorms::new`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CaseloadNormsWire")]
pub struct CaseloadNorms {
    /// Cases per case worker in the employment area.
    pub employment: u32,
    /// Cases per case worker in the social area.
    pub social: u32,
    /// Cases per case worker in children and youth.
    pub children_youth: u32,
}

#[derive(Deserialize)]
struct CaseloadNormsWire {
    employment: u32,
    social: u32,
    children_youth: u32,
}

impl TryFrom<CaseloadNormsWire> for CaseloadNorms {
    type Error = ValidationError;

    fn try_from(w: CaseloadNormsWire) -> Result<Self, ValidationError> {
        CaseloadNorms::new(w.employment, w.social, w.children_youth)
    }
}

impl Default for CaseloadNorms {
    fn default() -> Self {
        CaseloadNorms { employment: 35, social: 60, children_youth: 30 }
    }
}

impl CaseloadNorms {
    /// The most cases a norm may be.
    pub const MAX: u32 = 500;

    /// Norms of 1 to [`CaseloadNorms::MAX`] cases each.
    ///
    /// Errors: `employment`, `social` or `children_youth` (the first that
    /// fails) `Problem::OutOfRange { min: 1, max: 500 }`.
    pub fn new(employment: u32, social: u32, children_youth: u32) -> Result<CaseloadNorms, ValidationError> {
        for (field, n) in [("employment", employment), ("social", social), ("children_youth", children_youth)] {
            if n == 0 || n > Self::MAX {
                return Err(ValidationError::new(field, Problem::OutOfRange { min: 1, max: Self::MAX.into() }));
            }
        }
        Ok(CaseloadNorms { employment, social, children_youth })
    }

    /// The norm for an area of `kind`: the health area shares the social
    /// norm (the union's figure is for "the social and health area").
    pub fn for_area(&self, kind: AreaKind) -> u32 {
        match kind {
            AreaKind::Employment => self.employment,
            AreaKind::Social | AreaKind::Health => self.social,
            AreaKind::ChildrenYouth => self.children_youth,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drawing_right::Rollover;
    use crate::grant::{Allowance, Service};
    use crate::id::{AreaId, DrawingRightId, GrantId, TeamId};
    use crate::text::{LegalBasis, Note, OrgName};
    use crate::time::{DateRange, PeriodKind};
    use crate::visit::{Correction, VisitDraft};
    use uuid::Uuid;

    fn d(s: &str) -> Date {
        s.parse().expect("valid")
    }

    fn grant(per: AllowanceUnit, minutes: u32) -> Grant {
        grant_valid(per, minutes, "2026-01-01", None)
    }

    fn grant_valid(per: AllowanceUnit, minutes: u32, from: &str, to: Option<&str>) -> Grant {
        Grant {
            id: GrantId::from_uuid(Uuid::from_u128(1)),
            citizen_id: CitizenId::from_uuid(Uuid::from_u128(2)),
            service: Service::HousingSupport,
            legal_basis: LegalBasis::try_from("SEL § 85").expect("valid"),
            allowance: Allowance::new(Minutes::new(minutes), per).expect("valid"),
            period: DateRange::new(d(from), to.map(d)).expect("valid"),
            payer_area_id: AreaId::from_uuid(Uuid::from_u128(3)),
            offer_id: None,
        }
    }

    fn visit(n: u128, start: &str, minutes: i64, charge: ChargeTo) -> Visit {
        visit_by(n, 4, 2, VisitKind::HomeVisit, start, minutes, charge)
    }

    fn visit_by(
        n: u128,
        worker: u128,
        citizen: u128,
        kind: VisitKind,
        start: &str,
        minutes: i64,
        charge: ChargeTo,
    ) -> Visit {
        let start: Timestamp = start.parse().expect("valid");
        VisitDraft::new(
            VisitId::from_uuid(Uuid::from_u128(n)),
            CitizenId::from_uuid(Uuid::from_u128(citizen)),
            kind,
            start,
            start.add_minutes(minutes),
            Minutes::new(20),
            Note::try_from("").expect("valid"),
            Some(charge),
        )
        .expect("valid")
        .into_visit(UserId::from_uuid(Uuid::from_u128(worker)), "2030-01-01T00:00:00Z".parse().expect("valid"))
        .expect("valid")
    }

    #[test]
    fn a_week_counts_from_monday_midnight_copenhagen_time() {
        let g = grant(AllowanceUnit::Week, 180);
        let charge = ChargeTo::Grant(g.id);
        let other = ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(9)));
        let mut corrected = visit(5, "2026-11-25T09:00:00Z", 90, charge);
        corrected.correction =
            Some(Correction::new(Minutes::new(30), Note::try_from("kort").expect("valid")).expect("valid"));
        let mut draft = visit(6, "2026-11-25T12:00:00Z", 60, charge);
        draft.status = VisitStatus::Draft;
        let visits = [
            // Sunday 23:30 Copenhagen (22:30 UTC): the week before.
            visit(1, "2026-11-22T22:30:00Z", 60, charge),
            // Monday 00:30 Copenhagen (23:30 UTC Sunday): this week.
            visit(2, "2026-11-22T23:30:00Z", 60, charge),
            visit(3, "2026-11-24T09:00:00Z", 90, charge),
            // Charged elsewhere: not this grant's.
            visit(4, "2026-11-24T12:00:00Z", 45, other),
            corrected,
            draft,
        ];
        let u = grant_usage(&g, charge, &visits, d("2026-11-26"));
        assert_eq!((u.first_day.to_string(), u.last_day.to_string()), ("2026-11-23".into(), "2026-11-29".into()));
        assert_eq!(u.delivered, Minutes::new(60 + 90 + 30));
        assert_eq!((u.remaining(), u.over(), u.percent_used()), (Minutes::new(0), Minutes::new(0), 100));
        assert_eq!(u.level(), Level::Exhausted);
    }

    #[test]
    fn a_month_spans_the_summer_time_change_and_overdraw_shows() {
        let g = grant(AllowanceUnit::Month, 120);
        let charge = ChargeTo::Grant(g.id);
        let visits = [
            // 1 March 00:15 Copenhagen is 28 February 23:15 UTC.
            visit(1, "2026-02-28T23:15:00Z", 60, charge),
            // After the spring change (29 March).
            visit(2, "2026-03-30T08:00:00Z", 90, charge),
            // 1 April 00:30 summer time is 31 March 22:30 UTC: April.
            visit(3, "2026-03-31T22:30:00Z", 60, charge),
        ];
        let u = grant_usage(&g, charge, &visits, d("2026-03-15"));
        assert_eq!(u.delivered, Minutes::new(150));
        assert_eq!((u.remaining(), u.over(), u.percent_used()), (Minutes::new(0), Minutes::new(30), 125));
    }

    #[test]
    fn a_visit_across_the_autumn_change_lasts_the_real_time() {
        // 25 October 2026: 02:00–03:00 happens twice. 00:30 to 03:30 local
        // is four real hours (22:30 UTC to 02:30 UTC).
        let g = grant(AllowanceUnit::Week, 600);
        let charge = ChargeTo::Grant(g.id);
        let v = visit(1, "2026-10-24T22:30:00Z", 240, charge);
        assert_eq!(v.started_at().local_date(), d("2026-10-25"));
        let u = grant_usage(&g, charge, [&v], d("2026-10-25"));
        // Sunday 25 October belongs to ISO week 43 (19–25 October).
        assert_eq!((u.first_day, u.delivered), (d("2026-10-19"), Minutes::new(240)));
    }

    #[test]
    fn a_weekly_grant_is_prorated_over_a_month_and_its_validity() {
        let weekly = grant(AllowanceUnit::Week, 210);
        // November 2026: 1 Nov is a Sunday (1 day of week 44), then weeks 45–48
        // whole, and 30 Nov is the Monday of week 49 (1 day).
        assert_eq!(granted_between(&weekly, d("2026-11-01"), d("2026-11-30")), Minutes::new(30 + 4 * 210 + 30));
        // A whole ISO week gives exactly the allowance.
        assert_eq!(granted_between(&weekly, d("2026-11-23"), d("2026-11-29")), Minutes::new(210));
        // Across the year boundary: week 53 of 2026 runs 28 Dec – 3 Jan.
        assert_eq!(granted_between(&weekly, d("2026-12-28"), d("2027-01-03")), Minutes::new(210));
        assert_eq!(granted_between(&weekly, d("2027-01-01"), d("2027-01-31")), Minutes::new(90 + 4 * 210));
        // Valid only from 16 November: 16–29 is two whole weeks, plus the 30th.
        let late = grant_valid(AllowanceUnit::Week, 210, "2026-11-16", Some("2026-12-31"));
        assert_eq!(granted_between(&late, d("2026-11-01"), d("2026-11-30")), Minutes::new(2 * 210 + 30));
        // Ended before the span: nothing.
        let ended = grant_valid(AllowanceUnit::Week, 210, "2025-01-01", Some("2025-12-31"));
        assert_eq!(granted_between(&ended, d("2026-11-01"), d("2026-11-30")), Minutes::ZERO);
        // A monthly grant: whole months whole; half of a 30-day month is half.
        let monthly = grant(AllowanceUnit::Month, 600);
        assert_eq!(granted_between(&monthly, d("2026-11-01"), d("2026-11-30")), Minutes::new(600));
        assert_eq!(granted_between(&monthly, d("2026-11-16"), d("2026-11-30")), Minutes::new(300));
        assert_eq!(granted_between(&monthly, d("2026-01-01"), d("2026-12-31")), Minutes::new(7200));
        // February in a leap year: 29 days.
        assert_eq!(granted_between(&monthly, d("2028-02-01"), d("2028-02-29")), Minutes::new(600));
    }

    #[test]
    fn usage_between_counts_the_days_in_copenhagen_time() {
        let g = grant(AllowanceUnit::Month, 600);
        let charge = ChargeTo::Grant(g.id);
        let visits = [
            // 31 October 23:30 UTC is 1 November 00:30 in Copenhagen (winter time).
            visit(1, "2026-10-31T23:30:00Z", 60, charge),
            // 30 November 23:30 UTC is 1 December: not November's.
            visit(2, "2026-11-30T23:30:00Z", 60, charge),
        ];
        let u = grant_usage_between(&g, charge, &visits, d("2026-11-01"), d("2026-11-30"));
        assert_eq!((u.granted, u.delivered, u.percent_used()), (Minutes::new(600), Minutes::new(60), 10));
        assert_eq!(u.level(), Level::Ok);
    }

    #[test]
    fn levels_alert_at_80_and_100_percent() {
        assert_eq!(Level::of(79, 100), Level::Ok);
        assert_eq!(Level::of(80, 100), Level::Warning);
        assert_eq!(Level::of(99, 100), Level::Warning);
        assert_eq!(Level::of(100, 100), Level::Exhausted);
        assert_eq!(Level::of(0, 0), Level::Exhausted);
        assert_eq!(Level::of(10, -30), Level::Exhausted);
    }

    fn pool(kind: PeriodKind, minutes: u32, rollover: Rollover, from: &str) -> DrawingRight {
        DrawingRight {
            id: DrawingRightId::from_uuid(Uuid::from_u128(30)),
            name: OrgName::try_from("Trækningsret").expect("valid"),
            owner_area_id: AreaId::from_uuid(Uuid::from_u128(10)),
            provider_team_id: TeamId::from_uuid(Uuid::from_u128(20)),
            minutes_per_period: Minutes::new(minutes),
            period_kind: kind,
            rollover,
            valid: DateRange::new(d(from), None).expect("valid"),
        }
    }

    /// Three months of a 600-minute monthly pool: 500 used in January,
    /// 700 in February, 300 in March (by March 11th).
    fn three_months(rollover: Rollover) -> PoolUsage {
        let p = pool(PeriodKind::Month, 600, rollover, "2026-01-01");
        let c = ChargeTo::DrawingRight(p.id);
        let visits = [
            visit(1, "2026-01-10T09:00:00Z", 300, c),
            visit(2, "2026-01-20T09:00:00Z", 200, c),
            visit(3, "2026-02-03T09:00:00Z", 400, c),
            visit(4, "2026-02-25T09:00:00Z", 300, c),
            visit(5, "2026-03-02T09:00:00Z", 300, c),
            // Before the pool began: ignored.
            visit(6, "2025-12-20T09:00:00Z", 600, c),
        ];
        pool_usage(&p, &visits, d("2026-03-11"), "2026-03-11T00:00:00Z".parse().expect("valid"))
    }

    #[test]
    fn expire_carries_nothing() {
        let u = three_months(Rollover::Expire);
        assert_eq!((u.carried_in, u.available(), u.remaining()), (0, 600, 300));
        assert_eq!((u.first_day, u.last_day), (d("2026-03-01"), d("2026-03-31")));
    }

    #[test]
    fn roll_over_carries_the_balance_both_ways() {
        // January leaves +100, February 600 + 100 - 700 = 0.
        let u = three_months(Rollover::RollOver);
        assert_eq!((u.carried_in, u.available(), u.remaining()), (0, 600, 300));
        // A pool that underspends twice rolls both over.
        let p = pool(PeriodKind::Month, 600, Rollover::RollOver, "2026-01-01");
        let c = ChargeTo::DrawingRight(p.id);
        let visits = [visit(1, "2026-01-10T09:00:00Z", 100, c), visit(2, "2026-02-10T09:00:00Z", 900, c)];
        let u = pool_usage(&p, &visits, d("2026-03-05"), "2026-03-05T00:00:00Z".parse().expect("valid"));
        // January +500, February 600 + 500 - 900 = +200.
        assert_eq!((u.carried_in, u.available()), (200, 800));
        let visits = [visit(1, "2026-01-10T09:00:00Z", 900, c)];
        let u = pool_usage(&p, &visits, d("2026-03-05"), "2026-03-05T00:00:00Z".parse().expect("valid"));
        // January -300, February 600 - 300 = +300 carried into March.
        assert_eq!(u.carried_in, 300);
    }

    #[test]
    fn carry_overruns_carries_only_an_overrun() {
        // January +100 expires; February 600 - 700 = -100 is taken from March.
        let u = three_months(Rollover::CarryOverruns);
        assert_eq!((u.carried_in, u.available(), u.remaining()), (-100, 500, 200));
        assert_eq!(u.percent_used(), Some(60));
    }

    #[test]
    fn quarter_and_year_pools_replay_their_periods() {
        let p = pool(PeriodKind::Quarter, 1000, Rollover::RollOver, "2026-01-01");
        let c = ChargeTo::DrawingRight(p.id);
        let visits = [visit(1, "2026-02-10T09:00:00Z", 400, c), visit(2, "2026-05-10T09:00:00Z", 900, c)];
        let u = pool_usage(&p, &visits, d("2026-08-01"), "2026-08-01T12:00:00Z".parse().expect("valid"));
        // Q1 +600, Q2 1000 + 600 - 900 = +700.
        assert_eq!((u.first_day, u.last_day, u.carried_in), (d("2026-07-01"), d("2026-09-30"), 700));
        let y = pool(PeriodKind::Year, 6000, Rollover::CarryOverruns, "2025-03-01");
        let c = ChargeTo::DrawingRight(y.id);
        let visits = [visit(1, "2025-06-10T09:00:00Z", 900, c), visit(2, "2025-12-31T23:30:00Z", 60, c)];
        // 31 Dec 23:30 UTC is 1 January 2026, 00:30 in Copenhagen: this year's.
        let u = pool_usage(&y, &visits, d("2026-02-01"), "2026-02-01T00:00:00Z".parse().expect("valid"));
        assert_eq!((u.carried_in, u.used), (0, Minutes::new(60)));
    }

    #[test]
    fn an_offline_overdraw_is_accepted_and_flagged_with_a_forecast() {
        let p = pool(PeriodKind::Month, 300, Rollover::Expire, "2026-01-01");
        let c = ChargeTo::DrawingRight(p.id);
        let visits = [
            visit_by(1, 4, 2, VisitKind::HomeVisit, "2026-04-01T08:00:00Z", 200, c),
            visit_by(2, 5, 3, VisitKind::HomeVisit, "2026-04-02T08:00:00Z", 60, c),
            // Logged offline by a second worker; pushed after the pool ran out.
            visit_by(3, 5, 2, VisitKind::Escort, "2026-04-03T08:00:00Z", 90, c),
            visit_by(4, 4, 3, VisitKind::HomeVisit, "2026-04-04T08:00:00Z", 30, c),
        ];
        // 6 April 00:00 Copenhagen (summer time) = 5 days of 30 elapsed.
        let now: Timestamp = "2026-04-05T22:00:00Z".parse().expect("valid");
        let u = pool_usage(&p, &visits, d("2026-04-06"), now);
        assert_eq!((u.used, u.remaining(), u.level()), (Minutes::new(380), -80, Level::Exhausted));
        assert_eq!(
            u.overdrawn_by,
            vec![VisitId::from_uuid(Uuid::from_u128(3)), VisitId::from_uuid(Uuid::from_u128(4))]
        );
        // 380 minutes in 5 of 30 days (the month has 720 real hours).
        assert_eq!(u.forecast, Minutes::new(380 * 6));
        assert_eq!(u.forecast_level(), Level::Exhausted);
        let citizen = |n| CitizenId::from_uuid(Uuid::from_u128(n));
        assert_eq!(
            u.by_citizen,
            vec![
                Share { id: citizen(2), minutes: Minutes::new(290) },
                Share { id: citizen(3), minutes: Minutes::new(90) }
            ]
        );
        assert_eq!(u.by_worker[0], Share { id: UserId::from_uuid(Uuid::from_u128(4)), minutes: Minutes::new(230) });
        let line = daily_cumulative(c, &visits, d("2026-04-01"), d("2026-04-05"));
        assert_eq!(line.iter().map(|m| m.get()).collect::<Vec<_>>(), [200, 260, 350, 380, 380]);
    }

    #[test]
    fn a_pool_outside_its_validity_allows_nothing() {
        let mut p = pool(PeriodKind::Month, 300, Rollover::RollOver, "2026-01-01");
        p.valid = DateRange::new(d("2026-01-01"), Some(d("2026-02-28"))).expect("valid");
        let now: Timestamp = "2026-03-10T00:00:00Z".parse().expect("valid");
        let u = pool_usage(&p, &[] as &[Visit], d("2026-03-10"), now);
        // January and February carried 300 + 300, March itself allows nothing.
        assert_eq!((u.allowance, u.carried_in, u.available()), (Minutes::ZERO, 600, 600));
        let u = pool_usage(&p, &[] as &[Visit], d("2025-12-10"), now);
        assert_eq!((u.allowance, u.carried_in, u.level()), (Minutes::ZERO, 0, Level::Exhausted));
    }

    #[test]
    fn worker_load_has_ata_share_and_no_show_rate() {
        let c = ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(1)));
        let visits = [
            visit_by(1, 4, 2, VisitKind::HomeVisit, "2026-11-02T08:00:00Z", 60, c),
            visit_by(2, 4, 2, VisitKind::PhoneVideo, "2026-11-03T08:00:00Z", 20, c),
            visit_by(3, 4, 2, VisitKind::NoShow, "2026-11-04T08:00:00Z", 15, c),
            visit_by(4, 4, 2, VisitKind::Escort, "2026-11-05T08:00:00Z", 120, c),
            visit_by(5, 5, 2, VisitKind::Meeting, "2026-11-05T08:00:00Z", 45, c),
            // October: outside.
            visit_by(6, 4, 2, VisitKind::HomeVisit, "2026-10-31T08:00:00Z", 60, c),
        ];
        let loads = worker_loads(&visits, d("2026-11-01").start(), d("2026-12-01").start());
        assert_eq!(loads.len(), 2);
        let w = loads[0];
        assert_eq!(
            (w.visits, w.no_shows, w.face_to_face, w.other, w.travel),
            (4, 1, Minutes::new(180), Minutes::new(35), Minutes::new(80))
        );
        assert_eq!(w.total(), Minutes::new(295));
        assert_eq!((w.ata_permille(), w.no_show_permille()), (Some(610), Some(250)));
        assert_eq!(loads[1].ata_permille(), Some(1000 * 45 / 65));
    }

    #[test]
    fn caseload_norms_default_from_the_seeds_and_are_checked() {
        let n = CaseloadNorms::default();
        assert_eq!((n.for_area(AreaKind::Employment), n.for_area(AreaKind::Social)), (35, 60));
        let err = CaseloadNorms::new(0, 60, 30).expect_err("zero");
        assert_eq!((err.field.as_ref(), err.code()), ("employment", "out_of_range"));
        assert!(
            serde_json::from_str::<CaseloadNorms>(r#"{"employment":35,"social":60,"children_youth":501}"#).is_err()
        );
    }
}
