//! The case review's rows (issue 14, seed 000): the classification scheme,
//! classifications, cases per area, and the grouped counts behind the
//! layer × age band table.

use anyhow::Context;
use shared::area::AreaKind;
use shared::review::{Case, Classification, FigureScope, Layer, LayerCount, Scheme};
use shared::sync::Entity;
use shared::{CitizenId, Date, Localized, Timestamp};
use sqlx::Row;

use super::changes::{Scope, Stamper};
use super::{Backend, Conn, wire_enum, wire_name};

/// The municipality's scheme: its layers in their order.
pub async fn scheme(conn: &mut Conn) -> anyhow::Result<Scheme> {
    let rows = sqlx::query("SELECT code, label_da, label_en, area_kind FROM layers ORDER BY position, code")
        .fetch_all(conn)
        .await?;
    let layers = rows
        .iter()
        .map(|r| {
            Ok(Layer {
                code: r.get("code"),
                label: Localized::new(r.get::<String, _>("label_da"), r.get::<String, _>("label_en")),
                area: r.get::<Option<String>, _>("area_kind").map(|k| wire_enum::<AreaKind>(&k)).transpose()?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Scheme { layers })
}

/// The layer codes that classifications hold, sorted.
pub async fn layers_in_use(conn: &mut Conn) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT DISTINCT layer FROM classifications ORDER BY layer").fetch_all(conn).await
}

/// Replaces the scheme with `scheme` (checked by the caller with
/// [`Scheme::check`]; a layer still in use cannot be deleted: the foreign
/// key refuses it). Every classified citizen is stamped, so phones get the
/// layers' new names.
pub async fn set_scheme(conn: &mut Conn, stamper: &mut Stamper, scheme: &Scheme) -> anyhow::Result<()> {
    for (position, layer) in scheme.layers.iter().enumerate() {
        sqlx::query(
            "INSERT INTO layers (code, label_da, label_en, area_kind, position) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (code) DO UPDATE SET label_da = excluded.label_da, label_en = excluded.label_en,
                 area_kind = excluded.area_kind, position = excluded.position",
        )
        .bind(&layer.code)
        .bind(&layer.label.da)
        .bind(&layer.label.en)
        .bind(layer.area.map(|a| wire_name(&a)))
        .bind(i64::try_from(position)? + 1)
        .execute(&mut *conn)
        .await?;
    }
    let keep = serde_json::to_string(&scheme.layers.iter().map(|l| &l.code).collect::<Vec<_>>())?;
    let sql = format!("DELETE FROM layers WHERE code NOT IN {}", Backend::of(conn).json_strings("$1"));
    sqlx::query(&sql).bind(keep).execute(&mut *conn).await.context("deleting the layers no longer in the scheme")?;
    let classified: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT citizen_id FROM classifications").fetch_all(&mut *conn).await?;
    for citizen in classified {
        let id: CitizenId = super::id(&citizen)?;
        stamper.record(Entity::Citizen, citizen, Scope::citizen(id), false);
    }
    Ok(())
}

/// Records `c` (checked by the caller), replacing the citizen's
/// classification of the same date, and stamps the citizen so phones show
/// the new layer. `review`: the review it was made in, if any.
pub async fn classify(
    conn: &mut Conn,
    stamper: &mut Stamper,
    c: &Classification,
    review: Option<&str>,
    at: Timestamp,
) -> sqlx::Result<()> {
    stamper.record(Entity::Citizen, c.citizen_id.to_string(), Scope::citizen(c.citizen_id), false);
    sqlx::query(
        "INSERT INTO classifications (citizen_id, valid_from, layer, made_by, made_at, review_id)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (citizen_id, valid_from) DO UPDATE SET layer = excluded.layer, made_by = excluded.made_by,
             made_at = excluded.made_at, review_id = excluded.review_id",
    )
    .bind(c.citizen_id.to_string())
    .bind(c.valid_from.to_string())
    .bind(&c.layer)
    .bind(c.by.to_string())
    .bind(at.as_millis())
    .bind(review)
    .execute(conn)
    .await
    .map(drop)
}

/// Every classification, by citizen and date (for imports, which compare).
pub async fn classifications(conn: &mut Conn) -> anyhow::Result<Vec<(CitizenId, Date, String)>> {
    let rows = sqlx::query("SELECT citizen_id, valid_from, layer FROM classifications").fetch_all(conn).await?;
    rows.iter()
        .map(|r| Ok((super::id(r.get("citizen_id"))?, r.get::<String, _>("valid_from").parse()?, r.get("layer"))))
        .collect()
}

/// Opens or changes the case that opened on `c.opened_on`.
pub async fn upsert_case(conn: &mut Conn, c: &Case) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO cases (citizen_id, area_id, opened_on, closed_on, caseworker_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (citizen_id, area_id, opened_on) DO UPDATE SET closed_on = excluded.closed_on,
             caseworker_id = excluded.caseworker_id",
    )
    .bind(c.citizen_id.to_string())
    .bind(c.area_id.to_string())
    .bind(c.opened_on.to_string())
    .bind(c.closed_on.map(|d| d.to_string()))
    .bind(c.caseworker_id.map(|u| u.to_string()))
    .execute(conn)
    .await
    .map(drop)
}

/// Every case (for imports, which compare).
pub async fn cases(conn: &mut Conn) -> anyhow::Result<Vec<Case>> {
    let rows = sqlx::query("SELECT citizen_id, area_id, opened_on, closed_on, caseworker_id FROM cases")
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Case {
                citizen_id: super::id(r.get("citizen_id"))?,
                area_id: super::id(r.get("area_id"))?,
                opened_on: r.get::<String, _>("opened_on").parse()?,
                closed_on: r.get::<Option<String>, _>("closed_on").map(|d| d.parse()).transpose()?,
                caseworker_id: r.get::<Option<String>, _>("caseworker_id").map(|u| super::id(&u)).transpose()?,
            })
        })
        .collect()
}

