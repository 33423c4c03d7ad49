//! The sync protocol against the real router and a real SQLite file.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde_json::{Value, json};
use shared::sync::{Change, Cursor, Outcome, PROTOCOL_VERSION, PullResponse, PushResponse, SCHEMA_VERSION};
use shared::{CitizenId, ClientId};
use uuid::Uuid;

use crate::support::TestApp;

/// A phone: a client id and a logged-in user.
pub(crate) struct Phone<'a> {
    app: &'a TestApp,
    cookie: String,
    client: ClientId,
    cursor: Option<Cursor>,
    next_id: u64,
}

impl<'a> Phone<'a> {
    pub(crate) async fn new(app: &'a TestApp, username: &str) -> Phone<'a> {
        Phone::with_cookie(app, app.login(username).await)
    }

    /// A phone of the user logged in with `cookie`.
    pub(crate) fn with_cookie(app: &'a TestApp, cookie: String) -> Phone<'a> {
        Phone { app, cookie, client: ClientId::from_uuid(Uuid::now_v7()), cursor: None, next_id: 1 }
    }

    pub(crate) fn mutation(&mut self, body: Value) -> Value {
        let m = json!({ "id": self.next_id, "created_at": "2026-11-23T10:00:00Z", "body": body });
        self.next_id += 1;
        m
    }

    async fn push_raw(&self, mutations: &[Value]) -> crate::support::Response {
        let body = json!({
            "protocol_version": PROTOCOL_VERSION, "schema_version": SCHEMA_VERSION,
            "client_id": self.client, "mutations": mutations,
        });
        self.app.post("/api/sync/push").cookie(&self.cookie).json(&body).send().await
    }

    pub(crate) async fn push(&self, mutations: &[Value]) -> PushResponse {
        let res = self.push_raw(mutations).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        res.json()
    }

    pub(crate) async fn pull_raw(&self, cursor: Option<&Cursor>) -> crate::support::Response {
        self.pull_request(cursor, false).await
    }

    async fn pull_request(&self, cursor: Option<&Cursor>, verify: bool) -> crate::support::Response {
        let body = json!({
            "protocol_version": PROTOCOL_VERSION, "schema_version": SCHEMA_VERSION,
            "client_id": self.client, "cursor": cursor, "verify": verify,
        });
        self.app.post("/api/sync/pull").cookie(&self.cookie).json(&body).send().await
    }

    /// Pulls every page asking for a digest; returns the changes and the
    /// digest, which comes with the last page only.
    async fn pull_verifying(&mut self) -> (Vec<Change>, Option<shared::sync::Digest>) {
        let (changes, _, last) = self.pull_run(true).await;
        (changes, last.digest)
    }

    async fn pull_page(&self, cursor: Option<&Cursor>) -> PullResponse {
        self.pull_page_with(cursor, false).await
    }

    async fn pull_page_with(&self, cursor: Option<&Cursor>, verify: bool) -> PullResponse {
        let res = self.pull_request(cursor, verify).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        res.json()
    }

    /// Pulls every page; returns the pages' changes, and whether any page reset.
    pub(crate) async fn pull(&mut self) -> (Vec<Change>, bool, PullResponse) {
        self.pull_run(false).await
    }

    async fn pull_run(&mut self, verify: bool) -> (Vec<Change>, bool, PullResponse) {
        let mut changes = Vec::new();
        let mut reset = false;
        loop {
            let page = self.pull_page_with(self.cursor.as_ref(), verify).await;
            if page.has_more {
                assert!(page.digest.is_none(), "a digest comes with the last page only");
            }
            reset |= page.reset;
            changes.extend(page.changes.iter().cloned());
            self.cursor = Some(page.cursor.clone());
            if !page.has_more {
                return (changes, reset, page);
            }
        }
    }
}

pub(crate) fn visit(id: Uuid, citizen: CitizenId, start: &str, end: &str, note: &str) -> Value {
    json!({
        "id": id, "citizen_id": citizen, "kind": "home_visit",
        "started_at": start, "ended_at": end, "travel_minutes": 10, "note": note, "charged_to": null,
    })
}

pub(crate) fn save(visit: Value) -> Value {
    json!({ "type": "visit_save", "visit": visit, "base": null })
}

pub(crate) async fn citizen_of(app: &TestApp, username: &str) -> CitizenId {
    let id: String = sqlx::query_scalar(
        "SELECT a.citizen_id FROM assignments a JOIN users u ON u.id = a.user_id WHERE u.username = $1 ORDER BY a.citizen_id LIMIT 1",
    )
    .bind(username)
    .fetch_one(app.pool())
    .await
    .expect("an assigned citizen");
    id.parse().expect("uuid")
}

/// Assigns `citizen` to `username` from the start of 2026, straight in the database.
async fn assign(app: &TestApp, username: &str, citizen: CitizenId) {
    sqlx::query(
        "INSERT INTO assignments (id, citizen_id, user_id, valid_from) SELECT $1, $2, id, '2026-01-01' FROM users WHERE username = $3",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(citizen.to_string())
    .bind(username)
    .execute(app.pool())
    .await
    .expect("assign a citizen");
}

pub(crate) async fn count(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql).bind(bind).fetch_one(app.pool()).await.expect(sql)
}

pub(crate) fn visits(changes: &[Change]) -> BTreeMap<Uuid, shared::visit::Visit> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Visit(v) => Some((*v.id.as_uuid(), v.clone())),
            _ => None,
        })
        .collect()
}

