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
