//! The one error type of the HTTP layer. Every error is answered with the
//! JSON body `{code, message: {da, en}, fields}`; internal errors are logged
//! with their cause and answered with a generic message, never the cause.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use shared::{ErrorBody, Localized, ValidationError};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation(Vec<ValidationError>),
    #[error("bad request: {code}")]
    BadRequest { code: &'static str, message: Localized },
    #[error("not logged in")]
    Unauthenticated,
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("too many failed logins")]
    TooManyAttempts { retry_after_secs: u64 },
    /// Too much at once (every password-hashing slot taken): try again soon.
    #[error("busy")]
    Busy { retry_after_secs: u64 },
    #[error("forbidden")]
    Forbidden,
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("account deactivated")]
    Deactivated,
    #[error("missing CSRF header")]
    MissingCsrfHeader,
    #[error("not found")]
    NotFound,
    #[error("conflict: {code}")]
    Conflict { code: &'static str, message: Localized },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("unsupported protocol version")]
    UpgradeRequired,
    #[error("mutation id gap")]
    MutationGap { expected: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(e.into())
    }
}

impl From<crate::password::HashError> for ApiError {
    fn from(e: crate::password::HashError) -> Self {
        match e {
            crate::password::HashError::Busy => ApiError::Busy { retry_after_secs: crate::password::BUSY_RETRY_SECS },
            crate::password::HashError::Failed(cause) => ApiError::Internal(cause),
        }
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        ApiError::Validation(vec![e])
    }
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated | ApiError::InvalidCredentials | ApiError::Deactivated => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Forbidden | ApiError::MissingCsrfHeader | ApiError::PasswordChangeRequired => {
                StatusCode::FORBIDDEN
            }
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::UpgradeRequired => StatusCode::UPGRADE_REQUIRED,
            ApiError::MutationGap { .. } => StatusCode::CONFLICT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> ErrorBody {
        let simple = |code: &str, da: &str, en: &str| ErrorBody::new(code, Localized::new(da, en));
        match self {
            ApiError::Validation(errors) => ErrorBody::validation(errors),
            ApiError::BadRequest { code, message } | ApiError::Conflict { code, message } => {
                ErrorBody::new(*code, message.clone())
            }
            ApiError::Unauthenticated => simple("unauthenticated", "Du er ikke logget ind.", "You are not logged in."),
            ApiError::InvalidCredentials => {
                simple("invalid_credentials", "Forkert brugernavn eller adgangskode.", "Wrong username or password.")
            }
            ApiError::TooManyAttempts { retry_after_secs } => {
                let minutes = retry_after_secs.div_ceil(60).max(1);
                ErrorBody::new(
                    "too_many_attempts",
                    Localized::new(
                        format!("For mange forkerte forsøg. Prøv igen om {minutes} min."),
                        format!("Too many failed attempts. Try again in {minutes} min."),
                    ),
                )
            }
            ApiError::Busy { .. } => simple(
                "busy",
                "Serveren har travlt lige nu. Prøv igen om et øjeblik.",
                "The server is busy right now. Please try again in a moment.",
            ),
            ApiError::Forbidden => {
                simple("forbidden", "Du har ikke adgang til dette.", "You do not have access to this.")
            }
            ApiError::Deactivated => simple(
                shared::api::ACCOUNT_DEACTIVATED,
                "Din konto er deaktiveret. Data på denne telefon slettes.",
                "Your account is deactivated. The data on this phone is deleted.",
            ),
            ApiError::PasswordChangeRequired => simple(
                "password_change_required",
                "Vælg din egen adgangskode, før du fortsætter.",
                "Choose your own password before you continue.",
            ),
            ApiError::MissingCsrfHeader => simple(
                "csrf",
                "Forespørgslen mangler headeren X-Requested-With.",
                "The request lacks the X-Requested-With header.",
            ),
            ApiError::NotFound => simple("not_found", "Findes ikke.", "Not found."),
            ApiError::PayloadTooLarge => {
                simple("payload_too_large", "Forespørgslen er for stor.", "The request is too large.")
            }
            ApiError::UnsupportedMediaType => simple(
                "unsupported_media_type",
                "Forespørgslen skal være JSON (Content-Type: application/json).",
                "The request must be JSON (Content-Type: application/json).",
            ),
            ApiError::UpgradeRequired => simple(
                "protocol_version",
                "Appen er forældet. Genindlæs for at hente den nye version; intet gemt går tabt.",
                "The app is out of date. Reload to get the new version; nothing saved is lost.",
            ),
            ApiError::MutationGap { expected } => ErrorBody {
                expected_mutation_id: Some(*expected),
                ..simple(
                    "mutation_gap",
                    "Ændringerne kom i forkert rækkefølge; sender igen fra den forventede.",
                    "Changes arrived out of order; resending from the expected one.",
                )
            },
            ApiError::Internal(_) => simple(
                "internal",
                "Der skete en fejl på serveren. Prøv igen om lidt.",
                "Something went wrong on the server. Please try again shortly.",
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(error = ?cause, "internal error");
        }
        let mut response = (self.status(), axum::Json(self.body())).into_response();
        if let ApiError::TooManyAttempts { retry_after_secs } | ApiError::Busy { retry_after_secs } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
