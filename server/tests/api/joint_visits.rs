//! Joint visits (issue 16; seed 000's joint conversations): one visit with
//! several staff, logged by one of them. Each colleague who took part gets
//! a share of their own, so each participant's minutes count once, for
//! them, in the lead's report and in the statement; the share follows the
//! visit its colleague logged and is not changed on its own. Against the
//! real router and a real database (SQLite; PostgreSQL when
//! `HELHED_TEST_POSTGRES` is set).

use axum::http::StatusCode;
use serde_json::{Value, json};
use shared::report::{Statement, TeamReport};
use shared::sync::Outcome;
use shared::visit::Visit;
use shared::{UserId, VisitId};
use uuid::Uuid;

use crate::support::TestApp;
use crate::sync::{Phone, count, save, visit, visits};

/// 2026-11-23, 09:00–10:00 in Copenhagen (the test clock's day).
const S: &str = "2026-11-23T08:00:00Z";
const E: &str = "2026-11-23T09:00:00Z";

/// The worker's citizen on early-retirement pension (their housing
/// support is the social area's grant, charged as it is), with its grant
/// and that grant's payer area.
async fn citizen(app: &TestApp) -> (String, String, String) {
    sqlx::query_as(
        "SELECT c.id, g.id, g.payer_area_id FROM citizens c
         JOIN assignments a ON a.citizen_id = c.id JOIN users u ON u.id = a.user_id
         JOIN grants g ON g.citizen_id = c.id
         WHERE u.username = 'worker' AND g.service = 'housing_support' AND c.benefit_type = 'early_retirement_pension'
         ORDER BY c.id LIMIT 1",
    )
    .fetch_one(app.pool())
    .await
    .expect("a citizen of the worker on early-retirement pension")
}

