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

/// A browser's view of the session cookie: it keeps what `Set-Cookie` said
/// until its `Max-Age` runs out, counted on the server's manual clock.
#[derive(Default)]
struct Jar {
    cookie: Option<(String, i64)>,
}

impl Jar {
    fn header(&self, now_ms: i64) -> Option<String> {
        self.cookie.as_ref().filter(|(_, until)| now_ms < *until).map(|(pair, _)| pair.clone())
    }

    /// Takes in a response's session cookie; returns the raw header if any.
    fn take(&mut self, res: &reqwest::Response, now_ms: i64) -> Option<String> {
        let set = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("helhed_session="))?;
        let pair = set.split(';').next().expect("a pair").to_owned();
        let max_age: i64 =
            set.split(';').find_map(|a| a.trim().strip_prefix("Max-Age=")).expect("Max-Age").parse().expect("seconds");
        self.cookie = (max_age > 0).then(|| (pair, now_ms + max_age * 1000));
        Some(set.to_owned())
    }
}

async fn send(
    http: &reqwest::Client,
    base: &str,
    app: &TestApp,
    jar: &mut Jar,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, Option<String>) {
    let now = app.now().as_millis();
    let mut req = http.request(method, format!("{base}{path}")).header("x-requested-with", "helhed");
    if let Some(cookie) = jar.header(now) {
        req = req.header("cookie", cookie);
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("request");
    let set = jar.take(&res, now);
    (res.status().as_u16(), set)
}

/// Issue 12, kind 7: the failing input. A worker uses the app every day;
/// the server slides the session, and the browser must keep the cookie too.
#[tokio::test]
async fn a_session_used_every_day_stays_logged_in_in_the_browser_past_thirty_days() {
    let app = TestApp::demo().await;
    let base = app.http().await;
    let http = reqwest::Client::new();
    let mut jar = Jar::default();
    let login = Some(login_body("worker", "demo1234"));
    let (status, _) = send(&http, &base, &app, &mut jar, reqwest::Method::POST, "/api/session", login).await;
    assert_eq!(status, 201);
    for day in 1..=45 {
        app.state.clock.advance(24 * 60);
        let (status, _) = send(&http, &base, &app, &mut jar, reqwest::Method::GET, "/api/me", None).await;
        assert_eq!(status, 200, "day {day}: the browser still has its cookie");
    }
}

/// Issue 12, kind 7: when the cookie is sent again, and with what.
#[tokio::test]
async fn the_cookie_is_sent_again_exactly_when_the_session_is_extended() {
    use reqwest::Method;
    const HOUR: i64 = 60;
    const DAY: i64 = 24 * HOUR;
    let app = TestApp::demo().await;
    let base = app.http().await;
    let http = reqwest::Client::new();
    let mut jar = Jar::default();
    let login = Some(login_body("lead", "demo1234"));
    let (status, issued) = send(&http, &base, &app, &mut jar, Method::POST, "/api/session", login).await;
    assert_eq!(status, 201);
    let issued = issued.expect("login sets the cookie");
    assert!(issued.ends_with("; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000"), "{issued}");
    // (minutes later, method, path, status, whether the cookie comes again)
    let cases: &[(i64, Method, &str, u16, bool)] = &[
        (0, Method::GET, "/api/me", 200, false),
        (23 * HOUR, Method::GET, "/api/me", 200, false),
        // A day after login the session is extended, and the cookie with it.
        (2 * HOUR, Method::GET, "/api/me", 200, true),
        // Not again on every request.
        (0, Method::GET, "/api/me", 200, false),
        (HOUR, Method::GET, "/api/citizens", 200, false),
        // Any request that extends the session, whatever it answers.
        (DAY + HOUR, Method::GET, "/api/citizens", 200, true),
        // Exactly a day after the last renewal: not yet.
        (DAY, Method::GET, "/api/citizens", 200, false),
        (HOUR, Method::GET, "/api/reports/team?team=nope&month=2026-11", 422, true),
        (DAY + HOUR, Method::GET, "/api/admin/visits.csv?from=2026-11-01&to=2026-11-30", 403, true),
        (0, Method::GET, "/api/org", 200, false),
        // 29 idle days: still alive in the browser and on the server.
        (29 * DAY, Method::GET, "/api/org", 200, true),
    ];
    for (i, (later, method, path, status, renewed)) in cases.iter().enumerate() {
        app.state.clock.advance(*later);
        let (got, set) = send(&http, &base, &app, &mut jar, method.clone(), path, None).await;
        assert_eq!(got, *status, "case {i}: {method} {path}");
        match set {
            Some(set) => {
                assert!(renewed, "case {i}: {method} {path} sent a cookie: {set}");
                assert_eq!(set, issued, "case {i}: the same token and attributes, 30 days from now");
            }
            None => assert!(!renewed, "case {i}: {method} {path} did not renew the cookie"),
        }
    }
    // Logging out clears the cookie and sends no renewal beside it.
    app.state.clock.advance(DAY);
    let (status, set) = send(&http, &base, &app, &mut jar, Method::DELETE, "/api/session", None).await;
    assert_eq!(status, 204);
    assert!(set.is_some_and(|s| s.contains("Max-Age=0")));
    // A session that ran out gets no cookie back.
    let mut idle = Jar::default();
    let login = Some(login_body("worker", "demo1234"));
    send(&http, &base, &app, &mut idle, Method::POST, "/api/session", login).await;
    let cookie = idle.header(app.now().as_millis()).expect("cookie");
    app.state.clock.advance(31 * DAY);
    let res = http.get(format!("{base}/api/me")).header("cookie", cookie).send().await.expect("request");
    assert_eq!(res.status().as_u16(), 401);
    assert!(res.headers().get("set-cookie").is_none(), "an expired session is not renewed");
}

/// Behind TLS the renewed cookie is `Secure` like the first.
#[tokio::test]
async fn a_renewed_cookie_keeps_the_secure_flag() {
    let app = TestApp::demo().await;
    let base = crate::support::serve_http(server::AppState { secure_cookies: true, ..app.state.clone() }).await;
    let http = reqwest::Client::new();
    let mut jar = Jar::default();
    let login = Some(login_body("worker", "demo1234"));
    let (_, issued) = send(&http, &base, &app, &mut jar, reqwest::Method::POST, "/api/session", login).await;
    let issued = issued.expect("cookie");
    assert!(issued.ends_with("; Secure"), "{issued}");
    app.state.clock.advance(2 * 24 * 60);
    let (status, renewed) = send(&http, &base, &app, &mut jar, reqwest::Method::GET, "/api/me", None).await;
    assert_eq!((status, renewed), (200, Some(issued)));
}

/// Sends every login of `burst` at once over real HTTP; the statuses in
/// the order sent.
async fn logins_at_once(base: &str, burst: &[(&str, &str)]) -> Vec<u16> {
    let http = reqwest::Client::new();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(burst.len()));
    let tasks: Vec<_> = burst
        .iter()
        .map(|(user, password)| {
            let (http, barrier) = (http.clone(), barrier.clone());
            let req = http
                .post(format!("{base}/api/session"))
                .header("x-requested-with", "helhed")
                .json(&login_body(user, password));
            tokio::spawn(async move {
                barrier.wait().await;
                let res = req.send().await.expect("request");
                let status = res.status().as_u16();
                if status == 429 {
                    let retry: u64 = res.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
                    assert!((1..=15 * 60).contains(&retry), "Retry-After {retry}");
                }
                status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("task"));
    }
    statuses
}

/// Issue 12, kind 9: throttling counts an attempt before its password is
/// checked, so guesses sent at once cannot slip past it. Each case: wrong
/// logins made one by one first, then a burst at once; how many of the
/// burst were checked (401 or 201) and how many refused 429, and whether
/// the right password got in.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_cannot_race_the_login_throttle() {
    const RIGHT: &str = "demo1234";
    struct Case {
        name: &'static str,
        before: usize,
        burst: Vec<(&'static str, &'static str)>,
        checked: usize,
        throttled: usize,
        /// `Some(false)`: the right password must not get in.
        right_in: Option<bool>,
    }
    let wrong = |user: &'static str, n: usize| vec![(user, "wrong-password"); n];
    let with_right = |user: &'static str, n: usize, at: usize| {
        let mut burst = wrong(user, n);
        burst[at] = (user, RIGHT);
        burst
    };
    let cases = vec![
        // The failing input: 30 wrong passwords at once all got 401.
        Case {
            name: "30 wrong at once",
            before: 0,
            burst: wrong("worker", 30),
            checked: 5,
            throttled: 25,
            right_in: None,
        },
        // Once the limit is hit, the right password among 20 guesses is refused too.
        Case {
            name: "right one in a burst after the limit",
            before: 5,
            burst: with_right("worker", 20, 13),
            checked: 0,
            throttled: 20,
            right_in: Some(false),
        },
        Case {
            name: "right one first in a burst after the limit",
            before: 5,
            burst: with_right("worker", 20, 0),
            checked: 0,
            throttled: 20,
            right_in: Some(false),
        },
        // One attempt left: exactly one of the burst is checked. (All
        // wrong: if the right one took the last attempt, it would rightly
        // get in and start the count afresh, which the order of a parallel
        // burst leaves to chance.)
        Case {
            name: "one attempt left",
            before: 4,
            burst: wrong("worker", 20),
            checked: 1,
            throttled: 19,
            right_in: None,
        },
        // An unknown username is throttled the same way.
        Case { name: "unknown user", before: 0, burst: wrong("nobody", 30), checked: 5, throttled: 25, right_in: None },
        // The username is one whatever its case.
        Case {
            name: "mixed case",
            before: 0,
            burst: [wrong("WORKER", 15), wrong("Worker", 15)].concat(),
            checked: 5,
            throttled: 25,
            right_in: None,
        },
        // Another user's login in the middle of an attack gets in.
        Case {
            name: "another user",
            before: 0,
            burst: [wrong("worker", 20), vec![("worker2", RIGHT)]].concat(),
            checked: 6,
            throttled: 15,
            right_in: Some(true),
        },
    ];
    for case in cases {
        let app = TestApp::demo().await;
        let base = app.http().await;
        for i in 0..case.before {
            let statuses = logins_at_once(&base, &[("worker", "wrong-password")]).await;
            assert_eq!(statuses, [401], "{}: failure {i} beforehand", case.name);
        }
        let statuses = logins_at_once(&base, &case.burst).await;
        let count = |s: u16| statuses.iter().filter(|x| **x == s).count();
        assert_eq!(count(401) + count(201), case.checked, "{}: checked {statuses:?}", case.name);
        assert_eq!(count(429), case.throttled, "{}: throttled {statuses:?}", case.name);
        let right_in = case.burst.iter().zip(&statuses).any(|((_, p), s)| *p == RIGHT && *s == 201);
        if let Some(expected) = case.right_in {
            assert_eq!(right_in, expected, "{}: {statuses:?}", case.name);
        }
        // Whatever happened, the username stays locked for the window.
        if case.checked + case.before >= 5 && !right_in {
            let user = case.burst[0].0;
            assert_eq!(logins_at_once(&base, &[(user, RIGHT)]).await, [429], "{}: locked after", case.name);
        }
    }
}

