//! The phone's local database: the only code that touches IndexedDB.
//!
//! Two layers. [`Kv`] is a deliberately small key-value contract — reads in
//! one snapshot, and read-then-write in one atomic transaction — with two
//! implementations: IndexedDB ([`idb`], in the browser) and an in-memory twin
//! ([`memory`], for native tests). [`local::LocalDb`] builds everything the
//! app needs (outbox, staging, rows, the user's view) on top of `Kv` once,
//! so both backends run the same logic, and one conformance suite
//! ([`conformance`]) runs over both.
//!
//! **Invariant:** an `update` never awaits anything but its own store
//! requests, so an IndexedDB transaction is never held across a network
//! await (the browser would commit it early).
//!
//! # Two versions, kept apart
//!
//! - The IndexedDB version (`idb::IDB_VERSION`) is the set of stores: an
//!   upgrade from any older version creates every store the build knows and the
//!   database lacks, and deletes none (a new synced entity is a new store).
//! - The row schema (`shared::sync::SCHEMA_VERSION`, kept in `meta` as
//!   `row_schema`) is the JSON shape of the rows: opening the database with a
//!   newer build carries every row through `upgrade::STEPS`, drops a row it
//!   cannot read, and forgets the cursor, so the next pull downloads everything
//!   in the new shape and replaces the rows in one transaction; until then the
//!   carried rows keep the view whole offline (`upgrade`).
//!
//! The `meta` keys, the one-round-trip user action and a database deleted under
//! the page are described in `local`; a connection closed under the page in
//! `idb`.

pub mod conformance;
pub mod idb;
pub mod local;
pub mod memory;
pub mod upgrade;

use std::fmt;

use shared::sync::Entity;

/// The object stores. Row stores hold server-confirmed rows by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StoreName {
    /// Small values by name: client id, next mutation id, cursor, user.
    Meta,
    /// Mutations not yet confirmed by the server, by mutation id.
    Outbox,
    /// Mutations the server refused, kept for the user to fix or discard.
    Rejected,
    /// Pull pages waiting to be applied together, by page number.
    Staging,
    Rows(Entity),
}

impl StoreName {
    /// Every store: the phone's own, then one per synced entity
    /// ([`Entity::ALL`]), so a new entity has its store by being one.
    pub fn all() -> impl Iterator<Item = StoreName> {
        [StoreName::Meta, StoreName::Outbox, StoreName::Rejected, StoreName::Staging]
            .into_iter()
            .chain(Entity::ALL.into_iter().map(StoreName::Rows))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StoreName::Meta => "meta",
            StoreName::Outbox => "outbox",
            StoreName::Rejected => "rejected",
            StoreName::Staging => "staging",
            StoreName::Rows(Entity::Citizen) => "citizens",
            StoreName::Rows(Entity::Assignment) => "assignments",
            StoreName::Rows(Entity::Grant) => "grants",
            StoreName::Rows(Entity::DrawingRight) => "drawing_rights",
            StoreName::Rows(Entity::Visit) => "visits",
            StoreName::Rows(Entity::Timer) => "timers",
            StoreName::Rows(Entity::Plan) => "plans",
            StoreName::Rows(Entity::Goal) => "goals",
            StoreName::Rows(Entity::Action) => "actions",
            StoreName::Rows(Entity::FollowUp) => "follow_ups",
            StoreName::Rows(Entity::PlanRevision) => "plan_revisions",
            StoreName::Rows(Entity::DecisionNotice) => "decision_notices",
            StoreName::Rows(Entity::Meeting) => "meetings",
            StoreName::Rows(Entity::Minutes) => "meeting_minutes",
            #[cfg(feature = "next-schema")]
            StoreName::Rows(Entity::Rehearsal) => "rehearsals",
        }
    }
}

/// A record's key: text (ids, names) or a number (mutation ids, pages).
/// Numbers sort before text, as in IndexedDB.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Num(f64),
    Text(String),
}

impl Key {
    pub fn num(n: u64) -> Key {
        Key::Num(n as f64)
    }

