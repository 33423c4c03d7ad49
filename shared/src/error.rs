//! Validation errors and the one JSON error body every endpoint answers with.
//!
//! Every error names the field it is about and carries a stable `code`, so the
//! phone can map it to its own text, plus ready-made Danish and English
//! messages for anyone who just wants to show it.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::lang::{Lang, Localized};

/// A calendar day as a message names it: year, month and day (`error`
/// holds no `Date`, since `time` reads `error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayParts {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl DayParts {
    /// "03.03.2027".
    pub fn da(self) -> String {
        format!("{:02}.{:02}.{}", self.day, self.month, self.year)
    }

    /// "03/03/2027".
    pub fn en(self) -> String {
        format!("{:02}/{:02}/{}", self.day, self.month, self.year)
    }
}

/// What is wrong with a value. The `code` of each variant is stable: clients
/// and tests match on it, so never rename one.
///
/// Not serialised itself: on the wire a problem is a [`FieldError`]'s
/// `code` (the snake_case name given per variant below) and its `message`
/// in Danish and English. Lengths are in characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Code `required`: the value is empty (after trimming, for text) where
    /// one is needed.
    Required,
    /// Code `too_long`: more than `max` characters.
    TooLong { max: u32 },
    /// Code `too_short`: fewer than `min` characters (a username, a new
    /// password).
    TooShort { min: u32 },
    /// Code `out_of_range`: a number outside `min..=max` (both inclusive), in
    /// the field's own unit (minutes, years, months, cases).
    OutOfRange { min: i64, max: i64 },
    /// Code `invalid_format`: text that does not parse as the type (a date,
    /// a timestamp, an id, hours).
    InvalidFormat,
    /// Code `unknown_value`: a code or choice that is not one of the known
    /// ones (a role, an area or team picked by name).
    UnknownValue,
    /// Code `invalid_characters`: control characters (line breaks and tabs
    /// are allowed in notes only), or a username outside `a–z`, `0–9`, `.`,
    /// `_`, `-`.
    InvalidCharacters,
    /// Code `end_before_start`: an end before its start (a date range's
    /// `valid_to`), or a visit's end not after its start (a no-show may end
    /// when it starts).
    EndBeforeStart,
    /// Code `duration_too_long`: a visit longer than `max_minutes` real
    /// elapsed minutes; the message says it in whole hours.
    DurationTooLong { max_minutes: u32 },
    /// Code `in_future`: a visit on a later Copenhagen day than the device's
    /// today, or a month approved before it has ended.
    InFuture,
    /// A wall-clock time the spring change skips (02.00–02.59 on the last
    /// Sunday of March in Copenhagen): it names no instant.
    /// Code `skipped_time`.
    SkippedTime,
    /// The user is not assigned to the citizen on that date.
    /// Code `not_assigned`.
    NotAssigned,
    /// Another grant for the same service covers some of the same days.
    /// Code `overlaps`.
    Overlaps,
    /// The payer rule (seed 003) names another kind of area.
    /// Code `wrong_payer`; `expected` is the kind the rule names
    /// ([`crate::charge::payer_kind`]).
    WrongPayer { expected: crate::area_kind::AreaKind },
    /// An id that names nothing (or nothing the user may see).
    /// Code `not_found`.
    NotFound,
    /// The value must be unique and another record has it (a username, a
    /// team name in its area, an external case id).
    /// Code `taken`.
    Taken,
    /// A repeated value (a new password typed twice) differs.
    /// Code `mismatch`.
    Mismatch,
    /// Too large to be stored or sent (a record over the sync limit).
    /// Code `too_large`; `max_kb` is the limit in kilobytes (1024 bytes).
    TooLarge { max_kb: u32 },
    /// A visit charged to a grant or drawing right that may not pay for it:
    /// another citizen's, not valid on the visit's date, a pool the
    /// worker's team does not deliver on, or a grant that is drawn on a
    /// pool ([`crate::charge::check_charge`]).
    /// Code `not_chargeable`.
    NotChargeable,
    /// Typed hours that could be read more than one way (`1.5`: an English
    /// decimal point?). The message says how to write hours the Danish way.
    /// Code `ambiguous_hours`.
    AmbiguousHours,
    /// Typed hours that are no whole number of minutes (`0,01`).
    /// Code `not_whole_minutes`.
    NotWholeMinutes,
    /// A CSV import's header names a column the import does not read (a
    /// typo, or another separator than `;` and `,`); `known` are the
    /// columns it reads, as the message lists them. Code `unknown_column`.
    UnknownColumn { known: &'static [&'static str] },
    /// A date before the citizen was born (a classification's valid-from).
    /// Code `before_birth`.
    BeforeBirth,
    /// A classification scheme that drops a layer classified citizens hold
    /// (issue 14): it would orphan them. Code `layer_in_use`; the layer's
    /// name in Danish and English, as the administrator knows it (issue
    /// 14's walk: the message named the code).
    LayerInUse { da: String, en: String },
    /// A layer the classification scheme does not have (an import's cell,
    /// a classification sent by hand): the message lists the scheme's
    /// layers as the import reads them, by code and name in each language
    /// (issue 14's walk: "er ikke en kendt værdi"). Code `unknown_value`.
    UnknownLayer { da: String, en: String },
    /// A citizen outside the areas and teams the user may review (issue 14:
    /// a review classification for a citizen outside the reviewer's area).
    /// Code `outside_scope`.
    OutsideScope,
    /// A money field holding something else than whole kroner ("550,50",
    /// "-5"): the message asks for whole kroner, e.g. 550. Code
    /// `whole_kroner_expected`.
    WholeKronerExpected,
    /// A layer put under one that is itself a sub-category (or under
    /// itself): sub-categories are one level deep. Code `not_top_level`.
    NotTopLevel,
    /// A date before today where only today or later makes sense (a
    /// handover's first day). Code `in_past`.
    InPast,
    /// The same person on both sides (a handover to the worker who hands
    /// over). Code `same_person`.
    SamePerson,
    /// A date before the citizen's plan was begun (a follow-up's, issue
    /// 15). Code `before_plan`.
    /// (The plan's start, as year, month and day: `time` reads `error`, so
    /// `error` holds no `Date`.)
    BeforePlan { year: i32, month: u8, day: u8 },
    /// Hours outside what an hours field allows, said in hours: none where
    /// some are needed, or more than `max_minutes` (168 hours for a weekly
    /// grant). `max_minutes: None` when only zero is refused.
    /// Code `hours_out_of_range`.
    HoursOutOfRange { max_minutes: Option<u32> },
    /// A minutes field holding something else than a whole number (`1.5`,
    /// `1,5`, `1:30`): the message asks for minutes, e.g. 90.
    /// Code `minutes_expected`.
    MinutesExpected,
    /// An hours field holding what is no number of hours (`abc`, `37 t`):
    /// the message shows how hours are written. Code `hours_expected`.
    HoursExpected,
    /// A number field holding what is no whole number ("4,5", "seks"):
    /// the message gives the range. Code `whole_number_expected`.
    WholeNumberExpected { min: i64, max: i64 },
    /// A date field holding what is no date (`abc`, `2026-02-31`): the
    /// message shows how a date is written. Code `date_expected`.
    DateExpected,
    /// A birth field holding neither a date that exists nor a year
    /// (`nitten`, `31.02.1988`): the message shows both ways of writing
    /// it. Code `birth_expected`.
    BirthExpected,
    /// A handover of a citizen the worker has handed over already from
    /// that day or earlier. Code `handed_over`.
    HandedOver,
    /// A handover of a citizen the worker is not assigned to after the
    /// day. Code `worker_not_assigned`.
    WorkerNotAssigned,
    /// An intensive course planned or ended past a year from its start
    /// (seed 002: "forløbet for borgerne varer op til 1 år"). Code
    /// `course_too_long`. (The latest end, as year, month and day.)
    CourseTooLong { year: i32, month: u8, day: u8 },
    /// An intensive course sharing days with another course of the same
    /// citizen, which runs (or is planned) from `from` to `to`: named, so
    /// the user can find it (issue 15's walk: "afslut det først" for a
    /// course not begun yet). Code `course_overlaps`.
    CourseOverlaps { from: DayParts, to: DayParts },
    /// A day planned too far ahead (a handover more than a year off; issue
    /// 14's walk: "skal være mellem 0 og 366"). Code `too_far_ahead`. (The
    /// latest day allowed, as year, month and day.)
    TooFarAhead { year: i32, month: u8, day: u8 },
    /// A typed day further back than a record of today's work may reach
    /// (issue 15's walk: a plan begun in 1990, a grant from 2010): the
    /// earliest day allowed. Code `too_far_back`.
    TooFarBack { year: i32, month: u8, day: u8 },
    /// A follow-up with nothing in it: no score, no functioning level, no
    /// note (issue 15's walk: it saved with one tap). Code `no_finding`.
    NoFinding,
    /// Nothing ticked in a list of choices where at least one is needed (a
    /// course's consultants, a revision's participants): said as "vælg
    /// mindst én", not "skal udfyldes" under a row of boxes (issue 15's
    /// walk). Code `none_chosen`.
    NoneChosen,
    /// A day before the day its period starts (a period's "til og med", a
    /// course's planned end, a case's closing): the same day is allowed,
    /// so it is not [`Problem::EndBeforeStart`]'s "after the start time"
    /// (issue 15's walk). Code `before_start_day`.
    BeforeStartDay,
    /// A service granted to a citizen too old for it: a contact person is
    /// for children and young people under `under` (Barnets lov § 32, and
    /// § 114's after-care to the 23rd birthday; issue 15's walk offered it
    /// for a citizen of 38). Code `age_limit`.
    AgeLimit { under: u8 },
    /// A colleague chosen to take over a citizen they already have on some
    /// of the same days (issue 14's walk: "er allerede i brug"). Code
    /// `already_assigned`.
    AlreadyAssigned,
    /// A person named for a task on a citizen they may not see (a course's
    /// consultant). Code `cannot_see_citizen`.
    CannotSeeCitizen,
    /// A goal's target day or an action's due day further from the plan's
    /// start than [`crate::plan::PLAN_HORIZON_YEARS`] (a mistyped year),
    /// naming the last day allowed. Code `beyond_plan_horizon`.
    BeyondPlanHorizon { year: i32, month: u8, day: u8 },
    /// A colleague ticked on a joint visit who does not work with the
    /// citizen on the visit's day (issue 16). Code `colleague_not_assigned`.
    ColleagueNotAssigned,
    /// Minutes on a meeting that did not take place: cancelled, or still
    /// ahead (issue 16). Code `not_held`.
    NotHeld,
    /// A next meeting on or before the meeting that agreed it (issue 16).
    /// Code `not_after_meeting`.
    NotAfterMeeting,
    /// A drawing right on a team of the area that owns it: a drawing right
    /// is on *another* area's staff (seed 000; issue 15's walk said "er
    /// ikke en kendt værdi" of a team that exists). Code `own_area_team`.
    OwnAreaTeam,
    /// A citizen proposed to the committee while an earlier proposal is
    /// still open (awaiting the lead or the committee; issue 16). Code
    /// `already_proposed`.
    AlreadyProposed,
    /// A lead's decision, or the committee's, on a proposal that has had
    /// it already (issue 16). Code `already_decided`.
    AlreadyDecided,
}

