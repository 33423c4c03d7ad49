//! The change stream: every write to a synced row stamps it here, and pulls
//! read it back in commit order.
//!
//! A stamp is `(tx, seq)`: `tx` is the one-row clock `sync_meta.clock`, `seq`
//! counts within the transaction. A writing transaction records its changes
//! in a [`Stamper`] as it goes and stamps them all in [`Stamper::finish`], its
//! last statement before commit: the clock is bumped there, and the bump
//! locks the clock row until commit (PostgreSQL's row lock; SQLite's single
//! writer). So no transaction can take a later stamp and commit first: stamp
//! order is commit order, and a reader can never pass a stamp whose
//! transaction commits later. The lock is held only from the bump to the
//! commit, so writers do their real work in parallel.

use std::collections::HashMap;

use shared::sync::{Digest, Entity};
use shared::{AreaId, CitizenId, TeamId, UserId};
use sqlx::Row;

use super::{Backend, Conn, json_ids, placeholders, wire_name};

/// Who may pull a row: the citizen it is about, the user it belongs to, the
/// team and area it concerns. Any may be empty.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    pub citizen: Option<CitizenId>,
    pub user: Option<UserId>,
    pub team: Option<TeamId>,
    pub area: Option<AreaId>,
}

impl Scope {
    pub fn citizen(citizen: CitizenId) -> Scope {
        Scope { citizen: Some(citizen), ..Scope::default() }
    }
}

/// A scope as stored: the text of its four columns.
#[derive(Debug, Clone, PartialEq, Eq)]
struct StoredScope([Option<String>; 4]);

impl From<Scope> for StoredScope {
    fn from(s: Scope) -> StoredScope {
        StoredScope([
            s.citizen.map(|c| c.to_string()),
            s.user.map(|u| u.to_string()),
            s.team.map(|t| t.to_string()),
            s.area.map(|a| a.to_string()),
        ])
    }
}

impl StoredScope {
    /// The text stored in `sync_departures.scope_key`.
    fn key(&self) -> String {
        let [c, u, t, a] = &self.0;
        let part = |p: &Option<String>| p.clone().unwrap_or_default();
        format!("{}|{}|{}|{}", part(c), part(u), part(t), part(a))
    }
}

#[derive(Debug)]
struct Recorded {
    entity: Entity,
    row_id: String,
    scope: Scope,
    deleted: bool,
}

/// The changes one transaction makes, stamped together at its end.
#[derive(Debug, Default)]
#[must_use = "a Stamper's changes reach the stream only through `finish`"]
pub struct Stamper {
    recorded: Vec<Recorded>,
}

/// Rows per INSERT: 9 values each stays under SQLite's 32 766 parameters.
const CHUNK: usize = 1000;

impl Stamper {
    pub fn new() -> Stamper {
        Stamper::default()
    }

    /// Records that `row_id` of `entity` changed (or was deleted).
    pub fn record(&mut self, entity: Entity, row_id: String, scope: Scope, deleted: bool) {
        self.recorded.push(Recorded { entity, row_id, scope, deleted });
    }

