//! Reading JSON the contract's way, for the HTTP extractors and the sync
//! push alike: broken JSON is a 400 (`malformed_json`); JSON of the wrong
//! shape or with a value a `shared` type refuses is a 422 naming the field
//! by its full path, with that type's own code and texts.

use serde::de::DeserializeOwned;
use shared::{Localized, Problem, ValidationError};

use crate::error::ApiError;

/// Broken JSON: a 400, told apart from JSON of the wrong shape (422).
pub fn malformed() -> ApiError {
    ApiError::BadRequest {
        code: "malformed_json",
        message: Localized::new("Forespørgslen er ikke gyldig JSON.", "The request body is not valid JSON."),
    }
}

/// Parses a JSON body: broken JSON is a 400; JSON of the wrong shape or with
/// invalid values is a 422 naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Syntax first, so a truncated body is told apart from a wrong value.
    let whole: &serde_json::value::RawValue = serde_json::from_slice(bytes).map_err(|_| malformed())?;
    from_str(whole.get()).map_err(|e| ApiError::Validation(vec![e]))
}

/// Reads JSON text (known to be well-formed) as `T`; a refusal names the
/// field (its full path) and keeps the code and texts of the type that
/// refused it.
pub fn from_str<'a, T: serde::Deserialize<'a>>(text: &'a str) -> Result<T, ValidationError> {
    deserialize(&mut serde_json::Deserializer::from_str(text))
}

fn deserialize<'de, D, T>(d: D) -> Result<T, ValidationError>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    shared::take_last_refusal();
    serde_path_to_error::deserialize::<_, T>(d).map_err(|e| {
        let path = e.path().to_string();
        let text = e.inner().to_string();
        let refusal = shared::take_last_refusal().filter(|r| text.starts_with(&r.message().en));
        let field = if path == "." { String::new() } else { path };
        match refusal {
            Some(r) if field.is_empty() => r,
            // The path ends where serde could follow it; inside a tagged enum
            // it stops at the enum, so the refusing type's own field is added.
            Some(r) if field.ends_with(r.field.as_ref()) || r.field.is_empty() => r.at(field),
            Some(r) => {
                let full = format!("{field}.{}", r.field);
                r.at(full)
            }
            None => wrong_shape(field, &text),
        }
    })
}

/// serde's own refusals: a missing field, a wrong type, an unknown value.
fn wrong_shape(field: String, text: &str) -> ValidationError {
    if let Some(missing) = text.strip_prefix("missing field `").and_then(|t| t.split('`').next()) {
        let field = if field.is_empty() { missing.to_owned() } else { format!("{field}.{missing}") };
        return ValidationError::new(field, Problem::Required);
    }
    let problem = if text.starts_with("unknown variant") { Problem::UnknownValue } else { Problem::InvalidFormat };
    ValidationError::new(field, problem)
}
