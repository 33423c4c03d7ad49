//! The lead's reports, computed from the database with `shared`'s usage
//! arithmetic: a team's month, and the monthly statement per payer area
//! (as JSON and as CSV for Danish spreadsheets).
//!
//! The CSVs (the statement, and the administrator's visits export) are UTF-8
//! with a byte-order mark, `;` between fields, CRLF line ends, hours with a
//! decimal comma, and cells that look like a formula defused. Totals add up as
//! shown: the statement's hour total is the sum of its lines' shown hours
//! (`shared::minutes::ShownHours`), not the minutes' total converted.

use std::collections::{BTreeMap, HashMap, HashSet};

use shared::Lang;
use shared::api::{AreaSummary, TeamSummary};
use shared::charge::charge_for;
use shared::drawing_right::DrawingRight;
use shared::grant::Service;
use shared::report::{
    ApprovalState, CaseloadLine, GrantLine, PoolLine, Statement, StatementLine, TeamReport, VisitLine, WorkerLine,
};
use shared::time::{Month, Period};
use shared::usage::{Delivered, UsageRow, daily_cumulative, grant_usage_between, pool_usage, worker_loads};
use shared::user::Role;
use shared::visit::{ChargeTo, VisitStatus};
use shared::{CitizenId, DrawingRightId, Minutes, ShownHours, Timestamp, UserId};

use crate::db::{self, Conn};

/// Who asks for a report, as far as reports care.
#[derive(Debug, Clone, Copy)]
pub struct Asker {
    pub is_admin: bool,
    pub is_lead_of_team: bool,
}

