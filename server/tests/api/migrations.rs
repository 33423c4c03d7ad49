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
            "area_heads",
            "areas",
            "assignments",
            "cases",
            "citizens",
            "classifications",
            "committee_meetings",
            "course_consultants",
            "course_goals",
            "course_statuses",
            "courses",
            "decision_notices",
            "drawing_rights",
            "figure_change_log",
            "figure_changes",
            "figure_snapshots",
            "follow_ups",
            "forum_cases",
            "forum_sessions",
            "goals",
            "grants",
            "layer_spans",
            "layers",
            "login_failures",
            "meeting_minutes",
            "meetings",
            "offers",
            "period_lock_events",
            "period_locks",
            "plan_actions",
            "plan_conflicts",
            "plan_revisions",
            "plans",
            "referral_areas",
            "referrals",
            "review_items",
            "reviews",
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
    assert_eq!(count("SELECT COUNT(*) FROM users").await, 8);
    assert_eq!(
        count("SELECT COUNT(*) FROM courses WHERE ended_on IS NULL").await,
        10,
        "the youth team's running courses"
    );
    assert_eq!(count("SELECT COUNT(*) FROM courses WHERE outcome IS NOT NULL").await, 3, "and those ended");
    assert_eq!(count("SELECT COUNT(*) FROM drawing_rights").await, 1);
    assert_eq!(count("SELECT COUNT(*) FROM citizens c WHERE NOT EXISTS (SELECT 1 FROM classifications k WHERE k.citizen_id = c.id)").await, 2, "two not assessed");
    assert!(count("SELECT COUNT(*) FROM citizens WHERE birth_date IS NULL").await >= 5, "some known by year only");
    assert_eq!(
        count("SELECT COUNT(DISTINCT citizen_id) FROM cases WHERE closed_on IS NULL AND area_id IN (SELECT id FROM areas WHERE kind = 'social')").await,
        30,
        "a social case each"
    );
    assert!(
        count("SELECT COUNT(*) FROM cases WHERE caseworker_id IS NOT NULL").await >= 10,
        "case workers on the employment cases"
    );
    assert_eq!(count("SELECT COUNT(*) FROM cases WHERE closed_on IS NOT NULL").await, 1, "one closed: the outflow");
    assert_eq!(
        count("SELECT COUNT(*) FROM assignments WHERE handover_note IS NOT NULL").await,
        1,
        "one came by a handover"
    );
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
    use shared::{
        access, area, citizen, committee, conflict, course, drawing_right, grant, meeting, notice, plan, sync, time,
        user, visit,
    };
    fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|value| code(*value)).collect()
    }
    vec![
        ("area_kind_codes", codes(&area::AreaKind::ALL, area::AreaKind::code)),
        ("role_codes", codes(&user::Role::ALL, user::Role::code)),
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
        ("consent_codes", codes(&plan::ConsentState::ALL, plan::ConsentState::code)),
        ("goal_status_codes", codes(&plan::GoalStatus::ALL, plan::GoalStatus::code)),
        ("action_status_codes", codes(&plan::ActionStatus::ALL, plan::ActionStatus::code)),
        ("conclusion_codes", codes(&plan::Conclusion::ALL, plan::Conclusion::code)),
        ("outcome_codes", codes(&course::Outcome::ALL, course::Outcome::code)),
        ("decision_codes", codes(&notice::Decision::ALL, notice::Decision::code)),
        ("meeting_status_codes", codes(&meeting::MeetingStatus::ALL, meeting::MeetingStatus::code)),
        ("screening_codes", codes(&committee::Screening::ALL, committee::Screening::code)),
        ("referral_stage_codes", codes(&committee::Stage::ALL, committee::Stage::code)),
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
    let entity = sqlx::query("INSERT INTO sync_changes (entity, row_id, tx, seq) VALUES ('committee', 'm1', 1, 1)")
        .execute(app.pool())
        .await;
    assert!(entity.is_err(), "an unknown synced entity is refused");
}

