//! The sync protocol between a phone and the server (DESIGN.md §3):
//! Replicache-style push of an ordered outbox, commit-ordered pull of
//! changes. Everything here is data and pure logic; the IO lives in `app`
//! (IndexedDB, fetch) and `server` (SQL).
//!
//! **Push.** A phone's mutations carry ids 1, 2, 3, … without gaps, per
//! client. The server applies each exactly once, in order: a replayed id is
//! answered from the stored result; a gap is refused with the id expected; a
//! mutation the domain refuses is *rejected* (its payload kept and reported)
//! and the queue moves on.
//!
//! **Pull.** Pages of changes after an opaque cursor, in commit order, scoped
//! to what the user may see; `reset` tells the phone to replace everything
//! it holds (new database epoch, or the user's scope changed).
//!
//! **A phone's writes build on its own earlier writes.** A mutation that
//! changes an existing record carries a *base*: the record as the phone
//! showed it when the user acted — the server's row with this phone's
//! earlier, still unconfirmed mutations replayed on top ([`VisitBase`]) —
//! and the version of the server row under it. The server decides each
//! mutation against its state *plus the same phone's earlier mutations*
//! (they were applied first, in order; a push's batch sees its own writes),
//! so a field differs between the base and the server only if someone else
//! changed it: only a change by someone else can conflict. A record the
//! phone created and the server has not confirmed has base version 0; a
//! record the server has deleted is never brought back by an edit.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::assignment::Assignment;
use crate::citizen::Citizen;
use crate::drawing_right::DrawingRight;
use crate::error::{Localized, ValidationError};
use crate::grant::Grant;
use crate::id::{CitizenId, ClientId, NoticeId, TimerId, VisitId};
use crate::meeting::{Meeting, MeetingDraft, Minutes, MinutesDraft};
use crate::notice::DecisionNotice;
use crate::plan::{
    Action, ActionDraft, Base, FollowUp, FollowUpDraft, Goal, GoalDraft, Plan, PlanDraft, PlanRevision,
    PlanRevisionDraft,
};
use crate::time::Timestamp;
use crate::timer::Timer;
use crate::visit::{Correction, Visit, VisitDraft};

/// The protocol this build speaks. The server accepts this and the previous
/// one; anything else gets 426 and the phone asks the user to reload.
pub const PROTOCOL_VERSION: u32 = 1;
/// The shape of the rows in [`Change`]. Bumped when a row type changes.
/// 2: a citizen carries the `layer` it is in today instead of a target
/// group (issue 14). 3: the citizen's plan, its goals, actions and
/// follow-ups (issue 15). 4: the plan's revisions (issue 15). 5: decision
/// notices (issue 16). 6: meetings and their minutes (issue 16). 7: a
/// visit's `co_workers` and a share's `joint_of` (joint visits, issue 16):
/// a phone on 6 would keep a joint visit without its colleagues, and its
/// next edit of it would take their shares away. 8: a meeting's
/// `starts_at` and `duration`, a meeting visit's `meeting_of`, and a
/// citizen's layer's `meetings_per_year` (issue 16): a phone on 7 would let
/// its worker edit a meeting visit, drop the meeting's time when it
/// changes the meeting, and measure every citizen at three a year.
#[cfg(not(feature = "next-schema"))]
pub const SCHEMA_VERSION: u32 = 8;
/// The rehearsal of the next update (feature `next-schema`): `Timer::label`.
#[cfg(feature = "next-schema")]
pub const SCHEMA_VERSION: u32 = 9;
/// The most mutations one push may carry.
pub const MAX_PUSH_MUTATIONS: usize = 100;
/// The most bytes of JSON a phone puts in one push: batches are cut by
/// count and by size, well under the server's body limit (1 MiB), so a
/// queue of large edits drains instead of being refused with 413 forever.
pub const MAX_PUSH_BYTES: usize = 256 * 1024;
/// The most bytes of JSON one mutation may take. A larger one could never
/// be sent, so the phone refuses it when the user saves, with the typed
/// data still on screen ([`check_size`]).
pub const MAX_MUTATION_BYTES: usize = 64 * 1024;
/// The most changes one pull page carries.
pub const MAX_PULL_CHANGES: usize = 1000;

