//! Sync under faults (issue 3): every test runs the app's real engine and
//! store logic against the real server on loopback with a real SQLite file.

mod support;

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sha2::{Digest, Sha256};
use shared::sync::{Entity, MutationBody, VisitBase};
use shared::text::Note;
use shared::visit::{VisitDraft, VisitKind};
use shared::{CitizenId, Minutes, TimerId, VisitId};
use support::{Fault, Phone, TestServer, now};
use uuid::Uuid;

async fn citizens_of(server: &TestServer, username: &str) -> Vec<CitizenId> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT a.citizen_id FROM assignments a JOIN users u ON u.id = a.user_id WHERE u.username = ? ORDER BY a.citizen_id",
    )
    .bind(username)
    .fetch_all(&server.db)
    .await
    .expect("citizens");
    ids.iter().map(|s| s.parse().expect("uuid")).collect()
}

fn draft(id: VisitId, citizen: CitizenId, note: &str) -> VisitDraft {
    let end = now().add_minutes(-30);
    VisitDraft::new(
        id,
        citizen,
        VisitKind::HomeVisit,
        end.add_minutes(-60),
        end,
        Minutes::new(15),
        Note::try_from(note).expect("note"),
        None,
    )
    .expect("valid draft")
}

fn save(id: VisitId, citizen: CitizenId, note: &str) -> MutationBody {
    MutationBody::VisitSave { visit: draft(id, citizen, note), base: None }
}

fn new_visit_id() -> VisitId {
    VisitId::from_uuid(Uuid::now_v7())
}

async fn server_count(server: &TestServer, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql).bind(bind).fetch_one(&server.db).await.expect(sql)
}

/// A digest of every server row a phone holds, for comparing phones.
async fn fingerprint(phone: &Phone) -> (usize, String) {
    let mut rows = Vec::new();
    for entity in Entity::ALL {
        for change in phone.db.rows(entity).await.expect("rows") {
            rows.push(serde_json::to_string(&change).expect("json"));
        }
    }
    rows.sort();
    let mut h = Sha256::new();
    for r in &rows {
        h.update(r.as_bytes());
    }
    (rows.len(), hex::encode(h.finalize()))
}

#[tokio::test]
async fn a_lost_request_or_a_lost_answer_still_applies_each_mutation_once() {
    let server = TestServer::start().await;
    let phone = Phone::new(&server, "worker").await;
    let citizen = citizens_of(&server, "worker").await[0];
    let ids: Vec<VisitId> = (0..3).map(|_| new_visit_id()).collect();
    for (i, id) in ids.iter().enumerate() {
        phone.act(save(*id, citizen, &format!("offline {i}"))).await;
    }
    // Dropped before it reaches the server: nothing happened there.
    phone.net.inject([Fault::DropRequest]);
    assert!(phone.sync().await.is_err());
    assert_eq!(server_count(&server, "SELECT COUNT(*) FROM visits WHERE note LIKE ?", "offline %").await, 0);
    // Committed, but the answer is lost: the phone sends again.
    phone.net.inject([Fault::LoseResponse]);
    assert!(phone.sync().await.is_err());
    assert_eq!(server_count(&server, "SELECT COUNT(*) FROM visits WHERE note LIKE ?", "offline %").await, 3);
    assert_eq!(phone.db.outbox().await.expect("outbox").len(), 3, "kept until confirmed");
    let report = phone.sync().await.expect("sync");
    assert_eq!(report.applied.confirmed, 3);
    assert!(phone.db.outbox().await.expect("outbox").is_empty());
    for id in &ids {
        assert_eq!(
            server_count(&server, "SELECT row_version FROM visits WHERE id = ?", &id.to_string()).await,
            1,
            "applied once"
        );
    }
    let view = phone.db.view().await.expect("view");
    assert_eq!(view.pending, 0);
    assert_eq!(view.visits.iter().filter(|v| v.visit.note.as_str().starts_with("offline")).count(), 3);
}

