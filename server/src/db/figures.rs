//! The grouped sums behind the resource picture over time (issue 14):
//! hours delivered by the scope's staff, charged minutes per payer, open
//! cases per case worker, inflow and outflow per month, the shared group.
//! Every query answers one row per group, not per visit or citizen;
//! `shared::figures` turns the groups into bands, posts and kroner.
//!
//! Whose hours: a scope's *staff* deliver them (the municipality: every
//! worker; an area: the members of its teams; a team: its members), so
//! hours and posts are the capacity seed 000 moved. Whose cases: as the
//! layer table counts them ([`super::review::in_scope`]).
//!
//! A visit counts as `shared::usage` counts it: submitted or approved,
//! its corrected minutes or else its duration in whole minutes (ended −
//! started, floored), travel not included. Its month is the Copenhagen
//! month its start falls in (the bounds are instants computed by
//! `shared::time`, so a summer-time change moves no visit); its citizen's
//! layer and age band are those on the month's picture day.

use serde::{Deserialize, Serialize};
use shared::figures::{CaseGroup, HoursGroup, RateKind};
use shared::review::{FigureScope, LayerCount};
use shared::time::{Month, Period};
use shared::{AreaId, CitizenId, Date, Minutes, UserId};
use sqlx::Row;

use super::review::{assigned_to_team, in_scope, scope_id};
use super::{Backend, Conn, wire_enum};

/// A visit's counted minutes, as `shared::usage` counts them.
const COUNTED: &str = "COALESCE(v.corrected_minutes, (v.ended_at - v.started_at) / 60000)";

/// SQL: the user `user` (a column) is the scope's staff — anyone for the
/// municipality, a member of one of the area's teams, a member of the
/// team — where `id` holds the scope's id (as [`scope_id`] gives it).
fn member_of(scope: FigureScope, user: &str, id: &str) -> String {
    match scope {
        FigureScope::Municipality => format!("{id} = ''"),
        FigureScope::Area(_) => format!(
            "EXISTS (SELECT 1 FROM team_members tm JOIN teams t ON t.id = tm.team_id
                     WHERE tm.user_id = {user} AND t.area_id = {id})"
        ),
        FigureScope::Team(_) => {
            format!("EXISTS (SELECT 1 FROM team_members tm WHERE tm.user_id = {user} AND tm.team_id = {id})")
        }
    }
}

/// SQL over a visit `v`: its worker is the scope's staff. The scope's id
/// is `$2` (as in [`in_scope`]).
fn staff_of(scope: FigureScope) -> String {
    member_of(scope, "v.worker_id", "$2")
}

/// The birthday and estimate columns of a citizen `c` on the day whose
/// `MM-DD` is `mmdd` (an SQL expression), as `review::layer_counts` reads
/// them, whether they are an early-retirement pensioner, and the layer on
/// `day`.
fn facts(mmdd: &str, day: &str) -> String {
    format!(
        "c.birth_year AS birth_year,
         CASE WHEN COALESCE(substr(c.birth_date, 6, 5), '07-01') <= {mmdd} THEN 1 ELSE 0 END AS had,
         CASE WHEN c.birth_date IS NULL THEN 1 ELSE 0 END AS est,
         {EARLY_RETIREMENT} AS erp,
         (SELECT k.layer FROM classifications k WHERE k.citizen_id = c.id AND k.valid_from <= {day}
          ORDER BY k.valid_from DESC LIMIT 1) AS layer"
    )
}

/// SQL: 1 for a citizen `c` on early-retirement pension, else 0 (counted
/// apart from the layers, heads and hours alike: seed 000).
const EARLY_RETIREMENT: &str = "CASE WHEN c.benefit_type = 'early_retirement_pension' THEN 1 ELSE 0 END";

fn mmdd(day: Date) -> String {
    format!("{:02}-{:02}", day.month(), day.day())
}

