//! The citizen's plan (issue 15): plans, goals, actions, follow-ups and
//! revisions,
//! each row stamped in the change stream with its citizen's scope, so
//! whoever may see the citizen pulls it (as a visit or a grant). Every
//! write goes through [`crate::sync::plan`] (a phone's mutations) and ends
//! in the functions here; goals are ended and actions cancelled, never
//! deleted, so the stream holds no tombstones for them.

use anyhow::Context;
use shared::plan::{
    Action, ActionDraft, ActionStatus, Conclusion, Consent, ConsentState, FollowUp, FollowUpDraft, Goal, GoalDraft,
    GoalStatus, Owner, Plan, PlanDraft, PlanRevision, PlanRevisionDraft,
};
use shared::sync::Entity;
use shared::text::{ActionText, ContactText, GoalWording, Note, OthersPresent, ProfessionalWording, Wishes};
use shared::{CitizenId, Timestamp};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::changes::{Scope, Stamper};
use super::{Backend, Conn, id, json_ids};

fn opt_date(r: &AnyRow, column: &str) -> anyhow::Result<Option<shared::Date>> {
    Ok(r.get::<Option<String>, _>(column).map(|d| d.parse()).transpose()?)
}

fn code<T>(r: &AnyRow, column: &str, from: fn(&str) -> Option<T>) -> anyhow::Result<T> {
    let code: String = r.get(column);
    from(&code).with_context(|| format!("an unknown {column} {code:?}"))
}

fn version(r: &AnyRow) -> u64 {
    u64::try_from(r.get::<i64, _>("row_version")).unwrap_or(0)
}

const PLAN_COLUMNS: &str = "citizen_id, consent, consent_on, coordinator_id, coordinator_contact, wishes, began_on, \
                            created_on, row_version, updated_at, updated_by";

fn plan_from(r: &AnyRow) -> anyhow::Result<Plan> {
    let consent = Consent::of(code(r, "consent", ConsentState::from_code)?, opt_date(r, "consent_on")?)
        .context("a consent without its day")?;
    Ok(Plan {
        fields: PlanDraft {
            citizen_id: id(r.get("citizen_id"))?,
            consent,
            coordinator_id: r.get::<Option<String>, _>("coordinator_id").map(|u| id(&u)).transpose()?,
            coordinator_contact: ContactText::try_from(r.get::<String, _>("coordinator_contact"))?,
            wishes: Wishes::try_from(r.get::<String, _>("wishes"))?,
            began_on: opt_date(r, "began_on")?,
        },
        created_on: r.get::<String, _>("created_on").parse()?,
        row_version: version(r),
        updated_at: Timestamp::from_millis(r.get("updated_at")),
        updated_by: id(r.get("updated_by"))?,
    })
}

const GOAL_COLUMNS: &str = "id, citizen_id, citizen_wording, professional_wording, areas, efforts, target_date, status, \
                            position, created_on, row_version, updated_at, updated_by";

fn goal_from(r: &AnyRow) -> anyhow::Result<Goal> {
    Ok(Goal {
        fields: GoalDraft {
            id: id(r.get("id"))?,
            citizen_id: id(r.get("citizen_id"))?,
            citizen_wording: GoalWording::try_from(r.get::<String, _>("citizen_wording"))?,
            professional_wording: ProfessionalWording::try_from(r.get::<String, _>("professional_wording"))?,
            areas: serde_json::from_str(r.get("areas")).context("a goal's areas")?,
            efforts: serde_json::from_str(r.get("efforts")).context("a goal's efforts")?,
            target_date: opt_date(r, "target_date")?,
            status: code(r, "status", GoalStatus::from_code)?,
            position: u32::try_from(r.get::<i64, _>("position"))?,
        },
        created_on: r.get::<String, _>("created_on").parse()?,
        row_version: version(r),
        updated_at: Timestamp::from_millis(r.get("updated_at")),
        updated_by: id(r.get("updated_by"))?,
    })
}

