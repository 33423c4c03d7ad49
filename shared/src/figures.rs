//! The resource picture over time (issue 14, seed 000): the layer counts as
//! a monthly trend with inflow and outflow and the shared group's size;
//! the hours delivered by layer × age band per team and per worker, also
//! as full-time posts (the figure seed 000 moved 5.0 posts by); the cost
//! per payer area from an hourly rate per service; the caseload per case
//! worker. The database groups, this module decides bands, posts and
//! kroner, so the phone, the server and the CSV show the same figures.
//!
//! Units: hours are whole [`Minutes`]; full-time posts are hundredths
//! ([`Posts`]); money is whole kroner, rates kroner per hour. No floats.

use serde::{Deserialize, Serialize};

use crate::error::{Lang, Problem, ValidationError};
use crate::grant::Service;
use crate::id::UserId;
use crate::minutes::{Minutes, ShownHours};
use crate::review::{AgeBand, FigureScope, LayerRow, Scheme, ScopeChoice, band_on};
use crate::time::{Date, Month, Period};

/// What a visit's hours are charged as, for the hourly rate: a grant's
/// service, or a drawing right (a pool bought from another area).
/// JSON and [`RateKind::code`]: `"housing_support"`, `"mentor"`,
/// `"contact_person"`, `"drawing_right"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateKind {
    HousingSupport,
    Mentor,
    ContactPerson,
    DrawingRight,
}

impl RateKind {
    /// Every kind, in the order the forms and reports list them.
    pub const ALL: [RateKind; 4] =
        [RateKind::HousingSupport, RateKind::Mentor, RateKind::ContactPerson, RateKind::DrawingRight];

    /// The wire name (the form's field name, the database's value).
    pub fn code(self) -> &'static str {
        match self {
            RateKind::HousingSupport => "housing_support",
            RateKind::Mentor => "mentor",
            RateKind::ContactPerson => "contact_person",
            RateKind::DrawingRight => "drawing_right",
        }
    }

    /// The kind a wire name names.
    pub fn from_code(code: &str) -> Option<RateKind> {
        RateKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The kind of a grant of `service`.
    pub fn of(service: Service) -> RateKind {
        match service {
            Service::HousingSupport => RateKind::HousingSupport,
            Service::Mentor => RateKind::Mentor,
            Service::ContactPerson => RateKind::ContactPerson,
        }
    }

    /// "Socialpædagogisk støtte (bostøtte)", …, "Trækningsret" / "Drawing right".
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RateKind::HousingSupport => Service::HousingSupport.label(lang),
            RateKind::Mentor => Service::Mentor.label(lang),
            RateKind::ContactPerson => Service::ContactPerson.label(lang),
            RateKind::DrawingRight => lang.pick("Trækningsret", "Drawing right"),
        }
    }
}

/// The municipality's settings behind posts and kroner (issue 14): the
/// hours of a full-time post's week (37 by default) and an hourly rate in
/// kroner per [`RateKind`] (none until an administrator sets it; a cost
/// without its rate shows as missing, never as 0 kr.). JSON:
/// `{"full_time_week": 2220, "rates": {"mentor": 550, …}}` (minutes,
/// kroner per hour); deserialising checks it as [`ResourceSettings::check`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ResourceSettingsWire")]
pub struct ResourceSettings {
    pub full_time_week: Minutes,
    pub rates: std::collections::BTreeMap<RateKind, u32>,
}

#[derive(Deserialize)]
struct ResourceSettingsWire {
    full_time_week: Minutes,
    #[serde(default)]
    rates: std::collections::BTreeMap<RateKind, u32>,
}

impl TryFrom<ResourceSettingsWire> for ResourceSettings {
    type Error = ValidationError;

    fn try_from(w: ResourceSettingsWire) -> Result<Self, ValidationError> {
        let s = ResourceSettings { full_time_week: w.full_time_week, rates: w.rates };
        s.check().map_err(|mut e| e.remove(0))?;
        Ok(s)
    }
}

impl Default for ResourceSettings {
    fn default() -> Self {
        ResourceSettings { full_time_week: Minutes::hours(37), rates: Default::default() }
    }
}

impl ResourceSettings {
    /// The fewest and most hours a full-time week may be.
    pub const WEEK_HOURS: (u32, u32) = (1, 60);
    /// The highest hourly rate, in kroner.
    pub const MAX_RATE: u32 = 10_000;

