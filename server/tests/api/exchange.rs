//! Importing citizens and grants from CSV (dry run, all or nothing,
//! re-runnable, broken files) and exporting a citizen and a period's visits.

use axum::http::StatusCode;
use shared::admin::ImportReport;

use crate::support::{Response, TestApp};

async fn import(app: &TestApp, cookie: &str, kind: &str, dry_run: bool, body: Vec<u8>) -> ImportReport {
    let res = send(app, cookie, kind, dry_run, body).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.json()
}

async fn send(app: &TestApp, cookie: &str, kind: &str, dry_run: bool, body: Vec<u8>) -> Response {
    app.post(&format!("/api/admin/import?kind={kind}&dry_run={dry_run}"))
        .csrf()
        .cookie(cookie)
        .body("text/csv", body)
        .send()
        .await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.pool()).await.expect(sql)
}

fn problems(r: &ImportReport) -> Vec<(u32, &str, &str)> {
    r.problems.iter().map(|p| (p.line, p.field.as_str(), p.code.as_str())).collect()
}

/// Windows-1252, as Danish Excel saves "CSV (semikolonsepareret)".
fn cp1252(text: &str) -> Vec<u8> {
    encoding_rs::WINDOWS_1252.encode(text).0.into_owned()
}

const CITIZENS: &str = "Sagsnummer;Navn;Fødselsår;Lag;Lag fra;Ydelse;Koordinator\r\n\
                        SAG-1;Søren Ærø;1979;Fælles plan;30.09.2026;Kontanthjælp;coordinator\r\n\
                        SAG-2;Åse Øster;2009;;;Uddannelseshjælp;\r\n";

#[tokio::test]
async fn citizens_import_after_a_dry_run_and_a_second_run_duplicates_nothing() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let before = count(&app, "SELECT COUNT(*) FROM citizens").await;

    let dry = import(&app, &admin, "citizens", true, cp1252(CITIZENS)).await;
    assert_eq!((dry.lines, dry.created, dry.applied, dry.dry_run), (2, 2, false, true));
    assert!(dry.problems.is_empty(), "{:?}", dry.problems);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM citizens").await, before, "a dry run writes nothing");

    let done = import(&app, &admin, "citizens", false, cp1252(CITIZENS)).await;
    assert_eq!((done.created, done.applied), (2, true));
    let name: String = sqlx::query_scalar("SELECT name FROM citizens WHERE external_id = 'SAG-1'")
        .fetch_one(app.pool())
        .await
        .expect("row");
    assert_eq!(name, "Søren Ærø", "Windows-1252 read as such");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM citizens c JOIN users u ON u.id = c.coordinator_id WHERE c.external_id = 'SAG-1' AND u.username = 'coordinator'").await,
        1
    );

    // The same file again: nothing new. A changed name: one update.
    let again = import(&app, &admin, "citizens", false, CITIZENS.as_bytes().to_vec()).await;
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
    let renamed = CITIZENS.replace("Søren Ærø", "Søren Ærø Berg");
    let changed = import(&app, &admin, "citizens", false, renamed.into_bytes()).await;
    assert_eq!((changed.created, changed.updated, changed.unchanged), (0, 1, 1));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM citizens").await, before + 2);
    // Each written citizen has its one access-log entry per import.
    assert_eq!(count(&app, "SELECT COUNT(*) FROM access_log WHERE purpose = 'data_exchange'").await, 3);
}

