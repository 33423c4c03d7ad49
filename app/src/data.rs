//! The phone's data for the UI: opens the local database once, keeps the
//! user's view of it in a signal, and starts sync. Pages read the view and
//! act through [`act`]; they never wait for the network.
//!
//! `act` is a user action: the local write, then a sync request; it is timed as
//! the User Timing entry `helhed:act` (read by `tests/e2e/bench.mjs`).
//! `fetch_or_cached` fetches an online-only answer and keeps the last copy in
//! the store's `meta` (`cache:<name>`) for reading offline. `logged_in` and
//! `wipe` make the database the user's and empty it at logout; `recover` gives
//! a database deleted under the page its identity back.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use shared::api::MeResponse;
use shared::sync::MutationBody;
use uuid::Uuid;

use crate::clock::now;
use crate::overlay::View;
use crate::store::StoreError;
use crate::store::idb::IdbKv;
use crate::store::local::LocalDb;
use crate::sync::runner::{self, SyncStatus};

/// The IndexedDB database's name.
pub const DB_NAME: &str = "helhed";

thread_local! {
    // The browser runs the app on one thread; signals must be Send, the
    // database handle need not be.
    static DB: RefCell<Option<Rc<LocalDb<IdbKv>>>> = const { RefCell::new(None) };
    // Also reachable from async tasks, which run outside the component tree.
    static SIGNALS: RefCell<Option<Data>> = const { RefCell::new(None) };
    // Who is logged in, for starting the database afresh if it is deleted
    // under the page.
    static ME: RefCell<Option<MeResponse>> = const { RefCell::new(None) };
}

/// Whether the local database could be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Local {
    Opening,
    Ready,
    Failed(String),
}

#[derive(Clone, Copy)]
pub struct Data {
    pub local: RwSignal<Local>,
    pub view: RwSignal<Option<View>>,
    pub status: RwSignal<SyncStatus>,
}

/// The data signals (from components, tasks and event handlers alike).
pub fn use_data() -> Data {
    SIGNALS.with(|s| *s.borrow()).expect("BUG: provide_data runs before anything reads data")
}

pub fn db() -> Option<Rc<LocalDb<IdbKv>>> {
    DB.with(|d| d.borrow().clone())
}

/// Opens the database and starts sync; `on_done` runs once the database is
/// open, or could not be (the app then works online only).
pub fn provide_data(on_done: impl FnOnce() + 'static) {
    let data = Data {
        local: RwSignal::new(Local::Opening),
        view: RwSignal::new(None),
        status: RwSignal::new(SyncStatus::default()),
    };
    SIGNALS.with(|s| *s.borrow_mut() = Some(data));
    leptos::task::spawn_local(async move {
        let opened = async {
            let kv = IdbKv::open(DB_NAME).await?;
            LocalDb::open(kv, shared::ClientId::from_uuid(Uuid::now_v7())).await
        }
        .await;
        match opened {
            Ok(db) => {
                let db = Rc::new(db);
                DB.with(|d| *d.borrow_mut() = Some(db.clone()));
                data.local.set(Local::Ready);
                refresh(data.view).await;
                let view = data.view;
                let hooks = runner::Hooks {
                    refresh: Rc::new(move || leptos::task::spawn_local(refresh(view))),
                    recover: Rc::new(|db| Box::pin(async move { recover(&db).await })),
                };
                runner::start(db, data.status, hooks);
            }
            Err(e) => data.local.set(Local::Failed(e.to_string())),
        }
        on_done();
    });
}

/// Re-reads the view from the local database.
pub async fn refresh(view: RwSignal<Option<View>>) {
    if let Some(db) = db()
        && let Ok(v) = db.view().await
    {
        view.set(Some(v));
    }
}

/// One user action: written locally at once, synced when possible. Its
/// time to durable storage is a User Timing entry `helhed:act` (the
/// benchmark reads it; so can anyone with the browser's dev tools).
pub async fn act(body: MutationBody) -> Result<u64, StoreError> {
    let db = db().ok_or_else(|| StoreError::Unavailable("the local database is not open".into()))?;
    let performance = web_sys::window().and_then(|w| w.performance());
    if let Some(p) = &performance {
        let _ = p.mark("helhed:act-start");
    }
    let id = match db.act(body.clone(), now()).await {
        // The database was deleted under the page (cleared site data,
        // DevTools): what it held is gone, but the user is still logged
        // in. Start it afresh for them, then save.
        Err(StoreError::Corrupt(_)) if recover(&db).await? => db.act(body, now()).await?,
        other => other?,
    };
    if let Some(p) = &performance {
        let _ = p.measure_with_start_mark("helhed:act", "helhed:act-start");
    }
    refresh(use_data().view).await;
    runner::request_sync(true);
    Ok(id)
}

/// Unsent work of another user on this phone (the one who last used it):
/// their name and how many records would be lost if `user` took over.
pub async fn unsent_of_other_user(user: shared::UserId) -> Option<(String, usize)> {
    let db = db()?;
    let previous = db.meta().await.ok()?.user.filter(|u| *u != user)?;
    let unsent = db.outbox().await.ok()?.len() + db.rejected().await.ok()?.len();
    if unsent == 0 {
        return None;
    }
    let name = db.profile().await.ok().flatten().filter(|p| p.id == previous).map(|p| p.name.to_string());
    Some((name.unwrap_or_default(), unsent))
}

