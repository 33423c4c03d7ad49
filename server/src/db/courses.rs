//! Intensive courses (issue 15, seed 002): courses with their consultants,
//! goals and half-yearly statuses, and the consultants' caseloads. Courses
//! are written online only (`http::courses`); they are not in the change
//! stream.

use std::collections::BTreeMap;

use anyhow::Context;
use shared::assignment::Named;
use shared::course::{
    ConsultantLoad, Course, CourseEnd, CourseInput, CourseStatus, CourseStatusInput, DEFAULT_POST, Outcome,
};
use shared::text::{CourseStatusNote, Note};
use shared::{CitizenId, CourseId, Date, GoalId, TeamId, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Backend, Conn, id, json_ids};

/// Which courses to read.
pub enum Which<'a> {
    /// The courses of one citizen.
    Citizen(CitizenId),
    /// One course.
    One(CourseId),
    /// The courses of `teams` that run on some day of `from..=to`.
    Teams { teams: &'a [TeamId], from: Date, to: Date },
    /// The courses `user` is a consultant on that run on some day of
    /// `from..=to`.
    Consultant { user: UserId, from: Date, to: Date },
}

/// The courses `which` names, newest start first, whole (names,
/// consultants in their order, goals, statuses oldest first).
pub async fn courses(conn: &mut Conn, which: Which<'_>) -> anyhow::Result<Vec<Course>> {
    let backend = Backend::of(conn);
    let base = "SELECT c.id, c.citizen_id, c.team_id, c.offer_id, c.started_on, c.planned_end_on, c.ended_on,
                       c.outcome, c.end_note, c.updated_at, ci.name AS citizen_name, t.name AS team_name,
                       o.name AS offer_name
                FROM courses c JOIN citizens ci ON ci.id = c.citizen_id JOIN teams t ON t.id = c.team_id
                LEFT JOIN offers o ON o.id = c.offer_id";
    let running = "c.started_on <= $3 AND COALESCE(c.ended_on, c.planned_end_on) >= $2";
    let (filter, first, from, to) = match which {
        Which::Citizen(citizen) => ("c.citizen_id = $1".to_owned(), citizen.to_string(), None, None),
        Which::One(course) => ("c.id = $1".to_owned(), course.to_string(), None, None),
        Which::Teams { teams, from, to } => (
            format!("c.team_id IN {} AND {running}", backend.json_strings("$1")),
            json_ids(teams),
            Some(from),
            Some(to),
        ),
        Which::Consultant { user, from, to } => (
            format!("c.id IN (SELECT course_id FROM course_consultants WHERE user_id = $1) AND {running}"),
            user.to_string(),
            Some(from),
            Some(to),
        ),
    };
    let sql = format!("{base} WHERE {filter} ORDER BY c.started_on DESC, c.id");
    let mut query = sqlx::query(&sql).bind(first);
    if let (Some(from), Some(to)) = (from, to) {
        query = query.bind(from.to_string()).bind(to.to_string());
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let mut out: Vec<Course> = rows.iter().map(course_from).collect::<anyhow::Result<_>>()?;
    let ids: Vec<CourseId> = out.iter().map(|c| c.id).collect();
    if ids.is_empty() {
        return Ok(out);
    }
    let ids = json_ids(&ids);
    let mut consultants: BTreeMap<String, Vec<Named<UserId>>> = BTreeMap::new();
    let rows = sqlx::query(&format!(
        "SELECT cc.course_id, cc.user_id, u.name FROM course_consultants cc JOIN users u ON u.id = cc.user_id
         WHERE cc.course_id IN {} ORDER BY cc.course_id, cc.position",
        backend.json_strings("$1")
    ))
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        consultants
            .entry(r.get("course_id"))
            .or_default()
            .push(Named { id: id(r.get("user_id"))?, name: r.get("name") });
    }
    let mut goals: BTreeMap<String, Vec<GoalId>> = BTreeMap::new();
    let rows = sqlx::query(&format!(
        "SELECT cg.course_id, cg.goal_id FROM course_goals cg JOIN goals g ON g.id = cg.goal_id
         WHERE cg.course_id IN {} ORDER BY cg.course_id, g.position, g.id",
        backend.json_strings("$1")
    ))
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        goals.entry(r.get("course_id")).or_default().push(id(r.get("goal_id"))?);
    }
    let mut statuses: BTreeMap<String, Vec<CourseStatus>> = BTreeMap::new();
    let rows = sqlx::query(&format!(
        "SELECT s.id, s.course_id, s.status_on, s.note, s.by_user, u.name AS by_name
         FROM course_statuses s JOIN users u ON u.id = s.by_user
         WHERE s.course_id IN {} ORDER BY s.course_id, s.status_on, s.recorded_at, s.id",
        backend.json_strings("$1")
    ))
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        statuses.entry(r.get("course_id")).or_default().push(CourseStatus {
            input: CourseStatusInput {
                id: id(r.get("id"))?,
                on: r.get::<String, _>("status_on").parse()?,
                note: CourseStatusNote::try_from(r.get::<String, _>("note"))?,
            },
            by: id(r.get("by_user"))?,
            by_name: r.get("by_name"),
        });
    }
    for course in &mut out {
        let key = course.id.to_string();
        course.consultant_names = consultants.remove(&key).unwrap_or_default();
        course.input.consultants = course.consultant_names.iter().map(|n| n.id).collect();
        course.input.goals = goals.remove(&key).unwrap_or_default();
        course.statuses = statuses.remove(&key).unwrap_or_default();
    }
    Ok(out)
}