const S: &str = "2026-11-23T08:00:00Z";
const E: &str = "2026-11-23T09:00:00Z";

#[tokio::test]
async fn a_pushed_visit_is_applied_once_and_pulled_back() {
    let app = TestApp::demo().await;
    let mut phone = Phone::new(&app, "worker").await;
    let citizen = citizen_of(&app, "worker").await;
    let id = Uuid::now_v7();
    let m = phone.mutation(save(visit(id, citizen, S, E, "Første besøg")));
    let res = phone.push(std::slice::from_ref(&m)).await;
    assert_eq!(res.last_mutation_id, 1);
    assert_eq!(res.results[0].outcome, Outcome::Applied);

    // The same push again (the response was lost): answered, not re-applied.
    let again = phone.push(&[m]).await;
    assert_eq!(again.results, res.results);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE id = $1", &id.to_string()).await, 1);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM sync_mutations WHERE client_id = $1", &phone.client.to_string()).await,
        1
    );

    let (changes, reset, last) = phone.pull().await;
    assert!(reset, "a first pull starts from scratch");
    assert_eq!(last.confirmed_last_mutation_id, 1);
    let pulled = visits(&changes);
    let v = pulled.get(&id).expect("my visit comes back");
    assert_eq!(v.note.as_str(), "Første besøg");
    assert_eq!(v.row_version, 1);
    assert!(changes.iter().any(|c| matches!(c, Change::Citizen(c) if c.id == citizen)));

    // Nothing new: an empty page with the same confirmation.
    let (changes, reset, last) = phone.pull().await;
    assert!(changes.is_empty() && !reset);
    assert_eq!(last.confirmed_last_mutation_id, 1);
}

/// A visit saved and deleted on the phone before it ever synced (base
/// version 0) goes, in one push or several; a delete from a version the
/// phone saw is refused once the visit has moved on.
#[tokio::test]
async fn a_visit_deleted_before_it_synced_is_deleted() {
    let app = TestApp::demo().await;
    let mut phone = Phone::new(&app, "worker").await;
    let citizen = citizen_of(&app, "worker").await;
    let (one, two) = (Uuid::now_v7(), Uuid::now_v7());
    let batch = [
        phone.mutation(save(visit(one, citizen, S, E, "fortrudt"))),
        phone.mutation(json!({ "type": "visit_delete", "visit_id": one, "base_version": 0 })),
        phone.mutation(save(visit(two, citizen, S, E, "gemt"))),
    ];
    let res = phone.push(&batch).await;
    assert!(res.results.iter().all(|r| r.outcome == Outcome::Applied), "{:?}", res.results);
    let later = [phone.mutation(json!({ "type": "visit_delete", "visit_id": two, "base_version": 0 }))];
    let res = phone.push(&later).await;
    assert_eq!(res.results[0].outcome, Outcome::Applied, "deleted in a later push");

    // Saved twice from the phone, then deleted before it synced: still base 0.
    let three = Uuid::now_v7();
    let first = [phone.mutation(save(visit(three, citizen, S, E, "først")))];
    phone.push(&first).await;
    let edited = [phone.mutation(save(visit(three, citizen, S, E, "ændret")))];
    phone.push(&edited).await;
    let delete = [phone.mutation(json!({ "type": "visit_delete", "visit_id": three, "base_version": 0 }))];
    assert_eq!(phone.push(&delete).await.results[0].outcome, Outcome::Applied);

    // A delete from a version the phone saw is refused once the visit moved on.
    let four = Uuid::now_v7();
    let first = [phone.mutation(save(visit(four, citizen, S, E, "først")))];
    phone.push(&first).await;
    let edited = [phone.mutation(save(visit(four, citizen, S, E, "ændret")))];
    phone.push(&edited).await;
    let stale = [phone.mutation(json!({ "type": "visit_delete", "visit_id": four, "base_version": 1 }))];
    let res = phone.push(&stale).await;
    assert!(matches!(&res.results[0].outcome, Outcome::Rejected { code, .. } if code == "visit_changed"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE id = $1", &four.to_string()).await, 1);
    for id in [one, two, three] {
        assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE id = $1", &id.to_string()).await, 0);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM sync_changes WHERE row_id = $1 AND deleted = 1", &id.to_string()).await,
            1,
            "a tombstone for phones that saw it"
        );
    }
}

#[tokio::test]
async fn concurrent_duplicate_pushes_apply_each_mutation_once() {
    let app = TestApp::demo().await;
    let mut phone = Phone::new(&app, "worker").await;
    let citizen = citizen_of(&app, "worker").await;
    let batch: Vec<Value> =
        (0..20).map(|i| phone.mutation(save(visit(Uuid::now_v7(), citizen, S, E, &format!("besøg {i}"))))).collect();
    let (a, b, c) = tokio::join!(phone.push_raw(&batch), phone.push_raw(&batch), phone.push_raw(&batch));
    for res in [&a, &b, &c] {
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let body: PushResponse = res.json();
        assert_eq!(body.last_mutation_id, 20);
        assert_eq!(body.results.len(), 20);
        assert!(body.results.iter().all(|r| r.outcome == Outcome::Applied));
    }
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE note LIKE 'besøg %'")
        .fetch_one(app.pool())
        .await
        .expect("count");
    assert_eq!(n, 20);
}

