//! Administration against the real router and a real database: setting up
//! a team, a worker with a temporary password and a citizen; who may do
//! what; refusals that name the field and change nothing.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use shared::admin::{AdminDirectory, AdminUser};
use shared::api::{ListCitizensResponse, MeResponse};
use uuid::Uuid;

use crate::support::{Response, TestApp, login_body};

async fn put(app: &TestApp, cookie: &str, path: &str, body: Value) -> Response {
    app.call(Method::PUT, path).csrf().cookie(cookie).json(&body).send().await
}

fn field_codes(res: &Response) -> Vec<(String, String)> {
    res.error().fields.into_iter().map(|f| (f.field, f.code)).collect()
}

fn one(field: &str, code: &str) -> Vec<(String, String)> {
    vec![(field.to_owned(), code.to_owned())]
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(app.pool()).await.expect("count")
}

async fn directory(app: &TestApp, cookie: &str) -> AdminDirectory {
    let res = app.get("/api/admin").cookie(cookie).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.json()
}

fn user_body(username: &str, team: &str, password: Option<&str>, active: bool) -> Value {
    let mut body = json!({
        "username": username, "name": "Anne Berg", "roles": ["worker"], "team_ids": [team], "active": active,
    });
    if let Some(p) = password {
        body["temporary_password"] = json!(p);
    }
    body
}

fn citizen_body(external_id: Option<&str>) -> Value {
    json!({
        "name": "Mette Holm", "birth": {"date": "1988-03-12"}, "benefit_type": "cash_benefit",
        "coordinator_id": null, "external_id": external_id,
    })
}

