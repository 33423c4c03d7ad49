//! Applies a push's plan mutations (issue 15): `plan_save`, `goal_save`,
//! `action_save`, `follow_up_add`, as [`super::apply`] applies visits —
//! everything read up front, each mutation decided against the state the
//! earlier ones left, written at the end.
//!
//! Rules:
//! - whoever may see the citizen (the visibility rule of `db::citizens`)
//!   may write their plan: assigned staff, the coordinator, leads of their
//!   teams, administrators;
//! - a plan is keyed by its citizen, so two phones that begin it offline
//!   change one row: the second is merged into the first from a blank
//!   plan, and what both wrote differently is kept as a conflict;
//! - an edit of a plan, goal or action is merged field by field with what
//!   others changed since the phone's base ([`shared::plan::merge_goal`]):
//!   different fields both land; for a field both changed the server's
//!   value stands and the phone's is kept in `plan_conflicts`;
//! - a goal names only areas that exist and grants and courses of its own
//!   citizen, an
//!   action belongs to a goal of the same citizen and is owned by a person
//!   who may see the citizen (or by a team, an area, the citizen);
//! - a follow-up is dated within the plan and not after today, and a
//!   replay of one already made changes nothing;
//! - a meeting (issue 16) names as organiser, invited and present only
//!   people who may see the citizen, is held no later than today, and is
//!   merged like a goal; an entry of its minutes is written at a meeting
//!   that takes place (held, or planned for today or a day gone by) and
//!   never changes, so entries from several phones all land; an action a
//!   meeting decided names a meeting of its own citizen.
//!
//! Every check comes before the state changes, so a refused mutation
//! changes nothing (the invariant of [`super::apply`]).

use std::collections::{HashMap, HashSet};

use shared::meeting::{AgendaItem, Meeting, MeetingDraft, Minutes, MinutesDraft, merge_meeting};
use shared::plan::{
    Action, ActionDraft, Base, Effort, FollowUp, FollowUpDraft, Goal, GoalDraft, Owner, Plan, PlanDraft, PlanRevision,
    PlanRevisionDraft, merge_action, merge_goal, merge_plan,
};
use shared::sync::{Entity, MutationBody};
use shared::{
    ActionId, AreaId, CitizenId, ClientId, CourseId, Date, FollowUpId, GoalId, GrantId, MeetingId, MinutesId, OfferId,
    PlanRevisionId, Problem, TeamId, Timestamp, UserId, ValidationError,
};

use super::rejection::{ApplyError, Rejection};
use crate::db;
use crate::db::Conn;
use crate::db::changes::Stamper;
use crate::db::citizens::Viewer;
use crate::db::plans::NewPlanConflict;

/// One push's plan mutations: what they read and what they will write.
pub struct PlanBatch {
    user: UserId,
    client: ClientId,
    now: Timestamp,
    /// The citizens named whom the user may see.
    visible: HashSet<CitizenId>,
    /// The users named as coordinators or action owners that exist, and
    /// the citizens each of them may see among those named.
    users: HashMap<UserId, HashSet<CitizenId>>,
    areas: HashSet<AreaId>,
    teams: HashSet<TeamId>,
    /// The citizen of each grant a goal names.
    grants: HashMap<GrantId, CitizenId>,
    /// The citizen of each intensive course a goal names.
    courses: HashMap<CourseId, CitizenId>,
    /// The offers of the catalogue a goal or an action names that exist.
    offers: HashSet<OfferId>,
    /// Rows as the batch has left them (`None`: no such row).
    plans: HashMap<CitizenId, Option<Plan>>,
    goals: HashMap<GoalId, Option<Goal>>,
    actions: HashMap<ActionId, Option<Action>>,
    /// Follow-ups that exist (in the database or made earlier in the batch).
    follow_ups: HashSet<FollowUpId>,
    /// Revisions that exist (in the database or made earlier in the batch).
    revisions: HashSet<PlanRevisionId>,
    plans_touched: Vec<CitizenId>,
    goals_touched: Vec<GoalId>,
    actions_touched: Vec<ActionId>,
    new_follow_ups: Vec<FollowUp>,
    new_revisions: Vec<PlanRevision>,
    conflicts: Vec<NewPlanConflict>,
    /// Meetings as the batch has left them (issue 16).
    meetings: HashMap<MeetingId, Option<Meeting>>,
    meetings_touched: Vec<MeetingId>,
    /// Entries of minutes that exist (in the database or made earlier in
    /// the batch).
    minutes: HashSet<MinutesId>,
    new_minutes: Vec<Minutes>,
}

