//! Cross-disciplinary meetings over sync (issue 16): who may plan one and
//! whom it may name; minutes only at a meeting that takes place; the
//! organiser's minutes written offline and a colleague's decision written
//! online for the same meeting both land; a decision is an action of the
//! plan naming its meeting; whoever sees the citizen pulls it all.

use serde_json::{Value, json};
use shared::CitizenId;
use shared::sync::{Change, Outcome};
use uuid::Uuid;

use crate::plan::{base, changes_of, citizen, goal, push, refused};
use crate::support::TestApp;
use crate::sync::Phone;

fn meeting(id: Uuid, citizen: CitizenId, on: &str, organiser: &str, participants: &[&str]) -> Value {
    json!({
        "id": id, "citizen_id": citizen, "on": on, "organiser_id": organiser, "participants": participants,
        "others": "Mor (Lone)", "citizen_invited": true, "status": "planned", "citizen_took_part": false,
        "present": [], "next_on": null,
    })
}

/// `m` held on its day from 09:00 UTC for `minutes`, the staff `present`.
fn held(m: &Value, present: &[&str], minutes: u32) -> Value {
    let mut h = m.clone();
    let on = m["on"].as_str().expect("a day");
    h["status"] = json!("held");
    h["present"] = json!(present);
    h["starts_at"] = json!(format!("{on}T09:00:00.000Z"));
    h["duration"] = json!(minutes);
    h
}

fn save(meeting: &Value, base: Option<Value>) -> Value {
    json!({ "type": "meeting_save", "meeting": meeting, "base": base })
}

fn minutes(id: Uuid, meeting: Uuid, citizen: CitizenId, item: Value, text: &str) -> Value {
    json!({ "type": "minutes_add", "minutes": {
        "id": id, "meeting_id": meeting, "citizen_id": citizen, "item": item, "text": text,
    }})
}

fn action(id: Uuid, goal: Uuid, citizen: CitizenId, owner: &str, meeting: Uuid) -> Value {
    json!({ "type": "action_save", "base": null, "action": {
        "id": id, "goal_id": goal, "citizen_id": citizen, "what": "Søg fleksjob", "owner": { "type": "user", "id": owner },
        "due": "2026-12-15", "status": "open", "meeting": meeting,
    }})
}

async fn count(app: &TestApp, table: &str, meeting: Uuid) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE meeting_id = $1"))
        .bind(meeting.to_string())
        .fetch_one(app.pool())
        .await
        .expect("count")
}

