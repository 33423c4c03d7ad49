//! The coordination and visitation committee (issue 16, seed 001): a worker
//! proposes a citizen they work with; a lead refers the case or not; a
//! referred case is on the committee's next agenda; the committee's
//! decision appoints the coordinating case worker (the citizen's
//! coordinator from then on), the plan's start and the areas; the proposer
//! is told each outcome until they have seen it. The role matrix and the
//! refusals, each at its field.

use axum::http::{Method, StatusCode};
use serde_json::json;
use shared::CitizenId;
use shared::committee::{CommitteeResponse, Referral, ReferralsResponse, Stage};
use uuid::Uuid;

use crate::support::{Response, TestApp};

/// A citizen `username` works with today (assigned, without an end).
async fn citizen_of(app: &TestApp, username: &str, nth: i64) -> CitizenId {
    let id: String = sqlx::query_scalar(
        "SELECT a.citizen_id FROM assignments a JOIN users u ON u.id = a.user_id
         WHERE u.username = $1 AND a.valid_to IS NULL ORDER BY a.citizen_id LIMIT 1 OFFSET $2",
    )
    .bind(username)
    .bind(nth)
    .fetch_one(app.pool())
    .await
    .expect("an assigned citizen");
    id.parse().expect("uuid")
}

async fn put(app: &TestApp, cookie: &str, path: &str, body: serde_json::Value) -> Response {
    app.call(Method::PUT, path).csrf().cookie(cookie).json(&body).send().await
}

fn refused(res: &Response) -> Vec<(String, String)> {
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text());
    res.error().fields.into_iter().map(|f| (f.field, f.code)).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(f, c)| ((*f).to_owned(), (*c).to_owned())).collect()
}

async fn mine(app: &TestApp, cookie: &str) -> Vec<Referral> {
    let res = app.get("/api/referrals?mine=1").cookie(cookie).send().await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.json::<ReferralsResponse>().referrals
}

