//! The server side of sync (DESIGN.md §3): applying pushed mutations exactly
//! once, in order, each re-validated and authorised; and serving pulls of
//! the commit-ordered change stream, scoped to what the user may see.
//!
//! A push or pull body is read by `read_body`: broken JSON is a 400, an unknown
//! protocol or row-schema version a 426 (the phone asks its user to reload, its
//! outbox kept), a wrong value a 422 naming the field.
//!
//! # Invariants
//!
//! The server's half of sync; the phone's half is in the app's `sync` module
//! (`app/src/sync/mod.rs`). ARCHITECTURE.md lists the most important of both.
//!
//! - **Invariant:** the server applies each (client, mutation id) at most once:
//!   the client row is locked (SQLite's writer lock; PostgreSQL `FOR UPDATE`),
//!   ids ≤ `last_mutation_id` are answered from `sync_mutations`, a gap is
//!   refused (409 + expected id), and `last_mutation_id` advances in the same
//!   transaction as the mutation and its recorded result. A domain refusal
//!   advances it too (payload kept in `sync_mutations`); an infrastructure
//!   error rolls back the whole push.
//! - **Invariant:** a mutation whose payload does not even parse is rejected on
//!   its own; it never blocks the queue.
//! - **Invariant:** a visit's fields have owners (DESIGN.md §3). The worker
//!   owns what `VisitDraft` carries (citizen, kind, times, travel, note,
//!   charge); the lead of the worker's team owns the correction
//!   (`VisitCorrect`: corrected minutes and reason). A save never touches the
//!   lead's field and a correction never the worker's, so a worker's and a
//!   lead's concurrent edits both land in either order. Within one owner's
//!   fields, an edit from an old base is merged three-way
//!   (`shared::sync::merge_visit`); a field both sides changed keeps the
//!   server's value and stores the other in `visit_conflicts`.
//! - **Invariant (the batch sees its own writes):** a mutation is decided
//!   against the server's state *plus the same phone's earlier mutations*
//!   (applied first, in order, in this push or an earlier one), and only a
//!   change by someone else can conflict. Every mutation that changes an
//!   existing record carries a base: the record **as the phone showed it** —
//!   the server's row with the phone's own unconfirmed mutations replayed on
//!   top (`VisitView::base` in the app) — and the server version under that
//!   view (0 for a record the server has not confirmed). So a phone's second
//!   offline edit merges onto its first and wins; an edit and then a delete
//!   both land; a delete is refused (`visit_changed`) only if the record
//!   differs from what the phone showed; a timer stopped and the next started
//!   in one push both land (the batch reads the running timer up front and
//!   tracks it); and an edit never brings back a record the server deleted
//!   (`visit_deleted`: a tombstone in `sync_changes`, or a delete earlier in
//!   the batch). A new entity with a base follows the same rule: base = the
//!   phone's view, decide against the batch's state, conflict only where the
//!   base and the server differ. Tested table-driven in
//!   `server/tests/api/own_writes.rs` and in the randomized run of `tests/sync`
//!   (a phone's last edit of a field that no other phone edited is what the
//!   server holds; every conflict is on a field two phones edited).
//! - **Invariant (conflicts are seen and settled by a person):** a field two
//!   edits changed to different values keeps the server's value and records the
//!   other in `visit_conflicts`, and that record is never left unread: the lead
//!   of the worker's team (or an admin) lists it and settles it — keep what
//!   stands, or put the other values of the clashed fields on the visit as it
//!   is now. The latter is a save decided by the push's own `Batch` as the
//!   visit's worker (approved visit or month, assignment, charge), stamped like
//!   every write, so a settle never writes what a push could not
//!   (`crate::http::conflicts`). The phone that sent the edit is told once, in
//!   the pull that first confirms the mutation, as a rejection `edit_not_kept`
//!   with its payload (unless a lead already took it); its fix starts from the
//!   visit as it is now. Tested in `server/tests/api/conflicts.rs` and
//!   `tests/e2e/conflicts.test.js`.
//! - **Invariant:** a visit is charged only to what may pay for it — exactly
//!   the choices the phone offers (`shared::charge::check_charge` over
//!   `charge_options`: a grant of the visit's citizen valid on its date, or the
//!   drawing right its payer holds on the worker's team for housing support),
//!   or to nothing. The push checks it when a visit is new or its charge,
//!   citizen or date changes (`not_chargeable` on `charged_to`, the payload
//!   kept); a charge that stood when it was set survives an edit of the note.
//! - **Invariant:** a visit in an approved month of any of its worker's teams
//!   changes only after an admin reopens the month: a push that would change,
//!   add or delete one is rejected (`approved` / `period_approved`) with its
//!   payload kept. A pool's balance is never checked at push time: an overdraw
//!   logged offline is accepted and flagged in the lead's report.
//! - **Invariant:** a push's rows are checked before anything is written
//!   (assignment, ownership, approval, the charged grant or pool exists), so
//!   its final multi-row writes cannot trip a constraint and sink the good
//!   mutations with the bad. Visits and timers a push edits are locked
//!   (`FOR UPDATE` on PostgreSQL), so two devices' pushes take turns.
//! - **Invariant:** a push locks its worker, an approval or reopening every
//!   member of the team (`db::sync::lock_workers`: the user rows
//!   `FOR NO KEY UPDATE` in id order on PostgreSQL; SQLite has one writer
//!   anyway). So two devices cannot both start "the" running timer, and a visit
//!   cannot slip into a month while it is being approved: the checks each makes
//!   (running timer, month locked) see the other's commit. Reopening a team's
//!   month leaves approved the visits of members whose month another team still
//!   locks.
//! - **Invariant:** every write to a synced row stamps `sync_changes` with
//!   `(tx, seq)`. The writing transaction records its changes in a `Stamper`
//!   and stamps them in `Stamper::finish`, its last statement before commit:
//!   that bumps the one-row clock (`tx`), and the bump holds the clock row's
//!   lock until commit (PostgreSQL row lock; SQLite's single writer). So stamp
//!   order is commit order, and a pull never moves its cursor past a stamp
//!   whose transaction commits later — however the writers interleave (tested
//!   on both backends with a writer that starts first and commits last, a case
//!   a sequence taken at write time gets wrong). The lock covers only the
//!   bump-to-commit step; writers do their real work in parallel.
//! - **Invariant:** a row that moves out of a scope (a visit put on another
//!   citizen, a drawing right given to another area or team) leaves a departure
//!   (`sync_departures`, written by `Stamper::finish` when a row's recorded
//!   scope differs from its stream row's). A pull sends it as deleted to
//!   whoever sees the old scope and not the new one, so a row never stays on a
//!   phone that may no longer see it; whoever sees the new scope gets the row
//!   itself. Departures take a transaction's first seqs, so its stream rows
//!   hold its newest stamp.
//! - **Invariant:** a pull response is read in one snapshot: rows, `has_more`
//!   and `confirmed_last_mutation_id` agree. The phone drops outbox entries
//!   only at apply time, up to the last page's confirmed id; rejected ones move
//!   to its `rejected` store with the phone's own copy.
//! - **Invariant:** the cursor carries a fingerprint of the user's scope
//!   (visible citizens, teams, areas); a different scope or database epoch
//!   answers `reset`, and the phone replaces all its rows: a new citizen
//!   arrives whole, an unassigned one leaves with its visits.
//! - **Invariant:** a verifying pull's `Digest` (per entity, the count and the
//!   wrapping sum of a hash of each id in scope) is computed in the pull's
//!   snapshot, on its last page; the phone compares it with its own rows (see
//!   the app's `sync` module).