    /// Stamps what was recorded: bumps the clock and writes one stream row
    /// per changed row (its last change in this transaction). Call it last,
    /// right before commit; the clock stays locked until then. Returns the
    /// transaction's `tx`, or `None` when it changed nothing.
    pub async fn finish(self, conn: &mut Conn) -> sqlx::Result<Option<i64>> {
        if self.recorded.is_empty() {
            return Ok(None);
        }
        let mut last: HashMap<(Entity, &str), usize> = HashMap::with_capacity(self.recorded.len());
        for (i, r) in self.recorded.iter().enumerate() {
            last.insert((r.entity, r.row_id.as_str()), i);
        }
        let rows: Vec<&Recorded> = self
            .recorded
            .iter()
            .enumerate()
            .filter(|(i, r)| last[&(r.entity, r.row_id.as_str())] == *i)
            .map(|(_, r)| r)
            .collect();

        let tx: i64 = sqlx::query_scalar("UPDATE sync_meta SET clock = clock + 1 WHERE id = 1 RETURNING clock")
            .fetch_one(&mut *conn)
            .await?;
        // Read after the bump: with the clock locked, every transaction that
        // stamped before this one has committed, so the scopes read here are
        // the latest (two admins moving one drawing right at once).
        let departures = departures(conn, &rows).await?;
        // Departures first: a transaction's changes then hold its newest
        // stamp, which `newest` reads from sync_changes alone.
        let mut seq = 0_i64;
        for chunk in departures.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO sync_departures (entity, row_id, scope_key, tx, seq, citizen_id, user_id, team_id, area_id)
                 VALUES {}
                 ON CONFLICT (entity, row_id, scope_key) DO UPDATE SET tx = excluded.tx, seq = excluded.seq",
                placeholders(Backend::of(conn), chunk.len(), 9)
            );
            let mut query = sqlx::query(&sql);
            for (r, old) in chunk {
                seq += 1;
                let [citizen, user, team, area] = &old.0;
                query = query
                    .bind(wire_name(&r.entity))
                    .bind(r.row_id.as_str())
                    .bind(old.key())
                    .bind(tx)
                    .bind(seq)
                    .bind(citizen.clone())
                    .bind(user.clone())
                    .bind(team.clone())
                    .bind(area.clone());
            }
            query.execute(&mut *conn).await?;
        }
        for chunk in rows.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO sync_changes (entity, row_id, tx, seq, citizen_id, user_id, team_id, area_id, deleted)
                 VALUES {}
                 ON CONFLICT (entity, row_id) DO UPDATE SET
                   tx = excluded.tx, seq = excluded.seq, citizen_id = excluded.citizen_id, user_id = excluded.user_id,
                   team_id = excluded.team_id, area_id = excluded.area_id, deleted = excluded.deleted",
                placeholders(Backend::of(conn), chunk.len(), 9)
            );
            let mut query = sqlx::query(&sql);
            for r in chunk {
                seq += 1;
                let [citizen, user, team, area] = StoredScope::from(r.scope).0;
                query = query
                    .bind(wire_name(&r.entity))
                    .bind(r.row_id.as_str())
                    .bind(tx)
                    .bind(seq)
                    .bind(citizen)
                    .bind(user)
                    .bind(team)
                    .bind(area)
                    .bind(i64::from(r.deleted));
            }
            query.execute(&mut *conn).await?;
        }
        Ok(Some(tx))
    }
}

/// The scopes that `rows` leave, in `rows`' order: for every row already in
/// the stream, not deleted there, and recorded now with another scope, its
/// old scope.
async fn departures<'r>(conn: &mut Conn, rows: &[&'r Recorded]) -> sqlx::Result<Vec<(&'r Recorded, StoredScope)>> {
    let mut by_entity: HashMap<Entity, Vec<&str>> = HashMap::new();
    for r in rows {
        by_entity.entry(r.entity).or_default().push(&r.row_id);
    }
    let backend = Backend::of(conn);
    let mut stored: HashMap<(Entity, String), StoredScope> = HashMap::new();
    for (entity, ids) in by_entity {
        for chunk in ids.chunks(CHUNK) {
            let sql = format!(
                "SELECT row_id, citizen_id, user_id, team_id, area_id FROM sync_changes
                 WHERE entity = $1 AND deleted = 0 AND row_id IN {}",
                backend.json_strings("$2")
            );
            let found = sqlx::query(&sql).bind(wire_name(&entity)).bind(json_ids(chunk)).fetch_all(&mut *conn).await?;
            for row in &found {
                let scope =
                    StoredScope([row.get("citizen_id"), row.get("user_id"), row.get("team_id"), row.get("area_id")]);
                stored.insert((entity, row.get("row_id")), scope);
            }
        }
    }
    Ok(rows
        .iter()
        .filter_map(|r| {
            let was = stored.remove(&(r.entity, r.row_id.clone()))?;
            (was != StoredScope::from(r.scope)).then_some((*r, was))
        })
        .collect())
}

/// The database's epoch (see the migration).
pub async fn epoch(conn: &mut Conn) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT epoch FROM sync_meta WHERE id = 1").fetch_one(conn).await
}

/// The newest stamp in the stream, `(0, 0)` when it is empty.
pub async fn newest(conn: &mut Conn) -> sqlx::Result<(i64, i64)> {
    let row: Option<(i64, i64)> = sqlx::query_as("SELECT tx, seq FROM sync_changes ORDER BY tx DESC, seq DESC LIMIT 1")
        .fetch_optional(conn)
        .await?;
    Ok(row.unwrap_or((0, 0)))
}

/// A change as listed, before its row is loaded.
#[derive(Debug, Clone)]
pub struct ChangeRef {
    pub entity: Entity,
    pub row_id: String,
    pub tx: i64,
    pub seq: i64,
    pub deleted: bool,
}

/// What a user may pull: the visible citizens' rows, their own rows, and the
/// rows of their teams and of their teams' areas (admins: everything).
#[derive(Debug, Clone)]
pub struct PullScope {
    pub user: UserId,
    pub admin: bool,
    pub citizens: Vec<String>,
    pub teams: Vec<String>,
    pub areas: Vec<String>,
}

