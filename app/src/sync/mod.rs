//! The phone's side of sync, in the browser: the engine that pushes and
//! pulls, the runner that decides when (one leader tab), and the schedule.
//! What the user sees of rows and pending mutations is `crate::overlay`.
//!
//! # Invariants
//!
//! The phone's half of sync; the server's half is in the server's `sync` module
//! (`server/src/sync/mod.rs`). ARCHITECTURE.md lists the most important of
//! both.
//!
//! - **Invariant:** the UI reads and writes the phone's database only; the
//!   network is never on the path of a user action. A user action is one strict
//!   IndexedDB transaction that allocates the next mutation id and writes the
//!   mutation to the outbox (`store::local::LocalDb::act`). (Departure from
//!   DESIGN.md: the optimistic row is not stored separately; the view replays
//!   the outbox over the server rows on every read, `crate::overlay`, so there
//!   is nothing to keep in step.)
//! - **Invariant:** mutation ids are gap-free per client (1, 2, 3, …),
//!   allocated inside that transaction; concurrent actions (taps, tabs) get
//!   distinct ids.
//! - **Invariant:** a push never outgrows the server's body limit: the phone
//!   cuts batches by count (100) and by bytes (`MAX_PUSH_BYTES`, 256 KiB); a
//!   mutation over `MAX_MUTATION_BYTES` (64 KiB) is refused when the user saves
//!   (`StoreError::Invalid`), so it never enters the queue; a batch refused
//!   with 413 (a proxy with a smaller limit) is sent again in halves. A push
//!   the server refuses does not stop the pull: the run pulls, then reports the
//!   refusal.
//! - **Invariant:** pull pages go to `staging`; one transaction applies them
//!   all, moves the cursor and trims the outbox. Staging is cleared at the
//!   start of every run, so a crash leaves the old state or the new, never a
//!   mix.
//! - **Invariant:** the phone drops outbox entries only at apply time, up to
//!   the last page's confirmed id (the server reads a pull in one snapshot, so
//!   the rows and `confirmed_last_mutation_id` agree); rejected ones move to
//!   the `rejected` store with the phone's own copy. On `reset` it replaces all
//!   its rows.
//! - **Invariant:** a phone holds exactly the server's rows in its scope, and
//!   checks it about once a day: that pull asks for a `Digest` (per entity, the
//!   count and the wrapping sum of a hash of each id, computed in the pull's
//!   snapshot), the phone compares it with its own rows after applying, and on
//!   a difference forgets its cursor and downloads everything again (a
//!   `reset`). Whatever a bug or a lost deletion leaves behind does not stay.
//! - **Invariant:** no store transaction is held across a network await (the
//!   engine finishes each store call before the next request).
//! - **Invariant:** one tab syncs (Web Locks); others ask it over a
//!   BroadcastChannel and re-read the view when it says so (`runner`).
//! - **Invariant:** a phone's database belongs to one user and one client id: a
//!   different user, or a logout, empties every store and takes a new client
//!   id. Neither happens silently to unsent work: logout warns, and a login as
//!   someone else asks first (cancelling keeps the work for its owner).
//! - **Invariant:** a deactivated user's phone wipes its data only once every
//!   mutation in its outbox has been accepted (`engine::sync_once`; the server
//!   still takes a deactivated user's push).
//! - **Invariant:** a running timer stops when its visit is saved, not when the
//!   form opens, so leaving the form loses nothing.

pub mod engine;
pub mod http;
pub mod runner;
pub mod schedule;
