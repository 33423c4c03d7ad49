//! The case review's model (issue 14, seed 000): a citizen's age band at a
//! date, computed from the birth date (or only the year, marked as an
//! estimate), and the layer a person classified the citizen into, valid
//! from a date, so any date's picture can be reproduced. The layer and the
//! age band are independent: seed 000 puts its 15–17-year-olds into the
//! same three layers as the adults.
//!
//! [`LayerTable`] is seed 000's table: citizens by layer × age band with
//! totals, early-retirement pensioners counted apart, the citizens not
//! assessed yet, and how many of the counts rest on a birth year only.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::area_kind::AreaKind;
use crate::citizen::{BenefitType, BirthYear};
use crate::error::{Lang, Localized, Problem, ValidationError};
use crate::id::{AreaId, CitizenId, GrantId, ReviewId, TeamId, UserId};
use crate::text::{ExternalId, Note, OrgName};
use crate::time::Date;

/// When a citizen was born: the date where the case system has it, else
/// only the year. JSON: `{"date": "2008-02-29"}` or `{"year": 1988}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Birth {
    Date(Date),
    Year(BirthYear),
}

/// An age in whole years; `estimated` when it rests on a birth year only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Age {
    pub years: u32,
    pub estimated: bool,
}

impl Birth {
    /// From what the case system has: the date where known, else the year.
    pub fn of(year: BirthYear, date: Option<Date>) -> Birth {
        date.map_or(Birth::Year(year), Birth::Date)
    }

    /// Reads what a person types: a year (`1988`) or a date (`12.03.1988`,
    /// `12-03-1988`, `12/03/1988`, one-digit day and month too, or
    /// `1988-03-12`), for a citizen born on or before `today`.
    ///
    /// Errors, at field `birth`: `required` (empty), `birth_expected`
    /// (neither a date that exists nor a year), `out_of_range` (a year
    /// outside 1900–2199), `in_future`.
    pub fn parse(text: &str, today: Date) -> Result<Birth, ValidationError> {
        let text = text.trim();
        let error = |p| ValidationError::new("birth", p);
        if text.is_empty() {
            return Err(error(Problem::Required));
        }
        let birth = if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
            let year: i32 = text.parse().map_err(|_| error(Problem::InvalidFormat))?;
            Birth::Year(BirthYear::try_from(year).map_err(|e| error(e.problem))?)
        } else {
            Birth::Date(Date::parse_typed(text).map_err(|problem| match problem {
                Problem::DateExpected => error(Problem::BirthExpected),
                other => error(other),
            })?)
        };
        if birth.first_day() > today {
            return Err(error(Problem::InFuture));
        }
        Ok(birth)
    }

    /// As a person writes it back: `12.03.1988` (Danish) or `12/03/1988`,
    /// or the year alone.
    pub fn format(self, lang: Lang) -> String {
        match self {
            Birth::Date(d) => d.format(lang),
            Birth::Year(y) => y.get().to_string(),
        }
    }

    /// The year of birth (also of a full date).
    pub fn year(self) -> BirthYear {
        match self {
            Birth::Date(d) => BirthYear::try_from(d.year()).expect("BUG: a Date's year is a valid birth year"),
            Birth::Year(y) => y,
        }
    }

    /// The date, where known.
    pub fn date(self) -> Option<Date> {
        match self {
            Birth::Date(d) => Some(d),
            Birth::Year(_) => None,
        }
    }

    /// The age on `on` (Europe/Copenhagen dates), or `None` before the
    /// birth. A birthday on 29 February is reached on 1 March in a year
    /// without one. With only the year, the birthday is taken to be 1 July
    /// (the middle of the year) and the age is marked `estimated`.
    pub fn age_at(self, on: Date) -> Option<Age> {
        let (year, month, day, estimated) = match self {
            Birth::Date(d) => (d.year(), d.month(), d.day(), false),
            Birth::Year(y) => (y.get(), 7, 1, true),
        };
        let (birthday_month, birthday_day) = match (month, day) {
            (2, 29) if Date::new(on.year(), 2, 29).is_err() => (3, 1),
            other => other,
        };
        let had_birthday = (on.month(), on.day()) >= (birthday_month, birthday_day);
        if on < self.first_day() {
            return None;
        }
        // Born in the year asked about, before the assumed 1 July: 0 years.
        let years = (on.year() - year - i32::from(!had_birthday)).max(0);
        u32::try_from(years).ok().map(|years| Age { years, estimated })
    }

    /// The day the citizen turns `years` old, as [`Birth::age_at`] counts:
    /// a 29 February birthday is reached on 1 March in other years; with
    /// only the year, 1 July (an estimate).
    pub fn birthday(self, years: u32) -> Date {
        let (year, month, day) = match self {
            Birth::Date(d) => (d.year(), d.month(), d.day()),
            Birth::Year(y) => (y.get(), 7, 1),
        };
        let year = year + i32::try_from(years).unwrap_or(0);
        Date::new(year, month, day).or_else(|_| Date::new(year, 3, 1)).unwrap_or_else(|_| self.first_day())
    }

    /// The first day the citizen may have been alive: the birth date, or
    /// 1 January of the year.
    pub fn first_day(self) -> Date {
        match self {
            Birth::Date(d) => d,
            Birth::Year(y) => Date::new(y.get(), 1, 1).expect("BUG: a BirthYear is a valid year"),
        }
    }

    /// The age band on `on`, and whether it is an estimate; `None` before
    /// the birth.
    pub fn band_at(self, on: Date) -> Option<(AgeBand, bool)> {
        self.age_at(on).map(|age| (AgeBand::of(age.years), age.estimated))
    }
}

/// Seed 000's age bands: 15–17, 18–29 and 30+ (and the children under 15,
/// who are in no band of the review). JSON and [`AgeBand::code`]:
/// `"under_15"`, `"15_17"`, `"18_29"`, `"30_plus"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AgeBand {
    #[serde(rename = "under_15")]
    Under15,
    #[serde(rename = "15_17")]
    From15To17,
    #[serde(rename = "18_29")]
    From18To29,
    #[serde(rename = "30_plus")]
    From30,
}

impl AgeBand {
    /// Every band, youngest first.
    pub const ALL: [AgeBand; 4] = [AgeBand::Under15, AgeBand::From15To17, AgeBand::From18To29, AgeBand::From30];

    /// The band of an age in whole years.
    pub fn of(years: u32) -> AgeBand {
        match years {
            0..=14 => AgeBand::Under15,
            15..=17 => AgeBand::From15To17,
            18..=29 => AgeBand::From18To29,
            _ => AgeBand::From30,
        }
    }

    /// The wire code (`"15_17"`).
    pub fn code(self) -> &'static str {
        match self {
            AgeBand::Under15 => "under_15",
            AgeBand::From15To17 => "15_17",
            AgeBand::From18To29 => "18_29",
            AgeBand::From30 => "30_plus",
        }
    }

    /// As seed 000's tables write it: "15–17 år" / "15–17 years".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AgeBand::Under15, Lang::Da) => "Under 15 år",
            (AgeBand::Under15, Lang::En) => "Under 15 years",
            (AgeBand::From15To17, Lang::Da) => "15–17 år",
            (AgeBand::From15To17, Lang::En) => "15–17 years",
            (AgeBand::From18To29, Lang::Da) => "18–29 år",
            (AgeBand::From18To29, Lang::En) => "18–29 years",
            (AgeBand::From30, Lang::Da) => "30+ år",
            (AgeBand::From30, Lang::En) => "30+ years",
        }
    }
}