    /// Errors: `full_time_week` `Problem::OutOfRange { min: 1, max: 60 }`
    /// (hours; whole or not, in minutes); `rate_<kind>` (e.g.
    /// `rate_mentor`) `Problem::OutOfRange { min: 1, max: 10000 }`.
    pub fn check(&self) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        let (min, max) = Self::WEEK_HOURS;
        let week = self.full_time_week.get();
        if week < min * 60 || week > max * 60 {
            errors
                .push(ValidationError::new("full_time_week", Problem::OutOfRange { min: min.into(), max: max.into() }));
        }
        for (kind, rate) in &self.rates {
            if *rate == 0 || *rate > Self::MAX_RATE {
                errors.push(ValidationError::new(
                    rate_field(*kind),
                    Problem::OutOfRange { min: 1, max: Self::MAX_RATE.into() },
                ));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// The rate of `kind`, kroner per hour, if set.
    pub fn rate(&self, kind: RateKind) -> Option<u32> {
        self.rates.get(&kind).copied()
    }
}

/// The form field of `kind`'s rate: `"rate_housing_support"`, ….
pub fn rate_field(kind: RateKind) -> &'static str {
    match kind {
        RateKind::HousingSupport => "rate_housing_support",
        RateKind::Mentor => "rate_mentor",
        RateKind::ContactPerson => "rate_contact_person",
        RateKind::DrawingRight => "rate_drawing_right",
    }
}

/// Full-time posts in hundredths (5,03 posts is 503): the hours delivered
/// over a span divided by a full-time post's hours over the same span.
/// JSON: the hundredths, `503`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Posts(pub u32);

impl Posts {
    /// `delivered` over `days` days as full-time posts of `week` a week:
    /// `delivered × 7 / (week × days)`, rounded half up to hundredths.
    /// A month of 31 days at 37 hours a week is 163,9 hours a post; so
    /// 819,5 hours in that month are 5,00 posts. Zero days or an empty
    /// week give zero posts.
    pub fn of(delivered: Minutes, days: u32, week: Minutes) -> Posts {
        let denominator = u64::from(week.get()) * u64::from(days);
        if denominator == 0 {
            return Posts(0);
        }
        let numerator = u64::from(delivered.get()) * 7 * 100;
        Posts(u32::try_from((numerator * 2 + denominator) / (denominator * 2)).unwrap_or(u32::MAX))
    }

    /// Two decimals, the language's separator: "5,03" / "5.03".
    pub fn format(self, lang: Lang) -> String {
        let sep = lang.pick(",", ".");
        format!("{}{sep}{:02}", self.0 / 100, self.0 % 100)
    }
}

/// Whole kroner for `minutes` at `rate` kroner an hour, rounded half up.
pub fn cost_kroner(minutes: Minutes, rate: u32) -> u64 {
    (u64::from(minutes.get()) * u64::from(rate) * 2 + 60) / 120
}

/// Whole kroner as Danish writes them: "12.345 kr." / "DKK 12,345".
pub fn format_kroner(kroner: u64, lang: Lang) -> String {
    let n = lang.group_thousands(i64::try_from(kroner).unwrap_or(i64::MAX));
    match lang {
        Lang::Da => format!("{n} kr."),
        Lang::En => format!("DKK {n}"),
    }
}

/// A span of months, both ends included: the trend's x axis. Query:
/// `from=2026-01&to=2026-12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthSpan {
    pub from: Month,
    pub to: Month,
}

impl MonthSpan {
    /// The most months a span holds (three years).
    pub const MAX_MONTHS: usize = 36;

    /// The twelve months up to and including `month`.
    pub fn year_to(month: Month) -> MonthSpan {
        let from = Month::containing(month.first_day().add_months(-11));
        MonthSpan { from, to: month }
    }

    /// Errors: `to` `Problem::BeforeStartDay` when it is before `from`;
    /// `to` `Problem::OutOfRange { min: 1, max: 36 }` for a longer span.
    pub fn check(self) -> Result<(), ValidationError> {
        if self.to < self.from {
            return Err(ValidationError::new("to", Problem::BeforeStartDay));
        }
        if self.months().len() > Self::MAX_MONTHS {
            return Err(ValidationError::new("to", Problem::OutOfRange { min: 1, max: Self::MAX_MONTHS as i64 }));
        }
        Ok(())
    }

    /// The months from `from` to `to`, in order (at most one more than
    /// [`MonthSpan::MAX_MONTHS`], so a span too long is seen without
    /// walking it all).
    pub fn months(self) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = self.from;
        while m <= self.to && out.len() <= Self::MAX_MONTHS {
            out.push(m);
            m = m.next();
        }
        out
    }
}

/// The day a month's picture is taken: its last day, or `today` for the
/// month running now (a later month has no picture yet: `None`).
pub fn picture_day(month: Month, today: Date) -> Option<Date> {
    if month.first_day() > today { None } else { Some(month.last_day().min(today)) }
}

/// Minutes delivered to one group of citizens (the same facts as a
/// [`crate::review::LayerCount`], at the month's picture day) by one worker: what the
/// database sums, one row per group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursGroup {
    pub worker: UserId,
    pub birth_year: i32,
    pub had_birthday: bool,
    pub estimated: bool,
    /// `None`: not assessed.
    pub layer: Option<String>,
    /// An early-retirement pensioner: counted apart, in no layer, as the
    /// layer table counts their heads (seed 000).
    pub early_retirement: bool,
    pub minutes: Minutes,
}

/// Hours by layer × age band: one row per band with anyone in it (oldest
/// first, as [`crate::review::LayerTable`]), the totals as a row. The
/// columns are the scheme's layers, then "not assessed", then the
/// early-retirement pensioners (apart, as their heads are counted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursTable {
    pub rows: Vec<HoursRow>,
    pub total: HoursRow,
}

/// One row of an [`HoursTable`] (no band: the totals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursRow {
    pub band: Option<AgeBand>,
    /// Per layer, in the scheme's order.
    pub by_layer: Vec<Minutes>,
    pub not_assessed: Minutes,
    /// Minutes of early-retirement pensioners, whatever their layer.
    #[serde(default)]
    pub early_retirement: Minutes,
    pub total: Minutes,
}

/// Where a citizen's minutes count in an [`HoursRow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoursColumn<'a> {
    /// The layer columns (its own and, for a sub-category, its parent's:
    /// [`Scheme::columns_of`]); none: not assessed.
    Layers(&'a [usize]),
    /// An early-retirement pensioner: apart, in no layer.
    EarlyRetirement,
}

