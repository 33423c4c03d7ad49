//! The case review's rows (issue 14, seed 000): the classification scheme,
//! classifications, cases per area, and the grouped counts behind the
//! layer × age band table.

use anyhow::Context;
use shared::area::AreaKind;
use shared::review::{
    AgeBand, Birth, Case, Classification, FigureScope, Layer, LayerCount, Priority, ReviewInput, ReviewItem,
    ReviewItemInput, ReviewSummary, Scheme,
};
use shared::sync::Entity;
use shared::text::{Note, OrgName};
use shared::{CitizenId, Date, Localized, ReviewId, Timestamp, UserId};
use sqlx::Row;

use super::changes::{Scope, Stamper};
use super::{Backend, Conn, wire_enum, wire_name};

/// The municipality's scheme: its layers in their order.
pub async fn scheme(conn: &mut Conn) -> anyhow::Result<Scheme> {
    let rows = sqlx::query(
        "SELECT code, label_da, label_en, area_kind, parent, meetings_per_year FROM layers ORDER BY position, code",
    )
    .fetch_all(conn)
    .await?;
    let layers = rows
        .iter()
        .map(|r| {
            Ok(Layer {
                code: r.get("code"),
                label: Localized::new(r.get::<String, _>("label_da"), r.get::<String, _>("label_en")),
                area: r.get::<Option<String>, _>("area_kind").map(|k| wire_enum::<AreaKind>(&k)).transpose()?,
                parent: r.get("parent"),
                meetings_per_year: r.get::<Option<i64>, _>("meetings_per_year").map(u8::try_from).transpose()?,
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
/// layers' new names and meeting rhythms.
pub async fn set_scheme(conn: &mut Conn, stamper: &mut Stamper, scheme: &Scheme) -> anyhow::Result<()> {
    // Top-level layers first: a sub-category's parent must exist before it.
    let mut ordered: Vec<(usize, &Layer)> = scheme.layers.iter().enumerate().collect();
    ordered.sort_by_key(|(position, layer)| (layer.parent.is_some(), *position));
    for (position, layer) in ordered {
        sqlx::query(
            "INSERT INTO layers (code, label_da, label_en, area_kind, position, parent, meetings_per_year)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (code) DO UPDATE SET label_da = excluded.label_da, label_en = excluded.label_en,
                 area_kind = excluded.area_kind, position = excluded.position, parent = excluded.parent,
                 meetings_per_year = excluded.meetings_per_year",
        )
        .bind(&layer.code)
        .bind(&layer.label.da)
        .bind(&layer.label.en)
        .bind(layer.area.map(|a| wire_name(&a)))
        .bind(i64::try_from(position)? + 1)
        .bind(layer.parent.as_deref())
        .bind(layer.meetings_per_year.map(i64::from))
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
    .execute(&mut *conn)
    .await?;
    refresh_layer_spans(conn, c.citizen_id).await
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
    .execute(&mut *conn)
    .await?;
    refresh_layer_spans(conn, c.citizen_id).await
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

/// How `layer_spans` is derived; a database whose spans were derived by
/// another version is filled anew at start ([`fill_layer_spans_if_stale`]).
const LAYER_SPANS_VERSION: i64 = 1;

/// SQL: `layer_spans`' rows of the citizens `citizen_id` satisfies
/// `{whose}` for (written over a column `citizen_id`; `c.id` for the
/// citizens table). Cases in one scope that overlap make one island (the
/// running latest end of the earlier ones reaches the next start); each
/// island is cut by the classifications in force during it, with "not
/// assessed" before the first. The migration `0013` says how to read a row.
fn layer_spans_sql(whose: &str) -> String {
    let of_citizen = whose.replace("citizen_id", "c.id");
    format!(
        "INSERT INTO layer_spans (scope, citizen_id, opened_on, closed_on, layer, layer_from, layer_to,
                                  birth_year, birth_date, early_retirement)
         WITH scoped AS (
             SELECT citizen_id, area_id AS scope, opened_on, COALESCE(closed_on, '9999-12-31') AS closed_on
             FROM cases WHERE {whose}
             UNION ALL
             SELECT citizen_id, '' AS scope, opened_on, COALESCE(closed_on, '9999-12-31') AS closed_on
             FROM cases WHERE {whose}
         ), reached AS (
             SELECT citizen_id, scope, opened_on, closed_on,
                    MAX(closed_on) OVER (PARTITION BY citizen_id, scope ORDER BY opened_on, closed_on
                                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
             FROM scoped
         ), islands AS (
             SELECT citizen_id, scope, opened_on, closed_on,
                    SUM(CASE WHEN reach IS NULL OR opened_on > reach THEN 1 ELSE 0 END)
                        OVER (PARTITION BY citizen_id, scope ORDER BY opened_on, closed_on ROWS UNBOUNDED PRECEDING)
                        AS island
             FROM reached
         ), merged AS (
             SELECT citizen_id, scope, MIN(opened_on) AS opened_on, MAX(closed_on) AS closed_on
             FROM islands GROUP BY citizen_id, scope, island
         ), layered AS (
             SELECT citizen_id, layer, valid_from AS layer_from,
                    LEAD(valid_from) OVER (PARTITION BY citizen_id ORDER BY valid_from) AS layer_to
             FROM classifications WHERE {whose}
             UNION ALL
             SELECT c.id, NULL, NULL, (SELECT MIN(k.valid_from) FROM classifications k WHERE k.citizen_id = c.id)
             FROM citizens c WHERE {of_citizen}
         )
         SELECT m.scope, m.citizen_id, m.opened_on, NULLIF(m.closed_on, '9999-12-31'), l.layer, l.layer_from,
                l.layer_to, c.birth_year, c.birth_date,
                CASE WHEN c.benefit_type = 'early_retirement_pension' THEN 1 ELSE 0 END
         FROM merged m
         JOIN citizens c ON c.id = m.citizen_id
         JOIN layered l ON l.citizen_id = m.citizen_id AND (l.layer_from IS NULL OR l.layer_from <= m.closed_on)
                       AND (l.layer_to IS NULL OR l.layer_to > m.opened_on)"
    )
}

/// Rewrites `citizen`'s rows of `layer_spans` from their cases,
/// classifications, birth and benefit. Every write of those calls it in
/// its transaction ([`classify`], [`upsert_case`],
/// `admin::upsert_citizen`), so the spans never disagree with them.
pub async fn refresh_layer_spans(conn: &mut Conn, citizen: CitizenId) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM layer_spans WHERE citizen_id = $1").bind(citizen.to_string()).execute(&mut *conn).await?;
    sqlx::query(&layer_spans_sql("citizen_id = $1")).bind(citizen.to_string()).execute(conn).await.map(drop)
}

/// Derives every row of `layer_spans` anew: after rows were written
/// straight in SQL (a benchmark's, or a case-system load), and at start
/// when the stored spans were derived by another version.
pub async fn fill_layer_spans(conn: &mut Conn) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM layer_spans").execute(&mut *conn).await?;
    sqlx::query(&layer_spans_sql("1 = 1")).execute(&mut *conn).await.context("deriving the layer spans")?;
    super::settings::set(conn, "layer_spans", &LAYER_SPANS_VERSION).await
}

/// [`fill_layer_spans`] when the stored spans are not this version's (a
/// database from before `0013`, or a server that derives them otherwise).
/// Returns whether it filled them.
pub async fn fill_layer_spans_if_stale(db: &super::Db) -> anyhow::Result<bool> {
    // The usual start: read, and nothing to write.
    let mut conn = db.acquire().await?;
    let version: i64 = super::settings::get(&mut conn, "layer_spans").await?;
    drop(conn);
    if version == LAYER_SPANS_VERSION {
        return Ok(false);
    }
    let mut tx = db.begin_write().await?;
    if db.backend == Backend::Postgres {
        // Two servers starting on one database derive the spans one at a time.
        sqlx::query("SELECT pg_advisory_xact_lock(1300130013)").execute(&mut *tx).await?;
    }
    let version: i64 = super::settings::get(&mut tx, "layer_spans").await?;
    if version == LAYER_SPANS_VERSION {
        return Ok(false);
    }
    fill_layer_spans(&mut tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// SQL over a citizen `c` and a date `$1`: whether `c` is in `scope` on the
/// date. The municipality and an area: an open case (in the area); a team:
/// an assignment to one of its members. The scope's id is `$2` (the
/// municipality's is `''`, compared only so that every query has the same
/// parameters: PostgreSQL refuses a parameter a statement never uses).
pub(super) fn in_scope(scope: FigureScope) -> String {
    match scope {
        FigureScope::Municipality => "EXISTS (SELECT 1 FROM cases s WHERE s.citizen_id = c.id AND s.opened_on <= $1
                     AND (s.closed_on IS NULL OR s.closed_on >= $1) AND $2 = '')"
            .to_owned(),
        FigureScope::Area(_) => {
            "EXISTS (SELECT 1 FROM cases s WHERE s.citizen_id = c.id AND s.area_id = $2 AND s.opened_on <= $1
                     AND (s.closed_on IS NULL OR s.closed_on >= $1))"
                .to_owned()
        }
        FigureScope::Team(_) => assigned_to_team("c.id", "$2", "$1"),
    }
}

/// SQL: the citizen `citizen` is assigned on the day `at` to a member of
/// the team `team` (column names or parameters).
pub(super) fn assigned_to_team(citizen: &str, team: &str, at: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM assignments a JOIN team_members tm ON tm.user_id = a.user_id
                 WHERE a.citizen_id = {citizen} AND tm.team_id = {team} AND a.valid_from <= {at}
                   AND (a.valid_to IS NULL OR a.valid_to >= {at}))"
    )
}

pub(super) fn scope_id(scope: FigureScope) -> String {
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
/// before the date's, compared as `MM-DD` text. The municipality and an
/// area read `layer_spans` (one row per citizen on the date); a team, whose
/// citizens are those assigned to its members, reads the cases and
/// classifications of the few it has.
pub async fn layer_counts(conn: &mut Conn, scope: FigureScope, on: Date) -> anyhow::Result<Vec<LayerCount>> {
    let sql = match scope {
        FigureScope::Municipality | FigureScope::Area(_) => "SELECT s.birth_year AS birth_year,
                    CASE WHEN COALESCE(substr(s.birth_date, 6, 5), '07-01') <= $3 THEN 1 ELSE 0 END AS had,
                    CASE WHEN s.birth_date IS NULL THEN 1 ELSE 0 END AS est,
                    s.early_retirement AS erp, s.layer AS layer, COUNT(*) AS n
             FROM layer_spans s
             WHERE s.scope = $2 AND s.opened_on <= $1 AND (s.closed_on IS NULL OR s.closed_on >= $1)
               AND (s.layer_from IS NULL OR s.layer_from <= $1) AND (s.layer_to IS NULL OR s.layer_to > $1)
               AND (s.birth_date <= $1 OR (s.birth_date IS NULL AND s.birth_year <= $4))
             GROUP BY s.birth_year, 2, 3, s.early_retirement, s.layer"
            .to_owned(),
        FigureScope::Team(_) => format!(
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
        ),
    };
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

/// The citizens in `scope` on `on` (as [`layer_counts`] counts them), by
/// name. Those born after `on` are left out.
pub async fn citizens_in_scope(conn: &mut Conn, scope: FigureScope, on: Date) -> anyhow::Result<Vec<CitizenId>> {
    let sql = format!(
        "SELECT c.id FROM citizens c
         WHERE (c.birth_date <= $1 OR (c.birth_date IS NULL AND c.birth_year <= $3)) AND {}
         ORDER BY c.name, c.id",
        in_scope(scope)
    );
    let ids: Vec<String> = sqlx::query_scalar(&sql)
        .bind(on.to_string())
        .bind(scope_id(scope))
        .bind(i64::from(on.year()))
        .fetch_all(conn)
        .await?;
    ids.iter().map(|s| super::id(s)).collect()
}

/// Whether `citizen` is in `scope` on `on`.
pub async fn in_scope_on(conn: &mut Conn, scope: FigureScope, citizen: CitizenId, on: Date) -> sqlx::Result<bool> {
    let sql = format!("SELECT COUNT(*) FROM citizens c WHERE c.id = $3 AND {}", in_scope(scope));
    let n: i64 = sqlx::query_scalar(&sql)
        .bind(on.to_string())
        .bind(scope_id(scope))
        .bind(citizen.to_string())
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Citizens by their case ids in the case system.
pub async fn citizens_by_case_id(conn: &mut Conn) -> anyhow::Result<Vec<(String, CitizenId)>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT external_id, id FROM citizens WHERE external_id IS NOT NULL").fetch_all(conn).await?;
    rows.into_iter().map(|(e, id)| Ok((e, super::id(&id)?))).collect()
}

/// Creates review `id` listing `citizens`.
pub async fn create_review(
    conn: &mut Conn,
    id: ReviewId,
    input: &ReviewInput,
    citizens: &[CitizenId],
    by: UserId,
    at: Timestamp,
) -> sqlx::Result<()> {
    let (area, team) = match input.scope {
        FigureScope::Municipality => (None, None),
        FigureScope::Area(a) => (Some(a.to_string()), None),
        FigureScope::Team(t) => (None, Some(t.to_string())),
    };
    sqlx::query(
        "INSERT INTO reviews (id, name, review_date, area_id, team_id, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.to_string())
    .bind(input.name.as_str())
    .bind(input.review_date.to_string())
    .bind(area)
    .bind(team)
    .bind(by.to_string())
    .bind(at.as_millis())
    .execute(&mut *conn)
    .await?;
    for citizen in citizens {
        sqlx::query("INSERT INTO review_items (review_id, citizen_id, note) VALUES ($1, $2, '')")
            .bind(id.to_string())
            .bind(citizen.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Every review with its progress, newest first.
pub async fn reviews(conn: &mut Conn) -> anyhow::Result<Vec<ReviewSummary>> {
    review_summaries(conn, None).await
}

/// The review `id`, if it exists.
pub async fn review(conn: &mut Conn, id: ReviewId) -> anyhow::Result<Option<ReviewSummary>> {
    Ok(review_summaries(conn, Some(id)).await?.into_iter().next())
}

async fn review_summaries(conn: &mut Conn, only: Option<ReviewId>) -> anyhow::Result<Vec<ReviewSummary>> {
    let rows = sqlx::query(
        "SELECT r.id, r.name, r.review_date, r.area_id, r.team_id, u.name AS created_by,
                COALESCE(a.name, t.name, 'Hele kommunen') AS scope_name,
                (SELECT COUNT(*) FROM review_items i WHERE i.review_id = r.id) AS total,
                (SELECT COUNT(*) FROM review_items i WHERE i.review_id = r.id AND i.reviewed_at IS NOT NULL) AS reviewed
         FROM reviews r JOIN users u ON u.id = r.created_by
         LEFT JOIN areas a ON a.id = r.area_id LEFT JOIN teams t ON t.id = r.team_id
         WHERE $1 = '' OR r.id = $1
         ORDER BY r.review_date DESC, r.created_at DESC",
    )
    .bind(only.map(|id| id.to_string()).unwrap_or_default())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let scope = match (r.get::<Option<String>, _>("area_id"), r.get::<Option<String>, _>("team_id")) {
                (Some(a), _) => FigureScope::Area(super::id(&a)?),
                (None, Some(t)) => FigureScope::Team(super::id(&t)?),
                (None, None) => FigureScope::Municipality,
            };
            Ok(ReviewSummary {
                id: super::id(r.get("id"))?,
                name: OrgName::try_from(r.get::<String, _>("name"))?,
                review_date: r.get::<String, _>("review_date").parse()?,
                scope,
                scope_name: r.get("scope_name"),
                total: u32::try_from(r.get::<i64, _>("total"))?,
                reviewed: u32::try_from(r.get::<i64, _>("reviewed"))?,
                created_by: r.get("created_by"),
            })
        })
        .collect()
}

/// The citizens of review `id` (dated `on`) by name: age and band on the
/// date, the layer before it, the review's own classification, priority,
/// note and reviewer.
pub async fn review_items(conn: &mut Conn, id: ReviewId, on: Date) -> anyhow::Result<Vec<ReviewItem>> {
    let rows = sqlx::query(
        "SELECT c.id, c.name, c.birth_year, c.birth_date, c.benefit_type, i.priority, i.note, u.name AS reviewed_by,
                (SELECT k.layer FROM classifications k WHERE k.citizen_id = c.id AND k.valid_from < $2
                 ORDER BY k.valid_from DESC LIMIT 1) AS layer_before,
                (SELECT k.layer FROM classifications k WHERE k.citizen_id = c.id AND k.valid_from = $2
                   AND k.review_id = $1) AS layer
         FROM review_items i JOIN citizens c ON c.id = i.citizen_id
         LEFT JOIN users u ON u.id = i.reviewed_by
         WHERE i.review_id = $1
         ORDER BY c.name, c.id",
    )
    .bind(id.to_string())
    .bind(on.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let birth = birth_of(r.get("birth_year"), r.get("birth_date"))?;
            let age = birth.age_at(on);
            Ok(ReviewItem {
                citizen_id: super::id(r.get("id"))?,
                name: r.get("name"),
                age: age.map(|a| a.years),
                band: age.map(|a| AgeBand::of(a.years)),
                estimated: birth.date().is_none(),
                early_retirement: r.get::<String, _>("benefit_type") == "early_retirement_pension",
                layer_before: r.get("layer_before"),
                layer: r.get("layer"),
                priority: r.get::<Option<String>, _>("priority").map(|p| wire_enum::<Priority>(&p)).transpose()?,
                note: Note::try_from(r.get::<String, _>("note"))?,
                reviewed_by: r.get("reviewed_by"),
            })
        })
        .collect()
}

/// Whether `citizen` is listed in review `id`, and their birth.
pub async fn review_citizen(conn: &mut Conn, id: ReviewId, citizen: CitizenId) -> anyhow::Result<Option<Birth>> {
    let row: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT c.birth_year, c.birth_date FROM review_items i JOIN citizens c ON c.id = i.citizen_id
         WHERE i.review_id = $1 AND i.citizen_id = $2",
    )
    .bind(id.to_string())
    .bind(citizen.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(|(year, date)| birth_of(year, date)).transpose()
}

/// Records the review of `citizen` in review `id`: priority, note, who and
/// when (the classification is [`classify`]'s).
pub async fn set_review_item(
    conn: &mut Conn,
    id: ReviewId,
    citizen: CitizenId,
    input: &ReviewItemInput,
    by: UserId,
    at: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE review_items SET priority = $1, note = $2, reviewed_by = $3, reviewed_at = $4
         WHERE review_id = $5 AND citizen_id = $6",
    )
    .bind(wire_name(&input.priority))
    .bind(input.note.as_str())
    .bind(by.to_string())
    .bind(at.as_millis())
    .bind(id.to_string())
    .bind(citizen.to_string())
    .execute(conn)
    .await
    .map(drop)
}

/// A citizen's birth from the columns `birth_year`, `birth_date`.
fn birth_of(year: i64, date: Option<String>) -> anyhow::Result<Birth> {
    let year = shared::citizen::BirthYear::try_from(i32::try_from(year)?)?;
    Ok(Birth::of(year, date.map(|d| d.parse()).transpose()?))
}
