//! The resource picture (issue 14): seed 000's two tables reproduced from
//! an import of its 901 reviewed citizens, the table at other dates, its
//! CSV, and who may see which scope.

use axum::http::{Method, StatusCode};
use serde_json::json;
use shared::admin::ImportReport;
use shared::review::{AgeBand, FigureScope, LayerTableResponse};
use uuid::Uuid;

use crate::support::TestApp;

/// Seed 000's tables: (band, moved to employment, joint plan, stays in
/// social, early-retirement pensioners), as of the review on 30.9.2026.
const SEED_000: [(AgeBand, u32, u32, u32, u32); 3] =
    [(AgeBand::From30, 30, 41, 24, 444), (AgeBand::From18To29, 59, 31, 35, 91), (AgeBand::From15To17, 37, 23, 86, 0)];

/// A birth in `band` on 30.9.2026, varied by `i`, with the edges in it: the
/// 18th and 30th birthdays on the day itself, a 29 February birthday, the
/// 15th birthday the day before, and every seventh citizen known by the
/// year alone (1 July, so the year is chosen to be safe either side).
fn birth(band: AgeBand, i: u32) -> (String, String) {
    let (first_year, years) = match band {
        AgeBand::From30 => (1950, 47),
        AgeBand::From18To29 => (1997, 12),
        AgeBand::From15To17 => (2009, 3),
        AgeBand::Under15 => unreachable!("seed 000 reviews no one under 15"),
    };
    let edge = match (band, i) {
        (AgeBand::From30, 0) => Some("30.09.1996"),
        (AgeBand::From18To29, 0) => Some("30.09.2008"),
        (AgeBand::From18To29, 1) => Some("29.02.2008"),
        (AgeBand::From18To29, 2) => Some("01.10.1996"),
        (AgeBand::From15To17, 0) => Some("01.10.2008"),
        (AgeBand::From15To17, 1) => Some("29.09.2011"),
        _ => None,
    };
    if let Some(date) = edge {
        return (date.to_owned(), date[6..].to_owned());
    }
    // Birthdays early in the year, so the year alone gives the same band.
    let year = first_year + (i % years);
    let year = match band {
        AgeBand::From18To29 => year.clamp(1997, 2007),
        AgeBand::From15To17 => year.clamp(2009, 2010),
        _ => year,
    };
    if i % 7 == 3 {
        (String::new(), year.to_string())
    } else {
        (format!("{:02}.{:02}.{year}", 1 + i % 28, 1 + i % 6), year.to_string())
    }
}

/// The import file: every reviewed citizen with a case in `area` open on
/// the review date, classified on it; plus three who must not be counted
/// (a case closed the day before, one opened the day after, one in another
/// area).
fn seed_000_file(area: &str) -> String {
    let mut out =
        String::from("Sagsnummer;Navn;Fødselsdato;Fødselsår;Ydelse;Lag;Lag fra;Sagsområde;Sag åbnet;Sag lukket\r\n");
    let mut n = 0;
    let mut line = |band: AgeBand, i: u32, benefit: &str, layer: &str, opened: &str, closed: &str, area: &str| {
        n += 1;
        let (date, year) = birth(band, i);
        out.push_str(&format!(
            "S000-{n:04};Borger {n};{date};{year};{benefit};{layer};30.09.2026;{area};{opened};{closed}\r\n"
        ));
    };
    for (band, employment, joint, social, pensioners) in SEED_000 {
        let mut i = 0;
        for (layer, count) in [("employment", employment), ("joint_plan", joint), ("social", social)] {
            for _ in 0..count {
                line(
                    band,
                    i,
                    if band == AgeBand::From15To17 { "other" } else { "cash_benefit" },
                    layer,
                    "01.03.2024",
                    "",
                    area,
                );
                i += 1;
            }
        }
        for _ in 0..pensioners {
            line(band, i, "early_retirement_pension", "social", "01.03.2020", "", area);
            i += 1;
        }
    }
    line(AgeBand::From30, 5, "cash_benefit", "social", "01.03.2024", "29.09.2026", area);
    line(AgeBand::From30, 6, "cash_benefit", "social", "01.10.2026", "", area);
    line(AgeBand::From30, 7, "cash_benefit", "social", "01.03.2024", "", "Beskæftigelsesområdet");
    out
}

