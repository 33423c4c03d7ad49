//! The handover form as plain data (issue 14): the worker's citizens, who
//! takes each (one choice for all, changed per citizen where needed), the
//! first day and the note, read into a [`HandoverInput`] with `shared`'s
//! checks before anything is sent.

use shared::assignment::{HandoverInput, HandoverLine};
use shared::text::Note;
use shared::{CitizenId, Date, Problem, UserId, ValidationError};

/// Reads the form: `on` as the date field gives it (`YYYY-MM-DD`), the
/// note, and per citizen the chosen colleague's id (empty: none chosen).
/// Every problem at once, each at its field: `on` (`required`,
/// `invalid_format`, `in_past`, …), `note` (too long), `to[i].user_id`
/// (`required` when nobody is chosen for a citizen).
pub fn read_handover(
    from: UserId,
    on: &str,
    note: &str,
    to: &[(CitizenId, String)],
    today: Date,
) -> Result<HandoverInput, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let on = match on.trim() {
        "" => {
            errors.push(ValidationError::new("on", Problem::Required));
            None
        }
        text => match Date::parse_typed(text) {
            Ok(d) => Some(d),
            Err(problem) => {
                errors.push(ValidationError::new("on", problem));
                None
            }
        },
    };
    let note = match Note::try_from(note) {
        Ok(n) => Some(n),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let mut lines = Vec::new();
    for (i, (citizen, user)) in to.iter().enumerate() {
        match user.parse::<UserId>() {
            Ok(user_id) => lines.push(HandoverLine { citizen_id: *citizen, user_id }),
            Err(_) => errors.push(ValidationError::new(format!("to[{i}].user_id"), Problem::Required)),
        }
    }
    // `shared`'s checks run whatever else failed, so every problem shows
    // at once (a date in the past beside a note too long).
    let Some(on) = on else { return Err(errors) };
    let input = HandoverInput { from, on, note: note.clone().unwrap_or_else(Note::empty), to: lines };
    if let Err(more) = input.check(today) {
        // A line that could not be read keeps its own refusal; the rest
        // come from `shared`.
        let more: Vec<ValidationError> = more
            .into_iter()
            .filter(|e| e.field != "to" || to.is_empty())
            .filter(|e| !errors.iter().any(|x| x.field == e.field))
            .collect();
        errors.extend(more);
    }
    match (errors.is_empty(), note) {
        (true, Some(_)) => Ok(input),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn the_form_is_read_with_every_problem_at_its_field() {
        let anne = UserId::from_uuid(Uuid::from_u128(1));
        let bo = UserId::from_uuid(Uuid::from_u128(2));
        let c1 = CitizenId::from_uuid(Uuid::from_u128(10));
        let c2 = CitizenId::from_uuid(Uuid::from_u128(11));
        let today = d("2026-12-01");
        let ok = read_handover(anne, "2026-12-01", "Nøglen hos naboen", &[(c1, bo.to_string())], today).expect("valid");
        assert_eq!((ok.on, ok.to.len(), ok.note.as_str()), (today, 1, "Nøglen hos naboen"));
        let fields = |r: Result<HandoverInput, Vec<ValidationError>>| {
            r.expect_err("refused").into_iter().map(|e| (e.field.to_string(), e.problem.code())).collect::<Vec<_>>()
        };
        assert_eq!(
            fields(read_handover(anne, "", "", &[(c1, String::new())], today)),
            [("on".to_owned(), "required"), ("to[0].user_id".to_owned(), "required"),]
        );
        assert_eq!(
            fields(read_handover(anne, "2026-11-30", "", &[(c1, bo.to_string()), (c2, anne.to_string())], today)),
            [("on".to_owned(), "in_past"), ("to[1].user_id".to_owned(), "same_person")]
        );
        assert_eq!(
            fields(read_handover(anne, "2026-12-01", &"x".repeat(2001), &[(c1, bo.to_string())], today)),
            [("note".to_owned(), "too_long"),]
        );
        // The walk: the past date showed only after the note was fixed.
        assert_eq!(
            fields(read_handover(anne, "2026-11-30", &"x".repeat(2001), &[(c1, String::new())], today)),
            [("note".to_owned(), "too_long"), ("to[0].user_id".to_owned(), "required"), ("on".to_owned(), "in_past"),]
        );
    }
}