/// An edit of a row the server has: the row now (`current` at `version`),
/// the phone's (`mine`) and what it was based on (`base`: the row as the
/// phone showed it; none from a phone that had no row, merged then from
/// `blank`).
struct Edit<'a, T> {
    entity: Entity,
    row_id: String,
    citizen: CitizenId,
    current: &'a T,
    version: u64,
    mine: &'a T,
    base: Option<&'a Base<T>>,
    blank: Option<T>,
}

/// Sets `key`'s row in `rows` as the batch leaves it, and marks it to be
/// written (once, in first-touched order).
fn touch<K: Copy + Eq + std::hash::Hash, V>(touched: &mut Vec<K>, rows: &mut HashMap<K, Option<V>>, key: K, row: V) {
    if !touched.contains(&key) {
        touched.push(key);
    }
    rows.insert(key, Some(row));
}

fn not_visible() -> Rejection {
    Rejection::new(
        "not_visible",
        Some("citizen_id"),
        "Du kan ikke se denne borger længere, så planen kan ikke ændres herfra. Kassér ændringen, eller bed borgerens koordinerende sagsbehandler om at lave den.",
        "You can no longer see this citizen, so their plan cannot be changed from here. Discard the change, or ask the citizen's coordinating case worker to make it.",
    )
}

/// The first of a check's refusals: a push's rejection names one field.
fn first_refusal(errors: Vec<ValidationError>) -> ApplyError {
    match errors.into_iter().next() {
        Some(e) => e.into(),
        None => anyhow::anyhow!("a refusal without a reason").into(),
    }
}

fn not_found(field: &'static str) -> Rejection {
    ValidationError::new(field, Problem::NotFound).into()
}

