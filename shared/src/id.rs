//! Typed ids. Every record id is a UUID (UUIDv7, made where the record is
//! born: on the phone for visits, on the server for the rest); the newtypes
//! keep a citizen id from being passed where a visit id belongs.
//!
//! Making new ids needs randomness, which is IO: `server` and `app` create
//! them (`Uuid::now_v7()`) and wrap them with `from_uuid`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Problem, ValidationError};

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        ///
        /// A UUID (UUIDv7 where Helhed makes it). JSON, URLs and `Display`:
        /// the hyphenated lower-case string, `"0192f0c4-7b1e-7c4a-9a55-3c1d2e3f4a5b"`.
        /// Parsing (`FromStr`, serde) accepts any form `Uuid::parse_str` reads;
        /// `FromStr` errors: `id` `Problem::InvalidFormat`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps a UUID made elsewhere (`Uuid::now_v7()` in `server` or `app`,
            /// or read from storage). Never fails.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                $name(uuid)
            }

            /// The UUID inside.
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                $name(uuid)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = ValidationError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s)
                    .map($name)
                    .map_err(|_| ValidationError::new("id", Problem::InvalidFormat))
            }
        }
    )*};
}

id_type! {
    /// An administrative area (employment, social, children & youth).
    AreaId,
    /// A team inside an area.
    TeamId,
    /// A user of Helhed (worker, mentor, coordinator, lead, admin).
    UserId,
    /// A citizen who receives support.
    CitizenId,
    /// A user's assignment to a citizen.
    AssignmentId,
    /// A grant (bevilling).
    GrantId,
    /// A drawing right (trækningsret).
    DrawingRightId,
    /// A visit or session; made on the phone.
    VisitId,
    /// A running or stopped visit timer; made on the phone.
    TimerId,
    /// A recorded clash of two edits of a visit, for a lead to settle.
    ConflictId,
    /// One phone's local database (one per IndexedDB database).
    ClientId,
    /// A named case review (issue 14).
    ReviewId,
    /// A goal in a citizen's plan.
    GoalId,
    /// An agreed action under a goal.
    ActionId,
    /// A follow-up on a goal.
    FollowUpId,
    /// A revision of a citizen's plan.
    PlanRevisionId,
    /// An intensive course for one citizen (seed 002's citizen-consultant model).
    CourseId,
    /// A half-yearly status on an intensive course.
    CourseStatusId,
    /// An offer in the municipality's catalogue.
    OfferId,
    /// A decision notice to one recipient (issue 16).
    NoticeId,
    /// A cross-disciplinary meeting about one citizen (issue 16).
    MeetingId,
    /// One entry of a meeting's minutes (issue 16).
    MinutesId,
    /// A proposal of a citizen to the coordination and visitation committee (issue 16, seed 001).
    ReferralId,
    /// A meeting of the coordination and visitation committee.
    CommitteeMeetingId,
    /// A session of the monthly sparring forum (issue 16, seed 000).
    ForumSessionId,
    /// A case on the sparring forum's agenda.
    ForumCaseId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_as_plain_strings() {
        let id: CitizenId = "0192f0c4-7b1e-7c4a-9a55-3c1d2e3f4a5b".parse().expect("valid");
        let json = serde_json::to_string(&id).expect("serialise");
        assert_eq!(json, r#""0192f0c4-7b1e-7c4a-9a55-3c1d2e3f4a5b""#);
        let back: CitizenId = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, id);
    }

    #[test]
    fn a_bad_id_is_refused() {
        assert!(serde_json::from_str::<VisitId>(r#""not-a-uuid""#).is_err());
        let err = "nope".parse::<VisitId>().expect_err("invalid");
        assert_eq!(err.code(), "invalid_format");
    }
}
