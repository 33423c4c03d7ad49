//! The server's integration tests: the full router against a real SQLite
//! file in a temporary folder.

mod access;
mod admin;
mod charges;
mod citizens;
mod committee;
mod conflicts;
mod courses;
mod errors;
mod exchange;
mod figures;
mod figures_time;
mod forum;
mod handover;
mod joint_visits;
mod meetings;
mod migrations;
mod notices;
mod offers;
mod own_writes;
mod plan;
mod reports;
mod session;
mod site;
mod support;
mod sync;
