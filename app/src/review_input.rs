//! The case review's forms as plain data (issue 14): a new review and one
//! citizen's classification, read with `shared`'s rules before anything is
//! sent, every refusal naming its field. Pure, so it is tested natively.

use shared::review::{FigureScope, Priority, ReviewInput, ReviewItemInput, Scheme};
use shared::text::{ExternalId, Note, OrgName};
use shared::{Date, Problem, ValidationError};

use crate::error::AppError;

/// The new-review form as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReviewForm {
    pub name: String,
    /// `YYYY-MM-DD` from a date field ("" when empty or unreadable).
    pub review_date: String,
    pub scope: Option<FigureScope>,
    /// Case ids, one per line (or separated by `;`, `,` or spaces); empty:
    /// everyone in the scope.
    pub case_ids: String,
}

/// Reads the new-review form for `today` (Europe/Copenhagen).
///
/// Errors: `name` (required, ≤ 100); `review_date` `required`,
/// `date_expected`, `out_of_range`, `in_future`; `scope` `required`; `case_ids[i]` for a
/// case id that is too long or has control characters.
pub fn read_review(form: &ReviewForm, today: Date) -> Result<ReviewInput, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let name = OrgName::try_from(form.name.trim()).map_err(|e| errors.push(e.at("name"))).ok();
    let review_date = match Date::read_field("review_date", &form.review_date, true) {
        Ok(Some(d)) if d > today => {
            errors.push(ValidationError::new("review_date", Problem::InFuture));
            None
        }
        Ok(d) => d,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if form.scope.is_none() {
        errors.push(ValidationError::new("scope", Problem::Required));
    }
    let mut case_ids = Vec::new();
    for (i, text) in
        form.case_ids.split(|c: char| c == ';' || c == ',' || c.is_whitespace()).filter(|t| !t.is_empty()).enumerate()
    {
        match ExternalId::try_from(text) {
            Ok(id) if !case_ids.contains(&id) => case_ids.push(id),
            Ok(_) => {}
            Err(e) => errors.push(e.at(format!("case_ids[{i}]"))),
        }
    }
    match (name, review_date, form.scope) {
        (Some(name), Some(review_date), Some(scope)) if errors.is_empty() => {
            Ok(ReviewInput { name, review_date, scope, case_ids })
        }
        _ => Err(errors),
    }
}

/// One citizen's review as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReviewItemForm {
    /// A layer code of the scheme ("" when none is chosen).
    pub layer: String,
    /// A priority code ("" when none is chosen).
    pub priority: String,
    pub note: String,
}

/// Reads one citizen's review against `scheme`.
///
/// Errors: `layer` `required` or `unknown_value`; `priority` `required` or
/// `unknown_value`; `note` as a [`Note`] (≤ 2 000 characters).
pub fn read_review_item(form: &ReviewItemForm, scheme: &Scheme) -> Result<ReviewItemInput, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let layer = match form.layer.as_str() {
        "" => {
            errors.push(ValidationError::new("layer", Problem::Required));
            None
        }
        code if scheme.layer(code).is_none() => {
            errors.push(ValidationError::new("layer", Problem::UnknownValue));
            None
        }
        code => Some(code.to_owned()),
    };
    let priority = match form.priority.as_str() {
        "" => {
            errors.push(ValidationError::new("priority", Problem::Required));
            None
        }
        code => Priority::from_code(code).or_else(|| {
            errors.push(ValidationError::new("priority", Problem::UnknownValue));
            None
        }),
    };
    let note = Note::try_from(form.note.as_str()).map_err(|e| errors.push(e.at("note"))).ok();
    match (layer, priority, note) {
        (Some(layer), Some(priority), Some(note)) if errors.is_empty() => Ok(ReviewItemInput { layer, priority, note }),
        _ => Err(errors),
    }
}