impl PlanBatch {
    /// Reads every row the plan mutations among `bodies` can need; nothing
    /// when there are none.
    pub async fn load(
        conn: &mut Conn,
        user: UserId,
        client: ClientId,
        now: Timestamp,
        bodies: &[&MutationBody],
    ) -> anyhow::Result<PlanBatch> {
        let mut citizens = HashSet::new();
        let (mut goal_ids, mut action_ids, mut follow_up_ids) = (Vec::new(), Vec::new(), Vec::new());
        let mut revision_ids = Vec::new();
        let (mut user_ids, mut area_ids, mut team_ids, mut grant_ids) =
            (HashSet::new(), Vec::new(), Vec::new(), Vec::new());
        let mut course_ids = Vec::new();
        let mut offer_ids = Vec::new();
        let (mut meeting_ids, mut minutes_ids) = (Vec::new(), Vec::new());
        for body in bodies {
            match body {
                MutationBody::PlanSave { plan, .. } => {
                    citizens.insert(plan.citizen_id);
                    user_ids.extend(plan.coordinator_id);
                }
                MutationBody::GoalSave { goal, .. } => {
                    citizens.insert(goal.citizen_id);
                    goal_ids.push(goal.id);
                    area_ids.extend(goal.areas.iter().copied());
                    grant_ids.extend(goal.efforts.iter().filter_map(|e| match e {
                        Effort::Grant(g) => Some(*g),
                        _ => None,
                    }));
                    course_ids.extend(goal.efforts.iter().filter_map(|e| match e {
                        Effort::Course(c) => Some(*c),
                        _ => None,
                    }));
                    offer_ids.extend(goal.efforts.iter().filter_map(|e| match e {
                        Effort::Offer(o) => Some(*o),
                        _ => None,
                    }));
                }
                MutationBody::ActionSave { action, .. } => {
                    citizens.insert(action.citizen_id);
                    goal_ids.push(action.goal_id);
                    action_ids.push(action.id);
                    offer_ids.extend(action.offer);
                    meeting_ids.extend(action.meeting);
                    match action.owner {
                        Owner::User(u) => {
                            user_ids.insert(u);
                        }
                        Owner::Team(t) => team_ids.push(t),
                        Owner::Area(a) => area_ids.push(a),
                        Owner::Citizen => {}
                    }
                }
                MutationBody::FollowUpAdd { follow_up } => {
                    citizens.insert(follow_up.citizen_id);
                    goal_ids.push(follow_up.goal_id);
                    follow_up_ids.push(follow_up.id);
                }
                MutationBody::PlanRevisionAdd { revision } => {
                    citizens.insert(revision.citizen_id);
                    revision_ids.push(revision.id);
                    user_ids.extend(revision.participants.iter().copied());
                }
                MutationBody::MeetingSave { meeting, .. } => {
                    citizens.insert(meeting.citizen_id);
                    meeting_ids.push(meeting.id);
                    user_ids.extend(meeting.staff());
                }
                MutationBody::MinutesAdd { minutes } => {
                    citizens.insert(minutes.citizen_id);
                    meeting_ids.push(minutes.meeting_id);
                    minutes_ids.push(minutes.id);
                    if let AgendaItem::Goal { goal_id } = minutes.item {
                        goal_ids.push(goal_id);
                    }
                }
                // The goals a visit says it worked on: each must be a goal
                // of the visit's citizen ([`PlanBatch::goal_citizen`]).
                MutationBody::VisitSave { visit, .. } => goal_ids.extend(visit.goals().iter().map(|g| g.goal_id)),
                _ => {}
            }
        }
        if citizens.is_empty() && goal_ids.is_empty() {
            return Ok(PlanBatch::empty(user, client, now));
        }
        let today = now.local_date();
        let goals = db::plans::load_goals(conn, &db::json_ids(&goal_ids), true).await?;
        citizens.extend(goals.iter().map(|g| g.fields.citizen_id));
        let actions = db::plans::load_actions(conn, &db::json_ids(&action_ids), true).await?;
        citizens.extend(actions.iter().map(|a| a.fields.citizen_id));
        let meetings = db::meetings::load_meetings(conn, &db::json_ids(&meeting_ids), true).await?;
        citizens.extend(meetings.iter().map(|m| m.fields.citizen_id));
        let citizens: Vec<CitizenId> = citizens.into_iter().collect();
        let viewer = Viewer { user, roles: db::users::roles_of(conn, user).await? };
        let visible = db::citizens::visible_among(conn, &viewer, &citizens, today).await?.into_iter().collect();
        let mut users = HashMap::new();
        for other in user_ids {
            // A deactivated user can no longer see or do anything.
            let Some((roles, true)) = db::admin::user_state(conn, other).await? else { continue };
            let viewer = Viewer { user: other, roles };
            let sees = db::citizens::visible_among(conn, &viewer, &citizens, today).await?.into_iter().collect();
            users.insert(other, sees);
        }
        let mut plans: HashMap<CitizenId, Option<Plan>> = citizens.iter().map(|c| (*c, None)).collect();
        for plan in db::plans::load_plans(conn, &db::json_ids(&citizens), true).await? {
            plans.insert(plan.fields.citizen_id, Some(plan));
        }
        let mut goal_rows: HashMap<GoalId, Option<Goal>> = goal_ids.iter().map(|id| (*id, None)).collect();
        goal_rows.extend(goals.into_iter().map(|g| (g.fields.id, Some(g))));
        let mut action_rows: HashMap<ActionId, Option<Action>> = action_ids.iter().map(|id| (*id, None)).collect();
        action_rows.extend(actions.into_iter().map(|a| (a.fields.id, Some(a))));
        let follow_ups = db::plans::load_follow_ups(conn, &db::json_ids(&follow_up_ids))
            .await?
            .into_iter()
            .map(|f| f.fields.id)
            .collect();
        let revisions = db::plans::load_revisions(conn, &db::json_ids(&revision_ids))
            .await?
            .into_iter()
            .map(|r| r.fields.id)
            .collect();
        let mut meeting_rows: HashMap<MeetingId, Option<Meeting>> = meeting_ids.iter().map(|id| (*id, None)).collect();
        meeting_rows.extend(meetings.into_iter().map(|m| (m.fields.id, Some(m))));
        let minutes = db::meetings::load_minutes(conn, &db::json_ids(&minutes_ids))
            .await?
            .into_iter()
            .map(|m| m.fields.id)
            .collect();
        Ok(PlanBatch {
            visible,
            users,
            areas: db::org::existing_areas(conn, &area_ids).await?.into_iter().collect(),
            teams: db::org::existing_teams(conn, &team_ids).await?.into_iter().collect(),
            grants: db::citizens_of(conn, "grants", &grant_ids).await?.into_iter().collect(),
            courses: db::citizens_of(conn, "courses", &course_ids).await?.into_iter().collect(),
            offers: db::offers::existing(conn, &offer_ids).await?.into_iter().collect(),
            plans,
            goals: goal_rows,
            actions: action_rows,
            follow_ups,
            revisions,
            meetings: meeting_rows,
            minutes,
            ..PlanBatch::empty(user, client, now)
        })
    }

