//! `POST /api/v1/stp-eni-blocks`: a block of STP or ENI progressive numbers for the device
//! (see `porta_wire::protocol::StpEniBlockRequest`).

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::{Extension, Json};
use porta_wire::protocol::{MAX_STP_ENI_BLOCK, PROTOCOL_VERSION, StpEniBlock, StpEniBlockRequest};

use crate::ServerState;
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::storage::ReserveError;

/// Reserves a block of STP or ENI progressive numbers for the device.
#[utoipa::path(post, path = "/api/v1/stp-eni-blocks", tag = "sync", request_body = StpEniBlockRequest, security(("device" = [], "timestamp" = [], "nonce" = [], "signature" = [])),
    responses(
        (status = 200, body = StpEniBlock),
        crate::openapi::SignedRequestErrors,
    ))]
pub(crate) async fn reserve(
    State(state): State<ServerState>,
    Extension(Authenticated(device)): Extension<Authenticated>,
    request: Result<Json<StpEniBlockRequest>, JsonRejection>,
) -> Result<Json<StpEniBlock>, ApiError> {
    let Json(request) = request.map_err(ApiError::from)?;
    if request.protocol != PROTOCOL_VERSION {
        return Err(ApiError::UnsupportedProtocol);
    }
    if !(1..=MAX_STP_ENI_BLOCK).contains(&request.count) {
        return Err(ApiError::MalformedRequest);
    }
    let storage = state.storage.clone();
    let now = state.clock.now_ms();
    let block = tokio::task::spawn_blocking(move || {
        storage.reserve_stp_eni_numbers(request.kind, device.id, request.count, now)
    })
    .await
    .map_err(|_| ApiError::Storage)?
    .map_err(|error| match error {
        ReserveError::NotConfigured => ApiError::StpEniNotConfigured,
        ReserveError::Exhausted => ApiError::StpEniExhausted,
        ReserveError::QuotaReached => ApiError::StpEniQuotaReached,
        ReserveError::Storage(_) => ApiError::Storage,
    })?;
    tracing::info!(device = %device.id, kind = block.kind.as_str(), first = block.first, last = block.last, "STP/ENI numbers reserved");
    Ok(Json(block))
}