#[tokio::test]
async fn a_file_with_any_problem_changes_nothing_and_names_each_line_and_field() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let before = count(&app, "SELECT COUNT(*) FROM citizens").await;
    // Line 3 has a control character where Windows-1252 has no letter, an
    // impossible year and an unknown benefit; line 4 repeats a case id.
    let mut file =
        cp1252("sagsnummer,navn,fødselsår,lag,lag fra,ydelse\nSAG-9,Ida Berg,1990,employment,30.09.2026,other\n");
    file.extend_from_slice(
        b"SAG-10,Bo \x81 Berg,19x0,employment,30.09.2026,lottogevinst\nSAG-9,Ida Berg,1990,employment,30.09.2026,other\n",
    );
    let report = import(&app, &admin, "citizens", false, file).await;
    assert!(!report.applied);
    assert_eq!(
        problems(&report),
        [
            (3, "name", "invalid_characters"),
            (3, "birth_year", "whole_number_expected"),
            (3, "benefit_type", "unknown_value"),
            (4, "external_id", "taken")
        ]
    );
    assert!(report.problems[0].message.da.starts_with("Navn: "), "{:?}", report.problems[0].message);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM citizens").await, before, "all or nothing");

    // Missing columns, an empty file, 100 000 lines: refused whole.
    let report = import(&app, &admin, "citizens", false, b"navn;foo\nIda;1\n".to_vec()).await;
    assert_eq!(problems(&report)[0], (1, "external_id", "required"));
    let report = import(&app, &admin, "citizens", false, Vec::new()).await;
    assert_eq!(problems(&report), [(1, "file", "required")]);
    let mut big = String::from("sagsnummer;navn;fødselsår;ydelse\n");
    for i in 0..100_000 {
        big.push_str(&format!("S-{i};Borger {i};1980;other\n"));
    }
    let report = import(&app, &admin, "citizens", false, big.into_bytes()).await;
    assert_eq!(report.problems.len(), 1);
    assert_eq!((report.problems[0].field.as_str(), report.problems[0].code.as_str()), ("file", "out_of_range"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM citizens").await, before);
    // A file beyond the size limit is refused before it is read.
    let res = send(&app, &admin, "citizens", true, vec![b'x'; 9 * 1024 * 1024]).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    // And only admins import.
    let lead = app.login("lead").await;
    assert_eq!(send(&app, &lead, "citizens", true, CITIZENS.as_bytes().to_vec()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(send(&app, &admin, "people", true, CITIZENS.as_bytes().to_vec()).await.error().fields[0].field, "kind");
}

#[tokio::test]
async fn grants_import_checks_the_payer_rule_and_overlaps_and_reruns_cleanly() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    import(&app, &admin, "citizens", false, CITIZENS.as_bytes().to_vec()).await;
    let bad = "bevillingsnummer;sagsnummer;ydelse;lovgrundlag;timer;pr;fra;til;betaler\n\
               B-1;SAG-1;bostøtte;;3;uge;01.12.2026;;\n\
               B-2;SAG-1;housing_support;SEL § 85;2,5;uge;01.06.2027;;Socialområdet\n\
               B-3;SAG-1;housing_support;SEL § 85;2;uge;01.01.2027;;\n\
               B-4;SAG-404;mentor;;1;måned;1.1.2027;;\n\
               B-5;SAG-2;mentor;;1,333;måned;2027-01-01;31.12.2026;\n";
    let report = import(&app, &admin, "grants", true, bad.as_bytes().to_vec()).await;
    assert_eq!(
        problems(&report),
        [
            (2, "service", "unknown_value"),
            (3, "payer_area_id", "wrong_payer"),
            (5, "citizen_id", "not_found"),
            (6, "hours", "not_whole_minutes"),
            (6, "valid_to", "before_start_day")
        ]
    );
    let good = "bevillingsnummer;sagsnummer;ydelse;lovgrundlag;timer;pr;fra;til;betaler\n\
                B-1;SAG-1;Socialpædagogisk støtte (bostøtte);;3;uge;01.12.2026;31.05.2027;\n\
                B-3;SAG-1;housing_support;SEL § 85;2;uge;01.06.2027;;\n\
                B-5;SAG-2;mentor;;1:30;måned;01.01.2027;;\n";
    let done = import(&app, &admin, "grants", false, good.as_bytes().to_vec()).await;
    assert_eq!((done.created, done.applied), (3, true), "{:?}", done.problems);
    let (minutes, per, payer): (i64, String, String) = sqlx::query_as(
        "SELECT g.minutes, g.per, a.kind FROM grants g JOIN areas a ON a.id = g.payer_area_id WHERE g.external_id = 'B-5'",
    )
    .fetch_one(app.pool())
    .await
    .expect("grant");
    assert_eq!((minutes, per.as_str(), payer.as_str()), (90, "month", "employment"));
    let again = import(&app, &admin, "grants", false, good.as_bytes().to_vec()).await;
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3));
    // A grant overlapping one already imported is refused.
    let overlap = "bevillingsnummer;sagsnummer;ydelse;timer;pr;fra\nB-9;SAG-1;housing_support;4;uge;01.01.2027\n";
    let report = import(&app, &admin, "grants", false, overlap.as_bytes().to_vec()).await;
    assert_eq!(problems(&report), [(2, "valid_from", "overlaps")]);
}

