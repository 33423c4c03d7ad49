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
    // The enums' lookup tables are checked by `each_lookup_table_holds_exactly_its_enums_codes`.
    let tables: Vec<String> =
        schema(&app.state.db).await.into_keys().filter(|table| !table.ends_with("_codes")).collect();
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

/// Every domain enum's lookup table, with the codes the Rust enum has.
fn lookup_tables() -> Vec<(&'static str, Vec<&'static str>)> {
    use shared::{access, area, citizen, conflict, drawing_right, grant, sync, time, user, visit};
    fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|value| code(*value)).collect()
    }
    vec![
        ("area_kind_codes", codes(&area::AreaKind::ALL, area::AreaKind::code)),
        ("role_codes", codes(&user::Role::ALL, user::Role::code)),
        ("target_group_codes", codes(&citizen::TargetGroup::ALL, citizen::TargetGroup::code)),
        ("benefit_type_codes", codes(&citizen::BenefitType::ALL, citizen::BenefitType::code)),
        ("service_codes", codes(&grant::Service::ALL, grant::Service::code)),
        ("allowance_unit_codes", codes(&grant::AllowanceUnit::ALL, grant::AllowanceUnit::code)),
        ("period_kind_codes", codes(&time::PeriodKind::ALL, time::PeriodKind::code)),
        ("rollover_codes", codes(&drawing_right::Rollover::ALL, drawing_right::Rollover::code)),
        ("visit_kind_codes", codes(&visit::VisitKind::ALL, visit::VisitKind::code)),
        ("visit_status_codes", codes(&visit::VisitStatus::ALL, visit::VisitStatus::code)),
        ("entity_codes", codes(&sync::Entity::ALL, sync::Entity::code)),
        ("access_action_codes", codes(&access::AccessAction::ALL, access::AccessAction::code)),
        ("access_purpose_codes", codes(&access::AccessPurpose::ALL, access::AccessPurpose::code)),
        ("conflict_keep_codes", codes(&conflict::Keep::ALL, conflict::Keep::code)),
    ]
}

/// Issue 13: the database knows exactly the values the code does. A value
/// added to an enum without its one-line migration (or the reverse) fails
/// here, on both backends.
#[tokio::test]
async fn each_lookup_table_holds_exactly_its_enums_codes() {
    let app = TestApp::empty().await;
    let tables = schema(&app.state.db).await;
    let lookups = lookup_tables();
    let named: Vec<&str> = tables.keys().map(String::as_str).filter(|table| table.ends_with("_codes")).collect();
    let mut expected: Vec<&str> = lookups.iter().map(|(table, _)| *table).collect();
    expected.sort_unstable();
    assert_eq!(named, expected, "one lookup table per domain enum, and no other");
    for (table, codes) in lookups {
        let mut stored: Vec<String> = sqlx::query_scalar(&format!("SELECT code FROM {table} ORDER BY code"))
            .fetch_all(app.pool())
            .await
            .expect(table);
        stored.sort_unstable();
        let mut codes: Vec<String> = codes.into_iter().map(str::to_owned).collect();
        codes.sort_unstable();
        assert_eq!(stored, codes, "{table}");
    }
}

/// A value the lookup table lacks is refused by the database; adding it is
/// one INSERT, after which the same row is taken, on both backends.
#[tokio::test]
async fn a_new_enum_value_is_one_insert() {
    let app = TestApp::empty().await;
    let area = |id: &'static str| {
        let pool = app.pool().clone();
        async move {
            sqlx::query("INSERT INTO areas (id, name, kind) VALUES ($1, $2, 'housing')")
                .bind(id)
                .bind(format!("Område {id}"))
                .execute(&pool)
                .await
        }
    };
    assert!(area("00000000-0000-0000-0000-0000000000a1").await.is_err(), "an unknown kind is refused");
    sqlx::query("INSERT INTO area_kind_codes (code) VALUES ('housing')").execute(app.pool()).await.expect("new value");
    area("00000000-0000-0000-0000-0000000000a2").await.expect("the new kind is taken");
    let entity = sqlx::query("INSERT INTO sync_changes (entity, row_id, tx, seq) VALUES ('meeting', 'm1', 1, 1)")
        .execute(app.pool())
        .await;
    assert!(entity.is_err(), "an unknown synced entity is refused");
}

/// The migration that turned the CHECK lists into lookup tables (a rebuild
/// of most tables on SQLite) keeps every row of a populated database, and
/// leaves every connection with foreign keys on.
#[tokio::test]
async fn the_lookup_migration_keeps_every_row() {
    let test_db = TestDb::new().await;
    let backend = if test_db.is_postgres() { "postgres" } else { "sqlite" };
    let before = tempfile::tempdir().expect("temp");
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
    for entry in std::fs::read_dir(&source).expect("migrations") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        if name.as_str() < "0009" {
            std::fs::copy(&path, before.path().join(&name)).expect("copy");
        }
    }
    let db = server::db::connect(test_db.url()).await.expect("connect");
    sqlx::migrate::Migrator::new(before.path()).await.expect("migrator").run(&db.pool).await.expect("schema 8");
    let now: shared::Timestamp = crate::support::NOW.parse().expect("valid");
    assert!(server::demo::seed_if_empty(&db, now).await.expect("seed"));
    let tables: Vec<String> = schema(&db).await.into_keys().collect();
    let counts = |db: Db, tables: Vec<String>| async move {
        let mut counts = BTreeMap::new();
        for table in tables {
            let n: i64 =
                sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&db.pool).await.expect("count");
            counts.insert(table, n);
        }
        counts
    };
    let rows_before = counts(db.clone(), tables.clone()).await;
    assert!(rows_before["visits"] > 100 && rows_before["sync_changes"] > 100, "{rows_before:?}");
    server::db::migrate(&db).await.expect("upgrade");
    assert_eq!(counts(db.clone(), tables).await, rows_before);
    if db.backend == Backend::Sqlite {
        for _ in 0..3 {
            let mut conn = db.pool.acquire().await.expect("connection");
            let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *conn).await.expect("pragma");
            assert_eq!(on, 1, "no pooled connection has foreign keys off");
            let broken: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                .fetch_all(&mut *conn)
                .await
                .expect("check");
            assert!(broken.is_empty(), "{broken:?}");
        }
    }
    let refused =
        sqlx::query("UPDATE visits SET kind = 'walk' WHERE id = (SELECT MIN(id) FROM visits)").execute(&db.pool).await;
    assert!(refused.is_err(), "the migrated visits refer to visit_kind_codes");
    db.pool.close().await;
}
