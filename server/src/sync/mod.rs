//! The server side of sync (DESIGN.md §3): applying pushed mutations exactly
//! once, in order, each re-validated and authorised; and serving pulls of
//! the commit-ordered change stream, scoped to what the user may see.

pub mod apply;
pub mod pull;
pub mod push;

use serde::Deserialize;
use serde_json::value::RawValue;
use shared::sync::{PROTOCOL_VERSION, SCHEMA_VERSION};

use crate::error::ApiError;
use crate::json::{from_str, malformed};

/// The versions, read before anything else (any other shape is a 426).
#[derive(Deserialize)]
struct Versions<'a> {
    #[serde(borrow)]
    protocol_version: Option<&'a RawValue>,
    #[serde(borrow)]
    schema_version: Option<&'a RawValue>,
}

/// Reads a push or pull body: broken JSON is a 400; an unknown protocol
/// or row schema a 426, so the phone asks its user to reload (its outbox
/// stays); then the body as `T`, a wrong value a 422 naming the field.
/// `T` may borrow from the body (a push keeps each mutation's text).
pub fn read_body<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, ApiError> {
    let whole: &'a RawValue = serde_json::from_slice(body).map_err(|_| malformed())?;
    let versions: Option<Versions<'_>> = serde_json::from_str(whole.get()).ok();
    let number = |v: Option<&RawValue>| v.and_then(|v| v.get().parse::<u64>().ok());
    check_versions(
        versions.as_ref().and_then(|v| number(v.protocol_version)),
        versions.as_ref().and_then(|v| number(v.schema_version)),
    )?;
    Ok(from_str(whole.get())?)
}

/// Accepts the current protocol and the one before it, and the current
/// row schema.
fn check_versions(protocol: Option<u64>, schema: Option<u64>) -> Result<(), ApiError> {
    let protocol_ok =
        protocol.is_some_and(|p| p == u64::from(PROTOCOL_VERSION) || (p + 1 == u64::from(PROTOCOL_VERSION) && p > 0));
    if !protocol_ok || schema != Some(u64::from(SCHEMA_VERSION)) {
        return Err(ApiError::UpgradeRequired);
    }
    Ok(())
}
