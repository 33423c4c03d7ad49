//! The citizen's plan (issue 15): one per citizen, written with the
//! citizen and shared by everyone who works with them (seed 002: "it is
//! the citizen's plan and not the professionals' plan"; seed 001: the
//! citizen "actively takes part in making their own plan"). In law the
//! *helhedsorienteret plan* of LAB § 30 b; in the adult social area its
//! goals speak VUM 2.0's words: the citizen's wishes for the future in
//! their own words, goals per effort, functioning on a 0–4 scale, and
//! follow-ups that conclude continue / change within the frame / end /
//! re-assess.
//!
//! Four kinds of rows, each synced like a visit:
//! - [`Plan`]: one per citizen, keyed by the citizen (two phones that both
//!   begin it offline write the same row): the citizen's consent to one
//!   plan, the coordinating case worker (the "one entrance") with how to
//!   reach them, the citizen's wishes;
//! - [`Goal`]: the citizen's own wording (required), the professionals'
//!   (optional), the areas and efforts it belongs to, a target date;
//! - [`Action`]: what is agreed, who does it (a person, a team, an area or
//!   the citizen), by when, and whether it is done;
//! - [`FollowUp`]: a dated score and conclusion on a goal; never changed
//!   once made (append-only).
//!
//! Edits of a plan, goal or action carry the row as the phone showed it
//! (as a visit's do: [`crate::sync`]); [`merge_plan`], [`merge_goal`] and
//! [`merge_action`] keep both sides' changes of different fields, and for
//! a field both changed the server's value stands while the phone's is
//! kept for the coordinator to settle.

use serde::{Deserialize, Serialize};

use crate::codes::wire_codes;
use crate::error::{Problem, ValidationError};
use crate::id::{
    ActionId, AreaId, CitizenId, CourseId, FollowUpId, GoalId, GrantId, OfferId, PlanRevisionId, TeamId, UserId,
};
use crate::lang::Localized;
use crate::text::{ActionText, ContactText, GoalWording, Note, OthersPresent, ProfessionalWording, Wishes};
use crate::time::{Date, Timestamp};

/// The most goals a plan holds (a plan of more is a list, not a plan).
pub const MAX_GOALS: usize = 30;
/// The most areas or efforts one goal names.
pub const MAX_LINKS: usize = 20;
/// Months between follow-ups of a goal before one is overdue (VUM 2.0 and
/// seed 002's "half-yearly progress").
pub const FOLLOW_UP_MONTHS: i32 = 6;

/// The citizen's consent to one plan holding the efforts of every area
/// (LAB § 30 b: without it, each area keeps its own plan). JSON:
/// `{"state": "not_asked"}`, `{"state": "given", "on": "2026-11-20"}` or
/// `{"state": "refused", "on": "2026-11-20"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Consent {
    NotAsked,
    Given { on: Date },
    Refused { on: Date },
}

/// [`Consent`] without its day: the column a database stores it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    NotAsked,
    Given,
    Refused,
}

wire_codes!(ConsentState { NotAsked => "not_asked", Given => "given", Refused => "refused" });

impl Consent {
    /// Its state without the day.
    pub fn state(self) -> ConsentState {
        match self {
            Consent::NotAsked => ConsentState::NotAsked,
            Consent::Given { .. } => ConsentState::Given,
            Consent::Refused { .. } => ConsentState::Refused,
        }
    }

    /// The consent of `state` on `on`; `None` when a given or refused
    /// consent has no day (a row that breaks the plan's rule).
    pub fn of(state: ConsentState, on: Option<Date>) -> Option<Consent> {
        match (state, on) {
            (ConsentState::NotAsked, _) => Some(Consent::NotAsked),
            (ConsentState::Given, Some(on)) => Some(Consent::Given { on }),
            (ConsentState::Refused, Some(on)) => Some(Consent::Refused { on }),
            (_, None) => None,
        }
    }

    /// The day it was given or refused, if it was.
    pub fn on(self) -> Option<Date> {
        match self {
            Consent::NotAsked => None,
            Consent::Given { on } | Consent::Refused { on } => Some(on),
        }
    }

    /// How the UI says it.
    pub fn label(self) -> Localized {
        match self {
            Consent::NotAsked => Localized::new("Ikke spurgt endnu", "Not asked yet"),
            Consent::Given { .. } => Localized::new("Samtykke givet", "Consent given"),
            Consent::Refused { .. } => Localized::new("Samtykke afvist", "Consent refused"),
        }
    }
}

/// What the people working with a citizen write of the plan itself; the
/// plan is the citizen's, so the citizen's id is its id. JSON:
/// `{"citizen_id", "consent": {...}, "coordinator_id": uuid|null,
/// "coordinator_contact": "", "wishes": "", "began_on": "2026-11-20"}`
/// (`began_on` absent when not set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanDraft {
    pub citizen_id: CitizenId,
    pub consent: Consent,
    /// The coordinating case worker: the citizen's one entrance.
    pub coordinator_id: Option<UserId>,
    /// How the citizen reaches the coordinator ("Ring 2233 4455, man–fre 9–12").
    pub coordinator_contact: ContactText,
    /// The citizen's wishes for the future, in their own words.
    pub wishes: Wishes,
    /// The day the plan was agreed with the citizen, when that was before
    /// it was first written here (a plan made at a meeting last week);
    /// none: the day it was begun here ([`Plan::began_on`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub began_on: Option<Date>,
}

impl PlanDraft {
    /// A plan nobody has written anything in yet: what a plan begun on two
    /// phones at once is merged from.
    pub fn blank(citizen_id: CitizenId) -> PlanDraft {
        PlanDraft {
            citizen_id,
            consent: Consent::NotAsked,
            coordinator_id: None,
            coordinator_contact: ContactText::default(),
            wishes: Wishes::default(),
            began_on: None,
        }
    }

