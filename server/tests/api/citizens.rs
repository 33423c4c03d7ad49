use std::collections::BTreeSet;

use axum::http::StatusCode;
use shared::api::ListCitizensResponse;

use crate::support::TestApp;

async fn names(app: &TestApp, username: &str) -> BTreeSet<String> {
    let cookie = app.login(username).await;
    let res = app.get("/api/citizens").cookie(&cookie).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let list: ListCitizensResponse = res.json();
    list.citizens.into_iter().map(|c| c.name.to_string()).collect()
}

/// Citizens with an assignment to `username` valid today, straight from the database.
async fn assigned(app: &TestApp, username: &str) -> BTreeSet<String> {
    let today = app.now().local_date().to_string();
    sqlx::query_scalar(
        "SELECT c.name FROM citizens c JOIN assignments a ON a.citizen_id = c.id JOIN users u ON u.id = a.user_id
         WHERE u.username = $1 AND a.valid_from <= $2 AND (a.valid_to IS NULL OR a.valid_to >= $3)",
    )
    .bind(username)
    .bind(&today)
    .bind(&today)
    .fetch_all(app.pool())
    .await
    .expect("query")
    .into_iter()
    .collect()
}

#[tokio::test]
async fn a_worker_sees_exactly_their_assigned_citizens() {
    let app = TestApp::demo().await;
    for user in ["worker", "worker2", "mentor"] {
        let seen = names(&app, user).await;
        let expected = assigned(&app, user).await;
        assert!(!expected.is_empty(), "{user} has citizens in the demo");
        assert_eq!(seen, expected, "{user}");
    }
    let worker = names(&app, "worker").await;
    let worker2 = names(&app, "worker2").await;
    assert!(worker.is_disjoint(&worker2), "a worker never sees another worker's citizens");
}

#[tokio::test]
async fn the_list_is_sorted_by_name() {
    let app = TestApp::demo().await;
    let cookie = app.login("admin").await;
    let list: ListCitizensResponse = app.get("/api/citizens").cookie(&cookie).send().await.json();
    let names: Vec<_> = list.citizens.iter().map(|c| c.name.to_string()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[tokio::test]
async fn an_ended_or_future_assignment_gives_no_access() {
    let app = TestApp::demo().await;
    let before = names(&app, "worker").await;
    let victim = before.iter().next().expect("one citizen").clone();
    let yesterday = app.now().local_date().add_days(-1).to_string();
    sqlx::query(
        "UPDATE assignments SET valid_to = $1 WHERE citizen_id = (SELECT id FROM citizens WHERE name = $2)
           AND user_id = (SELECT id FROM users WHERE username = 'worker')",
    )
    .bind(&yesterday)
    .bind(&victim)
    .execute(app.pool())
    .await
    .expect("end assignment");
    let after = names(&app, "worker").await;
    assert!(!after.contains(&victim));
    assert_eq!(after.len(), before.len() - 1);

    let tomorrow = app.now().local_date().add_days(1).to_string();
    sqlx::query("UPDATE assignments SET valid_from = $1, valid_to = NULL WHERE citizen_id = (SELECT id FROM citizens WHERE name = $2)")
        .bind(&tomorrow)
        .bind(&victim)
        .execute(app.pool())
        .await
        .expect("future assignment");
    assert!(!names(&app, "worker").await.contains(&victim), "not before it starts");
}

#[tokio::test]
async fn a_lead_sees_their_teams_citizens_and_an_admin_sees_all() {
    let app = TestApp::demo().await;
    let team: BTreeSet<_> = assigned(&app, "worker").await.union(&assigned(&app, "worker2").await).cloned().collect();
    assert_eq!(names(&app, "lead").await, team, "the lead of Bostøtteteamet");
    let all: Vec<String> = sqlx::query_scalar("SELECT name FROM citizens").fetch_all(app.pool()).await.expect("all");
    assert_eq!(names(&app, "admin").await, all.into_iter().collect());
    let coordinated: BTreeSet<String> = sqlx::query_scalar(
        "SELECT c.name FROM citizens c JOIN users u ON u.id = c.coordinator_id WHERE u.username = 'coordinator'",
    )
    .fetch_all(app.pool())
    .await
    .expect("coordinated")
    .into_iter()
    .collect();
    assert!(!coordinated.is_empty());
    assert_eq!(names(&app, "coordinator").await, coordinated);
}

#[tokio::test]
async fn citizens_need_a_login() {
    let app = TestApp::demo().await;
    let res = app.get("/api/citizens").send().await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_deactivated_user_loses_access_at_once() {
    let app = TestApp::demo().await;
    let cookie = app.login("worker").await;
    sqlx::query("UPDATE users SET active = 0 WHERE username = 'worker'").execute(app.pool()).await.expect("deactivate");
    assert_eq!(app.get("/api/citizens").cookie(&cookie).send().await.status, StatusCode::UNAUTHORIZED);
    let res = app.post("/api/session").json(&crate::support::login_body("worker", "demo1234")).send().await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}
