//! Constrained text values. Each is trimmed, refuses control characters
//! (notes keep their line breaks) and has a maximum length in characters.
//! They can only be built through `TryFrom`, so a value of the type is valid.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Problem, ValidationError};

fn clean(raw: &str, field: &'static str, required: bool, max: u32, multiline: bool) -> Result<String, ValidationError> {
    let trimmed = raw.trim();
    // Windows and old Mac line breaks become plain ones.
    let text = if multiline { trimmed.replace("\r\n", "\n").replace('\r', "\n") } else { trimmed.to_owned() };
    if required && text.is_empty() {
        return Err(ValidationError::new(field, Problem::Required));
    }
    if text.chars().count() > max as usize {
        return Err(ValidationError::new(field, Problem::TooLong { max }));
    }
    let allowed = |c: char| !c.is_control() || (multiline && (c == '\n' || c == '\t'));
    if !text.chars().all(allowed) {
        return Err(ValidationError::new(field, Problem::InvalidCharacters));
    }
    Ok(text)
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, field = $field:literal, required = $required:literal, max = $max:literal, multiline = $multi:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The field its errors name by default (a bigger struct may rename it
            /// with [`ValidationError::at`]).
            pub const FIELD: &'static str = $field;
            /// The most characters (Unicode scalar values, counted after trimming).
            pub const MAX_CHARS: u32 = $max;

            /// The cleaned text: trimmed, and for a note with `\r\n` and `\r` made `\n`.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValidationError;

            fn try_from(raw: String) -> Result<Self, ValidationError> {
                clean(&raw, $field, $required, $max, $multi).map($name)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = ValidationError;

            fn try_from(raw: &str) -> Result<Self, ValidationError> {
                clean(raw, $field, $required, $max, $multi).map($name)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    /// A half-yearly status on an intensive course (issue 15, seed 002:
    /// "½ årlig målprogression"): how the citizen is getting on. JSON: a
    /// string, trimmed on input.
    ///
    /// Errors (field `note`): `Problem::Required` when empty,
    /// `Problem::TooLong { max: 2000 }`, `Problem::InvalidCharacters` for a
    /// control character other than a line break.
    CourseStatusNote, field = "note", required = true, max = 2000, multiline = true
);
text_type!(
    /// A person's full name. JSON: a string, trimmed on input.
    ///
    /// Errors (field `name`): `Problem::Required` when empty,
    /// `Problem::TooLong { max: 100 }`, `Problem::InvalidCharacters` for a
    /// control character.
    PersonName, field = "name", required = true, max = 100, multiline = false
);
text_type!(
    /// The name of an area or a team (or a drawing right). JSON: a string,
    /// trimmed on input.
    ///
    /// Errors (field `name`): `Problem::Required` when empty,
    /// `Problem::TooLong { max: 100 }`, `Problem::InvalidCharacters` for a
    /// control character.
    OrgName, field = "name", required = true, max = 100, multiline = false
);
text_type!(
    /// A legal basis, e.g. "SEL § 85", "LAB § 78". JSON: a string, trimmed
    /// on input.
    ///
    /// Errors (field `legal_basis`): `Problem::Required` when empty,
    /// `Problem::TooLong { max: 100 }`, `Problem::InvalidCharacters` for a
    /// control character.
    LegalBasis, field = "legal_basis", required = true, max = 100, multiline = false
);
text_type!(
    /// A citizen's case id in the municipality's case system, which imports
    /// match on ("two IT systems"). JSON: a string, trimmed on input.
    ///
    /// Errors (field `external_id`): `Problem::Required` when empty,
    /// `Problem::TooLong { max: 64 }`, `Problem::InvalidCharacters` for a
    /// control character.
    ExternalId, field = "external_id", required = true, max = 64, multiline = false
);
text_type!(
    /// A free-text note on a visit. May be empty. JSON: a string, trimmed on
    /// input, line breaks kept (`\r\n` and `\r` become `\n`).
    ///
    /// Errors (field `note`): `Problem::TooLong { max: 2000 }`,
    /// `Problem::InvalidCharacters` for a control character other than a
    /// line break or a tab.
    Note, field = "note", required = false, max = 2000, multiline = true
);

text_type!(
    /// A goal in the citizen's own words (issue 15, VUM 2.0). JSON: a
    /// string, trimmed on input, line breaks kept.
    ///
    /// Errors (field `citizen_wording`): `Problem::Required` when empty,
    /// `Problem::TooLong { max: 500 }`, `Problem::InvalidCharacters`.
    GoalWording, field = "citizen_wording", required = true, max = 500, multiline = true
);
text_type!(
    /// A goal in the professionals' words (VUM's specific, measurable
    /// goal). May be empty. JSON: a string, trimmed on input.
    ///
    /// Errors (field `professional_wording`): `Problem::TooLong { max: 500 }`,
    /// `Problem::InvalidCharacters`.
    ProfessionalWording, field = "professional_wording", required = false, max = 500, multiline = true
);
text_type!(
    /// The citizen's wishes for the future, in their own words. May be
    /// empty. JSON: a string, trimmed on input, line breaks kept.
    ///
    /// Errors (field `wishes`): `Problem::TooLong { max: 4000 }`,
    /// `Problem::InvalidCharacters`.
    Wishes, field = "wishes", required = false, max = 4000, multiline = true
);
text_type!(
    /// How a citizen reaches their coordinating case worker ("Ring 2233
    /// 4455, man–fre 9–12"). May be empty. JSON: a string, trimmed.
    ///
    /// Errors (field `coordinator_contact`): `Problem::TooLong { max: 200 }`,
    /// `Problem::InvalidCharacters`.
    ContactText, field = "coordinator_contact", required = false, max = 200, multiline = false
);
text_type!(
    /// What an agreed action is ("Ringe til jobcentret om praktik"). JSON:
    /// a string, trimmed.
    ///
    /// Errors (field `what`): `Problem::Required` when empty,
    /// `Problem::TooLong { max: 300 }`, `Problem::InvalidCharacters`.
    ActionText, field = "what", required = true, max = 300, multiline = false
);

text_type!(
    /// A one-line note of how a visit moved a goal ("Ringede selv til
    /// butikken"). JSON: a string, trimmed.
    ///
    /// Errors (field `note`): `Problem::Required` when empty (leave it out
    /// instead), `Problem::TooLong { max: 200 }`, `Problem::InvalidCharacters`.
    ProgressNote, field = "note", required = true, max = 200, multiline = false
);
text_type!(
    /// Why a citizen is proposed to the coordination and visitation
    /// committee, or why a lead refers them or not (issue 16, seed 001).
    /// JSON: a string, trimmed, line breaks kept.
    ///
    /// Errors (field `reason`): `Problem::Required` when empty,
    /// `Problem::TooLong { max: 1000 }`, `Problem::InvalidCharacters`.
    ReferralReason, field = "reason", required = true, max = 1000, multiline = true
);
text_type!(
    /// The question a case is brought to the monthly sparring forum with
    /// (issue 16, seed 000). JSON: a string, trimmed, line breaks kept.
    ///
    /// Errors (field `question`): `Problem::Required` when empty,
    /// `Problem::TooLong { max: 1000 }`, `Problem::InvalidCharacters`.
    ForumQuestion, field = "question", required = true, max = 1000, multiline = true
);
text_type!(
    /// What the sparring forum concluded on a case. JSON: a string,
    /// trimmed, line breaks kept.
    ///
    /// Errors (field `outcome`): `Problem::Required` when empty,
    /// `Problem::TooLong { max: 2000 }`, `Problem::InvalidCharacters`.
    ForumOutcomeText, field = "outcome", required = true, max = 2000, multiline = true
);

text_type!(
    /// What the minutes of a meeting say on one agenda item (issue 16).
    /// JSON: a string, trimmed, line breaks kept.
    ///
    /// Errors (field `text`): `Problem::Required` when empty,
    /// `Problem::TooLong { max: 4000 }`, `Problem::InvalidCharacters`.
    MinutesText, field = "text", required = true, max = 4000, multiline = true
);

text_type!(
    /// Who else took part in a revision of the plan, by name and role
    /// ("Hanne, mor; Ali, ven"). May be empty. JSON: a string, trimmed.
    ///
    /// Errors (field `others`): `Problem::TooLong { max: 300 }`,
    /// `Problem::InvalidCharacters`.
    OthersPresent, field = "others", required = false, max = 300, multiline = false
);

text_type!(
    /// An offer's name in the catalogue ("Bostøtte i eget hjem"). JSON: a
    /// string, trimmed.
    ///
    /// Errors (field `name`): `Problem::Required`, `Problem::TooLong { max:
    /// 120 }`, `Problem::InvalidCharacters`.
    OfferName, field = "name", required = true, max = 120, multiline = false
);
text_type!(
    /// The law an offer rests on ("Serviceloven § 85"). May be empty (a
    /// grant's [`LegalBasis`] may not).
    ///
    /// Errors (field `legal_basis`): `Problem::TooLong { max: 120 }`,
    /// `Problem::InvalidCharacters`.
    OfferLaw, field = "legal_basis", required = false, max = 120, multiline = false
);
text_type!(
    /// Whom to contact about an offer and how. May be empty.
    ///
    /// Errors (field `contact`): `Problem::TooLong { max: 300 }`,
    /// `Problem::InvalidCharacters`.
    OfferContact, field = "contact", required = false, max = 300, multiline = false
);
text_type!(
    /// What an offer is, for whom, and how to get it. May be empty; line
    /// breaks kept.
    ///
    /// Errors (field `description`): `Problem::TooLong { max: 2000 }`,
    /// `Problem::InvalidCharacters`.
    OfferDescription, field = "description", required = false, max = 2000, multiline = true
);

/// The optional texts of a plan are empty until written.
macro_rules! empty_by_default {
    ($($name:ident),*) => {$(
        impl Default for $name {
            fn default() -> $name {
                $name(String::new())
            }
        }
    )*};
}
empty_by_default!(ProfessionalWording, Wishes, ContactText, OthersPresent, OfferLaw, OfferContact, OfferDescription);

impl Note {
    /// The empty note (a note is optional).
    pub fn empty() -> Note {
        Note(String::new())
    }
}

/// A login name: 3–32 characters of `a–z`, `0–9`, `.`, `_`, `-`, stored in
/// lower case so `Worker` and `worker` are one user. JSON: a string,
/// trimmed and lower-cased on input.
///
/// Errors (field `username`): `Problem::Required` when empty,
/// `Problem::TooLong { max: 32 }`, `Problem::TooShort { min: 3 }`,
/// `Problem::InvalidCharacters` for anything outside that set (`søren`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    /// The name, trimmed and in lower case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<&str> for Username {
    type Error = ValidationError;

    fn try_from(raw: &str) -> Result<Self, ValidationError> {
        let name = raw.trim().to_lowercase();
        if name.is_empty() {
            return Err(ValidationError::new("username", Problem::Required));
        }
        let len = name.chars().count();
        if len > 32 {
            return Err(ValidationError::new("username", Problem::TooLong { max: 32 }));
        }
        if len < 3 {
            return Err(ValidationError::new("username", Problem::TooShort { min: 3 }));
        }
        if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')) {
            return Err(ValidationError::new("username", Problem::InvalidCharacters));
        }
        Ok(Username(name))
    }
}

impl TryFrom<String> for Username {
    type Error = ValidationError;

    fn try_from(raw: String) -> Result<Self, ValidationError> {
        Username::try_from(raw.as_str())
    }
}

impl From<Username> for String {
    fn from(v: Username) -> String {
        v.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_trimmed_and_required() {
        assert_eq!(PersonName::try_from("  Mette Nielsen ").expect("valid").as_str(), "Mette Nielsen");
        let err = PersonName::try_from("   ").expect_err("empty");
        assert_eq!((err.field.as_ref(), err.code()), ("name", "required"));
        let err = PersonName::try_from("a\u{0}b").expect_err("control");
        assert_eq!(err.code(), "invalid_characters");
    }

    #[test]
    fn notes_keep_line_breaks_and_may_be_empty() {
        assert_eq!(Note::try_from("").expect("valid").as_str(), "");
        assert_eq!(Note::try_from("a\r\nb").expect("valid").as_str(), "a\nb");
        let long = "æ".repeat(2001);
        assert_eq!(Note::try_from(long.as_str()).expect_err("too long").code(), "too_long");
        assert!(Note::try_from("æ".repeat(2000).as_str()).is_ok(), "counted in characters, not bytes");
    }

    #[test]
    fn usernames_are_lower_case_ascii() {
        assert_eq!(Username::try_from(" Worker ").expect("valid").as_str(), "worker");
        for bad in ["", "ab", "with space", "søren", &"x".repeat(33)] {
            let err = Username::try_from(bad).expect_err(bad);
            assert_eq!(err.field, "username");
        }
    }

    #[test]
    fn refused_on_deserialisation_with_the_field_named() {
        let err = serde_json::from_str::<PersonName>(r#""""#).expect_err("empty");
        assert!(err.to_string().contains("Name: is required"), "{err}");
    }

    proptest! {
        #[test]
        fn valid_text_round_trips(s in "[\\PC]{0,120}") {
            if let Ok(name) = PersonName::try_from(s.as_str()) {
                prop_assert!(!name.as_str().is_empty());
                prop_assert!(name.as_str().chars().count() <= 100);
                prop_assert_eq!(PersonName::try_from(name.as_str()), Ok(name.clone()));
            }
        }
    }
}
