//! Usage-report benchmark (issue 5): prints figures, asserts nothing.
//!
//! A real server on loopback with SQLite, the demo municipality grown to
//! 10 000 citizens, 200 more workers in ten teams and 1 000 000 visits over
//! three years. Times the lead's team report (`GET /api/reports/team`) for
//! the housing-support team (20 workers, about 1 000 citizens, the drawing
//! right) for this month and last month. Run with `cargo xtask bench`.

mod common;

use std::time::Instant;

const CITIZENS: i64 = 10_000;
const WORKERS: i64 = 200;
/// Of the extra workers, this many join the demo's housing-support team.
const IN_HOUSING_TEAM: i64 = 18;
const VISITS: i64 = 1_000_000;
const RUNS: usize = 25;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let bench = common::start("bench.db").await?;
    let (db, base) = (bench.db.clone(), bench.base.clone());

    let started = Instant::now();
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as i64;
    let mut tx = db.begin().await?;
    let housing: String =
        sqlx::query_scalar("SELECT id FROM teams WHERE name = 'Bostøtteteamet'").fetch_one(&mut *tx).await?;
    let social: String = sqlx::query_scalar("SELECT id FROM areas WHERE kind = 'social'").fetch_one(&mut *tx).await?;
    let employment: String =
        sqlx::query_scalar("SELECT id FROM areas WHERE kind = 'employment'").fetch_one(&mut *tx).await?;
    let pool: String = sqlx::query_scalar("SELECT id FROM drawing_rights").fetch_one(&mut *tx).await?;
    // Ten more teams in the social area; worker w joins the housing team when
    // w < 18, else team w / 20.
    common::add_teams(&mut tx, &social, 10).await?;
    common::add_users(&mut tx, WORKERS).await?;
    sqlx::query("INSERT INTO user_roles (user_id, role) SELECT id, 'worker' FROM users WHERE username LIKE 'bench%'")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
         INSERT INTO team_members (team_id, user_id)
         SELECT CASE WHEN i < $2 THEN $3 ELSE printf('%08x-0000-4000-b000-%012x', i / 20, i / 20) END,
                printf('%08x-0000-4000-9000-%012x', i, i) FROM n",
    )
    .bind(WORKERS)
    .bind(IN_HOUSING_TEAM)
    .bind(&housing)
    .execute(&mut *tx)
    .await?;
    // Citizens on cash benefit, each assigned to worker c % 200 with a
    // housing-support grant paid by the employment area.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
         INSERT INTO citizens (id, name, birth_year, benefit_type)
         SELECT printf('%08x-0000-4000-a000-%012x', i, i), 'Borger ' || i, 1980 + i % 40, 'cash_benefit' FROM n",
    )
    .bind(CITIZENS)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
         INSERT INTO assignments (id, citizen_id, user_id, valid_from)
         SELECT printf('%08x-0000-4000-c000-%012x', i, i), printf('%08x-0000-4000-a000-%012x', i, i),
                printf('%08x-0000-4000-9000-%012x', i % $2, i % $2), '2023-01-01' FROM n",
    )
    .bind(CITIZENS)
    .bind(WORKERS)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
         INSERT INTO grants (id, citizen_id, service, legal_basis, minutes, per, valid_from, payer_area_id)
         SELECT printf('%08x-0000-4000-d000-%012x', i, i), printf('%08x-0000-4000-a000-%012x', i, i),
                'housing_support', 'SEL § 85', 180, 'week', '2023-01-01', $2 FROM n",
    )
    .bind(CITIZENS)
    .bind(&employment)
    .execute(&mut *tx)
    .await?;
    // Visits over three years; the housing team's are drawn on the pool.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
         INSERT INTO visits (id, citizen_id, worker_id, kind, started_at, ended_at, travel_minutes, note,
                             charged_grant_id, charged_pool_id, status, row_version)
         SELECT printf('%08x-0000-4000-8000-%012x', i, i),
                printf('%08x-0000-4000-a000-%012x', i % $2, i % $2),
                printf('%08x-0000-4000-9000-%012x', i % $2 % $3, i % $2 % $3),
                CASE WHEN i % 10 = 0 THEN 'no_show' WHEN i % 3 = 0 THEN 'phone_video' ELSE 'home_visit' END,
                $4 - ((i * 7919) % 1576800 + 60) * 60000,
                $4 - ((i * 7919) % 1576800 + 60) * 60000 + (30 + i % 4 * 15) * 60000,
                15, '',
                CASE WHEN i % $2 % $3 < $5 THEN NULL ELSE printf('%08x-0000-4000-d000-%012x', i % $2, i % $2) END,
                CASE WHEN i % $2 % $3 < $5 THEN $6 ELSE NULL END,
                'submitted', 1
         FROM n",
    )
    .bind(VISITS)
    .bind(CITIZENS)
    .bind(WORKERS)
    .bind(now_ms)
    .bind(IN_HOUSING_TEAM)
    .bind(&pool)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(&db).await?;
    let (visits, citizens): (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM visits), (SELECT COUNT(*) FROM citizens)").fetch_one(&db).await?;
    println!("setup: {visits} visits, {citizens} citizens stored ({:.1} s)", started.elapsed().as_secs_f64());

    let http = reqwest::Client::new();
    let cookie = common::login(&http, &base, "lead").await?;
    let today = shared::Timestamp::from_millis(now_ms).local_date();
    let this_month = format!("{:04}-{:02}", today.year(), today.month());
    let last_month = if today.month() == 1 {
        format!("{:04}-12", today.year() - 1)
    } else {
        format!("{:04}-{:02}", today.year(), today.month() - 1)
    };
    for (label, month) in [("this month", this_month), ("last month", last_month)] {
        let path = format!("{base}/api/reports/team?team={housing}&month={month}");
        let mut times = Vec::new();
        let mut summary = String::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            let res = http.get(&path).header("cookie", &cookie).send().await?;
            anyhow::ensure!(res.status() == 200, "report: {}", res.status());
            let body: shared::report::TeamReport = res.json().await?;
            times.push(started.elapsed());
            let visits: u32 = body.workers.iter().map(|w| w.load.visits).sum();
            summary = format!(
                "{} workers, {visits} visits, {} grants, pool used {} min",
                body.workers.len(),
                body.grants.len(),
                body.pools.first().map_or(0, |p| p.usage.used.get())
            );
        }
        println!(
            "report: team and month ({label}, {summary}): p50 {:.1} ms, min {:.1} ms",
            common::median(times.clone()).as_secs_f64() * 1000.0,
            times.iter().min().copied().unwrap_or_default().as_secs_f64() * 1000.0
        );
    }
    println!("goal: ≤ 50 ms p50 for the team report with {VISITS} visits and {CITIZENS} citizens stored");
    Ok(())
}
