//! The access log (Datatilsynet's "logning"; GDPR art. 15): every read,
//! search, create, change, export and delete of citizen data, with who,
//! when, which citizen, what and why. A citizen may be told the dates and
//! the purposes of the look-ups of their data (CJEU C-579/21), normally not
//! who made them.

use serde::{Deserialize, Serialize};

use crate::error::Lang;
use crate::id::{CitizenId, UserId};
use crate::text::PersonName;
use crate::time::Timestamp;

/// What was done with a citizen's data. JSON and [`AccessAction::code`]:
/// `"read"`, `"search"`, `"create"`, `"change"`, `"export"`, `"delete"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessAction {
    Read,
    Search,
    Create,
    Change,
    Export,
    Delete,
}

crate::codes::wire_codes!(AccessAction {
    Read => "read",
    Search => "search",
    Create => "create",
    Change => "change",
    Export => "export",
    Delete => "delete",
});

impl AccessAction {
    /// The action as the log shows it, in the past tense: "Læst" / "Read",
    /// "Udtrukket" / "Exported", …
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AccessAction::Read, Lang::Da) => "Læst",
            (AccessAction::Read, Lang::En) => "Read",
            (AccessAction::Search, Lang::Da) => "Søgt",
            (AccessAction::Search, Lang::En) => "Searched",
            (AccessAction::Create, Lang::Da) => "Oprettet",
            (AccessAction::Create, Lang::En) => "Created",
            (AccessAction::Change, Lang::Da) => "Ændret",
            (AccessAction::Change, Lang::En) => "Changed",
            (AccessAction::Export, Lang::Da) => "Udtrukket",
            (AccessAction::Export, Lang::En) => "Exported",
            (AccessAction::Delete, Lang::Da) => "Slettet",
            (AccessAction::Delete, Lang::En) => "Deleted",
        }
    }
}

/// What an entry is about: the record or screen the access touched. The
/// server writes [`AccessSubject::code`] into the entry's `detail`; the log
/// shows [`AccessSubject::label`] for it, so a plan change and a visit by
/// the same person on the same day are told apart (issue 15's walk). The
/// codes are the texts older entries already hold; a detail that is none of
/// them (a search term) is shown as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessSubject {
    /// The phone fetched the citizen's data (a pull).
    Sync,
    Visit,
    Timer,
    /// The plan's consent, contact and wishes.
    Plan,
    Goal,
    /// An agreed action of the plan.
    PlanAction,
    FollowUp,
    /// A review of the plan with the citizen (a revision).
    PlanRevision,
    Meeting,
    Minutes,
    Grant,
    Course,
    CaseReview,
    TeamReport,
    Statement,
    StatementCsv,
    /// The citizen's own data, exported for them (GDPR art. 20).
    Portability,
    VisitsCsv,
    LeadLists,
    Conflicts,
    /// The citizen's record (name, birth date, benefit).
    Citizen,
    Assignment,
    Handover,
    Import,
    /// A proposal to the coordination and visitation committee, the
    /// lead's decision on it or the committee's.
    Committee,
    /// A case on the monthly sparring forum, or its minutes.
    Forum,
}

impl AccessSubject {
    /// Every subject.
    pub const ALL: [AccessSubject; 26] = [
        AccessSubject::Sync,
        AccessSubject::Visit,
        AccessSubject::Timer,
        AccessSubject::Plan,
        AccessSubject::Goal,
        AccessSubject::PlanAction,
        AccessSubject::FollowUp,
        AccessSubject::PlanRevision,
        AccessSubject::Meeting,
        AccessSubject::Minutes,
        AccessSubject::Grant,
        AccessSubject::Course,
        AccessSubject::CaseReview,
        AccessSubject::TeamReport,
        AccessSubject::Statement,
        AccessSubject::StatementCsv,
        AccessSubject::Portability,
        AccessSubject::VisitsCsv,
        AccessSubject::LeadLists,
        AccessSubject::Conflicts,
        AccessSubject::Citizen,
        AccessSubject::Assignment,
        AccessSubject::Handover,
        AccessSubject::Import,
        AccessSubject::Committee,
        AccessSubject::Forum,
    ];