#[tokio::test]
async fn a_gap_is_refused_with_the_expected_id() {
    let app = TestApp::demo().await;
    let mut phone = Phone::new(&app, "worker").await;
    let citizen = citizen_of(&app, "worker").await;
    phone.next_id = 3;
    let m = phone.mutation(save(visit(Uuid::now_v7(), citizen, S, E, "")));
    let res = phone.push_raw(&[m]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let err = res.error();
    assert_eq!(err.code, "mutation_gap");
    assert_eq!(err.expected_mutation_id, Some(1));

    // Ids inside one batch must follow each other.
    phone.next_id = 1;
    let one = phone.mutation(save(visit(Uuid::now_v7(), citizen, S, E, "")));
    phone.next_id = 5;
    let five = phone.mutation(save(visit(Uuid::now_v7(), citizen, S, E, "")));
    let res = phone.push_raw(&[one, five]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.error().fields[0].field, "mutations[1].id");
}

#[tokio::test]
async fn a_poison_mutation_is_rejected_alone_and_its_payload_kept() {
    let app = TestApp::demo().await;
    let mut phone = Phone::new(&app, "worker").await;
    let mine = citizen_of(&app, "worker").await;
    let not_mine = citizen_of(&app, "worker2").await;
    let ok1 = Uuid::now_v7();
    let ok2 = Uuid::now_v7();
    let batch = [
        phone.mutation(save(visit(ok1, mine, S, E, "ok"))),
        phone.mutation(save(visit(Uuid::now_v7(), not_mine, S, E, "someone else's citizen"))),
        // Not even a valid visit: the end is before the start.
        phone.mutation(save(visit(Uuid::now_v7(), mine, E, S, "backwards"))),
        phone.mutation(save(visit(Uuid::now_v7(), mine, "2026-11-25T08:00:00Z", "2026-11-25T09:00:00Z", "future"))),
        phone.mutation(save(visit(ok2, mine, S, E, "ok too"))),
    ];
    let res = phone.push(&batch).await;
    assert_eq!(res.last_mutation_id, 5, "rejections advance the queue");
    let codes: Vec<_> = res
        .results
        .iter()
        .map(|r| match &r.outcome {
            Outcome::Applied => "applied".to_owned(),
            Outcome::Rejected { code, .. } => code.clone(),
        })
        .collect();
    assert_eq!(codes, ["applied", "not_assigned", "end_before_start", "in_future", "applied"]);
    let Outcome::Rejected { message, field, .. } = &res.results[1].outcome else { unreachable!() };
    assert_eq!(field.as_deref(), Some("citizen_id"));
    assert!(message.da.contains("tilknyttet") && message.en.contains("assigned"));
    let Outcome::Rejected { field, .. } = &res.results[2].outcome else { unreachable!() };
    assert_eq!(field.as_deref(), Some("body.ended_at"), "the field is named by its path");

    // The rejected payloads are kept on the server.
    let kept: Vec<String> = sqlx::query_scalar(
        "SELECT payload FROM sync_mutations WHERE client_id = $1 AND status = 'rejected' ORDER BY mutation_id",
    )
    .bind(phone.client.to_string())
    .fetch_all(app.pool())
    .await
    .expect("payloads");
    assert_eq!(kept.len(), 3);
    assert!(kept[0].contains("someone else's citizen") && kept[1].contains("backwards"));

    // A phone whose push response was lost learns of the rejections by pulling.
    let (changes, _, last) = phone.pull().await;
    let rejected: Vec<u64> = last.rejected.iter().map(|r| r.id).collect();
    assert_eq!(rejected, [2, 3, 4]);
    assert!(
        last.rejected[0].mutation.is_some() && last.rejected[1].mutation.is_none(),
        "unparseable stays the phone's"
    );
    let pulled = visits(&changes);
    assert!(pulled.contains_key(&ok1) && pulled.contains_key(&ok2));
    // …and only once.
    let (_, _, again) = phone.pull().await;
    assert!(again.rejected.is_empty());
}

#[tokio::test]
async fn an_infrastructure_failure_mid_batch_advances_nothing() {
    let app = TestApp::demo().await;
    let mut phone = Phone::new(&app, "worker").await;
    let citizen = citizen_of(&app, "worker").await;
    let first = Uuid::now_v7();
    let batch = [
        phone.mutation(save(visit(first, citizen, S, E, "before the failure"))),
        phone.mutation(
            json!({ "type": "timer_start", "timer_id": Uuid::now_v7(), "citizen_id": citizen, "started_at": S }),
        ),
    ];
    sqlx::query("ALTER TABLE timers RENAME TO timers_away").execute(app.pool()).await.expect("break");
    let res = phone.push_raw(&batch).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE id = $1", &first.to_string()).await, 0, "rolled back");
    assert_eq!(
        count(
            &app,
            "SELECT COALESCE(MAX(last_mutation_id), 0) FROM sync_clients WHERE client_id = $1",
            &phone.client.to_string()
        )
        .await,
        0
    );
    sqlx::query("ALTER TABLE timers_away RENAME TO timers").execute(app.pool()).await.expect("mend");
    let res = phone.push(&batch).await;
    assert!(res.results.iter().all(|r| r.outcome == Outcome::Applied), "{:?}", res.results);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE id = $1", &first.to_string()).await, 1);
}

#[tokio::test]
async fn a_client_belongs_to_one_user() {
    let app = TestApp::demo().await;
    let mut phone = Phone::new(&app, "worker").await;
    let citizen = citizen_of(&app, "worker").await;
    let m = phone.mutation(save(visit(Uuid::now_v7(), citizen, S, E, "")));
    phone.push(std::slice::from_ref(&m)).await;
    let thief = Phone { cookie: app.login("worker2").await, ..Phone::new(&app, "worker2").await };
    let stolen = Phone { client: phone.client, ..thief };
    let res = stolen.push_raw(&[m]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_worker_cannot_change_another_workers_visit() {
    let app = TestApp::demo().await;
    let mut worker = Phone::new(&app, "worker").await;
    let mut other = Phone::new(&app, "worker2").await;
    let citizen = citizen_of(&app, "worker").await;
    let id = Uuid::now_v7();
    let m = worker.mutation(save(visit(id, citizen, S, E, "mine")));
    worker.push(&[m]).await;
    let steal = other.mutation(save(visit(id, citizen, S, E, "overwritten")));
    let res = other.push(&[steal]).await;
    assert!(matches!(&res.results[0].outcome, Outcome::Rejected { code, .. } if code == "not_your_visit"));
    let del = other.mutation(json!({ "type": "visit_delete", "visit_id": id, "base_version": 1 }));
    let res = other.push(&[del]).await;
    assert!(matches!(&res.results[0].outcome, Outcome::Rejected { code, .. } if code == "not_your_visit"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE id = $1 AND note = 'mine'", &id.to_string()).await, 1);
}

#[tokio::test]
async fn pulls_are_scoped_to_what_the_user_may_see() {
    let app = TestApp::demo().await;
    let mut worker = Phone::new(&app, "worker").await;
    let mut worker2 = Phone::new(&app, "worker2").await;
    let (mine, _, _) = worker.pull().await;
    let (theirs, _, _) = worker2.pull().await;
    let citizens = |changes: &[Change]| -> Vec<CitizenId> {
        changes.iter().filter_map(|c| if let Change::Citizen(c) = c { Some(c.id) } else { None }).collect()
    };
    let mine_citizens = citizens(&mine);
    assert!(!mine_citizens.is_empty());
    assert!(mine_citizens.iter().all(|c| !citizens(&theirs).contains(c)));
    for v in visits(&mine).values() {
        assert!(mine_citizens.contains(&v.citizen_id), "only visits of my citizens");
    }
    // Grants of my citizens and the drawing right of my team come along.
    assert!(mine.iter().any(|c| matches!(c, Change::Grant(g) if mine_citizens.contains(&g.citizen_id))));
    assert!(mine.iter().any(|c| matches!(c, Change::DrawingRight(_))));
    assert!(!mine.iter().any(|c| matches!(c, Change::Grant(g) if !mine_citizens.contains(&g.citizen_id))));
}

#[tokio::test]
async fn a_large_download_comes_in_pages_with_progress() {
    let app = TestApp::demo().await;
    let mut worker = Phone::new(&app, "worker").await;
    let citizen = citizen_of(&app, "worker").await;
    for _ in 0..11 {
        let batch: Vec<Value> =
            (0..100).map(|i| worker.mutation(save(visit(Uuid::now_v7(), citizen, S, E, &format!("{i}"))))).collect();
        worker.push(&batch).await;
    }
    let mut admin = Phone::new(&app, "admin").await;
    let first = admin.pull_page(None).await;
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sync_changes").fetch_one(app.pool()).await.expect("count");
    assert!(total > shared::sync::MAX_PULL_CHANGES as i64, "the demo has more than a page");
    assert!(first.has_more);
    assert_eq!(first.changes.len(), shared::sync::MAX_PULL_CHANGES);
    assert_eq!(first.remaining as i64, total - shared::sync::MAX_PULL_CHANGES as i64);
    let second = admin.pull_page(Some(&first.cursor)).await;
    assert!(!second.reset);
    let mut keys: Vec<_> = first.changes.iter().chain(&second.changes).map(Change::key).collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n, "no row twice");
    let (rest, _, _) = admin.pull().await;
    assert_eq!(rest.len() as i64, total, "the cursor of a fresh phone restarts, and everything arrives");
}

#[tokio::test]
async fn changes_committed_while_paging_are_not_skipped() {
    let app = TestApp::demo().await;
    let mut lead = Phone::new(&app, "lead").await;
    let mut worker = Phone::new(&app, "worker").await;
    let mut worker2 = Phone::new(&app, "worker2").await;
    let c1 = citizen_of(&app, "worker").await;
    let c2 = citizen_of(&app, "worker2").await;
    lead.pull().await;
    let mut expected = Vec::new();
    for round in 0..10 {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        expected.extend([a, b]);
        let ma = worker.mutation(save(visit(a, c1, S, E, &format!("a{round}"))));
        let mb = worker2.mutation(save(visit(b, c2, S, E, &format!("b{round}"))));
        // Two writers and a reader at once.
        let (ba, bb) = ([ma], [mb]);
        let (ra, rb, _) =
            tokio::join!(worker.push_raw(&ba), worker2.push_raw(&bb), lead.pull_page(lead.cursor.as_ref()));
        assert_eq!((ra.status, rb.status), (StatusCode::OK, StatusCode::OK));
    }
    let (changes, _, _) = lead.pull().await;
    let seen = visits(&changes);
    let missing: Vec<_> = expected.iter().filter(|id| !seen.contains_key(id)).collect();
    // The lead pulled concurrently above without keeping those cursors, so
    // this pull from the pre-write cursor must hold every visit.
    assert!(missing.is_empty(), "skipped: {missing:?}");
}

#[tokio::test]
async fn scope_changes_reset_the_phone_whole() {
    let app = TestApp::demo().await;
    let mut phone = Phone::new(&app, "worker").await;
    let (before, _, _) = phone.pull().await;
    let newcomer = citizen_of(&app, "worker2").await;
    let newcomer_visits =
        count(&app, "SELECT COUNT(*) FROM visits WHERE citizen_id = $1", &newcomer.to_string()).await as usize;
    assert!(newcomer_visits > 0);
    assert!(!before.iter().any(|c| matches!(c, Change::Citizen(c) if c.id == newcomer)));

    // Assign worker2's citizen to worker too.
    assign(&app, "worker", newcomer).await;
    let (after, reset, _) = phone.pull().await;
    assert!(reset, "a new citizen resets the phone so it arrives whole");
    assert!(after.iter().any(|c| matches!(c, Change::Citizen(c) if c.id == newcomer)));
    let arrived = visits(&after).values().filter(|v| v.citizen_id == newcomer).count();
    assert_eq!(arrived, newcomer_visits, "with all its visits");

    // Unassign it again: another reset, without that citizen.
    sqlx::query(
        "DELETE FROM assignments WHERE citizen_id = $1 AND user_id = (SELECT id FROM users WHERE username = 'worker')",
    )
    .bind(newcomer.to_string())
    .execute(app.pool())
    .await
    .expect("unassign");
    let (gone, reset, _) = phone.pull().await;
    assert!(reset);
    assert!(!gone.iter().any(|c| matches!(c, Change::Citizen(c) if c.id == newcomer)));
    assert!(visits(&gone).values().all(|v| v.citizen_id != newcomer));
}

#[tokio::test]
async fn a_restored_database_resets_every_phone() {
    let app = TestApp::demo().await;
    let mut phone = Phone::new(&app, "worker").await;
    phone.pull().await;
    let (_, reset, _) = phone.pull().await;
    assert!(!reset);
    sqlx::query("UPDATE sync_meta SET epoch = 'restored'").execute(app.pool()).await.expect("new epoch");
    let (changes, reset, _) = phone.pull().await;
    assert!(reset && !changes.is_empty());
}

/// A worker's phone and tablet, and a visit the phone saved (version 1):
/// its id, citizen, fields and the base an edit of it carries.
struct SharedVisit<'a> {
    phone: Phone<'a>,
    tablet: Phone<'a>,
    citizen: CitizenId,
    id: Uuid,
    original: Value,
    base: Value,
}

async fn shared_visit(app: &TestApp) -> SharedVisit<'_> {
    let mut phone = Phone::new(app, "worker").await;
    let tablet = Phone::new(app, "worker").await;
    let citizen = citizen_of(app, "worker").await;
    let id = Uuid::now_v7();
    let original = visit(id, citizen, S, E, "original");
    let m = phone.mutation(save(original.clone()));
    phone.push(&[m]).await;
    let base = json!({ "row_version": 1, "fields": original });
    SharedVisit { phone, tablet, citizen, id, original, base }
}

#[tokio::test]
async fn two_devices_editing_one_visit_merge_by_field() {
    let app = TestApp::demo().await;
    let SharedVisit { mut phone, mut tablet, id, original, base, .. } = shared_visit(&app).await;

    // The phone changes the note, the tablet the travel time: both survive.
    let mut v = original.clone();
    v["note"] = "phone's note".into();
    let m = phone.mutation(json!({ "type": "visit_save", "visit": v, "base": base }));
    phone.push(&[m]).await;
    let mut v = original.clone();
    v["travel_minutes"] = 40.into();
    let m = tablet.mutation(json!({ "type": "visit_save", "visit": v, "base": base }));
    let res = tablet.push(&[m]).await;
    assert_eq!(res.results[0].outcome, Outcome::Applied);
    let (changes, _, _) = tablet.pull().await;
    let merged = &visits(&changes)[&id];
    assert_eq!((merged.note.as_str(), merged.travel_minutes.get(), merged.row_version), ("phone's note", 40, 3));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visit_conflicts WHERE visit_id = $1", &id.to_string()).await, 0);

    // Both change the note: the server's stands, the tablet's is kept as a conflict.
    let mut v = original.clone();
    v["note"] = "tablet's note".into();
    let m = tablet.mutation(json!({ "type": "visit_save", "visit": v, "base": base }));
    tablet.push(&[m]).await;
    let (changes, _, _) = tablet.pull().await;
    assert_eq!(visits(&changes)[&id].note.as_str(), "phone's note");
    let kept: String = sqlx::query_scalar("SELECT mine FROM visit_conflicts WHERE visit_id = $1")
        .bind(id.to_string())
        .fetch_one(app.pool())
        .await
        .expect("conflict record");
    assert!(kept.contains("tablet's note"));
}

#[tokio::test]
async fn approved_visits_are_immutable_and_say_why() {
    let app = TestApp::demo().await;
    let mut phone = Phone::new(&app, "worker").await;
    let citizen = citizen_of(&app, "worker").await;
    let id = Uuid::now_v7();
    let m = phone.mutation(save(visit(id, citizen, S, E, "")));
    phone.push(&[m]).await;
    sqlx::query("UPDATE visits SET status = 'approved' WHERE id = $1")
        .bind(id.to_string())
        .execute(app.pool())
        .await
        .expect("approve");
    let m = phone.mutation(save(visit(id, citizen, S, E, "changed later")));
    let res = phone.push(&[m]).await;
    let Outcome::Rejected { code, message, .. } = &res.results[0].outcome else { panic!("must be rejected") };
    assert_eq!(code, "approved");
    assert!(message.da.contains("godkendt"));
}

#[tokio::test]
async fn deletes_replicate_as_tombstones() {
    let app = TestApp::demo().await;
    let mut phone = Phone::new(&app, "worker").await;
    let mut tablet = Phone::new(&app, "worker").await;
    let citizen = citizen_of(&app, "worker").await;
    let id = Uuid::now_v7();
    let m = phone.mutation(save(visit(id, citizen, S, E, "")));
    phone.push(&[m]).await;
    tablet.pull().await;
    let m = phone.mutation(json!({ "type": "visit_delete", "visit_id": id, "base_version": 1 }));
    assert_eq!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied);
    let (changes, reset, _) = tablet.pull().await;
    assert!(!reset);
    assert!(changes.iter().any(|c| matches!(c, Change::Deleted { id: d, .. } if *d == id)));
    // Deleting again is harmless.
    let m = phone.mutation(json!({ "type": "visit_delete", "visit_id": id, "base_version": 1 }));
    assert_eq!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied);
}

