//! Server rows with the outbox replayed on top: what the user sees, and
//! the refused mutations waiting for the user. Pure (no store, no sync), so
//! the store and the sync engine both build on it and it is table-tested
//! natively.
//!
//! An edit "not kept" (`edit_not_kept`) that stands after all — the visit now
//! holds the worker's values anyway — is left out of the rejected items
//! (`edit_stands`), and the sync drops it.

use std::collections::BTreeMap;

use shared::assignment::Assignment;
use shared::citizen::Citizen;
use shared::conflict::{ConflictField, EDIT_NOT_KEPT, apply_fields, changed_fields};
use shared::drawing_right::DrawingRight;
use shared::grant::Grant;
use shared::meeting::{Meeting, Minutes};
use shared::notice::DecisionNotice;
use shared::plan::{Action, Base, FollowUp, Goal, Plan, PlanRevision};
use shared::sync::{Change, Mutation, MutationBody, RejectedMutation, VisitBase};
use shared::timer::Timer;
use shared::visit::{Visit, VisitStatus};
use shared::{ActionId, CitizenId, FollowUpId, GoalId, NoticeId, PlanRevisionId, TimerId, UserId, VisitId};
use shared::{MeetingId, MinutesId};

/// A mutation the server refused, with everything the user needs to fix it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RejectedItem {
    pub rejection: RejectedMutation,
    /// The phone's own copy of what the user did (always there when the
    /// rejection arrives before the outbox entry is gone).
    pub mine: Option<Mutation>,
}

impl RejectedItem {
    /// What the user did: the phone's own copy, else the server's.
    pub fn body(&self) -> Option<&MutationBody> {
        self.mine.as_ref().or(self.rejection.mutation.as_ref()).map(|m| &m.body)
    }
}

/// Where a record stands with the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordState {
    /// As the server has it.
    Synced,
    /// Changed on this phone; waiting to be sent or confirmed.
    Waiting,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitView {
    /// As the phone shows it: the server's row with this phone's waiting
    /// mutations replayed on top. Its `row_version` is the server row's
    /// under that (0 for a visit the server has not confirmed yet).
    pub visit: Visit,
    pub state: RecordState,
}

impl VisitView {
    /// What an edit made now is based on: the visit as shown, so a
    /// phone's second edit builds on its first (`shared::sync`'s rule),
    /// and the server's version under it.
    pub fn base(&self) -> VisitBase {
        VisitBase::of(&self.visit)
    }
}

/// A plan, goal or action as the phone shows it: the server's row with
/// this phone's waiting edits on top (its `row_version` the server row's
/// under them; 0 for one the server has not confirmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown<T> {
    pub row: T,
    pub state: RecordState,
}

impl Shown<Plan> {
    /// What an edit made now is based on (`shared::plan::Base`).
    pub fn base(&self) -> Base<shared::plan::PlanDraft> {
        Base { row_version: self.row.row_version, fields: self.row.fields.clone() }
    }
}

impl Shown<Goal> {
    pub fn base(&self) -> Base<shared::plan::GoalDraft> {
        Base { row_version: self.row.row_version, fields: self.row.fields.clone() }
    }
}