pub mod apply;
pub mod plan;
pub mod pull;
pub mod push;
pub mod rejection;

use serde::Deserialize;
use serde_json::value::RawValue;
use shared::sync::{PROTOCOL_VERSION, SCHEMA_VERSION};

use crate::error::ApiError;
use crate::json::{from_str, malformed};

/// The versions, read before anything else (any other shape is a 426).
#[derive(Deserialize)]
struct Versions<'a> {
    #[serde(borrow)]
    protocol_version: Option<&'a RawValue>,
    #[serde(borrow)]
    schema_version: Option<&'a RawValue>,
}

/// Reads a push or pull body: broken JSON is a 400; an unknown protocol
/// or row schema a 426, so the phone asks its user to reload (its outbox
/// stays); then the body as `T`, a wrong value a 422 naming the field.
/// `T` may borrow from the body (a push keeps each mutation's text).
pub fn read_body<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, ApiError> {
    let whole: &'a RawValue = serde_json::from_slice(body).map_err(|_| malformed())?;
    let versions: Option<Versions<'_>> = serde_json::from_str(whole.get()).ok();
    let number = |v: Option<&RawValue>| v.and_then(|v| v.get().parse::<u64>().ok());
    check_versions(
        versions.as_ref().and_then(|v| number(v.protocol_version)),
        versions.as_ref().and_then(|v| number(v.schema_version)),
    )?;
    Ok(from_str(whole.get())?)
}

/// Accepts the current protocol and the one before it, and the current
/// row schema.
fn check_versions(protocol: Option<u64>, schema: Option<u64>) -> Result<(), ApiError> {
    let protocol_ok =
        protocol.is_some_and(|p| p == u64::from(PROTOCOL_VERSION) || (p + 1 == u64::from(PROTOCOL_VERSION) && p > 0));
    if !protocol_ok || schema != Some(u64::from(SCHEMA_VERSION)) {
        return Err(ApiError::UpgradeRequired);
    }
    Ok(())
}