fn course_from(r: &AnyRow) -> anyhow::Result<Course> {
    let date = |column: &str| -> anyhow::Result<Date> { Ok(r.get::<String, _>(column).parse()?) };
    let ended = match (r.get::<Option<String>, _>("ended_on"), r.get::<Option<String>, _>("outcome")) {
        (Some(on), Some(outcome)) => Some(CourseEnd {
            on: on.parse()?,
            outcome: Outcome::from_code(&outcome).with_context(|| format!("an unknown outcome {outcome:?}"))?,
            note: Note::try_from(r.get::<String, _>("end_note"))?,
        }),
        _ => None,
    };
    Ok(Course {
        id: id(r.get("id"))?,
        input: CourseInput {
            citizen_id: id(r.get("citizen_id"))?,
            team_id: id(r.get("team_id"))?,
            offer_id: r.get::<Option<String>, _>("offer_id").map(|o| id(&o)).transpose()?,
            started_on: date("started_on")?,
            planned_end_on: date("planned_end_on")?,
            consultants: Vec::new(),
            goals: Vec::new(),
            ended,
        },
        citizen_name: r.get("citizen_name"),
        team_name: r.get("team_name"),
        consultant_names: Vec::new(),
        offer_name: r.get("offer_name"),
        statuses: Vec::new(),
        updated_at: Timestamp::from_millis(r.get("updated_at")),
    })
}