/// One layer of a classification scheme: its code (stable, snake_case),
/// its name in both languages, the area that handles its citizens, and,
/// for a sub-category (seed 003: a citizen type's "underkategorier":
/// economy, children, substance abuse), the top-level layer it belongs
/// under; and how many cross-disciplinary meetings a year its citizens
/// are to have (issue 16: "the rhythm set per target group"). JSON:
/// `{"code", "label": {"da", "en"}, "area", "parent",
/// "meetings_per_year"}`; `parent` is absent for a top-level layer,
/// `meetings_per_year` when not set (a sub-category then follows its
/// layer, a layer [`crate::meeting::MEETINGS_PER_YEAR`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layer {
    pub code: String,
    pub label: Localized,
    pub area: Option<AreaKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// 0 (no meetings expected) to [`MAX_MEETINGS_PER_YEAR`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meetings_per_year: Option<u8>,
}

/// The most cross-disciplinary meetings a year a layer may ask for: one a
/// month.
pub const MAX_MEETINGS_PER_YEAR: u8 = 12;

/// The municipality's classification scheme: the layers a citizen can be
/// put in. An administrator may define another ([`Scheme::check`]); the
/// default is seed 000's three ([`Scheme::seed_000`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    pub layers: Vec<Layer>,
}

impl Scheme {
    /// Seed 000's layers: moved to the employment area alone; a joint plan
    /// across employment and social; staying in the social area.
    pub fn seed_000() -> Scheme {
        let layer = |code: &str, da: &str, en: &str, area| Layer {
            code: code.to_owned(),
            label: Localized::new(da, en),
            area: Some(area),
            parent: None,
            meetings_per_year: None,
        };
        Scheme {
            layers: vec![
                layer(
                    "employment",
                    "Overflyttes til beskæftigelsesområdet",
                    "Moved to the employment area",
                    AreaKind::Employment,
                ),
                layer("joint_plan", "Fælles plan", "Joint plan", AreaKind::Employment),
                layer("social", "Forbliver på socialområdet", "Stays in the social area", AreaKind::Social),
            ],
        }
    }

