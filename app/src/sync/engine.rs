//! One sync run: push the outbox in order, pull every page into staging,
//! apply them in one transaction. Generic over the store and the network,
//! so it runs in the browser (IndexedDB + fetch) and in native tests (the
//! in-memory store + HTTP to a real server, with faults injected).
//!
//! **Invariant:** no store transaction is open while a request is in flight:
//! each store call finishes before the next network await.
//!
//! Failure anywhere leaves the local database consistent: the outbox is only
//! trimmed by `apply_staged`, under the server's confirmation, and staging is
//! cleared at the start of every run.

use shared::sync::{
    MAX_PUSH_BYTES, MAX_PUSH_MUTATIONS, Mutation, PROTOCOL_VERSION, PullRequest, PullResponse, PushRequest,
    PushResponse, SCHEMA_VERSION,
};
use shared::{ErrorBody, Timestamp};

use crate::store::local::{Applied, LocalDb};
use crate::store::{Kv, StoreError};

/// Why a request did not succeed.
#[derive(Debug, Clone, PartialEq)]
pub enum TransportError {
    /// No answer: offline, connection dropped, server down. Retry later.
    Offline,
    /// 401: log in again (the outbox is kept).
    Unauthenticated,
    /// 401 `account_deactivated`: the user is deactivated. Pushes are still
    /// accepted; once the outbox is in, the phone wipes its data.
    Deactivated,
    /// 409 on push: the server expects this mutation id next.
    Gap { expected: u64 },
    /// 426: this app is too old; reload.
    UpgradeRequired,
    /// Any other refusal (400, 403, 422, 5xx), with the server's body.
    Refused { status: u16, body: Option<ErrorBody> },
}

impl TransportError {
    /// What a non-200 answer means to the engine (every transport reads
    /// answers this way).
    pub fn from_answer(status: u16, body: Option<ErrorBody>) -> TransportError {
        match (status, body) {
            (401, Some(b)) if b.code == shared::api::ACCOUNT_DEACTIVATED => TransportError::Deactivated,
            (401, _) => TransportError::Unauthenticated,
            (426, _) => TransportError::UpgradeRequired,
            (409, Some(ErrorBody { expected_mutation_id: Some(expected), .. })) => TransportError::Gap { expected },
            // A gateway answering for a server that is down.
            (502..=504, _) => TransportError::Offline,
            (status, body) => TransportError::Refused { status, body },
        }
    }
}

/// The network, as the engine sees it.
#[allow(async_fn_in_trait)]
pub trait Transport {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError>;
    async fn pull(&self, request: &PullRequest) -> Result<PullResponse, TransportError>;
}

#[derive(Debug, Clone, PartialEq)]
pub enum SyncError {
    Store(StoreError),
    Transport(TransportError),
    /// The user is deactivated; everything waiting was handed in and the
    /// phone's data is wiped.
    Wiped,
}

impl SyncError {
    /// Whether the pull may still run after a push failed this way: yes
    /// when the server answered and refused the push; not when it cannot
    /// be reached, the login is gone or the phone's storage failed.
    fn pull_may_run(&self) -> bool {
        matches!(self, SyncError::Transport(TransportError::Refused { .. } | TransportError::Gap { .. }))
    }

    /// Whether trying again later may help. 400 and 403 will not; nor will
    /// an out-of-date app or a lost login without the user acting.
    pub fn retryable(&self) -> bool {
        match self {
            SyncError::Store(_) => true,
            SyncError::Transport(TransportError::Offline) => true,
            SyncError::Transport(TransportError::Refused { status, .. }) => *status >= 500 || *status == 429,
            SyncError::Transport(_) | SyncError::Wiped => false,
        }
    }
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Store(e)
    }
}

impl From<TransportError> for SyncError {
    fn from(e: TransportError) -> Self {
        SyncError::Transport(e)
    }
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub pushed: usize,
    pub pages: usize,
    pub applied: Applied,
    /// The phone's rows were not the server's, and were downloaded again.
    pub repaired: bool,
}

/// Called with (rows so far, rows in all) while pages come in.
pub type Progress<'a> = &'a dyn Fn(u64, u64);

/// How often a phone checks that it holds exactly the server's rows.
const VERIFY_EVERY_MS: i64 = 24 * 60 * 60 * 1000;

pub async fn sync_once<K: Kv, T: Transport>(
    db: &LocalDb<K>,
    transport: &T,
    now: impl Fn() -> Timestamp,
    progress: Progress<'_>,
) -> Result<Report, SyncError> {
    let mut report = Report::default();
    // A push the server refuses does not stop the pull: the other phone's
    // visits still arrive, and the refusal is reported after.
    let mut pushed_up_to = 0;
    let pushed = push_all(db, transport, &mut pushed_up_to, &mut report).await;
    if let Err(e) = &pushed
        && !e.pull_may_run()
    {
        return Err(e.clone());
    }
    let verify = db.meta().await?.verified_at.is_none_or(|at| now().as_millis() - at.as_millis() >= VERIFY_EVERY_MS);
    let digest = pull_all(db, transport, verify, &mut pushed_up_to, &mut report, &now, progress).await?;
    if let Some(expected) = digest {
        // Rows a pull can never fix (a missed deletion, a row from a bug of
        // an older version): start over, and the server sends everything.
        let held = expected.differs_in(&db.row_digest().await?).is_empty();
        db.verified(held, now()).await?;
        if !held {
            report.repaired = true;
            pull_all(db, transport, false, &mut pushed_up_to, &mut report, &now, progress).await?;
            db.verified(true, now()).await?;
        }
    }
    pushed.map(|()| report)
}