/// One thing the user did on the phone, waiting in the outbox. JSON:
/// `{"id": 7, "created_at": "2026-11-23T10:05:00.000Z", "body": {"type":
/// "visit_save", ...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mutation {
    /// Gap-free per client, from 1.
    pub id: u64,
    /// The phone's clock when the user acted.
    pub created_at: Timestamp,
    /// What the user did.
    pub body: MutationBody,
}

/// What a [`Mutation`] does. JSON: an object tagged by `type`
/// ([`MutationBody::kind`]): `"visit_save"`, `"visit_delete"`,
/// `"visit_correct"`, `"timer_start"`, `"timer_stop"`, `"plan_save"`,
/// `"goal_save"`, `"action_save"`, `"follow_up_add"`,
/// `"plan_revision_add"`, `"notice_read"`, `"meeting_save"`,
/// `"minutes_add"`, with the variant's
/// fields beside it, e.g. `{"type": "visit_correct", "visit_id": ...,
/// "base_version": 3, "base": null, "correction": {"minutes": 45, "reason":
/// "..."}}`. Its payload types check themselves as they parse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MutationBody {
    /// Create or change a visit. `base` is the server's version the phone
    /// edited (absent for a new visit), for merging concurrent edits.
    VisitSave { visit: VisitDraft, base: Option<VisitBase> },
    /// Delete a visit. `base_version` is the server version under the
    /// phone's view (0: created on this phone, never confirmed); `base` is
    /// the visit as the phone showed it. The delete is refused only if
    /// someone else changed the visit since (older phones send no `base`:
    /// then any newer server version refuses it).
    VisitDelete {
        visit_id: VisitId,
        base_version: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        base: Option<VisitBase>,
    },
    /// A lead sets (or with `None` removes) the correction of a visit. The
    /// correction is the lead's field, so it never clashes with a worker's
    /// edit; `base` is the correction the lead saw, for two leads' edits.
    VisitCorrect { visit_id: VisitId, base_version: u64, base: Option<Correction>, correction: Option<Correction> },
    /// Start a visit timer for a citizen, at `started_at` (the phone's clock).
    TimerStart { timer_id: TimerId, citizen_id: CitizenId, started_at: Timestamp },
    /// Stop a running timer at `stopped_at` (the phone's clock).
    TimerStop { timer_id: TimerId, stopped_at: Timestamp },
    /// Begin or change the citizen's plan (issue 15). `base`: the plan as
    /// the phone showed it (absent when the phone had none).
    PlanSave { plan: PlanDraft, base: Option<Base<PlanDraft>> },
    /// Add or change a goal of a citizen's plan (begun by it if none is).
    GoalSave { goal: GoalDraft, base: Option<Base<GoalDraft>> },
    /// Add or change an agreed action under a goal.
    ActionSave { action: ActionDraft, base: Option<Base<ActionDraft>> },
    /// Add a follow-up on a goal; follow-ups never change once made, so a
    /// replay of the same id changes nothing.
    FollowUpAdd { follow_up: FollowUpDraft },
    /// Record a revision of the plan, gone through with the citizen; never
    /// changed once made, so a replay of the same id changes nothing.
    PlanRevisionAdd { revision: PlanRevisionDraft },
    /// The recipient read a decision notice at `read_at` (the phone's
    /// clock; issue 16). The first read stands: a replay, or a read on a
    /// second device, changes nothing.
    NoticeRead { notice_id: NoticeId, read_at: Timestamp },
    /// Plan, change, hold or cancel a cross-disciplinary meeting (issue
    /// 16). `base`: the meeting as the phone showed it (absent for a new
    /// one).
    MeetingSave { meeting: MeetingDraft, base: Option<Base<MeetingDraft>> },
    /// Add an entry to a meeting's minutes; entries never change once
    /// made, so a replay of the same id changes nothing.
    MinutesAdd { minutes: MinutesDraft },
}

