//! Whole-project tests in one binary: the architecture rules, and sync
//! between phones (the app's engine on its in-memory store) and a real
//! server on loopback with a real SQLite file, under injected faults.

mod architecture;
mod modules;
mod sync;