/// The minutes the scope's staff delivered from `month`'s start to its
/// end, per worker and group of citizens on `on` (the month's picture day).
pub async fn hours(conn: &mut Conn, scope: FigureScope, month: Month, on: Date) -> anyhow::Result<Vec<HoursGroup>> {
    let sql = format!(
        "SELECT t.worker_id, t.birth_year, t.had, t.est, t.erp, t.layer, CAST(SUM(t.minutes) AS BIGINT) AS minutes FROM (
            SELECT g.worker_id AS worker_id, g.minutes AS minutes, {}
            FROM (SELECT v.worker_id AS worker_id, v.citizen_id AS citizen_id, SUM({COUNTED}) AS minutes
                  FROM visits v
                  WHERE v.status <> 'draft' AND v.started_at >= $4 AND v.started_at < $5 AND {}
                  GROUP BY v.worker_id, v.citizen_id) g
            JOIN citizens c ON c.id = g.citizen_id
         ) t GROUP BY t.worker_id, t.birth_year, t.had, t.est, t.erp, t.layer",
        facts("$3", "$1"),
        staff_of(scope)
    );
    let rows = sqlx::query(&sql)
        .bind(on.to_string())
        .bind(scope_id(scope))
        .bind(mmdd(on))
        .bind(month.start().as_millis())
        .bind(month.end().as_millis())
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(HoursGroup {
                worker: super::id(r.get("worker_id"))?,
                birth_year: i32::try_from(r.get::<i64, _>("birth_year"))?,
                had_birthday: r.get::<i64, _>("had") == 1,
                estimated: r.get::<i64, _>("est") == 1,
                layer: r.get("layer"),
                early_retirement: r.get::<i64, _>("erp") == 1,
                minutes: Minutes::new(u32::try_from(r.get::<i64, _>("minutes"))?),
            })
        })
        .collect()
}

/// The months of a trend as an SQL table `(m, lo, hi, first, last, day)`:
/// the month's index, its bounds as instants (ms), its first and last
/// calendar days, and its picture day. Every value is written by this
/// function from typed dates and integers, never from input text.
fn months_table(months: &[(Month, Date)]) -> String {
    months
        .iter()
        .enumerate()
        .map(|(i, (m, day))| {
            format!(
                "SELECT {i} AS m, CAST({} AS BIGINT) AS lo, CAST({} AS BIGINT) AS hi, '{}' AS first, '{}' AS last, \
                 '{day}' AS day",
                m.start().as_millis(),
                m.end().as_millis(),
                m.first_day(),
                m.last_day(),
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// SQL: the index into `months` of the month the instant `column` (ms)
/// falls in (`NULL` outside them), by comparing it with the months' ends
/// (consecutive months, as a span's are), and the picture day of month
/// index `index`. Every value is written from typed dates and integers.
fn month_of(months: &[(Month, Date)], column: &str) -> String {
    let arms: Vec<String> = months
        .iter()
        .enumerate()
        .map(|(i, (m, _))| format!("WHEN {column} < {} THEN {i}", m.end().as_millis()))
        .collect();
    format!("CASE {} END", arms.join(" "))
}

fn picture_day_of(months: &[(Month, Date)], index: &str) -> String {
    let arms: Vec<String> = months.iter().enumerate().map(|(i, (_, day))| format!("WHEN {i} THEN '{day}'")).collect();
    format!("CASE {index} {} END", arms.join(" "))
}

/// Per month of `months` (consecutive, each with its picture day) and
/// group on that day (an early-retirement pensioner, else the layer): the
/// minutes the scope's staff delivered in the month. Rows: (index into
/// `months`, layer — `None` for not assessed and for every pensioner —,
/// pensioner, minutes). One pass over the span's visits (by the index on
/// their start), grouped per month and citizen, then per group.
pub async fn hours_by_month(
    conn: &mut Conn,
    scope: FigureScope,
    months: &[(Month, Date)],
) -> anyhow::Result<Vec<(usize, Option<String>, bool, Minutes)>> {
    let (Some(first), Some(last)) = (months.first(), months.last()) else { return Ok(Vec::new()) };
    let sql = format!(
        "SELECT t.m, t.erp, t.layer, CAST(SUM(t.minutes) AS BIGINT) AS minutes FROM (
            SELECT g.m AS m, g.minutes AS minutes, {EARLY_RETIREMENT} AS erp,
                   CASE WHEN {EARLY_RETIREMENT} = 1 THEN NULL ELSE
                   (SELECT k.layer FROM classifications k WHERE k.citizen_id = g.citizen_id AND k.valid_from <= {}
                    ORDER BY k.valid_from DESC LIMIT 1) END AS layer
            FROM (SELECT v.m AS m, v.citizen_id AS citizen_id, SUM(v.minutes) AS minutes
                  FROM (SELECT {} AS m, v.citizen_id AS citizen_id, {COUNTED} AS minutes
                        FROM visits v
                        WHERE v.status <> 'draft' AND v.started_at >= $1 AND v.started_at < $3 AND {}) v
                  GROUP BY v.m, v.citizen_id) g
            JOIN citizens c ON c.id = g.citizen_id
         ) t GROUP BY t.m, t.erp, t.layer",
        picture_day_of(months, "g.m"),
        month_of(months, "v.started_at"),
        staff_of(scope)
    );
    let rows = sqlx::query(&sql)
        .bind(first.0.start().as_millis())
        .bind(scope_id(scope))
        .bind(last.0.end().as_millis())
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                usize::try_from(r.get::<i64, _>("m"))?,
                r.get("layer"),
                r.get::<i64, _>("erp") == 1,
                Minutes::new(u32::try_from(r.get::<i64, _>("minutes"))?),
            ))
        })
        .collect()
}

