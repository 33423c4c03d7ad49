//! The phone's side of sync: the pure logic (the user's view of rows with
//! pending mutations on top) and, in the browser, the engine that pushes
//! and pulls.

pub mod engine;
pub mod http;
pub mod overlay;
pub mod runner;
pub mod schedule;
