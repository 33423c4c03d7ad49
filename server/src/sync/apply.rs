//! Applies a push's mutations inside its transaction: read everything the
//! batch needs up front, decide each mutation in order against that state
//! as the earlier ones left it, write everything at the end.
//!
//! **The batch sees its own writes.** Each mutation is decided against the
//! server's state plus every earlier mutation of the same phone (applied
//! first, in this push or an earlier one), and its base is the record as
//! the phone showed it ([`VisitBase`]): so a phone's second edit never
//! conflicts with its first, an edit and then a delete both land, a timer
//! stopped and the next started in one push both land; only a change by
//! someone else can conflict. A record the server deleted is never brought
//! back by an edit (its tombstone in the change stream says it existed).
//!
//! A domain refusal is a [`Rejection`], which the caller records; any other
//! failure aborts the whole push, which the phone then retries.
//!
//! **Invariants:** every check of a mutation comes before it changes the
//! batch's state, so a rejected mutation has changed nothing; and every row
//! written was checked (its citizen assigned, its charge existing), so the
//! final write cannot trip a constraint and fail the good mutations with
//! the bad.

use std::collections::{HashMap, HashSet};

use shared::charge::{charge_for, charge_options, check_charge};
use shared::drawing_right::DrawingRight;
use shared::grant::Grant;
use shared::meeting::MeetingDraft;
use shared::notice::DecisionNotice;
use shared::sync::{MutationBody, VisitBase, merge_visit};
use shared::time::{DateRange, Month, Period};
use shared::timer::Timer;
use shared::user::Role;
use shared::visit::{ChargeTo, Correction, Visit, VisitDraft, VisitStatus};
use shared::{
    CitizenId, ClientId, Date, MeetingId, NoticeId, Problem, TeamId, TimerId, Timestamp, UserId, ValidationError,
    VisitId,
};

use crate::db;
use crate::db::Conn;
use crate::db::changes::Stamper;

pub use super::rejection::{ApplyError, Rejection};

/// One push's mutations: what they read, and what they will write.
pub struct Batch {
    user: UserId,
    client: ClientId,
    now: Timestamp,
    stamper: Stamper,
    /// Where the user may log a visit and what it may be charged to.
    me: WorkerRules,
    /// Every grant of the citizens the batch names: with a worker's teams
    /// and pools, what a visit may be charged to
    /// (`shared::charge::check_charge`).
    grants: Vec<Grant>,
    /// The workers whose visits this user may correct (as their lead).
    led: HashSet<UserId>,
    /// Visits as the batch has left them so far (`None`: no such visit).
    visits: HashMap<VisitId, Option<Visit>>,
    /// Visits of the batch that existed and were deleted (a tombstone in
    /// the change stream, or a delete earlier in this batch).
    deleted: HashSet<VisitId>,
    /// Visits to write at the end, in first-touched order.
    touched: Vec<VisitId>,
    /// The citizen of each visit deleted, for its tombstone's scope.
    deleted_from: HashMap<VisitId, CitizenId>,
    /// Timers the batch names, and the user's running one, as the batch
    /// has left them so far.
    timers: HashMap<TimerId, Option<Timer>>,
    timers_touched: Vec<TimerId>,
    conflicts: Vec<db::visits::NewConflict>,
    /// The plan mutations' rows (issue 15).
    plan: super::plan::PlanBatch,
    /// The decision notices the batch names, as it has left them (issue 16).
    notices: HashMap<NoticeId, DecisionNotice>,
    /// The notices read by this batch, in first-read order.
    notices_read: Vec<NoticeId>,
    /// The colleagues named on the batch's joint visits and the staff
    /// present at its meetings (issue 16), with what their shares and
    /// meeting visits are checked and charged by.
    colleagues: HashMap<UserId, WorkerRules>,
}

/// The visits the bodies save or delete, each with the colleagues a save
/// names (a joint visit, issue 16; a delete names none): for the push's
/// locks and the batch's shares. The colleagues stored on the visits are
/// the database's (`db::visits::co_workers_of`, the batch's rows).
pub fn visits_written<'a>(bodies: &[&'a MutationBody]) -> Vec<(VisitId, &'a [UserId])> {
    bodies
        .iter()
        .filter_map(|b| match b {
            MutationBody::VisitSave { visit, .. } => Some((visit.id, visit.co_workers())),
            MutationBody::VisitDelete { visit_id, .. } => Some((*visit_id, &[][..])),
            _ => None,
        })
        .collect()
}

/// The meetings the bodies save, each with the staff the save names as
/// present: their meeting visits may change (issue 16), so the push locks
/// them with the staff the stored meeting names
/// (`db::meetings::present_of`).
pub fn meetings_written<'a>(bodies: &[&'a MutationBody]) -> Vec<(MeetingId, &'a [UserId])> {
    bodies
        .iter()
        .filter_map(|b| match b {
            MutationBody::MeetingSave { meeting, .. } => Some((meeting.id, meeting.present.as_slice())),
            _ => None,
        })
        .collect()
}

