//! The IndexedDB backend of [`Kv`].
//!
//! Schema versions ([`IDB_VERSION`]; an upgrade creates every store of
//! `StoreName::all()` the database lacks and deletes none — the outbox least
//! of all; what the rows inside look like is `super::upgrade`'s business):
//! 1. stores `meta`, `outbox`, `rejected`, `staging`, `citizens`,
//!    `assignments`, `grants`, `drawing_rights`, `visits`, `timers`; all with
//!    out-of-line keys and JSON text values.
//! 2. the same stores; the upgrade creates whichever are missing (the way
//!    a new synced entity arrives), and the row schema is kept in `meta`
//!    (`row_schema`).
//! 3. stores `plans`, `goals`, `actions`, `follow_ups` added (issue 15).
//! 4. store `plan_revisions` added (issue 15).
//! 5. store `decision_notices` added (issue 16).
//! 6. stores `meetings`, `meeting_minutes` added (issue 16).
//!
//! Every `update` runs in one readwrite transaction over all stores, so
//! updates from several tabs are serialised by the browser.
//!
//! **The connection can close under the page.** iOS closes a backgrounded
//! page's IndexedDB connection; Chromium's "force close" and clearing site
//! data do too (a `close` event), and another tab deleting or upgrading the
//! database asks this one to let go (`versionchange`, answered by closing).
//! Every operation that finds the connection closed reopens it and tries
//! once more; one that still fails returns the error, with nothing written.
//!
//! An `update` whose connection was lost is tried again only if it failed
//! before deciding: a decision rests on reads of a transaction that never
//! committed. What still fails reaches the user with what they typed kept.
//! Every write transaction spans all stores (tabs are serialised by the
//! browser) and hands all its writes to the browser before awaiting any.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::FutureExt;
use futures::future::LocalBoxFuture;
use indexed_db_futures::BuildPrimitive;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionDurability, TransactionMode, TransactionOptions};
use wasm_bindgen::JsValue;

use super::{Durability, Key, Kv, Op, Read, ReadResult, StoreError, StoreName};

/// The version of the IndexedDB schema this build expects.
#[cfg(not(feature = "next-schema"))]
pub const IDB_VERSION: u32 = 6;
/// The rehearsal of the next update (feature `next-schema`): one store more.
#[cfg(feature = "next-schema")]
pub const IDB_VERSION: u32 = 7;

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

fn to_js(key: &Key) -> JsValue {
    match key {
        Key::Num(n) => JsValue::from_f64(*n),
        Key::Text(s) => JsValue::from_str(s),
    }
}

fn from_js(value: &JsValue) -> Result<Key, StoreError> {
    if let Some(n) = value.as_f64() {
        Ok(Key::Num(n))
    } else if let Some(s) = value.as_string() {
        Ok(Key::Text(s))
    } else {
        Err(StoreError::Corrupt(format!("unexpected key {value:?}")))
    }
}

#[derive(Debug)]
pub struct IdbKv {
    db: RefCell<Database>,
    name: String,
    /// Set when the browser closed the connection (or this handle let go
    /// of it for another tab): the next operation reopens it.
    closed: Rc<Cell<bool>>,
    /// How many times the connection was reopened (for tests and logs).
    reopened: Cell<u32>,
}

impl IdbKv {
    /// Opens (creating or upgrading) the database called `name`.
    pub async fn open(name: &str) -> Result<IdbKv, StoreError> {
        let closed = Rc::new(Cell::new(false));
        let db = IdbKv::connect(name, &closed).await?;
        Ok(IdbKv { db: RefCell::new(db), name: name.to_owned(), closed, reopened: Cell::new(0) })
    }

