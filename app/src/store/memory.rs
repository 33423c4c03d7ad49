//! The in-memory twin of the IndexedDB store, for native tests. Clones
//! share one database, like two tabs on one origin.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::{Durability, Key, Kv, Op, Read, ReadResult, StoreError, StoreName};

#[derive(Debug, Clone, Default)]
pub struct MemoryKv {
    stores: Rc<RefCell<HashMap<StoreName, BTreeMap<Key, String>>>>,
}

impl MemoryKv {
    pub fn new() -> MemoryKv {
        MemoryKv::default()
    }

    fn perform(&self, reads: &[Read]) -> Vec<ReadResult> {
        let stores = self.stores.borrow();
        reads
            .iter()
            .map(|read| match read {
                Read::Get(store, key) => ReadResult::One(stores.get(store).and_then(|s| s.get(key)).cloned()),
                Read::All(store) => ReadResult::All(
                    stores
                        .get(store)
                        .map(|s| s.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                        .unwrap_or_default(),
                ),
            })
            .collect()
    }
}

impl MemoryKv {
    fn apply(&self, ops: Vec<Op>) {
        let mut stores = self.stores.borrow_mut();
        for op in ops {
            match op {
                Op::Put(store, key, value) => {
                    stores.entry(store).or_default().insert(key, value);
                }
                Op::Delete(store, key) => {
                    stores.entry(store).or_default().remove(&key);
                }
                Op::Clear(store) => {
                    stores.entry(store).or_default().clear();
                }
            }
        }
    }
}

impl Kv for MemoryKv {
    async fn read(&self, reads: Vec<Read>) -> Result<Vec<ReadResult>, StoreError> {
        Ok(self.perform(&reads))
    }

    async fn update<T>(
        &self,
        reads: Vec<Read>,
        _durability: Durability,
        decide: impl FnOnce(Vec<ReadResult>) -> Result<(Vec<Op>, T), StoreError>,
    ) -> Result<T, StoreError> {
        // No await between reading and writing: atomic on one thread.
        let (ops, out) = decide(self.perform(&reads))?;
        self.apply(ops);
        Ok(out)
    }

    async fn write_if(
        &self,
        store: StoreName,
        key: Key,
        expected: &str,
        ops: Vec<Op>,
        _durability: Durability,
    ) -> Result<bool, StoreError> {
        let holds = self.stores.borrow().get(&store).and_then(|s| s.get(&key)).is_some_and(|v| v == expected);
        if holds {
            self.apply(ops);
        }
        Ok(holds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_store_passes_the_conformance_suite() {
        futures::executor::block_on(crate::store::conformance::run_all(
            async || MemoryKv::new(),
            // A reload keeps the data: the twin lives as long as its clones.
            async |kv: MemoryKv| kv,
        ));
    }
}
