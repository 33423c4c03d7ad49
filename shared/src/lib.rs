//! The contract between the phone (`app`) and the server: domain types,
//! validation, calendar periods in Europe/Copenhagen and the JSON wire types.
//!
//! **Invariant:** this crate does no IO and depends on nothing that does
//! (no axum, sqlx, tokio, leptos, web-sys, gloo, indexed_db_futures). It builds
//! for `wasm32-unknown-unknown` and the host alike, so the phone and the server
//! validate and compute with the very same code.

pub mod access;
pub mod admin;
pub mod api;
pub mod calendar;
mod codes;
pub mod error;
pub mod figures;
pub mod id;
mod lang;
pub mod minutes;
pub mod text;
pub mod time;

/// Helpers for the unit tests of this crate.
#[cfg(test)]
pub(crate) mod test_util {
    use crate::time::Date;

    /// An id of any of the id types, from a number.
    pub(crate) fn id<T: From<uuid::Uuid>>(n: u128) -> T {
        T::from(uuid::Uuid::from_u128(n))
    }

    /// A date from `YYYY-MM-DD`.
    pub(crate) fn date(s: &str) -> Date {
        s.parse().expect("date")
    }
}

pub mod area;
mod area_kind;
pub mod assignment;
pub mod charge;
pub mod citizen;
pub mod committee;
pub mod conflict;
pub mod course;
pub mod drawing_right;
pub mod forum;
pub mod grant;
pub mod meeting;
mod merge;
pub mod notice;
pub mod offer;
pub mod plan;
pub mod report;
pub mod review;
pub mod sync;
pub mod timer;
pub mod usage;
pub mod user;
pub mod visit;

pub use error::{ErrorBody, FieldError, Problem, ValidationError, take_last_refusal};
pub use id::*;
pub use lang::{Lang, Localized};
pub use minutes::{Minutes, ShownHours};
pub use time::{Date, Timestamp};