/// Whether the database had lost its identity (deleted under the page) and
/// was made this session's user's again; it then downloads everything anew.
pub(crate) async fn recover(db: &LocalDb<IdbKv>) -> Result<bool, StoreError> {
    if !db.ensure_identity(shared::ClientId::from_uuid(Uuid::now_v7())).await? {
        return Ok(false);
    }
    web_sys::console::warn_1(&"helhed: the phone's database was deleted under the page; started it afresh".into());
    if let Some(me) = ME.with(|m| m.borrow().clone()) {
        logged_in(&me).await?;
    }
    Ok(true)
}

/// The user this page runs for, once known (a login, or the session check).
pub fn remember_me(me: &MeResponse) {
    ME.with(|m| *m.borrow_mut() = Some(me.clone()));
}

/// After a login: make the database this user's, remember who it is, sync.
pub async fn logged_in(me: &MeResponse) -> Result<(), StoreError> {
    remember_me(me);
    let Some(db) = db() else { return Ok(()) };
    db.set_user(me.id, shared::ClientId::from_uuid(Uuid::now_v7())).await?;
    db.set_profile(me).await?;
    // A fresh login answers "log in again".
    use_data().status.update(|s| s.problem = None);
    refresh(use_data().view).await;
    runner::request_sync(false);
    Ok(())
}

/// Logging out: everything on this phone goes.
pub async fn wipe() -> Result<(), StoreError> {
    if let Some(db) = db() {
        db.wipe(shared::ClientId::from_uuid(Uuid::now_v7())).await?;
    }
    use_data().view.set(None);
    Ok(())
}

/// Fetches something online and keeps a copy under `name`; with no network
/// (or the server unreachable) the last copy is read instead. Returns the
/// value and whether it came from the copy.
pub async fn fetch_or_cached<T, F>(name: &str, fetch: F) -> Result<(T, bool), crate::error::AppError>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
    F: std::future::Future<Output = Result<T, crate::error::AppError>>,
{
    match fetch.await {
        Ok(value) => {
            if let (Some(db), Ok(text)) = (db(), serde_json::to_string(&value)) {
                // A copy that cannot be kept only costs offline reading.
                let _ = db.set_cached(name, text).await;
            }
            Ok((value, false))
        }
        Err(crate::error::AppError::Offline) => match read_cached(name).await {
            Some(value) => Ok((value, true)),
            None => Err(crate::error::AppError::Offline),
        },
        Err(other) => Err(other),
    }
}

/// The last copy kept under `name` by [`fetch_or_cached`], if the phone has
/// one it can read (none before the first fetch, or after a logout).
pub async fn read_cached<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    let text = db()?.cached(name).await.ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// The teams and areas a lead or administrator reports on (`GET /api/org`,
/// or the last copy offline), as a resource of the page that asks: only
/// its newest answer counts, and `refetch` asks again.
pub fn load_org() -> LocalResource<Result<shared::report::OrgResponse, crate::error::AppError>> {
    LocalResource::new(|| async { fetch_or_cached("org", crate::api::org()).await.map(|(org, _)| org) })
}

/// The org for a page with a choice among its teams or areas
/// ([`load_org`]); while nothing is chosen, `first` chooses. Returns the
/// resource (to fetch it again), the org once it is there, and why it is
/// not if it failed.
#[allow(clippy::type_complexity)]
pub fn org_for_choice<T: Clone + Send + Sync + 'static>(
    choice: RwSignal<Option<T>>,
    first: fn(&shared::report::OrgResponse) -> Option<T>,
) -> (
    LocalResource<Result<shared::report::OrgResponse, crate::error::AppError>>,
    Signal<Option<shared::report::OrgResponse>>,
    Signal<Option<crate::error::AppError>>,
) {
    let load = load_org();
    let org = Signal::derive(move || load.get().and_then(Result::ok));
    let failure = Signal::derive(move || load.get().and_then(Result::err));
    Effect::new(move |_| {
        if let Some(o) = org.get()
            && choice.with_untracked(Option::is_none)
        {
            choice.set(first(&o));
        }
    });
    (load, org, failure)
}

/// The names of the people the lead's reports mention, kept on the phone
/// under this cache name.
const NAMES: &str = "names";

/// Adds a report's names to the phone's copy (for the drill-down pages).
pub async fn remember_names(new: &std::collections::BTreeMap<uuid::Uuid, shared::text::PersonName>) {
    let Some(db) = db() else { return };
    let mut all = remembered_names().await;
    all.extend(new.iter().map(|(k, v)| (*k, v.clone())));
    if let Ok(text) = serde_json::to_string(&all) {
        let _ = db.set_cached(NAMES, text).await;
    }
}

/// The names a lead's reports have mentioned (for the drill-down pages,
/// offline too); empty when none are kept.
pub async fn remembered_names() -> std::collections::BTreeMap<uuid::Uuid, shared::text::PersonName> {
    match db() {
        Some(db) => match db.cached(NAMES).await {
            Ok(Some(text)) => serde_json::from_str(&text).unwrap_or_default(),
            _ => Default::default(),
        },
        None => Default::default(),
    }
}
