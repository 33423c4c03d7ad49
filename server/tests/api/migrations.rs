use std::collections::BTreeMap;

use server::db::{Backend, Db};

use crate::support::{TestApp, TestDb};

/// Every table of the schema with its columns: name and whether NULL is
/// allowed, in order.
async fn schema(db: &Db) -> BTreeMap<String, Vec<(String, bool)>> {
    let rows: Vec<(String, String, i64)> = match db.backend {
        Backend::Sqlite => sqlx::query_as(
            "SELECT m.name, c.name, CASE WHEN c.\"notnull\" = 1 OR c.pk > 0 THEN 0 ELSE 1 END
             FROM sqlite_master m, pragma_table_info(m.name) c
             WHERE m.type = 'table' AND m.name NOT LIKE '\\_%' ESCAPE '\\' AND m.name NOT LIKE 'sqlite%'
             ORDER BY m.name, c.cid",
        ),
        Backend::Postgres => sqlx::query_as(
            "SELECT table_name::text, column_name::text, CASE WHEN is_nullable = 'YES' THEN 1 ELSE 0 END
             FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name NOT LIKE '\\_%'
             ORDER BY table_name, ordinal_position",
        ),
    }
    .fetch_all(&db.pool)
    .await
    .expect("list the schema");
    let mut out: BTreeMap<String, Vec<(String, bool)>> = BTreeMap::new();
    for (table, column, nullable) in rows {
        out.entry(table).or_default().push((column, nullable == 1));
    }
    out
}

#[tokio::test]
async fn migrations_create_the_schema_on_a_fresh_database() {
    let app = TestApp::empty().await;
    let tables: Vec<String> = schema(&app.state.db).await.into_keys().collect();
    assert_eq!(
        tables,
        [
            "access_log",
            "areas",
            "assignments",
            "citizens",
            "drawing_rights",
            "grants",
            "login_failures",
            "period_lock_events",
            "period_locks",
            "sessions",
            "settings",
            "sync_changes",
            "sync_clients",
            "sync_departures",
            "sync_meta",
            "sync_mutations",
            "team_members",
            "teams",
            "timers",
            "user_roles",
            "users",
            "visit_conflicts",
            "visits"
        ]
    );
    if !app.db.is_postgres() {
        assert!(app.db.dir.path().join("db/helhed.db").exists(), "the data folder and file are created");
    }
    // Applying them again is a no-op.
    server::db::migrate(&app.state.db).await.expect("re-run");
}

/// The two migration histories build the same tables, columns and
/// nullability. Runs where a PostgreSQL server is given (CI does).
#[tokio::test]
async fn sqlite_and_postgres_schemas_are_the_same() {
    let pg = TestDb::new().await;
    if !pg.is_postgres() {
        eprintln!("HELHED_TEST_POSTGRES is not set: the PostgreSQL schema is compared in the PostgreSQL run");
        return;
    }
    let lite = tempfile::tempdir().expect("temp");
    let lite = server::db::connect(&format!("sqlite://{}/s.db", lite.path().display())).await.expect("sqlite");
    let pg = server::db::connect(pg.url()).await.expect("postgres");
    server::db::migrate(&lite).await.expect("migrate sqlite");
    server::db::migrate(&pg).await.expect("migrate postgres");
    let (lite_schema, pg_schema) = (schema(&lite).await, schema(&pg).await);
    assert!(lite_schema.len() >= 18, "{lite_schema:?}");
    assert_eq!(lite_schema, pg_schema);
    pg.close().await;
}

#[tokio::test]
async fn demo_seeds_once_and_believably() {
    let app = TestApp::demo().await;
    assert!(
        !server::demo::seed_if_empty(&app.state.db, app.now()).await.expect("second seed"),
        "seeds only an empty db"
    );
    let count = |sql: &'static str| {
        let db = app.pool().clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&db).await.expect(sql) }
    };
    assert_eq!(count("SELECT COUNT(*) FROM citizens").await, 30);
    assert_eq!(count("SELECT COUNT(*) FROM users").await, 6);
    assert_eq!(count("SELECT COUNT(*) FROM drawing_rights").await, 1);
    assert!(count("SELECT COUNT(*) FROM citizens WHERE target_group = 'youth'").await >= 3);
    assert!(count("SELECT COUNT(*) FROM citizens WHERE benefit_type = 'early_retirement_pension'").await >= 3);
    assert!(count("SELECT COUNT(*) FROM grants WHERE service = 'housing_support'").await >= 10);
    assert!(count("SELECT COUNT(*) FROM grants WHERE service = 'mentor'").await >= 5);
    assert!(count("SELECT COUNT(*) FROM visits WHERE kind = 'no_show'").await >= 5);
    let now = app.now().as_millis();
    let oldest: i64 =
        sqlx::query_scalar("SELECT MIN(started_at) FROM visits").fetch_one(app.pool()).await.expect("min");
    let newest: i64 = sqlx::query_scalar("SELECT MAX(ended_at) FROM visits").fetch_one(app.pool()).await.expect("max");
    assert!(newest <= now, "no visit in the future");
    assert!(now - oldest > 7 * 7 * 24 * 3_600_000, "about eight weeks of history");
    // Housing support for employment-area citizens is drawn on the pool.
    assert!(count("SELECT COUNT(*) FROM visits WHERE charged_pool_id IS NOT NULL").await > 0);
    assert_eq!(
        count("SELECT COUNT(*) FROM grants g JOIN citizens c ON c.id = g.citizen_id JOIN areas a ON a.id = g.payer_area_id
               WHERE g.service = 'housing_support' AND c.benefit_type = 'early_retirement_pension' AND a.kind <> 'social'")
            .await,
        0,
        "§ 85 for early-retirement pensioners is paid by the social area"
    );
}

#[tokio::test]
async fn a_foundation_database_gains_a_change_stream_for_its_rows() {
    // A database made before sync existed: only the first migration.
    let dir = tempfile::tempdir().expect("temp");
    let first = dir.path().join("first");
    std::fs::create_dir_all(&first).expect("dir");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite/0001_foundation.sql"),
        first.join("0001_foundation.sql"),
    )
    .expect("copy");
    let url = format!("sqlite://{}/old.db", dir.path().display());
    let db = server::db::connect(&url).await.expect("connect");
    sqlx::migrate::Migrator::new(first.as_path()).await.expect("migrator").run(&db.pool).await.expect("old schema");
    for sql in [
        "INSERT INTO areas VALUES ('00000000-0000-0000-0000-0000000000a1', 'Socialområdet', 'social')",
        "INSERT INTO citizens VALUES ('00000000-0000-0000-0000-0000000000c1', 'Mette Holm', 1980, 'complex', 'cash_benefit', NULL)",
        "INSERT INTO users VALUES ('00000000-0000-0000-0000-0000000000b1', 'worker', 'Anne', 'x', 1, 0)",
        "INSERT INTO visits VALUES ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000c1',
            '00000000-0000-0000-0000-0000000000b1', 'home_visit', 0, 3600000, 10, '', NULL, NULL, 'submitted', 1)",
    ] {
        sqlx::query(sql).execute(&db.pool).await.expect(sql);
    }
    server::db::migrate(&db).await.expect("upgrade");
    let stream: Vec<(String, i64)> =
        sqlx::query_as("SELECT entity, tx FROM sync_changes ORDER BY seq").fetch_all(&db.pool).await.expect("changes");
    assert_eq!(stream, [("citizen".to_owned(), 0), ("visit".to_owned(), 0)]);
}
