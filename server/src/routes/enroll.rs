//! `POST /api/v1/enroll`: a device joins with a one-time code (see `porta_wire::protocol`).

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use data_encoding::BASE64URL_NOPAD;
use porta_wire::ErrorPayload;
use porta_wire::enrollment_code::EnrollmentCode;
use porta_wire::protocol::{EnrollRequest, EnrollResponse, PROTOCOL_VERSION};

use crate::ServerState;
use crate::enrollment::{fingerprint, secret_hash};
use crate::error::ApiError;
use crate::storage::EnrollmentError;

/// Enrolls a device with a one-time code (the only unsigned request besides the health check).
#[utoipa::path(post, path = "/api/v1/enroll", tag = "enrollment", request_body = EnrollRequest,
    responses(
        (status = 200, body = EnrollResponse),
        (status = 400, description = "malformed request or unknown code", body = ErrorPayload),
        (status = 403, description = "the enrolling operator is not an administrator of the office", body = ErrorPayload),
        (status = 409, description = "device already enrolled", body = ErrorPayload),
        (status = 410, description = "expired code", body = ErrorPayload),
    ))]
pub(crate) async fn enroll(
    State(state): State<ServerState>,
    request: Result<Json<EnrollRequest>, JsonRejection>,
) -> Result<Json<EnrollResponse>, ApiError> {
    let Json(request) = request.map_err(ApiError::from)?;
    if request.protocol != PROTOCOL_VERSION {
        return Err(ApiError::UnsupportedProtocol);
    }
    // A code issued for another certificate (or mistyped) is no code of this server's.
    let code = EnrollmentCode::parse(&request.code)
        .filter(|code| code.is_for_certificate(state.certificate_sha256.as_deref()))
        .ok_or(ApiError::EnrollmentCodeInvalid)?;
    let hash = secret_hash(&code);
    let public_key = BASE64URL_NOPAD.decode(request.public_key.as_bytes()).map_err(|_| ApiError::MalformedRequest)?;
    if public_key.len() != 32 {
        return Err(ApiError::MalformedRequest);
    }
    let now = state.clock.now_ms();
    let storage = state.storage.clone();
    let device = request.device_id;
    let login = request.login.trim().to_owned();
    let enroller = login.clone();
    let random = state.random.clone();
    let (ambito, enrolled, operators, health_key) = tokio::task::spawn_blocking(move || {
        let ambito = storage.ambito().map_err(EnrollmentError::Storage)?;
        let enrolled = storage.enroll(&hash, device, &public_key, &login, now)?;
        let operators = crate::operators::accounts_of(&*storage, &enrolled.office, now, &*random)?;
        // Enrolled by an administrator, who may read health content: the device seals it
        // for its holders allowed to.
        let health_key = data_encoding::HEXLOWER.encode(storage.health_key(&*random)?.bytes());
        Ok::<_, EnrollmentError>((ambito, enrolled, operators, health_key))
    })
    .await
    .map_err(|_| ApiError::Storage)?
    .map_err(|error| {
        tracing::info!(code = %fingerprint(&hash), %error, "enrollment refused");
        match error {
            EnrollmentError::UnknownCode => ApiError::EnrollmentCodeInvalid,
            EnrollmentError::Expired => ApiError::EnrollmentCodeExpired,
            EnrollmentError::AlreadyEnrolled => ApiError::DeviceAlreadyEnrolled,
            EnrollmentError::NotAnAdministrator { office } => {
                ApiError::EnrollerNotAdministrator { login: enroller, office }
            }
            EnrollmentError::Storage(_) => ApiError::Storage,
        }
    })?;
    tracing::info!(device = %enrolled.id, office = %enrolled.office, "device enrolled");
    Ok(Json(EnrollResponse {
        device_id: enrolled.id,
        device_name: enrolled.name,
        ambito: ambito.map(|ambito| ambito.name).unwrap_or_default(),
        office: enrolled.office,
        certificate_sha256: state.certificate_sha256.clone(),
        operators,
        health_key: Some(health_key),
    }))
}
