//! The server side of sync (DESIGN.md §3): applying pushed mutations exactly
//! once, in order, each re-validated and authorised; and serving pulls of
//! the commit-ordered change stream, scoped to what the user may see.

pub mod apply;
pub mod pull;
pub mod push;

use shared::sync::{PROTOCOL_VERSION, SCHEMA_VERSION};

use crate::error::ApiError;

/// Accepts the current protocol and the one before it; refuses other
/// protocols and other row schemas with 426, so the phone asks its user to
/// reload (its outbox stays).
pub fn check_versions(body: &serde_json::Value) -> Result<(), ApiError> {
    check_version_numbers(
        body.get("protocol_version").and_then(serde_json::Value::as_u64),
        body.get("schema_version").and_then(serde_json::Value::as_u64),
    )
}

/// [`check_versions`] on the numbers, however they were read.
pub fn check_version_numbers(protocol: Option<u64>, schema: Option<u64>) -> Result<(), ApiError> {
    let protocol_ok =
        protocol.is_some_and(|p| p == u64::from(PROTOCOL_VERSION) || (p + 1 == u64::from(PROTOCOL_VERSION) && p > 0));
    if !protocol_ok || schema != Some(u64::from(SCHEMA_VERSION)) {
        return Err(ApiError::UpgradeRequired);
    }
    Ok(())
}