#[tokio::test]
async fn a_proposal_goes_through_the_lead_and_the_committee_and_the_proposer_hears_of_it() {
    let app = TestApp::demo().await;
    let worker = app.login("worker").await;
    let lead = app.login("lead").await;
    let citizen = citizen_of(&app, "worker", 0).await;
    let referral = Uuid::now_v7();
    let path = format!("/api/referrals/{referral}");
    let body = json!({ "citizen_id": citizen, "reason": "Hjælp fra jobcenter, bostøtte og misbrugsbehandling" });

    // Proposed: a retry is the same proposal; a second one is refused.
    let res = put(&app, &worker, &path, body.clone()).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(put(&app, &worker, &path, body.clone()).await.status, StatusCode::OK, "a retry");
    let again = put(&app, &worker, &format!("/api/referrals/{}", Uuid::now_v7()), body.clone()).await;
    assert_eq!(refused(&again), pairs(&[("citizen_id", "already_proposed")]));

    // Only leads and administrators see the committee's page and decide.
    assert_eq!(app.get("/api/committee").cookie(&worker).send().await.status, StatusCode::FORBIDDEN);
    let screening = json!({ "decision": "refer", "reason": "Tre områder og ingen fælles plan" });
    let res = put(&app, &worker, &format!("{path}/screening"), screening.clone()).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let page: CommitteeResponse = app.get("/api/committee").cookie(&lead).send().await.json();
    assert_eq!(page.awaiting_lead().iter().map(|r| r.citizen_id).collect::<Vec<_>>(), [citizen]);
    assert!(page.agenda().is_empty());

    // The lead refers it; another lead (or a retry) cannot decide again.
    let res = put(&app, &lead, &format!("{path}/screening"), screening.clone()).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json::<Referral>().stage(), Stage::AwaitingCommittee);
    let admin = app.login("admin").await;
    let twice =
        put(&app, &admin, &format!("{path}/screening"), json!({ "decision": "not_refer", "reason": "Nej" })).await;
    assert_eq!(refused(&twice), pairs(&[("decision", "already_decided")]));

    // The proposer hears of the referral once.
    let news = mine(&app, &worker).await;
    assert!(news[0].news_for_proposer(), "referred is news");
    let res = app.post(&format!("{path}/seen")).csrf().cookie(&worker).send().await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text());
    assert!(!mine(&app, &worker).await[0].news_for_proposer(), "seen");
    assert_eq!(app.post(&format!("{path}/seen")).csrf().cookie(&lead).send().await.status, StatusCode::FORBIDDEN);

    // A meeting: not in the past, not two on one day.
    let meeting = Uuid::now_v7();
    let past = put(&app, &lead, &format!("/api/committee/meetings/{meeting}"), json!({ "on": "2026-11-20" })).await;
    assert_eq!(refused(&past), pairs(&[("on", "in_past")]));
    let res = put(&app, &lead, &format!("/api/committee/meetings/{meeting}"), json!({ "on": "2026-12-10" })).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let same_day =
        put(&app, &lead, &format!("/api/committee/meetings/{}", Uuid::now_v7()), json!({ "on": "2026-12-10" })).await;
    assert_eq!(refused(&same_day), pairs(&[("on", "taken")]));
    assert_eq!(
        put(&app, &worker, &format!("/api/committee/meetings/{}", Uuid::now_v7()), json!({ "on": "2026-12-17" }))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let page: CommitteeResponse = app.get("/api/committee").cookie(&lead).send().await.json();
    assert_eq!(page.agenda().iter().map(|r| r.citizen_id).collect::<Vec<_>>(), [citizen], "on the agenda");
    let listed: ReferralsResponse =
        app.get(&format!("/api/referrals?citizen={citizen}")).cookie(&worker).send().await.json();
    assert_eq!(listed.next_meeting.map(|m| m.on.to_string()).as_deref(), Some("2026-12-10"));
    assert!(!listed.may_propose, "one open proposal at a time");

    // The committee's decision: every problem at once, then the decision.
    let coordinator = app.user_id("coordinator").await;
    let social: String =
        sqlx::query_scalar("SELECT id FROM areas WHERE kind = 'social'").fetch_one(app.pool()).await.expect("area");
    let employment: String =
        sqlx::query_scalar("SELECT id FROM areas WHERE kind = 'employment'").fetch_one(app.pool()).await.expect("area");
    let bad = json!({ "meeting_id": Uuid::now_v7(), "plan_start": "2027-01-04",
                      "coordinator_id": app.user_id("worker").await, "areas": [] });
    let res = put(&app, &lead, &format!("{path}/decision"), bad).await;
    assert_eq!(
        refused(&res),
        pairs(&[("meeting_id", "not_found"), ("coordinator_id", "unknown_value")]),
        "no areas is said once the meeting is known"
    );
    let far = json!({ "meeting_id": meeting, "plan_start": "2028-01-04", "coordinator_id": coordinator, "areas": [] });
    let res = put(&app, &lead, &format!("{path}/decision"), far).await;
    assert_eq!(refused(&res), pairs(&[("areas", "none_chosen"), ("plan_start", "too_far_ahead")]));
    let good = json!({ "meeting_id": meeting, "plan_start": "2027-01-04", "coordinator_id": coordinator,
                       "areas": [employment, social], "note": "Fælles plan fra januar" });
    let res = put(&app, &lead, &format!("{path}/decision"), good.clone()).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let decided: Referral = res.json();
    let decision = decided.decision.as_ref().expect("decided");
    assert_eq!(decision.coordinator.name, "Karina Mikkelsen");
    assert_eq!(
        decision.areas.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        ["Beskæftigelsesområdet", "Socialområdet"]
    );
    assert_eq!(
        refused(&put(&app, &lead, &format!("{path}/decision"), good).await),
        pairs(&[("decision", "already_decided")])
    );
    let now_coordinator: Option<String> = sqlx::query_scalar("SELECT coordinator_id FROM citizens WHERE id = $1")
        .bind(citizen.to_string())
        .fetch_one(app.pool())
        .await
        .expect("citizen");
    assert_eq!(now_coordinator.as_deref(), Some(coordinator.as_str()), "the committee's coordinator is the citizen's");

    // The proposer hears of the decision; a new proposal may follow.
    let news = mine(&app, &worker).await;
    assert_eq!((news[0].stage(), news[0].news_for_proposer()), (Stage::Decided, true));
    let listed: ReferralsResponse =
        app.get(&format!("/api/referrals?citizen={citizen}")).cookie(&worker).send().await.json();
    assert!(listed.may_propose);

    // Every write and read was logged as the committee's.
    let logged: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.username, l.action, l.purpose FROM access_log l JOIN users u ON u.id = l.user_id
         WHERE l.citizen_id = $1 AND l.detail = 'committee' ORDER BY l.id",
    )
    .bind(citizen.to_string())
    .fetch_all(app.pool())
    .await
    .expect("log");
    // The proposal and the citizen's list are field work; the lead's and
    // the committee's decisions are visitation (grant decisions).
    for wanted in [
        ("worker", "create", "field_work"),
        ("lead", "read", "grant_decision"),
        ("lead", "change", "grant_decision"),
        ("worker", "read", "field_work"),
    ] {
        assert!(
            logged.iter().any(|(u, a, p)| (u.as_str(), a.as_str(), p.as_str()) == wanted),
            "{wanted:?}: {logged:?}"
        );
    }
}

