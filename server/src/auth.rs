//! Session tokens and the `CurrentUser` extractor.
//!
//! The cookie holds 32 random bytes (hex); the database holds their SHA-256.
//! Sessions slide: the first use on a new day extends the session to 30 days
//! from then, and the answer to that request carries the cookie again with a
//! fresh `Max-Age` ([`renew_cookie`]), so the browser keeps it as long as the
//! server does (issue 12, kind 7). Other requests send no cookie.
//!
//! `CurrentUser` also enforces two account states: a deactivated user's session
//! answers 401 `account_deactivated` to everything but `POST /api/sync/push`
//! (the phone hands in what waits, then wipes itself), and a user with a
//! temporary password gets 403 `password_change_required` from everything but
//! `/api/me`, `/api/me/password` and `/api/session`.

use std::sync::{Arc, Mutex};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use rand::RngCore;
use sha2::{Digest, Sha256};
use shared::user::Role;
use shared::{Timestamp, UserId};

use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

pub const COOKIE_NAME: &str = "helhed_session";
/// A session lives 30 days from its last use: a field worker may be offline
/// for a long weekend and more without being logged out.
pub const SESSION_DAYS: i64 = 30;

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn session_expiry(now: Timestamp) -> Timestamp {
    now.add_minutes(SESSION_DAYS * 24 * 60)
}

/// The `Set-Cookie` value that stores `token`.
pub fn session_cookie(token: &str, secure: bool) -> String {
    let max_age = SESSION_DAYS * 24 * 60 * 60;
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

/// Where the [`CurrentUser`] extractor leaves the token of a session it has
/// just extended, for [`renew_cookie`] to send back once the handler is done.
#[derive(Debug, Clone, Default)]
struct Renewal(Arc<Mutex<Option<String>>>);

impl Renewal {
    fn set(&self, token: String) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(token);
        }
    }

    fn take(&self) -> Option<String> {
        self.0.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// Middleware: when the request extended its session, the response sets the
/// session cookie again (same token and attributes, `Max-Age` of 30 days
/// from now), so the browser's copy lives as long as the session. A response
/// that sets the cookie itself (login, logout) is left as it is.
pub async fn renew_cookie(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let renewal = Renewal::default();
    request.extensions_mut().insert(renewal.clone());
    let mut response = next.run(request).await;
    if let Some(token) = renewal.take()
        && !response.headers().contains_key(header::SET_COOKIE)
    {
        match HeaderValue::from_str(&session_cookie(&token, state.secure_cookies)) {
            Ok(value) => {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            Err(e) => tracing::error!(error = %e, "session cookie is no header value"),
        }
    }
    response
}

/// The session token from the request's cookies, if any.
pub fn token_from(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == COOKIE_NAME && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// The logged-in user of a request. Extracting it answers 401 when there is
/// no live session of an active user.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: UserId,
    pub roles: Vec<Role>,
    pub token_hash: String,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn viewer(&self) -> db::citizens::Viewer {
        db::citizens::Viewer { user: self.id, roles: self.roles.clone() }
    }
}

/// The one thing a deactivated user's session still does.
const PUSH_PATH: &str = "/api/sync/push";

/// What a user with a temporary password may do.
const ALLOWED_BEFORE_PASSWORD_CHANGE: [&str; 3] = ["/api/me", "/api/me/password", "/api/session"];

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = token_from(parts).ok_or(ApiError::Unauthenticated)?;
        let hash = token_hash(&token);
        let now = state.clock.now();
        let mut conn = state.db.acquire().await?;
        let found = db::sessions::find(&mut conn, &hash, now).await?.ok_or(ApiError::Unauthenticated)?;
        if found.expires.as_millis() - now.as_millis() < (SESSION_DAYS - 1) * 24 * 60 * 60 * 1000 {
            db::sessions::extend(&mut conn, &hash, session_expiry(now)).await?;
            // The browser must hear of it too, or it drops the cookie 30
            // days after login however often the session was used.
            if let Some(renewal) = parts.extensions.get::<Renewal>() {
                renewal.set(token.clone());
            }
        }
        // With a temporary password, only who-am-I, logging out and choosing
        // a password work.
        // (A nested router sees its own part of the path; the original is kept.)
        let path = parts.extensions.get::<axum::extract::OriginalUri>().map_or(parts.uri.path(), |o| o.0.path());
        // A deactivated user's phone may still hand in what it has waiting;
        // everything else answers "deactivated", and the pull that answers
        // it tells the phone to wipe itself (after its push went through).
        if !found.active && path != PUSH_PATH {
            return Err(ApiError::Deactivated);
        }
        if found.must_change_password && !ALLOWED_BEFORE_PASSWORD_CHANGE.contains(&path) {
            return Err(ApiError::PasswordChangeRequired);
        }
        let roles = db::users::roles_of(&mut conn, found.user).await?;
        Ok(CurrentUser { id: found.user, roles, token_hash: hash })
    }
}