/// SQL over a case `s` and a date column `{at}`: the case counts for the
/// scope (`$1`): any case for the municipality, the area's own for an
/// area, a case of a citizen assigned to the team's members on that day
/// for a team.
fn case_in_scope(scope: FigureScope, at: &str) -> String {
    match scope {
        FigureScope::Municipality => "$1 = ''".to_owned(),
        FigureScope::Area(_) => "s.area_id = $1".to_owned(),
        FigureScope::Team(_) => assigned_to_team("s.citizen_id", "$1", at),
    }
}

/// Per month: cases opened and closed (`column` `opened_on` or
/// `closed_on`) in the scope. Rows: (index into `months`, count).
pub async fn cases_by_month(
    conn: &mut Conn,
    scope: FigureScope,
    months: &[(Month, Date)],
    column: CaseEvent,
) -> anyhow::Result<Vec<(usize, u32)>> {
    if months.is_empty() {
        return Ok(Vec::new());
    }
    let column = match column {
        CaseEvent::Opened => "s.opened_on",
        CaseEvent::Closed => "s.closed_on",
    };
    let sql = format!(
        "SELECT mm.m AS m, COUNT(*) AS n FROM cases s JOIN ({}) mm ON {column} >= mm.first AND {column} <= mm.last
         WHERE {} GROUP BY mm.m",
        months_table(months),
        case_in_scope(scope, column)
    );
    counts_by_month(conn, &sql, scope).await
}

/// Which day of a case [`cases_by_month`] counts.
#[derive(Debug, Clone, Copy)]
pub enum CaseEvent {
    Opened,
    Closed,
}

