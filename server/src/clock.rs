//! The server's notion of "now". Tests drive a manual clock; everything else
//! uses the system clock. All time-dependent rules (throttling windows,
//! session expiry, "today" for assignments) read it from here.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use shared::Timestamp;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    manual: Option<Arc<AtomicI64>>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock { manual: None }
    }

    /// A clock that stands still at `start` until moved with [`Clock::advance`].
    pub fn manual(start: Timestamp) -> Clock {
        Clock { manual: Some(Arc::new(AtomicI64::new(start.as_millis()))) }
    }

    pub fn now(&self) -> Timestamp {
        match &self.manual {
            Some(ms) => Timestamp::from_millis(ms.load(Ordering::SeqCst)),
            None => {
                let ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
                Timestamp::from_millis(ms)
            }
        }
    }

    /// Moves a manual clock forward; a system clock ignores it.
    pub fn advance(&self, minutes: i64) {
        if let Some(ms) = &self.manual {
            ms.fetch_add(minutes * 60_000, Ordering::SeqCst);
        }
    }
}