impl Problem {
    /// The stable snake_case code of this problem (`"too_long"`), as in a
    /// [`FieldError`]'s `code`.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooLong { .. } => "too_long",
            Problem::TooShort { .. } => "too_short",
            Problem::OutOfRange { .. } => "out_of_range",
            Problem::InvalidFormat => "invalid_format",
            Problem::UnknownValue => "unknown_value",
            Problem::InvalidCharacters => "invalid_characters",
            Problem::EndBeforeStart => "end_before_start",
            Problem::DurationTooLong { .. } => "duration_too_long",
            Problem::InFuture => "in_future",
            Problem::SkippedTime => "skipped_time",
            Problem::NotAssigned => "not_assigned",
            Problem::Overlaps => "overlaps",
            Problem::WrongPayer { .. } => "wrong_payer",
            Problem::NotFound => "not_found",
            Problem::Taken => "taken",
            Problem::Mismatch => "mismatch",
            Problem::TooLarge { .. } => "too_large",
            Problem::NotChargeable => "not_chargeable",
            Problem::AmbiguousHours => "ambiguous_hours",
            Problem::UnknownColumn { .. } => "unknown_column",
            Problem::BeforeBirth => "before_birth",
            Problem::LayerInUse { .. } => "layer_in_use",
            Problem::UnknownLayer { .. } => "unknown_value",
            Problem::OutsideScope => "outside_scope",
            Problem::InPast => "in_past",
            Problem::NotTopLevel => "not_top_level",
            Problem::WholeKronerExpected => "whole_kroner_expected",
            Problem::SamePerson => "same_person",
            Problem::BeforePlan { .. } => "before_plan",
            Problem::NotWholeMinutes => "not_whole_minutes",
            Problem::HoursOutOfRange { .. } => "hours_out_of_range",
            Problem::MinutesExpected => "minutes_expected",
            Problem::HoursExpected => "hours_expected",
            Problem::HandedOver => "handed_over",
            Problem::WholeNumberExpected { .. } => "whole_number_expected",
            Problem::DateExpected => "date_expected",
            Problem::BirthExpected => "birth_expected",
            Problem::WorkerNotAssigned => "worker_not_assigned",
            Problem::CourseTooLong { .. } => "course_too_long",
            Problem::TooFarAhead { .. } => "too_far_ahead",
            Problem::TooFarBack { .. } => "too_far_back",
            Problem::NoFinding => "no_finding",
            Problem::NoneChosen => "none_chosen",
            Problem::BeforeStartDay => "before_start_day",
            Problem::AgeLimit { .. } => "age_limit",
            Problem::AlreadyAssigned => "already_assigned",
            Problem::CourseOverlaps { .. } => "course_overlaps",
            Problem::CannotSeeCitizen => "cannot_see_citizen",
            Problem::ColleagueNotAssigned => "colleague_not_assigned",
            Problem::BeyondPlanHorizon { .. } => "beyond_plan_horizon",
            Problem::NotHeld => "not_held",
            Problem::NotAfterMeeting => "not_after_meeting",
            Problem::OwnAreaTeam => "own_area_team",
            Problem::AlreadyProposed => "already_proposed",
            Problem::AlreadyDecided => "already_decided",
        }
    }

    /// The problem in words, without the field's name: "skal udfyldes" /
    /// "is required".
    pub fn describe(&self) -> Localized {
        let da = |n: i64| Lang::Da.group_thousands(n);
        let en = |n: i64| Lang::En.group_thousands(n);
        // Four digits are written without a separator, as a year is
        // ("mellem 1900 og 2199"); larger numbers are grouped.
        let short = |n: i64, group: &dyn Fn(i64) -> String| {
            if n.abs() < 10_000 { n.to_string() } else { group(n) }
        };
        match self {
            Problem::Required => Localized::new("skal udfyldes", "is required"),
            Problem::TooLong { max } => Localized::new(
                format!("må højst være {} tegn", da(i64::from(*max))),
                format!("must be at most {} characters", en(i64::from(*max))),
            ),
            Problem::TooShort { min } => Localized::new(
                format!("skal være mindst {} tegn", da(i64::from(*min))),
                format!("must be at least {} characters", en(i64::from(*min))),
            ),
            Problem::OutOfRange { min, max } => Localized::new(
                format!("skal være mellem {} og {}", short(*min, &da), short(*max, &da)),
                format!("must be between {} and {}", short(*min, &en), short(*max, &en)),
            ),
            Problem::InvalidFormat => Localized::new("har et ugyldigt format", "has an invalid format"),
            Problem::UnknownValue => Localized::new("er ikke en kendt værdi", "is not a known value"),
            Problem::InvalidCharacters => {
                Localized::new("indeholder ugyldige tegn", "contains characters that are not allowed")
            }
            Problem::EndBeforeStart => Localized::new("skal ligge efter starttidspunktet", "must be after the start"),
            Problem::DurationTooLong { max_minutes } => Localized::new(
                format!("må højst vare {} timer", max_minutes / 60),
                format!("must last at most {} hours", max_minutes / 60),
            ),
            Problem::InFuture => Localized::new("må ikke ligge i fremtiden", "must not be in the future"),
            Problem::SkippedTime => Localized::new(
                "findes ikke den dag – uret sprang fra 02.00 til 03.00, da sommertiden begyndte",
                "does not exist on that day – the clocks went from 02:00 to 03:00 when summer time began",
            ),
            Problem::NotAssigned => Localized::new(
                "du er ikke tilknyttet borgeren på den dato",
                "you are not assigned to this citizen on that date",
            ),
            Problem::Overlaps => Localized::new(
                "overlapper en anden bevilling til samme ydelse",
                "overlaps another grant for the same service",
            ),
            Problem::WrongPayer { expected } => Localized::new(
                format!(
                    "skal være et område af typen {} efter betalingsreglen",
                    expected.label(Lang::Da).to_lowercase()
                ),
                format!("must be an area of type {} by the payer rule", expected.label(Lang::En).to_lowercase()),
            ),
            Problem::NotFound => Localized::new("findes ikke", "does not exist"),
            Problem::Taken => Localized::new("er allerede i brug", "is already in use"),
            Problem::Mismatch => Localized::new("er ikke den samme som ovenfor", "is not the same as above"),
            Problem::TooLarge { max_kb } => Localized::new(
                format!("fylder for meget (højst {max_kb} kB) – gør teksten kortere"),
                format!("is too large (at most {max_kb} kB) – shorten the text"),
            ),
            Problem::NotChargeable => Localized::new(
                "kan ikke betale for dette besøg – vælg blandt borgerens bevillinger på besøgets dato",
                "cannot pay for this visit – choose among the citizen's grants on the visit's date",
            ),
            Problem::BeforeBirth => {
                Localized::new("må ikke ligge før borgerens fødsel", "must not be before the citizen's birth")
            }
            Problem::OutsideScope => Localized::new(
                "ligger uden for de områder og teams, du kan gennemgå",
                "is outside the areas and teams you may review",
            ),
            Problem::InPast => Localized::new("må ikke ligge før i dag", "must not be before today"),
            Problem::BeforePlan { year, month, day } => Localized::new(
                format!("må ikke ligge før planens start, {day:02}.{month:02}.{year}"),
                format!("must not be before the plan's start, {day:02}/{month:02}/{year}"),
            ),
            Problem::WholeKronerExpected => Localized::new(
                "skal være et helt antal kroner uden komma, f.eks. 550",
                "must be whole kroner without decimals, e.g. 550",
            ),
            Problem::NotTopLevel => Localized::new(
                "skal være et lag på øverste niveau (ikke selv en underkategori)",
                "must be a top-level layer (not a sub-category itself)",
            ),
            Problem::SamePerson => Localized::new(
                "skal være en anden end den, der overdrager",
                "must be someone else than the one handing over",
            ),
            Problem::LayerInUse { da, en } => Localized::new(
                format!(
                    "laget «{da}» har klassificerede borgere og kan ikke fjernes; klassificér dem i et andet lag først"
                ),
                format!(
                    "the layer «{en}» has classified citizens and cannot be removed; classify them into another layer first"
                ),
            ),
            Problem::UnknownLayer { da, en } => Localized::new(
                format!("er ikke et lag i sagsgennemgangen; brug et af: {da}"),
                format!("is not a layer of the case review; use one of: {en}"),
            ),
            Problem::UnknownColumn { known } => Localized::new(
                format!(
                    "er ikke en kolonne, importen kender; adskil kolonnerne med semikolon og brug: {}",
                    known.join(";")
                ),
                format!(
                    "is not a column the import knows; separate the columns with semicolons and use: {}",
                    known.join(";")
                ),
            ),
            Problem::AmbiguousHours => Localized::new(
                "kan læses på flere måder. Skriv decimaler med komma og tusinder uden punktum eller i grupper af \
                 tre: 2,5 eller 1200 eller 1.200 – eller timer og minutter: 1:30",
                "could be read more than one way. Hours are read the Danish way: a decimal comma, and thousands \
                 written plainly or in groups of three: 2,5 or 1200 or 1.200 – or hours and minutes: 1:30",
            ),
            Problem::NotWholeMinutes => Localized::new(
                "skal gå op i hele minutter; skriv timer og minutter, f.eks. 1:20",
                "must come to whole minutes; write hours and minutes, e.g. 1:20",
            ),
            Problem::HoursOutOfRange { max_minutes: None } => {
                Localized::new("skal være mere end 0 timer", "must be more than 0 hours")
            }
            // Whole hours in the limits that exist; h:mm otherwise.
            Problem::HoursOutOfRange { max_minutes: Some(max) } => {
                let hours = |lang: Lang| match max % 60 {
                    0 => lang.group_thousands(i64::from(max / 60)),
                    m => format!("{}:{m:02}", lang.group_thousands(i64::from(max / 60))),
                };
                Localized::new(
                    format!("skal være mere end 0 og højst {} timer", hours(Lang::Da)),
                    format!("must be more than 0 and at most {} hours", hours(Lang::En)),
                )
            }
            Problem::MinutesExpected => Localized::new(
                "skal være et helt antal minutter, f.eks. 90",
                "must be a whole number of minutes, e.g. 90",
            ),
            Problem::DateExpected => Localized::new(
                "skal være en dato, der findes, skrevet som 28.02.2026",
                "must be a date that exists, written as 28/02/2026",
            ),
            Problem::BirthExpected => Localized::new(
                "skal være en fødselsdato, der findes, som 12.03.1988, eller et årstal som 1988",
                "must be a birth date that exists, as 12/03/1988, or a year, as 1988",
            ),
            Problem::WholeNumberExpected { min, max } => Localized::new(
                format!("skal være et helt tal fra {} til {}", short(*min, &da), short(*max, &da)),
                format!("must be a whole number from {} to {}", short(*min, &en), short(*max, &en)),
            ),
            Problem::HandedOver => Localized::new(
                "er allerede overdraget fra medarbejderen – se listen over overdragne borgere",
                "is handed over from the worker already – see the list of citizens handed over",
            ),
            Problem::CourseTooLong { year, month, day } => Localized::new(
                format!("et intensivt forløb varer højst et år: senest {day:02}.{month:02}.{year}"),
                format!("an intensive course lasts at most a year: {day:02}/{month:02}/{year} at the latest"),
            ),
            Problem::TooFarAhead { year, month, day } => Localized::new(
                format!("kan højst ligge et år frem: senest {day:02}.{month:02}.{year}"),
                format!("can be at most a year ahead: {day:02}/{month:02}/{year} at the latest"),
            ),
            Problem::TooFarBack { year, month, day } => Localized::new(
                format!("ligger for langt tilbage: tidligst {day:02}.{month:02}.{year}"),
                format!("is too far back: {day:02}/{month:02}/{year} at the earliest"),
            ),
            Problem::BeforeStartDay => {
                Localized::new("må ikke ligge før startdatoen", "must not be before the start date")
            }
            Problem::AgeLimit { under } => Localized::new(
                format!("gives kun til børn og unge under {under} år"),
                format!("is only granted to children and young people under {under}"),
            ),
            Problem::NoneChosen => Localized::new("vælg mindst én", "choose at least one"),
            Problem::NotHeld => Localized::new(
                "mødet har ikke fundet sted – det er aflyst eller ligger ude i fremtiden",
                "the meeting has not taken place – it is cancelled or still ahead",
            ),
            Problem::OwnAreaTeam => Localized::new(
                "skal være et team i et andet område end det, der ejer trækningsretten",
                "must be a team of another area than the one that owns the drawing right",
            ),
            Problem::NotAfterMeeting => {
                Localized::new("skal ligge efter mødets dato", "must be after the day of the meeting")
            }
            Problem::NoFinding => Localized::new(
                "udfyld mindst én af borgerens score, funktionsniveauet og noten",
                "fill in at least one of the citizen's score, the functioning level and the note",
            ),
            Problem::AlreadyAssigned => Localized::new(
                "har allerede borgeren i en del af perioden – vælg en anden",
                "has the citizen already for part of the period – choose someone else",
            ),
            Problem::CannotSeeCitizen => Localized::new(
                "en valgt person kan ikke se borgeren; tilknyt vedkommende borgeren først",
                "a person chosen cannot see the citizen; assign them to the citizen first",
            ),
            Problem::BeyondPlanHorizon { year, month, day } => Localized::new(
                format!("kan højst ligge fem år efter planens start: senest {day:02}.{month:02}.{year}"),
                format!("can be at most five years after the plan's start: {day:02}/{month:02}/{year} at the latest"),
            ),
            Problem::AlreadyProposed => Localized::new(
                "borgeren er allerede foreslået til udvalget; se forslaget på borgerens side",
                "the citizen is already proposed to the committee; see the proposal on the citizen's page",
            ),
            Problem::AlreadyDecided => Localized::new(
                "der er allerede taget stilling; genindlæs siden for at se afgørelsen",
                "it has been decided already; reload the page to see the decision",
            ),
            Problem::ColleagueNotAssigned => Localized::new(
                "en valgt kollega arbejder ikke med borgeren den dag; fjern fluebenet ved kollegaen, eller ret datoen",
                "a colleague chosen does not work with the citizen on that day; untick the colleague, or change the date",
            ),
            Problem::CourseOverlaps { from, to } => Localized::new(
                format!(
                    "deler dage med borgerens forløb {}–{}; ret datoerne, så de ikke overlapper, eller afslut det andet forløb, hvis det er i gang",
                    from.da(),
                    to.da()
                ),
                format!(
                    "shares days with the citizen's course {}–{}; change the dates so they do not overlap, or end the other course if it is running",
                    from.en(),
                    to.en()
                ),
            ),
            Problem::WorkerNotAssigned => Localized::new(
                "medarbejderen er ikke tilknyttet borgeren efter datoen",
                "the worker is not assigned to the citizen after the date",
            ),
            Problem::HoursExpected => Localized::new(
                "skal være et antal timer, f.eks. 37, 37,5 eller 37:30",
                "must be a number of hours, e.g. 37, 37.5 or 37:30",
            ),
        }
    }
}

