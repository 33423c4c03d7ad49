//! Runs sync in the browser: one leader tab (Web Locks) syncs; every tab
//! asks it to over a BroadcastChannel and refreshes when it has. Triggers: a
//! local write (debounced), coming online, the tab becoming visible, every
//! minute while online, and the "sync now" button. Failures back off with
//! full jitter up to ten minutes; 400/403 are not retried, and 401 waits for
//! a new login with everything kept.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::mpsc;
use futures::future::LocalBoxFuture;
use futures::{FutureExt, StreamExt};
use leptos::prelude::*;
use shared::Timestamp;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::engine::{self, SyncError, TransportError};
use super::http::FetchTransport;
use super::schedule::{self, DEBOUNCE_MS, PERIODIC_MS};
use crate::clock::now;
use crate::store::StoreError;
use crate::store::idb::IdbKv;
use crate::store::local::LocalDb;

const CHANNEL: &str = "helhed-sync";
const LOCK: &str = "helhed-sync-leader";

/// What is wrong with sync right now, in words the user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncProblem {
    Offline,
    LoginNeeded,
    /// The user was deactivated; the phone's data is wiped.
    Deactivated,
    Outdated,
    /// The server refused the push or pull, in the user's language.
    Refused(shared::Localized),
    /// The phone's own database failed (after reopening it once).
    Storage(shared::Localized),
}

