//! Logging in and out, and who is logged in.
//!
//! Throttling (issue 12, kind 9): a login attempt is counted before its
//! password is checked. `db::users::admit_login` decides and records it in a
//! write transaction of its own, serialised per username (SQLite's one writer;
//! a PostgreSQL advisory lock on the username), committed before the hash. So
//! however many guesses arrive at once, at most 5 per username per 15 minutes
//! are ever checked, and the right password among the rest gets 429 like any
//! other. An attempt refused 503 (no hashing thread free, `crate::password`) is
//! withdrawn, not counted; a success clears the count.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use shared::admin::ChangePasswordRequest;
use shared::api::{CreateSessionRequest, MeResponse};
use shared::{Problem, ValidationError};

use crate::auth::{self, CurrentUser};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::http::ApiJson;
use crate::password;
use crate::state::AppState;

/// This many attempts (failed, or still being checked) for one username
/// within the window lock it.
pub const MAX_FAILURES: usize = 5;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session", post(session_create).delete(session_delete))
        .route("/me", get(me_get))
        .route("/me/password", post(password_post))
}

/// Logs in. Throttling (issue 12, kind 9): an attempt is counted before
/// its password is checked, so of any number of guesses sent at once for one
/// username at most [`MAX_FAILURES`] per [`FAILURE_WINDOW_MINUTES`] are ever
/// checked; the rest get 429 with `Retry-After`, the right password among
/// them too. A check that finds no free hashing slot answers 503 with
/// `Retry-After` and does not count.
async fn session_create(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<CreateSessionRequest>,
) -> ApiResult<Response> {
    let now = state.clock.now();
    let window_start = now.add_minutes(-FAILURE_WINDOW_MINUTES);

    let admission = db::users::admit_login(&state.db, &req.username, now, window_start, MAX_FAILURES).await?;
    if let db::users::Admission::Throttled { oldest } = admission {
        // Locked until the oldest of the attempts leaves the window.
        let unlock_ms = oldest + FAILURE_WINDOW_MINUTES * 60_000 - now.as_millis();
        let retry_after_secs = (unlock_ms.max(1000) as u64).div_ceil(1000);
        tracing::warn!(username = %req.username, "login throttled");
        return Err(ApiError::TooManyAttempts { retry_after_secs });
    }

    // The check runs to its end even if the phone goes away meanwhile (a
    // dropped connection): otherwise its attempt would stay counted as a
    // failure, though the password may have been right.
    let checked = tokio::spawn(check_login(state.clone(), req, now));
    let (token, me) = checked.await.map_err(|e| ApiError::Internal(e.into()))??;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, cookie_header(&auth::session_cookie(&token, state.secure_cookies))?);
    Ok((StatusCode::CREATED, headers, Json(me)).into_response())
}

/// Checks an admitted login attempt's password and, when it is right, opens
/// a session: the token and who logged in. Runs as a task of its own.
async fn check_login(
    state: AppState,
    req: CreateSessionRequest,
    now: shared::Timestamp,
) -> ApiResult<(String, MeResponse)> {
    let mut conn = state.db.acquire().await?;
    let found = db::users::find_for_login(&mut conn, &req.username).await?;
    let stored = found.as_ref().map(|f| f.password_hash.clone());
    // Hashing takes a while: do not hold a pooled connection meanwhile.
    drop(conn);
    let matches = match password::verify(req.password.expose().to_owned(), stored).await {
        Ok(matches) => matches,
        Err(e) => {
            // Never checked: not a failure.
            db::users::withdraw_attempt(&state.db, &req.username, now).await?;
            return Err(e.into());
        }
    };
    let mut conn = state.db.acquire().await?;
    let user = match found {
        Some(user) if matches && user.active => user,
        _ => {
            // The attempt is already recorded as a failure.
            tracing::info!(username = %req.username, "failed login");
            return Err(ApiError::InvalidCredentials);
        }
    };

    db::users::clear_failures(&mut conn, &req.username).await?;
    let token = auth::new_token();
    db::sessions::create(&mut conn, &auth::token_hash(&token), user.id, now, auth::session_expiry(now)).await?;
    let me = load_me(&mut conn, user.id).await?;
    tracing::info!(user = %user.id, "logged in");

    Ok((token, me))
}

async fn session_delete(State(state): State<AppState>, parts: axum::http::request::Parts) -> ApiResult<Response> {
    if let Some(token) = auth::token_from(&parts) {
        let mut conn = state.db.acquire().await?;
        db::sessions::delete(&mut conn, &auth::token_hash(&token)).await?;
    }
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, cookie_header(&auth::clear_cookie(state.secure_cookies))?);
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

async fn me_get(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<MeResponse>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(load_me(&mut conn, user.id).await?))
}

async fn load_me(conn: &mut crate::db::Conn, user: shared::UserId) -> ApiResult<MeResponse> {
    let (name, username, roles) = db::users::profile(conn, user).await?.ok_or(ApiError::Unauthenticated)?;
    let teams = db::org::teams_of(conn, user).await?;
    let must_change_password = db::admin::password_of(conn, user).await?.is_some_and(|(_, must)| must);
    Ok(MeResponse { id: user, name, username, roles, teams, must_change_password })
}

fn cookie_header(value: &str) -> ApiResult<HeaderValue> {
    HeaderValue::from_str(value).map_err(|e| ApiError::Internal(e.into()))
}

/// The user's own new password: after a temporary one, or any time. The
/// current password is checked; the user's other sessions end.
async fn password_post(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(request): ApiJson<ChangePasswordRequest>,
) -> ApiResult<Json<MeResponse>> {
    let mut conn = state.db.acquire().await?;
    let stored = db::admin::password_of(&mut conn, user.id).await?.map(|(hash, _)| hash);
    if !password::verify(request.current_password.expose().to_owned(), stored).await? {
        return Err(ValidationError::new("current_password", Problem::UnknownValue).into());
    }
    if request.new_password.expose() == request.current_password.expose() {
        return Err(ValidationError::new("new_password", Problem::Taken).into());
    }
    let hash = password::hash(request.new_password.expose().to_owned()).await?;
    db::admin::set_own_password(&mut conn, user.id, &hash, &user.token_hash).await?;
    tracing::info!(user = %user.id, "changed own password");
    Ok(Json(load_me(&mut conn, user.id).await?))
}
