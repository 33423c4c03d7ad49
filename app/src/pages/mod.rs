//! One module per screen.

pub mod citizen;
pub mod citizens;
pub mod login;
pub mod not_found;
pub mod today;
pub mod visit_form;
