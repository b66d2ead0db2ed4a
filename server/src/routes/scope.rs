//! `GET /api/v1/scope` and `GET /api/v1/folder-entries`: folders coming into a device's
//! office (shared with it, moved to it) or leaving it, and the history of one that came in.

use axum::extract::{Query, State};
use axum::{Extension, Json};
use porta_wire::protocol::{
    PULL_MAX_BYTES, PULL_MAX_ENTRIES, PullResponse, SCOPE_MAX_CHANGES, ScopeChange, ScopeResponse,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::ServerState;
use crate::auth::Authenticated;
use crate::error::ApiError;

/// The query of a scope request.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ScopeQuery {
    /// The cursor of the last answer applied (0 at first).
    #[serde(default)]
    after: u64,
}

/// The folders that came into the device's office or left it, after a cursor.
#[utoipa::path(get, path = "/api/v1/scope", tag = "sync", params(ScopeQuery), security(("device" = [], "timestamp" = [], "nonce" = [], "signature" = [])),
    responses(
        (status = 200, body = ScopeResponse),
        crate::openapi::SignedRequestErrors,
    ))]
pub(crate) async fn scope(
    State(state): State<ServerState>,
    Extension(Authenticated(device)): Extension<Authenticated>,
    query: Result<Query<ScopeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<ScopeResponse>, ApiError> {
    let Query(query) = query.map_err(|_| ApiError::MalformedRequest)?;
    let storage = state.storage.clone();
    let mut events =
        tokio::task::spawn_blocking(move || storage.scope_events(&device.office, query.after, SCOPE_MAX_CHANGES + 1))
            .await
            .map_err(|_| ApiError::Storage)?
            .map_err(|_| ApiError::Storage)?;
    // One more than an answer carries was read, to know whether more are waiting.
    let more = events.len() > SCOPE_MAX_CHANGES;
    events.truncate(SCOPE_MAX_CHANGES);
    let cursor = events.last().map_or(query.after, |(position, _)| *position);
    let changes = events
        .into_iter()
        .map(|(_, event)| ScopeChange { folder_id: event.folder_id, in_scope: event.in_scope })
        .collect();
    Ok(Json(ScopeResponse { changes, cursor, more }))
}

/// The query of a folder's entries.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FolderEntriesQuery {
    /// The folder.
    folder: Uuid,
    /// Entries after this server position (0 at first)…
    #[serde(default)]
    after: u64,
    /// …up to this one: the device's pull cursor.
    upto: u64,
}

/// A folder's entries the device's pulls passed before its office held it.
#[utoipa::path(get, path = "/api/v1/folder-entries", tag = "sync", params(FolderEntriesQuery), security(("device" = [], "timestamp" = [], "nonce" = [], "signature" = [])),
    responses(
        (status = 200, body = PullResponse),
        crate::openapi::SignedRequestErrors,
    ))]
pub(crate) async fn folder_entries(
    State(state): State<ServerState>,
    Extension(Authenticated(device)): Extension<Authenticated>,
    query: Result<Query<FolderEntriesQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PullResponse>, ApiError> {
    let Query(query) = query.map_err(|_| ApiError::MalformedRequest)?;
    let storage = state.storage.clone();
    let page = tokio::task::spawn_blocking(move || {
        let scope = storage.folder_scope(query.folder)?;
        let held =
            scope.is_some_and(|scope| scope.owner == device.office || scope.shared_with.contains(&device.office));
        if !held {
            return Ok(None);
        }
        storage.folder_entries(query.folder, query.after, query.upto, PULL_MAX_ENTRIES, PULL_MAX_BYTES).map(Some)
    })
    .await
    .map_err(|_| ApiError::Storage)?
    .map_err(|_| ApiError::Storage)?
    .ok_or(ApiError::OutOfScope)?;
    Ok(Json(PullResponse { entries: page.entries, cursor: page.cursor, more: page.more, head: page.head }))
}