    /// The layer with `code`, if the scheme has it.
    pub fn layer(&self, code: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.code == code)
    }

    /// The columns a citizen in layer `code` counts in: the layer's own
    /// position and, for a sub-category, its parent's; empty for a code
    /// the scheme lacks (not assessed).
    pub fn columns_of(&self, code: &str) -> Vec<usize> {
        let Some(own) = self.layers.iter().position(|l| l.code == code) else { return Vec::new() };
        let parent = self.layers[own].parent.as_ref().and_then(|p| self.layers.iter().position(|l| &l.code == p));
        std::iter::once(own).chain(parent).collect()
    }

    /// Whether the layer at `column` is top-level (what a total adds up).
    pub fn is_top_level(&self, column: usize) -> bool {
        self.layers.get(column).is_some_and(|l| l.parent.is_none())
    }

    /// The refusal of a layer this scheme lacks, listing its layers by
    /// code and full name in each language: "employment (Beskæftigelses-
    /// området alene), …".
    pub fn unknown_layer(&self) -> Problem {
        let list = |lang: Lang| {
            self.layers
                .iter()
                .map(|l| format!("{} ({})", l.code, self.full_label(l, lang)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Problem::UnknownLayer { da: list(Lang::Da), en: list(Lang::En) }
    }

    /// The layer's name as lists and selects show it: "Type 2 › Misbrug"
    /// for a sub-category, its own name otherwise.
    pub fn full_label(&self, layer: &Layer, lang: Lang) -> String {
        match layer.parent.as_ref().and_then(|p| self.layer(p)) {
            Some(parent) => format!("{} › {}", parent.label.get(lang), layer.label.get(lang)),
            None => layer.label.get(lang).to_owned(),
        }
    }

    /// Checks a scheme an administrator wrote, against the classifications
    /// that exist (`in_use`: the layers of the scheme in force that
    /// classified citizens hold).
    ///
    /// Errors, each at its field: `layers` `required` for none;
    /// `layers[i].code` `required`, `too_long` (40), `invalid_characters`
    /// (only `a-z`, `0-9`, `_`), `taken` (twice); `layers[i].label`
    /// `required` (both languages); `layers[i].parent` `not_found` (not in
    /// the scheme), `not_top_level` (itself, or a sub-category: one level
    /// only); `layers[i].meetings_per_year` `out_of_range` (0 to
    /// [`MAX_MEETINGS_PER_YEAR`]); `layers` `layer_in_use` (naming the layer as it was named)
    /// for a layer classified citizens hold and the scheme drops (it would
    /// orphan them).
    pub fn check(&self, in_use: &[&Layer]) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        if self.layers.is_empty() {
            errors.push(ValidationError::new("layers", Problem::Required));
        }
        for (i, layer) in self.layers.iter().enumerate() {
            let field = |name: &str| format!("layers[{i}].{name}");
            let code = layer.code.as_str();
            if code.is_empty() {
                errors.push(ValidationError::new(field("code"), Problem::Required));
            } else if code.chars().count() > 40 {
                errors.push(ValidationError::new(field("code"), Problem::TooLong { max: 40 }));
            } else if !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                errors.push(ValidationError::new(field("code"), Problem::InvalidCharacters));
            } else if self.layers[..i].iter().any(|l| l.code == code) {
                errors.push(ValidationError::new(field("code"), Problem::Taken));
            }
            if layer.label.da.trim().is_empty() || layer.label.en.trim().is_empty() {
                errors.push(ValidationError::new(field("label"), Problem::Required));
            } else {
                // Two columns of one name in every table would say nothing
                // (a name is the same when it differs only in case and
                // spaces). Sub-categories of different parents may share one:
                // they are shown as "Parent › Name".
                let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
                let named_before = self.layers[..i].iter().any(|l| {
                    l.parent == layer.parent
                        && (same(&l.label.da, &layer.label.da) || same(&l.label.en, &layer.label.en))
                });
                if named_before {
                    errors.push(ValidationError::new(field("label"), Problem::Taken));
                }
            }
            if let Some(parent) = &layer.parent {
                match self.layer(parent) {
                    None => errors.push(ValidationError::new(field("parent"), Problem::NotFound)),
                    Some(p) if p.code == layer.code || p.parent.is_some() => {
                        errors.push(ValidationError::new(field("parent"), Problem::NotTopLevel))
                    }
                    Some(_) => {}
                }
            }
        }
        for (i, layer) in self.layers.iter().enumerate() {
            if layer.meetings_per_year.is_some_and(|n| n > MAX_MEETINGS_PER_YEAR) {
                let max = MAX_MEETINGS_PER_YEAR.into();
                errors.push(ValidationError::new(
                    format!("layers[{i}].meetings_per_year"),
                    Problem::OutOfRange { min: 0, max },
                ));
            }
        }
        for layer in in_use {
            if self.layer(&layer.code).is_none() {
                let (da, en) = (layer.label.da.to_string(), layer.label.en.to_string());
                errors.push(ValidationError::new("layers", Problem::LayerInUse { da, en }));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// A person's classification of a citizen into a layer, valid from a date
/// until the citizen's next one. JSON: `{"citizen_id", "layer": "joint_plan",
/// "valid_from": "2026-09-30", "by": uuid}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    pub citizen_id: CitizenId,
    pub layer: String,
    pub valid_from: Date,
    pub by: UserId,
}

impl Classification {
    /// Checks a new classification made `today` (Europe/Copenhagen) for a
    /// citizen born `birth`, against `scheme`.
    ///
    /// Errors: `valid_from` `in_future` after `today`, `before_birth`
    /// before the citizen's first possible day; `layer` `unknown_value`
    /// for a layer the scheme does not have.
    pub fn check(&self, birth: Option<Birth>, today: Date, scheme: &Scheme) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        if self.valid_from > today {
            errors.push(ValidationError::new("valid_from", Problem::InFuture));
        } else if birth.is_some_and(|b| self.valid_from < b.first_day()) {
            errors.push(ValidationError::new("valid_from", Problem::BeforeBirth));
        }
        if scheme.layer(&self.layer).is_none() {
            errors.push(ValidationError::new("layer", scheme.unknown_layer()));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// Each citizen's layer on `on`: the latest of their classifications valid
/// from `on` or earlier. A citizen with none yet is not in the map (not
/// assessed).
pub fn layers_on(classifications: &[Classification], on: Date) -> BTreeMap<CitizenId, &str> {
    let mut latest: BTreeMap<CitizenId, &Classification> = BTreeMap::new();
    for c in classifications.iter().filter(|c| c.valid_from <= on) {
        match latest.get(&c.citizen_id) {
            Some(seen) if seen.valid_from > c.valid_from => {}
            _ => {
                latest.insert(c.citizen_id, c);
            }
        }
    }
    latest.into_iter().map(|(id, c)| (id, c.layer.as_str())).collect()
}

/// What the table needs of a citizen with an open case on the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewed {
    pub id: CitizenId,
    pub birth: Birth,
    pub benefit: BenefitType,
}

/// The date a figures page asks about (`?on=` of `GET /api/figures/layers`
/// and its CSV; the page's date field), as typed or as the address holds
/// it: `2026-09-30`, `30.09.2026`, `30-9-2026`, `30/09/2026`.
///
/// Errors, at field `on`: `required` (empty), `date_expected` (no date:
/// `abc`, `31.02.2026`, `2026-02-31`), `in_future` (after
/// `today`: the figures count what has happened, and a later date would
/// show today's cases as if they ran on; issue 14's walk).
pub fn figures_date(text: &str, today: Date) -> Result<Date, ValidationError> {
    let text = text.trim();
    let error = |p| ValidationError::new("on", p);
    if text.is_empty() {
        return Err(error(Problem::Required));
    }
    let on = Date::parse_typed(text).map_err(error)?;
    if on > today {
        return Err(error(Problem::InFuture));
    }
    Ok(on)
}

/// Seed 000's table on a date: per age band, the citizens in each layer of
/// the scheme, those not assessed, and the early-retirement pensioners
/// (counted apart, in no layer, as the seed does); totals per row and
/// column; how many counts rest on a birth year only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerTable {
    pub on: Date,
    /// The scheme's layer codes, in its order (the columns).
    pub layers: Vec<String>,
    pub rows: Vec<LayerRow>,
    /// The column totals, as a row.
    pub total: LayerRow,
    /// Citizens whose band rests on a birth year only.
    pub estimated: u32,
}

/// One row of a [`LayerTable`]: an age band (none for the totals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerRow {
    pub band: Option<AgeBand>,
    /// Per layer, in the table's order.
    pub by_layer: Vec<u32>,
    /// Classified in a layer: the sum of `by_layer` ("Målgruppe i alt").
    pub in_layers: u32,
    pub not_assessed: u32,
    /// Early-retirement pensioners ("Førtidspensionister").
    pub early_retirement: u32,
}

impl LayerRow {
    fn empty(band: Option<AgeBand>, layers: usize) -> LayerRow {
        LayerRow { band, by_layer: vec![0; layers], in_layers: 0, not_assessed: 0, early_retirement: 0 }
    }
}

/// One group of citizens with the same facts on a date: what the server's
/// database counts (one row per group, however many citizens), and what
/// [`LayerTable::from_counts`] turns into the table. The age on the date is
/// `on.year - birth_year`, less one before the birthday (`had_birthday`:
/// the birthday's month and day, 1 July for a birth year only, are on or
/// before the date's — which also reaches a 29 February birthday on
/// 1 March in other years, as [`Birth::age_at`] does).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LayerCount {
    pub birth_year: i32,
    pub had_birthday: bool,
    /// The birth date is not known, only the year.
    pub estimated: bool,
    /// On early-retirement pension: counted apart.
    pub early_retirement: bool,
    /// The layer on the date; `None`: not assessed.
    pub layer: Option<String>,
    pub citizens: u32,
}

impl LayerCount {
    /// The age band on `on` (a group born after `on` has none).
    pub fn band(&self, on: Date) -> Option<AgeBand> {
        band_on(self.birth_year, self.had_birthday, on)
    }
}

/// The age band on `on` of someone born in `birth_year` who has had their
/// birthday this year by then (`had_birthday`, as [`LayerCount`] reads
/// it); `None` for a birth after `on`'s year. What every grouped count
/// (citizens, hours, cases) turns into a band with.
pub fn band_on(birth_year: i32, had_birthday: bool, on: Date) -> Option<AgeBand> {
    let years = on.year() - birth_year - i32::from(!had_birthday);
    (birth_year <= on.year()).then(|| AgeBand::of(u32::try_from(years.max(0)).unwrap_or(0)))
}

/// Groups `citizens` (those with an open case on `on`) as the database
/// would ([`LayerCount`]); a citizen not yet born on `on` is left out.
pub fn count_citizens(citizens: &[Reviewed], classifications: &[Classification], on: Date) -> Vec<LayerCount> {
    let of = layers_on(classifications, on);
    let mut groups: BTreeMap<LayerCount, u32> = BTreeMap::new();
    for c in citizens.iter().filter(|c| c.birth.first_day() <= on) {
        let (month, day, estimated) = match c.birth {
            Birth::Date(d) => (d.month(), d.day(), false),
            Birth::Year(_) => (7, 1, true),
        };
        let key = LayerCount {
            birth_year: c.birth.year().get(),
            had_birthday: (month, day) <= (on.month(), on.day()),
            estimated,
            early_retirement: c.benefit == BenefitType::EarlyRetirementPension,
            layer: of.get(&c.id).map(|l| (*l).to_owned()),
            citizens: 0,
        };
        *groups.entry(key).or_default() += 1;
    }
    groups.into_iter().map(|(key, n)| LayerCount { citizens: n, ..key }).collect()
}

impl LayerTable {
    /// Seed 000's table from grouped counts: bands with nobody in them are
    /// left out; early-retirement pensioners go to their own column
    /// whatever their layer (seed 000 counts them apart); a layer the
    /// scheme does not have counts as not assessed; a sub-category's
    /// citizens count in its column and its parent's (the top-level
    /// columns add up to "in the target group").
    pub fn from_counts(counts: &[LayerCount], scheme: &Scheme, on: Date) -> LayerTable {
        let layers: Vec<String> = scheme.layers.iter().map(|l| l.code.clone()).collect();
        let mut rows: BTreeMap<AgeBand, LayerRow> = BTreeMap::new();
        let mut estimated = 0;
        for group in counts {
            let Some(band) = group.band(on) else { continue };
            let n = group.citizens;
            if group.estimated {
                estimated += n;
            }
            let row = rows.entry(band).or_insert_with(|| LayerRow::empty(Some(band), layers.len()));
            if group.early_retirement {
                row.early_retirement += n;
                continue;
            }
            // A sub-category's citizens count in its column and in its
            // parent's; "in the target group" counts them once.
            match group.layer.as_deref().map(|code| scheme.columns_of(code)).filter(|c| !c.is_empty()) {
                Some(columns) => {
                    for i in columns {
                        row.by_layer[i] += n;
                    }
                    row.in_layers += n;
                }
                None => row.not_assessed += n,
            }
        }
        // Oldest first, as seed 000 writes its table (30+ above 18–29).
        let rows: Vec<LayerRow> = rows.into_values().rev().collect();
        let mut total = LayerRow::empty(None, layers.len());
        for row in &rows {
            for (sum, n) in total.by_layer.iter_mut().zip(&row.by_layer) {
                *sum += n;
            }
            total.in_layers += row.in_layers;
            total.not_assessed += row.not_assessed;
            total.early_retirement += row.early_retirement;
        }
        LayerTable { on, layers, rows, total, estimated }
    }

    /// The row of `band`, if anybody is in it.
    pub fn row(&self, band: AgeBand) -> Option<&LayerRow> {
        self.rows.iter().find(|r| r.band == Some(band))
    }
}

/// Counts `citizens` (those with an open case on `on`) by layer × age band
/// on `on`: [`count_citizens`], then [`LayerTable::from_counts`].
pub fn layer_table(citizens: &[Reviewed], classifications: &[Classification], scheme: &Scheme, on: Date) -> LayerTable {
    LayerTable::from_counts(&count_citizens(citizens, classifications, on), scheme, on)
}

/// A citizen's case in an area (issue 14: "cases close"): open from
/// `opened_on`, counted up to and including `closed_on`. A closed case
/// leaves the counts and the caseloads from the day after. JSON:
/// `{"citizen_id", "area_id", "opened_on": "2026-01-05", "closed_on": null,
/// "caseworker_id": null}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub citizen_id: CitizenId,
    pub area_id: AreaId,
    pub opened_on: Date,
    pub closed_on: Option<Date>,
    /// The case worker who holds it, if known.
    pub caseworker_id: Option<UserId>,
}