#[tokio::test]
async fn who_may_propose_and_what_a_case_not_referred_allows() {
    let app = TestApp::demo().await;
    let worker = app.login("worker").await;
    let worker2 = app.login("worker2").await;
    let lead = app.login("lead").await;
    let theirs = citizen_of(&app, "worker", 1).await;
    let not_theirs: String = sqlx::query_scalar(
        "SELECT c.id FROM citizens c WHERE c.coordinator_id IS NULL AND NOT EXISTS (
             SELECT 1 FROM assignments a JOIN users u ON u.id = a.user_id
             WHERE a.citizen_id = c.id AND u.username = 'worker2') ORDER BY c.id LIMIT 1",
    )
    .fetch_one(app.pool())
    .await
    .expect("a citizen worker2 does not work with");
    let proposal = |citizen: &str| json!({ "citizen_id": citizen, "reason": "Kompleks sag" });

    // Someone they do not work with: refused at the citizen.
    let res = put(&app, &worker2, &format!("/api/referrals/{}", Uuid::now_v7()), proposal(&not_theirs)).await;
    assert_eq!(refused(&res), pairs(&[("citizen_id", "cannot_see_citizen")]));
    // A lead or an administrator does not propose; an empty reason is refused.
    let res = put(&app, &lead, &format!("/api/referrals/{}", Uuid::now_v7()), proposal(&theirs.to_string())).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let empty = json!({ "citizen_id": theirs, "reason": "  " });
    assert_eq!(
        refused(&put(&app, &worker, &format!("/api/referrals/{}", Uuid::now_v7()), empty).await),
        pairs(&[("reason", "required")])
    );
    // Someone outside the citizen's people does not read their proposals.
    let id = Uuid::now_v7();
    assert_eq!(
        put(&app, &worker, &format!("/api/referrals/{id}"), proposal(&theirs.to_string())).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.get(&format!("/api/referrals?citizen={not_theirs}")).cookie(&worker2).send().await.status,
        StatusCode::FORBIDDEN
    );

    // Not referred: closed, no committee decision, news for the proposer,
    // and the citizen may be proposed again.
    let res = put(
        &app,
        &lead,
        &format!("/api/referrals/{id}/screening"),
        json!({ "decision": "not_refer", "reason": "Ét område; tal med jobcentret" }),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let meeting = Uuid::now_v7();
    put(&app, &lead, &format!("/api/committee/meetings/{meeting}"), json!({ "on": "2026-12-10" })).await;
    let decision = json!({ "meeting_id": meeting, "plan_start": "2027-01-04",
                           "coordinator_id": app.user_id("coordinator").await, "areas": [] });
    let res = put(&app, &lead, &format!("/api/referrals/{id}/decision"), decision).await;
    assert_eq!((res.status, res.error().code.as_str()), (StatusCode::CONFLICT, "not_referred"));
    let news = mine(&app, &worker).await;
    assert_eq!((news[0].stage(), news[0].news_for_proposer()), (Stage::NotReferred, true));
    assert!(news[0].latest(shared::Lang::Da).starts_with("Ikke henvist af Henrik Dahl"));
    let again = put(&app, &worker, &format!("/api/referrals/{}", Uuid::now_v7()), proposal(&theirs.to_string())).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text());
}