/// A success clears the count, also of the attempts recorded before it.
#[tokio::test]
async fn a_successful_login_clears_the_attempts_before_it() {
    let app = TestApp::demo().await;
    let base = app.http().await;
    for _ in 0..4 {
        assert_eq!(logins_at_once(&base, &[("worker", "wrong-password")]).await, [401]);
    }
    assert_eq!(logins_at_once(&base, &[("worker", "demo1234")]).await, [201]);
    let statuses = logins_at_once(&base, &[("worker", "wrong-password"); 10]).await;
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 5, "{statuses:?}");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE username = 'worker'")
        .fetch_one(app.pool())
        .await
        .expect("count");
    assert_eq!(stored, 5, "the refused ones are not recorded");
}

/// An attempt whose password was never checked (503: no hashing thread
/// free) is taken back: one row of several identical ones, on either backend.
#[tokio::test]
async fn an_attempt_never_checked_is_withdrawn_and_not_counted() {
    use server::db::users::{Admission, admit_login, withdraw_attempt};
    let app = TestApp::demo().await;
    let db = &app.state.db;
    let user = shared::text::Username::try_from("worker").expect("valid");
    let now = app.now();
    let since = now.add_minutes(-15);
    for _ in 0..5 {
        assert_eq!(admit_login(db, &user, now, since, 5).await.expect("admit"), Admission::Admitted);
    }
    assert_eq!(
        admit_login(db, &user, now, since, 5).await.expect("admit"),
        Admission::Throttled { oldest: now.as_millis() }
    );
    withdraw_attempt(db, &user, now).await.expect("withdraw");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE username = 'worker'")
        .fetch_one(app.pool())
        .await
        .expect("count");
    assert_eq!(stored, 4, "exactly one of the five identical rows");
    assert_eq!(admit_login(db, &user, now, since, 5).await.expect("admit"), Admission::Admitted);
}