/// Where a worker (the user, or a colleague of a joint visit) may log a
/// visit and what it may be charged to.
#[derive(Default)]
struct WorkerRules {
    /// Assignment periods per citizen the batch names.
    assignments: HashMap<CitizenId, Vec<DateRange>>,
    /// The worker's teams, and the drawing rights they deliver on.
    teams: Vec<TeamId>,
    pools: Vec<DrawingRight>,
    /// Approved months of the worker's teams: no visit of theirs in them
    /// changes.
    locked_months: HashSet<Month>,
}

impl WorkerRules {
    /// `worker`'s rules for `citizens`; the teams, pools and approved
    /// months only when the batch writes visits (`visit_writes`).
    async fn load(
        conn: &mut Conn,
        worker: UserId,
        citizens: &[CitizenId],
        visit_writes: bool,
    ) -> anyhow::Result<WorkerRules> {
        let mut rules = WorkerRules::default();
        for (citizen, period) in db::citizens::assignment_periods(conn, worker, citizens).await? {
            rules.assignments.entry(citizen).or_default().push(period);
        }
        if visit_writes {
            rules.teams = db::org::team_ids(conn, worker).await?;
            rules.pools = db::citizens::drawing_rights_delivered_by(conn, &rules.teams).await?;
            rules.locked_months = db::reports::locked_months_of(conn, worker).await?.into_iter().collect();
        }
        Ok(rules)
    }

    /// Whether the worker is assigned to `citizen` on `date`.
    fn assigned(&self, citizen: CitizenId, date: Date) -> bool {
        self.assignments.get(&citizen).is_some_and(|periods| periods.iter().any(|p| p.contains(date)))
    }
}

impl Batch {
    /// Reads, in a handful of queries, every row the mutations can need.
    pub async fn load(
        conn: &mut Conn,
        user: UserId,
        client: ClientId,
        now: Timestamp,
        bodies: &[&MutationBody],
    ) -> anyhow::Result<Batch> {
        let mut visit_ids = Vec::new();
        let mut timer_ids = Vec::new();
        let mut citizens = HashSet::new();
        let mut notice_ids = Vec::new();
        let mut corrects = false;
        let mut visit_writes = false;
        for body in bodies {
            match body {
                MutationBody::VisitSave { visit, base } => {
                    visit_writes = true;
                    visit_ids.push(visit.id);
                    citizens.insert(visit.citizen_id);
                    if let Some(base) = base {
                        citizens.insert(base.fields.citizen_id);
                    }
                }
                MutationBody::VisitDelete { visit_id, .. } => {
                    visit_writes = true;
                    visit_ids.push(*visit_id);
                }
                MutationBody::VisitCorrect { visit_id, .. } => {
                    visit_ids.push(*visit_id);
                    corrects = true;
                }
                MutationBody::TimerStart { timer_id, citizen_id, .. } => {
                    timer_ids.push(*timer_id);
                    citizens.insert(*citizen_id);
                }
                MutationBody::TimerStop { timer_id, .. } => timer_ids.push(*timer_id),
                MutationBody::NoticeRead { notice_id, .. } => notice_ids.push(*notice_id),
                MutationBody::PlanSave { .. }
                | MutationBody::GoalSave { .. }
                | MutationBody::ActionSave { .. }
                | MutationBody::FollowUpAdd { .. }
                | MutationBody::PlanRevisionAdd { .. }
                | MutationBody::MeetingSave { .. }
                | MutationBody::MinutesAdd { .. } => {}
            }
        }
        let plan = super::plan::PlanBatch::load(conn, user, client, now, bodies).await?;
        // The meeting visits of the meetings saved, as they are and as the
        // saves would make them (issue 16), and the staff they are for.
        let mut colleagues: HashSet<UserId> = HashSet::new();
        for body in bodies {
            if let MutationBody::MeetingSave { meeting, .. } = body {
                visit_writes = true;
                citizens.insert(meeting.citizen_id);
                let stored = plan.meeting(meeting.id).map(|m| m.fields.present.as_slice()).unwrap_or_default();
                for worker in meeting.present.iter().chain(stored) {
                    colleagues.insert(*worker);
                    visit_ids.push(MeetingDraft::visit_id(meeting.id, *worker));
                }
            }
        }
        let mut visits: HashMap<VisitId, Option<Visit>> = visit_ids.iter().map(|id| (*id, None)).collect();
        for visit in db::visits::load_for_update(conn, &visit_ids).await? {
            // Visits already known (they were merged from the stream) may
            // name citizens outside the mutations.
            citizens.insert(visit.citizen_id);
            visits.insert(visit.id, Some(visit));
        }
        // The shares of the joint visits named, as they are and as the
        // mutations would make them (issue 16), and their colleagues.
        let mut share_ids = Vec::new();
        for (id, named) in visits_written(bodies) {
            let existing = visits.get(&id).cloned().flatten().map(|v| v.co_workers).unwrap_or_default();
            for co in named.iter().chain(&existing) {
                colleagues.insert(*co);
                share_ids.push(Visit::share_id(id, *co));
            }
        }
        share_ids.retain(|id| !visits.contains_key(id));
        visit_ids.extend(&share_ids);
        visits.extend(share_ids.iter().map(|id| (*id, None)));
        for share in db::visits::load_for_update(conn, &share_ids).await? {
            visits.insert(share.id, Some(share));
        }
        let gone: Vec<VisitId> = visits.iter().filter(|(_, v)| v.is_none()).map(|(id, _)| *id).collect();
        let deleted = db::visits::deleted_ids(conn, &gone).await?.into_iter().collect();
        let mut timers: HashMap<TimerId, Option<Timer>> = timer_ids.iter().map(|id| (*id, None)).collect();
        if !timer_ids.is_empty() {
            // The running timer too, so a stop and the next start in one
            // push see each other.
            let running = db::visits::running_timer(conn, user).await?;
            for timer in db::visits::load_timers_by_id(conn, &timer_ids).await?.into_iter().chain(running) {
                timers.insert(timer.id, Some(timer));
            }
        }
        let notices = if notice_ids.is_empty() {
            HashMap::new()
        } else {
            db::notices::load(conn, &db::json_ids(&notice_ids), true).await?.into_iter().map(|n| (n.id, n)).collect()
        };
        let citizens: Vec<CitizenId> = citizens.into_iter().collect();
        let me = WorkerRules::load(conn, user, &citizens, visit_writes).await?;
        // Whose visits this user may correct: a lead's team members.
        let led = if corrects && db::users::roles_of(conn, user).await?.contains(&Role::Lead) {
            db::org::team_mates(conn, user).await?.into_iter().collect()
        } else {
            HashSet::new()
        };
        let grants = if visit_writes { db::citizens::grants_of(conn, &citizens).await? } else { Vec::new() };
        let mut colleague_rules = HashMap::new();
        for co in colleagues {
            colleague_rules.insert(co, WorkerRules::load(conn, co, &citizens, true).await?);
        }
        Ok(Batch {
            user,
            client,
            now,
            stamper: Stamper::new(),
            me,
            grants,
            led,
            visits,
            deleted,
            touched: Vec::new(),
            deleted_from: HashMap::new(),
            timers,
            timers_touched: Vec::new(),
            conflicts: Vec::new(),
            plan,
            notices,
            notices_read: Vec::new(),
            colleagues: colleague_rules,
        })
    }