impl SyncProblem {
    /// What a refusal says: the server's own words when it sent any.
    fn refused(status: u16, body: Option<&shared::ErrorBody>) -> SyncProblem {
        SyncProblem::Refused(match (status, body) {
            (_, Some(b)) => b.message.clone(),
            (413, None) => shared::Localized::new(
                "en registrering er for stor til at blive sendt",
                "a record is too large to be sent",
            ),
            (status, None) => shared::Localized::new(format!("svar {status}"), format!("answer {status}")),
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncStatus {
    pub syncing: bool,
    pub last_synced_at: Option<Timestamp>,
    pub problem: Option<SyncProblem>,
    /// Rows received so far and in all, during a long download.
    pub progress: Option<(u64, u64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trigger {
    LocalWrite,
    Now,
}

thread_local! {
    static TRIGGERS: RefCell<Option<mpsc::UnboundedSender<Trigger>>> = const { RefCell::new(None) };
    static CHANNEL_HANDLE: RefCell<Option<web_sys::BroadcastChannel>> = const { RefCell::new(None) };
}

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks.request(name, callback)`: Web Locks without the
    /// unstable web-sys feature.
    #[wasm_bindgen(js_namespace = ["navigator", "locks"], js_name = request, catch)]
    fn lock_request(
        name: &str,
        callback: &Closure<dyn FnMut(JsValue) -> js_sys::Promise>,
    ) -> Result<js_sys::Promise, JsValue>;
}

fn online() -> bool {
    window().navigator().on_line()
}

/// Ask for a sync soon: this tab's loop if it leads, the leader otherwise.
pub fn request_sync(after_local_write: bool) {
    let trigger = if after_local_write { Trigger::LocalWrite } else { Trigger::Now };
    let sent = TRIGGERS.with(|t| t.borrow().as_ref().is_some_and(|tx| tx.unbounded_send(trigger).is_ok()));
    if !sent {
        broadcast(if after_local_write { "write" } else { "sync" });
    }
}

fn broadcast(message: &str) {
    CHANNEL_HANDLE.with(|c| {
        if let Some(channel) = c.borrow().as_ref() {
            let _ = channel.post_message(&JsValue::from_str(message));
        }
    });
}

/// Starts the database afresh for the logged-in user (see [`Hooks`]).
pub type Recover = Rc<dyn Fn(Rc<LocalDb<IdbKv>>) -> LocalBoxFuture<'static, Result<bool, StoreError>>>;

/// What the runner asks of the layer that starts it (`crate::data`), so
/// the dependency points one way: data → sync.
#[derive(Clone)]
pub struct Hooks {
    /// Re-reads the local view (after any tab changed it).
    pub refresh: Rc<dyn Fn()>,
    /// The database was deleted under the page: start it afresh for the
    /// user who is logged in. `Ok(true)` when it did (sync then downloads
    /// everything again), `Ok(false)` when the database was not deleted.
    pub recover: Recover,
}

/// Starts listening to other tabs and competing for leadership.
pub fn start(db: Rc<LocalDb<IdbKv>>, status: RwSignal<SyncStatus>, hooks: Hooks) {
    let refresh = hooks.refresh.clone();
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) {
        let on_message = {
            let refresh = refresh.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                match event.data().as_string().as_deref() {
                    Some("changed") => refresh(),
                    Some("write") => {
                        refresh();
                        let _ = TRIGGERS.with(|t| t.borrow().as_ref().map(|tx| tx.unbounded_send(Trigger::LocalWrite)));
                    }
                    Some("sync") => {
                        let _ = TRIGGERS.with(|t| t.borrow().as_ref().map(|tx| tx.unbounded_send(Trigger::Now)));
                    }
                    _ => {}
                }
            })
        };
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        CHANNEL_HANDLE.with(|c| *c.borrow_mut() = Some(channel));
    }

    // Ask the browser not to evict our data under storage pressure.
    if let Ok(promise) = window().navigator().storage().persist() {
        drop(wasm_bindgen_futures::JsFuture::from(promise));
    }

    type Once = Rc<RefCell<Option<Box<dyn FnOnce()>>>>;
    let start_leading: Once = Rc::new(RefCell::new(Some(Box::new(move || {
        leptos::task::spawn_local(lead(db, status, hooks));
    }))));
    let take_lead = {
        let start_leading = start_leading.clone();
        move || {
            if let Some(f) = start_leading.borrow_mut().take() {
                f();
            }
        }
    };
    let on_lock = take_lead.clone();
    let callback = Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(move |_lock| {
        on_lock();
        // Hold the lock for as long as this tab lives.
        js_sys::Promise::new(&mut |_, _| {})
    });
    match lock_request(LOCK, &callback) {
        Ok(_) => callback.forget(),
        // No Web Locks (a very old browser): every tab syncs on its own; the
        // server's exactly-once rules keep that safe.
        Err(_) => take_lead(),
    }
}

async fn lead(db: Rc<LocalDb<IdbKv>>, status: RwSignal<SyncStatus>, hooks: Hooks) {
    let (tx, mut rx) = mpsc::unbounded::<Trigger>();
    TRIGGERS.with(|t| *t.borrow_mut() = Some(tx.clone()));
    // Events that call for a sync: the network back (the browser's
    // `online`, or the server answering again), the tab shown.
    let on = tx.clone();
    crate::network::when_back(move || {
        let _ = on.unbounded_send(Trigger::Now);
    });
    let visible = tx.clone();
    let on_visible = Closure::<dyn FnMut()>::new(move || {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            let _ = visible.unbounded_send(Trigger::Now);
        }
    });
    let _ = document().add_event_listener_with_callback("visibilitychange", on_visible.as_ref().unchecked_ref());
    on_visible.forget();

    let mut attempt: u32 = 0;
    let mut wait_ms: Option<u64> = Some(0);
    loop {
        // Wait for a trigger, the timer, or the backoff to run out.
        let sleep = async {
            match wait_ms {
                Some(ms) => gloo_timers::future::TimeoutFuture::new(ms.min(u64::from(u32::MAX)) as u32).await,
                None => futures::future::pending().await,
            }
        };
        futures::select! {
            trigger = rx.next() => {
                if trigger == Some(Trigger::LocalWrite) {
                    // Let a burst of taps settle into one push.
                    gloo_timers::future::TimeoutFuture::new(DEBOUNCE_MS as u32).await;
                }
                while rx.try_recv().is_ok() {}
            }
            () = sleep.fuse() => {}
        }
        if !online() {
            status.update(|s| s.problem = Some(SyncProblem::Offline));
            wait_ms = None; // The network coming back wakes us.
            continue;
        }
        // Nobody logged in on this phone: nothing to sync until a login. A
        // storage failure is not "nobody": it shows, and is tried again.
        match db.meta().await {
            Ok(meta) if meta.user.is_some() => {}
            Ok(_) => {
                wait_ms = None;
                continue;
            }
            // The database was deleted under the page: start it afresh for
            // the user who is logged in, and download everything again.
            Err(StoreError::Corrupt(_)) if matches!((hooks.recover)(db.clone()).await, Ok(true)) => {
                wait_ms = Some(0);
                continue;
            }
            Err(e) => {
                status.update(|s| s.problem = Some(SyncProblem::Storage(e.message())));
                wait_ms = Some(schedule::backoff_ms(attempt, js_sys::Math::random()));
                attempt = attempt.saturating_add(1);
                continue;
            }
        }
        status.update(|s| {
            s.syncing = true;
            s.progress = None;
        });
        let progress = move |got: u64, all: u64| status.update(|s| s.progress = (all > 1000).then_some((got, all)));
        let result = engine::sync_once(&db, &FetchTransport, now, &progress).await;
        (hooks.refresh)();
        broadcast("changed");
        status.update(|s| {
            s.syncing = false;
            s.progress = None;
        });
        match result {
            Ok(report) => {
                if report.repaired {
                    // Self-healing, nothing for the user to do; for whoever
                    // looks at the console of a phone that reports trouble.
                    web_sys::console::warn_1(
                        &"helhed: the phone's rows differed from the server's; downloaded them again".into(),
                    );
                }
                attempt = 0;
                wait_ms = Some(PERIODIC_MS);
                status.update(|s| {
                    s.problem = None;
                    s.last_synced_at = Some(now());
                });
            }
            Err(e) => {
                let problem = match &e {
                    SyncError::Store(s) => SyncProblem::Storage(s.message()),
                    SyncError::Transport(TransportError::Offline) => SyncProblem::Offline,
                    SyncError::Transport(TransportError::Unauthenticated) => SyncProblem::LoginNeeded,
                    SyncError::Wiped | SyncError::Transport(TransportError::Deactivated) => SyncProblem::Deactivated,
                    SyncError::Transport(TransportError::UpgradeRequired) => SyncProblem::Outdated,
                    SyncError::Transport(TransportError::Gap { .. }) => SyncProblem::Refused(shared::Localized::new(
                        "serveren mangler tidligere registreringer fra telefonen",
                        "the server is missing earlier records from the phone",
                    )),
                    SyncError::Transport(TransportError::Refused { status, body }) => {
                        SyncProblem::refused(*status, body.as_ref())
                    }
                };
                wait_ms = if e.retryable() {
                    Some(schedule::backoff_ms(attempt, js_sys::Math::random()))
                } else if matches!(e, SyncError::Transport(TransportError::Refused { .. })) {
                    // The server refused the push; the pull still ran and
                    // must go on running: other phones' work keeps arriving.
                    Some(PERIODIC_MS)
                } else {
                    None
                };
                attempt = attempt.saturating_add(1);
                status.update(|s| s.problem = Some(problem));
            }
        }
    }
}