impl HoursRow {
    fn empty(band: Option<AgeBand>, layers: usize) -> HoursRow {
        HoursRow {
            band,
            by_layer: vec![Minutes::ZERO; layers],
            not_assessed: Minutes::ZERO,
            early_retirement: Minutes::ZERO,
            total: Minutes::ZERO,
        }
    }

    /// Adds `minutes` of a citizen in `column`. The total counts them once.
    fn add(&mut self, column: HoursColumn<'_>, minutes: Minutes) {
        match column {
            HoursColumn::EarlyRetirement => self.early_retirement += minutes,
            HoursColumn::Layers([]) => self.not_assessed += minutes,
            HoursColumn::Layers(columns) => {
                for i in columns {
                    self.by_layer[*i] += minutes;
                }
            }
        }
        self.total += minutes;
    }
}

impl HoursRow {
    /// The totals row of minutes by layer code (`None`: not assessed) and
    /// the early-retirement pensioners' minutes; a layer the scheme lacks
    /// counts as not assessed.
    pub fn by_layer<'a>(
        sums: impl IntoIterator<Item = (Option<&'a str>, Minutes)>,
        early_retirement: Minutes,
        scheme: &Scheme,
    ) -> HoursRow {
        let mut row = HoursRow::empty(None, scheme.layers.len());
        for (code, minutes) in sums {
            row.add(HoursColumn::Layers(&code.map(|c| scheme.columns_of(c)).unwrap_or_default()), minutes);
        }
        row.add(HoursColumn::EarlyRetirement, early_retirement);
        row
    }
}

impl HoursRow {
    /// The row as shown: each layer's hours, not assessed and the
    /// early-retirement pensioners as [`ShownHours`], then the row's total
    /// as the sum of the top-level layers', not assessed and the
    /// pensioners' (totals add up as shown; a sub-category is inside its
    /// parent's figure already).
    pub fn shown(&self, scheme: &Scheme) -> Vec<ShownHours> {
        let mut cells: Vec<ShownHours> = self.by_layer.iter().map(|m| ShownHours::of(*m)).collect();
        cells.push(ShownHours::of(self.not_assessed));
        cells.push(ShownHours::of(self.early_retirement));
        let total = cells
            .iter()
            .enumerate()
            .filter(|(i, _)| *i >= self.by_layer.len() || scheme.is_top_level(*i))
            .map(|(_, c)| *c)
            .sum();
        cells.push(total);
        cells
    }
}

impl HoursTable {
    /// The rows as shown ([`HoursRow::shown`]), then the totals row: each
    /// column the sum of the rows' shown cells, as an accountant adds up.
    pub fn shown(&self, scheme: &Scheme) -> Vec<(Option<AgeBand>, Vec<ShownHours>)> {
        let mut rows: Vec<(Option<AgeBand>, Vec<ShownHours>)> =
            self.rows.iter().map(|r| (r.band, r.shown(scheme))).collect();
        let mut total = vec![ShownHours::ZERO; self.total.by_layer.len() + 3];
        for (_, cells) in &rows {
            for (sum, cell) in total.iter_mut().zip(cells) {
                *sum = *sum + *cell;
            }
        }
        rows.push((None, total));
        rows
    }

    /// The table of `groups` (all of them: filter by worker first), the
    /// band at `on`; a layer the scheme lacks counts as not assessed.
    pub fn of<'a>(groups: impl IntoIterator<Item = &'a HoursGroup>, scheme: &Scheme, on: Date) -> HoursTable {
        let layers = scheme.layers.len();
        let mut rows: std::collections::BTreeMap<AgeBand, HoursRow> = Default::default();
        let mut total = HoursRow::empty(None, layers);
        for g in groups {
            let Some(band) = band_on(g.birth_year, g.had_birthday, on) else { continue };
            let layer_columns = g.layer.as_deref().map(|code| scheme.columns_of(code)).unwrap_or_default();
            let column =
                if g.early_retirement { HoursColumn::EarlyRetirement } else { HoursColumn::Layers(&layer_columns) };
            rows.entry(band).or_insert_with(|| HoursRow::empty(Some(band), layers)).add(column, g.minutes);
            total.add(column, g.minutes);
        }
        HoursTable { rows: rows.into_values().rev().collect(), total }
    }

    /// The row of `band`, if anyone in it was helped.
    pub fn row(&self, band: AgeBand) -> Option<&HoursRow> {
        self.rows.iter().find(|r| r.band == Some(band))
    }
}

/// Hours delivered by one worker, one team, or the whole scope over a
/// month: the table and the full-time posts it makes. JSON: `{"name",
/// "team", "table", "posts"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffHours {
    /// The worker's or the team's name (the scope's for its total; empty
    /// for the staff in none of the scope's teams: "Uden team").
    pub name: String,
    /// A worker's team (the first by name of their teams in the scope).
    pub team: Option<String>,
    pub table: HoursTable,
    pub posts: Posts,
}

/// Minutes charged to one payer area as one kind in a month, with its
/// cost where the kind has a rate. `payer`: the area's name, `None` for
/// visits charged to nothing. JSON: `{"payer", "kind", "minutes", "rate",
/// "kroner"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostLine {
    pub payer: Option<String>,
    pub kind: Option<RateKind>,
    pub minutes: Minutes,
    /// Kroner per hour, if set.
    pub rate: Option<u32>,
    pub kroner: Option<u64>,
}

