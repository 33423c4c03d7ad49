//! JSON wire types of the HTTP API (besides the sync protocol). Names follow
//! `<Action><Resource>Request/Response`. Golden tests below pin the JSON, so
//! an accidental change to the contract fails the build.

use serde::{Deserialize, Serialize};

use crate::area::AreaKind;
use crate::citizen::Citizen;
use crate::error::{Lang, Problem, ValidationError};
use crate::id::{AreaId, TeamId, UserId};
use crate::text::{OrgName, PersonName, Username};
use crate::user::Role;

/// The header every state-changing request must carry (CSRF defence: a
/// cross-site form cannot set it).
pub const CSRF_HEADER: &str = "x-requested-with";
/// The value [`CSRF_HEADER`] must have: `x-requested-with: helhed`.
pub const CSRF_VALUE: &str = "helhed";

/// The error code (with 401) that tells a phone its user is deactivated:
/// once its outbox is accepted, it wipes its local data.
pub const ACCOUNT_DEACTIVATED: &str = "account_deactivated";

/// A password as typed. Never logged, never echoed. JSON: a string, taken
/// as typed (not trimmed); `Debug` prints `Password(***)`.
///
/// Errors (`TryFrom<String>`, serde; field `password`): `Problem::Required`
/// when empty, `Problem::TooLong { max: 1024 }`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Password(String);

impl Password {
    /// The most characters a password may have.
    pub const MAX_CHARS: usize = 1024;

    /// The password itself, to check against the stored hash; never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl TryFrom<String> for Password {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Self, ValidationError> {
        if s.is_empty() {
            return Err(ValidationError::new("password", Problem::Required));
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(ValidationError::new("password", Problem::TooLong { max: Self::MAX_CHARS as u32 }));
        }
        Ok(Password(s))
    }
}

impl From<Password> for String {
    fn from(p: Password) -> String {
        p.0
    }
}

/// `POST /api/session`: log in. JSON: `{"username": "worker", "password":
/// "..."}`; the username is lower-cased as it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateSessionRequest {
    pub username: Username,
    pub password: Password,
}

/// An area, as lists and reports show it. JSON: `{"id": ..., "name": "Socialområdet",
/// "kind": "social"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaSummary {
    pub id: AreaId,
    pub name: OrgName,
    pub kind: AreaKind,
}

/// A team with its area. JSON: `{"id": ..., "name": "Bostøtteteamet",
/// "area": {"id": ..., "name": ..., "kind": "social"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamSummary {
    pub id: TeamId,
    pub name: OrgName,
    pub area: AreaSummary,
    /// A consultant team of seed 002's citizen-consultant model: it runs
    /// intensive courses, and its consultants decide and deliver (issue
    /// 15). Absent (false) on older rows.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub consultant_team: bool,
}

/// `GET /api/me`, and the body of a successful `POST /api/session`. JSON:
/// `{"id": ..., "name": "Anne Worker", "username": "worker", "roles":
/// ["worker"], "teams": [...], "must_change_password": false}`
/// (`must_change_password` may be absent on input).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeResponse {
    pub id: UserId,
    pub name: PersonName,
    pub username: Username,
    pub roles: Vec<Role>,
    /// The teams the user belongs to, with their areas.
    pub teams: Vec<TeamSummary>,
    /// Logged in with a temporary password: nothing else works until the
    /// user has chosen their own (`POST /api/me/password`).
    #[serde(default)]
    pub must_change_password: bool,
}

impl MeResponse {
    /// Whether `role` is among the user's roles.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The teams the user belongs to, by id.
    pub fn team_ids(&self) -> Vec<TeamId> {
        self.teams.iter().map(|t| t.id).collect()
    }

    /// Whether the user is in a consultant team (issue 15, seed 002).
    pub fn in_consultant_team(&self) -> bool {
        self.teams.iter().any(|t| t.consultant_team)
    }
}

