//! `POST /api/v1/push` and `GET /api/v1/pull`: the sync protocol (see
//! `porta::sync::protocol`). Until device enrollment exists the device names itself in the
//! request; authentication comes with enrollment.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, State};
use porta::clock::{Clock, SystemClock};
use porta::hlc::MAX_DRIFT_MS;
use porta::store::SCHEMA_VERSION;
use porta::store::change_log::ChangeEntry;
use porta::sync::protocol::{
    PROTOCOL_VERSION, PULL_MAX_BYTES, PULL_MAX_ENTRIES, PUSH_MAX_ENTRIES, PullResponse, PushRequest, PushResponse,
    Rejection, RejectionCode,
};
use serde::Deserialize;

use crate::AppState;
use crate::error::ApiError;
use crate::storage::{Incoming, StorageError};

/// Reads one pushed entry: its sequence number, and the entry or why it is refused.
fn read_entry(device: uuid::Uuid, raw: serde_json::Value) -> Result<Incoming, ApiError> {
    let seq =
        raw.get("seq").and_then(serde_json::Value::as_u64).filter(|seq| *seq > 0).ok_or(ApiError::MalformedRequest)?;
    let reject = |code| Ok((seq, Err(Rejection { seq, code })));
    let Ok(entry) = serde_json::from_value::<ChangeEntry>(raw) else { return reject(RejectionCode::InvalidEntry) };
    if entry.device_id != device {
        return reject(RejectionCode::WrongDevice);
    }
    if entry.schema_version > SCHEMA_VERSION {
        return reject(RejectionCode::UnknownSchema);
    }
    Ok((seq, Ok(entry)))
}

pub(crate) async fn push(
    State(state): State<AppState>,
    request: Result<Json<PushRequest>, JsonRejection>,
) -> Result<Json<PushResponse>, ApiError> {
    let Json(request) = request.map_err(ApiError::from)?;
    if request.protocol != PROTOCOL_VERSION {
        return Err(ApiError::UnsupportedProtocol);
    }
    if request.entries.len() > PUSH_MAX_ENTRIES {
        return Err(ApiError::PayloadTooLarge);
    }
    let device = request.device_id;
    let mut incoming = request.entries.into_iter().map(|raw| read_entry(device, raw)).collect::<Result<Vec<_>, _>>()?;
    incoming.sort_by_key(|(seq, _)| *seq);
    // A clock set in the future would make this device's writes win every merge: refuse.
    let now = SystemClock.now_ms();
    if let Some(ahead) = incoming
        .iter()
        .filter_map(|(_, entry)| entry.as_ref().ok())
        .map(|entry| entry.hlc.wall_ms.saturating_sub(now))
        .max()
        .filter(|ahead| *ahead > MAX_DRIFT_MS)
    {
        return Err(ApiError::ClockDrift { minutes: ahead / 60_000 });
    }
    let storage = state.storage.clone();
    let pushed = tokio::task::spawn_blocking(move || storage.push(device, &incoming))
        .await
        .map_err(|_| ApiError::Storage)?
        .map_err(|error| match error {
            StorageError::SequenceGap { expected } => ApiError::SequenceGap { expected },
            StorageError::Failed(reason) => {
                tracing::error!(%reason, "storage failed during a push");
                ApiError::Storage
            }
        })?;
    Ok(Json(PushResponse { acknowledged: pushed.acknowledged, rejected: pushed.rejected }))
}

/// The query of a pull.
#[derive(Debug, Deserialize)]
pub(crate) struct PullQuery {
    #[serde(default)]
    after: u64,
    limit: Option<usize>,
}

pub(crate) async fn pull(
    State(state): State<AppState>,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PullResponse>, ApiError> {
    let Query(query) = query.map_err(|_| ApiError::MalformedRequest)?;
    let limit = query.limit.unwrap_or(PULL_MAX_ENTRIES).clamp(1, PULL_MAX_ENTRIES);
    let storage = state.storage.clone();
    let page = tokio::task::spawn_blocking(move || storage.pull(query.after, limit, PULL_MAX_BYTES))
        .await
        .map_err(|_| ApiError::Storage)?
        .map_err(|error| {
            tracing::error!(%error, "storage failed during a pull");
            ApiError::Storage
        })?;
    Ok(Json(PullResponse { entries: page.entries, cursor: page.cursor, more: page.more }))
}