/// One payer's lines and their total (the lines' kroner as shown; lines
/// without a rate are not in it and `complete` is false).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayerCost {
    pub payer: Option<String>,
    pub lines: Vec<CostLine>,
    pub minutes: Minutes,
    pub kroner: u64,
    pub complete: bool,
}

/// Groups charged minutes (payer name, kind, minutes) into payers with
/// their costs at `settings`' rates; payers by name, the uncharged last.
pub fn costs(charged: &[(Option<String>, Option<RateKind>, Minutes)], settings: &ResourceSettings) -> Vec<PayerCost> {
    let mut by_payer: std::collections::BTreeMap<(bool, Option<String>), Vec<CostLine>> = Default::default();
    for (payer, kind, minutes) in charged {
        let rate = kind.and_then(|k| settings.rate(k));
        let lines = by_payer.entry((payer.is_none(), payer.clone())).or_default();
        match lines.iter_mut().find(|l| l.kind == *kind) {
            Some(line) => line.minutes += *minutes,
            None => lines.push(CostLine { payer: payer.clone(), kind: *kind, minutes: *minutes, rate, kroner: None }),
        }
    }
    by_payer
        .into_iter()
        .map(|((_, payer), mut lines)| {
            lines.sort_by_key(|l| l.kind);
            for line in &mut lines {
                line.kroner = line.rate.map(|r| cost_kroner(line.minutes, r));
            }
            PayerCost {
                payer,
                minutes: lines.iter().map(|l| l.minutes).fold(Minutes::ZERO, |a, b| a + b),
                kroner: lines.iter().filter_map(|l| l.kroner).sum(),
                complete: lines.iter().all(|l| l.kroner.is_some()),
                lines,
            }
        })
        .collect()
}

/// A case worker's open cases on a date by age band (seed 000 moved case
/// workers by cases per worker), against the norm of their area (the
/// highest norm of the areas their cases are in). JSON: `{"caseworker",
/// "name", "by_band": [n, n, n, n], "total", "norm"}`; `by_band` in
/// [`AgeBand::ALL`]'s order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caseload {
    pub caseworker: UserId,
    pub name: String,
    pub by_band: [u32; 4],
    /// Cases whose citizen's band rests on a birth year only.
    pub estimated: u32,
    pub total: u32,
    pub norm: u32,
}

/// One group of a case worker's open cases (as [`crate::review::LayerCount`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseGroup {
    pub caseworker: UserId,
    pub birth_year: i32,
    pub had_birthday: bool,
    pub estimated: bool,
    pub cases: u32,
}

/// Case workers' caseloads from grouped open cases; `names`: each case
/// worker's name and norm. Most cases first, then by name.
pub fn caseloads(groups: &[CaseGroup], names: &[(UserId, String, u32)], on: Date) -> Vec<Caseload> {
    let mut out: Vec<Caseload> = Vec::new();
    for g in groups {
        let Some(band) = band_on(g.birth_year, g.had_birthday, on) else { continue };
        let i = out.iter().position(|c| c.caseworker == g.caseworker).unwrap_or_else(|| {
            let (name, norm) =
                names.iter().find(|n| n.0 == g.caseworker).map_or((String::new(), 0), |n| (n.1.clone(), n.2));
            out.push(Caseload { caseworker: g.caseworker, name, by_band: [0; 4], estimated: 0, total: 0, norm });
            out.len() - 1
        });
        let load = &mut out[i];
        let slot = AgeBand::ALL.iter().position(|b| *b == band).unwrap_or(0);
        load.by_band[slot] += g.cases;
        load.total += g.cases;
        if g.estimated {
            load.estimated += g.cases;
        }
    }
    out.sort_by(|a, b| b.total.cmp(&a.total).then(a.name.cmp(&b.name)));
    out
}

/// One month of the trend: the picture on its [`picture_day`] (the layer
/// counts' totals row), the month's inflow and outflow, the shared group's
/// size, and the hours delivered by the scope's staff by layer with the
/// posts they make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendMonth {
    pub month: Month,
    pub on: Date,
    /// The totals row of the layer × band table on `on`.
    pub counts: LayerRow,
    /// Cases opened in the month (inflow).
    pub opened: u32,
    /// Cases closed in the month (outflow: closed on a day of it).
    pub closed: u32,
    /// Citizens whose first grant began in the month.
    pub first_grants: u32,
    /// Citizens whose first assignment began in the month.
    pub first_assignments: u32,
    /// Citizens served or paid by two areas or more on `on`.
    pub shared_group: u32,
    /// Hours by layer (the layer on `on`), the scheme's order, then not
    /// assessed; the whole month's visits.
    pub hours: HoursRow,
    pub posts: Posts,
}

/// `GET /api/figures/trend?from=2026-01&to=2026-12[&area=|&team=|&scope=municipality]`.
/// JSON: `{"scope", "scope_name", "scheme", "span", "months", "settings", "scopes"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendResponse {
    pub scope: FigureScope,
    pub scope_name: String,
    pub scheme: Scheme,
    pub span: MonthSpan,
    pub months: Vec<TrendMonth>,
    pub full_time_week: Minutes,
    pub scopes: Vec<ScopeChoice>,
}