    /// Opens a connection and watches it: a `close` event (the browser
    /// closed it) or a `versionchange` (another tab deletes or upgrades the
    /// database; this connection closes so that can go ahead) marks it
    /// closed.
    async fn connect(name: &str, closed: &Rc<Cell<bool>>) -> Result<Database, StoreError> {
        let db = Database::open(name)
            .with_version(IDB_VERSION)
            .with_on_upgrade_needed(|_, db| {
                // Every store this build knows and the database lacks, from
                // any older version: a new synced entity is a new store.
                // Nothing is ever deleted here (the outbox least of all).
                let existing: Vec<String> = db.object_store_names().collect();
                for store in StoreName::all() {
                    if !existing.iter().any(|name| name == store.as_str()) {
                        db.create_object_store(store.as_str()).build()?;
                    }
                }
                Ok(())
            })
            .await
            .map_err(unavailable)?;
        closed.set(false);
        let mut changes = db.version_changes().map_err(unavailable)?;
        let watched = db.clone();
        let flag = closed.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if changes.recv().await.is_some() {
                // Another tab wants the database: let go of it.
                watched.close();
            }
            flag.set(true);
        });
        closed.set(false);
        Ok(db)
    }

    /// Reopens the connection if it was closed under us.
    async fn reconnect(&self) -> Result<(), StoreError> {
        let db = IdbKv::connect(&self.name, &self.closed).await?;
        let old = self.db.replace(db);
        old.close();
        self.reopened.set(self.reopened.get() + 1);
        web_sys::console::warn_1(&"helhed: the phone's database was closed under the page; reopened it".into());
        Ok(())
    }

    /// Whether a failed operation should be tried again on a fresh
    /// connection: the connection was closed (the `close` event may come
    /// after the failure, so an `InvalidStateError` counts too).
    fn lost_connection(&self, e: &StoreError) -> bool {
        self.closed.get()
            || matches!(e, StoreError::Unavailable(m) if m.contains("InvalidStateError") || m.contains("closing") || m.contains("closed"))
    }

    /// Closes the connection the way the browser does when it closes it
    /// under the page (iOS in the background, a forced close), keeping this
    /// handle: the next operation must reopen it.
    pub fn lose_connection(&self) {
        self.db.borrow().clone().close();
    }

    /// How many times this handle has reopened its connection.
    pub fn reopened(&self) -> u32 {
        self.reopened.get()
    }

    /// Deletes the database called `name` (logout, wipe).
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name).map_err(unavailable)?.await.map_err(unavailable)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Closes the connection (a reload, for tests); returns the name.
    pub fn close(self) -> String {
        self.db.into_inner().close();
        self.name
    }

    fn names() -> Vec<&'static str> {
        StoreName::all().map(|s| s.as_str()).collect()
    }

    /// A readwrite transaction over every store.
    fn write_transaction(db: &Database, durability: Durability) -> Result<Transaction<'_>, StoreError> {
        let durability = match durability {
            Durability::Strict => TransactionDurability::Strict,
            Durability::Relaxed => TransactionDurability::Relaxed,
        };
        db.transaction(IdbKv::names())
            .with_mode(TransactionMode::Readwrite)
            .with_options(TransactionOptions::new().with_durability(durability))
            .build()
            .map_err(unavailable)
    }

    /// Hands every write to the browser before any is awaited: the
    /// transaction runs them in order, and the caller waits for one round
    /// trip instead of one per write.
    fn issue<'t>(
        tx: &'t Transaction<'_>,
        ops: Vec<Op>,
    ) -> Result<Vec<LocalBoxFuture<'t, Result<(), StoreError>>>, StoreError> {
        let mut writes: Vec<LocalBoxFuture<'t, Result<(), StoreError>>> = Vec::with_capacity(ops.len());
        for op in ops {
            let store = |name: StoreName| tx.object_store(name.as_str()).map_err(unavailable);
            let write = match op {
                Op::Put(name, key, value) => {
                    let request = store(name)?.put(value).with_key(to_js(&key)).primitive().map_err(unavailable)?;
                    async move { request.await.map(drop).map_err(unavailable) }.boxed_local()
                }
                Op::Delete(name, key) => {
                    let request = store(name)?.delete(to_js(&key)).primitive().map_err(unavailable)?;
                    async move { request.await.map_err(unavailable) }.boxed_local()
                }
                Op::Clear(name) => {
                    let request = store(name)?.clear().map_err(unavailable)?;
                    async move { request.await.map_err(unavailable) }.boxed_local()
                }
            };
            writes.push(write);
        }
        Ok(writes)
    }

    async fn perform(tx: &Transaction<'_>, reads: &[Read]) -> Result<Vec<ReadResult>, StoreError> {
        let mut results = Vec::with_capacity(reads.len());
        for read in reads {
            match read {
                Read::Get(store, key) => {
                    let store = tx.object_store(store.as_str()).map_err(unavailable)?;
                    let value: Option<String> = store.get(to_js(key)).await.map_err(unavailable)?;
                    results.push(ReadResult::One(value));
                }
                Read::All(store) => {
                    let store = tx.object_store(store.as_str()).map_err(unavailable)?;
                    let keys: Vec<JsValue> = store
                        .get_all_keys::<JsValue>()
                        .await
                        .map_err(unavailable)?
                        .collect::<Result<_, _>>()
                        .map_err(unavailable)?;
                    let values: Vec<String> = store
                        .get_all::<String>()
                        .await
                        .map_err(unavailable)?
                        .collect::<Result<_, _>>()
                        .map_err(unavailable)?;
                    if keys.len() != values.len() {
                        return Err(StoreError::Corrupt("keys and values disagree".into()));
                    }
                    let pairs = keys.iter().map(from_js).zip(values).map(|(k, v)| k.map(|k| (k, v)));
                    results.push(ReadResult::All(pairs.collect::<Result<_, _>>()?));
                }
            }
        }
        Ok(results)
    }
}

