//! One error type for everything a user's action or a page's data can
//! fail on: the network, the session, the server's refusal, the phone's
//! own checks of what was typed, and the phone's storage. Every page shows
//! it the same way (`components::form::FormFailure`, `notice`), in the
//! user's language; a refusal that names fields goes to those fields.

use shared::{ErrorBody, FieldError, Lang, Localized, ValidationError};

/// What went wrong, in a shape the UI can explain.
#[derive(Debug, Clone, PartialEq)]
pub enum AppError {
    /// No answer from the server: no network, or the server is down.
    Offline,
    /// 401: the session is gone; log in again (nothing typed is lost).
    LoginNeeded,
    /// The server refused, with its body: `{code, message, fields}`.
    Refused { status: u16, body: ErrorBody },
    /// What was typed breaks a rule, found on the phone before sending.
    Invalid(Vec<ValidationError>),
    /// The phone's storage failed; the words say what to do.
    Storage(Localized),
}

impl AppError {
    /// The whole message, both languages. (A form that failed to save says
    /// more about [`AppError::Offline`]: `components::form`.)
    pub fn message(&self) -> Localized {
        match self {
            AppError::Offline => Localized::new(
                "Ingen forbindelse til serveren. Tjek netværket og prøv igen.",
                "No connection to the server. Check the network and try again.",
            ),
            AppError::LoginNeeded => Localized::new(
                "Du skal logge ind igen. Det indtastede er bevaret.",
                "Please log in again. What you typed is kept.",
            ),
            AppError::Refused { body, .. } => body.message.clone(),
            AppError::Invalid(errors) => match errors.as_slice() {
                [one] => one.message(),
                _ => Localized::new("Ret de markerede felter.", "Fix the marked fields."),
            },
            AppError::Storage(words) => words.clone(),
        }
    }

    /// The message in one language.
    pub fn text(&self, lang: Lang) -> String {
        self.message().get(lang).to_owned()
    }

    /// The refusals that belong on a form's fields, if any: the phone's own
    /// checks, or the server's 4xx that names fields.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            AppError::Invalid(errors) => errors.iter().map(ValidationError::to_field_error).collect(),
            AppError::Refused { body, .. } => body.fields.clone(),
            _ => Vec::new(),
        }
    }

    /// The server's refusal with each refused field passed through `mend`
    /// (a form names a field its own way: a list's row, the id a line is
    /// about); any other error as it is.
    pub fn with_fields(self, mend: impl FnMut(&mut FieldError)) -> AppError {
        match self {
            AppError::Refused { status, mut body } => {
                body.fields.iter_mut().for_each(mend);
                AppError::Refused { status, body }
            }
            other => other,
        }
    }

    /// The server's code (`approved`, `taken`, …), if it refused.
    pub fn code(&self) -> Option<&str> {
        match self {
            AppError::Refused { body, .. } => Some(&body.code),
            _ => None,
        }
    }
}

impl From<Vec<ValidationError>> for AppError {
    fn from(errors: Vec<ValidationError>) -> AppError {
        AppError::Invalid(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::Problem;

    #[test]
    fn each_kind_says_what_happened_and_where_it_belongs() {
        let refused = AppError::Refused {
            status: 422,
            body: ErrorBody {
                code: "validation".into(),
                message: Localized::new("Ugyldige felter", "Invalid fields"),
                fields: vec![ValidationError::new("name", Problem::Taken).to_field_error()],
                expected_mutation_id: None,
            },
        };
        assert_eq!(refused.field_errors()[0].field, "name");
        assert_eq!(refused.code(), Some("validation"));
        let invalid = AppError::from(vec![ValidationError::new("hours", Problem::Required)]);
        assert_eq!(invalid.message().da, "Timer: skal udfyldes");
        assert_eq!(invalid.field_errors()[0].code, "required");
        assert!(AppError::Offline.message().da.starts_with("Ingen forbindelse"));
        assert!(AppError::Offline.field_errors().is_empty());
        let two = AppError::Invalid(vec![
            ValidationError::new("hours", Problem::Required),
            ValidationError::new("name", Problem::Required),
        ]);
        assert_eq!(two.message().en, "Fix the marked fields.");
    }
}