/// Per month: citizens whose first grant (of those the scope pays: an
/// area's own, every grant for the municipality and a team) began in the
/// month; for a team, of citizens assigned to its members that day.
pub async fn first_grants_by_month(
    conn: &mut Conn,
    scope: FigureScope,
    months: &[(Month, Date)],
) -> anyhow::Result<Vec<(usize, u32)>> {
    if months.is_empty() {
        return Ok(Vec::new());
    }
    let (payer, earlier_payer, team) = match scope {
        FigureScope::Municipality => ("$1 = ''", "", String::new()),
        FigureScope::Area(_) => ("g.payer_area_id = $1", "AND e.payer_area_id = $1", String::new()),
        FigureScope::Team(_) => {
            ("$1 <> ''", "", format!("AND {}", assigned_to_team("g.citizen_id", "$1", "g.valid_from")))
        }
    };
    let sql = format!(
        "SELECT mm.m AS m, COUNT(DISTINCT g.citizen_id) AS n
         FROM grants g JOIN ({}) mm ON g.valid_from >= mm.first AND g.valid_from <= mm.last
         WHERE {payer} {team} AND NOT EXISTS (SELECT 1 FROM grants e WHERE e.citizen_id = g.citizen_id
                                              AND e.valid_from < g.valid_from {earlier_payer})
         GROUP BY mm.m",
        months_table(months)
    );
    counts_by_month(conn, &sql, scope).await
}

/// Per month: citizens whose first assignment (to the scope's staff)
/// began in the month.
pub async fn first_assignments_by_month(
    conn: &mut Conn,
    scope: FigureScope,
    months: &[(Month, Date)],
) -> anyhow::Result<Vec<(usize, u32)>> {
    if months.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT mm.m AS m, COUNT(DISTINCT a.citizen_id) AS n
         FROM assignments a JOIN ({}) mm ON a.valid_from >= mm.first AND a.valid_from <= mm.last
         WHERE {} AND NOT EXISTS (SELECT 1 FROM assignments e WHERE e.citizen_id = a.citizen_id
                                  AND e.valid_from < a.valid_from AND {})
         GROUP BY mm.m",
        months_table(months),
        member_of(scope, "a.user_id", "$1"),
        member_of(scope, "e.user_id", "$1"),
    );
    counts_by_month(conn, &sql, scope).await
}

async fn counts_by_month(conn: &mut Conn, sql: &str, scope: FigureScope) -> anyhow::Result<Vec<(usize, u32)>> {
    let rows = sqlx::query(sql).bind(scope_id(scope)).fetch_all(conn).await?;
    rows.iter().map(|r| Ok((usize::try_from(r.get::<i64, _>("m"))?, u32::try_from(r.get::<i64, _>("n"))?))).collect()
}

/// SQL over a citizen `c` and a date `$1`: the areas that serve or pay
/// the citizen that day, as `a.id`: an open case in the area, a running
/// grant the area pays, or an assignment to a member of one of its teams.
const AREA_INVOLVED: &str = "(EXISTS (SELECT 1 FROM cases x WHERE x.citizen_id = c.id AND x.area_id = ar.id
                    AND x.opened_on <= $1 AND (x.closed_on IS NULL OR x.closed_on >= $1))
         OR EXISTS (SELECT 1 FROM grants x WHERE x.citizen_id = c.id AND x.payer_area_id = ar.id
                    AND x.valid_from <= $1 AND (x.valid_to IS NULL OR x.valid_to >= $1))
         OR EXISTS (SELECT 1 FROM assignments x JOIN team_members tm ON tm.user_id = x.user_id
                    JOIN teams t ON t.id = tm.team_id
                    WHERE x.citizen_id = c.id AND t.area_id = ar.id
                    AND x.valid_from <= $1 AND (x.valid_to IS NULL OR x.valid_to >= $1)))";

/// The shared group's size on `on` (seeds 003, 004): the scope's citizens
/// whom two areas or more serve or pay that day.
pub async fn shared_group_size(conn: &mut Conn, scope: FigureScope, on: Date) -> anyhow::Result<u32> {
    let sql = format!(
        "SELECT COUNT(*) FROM citizens c WHERE {} AND (SELECT COUNT(*) FROM areas ar WHERE {AREA_INVOLVED}) >= 2",
        in_scope(scope)
    );
    let n: i64 = sqlx::query_scalar(&sql).bind(on.to_string()).bind(scope_id(scope)).fetch_one(conn).await?;
    Ok(u32::try_from(n)?)
}

