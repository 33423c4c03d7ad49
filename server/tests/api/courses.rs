//! Intensive courses (issue 15, seed 002's citizen-consultant model): the
//! demo's youth team runs ten courses on its half-time consultant; an
//! eleventh is started and its warning shows in the caseload; every bad
//! input refused at its field; who may read and write (the role matrix);
//! a consultant writes grants only for the citizens of their own running
//! courses; half-yearly statuses; the lead's outcomes per team and period;
//! every read and write in the access log.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use shared::course::{CitizenCourses, Course, CoursesResponse, Outcome};
use uuid::Uuid;

use crate::support::{Response, TestApp};

/// The demo's young citizens of the mentor (the youth team's consultant):
/// first the one with no course, then the ten with a running course
/// (newest start first), then the three whose course ended.
async fn youth(app: &TestApp) -> Vec<String> {
    let mut ids: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.citizen_id, COALESCE(MIN(c.started_on), '9999') FROM assignments a
         JOIN users u ON u.id = a.user_id
         LEFT JOIN courses c ON c.citizen_id = a.citizen_id
         WHERE u.username = 'mentor' GROUP BY a.citizen_id",
    )
    .fetch_all(app.pool())
    .await
    .expect("youth");
    // Running courses started 20, 50, … 290 days ago; ended ones 310–340.
    ids.sort_by(|a, b| b.1.cmp(&a.1));
    ids.into_iter().map(|(id, _)| id).collect()
}

async fn team_id(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT id FROM teams WHERE name = 'Ungeteamet'").fetch_one(app.pool()).await.expect("team")
}

async fn put(app: &TestApp, cookie: &str, id: Uuid, body: &Value) -> Response {
    app.call(Method::PUT, &format!("/api/courses/{id}")).csrf().cookie(cookie).json(body).send().await
}

fn fields(res: &Response) -> Vec<(String, String)> {
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text());
    res.error().fields.into_iter().map(|f| (f.field, f.code)).collect()
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

