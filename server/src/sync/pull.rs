//! `POST /api/sync/pull`: a page of the change stream after the phone's
//! cursor, in commit order, scoped to what the user may see.
//!
//! Everything in one response is read in one read transaction (one SQLite
//! snapshot): the rows, `has_more`, and `confirmed_last_mutation_id`, so a
//! confirmed mutation's effects are always in the rows up to the cursor.
//!
//! The cursor says `v1.<epoch>.<tx>.<seq>.<scope>.<confirmed>`; the phone
//! treats it as opaque. A different epoch (a restored database) or a
//! different scope (a citizen assigned or unassigned, a team changed) starts
//! the phone over with `reset`, so new citizens arrive whole and removed ones
//! leave the phone.

use std::collections::HashMap;

use crate::db::Conn;
use sha2::{Digest, Sha256};
use shared::access::{AccessAction, AccessPurpose, AccessSubject};
use shared::sync::{Change, Cursor, Entity, MAX_PULL_CHANGES, PullRequest, PullResponse};
use shared::user::Role;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db;
use crate::db::changes::{ChangeRef, PullScope};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A cursor, read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Position {
    epoch: String,
    stamp: (i64, i64),
    scope: String,
    confirmed: u64,
}

impl Position {
    fn encode(&self) -> Cursor {
        Cursor(format!("v1.{}.{}.{}.{}.{}", self.epoch, self.stamp.0, self.stamp.1, self.scope, self.confirmed))
    }

    fn decode(cursor: &Cursor) -> Option<Position> {
        let mut parts = cursor.0.split('.');
        if parts.next()? != "v1" {
            return None;
        }
        let epoch = parts.next()?.to_owned();
        let tx = parts.next()?.parse().ok()?;
        let seq = parts.next()?.parse().ok()?;
        let scope = parts.next()?.to_owned();
        let confirmed = parts.next()?.parse().ok()?;
        parts.next().is_none().then_some(Position { epoch, stamp: (tx, seq), scope, confirmed })
    }
}

async fn scope_of(conn: &mut Conn, user: &CurrentUser, state: &AppState) -> anyhow::Result<PullScope> {
    let today = state.clock.now().local_date();
    let citizens = db::citizens::visible_ids(conn, &user.viewer(), today).await?;
    let (teams, areas) = db::org::team_and_area_ids(conn, user.id).await?;
    Ok(PullScope { user: user.id, admin: user.has_role(Role::Admin), citizens, teams, areas })
}

/// A fingerprint of everything that decides what the user may pull.
fn fingerprint(scope: &PullScope) -> String {
    let mut h = Sha256::new();
    h.update([u8::from(scope.admin)]);
    for part in [&scope.citizens, &scope.teams, &scope.areas] {
        for id in part {
            h.update(id.as_bytes());
            h.update(b",");
        }
        h.update(b";");
    }
    hex::encode(&h.finalize()[..8])
}

pub async fn pull(state: &AppState, user: &CurrentUser, req: PullRequest) -> ApiResult<PullResponse> {
    let now = state.clock.now();
    // A read transaction: one snapshot for everything below.
    let mut tx = state.db.begin_read().await?;
    let client = db::sync::client(&mut tx, req.client_id).await?;
    if client.as_ref().is_some_and(|c| c.user != user.id) {
        return Err(ApiError::Forbidden);
    }
    let confirmed = client.map_or(0, |c| c.last_mutation_id);
    let epoch = db::changes::epoch(&mut tx).await?;
    let scope = scope_of(&mut tx, user, state).await?;
    let scope_print = fingerprint(&scope);

    let previous = req.cursor.as_ref().and_then(Position::decode);
    let (start, reset) = match &previous {
        Some(p) if p.epoch == epoch && p.scope == scope_print => (p.stamp, false),
        _ => ((0, 0), true),
    };
    let told_up_to = previous.as_ref().map_or(0, |p| p.confirmed.min(confirmed));

    let mut refs = db::changes::after(&mut tx, &scope, start, MAX_PULL_CHANGES + 1).await?;
    let has_more = refs.len() > MAX_PULL_CHANGES;
    refs.truncate(MAX_PULL_CHANGES);
    // With nothing more in scope, the cursor moves to the newest stamp of
    // this snapshot, so changes the user may not see are never scanned again.
    let end = match refs.last() {
        Some(r) if has_more => (r.tx, r.seq),
        _ => db::changes::newest(&mut tx).await?.max(start),
    };
    let remaining = if has_more { db::changes::count_after(&mut tx, &scope, end).await? } else { 0 };
    let digest = if req.verify && !has_more { Some(db::changes::digest(&mut tx, &scope).await?) } else { None };
    let changes = load_changes(&mut tx, &refs).await?;
    let mut rejected = db::sync::rejected(&mut tx, req.client_id, told_up_to, confirmed).await?;
    // Edits applied with a clash are told the same way (`edit_not_kept`).
    rejected.extend(db::conflicts::not_kept(&mut tx, req.client_id, told_up_to, confirmed).await?);
    rejected.extend(db::plans::not_kept(&mut tx, req.client_id, told_up_to, confirmed).await?);
    rejected.sort_by_key(|r| r.id);
    tx.commit().await?;

    // What reached the phone is read there: logged as the pull delivers it.
    let citizens: Vec<_> = changes.iter().filter_map(Change::citizen).collect();
    crate::access::log_read(
        state,
        user.id,
        AccessAction::Read,
        AccessPurpose::FieldWork,
        citizens,
        Some(AccessSubject::Sync),
    )
    .await?;
    let cursor = Position { epoch, stamp: end, scope: scope_print, confirmed }.encode();
    Ok(PullResponse {
        cursor,
        reset,
        has_more,
        remaining,
        changes,
        confirmed_last_mutation_id: confirmed,
        rejected,
        server_time: now,
        digest,
    })
}