/// The areas that serve or pay each of `citizens` on `on` (citizen, area):
/// the shared group is those with two or more.
pub async fn areas_involved(
    conn: &mut Conn,
    citizens: &[CitizenId],
    on: Date,
) -> anyhow::Result<Vec<(CitizenId, AreaId)>> {
    let sql = format!(
        "SELECT c.id AS citizen_id, ar.id AS area_id FROM citizens c, areas ar
         WHERE c.id IN {} AND {AREA_INVOLVED} ORDER BY ar.name",
        Backend::of(conn).json_strings("$2")
    );
    let rows = sqlx::query(&sql).bind(on.to_string()).bind(super::json_ids(citizens)).fetch_all(conn).await?;
    rows.iter().map(|r| Ok((super::id(r.get("citizen_id"))?, super::id(r.get("area_id"))?))).collect()
}

/// How many different people supported each of `citizens` from `from` to
/// `to` (both included): assigned to them on a day of it, or logging a
/// counted visit in it. Citizens nobody supported are left out.
pub async fn support_persons(
    conn: &mut Conn,
    citizens: &[CitizenId],
    from: Date,
    to: Date,
) -> anyhow::Result<Vec<(CitizenId, u32)>> {
    let sql = format!(
        "SELECT t.citizen_id, COUNT(DISTINCT t.person) AS n FROM (
            SELECT a.citizen_id AS citizen_id, a.user_id AS person FROM assignments a
            WHERE a.valid_from <= $2 AND (a.valid_to IS NULL OR a.valid_to >= $1)
            UNION
            SELECT v.citizen_id, v.worker_id FROM visits v
            WHERE v.status <> 'draft' AND v.started_at >= $3 AND v.started_at < $4
         ) t WHERE t.citizen_id IN {} GROUP BY t.citizen_id",
        Backend::of(conn).json_strings("$5")
    );
    let rows = sqlx::query(&sql)
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(from.start().as_millis())
        .bind(to.add_days(1).start().as_millis())
        .bind(super::json_ids(citizens))
        .fetch_all(conn)
        .await?;
    rows.iter().map(|r| Ok((super::id(r.get("citizen_id"))?, u32::try_from(r.get::<i64, _>("n"))?))).collect()
}

/// The minutes the scope's staff delivered in `month`, per payer area
/// (a grant's payer, a drawing right's owner; `None` when charged to
/// nothing) and what they were charged as.
pub async fn charged(
    conn: &mut Conn,
    scope: FigureScope,
    month: Month,
) -> anyhow::Result<Vec<(Option<AreaId>, Option<RateKind>, Minutes)>> {
    let sql = format!(
        "SELECT t.payer, t.charged_as, CAST(SUM(t.minutes) AS BIGINT) AS minutes FROM (
            SELECT COALESCE(g.payer_area_id, d.owner_area_id) AS payer,
                   CASE WHEN g.id IS NOT NULL THEN g.service WHEN d.id IS NOT NULL THEN 'drawing_right' END AS charged_as,
                   {COUNTED} AS minutes
            FROM visits v LEFT JOIN grants g ON g.id = v.charged_grant_id
                 LEFT JOIN drawing_rights d ON d.id = v.charged_pool_id
            WHERE v.status <> 'draft' AND v.started_at >= $1 AND v.started_at < $3 AND {}
         ) t GROUP BY t.payer, t.charged_as",
        staff_of(scope)
    );
    let rows = sqlx::query(&sql)
        .bind(month.start().as_millis())
        .bind(scope_id(scope))
        .bind(month.end().as_millis())
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            let kind = r.get::<Option<String>, _>("charged_as");
            Ok((
                r.get::<Option<String>, _>("payer").map(|p| super::id(&p)).transpose()?,
                kind.map(|k| RateKind::from_code(&k).ok_or_else(|| anyhow::anyhow!("unknown charge kind {k:?}")))
                    .transpose()?,
                Minutes::new(u32::try_from(r.get::<i64, _>("minutes"))?),
            ))
        })
        .collect()
}

