//! Issue 12, kind 15: conflicts are seen and settled by a person. Two of a
//! worker's devices edit one field of a visit from the same version; the
//! second edit is applied with a clash (the first stands). The lead lists
//! the conflict with both versions and settles it; the worker's pull says
//! once that the edit was not kept. Real router, real database (SQLite, and
//! PostgreSQL in the second pass).

use axum::http::StatusCode;
use serde_json::{Value, json};
use shared::conflict::{ConflictField, ConflictVersions, Keep, ListConflictsResponse, SettleConflictResponse};
use shared::sync::{Outcome, RejectedMutation};
use shared::{CitizenId, ConflictId};
use uuid::Uuid;

use crate::support::TestApp;
use crate::sync::{Phone, citizen_of, count, save, visit, visits};

const S: &str = "2026-11-23T08:00:00Z";
const E: &str = "2026-11-23T09:00:00Z";

async fn team_id(app: &TestApp, name: &str) -> String {
    sqlx::query_scalar("SELECT id FROM teams WHERE name = $1").bind(name).fetch_one(app.pool()).await.expect("team")
}

/// An edit of `fields` with its note set to `note`, based on `version`.
fn edit(fields: &Value, version: u64, note: &str) -> Value {
    let mut mine = fields.clone();
    mine["note"] = note.into();
    json!({ "type": "visit_save", "visit": mine, "base": { "row_version": version, "fields": fields } })
}

/// The worker's phone and tablet both edit the note of one visit from
/// version 1: the phone's "A" lands first and stands, the tablet's "B" is
/// the one not kept. Returns the two devices and the visit's fields.
async fn clash<'a>(app: &'a TestApp, start: &str, end: &str) -> (Phone<'a>, Phone<'a>, Value, Uuid, CitizenId) {
    let mut phone = Phone::new(app, "worker").await;
    let mut tablet = Phone::new(app, "worker").await;
    let citizen = citizen_of(app, "worker").await;
    let id = Uuid::now_v7();
    let fields = visit(id, citizen, start, end, "Første udgave");
    let m = phone.mutation(save(fields.clone()));
    assert_eq!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied);
    phone.pull().await;
    tablet.pull().await;
    let a = phone.mutation(edit(&fields, 1, "A fra telefonen"));
    assert_eq!(phone.push(&[a]).await.results[0].outcome, Outcome::Applied);
    let b = tablet.mutation(edit(&fields, 1, "B fra tabletten"));
    // Applied: the clash is no refusal; the server's value stands.
    assert_eq!(tablet.push(&[b]).await.results[0].outcome, Outcome::Applied);
    (phone, tablet, fields, id, citizen)
}

async fn list(app: &TestApp, cookie: &str, team: &str) -> ListConflictsResponse {
    let res = app.get(&format!("/api/conflicts?team={team}")).cookie(cookie).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.json()
}

async fn settle(app: &TestApp, cookie: &str, id: ConflictId, keep: &str) -> crate::support::Response {
    app.post(&format!("/api/conflicts/{id}/settle")).cookie(cookie).json(&json!({ "keep": keep })).send().await
}

