//! The phone's side of sync, in the browser: the engine that pushes and
//! pulls, the runner that decides when (one leader tab), and the schedule.
//! What the user sees of rows and pending mutations is `crate::overlay`.

pub mod engine;
pub mod http;
pub mod runner;
pub mod schedule;
