//! One conformance suite for every [`Kv`] backend: the in-memory twin runs it
//! natively (`cargo test`), IndexedDB under wasm-bindgen-test in headless
//! Chromium (`app/tests/store_idb.rs`). Each check panics with a message
//! naming what broke.

use shared::sync::{Change, Cursor, Digest, Entity, Mutation, MutationBody, PullResponse, RejectedMutation};
use shared::text::Note;
use shared::visit::{Visit, VisitDraft, VisitKind, VisitStatus};
use shared::{CitizenId, ClientId, Localized, Minutes, Timestamp, UserId, VisitId};
use uuid::Uuid;

use super::local::LocalDb;
use super::{Durability, Key, Kv, Op, Read, ReadResult, StoreError, StoreName};

fn ts(s: &str) -> Timestamp {
    s.parse().expect("BUG: test timestamp")
}

fn draft(n: u128, note: &str) -> VisitDraft {
    VisitDraft::new(
        VisitId::from_uuid(Uuid::from_u128(n)),
        CitizenId::from_uuid(Uuid::from_u128(1000)),
        VisitKind::HomeVisit,
        ts("2026-11-23T08:00:00Z"),
        ts("2026-11-23T09:00:00Z"),
        Minutes::new(10),
        Note::try_from(note).expect("BUG: test note"),
        None,
    )
    .expect("BUG: test draft")
}

fn user() -> UserId {
    UserId::from_uuid(Uuid::from_u128(7))
}

fn save(n: u128, note: &str) -> MutationBody {
    MutationBody::VisitSave { visit: draft(n, note), base: None }
}

fn page(changes: Vec<Change>, confirmed: u64, reset: bool, has_more: bool, cursor: &str) -> PullResponse {
    PullResponse {
        cursor: Cursor(cursor.to_owned()),
        reset,
        has_more,
        remaining: 0,
        changes,
        confirmed_last_mutation_id: confirmed,
        rejected: Vec::new(),
        server_time: ts("2026-11-23T10:00:00Z"),
        digest: None,
    }
}

fn server_visit(n: u128, note: &str) -> Change {
    Change::Visit(Visit::restore(draft(n, note), user(), VisitStatus::Submitted, 1))
}

/// Runs every check. `fresh` makes an empty database; `reopen` closes one
/// and opens it again (a reload, or a crash and restart).
pub async fn run_all<K: Kv>(fresh: impl AsyncFn() -> K, reopen: impl AsyncFn(K) -> K) {
    kv_reads_what_it_wrote(fresh().await).await;
    kv_refused_update_writes_nothing(fresh().await).await;
    concurrent_actions_get_unique_gap_free_ids(fresh().await).await;
    kv_writes_only_if_the_value_holds(fresh().await).await;
    a_stale_guess_at_the_counter_is_caught(fresh().await).await;
    applying_pages_moves_everything_at_once(fresh().await).await;
    a_reset_replaces_all_rows(fresh().await).await;
    the_rows_held_can_be_checked_against_the_server(fresh().await).await;
    a_crash_between_staging_and_apply_keeps_the_old_state(fresh().await, &reopen).await;
    the_view_shows_pending_changes_on_top(fresh().await).await;
    another_user_starts_from_scratch(fresh().await).await;
    the_outbox_can_be_renumbered(fresh().await).await;
    the_outbox_survives_a_reopen(fresh().await, &reopen).await;
    an_app_update_carries_the_rows_and_keeps_the_queue(fresh().await, &reopen).await;
}

async fn open<K: Kv>(kv: K) -> LocalDb<K> {
    LocalDb::open(kv, ClientId::from_uuid(Uuid::from_u128(42))).await.expect("open the local database")
}