/// Whether the stream row `alias` is in the scope bound by [`bind_scope`].
fn in_scope(backend: Backend, alias: &str) -> String {
    format!(
        "($1 = 1
    OR {alias}.citizen_id IN {}
    OR {alias}.user_id = $3
    OR {alias}.team_id IN {}
    OR {alias}.area_id IN {})",
        backend.json_strings("$2"),
        backend.json_strings("$4"),
        backend.json_strings("$5")
    )
}

/// The changes after `($6, $7)` in scope, as `entity, row_id, tx, seq,
/// deleted`: the rows of the stream, and as deleted the rows that left a
/// scope the user sees for one they do not (a row that left and is still
/// visible is in the first part, at its newer stamp). The scope test is
/// NULL, not false, for a row without a user or team: hence the CASE rather
/// than NOT.
fn in_scope_after(backend: Backend) -> String {
    format!(
        "SELECT ch.entity, ch.row_id, ch.tx, ch.seq, ch.deleted FROM sync_changes ch
         WHERE (ch.tx, ch.seq) > ($6, $7) AND {}
         UNION ALL
         SELECT d.entity, d.row_id, d.tx, d.seq, CAST(1 AS BIGINT) FROM sync_departures d
         JOIN sync_changes cur ON cur.entity = d.entity AND cur.row_id = d.row_id
         WHERE (d.tx, d.seq) > ($6, $7) AND {} AND CASE WHEN {} THEN 0 ELSE 1 END = 1",
        in_scope(backend, "ch"),
        in_scope(backend, "d"),
        in_scope(backend, "cur")
    )
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;
type ScalarQuery<'q, T> = sqlx::query::QueryScalar<'q, sqlx::Any, T, sqlx::any::AnyArguments<'q>>;

/// Binds $1–$5 of [`in_scope`] and the cursor $6–$7, for either query shape.
macro_rules! bind_scope {
    ($query:expr, $scope:expr, $after:expr) => {
        $query
            .bind(i64::from($scope.admin))
            .bind(json_ids(&$scope.citizens))
            .bind($scope.user.to_string())
            .bind(json_ids(&$scope.teams))
            .bind(json_ids(&$scope.areas))
            .bind($after.0)
            .bind($after.1)
    };
}

/// Up to `limit` changes after `(tx, seq)` in scope, in commit order.
pub async fn after(
    conn: &mut Conn,
    scope: &PullScope,
    after: (i64, i64),
    limit: usize,
) -> anyhow::Result<Vec<ChangeRef>> {
    let sql = format!("SELECT * FROM ({}) AS s ORDER BY s.tx, s.seq LIMIT $8", in_scope_after(Backend::of(conn)));
    let query: Query<'_> = bind_scope!(sqlx::query(&sql), scope, after);
    let rows = query.bind(limit as i64).fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            Ok(ChangeRef {
                entity: super::wire_enum(r.get("entity"))?,
                row_id: r.get("row_id"),
                tx: r.get("tx"),
                seq: r.get("seq"),
                deleted: r.get::<i64, _>("deleted") == 1,
            })
        })
        .collect()
}

/// How many changes after `(tx, seq)` are in scope.
pub async fn count_after(conn: &mut Conn, scope: &PullScope, after: (i64, i64)) -> sqlx::Result<u64> {
    let sql = format!("SELECT COUNT(*) FROM ({}) AS s", in_scope_after(Backend::of(conn)));
    let query: ScalarQuery<'_, i64> = bind_scope!(sqlx::query_scalar(&sql), scope, after);
    let n = query.fetch_one(conn).await?;
    Ok(n as u64)
}

/// The rows the user may pull and that are not deleted, as a [`Digest`]:
/// what a phone holds once it has applied everything up to now.
pub async fn digest(conn: &mut Conn, scope: &PullScope) -> anyhow::Result<Digest> {
    let sql = format!(
        "SELECT ch.entity, ch.row_id FROM sync_changes ch WHERE ch.deleted = 0 AND {}",
        in_scope(Backend::of(conn), "ch")
    );
    let rows = sqlx::query(&sql)
        .bind(i64::from(scope.admin))
        .bind(json_ids(&scope.citizens))
        .bind(scope.user.to_string())
        .bind(json_ids(&scope.teams))
        .bind(json_ids(&scope.areas))
        .fetch_all(conn)
        .await?;
    let mut digest = Digest::default();
    for r in &rows {
        let row_id: &str = r.get("row_id");
        let id = row_id.parse().map_err(|_| anyhow::anyhow!("corrupt row id {row_id:?}"))?;
        digest.add(super::wire_enum(r.get("entity"))?, id);
    }
    Ok(digest)
}