/// A value that failed validation, and the field it belongs to.
///
/// `field` is the wire name (`note`, `allowance.minutes`, `visits[2].note`);
/// the `Display` text is the English [`ValidationError::message`], which
/// is what serde reports when a `TryFrom` refuses (see
/// [`take_last_refusal`]). Sent as a [`FieldError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    /// The field's wire name (`note`, `allowance.minutes`).
    pub field: Cow<'static, str>,
    /// What is wrong with it.
    pub problem: Problem,
}

impl ValidationError {
    /// `problem` with the value of `field` (its wire name).
    pub fn new(field: impl Into<Cow<'static, str>>, problem: Problem) -> Self {
        ValidationError { field: field.into(), problem }
    }

    /// The same problem, reported for another field (a type's default field
    /// name replaced by the name it has inside a bigger struct).
    pub fn at(mut self, field: impl Into<Cow<'static, str>>) -> Self {
        self.field = field.into();
        self
    }

    /// The problem's stable code ([`Problem::code`]).
    pub fn code(&self) -> &'static str {
        self.problem.code()
    }

    /// "Field: problem", in both languages: the field's human name
    /// ([`field_label`]) and the problem's text, e.g.
    /// "Note: må højst være 2.000 tegn" / "Note: must be at most 2,000
    /// characters".
    pub fn message(&self) -> Localized {
        let label = field_label(&self.field);
        let problem = self.problem.describe();
        Localized::new(format!("{}: {}", label.da, problem.da), format!("{}: {}", label.en, problem.en))
    }

    /// This error as it goes on the wire: `{"field": ..., "code": ...,
    /// "message": {"da": ..., "en": ...}}`.
    pub fn to_field_error(&self) -> FieldError {
        FieldError {
            field: self.field.to_string(),
            code: self.code().to_owned(),
            message: self.message(),
            problem: Some(self.problem.describe()),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // serde can carry only a text out of a refused `TryFrom`; the
        // structured error travels beside it (see `take_last_refusal`).
        LAST_REFUSAL.with(|last| *last.borrow_mut() = Some(self.clone()));
        f.write_str(&self.message().en)
    }
}