/// SQL over a citizen `c` and a date `$1`: whether `c` is in `scope` on the
/// date. The municipality and an area: an open case (in the area); a team:
/// an assignment to one of its members. The scope's id is `$2` (the
/// municipality's is `''`, compared only so that every query has the same
/// parameters: PostgreSQL refuses a parameter a statement never uses).
fn in_scope(scope: FigureScope) -> &'static str {
    match scope {
        FigureScope::Municipality => {
            "EXISTS (SELECT 1 FROM cases s WHERE s.citizen_id = c.id AND s.opened_on <= $1
                     AND (s.closed_on IS NULL OR s.closed_on >= $1) AND $2 = '')"
        }
        FigureScope::Area(_) => {
            "EXISTS (SELECT 1 FROM cases s WHERE s.citizen_id = c.id AND s.area_id = $2 AND s.opened_on <= $1
                     AND (s.closed_on IS NULL OR s.closed_on >= $1))"
        }
        FigureScope::Team(_) => {
            "EXISTS (SELECT 1 FROM assignments a JOIN team_members tm ON tm.user_id = a.user_id
                     WHERE a.citizen_id = c.id AND tm.team_id = $2 AND a.valid_from <= $1
                       AND (a.valid_to IS NULL OR a.valid_to >= $1))"
        }
    }
}

fn scope_id(scope: FigureScope) -> String {
    match scope {
        FigureScope::Municipality => String::new(),
        FigureScope::Area(id) => id.to_string(),
        FigureScope::Team(id) => id.to_string(),
    }
}

/// The citizens in `scope` on `on`, grouped by the facts the table needs
/// ([`LayerCount`]): one row per group, so the work is the database's and
/// the answer small whatever the number of citizens. The birthday test is
/// [`LayerCount`]'s: month and day (1 July for a birth year only) on or
/// before the date's, compared as `MM-DD` text.
pub async fn layer_counts(conn: &mut Conn, scope: FigureScope, on: Date) -> anyhow::Result<Vec<LayerCount>> {
    let sql = format!(
        "SELECT t.birth_year, t.had, t.est, t.erp, t.layer, COUNT(*) AS n FROM (
            SELECT c.birth_year AS birth_year,
                   CASE WHEN COALESCE(substr(c.birth_date, 6, 5), '07-01') <= $3 THEN 1 ELSE 0 END AS had,
                   CASE WHEN c.birth_date IS NULL THEN 1 ELSE 0 END AS est,
                   CASE WHEN c.benefit_type = 'early_retirement_pension' THEN 1 ELSE 0 END AS erp,
                   (SELECT k.layer FROM classifications k WHERE k.citizen_id = c.id AND k.valid_from <= $1
                    ORDER BY k.valid_from DESC LIMIT 1) AS layer
            FROM citizens c
            WHERE (c.birth_date <= $1 OR (c.birth_date IS NULL AND c.birth_year <= $4)) AND {}
         ) t GROUP BY t.birth_year, t.had, t.est, t.erp, t.layer",
        in_scope(scope)
    );
    let mmdd = format!("{:02}-{:02}", on.month(), on.day());
    let rows = sqlx::query(&sql)
        .bind(on.to_string())
        .bind(scope_id(scope))
        .bind(mmdd)
        .bind(i64::from(on.year()))
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(LayerCount {
                birth_year: i32::try_from(r.get::<i64, _>("birth_year"))?,
                had_birthday: r.get::<i64, _>("had") == 1,
                estimated: r.get::<i64, _>("est") == 1,
                early_retirement: r.get::<i64, _>("erp") == 1,
                layer: r.get("layer"),
                citizens: u32::try_from(r.get::<i64, _>("n"))?,
            })
        })
        .collect()
}
