//! The resource picture over time (issue 14): hours and full-time posts
//! per team and worker over a month with the summer-time change, cost per
//! payer, caseloads, the trend's inflow and outflow and the shared group,
//! the lists' shared group and continuity, and who may see them.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use shared::admin::ImportReport;
use shared::figures::{Posts, ResourcesResponse, TrendResponse};
use shared::review::{AgeBand, FigureScope, LayerTableResponse, ListsResponse};
use shared::sync::Outcome;
use shared::{CitizenId, Minutes};
use uuid::Uuid;

use crate::support::{TestApp, login_body};
use crate::sync::{Phone, save, visit};

async fn put(app: &TestApp, cookie: &str, path: &str, body: Value) {
    let res = app.call(Method::PUT, path).csrf().cookie(cookie).json(&body).send().await;
    assert!(res.status.is_success(), "{path}: {}", res.text());
}

async fn import(app: &TestApp, admin: &str, kind: &str, file: &str) {
    let res = app
        .post(&format!("/api/admin/import?kind={kind}&dry_run=false"))
        .csrf()
        .cookie(admin)
        .body("text/csv", file.as_bytes().to_vec())
        .send()
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let report: ImportReport = res.json();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// A youth area with one team, its worker Ida (logged in, her own
/// password chosen), three citizens assigned to her from 1.9.2026 and a
/// housing-support grant for the first, paid by the employment area (the
/// payer rule for a citizen on cash benefit). Returns (area, team, Ida's
/// cookie, the citizens by case id).
struct Youth {
    area: String,
    team: String,
    ida: String,
    citizens: Vec<(String, CitizenId)>,
}

impl Youth {
    fn citizen(&self, case: &str) -> CitizenId {
        self.citizens.iter().find(|c| c.0 == case).expect("citizen").1
    }
}

async fn youth(app: &TestApp, admin: &str) -> Youth {
    let area = Uuid::now_v7().to_string();
    put(app, admin, &format!("/api/admin/areas/{area}"), json!({ "name": "Ungeområdet", "kind": "social" })).await;
    let team = Uuid::now_v7().to_string();
    put(app, admin, &format!("/api/admin/teams/{team}"), json!({ "name": "Ungeteamet", "area_id": area })).await;
    let ida = Uuid::now_v7().to_string();
    let body = json!({
        "username": "ida", "name": "Ida Lund", "roles": ["worker"], "team_ids": [team], "active": true,
        "temporary_password": "skift-mig-nu-1",
    });
    put(app, admin, &format!("/api/admin/users/{ida}"), body).await;
    let res = app.post("/api/session").json(&login_body("ida", "skift-mig-nu-1")).send().await;
    let cookie = res.session_cookie().expect("cookie");
    let change = json!({ "current_password": "skift-mig-nu-1", "new_password": "idas-egen-kode" });
    let res = app.post("/api/me/password").csrf().cookie(&cookie).json(&change).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    // U-1 turns 18 on 20.10.2026; U-2 is 36 and not assessed, with a case
    // in the employment area (two areas: the shared group from 15.10); U-3
    // is 16, classified joint plan from 1.10, their case closes 20.10.
    let file = "Sagsnummer;Navn;Fødselsdato;Ydelse;Lag;Lag fra;Sagsområde;Sag åbnet;Sag lukket\r\n\
                U-1;Alma Ung;20.10.2008;other;social;01.01.2026;Ungeområdet;01.09.2026;\r\n\
                U-2;Bent Voksen;05.05.1990;cash_benefit;;;Beskæftigelsesområdet;15.10.2026;\r\n\
                U-3;Carla Ung;01.12.2009;other;joint_plan;01.10.2026;Ungeområdet;01.03.2026;20.10.2026\r\n";
    import(app, admin, "citizens", file).await;
    let grants = "Bevillingsnummer;Sagsnummer;Ydelse;Timer;Pr;Fra;Til;Betaler\r\n\
                  UB-1;U-1;housing_support;3;uge;01.09.2026;;Beskæftigelsesområdet\r\n";
    import(app, admin, "grants", grants).await;
    let mut citizens = Vec::new();
    for case in ["U-1", "U-2", "U-3"] {
        let id: String = sqlx::query_scalar("SELECT id FROM citizens WHERE external_id = $1")
            .bind(case)
            .fetch_one(app.pool())
            .await
            .expect("citizen");
        let citizen: CitizenId = id.parse().expect("uuid");
        let body = json!({ "citizen_id": citizen, "user_id": ida, "period": { "from": "2026-09-01", "to": null } });
        put(app, admin, &format!("/api/admin/assignments/{}", Uuid::now_v7()), body).await;
        citizens.push((case.to_owned(), citizen));
    }
    Youth { area, team, ida: cookie, citizens }
}

async fn get<T: serde::de::DeserializeOwned>(app: &TestApp, cookie: &str, path: &str) -> T {
    let res = app.get(path).cookie(cookie).send().await;
    assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.text());
    res.json()
}