    /// The text stored in the entry's `detail`.
    pub fn code(self) -> &'static str {
        match self {
            AccessSubject::Sync => "sync",
            AccessSubject::Visit => "visit",
            AccessSubject::Timer => "timer",
            AccessSubject::Plan => "plan",
            AccessSubject::Goal => "goal",
            AccessSubject::PlanAction => "plan action",
            AccessSubject::FollowUp => "follow-up",
            AccessSubject::PlanRevision => "plan revision",
            AccessSubject::Meeting => "meeting",
            AccessSubject::Minutes => "minutes",
            AccessSubject::Grant => "grant",
            AccessSubject::Course => "course",
            AccessSubject::CaseReview => "case review",
            AccessSubject::TeamReport => "team report",
            AccessSubject::Statement => "statement",
            AccessSubject::StatementCsv => "statement CSV",
            AccessSubject::Portability => "portability",
            AccessSubject::VisitsCsv => "visits CSV",
            AccessSubject::LeadLists => "lead's lists",
            AccessSubject::Conflicts => "conflicts",
            AccessSubject::Citizen => "citizen",
            AccessSubject::Assignment => "assignment",
            AccessSubject::Handover => "handover",
            AccessSubject::Import => "import",
            AccessSubject::Committee => "committee",
            AccessSubject::Forum => "forum",
        }
    }

    /// The subject whose code `detail` is, or `None`.
    pub fn from_detail(detail: &str) -> Option<AccessSubject> {
        AccessSubject::ALL.into_iter().find(|s| s.code() == detail)
    }

    /// The subject as the log shows it: "Besøg" / "Visit", "Mål" / "Goal",
    /// "Hentet til telefonen" / "Fetched to the phone", …
    pub fn label(self, lang: Lang) -> &'static str {
        let (da, en) = match self {
            AccessSubject::Sync => ("Hentet til telefonen", "Fetched to the phone"),
            AccessSubject::Visit => ("Besøg", "Visit"),
            AccessSubject::Timer => ("Tidtagning", "Timer"),
            AccessSubject::Plan => ("Plan: samtykke og kontakt", "Plan: consent and contact"),
            AccessSubject::Goal => ("Plan: mål", "Plan: goal"),
            AccessSubject::PlanAction => ("Plan: aftalt handling", "Plan: agreed action"),
            AccessSubject::FollowUp => ("Plan: opfølgning", "Plan: follow-up"),
            AccessSubject::PlanRevision => ("Plan: gennemgang med borgeren", "Plan: review with the citizen"),
            AccessSubject::Meeting => ("Tværfagligt møde", "Cross-disciplinary meeting"),
            AccessSubject::Minutes => ("Mødereferat", "Meeting minutes"),
            AccessSubject::Grant => ("Bevilling", "Grant"),
            AccessSubject::Course => ("Forløb", "Course"),
            AccessSubject::CaseReview => ("Sagsgennemgang", "Case review"),
            AccessSubject::TeamReport => ("Teamets rapport", "Team report"),
            AccessSubject::Statement => ("Afregning", "Statement"),
            AccessSubject::StatementCsv => ("Afregning (CSV)", "Statement (CSV)"),
            AccessSubject::Portability => ("Udtræk af borgerens data", "Export of the citizen's data"),
            AccessSubject::VisitsCsv => ("Besøg (CSV)", "Visits (CSV)"),
            AccessSubject::LeadLists => ("Lederens lister", "The lead's lists"),
            AccessSubject::Conflicts => ("Konflikter", "Conflicts"),
            AccessSubject::Citizen => ("Borgerens stamdata", "The citizen's record"),
            AccessSubject::Assignment => ("Tilknytning", "Assignment"),
            AccessSubject::Handover => ("Overdragelse", "Handover"),
            AccessSubject::Import => ("Indlæsning", "Import"),
            AccessSubject::Committee => {
                ("Koordinations- og visitationsudvalget", "Coordination and visitation committee")
            }
            AccessSubject::Forum => ("Sparringsforum", "Sparring forum"),
        };
        lang.pick(da, en)
    }
}

/// An entry's `detail` as the log shows it: a subject's label, or the text
/// as it is (a search term); `None` when there is none.
pub fn detail_label(detail: Option<&str>, lang: Lang) -> Option<String> {
    let detail = detail.filter(|d| !d.is_empty())?;
    Some(AccessSubject::from_detail(detail).map_or_else(|| detail.to_owned(), |s| s.label(lang).to_owned()))
}

/// Why: the task the access served. Each endpoint has one. JSON and
/// [`AccessPurpose::code`]: `"field_work"`, `"citizen_list"`, `"oversight"`,
/// `"grant_decision"`, `"billing"`, `"administration"`, `"access_report"`,
/// `"data_exchange"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessPurpose {
    /// The data went to (or came from) a worker's phone for their support work.
    FieldWork,
    /// The list of citizens a user works with.
    CitizenList,
    /// A lead's follow-up on hours and grants.
    Oversight,
    /// A grant decided or changed.
    GrantDecision,
    /// The monthly statement between areas.
    Billing,
    /// Setting up citizens and who works with them.
    Administration,
    /// Answering a request for the access log itself.
    AccessReport,
    /// Data handed over (portability) or brought in from a case system.
    DataExchange,
}

crate::codes::wire_codes!(AccessPurpose {
    FieldWork => "field_work",
    CitizenList => "citizen_list",
    Oversight => "oversight",
    GrantDecision => "grant_decision",
    Billing => "billing",
    Administration => "administration",
    AccessReport => "access_report",
    DataExchange => "data_exchange",
});

