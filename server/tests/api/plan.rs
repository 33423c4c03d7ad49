//! The citizen's plan over sync (issue 15): the coordinator writes the
//! plan, its goals and an action for the worker; whoever may see the
//! citizen pulls it and nobody else does; edits from two devices merge
//! field by field, a clash keeps both versions; a plan begun on two phones
//! is one plan; bad input is refused at its field; every read and write is
//! access-logged.

use serde_json::{Value, json};
use shared::CitizenId;
use shared::sync::{Change, Outcome};
use uuid::Uuid;

use crate::support::TestApp;
use crate::sync::Phone;

/// A citizen the demo's worker is assigned to and the coordinator
/// coordinates (worker2 is assigned to others).
pub(crate) async fn citizen(app: &TestApp) -> CitizenId {
    let id: String = sqlx::query_scalar(
        "SELECT c.id FROM citizens c JOIN assignments a ON a.citizen_id = c.id JOIN users u ON u.id = a.user_id
         WHERE u.username = 'worker' AND c.coordinator_id = (SELECT id FROM users WHERE username = 'coordinator')
           AND NOT EXISTS (SELECT 1 FROM assignments b JOIN users w ON w.id = b.user_id
                           WHERE b.citizen_id = c.id AND w.username = 'worker2')
         ORDER BY c.id LIMIT 1",
    )
    .fetch_one(app.pool())
    .await
    .expect("a citizen of the worker's the coordinator coordinates");
    id.parse().expect("uuid")
}

fn plan(citizen: CitizenId, wishes: &str, contact: &str) -> Value {
    json!({
        "citizen_id": citizen, "consent": {"state": "given", "on": "2026-11-20"}, "coordinator_id": null,
        "coordinator_contact": contact, "wishes": wishes,
    })
}

pub(crate) fn goal(id: Uuid, citizen: CitizenId, wording: &str, professional: &str, position: u32) -> Value {
    json!({
        "id": id, "citizen_id": citizen, "citizen_wording": wording, "professional_wording": professional,
        "areas": [], "efforts": [], "target_date": null, "status": "active", "position": position,
    })
}

pub(crate) fn base(row_version: u64, fields: &Value) -> Value {
    json!({ "row_version": row_version, "fields": fields })
}

/// Pushes `bodies` from `phone`; the outcome of each.
pub(crate) async fn push(phone: &mut Phone<'_>, bodies: Vec<Value>) -> Vec<Outcome> {
    let mutations: Vec<Value> = bodies.into_iter().map(|b| phone.mutation(b)).collect();
    phone.push(&mutations).await.results.into_iter().map(|r| r.outcome).collect()
}

pub(crate) fn refused(outcome: &Outcome) -> (String, Option<String>) {
    match outcome {
        Outcome::Rejected { code, field, message } => {
            assert!(!message.da.is_empty() && !message.en.is_empty(), "said in both languages");
            (code.clone(), field.clone())
        }
        Outcome::Applied => panic!("applied, expected a refusal"),
    }
}

fn plan_rows(changes: &[Change]) -> (usize, usize, usize, usize) {
    let count = |f: fn(&Change) -> bool| changes.iter().filter(|c| f(c)).count();
    (
        count(|c| matches!(c, Change::Plan(_))),
        count(|c| matches!(c, Change::Goal(_))),
        count(|c| matches!(c, Change::Action(_))),
        count(|c| matches!(c, Change::FollowUp(_))),
    )
}

