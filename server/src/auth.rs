//! Every sync request is signed by an enrolled device (`porta_wire::signing`). This
//! middleware checks the signature, the time and the nonce before any handler runs, and hands
//! the handler the device it authenticated.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use porta_wire::protocol::MAX_BODY_BYTES;
use porta_wire::signing::{self, HEADER_DEVICE, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP, MAX_SKEW_MS};
use uuid::Uuid;

use crate::ServerState;
use crate::error::ApiError;
use crate::storage::{Device, DeviceStatus};

/// The device that signed the request.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Device);

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Result<&'a str, ApiError> {
    headers.get(name).and_then(|value| value.to_str().ok()).ok_or(ApiError::Unauthenticated)
}

/// Refuses the request unless an active enrolled device signed it just now, for the first time.
pub async fn authenticate(
    State(state): State<ServerState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let (mut parts, body) = request.into_parts();
    let headers = &parts.headers;
    let device_id = Uuid::try_parse(header(headers, HEADER_DEVICE)?).map_err(|_| ApiError::Unauthenticated)?;
    let timestamp: u64 = header(headers, HEADER_TIMESTAMP)?.parse().map_err(|_| ApiError::Unauthenticated)?;
    let nonce = header(headers, HEADER_NONCE)?.to_owned();
    let signature = header(headers, HEADER_SIGNATURE)?.to_owned();
    if nonce.len() != 32 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::Unauthenticated);
    }
    let body = axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(|_| ApiError::PayloadTooLarge)?;
    let storage = state.storage.clone();
    let device = tokio::task::spawn_blocking(move || storage.device(device_id))
        .await
        .map_err(|_| ApiError::Storage)?
        .map_err(|_| ApiError::Storage)?
        .ok_or(ApiError::Unauthenticated)?;
    let path = parts.uri.path_and_query().map_or(parts.uri.path(), |path| path.as_str());
    let message = signing::message(parts.method.as_str(), path, timestamp, &nonce, &body);
    if !signing::verify(&device.public_key, &message, &signature) {
        tracing::warn!(device = %device_id, "refused a request with a bad signature");
        return Err(ApiError::BadSignature);
    }
    match device.status {
        DeviceStatus::Active => {}
        DeviceStatus::Revoked => return Err(ApiError::DeviceRevoked),
        DeviceStatus::WipeOrdered => return Err(ApiError::WipeOrdered),
    }
    let now = state.clock.now_ms();
    if timestamp.abs_diff(now) > MAX_SKEW_MS {
        return Err(ApiError::StaleRequest);
    }
    if let Err(retry_after_s) = state.limiter.check(device_id, now) {
        tracing::warn!(device = %device_id, retry_after_s, "rate limited");
        return Err(ApiError::RateLimited { retry_after_s });
    }
    let storage = state.storage.clone();
    let forget_before = now.saturating_sub(2 * MAX_SKEW_MS);
    let fresh = tokio::task::spawn_blocking(move || storage.first_use_of_nonce(device_id, &nonce, now, forget_before))
        .await
        .map_err(|_| ApiError::Storage)?
        .map_err(|_| ApiError::Storage)?;
    if !fresh {
        tracing::warn!(device = %device_id, "refused a replayed request");
        return Err(ApiError::ReplayedRequest);
    }
    parts.extensions.insert(Authenticated(device));
    Ok(next.run(Request::from_parts(parts, Body::from(body))).await)
}
