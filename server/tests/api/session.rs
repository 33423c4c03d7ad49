use axum::http::StatusCode;
use shared::api::MeResponse;
use shared::user::Role;

use crate::support::{TestApp, login_body};

#[tokio::test]
async fn login_sets_a_strict_http_only_cookie_and_returns_the_user() {
    let app = TestApp::demo().await;
    let res = app.post("/api/session").json(&login_body("Worker", "demo1234")).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let set_cookie = res.header("set-cookie").expect("cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie} lacks {attribute}");
    }
    assert!(!set_cookie.contains("Secure"), "no Secure flag without TLS");
    let me: MeResponse = res.json();
    assert_eq!(me.username.as_str(), "worker");
    assert_eq!(me.roles, [Role::Worker]);
    assert_eq!(me.teams.len(), 1);
    assert_eq!(me.teams[0].name.as_str(), "Bostøtteteamet");
    assert_eq!(me.teams[0].area.name.as_str(), "Socialområdet");
}

#[tokio::test]
async fn me_needs_a_session_and_answers_with_roles_and_teams() {
    let app = TestApp::demo().await;
    let res = app.get("/api/me").send().await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.error().code, "unauthenticated");

    let cookie = app.login("lead").await;
    let me: MeResponse = app.get("/api/me").cookie(&cookie).send().await.json();
    assert_eq!(me.name.as_str(), "Henrik Dahl");
    assert!(me.has_role(Role::Lead));

    let res = app.get("/api/me").cookie("helhed_session=0000").send().await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED, "an unknown token is no session");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_clear_401() {
    let app = TestApp::demo().await;
    let wrong = app.post("/api/session").json(&login_body("worker", "demo12345")).send().await;
    let unknown = app.post("/api/session").json(&login_body("nobody", "demo1234")).send().await;
    for res in [&wrong, &unknown] {
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert!(res.header("set-cookie").is_none());
        let body = res.error();
        assert_eq!(body.code, "invalid_credentials");
        assert_eq!(body.message.da, "Forkert brugernavn eller adgangskode.");
        assert_eq!(body.message.en, "Wrong username or password.");
    }
    assert_eq!(wrong.body, unknown.body, "nothing tells whether the user exists");
}

#[tokio::test]
async fn five_failures_lock_the_username_for_fifteen_minutes() {
    let app = TestApp::demo().await;
    for attempt in 1..=5 {
        let res = app.post("/api/session").json(&login_body("worker", "wrong-password")).send().await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        app.state.clock.advance(1);
    }
    // Locked now, even with the right password.
    let res = app.post("/api/session").json(&login_body("worker", "demo1234")).send().await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = res.header("retry-after").expect("Retry-After").parse().expect("seconds");
    // The first failure was 5 minutes ago: it leaves the window in 10.
    assert_eq!(retry_after, 10 * 60);
    assert_eq!(res.error().code, "too_many_attempts");
    // Other users are not affected.
    app.login("worker2").await;
    // When the oldest failure leaves the window, the user may try again.
    app.state.clock.advance(10);
    app.login("worker").await;
    // And a success forgets the failures.
    let res = app.post("/api/session").json(&login_body("worker", "wrong-password")).send().await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_ends_the_session_everywhere() {
    let app = TestApp::demo().await;
    let cookie = app.login("worker").await;
    let other_device = app.login("worker").await;
    let res = app.delete("/api/session").cookie(&cookie).send().await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(res.header("set-cookie").is_some_and(|c| c.contains("Max-Age=0")), "the cookie is cleared");
    assert_eq!(app.get("/api/me").cookie(&cookie).send().await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/me").cookie(&other_device).send().await.status, StatusCode::OK, "only this session ends");
    // Logging out twice, or without a session, is fine.
    assert_eq!(app.delete("/api/session").cookie(&cookie).send().await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.delete("/api/session").send().await.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn sessions_live_in_the_database_and_survive_a_restart() {
    let app = TestApp::demo().await;
    let cookie = app.login("mentor").await;
    // A second server on the same database (a restart, or another instance).
    let other = server::app(app.state.clone());
    let request =
        axum::http::Request::get("/api/me").header("cookie", &cookie).body(axum::body::Body::empty()).expect("request");
    let res = tower::ServiceExt::oneshot(other, request).await.expect("infallible");
    assert_eq!(res.status(), StatusCode::OK);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(app.pool()).await.expect("count");
    assert_eq!(stored, 1);
    let token = cookie.trim_start_matches("helhed_session=");
    let leaked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE token_hash = $1")
        .bind(token)
        .fetch_one(app.pool())
        .await
        .expect("count");
    assert_eq!(leaked, 0, "the database holds a hash, not the token");
}

#[tokio::test]
async fn sessions_expire_after_thirty_idle_days() {
    let app = TestApp::demo().await;
    let cookie = app.login("worker").await;
    app.state.clock.advance(20 * 24 * 60);
    assert_eq!(app.get("/api/me").cookie(&cookie).send().await.status, StatusCode::OK, "use extends the session");
    app.state.clock.advance(20 * 24 * 60);
    assert_eq!(app.get("/api/me").cookie(&cookie).send().await.status, StatusCode::OK, "40 days, but used on day 20");
    app.state.clock.advance(31 * 24 * 60);
    assert_eq!(app.get("/api/me").cookie(&cookie).send().await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn state_changing_requests_need_the_csrf_header() {
    let app = TestApp::demo().await;
    let res = app.call(axum::http::Method::POST, "/api/session").json(&login_body("worker", "demo1234")).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.error().code, "csrf");
    let cookie = app.login("worker").await;
    let res = app.call(axum::http::Method::DELETE, "/api/session").cookie(&cookie).send().await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/me").cookie(&cookie).send().await.status, StatusCode::OK, "the session is untouched");
}