/// Pulls every page after the stored cursor, stages them and applies them
/// together; returns the server's digest if `verify` asked for one.
async fn pull_all<K: Kv, T: Transport>(
    db: &LocalDb<K>,
    transport: &T,
    verify: bool,
    pushed_up_to: &mut u64,
    report: &mut Report,
    now: &impl Fn() -> Timestamp,
    progress: Progress<'_>,
) -> Result<Option<shared::sync::Digest>, SyncError> {
    db.clear_staging().await?;
    let mut cursor = db.meta().await?.cursor;
    let client_id = db.meta().await?.client_id;
    let mut received = 0u64;
    let digest = loop {
        let request = PullRequest {
            protocol_version: PROTOCOL_VERSION,
            schema_version: SCHEMA_VERSION,
            client_id,
            cursor,
            verify,
        };
        let page = match transport.pull(&request).await {
            Ok(page) => page,
            Err(TransportError::Deactivated) => {
                // Wipe only what the server has: anything saved since the
                // push goes first (a few tries; a failure keeps it all).
                for _ in 0..3 {
                    let outbox = db.outbox().await?;
                    if outbox.iter().all(|m| m.id <= *pushed_up_to) {
                        db.wipe(shared::ClientId::from_uuid(uuid::Uuid::now_v7())).await?;
                        return Err(SyncError::Wiped);
                    }
                    push_all(db, transport, pushed_up_to, report).await?;
                }
                return Err(TransportError::Deactivated.into());
            }
            Err(e) => return Err(e.into()),
        };
        db.stage(report.pages as u64, &page).await?;
        report.pages += 1;
        received += page.changes.len() as u64;
        progress(received, received + page.remaining);
        if !page.has_more {
            break page.digest;
        }
        cursor = Some(page.cursor);
    };
    let applied = db.apply_staged(now()).await?;
    report.applied = std::mem::take(&mut report.applied).and(applied);
    db.drop_kept_edits().await?;
    Ok(digest)
}

/// Pushes the whole outbox in batches cut by count and by bytes; raises
/// `sent_up_to` to the highest mutation id the server has accepted, as it
/// goes, so a failure halfway keeps what got through.
///
/// A batch refused as too large (413, e.g. a proxy with a smaller limit
/// than ours) is sent again in halves, down to one mutation.
async fn push_all<K: Kv, T: Transport>(
    db: &LocalDb<K>,
    transport: &T,
    sent_up_to: &mut u64,
    report: &mut Report,
) -> Result<(), SyncError> {
    let mut renumbered = false;
    let mut max_count = MAX_PUSH_MUTATIONS;
    let mut max_bytes = MAX_PUSH_BYTES;
    loop {
        let meta = db.meta().await?;
        let outbox = db.outbox().await?;
        let batch = next_batch(&outbox, *sent_up_to, max_count, max_bytes);
        let Some(last) = batch.last().map(|m| m.id) else {
            return Ok(());
        };
        let request = PushRequest {
            protocol_version: PROTOCOL_VERSION,
            schema_version: SCHEMA_VERSION,
            client_id: meta.client_id,
            mutations: batch,
        };
        match transport.push(&request).await {
            Ok(response) => {
                report.pushed += request.mutations.len();
                *sent_up_to = last.max(response.last_mutation_id);
            }
            Err(TransportError::Refused { status: 413, .. }) if request.mutations.len() > 1 => {
                max_count = request.mutations.len() / 2;
                max_bytes = max_bytes.min(request_bytes(&request.mutations) / 2);
            }
            // The server lost mutations we thought it had (a restore): send
            // what is left again from the id it expects. Once per run.
            Err(TransportError::Gap { expected }) if !renumbered => {
                db.renumber_outbox(expected).await?;
                renumbered = true;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// The mutations after `after`, oldest first, as many as fit in
/// `max_count` and `max_bytes` of JSON — at least one, which always fits
/// the server (`shared::sync::check_size` refused larger ones at save time).
fn next_batch(outbox: &[Mutation], after: u64, max_count: usize, max_bytes: usize) -> Vec<Mutation> {
    let mut bytes = 0;
    let mut batch = Vec::new();
    for m in outbox.iter().filter(|m| m.id > after).take(max_count) {
        let size = request_bytes(std::slice::from_ref(m));
        if !batch.is_empty() && bytes + size > max_bytes {
            break;
        }
        bytes += size;
        batch.push(m.clone());
    }
    batch
}

/// The bytes `mutations` take in a push's JSON (a separator each).
fn request_bytes(mutations: &[Mutation]) -> usize {
    mutations.iter().map(|m| serde_json::to_vec(m).map_or(usize::MAX / 2, |v| v.len() + 1)).sum()
}