/// Open cases on `on` with a case worker, grouped by case worker, the
/// citizen's birth facts on `on` and the case's area kind (for the norm).
/// The scope: the municipality, an area's own cases, or a team's members'
/// cases.
pub async fn caseloads(
    conn: &mut Conn,
    scope: FigureScope,
    on: Date,
) -> anyhow::Result<Vec<(CaseGroup, shared::area::AreaKind)>> {
    let scoped = match scope {
        FigureScope::Area(_) => "s.area_id = $2".to_owned(),
        _ => member_of(scope, "s.caseworker_id", "$2"),
    };
    let sql = format!(
        "SELECT t.caseworker_id, t.birth_year, t.had, t.est, t.kind, COUNT(*) AS n FROM (
            SELECT s.caseworker_id AS caseworker_id, ar.kind AS kind, {}
            FROM cases s JOIN citizens c ON c.id = s.citizen_id JOIN areas ar ON ar.id = s.area_id
            WHERE s.caseworker_id IS NOT NULL AND s.opened_on <= $1 AND (s.closed_on IS NULL OR s.closed_on >= $1)
              AND {scoped}
         ) t GROUP BY t.caseworker_id, t.birth_year, t.had, t.est, t.kind",
        facts("$3", "$1")
    );
    let rows = sqlx::query(&sql).bind(on.to_string()).bind(scope_id(scope)).bind(mmdd(on)).fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            Ok((
                CaseGroup {
                    caseworker: super::id(r.get("caseworker_id"))?,
                    birth_year: i32::try_from(r.get::<i64, _>("birth_year"))?,
                    had_birthday: r.get::<i64, _>("had") == 1,
                    estimated: r.get::<i64, _>("est") == 1,
                    cases: u32::try_from(r.get::<i64, _>("n"))?,
                },
                wire_enum(r.get("kind"))?,
            ))
        })
        .collect()
}

/// The names of the users `ids`, by name.
pub async fn staff_names(conn: &mut Conn, ids: &[UserId]) -> anyhow::Result<Vec<(UserId, String)>> {
    let sql = format!("SELECT id, name FROM users WHERE id IN {} ORDER BY name", Backend::of(conn).json_strings("$1"));
    let rows = sqlx::query(&sql).bind(super::json_ids(ids)).fetch_all(conn).await?;
    rows.iter().map(|r| Ok((super::id(r.get("id"))?, r.get("name")))).collect()
}

/// Each (member, team) of the teams `teams`.
pub async fn members_of(conn: &mut Conn, teams: &[shared::TeamId]) -> anyhow::Result<Vec<(UserId, shared::TeamId)>> {
    let sql =
        format!("SELECT user_id, team_id FROM team_members WHERE team_id IN {}", Backend::of(conn).json_strings("$1"));
    let rows = sqlx::query(&sql).bind(super::json_ids(teams)).fetch_all(conn).await?;
    rows.iter().map(|r| Ok((super::id(r.get("user_id"))?, super::id(r.get("team_id"))?))).collect()
}

const RESOURCES_KEY: &str = "resources";

/// The full-time week and the hourly rates (defaults until set).
pub async fn resource_settings(conn: &mut Conn) -> anyhow::Result<shared::figures::ResourceSettings> {
    super::settings::get(conn, RESOURCES_KEY).await
}

/// Stores `settings` (checked by the caller).
pub async fn set_resource_settings(
    conn: &mut Conn,
    settings: &shared::figures::ResourceSettings,
) -> anyhow::Result<()> {
    super::settings::set(conn, RESOURCES_KEY, settings).await
}