    pub fn text(s: impl Into<String>) -> Key {
        Key::Text(s.into())
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Key::Num(n) if *n >= 0.0 => Some(*n as u64),
            _ => None,
        }
    }
}

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self, other) {
            (Key::Num(a), Key::Num(b)) => a.total_cmp(b),
            (Key::Num(_), Key::Text(_)) => std::cmp::Ordering::Less,
            (Key::Text(_), Key::Num(_)) => std::cmp::Ordering::Greater,
            (Key::Text(a), Key::Text(b)) => a.cmp(b),
        }
    }
}

/// What a transaction reads before it decides what to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Read {
    Get(StoreName, Key),
    All(StoreName),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReadResult {
    One(Option<String>),
    /// Every record of a store, in key order.
    All(Vec<(Key, String)>),
}

impl ReadResult {
    pub fn one(self) -> Option<String> {
        match self {
            ReadResult::One(v) => v,
            ReadResult::All(_) => None,
        }
    }

    pub fn all(self) -> Vec<(Key, String)> {
        match self {
            ReadResult::All(v) => v,
            ReadResult::One(_) => Vec::new(),
        }
    }
}

/// A write. Values are JSON text.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Put(StoreName, Key, String),
    Delete(StoreName, Key),
    Clear(StoreName),
}

/// How hard a write must reach the disk before it counts as done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Flushed to disk: anything the user did.
    Strict,
    /// The browser's default: caches of server data.
    Relaxed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The browser refused: no IndexedDB, quota exceeded, blocked upgrade…
    Unavailable(String),
    /// A stored value could not be read back.
    Corrupt(String),
    /// The transaction's own logic refused to write (nothing was written).
    Refused(String),
    /// What the user did breaks a rule of the phone's store (a record too
    /// large to ever be sent): nothing was written, and the form keeps it.
    Invalid(shared::ValidationError),
}

impl StoreError {
    /// What to tell the user, in both languages.
    pub fn message(&self) -> shared::Localized {
        match self {
            StoreError::Invalid(e) => e.message(),
            StoreError::Unavailable(e) => shared::Localized::new(
                format!("Telefonens lager svarer ikke ({e}). Prøv igen; hjælper det ikke, så genindlæs appen."),
                format!("The phone's storage does not answer ({e}). Try again; if that does not help, reload the app."),
            ),
            StoreError::Corrupt(e) => shared::Localized::new(
                format!("Data på telefonen kunne ikke læses ({e})."),
                format!("Data on the phone could not be read ({e})."),
            ),
            StoreError::Refused(e) => shared::Localized::new(format!("Ikke gemt: {e}"), format!("Not saved: {e}")),
        }
    }
}

impl From<StoreError> for crate::error::AppError {
    fn from(e: StoreError) -> crate::error::AppError {
        match e {
            StoreError::Invalid(v) => crate::error::AppError::Invalid(vec![v]),
            other => crate::error::AppError::Storage(other.message()),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable(e) => write!(f, "local storage unavailable: {e}"),
            StoreError::Corrupt(e) => write!(f, "local data unreadable: {e}"),
            StoreError::Refused(e) => write!(f, "not saved: {e}"),
            StoreError::Invalid(e) => write!(f, "not saved: {}", e.message().en),
        }
    }
}

impl std::error::Error for StoreError {}

/// The key-value contract both backends keep.
#[allow(async_fn_in_trait)]
pub trait Kv {
    /// Reads in one consistent snapshot.
    async fn read(&self, reads: Vec<Read>) -> Result<Vec<ReadResult>, StoreError>;

    /// One atomic transaction: performs `reads`, hands their results to
    /// `decide`, and writes the ops it returns. If `decide` fails, nothing is
    /// written. Concurrent updates (other tabs) are serialised.
    async fn update<T>(
        &self,
        reads: Vec<Read>,
        durability: Durability,
        decide: impl FnOnce(Vec<ReadResult>) -> Result<(Vec<Op>, T), StoreError>,
    ) -> Result<T, StoreError>;

    /// One atomic transaction that writes `ops` only if `key` in `store`
    /// holds `expected` (compare and write); returns whether it wrote. The
    /// check and the writes go to the store together, so this costs one
    /// round trip where `update`'s read-then-decide costs two.
    async fn write_if(
        &self,
        store: StoreName,
        key: Key,
        expected: &str,
        ops: Vec<Op>,
        durability: Durability,
    ) -> Result<bool, StoreError>;
}
