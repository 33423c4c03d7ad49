//! The engine's network in the browser: `fetch` to the same origin, with
//! the session cookie and the CSRF header.

use gloo_net::http::Request;
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::ErrorBody;
use shared::api::{CSRF_HEADER, CSRF_VALUE};
use shared::sync::{PullRequest, PullResponse, PushRequest, PushResponse};

use super::engine::{Transport, TransportError};

#[derive(Debug, Clone, Copy, Default)]
pub struct FetchTransport;

async fn post<B: Serialize, R: DeserializeOwned>(path: &str, body: &B) -> Result<R, TransportError> {
    let request =
        Request::post(path).header(CSRF_HEADER, CSRF_VALUE).json(body).map_err(|_| TransportError::Offline)?;
    let response = crate::network::send(request).await.ok_or(TransportError::Offline)?;
    let status = response.status();
    if status == 200 {
        // A body cut off mid-way is a dropped connection.
        return response.json().await.map_err(|_| TransportError::Offline);
    }
    let body: Option<ErrorBody> = response.json().await.ok();
    Err(TransportError::from_answer(status, body))
}

impl Transport for FetchTransport {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        post("/api/sync/push", request).await
    }

    async fn pull(&self, request: &PullRequest) -> Result<PullResponse, TransportError> {
        post("/api/sync/pull", request).await
    }
}
