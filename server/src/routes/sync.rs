//! `POST /api/v1/push`, `GET /api/v1/pull` and `GET /api/v1/snapshot`: the sync protocol (see
//! `porta_wire::protocol`), for devices the `auth` middleware has authenticated.

use std::collections::HashMap;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use porta_wire::SCHEMA_VERSION;
use porta_wire::change::ChangeEntry;
use porta_wire::folder::directory::DIRECTORY_FOLDER;
use porta_wire::folder::field_check::{check_field, marks_health_restricted};
use porta_wire::health_key::{HealthKey, is_sealed};
use porta_wire::hlc::MAX_DRIFT_MS;
use porta_wire::protocol::{
    PROTOCOL_VERSION, PULL_MAX_BYTES, PULL_MAX_ENTRIES, PUSH_MAX_ENTRIES, PullResponse, PushRequest, PushResponse,
    Rejection, RejectionCode, SnapshotResponse,
};
use porta_wire::role::{Permission, Role};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::ServerState;
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::storage::{Incoming, Readable, StorageError};

/// Reads one pushed entry: its sequence number, and its text (with the parsed entry, for the
/// clock check) or why it is refused. `accounts` are the roles of the office's operators.
fn read_entry(
    device: uuid::Uuid,
    accounts: &HashMap<uuid::Uuid, Role>,
    health: &HealthKey,
    raw: &RawValue,
) -> Result<(Incoming, Option<ChangeEntry>), ApiError> {
    #[derive(Deserialize)]
    struct SeqOnly {
        seq: u64,
    }
    let entry = serde_json::from_str::<ChangeEntry>(raw.get());
    let seq = match &entry {
        Ok(entry) => entry.seq,
        Err(_) => serde_json::from_str::<SeqOnly>(raw.get()).map_err(|_| ApiError::MalformedRequest)?.seq,
    };
    if seq == 0 {
        return Err(ApiError::MalformedRequest);
    }
    let reject = |code| Ok(((seq, Err(Rejection { seq, code })), None));
    let Ok(entry) = entry else { return reject(RejectionCode::InvalidEntry) };
    if entry.device_id != device {
        return reject(RejectionCode::WrongDevice);
    }
    if let Some(code) = porta_wire::protocol::inconsistency(&entry) {
        return reject(code);
    }
    if entry.schema_version == 0 || entry.schema_version > SCHEMA_VERSION {
        return reject(RejectionCode::UnknownSchema);
    }
    // A sealed value is health content: opened with the Ambito's key, it is checked like any
    // other; one that does not open is nobody's to read.
    let sealed = is_sealed(&entry.value);
    let Some(value) = health.open(entry.entity, entry.row_id, &entry.field, &entry.value) else {
        return reject(RejectionCode::InvalidValue);
    };
    // The same section types as the devices': a field rows of this kind have, a value of its type.
    if let Err(problem) = check_field(entry.entity, &entry.field, &value) {
        return reject(problem.into());
    }
    // Written by an account of the office, whose role may write it.
    let Some(role) = accounts.get(&entry.operator_id) else { return reject(RejectionCode::UnknownOperator) };
    let mut readable = Readable::new(raw.get().to_owned(), &entry);
    readable.marks_health_restricted |= sealed || marks_health_restricted(entry.entity, &entry.field, &value);
    readable.writer_may_write_health = role.may(Permission::EditHealthRestricted);
    let erasure_refused = readable.erases_folder && !role.may(Permission::EraseFolders);
    let directory_refused = entry.folder_id == DIRECTORY_FOLDER && !role.may(Permission::KeepDirectory);
    if erasure_refused || directory_refused || (readable.marks_health_restricted && !readable.writer_may_write_health) {
        return reject(RejectionCode::NotPermitted);
    }
    Ok(((seq, Ok(readable)), Some(entry)))
}

/// Stores a device's entries (see `porta_wire::protocol`).
#[utoipa::path(post, path = "/api/v1/push", tag = "sync", request_body = PushRequest, security(("device" = [], "timestamp" = [], "nonce" = [], "signature" = [])),
    responses(
        (status = 200, body = PushResponse),
        crate::openapi::SignedRequestErrors,
    ))]