#[tokio::test]
async fn one_running_timer_per_worker_across_devices() {
    let app = TestApp::demo().await;
    let mut phone = Phone::new(&app, "worker").await;
    let mut tablet = Phone::new(&app, "worker").await;
    let citizen = citizen_of(&app, "worker").await;
    let timer = Uuid::now_v7();
    let m = phone.mutation(json!({ "type": "timer_start", "timer_id": timer, "citizen_id": citizen, "started_at": "2026-11-23T10:00:00Z" }));
    assert_eq!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied);
    let (changes, _, _) = tablet.pull().await;
    assert!(changes.iter().any(|c| matches!(c, Change::Timer(t) if t.is_running())), "the tablet sees it");
    let m = tablet.mutation(json!({ "type": "timer_start", "timer_id": Uuid::now_v7(), "citizen_id": citizen, "started_at": "2026-11-23T10:01:00Z" }));
    let res = tablet.push(&[m]).await;
    assert!(matches!(&res.results[0].outcome, Outcome::Rejected { code, .. } if code == "timer_running"));
    let m = phone.mutation(json!({ "type": "timer_stop", "timer_id": timer, "stopped_at": "2026-11-23T10:45:00Z" }));
    assert_eq!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied);
    let (changes, _, _) = tablet.pull().await;
    let stopped =
        changes.iter().find_map(|c| if let Change::Timer(t) = c { Some(t.clone()) } else { None }).expect("timer");
    assert_eq!(stopped.started_at.minutes_until(stopped.stopped_at.expect("stopped")), 45);
}