/// Ida's visits around October 2026, when summer time ends (25.10 at
/// 03:00 the clocks go back to 02:00): the night visit lasts two real
/// hours; a visit is in the month its start falls in, in Copenhagen.
async fn log_visits(app: &TestApp, y: &Youth) {
    let grant: String = sqlx::query_scalar("SELECT id FROM grants WHERE external_id = 'UB-1'")
        .fetch_one(app.pool())
        .await
        .expect("grant");
    let mut phone = Phone::with_cookie(app, y.ida.clone());
    let (u1, u2, u3) = (y.citizen("U-1"), y.citizen("U-2"), y.citizen("U-3"));
    let mut night = visit(Uuid::now_v7(), u1, "2026-10-24T23:30:00Z", "2026-10-25T01:30:00Z", "Nattevagt");
    night["charged_to"] = json!({ "type": "grant", "id": grant });
    let visits = [
        night,
        // 1.10 00:15–01:15 in Copenhagen: October, though 30.9 in UTC.
        visit(Uuid::now_v7(), u1, "2026-09-30T22:15:00Z", "2026-09-30T23:15:00Z", ""),
        // 31.10 23:30 – 1.11 00:00: October, by its start.
        visit(Uuid::now_v7(), u2, "2026-10-31T22:30:00Z", "2026-10-31T23:00:00Z", ""),
        // 1.11 00:30: November.
        visit(Uuid::now_v7(), u2, "2026-10-31T23:30:00Z", "2026-11-01T00:30:00Z", ""),
        visit(Uuid::now_v7(), u3, "2026-10-10T08:00:00Z", "2026-10-10T09:45:00Z", ""),
    ];
    let mutations: Vec<Value> = visits.into_iter().map(|v| phone.mutation(save(v))).collect();
    let pushed = phone.push(&mutations).await;
    assert!(pushed.results.iter().all(|r| matches!(r.outcome, Outcome::Applied)), "{:?}", pushed.results);
}

#[tokio::test]
async fn hours_and_posts_over_a_month_with_the_summer_time_change() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let y = youth(&app, &admin).await;
    log_visits(&app, &y).await;
    let team = format!("team={}", y.team);

    // 37 hours a week by default: October (31 days) 315 minutes.
    let r: ResourcesResponse = get(&app, &admin, &format!("/api/figures/resources?month=2026-10&{team}")).await;
    assert_eq!((r.on.to_string(), r.full_time_week), ("2026-10-31".to_owned(), Minutes::hours(37)));
    let t = &r.all.table;
    let band = |b| t.row(b).map(|r| (r.by_layer.clone(), r.not_assessed));
    let m = Minutes::new;
    // Layers: employment, joint plan, social (seed 000's order).
    assert_eq!(band(AgeBand::From18To29), Some((vec![m(0), m(0), m(180)], m(0))), "U-1: 120 real minutes + 60");
    assert_eq!(band(AgeBand::From15To17), Some((vec![m(0), m(105), m(0)], m(0))), "U-3, joint plan on 31.10");
    assert_eq!(band(AgeBand::From30), Some((vec![m(0), m(0), m(0)], m(30))), "U-2: only the visit begun in October");
    assert_eq!(t.total.total, m(315));
    assert_eq!(r.all.posts, Posts::of(m(315), 31, Minutes::hours(37)));
    assert_eq!(r.all.posts, Posts(3), "315 × 7 / (2 220 × 31) = 0,032");
    assert_eq!(r.teams.len(), 1);
    assert_eq!((r.teams[0].name.as_str(), r.teams[0].table.total.total), ("Ungeteamet", m(315)));
    assert_eq!(r.workers.len(), 1);
    assert_eq!((r.workers[0].name.as_str(), r.workers[0].team.as_deref()), ("Ida Lund", Some("Ungeteamet")));
    // No rate set yet: the grant's hours have no cost, never 0 kr.
    let charged: Vec<_> = r.costs.iter().map(|p| (p.payer.clone(), p.minutes, p.complete)).collect();
    assert_eq!(charged, [(Some("Beskæftigelsesområdet".to_owned()), m(120), false), (None, m(195), false)]);

    // A 30-hour week and a rate for housing support: posts and kroner follow.
    let settings = json!({ "full_time_week": 1800, "rates": { "housing_support": 600 } });
    put(&app, &admin, "/api/settings/resources", settings).await;
    let r: ResourcesResponse = get(&app, &admin, &format!("/api/figures/resources?month=2026-10&{team}")).await;
    assert_eq!(r.all.posts, Posts(4), "315 × 7 / (1 800 × 31) = 0,0395");
    assert_eq!((r.costs[0].kroner, r.costs[0].complete), (1200, true), "2 hours at 600 kr.");
    // November runs to today (23.11): 60 minutes over 23 days.
    let r: ResourcesResponse = get(&app, &admin, &format!("/api/figures/resources?month=2026-11&{team}")).await;
    assert_eq!((r.on.to_string(), r.all.table.total.total), ("2026-11-23".to_owned(), m(60)));
    assert_eq!(r.all.posts, Posts::of(m(60), 23, Minutes::hours(30)));
    // The area's staff is the team's: the same hours.
    let area: ResourcesResponse =
        get(&app, &admin, &format!("/api/figures/resources?month=2026-10&area={}", y.area)).await;
    assert_eq!(area.all.table.total.total, m(315));

    // The CSV carries the same figures, Danish decimals.
    let res = app.get(&format!("/api/figures/resources.csv?month=2026-10&{team}")).cookie(&admin).send().await;
    assert_eq!(res.status, StatusCode::OK);
    let csv = res.text();
    assert!(csv.contains("Ida Lund;Ungeteamet;I alt;0,00;1,75;3,00;0,50;0,00;5,25;0,04"), "{csv}");
    assert!(csv.contains("Beskæftigelsesområdet;Socialpædagogisk støtte (bostøtte);2,00;600;1200"), "{csv}");

    // A lead's correction counts instead of the duration, as in usage.
    sqlx::query("UPDATE visits SET corrected_minutes = 90 WHERE note = 'Nattevagt'")
        .execute(app.pool())
        .await
        .expect("correct");
    let r: ResourcesResponse = get(&app, &admin, &format!("/api/figures/resources?month=2026-10&{team}")).await;
    assert_eq!((r.all.table.total.total, r.costs[0].lines[0].kroner), (m(285), Some(900)));

    // A month not begun yet, or a malformed one, is refused at `month`.
    for bad in ["2026-12", "2026-13", "okt"] {
        let res = app.get(&format!("/api/figures/resources?month={bad}&{team}")).cookie(&admin).send().await;
        assert_eq!(
            (res.status, res.error().fields[0].field.as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "month"),
            "{bad}"
        );
    }
    // Settings: only an administrator writes them, each field named.
    let res = app
        .call(Method::PUT, "/api/settings/resources")
        .csrf()
        .cookie(&admin)
        .json(&json!({ "full_time_week": 4000, "rates": {} }))
        .send()
        .await;
    assert_eq!(res.error().fields[0].field, "full_time_week");
    let lead = app.login("lead").await;
    let res = app
        .call(Method::PUT, "/api/settings/resources")
        .csrf()
        .cookie(&lead)
        .json(&json!({ "full_time_week": 2220, "rates": {} }))
        .send()
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