/// The rows behind a page of change references, in the page's order.
async fn load_changes(conn: &mut Conn, refs: &[ChangeRef]) -> anyhow::Result<Vec<Change>> {
    let mut wanted: HashMap<Entity, Vec<String>> = HashMap::new();
    for r in refs.iter().filter(|r| !r.deleted) {
        wanted.entry(r.entity).or_default().push(r.row_id.clone());
    }
    let mut rows: HashMap<(Entity, String), Change> = HashMap::new();
    for (entity, ids) in wanted {
        let ids = db::json_ids(&ids);
        let loaded: Vec<Change> = match entity {
            Entity::Citizen => db::citizens::load(conn, &ids).await?.into_iter().map(Change::Citizen).collect(),
            Entity::Assignment => {
                db::citizens::load_assignments(conn, &ids).await?.into_iter().map(Change::Assignment).collect()
            }
            Entity::Grant => db::citizens::load_grants(conn, &ids).await?.into_iter().map(Change::Grant).collect(),
            Entity::DrawingRight => {
                db::citizens::load_drawing_rights(conn, &ids).await?.into_iter().map(Change::DrawingRight).collect()
            }
            Entity::Visit => db::visits::load(conn, &ids).await?.into_iter().map(Change::Visit).collect(),
            Entity::Timer => db::visits::load_timers(conn, &ids).await?.into_iter().map(Change::Timer).collect(),
            Entity::Plan => db::plans::load_plans(conn, &ids, false).await?.into_iter().map(Change::Plan).collect(),
            Entity::Goal => db::plans::load_goals(conn, &ids, false).await?.into_iter().map(Change::Goal).collect(),
            Entity::Action => {
                db::plans::load_actions(conn, &ids, false).await?.into_iter().map(Change::Action).collect()
            }
            Entity::PlanRevision => {
                db::plans::load_revisions(conn, &ids).await?.into_iter().map(Change::PlanRevision).collect()
            }
            Entity::FollowUp => {
                db::plans::load_follow_ups(conn, &ids).await?.into_iter().map(Change::FollowUp).collect()
            }
            Entity::Meeting => {
                db::meetings::load_meetings(conn, &ids, false).await?.into_iter().map(Change::Meeting).collect()
            }
            Entity::Minutes => db::meetings::load_minutes(conn, &ids).await?.into_iter().map(Change::Minutes).collect(),
            Entity::DecisionNotice => {
                db::notices::load(conn, &ids, false).await?.into_iter().map(Change::DecisionNotice).collect()
            }
            #[cfg(feature = "next-schema")]
            Entity::Rehearsal => load_rehearsals(conn, &ids).await?,
        };
        for change in loaded {
            let (entity, id) = change.key();
            rows.insert((entity, id.to_string()), change);
        }
    }
    let mut out = Vec::with_capacity(refs.len());
    for r in refs {
        if r.deleted {
            let id: Uuid = r.row_id.parse().map_err(|_| anyhow::anyhow!("corrupt row id {:?}", r.row_id))?;
            out.push(Change::Deleted { of: r.entity, id });
        } else if let Some(change) = rows.remove(&(r.entity, r.row_id.clone())) {
            out.push(change);
        } else {
            anyhow::bail!("change stream names a {:?} row {} that does not exist", r.entity, r.row_id);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let p = Position { epoch: "abc".into(), stamp: (12, 3), scope: "ff00".into(), confirmed: 7 };
        assert_eq!(Position::decode(&p.encode()), Some(p));
        for bad in ["", "v2.a.1.2.s.3", "v1.a.x.2.s.3", "v1.a.1.2.s", "v1.a.1.2.s.3.4"] {
            assert_eq!(Position::decode(&Cursor(bad.into())), None, "{bad}");
        }
    }
}

/// The rehearsal's rows (feature `next-schema`; `migrations/next-sqlite`).
#[cfg(feature = "next-schema")]
async fn load_rehearsals(conn: &mut Conn, ids: &str) -> anyhow::Result<Vec<Change>> {
    use sqlx::Row;
    let sql = format!(
        "SELECT id, citizen_id, label FROM rehearsals WHERE id IN {}",
        db::Backend::of(conn).json_strings("$1")
    );
    let rows = sqlx::query(&sql).bind(ids).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let id: String = r.get("id");
            let citizen: String = r.get("citizen_id");
            Ok(Change::Rehearsal(shared::sync::Rehearsal {
                id: id.parse()?,
                citizen_id: shared::CitizenId::from_uuid(citizen.parse()?),
                label: r.get("label"),
            }))
        })
        .collect()
}