    /// Whether the user is assigned to `citizen` on `date`: the rule for
    /// logging a visit or starting a timer.
    fn is_assigned(&self, citizen: CitizenId, date: Date) -> bool {
        self.me.assigned(citizen, date)
    }

    /// The charge rule of `shared::charge` (the phone offers exactly these
    /// choices), checked when a visit is new or its charge, citizen or date
    /// changes: a charge that was right when it was set stands when only
    /// the note or the minutes change.
    fn check_charge(&self, fields: &VisitDraft, current: Option<&Visit>) -> Result<(), ValidationError> {
        let date = fields.started_at().local_date();
        let unchanged = current.is_some_and(|c| {
            c.charged_to == fields.charged_to
                && c.citizen_id == fields.citizen_id
                && c.started_at().local_date() == date
        });
        if unchanged {
            return Ok(());
        }
        check_charge(fields.charged_to, fields.citizen_id, date, &self.me.teams, &self.grants, &self.me.pools)
    }

    /// Refuses a visit change in an approved month (the visit's month as it
    /// is, or as it would become).
    fn check_month_open(&self, started_at: Timestamp) -> Result<(), Rejection> {
        if self.me.locked_months.contains(&Month::of(started_at)) {
            return Err(Rejection::new(
                "period_approved",
                Some("started_at"),
                "Måneden er godkendt af din leder og kan ikke ændres. Bed lederen genåbne den, eller kassér registreringen.",
                "The month is approved by your lead and cannot change. Ask the lead to reopen it, or discard this.",
            ));
        }
        Ok(())
    }

    fn set_visit(&mut self, id: VisitId, visit: Option<Visit>) {
        if !self.touched.contains(&id) {
            self.touched.push(id);
        }
        self.visits.insert(id, visit);
    }

    fn set_timer(&mut self, timer: Timer) {
        if !self.timers_touched.contains(&timer.id) {
            self.timers_touched.push(timer.id);
        }
        self.timers.insert(timer.id, Some(timer));
    }

    /// The user's running timer as the batch has left it.
    fn running_timer(&self) -> Option<TimerId> {
        self.timers.values().flatten().find(|t| t.worker_id == self.user && t.is_running()).map(|t| t.id)
    }

