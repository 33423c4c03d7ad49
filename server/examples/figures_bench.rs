//! Resource-picture benchmark (issue 14): prints figures, asserts nothing.
//!
//! A real server on loopback with SQLite: the demo municipality grown to
//! 100 000 citizens with a case in the social area (every 50th closed),
//! two years of classifications (each citizen classified twice), 1 000
//! more workers in 50 teams and 1 000 000 visits over two years. Times, as
//! an administrator for the whole municipality: the layer × age band
//! table at a date; the 12-month trend (hours by layer and the layer
//! counts, inflow and outflow, the shared group, each month) when nothing
//! is stored yet, when every month is stored and current, and after a
//! visit this month (the month computed again); and a month's resources
//! (hours by layer × band per team and worker, costs, caseloads). Run with
//! `cargo xtask bench`.

mod common;

use std::time::Instant;

use shared::time::Period;

const CITIZENS: i64 = 100_000;
const WORKERS: i64 = 1_000;
const VISITS: i64 = 1_000_000;
const RUNS: usize = 15;

/// `HELHED_BENCH_SCALE=10` divides the citizens, workers and visits by 10
/// (a large municipality rather than the stress size).
fn scaled(n: i64) -> i64 {
    let scale: i64 = std::env::var("HELHED_BENCH_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
    n / scale
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (citizens_n, workers_n, visits_n) = (scaled(CITIZENS), scaled(WORKERS), scaled(VISITS));
    let bench = common::start("figures.db").await?;
    let (db, base) = (bench.db.clone(), bench.base.clone());

    let started = Instant::now();
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as i64;
    let today = shared::Timestamp::from_millis(now_ms).local_date();
    let two_years_ago = today.add_months(-24).to_string();
    let a_year_ago = today.add_months(-12).to_string();
    let mut tx = db.begin().await?;
    let social: String = sqlx::query_scalar("SELECT id FROM areas WHERE kind = 'social'").fetch_one(&mut *tx).await?;
    let employment: String =
        sqlx::query_scalar("SELECT id FROM areas WHERE kind = 'employment'").fetch_one(&mut *tx).await?;
    let admin: String = sqlx::query_scalar("SELECT id FROM users WHERE username = 'admin'").fetch_one(&mut *tx).await?;
    common::add_teams(&mut tx, &social, 50).await?;
    common::add_users(&mut tx, workers_n).await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
         INSERT INTO team_members (team_id, user_id)
         SELECT printf('%08x-0000-4000-b000-%012x', i / 20, i / 20), printf('%08x-0000-4000-9000-%012x', i, i) FROM n",
    )
    .bind(workers_n)
    .execute(&mut *tx)
    .await?;
    // Citizens aged 15 to 74, every fifth known by the year only, every
    // tenth on early-retirement pension.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
         INSERT INTO citizens (id, name, birth_year, benefit_type, birth_date)
         SELECT printf('%08x-0000-4000-a000-%012x', i, i), 'Borger ' || i, 1952 + i % 60,
                CASE WHEN i % 10 = 0 THEN 'early_retirement_pension' ELSE 'cash_benefit' END,
                CASE WHEN i % 5 = 4 THEN NULL
                     ELSE printf('%04d-%02d-%02d', 1952 + i % 60, 1 + i % 12, 1 + i % 28) END
         FROM n",
    )
    .bind(citizens_n)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
         INSERT INTO cases (citizen_id, area_id, opened_on, closed_on, caseworker_id)
         SELECT printf('%08x-0000-4000-a000-%012x', i, i), $2, date($3, '+' || (i % 700) || ' days'),
                CASE WHEN i % 50 = 0 THEN date($3, '+' || (i % 700 + 20) || ' days') END,
                printf('%08x-0000-4000-9000-%012x', i % $4, i % $4)
         FROM n",
    )
    .bind(citizens_n)
    .bind(&social)
    .bind(&two_years_ago)
    .bind(workers_n)
    .execute(&mut *tx)
    .await?;
    // Two years of classifications: each citizen classified two years ago
    // and again a year ago (a third moves layer).
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
         INSERT INTO classifications (citizen_id, valid_from, layer, made_by, made_at)
         SELECT printf('%08x-0000-4000-a000-%012x', i, i), $2,
                CASE i % 3 WHEN 0 THEN 'employment' WHEN 1 THEN 'joint_plan' ELSE 'social' END, $4, 0 FROM n
         UNION ALL
         SELECT printf('%08x-0000-4000-a000-%012x', i, i), $3,
                CASE i % 3 WHEN 0 THEN 'joint_plan' WHEN 1 THEN 'joint_plan' ELSE 'social' END, $4, 0 FROM n",
    )
    .bind(citizens_n)
    .bind(&two_years_ago)
    .bind(&a_year_ago)
    .bind(&admin)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
         INSERT INTO assignments (id, citizen_id, user_id, valid_from)
         SELECT printf('%08x-0000-4000-c000-%012x', i, i), printf('%08x-0000-4000-a000-%012x', i, i),
                printf('%08x-0000-4000-9000-%012x', i % $2, i % $2), $3 FROM n",
    )
    .bind(citizens_n)
    .bind(workers_n)
    .bind(&two_years_ago)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
         INSERT INTO grants (id, citizen_id, service, legal_basis, minutes, per, valid_from, payer_area_id)
         SELECT printf('%08x-0000-4000-d000-%012x', i, i), printf('%08x-0000-4000-a000-%012x', i, i),
                'housing_support', 'SEL § 85', 180, 'week', $2,
                CASE WHEN i % 10 = 0 THEN $3 ELSE $4 END FROM n",
    )
    .bind(citizens_n)
    .bind(&two_years_ago)
    .bind(&social)
    .bind(&employment)
    .execute(&mut *tx)
    .await?;
    // Visits over two years (1 051 200 minutes), by the citizen's worker.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
         INSERT INTO visits (id, citizen_id, worker_id, kind, started_at, ended_at, travel_minutes, note,
                             charged_grant_id, charged_pool_id, status, row_version)
         SELECT printf('%08x-0000-4000-8000-%012x', i, i),
                printf('%08x-0000-4000-a000-%012x', i % $2, i % $2),
                printf('%08x-0000-4000-9000-%012x', i % $2 % $3, i % $2 % $3),
                CASE WHEN i % 10 = 0 THEN 'no_show' ELSE 'home_visit' END,
                $4 - ((i * 7919) % 1051200 + 60) * 60000,
                $4 - ((i * 7919) % 1051200 + 60) * 60000 + (30 + i % 4 * 15) * 60000,
                15, '', printf('%08x-0000-4000-d000-%012x', i % $2, i % $2), NULL, 'submitted', 1
         FROM n",
    )
    .bind(visits_n)
    .bind(citizens_n)
    .bind(workers_n)
    .bind(now_ms)
    .execute(&mut *tx)
    .await?;
    // Rows written straight in SQL, as a case-system load would: the
    // layer table's spans are derived from them once.
    server::db::review::fill_layer_spans(&mut tx).await?;
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(&db).await?;
    let (visits, citizens, classified): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM visits), (SELECT COUNT(*) FROM citizens), (SELECT COUNT(*) FROM classifications)",
    )
    .fetch_one(&db)
    .await?;
    println!(
        "setup: {visits} visits, {citizens} citizens, {classified} classifications stored ({:.1} s)",
        started.elapsed().as_secs_f64()
    );

    let http = reqwest::Client::new();
    let cookie = common::login(&http, &base, "admin").await?;
    let last_month = today.add_months(-1);
    let month = format!("{:04}-{:02}", last_month.year(), last_month.month());
    let table = format!("/api/figures/layers?scope=municipality&on={}", today.add_days(-45));
    let trend = "/api/figures/trend?scope=municipality";
    let resources = format!("/api/figures/resources?scope=municipality&month={month}");
    let get = |path: String| {
        let (http, base, cookie) = (&http, &base, &cookie);
        async move {
            let started = Instant::now();
            let res = http.get(format!("{base}{path}")).header("cookie", cookie).send().await?;
            anyhow::ensure!(res.status() == 200, "{path}: {} {}", res.status(), res.text().await?);
            let size = res.bytes().await?.len();
            anyhow::Ok((started.elapsed(), size))
        }
    };
    let report = |label: &str, times: &[std::time::Duration], size: usize| {
        println!(
            "figures: {label}: p50 {:.1} ms, min {:.1} ms ({} KB answered, {} runs)",
            common::median(times.to_vec()).as_secs_f64() * 1000.0,
            times.iter().min().copied().unwrap_or_default().as_secs_f64() * 1000.0,
            size / 1024,
            times.len()
        );
    };

    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..RUNS {
        let (took, bytes) = get(table.clone()).await?;
        times.push(took);
        size = bytes;
    }
    report("layer × age band table on a date", &times, size);

    // The trend: the first request computes and stores every month; the
    // next ones read them; after a visit this month, only this month is
    // computed again (what a lead sees while workers log).
    let (first, trend_size) = get(trend.to_owned()).await?;
    report("12-month trend, nothing stored yet (every month computed)", &[first], trend_size);
    let mut times = Vec::new();
    for _ in 0..RUNS {
        times.push(get(trend.to_owned()).await?.0);
    }
    report("12-month trend, months stored and current", &times, trend_size);
    // Writes while a lead reads: a visit logged now (this month's hours
    // summed again), one synced late into last month (both months' hours:
    // a month's worth of visits), a classification today (this month in
    // full: its counts and the shared group).
    let last_month_day =
        shared::time::Month::containing(last_month).start().as_millis() + 14 * 86_400_000 + 10 * 3_600_000;
    let writes: [(&str, &str, i64); 3] = [
        ("a visit logged now (this month's hours summed again)", "visit", now_ms - 1_860_000),
        ("a visit synced late into last month (two months' hours summed again)", "visit", last_month_day),
        ("a classification from today (this month computed in full)", "classification", now_ms),
    ];
    for (w, (label, what, at)) in writes.into_iter().enumerate() {
        let mut times = Vec::new();
        for i in 0..RUNS {
            let n = (w * RUNS + i) as i64;
            if what == "visit" {
                sqlx::query(
                    "INSERT INTO visits (id, citizen_id, worker_id, kind, started_at, ended_at, travel_minutes, note,
                                         status, row_version)
                     VALUES (printf('%08x-0000-4000-8800-%012x', $1, $1), printf('%08x-0000-4000-a000-%012x', 7, 7),
                             printf('%08x-0000-4000-9000-%012x', 7, 7), 'home_visit', $2, $2 + 1800000, 0, '',
                             'submitted', 1)",
                )
                .bind(n)
                .bind(at)
                .execute(&db)
                .await?;
            } else {
                let citizen: shared::CitizenId = format!("{n:08x}-0000-4000-a000-{n:012x}").parse()?;
                let mut tx = db.begin().await?;
                sqlx::query(
                    "INSERT INTO classifications (citizen_id, valid_from, layer, made_by, made_at)
                     VALUES ($1, $2, 'social', $3, 0)
                     ON CONFLICT (citizen_id, valid_from) DO UPDATE SET layer = excluded.layer",
                )
                .bind(citizen.to_string())
                .bind(today.to_string())
                .bind(&admin)
                .execute(&mut *tx)
                .await?;
                server::db::review::refresh_layer_spans(&mut tx, citizen).await?;
                tx.commit().await?;
            }
            times.push(get(trend.to_owned()).await?.0);
        }
        report(&format!("12-month trend after {label}"), &times, trend_size);
    }

    let mut times = Vec::new();
    for _ in 0..RUNS {
        let (took, bytes) = get(resources.clone()).await?;
        times.push(took);
        size = bytes;
    }
    report("a month's hours per team and worker, costs, caseloads", &times, size);
    println!(
        "goal: ≤ 100 ms p50 for the table at a date and the 12-month trend, with {CITIZENS} citizens and {VISITS} \
         visits (this run: {citizens_n} and {visits_n})"
    );
    Ok(())
}
