//! Citizens who receive support, with the layer of seed 000's case review
//! they are in today and the benefit type that decides who pays (seed 003).

use serde::{Deserialize, Serialize};

use crate::error::{Lang, Localized, Problem, ValidationError};
use crate::id::{CitizenId, UserId};
use crate::text::PersonName;
use crate::time::{MAX_YEAR, MIN_YEAR};

/// The layer a citizen is in today, as their row carries it: the code of
/// the municipality's scheme and its name in both languages (the phone has
/// no scheme of its own). JSON: `{"code": "joint_plan", "label": {"da":
/// "Fælles plan", "en": "Joint plan"}, "meetings_per_year": 4}`
/// (`meetings_per_year` absent when the scheme sets none). Which layer, from when and by
/// whom is in [`crate::review::Classification`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerName {
    pub code: String,
    pub label: Localized,
    /// The cross-disciplinary meetings a year the layer asks for (its own,
    /// else for a sub-category its layer's; issue 16); absent: the
    /// default, [`crate::meeting::MEETINGS_PER_YEAR`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meetings_per_year: Option<u8>,
}

/// Forsørgelsesgrundlag: what the citizen lives on. It decides who pays
/// for § 85 housing support (seed 003: the payer rule,
/// [`crate::charge::payer_kind`]). JSON and [`BenefitType::code`]:
/// `"early_retirement_pension"`, `"cash_benefit"`, `"education_benefit"`,
/// `"resource_course_benefit"`, `"sickness_benefit"`, `"flex_job_benefit"`,
/// `"other"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BenefitType {
    /// Førtidspension.
    EarlyRetirementPension,
    /// Kontanthjælp.
    CashBenefit,
    /// Uddannelseshjælp.
    EducationBenefit,
    /// Ressourceforløbsydelse.
    ResourceCourseBenefit,
    /// Sygedagpenge.
    SicknessBenefit,
    /// Ledighedsydelse (waiting for a flex job).
    FlexJobBenefit,
    /// None of the above (e.g. a young citizen living with parents).
    Other,
}

crate::codes::wire_codes!(BenefitType {
    EarlyRetirementPension => "early_retirement_pension",
    CashBenefit => "cash_benefit",
    EducationBenefit => "education_benefit",
    ResourceCourseBenefit => "resource_course_benefit",
    SicknessBenefit => "sickness_benefit",
    FlexJobBenefit => "flex_job_benefit",
    Other => "other",
});

impl BenefitType {
    /// The benefit's name in `lang`, e.g. "Kontanthjælp" / "Cash benefit".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (BenefitType::EarlyRetirementPension, Lang::Da) => "Førtidspension",
            (BenefitType::EarlyRetirementPension, Lang::En) => "Early retirement pension",
            (BenefitType::CashBenefit, Lang::Da) => "Kontanthjælp",
            (BenefitType::CashBenefit, Lang::En) => "Cash benefit",
            (BenefitType::EducationBenefit, Lang::Da) => "Uddannelseshjælp",
            (BenefitType::EducationBenefit, Lang::En) => "Education benefit",
            (BenefitType::ResourceCourseBenefit, Lang::Da) => "Ressourceforløbsydelse",
            (BenefitType::ResourceCourseBenefit, Lang::En) => "Resource course benefit",
            (BenefitType::SicknessBenefit, Lang::Da) => "Sygedagpenge",
            (BenefitType::SicknessBenefit, Lang::En) => "Sickness benefit",
            (BenefitType::FlexJobBenefit, Lang::Da) => "Ledighedsydelse",
            (BenefitType::FlexJobBenefit, Lang::En) => "Flex-job benefit",
            (BenefitType::Other, Lang::Da) => "Anden",
            (BenefitType::Other, Lang::En) => "Other",
        }
    }
}

/// A year of birth: what the phone keeps (it shows an age, never the birth
/// date; the server keeps the date where the case system has it, for the
/// age bands of [`crate::review`]). JSON: a number, `1988`.
///
/// Errors (`TryFrom<i32>`, serde): `birth_year`
/// `Problem::OutOfRange { min: 1900, max: 2199 }` outside
/// [`crate::time::MIN_YEAR`]`..=`[`crate::time::MAX_YEAR`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i32", into = "i32")]
pub struct BirthYear(i32);

impl BirthYear {
    /// The year, e.g. 1988.
    pub fn get(self) -> i32 {
        self.0
    }

    /// Age reached during `year`: `year` minus the birth year (negative for
    /// a year before the birth).
    pub fn age_in(self, year: i32) -> i32 {
        year - self.0
    }
}

impl TryFrom<i32> for BirthYear {
    type Error = ValidationError;

    fn try_from(year: i32) -> Result<Self, ValidationError> {
        if (MIN_YEAR..=MAX_YEAR).contains(&year) {
            Ok(BirthYear(year))
        } else {
            Err(ValidationError::new("birth_year", Problem::OutOfRange { min: MIN_YEAR.into(), max: MAX_YEAR.into() }))
        }
    }
}

impl From<BirthYear> for i32 {
    fn from(y: BirthYear) -> i32 {
        y.0
    }
}

/// A citizen who receives support, as a worker's phone holds them (no case
/// id, no birth date: see [`crate::admin::AdminCitizen`]). JSON: `{"id":
/// ..., "name": "Mette Holm", "birth_year": 1988, "layer": {"code":
/// "joint_plan", "label": {...}} or null (not assessed), "benefit_type":
/// "cash_benefit", "coordinator_id": null}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citizen {
    pub id: CitizenId,
    pub name: PersonName,
    pub birth_year: BirthYear,
    /// The layer today; `None` while not assessed.
    pub layer: Option<LayerName>,
    pub benefit_type: BenefitType,
    /// The coordinating case worker, the citizen's "one entrance".
    pub coordinator_id: Option<UserId>,
    /// Their name (issue 15: the plan and the citizen's copy name them;
    /// absent from older rows). A renamed user's name reaches phones with
    /// the citizen's next change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinator_name: Option<String>,
}

impl Citizen {
    /// The layer's name in `lang`, or "Ikke vurderet" / "Not assessed".
    pub fn layer_label(&self, lang: Lang) -> &str {
        match &self.layer {
            Some(layer) => layer.label.get(lang),
            None => match lang {
                Lang::Da => "Ikke vurderet",
                Lang::En => "Not assessed",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_year_is_range_checked() {
        assert_eq!(BirthYear::try_from(2009).expect("valid").age_in(2026), 17);
        let err = serde_json::from_str::<BirthYear>("1800").expect_err("too old");
        assert!(err.to_string().contains("Birth year"), "{err}");
        let refused = BirthYear::try_from(1800).expect_err("too old");
        assert_eq!(refused.message().da, "Fødselsår: skal være mellem 1900 og 2199", "a year is not grouped");
    }
}