impl Shown<Action> {
    pub fn base(&self) -> Base<shared::plan::ActionDraft> {
        Base { row_version: self.row.row_version, fields: self.row.fields.clone() }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    pub citizens: Vec<Citizen>,
    pub assignments: Vec<Assignment>,
    pub grants: Vec<Grant>,
    pub drawing_rights: Vec<DrawingRight>,
    /// Newest first.
    pub visits: Vec<VisitView>,
    pub timers: Vec<Timer>,
    /// The citizens' plans (issue 15), one per citizen.
    pub plans: Vec<Shown<Plan>>,
    /// Goals by citizen and place in the plan.
    pub goals: Vec<Shown<Goal>>,
    pub actions: Vec<Shown<Action>>,
    /// Oldest first.
    pub follow_ups: Vec<FollowUp>,
    /// The follow-ups made on this phone that the server has not yet
    /// confirmed (shown "waiting to be sent").
    pub waiting_follow_ups: Vec<FollowUpId>,
    /// The plans' revisions, oldest first.
    pub revisions: Vec<PlanRevision>,
    /// The revisions recorded on this phone not yet confirmed.
    pub waiting_revisions: Vec<PlanRevisionId>,
    /// The decision notices on this phone (issue 16), read ones with the
    /// time this phone read them until the server says.
    pub notices: Vec<DecisionNotice>,
    /// The notices read on this phone, the read not yet confirmed.
    pub waiting_notice_reads: Vec<NoticeId>,
    /// The citizens' cross-disciplinary meetings (issue 16), by day.
    pub meetings: Vec<Shown<Meeting>>,
    /// The meetings' minutes, oldest first.
    pub minutes: Vec<Minutes>,
    /// The entries of minutes written on this phone not yet confirmed.
    pub waiting_minutes: Vec<MinutesId>,
    /// Mutations not yet confirmed by the server.
    pub pending: usize,
    pub rejected: Vec<RejectedItem>,
    /// When the server's rows were last brought up to date.
    pub synced_at: Option<shared::Timestamp>,
    /// Ids of "not kept" items left out of `rejected` because the edit
    /// stands after all ([`edit_stands`]); the sync drops them for good.
    pub kept_edits: Vec<u64>,
}

impl View {
    /// The running timer of `user`, if any.
    pub fn running_timer(&self, user: UserId) -> Option<&Timer> {
        self.timers.iter().find(|t| t.worker_id == user && t.is_running())
    }
}

pub fn view(rows: Vec<Change>, outbox: &[Mutation], rejected: Vec<RejectedItem>, user: Option<UserId>) -> View {
    let mut v = View { pending: outbox.len(), rejected, ..View::default() };
    let mut visits: BTreeMap<VisitId, VisitView> = BTreeMap::new();
    let mut timers: BTreeMap<TimerId, Timer> = BTreeMap::new();
    let mut plans: BTreeMap<CitizenId, Shown<Plan>> = BTreeMap::new();
    let mut goals: BTreeMap<GoalId, Shown<Goal>> = BTreeMap::new();
    let mut actions: BTreeMap<ActionId, Shown<Action>> = BTreeMap::new();
    let mut follow_ups: BTreeMap<FollowUpId, FollowUp> = BTreeMap::new();
    let mut revisions: BTreeMap<PlanRevisionId, PlanRevision> = BTreeMap::new();
    let mut meetings: BTreeMap<MeetingId, Shown<Meeting>> = BTreeMap::new();
    let mut minutes: BTreeMap<MinutesId, Minutes> = BTreeMap::new();
    for row in rows {
        match row {
            Change::Citizen(c) => v.citizens.push(c),
            Change::Assignment(a) => v.assignments.push(a),
            Change::Grant(g) => v.grants.push(g),
            Change::DrawingRight(d) => v.drawing_rights.push(d),
            Change::Visit(visit) => {
                visits.insert(visit.id, VisitView { visit, state: RecordState::Synced });
            }
            Change::Timer(t) => {
                timers.insert(t.id, t);
            }
            Change::Plan(p) => {
                plans.insert(p.fields.citizen_id, Shown { row: p, state: RecordState::Synced });
            }
            Change::Goal(g) => {
                goals.insert(g.fields.id, Shown { row: g, state: RecordState::Synced });
            }
            Change::Action(a) => {
                actions.insert(a.fields.id, Shown { row: a, state: RecordState::Synced });
            }
            Change::FollowUp(f) => {
                follow_ups.insert(f.fields.id, f);
            }
            Change::PlanRevision(r) => {
                revisions.insert(r.fields.id, r);
            }
            Change::DecisionNotice(n) => v.notices.push(n),
            Change::Meeting(m) => {
                meetings.insert(m.fields.id, Shown { row: m, state: RecordState::Synced });
            }
            Change::Minutes(m) => {
                minutes.insert(m.fields.id, m);
            }
            #[cfg(feature = "next-schema")]
            Change::Rehearsal(_) => {}
            Change::Deleted { .. } => {}
        }
    }
    for m in outbox {
        match &m.body {
            MutationBody::VisitSave { visit, .. } => {
                let existing = visits.get(&visit.id).map(|v| &v.visit);
                let worker = existing.map(|e| e.worker_id).or(user);
                let Some(worker) = worker else { continue };
                let status = existing.map_or(VisitStatus::Submitted, |e| e.status);
                let version = existing.map_or(0, |e| e.row_version);
                let (correction, corrected_by) =
                    existing.map_or((None, None), |e| (e.correction.clone(), e.corrected_by));
                let mut visit = Visit::restore(visit.clone(), worker, status, version);
                visit.correction = correction;
                visit.corrected_by = corrected_by;
                visits.insert(visit.id, VisitView { visit, state: RecordState::Waiting });
            }
            MutationBody::VisitDelete { visit_id, .. } => {
                visits.remove(visit_id);
            }
            MutationBody::VisitCorrect { visit_id, correction, .. } => {
                if let Some(view) = visits.get_mut(visit_id) {
                    view.visit.correction = correction.clone();
                    view.visit.corrected_by = correction.as_ref().and(user);
                    view.state = RecordState::Waiting;
                }
            }
            MutationBody::TimerStart { timer_id, citizen_id, started_at } => {
                if let Some(worker_id) = user {
                    timers.entry(*timer_id).or_insert(Timer {
                        id: *timer_id,
                        worker_id,
                        citizen_id: *citizen_id,
                        started_at: *started_at,
                        stopped_at: None,
                        #[cfg(feature = "next-schema")]
                        label: None,
                    });
                }
            }
            MutationBody::TimerStop { timer_id, stopped_at } => {
                if let Some(t) = timers.get_mut(timer_id)
                    && t.stopped_at.is_none()
                {
                    t.stopped_at = Some(*stopped_at);
                }
            }
            MutationBody::PlanSave { plan, .. } => {
                let Some(by) = user else { continue };
                let existing = plans.get(&plan.citizen_id).map(|p| &p.row);
                let row = Plan {
                    fields: plan.clone(),
                    created_on: existing.map_or(m.created_at.local_date(), |e| e.created_on),
                    row_version: existing.map_or(0, |e| e.row_version),
                    updated_at: m.created_at,
                    updated_by: by,
                };
                plans.insert(plan.citizen_id, Shown { row, state: RecordState::Waiting });
            }
            MutationBody::GoalSave { goal, .. } => {
                let Some(by) = user else { continue };
                // A goal can be the first thing written: the plan begins with it.
                plans.entry(goal.citizen_id).or_insert_with(|| Shown {
                    row: Plan {
                        fields: shared::plan::PlanDraft::blank(goal.citizen_id),
                        created_on: m.created_at.local_date(),
                        row_version: 0,
                        updated_at: m.created_at,
                        updated_by: by,
                    },
                    state: RecordState::Waiting,
                });
                let existing = goals.get(&goal.id).map(|g| &g.row);
                let row = Goal {
                    fields: goal.clone(),
                    created_on: existing.map_or(m.created_at.local_date(), |e| e.created_on),
                    row_version: existing.map_or(0, |e| e.row_version),
                    updated_at: m.created_at,
                    updated_by: by,
                };
                goals.insert(goal.id, Shown { row, state: RecordState::Waiting });
            }
            MutationBody::ActionSave { action, .. } => {
                let Some(by) = user else { continue };
                let version = actions.get(&action.id).map_or(0, |a| a.row.row_version);
                let row =
                    Action { fields: action.clone(), row_version: version, updated_at: m.created_at, updated_by: by };
                actions.insert(action.id, Shown { row, state: RecordState::Waiting });
            }
            MutationBody::FollowUpAdd { follow_up } => {
                let Some(by) = user else { continue };
                if let std::collections::btree_map::Entry::Vacant(slot) = follow_ups.entry(follow_up.id) {
                    slot.insert(FollowUp { fields: follow_up.clone(), by, recorded_at: m.created_at });
                    v.waiting_follow_ups.push(follow_up.id);
                }
            }
            MutationBody::MeetingSave { meeting, .. } => {
                let Some(by) = user else { continue };
                let version = meetings.get(&meeting.id).map_or(0, |s| s.row.row_version);
                let row =
                    Meeting { fields: meeting.clone(), row_version: version, updated_at: m.created_at, updated_by: by };
                meetings.insert(meeting.id, Shown { row, state: RecordState::Waiting });
            }
            MutationBody::MinutesAdd { minutes: entry } => {
                let Some(by) = user else { continue };
                if let std::collections::btree_map::Entry::Vacant(slot) = minutes.entry(entry.id) {
                    slot.insert(Minutes { fields: entry.clone(), by, recorded_at: m.created_at });
                    v.waiting_minutes.push(entry.id);
                }
            }
            MutationBody::NoticeRead { notice_id, read_at } => {
                if let Some(n) = v.notices.iter_mut().find(|n| n.id == *notice_id && n.read_at.is_none()) {
                    n.read_at = Some(*read_at);
                    v.waiting_notice_reads.push(*notice_id);
                }
            }
            MutationBody::PlanRevisionAdd { revision } => {
                let Some(by) = user else { continue };
                if let std::collections::btree_map::Entry::Vacant(slot) = revisions.entry(revision.id) {
                    slot.insert(PlanRevision { fields: revision.clone(), by, recorded_at: m.created_at });
                    v.waiting_revisions.push(revision.id);
                }
            }
        }
    }
    v.plans = plans.into_values().collect();
    v.goals = goals.into_values().collect();
    v.goals.sort_by_key(|g| (g.row.fields.citizen_id, g.row.fields.position, g.row.fields.id));
    v.actions = actions.into_values().collect();
    v.follow_ups = follow_ups.into_values().collect();
    v.follow_ups.sort_by_key(|f| (f.fields.on, f.recorded_at, f.fields.id));
    v.meetings = meetings.into_values().collect();
    v.meetings.sort_by_key(|m| (m.row.fields.on, m.row.fields.id));
    v.minutes = minutes.into_values().collect();
    v.minutes.sort_by_key(|m| (m.recorded_at, m.fields.id));
    v.revisions = revisions.into_values().collect();
    v.revisions.sort_by_key(|r| (r.fields.on, r.recorded_at, r.fields.id));
    v.citizens.sort_by(|a, b| a.name.cmp(&b.name));
    v.visits = visits.into_values().collect();
    v.visits.sort_by_key(|v| std::cmp::Reverse(v.visit.started_at()));
    v.timers = timers.into_values().collect();
    let (kept, shown): (Vec<RejectedItem>, Vec<RejectedItem>) =
        std::mem::take(&mut v.rejected).into_iter().partition(|i| edit_stands(i, &v.visits));
    v.rejected = shown;
    v.kept_edits = kept.iter().map(|i| i.rejection.id).collect();
    v
}

/// The fields an edit that was not kept (`edit_not_kept`) changed: from its
/// own base, or the field the server named for a payload without one.
pub fn not_kept_fields(item: &RejectedItem) -> Vec<ConflictField> {
    match item.body() {
        Some(MutationBody::VisitSave { visit: mine, base: Some(base) }) => changed_fields(&base.fields, mine),
        _ => item.rejection.field.as_deref().and_then(ConflictField::from_code).into_iter().collect(),
    }
}

/// Whether `item` is an edit not kept (`edit_not_kept`) that stands after
/// all: the visit as shown carries every field the edit changed, because a
/// lead chose the worker's version or the same change came from elsewhere.
/// Shown, it would tell the worker a change was lost that was kept; so it
/// is left out of the view and the sync drops it (issue 12, kind 15).
pub fn edit_stands(item: &RejectedItem, visits: &[VisitView]) -> bool {
    if item.rejection.code != EDIT_NOT_KEPT {
        return false;
    }
    let Some(MutationBody::VisitSave { visit: mine, .. }) = item.body() else { return false };
    let Some(shown) = visits.iter().find(|v| v.visit.id == mine.id) else { return false };
    let fields = not_kept_fields(item);
    let now = shown.visit.draft();
    !fields.is_empty() && apply_fields(&now, mine, &fields).is_ok_and(|d| d == now)
}

/// The people whose names the phone knows for `citizen`, the user first:
/// the staff assigned (on `on` only, when given: who works with the
/// citizen that day), then the citizen's coordinating case worker.
pub fn staff_of(
    view: &View,
    citizen: &shared::citizen::Citizen,
    me: Option<(UserId, String)>,
    on: Option<shared::Date>,
) -> Vec<(UserId, String)> {
    let mut staff: Vec<(UserId, String)> = me.into_iter().collect();
    let assigned = view
        .assignments
        .iter()
        .filter(|a| a.citizen_id == citizen.id && on.is_none_or(|d| a.period.contains(d)))
        .map(|a| (a.user_id, a.user_name.clone().unwrap_or_else(|| "—".to_owned())));
    let coordinator = citizen.coordinator_id.zip(citizen.coordinator_name.clone());
    for (user, name) in assigned.chain(coordinator) {
        if !staff.iter().any(|(u, _)| *u == user) {
            staff.push((user, name));
        }
    }
    staff
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::text::Note;
    use shared::visit::{VisitDraft, VisitKind};
    use shared::{CitizenId, Minutes, Timestamp};
    use uuid::Uuid;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("valid")
    }