impl IdbKv {
    async fn try_read(&self, reads: &[Read]) -> Result<Vec<ReadResult>, StoreError> {
        let db = self.db.borrow().clone();
        let tx = db.transaction(IdbKv::names()).with_mode(TransactionMode::Readonly).build().map_err(unavailable)?;
        IdbKv::perform(&tx, reads).await
    }

    /// One attempt at an update. `decide` runs once the reads are done
    /// (`decided` then says so); if the attempt fails before that, it can
    /// be tried again. Not generic, so the browser-facing code is compiled
    /// once for every kind of update (the shell's size).
    async fn try_update(
        &self,
        reads: &[Read],
        durability: Durability,
        decide: &mut dyn FnMut(Vec<ReadResult>) -> Result<Vec<Op>, StoreError>,
        decided: &mut bool,
    ) -> Result<(), StoreError> {
        let db = self.db.borrow().clone();
        let tx = IdbKv::write_transaction(&db, durability)?;
        let results = IdbKv::perform(&tx, reads).await?;
        *decided = true;
        // On error the transaction is dropped uncommitted: it rolls back.
        let ops = decide(results)?;
        for write in IdbKv::issue(&tx, ops)? {
            write.await?;
        }
        tx.commit().await.map_err(unavailable)
    }

    /// [`Kv::update`] with the decision's value kept by the caller.
    async fn update_dyn(
        &self,
        reads: Vec<Read>,
        durability: Durability,
        decide: &mut dyn FnMut(Vec<ReadResult>) -> Result<Vec<Op>, StoreError>,
    ) -> Result<(), StoreError> {
        if self.closed.get() {
            self.reconnect().await?;
        }
        let mut decided = false;
        match self.try_update(&reads, durability, decide, &mut decided).await {
            // Lost before anything was decided: the same update again. Once
            // decided, the decision rested on reads of a transaction that
            // never committed, so it is not repeated: the caller hears of it.
            Err(e) if !decided && self.lost_connection(&e) => {
                self.reconnect().await?;
                self.try_update(&reads, durability, decide, &mut decided).await
            }
            Err(e) => {
                if self.lost_connection(&e) {
                    self.closed.set(true);
                }
                Err(e)
            }
            ok => ok,
        }
    }

    async fn try_write_if(
        &self,
        store: StoreName,
        key: &Key,
        expected: &str,
        ops: Vec<Op>,
        durability: Durability,
    ) -> Result<bool, StoreError> {
        let db = self.db.borrow().clone();
        let tx = IdbKv::write_transaction(&db, durability)?;
        let current =
            tx.object_store(store.as_str()).map_err(unavailable)?.get(to_js(key)).primitive().map_err(unavailable)?;
        // The writes go with the check; they only count if it holds.
        let writes = IdbKv::issue(&tx, ops)?;
        let current: Option<String> = current.await.map_err(unavailable)?;
        if current.as_deref() != Some(expected) {
            drop(writes);
            tx.abort().await.map_err(unavailable)?;
            return Ok(false);
        }
        for write in writes {
            write.await?;
        }
        tx.commit().await.map_err(unavailable)?;
        Ok(true)
    }
}

impl Kv for IdbKv {
    async fn read(&self, reads: Vec<Read>) -> Result<Vec<ReadResult>, StoreError> {
        if self.closed.get() {
            self.reconnect().await?;
        }
        match self.try_read(&reads).await {
            Err(e) if self.lost_connection(&e) => {
                self.reconnect().await?;
                self.try_read(&reads).await
            }
            other => other,
        }
    }

    async fn update<T>(
        &self,
        reads: Vec<Read>,
        durability: Durability,
        decide: impl FnOnce(Vec<ReadResult>) -> Result<(Vec<Op>, T), StoreError>,
    ) -> Result<T, StoreError> {
        let mut decide = Some(decide);
        let mut value = None;
        {
            let mut erased = |results: Vec<ReadResult>| {
                let decide = decide.take().ok_or_else(|| StoreError::Refused("BUG: an update decided twice".into()))?;
                let (ops, out) = decide(results)?;
                value = Some(out);
                Ok(ops)
            };
            self.update_dyn(reads, durability, &mut erased).await?;
        }
        value.ok_or_else(|| StoreError::Refused("BUG: an update that was not decided".into()))
    }

    async fn write_if(
        &self,
        store: StoreName,
        key: Key,
        expected: &str,
        ops: Vec<Op>,
        durability: Durability,
    ) -> Result<bool, StoreError> {
        if self.closed.get() {
            self.reconnect().await?;
        }
        // The check and the writes are given, not decided here: the whole
        // attempt can be repeated on a fresh connection.
        match self.try_write_if(store, &key, expected, ops.clone(), durability).await {
            Err(e) if self.lost_connection(&e) => {
                self.reconnect().await?;
                self.try_write_if(store, &key, expected, ops, durability).await
            }
            other => other,
        }
    }
}
