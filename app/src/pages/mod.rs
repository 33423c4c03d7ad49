//! One module per screen, and the frame around them.
//!
//! Three kinds of page. Field pages read the phone's view only and write
//! through `crate::data::act`, so they work offline: `today`, `citizens`,
//! `citizen`, `plan` (the citizen's plan, issue 15), `meeting` (cross-disciplinary meetings, issue 16), `visit_form`, `correction` (a lead's synced `visit_correct`),
//! `offers` (the catalogue the phone fetched last), `inbox` (decision notices, issue 16),
//! `lead_worker`, `not_found`. The lead's reports (`lead`, `statement`) and the figures (`figures`,
//! `resources`) fetch
//! online and keep the last copy for offline reading (`data::fetch_or_cached`),
//! through a `LocalResource` keyed by the choice (team, month): only the answer
//! to the newest choice is applied, and an answer shows only under the choice
//! it is for. Decisions — `grant_form`, `courses` (intensive courses, issue 15), `admin` (drawing rights, caseload
//! norms), `admin_people`, `exchange`, `handover`, `scheme`, `access_log`, settling on
//! `lead_conflicts` — are written straight to the server: they need the
//! network, keep what was typed without it, and the result reaches the phone by
//! sync.
//!
//! Forms that write to the server use the form kit (`components::form`); the
//! visit and correction forms write to the phone.

pub mod access_log;
pub mod admin;
pub mod admin_people;
pub mod app_frame;
pub mod citizen;
pub mod citizens;
pub mod committee;
pub mod correction;
pub mod courses;
pub mod exchange;
pub mod figures;
pub mod forum;
pub mod grant_form;
pub mod handover;
pub mod inbox;
pub mod lead;
pub mod lead_conflicts;
pub mod lead_worker;
pub mod login;
pub mod meeting;
pub mod not_found;
pub mod offers;
pub mod password;
pub mod plan;
pub mod resources;
pub mod reviews;
pub mod scheme;
pub mod statement;
pub mod today;
pub mod visit_form;
