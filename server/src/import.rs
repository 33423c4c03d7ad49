//! Importing citizens and grants from the municipality's case system as
//! CSV ("two IT systems"): UTF-8 or Windows-1252, `;` or `,`, Danish dates
//! and labels or wire codes. Every line is checked first; the import is all
//! or nothing and matches on the case ids, so running it twice creates
//! nothing twice.
//!
//! Pure: decoding (UTF-8 / Windows-1252), the table (`;` or `,`, with line
//! numbers), Danish dates and labels, and a `Plan` per kind (created / updated
//! / unchanged, the fields each written line sets, every problem with its line
//! and field) that `http::exchange` applies all or nothing.
//!
//! An import changes only what its file says (issue 12, kind 6): only the
//! case-id column is required in every file; a column that is absent leaves
//! that field of every existing record as it is; an empty cell of a present
//! column clears the field or is refused where a value is required; the report
//! (dry run or not) lists each line's changed fields.

use std::collections::{BTreeMap, HashMap};

use shared::admin::{AdminCitizen, AdminUser, CitizenInput, ImportChange, ImportKind, ImportProblem, ImportReport};
use shared::api::AreaSummary;
use shared::citizen::{BenefitType, BirthYear};
use shared::grant::{Allowance, AllowanceUnit, Grant, Service};
use shared::review::{Birth, Case, Classification, Scheme};
use shared::text::{ExternalId, LegalBasis, PersonName};
use shared::time::{DateRange, MAX_YEAR, MIN_YEAR};
use shared::{CitizenId, Date, GrantId, Lang, Minutes, Problem, UserId, ValidationError};
use uuid::Uuid;

/// The file as text: UTF-8 (with or without a byte-order mark), or else
/// Windows-1252, as Danish Excel saves "CSV (semikolonsepareret)".
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// A read file: the header's column names (lower case) and the data lines
/// with their line numbers (the header is line 1).
#[derive(Debug)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(u32, Vec<String>)>,
}

impl Table {
    fn column(&self, names: &[&str]) -> Option<usize> {
        self.header.iter().position(|h| names.contains(&h.as_str()))
    }
}

fn problem(line: u32, field: &str, p: Problem) -> ImportProblem {
    let e = ValidationError::new(field.to_owned(), p);
    ImportProblem { line, field: field.to_owned(), code: e.code().to_owned(), message: e.message() }
}

/// Splits the text into a table; the separator is whichever of `;` and `,`
/// the header uses more. Too many lines or broken quoting is a problem on
/// line 0 (the file).
pub fn read_table(text: &str) -> Result<Table, ImportProblem> {
    let first = text.lines().next().unwrap_or("");
    let separator = if first.matches(';').count() >= first.matches(',').count() { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut header = Vec::new();
    let mut rows = Vec::new();
    let mut lines = Lines::new(text);
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| Lines::new(text).of(p.byte() as usize));
            problem(line, "file", Problem::InvalidFormat)
        })?;
        let line = record.position().map_or(0, |p| lines.of(p.byte() as usize));
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if header.is_empty() {
            header = cells.iter().map(|c| c.to_lowercase()).collect();
            continue;
        }
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if rows.len() as u32 >= ImportReport::MAX_LINES {
            return Err(problem(line, "file", Problem::OutOfRange { min: 1, max: ImportReport::MAX_LINES.into() }));
        }
        rows.push((line, cells));
    }
    if header.is_empty() {
        return Err(problem(1, "file", Problem::Required));
    }
    Ok(Table { header, rows })
}

/// Line numbers of records from their byte offsets, counted forward as the
/// reader goes (records come in order).
struct Lines<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u32,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        Lines { bytes: text.as_bytes(), at: 0, line: 1 }
    }

    /// The 1-based line of the record starting at `byte` (the reader may
    /// place it on the line end before it).
    fn of(&mut self, byte: usize) -> u32 {
        let mut start = byte.min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.at {
            self.line += self.bytes[self.at..start].iter().filter(|b| **b == b'\n').count() as u32;
            self.at = start;
        }
        self.line
    }
}

/// `dd.mm.yyyy`, `dd-mm-yyyy`, `dd/mm/yyyy` (day and month may be one
/// digit) or `yyyy-mm-dd`, as [`Date::parse_typed`] reads a date field:
/// a cell that is no date the calendar has is `date_expected`, in the
/// words every date field of the app uses.
pub fn parse_date(text: &str) -> Result<Date, Problem> {
    Date::parse_typed(text)
}

/// An enum value by its wire code or its Danish or English label.
fn by_name<T: Copy>(
    all: &[T],
    text: &str,
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T, Lang) -> &'static str,
) -> Option<T> {
    let text = text.trim().to_lowercase();
    all.iter().copied().find(|v| {
        code(*v) == text || label(*v, Lang::Da).to_lowercase() == text || label(*v, Lang::En).to_lowercase() == text
    })
}

/// One data line's cells by column.
struct Line<'a> {
    number: u32,
    cells: &'a [String],
    problems: &'a mut Vec<ImportProblem>,
}

impl Line<'_> {
    fn get(&self, column: Option<usize>) -> &str {
        column.and_then(|c| self.cells.get(c)).map_or("", String::as_str)
    }

    fn refuse(&mut self, field: &str, p: Problem) {
        self.problems.push(problem(self.number, field, p));
    }

    /// A value of an update-aware column (issue 12, kind 6): with no such
    /// column in the file, the record's `old` value stands (a new record
    /// without it is refused `required`); a present column's empty cell is
    /// refused `required`; anything else is read with `parse`. `None` when
    /// refused (the problem is recorded).
    fn value<T>(
        &mut self,
        column: Option<usize>,
        field: &str,
        old: Option<T>,
        parse: impl FnOnce(&str) -> Result<T, Problem>,
    ) -> Option<T> {
        match (column, old) {
            (None, Some(old)) => Some(old),
            (None, None) => {
                self.refuse(field, Problem::Required);
                None
            }
            (Some(_), _) => self.required(column, field, parse),
        }
    }

    /// A required cell read with `parse`.
    fn required<T>(
        &mut self,
        column: Option<usize>,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, Problem>,
    ) -> Option<T> {
        let text = self.get(column).to_owned();
        if text.is_empty() {
            self.refuse(field, Problem::Required);
            return None;
        }
        parse(&text).map_err(|p| self.refuse(field, p)).ok()
    }
}

/// What an import would do: each line's record, whether new or changed,
/// and per line the fields it sets.
pub struct Plan<T> {
    pub lines: u32,
    pub created: Vec<T>,
    pub updated: Vec<T>,
    pub unchanged: u32,
    pub problems: Vec<ImportProblem>,
    pub changes: Vec<ImportChange>,
}

impl<T> Plan<T> {
    fn new(table: &Table) -> Plan<T> {
        Plan {
            lines: table.rows.len() as u32,
            created: Vec::new(),
            updated: Vec::new(),
            unchanged: 0,
            problems: Vec::new(),
            changes: Vec::new(),
        }
    }

    pub fn report(&self, kind: ImportKind, dry_run: bool, applied: bool) -> ImportReport {
        ImportReport {
            kind,
            dry_run,
            applied,
            lines: self.lines,
            created: self.created.len() as u32,
            updated: self.updated.len() as u32,
            unchanged: self.unchanged,
            problems: self.problems.clone(),
            changes: self.changes.clone(),
        }
    }
}

/// A record's field by name, and whether two records agree on it.
type Field<T> = (&'static str, fn(&T, &T) -> bool);

/// The fields whose value differs between `old` and `new`, by name.
fn changed<T>(old: &T, new: &T, fields: &[Field<T>]) -> Vec<String> {
    fields.iter().filter(|(_, same)| !same(old, new)).map(|(name, _)| (*name).to_owned()).collect()
}

const CASE_ID: [&str; 4] = ["sagsnummer", "sagsnr", "case_id", "external_id"];

/// The header's columns that none of `columns` (each a column's accepted
/// names) names, each refused on line 1 under its own name with the
/// columns the import reads (`shown`): a misspelt column would otherwise be
/// left out silently, and an update would change nothing with no word.
fn unknown_columns(table: &Table, columns: &[&[&str]], shown: &'static [&'static str]) -> Vec<ImportProblem> {
    table
        .header
        .iter()
        .filter(|h| !h.is_empty() && !columns.iter().any(|names| names.contains(&h.as_str())))
        .map(|h| problem(1, h, Problem::UnknownColumn { known: shown }))
        .collect()
}