impl MutationBody {
    /// The stable name of the mutation kind (as on the wire).
    pub fn kind(&self) -> &'static str {
        match self {
            MutationBody::VisitSave { .. } => "visit_save",
            MutationBody::VisitDelete { .. } => "visit_delete",
            MutationBody::VisitCorrect { .. } => "visit_correct",
            MutationBody::TimerStart { .. } => "timer_start",
            MutationBody::TimerStop { .. } => "timer_stop",
            MutationBody::PlanSave { .. } => "plan_save",
            MutationBody::GoalSave { .. } => "goal_save",
            MutationBody::ActionSave { .. } => "action_save",
            MutationBody::FollowUpAdd { .. } => "follow_up_add",
            MutationBody::PlanRevisionAdd { .. } => "plan_revision_add",
            MutationBody::NoticeRead { .. } => "notice_read",
            MutationBody::MeetingSave { .. } => "meeting_save",
            MutationBody::MinutesAdd { .. } => "minutes_add",
        }
    }

    /// What the mutation changes, as the access log names it; `None` for
    /// reading a notice, which changes no citizen's data.
    pub fn subject(&self) -> Option<crate::access::AccessSubject> {
        use crate::access::AccessSubject as S;
        Some(match self {
            MutationBody::VisitSave { .. } | MutationBody::VisitDelete { .. } | MutationBody::VisitCorrect { .. } => {
                S::Visit
            }
            MutationBody::TimerStart { .. } | MutationBody::TimerStop { .. } => S::Timer,
            MutationBody::PlanSave { .. } => S::Plan,
            MutationBody::GoalSave { .. } => S::Goal,
            MutationBody::ActionSave { .. } => S::PlanAction,
            MutationBody::FollowUpAdd { .. } => S::FollowUp,
            MutationBody::PlanRevisionAdd { .. } => S::PlanRevision,
            MutationBody::MeetingSave { .. } => S::Meeting,
            MutationBody::MinutesAdd { .. } => S::Minutes,
            MutationBody::NoticeRead { .. } => return None,
        })
    }
}

/// What a phone's change of a visit was based on: the visit as the phone
/// showed it — the server's row with this phone's own unconfirmed
/// mutations replayed on top — and the version of the server row under
/// that view (0 when the server has not yet confirmed the visit). JSON:
/// `{"row_version": 4, "fields": {...}, "correction": {...}}`
/// (`correction` absent when there is none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitBase {
    /// The server row's version under the phone's view (0: not yet confirmed).
    pub row_version: u64,
    /// The worker's fields as the phone showed them.
    pub fields: VisitDraft,
    /// The lead's correction as the phone showed it (absent from older
    /// phones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<Correction>,
}

impl VisitBase {
    /// The base for an edit of `visit` as the server holds it.
    pub fn of(visit: &Visit) -> VisitBase {
        VisitBase { row_version: visit.row_version, fields: visit.draft(), correction: visit.correction.clone() }
    }

    /// Whether `current` is still what this base describes: nobody but the
    /// phone that made the base has changed it since.
    pub fn still_matches(&self, current: &Visit) -> bool {
        current.row_version == self.row_version
            || (self.fields == current.draft() && self.correction == current.correction)
    }
}

/// Refuses a mutation whose JSON takes `bytes` bytes if that is too large
/// to ever be sent ([`MAX_MUTATION_BYTES`]), so a phone says so when the
/// user saves instead of queueing what can never drain.
///
/// Errors: `mutation` `too_large` with the limit in kilobytes.
pub fn check_size(bytes: usize) -> Result<(), ValidationError> {
    if bytes > MAX_MUTATION_BYTES {
        let max_kb = u32::try_from(MAX_MUTATION_BYTES / 1024).unwrap_or(u32::MAX);
        return Err(ValidationError::new("mutation", crate::error::Problem::TooLarge { max_kb }));
    }
    Ok(())
}

/// What became of one mutation. JSON: `{"status": "applied"}` or
/// `{"status": "rejected", "code": "not_chargeable", "message": {"da": ...,
/// "en": ...}, "field": "charged_to"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Applied. A replayed id is answered with its stored outcome.
    Applied,
    /// The domain refused it. The server keeps the payload; nothing was changed.
    Rejected { code: String, message: Localized, field: Option<String> },
}

/// The outcome of one pushed mutation. JSON:
/// `{"id": 7, "outcome": {"status": "applied"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MutationResult {
    /// The mutation's id.
    pub id: u64,
    /// Applied or rejected.
    pub outcome: Outcome,
}

/// `POST /api/sync/push`. JSON: `{"protocol_version": 1, "schema_version":
/// 1, "client_id": ..., "mutations": [...]}`. The server answers 426 unless
/// `protocol_version` is [`PROTOCOL_VERSION`] or the one before and
/// `schema_version` is [`SCHEMA_VERSION`]; refuses more than
/// [`MAX_PUSH_MUTATIONS`] (`mutations` `out_of_range`); and answers a gap
/// in the ids with 409 `mutation_gap` and the id it expects
/// ([`crate::ErrorBody::expected_mutation_id`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    /// The protocol the phone speaks ([`PROTOCOL_VERSION`]).
    pub protocol_version: u32,
    /// The row shapes the phone knows ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The phone's local database.
    pub client_id: ClientId,
    /// The outbox's next mutations, in id order.
    pub mutations: Vec<Mutation>,
}