    /// Checks what a type cannot: consent is not given, nor the plan
    /// begun, on a future day, nor on a day more than two years back
    /// ([`Date::check_recent`]). Only a day that differs from `before` (the
    /// plan as stored; `None` for a new one) is checked, so a plan begun
    /// long ago can still be changed. Every problem at once.
    ///
    /// Errors: `consent` `in_future` when given or refused after `today`
    /// (Copenhagen) or `too_far_back`; `began_on` the same.
    pub fn check(&self, before: Option<&PlanDraft>, today: Date) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        let days = [
            ("consent", self.consent.on(), before.and_then(|b| b.consent.on())),
            ("began_on", self.began_on, before.and_then(|b| b.began_on)),
        ];
        for (field, on, was) in days {
            let Some(on) = on.filter(|on| Some(*on) != was) else { continue };
            if on > today {
                errors.push(ValidationError::new(field, Problem::InFuture));
            } else if let Err(e) = on.check_recent(field, today) {
                errors.push(e);
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// The citizen's coordinating case worker, their "one entrance": the one
/// the plan names, else the one on the citizen's record
/// (`citizen_coordinator`). Who settles the plan's clashes, whom the plan
/// card and the citizen's copy name.
pub fn coordinator(plan: Option<&PlanDraft>, citizen_coordinator: Option<UserId>) -> Option<UserId> {
    plan.and_then(|p| p.coordinator_id).or(citizen_coordinator)
}

/// A citizen's plan as the server holds it: the draft's fields, the day it
/// was begun and the server's version. JSON: the draft's fields and
/// `"created_on"`, `"row_version"`, `"updated_at"`, `"updated_by"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    #[serde(flatten)]
    pub fields: PlanDraft,
    /// The day the plan was begun: no follow-up is dated before it.
    pub created_on: Date,
    pub row_version: u64,
    pub updated_at: Timestamp,
    pub updated_by: UserId,
}

impl Plan {
    /// The plan's start: the day it was agreed, if set, else the day it
    /// was begun here. No follow-up is dated before it.
    pub fn began_on(&self) -> Date {
        self.fields.began_on.unwrap_or(self.created_on)
    }
}

/// Where a goal stands. JSON: `"active"`, `"achieved"`, `"ended"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    Active,
    /// Reached.
    Achieved,
    /// Stopped without being reached (a follow-up concluded it).
    Ended,
}

wire_codes!(GoalStatus { Active => "active", Achieved => "achieved", Ended => "ended" });

impl GoalStatus {
    pub fn label(self) -> Localized {
        match self {
            GoalStatus::Active => Localized::new("Aktivt", "Active"),
            GoalStatus::Achieved => Localized::new("Nået", "Achieved"),
            GoalStatus::Ended => Localized::new("Afsluttet", "Ended"),
        }
    }
}

/// An effort a goal belongs to: a grant, an intensive course, or an offer
/// from the municipality's catalogue. JSON: `{"type": "grant", "id": uuid}`,
/// `"course"`, `"offer"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Effort {
    Grant(GrantId),
    Course(CourseId),
    Offer(OfferId),
}

/// A goal as written. JSON: `{"id", "citizen_id", "citizen_wording",
/// "professional_wording", "areas": [uuid], "efforts": [{...}],
/// "target_date": "2027-06-30"|null, "status": "active", "position": 1}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GoalDraft {
    pub id: GoalId,
    pub citizen_id: CitizenId,
    /// The goal in the citizen's own words (required).
    pub citizen_wording: GoalWording,
    /// The professionals' wording (VUM's specific, measurable goal); may be
    /// empty.
    pub professional_wording: ProfessionalWording,
    /// The areas whose efforts serve it.
    pub areas: Vec<AreaId>,
    pub efforts: Vec<Effort>,
    pub target_date: Option<Date>,
    pub status: GoalStatus,
    /// Its place in the plan, from 1.
    pub position: u32,
}

impl GoalDraft {
    /// Checks what the types cannot.
    ///
    /// Errors: `areas` or `efforts` `too_long`-like `out_of_range` (more
    /// than [`MAX_LINKS`]) or `taken` (one named twice); `position`
    /// `out_of_range` (0 or over [`MAX_GOALS`]).
    pub fn check(&self) -> Result<(), ValidationError> {
        check_links("areas", &self.areas)?;
        check_links("efforts", &self.efforts)?;
        if self.position == 0 || self.position as usize > MAX_GOALS {
            return Err(ValidationError::new(
                "position",
                Problem::OutOfRange { min: 1, max: i64::try_from(MAX_GOALS).unwrap_or(i64::MAX) },
            ));
        }
        Ok(())
    }
}

impl GoalDraft {
    /// Checks the target date against the plan's start (`plan_began`:
    /// [`Plan::began_on`]): a goal is not reached before the plan that sets
    /// it began. Only a target that differs from `before` (the goal as
    /// stored) is checked.
    ///
    /// Errors: `target_date` `before_plan`, naming the start.
    pub fn check_target(&self, before: Option<&GoalDraft>, plan_began: Date) -> Result<(), ValidationError> {
        check_plan_day("target_date", self.target_date, before.and_then(|b| b.target_date), plan_began)
    }
}

impl ActionDraft {
    /// Checks the due day against the plan's start as
    /// [`GoalDraft::check_target`] does.
    ///
    /// Errors: `due` `before_plan`, naming the start.
    pub fn check_due(&self, before: Option<&ActionDraft>, plan_began: Date) -> Result<(), ValidationError> {
        check_plan_day("due", self.due, before.and_then(|b| b.due), plan_began)
    }
}

/// How far after the plan's start a goal's target day or an action's due
/// day may lie: a plan is followed up every half year, so a day five years
/// on is a mistyped year (issue 15's walk: 15.01.2150 was saved).
pub const PLAN_HORIZON_YEARS: i32 = 5;

/// A day of the plan typed at `field` (`on`; `was` as stored) is not
/// before the plan's start (`plan_began`) and at most
/// [`PLAN_HORIZON_YEARS`] after it, when set and changed.
///
/// Errors: `field` `before_plan`, naming the start; `beyond_plan_horizon`,
/// naming the last day allowed.
pub fn check_plan_day(
    field: &'static str,
    on: Option<Date>,
    was: Option<Date>,
    plan_began: Date,
) -> Result<(), ValidationError> {
    match on {
        Some(on) if Some(on) != was && on < plan_began => {
            let (year, month, day) = (plan_began.year(), plan_began.month(), plan_began.day());
            Err(ValidationError::new(field, Problem::BeforePlan { year, month, day }))
        }
        Some(on) if Some(on) != was && on > plan_began.add_months(12 * PLAN_HORIZON_YEARS) => {
            let last = plan_began.add_months(12 * PLAN_HORIZON_YEARS);
            let (year, month, day) = (last.year(), last.month(), last.day());
            Err(ValidationError::new(field, Problem::BeyondPlanHorizon { year, month, day }))
        }
        _ => Ok(()),
    }
}