const ACTION_COLUMNS: &str = "id, goal_id, citizen_id, what, owner_kind, owner_id, due, status, row_version, updated_at, updated_by, offer_id, \
     meeting_id";

fn action_from(r: &AnyRow) -> anyhow::Result<Action> {
    let owner_id = r.get::<Option<String>, _>("owner_id");
    let owner = match (r.get::<String, _>("owner_kind").as_str(), owner_id) {
        ("user", Some(o)) => Owner::User(id(&o)?),
        ("team", Some(o)) => Owner::Team(id(&o)?),
        ("area", Some(o)) => Owner::Area(id(&o)?),
        ("citizen", None) => Owner::Citizen,
        (kind, _) => anyhow::bail!("an action owned by {kind:?} without its id, or the citizen with one"),
    };
    Ok(Action {
        fields: ActionDraft {
            id: id(r.get("id"))?,
            goal_id: id(r.get("goal_id"))?,
            citizen_id: id(r.get("citizen_id"))?,
            what: ActionText::try_from(r.get::<String, _>("what"))?,
            owner,
            due: opt_date(r, "due")?,
            status: code(r, "status", ActionStatus::from_code)?,
            offer: r.get::<Option<String>, _>("offer_id").map(|o| id(&o)).transpose()?,
            meeting: r.get::<Option<String>, _>("meeting_id").map(|m| id(&m)).transpose()?,
        },
        row_version: version(r),
        updated_at: Timestamp::from_millis(r.get("updated_at")),
        updated_by: id(r.get("updated_by"))?,
    })
}

const FOLLOW_UP_COLUMNS: &str =
    "id, goal_id, citizen_id, on_date, citizen_score, functioning, note, conclusion, by_user, recorded_at";

fn follow_up_from(r: &AnyRow) -> anyhow::Result<FollowUp> {
    let score = |column: &str| -> anyhow::Result<Option<u8>> {
        Ok(r.get::<Option<i64>, _>(column).map(u8::try_from).transpose()?)
    };
    Ok(FollowUp {
        fields: FollowUpDraft {
            id: id(r.get("id"))?,
            goal_id: id(r.get("goal_id"))?,
            citizen_id: id(r.get("citizen_id"))?,
            on: r.get::<String, _>("on_date").parse()?,
            citizen_score: score("citizen_score")?.map(TryFrom::try_from).transpose()?,
            functioning: score("functioning")?.map(TryFrom::try_from).transpose()?,
            note: Note::try_from(r.get::<String, _>("note"))?,
            conclusion: code(r, "conclusion", Conclusion::from_code)?,
        },
        by: id(r.get("by_user"))?,
        recorded_at: Timestamp::from_millis(r.get("recorded_at")),
    })
}

/// The rows of `table` whose `key` is in the JSON array `ids`, locked
/// until commit on PostgreSQL when `lock` (two pushes changing one row
/// take turns).
pub(crate) async fn rows_in(
    conn: &mut Conn,
    columns: &str,
    table: &str,
    key: &str,
    ids: &str,
    lock: bool,
) -> anyhow::Result<Vec<AnyRow>> {
    let backend = Backend::of(conn);
    let sql = format!(
        "SELECT {columns} FROM {table} WHERE {key} IN {}{}",
        backend.json_strings("$1"),
        if lock { backend.for_update() } else { "" }
    );
    Ok(sqlx::query(&sql).bind(ids).fetch_all(conn).await?)
}

/// Plans by a JSON array of citizen ids (a pull page's, or a push's with
/// `lock`).
pub async fn load_plans(conn: &mut Conn, citizens: &str, lock: bool) -> anyhow::Result<Vec<Plan>> {
    rows_in(conn, PLAN_COLUMNS, "plans", "citizen_id", citizens, lock).await?.iter().map(plan_from).collect()
}

