//! A real server on loopback with a real database (a SQLite file, or
//! PostgreSQL when `HELHED_TEST_POSTGRES` is set), and phones: the app's
//! sync engine over its in-memory store, talking HTTP through a transport
//! that can be told to fail.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use app::store::local::LocalDb;
use app::store::memory::MemoryKv;
use app::sync::engine::{self, Report, SyncError, Transport, TransportError};
use clap::Parser;
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::sync::{MutationBody, PullRequest, PullResponse, PushRequest, PushResponse};
use shared::{ClientId, ErrorBody, Timestamp};
use uuid::Uuid;

/// The server, in a runtime of its own so a test can kill it abruptly.
pub struct TestServer {
    _dir: tempfile::TempDir,
    runtime: Option<tokio::runtime::Runtime>,
    url: Rc<RefCell<String>>,
    /// The server's database, for the test's own checks.
    pub db: server::db::Db,
    scratch: server::db::scratch::Scratch,
}

impl TestServer {
    pub async fn start() -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let scratch = server::db::scratch::Scratch::new(dir.path(), "helhed").await.expect("a test database");
        let (runtime, url) = TestServer::boot(&scratch.url).await;
        let db = server::db::connect(&scratch.url).await.expect("inspection connection");
        TestServer { _dir: dir, runtime: Some(runtime), url: Rc::new(RefCell::new(url)), db, scratch }
    }

    pub fn is_postgres(&self) -> bool {
        self.scratch.is_postgres()
    }

    async fn boot(database_url: &str) -> (tokio::runtime::Runtime, String) {
        let url = database_url.to_owned();
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let address = runtime
            .spawn(async move {
                let config = server::Config::parse_from([
                    "helhed-server",
                    "--demo",
                    "--bind",
                    "127.0.0.1:0",
                    "--database-url",
                    &url,
                    "--site-dir",
                    "/nonexistent",
                ]);
                let state = server::prepare(&config, server::Clock::system()).await.expect("prepare");
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
                let address = listener.local_addr().expect("address");
                tokio::spawn(server::serve(listener, state, std::future::pending()));
                address
            })
            .await
            .expect("server starts");
        (runtime, format!("http://{address}"))
    }

    pub fn url(&self) -> Rc<RefCell<String>> {
        self.url.clone()
    }

    /// Kills the server mid-whatever (like `kill -9`: nothing is finished).
    pub fn kill(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }

    /// Starts it again on the same database (on a new port; phones follow).
    pub async fn restart(&mut self) {
        self.kill();
        let (runtime, url) = TestServer::boot(&self.scratch.url).await;
        self.runtime = Some(runtime);
        *self.url.borrow_mut() = url;
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// What the transport does to the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The request never leaves the phone.
    DropRequest,
    /// The server gets it and answers, but the answer is lost.
    LoseResponse,
    /// The request goes out twice at once (a retrying proxy).
    Duplicate,
}

/// HTTP to the test server, with faults on demand.
pub struct HttpTransport {
    client: reqwest::Client,
    url: Rc<RefCell<String>>,
    cookie: String,
    faults: RefCell<VecDeque<Option<Fault>>>,
    pub requests: Cell<usize>,
    /// A proxy in front of the server that refuses bodies over this many
    /// bytes with 413 (a smaller limit than the server's own).
    pub proxy_limit: Cell<Option<usize>>,
}

impl HttpTransport {
    pub async fn login(url: Rc<RefCell<String>>, username: &str) -> HttpTransport {
        let client = reqwest::Client::new();
        let base = url.borrow().clone();
        let res = client
            .post(format!("{base}/api/session"))
            .header("x-requested-with", "helhed")
            .json(&serde_json::json!({ "username": username, "password": "demo1234" }))
            .send()
            .await
            .expect("login request");
        assert_eq!(res.status(), 201, "login {username}");
        let cookie = res
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("session cookie")
            .to_owned();
        HttpTransport {
            client,
            url,
            cookie,
            faults: RefCell::new(VecDeque::new()),
            requests: Cell::new(0),
            proxy_limit: Cell::new(None),
        }
    }

