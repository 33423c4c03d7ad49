//! The handover form as plain data (issue 14): the worker's citizens, who
//! takes each (one choice for all, changed per citizen where needed), the
//! first day and the note, read into a [`HandoverInput`] with `shared`'s
//! checks before anything is sent.

use shared::assignment::{HandoverInput, HandoverLine};
use shared::text::Note;
use shared::{CitizenId, Date, UserId, ValidationError};

use crate::error::AppError;

/// Reads the form: `on` as the date field gives it (`YYYY-MM-DD`), the
/// note, and per citizen (the form's rows, in order) the chosen
/// colleague's id — empty: the citizen stays with the worker (a partial
/// handover). Every problem at once, each at its field: `on` (`required`,
/// `date_expected`, `in_past`, …), `note` (too long), `to` (`required`:
/// nobody chosen for any citizen), `to[i].user_id` with `i` the form's row
/// (not the line sent: rows that stay are left out of the input).
pub fn read_handover(
    from: UserId,
    on: &str,
    note: &str,
    to: &[(CitizenId, String)],
    today: Date,
) -> Result<HandoverInput, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let on = Date::read_field("on", on, true).map_err(|e| errors.push(e)).ok().flatten();
    let note = match Note::try_from(note) {
        Ok(n) => Some(n),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let mut lines = Vec::new();
    for (citizen, user) in to {
        if let Ok(user_id) = user.parse::<UserId>() {
            lines.push(HandoverLine { citizen_id: *citizen, user_id });
        }
    }
    let rows: Vec<CitizenId> = to.iter().map(|(c, _)| *c).collect();
    // `shared`'s checks run whatever else failed, so every problem shows
    // at once (a date in the past beside a note too long).
    let Some(on) = on else { return Err(errors) };
    let input = HandoverInput { from, on, note: note.clone().unwrap_or_else(Note::empty), to: lines };
    if let Err(more) = input.check(today) {
        let more: Vec<ValidationError> = more
            .into_iter()
            .map(|e| match at_row(&e.field, &input, &rows) {
                Some(field) => ValidationError::new(field, e.problem),
                None => e,
            })
            .filter(|e| !errors.iter().any(|x| x.field == e.field))
            .collect();
        errors.extend(more);
    }
    match (errors.is_empty(), note) {
        (true, Some(_)) => Ok(input),
        _ => Err(errors),
    }
}

/// `field` of a line of `sent` (`to[k].…`) named by the form's row of its
/// citizen (`rows`: the citizens in the form's order); `None` for any
/// other field.
fn at_row(field: &str, sent: &HandoverInput, rows: &[CitizenId]) -> Option<String> {
    let rest = field.strip_prefix("to[")?;
    let (k, tail) = rest.split_once(']')?;
    let citizen = sent.to.get(k.parse::<usize>().ok()?)?.citizen_id;
    let row = rows.iter().position(|c| *c == citizen)?;
    Some(format!("to[{row}]{tail}"))
}

/// The server's refusal of a handover with each line's field named by the
/// form's row (see [`at_row`]), so it shows at the citizen it is about.
pub fn refusal_at_rows(error: AppError, sent: &HandoverInput, rows: &[CitizenId]) -> AppError {
    error.with_fields(|f| {
        if let Some(field) = at_row(&f.field, sent, rows) {
            f.field = field;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::Problem;
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
        // Nobody chosen for any citizen: the handover has nothing to do.
        assert_eq!(
            fields(read_handover(anne, "2026-12-01", "", &[(c1, String::new()), (c2, String::new())], today)),
            [("to".to_owned(), "required")]
        );
        assert_eq!(
            fields(read_handover(anne, "2026-11-30", "", &[(c1, bo.to_string()), (c2, anne.to_string())], today)),
            [("on".to_owned(), "in_past"), ("to[1].user_id".to_owned(), "same_person")]
        );
        // A partial handover: a citizen who stays is left out, and a
        // refusal of a later line shows at its own row.
        let c3 = CitizenId::from_uuid(Uuid::from_u128(12));
        let partial = [(c1, String::new()), (c2, bo.to_string()), (c3, bo.to_string())];
        let ok = read_handover(anne, "2026-12-01", "", &partial, today).expect("partial");
        assert_eq!(ok.to.iter().map(|l| l.citizen_id).collect::<Vec<_>>(), [c2, c3]);
        let same = [(c1, String::new()), (c2, bo.to_string()), (c3, anne.to_string())];
        assert_eq!(
            fields(read_handover(anne, "2026-12-01", "", &same, today)),
            [("to[2].user_id".to_owned(), "same_person")],
            "the third row, though the second line sent"
        );
        // The server's refusal of line 1 (c3) shows at row 2.
        let refused = AppError::Refused {
            status: 422,
            body: shared::ErrorBody::validation(&[
                ValidationError::new("to[1].citizen_id", Problem::HandedOver),
                ValidationError::new("on", Problem::InPast),
            ]),
        };
        let rows = [c1, c2, c3];
        let at = refusal_at_rows(refused, &ok, &rows).field_errors();
        assert_eq!(at.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["to[2].citizen_id", "on"]);
        assert_eq!(
            fields(read_handover(anne, "2026-12-01", &"x".repeat(2001), &[(c1, bo.to_string())], today)),
            [("note".to_owned(), "too_long"),]
        );
        // The walk: the past date showed only after the note was fixed.
        assert_eq!(
            fields(read_handover(anne, "2026-11-30", &"x".repeat(2001), &[(c1, String::new())], today)),
            [("note".to_owned(), "too_long"), ("on".to_owned(), "in_past"), ("to".to_owned(), "required")]
        );
    }
}