thread_local! {
    static LAST_REFUSAL: std::cell::RefCell<Option<ValidationError>> = const { std::cell::RefCell::new(None) };
}

/// The validation error most recently turned into text on this thread.
///
/// When serde refuses a value through one of our `TryFrom` impls it keeps
/// only the error's text. A caller that deserialises can clear this with a
/// first call, deserialise, and on failure take the structured error back
/// (its code and both languages) after checking that its English message is
/// the text serde reported.
pub fn take_last_refusal() -> Option<ValidationError> {
    LAST_REFUSAL.with(|last| last.borrow_mut().take())
}

/// Human names of the fields that appear in forms and wire types.
/// A nested field (`allowance.minutes`, `visits[2].note`) is named by its
/// last part.
pub fn field_label(field: &str) -> Localized {
    // A handover's line: who takes the citizen over (issue 14).
    if field.starts_with("to[") && field.ends_with(".user_id") {
        return Localized::new("Overdrages til", "Goes to");
    }
    // A layer of the classification scheme (issue 14).
    if field.starts_with("layers[") {
        if field.ends_with(".code") {
            return Localized::new("Lagets kode", "The layer's code");
        }
        if field.ends_with(".label") {
            return Localized::new("Lagets navn", "The layer's name");
        }
        if field.ends_with(".parent") {
            return Localized::new("Hører under", "Belongs under");
        }
        if field.ends_with(".meetings_per_year") {
            return Localized::new("Tværfaglige møder", "Cross-disciplinary meetings");
        }
    }
    let last = field.rsplit('.').next().unwrap_or(field);
    let last = last.split('[').next().unwrap_or(last);
    let (da, en) = match last {
        "username" => ("Brugernavn", "Username"),
        // The consent's refusals are all about its day (none, or later).
        "consent" => ("Dato for samtykket", "Date of the consent"),
        "began_on" => ("Planens start", "The plan's start"),
        "coordinator_id" | "coordinator" => ("Koordinerende sagsbehandler", "Coordinating case worker"),
        "coordinator_contact" => ("Sådan kontaktes den koordinerende", "How to reach the coordinator"),
        "wishes" => ("Borgerens ønsker for fremtiden", "The citizen's wishes for the future"),
        "citizen_wording" => ("Målet med borgerens ord", "The goal in the citizen's words"),
        "professional_wording" => ("Målet med fagpersonernes ord", "The goal in the professionals' words"),
        "efforts" => ("Indsatser", "Efforts"),
        "target_date" => ("Måldato", "Target date"),
        "position" => ("Plads i planen", "Place in the plan"),
        "goal_id" | "goal" | "goals" => ("Mål", "Goal"),
        "co_workers" => ("Kolleger, der også deltog", "Colleagues who took part too"),
        "citizen_agreed" => ("Er borgeren enig i planen?", "Does the citizen agree with the plan?"),
        "what" => ("Hvad", "What"),
        "owner" => ("Hvem gør det", "Who does it"),
        "due" => ("Senest", "By"),
        "citizen_score" => ("Borgerens egen score", "The citizen's own score"),
        "functioning" => ("Funktionsniveau", "Functioning level"),
        "conclusion" => ("Konklusion", "Conclusion"),
        "password" => ("Adgangskode", "Password"),
        "name" => ("Navn", "Name"),
        "birth_year" => ("Fødselsår", "Birth year"),
        "birth" | "birth_date" => ("Fødselsdato", "Birth date"),
        "benefit_type" => ("Ydelse", "Benefit type"),
        "area_kind" => ("Områdetype", "Area type"),
        "role" | "roles" => ("Rolle", "Role"),
        "kind" => ("Type", "Kind"),
        "started_at" => ("Start", "Start"),
        "ended_at" => ("Slut", "End"),
        "travel_minutes" => ("Transporttid", "Travel time"),
        "minutes" => ("Minutter", "Minutes"),
        "hours" => ("Timer", "Hours"),
        "note" => ("Note", "Note"),
        "status" => ("Status", "Status"),
        "service" => ("Ydelse", "Service"),
        "legal_basis" => ("Lovgrundlag", "Legal basis"),
        "contact" => ("Kontakt", "Contact"),
        "description" => ("Beskrivelse", "Description"),
        "offer" | "offer_id" => ("Tilbud", "Offer"),
        "consultants" => ("Borgerkonsulenter", "Citizen consultants"),
        "started_on" => ("Forløbets start", "The course's start"),
        "planned_end_on" => ("Planlagt slut", "Planned end"),
        "ended_on" => ("Afsluttet den", "Ended on"),
        "outcome" => ("Resultat", "Outcome"),
        "end_note" => ("Bemærkning til afslutningen", "Note on the end"),
        "course_post" => ("Stilling som borgerkonsulent", "Post as citizen consultant"),
        "per" => ("Pr.", "Per"),
        "valid_from" => ("Gælder fra", "Valid from"),
        "valid_to" => ("Gælder til", "Valid to"),
        "period_kind" => ("Periode", "Period"),
        "rollover" => ("Overførsel", "Rollover"),
        "date" => ("Dato", "Date"),
        "citizen_id" | "citizen" => ("Borger", "Citizen"),
        "charged_to" => ("Betales af", "Charged to"),
        "mutation" => ("Registreringen", "The record"),
        "duration" => ("Varighed", "Duration"),
        "reason" => ("Begrundelse", "Reason"),
        "layer" | "layers" => ("Lag", "Layer"),
        "area_ids" => ("Områder", "Areas"),
        "year" => ("Fødselsår", "Birth year"),
        "layer_from" => ("Lag fra", "Layer from"),
        "case_area" => ("Sagsområde", "Case area"),
        "case_opened" | "opened_on" => ("Sag åbnet", "Case opened"),
        "case_closed" | "closed_on" => ("Sag lukket", "Case closed"),
        "case_worker" | "caseworker_id" => ("Sagsbehandler", "Case worker"),
        "on" => ("Dato", "Date"),
        "participants" => ("Deltagere", "Participants"),
        "others" => ("Andre deltagere", "Others taking part"),
        "organiser_id" => ("Tovholder", "Organiser"),
        "present" => ("Til stede", "Present"),
        "citizen_invited" => ("Borgeren inviteret", "Citizen invited"),
        "citizen_took_part" => ("Borgeren deltog", "Citizen took part"),
        "next_on" => ("Næste møde", "Next meeting"),
        "starts_at" => ("Klokkeslæt", "Time"),
        "meeting_id" => ("Møde", "Meeting"),
        "item" => ("Punkt på dagsordenen", "Agenda item"),
        "text" => ("Referat", "Minutes"),
        "notice_id" => ("Besked", "Notice"),
        "from" => ("Fra", "From"),
        "to" => ("Til", "To"),
        "chart" => ("Graf", "Chart"),
        "full_time_week" => ("Timer pr. fuldtidsstilling om ugen", "Hours of a full-time post a week"),
        "rate_housing_support" => ("Timepris, bostøtte", "Hourly rate, housing support"),
        "rate_mentor" => ("Timepris, mentorstøtte", "Hourly rate, mentor support"),
        "rate_contact_person" => ("Timepris, kontaktperson", "Hourly rate, contact person"),
        "rate_drawing_right" => ("Timepris, trækningsret", "Hourly rate, drawing right"),
        "review_date" => ("Gennemgangens dato", "The review's date"),
        "case_ids" => ("Sagsnumre", "Case ids"),
        "scope" => ("Hvem", "Whose"),
        "citizens" => ("Borgere", "Citizens"),
        "case" => ("Sag", "Case"),
        "priority" => ("Prioritet", "Priority"),
        "timestamp" => ("Tidspunkt", "Time"),
        "id" => ("Id", "Id"),
        "payer_area_id" => ("Betalende område", "Paying area"),
        "owner_area_id" => ("Trækkende område", "Owner area"),
        "provider_team_id" => ("Leverende team", "Providing team"),
        "minutes_per_period" => ("Minutter pr. periode", "Minutes per period"),
        "team_id" | "team" => ("Team", "Team"),
        "area_id" | "area" => ("Område", "Area"),
        "month" => ("Måned", "Month"),
        "employment" => ("Beskæftigelse", "Employment"),
        "social" => ("Social", "Social"),
        "children_youth" => ("Børn og unge", "Children and youth"),
        "allowance" => ("Bevilget tid", "Allowance"),
        "external_id" => ("Sagsnummer", "Case id"),
        "months" => ("Måneder", "Months"),
        "temporary_password" => ("Midlertidig adgangskode", "Temporary password"),
        "new_password" => ("Ny adgangskode", "New password"),
        "repeat_password" => ("Gentag ny adgangskode", "Repeat new password"),
        "current_password" => ("Nuværende adgangskode", "Current password"),
        "team_ids" => ("Teams", "Teams"),
        "active" => ("Aktiv", "Active"),
        "user_id" => ("Medarbejder", "Staff member"),
        "file" => ("Fil", "File"),
        _ => return Localized::new(field, field),
    };
    Localized::new(da, en)
}

