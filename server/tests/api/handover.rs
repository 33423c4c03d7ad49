//! Handing a worker's citizens over to others in one step (issue 14, seed
//! 000: "overdragelse af borgere"): the lead moves all of Anne's citizens
//! to Jonas from today with a note; Jonas's phone gets the assignments with
//! the note and from whom; Anne's loses the citizens; every refusal is at
//! its field and nothing is saved half; only a lead of the worker's team or
//! an administrator may.

use axum::http::StatusCode;
use serde_json::{Value, json};
use shared::assignment::{Assignment, HandoverOptions};
use shared::sync::Change;

use crate::support::TestApp;
use crate::sync::Phone;

async fn user_id(app: &TestApp, username: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(app.pool())
        .await
        .expect("user")
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.pool()).await.expect("count")
}

async fn post(app: &TestApp, cookie: &str, body: Value) -> crate::support::Response {
    app.post("/api/handovers").csrf().cookie(cookie).json(&body).send().await
}

fn fields(res: &crate::support::Response) -> Vec<(String, String)> {
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text());
    res.error().fields.into_iter().map(|f| (f.field, f.code)).collect()
}

#[tokio::test]
async fn a_lead_hands_a_workers_citizens_over_with_a_note_that_reaches_the_new_phone() {
    let app = TestApp::demo().await;
    let lead = app.login("lead").await;
    let (anne, jonas) = (user_id(&app, "worker").await, user_id(&app, "worker2").await);

    // What the lead may choose from: Anne's citizens today, her team mates.
    let res = app.get(&format!("/api/handovers/{anne}")).cookie(&lead).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let options: HandoverOptions = res.json();
    assert_eq!(options.worker.name, "Anne Kjær");
    let names: Vec<&str> = options.candidates.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Henrik Dahl", "Jonas Bech"], "her team mates, not herself");
    assert!(options.citizens.len() >= 5, "{:?}", options.citizens);
    let citizens: Vec<String> = options.citizens.iter().map(|c| c.id.to_string()).collect();

    // Refusals first: every problem at its field, nothing saved.
    let before = count(&app, "SELECT COUNT(*) FROM assignments").await;
    let line = |c: &str, u: &str| json!({ "citizen_id": c, "user_id": u });
    let body =
        |on: &str, to: Vec<Value>| json!({ "from": anne, "on": on, "note": "Nøglen ligger hos underboen.", "to": to });
    let res = post(&app, &lead, body("2026-11-22", vec![line(&citizens[0], &jonas), line(&citizens[1], &anne)])).await;
    assert_eq!(
        fields(&res),
        [("on".to_owned(), "in_past".to_owned()), ("to[1].user_id".to_owned(), "same_person".to_owned())]
    );
    let res = post(&app, &lead, body("2026-11-23", vec![])).await;
    assert_eq!(fields(&res), [("to".to_owned(), "required".to_owned())]);
    // A citizen Anne has no assignment to.
    let others: String = sqlx::query_scalar(
        "SELECT citizen_id FROM assignments WHERE user_id = $1 AND citizen_id NOT IN (SELECT citizen_id FROM assignments WHERE user_id = $2) LIMIT 1",
    )
    .bind(&jonas)
    .bind(&anne)
    .fetch_one(app.pool())
    .await
    .expect("Jonas's citizen");
    let res = post(
        &app,
        &lead,
        body("2026-11-23", vec![line(&citizens[0], &jonas), line(&others, &user_id(&app, "lead").await)]),
    )
    .await;
    assert_eq!(fields(&res), [("to[1].citizen_id".to_owned(), "not_assigned".to_owned())]);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM assignments").await, before, "nothing saved half");
    // Someone outside the lead's teams cannot take them over.
    let sofie = user_id(&app, "mentor").await;
    let res = post(&app, &lead, body("2026-11-23", vec![line(&citizens[0], &sofie)])).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // All of Anne's citizens to Jonas, from today (23.11.2026).
    let all: Vec<Value> = citizens.iter().map(|c| line(c, &jonas)).collect();
    let res = post(&app, &lead, body("2026-11-23", all)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let made: Vec<Assignment> = res.json();
    assert_eq!(made.len(), citizens.len());
    for a in &made {
        let h = a.handover.as_ref().expect("a handover");
        assert_eq!(
            (h.from.to_string(), h.from_name.as_str(), h.note.as_str()),
            (anne.clone(), "Anne Kjær", "Nøglen ligger hos underboen.")
        );
        assert_eq!(a.period.from().to_string(), "2026-11-23");
    }
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM assignments WHERE user_id = '{anne}' AND (valid_to IS NULL OR valid_to >= '2026-11-23')")).await,
        0,
        "Anne's ended yesterday"
    );
    let logged =
        count(&app, "SELECT COUNT(*) FROM access_log WHERE action = 'change' AND purpose = 'administration'").await;
    assert!(logged >= citizens.len() as i64);
    // Again: they are Jonas's now, so taken.
    let res = post(&app, &lead, body("2026-11-24", vec![line(&citizens[0], &jonas)])).await;
    assert_eq!(fields(&res), [("to[0].citizen_id".to_owned(), "not_assigned".to_owned())]);

    // Jonas's phone gets the assignments with the note; Anne's loses the citizens.
    let mut phone = Phone::new(&app, "worker2").await;
    let (changes, _, _) = phone.pull().await;
    let handed: Vec<&Assignment> = changes
        .iter()
        .filter_map(|c: &Change| match c {
            Change::Assignment(a) if a.user_id.to_string() == jonas && a.handover.is_some() => Some(a),
            _ => None,
        })
        .collect();
    assert_eq!(handed.len(), citizens.len());
    let res = app.get("/api/citizens").cookie(&app.login("worker").await).send().await;
    let seen: shared::api::ListCitizensResponse = res.json();
    assert!(seen.citizens.iter().all(|c| !citizens.contains(&c.id.to_string())), "Anne no longer sees them");

    // Who may: not a worker, not the area head; an administrator may.
    for who in ["worker", "areahead", "coordinator"] {
        let cookie = app.login(who).await;
        let res = app.get(&format!("/api/handovers/{jonas}")).cookie(&cookie).send().await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
    }
    let admin = app.login("admin").await;
    let res = app.get(&format!("/api/handovers/{sofie}")).cookie(&admin).send().await;
    assert_eq!(res.status, StatusCode::OK);
    let res = app.get("/api/handovers/not-an-id").cookie(&admin).send().await;
    assert_eq!(res.error().fields[0].field, "user");
}