/// `GET /api/citizens`: the citizens the user may see, by name. JSON:
/// `{"citizens": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListCitizensResponse {
    pub citizens: Vec<Citizen>,
}

/// `GET /api/health`. JSON: `{"status": "ok", "version": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthResponse {
    /// `"ok"` when the server answers.
    pub status: String,
    /// The server's crate version.
    pub version: String,
}

/// A user's preferences as the app keeps them (local only for now).
/// JSON: `{"lang": "da"}`; the default is Danish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Preferences {
    pub lang: Lang,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::citizen::{BenefitType, BirthYear, LayerName};
    use crate::id::CitizenId;
    use expect_test::expect;
    use uuid::Uuid;

    fn json<T: Serialize>(value: &T) -> String {
        serde_json::to_string_pretty(value).expect("serialise")
    }

    #[test]
    fn create_session_request() {
        let req: CreateSessionRequest =
            serde_json::from_str(r#"{"username":"Worker","password":"demo1234"}"#).expect("parse");
        assert_eq!(req.username.as_str(), "worker");
        assert!(!format!("{req:?}").contains("demo1234"), "a password never shows in logs");
        let err =
            serde_json::from_str::<CreateSessionRequest>(r#"{"username":"worker","password":""}"#).expect_err("empty");
        assert!(err.to_string().contains("Password: is required"), "{err}");
    }

    #[test]
    fn me_response_golden() {
        let area = AreaSummary {
            id: AreaId::from_uuid(Uuid::from_u128(1)),
            name: OrgName::try_from("Socialområdet").expect("valid"),
            kind: AreaKind::Social,
        };
        let me = MeResponse {
            id: UserId::from_uuid(Uuid::from_u128(2)),
            name: PersonName::try_from("Anne Worker").expect("valid"),
            username: Username::try_from("worker").expect("valid"),
            roles: vec![Role::Worker],
            teams: vec![TeamSummary {
                id: TeamId::from_uuid(Uuid::from_u128(3)),
                name: OrgName::try_from("Bostøtteteamet").expect("valid"),
                area,
                consultant_team: false,
            }],
            must_change_password: false,
        };
        expect![[r#"
            {
              "id": "00000000-0000-0000-0000-000000000002",
              "name": "Anne Worker",
              "username": "worker",
              "roles": [
                "worker"
              ],
              "teams": [
                {
                  "id": "00000000-0000-0000-0000-000000000003",
                  "name": "Bostøtteteamet",
                  "area": {
                    "id": "00000000-0000-0000-0000-000000000001",
                    "name": "Socialområdet",
                    "kind": "social"
                  }
                }
              ],
              "must_change_password": false
            }"#]]
        .assert_eq(&json(&me));
        let back: MeResponse = serde_json::from_str(&json(&me)).expect("parse");
        assert_eq!(back, me);
    }

    #[test]
    fn list_citizens_golden() {
        let list = ListCitizensResponse {
            citizens: vec![Citizen {
                id: CitizenId::from_uuid(Uuid::from_u128(4)),
                name: PersonName::try_from("Mette Holm").expect("valid"),
                birth_year: BirthYear::try_from(1988).expect("valid"),
                layer: Some(LayerName {
                    code: "joint_plan".into(),
                    label: crate::error::Localized::new("Fælles plan", "Joint plan"),
                    meetings_per_year: Some(4),
                }),
                benefit_type: BenefitType::CashBenefit,
                coordinator_id: None,
                coordinator_name: None,
            }],
        };
        expect![[r#"
            {
              "citizens": [
                {
                  "id": "00000000-0000-0000-0000-000000000004",
                  "name": "Mette Holm",
                  "birth_year": 1988,
                  "layer": {
                    "code": "joint_plan",
                    "label": {
                      "da": "Fælles plan",
                      "en": "Joint plan"
                    },
                    "meetings_per_year": 4
                  },
                  "benefit_type": "cash_benefit",
                  "coordinator_id": null
                }
              ]
            }"#]]
        .assert_eq(&json(&list));
    }
}