fn check_links<T: Ord>(field: &'static str, links: &[T]) -> Result<(), ValidationError> {
    if links.len() > MAX_LINKS {
        return Err(ValidationError::new(
            field,
            Problem::OutOfRange { min: 0, max: i64::try_from(MAX_LINKS).unwrap_or(i64::MAX) },
        ));
    }
    if repeats(links) {
        return Err(ValidationError::new(field, Problem::Taken));
    }
    Ok(())
}

/// Whether a value stands twice in `items` (a goal's areas and efforts, a
/// visit's goals, a course's consultants and goals).
pub(crate) fn repeats<T: Ord>(items: &[T]) -> bool {
    let mut sorted: Vec<&T> = items.iter().collect();
    sorted.sort();
    sorted.windows(2).any(|w| w[0] == w[1])
}

/// A goal as the server holds it. JSON: the draft's fields and
/// `"created_on"`, `"row_version"`, `"updated_at"`, `"updated_by"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    #[serde(flatten)]
    pub fields: GoalDraft,
    pub created_on: Date,
    pub row_version: u64,
    pub updated_at: Timestamp,
    pub updated_by: UserId,
}

/// Who does an agreed action: a person, a team, an area, or the citizen.
/// JSON: `{"type": "user", "id": uuid}`, `"team"`, `"area"`, or
/// `{"type": "citizen"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Owner {
    User(UserId),
    Team(TeamId),
    Area(AreaId),
    Citizen,
}

/// Where an action stands. JSON: `"open"`, `"done"`, `"cancelled"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    Done,
    Cancelled,
}

wire_codes!(ActionStatus { Open => "open", Done => "done", Cancelled => "cancelled" });

impl ActionStatus {
    pub fn label(self) -> Localized {
        match self {
            ActionStatus::Open => Localized::new("Åben", "Open"),
            ActionStatus::Done => Localized::new("Udført", "Done"),
            ActionStatus::Cancelled => Localized::new("Droppet", "Cancelled"),
        }
    }
}

/// An agreed action under a goal. JSON: `{"id", "goal_id", "citizen_id",
/// "what", "owner": {...}, "due": "2026-12-15"|null, "status": "open",
/// "offer": uuid}` (`offer` absent when none).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ActionDraft {
    pub id: ActionId,
    pub goal_id: GoalId,
    pub citizen_id: CitizenId,
    pub what: ActionText,
    pub owner: Owner,
    pub due: Option<Date>,
    pub status: ActionStatus,
    /// The offer of the catalogue the action uses ("Ring til
    /// Gældsrådgivningen": its contact is on the offer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<OfferId>,
    /// The cross-disciplinary meeting that decided it (issue 16: "decisions
    /// that become plan actions"); absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<crate::MeetingId>,
}

/// An action as the server holds it. JSON: the draft's fields and
/// `"row_version"`, `"updated_at"`, `"updated_by"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    #[serde(flatten)]
    pub fields: ActionDraft,
    pub row_version: u64,
    pub updated_at: Timestamp,
    pub updated_by: UserId,
}

impl Action {
    /// Open and due before `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.fields.status == ActionStatus::Open && self.fields.due.is_some_and(|due| due < today)
    }
}

/// The citizen's own score of how far a goal has come, 0 (not at all) to
/// 10 (reached). JSON: a number.
///
/// Errors (field `citizen_score`): `out_of_range` outside 0–10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct CitizenScore(u8);

/// Reads a typed score of a scale `0..=max` ("", "7"): `None` when empty.
fn read_scale<T>(
    text: &str,
    field: &'static str,
    max: i64,
    make: fn(u8) -> Result<T, ValidationError>,
) -> Result<Option<T>, ValidationError> {
    match text.trim() {
        "" => Ok(None),
        t => match t.replace('\u{2212}', "-").parse::<i64>() {
            // A whole number: right or out of the scale.
            Ok(n) => u8::try_from(n)
                .ok()
                .and_then(|n| make(n).ok())
                .map(Some)
                .ok_or_else(|| ValidationError::new(field, Problem::OutOfRange { min: 0, max })),
            // "4,5", "seks": told it must be whole, with the scale.
            Err(_) => Err(ValidationError::new(field, Problem::WholeNumberExpected { min: 0, max })),
        },
    }
}

impl CitizenScore {
    /// The score as typed in a form: `None` when left empty.
    ///
    /// Errors: `citizen_score` `whole_number_expected` for what is no whole
    /// number ("4,5"), `out_of_range` for one outside 0–10.
    pub fn read_typed(text: &str) -> Result<Option<CitizenScore>, ValidationError> {
        read_scale(text, "citizen_score", 10, CitizenScore::try_from)
    }
}

impl TryFrom<u8> for CitizenScore {
    type Error = ValidationError;

    fn try_from(n: u8) -> Result<CitizenScore, ValidationError> {
        if n > 10 {
            return Err(ValidationError::new("citizen_score", Problem::OutOfRange { min: 0, max: 10 }));
        }
        Ok(CitizenScore(n))
    }
}

impl From<CitizenScore> for u8 {
    fn from(s: CitizenScore) -> u8 {
        s.0
    }
}

/// The professional's functioning level on VUM 2.0's scale (Fælles Faglige
/// Begreber): 0 no limitation, 1 light, 2 moderate, 3 severe, 4 complete.
/// JSON: a number.
///
/// Errors (field `functioning`): `out_of_range` outside 0–4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Functioning(u8);

impl Functioning {
    /// VUM's name of the level.
    pub fn label(self) -> Localized {
        match self.0 {
            0 => Localized::new("Ingen begrænsninger", "No limitation"),
            1 => Localized::new("Lette begrænsninger", "Light limitation"),
            2 => Localized::new("Moderate begrænsninger", "Moderate limitation"),
            3 => Localized::new("Svære begrænsninger", "Severe limitation"),
            _ => Localized::new("Totale begrænsninger", "Complete limitation"),
        }
    }
}