impl Case {
    /// Errors: `closed_on` `before_start_day` before `opened_on`; `opened_on`
    /// `in_future` after `today`.
    pub fn check(&self, today: Date) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        if self.opened_on > today {
            errors.push(ValidationError::new("opened_on", Problem::InFuture));
        }
        if self.closed_on.is_some_and(|c| c < self.opened_on) {
            errors.push(ValidationError::new("closed_on", Problem::BeforeStartDay));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// Whose figures (issue 14, "who sees what"): the whole municipality (an
/// administrator), one area (its area head, an administrator) or one team
/// (its lead, an administrator). JSON: `{"kind": "municipality"}`,
/// `{"kind": "area", "id": uuid}`, `{"kind": "team", "id": uuid}`; as a
/// query: `area=<id>`, `team=<id>` or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum FigureScope {
    Municipality,
    Area(AreaId),
    Team(TeamId),
}

impl FigureScope {
    /// A short key naming the scope (a form's select value):
    /// `"municipality"`, `"area:<id>"`, `"team:<id>"`.
    pub fn key(self) -> String {
        match self {
            FigureScope::Municipality => "municipality".to_owned(),
            FigureScope::Area(id) => format!("area:{id}"),
            FigureScope::Team(id) => format!("team:{id}"),
        }
    }

    /// The scope a [`FigureScope::key`] names; `None` for anything else.
    pub fn from_key(key: &str) -> Option<FigureScope> {
        match key.split_once(':') {
            Some(("area", id)) => id.parse().ok().map(FigureScope::Area),
            Some(("team", id)) => id.parse().ok().map(FigureScope::Team),
            _ if key == "municipality" => Some(FigureScope::Municipality),
            _ => None,
        }
    }

    /// The query string's part: `"area=<id>"`, `"team=<id>"` or `""`.
    pub fn query(self) -> String {
        match self {
            FigureScope::Municipality => String::new(),
            FigureScope::Area(id) => format!("area={id}"),
            FigureScope::Team(id) => format!("team={id}"),
        }
    }
}

/// A scope the asker may choose, with its name ("Socialområdet",
/// "Bostøtteteamet", "Hele kommunen").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeChoice {
    pub scope: FigureScope,
    pub name: String,
}

/// `GET /api/figures/layers?on=2026-09-30[&area=<id>|&team=<id>]`: seed
/// 000's table for the scope on the date (default: the asker's first
/// scope, today), the scheme's layers for its columns, and the scopes the
/// asker may choose. Counts only: no citizen is named, nothing is
/// access-logged. JSON: `{"scope", "scope_name", "scheme", "table",
/// "scopes"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerTableResponse {
    pub scope: FigureScope,
    pub scope_name: String,
    pub scheme: Scheme,
    pub table: LayerTable,
    pub scopes: Vec<ScopeChoice>,
}

/// How urgent a reviewed citizen's case is (seed 000's review
/// "prioritised" them). JSON and [`Priority::code`]: `"high"`, `"normal"`,
/// `"low"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    High,
    Normal,
    Low,
}

crate::codes::wire_codes!(Priority {
    High => "high",
    Normal => "normal",
    Low => "low",
});

impl Priority {
    /// "Høj" / "High", "Normal", "Lav" / "Low".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Priority::High, Lang::Da) => "Høj",
            (Priority::High, Lang::En) => "High",
            (Priority::Normal, _) => "Normal",
            (Priority::Low, Lang::Da) => "Lav",
            (Priority::Low, Lang::En) => "Low",
        }
    }
}

/// `POST /api/reviews`: a named review of the citizens in `scope` on
/// `review_date` (an area: open cases there; a team: assigned to its
/// members), or only those whose case ids `case_ids` lists (an import from
/// the case system). JSON: `{"name": "Sagsgennemgang 30.9.2026",
/// "review_date": "2026-09-30", "scope": {"kind": "area", "id": uuid},
/// "case_ids": []}`.
///
/// Errors: `name` (an [`OrgName`]: required, ≤ 100); `review_date`
/// `in_future`; `scope` `outside_scope`; `case_ids[i]` `not_found` for a
/// case id no citizen in the scope has; `citizens` `required` when nobody
/// is listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewInput {
    pub name: OrgName,
    pub review_date: Date,
    pub scope: FigureScope,
    #[serde(default)]
    pub case_ids: Vec<ExternalId>,
}

/// A review as its list shows it: `reviewed` of `total` classified ("312 af
/// 1 000 gennemgået"). JSON: `{"id", "name", "review_date", "scope",
/// "scope_name", "total", "reviewed", "created_by"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSummary {
    pub id: ReviewId,
    pub name: OrgName,
    pub review_date: Date,
    pub scope: FigureScope,
    pub scope_name: String,
    pub total: u32,
    pub reviewed: u32,
    /// Who made it, by name.
    pub created_by: String,
}

/// One citizen of a review: their age and band on the review date (never
/// the birth date), the layer they were in before, and what the review
/// made of them. JSON: `{"citizen_id", "name", "age", "band", "estimated",
/// "layer_before", "layer", "priority", "note", "reviewed_by"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub citizen_id: CitizenId,
    pub name: String,
    pub age: Option<u32>,
    pub band: Option<AgeBand>,
    /// The age rests on a birth year only.
    pub estimated: bool,
    /// On early-retirement pension (counted apart in the table).
    pub early_retirement: bool,
    /// The layer before the review date, if any.
    pub layer_before: Option<String>,
    /// The layer this review gave (from the review date); `None` until
    /// reviewed.
    pub layer: Option<String>,
    pub priority: Option<Priority>,
    pub note: Note,
    /// Who reviewed, by name; `None` until reviewed.
    pub reviewed_by: Option<String>,
}

/// `GET /api/reviews/{id}`: the review, the scheme's layers and its
/// citizens by name. Names citizens: access-logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDetail {
    pub review: ReviewSummary,
    pub scheme: Scheme,
    pub items: Vec<ReviewItem>,
}

/// `PUT /api/reviews/{id}/items/{citizen}`: the citizen's classification
/// as of the review date, its priority and a note; answered with the
/// review's [`ReviewSummary`] (its progress). JSON: `{"layer":
/// "joint_plan", "priority": "high", "note": "..."}`.
///
/// Errors: `layer` `unknown_value` (not in the scheme); `citizen_id`
/// `outside_scope` (no longer in the reviewer's areas or teams) or
/// `not_found` (not in the review); `valid_from` `before_birth` (the
/// review date before the citizen's birth); `note` as a [`Note`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItemInput {
    pub layer: String,
    pub priority: Priority,
    #[serde(default = "Note::empty")]
    pub note: Note,
}

/// A young citizen who turns 18 within the next 12 months (seed 004: the
/// transition from the children-and-youth area to the adults'), with the
/// children-and-youth grants they hold then. JSON: `{"citizen_id", "name",
/// "age", "turns_18", "estimated", "grants": [{"grant_id", "service",
/// "valid_to"}]}`; `turns_18` is the month (`"2027-03"`), not the birth date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurningEighteen {
    pub citizen_id: CitizenId,
    pub name: String,
    pub age: u32,
    pub turns_18: crate::time::Month,
    /// The month rests on a birth year only.
    pub estimated: bool,
    pub grants: Vec<EndingGrant>,
}

