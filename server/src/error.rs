//! The server's errors, sent as `{code, message}` like every other boundary of Porta.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use porta::{ErrorCode, ErrorPayload, Locale, Localizer, UserFacingError};

/// An error that ends a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The path is not one the server serves.
    #[error("no such route")]
    NotFound,
}

impl UserFacingError for ApiError {
    fn code(&self) -> ErrorCode {
        match self {
            ApiError::NotFound => ErrorCode::NotFound,
        }
    }
    fn message_id(&self) -> &'static str {
        match self {
            ApiError::NotFound => "error-not-found",
        }
    }
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // Devices show server messages to Italian operators; the code lets them localise.
        let payload = ErrorPayload::localized(&self, &Localizer::new(), Locale::It);
        (self.status(), Json(payload)).into_response()
    }
}

/// The fallback for every path that no route serves.
pub async fn not_found() -> ApiError {
    ApiError::NotFound
}