#[tokio::test]
async fn the_coordinator_writes_the_plan_and_whoever_sees_the_citizen_gets_it() {
    let app = TestApp::demo().await;
    let citizen = citizen(&app).await;
    let worker = app.user_id("worker").await;
    let mut coordinator = Phone::new(&app, "coordinator").await;
    let (g1, g2, action, follow_up) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let outcomes = push(
        &mut coordinator,
        vec![
            json!({ "type": "plan_save", "plan": plan(citizen, "At få et arbejde med dyr", "Ring 2233 4455"), "base": null }),
            json!({ "type": "goal_save", "goal": goal(g1, citizen, "Jeg vil i praktik i en dyrehandel", "", 1), "base": null }),
            json!({ "type": "goal_save", "goal": goal(g2, citizen, "Jeg vil sove om natten", "", 2), "base": null }),
            json!({ "type": "action_save", "action": {
                "id": action, "goal_id": g1, "citizen_id": citizen, "what": "Finde tre dyrehandler at ringe til",
                "owner": {"type": "user", "id": worker}, "due": "2026-12-15", "status": "open" }, "base": null }),
            json!({ "type": "follow_up_add", "follow_up": {
                "id": follow_up, "goal_id": g1, "citizen_id": citizen, "on": "2026-11-23", "citizen_score": 3,
                "functioning": 2, "note": "Første samtale", "conclusion": "continue" } }),
        ],
    )
    .await;
    assert!(outcomes.iter().all(|o| matches!(o, Outcome::Applied)), "{outcomes:?}");

    // The worker assigned to the citizen pulls all of it; worker2 none.
    let mut phone = Phone::new(&app, "worker").await;
    let (changes, _, _) = phone.pull().await;
    assert_eq!(plan_rows(&changes), (1, 2, 1, 1));
    let Some(Change::Plan(p)) = changes.iter().find(|c| matches!(c, Change::Plan(_))) else { panic!("the plan") };
    assert_eq!(
        (p.fields.wishes.as_str(), p.row_version, p.created_on.to_string().as_str()),
        ("At få et arbejde med dyr", 1, "2026-11-23")
    );
    let mut other = Phone::new(&app, "worker2").await;
    let (changes, _, _) = other.pull().await;
    assert_eq!(plan_rows(&changes), (0, 0, 0, 0), "a worker not assigned to the citizen gets nothing of the plan");

    // Nor may they write it.
    let outcomes = push(
        &mut other,
        vec![json!({ "type": "goal_save", "goal": goal(Uuid::now_v7(), citizen, "Et mål", "", 3), "base": null })],
    )
    .await;
    assert_eq!(refused(&outcomes[0]), ("not_visible".to_owned(), Some("citizen_id".to_owned())));

    // The worker marks the action done from the phone.
    let Some(Change::Action(a)) = changes_of(&app, "worker").await.into_iter().find(|c| matches!(c, Change::Action(_)))
    else {
        panic!("the action")
    };
    let mut done = serde_json::to_value(&a.fields).expect("json");
    done["status"] = json!("done");
    let shown = serde_json::to_value(&a.fields).expect("json");
    let outcomes =
        push(&mut phone, vec![json!({ "type": "action_save", "action": done, "base": base(a.row_version, &shown) })])
            .await;
    assert!(matches!(outcomes[0], Outcome::Applied), "{outcomes:?}");
    let status: String = sqlx::query_scalar("SELECT status FROM plan_actions WHERE id = $1")
        .bind(action.to_string())
        .fetch_one(app.pool())
        .await
        .expect("action");
    assert_eq!(status, "done");

    // A replayed follow-up changes nothing; every write and pull is logged.
    let outcomes = push(
        &mut coordinator,
        vec![json!({ "type": "follow_up_add", "follow_up": {
            "id": follow_up, "goal_id": g1, "citizen_id": citizen, "on": "2026-11-23", "citizen_score": 9,
            "functioning": null, "note": "Igen", "conclusion": "end" } })],
    )
    .await;
    assert!(matches!(outcomes[0], Outcome::Applied));
    let score: i64 = sqlx::query_scalar("SELECT citizen_score FROM follow_ups WHERE id = $1")
        .bind(follow_up.to_string())
        .fetch_one(app.pool())
        .await
        .expect("follow-up");
    assert_eq!(score, 3, "follow-ups never change");
    // Each entry says what it was about: a plan write is told from a visit
    // (issue 15's walk found them alike).
    let logged: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT u.username, l.action, l.detail FROM access_log l JOIN users u ON u.id = l.user_id
         WHERE l.citizen_id = $1 ORDER BY l.at",
    )
    .bind(citizen.to_string())
    .fetch_all(app.pool())
    .await
    .expect("log");
    for wanted in [
        ("coordinator", "create", "plan"),
        ("coordinator", "create", "goal"),
        ("coordinator", "create", "plan action"),
        ("coordinator", "create", "follow-up"),
        ("worker", "read", "sync"),
        ("worker", "change", "plan action"),
    ] {
        assert!(
            logged
                .iter()
                .any(|(u, a, d)| (u.as_str(), a.as_str(), d.as_deref()) == (wanted.0, wanted.1, Some(wanted.2))),
            "{wanted:?} logged: {logged:?}"
        );
    }
    assert!(!logged.iter().any(|(u, _, _)| u == "worker2"), "worker2 read nothing");
}

