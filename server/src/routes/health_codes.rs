//! `POST /api/v1/health-codes`: a block of STP or ENI progressive numbers for the device
//! (see `porta_wire::protocol::HealthCodeBlockRequest`).

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::{Extension, Json};
use porta_wire::protocol::{HealthCodeBlock, HealthCodeBlockRequest, MAX_HEALTH_CODE_BLOCK, PROTOCOL_VERSION};

use crate::ServerState;
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::storage::ReserveError;

/// Reserves a block of STP or ENI progressive numbers for the device.
#[utoipa::path(post, path = "/api/v1/health-codes", tag = "sync", request_body = HealthCodeBlockRequest, security(("device" = [], "timestamp" = [], "nonce" = [], "signature" = [])),
    responses(
        (status = 200, body = HealthCodeBlock),
        crate::openapi::SignedRequestErrors,
    ))]
pub(crate) async fn reserve(
    State(state): State<ServerState>,
    Extension(Authenticated(device)): Extension<Authenticated>,
    request: Result<Json<HealthCodeBlockRequest>, JsonRejection>,
) -> Result<Json<HealthCodeBlock>, ApiError> {
    let Json(request) = request.map_err(ApiError::from)?;
    if request.protocol != PROTOCOL_VERSION {
        return Err(ApiError::UnsupportedProtocol);
    }
    if !(1..=MAX_HEALTH_CODE_BLOCK).contains(&request.count) {
        return Err(ApiError::MalformedRequest);
    }
    let storage = state.storage.clone();
    let now = state.clock.now_ms();
    let block =
        tokio::task::spawn_blocking(move || storage.reserve_health_codes(request.kind, device.id, request.count, now))
            .await
            .map_err(|_| ApiError::Storage)?
            .map_err(|error| match error {
                ReserveError::NotConfigured => ApiError::HealthCodesNotConfigured,
                ReserveError::Exhausted => ApiError::HealthCodesExhausted,
                ReserveError::Storage(_) => ApiError::Storage,
            })?;
    tracing::info!(device = %device.id, kind = block.kind.as_str(), first = block.first, last = block.last, "health-code numbers reserved");
    Ok(Json(block))
}
