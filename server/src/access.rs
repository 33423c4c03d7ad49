//! Writing the access log: one entry per citizen per request, with the
//! action and the purpose of the endpoint. Reads are logged in their own
//! transaction before the answer leaves (no answer without its entry);
//! writes are logged inside the transaction that makes them, so an entry
//! exists exactly when the change does.
//!
//! Every request that reads, creates, changes, exports or deletes citizen data
//! writes one entry per citizen (user, time, action, purpose). Pulls log what
//! reached the phone; pushes log what they changed. No API writes, changes or
//! deletes an entry; the server purges entries past the retention period (6
//! months by default, `purge_horizon`) hourly.

use std::collections::BTreeSet;

use shared::access::{AccessAction, AccessPurpose, AccessSubject};
use shared::{CitizenId, Timestamp, UserId};

use crate::db::{self, Conn};
use crate::error::ApiResult;
use crate::state::AppState;

/// The entries for one request: each citizen once.
pub fn entries(
    user: UserId,
    action: AccessAction,
    purpose: AccessPurpose,
    citizens: impl IntoIterator<Item = CitizenId>,
    subject: Option<AccessSubject>,
) -> Vec<db::access::NewEntry> {
    let unique: BTreeSet<CitizenId> = citizens.into_iter().collect();
    unique
        .into_iter()
        .map(|c| db::access::NewEntry {
            user,
            citizen: Some(c),
            action,
            purpose,
            detail: subject.map(|s| s.code().to_owned()),
        })
        .collect()
}

/// Logs a read (or export) of `citizens`' data in a transaction of its own.
pub async fn log_read(
    state: &AppState,
    user: UserId,
    action: AccessAction,
    purpose: AccessPurpose,
    citizens: impl IntoIterator<Item = CitizenId>,
    subject: Option<AccessSubject>,
) -> ApiResult<()> {
    let entries = entries(user, action, purpose, citizens, subject);
    if entries.is_empty() {
        return Ok(());
    }
    let mut tx = state.db.begin_write().await?;
    db::access::record(&mut tx, &entries, state.clock.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Logs a change inside the caller's write transaction.
pub async fn log_in(
    conn: &mut Conn,
    now: Timestamp,
    user: UserId,
    action: AccessAction,
    purpose: AccessPurpose,
    citizens: impl IntoIterator<Item = CitizenId>,
    subject: AccessSubject,
) -> ApiResult<()> {
    let entries = entries(user, action, purpose, citizens, Some(subject));
    db::access::record(conn, &entries, now).await?;
    Ok(())
}

/// The instant before which entries are deleted: the retention period
/// before `now`, by the Copenhagen calendar.
pub fn purge_horizon(now: Timestamp, retention_months: u32) -> Timestamp {
    now.local_date().add_months(-(retention_months as i32)).start()
}
