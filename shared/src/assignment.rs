//! Who works with which citizen, and when. An assignment is what lets a
//! worker or mentor see a citizen and log for them (and so the sync scope).

use serde::{Deserialize, Serialize};

use crate::id::{AssignmentId, CitizenId, UserId};
use crate::time::DateRange;

/// A user's assignment to a citizen for a span of days (Copenhagen dates,
/// both ends included; no end while it runs). JSON:
/// `{"id": ..., "citizen_id": ..., "user_id": ..., "period": {"from": "2026-01-01", "to": null}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub id: AssignmentId,
    pub citizen_id: CitizenId,
    pub user_id: UserId,
    pub period: DateRange,
}
