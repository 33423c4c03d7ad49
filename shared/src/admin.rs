//! Administration wire types: areas, teams, users, citizens and
//! assignments as an administrator (or a lead, for their own teams) writes
//! them. Every write is a `PUT` of the whole record to its id, which the
//! client makes: a retry after a lost answer changes nothing twice.

use serde::{Deserialize, Serialize};

use crate::area::AreaKind;
use crate::citizen::BenefitType;
use crate::error::{Problem, ValidationError};
use crate::id::{AreaId, CitizenId, TeamId, UserId};
use crate::review::Birth;
use crate::text::{ExternalId, OrgName, PersonName, Username};
use crate::time::{DateRange, Timestamp};
use crate::user::Role;

/// A password an administrator sets or a user chooses: 10 to 1024
/// characters. Never logged, never echoed. JSON: a string, taken as typed
/// (not trimmed); `Debug` prints `NewPassword(***)`.
///
/// Errors (`TryFrom<String>`, serde), with an empty field name the caller
/// fills in (`temporary_password`, `new_password`): `Problem::Required`
/// when empty, `Problem::TooShort { min: 10 }`,
/// `Problem::TooLong { max: 1024 }` ([`crate::api::Password::MAX_CHARS`]).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NewPassword(String);

impl NewPassword {
    /// The fewest characters a new password may have.
    pub const MIN_CHARS: usize = 10;

    /// The password itself, for hashing; never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl TryFrom<String> for NewPassword {
    type Error = ValidationError;

    /// The field is left to the caller (`temporary_password`,
    /// `new_password`).
    fn try_from(s: String) -> Result<Self, ValidationError> {
        let n = s.chars().count();
        if n == 0 {
            return Err(ValidationError::new("", Problem::Required));
        }
        if n < Self::MIN_CHARS {
            return Err(ValidationError::new("", Problem::TooShort { min: Self::MIN_CHARS as u32 }));
        }
        if n > crate::api::Password::MAX_CHARS {
            return Err(ValidationError::new("", Problem::TooLong { max: crate::api::Password::MAX_CHARS as u32 }));
        }
        Ok(NewPassword(s))
    }
}

impl From<NewPassword> for String {
    fn from(p: NewPassword) -> String {
        p.0
    }
}

/// `PUT /api/admin/areas/{id}`. JSON: `{"name": "Socialområdet", "kind":
/// "social"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaInput {
    pub name: OrgName,
    pub kind: AreaKind,
}

/// `PUT /api/admin/teams/{id}`: a team belongs to one area for good.
/// JSON: `{"name": "Bostøtteteamet", "area_id": ..., "consultant_team":
/// false}` (`consultant_team` may be absent: false).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamInput {
    pub name: OrgName,
    pub area_id: AreaId,
    /// A consultant team (seed 002): runs intensive courses; its
    /// consultants decide and deliver (issue 15).
    #[serde(default)]
    pub consultant_team: bool,
}

/// A user as the administration sees them (never a password hash). JSON:
/// `{"id": ..., "username": "anne", "name": "Anne Berg", "roles":
/// ["worker"], "team_ids": [...], "active": true, "must_change_password":
/// false}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUser {
    pub id: UserId,
    pub username: Username,
    pub name: PersonName,
    pub roles: Vec<Role>,
    /// The teams the user is a member of.
    pub team_ids: Vec<TeamId>,
    /// The areas an area head heads (issue 14); empty for anyone else.
    #[serde(default)]
    pub area_ids: Vec<AreaId>,
    /// `false` once deactivated: the user cannot log in.
    pub active: bool,
    /// Logged in with a temporary password and not yet chosen their own.
    pub must_change_password: bool,
    /// The user's post as a citizen consultant, in hundredths of a
    /// full-time post (50: half time, seed 002's rule); absent: half time
    /// where they consult (issue 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course_post: Option<u32>,
}

/// `PUT /api/admin/users/{id}`: creates a user (then `temporary_password`
/// is required) or changes one (a given `temporary_password` resets it).
/// Deactivating ends the user's sessions at once. JSON: `{"username":
/// "anne", "name": "Anne Berg", "roles": ["worker"], "team_ids": [...],
/// "active": true, "temporary_password": "skift-mig-nu-1"}`
/// (`temporary_password` absent when not given).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInput {
    pub username: Username,
    pub name: PersonName,
    pub roles: Vec<Role>,
    pub team_ids: Vec<TeamId>,
    /// The areas an area head heads; absent means none.
    #[serde(default)]
    pub area_ids: Vec<AreaId>,
    pub active: bool,
    /// As [`AdminUser::course_post`]: 0 to 100 hundredths; absent: half time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course_post: Option<u32>,
    /// A password for the user's next login, which they must then change;
    /// `None` keeps the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporary_password: Option<NewPassword>,
}

