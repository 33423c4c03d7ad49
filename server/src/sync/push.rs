//! `POST /api/sync/push`: apply a phone's mutations exactly once, in order.
//!
//! One write transaction per push. Inside it: the client row is created or
//! found and locked (two pushes of one client take turns); replays are
//! answered from stored results; a gap is refused with the expected id; the
//! new mutations are read, decided in order and written as one batch
//! ([`Batch`]), and the results and the client's `last_mutation_id` are
//! written in the same transaction. A domain refusal
//! advances the counter (the payload is kept); an infrastructure error rolls
//! everything back and advances nothing.

use serde::Deserialize;
use serde_json::value::RawValue;
use shared::access::AccessPurpose;
use shared::sync::{MAX_PUSH_MUTATIONS, Mutation, MutationBody, MutationResult, Outcome, PushResponse};
use shared::{ClientId, Problem, ValidationError};

use crate::auth::CurrentUser;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::json::from_str;
use crate::state::AppState;
use crate::sync::apply::{self, ApplyError, Batch};

/// The request as first read: each mutation stays raw JSON text until its
/// turn, so one that does not even parse is rejected on its own instead of
/// blocking the queue forever, and its text is kept exactly as sent.
#[derive(Deserialize)]
struct RawPush<'a> {
    client_id: ClientId,
    #[serde(borrow)]
    mutations: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct MutationId {
    id: u64,
}

/// A mutation's kind, for the record, even when the rest does not parse.
#[derive(Deserialize)]
struct KindOnly<'a> {
    #[serde(borrow)]
    body: Option<BodyKind<'a>>,
}

#[derive(Deserialize)]
struct BodyKind<'a> {
    #[serde(rename = "type")]
    kind: Option<&'a str>,
}

pub async fn push(state: &AppState, user: &CurrentUser, body: &[u8]) -> ApiResult<PushResponse> {
    let raw: RawPush<'_> = crate::sync::read_body(body)?;
    if raw.mutations.len() > MAX_PUSH_MUTATIONS {
        return Err(
            ValidationError::new("mutations", Problem::OutOfRange { min: 0, max: MAX_PUSH_MUTATIONS as i64 }).into()
        );
    }
    let mut ids = Vec::with_capacity(raw.mutations.len());
    for (i, m) in raw.mutations.iter().enumerate() {
        let id =
            serde_json::from_str::<MutationId>(m.get()).ok().map(|m| m.id).filter(|id| *id > 0).ok_or_else(|| {
                ValidationError::new(format!("mutations[{i}].id"), Problem::OutOfRange { min: 1, max: i64::MAX })
            })?;
        if let Some(prev) = ids.last()
            && id != prev + 1
        {
            return Err(ValidationError::new(format!("mutations[{i}].id"), Problem::InvalidFormat).into());
        }
        ids.push(id);
    }

    // Each mutation parsed on its own, so one that does not even parse is
    // rejected alone (below).
    let parsed: Vec<(u64, &RawValue, Result<Mutation, ValidationError>)> =
        raw.mutations.iter().zip(ids.iter().copied()).map(|(text, id)| (id, *text, from_str(text.get()))).collect();

    let now = state.clock.now();
    let mut tx = state.db.begin_write().await?;
    // Take turns with approvals of the months of everyone whose visits the
    // push may write: the user, and the colleagues of the joint visits it
    // names, as named and as stored (their shares; issue 16). One call:
    // the locks are taken in id order, so two pushes never deadlock.
    let bodies: Vec<&MutationBody> = parsed.iter().filter_map(|(_, _, m)| m.as_ref().ok()).map(|m| &m.body).collect();
    let writes = apply::visits_written(&bodies);
    let mut workers = vec![user.id];
    workers.extend(writes.iter().flat_map(|(_, named)| named.iter().copied()));
    let visit_ids: Vec<_> = writes.iter().map(|(id, _)| *id).collect();
    workers.extend(db::visits::co_workers_of(&mut tx, &visit_ids).await?);
    // And the staff whose meeting visits a meeting saved may change.
    let meetings = apply::meetings_written(&bodies);
    workers.extend(meetings.iter().flat_map(|(_, present)| present.iter().copied()));
    let meeting_ids: Vec<_> = meetings.iter().map(|(id, _)| *id).collect();
    workers.extend(db::meetings::present_of(&mut tx, &meeting_ids).await?);
    db::sync::lock_workers(&mut tx, &workers).await?;
    let client = db::sync::lock_client(&mut tx, raw.client_id, user.id, now).await?;
    if client.user != user.id {
        return Err(ApiError::Forbidden);
    }
    let last = client.last_mutation_id;
    let (Some(&first), Some(&newest)) = (ids.first(), ids.last()) else {
        tx.commit().await?;
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

    // New mutations: read, decide and write as one batch.
    let fresh: Vec<(u64, &RawValue, Result<Mutation, ValidationError>)> =
        parsed.into_iter().filter(|(id, _, _)| *id > last).collect();
    let bodies: Vec<&MutationBody> = fresh.iter().filter_map(|(_, _, m)| m.as_ref().ok()).map(|m| &m.body).collect();
    let mut batch = Batch::load(&mut tx, user.id, raw.client_id, now, &bodies).await?;
    let mut processed = last;
    let mut recorded = Vec::with_capacity(fresh.len());
    // What the accepted mutations did to whose data, once per citizen and action.
    let mut accessed = std::collections::BTreeSet::new();
    for (id, text, parsed) in &fresh {
        let (kind, outcome) = match parsed {
            Err(e) => {
                let kind = serde_json::from_str::<KindOnly<'_>>(text.get()).ok().and_then(|k| k.body?.kind);
                (kind.unwrap_or("unknown"), rejected(e.clone().into()))
            }
            Ok(mutation) => (
                mutation.body.kind(),
                match (batch.access_of(&mutation.body), batch.apply(*id, &mutation.body)) {
                    (access, Ok(())) => {
                        accessed.extend(
                            access
                                .zip(mutation.body.subject())
                                .map(|((citizen, action), subject)| (citizen, action, subject)),
                        );
                        Outcome::Applied
                    }
                    (_, Err(ApplyError::Rejected(r))) => {
                        tracing::info!(client = %raw.client_id, mutation = id, code = %r.code, "mutation rejected");
                        rejected(r)
                    }
                    (_, Err(ApplyError::Internal(e))) => return Err(ApiError::Internal(e)),
                },
            ),
        };
        processed = *id;
        results.push(MutationResult { id: *id, outcome: outcome.clone() });
        recorded.push(db::sync::Processed { id: *id, kind, payload: text.get(), outcome });
    }
    db::sync::record(&mut tx, raw.client_id, user.id, &recorded, now).await?;
    db::sync::advance(&mut tx, raw.client_id, processed, now).await?;
    // Last: it stamps the change stream and holds the clock until commit.
    batch.write(&mut tx).await?;
    let entries: Vec<_> = accessed
        .into_iter()
        .map(|(citizen, action, subject)| db::access::NewEntry {
            user: user.id,
            citizen: Some(citizen),
            action,
            purpose: AccessPurpose::FieldWork,
            detail: Some(subject.code().to_owned()),
        })
        .collect();
    db::access::record(&mut tx, &entries, now).await?;
    tx.commit().await?;
    Ok(PushResponse { last_mutation_id: processed, results })
}

fn rejected(r: apply::Rejection) -> Outcome {
    Outcome::Rejected { code: r.code, message: r.message, field: r.field }
}