    /// A batch that has read nothing (a push without plan mutations).
    fn empty(user: UserId, client: ClientId, now: Timestamp) -> PlanBatch {
        PlanBatch {
            user,
            client,
            now,
            visible: HashSet::new(),
            users: HashMap::new(),
            areas: HashSet::new(),
            teams: HashSet::new(),
            grants: HashMap::new(),
            courses: HashMap::new(),
            offers: HashSet::new(),
            plans: HashMap::new(),
            goals: HashMap::new(),
            actions: HashMap::new(),
            follow_ups: HashSet::new(),
            revisions: HashSet::new(),
            plans_touched: Vec::new(),
            goals_touched: Vec::new(),
            actions_touched: Vec::new(),
            new_follow_ups: Vec::new(),
            new_revisions: Vec::new(),
            conflicts: Vec::new(),
            meetings: HashMap::new(),
            meetings_touched: Vec::new(),
            minutes: HashSet::new(),
            new_minutes: Vec::new(),
        }
    }

    /// Meeting `id` as the batch has it (saved earlier in the same push
    /// included); `None` for no such meeting.
    pub fn meeting(&self, id: MeetingId) -> Option<&Meeting> {
        self.meetings.get(&id).and_then(|m| m.as_ref())
    }

    /// The citizen whose goal `goal` is, as the batch has it (a goal made
    /// earlier in the same push included); `None` for no such goal.
    pub fn goal_citizen(&self, goal: GoalId) -> Option<CitizenId> {
        self.goals.get(&goal).and_then(|g| g.as_ref()).map(|g| g.fields.citizen_id)
    }

    fn check_visible(&self, citizen: CitizenId) -> Result<(), Rejection> {
        if self.visible.contains(&citizen) { Ok(()) } else { Err(not_visible()) }
    }

    /// Whose data `body` touches and how (for the access log); `None` for
    /// a mutation that is not a plan's.
    pub fn access_of(&self, body: &MutationBody) -> Option<(CitizenId, shared::access::AccessAction)> {
        use shared::access::AccessAction::{Change, Create};
        let action = |exists: bool| if exists { Change } else { Create };
        match body {
            MutationBody::PlanSave { plan, .. } => {
                Some((plan.citizen_id, action(self.plans.get(&plan.citizen_id).is_some_and(Option::is_some))))
            }
            MutationBody::GoalSave { goal, .. } => {
                Some((goal.citizen_id, action(self.goals.get(&goal.id).is_some_and(Option::is_some))))
            }
            MutationBody::ActionSave { action: a, .. } => {
                Some((a.citizen_id, action(self.actions.get(&a.id).is_some_and(Option::is_some))))
            }
            MutationBody::FollowUpAdd { follow_up } => Some((follow_up.citizen_id, Create)),
            MutationBody::PlanRevisionAdd { revision } => Some((revision.citizen_id, Create)),
            MutationBody::MeetingSave { meeting, .. } => {
                Some((meeting.citizen_id, action(self.meetings.get(&meeting.id).is_some_and(Option::is_some))))
            }
            MutationBody::MinutesAdd { minutes } => Some((minutes.citizen_id, Create)),
            _ => None,
        }
    }

