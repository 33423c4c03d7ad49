//! The catalogue of offers (issue 15; seed 001): every logged-in user reads
//! the active offers and the areas; an administrator writes them, a name
//! used twice or an unknown area refused at its field, an offer made
//! inactive leaves the catalogue but stays nameable; a goal of a plan names
//! an offer, an unknown one is refused at `efforts`.

use axum::http::{Method, StatusCode};
use serde_json::json;
use shared::area::AreaKind;
use shared::offer::{Offer, OffersResponse};
use shared::sync::Outcome;
use uuid::Uuid;

use crate::support::TestApp;
use crate::sync::Phone;

#[tokio::test]
async fn the_catalogue_is_read_by_all_and_kept_by_an_administrator() {
    let app = TestApp::demo().await;
    let worker = app.login("worker").await;
    let res = app.get("/api/offers").cookie(&worker).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let catalogue: OffersResponse = res.json();
    assert_eq!(catalogue.offers.len(), 10, "the demo's offers");
    // Employment, social and health (issue 15: one plan across the three).
    assert_eq!(catalogue.areas.len(), 3);
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM areas ORDER BY kind").fetch_all(app.pool()).await.expect("kinds");
    let expected: Vec<_> =
        [AreaKind::Employment, AreaKind::Health, AreaKind::Social].iter().map(|k| k.code().to_owned()).collect();
    assert_eq!(kinds, expected);
    let health = catalogue.areas.iter().find(|a| a.name.as_str() == "Sundhedsområdet").expect("health").id;
    assert!(catalogue.offers.iter().any(|o| o.input.area_id == Some(health)), "the health area has offers");
    assert!(catalogue.offers.iter().all(|o| o.input.active));
    assert_eq!(catalogue.matching("bostøtte").len(), 2);
    assert_eq!(app.get("/api/offers?all=1").cookie(&worker).send().await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/offers").send().await.status, StatusCode::UNAUTHORIZED);

    let admin = app.login("admin").await;
    let put = |id: Uuid, body: serde_json::Value, cookie: String| {
        let app = &app;
        async move {
            app.call(Method::PUT, &format!("/api/admin/offers/{id}")).csrf().cookie(&cookie).json(&body).send().await
        }
    };
    let area = catalogue.areas[0].id;
    let id = Uuid::now_v7();
    let body = json!({ "name": "Gruppeforløb om angst", "area_id": area, "legal_basis": "Serviceloven § 82",
                       "contact": "Fælleshuset", "description": "Otte mødegange i en lille gruppe.", "active": true });
    assert_eq!(put(id, body.clone(), worker.clone()).await.status, StatusCode::FORBIDDEN);
    let res = put(id, body.clone(), admin.clone()).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let written: Offer = res.json();
    assert_eq!((written.input.name.as_str(), written.area_name.is_some()), ("Gruppeforløb om angst", true));
    // Refusals at their fields.
    let fields = |res: crate::support::Response| {
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text());
        res.error().fields.into_iter().map(|f| (f.field, f.code)).collect::<Vec<_>>()
    };
    let mut twice = body.clone();
    twice["name"] = json!("  gruppeforløb   OM angst ");
    assert_eq!(fields(put(Uuid::now_v7(), twice, admin.clone()).await), [("name".to_owned(), "taken".to_owned())]);
    let mut nowhere = body.clone();
    nowhere["name"] = json!("Et andet tilbud");
    nowhere["area_id"] = json!(Uuid::now_v7());
    assert_eq!(
        fields(put(Uuid::now_v7(), nowhere, admin.clone()).await),
        [("area_id".to_owned(), "not_found".to_owned())]
    );
    let mut empty = body.clone();
    empty["name"] = json!("   ");
    assert_eq!(fields(put(Uuid::now_v7(), empty, admin.clone()).await)[0], ("name".to_owned(), "required".to_owned()));

    // A goal names it; an unknown offer is refused at `efforts`.
    let citizen: String = sqlx::query_scalar(
        "SELECT a.citizen_id FROM assignments a JOIN users u ON u.id = a.user_id WHERE u.username = 'worker' LIMIT 1",
    )
    .fetch_one(app.pool())
    .await
    .expect("a citizen");
    let mut phone = Phone::new(&app, "worker").await;
    let goal = |effort: Uuid| {
        json!({ "type": "goal_save", "base": null, "goal": {
            "id": Uuid::now_v7(), "citizen_id": citizen, "citizen_wording": "Jeg vil lære at sige fra",
            "professional_wording": "", "areas": [], "efforts": [{ "type": "offer", "id": effort }],
            "target_date": null, "status": "active", "position": 1 } })
    };
    let bodies = vec![phone.mutation(goal(id)), phone.mutation(goal(Uuid::now_v7()))];
    let results = phone.push(&bodies).await.results;
    assert!(matches!(results[0].outcome, Outcome::Applied), "{:?}", results[0].outcome);
    match &results[1].outcome {
        Outcome::Rejected { code, field, .. } => {
            assert_eq!((code.as_str(), field.as_deref()), ("not_found", Some("efforts")))
        }
        other => panic!("{other:?}"),
    }

    // An agreed action uses it; an unknown offer is refused at `offer`.
    let goal: String = sqlx::query_scalar("SELECT id FROM goals WHERE citizen_id = $1 LIMIT 1")
        .bind(&citizen)
        .fetch_one(app.pool())
        .await
        .expect("the goal");
    let action = |offer: Uuid| {
        json!({ "type": "action_save", "base": null, "action": {
            "id": Uuid::now_v7(), "goal_id": goal, "citizen_id": citizen, "what": "Melde sig til gruppen",
            "owner": {"type": "citizen"}, "due": null, "status": "open", "offer": offer } })
    };
    let bodies = vec![phone.mutation(action(id)), phone.mutation(action(Uuid::now_v7()))];
    let results = phone.push(&bodies).await.results;
    assert!(matches!(results[0].outcome, Outcome::Applied), "{:?}", results[0].outcome);
    match &results[1].outcome {
        Outcome::Rejected { code, field, .. } => {
            assert_eq!((code.as_str(), field.as_deref()), ("not_found", Some("offer")))
        }
        other => panic!("{other:?}"),
    }
    let used: Vec<Option<String>> = sqlx::query_scalar("SELECT offer_id FROM plan_actions WHERE goal_id = $1")
        .bind(&goal)
        .fetch_all(app.pool())
        .await
        .expect("actions");
    assert_eq!(used, [Some(id.to_string())]);

    // Made inactive: out of the catalogue, still in an administrator's list.
    let mut off = body;
    off["active"] = json!(false);
    assert_eq!(put(id, off, admin.clone()).await.status, StatusCode::OK);
    let catalogue: OffersResponse = app.get("/api/offers").cookie(&worker).send().await.json();
    assert!(!catalogue.offers.iter().any(|o| o.id.to_string() == id.to_string()));
    let everything: OffersResponse = app.get("/api/offers?all=1").cookie(&admin).send().await.json();
    assert!(everything.offers.iter().any(|o| o.id.to_string() == id.to_string() && !o.input.active));
}