#[tokio::test]
async fn the_organiser_plans_a_meeting_and_everyone_who_sees_the_citizen_gets_it() {
    let app = TestApp::demo().await;
    let citizen = citizen(&app).await;
    let (worker, coordinator) = (app.user_id("worker").await, app.user_id("coordinator").await);
    let mut phone = Phone::new(&app, "coordinator").await;
    let id = Uuid::now_v7();
    let planned = meeting(id, citizen, "2026-12-10", &coordinator, &[&worker]);
    assert_eq!(push(&mut phone, vec![save(&planned, None)]).await, [Outcome::Applied]);

    // The worker (assigned) pulls it; worker2 (not assigned) does not.
    let theirs = changes_of(&app, "worker").await;
    assert!(theirs.iter().any(|c| matches!(c, Change::Meeting(m) if m.fields.id.to_string() == id.to_string())));
    let others = changes_of(&app, "worker2").await;
    assert!(!others.iter().any(|c| matches!(c, Change::Meeting(_))));

    // A participant who cannot see the citizen is refused at their place;
    // so is an organiser; and someone who cannot see the citizen may not
    // plan at all.
    let worker2 = app.user_id("worker2").await;
    let bad = meeting(Uuid::now_v7(), citizen, "2026-12-10", &coordinator, &[&worker, &worker2]);
    let out = push(&mut phone, vec![save(&bad, None)]).await;
    assert_eq!(refused(&out[0]), ("cannot_see_citizen".to_owned(), Some("participants[1]".to_owned())));
    let bad = meeting(Uuid::now_v7(), citizen, "2026-12-10", &worker2, &[]);
    let out = push(&mut phone, vec![save(&bad, None)]).await;
    assert_eq!(refused(&out[0]), ("cannot_see_citizen".to_owned(), Some("organiser_id".to_owned())));
    let mut stranger = Phone::new(&app, "worker2").await;
    let out =
        push(&mut stranger, vec![save(&meeting(Uuid::now_v7(), citizen, "2026-12-10", &worker2, &[]), None)]).await;
    assert_eq!(refused(&out[0]).0, "not_visible");

    // Held in the future, or with nobody present, or the next meeting not
    // after it: each refused at its field.
    let mut held = planned.clone();
    held["status"] = json!("held");
    held["present"] = json!([coordinator]);
    let out = push(&mut phone, vec![save(&held, Some(base(1, &planned)))]).await;
    assert_eq!(refused(&out[0]), ("in_future".to_owned(), Some("on".to_owned())));
    held["on"] = json!("2026-11-23");
    // Held with no time: when it began, and how long it lasted, are asked.
    let out = push(&mut phone, vec![save(&held, Some(base(1, &planned)))]).await;
    assert_eq!(refused(&out[0]), ("required".to_owned(), Some("starts_at".to_owned())));
    held["starts_at"] = json!("2026-11-24T09:00:00.000Z");
    held["duration"] = json!(90);
    let out = push(&mut phone, vec![save(&held, Some(base(1, &planned)))]).await;
    assert_eq!(refused(&out[0]), ("mismatch".to_owned(), Some("starts_at".to_owned())), "another day");
    held["starts_at"] = json!("2026-11-23T09:00:00.000Z");
    held["duration"] = json!(961);
    let out = push(&mut phone, vec![save(&held, Some(base(1, &planned)))]).await;
    assert_eq!(refused(&out[0]), ("out_of_range".to_owned(), Some("duration".to_owned())));
    held["duration"] = json!(90);
    held["present"] = json!([]);
    let out = push(&mut phone, vec![save(&held, Some(base(1, &planned)))]).await;
    assert_eq!(refused(&out[0]), ("none_chosen".to_owned(), Some("present".to_owned())));
    held["present"] = json!([coordinator, worker]);
    held["next_on"] = json!("2026-11-20");
    let out = push(&mut phone, vec![save(&held, Some(base(1, &planned)))]).await;
    assert_eq!(refused(&out[0]), ("not_after_meeting".to_owned(), Some("next_on".to_owned())));
    held["next_on"] = json!("2027-03-20");
    held["citizen_took_part"] = json!(true);
    assert_eq!(push(&mut phone, vec![save(&held, Some(base(1, &planned)))]).await, [Outcome::Applied]);
    let stored: (String, i64, String) =
        sqlx::query_as("SELECT status, citizen_took_part, next_on FROM meetings WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(app.pool())
            .await
            .expect("meeting");
    assert_eq!(stored, ("held".to_owned(), 1, "2027-03-20".to_owned()));
}

#[tokio::test]
async fn minutes_are_written_only_at_a_meeting_that_takes_place() {
    let app = TestApp::demo().await;
    let citizen = citizen(&app).await;
    let coordinator = app.user_id("coordinator").await;
    let mut phone = Phone::new(&app, "coordinator").await;
    let (ahead, cancelled, today) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let mut gone = meeting(cancelled, citizen, "2026-11-20", &coordinator, &[]);
    gone["status"] = json!("cancelled");
    let out = push(
        &mut phone,
        vec![
            save(&meeting(ahead, citizen, "2026-12-10", &coordinator, &[]), None),
            save(&gone, None),
            save(&meeting(today, citizen, "2026-11-23", &coordinator, &[]), None),
        ],
    )
    .await;
    assert!(out.iter().all(|o| *o == Outcome::Applied), "{out:?}");
    let other = json!({ "kind": "other" });
    for not in [ahead, cancelled] {
        let out = push(&mut phone, vec![minutes(Uuid::now_v7(), not, citizen, other.clone(), "Noget")]).await;
        assert_eq!(refused(&out[0]), ("not_held".to_owned(), Some("meeting_id".to_owned())));
    }
    let out = push(&mut phone, vec![minutes(Uuid::now_v7(), Uuid::now_v7(), citizen, other.clone(), "Noget")]).await;
    assert_eq!(refused(&out[0]), ("not_found".to_owned(), Some("meeting_id".to_owned())));
    // An empty entry is refused at the text; a goal of another citizen at
    // the item.
    let out = push(&mut phone, vec![minutes(Uuid::now_v7(), today, citizen, other.clone(), "  ")]).await;
    assert_eq!(refused(&out[0]).1.as_deref(), Some("body.text"), "named by its path in the payload");
    let stray = json!({ "kind": "goal", "goal_id": Uuid::now_v7() });
    let out = push(&mut phone, vec![minutes(Uuid::now_v7(), today, citizen, stray, "Om et mål")]).await;
    assert_eq!(refused(&out[0]), ("not_found".to_owned(), Some("item".to_owned())));
    // During the meeting (planned today): written; a replay changes nothing.
    let entry = minutes(Uuid::now_v7(), today, citizen, other, "Borgeren vil gerne i praktik.");
    assert_eq!(push(&mut phone, vec![entry.clone()]).await, [Outcome::Applied]);
    assert_eq!(push(&mut phone, vec![entry]).await, [Outcome::Applied]);
    assert_eq!(count(&app, "meeting_minutes", today).await, 1);
}

#[tokio::test]
async fn minutes_written_offline_and_a_decision_written_online_both_land() {
    let app = TestApp::demo().await;
    let citizen = citizen(&app).await;
    let (worker, coordinator) = (app.user_id("worker").await, app.user_id("coordinator").await);
    let mut organiser = Phone::new(&app, "coordinator").await;
    let (id, goal_id) = (Uuid::now_v7(), Uuid::now_v7());
    let planned = meeting(id, citizen, "2026-11-23", &coordinator, &[&worker]);
    let new_goal =
        json!({ "type": "goal_save", "goal": goal(goal_id, citizen, "Jeg vil i arbejde", "", 1), "base": null });
    assert_eq!(push(&mut organiser, vec![save(&planned, None), new_goal]).await, [Outcome::Applied, Outcome::Applied]);
    organiser.pull().await;

    // The organiser's phone goes offline and writes the minutes of the
    // goal; meanwhile the worker, online, records a decision as an action
    // and adds a participant's note; then the organiser's phone comes back.
    let mut colleague = Phone::new(&app, "worker").await;
    colleague.pull().await;
    let decision = action(Uuid::now_v7(), goal_id, citizen, &worker, id);
    let note = minutes(Uuid::now_v7(), id, citizen, json!({ "kind": "actions" }), "Praktik aftalt med Netto.");
    assert_eq!(push(&mut colleague, vec![decision, note]).await, [Outcome::Applied, Outcome::Applied]);
    let mut held = held(&planned, &[&coordinator, &worker], 60);
    held["citizen_took_part"] = json!(true);
    let offline = vec![
        minutes(
            Uuid::now_v7(),
            id,
            citizen,
            json!({ "kind": "goal", "goal_id": goal_id }),
            "Borgeren fortalte om sit mål.",
        ),
        save(&held, Some(base(1, &planned))),
    ];
    assert_eq!(push(&mut organiser, offline).await, [Outcome::Applied, Outcome::Applied]);
    assert_eq!(count(&app, "meeting_minutes", id).await, 2, "both entries");
    assert_eq!(count(&app, "plan_actions", id).await, 1, "the decision, naming its meeting");

    // Both phones end with the same: the meeting held, two entries, the action.
    for who in ["coordinator", "worker"] {
        let changes = changes_of(&app, who).await;
        let meetings: Vec<_> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Meeting(m) if m.fields.id.to_string() == id.to_string() => Some(m),
                _ => None,
            })
            .collect();
        assert_eq!(meetings.len(), 1);
        assert_eq!(meetings[0].fields.status, shared::meeting::MeetingStatus::Held);
        let entries = changes
            .iter()
            .filter(|c| matches!(c, Change::Minutes(m) if m.fields.meeting_id.to_string() == id.to_string()))
            .count();
        assert_eq!(entries, 2, "{who}");
        assert!(changes.iter().any(
            |c| matches!(c, Change::Action(a) if a.fields.meeting.is_some_and(|m| m.to_string() == id.to_string()))
        ));
    }

    // A decision may not name another citizen's meeting.
    let other: String = sqlx::query_scalar(
        "SELECT a.citizen_id FROM assignments a JOIN users u ON u.id = a.user_id WHERE u.username = 'worker' AND a.citizen_id <> $1 ORDER BY a.citizen_id LIMIT 1",
    )
    .bind(citizen.to_string())
    .fetch_one(app.pool())
    .await
    .expect("another citizen");
    let other: CitizenId = other.parse().expect("id");
    let other_goal = Uuid::now_v7();
    let g = json!({ "type": "goal_save", "goal": goal(other_goal, other, "Noget andet", "", 1), "base": null });
    let out = push(&mut colleague, vec![g, action(Uuid::now_v7(), other_goal, other, &worker, id)]).await;
    assert_eq!(out[0], Outcome::Applied);
    assert_eq!(refused(&out[1]), ("not_found".to_owned(), Some("meeting".to_owned())));
}