impl Functioning {
    /// The level as typed or chosen in a form: `None` when left empty.
    ///
    /// Errors: `functioning` `whole_number_expected` for what is no whole
    /// number, `out_of_range` for one outside 0–4.
    pub fn read_typed(text: &str) -> Result<Option<Functioning>, ValidationError> {
        read_scale(text, "functioning", 4, Functioning::try_from)
    }
}

impl TryFrom<u8> for Functioning {
    type Error = ValidationError;

    fn try_from(n: u8) -> Result<Functioning, ValidationError> {
        if n > 4 {
            return Err(ValidationError::new("functioning", Problem::OutOfRange { min: 0, max: 4 }));
        }
        Ok(Functioning(n))
    }
}

impl From<Functioning> for u8 {
    fn from(f: Functioning) -> u8 {
        f.0
    }
}

/// What a follow-up concludes (VUM 2.0). JSON: `"continue"`, `"change"`,
/// `"end"`, `"reassess"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// The effort continues unchanged.
    Continue,
    /// The effort is changed within the frame of the decision.
    Change,
    /// The effort ends.
    End,
    /// The citizen is to be assessed again.
    Reassess,
}

wire_codes!(Conclusion { Continue => "continue", Change => "change", End => "end", Reassess => "reassess" });

impl Conclusion {
    pub fn label(self) -> Localized {
        match self {
            Conclusion::Continue => Localized::new("Fortsætter uændret", "Continues unchanged"),
            Conclusion::Change => {
                Localized::new("Justeres inden for rammen", "Adjusted within the frame of the decision")
            }
            Conclusion::End => Localized::new("Ophører", "Ends"),
            Conclusion::Reassess => Localized::new("Revurderes", "To be reassessed"),
        }
    }

    /// What the conclusion means to the citizen, in plain words for their
    /// copy of the plan (no case-work terms: issue 15, "in plain language").
    pub fn plain(self) -> Localized {
        match self {
            Conclusion::Continue => Localized::new("Vi fortsætter som aftalt", "We carry on as agreed"),
            Conclusion::Change => Localized::new(
                "Vi ændrer lidt på, hvordan vi arbejder med målet",
                "We change a little how we work on the goal",
            ),
            Conclusion::End => Localized::new("Vi stopper arbejdet med målet", "We stop working on the goal"),
            Conclusion::Reassess => Localized::new("Vi ser på din situation igen", "We look at your situation again"),
        }
    }
}

/// A follow-up on a goal. JSON: `{"id", "goal_id", "citizen_id", "on":
/// "2026-11-20", "citizen_score": 6|null, "functioning": 2|null, "note":
/// "", "conclusion": "continue"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpDraft {
    pub id: FollowUpId,
    pub goal_id: GoalId,
    pub citizen_id: CitizenId,
    pub on: Date,
    pub citizen_score: Option<CitizenScore>,
    pub functioning: Option<Functioning>,
    pub note: Note,
    pub conclusion: Conclusion,
}

impl FollowUpDraft {
    /// Checks the date against the plan's start (`plan_began`:
    /// [`Plan::began_on`]) and `today` (Copenhagen).
    ///
    /// A follow-up says something: a score, a functioning level or a note.
    ///
    /// Errors: `on` `before_plan` (naming the start) before the plan's
    /// start, `in_future` after today; `note` `no_finding` when all three
    /// are empty.
    pub fn check(&self, plan_began: Date, today: Date) -> Result<(), ValidationError> {
        check_day(self.on, plan_began, today)?;
        if self.citizen_score.is_none() && self.functioning.is_none() && self.note.as_str().trim().is_empty() {
            return Err(ValidationError::new("note", Problem::NoFinding));
        }
        Ok(())
    }
}

/// The day `on` of a follow-up or a revision: from the plan's start
/// (`plan_began`) to `today` (Copenhagen).
///
/// Errors: `on` `before_plan` (naming the start), `in_future`.
pub fn check_day(on: Date, plan_began: Date, today: Date) -> Result<(), ValidationError> {
    if on < plan_began {
        let (year, month, day) = (plan_began.year(), plan_began.month(), plan_began.day());
        return Err(ValidationError::new("on", Problem::BeforePlan { year, month, day }));
    }
    if on > today {
        return Err(ValidationError::new("on", Problem::InFuture));
    }
    Ok(())
}

/// A follow-up as the server holds it: never changed once made. JSON: the
/// draft's fields and `"by"`, `"recorded_at"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    #[serde(flatten)]
    pub fields: FollowUpDraft,
    pub by: UserId,
    pub recorded_at: Timestamp,
}

/// One agreed action as a revision keeps it. JSON: `{"what", "owner":
/// {...}, "due": "2026-12-01"|null, "status": "open"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisedAction {
    pub what: ActionText,
    pub owner: Owner,
    pub due: Option<Date>,
    pub status: ActionStatus,
}

/// One goal as a revision keeps it: the citizen's words, where it stood,
/// its target date and the actions agreed under it. JSON: `{"goal_id",
/// "citizen_wording", "status", "target_date", "actions": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisedGoal {
    pub goal_id: GoalId,
    pub citizen_wording: GoalWording,
    pub status: GoalStatus,
    pub target_date: Option<Date>,
    #[serde(default)]
    pub actions: Vec<RevisedAction>,
}

/// A revision of the plan (issue 15: "every revision of the plan is kept
/// with its date, who took part, and whether the citizen was present and
/// agreed"): the plan as it stood when it was gone through with the
/// citizen — their wishes and the goals with their actions, as the phone
/// that recorded it showed them — and who took part. Never changed once
/// made, like a follow-up. JSON: `{"id", "citizen_id", "on":
/// "2026-11-20", "participants": [uuid], "others": "", "citizen_present":
/// true, "citizen_agreed": true, "note": "", "wishes": "", "goals": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRevisionDraft {
    pub id: PlanRevisionId,
    pub citizen_id: CitizenId,
    pub on: Date,
    /// The staff who took part.
    pub participants: Vec<UserId>,
    /// Anyone else, by name and role.
    #[serde(default)]
    pub others: OthersPresent,
    pub citizen_present: bool,
    pub citizen_agreed: bool,
    pub note: Note,
    pub wishes: Wishes,
    pub goals: Vec<RevisedGoal>,
}

impl PlanRevisionDraft {
    /// The most staff one revision names.
    pub const MAX_PARTICIPANTS: usize = 30;
    /// The most goals one revision keeps.
    pub const MAX_GOALS: usize = 60;
    /// The most actions one kept goal holds.
    pub const MAX_ACTIONS: usize = 60;