fn missing_columns(table: &Table, required: &[(&str, &[&str])]) -> Vec<ImportProblem> {
    required
        .iter()
        .filter(|(_, names)| table.column(names).is_none())
        .map(|(field, _)| problem(1, field, Problem::Required))
        .collect()
}

/// What a citizens import compares against and looks names up in.
pub struct CitizenContext<'a> {
    pub existing: &'a [AdminCitizen],
    pub users: &'a [AdminUser],
    /// The classification scheme: `lag` by code or name.
    pub scheme: &'a Scheme,
    /// `sagsområde` by name.
    pub areas: &'a [AreaSummary],
    /// Every classification: (citizen, valid from, layer).
    pub classifications: &'a [(CitizenId, Date, String)],
    pub cases: &'a [Case],
    /// Europe/Copenhagen: no classification or case may start after it.
    pub today: Date,
    /// Who imports: recorded as who made the file's classifications.
    pub importer: UserId,
}

/// A citizens import's line: the citizen, and the classification and the
/// case it records, if its cells give them.
#[derive(Debug, Clone, PartialEq)]
pub struct CitizenLine {
    pub citizen: AdminCitizen,
    pub classification: Option<Classification>,
    pub case: Option<Case>,
}

/// Citizens: `sagsnummer;navn;fødselsdato;fødselsår;ydelse;koordinator;lag;
/// lag fra;sagsområde;sag åbnet;sag lukket;sagsbehandler` (issue 14 added
/// the last six and the birth date; `koordinator` may also be headed
/// `koordinerende sagsbehandler`). Matched on the case id, the one column every file
/// needs. `koordinator`: a username, may be empty. `fødselsdato`: where the
/// case system has it (else `fødselsår` alone, and counts that rest on it
/// are marked); both given must agree. `lag`: the scheme's layer by code or
/// name, valid from `lag fra` (required with it; not in the future, not
/// before the birth); the same layer from the same date again changes
/// nothing, and an empty cell records nothing (a classification is never
/// taken back by an import). `sagsområde`: the area of the citizen's case,
/// by name, opened `sag åbnet` (required with it) and closed `sag lukket`
/// (empty: open); the case is matched on citizen, area and opening date.
///
/// An update changes only the columns in the file (issue 12, kind 6): a
/// column that is absent leaves that field of an existing citizen as it
/// is; an empty cell of a present column clears it (the coordinator, the
/// birth date) or is refused `required` (the others). A line that creates a
/// citizen needs the name, a birth year or date and the benefit type. Each
/// created or changed line is listed with the fields it sets (`layer` and
/// `case` for a new classification or case).
pub fn plan_citizens(table: &Table, cx: &CitizenContext<'_>) -> Plan<CitizenLine> {
    const NAME: [&str; 2] = ["navn", "name"];
    const BIRTH_YEAR: [&str; 3] = ["fødselsår", "foedselsaar", "birth_year"];
    const BIRTH_DATE: [&str; 3] = ["fødselsdato", "foedselsdato", "birth_date"];
    const BENEFIT: [&str; 3] = ["ydelse", "forsørgelse", "benefit_type"];
    const COORDINATOR: [&str; 3] = ["koordinator", "koordinerende sagsbehandler", "coordinator"];
    const CASEWORKER: [&str; 2] = ["sagsbehandler", "case_worker"];
    const LAYER: [&str; 4] = ["lag", "målgruppe", "maalgruppe", "layer"];
    const LAYER_FROM: [&str; 4] = ["lag fra", "målgruppe fra", "vurderet", "layer_from"];
    const CASE_AREA: [&str; 3] = ["sagsområde", "sagsomraade", "case_area"];
    const CASE_OPENED: [&str; 3] = ["sag åbnet", "sag aabnet", "case_opened"];
    const CASE_CLOSED: [&str; 3] = ["sag lukket", "sag slut", "case_closed"];
    const SHOWN: &[&str] = &[
        "sagsnummer",
        "navn",
        "fødselsdato",
        "fødselsår",
        "ydelse",
        "koordinator",
        "lag",
        "lag fra",
        "sagsområde",
        "sag åbnet",
        "sag lukket",
        "sagsbehandler",
    ];
    let external = table.column(&CASE_ID);
    let name = table.column(&NAME);
    let year = table.column(&BIRTH_YEAR);
    let date = table.column(&BIRTH_DATE);
    let benefit = table.column(&BENEFIT);
    let coordinator = table.column(&COORDINATOR);
    let layer = table.column(&LAYER);
    let layer_from = table.column(&LAYER_FROM);
    let case_area = table.column(&CASE_AREA);
    let case_opened = table.column(&CASE_OPENED);
    let case_closed = table.column(&CASE_CLOSED);
    let caseworker = table.column(&CASEWORKER);
    let mut problems = missing_columns(table, &[("external_id", &CASE_ID)]);
    // `sagsbehandler` is the case's case worker (before issue 14 it named
    // the coordinator): a file with it but without the case's area is
    // refused, not read one way or the other in silence.
    if caseworker.is_some() {
        problems.extend(missing_columns(table, &[("case_area", &CASE_AREA)]));
    }
    problems.extend(unknown_columns(
        table,
        &[
            &CASE_ID,
            &NAME,
            &BIRTH_YEAR,
            &BIRTH_DATE,
            &BENEFIT,
            &COORDINATOR,
            &LAYER,
            &LAYER_FROM,
            &CASE_AREA,
            &CASE_OPENED,
            &CASE_CLOSED,
            &CASEWORKER,
        ],
        SHOWN,
    ));
    let mut plan = Plan::new(table);
    if !problems.is_empty() {
        plan.problems = problems;
        return plan;
    }
    let by_external: HashMap<&str, &AdminCitizen> =
        cx.existing.iter().filter_map(|c| c.input.external_id.as_ref().map(|e| (e.as_str(), c))).collect();
    let classified: HashMap<(CitizenId, Date), &str> =
        cx.classifications.iter().map(|(c, d, l)| ((*c, *d), l.as_str())).collect();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (number, cells) in &table.rows {
        let mut line = Line { number: *number, cells, problems: &mut problems };
        let Some(external_id) =
            line.required(external, "external_id", |t| ExternalId::try_from(t).map_err(|e| e.problem))
        else {
            continue;
        };
        if seen.insert(external_id.to_string(), *number).is_some() {
            line.refuse("external_id", Problem::Taken);
            continue;
        }
        let old_citizen = by_external.get(external_id.as_str()).copied();
        let old = old_citizen.map(|c| &c.input);
        let name =
            line.value(name, "name", old.map(|o| o.name.clone()), |t| PersonName::try_from(t).map_err(|e| e.problem));
        let birth = read_birth(&mut line, year, date, old.map(|o| o.birth));
        let benefit_type = line.value(benefit, "benefit_type", old.map(|o| o.benefit_type), |t| {
            by_name(&BenefitType::ALL, t, BenefitType::code, BenefitType::label).ok_or(Problem::UnknownValue)
        });
        // Optional: no column keeps it (a new citizen has none); an empty
        // cell clears it.
        let coordinator_id = match coordinator {
            None => Some(old.and_then(|o| o.coordinator_id)),
            Some(_) => match line.get(coordinator).to_lowercase() {
                name if name.is_empty() => Some(None),
                name => match cx.users.iter().find(|u| u.username.as_str() == name && u.active) {
                    Some(u) => Some(Some(u.id)),
                    None => {
                        line.refuse("coordinator_id", Problem::NotFound);
                        None
                    }
                },
            },
        };
        let id = old_citizen.map_or_else(|| CitizenId::from_uuid(Uuid::now_v7()), |c| c.id);
        let classification = read_layer(&mut line, layer, layer_from, cx, id, birth);
        let case = read_case(&mut line, [case_area, case_opened, case_closed, caseworker], cx, id);
        let (Some(name), Some(birth), Some(benefit_type), Some(coordinator_id), Some(classification), Some(case)) =
            (name, birth, benefit_type, coordinator_id, classification, case)
        else {
            continue;
        };
        let input = CitizenInput { name, birth, benefit_type, coordinator_id, external_id: Some(external_id.clone()) };
        const FIELDS: [Field<CitizenInput>; 4] = [
            ("name", |a, b| a.name == b.name),
            ("birth", |a, b| a.birth == b.birth),
            ("benefit_type", |a, b| a.benefit_type == b.benefit_type),
            ("coordinator_id", |a, b| a.coordinator_id == b.coordinator_id),
        ];
        let mut fields = match old {
            Some(old) => changed(old, &input, &FIELDS),
            None => {
                let mut fields: Vec<String> = FIELDS[..3].iter().map(|(f, _)| (*f).to_owned()).collect();
                if input.coordinator_id.is_some() {
                    fields.push("coordinator_id".to_owned());
                }
                fields
            }
        };
        let new_layer = classification
            .as_ref()
            .filter(|c| classified.get(&(c.citizen_id, c.valid_from)).is_none_or(|layer| *layer != c.layer.as_str()));
        if new_layer.is_some() {
            fields.push("layer".to_owned());
        }
        let new_case = case.as_ref().filter(|c| !cx.cases.contains(c));
        if new_case.is_some() {
            fields.push("case".to_owned());
        }
        if fields.is_empty() {
            plan.unchanged += 1;
            continue;
        }
        plan.changes.push(ImportChange {
            line: *number,
            external_id: external_id.to_string(),
            created: old.is_none(),
            fields,
        });
        let written = CitizenLine {
            citizen: AdminCitizen { id, input },
            classification: new_layer.cloned(),
            case: new_case.cloned(),
        };
        if old.is_some() { plan.updated.push(written) } else { plan.created.push(written) }
    }
    plan.problems = problems;
    plan
}

