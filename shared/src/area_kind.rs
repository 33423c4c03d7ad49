//! The kinds of administrative area, on their own: the payer rule's
//! refusal (`Problem::WrongPayer`) names one, so this depends on nothing
//! that depends on `error`. Re-exported as `shared::area::AreaKind`.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// The administrative areas a citizen's coherent effort spans: the three the
/// seeds move citizens and budgets between (DOMAIN.md: employment, social,
/// children & youth) and health, which the coherent plan spans too (issue
/// 15: "one plan across the employment, social and health areas"; LAB
/// § 30 b; e.g. the municipality's addiction treatment or rehabilitation).
/// JSON and [`AreaKind::code`]: `"employment"`, `"social"`,
/// `"children_youth"`, `"health"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    /// Beskæftigelsesområdet (jobcenter).
    Employment,
    /// Socialområdet (disability, psychiatry, housing support).
    Social,
    /// Børn og unge.
    ChildrenYouth,
    /// Sundhedsområdet (e.g. addiction treatment, rehabilitation).
    Health,
}

crate::codes::wire_codes!(AreaKind {
    Employment => "employment",
    Social => "social",
    ChildrenYouth => "children_youth",
    Health => "health",
});

impl AreaKind {
    /// The kind's name in `lang`: "Beskæftigelse" / "Employment", "Social",
    /// "Børn og unge" / "Children and youth", "Sundhed" / "Health".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AreaKind::Employment, Lang::Da) => "Beskæftigelse",
            (AreaKind::Employment, Lang::En) => "Employment",
            (AreaKind::Social, Lang::Da) => "Social",
            (AreaKind::Social, Lang::En) => "Social",
            (AreaKind::ChildrenYouth, Lang::Da) => "Børn og unge",
            (AreaKind::ChildrenYouth, Lang::En) => "Children and youth",
            (AreaKind::Health, Lang::Da) => "Sundhed",
            (AreaKind::Health, Lang::En) => "Health",
        }
    }
}