/// Issue 14's walk: an early-retirement pensioner's head counted apart
/// while their hours counted in their layer (a layer of 0 citizens and 43
/// hours). Hours and heads are grouped alike: the month's resources, its
/// CSV, and the trend, stored and computed anew.
#[tokio::test]
async fn early_retirement_pensioners_hours_count_apart_as_their_heads_do() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let y = youth(&app, &admin).await;
    log_visits(&app, &y).await;
    let stored_before = trends(&app, &admin, &y).await;
    assert_eq!(stored_before[0]["months"][2]["hours"]["early_retirement"], json!(0));
    // U-1 (the social layer, 180 minutes in October) is on early-retirement
    // pension, their layer kept.
    let file = "Sagsnummer;Navn;Fødselsdato;Ydelse;Lag;Lag fra;Sagsområde;Sag åbnet;Sag lukket\r\n\
                U-1;Alma Ung;20.10.2008;early_retirement_pension;social;01.01.2026;Ungeområdet;01.09.2026;\r\n";
    import(&app, &admin, "citizens", file).await;
    let team = format!("team={}", y.team);
    let m = Minutes::new;

    let table: LayerTableResponse = get(&app, &admin, &format!("/api/figures/layers?{team}&on=2026-10-31")).await;
    let heads = table.table.rows.iter().find(|r| r.band == Some(AgeBand::From18To29)).expect("18–29");
    assert_eq!((heads.by_layer.clone(), heads.early_retirement), (vec![0, 0, 0], 1), "U-1's head apart");

    let r: ResourcesResponse = get(&app, &admin, &format!("/api/figures/resources?month=2026-10&{team}")).await;
    let hours = r.all.table.row(AgeBand::From18To29).expect("18–29");
    assert_eq!(
        (hours.by_layer.clone(), hours.not_assessed, hours.early_retirement),
        (vec![m(0), m(0), m(0)], m(0), m(180)),
        "U-1's hours apart, with their head"
    );
    assert_eq!(r.all.table.total.total, m(315), "still counted in the total");
    // Every layer column with hours has heads, for each band.
    for row in &r.all.table.rows {
        let band_heads = table.table.rows.iter().find(|h| h.band == row.band);
        for (i, minutes) in row.by_layer.iter().enumerate() {
            if *minutes > Minutes::ZERO {
                assert!(band_heads.is_some_and(|h| h.by_layer[i] > 0), "{:?} layer {i}: hours without heads", row.band);
            }
        }
    }
    let res = app.get(&format!("/api/figures/resources.csv?month=2026-10&{team}")).cookie(&admin).send().await;
    let csv = res.text();
    assert!(csv.contains(";Ikke vurderet;Førtidspensionister;Timer i alt;Fuldtidsstillinger"), "{csv}");
    assert!(csv.contains("Ida Lund;Ungeteamet;I alt;0,00;1,75;0,00;0,50;3,00;5,25;0,03"), "{csv}");

    // The trend: the citizen's change makes October computed anew; the
    // answer is the same as one computed from the rows alone.
    let answered = trends(&app, &admin, &y).await;
    let fresh = trends_from_scratch(&app, &admin, &y).await;
    assert_eq!(answered, fresh);
    // The team and its area (the municipality holds the demo's pensioners too).
    for scope in &answered[..2] {
        let october = &scope["months"][2];
        assert_eq!(october["month"], json!("2026-10"));
        assert_eq!(october["hours"]["early_retirement"], json!(180), "{october}");
        assert_eq!(october["hours"]["by_layer"][2], json!(0), "the social layer: no pensioner's hours");
        assert_eq!(october["counts"]["early_retirement"], json!(1));
    }
    let res = app.get(&format!("/api/figures/trend.csv?from=2026-08&to=2026-11&{team}")).cookie(&admin).send().await;
    let csv = res.text();
    assert!(csv.contains("Timer, ikke vurderet;Timer, førtidspensionister;Timer i alt"), "{csv}");
}