    /// Checks the revision against the plan's start (`plan_began`:
    /// [`Plan::began_on`]) and `today` (Copenhagen).
    ///
    /// Errors: `on` `before_plan` (naming the start) or `in_future`;
    /// `participants` `none_chosen` when nobody of the staff took part,
    /// `out_of_range` for more than [`Self::MAX_PARTICIPANTS`],
    /// `participants[i]` `taken` for a person named twice; `goals`
    /// `out_of_range` for more than [`Self::MAX_GOALS`] goals or
    /// [`Self::MAX_ACTIONS`] actions under one.
    pub fn check(&self, plan_began: Date, today: Date) -> Result<(), Vec<ValidationError>> {
        let mut errors: Vec<ValidationError> = check_day(self.on, plan_began, today).err().into_iter().collect();
        if self.participants.is_empty() {
            errors.push(ValidationError::new("participants", Problem::NoneChosen));
        } else if self.participants.len() > Self::MAX_PARTICIPANTS {
            let max = Self::MAX_PARTICIPANTS as i64;
            errors.push(ValidationError::new("participants", Problem::OutOfRange { min: 1, max }));
        }
        if let Some(i) = (0..self.participants.len()).find(|&i| self.participants[..i].contains(&self.participants[i]))
        {
            errors.push(ValidationError::new(format!("participants[{i}]"), Problem::Taken));
        }
        if self.goals.len() > Self::MAX_GOALS || self.goals.iter().any(|g| g.actions.len() > Self::MAX_ACTIONS) {
            errors.push(ValidationError::new("goals", Problem::OutOfRange { min: 0, max: Self::MAX_GOALS as i64 }));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// A revision as the server holds it: never changed once made. JSON: the
/// draft's fields and `"by"`, `"recorded_at"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRevision {
    #[serde(flatten)]
    pub fields: PlanRevisionDraft,
    pub by: UserId,
    pub recorded_at: Timestamp,
}

/// When `goal`'s next follow-up is due: [`FOLLOW_UP_MONTHS`] after its
/// latest follow-up among `follow_ups` (any goal's; others are ignored),
/// or after the goal was made. A goal no longer active has none.
pub fn follow_up_due(goal: &Goal, follow_ups: &[FollowUp]) -> Option<Date> {
    if goal.fields.status != GoalStatus::Active {
        return None;
    }
    let latest = follow_ups
        .iter()
        .filter(|f| f.fields.goal_id == goal.fields.id)
        .map(|f| f.fields.on)
        .max()
        .unwrap_or(goal.created_on);
    Some(latest.add_months(FOLLOW_UP_MONTHS))
}

// ---------------------------------------------------------------- merging

/// What a phone's edit of a plan, goal or action was based on: the row as
/// the phone showed it (the server's with this phone's unconfirmed edits
/// on top) and the server version under it (0: never confirmed). JSON:
/// `{"row_version": 3, "fields": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Base<T> {
    pub row_version: u64,
    pub fields: T,
}

impl<T: PartialEq> Base<T> {
    /// Whether `current` (at `row_version`) is still what the base shows:
    /// nobody but this phone has changed it since.
    pub fn still_matches(&self, current: &T, row_version: u64) -> bool {
        self.row_version == row_version || self.fields == *current
    }
}

/// A three-way merge's result: what to store, and the fields both sides
/// changed to different values (the server's value stands; the phone's is
/// kept for the coordinator to settle).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge<T> {
    pub merged: T,
    pub clashes: Vec<&'static str>,
}

/// Merges `mine` (a phone's edit) into `theirs` (the server's row), both
/// made from `base`, field by field ([`crate::merge::pick`]).
pub fn merge_plan(base: &PlanDraft, theirs: &PlanDraft, mine: &PlanDraft) -> Merge<PlanDraft> {
    use crate::merge::pick;
    let mut clashes = Vec::new();
    let merged = PlanDraft {
        citizen_id: theirs.citizen_id,
        consent: pick("consent", base.consent, theirs.consent, mine.consent, &mut clashes),
        coordinator_id: pick(
            "coordinator_id",
            base.coordinator_id,
            theirs.coordinator_id,
            mine.coordinator_id,
            &mut clashes,
        ),
        coordinator_contact: pick(
            "coordinator_contact",
            &base.coordinator_contact,
            &theirs.coordinator_contact,
            &mine.coordinator_contact,
            &mut clashes,
        )
        .clone(),
        wishes: pick("wishes", &base.wishes, &theirs.wishes, &mine.wishes, &mut clashes).clone(),
        began_on: pick("began_on", base.began_on, theirs.began_on, mine.began_on, &mut clashes),
    };
    Merge { merged, clashes }
}

/// [`merge_plan`] for a goal. The areas and efforts are one field each.
pub fn merge_goal(base: &GoalDraft, theirs: &GoalDraft, mine: &GoalDraft) -> Merge<GoalDraft> {
    use crate::merge::pick;
    let mut c = Vec::new();
    let merged = GoalDraft {
        id: theirs.id,
        citizen_id: theirs.citizen_id,
        citizen_wording: pick(
            "citizen_wording",
            &base.citizen_wording,
            &theirs.citizen_wording,
            &mine.citizen_wording,
            &mut c,
        )
        .clone(),
        professional_wording: pick(
            "professional_wording",
            &base.professional_wording,
            &theirs.professional_wording,
            &mine.professional_wording,
            &mut c,
        )
        .clone(),
        areas: pick("areas", &base.areas, &theirs.areas, &mine.areas, &mut c).clone(),
        efforts: pick("efforts", &base.efforts, &theirs.efforts, &mine.efforts, &mut c).clone(),
        target_date: pick("target_date", base.target_date, theirs.target_date, mine.target_date, &mut c),
        status: pick("status", base.status, theirs.status, mine.status, &mut c),
        position: pick("position", base.position, theirs.position, mine.position, &mut c),
    };
    Merge { merged, clashes: c }
}