#[tokio::test]
async fn two_devices_starting_a_timer_at_once_get_one_timer_and_one_refusal() {
    let app = TestApp::demo().await;
    let citizen = citizen_of(&app, "worker").await;
    for round in 0..5 {
        let mut phone = Phone::new(&app, "worker").await;
        let mut tablet = Phone::new(&app, "worker").await;
        let start = |phone: &mut Phone| {
            phone.mutation(json!({ "type": "timer_start", "timer_id": Uuid::now_v7(), "citizen_id": citizen, "started_at": "2026-11-23T10:00:00Z" }))
        };
        let (a, b) = ([start(&mut phone)], [start(&mut tablet)]);
        let (a, b) = tokio::join!(phone.push_raw(&a), tablet.push_raw(&b));
        let mut outcomes = Vec::new();
        for res in [&a, &b] {
            assert_eq!(res.status, StatusCode::OK, "round {round}: {}", res.text());
            let body: PushResponse = res.json();
            outcomes.push(match &body.results[0].outcome {
                Outcome::Applied => "applied".to_owned(),
                Outcome::Rejected { code, .. } => code.clone(),
            });
        }
        outcomes.sort();
        assert_eq!(outcomes, ["applied", "timer_running"], "round {round}");
        let running = count(
            &app,
            "SELECT COUNT(*) FROM timers WHERE stopped_at IS NULL AND citizen_id = $1",
            &citizen.to_string(),
        )
        .await;
        assert_eq!(running, 1, "round {round}");
        sqlx::query("UPDATE timers SET stopped_at = started_at + 60000 WHERE stopped_at IS NULL")
            .execute(app.pool())
            .await
            .expect("stop it for the next round");
    }
}