/// `GET /api/figures/resources?month=2026-10[&area=|&team=|&scope=municipality]`:
/// the month's hours by layer × band for the scope, per team and per
/// worker, with full-time posts; the cost per payer area; the caseload per
/// case worker on the month's picture day. Names staff, not citizens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourcesResponse {
    pub scope: FigureScope,
    pub scope_name: String,
    pub scheme: Scheme,
    pub month: Month,
    pub on: Date,
    pub full_time_week: Minutes,
    pub all: StaffHours,
    pub teams: Vec<StaffHours>,
    pub workers: Vec<StaffHours>,
    pub costs: Vec<PayerCost>,
    pub caseloads: Vec<Caseload>,
    pub scopes: Vec<ScopeChoice>,
}

/// Which of the trend's charts: the citizens by layer, or the hours by
/// layer. Query: `chart=citizens` or `chart=hours`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendChart {
    Citizens,
    Hours,
}

/// One line of a chart: its name, its value per month, and its style
/// (an index into the chart's palette; `None`: the total, drawn heavier).
struct Series {
    name: String,
    values: Vec<u64>,
    style: Option<usize>,
}

/// Colours that keep 4.5:1 against white, each with its own dash pattern
/// so that the lines differ without colour too.
const PALETTE: [(&str, &str); 6] = [
    ("#1b5e9a", ""),
    ("#a4461a", "8 4"),
    ("#2e6b30", "2 3"),
    ("#6a1b9a", "10 3 2 3"),
    ("#006d77", "4 4"),
    ("#5d4037", "12 4"),
];