#[tokio::test]
async fn a_consultant_starts_an_eleventh_course_and_the_caseload_warns() {
    let app = TestApp::demo().await;
    let today = app.now().local_date();
    let mentor = app.login("mentor").await;
    let team = team_id(&app).await;
    let sofie = app.user_id("mentor").await;
    let youth = youth(&app).await;
    assert!(youth.len() >= 14, "the demo's mentor has fourteen young citizens");
    let fresh = &youth[0];

    let res = app.get(&format!("/api/citizens/{fresh}/courses")).cookie(&mentor).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let before: CitizenCourses = res.json();
    assert!(before.courses.is_empty() && before.may_write);
    let load = &before.teams[0].consultants.iter().find(|c| c.user_id.to_string() == sofie).expect("Sofie").clone();
    assert_eq!((load.post, load.citizens, load.capacity()), (50, 10, 10), "ten citizens on a half post");
    // The team's lead is a member, not a consultant (issue 15's walk).
    let pia = app.user_id("ungeleder").await;
    assert!(!before.teams[0].consultants.iter().any(|c| c.user_id.to_string() == pia), "the lead is no consultant");
    assert!(load.warning(0).is_none() && load.warning(1).is_some(), "the eleventh warns");

    let body = json!({
        "citizen_id": fresh, "team_id": team, "offer_id": null, "started_on": today.to_string(),
        "planned_end_on": today.add_months(6).to_string(), "consultants": [sofie], "goals": [], "ended": null,
    });
    let id = Uuid::now_v7();
    let res = put(&app, &mentor, id, &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let course: Course = res.json();
    assert_eq!((course.consultants_said().as_str(), course.team_name.as_str()), ("Sofie Lund", "Ungeteamet"));
    let after: CitizenCourses = app.get(&format!("/api/citizens/{fresh}/courses")).cookie(&mentor).send().await.json();
    let load = after.teams[0].consultants.iter().find(|c| c.user_id.to_string() == sofie).expect("Sofie");
    assert_eq!(load.citizens, 11);
    assert!(load.warning(0).expect("over").da.contains("11 borgere"), "the caseload now warns by itself");

    // Ended with an outcome: the lead's figures count it.
    let mut ended = body.clone();
    ended["ended"] = json!({ "on": today.to_string(), "outcome": "in_work", "note": "Fastansat på lageret" });
    let res = put(&app, &mentor, id, &ended).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    // Ended today, it frees its place today: ten again, no warning.
    let after: CitizenCourses = app.get(&format!("/api/citizens/{fresh}/courses")).cookie(&mentor).send().await.json();
    let load = after.teams[0].consultants.iter().find(|c| c.user_id.to_string() == sofie).expect("Sofie");
    assert_eq!(load.citizens, 10, "the course ended today no longer counts");
    assert!(load.warning(0).is_none());
    let lead = app.login("ungeleder").await;
    let from = today.add_days(-365);
    let res = app.get(&format!("/api/courses?from={from}&to={today}")).cookie(&lead).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let figures: CoursesResponse = res.json();
    assert_eq!(figures.teams.len(), 1);
    let outcomes = &figures.outcomes[0];
    assert_eq!((outcomes.running, outcomes.started), (14, 14), "ten running, three ended, the new one");
    let said = outcomes.ended_said().expect("ended ones").da;
    assert_eq!(said, "2 i arbejde, 2 i uddannelse");
    assert!(figures.courses.iter().any(|c| c.input.ended.as_ref().is_some_and(|e| e.outcome == Outcome::InWork)));
    // A period before any course: nothing.
    let res = app.get("/api/courses?from=2020-01-01&to=2020-12-31").cookie(&lead).send().await;
    let none: CoursesResponse = res.json();
    assert!(none.courses.is_empty() && none.outcomes[0].running == 0);
    let res = app.get("/api/courses?from=2026-12-01&to=2026-01-01").cookie(&lead).send().await;
    assert_eq!(fields(&res), [pair("to", "before_start_day")]);
}

#[tokio::test]
async fn every_bad_course_is_refused_at_its_field() {
    let app = TestApp::demo().await;
    let today = app.now().local_date();
    let lead = app.login("ungeleder").await;
    let team = team_id(&app).await;
    let sofie = app.user_id("mentor").await;
    let youth = youth(&app).await;
    let body = |citizen: &str, start: shared::Date, end: shared::Date| {
        json!({ "citizen_id": citizen, "team_id": team, "started_on": start.to_string(),
                "planned_end_on": end.to_string(), "consultants": [sofie] })
    };
    // Past a year: the latest end named.
    let res = put(&app, &lead, Uuid::now_v7(), &body(&youth[0], today, today.add_months(12))).await;
    assert_eq!(fields(&res), [pair("planned_end_on", "course_too_long")]);
    assert!(res.text().contains(&format!("{:02}.", today.add_months(12).add_days(-1).day())), "{}", res.text());
    // Overlapping the citizen's running course (started 20 days ago).
    let res = put(&app, &lead, Uuid::now_v7(), &body(&youth[1], today, today.add_months(3))).await;
    assert_eq!(fields(&res), [pair("started_on", "course_overlaps")]);
    // Ended in the future, before its start; no consultant.
    let mut future = body(&youth[0], today.add_days(-30), today.add_months(3));
    future["ended"] = json!({ "on": today.add_days(1).to_string(), "outcome": "moved" });
    assert_eq!(fields(&put(&app, &lead, Uuid::now_v7(), &future).await), [pair("ended_on", "in_future")]);
    let mut nobody = body(&youth[0], today, today.add_months(3));
    nobody["consultants"] = json!([]);
    nobody["goals"] = json!([Uuid::now_v7()]);
    assert_eq!(
        fields(&put(&app, &lead, Uuid::now_v7(), &nobody).await),
        [pair("goals", "not_found"), pair("consultants", "none_chosen")]
    );
    // A consultant outside the team, and one in it who cannot see the citizen.
    let anne = app.user_id("worker").await;
    let mut outsider = body(&youth[0], today, today.add_months(3));
    outsider["consultants"] = json!([anne]);
    assert_eq!(fields(&put(&app, &lead, Uuid::now_v7(), &outsider).await), [pair("consultants", "unknown_value")]);
    let admin = app.login("admin").await;
    let new_user = Uuid::now_v7();
    let res = app
        .call(Method::PUT, &format!("/api/admin/users/{new_user}"))
        .csrf()
        .cookie(&admin)
        .json(&json!({ "username": "nyansat", "name": "Ny Konsulent", "roles": ["worker"], "team_ids": [team],
                       "active": true, "course_post": 50, "temporary_password": "skift-mig-nu-1" }))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let mut blind = body(&youth[0], today, today.add_months(3));
    blind["consultants"] = json!([new_user]);
    let res = put(&app, &lead, Uuid::now_v7(), &blind).await;
    assert_eq!(fields(&res), [pair("consultants", "cannot_see_citizen")]);
    assert!(res.text().contains("kan ikke se borgeren"), "{}", res.text());
    // A post above a whole one.
    let res = app
        .call(Method::PUT, &format!("/api/admin/users/{new_user}"))
        .csrf()
        .cookie(&admin)
        .json(&json!({ "username": "nyansat", "name": "Ny Konsulent", "roles": ["worker"], "team_ids": [team],
                       "active": true, "course_post": 101 }))
        .send()
        .await;
    assert_eq!(fields(&res), [pair("course_post", "out_of_range")]);
    // A team that is no consultant team.
    let housing: String = sqlx::query_scalar("SELECT id FROM teams WHERE name = 'Bostøtteteamet'")
        .fetch_one(app.pool())
        .await
        .expect("team");
    let mut wrong_team = body(&youth[0], today, today.add_months(3));
    wrong_team["team_id"] = json!(housing);
    assert_eq!(fields(&put(&app, &admin, Uuid::now_v7(), &wrong_team).await)[0], pair("team_id", "unknown_value"));
    // Nothing was written by any of it.
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM courses").fetch_one(app.pool()).await.expect("count");
    assert_eq!(n, 13, "the demo's courses only");
}

#[tokio::test]
async fn who_may_read_and_write_courses_and_a_consultants_grants() {
    let app = TestApp::demo().await;
    let today = app.now().local_date();
    let team = team_id(&app).await;
    let sofie = app.user_id("mentor").await;
    let youth = youth(&app).await;
    let running = youth[1].clone();
    let worker = app.login("worker").await;
    let mentor = app.login("mentor").await;
    let lead = app.login("lead").await;

    // A worker who does not see the citizen reads and writes nothing.
    assert_eq!(
        app.get(&format!("/api/citizens/{running}/courses")).cookie(&worker).send().await.status,
        StatusCode::FORBIDDEN
    );
    let body = json!({ "citizen_id": youth[0], "team_id": team, "started_on": today.to_string(),
                       "planned_end_on": today.add_months(3).to_string(), "consultants": [sofie] });
    assert_eq!(put(&app, &worker, Uuid::now_v7(), &body).await.status, StatusCode::FORBIDDEN);
    // The housing-support lead is in no consultant team: no course list.
    assert_eq!(app.get("/api/courses").cookie(&lead).send().await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/courses").cookie(&worker).send().await.status, StatusCode::FORBIDDEN);
    // The consultant lists her own courses.
    let own: CoursesResponse = app.get("/api/courses").cookie(&mentor).send().await.json();
    assert!(own.courses.iter().all(|c| c.input.consultants.iter().any(|u| u.to_string() == sofie)));

    // The team's lead starts a course on her; she may not take herself
    // off it (a consultant changes only courses she is on, before and after).
    let admin = app.login("admin").await;
    let pia = app.login("ungeleder").await;
    let id = Uuid::now_v7();
    let mut theirs = body.clone();
    theirs["consultants"] = json!([sofie]);
    assert_eq!(put(&app, &pia, id, &theirs).await.status, StatusCode::CREATED);
    let mut off = theirs.clone();
    off["consultants"] = json!([app.user_id("ungeleder").await]);
    assert_eq!(put(&app, &mentor, id, &off).await.status, StatusCode::FORBIDDEN);
    // … and the grants rule: a consultant writes grants for the citizens
    // of her running courses only.
    let employment: String =
        sqlx::query_scalar("SELECT id FROM areas WHERE kind = 'employment'").fetch_one(app.pool()).await.expect("area");
    let grant = |citizen: &str| {
        json!({ "id": Uuid::now_v7(), "citizen_id": citizen, "service": "mentor", "legal_basis": "LAB § 31 b",
                "allowance": { "minutes": 120, "per": "week" },
                "period": { "from": today.add_months(12).to_string(), "to": null }, "payer_area_id": employment })
    };
    let put_grant = |body: Value, cookie: String| {
        let app = &app;
        async move {
            let path = format!("/api/grants/{}", body["id"].as_str().expect("id"));
            app.call(Method::PUT, &path).csrf().cookie(&cookie).json(&body).send().await
        }
    };
    let res = put_grant(grant(&running), mentor.clone()).await;
    assert_eq!(res.status, StatusCode::CREATED, "her own running course's citizen: {}", res.text());
    let ended_course = youth.last().expect("an ended course's citizen");
    assert_eq!(put_grant(grant(ended_course), mentor.clone()).await.status, StatusCode::FORBIDDEN, "an ended course");
    assert_eq!(put_grant(grant(&running), worker.clone()).await.status, StatusCode::FORBIDDEN, "a worker");
    // Taken off the team, she is no consultant of it any more.
    let mentor_team: String = sqlx::query_scalar("SELECT id FROM teams WHERE name = 'Mentorteamet'")
        .fetch_one(app.pool())
        .await
        .expect("team");
    let res = app
        .call(Method::PUT, &format!("/api/admin/users/{sofie}"))
        .csrf()
        .cookie(&admin)
        .json(&json!({ "username": "mentor", "name": "Sofie Lund", "roles": ["mentor"], "team_ids": [mentor_team],
                       "active": true }))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let mentor = app.login("mentor").await;
    assert_eq!(put_grant(grant(&running), mentor).await.status, StatusCode::FORBIDDEN, "out of the team");
}

#[tokio::test]
async fn half_yearly_statuses_are_kept_once_and_every_access_is_logged() {
    let app = TestApp::demo().await;
    let today = app.now().local_date();
    let mentor = app.login("mentor").await;
    let worker = app.login("worker").await;
    let youth = youth(&app).await;
    let running = youth[1].clone();
    let list: CitizenCourses = app.get(&format!("/api/citizens/{running}/courses")).cookie(&mentor).send().await.json();
    let course = &list.courses[0];
    assert_eq!(course.status_due(), Some(course.input.started_on.add_months(6)));
    let path = format!("/api/courses/{}/statuses", course.id);
    let status = |id: Uuid, on: shared::Date| json!({ "id": id, "on": on.to_string(), "note": "Er startet på VUC" });
    let early = app
        .post(&path)
        .csrf()
        .cookie(&mentor)
        .json(&status(Uuid::now_v7(), course.input.started_on.add_days(-1)))
        .send()
        .await;
    assert_eq!(fields(&early), [pair("on", "before_start_day")]);
    let future = app.post(&path).csrf().cookie(&mentor).json(&status(Uuid::now_v7(), today.add_days(1))).send().await;
    assert_eq!(fields(&future), [pair("on", "in_future")]);
    let blank = app
        .post(&path)
        .csrf()
        .cookie(&mentor)
        .json(&json!({ "id": Uuid::now_v7(), "on": today.to_string(), "note": " " }))
        .send()
        .await;
    assert_eq!(fields(&blank), [pair("note", "required")]);
    let id = Uuid::now_v7();
    let res = app.post(&path).csrf().cookie(&mentor).json(&status(id, today)).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let again = app.post(&path).csrf().cookie(&mentor).json(&status(id, today)).send().await;
    assert_eq!(again.status, StatusCode::OK, "a repeated request");
    let course: Course = again.json();
    assert_eq!(course.statuses.len(), 1);
    assert_eq!(course.status_due(), Some(today.add_months(6)));
    assert_eq!(
        app.post(&path).csrf().cookie(&worker).json(&status(Uuid::now_v7(), today)).send().await.status,
        StatusCode::FORBIDDEN
    );
    let logged: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT action, purpose, detail FROM access_log WHERE citizen_id = $1 AND user_id = (SELECT id FROM users WHERE username = 'mentor') ORDER BY at, action",
    )
    .bind(&running)
    .fetch_all(app.pool())
    .await
    .expect("log");
    assert!(logged.contains(&("read".into(), "oversight".into(), Some("course".into()))), "{logged:?}");
    assert!(logged.iter().any(|(a, _, _)| a == "change"), "the status is a change: {logged:?}");
}

/// Issue 15: a goal's efforts name the citizen's courses (the plan shows
/// each goal's courses) and a grant names the offer of the catalogue it
/// is for. A course of another citizen or none at all is refused at
/// `efforts`; an offer that does not exist at `offer_id`, and nothing is
/// written.
#[tokio::test]
async fn a_goal_names_its_citizens_course_and_a_grant_its_offer() {
    use shared::sync::Outcome;
    let app = TestApp::demo().await;
    let today = app.now().local_date();
    let youth = youth(&app).await;
    let (running, other) = (youth[1].clone(), youth[2].clone());
    let mentor = app.login("mentor").await;
    let course_of = |citizen: String| {
        let (app, mentor) = (&app, mentor.clone());
        async move {
            let list: CitizenCourses =
                app.get(&format!("/api/citizens/{citizen}/courses")).cookie(&mentor).send().await.json();
            list.courses[0].id
        }
    };
    let (own, theirs) = (course_of(running.clone()).await, course_of(other).await);
    let goal_count = || async {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM goals WHERE citizen_id = $1")
            .bind(&running)
            .fetch_one(app.pool())
            .await
            .expect("goals");
        n
    };
    let before = goal_count().await;
    let mut phone = crate::sync::Phone::new(&app, "mentor").await;
    let goal = |effort: String| {
        json!({ "type": "goal_save", "base": null, "goal": {
            "id": Uuid::now_v7(), "citizen_id": running, "citizen_wording": "Jeg vil i gang med en uddannelse",
            "professional_wording": "", "areas": [], "efforts": [{ "type": "course", "id": effort }],
            "target_date": null, "status": "active", "position": 1 } })
    };
    let bodies = vec![
        phone.mutation(goal(own.to_string())),
        phone.mutation(goal(theirs.to_string())),
        phone.mutation(goal(Uuid::now_v7().to_string())),
    ];
    let results = phone.push(&bodies).await.results;
    assert!(matches!(results[0].outcome, Outcome::Applied), "{:?}", results[0].outcome);
    for refused in &results[1..] {
        match &refused.outcome {
            Outcome::Rejected { code, field, .. } => {
                assert_eq!((code.as_str(), field.as_deref()), ("not_found", Some("efforts")))
            }
            other => panic!("another citizen's course, or none, must be refused: {other:?}"),
        }
    }
    assert_eq!(goal_count().await, before + 1, "only the goal naming the citizen's own course");

    // The grant of her course's citizen names an offer. The grant form
    // needs the areas (the payer): a consultant reads them, and her own
    // teams (session 16: the form waited for them for ever).
    let org: shared::report::OrgResponse = app.get("/api/org").cookie(&mentor).send().await.json();
    assert!(org.areas.len() >= 2, "{:?}", org.areas);
    assert!(org.teams.iter().any(|t| t.name.as_str() == "Ungeteamet"), "{:?}", org.teams);
    let offer: String = sqlx::query_scalar("SELECT id FROM offers ORDER BY name LIMIT 1")
        .fetch_one(app.pool())
        .await
        .expect("an offer");
    let employment: String =
        sqlx::query_scalar("SELECT id FROM areas WHERE kind = 'employment'").fetch_one(app.pool()).await.expect("area");
    let grant = |offer: &str| {
        json!({ "id": Uuid::now_v7(), "citizen_id": running, "service": "mentor", "legal_basis": "LAB § 31 b",
                "allowance": { "minutes": 120, "per": "week" },
                "period": { "from": today.add_months(12).to_string(), "to": null }, "payer_area_id": employment,
                "offer_id": offer })
    };
    let put_grant = |body: Value| {
        let (app, mentor) = (&app, mentor.clone());
        async move {
            let path = format!("/api/grants/{}", body["id"].as_str().expect("id"));
            app.call(Method::PUT, &path).csrf().cookie(&mentor).json(&body).send().await
        }
    };
    let unknown = put_grant(grant(&Uuid::now_v7().to_string())).await;
    assert_eq!(fields(&unknown), [pair("offer_id", "not_found")]);
    let body = grant(&offer);
    let res = put_grant(body.clone()).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let stored: Option<String> = sqlx::query_scalar("SELECT offer_id FROM grants WHERE id = $1")
        .bind(body["id"].as_str().expect("id"))
        .fetch_one(app.pool())
        .await
        .expect("the grant");
    assert_eq!(stored, Some(offer));
    let grants: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM grants WHERE citizen_id = $1 AND valid_from > $2")
        .bind(&running)
        .bind(today.to_string())
        .fetch_one(app.pool())
        .await
        .expect("grants");
    assert_eq!(grants, 1, "the refused grant wrote nothing");
}
