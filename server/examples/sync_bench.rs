//! Sync benchmark (issue 3): prints figures, asserts nothing.
//!
//! Against a real server on loopback with SQLite: mutations per second
//! pushed (10 000 visits in batches of 100), rows per second pulled into an
//! empty client, and the latency of a small pull (10 changes) with 1 000 000
//! visits stored. Run with `cargo xtask bench`.

mod common;

use std::time::Instant;

use common::SyncClient as Client;
use serde_json::{Value, json};
use shared::sync::{PROTOCOL_VERSION, PullResponse, SCHEMA_VERSION};
use uuid::Uuid;

const VISITS: usize = 10_000;
const BATCH: usize = 100;
const STORED: i64 = 1_000_000;

fn visit(citizen: &str, note: &str) -> Value {
    json!({ "type": "visit_save", "base": null, "visit": {
        "id": Uuid::now_v7(), "citizen_id": citizen, "kind": "home_visit",
        "started_at": "2026-11-23T08:00:00Z", "ended_at": "2026-11-23T09:00:00Z",
        "travel_minutes": 10, "note": note, "charged_to": null } })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let bench = common::start("bench.db").await?;
    let (db, base) = (bench.db.clone(), bench.base.clone());

    let citizen_of = |user: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT a.citizen_id FROM assignments a JOIN users u ON u.id = a.user_id WHERE u.username = $1 LIMIT 1",
            )
            .bind(user)
            .fetch_one(&db)
            .await
        }
    };
    let mine = citizen_of("worker").await?;
    let theirs = citizen_of("worker2").await?;

    // 1. Push.
    let mut worker = Client::login(&base, "worker").await?;
    let started = Instant::now();
    for b in 0..VISITS / BATCH {
        let bodies = (0..BATCH).map(|i| visit(&mine, &format!("bench {b}/{i}"))).collect();
        let res = worker.push(bodies).await?;
        anyhow::ensure!(res.results.len() == BATCH);
    }
    let push_secs = started.elapsed().as_secs_f64();
    println!(
        "push:  {VISITS} visits in batches of {BATCH}: {:.0} mutations/s ({push_secs:.2} s)",
        VISITS as f64 / push_secs
    );

    // 2. Pull into an empty client.
    let fresh = Client::login(&base, "worker").await?;
    let started = Instant::now();
    let common::Pulled { rows, mut cursor, .. } = fresh.pull_all(None).await?;
    let pull_secs = started.elapsed().as_secs_f64();
    println!("pull:  {rows} rows into an empty client: {:.0} rows/s ({pull_secs:.2} s)", rows as f64 / pull_secs);

    // The daily check: a pull with nothing new that asks for the digest of
    // every row in scope, against the same pull without it.
    let timed = |verify: bool| {
        let (fresh, cursor) = (&fresh, cursor.clone());
        async move {
            let mut times = Vec::new();
            for _ in 0..25 {
                let req = json!({ "protocol_version": PROTOCOL_VERSION, "schema_version": SCHEMA_VERSION,
                    "client_id": fresh.id, "cursor": cursor, "verify": verify });
                let started = Instant::now();
                let page: PullResponse = fresh.post("/api/sync/pull", &req).await?;
                times.push(started.elapsed());
                anyhow::ensure!(page.digest.is_some() == verify, "a digest exactly when asked");
            }
            anyhow::Ok(common::median(times))
        }
    };
    let (plain, verifying) = (timed(false).await?, timed(true).await?);
    println!(
        "check: the daily verifying pull over {rows} rows: p50 {:.2} ms (the same pull without the check: {:.2} ms)",
        verifying.as_secs_f64() * 1000.0,
        plain.as_secs_f64() * 1000.0
    );

    // 3. A small pull with 1 000 000 visits stored.
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits").fetch_one(&db).await?;
    let add = STORED - have;
    let worker2: String = sqlx::query_scalar("SELECT id FROM users WHERE username = 'worker2'").fetch_one(&db).await?;
    let started = Instant::now();
    let mut tx = db.begin().await?;
    let stamp: i64 =
        sqlx::query_scalar("UPDATE sync_meta SET clock = clock + 1 RETURNING clock").fetch_one(&mut *tx).await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
         INSERT INTO visits (id, citizen_id, worker_id, kind, started_at, ended_at, travel_minutes, note, status, row_version)
         SELECT printf('%08x-0000-4000-8000-%012x', i, i), $2, $3, 'home_visit', 1763884800000, 1763888400000, 10, '', 'submitted', 1 FROM n",
    )
    .bind(add)
    .bind(&theirs)
    .bind(&worker2)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO sync_changes (entity, row_id, tx, seq, citizen_id)
         SELECT 'visit', id, $1, rowid, citizen_id FROM visits WHERE id LIKE '%-0000-4000-8000-%'",
    )
    .bind(stamp)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    println!("setup: {add} more visits stored ({:.1} s); {STORED} in all", started.elapsed().as_secs_f64());

    let started = Instant::now();
    let head = fresh.pull_all(Some(cursor.clone())).await?.cursor;
    println!("       catching up past them once: {:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
    cursor = head;
    let edits = (0..10).map(|i| visit(&mine, &format!("changed {i}"))).collect();
    worker.push(edits).await?;
    let mut times = Vec::new();
    for _ in 0..25 {
        let started = Instant::now();
        let rows = fresh.pull_all(Some(cursor.clone())).await?.rows;
        times.push(started.elapsed());
        anyhow::ensure!(rows == 10, "expected 10 changes, got {rows}");
    }
    println!(
        "small: pull of 10 changes with {STORED} visits stored: p50 {:.2} ms",
        common::median(times).as_secs_f64() * 1000.0
    );
    println!("goals: ≥ 20000 mutations/s pushed, ≥ 50000 rows/s pulled, ≤ 5 ms for the small pull");
    Ok(())
}
