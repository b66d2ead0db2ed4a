//! `/api/v1/updates`: the release of Porta the Ambito's IT published for a device's platform
//! (`crate::updates`), and its installer in chunks that resume after a cut. Enrolled devices
//! only: the server answers nobody else.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use porta_wire::update::{UpdateOffer, UpdateTarget};

use crate::ServerState;
use crate::auth::Authenticated;
use crate::error::ApiError;

/// What is offered to devices of `target`: the release statement verbatim and the Ambito's
/// notes, or `null` when nothing is published.
#[utoipa::path(get, path = "/api/v1/updates/{target}", tag = "updates", security(("device" = [], "timestamp" = [], "nonce" = [], "signature" = [])),
    params(("target" = String, Path, description = "the platform: windows-x86_64-nsis or linux-x86_64-deb")),
    responses(
        (status = 200, body = Option<UpdateOffer>),
        crate::openapi::SignedRequestErrors,
    ))]
pub(crate) async fn offer(
    State(state): State<ServerState>,
    Extension(Authenticated(_device)): Extension<Authenticated>,
    Path(target): Path<String>,
) -> Result<Json<Option<UpdateOffer>>, ApiError> {
    let target: UpdateTarget = target.parse().map_err(|_| ApiError::MalformedRequest)?;
    let Some(shelf) = state.updates.clone() else { return Ok(Json(None)) };
    tokio::task::spawn_blocking(move || shelf.offer(target))
        .await
        .map_err(|_| ApiError::Storage)?
        .map_err(|_| ApiError::Storage)
        .map(Json)
}

/// One chunk of an offered installer (`porta_wire::protocol::SCAN_CHUNK_BYTES` long but the last).
#[utoipa::path(get, path = "/api/v1/update-files/{sha256}/{index}", tag = "updates", security(("device" = [], "timestamp" = [], "nonce" = [], "signature" = [])),
    params(("sha256" = String, Path, description = "the installer's SHA-256, lower-case hex"), ("index" = u32, Path, description = "the chunk's index from 0")),
    responses(
        (status = 200, content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "no offered installer has this chunk", body = porta_wire::ErrorPayload),
        crate::openapi::SignedRequestErrors,
    ))]
pub(crate) async fn chunk(
    State(state): State<ServerState>,
    Extension(Authenticated(_device)): Extension<Authenticated>,
    Path((sha256, index)): Path<(String, u32)>,
) -> Result<impl IntoResponse, ApiError> {
    let sha256 = super::scans::checked(&sha256)?;
    let shelf = state.updates.clone().ok_or(ApiError::NotFound)?;
    let bytes = tokio::task::spawn_blocking(move || shelf.chunk(&sha256, index))
        .await
        .map_err(|_| ApiError::Storage)?
        .map_err(|_| ApiError::Storage)?
        .ok_or(ApiError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes))
}