/// One month of the trend in one scope, as computed and stored: the facts
/// its line is made of, before the scheme groups the layers and the
/// settings turn minutes into posts (so a changed scheme or full-time week
/// needs no new facts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthFacts {
    /// The month's picture day (its last day, or today for this month).
    pub picture_day: Date,
    /// The layer table's groups on the picture day.
    pub counts: Vec<LayerCount>,
    pub opened: u32,
    pub closed: u32,
    pub first_grants: u32,
    pub first_assignments: u32,
    pub shared_group: u32,
    /// Minutes the scope's staff delivered in the month.
    pub hours: MonthHours,
}

/// Minutes the scope's staff delivered in a month: by the citizen's layer
/// code on the picture day (`None`: not assessed), and the early-retirement
/// pensioners' apart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthHours {
    pub by_layer: Vec<(Option<String>, Minutes)>,
    pub early_retirement: Minutes,
}

/// Computes the facts of `months` (consecutive, each with its picture day)
/// from the rows: the costly part of the trend (at 100 000 citizens, about
/// half a second a month, most of it the shared group).
pub async fn month_facts(
    conn: &mut Conn,
    scope: FigureScope,
    months: &[(Month, Date)],
) -> anyhow::Result<Vec<MonthFacts>> {
    let mut hours = hours_per_month(conn, scope, months).await?;
    let opened = cases_by_month(conn, scope, months, CaseEvent::Opened).await?;
    let closed = cases_by_month(conn, scope, months, CaseEvent::Closed).await?;
    let first_grants = first_grants_by_month(conn, scope, months).await?;
    let first_assignments = first_assignments_by_month(conn, scope, months).await?;
    let mut out = Vec::with_capacity(months.len());
    for (i, (_, on)) in months.iter().enumerate() {
        let of = |list: &[(usize, u32)]| list.iter().find(|(m, _)| *m == i).map_or(0, |(_, n)| *n);
        out.push(MonthFacts {
            picture_day: *on,
            counts: super::review::layer_counts(conn, scope, *on).await?,
            opened: of(&opened),
            closed: of(&closed),
            first_grants: of(&first_grants),
            first_assignments: of(&first_assignments),
            shared_group: shared_group_size(conn, scope, *on).await?,
            hours: std::mem::take(&mut hours[i]),
        });
    }
    Ok(out)
}

/// [`hours_by_month`] per month of `months`.
pub async fn hours_per_month(
    conn: &mut Conn,
    scope: FigureScope,
    months: &[(Month, Date)],
) -> anyhow::Result<Vec<MonthHours>> {
    let mut out = vec![MonthHours::default(); months.len()];
    for (i, layer, early_retirement, minutes) in hours_by_month(conn, scope, months).await? {
        let month = out.get_mut(i).ok_or_else(|| anyhow::anyhow!("hours of a month not asked for"))?;
        if early_retirement {
            month.early_retirement += minutes;
        } else {
            month.by_layer.push((layer, minutes));
        }
    }
    Ok(out)
}

/// What a stored month was computed under, per part of the figures: for
/// each, how many writes touched the months up to and including it
/// (`'0000-00'` counts for every month): the rows of `figure_change_log`
/// and the counts folded from it into `figure_changes`. The triggers of
/// migration `0013` log every transaction that writes what the figures
/// read, and folding keeps the totals, so they only grow and a stored part
/// is current while its count is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// Who is counted where: cases, classifications, grants, assignments,
    /// citizens, teams.
    pub people: i64,
    /// The hours: visits, and the classifications and teams that group them.
    pub hours: i64,
}

/// [`Seen`] for each of `months`. Read it in the transaction that then
/// reads the rows, before them: a write that commits in between bumps a
/// version, so what is stored under the older sums is never taken for
/// current.
pub async fn changes_seen(conn: &mut Conn, months: &[Month]) -> anyhow::Result<Vec<Seen>> {
    // One statement, so the log and the counts folded from it are read in
    // one snapshot even where each statement sees its own (PostgreSQL).
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT month, part, version FROM figure_changes
         UNION ALL
         SELECT month, part, COUNT(*) FROM figure_change_log GROUP BY month, part",
    )
    .fetch_all(conn)
    .await?;
    Ok(months
        .iter()
        .map(|m| {
            let key = m.to_string();
            let sum = |part: &str| {
                rows.iter().filter(|(month, p, _)| *month <= key && p == part).map(|(_, _, version)| version).sum()
            };
            Seen { people: sum("people"), hours: sum("hours") }
        })
        .collect())
}