/// One field's error inside an [`ErrorBody`]. JSON:
/// `{"field": "note", "code": "too_long", "message": {"da": ..., "en": ...}}`;
/// `code` is a [`Problem::code`], `message` says the field's name too, and
/// `problem` the problem alone (`"skal udfyldes"`), for a form that names the
/// field by the label it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's wire name, as in the request (`note`, `visits[2].note`).
    pub field: String,
    /// The problem's stable code ([`Problem::code`]).
    pub code: String,
    /// "Field: problem" in Danish and English ([`ValidationError::message`]).
    pub message: Localized,
    /// The problem without the field's name ([`Problem::describe`]), so a
    /// form says it after the label the user sees ("Kort note: skal
    /// udfyldes", where `message` says "Note: …"). Absent from a server
    /// older than this field; `message` is then all there is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<Localized>,
}

/// The JSON body of every error the server answers: `{code, message, fields}`,
/// e.g. `{"code": "validation", "message": {"da": ..., "en": ...}, "fields": [...]}`
/// with one [`FieldError`] per refused field (empty for an error about no
/// field, and may be absent on input), plus `expected_mutation_id` with
/// `mutation_gap`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable error code: `validation`, `mutation_gap`,
    /// [`crate::api::ACCOUNT_DEACTIVATED`], …
    pub code: String,
    /// What to show, in Danish and English.
    pub message: Localized,
    /// The refused fields, one entry each (with `validation`).
    #[serde(default)]
    pub fields: Vec<FieldError>,
    /// With `mutation_gap` (409 on a sync push): the mutation id the server
    /// expects next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_mutation_id: Option<u64>,
}

