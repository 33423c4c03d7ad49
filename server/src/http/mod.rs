//! The HTTP surface: one module per resource, each with its own `router()`,
//! merged here; the PWA is served for everything outside `/api`.
//!
//! Here too: `ApiJson` (the JSON extractor whose refusals name the field,
//! through `crate::json`), `Params` (query parameters; a refusal names the
//! parameter), the CSRF check (`X-Requested-With` on every state-changing
//! request), the 1 MiB body limit (`BODY_LIMIT`) and `Cache-Control: no-store`
//! on every answer. Handlers validate, open a transaction, call `db`, commit,
//! respond. Every route, who may call it and its answers: `docs/http-api.md`.

pub mod access;
pub mod admin;
pub mod citizens;
pub mod committee;
pub mod conflicts;
pub mod courses;
pub mod exchange;
pub mod figures;
pub mod forum;
pub mod grants;
pub mod health;
pub mod offers;
pub mod plans;
pub mod reports;
pub mod reviews;
pub mod session;
pub mod sync;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Router, routing};
use serde::de::DeserializeOwned;
use shared::api::CSRF_HEADER;
use shared::{Localized, Problem, ValidationError};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::error::ApiError;
use crate::json::{from_str, parse_json};
use crate::state::AppState;

/// The largest request body accepted (a sync push of 100 visits with long
/// notes fits with room to spare).
pub const BODY_LIMIT: usize = 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(health::router())
        .merge(session::router())
        .merge(admin::router())
        .merge(access::router())
        .merge(exchange::router())
        .merge(citizens::router())
        .merge(committee::router())
        .merge(forum::router())
        .merge(conflicts::router())
        .merge(courses::router())
        .merge(figures::router())
        .merge(grants::router())
        .merge(offers::router())
        .merge(plans::router())
        .merge(reports::router())
        .merge(reviews::router())
        .merge(sync::router())
        .fallback(routing::any(|| async { ApiError::NotFound }))
        .layer(middleware::from_fn_with_state(state.clone(), crate::auth::renew_cookie))
        .layer(middleware::from_fn(require_csrf_header))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    Router::new()
        .nest("/api", api)
        .fallback(crate::site::serve)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Refuses state-changing requests without `X-Requested-With`. A cross-site
/// form cannot set a custom header, and a cross-site script cannot either
/// without a CORS preflight this server never approves.
/// The id in a request's path, read as `T`: 422 `field` `invalid_format`
/// otherwise.
pub fn path_id<T: std::str::FromStr>(raw: &str, field: &'static str) -> Result<T, ApiError> {
    raw.parse().map_err(|_| ApiError::Validation(vec![ValidationError::new(field, Problem::InvalidFormat)]))
}

/// `bytes` as a download named `file_name` (ASCII): Danish CSV, UTF-8.
pub fn csv_attachment(bytes: Vec<u8>, file_name: &str) -> Result<Response, ApiError> {
    attachment(bytes, "text/csv; charset=utf-8", file_name)
}

/// `bytes` as a download of `content_type` named `file_name`.
pub fn attachment(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Result<Response, ApiError> {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
            .map_err(|e| ApiError::Internal(e.into()))?,
    );
    Ok(response)
}

async fn require_csrf_header(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !request.headers().contains_key(CSRF_HEADER) {
        return ApiError::MissingCsrfHeader.into_response();
    }
    next.run(request).await
}

/// A request body sent as `application/json`, not yet parsed (for handlers
/// that read it piece by piece, like a sync push).
pub struct JsonBytes(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonBytes {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest {
                    code: "unreadable_body",
                    message: Localized::new("Forespørgslen kunne ikke læses.", "The request body could not be read."),
                }
            }
        })?;
        Ok(JsonBytes(bytes))
    }
}

/// A JSON body whose refusals are [`ApiError`]s naming the field.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JsonBytes(bytes) = JsonBytes::from_request(req, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// A request's query parameters, read one by one so a refusal names the
/// parameter (a missing one is `required`, a bad one keeps its type's code).
pub struct Params(std::collections::HashMap<String, String>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let map = axum::extract::Query::<std::collections::HashMap<String, String>>::try_from_uri(&parts.uri).map_err(
            |_| ApiError::BadRequest {
                code: "malformed_query",
                message: Localized::new(
                    format!("Forespørgslens parametre kan ikke læses: {query}"),
                    format!("The query parameters cannot be read: {query}"),
                ),
            },
        )?;
        Ok(Params(map.0))
    }
}

impl Params {
    /// The parameter `field` if given (and not empty).
    pub fn optional<T: DeserializeOwned>(&self, field: &'static str) -> Result<Option<T>, ApiError> {
        match self.0.get(field) {
            Some(v) if !v.is_empty() => self.get(field).map(Some),
            _ => Ok(None),
        }
    }

    /// The parameter `field`, read as its JSON string would be.
    pub fn get<T: DeserializeOwned>(&self, field: &'static str) -> Result<T, ApiError> {
        let value = self.0.get(field).ok_or_else(|| ValidationError::new(field, Problem::Required))?;
        let json = serde_json::to_string(value).map_err(|e| ApiError::Internal(e.into()))?;
        from_str::<T>(&json).map_err(|e| ApiError::Validation(vec![e.at(field)]))
    }
}
