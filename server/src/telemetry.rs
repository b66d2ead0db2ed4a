//! JSON logs with request ids and nothing personal in them.

use axum::http::Request;
use tracing::Span;

/// Logs as JSON lines on standard error, filtered by `RUST_LOG` (default: `info`).
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().json().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// A span per request with its method, path and request id. Query strings and bodies, which
/// may carry personal data, are never logged.
pub fn span_without_personal_data<B>(request: &Request<B>) -> Span {
    let request_id = request.headers().get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or("-");
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
}
