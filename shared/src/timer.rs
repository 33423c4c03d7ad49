//! A visit timer: started on arrival, stopped on leaving. Its start is a
//! stored record, not a running clock in the page, so it survives reloads,
//! closed tabs and a sleeping phone, and a second device sees it after sync.

use serde::{Deserialize, Serialize};

use crate::id::{CitizenId, TimerId, UserId};
use crate::time::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    pub id: TimerId,
    pub worker_id: UserId,
    pub citizen_id: CitizenId,
    pub started_at: Timestamp,
    /// `None` while it runs.
    pub stopped_at: Option<Timestamp>,
}

impl Timer {
    pub fn is_running(&self) -> bool {
        self.stopped_at.is_none()
    }
}