    /// Whose data `body` touches and how, as the batch stands before it is
    /// applied (for the access log).
    pub fn access_of(&self, body: &MutationBody) -> Option<(CitizenId, shared::access::AccessAction)> {
        use shared::access::AccessAction;
        let visit = |id: &VisitId| self.visits.get(id).cloned().flatten();
        match body {
            MutationBody::VisitSave { visit: draft, .. } => {
                let action = if visit(&draft.id).is_some() { AccessAction::Change } else { AccessAction::Create };
                Some((draft.citizen_id, action))
            }
            MutationBody::VisitDelete { visit_id, .. } => visit(visit_id).map(|v| (v.citizen_id, AccessAction::Delete)),
            MutationBody::VisitCorrect { visit_id, .. } => {
                visit(visit_id).map(|v| (v.citizen_id, AccessAction::Change))
            }
            MutationBody::TimerStart { citizen_id, .. } => Some((*citizen_id, AccessAction::Create)),
            MutationBody::TimerStop { timer_id, .. } => {
                self.timers.get(timer_id).cloned().flatten().map(|t| (t.citizen_id, AccessAction::Change))
            }
            // Reading a notice changes no citizen's data (its pull was
            // logged as a read).
            MutationBody::NoticeRead { .. } => None,
            MutationBody::PlanSave { .. }
            | MutationBody::GoalSave { .. }
            | MutationBody::ActionSave { .. }
            | MutationBody::FollowUpAdd { .. }
            | MutationBody::PlanRevisionAdd { .. }
            | MutationBody::MeetingSave { .. }
            | MutationBody::MinutesAdd { .. } => self.plan.access_of(body),
        }
    }

    /// Decides one mutation against the batch's state and, when it is
    /// accepted, changes that state.
    pub fn apply(&mut self, mutation_id: u64, body: &MutationBody) -> Result<(), ApplyError> {
        if let MutationBody::MeetingSave { meeting, .. } = body {
            // The meeting visits as the phone's meeting would make them:
            // checked before anything changes.
            let was = self.plan.meeting(meeting.id).map(|m| m.fields.clone());
            self.meeting_visits(was.as_ref(), meeting, true)?;
            self.plan.apply(mutation_id, body)?;
            // As the meeting now is (merged with others' changes).
            if let Some(now) = self.plan.meeting(meeting.id).map(|m| m.fields.clone()) {
                for (id, visit, citizen) in self.meeting_visits(was.as_ref(), &now, false)? {
                    self.write_share(id, visit, citizen);
                }
            }
            return Ok(());
        }
        if self.plan.apply(mutation_id, body)? {
            return Ok(());
        }
        match body {
            MutationBody::VisitSave { visit, base } => self.visit_save(mutation_id, visit, base.as_ref()),
            MutationBody::VisitDelete { visit_id, base_version, base } => {
                let Some(Some(current)) = self.visits.get(visit_id) else {
                    return Ok(()); // Already gone: deleting is idempotent.
                };
                if current.worker_id != self.user {
                    return Err(not_yours().into());
                }
                if current.joint_of.is_some() {
                    return Err(joint_share().into());
                }
                if current.meeting_of.is_some() {
                    return Err(meeting_visit().into());
                }
                if db::visits::is_locked(current) {
                    return Err(approved().into());
                }
                self.check_month_open(current.started_at())?;
                // Changed by someone else since the phone showed it? With a
                // base (the visit as shown, this phone's own edits
                // included) that is a difference from it. An older phone
                // sends only the version; 0 means one this phone created
                // and never saw confirmed.
                let unchanged = match base {
                    Some(base) => base.still_matches(current),
                    None => current.row_version == *base_version || *base_version == 0,
                };
                if !unchanged {
                    return Err(Rejection::new(
                        "visit_changed",
                        None,
                        "Besøget er ændret et andet sted, siden du hentede det. Se ændringen, og slet igen, hvis det stadig skal væk.",
                        "The visit was changed elsewhere since you fetched it. Look at the change and delete again if it should still go.",
                    )
                    .into());
                }
                // Its colleagues' shares go with it.
                let current = current.clone();
                let shares = self.shares(&current, None)?;
                for (id, share, citizen) in shares {
                    self.write_share(id, share, citizen);
                }
                self.deleted_from.insert(*visit_id, current.citizen_id);
                self.deleted.insert(*visit_id);
                self.set_visit(*visit_id, None);
                Ok(())
            }
            MutationBody::VisitCorrect { visit_id, base_version, base, correction } => {
                self.visit_correct(mutation_id, *visit_id, *base_version, base.as_ref(), correction.as_ref())
            }
            MutationBody::TimerStart { timer_id, citizen_id, started_at } => {
                if let Some(Some(existing)) = self.timers.get(timer_id) {
                    return if existing.worker_id == self.user { Ok(()) } else { Err(not_yours().into()) };
                }
                if *started_at > self.now.add_minutes(5) {
                    return Err(ValidationError::new("started_at", Problem::InFuture).into());
                }
                if !self.is_assigned(*citizen_id, started_at.local_date()) {
                    return Err(Rejection::not_assigned().into());
                }
                if self.running_timer().is_some() {
                    return Err(Rejection::new(
                        "timer_running",
                        None,
                        "Du har allerede et tidsur i gang, måske startet på en anden enhed. Stop det først.",
                        "You already have a timer running, perhaps started on another device. Stop it first.",
                    )
                    .into());
                }
                let timer = Timer {
                    id: *timer_id,
                    worker_id: self.user,
                    citizen_id: *citizen_id,
                    started_at: *started_at,
                    stopped_at: None,
                    #[cfg(feature = "next-schema")]
                    label: None,
                };
                self.set_timer(timer);
                Ok(())
            }
            MutationBody::TimerStop { timer_id, stopped_at } => {
                let Some(Some(timer)) = self.timers.get(timer_id) else {
                    return Err(Rejection::new(
                        "timer_unknown",
                        None,
                        "Tidsuret findes ikke længere.",
                        "The timer no longer exists.",
                    )
                    .into());
                };
                if timer.worker_id != self.user {
                    return Err(not_yours().into());
                }
                if !timer.is_running() {
                    return Ok(()); // Stopped already (on another device): keep the first stop.
                }
                if *stopped_at < timer.started_at {
                    return Err(ValidationError::new("stopped_at", Problem::EndBeforeStart).into());
                }
                let mut timer = timer.clone();
                timer.stopped_at = Some(*stopped_at);
                self.set_timer(timer);
                Ok(())
            }
            MutationBody::NoticeRead { notice_id, read_at } => self.notice_read(*notice_id, *read_at),
            MutationBody::PlanSave { .. }
            | MutationBody::GoalSave { .. }
            | MutationBody::ActionSave { .. }
            | MutationBody::FollowUpAdd { .. }
            | MutationBody::PlanRevisionAdd { .. }
            | MutationBody::MeetingSave { .. }
            | MutationBody::MinutesAdd { .. } => Err(anyhow::anyhow!("a plan mutation left undecided").into()),
        }
    }