/// The answer to a push. JSON: `{"last_mutation_id": 7, "results":
/// [{"id": 7, "outcome": {"status": "applied"}}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// The highest mutation id the server has processed for this client.
    pub last_mutation_id: u64,
    /// One result per mutation in the request (replays answered from the
    /// stored result).
    pub results: Vec<MutationResult>,
}

/// Where a phone is in the server's change stream. Opaque to the phone:
/// store it, send it back. JSON: a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cursor(pub String);

/// `POST /api/sync/pull`. JSON: `{"protocol_version": 1, "schema_version":
/// 1, "client_id": ..., "cursor": null}` (plus `"verify": true` when asked;
/// absent means `false`). Versions as for [`PushRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    /// The protocol the phone speaks ([`PROTOCOL_VERSION`]).
    pub protocol_version: u32,
    /// The row shapes the phone knows ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The phone's local database.
    pub client_id: ClientId,
    /// `None` on the first pull, or after a reset.
    pub cursor: Option<Cursor>,
    /// Ask for a [`Digest`] of the rows in scope with the last page, to
    /// check that the phone holds exactly those (a phone asks about once a
    /// day; it costs the server a scan of the user's rows).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub verify: bool,
}

/// One page of a pull. JSON: `{"cursor": "...", "reset": false,
/// "has_more": false, "remaining": 0, "changes": [...],
/// "confirmed_last_mutation_id": 7, "rejected": [...], "server_time":
/// "..."}` (plus `digest` when asked to verify). At most
/// [`MAX_PULL_CHANGES`] changes a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Where the next page starts; store it once the last page is applied.
    pub cursor: Cursor,
    /// Replace every server row the phone holds with what the pages bring.
    pub reset: bool,
    /// More pages follow: pull again with `cursor` before applying.
    pub has_more: bool,
    /// Changes left after this page (for a progress bar).
    pub remaining: u64,
    /// The rows changed after the cursor, in commit order.
    pub changes: Vec<Change>,
    /// Every mutation up to this id is reflected in the rows up to `cursor`:
    /// the phone may drop them from its outbox once this page set is applied.
    pub confirmed_last_mutation_id: u64,
    /// Mutations the server rejected, with their payload, that this phone
    /// has not been told of in an earlier pull.
    pub rejected: Vec<RejectedMutation>,
    /// The server's clock when it answered.
    pub server_time: Timestamp,
    /// On the last page of a pull that asked to verify: the rows the phone
    /// should hold once the pages are applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<Digest>,
}

/// An order-independent fingerprint of a set of rows: per entity, how many
/// and the wrapping sum of a hash of each id. The server computes it over
/// the rows in the user's scope, the phone over the rows it holds; the two
/// differ when the phone holds a row it should not, or lacks one (then it
/// downloads everything again). JSON: an object by entity code,
/// `{"visit": {"count": 17, "sum": 1234567890123}}`; an entity with no rows
/// may be absent (`{}` for none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Digest(std::collections::BTreeMap<Entity, RowsDigest>);

/// One entity's part of a [`Digest`]. JSON: `{"count": 17, "sum": ...}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowsDigest {
    /// How many rows.
    pub count: u64,
    /// The wrapping sum of a 64-bit hash of each row's id.
    pub sum: u64,
}

impl Digest {
    /// Counts one row of `entity` with id `id`.
    pub fn add(&mut self, entity: Entity, id: Uuid) {
        let rows = self.0.entry(entity).or_default();
        rows.count += 1;
        rows.sum = rows.sum.wrapping_add(id_hash(id));
    }

    /// The entities whose rows differ, in [`Entity::ALL`]'s order (an absent
    /// entity counts as no rows).
    pub fn differs_in(&self, other: &Digest) -> Vec<Entity> {
        Entity::ALL
            .into_iter()
            .filter(|e| self.0.get(e).copied().unwrap_or_default() != other.0.get(e).copied().unwrap_or_default())
            .collect()
    }
}

impl FromIterator<(Entity, Uuid)> for Digest {
    fn from_iter<I: IntoIterator<Item = (Entity, Uuid)>>(rows: I) -> Digest {
        let mut d = Digest::default();
        for (entity, id) in rows {
            d.add(entity, id);
        }
        d
    }
}