#[tokio::test]
async fn unknown_protocol_versions_get_426() {
    let app = TestApp::demo().await;
    let phone = Phone::new(&app, "worker").await;
    for path in ["/api/sync/push", "/api/sync/pull"] {
        for version in [0, PROTOCOL_VERSION + 1, 99] {
            let body = json!({ "protocol_version": version, "schema_version": SCHEMA_VERSION, "client_id": phone.client, "mutations": [], "cursor": null });
            let res = app.post(path).cookie(&phone.cookie).json(&body).send().await;
            assert_eq!(res.status, StatusCode::UPGRADE_REQUIRED, "{path} v{version}");
            let err = res.error();
            assert_eq!(err.code, "protocol_version");
            assert!(err.message.da.contains("Genindlæs"));
        }
    }
    let res = app.post("/api/sync/pull").json(&json!({})).send().await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED, "sync needs a login");
}

#[tokio::test]
async fn changes_out_of_scope_move_the_cursor_past_them() {
    let app = TestApp::demo().await;
    let mut worker = Phone::new(&app, "worker").await;
    let mut other = Phone::new(&app, "worker2").await;
    worker.pull().await;
    let before = worker.cursor.clone().expect("cursor");
    let citizen = citizen_of(&app, "worker2").await;
    let m = other.mutation(save(visit(Uuid::now_v7(), citizen, S, E, "not yours")));
    other.push(&[m]).await;
    let (changes, _, _) = worker.pull().await;
    assert!(changes.is_empty(), "nothing of worker2's reaches worker");
    assert_ne!(worker.cursor, Some(before), "but the cursor moves past it");
    let stamp = |c: &Cursor| c.0.split('.').nth(2).map(str::to_owned);
    let newest: i64 = sqlx::query_scalar("SELECT MAX(tx) FROM sync_changes").fetch_one(app.pool()).await.expect("max");
    assert_eq!(stamp(worker.cursor.as_ref().expect("cursor")), Some(newest.to_string()));
}