    /// The recipient read a notice (issue 16). Only its recipient may; the
    /// first read stands (a replay or a second device changes nothing);
    /// the time is the phone's, kept between the notice's sending and now.
    fn notice_read(&mut self, id: NoticeId, read_at: Timestamp) -> Result<(), ApplyError> {
        let Some(notice) = self.notices.get_mut(&id) else {
            return Err(ValidationError::new("notice_id", Problem::NotFound).into());
        };
        if notice.recipient_id != self.user {
            return Err(Rejection::new(
                "not_your_notice",
                Some("notice_id"),
                "Beskeden er sendt til en anden. Kun modtageren kan markere den som læst.",
                "The notice was sent to someone else. Only its recipient can mark it read.",
            )
            .into());
        }
        if notice.read_at.is_some() {
            return Ok(());
        }
        notice.read_at = Some(read_at.max(notice.decided_at).min(self.now));
        if !self.notices_read.contains(&id) {
            self.notices_read.push(id);
        }
        Ok(())
    }

    fn visit_save(&mut self, mutation_id: u64, mine: &VisitDraft, base: Option<&VisitBase>) -> Result<(), ApplyError> {
        let current = self.visits.get(&mine.id).cloned().flatten();
        let mut clash = None;
        // Deleted (elsewhere, or earlier in this batch), or an edit of a
        // server version that is gone: never brought back by an edit. A
        // base of version 0 is this phone's own unconfirmed visit: if the
        // server has never had it (its create was rejected), this creates it.
        let gone = self.deleted.contains(&mine.id) || base.is_some_and(|b| b.row_version > 0);
        let (fields, row_version, status) = match (&current, base) {
            (None, _) if gone => {
                return Err(Rejection::new(
                    "visit_deleted",
                    None,
                    "Besøget er slettet et andet sted. Gem det som nyt, eller kassér ændringen.",
                    "The visit was deleted elsewhere. Save it as new, or discard the change.",
                )
                .into());
            }
            (None, _) => (mine.clone(), 1, VisitStatus::Submitted),
            (Some(current), base) => {
                if current.worker_id != self.user {
                    return Err(not_yours().into());
                }
                if current.joint_of.is_some() {
                    return Err(joint_share().into());
                }
                if current.meeting_of.is_some() {
                    return Err(meeting_visit().into());
                }
                if db::visits::is_locked(current) {
                    return Err(approved().into());
                }
                let fields = match base {
                    // Edited from the current version, or a re-save of a new visit.
                    None => mine.clone(),
                    Some(base) if base.row_version == current.row_version => mine.clone(),
                    Some(base) => {
                        let theirs = current.draft();
                        let merge = merge_visit(&base.fields, &theirs, mine)?;
                        if !merge.clashes.is_empty() {
                            clash = Some((merge.clashes, theirs));
                        }
                        merge.merged
                    }
                };
                (fields, current.row_version + 1, current.status)
            }
        };
        if let Some(current) = &current {
            self.check_month_open(current.started_at())?;
        }
        self.check_month_open(fields.started_at())?;
        // Authorised for the citizen the visit ends up with, on its date.
        if !self.is_assigned(fields.citizen_id, fields.started_at().local_date()) {
            return Err(Rejection::not_assigned().into());
        }
        self.check_charge(&fields, current.as_ref())?;
        // The goals it worked on are the citizen's (issue 15).
        if fields.goals().iter().any(|g| self.plan.goal_citizen(g.goal_id) != Some(fields.citizen_id)) {
            return Err(ValidationError::new("goals", Problem::NotFound).into());
        }
        let mut visit = fields.into_visit(self.user, self.now)?;
        visit.row_version = row_version;
        visit.status = status;
        // The lead's fields stay as they are.
        if let Some(current) = &current {
            visit.correction = current.correction.clone();
            visit.corrected_by = current.corrected_by;
        }
        // The colleagues' shares as the visit now makes them (checked
        // before anything changes).
        let shares = match &current {
            Some(current) => self.shares(current, Some(&visit))?,
            None => self.shares(&visit, Some(&visit))?,
        };
        // Every check has passed: only now change the state.
        for (id, share, citizen) in shares {
            self.write_share(id, share, citizen);
        }
        if let Some((fields, theirs)) = clash {
            self.conflicts.push(db::visits::NewConflict {
                visit: mine.id,
                worker: self.user,
                client: self.client,
                mutation_id,
                fields,
                theirs: serde_json::to_value(&theirs).map_err(anyhow::Error::from)?,
                mine: serde_json::to_value(mine).map_err(anyhow::Error::from)?,
            });
        }
        self.set_visit(mine.id, Some(visit));
        Ok(())
    }