#[tokio::test]
async fn a_citizens_data_and_a_periods_visits_are_exported_and_logged() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let citizen: String =
        sqlx::query_scalar("SELECT citizen_id FROM visits GROUP BY citizen_id ORDER BY COUNT(*) DESC LIMIT 1")
            .fetch_one(app.pool())
            .await
            .expect("citizen");
    let res = app.get(&format!("/api/admin/citizens/{citizen}/export")).cookie(&admin).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(res.header("content-disposition").is_some_and(|d| d.starts_with("attachment; filename=\"borger-")));
    let export: serde_json::Value = res.json();
    let visits = count(&app, &format!("SELECT COUNT(*) FROM visits WHERE citizen_id = '{citizen}'")).await;
    assert_eq!(export["visits"].as_array().map(Vec::len), Some(visits as usize));
    assert!(export["grants"].as_array().is_some_and(|g| !g.is_empty()));
    assert_eq!(export["citizen"]["id"], citizen.as_str());
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM access_log WHERE citizen_id = '{citizen}' AND action = 'export'"))
            .await,
        1
    );
    let lead = app.login("lead").await;
    assert_eq!(
        app.get(&format!("/api/admin/citizens/{citizen}/export")).cookie(&lead).send().await.status,
        StatusCode::FORBIDDEN
    );

    let res = app.get("/api/admin/visits.csv?from=2026-11-01&to=2026-11-30").cookie(&admin).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(res.body.starts_with(b"\xef\xbb\xbf"), "UTF-8 byte-order mark");
    let text = String::from_utf8(res.body[3..].to_vec()).expect("utf-8");
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(lines[0].starts_with("Dato;Start;Slut;Minutter;Timer;"));
    let in_november =
        count(&app, "SELECT COUNT(*) FROM visits WHERE started_at >= 1793487600000 AND started_at < 1796079600000")
            .await;
    assert_eq!(lines.len() as i64 - 2, in_november, "one line per visit, and a last CRLF");
    let res = app.get("/api/admin/visits.csv?from=2026-11-30&to=2026-11-01").cookie(&admin).send().await;
    assert_eq!(res.error().fields[0].field, "to");
}

/// The ids of the citizens `cookie`'s user sees.
async fn seen(app: &TestApp, cookie: &str) -> Vec<String> {
    let list: serde_json::Value = app.get("/api/citizens").cookie(cookie).send().await.json();
    list["citizens"].as_array().expect("citizens").iter().map(|c| c["id"].as_str().expect("id").to_owned()).collect()
}

fn changes(r: &ImportReport) -> Vec<(u32, &str, bool, Vec<&str>)> {
    r.changes
        .iter()
        .map(|c| (c.line, c.external_id.as_str(), c.created, c.fields.iter().map(String::as_str).collect()))
        .collect()
}