#[tokio::test]
async fn a_rejected_merge_leaves_no_conflict_behind() {
    let app = TestApp::demo().await;
    let SharedVisit { mut phone, mut tablet, citizen, id, original, base } = shared_visit(&app).await;
    let mut v = original.clone();
    v["note"] = "phone".into();
    let m = phone.mutation(json!({ "type": "visit_save", "visit": v, "base": base }));
    phone.push(&[m]).await;
    // The tablet's edit clashes on the note and also moves the visit to the future.
    let mut v = visit(id, citizen, "2026-11-30T08:00:00Z", "2026-11-30T09:00:00Z", "tablet");
    v["travel_minutes"] = 10.into();
    let m = tablet.mutation(json!({ "type": "visit_save", "visit": v, "base": base }));
    let res = tablet.push(&[m]).await;
    assert!(matches!(&res.results[0].outcome, Outcome::Rejected { code, .. } if code == "in_future"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM visit_conflicts WHERE visit_id = $1", &id.to_string()).await, 0);
    assert_eq!(count(&app, "SELECT row_version FROM visits WHERE id = $1", &id.to_string()).await, 2);
}

#[tokio::test]
async fn a_visit_moved_to_another_citizen_leaves_the_phones_that_cannot_see_it() {
    let app = TestApp::demo().await;
    let mine: Vec<String> = sqlx::query_scalar(
        "SELECT a.citizen_id FROM assignments a JOIN users u ON u.id = a.user_id WHERE u.username = 'worker' ORDER BY a.citizen_id",
    )
    .fetch_all(app.pool())
    .await
    .expect("worker's citizens");
    let (from, to): (CitizenId, CitizenId) = (mine[0].parse().expect("uuid"), mine[1].parse().expect("uuid"));
    // worker2 shares the first citizen (assigned before their first pull,
    // so no scope change resets them later), not the second.
    assign(&app, "worker2", from).await;

    let mut phone = Phone::new(&app, "worker").await;
    let mut tablet = Phone::new(&app, "worker").await;
    let mut colleague = Phone::new(&app, "worker2").await;
    let id = Uuid::now_v7();
    let original = visit(id, from, S, E, "wrong citizen");
    let m = phone.mutation(save(original.clone()));
    phone.push(&[m]).await;
    tablet.pull().await;
    let (seen, _, _) = colleague.pull().await;
    assert!(visits(&seen).contains_key(&id), "the colleague sees the visit of the shared citizen");

    // The worker puts the visit on the right citizen.
    let mut moved = original.clone();
    moved["citizen_id"] = json!(to);
    let m = phone.mutation(json!({ "type": "visit_save", "visit": moved,
        "base": { "row_version": 1, "fields": original } }));
    assert_eq!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied);

    // The colleague may no longer see it: it leaves their phone.
    let (changes, reset, page) = colleague.pull().await;
    assert!(!reset, "a moved row is not a scope change of the colleague");
    assert_eq!(
        changes.iter().filter(|c| matches!(c, Change::Deleted { id: d, .. } if *d == id)).count(),
        1,
        "{changes:?}"
    );
    assert!(!visits(&changes).contains_key(&id));
    assert_eq!(page.remaining, 0);
    let (again, _, _) = colleague.pull().await;
    assert!(again.is_empty(), "the departure is pulled once: {again:?}");

    // The worker's other device sees both citizens: the visit, moved, no deletion.
    let (changes, _, _) = tablet.pull().await;
    assert_eq!(visits(&changes)[&id].citizen_id, to);
    assert!(!changes.iter().any(|c| matches!(c, Change::Deleted { .. })), "{changes:?}");

    // Moved back, the colleague gets it again, and a phone that never saw
    // it starts with it and no stray deletion.
    let mut back = original.clone();
    back["note"] = "back again".into();
    let m = phone.mutation(json!({ "type": "visit_save", "visit": back,
        "base": { "row_version": 2, "fields": moved } }));
    assert_eq!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied);
    let (changes, _, _) = colleague.pull().await;
    assert_eq!(visits(&changes)[&id].note.as_str(), "back again");
    assert!(!changes.iter().any(|c| matches!(c, Change::Deleted { .. })), "{changes:?}");
    let mut fresh = Phone::new(&app, "worker2").await;
    let (changes, _, _) = fresh.pull().await;
    assert!(visits(&changes).contains_key(&id));
    assert!(!changes.iter().any(|c| matches!(c, Change::Deleted { id: d, .. } if *d == id)));
}