/// A municipality's rows at schema 8 (before the lookup tables), written as
/// that schema had them, on either backend: two areas, a team, a worker and
/// a lead, three citizens (one of each kind of target group that 0010 turns
/// into a classification or not), assignments, grants paid by two areas, a
/// drawing right, visits, a change stamp, an approved month, a setting and
/// an access-log entry.
const SCHEMA_8_ROWS: &[&str] = &[
    "INSERT INTO areas (id, name, kind) VALUES ('a1', 'Socialområdet', 'social'), ('a2', 'Beskæftigelse', 'employment')",
    "INSERT INTO teams (id, area_id, name) VALUES ('t1', 'a1', 'Bostøtteteamet')",
    "INSERT INTO users (id, username, name, password_hash, active, created_at, must_change_password)
     VALUES ('u1', 'anne', 'Anne', 'x', 1, 0, 0), ('u2', 'henrik', 'Henrik', 'x', 1, 0, 0)",
    "INSERT INTO user_roles (user_id, role) VALUES ('u1', 'worker'), ('u2', 'lead')",
    "INSERT INTO team_members (team_id, user_id) VALUES ('t1', 'u1'), ('t1', 'u2')",
    "INSERT INTO citizens (id, name, birth_year, target_group, benefit_type, coordinator_id, external_id) VALUES
     ('c1', 'Mette Holm', 1988, 'very_complex', 'cash_benefit', NULL, 'S-1'),
     ('c2', 'Bo Berg', 2010, 'youth', 'other', NULL, NULL),
     ('c3', 'Ib Lund', 1960, 'limited_work_capacity', 'early_retirement_pension', 'u2', NULL),
     ('c4', 'Eva Holm', 1990, 'complex', 'cash_benefit', NULL, NULL)",
    "INSERT INTO assignments (id, citizen_id, user_id, valid_from, valid_to) VALUES
     ('as1', 'c1', 'u1', '2026-01-01', NULL), ('as2', 'c2', 'u1', '2026-02-01', NULL),
     ('as3', 'c4', 'u1', '2025-03-01', '2025-12-31')",
    "INSERT INTO grants (id, citizen_id, service, legal_basis, minutes, per, valid_from, valid_to, payer_area_id,
                         external_id) VALUES
     ('g1', 'c1', 'housing_support', 'SEL § 85', 120, 'week', '2025-06-01', NULL, 'a2', 'B-1'),
     ('g2', 'c1', 'mentor', 'LAB § 31 b', 60, 'week', '2025-09-01', NULL, 'a2', NULL),
     ('g3', 'c3', 'housing_support', 'SEL § 85', 60, 'week', '2024-01-01', NULL, 'a1', NULL),
     ('g4', 'c3', 'contact_person', 'SEL § 85', 60, 'month', '2024-05-01', NULL, 'a2', NULL)",
    "INSERT INTO drawing_rights (id, name, owner_area_id, provider_team_id, minutes_per_period, period_kind, rollover,
                                 valid_from, valid_to)
     VALUES ('d1', 'Trækningsret', 'a2', 't1', 6000, 'month', 'expire', '2026-01-01', NULL)",
    "INSERT INTO visits (id, citizen_id, worker_id, kind, started_at, ended_at, travel_minutes, note, charged_grant_id,
                         charged_pool_id, status, row_version, corrected_minutes, correction_reason, corrected_by) VALUES
     ('v1', 'c1', 'u1', 'home_visit', 1000, 3601000, 10, 'Handlede ind', 'g1', NULL, 'approved', 1, NULL, NULL, NULL),
     ('v2', 'c1', 'u1', 'no_show', 5000, 905000, 0, '', NULL, 'd1', 'submitted', 2, 10, 'Kort', 'u2')",
    "INSERT INTO sync_changes (entity, row_id, tx, seq, citizen_id) VALUES ('visit', 'v1', 1, 1, 'c1')",
    "INSERT INTO period_locks (team_id, month, locked_by, locked_at) VALUES ('t1', '2026-01', 'u2', 10)",
    "INSERT INTO settings (key, value) VALUES ('caseload_norms', '{}')",
    "INSERT INTO access_log (id, at, user_id, citizen_id, action, purpose, detail)
     VALUES ('l1', 10, 'u2', 'c1', 'read', 'oversight', NULL)",
];

/// The migrations since schema 8 keep every row of a populated database
/// (0009 rebuilt most tables on SQLite; 0010 rebuilt `citizens`), derive
/// 0010's classifications and cases from what was there, and leave every
/// connection with foreign keys on.
#[tokio::test]
async fn the_migrations_since_schema_8_keep_every_row() {
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
    for sql in SCHEMA_8_ROWS {
        sqlx::query(sql).execute(&db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
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
    assert!(rows_before.values().filter(|n| **n > 0).count() >= 12, "{rows_before:?}");
    server::db::migrate(&db).await.expect("upgrade");
    assert_eq!(counts(db.clone(), tables).await, rows_before);
    // 0010: each old target group but "youth" is a classification from the
    // citizen's first grant (else assignment); each paying area a case.
    let classified: Vec<(String, String, String)> =
        sqlx::query_as("SELECT citizen_id, valid_from, layer FROM classifications ORDER BY citizen_id")
            .fetch_all(&db.pool)
            .await
            .expect("classifications");
    let expected =
        [("c1", "2025-06-01", "joint_plan"), ("c3", "2024-01-01", "social"), ("c4", "2025-03-01", "employment")];
    assert_eq!(classified, expected.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned())));
    let cases: Vec<(String, String, String)> =
        sqlx::query_as("SELECT citizen_id, area_id, opened_on FROM cases ORDER BY citizen_id, area_id")
            .fetch_all(&db.pool)
            .await
            .expect("cases");
    let expected = [("c1", "a2", "2025-06-01"), ("c3", "a1", "2024-01-01"), ("c3", "a2", "2024-05-01")];
    assert_eq!(cases, expected.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned())));
    let births: Vec<(String, i64)> =
        sqlx::query_as("SELECT name, birth_year FROM citizens WHERE birth_date IS NULL ORDER BY name")
            .fetch_all(&db.pool)
            .await
            .expect("citizens");
    assert_eq!(births.len(), 4, "every citizen kept, known by year until the case system says more");
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