/// Assigns `username` to `citizen` from the start of 2026.
async fn assign(app: &TestApp, username: &str, citizen: &str) {
    sqlx::query(
        "INSERT INTO assignments (id, citizen_id, user_id, valid_from) SELECT $1, $2, id, '2026-01-01' FROM users WHERE username = $3",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(citizen)
    .bind(username)
    .execute(app.pool())
    .await
    .expect("an assignment");
}

async fn team_report(app: &TestApp, cookie: &str) -> TeamReport {
    let team: String = sqlx::query_scalar(
        "SELECT m.team_id FROM team_members m JOIN users u ON u.id = m.user_id WHERE u.username = 'worker'",
    )
    .fetch_one(app.pool())
    .await
    .expect("the worker's team");
    let res = app.get(&format!("/api/reports/team?team={team}&month=2026-11")).cookie(cookie).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.json()
}

/// (visits, face-to-face minutes) of `user` in the report.
fn load_of(report: &TeamReport, user: &str) -> (u32, u32) {
    let user: UserId = user.parse().expect("id");
    report
        .workers
        .iter()
        .find(|w| w.load.worker_id == user)
        .map_or((0, 0), |w| (w.load.visits, w.load.face_to_face.get()))
}

async fn statement_total(app: &TestApp, cookie: &str, area: &str) -> u32 {
    let res = app.get(&format!("/api/statements?area={area}&month=2026-11")).cookie(cookie).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.json::<Statement>().total.get()
}

fn joint(id: Uuid, citizen: &str, end: &str, grant: &str, co_workers: &[&str]) -> Value {
    let mut v = visit(id, citizen.parse().expect("id"), S, end, "Fælles samtale om budgettet");
    v["charged_to"] = json!({ "type": "grant", "id": grant });
    v["co_workers"] = json!(co_workers);
    v
}

fn rejection(outcome: &Outcome) -> (String, Option<String>, String) {
    match outcome {
        Outcome::Rejected { code, field, message } => (code.clone(), field.clone(), message.da.clone()),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn a_joint_visit_counts_once_for_each_participant_and_the_shares_follow_it() {
    let app = TestApp::demo().await;
    let (citizen, grant, payer) = citizen(&app).await;
    assign(&app, "worker2", &citizen).await;
    assign(&app, "mentor", &citizen).await;
    let (worker2, mentor) = (app.user_id("worker2").await, app.user_id("mentor").await);
    let worker = app.user_id("worker").await;
    let lead = app.login("lead").await;
    let admin = app.login("admin").await;
    let before = team_report(&app, &lead).await;
    let total_before = statement_total(&app, &admin, &payer).await;

    // The worker logs a visit the colleague (same team) and the mentor
    // (another team) took part in.
    let mut phone = Phone::new(&app, "worker").await;
    let id = Uuid::now_v7();
    let logged = phone.mutation(save(joint(id, &citizen, E, &grant, &[&worker2, &mentor])));
    let res = phone.push(std::slice::from_ref(&logged)).await;
    assert_eq!(res.results[0].outcome, Outcome::Applied);
    // The phone retries the same push (the answer was lost), then saves
    // the visit again unchanged: still one row per participant.
    phone.push(&[logged]).await;
    let again = phone.mutation(save(joint(id, &citizen, E, &grant, &[&worker2, &mentor])));
    assert_eq!(phone.push(&[again]).await.results[0].outcome, Outcome::Applied);
    let vid = VisitId::from_uuid(id);
    let share2 = Visit::share_id(vid, worker2.parse().expect("id")).to_string();
    let share_m = Visit::share_id(vid, mentor.parse().expect("id")).to_string();
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE id = $1 OR joint_of = $1", &id.to_string()).await, 3);
    let (owner, joint_of, charged, travel, version): (String, String, String, i64, i64) = sqlx::query_as(
        "SELECT worker_id, joint_of, charged_grant_id, travel_minutes, row_version FROM visits WHERE id = $1",
    )
    .bind(&share2)
    .fetch_one(app.pool())
    .await
    .expect("the colleague's share");
    assert_eq!(
        (owner.as_str(), joint_of, charged.as_str(), travel, version),
        (worker2.as_str(), id.to_string(), grant.as_str(), 0, 1)
    );

    // Counted once per participant: each has the hour in the lead's report,
    // and the statement has it three times (three people delivered it).
    let after = team_report(&app, &lead).await;
    for user in [&worker, &worker2] {
        let (v0, m0) = load_of(&before, user);
        assert_eq!(load_of(&after, user), (v0 + 1, m0 + 60), "{user} in the lead's report");
    }
    assert_eq!(statement_total(&app, &admin, &payer).await, total_before + 3 * 60);

    // The mentor's lead approves November for the mentor's team: the
    // worker still changes what is hers alone (the travel), but not what
    // the mentor's share holds (the note), and is told why at the mentor.
    app.approve_month(&mentor, "2026-11").await;
    let mut travel = joint(id, &citizen, E, &grant, &[&worker2, &mentor]);
    travel["travel_minutes"] = json!(25);
    let m = phone.mutation(save(travel.clone()));
    assert_eq!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied, "the travel is the worker's own");
    let mut note = travel;
    note["note"] = json!("Fælles samtale om budgettet og huslejen");
    let m = phone.mutation(save(note));
    let (code, field, da) = rejection(&phone.push(&[m]).await.results[0].outcome);
    assert_eq!((code.as_str(), field.as_deref()), ("period_approved", Some("co_workers[1]")));
    assert!(
        da.starts_with("Kolleger, der også deltog: Måneden er godkendt for kollegaen")
            || da.contains("godkendt for kollegaen"),
        "{da}"
    );
    sqlx::query("DELETE FROM period_locks WHERE month = '2026-11'").execute(app.pool()).await.expect("reopened");

    // The colleague cannot change or delete their share on their own.
    let mut colleague = Phone::new(&app, "worker2").await;
    let (changes, _, _) = colleague.pull().await;
    let seen = visits(&changes);
    let theirs = seen.get(&share2.parse::<Uuid>().expect("uuid")).expect("the share is on the colleague's phone");
    assert_eq!(theirs.joint_of, Some(vid));
    let mut edit = serde_json::to_value(theirs.draft()).expect("json");
    edit["note"] = json!("Min egen udgave");
    let m1 = colleague.mutation(save(edit));
    let m2 = colleague.mutation(json!({ "type": "visit_delete", "visit_id": share2, "base_version": 1 }));
    let res = colleague.push(&[m1, m2]).await;
    for r in &res.results {
        let (code, _, da) = rejection(&r.outcome);
        assert_eq!(code, "joint_visit_share");
        assert!(da.contains("Bed kollegaen rette eller slette det"), "{da}");
    }

    // The worker makes it 90 minutes: the shares follow.
    let longer = phone.mutation(save(joint(id, &citizen, "2026-11-23T09:30:00Z", &grant, &[&worker2, &mentor])));
    assert_eq!(phone.push(&[longer]).await.results[0].outcome, Outcome::Applied);
    let minutes: i64 = sqlx::query_scalar("SELECT (ended_at - started_at) / 60000 FROM visits WHERE id = $1")
        .bind(&share_m)
        .fetch_one(app.pool())
        .await
        .expect("the mentor's share");
    assert_eq!(minutes, 90);

    // The mentor did not take part after all: their share goes, the
    // colleague's stays.
    let fewer = phone.mutation(save(joint(id, &citizen, "2026-11-23T09:30:00Z", &grant, &[&worker2])));
    assert_eq!(phone.push(&[fewer]).await.results[0].outcome, Outcome::Applied);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE id = $1", &share_m).await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE id = $1", &share2).await, 1);
    // The mentor's phone is told it is gone.
    let mut mentor_phone = Phone::new(&app, "mentor").await;
    mentor_phone.pull().await;

    // Deleting the visit deletes the shares.
    let delete = phone.mutation(json!({ "type": "visit_delete", "visit_id": id, "base_version": 0 }));
    assert_eq!(phone.push(&[delete]).await.results[0].outcome, Outcome::Applied);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE id = $1 OR joint_of = $1", &id.to_string()).await, 0);
    let (changes, _, _) = colleague.pull().await;
    assert!(
        changes.iter().any(|c| matches!(c, shared::sync::Change::Deleted { id, .. } if id.to_string() == share2)),
        "the colleague's phone is told the share is gone"
    );
}