    /// What the colleagues' shares of joint visit `was` become when it is
    /// `now` (`None`: deleted): per share id, the share to write, or `None`
    /// to delete one that exists, with the citizen whose scope it is
    /// written in. A share that stays keeps its status, its lead's
    /// correction and, while the citizen, the day and the visit's charge
    /// stay, its charge. An unchanged share is left alone.
    ///
    /// Errors: `co_workers[i]` `same_person` for the worker themself;
    /// `colleague_not_assigned` for a colleague not assigned to the citizen on
    /// the day of a new or moved share; `period_approved` (at
    /// `co_workers[i]`, or `co_workers` for a colleague taken off) for a
    /// share that would change in, or move into, a month approved for the
    /// colleague, or one their lead has approved.
    fn shares(&self, was: &Visit, now: Option<&Visit>) -> Result<Vec<(VisitId, Option<Visit>, CitizenId)>, ApplyError> {
        let mut out = Vec::new();
        let named = now.map(|v| v.co_workers.as_slice()).unwrap_or_default();
        for (i, co) in named.iter().enumerate() {
            let Some(now) = now else { break };
            let field = format!("co_workers[{i}]");
            if *co == self.user {
                return Err(Rejection::new(
                    "same_person",
                    Some(&field),
                    "Du er med som den, der registrerer besøget: vælg kun kolleger, der også deltog.",
                    "You take part as the one logging the visit: choose only colleagues who took part too.",
                )
                .into());
            }
            let date = now.started_at().local_date();
            let id = Visit::share_id(now.id, *co);
            let existing = self.visits.get(&id).cloned().flatten();
            let no_rules = WorkerRules::default();
            let rules = self.colleagues.get(co).unwrap_or(&no_rules);
            let month_approved = || {
                Rejection::new(
                    "period_approved",
                    Some(&field),
                    "Måneden er godkendt for kollegaen, så kollegaens andel kan ikke ændres. Bed kollegaens leder genåbne den.",
                    "The month is approved for the colleague, so their share cannot change. Ask the colleague's lead to reopen it.",
                )
            };
            // A new share, or one moving to another citizen or day: the
            // colleague works with the citizen that day, in a month still
            // open. A share staying where it is needs neither (an
            // assignment ended since does not block the visit's other
            // edits).
            let moves =
                existing.as_ref().is_none_or(|e| e.citizen_id != now.citizen_id || e.started_at().local_date() != date);
            if moves {
                if !rules.assigned(now.citizen_id, date) {
                    return Err(ValidationError::new(field, Problem::ColleagueNotAssigned).into());
                }
                if rules.locked_months.contains(&Month::of(now.started_at())) {
                    return Err(month_approved().into());
                }
            }
            // Charged under the grant the visit is, by the grant rule for
            // the colleague's team; else the one choice the colleague has;
            // else unattributed, for their lead.
            let same_charge = existing.is_some() && !moves && was.charged_to == now.charged_to;
            let charge = match &existing {
                Some(e) if same_charge => e.charged_to,
                _ => self.share_charge(now, rules),
            };
            let mut share = now.share_for(*co, charge);
            if let Some(e) = existing {
                let Some(changed) = follows(share, &e) else { continue };
                if db::visits::is_locked(&e) || rules.locked_months.contains(&Month::of(e.started_at())) {
                    return Err(month_approved().into());
                }
                share = changed;
            } else {
                share.row_version = 1;
            }
            out.push((id, Some(share), now.citizen_id));
        }
        // The colleagues no longer named: their shares go.
        for co in &was.co_workers {
            if named.contains(co) {
                continue;
            }
            let id = Visit::share_id(was.id, *co);
            if let Some(e) = self.visits.get(&id).cloned().flatten() {
                let locked =
                    self.colleagues.get(co).is_some_and(|r| r.locked_months.contains(&Month::of(e.started_at())));
                if db::visits::is_locked(&e) || locked {
                    return Err(Rejection::new(
                        "period_approved",
                        Some("co_workers"),
                        "Kollegaens måned er godkendt, så kollegaens andel kan ikke fjernes. Bed kollegaens leder genåbne den.",
                        "The colleague's month is approved, so their share cannot be taken away. Ask the colleague's lead to reopen it.",
                    )
                    .into());
                }
                // Its tombstone in the scope of the citizen it was about.
                out.push((id, None, e.citizen_id));
            }
        }
        Ok(out)
    }