#[tokio::test]
async fn an_admin_sets_up_a_team_a_worker_and_a_citizen_whom_the_worker_then_sees() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;

    // An area: created, written again to the same id (a retry), and its
    // name is unique.
    let area = Uuid::now_v7().to_string();
    let body = json!({ "name": "Børn og Unge", "kind": "children_youth" });
    let res = put(&app, &admin, &format!("/api/admin/areas/{area}"), body.clone()).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(put(&app, &admin, &format!("/api/admin/areas/{area}"), body.clone()).await.status, StatusCode::OK);
    let res = put(&app, &admin, &format!("/api/admin/areas/{}", Uuid::now_v7()), body).await;
    assert_eq!(field_codes(&res), one("name", "taken"));

    // A team in it.
    let team = Uuid::now_v7().to_string();
    let res =
        put(&app, &admin, &format!("/api/admin/teams/{team}"), json!({ "name": "Ungeteamet", "area_id": area })).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = put(
        &app,
        &admin,
        &format!("/api/admin/teams/{}", Uuid::now_v7()),
        json!({ "name": "Ungeteamet", "area_id": area }),
    )
    .await;
    assert_eq!(field_codes(&res), one("name", "taken"));
    let res = put(
        &app,
        &admin,
        &format!("/api/admin/teams/{}", Uuid::now_v7()),
        json!({ "name": "X", "area_id": Uuid::now_v7() }),
    )
    .await;
    assert_eq!(field_codes(&res), one("area_id", "not_found"));

    // A worker with a temporary password: every refusal names its field.
    let user = Uuid::now_v7().to_string();
    let path = format!("/api/admin/users/{user}");
    let res = put(&app, &admin, &path, user_body("anne", &team, None, true)).await;
    assert_eq!(field_codes(&res), one("temporary_password", "required"));
    let res = put(&app, &admin, &path, user_body("anne", &team, Some("kort"), true)).await;
    assert_eq!(field_codes(&res), one("temporary_password", "too_short"));
    let res = put(&app, &admin, &path, user_body("worker", &team, Some("skift-mig-nu-1"), true)).await;
    assert_eq!(field_codes(&res), one("username", "taken"));
    let res =
        put(&app, &admin, &path, user_body("anne", &Uuid::now_v7().to_string(), Some("skift-mig-nu-1"), true)).await;
    assert_eq!(field_codes(&res), one("team_ids[0]", "not_found"));
    let users_before = count(&app, "users").await;
    let res = put(&app, &admin, &path, user_body("anne", &team, Some("skift-mig-nu-1"), true)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let written: AdminUser = res.json();
    assert!(written.must_change_password && written.active);
    assert_eq!(written.team_ids.iter().map(|t| t.to_string()).collect::<Vec<_>>(), [team.as_str()]);
    assert_eq!(count(&app, "users").await, users_before + 1, "the refusals wrote nothing");

    // Anne logs in with it and must choose her own before anything else.
    let res = app.post("/api/session").json(&login_body("anne", "skift-mig-nu-1")).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let anne = res.session_cookie().expect("cookie");
    assert!(res.json::<MeResponse>().must_change_password);
    let res = app.get("/api/citizens").cookie(&anne).send().await;
    assert_eq!((res.status, res.error().code.as_str()), (StatusCode::FORBIDDEN, "password_change_required"));
    let change = |current: &str, new: &str| json!({ "current_password": current, "new_password": new });
    let res = app
        .post("/api/me/password")
        .csrf()
        .cookie(&anne)
        .json(&change("forkert-kode-1", "annes-egen-kode"))
        .send()
        .await;
    assert_eq!(field_codes(&res), one("current_password", "unknown_value"));
    let res = app.post("/api/me/password").csrf().cookie(&anne).json(&change("skift-mig-nu-1", "kort")).send().await;
    assert_eq!(field_codes(&res), one("new_password", "too_short"));
    let res = app
        .post("/api/me/password")
        .csrf()
        .cookie(&anne)
        .json(&change("skift-mig-nu-1", "annes-egen-kode"))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(!res.json::<MeResponse>().must_change_password);
    let res = app.get("/api/citizens").cookie(&anne).send().await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.json::<ListCitizensResponse>().citizens.is_empty());

    // A citizen with a case id, assigned to Anne: she sees them.
    let citizen = Uuid::now_v7().to_string();
    let res = put(&app, &admin, &format!("/api/admin/citizens/{citizen}"), citizen_body(Some("SAG-1"))).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = put(&app, &admin, &format!("/api/admin/citizens/{}", Uuid::now_v7()), citizen_body(Some("SAG-1"))).await;
    assert_eq!(field_codes(&res), one("external_id", "taken"));
    let assignment = Uuid::now_v7().to_string();
    let body = json!({ "citizen_id": citizen, "user_id": user, "period": { "from": "2026-11-01", "to": null } });
    let res = put(&app, &admin, &format!("/api/admin/assignments/{assignment}"), body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let seen = app.get("/api/citizens").cookie(&anne).send().await.json::<ListCitizensResponse>();
    assert_eq!(seen.citizens.iter().map(|c| c.id.to_string()).collect::<Vec<_>>(), [citizen.as_str()]);
    // The assignment is Anne's with Mette; moving it to someone else is
    // refused (end it and make a new one), and an unknown user is named.
    let worker: String =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'worker'").fetch_one(app.pool()).await.expect("user");
    let moved =
        |user: &str| json!({ "citizen_id": citizen, "user_id": user, "period": { "from": "2026-11-01", "to": null } });
    let res = put(&app, &admin, &format!("/api/admin/assignments/{assignment}"), moved(&worker)).await;
    assert_eq!(field_codes(&res), one("user_id", "invalid_format"));
    let res =
        put(&app, &admin, &format!("/api/admin/assignments/{assignment}"), moved(&Uuid::now_v7().to_string())).await;
    assert_eq!(field_codes(&res), one("user_id", "not_found"));

    let listed = directory(&app, &admin).await;
    assert!(listed.users.iter().any(|u| u.id.to_string() == user && !u.must_change_password));
    assert!(listed.citizens.iter().any(|c| c.id.to_string() == citizen && c.input.external_id.is_some()));
    assert!(listed.assignments.iter().any(|a| a.id.to_string() == assignment));

    // Deactivated: her session ends at once, and she cannot log in.
    let res = put(&app, &admin, &path, user_body("anne", &team, None, false)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(app.get("/api/me").cookie(&anne).send().await.status, StatusCode::UNAUTHORIZED);
    let res = app.post("/api/session").json(&login_body("anne", "annes-egen-kode")).send().await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn only_admins_administer_and_leads_assign_within_their_teams() {
    let app = TestApp::demo().await;
    let id = || Uuid::now_v7().to_string();
    let housing: String = sqlx::query_scalar("SELECT id FROM teams WHERE name = 'Bostøtteteamet'")
        .fetch_one(app.pool())
        .await
        .expect("team");
    let social: String =
        sqlx::query_scalar("SELECT id FROM areas WHERE kind = 'social'").fetch_one(app.pool()).await.expect("area");
    let worker2: String = sqlx::query_scalar("SELECT id FROM users WHERE username = 'worker2'")
        .fetch_one(app.pool())
        .await
        .expect("user");
    let mentor: String =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'mentor'").fetch_one(app.pool()).await.expect("user");
    // A citizen the lead sees (assigned to the housing team's worker).
    let seen: String = sqlx::query_scalar(
        "SELECT a.citizen_id FROM assignments a JOIN users u ON u.id = a.user_id WHERE u.username = 'worker' LIMIT 1",
    )
    .fetch_one(app.pool())
    .await
    .expect("citizen");
    let writes: Vec<(String, Value)> = vec![
        (format!("/api/admin/areas/{}", id()), json!({ "name": "Nyt område", "kind": "social" })),
        (format!("/api/admin/teams/{}", id()), json!({ "name": "Nyt team", "area_id": social })),
        (format!("/api/admin/users/{}", id()), user_body("nyansat", &housing, Some("skift-mig-nu-1"), true)),
        (format!("/api/admin/citizens/{}", id()), citizen_body(None)),
    ];
    for username in ["worker", "mentor", "coordinator", "lead"] {
        let cookie = app.login(username).await;
        for (path, body) in &writes {
            let res = put(&app, &cookie, path, body.clone()).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{username} PUT {path}: {}", res.text());
        }
        let expected = if username == "lead" { StatusCode::OK } else { StatusCode::FORBIDDEN };
        assert_eq!(app.get("/api/admin").cookie(&cookie).send().await.status, expected, "{username} GET /api/admin");
    }
    let admin = app.login("admin").await;
    for (path, body) in &writes {
        let res = put(&app, &admin, path, body.clone()).await;
        assert_eq!(res.status, StatusCode::CREATED, "admin PUT {path}: {}", res.text());
    }

    // The lead lists their team's people only, and assigns them only.
    let lead = app.login("lead").await;
    let listed = directory(&app, &lead).await;
    let names: Vec<&str> = listed.users.iter().map(|u| u.username.as_str()).collect();
    assert!(names.contains(&"worker2") && names.contains(&"nyansat") && !names.contains(&"mentor"), "{names:?}");
    assert!(listed.citizens.iter().all(|c| listed.assignments.iter().any(|a| a.citizen_id == c.id)));
    let assign =
        |user: &str| json!({ "citizen_id": seen, "user_id": user, "period": { "from": "2026-11-01", "to": null } });
    let res = put(&app, &lead, &format!("/api/admin/assignments/{}", id()), assign(&worker2)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let res = put(&app, &lead, &format!("/api/admin/assignments/{}", id()), assign(&mentor)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "another team's member");
    for username in ["worker", "coordinator"] {
        let cookie = app.login(username).await;
        let res = put(&app, &cookie, &format!("/api/admin/assignments/{}", id()), assign(&worker2)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{username} assigns");
    }
}

#[tokio::test]
async fn refusals_that_protect_what_depends_on_a_record() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let me = app.get("/api/me").cookie(&admin).send().await.json::<MeResponse>();
    // Nobody removes the last way in.
    let body =
        json!({ "username": "admin", "name": "Birgitte Holm", "roles": ["lead"], "team_ids": [], "active": true });
    let res = put(&app, &admin, &format!("/api/admin/users/{}", me.id), body).await;
    assert_eq!((res.status, res.error().code.as_str()), (StatusCode::CONFLICT, "own_admin"));
    // An area's kind is what the payer rule reads.
    let (social, name): (String, String) =
        sqlx::query_as("SELECT id, name FROM areas WHERE kind = 'social'").fetch_one(app.pool()).await.expect("area");
    let res =
        put(&app, &admin, &format!("/api/admin/areas/{social}"), json!({ "name": name, "kind": "employment" })).await;
    assert_eq!((res.status, res.error().code.as_str()), (StatusCode::CONFLICT, "area_in_use"));
    // A team stays in its area.
    let (housing, employment): (String, String) = sqlx::query_as(
        "SELECT t.id, (SELECT id FROM areas WHERE kind = 'employment') FROM teams t WHERE t.name = 'Bostøtteteamet'",
    )
    .fetch_one(app.pool())
    .await
    .expect("team");
    let res = put(
        &app,
        &admin,
        &format!("/api/admin/teams/{housing}"),
        json!({ "name": "Bostøtteteamet", "area_id": employment }),
    )
    .await;
    assert_eq!((res.status, res.error().code.as_str()), (StatusCode::CONFLICT, "team_area_fixed"));
    // Hostile or broken input: the field is named and nothing changes.
    let citizens = count(&app, "citizens").await;
    let path = format!("/api/admin/citizens/{}", Uuid::now_v7());
    let mut long = citizen_body(None);
    long["name"] = json!("x".repeat(101));
    assert_eq!(field_codes(&put(&app, &admin, &path, long).await), one("name", "too_long"));
    let mut wrong = citizen_body(None);
    wrong["birth"] = json!({ "year": "nitten firs" });
    assert_eq!(field_codes(&put(&app, &admin, &path, wrong).await), one("birth.year", "invalid_format"));
    let mut unborn = citizen_body(None);
    unborn["birth"] = json!({ "date": "2026-12-24" });
    assert_eq!(field_codes(&put(&app, &admin, &path, unborn).await), one("birth", "in_future"));
    let mut bad_date = citizen_body(None);
    bad_date["birth"] = json!({ "date": "1988-02-30" });
    assert_eq!(field_codes(&put(&app, &admin, &path, bad_date).await), one("birth.date", "invalid_format"));
    let mut unknown = citizen_body(None);
    unknown["coordinator_id"] = json!(Uuid::now_v7());
    assert_eq!(field_codes(&put(&app, &admin, &path, unknown).await), one("coordinator_id", "not_found"));
    let res = put(&app, &admin, "/api/admin/citizens/not-a-uuid", citizen_body(None)).await;
    assert_eq!(field_codes(&res), one("id", "invalid_format"));
    assert_eq!(count(&app, "citizens").await, citizens);
}

#[tokio::test]
async fn an_assignment_not_yet_begun_is_removed_one_that_has_run_is_ended() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let (citizen, worker2): (String, String) = sqlx::query_as(
        "SELECT (SELECT citizen_id FROM assignments LIMIT 1), (SELECT id FROM users WHERE username = 'worker2')",
    )
    .fetch_one(app.pool())
    .await
    .expect("ids");
    let today = app.now().local_date().to_string();
    let fresh = Uuid::now_v7().to_string();
    let body = json!({ "citizen_id": citizen, "user_id": worker2, "period": { "from": today, "to": null } });
    assert_eq!(put(&app, &admin, &format!("/api/admin/assignments/{fresh}"), body).await.status, StatusCode::CREATED);
    let worker = app.login("worker").await;
    let res = app.delete(&format!("/api/admin/assignments/{fresh}")).csrf().cookie(&worker).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.delete(&format!("/api/admin/assignments/{fresh}")).csrf().cookie(&admin).send().await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text());
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM assignments WHERE id = $1")
        .bind(&fresh)
        .fetch_one(app.pool())
        .await
        .expect("count");
    assert_eq!(left, 0);
    let res = app.delete(&format!("/api/admin/assignments/{fresh}")).csrf().cookie(&admin).send().await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // The demo's assignments began months ago: they are ended, not removed.
    let old: String = sqlx::query_scalar("SELECT id FROM assignments WHERE valid_from < $1 LIMIT 1")
        .bind(&today)
        .fetch_one(app.pool())
        .await
        .expect("an old assignment");
    let res = app.delete(&format!("/api/admin/assignments/{old}")).csrf().cookie(&admin).send().await;
    assert_eq!((res.status, res.error().code.as_str()), (StatusCode::CONFLICT, "assignment_has_run"));
}

#[tokio::test]
async fn a_deactivated_workers_phone_hands_in_its_work_and_is_then_told_to_wipe() {
    let app = TestApp::demo().await;
    let mut phone = crate::sync::Phone::new(&app, "worker").await;
    phone.pull().await;
    let worker_cookie = app.login("worker").await;

    // The admin deactivates the worker while the phone has a visit waiting.
    let admin = app.login("admin").await;
    let listed = directory(&app, &admin).await;
    let worker = listed.users.iter().find(|u| u.username.as_str() == "worker").expect("worker");
    let body = json!({ "username": "worker", "name": worker.name, "roles": worker.roles, "team_ids": worker.team_ids, "active": false });
    let res = put(&app, &admin, &format!("/api/admin/users/{}", worker.id), body.clone()).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());

    // Every session ends at once for everything…
    let res = app.get("/api/citizens").cookie(&worker_cookie).send().await;
    assert_eq!((res.status, res.error().code.as_str()), (StatusCode::UNAUTHORIZED, "account_deactivated"));
    let res = app.post("/api/session").json(&login_body("worker", "demo1234")).send().await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    // …except handing in what the phone did before: it is kept.
    let citizen = crate::sync::citizen_of(&app, "worker").await;
    let id = Uuid::now_v7();
    let m = phone.mutation(crate::sync::save(crate::sync::visit(
        id,
        citizen,
        "2026-11-20T09:00:00Z",
        "2026-11-20T10:00:00Z",
        "Før deaktiveringen",
    )));
    let pushed = phone.push(&[m]).await;
    assert_eq!(pushed.last_mutation_id, 1);
    assert!(matches!(pushed.results[0].outcome, shared::sync::Outcome::Applied), "{pushed:?}");
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(app.pool())
        .await
        .expect("count");
    assert_eq!(kept, 1);
    // Then the pull tells the phone to wipe.
    let res = phone.pull_raw(None).await;
    assert_eq!((res.status, res.error().code.as_str()), (StatusCode::UNAUTHORIZED, "account_deactivated"));

    // Reactivated, the old sessions do not come back: a fresh login.
    let mut again = body;
    again["active"] = json!(true);
    assert_eq!(put(&app, &admin, &format!("/api/admin/users/{}", worker.id), again).await.status, StatusCode::OK);
    let res = app.get("/api/citizens").cookie(&worker_cookie).send().await;
    assert_eq!((res.status, res.error().code.as_str()), (StatusCode::UNAUTHORIZED, "unauthenticated"));
    assert_eq!(
        app.post("/api/session").json(&login_body("worker", "demo1234")).send().await.status,
        StatusCode::CREATED
    );
}
