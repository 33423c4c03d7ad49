//! The citizen's plan on the phone (issue 15's benchmark): prints figures,
//! asserts nothing but the counts it measures.
//!
//! A worker with 40 citizens, each with a plan of 8 goals, two agreed
//! actions a goal, a follow-up a month for three years and a revision
//! every half year, all written through sync on a real server on loopback
//! with SQLite. Measured: the first download of all of it into an empty
//! phone (rows, bytes of JSON, seconds), and a pull of 10 changes made on
//! another phone (p50 of 25), against the README's sync figures. Run with
//! `cargo xtask bench`.

mod common;

use std::time::Instant;

use common::SyncClient;
use serde_json::{Value, json};
use uuid::Uuid;

const CITIZENS: usize = 40;
const GOALS: usize = 8;
const ACTIONS: usize = 2;
/// A follow-up a month for three years.
const FOLLOW_UPS: usize = 36;
/// A revision every half year for three years.
const REVISIONS: usize = 6;
const BATCH: usize = 100;

/// The `i`-th month's first day, counting back from December 2026.
fn month_day(i: usize) -> String {
    let months = 2026 * 12 + 11 - i as i64;
    format!("{}-{:02}-01", months / 12, months % 12 + 1)
}

async fn put(http: &reqwest::Client, base: &str, cookie: &str, path: &str, body: &Value) -> anyhow::Result<()> {
    let res = http
        .put(format!("{base}{path}"))
        .header("x-requested-with", "helhed")
        .header("cookie", cookie)
        .json(body)
        .send()
        .await?;
    anyhow::ensure!(res.status().is_success(), "{path}: {}", res.status());
    Ok(())
}

