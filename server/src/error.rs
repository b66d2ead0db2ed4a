//! The server's errors, sent as `{code, message}` like every other boundary of Porta.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use porta_wire::{ErrorCode, ErrorPayload, Explanation, Locale, Localizer, UserFacingError};

/// An error that ends a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The path is not one the server serves.
    #[error("no such route")]
    NotFound,
    /// The body or query is not the protocol's JSON.
    #[error("malformed request")]
    MalformedRequest,
    /// The body or the batch is larger than the server takes.
    #[error("request too large")]
    PayloadTooLarge,
    /// A protocol version this server does not speak.
    #[error("unsupported protocol version")]
    UnsupportedProtocol,
    /// The batch does not continue the device's sequence.
    #[error("sequence gap, expected {expected}")]
    SequenceGap { expected: u64 },
    /// Entries stamped too far in the server's future: the device's clock is wrong.
    #[error("device clock ahead by {minutes} minutes")]
    ClockDrift { minutes: u64 },
    /// A folder the device's office does not hold.
    #[error("folder out of scope")]
    OutOfScope,
    /// The server's storage failed.
    #[error("storage failure")]
    Storage,
    /// No signature headers, or an unknown device.
    #[error("unauthenticated")]
    Unauthenticated,
    /// The signature does not match the device's key.
    #[error("bad signature")]
    BadSignature,
    /// Signed too long ago or in the future.
    #[error("stale request")]
    StaleRequest,
    /// A nonce already used.
    #[error("replayed request")]
    ReplayedRequest,
    /// The device was revoked.
    #[error("device revoked")]
    DeviceRevoked,
    /// The device must erase its data.
    #[error("wipe ordered")]
    WipeOrdered,
    /// An unknown or used enrollment code.
    #[error("invalid enrollment code")]
    EnrollmentCodeInvalid,
    /// An expired enrollment code.
    #[error("expired enrollment code")]
    EnrollmentCodeExpired,
    /// The device is already enrolled.
    #[error("device already enrolled")]
    DeviceAlreadyEnrolled,
    #[error("the enrolling operator is not an administrator of the office")]
    EnrollerNotAdministrator { login: String, office: String },
    /// No STP/ENI series (region and ASL) is set on this server.
    #[error("no STP/ENI series configured")]
    StpEniNotConfigured,
    /// Every number of the STP/ENI series is taken.
    #[error("STP/ENI series exhausted")]
    StpEniExhausted,
    /// The device has had its share of STP/ENI numbers for now.
    #[error("STP/ENI quota reached")]
    StpEniQuotaReached,
    /// The server is serving as many requests as it may at once.
    #[error("server busy")]
    ServerBusy,
    /// The device has stored as many scans as it may.
    #[error("scan quota reached")]
    ScanQuotaReached,
    /// A scan did not match its SHA-256 once whole.
    #[error("scan damaged")]
    ScanDamaged,
    /// The device made too many requests too fast.
    #[error("rate limited for {retry_after_s} s")]
    RateLimited { retry_after_s: u64 },
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::MalformedRequest
        }
    }
}