/// Escapes text for SVG (labels are the municipality's own words).
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A round top for the y axis: 1, 2 or 5 times a power of ten, at least `max`.
fn nice_top(max: u64) -> u64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if step * m >= max.max(1) {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// The trend as a self-contained SVG line chart (issue 14: "charts as
/// SVG"): one line per layer, not assessed and the total, a point per
/// month, the y axis in citizens or whole hours, a legend below. The same
/// chart is shown in the app (`titled` false: the page says what it is)
/// and downloaded from the server (`titled`: the title, the scope and the
/// months written above the chart, so a printed or mailed file says what
/// it shows); it has a `<title>` and a `<desc>` that say what the lines
/// show.
pub fn trend_svg(f: &TrendResponse, chart: TrendChart, lang: Lang, titled: bool) -> String {
    let months = &f.months;
    let mut series: Vec<Series> = Vec::new();
    for (i, layer) in f.scheme.layers.iter().enumerate() {
        let values = months
            .iter()
            .map(|m| match chart {
                TrendChart::Citizens => u64::from(m.counts.by_layer.get(i).copied().unwrap_or(0)),
                TrendChart::Hours => u64::from(m.hours.by_layer.get(i).map_or(0, |h| h.get())) / 60,
            })
            .collect();
        series.push(Series { name: f.scheme.full_label(layer, lang), values, style: Some(i % PALETTE.len()) });
    }
    let not_assessed = months
        .iter()
        .map(|m| match chart {
            TrendChart::Citizens => u64::from(m.counts.not_assessed),
            TrendChart::Hours => u64::from(m.hours.not_assessed.get()) / 60,
        })
        .collect();
    series.push(Series {
        name: lang.pick("Ikke vurderet", "Not assessed").to_owned(),
        values: not_assessed,
        style: Some(f.scheme.layers.len() % PALETTE.len()),
    });
    let early_retirement = months
        .iter()
        .map(|m| match chart {
            TrendChart::Citizens => u64::from(m.counts.early_retirement),
            TrendChart::Hours => u64::from(m.hours.early_retirement.get()) / 60,
        })
        .collect();
    series.push(Series {
        name: lang.pick("Førtidspensionister", "Early-retirement pensioners").to_owned(),
        values: early_retirement,
        style: Some((f.scheme.layers.len() + 1) % PALETTE.len()),
    });
    let totals = months
        .iter()
        .map(|m| match chart {
            TrendChart::Citizens => u64::from(m.counts.in_layers + m.counts.not_assessed + m.counts.early_retirement),
            TrendChart::Hours => u64::from(m.hours.total.get()) / 60,
        })
        .collect();
    series.push(Series { name: lang.pick("I alt", "Total").to_owned(), values: totals, style: None });

    let heading_h = if titled { 64u64 } else { 0 };
    let (width, plot_h, left, right, top) = (640u64, 220u64, 64u64, 24u64, 16u64 + heading_h);
    let legend_top = top + plot_h + 56;
    let height = legend_top + 28 * series.len() as u64;
    let y_max = nice_top(series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0));
    let plot_w = width - left - right;
    let x = |i: usize| {
        if months.len() <= 1 { left + plot_w / 2 } else { left + plot_w * i as u64 / (months.len() as u64 - 1) }
    };
    let y = |v: u64| top + plot_h - plot_h * v.min(y_max) / y_max;
    let (title, unit) = match (chart, lang) {
        (TrendChart::Citizens, Lang::Da) => ("Borgere pr. lag, måned for måned", "borgere"),
        (TrendChart::Citizens, Lang::En) => ("Citizens by layer, month by month", "citizens"),
        (TrendChart::Hours, Lang::Da) => ("Leverede timer pr. lag, måned for måned", "timer"),
        (TrendChart::Hours, Lang::En) => ("Hours delivered by layer, month by month", "hours"),
    };
    let span = match (months.first(), months.last()) {
        (Some(a), Some(b)) => format!("{} – {}", a.month, b.month),
        _ => String::new(),
    };
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         font-family=\"system-ui, sans-serif\" font-size=\"18\">\
         <title>{}</title><desc>{}</desc><rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>",
        xml_escape(&format!("{title} · {}", f.scope_name)),
        xml_escape(&format!("{span}; {unit}")),
    );
    if titled {
        out.push_str(&format!(
            "<text x=\"{left}\" y=\"28\" font-size=\"20\" font-weight=\"bold\" fill=\"#111111\">{}</text>\
             <text x=\"{left}\" y=\"54\" fill=\"#333333\">{}</text>",
            xml_escape(title),
            xml_escape(&format!("{} · {span} · {unit}", f.scope_name)),
        ));
    }
    for tick in [0, y_max / 2, y_max] {
        let ty = y(tick);
        out.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{ty}\" y2=\"{ty}\" stroke=\"#d0d0d0\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#333333\">{}</text>",
            width - right,
            left - 6,
            ty + 4,
            lang.group_thousands(i64::try_from(tick).unwrap_or(i64::MAX)),
        ));
    }
    // At most seven labels, so they stay readable on a phone.
    let every = months.len().div_ceil(7).max(1);
    for (i, m) in months.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let label = format!("{:02}.{:02}", m.month.month(), m.month.year() % 100);
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333333\">{label}</text>",
            x(i),
            top + plot_h + 26
        ));
    }
    for s in &series {
        let (colour, dash, stroke) = match s.style {
            Some(i) => (PALETTE[i].0, PALETTE[i].1, 2),
            None => ("#111111", "", 3),
        };
        let points: Vec<String> = s.values.iter().enumerate().map(|(i, v)| format!("{},{}", x(i), y(*v))).collect();
        let dash = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
        out.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"{stroke}\"{dash} points=\"{}\"/>",
            points.join(" ")
        ));
        for (i, v) in s.values.iter().enumerate() {
            out.push_str(&format!("<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{colour}\"/>", x(i), y(*v)));
        }
    }
    for (row, s) in series.iter().enumerate() {
        let (colour, dash, stroke) = match s.style {
            Some(i) => (PALETTE[i].0, PALETTE[i].1, 2),
            None => ("#111111", "", 3),
        };
        let ly = legend_top + 28 * row as u64;
        let dash = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
        out.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"{stroke}\"{dash}/>\
             <text x=\"{}\" y=\"{}\" fill=\"#111111\">{}</text>",
            left + 36,
            left + 46,
            ly + 6,
            xml_escape(&s.name)
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Localized;
    use crate::review::Layer;
    use uuid::Uuid;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn m(s: &str) -> Month {
        Month::try_from(s.to_owned()).expect("month")
    }

    #[test]
    fn posts_divide_the_hours_by_a_full_time_post_over_the_same_days() {
        let week = Minutes::hours(37);
        // October 2026: 31 days, 37 × 31 / 7 = 163,857… hours a post.
        let post = Minutes::new(37 * 60 * 31 / 7);
        assert_eq!(Posts::of(post, 31, week), Posts(100));
        assert_eq!(Posts::of(Minutes::new(819 * 60 + 30), 31, week), Posts(500));
        // February 2026 (28 days): exactly four weeks.
        assert_eq!(Posts::of(Minutes::hours(148 * 2), 28, week), Posts(200));
        assert_eq!(Posts::of(Minutes::hours(74), 28, week), Posts(50));
        assert_eq!(Posts::of(Minutes::ZERO, 30, week), Posts(0));
        assert_eq!(Posts::of(Minutes::hours(10), 0, week), Posts(0));
        assert_eq!(Posts(503).format(Lang::Da), "5,03");
        assert_eq!(Posts(50).format(Lang::En), "0.50");
    }

    #[test]
    fn cost_rounds_half_up_to_whole_kroner() {
        assert_eq!(cost_kroner(Minutes::hours(2), 600), 1200);
        assert_eq!(cost_kroner(Minutes::new(1), 30), 1); // 0,5 kr.
        assert_eq!(cost_kroner(Minutes::new(1), 29), 0); // 0,48 kr.
        assert_eq!(cost_kroner(Minutes::new(90), 555), 833); // 832,5
        assert_eq!(format_kroner(12_345, Lang::Da), "12.345 kr.");
        assert_eq!(format_kroner(12_345, Lang::En), "DKK 12,345");
    }

    #[test]
    fn settings_refuse_an_impossible_week_and_rate_at_their_fields() {
        let mut s = ResourceSettings::default();
        assert_eq!(s.full_time_week, Minutes::new(2220));
        assert!(s.check().is_ok());
        s.full_time_week = Minutes::new(30);
        s.rates.insert(RateKind::Mentor, 0);
        s.rates.insert(RateKind::DrawingRight, 600);
        let fields: Vec<_> = s.check().expect_err("refused").into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["full_time_week", "rate_mentor"]);
        let bad: Result<ResourceSettings, _> = serde_json::from_str(r#"{"full_time_week": 4000}"#);
        assert!(bad.is_err());
        let good: ResourceSettings =
            serde_json::from_str(r#"{"full_time_week": 2220, "rates": {"mentor": 550}}"#).expect("valid");
        assert_eq!(good.rate(RateKind::Mentor), Some(550));
        assert_eq!(good.rate(RateKind::HousingSupport), None);
    }

    #[test]
    fn costs_group_by_payer_and_leave_a_missing_rate_out_of_the_total() {
        let mut s = ResourceSettings::default();
        s.rates.insert(RateKind::HousingSupport, 600);
        let social = Some("Socialområdet".to_owned());
        let charged = vec![
            (social.clone(), Some(RateKind::HousingSupport), Minutes::hours(2)),
            (None, None, Minutes::new(45)),
            (social.clone(), Some(RateKind::Mentor), Minutes::hours(1)),
            (social.clone(), Some(RateKind::HousingSupport), Minutes::new(30)),
        ];
        let payers = costs(&charged, &s);
        assert_eq!(payers.len(), 2);
        assert_eq!(payers[0].payer, social);
        assert_eq!(payers[0].lines[0].minutes, Minutes::new(150));
        assert_eq!(payers[0].lines[0].kroner, Some(1500));
        assert_eq!(payers[0].lines[1].kroner, None);
        assert_eq!(payers[0].kroner, 1500);
        assert!(!payers[0].complete);
        assert_eq!(payers[1].payer, None);
        assert_eq!(payers[1].minutes, Minutes::new(45));
    }

    #[test]
    fn a_span_lists_its_months_and_refuses_backwards_or_too_long() {
        let span = MonthSpan::year_to(m("2026-10"));
        assert_eq!(span.from, m("2025-11"));
        assert_eq!(span.months().len(), 12);
        assert!(span.check().is_ok());
        let back = MonthSpan { from: m("2026-10"), to: m("2026-09") };
        assert_eq!(back.check().expect_err("backwards").problem, Problem::BeforeStartDay);
        let long = MonthSpan { from: m("2020-01"), to: m("2026-01") };
        assert_eq!(long.check().expect_err("too long").field, "to");
        assert_eq!(picture_day(m("2026-11"), d("2026-11-30")), Some(d("2026-11-30")));
        assert_eq!(picture_day(m("2026-12"), d("2026-11-30")), None);
        assert_eq!(picture_day(m("2026-02"), d("2026-11-30")), Some(d("2026-02-28")));
        assert_eq!(picture_day(m("2026-11"), d("2026-11-12")), Some(d("2026-11-12")));
    }

    fn scheme() -> Scheme {
        Scheme {
            layers: vec![
                Layer {
                    code: "a".into(),
                    label: Localized::new("A", "A"),
                    area: None,
                    parent: None,
                    meetings_per_year: None,
                },
                Layer {
                    code: "b".into(),
                    label: Localized::new("B", "B"),
                    area: None,
                    parent: None,
                    meetings_per_year: None,
                },
            ],
        }
    }

    #[test]
    fn hours_go_to_the_band_on_the_day_and_an_unknown_layer_to_not_assessed() {
        let w = UserId::from_uuid(Uuid::nil());
        let g = |year, had, layer: Option<&str>, minutes| HoursGroup {
            worker: w,
            birth_year: year,
            had_birthday: had,
            estimated: false,
            layer: layer.map(str::to_owned),
            early_retirement: false,
            minutes: Minutes::new(minutes),
        };
        let groups = [
            g(2008, true, Some("a"), 60),   // 18 on 2026-10-31
            g(2008, false, Some("a"), 30),  // 17
            g(1996, true, Some("b"), 120),  // 30
            g(1996, false, Some("b"), 15),  // 29
            g(1980, true, Some("gone"), 5), // a layer the scheme lost
            g(2027, false, None, 99),       // not born: left out
        ];
        let t = HoursTable::of(&groups, &scheme(), d("2026-10-31"));
        assert_eq!(
            t.rows.iter().map(|r| r.band).collect::<Vec<_>>(),
            [Some(AgeBand::From30), Some(AgeBand::From18To29), Some(AgeBand::From15To17)]
        );
        let adults = t.row(AgeBand::From30).expect("30+");
        assert_eq!(adults.by_layer, [Minutes::ZERO, Minutes::new(120)]);
        assert_eq!(adults.not_assessed, Minutes::new(5));
        assert_eq!(t.row(AgeBand::From18To29).expect("18–29").by_layer, [Minutes::new(60), Minutes::new(15)]);
        assert_eq!(t.total.total, Minutes::new(230));
        // As shown: 10 minutes show as 0,17; the totals add the shown cells.
        let tiny = [g(1980, true, Some("a"), 10), g(2000, true, Some("a"), 10), g(2010, true, Some("a"), 10)];
        let shown = HoursTable::of(&tiny, &scheme(), d("2026-10-31")).shown(&scheme());
        let total = &shown.last().expect("totals").1;
        assert_eq!(total.iter().map(|h| h.hundredths()).collect::<Vec<_>>(), [51, 0, 0, 0, 51], "3 × 0,17, not 0,50");
        // An early-retirement pensioner's hours count apart, in no layer,
        // whatever their classification (their heads are counted apart in
        // the layer table): a layer's column never holds hours of citizens
        // it does not count (issue 14's walk: 0 citizens, 43 hours).
        let pensioner =
            |layer: Option<&str>, minutes| HoursGroup { early_retirement: true, ..g(1970, true, layer, minutes) };
        let with = HoursTable::of(
            &[g(1970, true, Some("b"), 60), pensioner(Some("b"), 45), pensioner(None, 15), pensioner(Some("a"), 30)],
            &scheme(),
            d("2026-10-31"),
        );
        let adults = with.row(AgeBand::From30).expect("30+");
        assert_eq!(adults.by_layer, [Minutes::ZERO, Minutes::new(60)]);
        assert_eq!(adults.not_assessed, Minutes::ZERO);
        assert_eq!(adults.early_retirement, Minutes::new(90));
        assert_eq!(with.total.total, Minutes::new(150));
        let shown = with.shown(&scheme());
        assert_eq!(
            shown.last().expect("totals").1.iter().map(|h| h.hundredths()).collect::<Vec<_>>(),
            [0, 100, 0, 150, 250],
            "layers, not assessed, pensioners, total"
        );
        let trend_row =
            HoursRow::by_layer([(Some("b"), Minutes::new(60)), (None, Minutes::new(6))], Minutes::new(90), &scheme());
        assert_eq!(
            (trend_row.by_layer.clone(), trend_row.not_assessed, trend_row.early_retirement, trend_row.total),
            (vec![Minutes::ZERO, Minutes::new(60)], Minutes::new(6), Minutes::new(90), Minutes::new(156))
        );
        // A sub-category's hours are in its parent's column too; the total
        // counts them once.
        let mut nested = scheme();
        nested.layers.push(Layer {
            code: "a_economy".into(),
            label: Localized::new("Økonomi", "Economy"),
            area: None,
            parent: Some("a".into()),
            meetings_per_year: None,
        });
        let nested_groups = [g(1980, true, Some("a_economy"), 60), g(1980, true, Some("b"), 30)];
        let nt = HoursTable::of(&nested_groups, &nested, d("2026-10-31"));
        assert_eq!(nt.total.by_layer, [Minutes::new(60), Minutes::new(30), Minutes::new(60)]);
        assert_eq!(nt.total.total, Minutes::new(90));
        let shown = nt.shown(&nested);
        assert_eq!(shown.last().expect("totals").1.last().map(|h| h.hundredths()), Some(150), "1,50 hours, not 2,50");
        assert_eq!(t.total.by_layer, [Minutes::new(90), Minutes::new(135)]);
    }

    #[test]
    fn caseloads_count_open_cases_by_band_most_first() {
        let a = UserId::from_uuid(Uuid::from_u128(1));
        let b = UserId::from_uuid(Uuid::from_u128(2));
        let g = |who, year, est, cases| CaseGroup {
            caseworker: who,
            birth_year: year,
            had_birthday: true,
            estimated: est,
            cases,
        };
        let loads = caseloads(
            &[g(a, 2010, false, 2), g(b, 1990, false, 5), g(a, 1990, true, 1), g(b, 2000, false, 1)],
            &[(a, "Anna".into(), 30), (b, "Bo".into(), 60)],
            d("2026-11-30"),
        );
        assert_eq!(loads[0].name, "Bo");
        assert_eq!(loads[0].by_band, [0, 0, 1, 5]);
        assert_eq!(loads[0].total, 6);
        assert_eq!(loads[1].by_band, [0, 2, 0, 1]);
        assert_eq!(loads[1].estimated, 1);
        assert_eq!(loads[1].norm, 30);
    }

    #[test]
    fn the_chart_is_svg_with_a_line_per_layer_and_escaped_labels() {
        let mut scheme = scheme();
        scheme.layers[0].label = Localized::new("A & <B>", "A & <B>");
        let month = |mm: &str, n: u32, minutes: u32| TrendMonth {
            month: m(mm),
            on: m(mm).last_day(),
            counts: LayerRow {
                band: None,
                by_layer: vec![n, 1],
                in_layers: n + 1,
                not_assessed: 2,
                early_retirement: 0,
            },
            opened: 0,
            closed: 0,
            first_grants: 0,
            first_assignments: 0,
            shared_group: 0,
            hours: HoursRow {
                band: None,
                by_layer: vec![Minutes::new(minutes), Minutes::ZERO],
                not_assessed: Minutes::ZERO,
                early_retirement: Minutes::new(60),
                total: Minutes::new(minutes + 60),
            },
            posts: Posts(0),
        };
        let f = TrendResponse {
            scope: FigureScope::Municipality,
            scope_name: "Hele kommunen".into(),
            scheme,
            span: MonthSpan { from: m("2026-09"), to: m("2026-10") },
            months: vec![month("2026-09", 3, 600), month("2026-10", 7, 1_500)],
            full_time_week: Minutes::hours(37),
            scopes: vec![],
        };
        let svg = trend_svg(&f, TrendChart::Citizens, Lang::Da, false);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>"));
        // Two layers, not assessed, the pensioners, the total: five lines,
        // two points each; the lines add up to the total.
        assert_eq!(svg.matches("<polyline").count(), 5);
        assert_eq!(svg.matches("<circle").count(), 10);
        assert!(svg.contains(">Førtidspensionister</text>"));
        assert!(!svg.contains("font-weight=\"bold\""), "the app's chart has no heading of its own");
        assert!(svg.contains("A &amp; &lt;B&gt;") && !svg.contains("<B>"));
        assert!(svg.contains("<title>Borgere pr. lag, måned for måned · Hele kommunen</title>"));
        // The y axis tops at 10 (the total is 10 in October).
        assert!(svg.contains(">10</text>"), "{svg}");
        let hours = trend_svg(&f, TrendChart::Hours, Lang::En, true);
        assert!(hours.contains(">25</text>") && hours.contains(">50</text>"), "{hours}");
        assert!(hours.contains("Hours delivered by layer"));
        // The downloaded file says what it shows where it is seen.
        assert!(
            hours.contains("font-weight=\"bold\" fill=\"#111111\">Hours delivered by layer, month by month</text>"),
            "{hours}"
        );
        assert!(hours.contains(">Hele kommunen · 2026-09 – 2026-10 · hours</text>"), "{hours}");
    }
}