impl ErrorBody {
    /// A body with `code` and `message`, about no field.
    pub fn new(code: impl Into<String>, message: Localized) -> Self {
        ErrorBody { code: code.into(), message, fields: Vec::new(), expected_mutation_id: None }
    }

    /// The body of a 422: code `validation`, one [`FieldError`] per error;
    /// the message is the single error's own, or "Nogle felter er ugyldige" /
    /// "Some fields are invalid" for several (or none).
    pub fn validation(errors: &[ValidationError]) -> Self {
        let message = match errors {
            [one] => one.message(),
            _ => Localized::new("Nogle felter er ugyldige", "Some fields are invalid"),
        };
        ErrorBody {
            code: "validation".to_owned(),
            message,
            fields: errors.iter().map(ValidationError::to_field_error).collect(),
            expected_mutation_id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_the_field_in_both_languages() {
        let err = ValidationError::new("note", Problem::TooLong { max: 2000 });
        assert_eq!(err.message().da, "Note: må højst være 2.000 tegn");
        assert_eq!(err.message().en, "Note: must be at most 2,000 characters");
        assert_eq!(err.code(), "too_long");
    }

    #[test]
    fn a_refusal_inside_serde_can_be_recovered() {
        take_last_refusal();
        let err = serde_json::from_str::<crate::text::PersonName>(r#""""#).expect_err("empty");
        let refusal = take_last_refusal().expect("recorded");
        assert!(err.to_string().starts_with(&refusal.message().en));
        assert_eq!(refusal.code(), "required");
        assert_eq!(take_last_refusal(), None, "taken once");
    }

    #[test]
    fn unknown_field_falls_back_to_its_key() {
        let err = ValidationError::new("mystery", Problem::Required);
        assert_eq!(err.message().en, "mystery: is required");
    }

    #[test]
    fn error_body_json_is_stable() {
        let body = ErrorBody::validation(&[ValidationError::new("username", Problem::Required)]);
        expect_test::expect![[r#"{"code":"validation","message":{"da":"Brugernavn: skal udfyldes","en":"Username: is required"},"fields":[{"field":"username","code":"required","message":{"da":"Brugernavn: skal udfyldes","en":"Username: is required"},"problem":{"da":"skal udfyldes","en":"is required"}}]}"#]]
        .assert_eq(&serde_json::to_string(&body).expect("serialise"));
    }
}
