//! Sync under faults (issue 3): every test runs the app's real engine and
//! store logic against the real server on loopback with a real SQLite file.

mod support;

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sha2::{Digest, Sha256};
use shared::sync::{Change, Entity, MutationBody, VisitBase};
use shared::text::Note;
use shared::visit::{VisitDraft, VisitKind};
use shared::{CitizenId, Minutes, TimerId, VisitId};
use support::{Fault, Phone, TestServer, now};
use uuid::Uuid;

async fn citizens_of(server: &TestServer, username: &str) -> Vec<CitizenId> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT a.citizen_id FROM assignments a JOIN users u ON u.id = a.user_id WHERE u.username = $1 ORDER BY a.citizen_id",
    )
    .bind(username)
    .fetch_all(&server.db.pool)
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
    sqlx::query_scalar(sql).bind(bind).fetch_one(&server.db.pool).await.expect(sql)
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
    assert_eq!(server_count(&server, "SELECT COUNT(*) FROM visits WHERE note LIKE $1", "offline %").await, 0);
    // Committed, but the answer is lost: the phone sends again.
    phone.net.inject([Fault::LoseResponse]);
    assert!(phone.sync().await.is_err());
    assert_eq!(server_count(&server, "SELECT COUNT(*) FROM visits WHERE note LIKE $1", "offline %").await, 3);
    assert_eq!(phone.db.outbox().await.expect("outbox").len(), 3, "kept until confirmed");
    let report = phone.sync().await.expect("sync");
    assert_eq!(report.applied.confirmed, 3);
    assert!(phone.db.outbox().await.expect("outbox").is_empty());
    for id in &ids {
        assert_eq!(
            server_count(&server, "SELECT row_version FROM visits WHERE id = $1", &id.to_string()).await,
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
    assert_eq!(server_count(&server, "SELECT row_version FROM visits WHERE id = $1", &id.to_string()).await, 1);
    assert_eq!(
        server_count(
            &server,
            "SELECT COUNT(*) FROM sync_mutations WHERE client_id = $1",
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
        assert_eq!(server_count(&server, "SELECT COUNT(*) FROM visits WHERE id = $1", &id.to_string()).await, 1);
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
    let applied = server_count(&server, "SELECT COUNT(*) FROM visits WHERE note = $1", "batch").await;
    assert_eq!(applied, 250);
    let versions: i64 = sqlx::query_scalar("SELECT MAX(row_version) FROM visits WHERE note = 'batch'")
        .fetch_one(&server.db.pool)
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
    let base = v.base();
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

/// Issue 12, kind 1, through the real engine: a phone's second offline
/// edit is based on its first (the view's base, as the visit form takes
/// it), so the server and the worker's other phone end with the second.
#[tokio::test]
async fn two_offline_edits_of_one_visit_end_as_the_second_everywhere() {
    let server = TestServer::start().await;
    let phone = Phone::new(&server, "worker").await;
    let tablet = Phone::new(&server, "worker").await;
    let citizen = citizens_of(&server, "worker").await[0];
    let id = new_visit_id();
    phone.act(save(id, citizen, "logged")).await;
    phone.sync().await.expect("synced");
    // Offline: A, then B; then an edit and a delete of a second visit.
    let other = new_visit_id();
    phone.act(save(other, citizen, "to be deleted")).await;
    for note in ["A", "B"] {
        let view = phone.db.view().await.expect("view");
        let v = view.visits.iter().find(|v| v.visit.id == id).expect("shown");
        let mut edited = v.visit.draft();
        edited.note = Note::try_from(note).expect("note");
        phone.act(MutationBody::VisitSave { visit: edited, base: Some(v.base()) }).await;
    }
    let view = phone.db.view().await.expect("view");
    let v = view.visits.iter().find(|v| v.visit.id == other).expect("shown");
    let mut edited = v.visit.draft();
    edited.travel_minutes = Minutes::new(50);
    phone.act(MutationBody::VisitSave { visit: edited, base: Some(v.base()) }).await;
    let view = phone.db.view().await.expect("view");
    let base = view.visits.iter().find(|v| v.visit.id == other).expect("shown").base();
    phone.act(MutationBody::VisitDelete { visit_id: other, base_version: base.row_version, base: Some(base) }).await;
    // Online.
    phone.sync().await.expect("phone");
    tablet.sync().await.expect("tablet");
    assert!(phone.db.view().await.expect("view").rejected.is_empty(), "nothing refused");
    for device in [&phone, &tablet] {
        let view = device.db.view().await.expect("view");
        assert_eq!(view.visits.iter().find(|v| v.visit.id == id).map(|v| v.visit.note.as_str()), Some("B"));
        assert!(view.visits.iter().all(|v| v.visit.id != other), "the deleted one is gone");
    }
    let id_text = id.to_string();
    let conflicts = server_count(&server, "SELECT COUNT(*) FROM visit_conflicts WHERE visit_id = $1", &id_text).await;
    assert_eq!(conflicts, 0, "a phone's own edits never conflict");
}

/// Issue 12, kind 11: what the user settled stays settled. The failing
/// input: a rejected visit is fixed and another discarded; a pull without
/// a cursor (the daily check's repair, a scope change) brought both back.
#[tokio::test]
async fn settled_rejections_stay_settled_when_the_phone_downloads_again() {
    let server = TestServer::start().await;
    let mine = citizens_of(&server, "worker").await[0];
    let not_mine = citizens_of(&server, "worker2").await[0];
    // (how the phone comes to pull without a cursor)
    let ways = ["the daily check finds drift", "the user's scope changes", "the cursor is forgotten"];
    for way in ways {
        let phone = Phone::new(&server, "worker").await;
        phone.sync().await.expect("first sync");
        let (fixed, discarded) = (new_visit_id(), new_visit_id());
        phone.act(save(fixed, not_mine, "wrong citizen")).await;
        phone.act(save(discarded, not_mine, "wrong again")).await;
        phone.sync().await.expect("sync");
        let rejected = phone.db.rejected().await.expect("rejected");
        assert_eq!(rejected.len(), 2, "{way}: both refused");
        // One is fixed (a new visit for the right citizen), one discarded.
        phone.act(save(new_visit_id(), mine, "right citizen")).await;
        for r in &rejected {
            phone.db.discard_rejected(r.rejection.id).await.expect("settle");
        }
        phone.sync().await.expect("sync");
        match way {
            "the daily check finds drift" => {
                let stray = Change::Visit(shared::visit::Visit::restore(
                    draft(new_visit_id(), mine, "stray"),
                    phone.user,
                    shared::visit::VisitStatus::Submitted,
                    1,
                ));
                let text = serde_json::to_string(&stray).expect("json");
                let (_, id) = stray.key();
                let op = app::store::Op::Put(
                    app::store::StoreName::Rows(Entity::Visit),
                    app::store::Key::text(id.to_string()),
                    text,
                );
                use app::store::Kv;
                phone
                    .db
                    .kv()
                    .update(Vec::new(), app::store::Durability::Strict, |_| Ok((vec![op], ())))
                    .await
                    .expect("drift");
                let tomorrow = now().add_minutes(25 * 60);
                let report = app::sync::engine::sync_once(&phone.db, &phone.net, || tomorrow, &|_, _| {}).await;
                assert!(report.expect("sync").repaired, "{way}");
            }
            "the user's scope changes" => {
                sqlx::query(
                    "INSERT INTO assignments (id, citizen_id, user_id, valid_from) SELECT $1, $2, id, '2026-01-01' FROM users WHERE username = 'worker'",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(citizens_of(&server, "mentor").await[0].to_string())
                .execute(&server.db.pool)
                .await
                .expect("assign");
                assert!(phone.sync().await.expect("sync").applied.reset, "{way}");
            }
            _ => {
                phone.db.verified(false, now()).await.expect("forget the cursor");
                assert!(phone.sync().await.expect("sync").applied.reset, "{way}");
            }
        }
        assert!(phone.db.rejected().await.expect("rejected").is_empty(), "{way}: nothing settled comes back");
        // A new refusal after that still arrives.
        phone.act(save(new_visit_id(), not_mine, "wrong a third time")).await;
        phone.sync().await.expect("sync");
        assert_eq!(phone.db.rejected().await.expect("rejected").len(), 1, "{way}: a new refusal is news");
    }
}

/// A note of `n` emoji (four bytes each in UTF-8).
fn emoji_note(n: usize, round: usize) -> Note {
    Note::try_from(format!("{round} {}", "🏠".repeat(n))).expect("a note of at most 2000 characters")
}

/// Issue 12, kind 2: a queue of large edits drains in batches cut by size,
/// and a push a proxy refuses does not stop the pull.
#[tokio::test]
async fn a_large_queue_drains_and_a_refused_push_never_blocks_the_pull() {
    let server = TestServer::start().await;
    let phone = Phone::new(&server, "worker").await;
    let tablet = Phone::new(&server, "worker").await;
    let citizen = citizens_of(&server, "worker").await[0];
    let ids: Vec<VisitId> = (0..10).map(|_| new_visit_id()).collect();
    for id in &ids {
        phone.act(save(*id, citizen, "kort")).await;
    }
    phone.sync().await.expect("synced");

    // The failing input: 100 queued edits with long notes of emoji (1.6 MB
    // of JSON, over the server's 1 MiB limit) drain in one sync.
    for round in 0..100 {
        let view = phone.db.view().await.expect("view");
        let v = view.visits.iter().find(|v| v.visit.id == ids[round % ids.len()]).expect("shown");
        let mut edited = v.visit.draft();
        edited.note = emoji_note(1990, round);
        phone.act(MutationBody::VisitSave { visit: edited, base: Some(v.base()) }).await;
    }
    let queued = phone.db.outbox().await.expect("outbox");
    let bytes: usize = queued.iter().map(|m| serde_json::to_vec(m).expect("json").len()).sum();
    assert!(bytes > 1_500_000, "the queue is {bytes} bytes");
    let report = phone.sync().await.expect("drains");
    assert_eq!(report.pushed, 100);
    assert!(phone.db.outbox().await.expect("outbox").is_empty());
    let view = phone.db.view().await.expect("view");
    assert!(view.rejected.is_empty());
    let last = view.visits.iter().find(|v| v.visit.id == ids[9]).expect("shown");
    assert!(last.visit.note.as_str().starts_with("99 "), "the last edit stands");

    // A proxy with a smaller limit (40 kB) than ours: batches are halved
    // until they pass.
    phone.net.proxy_limit.set(Some(40_000));
    for round in 0..12 {
        let view = phone.db.view().await.expect("view");
        let v = view.visits.iter().find(|v| v.visit.id == ids[round % ids.len()]).expect("shown");
        let mut edited = v.visit.draft();
        edited.note = emoji_note(1990, 1000 + round);
        phone.act(MutationBody::VisitSave { visit: edited, base: Some(v.base()) }).await;
    }
    phone.sync().await.expect("drains through the proxy in smaller batches");
    assert!(phone.db.outbox().await.expect("outbox").is_empty());

    // A proxy that refuses even one mutation: the push fails, but the pull
    // still brings the tablet's new visit, and nothing waiting is lost.
    phone.net.proxy_limit.set(Some(10_000));
    let from_tablet = new_visit_id();
    tablet.act(save(from_tablet, citizen, "fra tabletten")).await;
    tablet.sync().await.expect("tablet");
    let view = phone.db.view().await.expect("view");
    let v = view.visits.iter().find(|v| v.visit.id == ids[0]).expect("shown");
    let mut edited = v.visit.draft();
    edited.note = emoji_note(1990, 2000);
    phone.act(MutationBody::VisitSave { visit: edited, base: Some(v.base()) }).await;
    let refused = phone.sync().await;
    assert!(
        matches!(
            refused,
            Err(app::sync::engine::SyncError::Transport(app::sync::engine::TransportError::Refused {
                status: 413,
                ..
            }))
        ),
        "{refused:?}"
    );
    let view = phone.db.view().await.expect("view");
    assert!(view.visits.iter().any(|v| v.visit.id == from_tablet), "the pull ran");
    assert_eq!(phone.db.outbox().await.expect("outbox").len(), 1, "the edit still waits");
    phone.net.proxy_limit.set(None);
    phone.sync().await.expect("sent once the way is clear");
    assert!(phone.db.outbox().await.expect("outbox").is_empty());
}

/// Two writers whose transactions commit in the opposite order to the one
/// they started writing in, with pulls in between. Writer A writes a visit
/// and stays open; writer B (a phone's push) writes another and commits;
/// a reader pulls; then A commits; the reader pulls again. A cursor on a
/// sequence taken at write time (an autoincrement, a transaction id) gives
/// A's row the smaller number, the first pull moves the cursor past it,
/// and the reader never sees A's visit. Helhed stamps at commit, under the
/// clock's lock, so the reader gets both.
///
/// On PostgreSQL B really commits while A is open (the test checks that
/// A's transaction id is the older one). On SQLite B waits for A's writer
/// lock, which the test checks too.
#[tokio::test]
async fn writers_committing_out_of_order_never_hide_a_change_from_a_pull() {
    let server = TestServer::start().await;
    let reader = Phone::new(&server, "worker").await;
    let writer_b = Phone::new(&server, "worker").await;
    let citizen = citizens_of(&server, "worker").await[0];
    reader.sync().await.expect("first pull");

    // A: a server-side writer (the same write path a push takes), left open.
    let (a_id, b_id) = (new_visit_id(), new_visit_id());
    let mut a = server.db.begin_write().await.expect("A begins");
    let a_visit =
        draft(a_id, citizen, "A: written first, committed last").into_visit(reader.user, now()).expect("valid visit");
    let mut a_stamper = server::db::changes::Stamper::new();
    server::db::visits::upsert_many(&mut a, &mut a_stamper, &[&a_visit]).await.expect("A writes");

    // B: a phone's push, started while A is open.
    writer_b.act(save(b_id, citizen, "B: written second, committed first")).await;
    let b_sync = writer_b.sync();
    tokio::pin!(b_sync);
    let b_first = if server.is_postgres() {
        tokio::time::timeout(std::time::Duration::from_secs(30), &mut b_sync)
            .await
            .expect("on PostgreSQL, B commits while A is still open")
            .expect("B syncs");
        true
    } else {
        let waited = tokio::time::timeout(std::time::Duration::from_millis(300), &mut b_sync).await;
        assert!(waited.is_err(), "on SQLite, B waits for A's writer lock");
        false
    };

    // A pull while A is open: it sees B's visit (PostgreSQL) or neither.
    reader.sync().await.expect("pull while A is open");
    let seen = |view: &app::overlay::View, id: VisitId| view.visits.iter().any(|v| v.visit.id == id);
    let view = reader.db.view().await.expect("view");
    assert!(!seen(&view, a_id), "A has not committed");
    assert_eq!(seen(&view, b_id), b_first);

    a_stamper.finish(&mut a).await.expect("A stamps");
    if server.is_postgres() {
        let xid = |id: VisitId| {
            let pool = server.db.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT CAST(CAST(xmin AS text) AS bigint) FROM visits WHERE id = $1")
                    .bind(id.to_string())
                    .fetch_optional(&pool)
                    .await
                    .expect("xmin")
            }
        };
        let mine: i64 = sqlx::query_scalar("SELECT CAST(CAST(txid_current() AS text) AS bigint)")
            .fetch_one(&mut *a)
            .await
            .expect("A's transaction id");
        let theirs = xid(b_id).await.expect("B's visit is committed");
        assert!(mine % (1 << 32) < theirs, "A started writing before B: a naive cursor would order A first");
    }
    a.commit().await.expect("A commits");
    if !b_first {
        b_sync.await.expect("B syncs after A");
    }

    reader.sync().await.expect("pull after both");
    let view = reader.db.view().await.expect("view");
    assert!(seen(&view, a_id), "the change committed last but written first is not skipped");
    assert!(seen(&view, b_id));
}

/// A worker edits a visit on the phone while their lead corrects its
/// minutes, both offline from the same version. The fields have different
/// owners, so both edits land, in either order, and every device converges.
/// Two corrections from one base clash: the first stands and the second is
/// kept as a conflict record. A worker cannot correct.
#[tokio::test]
async fn a_worker_and_a_lead_editing_one_visit_both_land() {
    let server = TestServer::start().await;
    let worker = Phone::new(&server, "worker").await;
    let lead = Phone::new(&server, "lead").await;
    let citizen = citizens_of(&server, "worker").await[0];
    let id = new_visit_id();
    worker.act(save(id, citizen, "logged by the worker")).await;
    worker.sync().await.expect("worker");
    lead.sync().await.expect("lead");
    let seen = lead.db.view().await.expect("view");
    let v = seen.visits.iter().find(|v| v.visit.id == id).expect("the lead sees the team's visit").visit.clone();

    let correction = |minutes: u32, reason: &str| {
        shared::visit::Correction::new(Minutes::new(minutes), Note::try_from(reason).expect("note")).expect("valid")
    };
    let corrected = correction(30, "Borgeren gik efter en halv time");
    lead.act(MutationBody::VisitCorrect {
        visit_id: id,
        base_version: v.row_version,
        base: None,
        correction: Some(corrected.clone()),
    })
    .await;
    let mut edited = v.draft();
    edited.note = Note::try_from("the worker's fuller note").expect("note");
    worker.act(MutationBody::VisitSave { visit: edited, base: Some(VisitBase::of(&v)) }).await;
    lead.sync().await.expect("lead pushes first");
    worker.sync().await.expect("worker pushes second, from the old version");
    lead.sync().await.expect("lead again");
    for phone in [&worker, &lead] {
        let view = phone.db.view().await.expect("view");
        let v = view.visits.iter().find(|v| v.visit.id == id).expect("visit");
        assert_eq!(v.visit.note.as_str(), "the worker's fuller note");
        assert_eq!(v.visit.correction.as_ref(), Some(&corrected));
        assert_eq!(v.visit.corrected_by, Some(lead.user));
        assert_eq!(v.visit.counted_minutes(), Minutes::new(30));
        assert_eq!(v.visit.row_version, 3, "created, corrected, edited");
    }

    // Two corrections from the same base: a second lead device.
    let tablet = Phone::new(&server, "lead").await;
    tablet.sync().await.expect("tablet");
    lead.act(MutationBody::VisitCorrect {
        visit_id: id,
        base_version: 3,
        base: Some(corrected.clone()),
        correction: Some(correction(20, "Rettet igen")),
    })
    .await;
    tablet
        .act(MutationBody::VisitCorrect {
            visit_id: id,
            base_version: 3,
            base: Some(corrected.clone()),
            correction: Some(correction(40, "Rettet på tabletten")),
        })
        .await;
    lead.sync().await.expect("lead");
    tablet.sync().await.expect("tablet");
    lead.sync().await.expect("lead again");
    assert_eq!(fingerprint(&lead).await, fingerprint(&tablet).await);
    let view = tablet.db.view().await.expect("view");
    let v = view.visits.iter().find(|v| v.visit.id == id).expect("visit");
    assert_eq!(v.visit.correction.as_ref().map(|c| c.minutes), Some(Minutes::new(20)), "the first correction stands");
    let kept = server_count(&server, "SELECT COUNT(*) FROM visit_conflicts WHERE visit_id = $1", &id.to_string()).await;
    assert_eq!(kept, 1, "the second is kept as a conflict record");

    // A worker may not correct, not even their own visit.
    worker.act(MutationBody::VisitCorrect { visit_id: id, base_version: 4, base: None, correction: None }).await;
    worker.sync().await.expect("worker");
    let rejected = worker.db.rejected().await.expect("rejected");
    assert_eq!(rejected.last().map(|r| r.rejection.code.as_str()), Some("not_lead"));
}

#[tokio::test]
async fn the_phone_gains_and_loses_citizens_as_assignments_change() {
    let server = TestServer::start().await;
    let phone = Phone::new(&server, "worker").await;
    phone.sync().await.expect("sync");
    let newcomer = citizens_of(&server, "worker2").await[0];
    let has = |view: &app::overlay::View| view.citizens.iter().any(|c| c.id == newcomer);
    assert!(!has(&phone.db.view().await.expect("view")));
    let assignment = Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO assignments (id, citizen_id, user_id, valid_from) VALUES ($1, $2, $3, '2020-01-01')")
        .bind(&assignment)
        .bind(newcomer.to_string())
        .bind(phone.user.to_string())
        .execute(&server.db.pool)
        .await
        .expect("assign");
    phone.sync().await.expect("sync");
    let view = phone.db.view().await.expect("view");
    assert!(has(&view));
    let visits = server_count(&server, "SELECT COUNT(*) FROM visits WHERE citizen_id = $1", &newcomer.to_string()).await
        as usize;
    assert_eq!(view.visits.iter().filter(|v| v.visit.citizen_id == newcomer).count(), visits, "arrives whole");
    sqlx::query("DELETE FROM assignments WHERE id = $1")
        .bind(&assignment)
        .execute(&server.db.pool)
        .await
        .expect("unassign");
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
    // The visits this run made, and every edit of a field by a phone, in
    // order: (phone, value).
    let mut made: Vec<VisitId> = Vec::new();
    let mut edits: BTreeMap<(VisitId, &'static str), Vec<(usize, String)>> = BTreeMap::new();
    for round in 0..200 {
        let p = rng.gen_range(0..phones.len());
        let phone = &phones[p];
        // A visit of this phone's user that the phone shows (the worker's
        // two phones share theirs once synced).
        let view = phone.db.view().await.expect("view");
        let shown: Vec<&app::overlay::VisitView> =
            view.visits.iter().filter(|v| v.visit.worker_id == phone.user && made.contains(&v.visit.id)).collect();
        let pick = (!shown.is_empty()).then(|| shown[rng.gen_range(0..shown.len())].visit.id);
        match (rng.gen_range(0..12), pick) {
            (0..4, _) => {
                let id = new_visit_id();
                let citizen = citizens[p][rng.gen_range(0..citizens[p].len())];
                phone.act(save(id, citizen, &format!("round {round}"))).await;
                made.push(id);
            }
            // One to three edits of one visit in one offline stretch, each
            // based on the one before; then sometimes a delete too.
            (4..7, Some(id)) => {
                for _ in 0..rng.gen_range(1..=3) {
                    let view = phone.db.view().await.expect("view");
                    let v = view.visits.iter().find(|v| v.visit.id == id).expect("still shown");
                    let mut edited = v.visit.draft();
                    let (field, value) = if rng.gen_bool(0.5) {
                        edited.note = Note::try_from(format!("edited in round {round} by {p}")).expect("note");
                        ("note", edited.note.to_string())
                    } else {
                        edited.travel_minutes = Minutes::new(rng.gen_range(0..=120));
                        ("travel_minutes", edited.travel_minutes.get().to_string())
                    };
                    phone.act(MutationBody::VisitSave { visit: edited, base: Some(v.base()) }).await;
                    edits.entry((id, field)).or_default().push((p, value));
                }
                if rng.gen_bool(0.2) {
                    let view = phone.db.view().await.expect("view");
                    let v = view.visits.iter().find(|v| v.visit.id == id).expect("still shown");
                    let base = v.base();
                    phone
                        .act(MutationBody::VisitDelete {
                            visit_id: id,
                            base_version: base.row_version,
                            base: Some(base),
                        })
                        .await;
                }
            }
            (7, Some(id)) => {
                let v = shown.iter().find(|v| v.visit.id == id).expect("shown");
                let base = v.base();
                phone
                    .act(MutationBody::VisitDelete { visit_id: id, base_version: base.row_version, base: Some(base) })
                    .await;
            }
            // The timer: stop the running one and at once start the next
            // (one push), or start one.
            (8, _) => {
                if let Some(t) = view.running_timer(phone.user) {
                    phone.act(MutationBody::TimerStop { timer_id: t.id, stopped_at: now() }).await;
                }
                let start = MutationBody::TimerStart {
                    timer_id: TimerId::from_uuid(Uuid::now_v7()),
                    citizen_id: citizens[p][0],
                    started_at: now(),
                };
                phone.act(start).await;
            }
            (9, _) => {
                if let Some(t) = view.running_timer(phone.user) {
                    phone.act(MutationBody::TimerStop { timer_id: t.id, stopped_at: now() }).await;
                }
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
    // A phone's last edit of a field is what the server holds, unless
    // another phone changed that field too (then a conflict may keep the
    // other's): a phone's queued edits never conflict with each other.
    let mut checked = 0;
    for ((id, field), by) in &edits {
        if distinct_phones(by) > 1 {
            continue;
        }
        let sql = format!("SELECT CAST({field} AS TEXT) FROM visits WHERE id = $1");
        let held: Option<String> =
            sqlx::query_scalar(&sql).bind(id.to_string()).fetch_optional(&server.db.pool).await.expect("field");
        let Some(held) = held else { continue }; // deleted
        let (_, last) = by.last().expect("an edit");
        assert_eq!(&held, last, "visit {id} {field}: the phone's last edit stands (seed {seed})");
        checked += 1;
    }
    assert!(checked > 10, "the run edited fields ({checked} checked)");
    // Every conflict is on a field that more than one phone edited.
    let conflicts: Vec<(String, String)> = sqlx::query_as("SELECT visit_id, fields FROM visit_conflicts")
        .fetch_all(&server.db.pool)
        .await
        .expect("conflicts");
    for (visit, fields) in conflicts {
        let id: VisitId = visit.parse().expect("id");
        let fields: Vec<String> = serde_json::from_str(&fields).expect("a list of fields");
        for field in fields {
            let by = edits.get(&(id, field_name(&field))).map(|by| distinct_phones(by)).unwrap_or_default();
            assert!(by > 1, "visit {id}: a conflict on {field}, which {by} phone(s) edited (seed {seed})");
        }
    }

    // Exactly once: each visit's version is the number of accepted saves of it.
    let accepted: Vec<String> =
        sqlx::query_scalar("SELECT payload FROM sync_mutations WHERE status = 'applied' AND kind = 'visit_save'")
            .fetch_all(&server.db.pool)
            .await
            .expect("accepted saves");
    let mut saves: BTreeMap<String, i64> = BTreeMap::new();
    for payload in accepted {
        let payload: serde_json::Value = serde_json::from_str(&payload).expect("a stored payload is JSON");
        let id = payload.pointer("/body/visit/id").and_then(serde_json::Value::as_str).expect("a visit id");
        *saves.entry(id.to_owned()).or_default() += 1;
    }
    let versions: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, row_version FROM visits WHERE note LIKE 'round %' OR note LIKE 'edited in round %'")
            .fetch_all(&server.db.pool)
            .await
            .expect("versions");
    assert!(!versions.is_empty());
    for (id, version) in versions {
        assert_eq!(saves.get(&id).copied(), Some(version), "visit {id}: versions must count accepted saves");
    }
    let clients: Vec<(String, i64)> = sqlx::query_as("SELECT client_id, last_mutation_id FROM sync_clients")
        .fetch_all(&server.db.pool)
        .await
        .expect("clients");
    for (client, last) in clients {
        let processed =
            server_count(&server, "SELECT COUNT(*) FROM sync_mutations WHERE client_id = $1", &client).await;
        assert_eq!(processed, last, "client {client}: every id processed exactly once");
    }
}

/// How many phones made these edits.
fn distinct_phones(edits: &[(usize, String)]) -> usize {
    edits.iter().map(|(p, _)| *p).collect::<std::collections::BTreeSet<_>>().len()
}

/// The field names the randomized run edits, as `'static` keys.
fn field_name(field: &str) -> &'static str {
    match field {
        "note" => "note",
        "travel_minutes" => "travel_minutes",
        _ => "other",
    }
}

/// Deactivation (issue 6): the phone hands in everything waiting, even
/// through a lost answer, and only then wipes itself.
#[tokio::test]
async fn a_deactivated_phone_hands_in_what_waits_then_wipes_itself() {
    let server = TestServer::start().await;
    let phone = Phone::new(&server, "worker").await;
    phone.sync().await.expect("first sync");
    let citizen = citizens_of(&server, "worker").await[0];
    let id = new_visit_id();
    phone.act(save(id, citizen, "before deactivation")).await;
    sqlx::query("UPDATE users SET active = 0 WHERE username = 'worker'")
        .execute(&server.db.pool)
        .await
        .expect("deactivate");

    // The push's answer is lost: nothing is wiped, the visit still waits.
    phone.net.inject([Fault::LoseResponse]);
    assert!(phone.sync().await.is_err());
    assert_eq!(phone.db.outbox().await.expect("outbox").len(), 1, "kept until the server's answer arrives");
    // Next contact: pushed (applied once), then wiped.
    assert_eq!(phone.sync().await, Err(app::sync::engine::SyncError::Wiped));
    assert_eq!(server_count(&server, "SELECT COUNT(*) FROM visits WHERE id = $1", &id.to_string()).await, 1);
    assert!(phone.db.outbox().await.expect("outbox").is_empty());
    let view = phone.db.view().await.expect("view");
    assert!(view.citizens.is_empty() && view.visits.is_empty(), "nothing of the citizens is left");
    assert_eq!(phone.db.meta().await.expect("meta").user, None, "nobody is logged in on the phone");
}

#[tokio::test]
async fn a_phone_whose_rows_drifted_from_the_servers_notices_and_downloads_again() {
    use app::store::{Durability, Key, Kv, Op, StoreName};
    let server = TestServer::start().await;
    let phone = Phone::new(&server, "worker").await;
    let report = phone.sync().await.expect("first sync");
    assert!(!report.repaired, "a fresh download holds exactly the server's rows");
    let checked = phone.db.meta().await.expect("meta").verified_at.expect("checked on the first sync");
    let right = fingerprint(&phone).await;

    // The phone's rows drift (a deletion it never got, a row it lost).
    let rows = phone.db.kv().read(vec![app::store::Read::All(StoreName::Rows(Entity::Visit))]).await.expect("read");
    let visits = rows.into_iter().next().expect("one result").all();
    let (Key::Text(first), text) = &visits[0] else { panic!("visit keys are ids") };
    let stray = Uuid::now_v7().to_string();
    let drift = vec![
        Op::Put(StoreName::Rows(Entity::Visit), Key::text(stray.clone()), text.replace(first.as_str(), &stray)),
        Op::Delete(StoreName::Rows(Entity::Visit), visits[1].0.clone()),
    ];
    phone.db.kv().update(Vec::new(), Durability::Strict, |_| Ok((drift, ()))).await.expect("drift");
    let drifted = fingerprint(&phone).await;
    assert_ne!(drifted, right);

    // Within the day, syncs do not ask (the check costs the server a scan).
    assert!(!phone.sync().await.expect("sync").repaired);
    assert_eq!(fingerprint(&phone).await, drifted);

    // A day later the check finds it, and the phone downloads everything again.
    let later = checked.add_minutes(24 * 60);
    let report = app::sync::engine::sync_once(&phone.db, &phone.net, || later, &|_, _| {}).await.expect("sync");
    assert!(report.repaired && report.applied.reset, "{report:?}");
    assert_eq!(fingerprint(&phone).await, right, "exactly the server's rows again");
    assert_eq!(phone.db.meta().await.expect("meta").verified_at, Some(later));
    assert!(!app::sync::engine::sync_once(&phone.db, &phone.net, || later, &|_, _| {}).await.expect("sync").repaired);
}