/// A month as stored for a scope.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored {
    /// Current: nothing it was made of has changed since.
    Current(MonthFacts),
    /// Its counts are current, its hours not (a visit was logged).
    HoursStale(MonthFacts),
    /// Not stored, for another picture day, or its counts are stale.
    Missing,
}

/// `scope`'s stored `months`, each judged against `seen` (one per month)
/// and its picture day.
pub async fn stored_months(
    conn: &mut Conn,
    scope: FigureScope,
    months: &[(Month, Date)],
    seen: &[Seen],
) -> anyhow::Result<Vec<Stored>> {
    let rows: Vec<(String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT month, picture_day, seen_people, seen_hours, facts FROM figure_snapshots WHERE scope = $1",
    )
    .bind(scope.key())
    .fetch_all(conn)
    .await?;
    months
        .iter()
        .zip(seen)
        .map(|((month, day), seen)| {
            let (month, day) = (month.to_string(), day.to_string());
            let Some(row) = rows.iter().find(|r| r.0 == month && r.1 == day && r.2 == seen.people) else {
                return Ok(Stored::Missing);
            };
            let facts: MonthFacts = serde_json::from_str(&row.4)?;
            Ok(if row.3 == seen.hours { Stored::Current(facts) } else { Stored::HoursStale(facts) })
        })
        .collect()
}

/// Folds `figure_change_log` into `figure_changes`' counts, keeping every
/// total [`changes_seen`] reads: each logged row is counted once, moved in
/// one statement on PostgreSQL (a data-modifying `WITH`) and in one write
/// transaction on SQLite (nobody else writes meanwhile). Keeps the log
/// short; call it in a write transaction now and then.
pub async fn fold_changes(conn: &mut Conn) -> anyhow::Result<()> {
    match Backend::of(conn) {
        Backend::Postgres => {
            sqlx::query(
                "WITH moved AS (DELETE FROM figure_change_log RETURNING month, part)
                 INSERT INTO figure_changes (month, part, version)
                 SELECT month, part, COUNT(*) FROM moved GROUP BY month, part
                 ON CONFLICT (month, part) DO UPDATE SET version = figure_changes.version + excluded.version",
            )
            .execute(conn)
            .await?;
        }
        Backend::Sqlite => {
            sqlx::query(
                "INSERT INTO figure_changes (month, part, version)
                 SELECT month, part, COUNT(*) FROM figure_change_log WHERE true GROUP BY month, part
                 ON CONFLICT (month, part) DO UPDATE SET version = figure_changes.version + excluded.version",
            )
            .execute(&mut *conn)
            .await?;
            sqlx::query("DELETE FROM figure_change_log").execute(conn).await?;
        }
    }
    Ok(())
}

/// Stores `scope`'s facts of `month`, computed under `seen`, replacing
/// what was stored for the month.
pub async fn store_month(
    conn: &mut Conn,
    scope: FigureScope,
    month: Month,
    seen: Seen,
    facts: &MonthFacts,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO figure_snapshots (scope, month, picture_day, seen_people, seen_hours, facts)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (scope, month) DO UPDATE SET picture_day = excluded.picture_day,
             seen_people = excluded.seen_people, seen_hours = excluded.seen_hours, facts = excluded.facts",
    )
    .bind(scope.key())
    .bind(month.to_string())
    .bind(facts.picture_day.to_string())
    .bind(seen.people)
    .bind(seen.hours)
    .bind(serde_json::to_string(facts)?)
    .execute(conn)
    .await?;
    Ok(())
}