/// A children-and-youth grant of a young citizen: it ends on `valid_to`,
/// or never (to be decided before the 18th birthday).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndingGrant {
    pub grant_id: GrantId,
    pub service: crate::grant::Service,
    pub valid_to: Option<Date>,
}

/// The citizens of `citizens` (id, name, birth) who turn 18 after `on` and
/// at the latest a year after it, soonest first, each with their grants
/// paid by a children-and-youth area (`youth_areas`) that run on `on` or
/// later.
pub fn turning_18(
    citizens: &[(CitizenId, String, Birth)],
    grants: &[crate::grant::Grant],
    youth_areas: &[AreaId],
    on: Date,
) -> Vec<TurningEighteen> {
    let until = on.add_months(12);
    let mut found: Vec<(Date, TurningEighteen)> = citizens
        .iter()
        .filter_map(|(id, name, birth)| {
            let day = birth.birthday(18);
            if day <= on || day > until {
                return None;
            }
            let grants = grants
                .iter()
                .filter(|g| g.citizen_id == *id && youth_areas.contains(&g.payer_area_id))
                .filter(|g| g.period.to().is_none_or(|to| to >= on))
                .map(|g| EndingGrant { grant_id: g.id, service: g.service, valid_to: g.period.to() })
                .collect();
            let age = birth.age_at(on)?;
            Some((
                day,
                TurningEighteen {
                    citizen_id: *id,
                    name: name.clone(),
                    age: age.years,
                    turns_18: <crate::time::Month as crate::time::Period>::containing(day),
                    estimated: age.estimated,
                    grants,
                },
            ))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.name.cmp(&b.1.name)));
    found.into_iter().map(|(_, t)| t).collect()
}

/// What a waiting citizen waits for (seed 000: "no bottlenecks").
/// JSON: `"worker"` (a grant runs but nobody is assigned), `"first_visit"`
/// (assigned, but no visit since the grant began).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitingFor {
    Worker,
    FirstVisit,
}

/// A citizen waiting on the date, since `since` (the grant's start, or the
/// assignment's when it came later), `days` days. JSON: `{"citizen_id",
/// "name", "waiting_for", "since", "days"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub citizen_id: CitizenId,
    pub name: String,
    pub waiting_for: WaitingFor,
    pub since: Date,
    pub days: u32,
}

/// The citizens of `citizens` (id, name) with a grant running on `on` who
/// wait: nobody assigned on `on`, or assigned but no visit on or after the
/// running grant's start (`last_visits`: each citizen's latest visit day up
/// to `on`).
/// Longest wait first.
pub fn waiting(
    citizens: &[(CitizenId, String)],
    grants: &[crate::grant::Grant],
    assignments: &[crate::assignment::Assignment],
    last_visits: &[(CitizenId, Date)],
    on: Date,
) -> Vec<Waiting> {
    let mut found: Vec<Waiting> = citizens
        .iter()
        .filter_map(|(id, name)| {
            let start = grants
                .iter()
                .filter(|g| g.citizen_id == *id && g.period.contains(on))
                .map(|g| g.period.from())
                .min()?;
            let assigned = assignments
                .iter()
                .filter(|a| a.citizen_id == *id && a.period.contains(on))
                .map(|a| a.period.from())
                .min();
            let visited = last_visits.iter().any(|(c, day)| c == id && *day >= start && *day <= on);
            let (waiting_for, since) = match assigned {
                None => (WaitingFor::Worker, start),
                Some(_) if visited => return None,
                Some(from) => (WaitingFor::FirstVisit, start.max(from)),
            };
            let days = u32::try_from(on.to_days() - since.to_days()).unwrap_or(0);
            Some(Waiting { citizen_id: *id, name: name.clone(), waiting_for, since, days })
        })
        .collect();
    found.sort_by(|a, b| b.days.cmp(&a.days).then(a.name.cmp(&b.name)));
    found
}

/// A double grant as the lead's list shows it: the citizen by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoubleGrantLine {
    pub name: String,
    #[serde(flatten)]
    pub grants: crate::grant::DoubleGrant,
}

/// `GET /api/figures/lists?[area=|team=|scope=municipality]`: the lists a
/// lead acts on, for the citizens of a scope today: who turns 18 within 12
/// months (with their children-and-youth grants), seed 003's double
/// grants, and who waits for a worker or a first visit. Names citizens:
/// access-logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListsResponse {
    pub scope: FigureScope,
    pub scope_name: String,
    pub on: Date,
    pub turning_18: Vec<TurningEighteen>,
    pub double_grants: Vec<DoubleGrantLine>,
    /// Waiting for a worker or a first visit, longest first.
    pub waiting: Vec<Waiting>,
    /// Seeds 003 and 004: citizens two areas or more serve or pay today,
    /// by name. (Absent in copies kept before it was added.)
    #[serde(default)]
    pub shared_group: Vec<SharedGroupLine>,
    /// Seed 000: how many support persons each citizen had in 12 months.
    #[serde(default)]
    pub continuity: Continuity,
    pub scopes: Vec<ScopeChoice>,
}

/// A citizen of the shared group with the areas that serve or pay them
/// (by name). JSON: `{"citizen_id", "name", "areas": ["Beskæftigelse", …]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedGroupLine {
    pub citizen_id: CitizenId,
    pub name: String,
    pub areas: Vec<String>,
}

/// Continuity (seed 000: fewer hand-overs): the scope's citizens by how
/// many different support persons they had from `from` to the list's date
/// (assigned on a day of it, or logging a visit), `by_persons` for 1, 2,
/// 3 and 4 or more; and those with [`Continuity::MANY`] or more by name,
/// most first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Continuity {
    pub from: Option<Date>,
    pub by_persons: [u32; 4],
    pub many: Vec<ContinuityLine>,
}

/// A citizen and the number of support persons they had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContinuityLine {
    pub citizen_id: CitizenId,
    pub name: String,
    pub persons: u32,
}

impl Continuity {
    /// Three persons or more in a year is a line of its own.
    pub const MANY: u32 = 3;