async fn table(app: &TestApp, cookie: &str, query: &str) -> LayerTableResponse {
    let res = app.get(&format!("/api/figures/layers?{query}")).cookie(cookie).send().await;
    assert_eq!(res.status, StatusCode::OK, "{query}: {}", res.text());
    res.json()
}

/// (band, by layer, in the target group, pensioners) of each row.
fn rows(t: &LayerTableResponse) -> Vec<(Option<AgeBand>, Vec<u32>, u32, u32)> {
    t.table.rows.iter().map(|r| (r.band, r.by_layer.clone(), r.in_layers, r.early_retirement)).collect()
}

/// A new area for the review (the demo's own social area has citizens of
/// its own), returning its id.
async fn review_area(app: &TestApp, admin: &str) -> String {
    let area = Uuid::now_v7().to_string();
    let res = app
        .call(Method::PUT, &format!("/api/admin/areas/{area}"))
        .csrf()
        .cookie(admin)
        .json(&json!({ "name": "Socialområdet (sagsgennemgang)", "kind": "social" }))
        .send()
        .await;
    assert!(res.status.is_success(), "{}", res.text());
    area
}

async fn import(app: &TestApp, admin: &str, file: String) -> ImportReport {
    let res = app
        .post("/api/admin/import?kind=citizens&dry_run=false")
        .csrf()
        .cookie(admin)
        .body("text/csv", file.into_bytes())
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.json()
}

#[tokio::test]
async fn seed_000s_tables_come_back_exactly_from_an_import_of_its_citizens() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let area = review_area(&app, &admin).await;
    let report = import(&app, &admin, seed_000_file("Socialområdet (sagsgennemgang)")).await;
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.created, 904);

    let on = |date: &str| format!("on={date}&area={area}");
    let t = table(&app, &admin, &on("2026-09-30")).await;
    assert_eq!(t.scope, FigureScope::Area(area.parse().expect("id")));
    assert_eq!(t.table.layers, ["employment", "joint_plan", "social"]);
    assert_eq!(
        rows(&t),
        [
            (Some(AgeBand::From30), vec![30, 41, 24], 95, 444),
            (Some(AgeBand::From18To29), vec![59, 31, 35], 125, 91),
            (Some(AgeBand::From15To17), vec![37, 23, 86], 146, 0),
        ],
        "seed 000's adults' table and youth table"
    );
    // The adults' totals line: 89, 72, 59 = 220, and 535 pensioners; with
    // the young, 901 reviewed.
    let adults: Vec<u32> = (0..3).map(|i| t.table.rows[0].by_layer[i] + t.table.rows[1].by_layer[i]).collect();
    assert_eq!(adults, [89, 72, 59]);
    assert_eq!(t.table.rows[0].early_retirement + t.table.rows[1].early_retirement, 535);
    assert_eq!(t.table.total.by_layer, [126, 95, 145]);
    assert_eq!((t.table.total.in_layers, t.table.total.early_retirement, t.table.total.not_assessed), (366, 535, 0));
    assert!(t.table.estimated > 100, "every seventh by year only: {}", t.table.estimated);

    // A day later the case opened on 1.10 counts (30+ social: 24 + 1), the
    // one closed on 29.9 still not; the 29-year-old born 1.10.1996 is 30
    // and the 17-year-old born 1.10.2008 is 18 (both moved to employment).
    let next_day = table(&app, &admin, &on("2026-10-01")).await;
    assert_eq!(
        rows(&next_day),
        [
            (Some(AgeBand::From30), vec![31, 41, 25], 97, 444),
            (Some(AgeBand::From18To29), vec![59, 31, 35], 125, 91),
            (Some(AgeBand::From15To17), vec![36, 23, 86], 145, 0),
        ]
    );
    // Before the review nobody was assessed: the table counts them, as not
    // assessed, in the bands they were in then.
    let before = table(&app, &admin, &on("2026-09-29")).await;
    assert_eq!(before.table.total.in_layers, 0);
    assert_eq!(
        before.table.total.not_assessed + before.table.total.early_retirement,
        902,
        "901 and the one closed on 29.9"
    );

    // The municipality also counts the citizen whose case is in the
    // employment area, and the demo's own.
    let all = table(&app, &admin, "on=2026-09-30&scope=municipality").await;
    assert_eq!(all.scope, FigureScope::Municipality);
    assert!(all.table.total.in_layers > t.table.total.in_layers);

    // The CSV for Danish Excel: BOM, `;`, CRLF, the seed's columns.
    let res = app.get(&format!("/api/figures/layers.csv?{}", on("2026-09-30"))).cookie(&admin).send().await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("text/csv; charset=utf-8"));
    let text = res.text();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(lines[0], "Socialområdet (sagsgennemgang);30.09.2026");
    assert_eq!(
        lines[1],
        "Alder;Overflyttes til beskæftigelsesområdet;Fælles plan;Forbliver på socialområdet;Målgruppe i alt;\
         Ikke vurderet;Førtidspensionister;I alt"
    );
    assert_eq!(lines[2], "30+ år;30;41;24;95;0;444;539");
    assert_eq!(lines[3], "18–29 år;59;31;35;125;0;91;216");
    assert_eq!(lines[4], "15–17 år;37;23;86;146;0;0;146");
    assert_eq!(lines[5], "I alt;126;95;145;366;0;535;901");
    assert!(lines[6].contains("fødselsår alene"), "{}", lines[6]);
}