async fn kv_reads_what_it_wrote<K: Kv>(kv: K) {
    let ops = vec![
        Op::Put(StoreName::Outbox, Key::num(10), "ten".into()),
        Op::Put(StoreName::Outbox, Key::num(2), "two".into()),
        Op::Put(StoreName::Meta, Key::text("a"), "A".into()),
    ];
    kv.update(Vec::new(), Durability::Strict, |_| Ok((ops, ()))).await.expect("write");
    let r = kv
        .read(vec![
            Read::All(StoreName::Outbox),
            Read::Get(StoreName::Meta, Key::text("a")),
            Read::Get(StoreName::Meta, Key::text("b")),
        ])
        .await
        .expect("read");
    let mut r = r.into_iter();
    let all = r.next().map(ReadResult::all).unwrap_or_default();
    assert_eq!(all, vec![(Key::num(2), "two".into()), (Key::num(10), "ten".into())], "numeric keys in numeric order");
    assert_eq!(r.next().and_then(ReadResult::one).as_deref(), Some("A"));
    assert_eq!(r.next().and_then(ReadResult::one), None, "a missing key reads as nothing");
    kv.update(Vec::new(), Durability::Strict, |_| {
        Ok((vec![Op::Delete(StoreName::Outbox, Key::num(2)), Op::Clear(StoreName::Meta)], ()))
    })
    .await
    .expect("delete");
    let r = kv.read(vec![Read::All(StoreName::Outbox), Read::All(StoreName::Meta)]).await.expect("read");
    assert_eq!(r, vec![ReadResult::All(vec![(Key::num(10), "ten".into())]), ReadResult::All(Vec::new())]);
}

async fn kv_refused_update_writes_nothing<K: Kv>(kv: K) {
    let refused: Result<(), StoreError> =
        kv.update(Vec::new(), Durability::Strict, |_| Err(StoreError::Refused("no".into()))).await;
    assert!(refused.is_err());
    let r = kv.read(vec![Read::All(StoreName::Outbox)]).await.expect("read");
    assert_eq!(r, vec![ReadResult::All(Vec::new())]);
}

async fn concurrent_actions_get_unique_gap_free_ids<K: Kv>(kv: K) {
    let db = open(kv).await;
    let now = ts("2026-11-23T10:00:00Z");
    // Started together, as from two tabs (or two taps).
    let (a, b, c, d) = futures::join!(
        db.act(save(1, "a"), now),
        db.act(save(2, "b"), now),
        db.act(save(3, "c"), now),
        db.act(save(4, "d"), now),
    );
    let mut ids = vec![a.expect("a"), b.expect("b"), c.expect("c"), d.expect("d")];
    ids.sort_unstable();
    assert_eq!(ids, [1, 2, 3, 4], "unique and gap-free");
    let outbox = db.outbox().await.expect("outbox");
    assert_eq!(outbox.iter().map(|m| m.id).collect::<Vec<_>>(), [1, 2, 3, 4], "oldest first");
    assert_eq!(db.meta().await.expect("meta").next_mutation_id, 5);
    // Again, now that the handle guesses the counter (and all four guess 5).
    let (e, f, g, h) = futures::join!(
        db.act(save(5, "e"), now),
        db.act(save(6, "f"), now),
        db.act(save(7, "g"), now),
        db.act(save(8, "h"), now),
    );
    let mut ids = vec![e.expect("e"), f.expect("f"), g.expect("g"), h.expect("h")];
    ids.sort_unstable();
    assert_eq!(ids, [5, 6, 7, 8], "unique and gap-free with a guessed counter");
    let outbox = db.outbox().await.expect("outbox");
    assert_eq!(outbox.iter().map(|m| m.id).collect::<Vec<_>>(), (1..=8).collect::<Vec<_>>());
    assert_eq!(db.meta().await.expect("meta").next_mutation_id, 9);
}

async fn kv_writes_only_if_the_value_holds<K: Kv>(kv: K) {
    let counter = || (StoreName::Meta, Key::text("counter"));
    let step = |n: u64| {
        vec![
            Op::Put(StoreName::Outbox, Key::num(n), format!("m{n}")),
            Op::Put(StoreName::Meta, Key::text("counter"), (n + 1).to_string()),
        ]
    };
    let (store, key) = counter();
    assert!(
        !kv.write_if(store, key, "1", step(1), Durability::Strict).await.expect("missing"),
        "a missing key never holds"
    );
    kv.update(Vec::new(), Durability::Strict, |_| {
        Ok((vec![Op::Put(StoreName::Meta, Key::text("counter"), "1".into())], ()))
    })
    .await
    .expect("seed");
    let (store, key) = counter();
    assert!(!kv.write_if(store, key, "7", step(7), Durability::Strict).await.expect("stale"), "a stale guess");
    let read = || kv.read(vec![Read::All(StoreName::Outbox), Read::Get(StoreName::Meta, Key::text("counter"))]);
    assert_eq!(
        read().await.expect("read"),
        vec![ReadResult::All(Vec::new()), ReadResult::One(Some("1".into()))],
        "nothing written when the value does not hold"
    );
    let (store, key) = counter();
    assert!(kv.write_if(store, key, "1", step(1), Durability::Strict).await.expect("holds"));
    assert_eq!(
        read().await.expect("read"),
        vec![ReadResult::All(vec![(Key::num(1), "m1".into())]), ReadResult::One(Some("2".into()))],
        "every write when it holds"
    );
}

