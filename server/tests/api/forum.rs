//! The monthly sparring forum (issue 16, seed 000): a lead plans sessions;
//! staff put a citizen they may see on a coming session with a question;
//! the minutes give the case an outcome and a follow-up owner who may see
//! the citizen; the citizen's page lists the discussions for those who may
//! see the citizen, and the forum's page leaves the name out for others.

use axum::http::{Method, StatusCode};
use serde_json::json;
use shared::forum::{CitizenForum, ForumCase, ForumResponse};
use uuid::Uuid;

use crate::support::{Response, TestApp};

async fn put(app: &TestApp, cookie: &str, path: &str, body: serde_json::Value) -> Response {
    app.call(Method::PUT, path).csrf().cookie(cookie).json(&body).send().await
}

fn refused(res: &Response) -> Vec<(String, String)> {
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text());
    res.error().fields.into_iter().map(|f| (f.field, f.code)).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(f, c)| ((*f).to_owned(), (*c).to_owned())).collect()
}

/// A citizen `worker` works with today and `worker2` does not.
async fn workers_own(app: &TestApp) -> String {
    sqlx::query_scalar(
        "SELECT a.citizen_id FROM assignments a JOIN users u ON u.id = a.user_id
         WHERE u.username = 'worker' AND a.valid_to IS NULL
           AND NOT EXISTS (SELECT 1 FROM assignments b JOIN users v ON v.id = b.user_id
                           WHERE b.citizen_id = a.citizen_id AND v.username = 'worker2')
           AND NOT EXISTS (SELECT 1 FROM citizens c JOIN users w ON w.id = c.coordinator_id
                           WHERE c.id = a.citizen_id AND w.username = 'worker2')
         ORDER BY a.citizen_id LIMIT 1",
    )
    .fetch_one(app.pool())
    .await
    .expect("a citizen of worker's only")
}