    fn draft(n: u128, note: &str) -> VisitDraft {
        VisitDraft::new(
            VisitId::from_uuid(Uuid::from_u128(n)),
            CitizenId::from_uuid(Uuid::from_u128(100)),
            VisitKind::HomeVisit,
            ts("2026-11-23T08:00:00Z"),
            ts("2026-11-23T09:00:00Z"),
            Minutes::new(10),
            Note::try_from(note).expect("valid"),
            None,
        )
        .expect("valid")
    }

    fn user() -> UserId {
        UserId::from_uuid(Uuid::from_u128(7))
    }

    fn server_visit(n: u128, note: &str, version: u64) -> Change {
        Change::Visit(Visit::restore(draft(n, note), user(), VisitStatus::Submitted, version))
    }

    fn m(id: u64, body: MutationBody) -> Mutation {
        Mutation { id, created_at: ts("2026-11-23T10:00:00Z"), body }
    }

    fn notes(v: &View) -> Vec<(String, RecordState, u64)> {
        let mut out: Vec<_> =
            v.visits.iter().map(|x| (x.visit.note.to_string(), x.state, x.visit.row_version)).collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Issue 12, kind 15: a "not kept" card goes once the edit stands (a
    /// lead chose the worker's version), and stays while it does not.
    #[test]
    fn a_not_kept_edit_that_stands_after_all_is_not_shown() {
        let not_kept = |id: u64, note: &str, code: &str| RejectedItem {
            rejection: RejectedMutation {
                id,
                mutation: None,
                code: code.to_owned(),
                message: shared::Localized::new("", ""),
                field: Some("note".to_owned()),
            },
            mine: Some(m(
                id,
                MutationBody::VisitSave {
                    visit: draft(1, note),
                    base: Some(VisitBase { row_version: 1, fields: draft(1, "base"), correction: None }),
                },
            )),
        };
        let cases = [
            // (the note on the server, the item, shown?)
            ("Noten fra telefonen", not_kept(5, "Noten fra tabletten", "edit_not_kept"), true),
            ("Noten fra tabletten", not_kept(5, "Noten fra tabletten", "edit_not_kept"), false),
            // A rejection proper stays whatever the visit says.
            ("Noten fra tabletten", not_kept(5, "Noten fra tabletten", "approved"), true),
        ];
        for (i, (server, item, shown)) in cases.into_iter().enumerate() {
            let v = view(vec![server_visit(1, server, 3)], &[], vec![item], Some(user()));
            assert_eq!(v.rejected.len() == 1, shown, "case {i}");
            assert_eq!(v.kept_edits, if shown { vec![] } else { vec![5] }, "case {i}");
        }
        // The visit gone from the phone: nothing stands, the card stays.
        let v = view(vec![], &[], vec![not_kept(5, "x", "edit_not_kept")], Some(user()));
        assert_eq!((v.rejected.len(), v.kept_edits.len()), (1, 0));
    }

    #[test]
    fn a_waiting_correction_shows_and_a_worker_edit_keeps_it() {
        let correction = shared::visit::Correction::new(
            shared::Minutes::new(30),
            shared::text::Note::try_from("gik tidligt").expect("note"),
        )
        .expect("valid");
        let id = VisitId::from_uuid(Uuid::from_u128(1));
        let outbox = vec![
            m(
                1,
                MutationBody::VisitCorrect {
                    visit_id: id,
                    base_version: 3,
                    base: None,
                    correction: Some(correction.clone()),
                },
            ),
            m(2, MutationBody::VisitSave { visit: draft(1, "edited"), base: None }),
        ];
        let v = view(vec![server_visit(1, "a", 3)], &outbox, Vec::new(), Some(user()));
        let shown = &v.visits[0];
        assert_eq!(shown.state, RecordState::Waiting);
        assert_eq!(shown.visit.note.as_str(), "edited");
        assert_eq!(shown.visit.correction.as_ref(), Some(&correction));
        assert_eq!(shown.visit.counted_minutes(), shared::Minutes::new(30));
    }

    #[test]
    fn replay_table() {
        use RecordState::*;
        type Case = (Vec<Change>, Vec<Mutation>, Vec<(&'static str, RecordState, u64)>);
        let cases: Vec<Case> = vec![
            // Server rows only.
            (vec![server_visit(1, "a", 3)], vec![], vec![("a", Synced, 3)]),
            // A new visit waiting.
            (
                vec![],
                vec![m(1, MutationBody::VisitSave { visit: draft(2, "new"), base: None })],
                vec![("new", Waiting, 0)],
            ),
            // An edit on top of a server row keeps its version.
            (
                vec![server_visit(1, "a", 3)],
                vec![m(1, MutationBody::VisitSave { visit: draft(1, "edited"), base: None })],
                vec![("edited", Waiting, 3)],
            ),
            // Two edits: the last wins.
            (
                vec![],
                vec![
                    m(1, MutationBody::VisitSave { visit: draft(2, "first"), base: None }),
                    m(2, MutationBody::VisitSave { visit: draft(2, "second"), base: None }),
                ],
                vec![("second", Waiting, 0)],
            ),
            // A delete hides the server row.
            (
                vec![server_visit(1, "a", 3), server_visit(2, "b", 1)],
                vec![m(
                    1,
                    MutationBody::VisitDelete {
                        visit_id: VisitId::from_uuid(Uuid::from_u128(1)),
                        base_version: 3,
                        base: None,
                    },
                )],
                vec![("b", Synced, 1)],
            ),
        ];
        for (i, (rows, outbox, expected)) in cases.into_iter().enumerate() {
            let v = view(rows, &outbox, Vec::new(), Some(user()));
            let expected: Vec<_> = expected.into_iter().map(|(n, s, r)| (n.to_owned(), s, r)).collect();
            assert_eq!(notes(&v), expected, "case {i}");
            assert_eq!(v.pending, outbox.len());
        }
    }

    /// Issue 12, kind 1: each waiting edit is the base of the next, with
    /// the server's version under it; a correction is part of the base.
    #[test]
    fn an_edit_is_based_on_the_phones_earlier_edits() {
        let correction = shared::visit::Correction::new(
            shared::Minutes::new(30),
            shared::text::Note::try_from("gik tidligt").expect("note"),
        )
        .expect("valid");
        let id = VisitId::from_uuid(Uuid::from_u128(1));
        let save = |n: u64, note: &str| m(n, MutationBody::VisitSave { visit: draft(1, note), base: None });
        let correct = m(
            3,
            MutationBody::VisitCorrect {
                visit_id: id,
                base_version: 3,
                base: None,
                correction: Some(correction.clone()),
            },
        );
        // (server rows, outbox, the base an edit made now carries)
        type Expected<'a> = (u64, &'a str, Option<&'a shared::visit::Correction>);
        let cases: Vec<(Vec<Change>, Vec<Mutation>, Expected)> = vec![
            (vec![server_visit(1, "server", 3)], vec![], (3, "server", None)),
            (vec![server_visit(1, "server", 3)], vec![save(1, "A")], (3, "A", None)),
            (vec![server_visit(1, "server", 3)], vec![save(1, "A"), save(2, "B")], (3, "B", None)),
            (
                vec![server_visit(1, "server", 3)],
                vec![save(1, "A"), save(2, "B"), correct],
                (3, "B", Some(&correction)),
            ),
            // Created on this phone and not yet confirmed: version 0.
            (vec![], vec![save(1, "new"), save(2, "again")], (0, "again", None)),
        ];
        for (i, (rows, outbox, (version, note, corr))) in cases.into_iter().enumerate() {
            let v = view(rows, &outbox, Vec::new(), Some(user()));
            let base = v.visits[0].base();
            assert_eq!(
                (base.row_version, base.fields.note.as_str(), base.correction.as_ref()),
                (version, note, corr),
                "case {i}"
            );
        }
    }

    #[test]
    fn timers_replay_and_stop_once() {
        let t = TimerId::from_uuid(Uuid::from_u128(9));
        let citizen = CitizenId::from_uuid(Uuid::from_u128(100));
        let outbox = [
            m(1, MutationBody::TimerStart { timer_id: t, citizen_id: citizen, started_at: ts("2026-11-23T08:00:00Z") }),
            m(2, MutationBody::TimerStop { timer_id: t, stopped_at: ts("2026-11-23T08:40:00Z") }),
            m(3, MutationBody::TimerStop { timer_id: t, stopped_at: ts("2026-11-23T09:40:00Z") }),
        ];
        let v = view(Vec::new(), &outbox[..1], Vec::new(), Some(user()));
        assert!(v.running_timer(user()).is_some());
        let v = view(Vec::new(), &outbox, Vec::new(), Some(user()));
        assert!(v.running_timer(user()).is_none());
        assert_eq!(v.timers[0].stopped_at, Some(ts("2026-11-23T08:40:00Z")));
    }
}
