//! One module per screen, and the frame around them.

pub mod access_log;
pub mod admin;
pub mod admin_people;
pub mod app_frame;
pub mod citizen;
pub mod citizens;
pub mod correction;
pub mod exchange;
pub mod grant_form;
pub mod lead;
pub mod lead_conflicts;
pub mod lead_worker;
pub mod login;
pub mod not_found;
pub mod password;
pub mod statement;
pub mod today;
pub mod visit_form;