#[tokio::test]
async fn the_trend_counts_inflow_outflow_and_the_shared_group_per_month() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let y = youth(&app, &admin).await;
    log_visits(&app, &y).await;

    let trend: TrendResponse =
        get(&app, &admin, &format!("/api/figures/trend?from=2026-08&to=2026-12&team={}", y.team)).await;
    let months: Vec<String> = trend.months.iter().map(|m| m.month.to_string()).collect();
    assert_eq!(months, ["2026-08", "2026-09", "2026-10", "2026-11"], "no picture of a month not begun");
    let [aug, sep, oct, nov] = &trend.months[..] else { panic!("four months") };
    let counted = |m: &shared::figures::TrendMonth| (m.counts.by_layer.clone(), m.counts.not_assessed);
    assert_eq!(counted(aug), (vec![0, 0, 0], 0), "nobody assigned yet");
    assert_eq!(counted(sep), (vec![0, 0, 1], 2), "U-3 classified from 1.10 only");
    assert_eq!(counted(oct), (vec![0, 1, 1], 1));
    // A team's inflow: cases of its citizens opened and closed in the month.
    let flow = |m: &shared::figures::TrendMonth| (m.opened, m.closed, m.first_grants, m.first_assignments);
    assert_eq!(flow(sep), (1, 0, 1, 3), "U-1's case and grant; three first assignments");
    assert_eq!(flow(oct), (1, 1, 0, 0), "U-2's case opened, U-3's closed");
    assert_eq!(flow(nov), (0, 0, 0, 0));
    // Two areas: employment pays U-1's grant and holds U-2's case; the
    // youth team's worker serves both.
    assert_eq!((sep.shared_group, oct.shared_group), (1, 2));
    assert_eq!(oct.hours.total, Minutes::new(315));
    assert_eq!(oct.hours.by_layer, [Minutes::ZERO, Minutes::new(105), Minutes::new(180)]);
    assert_eq!(oct.hours.not_assessed, Minutes::new(30));
    assert_eq!(nov.on.to_string(), "2026-11-23");

    // The area: its own cases and grants only (U-2's case and U-1's grant
    // are employment's).
    let area: TrendResponse =
        get(&app, &admin, &format!("/api/figures/trend?from=2026-09&to=2026-10&area={}", y.area)).await;
    let flows: Vec<_> = area.months.iter().map(|m| (m.opened, m.closed, m.first_grants)).collect();
    assert_eq!(flows, [(1, 0, 0), (0, 1, 0)]);

    // The CSV: a line per month.
    let res =
        app.get(&format!("/api/figures/trend.csv?from=2026-09&to=2026-10&team={}", y.team)).cookie(&admin).send().await;
    assert_eq!(res.status, StatusCode::OK);
    let csv = res.text();
    assert!(csv.contains("2026-10;0;1;1;1;0;3;1;1;0;0;2;0,00;1,75;3,00;0,50;0,00;5,25;0,03"), "{csv}");

    // The chart as SVG, the same the app shows.
    let res = app
        .get(&format!("/api/figures/trend.svg?from=2026-09&to=2026-10&chart=hours&team={}", y.team))
        .cookie(&admin)
        .send()
        .await;
    assert_eq!((res.status, res.header("content-type")), (StatusCode::OK, Some("image/svg+xml")));
    assert!(res.text().contains("<title>Leverede timer pr. lag, måned for måned · Ungeteamet</title>"));
    let res = app.get(&format!("/api/figures/trend.svg?chart=pie&team={}", y.team)).cookie(&admin).send().await;
    assert_eq!(res.error().fields[0].field, "chart");

    // Bad spans are refused at their field.
    for (query, field) in
        [("from=2026-10&to=2026-09", "to"), ("from=2020-01&to=2026-01", "to"), ("from=2026-1", "from")]
    {
        let res = app.get(&format!("/api/figures/trend?{query}")).cookie(&admin).send().await;
        assert_eq!(
            (res.status, res.error().fields[0].field.as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, field),
            "{query}"
        );
    }
}