#[tokio::test]
async fn a_joint_visit_names_only_colleagues_who_may_see_the_citizen() {
    let app = TestApp::demo().await;
    let (citizen, grant, _) = citizen(&app).await;
    let worker = app.user_id("worker").await;
    let youth_lead = app.user_id("ungeleder").await;
    assign(&app, "worker2", &citizen).await;
    let worker2 = app.user_id("worker2").await;
    let mut phone = Phone::new(&app, "worker").await;
    // (what, colleagues, code, field)
    let cases: Vec<(&str, Vec<&str>, &str, &str)> = vec![
        ("a colleague not assigned to the citizen", vec![&youth_lead], "colleague_not_assigned", "co_workers[0]"),
        ("the second of two not assigned", vec![&worker2, &youth_lead], "colleague_not_assigned", "co_workers[1]"),
        ("the worker themself", vec![&worker], "same_person", "co_workers[0]"),
    ];
    for (what, co, code, field) in cases {
        let id = Uuid::now_v7();
        let m = phone.mutation(save(joint(id, &citizen, E, &grant, &co)));
        let res = phone.push(&[m]).await;
        let (got, at, da) = rejection(&res.results[0].outcome);
        assert_eq!((got.as_str(), at.as_deref()), (code, Some(field)), "{what}");
        assert!(!da.is_empty(), "{what}");
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM visits WHERE id = $1 OR joint_of = $1", &id.to_string()).await,
            0,
            "{what}"
        );
    }
    // A colleague named twice is refused as the draft is read.
    let mut twice = joint(Uuid::now_v7(), &citizen, E, &grant, &[&worker2, &worker2]);
    twice["note"] = json!("to gange");
    let err = serde_json::from_value::<shared::visit::VisitDraft>(twice).expect_err("refused");
    assert!(err.to_string().starts_with("Colleagues who took part too: "), "{err}");
}
