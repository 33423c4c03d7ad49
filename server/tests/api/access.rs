//! The access log: every access to citizen data writes exactly one entry
//! per citizen with its action and purpose; admins read it per citizen and
//! per user; nothing writes it through the API; old entries are purged.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use serde_json::json;
use shared::access::{AccessAction, AccessPurpose, AccessReport};
use shared::sync::Change;
use uuid::Uuid;

use crate::support::TestApp;
use crate::sync::{Phone, citizen_of, save, visit};

/// The log's entries, oldest first, as (user, citizen, action, purpose).
async fn log(app: &TestApp) -> Vec<(String, Option<String>, String, String)> {
    sqlx::query_as("SELECT u.username, l.citizen_id, l.action, l.purpose FROM access_log l JOIN users u ON u.id = l.user_id ORDER BY l.id")
        .fetch_all(app.pool())
        .await
        .expect("log")
}

/// What each entry was about (its `detail`), in the order written.
async fn details(app: &TestApp) -> Vec<Option<String>> {
    sqlx::query_scalar("SELECT detail FROM access_log ORDER BY id").fetch_all(app.pool()).await.expect("details")
}

async fn clear(app: &TestApp) {
    sqlx::query("DELETE FROM access_log").execute(app.pool()).await.expect("clear");
}

/// The citizens named by entries with this action and purpose.
fn named(
    entries: &[(String, Option<String>, String, String)],
    action: AccessAction,
    purpose: AccessPurpose,
) -> Vec<String> {
    entries.iter().filter(|e| e.2 == action.code() && e.3 == purpose.code()).filter_map(|e| e.1.clone()).collect()
}

#[tokio::test]
async fn every_access_to_citizen_data_writes_one_entry_per_citizen_with_its_action() {
    let app = TestApp::demo().await;
    clear(&app).await;

    // The worker's list: one read per citizen listed.
    let worker = app.login("worker").await;
    let listed: shared::api::ListCitizensResponse = app.get("/api/citizens").cookie(&worker).send().await.json();
    let entries = log(&app).await;
    assert_eq!(entries.len(), listed.citizens.len());
    let ids: BTreeSet<String> = listed.citizens.iter().map(|c| c.id.to_string()).collect();
    assert_eq!(
        named(&entries, AccessAction::Read, AccessPurpose::CitizenList).into_iter().collect::<BTreeSet<_>>(),
        ids
    );

    // A first pull: one read per citizen whose data reached the phone.
    clear(&app).await;
    let mut phone = Phone::new(&app, "worker").await;
    let (changes, _, _) = phone.pull().await;
    let pulled: BTreeSet<String> = changes.iter().filter_map(Change::citizen).map(|c| c.to_string()).collect();
    let entries = log(&app).await;
    let read = named(&entries, AccessAction::Read, AccessPurpose::FieldWork);
    assert_eq!(read.len(), pulled.len(), "each citizen once, however many rows");
    assert_eq!(read.into_iter().collect::<BTreeSet<_>>(), pulled);
    assert_eq!(entries.len(), pulled.len(), "and nothing else");

    // Pushes: a new visit is a create, its edit a change, its removal a
    // delete; a refused mutation writes nothing.
    clear(&app).await;
    let citizen = citizen_of(&app, "worker").await;
    let id = Uuid::now_v7();
    let new = visit(id, citizen, "2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z", "Første");
    let m = phone.mutation(save(new.clone()));
    phone.push(&[m]).await;
    let edited = visit(id, citizen, "2026-11-20T09:00:00Z", "2026-11-20T10:30:00Z", "Rettet");
    let base = json!({ "row_version": 1, "fields": new });
    let m = phone.mutation(json!({ "type": "visit_save", "visit": edited, "base": base }));
    let changed = phone.push(&[m]).await;
    let other = citizen_of(&app, "mentor").await;
    let refused =
        phone.mutation(save(visit(Uuid::now_v7(), other, "2026-11-20T11:00:00Z", "2026-11-20T12:00:00Z", "Ikke min")));
    phone.push(&[refused]).await;
    let m = phone.mutation(json!({ "type": "visit_delete", "visit_id": id, "base_version": 2 }));
    phone.push(&[m]).await;
    let entries = log(&app).await;
    let actions: Vec<(&str, &str)> = entries.iter().map(|e| (e.2.as_str(), e.3.as_str())).collect();
    assert_eq!(actions, [("create", "field_work"), ("change", "field_work"), ("delete", "field_work")], "{changed:?}");
    assert!(entries.iter().all(|e| e.0 == "worker" && e.1.as_deref() == Some(&*citizen.to_string())));
    assert_eq!(details(&app).await, vec![Some("visit".to_owned()); 3], "each entry names the visit");

    // The lead's report reads the citizens it shows; the CSV exports them.
    clear(&app).await;
    let lead = app.login("lead").await;
    let team: String = sqlx::query_scalar("SELECT id FROM teams WHERE name = 'Bostøtteteamet'")
        .fetch_one(app.pool())
        .await
        .expect("team");
    let res = app.get(&format!("/api/reports/team?team={team}&month=2026-11")).cookie(&lead).send().await;
    assert_eq!(res.status, StatusCode::OK);
    let entries = log(&app).await;
    assert!(!entries.is_empty());
    assert!(entries.iter().all(|e| e.0 == "lead" && e.2 == "read" && e.3 == "oversight"));
    let unique: BTreeSet<_> = entries.iter().map(|e| e.1.clone()).collect();
    assert_eq!(unique.len(), entries.len(), "each citizen once");
    clear(&app).await;
    let employment: String =
        sqlx::query_scalar("SELECT id FROM areas WHERE kind = 'employment'").fetch_one(app.pool()).await.expect("area");
    let res = app.get(&format!("/api/statements.csv?area={employment}&month=2026-11")).cookie(&lead).send().await;
    assert_eq!(res.status, StatusCode::OK);
    let entries = log(&app).await;
    assert!(!entries.is_empty() && entries.iter().all(|e| e.2 == "export" && e.3 == "billing"));

    // Administration: creating a citizen is one create.
    clear(&app).await;
    let admin = app.login("admin").await;
    let new_citizen = Uuid::now_v7();
    let body = json!({ "name": "Ny Borger", "birth": {"year": 1990}, "benefit_type": "other",
                       "coordinator_id": null, "external_id": null });
    let res = app
        .call(Method::PUT, &format!("/api/admin/citizens/{new_citizen}"))
        .csrf()
        .cookie(&admin)
        .json(&body)
        .send()
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(
        log(&app).await,
        [("admin".to_owned(), Some(new_citizen.to_string()), "create".to_owned(), "administration".to_owned())]
    );
    assert_eq!(details(&app).await, [Some("citizen".to_owned())]);
}