#[tokio::test]
async fn the_lists_name_the_shared_group_and_citizens_with_many_support_persons() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let y = youth(&app, &admin).await;
    // Two more workers for U-1 this year: three support persons.
    for username in ["worker", "mentor"] {
        let user: String = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_one(app.pool())
            .await
            .expect("user");
        let body = json!({ "citizen_id": y.citizen("U-1"), "user_id": user,
                           "period": { "from": "2026-02-01", "to": "2026-06-30" } });
        put(&app, &admin, &format!("/api/admin/assignments/{}", Uuid::now_v7()), body).await;
    }
    let lists: ListsResponse = get(&app, &admin, &format!("/api/figures/lists?team={}", y.team)).await;
    let shared: Vec<(&str, Vec<&str>)> =
        lists.shared_group.iter().map(|s| (s.name.as_str(), s.areas.iter().map(String::as_str).collect())).collect();
    let both = vec!["Beskæftigelsesområdet", "Ungeområdet"];
    assert_eq!(shared, [("Alma Ung", both.clone()), ("Bent Voksen", both)]);
    let many: Vec<(&str, u32)> = lists.continuity.many.iter().map(|c| (c.name.as_str(), c.persons)).collect();
    assert_eq!(many, [("Alma Ung", 3)]);
    assert_eq!(lists.continuity.by_persons, [2, 0, 1, 0], "U-2 and U-3 with Ida alone");
    assert_eq!(lists.continuity.from.map(|d| d.to_string()).as_deref(), Some("2025-11-24"));
    // The lists as CSV for Danish Excel: every list with its lines; the
    // export is logged as one.
    let res = app.get(&format!("/api/figures/lists.csv?team={}", y.team)).cookie(&admin).send().await;
    assert_eq!(res.status, StatusCode::OK);
    let csv = res.text();
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark for Excel");
    for line in [
        "Fælles målgruppe",
        "Navn;Områder",
        "Alma Ung;Beskæftigelsesområdet, Ungeområdet",
        "Kontinuitet: tre støttepersoner eller flere det seneste år",
        "Alma Ung;3",
    ] {
        assert!(csv.lines().any(|l| l == line), "{line:?} in {csv}");
    }
    let exported: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM access_log WHERE action = 'export' AND detail = 'lead''s lists' AND citizen_id = $1",
    )
    .bind(y.citizen("U-1").to_string())
    .fetch_one(app.pool())
    .await
    .expect("count");
    assert_eq!(exported, 1);
    let worker = app.login("worker").await;
    assert_eq!(app.get("/api/figures/lists.csv").cookie(&worker).send().await.status, StatusCode::FORBIDDEN);
    // Naming citizens is logged, once per citizen and read.
    let logged: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM access_log WHERE action = 'read' AND detail = 'lead''s lists' AND citizen_id = $1",
    )
    .bind(y.citizen("U-2").to_string())
    .fetch_one(app.pool())
    .await
    .expect("count");
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn caseloads_count_open_cases_per_case_worker_by_band() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let y = youth(&app, &admin).await;
    let coordinator: String = sqlx::query_scalar("SELECT id FROM users WHERE username = 'coordinator'")
        .fetch_one(app.pool())
        .await
        .expect("user");
    // Case workers on the youth area's cases (as the case system's import sets them).
    sqlx::query("UPDATE cases SET caseworker_id = $1 WHERE area_id = $2")
        .bind(&coordinator)
        .bind(&y.area)
        .execute(app.pool())
        .await
        .expect("case workers");
    let on_oct = |month: &str| format!("/api/figures/resources?month={month}&area={}", y.area);
    let r: ResourcesResponse = get(&app, &admin, &on_oct("2026-10")).await;
    let loads: Vec<_> = r.caseloads.iter().map(|c| (c.name.as_str(), c.by_band, c.total, c.norm)).collect();
    assert_eq!(loads, [("Karina Mikkelsen", [0, 0, 1, 0], 1, 60)], "U-3's case closed on 20.10: U-1 only");
    let r: ResourcesResponse = get(&app, &admin, &on_oct("2026-09")).await;
    let loads: Vec<_> = r.caseloads.iter().map(|c| (c.by_band, c.total)).collect();
    assert_eq!(loads, [([0, 2, 0, 0], 2)], "on 30.9: U-1 (17) and U-3 (16)");
}

#[tokio::test]
async fn who_sees_the_trend_and_the_resources() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let all: LayerTableResponse = get(&app, &admin, "/api/figures/layers").await;
    let scope = |name: &str| all.scopes.iter().find(|s| s.name == name).expect(name).scope;
    let (social, employment, housing) =
        (scope("Socialområdet"), scope("Beskæftigelsesområdet"), scope("Bostøtteteamet"));
    let allowed =
        [("admin", FigureScope::Municipality), ("areahead", social), ("areahead", housing), ("lead", housing)];
    for (who, scope) in allowed {
        let cookie = app.login(who).await;
        let q = if scope == FigureScope::Municipality { "scope=municipality".to_owned() } else { scope.query() };
        for path in
            ["/api/figures/trend", "/api/figures/trend.csv", "/api/figures/resources", "/api/figures/resources.csv"]
        {
            let res = app.get(&format!("{path}?{q}")).cookie(&cookie).send().await;
            assert_eq!(res.status, StatusCode::OK, "{who} {path}?{q}: {}", res.text());
        }
        let res = app.get("/api/settings/resources").cookie(&cookie).send().await;
        assert_eq!(res.status, StatusCode::OK, "{who} reads the settings");
    }
    let refused = [
        ("areahead", employment.query()),
        ("areahead", "scope=municipality".to_owned()),
        ("lead", social.query()),
        ("worker", String::new()),
        ("mentor", String::new()),
        ("coordinator", String::new()),
    ];
    for (who, q) in refused {
        let cookie = app.login(who).await;
        for path in ["/api/figures/trend", "/api/figures/resources.csv"] {
            let res = app.get(&format!("{path}?{q}")).cookie(&cookie).send().await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} {path}?{q}");
        }
    }
    let worker = app.login("worker").await;
    assert_eq!(app.get("/api/settings/resources").cookie(&worker).send().await.status, StatusCode::FORBIDDEN);
}

