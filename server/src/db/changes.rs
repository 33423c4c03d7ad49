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

use shared::sync::Entity;
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
        let mut seq = 0_i64;
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
                query = query
                    .bind(wire_name(&r.entity))
                    .bind(r.row_id.as_str())
                    .bind(tx)
                    .bind(seq)
                    .bind(r.scope.citizen.map(|c| c.to_string()))
                    .bind(r.scope.user.map(|u| u.to_string()))
                    .bind(r.scope.team.map(|t| t.to_string()))
                    .bind(r.scope.area.map(|a| a.to_string()))
                    .bind(i64::from(r.deleted));
            }
            query.execute(&mut *conn).await?;
        }
        Ok(Some(tx))
    }
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

fn in_scope(backend: Backend) -> String {
    format!(
        "($1 = 1
    OR ch.citizen_id IN {}
    OR ch.user_id = $3
    OR ch.team_id IN {}
    OR ch.area_id IN {})",
        backend.json_strings("$2"),
        backend.json_strings("$4"),
        backend.json_strings("$5")
    )
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;
type ScalarQuery<'q, T> = sqlx::query::QueryScalar<'q, sqlx::Any, T, sqlx::any::AnyArguments<'q>>;

/// Binds $1–$7 of [`in_scope`] and the cursor, for either query shape.
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
    let sql = format!(
        "SELECT ch.entity, ch.row_id, ch.tx, ch.seq, ch.deleted FROM sync_changes ch
         WHERE (ch.tx, ch.seq) > ($6, $7) AND {}
         ORDER BY ch.tx, ch.seq LIMIT $8",
        in_scope(Backend::of(conn))
    );
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
    let sql = format!(
        "SELECT COUNT(*) FROM sync_changes ch WHERE (ch.tx, ch.seq) > ($6, $7) AND {}",
        in_scope(Backend::of(conn))
    );
    let query: ScalarQuery<'_, i64> = bind_scope!(sqlx::query_scalar(&sql), scope, after);
    let n = query.fetch_one(conn).await?;
    Ok(n as u64)
}
