//! Issue 12, kind 10: a visit can only be charged to what may pay for it —
//! exactly the choices the phone offers (`shared::charge::check_charge`).
//! A pushed visit charged otherwise is rejected with its payload kept and a
//! reason the worker can act on.

use serde_json::{Value, json};
use shared::sync::Outcome;
use uuid::Uuid;

use crate::support::TestApp;
use crate::sync::{Phone, count, save, visit};

const S: &str = "2026-11-23T08:00:00Z";
const E: &str = "2026-11-23T09:00:00Z";

/// The worker's citizens: one whose housing support the employment area
/// pays (so it is drawn on the employment area's drawing right), and one on
/// early-retirement pension (charged to the social area's grant).
struct Fixture {
    pooled: (String, String),
    granted: (String, String),
    /// Another worker's citizen's grant.
    foreign_grant: String,
    pool: String,
}

async fn fixture(app: &TestApp) -> Fixture {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.id, g.id, c.benefit_type FROM citizens c
         JOIN assignments a ON a.citizen_id = c.id JOIN users u ON u.id = a.user_id
         JOIN grants g ON g.citizen_id = c.id
         WHERE u.username = 'worker' AND g.service = 'housing_support' ORDER BY c.id",
    )
    .fetch_all(app.pool())
    .await
    .expect("the worker's citizens");
    let pick = |pension: bool| {
        rows.iter()
            .find(|(_, _, b)| (b == "early_retirement_pension") == pension)
            .map(|(c, g, _)| (c.clone(), g.clone()))
            .expect("a demo citizen of each kind")
    };
    let foreign_grant: String = sqlx::query_scalar(
        "SELECT g.id FROM grants g JOIN assignments a ON a.citizen_id = g.citizen_id JOIN users u ON u.id = a.user_id
         WHERE u.username = 'mentor' ORDER BY g.id LIMIT 1",
    )
    .fetch_one(app.pool())
    .await
    .expect("a grant of another worker's citizen");
    let pool: String = sqlx::query_scalar("SELECT id FROM drawing_rights ORDER BY id LIMIT 1")
        .fetch_one(app.pool())
        .await
        .expect("the demo drawing right");
    Fixture { pooled: pick(false), granted: pick(true), foreign_grant, pool }
}

fn grant(id: &str) -> Value {
    json!({ "type": "grant", "id": id })
}

fn pool(id: &str) -> Value {
    json!({ "type": "drawing_right", "id": id })
}