/// A re-classification holds from its date: the table before it is the
/// review's, after it the new one's.
#[tokio::test]
async fn a_reclassification_moves_a_citizen_from_its_date_only() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let area = review_area(&app, &admin).await;
    let file = "Sagsnummer;Navn;Fødselsdato;Ydelse;Lag;Lag fra;Sagsområde;Sag åbnet\r\n\
                R-1;Mette Holm;12.03.1988;cash_benefit;social;30.09.2026;Socialområdet (sagsgennemgang);01.01.2025\r\n";
    import(&app, &admin, file.to_owned()).await;
    let again = "Sagsnummer;Lag;Lag fra\r\nR-1;joint_plan;01.11.2026\r\n";
    let report = import(&app, &admin, again.to_owned()).await;
    assert_eq!(report.changes[0].fields, ["layer"]);
    let before = table(&app, &admin, &format!("on=2026-10-31&area={area}")).await;
    let after = table(&app, &admin, &format!("on=2026-11-01&area={area}")).await;
    assert_eq!(before.table.total.by_layer, [0, 0, 1]);
    assert_eq!(after.table.total.by_layer, [0, 1, 0]);
    // The phone's row carries today's layer.
    let citizen: String = sqlx::query_scalar("SELECT id FROM citizens WHERE external_id = 'R-1'")
        .fetch_one(app.pool())
        .await
        .expect("row");
    let list: serde_json::Value = app.get("/api/admin").cookie(&admin).send().await.json();
    assert!(list["citizens"].as_array().expect("citizens").iter().any(|c| c["id"] == citizen.as_str()));
}