/// [`merge_plan`] for an action.
pub fn merge_action(base: &ActionDraft, theirs: &ActionDraft, mine: &ActionDraft) -> Merge<ActionDraft> {
    use crate::merge::pick;
    let mut c = Vec::new();
    let merged = ActionDraft {
        id: theirs.id,
        goal_id: theirs.goal_id,
        citizen_id: theirs.citizen_id,
        what: pick("what", &base.what, &theirs.what, &mine.what, &mut c).clone(),
        owner: pick("owner", base.owner, theirs.owner, mine.owner, &mut c),
        due: pick("due", base.due, theirs.due, mine.due, &mut c),
        status: pick("status", base.status, theirs.status, mine.status, &mut c),
        offer: pick("offer", base.offer, theirs.offer, mine.offer, &mut c),
        meeting: theirs.meeting.or(mine.meeting),
    };
    Merge { merged, clashes: c }
}

/// One field two edits clashed on, as text to show: the value that stands
/// on the row now and the other version. JSON: `{"field": "wishes",
/// "standing": "...", "other": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClashedField {
    /// The field's wire name (its label: [`crate::error::field_label`]).
    pub field: String,
    pub standing: String,
    pub other: String,
}

/// A clash of two edits of a citizen's plan, a goal or an action (issue
/// 15): the server's value stood, the other is kept until the coordinator
/// settles it. JSON: `{"id", "entity": "goal", "about": "Jeg vil have et
/// job", "by": "Anne Kjær", "at": ..., "fields": [...]}`; `about` is the
/// goal's or action's own words, empty for the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanConflict {
    pub id: crate::id::ConflictId,
    /// `"plan"`, `"goal"` or `"action"`.
    pub entity: String,
    pub about: String,
    /// Who made the version that did not stand.
    pub by: String,
    pub at: Timestamp,
    pub fields: Vec<ClashedField>,
}

/// `GET /api/plans/{citizen}/conflicts`: the citizen's open clashes, oldest
/// first. JSON: `{"conflicts": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanConflictsResponse {
    pub conflicts: Vec<PlanConflict>,
}

