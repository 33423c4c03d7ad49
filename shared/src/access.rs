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