#[tokio::test]
async fn a_duplicated_push_applies_once() {
    let server = TestServer::start().await;
    let phone = Phone::new(&server, "worker").await;
    let citizen = citizens_of(&server, "worker").await[0];
    let id = new_visit_id();
    phone.act(save(id, citizen, "twice sent")).await;
    phone.net.inject([Fault::Duplicate, Fault::Duplicate]);
    phone.sync().await.expect("sync");
    assert_eq!(server_count(&server, "SELECT row_version FROM visits WHERE id = ?", &id.to_string()).await, 1);
    assert_eq!(
        server_count(
            &server,
            "SELECT COUNT(*) FROM sync_mutations WHERE client_id = ?",
            &phone.db.meta().await.expect("meta").client_id.to_string()
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_poison_mutation_is_set_aside_and_the_rest_goes_through() {
    let server = TestServer::start().await;
    let phone = Phone::new(&server, "worker").await;
    let mine = citizens_of(&server, "worker").await[0];
    let not_mine = citizens_of(&server, "worker2").await[0];
    let good = [new_visit_id(), new_visit_id()];
    phone.act(save(good[0], mine, "good")).await;
    let poison = phone.act(save(new_visit_id(), not_mine, "kept for the worker to read")).await;
    phone.act(save(good[1], mine, "good")).await;
    let report = phone.sync().await.expect("sync");
    assert_eq!(report.applied.newly_rejected, [poison]);
    let rejected = phone.db.rejected().await.expect("rejected");
    assert_eq!(rejected[0].rejection.code, "not_assigned");
    let mine_copy = rejected[0].mine.as_ref().expect("the phone's copy");
    assert!(
        matches!(&mine_copy.body, MutationBody::VisitSave { visit, .. } if visit.note.as_str() == "kept for the worker to read")
    );
    assert!(phone.db.outbox().await.expect("outbox").is_empty());
    for id in good {
        assert_eq!(server_count(&server, "SELECT COUNT(*) FROM visits WHERE id = ?", &id.to_string()).await, 1);
    }
}

#[tokio::test]
async fn a_failed_pull_leaves_the_phone_as_it_was() {
    let server = TestServer::start().await;
    let phone = Phone::new(&server, "worker").await;
    phone.sync().await.expect("first sync");
    let before = fingerprint(&phone).await;
    let citizen = citizens_of(&server, "worker").await[0];
    phone.act(save(new_visit_id(), citizen, "x")).await;
    // The push goes through; the pull's answer is lost.
    phone.net.inject_after(1, Fault::LoseResponse);
    assert!(phone.sync().await.is_err());
    assert_eq!(phone.net.requests.get(), 3, "login aside: a push and a pull went out");
    assert_eq!(fingerprint(&phone).await, before, "no half-applied pull");
    assert_eq!(phone.db.outbox().await.expect("outbox").len(), 1, "the outbox waits for confirmation");
    phone.sync().await.expect("sync");
    assert!(phone.db.outbox().await.expect("outbox").is_empty());
}

#[tokio::test]
async fn a_server_killed_mid_batch_and_restarted_applies_everything_once() {
    let mut server = TestServer::start().await;
    let phone = Phone::new(&server, "worker").await;
    let citizen = citizens_of(&server, "worker").await[0];
    let ids: Vec<VisitId> = (0..250).map(|_| new_visit_id()).collect();
    for id in &ids {
        phone.act(save(*id, citizen, "batch")).await;
    }
    // Kill the server while the phone pushes its three batches.
    let sync = phone.sync();
    let kill = async {
        tokio::time::sleep(std::time::Duration::from_millis(15)).await;
        server.kill();
    };
    let (result, ()) = futures::join!(sync, kill);
    assert!(result.is_err(), "the run cannot finish without a server");
    server.restart().await;
    phone.sync_until_done().await;
    let applied = server_count(&server, "SELECT COUNT(*) FROM visits WHERE note = ?", "batch").await;
    assert_eq!(applied, 250);
    let versions: i64 = sqlx::query_scalar("SELECT MAX(row_version) FROM visits WHERE note = 'batch'")
        .fetch_one(&server.db)
        .await
        .expect("max");
    assert_eq!(versions, 1, "none applied twice");
    assert!(phone.db.outbox().await.expect("outbox").is_empty());
}

#[tokio::test]
async fn two_devices_of_one_worker_converge() {
    let server = TestServer::start().await;
    let phone = Phone::new(&server, "worker").await;
    let tablet = Phone::new(&server, "worker").await;
    let citizen = citizens_of(&server, "worker").await[0];
    let id = new_visit_id();
    phone.act(save(id, citizen, "from the phone")).await;
    phone.sync().await.expect("phone");
    tablet.sync().await.expect("tablet");
    let on_tablet = tablet.db.view().await.expect("view");
    let v = on_tablet.visits.iter().find(|v| v.visit.id == id).expect("the phone's visit is on the tablet");
    // Both edit it offline, different fields.
    let base = VisitBase { row_version: v.visit.row_version, fields: v.visit.draft() };
    let mut note = v.visit.draft();
    note.note = Note::try_from("note from the tablet").expect("note");
    tablet.act(MutationBody::VisitSave { visit: note, base: Some(base.clone()) }).await;
    let mut travel = base.fields.clone();
    travel.travel_minutes = Minutes::new(45);
    phone.act(MutationBody::VisitSave { visit: travel, base: Some(base) }).await;
    tablet.sync().await.expect("tablet");
    phone.sync().await.expect("phone");
    tablet.sync().await.expect("tablet again");
    assert_eq!(fingerprint(&phone).await, fingerprint(&tablet).await);
    let merged = phone.db.view().await.expect("view");
    let v = merged.visits.iter().find(|v| v.visit.id == id).expect("visit");
    assert_eq!((v.visit.note.as_str(), v.visit.travel_minutes.get()), ("note from the tablet", 45));
}

#[tokio::test]
async fn the_phone_gains_and_loses_citizens_as_assignments_change() {
    let server = TestServer::start().await;
    let phone = Phone::new(&server, "worker").await;
    phone.sync().await.expect("sync");
    let newcomer = citizens_of(&server, "worker2").await[0];
    let has = |view: &app::sync::overlay::View| view.citizens.iter().any(|c| c.id == newcomer);
    assert!(!has(&phone.db.view().await.expect("view")));
    let assignment = Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO assignments (id, citizen_id, user_id, valid_from) VALUES (?, ?, ?, '2020-01-01')")
        .bind(&assignment)
        .bind(newcomer.to_string())
        .bind(phone.user.to_string())
        .execute(&server.db)
        .await
        .expect("assign");
    phone.sync().await.expect("sync");
    let view = phone.db.view().await.expect("view");
    assert!(has(&view));
    let visits =
        server_count(&server, "SELECT COUNT(*) FROM visits WHERE citizen_id = ?", &newcomer.to_string()).await as usize;
    assert_eq!(view.visits.iter().filter(|v| v.visit.citizen_id == newcomer).count(), visits, "arrives whole");
    sqlx::query("DELETE FROM assignments WHERE id = ?").bind(&assignment).execute(&server.db).await.expect("unassign");
    phone.sync().await.expect("sync");
    let view = phone.db.view().await.expect("view");
    assert!(!has(&view));
    assert!(view.visits.iter().all(|v| v.visit.citizen_id != newcomer), "its visits leave too");
}

/// Several phones, random actions, random faults, 200 rounds; at the end
/// every phone holds exactly what the server would give a fresh phone, and
/// every accepted change was applied exactly once.
#[tokio::test]
async fn randomized_phones_and_faults_converge() {
    let server = TestServer::start().await;
    let seed = std::env::var("HELHED_SYNC_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20261123u64);
    let mut rng = StdRng::seed_from_u64(seed);
    let phones = [
        Phone::new(&server, "worker").await,
        Phone::new(&server, "worker").await,
        Phone::new(&server, "worker2").await,
        Phone::new(&server, "mentor").await,
    ];
    let names = ["worker", "worker", "worker2", "mentor"];
    let mut citizens = Vec::new();
    for name in names {
        citizens.push(citizens_of(&server, name).await);
    }
    // Saves per visit that the server accepted, to check exactly-once.
    let mut known: Vec<Vec<VisitId>> = vec![Vec::new(); phones.len()];
    for round in 0..200 {
        let p = rng.gen_range(0..phones.len());
        let phone = &phones[p];
        match rng.gen_range(0..10) {
            0..4 => {
                let id = new_visit_id();
                let citizen = citizens[p][rng.gen_range(0..citizens[p].len())];
                phone.act(save(id, citizen, &format!("round {round}"))).await;
                known[p].push(id);
            }
            4..6 if !known[p].is_empty() => {
                let id = known[p][rng.gen_range(0..known[p].len())];
                let view = phone.db.view().await.expect("view");
                if let Some(v) = view.visits.iter().find(|v| v.visit.id == id) {
                    let mut edited = v.visit.draft();
                    edited.note = Note::try_from(format!("edited in round {round}")).expect("note");
                    let base = (v.visit.row_version > 0)
                        .then(|| VisitBase { row_version: v.visit.row_version, fields: v.visit.draft() });
                    phone.act(MutationBody::VisitSave { visit: edited, base }).await;
                }
            }
            6 if !known[p].is_empty() => {
                let id = known[p][rng.gen_range(0..known[p].len())];
                let view = phone.db.view().await.expect("view");
                if let Some(v) = view.visits.iter().find(|v| v.visit.id == id) {
                    phone.act(MutationBody::VisitDelete { visit_id: id, base_version: v.visit.row_version }).await;
                }
            }
            7 => {
                let view = phone.db.view().await.expect("view");
                let body = match view.running_timer(phone.user) {
                    Some(t) => MutationBody::TimerStop { timer_id: t.id, stopped_at: now() },
                    None => MutationBody::TimerStart {
                        timer_id: TimerId::from_uuid(Uuid::now_v7()),
                        citizen_id: citizens[p][0],
                        started_at: now(),
                    },
                };
                phone.act(body).await;
            }
            _ => {
                let fault = match rng.gen_range(0..6) {
                    0 => Some(Fault::DropRequest),
                    1 => Some(Fault::LoseResponse),
                    2 => Some(Fault::Duplicate),
                    _ => None,
                };
                phone.net.inject(fault);
                let _ = phone.sync().await;
            }
        }
    }
    // Quiet network: everyone syncs twice (the second picks up the others' changes).
    for _ in 0..2 {
        for phone in &phones {
            phone.sync_until_done().await;
        }
    }
    for (p, phone) in phones.iter().enumerate() {
        assert!(phone.db.outbox().await.expect("outbox").is_empty(), "phone {p} has sent everything");
        let fresh = Phone::new(&server, names[p]).await;
        fresh.sync().await.expect("fresh");
        assert_eq!(fingerprint(phone).await, fingerprint(&fresh).await, "phone {p} equals the server (seed {seed})");
    }
    // Exactly once: each visit's version is the number of accepted saves of it.
    let accepted: Vec<String> = sqlx::query_scalar(
        "SELECT json_extract(payload, '$.body.visit.id') FROM sync_mutations WHERE status = 'applied' AND kind = 'visit_save'",
    )
    .fetch_all(&server.db)
    .await
    .expect("accepted saves");
    let mut saves: BTreeMap<String, i64> = BTreeMap::new();
    for id in accepted {
        *saves.entry(id).or_default() += 1;
    }
    let versions: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, row_version FROM visits WHERE note LIKE 'round %' OR note LIKE 'edited in round %'")
            .fetch_all(&server.db)
            .await
            .expect("versions");
    assert!(!versions.is_empty());
    for (id, version) in versions {
        assert_eq!(saves.get(&id).copied(), Some(version), "visit {id}: versions must count accepted saves");
    }
    let clients: Vec<(String, i64)> = sqlx::query_as("SELECT client_id, last_mutation_id FROM sync_clients")
        .fetch_all(&server.db)
        .await
        .expect("clients");
    for (client, last) in clients {
        let processed = server_count(&server, "SELECT COUNT(*) FROM sync_mutations WHERE client_id = ?", &client).await;
        assert_eq!(processed, last, "client {client}: every id processed exactly once");
    }
}