/// `POST /api/me/password`: the user's own new password (required after
/// logging in with a temporary one). JSON: `{"current_password": ...,
/// "new_password": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangePasswordRequest {
    pub current_password: crate::api::Password,
    pub new_password: NewPassword,
}

/// `PUT /api/admin/citizens/{id}`. JSON: `{"name": "Mette Holm",
/// "birth": {"date": "1988-03-12"} or {"year": 1988}, "benefit_type":
/// "cash_benefit", "coordinator_id": null, "external_id": "SAG-2026-0042"}`.
/// The layer is not here: a classification is dated and made by someone
/// ([`crate::review::Classification`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenInput {
    pub name: PersonName,
    /// The birth date, or only the year where the case system has no more.
    pub birth: Birth,
    pub benefit_type: BenefitType,
    /// The coordinating case worker, if any.
    pub coordinator_id: Option<UserId>,
    /// The case id in the municipality's case system (unique when given).
    pub external_id: Option<ExternalId>,
}

/// A citizen as the administration sees them: with the case id. JSON: the
/// [`CitizenInput`] fields flattened beside `id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCitizen {
    pub id: CitizenId,
    /// The citizen's fields, as written.
    #[serde(flatten)]
    pub input: CitizenInput,
}

/// `PUT /api/admin/assignments/{id}`: who works with a citizen, and when.
/// Ending one (`valid_to`) takes the citizen off that user's phone at its
/// next sync. JSON: `{"citizen_id": ..., "user_id": ..., "period":
/// {"from": "2026-01-01", "to": null}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentInput {
    pub citizen_id: CitizenId,
    pub user_id: UserId,
    /// The days the assignment runs (both ends included; no end while it
    /// runs).
    pub period: DateRange,
}

/// `GET /api/admin`: everything the administration screens list, as the
/// asker may see it (an admin: all; a lead: their teams' people and the
/// citizens they see). JSON: `{"areas": [...], "teams": [...], "users":
/// [...], "citizens": [...], "assignments": [...], "generated_at": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminDirectory {
    pub areas: Vec<crate::api::AreaSummary>,
    pub teams: Vec<crate::api::TeamSummary>,
    pub users: Vec<AdminUser>,
    pub citizens: Vec<AdminCitizen>,
    pub assignments: Vec<crate::assignment::Assignment>,
    /// When the server read it.
    pub generated_at: Timestamp,
}

/// What a CSV import brings in. JSON and [`ImportKind::code`]:
/// `"citizens"`, `"grants"`. A file has a header line; its separator is
/// `;` (or `,`, whichever the header uses more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// `sagsnummer;navn;fødselsår;målgruppe;ydelse;koordinator`
    Citizens,
    /// `bevillingsnummer;sagsnummer;ydelse;lovgrundlag;timer;pr;fra;til;betaler`
    Grants,
}

crate::codes::wire_codes!(ImportKind {
    Citizens => "citizens",
    Grants => "grants",
});

/// One refused value of an import file: the line (1 is the header), the
/// column, and why. JSON: `{"line": 3, "field": "hours", "code":
/// "ambiguous_hours", "message": {"da": ..., "en": ...}}`; `code` is a
/// [`crate::Problem`] code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// The file's line, the header being 1 (0: the file as a whole).
    pub line: u32,
    /// The refused field by its wire name (`hours`, `legal_basis`), or `file`
    /// for the file as a whole.
    pub field: String,
    /// The problem's stable code.
    pub code: String,
    /// What is wrong, in Danish and English.
    pub message: crate::Localized,
}

/// `POST /api/admin/import?kind=…&dry_run=…` with the CSV file as the body.
/// The import is all or nothing: with any problem, nothing is written.
/// JSON: `{"kind": "citizens", "dry_run": true, "applied": false, "lines":
/// 2, "created": 0, "updated": 1, "unchanged": 1, "problems": [...],
/// "changes": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub kind: ImportKind,
    /// Whether this was a dry run: checked, never written.
    pub dry_run: bool,
    /// Whether the rows were written (never on a dry run or with problems).
    pub applied: bool,
    /// Data lines read (the header not counted).
    pub lines: u32,
    /// Lines that create a record (or would, on a dry run).
    pub created: u32,
    /// Lines that change a record (or would).
    pub updated: u32,
    /// Lines that match their record as it is.
    pub unchanged: u32,
    /// Every refused value; any one means nothing is written.
    pub problems: Vec<ImportProblem>,
    /// Each line that creates or changes a record, with the fields it sets
    /// (on a dry run: would set). Unchanged lines are only counted. Absent
    /// in reports from before it was added (issue 12, kind 6).
    #[serde(default)]
    pub changes: Vec<ImportChange>,
}