/// Seed 003's sub-categories: an administrator puts "Økonomi" under the
/// joint plan; a citizen classified into it counts in both columns and
/// once in the target group, and the phone names the layer with its
/// parent; a sub-category under a layer the scheme lacks, or under a
/// sub-category, is refused at its field.
#[tokio::test]
async fn sub_categories_count_in_their_layer_and_reach_the_phone() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let y = youth(&app, &admin).await;
    let mut scheme: shared::review::Scheme = get(&app, &admin, "/api/admin/scheme").await;
    let sub = |code: &str, da: &str, en: &str, parent: &str| shared::review::Layer {
        code: code.to_owned(),
        label: shared::Localized::new(da, en),
        area: None,
        parent: Some(parent.to_owned()),
        meetings_per_year: None,
    };
    let mut bad = scheme.clone();
    bad.layers.push(sub("x_economy", "Økonomi", "Economy", "nowhere"));
    bad.layers.push(sub("joint_economy", "Økonomi", "Economy", "joint_plan"));
    bad.layers.push(sub("deeper", "Dybere", "Deeper", "joint_economy"));
    let res = app
        .call(Method::PUT, "/api/admin/scheme")
        .csrf()
        .cookie(&admin)
        .json(&serde_json::to_value(&bad).expect("json"))
        .send()
        .await;
    let found: Vec<(String, String)> = res.error().fields.into_iter().map(|f| (f.field, f.code)).collect();
    assert_eq!(
        found,
        [
            ("layers[3].parent".to_owned(), "not_found".to_owned()),
            ("layers[5].parent".to_owned(), "not_top_level".to_owned()),
        ]
    );
    scheme.layers.push(sub("joint_economy", "Økonomi", "Economy", "joint_plan"));
    put(&app, &admin, "/api/admin/scheme", serde_json::to_value(&scheme).expect("json")).await;
    let written: shared::review::Scheme = get(&app, &admin, "/api/admin/scheme").await;
    assert_eq!(written.layers[3].parent.as_deref(), Some("joint_plan"));

    // U-3 (joint plan since 1.10) is put in the sub-category from 1.11, by
    // its full name as a case system's file would write it.
    import(&app, &admin, "citizens", "Sagsnummer;Lag;Lag fra\r\nU-3;Fælles plan › Økonomi;01.11.2026\r\n").await;
    let t: LayerTableResponse = get(&app, &admin, &format!("/api/figures/layers?team={}&on=2026-11-20", y.team)).await;
    assert_eq!(t.table.layers, ["employment", "joint_plan", "social", "joint_economy"]);
    assert_eq!(t.table.total.by_layer, [0, 1, 1, 1], "U-3 in the joint plan and in its sub-category");
    assert_eq!(t.table.total.in_layers, 2, "U-1 and U-3, each once");
    let csv =
        app.get(&format!("/api/figures/layers.csv?team={}&on=2026-11-20", y.team)).cookie(&admin).send().await.text();
    assert!(csv.contains(";Fælles plan › Økonomi;"), "{csv}");

    // Ida's phone names the layer with its parent.
    let mut phone = Phone::with_cookie(&app, y.ida.clone());
    let (changes, _, _) = phone.pull().await;
    let u3 = changes
        .iter()
        .find_map(|c| match c {
            shared::sync::Change::Citizen(c) if c.id == y.citizen("U-3") => Some(c.clone()),
            _ => None,
        })
        .expect("U-3 on the phone");
    assert_eq!(u3.layer.map(|l| l.label.da), Some("Fælles plan › Økonomi".to_owned()));
}

/// The trend of the team, its area and the municipality, August to
/// November 2026, as JSON.
async fn trends(app: &TestApp, admin: &str, y: &Youth) -> Vec<Value> {
    let mut out = Vec::new();
    for scope in [format!("team={}", y.team), format!("area={}", y.area), String::new()] {
        out.push(get(app, admin, &format!("/api/figures/trend?from=2026-08&to=2026-11&{scope}")).await);
    }
    out
}

/// The same computed from the rows alone (nothing stored is read; what
/// is computed is stored again).
async fn trends_from_scratch(app: &TestApp, admin: &str, y: &Youth) -> Vec<Value> {
    sqlx::query("DELETE FROM figure_snapshots").execute(app.pool()).await.expect("forget the stored months");
    trends(app, admin, y).await
}

/// Marks every stored October: 99 in the shared group (people) and a
/// not-assessed hour of 9 999 minutes (hours), so an answer shows which
/// part of October was read from storage and which computed anew.
async fn mark_october(app: &TestApp) {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT scope, facts FROM figure_snapshots WHERE month = '2026-10'")
            .fetch_all(app.pool())
            .await
            .expect("stored months");
    assert_eq!(rows.len(), 3, "October stored for each scope");
    for (scope, facts) in rows {
        let mut facts: Value = serde_json::from_str(&facts).expect("json");
        facts["shared_group"] = json!(99);
        facts["hours"] = json!({ "by_layer": [[null, 9999]], "early_retirement": 0 });
        sqlx::query("UPDATE figure_snapshots SET facts = $1 WHERE scope = $2 AND month = '2026-10'")
            .bind(facts.to_string())
            .bind(scope)
            .execute(app.pool())
            .await
            .expect("mark");
    }
}