/// Who sees what: an administrator every scope; an area head their areas
/// and those areas' teams; a lead their teams; a worker, mentor or
/// coordinator none. A scope outside one's own is 403, not an empty table.
#[tokio::test]
async fn the_role_matrix_of_the_figures() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let all: LayerTableResponse = table(&app, &admin, "").await;
    assert_eq!(all.scope, FigureScope::Municipality, "an administrator starts with the municipality");
    let areas: Vec<_> = all.scopes.iter().filter(|s| matches!(s.scope, FigureScope::Area(_))).collect();
    let teams: Vec<_> = all.scopes.iter().filter(|s| matches!(s.scope, FigureScope::Team(_))).collect();
    assert_eq!((areas.len(), teams.len()), (3, 4), "the health area and the youth team (a consultant team) too");
    let social = areas.iter().find(|s| s.name == "Socialområdet").expect("social").scope;
    let employment = areas.iter().find(|s| s.name == "Beskæftigelsesområdet").expect("employment").scope;
    let housing = teams.iter().find(|s| s.name == "Bostøtteteamet").expect("housing").scope;
    let mentors = teams.iter().find(|s| s.name == "Mentorteamet").expect("mentors").scope;

    let head = app.login("areahead").await;
    let own = table(&app, &head, "").await;
    assert_eq!(own.scope, social, "the area head starts with their area");
    let names: Vec<&str> = own.scopes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Socialområdet", "Bostøtteteamet"]);
    assert_eq!(own.table.total.in_layers + own.table.total.not_assessed + own.table.total.early_retirement, 30);
    table(&app, &head, &housing.query()).await;

    let lead = app.login("lead").await;
    let led = table(&app, &lead, "").await;
    assert_eq!(led.scope, housing);
    assert_eq!(led.scopes.len(), 1);

    let forbidden = [
        ("areahead", employment.query()),
        ("areahead", mentors.query()),
        ("areahead", "scope=municipality".to_owned()),
        ("lead", social.query()),
        ("lead", mentors.query()),
        ("worker", String::new()),
        ("mentor", String::new()),
        ("coordinator", String::new()),
    ];
    for (who, query) in forbidden {
        let cookie = app.login(who).await;
        for path in ["/api/figures/layers", "/api/figures/layers.csv"] {
            let res = app.get(&format!("{path}?{query}")).cookie(&cookie).send().await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} {path}?{query}");
        }
    }
    let res = app.get("/api/figures/layers").send().await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    // Bad input names its field.
    // A date that cannot be read or does not exist, or lies after today
    // (the demo's today is 23.11.2026: a later date would show today's
    // cases as if they ran on), is refused at `on`, for the table and its
    // CSV alike; never today's table under another date.
    for on in ["31.02.2026", "2026-02-31", "abc", "2026-13-01", "30.11.26", "2026-11-24", "2030-01-01", "%20"] {
        for path in ["/api/figures/layers", "/api/figures/layers.csv"] {
            let res = app.get(&format!("{path}?on={on}")).cookie(&admin).send().await;
            assert_eq!(
                (res.status, res.error().fields[0].field.as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, "on"),
                "{path}?on={on}"
            );
        }
    }
    let res = app.get("/api/figures/layers?on=2026-11-24").cookie(&admin).send().await;
    assert_eq!(res.error().fields[0].message.en, "Date: must not be in the future");
    // Today and a typed Danish date are read.
    for on in ["2026-11-23", "23.11.2026", "1.1.2026"] {
        let res = app.get(&format!("/api/figures/layers?on={on}")).cookie(&admin).send().await;
        assert_eq!(res.status, StatusCode::OK, "{on}: {}", res.text());
    }
    let res = app.get("/api/figures/layers?area=nope").cookie(&admin).send().await;
    assert_eq!(res.error().fields[0].field, "area");
}

