//! A visit timer: started on arrival, stopped on leaving. Its start is a
//! stored record, not a running clock in the page, so it survives reloads,
//! closed tabs and a sleeping phone, and a second device sees it after sync.

use serde::{Deserialize, Serialize};

use crate::id::{CitizenId, TimerId, UserId};
use crate::time::Timestamp;

/// A worker's visit timer for a citizen. JSON: `{"id": ..., "worker_id":
/// ..., "citizen_id": ..., "started_at": "2026-11-23T09:00:00.000Z",
/// "stopped_at": null}`; instants in UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    pub id: TimerId,
    pub worker_id: UserId,
    pub citizen_id: CitizenId,
    /// When it was started (the phone's clock).
    pub started_at: Timestamp,
    /// `None` while it runs.
    pub stopped_at: Option<Timestamp>,
    /// The rehearsal's new row field (feature `next-schema`, row schema 4):
    /// rows stored before it read as `None`.
    #[cfg(feature = "next-schema")]
    #[serde(default)]
    pub label: Option<String>,
}

impl Timer {
    /// Whether it has not been stopped yet.
    pub fn is_running(&self) -> bool {
        self.stopped_at.is_none()
    }
}
