//! `GET /api/v1/operators` and `POST /api/v1/audit`: the office's operator accounts for the
//! device, and the device's audit lines for the Ambito.

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::{Extension, Json};
use porta_wire::protocol::{AUDIT_PUSH_MAX_LINES, AuditPush, AuditPushResponse, OperatorsResponse, PROTOCOL_VERSION};

use crate::ServerState;
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::storage::AuditError;

/// The operator accounts of the device's office.
#[utoipa::path(get, path = "/api/v1/operators", tag = "operators", security(("device" = [], "timestamp" = [], "nonce" = [], "signature" = [])),
    responses(
        (status = 200, body = OperatorsResponse),
        crate::openapi::SignedRequestErrors,
    ))]
pub(crate) async fn operators(
    State(state): State<ServerState>,
    Extension(Authenticated(device)): Extension<Authenticated>,
) -> Result<Json<OperatorsResponse>, ApiError> {
    let storage = state.storage.clone();
    let now = state.clock.now_ms();
    let random = state.random.clone();
    let operators =
        tokio::task::spawn_blocking(move || crate::operators::accounts_of(&*storage, &device.office, now, &*random))
            .await
            .map_err(|_| ApiError::Storage)?
            .map_err(|_| ApiError::Storage)?;
    Ok(Json(OperatorsResponse { operators }))
}

/// Stores the device's audit lines.
#[utoipa::path(post, path = "/api/v1/audit", tag = "operators", request_body = AuditPush, security(("device" = [], "timestamp" = [], "nonce" = [], "signature" = [])),
    responses(
        (status = 200, body = AuditPushResponse),
        crate::openapi::SignedRequestErrors,
    ))]
pub(crate) async fn audit(
    State(state): State<ServerState>,
    Extension(Authenticated(device)): Extension<Authenticated>,
    request: Result<Json<AuditPush>, JsonRejection>,
) -> Result<Json<AuditPushResponse>, ApiError> {
    let Json(request) = request.map_err(ApiError::from)?;
    if request.protocol != PROTOCOL_VERSION {
        return Err(ApiError::UnsupportedProtocol);
    }
    if request.lines.len() > AUDIT_PUSH_MAX_LINES {
        return Err(ApiError::PayloadTooLarge);
    }
    if !request.lines.iter().all(porta_wire::protocol::AuditLine::is_well_formed) {
        return Err(ApiError::MalformedRequest);
    }
    let mut lines = request.lines;
    lines.sort_by_key(|line| line.seq);
    let storage = state.storage.clone();
    let stored = tokio::task::spawn_blocking(move || storage.push_audit(device.id, &device.office, &lines))
        .await
        .map_err(|_| ApiError::Storage)?
        .map_err(|error| match error {
            AuditError::Gap { expected } => ApiError::SequenceGap { expected },
            AuditError::Storage(_) => ApiError::Storage,
        })?;
    if !stored.refused.is_empty() {
        tracing::info!(device = %device.id, refused = stored.refused.len(), "audit lines about another office's folders refused");
    }
    Ok(Json(AuditPushResponse { acknowledged: stored.acknowledged, refused: stored.refused }))
}