/// Everything one citizen's plan holds, as the mutations that write it.
fn plan_of(citizen: Uuid, worker: &str) -> Vec<Value> {
    let began = month_day(FOLLOW_UPS);
    let mut out = vec![json!({ "type": "plan_save", "base": null, "plan": {
        "citizen_id": citizen, "consent": {"state": "given", "on": began}, "coordinator_id": null,
        "coordinator_contact": "Ring 2233 4455, man–fre 9–12",
        "wishes": "At få et arbejde, hvor jeg kan bruge mine hænder, og en lejlighed tæt på min søster",
        "began_on": began } })];
    let mut kept = Vec::new();
    for g in 0..GOALS {
        let goal = Uuid::now_v7();
        let wording = format!("Mål {g}: jeg vil selv kunne klare det, der står her, om et år");
        out.push(json!({ "type": "goal_save", "base": null, "goal": {
            "id": goal, "citizen_id": citizen, "citizen_wording": wording,
            "professional_wording": "Borgeren øver sig med støtte to gange om ugen",
            "areas": [], "efforts": [], "target_date": "2027-06-30", "status": "active", "position": g + 1 } }));
        let mut actions = Vec::new();
        for a in 0..ACTIONS {
            let what = format!("Aftale {a} om mål {g}");
            out.push(json!({ "type": "action_save", "base": null, "action": {
                "id": Uuid::now_v7(), "goal_id": goal, "citizen_id": citizen, "what": what,
                "owner": {"type": "user", "id": worker}, "due": "2026-12-15", "status": "open" } }));
            actions.push(
                json!({ "what": what, "owner": {"type": "user", "id": worker}, "due": "2026-12-15", "status": "open" }),
            );
        }
        for f in 0..FOLLOW_UPS {
            out.push(json!({ "type": "follow_up_add", "follow_up": {
                "id": Uuid::now_v7(), "goal_id": goal, "citizen_id": citizen, "on": month_day(f),
                "citizen_score": (f % 11) as u8, "functioning": (f % 5) as u8,
                "note": "Går fremad; aftalt at fortsætte", "conclusion": "continue" } }));
        }
        kept.push(json!({ "goal_id": goal, "citizen_wording": wording, "status": "active",
                          "target_date": "2027-06-30", "actions": actions }));
    }
    for r in 0..REVISIONS {
        out.push(json!({ "type": "plan_revision_add", "revision": {
            "id": Uuid::now_v7(), "citizen_id": citizen, "on": month_day(r * 6), "participants": [worker],
            "others": "", "citizen_present": true, "citizen_agreed": true, "note": "",
            "wishes": "At få et arbejde", "goals": kept } }));
    }
    out
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let bench = common::start("plan-bench.db").await?;
    let (db, base) = (bench.db.clone(), bench.base.clone());
    let worker: String = sqlx::query_scalar("SELECT id FROM users WHERE username = 'worker'").fetch_one(&db).await?;

    // 40 citizens of the worker's, made by the administrator.
    let started = Instant::now();
    let http = reqwest::Client::new();
    let admin = common::login(&http, &base, "admin").await?;
    let mut citizens = Vec::new();
    for i in 0..CITIZENS {
        let citizen = Uuid::now_v7();
        let body = json!({ "name": format!("Planborger {i}"), "birth": {"year": 1990}, "benefit_type": "other",
                           "coordinator_id": null, "external_id": null });
        put(&http, &base, &admin, &format!("/api/admin/citizens/{citizen}"), &body).await?;
        let assignment =
            json!({ "citizen_id": citizen, "user_id": worker, "period": { "from": "2023-01-01", "to": null } });
        put(&http, &base, &admin, &format!("/api/admin/assignments/{}", Uuid::now_v7()), &assignment).await?;
        citizens.push(citizen);
    }
    // Their plans, pushed as a phone does, in batches.
    let mut writer = SyncClient::login(&base, "worker").await?;
    let bodies: Vec<Value> = citizens.iter().flat_map(|c| plan_of(*c, &worker)).collect();
    let mutations = bodies.len();
    let mut applied = 0;
    let mut rest = bodies.into_iter().peekable();
    while rest.peek().is_some() {
        let batch: Vec<Value> = rest.by_ref().take(BATCH).collect();
        let res = writer.push(batch).await?;
        applied += res.results.iter().filter(|r| matches!(r.outcome, shared::sync::Outcome::Applied)).count();
    }
    anyhow::ensure!(applied == mutations, "{applied} of {mutations} applied");
    println!(
        "setup: {CITIZENS} citizens × {GOALS} goals, {ACTIONS} actions and {FOLLOW_UPS} follow-ups a goal, \
         {REVISIONS} revisions a plan: {mutations} mutations pushed ({:.1} s)",
        started.elapsed().as_secs_f64()
    );

    // The first download into an empty phone (p50 of 5).
    let mut times = Vec::new();
    let mut first = None;
    for _ in 0..5 {
        let fresh = SyncClient::login(&base, "worker").await?;
        let started = Instant::now();
        let pulled = fresh.pull_all(None).await?;
        times.push(started.elapsed());
        first = Some((fresh, pulled));
    }
    let (fresh, pulled) = first.ok_or_else(|| anyhow::anyhow!("no download"))?;
    let took = common::median(times).as_secs_f64();
    println!(
        "first: the worker's whole phone ({} rows, {:.1} MB of JSON) downloaded in {:.2} s p50: {:.0} rows/s",
        pulled.rows,
        pulled.bytes as f64 / 1_000_000.0,
        took,
        pulled.rows as f64 / took
    );

    // Ten follow-ups made on another phone (the coordinator's colleague:
    // the same worker's second device), then the small pull.
    let mut other = SyncClient::login(&base, "worker").await?;
    let goal: String = sqlx::query_scalar("SELECT id FROM goals WHERE citizen_id = $1 LIMIT 1")
        .bind(citizens[0].to_string())
        .fetch_one(&db)
        .await?;
    let ten = (0..10)
        .map(|i| {
            json!({ "type": "follow_up_add", "follow_up": {
                "id": Uuid::now_v7(), "goal_id": goal, "citizen_id": citizens[0], "on": month_day(0),
                "citizen_score": 7, "functioning": 1, "note": format!("Ny opfølgning {i}"), "conclusion": "continue" } })
        })
        .collect();
    other.push(ten).await?;
    let mut times = Vec::new();
    for _ in 0..25 {
        let started = Instant::now();
        let small = fresh.pull_all(Some(pulled.cursor.clone())).await?;
        times.push(started.elapsed());
        anyhow::ensure!(small.rows == 10, "expected 10 changes, got {}", small.rows);
    }
    println!("small: a pull of 10 changes over that phone: p50 {:.2} ms", common::median(times).as_secs_f64() * 1000.0);
    println!("README's sync figures: ≥ 50000 rows/s pulled into an empty phone, ≤ 5 ms for a pull of 10 changes");
    Ok(())
}