    /// Decides one plan mutation; `Ok(false)` for a mutation that is not a
    /// plan's (the caller decides it).
    pub fn apply(&mut self, mutation_id: u64, body: &MutationBody) -> Result<bool, ApplyError> {
        match body {
            MutationBody::PlanSave { plan, base } => self.plan_save(mutation_id, plan, base.as_ref())?,
            MutationBody::GoalSave { goal, base } => self.goal_save(mutation_id, goal, base.as_ref())?,
            MutationBody::ActionSave { action, base } => self.action_save(mutation_id, action, base.as_ref())?,
            MutationBody::FollowUpAdd { follow_up } => self.follow_up_add(follow_up)?,
            MutationBody::PlanRevisionAdd { revision } => self.revision_add(revision)?,
            MutationBody::MeetingSave { meeting, base } => self.meeting_save(mutation_id, meeting, base.as_ref())?,
            MutationBody::MinutesAdd { minutes } => self.minutes_add(minutes)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Begins `citizen`'s plan blank today when the batch has none yet (a
    /// goal can be the first thing written).
    fn begin_plan(&mut self, citizen: CitizenId) {
        if let Some(Some(_)) = self.plans.get(&citizen) {
            return;
        }
        let plan = Plan {
            fields: PlanDraft::blank(citizen),
            created_on: self.now.local_date(),
            row_version: 1,
            updated_at: self.now,
            updated_by: self.user,
        };
        self.set_plan(plan);
    }

    /// The start of `citizen`'s plan ([`Plan::began_on`]); today when it
    /// is not begun yet (a goal begins it).
    fn plan_began(&self, citizen: CitizenId) -> Date {
        match self.plans.get(&citizen) {
            Some(Some(plan)) => plan.began_on(),
            _ => self.now.local_date(),
        }
    }

    fn set_plan(&mut self, plan: Plan) {
        touch(&mut self.plans_touched, &mut self.plans, plan.fields.citizen_id, plan);
    }

    /// What to store for `edit`: the phone's fields where only it changed
    /// them, and the clashes to keep.
    fn decide<T: Clone + PartialEq + serde::Serialize>(
        &mut self,
        mutation_id: u64,
        edit: Edit<'_, T>,
        merge: fn(&T, &T, &T) -> shared::plan::Merge<T>,
    ) -> Result<T, ApplyError> {
        let from = match (edit.base, edit.blank) {
            (Some(base), _) if base.row_version == edit.version => return Ok(edit.mine.clone()),
            (Some(base), _) => base.fields.clone(),
            (None, Some(blank)) => blank,
            // A phone that saves a row it made itself, never confirmed.
            (None, None) => return Ok(edit.mine.clone()),
        };
        let merged = merge(&from, edit.current, edit.mine);
        if !merged.clashes.is_empty() {
            let (user, client) = (self.user, self.client);
            self.conflicts.push(NewPlanConflict {
                entity: edit.entity,
                row_id: edit.row_id,
                citizen: edit.citizen,
                user,
                client,
                mutation_id,
                fields: merged.clashes,
                theirs: serde_json::to_value(edit.current).map_err(anyhow::Error::from)?,
                mine: serde_json::to_value(edit.mine).map_err(anyhow::Error::from)?,
            });
        }
        Ok(merged.merged)
    }

    /// The fields and row version to store for an edit of a versioned row
    /// (`current`: its fields and version now, `None` when new): the
    /// phone's at version 1 when new, else merged with the row as it is
    /// ([`Self::decide`]).
    fn next_version<T: Clone + PartialEq + serde::Serialize>(
        &mut self,
        mutation_id: u64,
        (entity, citizen, row_id): (Entity, CitizenId, String),
        current: Option<(&T, u64)>,
        (mine, base): (&T, Option<&Base<T>>),
        merge: fn(&T, &T, &T) -> shared::plan::Merge<T>,
    ) -> Result<(T, u64), ApplyError> {
        let Some((fields, version)) = current else { return Ok((mine.clone(), 1)) };
        let edit = Edit { entity, row_id, citizen, current: fields, version, mine, base, blank: None };
        Ok((self.decide(mutation_id, edit, merge)?, version + 1))
    }

    fn plan_save(
        &mut self,
        mutation_id: u64,
        mine: &PlanDraft,
        base: Option<&Base<PlanDraft>>,
    ) -> Result<(), ApplyError> {
        let (user, now) = (self.user, self.now);
        let citizen = mine.citizen_id;
        self.check_visible(citizen)?;
        let stored = self.plans.get(&citizen).cloned().flatten();
        mine.check(stored.as_ref().map(|p| &p.fields), now.local_date()).map_err(first_refusal)?;
        if let Some(coordinator) = mine.coordinator_id
            && !self.users.get(&coordinator).is_some_and(|sees| sees.contains(&citizen))
        {
            return Err(Rejection::new(
                "not_visible",
                Some("coordinator_id"),
                "Den koordinerende sagsbehandler skal kunne se borgeren. Vælg en anden, eller gør borgeren synlig for personen først.",
                "The coordinating case worker must be able to see the citizen. Choose someone else, or give them access first.",
            )
            .into());
        }
        let plan = match stored {
            None => Plan {
                fields: mine.clone(),
                created_on: now.local_date(),
                row_version: 1,
                updated_at: now,
                updated_by: user,
            },
            Some(current) => {
                let edit = Edit {
                    entity: Entity::Plan,
                    row_id: citizen.to_string(),
                    citizen,
                    current: &current.fields,
                    version: current.row_version,
                    mine,
                    base: base.filter(|b| b.row_version > 0),
                    blank: Some(PlanDraft::blank(citizen)),
                };
                let fields = self.decide(mutation_id, edit, merge_plan)?;
                Plan { fields, row_version: current.row_version + 1, updated_at: now, updated_by: user, ..current }
            }
        };
        self.set_plan(plan);
        Ok(())
    }

    fn check_goal(&self, goal: &GoalDraft) -> Result<(), ApplyError> {
        goal.check()?;
        if goal.areas.iter().any(|a| !self.areas.contains(a)) {
            return Err(not_found("areas").into());
        }
        for effort in &goal.efforts {
            let known = match effort {
                Effort::Grant(g) => self.grants.get(g) == Some(&goal.citizen_id),
                Effort::Offer(o) => self.offers.contains(o),
                Effort::Course(c) => self.courses.get(c) == Some(&goal.citizen_id),
            };
            if !known {
                return Err(not_found("efforts").into());
            }
        }
        Ok(())
    }

    fn goal_save(
        &mut self,
        mutation_id: u64,
        mine: &GoalDraft,
        base: Option<&Base<GoalDraft>>,
    ) -> Result<(), ApplyError> {
        let (user, now) = (self.user, self.now);
        self.check_visible(mine.citizen_id)?;
        self.check_goal(mine)?;
        let current = self.goals.get(&mine.id).cloned().flatten();
        if current.as_ref().is_some_and(|c| c.fields.citizen_id != mine.citizen_id) {
            return Err(not_found("citizen_id").into());
        }
        if current.is_none() && base.is_some_and(|b| b.row_version > 0) {
            return Err(not_found("id").into());
        }
        mine.check_target(current.as_ref().map(|c| &c.fields), self.plan_began(mine.citizen_id))?;
        let goal = match current {
            None => Goal {
                fields: mine.clone(),
                created_on: now.local_date(),
                row_version: 1,
                updated_at: now,
                updated_by: user,
            },
            Some(current) => {
                let edit = Edit {
                    entity: Entity::Goal,
                    row_id: mine.id.to_string(),
                    citizen: mine.citizen_id,
                    current: &current.fields,
                    version: current.row_version,
                    mine,
                    base,
                    blank: None,
                };
                let fields = self.decide(mutation_id, edit, merge_goal)?;
                // The merge may pair fields that break a rule together (one
                // side's second area, the other's same area).
                fields.check()?;
                Goal { fields, row_version: current.row_version + 1, updated_at: now, updated_by: user, ..current }
            }
        };
        self.begin_plan(mine.citizen_id);
        touch(&mut self.goals_touched, &mut self.goals, mine.id, goal);
        Ok(())
    }

    /// The goal `goal` of `citizen`, as the batch has it.
    fn goal_of(&self, goal: GoalId, citizen: CitizenId) -> Result<&Goal, Rejection> {
        match self.goals.get(&goal) {
            Some(Some(g)) if g.fields.citizen_id == citizen => Ok(g),
            _ => Err(not_found("goal_id")),
        }
    }

    fn action_save(
        &mut self,
        mutation_id: u64,
        mine: &ActionDraft,
        base: Option<&Base<ActionDraft>>,
    ) -> Result<(), ApplyError> {
        let (user, now) = (self.user, self.now);
        let citizen = mine.citizen_id;
        self.check_visible(citizen)?;
        self.goal_of(mine.goal_id, citizen)?;
        self.check_owner(mine.owner, citizen)?;
        if mine.offer.is_some_and(|o| !self.offers.contains(&o)) {
            return Err(not_found("offer").into());
        }
        if let Some(meeting) = mine.meeting
            && !matches!(self.meetings.get(&meeting), Some(Some(m)) if m.fields.citizen_id == citizen)
        {
            return Err(not_found("meeting").into());
        }
        let current = self.actions.get(&mine.id).cloned().flatten();
        if current.as_ref().is_some_and(|c| c.fields.citizen_id != citizen || c.fields.goal_id != mine.goal_id) {
            return Err(not_found("goal_id").into());
        }
        if current.is_none() && base.is_some_and(|b| b.row_version > 0) {
            return Err(not_found("id").into());
        }
        mine.check_due(current.as_ref().map(|c| &c.fields), self.plan_began(citizen))?;
        let now_row = current.as_ref().map(|c| (&c.fields, c.row_version));
        let row = (Entity::Action, citizen, mine.id.to_string());
        let (fields, row_version) = self.next_version(mutation_id, row, now_row, (mine, base), merge_action)?;
        let action = Action { fields, row_version, updated_at: now, updated_by: user };
        touch(&mut self.actions_touched, &mut self.actions, mine.id, action);
        Ok(())
    }

    /// An action is done by someone who may see the citizen, or by a team,
    /// an area or the citizen.
    fn check_owner(&self, owner: Owner, citizen: CitizenId) -> Result<(), Rejection> {
        let ok = match owner {
            Owner::User(u) => self.users.get(&u).is_some_and(|sees| sees.contains(&citizen)),
            Owner::Team(t) => self.teams.contains(&t),
            Owner::Area(a) => self.areas.contains(&a),
            Owner::Citizen => true,
        };
        if ok {
            return Ok(());
        }
        if matches!(owner, Owner::User(_)) {
            return Err(Rejection::new(
                "not_visible",
                Some("owner"),
                "Den valgte person kan ikke se borgeren og kan derfor ikke stå for handlingen. Vælg en anden, eller et team eller område.",
                "The person chosen cannot see the citizen, so they cannot own the action. Choose someone else, or a team or area.",
            ));
        }
        Err(not_found("owner"))
    }

    fn follow_up_add(&mut self, draft: &FollowUpDraft) -> Result<(), ApplyError> {
        let (user, now) = (self.user, self.now);
        if self.follow_ups.contains(&draft.id) {
            return Ok(()); // Made already: follow-ups never change.
        }
        self.check_visible(draft.citizen_id)?;
        self.goal_of(draft.goal_id, draft.citizen_id)?;
        let begun = match self.plans.get(&draft.citizen_id) {
            Some(Some(plan)) => plan.began_on(),
            _ => return Err(not_found("goal_id").into()),
        };
        // The phone's day may run a few minutes ahead of the server's.
        let today: Date = now.add_minutes(5).local_date();
        draft.check(begun, today)?;
        self.follow_ups.insert(draft.id);
        self.new_follow_ups.push(FollowUp { fields: draft.clone(), by: user, recorded_at: now });
        Ok(())
    }

    /// A revision of the plan: by whoever may see the citizen (the plan is
    /// begun by it if none is), dated from the plan's start to today, the
    /// staff named existing and active; a replay changes nothing.
    fn revision_add(&mut self, draft: &PlanRevisionDraft) -> Result<(), ApplyError> {
        if self.revisions.contains(&draft.id) {
            return Ok(()); // Made already: revisions never change.
        }
        self.check_visible(draft.citizen_id)?;
        if let Some(i) = draft.participants.iter().position(|p| !self.users.contains_key(p)) {
            return Err(ValidationError::new(format!("participants[{i}]"), Problem::NotFound).into());
        }
        self.begin_plan(draft.citizen_id);
        let began = match self.plans.get(&draft.citizen_id) {
            Some(Some(plan)) => plan.began_on(),
            _ => return Err(anyhow::anyhow!("a plan begun and not there").into()),
        };
        // The phone's day may run a few minutes ahead of the server's.
        let today: Date = self.now.add_minutes(5).local_date();
        draft.check(began, today).map_err(first_refusal)?;
        self.revisions.insert(draft.id);
        self.new_revisions.push(PlanRevision { fields: draft.clone(), by: self.user, recorded_at: self.now });
        Ok(())
    }

    /// A meeting planned, changed, held or cancelled: by whoever may see
    /// the citizen; organiser, invited and present may see them too; merged
    /// with others' changes like a goal.
    fn meeting_save(
        &mut self,
        mutation_id: u64,
        mine: &MeetingDraft,
        base: Option<&Base<MeetingDraft>>,
    ) -> Result<(), ApplyError> {
        let (user, now) = (self.user, self.now);
        let citizen = mine.citizen_id;
        self.check_visible(citizen)?;
        // The phone's day may run a few minutes ahead of the server's.
        let today: Date = now.add_minutes(5).local_date();
        mine.check(today).map_err(first_refusal)?;
        self.check_staff(mine)?;
        let current = self.meetings.get(&mine.id).cloned().flatten();
        if current.as_ref().is_some_and(|c| c.fields.citizen_id != citizen) {
            return Err(not_found("citizen_id").into());
        }
        if current.is_none() && base.is_some_and(|b| b.row_version > 0) {
            return Err(not_found("id").into());
        }
        let now_row = current.as_ref().map(|c| (&c.fields, c.row_version));
        let row = (Entity::Meeting, citizen, mine.id.to_string());
        let (fields, row_version) = self.next_version(mutation_id, row, now_row, (mine, base), merge_meeting)?;
        // Two edits may pair fields that break a rule together.
        fields.check(today).map_err(first_refusal)?;
        let meeting = Meeting { fields, row_version, updated_at: now, updated_by: user };
        touch(&mut self.meetings_touched, &mut self.meetings, mine.id, meeting);
        Ok(())
    }

    /// Everyone a meeting names may see its citizen (issue 16: "a meeting
    /// whose participants cannot see the citizen" is refused).
    fn check_staff(&self, m: &MeetingDraft) -> Result<(), ApplyError> {
        let sees = |u: &UserId| self.users.get(u).is_some_and(|s| s.contains(&m.citizen_id));
        if !sees(&m.organiser_id) {
            return Err(ValidationError::new("organiser_id", Problem::CannotSeeCitizen).into());
        }
        for (field, people) in [("participants", &m.participants), ("present", &m.present)] {
            if let Some(i) = people.iter().position(|u| !sees(u)) {
                return Err(ValidationError::new(format!("{field}[{i}]"), Problem::CannotSeeCitizen).into());
            }
        }
        Ok(())
    }

    /// An entry of a meeting's minutes; a replay changes nothing.
    fn minutes_add(&mut self, draft: &MinutesDraft) -> Result<(), ApplyError> {
        if self.minutes.contains(&draft.id) {
            return Ok(()); // Written already: minutes never change.
        }
        self.check_visible(draft.citizen_id)?;
        let Some(Some(meeting)) = self.meetings.get(&draft.meeting_id) else {
            return Err(not_found("meeting_id").into());
        };
        // The phone's day may run a few minutes ahead of the server's.
        let today: Date = self.now.add_minutes(5).local_date();
        draft.check(&meeting.fields, today)?;
        if let AgendaItem::Goal { goal_id } = draft.item
            && self.goal_of(goal_id, draft.citizen_id).is_err()
        {
            return Err(not_found("item").into());
        }
        self.minutes.insert(draft.id);
        self.new_minutes.push(Minutes { fields: draft.clone(), by: self.user, recorded_at: self.now });
        Ok(())
    }

    /// Writes what the accepted mutations changed, stamped in `stamper`:
    /// plans before the goals under them, goals and meetings before their
    /// actions, follow-ups and minutes.
    pub async fn write(&self, conn: &mut Conn, stamper: &mut Stamper) -> anyhow::Result<()> {
        for citizen in &self.plans_touched {
            if let Some(Some(plan)) = self.plans.get(citizen) {
                db::plans::upsert_plan(conn, stamper, plan).await?;
            }
        }
        for id in &self.goals_touched {
            if let Some(Some(goal)) = self.goals.get(id) {
                db::plans::upsert_goal(conn, stamper, goal).await?;
            }
        }
        for id in &self.meetings_touched {
            if let Some(Some(meeting)) = self.meetings.get(id) {
                db::meetings::upsert_meeting(conn, stamper, meeting).await?;
            }
        }
        for id in &self.actions_touched {
            if let Some(Some(action)) = self.actions.get(id) {
                db::plans::upsert_action(conn, stamper, action).await?;
            }
        }
        for follow_up in &self.new_follow_ups {
            db::plans::insert_follow_up(conn, stamper, follow_up).await?;
        }
        for revision in &self.new_revisions {
            db::plans::insert_revision(conn, stamper, revision).await?;
        }
        for minutes in &self.new_minutes {
            db::meetings::insert_minutes(conn, stamper, minutes).await?;
        }
        for conflict in &self.conflicts {
            db::plans::insert_conflict(conn, conflict, self.now).await?;
        }
        Ok(())
    }
}
