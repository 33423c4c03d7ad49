//! One module per screen.

pub mod citizens;
pub mod login;
pub mod not_found;
