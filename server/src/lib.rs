//! Helhed's server: the JSON API the phones sync with, and the built PWA.
//!
//! `main` is thin; [`app`] builds the whole router from an [`AppState`], so
//! tests drive it in-process or on a loopback socket with a real database.
//! The server keeps no state of its own between requests: everything is in
//! the database, so several instances can share one.
//!
//! `prepare` connects, migrates (each backend its own embedded migrations),
//! seeds the demo municipality under `--demo` and loads the site. It refuses to
//! start on a database without an active administrator (unless `--demo` seeds
//! one); `helhed-server create-admin` makes the first one (`create_admin`).
//! `serve` runs the router with graceful shutdown and, once an hour, purges
//! expired sessions and access-log entries past the retention period.

pub mod access;
pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod http;
pub mod import;
pub mod json;
pub mod password;
pub mod reports;
pub mod site;
pub mod state;
pub mod sync;

use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use tokio::net::TcpListener;

pub use clock::Clock;
pub use config::Config;
pub use state::AppState;

use crate::site::Site;

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    http::router(state)
}

/// Opens the database, applies migrations, seeds demo data when asked and
/// builds the state.
pub async fn prepare(config: &Config, clock: Clock) -> anyhow::Result<AppState> {
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    if db::review::fill_layer_spans_if_stale(&db).await? {
        tracing::info!("derived the layer table's spans anew");
    }
    if config.demo && demo::seed_if_empty(&db, clock.now()).await? {
        tracing::info!("seeded the demo municipality");
    }
    // Half-configured is not a state to serve in: without an administrator
    // nobody can set the municipality up.
    let mut conn = db.acquire().await?;
    let has_admin = db::admin::has_active_admin(&mut conn).await?;
    drop(conn);
    if !has_admin {
        anyhow::bail!(
            "the database has no active administrator, so nobody could set Helhed up. Create the first one:\n\n  \
             helhed-server create-admin --username <login> --name \"<full name>\"\n\n\
             (same --database-url; the password is read from HELHED_ADMIN_PASSWORD or standard input), \
             or start with --demo for a demo municipality"
        );
    }
    let site = Site::load(&config.site_dir)?;
    Ok(AppState { db, site: Arc::new(site), clock, secure_cookies: config.secure_cookies })
}

/// Creates an administrator with a password they chose (not temporary).
pub async fn create_admin(
    db: &db::Db,
    username: &str,
    name: &str,
    password: String,
    now: shared::Timestamp,
) -> anyhow::Result<shared::UserId> {
    let username = shared::text::Username::try_from(username).map_err(|e| anyhow::anyhow!("username: {e}"))?;
    let name = shared::text::PersonName::try_from(name).map_err(|e| anyhow::anyhow!("name: {e}"))?;
    let password = shared::admin::NewPassword::try_from(password)
        .map_err(|e| anyhow::anyhow!("{}", e.at("password").message().en))?;
    let hash = password::hash(password.expose().to_owned()).await?;
    let id = shared::UserId::from_uuid(uuid::Uuid::now_v7());
    let mut tx = db.begin_write().await?;
    if db::admin::username_taken(&mut tx, &username, id).await? {
        anyhow::bail!("username {username} is taken");
    }
    db::users::insert(
        &mut tx,
        db::users::NewUser {
            id,
            username: &username,
            name: &name,
            password_hash: &hash,
            roles: &[shared::user::Role::Admin],
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let db = state.db.clone();
    let purge = tokio::spawn(purge_sessions(state.clone()));
    axum::serve(listener, app(state)).with_graceful_shutdown(shutdown).await.context("serving")?;
    purge.abort();
    db.close().await;
    Ok(())
}

/// Once an hour: deletes expired sessions, and access-log entries older
/// than the retention period.
async fn purge_sessions(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match purge(&state).await {
            Ok((0, 0)) => {}
            Ok((sessions, entries)) => tracing::info!(sessions, entries, "purged expired sessions and log entries"),
            Err(e) => tracing::warn!(error = %e, "could not purge"),
        }
    }
}

/// Deletes expired sessions and access-log entries past retention; returns
/// how many of each.
pub async fn purge(state: &AppState) -> anyhow::Result<(u64, u64)> {
    let now = state.clock.now();
    let mut conn = state.db.acquire().await?;
    let sessions = db::sessions::purge_expired(&mut conn, now).await?;
    let retention = db::access::retention(&mut conn).await?;
    let entries = db::access::purge_before(&mut conn, access::purge_horizon(now, retention.months)).await?;
    Ok((sessions, entries))
}