/// What the phone whose edit of a plan was applied with a clash is told
/// (an `edit_not_kept` rejection): which fields (wire names) did not stand
/// and who can put them back.
pub fn plan_not_kept_message(fields: &[String]) -> Localized {
    let names = |lang: crate::Lang| {
        fields.iter().map(|f| crate::error::field_label(f).get(lang).to_lowercase()).collect::<Vec<_>>().join(", ")
    };
    Localized::new(
        format!(
            "Din ændring af {} i planen blev ikke gemt: det blev også ændret et andet sted, og den version står nu. \
             Den koordinerende sagsbehandler kan vælge din version.",
            names(crate::Lang::Da)
        ),
        format!(
            "Your change of {} in the plan was not kept: it was also changed elsewhere, and that version stands. \
             The coordinating case worker can choose your version.",
            names(crate::Lang::En)
        ),
    )
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    fn date(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn goal(wording: &str, professional: &str, target: Option<&str>, status: GoalStatus) -> GoalDraft {
        GoalDraft {
            id: GoalId::from_uuid(Uuid::from_u128(1)),
            citizen_id: CitizenId::from_uuid(Uuid::from_u128(2)),
            citizen_wording: GoalWording::try_from(wording).expect("wording"),
            professional_wording: ProfessionalWording::try_from(professional).expect("wording"),
            areas: vec![AreaId::from_uuid(Uuid::from_u128(3))],
            efforts: vec![],
            target_date: target.map(date),
            status,
            position: 1,
        }
    }

    #[test]
    fn goal_merge_table() {
        use GoalStatus::*;
        let base = goal("Jeg vil have et job", "", None, Active);
        // (theirs, mine, merged, clashes)
        let cases = [
            // Different fields: both land.
            (
                goal("Jeg vil have et job", "Ordinære timer", None, Active),
                goal("Jeg vil have et job", "", Some("2027-06-30"), Active),
                goal("Jeg vil have et job", "Ordinære timer", Some("2027-06-30"), Active),
                vec![],
            ),
            // Only the phone changed the citizen's words: the phone's.
            (
                base.clone(),
                goal("Et job i en butik", "", None, Active),
                goal("Et job i en butik", "", None, Active),
                vec![],
            ),
            // Both changed the same text differently: the server's stands.
            (
                goal("Et job med dyr", "", None, Active),
                goal("Et job i en butik", "", None, Active),
                goal("Et job med dyr", "", None, Active),
                vec!["citizen_wording"],
            ),
            // The same change on both sides is no clash.
            (
                goal("Et job", "", None, Achieved),
                goal("Et job", "", None, Achieved),
                goal("Et job", "", None, Achieved),
                vec![],
            ),
            // A status and a text on different sides.
            (
                goal("Jeg vil have et job", "", None, Ended),
                goal("Et job", "", None, Active),
                goal("Et job", "", None, Ended),
                vec![],
            ),
        ];
        for (i, (theirs, mine, merged, clashes)) in cases.into_iter().enumerate() {
            let m = merge_goal(&base, &theirs, &mine);
            assert_eq!(m.merged, merged, "case {i}");
            assert_eq!(m.clashes, clashes, "case {i}");
        }
    }

    #[test]
    fn scores_keep_to_their_scales() {
        assert_eq!(u8::from(CitizenScore::try_from(10).expect("in range")), 10);
        let e = CitizenScore::try_from(11).expect_err("out of range");
        assert_eq!((e.field.as_ref(), e.code()), ("citizen_score", "out_of_range"));
        assert_eq!(u8::from(Functioning::try_from(4).expect("in range")), 4);
        let e = Functioning::try_from(5).expect_err("out of range");
        assert_eq!((e.field.as_ref(), e.code()), ("functioning", "out_of_range"));
        // On the wire too.
        assert!(serde_json::from_str::<CitizenScore>("11").is_err());
        assert!(serde_json::from_str::<Functioning>("-1").is_err());
        assert_eq!(Functioning::try_from(2).expect("2").label().da, "Moderate begrænsninger");
    }

    fn follow_up(on: &str) -> FollowUpDraft {
        FollowUpDraft {
            id: FollowUpId::from_uuid(Uuid::from_u128(9)),
            goal_id: GoalId::from_uuid(Uuid::from_u128(1)),
            citizen_id: CitizenId::from_uuid(Uuid::from_u128(2)),
            on: date(on),
            citizen_score: Some(CitizenScore::try_from(6).expect("6")),
            functioning: None,
            note: Note::empty(),
            conclusion: Conclusion::Continue,
        }
    }

    #[test]
    fn a_follow_up_is_dated_within_the_plan_and_not_ahead() {
        let (begun, today) = (date("2026-09-01"), date("2026-11-23"));
        assert!(follow_up("2026-09-01").check(begun, today).is_ok());
        assert!(follow_up("2026-11-23").check(begun, today).is_ok());
        let e = follow_up("2026-08-31").check(begun, today).expect_err("before the plan");
        assert_eq!((e.field.as_ref(), e.code()), ("on", "before_plan"));
        let e = follow_up("2026-11-24").check(begun, today).expect_err("ahead");
        assert_eq!((e.field.as_ref(), e.code()), ("on", "in_future"));
    }

    #[test]
    fn a_goal_names_an_area_or_effort_once() {
        let mut g = goal("Et job", "", None, GoalStatus::Active);
        assert!(g.check().is_ok());
        g.areas.push(g.areas[0]);
        let e = g.check().expect_err("twice");
        assert_eq!((e.field.as_ref(), e.code()), ("areas", "taken"));
        let mut g = goal("Et job", "", None, GoalStatus::Active);
        g.position = 0;
        assert_eq!(g.check().expect_err("no place").field.as_ref(), "position");
        // No goal without the citizen's own words.
        let e = GoalWording::try_from("  ").expect_err("empty");
        assert_eq!((e.field.as_ref(), e.code()), ("citizen_wording", "required"));
    }

    #[test]
    fn the_next_follow_up_is_due_half_a_year_after_the_last() {
        let g = Goal {
            fields: goal("Et job", "", None, GoalStatus::Active),
            created_on: date("2026-03-10"),
            row_version: 1,
            updated_at: Timestamp::from_millis(0),
            updated_by: UserId::from_uuid(Uuid::from_u128(5)),
        };
        assert_eq!(follow_up_due(&g, &[]), Some(date("2026-09-10")));
        let done = |on: &str| FollowUp {
            fields: follow_up(on),
            by: UserId::from_uuid(Uuid::from_u128(5)),
            recorded_at: Timestamp::from_millis(0),
        };
        assert_eq!(follow_up_due(&g, &[done("2026-08-01"), done("2026-05-01")]), Some(date("2027-02-01")));
        let ended = Goal { fields: goal("Et job", "", None, GoalStatus::Achieved), ..g };
        assert_eq!(follow_up_due(&ended, &[]), None);
    }

    #[test]
    fn consent_is_not_given_ahead_of_today() {
        let plan = |consent| PlanDraft {
            citizen_id: CitizenId::from_uuid(Uuid::from_u128(2)),
            consent,
            coordinator_id: None,
            coordinator_contact: ContactText::try_from("").expect("empty"),
            wishes: Wishes::try_from("At bo i egen lejlighed").expect("wishes"),
            began_on: None,
        };
        let today = date("2026-11-23");
        assert!(plan(Consent::Given { on: today }).check(None, today).is_ok());
        let e = plan(Consent::Refused { on: date("2026-11-24") }).check(None, today).expect_err("ahead");
        assert_eq!((e[0].field.as_ref(), e[0].code()), ("consent", "in_future"));
        // The plan's start may be back-dated, not set ahead; it is the
        // start follow-ups are held to, else the day it was begun here.
        let back = PlanDraft { began_on: Some(date("2026-11-01")), ..plan(Consent::NotAsked) };
        assert!(back.check(None, today).is_ok());
        let ahead = PlanDraft { began_on: Some(date("2026-11-24")), ..plan(Consent::NotAsked) };
        let e = ahead.check(None, today).expect_err("ahead");
        assert_eq!((e[0].field.as_ref(), e[0].code()), ("began_on", "in_future"));
        // Both at once (the walk saw one, then the other).
        let both = PlanDraft { began_on: Some(date("2026-11-24")), ..plan(Consent::Given { on: date("2026-11-25") }) };
        let fields: Vec<String> =
            both.check(None, today).expect_err("ahead").iter().map(|e| e.field.to_string()).collect();
        assert_eq!(fields, ["consent", "began_on"]);
        let stored = |fields| Plan {
            fields,
            created_on: date("2026-11-20"),
            row_version: 1,
            updated_at: "2026-11-20T10:00:00Z".parse().expect("instant"),
            updated_by: UserId::from_uuid(Uuid::from_u128(5)),
        };
        assert_eq!(stored(back).began_on(), date("2026-11-01"));
        assert_eq!(stored(plan(Consent::NotAsked)).began_on(), date("2026-11-20"));
    }

    #[test]
    fn a_typed_day_far_back_is_refused_and_a_stored_one_kept() {
        let today = date("2026-11-23");
        let plan = |consent, began_on| PlanDraft {
            citizen_id: CitizenId::from_uuid(Uuid::from_u128(2)),
            consent,
            coordinator_id: None,
            coordinator_contact: ContactText::default(),
            wishes: Wishes::default(),
            began_on,
        };
        // The walk's inputs: consent on 01.01.1900, the plan begun 01.01.1990.
        let old = plan(Consent::Given { on: date("1900-01-01") }, Some(date("1990-01-01")));
        let found: Vec<_> =
            old.check(None, today).expect_err("far back").iter().map(|e| (e.field.to_string(), e.code())).collect();
        assert_eq!(found, [("consent".to_owned(), "too_far_back"), ("began_on".to_owned(), "too_far_back")]);
        let e = &old.check(None, today).expect_err("far back")[1];
        assert_eq!(e.message().da, "Planens start: ligger for langt tilbage: tidligst 23.11.2024");
        // Two years back to the day is allowed; one more day is not.
        assert!(plan(Consent::NotAsked, Some(date("2024-11-23"))).check(None, today).is_ok());
        assert!(plan(Consent::NotAsked, Some(date("2024-11-22"))).check(None, today).is_err());
        // A day stored years ago stays when the plan is changed.
        assert!(old.check(Some(&old), today).is_ok());
        let wishes = PlanDraft { wishes: Wishes::try_from("Et job").expect("wishes"), ..old.clone() };
        assert!(wishes.check(Some(&old), today).is_ok());
    }

    #[test]
    fn a_target_or_due_day_before_the_plan_is_refused_when_typed() {
        let began = date("2026-11-01");
        let target =
            |on: Option<&str>| GoalDraft { target_date: on.map(date), ..goal("Et job", "", None, GoalStatus::Active) };
        assert!(target(None).check_target(None, began).is_ok());
        assert!(target(Some("2026-11-01")).check_target(None, began).is_ok());
        let e = target(Some("2020-06-30")).check_target(None, began).expect_err("before the plan");
        assert_eq!((e.field.as_ref(), e.code()), ("target_date", "before_plan"));
        assert_eq!(e.message().da, "Måldato: må ikke ligge før planens start, 01.11.2026");
        let stored = target(Some("2020-06-30"));
        assert!(stored.check_target(Some(&stored), began).is_ok(), "unchanged: kept");
        let action = |due: Option<&str>| ActionDraft {
            id: crate::ActionId::from_uuid(Uuid::from_u128(40)),
            goal_id: stored.id,
            citizen_id: stored.citizen_id,
            what: ActionText::try_from("Ring til jobcentret").expect("what"),
            owner: Owner::Citizen,
            due: due.map(date),
            status: ActionStatus::Open,
            offer: None,
            meeting: None,
        };
        let e = action(Some("2019-01-01")).check_due(None, began).expect_err("before the plan");
        assert_eq!((e.field.as_ref(), e.code()), ("due", "before_plan"));
        assert!(action(Some("2026-12-01")).check_due(None, began).is_ok());
        // A mistyped year: five years after the start is the last day.
        assert!(action(Some("2031-11-01")).check_due(None, began).is_ok());
        let e = action(Some("2150-01-15")).check_due(None, began).expect_err("a mistyped year");
        assert_eq!((e.field.as_ref(), e.code()), ("due", "beyond_plan_horizon"));
        assert_eq!(e.message().da, "Senest: kan højst ligge fem år efter planens start: senest 01.11.2031");
        let e = target(Some("2031-11-02")).check_target(None, began).expect_err("a day too far");
        assert_eq!((e.field.as_ref(), e.code()), ("target_date", "beyond_plan_horizon"));
    }

    #[test]
    fn plan_json_golden() {
        let plan = Plan {
            fields: PlanDraft {
                citizen_id: CitizenId::from_uuid(Uuid::from_u128(2)),
                consent: Consent::Given { on: date("2026-11-20") },
                coordinator_id: Some(UserId::from_uuid(Uuid::from_u128(5))),
                coordinator_contact: ContactText::try_from("Ring 2233 4455, man–fre 9–12").expect("contact"),
                wishes: Wishes::try_from("At få et arbejde med dyr").expect("wishes"),
                began_on: Some(date("2026-08-28")),
            },
            created_on: date("2026-09-01"),
            row_version: 3,
            updated_at: "2026-11-20T10:00:00Z".parse().expect("instant"),
            updated_by: UserId::from_uuid(Uuid::from_u128(5)),
        };
        let json = serde_json::to_string_pretty(&plan).expect("json");
        expect_test::expect![[r#"
            {
              "citizen_id": "00000000-0000-0000-0000-000000000002",
              "consent": {
                "state": "given",
                "on": "2026-11-20"
              },
              "coordinator_id": "00000000-0000-0000-0000-000000000005",
              "coordinator_contact": "Ring 2233 4455, man–fre 9–12",
              "wishes": "At få et arbejde med dyr",
              "began_on": "2026-08-28",
              "created_on": "2026-09-01",
              "row_version": 3,
              "updated_at": "2026-11-20T10:00:00.000Z",
              "updated_by": "00000000-0000-0000-0000-000000000005"
            }"#]]
        .assert_eq(&json);
        assert_eq!(serde_json::from_str::<Plan>(&json).expect("back"), plan);
    }

    #[test]
    fn goal_action_and_follow_up_json_golden() {
        let mut g = goal("Jeg vil have et job", "Ordinære timer 10 t/uge", Some("2027-06-30"), GoalStatus::Active);
        g.efforts = vec![Effort::Grant(GrantId::from_uuid(Uuid::from_u128(4)))];
        let json = serde_json::to_string_pretty(&g).expect("json");
        expect_test::expect![[r#"
            {
              "id": "00000000-0000-0000-0000-000000000001",
              "citizen_id": "00000000-0000-0000-0000-000000000002",
              "citizen_wording": "Jeg vil have et job",
              "professional_wording": "Ordinære timer 10 t/uge",
              "areas": [
                "00000000-0000-0000-0000-000000000003"
              ],
              "efforts": [
                {
                  "type": "grant",
                  "id": "00000000-0000-0000-0000-000000000004"
                }
              ],
              "target_date": "2027-06-30",
              "status": "active",
              "position": 1
            }"#]]
        .assert_eq(&json);
        assert_eq!(serde_json::from_str::<GoalDraft>(&json).expect("back"), g);

        let a = ActionDraft {
            id: ActionId::from_uuid(Uuid::from_u128(6)),
            goal_id: g.id,
            citizen_id: g.citizen_id,
            what: ActionText::try_from("Ringe til jobcentret om praktik").expect("what"),
            owner: Owner::Citizen,
            due: Some(date("2026-12-15")),
            status: ActionStatus::Open,
            offer: None,
            meeting: None,
        };
        let json = serde_json::to_string(&a).expect("json");
        expect_test::expect![[r#"{"id":"00000000-0000-0000-0000-000000000006","goal_id":"00000000-0000-0000-0000-000000000001","citizen_id":"00000000-0000-0000-0000-000000000002","what":"Ringe til jobcentret om praktik","owner":{"type":"citizen"},"due":"2026-12-15","status":"open"}"#]]
        .assert_eq(&json);
        assert_eq!(serde_json::from_str::<ActionDraft>(&json).expect("back"), a);

        let f = follow_up("2026-11-20");
        let json = serde_json::to_string(&f).expect("json");
        expect_test::expect![[r#"{"id":"00000000-0000-0000-0000-000000000009","goal_id":"00000000-0000-0000-0000-000000000001","citizen_id":"00000000-0000-0000-0000-000000000002","on":"2026-11-20","citizen_score":6,"functioning":null,"note":"","conclusion":"continue"}"#]]
        .assert_eq(&json);
        assert_eq!(serde_json::from_str::<FollowUpDraft>(&json).expect("back"), f);
    }
}