pub(crate) async fn push(
    State(state): State<ServerState>,
    Extension(Authenticated(device)): Extension<Authenticated>,
    request: Result<Json<PushRequest>, JsonRejection>,
) -> Result<Json<PushResponse>, ApiError> {
    let Json(request) = request.map_err(ApiError::from)?;
    if request.device_id != device.id {
        // A device pushes its own entries only.
        return Err(ApiError::Unauthenticated);
    }
    if request.protocol != PROTOCOL_VERSION {
        return Err(ApiError::UnsupportedProtocol);
    }
    if request.entries.len() > PUSH_MAX_ENTRIES {
        return Err(ApiError::PayloadTooLarge);
    }
    let office = device.office.clone();
    let device = device.id;
    let storage = state.storage.clone();
    let of_office = office.clone();
    let random = state.random.clone();
    let (accounts, health) = tokio::task::spawn_blocking(move || {
        Ok::<_, StorageError>((storage.operators(Some(&of_office))?, storage.health_key(&*random)?))
    })
    .await
    .map_err(|_| ApiError::Storage)?
    .map_err(|_| ApiError::Storage)?;
    let accounts: HashMap<uuid::Uuid, Role> = accounts.into_iter().map(|account| (account.id, account.role)).collect();
    let mut incoming = Vec::with_capacity(request.entries.len());
    // A clock set in the future would make this device's writes win every merge: refuse.
    let now = state.clock.now_ms();
    let mut ahead = 0;
    for raw in &request.entries {
        let (entry, parsed) = read_entry(device, &accounts, &health, raw)?;
        if let Some(parsed) = parsed {
            ahead = ahead.max(parsed.hlc.wall_ms.saturating_sub(now));
        }
        incoming.push(entry);
    }
    if ahead > MAX_DRIFT_MS {
        return Err(ApiError::ClockDrift { minutes: ahead / 60_000 });
    }
    incoming.sort_by_key(|(seq, _)| *seq);
    if incoming.windows(2).any(|pair| pair[0].0 == pair[1].0) {
        // Two entries under one sequence number: which one is meant cannot be told.
        return Err(ApiError::MalformedRequest);
    }
    let storage = state.storage.clone();
    let pushed = tokio::task::spawn_blocking(move || storage.push(device, &office, &incoming))
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
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PullQuery {
    /// The cursor of the last page applied (0 at first).
    #[serde(default)]
    after: u64,
    /// At most this many entries (1 to 10,000).
    limit: Option<usize>,
}

/// Entries of the device's folders after a cursor.
#[utoipa::path(get, path = "/api/v1/pull", tag = "sync", params(PullQuery), security(("device" = [], "timestamp" = [], "nonce" = [], "signature" = [])),
    responses(
        (status = 200, body = PullResponse),
        crate::openapi::SignedRequestErrors,
    ))]
pub(crate) async fn pull(
    State(state): State<ServerState>,
    Extension(Authenticated(device)): Extension<Authenticated>,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PullResponse>, ApiError> {
    let Query(query) = query.map_err(|_| ApiError::MalformedRequest)?;
    let limit = query.limit.unwrap_or(PULL_MAX_ENTRIES).clamp(1, PULL_MAX_ENTRIES);
    let storage = state.storage.clone();
    // A device receives the folders of its office only.
    let page = tokio::task::spawn_blocking(move || {
        storage.pull(query.after, limit, PULL_MAX_BYTES, &device.office, Some(device.id))
    })
    .await
    .map_err(|_| ApiError::Storage)?
    .map_err(|error| {
        tracing::error!(%error, "storage failed during a pull");
        ApiError::Storage
    })?;
    Ok(Json(PullResponse { entries: page.entries, cursor: page.cursor, more: page.more, head: page.head }))
}

/// The query of a snapshot page.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SnapshotQuery {
    /// The last folder of the page before (none at first).
    after: Option<uuid::Uuid>,
    /// The server position the snapshot stands at, as the first page answered (0 at first).
    #[serde(default)]
    upto: u64,
}

/// A new device's start: the folders of its office as they stood at a server position, each
/// with only the entries its state needs; the device then pulls after that position.
#[utoipa::path(get, path = "/api/v1/snapshot", tag = "sync", params(SnapshotQuery), security(("device" = [], "timestamp" = [], "nonce" = [], "signature" = [])),
    responses(
        (status = 200, body = SnapshotResponse),
        crate::openapi::SignedRequestErrors,
    ))]
pub(crate) async fn snapshot(
    State(state): State<ServerState>,
    Extension(Authenticated(device)): Extension<Authenticated>,
    query: Result<Query<SnapshotQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<SnapshotResponse>, ApiError> {
    let Query(query) = query.map_err(|_| ApiError::MalformedRequest)?;
    let storage = state.storage.clone();
    let page = tokio::task::spawn_blocking(move || {
        storage.snapshot(&device.office, Some(device.id), query.after, query.upto, PULL_MAX_ENTRIES, PULL_MAX_BYTES)
    })
    .await
    .map_err(|_| ApiError::Storage)?
    .map_err(|error| {
        tracing::error!(%error, "storage failed during a snapshot");
        ApiError::Storage
    })?;
    Ok(Json(page))
}