async fn a_stale_guess_at_the_counter_is_caught<K: Kv>(kv: K) {
    let db = open(kv).await;
    let now = ts("2026-11-23T10:00:00Z");
    assert_eq!(db.act(save(1, "a"), now).await.expect("first"), 1);
    // Another tab acts twice behind this handle's back, which guesses 2.
    let other = |id: u64| {
        let mutation = Mutation { id, created_at: now, body: save(u128::from(id), "other tab") };
        Op::Put(StoreName::Outbox, Key::num(id), serde_json::to_string(&mutation).expect("json"))
    };
    let counter = Op::Put(StoreName::Meta, Key::text("next_mutation_id"), "4".into());
    db.kv()
        .update(Vec::new(), Durability::Strict, |_| Ok((vec![other(2), other(3), counter], ())))
        .await
        .expect("other tab");
    assert_eq!(db.act(save(4, "d"), now).await.expect("stale guess"), 4, "the stored counter wins");
    assert_eq!(db.act(save(5, "e"), now).await.expect("guess again"), 5);
    let outbox = db.outbox().await.expect("outbox");
    assert_eq!(outbox.iter().map(|m| m.id).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    let fourth = outbox.iter().find(|m| m.id == 4).expect("4");
    assert_eq!(fourth.body, save(4, "d"), "the stale guess's body is the one kept");
}

async fn applying_pages_moves_everything_at_once<K: Kv>(kv: K) {
    let db = open(kv).await;
    db.set_user(user(), ClientId::from_uuid(Uuid::from_u128(43))).await.expect("user");
    let now = ts("2026-11-23T10:00:00Z");
    for n in 1..=3 {
        db.act(save(n, "mine"), now).await.expect("act");
    }
    db.clear_staging().await.expect("clear");
    let mut first = page(vec![server_visit(1, "mine"), server_visit(9, "theirs")], 1, true, true, "c1");
    first.rejected = Vec::new();
    let mut second = page(vec![Change::Deleted { of: Entity::Visit, id: Uuid::from_u128(9) }], 2, false, false, "c2");
    second.rejected = vec![RejectedMutation {
        id: 2,
        mutation: None,
        code: "not_assigned".into(),
        message: Localized::new("da", "en"),
        field: Some("citizen_id".into()),
    }];
    db.stage(0, &first).await.expect("stage");
    db.stage(1, &second).await.expect("stage");
    let applied = db.apply_staged(now).await.expect("apply");
    assert_eq!((applied.changes, applied.reset, applied.confirmed), (3, true, 2));
    assert_eq!(applied.newly_rejected, [2]);
    let outbox: Vec<u64> = db.outbox().await.expect("outbox").iter().map(|m| m.id).collect();
    assert_eq!(outbox, [3], "confirmed mutations leave the outbox, the rest stay");
    let rejected = db.rejected().await.expect("rejected");
    assert_eq!(rejected.len(), 1);
    assert!(rejected[0].mine.is_some(), "the phone keeps its own copy of the refused change");
    let visits = db.rows(Entity::Visit).await.expect("rows");
    assert_eq!(visits.len(), 1, "the deleted row is gone");
    let meta = db.meta().await.expect("meta");
    assert_eq!(meta.cursor, Some(Cursor("c2".into())));
    assert_eq!(meta.last_synced_at, Some(now));
    // Staging is empty: applying again changes nothing.
    assert_eq!(db.apply_staged(now).await.expect("again").changes, 0);
    db.discard_rejected(2).await.expect("discard");
    assert!(db.rejected().await.expect("rejected").is_empty());

    // Issue 12, kind 11: a pull without a cursor (a reset) sends every
    // rejection again; one the user settled stays settled, and one that is
    // new (an id this phone was never told of) still arrives.
    db.act(save(4, "mine"), now).await.expect("act");
    let rejection = |id: u64| RejectedMutation {
        id,
        mutation: None,
        code: "not_assigned".into(),
        message: Localized::new("da", "en"),
        field: Some("citizen_id".into()),
    };
    let mut again = page(vec![server_visit(1, "mine")], 4, true, false, "c3");
    again.rejected = vec![rejection(2), rejection(4)];
    db.clear_staging().await.expect("clear");
    db.stage(0, &again).await.expect("stage");
    assert_eq!(db.apply_staged(now).await.expect("apply").newly_rejected, [4], "only the new one is news");
    let ids: Vec<u64> = db.rejected().await.expect("rejected").iter().map(|r| r.rejection.id).collect();
    assert_eq!(ids, [4], "the settled rejection does not come back");
    // After the server lost mutations (a restore) and the outbox was
    // renumbered from 3, a rejection of the new id 3 is news again.
    db.act(save(5, "mine"), now).await.expect("act");
    db.renumber_outbox(3).await.expect("renumber");
    assert_eq!(db.meta().await.expect("meta").cursor, None, "the next pull starts over and brings the rejections");
    let mut restored = page(Vec::new(), 3, true, false, "c4");
    restored.rejected = vec![rejection(2), rejection(3)];
    db.clear_staging().await.expect("clear");
    db.stage(0, &restored).await.expect("stage");
    assert_eq!(db.apply_staged(now).await.expect("apply").newly_rejected, [3]);
}

async fn the_rows_held_can_be_checked_against_the_server<K: Kv>(kv: K) {
    let db = open(kv).await;
    let now = ts("2026-11-23T10:00:00Z");
    assert_eq!(db.row_digest().await.expect("digest"), Digest::default());
    db.stage(0, &page(vec![server_visit(1, "a"), server_visit(2, "b")], 0, true, false, "c1")).await.expect("stage");
    db.apply_staged(now).await.expect("apply");
    // Pending changes are not rows the server sent: they do not count.
    db.act(save(3, "mine"), now).await.expect("act");
    let held = db.row_digest().await.expect("digest");
    let expected: Digest = [1, 2].map(|n| (Entity::Visit, Uuid::from_u128(n))).into_iter().collect();
    assert_eq!(held.differs_in(&expected), Vec::<Entity>::new());
    db.verified(true, now).await.expect("verified");
    let meta = db.meta().await.expect("meta");
    assert_eq!((meta.verified_at, meta.cursor), (Some(now), Some(Cursor("c1".into()))));
    // Not what the server has: the cursor goes, so the next pull starts over.
    db.verified(false, now).await.expect("verified");
    assert_eq!(db.meta().await.expect("meta").cursor, None);
    assert_eq!(
        db.rows(Entity::Visit).await.expect("rows").len(),
        2,
        "the rows stay until the new download replaces them"
    );
}

async fn a_reset_replaces_all_rows<K: Kv>(kv: K) {
    let db = open(kv).await;
    let now = ts("2026-11-23T10:00:00Z");
    db.stage(0, &page(vec![server_visit(1, "old"), server_visit(2, "old")], 0, true, false, "c1"))
        .await
        .expect("stage");
    db.apply_staged(now).await.expect("apply");
    db.stage(0, &page(vec![server_visit(3, "new")], 0, true, false, "c2")).await.expect("stage");
    db.apply_staged(now).await.expect("apply");
    let ids: Vec<_> = db.rows(Entity::Visit).await.expect("rows").iter().map(|c| c.key().1).collect();
    assert_eq!(ids, [Uuid::from_u128(3)], "a citizen taken off the phone takes its rows along");
}

async fn a_crash_between_staging_and_apply_keeps_the_old_state<K: Kv>(kv: K, reopen: &impl AsyncFn(K) -> K) {
    let db = open(kv).await;
    let now = ts("2026-11-23T10:00:00Z");
    db.stage(0, &page(vec![server_visit(1, "old")], 0, true, false, "c1")).await.expect("stage");
    db.apply_staged(now).await.expect("apply");
    // A new run stages a page, then the phone dies before applying it.
    db.clear_staging().await.expect("clear");
    db.stage(0, &page(vec![server_visit(1, "new")], 0, false, true, "c2")).await.expect("stage");
    let kv = reopen(db.kv_owned()).await;
    let db = open(kv).await;
    let rows = db.rows(Entity::Visit).await.expect("rows");
    assert!(matches!(&rows[..], [Change::Visit(v)] if v.note.as_str() == "old"), "old state, not torn");
    assert_eq!(db.meta().await.expect("meta").cursor, Some(Cursor("c1".into())));
    // The next run starts over and lands the new state whole.
    db.clear_staging().await.expect("clear");
    db.stage(0, &page(vec![server_visit(1, "new")], 0, false, false, "c2")).await.expect("stage");
    db.apply_staged(now).await.expect("apply");
    let rows = db.rows(Entity::Visit).await.expect("rows");
    assert!(matches!(&rows[..], [Change::Visit(v)] if v.note.as_str() == "new"));
}

async fn the_view_shows_pending_changes_on_top<K: Kv>(kv: K) {
    let db = open(kv).await;
    db.set_user(user(), ClientId::from_uuid(Uuid::from_u128(43))).await.expect("user");
    let now = ts("2026-11-23T10:00:00Z");
    db.stage(0, &page(vec![server_visit(1, "server")], 0, true, false, "c1")).await.expect("stage");
    db.apply_staged(now).await.expect("apply");
    db.act(save(1, "edited offline"), now).await.expect("act");
    db.act(save(2, "new offline"), now).await.expect("act");
    let view = db.view().await.expect("view");
    assert_eq!(view.pending, 2);
    let mut notes: Vec<_> = view.visits.iter().map(|v| v.visit.note.to_string()).collect();
    notes.sort();
    assert_eq!(notes, ["edited offline", "new offline"]);
}

async fn another_user_starts_from_scratch<K: Kv>(kv: K) {
    let db = open(kv).await;
    assert!(
        !db.set_user(user(), ClientId::from_uuid(Uuid::from_u128(43))).await.expect("first user"),
        "the first user is no switch"
    );
    let now = ts("2026-11-23T10:00:00Z");
    db.stage(0, &page(vec![server_visit(1, "theirs")], 0, true, false, "c1")).await.expect("stage");
    db.apply_staged(now).await.expect("apply");
    assert!(!db.set_user(user(), ClientId::from_uuid(Uuid::from_u128(43))).await.expect("same user"));
    assert_eq!(db.rows(Entity::Visit).await.expect("rows").len(), 1, "the same user keeps their rows");
    db.act(save(5, "unsent"), now).await.expect("act");
    let other = UserId::from_uuid(Uuid::from_u128(8));
    assert!(db.set_user(other, ClientId::from_uuid(Uuid::from_u128(44))).await.expect("switch"));
    assert!(db.rows(Entity::Visit).await.expect("rows").is_empty(), "no one sees the previous user's rows");
    assert!(db.outbox().await.expect("outbox").is_empty(), "nor their unsent changes");
    let meta = db.meta().await.expect("meta");
    assert_eq!(meta.cursor, None);
    assert_eq!(meta.client_id, ClientId::from_uuid(Uuid::from_u128(44)), "a new client for a new user");
    assert_eq!((meta.next_mutation_id, meta.user), (1, Some(other)));
    db.wipe(ClientId::from_uuid(Uuid::from_u128(45))).await.expect("wipe");
    let meta = db.meta().await.expect("meta");
    assert_eq!((meta.user, meta.client_id), (None, ClientId::from_uuid(Uuid::from_u128(45))));
}

async fn the_outbox_can_be_renumbered<K: Kv>(kv: K) {
    let db = open(kv).await;
    let now = ts("2026-11-23T10:00:00Z");
    for n in 1..=3 {
        db.act(save(n, &format!("{n}")), now).await.expect("act");
    }
    db.renumber_outbox(1).await.expect("renumber to itself");
    db.kv()
        .update(Vec::new(), Durability::Strict, |_| Ok((vec![Op::Delete(StoreName::Outbox, Key::num(1))], ())))
        .await
        .expect("drop one");
    db.renumber_outbox(1).await.expect("renumber");
    let outbox = db.outbox().await.expect("outbox");
    assert_eq!(outbox.iter().map(|m| m.id).collect::<Vec<_>>(), [1, 2]);
    assert!(
        matches!(&outbox[0].body, MutationBody::VisitSave { visit, .. } if visit.note.as_str() == "2"),
        "order kept"
    );
    assert_eq!(db.meta().await.expect("meta").next_mutation_id, 3);
}

async fn the_outbox_survives_a_reopen<K: Kv>(kv: K, reopen: &impl AsyncFn(K) -> K) {
    let db = open(kv).await;
    let now = ts("2026-11-23T10:00:00Z");
    db.act(save(1, "kept"), now).await.expect("act");
    let client = db.meta().await.expect("meta").client_id;
    let db = open(reopen(db.kv_owned()).await).await;
    assert_eq!(db.outbox().await.expect("outbox").len(), 1);
    assert_eq!(db.meta().await.expect("meta").client_id, client, "the client id is kept");
}

/// Issue 13: a phone with work everywhere — rows of every entity (a
/// running timer among them), three visits waiting, a rejected one, a
/// cursor — opened by a build of another row schema. Rows it reads are
/// carried, one it cannot read goes, the cursor goes (the next pull
/// downloads everything anew); the queue, the rejected item, the timer and
/// the identity stay, and the view is whole.
async fn an_app_update_carries_the_rows_and_keeps_the_queue<K: Kv>(kv: K, reopen: &impl AsyncFn(K) -> K) {
    let db = open(kv).await;
    db.set_user(user(), ClientId::from_uuid(Uuid::from_u128(43))).await.expect("user");
    let now = ts("2026-11-23T10:00:00Z");
    for n in 1..=3 {
        db.act(save(n, "venter"), now).await.expect("act");
    }
    let stored = include_str!("stored_schema_1.jsonl");
    let mut ops = Vec::new();
    let mut rows = 0;
    for (kind, text) in stored.lines().filter_map(|l| l.split_once('\t')) {
        match kind {
            "row" => {
                let (entity, id) = serde_json::from_str::<Change>(text).expect("a stored row").key();
                ops.push(Op::Put(StoreName::Rows(entity), Key::text(id.to_string()), text.to_owned()));
                rows += 1;
            }
            "rejected" => {
                let item: serde_json::Value = serde_json::from_str(text).expect("json");
                let id = item["rejection"]["id"].as_u64().expect("id");
                ops.push(Op::Put(StoreName::Rejected, Key::num(id), text.to_owned()));
            }
            _ => {}
        }
    }
    ops.push(Op::Put(StoreName::Rows(Entity::Visit), Key::text("broken"), "{\"entity\":\"visit\"".into()));
    ops.push(Op::Put(StoreName::Meta, Key::text("cursor"), "\"c-old\"".into()));
    // Written by a build whose schema this one has no step from.
    ops.push(Op::Put(StoreName::Meta, Key::text("row_schema"), "0".into()));
    db.kv().update(Vec::new(), Durability::Strict, |_| Ok((ops, ()))).await.expect("write the old phone");
    let client = db.meta().await.expect("meta").client_id;

    let db = open(reopen(db.kv_owned()).await).await;
    let meta = db.meta().await.expect("meta");
    assert_eq!((meta.client_id, meta.next_mutation_id, meta.cursor), (client, 4, None), "identity kept, cursor gone");
    assert_eq!(db.outbox().await.expect("outbox").iter().map(|m| m.id).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(db.rejected().await.expect("rejected").len(), 2, "the rejected items stay");
    let view = db.view().await.expect("a whole view");
    assert!(!view.citizens.is_empty() && !view.grants.is_empty() && !view.drawing_rights.is_empty());
    assert_eq!(view.visits.len(), 1 + 3, "the stored visit and the three waiting ones; the broken row went");
    assert!(view.timers.iter().any(|t| t.is_running()), "the running timer is still there");
    let mut held = 0;
    for entity in Entity::ALL {
        held += db.rows(entity).await.expect("rows").len();
    }
    // Seven stored lines, two of them one visit (before and after a
    // correction): six rows, all carried.
    assert_eq!((rows, held), (7, 6), "every readable row carried");
    // Opened again by the same build: nothing more to do.
    assert!(!db.upgrade_rows().await.expect("upgrade"), "an upgraded phone is current");
}
