//! A field's refusal as the screen says it: the problem after the field's
//! own visible label (issue 15's walk). Used by the form kit
//! (`components::form`) and the fields (`components::text_field`).

use shared::FieldError;

/// A field's refusal, in the user's language, as the field shows it: the
/// problem after the label the user sees ("Kort note: skal udfyldes"), not
/// the wire name's ("Note: …"), so the message names the field the way the
/// screen does (issue 15's walk: "Note" under "Kort note", "Til" under
/// "Til og med").
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// The problems alone ("skal udfyldes"), one after the other; `None`
    /// when one came from a server that sends only whole messages.
    problem: Option<String>,
    /// The problems as `shared` words them, the wire name's label first.
    message: String,
}

impl Refusal {
    /// A refusal in the page's own words: `problem` ("vælg, hvem der
    /// overtager …"), said after the field's label like any other.
    pub fn in_words(problem: impl Into<String>) -> Refusal {
        let problem = problem.into();
        Refusal { problem: Some(problem.clone()), message: problem }
    }

    /// The refusals in `errors` as one, in `lang`; `None` when there are
    /// none.
    pub(crate) fn of<'a>(errors: impl Iterator<Item = &'a FieldError>, lang: shared::Lang) -> Option<Refusal> {
        let errors: Vec<&FieldError> = errors.collect();
        if errors.is_empty() {
            return None;
        }
        let joined = |part: &dyn Fn(&FieldError) -> Option<String>| -> Option<String> {
            errors.iter().map(|e| part(e)).collect::<Option<Vec<String>>>().map(|parts| parts.join("; "))
        };
        Some(Refusal {
            problem: joined(&|e| e.problem.as_ref().map(|p| p.get(lang).to_owned())),
            message: joined(&|e| Some(e.message.get(lang).to_owned())).unwrap_or_default(),
        })
    }

    /// The refusal said under a field labelled `label`: "label: problem",
    /// the label without what it says in brackets or its question mark
    /// ("Senest (valgfri)" says "Senest: …").
    pub fn at(&self, label: &str) -> String {
        match &self.problem {
            Some(problem) => format!("{}: {problem}", spoken_label(label)),
            None => self.message.clone(),
        }
    }
}

/// A field's label as a refusal names it: without a closing remark in
/// brackets ("(valgfri)", "(% af fuld tid)") or a question mark.
pub fn spoken_label(label: &str) -> &str {
    let mut label = label.trim_end();
    if label.ends_with(')')
        && let Some(open) = label.rfind(" (")
    {
        label = &label[..open];
    }
    label.trim_end_matches('?').trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{Lang, Problem, ValidationError};

    fn refusal(field: &str, problem: Problem) -> Refusal {
        let wire = ValidationError::new(field.to_owned(), problem).to_field_error();
        Refusal::of(std::iter::once(&wire), Lang::Da).expect("one refusal")
    }

    #[test]
    fn a_refusal_is_named_by_the_label_the_field_shows() {
        // The wire names it "Note"; the follow-up form shows "Kort note".
        assert_eq!(refusal("note", Problem::Required).at("Kort note"), "Kort note: skal udfyldes");
        assert_eq!(refusal("what", Problem::Required).at("Hvad er aftalt"), "Hvad er aftalt: skal udfyldes");
        assert_eq!(
            refusal("to", Problem::BeforeStartDay).at("Til og med"),
            "Til og med: må ikke ligge før startdatoen"
        );
        assert_eq!(
            refusal("consultants", Problem::NoneChosen).at("Borgerkonsulenter"),
            "Borgerkonsulenter: vælg mindst én"
        );
    }

    #[test]
    fn what_a_label_says_in_brackets_or_asks_is_left_out() {
        for (label, spoken) in [
            ("Senest (valgfri)", "Senest"),
            ("Stilling som borgerkonsulent (% af fuld tid)", "Stilling som borgerkonsulent"),
            ("Hvordan går det med borgerens mål?", "Hvordan går det med borgerens mål"),
            ("Borgerens score 0–10 (valgfri)", "Borgerens score 0–10"),
            ("Dato", "Dato"),
            // Brackets inside the label, not closing it, stay.
            ("Timer (pr. uge) i alt", "Timer (pr. uge) i alt"),
            ("(valgfri)", "(valgfri)"),
        ] {
            assert_eq!(spoken_label(label), spoken, "{label}");
        }
    }

    #[test]
    fn several_refusals_of_one_field_are_said_after_one_label() {
        let errors = [
            ValidationError::new("team_ids[0]", Problem::UnknownValue).to_field_error(),
            ValidationError::new("team_ids[2]", Problem::Taken).to_field_error(),
        ];
        let said = Refusal::of(errors.iter(), Lang::Da).expect("refusals").at("Teams");
        assert_eq!(said, format!("Teams: er ikke en kendt værdi; {}", Problem::Taken.describe().da));
    }

    #[test]
    fn a_server_that_sends_only_the_message_is_shown_in_its_words() {
        let mut wire = ValidationError::new("note", Problem::Required).to_field_error();
        wire.problem = None;
        let refusal = Refusal::of(std::iter::once(&wire), Lang::En).expect("refusal");
        assert_eq!(refusal.at("Short note"), "Note: is required");
        assert_eq!(Refusal::of(std::iter::empty(), Lang::Da), None);
    }
}