#[tokio::test]
async fn cases_go_on_a_session_get_their_minutes_and_show_to_those_who_may_see_them() {
    let app = TestApp::demo().await;
    let (lead, worker, worker2) = (app.login("lead").await, app.login("worker").await, app.login("worker2").await);
    let citizen = workers_own(&app).await;

    // Sessions: a lead plans them; not in the past, one a day.
    let (today, next) = (Uuid::now_v7(), Uuid::now_v7());
    assert_eq!(
        put(&app, &worker, &format!("/api/forum/sessions/{next}"), json!({ "on": "2026-11-30" })).await.status,
        StatusCode::FORBIDDEN
    );
    let past = put(&app, &lead, &format!("/api/forum/sessions/{next}"), json!({ "on": "2026-11-01" })).await;
    assert_eq!(refused(&past), pairs(&[("on", "in_past")]));
    assert_eq!(
        put(&app, &lead, &format!("/api/forum/sessions/{next}"), json!({ "on": "2026-11-30" })).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        put(&app, &lead, &format!("/api/forum/sessions/{today}"), json!({ "on": "2026-11-23" })).await.status,
        StatusCode::CREATED
    );
    let twice =
        put(&app, &lead, &format!("/api/forum/sessions/{}", Uuid::now_v7()), json!({ "on": "2026-11-30" })).await;
    assert_eq!(refused(&twice), pairs(&[("on", "taken")]));

    // A case: the worker's own citizen; a retry is the same case; someone
    // else's citizen and an unknown session are refused at their fields.
    let case = Uuid::now_v7();
    let body = json!({ "session_id": today, "citizen_id": citizen, "question": "Hvordan får vi jobcentret med?" });
    assert_eq!(put(&app, &worker, &format!("/api/forum/cases/{case}"), body.clone()).await.status, StatusCode::CREATED);
    assert_eq!(put(&app, &worker, &format!("/api/forum/cases/{case}"), body).await.status, StatusCode::OK);
    let theirs = json!({ "session_id": Uuid::now_v7(), "citizen_id": citizen, "question": "" });
    let res = put(&app, &worker2, &format!("/api/forum/cases/{}", Uuid::now_v7()), theirs).await;
    assert_eq!(refused(&res), pairs(&[("question", "required")]), "the shape first");
    let theirs = json!({ "session_id": Uuid::now_v7(), "citizen_id": citizen, "question": "Må jeg?" });
    let res = put(&app, &worker2, &format!("/api/forum/cases/{}", Uuid::now_v7()), theirs).await;
    assert_eq!(refused(&res), pairs(&[("session_id", "not_found"), ("citizen_id", "cannot_see_citizen")]));

    // The forum's page names the citizen to those who may see them only.
    let mine: ForumResponse = app.get("/api/forum").cookie(&worker).send().await.json();
    assert_eq!(
        mine.cases_of(today.to_string().parse().expect("id"))[0].citizen.as_ref().map(|c| c.id.to_string()),
        Some(citizen.clone())
    );
    let other: ForumResponse = app.get("/api/forum").cookie(&worker2).send().await.json();
    assert_eq!(other.cases.len(), 1);
    assert!(other.cases[0].citizen.is_none(), "the question without the name");
    assert!(!other.may_plan && app.get("/api/forum").cookie(&lead).send().await.json::<ForumResponse>().may_plan);

    // The minutes: the owner must see the citizen; a due day needs an owner.
    let path = format!("/api/forum/cases/{case}/outcome");
    let owner2 = app.user_id("worker2").await;
    let res = put(
        &app,
        &worker,
        &path,
        json!({ "outcome": "Fælles samtale", "follow_up_owner": owner2, "follow_up_due": "2026-12-15" }),
    )
    .await;
    assert_eq!(refused(&res), pairs(&[("follow_up_owner", "cannot_see_citizen")]));
    let res = put(&app, &worker, &path, json!({ "outcome": "Fælles samtale", "follow_up_due": "2026-11-01" })).await;
    assert_eq!(refused(&res), pairs(&[("follow_up_owner", "required"), ("follow_up_due", "end_before_start")]));
    assert_eq!(put(&app, &worker2, &path, json!({ "outcome": "Nej" })).await.status, StatusCode::FORBIDDEN);
    let owner = app.user_id("worker").await;
    let res = put(
        &app,
        &worker,
        &path,
        json!({ "outcome": "Fælles samtale med jobcentret", "follow_up_owner": owner, "follow_up_due": "2026-12-15" }),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let written: ForumCase = res.json();
    assert_eq!(
        written.outcome.as_ref().and_then(|o| o.follow_up_owner.as_ref()).map(|o| o.name.as_str()),
        Some("Anne Kjær")
    );

    // Minutes before the session's day are refused.
    let later = Uuid::now_v7();
    let body = json!({ "session_id": next, "citizen_id": citizen, "question": "Og så?" });
    assert_eq!(put(&app, &worker, &format!("/api/forum/cases/{later}"), body).await.status, StatusCode::CREATED);
    let early =
        put(&app, &worker, &format!("/api/forum/cases/{later}/outcome"), json!({ "outcome": "For tidligt" })).await;
    assert_eq!(refused(&early), pairs(&[("outcome", "not_held")]));

    // The citizen's page: the discussions, newest session first.
    let res = app.get(&format!("/api/citizens/{citizen}/forum")).cookie(&worker).send().await;
    let listed: CitizenForum = res.json();
    assert_eq!(listed.cases.iter().map(|c| c.session_on.to_string()).collect::<Vec<_>>(), ["2026-11-30", "2026-11-23"]);
    assert_eq!(
        app.get(&format!("/api/citizens/{citizen}/forum")).cookie(&worker2).send().await.status,
        StatusCode::FORBIDDEN
    );

    let logged: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.username, l.action FROM access_log l JOIN users u ON u.id = l.user_id
         WHERE l.citizen_id = $1 AND l.detail = 'forum' ORDER BY l.id",
    )
    .bind(&citizen)
    .fetch_all(app.pool())
    .await
    .expect("log");
    for wanted in [("worker", "create"), ("worker", "read"), ("worker", "change")] {
        assert!(logged.iter().any(|(u, a)| (u.as_str(), a.as_str()) == wanted), "{wanted:?}: {logged:?}");
    }
    assert!(!logged.iter().any(|(u, _)| u == "worker2"), "worker2 read no name");
}