/// Checks `answered` against `fresh` (computed from the rows alone): the
/// same, except October's marks where its people (`people_stored`) or
/// hours (`hours_stored`) are expected to have been read from storage.
fn assert_stored(answered: &[Value], fresh: &[Value], people_stored: bool, hours_stored: bool, after: &str) {
    assert_eq!(answered.len(), fresh.len());
    for (answered, fresh) in answered.iter().zip(fresh) {
        let (mut answered, mut fresh) = (answered.clone(), fresh.clone());
        let scope = answered["scope_name"].clone();
        let (a, f) = (&mut answered["months"][2], &mut fresh["months"][2]);
        assert_eq!(a["month"], "2026-10");
        let shared = if people_stored { json!(99) } else { f["shared_group"].clone() };
        assert_eq!(a["shared_group"], shared, "{scope}'s October shared group after {after}");
        let minutes = if hours_stored { json!(9999) } else { f["hours"]["not_assessed"].clone() };
        assert_eq!(a["hours"]["not_assessed"], minutes, "{scope}'s October hours after {after}");
        for month in [a, f] {
            let month = month.as_object_mut().expect("a month");
            if people_stored {
                month.remove("shared_group");
            }
            if hours_stored {
                month.remove("hours");
                month.remove("posts");
            }
        }
        assert_eq!(answered, fresh, "{scope}'s trend after {after}");
    }
}

/// The trend's months are stored and read back while nothing they are
/// made of changes. Each kind of write that changes a month's figures
/// makes that month, and every later one, computed anew — its hours alone
/// for a visit, everything for who is counted where — and reaches no month
/// before its own; the answer is then the one computed from the rows.
#[tokio::test]
async fn stored_months_are_computed_anew_from_every_write_that_changes_them() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let y = youth(&app, &admin).await;
    log_visits(&app, &y).await;
    let first = trends(&app, &admin, &y).await;
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM figure_snapshots").fetch_one(app.pool()).await.expect("stored months");
    assert_eq!(stored, 12, "four months of three scopes stored");
    let logged: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM figure_change_log").fetch_one(app.pool()).await.expect("log");
    assert_eq!(logged, 0, "the writes logged before are folded into counts when months are stored");
    assert_eq!(trends(&app, &admin, &y).await, first, "read back as computed");

    mark_october(&app).await;
    let marked = trends(&app, &admin, &y).await;
    assert_stored(&marked, &first, true, true, "nothing");

    // A visit in November reaches November's hours, not October.
    let mut phone = Phone::with_cookie(&app, y.ida.clone());
    let u1 = y.citizen("U-1");
    let m = phone.mutation(save(visit(Uuid::now_v7(), u1, "2026-11-10T08:00:00Z", "2026-11-10T09:00:00Z", "")));
    assert!(matches!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied));
    let answered = trends(&app, &admin, &y).await;
    let november = |t: &[Value]| t[0]["months"][3]["hours"]["total"].as_i64().expect("minutes");
    assert_eq!(november(&answered), november(&first) + 60, "November's visit counted");
    assert_stored(&answered, &trends_from_scratch(&app, &admin, &y).await, true, true, "a visit in November");

    // Each of these reaches October: (what, October's people still stored).
    let u3 = y.citizen("U-3");
    let worker: String = sqlx::query_scalar("SELECT id FROM users WHERE username = 'worker'")
        .fetch_one(app.pool())
        .await
        .expect("the demo worker");
    for (what, people_stored) in
        [("a visit synced late into October", true), ("a visit deleted", true)].into_iter().chain([
            ("a classification from 5 October", false),
            ("a case closed on 25 October", false),
            ("a grant from 1 October", false),
            ("an assignment from 5 October", false),
            ("a birth date corrected", false),
            ("a worker leaving the team", false),
        ])
    {
        mark_october(&app).await;
        match what {
            "a visit synced late into October" => {
                let v = visit(Uuid::now_v7(), u1, "2026-10-12T08:00:00Z", "2026-10-12T08:45:00Z", "");
                let m = phone.mutation(save(v));
                assert!(matches!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied));
            }
            "a visit deleted" => {
                let id: String = sqlx::query_scalar(
                    "SELECT id FROM visits WHERE citizen_id = $1 AND ended_at - started_at = 2700000",
                )
                .bind(u1.to_string())
                .fetch_one(app.pool())
                .await
                .expect("the late visit");
                let m = phone.mutation(json!({ "type": "visit_delete", "visit_id": id, "base_version": 1 }));
                assert!(matches!(phone.push(&[m]).await.results[0].outcome, Outcome::Applied));
            }
            "a classification from 5 October" => {
                let file = "Sagsnummer;Navn;Fødselsdato;Ydelse;Lag;Lag fra;Sagsområde;Sag åbnet;Sag lukket\r\n\
                            U-2;Bent Voksen;05.05.1990;cash_benefit;social;05.10.2026;Beskæftigelsesområdet;15.10.2026;\r\n";
                import(&app, &admin, "citizens", file).await;
            }
            "a case closed on 25 October" => {
                let file = "Sagsnummer;Navn;Fødselsdato;Ydelse;Lag;Lag fra;Sagsområde;Sag åbnet;Sag lukket\r\n\
                            U-1;Alma Ung;20.10.2008;other;social;01.01.2026;Ungeområdet;01.09.2026;25.10.2026\r\n";
                import(&app, &admin, "citizens", file).await;
            }
            "a grant from 1 October" => {
                let grants = "Bevillingsnummer;Sagsnummer;Ydelse;Timer;Pr;Fra;Til;Betaler\r\n\
                              UB-3;U-3;housing_support;2;uge;01.10.2026;;Beskæftigelsesområdet\r\n";
                import(&app, &admin, "grants", grants).await;
            }
            "an assignment from 5 October" => {
                let body =
                    json!({ "citizen_id": u3, "user_id": worker, "period": { "from": "2026-10-05", "to": null } });
                put(&app, &admin, &format!("/api/admin/assignments/{}", Uuid::now_v7()), body).await;
            }
            "a birth date corrected" => {
                let file = "Sagsnummer;Navn;Fødselsdato;Ydelse;Lag;Lag fra;Sagsområde;Sag åbnet;Sag lukket\r\n\
                            U-2;Bent Voksen;05.05.1991;cash_benefit;social;05.10.2026;Beskæftigelsesområdet;15.10.2026;\r\n";
                import(&app, &admin, "citizens", file).await;
            }
            "a worker leaving the team" => {
                let ida: String = sqlx::query_scalar("SELECT id FROM users WHERE username = 'ida'")
                    .fetch_one(app.pool())
                    .await
                    .expect("Ida");
                let body = json!({ "username": "ida", "name": "Ida Lund", "roles": ["worker"], "team_ids": [],
                                   "active": true });
                put(&app, &admin, &format!("/api/admin/users/{ida}"), body).await;
            }
            other => unreachable!("{other}"),
        }
        let answered = trends(&app, &admin, &y).await;
        assert_stored(&answered, &trends_from_scratch(&app, &admin, &y).await, people_stored, false, what);
    }
    assert_spans_derived(&app).await;
}