#[tokio::test]
async fn a_drawing_right_given_to_other_teams_leaves_the_phones_that_cannot_see_it() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let mut coordinator = Phone::new(&app, "coordinator").await;
    let mut worker = Phone::new(&app, "worker").await;
    let (seen, _, _) = coordinator.pull().await;
    let pool = seen
        .iter()
        .find_map(|c| if let Change::DrawingRight(d) = c { Some(d.clone()) } else { None })
        .expect("the owner area's coordinator sees its drawing right");
    worker.pull().await;

    // Now the social area draws on the mentors (employment area).
    let social: String = sqlx::query_scalar("SELECT id FROM areas WHERE name = 'Socialområdet'")
        .fetch_one(app.pool())
        .await
        .expect("area");
    let mentors: String = sqlx::query_scalar("SELECT id FROM teams WHERE name = 'Mentorteamet'")
        .fetch_one(app.pool())
        .await
        .expect("team");
    let mut body = serde_json::to_value(&pool).expect("json");
    body["owner_area_id"] = json!(social);
    body["provider_team_id"] = json!(mentors);
    let res = app
        .call(axum::http::Method::PUT, &format!("/api/drawing-rights/{}", pool.id))
        .cookie(&admin)
        .csrf()
        .json(&body)
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());

    // The case team's coordinator sees neither the new area nor the team.
    let (changes, reset, _) = coordinator.pull().await;
    assert!(!reset);
    assert!(
        changes.iter().any(|c| matches!(c, Change::Deleted { id, .. } if *id == *pool.id.as_uuid())),
        "{changes:?}"
    );
    // The housing team is in the new owner area: it gets the change.
    let (changes, _, _) = worker.pull().await;
    assert!(changes.iter().any(|c| matches!(c, Change::DrawingRight(d) if d.id == pool.id)), "{changes:?}");
    assert!(!changes.iter().any(|c| matches!(c, Change::Deleted { .. })), "{changes:?}");
}

#[tokio::test]
async fn a_verifying_pull_describes_exactly_the_rows_a_phone_holds() {
    use shared::sync::Digest;
    use std::collections::BTreeSet;
    let app = TestApp::demo().await;
    let mut phone = Phone::new(&app, "worker").await;
    // What the phone holds: every row pulled, less the deleted ones.
    let mut held = BTreeSet::new();
    let mut apply = |changes: &[Change]| {
        for c in changes {
            match c {
                Change::Deleted { of, id } => held.remove(&(*of, *id)),
                row => held.insert(row.key()),
            };
        }
        held.iter().copied().collect::<Digest>()
    };
    let (changes, _, none) = phone.pull().await;
    assert!(none.digest.is_none(), "no digest unless asked");
    let mine = apply(&changes);
    let (nothing_new, digest) = phone.pull_verifying().await;
    assert!(nothing_new.is_empty());
    let digest = digest.expect("a digest with the last page");
    assert_eq!(digest.differs_in(&mine), vec![], "the digest is what the phone holds");

    // A visit added and one deleted: the digest follows.
    let citizen = citizen_of(&app, "worker").await;
    let (kept, gone) = (Uuid::now_v7(), Uuid::now_v7());
    let saves = [
        phone.mutation(save(visit(kept, citizen, S, E, "kept"))),
        phone.mutation(save(visit(gone, citizen, S, E, "gone"))),
    ];
    phone.push(&saves).await;
    let m = phone.mutation(json!({ "type": "visit_delete", "visit_id": gone, "base_version": 1 }));
    phone.push(&[m]).await;
    let (changes, digest) = phone.pull_verifying().await;
    let mine = apply(&changes);
    assert_eq!(digest.clone().expect("digest").differs_in(&mine), vec![]);
    // A phone that had missed the deletion would be told.
    let mut stale = mine.clone();
    stale.add(shared::sync::Entity::Visit, gone);
    assert_eq!(digest.expect("digest").differs_in(&stale), vec![shared::sync::Entity::Visit]);
}