/// What one import line does to its record: creates it (`fields`: every
/// field the line sets) or changes it (`fields`: exactly those whose value
/// differs; a column absent from the file changes nothing). Fields are
/// named like the wire types' (`name`, `coordinator_id`, `minutes`, …;
/// [`crate::error::field_label`] gives their Danish and English names).
/// JSON: `{"line": 2, "external_id": "SAG-1", "created": false, "fields":
/// ["coordinator_id"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportChange {
    /// The file's line (the header is line 1).
    pub line: u32,
    /// The record's case id (a citizen's case number, a grant's number).
    pub external_id: String,
    /// `true`: the line creates the record; `false`: it changes it.
    pub created: bool,
    /// The wire names of the fields set or changed.
    pub fields: Vec<String>,
}

impl ImportReport {
    /// The most data lines one file may have.
    pub const MAX_LINES: u32 = 20_000;
}

#[cfg(test)]
mod tests {
    use expect_test::expect;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn new_passwords_are_long_enough_and_never_printed() {
        let err = serde_json::from_str::<NewPassword>(r#""kort""#).expect_err("short");
        assert!(err.to_string().contains("at least 10"), "{err}");
        assert!(serde_json::from_str::<NewPassword>(r#""""#).is_err());
        let p: NewPassword = serde_json::from_str(r#""lang nok kode""#).expect("valid");
        assert_eq!(format!("{p:?}"), "NewPassword(***)");
    }

    #[test]
    fn user_input_golden() {
        let input = UserInput {
            username: Username::try_from("anne").expect("valid"),
            name: PersonName::try_from("Anne Berg").expect("valid"),
            roles: vec![Role::Worker],
            team_ids: vec![TeamId::from_uuid(Uuid::from_u128(3))],
            area_ids: vec![],
            active: true,
            course_post: None,
            temporary_password: Some(NewPassword::try_from("skift-mig-nu-1".to_owned()).expect("valid")),
        };
        expect![[r#"
            {
              "username": "anne",
              "name": "Anne Berg",
              "roles": [
                "worker"
              ],
              "team_ids": [
                "00000000-0000-0000-0000-000000000003"
              ],
              "area_ids": [],
              "active": true,
              "temporary_password": "skift-mig-nu-1"
            }"#]]
        .assert_eq(&serde_json::to_string_pretty(&input).expect("json"));
        let citizen = AdminCitizen {
            id: CitizenId::from_uuid(Uuid::from_u128(4)),
            input: CitizenInput {
                name: PersonName::try_from("Mette Holm").expect("valid"),
                birth: Birth::Date("1988-03-12".parse().expect("date")),
                benefit_type: BenefitType::CashBenefit,
                coordinator_id: None,
                external_id: Some(ExternalId::try_from("SAG-2026-0042").expect("valid")),
            },
        };
        let text = serde_json::to_string_pretty(&citizen).expect("json");
        expect![[r#"
            {
              "id": "00000000-0000-0000-0000-000000000004",
              "name": "Mette Holm",
              "birth": {
                "date": "1988-03-12"
              },
              "benefit_type": "cash_benefit",
              "coordinator_id": null,
              "external_id": "SAG-2026-0042"
            }"#]]
        .assert_eq(&text);
        assert_eq!(serde_json::from_str::<AdminCitizen>(&text).expect("reads back"), citizen);
    }

    /// Issue 12, kind 6: the report lists each written line's fields; a
    /// report from before `changes` existed still reads.
    #[test]
    fn import_report_golden() {
        let report = ImportReport {
            kind: ImportKind::Citizens,
            dry_run: true,
            applied: false,
            lines: 2,
            created: 0,
            updated: 1,
            unchanged: 1,
            problems: vec![],
            changes: vec![ImportChange {
                line: 2,
                external_id: "SAG-1".to_owned(),
                created: false,
                fields: vec!["coordinator_id".to_owned()],
            }],
        };
        let text = serde_json::to_string(&report).expect("json");
        expect![[r#"{"kind":"citizens","dry_run":true,"applied":false,"lines":2,"created":0,"updated":1,"unchanged":1,"problems":[],"changes":[{"line":2,"external_id":"SAG-1","created":false,"fields":["coordinator_id"]}]}"#]]
        .assert_eq(&text);
        assert_eq!(serde_json::from_str::<ImportReport>(&text).expect("reads back"), report);
        let old = r#"{"kind":"grants","dry_run":false,"applied":true,"lines":1,"created":1,"updated":0,"unchanged":0,"problems":[]}"#;
        assert!(serde_json::from_str::<ImportReport>(old).expect("old report").changes.is_empty());
    }
}