async fn note_of(app: &TestApp, id: Uuid) -> (String, i64) {
    sqlx::query_as("SELECT note, row_version FROM visits WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(app.pool())
        .await
        .expect("the visit")
}

fn not_kept(rejected: &[RejectedMutation]) -> Vec<&RejectedMutation> {
    rejected.iter().filter(|r| r.code == "edit_not_kept").collect()
}

#[tokio::test]
async fn the_lead_sees_both_versions_and_puts_the_other_on_the_visit() {
    let app = TestApp::demo().await;
    let (mut phone, mut tablet, _, id, citizen) = clash(&app, S, E).await;
    // The clashing save still counts as a write (version 3); the note stands.
    assert_eq!(note_of(&app, id).await, ("A fra telefonen".to_owned(), 3));
    let housing = team_id(&app, "Bostøtteteamet").await;
    let lead = app.login("lead").await;

    // The lead sees it: the visit, who, when, from which device, both versions.
    let listed = list(&app, &lead, &housing).await;
    assert_eq!(listed.conflicts.len(), 1, "{listed:?}");
    let c = &listed.conflicts[0];
    assert_eq!(c.visit.id.as_uuid(), &id);
    assert_eq!(c.visit.note.as_str(), "A fra telefonen");
    assert_eq!(c.fields, vec![ConflictField::Note]);
    assert_eq!(c.worker_name.as_str(), c.by_name.as_str());
    assert_eq!(c.created_at, app.now());
    assert_eq!(c.device.len(), 8);
    let citizen_name: String = sqlx::query_scalar("SELECT name FROM citizens WHERE id = $1")
        .bind(citizen.to_string())
        .fetch_one(app.pool())
        .await
        .expect("name");
    assert_eq!(c.citizen_name.as_str(), citizen_name);
    let ConflictVersions::Edit { standing, other } = &c.versions else { panic!("an edit: {:?}", c.versions) };
    assert_eq!((standing.note.as_str(), other.note.as_str()), ("A fra telefonen", "B fra tabletten"));
    // Read for oversight, once per citizen.
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM access_log WHERE detail = 'conflicts' AND purpose = $1", "oversight").await,
        1
    );

    // The tablet's pull says once that its edit was not kept, naming the field.
    let (_, _, page) = tablet.pull().await;
    let told = not_kept(&page.rejected);
    assert_eq!(told.len(), 1, "{:?}", page.rejected);
    assert_eq!(told[0].id, 1);
    assert_eq!(told[0].field.as_deref(), Some("note"));
    assert!(told[0].message.da.starts_with("Din ændring af noten blev ikke gemt"), "{}", told[0].message.da);
    assert!(told[0].message.en.contains("Your lead can choose yours"), "{}", told[0].message.en);
    let payload = told[0].mutation.as_ref().expect("the payload as stored");
    assert!(
        matches!(&payload.body, shared::sync::MutationBody::VisitSave { visit, .. } if visit.note.as_str() == "B fra tabletten")
    );
    let (_, _, again) = tablet.pull().await;
    assert!(not_kept(&again.rejected).is_empty(), "told once: {:?}", again.rejected);
    // The phone whose edit stands is told nothing.
    let (_, _, page) = phone.pull().await;
    assert!(not_kept(&page.rejected).is_empty());

    // The lead takes the other version: it goes on the visit as it is now.
    let res = settle(&app, &lead, c.id, "other").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let settled: SettleConflictResponse = res.json();
    assert_eq!(settled.kept, Keep::Other);
    let after = settled.visit.expect("the visit");
    assert_eq!((after.note.as_str(), after.row_version), ("B fra tabletten", 4));
    assert_eq!(note_of(&app, id).await, ("B fra tabletten".to_owned(), 4));
    let (by, kept): (String, String) =
        sqlx::query_as("SELECT u.username, c.kept FROM visit_conflicts c JOIN users u ON u.id = c.settled_by")
            .fetch_one(app.pool())
            .await
            .expect("recorded");
    assert_eq!((by.as_str(), kept.as_str()), ("lead", "other"));
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM access_log WHERE action = 'change' AND purpose = $1", "oversight").await,
        1
    );
    // Both of the worker's devices get it by pull; nothing is open.
    for device in [&mut phone, &mut tablet] {
        let (changes, _, page) = device.pull().await;
        assert_eq!(visits(&changes).get(&id).map(|v| v.note.as_str()), Some("B fra tabletten"));
        assert!(not_kept(&page.rejected).is_empty());
    }
    assert!(list(&app, &lead, &housing).await.conflicts.is_empty());

    // Settled once: 409 the second time, whichever version.
    for keep in ["other", "standing"] {
        let res = settle(&app, &lead, c.id, keep).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
        assert_eq!(res.error().code, "conflict_settled");
    }
    assert_eq!(note_of(&app, id).await.1, 4, "a refused settle writes nothing");
}

#[tokio::test]
async fn keeping_what_stands_closes_the_conflict_and_changes_nothing() {
    let app = TestApp::demo().await;
    let (_phone, _tablet, _, id, _) = clash(&app, S, E).await;
    let housing = team_id(&app, "Bostøtteteamet").await;
    let lead = app.login("lead").await;
    let c = list(&app, &lead, &housing).await.conflicts.remove(0);
    let res = settle(&app, &lead, c.id, "standing").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(note_of(&app, id).await, ("A fra telefonen".to_owned(), 3));
    assert!(list(&app, &lead, &housing).await.conflicts.is_empty());
    let res = settle(&app, &lead, c.id, "standing").await;
    assert_eq!((res.status, res.error().code.as_str()), (StatusCode::CONFLICT, "conflict_settled"));
    // A keep the API does not know is refused, naming the field.
    let res = settle(&app, &lead, c.id, "mine").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.error().fields[0].field, "keep");
}

