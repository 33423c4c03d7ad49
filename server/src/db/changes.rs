//! The change stream: every write to a synced row stamps it here, and pulls
//! read it back in commit order.
//!
//! A stamp is `(tx, seq)`: `tx` is the one-row clock `sync_meta.clock`,
//! bumped once at the start of every writing transaction, `seq` counts within
//! it. SQLite admits one writer at a time, and the bump is the transaction's
//! first write, so stamp order is commit order: a reader can never pass a
//! stamp whose transaction commits later.

use shared::sync::Entity;
use shared::{AreaId, CitizenId, TeamId, UserId};
use sqlx::{Row, SqliteConnection};

use super::wire_name;

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

/// Stamps the rows one transaction changes. Create it with [`Stamper::begin`]
/// as the transaction's first write, before any savepoint, so a rolled-back
/// savepoint can never undo the clock bump.
#[derive(Debug)]
pub struct Stamper {
    tx: i64,
    seq: i64,
}

impl Stamper {
    pub async fn begin(conn: &mut SqliteConnection) -> sqlx::Result<Stamper> {
        let tx: i64 = sqlx::query_scalar("UPDATE sync_meta SET clock = clock + 1 WHERE id = 1 RETURNING clock")
            .fetch_one(conn)
            .await?;
        Ok(Stamper { tx, seq: 0 })
    }

    /// Records that `row_id` of `entity` changed (or was deleted) now.
    pub async fn record(
        &mut self,
        conn: &mut SqliteConnection,
        entity: Entity,
        row_id: &str,
        scope: Scope,
        deleted: bool,
    ) -> sqlx::Result<()> {
        self.seq += 1;
        sqlx::query(
            "INSERT INTO sync_changes (entity, row_id, tx, seq, citizen_id, user_id, team_id, area_id, deleted)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (entity, row_id) DO UPDATE SET
               tx = excluded.tx, seq = excluded.seq, citizen_id = excluded.citizen_id, user_id = excluded.user_id,
               team_id = excluded.team_id, area_id = excluded.area_id, deleted = excluded.deleted",
        )
        .bind(wire_name(&entity))
        .bind(row_id)
        .bind(self.tx)
        .bind(self.seq)
        .bind(scope.citizen.map(|c| c.to_string()))
        .bind(scope.user.map(|u| u.to_string()))
        .bind(scope.team.map(|t| t.to_string()))
        .bind(scope.area.map(|a| a.to_string()))
        .bind(deleted)
        .execute(conn)
        .await
        .map(drop)
    }
}

/// The database's epoch (see the migration).
pub async fn epoch(conn: &mut SqliteConnection) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT epoch FROM sync_meta WHERE id = 1").fetch_one(conn).await
}

/// The newest stamp in the stream, `(0, 0)` when it is empty.
pub async fn newest(conn: &mut SqliteConnection) -> sqlx::Result<(i64, i64)> {
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

const IN_SCOPE: &str = "(?1 = 1
    OR ch.citizen_id IN (SELECT value FROM json_each(?2))
    OR ch.user_id = ?3
    OR ch.team_id IN (SELECT value FROM json_each(?4))
    OR ch.area_id IN (SELECT value FROM json_each(?5)))";

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).expect("BUG: a list of strings always serialises")
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;
type ScalarQuery<'q, T> = sqlx::query::QueryScalar<'q, sqlx::Sqlite, T, sqlx::sqlite::SqliteArguments<'q>>;

/// Binds ?1–?7 of [`IN_SCOPE`] and the cursor, for either query shape.
macro_rules! bind_scope {
    ($query:expr, $scope:expr, $after:expr) => {
        $query
            .bind($scope.admin)
            .bind(json_list(&$scope.citizens))
            .bind($scope.user.to_string())
            .bind(json_list(&$scope.teams))
            .bind(json_list(&$scope.areas))
            .bind($after.0)
            .bind($after.1)
    };
}

/// Up to `limit` changes after `(tx, seq)` in scope, in commit order.
pub async fn after(
    conn: &mut SqliteConnection,
    scope: &PullScope,
    after: (i64, i64),
    limit: usize,
) -> anyhow::Result<Vec<ChangeRef>> {
    let sql = format!(
        "SELECT ch.entity, ch.row_id, ch.tx, ch.seq, ch.deleted FROM sync_changes ch
         WHERE (ch.tx, ch.seq) > (?6, ?7) AND {IN_SCOPE}
         ORDER BY ch.tx, ch.seq LIMIT ?8"
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
pub async fn count_after(conn: &mut SqliteConnection, scope: &PullScope, after: (i64, i64)) -> sqlx::Result<u64> {
    let sql = format!("SELECT COUNT(*) FROM sync_changes ch WHERE (ch.tx, ch.seq) > (?6, ?7) AND {IN_SCOPE}");
    let query: ScalarQuery<'_, i64> = bind_scope!(sqlx::query_scalar(&sql), scope, after);
    let n = query.fetch_one(conn).await?;
    Ok(n as u64)
}
