//! The catalogue of offers (issue 15): rows an administrator writes and
//! everyone reads. Not in the change stream: the phone keeps the last
//! catalogue it fetched (reference data, the same for every user).

use shared::offer::{Offer, OfferInput};
use shared::text::{OfferContact, OfferDescription, OfferLaw, OfferName};
use shared::{AreaId, OfferId, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Conn, id};

fn offer_from(r: &AnyRow) -> anyhow::Result<Offer> {
    Ok(Offer {
        id: id(r.get("id"))?,
        input: OfferInput {
            name: OfferName::try_from(r.get::<String, _>("name"))?,
            area_id: r.get::<Option<String>, _>("area_id").map(|a| id(&a)).transpose()?,
            legal_basis: OfferLaw::try_from(r.get::<String, _>("legal_basis"))?,
            contact: OfferContact::try_from(r.get::<String, _>("contact"))?,
            description: OfferDescription::try_from(r.get::<String, _>("description"))?,
            active: r.get::<i64, _>("active") == 1,
        },
        area_name: r.get("area_name"),
        updated_at: Timestamp::from_millis(r.get("updated_at")),
    })
}

/// Every column an [`Offer`] is read from (`o`), with its area's name.
const OFFER_SELECT: &str = "SELECT o.id, o.name, o.area_id, o.legal_basis, o.contact, o.description, o.active,
                                   o.updated_at, a.name AS area_name
                            FROM offers o LEFT JOIN areas a ON a.id = o.area_id";

/// The catalogue by area (offers of no area last) and name; the inactive
/// too when `all`.
pub async fn list(conn: &mut Conn, all: bool) -> anyhow::Result<Vec<Offer>> {
    let sql = format!(
        "{OFFER_SELECT} {} ORDER BY CASE WHEN a.name IS NULL THEN 1 ELSE 0 END, a.name, o.name",
        if all { "" } else { "WHERE o.active = 1" }
    );
    let rows = sqlx::query(&sql).fetch_all(conn).await?;
    rows.iter().map(offer_from).collect()
}

/// The offer `offer`, active or not.
pub async fn one(conn: &mut Conn, offer: OfferId) -> anyhow::Result<Option<Offer>> {
    let row =
        sqlx::query(&format!("{OFFER_SELECT} WHERE o.id = $1")).bind(offer.to_string()).fetch_optional(conn).await?;
    row.as_ref().map(offer_from).transpose()
}

/// Which of `ids` are offers of the catalogue (active or not).
pub async fn existing(conn: &mut Conn, ids: &[OfferId]) -> anyhow::Result<Vec<OfferId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = super::Backend::of(conn);
    let sql = format!("SELECT id FROM offers WHERE id IN {}", backend.json_strings("$1"));
    let rows: Vec<String> = sqlx::query_scalar(&sql).bind(super::json_ids(ids)).fetch_all(conn).await?;
    rows.iter().map(|r| id(r)).collect()
}

/// Whether another offer than `except` has `name` (case and spaces ignored).
pub async fn name_taken(conn: &mut Conn, name: &OfferName, except: OfferId) -> anyhow::Result<bool> {
    let names: Vec<(String, String)> = sqlx::query_as("SELECT id, name FROM offers").fetch_all(conn).await?;
    let key = |n: &str| n.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    Ok(names.iter().any(|(other, n)| *other != except.to_string() && key(n) == key(name.as_str())))
}

/// Writes an offer; `true` when it is new.
pub async fn upsert(
    conn: &mut Conn,
    offer: OfferId,
    input: &OfferInput,
    by: UserId,
    now: Timestamp,
) -> anyhow::Result<bool> {
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM offers WHERE id = $1")
        .bind(offer.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO offers (id, name, area_id, legal_basis, contact, description, active, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, area_id = excluded.area_id,
             legal_basis = excluded.legal_basis, contact = excluded.contact, description = excluded.description,
             active = excluded.active, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(offer.to_string())
    .bind(input.name.as_str())
    .bind(input.area_id.map(|a: AreaId| a.to_string()))
    .bind(input.legal_basis.as_str())
    .bind(input.contact.as_str())
    .bind(input.description.as_str())
    .bind(i64::from(input.active))
    .bind(now.as_millis())
    .bind(by.to_string())
    .execute(conn)
    .await?;
    Ok(exists.is_none())
}
