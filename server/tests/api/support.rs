//! One way to drive the real router against a real database: a fresh
//! SQLite file, or with `HELHED_TEST_POSTGRES` set (a URL of a PostgreSQL
//! role that may create databases), a fresh PostgreSQL database.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use server::site::Site;
use server::{AppState, Clock};
use shared::{ErrorBody, Timestamp};
use tempfile::TempDir;
use tower::ServiceExt;

/// Noon on a Monday in winter time.
pub const NOW: &str = "2026-11-23T11:00:00Z";

/// A test's own database, gone when the test ends.
pub struct TestDb {
    pub dir: TempDir,
    scratch: server::db::scratch::Scratch,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = dir.path().join("db");
        let scratch = server::db::scratch::Scratch::new(&folder, "helhed").await.expect("a test database");
        TestDb { dir, scratch }
    }

    pub fn url(&self) -> &str {
        &self.scratch.url
    }

    pub fn is_postgres(&self) -> bool {
        self.scratch.is_postgres()
    }
}

pub struct TestApp {
    pub state: AppState,
    router: Router,
    pub db: TestDb,
}

impl TestApp {
    /// A fresh database with migrations applied and nothing in it.
    pub async fn empty() -> TestApp {
        let test_db = TestDb::new().await;
        let db = server::db::connect(test_db.url()).await.expect("connect");
        server::db::migrate(&db).await.expect("migrate");
        let state = AppState {
            db,
            site: Arc::new(test_site()),
            clock: Clock::manual(NOW.parse().expect("valid")),
            secure_cookies: false,
        };
        TestApp { router: server::app(state.clone()), state, db: test_db }
    }

    /// The demo municipality.
    pub async fn demo() -> TestApp {
        let app = TestApp::empty().await;
        assert!(server::demo::seed_if_empty(&app.state.db, app.now()).await.expect("seed"));
        app
    }

    /// The pool, for the checks a test makes straight in the database.
    pub fn pool(&self) -> &sqlx::AnyPool {
        &self.state.db.pool
    }

    /// A user's id by username.
    pub async fn user_id(&self, username: &str) -> String {
        sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_one(self.pool())
            .await
            .expect("user")
    }

    /// Approves `month` (`"2026-11"`) for every team of user `user` (an
    /// id), as a lead's approval would: no visit of theirs in it changes.
    pub async fn approve_month(&self, user: &str, month: &str) {
        sqlx::query(
            "INSERT INTO period_locks (team_id, month, locked_by, locked_at)
             SELECT m.team_id, $2, m.user_id, 0 FROM team_members m WHERE m.user_id = $1",
        )
        .bind(user)
        .bind(month)
        .execute(self.pool())
        .await
        .expect("the month approved");
    }

    pub fn now(&self) -> Timestamp {
        self.state.clock.now()
    }

    pub fn get(&self, path: &str) -> Call<'_> {
        self.call(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Call<'_> {
        self.call(Method::POST, path).csrf()
    }

    pub fn delete(&self, path: &str) -> Call<'_> {
        self.call(Method::DELETE, path).csrf()
    }

    pub fn call(&self, method: Method, path: &str) -> Call<'_> {
        Call { app: self, request: Request::builder().method(method).uri(path), body: Body::empty() }
    }

    /// Logs in and returns the `Cookie` header value of the session.
    pub async fn login(&self, username: &str) -> String {
        let res = self.post("/api/session").json(&login_body(username, "demo1234")).send().await;
        assert_eq!(res.status, StatusCode::CREATED, "login as {username}: {}", res.text());
        res.session_cookie().expect("a session cookie")
    }
}

/// The router on a real socket on loopback (for what only real HTTP shows:
/// cookies as a browser gets them, requests truly in parallel). Serves
/// until the test's runtime ends; returns the base URL.
pub async fn serve_http(state: AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, server::app(state)).await });
    base
}

impl TestApp {
    /// This app on a real socket: see [`serve_http`].
    pub async fn http(&self) -> String {
        serve_http(self.state.clone()).await
    }
}

pub fn login_body(username: &str, password: &str) -> serde_json::Value {
    serde_json::json!({ "username": username, "password": password })
}

/// A built app as `cargo xtask build` lays it out.
fn test_site() -> Site {
    let mut site = Site::default();
    site.insert("index.html", b"<!doctype html><title>Helhed</title>".to_vec());
    site.insert("helhed-0123456789abcdef.js", b"export default function init() {}".to_vec());
    site.insert("helhed-0123456789abcdef_bg.wasm", b"\0asm\x01\0\0\0".to_vec());
    site.insert("helhed-fedcba9876543210.css", b"body{}".to_vec());
    site.insert("sw.js", b"self.addEventListener('fetch', () => {});".to_vec());
    site.insert("manifest.webmanifest", b"{}".to_vec());
    site.insert("icons/icon-192.png", b"\x89PNG".to_vec());
    site
}

pub struct Call<'a> {
    app: &'a TestApp,
    request: axum::http::request::Builder,
    body: Body,
}

impl Call<'_> {
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.request = self.request.header(name, value);
        self
    }

    pub fn csrf(self) -> Self {
        self.header("x-requested-with", "helhed")
    }

    pub fn cookie(self, cookie: &str) -> Self {
        self.header("cookie", cookie)
    }

    pub fn json(self, value: &serde_json::Value) -> Self {
        self.raw_json(&value.to_string())
    }

    pub fn raw_json(mut self, body: &str) -> Self {
        self.request = self.request.header(header::CONTENT_TYPE, "application/json");
        self.body = Body::from(body.to_owned());
        self
    }

    pub fn body(mut self, content_type: &str, body: Vec<u8>) -> Self {
        self.request = self.request.header(header::CONTENT_TYPE, content_type);
        self.body = Body::from(body);
        self
    }

    pub async fn send(self) -> Response {
        let request = self.request.body(self.body).expect("valid request");
        let response = self.app.router.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
        Response { status, headers, body }
    }
}

pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not the expected JSON ({e}): {}", self.text()))
    }

    /// The error body; panics if the response is not one.
    pub fn error(&self) -> ErrorBody {
        assert!(!self.status.is_success(), "expected an error, got {}: {}", self.status, self.text());
        assert_eq!(self.header("content-type"), Some("application/json"), "error bodies are JSON");
        self.json()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn session_cookie(&self) -> Option<String> {
        let set = self.header("set-cookie")?;
        let pair = set.split(';').next()?;
        pair.starts_with("helhed_session=").then(|| pair.to_owned())
    }
}