#[tokio::test]
async fn admins_read_the_log_per_citizen_and_per_user_and_nothing_writes_it() {
    let app = TestApp::demo().await;
    clear(&app).await;
    let worker = app.login("worker").await;
    app.get("/api/citizens").cookie(&worker).send().await;
    let citizen = citizen_of(&app, "worker").await;

    let admin = app.login("admin").await;
    let res = app.get(&format!("/api/access-log?citizen={citizen}")).cookie(&admin).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let report: AccessReport = res.json();
    assert_eq!(report.retention_months, 6);
    assert_eq!(report.entries.len(), 1);
    let entry = &report.entries[0];
    assert_eq!(
        (entry.user_name.as_str(), entry.action, entry.purpose),
        ("Anne Kjær", AccessAction::Read, AccessPurpose::CitizenList)
    );
    assert_eq!(entry.citizen_id, Some(citizen));
    // Looking it up was itself an access, and shows next time, newest first.
    let again: AccessReport = app.get(&format!("/api/access-log?citizen={citizen}")).cookie(&admin).send().await.json();
    assert_eq!(again.entries.len(), 2);
    assert_eq!(again.entries[0].purpose, AccessPurpose::AccessReport);

    let worker_id: String =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'worker'").fetch_one(app.pool()).await.expect("id");
    let by_user: AccessReport =
        app.get(&format!("/api/access-log?user={worker_id}")).cookie(&admin).send().await.json();
    assert!(!by_user.entries.is_empty() && by_user.entries.iter().all(|e| e.user_id.to_string() == worker_id));

    // Only admins; one of citizen or user; no way to write.
    let lead = app.login("lead").await;
    assert_eq!(
        app.get(&format!("/api/access-log?citizen={citizen}")).cookie(&lead).send().await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get("/api/access-log").cookie(&admin).send().await.status, StatusCode::UNPROCESSABLE_ENTITY);
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
        let res = app.call(method.clone(), "/api/access-log").csrf().cookie(&admin).json(&json!({})).send().await;
        assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
}

#[tokio::test]
async fn entries_older_than_the_retention_period_are_purged_by_the_server() {
    let app = TestApp::demo().await;
    clear(&app).await;
    let now = app.now().as_millis();
    let day = 24 * 60 * 60 * 1000_i64;
    for (i, age_days) in [10_i64, 100, 200, 400].into_iter().enumerate() {
        sqlx::query("INSERT INTO access_log (id, at, user_id, citizen_id, action, purpose) VALUES ($1, $2, 'u', NULL, 'read', 'oversight')")
            .bind(format!("0000000{i}"))
            .bind(now - age_days * day)
            .execute(app.pool())
            .await
            .expect("insert");
    }
    // Six months by default: the 200- and 400-day-old entries go.
    let (_, purged) = server::purge(&app.state).await.expect("purge");
    assert_eq!(purged, 2);
    let admin = app.login("admin").await;
    let res = app
        .call(Method::PUT, "/api/settings/access-log-retention")
        .csrf()
        .cookie(&admin)
        .json(&json!({ "months": 0 }))
        .send()
        .await;
    assert_eq!(res.error().fields[0].field, "months");
    let res = app
        .call(Method::PUT, "/api/settings/access-log-retention")
        .csrf()
        .cookie(&admin)
        .json(&json!({ "months": 1 }))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let (_, purged) = server::purge(&app.state).await.expect("purge");
    assert_eq!(purged, 1, "one month: the 100-day-old entry goes too");
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_log WHERE user_id = 'u'")
        .fetch_one(app.pool())
        .await
        .expect("n");
    assert_eq!(left, 1);
}