    /// The next requests meet these faults, one each.
    pub fn inject(&self, faults: impl IntoIterator<Item = Fault>) {
        self.faults.borrow_mut().extend(faults.into_iter().map(Some));
    }

    /// The next `healthy` requests go through; the one after meets `fault`.
    pub fn inject_after(&self, healthy: usize, fault: Fault) {
        let mut faults = self.faults.borrow_mut();
        faults.extend(std::iter::repeat_n(None, healthy));
        faults.push_back(Some(fault));
    }

    async fn send_once<B: Serialize, R: DeserializeOwned>(&self, path: &str, body: &B) -> Result<R, TransportError> {
        self.requests.set(self.requests.get() + 1);
        if let Some(limit) = self.proxy_limit.get()
            && serde_json::to_vec(body).map_or(0, |b| b.len()) > limit
        {
            return Err(TransportError::from_answer(413, None));
        }
        let base = self.url.borrow().clone();
        let res = self
            .client
            .post(format!("{base}{path}"))
            .header("x-requested-with", "helhed")
            .header("cookie", &self.cookie)
            .json(body)
            .send()
            .await
            .map_err(|_| TransportError::Offline)?;
        let status = res.status().as_u16();
        if status == 200 {
            return res.json().await.map_err(|_| TransportError::Offline);
        }
        let body: Option<ErrorBody> = res.json().await.ok();
        Err(TransportError::from_answer(status, body))
    }

    async fn send<B: Serialize, R: DeserializeOwned>(&self, path: &str, body: &B) -> Result<R, TransportError> {
        let fault = self.faults.borrow_mut().pop_front().flatten();
        match fault {
            None => self.send_once(path, body).await,
            Some(Fault::DropRequest) => Err(TransportError::Offline),
            Some(Fault::LoseResponse) => {
                let _ = self.send_once::<B, R>(path, body).await;
                Err(TransportError::Offline)
            }
            Some(Fault::Duplicate) => {
                let (a, b) = futures::join!(self.send_once::<B, R>(path, body), self.send_once::<B, R>(path, body));
                a.or(b)
            }
        }
    }
}

impl Transport for HttpTransport {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        self.send("/api/sync/push", request).await
    }

    async fn pull(&self, request: &PullRequest) -> Result<PullResponse, TransportError> {
        self.send("/api/sync/pull", request).await
    }
}

/// A phone: its local database and its connection.
pub struct Phone {
    pub db: LocalDb<MemoryKv>,
    pub net: HttpTransport,
    pub user: shared::UserId,
}

pub fn now() -> Timestamp {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_millis();
    Timestamp::from_millis(ms as i64)
}

impl Phone {
    pub async fn new(server: &TestServer, username: &str) -> Phone {
        let net = HttpTransport::login(server.url(), username).await;
        let user: String = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_one(&server.db.pool)
            .await
            .expect("user");
        let user = user.parse().expect("uuid");
        let db = LocalDb::open(MemoryKv::new(), ClientId::from_uuid(Uuid::now_v7())).await.expect("open");
        db.set_user(user, ClientId::from_uuid(Uuid::now_v7())).await.expect("user");
        Phone { db, net, user }
    }

    pub async fn act(&self, body: MutationBody) -> u64 {
        self.db.act(body, now()).await.expect("local write")
    }

    pub async fn sync(&self) -> Result<Report, SyncError> {
        engine::sync_once(&self.db, &self.net, now, &|_, _| {}).await
    }

    /// Syncs until a run succeeds (faults may still be queued).
    pub async fn sync_until_done(&self) -> Report {
        for _ in 0..20 {
            if let Ok(report) = self.sync().await {
                return report;
            }
        }
        panic!("sync never succeeded");
    }
}