/// The birth from `fødselsdato` and `fødselsår` (issue 14): a date where
/// the file gives one; else the year, keeping an existing date of that
/// year; neither column: as it was. Both given must agree (`birth_year`
/// `invalid_format` otherwise); a present date column's empty cell clears
/// the date (the year stays).
fn read_birth(line: &mut Line<'_>, year: Option<usize>, date: Option<usize>, old: Option<Birth>) -> Option<Birth> {
    let year_cell = line.get(year).to_owned();
    let given_year = if year_cell.is_empty() {
        None
    } else {
        match year_cell
            .parse::<i32>()
            .map_err(|_| Problem::WholeNumberExpected { min: MIN_YEAR.into(), max: MAX_YEAR.into() })
            .and_then(|y| BirthYear::try_from(y).map_err(|e| e.problem))
        {
            Ok(y) => Some(y),
            Err(p) => {
                line.refuse("birth_year", p);
                return None;
            }
        }
    };
    let date_cell = line.get(date).to_owned();
    // Only a year in the date column: the year is what is known (as the
    // citizen form reads it), and must agree with a year column.
    let year_only = date_cell.len() == 4 && date_cell.bytes().all(|b| b.is_ascii_digit());
    let given_year = match (given_year, year_only) {
        (given, false) => given,
        (given, true) => match date_cell
            .parse::<i32>()
            .map_err(|_| Problem::InvalidFormat)
            .and_then(|y| BirthYear::try_from(y).map_err(|e| e.problem))
        {
            Err(p) => {
                line.refuse("birth_date", p);
                return None;
            }
            Ok(y) if given.is_some_and(|g| g != y) => {
                line.refuse("birth_year", Problem::InvalidFormat);
                return None;
            }
            Ok(y) => Some(y),
        },
    };
    let given_date = if date_cell.is_empty() || year_only {
        None
    } else {
        match parse_date(&date_cell) {
            Ok(d) => Some(d),
            Err(p) => {
                line.refuse("birth_date", p);
                return None;
            }
        }
    };
    match (given_date, given_year) {
        (Some(d), Some(y)) if d.year() != y.get() => {
            line.refuse("birth_year", Problem::InvalidFormat);
            None
        }
        (Some(d), _) => Some(Birth::Date(d)),
        // Without a date column, a known date of the same year stays.
        (None, Some(y)) => match old {
            Some(Birth::Date(d)) if date.is_none() && d.year() == y.get() => old,
            _ => Some(Birth::Year(y)),
        },
        (None, None) if year.is_some() => {
            line.refuse("birth_year", Problem::Required);
            None
        }
        // No year column: a present date column's empty cell clears the date.
        (None, None) => match old {
            Some(old) if date.is_some() => Some(Birth::Year(old.year())),
            Some(old) => Some(old),
            None => {
                line.refuse(if date.is_some() { "birth_date" } else { "birth_year" }, Problem::Required);
                None
            }
        },
    }
}

/// The classification a line records (`lag`, `lag fra`): `Some(None)` for
/// none, `None` when refused.
fn read_layer(
    line: &mut Line<'_>,
    layer: Option<usize>,
    from: Option<usize>,
    cx: &CitizenContext<'_>,
    citizen: CitizenId,
    birth: Option<Birth>,
) -> Option<Option<Classification>> {
    let text = line.get(layer).trim().to_lowercase();
    if text.is_empty() {
        return Some(None);
    }
    // By code, by name, or a sub-category by its full name ("Type 2 ›
    // Misbrug", also written with ">").
    let text = text.replace(" > ", " › ");
    let found = cx.scheme.layers.iter().find(|l| {
        l.code == text
            || l.label.da.to_lowercase() == text
            || l.label.en.to_lowercase() == text
            || Lang::ALL.iter().any(|lang| cx.scheme.full_label(l, *lang).to_lowercase() == text)
    });
    // An unknown layer is checked with its date, so a line's every problem
    // is listed at once (the check refuses the layer itself).
    let code = found.map_or_else(|| text.clone(), |l| l.code.clone());
    let Some(valid_from) = line.required(from, "layer_from", parse_date) else {
        if found.is_none() {
            line.refuse("layer", cx.scheme.unknown_layer());
        }
        return None;
    };
    let classification = Classification { citizen_id: citizen, layer: code, valid_from, by: cx.importer };
    match classification.check(birth, cx.today, cx.scheme) {
        Ok(()) => Some(Some(classification)),
        Err(errors) => {
            for e in errors {
                let field = if e.field == "valid_from" { "layer_from" } else { "layer" };
                line.refuse(field, e.problem);
            }
            None
        }
    }
}

/// The case a line records (`sagsområde`, `sag åbnet`, `sag lukket`,
/// `sagsbehandler`): `Some(None)` for none, `None` when refused. The case
/// worker is an active user by username (refused `not_found` otherwise);
/// without the column an existing case of the same citizen, area and
/// opening keeps its case worker, and an empty cell clears it.
fn read_case(
    line: &mut Line<'_>,
    [area, opened, closed, worker]: [Option<usize>; 4],
    cx: &CitizenContext<'_>,
    citizen: CitizenId,
) -> Option<Option<Case>> {
    let name = line.get(area).trim().to_lowercase();
    if name.is_empty() {
        return Some(None);
    }
    let Some(found) = cx.areas.iter().find(|a| a.name.as_str().to_lowercase() == name) else {
        line.refuse("case_area", Problem::NotFound);
        return None;
    };
    let opened_on = line.required(opened, "case_opened", parse_date)?;
    let closed_text = line.get(closed).to_owned();
    let closed_on = if closed_text.is_empty() {
        None
    } else {
        match parse_date(&closed_text) {
            Ok(d) => Some(d),
            Err(p) => {
                line.refuse("case_closed", p);
                return None;
            }
        }
    };
    let caseworker_id = match worker {
        None => cx
            .cases
            .iter()
            .find(|c| c.citizen_id == citizen && c.area_id == found.id && c.opened_on == opened_on)
            .and_then(|c| c.caseworker_id),
        Some(_) => match line.get(worker).trim().to_lowercase() {
            name if name.is_empty() => None,
            name => match cx.users.iter().find(|u| u.username.as_str() == name && u.active) {
                Some(u) => Some(u.id),
                None => {
                    line.refuse("case_worker", Problem::NotFound);
                    return None;
                }
            },
        },
    };
    let case = Case { citizen_id: citizen, area_id: found.id, opened_on, closed_on, caseworker_id };
    match case.check(cx.today) {
        Ok(()) => Some(Some(case)),
        Err(errors) => {
            for e in errors {
                let field = if e.field == "opened_on" { "case_opened" } else { "case_closed" };
                line.refuse(field, e.problem);
            }
            None
        }
    }
}