/// Every change the user's fresh phone pulls.
pub(crate) async fn changes_of(app: &TestApp, username: &str) -> Vec<Change> {
    Phone::new(app, username).await.pull().await.0
}

#[tokio::test]
async fn edits_from_two_devices_merge_and_a_clash_keeps_both() {
    let app = TestApp::demo().await;
    let citizen = citizen(&app).await;
    let mut coordinator = Phone::new(&app, "coordinator").await;
    let mut worker = Phone::new(&app, "worker").await;
    let id = Uuid::now_v7();
    let first = goal(id, citizen, "Jeg vil have et job", "", 1);
    push(&mut coordinator, vec![json!({ "type": "goal_save", "goal": first.clone(), "base": null })]).await;

    // Offline on both from version 1: different fields both land.
    let mut theirs = first.clone();
    theirs["professional_wording"] = json!("Ordinære timer, 10 t/uge");
    let mut mine = first.clone();
    mine["target_date"] = json!("2027-06-30");
    push(&mut coordinator, vec![json!({ "type": "goal_save", "goal": theirs, "base": base(1, &first) })]).await;
    let outcomes = push(&mut worker, vec![json!({ "type": "goal_save", "goal": mine, "base": base(1, &first) })]).await;
    assert!(matches!(outcomes[0], Outcome::Applied));
    let row: (String, Option<String>, i64) =
        sqlx::query_as("SELECT professional_wording, target_date, row_version FROM goals WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(app.pool())
            .await
            .expect("goal");
    assert_eq!(row, ("Ordinære timer, 10 t/uge".to_owned(), Some("2027-06-30".to_owned()), 3));

    // The same text changed differently: the server's stands, the other is
    // kept for the coordinator.
    let now: Value = {
        let Some(Change::Goal(g)) = changes_of(&app, "worker")
            .await
            .into_iter()
            .find(|c| matches!(c, Change::Goal(g) if *g.fields.id.as_uuid() == id))
        else {
            panic!("goal")
        };
        serde_json::to_value(&g.fields).expect("json")
    };
    let mut a = now.clone();
    a["citizen_wording"] = json!("Et job med dyr");
    let mut b = now.clone();
    b["citizen_wording"] = json!("Et job i en butik");
    push(&mut coordinator, vec![json!({ "type": "goal_save", "goal": a, "base": base(3, &now) })]).await;
    let outcomes = push(&mut worker, vec![json!({ "type": "goal_save", "goal": b, "base": base(3, &now) })]).await;
    assert!(matches!(outcomes[0], Outcome::Applied), "the edit is taken, its clash kept");
    let wording: String = sqlx::query_scalar("SELECT citizen_wording FROM goals WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(app.pool())
        .await
        .expect("goal");
    assert_eq!(wording, "Et job med dyr");
    let (fields, mine): (String, String) =
        sqlx::query_as("SELECT fields, mine FROM plan_conflicts WHERE row_id = $1 AND settled_at IS NULL")
            .bind(id.to_string())
            .fetch_one(app.pool())
            .await
            .expect("the clash is kept");
    assert_eq!(fields, r#"["citizen_wording"]"#);
    assert!(mine.contains("Et job i en butik"), "{mine}");
}

#[tokio::test]
async fn a_plan_begun_on_two_phones_is_one_plan() {
    let app = TestApp::demo().await;
    let citizen = citizen(&app).await;
    let mut coordinator = Phone::new(&app, "coordinator").await;
    let mut worker = Phone::new(&app, "worker").await;
    // Both begin it offline: the wishes differ, the contact only one wrote.
    push(
        &mut coordinator,
        vec![json!({ "type": "plan_save", "plan": plan(citizen, "At bo for mig selv", ""), "base": null })],
    )
    .await;
    let outcomes = push(
        &mut worker,
        vec![json!({ "type": "plan_save", "plan": plan(citizen, "At få en hund", "Ring 2233 4455"), "base": null })],
    )
    .await;
    assert!(matches!(outcomes[0], Outcome::Applied));
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT wishes, coordinator_contact, row_version FROM plans WHERE citizen_id = $1")
            .bind(citizen.to_string())
            .fetch_all(app.pool())
            .await
            .expect("plan");
    assert_eq!(rows, [("At bo for mig selv".to_owned(), "Ring 2233 4455".to_owned(), 2)]);
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_conflicts WHERE entity = 'plan' AND row_id = $1")
        .bind(citizen.to_string())
        .fetch_one(app.pool())
        .await
        .expect("conflicts");
    assert_eq!(kept, 1, "the other wishes are kept for the coordinator");
}

#[tokio::test]
async fn bad_plan_input_is_refused_at_its_field() {
    let app = TestApp::demo().await;
    let citizen = citizen(&app).await;
    let worker2 = app.user_id("worker2").await;
    let mut coordinator = Phone::new(&app, "coordinator").await;
    let g = Uuid::now_v7();
    push(
        &mut coordinator,
        vec![json!({ "type": "goal_save", "goal": goal(g, citizen, "Et job", "", 1), "base": null })],
    )
    .await;
    let other_grant: String = sqlx::query_scalar("SELECT id FROM grants WHERE citizen_id <> $1 LIMIT 1")
        .bind(citizen.to_string())
        .fetch_one(app.pool())
        .await
        .expect("a grant of another citizen");
    let follow_up = |on: &str, score: i64| {
        json!({ "type": "follow_up_add", "follow_up": {
            "id": Uuid::now_v7(), "goal_id": g, "citizen_id": citizen, "on": on, "citizen_score": score,
            "functioning": null, "note": "", "conclusion": "continue" } })
    };
    let mut with_effort = goal(Uuid::now_v7(), citizen, "Et andet job", "", 2);
    with_effort["efforts"] = json!([{ "type": "grant", "id": other_grant }]);
    let mut twice = goal(Uuid::now_v7(), citizen, "Et tredje job", "", 3);
    let area: String = sqlx::query_scalar("SELECT id FROM areas LIMIT 1").fetch_one(app.pool()).await.expect("area");
    twice["areas"] = json!([area, area]);
    // Issue 15's walk: days years back, and a follow-up with nothing in it.
    let mut long_ago = goal(Uuid::now_v7(), citizen, "Et fjerde job", "", 2);
    long_ago["target_date"] = json!("2020-06-30");
    let mut empty = follow_up("2026-11-23", 0);
    empty["follow_up"]["citizen_score"] = Value::Null;
    let plan_on = |consent: &str, began: &str| {
        json!({ "type": "plan_save", "plan": {
            "citizen_id": citizen, "consent": {"state": "given", "on": consent}, "coordinator_id": null,
            "coordinator_contact": "", "wishes": "", "began_on": began }, "base": null })
    };
    let cases: Vec<(Value, (&str, &str))> = vec![
        (json!({ "type": "goal_save", "goal": long_ago, "base": null }), ("before_plan", "target_date")),
        (
            json!({ "type": "action_save", "action": {
                "id": Uuid::now_v7(), "goal_id": g, "citizen_id": citizen, "what": "Ringe",
                "owner": {"type": "citizen"}, "due": "2019-01-01", "status": "open" }, "base": null }),
            ("before_plan", "due"),
        ),
        (plan_on("1900-01-01", "2026-11-20"), ("too_far_back", "consent")),
        (plan_on("2026-11-20", "1990-01-01"), ("too_far_back", "began_on")),
        (empty, ("no_finding", "note")),
        (follow_up("2026-11-22", 5), ("before_plan", "on")),
        (follow_up("2026-11-25", 5), ("in_future", "on")),
        (follow_up("2026-11-23", 11), ("out_of_range", "body.citizen_score")),
        (
            json!({ "type": "goal_save", "goal": goal(Uuid::now_v7(), citizen, "   ", "", 2), "base": null }),
            ("required", "body.citizen_wording"),
        ),
        (json!({ "type": "goal_save", "goal": with_effort, "base": null }), ("not_found", "efforts")),
        (json!({ "type": "goal_save", "goal": twice, "base": null }), ("taken", "areas")),
        (
            json!({ "type": "action_save", "action": {
                "id": Uuid::now_v7(), "goal_id": g, "citizen_id": citizen, "what": "Ringe",
                "owner": {"type": "user", "id": worker2}, "due": null, "status": "open" }, "base": null }),
            ("not_visible", "owner"),
        ),
        (
            json!({ "type": "action_save", "action": {
                "id": Uuid::now_v7(), "goal_id": Uuid::now_v7(), "citizen_id": citizen, "what": "Ringe",
                "owner": {"type": "citizen"}, "due": null, "status": "open" }, "base": null }),
            ("not_found", "goal_id"),
        ),
        (
            json!({ "type": "plan_save", "plan": {
                "citizen_id": citizen, "consent": {"state": "given", "on": "2026-12-24"}, "coordinator_id": null,
                "coordinator_contact": "", "wishes": "" }, "base": null }),
            ("in_future", "consent"),
        ),
    ];
    for (body, (code, field)) in cases {
        let outcomes = push(&mut coordinator, vec![body.clone()]).await;
        let (got_code, got_field) = refused(&outcomes[0]);
        assert_eq!((got_code.as_str(), got_field.as_deref()), (code, Some(field)), "{body}");
    }
    // Nothing of the refused ones was written.
    let goals: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM goals WHERE citizen_id = $1")
        .bind(citizen.to_string())
        .fetch_one(app.pool())
        .await
        .expect("goals");
    let follow_ups: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM follow_ups").fetch_one(app.pool()).await.expect("n");
    assert_eq!((goals, follow_ups), (1, 0));

    // Issue 15's walk: the plan's start is set back to the meeting where
    // it was agreed (20.11); a follow-up of 22.11 is then taken, one of
    // 19.11 refused with the start named; a start after today is refused.
    let started = json!({ "type": "plan_save", "plan": {
        "citizen_id": citizen, "consent": {"state": "not_asked"}, "coordinator_id": null,
        "coordinator_contact": "", "wishes": "", "began_on": "2026-11-20" }, "base": null });
    let outcomes = push(&mut coordinator, vec![started]).await;
    assert!(matches!(outcomes[0], Outcome::Applied), "{:?}", outcomes[0]);
    let outcomes = push(&mut coordinator, vec![follow_up("2026-11-22", 5)]).await;
    assert!(matches!(outcomes[0], Outcome::Applied), "{:?}", outcomes[0]);
    let outcomes = push(&mut coordinator, vec![follow_up("2026-11-19", 5)]).await;
    assert_eq!(refused(&outcomes[0]), ("before_plan".to_owned(), Some("on".to_owned())));
    match &outcomes[0] {
        Outcome::Rejected { message, .. } => {
            assert!(message.da.contains("planens start, 20.11.2026"), "{message:?}");
        }
        other => panic!("{other:?}"),
    }
    let ahead = json!({ "type": "plan_save", "plan": {
        "citizen_id": citizen, "consent": {"state": "not_asked"}, "coordinator_id": null,
        "coordinator_contact": "", "wishes": "", "began_on": "2026-12-24" }, "base": null });
    let outcomes = push(&mut coordinator, vec![ahead]).await;
    assert_eq!(refused(&outcomes[0]), ("in_future".to_owned(), Some("began_on".to_owned())));
    let began: Option<String> = sqlx::query_scalar("SELECT began_on FROM plans WHERE citizen_id = $1")
        .bind(citizen.to_string())
        .fetch_one(app.pool())
        .await
        .expect("plan");
    assert_eq!(began.as_deref(), Some("2026-11-20"));
}

/// A visit names the goals it worked on (issue 15): only goals of its own
/// citizen — a goal made earlier in the same push counts —, each once; the
/// links come back with the visit, and a goal of another citizen is
/// refused at `goals` with nothing written.
#[tokio::test]
async fn a_visit_names_the_goals_it_worked_on() {
    let app = TestApp::demo().await;
    let citizen = citizen(&app).await;
    let other: String = sqlx::query_scalar("SELECT id FROM citizens WHERE id <> $1 ORDER BY id LIMIT 1")
        .bind(citizen.to_string())
        .fetch_one(app.pool())
        .await
        .expect("another citizen");
    let other: CitizenId = other.parse().expect("uuid");
    let mut admin = Phone::new(&app, "admin").await;
    let foreign = Uuid::now_v7();
    push(
        &mut admin,
        vec![json!({ "type": "goal_save", "goal": goal(foreign, other, "Et andet mål", "", 1), "base": null })],
    )
    .await;

    let mut worker = Phone::new(&app, "worker").await;
    let g = Uuid::now_v7();
    let visit = |goals: Value| {
        let mut v = crate::sync::visit(Uuid::now_v7(), citizen, "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z", "");
        v["goals"] = goals;
        v
    };
    let outcomes = push(
        &mut worker,
        vec![
            json!({ "type": "goal_save", "goal": goal(g, citizen, "Jeg vil i praktik", "", 1), "base": null }),
            crate::sync::save(visit(
                json!([{ "goal_id": g, "note": "Ringede selv til butikken", "citizen_score": 5 }]),
            )),
            crate::sync::save(visit(json!([{ "goal_id": foreign }]))),
            crate::sync::save(visit(json!([{ "goal_id": g }, { "goal_id": g }]))),
        ],
    )
    .await;
    assert!(matches!(outcomes[0], Outcome::Applied) && matches!(outcomes[1], Outcome::Applied), "{outcomes:?}");
    assert_eq!(refused(&outcomes[2]), ("not_found".to_owned(), Some("goals".to_owned())), "another citizen's goal");
    assert_eq!(refused(&outcomes[3]), ("taken".to_owned(), Some("body.goals".to_owned())), "a goal twice");
    let stored: Vec<String> = sqlx::query_scalar("SELECT goals FROM visits WHERE citizen_id = $1 AND goals <> '[]'")
        .bind(citizen.to_string())
        .fetch_all(app.pool())
        .await
        .expect("visits");
    assert_eq!(stored.len(), 1, "only the good visit was written");
    let (changes, _, _) = Phone::new(&app, "coordinator").await.pull().await;
    let linked = changes
        .iter()
        .find_map(|c| match c {
            Change::Visit(v) if !v.goals.is_empty() => Some(v.goals.clone()),
            _ => None,
        })
        .expect("the coordinator pulls the visit with its goals");
    assert_eq!(linked[0].goal_id.to_string(), g.to_string());
    assert_eq!(linked[0].note.as_ref().map(ToString::to_string).as_deref(), Some("Ringede selv til butikken"));
}

/// Issue 15: every revision of the plan is kept with its day, who took
/// part and whether the citizen was present and agreed, and the plan as it
/// stood. The coordinator records one; the assigned worker pulls it and
/// worker2 does not; a replay keeps one; an unknown participant, a day
/// after today or before the plan's start, nobody named and a person twice
/// are refused at their fields with nothing written; the write and the
/// export are logged and the export carries it.
#[tokio::test]
async fn a_revision_of_the_plan_is_kept_with_who_took_part() {
    let app = TestApp::demo().await;
    let citizen = citizen(&app).await;
    let (karina, anne) = (app.user_id("coordinator").await, app.user_id("worker").await);
    let mut coordinator = Phone::new(&app, "coordinator").await;
    let g = Uuid::now_v7();
    // Agreed at a meeting on 20.11 (the demo's today is 23.11).
    let mut started = plan(citizen, "At bo selv", "");
    started["began_on"] = json!("2026-11-20");
    let outcomes = push(
        &mut coordinator,
        vec![
            json!({ "type": "plan_save", "plan": started, "base": null }),
            json!({ "type": "goal_save", "goal": goal(g, citizen, "Jeg vil have et job", "", 1), "base": null }),
        ],
    )
    .await;
    assert!(outcomes.iter().all(|o| matches!(o, Outcome::Applied)), "{outcomes:?}");
    let id = Uuid::now_v7();
    let revision = |id: Uuid, on: &str, participants: Value| {
        json!({ "type": "plan_revision_add", "revision": {
            "id": id, "citizen_id": citizen, "on": on, "participants": participants, "others": "Hanne, mor",
            "citizen_present": true, "citizen_agreed": true, "note": "Gennemgået hjemme hos borgeren",
            "wishes": "At bo selv",
            "goals": [{ "goal_id": g, "citizen_wording": "Jeg vil have et job", "status": "active", "target_date": null,
                        "actions": [{ "what": "Ringe til jobcentret", "owner": {"type": "citizen"}, "due": null, "status": "open" }] }] } })
    };
    let creations = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM access_log l JOIN users u ON u.id = l.user_id
             WHERE l.citizen_id = $1 AND u.username = 'coordinator' AND l.action = 'create'",
        )
        .bind(citizen.to_string())
        .fetch_one(app.pool())
        .await
        .expect("log")
    };
    let logged_before = creations().await;
    let good = revision(id, "2026-11-22", json!([karina, anne]));
    let outcomes = push(&mut coordinator, vec![good.clone(), good]).await;
    assert_eq!(creations().await, logged_before + 1, "the revision's creation is logged once");
    assert!(outcomes.iter().all(|o| matches!(o, Outcome::Applied)), "{outcomes:?}");
    let kept = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM plan_revisions WHERE citizen_id = $1")
            .bind(citizen.to_string())
            .fetch_one(app.pool())
            .await
            .expect("count")
    };
    assert_eq!(kept().await, 1, "a replay keeps one");

    // Refused at their fields, nothing written.
    let cases = [
        (revision(Uuid::now_v7(), "2026-11-22", json!([Uuid::now_v7()])), ("not_found", "participants[0]")),
        (revision(Uuid::now_v7(), "2026-11-25", json!([karina])), ("in_future", "on")),
        (revision(Uuid::now_v7(), "2026-11-19", json!([karina])), ("before_plan", "on")),
        (revision(Uuid::now_v7(), "2026-11-22", json!([])), ("none_chosen", "participants")),
        (revision(Uuid::now_v7(), "2026-11-22", json!([karina, karina])), ("taken", "participants[1]")),
    ];
    for (body, (code, field)) in cases {
        let outcomes = push(&mut coordinator, vec![body.clone()]).await;
        let (got_code, got_field) = refused(&outcomes[0]);
        assert_eq!((got_code.as_str(), got_field.as_deref()), (code, Some(field)), "{body}");
    }
    assert_eq!(kept().await, 1);

    // Whoever may see the citizen pulls it, as recorded; nobody else.
    let mut worker = Phone::new(&app, "worker").await;
    let (changes, _, _) = worker.pull().await;
    let pulled: Vec<_> = changes
        .iter()
        .filter_map(|c| match c {
            Change::PlanRevision(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(pulled.len(), 1);
    let r = &pulled[0].fields;
    assert_eq!((r.on.to_string(), r.participants.len(), r.others.as_str()), ("2026-11-22".to_owned(), 2, "Hanne, mor"));
    assert!(r.citizen_present && r.citizen_agreed);
    assert_eq!(r.goals[0].citizen_wording.as_str(), "Jeg vil have et job");
    assert_eq!(r.goals[0].actions[0].what.as_str(), "Ringe til jobcentret");
    assert_eq!(pulled[0].by.to_string(), karina);
    let mut other = Phone::new(&app, "worker2").await;
    let (changes, _, _) = other.pull().await;
    assert!(!changes.iter().any(|c| matches!(c, Change::PlanRevision(_))), "worker2 does not see the citizen");
    let outcomes = push(&mut other, vec![revision(Uuid::now_v7(), "2026-11-22", json!([karina]))]).await;
    assert_eq!(refused(&outcomes[0]).0, "not_visible");

    // The export carries it.
    let admin = app.login("admin").await;
    let res = app.get(&format!("/api/admin/citizens/{citizen}/export")).cookie(&admin).send().await;
    assert_eq!(res.status, axum::http::StatusCode::OK, "{}", res.text());
    let export: Value = res.json();
    assert_eq!(export["revisions"][0]["others"], json!("Hanne, mor"));
}

/// Issue 15: two people edit the same text of a plan; the later edit is
/// applied with a clash (the first stands), its phone is told its change
/// was not kept, and the citizen's coordinating case worker sees both
/// versions and settles: taking the other puts it on the plan, keeping
/// what stands closes the clash; a settled clash cannot be settled again,
/// and nobody else may list or settle.
#[tokio::test]
async fn the_coordinator_settles_a_clash_of_two_edits_of_the_plan() {
    use shared::plan::PlanConflictsResponse;
    let app = TestApp::demo().await;
    let citizen = citizen(&app).await;
    let mut coordinator = Phone::new(&app, "coordinator").await;
    let first = plan(citizen, "At bo selv", "");
    let outcomes =
        push(&mut coordinator, vec![json!({ "type": "plan_save", "plan": first.clone(), "base": null })]).await;
    assert!(matches!(outcomes[0], Outcome::Applied), "{outcomes:?}");
    let mut worker = Phone::new(&app, "worker").await;
    worker.pull().await;
    // Both edit the wishes from version 1.
    let edit =
        |wishes: &str| json!({ "type": "plan_save", "plan": plan(citizen, wishes, ""), "base": base(1, &first) });
    push(&mut coordinator, vec![edit("At bo selv med min hund")]).await;
    let outcomes = push(&mut worker, vec![edit("At bo selv tæt på min søster")]).await;
    assert!(matches!(outcomes[0], Outcome::Applied), "taken, its clash kept: {outcomes:?}");
    // The worker's phone is told its change was not kept, naming the field.
    let (_, _, last) = worker.pull().await;
    let told: Vec<_> = last.rejected.iter().filter(|r| r.code == "edit_not_kept").collect();
    assert_eq!(told.len(), 1, "{:?}", last.rejected);
    assert_eq!(told[0].field.as_deref(), Some("wishes"));
    assert!(
        told[0].message.da.starts_with("Din ændring af borgerens ønsker for fremtiden i planen blev ikke gemt"),
        "{:?}",
        told[0].message
    );

    // Only the coordinator (or an administrator) lists and settles.
    let path = format!("/api/plans/{citizen}/conflicts");
    let anne = app.login("worker").await;
    assert_eq!(app.get(&path).cookie(&anne).send().await.status, axum::http::StatusCode::FORBIDDEN);
    let karina = app.login("coordinator").await;
    let res = app.get(&path).cookie(&karina).send().await;
    assert_eq!(res.status, axum::http::StatusCode::OK, "{}", res.text());
    let listed: PlanConflictsResponse = res.json();
    assert_eq!(listed.conflicts.len(), 1);
    let c = &listed.conflicts[0];
    assert_eq!((c.entity.as_str(), c.by.as_str()), ("plan", "Anne Kjær"));
    assert_eq!(c.fields.len(), 1);
    assert_eq!(
        (c.fields[0].field.as_str(), c.fields[0].standing.as_str(), c.fields[0].other.as_str()),
        ("wishes", "At bo selv med min hund", "At bo selv tæt på min søster")
    );
    let settle = |id: shared::ConflictId, keep: &str| {
        let (app, karina) = (&app, karina.clone());
        let keep = keep.to_owned();
        async move {
            app.post(&format!("/api/plan-conflicts/{id}/settle"))
                .csrf()
                .cookie(&karina)
                .json(&json!({ "keep": keep }))
                .send()
                .await
        }
    };
    let res = app
        .post(&format!("/api/plan-conflicts/{}/settle", c.id))
        .csrf()
        .cookie(&anne)
        .json(&json!({ "keep": "other" }))
        .send()
        .await;
    assert_eq!(res.status, axum::http::StatusCode::FORBIDDEN);
    // Taking the other version puts it on the plan; the list is empty.
    let res = settle(c.id, "other").await;
    assert_eq!(res.status, axum::http::StatusCode::OK, "{}", res.text());
    assert!(res.json::<PlanConflictsResponse>().conflicts.is_empty());
    let wishes: String = sqlx::query_scalar("SELECT wishes FROM plans WHERE citizen_id = $1")
        .bind(citizen.to_string())
        .fetch_one(app.pool())
        .await
        .expect("plan");
    assert_eq!(wishes, "At bo selv tæt på min søster");
    // The phones get it by sync.
    let (changes, _, _) = coordinator.pull().await;
    assert!(
        changes
            .iter()
            .any(|ch| matches!(ch, Change::Plan(p) if p.fields.wishes.as_str() == "At bo selv tæt på min søster"))
    );
    let res = settle(c.id, "standing").await;
    assert_eq!(res.status, axum::http::StatusCode::CONFLICT, "settled already");

    // A second clash, settled by keeping what stands.
    let version: i64 = sqlx::query_scalar("SELECT row_version FROM plans WHERE citizen_id = $1")
        .bind(citizen.to_string())
        .fetch_one(app.pool())
        .await
        .expect("version");
    let now = plan(citizen, "At bo selv tæt på min søster", "");
    let again = |wishes: &str| json!({ "type": "plan_save", "plan": plan(citizen, wishes, ""), "base": base(version as u64, &now) });
    push(&mut coordinator, vec![again("Første")]).await;
    push(&mut worker, vec![again("Anden")]).await;
    let listed: PlanConflictsResponse = app.get(&path).cookie(&karina).send().await.json();
    assert_eq!(listed.conflicts.len(), 1);
    let res = settle(listed.conflicts[0].id, "standing").await;
    assert_eq!(res.status, axum::http::StatusCode::OK, "{}", res.text());
    let wishes: String = sqlx::query_scalar("SELECT wishes FROM plans WHERE citizen_id = $1")
        .bind(citizen.to_string())
        .fetch_one(app.pool())
        .await
        .expect("plan");
    assert_eq!(wishes, "Første", "what stood stays");
}