    /// From each citizen's number of persons (`named`: id, name, persons;
    /// those with none are left out by the caller).
    pub fn of(named: Vec<ContinuityLine>, from: Date) -> Continuity {
        let mut by_persons = [0; 4];
        for line in &named {
            if line.persons > 0 {
                by_persons[(line.persons.min(4) - 1) as usize] += 1;
            }
        }
        let mut many: Vec<ContinuityLine> = named.into_iter().filter(|l| l.persons >= Self::MANY).collect();
        many.sort_by(|a, b| b.persons.cmp(&a.persons).then(a.name.cmp(&b.name)));
        Continuity { from: Some(from), by_persons, many }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn born(s: &str) -> Birth {
        Birth::Date(d(s))
    }

    #[test]
    fn a_figures_date_is_whole_real_and_not_after_today() {
        let today = d("2026-11-30");
        assert_eq!(figures_date("2026-09-30", today), Ok(d("2026-09-30")));
        assert_eq!(figures_date(" 30.9.2026 ", today), Ok(d("2026-09-30")));
        assert_eq!(figures_date("30/11/2026", today), Ok(today));
        let problem = |text: &str| figures_date(text, today).map_err(|e| (e.field.clone(), e.problem));
        assert_eq!(problem(""), Err(("on".into(), Problem::Required)));
        assert_eq!(problem("   "), Err(("on".into(), Problem::Required)));
        assert_eq!(problem("abc"), Err(("on".into(), Problem::DateExpected)));
        assert_eq!(problem("2026-02-31"), Err(("on".into(), Problem::DateExpected)));
        assert_eq!(problem("31.02.2026"), Err(("on".into(), Problem::DateExpected)));
        assert!(problem("00.01.2026").is_err());
        assert_eq!(problem("01.12.2026"), Err(("on".into(), Problem::InFuture)));
        assert_eq!(problem("2030-01-01"), Err(("on".into(), Problem::InFuture)));
        assert_eq!(problem("30.11.26"), Err(("on".into(), Problem::DateExpected)));
        let said = figures_date("2026-02-31", today).expect_err("no such day").message();
        assert_eq!(said.da, "Dato: skal være en dato, der findes, skrevet som 28.02.2026");
    }

    #[test]
    fn the_age_band_turns_on_the_birthday() {
        let b = born("2008-11-30");
        assert_eq!(b.age_at(d("2026-11-29")), Some(Age { years: 17, estimated: false }));
        assert_eq!(b.age_at(d("2026-11-30")), Some(Age { years: 18, estimated: false }));
        assert_eq!(b.band_at(d("2026-11-29")), Some((AgeBand::From15To17, false)));
        assert_eq!(b.band_at(d("2026-11-30")), Some((AgeBand::From18To29, false)));
        let b = born("1996-03-15");
        assert_eq!(b.band_at(d("2026-03-14")), Some((AgeBand::From18To29, false)));
        assert_eq!(b.band_at(d("2026-03-15")), Some((AgeBand::From30, false)));
        assert_eq!(born("2012-01-01").band_at(d("2026-12-31")), Some((AgeBand::Under15, false)));
        assert_eq!(born("2011-01-01").band_at(d("2026-01-01")), Some((AgeBand::From15To17, false)));
        assert_eq!(born("2026-12-01").age_at(d("2026-11-30")), None, "not born yet");
        assert_eq!(born("2026-11-30").age_at(d("2026-11-30")), Some(Age { years: 0, estimated: false }));
    }

    #[test]
    fn a_leap_day_birthday_is_reached_on_the_first_of_march_in_other_years() {
        let b = born("2008-02-29");
        assert_eq!(b.age_at(d("2026-02-28")).map(|a| a.years), Some(17));
        assert_eq!(b.age_at(d("2026-03-01")).map(|a| a.years), Some(18));
        assert_eq!(b.age_at(d("2028-02-28")).map(|a| a.years), Some(19));
        assert_eq!(b.age_at(d("2028-02-29")).map(|a| a.years), Some(20), "a leap year has the day itself");
    }

    #[test]
    fn a_birth_year_only_gives_an_estimated_age_from_the_first_of_july() {
        let b = Birth::Year(BirthYear::try_from(2008).expect("year"));
        assert_eq!(b.age_at(d("2026-06-30")), Some(Age { years: 17, estimated: true }));
        assert_eq!(b.age_at(d("2026-07-01")), Some(Age { years: 18, estimated: true }));
        assert_eq!(b.age_at(d("2008-03-01")), Some(Age { years: 0, estimated: true }), "born that year");
        assert_eq!(b.age_at(d("2007-12-31")), None);
    }

    #[test]
    fn a_birth_is_typed_as_a_year_or_a_date() {
        let today = d("2026-11-30");
        let read = |t: &str| Birth::parse(t, today).map_err(|e| (e.field.to_string(), e.code()));
        assert_eq!(read("1988"), Ok(Birth::Year(BirthYear::try_from(1988).expect("year"))));
        for text in ["12.03.1988", "12-3-1988", "12/03/1988", "1988-03-12", " 12.3.1988 "] {
            assert_eq!(read(text), Ok(born("1988-03-12")), "{text}");
        }
        let refused = |t: &str| read(t).expect_err(t).1;
        assert_eq!(refused(""), "required");
        for text in ["nitten", "12.03.88", "31.02.1988", "29.02.1987", "1988-02-30", "0.1.1988", "19888"] {
            assert_eq!(refused(text), "birth_expected", "{text}");
        }
        assert_eq!(refused("1850"), "out_of_range");
        assert_eq!(refused("01.12.2026"), "in_future");
        assert_eq!(refused("2027"), "in_future");
        assert_eq!(read("2026"), Ok(Birth::Year(BirthYear::try_from(2026).expect("year"))));
        assert_eq!(born("1988-03-12").format(Lang::Da), "12.03.1988");
        assert_eq!(Birth::Year(BirthYear::try_from(1988).expect("year")).format(Lang::En), "1988");
    }

    #[test]
    fn a_scope_round_trips_through_its_key() {
        let area = AreaId::from_uuid(uuid::Uuid::from_u128(2));
        let team = TeamId::from_uuid(uuid::Uuid::from_u128(3));
        for scope in [FigureScope::Municipality, FigureScope::Area(area), FigureScope::Team(team)] {
            assert_eq!(FigureScope::from_key(&scope.key()), Some(scope));
        }
        assert_eq!(FigureScope::from_key("area:nope"), None);
        assert_eq!(FigureScope::from_key(""), None);
        let json = serde_json::to_string(&FigureScope::Area(area)).expect("json");
        assert_eq!(json, format!(r#"{{"kind":"area","id":"{area}"}}"#));
    }

    #[test]
    fn the_18th_birthday_is_the_day_the_age_turns() {
        for b in [
            born("2008-02-29"),
            born("2008-11-30"),
            born("2009-01-01"),
            Birth::Year(BirthYear::try_from(2008).expect("y")),
        ] {
            let day = b.birthday(18);
            assert_eq!(b.age_at(day).map(|a| a.years), Some(18), "{b:?}");
            assert_eq!(b.age_at(day.add_days(-1)).map(|a| a.years), Some(17), "{b:?}");
        }
        assert_eq!(born("2008-02-29").birthday(18), d("2026-03-01"));
        assert_eq!(born("2008-02-29").birthday(20), d("2028-02-29"));
    }

    /// Seed 004: the young who turn 18 within 12 months, soonest first,
    /// with the children-and-youth grants that run then.
    #[test]
    fn the_young_who_turn_18_within_a_year_with_their_youth_grants() {
        use crate::grant::{Allowance, AllowanceUnit, Grant, Service};
        use crate::text::LegalBasis;
        use crate::time::DateRange;
        let youth = AreaId::from_uuid(uuid::Uuid::from_u128(70));
        let adults = AreaId::from_uuid(uuid::Uuid::from_u128(71));
        let id = |n: u128| CitizenId::from_uuid(uuid::Uuid::from_u128(n));
        let citizens = vec![
            (id(1), "Ida".to_owned(), born("2008-12-01")),
            (id(2), "Bo".to_owned(), born("2009-11-30")),
            (id(3), "Al".to_owned(), born("2008-11-30")),
            (id(4), "Eva".to_owned(), born("2009-12-01")),
            (id(5), "Ole".to_owned(), Birth::Year(BirthYear::try_from(2009).expect("y"))),
        ];
        let grant = |n: u128, citizen: u128, area: AreaId, to: Option<&str>| Grant {
            id: GrantId::from_uuid(uuid::Uuid::from_u128(n)),
            citizen_id: id(citizen),
            service: Service::ContactPerson,
            legal_basis: LegalBasis::try_from("Barnets lov § 32").expect("basis"),
            allowance: Allowance::new(crate::Minutes::hours(2), AllowanceUnit::Week).expect("allowance"),
            period: DateRange::new(d("2026-01-01"), to.map(d)).expect("range"),
            payer_area_id: area,
            offer_id: None,
        };
        let grants = [
            grant(10, 1, youth, Some("2026-12-01")),
            grant(11, 1, adults, None),
            grant(12, 2, youth, None),
            grant(13, 2, youth, Some("2026-11-29")),
        ];
        let found = turning_18(&citizens, &grants, &[youth], d("2026-11-30"));
        let names: Vec<&str> = found.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Ida", "Ole", "Bo"], "soonest first; Al is 18 today, Eva in a year and a day");
        assert_eq!(found[0].grants.iter().map(|g| g.grant_id).collect::<Vec<_>>(), [grants[0].id]);
        assert_eq!(found[0].turns_18.to_string(), "2026-12");
        assert!(found[1].estimated);
        assert_eq!(found[2].grants.len(), 1, "a grant that ended before the date is left out");
        assert_eq!(found[2].grants[0].valid_to, None, "no end: to be decided");
    }

    /// Seed 000's "no bottlenecks": a grant with nobody assigned waits for
    /// a worker from the grant's start; assigned without a visit since,
    /// for a first visit from the later of the two; a visit ends the wait.
    #[test]
    fn who_waits_for_a_worker_or_a_first_visit() {
        use crate::assignment::Assignment;
        use crate::grant::{Allowance, AllowanceUnit, Grant, Service};
        use crate::text::LegalBasis;
        use crate::time::DateRange;
        let id = |n: u128| CitizenId::from_uuid(uuid::Uuid::from_u128(n));
        let grant = |n: u128, citizen: u128, from: &str| Grant {
            id: GrantId::from_uuid(uuid::Uuid::from_u128(n)),
            citizen_id: id(citizen),
            service: Service::HousingSupport,
            legal_basis: LegalBasis::try_from("SEL § 85").expect("basis"),
            allowance: Allowance::new(crate::Minutes::hours(2), AllowanceUnit::Week).expect("allowance"),
            period: DateRange::new(d(from), None).expect("range"),
            payer_area_id: AreaId::from_uuid(uuid::Uuid::from_u128(50)),
            offer_id: None,
        };
        let assigned = |n: u128, citizen: u128, from: &str| Assignment {
            id: crate::AssignmentId::from_uuid(uuid::Uuid::from_u128(n)),
            citizen_id: id(citizen),
            user_id: UserId::from_uuid(uuid::Uuid::from_u128(99)),
            period: DateRange::new(d(from), None).expect("range"),
            handover: None,
            user_name: None,
        };
        let citizens: Vec<(CitizenId, String)> =
            [(1, "Ann"), (2, "Bo"), (3, "Cy"), (4, "Di")].iter().map(|(n, s)| (id(*n), (*s).to_owned())).collect();
        let grants = [grant(10, 1, "2026-10-01"), grant(11, 2, "2026-11-01"), grant(12, 3, "2026-11-01")];
        let assignments = [assigned(20, 2, "2026-11-10"), assigned(21, 3, "2026-11-02")];
        let visits = [(id(3), d("2026-11-05")), (id(2), d("2026-10-20"))];
        let found = waiting(&citizens, &grants, &assignments, &visits, d("2026-11-30"));
        let seen: Vec<(&str, WaitingFor, u32)> =
            found.iter().map(|w| (w.name.as_str(), w.waiting_for, w.days)).collect();
        assert_eq!(
            seen,
            [("Ann", WaitingFor::Worker, 60), ("Bo", WaitingFor::FirstVisit, 20)],
            "Cy was visited; Di has no grant; Bo's visit came before the grant"
        );
    }

    #[test]
    fn the_wire_shapes() {
        let birth: Birth = serde_json::from_str(r#"{"date":"2008-02-29"}"#).expect("date");
        assert_eq!(birth, born("2008-02-29"));
        let birth: Birth = serde_json::from_str(r#"{"year":1988}"#).expect("year");
        assert_eq!(birth, Birth::Year(BirthYear::try_from(1988).expect("year")));
        assert_eq!(serde_json::to_string(&AgeBand::From30).expect("json"), r#""30_plus""#);
        for band in AgeBand::ALL {
            assert_eq!(serde_json::to_string(&band).expect("json"), format!("\"{}\"", band.code()));
        }
    }

    fn citizen(n: u128, birth: &str, benefit: BenefitType) -> Reviewed {
        Reviewed { id: CitizenId::from_uuid(uuid::Uuid::from_u128(n)), birth: born(birth), benefit }
    }

    fn classify(n: u128, layer: &str, from: &str) -> Classification {
        Classification {
            citizen_id: CitizenId::from_uuid(uuid::Uuid::from_u128(n)),
            layer: layer.to_owned(),
            valid_from: d(from),
            by: UserId::from_uuid(uuid::Uuid::from_u128(99)),
        }
    }

    #[test]
    fn the_table_on_a_date_before_and_after_a_reclassification() {
        let scheme = Scheme::seed_000();
        let citizens = [
            citizen(1, "1980-05-01", BenefitType::CashBenefit),
            citizen(2, "2000-05-01", BenefitType::CashBenefit),
            citizen(3, "2000-06-01", BenefitType::EarlyRetirementPension),
            citizen(4, "2009-01-15", BenefitType::Other),
            citizen(5, "1970-01-01", BenefitType::SicknessBenefit),
        ];
        let classifications = [
            classify(1, "joint_plan", "2026-09-30"),
            classify(1, "employment", "2026-11-01"),
            classify(2, "social", "2026-09-30"),
            classify(3, "social", "2026-09-30"),
            classify(4, "joint_plan", "2026-09-30"),
        ];
        let before = layer_table(&citizens, &classifications, &scheme, d("2026-10-15"));
        assert_eq!(before.layers, ["employment", "joint_plan", "social"]);
        let bands: Vec<_> = before.rows.iter().map(|r| r.band).collect();
        assert_eq!(bands, [Some(AgeBand::From30), Some(AgeBand::From18To29), Some(AgeBand::From15To17)]);
        let adults = &before.rows[0];
        assert_eq!((adults.by_layer.clone(), adults.in_layers, adults.not_assessed), (vec![0, 1, 0], 1, 1));
        assert_eq!(before.rows[1].early_retirement, 1, "a pensioner is counted apart, not in a layer");
        assert_eq!(before.rows[1].by_layer, [0, 0, 1]);
        assert_eq!(before.rows[2].by_layer, [0, 1, 0], "a 17-year-old is in a layer too");
        assert_eq!(before.total.by_layer, [0, 2, 1]);
        assert_eq!((before.total.in_layers, before.total.not_assessed, before.total.early_retirement), (3, 1, 1));
        let after = layer_table(&citizens, &classifications, &scheme, d("2026-11-01"));
        assert_eq!(after.rows[0].by_layer, [1, 0, 0], "the re-classification holds from its date");
        let early = layer_table(&citizens, &classifications, &scheme, d("2026-09-29"));
        assert_eq!(early.total.in_layers, 0);
        assert_eq!(early.total.not_assessed, 4);
        // Turning 18 moves a citizen from one band to the next.
        let later = layer_table(&citizens, &classifications, &scheme, d("2027-01-15"));
        assert!(later.rows.iter().all(|r| r.band != Some(AgeBand::From15To17)));
        assert_eq!(later.rows[1].by_layer, [0, 1, 1]);
    }

    /// The grouped facts the database counts give every citizen the band
    /// `Birth::band_at` gives: across birthdays, leap days and year-only
    /// births, on every day of four years.
    #[test]
    fn a_counted_group_has_the_band_of_its_citizens() {
        let births = [
            born("2008-02-29"),
            born("2008-11-30"),
            born("1996-03-15"),
            born("1996-07-01"),
            born("2011-12-31"),
            born("2012-01-01"),
            Birth::Year(BirthYear::try_from(2008).expect("year")),
            Birth::Year(BirthYear::try_from(1996).expect("year")),
        ];
        let citizens: Vec<Reviewed> = births
            .iter()
            .enumerate()
            .map(|(i, b)| Reviewed {
                id: CitizenId::from_uuid(uuid::Uuid::from_u128(i as u128 + 1)),
                birth: *b,
                benefit: BenefitType::Other,
            })
            .collect();
        let mut on = d("2023-01-01");
        while on <= d("2027-12-31") {
            for c in &citizens {
                let groups = count_citizens(std::slice::from_ref(c), &[], on);
                let counted = groups.first().and_then(|g| g.band(on));
                assert_eq!(counted, c.birth.band_at(on).map(|(band, _)| band), "{:?} on {on}", c.birth);
            }
            on = on.add_days(1);
        }
    }

    #[test]
    fn a_classification_is_refused_in_the_future_before_birth_or_outside_the_scheme() {
        let scheme = Scheme::seed_000();
        let today = d("2026-11-30");
        let birth = Some(born("2000-05-01"));
        let codes = |c: Classification| {
            c.check(birth, today, &scheme)
                .map_err(|e| e.iter().map(|e| (e.field.to_string(), e.code())).collect::<Vec<_>>())
        };
        assert_eq!(codes(classify(1, "social", "2026-11-30")), Ok(()));
        assert_eq!(codes(classify(1, "social", "2026-12-01")), Err(vec![("valid_from".to_owned(), "in_future")]));
        assert_eq!(codes(classify(1, "social", "1999-12-31")), Err(vec![("valid_from".to_owned(), "before_birth")]));
        assert_eq!(codes(classify(1, "youth", "2026-11-01")), Err(vec![("layer".to_owned(), "unknown_value")]));
        let message =
            classify(1, "social", "1999-12-31").check(birth, today, &scheme).expect_err("refused")[0].message();
        assert_eq!(message.da, "Gælder fra: må ikke ligge før borgerens fødsel");
    }

    #[test]
    fn a_layer_sets_its_meeting_rhythm_within_a_year_of_months() {
        let mut scheme = Scheme::seed_000();
        scheme.layers[1].meetings_per_year = Some(6);
        scheme.layers[2].meetings_per_year = Some(0);
        assert_eq!(scheme.check(&[]), Ok(()));
        scheme.layers[0].meetings_per_year = Some(13);
        let errors = scheme.check(&[]).expect_err("too many");
        assert_eq!(
            (errors[0].field.to_string(), errors[0].code()),
            ("layers[0].meetings_per_year".to_owned(), "out_of_range")
        );
        assert_eq!(errors[0].message().da, "Tværfaglige møder: skal være mellem 0 og 12");
        // Absent from the JSON when not set; read back as set.
        let json = serde_json::to_value(&scheme.layers[1]).expect("json");
        assert_eq!(json["meetings_per_year"], 6);
        assert!(serde_json::to_value(&Scheme::seed_000().layers[0]).expect("json").get("meetings_per_year").is_none());
    }

    #[test]
    fn a_scheme_change_may_not_orphan_classified_citizens() {
        let mut scheme = Scheme::seed_000();
        let was = Scheme::seed_000();
        let held = |codes: &[&str]| was.layers.iter().filter(|l| codes.contains(&l.code.as_str())).collect::<Vec<_>>();
        assert_eq!(scheme.check(&held(&["social", "joint_plan"])), Ok(()));
        scheme.layers.retain(|l| l.code != "social");
        let errors = scheme.check(&held(&["social"])).expect_err("orphans");
        assert_eq!((errors[0].field.as_ref(), errors[0].code()), ("layers", "layer_in_use"));
        // Named as the administrator knows it, not by its code.
        let name = &was.layer("social").expect("social").label;
        assert!(errors[0].message().da.contains(&format!("«{}»", name.da)), "{}", errors[0].message().da);
        assert!(errors[0].message().en.contains(&format!("«{}»", name.en)), "{}", errors[0].message().en);
        scheme.layers.push(scheme.layers[0].clone());
        scheme.layers.push(Layer {
            code: "Øvrige".into(),
            label: Localized::new("", "Other"),
            area: None,
            parent: None,
            meetings_per_year: None,
        });
        let errors = scheme.check(&[]).expect_err("bad");
        let fields: Vec<_> = errors.iter().map(|e| (e.field.to_string(), e.code())).collect();
        assert_eq!(
            fields,
            [
                ("layers[2].code".to_owned(), "taken"),
                ("layers[2].label".to_owned(), "taken"),
                ("layers[3].code".to_owned(), "invalid_characters"),
                ("layers[3].label".to_owned(), "required")
            ]
        );
        assert_eq!(Scheme { layers: vec![] }.check(&[]).expect_err("empty")[0].code(), "required");
    }

    /// Two layers of one name (in either language, whatever the case and
    /// the spaces around it) would be two columns nobody can tell apart.
    #[test]
    fn a_layer_name_is_used_once() {
        let named = |code: &str, da: &str, en: &str| Layer {
            code: code.to_owned(),
            label: Localized::new(da, en),
            area: None,
            parent: None,
            meetings_per_year: None,
        };
        for (da, en) in [
            ("Fælles plan", "Money"),
            (" fælles PLAN ", "Money"),
            ("Økonomi", "Joint plan"),
            ("Økonomi", "joint plan "),
        ] {
            let mut scheme = Scheme::seed_000();
            scheme.layers.push(named("okonomi", da, en));
            let errors = scheme.check(&[]).expect_err("a name twice");
            let fields: Vec<_> = errors.iter().map(|e| (e.field.to_string(), e.code())).collect();
            assert_eq!(fields, [("layers[3].label".to_owned(), "taken")], "{da} / {en}");
        }
        let mut scheme = Scheme::seed_000();
        scheme.layers.push(named("okonomi", "Økonomi", "Money"));
        assert_eq!(scheme.check(&[]), Ok(()));
        // The same sub-category under two parents: "Fælles plan › Økonomi"
        // and "Forbliver på socialområdet › Økonomi".
        let under =
            |code: &str, da: &str, parent: &str| Layer { parent: Some(parent.to_owned()), ..named(code, da, da) };
        scheme.layers.push(under("joint_money", "Økonomi", "joint_plan"));
        scheme.layers.push(under("social_money", "Økonomi", "social"));
        assert_eq!(scheme.check(&[]), Ok(()));
        scheme.layers.push(under("joint_money_2", "økonomi", "joint_plan"));
        let errors = scheme.check(&[]).expect_err("twice under one parent");
        assert_eq!((errors[0].field.as_ref(), errors[0].code()), ("layers[6].label", "taken"));
    }

    fn sub(code: &str, parent: &str) -> Layer {
        Layer {
            code: code.to_owned(),
            label: Localized::new(code, code),
            area: None,
            parent: Some(parent.to_owned()),
            meetings_per_year: None,
        }
    }

    /// Seed 003: a citizen type's sub-categories (economy, substance
    /// abuse): one level under a top-level layer, counted in their own
    /// column and their parent's, once in the target group.
    #[test]
    fn sub_categories_count_in_their_parent_and_once_in_the_total() {
        let mut scheme = Scheme::seed_000();
        scheme.layers.push(sub("joint_economy", "joint_plan"));
        scheme.layers.push(sub("joint_abuse", "joint_plan"));
        assert_eq!(scheme.check(&[]), Ok(()));
        assert_eq!(scheme.columns_of("joint_economy"), [3, 1]);
        assert_eq!(scheme.columns_of("social"), [2]);
        assert!(scheme.columns_of("gone").is_empty());
        assert_eq!(scheme.full_label(&scheme.layers[3], Lang::Da), "Fælles plan › joint_economy");
        let citizens = [
            citizen(1, "1980-05-01", BenefitType::CashBenefit),
            citizen(2, "1981-05-01", BenefitType::CashBenefit),
            citizen(3, "1982-05-01", BenefitType::CashBenefit),
        ];
        let classifications = [
            classify(1, "joint_plan", "2026-09-30"),
            classify(2, "joint_economy", "2026-09-30"),
            classify(3, "joint_abuse", "2026-09-30"),
        ];
        let t = layer_table(&citizens, &classifications, &scheme, d("2026-10-15"));
        assert_eq!(t.total.by_layer, [0, 3, 0, 1, 1], "the joint plan column holds its sub-categories");
        assert_eq!(t.total.in_layers, 3, "each citizen once");
        // One level only, under a layer the scheme has.
        let mut bad = scheme.clone();
        bad.layers.push(sub("deeper", "joint_economy"));
        bad.layers.push(sub("orphan", "nowhere"));
        bad.layers.push(sub("itself", "itself"));
        let found: Vec<_> =
            bad.check(&[]).expect_err("refused").iter().map(|e| (e.field.to_string(), e.code())).collect();
        assert_eq!(
            found,
            [
                ("layers[5].parent".to_owned(), "not_top_level"),
                ("layers[6].parent".to_owned(), "not_found"),
                ("layers[7].parent".to_owned(), "not_top_level"),
            ]
        );
    }
}