impl AccessPurpose {
    /// As a citizen is told it.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AccessPurpose::FieldWork, Lang::Da) => "Støtte til borgeren (medarbejderens telefon)",
            (AccessPurpose::FieldWork, Lang::En) => "Support for the citizen (the worker's phone)",
            (AccessPurpose::CitizenList, Lang::Da) => "Oversigt over egne borgere",
            (AccessPurpose::CitizenList, Lang::En) => "Overview of one's own citizens",
            (AccessPurpose::Oversight, Lang::Da) => "Ledelsens opfølgning på timer og bevillinger",
            (AccessPurpose::Oversight, Lang::En) => "Management follow-up on hours and grants",
            (AccessPurpose::GrantDecision, Lang::Da) => "Bevilling",
            (AccessPurpose::GrantDecision, Lang::En) => "Grant decision",
            (AccessPurpose::Billing, Lang::Da) => "Afregning mellem områder",
            (AccessPurpose::Billing, Lang::En) => "Billing between areas",
            (AccessPurpose::Administration, Lang::Da) => "Administration",
            (AccessPurpose::Administration, Lang::En) => "Administration",
            (AccessPurpose::AccessReport, Lang::Da) => "Indsigt i adgangsloggen",
            (AccessPurpose::AccessReport, Lang::En) => "Access-log request",
            (AccessPurpose::DataExchange, Lang::Da) => "Udveksling med fagsystem",
            (AccessPurpose::DataExchange, Lang::En) => "Exchange with the case system",
        }
    }
}

/// One entry, as an administrator sees it. JSON: `{"at": ..., "user_id":
/// ..., "user_name": ..., "citizen_id": ..., "citizen_name": ..., "action":
/// "read", "purpose": "field_work", "detail": null}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// When the access happened.
    pub at: Timestamp,
    pub user_id: UserId,
    /// The user's name as the server finds it (`?` for a user it no longer
    /// has).
    pub user_name: PersonName,
    /// The citizen whose data it was (`None` when the entry names none).
    pub citizen_id: Option<CitizenId>,
    /// The citizen's name, when known (`None` also for a citizen deleted
    /// since).
    pub citizen_name: Option<PersonName>,
    /// What was done.
    pub action: AccessAction,
    /// Why.
    pub purpose: AccessPurpose,
    /// What more there is to say: the search term, the endpoint.
    pub detail: Option<String>,
}

/// `GET /api/access-log?citizen=…` or `?user=…` (admin), newest first.
/// JSON: `{"entries": [...], "retention_months": 6, "generated_at": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessReport {
    /// The matching entries, newest first.
    pub entries: Vec<AccessEntry>,
    /// Entries older than this many months are deleted by the server.
    pub retention_months: u32,
    /// When the server read the log.
    pub generated_at: Timestamp,
}

/// How long the log is kept: 1–120 months, 6 by default. JSON:
/// `{"months": 6}`; deserialising checks it as [`Retention::new`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RetentionWire")]
pub struct Retention {
    /// Whole months an entry is kept.
    pub months: u32,
}

#[derive(Deserialize)]
struct RetentionWire {
    months: u32,
}

impl Retention {
    /// The longest retention, in months (ten years).
    pub const MAX_MONTHS: u32 = 120;

    /// A retention of `months` months.
    ///
    /// Errors: `months` `Problem::OutOfRange { min: 1, max: 120 }`.
    pub fn new(months: u32) -> Result<Retention, crate::ValidationError> {
        if months == 0 || months > Self::MAX_MONTHS {
            return Err(crate::ValidationError::new(
                "months",
                crate::Problem::OutOfRange { min: 1, max: Self::MAX_MONTHS.into() },
            ));
        }
        Ok(Retention { months })
    }
}

impl TryFrom<RetentionWire> for Retention {
    type Error = crate::ValidationError;

    fn try_from(w: RetentionWire) -> Result<Self, Self::Error> {
        Retention::new(w.months)
    }
}

impl Default for Retention {
    fn default() -> Self {
        Retention { months: 6 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_read_back_from_their_detail() {
        let codes: std::collections::BTreeSet<_> = AccessSubject::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes.len(), AccessSubject::ALL.len(), "each subject its own code");
        for s in AccessSubject::ALL {
            assert_eq!(AccessSubject::from_detail(s.code()), Some(s));
            assert_ne!(s.label(Lang::Da), s.code(), "{s:?} has a Danish label");
        }
        assert_eq!(detail_label(Some("goal"), Lang::Da).as_deref(), Some("Plan: mål"));
        assert_eq!(detail_label(Some("visit"), Lang::En).as_deref(), Some("Visit"));
        // A search term is shown as typed; no detail, nothing.
        assert_eq!(detail_label(Some("Birthe"), Lang::Da).as_deref(), Some("Birthe"));
        assert_eq!(detail_label(Some(""), Lang::Da), None);
        assert_eq!(detail_label(None, Lang::Da), None);
    }

    #[test]
    fn codes_and_retention() {
        for a in AccessAction::ALL {
            assert_eq!(serde_json::to_value(a).expect("json"), serde_json::Value::String(a.code().into()));
        }
        for p in AccessPurpose::ALL {
            assert_eq!(serde_json::to_value(p).expect("json"), serde_json::Value::String(p.code().into()));
        }
        assert_eq!(Retention::default().months, 6);
        assert!(serde_json::from_str::<Retention>(r#"{"months":0}"#).is_err());
        assert!(serde_json::from_str::<Retention>(r#"{"months":121}"#).is_err());
        assert_eq!(serde_json::from_str::<Retention>(r#"{"months":12}"#).expect("valid").months, 12);
    }
}