/// A team's month: grants of its citizens, pools it delivers on or holds,
/// its workers' load, caseloads, visits charged to nothing, and approval.
pub async fn team_report(
    conn: &mut Conn,
    team: TeamSummary,
    month: Month,
    now: Timestamp,
    asker: Asker,
) -> anyhow::Result<TeamReport> {
    let (first, last) = (month.first_day(), month.last_day());
    let (start, end) = (month.start(), month.end());
    let today = now.local_date();
    // "As of": the month's last day, or today while the month runs.
    let as_of = if today < last && today >= first { today } else { last };

    let members = db::reports::members(conn, team.id).await?;
    let member_ids: Vec<UserId> = members.iter().map(|m| m.id).collect();

    // The citizens the team worked with in the month, their grants, and the
    // pools the team delivers on or its area holds.
    let citizens = db::reports::citizens_assigned(conn, &member_ids, first, last).await?;
    let grants = db::citizens::grants_of(conn, &citizens).await?;
    let pools = db::citizens::drawing_rights_for(conn, team.id, team.area.id).await?;
    let pool_ids: Vec<DrawingRightId> = pools.iter().map(|p| p.id).collect();
    // The month's visits by the team (whoever they were for: an assignment
    // ended since does not hide them), to its citizens (by anyone) and on
    // its pools, read once: they are mostly the same visits.
    let month_rows = db::reports::usage_for_report(conn, &member_ids, &citizens, &pool_ids, start, end).await?;
    let team_rows: Vec<UsageRow> = month_rows.iter().filter(|v| member_ids.contains(&v.worker_id)).cloned().collect();
    // Each grant looks at its citizen's visits only.
    let mut rows_of: HashMap<CitizenId, Vec<&UsageRow>> = HashMap::new();
    for row in &month_rows {
        rows_of.entry(row.citizen_id).or_default().push(row);
    }
    let team_ids = [team.id];
    let mut grant_lines: Vec<GrantLine> = grants
        .iter()
        .filter(|g| g.period.from() <= last && g.period.to().is_none_or(|to| to >= first))
        .map(|g| {
            let on = as_of.max(g.period.from()).min(g.period.to().unwrap_or(as_of));
            let charged_to = charge_for(g, on, &team_ids, &pools);
            GrantLine {
                citizen_id: g.citizen_id,
                grant: g.clone(),
                charged_to,
                usage: grant_usage_between(
                    g,
                    charged_to,
                    rows_of.get(&g.citizen_id).into_iter().flatten().copied(),
                    first,
                    last,
                ),
            }
        })
        .collect();

    let mut pool_lines = Vec::new();
    for pool in pools {
        pool_lines.push(pool_line(conn, pool, as_of, now, Some((&month_rows, start, end))).await?);
    }

    let loads = worker_loads(&team_rows, start, end);
    let assigned = db::reports::assigned_counts(conn, &member_ids, as_of).await?;
    let workers: Vec<WorkerLine> = members
        .iter()
        .filter(|m| {
            m.roles.iter().any(|r| matches!(r, Role::Worker | Role::Mentor))
                || loads.iter().any(|l| l.worker_id == m.id)
        })
        .map(|m| WorkerLine {
            load: loads.iter().find(|l| l.worker_id == m.id).copied().unwrap_or(shared::usage::WorkerLoad {
                worker_id: m.id,
                visits: 0,
                no_shows: 0,
                face_to_face: Minutes::ZERO,
                other: Minutes::ZERO,
                travel: Minutes::ZERO,
            }),
            citizens: assigned.get(&m.id).copied().unwrap_or(0),
        })
        .collect();

    let norms = db::reports::caseload_norms(conn).await?;
    let coordinators: Vec<UserId> =
        members.iter().filter(|m| m.roles.contains(&Role::Coordinator)).map(|m| m.id).collect();
    let cases = db::reports::coordinated_counts(conn, &coordinators).await?;
    let caseloads = coordinators
        .iter()
        .map(|u| CaseloadLine {
            user_id: *u,
            cases: cases.get(u).copied().unwrap_or(0),
            norm: norms.for_area(team.area.kind),
        })
        .collect();

    let mut unattributed: Vec<VisitLine> = team_rows
        .iter()
        .filter(|v| v.counts() && v.charged_to.is_none())
        .map(|v| VisitLine {
            id: v.id,
            citizen_id: v.citizen_id,
            worker_id: v.worker_id,
            kind: v.kind,
            started_at: v.started_at,
            minutes: v.counted,
        })
        .collect();
    unattributed.sort_by_key(|v| (v.started_at, v.id));

    // Notices of the team's area left unread too long (issue 16).
    let today = now.local_date();
    let late_notices: Vec<_> = db::notices::unread_for(conn, team.area.id, &member_ids)
        .await?
        .into_iter()
        .filter(|n| n.is_overdue(today))
        .collect();

    // The citizens with a plan whose next meeting asks for action (issue 16).
    let plans = db::plans::load_plans(conn, &db::json_ids(&citizens), false).await?;
    let planned: Vec<CitizenId> = plans.iter().map(|p| p.fields.citizen_id).collect();
    let meetings = db::meetings::meetings_of(conn, &planned).await?;
    // Each at the rhythm of their target group (their layer today).
    let rhythm: HashMap<CitizenId, u8> = db::citizens::load(conn, &db::json_ids(&planned))
        .await?
        .into_iter()
        .map(|c| (c.id, shared::meeting::meetings_per_year(c.layer.as_ref())))
        .collect();
    let mut meetings_due: Vec<shared::report::MeetingDueLine> = planned
        .iter()
        .filter_map(|c| {
            let of: Vec<_> = meetings.iter().filter(|m| m.fields.citizen_id == *c).map(|m| &m.fields).collect();
            let per_year = rhythm.get(c).copied().unwrap_or(shared::meeting::MEETINGS_PER_YEAR);
            let next = shared::meeting::NextMeeting::of(&of, today, per_year);
            next.needs_action().then_some(shared::report::MeetingDueLine { citizen_id: *c, next })
        })
        .collect();

    // Names of everyone the report mentions.
    let mut citizen_ids: HashSet<CitizenId> = grant_lines.iter().map(|g| g.citizen_id).collect();
    let mut user_ids: HashSet<UserId> = member_ids.iter().copied().collect();
    for p in &pool_lines {
        citizen_ids.extend(p.usage.by_citizen.iter().map(|s| s.id));
        user_ids.extend(p.usage.by_worker.iter().map(|s| s.id));
    }
    citizen_ids.extend(unattributed.iter().map(|v| v.citizen_id));
    user_ids.extend(late_notices.iter().map(|n| n.recipient_id));
    citizen_ids.extend(meetings_due.iter().map(|m| m.citizen_id));
    let names: BTreeMap<_, _> = db::reports::names(
        conn,
        &citizen_ids.into_iter().collect::<Vec<_>>(),
        &user_ids.into_iter().collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .collect();
    meetings_due.sort_by_key(|m| (names.get(m.citizen_id.as_uuid()).map(|n| n.as_str().to_owned()), m.citizen_id));
    grant_lines.sort_by(|a, b| {
        let name = |g: &GrantLine| names.get(g.citizen_id.as_uuid()).map(|n| n.as_str().to_owned());
        name(a).cmp(&name(b)).then(a.grant.period.from().cmp(&b.grant.period.from()))
    });

    let approved = db::reports::lock_of(conn, team.id, month).await?;
    let submitted = team_rows.iter().filter(|v| v.status == VisitStatus::Submitted).count() as u32;
    let approved_visits = team_rows.iter().filter(|v| v.status == VisitStatus::Approved).count() as u32;
    let month_over = now >= end;
    let approval = ApprovalState {
        can_approve: (asker.is_lead_of_team || asker.is_admin) && month_over && (approved.is_none() || submitted > 0),
        can_reopen: asker.is_admin && approved.is_some(),
        approved,
        submitted,
        approved_visits,
        history: db::reports::history(conn, team.id, month).await?,
    };

    Ok(TeamReport {
        team,
        month,
        generated_at: now,
        approval,
        grants: grant_lines,
        pools: pool_lines,
        workers,
        caseloads,
        norms,
        unattributed,
        late_notices,
        meetings_due,
        names,
    })
}

/// The pool's line as of `day`. `read` is visits already read with the
/// pool's among them for `[start, end)`; they are used when they cover the
/// span the pool needs.
async fn pool_line(
    conn: &mut Conn,
    pool: DrawingRight,
    day: shared::Date,
    now: Timestamp,
    read: Option<(&[UsageRow], Timestamp, Timestamp)>,
) -> anyhow::Result<PoolLine> {
    let (first, next) = pool.period_kind.span(day);
    // Expiring pools need only this period; the others replay their history.
    let from = match pool.rollover {
        shared::drawing_right::Rollover::Expire => first,
        _ => pool.period_kind.span(pool.valid.from()).0.min(first),
    };
    let (span_start, span_end) = (from.start(), next.start());
    let rows = match read {
        Some((rows, start, end)) if start <= span_start && span_end <= end => rows
            .iter()
            .filter(|v| {
                v.charged_to == Some(ChargeTo::DrawingRight(pool.id))
                    && v.started_at >= span_start
                    && v.started_at < span_end
            })
            .cloned()
            .collect(),
        _ => db::reports::usage_by_pool(conn, pool.id, span_start, span_end).await?,
    };
    let usage = pool_usage(&pool, &rows, day, now);
    let daily = daily_cumulative(ChargeTo::DrawingRight(pool.id), &rows, usage.first_day, usage.last_day);
    let owner_area = db::org::areas(conn)
        .await?
        .into_iter()
        .find(|a| a.id == pool.owner_area_id)
        .map(|a| a.name)
        .ok_or_else(|| anyhow::anyhow!("drawing right {} names an unknown area", pool.id))?;
    let provider_team = db::org::team(conn, pool.provider_team_id)
        .await?
        .map(|t| t.name)
        .ok_or_else(|| anyhow::anyhow!("drawing right {} names an unknown team", pool.id))?;
    Ok(PoolLine { pool, owner_area, provider_team, usage, daily })
}

/// What `area` owes for `month`: the visits charged to its grants and
/// drawing rights, delivered by `teams` (all teams when `None`), per
/// citizen, service and what they were charged to.
pub async fn statement(
    conn: &mut Conn,
    area: AreaSummary,
    month: Month,
    teams: Vec<TeamSummary>,
    only_teams: bool,
    now: Timestamp,
) -> anyhow::Result<Statement> {
    let mut rows = db::reports::usage_paid_by(conn, area.id, month.start(), month.end()).await?;
    if only_teams {
        let mut workers = HashSet::new();
        for t in &teams {
            workers.extend(db::reports::members(conn, t.id).await?.into_iter().map(|m| m.id));
        }
        rows.retain(|r| workers.contains(&r.worker_id));
    }
    rows.retain(|r| r.counts());
    let citizen_ids: Vec<CitizenId> = rows.iter().map(|r| r.citizen_id).collect::<HashSet<_>>().into_iter().collect();
    let grants = db::citizens::grants_of(conn, &citizen_ids).await?;
    let pools = db::citizens::all_drawing_rights(conn).await?;
    let citizens: HashMap<CitizenId, shared::citizen::Citizen> = {
        let ids = db::json_ids(&citizen_ids);
        db::citizens::load(conn, &ids).await?.into_iter().map(|c| (c.id, c)).collect()
    };

    let mut lines: BTreeMap<(String, CitizenId, u8, String), StatementLine> = BTreeMap::new();
    for r in &rows {
        let Some(charge) = r.charged_to else { continue };
        let (service, charged_to, via_pool) = match charge {
            ChargeTo::Grant(g) => {
                let Some(g) = grants.iter().find(|x| x.id == g) else { continue };
                (g.service, g.legal_basis.as_str().to_owned(), false)
            }
            ChargeTo::DrawingRight(p) => {
                let Some(p) = pools.iter().find(|x| x.id == p) else { continue };
                (Service::HousingSupport, p.name.as_str().to_owned(), true)
            }
        };
        let Some(citizen) = citizens.get(&r.citizen_id) else { continue };
        let key = (citizen.name.as_str().to_owned(), citizen.id, service as u8, charged_to.clone());
        let line = lines.entry(key).or_insert_with(|| StatementLine {
            citizen_id: citizen.id,
            citizen_name: citizen.name.clone(),
            birth_year: citizen.birth_year.get(),
            service,
            charged_to,
            via_drawing_right: via_pool,
            visits: 0,
            minutes: Minutes::ZERO,
        });
        line.visits += 1;
        line.minutes += r.counted;
    }
    let lines: Vec<StatementLine> = lines.into_values().collect();
    let total = lines.iter().fold(Minutes::ZERO, |sum, l| sum + l.minutes);
    let approved = !rows.is_empty() && rows.iter().all(|r| r.status == VisitStatus::Approved);
    Ok(Statement { area, month, generated_at: now, teams, approved, lines, total })
}

/// The statement as CSV the way Danish Excel opens it without a wizard:
/// UTF-8 with a byte-order mark, `;` between fields, CRLF line ends, hours
/// with a decimal comma and two decimals. A field that could start a
/// formula is prefixed with `'`. Both columns add up: the minutes' total is
/// their exact sum, the hours' total the sum of the hours shown on the
/// lines ([`Statement::hours_total`]), as an accountant sums a bill.
pub fn statement_csv(s: &Statement) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let mut row = |fields: &[&str]| out.push_str(&csv_row(fields));
    row(&["Opgørelse", &format!("{} {}", s.area.name.as_str(), s.month)]);
    row(&["Borger", "Fødselsår", "Ydelse", "Betales via", "Besøg", "Minutter", "Timer"]);
    for l in &s.lines {
        let via = if l.via_drawing_right { format!("Trækningsret: {}", l.charged_to) } else { l.charged_to.clone() };
        row(&[
            l.citizen_name.as_str(),
            &l.birth_year.to_string(),
            l.service.label(Lang::Da),
            &via,
            &l.visits.to_string(),
            &l.minutes.get().to_string(),
            &hours_2(l.minutes),
        ]);
    }
    let visits: u32 = s.lines.iter().map(|l| l.visits).sum();
    let minutes: u64 = s.lines.iter().map(|l| u64::from(l.minutes.get())).sum();
    row(&["I alt", "", "", "", &visits.to_string(), &minutes.to_string(), &s.hours_total().format_fixed(Lang::Da)]);
    out.into_bytes()
}