/// FNV-1a over the id's bytes, then the SplitMix64 finaliser, so that sums
/// of nearby ids (UUIDv7 share their leading bytes) do not cancel out.
fn id_hash(id: Uuid) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// A mutation the server rejected, told to the phone once. JSON:
/// `{"id": 7, "mutation": {...}, "code": "not_chargeable", "message":
/// {"da": ..., "en": ...}, "field": "charged_to"}`; `code` is a
/// [`crate::Problem`] code or another stable one such as
/// [`crate::conflict::EDIT_NOT_KEPT`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedMutation {
    /// The mutation's id.
    pub id: u64,
    /// The payload, when it parsed (the phone has its own copy in any case).
    pub mutation: Option<Mutation>,
    /// Why, as a stable code.
    pub code: String,
    /// Why, in Danish and English.
    pub message: Localized,
    /// The refused field, when there is one.
    pub field: Option<String>,
}

/// Which kind of row a change is about. JSON and [`Entity::code`]:
/// `"citizen"`, `"assignment"`, `"grant"`, `"drawing_right"`, `"visit"`,
/// `"timer"`, `"plan"`, `"goal"`, `"action"`, `"follow_up"`,
/// `"plan_revision"`, `"decision_notice"`, `"meeting"`, `"minutes"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Citizen,
    Assignment,
    Grant,
    DrawingRight,
    Visit,
    Timer,
    Plan,
    Goal,
    Action,
    FollowUp,
    PlanRevision,
    DecisionNotice,
    Meeting,
    Minutes,
    /// The rehearsal's new synced entity (feature `next-schema` only).
    #[cfg(feature = "next-schema")]
    Rehearsal,
}

impl Entity {
    /// Every entity, in this order.
    #[cfg(not(feature = "next-schema"))]
    pub const ALL: [Entity; 14] = [
        Entity::Citizen,
        Entity::Assignment,
        Entity::Grant,
        Entity::DrawingRight,
        Entity::Visit,
        Entity::Timer,
        Entity::Plan,
        Entity::Goal,
        Entity::Action,
        Entity::FollowUp,
        Entity::PlanRevision,
        Entity::DecisionNotice,
        Entity::Meeting,
        Entity::Minutes,
    ];
    /// Every entity, in this order (with the rehearsal's).
    #[cfg(feature = "next-schema")]
    pub const ALL: [Entity; 15] = [
        Entity::Citizen,
        Entity::Assignment,
        Entity::Grant,
        Entity::DrawingRight,
        Entity::Visit,
        Entity::Timer,
        Entity::Plan,
        Entity::Goal,
        Entity::Action,
        Entity::FollowUp,
        Entity::PlanRevision,
        Entity::DecisionNotice,
        Entity::Meeting,
        Entity::Minutes,
        Entity::Rehearsal,
    ];

    /// The wire name, as serde writes it (`"drawing_right"`).
    pub fn code(self) -> &'static str {
        match self {
            Entity::Citizen => "citizen",
            Entity::Assignment => "assignment",
            Entity::Grant => "grant",
            Entity::DrawingRight => "drawing_right",
            Entity::Visit => "visit",
            Entity::Timer => "timer",
            Entity::Plan => "plan",
            Entity::Goal => "goal",
            Entity::Action => "action",
            Entity::FollowUp => "follow_up",
            Entity::PlanRevision => "plan_revision",
            Entity::DecisionNotice => "decision_notice",
            Entity::Meeting => "meeting",
            Entity::Minutes => "minutes",
            #[cfg(feature = "next-schema")]
            Entity::Rehearsal => "rehearsal",
        }
    }
}

/// The latest state of one row: its new value, or that it is gone. JSON:
/// `{"entity": "visit", "row": {...}}`, or for a deletion
/// `{"entity": "deleted", "row": {"of": "visit", "id": ...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "entity", content = "row", rename_all = "snake_case")]
pub enum Change {
    Citizen(Citizen),
    Assignment(Assignment),
    Grant(Grant),
    DrawingRight(DrawingRight),
    Visit(Visit),
    Timer(Timer),
    Plan(Plan),
    Goal(Goal),
    Action(Action),
    FollowUp(FollowUp),
    PlanRevision(PlanRevision),
    DecisionNotice(DecisionNotice),
    Meeting(Meeting),
    Minutes(Minutes),
    #[cfg(feature = "next-schema")]
    Rehearsal(Rehearsal),
    /// The row `id` of entity `of` was deleted.
    Deleted {
        of: Entity,
        id: Uuid,
    },
}

