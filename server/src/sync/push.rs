//! `POST /api/sync/push`: apply a phone's mutations exactly once, in order.
//!
//! One `BEGIN IMMEDIATE` transaction per push (SQLite's single writer lock
//! is taken up front, so two pushes of the same client queue up instead of
//! racing). Inside it: the client row is checked or created; replays are
//! answered from stored results; a gap is refused with the expected id; each
//! new mutation is applied, and the results and the client's
//! `last_mutation_id` are written in the same transaction. A domain refusal
//! advances the counter (the payload is kept); an infrastructure error rolls
//! everything back and advances nothing.

use serde::Deserialize;
use shared::sync::{MAX_PUSH_MUTATIONS, Mutation, MutationResult, Outcome, PushResponse};
use shared::{ClientId, Problem, ValidationError};

use crate::auth::CurrentUser;
use crate::db;
use crate::db::changes::Stamper;
use crate::error::{ApiError, ApiResult};
use crate::http::from_value;
use crate::state::AppState;
use crate::sync::apply::{self, ApplyError, Ctx};

/// The request as first read: each mutation stays raw until its turn, so one
/// that does not even parse is rejected on its own instead of blocking the
/// queue forever.
#[derive(Deserialize)]
struct RawPush {
    client_id: ClientId,
    mutations: Vec<serde_json::Value>,
}

pub async fn push(state: &AppState, user: &CurrentUser, body: serde_json::Value) -> ApiResult<PushResponse> {
    crate::sync::check_versions(&body)?;
    let raw: RawPush = from_value(body)?;
    if raw.mutations.len() > MAX_PUSH_MUTATIONS {
        return Err(
            ValidationError::new("mutations", Problem::OutOfRange { min: 0, max: MAX_PUSH_MUTATIONS as i64 }).into()
        );
    }
    let mut ids = Vec::with_capacity(raw.mutations.len());
    for (i, m) in raw.mutations.iter().enumerate() {
        let id = m.get("id").and_then(serde_json::Value::as_u64).filter(|id| *id > 0).ok_or_else(|| {
            ValidationError::new(format!("mutations[{i}].id"), Problem::OutOfRange { min: 1, max: i64::MAX })
        })?;
        if let Some(prev) = ids.last()
            && id != prev + 1
        {
            return Err(ValidationError::new(format!("mutations[{i}].id"), Problem::InvalidFormat).into());
        }
        ids.push(id);
    }

    let now = state.clock.now();
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let last = match db::sync::client(&mut tx, raw.client_id).await? {
        Some(client) if client.user != user.id => return Err(ApiError::Forbidden),
        Some(client) => client.last_mutation_id,
        None => {
            db::sync::create_client(&mut tx, raw.client_id, user.id, now).await?;
            0
        }
    };
    let (Some(&first), Some(&newest)) = (ids.first(), ids.last()) else {
        return Ok(PushResponse { last_mutation_id: last, results: Vec::new() });
    };
    if first > last + 1 {
        return Err(ApiError::MutationGap { expected: last + 1 });
    }

    // Replays: the stored answers.
    let mut results = if first <= last {
        db::sync::results(&mut tx, raw.client_id, first, last.min(newest)).await?
    } else {
        Vec::new()
    };

    let mut stamper = None;
    let mut processed = last;
    let mut recorded = Vec::new();
    let mut assigned = std::collections::HashMap::new();
    for (value, id) in raw.mutations.into_iter().zip(ids).filter(|(_, id)| *id > last) {
        let stamper = match &mut stamper {
            Some(s) => s,
            None => stamper.insert(Stamper::begin(&mut tx).await?),
        };
        let parsed: Result<Mutation, ValidationError> = from_value(value.clone());
        let outcome = match &parsed {
            Err(e) => rejected(e.clone().into()),
            Ok(mutation) => {
                let ctx = Ctx {
                    user: user.id,
                    client: raw.client_id,
                    mutation_id: id,
                    now,
                    stamper,
                    assigned: &mut assigned,
                };
                // A rejection has written nothing (see `apply`): no savepoint needed.
                match apply::apply(&mut tx, ctx, &mutation.body).await {
                    Ok(()) => Outcome::Applied,
                    Err(ApplyError::Rejected(r)) => {
                        tracing::info!(client = %raw.client_id, mutation = id, code = %r.code, "mutation rejected");
                        rejected(r)
                    }
                    Err(ApplyError::Internal(e)) => return Err(ApiError::Internal(e)),
                }
            }
        };
        processed = id;
        recorded.push((id, value, outcome.clone()));
        results.push(MutationResult { id, outcome });
    }
    db::sync::record(&mut tx, raw.client_id, user.id, &recorded, now).await?;
    db::sync::advance(&mut tx, raw.client_id, processed, now).await?;
    tx.commit().await?;
    Ok(PushResponse { last_mutation_id: processed, results })
}

fn rejected(r: apply::Rejection) -> Outcome {
    Outcome::Rejected { code: r.code, message: r.message, field: r.field }
}