/// A lead runs a review of their team's citizens: it lists them, each
/// classification holds from the review date and counts in the table, the
/// progress counts up; bad input is refused at its field, nothing half
/// saved; other roles and other teams' citizens are refused.
#[tokio::test]
async fn a_lead_reviews_their_teams_citizens() {
    use shared::review::{ReviewDetail, ReviewSummary};
    let app = TestApp::demo().await;
    let lead = app.login("lead").await;
    let figures = table(&app, &lead, "").await;
    let team = figures.scope;
    let body = json!({ "name": "Sagsgennemgang 20.11.2026", "review_date": "2026-11-20", "scope": team });
    let res = app.post("/api/reviews").csrf().cookie(&lead).json(&body).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let review: ReviewSummary = res.json();
    assert_eq!((review.reviewed, review.scope_name.as_str()), (0, "Bostøtteteamet"));
    assert!(review.total >= 10, "the team's citizens: {}", review.total);
    let detail: ReviewDetail = app.get(&format!("/api/reviews/{}", review.id)).cookie(&lead).send().await.json();
    assert_eq!(detail.items.len() as u32, review.total);
    let first = &detail.items[0];
    assert!(first.age.is_some() && first.layer.is_none());

    let item = |citizen: &shared::CitizenId| format!("/api/reviews/{}/items/{citizen}", review.id);
    let put = |path: String, body: serde_json::Value, cookie: String| {
        let app = &app;
        async move { app.call(Method::PUT, &path).csrf().cookie(&cookie).json(&body).send().await }
    };
    // Bad input, each at its field; nothing saved.
    let res = put(item(&first.citizen_id), json!({ "layer": "youth", "priority": "high" }), lead.clone()).await;
    assert_eq!((res.status, res.error().fields[0].field.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "layer"));
    let res = put(item(&first.citizen_id), json!({ "layer": "social", "priority": "urgent" }), lead.clone()).await;
    assert_eq!(res.error().fields[0].field, "priority");
    let long = "x".repeat(2001);
    let res =
        put(item(&first.citizen_id), json!({ "layer": "social", "priority": "low", "note": long }), lead.clone()).await;
    assert_eq!(res.error().fields[0].field, "note");
    let outsider = shared::CitizenId::from_uuid(Uuid::now_v7());
    let res = put(item(&outsider), json!({ "layer": "social", "priority": "low" }), lead.clone()).await;
    assert_eq!(res.error().fields[0].field, "citizen_id");
    let after: ReviewSummary =
        app.get("/api/reviews").cookie(&lead).send().await.json::<Vec<ReviewSummary>>()[0].clone();
    assert_eq!(after.reviewed, 0, "nothing saved half");

    // Ten reviewed.
    for (i, it) in detail.items.iter().take(10).enumerate() {
        let layer = ["employment", "joint_plan", "social"][i % 3];
        let priority = ["high", "normal", "low"][i % 3];
        let body = json!({ "layer": layer, "priority": priority, "note": format!("Gennemgået {i}") });
        let res = put(item(&it.citizen_id), body, lead.clone()).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        assert_eq!(res.json::<ReviewSummary>().reviewed, i as u32 + 1);
    }
    let detail: ReviewDetail = app.get(&format!("/api/reviews/{}", review.id)).cookie(&lead).send().await.json();
    assert_eq!(detail.items.iter().filter(|i| i.reviewed_by.as_deref() == Some("Henrik Dahl")).count(), 10);
    let reviewed: Vec<_> = detail.items.iter().filter(|i| i.layer.is_some()).collect();
    assert_eq!(reviewed.len(), 10);
    assert_eq!(reviewed[0].note.as_str(), "Gennemgået 0");
    // The classifications hold from the review date.
    let made: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM classifications WHERE valid_from = '2026-11-20' AND review_id IS NOT NULL",
    )
    .fetch_one(app.pool())
    .await
    .expect("count");
    assert_eq!(made, 10);
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_log WHERE detail = 'case review'")
        .fetch_one(app.pool())
        .await
        .expect("count");
    assert!(logged >= review.total as i64, "the review's page names citizens: logged");

    // Who may: the area head of the team's area sees it; a worker, another
    // lead's scope, a review dated in the future and an empty review not.
    let head = app.login("areahead").await;
    let listed: Vec<ReviewSummary> = app.get("/api/reviews").cookie(&head).send().await.json();
    assert_eq!(listed.len(), 1);
    let worker = app.login("worker").await;
    assert_eq!(app.get("/api/reviews").cookie(&worker).send().await.status, StatusCode::FORBIDDEN);
    let res = put(item(&first.citizen_id), json!({ "layer": "social", "priority": "low" }), worker).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let all = table(&app, &app.login("admin").await, "").await;
    let mentors = all.scopes.iter().find(|s| s.name == "Mentorteamet").expect("mentors").scope;
    let res = app
        .post("/api/reviews")
        .csrf()
        .cookie(&lead)
        .json(&json!({ "name": "Andres", "review_date": "2026-11-20", "scope": mentors }))
        .send()
        .await;
    assert_eq!(res.error().fields[0].field, "scope");
    let res = app
        .post("/api/reviews")
        .csrf()
        .cookie(&lead)
        .json(&json!({ "name": "Senere", "review_date": "2026-12-01", "scope": team }))
        .send()
        .await;
    assert_eq!(res.error().fields[0].field, "review_date");
    let res = app
        .post("/api/reviews")
        .csrf()
        .cookie(&lead)
        .json(&json!({ "name": "", "review_date": "2026-11-20", "scope": team, "case_ids": ["NOPE-1"] }))
        .send()
        .await;
    let fields: Vec<String> = res.error().fields.iter().map(|f| f.field.clone()).collect();
    assert_eq!(fields, ["name"], "the name is checked when the body is read");
    let res = app
        .post("/api/reviews")
        .csrf()
        .cookie(&lead)
        .json(&json!({ "name": "Fra fagsystemet", "review_date": "2026-11-20", "scope": team, "case_ids": ["NOPE-1"] }))
        .send()
        .await;
    assert_eq!(res.error().fields[0].field, "case_ids[0]");
}

