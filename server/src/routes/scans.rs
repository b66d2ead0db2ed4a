//! `/api/v1/scans`: scanned documents travel apart from entries, by their SHA-256, in
//! chunks that resume after a cut (see `porta_wire::protocol::SCAN_CHUNK_BYTES`). A scan is
//! an office's to send and fetch only when an attachment of one of its folders names it.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use porta_wire::protocol::ScanStatus;
use serde::Deserialize;

use crate::ServerState;
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::storage::ScanError;

/// A SHA-256 as the protocol writes it: 64 lower-case hex digits.
pub(crate) fn checked(sha256: &str) -> Result<String, ApiError> {
    let well_formed = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if well_formed { Ok(sha256.to_owned()) } else { Err(ApiError::MalformedRequest) }
}

/// What the server holds of a scan the device's office may see.
#[utoipa::path(get, path = "/api/v1/scans/{sha256}", tag = "scans", security(("device" = [], "timestamp" = [], "nonce" = [], "signature" = [])),
    params(("sha256" = String, Path, description = "the scan's SHA-256, lower-case hex")),
    responses(
        (status = 200, body = ScanStatus),
        crate::openapi::SignedRequestErrors,
    ))]
pub(crate) async fn status(
    State(state): State<ServerState>,
    Extension(Authenticated(device)): Extension<Authenticated>,
    Path(sha256): Path<String>,
) -> Result<Json<ScanStatus>, ApiError> {
    let sha256 = checked(&sha256)?;
    let storage = state.storage.clone();
    tokio::task::spawn_blocking(move || storage.scan_status(&device.office, &sha256))
        .await
        .map_err(|_| ApiError::Storage)?
        .map_err(|_| ApiError::Storage)?
        .map(Json)
        .ok_or(ApiError::OutOfScope)
}

/// The size a chunk belongs to.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(crate) struct ChunkOf {
    /// The whole scan's size in bytes.
    size: u64,
}

/// Stores one chunk of a scan; the answer says what the server now holds of it.
#[utoipa::path(put, path = "/api/v1/scans/{sha256}/{index}", tag = "scans", request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    security(("device" = [], "timestamp" = [], "nonce" = [], "signature" = [])),
    params(("sha256" = String, Path, description = "the scan's SHA-256, lower-case hex"), ("index" = u32, Path, description = "the chunk's index from 0"), ChunkOf),
    responses(
        (status = 200, body = ScanStatus),
        crate::openapi::SignedRequestErrors,
    ))]
pub(crate) async fn put_chunk(
    State(state): State<ServerState>,
    Extension(Authenticated(device)): Extension<Authenticated>,
    Path((sha256, index)): Path<(String, u32)>,
    Query(chunk): Query<ChunkOf>,
    bytes: Bytes,
) -> Result<Json<ScanStatus>, ApiError> {
    let sha256 = checked(&sha256)?;
    let storage = state.storage.clone();
    let stored = tokio::task::spawn_blocking(move || {
        storage.put_scan_chunk(device.id, &device.office, &sha256, chunk.size, index, &bytes)
    })
    .await
    .map_err(|_| ApiError::Storage)?
    .map_err(|error| match error {
        ScanError::NotTheOffices => ApiError::OutOfScope,
        ScanError::Malformed => ApiError::MalformedRequest,
        ScanError::TooLarge => ApiError::PayloadTooLarge,
        ScanError::QuotaReached => ApiError::ScanQuotaReached,
        ScanError::Damaged => ApiError::ScanDamaged,
        ScanError::Storage(_) => ApiError::Storage,
    })?;
    Ok(Json(stored))
}

/// One chunk of a whole scan.
#[utoipa::path(get, path = "/api/v1/scans/{sha256}/{index}", tag = "scans", security(("device" = [], "timestamp" = [], "nonce" = [], "signature" = [])),
    params(("sha256" = String, Path, description = "the scan's SHA-256, lower-case hex"), ("index" = u32, Path, description = "the chunk's index from 0")),
    responses(
        (status = 200, content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "no such chunk of a whole scan", body = porta_wire::ErrorPayload),
        crate::openapi::SignedRequestErrors,
    ))]
pub(crate) async fn chunk(
    State(state): State<ServerState>,
    Extension(Authenticated(device)): Extension<Authenticated>,
    Path((sha256, index)): Path<(String, u32)>,
) -> Result<impl IntoResponse, ApiError> {
    let sha256 = checked(&sha256)?;
    let storage = state.storage.clone();
    let bytes = tokio::task::spawn_blocking(move || storage.scan_chunk(&device.office, &sha256, index))
        .await
        .map_err(|_| ApiError::Storage)?
        .map_err(|_| ApiError::Storage)?
        .ok_or(ApiError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes))
}
