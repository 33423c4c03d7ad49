//! Users and their roles.

use serde::{Deserialize, Serialize};

use crate::error::{Lang, Problem, ValidationError};
use crate::id::{TeamId, UserId};
use crate::text::{PersonName, Username};

/// What a user does; a user may have several roles. JSON and
/// [`Role::code`]: `"worker"`, `"mentor"`, `"coordinator"`, `"lead"`,
/// `"admin"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Bostøttemedarbejder: logs visits for assigned citizens.
    Worker,
    /// Mentor: logs sessions with assigned young citizens.
    Mentor,
    /// Koordinerende sagsbehandler.
    Coordinator,
    /// Teamleder: sees the teams they lead, approves months.
    Lead,
    /// Områdeleder: sees the figures of the areas they head (issue 14).
    AreaHead,
    /// Administrator: sees and manages everything.
    Admin,
}

impl Role {
    /// Every role, in this order.
    pub const ALL: [Role; 6] = [Role::Worker, Role::Mentor, Role::Coordinator, Role::Lead, Role::AreaHead, Role::Admin];

    /// The wire name, as serde writes it (`"worker"`).
    pub fn code(self) -> &'static str {
        match self {
            Role::Worker => "worker",
            Role::Mentor => "mentor",
            Role::Coordinator => "coordinator",
            Role::Lead => "lead",
            Role::AreaHead => "area_head",
            Role::Admin => "admin",
        }
    }

    /// The role with wire name `code` (exact, lower case).
    ///
    /// Errors: `role` `Problem::UnknownValue` for any other text.
    pub fn from_code(code: &str) -> Result<Role, ValidationError> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == code)
            .ok_or_else(|| ValidationError::new("role", Problem::UnknownValue))
    }

    /// The role's title in `lang`, e.g. "Bostøttemedarbejder" / "Support
    /// worker", "Teamleder" / "Team lead".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Role::Worker, Lang::Da) => "Bostøttemedarbejder",
            (Role::Worker, Lang::En) => "Support worker",
            (Role::Mentor, _) => "Mentor",
            (Role::Coordinator, Lang::Da) => "Koordinerende sagsbehandler",
            (Role::Coordinator, Lang::En) => "Coordinating case worker",
            (Role::Lead, Lang::Da) => "Teamleder",
            (Role::Lead, Lang::En) => "Team lead",
            (Role::AreaHead, Lang::Da) => "Områdeleder",
            (Role::AreaHead, Lang::En) => "Area head",
            (Role::Admin, Lang::Da) => "Administrator",
            (Role::Admin, Lang::En) => "Administrator",
        }
    }
}

/// A user of Helhed. JSON: `{"id": ..., "name": ..., "username": "anne",
/// "roles": ["worker"], "teams": [...], "active": true}` (`teams`: team ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub name: PersonName,
    pub username: Username,
    pub roles: Vec<Role>,
    /// The teams the user is a member of.
    pub teams: Vec<TeamId>,
    /// `false` once deactivated: the user can no longer log in.
    pub active: bool,
}

impl User {
    /// Whether `role` is among the user's roles.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}