/// `layer_spans` holds what deriving it anew from the rows gives.
async fn assert_spans_derived(app: &TestApp) {
    async fn spans(app: &TestApp) -> Vec<(String, String, String, Option<String>, Option<String>, Option<String>)> {
        sqlx::query_as(
            "SELECT scope, citizen_id, opened_on, closed_on, layer, layer_from FROM layer_spans
             ORDER BY scope, citizen_id, opened_on, layer_from",
        )
        .fetch_all(app.pool())
        .await
        .expect("spans")
    }
    let kept = spans(app).await;
    assert!(!kept.is_empty());
    let mut tx = app.pool().begin().await.expect("tx");
    server::db::review::fill_layer_spans(&mut tx).await.expect("derive");
    tx.commit().await.expect("commit");
    assert_eq!(kept, spans(app).await, "the spans kept by the writes are those the rows make");
}

/// The layer table counts a citizen once on a day whatever cases overlap
/// then: in two areas (the municipality), two in one area, a case closed
/// and opened again (not counted between), classified before the case.
#[tokio::test]
async fn the_layer_table_counts_each_citizen_once_a_day_across_overlapping_cases() {
    let app = TestApp::demo().await;
    let admin = app.login("admin").await;
    let y = youth(&app, &admin).await;
    // U-1: a second youth case overlapping the first, and an employment
    // case; U-3: its youth case (closed 20.10) opened again on 1.11.
    // (One case a line and a citizen once a file: three files.)
    for line in [
        "U-1;Alma Ung;20.10.2008;other;social;01.01.2026;Ungeområdet;15.09.2026;30.09.2026",
        "U-1;Alma Ung;20.10.2008;other;social;01.01.2026;Beskæftigelsesområdet;01.10.2026;31.10.2026",
        "U-3;Carla Ung;01.12.2009;other;joint_plan;01.10.2026;Ungeområdet;01.11.2026;",
    ] {
        let file =
            format!("Sagsnummer;Navn;Fødselsdato;Ydelse;Lag;Lag fra;Sagsområde;Sag åbnet;Sag lukket\r\n{line}\r\n");
        import(&app, &admin, "citizens", &file).await;
    }
    let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE citizen_id IN ($1, $2)")
        .bind(y.citizen("U-1").to_string())
        .bind(y.citizen("U-3").to_string())
        .fetch_one(app.pool())
        .await
        .expect("cases");
    assert_eq!(cases, 5, "the import adds cases beside the earlier ones");
    let total = |scope: String, on: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            let t: LayerTableResponse = get(app, admin, &format!("/api/figures/layers?on={on}&{scope}")).await;
            let row = t.table.total;
            row.in_layers + row.not_assessed + row.early_retirement
        }
    };
    let area = format!("area={}", y.area);
    let municipality = "scope=municipality".to_owned();
    // Youth area on 20.9: U-1 (two overlapping cases) and U-3: two.
    assert_eq!(total(area.clone(), "2026-09-20").await, 2);
    // 25.10: U-1 (youth case open, employment too), not U-3 (closed 20.10).
    assert_eq!(total(area.clone(), "2026-10-25").await, 1);
    // 5.11: U-1 and U-3 again.
    assert_eq!(total(area.clone(), "2026-11-05").await, 2);
    // The municipality: as many as have a case open that day, counted
    // citizen by citizen straight from the cases.
    for on in ["2026-08-01", "2026-09-20", "2026-10-20", "2026-10-25", "2026-11-05"] {
        let open: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM citizens c WHERE (c.birth_date <= $1 OR c.birth_date IS NULL) AND EXISTS (
                 SELECT 1 FROM cases s WHERE s.citizen_id = c.id AND s.opened_on <= $1
                 AND (s.closed_on IS NULL OR s.closed_on >= $1))",
        )
        .bind(on)
        .fetch_one(app.pool())
        .await
        .expect("count");
        assert_eq!(i64::from(total(municipality.clone(), on).await), open, "the municipality on {on}");
    }
    assert_spans_derived(&app).await;
}
