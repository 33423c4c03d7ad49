//! The store conformance suite over real IndexedDB, in headless Chromium
//! (`cargo xtask test` runs it through wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use app::store::conformance;
use app::store::idb::IdbKv;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn unique_name() -> String {
    format!("helhed-test-{}", js_sys::Math::random().to_bits())
}

#[wasm_bindgen_test]
async fn indexeddb_passes_the_conformance_suite() {
    conformance::run_all(
        async || IdbKv::open(&unique_name()).await.expect("open IndexedDB"),
        async |kv: IdbKv| {
            let name = kv.close();
            IdbKv::open(&name).await.expect("reopen IndexedDB")
        },
    )
    .await;
}

/// Issue 12, kind 12: the connection closed under the page (iOS in the
/// background, a forced close) is reopened by the next operation, which
/// then works; nothing saved before is lost.
#[wasm_bindgen_test]
async fn a_connection_closed_under_the_page_is_reopened_by_the_next_save() {
    use app::store::local::LocalDb;
    use shared::sync::MutationBody;
    let name = unique_name();
    let db = LocalDb::open(IdbKv::open(&name).await.expect("open"), client()).await.expect("local db");
    let now = shared::Timestamp::from_millis(1_790_000_000_000);
    // (what the first operation after the close is)
    let firsts = ["a save (the counter guessed)", "a read", "a save after a read"];
    for (i, first) in firsts.into_iter().enumerate() {
        db.kv().lose_connection();
        match first {
            "a read" => {
                db.outbox().await.expect("a read reopens");
            }
            "a save after a read" => {
                db.meta().await.expect("a read reopens");
                db.act(timer_start(i), now).await.expect("the save works");
            }
            _ => {
                db.act(timer_start(i), now).await.expect("the save reopens and works");
            }
        }
        assert_eq!(db.kv().reopened(), u32::try_from(i + 1).expect("small"), "{first}: reopened once");
    }
    let outbox = db.outbox().await.expect("outbox");
    assert!(matches!(outbox.first().map(|m| &m.body), Some(MutationBody::TimerStart { .. })));
    assert_eq!(outbox.len(), 2, "every save is kept, none twice");
}

/// Another tab deletes the database (a logout there): this connection lets
/// go so the deletion can proceed, and the next operation opens it anew.
#[wasm_bindgen_test]
async fn a_connection_lets_go_when_another_tab_deletes_the_database() {
    let name = unique_name();
    let kv = IdbKv::open(&name).await.expect("open");
    let db = app::store::local::LocalDb::open(kv, client()).await.expect("local db");
    // Would hang (blocked) if this tab kept its connection open.
    IdbKv::delete(&name).await.expect("the other tab's delete goes through");
    assert!(db.meta().await.is_err(), "a fresh database has no client id yet: the caller hears of it");
    assert_eq!(db.kv().reopened(), 1);
    db.kv().lose_connection();
    assert!(db.outbox().await.expect("reads work again").is_empty());
}

/// Issue 13: a phone's database from an older build that had fewer stores
/// (a new synced entity since) is upgraded in place: every missing store is
/// created, and what the old stores hold — the outbox first — stays.
#[wasm_bindgen_test]
async fn an_older_database_gains_the_missing_stores_and_keeps_its_outbox() {
    use app::store::{Key, Kv, Read, ReadResult, StoreName};
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let name = unique_name();
    // The older build: version 1 with only two stores, one queued mutation.
    let old = Database::open(&name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("meta").build()?;
            db.create_object_store("outbox").build()?;
            Ok(())
        })
        .await
        .expect("the older database");
    let tx = old.transaction("outbox").with_mode(TransactionMode::Readwrite).build().expect("tx");
    let store = tx.object_store("outbox").expect("outbox");
    store.put("queued").with_key(7).primitive().expect("put").await.expect("written");
    tx.commit().await.expect("commit");
    old.close();

    let kv = IdbKv::open(&name).await.expect("this build opens it");
    let r = kv.read(vec![Read::All(StoreName::Outbox), Read::All(StoreName::Rows(shared::sync::Entity::Timer))]).await;
    let r = r.expect("every store there");
    assert_eq!(r[0], ReadResult::All(vec![(Key::num(7), "queued".to_owned())]), "the outbox is kept");
    assert_eq!(r[1], ReadResult::All(Vec::new()), "a store the old build lacked now exists");
}

fn client() -> shared::ClientId {
    shared::ClientId::from_uuid(uuid::Uuid::now_v7())
}

fn timer_start(n: usize) -> shared::sync::MutationBody {
    shared::sync::MutationBody::TimerStart {
        timer_id: shared::TimerId::from_uuid(uuid::Uuid::from_u128(n as u128 + 1)),
        citizen_id: shared::CitizenId::from_uuid(uuid::Uuid::from_u128(99)),
        started_at: shared::Timestamp::from_millis(1_790_000_000_000),
    }
}