/// Seed 003's double grant and seed 004's 18-year list over the API: a
/// mentor grant beside a § 85 grant shows, with the days they share; a
/// young citizen turning 18 within the year shows with the grant the
/// children-and-youth area pays. Names citizens: logged. A worker: 403.
#[tokio::test]
async fn the_lists_show_double_grants_and_who_turns_18() {
    use shared::review::{ListsResponse, WaitingFor};
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let youth = Uuid::now_v7().to_string();
    let res = app
        .call(Method::PUT, &format!("/api/admin/areas/{youth}"))
        .csrf()
        .cookie(&admin)
        .json(&json!({ "name": "Børn og unge", "kind": "children_youth" }))
        .send()
        .await;
    assert!(res.status.is_success(), "{}", res.text());
    // Today is 23.11.2026: Asta turns 18 on 1.3.2027; Bo turned 18 last year.
    let file = "Sagsnummer;Navn;Fødselsdato;Ydelse;Sagsområde;Sag åbnet\r\n\
                L-1;Asta Holm;01.03.2009;other;Socialområdet;01.01.2025\r\n\
                L-2;Bo Berg;01.03.2008;other;Socialområdet;01.01.2025\r\n\
                L-3;Carl Dam;12.05.1980;cash_benefit;Socialområdet;01.01.2025\r\n";
    let report = import(&app, &admin, file.to_owned()).await;
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let grants = "Bevillingsnummer;Sagsnummer;Ydelse;Timer;Pr;Fra;Til;Betaler\r\n\
                  LB-1;L-1;Kontaktperson;2;uge;01.01.2026;31.03.2027;Børn og unge\r\n\
                  LB-2;L-3;Mentor;2;uge;01.01.2026;30.06.2026;Beskæftigelsesområdet\r\n\
                  LB-3;L-3;housing_support;3;uge;01.06.2026;;Beskæftigelsesområdet\r\n";
    let res = app
        .post("/api/admin/import?kind=grants&dry_run=false")
        .csrf()
        .cookie(&admin)
        .body("text/csv", grants.as_bytes().to_vec())
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let report: ImportReport = res.json();
    assert!(report.problems.is_empty(), "{:?}", report.problems);

    let social = table(&app, &admin, "").await.scopes.into_iter().find(|s| s.name == "Socialområdet").expect("social");
    let lists: ListsResponse =
        app.get(&format!("/api/figures/lists?{}", social.scope.query())).cookie(&admin).send().await.json();
    let young: Vec<&str> = lists.turning_18.iter().map(|t| t.name.as_str()).collect();
    assert!(young.contains(&"Asta Holm") && !young.contains(&"Bo Berg"), "{young:?}");
    let asta = lists.turning_18.iter().find(|t| t.name == "Asta Holm").expect("Asta");
    assert_eq!((asta.age, asta.turns_18.to_string()), (17, "2027-03".to_owned()));
    assert_eq!(asta.grants.len(), 1, "the children-and-youth grant");
    assert_eq!(asta.grants[0].valid_to.map(|d| d.to_string()).as_deref(), Some("2027-03-31"));
    let carl: Vec<_> = lists.double_grants.iter().filter(|d| d.name == "Carl Dam").collect();
    assert_eq!(carl.len(), 1, "{:?}", lists.double_grants);
    assert_eq!(
        (carl[0].grants.from.to_string(), carl[0].grants.to.map(|d| d.to_string())),
        ("2026-06-01".to_owned(), Some("2026-06-30".to_owned()))
    );
    // Nobody is assigned to Carl: he waits for a worker since his running
    // grant began (seed 000: no bottlenecks).
    let carl = lists.waiting.iter().find(|w| w.name == "Carl Dam").expect("Carl waits");
    assert_eq!(
        (carl.waiting_for, carl.since.to_string(), carl.days),
        (WaitingFor::Worker, "2026-06-01".to_owned(), 175)
    );
    assert!(lists.waiting.windows(2).all(|w| w[0].days >= w[1].days), "longest wait first");
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_log WHERE detail = 'lead''s lists'")
        .fetch_one(app.pool())
        .await
        .expect("count");
    assert!(logged >= 2);
    let worker = app.login("worker").await;
    assert_eq!(app.get("/api/figures/lists").cookie(&worker).send().await.status, StatusCode::FORBIDDEN);
}