/// Hours with two decimals and a decimal comma: 90 → "1,50", 100 → "1,67".
fn hours_2(m: Minutes) -> String {
    ShownHours::of(m).format_fixed(Lang::Da)
}

/// A period's visits as CSV for Danish spreadsheets (as [`statement_csv`]):
/// date, times, minutes and hours, kind, citizen and case id, worker, what
/// it was charged to, status and note.
pub fn visits_csv(lines: &[crate::db::visits::ExportLine], lang: Lang) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let mut row = |fields: &[&str]| out.push_str(&csv_row(fields));
    row(&[
        "Dato",
        "Start",
        "Slut",
        "Minutter",
        "Timer",
        "Transport (min)",
        "Type",
        "Borger",
        "Sagsnummer",
        "Medarbejder",
        "Betales af",
        "Status",
        "Note",
    ]);
    for l in lines {
        let status = match l.status {
            VisitStatus::Draft => "Kladde",
            VisitStatus::Submitted => "Indsendt",
            VisitStatus::Approved => "Godkendt",
        };
        row(&[
            &l.started_at.local_date().format(lang),
            &l.started_at.format_time(lang),
            &l.ended_at.format_time(lang),
            &l.minutes.get().to_string(),
            &hours_2(l.minutes),
            &l.travel.get().to_string(),
            l.kind.label(lang),
            &l.citizen_name,
            l.external_id.as_deref().unwrap_or(""),
            &l.worker_name,
            &l.charged_to,
            status,
            &l.note,
        ]);
    }
    out.into_bytes()
}

