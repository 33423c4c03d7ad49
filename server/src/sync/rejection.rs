//! What a mutation's refusal is ([`Rejection`], recorded and told to the
//! phone) and how applying one fails ([`ApplyError`]: refused, or an
//! internal error that aborts the push).

use shared::{Localized, ValidationError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: String,
    pub message: Localized,
    pub field: Option<String>,
}

impl Rejection {
    pub(crate) fn new(code: &str, field: Option<&str>, da: &str, en: &str) -> Rejection {
        Rejection { code: code.to_owned(), message: Localized::new(da, en), field: field.map(str::to_owned) }
    }

    pub(crate) fn not_assigned() -> Rejection {
        Rejection::new(
            "not_assigned",
            Some("citizen_id"),
            "Du er ikke tilknyttet denne borger på den dato. Ret borgeren eller datoen, eller kassér registreringen.",
            "You are not assigned to this citizen on that date. Change the citizen or the date, or discard it.",
        )
    }
}

impl From<ValidationError> for Rejection {
    fn from(e: ValidationError) -> Rejection {
        Rejection { code: e.code().to_owned(), message: e.message(), field: Some(e.field.to_string()) }
    }
}

#[derive(Debug)]
pub enum ApplyError {
    Rejected(Rejection),
    Internal(anyhow::Error),
}

impl From<Rejection> for ApplyError {
    fn from(r: Rejection) -> Self {
        ApplyError::Rejected(r)
    }
}

impl From<ValidationError> for ApplyError {
    fn from(e: ValidationError) -> Self {
        ApplyError::Rejected(e.into())
    }
}

impl From<sqlx::Error> for ApplyError {
    fn from(e: sqlx::Error) -> Self {
        ApplyError::Internal(e.into())
    }
}

impl From<anyhow::Error> for ApplyError {
    fn from(e: anyhow::Error) -> Self {
        ApplyError::Internal(e)
    }
}