#[tokio::test]
async fn a_visit_is_charged_only_to_what_may_pay_for_it() {
    let app = TestApp::demo().await;
    let f = fixture(&app).await;
    // A drawing right the worker's team does not deliver on.
    let other_pool = Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO drawing_rights (id, name, owner_area_id, provider_team_id, minutes_per_period, period_kind, rollover, valid_from, valid_to)
         SELECT $1, 'Mentortimer', owner_area_id, (SELECT t.id FROM teams t WHERE t.id <> d.provider_team_id ORDER BY t.id LIMIT 1),
                600, 'month', 'expire', '2026-01-01', NULL
         FROM drawing_rights d WHERE d.id = $2",
    )
    .bind(&other_pool)
    .bind(&f.pool)
    .execute(app.pool())
    .await
    .expect("another team's drawing right");
    // A grant of the pension citizen that ended before the visit.
    let ended = Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO grants (id, citizen_id, service, legal_basis, minutes, per, valid_from, valid_to, payer_area_id)
         SELECT $1, citizen_id, 'mentor', 'LAB § 31 b', 60, 'week', '2026-01-01', '2026-03-31',
                (SELECT id FROM areas WHERE kind = 'employment' LIMIT 1)
         FROM grants WHERE id = $2",
    )
    .bind(&ended)
    .bind(&f.granted.1)
    .execute(app.pool())
    .await
    .expect("an ended grant");

    // The worker has worked with the pension citizen since January.
    sqlx::query("UPDATE assignments SET valid_from = '2026-01-01' WHERE citizen_id = $1")
        .bind(&f.granted.0)
        .execute(app.pool())
        .await
        .expect("an earlier assignment");

    let (pooled, pooled_grant) = &f.pooled;
    let (granted, own_grant) = &f.granted;
    // (name, citizen, charge, start, end, expected)
    let cases: Vec<(&str, &str, Value, &str, &str, &str)> = vec![
        ("the failing input: another citizen's grant", granted, grant(&f.foreign_grant), S, E, "not_chargeable"),
        ("the citizen's own grant", granted, grant(own_grant), S, E, "applied"),
        ("uncharged is always allowed (the lead sees it)", granted, Value::Null, S, E, "applied"),
        ("a grant that ended before the visit", granted, grant(&ended), S, E, "not_chargeable"),
        (
            "a grant before it began",
            granted,
            grant(own_grant),
            "2026-01-05T08:00:00Z",
            "2026-01-05T09:00:00Z",
            "not_chargeable",
        ),
        ("housing support drawn on the pool, not the grant", pooled, grant(pooled_grant), S, E, "not_chargeable"),
        ("the pool the worker's team delivers on", pooled, pool(&f.pool), S, E, "applied"),
        ("the pool, for a citizen whose grant the social area pays", granted, pool(&f.pool), S, E, "not_chargeable"),
        ("another team's pool", pooled, pool(&other_pool), S, E, "not_chargeable"),
        ("a grant that does not exist", granted, grant(&Uuid::now_v7().to_string()), S, E, "not_chargeable"),
        ("a pool that does not exist", pooled, pool(&Uuid::now_v7().to_string()), S, E, "not_chargeable"),
    ];
    let mut phone = Phone::new(&app, "worker").await;
    for (name, citizen, charge, start, end, expected) in cases {
        let id = Uuid::now_v7();
        let mut v = visit(id, citizen.parse().expect("id"), start, end, name);
        v["charged_to"] = charge;
        let m = phone.mutation(save(v));
        let res = phone.push(&[m]).await;
        match (&res.results[0].outcome, expected) {
            (Outcome::Applied, "applied") => {}
            (Outcome::Rejected { code, message, field }, expected) if code == expected => {
                assert_eq!(field.as_deref(), Some("charged_to"), "{name}");
                assert!(message.da.starts_with("Betales af:"), "{name}: {}", message.da);
                assert!(message.en.contains("choose among the citizen's grants"), "{name}: {}", message.en);
                assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE id = $1", &id.to_string()).await, 0);
                // The payload is kept for the worker to fix.
                let kept: String = sqlx::query_scalar("SELECT payload FROM sync_mutations WHERE payload LIKE $1")
                    .bind(format!("%{id}%"))
                    .fetch_one(app.pool())
                    .await
                    .expect("kept");
                assert!(kept.contains(name), "{name}");
            }
            (got, _) => panic!("{name}: expected {expected}, got {got:?}"),
        }
    }
}

#[tokio::test]
async fn a_charge_that_stood_when_it_was_set_survives_an_edit_of_the_note() {
    let app = TestApp::demo().await;
    let f = fixture(&app).await;
    let (citizen, own_grant) = &f.granted;
    let mut phone = Phone::new(&app, "worker").await;
    let id = Uuid::now_v7();
    let mut v = visit(id, citizen.parse().expect("id"), S, E, "");
    v["charged_to"] = grant(own_grant);
    let m = phone.mutation(save(v.clone()));
    assert_eq!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied);
    // The grant is ended by a lead before the visit's day (a correction of the case).
    sqlx::query("UPDATE grants SET valid_to = '2026-11-01' WHERE id = $1")
        .bind(own_grant)
        .execute(app.pool())
        .await
        .expect("end the grant");
    let base = json!({ "row_version": 1, "fields": v.clone() });
    v["note"] = "Kun noten er ændret".into();
    let m = phone.mutation(json!({ "type": "visit_save", "visit": v.clone(), "base": base }));
    assert_eq!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied, "the charge is not the edit");
    // Moving the visit to another day checks the charge again.
    let base = json!({ "row_version": 2, "fields": v.clone() });
    v["started_at"] = "2026-11-20T08:00:00Z".into();
    v["ended_at"] = "2026-11-20T09:00:00Z".into();
    let m = phone.mutation(json!({ "type": "visit_save", "visit": v, "base": base }));
    assert!(
        matches!(&phone.push(&[m]).await.results[0].outcome, Outcome::Rejected { code, .. } if code == "not_chargeable")
    );
}
