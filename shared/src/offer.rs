//! The municipality's catalogue of offers (issue 15; seed 001: make "the
//! many offers across the areas" visible): reference data an administrator
//! keeps — name, the area that runs it, the law it rests on, whom to
//! contact, what it is. A goal's efforts and an agreed action pick from it;
//! the phone keeps the last catalogue it fetched, so a worker browses it
//! offline.

use serde::{Deserialize, Serialize};

use crate::assignment::Named;
use crate::id::{AreaId, OfferId};
use crate::text::{OfferContact, OfferDescription, OfferLaw, OfferName};
use crate::time::Timestamp;

/// An offer as an administrator writes it. JSON: `{"name", "area_id":
/// uuid|null, "legal_basis": "", "contact": "", "description": "",
/// "active": true}`; an inactive offer is kept (goals and actions name it)
/// but no longer offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferInput {
    pub name: OfferName,
    pub area_id: Option<AreaId>,
    #[serde(default)]
    pub legal_basis: OfferLaw,
    #[serde(default)]
    pub contact: OfferContact,
    #[serde(default)]
    pub description: OfferDescription,
    pub active: bool,
}

/// An offer of the catalogue. JSON: the input's fields and `"id"`,
/// `"area_name"` (null without an area), `"updated_at"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub id: OfferId,
    #[serde(flatten)]
    pub input: OfferInput,
    pub area_name: Option<String>,
    pub updated_at: Timestamp,
}

/// `GET /api/offers`: the catalogue (active offers; with `?all=1`, for an
/// administrator, the inactive too), by area and name, and the
/// municipality's areas (what a goal may belong to). JSON: `{"offers":
/// [...], "areas": [{"id", "name"}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffersResponse {
    pub offers: Vec<Offer>,
    pub areas: Vec<Named<AreaId>>,
}

impl OffersResponse {
    /// The offers whose name, area, law, contact or description holds every
    /// word of `query` (case and accents as typed), in the catalogue's
    /// order; all for an empty query.
    pub fn matching(&self, query: &str) -> Vec<&Offer> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        self.offers
            .iter()
            .filter(|o| {
                let text = format!(
                    "{} {} {} {} {}",
                    o.input.name,
                    o.area_name.as_deref().unwrap_or(""),
                    o.input.legal_basis,
                    o.input.contact,
                    o.input.description
                )
                .to_lowercase();
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .collect()
    }

    /// The offer `id`, active or not.
    pub fn offer(&self, id: OfferId) -> Option<&Offer> {
        self.offers.iter().find(|o| o.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn offer(n: u128, name: &str, area: Option<&str>, description: &str) -> Offer {
        Offer {
            id: OfferId::from_uuid(Uuid::from_u128(n)),
            input: OfferInput {
                name: OfferName::try_from(name).expect("name"),
                area_id: None,
                legal_basis: OfferLaw::try_from("Serviceloven § 85").expect("law"),
                contact: OfferContact::default(),
                description: OfferDescription::try_from(description).expect("description"),
                active: true,
            },
            area_name: area.map(str::to_owned),
            updated_at: "2026-11-23T10:00:00Z".parse().expect("instant"),
        }
    }

    #[test]
    fn the_catalogue_is_searched_by_every_word() {
        let catalogue = OffersResponse {
            offers: vec![
                offer(1, "Bostøtte i eget hjem", Some("Socialområdet"), "Hjælp til at klare hverdagen"),
                offer(2, "Mentor til job", Some("Beskæftigelsesområdet"), "En fast person i praktikken"),
                offer(3, "Værested", None, "Åbent hus hver tirsdag"),
            ],
            areas: vec![],
        };
        let names = |q: &str| catalogue.matching(q).iter().map(|o| o.input.name.to_string()).collect::<Vec<_>>();
        assert_eq!(names("").len(), 3);
        assert_eq!(names("bostøtte"), ["Bostøtte i eget hjem"]);
        assert_eq!(names("  SOCIALOMRÅDET  hverdagen "), ["Bostøtte i eget hjem"], "area and description, any case");
        assert_eq!(names("§ 85").len(), 3, "the law");
        assert!(names("mentor tirsdag").is_empty(), "every word must match");
        assert_eq!(
            catalogue.offer(OfferId::from_uuid(Uuid::from_u128(2))).map(|o| o.input.name.as_str()),
            Some("Mentor til job")
        );
    }

    #[test]
    fn offer_json_golden() {
        let json = serde_json::to_string_pretty(&offer(1, "Værested", Some("Socialområdet"), "")).expect("json");
        expect_test::expect![[r#"
            {
              "id": "00000000-0000-0000-0000-000000000001",
              "name": "Værested",
              "area_id": null,
              "legal_basis": "Serviceloven § 85",
              "contact": "",
              "description": "",
              "active": true,
              "area_name": "Socialområdet",
              "updated_at": "2026-11-23T10:00:00.000Z"
            }"#]]
        .assert_eq(&json);
        let back: Offer = serde_json::from_str(&json).expect("back");
        assert_eq!(back.input.name.as_str(), "Værested");
        let bad = serde_json::from_str::<OfferInput>(r#"{"name": " ", "area_id": null, "active": true}"#);
        assert!(bad.is_err(), "a name is required");
    }
}