impl Change {
    /// The citizen whose data the change carries, if any.
    pub fn citizen(&self) -> Option<CitizenId> {
        match self {
            Change::Citizen(r) => Some(r.id),
            Change::Assignment(r) => Some(r.citizen_id),
            Change::Grant(r) => Some(r.citizen_id),
            Change::Visit(r) => Some(r.citizen_id),
            Change::Timer(r) => Some(r.citizen_id),
            Change::Plan(r) => Some(r.fields.citizen_id),
            Change::Goal(r) => Some(r.fields.citizen_id),
            Change::Action(r) => Some(r.fields.citizen_id),
            Change::FollowUp(r) => Some(r.fields.citizen_id),
            Change::PlanRevision(r) => Some(r.fields.citizen_id),
            Change::DecisionNotice(r) => Some(r.citizen_id),
            Change::Meeting(r) => Some(r.fields.citizen_id),
            Change::Minutes(r) => Some(r.fields.citizen_id),
            #[cfg(feature = "next-schema")]
            Change::Rehearsal(r) => Some(r.citizen_id),
            Change::DrawingRight(_) | Change::Deleted { .. } => None,
        }
    }

    /// The row this change is about.
    pub fn key(&self) -> (Entity, Uuid) {
        match self {
            Change::Citizen(r) => (Entity::Citizen, *r.id.as_uuid()),
            Change::Assignment(r) => (Entity::Assignment, *r.id.as_uuid()),
            Change::Grant(r) => (Entity::Grant, *r.id.as_uuid()),
            Change::DrawingRight(r) => (Entity::DrawingRight, *r.id.as_uuid()),
            Change::Visit(r) => (Entity::Visit, *r.id.as_uuid()),
            Change::Timer(r) => (Entity::Timer, *r.id.as_uuid()),
            // The plan is the citizen's: its key is the citizen's id.
            Change::Plan(r) => (Entity::Plan, *r.fields.citizen_id.as_uuid()),
            Change::Goal(r) => (Entity::Goal, *r.fields.id.as_uuid()),
            Change::Action(r) => (Entity::Action, *r.fields.id.as_uuid()),
            Change::FollowUp(r) => (Entity::FollowUp, *r.fields.id.as_uuid()),
            Change::PlanRevision(r) => (Entity::PlanRevision, *r.fields.id.as_uuid()),
            Change::DecisionNotice(r) => (Entity::DecisionNotice, *r.id.as_uuid()),
            Change::Meeting(r) => (Entity::Meeting, *r.fields.id.as_uuid()),
            Change::Minutes(r) => (Entity::Minutes, *r.fields.id.as_uuid()),
            #[cfg(feature = "next-schema")]
            Change::Rehearsal(r) => (Entity::Rehearsal, r.id),
            Change::Deleted { of, id } => (*of, *id),
        }
    }
}

/// A row of the rehearsal's new synced entity (feature `next-schema`): one
/// per citizen, `{"id": uuid, "citizen_id": uuid, "label": text}`.
#[cfg(feature = "next-schema")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rehearsal {
    pub id: Uuid,
    pub citizen_id: CitizenId,
    pub label: String,
}

// ---------------------------------------------------------------- merging

/// The result of merging a phone's edit into a visit someone else changed
/// since the phone read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitMerge {
    /// What to store: the phone's changes where only the phone changed a
    /// field, the server's where the server changed it.
    pub merged: VisitDraft,
    /// Fields both changed, to different values: the server's value stands,
    /// and the phone's is kept as a conflict record. The start and end are
    /// one field, `times`, so a merge never pairs one side's start with the
    /// other's end.
    pub clashes: Vec<&'static str>,
}

