//! The IndexedDB backend of [`Kv`].
//!
//! Schema versions (never drop the outbox in an upgrade):
//! 1. stores `meta`, `outbox`, `rejected`, `staging`, `citizens`,
//!    `assignments`, `grants`, `drawing_rights`, `visits`, `timers`; all with
//!    out-of-line keys and JSON text values.
//!
//! Every `update` runs in one readwrite transaction over all stores, so
//! updates from several tabs are serialised by the browser.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionDurability, TransactionMode, TransactionOptions};
use wasm_bindgen::JsValue;

use super::{Durability, Key, Kv, Op, Read, ReadResult, StoreError, StoreName};

/// The version of the IndexedDB schema this build expects.
pub const IDB_VERSION: u32 = 1;

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
    db: Database,
    name: String,
}

impl IdbKv {
    /// Opens (creating or upgrading) the database called `name`.
    pub async fn open(name: &str) -> Result<IdbKv, StoreError> {
        let db = Database::open(name)
            .with_version(IDB_VERSION)
            .with_on_upgrade_needed(|event, db| {
                let old = event.old_version() as u64;
                if old < 1 {
                    for store in StoreName::ALL {
                        db.create_object_store(store.as_str()).build()?;
                    }
                }
                Ok(())
            })
            .await
            .map_err(unavailable)?;
        Ok(IdbKv { db, name: name.to_owned() })
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
        self.db.close();
        self.name
    }

    fn names() -> Vec<&'static str> {
        StoreName::ALL.iter().map(|s| s.as_str()).collect()
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

impl Kv for IdbKv {
    async fn read(&self, reads: Vec<Read>) -> Result<Vec<ReadResult>, StoreError> {
        let tx =
            self.db.transaction(IdbKv::names()).with_mode(TransactionMode::Readonly).build().map_err(unavailable)?;
        IdbKv::perform(&tx, &reads).await
    }

    async fn update<T>(
        &self,
        reads: Vec<Read>,
        durability: Durability,
        decide: impl FnOnce(Vec<ReadResult>) -> Result<(Vec<Op>, T), StoreError>,
    ) -> Result<T, StoreError> {
        let durability = match durability {
            Durability::Strict => TransactionDurability::Strict,
            Durability::Relaxed => TransactionDurability::Relaxed,
        };
        let tx = self
            .db
            .transaction(IdbKv::names())
            .with_mode(TransactionMode::Readwrite)
            .with_options(TransactionOptions::new().with_durability(durability))
            .build()
            .map_err(unavailable)?;
        let results = IdbKv::perform(&tx, &reads).await?;
        // On error the transaction is dropped uncommitted: it rolls back.
        let (ops, out) = decide(results)?;
        for op in ops {
            match op {
                Op::Put(store, key, value) => {
                    let store = tx.object_store(store.as_str()).map_err(unavailable)?;
                    store.put(value).with_key(to_js(&key)).await.map_err(unavailable)?;
                }
                Op::Delete(store, key) => {
                    let store = tx.object_store(store.as_str()).map_err(unavailable)?;
                    store.delete(to_js(&key)).await.map_err(unavailable)?;
                }
                Op::Clear(store) => {
                    let store = tx.object_store(store.as_str()).map_err(unavailable)?;
                    store.clear().map_err(unavailable)?.await.map_err(unavailable)?;
                }
            }
        }
        tx.commit().await.map_err(unavailable)?;
        Ok(out)
    }
}