/// One CSV line as Danish Excel reads it: fields joined by `;`, CRLF, each
/// field quoted where it must be and made harmless where it could start a
/// formula (see [`statement_csv`]).
pub fn csv_row(fields: &[&str]) -> String {
    let cells: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    format!("{}\r\n", cells.join(";"))
}

fn csv_field(f: &str) -> String {
    let f = if f.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{f}") } else { f.to_owned() };
    if f.contains([';', '"', '\n', '\r']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f }
}

/// The statement's file name: `opgoerelse-<area>-<YYYY-MM>.csv`, ASCII only.
pub fn statement_file_name(s: &Statement) -> String {
    let area: String = s
        .area
        .name
        .as_str()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'æ' => "ae".to_owned(),
            'ø' => "oe".to_owned(),
            'å' => "aa".to_owned(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            _ => "-".to_owned(),
        })
        .collect();
    format!("opgoerelse-{area}-{}.csv", s.month)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("Mette Hansen"), "Mette Hansen");
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("sagde \"hej\""), "\"sagde \"\"hej\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("-5"), "'-5");
        assert_eq!(hours_2(Minutes::new(90)), "1,50");
        assert_eq!(hours_2(Minutes::new(100)), "1,67");
        assert_eq!(hours_2(Minutes::new(0)), "0,00");
    }

    #[test]
    fn the_csv_is_exactly_what_danish_excel_opens() {
        use shared::api::AreaSummary;
        use shared::area::AreaKind;
        use uuid::Uuid;
        let line =
            |n: u128, name: &str, year: i32, service: Service, via: &str, pool: bool, visits: u32, minutes: u32| {
                StatementLine {
                    citizen_id: CitizenId::from_uuid(Uuid::from_u128(n)),
                    citizen_name: name.try_into().expect("valid"),
                    birth_year: year,
                    service,
                    charged_to: via.to_owned(),
                    via_drawing_right: pool,
                    visits,
                    minutes: Minutes::new(minutes),
                }
            };
        let s = Statement {
            area: AreaSummary {
                id: shared::AreaId::from_uuid(Uuid::from_u128(1)),
                name: "Beskæftigelsesområdet".try_into().expect("valid"),
                kind: AreaKind::Employment,
            },
            month: "2026-10".to_owned().try_into().expect("valid"),
            generated_at: Timestamp::from_millis(0),
            teams: vec![],
            approved: true,
            lines: vec![
                line(2, "Søren Ærø", 1990, Service::HousingSupport, "Trækningsret; bostøtte", true, 3, 150),
                line(3, "Åse \"Lille\" Holm", 2004, Service::Mentor, "LAB § 78", false, 1, 45),
            ],
            total: Minutes::new(195),
        };
        let expected = "\u{feff}Opgørelse;Beskæftigelsesområdet 2026-10\r\n\
                        Borger;Fødselsår;Ydelse;Betales via;Besøg;Minutter;Timer\r\n\
                        Søren Ærø;1990;Socialpædagogisk støtte (bostøtte);\"Trækningsret: Trækningsret; bostøtte\";3;150;2,50\r\n\
                        \"Åse \"\"Lille\"\" Holm\";2004;Mentorstøtte;LAB § 78;1;45;0,75\r\n\
                        I alt;;;;4;195;3,25\r\n";
        assert_eq!(String::from_utf8(statement_csv(&s)).expect("utf-8"), expected);
        assert_eq!(&statement_csv(&s)[..3], b"\xEF\xBB\xBF");
        assert_eq!(statement_file_name(&s), "opgoerelse-beskaeftigelsesomraadet-2026-10.csv");
    }

    /// A statement whose lines have these minutes.
    fn statement_of(minutes: &[u32]) -> Statement {
        use shared::api::AreaSummary;
        use shared::area::AreaKind;
        use uuid::Uuid;
        let lines: Vec<StatementLine> = minutes
            .iter()
            .enumerate()
            .map(|(i, m)| StatementLine {
                citizen_id: CitizenId::from_uuid(Uuid::from_u128(i as u128 + 10)),
                citizen_name: "Mette Holm".try_into().expect("valid"),
                birth_year: 1988,
                service: Service::HousingSupport,
                charged_to: "SEL § 85".to_owned(),
                via_drawing_right: false,
                visits: 1,
                minutes: Minutes::new(*m),
            })
            .collect();
        Statement {
            area: AreaSummary {
                id: shared::AreaId::from_uuid(Uuid::from_u128(1)),
                name: "Socialområdet".try_into().expect("valid"),
                kind: AreaKind::Social,
            },
            month: "2026-10".to_owned().try_into().expect("valid"),
            generated_at: Timestamp::from_millis(0),
            teams: vec![],
            approved: true,
            total: lines.iter().fold(Minutes::ZERO, |sum, l| sum + l.minutes),
            lines,
        }
    }

    /// The CSV's line cells and its total cells for minutes and hours, in
    /// hundredths for the hours.
    fn columns(csv: &[u8]) -> (Vec<(i64, i64)>, (i64, i64)) {
        let text = String::from_utf8(csv[3..].to_vec()).expect("utf-8");
        let rows: Vec<Vec<&str>> =
            text.split("\r\n").filter(|r| !r.is_empty()).map(|r| r.split(';').collect()).collect();
        let figures = |r: &Vec<&str>| -> (i64, i64) {
            let minutes = r[5].parse().expect("minutes");
            let hours = r[6].replace(',', "").parse().expect("hundredths");
            (minutes, hours)
        };
        let last = rows.last().expect("total row");
        assert_eq!(last[0], "I alt");
        (rows[2..rows.len() - 1].iter().map(figures).collect(), figures(last))
    }

    /// Issue 12, kind 8: the statement CSV's total is the sum of its lines,
    /// in minutes and in hours. The first case is the failing input (lines
    /// of 31,23 + 3,28 + 0,98 hours under a total of 35,50).
    #[test]
    fn the_statement_csv_totals_add_up() {
        let cases: &[(&[u32], i64, &str)] = &[
            (&[1874, 197, 59], 2130, "35,49"),
            (&[10, 10, 10], 30, "0,51"),
            (&[20, 20, 20], 60, "0,99"),
            (&[150, 45], 195, "3,25"),
            (&[], 0, "0,00"),
        ];
        for (minutes, total_minutes, total_hours) in cases {
            let csv = statement_csv(&statement_of(minutes));
            let (lines, total) = columns(&csv);
            assert_eq!(total.0, *total_minutes, "{minutes:?}");
            assert_eq!(lines.iter().map(|l| l.0).sum::<i64>(), total.0, "{minutes:?}: minutes add up");
            assert_eq!(lines.iter().map(|l| l.1).sum::<i64>(), total.1, "{minutes:?}: hours add up");
            let text = String::from_utf8_lossy(&csv).into_owned();
            assert!(text.ends_with(&format!(";{total_hours}\r\n")), "{minutes:?}: {text}");
        }
        // Many random statements (a fixed xorshift, so a failure repeats).
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..500 {
            let n = (next() % 40) as usize;
            let minutes: Vec<u32> = (0..n).map(|_| (next() % 6000) as u32).collect();
            let (lines, total) = columns(&statement_csv(&statement_of(&minutes)));
            assert_eq!(lines.iter().map(|l| l.0).sum::<i64>(), total.0, "{minutes:?}");
            assert_eq!(lines.iter().map(|l| l.1).sum::<i64>(), total.1, "{minutes:?}");
        }
    }
}