/// Issue 12, kind 6: the failing input over the API. Citizens imported with
/// a `koordinator` column, then the same lines without it: nothing changes,
/// and the coordinator still sees the citizen. Then variants, each a file
/// after the first, with the dry run's list of changed fields.
#[tokio::test]
async fn an_update_import_changes_only_the_columns_in_the_file() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let coordinator = app.login("coordinator").await;
    let done = import(&app, &admin, "citizens", false, CITIZENS.as_bytes().to_vec()).await;
    assert_eq!((done.created, done.applied), (2, true));
    assert_eq!(
        changes(&done),
        [
            (2, "SAG-1", true, vec!["name", "birth", "benefit_type", "coordinator_id", "layer"]),
            (3, "SAG-2", true, vec!["name", "birth", "benefit_type"])
        ]
    );
    let sag1: String = sqlx::query_scalar("SELECT id FROM citizens WHERE external_id = 'SAG-1'")
        .fetch_one(app.pool())
        .await
        .expect("row");
    assert!(seen(&app, &coordinator).await.contains(&sag1), "the coordinator sees the citizen");
    let coordinator_of = || async {
        sqlx::query_scalar::<_, Option<String>>(
            "SELECT u.username FROM citizens c LEFT JOIN users u ON u.id = c.coordinator_id WHERE c.external_id = 'SAG-1'",
        )
        .fetch_one(app.pool())
        .await
        .expect("row")
    };

    // (file, counts created/updated/unchanged, changes, SAG-1's coordinator after)
    type Case<'a> = (&'a str, (u32, u32, u32), Vec<(u32, &'a str, bool, Vec<&'a str>)>, Option<&'a str>);
    let cases: Vec<Case> = vec![
        // The failing input: the same lines without the koordinator column.
        (
            "Sagsnummer;Navn;Fødselsår;Lag;Lag fra;Ydelse\r\n\
             SAG-1;Søren Ærø;1979;Fælles plan;30.09.2026;Kontanthjælp\r\n\
             SAG-2;Åse Øster;2009;;;Uddannelseshjælp\r\n",
            (0, 0, 2),
            vec![],
            Some("coordinator"),
        ),
        // Only a name: only the name changes.
        (
            "Sagsnummer;Navn\r\nSAG-1;Søren Ærø Berg\r\n",
            (0, 1, 0),
            vec![(2, "SAG-1", false, vec!["name"])],
            Some("coordinator"),
        ),
        // A present, empty coordinator cell clears it.
        (
            "Sagsnummer;Koordinator\r\nSAG-1;\r\nSAG-2;\r\n",
            (0, 1, 1),
            vec![(2, "SAG-1", false, vec!["coordinator_id"])],
            None,
        ),
        (
            "Sagsnummer;Koordinator\r\nSAG-2;coordinator\r\n",
            (0, 1, 0),
            vec![(2, "SAG-2", false, vec!["coordinator_id"])],
            None,
        ),
    ];
    for (file, counts, expected, after) in cases {
        let dry = import(&app, &admin, "citizens", true, file.as_bytes().to_vec()).await;
        assert!(dry.problems.is_empty(), "{file:?}: {:?}", dry.problems);
        assert_eq!((dry.created, dry.updated, dry.unchanged), counts, "{file:?}");
        assert_eq!(changes(&dry), expected, "{file:?}: the dry run lists each field it would change");
        let done = import(&app, &admin, "citizens", false, file.as_bytes().to_vec()).await;
        assert_eq!(changes(&done), expected, "{file:?}");
        assert_eq!(coordinator_of().await.as_deref(), after, "{file:?}");
    }
    assert!(!seen(&app, &coordinator).await.contains(&sag1), "cleared on purpose: no longer seen");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM citizens WHERE external_id = 'SAG-1' AND name = 'Søren Ærø Berg' AND birth_year = 1979")
            .await,
        1,
        "what the files left out stayed"
    );

    // Grants: only the hours of B-1, then only its end.
    let grants = "bevillingsnummer;sagsnummer;ydelse;lovgrundlag;timer;pr;fra;til;betaler\n\
                  B-1;SAG-1;housing_support;SEL § 85 stk. 1;3;uge;01.12.2026;31.05.2027;\n";
    import(&app, &admin, "grants", false, grants.as_bytes().to_vec()).await;
    let hours = import(&app, &admin, "grants", false, b"bevillingsnummer;timer\nB-1;4,5\n".to_vec()).await;
    assert_eq!(changes(&hours), [(2, "B-1", false, vec!["hours"])]);
    let open = import(&app, &admin, "grants", true, b"bevillingsnummer;til\nB-1;\n".to_vec()).await;
    assert_eq!(changes(&open), [(2, "B-1", false, vec!["valid_to"])]);
    let (minutes, basis, to): (i64, String, Option<String>) =
        sqlx::query_as("SELECT minutes, legal_basis, valid_to FROM grants WHERE external_id = 'B-1'")
            .fetch_one(app.pool())
            .await
            .expect("grant");
    assert_eq!(
        (minutes, basis.as_str(), to.as_deref()),
        (270, "SEL § 85 stk. 1", Some("2027-05-31")),
        "the dry run wrote nothing"
    );
    let refused = import(&app, &admin, "grants", false, b"bevillingsnummer;timer\nB-1;\n".to_vec()).await;
    assert_eq!(problems(&refused), [(2, "hours", "required")]);
}