/// Three-way merge, field by field, of `mine` (the phone's edit) into
/// `theirs` (the server's row), both derived from `base`. Fails only if the
/// merged fields together break a visit rule (e.g. the server made it a home
/// visit while the phone made it last no time).
///
/// A field takes the phone's value only where the server's still equals
/// `base`; where both changed it to different values the server's stands
/// and the field's name goes in `clashes`.
///
/// Errors: those of [`VisitDraft::new`] for the merged fields (`ended_at`
/// `end_before_start`, `duration_too_long`; `travel_minutes`
/// `out_of_range`).
pub fn merge_visit(base: &VisitDraft, theirs: &VisitDraft, mine: &VisitDraft) -> Result<VisitMerge, ValidationError> {
    use crate::merge::pick;
    let mut clashes = Vec::new();
    let citizen_id = pick("citizen_id", base.citizen_id, theirs.citizen_id, mine.citizen_id, &mut clashes);
    let kind = pick("kind", base.kind, theirs.kind, mine.kind, &mut clashes);
    let times = |v: &VisitDraft| (v.started_at(), v.ended_at());
    let (started_at, ended_at) = pick("times", times(base), times(theirs), times(mine), &mut clashes);
    let travel_minutes =
        pick("travel_minutes", base.travel_minutes, theirs.travel_minutes, mine.travel_minutes, &mut clashes);
    let note = pick("note", base.note.clone(), theirs.note.clone(), mine.note.clone(), &mut clashes);
    let charged_to = pick("charged_to", base.charged_to, theirs.charged_to, mine.charged_to, &mut clashes);
    let goals = pick("goals", base.goals(), theirs.goals(), mine.goals(), &mut clashes).to_vec();
    let co_workers =
        pick("co_workers", base.co_workers(), theirs.co_workers(), mine.co_workers(), &mut clashes).to_vec();
    let merged = VisitDraft::new(theirs.id, citizen_id, kind, started_at, ended_at, travel_minutes, note, charged_to)?
        .with_goals(goals)?
        .with_co_workers(co_workers)?;
    Ok(VisitMerge { merged, clashes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::{CitizenId, GrantId};
    use crate::minutes::Minutes;
    use crate::text::Note;
    use crate::visit::{ChargeTo, VisitKind};

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("valid")
    }

    #[test]
    fn a_digest_ignores_order_and_notices_a_row_too_many_or_too_few() {
        let rows: Vec<(Entity, Uuid)> = (1..=50u128)
            .map(|i| (if i % 3 == 0 { Entity::Visit } else { Entity::Citizen }, Uuid::from_u128(i)))
            .collect();
        let server: Digest = rows.iter().copied().collect();
        let phone: Digest = rows.iter().rev().copied().collect();
        assert_eq!(server.differs_in(&phone), Vec::<Entity>::new());
        assert_eq!(server.differs_in(&Digest::default()), vec![Entity::Citizen, Entity::Visit]);
        // A stray row, a missing one, and one swapped for another.
        let mut extra = phone.clone();
        extra.add(Entity::Visit, Uuid::from_u128(99));
        assert_eq!(server.differs_in(&extra), vec![Entity::Visit]);
        let fewer: Digest = rows.iter().skip(1).copied().collect();
        assert_eq!(server.differs_in(&fewer), vec![Entity::Citizen]);
        let swapped: Digest = rows
            .iter()
            .map(|&(e, id)| if id == Uuid::from_u128(3) { (e, Uuid::from_u128(4000)) } else { (e, id) })
            .collect();
        assert_eq!(server.differs_in(&swapped), vec![Entity::Visit]);
        // On the wire: a map by entity; an empty one is `{}`.
        let json = serde_json::to_value(&extra).expect("json");
        assert_eq!(json["visit"]["count"], 17);
        assert_eq!(serde_json::from_value::<Digest>(json).expect("back"), extra);
    }

    use crate::visit::test_draft as draft;

    const S: &str = "2026-11-23T09:00:00Z";
    const E: &str = "2026-11-23T10:00:00Z";

    #[test]
    fn merge_table() {
        use VisitKind::*;
        let base = draft(HomeVisit, S, E, 10, "base");
        // (theirs, mine, expected merged, clashes)
        let cases = [
            // Only the phone changed the note: the phone's note.
            (base.clone(), draft(HomeVisit, S, E, 10, "mine"), draft(HomeVisit, S, E, 10, "mine"), vec![]),
            // Only the server changed travel: the server's travel.
            (draft(HomeVisit, S, E, 20, "base"), base.clone(), draft(HomeVisit, S, E, 20, "base"), vec![]),
            // Different fields: both survive.
            (
                draft(HomeVisit, S, E, 20, "base"),
                draft(Escort, S, E, 10, "base"),
                draft(Escort, S, E, 20, "base"),
                vec![],
            ),
            // Same field, same new value: no clash.
            (
                draft(HomeVisit, S, E, 10, "same"),
                draft(HomeVisit, S, E, 10, "same"),
                draft(HomeVisit, S, E, 10, "same"),
                vec![],
            ),
            // Same field, different values: the server stands.
            (
                draft(HomeVisit, S, E, 10, "theirs"),
                draft(HomeVisit, S, E, 10, "mine"),
                draft(HomeVisit, S, E, 10, "theirs"),
                vec!["note"],
            ),
            // Start and end move together.
            (
                draft(HomeVisit, "2026-11-23T08:00:00Z", E, 10, "base"),
                draft(HomeVisit, S, "2026-11-23T11:00:00Z", 10, "base"),
                draft(HomeVisit, "2026-11-23T08:00:00Z", E, 10, "base"),
                vec!["times"],
            ),
        ];
        for (i, (theirs, mine, expected, clashes)) in cases.into_iter().enumerate() {
            let merge = merge_visit(&base, &theirs, &mine).expect("valid merge");
            assert_eq!(merge.merged, expected, "case {i}");
            assert_eq!(merge.clashes, clashes, "case {i}");
        }
    }

    #[test]
    fn a_merge_that_breaks_a_rule_fails() {
        let base = draft(VisitKind::NoShow, S, E, 10, "");
        let theirs = draft(VisitKind::HomeVisit, S, E, 10, "");
        let mine = draft(VisitKind::NoShow, S, S, 10, "");
        let err = merge_visit(&base, &theirs, &mine).expect_err("a home visit of no time");
        assert_eq!(err.code(), "end_before_start");
    }

    #[test]
    fn mutation_json_golden() {
        let m = Mutation {
            id: 7,
            created_at: ts("2026-11-23T10:05:00Z"),
            body: MutationBody::VisitSave {
                visit: VisitDraft::new(
                    VisitId::from_uuid(Uuid::from_u128(1)),
                    CitizenId::from_uuid(Uuid::from_u128(2)),
                    VisitKind::HomeVisit,
                    ts(S),
                    ts(E),
                    Minutes::new(15),
                    Note::try_from("Handlede ind").expect("valid"),
                    Some(ChargeTo::Grant(GrantId::from_uuid(Uuid::from_u128(3)))),
                )
                .expect("valid"),
                base: None,
            },
        };
        let json = serde_json::to_string_pretty(&m).expect("serialise");
        expect_test::expect![[r#"
            {
              "id": 7,
              "created_at": "2026-11-23T10:05:00.000Z",
              "body": {
                "type": "visit_save",
                "visit": {
                  "id": "00000000-0000-0000-0000-000000000001",
                  "citizen_id": "00000000-0000-0000-0000-000000000002",
                  "kind": "home_visit",
                  "started_at": "2026-11-23T09:00:00.000Z",
                  "ended_at": "2026-11-23T10:00:00.000Z",
                  "travel_minutes": 15,
                  "note": "Handlede ind",
                  "charged_to": {
                    "type": "grant",
                    "id": "00000000-0000-0000-0000-000000000003"
                  }
                },
                "base": null
              }
            }"#]]
        .assert_eq(&json);
        assert_eq!(serde_json::from_str::<Mutation>(&json).expect("parse"), m);
    }

    #[test]
    fn visit_correct_json_golden() {
        let correction = |minutes: u32, reason: &str| {
            crate::visit::Correction::new(Minutes::new(minutes), Note::try_from(reason).expect("valid")).expect("valid")
        };
        let body = MutationBody::VisitCorrect {
            visit_id: VisitId::from_uuid(Uuid::from_u128(1)),
            base_version: 3,
            base: None,
            correction: Some(correction(45, "Borgeren gik efter 45 minutter")),
        };
        let json = serde_json::to_string_pretty(&body).expect("serialise");
        expect_test::expect![[r#"
            {
              "type": "visit_correct",
              "visit_id": "00000000-0000-0000-0000-000000000001",
              "base_version": 3,
              "base": null,
              "correction": {
                "minutes": 45,
                "reason": "Borgeren gik efter 45 minutter"
              }
            }"#]]
        .assert_eq(&json);
        assert_eq!(serde_json::from_str::<MutationBody>(&json).expect("parse"), body);
        // A correction without a reason does not even parse.
        let bad = json.replace("Borgeren gik efter 45 minutter", "");
        assert!(serde_json::from_str::<MutationBody>(&bad).is_err());
    }
}