impl UserFacingError for ApiError {
    fn explain(&self) -> Explanation {
        let (code, message_id) = match self {
            ApiError::NotFound => (ErrorCode::NotFound, "error-not-found"),
            ApiError::MalformedRequest => (ErrorCode::MalformedRequest, "error-malformed-request"),
            ApiError::PayloadTooLarge => (ErrorCode::PayloadTooLarge, "error-payload-too-large"),
            ApiError::UnsupportedProtocol => (ErrorCode::UnsupportedProtocol, "error-unsupported-protocol"),
            ApiError::SequenceGap { expected } => {
                return Explanation::new(ErrorCode::SequenceGap, "error-sequence-gap")
                    .with("expected", expected.to_string());
            }
            ApiError::ClockDrift { minutes } => {
                return Explanation::new(ErrorCode::ClockDrift, "error-clock-drift")
                    .with("minutes", minutes.to_string());
            }
            ApiError::OutOfScope => (ErrorCode::OutOfScope, "error-out-of-scope"),
            ApiError::Storage => (ErrorCode::Internal, "error-internal"),
            ApiError::Unauthenticated => (ErrorCode::Unauthenticated, "error-unauthenticated"),
            ApiError::BadSignature => (ErrorCode::BadSignature, "error-bad-signature"),
            ApiError::StaleRequest => (ErrorCode::StaleRequest, "error-stale-request"),
            ApiError::ReplayedRequest => (ErrorCode::ReplayedRequest, "error-replayed-request"),
            ApiError::DeviceRevoked => (ErrorCode::DeviceRevoked, "error-device-revoked"),
            ApiError::WipeOrdered => (ErrorCode::WipeOrdered, "error-wipe-ordered"),
            ApiError::EnrollmentCodeInvalid => (ErrorCode::EnrollmentCodeInvalid, "error-enrollment-code-invalid"),
            ApiError::EnrollmentCodeExpired => (ErrorCode::EnrollmentCodeExpired, "error-enrollment-code-expired"),
            ApiError::DeviceAlreadyEnrolled => (ErrorCode::DeviceAlreadyEnrolled, "error-device-already-enrolled"),
            ApiError::EnrollerNotAdministrator { login, office } => {
                return Explanation::new(ErrorCode::EnrollerNotAdministrator, "error-enroller-not-administrator")
                    .with("login", login.clone())
                    .with("office", office.clone());
            }
            ApiError::StpEniNotConfigured => (ErrorCode::StpEniNotConfigured, "error-stp-eni-not-configured"),
            ApiError::StpEniExhausted => (ErrorCode::StpEniExhausted, "error-stp-eni-exhausted"),
            ApiError::StpEniQuotaReached => (ErrorCode::StpEniQuotaReached, "error-stp-eni-quota-reached"),
            ApiError::ServerBusy => (ErrorCode::ServerBusy, "error-server-busy"),
            ApiError::ScanQuotaReached => (ErrorCode::ScanQuotaReached, "error-scan-quota-reached"),
            ApiError::ScanDamaged => (ErrorCode::ScanDamaged, "error-scan-damaged"),
            ApiError::RateLimited { retry_after_s } => {
                return Explanation::new(ErrorCode::RateLimited, "error-rate-limited")
                    .with("seconds", retry_after_s.to_string());
            }
        };
        Explanation::new(code, message_id)
    }
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MalformedRequest => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedProtocol => StatusCode::BAD_REQUEST,
            ApiError::SequenceGap { .. } | ApiError::ClockDrift { .. } => StatusCode::CONFLICT,
            ApiError::Storage => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::ServerBusy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Unauthenticated | ApiError::BadSignature | ApiError::StaleRequest => StatusCode::UNAUTHORIZED,
            ApiError::ReplayedRequest
            | ApiError::DeviceAlreadyEnrolled
            | ApiError::StpEniNotConfigured
            | ApiError::StpEniExhausted => StatusCode::CONFLICT,
            ApiError::DeviceRevoked | ApiError::OutOfScope | ApiError::EnrollerNotAdministrator { .. } => {
                StatusCode::FORBIDDEN
            }
            ApiError::WipeOrdered | ApiError::EnrollmentCodeExpired => StatusCode::GONE,
            ApiError::EnrollmentCodeInvalid => StatusCode::BAD_REQUEST,
            ApiError::RateLimited { .. } | ApiError::StpEniQuotaReached | ApiError::ScanQuotaReached => {
                StatusCode::TOO_MANY_REQUESTS
            }
            ApiError::ScanDamaged => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // Devices show server messages to Italian operators; the code lets them localise.
        let payload = ErrorPayload::localized(&self, &Localizer::new(), Locale::It);
        let mut response = (self.status(), Json(payload)).into_response();
        if let ApiError::RateLimited { retry_after_s } = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, retry_after_s.into());
        }
        response
    }
}

/// The fallback for every path that no route serves.
pub async fn not_found() -> ApiError {
    ApiError::NotFound
}