/// An administrator defines another scheme without a code change (seed
/// 003's citizen types): a layer renamed reaches the phones; one that
/// classified citizens hold cannot be dropped (refused at `layers`, nothing
/// saved half); bad codes and labels are refused at their fields; only an
/// administrator may.
#[tokio::test]
async fn an_administrator_changes_the_scheme_but_cannot_orphan_classified_citizens() {
    use shared::review::Scheme;
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let put = |body: serde_json::Value, cookie: String| {
        let app = &app;
        async move { app.call(Method::PUT, "/api/admin/scheme").csrf().cookie(&cookie).json(&body).send().await }
    };
    let scheme: Scheme = app.get("/api/admin/scheme").cookie(&admin).send().await.json();
    assert_eq!(
        scheme.layers.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(),
        ["employment", "joint_plan", "social"]
    );
    // Renamed, reordered and a fourth layer: fine.
    let mut changed = scheme.clone();
    changed.layers[1].label = shared::Localized::new("Helhedsorienteret plan", "Coordinated plan");
    changed.layers.swap(0, 2);
    changed.layers.push(shared::review::Layer {
        code: "shared_group".into(),
        label: shared::Localized::new("Fælles målgruppe", "Shared group"),
        area: None,
        parent: None,
        meetings_per_year: None,
    });
    let res = put(serde_json::to_value(&changed).expect("json"), admin.clone()).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let written: Scheme = res.json();
    assert_eq!(written, changed);
    let labels: Vec<String> = sqlx::query_scalar("SELECT label_da FROM layers ORDER BY position")
        .fetch_all(app.pool())
        .await
        .expect("layers");
    assert_eq!(labels[1], "Helhedsorienteret plan");
    // Dropping a layer in use (the demo classified citizens as joint_plan).
    let mut orphaning = written.clone();
    orphaning.layers.retain(|l| l.code != "joint_plan");
    let res = put(serde_json::to_value(&orphaning).expect("json"), admin.clone()).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = res.error();
    assert_eq!((error.fields[0].field.as_str(), error.fields[0].code.as_str()), ("layers", "layer_in_use"));
    // Named as it is named now (renamed above), not by its code.
    assert!(error.fields[0].message.da.contains("«Helhedsorienteret plan»"), "{:?}", error.fields[0].message);
    let after: Scheme = app.get("/api/admin/scheme").cookie(&admin).send().await.json();
    assert_eq!(after, written, "nothing saved half");
    // Bad codes and labels, each at its field.
    let bad = serde_json::json!({ "layers": [
        { "code": "Øvrige", "label": { "da": "Øvrige", "en": "Other" }, "area": null },
        { "code": "social", "label": { "da": "", "en": "Social" }, "area": "social" }
    ] });
    let res = put(bad, admin.clone()).await;
    let fields: Vec<(String, String)> = res.error().fields.iter().map(|f| (f.field.clone(), f.code.clone())).collect();
    assert!(fields.contains(&("layers[0].code".to_owned(), "invalid_characters".to_owned())), "{fields:?}");
    assert!(fields.contains(&("layers[1].label".to_owned(), "required".to_owned())), "{fields:?}");
    let lead = app.login("lead").await;
    assert_eq!(app.get("/api/admin/scheme").cookie(&lead).send().await.status, StatusCode::FORBIDDEN);
    assert_eq!(put(serde_json::to_value(&written).expect("json"), lead).await.status, StatusCode::FORBIDDEN);
}