/// The server's refusal of listed case ids (`case_ids[i]`: not a citizen
/// with an open case in the chosen scope on the date) said with the id it
/// is about — "Sagsnummer S-999 findes ikke blandt borgerne med en åben
/// sag i det valgte område på datoen" — as the list was sent (`sent`: the
/// ids in order, repeats left out), so the user knows which line to fix.
/// Any other error is returned as it is.
pub fn name_refused_case_ids(error: AppError, sent: &[ExternalId]) -> AppError {
    error.with_fields(|field| {
        let index = field.field.strip_prefix("case_ids[").and_then(|rest| rest.strip_suffix(']'));
        let id = index.and_then(|i| i.parse::<usize>().ok()).and_then(|i| sent.get(i)).map(ExternalId::as_str);
        if let Some(id) = id
            && field.code == Problem::NotFound.code()
        {
            field.message = shared::Localized::new(
                format!("Sagsnummer {id} findes ikke blandt borgerne med en åben sag i det valgte område på datoen"),
                format!("Case id {id} is not among the citizens with an open case in the chosen scope on the date"),
            );
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: &[ValidationError]) -> Vec<(String, &'static str)> {
        errors.iter().map(|e| (e.field.to_string(), e.code())).collect()
    }

    #[test]
    fn a_new_review_names_each_refused_field() {
        let today: Date = "2026-11-30".parse().expect("date");
        let area = shared::AreaId::from_uuid(uuid::Uuid::from_u128(2));
        let form = ReviewForm {
            name: "Sagsgennemgang 30.9.2026".into(),
            review_date: "2026-09-30".into(),
            scope: Some(FigureScope::Area(area)),
            case_ids: "SAG-1\nSAG-2; SAG-1\n\n".into(),
        };
        let input = read_review(&form, today).expect("valid");
        assert_eq!(input.case_ids.iter().map(|c| c.as_str()).collect::<Vec<_>>(), ["SAG-1", "SAG-2"]);
        let bad = ReviewForm { name: " ".into(), review_date: "2026-12-01".into(), scope: None, ..form.clone() };
        assert_eq!(
            fields(&read_review(&bad, today).expect_err("bad")),
            [("name".into(), "required"), ("review_date".into(), "in_future"), ("scope".into(), "required")]
        );
        let empty = ReviewForm { review_date: String::new(), case_ids: "x".repeat(65), ..form };
        assert_eq!(
            fields(&read_review(&empty, today).expect_err("bad")),
            [("review_date".into(), "required"), ("case_ids[0]".into(), "too_long")]
        );
    }

    #[test]
    fn a_citizens_review_needs_a_layer_of_the_scheme_and_a_priority() {
        let scheme = Scheme::seed_000();
        let form = ReviewItemForm {
            layer: "joint_plan".into(),
            priority: "high".into(),
            note: "Fælles plan med jobcentret".into(),
        };
        assert_eq!(read_review_item(&form, &scheme).expect("valid").priority, Priority::High);
        let bad = ReviewItemForm { layer: "youth".into(), priority: String::new(), note: "x".repeat(2001) };
        assert_eq!(
            fields(&read_review_item(&bad, &scheme).expect_err("bad")),
            [("layer".into(), "unknown_value"), ("priority".into(), "required"), ("note".into(), "too_long")]
        );
        let none = ReviewItemForm::default();
        assert_eq!(fields(&read_review_item(&none, &scheme).expect_err("bad"))[0], ("layer".into(), "required"));
    }

    #[test]
    fn a_refused_case_id_is_named_by_its_id() {
        let sent: Vec<ExternalId> =
            ["S-1", "S-999"].into_iter().map(|t| ExternalId::try_from(t).expect("id")).collect();
        let refused = AppError::Refused {
            status: 422,
            body: shared::ErrorBody::validation(&[
                ValidationError::new("case_ids[1]", Problem::NotFound),
                ValidationError::new("name", Problem::Required),
            ]),
        };
        let fields = name_refused_case_ids(refused, &sent).field_errors();
        assert_eq!(fields[0].field, "case_ids[1]", "still at the field");
        assert!(fields[0].message.da.starts_with("Sagsnummer S-999 findes ikke"), "{}", fields[0].message.da);
        assert!(fields[0].message.en.starts_with("Case id S-999 is not among"), "{}", fields[0].message.en);
        assert_eq!(fields[1].message.da, "Navn: skal udfyldes", "other fields as they were");
        assert_eq!(name_refused_case_ids(AppError::Offline, &sent), AppError::Offline);
    }
}