/// Creates or changes course `course` as `input` says (its consultants and
/// goals replaced). Returns whether it was created.
pub async fn upsert(
    conn: &mut Conn,
    course: CourseId,
    input: &CourseInput,
    by: UserId,
    now: Timestamp,
) -> anyhow::Result<bool> {
    let key = course.to_string();
    let (ended_on, outcome, note) = match &input.ended {
        Some(e) => (Some(e.on.to_string()), Some(e.outcome.code()), e.note.as_str().to_owned()),
        None => (None, None, String::new()),
    };
    let updated = sqlx::query(
        "UPDATE courses SET offer_id = $1, started_on = $2, planned_end_on = $3, ended_on = $4, outcome = $5,
                            end_note = $6, updated_at = $7, updated_by = $8
         WHERE id = $9",
    )
    .bind(input.offer_id.map(|o| o.to_string()))
    .bind(input.started_on.to_string())
    .bind(input.planned_end_on.to_string())
    .bind(ended_on.clone())
    .bind(outcome)
    .bind(&note)
    .bind(now.as_millis())
    .bind(by.to_string())
    .bind(&key)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let created = updated == 0;
    if created {
        sqlx::query(
            "INSERT INTO courses (id, citizen_id, team_id, offer_id, started_on, planned_end_on, ended_on, outcome,
                                  end_note, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&key)
        .bind(input.citizen_id.to_string())
        .bind(input.team_id.to_string())
        .bind(input.offer_id.map(|o| o.to_string()))
        .bind(input.started_on.to_string())
        .bind(input.planned_end_on.to_string())
        .bind(ended_on)
        .bind(outcome)
        .bind(&note)
        .bind(now.as_millis())
        .bind(by.to_string())
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM course_consultants WHERE course_id = $1").bind(&key).execute(&mut *conn).await?;
    for (position, user) in input.consultants.iter().enumerate() {
        sqlx::query("INSERT INTO course_consultants (course_id, user_id, position) VALUES ($1, $2, $3)")
            .bind(&key)
            .bind(user.to_string())
            .bind(position as i64)
            .execute(&mut *conn)
            .await?;
    }
    super::replace_links(conn, "course_goals", "course_id", &key, "goal_id", input.goals.iter()).await?;
    Ok(created)
}

/// Adds a half-yearly status to `course` (a status id already kept is the
/// caller's to answer: [`status_course`]).
pub async fn add_status(
    conn: &mut Conn,
    course: CourseId,
    status: &CourseStatusInput,
    by: UserId,
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO course_statuses (id, course_id, status_on, note, by_user, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(status.id.to_string())
    .bind(course.to_string())
    .bind(status.on.to_string())
    .bind(status.note.as_str())
    .bind(by.to_string())
    .bind(now.as_millis())
    .execute(conn)
    .await
    .map(drop)
}

/// The course a status id belongs to, if it is kept.
pub async fn status_course(conn: &mut Conn, status: shared::CourseStatusId) -> sqlx::Result<Option<CourseId>> {
    let course: Option<String> = sqlx::query_scalar("SELECT course_id FROM course_statuses WHERE id = $1")
        .bind(status.to_string())
        .fetch_optional(conn)
        .await?;
    Ok(course.and_then(|c| c.parse().ok()))
}

/// The caseloads of `team`'s active consultants — members who work with
/// citizens (worker, mentor or coordinator); the team's lead alone is not
/// one (issue 15's walk: the youth lead listed at 50 %) — each one's post (half time
/// when none is set) and the citizens of their courses begun by `today`
/// and not ended (in any team), by name. A course ended today frees its
/// place today: a lead who ends one to make room for the next sees it so
/// (issue 15's walk).
pub async fn loads(conn: &mut Conn, team: TeamId, today: Date) -> anyhow::Result<Vec<ConsultantLoad>> {
    let rows = sqlx::query(
        "SELECT u.id, u.name, u.course_post,
                (SELECT COUNT(DISTINCT c.citizen_id) FROM course_consultants cc JOIN courses c ON c.id = cc.course_id
                 WHERE cc.user_id = u.id AND c.started_on <= $2 AND (c.ended_on IS NULL OR c.ended_on > $2)) AS citizens
         FROM team_members m JOIN users u ON u.id = m.user_id
         WHERE m.team_id = $1 AND u.active = 1
           AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ('worker', 'mentor', 'coordinator'))
         ORDER BY u.name, u.id",
    )
    .bind(team.to_string())
    .bind(today.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ConsultantLoad {
                user_id: id(r.get("id"))?,
                name: r.get("name"),
                post: r.get::<Option<i64>, _>("course_post").map(u32::try_from).transpose()?.unwrap_or(DEFAULT_POST),
                citizens: u32::try_from(r.get::<i64, _>("citizens"))?,
            })
        })
        .collect()
}

/// Whether `user` is a consultant, in a consultant team they belong to, on
/// a course of `citizen` running on `today`: seed 002's consultant who
/// decides and delivers for their own citizens.
pub async fn consults(conn: &mut Conn, user: UserId, citizen: CitizenId, today: Date) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM courses c
         JOIN course_consultants cc ON cc.course_id = c.id AND cc.user_id = $1
         JOIN team_members m ON m.team_id = c.team_id AND m.user_id = $1
         JOIN teams t ON t.id = c.team_id AND t.consultant_team = 1
         WHERE c.citizen_id = $2 AND c.started_on <= $3 AND (c.ended_on IS NULL OR c.ended_on >= $3)",
    )
    .bind(user.to_string())
    .bind(citizen.to_string())
    .bind(today.to_string())
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}