#[tokio::test]
async fn only_the_lead_of_the_workers_team_or_an_admin_sees_and_settles() {
    let app = TestApp::demo().await;
    let (_phone, _tablet, _, id, _) = clash(&app, S, E).await;
    let housing = team_id(&app, "Bostøtteteamet").await;
    let mentor_team = team_id(&app, "Mentorteamet").await;
    let c = list(&app, &app.login("lead").await, &housing).await.conflicts.remove(0);
    // The mentor becomes the lead of another team.
    sqlx::query("INSERT INTO user_roles (user_id, role) SELECT id, 'lead' FROM users WHERE username = 'mentor'")
        .execute(app.pool())
        .await
        .expect("another team's lead");
    let other_lead = app.login("mentor").await;
    let worker = app.login("worker").await;
    for cookie in [&other_lead, &worker] {
        let res = app.get(&format!("/api/conflicts?team={housing}")).cookie(cookie).send().await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text());
        for keep in ["other", "standing"] {
            let res = settle(&app, cookie, c.id, keep).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text());
        }
    }
    // Their own team has none.
    assert!(list(&app, &other_lead, &mentor_team).await.conflicts.is_empty());
    assert_eq!(note_of(&app, id).await.1, 3, "nothing written");
    // Unknown conflicts: 404.
    let lead = app.login("lead").await;
    for unknown in [Uuid::now_v7().to_string(), "not-an-id".to_owned()] {
        let res = app
            .post(&format!("/api/conflicts/{unknown}/settle"))
            .cookie(&lead)
            .json(&json!({ "keep": "standing" }))
            .send()
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.text());
    }
    // An admin sees every team's and may settle.
    let admin = app.login("admin").await;
    assert_eq!(list(&app, &admin, &housing).await.conflicts.len(), 1);
    assert_eq!(settle(&app, &admin, c.id, "other").await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_approved_or_deleted_visit_refuses_the_other_version() {
    let app = TestApp::demo().await;
    let housing = team_id(&app, "Bostøtteteamet").await;
    let lead = app.login("lead").await;
    // A visit in October, whose month the lead then approves.
    let (_phone, _tablet, _, october, _) = clash(&app, "2026-10-20T08:00:00Z", "2026-10-20T09:00:00Z").await;
    let c = list(&app, &lead, &housing).await.conflicts.remove(0);
    let res =
        app.post("/api/approvals").cookie(&lead).json(&json!({ "team_id": housing, "month": "2026-10" })).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let res = settle(&app, &lead, c.id, "other").await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
    let body = res.error();
    assert_eq!(body.code, "approved");
    assert!(body.message.da.contains("godkendt") && body.message.en.contains("approved"), "{body:?}");
    assert_eq!(note_of(&app, october).await.0, "A fra telefonen", "unchanged");
    // Still open: what stands can be kept.
    assert_eq!(settle(&app, &lead, c.id, "standing").await.status, StatusCode::OK);

    // A visit deleted since the lead listed its conflict.
    let (mut phone, _tablet2, fields, id, _) = clash(&app, S, E).await;
    let c = list(&app, &lead, &housing).await.conflicts.remove(0);
    let mut shown = fields.clone();
    shown["note"] = "A fra telefonen".into();
    let delete = phone.mutation(json!({
        "type": "visit_delete", "visit_id": id, "base_version": 3, "base": { "row_version": 3, "fields": shown },
    }));
    assert_eq!(phone.push(&[delete]).await.results[0].outcome, Outcome::Applied);
    let res = settle(&app, &lead, c.id, "other").await;
    assert_eq!((res.status, res.error().code.as_str()), (StatusCode::CONFLICT, "visit_deleted"));
    let res = settle(&app, &lead, c.id, "standing").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(res.json::<SettleConflictResponse>().visit.is_none());
}