/// Goals by a JSON array of ids.
pub async fn load_goals(conn: &mut Conn, ids: &str, lock: bool) -> anyhow::Result<Vec<Goal>> {
    rows_in(conn, GOAL_COLUMNS, "goals", "id", ids, lock).await?.iter().map(goal_from).collect()
}

/// Actions by a JSON array of ids.
pub async fn load_actions(conn: &mut Conn, ids: &str, lock: bool) -> anyhow::Result<Vec<Action>> {
    rows_in(conn, ACTION_COLUMNS, "plan_actions", "id", ids, lock).await?.iter().map(action_from).collect()
}

const REVISION_COLUMNS: &str = "id, citizen_id, on_date, participants, others, citizen_present, citizen_agreed, \
                                note, wishes, goals, by_user, recorded_at";

fn revision_from(r: &AnyRow) -> anyhow::Result<PlanRevision> {
    Ok(PlanRevision {
        fields: PlanRevisionDraft {
            id: id(r.get("id"))?,
            citizen_id: id(r.get("citizen_id"))?,
            on: r.get::<String, _>("on_date").parse()?,
            participants: serde_json::from_str(&r.get::<String, _>("participants"))?,
            others: OthersPresent::try_from(r.get::<String, _>("others"))?,
            citizen_present: r.get::<i64, _>("citizen_present") == 1,
            citizen_agreed: r.get::<i64, _>("citizen_agreed") == 1,
            note: Note::try_from(r.get::<String, _>("note"))?,
            wishes: Wishes::try_from(r.get::<String, _>("wishes"))?,
            goals: serde_json::from_str(&r.get::<String, _>("goals"))?,
        },
        by: id(r.get("by_user"))?,
        recorded_at: Timestamp::from_millis(r.get("recorded_at")),
    })
}

/// Revisions by a JSON array of ids.
pub async fn load_revisions(conn: &mut Conn, ids: &str) -> anyhow::Result<Vec<PlanRevision>> {
    rows_in(conn, REVISION_COLUMNS, "plan_revisions", "id", ids, false).await?.iter().map(revision_from).collect()
}

/// The revisions of `citizens`, oldest first.
pub async fn revisions_of(conn: &mut Conn, citizens: &[CitizenId]) -> anyhow::Result<Vec<PlanRevision>> {
    let mut out: Vec<PlanRevision> =
        rows_in(conn, REVISION_COLUMNS, "plan_revisions", "citizen_id", &json_ids(citizens), false)
            .await?
            .iter()
            .map(revision_from)
            .collect::<anyhow::Result<_>>()?;
    out.sort_by_key(|r| (r.fields.on, r.recorded_at, r.fields.id));
    Ok(out)
}