    /// What the meeting visits of meeting `was` (`None`: a new meeting)
    /// become when it is `now` (issue 16: each staff member present gets
    /// the meeting counted once, for them, as a meeting visit charged like
    /// any other): per visit id, the visit to write, or `None` to delete
    /// one that exists, with the citizen whose scope it is written in. A
    /// visit that stays keeps its status, its lead's correction and, while
    /// its day stays, its charge; an unchanged one is left alone. A new or
    /// moved visit is charged to the one thing the worker's teams may
    /// charge for the citizen that day (`shared::charge::charge_options`),
    /// else left unattributed for their lead.
    ///
    /// Errors (`strict`): `period_approved` at `present[i]` (or `present`,
    /// for one no longer present) for a meeting visit that would change in,
    /// or move into, a month approved for its worker. Not `strict` (the
    /// meeting as merged, after its checks passed), such a visit is left as
    /// it is.
    fn meeting_visits(
        &self,
        was: Option<&MeetingDraft>,
        now: &MeetingDraft,
        strict: bool,
    ) -> Result<Vec<(VisitId, Option<Visit>, CitizenId)>, ApplyError> {
        let no_rules = WorkerRules::default();
        let rules_of = |worker: &UserId| self.colleagues.get(worker).unwrap_or(&no_rules);
        let month_approved = |field: &str| {
            Rejection::new(
                "period_approved",
                Some(field),
                "Måneden er godkendt for medarbejderen, så mødet kan ikke ændre vedkommendes tid. Bed lederen genåbne den.",
                "The month is approved for the staff member, so the meeting cannot change their time. Ask their lead to reopen it.",
            )
        };
        let mut out = Vec::new();
        for (i, worker) in now.present.iter().enumerate() {
            let Some(mut visit) = now.visit_for(*worker, None) else { continue };
            let rules = rules_of(worker);
            let existing = self.visits.get(&visit.id).cloned().flatten();
            let date = visit.started_at().local_date();
            let same_day = existing.as_ref().is_some_and(|e| e.started_at().local_date() == date);
            visit.charged_to = match &existing {
                Some(e) if same_day => e.charged_to,
                _ => match charge_options(now.citizen_id, date, &rules.teams, &self.grants, &rules.pools).as_slice() {
                    [one] => Some(*one),
                    _ => None,
                },
            };
            let locked =
                |v: &Visit| db::visits::is_locked(v) || rules.locked_months.contains(&Month::of(v.started_at()));
            if let Some(e) = existing {
                let Some(changed) = follows(visit, &e) else { continue };
                if locked(&e) || locked(&changed) {
                    if strict {
                        return Err(month_approved(&format!("present[{i}]")).into());
                    }
                    continue;
                }
                visit = changed;
            } else {
                if locked(&visit) {
                    if strict {
                        return Err(month_approved(&format!("present[{i}]")).into());
                    }
                    continue;
                }
                visit.row_version = 1;
            }
            out.push((visit.id, Some(visit), now.citizen_id));
        }
        // Those no longer counted (not present, or the meeting no longer
        // held with a time): their meeting visits go.
        let before = was.map(|w| w.present.as_slice()).unwrap_or_default();
        for worker in before.iter().chain(&now.present) {
            let id = MeetingDraft::visit_id(now.id, *worker);
            if out.iter().any(|(written, _, _)| *written == id) || now.visit_for(*worker, None).is_some() {
                continue;
            }
            let Some(e) = self.visits.get(&id).cloned().flatten() else { continue };
            let rules = rules_of(worker);
            if db::visits::is_locked(&e) || rules.locked_months.contains(&Month::of(e.started_at())) {
                if strict {
                    return Err(month_approved("present").into());
                }
                continue;
            }
            if !out.iter().any(|(gone, _, _)| *gone == id) {
                out.push((id, None, e.citizen_id));
            }
        }
        Ok(out)
    }