#[tokio::test]
async fn two_edits_of_a_meeting_merge_and_a_clash_goes_to_the_coordinator() {
    let app = TestApp::demo().await;
    let citizen = citizen(&app).await;
    let (worker, coordinator) = (app.user_id("worker").await, app.user_id("coordinator").await);
    let mut a = Phone::new(&app, "coordinator").await;
    let mut b = Phone::new(&app, "worker").await;
    let id = Uuid::now_v7();
    let planned = meeting(id, citizen, "2026-12-10", &coordinator, &[]);
    assert_eq!(push(&mut a, vec![save(&planned, None)]).await, [Outcome::Applied]);
    // One moves the day, the other invites the worker: both land.
    let mut moved = planned.clone();
    moved["on"] = json!("2026-12-11");
    let mut invited = planned.clone();
    invited["participants"] = json!([worker]);
    assert_eq!(push(&mut a, vec![save(&moved, Some(base(1, &planned)))]).await, [Outcome::Applied]);
    assert_eq!(push(&mut b, vec![save(&invited, Some(base(1, &planned)))]).await, [Outcome::Applied]);
    let row: (String, String) = sqlx::query_as("SELECT on_date, participants FROM meetings WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(app.pool())
        .await
        .expect("meeting");
    assert_eq!(row.0, "2026-12-11");
    assert!(row.1.contains(&worker));
    // Both move the day differently: the server's stands, the other is kept.
    let mut other_day = planned.clone();
    other_day["on"] = json!("2026-12-12");
    assert_eq!(push(&mut b, vec![save(&other_day, Some(base(1, &planned)))]).await, [Outcome::Applied]);
    let clashes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_conflicts WHERE row_id = $1")
        .bind(id.to_string())
        .fetch_one(app.pool())
        .await
        .expect("conflicts");
    assert_eq!(clashes, 1);
}

/// Where `citizen` stands in the housing lead's November list of meetings
/// due (`"overdue"`, `"never_planned"`, …; empty: nothing to do).
async fn meetings_due(app: &TestApp, lead: &str, citizen: CitizenId) -> Vec<String> {
    let housing: String = sqlx::query_scalar("SELECT id FROM teams WHERE name = 'Bostøtteteamet'")
        .fetch_one(app.pool())
        .await
        .expect("team");
    let res = app.get(&format!("/api/reports/team?team={housing}&month=2026-11")).cookie(lead).send().await;
    assert_eq!(res.status, axum::http::StatusCode::OK, "{}", res.text());
    let report: shared::report::TeamReport = res.json();
    report
        .meetings_due
        .iter()
        .filter(|m| m.citizen_id == citizen)
        .map(|m| serde_json::to_value(m.next).expect("json")["state"].as_str().expect("state").to_owned())
        .collect()
}

#[tokio::test]
async fn the_leads_report_lists_citizens_whose_next_meeting_is_due() {
    let app = TestApp::demo().await;
    let citizen = citizen(&app).await;
    let coordinator = app.user_id("coordinator").await;
    let lead = app.login("lead").await;
    let due = || meetings_due(&app, &lead, citizen);
    // No plan: no meetings expected.
    assert!(due().await.is_empty());
    // A plan begun (by its first goal), no meeting: never planned.
    let mut phone = Phone::new(&app, "coordinator").await;
    let first =
        json!({ "type": "goal_save", "goal": goal(Uuid::now_v7(), citizen, "Jeg vil i arbejde", "", 1), "base": null });
    assert_eq!(push(&mut phone, vec![first]).await, [Outcome::Applied]);
    assert_eq!(due().await, ["never_planned"]);
    // A meeting planned ahead: nothing to do.
    let ahead = meeting(Uuid::now_v7(), citizen, "2026-12-10", &coordinator, &[]);
    assert_eq!(push(&mut phone, vec![save(&ahead, None)]).await, [Outcome::Applied]);
    assert!(due().await.is_empty());
    // Cancelled, and the last one held in June: four months on has passed.
    let mut cancelled = ahead.clone();
    cancelled["status"] = json!("cancelled");
    let june = held(&meeting(Uuid::now_v7(), citizen, "2026-06-01", &coordinator, &[]), &[&coordinator], 60);
    let out = push(&mut phone, vec![save(&cancelled, Some(base(1, &ahead))), save(&june, None)]).await;
    assert_eq!(out, [Outcome::Applied, Outcome::Applied]);
    assert_eq!(due().await, ["overdue"]);
}

/// The meeting visits of meeting `id`: (worker, minutes, kind, row
/// version), by worker.
async fn meeting_visits(app: &TestApp, id: Uuid) -> Vec<(String, i64, String, i64)> {
    sqlx::query_as(
        "SELECT worker_id, (ended_at - started_at) / 60000, kind, row_version FROM visits
         WHERE meeting_of = $1 ORDER BY worker_id",
    )
    .bind(id.to_string())
    .fetch_all(app.pool())
    .await
    .expect("meeting visits")
}

/// (visits, face-to-face minutes) of `user` in the lead's November report
/// of the housing team.
async fn load_of(app: &TestApp, lead: &str, user: &str) -> (u32, u32) {
    let team: String = sqlx::query_scalar("SELECT id FROM teams WHERE name = 'Bostøtteteamet'")
        .fetch_one(app.pool())
        .await
        .expect("team");
    let res = app.get(&format!("/api/reports/team?team={team}&month=2026-11")).cookie(lead).send().await;
    assert_eq!(res.status, axum::http::StatusCode::OK, "{}", res.text());
    let report: shared::report::TeamReport = res.json();
    let user: shared::UserId = user.parse().expect("id");
    report
        .workers
        .iter()
        .find(|w| w.load.worker_id == user)
        .map_or((0, 0), |w| (w.load.visits, w.load.face_to_face.get()))
}

#[tokio::test]
async fn a_held_meeting_counts_once_for_each_staff_member_present_and_follows_the_meeting() {
    let app = TestApp::demo().await;
    let citizen = citizen(&app).await;
    let (worker, coordinator) = (app.user_id("worker").await, app.user_id("coordinator").await);
    let lead = app.login("lead").await;
    let before = load_of(&app, &lead, &worker).await;
    let mut organiser = Phone::new(&app, "coordinator").await;
    let id = Uuid::now_v7();
    let planned = meeting(id, citizen, "2026-11-23", &coordinator, &[&worker]);
    assert_eq!(push(&mut organiser, vec![save(&planned, None)]).await, [Outcome::Applied]);
    assert!(meeting_visits(&app, id).await.is_empty(), "planned: nothing counted yet");

    // Held for 90 minutes with the worker: one meeting visit each, by the
    // organiser's one save; the worker logs nothing.
    let both = held(&planned, &[&coordinator, &worker], 90);
    assert_eq!(push(&mut organiser, vec![save(&both, Some(base(1, &planned)))]).await, [Outcome::Applied]);
    let mut expected =
        vec![(coordinator.clone(), 90, "meeting".to_owned(), 1), (worker.clone(), 90, "meeting".to_owned(), 1)];
    expected.sort();
    assert_eq!(meeting_visits(&app, id).await, expected);
    // Saved again unchanged (a second device, a retry): still one each.
    assert_eq!(push(&mut organiser, vec![save(&both, Some(base(2, &both)))]).await, [Outcome::Applied]);
    assert_eq!(meeting_visits(&app, id).await, expected);
    // In the lead's report the worker has the meeting once.
    let (v0, m0) = before;
    assert_eq!(load_of(&app, &lead, &worker).await, (v0 + 1, m0 + 90));

    // The worker's phone has it, pointing at the meeting; it is not theirs
    // to change or delete: it follows the meeting.
    let mut phone = Phone::new(&app, "worker").await;
    let (changes, _, _) = phone.pull().await;
    let visit_id =
        shared::meeting::MeetingDraft::visit_id(shared::MeetingId::from_uuid(id), worker.parse().expect("id"));
    let theirs = changes
        .iter()
        .find_map(|c| match c {
            Change::Visit(v) if v.id == visit_id => Some(v.clone()),
            _ => None,
        })
        .expect("the meeting visit on the worker's phone");
    assert_eq!(theirs.meeting_of.map(|m| m.to_string()), Some(id.to_string()));
    let mut edit = crate::sync::visit(
        *visit_id.as_uuid(),
        citizen,
        "2026-11-23T09:00:00.000Z",
        "2026-11-23T11:00:00.000Z",
        "Længere",
    );
    edit["kind"] = json!("meeting");
    let out = push(&mut phone, vec![crate::sync::save(edit)]).await;
    assert_eq!(refused(&out[0]).0, "meeting_visit");
    let delete = json!({ "type": "visit_delete", "visit_id": visit_id, "base_version": 1 });
    let out = push(&mut phone, vec![delete]).await;
    assert_eq!(refused(&out[0]).0, "meeting_visit");

    // The organiser corrects the record: only the coordinator was there,
    // for an hour. The worker's visit goes; the coordinator's follows.
    let alone = held(&planned, &[&coordinator], 60);
    assert_eq!(push(&mut organiser, vec![save(&alone, Some(base(2, &both)))]).await, [Outcome::Applied]);
    assert_eq!(meeting_visits(&app, id).await, [(coordinator.clone(), 60, "meeting".to_owned(), 2)]);
    assert_eq!(load_of(&app, &lead, &worker).await, before);
    let (changes, _, _) = phone.pull().await;
    assert!(
        changes.iter().any(|c| matches!(c, Change::Deleted { id: gone, .. } if gone == visit_id.as_uuid())),
        "the worker's phone drops it"
    );

    // The worker's month approved: adding them back would change an
    // approved month's hours, so it is refused at their place.
    app.approve_month(&worker, "2026-11").await;
    let again = held(&planned, &[&coordinator, &worker], 60);
    let out = push(&mut organiser, vec![save(&again, Some(base(3, &alone)))]).await;
    assert_eq!(refused(&out[0]), ("period_approved".to_owned(), Some("present[1]".to_owned())));
    sqlx::query("DELETE FROM period_locks WHERE month = '2026-11'").execute(app.pool()).await.expect("reopened");

    // Cancelled after all: nobody's time counts.
    let mut cancelled = alone.clone();
    cancelled["status"] = json!("cancelled");
    cancelled["present"] = json!([]);
    cancelled["starts_at"] = Value::Null;
    cancelled["duration"] = Value::Null;
    let out = push(&mut organiser, vec![save(&cancelled, Some(base(3, &alone)))]).await;
    assert_eq!(out, [Outcome::Applied]);
    assert!(meeting_visits(&app, id).await.is_empty());
}

/// The rhythm is the target group's (issue 16): the administrator sets
/// meetings a year per layer of the scheme; the citizen's row carries it to
/// the phones, and the lead's list of meetings due follows it.
#[tokio::test]
async fn the_meeting_rhythm_is_set_per_target_group() {
    use axum::http::Method;
    use shared::review::Scheme;
    let app = TestApp::demo().await;
    let citizen = citizen(&app).await;
    let coordinator = app.user_id("coordinator").await;
    let (admin, lead) = (app.login("admin").await, app.login("lead").await);
    // The citizen's layer today.
    let layer: String =
        sqlx::query_scalar("SELECT layer FROM classifications WHERE citizen_id = $1 ORDER BY valid_from DESC LIMIT 1")
            .bind(citizen.to_string())
            .fetch_one(app.pool())
            .await
            .expect("the citizen is classified");
    let due = || meetings_due(&app, &lead, citizen);
    let set_rhythm = |per_year: Option<u8>| {
        let (app, admin, layer) = (&app, admin.clone(), layer.clone());
        async move {
            let mut scheme: Scheme = app.get("/api/admin/scheme").cookie(&admin).send().await.json();
            for l in scheme.layers.iter_mut().filter(|l| l.code == layer) {
                l.meetings_per_year = per_year;
            }
            let res = app
                .call(Method::PUT, "/api/admin/scheme")
                .csrf()
                .cookie(&admin)
                .json(&serde_json::to_value(&scheme).expect("json"))
                .send()
                .await;
            assert_eq!(res.status, axum::http::StatusCode::OK, "{}", res.text());
        }
    };
    // A plan, a meeting held on 1 September: at three a year (the
    // default) the next is due 1 January.
    let mut phone = Phone::new(&app, "coordinator").await;
    let first =
        json!({ "type": "goal_save", "goal": goal(Uuid::now_v7(), citizen, "Jeg vil i arbejde", "", 1), "base": null });
    let september = held(&meeting(Uuid::now_v7(), citizen, "2026-09-01", &coordinator, &[]), &[&coordinator], 60);
    assert_eq!(push(&mut phone, vec![first, save(&september, None)]).await, [Outcome::Applied, Outcome::Applied]);
    assert!(due().await.is_empty());
    // Six a year for the citizen's target group: due 1 November, overdue.
    set_rhythm(Some(6)).await;
    assert_eq!(due().await, ["overdue"]);
    // The citizen's row tells the phones.
    let rows = changes_of(&app, "worker").await;
    let row = rows
        .iter()
        .find_map(|c| match c {
            Change::Citizen(c) if c.id == citizen => Some(c.clone()),
            _ => None,
        })
        .expect("the citizen on the worker's phone");
    assert_eq!(row.layer.and_then(|l| l.meetings_per_year), Some(6));
    // None expected for the group: nothing to do.
    set_rhythm(Some(0)).await;
    assert!(due().await.is_empty());
    // More than twelve is refused at the layer's field.
    let mut scheme: Scheme = app.get("/api/admin/scheme").cookie(&admin).send().await.json();
    scheme.layers[0].meetings_per_year = Some(13);
    let body = serde_json::to_value(&scheme).expect("json");
    let res = app.call(Method::PUT, "/api/admin/scheme").csrf().cookie(&admin).json(&body).send().await;
    assert_eq!(res.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    let error = res.error();
    assert_eq!(
        (error.fields[0].field.as_str(), error.fields[0].code.as_str()),
        ("layers[0].meetings_per_year", "out_of_range")
    );
}