/// Grants: `bevillingsnummer;sagsnummer;ydelse;lovgrundlag;timer;pr;fra;til;betaler`
/// (lovgrundlag, til and betaler may be empty: the service's usual basis,
/// until further notice, the payer the rule names). Matched on the grant's
/// id in the case system, the one column every file needs; checked against
/// the payer rule and overlaps.
///
/// An update changes only the columns in the file (issue 12, kind 6): a
/// column that is absent leaves that field of an existing grant as it is
/// (without `betaler`, its payer); an empty cell of a present column means
/// what it means for a new grant (above) or is refused `required`
/// (sagsnummer, ydelse, timer, pr, fra). A line that creates a grant needs
/// those five columns. Each created or changed line is listed with the
/// fields it sets.
pub fn plan_grants(
    table: &Table,
    citizens: &[AdminCitizen],
    existing: &[Grant],
    existing_ids: &BTreeMap<String, GrantId>,
    areas: &[AreaSummary],
) -> Plan<(Grant, ExternalId)> {
    const GRANT_ID: [&str; 3] = ["bevillingsnummer", "bevillingsnr", "grant_id"];
    const SERVICE: [&str; 2] = ["ydelse", "service"];
    const BASIS: [&str; 2] = ["lovgrundlag", "legal_basis"];
    const HOURS: [&str; 2] = ["timer", "hours"];
    const PER: [&str; 3] = ["pr", "per", "enhed"];
    const FROM: [&str; 3] = ["fra", "from", "valid_from"];
    const TO: [&str; 3] = ["til", "to", "valid_to"];
    const PAYER: [&str; 2] = ["betaler", "payer"];
    const SHOWN: &[&str] =
        &["bevillingsnummer", "sagsnummer", "ydelse", "lovgrundlag", "timer", "pr", "fra", "til", "betaler"];
    let grant_id = table.column(&GRANT_ID);
    let citizen = table.column(&CASE_ID);
    let service = table.column(&SERVICE);
    let basis = table.column(&BASIS);
    let hours = table.column(&HOURS);
    let per = table.column(&PER);
    let from = table.column(&FROM);
    let to = table.column(&TO);
    let payer = table.column(&PAYER);
    let mut problems = missing_columns(table, &[("external_id", &GRANT_ID)]);
    let known: [&[&str]; 9] = [&GRANT_ID, &CASE_ID, &SERVICE, &BASIS, &HOURS, &PER, &FROM, &TO, &PAYER];
    problems.extend(unknown_columns(table, &known, SHOWN));
    let mut plan = Plan::new(table);
    if !problems.is_empty() {
        plan.problems = problems;
        return plan;
    }
    let by_case: HashMap<&str, &AdminCitizen> =
        citizens.iter().filter_map(|c| c.input.external_id.as_ref().map(|e| (e.as_str(), c))).collect();
    // Every grant as it will stand, for the overlap check across the file.
    let mut standing: Vec<Grant> = existing.to_vec();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (number, cells) in &table.rows {
        let mut line = Line { number: *number, cells, problems: &mut problems };
        let Some(external) = line.required(grant_id, "external_id", |t| ExternalId::try_from(t).map_err(|e| e.problem))
        else {
            continue;
        };
        if seen.insert(external.to_string(), *number).is_some() {
            line.refuse("external_id", Problem::Taken);
            continue;
        }
        let known = existing_ids.get(external.as_str()).copied();
        let old = existing.iter().find(|g| Some(g.id) == known);
        let old_owner = old.and_then(|o| citizens.iter().find(|c| c.id == o.citizen_id));
        let owner = line.value(citizen, "citizen_id", old_owner, |t| by_case.get(t).copied().ok_or(Problem::NotFound));
        let service = line.value(service, "service", old.map(|o| o.service), |t| {
            by_name(&Service::ALL, t, Service::code, Service::label).ok_or(Problem::UnknownValue)
        });
        let legal_basis = match (basis, line.get(basis), service) {
            // No legal-basis column: unchanged — unless the service changes.
            // Then the old service's usual basis becomes the new one's, and
            // a basis of its own must be given in the file (a § 85 grant
            // never keeps a mentor's "LAB § 78").
            (None, _, Some(s)) if old.is_some_and(|o| o.service != s) => match old {
                Some(o) if o.legal_basis.as_str() == o.service.default_legal_basis() => {
                    LegalBasis::try_from(s.default_legal_basis()).ok()
                }
                _ => {
                    line.refuse("legal_basis", Problem::Required);
                    None
                }
            },
            (None, _, _) if old.is_some() => old.map(|o| o.legal_basis.clone()),
            (_, "", Some(s)) => LegalBasis::try_from(s.default_legal_basis()).ok(),
            (_, "", None) => None,
            (_, text, _) => {
                let text = text.to_owned();
                LegalBasis::try_from(text).map_err(|e| line.refuse("legal_basis", e.problem)).ok()
            }
        };
        let per = line.value(per, "per", old.map(|o| o.allowance.per()), |t| {
            match t.to_lowercase().trim_start_matches("pr.").trim() {
                "uge" | "week" => Some(AllowanceUnit::Week),
                "måned" | "maaned" | "md" | "month" => Some(AllowanceUnit::Month),
                _ => None,
            }
            .ok_or(Problem::UnknownValue)
        });
        // Read as every hours field is (0 and "-3" out of range for the unit).
        let minutes = line.value(hours, "hours", old.map(|o| o.allowance.minutes()), |t| {
            Minutes::parse_required_hours(t, per.map(Allowance::max_minutes))
        });
        let start = line.value(from, "valid_from", old.map(|o| o.period.from()), parse_date);
        let end = match (to, old) {
            (None, Some(old)) => Some(old.period.to()),
            _ => match line.get(to).to_owned() {
                t if t.is_empty() => Some(None),
                t => parse_date(&t).map(Some).map_err(|p| line.refuse("valid_to", p)).ok(),
            },
        };
        let allowance = match (minutes, per) {
            // The column is in hours, so is its refusal (issue 12, kind 3).
            (Some(m), Some(p)) => Allowance::new(m, p)
                .map_err(|_| {
                    line.refuse("hours", Problem::HoursOutOfRange { max_minutes: Some(Allowance::max_minutes(p)) })
                })
                .ok(),
            _ => None,
        };
        let period = match (start, end) {
            (Some(s), Some(e)) => DateRange::new(s, e).map_err(|e| line.refuse("valid_to", e.problem)).ok(),
            _ => None,
        };
        let payer_area = match (payer, line.get(payer).to_lowercase(), service, owner, old) {
            (None, _, _, _, Some(old)) => areas.iter().find(|a| a.id == old.payer_area_id).or_else(|| {
                line.refuse("payer_area_id", Problem::NotFound);
                None
            }),
            (_, name, _, _, _) if !name.is_empty() => {
                areas.iter().find(|a| a.name.as_str().to_lowercase() == name).or_else(|| {
                    line.refuse("payer_area_id", Problem::NotFound);
                    None
                })
            }
            (_, _, Some(s), Some(o), _) => {
                let kind = shared::charge::payer_kind(s, o.input.benefit_type);
                areas.iter().find(|a| a.kind == kind).or_else(|| {
                    line.refuse("payer_area_id", Problem::WrongPayer { expected: kind });
                    None
                })
            }
            _ => None,
        };
        let (Some(owner), Some(service), Some(legal_basis), Some(allowance), Some(period), Some(payer_area)) =
            (owner, service, legal_basis, allowance, period, payer_area)
        else {
            continue;
        };
        let grant = Grant {
            id: known.unwrap_or_else(|| GrantId::from_uuid(Uuid::now_v7())),
            citizen_id: owner.id,
            service,
            legal_basis,
            allowance,
            period,
            payer_area_id: payer_area.id,
            offer_id: None,
        };
        if let Err(e) = shared::charge::check_grant(&grant, owner.input.benefit_type, payer_area.kind, &standing) {
            line.refuse(&e.field, e.problem);
            continue;
        }
        const FIELDS: [Field<Grant>; 8] = [
            ("citizen_id", |a, b| a.citizen_id == b.citizen_id),
            ("service", |a, b| a.service == b.service),
            ("legal_basis", |a, b| a.legal_basis == b.legal_basis),
            ("hours", |a, b| a.allowance.minutes() == b.allowance.minutes()),
            ("per", |a, b| a.allowance.per() == b.allowance.per()),
            ("valid_from", |a, b| a.period.from() == b.period.from()),
            ("valid_to", |a, b| a.period.to() == b.period.to()),
            ("payer_area_id", |a, b| a.payer_area_id == b.payer_area_id),
        ];
        let fields = match old {
            Some(old) if old.citizen_id != grant.citizen_id => {
                // A grant never moves to another citizen.
                line.refuse("citizen_id", Problem::InvalidFormat);
                continue;
            }
            Some(old) if *old == grant => {
                plan.unchanged += 1;
                continue;
            }
            Some(old) => changed(old, &grant, &FIELDS),
            None => FIELDS
                .iter()
                .map(|(f, _)| *f)
                .filter(|f| *f != "valid_to" || grant.period.to().is_some())
                .map(str::to_owned)
                .collect(),
        };
        plan.changes.push(ImportChange {
            line: *number,
            external_id: external.to_string(),
            created: old.is_none(),
            fields,
        });
        standing.retain(|g| g.id != grant.id);
        standing.push(grant.clone());
        if known.is_some() {
            plan.updated.push((grant, external));
        } else {
            plan.created.push((grant, external));
        }
    }
    plan.problems = problems;
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_and_utf8_with_a_bom_both_read() {
        assert_eq!(decode(b"\xef\xbb\xbfs\xc3\xb8"), "sø");
        assert_eq!(decode(b"S\xf8ren \xc6blet \x80"), "Søren Æblet €");
    }

    #[test]
    fn the_separator_is_found_and_lines_are_numbered() {
        let t = read_table("Sagsnummer;Navn\r\nA-1;\"Hansen; Mette\"\r\n\r\nA-2;Bo\r\n").expect("table");
        assert_eq!(t.header, ["sagsnummer", "navn"]);
        assert_eq!(t.rows, [(2, vec!["A-1".into(), "Hansen; Mette".into()]), (4, vec!["A-2".into(), "Bo".into()])]);
        let t = read_table("sagsnummer,navn\nA-1,Bo\n").expect("commas");
        assert_eq!(t.rows[0].1, ["A-1", "Bo"]);
        let many = format!("a;b\n{}", "x;y\n".repeat(ImportReport::MAX_LINES as usize + 1));
        assert_eq!(read_table(&many).expect_err("too many").code, "out_of_range");
    }

    /// A date cell the calendar does not have, and a birth year that is no
    /// number, are refused in the words the app's own fields use
    /// (`date_expected`, and the year's range), not "has an invalid
    /// format" (session 16: the kind of session 15's note).
    #[test]
    fn a_date_cell_that_does_not_exist_is_named_as_the_forms_name_it() {
        let text = "sagsnummer;navn;fødselsår;fødselsdato;lag;lag fra;ydelse\n\
                    S-1;Mette Holm;19x9;;Fælles plan;30.09.2026;kontanthjælp\n\
                    S-2;Bo Berg;;31.02.1988;Fælles plan;30.09.2026;kontanthjælp\n\
                    S-3;Ib Ask;1990;;Fælles plan;31.04.2026;kontanthjælp\n\
                    S-4;Eva Lund;1991;;Fælles plaan;30.09.2026;kontanthjælp\n";
        let t = read_table(text).expect("table");
        let fixture = Fixture::new(&[], &[]);
        let plan = plan_citizens(&t, &fixture.cx());
        let found: Vec<(u32, &str, &str, &str)> =
            plan.problems.iter().map(|p| (p.line, p.field.as_str(), p.code.as_str(), p.message.da.as_str())).collect();
        assert_eq!(
            found,
            [
                (2, "birth_year", "whole_number_expected", "Fødselsår: skal være et helt tal fra 1900 til 2199"),
                (
                    3,
                    "birth_date",
                    "date_expected",
                    "Fødselsdato: skal være en dato, der findes, skrevet som 28.02.2026"
                ),
                (4, "layer_from", "date_expected", "Lag fra: skal være en dato, der findes, skrevet som 28.02.2026"),
                // An unknown layer lists the scheme's layers (issue 14's walk).
                (
                    5,
                    "layer",
                    "unknown_value",
                    "Lag: er ikke et lag i sagsgennemgangen; brug et af: employment (Overflyttes til \
                     beskæftigelsesområdet), joint_plan (Fælles plan), social (Forbliver på socialområdet)"
                ),
            ]
        );
    }

    #[test]
    fn danish_dates() {
        for (text, iso) in [
            ("24.11.2026", "2026-11-24"),
            ("1-2-2027", "2027-02-01"),
            ("2026-11-24", "2026-11-24"),
            ("05/06/2026", "2026-06-05"),
        ] {
            assert_eq!(parse_date(text), Ok(iso.parse().expect("date")), "{text}");
        }
        for bad in ["31.02.2026", "24.11.26", "i går", "", "29.02.2027", "2026-04-31"] {
            assert_eq!(parse_date(bad), Err(Problem::DateExpected), "{bad}");
        }
    }

    #[test]
    fn citizens_are_matched_on_the_case_id_and_every_problem_has_its_line() {
        let text = "sagsnummer;navn;fødselsår;lag;lag fra;ydelse;koordinator\n\
                    S-1;Mette Holm;1988;Fælles plan;30.09.2026;kontanthjælp;\n\
                    S-2;;1850;nogen;30.09.2026;cash_benefit;ingen\n\
                    S-1;Bo Berg;1990;youth;;other;\n";
        let t = read_table(text).expect("table");
        let fixture = Fixture::new(&[], &[]);
        let plan = plan_citizens(&t, &fixture.cx());
        assert_eq!((plan.lines, plan.created.len(), plan.updated.len()), (3, 1, 0));
        let found: Vec<(u32, &str, &str)> =
            plan.problems.iter().map(|p| (p.line, p.field.as_str(), p.code.as_str())).collect();
        assert_eq!(
            found,
            [
                (3, "name", "required"),
                (3, "birth_year", "out_of_range"),
                (3, "coordinator_id", "not_found"),
                (3, "layer", "unknown_value"),
                (4, "external_id", "taken")
            ]
        );
        assert_eq!(
            plan.created[0].classification.as_ref().map(|c| (c.layer.as_str(), c.valid_from.to_string())),
            Some(("joint_plan", "2026-09-30".to_owned()))
        );
        // The same line again changes nothing; a new name is an update.
        let existing: Vec<AdminCitizen> = plan.created.iter().map(|l| l.citizen.clone()).collect();
        let mut fixture = Fixture::new(&existing, &[]);
        fixture.classifications.push((existing[0].id, "2026-09-30".parse().expect("date"), "joint_plan".into()));
        let again =
            plan_citizens(&read_table(&text.lines().take(2).collect::<Vec<_>>().join("\n")).expect("t"), &fixture.cx());
        assert_eq!((again.created.len(), again.updated.len(), again.unchanged), (0, 0, 1));
        let renamed = plan_citizens(
            &read_table(
                "sagsnummer;navn;fødselsår;lag;lag fra;ydelse\nS-1;Mette Holm Berg;1988;social;1.10.2026;cash_benefit",
            )
            .expect("t"),
            &fixture.cx(),
        );
        assert_eq!(changes(&renamed), [(2, false, vec!["name", "layer"])]);
        assert_eq!(renamed.updated[0].citizen.id, existing[0].id);
    }

    #[test]
    fn a_file_without_the_case_id_is_refused_at_the_header_and_a_new_citizen_needs_every_column() {
        let fixture = Fixture::new(&[], &[]);
        let plan = plan_citizens(&read_table("navn;fødselsår\nMette;1988").expect("t"), &fixture.cx());
        let found: Vec<(u32, &str)> = plan.problems.iter().map(|p| (p.line, p.field.as_str())).collect();
        assert_eq!(found, [(1, "external_id")]);
        let plan = plan_citizens(&read_table("sagsnummer;navn\nS-1;Mette").expect("t"), &fixture.cx());
        let found: Vec<(u32, &str, &str)> =
            plan.problems.iter().map(|p| (p.line, p.field.as_str(), p.code.as_str())).collect();
        assert_eq!(found, [(2, "birth_year", "required"), (2, "benefit_type", "required")]);
    }

    fn user(n: u128, username: &str) -> AdminUser {
        AdminUser {
            id: shared::UserId::from_uuid(Uuid::from_u128(n)),
            username: username.try_into().expect("valid"),
            name: "Karina Mikkelsen".try_into().expect("valid"),
            roles: vec![shared::user::Role::Coordinator],
            team_ids: vec![],
            area_ids: vec![],
            active: true,
            must_change_password: false,
            course_post: None,
        }
    }

    fn mette(coordinator: Option<shared::UserId>) -> AdminCitizen {
        AdminCitizen {
            id: CitizenId::from_uuid(Uuid::from_u128(1)),
            input: CitizenInput {
                name: PersonName::try_from("Mette Holm").expect("valid"),
                birth: Birth::Date("1988-03-12".parse().expect("date")),
                benefit_type: BenefitType::CashBenefit,
                coordinator_id: coordinator,
                external_id: Some(ExternalId::try_from("S-1").expect("valid")),
            },
        }
    }

    /// What a citizens import is checked against, owned.
    struct Fixture {
        existing: Vec<AdminCitizen>,
        users: Vec<AdminUser>,
        scheme: Scheme,
        areas: [AreaSummary; 2],
        classifications: Vec<(CitizenId, Date, String)>,
        cases: Vec<Case>,
    }

    impl Fixture {
        fn new(existing: &[AdminCitizen], users: &[AdminUser]) -> Fixture {
            Fixture {
                existing: existing.to_vec(),
                users: users.to_vec(),
                scheme: Scheme::seed_000(),
                areas: areas(),
                classifications: Vec::new(),
                cases: Vec::new(),
            }
        }

        fn cx(&self) -> CitizenContext<'_> {
            CitizenContext {
                existing: &self.existing,
                users: &self.users,
                scheme: &self.scheme,
                areas: &self.areas,
                classifications: &self.classifications,
                cases: &self.cases,
                today: "2026-11-30".parse().expect("date"),
                importer: shared::UserId::from_uuid(Uuid::from_u128(99)),
            }
        }
    }

    /// (line, created, fields) of a plan's changes; (line, field, code) of its problems.
    type Changes<'a> = Vec<(u32, bool, Vec<&'a str>)>;
    type Problems<'a> = Vec<(u32, &'a str, &'a str)>;

    fn changes<T>(plan: &Plan<T>) -> Changes<'_> {
        plan.changes.iter().map(|c| (c.line, c.created, c.fields.iter().map(String::as_str).collect())).collect()
    }

    fn problems_of<T>(plan: &Plan<T>) -> Problems<'_> {
        plan.problems.iter().map(|p| (p.line, p.field.as_str(), p.code.as_str())).collect()
    }

    /// Issue 12, kind 6: an update import changes only the columns in the
    /// file. The first case is the failing input: the same citizen again
    /// without the `koordinator` column cleared the coordinator.
    #[test]
    fn a_citizen_update_changes_only_the_columns_in_the_file() {
        let karina = user(7, "coordinator");
        let anne = user(8, "anne");
        let users = [karina.clone(), anne.clone()];
        let existing = [mette(Some(karina.id))];
        // (file, changes, problems, the coordinator after)
        type Case<'a> = (&'a str, Changes<'a>, Problems<'a>, Option<shared::UserId>);
        let cases: Vec<Case> = vec![
            ("sagsnummer;navn;fødselsår;ydelse\nS-1;Mette Holm;1988;cash_benefit", vec![], vec![], Some(karina.id)),
            ("sagsnummer\nS-1", vec![], vec![], Some(karina.id)),
            ("sagsnummer;navn\nS-1;Mette Berg", vec![(2, false, vec!["name"])], vec![], Some(karina.id)),
            ("sagsnummer;fødselsår\nS-1;1989", vec![(2, false, vec!["birth"])], vec![], Some(karina.id)),
            (
                "sagsnummer;ydelse;lag;lag fra\nS-1;other;joint_plan;2026-09-30",
                vec![(2, false, vec!["benefit_type", "layer"])],
                vec![],
                Some(karina.id),
            ),
            // An empty coordinator cell clears it; another username moves it.
            ("sagsnummer;koordinator\nS-1;", vec![(2, false, vec!["coordinator_id"])], vec![], None),
            ("sagsnummer;koordinator\nS-1;ANNE", vec![(2, false, vec!["coordinator_id"])], vec![], Some(anne.id)),
            ("sagsnummer;koordinator\nS-1;coordinator", vec![], vec![], Some(karina.id)),
            (
                "sagsnummer;navn;koordinator\nS-1;Mette Berg;",
                vec![(2, false, vec!["name", "coordinator_id"])],
                vec![],
                None,
            ),
            // An empty cell of a required field is refused, not cleared.
            ("sagsnummer;navn\nS-1;", vec![], vec![(2, "name", "required")], Some(karina.id)),
            (
                "sagsnummer;fødselsår;ydelse\nS-1;;",
                vec![],
                vec![(2, "birth_year", "required"), (2, "benefit_type", "required")],
                Some(karina.id),
            ),
            ("sagsnummer;koordinator\nS-1;nobody", vec![], vec![(2, "coordinator_id", "not_found")], Some(karina.id)),
            // A new citizen next to the update needs every column.
            (
                "sagsnummer;navn\nS-1;Mette Holm\nS-2;Bo Berg",
                vec![],
                vec![(3, "birth_year", "required"), (3, "benefit_type", "required")],
                Some(karina.id),
            ),
            (
                "sagsnummer;navn;fødselsår;ydelse\nS-2;Bo Berg;1990;other",
                vec![(2, true, vec!["name", "birth", "benefit_type"])],
                vec![],
                Some(karina.id),
            ),
            // A column the import does not know is refused, not left out in
            // silence: a misspelt `koordinator` would change nothing.
            ("sagsnummer;kordinator\nS-1;", vec![], vec![(1, "kordinator", "unknown_column")], Some(karina.id)),
            (
                "sagsnummer;navn;telefon\nS-1;Mette Berg;12345678",
                vec![],
                vec![(1, "telefon", "unknown_column")],
                Some(karina.id),
            ),
            // Another separator: one column no one knows, and no case id.
            (
                "sagsnummer|koordinator\nS-1|",
                vec![],
                vec![(1, "external_id", "required"), (1, "sagsnummer|koordinator", "unknown_column")],
                Some(karina.id),
            ),
            // The English names are known too.
            ("case_id;coordinator\nS-1;anne", vec![(2, false, vec!["coordinator_id"])], vec![], Some(anne.id)),
        ];
        for (file, expected_changes, expected_problems, coordinator) in cases {
            let fixture = Fixture::new(&existing, &users);
            let plan = plan_citizens(&read_table(file).expect("table"), &fixture.cx());
            assert_eq!(changes(&plan), expected_changes, "{file:?}");
            assert_eq!(problems_of(&plan), expected_problems, "{file:?}");
            let after =
                plan.updated.iter().map(|l| &l.citizen).find(|c| c.id == existing[0].id).unwrap_or(&existing[0]);
            assert_eq!(after.input.coordinator_id, coordinator, "{file:?}");
            // Whatever the file leaves out stays as it was.
            if !file.contains("fødselsår") {
                assert_eq!(after.input.birth, existing[0].input.birth, "{file:?}");
            }
            let counted = plan.created.len() + plan.updated.len();
            assert_eq!(counted, plan.changes.len(), "{file:?}: one change per written line");
            if expected_problems.is_empty() {
                assert_eq!(counted as u32 + plan.unchanged, plan.lines, "{file:?}");
            }
        }
    }

    /// Issue 14: the birth date, the layer with its date and the case per
    /// area; every bad cell refused at its field, nothing half written.
    #[test]
    fn birth_dates_layers_and_cases_are_read_and_checked() {
        let existing = [mette(None)];
        let karina = user(7, "karina");
        let mut fixture = Fixture::new(&existing, std::slice::from_ref(&karina));
        let social = fixture.areas[1].id;
        fixture.cases.push(Case {
            citizen_id: existing[0].id,
            area_id: social,
            opened_on: "2025-01-06".parse().expect("date"),
            closed_on: None,
            caseworker_id: None,
        });
        fixture.classifications.push((existing[0].id, "2026-09-30".parse().expect("date"), "social".into()));
        // (file, changes, problems)
        let cases: Vec<(&str, Changes, Problems)> = vec![
            // The same date, the same year with a date known, the same
            // layer and case again: nothing changes.
            ("sagsnummer;fødselsdato\nS-1;12.03.1988", vec![], vec![]),
            ("sagsnummer;fødselsår\nS-1;1988", vec![], vec![]),
            ("sagsnummer;lag;lag fra\nS-1;Forbliver på socialområdet;30.09.2026", vec![], vec![]),
            ("sagsnummer;sagsområde;sag åbnet;sag lukket\nS-1;socialområdet;6.1.2025;", vec![], vec![]),
            // Changes.
            ("sagsnummer;fødselsdato\nS-1;13.03.1988", vec![(2, false, vec!["birth"])], vec![]),
            ("sagsnummer;fødselsdato\nS-1;", vec![(2, false, vec!["birth"])], vec![]),
            ("sagsnummer;lag;lag fra\nS-1;employment;01.11.2026", vec![(2, false, vec!["layer"])], vec![]),
            (
                "sagsnummer;sagsområde;sag åbnet;sag lukket\nS-1;Socialområdet;06.01.2025;31.10.2026",
                vec![(2, false, vec!["case"])],
                vec![],
            ),
            ("sagsnummer;lag;lag fra\nS-1;;", vec![], vec![]),
            // The case's case worker, by username (issue 14: caseloads).
            (
                "sagsnummer;sagsområde;sag åbnet;sagsbehandler\nS-1;Socialområdet;06.01.2025;Karina",
                vec![(2, false, vec!["case"])],
                vec![],
            ),
            ("sagsnummer;sagsområde;sag åbnet;sagsbehandler\nS-1;Socialområdet;06.01.2025;", vec![], vec![]),
            (
                "sagsnummer;sagsområde;sag åbnet;sagsbehandler\nS-1;Socialområdet;06.01.2025;ukendt",
                vec![],
                vec![(2, "case_worker", "not_found")],
            ),
            ("sagsnummer;sagsbehandler\nS-1;karina", vec![], vec![(1, "case_area", "required")]),
            // Refusals, each at its field.
            (
                "sagsnummer;fødselsdato;fødselsår\nS-1;12.03.1988;1989",
                vec![],
                vec![(2, "birth_year", "invalid_format")],
            ),
            ("sagsnummer;fødselsdato\nS-1;31.02.1988", vec![], vec![(2, "birth_date", "date_expected")]),
            ("sagsnummer;lag;lag fra\nS-1;youth;01.11.2026", vec![], vec![(2, "layer", "unknown_value")]),
            // Every problem of the line at once (the walk: only the layer's
            // showed, the future date after it was fixed).
            (
                "sagsnummer;lag;lag fra\nS-1;ukendt;01.12.2026",
                vec![],
                vec![(2, "layer_from", "in_future"), (2, "layer", "unknown_value")],
            ),
            ("sagsnummer;lag\nS-1;ukendt", vec![], vec![(2, "layer_from", "required"), (2, "layer", "unknown_value")]),
            // A year alone in the date column is the year (as the form reads it).
            ("sagsnummer;fødselsdato\nS-1;1988", vec![(2, false, vec!["birth"])], vec![]),
            ("sagsnummer;fødselsdato\nS-1;1850", vec![], vec![(2, "birth_date", "out_of_range")]),
            ("sagsnummer;fødselsdato;fødselsår\nS-1;1988;1989", vec![], vec![(2, "birth_year", "invalid_format")]),
            ("sagsnummer;lag\nS-1;social", vec![], vec![(2, "layer_from", "required")]),
            ("sagsnummer;lag;lag fra\nS-1;social;01.12.2026", vec![], vec![(2, "layer_from", "in_future")]),
            ("sagsnummer;lag;lag fra\nS-1;social;01.03.1988", vec![], vec![(2, "layer_from", "before_birth")]),
            ("sagsnummer;lag;lag fra\nS-1;social;1.13.2026", vec![], vec![(2, "layer_from", "date_expected")]),
            ("sagsnummer;sagsområde;sag åbnet\nS-1;Sundhed;01.01.2026", vec![], vec![(2, "case_area", "not_found")]),
            ("sagsnummer;sagsområde\nS-1;Socialområdet", vec![], vec![(2, "case_opened", "required")]),
            (
                "sagsnummer;sagsområde;sag åbnet;sag lukket\nS-1;Socialområdet;01.06.2026;31.05.2026",
                vec![],
                vec![(2, "case_closed", "before_start_day")],
            ),
            (
                "sagsnummer;sagsområde;sag åbnet\nS-1;Socialområdet;01.12.2026",
                vec![],
                vec![(2, "case_opened", "in_future")],
            ),
            // A new citizen with a birth date alone.
            (
                "sagsnummer;navn;fødselsdato;ydelse;lag;lag fra;sagsområde;sag åbnet\n\
                 S-2;Bo Berg;29.02.2008;other;joint_plan;30.09.2026;Socialområdet;01.08.2023",
                vec![(2, true, vec!["name", "birth", "benefit_type", "layer", "case"])],
                vec![],
            ),
        ];
        for (file, expected_changes, expected_problems) in cases {
            let plan = plan_citizens(&read_table(file).expect("table"), &fixture.cx());
            assert_eq!(changes(&plan), expected_changes, "{file:?}");
            assert_eq!(problems_of(&plan), expected_problems, "{file:?}");
            if !expected_problems.is_empty() {
                assert!(plan.created.is_empty() && plan.updated.is_empty(), "{file:?}: a refused line writes nothing");
            }
        }
        let plan = plan_citizens(&read_table("sagsnummer;fødselsdato\nS-1;").expect("t"), &fixture.cx());
        assert_eq!(plan.updated[0].citizen.input.birth, Birth::Year(BirthYear::try_from(1988).expect("year")));
        let plan = plan_citizens(
            &read_table("sagsnummer;sagsområde;sag åbnet;sag lukket\nS-1;Socialområdet;06.01.2025;31.10.2026")
                .expect("t"),
            &fixture.cx(),
        );
        assert_eq!(plan.updated[0].case.as_ref().and_then(|c| c.closed_on), Some("2026-10-31".parse().expect("date")));
        assert_eq!(plan.updated[0].classification, None, "no layer column, no classification");
        let plan = plan_citizens(
            &read_table("sagsnummer;sagsområde;sag åbnet;sagsbehandler\nS-1;Socialområdet;06.01.2025;karina")
                .expect("t"),
            &fixture.cx(),
        );
        assert_eq!(plan.updated[0].case.as_ref().and_then(|c| c.caseworker_id), Some(karina.id));
    }

    fn areas() -> [AreaSummary; 2] {
        use shared::area::AreaKind;
        [
            AreaSummary {
                id: shared::AreaId::from_uuid(Uuid::from_u128(2)),
                name: "Beskæftigelsesområdet".try_into().expect("valid"),
                kind: AreaKind::Employment,
            },
            AreaSummary {
                id: shared::AreaId::from_uuid(Uuid::from_u128(3)),
                name: "Socialområdet".try_into().expect("valid"),
                kind: AreaKind::Social,
            },
        ]
    }

    /// Issue 12, kind 6, for grants: B-1 is Mette's mentor grant, 2 hours a
    /// week from 1.1.2027 to 30.6.2027 on a basis of its own.
    /// A file that changes a grant's service and has no legal-basis
    /// column: the old service's usual basis follows the service; one of
    /// the grant's own must be given (review of issue 12, kind 6).
    #[test]
    fn a_changed_service_does_not_keep_the_old_services_legal_basis() {
        let areas = areas();
        let citizens = [mette(None)];
        let ids = BTreeMap::from([("B-1".to_owned(), GrantId::from_uuid(Uuid::from_u128(20)))]);
        // (the old grant's basis, the problems, the basis after)
        let cases =
            [("LAB § 78", vec![], Some("SEL § 85")), ("LAB § 78, stk. 2", vec![(2, "legal_basis", "required")], None)];
        for (basis, problems, after) in cases {
            let old = Grant {
                id: GrantId::from_uuid(Uuid::from_u128(20)),
                citizen_id: citizens[0].id,
                service: Service::Mentor,
                legal_basis: LegalBasis::try_from(basis).expect("valid"),
                allowance: Allowance::new(Minutes::new(120), AllowanceUnit::Week).expect("valid"),
                period: DateRange::new(Date::new(2027, 1, 1).expect("date"), None).expect("range"),
                payer_area_id: areas[0].id,
                offer_id: None,
            };
            let file = "bevillingsnummer;ydelse\nB-1;housing_support";
            let plan = plan_grants(&read_table(file).expect("table"), &citizens, &[old], &ids, &areas);
            assert_eq!(problems_of(&plan), problems, "{basis}");
            let got = plan.updated.first().map(|(g, _)| g.legal_basis.as_str());
            assert_eq!(got, after, "{basis}");
        }
    }

    #[test]
    fn a_grant_update_changes_only_the_columns_in_the_file() {
        let areas = areas();
        let citizens = [mette(None)];
        let old = Grant {
            id: GrantId::from_uuid(Uuid::from_u128(20)),
            citizen_id: citizens[0].id,
            service: Service::Mentor,
            legal_basis: LegalBasis::try_from("LAB § 78, stk. 2").expect("valid"),
            allowance: Allowance::new(Minutes::new(120), AllowanceUnit::Week).expect("valid"),
            period: DateRange::new(Date::new(2027, 1, 1).expect("date"), Some(Date::new(2027, 6, 30).expect("date")))
                .expect("range"),
            payer_area_id: areas[0].id,
            offer_id: None,
        };
        let ids = BTreeMap::from([("B-1".to_owned(), old.id)]);
        let cases: Vec<(&str, Changes, Problems)> = vec![
            ("bevillingsnummer\nB-1", vec![], vec![]),
            ("bevillingsnummer;timer\nB-1;4", vec![(2, false, vec!["hours"])], vec![]),
            ("bevillingsnummer;timer\nB-1;2", vec![], vec![]),
            ("bevillingsnummer;pr\nB-1;måned", vec![(2, false, vec!["per"])], vec![]),
            ("bevillingsnummer;til\nB-1;", vec![(2, false, vec!["valid_to"])], vec![]),
            ("bevillingsnummer;til\nB-1;31.12.2027", vec![(2, false, vec!["valid_to"])], vec![]),
            ("bevillingsnummer;fra\nB-1;01.02.2027", vec![(2, false, vec!["valid_from"])], vec![]),
            ("bevillingsnummer;lovgrundlag\nB-1;", vec![(2, false, vec!["legal_basis"])], vec![]),
            ("bevillingsnummer;betaler\nB-1;", vec![], vec![]),
            (
                "bevillingsnummer;sagsnummer;ydelse;timer;pr;fra\nB-1;S-1;mentor;2;uge;01.01.2027",
                // Every column it has, as it was; the others left alone.
                vec![],
                vec![],
            ),
            // Required values are refused empty, not cleared.
            (
                "bevillingsnummer;timer;fra\nB-1;;",
                vec![],
                vec![(2, "hours", "required"), (2, "valid_from", "required")],
            ),
            ("bevillingsnummer;betaler\nB-1;Socialområdet", vec![], vec![(2, "payer_area_id", "wrong_payer")]),
            // A column the import does not know is refused: `timmer` would
            // otherwise leave the hours as they were with no word.
            ("bevillingsnummer;timmer\nB-1;4", vec![], vec![(1, "timmer", "unknown_column")]),
            ("bevillingsnummer,timer\tpr\nB-1,4\tuge", vec![], vec![(1, "timer\tpr", "unknown_column")]),
            // A new grant needs its columns.
            (
                "bevillingsnummer;timer\nB-1;3\nB-2;3",
                vec![(2, false, vec!["hours"])],
                vec![
                    (3, "citizen_id", "required"),
                    (3, "service", "required"),
                    (3, "per", "required"),
                    (3, "valid_from", "required"),
                ],
            ),
        ];
        for (file, expected_changes, expected_problems) in cases {
            let plan =
                plan_grants(&read_table(file).expect("table"), &citizens, std::slice::from_ref(&old), &ids, &areas);
            assert_eq!(problems_of(&plan), expected_problems, "{file:?}");
            if !expected_problems.is_empty() && plan.changes.is_empty() {
                continue;
            }
            assert_eq!(changes(&plan), expected_changes, "{file:?}");
            // Whatever the file leaves out stays as it was.
            let after = plan.updated.first().map_or(&old, |(g, _)| g);
            if !file.contains("betaler") {
                assert_eq!(after.payer_area_id, old.payer_area_id, "{file:?}");
            }
            if !file.contains("lovgrundlag") {
                assert_eq!(after.legal_basis, old.legal_basis, "{file:?}");
            }
            if !file.contains("til") {
                assert_eq!(after.period.to(), old.period.to(), "{file:?}");
            }
        }
    }

    /// Issue 12, kind 3: the import reads hours through the one parser
    /// (`Minutes::parse_hours`), the Danish way.
    #[test]
    fn grant_hours_are_read_the_danish_way() {
        use shared::area::AreaKind;
        let citizen = mette(None);
        let areas = [AreaSummary {
            id: shared::AreaId::from_uuid(Uuid::from_u128(2)),
            name: "Beskæftigelsesområdet".try_into().expect("valid"),
            kind: AreaKind::Employment,
        }];
        let cases: &[(&str, Result<u32, &str>)] = &[
            ("2,5", Ok(150)),
            ("1:40", Ok(100)),
            ("\"1,75\"", Ok(105)),
            ("1.5", Err("ambiguous_hours")),
            ("1,200.5", Err("ambiguous_hours")),
            ("0,01", Err("not_whole_minutes")),
            // 1200 hours: more than a month has, so a typo.
            ("1.200", Err("hours_out_of_range")),
            ("0", Err("hours_out_of_range")),
            ("-3", Err("hours_out_of_range")),
            ("", Err("required")),
        ];
        for (hours, expected) in cases {
            let text =
                format!("bevillingsnummer;sagsnummer;ydelse;timer;pr;fra\nB-1;S-1;mentor;{hours};måned;01.01.2027\n");
            let plan = plan_grants(
                &read_table(&text).expect("t"),
                std::slice::from_ref(&citizen),
                &[],
                &BTreeMap::new(),
                &areas,
            );
            let got = match (plan.created.first(), plan.problems.first()) {
                (Some((g, _)), None) => Ok(g.allowance.minutes().get()),
                (None, Some(p)) => {
                    assert_eq!((p.line, p.field.as_str()), (2, "hours"), "{hours:?}");
                    Err(p.code.as_str())
                }
                other => panic!("{hours:?}: {other:?}"),
            };
            assert_eq!(&got, expected, "{hours:?}");
        }
    }
}