/// Inserts a revision (never changed once made) and stamps it.
pub async fn insert_revision(conn: &mut Conn, stamper: &mut Stamper, r: &PlanRevision) -> anyhow::Result<()> {
    let d = &r.fields;
    stamper.record(Entity::PlanRevision, d.id.to_string(), Scope::citizen(d.citizen_id), false);
    sqlx::query(
        "INSERT INTO plan_revisions (id, citizen_id, on_date, participants, others, citizen_present, citizen_agreed,
                                     note, wishes, goals, by_user, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(d.id.to_string())
    .bind(d.citizen_id.to_string())
    .bind(d.on.to_string())
    .bind(serde_json::to_string(&d.participants)?)
    .bind(d.others.as_str())
    .bind(i64::from(d.citizen_present))
    .bind(i64::from(d.citizen_agreed))
    .bind(d.note.as_str())
    .bind(d.wishes.as_str())
    .bind(serde_json::to_string(&d.goals)?)
    .bind(r.by.to_string())
    .bind(r.recorded_at.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// Follow-ups by a JSON array of ids.
pub async fn load_follow_ups(conn: &mut Conn, ids: &str) -> anyhow::Result<Vec<FollowUp>> {
    rows_in(conn, FOLLOW_UP_COLUMNS, "follow_ups", "id", ids, false).await?.iter().map(follow_up_from).collect()
}

/// Every goal, action and follow-up of `citizens`, by their plan's order:
/// a citizen's whole plan (for the printable copy and the revisions).
pub async fn goals_of(conn: &mut Conn, citizens: &[CitizenId]) -> anyhow::Result<Vec<Goal>> {
    let mut goals: Vec<Goal> = rows_in(conn, GOAL_COLUMNS, "goals", "citizen_id", &json_ids(citizens), false)
        .await?
        .iter()
        .map(goal_from)
        .collect::<anyhow::Result<_>>()?;
    goals.sort_by_key(|g| (g.fields.citizen_id, g.fields.position, g.fields.id));
    Ok(goals)
}

/// The actions of `citizens`.
pub async fn actions_of(conn: &mut Conn, citizens: &[CitizenId]) -> anyhow::Result<Vec<Action>> {
    rows_in(conn, ACTION_COLUMNS, "plan_actions", "citizen_id", &json_ids(citizens), false)
        .await?
        .iter()
        .map(action_from)
        .collect()
}

/// The follow-ups of `citizens`, oldest first.
pub async fn follow_ups_of(conn: &mut Conn, citizens: &[CitizenId]) -> anyhow::Result<Vec<FollowUp>> {
    let mut out: Vec<FollowUp> =
        rows_in(conn, FOLLOW_UP_COLUMNS, "follow_ups", "citizen_id", &json_ids(citizens), false)
            .await?
            .iter()
            .map(follow_up_from)
            .collect::<anyhow::Result<_>>()?;
    out.sort_by_key(|f| (f.fields.on, f.recorded_at, f.fields.id));
    Ok(out)
}

/// Inserts or changes a plan and stamps it for whoever sees its citizen.
pub async fn upsert_plan(conn: &mut Conn, stamper: &mut Stamper, p: &Plan) -> anyhow::Result<()> {
    let citizen = p.fields.citizen_id;
    stamper.record(Entity::Plan, citizen.to_string(), Scope::citizen(citizen), false);
    sqlx::query(
        "INSERT INTO plans (citizen_id, consent, consent_on, coordinator_id, coordinator_contact, wishes, created_on,
                            row_version, updated_at, updated_by, began_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (citizen_id) DO UPDATE SET consent = excluded.consent, consent_on = excluded.consent_on,
             coordinator_id = excluded.coordinator_id, coordinator_contact = excluded.coordinator_contact,
             wishes = excluded.wishes, row_version = excluded.row_version, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by, began_on = excluded.began_on",
    )
    .bind(citizen.to_string())
    .bind(p.fields.consent.state().code())
    .bind(p.fields.consent.on().map(|d| d.to_string()))
    .bind(p.fields.coordinator_id.map(|u| u.to_string()))
    .bind(p.fields.coordinator_contact.as_str())
    .bind(p.fields.wishes.as_str())
    .bind(p.created_on.to_string())
    .bind(i64::try_from(p.row_version)?)
    .bind(p.updated_at.as_millis())
    .bind(p.updated_by.to_string())
    .bind(p.fields.began_on.map(|d| d.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Inserts or changes a goal (its citizen never changes) and stamps it.
pub async fn upsert_goal(conn: &mut Conn, stamper: &mut Stamper, g: &Goal) -> anyhow::Result<()> {
    let f = &g.fields;
    stamper.record(Entity::Goal, f.id.to_string(), Scope::citizen(f.citizen_id), false);
    sqlx::query(
        "INSERT INTO goals (id, citizen_id, citizen_wording, professional_wording, areas, efforts, target_date, status,
                            position, created_on, row_version, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (id) DO UPDATE SET citizen_wording = excluded.citizen_wording,
             professional_wording = excluded.professional_wording, areas = excluded.areas,
             efforts = excluded.efforts, target_date = excluded.target_date, status = excluded.status,
             position = excluded.position, row_version = excluded.row_version, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by",
    )
    .bind(f.id.to_string())
    .bind(f.citizen_id.to_string())
    .bind(f.citizen_wording.as_str())
    .bind(f.professional_wording.as_str())
    .bind(serde_json::to_string(&f.areas)?)
    .bind(serde_json::to_string(&f.efforts)?)
    .bind(f.target_date.map(|d| d.to_string()))
    .bind(f.status.code())
    .bind(i64::from(f.position))
    .bind(g.created_on.to_string())
    .bind(i64::try_from(g.row_version)?)
    .bind(g.updated_at.as_millis())
    .bind(g.updated_by.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Inserts or changes an action (its goal and citizen never change) and
/// stamps it.
pub async fn upsert_action(conn: &mut Conn, stamper: &mut Stamper, a: &Action) -> anyhow::Result<()> {
    let f = &a.fields;
    stamper.record(Entity::Action, f.id.to_string(), Scope::citizen(f.citizen_id), false);
    let (kind, owner) = match f.owner {
        Owner::User(u) => ("user", Some(u.to_string())),
        Owner::Team(t) => ("team", Some(t.to_string())),
        Owner::Area(a) => ("area", Some(a.to_string())),
        Owner::Citizen => ("citizen", None),
    };
    sqlx::query(
        "INSERT INTO plan_actions (id, goal_id, citizen_id, what, owner_kind, owner_id, due, status, row_version,
                                   updated_at, updated_by, offer_id, meeting_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (id) DO UPDATE SET what = excluded.what, owner_kind = excluded.owner_kind,
             owner_id = excluded.owner_id, due = excluded.due, status = excluded.status,
             row_version = excluded.row_version, updated_at = excluded.updated_at, updated_by = excluded.updated_by,
             offer_id = excluded.offer_id, meeting_id = excluded.meeting_id",
    )
    .bind(f.id.to_string())
    .bind(f.goal_id.to_string())
    .bind(f.citizen_id.to_string())
    .bind(f.what.as_str())
    .bind(kind)
    .bind(owner)
    .bind(f.due.map(|d| d.to_string()))
    .bind(f.status.code())
    .bind(i64::try_from(a.row_version)?)
    .bind(a.updated_at.as_millis())
    .bind(a.updated_by.to_string())
    .bind(f.offer.map(|o| o.to_string()))
    .bind(f.meeting.map(|m| m.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Inserts a follow-up (never changed once made) and stamps it.
pub async fn insert_follow_up(conn: &mut Conn, stamper: &mut Stamper, f: &FollowUp) -> anyhow::Result<()> {
    let d = &f.fields;
    stamper.record(Entity::FollowUp, d.id.to_string(), Scope::citizen(d.citizen_id), false);
    sqlx::query(
        "INSERT INTO follow_ups (id, goal_id, citizen_id, on_date, citizen_score, functioning, note, conclusion,
                                 by_user, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(d.id.to_string())
    .bind(d.goal_id.to_string())
    .bind(d.citizen_id.to_string())
    .bind(d.on.to_string())
    .bind(d.citizen_score.map(|s| i64::from(u8::from(s))))
    .bind(d.functioning.map(|s| i64::from(u8::from(s))))
    .bind(d.note.as_str())
    .bind(d.conclusion.code())
    .bind(f.by.to_string())
    .bind(f.recorded_at.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// A clash of two edits of a plan, goal or action: the server's value
/// stood, the phone's is kept for the coordinator to settle.
#[derive(Debug, Clone)]
pub struct NewPlanConflict {
    pub entity: Entity,
    pub row_id: String,
    pub citizen: CitizenId,
    pub user: shared::UserId,
    pub client: shared::ClientId,
    pub mutation_id: u64,
    pub fields: Vec<&'static str>,
    pub theirs: serde_json::Value,
    pub mine: serde_json::Value,
}

pub async fn insert_conflict(conn: &mut Conn, c: &NewPlanConflict, now: Timestamp) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO plan_conflicts (id, entity, row_id, citizen_id, user_id, client_id, mutation_id, fields, theirs,
                                     mine, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(c.entity.code())
    .bind(&c.row_id)
    .bind(c.citizen.to_string())
    .bind(c.user.to_string())
    .bind(c.client.to_string())
    .bind(i64::try_from(c.mutation_id)?)
    .bind(serde_json::to_string(&c.fields)?)
    .bind(c.theirs.to_string())
    .bind(c.mine.to_string())
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// A clash as stored, with the name of who made the other version.
#[derive(Debug, Clone)]
pub struct StoredPlanConflict {
    pub id: shared::ConflictId,
    pub entity: Entity,
    pub row_id: String,
    pub citizen: CitizenId,
    pub user_name: String,
    pub fields: Vec<String>,
    /// The phone's version of the row's fields.
    pub mine: serde_json::Value,
    pub created_at: Timestamp,
    pub settled: bool,
}

const CONFLICT_SELECT: &str =
    "SELECT c.id, c.entity, c.row_id, c.citizen_id, u.name AS user_name, c.fields, c.mine, c.created_at, c.settled_at
     FROM plan_conflicts c JOIN users u ON u.id = c.user_id";

fn conflict_from(r: &AnyRow) -> anyhow::Result<StoredPlanConflict> {
    Ok(StoredPlanConflict {
        id: id(r.get("id"))?,
        entity: serde_json::from_value(serde_json::Value::String(r.get("entity")))?,
        row_id: r.get("row_id"),
        citizen: id(r.get("citizen_id"))?,
        user_name: r.get("user_name"),
        fields: serde_json::from_str(&r.get::<String, _>("fields"))?,
        mine: serde_json::from_str(&r.get::<String, _>("mine"))?,
        created_at: Timestamp::from_millis(r.get("created_at")),
        settled: r.get::<Option<i64>, _>("settled_at").is_some(),
    })
}

/// `citizen`'s clashes not yet settled, oldest first.
pub async fn open_conflicts_of(conn: &mut Conn, citizen: CitizenId) -> anyhow::Result<Vec<StoredPlanConflict>> {
    let sql = format!("{CONFLICT_SELECT} WHERE c.citizen_id = $1 AND c.settled_at IS NULL ORDER BY c.created_at, c.id");
    let rows = sqlx::query(&sql).bind(citizen.to_string()).fetch_all(conn).await?;
    rows.iter().map(conflict_from).collect()
}

/// One clash, settled or not.
pub async fn conflict(conn: &mut Conn, conflict: shared::ConflictId) -> anyhow::Result<Option<StoredPlanConflict>> {
    let sql = format!("{CONFLICT_SELECT} WHERE c.id = $1");
    let row = sqlx::query(&sql).bind(conflict.to_string()).fetch_optional(conn).await?;
    row.as_ref().map(conflict_from).transpose()
}

/// Closes a clash as settled by `by`, keeping `kept`; `false` when it was
/// settled already (someone else was first).
pub async fn settle_conflict(
    conn: &mut Conn,
    conflict: shared::ConflictId,
    by: shared::UserId,
    kept: shared::conflict::Keep,
    now: Timestamp,
) -> anyhow::Result<bool> {
    super::conflicts::settle_in(conn, "plan_conflicts", conflict, by, now, kept).await
}

/// This client's plan mutations with ids in `(after, up_to]` that were
/// applied with a clash, as `edit_not_kept` rejections (as a visit's:
/// `db::conflicts::not_kept`); one settled by taking the phone's version
/// is no news and is left out.
pub async fn not_kept(
    conn: &mut Conn,
    client: shared::ClientId,
    after: u64,
    up_to: u64,
) -> anyhow::Result<Vec<shared::sync::RejectedMutation>> {
    super::conflicts::not_kept_in(conn, "plan_conflicts", client, after, up_to, |fields| {
        let fields: Vec<String> = serde_json::from_str(fields)?;
        Ok((shared::plan::plan_not_kept_message(&fields), fields.first().cloned()))
    })
    .await
}
