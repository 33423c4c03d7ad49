//! Decision notices (issue 16): a decision on housing support tells the
//! citizen's other areas once, reaches only its recipients' phones, is
//! marked read from the phone, and waits on the lead's overview when it
//! stays unread for five working days.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use shared::notice::DecisionNotice;
use shared::report::TeamReport;
use shared::sync::{Change, Outcome};
use uuid::Uuid;

use crate::support::TestApp;
use crate::sync::Phone;

async fn text(app: &TestApp, sql: &str, bind: &str) -> String {
    sqlx::query_scalar(sql).bind(bind).fetch_one(app.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The usernames told of `grant`, one per notice, sorted.
async fn told(app: &TestApp, grant: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT u.username FROM decision_notices n JOIN users u ON u.id = n.recipient_id
         WHERE n.grant_id = $1 ORDER BY u.username, n.decided_at",
    )
    .bind(grant)
    .fetch_all(app.pool())
    .await
    .expect("notices")
}

/// A demo adult with housing support and an open employment case whose
/// case worker is the coordinator: `(grant as JSON, grant id)`.
async fn shared_citizen(app: &TestApp) -> (Value, String) {
    let sql = "SELECT g.id || '|' || g.citizen_id || '|' || g.payer_area_id || '|' || g.valid_from || '|' ||
                      COALESCE(g.valid_to, '') || '|' || CAST(g.minutes AS TEXT)
               FROM grants g
               JOIN cases k ON k.citizen_id = g.citizen_id AND k.closed_on IS NULL
               JOIN areas a ON a.id = k.area_id AND a.kind = 'employment'
               JOIN users u ON u.id = k.caseworker_id AND u.username = $1
               WHERE g.service = 'housing_support' ORDER BY g.citizen_id LIMIT 1";
    let row = text(app, sql, "coordinator").await;
    let parts: Vec<&str> = row.split('|').collect();
    let grant = json!({
        "id": parts[0], "citizen_id": parts[1], "service": "housing_support", "legal_basis": "SEL § 85",
        "allowance": { "minutes": parts[5].parse::<u32>().expect("minutes"), "per": "week" },
        "period": { "from": parts[3], "to": (!parts[4].is_empty()).then_some(parts[4]) },
        "payer_area_id": parts[2],
    });
    (grant, parts[0].to_owned())
}

async fn put_grant(app: &TestApp, cookie: &str, grant: &Value) -> StatusCode {
    let path = format!("/api/grants/{}", grant["id"].as_str().expect("id"));
    let res = app.call(Method::PUT, &path).cookie(cookie).csrf().json(grant).send().await;
    assert!(res.status.is_success(), "{}", res.text());
    res.status
}

fn notices(changes: &[Change]) -> Vec<DecisionNotice> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::DecisionNotice(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

fn read(notice: impl serde::Serialize) -> Value {
    json!({ "type": "notice_read", "notice_id": notice, "read_at": "2026-11-23T10:30:00Z" })
}

#[tokio::test]
async fn a_housing_support_decision_tells_the_other_area_once() {
    let app = TestApp::demo().await;
    let lead = app.login("lead").await;
    let (mut grant, grant_id) = shared_citizen(&app).await;
    let before = told(&app, &grant_id).await;

    // More hours: the employment area's case worker and the lead of its
    // (youth) team are told; the lead who decided is not.
    let minutes = grant["allowance"]["minutes"].as_u64().expect("minutes");
    grant["allowance"]["minutes"] = json!(minutes + 60);
    assert_eq!(put_grant(&app, &lead, &grant).await, StatusCode::OK);
    let after = told(&app, &grant_id).await;
    let added = |who: &str| after.iter().filter(|u| *u == who).count() - before.iter().filter(|u| *u == who).count();
    assert_eq!(after.len(), before.len() + 2, "{before:?} → {after:?}");
    assert_eq!((added("coordinator"), added("ungeleder")), (1, 1), "{before:?} → {after:?}");
    assert!(!after.contains(&"lead".to_owned()), "the one who decided is not told");
    let decision: String = sqlx::query_scalar(
        "SELECT decision FROM decision_notices WHERE grant_id = $1 ORDER BY decided_at DESC, id DESC LIMIT 1",
    )
    .bind(&grant_id)
    .fetch_one(app.pool())
    .await
    .expect("decision");
    assert_eq!(decision, "changed");

    // The same PUT again (a retry): no second notice.
    put_grant(&app, &lead, &grant).await;
    assert_eq!(told(&app, &grant_id).await.len(), after.len(), "written twice, told once");

    // Two identical PUTs at once: one decision, one set of notices.
    grant["allowance"]["minutes"] = json!(minutes + 120);
    let (a, b) = tokio::join!(put_grant(&app, &lead, &grant), put_grant(&app, &lead, &grant));
    assert!(a.is_success() && b.is_success());
    assert_eq!(told(&app, &grant_id).await.len(), after.len() + 2, "two at once, told once");

    // Ending it is a decision of its own.
    grant["period"]["to"] = json!("2026-12-31");
    put_grant(&app, &lead, &grant).await;
    let ended: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM decision_notices WHERE grant_id = $1 AND decision = 'ended'")
            .bind(&grant_id)
            .fetch_one(app.pool())
            .await
            .expect("count");
    assert_eq!(ended, 2);
}

#[tokio::test]
async fn only_the_recipient_pulls_and_reads_a_notice() {
    let app = TestApp::demo().await;
    let lead = app.login("lead").await;
    let (mut grant, grant_id) = shared_citizen(&app).await;
    grant["allowance"]["minutes"] = json!(grant["allowance"]["minutes"].as_u64().expect("minutes") + 30);
    put_grant(&app, &lead, &grant).await;

    // The coordinator's phone has the coordinator's notices, no one else's.
    let coordinator_id: shared::UserId = app.user_id("coordinator").await.parse().expect("id");
    let mut phone = Phone::new(&app, "coordinator").await;
    let (changes, ..) = phone.pull().await;
    let mine = notices(&changes);
    assert!(mine.iter().all(|n| n.recipient_id == coordinator_id), "{mine:?}");
    let fresh = mine.iter().find(|n| n.grant_id.to_string() == grant_id && n.read_at.is_none()).expect("the new one");
    assert!(fresh.summary(shared::Lang::Da).starts_with("Ændret: Socialpædagogisk støtte (bostøtte), "));
    assert_eq!(fresh.decided_by_name, "Henrik Dahl");
    // A worker of the deciding team gets none.
    let mut worker = Phone::new(&app, "worker").await;
    let (changes, ..) = worker.pull().await;
    assert!(notices(&changes).is_empty());

    // Someone else may not mark it read; an unknown notice is named.
    let m = worker.mutation(read(fresh.id));
    let res = worker.push(&[m]).await;
    assert!(
        matches!(&res.results[0].outcome, Outcome::Rejected { code, field, .. } if code == "not_your_notice" && field.as_deref() == Some("notice_id")),
        "{:?}",
        res.results[0].outcome
    );
    let m = phone.mutation(read(Uuid::now_v7()));
    let res = phone.push(&[m]).await;
    assert!(
        matches!(&res.results[0].outcome, Outcome::Rejected { code, field, .. } if code == "not_found" && field.as_deref() == Some("notice_id")),
        "{:?}",
        res.results[0].outcome
    );

    // The recipient reads it; a second read (another device, a replay)
    // keeps the first time.
    let m = phone.mutation(read(fresh.id));
    assert_eq!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied);
    let first: i64 = sqlx::query_scalar("SELECT read_at FROM decision_notices WHERE id = $1")
        .bind(fresh.id.to_string())
        .fetch_one(app.pool())
        .await
        .expect("read");
    let mut other = Phone::new(&app, "coordinator").await;
    let m = other.mutation(json!({ "type": "notice_read", "notice_id": fresh.id, "read_at": "2026-11-23T10:50:00Z" }));
    assert_eq!(other.push(&[m]).await.results[0].outcome, Outcome::Applied);
    let still: i64 = sqlx::query_scalar("SELECT read_at FROM decision_notices WHERE id = $1")
        .bind(fresh.id.to_string())
        .fetch_one(app.pool())
        .await
        .expect("read");
    assert_eq!(still, first);
    // The read comes back to the phone by the next pull.
    let (changes, ..) = phone.pull().await;
    assert!(notices(&changes).iter().any(|n| n.id == fresh.id && n.read_at.is_some()));
}

#[tokio::test]
async fn no_notice_without_an_open_case_in_another_area_nor_for_other_services() {
    let app = TestApp::demo().await;
    let lead = app.login("lead").await;
    let (mut grant, grant_id) = shared_citizen(&app).await;
    let citizen = grant["citizen_id"].as_str().expect("citizen").to_owned();
    // The employment case closed yesterday: no one there to tell.
    sqlx::query("UPDATE cases SET closed_on = '2026-11-22' WHERE citizen_id = $1 AND closed_on IS NULL AND area_id IN (SELECT id FROM areas WHERE kind = 'employment')")
        .bind(&citizen)
        .execute(app.pool())
        .await
        .expect("close");
    let before = told(&app, &grant_id).await.len();
    grant["allowance"]["minutes"] = json!(grant["allowance"]["minutes"].as_u64().expect("minutes") + 30);
    put_grant(&app, &lead, &grant).await;
    assert_eq!(told(&app, &grant_id).await.len(), before, "a closed case is not told");

    // A pensioner has only a social case: a new § 85 grant tells no one.
    let pensioner = text(
        &app,
        "SELECT c.id FROM citizens c WHERE c.benefit_type = $1 ORDER BY c.id LIMIT 1",
        "early_retirement_pension",
    )
    .await;
    let social = text(&app, "SELECT id FROM areas WHERE kind = $1", "social").await;
    let id = Uuid::now_v7().to_string();
    let new = json!({
        "id": id, "citizen_id": pensioner, "service": "housing_support", "legal_basis": "SEL § 85",
        "allowance": { "minutes": 60, "per": "week" }, "period": { "from": "2028-01-01", "to": null },
        "payer_area_id": social,
    });
    let res = app.call(Method::PUT, &format!("/api/grants/{id}")).cookie(&lead).csrf().json(&new).send().await;
    // The demo grant runs on: refused as overlapping or accepted, the
    // pensioner's other area is none, so nothing is told either way.
    assert!(res.status == StatusCode::CREATED || res.status == StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text());
    assert!(told(&app, &id).await.is_empty());
}

#[tokio::test]
async fn the_lead_sees_notices_left_unread_for_five_working_days() {
    let app = TestApp::demo().await;
    let lead = app.login("lead").await;
    let housing = text(&app, "SELECT id FROM teams WHERE name = $1", "Bostøtteteamet").await;
    let report = |cookie: String| {
        let app = &app;
        let housing = housing.clone();
        async move {
            let res = app.get(&format!("/api/reports/team?team={housing}&month=2026-11")).cookie(&cookie).send().await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.text());
            res.json::<TeamReport>()
        }
    };
    // The demo's notice was sent eight working days before the test's
    // today (Monday 23 November 2026): the lead of the deciding team sees
    // it, with its recipient named; today's decisions are not late yet.
    let (mut grant, _) = shared_citizen(&app).await;
    grant["allowance"]["minutes"] = json!(grant["allowance"]["minutes"].as_u64().expect("minutes") + 30);
    put_grant(&app, &lead, &grant).await;
    let r = report(lead.clone()).await;
    assert!(!r.late_notices.is_empty(), "the demo's late notice");
    let today = app.now().local_date();
    for n in &r.late_notices {
        assert!(n.is_overdue(today) && n.read_at.is_none());
        assert_eq!(n.waiting_working_days(today), 8);
        assert_ne!(r.name_of(n.recipient_id.as_uuid()), "?");
    }
    // Once its recipient reads it, it leaves the list.
    let coordinator: shared::UserId = app.user_id("coordinator").await.parse().expect("id");
    let theirs = r.late_notices.iter().find(|n| n.recipient_id == coordinator).expect("the coordinator's");
    let mut phone = Phone::new(&app, "coordinator").await;
    phone.pull().await;
    let m = phone.mutation(read(theirs.id));
    assert_eq!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied);
    let r = report(lead).await;
    assert!(r.late_notices.iter().all(|n| n.id != theirs.id));
}