    /// What a colleague's share of `visit` is charged to: under the grant
    /// the visit is charged under, by the charge rule for the colleague's
    /// teams (`shared::charge::charge_for`); for an uncharged visit the
    /// colleague's one choice, if they have exactly one; else `None`.
    fn share_charge(&self, visit: &Visit, rules: &WorkerRules) -> Option<ChargeTo> {
        let date = visit.started_at().local_date();
        let mine = visit.charged_to;
        let valid = self.grants.iter().filter(|g| g.citizen_id == visit.citizen_id && g.period.contains(date));
        if mine.is_some() {
            return valid
                .clone()
                .find(|g| Some(charge_for(g, date, &self.me.teams, &self.me.pools)) == mine)
                .map(|g| charge_for(g, date, &rules.teams, &rules.pools));
        }
        let options = charge_options(visit.citizen_id, date, &rules.teams, &self.grants, &rules.pools);
        match options.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// Writes (or, `None`, deletes) a colleague's share.
    fn write_share(&mut self, id: VisitId, share: Option<Visit>, citizen: CitizenId) {
        if share.is_none() {
            self.deleted_from.insert(id, citizen);
            self.deleted.insert(id);
        }
        self.set_visit(id, share);
    }

    /// A lead's correction. The correction is the lead's own field: a
    /// worker's edit never touches it, so the two never clash, whatever
    /// their order. Two corrections from the same base clash: the server's
    /// stands and the other is kept as a conflict record.
    fn visit_correct(
        &mut self,
        mutation_id: u64,
        visit_id: VisitId,
        base_version: u64,
        base: Option<&Correction>,
        mine: Option<&Correction>,
    ) -> Result<(), ApplyError> {
        let Some(Some(current)) = self.visits.get(&visit_id) else {
            return Err(Rejection::new(
                "visit_deleted",
                None,
                "Besøget er slettet, så det kan ikke rettes.",
                "The visit was deleted, so it cannot be corrected.",
            )
            .into());
        };
        if !self.led.contains(&current.worker_id) {
            return Err(Rejection::new(
                "not_lead",
                None,
                "Kun lederen af medarbejderens team kan rette et besøg.",
                "Only the lead of the worker's team can correct a visit.",
            )
            .into());
        }
        if db::visits::is_locked(current) {
            return Err(approved().into());
        }
        let unchanged_since_base = current.row_version == base_version || current.correction.as_ref() == base;
        if current.correction.as_ref() == mine {
            return Ok(()); // Already so.
        }
        if !unchanged_since_base {
            self.conflicts.push(db::visits::NewConflict {
                visit: visit_id,
                worker: self.user,
                client: self.client,
                mutation_id,
                fields: vec!["correction"],
                theirs: serde_json::to_value(&current.correction).map_err(anyhow::Error::from)?,
                mine: serde_json::to_value(mine).map_err(anyhow::Error::from)?,
            });
            // The server's value stands; the record changes only by the
            // conflict it now has.
            return Ok(());
        }
        let mut visit = current.clone();
        visit.correction = mine.cloned();
        visit.corrected_by = mine.map(|_| self.user);
        visit.row_version += 1;
        self.set_visit(visit_id, Some(visit));
        Ok(())
    }

    /// Writes what the accepted mutations changed and stamps it in the
    /// change stream. The push's last writes before commit.
    pub async fn write(self, conn: &mut Conn) -> anyhow::Result<()> {
        let mut stamper = self.stamper;
        let mut saved = Vec::new();
        let mut deleted = Vec::new();
        for id in &self.touched {
            match (self.visits.get(id), self.deleted_from.get(id)) {
                (Some(Some(visit)), _) => saved.push(visit),
                (_, Some(citizen)) => deleted.push((*id, *citizen)),
                // Created and deleted within this push: nothing to write.
                _ => {}
            }
        }
        db::visits::upsert_many(conn, &mut stamper, &saved).await?;
        db::visits::delete_many(conn, &mut stamper, &deleted).await?;
        for id in &self.timers_touched {
            if let Some(Some(timer)) = self.timers.get(id) {
                db::visits::upsert_timer(conn, &mut stamper, timer).await?;
            }
        }
        for conflict in &self.conflicts {
            db::visits::insert_conflict(conn, conflict, self.now).await?;
        }
        self.plan.write(conn, &mut stamper).await?;
        let read: Vec<&DecisionNotice> = self.notices_read.iter().filter_map(|id| self.notices.get(id)).collect();
        db::notices::mark_read(conn, &mut stamper, &read).await?;
        stamper.finish(conn).await?;
        Ok(())
    }
}

/// `derived` (a colleague's share, or a meeting visit, as what it follows
/// now makes it) with what the server and the lead keep of `existing`: its
/// status and the lead's correction, the next version. `None` when that is
/// `existing` unchanged (nothing to write).
fn follows(mut derived: Visit, existing: &Visit) -> Option<Visit> {
    derived.row_version = existing.row_version;
    derived.status = existing.status;
    derived.correction.clone_from(&existing.correction);
    derived.corrected_by = existing.corrected_by;
    if derived == *existing {
        return None;
    }
    derived.row_version += 1;
    Some(derived)
}

fn not_yours() -> Rejection {
    Rejection::new(
        "not_your_visit",
        None,
        "Registreringen tilhører en anden medarbejder.",
        "This record belongs to another worker.",
    )
}

/// The refusal of an edit or delete of a colleague's share of a joint
/// visit (issue 16): it follows the visit its colleague logged.
fn joint_share() -> Rejection {
    Rejection::new(
        "joint_visit_share",
        None,
        "Det er et fælles besøg, som en kollega har registreret. Bed kollegaen rette eller slette det; din andel følger med.",
        "It is a joint visit a colleague logged. Ask them to change or delete it; your share follows.",
    )
}

/// The refusal of an edit or delete of a meeting visit (issue 16): it
/// follows the meeting, which its organiser records.
fn meeting_visit() -> Rejection {
    Rejection::new(
        "meeting_visit",
        None,
        "Tiden er talt fra et tværfagligt møde. Ret mødet (hvem der deltog, og hvor længe), så følger tiden med.",
        "The time is counted from a cross-disciplinary meeting. Change the meeting (who took part, and for how long); the time follows.",
    )
}

fn approved() -> Rejection {
    Rejection::new(
        "approved",
        Some("status"),
        "Besøget er godkendt og kan ikke ændres længere.",
        "The visit is approved and can no longer be changed.",
    )
}
